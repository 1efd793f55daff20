"""Figures of the GAN page: the animated 2-D lab (GAN Lab's views in one Plotly
figure with frames: D's heatmap, G's manifold, real and generated samples,
G's gradient arrows), training curves, the losses of G as functions of D."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from dlcore.figures import theme
from dlcore.i18n import t

REAL, FAKE = "#1b9e77", "#7b3294"
#: D(x): purple (generated) → white → green (real).
PROB_SCALE = [[0.0, "#c2a5cf"], [0.5, "#f7f7f7"], [1.0, "#a6dba0"]]
LAYERS = ("heat", "manifold", "real", "fake", "arrows")
#: Animation frame durations (ms) of the speed setting.
SPEEDS = {"slow": 400, "normal": 150, "fast": 40}


def real_figure(real: np.ndarray, limit: float, *, lang: str = "en") -> go.Figure:
    """The real distribution alone (drawn before training: NumPy only)."""
    fig = go.Figure(
        go.Scattergl(
            x=real[:, 0],
            y=real[:, 1],
            mode="markers",
            marker={"size": 4, "color": REAL, "opacity": 0.5},
            name=t("gan.fig.real", lang),
        )
    )
    return _square(fig, limit, lang, height=420)


def _square(fig: go.Figure, limit: float, lang: str, *, height: int) -> go.Figure:
    theme.styled(
        fig, height=height, x_title=t("gan.fig.x", lang), y_title=t("gan.fig.y", lang)
    )
    fig.update_xaxes(range=[-limit, limit], constrain="domain")
    fig.update_yaxes(range=[-limit, limit], scaleanchor="x", scaleratio=1)
    return fig


def _segments(start: np.ndarray, end: np.ndarray) -> tuple[list, list]:
    """x, y of line segments start→end separated by None (one trace)."""
    xs: list[Any] = []
    ys: list[Any] = []
    for (x0, y0), (x1, y1) in zip(start.tolist(), end.tolist(), strict=True):
        xs += [x0, x1, None]
        ys += [y0, y1, None]
    return xs, ys


def _manifold_xy(points: np.ndarray, noise_dim: int) -> tuple[list, list]:
    """The manifold's polylines: 1-D noise one line; 2-D noise the images of the
    noise grid's 2 × 11 lines (41 points each), separated by None."""
    if noise_dim == 1:
        return points[:, 0].tolist(), points[:, 1].tolist()
    xs: list[Any] = []
    ys: list[Any] = []
    for line in points.reshape(-1, 41, 2):
        xs += [*line[:, 0].tolist(), None]
        ys += [*line[:, 1].tolist(), None]
    return xs, ys


def _arrows(start: np.ndarray, grad: np.ndarray, limit: float) -> tuple[list, list]:
    """Arrows along −∂L_G/∂x, scaled so the longest is 15 % of the half-width."""
    norm = np.linalg.norm(grad, axis=1).max()
    scale = 0.15 * limit / norm if norm > 0 else 0.0
    return _segments(start, start + grad * scale)


def lab_figure(
    artifacts: dict[str, Any],
    *,
    lang: str = "en",
    layers: Iterable[str] = LAYERS,
    speed: str = "normal",
) -> go.Figure:
    """The animated lab: one frame per snapshot, a slider and Play / Pause.

    ``artifacts`` are :func:`dlcore.gan.train_gan_2d`'s; ``layers`` a subset of
    :data:`LAYERS` to draw.
    """
    layers = set(layers)
    frames_data = artifacts["frames"]
    limit = float(artifacts["limit"])
    real = np.asarray(artifacts["real"])
    steps = list(artifacts["steps"])
    labels = list(artifacts["labels"])
    noise_dim = int(artifacts["generator"]["noise_dim"])
    prob = artifacts["loss"] in ("minimax", "nonsat")
    heat = np.asarray(frames_data["heat"])
    count = len(steps)
    axis = np.linspace(-limit, limit, heat.shape[-1])
    span = (0.0, 1.0) if prob else (float(heat.min()), float(heat.max()))
    if not prob and span[0] == span[1]:
        span = (span[0] - 1.0, span[1] + 1.0)

    def traces(i: int) -> list[go.BaseTraceType]:
        out: list[go.BaseTraceType] = []
        if "heat" in layers:
            out.append(
                go.Heatmap(
                    x=axis,
                    y=axis,
                    z=heat[i],
                    zmin=span[0],
                    zmax=span[1],
                    colorscale=PROB_SCALE,
                    colorbar={
                        "title": {
                            "text": t(
                                "gan.fig.prob" if prob else "gan.fig.critic", lang
                            )
                        },
                        "thickness": 14,
                    },
                    hovertemplate=(
                        "x₁ %{x:.2f}<br>x₂ %{y:.2f}<br>%{z:.3f}<extra></extra>"
                    ),
                    name=t("gan.fig.prob" if prob else "gan.fig.critic", lang),
                )
            )
        if "manifold" in layers:
            mx, my = _manifold_xy(np.asarray(frames_data["manifold"][i]), noise_dim)
            out.append(
                go.Scatter(
                    x=mx,
                    y=my,
                    mode="lines",
                    line={"color": "rgba(123,50,148,0.45)", "width": 1},
                    name=t("gan.fig.manifold", lang),
                    hoverinfo="skip",
                )
            )
        if "real" in layers:
            out.append(
                go.Scatter(
                    x=real[:, 0],
                    y=real[:, 1],
                    mode="markers",
                    marker={"size": 4, "color": REAL, "opacity": 0.6},
                    name=t("gan.fig.real", lang),
                )
            )
        if "fake" in layers:
            fake = np.asarray(frames_data["fake"][i])
            out.append(
                go.Scatter(
                    x=fake[:, 0],
                    y=fake[:, 1],
                    mode="markers",
                    marker={"size": 4, "color": FAKE, "opacity": 0.7},
                    name=t("gan.fig.fake", lang),
                )
            )
        if "arrows" in layers:
            ax, ay = _arrows(
                np.asarray(frames_data["arrow_from"][i]),
                np.asarray(frames_data["arrow"][i]),
                limit,
            )
            out.append(
                go.Scatter(
                    x=ax,
                    y=ay,
                    mode="lines",
                    line={"color": "#d95f02", "width": 1.5},
                    name=t("gan.fig.arrows", lang),
                    hoverinfo="skip",
                )
            )
        return out

    def label(i: int) -> str:
        text = t("gan.fig.frame", lang, step=steps[i])
        if labels[i] in ("d", "g", "b"):
            text += f" {t(f'gan.fig.frame_{labels[i]}', lang)}"
        return text

    fig = go.Figure(data=traces(count - 1))
    fig.frames = [go.Frame(data=traces(i), name=str(i)) for i in range(count)]
    _animate(fig, [label(i) for i in range(count)], speed, lang)
    _square(fig, limit, lang, height=640)
    fig.update_layout(margin={"b": 170})
    return fig


def curves_figure(
    history: Any,
    columns: Sequence[str],
    *,
    lang: str,
    title_key: str,
    log: bool = False,
) -> go.Figure:
    """Columns of a 2-D GAN history against the training step."""
    names = {
        "loss": "gan.fig.d_loss",
        "g_loss": "gan.fig.g_loss",
        "kl": "gan.fig.kl",
        "js": "gan.fig.js",
        "modes": "gan.fig.modes",
        "high_quality": "gan.fig.quality",
        "d_real_accuracy": "gan.fig.d_real",
        "d_fake_accuracy": "gan.fig.d_fake",
    }
    fig = go.Figure()
    for i, column in enumerate(columns):
        if column not in history:
            continue
        fig.add_scatter(
            x=history["step"],
            y=history[column],
            mode="lines+markers",
            marker={"size": 5},
            line={"color": theme.color(i)},
            name=t(names[column], lang),
        )
    theme.styled(
        fig,
        title=t(title_key, lang),
        height=320,
        x_title=t("gan.fig.step", lang),
    )
    if log:
        theme.log_axis(fig, np.concatenate([history[c].dropna() for c in columns]))
    return fig


def generator_losses_figure(*, lang: str = "en", at: float | None = None) -> go.Figure:
    """G's losses and their gradients w.r.t. D's logit, against D(G(z))."""
    d = np.linspace(0.001, 0.999, 400)
    curves = {
        "minimax": (np.log(1 - d), d),  # d/da log(1 − σ(a)) = −σ(a)
        "nonsat": (-np.log(d), 1 - d),  # d/da −log σ(a) = −(1 − σ(a))
    }
    fig = go.Figure()
    for i, (name, (value, grad)) in enumerate(curves.items()):
        fig.add_scatter(
            x=d,
            y=value,
            mode="lines",
            line={"color": theme.color(i), "width": 3},
            name=f"{t(f'gan.loss.{name}', lang)}: {t('gan.losses.g_loss', lang)}",
        )
        fig.add_scatter(
            x=d,
            y=grad,
            mode="lines",
            line={"color": theme.color(i), "width": 2, "dash": "dash"},
            name=f"{t(f'gan.loss.{name}', lang)}: {t('gan.losses.grad', lang)}",
        )
    if at is not None:
        fig.add_vline(x=at, line={"color": "#555", "dash": "dot"})
    theme.styled(
        fig,
        height=420,
        x_title=t("gan.losses.d_of_fake", lang),
        y_title=t("gan.losses.g_loss", lang),
    )
    fig.update_yaxes(range=[-5, 5])
    fig.update_layout(height=480, margin={"t": 110})
    return fig


def mosaic(
    images: np.ndarray, rows: int, cols: int, *, column_major: bool
) -> np.ndarray:
    """``rows × cols`` images (N, s, s) in one array, NaN gaps of one pixel.
    ``column_major``: image i goes to column i // rows, row i % rows."""
    size = images.shape[-1]
    out = np.full((rows * (size + 1) - 1, cols * (size + 1) - 1), np.nan)
    for i, image in enumerate(images[: rows * cols]):
        r, c = (i % rows, i // rows) if column_major else divmod(i, cols)
        out[
            r * (size + 1) : r * (size + 1) + size,
            c * (size + 1) : c * (size + 1) + size,
        ] = image
    return out


def _image_trace(image: np.ndarray) -> go.Heatmap:
    return go.Heatmap(
        z=image[::-1],
        zmin=0,
        zmax=1,
        colorscale="Greys",
        reversescale=True,
        showscale=False,
        hoverinfo="skip",
    )


def samples_figure(
    artifacts: dict[str, Any], *, lang: str = "en", speed: str = "normal"
) -> go.Figure:
    """The fixed-noise sample grid at every snapshot (frames, slider, Play).
    Conditional: column = digit 0..9, four samples each."""
    samples = np.asarray(artifacts["samples"])
    steps = list(artifacts["steps"])
    images = [mosaic(s, 4, 10, column_major=True) for s in samples]
    last = len(images) - 1
    fig = go.Figure(data=[_image_trace(images[last])])
    fig.frames = [
        go.Frame(data=[_image_trace(m)], name=str(i)) for i, m in enumerate(images)
    ]
    _animate(fig, [t("gan.fig.frame", lang, step=s) for s in steps], speed, lang)
    theme.styled(fig, height=380, legend=False)
    _image_axes(fig)
    if artifacts.get("conditional"):
        size = samples.shape[-1]
        fig.update_xaxes(
            showticklabels=True,
            tickvals=[c * (size + 1) + (size - 1) / 2 for c in range(10)],
            ticktext=[str(c) for c in range(10)],
            title_text=t("gan.fig.digit", lang),
        )
    fig.update_layout(margin={"b": 160})
    return fig


def _image_axes(fig: go.Figure) -> None:
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig.update_yaxes(
        showticklabels=False, showgrid=False, zeroline=False, scaleanchor="x"
    )


def _animate(fig: go.Figure, labels: list[str], speed: str, lang: str) -> None:
    """Play / Pause buttons and a slider over ``fig.frames``."""
    duration = SPEEDS.get(speed, SPEEDS["normal"])
    last = len(labels) - 1
    fig.update_layout(
        updatemenus=[
            {
                "type": "buttons",
                "direction": "left",
                "x": 0.0,
                "y": -0.16,
                "xanchor": "left",
                "yanchor": "top",
                "showactive": False,
                "buttons": [
                    {
                        "label": t("gan.fig.play", lang),
                        "method": "animate",
                        "args": [
                            None,
                            {
                                "frame": {"duration": duration, "redraw": True},
                                "transition": {"duration": 0},
                                "fromcurrent": True,
                                "mode": "immediate",
                            },
                        ],
                    },
                    {
                        "label": t("gan.fig.pause", lang),
                        "method": "animate",
                        "args": [
                            [None],
                            {"frame": {"duration": 0}, "mode": "immediate"},
                        ],
                    },
                ],
            }
        ],
        sliders=[
            {
                "active": last,
                "x": 0.28,
                "len": 0.72,
                "y": -0.13,
                "yanchor": "top",
                "currentvalue": {
                    "prefix": "",
                    "xanchor": "right",
                    "font": {"size": theme.FONT_SIZE},
                },
                "font": {"size": theme.FONT_SIZE},
                "steps": [
                    {
                        "label": label,
                        "method": "animate",
                        "args": [
                            [str(i)],
                            {
                                "frame": {"duration": 0, "redraw": True},
                                "mode": "immediate",
                            },
                        ],
                    }
                    for i, label in enumerate(labels)
                ],
            }
        ],
    )


def interpolation_figure(images: np.ndarray, *, lang: str = "en") -> go.Figure:
    """G along the line z = (1 − α) z_a + α z_b, α = 0, 1/9, …, 1."""
    strip = mosaic(images, 1, len(images), column_major=False)
    fig = go.Figure(_image_trace(strip))
    theme.styled(fig, height=200, legend=False, x_title=t("gan.fig.alpha", lang))
    _image_axes(fig)
    size = images.shape[-1]
    count = len(images)
    fig.update_xaxes(
        showticklabels=True,
        tickvals=[c * (size + 1) + (size - 1) / 2 for c in range(count)],
        ticktext=[f"{a:.2f}" for a in np.linspace(0, 1, count)],
    )
    return fig
