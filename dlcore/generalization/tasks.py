"""The generalization page's training tasks, their configs, presets and estimates.

- :func:`train_sweep`: the same overfitting set-up at several widths (capacity)
  or several training-set sizes: train/validation loss per run.
- :func:`train_regularize`: one MLP with one regularizer (L1, L2, decoupled
  weight decay, dropout) and early stopping replayed by Keras' callback.
- :func:`train_residual`: a deep plain MLP and the same with skip connections.

Each is a module-level function (worker processes import it by name) that
returns a plain-data :class:`dlcore.train.TaskResult`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from dlcore import blocks, train
from dlcore.blocks import digits_flat
from dlcore.generalization import core
from dlcore.generalization.core import keras
from dlcore.topics import Preset

Progress = Callable[[dict[str, Any]], None] | None
Stop = Callable[[], bool] | None

#: Values the page's controls offer; every preset uses only these.
WIDTHS: tuple[int, ...] = (2, 4, 8, 16, 32, 64, 128, 256, 512)
SIZES: tuple[float, ...] = (0.05, 0.1, 0.25, 0.5, 1.0)
NUM_TRAIN: tuple[int, ...] = (50, 100, 200, 300, 600, 1348)
NOISES: tuple[float, ...] = (0.0, 0.1, 0.2, 0.3, 0.5)
STRENGTHS: tuple[float, ...] = (1e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0)
DROPOUTS: tuple[float, ...] = (0.1, 0.2, 0.3, 0.5, 0.7)
PATIENCES: tuple[int, ...] = (0, 3, 5, 10, 20)
REG_LEARNING_RATES: tuple[float, ...] = (0.0003, 0.001, 0.003, 0.01)
DEEP_ACTIVATIONS: tuple[str, ...] = ("sigmoid", "tanh", "relu")
DEEP_OPTIMIZERS: tuple[str, ...] = ("sgd", "momentum", "adam")
DEEP_LEARNING_RATES: tuple[float, ...] = (0.001, 0.003, 0.01, 0.03, 0.1)
DEEP_WIDTHS: tuple[int, ...] = (16, 32, 64)
MAX_TRAIN = 1348  # training digits of the seeded split


def _check_int(name: str, value: Any, low: int, high: int) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not low <= value <= high
    ):
        raise ValueError(f"{name} must be an integer in [{low}, {high}], got {value!r}")


def _check_float(name: str, value: Any, low: float, high: float) -> None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{name} must be a number in [{low}, {high}], got {value!r}")


def _with_run(on_progress: Progress, run: str, index: int, total: int) -> Progress:
    if on_progress is None:
        return None

    def report(event: dict[str, Any]) -> None:
        on_progress({**event, "run": run, "run_index": index, "num_runs": total})

    return report


def _final(history: Any) -> dict[str, float]:
    last = history.iloc[-1] if len(history) else {}
    return {
        name: float(last.get(name, np.nan))
        for name in ("loss", "accuracy", "val_loss", "val_accuracy")
    }


# ----------------------------------------------------------------------------
# 1. Capacity and data-size sweeps
# ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SweepConfig:
    """Train one-hidden-layer MLPs on few, partly mislabelled digits.

    ``sweep="width"``: every width of :data:`WIDTHS` on ``num_train`` digits;
    ``sweep="size"``: width ``width`` on each share of :data:`SIZES` of the
    1348 training digits.
    """

    sweep: str = "width"
    num_train: int = 300
    width: int = 256
    label_noise: float = 0.3
    epochs: int = 40
    learning_rate: float = 0.003
    batch_size: int = 32
    seed: int = 0

    def __post_init__(self) -> None:
        if self.sweep not in ("width", "size"):
            raise ValueError(f"sweep must be 'width' or 'size', got {self.sweep!r}")
        _check_int("num_train", self.num_train, 10, MAX_TRAIN)
        _check_int("width", self.width, 1, 2048)
        _check_float("label_noise", self.label_noise, 0.0, 1.0)
        _check_int("epochs", self.epochs, 1, 300)
        _check_float("learning_rate", self.learning_rate, 1e-6, 1.0)
        _check_int("batch_size", self.batch_size, 1, 2048)
        _check_int("seed", self.seed, 0, 2**31 - 1)

    def runs(self) -> list[tuple[str, int, int]]:
        """``(run name, width, training digits)`` of every run."""
        if self.sweep == "width":
            return [(f"w{w}", w, self.num_train) for w in WIDTHS]
        return [
            (f"n{round(s * MAX_TRAIN)}", self.width, round(s * MAX_TRAIN))
            for s in SIZES
        ]


def mlp_params(width: int, depth: int = 1) -> int:
    """Parameters of 64 → depth × width → 10 (Dense weights and biases).

    >>> mlp_params(16)
    1210
    """
    return 64 * width + width + (depth - 1) * (width * width + width) + width * 10 + 10


def _compile(model: Any, optimizer: Any) -> Any:
    model.compile(
        optimizer=optimizer,
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def train_sweep(
    config: SweepConfig, *, on_progress: Progress = None, should_stop: Stop = None
) -> train.TaskResult:
    """Train every run of ``config.runs()``.

    Returns:
        ``history`` with a ``run`` column; ``metrics`` ``<run>/<name>`` (the
        final epoch's loss, accuracy, val_loss, val_accuracy); ``artifacts``
        ``table``: per run its width, training digits, parameters, final and
        best validation loss, best epoch.
    """
    runs = config.runs()
    results, rows, metrics = {}, [], {}
    for index, (name, width, num_train) in enumerate(runs):
        x, y, x_val, y_val = core.overfit_data(
            num_train, config.label_noise, config.seed
        )
        model = core.build_regularized(
            width=width,
            depth=1,
            regularizer="none",
            strength=0.0,
            dropout=0.0,
            seed=config.seed,
        )
        _compile(model, keras.optimizers.Adam(config.learning_rate))
        fit = train.fit(
            model,
            x,
            y,
            epochs=config.epochs,
            batch_size=config.batch_size,
            validation_data=(x_val, y_val),
            seed=config.seed,
            on_progress=_with_run(on_progress, name, index, len(runs)),
            should_stop=should_stop,
        )
        results[name] = fit
        final = _final(fit.history)
        metrics.update({f"{name}/{k}": v for k, v in final.items()})
        if fit.status != "finished":
            break
        rows.append(
            {
                "run": name,
                "width": width,
                "num_train": num_train,
                "params": int(model.count_params()),
                "loss": final["loss"],
                "val_loss": final["val_loss"],
                "best_val_loss": float(fit.history["val_loss"].min()),
                "best_epoch": int(fit.history["val_loss"].idxmin()),
                "val_accuracy": final["val_accuracy"],
            }
        )
    return train.TaskResult.combine(
        results, metrics=metrics, artifacts={"table": rows, "sweep": config.sweep}
    )


# ----------------------------------------------------------------------------
# 2. Regularizers and early stopping
# ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class RegularizeConfig:
    """One MLP on the overfitting set-up with one regularizer.

    ``strength`` is λ of L1/L2 (``kernel_regularizer``) or the AdamW
    ``weight_decay``; ``dropout`` the rate of the Dropout layers; ``patience``
    of early stopping (0 = off), replayed on the logged validation loss.
    """

    regularizer: str = "none"
    strength: float = 1e-3
    dropout: float = 0.5
    patience: int = 10
    num_train: int = 300
    label_noise: float = 0.3
    width: int = 256
    depth: int = 2
    epochs: int = 60
    learning_rate: float = 0.003
    batch_size: int = 32
    seed: int = 0

    def __post_init__(self) -> None:
        if self.regularizer not in core.REGULARIZERS:
            raise ValueError(
                f"regularizer must be one of {list(core.REGULARIZERS)}, "
                f"got {self.regularizer!r}"
            )
        _check_float("strength", self.strength, 0.0, 1.0)
        _check_float("dropout", self.dropout, 0.0, 0.95)
        _check_int("patience", self.patience, 0, 300)
        _check_int("num_train", self.num_train, 10, MAX_TRAIN)
        _check_float("label_noise", self.label_noise, 0.0, 1.0)
        _check_int("width", self.width, 1, 2048)
        _check_int("depth", self.depth, 1, 8)
        _check_int("epochs", self.epochs, 1, 300)
        _check_float("learning_rate", self.learning_rate, 1e-6, 1.0)
        _check_int("batch_size", self.batch_size, 1, 2048)
        _check_int("seed", self.seed, 0, 2**31 - 1)


def build_regularize_model(config: RegularizeConfig) -> Any:
    """The compiled model of :func:`train_regularize`."""
    model = core.build_regularized(
        width=config.width,
        depth=config.depth,
        regularizer=config.regularizer,
        strength=config.strength,
        dropout=config.dropout,
        seed=config.seed,
    )
    optimizer = core.make_regularized_optimizer(
        config.regularizer, config.learning_rate, config.strength
    )
    return _compile(model, optimizer)


def train_regularize(
    config: RegularizeConfig, *, on_progress: Progress = None, should_stop: Stop = None
) -> train.TaskResult:
    """Train the MLP; record the weights and where early stopping would stop.

    Returns:
        ``metrics``: the final epoch's ``loss``, ``accuracy``, ``val_loss``,
        ``val_accuracy``; ``gap`` (accuracy − val_accuracy); ``best_epoch``,
        ``stop_epoch`` (0: early stopping off or never triggered) and
        ``restored_val_loss``/``restored_val_accuracy`` (the epoch whose
        weights ``restore_best_weights`` keeps); ``exact_zeros``/``mean_abs``
        of the first kernel. ``artifacts``: ``kernel`` (the first hidden
        kernel, flat), and with dropout ``mc`` (Monte-Carlo dropout on the
        validation digits: per-sample ``agreement``, ``std``, and accuracy of
        the averaged vs the deterministic prediction).
    """
    x, y, x_val, y_val = core.overfit_data(
        config.num_train, config.label_noise, config.seed
    )
    model = build_regularize_model(config)
    fit = train.fit(
        model,
        x,
        y,
        epochs=config.epochs,
        batch_size=config.batch_size,
        validation_data=(x_val, y_val),
        seed=config.seed,
        on_progress=on_progress,
        should_stop=should_stop,
    )
    metrics = _final(fit.history)
    metrics["gap"] = metrics["accuracy"] - metrics["val_accuracy"]
    history = fit.history
    stop = {"stop_epoch": None, "best_epoch": None}
    if config.patience and len(history):
        stop = core.early_stopping(history, patience=config.patience)
    best = stop["best_epoch"] or (
        int(history["val_loss"].idxmin()) if len(history) else 1
    )
    # restore_best_weights restores only when it stops; otherwise the last epoch.
    kept = best if stop["stop_epoch"] else len(history)
    metrics.update(
        best_epoch=float(best),
        stop_epoch=float(stop["stop_epoch"] or 0),
        restored_val_loss=float(history["val_loss"].loc[kept]) if len(history) else 0.0,
        restored_val_accuracy=(
            float(history["val_accuracy"].loc[kept]) if len(history) else 0.0
        ),
    )
    kernel = np.asarray(model.layers[0].kernel, np.float32)
    stats = core.weight_stats(kernel)
    metrics.update(exact_zeros=stats["exact_zeros"], mean_abs=stats["mean_abs"])
    artifacts: dict[str, Any] = {"kernel": kernel.ravel()}
    if config.regularizer == "dropout" and fit.status == "finished":
        mc = core.mc_dropout(model, x_val, samples=30, seed=config.seed)
        deterministic = np.asarray(model(x_val, training=False)).argmax(axis=1)
        artifacts["mc"] = {
            "agreement": mc["agreement"].astype(np.float32),
            "std": mc["std"].astype(np.float32),
            "correct": (mc["mean"].argmax(axis=1) == y_val),
            "mc_accuracy": float(np.mean(mc["mean"].argmax(axis=1) == y_val)),
            "accuracy": float(np.mean(deterministic == y_val)),
        }
    return train.TaskResult.from_fit(
        fit, metrics=metrics, artifacts=artifacts, keep_weights=False
    )


# ----------------------------------------------------------------------------
# 3. Residual connections
# ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ResidualConfig:
    """A deep plain MLP and the same with skip connections, on all digits."""

    depth: int = 20
    width: int = 32
    activation: str = "sigmoid"
    optimizer: str = "momentum"
    learning_rate: float = 0.01
    epochs: int = 10
    batch_size: int = 64
    seed: int = 0

    def __post_init__(self) -> None:
        _check_int("depth", self.depth, 2, 60)
        _check_int("width", self.width, 2, 512)
        if self.activation not in DEEP_ACTIVATIONS:
            raise ValueError(f"activation must be one of {list(DEEP_ACTIVATIONS)}")
        if self.optimizer not in DEEP_OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {list(DEEP_OPTIMIZERS)}")
        _check_float("learning_rate", self.learning_rate, 1e-6, 1.0)
        _check_int("epochs", self.epochs, 1, 200)
        _check_int("batch_size", self.batch_size, 1, 2048)
        _check_int("seed", self.seed, 0, 2**31 - 1)


RESIDUAL_RUNS: tuple[str, str] = ("plain", "residual")


def train_residual(
    config: ResidualConfig, *, on_progress: Progress = None, should_stop: Stop = None
) -> train.TaskResult:
    """Gradient norm per block at initialization, then train both networks.

    Returns:
        ``history`` with ``run`` ∈ {plain, residual}; ``metrics``
        ``<run>/<name>`` (final epoch); ``artifacts`` ``flow``: per run the
        block gradient table (dict of lists) at initialization.
    """
    x, y, x_val, y_val = digits_flat(config.seed)
    results, metrics, flow = {}, {}, {}
    for index, run in enumerate(RESIDUAL_RUNS):
        model = core.build_deep(
            config.depth,
            config.width,
            residual=run == "residual",
            activation=config.activation,
            seed=config.seed,
        )
        _compile(model, blocks.make_optimizer(config.optimizer, config.learning_rate))
        flow[run] = core.block_gradients(model, x[:256], y[:256]).to_dict(orient="list")
        fit = train.fit(
            model,
            x,
            y,
            epochs=config.epochs,
            batch_size=config.batch_size,
            validation_data=(x_val, y_val),
            seed=config.seed,
            on_progress=_with_run(on_progress, run, index, len(RESIDUAL_RUNS)),
            should_stop=should_stop,
        )
        results[run] = fit
        metrics.update({f"{run}/{k}": v for k, v in _final(fit.history).items()})
        if fit.status != "finished":
            break
    return train.TaskResult.combine(results, metrics=metrics, artifacts={"flow": flow})


# ----------------------------------------------------------------------------
# Estimates (seconds on 2 CPU cores), constants measured in cold processes:
# defaults took 2.7 s (regularize), 9.8 s (width sweep), 7.6 s (size sweep),
# 4.4 s (residual) on a shared 2-core machine.
# ----------------------------------------------------------------------------

#: Seconds per (sample · parameter · epoch) of a small MLP in ``train.fit``,
#: and the fixed cost of one fit (graph tracing, first call).
SECONDS_PER_SAMPLE_PARAM = 2.5e-10
SECONDS_PER_FIT = 0.95


def _estimate(num_train: int, num_val: int, params: int, epochs: int) -> float:
    work = (3 * num_train + num_val) * params * epochs  # backward ≈ 2× forward
    return SECONDS_PER_FIT + SECONDS_PER_SAMPLE_PARAM * work


def estimate_sweep(config: SweepConfig) -> float:
    """Estimated seconds of :func:`train_sweep` on 2 CPU cores."""
    return sum(
        _estimate(n, 449, mlp_params(w), config.epochs) for _, w, n in config.runs()
    )


def estimate_regularize(config: RegularizeConfig) -> float:
    """Estimated seconds of :func:`train_regularize` on 2 CPU cores."""
    params = mlp_params(config.width, config.depth)
    return _estimate(config.num_train, 449, params, config.epochs)


def estimate_residual(config: ResidualConfig) -> float:
    """Estimated seconds of :func:`train_residual` on 2 CPU cores."""
    params = mlp_params(config.width, config.depth)
    per_layer = 0.06 * config.depth  # tracing cost grows with the layers
    return 2 * (_estimate(MAX_TRAIN, 449, params, config.epochs) + per_layer)


# ----------------------------------------------------------------------------
# Controls, presets, smoke configs
# ----------------------------------------------------------------------------

#: Control key prefixes of the three tasks (URL parameters ``gen_<x>_<field>``).
PREFIXES = {
    SweepConfig: "gen_sweep",
    RegularizeConfig: "gen_reg",
    ResidualConfig: "gen_res",
}
_HIDDEN = ("batch_size", "seed")  # fields without a control (always the default)


def _controls(config: Any) -> dict[str, Any]:
    prefix = PREFIXES[type(config)]
    values = {}
    for field in dataclasses.fields(config):
        value = getattr(config, field.name)
        if field.name in _HIDDEN:
            if value != field.default:
                raise ValueError(
                    f"the page always trains with {field.name}={field.default!r}, "
                    f"got {value!r}"
                )
            continue
        values[f"{prefix}_{field.name}"] = value
    return values


def sweep_controls(config: SweepConfig) -> dict[str, Any]:
    """The page controls that show ``config``.

    >>> sweep_controls(SweepConfig())["gen_sweep_sweep"]
    'width'
    """
    return _controls(config)


def regularize_controls(config: RegularizeConfig) -> dict[str, Any]:
    """The page controls that show ``config``."""
    return _controls(config)


def residual_controls(config: ResidualConfig) -> dict[str, Any]:
    """The page controls that show ``config``."""
    return _controls(config)


SMOKE_SWEEP = SweepConfig(sweep="size", width=16, epochs=2)
SMOKE_REGULARIZE = RegularizeConfig(regularizer="l2", width=32, epochs=3)
SMOKE_RESIDUAL = ResidualConfig(depth=4, width=16, epochs=2)

#: Teacher presets (sidebar, labels ``gen.preset.<name>``).
PRESETS: tuple[Preset, ...] = (
    Preset("capacity", config=SweepConfig(), tab="overfit"),
    Preset("data_size", config=SweepConfig(sweep="size"), tab="overfit"),
    Preset("overfit", config=RegularizeConfig(patience=0), tab="regularize"),
    Preset("early_stopping", config=RegularizeConfig(patience=5), tab="regularize"),
    Preset(
        "l1", config=RegularizeConfig(regularizer="l1", strength=1e-3), tab="regularize"
    ),
    Preset(
        "l2", config=RegularizeConfig(regularizer="l2", strength=1e-3), tab="regularize"
    ),
    Preset(
        "adamw",
        config=RegularizeConfig(regularizer="weight_decay", strength=0.1),
        tab="regularize",
    ),
    Preset(
        "dropout",
        config=RegularizeConfig(regularizer="dropout", dropout=0.5),
        tab="regularize",
    ),
    Preset("residual", config=ResidualConfig(), tab="deep"),
)
