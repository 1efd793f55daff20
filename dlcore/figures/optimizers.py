"""Figures of the Optimizers topic: landscapes, paths, rates, schedules, races.

Every builder takes plain arrays or :class:`dlcore.optimizers.Trajectory`
objects (``runs`` map a legend name to either) and returns a ``go.Figure``.
The landscape maps are here; the lessons' figures (schedules, clipping, batch
size, momentum theory, the race) are in :mod:`dlcore.figures.optimizers_lessons`
and importable from here too.

>>> import numpy as np
>>> fig = contour_figure("quadratic", {"sgd": np.array([[-4.0, 2.0], [-3.0, 1.0]])})
>>> [trace.type for trace in fig.data]
['contour', 'scatter', 'scatter', 'scatter']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import plotly.graph_objects as go

from dlcore.figures import theme
from dlcore.figures.optimizers_base import (
    CONTOUR_SCALE,
    _add_paths,
    _add_points,
    _legend,
    _lines_figure,
    _log_contour,
    _path,
    _series,
)
from dlcore.figures.optimizers_lessons import (
    batch_label,
    clipping_figure,
    minibatch_figure,
    minibatch_loss_figure,
    momentum_theory_figure,
    race_figure,
    race_label,
    race_table,
    schedule_figure,
    theory_table,
)
from dlcore.i18n import t
from dlcore.optimizers import landscapes


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
            marker={
                "symbol": "circle-open",
                "size": 14,
                "color": "#1f2933",
                "line": {"width": 2.5},
            },
            hoverinfo="skip",
        )
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
            (path[:, 0] < xs[0])
            | (path[:, 0] > xs[-1])
            | (path[:, 1] < ys[0])
            | (path[:, 1] > ys[-1])
        )
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


__all__ = [
    "CONTOUR_SCALE",
    "animation_figure",
    "batch_label",
    "clipping_figure",
    "contour_figure",
    "distance_figure",
    "loss_figure",
    "minibatch_figure",
    "minibatch_loss_figure",
    "momentum_theory_figure",
    "race_figure",
    "race_label",
    "race_table",
    "schedule_figure",
    "surface_figure",
    "theory_table",
]
