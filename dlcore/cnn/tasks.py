"""The CNN page's training tasks: their configs, presets and train functions.

:func:`train_cnn` trains the CNN of :class:`CNNConfig` (and a Dense baseline
of about the same size) on digits; :func:`train_transfer` pretrains a conv base
on some digits and learns the others from few images (:class:`TransferConfig`).
Both go through :func:`dlcore.train.fit` and follow the progress/cancel
contract of every dashboard task. They stay module-level: worker processes
import them by name.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dlcore import datasets, train
from dlcore.cnn.core import CNN_POOLINGS
from dlcore.cnn.inside import _conv2d_layers, translation_curve
from dlcore.cnn.models import (
    AUGMENTATIONS,
    OPTIMIZERS,
    _cnn_graph,
    _compile,
    _evaluate,
    build_cnn,
    build_dense_baseline,
)
from dlcore.cnn.results import (
    _select,
    confusion_matrix,
    per_class_metrics,
    stratified_subset,
)
from dlcore.topics import Preset

keras = train.keras

# ----------------------------------------------------------------------------
# Configs
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CNNConfig:
    """Hyperparameters of the CNN page's training run (defaults: ≈98 % in seconds).

    Attributes:
        dataset: A :func:`dlcore.datasets.load` image dataset name.
        num_blocks: Conv → (batch norm) → ReLU → pool blocks, 1 to 3. Block
            ``b`` has ``filters · 2^(b-1)`` filters; padding is ``"same"``, so an
            8×8 digit becomes 4×4, 2×2, 1×1.
        filters: Filters of the first convolution.
        kernel_size: Kernel side length of every convolution.
        pooling: ``"max"`` or ``"average"`` pooling (2×2, stride 2), or
            ``"none"`` (no pooling layer: the maps keep their size).
        dropout: Dropout rate before the classifier, 0 to 0.5.
        batch_norm: Add batch normalisation after each convolution.
        augmentation: Any of ``"shift"``, ``"rotation"``, ``"zoom"`` (random,
            seeded, active during training only).
        optimizer: ``"adam"``, ``"sgd"`` or ``"rmsprop"``.
        learning_rate: Step size of the optimizer (学习率).
        epochs: Passes over the training set.
        batch_size: Examples per gradient step (批量大小).
        seed: Seed of every initializer, dropout mask, augmentation and shuffle.
        baseline: Also train the Dense baseline (for the translation curve).
    """

    dataset: str = "digits"
    num_blocks: int = 2
    filters: int = 32
    kernel_size: int = 3
    pooling: str = "max"
    dropout: float = 0.0
    batch_norm: bool = False
    augmentation: tuple[str, ...] = ()
    optimizer: str = "adam"
    learning_rate: float = 3e-3
    epochs: int = 10
    batch_size: int = 32
    seed: int = 0
    baseline: bool = True

    def __post_init__(self) -> None:
        checks = [
            (
                1 <= self.num_blocks <= 3,
                f"num_blocks must be 1..3, got {self.num_blocks}",
            ),
            (1 <= self.filters <= 128, f"filters must be 1..128, got {self.filters}"),
            (self.kernel_size in (1, 3, 5, 7), "kernel_size must be 1, 3, 5 or 7"),
            (self.pooling in CNN_POOLINGS, f"pooling must be one of {CNN_POOLINGS}"),
            (0.0 <= self.dropout <= 0.5, f"dropout must be 0..0.5, got {self.dropout}"),
            (
                set(self.augmentation) <= set(AUGMENTATIONS),
                f"augmentation must be a subset of {AUGMENTATIONS}",
            ),
            (
                self.optimizer in OPTIMIZERS,
                f"optimizer must be one of {list(OPTIMIZERS)}",
            ),
            (0.0 < self.learning_rate <= 10.0, "learning_rate must be in (0, 10]"),
            (
                self.epochs >= 1 and self.batch_size >= 1,
                "epochs, batch_size must be >= 1",
            ),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(f"Invalid CNNConfig: {message}")


TRANSFER_STRATEGIES: tuple[str, ...] = ("frozen", "fine_tune", "scratch")


@dataclass(frozen=True)
class TransferConfig:
    """Pretrain on some digits, then learn the others from few images.

    Attributes:
        source_classes: Digits the conv base is pretrained on.
        target_classes: Digits learned afterwards (relabelled ``0..n-1``).
        train_sizes: Numbers of target training images to try (stratified).
        strategies: ``"frozen"`` (base fixed, only the new classifier
            learns), ``"fine_tune"`` (the top conv block learns too) and
            ``"scratch"`` (same network, random initial weights).
        num_blocks: Conv blocks of the base.
        filters: Filters of its first convolution.
        pretrain_epochs: Epochs on the source classes.
        num_steps: Gradient steps of each target run, whatever its size, so
            that small and large training sets get the same compute: each run
            is one epoch over its images repeated cyclically up to
            ``num_steps · batch_size`` examples (so the only epochs counted
            are the ``pretrain_epochs``, as the page's controls say).
        batch_size: Examples per step.
        learning_rate: Adam step size for every run.
        seed: Seed of everything.
    """

    source_classes: tuple[int, ...] = (0, 1, 2, 3, 4)
    target_classes: tuple[int, ...] = (5, 6, 7, 8, 9)
    train_sizes: tuple[int, ...] = (20, 50, 100, 300)
    strategies: tuple[str, ...] = TRANSFER_STRATEGIES
    num_blocks: int = 2
    filters: int = 16
    pretrain_epochs: int = 10
    num_steps: int = 120
    batch_size: int = 32
    learning_rate: float = 3e-3
    seed: int = 0

    def __post_init__(self) -> None:
        if set(self.source_classes) & set(self.target_classes):
            raise ValueError("source_classes and target_classes must not overlap")
        if not set(self.strategies) <= set(TRANSFER_STRATEGIES):
            raise ValueError(f"strategies must be a subset of {TRANSFER_STRATEGIES}")
        if min(self.train_sizes, default=0) < len(self.target_classes):
            raise ValueError("each train size needs at least one image per class")
        if self.num_steps * self.batch_size < max(self.train_sizes):
            raise ValueError(
                "num_steps · batch_size must cover the largest train size (every "
                "image is seen at least once)"
            )

    def cnn_config(self) -> CNNConfig:
        """The :class:`CNNConfig` of the networks used here."""
        return CNNConfig(
            num_blocks=self.num_blocks,
            filters=self.filters,
            learning_rate=self.learning_rate,
            batch_size=self.batch_size,
            seed=self.seed,
            baseline=False,
        )


# ----------------------------------------------------------------------------
# Teacher presets and the page controls that show a config
# ----------------------------------------------------------------------------

#: Teacher presets (labels: ``cnn.preset.<name>`` in the catalogue): CNN
#: architectures to compare, opened in the Train tab.
PRESETS: tuple[Preset, ...] = (
    Preset("default", CNNConfig(), tab="train"),
    Preset("tiny", CNNConfig(num_blocks=1, filters=4), tab="train"),
    Preset("no_pool", CNNConfig(pooling="none"), tab="train"),
    Preset("average_pool", CNNConfig(pooling="average"), tab="train"),
    Preset(
        "augmentation", CNNConfig(augmentation=AUGMENTATIONS, epochs=20), tab="train"
    ),
    Preset("batch_norm", CNNConfig(batch_norm=True, dropout=0.3), tab="train"),
)

#: A transfer run that trains in seconds (the contract tests train and export it).
SMOKE_TRANSFER = TransferConfig(train_sizes=(10, 40), pretrain_epochs=2, num_steps=20)

#: The page control (URL parameter) of each :class:`CNNConfig` field it shows.
CNN_CONTROLS: dict[str, str] = {
    "dataset": "cnn_dataset",
    "num_blocks": "cnn_blocks",
    "filters": "cnn_filters",
    "kernel_size": "cnn_train_kernel",
    "pooling": "cnn_pooling",
    "dropout": "cnn_dropout",
    "batch_norm": "cnn_bn",
    "augmentation": "cnn_aug",
    "optimizer": "cnn_optimizer",
    "learning_rate": "cnn_lr",
    "epochs": "cnn_epochs",
    "batch_size": "cnn_batch",
    "seed": "cnn_seed",
}
#: The page control of each :class:`TransferConfig` field it shows.
TRANSFER_CONTROLS: dict[str, str] = {
    "filters": "cnn_tl_filters",
    "pretrain_epochs": "cnn_tl_pretrain",
    "num_steps": "cnn_tl_steps",
}


def _controls(config: Any, keys: dict[str, str]) -> dict[str, Any]:
    """``{control key: value}``; ``ValueError`` if a field without a control
    differs from its default (the page could not show that config)."""
    hidden = {
        name: getattr(config, name)
        for name in (f.name for f in dataclasses.fields(config))
        if name not in keys
    }
    default = type(config)()
    changed = sorted(k for k, v in hidden.items() if v != getattr(default, k))
    if changed:
        raise ValueError(
            f"the page has no control for {changed} of {type(config).__name__}"
        )
    return {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in ((key, getattr(config, name)) for name, key in keys.items())
    }


def control_values(config: CNNConfig) -> dict[str, Any]:
    """The Train tab's control values (URL parameters) that show ``config``.

    >>> control_values(CNNConfig(filters=8, augmentation=("zoom",)))["cnn_aug"]
    ['zoom']
    """
    return _controls(config, CNN_CONTROLS)


def transfer_control_values(config: TransferConfig) -> dict[str, Any]:
    """The Transfer tab's control values that show ``config``.

    >>> transfer_control_values(TransferConfig(filters=8))
    {'cnn_tl_filters': 8, 'cnn_tl_pretrain': 10, 'cnn_tl_steps': 120}
    """
    return _controls(config, TRANSFER_CONTROLS)


# ----------------------------------------------------------------------------
# Training a CNN (and a Dense baseline) on digits
# ----------------------------------------------------------------------------


def _with_run(on_progress, run: str, run_index: int, num_runs: int):
    """Forward progress events of one run of a multi-run task (contract)."""
    if on_progress is None:
        return None

    def forward(event: dict) -> None:
        on_progress({**event, "run": run, "run_index": run_index, "num_runs": num_runs})

    return forward


def train_cnn(
    config: CNNConfig,
    *,
    on_progress: Callable[[dict], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> train.TaskResult:
    """Train the CNN (and, if ``config.baseline``, the Dense baseline) on digits.

    The dataset's held-out split (``x_val``) serves as the test set: it is
    never used for a gradient step.

    Args:
        config: The hyperparameters.
        on_progress: Called with one event per epoch (contract); the events
            carry ``run`` (``"cnn"`` / ``"dense"``), ``run_index``, ``num_runs``.
        should_stop: Polled between chunks of epochs; ``True`` cancels.

    Returns:
        A ``train.TaskResult``. ``metrics``: ``test_accuracy``, ``test_loss``,
        ``num_params`` (and ``dense_test_accuracy``, ``dense_num_params``).
        ``artifacts``: ``probabilities`` (n_test, classes), ``y_test``,
        ``confusion``, ``per_class`` (DataFrame as a dict of lists),
        ``misclassified`` (test indices), ``misclassified_images`` (up to 48),
        ``x_test`` (the test images if at most 2000, else ``None``),
        ``examples`` / ``example_labels`` (first 20 test images),
        ``weights`` (CNN), ``dense_weights``, ``translation`` (accuracy vs
        shift, dict of lists), ``input_shape``, ``num_classes``,
        ``class_names``.
    """
    data = datasets.load(config.dataset, seed=config.seed)
    num_runs = 2 if config.baseline else 1
    models = {"cnn": build_cnn(config, data.input_shape, data.num_classes)}
    if config.baseline:
        models["dense"] = build_dense_baseline(
            config, data.input_shape, data.num_classes
        )
    fits = {}
    for index, (name, model) in enumerate(models.items()):
        fits[name] = train.fit(
            model,
            data.x_train,
            data.y_train,
            epochs=config.epochs,
            batch_size=config.batch_size,
            validation_data=(data.x_val, data.y_val),
            seed=config.seed,
            on_progress=_with_run(on_progress, name, index, num_runs),
            should_stop=should_stop,
        )
        if fits[name].status == "cancelled":
            break
    metrics, artifacts = _cnn_outputs(config, data, models, fits)
    if len(fits) == 1:
        return train.TaskResult.from_fit(
            fits["cnn"], metrics=metrics, artifacts=artifacts
        )
    return train.TaskResult.combine(fits, metrics=metrics, artifacts=artifacts)


def _cnn_outputs(config: CNNConfig, data, models: dict, fits: dict) -> tuple:
    """Metrics and artifacts of :func:`train_cnn` (see its docstring)."""
    cnn = models["cnn"]
    y_test = np.asarray(data.y_val)
    probabilities, accuracy, loss = _evaluate(cnn, data.x_val, y_test)
    predicted = probabilities.argmax(axis=1)
    matrix = confusion_matrix(y_test, predicted, data.num_classes)
    wrong = np.flatnonzero(predicted != y_test)
    metrics = {
        "test_accuracy": accuracy,
        "test_loss": loss,
        "num_params": float(cnn.count_params()),
    }
    artifacts = {
        "probabilities": probabilities.astype(np.float32),
        "y_test": y_test,
        "confusion": matrix,
        "per_class": per_class_metrics(matrix, data.class_names).to_dict("list"),
        "misclassified": wrong,
        "misclassified_images": np.asarray(data.x_val)[wrong[:48]],
        # the whole test set when it is small (digits: 450 × 8 × 8, 115 kB)
        "x_test": np.asarray(data.x_val) if len(y_test) <= 2000 else None,
        "examples": np.asarray(data.x_val)[:20],
        "example_labels": y_test[:20],
        "weights": [np.array(w) for w in cnn.get_weights()],
        "input_shape": tuple(int(d) for d in data.input_shape),
        "num_classes": int(data.num_classes),
        "class_names": tuple(str(c) for c in data.class_names),
    }
    if "dense" in fits:
        dense = models["dense"]
        _, dense_accuracy, _ = _evaluate(dense, data.x_val, y_test)
        metrics["dense_test_accuracy"] = dense_accuracy
        metrics["dense_num_params"] = float(dense.count_params())
        artifacts["dense_weights"] = [np.array(w) for w in dense.get_weights()]
        width = int(data.input_shape[1])
        limit = max(1, width * 3 // 8)
        curve = translation_curve(
            cnn, dense, data.x_val[:1000], y_test[:1000], range(-limit, limit + 1)
        )
        artifacts["translation"] = curve.to_dict("list")
    return metrics, artifacts


# ----------------------------------------------------------------------------
# Transfer learning: reuse a conv base trained on other classes
# ----------------------------------------------------------------------------


def _transfer_model(
    config: TransferConfig, input_shape, strategy: str, base_weights: dict | None
) -> keras.Model:
    """A fresh CNN for the target classes, its conv base set up for ``strategy``."""
    cnn_config = config.cnn_config()
    model = _cnn_graph(cnn_config, input_shape, len(config.target_classes))
    convs = _conv2d_layers(model)
    if strategy != "scratch" and base_weights is not None:
        for layer in convs:
            layer.set_weights(base_weights[layer.name])
        # frozen: no conv learns; fine_tune: only the top block does
        frozen = convs if strategy == "frozen" else convs[:-1]
        for layer in frozen:
            layer.trainable = False
    return _compile(model, cnn_config)


def train_transfer(
    config: TransferConfig,
    *,
    on_progress: Callable[[dict], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> train.TaskResult:
    """Transfer learning on digits: frozen base vs fine-tuning vs from scratch.

    1. Pretrain a CNN on ``source_classes`` (digits 0–4).
    2. For each training-set size and strategy, train a fresh network with a
       new classifier on ``target_classes`` (digits 5–9) for ``num_steps``
       gradient steps, and measure its test accuracy on those digits.

    Returns:
        A ``train.TaskResult`` of all runs (``pretrain``, ``frozen n=20``, …).
        ``metrics``: ``pretrain_accuracy`` and ``<strategy>_<size>``
        accuracies. ``artifacts["curves"]``: a dict of lists with columns
        ``train_size``, ``strategy``, ``accuracy`` (runs not done because of a
        cancellation are missing).
    """
    data = datasets.load("digits", seed=config.seed)
    x_train, y_train = np.asarray(data.x_train), np.asarray(data.y_train)
    x_test, y_test = np.asarray(data.x_val), np.asarray(data.y_val)
    runs = [(s, n) for n in config.train_sizes for s in config.strategies]
    num_runs = 1 + len(runs)

    source = config.cnn_config()
    base = _compile(
        _cnn_graph(source, data.input_shape, len(config.source_classes)), source
    )
    xs, ys = _select(x_train, y_train, config.source_classes)
    fits = {
        "pretrain": train.fit(
            base,
            xs,
            ys,
            epochs=config.pretrain_epochs,
            batch_size=config.batch_size,
            seed=config.seed,
            on_progress=_with_run(on_progress, "pretrain", 0, num_runs),
            should_stop=should_stop,
        )
    }
    _, pretrain_accuracy, _ = _evaluate(
        base, *_select(x_test, y_test, config.source_classes)
    )
    base_weights = {layer.name: layer.get_weights() for layer in _conv2d_layers(base)}

    xt, yt = _select(x_train, y_train, config.target_classes)
    xt_test, yt_test = _select(x_test, y_test, config.target_classes)
    rows, metrics = [], {"pretrain_accuracy": pretrain_accuracy}
    # Every run is one epoch over its images repeated cyclically up to exactly
    # num_steps batches: all runs take the same number of gradient steps (and
    # have the same data shape), whatever their training-set size.
    length = config.num_steps * config.batch_size
    for index, (strategy, size) in enumerate(runs, start=1):
        if fits[next(reversed(fits))].status == "cancelled":
            break
        subset = np.resize(stratified_subset(yt, size, seed=config.seed), length)
        model = _transfer_model(config, data.input_shape, strategy, base_weights)
        name = f"{strategy} n={size}"
        fits[name] = train.fit(
            model,
            xt[subset],
            yt[subset],
            epochs=1,
            batch_size=config.batch_size,
            seed=config.seed + index,
            on_progress=_with_run(on_progress, name, index, num_runs),
            should_stop=should_stop,
        )
        _, accuracy, _ = _evaluate(model, xt_test, yt_test)
        metrics[f"{strategy}_{size}"] = accuracy
        rows.append({"train_size": size, "strategy": strategy, "accuracy": accuracy})
    curves = pd.DataFrame(rows, columns=["train_size", "strategy", "accuracy"])
    artifacts = {
        "curves": curves.to_dict("list"),
        "pretrain_accuracy": pretrain_accuracy,
        "num_target_test": len(yt_test),
    }
    return train.TaskResult.combine(fits, metrics=metrics, artifacts=artifacts)
