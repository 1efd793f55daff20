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
#: Size of the numbers written in heatmap cells (≥ theme.MIN_FONT_SIZE).
CELL_FONT_SIZE = theme.MIN_FONT_SIZE
#: The narrowest a grid with numbers is drawn (px): one panel in a third of a
#: laptop's content width (the kernel and products share a wider column).
TEXT_PANEL_PX = 260
#: A panel whose values span less than this is drawn as constant and says so.
FLAT = 1e-6


def text_px(label: str, size: float = CELL_FONT_SIZE) -> float:
    """Estimated width of a number label in px (Source Sans: digits 0.5 em,
    "." 0.25 em, "-" 0.33 em).

    >>> round(text_px("-0.25"), 1)
    29.1
    """
    widths = {".": 0.25, "-": 0.33}
    return sum(0.5 if ch.isdigit() else widths.get(ch, 0.6) for ch in label) * size


def cell_text(z: np.ndarray, decimals: int) -> list[list[str]]:
    """Compact cell labels: ``decimals`` places, trailing zeros dropped.

    >>> cell_text(np.array([[0.5, 1.0, 0.0, -0.0625, np.nan]]), 2)
    [['0.5', '1', '0', '-0.06', '']]
    """

    def one(v: float) -> str:
        if not np.isfinite(v):
            return ""
        text = f"{v:.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text

    return [[one(float(v)) for v in row] for row in np.atleast_2d(z)]


def cell_decimals(z: np.ndarray, panel_px: float = TEXT_PANEL_PX) -> int | None:
    """Decimals to write in a grid's cells, or ``None`` if no number fits.

    ``z``: one grid, or a stack of grids drawn in turn (one format for all).
    Two decimals if the widest label fits a cell of a ``panel_px`` wide panel
    at :data:`CELL_FONT_SIZE` (with 2 px to spare each side), else one
    decimal, else none (more than :data:`MAX_TEXT_SIDE` cells per side never
    get numbers): fewer digits on larger grids, never smaller text.

    >>> image = np.full((8, 8), 0.9375)
    >>> cell_decimals(image), cell_decimals(np.pad(image, 2)), cell_decimals(
    ...     np.zeros((16, 16)))
    (2, 1, None)
    """
    z = np.atleast_2d(np.asarray(z, dtype=float))
    side = max(z.shape[-2:]) if z.size else 1
    if side > MAX_TEXT_SIDE:
        return None
    cell = panel_px / side
    rows = z.reshape(-1, z.shape[-1])  # several grids (e.g. every step) at once
    for decimals in (2, 1):
        labels = [label for row in cell_text(rows, decimals) for label in row]
        if max(map(text_px, labels), default=0.0) + 4 <= cell:
            return decimals
    return None


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
    zrange: tuple[float, float] | None = None,
    like: np.ndarray | None = None,
    width: float = TEXT_PANEL_PX,
) -> go.Heatmap:
    """A heatmap of a small 2-D array, with values written in the cells if small.

    ``text``: write the values (``None``: when they fit, see
    :func:`cell_decimals`; ``True``: always, e.g. a 2×2 pooling window).
    ``like``: the array whose numbers decide the decimals (the whole output
    while only part of it is filled in, so the format does not change as the
    steps go on). ``width``: the narrowest the panel is drawn, px. ``zrange``
    overrides the colour range (a contrast stretch); the values and hover
    texts stay the true ones.
    """
    z = np.asarray(z, dtype=float)
    decimals = None
    if text is not False:
        decimals = cell_decimals(z if like is None else like, width)
        if text and decimals is None:  # asked for (a tiny grid): write them
            decimals = 2
    labels = None if decimals is None else cell_text(z, decimals)
    finite = z[np.isfinite(z)]
    if signed:
        limit = limit or float(np.abs(finite).max(initial=0.0)) or 1.0
        scale, zmin, zmax = theme.DIVERGING, -limit, limit
    else:
        scale, zmin = GRAY, 0.0
        zmax = limit or max(1.0, float(finite.max(initial=1.0)))
    if zrange is not None:
        zmin, zmax = zrange
    return go.Heatmap(
        z=z,
        zmin=zmin,
        zmax=zmax,
        colorscale=scale,
        showscale=colorbar,
        name=name,
        text=labels,
        texttemplate="%{text}" if labels is not None else None,
        textfont={"size": CELL_FONT_SIZE},
        hovertemplate="row %{y}, col %{x}: %{z:.3f}<extra></extra>",
        xgap=1 if labels is not None else 0,
        ygap=1 if labels is not None else 0,
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


#: Side margins of the step-through figures (:func:`_step_layout`), px.
_STEP_MARGIN_PX = 20
#: A column of several panels is this much wider on the page (kernel and
#: products side by side, ``ui.views.cnn._step_figures``).
GROUP_WIDTH = 1.3


def panel_px(panels: Sequence[str]) -> dict[str, float]:
    """The narrowest width (px) each panel gets on the page: a figure of one
    panel is drawn :data:`TEXT_PANEL_PX` wide, one of several
    :data:`GROUP_WIDTH` times that, split like :func:`_panel_grid` splits it.

    >>> {k: round(v) for k, v in panel_px(("kernel", "products")).items()}
    {'kernel': 151, 'products': 151}
    """
    figure = TEXT_PANEL_PX * (GROUP_WIDTH if len(panels) > 1 else 1.0)
    spacing = 0.05 if len(panels) > 1 else 0.0
    plot = (figure - _STEP_MARGIN_PX) * (1 - spacing * (len(panels) - 1))
    total = sum(_PANEL_WIDTHS[p] for p in panels)
    return {p: plot * _PANEL_WIDTHS[p] / total for p in panels}


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
    px = panel_px(panels)
    for col, panel in enumerate(panels, start=1):
        if panel == "input":
            fig.add_trace(
                _grid_heatmap(steps.padded, signed=False, width=px[panel]), 1, col
            )
            _draw_padding(fig, steps, 1, col)
            _rect(fig, 1, col, step.top, step.left, kh, kw)
        elif panel == "kernel":
            fig.add_trace(
                _grid_heatmap(steps.kernel, signed=True, width=px[panel]), 1, col
            )
        elif panel == "products":
            limit = float(np.abs(step.products).max()) or 1.0
            fig.add_trace(
                _grid_heatmap(
                    step.products,
                    signed=True,
                    limit=limit,
                    width=px[panel],
                    # the same digits at every step: decided by all products
                    like=np.stack([other.products for other in steps.steps]),
                ),
                1,
                col,
            )
        else:
            limit = float(np.abs(steps.output).max()) or 1.0
            fig.add_trace(
                _grid_heatmap(
                    _partial_output(steps, index),
                    signed=True,
                    limit=limit,
                    like=steps.output,
                    width=px[panel],
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
    px = panel_px(panels)
    for col, panel in enumerate(panels, start=1):
        if panel == "input":
            fig.add_trace(
                _grid_heatmap(steps.padded, signed=False, limit=limit, width=px[panel]),
                1,
                col,
            )
            _draw_padding(fig, steps, 1, col)
            _rect(fig, 1, col, step.top, step.left, kh, kw)
        elif panel == "window":
            fig.add_trace(
                _grid_heatmap(
                    step.window, signed=False, limit=limit, text=True, width=px[panel]
                ),
                1,
                col,
            )
            if step.argmax is not None:
                _rect(fig, 1, col, step.argmax[0], step.argmax[1], 1, 1)
        else:
            partial = _partial_output(steps, index)
            fig.add_trace(
                _grid_heatmap(
                    partial,
                    signed=False,
                    limit=limit,
                    like=steps.output,
                    width=px[panel],
                ),
                1,
                col,
            )
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
    # cell numbers never shrink below 14 px (Plotly shrinks text to fit a bar)
    fig.update_layout(
        barmode="overlay",
        bargap=0.25,
        uniformtext={"minsize": theme.MIN_FONT_SIZE, "mode": "show"},
    )
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


def _flat_value(array: np.ndarray) -> float | None:
    """The value of an (almost) constant array, else ``None``."""
    finite = np.asarray(array, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size and float(finite.max() - finite.min()) < FLAT:
        return float(finite.mean())
    return None


def _note_color(value: float, *, signed: bool, limit: float) -> str:
    """Black or white text, whichever reads on the cell colour of ``value``."""
    share = abs(value) / limit if limit else 0.0
    dark = share > 0.6 if signed else share < 0.5  # strong colour / dark grey
    return "#ffffff" if dark else theme.TEXT_COLOR


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
    stretch: bool = False,
    lang: str = "en",
) -> go.Figure:
    """Small multiples: one heatmap per array, sharing one colour range.

    ``frame=True`` outlines every image (white pixels on a white page).
    ``stretch=True`` gives every panel its own colour range (its darkest
    value black, its brightest white) and adds that range to its title. A
    constant panel (nothing to stretch, e.g. a channel that is 0 everywhere)
    is written as such in its middle ("all 0").
    """
    count = max(1, len(arrays))
    cols = min(cols, count)
    rows = -(-count // cols)
    titles = list(titles)
    ranges: list[tuple[float, float] | None] = []
    for i, array in enumerate(arrays):
        finite = np.asarray(array, dtype=float)
        finite = finite[np.isfinite(finite)]
        low, high = (
            (float(finite.min()), float(finite.max())) if finite.size else (0, 1)
        )
        if stretch and _flat_value(array) is None:
            ranges.append((low, high))
            span = t("cnn.fig.range", lang, low=low, high=high)
            titles[i] = f"{titles[i]} · {span}" if (low, high) != (0, 1) else titles[i]
        else:
            ranges.append(None)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=titles,
        horizontal_spacing=0.02,
        vertical_spacing=0.08 / max(1, rows - 1) + 0.06,
    )
    scale_limit = limit or 1.0
    for i, array in enumerate(arrays):
        row, col = i // cols + 1, i % cols + 1
        fig.add_trace(
            _grid_heatmap(
                array, signed=signed, limit=limit, text=False, zrange=ranges[i]
            ),
            row=row,
            col=col,
        )
        h, w = np.shape(array)[:2]
        if frame:
            fig.add_shape(
                type="rect",
                x0=-0.5,
                x1=w - 0.5,
                y0=-0.5,
                y1=h - 0.5,
                line={"color": "#999", "width": 1},
                row=row,
                col=col,
            )
        value = _flat_value(array)
        if value is not None:
            fig.add_annotation(
                x=(w - 1) / 2,
                y=(h - 1) / 2,
                text=t("cnn.fig.flat", lang, value=value),
                showarrow=False,
                font={
                    "size": theme.MIN_FONT_SIZE,
                    "color": _note_color(value, signed=signed, limit=scale_limit),
                },
                row=row,
                col=col,
            )
    _image_axes(fig, rows * cols)
    fig.update_annotations(font_size=theme.MIN_FONT_SIZE)
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
        lang=lang,
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
        lang=lang,
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
    """Inputs found by gradient ascent, one per filter, ``(F, H, W)`` in ``[0, 1]``.

    Each panel is contrast-stretched (its own darkest pixel black, brightest
    white; the range is in its title), so a picture that lies within
    0.97–1 is not drawn as a blank white square; a truly uniform one (the
    filter likes an all-white or all-black input best) says so.

    Example:
        >>> nearly_white = np.linspace(0.9, 1, 16).reshape(4, 4)
        >>> pictures = np.stack([np.ones((4, 4)), nearly_white])
        >>> fig = filter_visualization_figure(pictures, [0, 1], "conv1")
        >>> [a.text for a in fig.layout.annotations]
        ['#0', '#1 · 0.9–1', 'all 1']
        >>> fig.data[1].zmin, fig.data[1].zmax
        (0.9, 1.0)
    """
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
        stretch=True,
        title=t("cnn.fig.filter_vis", lang, layer=layer_name),
        lang=lang,
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
