"""Building blocks of the Optimizers figures: log-spaced contours, critical
points, paths, step-indexed lines and legends that stay off the title.

Shared by :mod:`dlcore.figures.optimizers` (the landscape maps) and
:mod:`dlcore.figures.optimizers_lessons` (schedules, clipping, batch size,
momentum theory and the race).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import numpy as np
import plotly.graph_objects as go

from dlcore.figures import theme
from dlcore.i18n import t
from dlcore.optimizers import landscapes

#: The contour fill, white at the minimum to a light blue-grey: light enough
#: that the paths in the categorical colours stand out everywhere (the old
#: scale ended in a mid grey on which the blue path almost vanished).
CONTOUR_SCALE = [[0.0, "#ffffff"], [0.5, "#e4eaf1"], [1.0, "#c2cfdc"]]
#: The level lines: dark, so each level reads on every fill (≥ 3:1 contrast).
CONTOUR_LINE = "#52606d"
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
            legend={
                "orientation": "h",
                "x": 0.0,
                "xanchor": "left",
                "y": 1.0,
                "yanchor": "bottom",
                "title": {
                    "text": f"<b>{title}</b>",
                    "side": "top",
                    "font": {"size": theme.FONT_SIZE + 2, "color": "#31333f"},
                },
            },
        )
    else:
        fig.update_layout(
            legend={
                "orientation": "h",
                "x": 0.0,
                "xanchor": "left",
                "y": -0.22,
                "yanchor": "top",
            }
        )
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
            line={"width": 1, "color": CONTOUR_LINE},
            showscale=showscale,
            colorbar={
                "title": {"text": t("opt.axis.loss_log", lang), "side": "right"},
                "tickvals": ticks.tolist(),
                "ticktext": [theme.number_text(v) for v in (low + 10**ticks)],
                "thickness": 14,
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
    dashed: Collection[str] = (),
    row: int | None = None,
    col: int | None = None,
) -> None:
    """One line per run (legend name = key), a circle at its start. Runs
    named in ``dashed`` are drawn dashed, so a path that runs on top of
    another one still shows the one underneath."""
    for i, (name, run) in enumerate(runs.items()):
        path = _path(run)
        dash = "dash" if name in dashed else None
        fig.add_trace(
            go.Scatter(
                x=path[:, 0],
                y=path[:, 1],
                mode="lines+markers",
                name=name,
                legendgroup=name,
                line={
                    "color": theme.color(i),
                    "width": 2.5 if dash else 2,
                    "dash": dash,
                },
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


def positive(values: Any) -> tuple[np.ndarray, int | None]:
    """``values`` for a log axis: entries ≤ 0 become NaN (a gap, never a
    made-up floor), and the index of the first of them (or ``None``).

    >>> positive([1.0, 0.5, 0.0, 0.2])
    (array([1. , 0.5, nan, 0.2]), 2)
    """
    values = np.asarray(values, np.float64).reshape(-1)
    bad = np.isfinite(values) & (values <= 0)
    first = int(np.argmax(bad)) if bad.any() else None
    return np.where(bad, np.nan, values), first


def zero_note(
    fig: go.Figure,
    hits: Mapping[str, int],
    *,
    lang: str,
    row: int | None = None,
    col: int | None = None,
) -> None:
    """Say which series reached 0 (and when): a log axis cannot draw 0, so
    those points are a gap in the line, not a silent floor."""
    if not hits:
        return
    lines = [
        t("opt.log_zero", lang, name=name, step=step) for name, step in hits.items()
    ]
    fig.add_annotation(
        text="<br>".join(lines),
        xref="x domain",
        yref="y domain",
        x=0.99,
        y=0.98,
        xanchor="right",
        yanchor="top",
        showarrow=False,
        align="right",
        bgcolor="rgba(255,255,255,0.85)",
        font={"size": theme.FONT_SIZE, "color": theme.TEXT_COLOR},
        **({} if row is None else {"row": row, "col": col}),
    )


def _lines_figure(
    series: Mapping[str, np.ndarray],
    *,
    title: str,
    y_title: str,
    log_y: bool,
    height: int,
    x_title: str,
    lang: str,
    first_step: int = 0,
) -> go.Figure:
    """One line per series against the step (``first_step`` for the first
    value); on a log y axis (:func:`dlcore.figures.theme.log_axis`, full-value
    labels) values ≤ 0 are gaps and a note says which series reached 0."""
    fig = go.Figure()
    hits, drawn = {}, []
    for i, (name, values) in enumerate(series.items()):
        values = np.asarray(values, np.float64).reshape(-1)
        if log_y:
            values, first = positive(values)
            if first is not None:
                hits[name] = first + first_step
        drawn.append(values)
        fig.add_scatter(
            x=np.arange(first_step, first_step + len(values)),
            y=values,
            mode="lines",
            name=name,
            line={"color": theme.color(i), "width": 2},
        )
    fig = theme.styled(
        fig, title=title, height=height, x_title=x_title, y_title=y_title
    )
    if log_y:
        theme.log_axis(fig, drawn)
        zero_note(fig, hits, lang=lang)
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
