"""Figures of the CNN page: step-throughs, filters, feature maps, Grad-CAM, results.

Images are drawn as heatmaps with row 0 at the top and square pixels. Signed
arrays (kernels, products, convolution outputs) use the diverging scale centred
on zero, images the grey scale from black (0) to white (1).

>>> import numpy as np
>>> from dlcore import cnn
>>> steps = cnn.conv_steps(np.eye(4), cnn.kernel_preset("sobel_x"), 1, "same")
>>> fig = conv_step_figure(steps, 5)
>>> len(fig.data), fig.layout.height == theme.HEIGHT
(4, True)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
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
            autorange="reversed", scaleanchor=_axis_name(i, "x"), scaleratio=1,
            showgrid=False, zeroline=False, showticklabels=False, constrain="domain",
        )  # fmt: skip
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
        z=z, zmin=zmin, zmax=zmax, colorscale=scale, showscale=colorbar, name=name,
        texttemplate="%{z:.2f}" if text else None,
        textfont={"size": 11},
        hovertemplate="row %{y}, col %{x}: %{z:.3f}<extra></extra>",
        xgap=1 if text else 0, ygap=1 if text else 0,
    )  # fmt: skip


def _fit_grid(fig, index: int, shape: tuple[int, ...]) -> None:
    """Pin subplot ``index`` (row 1) to a ``shape`` grid, empty cells in light grey.

    Cells still NaN (not computed yet) stay in place instead of the axis
    shrinking to the filled ones.
    """
    rows, cols = shape[:2]
    fig.add_shape(
        type="rect", x0=-0.5, x1=cols - 0.5, y0=-0.5, y1=rows - 0.5, layer="below",
        fillcolor="#eef0f2", line={"width": 0}, row=1, col=index,
    )  # fmt: skip
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
        type="rect", x0=left - 0.5, x1=left + num_cols - 0.5, y0=top - 0.5,
        y1=top + num_rows - 0.5, line={"color": HIGHLIGHT, "width": 3, **line},
        row=row, col=col,
    )  # fmt: skip


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
_PANEL_WIDTHS = {"input": 0.36, "kernel": 0.18, "products": 0.18, "window": 0.2,
                 "output": 0.3}  # fmt: skip


def _panel_grid(panels: Sequence[str], titles: dict[str, str]) -> go.Figure:
    widths = [_PANEL_WIDTHS[p] for p in panels]
    return make_subplots(
        rows=1, cols=len(panels), horizontal_spacing=0.05 if len(panels) > 1 else 0.0,
        column_widths=[w / sum(widths) for w in widths],
        subplot_titles=[titles[p] for p in panels],
    )  # fmt: skip


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
    fig = _panel_grid(panels, {
        "input": t("cnn.fig.input_padded", lang), "kernel": t("cnn.fig.kernel", lang),
        "products": t("cnn.fig.products", lang), "output": t("cnn.fig.output", lang)})  # fmt: skip
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
                _grid_heatmap(_partial_output(steps, index), signed=True, limit=limit,
                              text=max(steps.output.shape) <= MAX_TEXT_SIDE),
                row=1, col=col,
            )  # fmt: skip
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
    fig = _panel_grid(panels, {
        "input": t("cnn.fig.input_pool_padded", lang),
        "window": t("cnn.fig.window", lang), "output": t("cnn.fig.output", lang)})  # fmt: skip
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
        x=np.ones(n), base=cells - 0.5, y=[t("cnn.fig.input", lang)] * n,
        orientation="h", marker={"color": "#bbb", "line": {"color": "#333", "width": 1}},
        text=[str(c) for c in cells], textposition="inside", insidetextanchor="middle",
        name=t("cnn.fig.input", lang), hovertemplate="%{text}<extra></extra>",
    )  # fmt: skip
    pads = np.concatenate([np.arange(-before, 0), np.arange(n, n + after)])
    fig.add_bar(
        x=np.ones(len(pads)), base=pads - 0.5, y=[t("cnn.fig.input", lang)] * len(pads),
        orientation="h", name=t("cnn.fig.pad_cell", lang),
        marker={"color": "white", "line": {"color": "#333", "width": 1}},
        marker_pattern_shape="/", text=["0"] * len(pads), textposition="inside",
        hovertemplate=t("cnn.fig.pad_cell", lang) + "<extra></extra>",
    )  # fmt: skip
    for o in range(num_out):
        start = o * stride - before
        label = t("cnn.fig.window_n", lang, index=o)
        fig.add_bar(
            x=[kernel_size], base=[start - 0.5], y=[label], orientation="h",
            marker={"color": theme.color(o)}, name=label, showlegend=False,
            hovertemplate=f"{label}: {start}…{start + kernel_size - 1}<extra></extra>",
        )  # fmt: skip
    fig.update_layout(barmode="overlay", bargap=0.25)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(dtick=1, range=[-before - 1, n + after])
    return theme.styled(
        fig, title=t("cnn.fig.windows_1d", lang), height=height,
        x_title=t("cnn.fig.position", lang), legend=False,
    )  # fmt: skip


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
        rows=rows, cols=cols, subplot_titles=list(titles),
        horizontal_spacing=0.02, vertical_spacing=0.08 / max(1, rows - 1) + 0.04,
    )  # fmt: skip
    for i, array in enumerate(arrays):
        fig.add_trace(
            _grid_heatmap(array, signed=signed, limit=limit, text=False),
            row=i // cols + 1, col=i % cols + 1,
        )  # fmt: skip
        if frame:
            h, w = np.shape(array)[:2]
            fig.add_shape(type="rect", x0=-0.5, x1=w - 0.5, y0=-0.5, y1=h - 0.5,
                          line={"color": "#999", "width": 1},
                          row=i // cols + 1, col=i % cols + 1)  # fmt: skip
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
        list(filters), [t("cnn.fig.filter_n", lang, index=i) for i in range(len(filters))],
        signed=True, limit=limit, cols=cols, height=height,
        title=t("cnn.fig.filters", lang, layer=layer_name),
    )  # fmt: skip


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
        signed=signed, limit=limit, cols=cols, height=height,
        title=t("cnn.fig.feature_maps", lang, layer=layer_name, shown=shown,
                total=maps.shape[-1]),
    )  # fmt: skip


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
        list(images), [t("cnn.fig.filter_n", lang, index=i) for i in filter_indices],
        signed=False, limit=1.0, cols=cols, height=height, frame=True,
        title=t("cnn.fig.filter_vis", lang, layer=layer_name),
    )  # fmt: skip


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
        rows=1, cols=2, horizontal_spacing=0.06,
        subplot_titles=[t("cnn.fig.input", lang), t("cnn.fig.overlay", lang)],
    )  # fmt: skip
    fig.add_trace(_grid_heatmap(image, signed=False, limit=1.0, text=False), 1, 1)
    fig.add_trace(_grid_heatmap(image, signed=False, limit=1.0, text=False), 1, 2)
    fig.add_trace(
        go.Heatmap(
            z=np.asarray(cam), zmin=0, zmax=1, colorscale=HEAT,
            colorbar={"title": {"text": t("cnn.fig.importance", lang)}, "thickness": 14},
            hovertemplate="row %{y}, col %{x}: %{z:.2f}<extra></extra>",
        ),
        row=1, col=2,
    )  # fmt: skip
    _image_axes(fig, 2)
    title = t("cnn.fig.grad_cam", lang, label=label, layer=layer_name)
    return _step_layout(fig, title, height)


def confusion_matrix_figure(
    matrix: np.ndarray,
    class_names: Sequence[str],
    *,
    lang: str = "en",
    height: int = theme.TALL_HEIGHT,
    highlight: tuple[int, int] | None = None,
) -> go.Figure:
    """Counts of (true, predicted) classes; a cell can be clicked on the page.

    Each cell's ``customdata`` is ``[true_index, predicted_index]`` so that a
    selection event (``st.plotly_chart(on_select=...)``) can find the images.
    Plotly.js does not select heatmap cells on click, so an invisible marker
    sits on every cell (trace 1, same ``customdata``): clicking a cell selects
    its marker.

    Args:
        matrix: ``C[true, predicted]`` counts.
        class_names: Names on both axes.
        lang: ``"en"`` or ``"zh"``.
        height: Figure height.
        highlight: ``(true, predicted)`` cell to outline (the one shown).

    Example:
        >>> fig = confusion_matrix_figure(np.array([[3, 1], [0, 4]]), ["a", "b"])
        >>> fig.data[0].texttemplate, len(fig.data[1].x)
        ('%{z}', 4)
    """
    matrix = np.asarray(matrix)
    names = [str(c) for c in class_names]
    num = len(names)
    index = np.stack(np.meshgrid(np.arange(num), np.arange(num), indexing="ij"), -1)
    true_label, predicted_label = t("cnn.fig.true", lang), t("cnn.fig.predicted", lang)
    hover = (f"{true_label}: %{{y}}<br>{predicted_label}: %{{x}}<br>"
             f"{t('cnn.fig.count', lang)}: %{{meta}}<extra></extra>")  # fmt: skip
    fig = go.Figure(
        go.Heatmap(
            z=matrix, x=names, y=names, customdata=index, colorscale="Blues",
            texttemplate="%{z}", textfont={"size": 13}, xgap=1, ygap=1,
            colorbar={"title": {"text": t("cnn.fig.count", lang)}, "thickness": 14},
            hovertemplate=hover.replace("%{meta}", "%{z}"),
        )
    )  # fmt: skip
    cells = index.reshape(-1, 2)
    fig.add_scatter(
        x=[names[p] for p in cells[:, 1]], y=[names[r] for r in cells[:, 0]],
        customdata=cells, mode="markers", showlegend=False,
        marker={"symbol": "square", "size": 28, "opacity": 0},
        selected={"marker": {"opacity": 0}}, unselected={"marker": {"opacity": 0}},
        hovertemplate=[hover.replace("%{meta}", str(matrix[r, p])) for r, p in cells],
    )  # fmt: skip
    if highlight is not None:
        row, col = (int(v) for v in highlight)
        fig.add_shape(type="rect", x0=col - 0.5, x1=col + 0.5, y0=row - 0.5,
                      y1=row + 0.5, line={"color": HIGHLIGHT, "width": 3})  # fmt: skip
    fig.update_yaxes(autorange="reversed", type="category", scaleanchor="x",
                     constrain="domain")  # fmt: skip
    fig.update_xaxes(type="category", side="bottom", constrain="domain")
    fig.update_xaxes(showgrid=False, zeroline=False)
    fig.update_yaxes(showgrid=False, zeroline=False)
    return theme.styled(
        fig, title=t("cnn.fig.confusion", lang), height=height,
        x_title=predicted_label, y_title=true_label, legend=False,
    )  # fmt: skip


def misclassified_figure(
    images: np.ndarray,
    y_true: np.ndarray,
    probabilities: np.ndarray,
    class_names: Sequence[str],
    *,
    lang: str = "en",
    max_images: int = 6,
    height: int = theme.TALL_HEIGHT,
    title: str | None = None,
    min_columns: int = 1,
) -> go.Figure:
    """Misclassified images with their predicted probabilities underneath.

    Args:
        images: The misclassified images, ``(n, H, W[, 1])``.
        y_true: Their true labels ``(n,)``.
        probabilities: Their predicted probabilities ``(n, classes)``.
        class_names: Names of the classes.
        lang: ``"en"`` or ``"zh"``.
        max_images: At most this many are drawn (one column each).
        height: Figure height.
        title: Replaces the default title (e.g. for the images of one
            confusion-matrix cell, which may be classified correctly).
        min_columns: Draw at least this many columns (so that one image is
            not stretched over the whole width).

    Returns:
        Two rows: the images (titled "true 3 → 8 (72 %)"), and a bar chart of
        the probabilities below each (true class green, prediction red).
    """
    count = min(len(images), max_images)
    if count == 0:
        fig = go.Figure()
        fig.add_annotation(text=t("cnn.fig.no_mistakes", lang), showarrow=False,
                           x=0.5, y=0.5, xref="paper", yref="paper")  # fmt: skip
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return theme.styled(
            fig, title=title or t("cnn.fig.misclassified", lang), height=height
        )
    names = [str(c) for c in class_names]
    titles = []
    for i in range(count):
        predicted = int(np.argmax(probabilities[i]))
        titles.append(t("cnn.fig.true_pred", lang, true=names[int(y_true[i])],
                        pred=names[predicted], prob=float(probabilities[i, predicted])))  # fmt: skip
    cols = max(count, int(min_columns))
    titles += [""] * (cols - count)
    fig = make_subplots(
        rows=2, cols=cols, row_heights=[0.6, 0.4], vertical_spacing=0.12,
        horizontal_spacing=0.03, subplot_titles=titles + [""] * cols,
    )  # fmt: skip
    for i in range(count):
        image = np.asarray(images[i], dtype=float).squeeze()
        fig.add_trace(
            _grid_heatmap(image, signed=False, limit=1.0, text=False), 1, i + 1
        )
        predicted = int(np.argmax(probabilities[i]))
        colors = ["#bbb"] * len(names)
        colors[predicted] = HIGHLIGHT
        colors[int(y_true[i])] = theme.COLORS[2]
        fig.add_trace(
            go.Bar(x=names, y=probabilities[i], marker_color=colors, showlegend=False,
                   hovertemplate="%{x}: %{y:.1%}<extra></extra>"),
            row=2, col=i + 1,
        )  # fmt: skip
        fig.update_yaxes(range=[0, 1], showticklabels=i == 0, row=2, col=i + 1)
        fig.update_xaxes(type="category", tickfont={"size": 9}, row=2, col=i + 1)
    for i in range(1, cols + 1):
        fig.layout[_axis_name(i, "yaxis")].update(
            autorange="reversed", scaleanchor=_axis_name(i, "x"), showticklabels=False
        )
        fig.layout[_axis_name(i, "xaxis")].update(showticklabels=False, showgrid=False,
                                                  zeroline=False)  # fmt: skip
    for i in range(count + 1, cols + 1):  # empty columns: no axes at all
        fig.layout[_axis_name(i, "xaxis")].update(visible=False)
        fig.layout[_axis_name(i, "yaxis")].update(visible=False)
        fig.layout[_axis_name(cols + i, "xaxis")].update(visible=False)
        fig.layout[_axis_name(cols + i, "yaxis")].update(visible=False)
    fig.update_annotations(font_size=12)
    return theme.styled(fig, title=title or t("cnn.fig.misclassified", lang),
                        height=height, legend=False)  # fmt: skip


def prediction_figure(
    probabilities: np.ndarray,
    class_names: Sequence[str],
    *,
    true_class: int | None = None,
    lang: str = "en",
    height: int = theme.SMALL_HEIGHT,
) -> go.Figure:
    """The predicted probability of every class for one image.

    The predicted class is red, the true class green (both green when right).

    Example:
        >>> fig = prediction_figure(np.array([0.1, 0.7, 0.2]), ["a", "b", "c"],
        ...                         true_class=2)
        >>> fig.data[0].marker.color
        ('#bbb', '#d62728', '#2ca02c')
    """
    probabilities = np.asarray(probabilities, dtype=float)
    names = [str(c) for c in class_names]
    predicted = int(np.argmax(probabilities))
    colors = ["#bbb"] * len(names)
    colors[predicted] = HIGHLIGHT
    if true_class is not None:
        colors[int(true_class)] = theme.COLORS[2]
    fig = go.Figure(
        go.Bar(x=names, y=probabilities, marker_color=colors,
               text=[f"{p:.0%}" if p >= 0.01 else "" for p in probabilities],
               textposition="outside", cliponaxis=False,
               hovertemplate="%{x}: %{y:.1%}<extra></extra>")
    )  # fmt: skip
    fig.update_yaxes(range=[0, 1.1], tickformat=".0%")
    fig.update_xaxes(type="category")
    title = t("cnn.fig.prediction", lang, pred=names[predicted],
              prob=float(probabilities[predicted]))  # fmt: skip
    if true_class is not None:
        title += " · " + t("cnn.fig.true_is", lang, true=names[int(true_class)])
    return theme.styled(fig, title=title, height=height, x_title=t("cnn.class", lang),
                        y_title=t("cnn.fig.probability", lang), legend=False)  # fmt: skip


def per_class_figure(
    per_class: Mapping[str, Sequence] | pd.DataFrame,
    *,
    lang: str = "en",
    height: int = theme.HEIGHT,
) -> go.Figure:
    """Precision and recall of every class as grouped bars.

    Args:
        per_class: :func:`dlcore.cnn.per_class_metrics` (or its ``to_dict("list")``).
    """
    table = pd.DataFrame(per_class)
    classes = [str(c) for c in table["class"]]
    fig = go.Figure()
    for i, column in enumerate(("precision", "recall")):
        label = t(f"cnn.fig.{column}", lang)
        fig.add_bar(x=classes, y=table[column], name=label, marker_color=theme.color(i),
                    hovertemplate=f"%{{x}}: {label} %{{y:.1%}}<extra></extra>")  # fmt: skip
    low = float(min(table["precision"].min(), table["recall"].min()))
    fig.update_yaxes(range=[min(0.8, max(0.0, low - 0.05)), 1.0], tickformat=".0%")
    fig.update_xaxes(type="category")
    return theme.styled(fig, title=t("cnn.fig.per_class", lang), height=height,
                        x_title=t("cnn.class", lang))  # fmt: skip


def translation_figure(
    curve: Mapping[str, Sequence] | pd.DataFrame,
    *,
    lang: str = "en",
    height: int = theme.HEIGHT,
) -> go.Figure:
    """Test accuracy vs horizontal shift, CNN against the Dense network.

    Example:
        >>> fig = translation_figure({"shift": [-1, 0, 1], "cnn": [0.7, 0.98, 0.7],
        ...                           "dense": [0.4, 0.97, 0.5]})
        >>> [trace.name for trace in fig.data]
        ['CNN', 'Dense network']
    """
    table = pd.DataFrame(curve)
    fig = go.Figure()
    for i, column in enumerate(("cnn", "dense")):
        fig.add_scatter(
            x=table["shift"], y=table[column], name=t(f"cnn.fig.{column}", lang),
            mode="lines+markers", line={"color": theme.color(i), "width": 3},
            hovertemplate="%{x:+d} px: %{y:.1%}<extra></extra>",
        )  # fmt: skip
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%")
    fig.update_xaxes(dtick=1, zeroline=True)
    return theme.styled(
        fig, title=t("cnn.fig.translation", lang), height=height,
        x_title=t("cnn.fig.shift", lang), y_title=t("common.accuracy", lang),
    )  # fmt: skip


def transfer_figure(
    curves: Mapping[str, Sequence] | pd.DataFrame,
    *,
    target: str = "5–9",
    lang: str = "en",
    height: int = theme.HEIGHT,
) -> go.Figure:
    """Accuracy vs number of training images for each transfer strategy.

    Args:
        curves: ``artifacts["curves"]`` of :func:`dlcore.cnn.train_transfer`.
        target: The target digits, as shown in the title.
    """
    table = pd.DataFrame(curves)
    fig = go.Figure()
    for i, strategy in enumerate(("frozen", "fine_tune", "scratch")):
        rows = table[table["strategy"] == strategy].sort_values("train_size")
        if rows.empty:
            continue
        fig.add_scatter(
            x=rows["train_size"], y=rows["accuracy"], name=t(f"cnn.fig.{strategy}", lang),
            mode="lines+markers", line={"color": theme.color(i), "width": 3,
                                        "dash": "dot" if strategy == "scratch" else None},
            hovertemplate="%{x}: %{y:.1%}<extra></extra>",
        )  # fmt: skip
    sizes = sorted(set(table["train_size"])) if len(table) else []
    fig.update_xaxes(type="log", tickvals=sizes, ticktext=[str(s) for s in sizes])
    fig.update_yaxes(tickformat=".0%")
    return theme.styled(
        fig, title=t("cnn.fig.transfer", lang, target=target), height=height,
        x_title=t("cnn.fig.train_size", lang), y_title=t("common.accuracy", lang),
    )  # fmt: skip


def param_comparison_figure(
    cnn_table: pd.DataFrame,
    dense_table: pd.DataFrame,
    *,
    lang: str = "en",
    height: int = theme.HEIGHT,
) -> go.Figure:
    """Stacked bars: how each network's parameters split over its layers.

    Args:
        cnn_table: :func:`dlcore.cnn.layer_table` of the CNN.
        dense_table: :func:`dlcore.cnn.layer_table` of the Dense baseline.
    """
    fig = go.Figure()
    networks = [t("cnn.fig.cnn", lang), t("cnn.fig.dense", lang)]
    color = 0
    for network, table in zip(networks, (cnn_table, dense_table), strict=True):
        for row in table[table["params"] > 0].itertuples():
            fig.add_bar(
                x=[network], y=[row.params], name=row.layer, marker_color=theme.color(color),
                text=f"{row.layer}<br>{row.params:,}", textposition="inside",
                hovertemplate=f"{row.layer} ({row.type}): {row.params:,}<extra></extra>",
            )  # fmt: skip
            color += 1
    totals = [int(cnn_table["params"].sum()), int(dense_table["params"].sum())]
    for network, total in zip(networks, totals, strict=True):
        fig.add_annotation(x=network, y=total, text=f"{total:,}", showarrow=False,
                           yshift=12, font={"size": 15})  # fmt: skip
    # segments too thin for their label stay unlabelled (hover still tells)
    fig.update_layout(barmode="stack", uniformtext={"minsize": 12, "mode": "hide"})
    return theme.styled(
        fig, title=t("cnn.fig.params", lang), height=height,
        y_title=t("cnn.fig.param_count", lang), legend=False,
    )  # fmt: skip


def layer_table_figure(
    table: pd.DataFrame,
    *,
    network: str = "cnn",
    lang: str = "en",
    height: int = theme.HEIGHT,
) -> go.Figure:
    """A :func:`dlcore.cnn.layer_table` as a Plotly table with a total row."""
    columns = ["layer", "type", "output_shape", "params"]
    cells = [list(table[c]) for c in columns]
    for cell, extra in zip(cells, [t("cnn.col.total", lang), "", "",
                                   int(table["params"].sum())], strict=True):  # fmt: skip
        cell.append(extra)
    cells[3] = [f"{v:,}" if isinstance(v, int | np.integer) else v for v in cells[3]]
    fig = go.Figure(
        go.Table(
            header={"values": [t(f"cnn.col.{c}", lang) for c in columns],
                    "fill_color": theme.COLORS[0], "font": {"color": "white"},
                    "align": "left"},
            cells={"values": cells, "align": ["left", "left", "left", "right"],
                   "height": 26},
        )
    )  # fmt: skip
    title = t("cnn.fig.layer_table", lang, network=t(f"cnn.fig.{network}", lang))
    return theme.styled(fig, title=title, height=height, legend=False)
