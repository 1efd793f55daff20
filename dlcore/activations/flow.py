"""Gradient flow (梯度) through a deep MLP on the 8×8 digits, at initialisation.

:func:`build_mlp` builds the gradient-lab network, :func:`probe_model` takes one
forward/backward pass and returns per-layer gradient norms and unit health,
:func:`flow_verdict` says what training will do (vanishing, exploding, zero,
healthy).

Example:
    >>> flow_verdict({"grad_norm": [1e-9, 0.1]})
    'vanishing'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from dlcore.activations.core import get_spec, keras, keras_function, tf
from dlcore.blocks import digits_flat

INITIALIZERS: tuple[str, ...] = (
    "zeros",
    "random_normal",
    "glorot_uniform",
    "he_normal",
    "lecun_normal",
)
#: Batch-norm momentum of the gradient-lab MLP (Keras' default is 0.99).
BN_MOMENTUM = 0.9
#: A unit counts as saturated when ``|f'(z)| < SATURATED_SLOPE`` while
#: ``f(z) != 0`` for most samples (see :func:`probe_model`).
SATURATED_SLOPE = 0.01


def make_initializer(
    name: str, seed: int, sigma: float = 0.05
) -> keras.initializers.Initializer:
    """A seeded Keras kernel initializer by name (``sigma`` for ``random_normal``)."""
    if name not in INITIALIZERS:
        raise ValueError(
            f"Unknown initializer {name!r}; expected one of {list(INITIALIZERS)}"
        )
    if name == "zeros":
        return keras.initializers.Zeros()
    if name == "random_normal":
        return keras.initializers.RandomNormal(stddev=sigma, seed=seed)
    classes = {
        "glorot_uniform": keras.initializers.GlorotUniform,
        "he_normal": keras.initializers.HeNormal,
        "lecun_normal": keras.initializers.LecunNormal,
    }
    return classes[name](seed=seed)


def layer_seed(seed: int, layer: int) -> int:
    """The initializer seed of layer ``layer`` (0-based): distinct per layer.

    Two layers of the same shape and the same seed would start with
    *identical* weights, so every layer gets its own seed.
    """
    return int(seed) * 1009 + int(layer)


def _check_mlp_args(activation, depth, width, initializer, sigma) -> None:
    get_spec(activation)
    if initializer not in INITIALIZERS:
        raise ValueError(
            f"Unknown initializer {initializer!r}; expected one of {list(INITIALIZERS)}"
        )
    if not (isinstance(depth, (int, np.integer)) and 1 <= depth <= 50):
        raise ValueError(f"depth must be an integer between 1 and 50, got {depth!r}")
    if not (isinstance(width, (int, np.integer)) and 1 <= width <= 512):
        raise ValueError(f"width must be an integer between 1 and 512, got {width!r}")
    if not (isinstance(sigma, (int, float)) and 0 < sigma <= 10):
        raise ValueError(f"sigma must be a number in (0, 10], got {sigma!r}")


def _dense_activation(name: str) -> str | Callable[[Any], Any]:
    """What ``Dense(activation=...)`` gets: the name, or a bound function."""
    spec = get_spec(name)
    # keras.activations.threshold has required arguments; bind the defaults.
    return keras_function(spec.name) if spec.name == "threshold" else spec.name


def build_mlp(
    activation: str,
    depth: int,
    width: int,
    initializer: str,
    seed: int = 0,
    *,
    sigma: float = 0.05,
    batch_norm: bool = False,
    num_inputs: int = 64,
    num_classes: int = 10,
) -> keras.Sequential:
    """The gradient-lab MLP: 64 inputs → ``depth`` hidden layers → softmax over 10.

    Without batch normalisation a hidden layer is ``Dense(width, activation)``.
    With it, the layer is ``Dense(width)`` → ``BatchNormalization`` →
    ``Activation``: the normalisation sits between the affine map and the
    nonlinearity, as in Ioffe & Szegedy (2015) and d2l. Its ``momentum`` is
    0.9 rather than Keras' 0.99 so that the moving statistics used at
    validation keep up within a short lesson-sized run.

    Every Dense layer, the softmax output layer included, uses the chosen
    initializer (seeded per layer by :func:`layer_seed`); biases start at 0.

    Example:
        >>> model = build_mlp("relu", 3, 8, "he_normal")
        >>> [layer.name.split("_")[0] for layer in model.layers]
        ['hidden', 'hidden', 'hidden', 'output']
    """
    _check_mlp_args(activation, depth, width, initializer, sigma)
    act = _dense_activation(activation)
    layers: list[Any] = [keras.Input((num_inputs,))]
    for i in range(depth):
        init = make_initializer(initializer, layer_seed(seed, i), sigma)
        name = f"hidden_{i + 1}"
        if not batch_norm:
            layers.append(
                keras.layers.Dense(
                    width, activation=act, kernel_initializer=init, name=name
                )
            )
            continue
        layers += [
            keras.layers.Dense(width, kernel_initializer=init, name=name),
            keras.layers.BatchNormalization(
                momentum=BN_MOMENTUM, name=f"batch_norm_{i + 1}"
            ),
            keras.layers.Activation(act, name=f"activation_{i + 1}"),
        ]
    init = make_initializer(initializer, layer_seed(seed, depth), sigma)
    layers.append(
        keras.layers.Dense(
            num_classes, activation="softmax", kernel_initializer=init, name="output"
        )
    )
    return keras.Sequential(layers, name=f"mlp_{get_spec(activation).name}_{depth}")


@dataclasses.dataclass(frozen=True)
class GradientProbe:
    """Per-layer statistics of one forward/backward pass at initialisation.

    Attributes:
        table: One row per hidden layer (see :func:`gradient_flow`).
        samples: Layer number (1 = nearest the input) -> a subsample of that
            layer's activations (outputs of its activation function), for
            histograms.
    """

    table: pd.DataFrame
    samples: dict[int, np.ndarray]


def probe_model(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    *,
    max_samples: int = 2000,
    seed: int = 0,
) -> GradientProbe:
    """Gradient norms and activation statistics of a :func:`build_mlp` model.

    One forward pass layer by layer (batch-norm layers in training mode, as in
    a training step) records each hidden layer's pre-activation ``z``
    and activation ``a = f(z)``; one backward pass gives ``∂L/∂W`` for every
    kernel, with ``L`` the mean sparse categorical crossentropy. ``f'(z)`` is
    taken by autodiff of the layer's own activation function.

    The gradients are Keras' float32 values; their norms are taken in float64
    (squaring a float32 entry of 1e-20 would underflow to 0 and make a tiny
    but non-zero gradient look like none). Where a kernel's float32 gradient
    is exactly 0 in every entry, or not finite, the same network is probed
    once more in float64 (:func:`float64_grad_norms`): ``grad_norm_f64`` then
    holds every layer's float64 norm and ``underflow`` marks the layers whose
    float32 gradient rounded to 0 although the true one is not 0 (on the way
    back the signal fell below ``FLOAT32_TINY`` and TensorFlow flushed it to 0).

    Columns of ``table``: ``layer``, ``grad_norm`` (L2 norm of ``∂L/∂W``),
    ``bias_grad_norm``, ``activation_mean``, ``activation_std``,
    ``dead_fraction`` (units whose ``f'(z)`` is exactly 0 on every sample: they
    pass no gradient at all; for ReLU, output 0 on every sample),
    ``saturated_fraction`` (other units with ``|f'(z)| <`` 0.01 and
    ``f(z) != 0`` on most samples, e.g. sigmoid/tanh pushed into their flat
    tails; far enough out, ``f'`` rounds to exactly 0 in float32, so exact
    zeros count too, except where the unit is simply off: ReLU's ``f(z) = 0``
    side is not saturation),
    ``mean_abs_slope`` (mean ``|f'(z)|``), ``grad_norm_f64`` (NaN when no
    float64 pass was needed), ``underflow`` and ``overflow`` (float32 gives
    ∞/NaN where float64 is finite).
    """
    rows, samples, kernel_grads, bias_grads, loss = _forward_backward(
        model, x, y, max_samples=max_samples, seed=seed
    )
    for row, kernel_grad, bias_grad in zip(rows, kernel_grads, bias_grads, strict=True):
        row["grad_norm"] = _norm(kernel_grad)
        row["bias_grad_norm"] = _norm(bias_grad)
    table = pd.DataFrame(rows)
    table.insert(0, "layer", np.arange(1, len(rows) + 1))
    order = [
        "layer",
        "grad_norm",
        "bias_grad_norm",
        "activation_mean",
        "activation_std",
    ]
    table = table[order + [c for c in table.columns if c not in order]]
    norms = table["grad_norm"].to_numpy()
    lost = (norms == 0) | ~np.isfinite(norms)
    exact = (
        float64_grad_norms(model, x, y) if lost.any() else np.full(len(norms), np.nan)
    )
    table["grad_norm_f64"] = exact
    finite = np.isfinite(exact)
    with np.errstate(invalid="ignore"):
        table["underflow"] = (norms == 0) & finite & (exact > 0)
    table["overflow"] = ~np.isfinite(norms) & finite
    table.attrs["loss"] = float(loss)
    return GradientProbe(table=table, samples=samples)


#: The smallest normal float32 number: TensorFlow flushes smaller results to 0.
FLOAT32_TINY = float(np.finfo(np.float32).tiny)


def _norm(value: Any) -> float:
    """The L2 norm in float64 (0.0 for a missing gradient)."""
    if value is None:
        return 0.0
    with np.errstate(over="ignore", invalid="ignore"):  # ∞/NaN stay ∞/NaN
        return float(np.linalg.norm(np.asarray(value, np.float64).ravel()))


def _forward_backward(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    *,
    max_samples: int = 2000,
    seed: int = 0,
    stats: bool = True,
) -> tuple[list[dict[str, float]], dict[int, np.ndarray], list, list, Any]:
    """One probe pass in the model's own dtype: per-layer stats and gradients."""
    hidden = [layer for layer in model.layers if layer.name.startswith("hidden_")]
    dtype = keras.backend.standardize_dtype(hidden[0].kernel.dtype)
    x_t = tf.constant(np.asarray(x), dtype=dtype)
    has_bn = any(isinstance(layer, keras.layers.Activation) for layer in model.layers)
    rows, samples = [], {}
    rng = np.random.default_rng(seed)
    with tf.GradientTape() as tape:
        h = x_t
        for layer in model.layers:
            if layer in hidden and not has_bn:
                z = tf.matmul(h, layer.kernel) + layer.bias  # Dense without BN
            elif isinstance(layer, keras.layers.Activation):
                z = h  # Dense -> BatchNormalization -> here
            else:
                h = layer(h, training=True)
                continue
            if not stats:
                h = layer.activation(z)
                rows.append({})
                continue
            with tf.GradientTape() as inner:
                inner.watch(z)
                h = layer.activation(z)
            slope = inner.gradient(h, z)
            slope = tf.zeros_like(z) if slope is None else slope
            rows.append(_layer_stats(h.numpy(), np.abs(slope.numpy())))
            values = h.numpy().ravel()
            if values.size > max_samples:
                values = rng.choice(values, max_samples, replace=False)
            samples[len(rows)] = values
        loss_dtype = None if dtype == "float32" else dtype
        loss = keras.losses.SparseCategoricalCrossentropy(dtype=loss_dtype)(y, h)
    variables = [v for layer in hidden for v in (layer.kernel, layer.bias)]
    grads = tape.gradient(loss, variables)
    return rows, samples, grads[0::2], grads[1::2], loss


def _float64_layer(layer: Any) -> Any:
    """A float64 copy (same settings, no weights yet) of a :func:`build_mlp` layer."""
    if isinstance(layer, keras.layers.Dense):
        return keras.layers.Dense(
            layer.units, activation=layer.activation, dtype="float64", name=layer.name
        )
    if isinstance(layer, keras.layers.BatchNormalization):
        return keras.layers.BatchNormalization(
            momentum=layer.momentum,
            epsilon=layer.epsilon,
            dtype="float64",
            name=layer.name,
        )
    if isinstance(layer, keras.layers.Activation):
        return keras.layers.Activation(
            layer.activation, dtype="float64", name=layer.name
        )
    raise ValueError(f"float64 copy of a {type(layer).__name__} layer is not supported")


def float64_grad_norms(model: keras.Model, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``‖∂L/∂W‖`` of every hidden layer of a :func:`build_mlp` model, in float64.

    The same network (its float32 weights, exactly) and the same inputs,
    computed by Keras in float64, whose range reaches down to about 1e-308:
    the gradients that float32 rounds to 0 in a deep vanishing network, or
    that overflow to ∞, get their true size.

    Example:
        >>> model = build_mlp("relu", 2, 4, "he_normal")
        >>> x, y = np.ones((3, 64), np.float32), np.array([0, 1, 2])
        >>> f32 = probe_model(model, x, y).table["grad_norm"].to_numpy()
        >>> bool(np.allclose(float64_grad_norms(model, x, y), f32, rtol=1e-5))
        True
    """
    copy = keras.Sequential(
        [keras.Input(model.input_shape[1:], dtype="float64")]
        + [_float64_layer(layer) for layer in model.layers],
        name=f"{model.name}_float64",
    )
    copy.set_weights([np.asarray(w, np.float64) for w in model.get_weights()])
    _, _, kernel_grads, _, _ = _forward_backward(
        copy, np.asarray(x, np.float64), y, stats=False
    )
    return np.array([_norm(grad) for grad in kernel_grads])


def _layer_stats(a: np.ndarray, slope: np.ndarray) -> dict[str, float]:
    with np.errstate(over="ignore", invalid="ignore"):  # ∞/NaN stay visible
        return _unit_stats(a, slope)


def _unit_stats(a: np.ndarray, slope: np.ndarray) -> dict[str, float]:
    dead = np.all(slope == 0.0, axis=0)
    small = (slope < SATURATED_SLOPE) & (a != 0.0)  # flat, but not switched off
    saturated = (small.mean(axis=0) > 0.5) & ~dead
    return {
        "activation_mean": float(a.mean()),
        "activation_std": float(a.std()),
        "dead_fraction": float(dead.mean()),
        "saturated_fraction": float(saturated.mean()),
        "mean_abs_slope": float(slope.mean()),
    }


def probe_gradient_flow(
    activation: str,
    depth: int,
    width: int,
    initializer: str,
    seed: int = 0,
    *,
    sigma: float = 0.05,
    batch_norm: bool = False,
    num_samples: int = 256,
) -> GradientProbe:
    """Build the MLP and probe it on ``num_samples`` training digits (one pass).

    Returns both the per-layer table and activation samples; see
    :func:`probe_model`. :func:`gradient_flow` and :func:`activation_samples`
    return one part each.
    """
    _check_mlp_args(activation, depth, width, initializer, sigma)
    x_train, y_train, _, _ = digits_flat(seed)
    if not (
        isinstance(num_samples, (int, np.integer)) and 1 <= num_samples <= len(x_train)
    ):
        raise ValueError(
            f"num_samples must be an integer between 1 and {len(x_train)}, "
            f"got {num_samples!r}"
        )
    model = build_mlp(
        activation, depth, width, initializer, seed, sigma=sigma, batch_norm=batch_norm
    )
    return probe_model(model, x_train[:num_samples], y_train[:num_samples], seed=seed)


def gradient_flow(
    activation: str,
    depth: int,
    width: int,
    initializer: str,
    seed: int = 0,
    *,
    sigma: float = 0.05,
    batch_norm: bool = False,
    num_samples: int = 256,
) -> pd.DataFrame:
    """Per-layer gradient norms and activation statistics at initialisation.

    The model is :func:`build_mlp` (64 digit pixels → ``depth`` hidden
    layers → softmax over 10 classes); the loss is the sparse categorical
    crossentropy on the first ``num_samples`` training digits of
    ``datasets.load("digits", seed=seed)``.

    Returns:
        One row per hidden layer, layer 1 nearest the input, with columns
        ``layer, grad_norm, bias_grad_norm, activation_mean, activation_std,
        dead_fraction, saturated_fraction, mean_abs_slope`` (see
        :func:`probe_model`).

    Example:
        >>> table = gradient_flow("relu", 3, 16, "he_normal")
        >>> table["layer"].tolist(), bool((table["grad_norm"] > 0).all())
        ([1, 2, 3], True)
    """
    return probe_gradient_flow(
        activation,
        depth,
        width,
        initializer,
        seed,
        sigma=sigma,
        batch_norm=batch_norm,
        num_samples=num_samples,
    ).table


#: The gradient picture counts as healthy while the first hidden layer's
#: gradient norm is within this factor of the last hidden layer's.
FLOW_RATIO = 30.0


def true_norms(table: pd.DataFrame | Mapping[str, Sequence[Any]]) -> np.ndarray:
    """Per-layer gradient norms with float32's underflow undone.

    ``grad_norm`` (float32, what Keras trains with), except where it is 0 and
    a float64 probe (``grad_norm_f64``) gives the true, non-zero value. An
    overflow (∞/NaN in float32) stays: training in float32 cannot use it.

    Example:
        >>> true_norms({"grad_norm": [0.0, 0.1], "grad_norm_f64": [1e-50, 0.1]})
        array([1.e-50, 1.e-01])
    """
    grads = np.asarray(table["grad_norm"], np.float64)
    if "grad_norm_f64" not in table:
        return grads
    exact = np.asarray(table["grad_norm_f64"], np.float64)
    lost = (grads == 0) & np.isfinite(exact)
    return np.where(lost, exact, grads)


def lost_layers(
    table: pd.DataFrame | Mapping[str, Sequence[Any]], column: str = "underflow"
) -> list[int]:
    """The layer numbers flagged in ``column`` (``underflow`` or ``overflow``).

    Example:
        >>> lost_layers({"layer": [1, 2, 3], "underflow": [True, True, False]})
        [1, 2]
    """
    if column not in table:
        return []
    flags = np.asarray(table[column], bool)
    layers = np.asarray(table["layer"], int)
    return [int(n) for n in layers[flags]]


def flow_verdict(table: pd.DataFrame | Mapping[str, Sequence[float]]) -> str:
    """Classify a :func:`gradient_flow` table: what will training do?

    Judged on :func:`true_norms` (a float32 gradient that underflowed to 0
    counts with its float64 size; one that overflowed to ∞/NaN is exploding).

    Returns:
        ``"zero"`` (every hidden gradient is exactly 0: symmetric weights),
        ``"vanishing"`` (first/last gradient-norm ratio below ``1/FLOW_RATIO``),
        ``"exploding"`` (above ``FLOW_RATIO``, or a non-finite gradient) or
        ``"healthy"``.

    Example:
        >>> verdict = flow_verdict
        >>> verdict({"grad_norm": [1e-9, 0.1]}), verdict({"grad_norm": [0.2, 0.1]})
        ('vanishing', 'healthy')
    """
    grads = true_norms(table)
    if not np.all(np.isfinite(grads)):
        return "exploding"
    if np.all(grads == 0):
        return "zero"
    first, last = grads[0], grads[-1]
    if first == 0 or (last > 0 and first / last < 1 / FLOW_RATIO):
        return "vanishing"
    if last == 0 or first / last > FLOW_RATIO:
        return "exploding"
    return "healthy"


def flow_summary(table: pd.DataFrame) -> dict[str, Any]:
    """Headline numbers of a :func:`gradient_flow` table.

    Returns:
        ``grad_ratio`` (first / last hidden-layer gradient norm of
        :func:`true_norms`: when float32 rounds the first layer's gradient to
        0, the float64 one; NaN when the last is 0 or a float32 norm is not
        finite),
        ``grad_ratio_f32`` (the same ratio of the float32 norms),
        ``underflow`` and ``overflow`` (layer numbers, :func:`lost_layers`),
        ``loss`` (at the probe), ``dead`` and ``saturated`` (mean fractions
        over layers) and ``verdict`` (:func:`flow_verdict`).

    Example:
        >>> table = pd.DataFrame({"grad_norm": [1e-6, 1e-2], "dead_fraction": [0, 0.5],
        ...                       "saturated_fraction": [0.0, 0.0]})
        >>> s = flow_summary(table)
        >>> round(s["grad_ratio"], 6), s["dead"], s["verdict"], s["underflow"]
        (0.0001, 0.25, 'vanishing', [])
    """
    return {
        "grad_ratio": _ratio(true_norms(table)),
        "grad_ratio_f32": _ratio(np.asarray(table["grad_norm"], np.float64)),
        "underflow": lost_layers(table, "underflow"),
        "overflow": lost_layers(table, "overflow"),
        "loss": float(getattr(table, "attrs", {}).get("loss", np.nan)),
        "dead": float(np.mean(table["dead_fraction"])),
        "saturated": float(np.mean(table["saturated_fraction"])),
        "verdict": flow_verdict(table),
    }


def _ratio(grads: np.ndarray) -> float:
    """First / last; NaN when the last is 0 or either is not finite."""
    first, last = float(grads[0]), float(grads[-1])
    if not (np.isfinite(first) and np.isfinite(last)) or last <= 0:
        return float("nan")
    return first / last


def activation_samples(
    activation: str,
    depth: int,
    width: int,
    initializer: str,
    seed: int = 0,
    *,
    sigma: float = 0.05,
    batch_norm: bool = False,
    num_samples: int = 256,
) -> dict[int, np.ndarray]:
    """Layer number -> subsampled activations (≤ 2000 values), for histograms."""
    return probe_gradient_flow(
        activation,
        depth,
        width,
        initializer,
        seed,
        sigma=sigma,
        batch_norm=batch_norm,
        num_samples=num_samples,
    ).samples
