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

from collections.abc import Collection, Mapping
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
    positive,
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
    step_length_figure,
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
    dashed: Collection[str] = (),
    lang: str = "en",
    height: int = theme.TALL_HEIGHT,
) -> go.Figure:
    """Contour of ``landscape`` (log-spaced levels), its minima, and the paths.

    Args:
        landscape: A key of ``landscapes.LANDSCAPES``.
        runs: Legend name → ``Trajectory`` or (n, 2) path.
        landscape_params: e.g. ``{"condition_number": 50}``.
        num: Grid resolution per axis.
        dashed: Names of runs drawn dashed (a reference path that another
            one may run on top of).
    """
    land = landscapes.get_landscape(landscape)
    xs, ys, z = landscapes.grid(landscape, num, **dict(landscape_params or {}))
    fig = go.Figure()
    _log_contour(fig, xs, ys, z, lang=lang, showscale=False)
    _add_points(fig, land.points, land.x_range, land.y_range, lang=lang)
    _add_paths(fig, dict(runs or {}), lang=lang, dashed=dashed)
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


#: Frame strides: every frame sits on a round step.
_STRIDES = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)


def frame_steps(last: int, max_frames: int = 101) -> np.ndarray:
    """The steps an animation shows: 0, s, 2s, … and always ``last`` itself,
    with the smallest round stride ``s`` that keeps to ``max_frames`` frames.

    >>> frame_steps(200).tolist()[:4], len(frame_steps(200))
    ([0, 2, 4, 6], 101)
    >>> frame_steps(37, 10).tolist()
    [0, 5, 10, 15, 20, 25, 30, 35, 37]
    """
    last = max(int(last), 0)

    def count(stride: int) -> int:  # 0, s, 2s, … ≤ last, plus last if off-grid
        return last // stride + 1 + (last % stride != 0)

    stride = next((s for s in _STRIDES if count(s) <= max_frames), _STRIDES[-1])
    return np.unique(np.append(np.arange(0, last + 1, stride), last))


def animation_figure(
    landscape: str,
    runs: Mapping[str, Any],
    *,
    landscape_params: Mapping[str, float] | None = None,
    max_frames: int = 101,
    frame_ms: int = 60,
    num: int = 101,
    click_grid: int = 0,
    lang: str = "en",
    height: int = theme.TALL_HEIGHT,
) -> go.Figure:
    """The paths drawn step by step: play/pause buttons and a step slider.

    The figure opens on the finished paths (slider at the last step); *Play*
    redraws them from step 0. All runs advance together; a run that stopped
    early (diverged) keeps its last point. At most ``max_frames`` frames, at
    round steps (:func:`frame_steps`); frame ``k`` shows the paths after
    ``k`` updates (step 1 is the first update, 0 the start). The slider reads
    "step k of n" for the frame shown, its ticks carry no numbers (Plotly
    labels every few ticks, which never lands on the last step).
    ``click_grid > 0`` adds an invisible grid of clickable points (see
    :func:`_click_grid`).
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
    steps = frame_steps(longest - 1, max_frames)
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
                # In pixels under the plot, past the x ticks and title on
                # any screen (a fraction of the plot's height was not); the
                # slider's read-out shares this row, its track runs below.
                "y": 0.0,
                "pad": {"t": 58},
                "xanchor": "left",
                "yanchor": "top",
                "showactive": False,
                "font": {"size": theme.FONT_SIZE, "color": theme.TEXT_COLOR},
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
                "x": 0.0,
                "len": 1.0,
                "y": 0.0,
                "pad": {"t": 62},
                "yanchor": "top",
                "currentvalue": {
                    "prefix": t("opt.step_prefix", lang),
                    "suffix": t("opt.step_suffix", lang, n=int(steps[-1])),
                    "xanchor": "right",
                    "font": {"size": theme.FONT_SIZE, "color": theme.TEXT_COLOR},
                },
                # No tick numbers (see above): the read-out names the step.
                "font": {"size": theme.FONT_SIZE, "color": "rgba(0,0,0,0)"},
                "ticklen": 0,
                "minorticklen": 0,
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
    fig.update_layout(margin={"b": 170})
    return _legend(fig, "top")


def loss_figure(
    runs: Mapping[str, Any],
    *,
    log_y: bool | None = None,
    lang: str = "en",
    height: int = theme.HEIGHT,
) -> go.Figure:
    """Loss against step for each run: a log y axis with full-value labels,
    unless a loss is negative (the saddle). A loss of exactly 0 is a gap with
    a note (a log axis cannot show it)."""
    series = {name: _series(run, "losses") for name, run in runs.items()}
    if log_y is None:
        log_y = all(np.nanmin(v) >= 0 for v in series.values() if v.size)
    return _lines_figure(
        series,
        title=t("opt.fig.loss", lang),
        y_title=t("opt.axis.loss", lang),
        log_y=log_y,
        height=height,
        x_title=t("opt.axis.step", lang),
        lang=lang,
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
    drawn dashed in the run's colour, as a wide pale band *under* the
    measured line, so theory and measurement both show where they coincide.
    """
    series = {name: _series(run, "distances") for name, run in runs.items()}
    fig = _lines_figure(
        series,
        title=t("opt.fig.distance", lang),
        y_title=t("opt.axis.distance", lang),
        log_y=True,
        height=height,
        x_title=t("opt.axis.step", lang),
        lang=lang,
    )
    theory = []
    for i, (name, values) in enumerate(series.items()):
        rate = (predicted or {}).get(name)
        if rate is None or not len(values):
            continue
        steps = np.arange(len(values))
        theory.append(
            go.Scatter(
                x=steps,
                y=positive(values[0] * float(rate) ** steps)[0],
                mode="lines",
                name=t("opt.predicted", lang, name=name),
                line={"color": theme.color(i), "width": 7, "dash": "dash"},
                opacity=0.45,
            )
        )
    if theory:
        fig = go.Figure(data=[*theory, *fig.data], layout=fig.layout)  # theory under
        theme.log_axis(fig, [trace.y for trace in fig.data])
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
    readable = {
        "tickfont": {"size": theme.FONT_SIZE, "color": theme.TEXT_COLOR},
        "title": {"font": {"size": theme.FONT_SIZE, "color": theme.TEXT_COLOR}},
    }
    fig.update_layout(
        scene={
            f"{axis}axis": {**readable, "title": {**readable["title"], "text": text}}
            for axis, text in (("x", "x"), ("y", "y"), ("z", "f"))
        },
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
    "frame_steps",
    "loss_figure",
    "minibatch_figure",
    "minibatch_loss_figure",
    "momentum_theory_figure",
    "race_figure",
    "race_label",
    "race_table",
    "schedule_figure",
    "step_length_figure",
    "surface_figure",
    "theory_table",
]
