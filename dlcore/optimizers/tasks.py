"""The optimizer race (a training task) and the teacher presets of the page.

:func:`train_race` trains one small network per optimizer, from the same
initial weights on the same batches; the optimizers come from
:func:`dlcore.blocks.make_optimizer`, the block every topic shares, so the
race and its exported script (:func:`dlcore.optimizers.code_race`) build the
very same Keras objects.

:data:`PRESETS` are the page's teacher presets (:class:`dlcore.topics.Preset`):
control values of the landscape explorer and the lessons, and one race.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from dlcore import blocks, datasets, runtime, train
from dlcore.optimizers import landscapes
from dlcore.optimizers.registry import OPTIMIZERS, controls, get_spec
from dlcore.topics import Preset

runtime.tf()
import keras  # noqa: E402  (after runtime configured TensorFlow)

# --- a race on a real network --------------------------------------------------------

RACE_DATASETS = ("digits", "spiral")


@dataclasses.dataclass(frozen=True)
class RaceConfig:
    """Several optimizers train the same network from the same initial weights.

    Attributes:
        optimizers: Registry names (Keras' default learning rate) or
            ``(name, learning_rate)`` pairs, e.g. ``(("sgd", 0.1), "adam")``.
        dataset: ``"digits"`` (8×8 images, MLP 64-32-10) or ``"spiral"``
            (2-D points, MLP 2-16-16-2).
        epochs, batch_size, seed: As for ``model.fit``; ``seed`` also fixes
            the initial weights (identical for every optimizer).
    """

    optimizers: tuple[str | tuple[str, float], ...] = (
        "sgd",
        "momentum",
        "rmsprop",
        "adam",
    )
    dataset: str = "digits"
    epochs: int = 10  # ~30 to see every optimizer settle
    batch_size: int = 32
    seed: int = 0


def race_entries(config: RaceConfig) -> list[tuple[str, str, float]]:
    """``(run name, optimizer, learning rate)`` for each optimizer of the race.

    >>> race_entries(RaceConfig(optimizers=("adam", ("sgd", 0.1))))
    [('adam', 'adam', 0.001), ('sgd (lr=0.1)', 'sgd', 0.1)]
    """
    entries = []
    for item in config.optimizers:
        if isinstance(item, str):
            spec = get_spec(item)
            lr = float(spec.keras_default("learning_rate"))
            entries.append((item, item, lr))
        else:
            name, lr = item
            get_spec(name)
            entries.append((f"{name} (lr={float(lr):g})", name, float(lr)))
    names = [e[0] for e in entries]
    if len(set(names)) != len(names):
        raise ValueError(f"Each optimizer of a race must be unique; got {names}")
    return entries


def race_optimizer_kwargs(name: str, learning_rate: float) -> dict[str, Any]:
    """Keras keyword arguments of a race optimizer: Keras' own defaults, except
    the momentum presets (``momentum=0.9``, ``nesterov``); see
    :func:`dlcore.blocks.optimizer_kwargs`, which builds them.

    >>> race_optimizer_kwargs("nesterov", 0.01)
    {'learning_rate': 0.01, 'momentum': 0.9, 'nesterov': True}
    """
    get_spec(name)  # the registry's error message for an unknown name
    return blocks.optimizer_kwargs(name, float(learning_rate))


def build_race_model(
    input_shape: tuple[int, ...], num_classes: int, seed: int
) -> keras.Model:
    """A small MLP with seeded initial weights (same seed, same weights)."""
    hidden = (32,) if len(input_shape) > 1 else (16, 16)
    activation = "relu" if len(input_shape) > 1 else "tanh"
    layers: list[keras.layers.Layer] = [keras.Input(input_shape)]
    if len(input_shape) > 1:
        layers.append(keras.layers.Flatten())
    for i, units in enumerate(hidden):
        init = keras.initializers.GlorotUniform(seed=seed + i)
        layers.append(keras.layers.Dense(units, activation, kernel_initializer=init))
    init = keras.initializers.GlorotUniform(seed=seed + len(hidden))
    layers.append(keras.layers.Dense(num_classes, kernel_initializer=init))
    return keras.Sequential(layers)


def train_race(
    config: RaceConfig,
    *,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> train.TaskResult:
    """Train one network per optimizer with ``dlcore.train.fit``; a training task.

    Every run starts from the same initial weights (``config.seed``) and sees
    the same batches. Events carry ``run``, ``run_index`` and ``num_runs``.

    Returns:
        ``train.TaskResult`` with a ``run`` column in ``history`` and metrics
        ``"<run>/val_accuracy"``, ``"<run>/loss"``.
    """
    if config.dataset not in RACE_DATASETS:
        raise ValueError(
            f"Unknown race dataset {config.dataset!r}; expected one of {RACE_DATASETS}"
        )
    entries = race_entries(config)
    data = datasets.load(config.dataset, seed=config.seed)
    runs: dict[str, train.FitResult] = {}
    for index, (run_name, name, lr) in enumerate(entries):
        model = build_race_model(data.input_shape, data.num_classes, config.seed)
        model.compile(
            optimizer=blocks.make_optimizer(name, lr),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
        )

        def progress(event, run_name=run_name, index=index):
            if on_progress is not None:
                on_progress(
                    {
                        **event,
                        "run": run_name,
                        "run_index": index,
                        "num_runs": len(entries),
                    }
                )

        runs[run_name] = result = train.fit(
            model,
            data.x_train,
            data.y_train,
            epochs=config.epochs,
            batch_size=config.batch_size,
            validation_data=(data.x_val, data.y_val),
            seed=config.seed,
            on_progress=progress,
            should_stop=should_stop,
        )
        if result.status == "cancelled":
            break
    metrics = {}
    for run_name, result in runs.items():
        last = result.history.iloc[-1] if len(result.history) else {}
        for column in ("loss", "val_accuracy"):
            if column in last:
                metrics[f"{run_name}/{column}"] = float(last[column])
    artifacts = {
        "runs": [e[0] for e in entries],
        "learning_rates": {e[0]: e[2] for e in entries},
    }
    return train.TaskResult.combine(runs, metrics=metrics, artifacts=artifacts)


# --- the page's controls -------------------------------------------------------------

#: The race controls' choices (the learning rate 0 means "Keras' default").
RACE_EPOCHS = (5, 10, 20, 30)
RACE_BATCH_SIZES = (16, 32, 64, 128)
RACE_LEARNING_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1)
#: At most this many optimizers at once (explorer and race: five colours).
MAX_OPTIMIZERS = 5


def race_control_values(config: RaceConfig) -> dict[str, Any]:
    """The race tab's control values (URL parameters) that show ``config``.

    The page has one learning rate for every optimizer (0: each one's Keras
    default) and always races with seed 0.

    Raises:
        ValueError: ``config`` is no race the page can show.

    >>> race_control_values(RaceConfig(optimizers=(("sgd", 0.1), ("adam", 0.1))))
    ... # doctest: +NORMALIZE_WHITESPACE
    {'opt_race_optimizers': ['sgd', 'adam'], 'opt_race_dataset': 'digits',
     'opt_race_epochs': 10, 'opt_race_batch': 32, 'opt_race_lr': 0.1}
    """
    entries = race_entries(config)
    rates = {
        0.0 if isinstance(item, str) else lr
        for item, (_, _, lr) in zip(config.optimizers, entries, strict=True)
    }
    if len(rates) > 1:
        raise ValueError(
            "The page races every optimizer with one learning rate (or each "
            f"one's Keras default); got {config.optimizers}"
        )
    if config.seed != RaceConfig.seed:
        raise ValueError(
            f"The page races with seed {RaceConfig.seed}, got {config.seed}"
        )
    return {
        "opt_race_optimizers": [name for _, name, _ in entries],
        "opt_race_dataset": config.dataset,
        "opt_race_epochs": config.epochs,
        "opt_race_batch": config.batch_size,
        "opt_race_lr": rates.pop() if rates else 0.0,
    }


def start_keys(landscape: str) -> tuple[str, str]:
    """The control keys of ``landscape``'s start point.

    Each landscape has its own pair, because the sliders' ranges are the
    landscape's window: a start point is only ever checked against its own.

    >>> start_keys("rosenbrock")
    ('opt_rosenbrock_x0', 'opt_rosenbrock_y0')
    """
    landscapes.get_landscape(landscape)
    return f"opt_{landscape}_x0", f"opt_{landscape}_y0"


def landscape_controls(landscape: str) -> dict[str, Any]:
    """What choosing ``landscape`` on the page sets: the landscape, its start
    point, and for every optimizer a learning rate that suits it
    (:func:`dlcore.optimizers.controls`).

    >>> values = landscape_controls("rosenbrock")
    >>> values["opt_rosenbrock_x0"], values["opt_sgd_learning_rate"]
    (-1.5, 0.001)
    """
    land = landscapes.get_landscape(landscape)
    x_key, y_key = start_keys(landscape)
    values: dict[str, Any] = {
        "opt_landscape": landscape,
        x_key: land.start[0],
        y_key: land.start[1],
    }
    for name in OPTIMIZERS:
        values[f"opt_{name}_learning_rate"] = controls(name, landscape)[0].default
    return values


def explore_preset(name: str, landscape: str, **values: Any) -> Preset:
    """A preset of the landscape explorer: ``landscape`` chosen as on the page
    (:func:`landscape_controls`), then ``values`` (control key -> value)."""
    chosen = {**landscape_controls(landscape), **values}
    return Preset(name, controls=chosen, tab="explore")


#: Teacher presets of the Optimizers page (labels: ``opt.preset.<name>``).
PRESETS: tuple[Preset, ...] = (
    explore_preset(
        "valley",
        "quadratic",
        opt_kappa=50.0,
        opt_steps=100,
        opt_optimizers=("sgd", "momentum", "nesterov"),
        opt_sgd_learning_rate=0.03,
        opt_momentum_learning_rate=0.03,
        opt_nesterov_learning_rate=0.03,
    ),
    explore_preset(
        "rosenbrock",
        "rosenbrock",
        opt_steps=500,
        opt_optimizers=("sgd", "momentum", "adam"),
    ),
    explore_preset(
        "too_large",
        "quadratic",
        opt_kappa=10.0,
        opt_steps=200,
        opt_optimizers=("sgd", "momentum", "adam"),
        opt_sgd_learning_rate=0.3,
        opt_momentum_learning_rate=0.3,
        opt_adam_learning_rate=0.3,
    ),
    explore_preset(
        "saddle",
        "saddle",
        opt_steps=200,
        opt_optimizers=("sgd", "momentum", "rmsprop", "adam"),
    ),
    Preset(
        "clipping",
        controls={
            "opt_clip_kinds": ("clipnorm", "clipvalue"),
            "opt_clip_c": 1.0,
            "opt_clip_optimizer": "sgd",
            "opt_clip_lr": 0.1,
        },
        tab="clipping",
    ),
    Preset("race_spiral", config=RaceConfig(dataset="spiral", epochs=30), tab="race"),
)
