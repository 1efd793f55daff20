"""The training loop, one step at a time, on a one-neuron linear regression.

The model is ``ŷ = w·x + b`` with two ``keras.Variable`` parameters, the loss
is ``keras.losses.MeanSquaredError``, the gradient comes from
``tf.GradientTape`` and the update from ``keras.optimizers.SGD.apply_gradients``:
the four phases of every training step in deep learning (forward pass, loss,
gradient, parameter update) with real Keras/TensorFlow ops, small enough to
print every number.

The whole run is one call of a ``tf.function`` (traced once per batch size,
number of steps and number of samples, kept in a small LRU cache), so a new
learning rate or seed costs milliseconds. TensorFlow is imported on the first
run, not with this module: the data, the closed forms and the loss surface
need only NumPy, so a page can draw them (and its controls) while TensorFlow
is still loading.

Mini-batches follow Keras' ``model.fit(shuffle=True)``: every epoch is a fresh
seeded permutation ``np.random.default_rng([seed, epoch]).permutation(n)``,
cut into ``n // batch_size`` batches (a last, incomplete batch is dropped so
every step sees exactly ``batch_size`` samples).

Example:
    >>> data = make_data()
    >>> w_star, b_star = least_squares(data.x, data.y)
    >>> round(w_star, 2), round(b_star, 2)
    (2.06, 1.0)
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import threading
from collections.abc import Sequence

import numpy as np

from dlcore.topics import Preset

#: Compiled loops kept per process (least recently used are dropped).
MAX_RUNNERS = 16

#: Teacher presets of the home page's training loop (labels
#: ``home.preset.<name>``): the three flavours of gradient descent on the
#: 64-point set, and stochastic steps with too large a learning rate.
PRESETS: tuple[Preset, ...] = (
    Preset("batch", controls={"home_batch": 64, "home_lr": 0.1, "home_steps": 50}),
    Preset("minibatch", controls={"home_batch": 8, "home_lr": 0.1, "home_steps": 50}),
    Preset("stochastic", controls={"home_batch": 1, "home_lr": 0.1, "home_steps": 200}),
    Preset("noisy", controls={"home_batch": 1, "home_lr": 0.3, "home_steps": 200}),
)
#: Default starting parameters (w₀, b₀) of a run.
DEFAULT_START: tuple[float, float] = (-1.0, -1.5)


@dataclasses.dataclass(frozen=True)
class Data:
    """``y = w_true·x + b_true + noise``: float32 arrays of shape ``(n,)``."""

    x: np.ndarray
    y: np.ndarray
    w_true: float
    b_true: float
    noise: float


@functools.lru_cache(maxsize=16)
def make_data(
    num_samples: int = 64,
    noise: float = 0.5,
    seed: int = 0,
    *,
    w_true: float = 2.0,
    b_true: float = 1.0,
) -> Data:
    """A seeded 1-D regression set with x uniform in [−1, 2].

    With this x range the mean squared error over (w, b) is a tilted,
    elongated bowl (condition number 3), so the path of gradient descent
    bends and the effect of the learning rate is easy to see.

    Returns:
        A :class:`Data` with read-only arrays (cached: the same call returns the
        same object).

    >>> data = make_data(num_samples=8)
    >>> data.x.shape, data.x.dtype.name, data.w_true
    ((8,), 'float32', 2.0)
    """
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 2.0, int(num_samples)).astype(np.float32)
    y = (w_true * x + b_true + rng.normal(0.0, noise, int(num_samples))).astype(
        np.float32
    )
    x.flags.writeable = False
    y.flags.writeable = False
    return Data(
        x=x, y=y, w_true=float(w_true), b_true=float(b_true), noise=float(noise)
    )


def least_squares(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The exact minimiser ``(w*, b*)`` of the mean squared error (closed form).

    ``w* = cov(x, y) / var(x)``, ``b* = ȳ − w*·x̄``.

    >>> least_squares(np.array([0.0, 1.0, 2.0]), np.array([1.0, 3.0, 5.0]))
    (2.0, 1.0)
    """
    x = np.asarray(x, np.float64)
    y = np.asarray(y, np.float64)
    x_mean, y_mean = x.mean(), y.mean()
    w = float(np.sum((x - x_mean) * (y - y_mean)) / np.sum((x - x_mean) ** 2))
    return w, float(y_mean - w * x_mean)


def mse(x: np.ndarray, y: np.ndarray, w, b) -> np.ndarray:
    """Mean squared error ``mean((w·x + b − y)²)`` for broadcast ``w``, ``b``.

    Computed in closed form from the moments of the data (no loop over
    samples), so a whole grid of (w, b) costs as much as one point:
    ``w²·E[x²] + 2wb·E[x] + b² − 2w·E[xy] − 2b·E[y] + E[y²]``.

    >>> float(mse(np.array([0.0, 1.0]), np.array([1.0, 1.0]), 1.0, 0.0))
    0.5
    """
    x = np.asarray(x, np.float64)
    y = np.asarray(y, np.float64)
    w = np.asarray(w, np.float64)
    b = np.asarray(b, np.float64)
    sx, sxx, sy, syy, sxy = (
        x.mean(),
        (x * x).mean(),
        y.mean(),
        (y * y).mean(),
        (x * y).mean(),
    )
    value = w * w * sxx + 2 * w * b * sx + b * b - 2 * w * sxy - 2 * b * sy + syy
    return np.maximum(value, 0.0)


def level_curves(
    x: np.ndarray, y: np.ndarray, levels: Sequence[float], num: int = 121
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Exact level sets ``MSE(w, b) = level`` as closed ``(w, b)`` polygons.

    The MSE is quadratic, ``L(θ) = L* + (θ − θ*)ᵀ A (θ − θ*)`` with
    ``A = [[E[x²], E[x]], [E[x], 1]]``, so every level set is an ellipse around
    the least-squares optimum θ* (levels at or below L* are skipped).

    >>> x, y = np.array([0.0, 1.0, 2.0]), np.array([1.0, 2.0, 2.0])
    >>> [(w, b)] = level_curves(x, y, [1.0], num=5)
    >>> bool(np.allclose(mse(x, y, w, b), 1.0))
    True
    """
    x = np.asarray(x, np.float64)
    y = np.asarray(y, np.float64)
    optimum = np.array(least_squares(x, y))
    floor = float(mse(x, y, *optimum))
    a = np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    eigenvalues, eigenvectors = np.linalg.eigh(a)
    angle = np.linspace(0.0, 2.0 * np.pi, int(num))
    circle = np.stack([np.cos(angle), np.sin(angle)])
    curves = []
    for level in levels:
        if level > floor:
            radius = np.sqrt((level - floor) / eigenvalues)
            points = optimum[:, None] + eigenvectors @ (circle * radius[:, None])
            curves.append((points[0], points[1]))
    return curves


@dataclasses.dataclass(frozen=True)
class Grid:
    """The loss surface: ``loss[j, i]`` is the MSE at ``(w[i], b[j])``."""

    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray


def loss_surface(
    x: np.ndarray,
    y: np.ndarray,
    w_range: tuple[float, float],
    b_range: tuple[float, float],
    size: int = 81,
) -> Grid:
    """The mean squared error on a ``size × size`` grid of (w, b).

    >>> grid = loss_surface(
    ...     np.array([0.0, 1.0]), np.array([1.0, 1.0]), (0, 1), (0, 1), 3
    ... )
    >>> grid.loss.shape, float(grid.loss[0, 0])  # w = 0, b = 0
    ((3, 3), 1.0)
    """
    ws = np.linspace(float(w_range[0]), float(w_range[1]), int(size))
    bs = np.linspace(float(b_range[0]), float(b_range[1]), int(size))
    w_grid, b_grid = np.meshgrid(ws, bs)
    return Grid(w=ws, b=bs, loss=mse(x, y, w_grid, b_grid))


def view_ranges(
    start: Sequence[float], optimum: Sequence[float], margin: float = 1.5
) -> tuple[tuple[float, float], tuple[float, float]]:
    """(w, b) ranges that show both the start and the optimum with a margin.

    >>> view_ranges((0.0, 0.0), (2.0, 1.0), margin=1.0)
    ((-1.0, 3.0), (-1.0, 2.0))
    """
    (w0, b0), (w1, b1) = start, optimum
    return (
        (float(min(w0, w1) - margin), float(max(w0, w1) + margin)),
        (float(min(b0, b1) - margin), float(max(b0, b1) + margin)),
    )


def batch_order(
    num_samples: int, batch_size: int, steps: int, seed: int = 0
) -> np.ndarray:
    """The ``(steps, batch_size)`` sample indices of every step.

    Epoch ``e`` is ``np.random.default_rng([seed, e]).permutation(n)`` cut into
    ``n // batch_size`` batches; an incomplete last batch is dropped.

    >>> order = batch_order(6, 2, steps=4, seed=0)
    >>> order.shape, sorted(order[:3].ravel().tolist())  # epoch 0 sees every sample
    ((4, 2), [0, 1, 2, 3, 4, 5])
    """
    n, m = int(num_samples), int(batch_size)
    if not 1 <= m <= n:
        raise ValueError(f"batch_size must be in 1…{n}, got {m}")
    per_epoch = n // m
    epochs = -(-int(steps) // per_epoch)
    batches = [
        np.random.default_rng([int(seed), epoch]).permutation(n)[: per_epoch * m]
        for epoch in range(epochs)
    ]
    order = np.concatenate(batches) if batches else np.zeros(0, np.int64)
    return order[: int(steps) * m].reshape(int(steps), m).astype(np.int32)


@dataclasses.dataclass(frozen=True)
class Trajectory:
    """One run of mini-batch SGD. Step ``t`` (0-based) goes from θ_t to θ_{t+1}.

    Attributes:
        w, b: ``(steps + 1,)`` parameters before each step (and after the last).
        loss: ``(steps + 1,)`` MSE on the *full* data at ``(w[t], b[t])``.
        batches: ``(steps, batch_size)`` sample indices used by each step.
        batch_loss: ``(steps,)`` MSE on step t's mini-batch at θ_t.
        dw, db: ``(steps,)`` gradient ∂L/∂w, ∂L/∂b of the batch loss at θ_t.
        learning_rate, batch_size, seed: The settings of the run.
        num_samples: n, the size of the data set.
    """

    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    batches: np.ndarray
    batch_loss: np.ndarray
    dw: np.ndarray
    db: np.ndarray
    learning_rate: float
    batch_size: int
    seed: int
    num_samples: int

    @property
    def steps(self) -> int:
        return len(self.dw)

    @property
    def steps_per_epoch(self) -> int:
        return max(1, self.num_samples // self.batch_size)

    def epoch(self, step: int) -> int:
        """The 1-based epoch that step ``step`` (0-based) belongs to."""
        return int(step) // self.steps_per_epoch + 1


def _tf():
    """TensorFlow, configured by :mod:`dlcore.runtime` (imported on first use)."""
    from dlcore import runtime

    return runtime.tf()


class _Runner:
    """One traced SGD loop for fixed (batch_size, steps, num_samples)."""

    def __init__(self, batch_size: int, steps: int, num_samples: int):
        tf = _tf()
        import keras  # after dlcore.runtime configured TensorFlow

        self.lock = threading.Lock()
        self.w = keras.Variable(0.0, dtype="float32", name="w")
        self.b = keras.Variable(0.0, dtype="float32", name="b")
        self.optimizer = keras.optimizers.SGD(learning_rate=0.1)
        self.optimizer.build([self.w, self.b])
        self.initial_state = [v.numpy() for v in self.optimizer.variables]
        self.loss_fn = keras.losses.MeanSquaredError()
        n, m, k = int(num_samples), int(batch_size), int(steps)
        self.steps = k
        self.function = tf.function(
            self._loop,
            input_signature=[
                tf.TensorSpec((n,), tf.float32),
                tf.TensorSpec((n,), tf.float32),
                tf.TensorSpec((k, m), tf.int32),
                tf.TensorSpec((), tf.float32),
                tf.TensorSpec((2,), tf.float32),
            ],
        )

    def _loop(self, x, y, order, learning_rate, start):
        tf = _tf()
        self.w.assign(start[0])
        self.b.assign(start[1])
        for variable, value in zip(
            self.optimizer.variables, self.initial_state, strict=True
        ):
            variable.assign(value)  # iterations back to 0
        self.optimizer.learning_rate.assign(learning_rate)
        params = tf.TensorArray(tf.float32, size=self.steps + 1)
        full_losses = tf.TensorArray(tf.float32, size=self.steps + 1)
        batch_losses = tf.TensorArray(tf.float32, size=self.steps)
        grads = tf.TensorArray(tf.float32, size=self.steps)
        for t in tf.range(self.steps):
            w, b = self.w.value, self.b.value
            params = params.write(t, tf.stack([w, b]))
            full_losses = full_losses.write(t, self.loss_fn(y, w * x + b))
            x_batch = tf.gather(x, order[t])
            y_batch = tf.gather(y, order[t])
            with tf.GradientTape() as tape:
                y_hat = self.w.value * x_batch + self.b.value  # forward pass
                loss = self.loss_fn(y_batch, y_hat)  # loss
            dw, db = tape.gradient(loss, [self.w.value, self.b.value])  # gradient
            self.optimizer.apply_gradients([(dw, self.w), (db, self.b)])  # update
            batch_losses = batch_losses.write(t, loss)
            grads = grads.write(t, tf.stack([dw, db]))
        w, b = self.w.value, self.b.value
        params = params.write(self.steps, tf.stack([w, b]))
        full_losses = full_losses.write(self.steps, self.loss_fn(y, w * x + b))
        return params.stack(), full_losses.stack(), batch_losses.stack(), grads.stack()

    def __call__(self, x, y, order, learning_rate, start):
        tf = _tf()
        with self.lock:
            outputs = self.function(
                tf.constant(x, tf.float32),
                tf.constant(y, tf.float32),
                tf.constant(order, tf.int32),
                tf.constant(float(learning_rate), tf.float32),
                tf.constant(np.asarray(start, np.float32).reshape(2)),
            )
        return [o.numpy() for o in outputs]


_RUNNERS: collections.OrderedDict[tuple[int, int, int], _Runner] = (
    collections.OrderedDict()
)
_RUNNERS_LOCK = threading.Lock()


def _runner(batch_size: int, steps: int, num_samples: int) -> _Runner:
    """Thread-safe LRU of compiled loops, keyed by (batch_size, steps, n)."""
    key = (int(batch_size), int(steps), int(num_samples))
    with _RUNNERS_LOCK:
        runner = _RUNNERS.get(key)
        if runner is None:
            runner = _RUNNERS[key] = _Runner(*key)
            while len(_RUNNERS) > MAX_RUNNERS:
                _RUNNERS.popitem(last=False)
        else:
            _RUNNERS.move_to_end(key)
        return runner


def trajectory(
    x: np.ndarray,
    y: np.ndarray,
    *,
    learning_rate: float,
    batch_size: int,
    steps: int,
    seed: int = 0,
    start: tuple[float, float] = DEFAULT_START,
) -> Trajectory:
    """Train ``ŷ = w·x + b`` with Keras SGD on mini-batches; record every step.

    Args:
        x, y: ``(n,)`` data.
        learning_rate: η of ``keras.optimizers.SGD``.
        batch_size: Samples per step (n: full-batch gradient descent; 1:
            stochastic gradient descent).
        steps: Number of parameter updates.
        seed: Seeds the mini-batch order (see :func:`batch_order`).
        start: Initial (w, b).

    Returns:
        A :class:`Trajectory`. A divergent run (learning rate too large) holds
        inf/NaN from the step where it blew up.
    """
    x = np.asarray(x, np.float32)
    y = np.asarray(y, np.float32)
    order = batch_order(len(x), batch_size, steps, seed)
    params, full, batch, grads = _runner(batch_size, steps, len(x))(
        x, y, order, learning_rate, start
    )
    return Trajectory(
        w=params[:, 0],
        b=params[:, 1],
        loss=full,
        batches=order,
        batch_loss=batch,
        dw=grads[:, 0],
        db=grads[:, 1],
        learning_rate=float(learning_rate),
        batch_size=int(batch_size),
        seed=int(seed),
        num_samples=len(x),
    )


# --- the four phases of one step, with numbers ----------------------------------------


def step_details(data: Data, traj: Trajectory, step: int) -> dict[str, object]:
    """Every number of step ``step`` (0-based): the batch, ŷ, L, ∇L and the update.

    >>> data = make_data(num_samples=8)
    >>> path = trajectory(data.x, data.y, learning_rate=0.1, batch_size=4, steps=2)
    >>> d = step_details(data, path, 0)
    >>> bool(np.isclose(d["w_next"], d["w"] - 0.1 * d["dw"], atol=1e-5))
    True
    """
    step = int(np.clip(step, 0, traj.steps - 1))
    batch = traj.batches[step]
    w, b = float(traj.w[step]), float(traj.b[step])
    x_batch = np.asarray(data.x[batch], np.float64)
    return {
        "step": step,
        "epoch": traj.epoch(step),
        "batch": batch,
        "x": x_batch,
        "y": np.asarray(data.y[batch], np.float64),
        "y_hat": w * x_batch + b,
        "w": w,
        "b": b,
        "loss": float(traj.batch_loss[step]),
        "full_loss": float(traj.loss[step]),
        "dw": float(traj.dw[step]),
        "db": float(traj.db[step]),
        "lr": traj.learning_rate,
        "m": traj.batch_size,
        "w_next": float(traj.w[step + 1]),
        "b_next": float(traj.b[step + 1]),
    }


def _num(value: float, paren: bool = False) -> str:
    """A number for a formula (3 decimals; parentheses around negatives if asked)."""
    text = f"{value:.3f}" if abs(value) < 1e4 else f"{value:.3e}"
    text = text.replace("inf", r"\infty").replace("nan", r"\text{NaN}")
    return f"({text})" if paren and value < 0 else text


def phase_latex(details: dict[str, object], max_values: int = 3) -> dict[str, str]:
    """LaTeX of the four phases (``forward``, ``loss``, ``gradient``, ``update``).

    Each line is short (a result on its own line, at most ``max_values``
    values of a vector), so the formulas fit a phone's width.

    >>> data = make_data(num_samples=8)
    >>> path = trajectory(data.x, data.y, learning_rate=0.1, batch_size=4, steps=2)
    >>> sorted(phase_latex(step_details(data, path, 0)))
    ['forward', 'gradient', 'loss', 'update']
    """
    d = details
    m, lr = int(d["m"]), float(d["lr"])  # type: ignore[arg-type]
    w, b = float(d["w"]), float(d["b"])  # type: ignore[arg-type]

    def values(key: str) -> str:
        array = np.asarray(d[key])
        shown = r",\ ".join(_num(v) for v in array[:max_values])
        return shown + (r",\ \dots" if len(array) > max_values else "")

    sign = "-" if b < 0 else "+"
    forward = (
        r"\begin{aligned}"
        r"\hat y_i &= w\,x_i + b \\"
        rf"&= {_num(w)}\,x_i {sign} {_num(abs(b))} \\"
        rf"\hat{{\mathbf y}} &= ({values('y_hat')})"
        r"\end{aligned}"
    )
    loss = (
        r"\begin{aligned}"
        rf"\mathbf y &= ({values('y')}) \\"
        rf"L &= \frac{{1}}{{{m}}}\sum_{{i=1}}^{{{m}}} (\hat y_i - y_i)^2 \\"
        rf"&= {_num(float(d['loss']))}"  # type: ignore[arg-type]
        r"\end{aligned}"
    )
    dw, db = float(d["dw"]), float(d["db"])  # type: ignore[arg-type]
    gradient = (
        r"\begin{aligned}"
        rf"\frac{{\partial L}}{{\partial w}} &= \frac{{2}}{{{m}}}"
        r"\sum_i (\hat y_i - y_i)\,x_i \\"
        rf"&= {_num(dw)} \\[4pt]"
        rf"\frac{{\partial L}}{{\partial b}} &= \frac{{2}}{{{m}}}"
        r"\sum_i (\hat y_i - y_i) \\"
        rf"&= {_num(db)}"
        r"\end{aligned}"
    )
    w_next, b_next = float(d["w_next"]), float(d["b_next"])  # type: ignore[arg-type]
    update = (
        r"\begin{aligned}"
        r"w &\leftarrow w - \eta\,\frac{\partial L}{\partial w} \\"
        rf"&= {_num(w)} - {lr:g} \times {_num(dw, True)} \\"
        rf"&= {_num(w_next)} \\[4pt]"
        r"b &\leftarrow b - \eta\,\frac{\partial L}{\partial b} \\"
        rf"&= {_num(b)} - {lr:g} \times {_num(db, True)} \\"
        rf"&= {_num(b_next)}"
        r"\end{aligned}"
    )
    return {"forward": forward, "loss": loss, "gradient": gradient, "update": update}
