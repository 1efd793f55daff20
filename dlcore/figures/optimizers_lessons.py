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
    positive,
    zero_note,
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
    """Learning rate against t, one line per schedule (``schedule_values``).

    ``t`` is what Keras passes to the schedule: the number of updates already
    made (``optimizer.iterations``), so the first update uses the value at
    ``t = 0``, the formula's t.
    """
    series = {name: np.asarray(v, np.float64) for name, v in schedules.items()}
    return _lines_figure(
        series,
        title=t("opt.fig.schedule", lang),
        y_title=t("opt.axis.lr", lang),
        log_y=log_y,
        height=height,
        x_title=t("opt.axis.iterations", lang),
        lang=lang,
    )


def clipping_figure(
    runs: Mapping[str, Any],
    *,
    landscape: str = "cliff",
    lang: str = "en",
    height: int = theme.TALL_HEIGHT,
) -> go.Figure:
    """Paths with and without clipping on the cliff. The window grows (up to
    3×) so the unclipped jump off the wall stays visible. The step lengths
    are :func:`step_length_figure` (a separate chart: side by side they were
    too narrow to read on a phone)."""
    land = landscapes.get_landscape(landscape)
    fig = go.Figure()
    x_range, y_range = _window(land, runs.values(), grow=3.0)
    xs, ys, z = landscapes.grid(landscape, 121, x_range=x_range, y_range=y_range)
    _log_contour(fig, xs, ys, z, lang=lang, showscale=False)
    _add_points(fig, land.points, land.x_range, land.y_range, lang=lang)
    _add_paths(fig, runs, lang=lang)
    fig.update_xaxes(range=list(x_range))
    fig.update_yaxes(range=list(y_range))
    fig = theme.styled(
        fig, title=t("opt.fig.clipping", lang), height=height, x_title="x", y_title="y"
    )
    return _legend(fig, "top")


def step_length_figure(
    runs: Mapping[str, Any],
    *,
    bound: float | None = None,
    lang: str = "en",
    height: int = theme.HEIGHT,
) -> go.Figure:
    """Length ‖θₜ − θₜ₋₁‖ of update t = 1, 2, … of each run (log y, full-value
    labels). ``bound`` (= η·c) draws the clipped step's upper limit."""
    fig = go.Figure()
    hits, drawn = {}, []
    for i, (name, run) in enumerate(runs.items()):
        lengths, first = positive(np.linalg.norm(np.diff(_path(run), axis=0), axis=1))
        if first is not None:
            hits[name] = first + 1
        drawn.append(lengths)
        fig.add_scatter(
            x=np.arange(1, len(lengths) + 1),
            y=lengths,
            mode="lines",
            name=name,
            line={"color": theme.color(i), "width": 2},
        )
    if bound is not None:
        fig.add_hline(
            y=bound,
            line={"dash": "dash", "color": theme.TEXT_COLOR},
            annotation_text=t("opt.clip.bound", lang, bound=bound),
            annotation_position="top right",
            annotation_font={"size": theme.FONT_SIZE, "color": theme.TEXT_COLOR},
        )
        drawn.append([bound])
    fig = theme.styled(
        fig,
        title=t("opt.fig.step_length", lang),
        height=height,
        x_title=t("opt.axis.step", lang),
        y_title=t("opt.axis.step_length", lang),
    )
    theme.log_axis(fig, drawn)
    zero_note(fig, hits, lang=lang)
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
    (log y): small batches stall at a noise floor, the full batch does not.
    A difference ≤ 0 (the optimum to float precision) is a gap with a note."""
    data = data or optimizers.regression_data()
    best = float(optimizers.regression_loss(*data.optimum, data))
    series = {}
    for size, path in paths.items():
        path = np.asarray(path, np.float64)
        excess = optimizers.regression_loss(path[:, 0], path[:, 1], data) - best
        series[batch_label(size, len(data.x), lang)] = excess
    return _lines_figure(
        series,
        title=t("opt.fig.minibatch_loss", lang),
        y_title=t("opt.axis.excess_loss", lang),
        log_y=True,
        height=height,
        x_title=t("opt.axis.step", lang),
        lang=lang,
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
    fig.update_yaxes(range=[0, 1.02])
    fig = theme.styled(
        fig,
        title=t("opt.fig.theory", lang),
        height=height,
        x_title=t("opt.axis.kappa", lang),
        y_title=t("opt.axis.rate", lang),
    )
    theme.log_axis(fig, kappa, axis="x")
    # Four long entries: under the plot (inside, they covered the curves).
    return _legend(fig, "below")


def race_figure(
    history: pd.DataFrame,
    *,
    metric: str = "loss",
    dataset: str = "digits",
    epochs: int | None = None,
    lang: str = "en",
    height: int = theme.HEIGHT,
) -> go.Figure:
    """One metric of a race per epoch, one colour per run: the training loss
    (``metric="loss"``, log y with full-value labels, titled with the dataset)
    or the validation accuracy (``"val_accuracy"``, 0 to 1). Two figures, not
    two panels of one: side by side they were too narrow on a phone.

    ``history`` is ``train_race(...).history`` (or progress events so far,
    with ``epoch`` and ``run`` columns); ``epochs`` fixes the x range.
    """
    if metric not in ("loss", "val_accuracy"):
        raise ValueError(f"metric must be 'loss' or 'val_accuracy', got {metric!r}")
    fig = go.Figure()
    frame = history.reset_index() if "epoch" not in history.columns else history
    runs = list(dict.fromkeys(frame["run"])) if "run" in frame else []
    for i, run in enumerate(runs):
        part = frame[frame["run"] == run]
        if metric in part:
            fig.add_scatter(
                x=part["epoch"],
                y=part[metric],
                mode="lines+markers",
                name=race_label(run, lang),
                line={"color": theme.color(i), "width": 2},
            )
    if metric == "loss":
        title = t("opt.fig.race", lang, dataset=t(f"opt.dataset.{dataset}", lang))
        y_title = t("opt.axis.train_loss", lang)
    else:
        title, y_title = (
            t("opt.fig.race_accuracy", lang),
            t("opt.axis.val_accuracy", lang),
        )
        fig.update_yaxes(range=[0, 1.02])
    fig.update_xaxes(range=[0.5, epochs + 0.5] if epochs else None)
    fig = theme.styled(
        fig,
        title=title,
        height=height,
        x_title=t("opt.axis.epoch", lang),
        y_title=y_title,
    )
    if metric == "loss":
        theme.log_axis(fig, frame.get("loss", []))  # full values: 0.5, never "5"
    return _legend(fig, "below")


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
