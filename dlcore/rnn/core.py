"""Recurrent networks (循环神经网络) by hand: the recurrence, the gates, the shapes.

Everything here is NumPy over the *real* weights of a Keras layer, written as
Keras computes it (``keras/src/layers/rnn/{simple_rnn,lstm,gru}.py``):

- SimpleRNN: ``h_t = tanh(x_t W + h_{t-1} U + b)``.
- LSTM (gate order i, f, c, o in ``kernel`` / ``recurrent_kernel`` /
  ``bias``; ``recurrent_activation`` = sigmoid by default)::

      i = σ(x W_i + h U_i + b_i)    f = σ(x W_f + h U_f + b_f)
      g = tanh(x W_c + h U_c + b_c)  o = σ(x W_o + h U_o + b_o)
      c_t = f ⊙ c_{t-1} + i ⊙ g      h_t = o ⊙ tanh(c_t)

  The forget gate *scales* the previous cell state: f = 1 keeps it, f = 0
  erases it.
- GRU (gate order z, r, h; ``reset_after=True`` by default in Keras 3, with
  two bias rows, input and recurrent)::

      z = σ(x W_z + b_z + h U_z + b'_z)   r = σ(x W_r + b_r + h U_r + b'_r)
      ĥ = tanh(x W_h + b_h + r ⊙ (h U_h + b'_h))
      h_t = z ⊙ h_{t-1} + (1 − z) ⊙ ĥ

  (``reset_after=False``: ``ĥ = tanh(x W_h + b_h + (r ⊙ h) U_h)``, one bias.)

The synthetic long-memory tasks (adding problem, recall, noisy sine) are
generated here too, seeded, offline.
"""

from __future__ import annotations

from typing import Any

import numpy as np

CELLS: tuple[str, ...] = ("simple_rnn", "lstm", "gru")
#: Keras class of each cell id.
CELL_CLASSES: dict[str, str] = {
    "simple_rnn": "SimpleRNN",
    "lstm": "LSTM",
    "gru": "GRU",
}
#: Gate matrices per cell (1 for SimpleRNN).
GATES_PER_CELL: dict[str, int] = {"simple_rnn": 1, "lstm": 4, "gru": 3}
TASKS: tuple[str, ...] = ("adding", "recall", "sine")


# ----------------------------------------------------------------------------
# Long-memory tasks, generated (offline, seeded)
# ----------------------------------------------------------------------------


def adding_problem(
    num_samples: int, timesteps: int, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """The adding problem (Hochreiter & Schmidhuber 1997, experiment 4).

    Each sequence has two features per timestep: a value drawn uniformly from
    [0, 1) and a marker that is 1 at exactly two timesteps (one in the first
    half, one in the second) and 0 elsewhere. The target is the sum of the two
    marked values. Predicting the mean, 1, always scores the variance of a sum
    of two U(0, 1): MSE = 2/12 ≈ 0.167 — the baseline to beat.

    Args:
        num_samples: N, the number of sequences.
        timesteps: T ≥ 2, the sequence length.
        seed: Seed of ``np.random.default_rng``.

    Returns:
        ``(x, y)``: ``x`` float32 of shape (N, T, 2), ``y`` float32 of shape (N,).

    >>> x, y = adding_problem(4, 10, seed=0)
    >>> x.shape, y.shape, x[..., 1].sum(axis=1).tolist()
    ((4, 10, 2), (4,), [2.0, 2.0, 2.0, 2.0])
    """
    if num_samples < 1 or timesteps < 2:
        raise ValueError(
            f"need num_samples ≥ 1 and timesteps ≥ 2, got {num_samples}, {timesteps}"
        )
    rng = np.random.default_rng(seed)
    values = rng.random((num_samples, timesteps), dtype=np.float32)
    half = timesteps // 2
    first = rng.integers(0, half, num_samples)
    second = rng.integers(half, timesteps, num_samples)
    markers = np.zeros((num_samples, timesteps), np.float32)
    rows = np.arange(num_samples)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    x = np.stack([values, markers], axis=-1)
    y = (values[rows, first] + values[rows, second]).astype(np.float32)
    return x, y


def recall_task(
    num_samples: int, timesteps: int, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Copy / recall: remember the value shown at the marked *first* timestep.

    Feature 0 is uniform noise in [0, 1) at every step; feature 1 marks step 0.
    The target is ``x[:, 0, 0]``, seen T − 1 steps before the answer is due.
    Always predicting 0.5 scores MSE = 1/12 ≈ 0.083.

    Returns:
        ``(x, y)``: float32, shapes (N, T, 2) and (N,).
    """
    if num_samples < 1 or timesteps < 2:
        raise ValueError("need num_samples ≥ 1 and timesteps ≥ 2")
    rng = np.random.default_rng(seed)
    values = rng.random((num_samples, timesteps), dtype=np.float32)
    markers = np.zeros((num_samples, timesteps), np.float32)
    markers[:, 0] = 1.0
    x = np.stack([values, markers], axis=-1)
    return x, values[:, 0].copy()


def noisy_sine(
    num_samples: int, timesteps: int, seed: int = 0, noise: float = 0.1
) -> tuple[np.ndarray, np.ndarray]:
    """Forecast the next (clean) value of a noisy sine wave.

    Each sequence is ``sin(ω t + φ) + noise`` for t = 0 … T−1 (ω uniform in
    [0.1, 0.5], φ uniform in [0, 2π), Gaussian noise of std ``noise``); the
    target is the clean ``sin(ω T + φ)``. The trivial forecast repeats the
    last observed value.

    Returns:
        ``(x, y)``: float32, shapes (N, T, 1) and (N,).
    """
    if num_samples < 1 or timesteps < 2:
        raise ValueError("need num_samples ≥ 1 and timesteps ≥ 2")
    rng = np.random.default_rng(seed)
    omega = rng.uniform(0.1, 0.5, (num_samples, 1))
    phase = rng.uniform(0.0, 2 * np.pi, (num_samples, 1))
    steps = np.arange(timesteps + 1)[None, :]
    clean = np.sin(omega * steps + phase)
    noisy = clean[:, :timesteps] + noise * rng.standard_normal((num_samples, timesteps))
    return noisy[..., None].astype(np.float32), clean[:, -1].astype(np.float32)


#: Task id -> generator ``(num_samples, timesteps, seed) -> (x, y)``.
GENERATORS = {"adding": adding_problem, "recall": recall_task, "sine": noisy_sine}


def trivial_prediction(task: str, x: np.ndarray) -> np.ndarray:
    """The no-memory baseline: the mean (adding: 1, recall: 0.5) or, for the
    sine, the last observed value.

    >>> x, y = adding_problem(20000, 20, seed=1)
    >>> mse = float(np.mean((trivial_prediction("adding", x) - y) ** 2))
    >>> abs(mse - 1 / 6) < 0.01  # closed form: Var(u1 + u2) = 2/12
    True
    """
    if task == "adding":
        return np.ones(len(x), np.float32)
    if task == "recall":
        return np.full(len(x), 0.5, np.float32)
    if task == "sine":
        return x[:, -1, 0].astype(np.float32)
    raise ValueError(f"task must be one of {TASKS}, got {task!r}")


# ----------------------------------------------------------------------------
# Parameter counts
# ----------------------------------------------------------------------------


def param_count(
    cell: str, units: int, features: int, *, reset_after: bool = True
) -> int:
    """Weights of one recurrent layer: gates · (units·(units + features) + units),
    plus, for a ``reset_after`` GRU, a second bias row of 3·units.

    >>> param_count("lstm", 32, 2), param_count("gru", 32, 2)
    (4480, 3456)
    """
    gates = GATES_PER_CELL[cell]
    count = gates * (units * (units + features) + units)
    if cell == "gru" and reset_after:
        count += 3 * units
    return count


def param_formula(
    cell: str, units: int, features: int, *, reset_after: bool = True
) -> str:
    """The count written out: ``4·(32·(32+2)+32) = 4480``."""
    gates = GATES_PER_CELL[cell]
    inner = f"{units}·({units}+{features})+{units}"
    text = inner if gates == 1 else f"{gates}·({inner})"
    if cell == "gru" and reset_after:
        text += f" + 3·{units}"
    return f"{text} = {param_count(cell, units, features, reset_after=reset_after)}"


# ----------------------------------------------------------------------------
# Unrolling a Keras recurrent layer by hand
# ----------------------------------------------------------------------------


def _activation(fn: Any):
    """A Keras activation as a NumPy function (evaluated by Keras itself)."""
    import keras

    def apply(values: np.ndarray) -> np.ndarray:
        return np.asarray(keras.ops.convert_to_numpy(fn(values)), dtype=np.float32)

    return apply


def _cell_of(layer: Any) -> tuple[str, Any]:
    name = type(layer).__name__
    for cell, class_name in CELL_CLASSES.items():
        if name == class_name:
            return cell, layer.cell
    raise TypeError(
        f"unroll needs a keras SimpleRNN, LSTM or GRU layer, got {name} "
        "(for Bidirectional, unroll its .forward_layer and .backward_layer)"
    )


def unroll(layer: Any, x: np.ndarray) -> dict[str, np.ndarray]:
    """Every timestep of a built Keras recurrent layer, computed by hand.

    Args:
        layer: A built ``keras.layers.SimpleRNN``, ``LSTM`` or ``GRU`` (any
            units, activations, ``use_bias``, ``reset_after``;
            ``go_backwards`` layers are run on the reversed sequence as Keras
            does, and the outputs are in processing order).
        x: Inputs of shape (N, T, F) (a single sequence (T, F) is accepted).

    Returns:
        Arrays of shape (N, T, units) (or (T, units) for one sequence), float32:

        - SimpleRNN: ``"h"`` (the states) and ``"pre"`` (x W + h U + b before
          tanh).
        - LSTM: ``"i"``, ``"f"``, ``"g"`` (candidate), ``"o"``, ``"c"`` (cell
          state), ``"h"``.
        - GRU: ``"z"`` (update), ``"r"`` (reset), ``"hh"`` (candidate ĥ),
          ``"h"``.

        ``h[:, -1]`` equals the layer's output with ``return_sequences=False``
        and ``h`` the output with ``return_sequences=True`` (dropout is off,
        as at inference).
    """
    cell_id, cell = _cell_of(layer)
    x = np.asarray(x, dtype=np.float32)
    single = x.ndim == 2
    if single:
        x = x[None]
    if x.ndim != 3:
        raise ValueError(f"x must have shape (N, T, F), got {x.shape}")
    if getattr(layer, "go_backwards", False):
        x = x[:, ::-1]
    units = int(cell.units)
    kernel = np.asarray(cell.kernel.numpy(), np.float32)
    recurrent = np.asarray(cell.recurrent_kernel.numpy(), np.float32)
    if kernel.shape[0] != x.shape[-1]:
        raise ValueError(
            f"the layer expects {kernel.shape[0]} features, x has {x.shape[-1]}"
        )
    bias = np.asarray(cell.bias.numpy(), np.float32) if cell.use_bias else None
    act = _activation(cell.activation)
    n, steps = x.shape[:2]
    h = np.zeros((n, units), np.float32)
    names = {"simple_rnn": ("pre", "h"), "lstm": "ifgoch", "gru": ("z", "r", "hh", "h")}
    out: dict[str, list[np.ndarray]] = {k: [] for k in names[cell_id]}
    if cell_id == "simple_rnn":
        for t in range(steps):
            pre = x[:, t] @ kernel + h @ recurrent
            if bias is not None:
                pre = pre + bias
            h = act(pre)
            out["pre"].append(pre)
            out["h"].append(h)
    elif cell_id == "lstm":
        sigma = _activation(cell.recurrent_activation)
        c = np.zeros((n, units), np.float32)
        for t in range(steps):
            z = x[:, t] @ kernel + h @ recurrent
            if bias is not None:
                z = z + bias
            zi, zf, zc, zo = np.split(z, 4, axis=-1)
            i, f, o = sigma(zi), sigma(zf), sigma(zo)
            g = act(zc)
            c = f * c + i * g
            h = o * act(c)
            for key, value in zip("ifgoch", (i, f, g, o, c, h), strict=True):
                out[key].append(value)
    else:
        sigma = _activation(cell.recurrent_activation)
        if bias is None:
            b_in = b_rec = np.zeros(3 * units, np.float32)
        elif cell.reset_after:
            b_in, b_rec = bias[0], bias[1]
        else:
            b_in, b_rec = bias, np.zeros(3 * units, np.float32)
        for t in range(steps):
            xz, xr, xh = np.split(x[:, t] @ kernel + b_in, 3, axis=-1)
            u = units
            rz = h @ recurrent[:, :u] + b_rec[:u]
            rr = h @ recurrent[:, u : 2 * u] + b_rec[u : 2 * u]
            z, r = sigma(xz + rz), sigma(xr + rr)
            if cell.reset_after:
                rh = r * (h @ recurrent[:, 2 * u :] + b_rec[2 * u :])
            else:
                rh = (r * h) @ recurrent[:, 2 * u :]
            hh = act(xh + rh)
            h = z * h + (1.0 - z) * hh
            for key, value in zip(("z", "r", "hh", "h"), (z, r, hh, h), strict=True):
                out[key].append(value)
    result = {k: np.stack(v, axis=1).astype(np.float32) for k, v in out.items()}
    if single:
        result = {k: v[0] for k, v in result.items()}
    return result


def gradient_through_time(model: Any, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """How much each input timestep moves the loss: ‖∂loss/∂x_t‖ for t = 1 … T.

    The loss is the model's compiled loss (mean squared error if it is not
    compiled), averaged over the batch as ``model.fit`` does; the norm is taken
    over the batch and the features of timestep t. In a SimpleRNN it shrinks
    roughly geometrically with the distance from the end (vanishing gradients
    through time, Bengio et al. 1994); the LSTM's additive cell update
    ``c_t = f ⊙ c_{t−1} + …`` lets it pass back much further.

    Args:
        model: A Keras model whose input is (N, T, F).
        x: Inputs, shape (N, T, F).
        y: Targets the loss compares the output with.

    Returns:
        float64 array of shape (T,). Gradients below float32's range are 0.
    """
    import keras
    import tensorflow as tf

    loss_fn = keras.losses.get(getattr(model, "loss", None) or "mse")
    inputs = tf.constant(np.asarray(x, np.float32))
    target = tf.constant(np.asarray(y, np.float32))
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        prediction = model(inputs, training=False)
        target_shaped = tf.reshape(target, tf.shape(prediction))
        loss = tf.reduce_mean(loss_fn(target_shaped, prediction))
    grad = tape.gradient(loss, inputs).numpy().astype(np.float64)
    return np.sqrt((grad**2).sum(axis=(0, 2)))
