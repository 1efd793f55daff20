"""A fast replacement for ``model.fit``: same math, a fraction of the overhead.

``model.fit`` pays for its generality on every epoch (a data adapter, an epoch
iterator, callbacks, a Python round trip per step) and traces a fresh graph for
every new model. For the small models of a lesson that overhead *is* the
training time. :func:`fit` instead runs several epochs per call of one
``tf.function`` that loops over the model's own ``train_step`` and
``test_step``, so the loss, metrics, regularisation losses and dropout /
batch-norm behaviour are exactly Keras's. The loop is chosen per model kind,
by measurement (``bench/trainer.py``): the graph loop slices batches of a
run-time size, as ``model.fit``'s own train function sees them (bitwise
``model.fit``; one trace serves whole and partial batches and every data
size). Dense-only models (MLPs, see :func:`prefers_xla`) run their first fit
of an architecture with it too, then compile an XLA loop on a background
thread, which fuses their many tiny ops: their re-runs are at the speed of a
hand-written whole-run XLA loop.

The traced function is kept per *architecture* (layers, compile settings,
data shapes, batch size), on a private twin of the model. Moving a slider —
new initial weights, learning rate, seed, epochs or data of another size —
reuses it: the student's weights are copied into the twin, trained, and copied
back. XLA loops need static shapes: for models :func:`can_pad` accepts, data
of another size are padded to a :func:`capacity` and the partial batch is
masked.

Example:
    >>> import keras, numpy as np
    >>> from dlcore import train
    >>> x = np.linspace(-1, 1, 64, dtype="float32")[:, None]
    >>> y = 3 * x + 1
    >>> model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    >>> model.compile(keras.optimizers.SGD(0.1), "mse")
    >>> result = train.fit(model, x, y, epochs=60, batch_size=16, seed=0)
    >>> (result.status, len(result.history),
    ...  float(round(result.history["loss"].iloc[-1], 3)))
    ('finished', 60, 0.0)

Epochs are shuffled with ``np.random.default_rng([seed, epoch]).permutation``,
so a run never depends on global random state and an exported script can
reproduce the same batches.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import json
import math
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from dlcore import runtime

tf = runtime.tf()
import keras  # noqa: E402  (after runtime configured TensorFlow)
from keras.src.losses import loss as _keras_loss  # noqa: E402

ProgressFn = Callable[[dict[str, Any]], None]
StopFn = Callable[[], bool]

#: Epochs per compiled call are chosen so a call lasts about this long, which
#: is how often ``on_progress`` hears from a running fit.
TARGET_CALL_SECONDS = 0.25
#: Static upper bound on epochs per call (the shape of the per-call order array)
#: for large data sets; small ones get up to :data:`MAX_EPOCHS_PER_CALL_SMALL`
#: (the order array stays under ~1 MB), so a re-run of a small MLP is one call.
MAX_EPOCHS_PER_CALL = 32
MAX_EPOCHS_PER_CALL_SMALL = 512
#: Small XLA loops (at most this many weights) return each epoch's weights.
RECORD_MAX_WEIGHTS = 4096
#: Compiled runners kept per process (least recently used are dropped).
MAX_RUNNERS = 16


@dataclasses.dataclass
class FitResult:
    """What :func:`fit` returns.

    Attributes:
        history: One row per completed epoch (index ``epoch``, from 1), with
            Keras' metric names as columns (``loss``, ``accuracy``,
            ``val_loss``, ``val_accuracy``, …).
        weights: ``model.get_weights()`` after training.
        wall_time: Seconds from the call to the return, compilation included.
        status: ``"finished"``, ``"diverged"`` (the loss became NaN or ±inf)
            or ``"cancelled"`` (``should_stop`` returned True).
        diverged_epoch: The 1-based epoch whose loss was not finite, if any.
        compiled: True when this call had to trace a new graph.
    """

    history: pd.DataFrame
    weights: list[np.ndarray]
    wall_time: float
    status: str = "finished"
    diverged_epoch: int | None = None
    compiled: bool = False


@dataclasses.dataclass
class TaskResult:
    """The result of a training *task* (what a page trains and the cache keeps).

    ``history`` may hold several runs, told apart by a ``run`` column.
    ``metrics`` are headline numbers; ``artifacts`` small arrays for figures.
    """

    history: pd.DataFrame
    status: str = "finished"
    diverged_epoch: int | None = None
    wall_time: float = 0.0
    metrics: dict[str, float] = dataclasses.field(default_factory=dict)
    artifacts: dict[str, Any] = dataclasses.field(default_factory=dict)
    weights: list[np.ndarray] | None = None

    @classmethod
    def from_fit(
        cls,
        fit_result: FitResult,
        *,
        metrics: Mapping[str, float] | None = None,
        artifacts: Mapping[str, Any] | None = None,
        keep_weights: bool = True,
    ) -> TaskResult:
        """Wrap one :class:`FitResult`."""
        return cls(
            history=fit_result.history,
            status=fit_result.status,
            diverged_epoch=fit_result.diverged_epoch,
            wall_time=fit_result.wall_time,
            metrics=dict(metrics or {}),
            artifacts=dict(artifacts or {}),
            weights=fit_result.weights if keep_weights else None,
        )

    @classmethod
    def combine(
        cls,
        runs: Mapping[str, FitResult],
        *,
        metrics: Mapping[str, float] | None = None,
        artifacts: Mapping[str, Any] | None = None,
    ) -> TaskResult:
        """Merge several named runs; the status is the first non-finished one."""
        frames = [r.history.assign(run=name) for name, r in runs.items()]
        history = pd.concat(frames) if frames else pd.DataFrame()
        worst = next((r for r in runs.values() if r.status != "finished"), None)
        return cls(
            history=history,
            status=worst.status if worst else "finished",
            diverged_epoch=worst.diverged_epoch if worst else None,
            wall_time=sum(r.wall_time for r in runs.values()),
            metrics=dict(metrics or {}),
            artifacts=dict(artifacts or {}),
        )


def epoch_order(num_samples: int, seed: int, epoch: int) -> np.ndarray:
    """The sample order of ``epoch`` (0-based) for a shuffled fit.

    >>> epoch_order(5, seed=0, epoch=0).tolist() == epoch_order(5, 0, 0).tolist()
    True
    """
    return (
        np.random.default_rng([seed, epoch]).permutation(num_samples).astype(np.int32)
    )


def fit(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int,
    batch_size: int,
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
    seed: int = 0,
    shuffle: bool = True,
    on_progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
    jit_compile: bool | None = None,
    snapshot_epochs: Iterable[int] = (),
    on_snapshot: Callable[[int, list[np.ndarray]], None] | None = None,
) -> FitResult:
    """Train a compiled Keras ``model`` like ``model.fit``, only faster.

    Args:
        model: A compiled Keras model with one input. Its weights are updated
            in place, as ``model.fit`` does.
        x, y: Training inputs and targets (NumPy arrays).
        epochs: Number of epochs.
        batch_size: Samples per gradient step; the last batch of an epoch may
            be smaller, as in ``model.fit``.
        validation_data: Optional ``(x_val, y_val)``, evaluated after every
            epoch (``val_*`` columns).
        seed: Seeds the per-epoch shuffling (see :func:`epoch_order`).
        shuffle: Shuffle the training samples every epoch.
        on_progress: Called with one dict per finished epoch, ``{"epoch": 1…,
            "epochs": epochs, "loss": …, …}``, in bursts after each compiled
            call (every ~0.25 s).
        should_stop: Polled between compiled calls; returning True ends the
            run with status ``"cancelled"``.
        jit_compile: ``None`` (the default) chooses by model kind: models
            made only of :data:`XLA_LAYERS` (MLPs) run the graph loop on the
            first fit of their architecture, which then compiles its XLA loop
            on a background thread (:func:`wait_for_xla`); later fits use it
            (a re-run at the speed of a whole-run XLA loop). Every other model
            (convolutions, recurrent layers, attention, dropout, …) runs the
            graph loop. ``False``: always the graph loop, whose results are
            bitwise ``model.fit``'s; XLA's agree to ~1e-6 relative, so a
            lesson that must not change in the last bits between runs passes
            ``False``. ``True``: always XLA (compiled on the first call).
        snapshot_epochs: Epochs (1…``epochs``) after which ``on_snapshot`` gets
            the weights. Small XLA loops return them from inside the compiled
            call (:data:`RECORD_MAX_WEIGHTS`); other loops end their calls at
            these epochs, so a replay costs one weight read per snapshot
            instead of one ``fit`` per epoch.
        on_snapshot: Called as ``on_snapshot(epoch, weights)`` with the
            weights in ``model.get_weights()`` order (NumPy copies).

    Returns:
        A :class:`FitResult`.
    """
    start = time.perf_counter()
    if epochs < 1 or batch_size < 1:
        raise ValueError(
            f"epochs and batch_size must be ≥ 1, got {epochs}, {batch_size}"
        )
    if not model.compiled:
        raise ValueError("The model must be compiled before dlcore.train.fit(...)")
    x = np.asarray(x)
    y = np.asarray(y)
    if len(x) != len(y) or len(x) == 0:
        raise ValueError(
            f"x and y need the same, non-zero length; got {len(x)}, {len(y)}"
        )
    if validation_data is not None:
        validation_data = (
            np.asarray(validation_data[0]),
            np.asarray(validation_data[1]),
        )
    batch_size = min(int(batch_size), len(x))

    auto = jit_compile is None
    jit = prefers_xla(model) if auto else bool(jit_compile)
    warm_up = False
    if (
        auto
        and jit
        and _get_runner(model, x, y, batch_size, validation_data, True, create=False)[0]
        is None
    ):
        # This architecture's XLA loop is not compiled yet: train now with the
        # graph loop (quick to trace) and compile XLA in the background for
        # the next run (see :func:`wait_for_xla`).
        jit, warm_up = False, True
    snapshots = sorted({int(e) for e in snapshot_epochs} if on_snapshot else ())
    heard = []

    def progress(event: dict[str, Any]) -> None:
        heard.append(event["epoch"])
        if on_progress is not None:
            on_progress(event)

    while True:
        runner, compiled = _get_runner(model, x, y, batch_size, validation_data, jit)
        try:
            with runner.lock:
                runner.load_from(model)
                rows, status, diverged_epoch = runner.run(
                    x,
                    y,
                    validation_data,
                    epochs,
                    seed,
                    shuffle,
                    progress,
                    should_stop,
                    snapshots,
                    on_snapshot,
                )
                runner.store_into(model)
            break
        except (tf.errors.InvalidArgumentError, tf.errors.UnimplementedError):
            # XLA could not compile a model we sent to it on our own account:
            # nothing ran yet, so train it with the graph loop instead.
            if not (auto and jit and compiled and not heard):
                raise
            _forget(runner)
            jit = False
    if warm_up:
        _compile_xla_later(model, x, y, batch_size, validation_data)
    history = pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1, name="epoch"))
    return FitResult(
        history=history,
        weights=model.get_weights(),
        wall_time=time.perf_counter() - start,
        status=status,
        diverged_epoch=diverged_epoch,
        compiled=compiled,
    )


# --- compiled runners ---------------------------------------------------------

_RUNNERS: collections.OrderedDict[str, _Runner] = collections.OrderedDict()
_RUNNERS_LOCK = threading.Lock()


#: Layers of a plain MLP.
DENSE_LAYERS = frozenset({"InputLayer", "Dense", "Activation"})

#: Layer classes for which the default loop becomes XLA after the first fit.
#: Measured on 2 CPU cores (``bench/trainer.py``, 2026-12-01), re-run of the
#: graph loop vs the XLA loop: the 2-8-8-1 MLP 0.21 s vs 0.02 s (100 epochs;
#: compiling costs ~1 s, hence the graph loop for the first fit); the digits
#: LSTM 0.41 s vs 0.14 s; the Transformer page's model 1.45 s vs 0.59 s (it
#: compiles ~6 s, in the background). The digits CNN stays on the graph loop:
#: it is ~4× *slower* under XLA on a CPU and drifts from Keras by 2e-3.
#: ``Dropout`` counts only with rate 0 (the Transformer's default: an identity).
XLA_LAYERS = DENSE_LAYERS | {
    "LSTM",
    "LSTMCell",
    "Embedding",
    "PositionalEmbedding",
    "MultiHeadAttention",
    "EinsumDense",
    "LayerNormalization",
    "Add",
    "Softmax",
    "Dropout",
}

#: Layers that treat every sample on its own, with no random numbers and no
#: masks: a batch padded with zero samples gives the real samples the same
#: outputs and gradients (see :func:`can_pad`). Batch norm (batch statistics),
#: dropout (its random draws depend on the batch size) and masking layers
#: (Keras rescales a masked loss by its valid count) are not among them.
PAD_LAYERS = DENSE_LAYERS | {
    "Conv1D",
    "Conv2D",
    "MaxPooling1D",
    "MaxPooling2D",
    "AveragePooling1D",
    "AveragePooling2D",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "Flatten",
    "Reshape",
    "LSTM",
    "GRU",
    "SimpleRNN",
    "LSTMCell",
    "GRUCell",
    "SimpleRNNCell",
}


def prefers_xla(model: keras.Model) -> bool:
    """True when :func:`fit`'s default moves ``model``'s architecture to an
    XLA loop (compiled in the background after its first, graph-loop fit).

    Sequential or functional models whose layers are all in
    :data:`XLA_LAYERS` (MLPs, the LSTM, the Transformer block): their steps
    are many small ops, so fusing them is what makes a re-run fast. Anything
    else (convolutions, other recurrent layers, dropout with a rate, batch
    norm, custom ``train_step``) keeps the graph loop, whose results are
    bitwise Keras'.
    """
    if type(model).__name__ not in ("Sequential", "Functional"):
        return False
    layers = list(model._flatten_layers(include_self=False))

    def accepted(layer: Any) -> bool:
        name = type(layer).__name__
        if name == "Dropout":
            return float(getattr(layer, "rate", 1.0)) == 0.0
        return name in XLA_LAYERS

    return bool(layers) and all(accepted(la) for la in layers)


def _forget(runner: _Runner) -> None:
    with _RUNNERS_LOCK:
        for key, value in list(_RUNNERS.items()):
            if value is runner:
                del _RUNNERS[key]


def clear_compiled() -> None:
    """Forget every compiled runner (frees their graphs and twin models)."""
    global _GENERATION
    with _RUNNERS_LOCK:
        _RUNNERS.clear()
        _XLA_FAILED.clear()
        _GENERATION += 1


#: XLA loops compiling in the background (architecture key → thread), keys
#: XLA refused, and a counter that :func:`clear_compiled` moves on.
_WARMING: dict[str, threading.Thread] = {}
_XLA_FAILED: set[str] = set()
_GENERATION = 0


def wait_for_xla(timeout: float | None = None) -> bool:
    """Wait until the XLA loops compiling in the background are ready.

    With ``jit_compile=None``, the first fit of a Dense-only architecture runs
    the graph loop (traced in a fraction of XLA's compile time) and then
    compiles the XLA loop on a background thread; later fits of the
    architecture use it once it is ready. Tests and benchmarks call this to
    measure the XLA re-run. Returns False if ``timeout`` seconds passed first.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        with _RUNNERS_LOCK:
            threads = list(_WARMING.values())
        if not threads:
            return True
        for thread in threads:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            thread.join(left)
            if thread.is_alive():
                return False


def _lower_priority() -> None:
    """Run the calling thread at the lowest CPU priority (Linux: a thread's
    nice value is its own), so a background compile never slows a training
    that a student is watching on a shared server."""
    # Not Linux, or not allowed: just compile.
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


def _compile_xla_later(model, x, y, batch_size, validation_data) -> None:
    """Start compiling ``model``'s XLA loop on a thread (once per key)."""
    padded = can_pad(model)
    key = architecture_key(
        model, x, y, batch_size, validation_data, True, padded=padded
    )
    if key is None:
        return
    with _RUNNERS_LOCK:
        if key in _RUNNERS or key in _WARMING or key in _XLA_FAILED:
            return
        generation = _GENERATION
        thread = threading.Thread(
            target=_compile_xla,
            args=(key, generation, model, x, y, batch_size, validation_data, padded),
            name="dlcore-xla-compile",
            # Not a daemon: the interpreter waits for it at exit (a thread
            # killed inside XLA's compiler aborts the process).
            daemon=False,
        )
        _WARMING[key] = thread
    thread.start()


def _compile_xla(key, generation, model, x, y, batch_size, validation_data, padded):
    _lower_priority()
    try:
        runner = _Runner(
            model,
            x,
            y,
            batch_size,
            validation_data,
            True,
            twin=True,
            padded=padded,
            build_source=False,
        )
        runner.compile(x, y, validation_data)
    except Exception:  # XLA refused the model: keep the graph loop for it
        with _RUNNERS_LOCK:
            _WARMING.pop(key, None)
            if generation == _GENERATION:
                _XLA_FAILED.add(key)
        return
    with _RUNNERS_LOCK:
        _WARMING.pop(key, None)
        if generation == _GENERATION:
            _RUNNERS[key] = runner
            while len(_RUNNERS) > MAX_RUNNERS:
                _RUNNERS.popitem(last=False)


def _get_runner(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    validation_data: tuple[np.ndarray, np.ndarray] | None,
    jit_compile: bool,
    *,
    create: bool = True,
) -> tuple[_Runner | None, bool]:
    padded = bool(jit_compile) and can_pad(model)
    dynamic = not jit_compile and not _stateful(model)
    key = architecture_key(
        model,
        x,
        y,
        batch_size,
        validation_data,
        jit_compile,
        padded=padded,
        dynamic=dynamic,
    )
    with _RUNNERS_LOCK:
        runner = _RUNNERS.get(key) if key else None
        if runner is not None:
            _RUNNERS.move_to_end(key)
            return runner, False
    if not create:
        return None, False
    try:
        runner = _Runner(
            model,
            x,
            y,
            batch_size,
            validation_data,
            jit_compile,
            twin=bool(key),
            padded=padded,
            dynamic=dynamic,
        )
    except Exception:
        if not key:
            raise
        # The config describes the model but cannot rebuild it (e.g. a loss
        # function that is not registered with Keras): train it directly.
        key = None
        runner = _Runner(
            model,
            x,
            y,
            batch_size,
            validation_data,
            jit_compile,
            twin=False,
            padded=False,
            dynamic=dynamic,
        )
    if key:
        with _RUNNERS_LOCK:
            _RUNNERS[key] = runner
            while len(_RUNNERS) > MAX_RUNNERS:
                _RUNNERS.popitem(last=False)
    return runner, True


def capacity(num_samples: int, batch_size: int) -> int:
    """Rows a padded runner holds for ``num_samples`` samples: the whole
    batches they need, rounded up to a power of two, so that data sets of
    many sizes share one compiled loop.

    >>> capacity(512, 32), capacity(384, 32), capacity(500, 32), capacity(3, 32)
    (512, 512, 512, 32)
    """
    rows = -(-num_samples // batch_size) * batch_size
    return max(batch_size, 1 << (rows - 1).bit_length())


def _stateful(model: keras.Model) -> bool:
    """A stateful RNN carries its rows to the next batch: its batch size is fixed."""
    try:
        layers = model._flatten_layers(include_self=False)
        return any(getattr(la, "stateful", False) for la in layers)
    except Exception:
        return True


def _max_epochs(rows: int) -> int:
    """Epochs per compiled call at most, for ``rows`` training rows (the per-call
    order array stays under ~1 MB for small data)."""
    return max(
        MAX_EPOCHS_PER_CALL, min(MAX_EPOCHS_PER_CALL_SMALL, (1 << 18) // max(rows, 1))
    )


def can_pad(model: keras.Model) -> bool:
    """True when a new data size can reuse ``model``'s compiled loop.

    The data are then padded to :func:`capacity` rows and the true counts
    are tensors; the partial last batch is padded too and weighted so that its
    loss is the mean over its real samples and its metrics count only those
    (what ``model.fit`` computes on the short batch). This holds for models
    whose layers treat samples independently (:data:`PAD_LAYERS`: no batch
    norm, no dropout, no masks) with one output and one of Keras' losses
    reduced by ``sum_over_batch_size``; any other model is traced again for
    a new size. A padded loop also traces one training step instead of two
    (whole and partial batch), which makes a first run cheaper. :func:`fit`
    pads only XLA loops: padding changes the last bits of a loss, which an
    ill-conditioned lesson amplifies until it no longer matches the exported
    ``model.fit`` script; the graph loop stays bitwise Keras'.
    """
    if type(model).__name__ not in ("Sequential", "Functional"):
        return False
    layers = list(model._flatten_layers(include_self=False))
    if not layers or any(type(la).__name__ not in PAD_LAYERS for la in layers):
        return False
    if any(getattr(la, "stateful", False) for la in layers):
        return False  # a stateful RNN carries its batch's rows to the next batch
    if len(getattr(model, "outputs", None) or ()) != 1:
        return False
    try:
        if (model.get_compile_config() or {}).get("loss_weights"):
            return False
    except Exception:
        return False
    loss = getattr(model, "loss", None)
    if isinstance(loss, (list, tuple)) and len(loss) == 1:
        loss = loss[0]
    if isinstance(loss, str):
        return True
    # Keras' own losses give one value per sample; a custom one may average
    # over the (padded) batch itself.
    modules = (getattr(type(loss), "__module__", ""), getattr(loss, "__module__", ""))
    if not any(str(module).startswith("keras.") for module in modules):
        return False
    if isinstance(loss, keras.losses.Loss):
        return loss.reduction == "sum_over_batch_size"
    return callable(loss)


def architecture_key(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    validation_data: tuple[np.ndarray, np.ndarray] | None,
    jit_compile: bool,
    *,
    padded: bool = False,
    dynamic: bool = False,
) -> str | None:
    """A string that is equal for models that can share one compiled graph.

    Layer names, initializers and seeds are left out (weights and random
    states are copied into the twin before each run); a float learning rate
    is left out too (it is a variable); with ``padded`` (see :func:`can_pad`)
    the number of samples is replaced by its :func:`capacity`, and with
    ``dynamic`` (the graph loop, whose batches have a run-time size) it is
    left out. Returns
    ``None`` when the model cannot be described (e.g. a custom, unserialisable
    loss): such a model is trained directly, without reuse.
    """
    try:
        raw = model.get_config()
        model_config = _canonical(raw, _op_names(raw, _layer_names(model)))
        compile_config = dict(model.get_compile_config())
        optimizer = dict(compile_config.get("optimizer", {}).get("config", {}))
        if isinstance(optimizer.get("learning_rate"), (int, float)):
            optimizer.pop("learning_rate")
        compile_config["optimizer"] = optimizer
        compile_config = _canonical(compile_config, {})

        def rows(n: int) -> int | str | None:
            if dynamic:
                return "any"
            return capacity(n, batch_size) if padded else None

        shapes = [_spec(a, rows(len(x))) for a in (x, y)]
        if validation_data is not None:
            n_val = len(validation_data[0])
            shapes += [_spec(a, rows(n_val)) for a in validation_data]
        payload = {
            "class": type(model).__name__,
            "model": model_config,
            "compile": compile_config,
            "shapes": shapes,
            "batch_size": batch_size,
            "jit": jit_compile,
            "padded": padded,
            "dynamic": dynamic,
        }
        return json.dumps(payload, sort_keys=True, default=repr)
    except Exception:  # any model we cannot describe is simply not reused
        return None


def _spec(array: np.ndarray, rows: int | str | None = None) -> list:
    shape = list(array.shape)
    if rows is not None:
        shape[0] = rows
    return [shape, str(array.dtype)]


def _layer_names(model: keras.Model) -> dict[str, str]:
    names = {model.name: "model"}
    for i, layer in enumerate(model._flatten_layers(include_self=False)):
        names.setdefault(layer.name, f"layer_{i}")
    return names


def _op_names(config: Any, names: Mapping[str, str]) -> dict[str, str]:
    """``names`` plus positional names for ops that are not layers.

    A functional model's config names the ops that made its tensors in
    ``keras_history`` (e.g. the ``not_equal`` of ``Embedding(mask_zero=True)``);
    they are numbered per process (``not_equal_3``), so without this two equal
    models would never share a compiled loop.
    """
    found = dict(names)

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            history = value.get("keras_history")
            if isinstance(history, (list, tuple)) and history:
                op = history[0]
                if isinstance(op, str) and op not in found:
                    found[op] = f"op_{len(found) - len(names)}"
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    walk(config)
    return found


_DROPPED_KEYS = {"seed", "name"}


def _canonical(value: Any, names: Mapping[str, str]) -> Any:
    """Rename layers to positions and drop initializer/seed details, recursively."""
    if isinstance(value, dict):
        return {
            key: _canonical(item, names)
            for key, item in value.items()
            if key not in _DROPPED_KEYS and not key.endswith("_initializer")
        }
    if isinstance(value, (list, tuple)):
        return [_canonical(item, names) for item in value]
    if isinstance(value, str):
        return names.get(value, value)
    return value


@tf.function(reduce_retracing=True)
def _assign_all(targets, values) -> None:
    """``target.assign(value)`` for each pair, in one graph call (a per-variable
    eager assign costs ~0.1 ms; an MLP with Adam has ~20 variables)."""
    for target, value in zip(targets, values, strict=True):
        target.assign(value)


@tf.function(reduce_retracing=True)
def _read_all(variables):
    return [tf.identity(v) for v in variables]


#: Attribute of an unbuilt Keras optimizer holding its state after a fit.
_STATE = "_dlcore_state"


def _tf_variables(variables: Iterable[Any]) -> list[Any]:
    return [getattr(v, "value", v) for v in variables]


class _Runner:
    """One compiled training loop for one architecture, on its own twin model."""

    def __init__(
        self,
        model: keras.Model,
        x: np.ndarray,
        y: np.ndarray,
        batch_size: int,
        validation_data: tuple[np.ndarray, np.ndarray] | None,
        jit_compile: bool,
        twin: bool,
        padded: bool = False,
        dynamic: bool = False,
        build_source: bool = True,
    ) -> None:
        self.lock = threading.Lock()
        self.jit = bool(jit_compile)
        # The graph loop slices batches of a run-time size, as ``model.fit``'s
        # own train function sees them: one trace serves whole and partial
        # batches and any number of samples. XLA needs static shapes (padding).
        self.dynamic = dynamic and not self.jit and not padded
        self.is_twin = twin
        if twin:
            self.model = keras.models.clone_model(model)
            self.model.compile_from_config(model.get_compile_config())
        else:
            self.model = model
        self.batch_size = batch_size
        self.padded = padded
        self.has_val = validation_data is not None
        self.num_samples = len(x)
        self.num_val = 0 if validation_data is None else len(validation_data[0])
        if padded:
            self.rows = capacity(self.num_samples, batch_size)
            self.val_rows = capacity(self.num_val, batch_size) if self.has_val else 0
        else:
            self.rows, self.val_rows = self.num_samples, self.num_val
        self.max_epochs = _max_epochs(self.rows)
        for m in (model, self.model) if build_source else (self.model,):
            if m.optimizer is not None:
                m._symbolic_build(data_batch=(x[:batch_size], y[:batch_size]))
        self.initial_optimizer_state = [
            tf.constant(v.numpy()) for v in self.model.optimizer.variables
        ]
        self.metric_names = list(self.model.get_metrics_result().keys())
        # Small XLA loops return every epoch's weights (flattened) from the
        # compiled call, so snapshots (the playground's replay) do not end the
        # call: each call of a compiled XLA loop costs ~1 ms of overhead.
        self.weight_layout = [
            (tuple(int(d) for d in v.shape), np.dtype(v.dtype))
            for v in self.model.weights
        ]
        params = sum(math.prod(shape) for shape, _ in self.weight_layout)
        self.record = self.jit and padded and params <= RECORD_MAX_WEIGHTS
        self.per_epoch_seconds: float | None = None
        self._calls = 0
        signature = None
        if self.dynamic:

            def spec(array: np.ndarray) -> Any:
                return tf.TensorSpec([None, *array.shape[1:]], tf.as_dtype(array.dtype))

            val = validation_data if validation_data is not None else (x, y)
            count = tf.TensorSpec([], tf.int32)
            signature = [
                spec(x),
                spec(y),
                spec(val[0]),
                spec(val[1]),
                tf.TensorSpec([None, None], tf.int32),
                count,
                count,
                count,
            ]
        self._loop = tf.function(
            self._epochs,
            jit_compile=jit_compile,
            reduce_retracing=True,
            input_signature=signature,
            autograph=False,
        )

    # -- weights in and out ---------------------------------------------------

    def load_from(self, model: keras.Model) -> None:
        if not self.is_twin:
            return
        targets = _tf_variables(self.model.variables)
        values = _tf_variables(model.variables)
        source_opt, target_opt = model.optimizer, self.model.optimizer
        targets += _tf_variables(target_opt.variables)
        if source_opt.built and int(source_opt.iterations.numpy()) > 0:
            values += _tf_variables(source_opt.variables)
        elif getattr(source_opt, _STATE, None) is not None:
            values += getattr(source_opt, _STATE)
        else:
            values += self.initial_optimizer_state
        learning_rate = getattr(source_opt, "_learning_rate", None)
        if isinstance(learning_rate, keras.Variable):
            targets.append(target_opt._learning_rate.value)
            values.append(learning_rate.value)
        _assign_all(targets, values)

    def store_into(self, model: keras.Model) -> None:
        """Copy the trained weights into ``model``; the optimizer's state too
        when its optimizer is built. An unbuilt one (a model made for this
        fit, the usual case) keeps the state as tensors instead, which a later
        ``fit`` of the model continues from: building Keras' optimizer
        variables would cost a re-run of a small MLP a third of its time."""
        if not self.is_twin:
            return
        targets, values = list(model.variables), list(self.model.variables)
        if model.optimizer.built:
            targets += model.optimizer.variables
            values += self.model.optimizer.variables
        else:
            state = _read_all(_tf_variables(self.model.optimizer.variables))
            setattr(model.optimizer, _STATE, state)
        _assign_all(_tf_variables(targets), _tf_variables(values))

    # -- the compiled loop ----------------------------------------------------

    def _masked_step(self, x, y, count, training):
        """Keras' ``train_step`` / ``test_step`` on a batch padded to the batch
        size whose first ``count`` samples are real: the loss is their mean
        (weights ``batch/count``, as Keras weights a masked loss), the metrics
        and the loss tracker count only them."""
        model, bs = self.model, self.batch_size
        mask = tf.cast(tf.range(bs) < count, tf.float32)
        weight = mask * (bs / tf.cast(count, tf.float32))
        with tf.GradientTape() as tape:
            if model._call_has_training_arg:
                y_pred = model(x, training=training)
            else:
                y_pred = model(x)
            loss = model._compute_loss(
                x=x, y=y, y_pred=y_pred, sample_weight=weight, training=training
            )
            model._loss_tracker.update_state(
                _keras_loss.unscale_loss_for_distribution(loss), sample_weight=count
            )
            if training:
                loss = model.optimizer.scale_loss(loss)
        if training and model.trainable_weights:
            trainable = model.trainable_weights
            model.optimizer.apply_gradients(
                zip(tape.gradient(loss, trainable), trainable, strict=True)
            )
        # ``compute_metrics`` without its ``sample_weight`` rule: compiled
        # ``metrics`` ignore sample weights, but here the padding must not count.
        compiled = model._compile_metrics
        if compiled is not None:
            for metric in [*compiled._flat_metrics, *compiled._flat_weighted_metrics]:
                if metric:
                    metric.update_state(y, y_pred, sample_weight=mask)
        return model.get_metrics_result()

    def _epochs(self, x, y, x_val, y_val, orders, num_epochs, n, n_val):
        """Run ``num_epochs`` (≤ ``max_epochs``) epochs; orders: (epochs, rows).

        ``n`` / ``n_val`` are the real sample counts: tensors for a padded or
        dynamic runner, ints otherwise. The loops are written with
        ``tf.while_loop`` (the function is traced without AutoGraph, whose
        source transformation cost more than the tracing itself).
        """
        model = self.model
        names = self.metric_names
        width = len(names)
        # One row of metrics per epoch: (K, len(names)) after stacking. XLA
        # needs a static size; the graph loop sizes them at run time.
        size = self.max_epochs if self.jit else num_epochs
        logs_arrays = [
            tf.TensorArray(tf.float32, size=size, element_shape=[width])
            for _ in range(2)
        ]
        recorded = sum(math.prod(shape) for shape, _ in self.weight_layout)
        recorded = recorded if self.record else 0
        logs_arrays.append(
            tf.TensorArray(tf.float32, size=size, element_shape=[recorded])
        )

        def flat_weights():
            if not self.record:
                return tf.zeros([0])
            parts = [
                tf.reshape(tf.cast(v.value, tf.float32), [-1]) for v in model.weights
            ]
            return tf.concat(parts, 0)

        def body(epoch, finite, train_logs, val_logs, weight_logs):
            for metric in model.metrics:
                metric.reset_state()
            logs = self._train_epoch(x, y, tf.gather(orders, epoch), n)
            train_logs = train_logs.write(epoch, _row(logs, names))
            if self.has_val:
                for metric in model.metrics:
                    metric.reset_state()
                vlogs = self._validate(x_val, y_val, n_val)
                val_logs = val_logs.write(epoch, _row(vlogs, names))
            else:
                val_logs = val_logs.write(epoch, tf.zeros([width]))
            weight_logs = weight_logs.write(epoch, flat_weights())
            finite = tf.math.is_finite(tf.cast(logs["loss"], tf.float32))
            return epoch + 1, finite, train_logs, val_logs, weight_logs

        def cond(epoch, finite, *_):
            # A ``while`` on a tensor, not a ``for`` over ``tf.range``: the
            # latter's trip count is a compile-time constant for XLA, so
            # every new number of epochs per call would compile again.
            return tf.logical_and(epoch < num_epochs, finite)

        epoch, _, train_logs, val_logs, weight_logs = tf.while_loop(
            cond, body, [tf.constant(0), tf.constant(True), *logs_arrays]
        )
        return epoch, train_logs.stack(), val_logs.stack(), weight_logs.stack()

    def _train_epoch(self, x, y, order, n):
        model, bs = self.model, self.batch_size
        if self.padded:
            # Every batch goes through the masked step (its weights are 1 for a
            # whole batch, which is Keras' arithmetic exactly): one step in the
            # graph, so XLA compiles it once. A ``while`` and gathers keep ``n``
            # a run-time value (a ``tf.slice`` start would make it a
            # compile-time constant).
            def padded(step):
                start = step * bs
                index = tf.gather(order, start + tf.range(bs))
                return _plain(self._masked_step)(
                    tf.gather(x, index),
                    tf.gather(y, index),
                    tf.minimum(bs, n - start),
                    True,
                )

            return _steps((n + bs - 1) // bs, padded, model)
        if self.dynamic:
            # ``model.fit``'s batches: whole ones, then the rest; their size is
            # a run-time value, so one trace of ``train_step`` serves both.
            def dynamic(step):
                index = order[step * bs : tf.minimum(step * bs + bs, n)]
                return _plain(model.train_step)(
                    (tf.gather(x, index), tf.gather(y, index))
                )

            return _steps((n + bs - 1) // bs, dynamic, model)
        full_steps, remainder = divmod(self.num_samples, bs)

        def whole(step):
            index = tf.slice(order, [step * bs], [bs])
            return _plain(model.train_step)((tf.gather(x, index), tf.gather(y, index)))

        logs = _steps(full_steps, whole, model)
        if remainder:
            index = order[full_steps * bs :]
            logs = _plain(model.train_step)((tf.gather(x, index), tf.gather(y, index)))
        return logs

    def _validate(self, x_val, y_val, n_val):
        model, bs = self.model, self.batch_size
        if self.padded:

            def padded(step):
                start = step * bs
                index = start + tf.range(bs)
                return _plain(self._masked_step)(
                    tf.gather(x_val, index),
                    tf.gather(y_val, index),
                    tf.minimum(bs, n_val - start),
                    False,
                )

            return _steps((n_val + bs - 1) // bs, padded, model)
        if self.dynamic:

            def dynamic(step):
                start = step * bs
                end = tf.minimum(start + bs, n_val)
                return _plain(model.test_step)((x_val[start:end], y_val[start:end]))

            return _steps((n_val + bs - 1) // bs, dynamic, model)
        val_full, val_rest = divmod(self.num_val, bs)

        def whole(step):
            lo = step * bs
            return _plain(model.test_step)((x_val[lo : lo + bs], y_val[lo : lo + bs]))

        vlogs = _steps(val_full, whole, model)
        if val_rest:
            vlogs = _plain(model.test_step)(
                (x_val[val_full * bs :], y_val[val_full * bs :])
            )
        return vlogs

    def _tensor(self, array: np.ndarray, rows: int) -> Any:
        if self.padded and len(array) < rows:
            pad = np.zeros((rows - len(array), *array.shape[1:]), array.dtype)
            array = np.concatenate([array, pad])
        return tf.constant(array)

    def _inputs(self, x, y, validation_data) -> tuple:
        """The loop's data tensors and sample counts."""
        x_t, y_t = self._tensor(x, self.rows), self._tensor(y, self.rows)
        if validation_data is not None:
            num_val = len(validation_data[0])
            x_val, y_val = (self._tensor(a, self.val_rows) for a in validation_data)
        else:  # placeholders; never read without validation data
            num_val = 0
            x_val, y_val = x_t[:1], y_t[:1]
        counts = (tf.constant(len(x)), tf.constant(num_val))
        if not (self.padded or self.dynamic):
            counts = (len(x), num_val)
        return x_t, y_t, x_val, y_val, counts

    def compile(self, x, y, validation_data) -> None:
        """Trace and compile the loop by running it for zero epochs (an XLA
        loop compiles on its first call); the weights are not touched."""
        x_t, y_t, x_val, y_val, counts = self._inputs(x, y, validation_data)
        rows = self.rows if self.padded else len(x)
        orders = np.zeros((self.max_epochs if self.jit else 1, rows), np.int32)
        done, *_ = self._loop(
            x_t, y_t, x_val, y_val, tf.constant(orders), tf.constant(0), *counts
        )
        int(done)

    def _unflatten(self, flat: np.ndarray) -> list[np.ndarray]:
        out, at = [], 0
        for shape, dtype in self.weight_layout:
            size = math.prod(shape)
            out.append(flat[at : at + size].reshape(shape).astype(dtype))
            at += size
        return out

    def run(
        self,
        x: np.ndarray,
        y: np.ndarray,
        validation_data: tuple[np.ndarray, np.ndarray] | None,
        epochs: int,
        seed: int,
        shuffle: bool,
        on_progress: ProgressFn | None,
        should_stop: StopFn | None,
        snapshots: Sequence[int] = (),
        on_snapshot: Callable[[int, list[np.ndarray]], None] | None = None,
    ) -> tuple[list[dict[str, float]], str, int | None]:
        num_samples = len(x)
        x_t, y_t, x_val, y_val, counts = self._inputs(x, y, validation_data)
        rows_per_order = self.rows if self.padded else num_samples
        max_epochs = self.max_epochs if self.jit else _max_epochs(num_samples)
        rows: list[dict[str, float]] = []
        epoch = 0
        while epoch < epochs:
            if should_stop is not None and should_stop():
                return rows, "cancelled", None
            # The first call runs one epoch (quick feedback, and a timing);
            # later calls run as many as fit in TARGET_CALL_SECONDS.
            if self.per_epoch_seconds is None:
                chunk = 1
            else:
                chunk = int(TARGET_CALL_SECONDS / max(self.per_epoch_seconds, 1e-6))
            chunk = max(1, min(chunk, max_epochs, epochs - epoch))
            upcoming = [e for e in snapshots if e > epoch]
            if upcoming and not self.record:  # end the call at the next snapshot
                chunk = min(chunk, upcoming[0] - epoch)
            orders = np.zeros(
                (self.max_epochs if self.jit else chunk, rows_per_order), np.int32
            )
            for i in range(chunk):
                orders[i, :num_samples] = (
                    epoch_order(num_samples, seed, epoch + i)
                    if shuffle
                    else np.arange(num_samples, dtype=np.int32)
                )
            tic = time.perf_counter()
            done, train_logs, val_logs, weight_logs = self._loop(
                x_t, y_t, x_val, y_val, tf.constant(orders), tf.constant(chunk), *counts
            )
            done = int(done)
            seconds = (time.perf_counter() - tic) / max(done, 1)
            # A first call is dominated by tracing: a tenth of it is a safe guess
            # that keeps the next call short while still batching epochs.
            self.per_epoch_seconds = seconds if self._calls else seconds / 10
            self._calls += 1
            train_np, val_np = train_logs.numpy(), val_logs.numpy()
            weights_np = weight_logs.numpy() if self.record else None
            for i in range(done):
                row = dict(zip(self.metric_names, train_np[i].tolist(), strict=False))
                if validation_data is not None:
                    row.update(
                        zip(
                            [f"val_{k}" for k in self.metric_names],
                            val_np[i].tolist(),
                            strict=False,
                        )
                    )
                rows.append(row)
                epoch += 1
                if on_progress is not None:
                    on_progress({"epoch": epoch, "epochs": epochs, **row})
                if not math.isfinite(row["loss"]):
                    return rows, "diverged", epoch
                if weights_np is not None and on_snapshot and epoch in snapshots:
                    on_snapshot(epoch, self._unflatten(weights_np[i]))
            if weights_np is None and on_snapshot is not None and epoch in snapshots:
                on_snapshot(epoch, [np.array(v) for v in self.model.get_weights()])
        return rows, "finished", None


def _steps(count: Any, step: Callable[[Any], Any], model: keras.Model) -> Any:
    """``logs = step(i)`` for i in 0…count-1 in one ``tf.while_loop``; returns
    the last logs (the model's metrics before the first step if none ran)."""

    def body(i, _logs):
        return i + 1, step(i)

    _, logs = tf.while_loop(
        lambda i, _logs: i < count, body, [tf.constant(0), model.get_metrics_result()]
    )
    return logs


def _plain(step: Callable[..., Any]) -> Callable[..., Any]:
    """``step`` traced as plain Python inside the loop's AutoGraph code, as
    Keras traces its own train function: converting Keras' whole call tree
    doubled the cost of tracing a small CNN's loop."""
    return tf.autograph.experimental.do_not_convert(step)


def _row(logs: Mapping[str, Any], names: list[str]) -> Any:
    return tf.stack([tf.cast(logs[k], tf.float32) for k in names])
