"""The gradient lab's training task: its config, presets and ``train`` function.

:func:`train_gradient_lab` trains :func:`dlcore.activations.flow.build_mlp` on
the digits and records the gradient picture before and after (a module-level
function: worker processes import it by name). :data:`PRESETS` are the
teacher presets of the page's sidebar.

Example:
    >>> lab_preset("symmetry").initializer, [p.tab for p in PRESETS][:1]
    ('zeros', ['lab'])
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from dlcore import blocks, train
from dlcore.activations.flow import (
    _check_mlp_args,
    build_mlp,
    flow_summary,
    probe_model,
)
from dlcore.blocks import digits_flat
from dlcore.topics import Preset

OPTIMIZERS: tuple[str, ...] = ("sgd", "adam")


@dataclasses.dataclass(frozen=True)
class GradientLabConfig:
    """Train the gradient-lab MLP on the digits.

    The default is the classic failure: ten sigmoid layers with small random
    weights, whose first layers hardly receive any gradient.
    """

    activation: str = "sigmoid"
    depth: int = 10
    width: int = 32
    initializer: str = "random_normal"
    sigma: float = 0.05
    batch_norm: bool = False
    epochs: int = 15
    learning_rate: float = 0.1
    optimizer: str = "sgd"
    batch_size: int = 64
    seed: int = 0

    def __post_init__(self) -> None:
        _check_mlp_args(
            self.activation, self.depth, self.width, self.initializer, self.sigma
        )
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(
                f"Unknown optimizer {self.optimizer!r}; "
                f"expected one of {list(OPTIMIZERS)}"
            )
        if not (isinstance(self.epochs, int) and 1 <= self.epochs <= 500):
            raise ValueError(
                f"epochs must be an integer between 1 and 500, got {self.epochs!r}"
            )
        if not (isinstance(self.batch_size, int) and self.batch_size >= 1):
            raise ValueError(
                f"batch_size must be a positive integer, got {self.batch_size!r}"
            )
        if not (
            isinstance(self.learning_rate, (int, float))
            and 0 < self.learning_rate <= 10
        ):
            raise ValueError(
                f"learning_rate must be in (0, 10], got {self.learning_rate!r}"
            )


#: Teacher presets of the gradient lab: the :class:`GradientLabConfig` fields
#: that differ from the defaults (all train with SGD, learning rate 0.1, 15
#: epochs). With these, the gradient picture at initialisation predicts the
#: outcome: the three healthy ones learn, the three broken ones stay at chance.
LAB_PRESETS: dict[str, dict[str, Any]] = {
    "vanishing": {
        "activation": "sigmoid",
        "depth": 20,
        "initializer": "random_normal",
        "sigma": 1.0,
    },
    "glorot": {"activation": "tanh", "depth": 20, "initializer": "glorot_uniform"},
    "healthy": {"activation": "relu", "depth": 10, "initializer": "he_normal"},
    "symmetry": {"activation": "tanh", "depth": 10, "initializer": "zeros"},
    "exploding": {
        "activation": "tanh",
        "depth": 20,
        "initializer": "random_normal",
        "sigma": 2.0,
    },
    "batch_norm": {
        "activation": "sigmoid",
        "depth": 20,
        "initializer": "random_normal",
        "sigma": 1.0,
        "batch_norm": True,
    },
}


def lab_preset(name: str) -> GradientLabConfig:
    """The full config of a teacher preset (every other field at its default).

    Example:
        >>> lab_preset("batch_norm").batch_norm, lab_preset("healthy").learning_rate
        (True, 0.1)
    """
    if name not in LAB_PRESETS:
        raise ValueError(
            f"Unknown preset {name!r}; expected one of {list(LAB_PRESETS)}"
        )
    return GradientLabConfig(**LAB_PRESETS[name])


#: The page's tab that shows the gradient lab (a tab id of ``pages/activations.py``).
LAB_TAB = "lab"

#: The values the lab's controls offer (``ui/views/activations.py``); every
#: preset's config uses only these.
SIGMAS: tuple[float, ...] = (0.01, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0)
DEPTHS: tuple[int, int] = (2, 50)  # the depth slider's range
WIDTHS: tuple[int, ...] = (8, 16, 32, 64, 128)
LEARNING_RATES: tuple[float, ...] = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
EPOCHS: tuple[int, ...] = (5, 10, 15, 30, 50)

#: Teacher presets (sidebar, labels ``act.preset.<name>``): one per entry of
#: :data:`LAB_PRESETS`, each opening the lab tab.
PRESETS: tuple[Preset, ...] = tuple(
    Preset(name, config=lab_preset(name), tab=LAB_TAB) for name in LAB_PRESETS
)


#: A small config (seconds to train) for the contract tests: train, export, and
#: check that the exported script reproduces the metrics.
SMOKE = GradientLabConfig(
    activation="tanh",
    initializer="glorot_uniform",
    depth=3,
    width=16,
    epochs=2,
    batch_norm=True,
)


def control_values(config: GradientLabConfig) -> dict[str, Any]:
    """The lab's control values (URL parameters ``act_lab_<field>``) for ``config``.

    ``batch_size`` has no control (the lab always uses the default).

    Raises:
        ValueError: ``config.batch_size`` is not the default, so no page
            setting shows it.

    Example:
        >>> control_values(lab_preset("healthy"))["act_lab_initializer"]
        'he_normal'
    """
    default = GradientLabConfig.batch_size
    if config.batch_size != default:
        raise ValueError(
            f"the page always trains with batch_size={default}, "
            f"got {config.batch_size!r}"
        )
    return {
        f"act_lab_{field.name}": getattr(config, field.name)
        for field in dataclasses.fields(config)
        if field.name != "batch_size"
    }


def train_gradient_lab(
    config: GradientLabConfig,
    *,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> train.TaskResult:
    """Train the gradient-lab MLP; a training task (see ``dlcore.train``).

    Returns:
        A ``train.TaskResult`` with ``metrics`` ``val_accuracy``, ``val_loss``,
        ``loss``, ``grad_ratio`` (first/last hidden layer gradient norm at
        initialisation, :func:`flow_summary`: its float64 value where float32
        underflows to 0) and ``artifacts`` ``initial_flow`` and ``final_flow``
        (:func:`gradient_flow` tables as dicts of lists, before and after
        training, on the same 256 training digits).
    """
    x_train, y_train, x_val, y_val = digits_flat(config.seed)
    model = build_mlp(
        config.activation,
        config.depth,
        config.width,
        config.initializer,
        config.seed,
        sigma=config.sigma,
        batch_norm=config.batch_norm,
    )
    model.compile(
        optimizer=blocks.make_optimizer(config.optimizer, config.learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    probe_x, probe_y = x_train[:256], y_train[:256]
    initial = probe_model(model, probe_x, probe_y, seed=config.seed).table
    fit = train.fit(
        model,
        x_train,
        y_train,
        epochs=config.epochs,
        batch_size=config.batch_size,
        validation_data=(x_val, y_val),
        seed=config.seed,
        on_progress=on_progress,
        should_stop=should_stop,
    )
    final = probe_model(model, probe_x, probe_y, seed=config.seed).table
    last = fit.history.iloc[-1] if len(fit.history) else {}
    metrics = {
        "val_accuracy": float(last.get("val_accuracy", np.nan)),
        "val_loss": float(last.get("val_loss", np.nan)),
        "loss": float(last.get("loss", np.nan)),
        # float64 where float32 rounds the first layer's gradient to 0
        "grad_ratio": flow_summary(initial)["grad_ratio"],
    }
    artifacts = {
        "initial_flow": initial.to_dict(orient="list"),
        "final_flow": final.to_dict(orient="list"),
    }
    return train.TaskResult.from_fit(
        fit, metrics=metrics, artifacts=artifacts, keep_weights=False
    )
