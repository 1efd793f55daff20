"""Figures of the home page: tensors as heatmaps and the training loop, step by step.

>>> from dlcore import linreg
>>> data = linreg.make_data(num_samples=8)
>>> path = linreg.trajectory(data.x, data.y, learning_rate=0.1, batch_size=4, steps=2)
>>> grid = linreg.loss_surface(data.x, data.y, (-2, 4), (-3, 3), 21)
>>> len(surface_figure(grid, path, 1, (2.0, 1.0))
...     .layout.annotations)  # the update arrow
1
>>> [f.name for f in animation_figure(data, grid, path).frames]  # steps 1, 2
['1', '2']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale
from plotly.subplots import make_subplots

from dlcore import linreg
from dlcore.figures import theme
from dlcore.i18n import t

#: At most this many panels are drawn for a tensor of rank ≥ 3.
MAX_PANELS = 8
#: Cells of one panel up to which every value is printed in its cell.
MAX_TEXT_CELLS = 40
#: Height of the animation: two plots, the loss below, the controls under it.
ANIMATION_HEIGHT = 860

BATCH_COLOR = theme.color(1)
LINE_COLOR = theme.color(0)
DATA_COLOR = "#9aa5b1"
OPTIMUM_COLOR = theme.color(2)
ARROW_COLOR = theme.color(3)
#: White-to-black, but zero is a light grey so empty pixels differ from the page.
GREYS = [[0.0, "#eceff1"], [1.0, "#000000"]]
#: A legend in the (empty) top-left corner of the plot, clear of the title.
INSIDE_LEGEND = {
    "orientation": "v",
    "x": 0.01,
    "y": 0.99,
    "xanchor": "left",
    "yanchor": "top",
    "bgcolor": "rgba(255,255,255,0.85)",
    "bordercolor": "#ddd",
    "borderwidth": 1,
}
#: A legend under the plot: on a phone its entries wrap onto more rows there
#: instead of running into the title (Plotly makes room for it).
BELOW_LEGEND = {
    "orientation": "h",
    "x": 0.0,
    "xanchor": "left",
    "y": -0.2,
    "yanchor": "top",
}


# --- tensors -------------------------------------------------------------------------


def _axis_title(names: Sequence[str] | None, axis: int, lang: str) -> str:
    if names is not None and axis < len(names):
        return t(
            "home.axis.named", lang, name=t(f"home.axis.{names[axis]}", lang), k=axis
        )
    return t("home.axis.generic", lang, k=axis)


def _drawn(array: np.ndarray) -> tuple[np.ndarray, int | None, int]:
    """The array as drawn (trailing axes of length 1 dropped, at least 2-D) and
    the input axes shown as rows (``None`` for a vector) and as columns."""
    a = np.asarray(array, np.float64)
    while a.ndim > 2 and a.shape[-1] == 1:
        a = a[..., 0]
    if a.ndim == 0:
        a = a.reshape(1, 1)
    if a.ndim == 1:
        return a[None, :], None, 0
    return a, a.ndim - 2, a.ndim - 1


def panel_groups(array: np.ndarray, per_chart: int = 2) -> list[tuple[int, int]]:
    """``(start, stop)`` panel ranges, ``per_chart`` panels each (all drawn ones).

    >>> panel_groups(np.zeros((4, 8, 8, 1)))
    [(0, 2), (2, 4)]
    >>> panel_groups(np.zeros((3, 4)))
    [(0, 1)]
    """
    a = _drawn(array)[0]
    count = min(int(np.prod(a.shape[:-2], dtype=np.int64)), MAX_PANELS)
    per_chart = max(1, int(per_chart))
    return [(i, min(i + per_chart, count)) for i in range(0, count, per_chart)]


def array_figure(
    array: np.ndarray,
    *,
    axis_names: Sequence[str] | None = None,
    title: str | None = None,
    columns: int = MAX_PANELS,
    lang: str = "en",
    height: int = theme.SMALL_HEIGHT,
    panels: tuple[int, int] | None = None,
) -> go.Figure:
    """A tensor as heatmaps: one row for 1-D, a grid for 2-D, panels for 3-D/4-D.

    Trailing axes of length 1 (the channel axis of grey images) are dropped for
    drawing. For rank ≥ 3 every index of the leading axes gets its own panel
    (at most :data:`MAX_PANELS`, ``columns`` per row), showing the last two
    axes with square cells. Row 0 is at the top, as when NumPy prints the array.
    ``panels=(start, stop)`` draws only those panels (one chart of several,
    see :func:`panel_groups`), with the colour scale of the whole array.

    >>> fig = array_figure(np.zeros((4, 5, 3)), columns=2)
    >>> len(fig.data), fig.data[3].xaxis
    (4, 'x4')
    >>> [a.text for a in array_figure(np.zeros((4, 5, 3)), panels=(2, 4))
    ...  .layout.annotations]
    ['x[2]', 'x[3]']
    """
    a, row_axis, col_axis = _drawn(array)
    names = list(axis_names) if axis_names is not None else None
    lead_shape = a.shape[:-2]
    flat = a.reshape(-1, *a.shape[-2:])
    shown = min(len(flat), MAX_PANELS)
    start, stop = panels if panels is not None else (0, shown)
    start, stop = max(0, int(start)), min(int(stop), shown)
    count = max(1, stop - start)
    ncols = max(1, min(count, int(columns)))
    nrows = -(-count // ncols)
    indices = list(np.ndindex(*lead_shape))[start:stop] if lead_shape else [()]
    titles = ["x[" + ", ".join(str(i) for i in index) + "]" for index in indices]
    fig = make_subplots(
        rows=nrows,
        cols=ncols,
        subplot_titles=titles if lead_shape else None,
        horizontal_spacing=0.05 if ncols > 1 else 0.0,
        vertical_spacing=0.12 if nrows > 1 else 0.0,
    )
    low, high = float(np.min(a)), float(np.max(a))
    if low >= 0:
        scale, zmin, zmax = GREYS, 0.0, max(high, 1e-9)
    else:
        bound = max(abs(low), abs(high), 1e-9)
        scale, zmin, zmax = theme.DIVERGING, -bound, bound
    rows, cols = a.shape[-2:]
    show_text = rows * cols <= MAX_TEXT_CELLS and count <= 4
    square = max(rows, cols) <= 8 * min(rows, cols)  # square cells unless a thin strip
    for i in range(count):
        cell = {"row": i // ncols + 1, "col": i % ncols + 1}
        fig.add_heatmap(
            z=flat[start + i],
            zmin=zmin,
            zmax=zmax,
            colorscale=scale,
            showscale=False,
            xgap=1,
            ygap=1,
            texttemplate="%{z:.2f}" if show_text else None,
            textfont={"size": theme.MIN_FONT_SIZE},
            hovertemplate="[%{y}, %{x}] = %{z:.3f}<extra></extra>",
            **cell,
        )
        fig.update_yaxes(showticklabels=cell["col"] == 1, **cell)
        if square:
            suffix = "" if i == 0 else str(i + 1)
            fig.update_yaxes(scaleanchor=f"x{suffix}", constrain="domain", **cell)
            fig.update_xaxes(constrain="domain", **cell)
    fig.update_yaxes(
        autorange="reversed",
        showgrid=False,
        zeroline=False,
        dtick=1 if rows <= 10 else None,
    )
    fig.update_xaxes(showgrid=False, zeroline=False, dtick=1 if cols <= 10 else None)
    if not square:  # a thin strip: no need for a tall figure
        height = min(height, theme.SMALL_HEIGHT)
    x_title = _axis_title(names, col_axis, lang)
    fig.update_xaxes(title_text=x_title, row=nrows, col=1)
    if row_axis is not None:
        for r in range(1, nrows + 1):
            fig.update_yaxes(
                title_text=_axis_title(names, row_axis, lang), row=r, col=1
            )
    for annotation in fig.layout.annotations:
        annotation.font = {"size": theme.FONT_SIZE, "color": theme.TEXT_COLOR}
    fig = theme.styled(fig, title=title, height=height, legend=False)
    if len(flat) > shown and stop == shown:
        fig.add_annotation(
            text=t("home.tensor.more_panels", lang, shown=shown, total=len(flat)),
            xref="paper",
            yref="paper",
            x=1.0,
            y=-0.18,
            showarrow=False,
            xanchor="right",
            font={"size": theme.MIN_FONT_SIZE, "color": theme.TEXT_COLOR},
        )
    return fig


# --- the training loop ---------------------------------------------------------------


def _r(values, decimals: int = 4) -> list:
    """Rounded float64 values as a list (short JSON; float32 would print 17 digits)."""
    return np.round(np.asarray(values, np.float64), decimals).tolist()


def _fit_ranges(data: linreg.Data) -> tuple[list[float], list[float]]:
    x_low, x_high = float(np.min(data.x)), float(np.max(data.x))
    y_low, y_high = float(np.min(data.y)), float(np.max(data.y))
    pad_x, pad_y = 0.1 * (x_high - x_low), 0.15 * (y_high - y_low)
    return [x_low - pad_x, x_high + pad_x], [y_low - pad_y, y_high + pad_y]


def _line(
    w: float, b: float, x_range: Sequence[float]
) -> tuple[list[float], list[float]]:
    return list(x_range), [round(w * x + b, 4) for x in x_range]


def _fit_traces(data: linreg.Data, traj: linreg.Trajectory, step: int, lang: str):
    """The data points, the least-squares line, the batch and the current line."""
    x_range, _ = _fit_ranges(data)
    w_star, b_star = linreg.least_squares(data.x, data.y)
    static = [
        go.Scatter(
            x=_r(data.x),
            y=_r(data.y),
            mode="markers",
            name=t("home.fig.data", lang),
            marker={"size": 8, "color": DATA_COLOR},
            hovertemplate="x=%{x:.2f}<br>y=%{y:.2f}<extra></extra>",
        ),
        go.Scatter(
            x=_r(x_range),
            y=_line(w_star, b_star, x_range)[1],
            mode="lines",
            name=t("home.fig.least_squares", lang),
            line={"color": OPTIMUM_COLOR, "dash": "dash", "width": 2},
            hoverinfo="skip",
        ),
    ]
    return static, _fit_dynamic(data, traj, step, lang)


def _fit_dynamic(data: linreg.Data, traj: linreg.Trajectory, step: int, lang: str):
    x_range, _ = _fit_ranges(data)
    batch = traj.batches[min(step, traj.steps - 1)]
    w, b = float(traj.w[step]), float(traj.b[step])
    return [
        go.Scatter(
            x=_r(data.x[batch]),
            y=_r(data.y[batch]),
            mode="markers",
            name=t("home.fig.batch", lang),
            marker={
                "size": 12,
                "color": BATCH_COLOR,
                "line": {"color": "white", "width": 1},
            },
            hovertemplate="x=%{x:.2f}<br>y=%{y:.2f}<extra></extra>",
        ),
        go.Scatter(
            x=_line(w, b, x_range)[0],
            y=_line(w, b, x_range)[1],
            mode="lines",
            name=t("home.fig.model", lang),
            line={"color": LINE_COLOR, "width": 4},
            hoverinfo="skip",
        ),
    ]


def fit_figure(
    data: linreg.Data,
    traj: linreg.Trajectory,
    step: int,
    *,
    lang: str = "en",
    height: int = theme.TALL_HEIGHT,
) -> go.Figure:
    """(a) The data, this step's mini-batch, the model's line ŷ = w·x + b at
    step ``step`` and the least-squares line (dashed)."""
    static, dynamic = _fit_traces(data, traj, step, lang)
    fig = go.Figure([*static, *dynamic])
    x_range, y_range = _fit_ranges(data)
    fig.update_xaxes(range=x_range, title_text="x")
    fig.update_yaxes(range=y_range, title_text="y")
    fig = theme.styled(fig, title=t("home.fig.fit", lang), height=height)
    return fig.update_layout(legend=INSIDE_LEGEND)


def _log_levels(grid: linreg.Grid) -> tuple[np.ndarray, list[float], list[str]]:
    z = np.log10(np.maximum(grid.loss, 1e-6))
    ticks = [
        v
        for v in (0.1, 0.3, 1, 3, 10, 30, 100, 300)
        if z.min() <= np.log10(v) <= z.max()
    ]
    return z, [float(np.log10(v)) for v in ticks], [f"{v:g}" for v in ticks]


def _surface_static(grid: linreg.Grid, optimum: Sequence[float], lang: str, **axes):
    """The filled loss contours, the minimum and the update arrow's legend key."""
    z, tickvals, ticktext = _log_levels(grid)
    colorbar = {
        "title": {"text": t("common.loss", lang)},
        "tickvals": tickvals,
        "ticktext": ticktext,
        "thickness": 14,
    }
    return [
        go.Contour(
            x=_r(grid.w, 3),
            y=_r(grid.b, 3),
            z=_r(z, 3),
            colorscale="Blues",
            reversescale=True,
            ncontours=18,
            colorbar=colorbar,
            contours={"coloring": "heatmap", "showlines": True},
            line={"width": 0.5, "color": "rgba(255,255,255,0.6)"},
            customdata=_r(grid.loss, 3),
            name=t("common.loss", lang),
            hovertemplate="w=%{x:.2f}<br>b=%{y:.2f}<br>L=%{customdata:.3f}<extra></extra>",
            **axes,
        ),
        go.Scatter(
            x=[optimum[0]],
            y=[optimum[1]],
            mode="markers",
            name=t("home.fig.optimum", lang),
            marker={
                "symbol": "star",
                "size": 18,
                "color": OPTIMUM_COLOR,
                "line": {"color": "white", "width": 1},
            },
            hovertemplate="w*=%{x:.3f}<br>b*=%{y:.3f}<extra></extra>",
            **axes,
        ),
        go.Scatter(  # legend key of the update arrow (a layout annotation)
            x=[None],
            y=[None],
            mode="lines",
            name=t("home.fig.arrow", lang),
            line={"color": ARROW_COLOR, "width": 3},
            **axes,
        ),
    ]


def _ellipse_surface(data: linreg.Data, grid: linreg.Grid, lang: str, **axes):
    """The loss surface as nested filled ellipses (its exact level sets).

    Only scatter traces, so an animation can update the path with
    ``redraw=False``: plotly.js blanks contours and heatmaps on every frame
    (flicker) or drops them (``redraw=False``).
    """
    floor = float(np.min(grid.loss))
    top = float(np.max(grid.loss))
    # Equally spaced in sqrt(L − L*): like the rings of a contour map of a bowl.
    radii = np.linspace(0.0, np.sqrt(top - floor), 16)[1:][::-1]
    levels = floor + radii**2
    positions = (np.log10(levels) - np.log10(floor)) / (np.log10(top) - np.log10(floor))
    # As the contour's reversed "Blues": low loss dark, high loss light.
    colors = sample_colorscale("Blues", list(1.0 - np.clip(positions, 0.0, 1.0)))
    traces = []
    for (w, b), fill in zip(
        linreg.level_curves(data.x, data.y, levels), colors, strict=True
    ):
        traces.append(
            go.Scatter(
                x=_r(w, 3),
                y=_r(b, 3),
                mode="lines",
                fill="toself",
                fillcolor=fill,
                line={"color": "rgba(255,255,255,0.6)", "width": 0.5},
                hoverinfo="skip",
                showlegend=False,
                name=t("common.loss", lang),
                **axes,
            )
        )
    return traces


def _surface_dynamic(traj: linreg.Trajectory, step: int, lang: str, **axes):
    return [
        go.Scatter(
            x=_r(traj.w[: step + 1]),
            y=_r(traj.b[: step + 1]),
            mode="lines+markers",
            name=t("home.fig.path", lang),
            line={"color": BATCH_COLOR, "width": 2},
            marker={"size": 5, "color": BATCH_COLOR},
            hovertemplate="w=%{x:.3f}<br>b=%{y:.3f}<extra></extra>",
            **axes,
        ),
        go.Scatter(
            x=[round(float(traj.w[step]), 4)],
            y=[round(float(traj.b[step]), 4)],
            mode="markers",
            name=t("home.fig.current", lang),
            marker={
                "size": 16,
                "color": "white",
                "line": {"color": "black", "width": 3},
            },
            hovertemplate="w=%{x:.3f}<br>b=%{y:.3f}<extra></extra>",
            **axes,
        ),
    ]


def _arrow(
    traj: linreg.Trajectory, step: int, lang: str, xref: str = "x", yref: str = "y"
):
    """The update −η·∇L of step ``step`` as an annotation arrow (none after the
    last)."""
    if step >= traj.steps:
        return []
    w, b = float(traj.w[step]), float(traj.b[step])
    lr = traj.learning_rate
    tip_w, tip_b = w - lr * float(traj.dw[step]), b - lr * float(traj.db[step])
    if not np.all(np.isfinite([w, b, tip_w, tip_b])):
        return []
    return [
        {
            "x": tip_w,
            "y": tip_b,
            "ax": w,
            "ay": b,
            "xref": xref,
            "yref": yref,
            "axref": xref,
            "ayref": yref,
            "showarrow": True,
            "arrowhead": 2,
            "arrowsize": 1.2,
            "arrowwidth": 3,
            "arrowcolor": ARROW_COLOR,
            "text": "",
        }
    ]


def surface_figure(
    grid: linreg.Grid,
    traj: linreg.Trajectory,
    step: int,
    optimum: Sequence[float],
    *,
    lang: str = "en",
    height: int = theme.TALL_HEIGHT,
) -> go.Figure:
    """(b) Contours of the full-data loss over (w, b), the path θ₀ … θ_step, the
    current point and this step's update −η·∇L (an arrow; the mini-batch
    gradient, so for small batches it only roughly points downhill)."""
    fig = go.Figure(
        [*_surface_static(grid, optimum, lang), *_surface_dynamic(traj, step, lang)]
    )
    fig.update_layout(annotations=_arrow(traj, step, lang))
    fig.update_xaxes(range=[grid.w[0], grid.w[-1]], title_text="w", constrain="domain")
    fig.update_yaxes(range=[grid.b[0], grid.b[-1]], title_text="b", scaleanchor="x")
    fig = theme.styled(fig, title=t("home.fig.surface", lang), height=height)
    return fig.update_layout(legend=BELOW_LEGEND)


def _loss_static(traj: linreg.Trajectory, lang: str, **axes):
    """Step k (1…N) computes its mini-batch loss at θ_{k−1}, before its update,
    as Keras logs a step's loss; the loss on all data is at θ_k, after step k
    (0: the start)."""
    steps = np.arange(traj.steps + 1)
    return [
        go.Scatter(
            x=steps[1:],
            y=_r(traj.batch_loss, 5),
            mode="lines",
            name=t("home.fig.batch_loss", lang),
            line={"color": BATCH_COLOR, "width": 1.5},
            opacity=0.6,
            hovertemplate="%{x}: %{y:.4f}<extra></extra>",
            **axes,
        ),
        go.Scatter(
            x=steps,
            y=_r(traj.loss, 5),
            mode="lines",
            name=t("home.fig.full_loss", lang),
            line={"color": LINE_COLOR, "width": 3},
            hovertemplate="%{x}: %{y:.4f}<extra></extra>",
            **axes,
        ),
    ]


def _loss_point(traj: linreg.Trajectory, index: int) -> dict:
    """The marker of step ``index + 1``: its mini-batch loss (phase ② of that step)."""
    index = int(np.clip(index, 0, traj.steps - 1))
    return {"x": [index + 1], "y": [round(float(traj.batch_loss[index]), 5)]}


def _loss_dynamic(traj: linreg.Trajectory, step: int, lang: str, **axes):
    return [
        go.Scatter(
            **_loss_point(traj, step),
            mode="markers",
            name=t("home.fig.current", lang),
            showlegend=False,
            cliponaxis=False,
            marker={
                "size": 14,
                "color": "white",
                "line": {"color": "black", "width": 3},
            },
            hovertemplate="%{x}: %{y:.4f}<extra></extra>",
            **axes,
        )
    ]


def _loss_values(traj: linreg.Trajectory) -> list[np.ndarray]:
    """What the log axis must show: every full-data loss, and the mini-batch
    losses down to a quarter of the smallest full-data loss (a one-sample
    batch loss can be ~0, which would stretch the axis over many decades)."""
    full = traj.loss[np.isfinite(traj.loss) & (traj.loss > 0)]
    batch = traj.batch_loss[np.isfinite(traj.batch_loss)]
    if not len(full):
        return [full, batch]
    return [full, np.maximum(batch, float(full.min()) / 4.0)]


def loss_figure(
    traj: linreg.Trajectory, step: int, *, lang: str = "en", height: int = theme.HEIGHT
) -> go.Figure:
    """(c) The loss on the full data and on each step's mini-batch, per step
    (log scale), with step ``step + 1`` (``step`` is 0-based) marked."""
    fig = go.Figure([*_loss_static(traj, lang), *_loss_dynamic(traj, step, lang)])
    theme.log_axis(fig, _loss_values(traj))
    fig.update_xaxes(range=[-0.5, traj.steps + 0.5])
    fig = theme.styled(
        fig,
        title=t("home.fig.loss", lang),
        height=height,
        x_title=t("common.step", lang),
        y_title=t("home.fig.loss_log", lang),
    )
    return fig.update_layout(legend={**BELOW_LEGEND, "y": -0.25})


def _frame_label(traj: linreg.Trajectory, index: int, lang: str) -> str:
    """The label of step ``index + 1``, with the numbers of phases ① and ②."""
    return t(
        "home.fig.anim_title",
        lang,
        step=index + 1,
        steps=traj.steps,
        w=float(traj.w[index]),
        b=float(traj.b[index]),
        loss=float(traj.batch_loss[index]),
    )


def _arrow_trace(traj: linreg.Trajectory, step: int, **axes) -> dict:
    """The update −η·∇L as a line with an arrowhead marker (a trace, so it animates)."""
    if step >= traj.steps:
        return {"x": [None, None], "y": [None, None], **axes}
    w, b = float(traj.w[step]), float(traj.b[step])
    tip = (
        w - traj.learning_rate * float(traj.dw[step]),
        b - traj.learning_rate * float(traj.db[step]),
    )
    return {"x": _r([w, tip[0]]), "y": _r([b, tip[1]]), **axes}


def animation_figure(
    data: linreg.Data,
    grid: linreg.Grid,
    traj: linreg.Trajectory,
    *,
    start_step: int = 0,
    frame_ms: int = 150,
    lang: str = "en",
    height: int = ANIMATION_HEIGHT,
) -> go.Figure:
    """(a) and (b) side by side above (c), animated in the browser: one frame per step,
    with ▶ / ❚❚ buttons and a step slider inside the figure (its label shows the
    step, w, b and the mini-batch loss). Frames are named and labelled by the
    step counted from 1, like the page's Step slider; ``start_step`` is the
    0-based index (the slider's value). Playing starts there and continues from
    where it was paused.

    Every trace is a scatter and frames hold only the x/y data of the moving
    ones (no layout), so frames apply with ``redraw=False``: smooth, no flicker.
    (plotly.js blanks a contour or heatmap for a moment on every redrawn frame,
    and drops it without redraws.) Hence the loss surface is drawn as nested
    filled ellipses and the update arrow is a trace, not an annotation.
    """
    optimum = linreg.least_squares(data.x, data.y)
    # Two plots above, the loss over the whole width below: on a phone's 390 px
    # three plots side by side were ~90 px wide each.
    fig = make_subplots(
        rows=2,
        cols=2,
        specs=[[{}, {}], [{"colspan": 2}, None]],
        row_heights=[0.6, 0.4],
        horizontal_spacing=0.12,
        vertical_spacing=0.15,
        subplot_titles=[
            t("home.fig.fit_short", lang),
            t("home.fig.surface", lang),
            t("home.fig.loss", lang),
        ],
    )
    for annotation in fig.layout.annotations:
        annotation.font = {"size": theme.FONT_SIZE, "color": theme.TEXT_COLOR}
    fit_static, _ = _fit_traces(data, traj, 0, lang)
    surface = _surface_static(grid, optimum, lang, xaxis="x2", yaxis="y2")[1:]
    statics = [
        *fit_static,
        *_ellipse_surface(data, grid, lang, xaxis="x2", yaxis="y2"),
        *surface,  # the minimum and the arrow's legend key
        *_loss_static(traj, lang, xaxis="x3", yaxis="y3"),
    ]
    for trace in statics[2:-2]:  # the data, the fit and the two loss curves
        trace.showlegend = False
    start = int(np.clip(start_step, 0, traj.steps - 1))
    arrow = go.Scatter(
        **_arrow_trace(traj, start, xaxis="x2", yaxis="y2"),
        mode="lines+markers",
        line={"color": ARROW_COLOR, "width": 3},
        hoverinfo="skip",
        showlegend=False,
        marker={
            "symbol": "arrow",
            "size": [0, 16],
            "angleref": "previous",
            "color": ARROW_COLOR,
        },
    )
    moving_traces = [
        *_fit_dynamic(data, traj, start, lang),
        *_surface_dynamic(traj, start, lang, xaxis="x2", yaxis="y2"),
        arrow,
        *_loss_dynamic(traj, start, lang, xaxis="x3", yaxis="y3"),
    ]
    for trace in moving_traces[2:]:
        trace.showlegend = False
    fig.add_traces([*statics, *moving_traces])
    moving = list(range(len(statics), len(statics) + len(moving_traces)))

    x_range, y_range = _fit_ranges(data)
    w, b = _r(traj.w), _r(traj.b)

    def frame(index: int) -> dict:
        """Step ``index + 1``: only the x and y of the moving traces (small JSON,
        no full redraw)."""
        batch = traj.batches[index]
        xy = [
            {"x": _r(data.x[batch]), "y": _r(data.y[batch])},
            dict(
                zip("xy", _line(float(w[index]), float(b[index]), x_range), strict=True)
            ),
            {"x": w[: index + 1], "y": b[: index + 1]},
            {"x": [w[index]], "y": [b[index]]},
            _arrow_trace(traj, index),
            _loss_point(traj, index),
        ]
        return {
            "name": names[index],
            "data": [{"type": "scatter", **d} for d in xy],
            "traces": moving,
        }

    names = [str(index + 1) for index in range(traj.steps)]  # step 1 … N
    frames = [frame(index) for index in range(traj.steps)]
    fig.update_xaxes(range=x_range, title_text="x", row=1, col=1)
    fig.update_yaxes(range=y_range, title_text="y", row=1, col=1)
    fig.update_xaxes(
        range=[grid.w[0], grid.w[-1]], title_text="w", constrain="domain", row=1, col=2
    )
    fig.update_yaxes(
        range=[grid.b[0], grid.b[-1]], title_text="b", scaleanchor="x2", row=1, col=2
    )
    fig.update_xaxes(
        range=[-0.5, traj.steps + 0.5], title_text=t("common.step", lang), row=2, col=1
    )
    theme.log_axis(fig, _loss_values(traj), row=2, col=1)
    still = {"duration": 0, "redraw": False}  # scatter traces only: no full redraw
    play = {
        "frame": {"duration": frame_ms, "redraw": False},
        "fromcurrent": True,
        "transition": {"duration": 0},
        "mode": "immediate",
    }
    fig = theme.styled(fig, height=height)
    fig.update_layout(
        # above the plots, where a phone wraps it onto more rows
        legend={**BELOW_LEGEND, "y": 1.07, "yanchor": "bottom"},
        margin={"t": 90, "b": 215},
        updatemenus=[
            {
                "type": "buttons",
                "direction": "left",
                "x": 0.0,
                "y": -0.12,
                "xanchor": "left",
                "yanchor": "top",
                "pad": {"t": 10, "r": 10},
                "showactive": False,
                "font": {"size": theme.FONT_SIZE},
                "buttons": [
                    {
                        "label": t("home.fig.play", lang),
                        "method": "animate",
                        "args": [
                            names[start:] if start < len(names) - 1 else names,
                            play,
                        ],
                    },
                    {
                        "label": t("home.fig.pause", lang),
                        "method": "animate",
                        "args": [[None], {"frame": still, "mode": "immediate"}],
                    },
                ],
            }
        ],
        sliders=[
            {
                "active": start,
                "x": 0.0,
                "len": 1.0,
                "y": -0.2,
                "yanchor": "top",
                "pad": {"t": 10},
                "font": {"color": "rgba(0,0,0,0)"},  # no tick labels
                "currentvalue": {  # three short lines: they fit a phone
                    "prefix": "",
                    "font": {"size": theme.FONT_SIZE, "color": theme.TEXT_COLOR},
                },
                "steps": [
                    {
                        "label": _frame_label(traj, s, lang),
                        "method": "animate",
                        "args": [
                            [names[s]],
                            {
                                "frame": still,
                                "mode": "immediate",
                                "transition": {"duration": 0},
                            },
                        ],
                    }
                    for s in range(traj.steps)
                ],
            }
        ],
    )
    # The frames were built from validated pieces; skip plotly's slow re-validation.
    return go.Figure({**fig.to_dict(), "frames": frames}, _validate=False)
