"""Figures of the Optimizers topic: landscapes, paths, rates, schedules, races.

Every builder takes plain arrays or :class:`dlcore.optimizers.Trajectory`
objects (``runs`` map a legend name to either) and returns a ``go.Figure``.

>>> import numpy as np
>>> fig = contour_figure("quadratic", {"sgd": np.array([[-4.0, 2.0], [-3.0, 1.0]])})
>>> [trace.type for trace in fig.data]
['contour', 'scatter', 'scatter', 'scatter']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dlcore import landscapes
from dlcore.figures import theme
from dlcore.i18n import t

#: A light contour scale: paths in the categorical colours stay readable on it.
CONTOUR_SCALE = [[0.0, "#ffffff"], [0.5, "#d9e2ec"], [1.0, "#7b8794"]]
_POINT_MARKERS = {
    "global": {"symbol": "star", "size": 16, "color": "#f2c12e"},
    "local": {"symbol": "diamond", "size": 8, "color": "#52606d"},
    "saddle": {"symbol": "x", "size": 11, "color": "#52606d"},
    "maximum": {"symbol": "triangle-up", "size": 10, "color": "#52606d"},
}


def _path(run: Any) -> np.ndarray:
    return np.asarray(getattr(run, "path", run), np.float64).reshape(-1, 2)


def _series(run: Any, attribute: str) -> np.ndarray:
    return np.asarray(getattr(run, attribute, run), np.float64).reshape(-1)


def _legend(fig: go.Figure, where: str) -> go.Figure:
    """Keep the legend off the title, from a projector down to a phone.

    ``"top"``: the title becomes the legend's own title, and the legend rows
    sit between it and the plot (a layout title would overlap them once they
    wrap). ``"below"``: rows under the x axis. Either way Plotly grows the
    margin to fit however many rows the legend wraps into.
    """
    if where == "top":
        title = fig.layout.title.text
        fig.update_layout(
            title=None,
            margin={"t": 30},
            legend={"orientation": "h", "x": 0.0, "xanchor": "left", "y": 1.0,
                    "yanchor": "bottom",
                    "title": {"text": f"<b>{title}</b>", "side": "top",
                              "font": {"size": theme.FONT_SIZE + 2,
                                       "color": "#31333f"}}},
        )  # fmt: skip
    else:
        fig.update_layout(
            legend={"orientation": "h", "x": 0.0, "xanchor": "left", "y": -0.22,
                    "yanchor": "top"}
        )  # fmt: skip
    return fig


def _log_contour(
    fig: go.Figure,
    xs: np.ndarray,
    ys: np.ndarray,
    z: np.ndarray,
    *,
    lang: str,
    num_levels: int = 16,
    showscale: bool = True,
    row: int | None = None,
    col: int | None = None,
) -> None:
    """A contour whose levels are log-spaced above the lowest value."""
    levels = landscapes.log_levels(z, num=num_levels)
    low = float(np.nanmin(z))
    exponents = np.log10(levels - low)
    shown = np.log10(np.maximum(np.nan_to_num(z - low, nan=0.0), levels[0] - low))
    ticks = exponents[:: max(1, num_levels // 5)]
    fig.add_trace(
        go.Contour(
            x=xs,
            y=ys,
            z=shown,
            customdata=z,
            contours={
                "start": exponents[0],
                "end": exponents[-1],
                "size": (exponents[-1] - exponents[0]) / (num_levels - 1),
            },
            colorscale=CONTOUR_SCALE,
            line={"width": 0.8, "color": "#9aa5b1"},
            showscale=showscale,
            colorbar={
                "title": {"text": t("opt.axis.loss_log", lang), "side": "right"},
                "tickvals": ticks.tolist(),
                "ticktext": [f"{v:.3g}" for v in (low + 10**ticks)],
                "thickness": 12,
            },
            hovertemplate="x=%{x:.3f}<br>y=%{y:.3f}<br>f=%{customdata:.4g}"
            "<extra></extra>",
            showlegend=False,
        ),
        row=row,
        col=col,
    )


def _add_points(
    fig: go.Figure,
    points: Any,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    *,
    lang: str,
    row: int | None = None,
    col: int | None = None,
) -> None:
    """Mark critical points (one legend entry per kind) inside the window."""
    for kind, marker in _POINT_MARKERS.items():
        inside = [
            p
            for p in points
            if p.kind == kind
            and x_range[0] <= p.point[0] <= x_range[1]
            and y_range[0] <= p.point[1] <= y_range[1]
        ]
        if not inside:
            continue
        fig.add_trace(
            go.Scatter(
                x=[p.point[0] for p in inside],
                y=[p.point[1] for p in inside],
                customdata=[p.value for p in inside],
                mode="markers",
                name=t(f"opt.point.{kind}", lang),
                marker={**marker, "line": {"width": 1, "color": "#1f2933"}},
                hovertemplate="(%{x:.4f}, %{y:.4f})<br>f=%{customdata:.4g}"
                "<extra></extra>",
            ),
            row=row,
            col=col,
        )


def _add_paths(
    fig: go.Figure,
    runs: Mapping[str, Any],
    *,
    lang: str,
    row: int | None = None,
    col: int | None = None,
) -> None:
    """One line per run (legend name = key), a circle at its start."""
    for i, (name, run) in enumerate(runs.items()):
        path = _path(run)
        fig.add_trace(
            go.Scatter(
                x=path[:, 0],
                y=path[:, 1],
                mode="lines+markers",
                name=name,
                legendgroup=name,
                line={"color": theme.color(i), "width": 2},
                marker={"size": 4, "color": theme.color(i)},
                hovertemplate=f"{name}<br>" + "t=%{pointNumber}<br>(%{x:.3f}, %{y:.3f})"
                "<extra></extra>",
            ),
            row=row,
            col=col,
        )
    if runs:
        starts = np.array([_path(run)[0] for run in runs.values()])
        fig.add_trace(
            go.Scatter(
                x=starts[:, 0],
                y=starts[:, 1],
                mode="markers",
                name=t("opt.start", lang),
                marker={
                    "symbol": "circle-open",
                    "size": 12,
                    "color": "#1f2933",
                    "line": {"width": 2},
                },
                hoverinfo="skip",
            ),
            row=row,
            col=col,
        )


def contour_figure(
    landscape: str,
    runs: Mapping[str, Any] | None = None,
    *,
    landscape_params: Mapping[str, float] | None = None,
    num: int = 121,
    lang: str = "en",
    height: int = theme.TALL_HEIGHT,
) -> go.Figure:
    """Contour of ``landscape`` (log-spaced levels), its minima, and the paths.

    Args:
        landscape: A key of ``landscapes.LANDSCAPES``.
        runs: Legend name → ``Trajectory`` or (n, 2) path.
        landscape_params: e.g. ``{"condition_number": 50}``.
        num: Grid resolution per axis.
    """
    land = landscapes.get_landscape(landscape)
    xs, ys, z = landscapes.grid(landscape, num, **dict(landscape_params or {}))
    fig = go.Figure()
    _log_contour(fig, xs, ys, z, lang=lang, showscale=False)
    _add_points(fig, land.points, land.x_range, land.y_range, lang=lang)
    _add_paths(fig, dict(runs or {}), lang=lang)
    fig.update_xaxes(range=list(land.x_range))
    fig.update_yaxes(range=list(land.y_range))
    title = t("opt.fig.contour", lang, landscape=t(f"opt.land.{landscape}", lang))
    fig = theme.styled(fig, title=title, height=height, x_title="x", y_title="y")
    return _legend(fig, "top")


def _click_grid(
    fig: go.Figure,
    landscape: str,
    num: int,
    params: Mapping[str, float],
    *,
    lang: str,
) -> None:
    """Invisible points on a ``num × num`` grid: a click on one selects it (the
    page then starts the runs there). They also carry the hover text."""
    land = landscapes.get_landscape(landscape)
    xs = np.linspace(*land.x_range, num, dtype=np.float32)
    ys = np.linspace(*land.y_range, num, dtype=np.float32)
    xx, yy = np.meshgrid(xs, ys)
    values = landscapes.evaluate(landscape, xx, yy, **params).ravel()
    fig.add_scatter(
        x=xx.ravel(),
        y=yy.ravel(),
        customdata=values,
        mode="markers",
        name=t("opt.pick", lang),
        showlegend=False,
        marker={"size": 14, "color": "rgba(0,0,0,0)"},
        hovertemplate="(%{x:.2f}, %{y:.2f})<br>f=%{customdata:.4g}<br>"
        + t("opt.pick", lang)
        + "<extra></extra>",
        selected={"marker": {"opacity": 0}},
        unselected={"marker": {"opacity": 0}},
    )


def animation_figure(
    landscape: str,
    runs: Mapping[str, Any],
    *,
    landscape_params: Mapping[str, float] | None = None,
    max_frames: int = 80,
    frame_ms: int = 60,
    num: int = 101,
    click_grid: int = 0,
    lang: str = "en",
    height: int = theme.TALL_HEIGHT,
) -> go.Figure:
    """The paths drawn step by step: play/pause buttons and a step slider.

    The figure opens on the finished paths (slider at the last step); *Play*
    redraws them from step 0. All runs advance together; a run that stopped
    early (diverged) keeps its last point. At most ``max_frames`` frames
    (evenly spaced steps). ``click_grid > 0`` adds an invisible grid of
    clickable points (see :func:`_click_grid`).
    """
    land = landscapes.get_landscape(landscape)
    params = dict(landscape_params or {})
    xs, ys, z = landscapes.grid(landscape, num, **params)
    paths = {name: _path(run).astype(np.float32) for name, run in runs.items()}
    fig = go.Figure()
    _log_contour(fig, xs, ys, z, lang=lang, showscale=False)
    _add_points(fig, land.points, land.x_range, land.y_range, lang=lang)
    first = len(fig.data)
    for i, (name, path) in enumerate(paths.items()):
        color = theme.color(i)
        fig.add_scatter(
            x=path[:, 0],
            y=path[:, 1],
            mode="lines+markers",
            name=name,
            legendgroup=name,
            line={"color": color, "width": 2.5},
            marker={"size": 4, "color": color},
            hovertemplate=f"{name}<br>t=%{{pointNumber}}<br>(%{{x:.3f}}, %{{y:.3f}})"
            "<extra></extra>",
        )
        fig.add_scatter(
            x=path[-1:, 0],
            y=path[-1:, 1],
            mode="markers",
            legendgroup=name,
            showlegend=False,
            hoverinfo="skip",
            marker={"color": color, "size": 12, "line": {"width": 2, "color": "white"}},
        )
    if paths:
        start = next(iter(paths.values()))[0]
        fig.add_scatter(
            x=[start[0]],
            y=[start[1]],
            mode="markers",
            name=t("opt.start", lang),
            marker={"symbol": "circle-open", "size": 14, "color": "#1f2933",
                    "line": {"width": 2.5}},
            hoverinfo="skip",
        )  # fmt: skip
    if click_grid:
        _click_grid(fig, landscape, click_grid, params, lang=lang)
    longest = max((len(p) for p in paths.values()), default=1)
    steps = np.unique(
        np.linspace(0, longest - 1, min(max_frames, longest)).round().astype(int)
    )
    # Frames as plain dicts of float32 arrays: validating thousands of
    # go.Scatter objects would take a second; float32 halves the payload.
    frames = []
    for k in steps:
        data = []
        for path in paths.values():
            upto = path[: k + 1]
            data.append({"type": "scatter", "x": upto[:, 0], "y": upto[:, 1]})
            data.append({"type": "scatter", "x": upto[-1:, 0], "y": upto[-1:, 1]})
        frames.append(
            {
                "data": data,
                "traces": list(range(first, first + 2 * len(paths))),
                "name": str(k),
            }
        )
    fig._validate = False  # trusted frames, built just above
    fig.frames = frames
    fig._validate = True
    play = {
        "frame": {"duration": frame_ms, "redraw": True},
        "fromcurrent": True,
        "transition": {"duration": 0},
        "mode": "immediate",
    }
    pause = {
        "frame": {"duration": 0, "redraw": True},
        "mode": "immediate",
        "transition": {"duration": 0},
    }
    fig.update_layout(
        updatemenus=[
            {
                "type": "buttons",
                "direction": "left",
                "x": 0.0,
                "y": -0.12,
                "xanchor": "left",
                "yanchor": "top",
                "showactive": False,
                "buttons": [
                    {
                        "label": t("opt.play", lang),
                        "method": "animate",
                        "args": [None, play],
                    },
                    {
                        "label": t("opt.pause", lang),
                        "method": "animate",
                        "args": [[None], pause],
                    },
                ],
            }
        ],
        sliders=[
            {
                "active": len(steps) - 1,
                "x": 0.22,
                "len": 0.78,
                "y": -0.08,
                "yanchor": "top",
                "currentvalue": {
                    "prefix": t("opt.step_prefix", lang),
                    "xanchor": "right",
                },
                "steps": [
                    {"label": str(k), "method": "animate", "args": [[str(k)], pause]}
                    for k in steps
                ],
            }
        ],
    )
    fig.update_xaxes(range=list(land.x_range))
    fig.update_yaxes(range=list(land.y_range))
    title = t("opt.fig.contour", lang, landscape=t(f"opt.land.{landscape}", lang))
    fig = theme.styled(fig, title=title, height=height, x_title="x", y_title="y")
    fig.update_layout(margin={"b": 130})
    return _legend(fig, "top")


def _lines_figure(
    series: Mapping[str, np.ndarray],
    *,
    title: str,
    y_title: str,
    log_y: bool,
    height: int,
    x_title: str,
) -> go.Figure:
    fig = go.Figure()
    for i, (name, values) in enumerate(series.items()):
        fig.add_scatter(
            x=np.arange(len(values)),
            y=values,
            mode="lines",
            name=name,
            line={"color": theme.color(i), "width": 2},
        )
    fig.update_yaxes(type="log" if log_y else "linear", exponentformat="power")
    fig = theme.styled(
        fig, title=title, height=height, x_title=x_title, y_title=y_title
    )
    return _legend(fig, "below")


def loss_figure(
    runs: Mapping[str, Any],
    *,
    log_y: bool | None = None,
    lang: str = "en",
    height: int = theme.HEIGHT,
) -> go.Figure:
    """Loss against step for each run (log y unless a loss is ≤ 0, e.g. the saddle)."""
    series = {name: _series(run, "losses") for name, run in runs.items()}
    if log_y is None:
        log_y = all(np.nanmin(v) > 0 for v in series.values() if v.size)
    return _lines_figure(
        series,
        title=t("opt.fig.loss", lang),
        y_title=t("opt.axis.loss", lang),
        log_y=log_y,
        height=height,
        x_title=t("opt.axis.step", lang),
    )


def distance_figure(
    runs: Mapping[str, Any],
    *,
    predicted: Mapping[str, float] | None = None,
    lang: str = "en",
    height: int = theme.HEIGHT,
) -> go.Figure:
    """Distance to the nearest minimum against step (log y): straight lines are
    linear convergence, their slope the log of the rate.

    ``predicted`` maps a run's name to a rate ``r``: the line ``d₀·rᵗ`` is
    drawn dashed in the run's colour (theory next to measurement).
    """
    series = {
        name: np.maximum(_series(run, "distances"), 1e-30) for name, run in runs.items()
    }
    fig = _lines_figure(
        series,
        title=t("opt.fig.distance", lang),
        y_title=t("opt.axis.distance", lang),
        log_y=True,
        height=height,
        x_title=t("opt.axis.step", lang),
    )
    for i, (name, values) in enumerate(series.items()):
        rate = (predicted or {}).get(name)
        if rate is None or not len(values):
            continue
        steps = np.arange(len(values))
        fig.add_scatter(
            x=steps,
            y=np.maximum(values[0] * float(rate) ** steps, 1e-30),
            mode="lines",
            name=t("opt.predicted", lang, name=name),
            line={"color": theme.color(i), "width": 2, "dash": "dash"},
        )
    return fig


def surface_figure(
    landscape: str,
    runs: Mapping[str, Any] | None = None,
    *,
    landscape_params: Mapping[str, float] | None = None,
    num: int = 61,
    lang: str = "en",
    height: int = theme.TALL_HEIGHT,
) -> go.Figure:
    """The landscape as a 3-D surface with the paths drawn on it.

    Paths float slightly above the surface (so it does not hide them) and
    break where they leave the plotted window.
    """
    params = dict(landscape_params or {})
    xs, ys, z = landscapes.grid(landscape, num, **params)
    lift = 0.02 * float(np.nanmax(z) - np.nanmin(z))
    fig = go.Figure(
        go.Surface(
            x=xs,
            y=ys,
            z=z,
            colorscale=theme.SEQUENTIAL,
            opacity=0.85,
            showscale=False,
            hovertemplate="f=%{z:.4g}<extra></extra>",
        )
    )
    for i, (name, run) in enumerate(dict(runs or {}).items()):
        path = _path(run).copy()
        outside = (
            (path[:, 0] < xs[0]) | (path[:, 0] > xs[-1])
            | (path[:, 1] < ys[0]) | (path[:, 1] > ys[-1])
        )  # fmt: skip
        path[outside] = np.nan
        height_on_surface = landscapes.evaluate(
            landscape, path[:, 0], path[:, 1], **params
        )
        fig.add_scatter3d(
            x=path[:, 0],
            y=path[:, 1],
            z=height_on_surface + lift,
            mode="lines",
            name=name,
            line={"color": theme.color(i), "width": 6},
        )
    title = t("opt.fig.surface", lang, landscape=t(f"opt.land.{landscape}", lang))
    fig = theme.styled(fig, title=title, height=height)
    fig.update_layout(
        scene={"xaxis_title": "x", "yaxis_title": "y", "zaxis_title": "f"},
        margin={"l": 0, "r": 0, "b": 0},
    )
    return fig


def schedule_figure(
    schedules: Mapping[str, np.ndarray],
    *,
    log_y: bool = False,
    lang: str = "en",
    height: int = theme.HEIGHT,
) -> go.Figure:
    """Learning rate against step, one line per schedule (``schedule_values``)."""
    series = {name: np.asarray(v, np.float64) for name, v in schedules.items()}
    return _lines_figure(
        series,
        title=t("opt.fig.schedule", lang),
        y_title=t("opt.axis.lr", lang),
        log_y=log_y,
        height=height,
        x_title=t("opt.axis.step", lang),
    )


def clipping_figure(
    runs: Mapping[str, Any],
    *,
    bound: float | None = None,
    landscape: str = "cliff",
    lang: str = "en",
    height: int = theme.TALL_HEIGHT,
) -> go.Figure:
    """Paths with and without clipping on the cliff (left) and their step lengths
    (right, log y). ``bound`` (= η·c) draws the clipped step's upper limit."""
    land = landscapes.get_landscape(landscape)
    fig = make_subplots(
        rows=1, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.14
    )
    # Widen the window (up to 3×) so the unclipped jump off the wall stays visible.
    x_range, y_range = _window(land, runs.values(), grow=3.0)
    xs, ys, z = landscapes.grid(landscape, 121, x_range=x_range, y_range=y_range)
    _log_contour(fig, xs, ys, z, lang=lang, showscale=False, row=1, col=1)
    _add_points(fig, land.points, land.x_range, land.y_range, lang=lang, row=1, col=1)
    _add_paths(fig, runs, lang=lang, row=1, col=1)
    for i, (name, run) in enumerate(runs.items()):
        lengths = np.linalg.norm(np.diff(_path(run), axis=0), axis=1)
        fig.add_scatter(
            x=np.arange(1, len(lengths) + 1),
            y=np.maximum(lengths, 1e-12),
            mode="lines",
            name=name,
            legendgroup=name,
            showlegend=False,
            line={"color": theme.color(i), "width": 2},
            row=1,
            col=2,
        )
    if bound is not None:
        fig.add_hline(
            y=bound,
            line={"dash": "dash", "color": "#1f2933"},
            row=1,
            col=2,
            annotation_text=t("opt.clip.bound", lang, bound=bound),
            annotation_position="top right",
        )
    fig.update_xaxes(range=list(x_range), title_text="x", row=1, col=1)
    fig.update_yaxes(range=list(y_range), title_text="y", row=1, col=1)
    fig.update_xaxes(title_text=t("opt.axis.step", lang), row=1, col=2)
    fig.update_yaxes(
        type="log",
        exponentformat="power",
        dtick=1,
        title_text=t("opt.axis.step_length", lang),
        row=1,
        col=2,
    )
    fig = theme.styled(fig, title=t("opt.fig.clipping", lang), height=height)
    return _legend(fig, "below")


def _window(
    land: landscapes.Landscape, runs: Any, grow: float
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The landscape's plotting window, stretched to show the paths (at most
    ``grow`` times its size in each direction)."""
    ranges = []
    for axis, (low, high) in enumerate((land.x_range, land.y_range)):
        span = high - low
        values = [low, high]
        for run in runs:
            column = _path(run)[:, axis]
            values.extend(column[np.isfinite(column)].tolist())
        lo = max(min(values), low - (grow - 1) * span / 2)
        hi = min(max(values), high + (grow - 1) * span / 2)
        pad = 0.03 * (hi - lo) if (lo, hi) != (low, high) else 0.0
        ranges.append((lo - pad, hi + pad))
    return ranges[0], ranges[1]


def minibatch_figure(
    paths: Mapping[int, np.ndarray],
    data: Any = None,
    *,
    num: int = 101,
    lang: str = "en",
    height: int = theme.TALL_HEIGHT,
) -> go.Figure:
    """Mini-batch SGD paths (batch size → (w, b) path) on the regression's MSE."""
    from dlcore import optimizers

    data = data or optimizers.regression_data()
    ws, bs, z = optimizers.regression_grid(data, num)
    fig = go.Figure()
    _log_contour(fig, ws, bs, z, lang=lang, showscale=False)
    named = {batch_label(size, len(data.x), lang): p for size, p in paths.items()}
    _add_paths(fig, named, lang=lang)
    fig.add_scatter(
        x=[data.optimum[0]],
        y=[data.optimum[1]],
        mode="markers",
        name=t("opt.least_squares", lang),
        marker={**_POINT_MARKERS["global"], "line": {"width": 1, "color": "#1f2933"}},
    )
    fig.update_xaxes(range=list(data.w_range))
    fig.update_yaxes(range=list(data.b_range))
    fig = theme.styled(
        fig, title=t("opt.fig.minibatch", lang), height=height, x_title="w", y_title="b"
    )
    return _legend(fig, "top")


def batch_label(batch_size: int, num_samples: int, lang: str = "en") -> str:
    """Legend name of a mini-batch run (``"batch size 8"``, ``"full batch (64)"``)."""
    if int(batch_size) >= num_samples:
        return t("opt.full_batch", lang, n=num_samples)
    return t("opt.batch_size_n", lang, n=int(batch_size))


def minibatch_loss_figure(
    paths: Mapping[int, np.ndarray],
    data: Any = None,
    *,
    lang: str = "en",
    height: int = theme.HEIGHT,
) -> go.Figure:
    """Full-data MSE along each mini-batch path, minus the least-squares MSE
    (log y): small batches stall at a noise floor, the full batch does not."""
    from dlcore import optimizers

    data = data or optimizers.regression_data()
    best = float(optimizers.regression_loss(*data.optimum, data))
    series = {}
    for size, path in paths.items():
        path = np.asarray(path, np.float64)
        excess = optimizers.regression_loss(path[:, 0], path[:, 1], data) - best
        series[batch_label(size, len(data.x), lang)] = np.maximum(excess, 1e-12)
    return _lines_figure(
        series,
        title=t("opt.fig.minibatch_loss", lang),
        y_title=t("opt.axis.excess_loss", lang),
        log_y=True,
        height=height,
        x_title=t("opt.axis.step", lang),
    )


def momentum_theory_figure(
    table: pd.DataFrame, *, lang: str = "en", height: int = theme.HEIGHT
) -> go.Figure:
    """Predicted (lines) vs measured (markers) rates over κ (``momentum_theory``)."""
    fig = go.Figure()
    kappa = table["condition_number"]
    for i, method in enumerate(("gd", "momentum")):
        color = theme.color(i)
        fig.add_scatter(
            x=kappa,
            y=table[f"{method}_predicted"],
            mode="lines",
            name=t(f"opt.theory.{method}_predicted", lang),
            line={"color": color, "width": 2},
        )
        fig.add_scatter(
            x=kappa,
            y=table[f"{method}_observed"],
            mode="markers",
            name=t(f"opt.theory.{method}_observed", lang),
            marker={
                "color": color,
                "size": 10,
                "symbol": "circle-open",
                "line": {"width": 2},
            },
        )
    fig.update_xaxes(
        type="log", tickvals=list(kappa), ticktext=[f"{k:g}" for k in kappa]
    )
    fig.update_yaxes(range=[0, 1.02])
    fig = theme.styled(
        fig,
        title=t("opt.fig.theory", lang),
        height=height,
        x_title=t("opt.axis.kappa", lang),
        y_title=t("opt.axis.rate", lang),
    )
    # Four long entries: inside the plot, bottom right, where the curves are not.
    fig.update_layout(
        legend={
            "orientation": "v",
            "x": 0.99,
            "xanchor": "right",
            "y": 0.02,
            "yanchor": "bottom",
            "bgcolor": "rgba(255,255,255,0.8)",
        }
    )
    return fig


def race_figure(
    history: pd.DataFrame,
    *,
    dataset: str = "digits",
    epochs: int | None = None,
    lang: str = "en",
    height: int = theme.HEIGHT,
) -> go.Figure:
    """Training loss (log) and validation accuracy per epoch, one colour per run.

    ``history`` is ``train_race(...).history`` (or progress events so far,
    with ``epoch`` and ``run`` columns); ``epochs`` fixes the x range.
    """
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.14)
    frame = history.reset_index() if "epoch" not in history.columns else history
    runs = list(dict.fromkeys(frame["run"])) if "run" in frame else []
    for i, run in enumerate(runs):
        part = frame[frame["run"] == run]
        style = {"color": theme.color(i), "width": 2}
        fig.add_scatter(
            x=part["epoch"],
            y=part["loss"],
            mode="lines+markers",
            name=race_label(run, lang),
            legendgroup=run,
            line=style,
            row=1,
            col=1,
        )
        if "val_accuracy" in part:
            fig.add_scatter(
                x=part["epoch"],
                y=part["val_accuracy"],
                mode="lines+markers",
                name=race_label(run, lang),
                legendgroup=run,
                showlegend=False,
                line=style,
                row=1,
                col=2,
            )
    x_range = [0.5, epochs + 0.5] if epochs else None
    fig.update_xaxes(title_text=t("opt.axis.epoch", lang), range=x_range)
    fig.update_yaxes(
        type="log",
        exponentformat="power",
        title_text=t("opt.axis.train_loss", lang),
        row=1,
        col=1,
    )
    fig.update_yaxes(
        range=[0, 1.02], title_text=t("opt.axis.val_accuracy", lang), row=1, col=2
    )
    title = t("opt.fig.race", lang, dataset=t(f"opt.dataset.{dataset}", lang))
    return _legend(theme.styled(fig, title=title, height=height), "below")


def race_label(run_name: str, lang: str = "en") -> str:
    """A race run's legend name in ``lang`` (``"adam (lr=0.01)"`` → ``"Adam (η = 0.01)"``).

    >>> race_label("momentum (lr=0.1)")
    'SGD + momentum (η = 0.1)'
    """
    name, _, rest = run_name.partition(" (lr=")
    label = t(f"opt.name.{name}", lang)
    return f"{label} (η = {rest.rstrip(')')})" if rest else label


def race_table(metrics: Mapping[str, float], lang: str = "en") -> pd.DataFrame:
    """Final training loss and validation accuracy per run of a race, for display.

    >>> race_table({"sgd/loss": 0.5, "sgd/val_accuracy": 0.9}).shape
    (1, 3)
    """
    runs = list(dict.fromkeys(key.rpartition("/")[0] for key in metrics))
    return pd.DataFrame(
        {
            t("opt.race.optimizer", lang): [race_label(run, lang) for run in runs],
            t("opt.axis.train_loss", lang): [metrics.get(f"{r}/loss") for r in runs],
            t("opt.axis.val_accuracy", lang): [
                metrics.get(f"{r}/val_accuracy") for r in runs
            ],
        }
    )


def theory_table(
    condition_number: float, runs: Mapping[str, Any], lang: str = "en"
) -> pd.DataFrame:
    """Goh's optimal settings and rates for κ next to the rates measured on
    ``runs`` (``optimal_runs(κ)``): one column per method.

    >>> from dlcore import optimizers
    >>> table = theory_table(9.0, optimizers.optimal_runs(9.0, steps=40))
    >>> table.shape
    (4, 2)
    """
    from dlcore import optimizers

    gd_lr, gd_rate = optimizers.gd_optimal(condition_number)
    hb_lr, beta, hb_rate = optimizers.heavy_ball_optimal(condition_number)
    columns = {"gd": (gd_lr, 0.0, gd_rate), "momentum": (hb_lr, beta, hb_rate)}
    rows = ["opt.hp.learning_rate", "opt.hp.momentum", "opt.theory.predicted"]
    return pd.DataFrame(
        {
            t(f"opt.theory.{method}", lang): [
                *values,
                optimizers.observed_rate(runs[method].distances),
            ]
            for method, values in columns.items()
        },
        index=[t(key, lang) for key in [*rows, "opt.theory.observed"]],
    )
