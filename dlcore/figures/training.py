"""Learning curves, live during training and final afterwards.

>>> import pandas as pd
>>> history = pd.DataFrame({"loss": [1.0, 0.5], "val_loss": [1.1, 0.7],
...                         "accuracy": [0.5, 0.8], "val_accuracy": [0.4, 0.7]})
>>> fig = curves_figure(history, epochs=10)
>>> [trace.name for trace in fig.data]
['loss (training)', 'loss (validation)', 'accuracy (training)', 'accuracy (validation)']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dlcore.figures import theme
from dlcore.i18n import CATALOG, t

#: Columns that are not metrics in a history or progress event.
_BOOKKEEPING = {"epoch", "epochs", "run", "run_index", "num_runs"}


def run_label(run: str, lang: str = "en") -> str:
    """A run's name for a legend: translated when the catalogue has ``run.<name>``.

    >>> run_label("no-such-run", "zh")
    'no-such-run'
    """
    key = f"run.{run}"
    return t(key, lang) if key in CATALOG else str(run)


def events_to_history(events: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Progress events (one per epoch) as a history DataFrame."""
    frame = pd.DataFrame(list(events))
    if frame.empty:
        return frame
    return frame.set_index("epoch") if "run" not in frame else frame


def _metric_names(history: pd.DataFrame) -> list[str]:
    names = [
        c for c in history.columns if c not in _BOOKKEEPING and not c.startswith("val_")
    ]
    return [n for n in names if pd.api.types.is_numeric_dtype(history[n])]


def curve_names(history: pd.DataFrame) -> list[str]:
    """The curves :func:`curves_figure` draws by default: loss, then one metric.

    >>> import pandas as pd
    >>> curve_names(pd.DataFrame({"loss": [1.0], "val_loss": [1.0], "mae": [0.5]}))
    ['loss', 'mae']
    """
    return _metric_names(history)[:2]


def curves_figure(
    history: pd.DataFrame,
    *,
    epochs: int | None = None,
    lang: str = "en",
    metrics: Sequence[str] | None = None,
    height: int = theme.HEIGHT,
    run_names: Callable[[str], str] | None = None,
) -> go.Figure:
    """Loss (left) and the first other metric (right) per epoch.

    ``run_names`` turns a run's name into its legend label (default:
    :func:`run_label`, the catalogue's ``run.<name>`` when there is one).

    Training curves are solid, validation dashed. A ``run`` column (several
    runs) gives one colour per run. ``epochs`` fixes the x range, so a live
    chart does not rescale every update.
    """
    names = list(metrics) if metrics else curve_names(history)
    epoch_values = history.get("epoch", history.index)
    # An epoch-0 row is the untrained model (e.g. the Transformer page's).
    start = 0 if len(history) and min(epoch_values) == 0 else 1
    fig = make_subplots(rows=1, cols=max(1, len(names)), horizontal_spacing=0.1)
    runs = list(dict.fromkeys(history["run"])) if "run" in history else [None]
    name_of = run_names or (lambda run: run_label(run, lang))
    for col, name in enumerate(names, start=1):
        for run_index, run in enumerate(runs):
            frame = history if run is None else history[history["run"] == run]
            x = frame.get("epoch", frame.index)
            for prefix, dash in (("", "solid"), ("val_", "dash")):
                if prefix + name not in frame:
                    continue
                split = t("common.validation" if prefix else "common.train", lang)
                label = (
                    f"{_label(name, lang)} ({split})"
                    if run is None
                    else f"{name_of(run)} ({split})"
                )
                fig.add_scatter(
                    x=list(x),
                    y=list(frame[prefix + name]),
                    name=label,
                    # markers while short: a live chart's first point shows
                    mode="lines+markers" if len(frame) < 30 else "lines",
                    line={
                        "dash": dash,
                        "color": theme.color(run_index if run else col - 1),
                    },
                    legendgroup=str(run or name),
                    showlegend=col == 1 or run is None,
                    row=1,
                    col=col,
                )
        fig.update_yaxes(title_text=_label(name, lang), row=1, col=col)
        if name == "loss":
            values = [history[c] for c in (name, f"val_{name}") if c in history]
            theme.log_axis(fig, values, row=1, col=col)  # full-value labels
        fig.update_xaxes(
            title_text=t("common.epoch", lang),
            range=[start - 0.5, epochs + 0.5] if epochs else None,
            row=1,
            col=col,
        )
    return theme.styled(fig, height=height)


def _label(metric: str, lang: str) -> str:
    key = f"common.{metric}"
    translated = t(key, lang)
    return metric if translated == key else translated


def compare_figure(
    pins: Sequence[Any],
    metric: str,
    *,
    lang: str = "en",
    height: int = theme.HEIGHT,
    run_names: Callable[[str], str] | None = None,
) -> go.Figure:
    """The ``metric`` curve of every pinned run on one chart, epochs aligned.

    ``pins`` are :class:`dlcore.compare.Pin`; runs with several sub-runs (a
    ``run`` column) get one line each, labelled "run k · name". A loss is
    drawn on a log axis. ``run_names`` labels sub-runs (default :func:`run_label`).
    """
    fig = go.Figure()
    name_of = run_names or (lambda run: run_label(run, lang))
    run_word = t("compare.run", lang)
    for number, pinned in enumerate(pins, start=1):
        history = pinned.history
        subruns = list(dict.fromkeys(history["run"])) if "run" in history else [None]
        for sub_index, sub in enumerate(subruns):
            frame = history if sub is None else history[history["run"] == sub]
            x = frame.get("epoch", frame.index)
            name = f"{run_word} {number}"
            if sub is not None:
                name += f" · {name_of(sub)}"
            fig.add_scatter(
                x=list(x),
                y=list(frame[metric]),
                name=name,
                mode="lines+markers" if len(frame) < 30 else "lines",
                line={
                    "color": theme.color(number - 1),
                    "dash": ("solid", "dash", "dot", "dashdot")[sub_index % 4],
                },
            )
    base = metric.removeprefix("val_")
    split = t(
        "common.validation" if metric.startswith("val_") else "common.train", lang
    )
    theme.styled(
        fig,
        height=height,
        x_title=t("common.epoch", lang),
        y_title=f"{_label(base, lang)} ({split})",
    )
    if base == "loss":
        theme.log_axis(fig, [p.history[metric] for p in pins])
    return fig
