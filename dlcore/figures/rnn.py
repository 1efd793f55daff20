"""Figures of the RNN page: the unrolled chain, gates over time, gradients
through time, the memory scoreboard, embeddings and per-token predictions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dlcore.figures import theme
from dlcore.i18n import t

#: Colour of each cell type / sentiment model (fixed across figures).
CELL_COLORS = {
    "simple_rnn": theme.COLORS[3],
    "lstm": theme.COLORS[0],
    "gru": theme.COLORS[2],
    "bow": theme.COLORS[7],
    "pool": theme.COLORS[4],
    "bilstm": theme.COLORS[1],
}
ROLE_COLORS = {
    "positive": theme.CLASS_COLORS[1],
    "negative": theme.CLASS_COLORS[0],
    "negation": theme.COLORS[3],
    "contrast": theme.COLORS[4],
    "other": theme.COLORS[7],
}


def cell_name(cell: str, lang: str) -> str:
    return t(f"rnn.cell.{cell}", lang)


def chain_figure(
    states: np.ndarray, step: int, *, lang: str, symbol: str = "h"
) -> go.Figure:
    """The unrolled recurrence: one box per timestep, x_t in, h_{t−1} → h_t,
    the current step highlighted; each box shows its state vector (rounded).

    Args:
        states: (T, units) hidden states.
        step: The highlighted timestep, 1-based.
    """
    steps = len(states)
    fig = go.Figure()
    for t_index in range(steps):
        current = t_index + 1 == step
        done = t_index + 1 <= step
        fig.add_shape(
            type="rect",
            x0=t_index - 0.38,
            x1=t_index + 0.38,
            y0=0.55,
            y1=1.45,
            line={"color": theme.COLORS[3] if current else theme.COLORS[0], "width": 3},
            fillcolor="#fde0dd" if current else ("#deebf7" if done else "#f5f5f5"),
        )
        label = "<br>".join(f"{v:+.2f}" for v in states[t_index][:4]) if done else "?"
        fig.add_annotation(
            x=t_index, y=1.0, text=label, showarrow=False, font={"size": 14}
        )
        fig.add_annotation(
            x=t_index,
            y=0.55,
            ax=t_index,
            ay=0.0,
            xref="x",
            yref="y",
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=2,
            arrowwidth=2,
            text="",
        )
        fig.add_annotation(
            x=t_index, y=-0.12, text=f"x<sub>{t_index + 1}</sub>", showarrow=False
        )
        fig.add_annotation(
            x=t_index,
            y=1.75,
            text=f"{symbol}<sub>{t_index + 1}</sub>",
            showarrow=False,
        )
        if t_index:
            fig.add_annotation(
                x=t_index - 0.38,
                y=1.0,
                ax=t_index - 0.62,
                ay=1.0,
                xref="x",
                yref="y",
                axref="x",
                ayref="y",
                showarrow=True,
                arrowhead=2,
                arrowwidth=2,
                text="",
            )
    fig.update_xaxes(visible=False, range=[-0.6, steps - 0.4])
    fig.update_yaxes(visible=False, range=[-0.35, 2.0])
    return theme.styled(
        fig,
        title=t("rnn.fig.chain", lang, step=step, steps=steps),
        height=theme.SMALL_HEIGHT,
        legend=False,
    )


def states_figure(
    values: Mapping[str, np.ndarray], step: int, *, lang: str
) -> go.Figure:
    """Each named (T, units) array as a heatmap over time (rows: units), the
    current step outlined."""
    names = list(values)
    fig = make_subplots(
        rows=len(names),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.06,
        subplot_titles=[t(f"rnn.state.{n}", lang) for n in names],
    )
    for row, name in enumerate(names, start=1):
        array = np.asarray(values[name], dtype=float)
        steps, units = array.shape
        zmin, zmax = (0.0, 1.0) if name in ("i", "f", "o", "z", "r") else (-1.0, 1.0)
        fig.add_trace(
            go.Heatmap(
                z=array.T,
                x=list(range(1, steps + 1)),
                y=[f"{u + 1}" for u in range(units)],
                zmin=zmin,
                zmax=zmax,
                colorscale=theme.SEQUENTIAL if zmin == 0 else theme.DIVERGING,
                showscale=row == 1,
                colorbar={
                    "len": max(0.3, 1.0 / len(names)),
                    "y": 1.0,
                    "yanchor": "top",
                    "tickvals": [zmin, (zmin + zmax) / 2, zmax],
                },
                hovertemplate="t=%{x}, unit %{y}: %{z:.3f}<extra></extra>",
            ),
            row=row,
            col=1,
        )
        if step:
            fig.add_vrect(
                x0=step - 0.5,
                x1=step + 0.5,
                line={"color": theme.COLORS[3], "width": 3},
                row=row,
                col=1,
            )
        fig.update_yaxes(title_text=t("rnn.fig.unit", lang), row=row, col=1)
    fig.update_xaxes(title_text=t("rnn.fig.timestep", lang), row=len(names), col=1)
    height = max(theme.SMALL_HEIGHT, 150 * len(names) + 80)
    return theme.styled(fig, height=height, legend=False)


def gates_figure(gates: Mapping[str, np.ndarray], x: np.ndarray, *, lang: str):
    """The trained LSTM on one sequence: the inputs (value, marker), then the
    input / forget / output gates and the cell state over time."""
    rows = ["x", "i", "f", "o", "c"]
    fig = make_subplots(
        rows=len(rows),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.05,
        subplot_titles=[t(f"rnn.state.{r}", lang) for r in rows],
        row_heights=[0.6, 1, 1, 1, 1],
    )
    steps = len(x)
    time_axis = list(range(1, steps + 1))
    features = [t("rnn.fig.value", lang), t("rnn.fig.marker", lang)][: x.shape[1]]
    fig.add_trace(
        go.Heatmap(
            z=np.asarray(x, float).T,
            x=time_axis,
            y=features,
            colorscale="Greys",
            showscale=False,
            hovertemplate="t=%{x}, %{y}: %{z:.3f}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    for row, name in enumerate(rows[1:], start=2):
        array = np.asarray(gates[name], float)
        gate = name != "c"
        limit = 1.0 if gate else max(1e-6, float(np.abs(array).max()))
        fig.add_trace(
            go.Heatmap(
                z=array.T,
                x=time_axis,
                y=[str(u + 1) for u in range(array.shape[1])],
                zmin=0.0 if gate else -limit,
                zmax=1.0 if gate else limit,
                colorscale=theme.SEQUENTIAL if gate else theme.DIVERGING,
                showscale=row in (2, 5),
                colorbar={
                    "len": 0.22,
                    "y": 0.78 if row == 2 else 0.0,
                    "yanchor": "middle" if row == 2 else "bottom",
                },
                hovertemplate="t=%{x}, unit %{y}: %{z:.3f}<extra></extra>",
            ),
            row=row,
            col=1,
        )
        fig.update_yaxes(
            title_text=t("rnn.fig.unit", lang), showticklabels=False, row=row, col=1
        )
    fig.update_xaxes(title_text=t("rnn.fig.timestep", lang), row=len(rows), col=1)
    return theme.styled(fig, height=720, legend=False)


def gradient_figure(
    grads: Mapping[str, Sequence[float]], *, lang: str, trained: bool
) -> go.Figure:
    """‖∂loss/∂x_t‖ against t for each cell type, log scale (zeros — below
    float32's range — are left out and counted in the legend)."""
    fig = go.Figure()
    shown = []
    for cell, values in grads.items():
        array = np.asarray(values, float)
        positive = array > 0
        steps = np.arange(1, len(array) + 1)
        name = cell_name(cell, lang)
        missing = int((~positive).sum())
        if missing:
            name += " " + t("rnn.fig.underflow", lang, count=missing)
        fig.add_trace(
            go.Scatter(
                x=steps[positive],
                y=array[positive],
                mode="lines+markers",
                name=name,
                line={"color": CELL_COLORS[cell], "width": 3},
                hovertemplate="t=%{x}: %{y:.3g}<extra></extra>",
            )
        )
        shown.append(array[positive])
    key = "rnn.fig.grad_trained" if trained else "rnn.fig.grad_init"
    theme.styled(
        fig,
        title=t(key, lang),
        x_title=t("rnn.fig.timestep", lang),
        y_title=t("rnn.fig.grad_norm", lang),
    )
    # Below the plot: beside the title it collides with it on a phone.
    fig.update_layout(
        legend={"yanchor": "top", "y": -0.22, "x": 0.0, "xanchor": "left"},
        margin={"b": 110},
    )
    theme.log_axis(fig, shown)
    return fig


def memory_scores_figure(
    metrics: Mapping[str, float], cells: Sequence[str], *, lang: str
) -> go.Figure:
    """Validation MSE of each cell type (log scale), the trivial baseline as a line."""
    names = [cell_name(c, lang) for c in cells if f"{c}_val_mse" in metrics]
    values = [metrics[f"{c}_val_mse"] for c in cells if f"{c}_val_mse" in metrics]
    colors = [CELL_COLORS[c] for c in cells if f"{c}_val_mse" in metrics]
    baseline = metrics["baseline_mse"]
    fig = go.Figure(
        go.Bar(
            x=names,
            y=values,
            marker_color=colors,
            text=[f"{v:.4f}" for v in values],
            textposition="outside",
            hovertemplate="%{x}: %{y:.4f}<extra></extra>",
            showlegend=False,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=names,
            y=[baseline] * len(names),
            mode="lines",
            line={"color": theme.TEXT_COLOR, "dash": "dash", "width": 3},
            name=t("rnn.fig.baseline", lang, value=f"{baseline:.3f}"),
        )
    )
    theme.styled(fig, y_title=t("rnn.fig.val_mse", lang))
    theme.log_axis(fig, [values, [baseline * 1.6]])
    return fig


def sentiment_scores_figure(
    accuracy: Mapping[str, Mapping[str, float]], *, lang: str
) -> go.Figure:
    """Test accuracy of each model (bars) per sentence pattern (groups)."""
    fig = go.Figure()
    for model, by_kind in accuracy.items():
        kinds = list(by_kind)
        fig.add_trace(
            go.Bar(
                x=[t(f"rnn.kind.{k}", lang) for k in kinds],
                y=[by_kind[k] for k in kinds],
                name=t(f"rnn.model.{model}", lang),
                marker_color=CELL_COLORS.get(model, theme.COLORS[5]),
                text=[f"{by_kind[k]:.0%}" for k in kinds],
                textposition="outside",
            )
        )
    fig.update_yaxes(range=[0, 1.15], tickformat=".0%")
    fig.add_hline(y=0.5, line_dash="dot", line_color=theme.TEXT_COLOR)
    return theme.styled(
        fig,
        y_title=t("rnn.fig.accuracy", lang),
        height=theme.HEIGHT + 40,
    ).update_layout(barmode="group", legend={"y": 1.12})


def embedding_figure(
    coords: np.ndarray, words: Sequence[str], roles: Sequence[str], *, lang: str
) -> go.Figure:
    """Word vectors projected on their first two principal components."""
    fig = go.Figure()
    for role in ROLE_COLORS:
        chosen = [i for i, r in enumerate(roles) if r == role]
        if not chosen:
            continue
        fig.add_trace(
            go.Scatter(
                x=coords[chosen, 0],
                y=coords[chosen, 1],
                mode="markers+text",
                text=[words[i] for i in chosen],
                textposition="top center",
                textfont={"size": 15},
                marker={"size": 10, "color": ROLE_COLORS[role]},
                name=t(f"rnn.role.{role}", lang),
            )
        )
    return theme.styled(
        fig,
        title=t("rnn.fig.embedding", lang),
        x_title=t("rnn.fig.pc1", lang),
        y_title=t("rnn.fig.pc2", lang),
        height=theme.TALL_HEIGHT,
    )


def token_figure(
    tokens: Sequence[str], probabilities: Sequence[float], *, lang: str, model: str
) -> go.Figure:
    """P(positive) after each token of the sentence (one recurrent model)."""
    labels = [f"{i + 1}. {tok}" for i, tok in enumerate(tokens)]
    values = list(probabilities)
    fig = go.Figure(
        go.Scatter(
            x=labels,
            y=values,
            mode="lines+markers+text",
            text=[f"{v:.2f}" for v in values],
            textposition="top center",
            line={"color": CELL_COLORS.get(model, theme.COLORS[0]), "width": 3},
            marker={"size": 10},
            hovertemplate="%{x}: %{y:.3f}<extra></extra>",
        )
    )
    fig.add_hline(y=0.5, line_dash="dot", line_color=theme.TEXT_COLOR)
    fig.update_yaxes(range=[-0.05, 1.12])
    return theme.styled(
        fig,
        title=t("rnn.fig.tokens", lang, model=t(f"rnn.model.{model}", lang)),
        x_title=t("rnn.fig.token", lang),
        y_title=t("rnn.fig.p_positive", lang),
        legend=False,
    )
