"""Shared building blocks of every topic: optimizers by name and their code line,
parameter specs (sliders of activations and losses), the flattened digits.

Written once here, used by every training task and its code export, so the
optimizer a page trains with and the line in the exported script cannot drift
apart (a test checks both against Keras' ``get_config``).

>>> optimizer_code("momentum", "LEARNING_RATE")
'keras.optimizers.SGD(learning_rate=LEARNING_RATE, momentum=0.9)'
>>> optimizer_code("adam", 0.01)
'keras.optimizers.Adam(learning_rate=0.01)'
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

#: Short optimizer names used by the pages -> (Keras class, arguments besides
#: the learning rate). Anything not given keeps Keras' default (Keras docs,
#: https://keras.io/api/optimizers/).
OPTIMIZERS: dict[str, tuple[str, dict[str, Any]]] = {
    "sgd": ("SGD", {}),
    "momentum": ("SGD", {"momentum": 0.9}),
    "nesterov": ("SGD", {"momentum": 0.9, "nesterov": True}),
    "rmsprop": ("RMSprop", {}),
    "adagrad": ("Adagrad", {}),
    "adadelta": ("Adadelta", {}),
    "adam": ("Adam", {}),
    "adamw": ("AdamW", {}),
    "nadam": ("Nadam", {}),
    "adamax": ("Adamax", {}),
    "lion": ("Lion", {}),
}


def optimizer_kwargs(name: str, learning_rate: Any) -> dict[str, Any]:
    """Keras keyword arguments of optimizer ``name``.

    Raises:
        ValueError: ``name`` is not a key of :data:`OPTIMIZERS`.

    >>> optimizer_kwargs("nesterov", 0.01)
    {'learning_rate': 0.01, 'momentum': 0.9, 'nesterov': True}
    """
    if name not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {list(OPTIMIZERS)}, got {name!r}")
    return {"learning_rate": learning_rate, **OPTIMIZERS[name][1]}


def make_optimizer(name: str, learning_rate: float, **overrides: Any):
    """A fresh ``keras.optimizers.<Class>`` for ``name`` (see :data:`OPTIMIZERS`).

    Args:
        name: A key of :data:`OPTIMIZERS`.
        learning_rate: The step size η (学习率), > 0.
        overrides: More Keras arguments (``clipnorm=1.0``, ``beta_1=0.8``…).

    Raises:
        ValueError: unknown ``name``.
    """
    import keras

    kwargs = {**optimizer_kwargs(name, float(learning_rate)), **overrides}
    return getattr(keras.optimizers, OPTIMIZERS[name][0])(**kwargs)


def optimizer_code(name: str, learning_rate: Any, **overrides: Any) -> str:
    """The Python expression that builds :func:`make_optimizer`'s optimizer.

    ``learning_rate`` is written as is when it is a string (a constant's name,
    ``"LEARNING_RATE"``) and as its ``repr`` otherwise.
    """
    kwargs = {**optimizer_kwargs(name, learning_rate), **overrides}
    args = ", ".join(
        f"{key}={value}" if isinstance(value, str) else f"{key}={value!r}"
        for key, value in kwargs.items()
    )
    return f"keras.optimizers.{OPTIMIZERS[name][0]}({args})"


@dataclasses.dataclass(frozen=True)
class ParamSpec:
    """One parameter of an activation or a loss, with its slider settings.

    A boolean parameter (``default`` is a bool) has no ``min``/``max``/``step``
    and is shown as a checkbox. ``symbol`` is how the formula writes it.
    """

    name: str
    default: float | bool
    min: float | None = None
    max: float | None = None
    step: float | None = None
    symbol: str = ""

    @property
    def is_bool(self) -> bool:
        """True for a checkbox parameter."""
        return isinstance(self.default, bool)

    def validate(self, value: Any, owner: str) -> float | bool:
        """Return ``value`` as a float (or bool), or raise a helpful ValueError."""
        if self.is_bool:
            if not isinstance(value, (bool, np.bool_)):
                raise ValueError(
                    f"{owner}: {self.name} must be True or False, got {value!r}"
                )
            return bool(value)
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(
                f"{owner}: {self.name} must be a number, got {value!r}"
            ) from None
        if isinstance(value, (bool, np.bool_)) or not math.isfinite(number):
            raise ValueError(
                f"{owner}: {self.name} must be a finite number, got {value!r}"
            )
        if not self.min <= number <= self.max:
            raise ValueError(
                f"{owner}: {self.name} must be between {self.min} and {self.max}, "
                f"got {value!r}"
            )
        return number


def resolve_params(
    owner: str, specs: Sequence[ParamSpec], params: Mapping[str, Any]
) -> dict[str, float | bool]:
    """Fill defaults into ``params`` and validate every value against ``specs``."""
    known = {p.name: p for p in specs}
    unknown = sorted(set(params) - set(known))
    if unknown:
        expected = sorted(known) or "no parameters"
        raise ValueError(
            f"{owner} has no parameter {unknown[0]!r}; expected {expected}"
        )
    return {
        name: spec.validate(params.get(name, spec.default), owner)
        for name, spec in known.items()
    }


def digits_flat(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The digits split of ``datasets.load("digits", seed=seed)``, flattened to 64
    features.

    Returns:
        ``(x_train, y_train, x_val, y_val)``; x float32 ``(n, 64)`` in [0, 1],
        y int32 digit labels.
    """
    from dlcore import datasets

    ds = datasets.load("digits", seed=seed)
    flat = lambda a: a.reshape(len(a), -1)  # noqa: E731  (N, 8, 8, 1) -> (N, 64)
    return flat(ds.x_train), ds.y_train, flat(ds.x_val), ds.y_val


#: Flattens the digits that ``codegen.dataset_code("digits")`` loads.
FLATTEN_CODE = (
    "x_train = x_train.reshape(len(x_train), -1)  # (N, 8, 8, 1) -> (N, 64)\n"
    "x_val = x_val.reshape(len(x_val), -1)"
)
