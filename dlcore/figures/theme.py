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
FONT_SIZE = 15
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
        font={"family": FONT_FAMILY, "size": FONT_SIZE},
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
