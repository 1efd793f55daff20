"""Figures of the CNN page: step-throughs, kernels, filters, feature maps, Grad-CAM.

Images are drawn as heatmaps with row 0 at the top and square pixels. Signed
arrays (kernels, products, convolution outputs) use the diverging scale centred
on zero, images the grey scale from black (0) to white (1). The results
(confusion matrix, mistakes, curves, parameter counts) are drawn by
:mod:`dlcore.figures.cnn_results` with the heatmap helpers of this module.

>>> import numpy as np
>>> from dlcore import cnn
>>> steps = cnn.conv_steps(np.eye(4), cnn.kernel_preset("sobel_x"), 1, "same")
>>> fig = conv_step_figure(steps, 5)
>>> len(fig.data), fig.layout.height == theme.HEIGHT
(4, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dlcore.figures import theme
from dlcore.i18n import t

GRAY = [[0.0, "#000000"], [1.0, "#ffffff"]]
#: Transparent → orange → red, for drawing Grad-CAM over a grey image.
HEAT = [
    [0.0, "rgba(255, 237, 160, 0.0)"],
    [0.3, "rgba(254, 178, 76, 0.35)"],
    [0.7, "rgba(240, 59, 32, 0.65)"],
    [1.0, "rgba(189, 0, 38, 0.85)"],
]
HIGHLIGHT = "#d62728"
#: Grids larger than this (per side) show colours only, no numbers.
MAX_TEXT_SIDE = 12


def _axis_name(index: int, axis: str) -> str:
    return axis if index == 1 else f"{axis}{index}"


def _image_axes(fig: go.Figure, num_panels: int) -> None:
    """Square pixels, row 0 at the top, no tick clutter, for every subplot."""
    for i in range(1, num_panels + 1):
        fig.layout[_axis_name(i, "yaxis")].update(
            autorange="reversed",
            scaleanchor=_axis_name(i, "x"),
            scaleratio=1,
            showgrid=False,
            zeroline=False,
            showticklabels=False,
            constrain="domain",
        )
        fig.layout[_axis_name(i, "xaxis")].update(
            showgrid=False, zeroline=False, showticklabels=False, constrain="domain"
        )


def _grid_heatmap(
    z: np.ndarray,
    *,
    signed: bool,
    limit: float | None = None,
    text: bool | None = None,
    colorbar: bool = False,
    name: str = "",
) -> go.Heatmap:
    """A heatmap of a small 2-D array, with values written in the cells if small."""
    z = np.asarray(z, dtype=float)
    if text is None:
        text = max(z.shape) <= MAX_TEXT_SIDE
    finite = z[np.isfinite(z)]
    if signed:
        limit = limit or float(np.abs(finite).max(initial=0.0)) or 1.0
        scale, zmin, zmax = theme.DIVERGING, -limit, limit
    else:
        scale, zmin = GRAY, 0.0
        zmax = limit or max(1.0, float(finite.max(initial=1.0)))
    return go.Heatmap(
        z=z,
        zmin=zmin,
        zmax=zmax,
        colorscale=scale,
        showscale=colorbar,
        name=name,
        texttemplate="%{z:.2f}" if text else None,
        textfont={"size": 11},
        hovertemplate="row %{y}, col %{x}: %{z:.3f}<extra></extra>",
        xgap=1 if text else 0,
        ygap=1 if text else 0,
    )


def _fit_grid(fig, index: int, shape: tuple[int, ...]) -> None:
    """Pin subplot ``index`` (row 1) to a ``shape`` grid, empty cells in light grey.

    Cells still NaN (not computed yet) stay in place instead of the axis
    shrinking to the filled ones.
    """
    rows, cols = shape[:2]
    fig.add_shape(
        type="rect",
        x0=-0.5,
        x1=cols - 0.5,
        y0=-0.5,
        y1=rows - 0.5,
        layer="below",
        fillcolor="#eef0f2",
        line={"width": 0},
        row=1,
        col=index,
    )
    fig.layout[_axis_name(index, "xaxis")].update(
        autorange=False, range=[-0.5, cols - 0.5]
    )
    fig.layout[_axis_name(index, "yaxis")].update(
        autorange=False, range=[rows - 0.5, -0.5]
    )


def _step_layout(fig: go.Figure, title: str | None, height: int) -> go.Figure:
    """Theme a step-through figure, leaving room between its title and panel titles."""
    theme.styled(fig, title=title, height=height, legend=False)
    # images have no axis titles: give the panels the room of the side margins
    fig.update_layout(margin={"t": 90 if title else 40, "l": 10, "r": 10, "b": 10})
    fig.update_annotations(yshift=4)
    return fig


def _rect(fig, row: int, col: int, top, left, num_rows, num_cols, **line) -> None:
    """Outline ``num_rows × num_cols`` cells from ``(top, left)`` in one subplot."""
    fig.add_shape(
        type="rect",
        x0=left - 0.5,
        x1=left + num_cols - 0.5,
        y0=top - 0.5,
        y1=top + num_rows - 0.5,
        line={"color": HIGHLIGHT, "width": 3, **line},
        row=row,
        col=col,
    )


def _partial_output(steps, index: int) -> np.ndarray:
    """The output with the cells after step ``index`` still empty (NaN)."""
    partial = np.full(steps.output.shape, np.nan)
    flat = partial.reshape(-1)
    flat[: index + 1] = steps.output.reshape(-1)[: index + 1]
    return partial


def _draw_padding(fig, steps, row: int, col: int) -> None:
    """A dashed outline around the real image inside the padded input."""
    top, bottom, left, right = steps.pads
    if top or bottom or left or right:
        h, w = steps.image.shape
        _rect(fig, row, col, top, left, h, w, color="#555", width=1.5, dash="dash")


#: Panels of the step-through figures, in their default order.
CONV_PANELS: tuple[str, ...] = ("input", "kernel", "products", "output")
POOL_PANELS: tuple[str, ...] = ("input", "window", "output")
_PANEL_WIDTHS = {
    "input": 0.36,
    "kernel": 0.18,
    "products": 0.18,
    "window": 0.2,
    "output": 0.3,
}


def _panel_grid(panels: Sequence[str], titles: dict[str, str]) -> go.Figure:
    widths = [_PANEL_WIDTHS[p] for p in panels]
    return make_subplots(
        rows=1,
        cols=len(panels),
        horizontal_spacing=0.05 if len(panels) > 1 else 0.0,
        column_widths=[w / sum(widths) for w in widths],
        subplot_titles=[titles[p] for p in panels],
    )


def _check_panels(panels: Sequence[str], allowed: Sequence[str]) -> tuple[str, ...]:
    panels = tuple(panels)
    if not panels or not set(panels) <= set(allowed):
        raise ValueError(f"panels must be a non-empty subset of {tuple(allowed)}")
    return panels


def conv_step_figure(
    steps: Any,
    index: int,
    *,
    lang: str = "en",
    height: int = theme.HEIGHT,
    panels: Sequence[str] = CONV_PANELS,
    title: bool = True,
) -> go.Figure:
    """One step of a convolution: input + window, kernel, products, output so far.

    Args:
        steps: A :class:`dlcore.cnn.StepThrough` of kind ``"conv"``.
        index: The step (0-based, row by row); clipped to the valid range.
        lang: ``"en"`` or ``"zh"``.
        height: Figure height in pixels.
        panels: Which of :data:`CONV_PANELS` to draw, in order (a page may
            split them over columns that stack on a phone).
        title: Write the step's sum as the figure title.

    Returns:
        Up to four panels: the zero-padded input with the receptive window
        outlined, the kernel, the element-wise products (their sum is the
        output cell), and the output filled up to this step with the current
        cell outlined.
    """
    panels = _check_panels(panels, CONV_PANELS)
    index = int(np.clip(index, 0, len(steps.steps) - 1))
    step = steps.steps[index]
    kh, kw = steps.window_size
    fig = _panel_grid(
        panels,
        {
            "input": t("cnn.fig.input_padded", lang),
            "kernel": t("cnn.fig.kernel", lang),
            "products": t("cnn.fig.products", lang),
            "output": t("cnn.fig.output", lang),
        },
    )
    for col, panel in enumerate(panels, start=1):
        if panel == "input":
            fig.add_trace(_grid_heatmap(steps.padded, signed=False), row=1, col=col)
            _draw_padding(fig, steps, 1, col)
            _rect(fig, 1, col, step.top, step.left, kh, kw)
        elif panel == "kernel":
            fig.add_trace(_grid_heatmap(steps.kernel, signed=True), row=1, col=col)
        elif panel == "products":
            limit = float(np.abs(step.products).max()) or 1.0
            fig.add_trace(
                _grid_heatmap(step.products, signed=True, limit=limit), 1, col
            )
        else:
            limit = float(np.abs(steps.output).max()) or 1.0
            fig.add_trace(
                _grid_heatmap(
                    _partial_output(steps, index),
                    signed=True,
                    limit=limit,
                    text=max(steps.output.shape) <= MAX_TEXT_SIDE,
                ),
                row=1,
                col=col,
            )
            _rect(fig, 1, col, step.row, step.col, 1, 1)
    _image_axes(fig, len(panels))
    if "output" in panels:
        _fit_grid(fig, panels.index("output") + 1, steps.output.shape)
    text = t("cnn.fig.conv_step", lang, row=step.row, col=step.col, value=step.value)
    return _step_layout(fig, text if title else None, height)


def pool_step_figure(
    steps: Any,
    index: int,
    *,
    lang: str = "en",
    height: int = theme.HEIGHT,
    panels: Sequence[str] = POOL_PANELS,
    title: bool = True,
) -> go.Figure:
    """One step of max or average pooling: input + window, window, output so far.

    Padded cells (``"same"``) are left blank: TensorFlow ignores them. In max
    pooling the winning cell of the window is outlined. ``panels`` and
    ``title`` work as in :func:`conv_step_figure` (:data:`POOL_PANELS`).
    """
    panels = _check_panels(panels, POOL_PANELS)
    index = int(np.clip(index, 0, len(steps.steps) - 1))
    step = steps.steps[index]
    kh, kw = steps.window_size
    fig = _panel_grid(
        panels,
        {
            "input": t("cnn.fig.input_pool_padded", lang),
            "window": t("cnn.fig.window", lang),
            "output": t("cnn.fig.output", lang),
        },
    )
    limit = max(1.0, float(np.nanmax(steps.padded)))
    for col, panel in enumerate(panels, start=1):
        if panel == "input":
            fig.add_trace(
                _grid_heatmap(steps.padded, signed=False, limit=limit), 1, col
            )
            _draw_padding(fig, steps, 1, col)
            _rect(fig, 1, col, step.top, step.left, kh, kw)
        elif panel == "window":
            fig.add_trace(
                _grid_heatmap(step.window, signed=False, limit=limit, text=True), 1, col
            )
            if step.argmax is not None:
                _rect(fig, 1, col, step.argmax[0], step.argmax[1], 1, 1)
        else:
            partial = _partial_output(steps, index)
            fig.add_trace(_grid_heatmap(partial, signed=False, limit=limit), 1, col)
            _rect(fig, 1, col, step.row, step.col, 1, 1)
    _image_axes(fig, len(panels))
    for name, shape in (("window", step.window.shape), ("output", steps.output.shape)):
        if name in panels:
            _fit_grid(fig, panels.index(name) + 1, shape)
    key = "cnn.fig.max_step" if steps.kind == "max" else "cnn.fig.average_step"
    text = t(key, lang, row=step.row, col=step.col, value=step.value)
    return _step_layout(fig, text if title else None, height)


def windows_1d_figure(
    n: int,
    kernel_size: int,
    stride: int = 1,
    padding: str | int = "valid",
    *,
    lang: str = "en",
    height: int = theme.SMALL_HEIGHT,
) -> go.Figure:
    """Where the windows fall along one axis: input cells, padding, one bar per window.

    Example:
        >>> fig = windows_1d_figure(8, 3, 2, "same")
        >>> len(fig.data)  # input cells + padding cells + 4 windows
        6
    """
    from dlcore import cnn

    before, after = cnn.padding_amounts(n, kernel_size, stride, padding)
    num_out = cnn.output_size(n, kernel_size, stride, padding)
    fig = go.Figure()
    cells = np.arange(n)
    fig.add_bar(
        x=np.ones(n),
        base=cells - 0.5,
        y=[t("cnn.fig.input", lang)] * n,
        orientation="h",
        marker={"color": "#bbb", "line": {"color": "#333", "width": 1}},
        text=[str(c) for c in cells],
        textposition="inside",
        insidetextanchor="middle",
        name=t("cnn.fig.input", lang),
        hovertemplate="%{text}<extra></extra>",
    )
    pads = np.concatenate([np.arange(-before, 0), np.arange(n, n + after)])
    fig.add_bar(
        x=np.ones(len(pads)),
        base=pads - 0.5,
        y=[t("cnn.fig.input", lang)] * len(pads),
        orientation="h",
        name=t("cnn.fig.pad_cell", lang),
        marker={"color": "white", "line": {"color": "#333", "width": 1}},
        marker_pattern_shape="/",
        text=["0"] * len(pads),
        textposition="inside",
        hovertemplate=t("cnn.fig.pad_cell", lang) + "<extra></extra>",
    )
    for o in range(num_out):
        start = o * stride - before
        label = t("cnn.fig.window_n", lang, index=o)
        fig.add_bar(
            x=[kernel_size],
            base=[start - 0.5],
            y=[label],
            orientation="h",
            marker={"color": theme.color(o)},
            name=label,
            showlegend=False,
            hovertemplate=f"{label}: {start}…{start + kernel_size - 1}<extra></extra>",
        )
    fig.update_layout(barmode="overlay", bargap=0.25)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(dtick=1, range=[-before - 1, n + after])
    return theme.styled(
        fig,
        title=t("cnn.fig.windows_1d", lang),
        height=height,
        x_title=t("cnn.fig.position", lang),
        legend=False,
    )


def image_figure(
    image: np.ndarray,
    *,
    title: str | None = None,
    lang: str = "en",
    height: int = theme.SMALL_HEIGHT,
    text: bool | None = None,
) -> go.Figure:
    """A grayscale image (values in ``[0, 1]``), pixel values written if small.

    ``text=False`` never writes the values (a thumbnail), ``True`` always does.
    """
    image = np.asarray(image, dtype=float).squeeze()
    fig = go.Figure(_grid_heatmap(image, signed=False, limit=1.0, text=text))
    _image_axes(fig, 1)
    return theme.styled(
        fig, title=title or t("cnn.fig.input", lang), height=height, legend=False
    )


def kernel_figure(
    kernel: np.ndarray, *, lang: str = "en", height: int = theme.SMALL_HEIGHT
) -> go.Figure:
    """A kernel as a diverging heatmap with its weights written in the cells."""
    fig = go.Figure(_grid_heatmap(kernel, signed=True, text=True))
    _image_axes(fig, 1)
    return theme.styled(
        fig, title=t("cnn.fig.kernel", lang), height=height, legend=False
    )


def _grid_figure(
    arrays: Sequence[np.ndarray],
    titles: Sequence[str],
    *,
    signed: bool,
    limit: float | None,
    cols: int,
    title: str,
    height: int,
    frame: bool = False,
) -> go.Figure:
    """Small multiples: one heatmap per array, sharing one colour range.

    ``frame=True`` outlines every image (white pixels on a white page).
    """
    count = max(1, len(arrays))
    cols = min(cols, count)
    rows = -(-count // cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=list(titles),
        horizontal_spacing=0.02,
        vertical_spacing=0.08 / max(1, rows - 1) + 0.04,
    )
    for i, array in enumerate(arrays):
        fig.add_trace(
            _grid_heatmap(array, signed=signed, limit=limit, text=False),
            row=i // cols + 1,
            col=i % cols + 1,
        )
        if frame:
            h, w = np.shape(array)[:2]
            fig.add_shape(
                type="rect",
                x0=-0.5,
                x1=w - 0.5,
                y0=-0.5,
                y1=h - 0.5,
                line={"color": "#999", "width": 1},
                row=i // cols + 1,
                col=i % cols + 1,
            )
    _image_axes(fig, rows * cols)
    fig.update_annotations(font_size=11)
    return theme.styled(fig, title=title, height=height, legend=False)


def filters_figure(
    filters: np.ndarray,
    *,
    layer_name: str = "conv1",
    lang: str = "en",
    cols: int = 8,
    height: int = theme.HEIGHT,
) -> go.Figure:
    """The learned kernels of a layer, ``(filters, kh, kw)``, on one colour scale."""
    filters = np.asarray(filters)
    if filters.ndim == 4:  # several input channels: show their mean
        filters = filters.mean(axis=-1)
    limit = float(np.abs(filters).max()) or 1.0
    return _grid_figure(
        list(filters),
        [t("cnn.fig.filter_n", lang, index=i) for i in range(len(filters))],
        signed=True,
        limit=limit,
        cols=cols,
        height=height,
        title=t("cnn.fig.filters", lang, layer=layer_name),
    )


def feature_maps_figure(
    maps: np.ndarray,
    layer_name: str,
    *,
    lang: str = "en",
    max_channels: int = 16,
    cols: int = 8,
    height: int = theme.HEIGHT,
) -> go.Figure:
    """The channels of one layer's output ``(H, W, C)`` (the first ``max_channels``)."""
    maps = np.asarray(maps)
    shown = min(max_channels, maps.shape[-1])
    limit = float(np.abs(maps[..., :shown]).max()) or 1.0
    signed = bool(maps.min() < 0)
    return _grid_figure(
        [maps[..., c] for c in range(shown)],
        [t("cnn.fig.filter_n", lang, index=c) for c in range(shown)],
        signed=signed,
        limit=limit,
        cols=cols,
        height=height,
        title=t(
            "cnn.fig.feature_maps",
            lang,
            layer=layer_name,
            shown=shown,
            total=maps.shape[-1],
        ),
    )


def filter_visualization_figure(
    images: np.ndarray,
    filter_indices: Sequence[int],
    layer_name: str,
    *,
    lang: str = "en",
    cols: int = 8,
    height: int = theme.HEIGHT,
) -> go.Figure:
    """Inputs found by gradient ascent, one per filter, ``(F, H, W)`` in ``[0, 1]``."""
    images = np.asarray(images)
    if images.ndim == 2:
        images = images[None]
    return _grid_figure(
        list(images),
        [t("cnn.fig.filter_n", lang, index=i) for i in filter_indices],
        signed=False,
        limit=1.0,
        cols=cols,
        height=height,
        frame=True,
        title=t("cnn.fig.filter_vis", lang, layer=layer_name),
    )


def grad_cam_figure(
    image: np.ndarray,
    cam: np.ndarray,
    *,
    label: str,
    layer_name: str,
    lang: str = "en",
    height: int = theme.HEIGHT,
) -> go.Figure:
    """The input next to the Grad-CAM heat drawn over it.

    Args:
        image: The input, ``(H, W)`` in ``[0, 1]``.
        cam: :func:`dlcore.cnn.grad_cam`'s output, ``(H, W)`` in ``[0, 1]``.
        label: The explained class, as shown to the learner.
        layer_name: The convolution layer used.
        lang: ``"en"`` or ``"zh"``.
        height: Figure height.
    """
    image = np.asarray(image, dtype=float).squeeze()
    fig = make_subplots(
        rows=1,
        cols=2,
        horizontal_spacing=0.06,
        subplot_titles=[t("cnn.fig.input", lang), t("cnn.fig.overlay", lang)],
    )
    fig.add_trace(_grid_heatmap(image, signed=False, limit=1.0, text=False), 1, 1)
    fig.add_trace(_grid_heatmap(image, signed=False, limit=1.0, text=False), 1, 2)
    fig.add_trace(
        go.Heatmap(
            z=np.asarray(cam),
            zmin=0,
            zmax=1,
            colorscale=HEAT,
            colorbar={
                "title": {"text": t("cnn.fig.importance", lang)},
                "thickness": 14,
            },
            hovertemplate="row %{y}, col %{x}: %{z:.2f}<extra></extra>",
        ),
        row=1,
        col=2,
    )
    _image_axes(fig, 2)
    title = t("cnn.fig.grad_cam", lang, label=label, layer=layer_name)
    return _step_layout(fig, title, height)
