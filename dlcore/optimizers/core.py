"""Real Keras optimizers on 2-D landscapes and on a linear regression's MSE.

Every step is ``keras.optimizers.X.apply_gradients`` on a ``keras.Variable`` of
shape (2,); nothing is re-implemented. The whole loop (gradient tape, update,
recording) runs inside one ``tf.function`` that is traced once per optimizer
configuration and kept in a small LRU cache, so moving the learning-rate
slider or the start point re-runs in milliseconds.

>>> path = trajectory("sgd", "quadratic", (1.0, 1.0), 3, learning_rate=0.5)
>>> path[1].tolist()  # θ − η∇f = (1, 1) − 0.5·(1, 10)
[0.5, -4.0]
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import math
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from dlcore import runtime
from dlcore.optimizers import landscapes
from dlcore.optimizers.registry import (
    CLIPPING,
    OptimizerSpec,
    _freeze,
    _schedule_kwargs,
    get_spec,
    make_schedule,
    schedule_values,
)

tf = runtime.tf()
import keras  # noqa: E402  (after runtime configured TensorFlow)

#: A run counts as diverged at the first step whose parameters or loss are not
#: finite, or whose largest coordinate exceeds this bound.
DIVERGENCE_BOUND = 1e6
#: Compiled optimization loops kept per process (least recently used dropped).
MAX_RUNNERS = 48
#: Default number of steps of a landscape run.
DEFAULT_STEPS = 300


# --- configurations ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Config:
    """A fully resolved optimizer + landscape configuration (plain values)."""

    spec: OptimizerSpec
    landscape: landscapes.Landscape | None
    hyperparams: dict[str, float | bool]  # optimizer keywords, learning_rate included
    clipping: dict[str, float]  # at most one entry
    landscape_params: dict[str, float]
    schedule: str | None
    schedule_params: tuple[tuple[str, Any], ...]

    def key(self) -> tuple:
        """Cache key of the compiled loop: everything traced into the graph.

        The learning rate, the start point, the number of steps and the
        landscape parameters are inputs of the loop, so they are left out;
        with a schedule the learning rate is baked into it and stays in.
        """
        hyper = dict(self.hyperparams)
        if self.schedule is None:
            hyper.pop("learning_rate")
        return (
            self.spec.keras_name,
            tuple(sorted(hyper.items())),
            tuple(sorted(self.clipping.items())),
            self.schedule,
            self.schedule_params,
            self.landscape.name if self.landscape else None,
        )

    def make_optimizer(self) -> keras.optimizers.Optimizer:
        learning_rate = self.hyperparams["learning_rate"]
        if self.schedule is not None:
            learning_rate = make_schedule(
                self.schedule, learning_rate, **dict(self.schedule_params)
            )
        kwargs = {**self.hyperparams, **self.clipping, "learning_rate": learning_rate}
        return self.spec.keras_class(**kwargs)


def _split_kwargs(
    optimizer: str,
    landscape: str | None,
    hyperparams: Mapping[str, Any],
    schedule: str | None = None,
    schedule_params: Mapping[str, Any] | None = None,
) -> _Config:
    """Sort keyword arguments into optimizer, clipping and landscape settings."""
    spec = get_spec(optimizer)
    land = landscapes.get_landscape(landscape) if landscape is not None else None
    land_names = {p.name for p in land.params} if land is not None else set()
    clip_names = {p.name for p in CLIPPING}
    opt_names = {p.name for p in spec.hyperparams}
    unknown = set(hyperparams) - land_names - clip_names - opt_names
    if unknown:
        raise ValueError(
            f"Unknown hyper-parameter(s) {sorted(unknown)} for optimizer {optimizer!r}"
            + (f" on landscape {landscape!r}" if landscape else "")
            + f"; expected some of {sorted(opt_names | clip_names | land_names)}"
        )
    hyper: dict[str, float | bool] = {}
    for p in spec.hyperparams:
        value = hyperparams.get(p.name, p.default)
        hyper[p.name] = bool(value) if p.kind == "bool" else float(value)
    if hyper["learning_rate"] <= 0 or not math.isfinite(hyper["learning_rate"]):
        raise ValueError(
            f"learning_rate must be a positive number, got {hyper['learning_rate']}"
        )
    clipping = {k: float(v) for k, v in hyperparams.items() if k in clip_names and v}
    if len(clipping) > 1:
        raise ValueError(
            f"Use at most one of {sorted(clip_names)}; got {sorted(clipping)}"
        )
    land_params = (
        land.resolve_params(**{k: v for k, v in hyperparams.items() if k in land_names})
        if land is not None
        else {}
    )
    if schedule == "constant":
        schedule = None
    frozen: tuple[tuple[str, Any], ...] = ()
    if schedule is not None:
        # Fail now, with a clear message, rather than inside a traced function.
        _schedule_kwargs(schedule, hyper["learning_rate"], schedule_params or {})
        frozen = tuple(
            sorted((k, _freeze(v)) for k, v in (schedule_params or {}).items())
        )
    return _Config(spec, land, hyper, clipping, land_params, schedule, frozen)


def make_optimizer(
    optimizer: str,
    *,
    schedule: str | None = None,
    schedule_params: Mapping[str, Any] | None = None,
    **hyperparams: Any,
) -> keras.optimizers.Optimizer:
    """A fresh Keras optimizer from a registry name and slider values.

    Unset hyper-parameters take the :data:`OPTIMIZERS` defaults (for the
    learning rate: the dashboard's, not Keras'). Clipping keywords
    (``clipnorm``, ``clipvalue``, ``global_clipnorm``) are accepted too.

    >>> opt = make_optimizer("nesterov", learning_rate=0.1)
    >>> type(opt).__name__, opt.momentum, opt.nesterov
    ('SGD', 0.9, True)
    """
    config = _split_kwargs(optimizer, None, hyperparams, schedule, schedule_params)
    return config.make_optimizer()


# --- the compiled loop ---------------------------------------------------------------


def _optimize(
    theta: keras.Variable,
    optimizer: keras.optimizers.Optimizer,
    loss_at: Callable[[Any, Any], Any],
    steps: Any,
) -> tuple[Any, Any]:
    """The optimization loop, to be called inside a ``tf.function``.

    ``loss_at(theta_tensor, step)`` is the loss at the current parameters. The
    loop stops early (shorter outputs) once the parameters leave the finite
    range, so a divergent run costs next to nothing.

    Returns:
        ``(path, losses)``: (k + 1, 2) parameters and (k + 1,) losses, k ≤ steps.
    """
    path = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    losses = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    path = path.write(0, theta.value)
    for step in tf.range(steps):
        with tf.GradientTape() as tape:
            loss = loss_at(theta.value, step)
        grad = tape.gradient(loss, theta.value)
        losses = losses.write(step, loss)
        optimizer.apply_gradients([(grad, theta)])
        path = path.write(step + 1, theta.value)
        sane = tf.reduce_all(tf.math.is_finite(theta.value)) & (
            tf.reduce_max(tf.abs(theta.value)) <= DIVERGENCE_BOUND
        )
        if not sane:
            break
    losses = losses.write(losses.size(), loss_at(theta.value, steps))
    return path.stack(), losses.stack()


class _Runner:
    """One traced loop: a (2,) variable, its optimizer and a ``tf.function``."""

    def __init__(
        self, optimizer: keras.optimizers.Optimizer, loss_fn: Callable, signature
    ):
        self.lock = threading.Lock()
        self.theta = keras.Variable(
            np.zeros(2, np.float32), dtype="float32", name="theta"
        )
        self.optimizer = optimizer
        self.optimizer.build([self.theta])
        self.initial_state = [v.numpy() for v in self.optimizer.variables]
        self.settable_lr = isinstance(optimizer._learning_rate, keras.Variable)
        self.loss_fn = loss_fn
        self.function = tf.function(self._loop, input_signature=signature)

    def _loop(self, start, steps, learning_rate, extra):
        # Reset the parameters and every optimizer slot (iterations included).
        self.theta.assign(start)
        for variable, value in zip(
            self.optimizer.variables, self.initial_state, strict=True
        ):
            variable.assign(value)
        if self.settable_lr:
            self.optimizer._learning_rate.assign(learning_rate)
        return _optimize(
            self.theta, self.optimizer, lambda t, s: self.loss_fn(t, s, extra), steps
        )

    def __call__(
        self, start, steps, learning_rate, extra
    ) -> tuple[np.ndarray, np.ndarray]:
        with self.lock:
            path, losses = self.function(
                tf.constant(np.asarray(start, np.float32).reshape(2)),
                tf.constant(int(steps), tf.int32),
                tf.constant(float(learning_rate), tf.float32),
                extra,
            )
        return path.numpy(), losses.numpy()


_RUNNERS: collections.OrderedDict[tuple, _Runner] = collections.OrderedDict()
_RUNNERS_LOCK = threading.Lock()


def _get_runner(key: tuple, factory: Callable[[], _Runner]) -> _Runner:
    """Thread-safe LRU of compiled loops (tracing happens on first call)."""
    with _RUNNERS_LOCK:
        runner = _RUNNERS.get(key)
        if runner is not None:
            _RUNNERS.move_to_end(key)
            return runner
        runner = factory()
        _RUNNERS[key] = runner
        while len(_RUNNERS) > MAX_RUNNERS:
            _RUNNERS.popitem(last=False)
        return runner


def clear_compiled() -> None:
    """Forget every compiled optimization loop."""
    with _RUNNERS_LOCK:
        _RUNNERS.clear()


def _landscape_runner(config: _Config) -> _Runner:
    names = [p.name for p in config.landscape.params]
    fn = config.landscape.fn

    def loss_fn(theta, step, params):
        del step
        return fn(theta[0], theta[1], **{n: params[i] for i, n in enumerate(names)})

    signature = [
        tf.TensorSpec((2,), tf.float32),
        tf.TensorSpec((), tf.int32),
        tf.TensorSpec((), tf.float32),
        tf.TensorSpec((len(names),), tf.float32),
    ]
    return _get_runner(
        ("landscape", *config.key()),
        lambda: _Runner(config.make_optimizer(), loss_fn, signature),
    )


# --- runs on landscapes --------------------------------------------------------------


@dataclasses.dataclass
class Trajectory:
    """One optimizer run on one landscape (see :func:`run`).

    Attributes:
        optimizer, landscape: Registry names.
        hyperparams: Every setting used (optimizer, clipping, landscape).
        schedule: Learning-rate schedule name (``None``: constant).
        path: (k + 1, 2) parameters θ₀ … θ_k; k = steps unless diverged.
        losses: (k + 1,) loss at each point of ``path``.
        distances: (k + 1,) distance to the nearest minimum.
        learning_rates: (steps,) learning rate used by update t = 1 … steps.
        steps: Requested number of steps.
        diverged_step: First step whose parameters or loss were not finite or
            beyond :data:`DIVERGENCE_BOUND` (``path`` stops just before it).
        wall_time: Seconds, including any tracing.
    """

    optimizer: str
    landscape: str
    hyperparams: dict[str, Any]
    schedule: str | None
    path: np.ndarray
    losses: np.ndarray
    distances: np.ndarray
    learning_rates: np.ndarray
    steps: int
    diverged_step: int | None
    wall_time: float

    @property
    def diverged(self) -> bool:
        return self.diverged_step is not None

    @property
    def final_loss(self) -> float:
        return float(self.losses[-1])


def _raw_run(
    config: _Config, start: Sequence[float] | None, steps: int
) -> tuple[np.ndarray, np.ndarray]:
    if int(steps) < 0:
        raise ValueError(f"steps must be ≥ 0, got {steps}")
    start = config.landscape.start if start is None else start
    start = np.asarray(start, np.float32)
    if start.shape != (2,) or not np.all(np.isfinite(start)):
        raise ValueError(
            f"start must be two finite numbers (x, y), got {start.tolist()}"
        )
    runner = _landscape_runner(config)
    params = tf.constant(
        list(config.landscape_params.values()),
        tf.float32,
        shape=(len(config.landscape_params),),
    )
    return runner(start, steps, config.hyperparams["learning_rate"], params)


def trajectory(
    optimizer: str,
    landscape: str,
    start: Sequence[float] | None = None,
    steps: int = DEFAULT_STEPS,
    *,
    schedule: str | None = None,
    schedule_params: Mapping[str, Any] | None = None,
    **hyperparams: Any,
) -> np.ndarray:
    """The path of a real Keras optimizer on a landscape.

    Args:
        optimizer: A key of :data:`OPTIMIZERS` (``"sgd"``, ``"adam"``, …);
            ``"sgd"`` with ``momentum=0.9, nesterov=True`` is the same as
            ``"nesterov"``.
        landscape: A key of ``landscapes.LANDSCAPES``.
        start: (x, y); default: the landscape's start point.
        steps: Number of updates.
        schedule, schedule_params: Optional learning-rate schedule
            (:data:`SCHEDULES`), starting at ``learning_rate``.
        **hyperparams: Optimizer keywords (``learning_rate``, ``momentum``,
            ``beta_1``…; unset ones take the :data:`OPTIMIZERS` defaults),
            clipping (``clipnorm``…), landscape parameters
            (``condition_number``).

    Returns:
        (steps + 1, 2) float32 array θ₀ … θ_steps. After a divergence (see
        :func:`run`) the remaining rows are NaN.

    Raises:
        ValueError: unknown optimizer, landscape, schedule or keyword.

    Example:
        >>> path = trajectory("momentum", "quadratic", (1.0, 0.0), 2, learning_rate=0.1)
        >>> [round(float(x), 4) for x in path[:, 0]]  # v = −0.1, then 0.9·v − 0.1·0.9
        [1.0, 0.9, 0.72]
    """
    config = _split_kwargs(optimizer, landscape, hyperparams, schedule, schedule_params)
    path, _ = _raw_run(config, start, steps)
    full = np.full((int(steps) + 1, 2), np.nan, np.float32)
    first_bad = _first_bad_step(path, np.zeros(len(path), np.float32))
    keep = len(path) if first_bad is None else first_bad
    full[:keep] = path[:keep]
    return full


def _first_bad_step(path: np.ndarray, losses: np.ndarray) -> int | None:
    with np.errstate(invalid="ignore"):
        bad = (
            ~np.isfinite(path).all(axis=1)
            | (np.abs(path).max(axis=1) > DIVERGENCE_BOUND)
            | ~np.isfinite(losses)
        )
    return int(np.argmax(bad)) if bad.any() else None


def distance_to_minima(points: np.ndarray, landscape: str) -> np.ndarray:
    """Distance from each (x, y) in ``points`` to the landscape's nearest minimum."""
    targets = np.array([p.point for p in landscapes.get_landscape(landscape).targets])
    points = np.asarray(points, np.float64).reshape(-1, 2)
    return np.linalg.norm(points[:, None, :] - targets[None], axis=-1).min(axis=1)


def run(
    optimizer: str,
    landscape: str,
    start: Sequence[float] | None = None,
    steps: int = DEFAULT_STEPS,
    *,
    schedule: str | None = None,
    schedule_params: Mapping[str, Any] | None = None,
    **hyperparams: Any,
) -> Trajectory:
    """Like :func:`trajectory`, with losses, distances and divergence detection.

    A divergent run is not an error: the path stops before the first bad step
    and ``diverged_step`` tells which one it was.

    Example:
        >>> result = run("sgd", "rosenbrock", steps=50, learning_rate=10.0)
        >>> result.diverged_step, result.path.shape  # step 2 leaves |θ| ≤ 1e6
        (2, (2, 2))
    """
    tic = time.perf_counter()
    config = _split_kwargs(optimizer, landscape, hyperparams, schedule, schedule_params)
    path, losses = _raw_run(config, start, steps)
    diverged = _first_bad_step(path, losses)
    if diverged is not None:
        path, losses = path[:diverged], losses[:diverged]
    lr = config.hyperparams["learning_rate"]
    if config.schedule is None:
        rates = np.full(int(steps), lr, np.float32)
    else:
        rates = schedule_values(
            config.schedule,
            int(steps),
            learning_rate=lr,
            **dict(config.schedule_params),
        )
    return Trajectory(
        optimizer=optimizer,
        landscape=landscape,
        hyperparams={
            **config.hyperparams,
            **config.clipping,
            **config.landscape_params,
        },
        schedule=config.schedule,
        path=path,
        losses=losses,
        distances=distance_to_minima(path, landscape),
        learning_rates=rates,
        steps=int(steps),
        diverged_step=diverged,
        wall_time=time.perf_counter() - tic,
    )


# --- mini-batch SGD on a linear regression -------------------------------------------


@dataclasses.dataclass(frozen=True)
class RegressionData:
    """``y = w·x + b + noise`` and its least-squares solution ``(w*, b*)``."""

    x: np.ndarray
    y: np.ndarray
    true_w: float
    true_b: float
    optimum: tuple[float, float]
    w_range: tuple[float, float]
    b_range: tuple[float, float]
    start: tuple[float, float]


@functools.lru_cache(maxsize=8)
def regression_data(
    num_samples: int = 64, noise: float = 0.5, seed: int = 0
) -> RegressionData:
    """A seeded 1-D regression set; x ∈ [0, 3] so w and b are correlated.

    The mean-squared-error surface over (w, b) is then an elongated, tilted
    bowl (condition number ≈ 20), as in the d2l linear-regression chapter.

    >>> data = regression_data()
    >>> data.x.shape, round(data.optimum[0], 1)  # true w = 2, fitted on noisy data
    ((64,), 2.1)
    """
    rng = np.random.default_rng(seed)
    true_w, true_b = 2.0, -1.0
    x = rng.uniform(0.0, 3.0, num_samples).astype(np.float32)
    y = (true_w * x + true_b + rng.normal(0.0, noise, num_samples)).astype(np.float32)
    design = np.stack([x, np.ones_like(x)], axis=1).astype(np.float64)
    (w_star, b_star), *_ = np.linalg.lstsq(design, y.astype(np.float64), rcond=None)
    return RegressionData(
        x=x,
        y=y,
        true_w=true_w,
        true_b=true_b,
        optimum=(float(w_star), float(b_star)),
        w_range=(float(w_star) - 3.5, float(w_star) + 3.5),
        b_range=(float(b_star) - 4.5, float(b_star) + 4.5),
        start=(float(w_star) - 3.0, float(b_star) + 3.5),
    )


def regression_loss(w: Any, b: Any, data: RegressionData) -> np.ndarray:
    """Mean squared error ``mean((w·x + b − y)²)`` for broadcast arrays ``w``, ``b``."""
    w = np.asarray(w, np.float64)[..., None]
    b = np.asarray(b, np.float64)[..., None]
    return np.mean(np.square(w * data.x + b - data.y), axis=-1)


def regression_grid(
    data: RegressionData, num: int = 101
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(ws, bs, z)`` with ``z[j, i]`` the MSE at ``(ws[i], bs[j])``."""
    ws = np.linspace(*data.w_range, num)
    bs = np.linspace(*data.b_range, num)
    return ws, bs, regression_loss(*np.meshgrid(ws, bs), data)


def minibatch_indices(
    num_samples: int, batch_size: int, steps: int, seed: int
) -> np.ndarray:
    """(steps, batch_size) sample indices: each step a fresh seeded draw without
    replacement (batch_size = num_samples is full-batch gradient descent)."""
    if not 1 <= batch_size <= num_samples:
        raise ValueError(f"batch_size must be in 1…{num_samples}, got {batch_size}")
    rng = np.random.default_rng(seed)
    order = np.argsort(rng.random((steps, num_samples)), axis=1)
    return order[:, :batch_size].astype(np.int32)


def _regression_loss_fn(theta, step, extra):
    x, y, indices = extra
    batch = indices[step % tf.maximum(tf.shape(indices)[0], 1)]
    x_b, y_b = tf.gather(x, batch), tf.gather(y, batch)
    return tf.reduce_mean(tf.square(theta[0] * x_b + theta[1] - y_b))


def minibatch_path(
    batch_size: int,
    steps: int = 100,
    learning_rate: float = 0.1,
    seed: int = 0,
    *,
    momentum: float = 0.0,
    start: Sequence[float] | None = None,
    data: RegressionData | None = None,
) -> np.ndarray:
    """Keras SGD on the linear-regression MSE with mini-batches of ``batch_size``.

    Each step uses the seeded batch ``minibatch_indices(...)[t]``; the MSE is
    over that batch only, so small batches give noisy gradients.

    Returns:
        (steps + 1, 2) array of (w, b); NaN rows after a divergence.

    >>> path = minibatch_path(64, steps=200, learning_rate=0.2)
    >>> bool(np.allclose(path[-1], regression_data().optimum, atol=1e-2))
    True
    """
    data = data or regression_data()
    indices = minibatch_indices(len(data.x), int(batch_size), int(steps), seed)
    signature = [
        tf.TensorSpec((2,), tf.float32),
        tf.TensorSpec((), tf.int32),
        tf.TensorSpec((), tf.float32),
        (
            tf.TensorSpec((None,), tf.float32),
            tf.TensorSpec((None,), tf.float32),
            tf.TensorSpec((None, None), tf.int32),
        ),
    ]
    runner = _get_runner(
        ("regression", float(momentum)),
        lambda: _Runner(
            keras.optimizers.SGD(0.1, momentum=float(momentum)),
            _regression_loss_fn,
            signature,
        ),
    )
    extra = (tf.constant(data.x), tf.constant(data.y), tf.constant(indices))
    path, _ = runner(
        data.start if start is None else start, steps, learning_rate, extra
    )
    full = np.full((int(steps) + 1, 2), np.nan, np.float32)
    bad = _first_bad_step(path, np.zeros(len(path), np.float32))
    keep = len(path) if bad is None else bad
    full[:keep] = path[:keep]
    return full
