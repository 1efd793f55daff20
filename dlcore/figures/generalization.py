"""Figures of the generalization page: sweeps, early stopping, weights, weight
decay, Monte-Carlo dropout, evaluation protocols, ROC.

>>> fig = roc_figure(pd.DataFrame({"fpr": [0, 1], "tpr": [0, 1]}), (0.5, 0.5))
>>> fig.layout.xaxis.title.text
'false-positive rate'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dlcore.figures import theme
from dlcore.figures.activations import gradient_flow_figure
from dlcore.i18n import t

#: Pixels between the plot area's bottom and the legend (room for the ticks and
#: the x-axis title), and per legend row.
LEGEND_GAP = 95
LEGEND_ROW = 26


def _styled(fig: go.Figure, *, rows: int = 1, **kwargs: Any) -> go.Figure:
    """``theme.styled`` with the legend under the chart, left-aligned: above it
    the legend ran into the title on a phone."""
    theme.styled(fig, **kwargs)
    height = kwargs.get("height", theme.HEIGHT)
    extra = LEGEND_ROW * rows
    top = 50 if kwargs.get("title") else 20
    plot = height - top - 50  # the plot area before the legend is added
    fig.update_layout(
        height=height + extra,
        margin={"b": LEGEND_GAP + extra},
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": -LEGEND_GAP / plot,
            "x": 0.0,
            "xanchor": "left",
        },
    )
    return fig


def sweep_figure(
    table: Sequence[Mapping[str, Any]], sweep: str, *, lang: str = "en"
) -> go.Figure:
    """Final training and validation loss per run of a sweep, the best
    validation point marked.

    ``sweep="width"``: x = parameters; ``"size"``: x = training digits
    (both log axes).
    """
    frame = pd.DataFrame(list(table))
    fig = go.Figure()
    if frame.empty:
        return theme.styled(fig, title=t("gen.fig.sweep", lang))
    x_col = "params" if sweep == "width" else "num_train"
    x = frame[x_col].to_numpy(float)
    for i, (column, key) in enumerate(
        (("loss", "gen.legend.train_loss"), ("val_loss", "gen.legend.val_loss"))
    ):
        fig.add_scatter(
            x=x,
            y=frame[column],
            name=t(key, lang),
            mode="lines+markers",
            line={"color": theme.color(i), "width": 3},
            marker={"size": 9},
            customdata=frame["width"] if sweep == "width" else frame["num_train"],
            hovertemplate="%{x:.0f}: %{y:.3f}<extra></extra>",
        )
    best = int(frame["val_loss"].idxmin())
    fig.add_scatter(
        x=[x[best]],
        y=[frame["val_loss"].iloc[best]],
        name=t("gen.legend.best_val", lang),
        mode="markers",
        marker={"size": 18, "symbol": "star", "color": theme.color(3)},
        hovertemplate="%{x:.0f}: %{y:.3f}<extra></extra>",
    )
    theme.log_axis(fig, x, axis="x")
    x_title = t("gen.axis.params" if sweep == "width" else "gen.axis.num_train", lang)
    return _styled(
        fig,
        rows=2,
        title=t(f"gen.fig.sweep.{sweep}", lang),
        x_title=x_title,
        y_title=t("gen.axis.final_loss", lang),
    )


def early_stopping_figure(
    history: pd.DataFrame,
    *,
    best_epoch: int | None,
    stop_epoch: int | None,
    lang: str = "en",
) -> go.Figure:
    """Training and validation loss per epoch; where early stopping stops and
    the epoch whose weights it restores."""
    fig = go.Figure()
    epochs = history.index.to_numpy()
    for i, (column, key) in enumerate(
        (("loss", "gen.legend.train_loss"), ("val_loss", "gen.legend.val_loss"))
    ):
        fig.add_scatter(
            x=epochs,
            y=history[column],
            name=t(key, lang),
            mode="lines",
            line={"color": theme.color(i), "width": 3},
        )
    values = np.concatenate([history["loss"], history["val_loss"]])
    theme.log_axis(fig, values)
    for epoch, key, dash, color in (
        (best_epoch, "gen.mark.best", "dot", theme.color(2)),
        (stop_epoch, "gen.mark.stop", "dash", theme.color(3)),
    ):
        if epoch:
            fig.add_vline(
                x=epoch,
                line={"dash": dash, "color": color, "width": 3},
                annotation={
                    "text": t(key, lang, epoch=epoch),
                    "font": {"size": theme.FONT_SIZE, "color": color},
                },
                annotation_position="top left" if key.endswith("best") else "top right",
            )
    return _styled(
        fig,
        title=t("gen.fig.early", lang),
        x_title=t("gen.axis.epoch", lang),
        y_title=t("gen.axis.loss", lang),
    )


def weight_histogram_figure(
    kernels: Mapping[str, np.ndarray], *, lang: str = "en"
) -> go.Figure:
    """Histogram of first-layer weights, one trace per run (log count axis)."""
    fig = go.Figure()
    for i, (name, kernel) in enumerate(kernels.items()):
        w = np.asarray(kernel, float).ravel()
        fig.add_histogram(
            x=w,
            name=name,
            nbinsx=80,
            opacity=0.6,
            marker={"color": theme.color(i)},
            hovertemplate="%{x}: %{y}<extra></extra>",
        )
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(type="log")
    theme.styled(
        fig,
        legend=False,
        title=t("gen.fig.weights", lang),
        x_title=t("gen.axis.weight", lang),
        y_title=t("gen.axis.count", lang),
    )
    # Log count axis with full-value labels (powers of ten).
    counts = [
        np.histogram(np.asarray(k, float).ravel(), bins=80)[0] for k in kernels.values()
    ]
    theme.log_axis(fig, [c[c > 0] for c in counts] or [1, 10])
    return fig


def decay_figure(
    frame: pd.DataFrame, minimum: Sequence[float], *, lang: str = "en"
) -> go.Figure:
    """The two weights over the steps: L2 penalty (solid) vs decoupled weight
    decay (dashed); the penalized loss's exact minimum as dotted lines."""
    fig = go.Figure()
    for j in (1, 2):
        color = theme.color(j - 1)
        for mode, dash in (("l2", "solid"), ("decay", "dash")):
            fig.add_scatter(
                x=frame["step"],
                y=frame[f"w{j}_{mode}"],
                name=t(f"gen.legend.{mode}", lang, w=f"w{j}"),
                mode="lines",
                line={"color": color, "width": 3, "dash": dash},
            )
        fig.add_hline(
            y=float(minimum[j - 1]),
            line={"color": color, "width": 2, "dash": "dot"},
        )
    return _styled(
        fig,
        rows=2,
        title=t("gen.fig.decay", lang),
        x_title=t("gen.axis.step", lang),
        y_title=t("gen.axis.weight", lang),
        height=theme.TALL_HEIGHT,
    )


def mc_figure(mc: Mapping[str, Any], *, lang: str = "en") -> go.Figure:
    """How often the 30 dropout passes agree, for right and wrong predictions."""
    agreement = np.asarray(mc["agreement"], float)
    correct = np.asarray(mc["correct"], bool)
    fig = go.Figure()
    for i, (mask, key) in enumerate(
        ((correct, "gen.legend.right"), (~correct, "gen.legend.wrong"))
    ):
        fig.add_histogram(
            x=agreement[mask] * 100,
            name=t(key, lang, count=int(mask.sum())),
            xbins={"start": 0, "end": 101, "size": 5},
            opacity=0.7,
            marker={"color": theme.color(i + 2)},
            histnorm="percent",
        )
    fig.update_layout(barmode="overlay")
    return _styled(
        fig,
        title=t("gen.fig.mc", lang),
        x_title=t("gen.axis.agreement", lang),
        y_title=t("gen.axis.share", lang),
    )


def protocols_figure(frame: pd.DataFrame, *, lang: str = "en") -> go.Figure:
    """The score each protocol estimates, once per repeat (box + points)."""
    fig = go.Figure()
    for i, protocol in enumerate(("holdout", "kfold", "iterated")):
        scores = frame.loc[frame["protocol"] == protocol, "score"] * 100
        fig.add_box(
            y=scores,
            name=t(f"gen.protocol.{protocol}", lang),
            boxpoints="all",
            jitter=0.4,
            pointpos=0,
            marker={"color": theme.color(i), "size": 8},
            line={"width": 2},
        )
    return theme.styled(
        fig,
        title=t("gen.fig.protocols", lang),
        y_title=t("gen.axis.estimate", lang),
        legend=False,
    )


def roc_figure(
    roc: pd.DataFrame, point: tuple[float, float], *, lang: str = "en"
) -> go.Figure:
    """The ROC curve, chance diagonal and the current threshold's point."""
    fig = go.Figure()
    fig.add_scatter(
        x=[0, 1],
        y=[0, 1],
        name=t("gen.legend.chance", lang),
        mode="lines",
        line={"color": theme.color(7), "dash": "dot", "width": 2},
    )
    fig.add_scatter(
        x=roc["fpr"],
        y=roc["tpr"],
        name=t("gen.legend.roc", lang),
        mode="lines",
        line={"color": theme.color(0), "width": 3},
    )
    fig.add_scatter(
        x=[point[0]],
        y=[point[1]],
        name=t("gen.legend.threshold", lang),
        mode="markers",
        marker={"size": 16, "color": theme.color(3)},
    )
    fig.update_xaxes(range=[-0.02, 1.02])
    fig.update_yaxes(range=[-0.02, 1.02])
    return _styled(
        fig,
        rows=2,
        title=t("gen.fig.roc", lang),
        x_title=t("gen.axis.fpr", lang),
        y_title=t("gen.axis.tpr", lang),
    )


def flow_figure(tables: Mapping[str, Any], *, lang: str = "en") -> go.Figure:
    """The activations page's gradient-per-layer chart (plain vs residual),
    with a layer tick every 5 layers beyond 10 so a phone can read them."""
    fig = gradient_flow_figure(tables, title_key="gen.fig.flow", lang=lang)
    layers = max(len(table["layer"]) for table in tables.values())
    if layers > 10:
        fig.update_xaxes(tick0=0, dtick=5)
    return fig


def leakage_figure(demo: Mapping[str, Any], *, lang: str = "en") -> go.Figure:
    """The raw feature of both splits, and the two means one could subtract."""
    fig = go.Figure()
    for i, (key, name) in enumerate(
        (("x_train", "gen.legend.train_split"), ("x_val", "gen.legend.val_split"))
    ):
        fig.add_histogram(
            x=demo[key],
            name=t(name, lang),
            opacity=0.6,
            marker={"color": theme.color(i)},
            xbins={"start": -6.0, "size": 0.5},
        )
    counts = [
        np.histogram(demo[key], bins=np.arange(-6.0, 8.5, 0.5))[0].max()
        for key in ("x_train", "x_val")
    ]
    top = float(max(counts))
    for key, dash, color in (
        ("honest_mean", "solid", theme.color(2)),
        ("leaky_mean", "dash", theme.color(3)),
    ):
        fig.add_scatter(  # a vertical line that has a legend entry
            x=[demo[key], demo[key]],
            y=[0, top],
            name=t(f"gen.mark.{key}", lang, value=demo[key]),
            mode="lines",
            line={"dash": dash, "color": color, "width": 3},
        )
    fig.update_layout(barmode="overlay")
    return _styled(
        fig,
        rows=2,
        title=t("gen.fig.leakage", lang),
        x_title=t("gen.axis.feature", lang),
        y_title=t("gen.axis.count", lang),
    )
