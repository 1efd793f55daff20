"""The one look of every chart: colours, fonts, sizes.

Large fonts and fixed heights: the charts are projected in a classroom, and a
chart that is redrawn during training must not change size (the page would
jump). The font family lists CJK-capable fonts so Chinese titles render on
Windows, macOS and Linux (Noto Sans CJK) alike.

>>> fig = styled(go.Figure(), title="loss", height=HEIGHT)
>>> fig.layout.height == HEIGHT and fig.layout.font.size == FONT_SIZE
True
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import plotly.graph_objects as go

#: Categorical colours (Tableau 10); the first is also the app's primary colour.
COLORS: tuple[str, ...] = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
#: Two-class colours (blue / orange, as in TensorFlow Playground) and the
#: diverging scale between them, for decision boundaries and signed values.
CLASS_COLORS: tuple[str, str] = ("#f59322", "#0877bd")
DIVERGING = [[0.0, "#f59322"], [0.5, "#e8eaeb"], [1.0, "#0877bd"]]
SEQUENTIAL = "Viridis"

FONT_FAMILY = (
    "Source Sans Pro, Noto Sans SC, Noto Sans CJK SC, PingFang SC, "
    "Microsoft YaHei, sans-serif"
)
FONT_SIZE = 15  # px; no chart text is smaller than MIN_FONT_SIZE
MIN_FONT_SIZE = 14
TEXT_COLOR = "#262730"  # near-black: readable from the back of a room
HEIGHT = 380  # default chart height in px
SMALL_HEIGHT = 280
TALL_HEIGHT = 480


def color(i: int) -> str:
    """The ``i``-th categorical colour, cycling."""
    return COLORS[i % len(COLORS)]


def styled(
    fig: go.Figure,
    *,
    title: str | None = None,
    height: int = HEIGHT,
    x_title: str | None = None,
    y_title: str | None = None,
    legend: bool = True,
) -> go.Figure:
    """Apply the shared theme to ``fig`` in place and return it."""
    fig.update_layout(
        template="plotly_white",
        height=height,
        font={"family": FONT_FAMILY, "size": FONT_SIZE, "color": TEXT_COLOR},
        title={"text": title, "x": 0.0, "xanchor": "left"} if title else None,
        margin={"l": 60, "r": 20, "t": 50 if title else 20, "b": 50},
        colorway=list(COLORS),
        showlegend=legend,
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "x": 1.0,
            "xanchor": "right",
        },
        hoverlabel={"font_size": FONT_SIZE},
    )
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)

    def readable(axis: Any) -> None:  # dark ticks and titles, ≥ FONT_SIZE
        axis.update(
            tickfont_size=max(axis.tickfont.size or FONT_SIZE, MIN_FONT_SIZE),
            tickfont_color=axis.tickfont.color or TEXT_COLOR,
            title_font_size=max(axis.title.font.size or FONT_SIZE, MIN_FONT_SIZE),
            title_font_color=axis.title.font.color or TEXT_COLOR,
        )

    fig.for_each_xaxis(readable)
    fig.for_each_yaxis(readable)
    return fig


#: How much projector mode enlarges text, lines and markers.
PROJECTOR_SCALE = 1.4


def for_projector(fig: go.Figure, scale: float = PROJECTOR_SCALE) -> go.Figure:
    """A copy of ``fig`` for a projector: text, lines and markers ``scale``× larger.

    Every font the figure sets (layout, title, axes, legend, colour bars,
    annotations) is scaled; unset fonts take the scaled base size. The input
    figure is not changed (cached figures are shared between sessions).

    >>> big = for_projector(styled(go.Figure(go.Scatter(y=[1, 2])), height=300))
    >>> big.layout.font.size == round(FONT_SIZE * PROJECTOR_SCALE)
    True
    >>> big.data[0].line.width > 2
    True
    """
    fig = go.Figure(fig)
    base = fig.layout.font.size or FONT_SIZE

    def bigger(size: float | None, fallback: float = base) -> int:
        return round((size or fallback) * scale)

    fig.update_layout(
        font_size=bigger(base),
        title_font_size=bigger(fig.layout.title.font.size, base * 1.1),
        legend_font_size=bigger(fig.layout.legend.font.size),
        hoverlabel_font_size=bigger(fig.layout.hoverlabel.font.size),
    )
    if fig.layout.height:
        fig.update_layout(height=round(fig.layout.height * min(scale, 1.25)))
    fig.for_each_xaxis(
        lambda ax: ax.update(
            tickfont_size=bigger(ax.tickfont.size),
            title_font_size=bigger(ax.title.font.size),
        )
    )
    fig.for_each_yaxis(
        lambda ax: ax.update(
            tickfont_size=bigger(ax.tickfont.size),
            title_font_size=bigger(ax.title.font.size),
        )
    )
    for note in fig.layout.annotations or ():
        note.font.size = bigger(note.font.size)
    for trace in fig.data:
        line = getattr(trace, "line", None)
        if line is not None and "width" in line:
            scatter = trace.type in ("scatter", "scattergl", "scatter3d")
            if line.width is not None or scatter:
                line.width = (line.width or 2) * scale
        marker = getattr(trace, "marker", None)
        if marker is not None and "size" in marker and marker.size is not None:
            size = marker.size
            if isinstance(size, (int, float)):
                marker.size = size * scale
        textfont = getattr(trace, "textfont", None)
        if textfont is not None and "size" in textfont:
            textfont.size = bigger(textfont.size)
        # Colour bars only where one is drawn (touching a marker's colour
        # bar would make Plotly draw one).
        bars = []
        if "colorbar" in trace and getattr(trace, "showscale", None) is not False:
            bars.append(trace.colorbar)
        if marker is not None and getattr(marker, "showscale", None):
            bars.append(marker.colorbar)
        for bar in bars:
            bar.tickfont.size = bigger(bar.tickfont.size)
    return fig


def number_text(value: float) -> str:
    """A tick label that reads as the full value: ``0.5``, ``20``, ``1e-05``.

    >>> [number_text(v) for v in (0.5, 0.05, 2.0, 2000.0, 1e-5, 3e7)]
    ['0.5', '0.05', '2', '2000', '1e-05', '3e+07']
    """
    return f"{value:.6g}" if 1e-4 <= abs(value) < 1e6 else f"{value:.0e}"


def log_ticks(low: float, high: float, *, max_ticks: int = 8) -> list[float]:
    """Tick values for a log axis spanning ``[low, high]`` (data units, > 0).

    The 1-2-5 sequence (1-10 over many decades), thinned to at most
    ``max_ticks``; always at least two ticks inside the range, however narrow
    (a loss that stays near 2.3 gets e.g. 2.2, 2.3, 2.4).

    >>> log_ticks(0.04, 0.9)
    [0.05, 0.1, 0.2, 0.5, 0.9]
    >>> log_ticks(1.05, 15.0)  # a label near the lowest curve too
    [1.1, 2.0, 5.0, 10.0]
    >>> len(log_ticks(2.25, 2.35)) >= 2
    True
    >>> log_ticks(1e-9, 0.5)  # many decades: powers of ten, anchored at 1
    [1e-08, 1e-06, 0.0001, 0.01]
    """
    if not (0 < low < high) or not math.isfinite(high):
        raise ValueError(f"log_ticks needs 0 < low < high, got {low!r}, {high!r}")
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    for mantissas in ((1, 2, 5), (1, 2, 3, 4, 5, 6, 7, 8, 9)):
        ticks = [
            float(f"{m * 10.0**e:.12g}")
            for e in range(first, last + 1)
            for m in mantissas
            if low <= m * 10.0**e <= high
        ]
        if len(ticks) >= 2:
            break
    if len(ticks) < 2:  # a range narrower than one 1-9 step
        span = high - low
        digits = max(0, -math.floor(math.log10(span)) + 1)
        ticks = sorted(
            {round(float(v), digits) for v in np.linspace(low, high, 4)[1:3]}
        )
        ticks = [v for v in ticks if low <= v <= high] or [low, high]
        if len(ticks) < 2:
            ticks = [float(f"{low:.3g}"), float(f"{high:.3g}")]
    # A label near each end of the data when the sequence stops far inside
    # it (a curve ending at 1.05 under a lowest label of 2).
    if ticks[0] / low > 1.5 and float(f"{low:.2g}") >= low:
        ticks.insert(0, float(f"{low:.2g}"))
    if high / ticks[-1] > 1.5 and float(f"{high:.2g}") <= high:
        ticks.append(float(f"{high:.2g}"))
    if len(ticks) > max_ticks:  # many decades: powers of ten only
        tens = [v for v in ticks if math.isclose(math.log10(v) % 1, 0, abs_tol=1e-9)]
        step = max(1, math.ceil(len(tens) / max_ticks))
        # every step-th power of ten, anchored at 10**0 (1, 1e-3, 1e-6 …)
        kept = [v for v in tens if round(math.log10(v)) % step == 0]
        if len(kept) >= 2:
            ticks = kept
        else:
            ticks = tens[::step] if len(tens) >= 2 else ticks[:: len(ticks) // 2]
    return ticks


def log_labels(ticks: list[float]) -> list[str]:
    """Labels of log-axis ticks in one style: decimals, or powers of ten when a
    tick needs an exponent (never "0.0001" beside "1e-08").

    >>> log_labels([0.05, 0.1, 0.2]), log_labels([1e-08, 0.0001, 1.0])
    (['0.05', '0.1', '0.2'], ['1e-08', '1e-04', '1'])
    """
    labels = [number_text(v) for v in ticks]
    if any("e" in label for label in labels):
        labels = [f"{v:.0e}" if v < 0.01 or v >= 1e4 else number_text(v) for v in ticks]
    return labels


def log_axis(fig: go.Figure, values: Any, *, axis: str = "y", **selector: Any) -> None:
    """Make an axis logarithmic with full-value labels (never "5" for 0.5).

    ``values`` are the data drawn on that axis; non-positive and non-finite
    ones are ignored. The range gets a small margin; ``selector`` (``row=``,
    ``col=``) picks a subplot. Falls back to a linear axis when no value is
    positive.
    """
    parts = values if isinstance(values, (list, tuple)) else [values]
    arrays = [np.asarray(part, dtype=float).ravel() for part in parts]
    data = np.concatenate(arrays) if arrays else np.array([])
    data = data[np.isfinite(data) & (data > 0)]
    update = fig.update_yaxes if axis == "y" else fig.update_xaxes
    if data.size == 0:
        update(type="linear", **selector)
        return
    low, high = float(data.min()), float(data.max())
    if high / low < 1.02:  # (almost) constant: widen so the ticks have room
        low, high = low / 1.05, high * 1.05
    pad = (math.log10(high) - math.log10(low)) * 0.04
    ticks = log_ticks(low, high)
    update(
        type="log",
        range=[math.log10(low) - pad, math.log10(high) + pad],
        tickvals=ticks,
        ticktext=log_labels(ticks),
        **selector,
    )
