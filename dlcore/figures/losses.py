"""Figures of the Losses topic: curves, distributions, outliers, pairings.

>>> fig = loss_curve_figure(["mse", "mae"], target=0.0, x_range=(-2.0, 2.0))
>>> [trace.name for trace in fig.data]
['MSE', 'MSE', 'MAE', 'MAE']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dlcore import losses
from dlcore.figures import theme
from dlcore.figures import training as training_figures
from dlcore.i18n import t

_DEFAULT_RANGES = {
    "probability": (0.0, 1.0),
    "logit": (-6.0, 6.0),
    "rate": (0.0, 6.0),
    "real": (-3.0, 3.0),
    "score": (-4.0, 4.0),
}
_DASHES = ("solid", "dash", "dot", "dashdot")
#: x-axis kinds that can share a plot, and the axis they share: a logit and a
#: hinge score are both unbounded scores; a Poisson rate is also a value.
_SHARED_AXES = {
    frozenset({"logit", "real"}): "score",
    frozenset({"rate", "real"}): "rate",
}


def _robust_range(values: np.ndarray) -> list[float] | None:
    """A y-range that ignores a few huge values near the edges (e.g. −1/p at p → 0).

    ``None`` (Plotly's autorange) when nothing sticks out.
    """
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return None
    lo, hi = np.quantile(finite, [0.02, 0.98])
    full = finite.max() - finite.min()
    if full <= 3 * max(hi - lo, 1e-9):
        return None
    pad = 0.1 * max(hi - lo, 1e-3)
    return [float(lo - pad), float(hi + pad)]


def _coincide(a: np.ndarray, b: np.ndarray, y_range: list[float] | None) -> bool:
    """True when two curves are less than ~1/1000 of the plot apart where shown."""
    both = np.concatenate([a, b])
    finite = both[np.isfinite(both)]
    if finite.size == 0:
        return False
    lo, hi = y_range or (float(finite.min()), float(finite.max()))
    a, b = np.clip(a, lo, hi), np.clip(b, lo, hi)
    return bool(np.allclose(a, b, rtol=0, atol=1e-3 * max(hi - lo, 1e-9)))


def _same_as(
    names: Sequence[str],
    columns: Mapping[int, Sequence[np.ndarray]],
    ranges: Mapping[int, list[float] | None],
) -> dict[str, tuple[str, str]]:
    """Curves that lie on an earlier one: ``{name: (kind, earlier name)}``.

    ``kind`` is ``"curve"`` (loss and slope both coincide), ``"loss"`` or
    ``"slope"``; the later curve is drawn on top (dashed, so both show).
    """
    same: dict[str, tuple[str, str]] = {}
    for i, name in enumerate(names):
        for j in range(i):
            loss = _coincide(columns[1][i], columns[1][j], ranges[1])
            slope = _coincide(columns[2][i], columns[2][j], ranges[2])
            if loss or slope:
                kind = "curve" if loss and slope else "loss" if loss else "slope"
                same[name] = (kind, names[j])
                break
    return same


def loss_curve_figure(
    names: Sequence[str],
    *,
    target: float,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    x_range: tuple[float, float] | None = None,
    num_points: int = 401,
    num_classes: int = 3,
    lang: str = "en",
) -> go.Figure:
    """Loss (left) and ``dL/dŷ`` (right) of one sample against the prediction.

    All ``names`` must share the x-axis kind (see
    :func:`dlcore.losses.prediction_kind`), except that logits and raw
    scores share a "score" axis and rates share theirs with plain values.
    Probabilities are sampled inside ``[1e-4, 1 − 1e-4]`` so that Keras'
    clipping at 1e-7 is not the whole picture. See
    :func:`dlcore.losses.curve` for multi-class losses. When a few points
    near an edge are huge (``−1/p`` as ``p → 0``), the y-axes zoom on the
    rest (the data are complete; zoom out in Plotly to see them).
    """
    names = list(names)
    if not names:
        raise ValueError("Choose at least one loss")
    params = params or {}
    kinds = {losses.prediction_kind(n, **params.get(n, {})) for n in names}
    kind = kinds.pop() if len(kinds) == 1 else _SHARED_AXES.get(frozenset(kinds))
    if kind is None:
        raise ValueError(
            f"These losses need different x-axes ({sorted(kinds)}); plot them apart"
        )
    lo, hi = x_range or _DEFAULT_RANGES[kind]
    if kind == "probability":
        lo, hi = max(lo, 1e-4), min(hi, 1 - 1e-4)
    x = np.linspace(lo, hi, int(num_points), dtype=np.float32)
    fig = make_subplots(
        rows=1,
        cols=2,
        horizontal_spacing=0.14,
        subplot_titles=(t("loss.fig.curve", lang), t("loss.fig.derivative", lang)),
    )
    columns: dict[int, list[np.ndarray]] = {1: [], 2: []}
    for name in names:
        loss, slope = losses.curve(
            name, target, x, num_classes=num_classes, **params.get(name, {})
        )
        columns[1].append(loss)
        columns[2].append(slope)
    ranges = {col: _robust_range(np.concatenate(ys)) for col, ys in columns.items()}
    same = _same_as(names, columns, ranges)
    for i, name in enumerate(names):
        label = t(f"loss.name.{name}", lang)
        if name in same:  # drawn on top of an earlier curve: say so
            what, other = same[name]
            other = t(f"loss.name.{other}", lang)
            label = t(f"loss.fig.same_{what}", lang, name=label, other=other)
        for col in (1, 2):
            fig.add_scatter(
                x=x,
                y=columns[col][i],
                name=label,
                mode="lines",
                # Dashes tell apart curves that coincide (KL and cross-entropy
                # on a one-hot target, MSE and Huber near 0).
                line={"color": theme.color(i), "width": 3, "dash": _DASHES[i % 4]},
                legendgroup=name,
                showlegend=col == 1,
                row=1,
                col=col,
            )
    fig.add_hline(y=0, line={"color": "#9aa5b1", "width": 1}, row=1, col=2)
    for col in (1, 2):
        fig.update_xaxes(title_text=t(f"loss.axis.{kind}", lang), row=1, col=col)
    for col, key in ((1, "loss.axis.loss"), (2, "loss.axis.derivative")):
        fig.update_yaxes(title_text=t(key, lang), range=ranges[col], row=1, col=col)
    theme.styled(
        fig,
        title=t("loss.fig.curve_title", lang, target=float(target)),
        height=theme.TALL_HEIGHT,
    )
    # The legend goes below the x-axis titles: on top it would hide the
    # subplot titles.
    fig.update_layout(
        legend={"y": -0.2, "yanchor": "top", "x": 0.5, "xanchor": "center"},
        margin={"b": 90, "t": 80},
    )
    return fig


def distribution_figure(
    p: Sequence[float],
    q: Sequence[float],
    *,
    labels: Sequence[str] | None = None,
    lang: str = "en",
) -> go.Figure:
    """Bars of P (target) and Q (prediction), normalised (the numbers go beside it).

    >>> fig = distribution_figure([1, 1], [3, 1])
    >>> [round(v, 2) for v in fig.data[1].y]
    [0.75, 0.25]
    """
    stats = losses.distribution_stats(p, q)
    names = (
        list(labels) if labels else [chr(ord("A") + i) for i in range(len(stats["p"]))]
    )
    fig = go.Figure()
    for i, key in enumerate(("p", "q")):
        fig.add_bar(
            x=names,
            y=stats[key],
            name=t(f"loss.dist.{key}", lang),
            marker_color=theme.CLASS_COLORS[1 - i],
        )
    fig.update_layout(barmode="group")
    theme.styled(
        fig,
        title=t("loss.dist.title", lang),
        x_title=t("loss.dist.category", lang),
        y_title=t("loss.dist.probability", lang),
    )
    # The legend goes below the axis: on a phone it would cover the title.
    fig.update_layout(
        legend={"y": -0.25, "yanchor": "top", "x": 0.5, "xanchor": "center"},
        margin={"b": 90},
    )
    return fig


def _run_label(run: str, lang: str) -> str:
    return t(f"loss.run.{run}", lang)


def outlier_fit_figure(artifacts: Mapping[str, Any], *, lang: str = "en") -> go.Figure:
    """The data (outliers highlighted), the true line and the three fitted lines.

    Args:
        artifacts: ``train_outlier_lab(...).artifacts``.
    """
    x = np.asarray(artifacts["x"], np.float64)
    y = np.asarray(artifacts["y"], np.float64)
    outlier = np.asarray(artifacts["is_outlier"], bool)
    fig = go.Figure()
    for mask, key, color in (
        (~outlier, "inliers", "#7b8794"),
        (outlier, "outliers", "#d62728"),
    ):
        fig.add_scatter(
            x=x[mask],
            y=y[mask],
            mode="markers",
            name=t(f"loss.outlier.{key}", lang),
            marker={"color": color, "size": 8, "opacity": 0.7},
        )
    grid = np.array([x.min(), x.max()]) if x.size else np.array([-2.0, 2.0])
    slope, intercept = artifacts["true_line"]
    fig.add_scatter(
        x=grid,
        y=slope * grid + intercept,
        mode="lines",
        name=t("loss.outlier.true_line", lang),
        line={"color": "black", "dash": "dot", "width": 2},
    )
    for i, (run, (slope, intercept)) in enumerate(artifacts["fits"].items()):
        fig.add_scatter(
            x=grid,
            y=slope * grid + intercept,
            mode="lines",
            name=t(
                "loss.outlier.fit",
                lang,
                run=_run_label(run, lang),
                slope=slope,
                intercept=intercept,
            ),
            line={"color": theme.color(i), "width": 3},
        )
    theme.styled(
        fig,
        title=t("loss.outlier.title", lang),
        height=theme.TALL_HEIGHT,
        x_title=t("loss.axis.x", lang),
        y_title=t("loss.axis.y", lang),
    )
    # Six long entries: below the plot, where they cannot hide the title.
    fig.update_layout(
        legend={"y": -0.18, "yanchor": "top", "x": 0.5, "xanchor": "center"},
        margin={"b": 130},
    )
    return fig


def residual_figure(artifacts: Mapping[str, Any], *, lang: str = "en") -> go.Figure:
    """Histograms of the residuals ``y − ŷ`` of each fit, one panel per loss.

    MSE spreads the error over every point (residuals shifted off 0); MAE and
    Huber keep most residuals near 0 and leave the outliers with large ones.
    The panels share their bins and axes; overlaid, the bars hid each other.

    >>> art = {"residuals": {"mse": [0.0, 1.0], "mae": [0.0, 0.0]}}
    >>> fig = residual_figure(art)
    >>> [a.text for a in fig.layout.annotations], fig.layout.showlegend
    (['MSE', 'MAE'], False)
    """
    values = {
        run: np.asarray(r, np.float64) for run, r in artifacts["residuals"].items()
    }
    every = np.concatenate([*values.values(), [0.0]])
    lo, hi = float(every.min()), float(every.max())
    bins = {"start": lo, "end": hi, "size": max(hi - lo, 1e-6) / 40}  # shared bins
    rows = max(1, len(values))
    fig = make_subplots(
        rows=rows,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12,
        subplot_titles=[_run_label(run, lang) for run in values],
    )
    for i, (run, residuals) in enumerate(values.items()):
        fig.add_histogram(
            x=residuals,
            name=_run_label(run, lang),
            marker_color=theme.color(i),
            xbins=bins,
            row=i + 1,
            col=1,
        )
        fig.update_yaxes(nticks=3, row=i + 1, col=1)
    for note in fig.layout.annotations:  # the panel titles
        note.update(x=0.0, xanchor="left", font_size=theme.FONT_SIZE)
    fig.update_yaxes(title_text=t("loss.outlier.count", lang), row=(rows + 1) // 2)
    fig.update_xaxes(title_text=t("loss.outlier.residual", lang), row=rows)
    theme.styled(
        fig,
        title=t("loss.outlier.residuals", lang),
        height=theme.TALL_HEIGHT,
        legend=False,
    )
    fig.update_layout(margin={"t": 85})  # the first panel's title under the title
    return fig


def pairing_figure(
    metrics: Mapping[str, float], artifacts: Mapping[str, Any], *, lang: str = "en"
) -> go.Figure:
    """Validation accuracy of the right and the wrong pairing (bars).

    The bars are labelled "right pairing" / "wrong pairing" (short enough for
    a phone; the full pairing is in the hover and in the code above the chart).

    Args:
        metrics, artifacts: ``train_loss_pairing(...)`` ``metrics`` and ``artifacts``.

    >>> m = {"right_accuracy": 0.9, "wrong_accuracy": 0.5}
    >>> a = {"pairings": {"right": ("sigmoid", "bce"), "wrong": ("softmax", "bce")}}
    >>> fig = pairing_figure(m, a)
    >>> list(fig.data[0].x), list(fig.data[0].customdata)
    (['right pairing', 'wrong pairing'], ['sigmoid + bce', 'softmax + bce'])
    """
    runs = [r for r in ("right", "wrong") if f"{r}_accuracy" in metrics]
    values = [metrics[f"{run}_accuracy"] for run in runs]
    fig = go.Figure(
        go.Bar(
            x=[_run_label(run, lang) for run in runs],
            y=values,
            customdata=[" + ".join(artifacts["pairings"][run]) for run in runs],
            hovertemplate="%{x}: %{customdata}<br>%{y:.1%}<extra></extra>",
            marker_color=[theme.COLORS[2], theme.COLORS[3]][: len(runs)],
            text=[f"{v:.1%}" for v in values],
            textposition="outside",
            cliponaxis=False,
        )
    )
    fig.update_yaxes(range=[0, 1.1], tickformat=".0%")
    return theme.styled(
        fig,
        title=t("loss.pair.title", lang),
        y_title=t("loss.pair.accuracy", lang),
        legend=False,
    )


def run_curves_figure(
    history: pd.DataFrame, *, epochs: int | None = None, lang: str = "en"
) -> go.Figure:
    """Learning curves of a multi-run loss task, runs named in ``lang``.

    The shared :func:`dlcore.figures.training.curves_figure` labels runs by
    their task names (``mse``, ``right``); here they go through the
    ``loss.run.<run>`` strings first. Runs whose curves coincide (see
    :func:`dlcore.losses.coinciding_runs`) would hide each other under one
    line: they get one legend entry, "right pairing = wrong pairing
    (training)", and the covered line is drawn wide under the one on top, so
    both colours show.

    >>> history = pd.DataFrame({"epoch": [1, 1], "run": ["right", "wrong"],
    ...                         "loss": [1.0, 2.0]})
    >>> run_curves_figure(history, lang="zh").data[0].name
    '正确搭配 (训练集)'
    >>> same = history.assign(loss=[1.0, 1.0])
    >>> [(tr.name, tr.showlegend) for tr in run_curves_figure(same).data]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('right pairing (training)', False),
     ('right pairing = wrong pairing (training)', True)]
    """
    same = losses.coinciding_runs(history)
    runs = dict.fromkeys(history["run"]) if "run" in history else {}
    label = {run: t(f"loss.run.{run}", lang) for run in runs}
    if runs:
        history = history.assign(run=[label[r] for r in history["run"]])
    fig = training_figures.curves_figure(history, epochs=epochs, lang=lang)
    for column, groups in same.items():
        val = column.startswith("val_")
        split = t("common.validation" if val else "common.train", lang)
        for group in groups:
            curves = {
                f"{label[run]} ({split})": list(
                    history.loc[history["run"] == label[run], column]
                )
                for run in group
            }
            traces = [tr for tr in fig.data if curves.get(tr.name) == list(tr.y)]
            if len(traces) < 2:
                continue
            *under, top = traces  # the last one drawn is on top
            for trace in under:
                trace.update(showlegend=False, line_width=7, opacity=0.6)
            top.update(
                name=f"{' = '.join(label[run] for run in group)} ({split})",
                showlegend=True,
                line_width=2.5,
            )
    return fig
