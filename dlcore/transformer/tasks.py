"""The Transformer page's training tasks: configs, presets, train functions,
estimates.

:func:`train_sequence` trains a tiny Transformer (and an LSTM beside it, same
data and seed) on a generated digit task whose attention pattern is
checkable (reversal: the anti-diagonal); :func:`train_char` a causal
character model on a short built-in text in the page's language. Both go
through :func:`dlcore.train.fit` and return plain data.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dlcore import train
from dlcore.topics import Preset
from dlcore.transformer.models import (
    POSITIONS,
    attention_maps,
    build_lstm,
    build_transformer,
    learning_rate,
)

#: Generated tasks on digit sequences.
TASKS: tuple[str, ...] = ("reverse", "sort", "copy")
#: Digits 0–9 plus the blank token 10 (the copy task's "nothing yet").
VOCAB_SIZE = 11
BLANK = 10
#: The copy task's delay (positions).
DELAY = 2
#: Validation sequences (seed ``seed + 1``).
NUM_VAL = 500
#: Validation sequences whose attention maps are stored.
NUM_SHOWN = 4
LANGUAGES: tuple[str, ...] = ("en", "zh")


def sequence_task(task, num_samples, length, seed):
    """Generated digit sequences: ``(x, y)``, int32 (num_samples, length).

    ``reverse``: y = x backwards; ``sort``: y = x sorted ascending; ``copy``:
    y_t = x_{t−2} (the blank token 10 for t < 2).
    """
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 10, size=(num_samples, length)).astype(np.int32)
    if task == "reverse":
        y = x[:, ::-1]
    elif task == "sort":
        y = np.sort(x, axis=1)
    elif task == "copy":
        y = np.full_like(x, 10)
        y[:, 2:] = x[:, :-2]
    else:
        raise ValueError(f"unknown task {task!r}")
    return x, np.ascontiguousarray(y, dtype=np.int32)


def sequence_target(task: str, x: np.ndarray) -> np.ndarray:
    """The target of digit sequence(s) ``x`` ((T,) or (N, T)) under ``task``
    (the rule of :func:`sequence_task`)."""
    x = np.asarray(x, dtype=np.int32)
    if task == "reverse":
        y = x[..., ::-1]
    elif task == "sort":
        y = np.sort(x, axis=-1)
    elif task == "copy":
        y = np.full_like(x, BLANK)
        y[..., DELAY:] = x[..., :-DELAY]
    else:
        raise ValueError(f"unknown task {task!r}")
    return np.ascontiguousarray(y, dtype=np.int32)


def _check(name: str, checks: list[tuple[bool, str]]) -> None:
    for ok, message in checks:
        if not ok:
            raise ValueError(f"Invalid {name}: {message}")


@dataclass(frozen=True)
class SequenceConfig:
    """A tiny Transformer (and an LSTM) on a generated digit task.

    Attributes:
        task: ``"reverse"``, ``"sort"`` or ``"copy"`` (:data:`TASKS`).
        length: Digits per sequence T.
        layers: Encoder blocks (1–3).
        heads: Attention heads (1–4); d_model must be divisible by it.
        d_model: Model width.
        d_ff: Feed-forward width.
        dropout: Dropout of attention weights and sub-layer outputs.
        positions: ``"sinusoidal"``, ``"learned"`` or ``"none"``.
        learning_rate: Adam's step size (学习率).
        warmup_steps: Linear warm-up steps (0 = none).
        epochs, batch_size: Training.
        num_samples: Training sequences (seed ``seed``); 500 validation
            sequences from seed ``seed + 1``.
        lstm: Also train the LSTM (Bidirectional, ``d_model`` units).
        seed: Seed of the data, every initializer, dropout and shuffle.
    """

    task: str = "reverse"
    length: int = 8
    layers: int = 1
    heads: int = 2
    d_model: int = 32
    d_ff: int = 64
    dropout: float = 0.0
    positions: str = "sinusoidal"
    learning_rate: float = 0.003
    warmup_steps: int = 0
    epochs: int = 8
    batch_size: int = 64
    num_samples: int = 3000
    lstm: bool = True
    seed: int = 0

    def __post_init__(self) -> None:
        _check(
            "SequenceConfig",
            [
                (self.task in TASKS, f"task must be one of {TASKS}"),
                (4 <= self.length <= 16, "length must be 4..16"),
                (1 <= self.layers <= 3, "layers must be 1..3"),
                (1 <= self.heads <= 4, "heads must be 1..4"),
                (4 <= self.d_model <= 128, "d_model must be 4..128"),
                (self.d_model % self.heads == 0, "d_model must divide by heads"),
                (4 <= self.d_ff <= 512, "d_ff must be 4..512"),
                (0.0 <= self.dropout <= 0.5, "dropout must be 0..0.5"),
                (self.positions in POSITIONS, f"positions must be in {POSITIONS}"),
                (0.0 < self.learning_rate <= 0.1, "learning_rate must be in (0, 0.1]"),
                (0 <= self.warmup_steps <= 2000, "warmup_steps must be 0..2000"),
                (1 <= self.epochs <= 200, "epochs must be 1..200"),
                (1 <= self.batch_size <= 1024, "batch_size must be 1..1024"),
                (64 <= self.num_samples <= 20000, "num_samples must be 64..20000"),
            ],
        )

    @property
    def steps(self) -> int:
        return self.epochs * -(-self.num_samples // self.batch_size)


def sequence_data(config: SequenceConfig) -> tuple[np.ndarray, ...]:
    """``(x_train, y_train, x_val, y_val)`` of the config's task."""
    x, y = sequence_task(config.task, config.num_samples, config.length, config.seed)
    x_val, y_val = sequence_task(config.task, NUM_VAL, config.length, config.seed + 1)
    return x, y, x_val, y_val


def sequence_model(config: SequenceConfig) -> Any:
    """The config's compiled Transformer (fresh, seeded weights)."""
    return build_transformer(
        vocab_size=VOCAB_SIZE,
        length=config.length,
        d_model=config.d_model,
        heads=config.heads,
        d_ff=config.d_ff,
        layers=config.layers,
        dropout=config.dropout,
        positions=config.positions,
        causal=False,
        seed=config.seed,
        rate=learning_rate(config.learning_rate, config.warmup_steps, config.steps),
    )


def lstm_model(config: SequenceConfig) -> Any:
    return build_lstm(
        vocab_size=VOCAB_SIZE,
        length=config.length,
        units=config.d_model,
        causal=False,
        seed=config.seed,
        rate=learning_rate(config.learning_rate, config.warmup_steps, config.steps),
    )


def with_weights(model: Any, weights: list[np.ndarray]) -> Any:
    """``model`` with ``weights`` set (a trained model rebuilt from data)."""
    model.set_weights([np.asarray(w) for w in weights])
    return model


def _with_run(on_progress, run: str, run_index: int, num_runs: int):
    if on_progress is None:
        return None

    def forward(event: dict) -> None:
        on_progress({**event, "run": run, "run_index": run_index, "num_runs": num_runs})

    return forward


def untrained_row(
    model: Any, x: np.ndarray, y: np.ndarray, x_val: np.ndarray, y_val: np.ndarray
) -> dict[str, float]:
    """Epoch 0: the untrained model's loss and per-token accuracy.

    ``x``, ``y`` (N, T) int token ids (and the validation pair likewise). The
    loss is the model's compiled ``SparseCategoricalCrossentropy(from_logits=
    True)`` averaged over every token, as ``model.evaluate`` reports it; an
    untrained model's is near ln(vocabulary size). One forward pass each, no
    tracing: it is the page's first live point, long before the first epoch's
    compiled step is ready.

    Returns:
        ``{"loss", "accuracy", "val_loss", "val_accuracy"}`` (floats).
    """
    row = {}
    for prefix, inputs, targets in (("", x, y), ("val_", x_val, y_val)):
        logits = model(inputs, training=False)
        row[prefix + "loss"] = float(model.loss(targets, logits))
        hits = np.asarray(logits).argmax(-1) == targets
        row[prefix + "accuracy"] = float(hits.mean())
    return row


def _from_epoch_zero(fit: train.FitResult, row: dict[str, float]) -> train.FitResult:
    """``fit`` with the untrained model's row as epoch 0 of its history."""
    first = pd.DataFrame([row], index=pd.RangeIndex(0, 1, name="epoch"))
    return dataclasses.replace(fit, history=pd.concat([first, fit.history]))


def _epoch_zero(model, data, epochs, on_progress) -> dict[str, float]:
    row = untrained_row(model, *data)
    if on_progress is not None:
        on_progress({"epoch": 0, "epochs": epochs, **row})
    return row


def position_accuracy(model: Any, x: np.ndarray, y: np.ndarray) -> list[float]:
    """Per-position accuracy (T,) of ``model`` on ``(x, y)``."""
    logits = np.asarray(model(x, training=False))
    return (logits.argmax(-1) == y).mean(axis=0).astype(float).tolist()


def train_sequence(
    config: SequenceConfig,
    *,
    on_progress: Callable[[dict], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> train.TaskResult:
    """Train the Transformer (and the LSTM) on the same data from one seed.

    Returns:
        A ``train.TaskResult`` (history with a ``run`` column; epoch 0 is the
        untrained model, :func:`untrained_row`); ``metrics``:
        ``transformer_val_accuracy`` (per-token, last epoch) and
        ``lstm_val_accuracy``; ``artifacts``: ``num_params`` ({run: int}),
        ``position_accuracy`` ({run: (T,) list}), ``x_shown`` / ``y_shown``
        ((4, T) validation inputs and targets), ``predicted`` ({run: (4, T)}),
        ``maps`` ({"layer_k": (4, heads, T, T)}: the trained Transformer's
        attention on ``x_shown``); ``weights``: the Transformer's weights.
    """
    x, y, x_val, y_val = sequence_data(config)
    runs = ["transformer"] + (["lstm"] if config.lstm else [])
    fits, models, untrained = {}, {}, {}
    for index, run in enumerate(runs):
        model = sequence_model(config) if run == "transformer" else lstm_model(config)
        progress = _with_run(on_progress, run, index, len(runs))
        untrained[run] = _epoch_zero(
            model, (x, y, x_val, y_val), config.epochs, progress
        )
        fits[run] = train.fit(
            model,
            x,
            y,
            epochs=config.epochs,
            batch_size=config.batch_size,
            validation_data=(x_val, y_val),
            seed=config.seed,
            on_progress=progress,
            should_stop=should_stop,
        )
        models[run] = model
        if fits[run].status == "cancelled":
            break
    metrics = {
        f"{run}_val_accuracy": float(fit.history["val_accuracy"].iloc[-1])
        for run, fit in fits.items()
        if len(fit.history)
    }
    fits = {run: _from_epoch_zero(fit, untrained[run]) for run, fit in fits.items()}
    shown_x, shown_y = x_val[:NUM_SHOWN], y_val[:NUM_SHOWN]
    artifacts: dict[str, Any] = {
        "num_params": {run: int(m.count_params()) for run, m in models.items()},
        "position_accuracy": {
            run: position_accuracy(m, x_val, y_val) for run, m in models.items()
        },
        "x_shown": shown_x,
        "y_shown": shown_y,
        "predicted": {
            run: np.asarray(m(shown_x, training=False)).argmax(-1).astype(np.int32)
            for run, m in models.items()
        },
        "maps": attention_maps(models["transformer"], shown_x),
        "task": config.task,
    }
    result = train.TaskResult.combine(fits, metrics=metrics, artifacts=artifacts)
    result.weights = [np.asarray(w) for w in models["transformer"].get_weights()]
    return result


# ----------------------------------------------------------------------------
# A character model on a short built-in text
# ----------------------------------------------------------------------------

TEXTS: dict[str, str] = {
    "en": (
        "the cat sat on the mat. the dog sat on the log. the cat saw the dog "
        "and the dog saw the cat. a bird sat on the tree and sang a song. the "
        "cat ran to the tree and the bird flew away. the dog ran after the cat "
        "and the cat ran up the tree. the sun was warm and the day was long. "
        "the cat slept in the sun and the dog slept by the door. in the "
        "morning the bird came back and sang the same song. the cat heard the "
        "song and the dog heard the song. they sat on the mat and the log and "
        "the tree, and the day was warm again. "
    ),
    "zh": (
        "春天来了，小河里的水开始流动，小草从土里长出来。小鸟在树上唱歌，"
        "小猫在门口晒太阳，小狗在院子里跑来跑去。妈妈说，春天是学习的好时候。"
        "我每天早上起来读书，读完书就去河边看小鸟。小鸟在树上唱歌，我在河边"
        "读书，小猫在门口晒太阳。夏天来了，河里的水多了，树上的叶子绿了。"
        "我和小狗在河边跑，小猫在树下睡觉。秋天来了，树上的叶子黄了，小鸟"
        "飞走了。冬天来了，河里的水不流了，小猫和小狗都在家里。我在家里读书，"
        "等春天再来。"
    ),
}


def char_vocabulary(text: str) -> list[str]:
    """The text's distinct characters, sorted (index = token id)."""
    return sorted(set(text))


def char_windows(text, vocabulary, length, stride=1):
    """All windows of ``length`` characters: ``(x, y)``, int32 (N, length),
    y = x shifted by one character (the next character at every position)."""
    index = {c: i for i, c in enumerate(vocabulary)}
    ids = np.asarray([index[c] for c in text], dtype=np.int32)
    starts = np.arange(0, len(ids) - length, stride)
    x = np.stack([ids[s : s + length] for s in starts])
    y = np.stack([ids[s + 1 : s + length + 1] for s in starts])
    return x, y


@dataclass(frozen=True)
class CharConfig:
    """A causal (decoder-style) Transformer that predicts the next character.

    Attributes:
        language: ``"en"`` or ``"zh"``: which built-in text (follows the page).
        length: Context length (characters).
        layers, heads, d_model, d_ff, dropout, positions: As in
            :class:`SequenceConfig`.
        learning_rate, warmup_steps, epochs, batch_size, seed: Training; every
            window of the text is used, 1 in 8 (seeded) held out.
    """

    language: str = "en"
    length: int = 16
    layers: int = 2
    heads: int = 2
    d_model: int = 48
    d_ff: int = 96
    dropout: float = 0.0
    positions: str = "sinusoidal"
    learning_rate: float = 0.003
    warmup_steps: int = 0
    epochs: int = 30
    batch_size: int = 64
    seed: int = 0

    def __post_init__(self) -> None:
        _check(
            "CharConfig",
            [
                (self.language in LANGUAGES, f"language must be in {LANGUAGES}"),
                (4 <= self.length <= 32, "length must be 4..32"),
                (1 <= self.layers <= 3, "layers must be 1..3"),
                (1 <= self.heads <= 4, "heads must be 1..4"),
                (4 <= self.d_model <= 128, "d_model must be 4..128"),
                (self.d_model % self.heads == 0, "d_model must divide by heads"),
                (4 <= self.d_ff <= 512, "d_ff must be 4..512"),
                (0.0 <= self.dropout <= 0.5, "dropout must be 0..0.5"),
                (self.positions in POSITIONS, f"positions must be in {POSITIONS}"),
                (0.0 < self.learning_rate <= 0.1, "learning_rate must be in (0, 0.1]"),
                (0 <= self.warmup_steps <= 2000, "warmup_steps must be 0..2000"),
                (1 <= self.epochs <= 200, "epochs must be 1..200"),
                (1 <= self.batch_size <= 1024, "batch_size must be 1..1024"),
            ],
        )


def char_data(config: CharConfig) -> tuple[Any, ...]:
    """``(vocabulary, x_train, y_train, x_val, y_val)``."""
    text = TEXTS[config.language]
    vocabulary = char_vocabulary(text)
    x, y = char_windows(text, vocabulary, config.length)
    held = np.random.default_rng(config.seed).permutation(len(x)) % 8 == 0
    return vocabulary, x[~held], y[~held], x[held], y[held]


def char_model(config: CharConfig, vocab_size: int, num_train: int) -> Any:
    steps = config.epochs * -(-num_train // config.batch_size)
    return build_transformer(
        vocab_size=vocab_size,
        length=config.length,
        d_model=config.d_model,
        heads=config.heads,
        d_ff=config.d_ff,
        layers=config.layers,
        dropout=config.dropout,
        positions=config.positions,
        causal=True,
        seed=config.seed,
        rate=learning_rate(config.learning_rate, config.warmup_steps, steps),
    )


def train_char(
    config: CharConfig,
    *,
    on_progress: Callable[[dict], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> train.TaskResult:
    """Train the causal character model on the built-in text.

    Returns:
        A ``train.TaskResult`` (history from epoch 0, the untrained model);
        ``metrics``: ``val_accuracy`` (next-character
        accuracy on held-out windows), ``val_loss``; ``artifacts``:
        ``vocabulary``, ``num_params``, ``maps`` (attention on the first
        ``length`` characters of the text); ``weights``: the model's.
    """
    vocabulary, x, y, x_val, y_val = char_data(config)
    model = char_model(config, len(vocabulary), len(x))
    untrained = _epoch_zero(model, (x, y, x_val, y_val), config.epochs, on_progress)
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
    metrics = {}
    if len(fit.history):
        metrics = {
            "val_accuracy": float(fit.history["val_accuracy"].iloc[-1]),
            "val_loss": float(fit.history["val_loss"].iloc[-1]),
        }
    first, _ = char_windows(TEXTS[config.language], vocabulary, config.length)
    artifacts = {
        "vocabulary": vocabulary,
        "num_params": int(model.count_params()),
        "maps": attention_maps(model, first[0]),
        "language": config.language,
    }
    fit = _from_epoch_zero(fit, untrained)
    return train.TaskResult.from_fit(fit, metrics=metrics, artifacts=artifacts)


def char_rebuild(config: CharConfig, vocabulary: list[str], weights: list) -> Any:
    """The trained character model, rebuilt from the result's weights."""
    model = char_model(config, len(vocabulary), 1)
    return with_weights(model, weights)


def sequence_rebuild(config: SequenceConfig, weights: list) -> Any:
    """The trained Transformer of a sequence run, rebuilt from its weights."""
    return with_weights(sequence_model(config), weights)


def next_char_probabilities(
    model: Any, vocabulary: list[str], prompt: str, length: int
) -> np.ndarray:
    """P(next character | the prompt's last ``length`` characters), (V,).

    A causal model reads position by position: a short prompt fills the
    first positions (the rest is padding it cannot see) and the prediction is
    read at its last position.

    Raises:
        ValueError: ``"empty"`` or ``"unknown:<chars>"`` (characters the
            model never saw).
    """
    if not prompt:
        raise ValueError("empty")
    unknown = sorted({c for c in prompt if c not in vocabulary})
    if unknown:
        raise ValueError("unknown:" + "".join(unknown))
    index = {c: i for i, c in enumerate(vocabulary)}
    ids = [index[c] for c in prompt][-length:]
    position = len(ids) - 1
    padded = np.asarray(ids + [0] * (length - len(ids)), dtype=np.int32)
    logits = np.asarray(model(padded[None], training=False))[0, position]
    exp = np.exp(logits - logits.max())
    return (exp / exp.sum()).astype(np.float64)


def sample_next(
    probabilities: np.ndarray, temperature: float, top_k: int, rng: np.random.Generator
) -> int:
    """One token id drawn from ``probabilities`` re-tempered by
    ``temperature`` (p^(1/τ), renormalised) among the ``top_k`` most likely
    (0 = all)."""
    logp = np.log(np.maximum(probabilities, 1e-30)) / max(temperature, 1e-6)
    if 0 < top_k < len(logp):
        cut = np.sort(logp)[-top_k]
        logp = np.where(logp >= cut, logp, -np.inf)
    p = np.exp(logp - logp.max())
    p /= p.sum()
    return int(rng.choice(len(p), p=p))


def generate(
    model: Any,
    vocabulary: list[str],
    prompt: str,
    length: int,
    *,
    count: int,
    temperature: float,
    top_k: int,
    seed: int,
) -> str:
    """``prompt`` continued by ``count`` sampled characters (seeded)."""
    rng = np.random.default_rng(seed)
    out = prompt
    for _ in range(count):
        p = next_char_probabilities(model, vocabulary, out, length)
        out += vocabulary[sample_next(p, temperature, top_k, rng)]
    return out[len(prompt) :]


# ----------------------------------------------------------------------------
# Estimates (seconds on 2 CPU cores)
# ----------------------------------------------------------------------------

#: Measured on 2 cores (``bench/transformer.py``, CPU seconds of a fresh
#: process: tracing the first run, then a re-run of the default config and of
#: 3 blocks × d_model 64): tracing costs TRACE + TRACE_PER_BLOCK per block; a
#: step costs STEP_PER_BLOCK per block plus its FLOPs at FLOP_RATE.
TRACE_SECONDS = 0.8
TRACE_PER_BLOCK = 1.2
STEP_PER_BLOCK = 3.0e-3
FLOP_RATE = 9.0e10
#: The bidirectional LSTM: tracing, and seconds per timestep of one step.
LSTM_TRACE_SECONDS = 2.3
LSTM_TIMESTEP_SECONDS = 3.1e-4


def _block_flops(length: int, d: int, d_ff: int) -> float:
    """Forward FLOPs of one encoder block on one sequence: the Q, K, V and
    output projections (4·2·T·d²), the FFN (2·2·T·d·d_ff), QKᵀ and ·V (4·T²·d)."""
    return float(length * (8 * d * d + 4 * d * d_ff) + 4 * length * length * d)


def _transformer_seconds(
    *, num_train, num_val, batch_size, epochs, length, d, d_ff, layers
) -> float:
    batch = max(1, min(batch_size, num_train))
    steps = epochs * (-(-num_train // batch) + -(-num_val // batch) / 3)
    flops = 3 * batch * layers * _block_flops(length, d, d_ff)  # fwd + bwd
    per_step = layers * STEP_PER_BLOCK + flops / FLOP_RATE
    return TRACE_SECONDS + layers * TRACE_PER_BLOCK + steps * per_step


def estimate_sequence(config: SequenceConfig) -> float:
    """Estimated seconds on 2 CPU cores (tracing included): the Transformer,
    plus the LSTM when it is trained too."""
    total = _transformer_seconds(
        num_train=config.num_samples,
        num_val=NUM_VAL,
        batch_size=config.batch_size,
        epochs=config.epochs,
        length=config.length,
        d=config.d_model,
        d_ff=config.d_ff,
        layers=config.layers,
    )
    if config.lstm:
        batch = max(1, min(config.batch_size, config.num_samples))
        steps = config.epochs * (
            -(-config.num_samples // batch) + -(-NUM_VAL // batch) / 3
        )
        width = max(1.0, config.d_model / 32)
        total += LSTM_TRACE_SECONDS + steps * config.length * (
            LSTM_TIMESTEP_SECONDS * width
        )
    return float(total)


def estimate_char(config: CharConfig) -> float:
    """Estimated seconds on 2 CPU cores (see :func:`estimate_sequence`)."""
    windows = len(TEXTS[config.language]) - config.length
    num_val = -(-windows // 8)
    return float(
        _transformer_seconds(
            num_train=windows - num_val,
            num_val=num_val,
            batch_size=config.batch_size,
            epochs=config.epochs,
            length=config.length,
            d=config.d_model,
            d_ff=config.d_ff,
            layers=config.layers,
        )
    )


# ----------------------------------------------------------------------------
# Presets and the page controls that show a config
# ----------------------------------------------------------------------------

SEQUENCE_CONTROLS: dict[str, str] = {
    "task": "tr_task",
    "layers": "tr_layers",
    "heads": "tr_heads",
    "d_model": "tr_d_model",
    "d_ff": "tr_d_ff",
    "dropout": "tr_dropout",
    "positions": "tr_positions",
    "learning_rate": "tr_lr",
    "warmup_steps": "tr_warmup",
    "epochs": "tr_epochs",
    "lstm": "tr_lstm",
    "seed": "tr_seed",
}
CHAR_CONTROLS: dict[str, str] = {
    "layers": "tr_char_layers",
    "heads": "tr_char_heads",
    "d_model": "tr_char_d_model",
    "positions": "tr_char_positions",
    "learning_rate": "tr_char_lr",
    "epochs": "tr_char_epochs",
    "seed": "tr_char_seed",
}


def _controls(config: Any, keys: dict[str, str], fixed: tuple[str, ...] = ()):
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
    return {key: getattr(config, name) for name, key in keys.items()}


def sequence_control_values(config: SequenceConfig) -> dict[str, Any]:
    """The Train tab's control values that show ``config``.

    >>> sequence_control_values(SequenceConfig(heads=4))["tr_heads"]
    4
    """
    return _controls(config, SEQUENCE_CONTROLS)


def char_control_values(config: CharConfig) -> dict[str, Any]:
    """The Characters tab's control values (``language`` follows the page)."""
    return _controls(config, CHAR_CONTROLS, fixed=("language",))


#: Runs that train in seconds (the contract tests train and export them).
SMOKE_SEQUENCE = SequenceConfig(
    length=5, d_model=8, d_ff=16, epochs=2, num_samples=128, batch_size=32
)
SMOKE_CHAR = CharConfig(length=8, layers=1, d_model=8, d_ff=16, epochs=2)

#: Teacher presets (labels: ``transformer.preset.<name>``).
PRESETS: tuple[Preset, ...] = (
    Preset("reversal", SequenceConfig(), tab="train"),
    Preset("no_positions", SequenceConfig(positions="none"), tab="train"),
    Preset("learned_positions", SequenceConfig(positions="learned"), tab="train"),
    Preset("sort", SequenceConfig(task="sort"), tab="train"),
    Preset("copy", SequenceConfig(task="copy"), tab="train"),
    Preset("causal_mask", controls={"tr_mask": "causal"}, tab="attention"),
    Preset("characters", CharConfig(), tab="char"),
)
