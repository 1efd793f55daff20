"""Figures of the Optimizers lessons: schedules, clipping, batch size, momentum
theory and the race on a real network (tables included).

>>> race_label("momentum (lr=0.1)")
'SGD + momentum (η = 0.1)'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dlcore import optimizers
from dlcore.figures import theme
from dlcore.figures.optimizers_base import (
    _POINT_MARKERS,
    _add_paths,
    _add_points,
    _legend,
    _lines_figure,
    _log_contour,
    _path,
    _window,
)
from dlcore.i18n import t
from dlcore.optimizers import landscapes


def schedule_figure(
    schedules: Mapping[str, np.ndarray],
    *,
    log_y: bool = False,
    lang: str = "en",
    height: int = theme.HEIGHT,
) -> go.Figure:
    """Learning rate against step, one line per schedule (``schedule_values``)."""
    series = {name: np.asarray(v, np.float64) for name, v in schedules.items()}
    return _lines_figure(
        series,
        title=t("opt.fig.schedule", lang),
        y_title=t("opt.axis.lr", lang),
        log_y=log_y,
        height=height,
        x_title=t("opt.axis.step", lang),
    )


def clipping_figure(
    runs: Mapping[str, Any],
    *,
    bound: float | None = None,
    landscape: str = "cliff",
    lang: str = "en",
    height: int = theme.TALL_HEIGHT,
) -> go.Figure:
    """Paths with and without clipping on the cliff (left) and their step lengths
    (right, log y). ``bound`` (= η·c) draws the clipped step's upper limit."""
    land = landscapes.get_landscape(landscape)
    fig = make_subplots(
        rows=1, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.14
    )
    # Widen the window (up to 3×) so the unclipped jump off the wall stays visible.
    x_range, y_range = _window(land, runs.values(), grow=3.0)
    xs, ys, z = landscapes.grid(landscape, 121, x_range=x_range, y_range=y_range)
    _log_contour(fig, xs, ys, z, lang=lang, showscale=False, row=1, col=1)
    _add_points(fig, land.points, land.x_range, land.y_range, lang=lang, row=1, col=1)
    _add_paths(fig, runs, lang=lang, row=1, col=1)
    for i, (name, run) in enumerate(runs.items()):
        lengths = np.linalg.norm(np.diff(_path(run), axis=0), axis=1)
        fig.add_scatter(
            x=np.arange(1, len(lengths) + 1),
            y=np.maximum(lengths, 1e-12),
            mode="lines",
            name=name,
            legendgroup=name,
            showlegend=False,
            line={"color": theme.color(i), "width": 2},
            row=1,
            col=2,
        )
    if bound is not None:
        fig.add_hline(
            y=bound,
            line={"dash": "dash", "color": "#1f2933"},
            row=1,
            col=2,
            annotation_text=t("opt.clip.bound", lang, bound=bound),
            annotation_position="top right",
        )
    fig.update_xaxes(range=list(x_range), title_text="x", row=1, col=1)
    fig.update_yaxes(range=list(y_range), title_text="y", row=1, col=1)
    fig.update_xaxes(title_text=t("opt.axis.step", lang), row=1, col=2)
    fig.update_yaxes(
        type="log",
        exponentformat="power",
        dtick=1,
        title_text=t("opt.axis.step_length", lang),
        row=1,
        col=2,
    )
    fig = theme.styled(fig, title=t("opt.fig.clipping", lang), height=height)
    return _legend(fig, "below")


def minibatch_figure(
    paths: Mapping[int, np.ndarray],
    data: Any = None,
    *,
    num: int = 101,
    lang: str = "en",
    height: int = theme.TALL_HEIGHT,
) -> go.Figure:
    """Mini-batch SGD paths (batch size → (w, b) path) on the regression's MSE."""
    data = data or optimizers.regression_data()
    ws, bs, z = optimizers.regression_grid(data, num)
    fig = go.Figure()
    _log_contour(fig, ws, bs, z, lang=lang, showscale=False)
    named = {batch_label(size, len(data.x), lang): p for size, p in paths.items()}
    _add_paths(fig, named, lang=lang)
    fig.add_scatter(
        x=[data.optimum[0]],
        y=[data.optimum[1]],
        mode="markers",
        name=t("opt.least_squares", lang),
        marker={**_POINT_MARKERS["global"], "line": {"width": 1, "color": "#1f2933"}},
    )
    fig.update_xaxes(range=list(data.w_range))
    fig.update_yaxes(range=list(data.b_range))
    fig = theme.styled(
        fig, title=t("opt.fig.minibatch", lang), height=height, x_title="w", y_title="b"
    )
    return _legend(fig, "top")


def batch_label(batch_size: int, num_samples: int, lang: str = "en") -> str:
    """Legend name of a mini-batch run (``"batch size 8"``, ``"full batch (64)"``)."""
    if int(batch_size) >= num_samples:
        return t("opt.full_batch", lang, n=num_samples)
    return t("opt.batch_size_n", lang, n=int(batch_size))


def minibatch_loss_figure(
    paths: Mapping[int, np.ndarray],
    data: Any = None,
    *,
    lang: str = "en",
    height: int = theme.HEIGHT,
) -> go.Figure:
    """Full-data MSE along each mini-batch path, minus the least-squares MSE
    (log y): small batches stall at a noise floor, the full batch does not."""
    data = data or optimizers.regression_data()
    best = float(optimizers.regression_loss(*data.optimum, data))
    series = {}
    for size, path in paths.items():
        path = np.asarray(path, np.float64)
        excess = optimizers.regression_loss(path[:, 0], path[:, 1], data) - best
        series[batch_label(size, len(data.x), lang)] = np.maximum(excess, 1e-12)
    return _lines_figure(
        series,
        title=t("opt.fig.minibatch_loss", lang),
        y_title=t("opt.axis.excess_loss", lang),
        log_y=True,
        height=height,
        x_title=t("opt.axis.step", lang),
    )


def momentum_theory_figure(
    table: pd.DataFrame, *, lang: str = "en", height: int = theme.HEIGHT
) -> go.Figure:
    """Predicted (lines) vs measured (markers) rates over κ (``momentum_theory``)."""
    fig = go.Figure()
    kappa = table["condition_number"]
    for i, method in enumerate(("gd", "momentum")):
        color = theme.color(i)
        fig.add_scatter(
            x=kappa,
            y=table[f"{method}_predicted"],
            mode="lines",
            name=t(f"opt.theory.{method}_predicted", lang),
            line={"color": color, "width": 2},
        )
        fig.add_scatter(
            x=kappa,
            y=table[f"{method}_observed"],
            mode="markers",
            name=t(f"opt.theory.{method}_observed", lang),
            marker={
                "color": color,
                "size": 10,
                "symbol": "circle-open",
                "line": {"width": 2},
            },
        )
    fig.update_xaxes(
        type="log", tickvals=list(kappa), ticktext=[f"{k:g}" for k in kappa]
    )
    fig.update_yaxes(range=[0, 1.02])
    fig = theme.styled(
        fig,
        title=t("opt.fig.theory", lang),
        height=height,
        x_title=t("opt.axis.kappa", lang),
        y_title=t("opt.axis.rate", lang),
    )
    # Four long entries: inside the plot, bottom right, where the curves are not.
    fig.update_layout(
        legend={
            "orientation": "v",
            "x": 0.99,
            "xanchor": "right",
            "y": 0.02,
            "yanchor": "bottom",
            "bgcolor": "rgba(255,255,255,0.8)",
        }
    )
    return fig


def race_figure(
    history: pd.DataFrame,
    *,
    dataset: str = "digits",
    epochs: int | None = None,
    lang: str = "en",
    height: int = theme.HEIGHT,
) -> go.Figure:
    """Training loss (log) and validation accuracy per epoch, one colour per run.

    ``history`` is ``train_race(...).history`` (or progress events so far,
    with ``epoch`` and ``run`` columns); ``epochs`` fixes the x range.
    """
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.14)
    frame = history.reset_index() if "epoch" not in history.columns else history
    runs = list(dict.fromkeys(frame["run"])) if "run" in frame else []
    for i, run in enumerate(runs):
        part = frame[frame["run"] == run]
        style = {"color": theme.color(i), "width": 2}
        fig.add_scatter(
            x=part["epoch"],
            y=part["loss"],
            mode="lines+markers",
            name=race_label(run, lang),
            legendgroup=run,
            line=style,
            row=1,
            col=1,
        )
        if "val_accuracy" in part:
            fig.add_scatter(
                x=part["epoch"],
                y=part["val_accuracy"],
                mode="lines+markers",
                name=race_label(run, lang),
                legendgroup=run,
                showlegend=False,
                line=style,
                row=1,
                col=2,
            )
    x_range = [0.5, epochs + 0.5] if epochs else None
    fig.update_xaxes(title_text=t("opt.axis.epoch", lang), range=x_range)
    fig.update_yaxes(
        type="log",
        exponentformat="power",
        title_text=t("opt.axis.train_loss", lang),
        row=1,
        col=1,
    )
    fig.update_yaxes(
        range=[0, 1.02], title_text=t("opt.axis.val_accuracy", lang), row=1, col=2
    )
    title = t("opt.fig.race", lang, dataset=t(f"opt.dataset.{dataset}", lang))
    return _legend(theme.styled(fig, title=title, height=height), "below")


def race_label(run_name: str, lang: str = "en") -> str:
    """A race run's legend name in ``lang``: ``"adam (lr=0.01)"`` becomes
    ``"Adam (η = 0.01)"``.

    >>> race_label("momentum (lr=0.1)")
    'SGD + momentum (η = 0.1)'
    """
    name, _, rest = run_name.partition(" (lr=")
    label = t(f"opt.name.{name}", lang)
    return f"{label} (η = {rest.rstrip(')')})" if rest else label


def race_table(metrics: Mapping[str, float], lang: str = "en") -> pd.DataFrame:
    """Final training loss and validation accuracy per run of a race, for display.

    >>> race_table({"sgd/loss": 0.5, "sgd/val_accuracy": 0.9}).shape
    (1, 3)
    """
    runs = list(dict.fromkeys(key.rpartition("/")[0] for key in metrics))
    return pd.DataFrame(
        {
            t("opt.race.optimizer", lang): [race_label(run, lang) for run in runs],
            t("opt.axis.train_loss", lang): [metrics.get(f"{r}/loss") for r in runs],
            t("opt.axis.val_accuracy", lang): [
                metrics.get(f"{r}/val_accuracy") for r in runs
            ],
        }
    )


def theory_table(
    condition_number: float, runs: Mapping[str, Any], lang: str = "en"
) -> pd.DataFrame:
    """Goh's optimal settings and rates for κ next to the rates measured on
    ``runs`` (``optimal_runs(κ)``): one column per method.

    >>> table = theory_table(9.0, optimizers.optimal_runs(9.0, steps=40))
    >>> table.shape
    (4, 2)
    """
    gd_lr, gd_rate = optimizers.gd_optimal(condition_number)
    hb_lr, beta, hb_rate = optimizers.heavy_ball_optimal(condition_number)
    columns = {"gd": (gd_lr, 0.0, gd_rate), "momentum": (hb_lr, beta, hb_rate)}
    rows = ["opt.hp.learning_rate", "opt.hp.momentum", "opt.theory.predicted"]
    return pd.DataFrame(
        {
            t(f"opt.theory.{method}", lang): [
                *values,
                optimizers.observed_rate(runs[method].distances),
            ]
            for method, values in columns.items()
        },
        index=[t(key, lang) for key in [*rows, "opt.theory.observed"]],
    )
