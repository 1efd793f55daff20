"""Figures of the CNN page's "Pretrained on photos" tab.

Photos, heat-map overlays and feature-map mosaics are drawn as PNG images
inside a Plotly figure (``go.Image`` with a ``data:`` source): a 1024-pixel
photo stays sharp and the page does not ship a million numbers as JSON.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import numpy as np
import plotly.colors
import plotly.graph_objects as go
from PIL import Image

from dlcore.figures import theme
from dlcore.i18n import t


def png_source(rgb: np.ndarray) -> str:
    """A ``data:image/png;base64,…`` URL of an RGB ``uint8`` array."""
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(rgb, dtype=np.uint8)).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _image_layout(fig: go.Figure, width: int, height: int) -> None:
    fig.update_xaxes(visible=False, range=[-0.5, width - 0.5])
    fig.update_yaxes(
        visible=False, range=[height - 0.5, -0.5], scaleanchor="x", constrain="domain"
    )


def image_figure(
    rgb: np.ndarray, *, title: str, height: int = theme.HEIGHT
) -> go.Figure:
    """An RGB ``uint8`` picture at its own resolution, with a title."""
    rgb = np.asarray(rgb, dtype=np.uint8)
    h, w = rgb.shape[:2]
    fig = go.Figure(go.Image(source=png_source(rgb), hoverinfo="skip"))
    _image_layout(fig, w, h)
    fig = theme.styled(fig, title=title, height=height, legend=False)
    fig.update_layout(margin={"l": 10, "r": 10, "t": _top_margin(title), "b": 10})
    return fig


def _top_margin(title: str) -> int:
    """Room for a title of one or two lines (``<br>``)."""
    return 50 + 26 * title.count("<br>")


def display_range(x: np.ndarray) -> np.ndarray:
    """A preprocessed input mapped linearly onto 0 … 255 for display."""
    x = np.asarray(x, dtype=np.float32)
    low, high = float(x.min()), float(x.max())
    return ((x - low) / ((high - low) or 1.0) * 255).astype(np.uint8)


def top5_figure(
    labels: Sequence[str],
    probabilities: Sequence[float],
    *,
    title: str,
    lang: str = "en",
    height: int = theme.SMALL_HEIGHT,
) -> go.Figure:
    """Horizontal bars, the most probable class on top, percentages written."""
    p = [float(v) for v in probabilities]
    fig = go.Figure(
        go.Bar(
            x=p,
            y=list(labels),
            orientation="h",
            marker_color=[theme.color(0)] + [theme.color(7)] * (len(p) - 1),
            text=[f"{v:.1%}" if max(p) > 0.1 else f"{v:.3%}" for v in p],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:.2%}<extra></extra>",
        )
    )
    fig = theme.styled(
        fig,
        title=title,
        height=height,
        legend=False,
        x_title=t("cnn.photos.fig.probability", lang),
    )
    fig.update_layout(margin_t=_top_margin(title))
    top = max(1e-9, max(p)) * 1.3
    fig.update_xaxes(range=[0, top], tickformat=".0%" if top > 0.1 else ".2%")
    fig.update_yaxes(autorange="reversed", automargin=True)
    return fig


_VIRIDIS = np.asarray(
    [plotly.colors.hex_to_rgb(c) for c in plotly.colors.sequential.Viridis],
    dtype=np.float32,
)


def colorize(values: np.ndarray) -> np.ndarray:
    """Values in [0, 1] → viridis RGB ``uint8``."""
    v = np.clip(np.asarray(values, dtype=np.float32), 0, 1) * (len(_VIRIDIS) - 1)
    stops = np.arange(len(_VIRIDIS))
    channels = [np.interp(v, stops, _VIRIDIS[:, c]) for c in range(3)]
    return np.stack(channels, axis=-1).astype(np.uint8)


def mosaic(maps: np.ndarray, cols: int = 4, tile: int = 112) -> np.ndarray:
    """Channels ``(n, h, w)`` as one viridis picture: ``cols`` per row, each
    channel scaled by the layer's largest value (0 → dark) and enlarged to
    ``tile`` pixels with nearest-neighbour (a 7 × 7 map stays 7 × 7 blocks)."""
    maps = np.asarray(maps, dtype=np.float32)
    n = len(maps)
    peak = float(maps.max()) if maps.size else 0.0
    low = min(0.0, float(maps.min())) if maps.size else 0.0
    scaled = (maps - low) / ((peak - low) or 1.0)
    rows = -(-n // cols)
    gap = 4
    canvas = np.full(
        (rows * tile + (rows - 1) * gap, cols * tile + (cols - 1) * gap, 3),
        255,
        np.uint8,
    )
    for i, channel in enumerate(scaled):
        picture = Image.fromarray(colorize(channel)).resize(
            (tile, tile), Image.Resampling.NEAREST
        )
        r, c = divmod(i, cols)
        top, left = r * (tile + gap), c * (tile + gap)
        canvas[top : top + tile, left : left + tile] = np.asarray(picture)
    return canvas


def feature_maps_figure(
    maps: np.ndarray, *, title: str, height: int = theme.SMALL_HEIGHT
) -> go.Figure:
    """The channels of one layer, ``(n, h, w)``, as a mosaic of 2 × 4."""
    return image_figure(mosaic(maps), title=title, height=height)


def curves_figure(
    history: dict[str, Sequence[float]],
    labels: dict[str, str],
    *,
    lang: str = "en",
    height: int = theme.HEIGHT,
) -> go.Figure:
    """Validation accuracy per epoch of each run (``history[run]``); the
    fine-tuning run continues after the feature-extraction epochs."""
    fig = go.Figure()
    for i, (run, values) in enumerate(history.items()):
        start = len(history.get("feature", [])) if run == "fine" else 0
        fig.add_trace(
            go.Scatter(
                x=list(range(start + 1, start + len(values) + 1)),
                y=list(values),
                mode="lines+markers",
                name=labels[run],
                line_color=theme.color(i),
            )
        )
    fig = theme.styled(
        fig,
        title=t("cnn.photos.fig.curves", lang),
        height=height,
        x_title=t("cnn.photos.fig.epoch", lang),
        y_title=t("cnn.photos.fig.accuracy", lang),
    )
    fig.update_yaxes(range=[0, 1.05], tickformat=".0%")
    fig.update_xaxes(dtick=1)
    # the legend under the axis: three long names would cover the title on a phone
    fig.update_layout(
        legend={"yanchor": "top", "y": -0.25, "xanchor": "left", "x": 0.0},
        margin_b=110,
    )
    return fig
