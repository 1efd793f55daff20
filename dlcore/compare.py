"""Compare pinned runs: the settings that differ, final metrics, aligned curves.

Pure data (no Streamlit): the page pins ``(config, result)`` pairs and shows
:func:`table` and :func:`dlcore.figures.training.compare_figure`.

>>> import dataclasses, pandas as pd
>>> @dataclasses.dataclass(frozen=True)
... class Cfg:
...     units: int = 8
...     learning_rate: float = 0.01
>>> history = pd.DataFrame({"loss": [0.9, 0.5]}, index=[1, 2])
>>> pins = [pin(Cfg(), history, {"val_accuracy": 0.8}),
...         pin(Cfg(16), history, {"val_accuracy": 0.9})]
>>> table(pins).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
[{'run': 1, 'units': 8, 'val_accuracy': 0.8},
 {'run': 2, 'units': 16, 'val_accuracy': 0.9}]
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pandas as pd

from dlcore.cache import config_dict


@dataclasses.dataclass(frozen=True)
class Pin:
    """One pinned run: its settings (JSON-ready), final metrics and history."""

    settings: dict[str, Any]
    metrics: dict[str, float]
    history: pd.DataFrame


def pin(config: Any, history: pd.DataFrame, metrics: dict[str, Any]) -> Pin:
    """A :class:`Pin` of a frozen dataclass ``config`` and its result."""
    numbers = {
        k: float(v)
        for k, v in metrics.items()
        if isinstance(v, (int, float)) and not isinstance(v, bool)
    }
    return Pin(config_dict(config), numbers, history.copy())


def _cell(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, (list, dict)) else value


def differing(pins: list[Pin]) -> list[str]:
    """Setting names whose value is not the same in every pin (in config order)."""
    if not pins:
        return []
    names = list(dict.fromkeys(name for p in pins for name in p.settings))
    return [
        name
        for name in names
        if len({json.dumps(p.settings.get(name), sort_keys=True) for p in pins}) > 1
    ]


def table(pins: list[Pin]) -> pd.DataFrame:
    """One row per pin: ``run`` (1, 2, …), the differing settings, final metrics."""
    columns = differing(pins)
    rows = []
    for number, p in enumerate(pins, start=1):
        row: dict[str, Any] = {"run": number}
        row.update({name: _cell(p.settings.get(name)) for name in columns})
        row.update(p.metrics)
        rows.append(row)
    return pd.DataFrame(rows)


def curve_metrics(pins: list[Pin]) -> list[str]:
    """History columns every pin has (``loss``, ``val_loss``, …), loss first."""
    if not pins:
        return []
    skip = {"epoch", "run"}
    common = [c for c in pins[0].history.columns if c not in skip]
    for p in pins[1:]:
        common = [c for c in common if c in p.history.columns]
    return sorted(common, key=lambda c: (not c.endswith("loss"), c.startswith("val_")))
