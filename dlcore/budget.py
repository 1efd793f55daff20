"""How long a training will take, before it starts, and the class's budget.

A class shares one 2-core server, so a run is judged by its *work* before it is
queued: :func:`estimate_seconds` predicts its wall time on 2 CPU cores from
the shape of the computation, and a run over :func:`max_job_seconds` is not
started (the page offers a smaller setting, or to run it when the server is
idle). A run that outlives :func:`max_job_wall` anyway is stopped.

The model. ``dlcore.train.fit`` runs each epoch as one compiled loop of
``train_step`` / ``test_step`` calls, so a fit costs

    FIT + layers · LAYER + (train_steps + val_steps / 2) · (STEP + layers · LAYER_STEP)
        + flops / FLOP_RATE + values · ELEMENT

where ``flops`` counts the multiply-adds of every layer (2 per MAC; a training
step is 3× the forward pass: forward, and the gradients of the inputs and the
weights), ``FIT`` is building, compiling and tracing one model (plus its
evaluations), and ``STEP`` the fixed cost of one step of the loop on tiny
tensors, ``LAYER_STEP`` what each layer adds to a step, and ``values`` the
feature-map values written (small convolutions are bound by memory, not
arithmetic). Each registered task's ``estimate`` (``Task.estimate`` in
:mod:`dlcore.topics`) sums this over its fits.

How the constants were measured: ``python bench/load.py --calibrate`` trains
16 configs that separate the terms — batch-1 and batch-4 MLPs (step cost), a
depth-50 MLP with and without batch normalisation (per-layer step cost),
CNNs without pooling (FLOP rate, feature-map traffic), every default config
(per-fit cost) — one after another in a process that has imported
TensorFlow (as a training worker does), on the project's 2-core development
machine (x86_64, TensorFlow 2.21 on CPU), twice, once while other jobs
shared it. The constants are a relative least-squares fit (non-negative)
rounded towards the slower of the two runs; they predict each measured wall
time within a factor of 2 (``bench/RESULTS.md``, "Class under load").

>>> from dlcore import topics
>>> task = topics.task_named("playground.mlp")
>>> 0 < estimate_seconds(task, task.default_config()) < max_job_seconds()
True
>>> heavy = task.config_type(batch_size=1, epochs=400, num_samples=800)
>>> estimate_seconds(task, heavy) > max_job_seconds()
True
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any

#: Seconds to build, compile and trace one model and evaluate it once.
FIT_SECONDS = 0.25
#: Seconds to trace one more layer (deep stacks compile longer).
LAYER_SECONDS = 0.025
#: Seconds of one training step of the compiled loop on tiny tensors (a
#: validation step costs half of a training step).
STEP_SECONDS = 6.0e-5
#: Seconds one more layer adds to each step (kernel launches).
LAYER_STEP_SECONDS = 3.0e-5
#: A batch normalisation launches as many kernels per step as this many layers.
BN_STEP_WEIGHT = 8
#: Floating-point operations per second of small convolutions and matrix
#: products on 2 CPU cores.
FLOP_RATE = 2.5e11
#: Seconds per feature-map value written and read back (forward-pass equivalent).
ELEMENT_SECONDS = 5.0e-9

#: Default budget of one training (seconds of estimated work on 2 cores).
DEFAULT_MAX_JOB_SECONDS = 30.0
#: Default wall-time cap of one training (seconds, queueing not included).
DEFAULT_MAX_JOB_WALL = 180.0

#: Training / validation examples of the image datasets (digits: the 25 %
#: validation split of scikit-learn's 1797 digits; MNIST: the official split).
IMAGE_SPLITS: dict[str, tuple[int, int, tuple[int, int, int]]] = {
    "digits": (1347, 450, (8, 8, 1)),
    "mnist": (60000, 10000, (28, 28, 1)),
    "fashion_mnist": (60000, 10000, (28, 28, 1)),
}


def _env_seconds(name: str, default: float) -> float:
    raw = os.environ.get(name, "")
    try:
        value = float(raw)
    except ValueError:
        return default
    return value if math.isfinite(value) and value > 0 else default


def max_job_seconds() -> float:
    """The budget: ``DLCORE_MAX_JOB_SECONDS`` (default 30 s of estimated work)."""
    return _env_seconds("DLCORE_MAX_JOB_SECONDS", DEFAULT_MAX_JOB_SECONDS)


def max_job_wall() -> float:
    """The wall-time cap: ``DLCORE_MAX_JOB_WALL`` (default 180 s)."""
    return _env_seconds("DLCORE_MAX_JOB_WALL", DEFAULT_MAX_JOB_WALL)


@dataclasses.dataclass(frozen=True)
class Fit:
    """The work of one ``dlcore.train.fit`` call.

    Attributes:
        num_train: Training examples; ``epochs`` passes over them.
        num_val: Validation examples, evaluated after every epoch.
        batch_size: Examples per step.
        epochs: Passes over the training set.
        forward_flops: Floating-point operations of one example's forward pass.
        layers: Layers with weights (tracing time grows with them).
        forward_elements: Values of the feature maps of one example's forward
            pass (memory traffic: small convolutions are bound by it).
        step_layers: Layers weighted by the kernels each launches per step
            (a batch normalisation counts as :data:`BN_STEP_WEIGHT`);
            default ``layers``.
    """

    num_train: int
    num_val: int
    batch_size: int
    epochs: int
    forward_flops: float
    layers: int = 2
    forward_elements: float = 0.0
    step_layers: float | None = None

    @property
    def train_steps(self) -> int:
        batch = max(1, min(self.batch_size, self.num_train))
        return self.epochs * math.ceil(self.num_train / batch)

    @property
    def val_steps(self) -> int:
        batch = max(1, min(self.batch_size, self.num_train))
        return self.epochs * math.ceil(self.num_val / batch)

    @property
    def examples(self) -> int:
        """Forward-pass equivalents: a training example counts 3 times."""
        return self.epochs * (3 * self.num_train + self.num_val)

    @property
    def flops(self) -> float:
        return self.examples * self.forward_flops

    def seconds(self) -> float:
        layers = self.layers if self.step_layers is None else self.step_layers
        step = STEP_SECONDS + layers * LAYER_STEP_SECONDS
        return (
            FIT_SECONDS
            + self.layers * LAYER_SECONDS
            + (self.train_steps + self.val_steps / 2) * step
            + self.flops / FLOP_RATE
            + self.examples * self.forward_elements * ELEMENT_SECONDS
        )


def total_seconds(fits: Iterable[Fit]) -> float:
    return float(sum(fit.seconds() for fit in fits))


def dense_flops(sizes: Sequence[int]) -> float:
    """Forward FLOPs of a chain of ``Dense`` layers ``sizes[0] → … → sizes[-1]``.

    >>> dense_flops([2, 8, 1])
    48.0
    """
    return float(sum(2 * a * b for a, b in itertools.pairwise(sizes)))


def cnn_flops(
    input_shape: Sequence[int],
    num_blocks: int,
    filters: int,
    kernel_size: int,
    pooling: str,
    num_classes: int,
) -> float:
    """Forward FLOPs of the CNN of ``dlcore.cnn`` (``"same"`` convolutions,
    block ``b`` with ``filters · 2^(b-1)`` filters, 2×2 pooling unless
    ``"none"``, a ``Dense`` classifier).

    >>> cnn_flops((8, 8, 1), 1, 4, 3, "none", 10)  # 2·64·9·4 + 2·256·10
    9728.0
    """
    height, width, channels = (int(d) for d in input_shape)
    total = 0.0
    for block in range(1, num_blocks + 1):
        out = filters * 2 ** (block - 1)
        total += 2.0 * height * width * kernel_size**2 * channels * out
        channels = out
        if pooling != "none":
            height, width = math.ceil(height / 2), math.ceil(width / 2)
    return total + dense_flops([height * width * channels, num_classes])


def cnn_elements(
    input_shape: Sequence[int], num_blocks: int, filters: int, pooling: str
) -> float:
    """Values of the convolutions' feature maps of one example.

    >>> cnn_elements((8, 8, 1), 2, 4, "max")  # 8·8·4 + 4·4·8
    384.0
    """
    height, width = int(input_shape[0]), int(input_shape[1])
    total = 0.0
    for block in range(1, num_blocks + 1):
        total += float(height * width * filters * 2 ** (block - 1))
        if pooling != "none":
            height, width = math.ceil(height / 2), math.ceil(width / 2)
    return total


# --- the registered tasks' estimates (``Task.estimate``) ------------------------


def activations_gradient_lab(config: Any) -> float:
    """``activations.gradient_lab``: a ``depth``-layer MLP on the flat digits,
    plus two gradient probes (a few steps' worth each)."""
    sizes = [64, *([config.width] * config.depth), 10]
    flops = dense_flops(sizes) * (2 if config.batch_norm else 1)
    layers = (config.depth + 1) * (2 if config.batch_norm else 1)
    step_layers = config.depth * (1 + BN_STEP_WEIGHT * config.batch_norm) + 1
    train, val, _ = IMAGE_SPLITS["digits"]
    fit = Fit(
        train, val, config.batch_size, config.epochs, flops, layers, 0, step_layers
    )
    probes = Fit(256, 0, 256, 1, flops, layers, 0, step_layers)
    return total_seconds([fit, probes])


def losses_outlier_lab(config: Any) -> float:
    """``losses.outlier_lab``: three full-batch line fits (MSE, MAE, Huber)."""
    fit = Fit(config.num_samples, 0, config.num_samples, config.epochs, 4.0)
    return total_seconds([fit] * 3)


def losses_pairing(config: Any) -> float:
    """``losses.pairing``: the right and a wrong pairing, a 64-h-k MLP each."""
    train, val, _ = IMAGE_SPLITS["digits"]
    flops = dense_flops([64, config.hidden_units, 10])
    return total_seconds([Fit(train, val, config.batch_size, config.epochs, flops)] * 2)


def optimizers_race(config: Any) -> float:
    """``optimizers.race``: one small MLP per optimizer (digits or spiral)."""
    if config.dataset in IMAGE_SPLITS:
        train, val, shape = IMAGE_SPLITS[config.dataset]
        flops = dense_flops([math.prod(shape), 32, 10])
    else:  # a toy set: 512 points, 20 % validation
        train, val, flops = 410, 102, dense_flops([2, 16, 16, 2])
    fit = Fit(train, val, config.batch_size, config.epochs, flops)
    return total_seconds([fit] * len(config.optimizers))


def cnn_train(config: Any) -> float:
    """``cnn.train``: the CNN and, with ``baseline``, the Dense baseline (then
    the translation curve: 7 shifted evaluations of both on ≤ 1000 images)."""
    train, val, shape = IMAGE_SPLITS.get(config.dataset, IMAGE_SPLITS["mnist"])
    flops = cnn_flops(
        shape, config.num_blocks, config.filters, config.kernel_size, config.pooling, 10
    )
    if config.augmentation:
        flops += 20.0 * math.prod(shape) * len(config.augmentation)
    layers = config.num_blocks * (2 if config.batch_norm else 1) + 1
    elements = cnn_elements(shape, config.num_blocks, config.filters, config.pooling)
    elements *= 2 if config.batch_norm else 1
    step_layers = config.num_blocks * (1 + BN_STEP_WEIGHT * config.batch_norm) + 1
    fits = [
        Fit(
            train,
            val,
            config.batch_size,
            config.epochs,
            flops,
            layers,
            elements,
            step_layers,
        )
    ]
    if config.baseline:
        dense = dense_flops([math.prod(shape), 64, 10])
        fits.append(Fit(train, val, config.batch_size, config.epochs, dense))
        shifts = Fit(0, 7 * min(val, 1000), config.batch_size, 1, flops, 0, elements)
        fits.append(shifts)
    return total_seconds(fits)


def cnn_transfer(config: Any) -> float:
    """``cnn.transfer``: pretraining on the source digits, then one run of
    ``num_steps`` batches per (training size, strategy)."""
    train, val, shape = IMAGE_SPLITS["digits"]
    flops = cnn_flops(shape, config.num_blocks, config.filters, 3, "max", 10)
    elements = cnn_elements(shape, config.num_blocks, config.filters, "max")
    share = len(config.source_classes) / 10
    layers = config.num_blocks + 1
    pretrain = Fit(
        round(train * share),
        0,
        config.batch_size,
        config.pretrain_epochs,
        flops,
        layers,
        elements,
    )
    steps = config.num_steps * config.batch_size
    target_val = round(val * len(config.target_classes) / 10)
    run = Fit(steps, target_val, config.batch_size, 1, flops, layers, elements)
    runs = len(config.train_sizes) * len(config.strategies)
    return total_seconds([pretrain, *([run] * runs)])


#: Config fields a smaller setting may lower, in this order (epochs first).
NEAREST_FIELDS: tuple[str, ...] = ("epochs", "pretrain_epochs", "num_steps")


def nearest_within(
    task: Any,
    config: Any,
    limit: float,
    *,
    allowed: Callable[[Any], bool] | None = None,
) -> tuple[str, int, Any, float] | None:
    """The nearest smaller setting of ``config`` whose estimate fits ``limit``.

    Lowers one of :data:`NEAREST_FIELDS` (the first one the config has that
    works) to the largest value that fits and that ``allowed(candidate)``
    accepts (the page's controls offer it).

    Returns:
        ``(field, value, candidate config, estimated seconds)`` or ``None``.

    >>> from dlcore import topics
    >>> task = topics.task_named("playground.mlp")
    >>> heavy = task.config_type(batch_size=1, epochs=400, num_samples=800)
    >>> field, value, smaller, seconds = nearest_within(task, heavy, 30.0)
    >>> field, seconds <= 30.0 < estimate_seconds(task, smaller.__class__(
    ...     batch_size=1, epochs=value + 1, num_samples=800))
    ('epochs', True)
    """
    for field in NEAREST_FIELDS:
        current = getattr(config, field, None)
        if not isinstance(current, int) or isinstance(current, bool):
            continue
        for value in range(current - 1, 0, -1):
            try:
                candidate = dataclasses.replace(config, **{field: value})
            except (TypeError, ValueError):
                continue
            seconds = estimate_seconds(task, candidate)
            if seconds is None or seconds > limit:
                continue
            if allowed is not None and not allowed(candidate):
                continue
            return field, value, candidate, seconds
    return None


def estimate_seconds(task: Any, config: Any) -> float | None:
    """Estimated seconds of ``task``'s training of ``config`` on 2 CPU cores.

    Args:
        task: A :class:`dlcore.topics.Task`, or its name (``"cnn.train"``).
        config: Its config.

    Returns:
        Seconds, or ``None`` for a task without an estimate (only the wall
        cap applies to it).
    """
    from dlcore import topics

    if isinstance(task, str):
        task = topics.task_named(task)
    if not task.estimate:
        return None
    return float(topics.resolve(task.estimate)(config))
