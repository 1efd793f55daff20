"""Figures of the Transformer page: positional encodings, the matrices of
attention (Q, K, V, scores, weights), attention maps per layer and head,
per-position accuracy and next-character probabilities."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dlcore.figures import theme
from dlcore.i18n import t

RUN_COLORS = {"transformer": theme.COLORS[0], "lstm": theme.COLORS[1]}
#: Largest matrix whose numbers are printed in its cells.
MAX_TEXT_CELLS = 144


def _labels(tokens: Sequence[str]) -> list[str]:
    """Unique axis labels: ``0 the``, ``1 cat`` (equal tokens stay apart);
    positions count from 0, as in the positional encoding and the tables."""
    return [f"{i} {token}" for i, token in enumerate(tokens)]


def encoding_figure(pe: np.ndarray, *, lang: str) -> go.Figure:
    """The positional encoding as a heatmap (rows: positions, columns:
    dimensions), values in [−1, 1]."""
    length, depth = pe.shape
    fig = go.Figure(
        go.Heatmap(
            z=pe,
            x=list(range(depth)),
            y=list(range(length)),
            zmin=-1,
            zmax=1,
            colorscale=theme.DIVERGING,
            colorbar={"tickvals": [-1, 0, 1]},
            hovertemplate="pos %{y}, dim %{x}: %{z:.3f}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    return theme.styled(
        fig,
        title=t("tr.fig.encoding", lang, length=length, depth=depth),
        x_title=t("tr.fig.dimension", lang),
        y_title=t("tr.fig.position", lang),
        legend=False,
    )


def similarity_figure(pe: np.ndarray, *, lang: str) -> go.Figure:
    """Dot products PE·PEᵀ between positions: near positions are similar."""
    sim = pe @ pe.T
    length = len(pe)
    fig = go.Figure(
        go.Heatmap(
            z=sim,
            x=list(range(length)),
            y=list(range(length)),
            colorscale=theme.SEQUENTIAL,
            hovertemplate="pos %{y} · pos %{x}: %{z:.2f}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    return theme.styled(
        fig,
        title=t("tr.fig.similarity", lang),
        x_title=t("tr.fig.position", lang),
        y_title=t("tr.fig.position", lang),
        legend=False,
    )


def matrix_figure(
    matrix: np.ndarray,
    *,
    rows: Sequence[str],
    columns: Sequence[str],
    title: str,
    x_title: str,
    y_title: str,
    probabilities: bool = False,
    masked: np.ndarray | None = None,
    height: int = theme.SMALL_HEIGHT,
    numbers: bool = True,
    digits: int = 2,
) -> go.Figure:
    """One matrix with its numbers in the cells (``numbers`` and ≤ 144 cells;
    otherwise on hover); masked cells (``masked`` True) are printed ``×``."""
    z = np.asarray(matrix, dtype=float)
    text = None
    if numbers and z.size <= MAX_TEXT_CELLS:
        text = [[f"{v:.{digits}f}" for v in row] for row in z]
        if masked is not None:
            for i, j in zip(*np.nonzero(masked), strict=True):
                text[i][j] = "×"
    limit = max(1e-9, float(np.abs(z[np.isfinite(z)]).max()) if z.size else 1.0)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(columns),
            y=list(rows),
            text=text,
            texttemplate="%{text}" if text else None,
            textfont={"size": theme.MIN_FONT_SIZE},
            zmin=0 if probabilities else -limit,
            zmax=1 if probabilities else limit,
            colorscale=theme.SEQUENTIAL if probabilities else theme.DIVERGING,
            hovertemplate="%{y} → %{x}: %{z:.3f}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category")
    return theme.styled(
        fig,
        title=title,
        x_title=x_title,
        y_title=y_title,
        height=height,
        legend=False,
    )


def attention_grid(
    maps: Mapping[str, np.ndarray],
    queries: Sequence[str],
    keys: Sequence[str],
    *,
    lang: str,
) -> go.Figure:
    """Every layer (rows) × head (columns) attention map for one input:
    row = query position, column = key position, colour = weight."""
    layers = list(maps)
    heads = int(np.asarray(maps[layers[0]]).shape[0])
    titles = [
        t("tr.fig.layer_head", lang, layer=li + 1, head=h + 1)
        for li in range(len(layers))
        for h in range(heads)
    ]
    fig = make_subplots(
        rows=len(layers),
        cols=heads,
        subplot_titles=titles,
        horizontal_spacing=0.06,
        vertical_spacing=0.12 if len(layers) > 1 else 0.05,
    )
    q_labels, k_labels = _labels(queries), _labels(keys)
    for li, layer in enumerate(layers, start=1):
        array = np.asarray(maps[layer], dtype=float)
        for h in range(heads):
            fig.add_trace(
                go.Heatmap(
                    z=array[h],
                    x=k_labels,
                    y=q_labels,
                    zmin=0,
                    zmax=1,
                    colorscale=theme.SEQUENTIAL,
                    showscale=li == 1 and h == heads - 1,
                    colorbar={
                        "tickvals": [0, 0.5, 1],
                        "len": 0.6,
                        "y": 1.0,
                        "yanchor": "top",
                    },
                    hovertemplate=t("tr.fig.hover", lang) + ": %{z:.2f}<extra></extra>",
                ),
                row=li,
                col=h + 1,
            )
            fig.update_yaxes(autorange="reversed", type="category", row=li, col=h + 1)
            fig.update_xaxes(type="category", tickangle=-60, row=li, col=h + 1)
        fig.update_yaxes(title_text=t("tr.fig.query", lang), row=li, col=1)
    for h in range(heads):
        fig.update_xaxes(title_text=t("tr.fig.key", lang), row=len(layers), col=h + 1)
    height = max(theme.HEIGHT, 300 * len(layers) + 120)
    return theme.styled(fig, height=height, legend=False)


def position_accuracy_figure(
    accuracy: Mapping[str, Sequence[float]], *, lang: str
) -> go.Figure:
    """Validation accuracy at each output position, per model."""
    fig = go.Figure()
    for run, values in accuracy.items():
        fig.add_trace(
            go.Bar(
                x=list(range(len(values))),  # positions from 0 (T−1−i)
                y=list(values),
                name=t(f"tr.run.{run}", lang),
                marker_color=RUN_COLORS.get(run, theme.COLORS[2]),
            )
        )
    fig.update_yaxes(range=[0, 1.05])
    fig.update_xaxes(dtick=1)
    return theme.styled(
        fig,
        title=t("tr.fig.position_accuracy", lang),
        x_title=t("tr.fig.output_position", lang),
        y_title=t("tr.fig.accuracy", lang),
        height=theme.SMALL_HEIGHT + 70,
    ).update_layout(
        barmode="group",
        margin={"t": 90},
        legend={"y": 1.02, "x": 0.0, "xanchor": "left"},
        title={"y": 0.97, "yanchor": "top"},
    )


def probability_figure(
    vocabulary: Sequence[str], probabilities: np.ndarray, *, lang: str, top: int = 12
) -> go.Figure:
    """The ``top`` most likely next characters, most likely first."""
    p = np.asarray(probabilities, dtype=float)
    order = np.argsort(-p)[:top]
    shown = [repr(vocabulary[i])[1:-1] if vocabulary[i] != " " else "␣" for i in order]
    fig = go.Figure(
        go.Bar(
            x=shown,
            y=p[order],
            marker_color=theme.COLORS[0],
            text=[f"{v:.2f}" for v in p[order]],
            textposition="outside",
            textfont={"size": theme.MIN_FONT_SIZE},
            hovertemplate="%{x}: %{y:.3f}<extra></extra>",
        )
    )
    fig.update_xaxes(type="category")
    fig.update_yaxes(range=[0, min(1.0, float(p[order].max()) * 1.25 + 0.02)])
    return theme.styled(
        fig,
        title=t("tr.fig.next_char", lang),
        x_title=t("tr.fig.character", lang),
        y_title=t("tr.fig.probability", lang),
        height=theme.SMALL_HEIGHT + 40,
        legend=False,
    )


def softmax_row_figure(
    tokens: Sequence[str],
    scaled: np.ndarray,
    unscaled: np.ndarray,
    *,
    lang: str,
) -> go.Figure:
    """One query's softmax weights with and without the 1/√d_k scaling."""
    labels = _labels(tokens)
    fig = go.Figure()
    for name, values, color in (
        (t("tr.fig.scaled", lang), scaled, theme.COLORS[0]),
        (t("tr.fig.unscaled", lang), unscaled, theme.COLORS[3]),
    ):
        fig.add_trace(go.Bar(x=labels, y=list(values), name=name, marker_color=color))
    fig.update_yaxes(range=[0, 1.05])
    fig.update_xaxes(type="category")
    return theme.styled(
        fig,
        title=t("tr.fig.softmax_row", lang),
        x_title=t("tr.fig.key", lang),
        y_title=t("tr.fig.weight", lang),
        height=theme.SMALL_HEIGHT + 70,
    ).update_layout(
        barmode="group",
        margin={"t": 90},
        legend={"y": 1.02, "x": 0.0, "xanchor": "left"},
        title={"y": 0.97, "yanchor": "top"},
    )
