"""The RNN page's training tasks: configs, presets, train functions, estimates.

:func:`train_memory` trains SimpleRNN, LSTM and GRU on the same generated
long-memory task (same data, same seed) and measures the gradient through
time; :func:`train_sentiment` compares a bag-of-words baseline with embedding
models on generated reviews. Both go through :func:`dlcore.train.fit` and
follow the progress / cancel contract of every dashboard task; they stay
module-level (worker processes import them by name).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from dlcore import budget, train
from dlcore.rnn import text
from dlcore.rnn.core import (
    CELLS,
    GENERATORS,
    TASKS,
    gradient_through_time,
    param_count,
    trivial_prediction,
    unroll,
)
from dlcore.rnn.models import build_sequence_model, first_recurrent_layer
from dlcore.topics import Preset

OPTIMIZERS: tuple[str, ...] = ("adam", "rmsprop", "sgd")
#: Validation sequences of the memory task (seed ``seed + 1``).
NUM_VAL = 500
#: Validation sequences whose gradient through time is measured.
GRADIENT_BATCH = 128


# ----------------------------------------------------------------------------
# Long-range memory
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MemoryConfig:
    """SimpleRNN vs LSTM vs GRU on one generated task (defaults: the adding
    problem at T = 30, where LSTM and GRU solve it and SimpleRNN does not).

    Attributes:
        task: ``"adding"``, ``"recall"`` or ``"sine"`` (:data:`GENERATORS`).
        timesteps: Sequence length T.
        cells: Cell types to train, in order.
        units: Units of every recurrent layer.
        layers: Stacked recurrent layers (all but the last return sequences).
        bidirectional: Wrap every recurrent layer in ``Bidirectional``.
        dropout: Dropout of the inputs of each recurrent layer.
        recurrent_dropout: Dropout of the recurrent state (disables the fused
            cuDNN kernel on a GPU).
        optimizer: ``"adam"``, ``"rmsprop"`` or ``"sgd"``.
        learning_rate: Step size (学习率).
        clipnorm: Gradient clipping by norm (梯度裁剪); 0 = none.
        epochs: Passes over the training set.
        batch_size: Sequences per step.
        num_samples: Training sequences (seed ``seed``); 500 validation
            sequences come from seed ``seed + 1``.
        seed: Seed of the data, every initializer, dropout mask and shuffle.
    """

    task: str = "adding"
    timesteps: int = 30
    cells: tuple[str, ...] = CELLS
    units: int = 32
    layers: int = 1
    bidirectional: bool = False
    dropout: float = 0.0
    recurrent_dropout: float = 0.0
    optimizer: str = "adam"
    learning_rate: float = 0.01
    clipnorm: float = 1.0
    epochs: int = 20
    batch_size: int = 64
    num_samples: int = 2000
    seed: int = 0

    def __post_init__(self) -> None:
        checks = [
            (self.task in TASKS, f"task must be one of {TASKS}"),
            (2 <= self.timesteps <= 400, "timesteps must be 2..400"),
            (
                len(self.cells) >= 1
                and set(self.cells) <= set(CELLS)
                and len(set(self.cells)) == len(self.cells),
                f"cells must be distinct values of {CELLS}",
            ),
            (1 <= self.units <= 256, "units must be 1..256"),
            (1 <= self.layers <= 3, "layers must be 1..3"),
            (0.0 <= self.dropout <= 0.5, "dropout must be 0..0.5"),
            (0.0 <= self.recurrent_dropout <= 0.5, "recurrent_dropout must be 0..0.5"),
            (self.optimizer in OPTIMIZERS, f"optimizer must be one of {OPTIMIZERS}"),
            (0.0 < self.learning_rate <= 1.0, "learning_rate must be in (0, 1]"),
            (0.0 <= self.clipnorm <= 100.0, "clipnorm must be 0..100"),
            (1 <= self.epochs <= 500, "epochs must be 1..500"),
            (1 <= self.batch_size <= 1024, "batch_size must be 1..1024"),
            (16 <= self.num_samples <= 50000, "num_samples must be 16..50000"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(f"Invalid MemoryConfig: {message}")


def memory_data(config: MemoryConfig) -> tuple[np.ndarray, ...]:
    """``(x_train, y_train, x_val, y_val)`` of the config's task."""
    generate = GENERATORS[config.task]
    x, y = generate(config.num_samples, config.timesteps, config.seed)
    x_val, y_val = generate(NUM_VAL, config.timesteps, config.seed + 1)
    return x, y, x_val, y_val


def memory_model(config: MemoryConfig, cell: str, features: int) -> Any:
    return build_sequence_model(
        cell,
        timesteps=config.timesteps,
        features=features,
        units=config.units,
        layers=config.layers,
        bidirectional=config.bidirectional,
        dropout=config.dropout,
        recurrent_dropout=config.recurrent_dropout,
        seed=config.seed,
        optimizer=config.optimizer,
        learning_rate=config.learning_rate,
        clipnorm=config.clipnorm or None,
    )


def _with_run(on_progress, run: str, run_index: int, num_runs: int):
    """Forward progress events of one run of a multi-run task (contract)."""
    if on_progress is None:
        return None

    def forward(event: dict) -> None:
        on_progress({**event, "run": run, "run_index": run_index, "num_runs": num_runs})

    return forward


def train_memory(
    config: MemoryConfig,
    *,
    on_progress: Callable[[dict], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> train.TaskResult:
    """Train each cell type of ``config`` on the same data from the same seed.

    Returns:
        A ``train.TaskResult`` (history with a ``run`` column per cell).
        ``metrics``: ``<cell>_val_mse`` (last epoch's validation MSE) per
        cell, ``baseline_mse`` (the trivial forecast on the validation set).
        ``artifacts``: ``grad_init`` / ``grad_trained`` ({cell: (T,) list}:
        ‖∂loss/∂x_t‖ on 128 validation sequences before / after training),
        ``num_params`` ({cell: int}), ``predictions`` ({cell: first 200
        validation predictions}), ``y_val`` (first 200), and for an LSTM
        ``gates``: its first layer unrolled on validation sequence
        ``gate_index`` (``x``: (T, F), ``i``/``f``/``o``/``c``/``h``: (T, units)).
    """
    x, y, x_val, y_val = memory_data(config)
    features = x.shape[-1]
    fits, models = {}, {}
    grad_init, grad_trained, num_params, predictions = {}, {}, {}, {}
    gx, gy = x_val[:GRADIENT_BATCH], y_val[:GRADIENT_BATCH]
    for index, cell in enumerate(config.cells):
        model = memory_model(config, cell, features)
        grad_init[cell] = gradient_through_time(model, gx, gy).tolist()
        fits[cell] = train.fit(
            model,
            x,
            y,
            epochs=config.epochs,
            batch_size=config.batch_size,
            validation_data=(x_val, y_val),
            seed=config.seed,
            on_progress=_with_run(on_progress, cell, index, len(config.cells)),
            should_stop=should_stop,
        )
        models[cell] = model
        num_params[cell] = int(model.count_params())
        if fits[cell].status == "cancelled":
            break
        grad_trained[cell] = gradient_through_time(model, gx, gy).tolist()
        predictions[cell] = (
            model.predict(x_val[:200], verbose=0, batch_size=200).ravel().tolist()
        )
    baseline = float(np.mean((trivial_prediction(config.task, x_val) - y_val) ** 2))
    metrics = {"baseline_mse": baseline}
    for cell, fit in fits.items():
        if len(fit.history):
            metrics[f"{cell}_val_mse"] = float(fit.history["val_loss"].iloc[-1])
    artifacts: dict[str, Any] = {
        "grad_init": grad_init,
        "grad_trained": grad_trained,
        "num_params": num_params,
        "predictions": predictions,
        "y_val": y_val[:200].tolist(),
        "task": config.task,
    }
    if "lstm" in models and "lstm" in grad_trained:
        artifacts["gates"] = lstm_gates(models["lstm"], x_val, config.task)
    return train.TaskResult.combine(fits, metrics=metrics, artifacts=artifacts)


def gate_sequence_index(x_val: np.ndarray, task: str) -> int:
    """A validation sequence that shows the lesson: for the adding problem,
    one whose first marker is early (the cell must hold it long)."""
    if task != "adding":
        return 0
    first = x_val[:, :, 1].argmax(axis=1)
    return int(np.argmin(first))


def lstm_gates(model: Any, x_val: np.ndarray, task: str) -> dict[str, Any]:
    """The LSTM's first layer unrolled on one validation sequence."""
    index = gate_sequence_index(x_val, task)
    layer = first_recurrent_layer(model)
    states = unroll(layer, x_val[index])
    return {
        "index": index,
        "x": x_val[index].astype(np.float32),
        **{k: states[k] for k in ("i", "f", "o", "c", "h")},
    }


def estimate_memory(config: MemoryConfig) -> float:
    """Estimated seconds on 2 CPU cores: ``budget``'s fit model per cell, with
    the recurrence's flops per example ≈ T · 2 · (recurrent weights), plus a
    per-timestep cost of the sequential loop (measured: see ``bench/rnn.py``).
    """
    fits = []
    features = 1 if config.task == "sine" else 2
    directions = 2 if config.bidirectional else 1
    for cell in config.cells:
        weights = 0
        width = features
        for _ in range(config.layers):
            weights += directions * param_count(cell, config.units, width)
            width = directions * config.units
        flops = 2.0 * config.timesteps * weights
        fit = budget.Fit(
            config.num_samples,
            NUM_VAL,
            config.batch_size,
            config.epochs,
            flops,
            config.layers * directions + 1,
        )
        loop = (
            (fit.train_steps * 3 + fit.val_steps)
            * config.timesteps
            * (config.layers * directions)
            * TIMESTEP_SECONDS
        )
        fits.append(fit.seconds() + loop + 0.8)
    return float(sum(fits))


#: Seconds of one timestep of one recurrent layer in one step of the compiled
#: loop (forward; the backward pass counts twice), measured on 2 cores.
TIMESTEP_SECONDS = 1.5e-5


# ----------------------------------------------------------------------------
# Sentiment on generated reviews
# ----------------------------------------------------------------------------

SENTIMENT_MODELS: tuple[str, ...] = ("bow", "pool", "lstm", "gru", "bilstm")


@dataclass(frozen=True)
class SentimentConfig:
    """Bag-of-words vs embedding models on the same generated reviews.

    Attributes:
        language: ``"en"`` (word tokens) or ``"zh"`` (character tokens).
        models: Which of :data:`SENTIMENT_MODELS` to train, in order:
            ``bow`` (multi-hot → Dense), ``pool`` (Embedding → average
            pooling), ``lstm`` / ``gru`` (Embedding → recurrent layer),
            ``bilstm`` (Embedding → Bidirectional LSTM); each → Dense(sigmoid).
        num_samples: Generated reviews (75 % train, 25 % test, balanced).
        max_tokens: Vocabulary limit of ``TextVectorization`` (padding and OOV
            included).
        sequence_length: Padded / truncated length.
        embedding_dim: Size of each word vector (词嵌入).
        units: Recurrent units (and hidden units of the bag-of-words net).
        epochs, batch_size, learning_rate, seed: Training (Adam).
    """

    language: str = "en"
    models: tuple[str, ...] = ("bow", "pool", "lstm")
    num_samples: int = 4000
    max_tokens: int = 200
    sequence_length: int = 20
    embedding_dim: int = 16
    units: int = 32
    epochs: int = 12
    batch_size: int = 64
    learning_rate: float = 0.01
    seed: int = 0

    def __post_init__(self) -> None:
        checks = [
            (self.language in text.LANGUAGES, f"language must be {text.LANGUAGES}"),
            (
                len(self.models) >= 1
                and set(self.models) <= set(SENTIMENT_MODELS)
                and len(set(self.models)) == len(self.models),
                f"models must be distinct values of {SENTIMENT_MODELS}",
            ),
            (200 <= self.num_samples <= 50000, "num_samples must be 200..50000"),
            (10 <= self.max_tokens <= 20000, "max_tokens must be 10..20000"),
            (2 <= self.sequence_length <= 200, "sequence_length must be 2..200"),
            (2 <= self.embedding_dim <= 128, "embedding_dim must be 2..128"),
            (1 <= self.units <= 256, "units must be 1..256"),
            (1 <= self.epochs <= 200, "epochs must be 1..200"),
            (1 <= self.batch_size <= 1024, "batch_size must be 1..1024"),
            (0.0 < self.learning_rate <= 1.0, "learning_rate must be in (0, 1]"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(f"Invalid SentimentConfig: {message}")


def train_sentiment(
    config: SentimentConfig,
    *,
    on_progress: Callable[[dict], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> train.TaskResult:
    """Train each model of ``config`` on the same generated reviews.

    Returns:
        A ``train.TaskResult``; ``metrics``: ``<model>_test_accuracy`` per
        model. ``artifacts``: ``vocabulary`` (list), ``test_text``,
        ``test_labels``, ``test_kinds`` (sentence pattern), ``probabilities``
        ({model: test probabilities}), ``weights`` ({model: list of arrays}),
        ``embedding`` ({model: (vocab, dim) array} for embedding models).
    """
    data = text.sentiment_data(config.language, config.num_samples, config.seed)
    vectorizer = text.vectorizer(
        config.language, data.train_text, config.max_tokens, config.sequence_length
    )
    vocabulary = [str(w) for w in vectorizer.get_vocabulary()]
    x_train = text.encode(vectorizer, data.train_text)
    x_test = text.encode(vectorizer, data.test_text)
    fits, probabilities, weights, embeddings = {}, {}, {}, {}
    for index, name in enumerate(config.models):
        model = text.build_sentiment_model(name, config, len(vocabulary))
        xt, xs = x_train, x_test
        if name == "bow":
            xt = text.multi_hot(x_train, len(vocabulary))
            xs = text.multi_hot(x_test, len(vocabulary))
        fits[name] = train.fit(
            model,
            xt,
            data.train_labels,
            epochs=config.epochs,
            batch_size=config.batch_size,
            validation_data=(xs, data.test_labels),
            seed=config.seed,
            on_progress=_with_run(on_progress, name, index, len(config.models)),
            should_stop=should_stop,
        )
        if fits[name].status == "cancelled":
            break
        probabilities[name] = model.predict(xs, verbose=0, batch_size=512).ravel()
        weights[name] = [np.asarray(w) for w in model.get_weights()]
        if name != "bow":
            embeddings[name] = np.asarray(model.get_layer("embedding").get_weights()[0])
    metrics = {
        f"{name}_test_accuracy": float(fit.history["val_accuracy"].iloc[-1])
        for name, fit in fits.items()
        if len(fit.history)
    }
    artifacts = {
        "vocabulary": vocabulary,
        "test_text": list(data.test_text),
        "test_labels": data.test_labels,
        "test_kinds": list(data.test_kinds),
        "probabilities": probabilities,
        "weights": weights,
        "embedding": embeddings,
        "language": config.language,
    }
    return train.TaskResult.combine(fits, metrics=metrics, artifacts=artifacts)


def estimate_sentiment(config: SentimentConfig) -> float:
    """Estimated seconds on 2 CPU cores (see :func:`estimate_memory`)."""
    num_train = round(config.num_samples * 0.75)
    num_test = config.num_samples - num_train
    total = 0.0
    e, u, n = config.embedding_dim, config.units, config.max_tokens
    for name in config.models:
        if name == "bow":
            flops, layers, loop = 2.0 * (n * u + u), 2, 0
        elif name == "pool":
            flops, layers, loop = 2.0 * config.sequence_length * e, 2, 0
        else:
            cell = "gru" if name == "gru" else "lstm"
            directions = 2 if name == "bilstm" else 1
            flops = 2.0 * config.sequence_length * directions * param_count(cell, u, e)
            layers, loop = 2 + directions, directions
        fit = budget.Fit(
            num_train, num_test, config.batch_size, config.epochs, flops, layers
        )
        steps = fit.train_steps * 3 + fit.val_steps
        total += fit.seconds() + steps * config.sequence_length * loop * (
            TIMESTEP_SECONDS
        )
        total += 0.8
    return float(total)


# ----------------------------------------------------------------------------
# The real IMDB reviews (online users)
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImdbConfig:
    """The source notes' corrected IMDB model on a small subset of the real
    reviews (``keras.datasets.imdb``, downloaded on first use).

    Attributes:
        num_words: Keep the ``num_words`` most frequent words (the page passes
            the Text tab's vocabulary limit).
        maxlen: Reviews padded / truncated to this many word ids.
        num_train: Training reviews drawn (seed ``seed``) from the 25 000.
        num_test: Test reviews drawn from the 25 000 test reviews.
        embedding_dim, units: Embedding size and LSTM units.
        epochs, batch_size, learning_rate, seed: Training (Adam).
    """

    num_words: int = 200
    maxlen: int = 100
    num_train: int = 2000
    num_test: int = 1000
    embedding_dim: int = 16
    units: int = 32
    epochs: int = 3
    batch_size: int = 64
    learning_rate: float = 0.003
    seed: int = 0

    def __post_init__(self) -> None:
        checks = [
            (10 <= self.num_words <= 20000, "num_words must be 10..20000"),
            (10 <= self.maxlen <= 500, "maxlen must be 10..500"),
            (64 <= self.num_train <= 25000, "num_train must be 64..25000"),
            (64 <= self.num_test <= 25000, "num_test must be 64..25000"),
            (2 <= self.embedding_dim <= 128, "embedding_dim must be 2..128"),
            (1 <= self.units <= 256, "units must be 1..256"),
            (1 <= self.epochs <= 50, "epochs must be 1..50"),
            (1 <= self.batch_size <= 1024, "batch_size must be 1..1024"),
            (0.0 < self.learning_rate <= 1.0, "learning_rate must be in (0, 1]"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(f"Invalid ImdbConfig: {message}")


def imdb_subset(config: ImdbConfig) -> tuple[np.ndarray, ...]:
    """``(x_train, y_train, x_test, y_test)``: seeded random subsets of the
    real IMDB splits (raises ``DatasetUnavailable`` offline)."""
    x_train, y_train, x_test, y_test = text.imdb_data(config.num_words, config.maxlen)
    rng = np.random.default_rng(config.seed)
    train_rows = rng.permutation(len(x_train))[: config.num_train]
    test_rows = rng.permutation(len(x_test))[: config.num_test]
    return (
        x_train[train_rows].astype(np.int32),
        y_train[train_rows],
        x_test[test_rows].astype(np.int32),
        y_test[test_rows],
    )


def train_imdb(
    config: ImdbConfig,
    *,
    on_progress: Callable[[dict], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> train.TaskResult:
    """Embedding → LSTM → Dense(sigmoid) on a subset of the real IMDB reviews.

    Returns:
        A ``train.TaskResult``; ``metrics``: ``test_accuracy`` (last epoch),
        ``positive_share`` (of the test subset: the majority-class baseline
        is ``max(p, 1 - p)``). Raises ``DatasetUnavailable`` offline.
    """
    x, y, x_test, y_test = imdb_subset(config)
    model = text.build_imdb_model(config)
    fit = train.fit(
        model,
        x,
        y,
        epochs=config.epochs,
        batch_size=config.batch_size,
        validation_data=(x_test, y_test),
        seed=config.seed,
        on_progress=on_progress,
        should_stop=should_stop,
    )
    metrics = {"positive_share": float(np.mean(y_test))}
    if len(fit.history):
        metrics["test_accuracy"] = float(fit.history["val_accuracy"].iloc[-1])
    return train.TaskResult.from_fit(
        fit, metrics=metrics, artifacts={"num_params": int(model.count_params())}
    )


def estimate_imdb(config: ImdbConfig) -> float:
    """Estimated seconds on 2 CPU cores (see :func:`estimate_memory`)."""
    e, u = config.embedding_dim, config.units
    flops = 2.0 * config.maxlen * param_count("lstm", u, e)
    fit = budget.Fit(
        config.num_train, config.num_test, config.batch_size, config.epochs, flops, 3
    )
    steps = fit.train_steps * 3 + fit.val_steps
    return float(fit.seconds() + steps * config.maxlen * TIMESTEP_SECONDS + 0.8)


# ----------------------------------------------------------------------------
# Presets and the page controls that show a config
# ----------------------------------------------------------------------------

#: The page control of each :class:`MemoryConfig` field it shows.
MEMORY_CONTROLS: dict[str, str] = {
    "task": "rnn_task",
    "timesteps": "rnn_timesteps",
    "cells": "rnn_cells",
    "units": "rnn_units",
    "layers": "rnn_layers",
    "bidirectional": "rnn_bidi",
    "dropout": "rnn_dropout",
    "recurrent_dropout": "rnn_rec_dropout",
    "optimizer": "rnn_optimizer",
    "learning_rate": "rnn_lr",
    "clipnorm": "rnn_clip",
    "epochs": "rnn_epochs",
    "seed": "rnn_seed",
}
#: The page control of each :class:`SentimentConfig` field it shows.
SENTIMENT_CONTROLS: dict[str, str] = {
    "models": "rnn_models",
    "max_tokens": "rnn_vocab",
    "sequence_length": "rnn_seq_len",
    "embedding_dim": "rnn_embed",
    "epochs": "rnn_text_epochs",
    "seed": "rnn_text_seed",
}


def _controls(config: Any, keys: dict[str, str], fixed: tuple[str, ...] = ()):
    """``{control key: value}``; ``ValueError`` if a field without a control
    (other than ``fixed``) differs from its default."""
    default = type(config)()
    changed = sorted(
        f.name
        for f in dataclasses.fields(config)
        if f.name not in keys
        and f.name not in fixed
        and getattr(config, f.name) != getattr(default, f.name)
    )
    if changed:
        raise ValueError(
            f"the page has no control for {changed} of {type(config).__name__}"
        )
    return {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in ((key, getattr(config, name)) for name, key in keys.items())
    }


def memory_control_values(config: MemoryConfig) -> dict[str, Any]:
    """The Memory tab's control values (URL parameters) that show ``config``.

    >>> memory_control_values(MemoryConfig(timesteps=60))["rnn_timesteps"]
    60
    """
    return _controls(config, MEMORY_CONTROLS)


def sentiment_control_values(config: SentimentConfig) -> dict[str, Any]:
    """The Text tab's control values that show ``config`` (its ``language``
    follows the page's language)."""
    return _controls(config, SENTIMENT_CONTROLS, fixed=("language",))


#: A memory run that trains in seconds (the contract tests train and export it).
SMOKE_MEMORY = MemoryConfig(timesteps=8, epochs=2, num_samples=128, units=8)
#: A sentiment run that trains in seconds.
SMOKE_SENTIMENT = SentimentConfig(num_samples=400, epochs=2, models=("bow", "lstm"))

#: Teacher presets (labels: ``rnn.preset.<name>`` in the catalogue).
PRESETS: tuple[Preset, ...] = (
    Preset("memory_lesson", MemoryConfig(), tab="memory"),
    Preset("short_sequences", MemoryConfig(timesteps=10), tab="memory"),
    Preset("long_sequences", MemoryConfig(timesteps=60, epochs=30), tab="memory"),
    Preset("no_clipping", MemoryConfig(clipnorm=0.0), tab="memory"),
    Preset("recall", MemoryConfig(task="recall"), tab="memory"),
    Preset("sentiment", SentimentConfig(), tab="text"),
    Preset(
        "sentiment_all",
        SentimentConfig(models=SENTIMENT_MODELS),
        tab="text",
    ),
)
