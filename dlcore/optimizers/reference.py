"""The NumPy reference rules: each displayed formula, line by line, in NumPy.

The tests run them next to Keras (:func:`dlcore.optimizers.trajectory`) and
demand the same path to 1e-5, so the LaTeX on the page is the update Keras
really applies.

>>> theta, grad = np.float32([1, 2]), np.float32([1, 1])
>>> numpy_step("momentum", theta, grad, {}, 1, learning_rate=0.5)
array([0.5, 1.5], dtype=float32)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from dlcore import runtime
from dlcore.optimizers import landscapes
from dlcore.optimizers.core import _split_kwargs
from dlcore.optimizers.registry import CLIPPING, get_spec, schedule_values

tf = runtime.tf()

# --- NumPy reference rules -----------------------------------------------------------
# Each rule is the displayed LaTeX, line by line, on float32 NumPy arrays. The
# tests run them next to Keras: same path to 1e-5. ``state`` holds the slots.


def numpy_sgd(theta, g, state, t, learning_rate, momentum=0.0, nesterov=False):
    """SGD: ``θ ← θ − ηg``; with momentum ``v ← βv − ηg; θ ← θ + v`` (Nesterov:
    ``θ ← θ + βv − ηg``)."""
    if momentum == 0:
        return theta - learning_rate * g
    v = state.get("v", np.zeros_like(theta))
    v = momentum * v - learning_rate * g
    state["v"] = v
    if nesterov:
        return theta + (momentum * v - learning_rate * g)
    return theta + v


def numpy_rmsprop(theta, g, state, t, learning_rate, rho, momentum, epsilon, centered):
    """RMSprop: ``s ← ρs + (1−ρ)g²; θ ← θ − ηg/√(s + ε)`` (+ centered, momentum)."""
    s = rho * state.get("s", np.zeros_like(theta)) + (1 - rho) * np.square(g)
    state["s"] = s
    if centered:
        g_bar = rho * state.get("g_bar", np.zeros_like(theta)) + (1 - rho) * g
        state["g_bar"] = g_bar
        increment = learning_rate * g / np.sqrt(s - np.square(g_bar) + epsilon)
    else:
        increment = learning_rate * g / np.sqrt(s + epsilon)
    if momentum > 0:
        m = momentum * state.get("m", np.zeros_like(theta)) + increment
        state["m"] = m
        return theta - m
    return theta - increment


def numpy_adagrad(
    theta, g, state, t, learning_rate, initial_accumulator_value, epsilon
):
    """Adagrad: ``s ← s + g² (s₀ = 0.1); θ ← θ − ηg/√(s + ε)``."""
    s = state.get("s", np.full_like(theta, initial_accumulator_value)) + np.square(g)
    state["s"] = s
    return theta - learning_rate * g / np.sqrt(s + epsilon)


def numpy_adadelta(theta, g, state, t, learning_rate, rho, epsilon):
    """Adadelta: ``s ← ρs + (1−ρ)g²; Δ = −√(d+ε)/√(s+ε)·g; d ← ρd + (1−ρ)Δ²;
    θ ← θ + ηΔ``."""
    s = rho * state.get("s", np.zeros_like(theta)) + (1 - rho) * np.square(g)
    d = state.get("d", np.zeros_like(theta))
    delta = -(np.sqrt(d + epsilon) * g) / np.sqrt(s + epsilon)
    state["s"], state["d"] = s, rho * d + (1 - rho) * np.square(delta)
    return theta + learning_rate * delta


def numpy_adam(
    theta, g, state, t, learning_rate, beta_1, beta_2, epsilon, amsgrad=False
):
    """Adam, Keras form: ``α = η√(1−β₂ᵗ)/(1−β₁ᵗ); θ ← θ − α·m/(√v + ε̂)``."""
    one = np.float32(1)
    alpha = (
        learning_rate
        * np.sqrt(one - np.float32(beta_2) ** t)
        / (one - np.float32(beta_1) ** t)
    )
    m = state.get("m", np.zeros_like(theta))
    v = state.get("v", np.zeros_like(theta))
    m = m + (g - m) * (1 - beta_1)
    v = v + (np.square(g) - v) * (1 - beta_2)
    state["m"], state["v"] = m, v
    if amsgrad:
        v = np.maximum(state.get("v_hat", np.zeros_like(theta)), v)
        state["v_hat"] = v
    return theta - m * alpha / (np.sqrt(v) + epsilon)


def numpy_adamw(theta, g, state, t, learning_rate, weight_decay, **adam):
    """AdamW: decoupled decay ``θ ← θ − ηλθ`` first, then the Adam step."""
    theta = theta - theta * weight_decay * learning_rate
    return numpy_adam(theta, g, state, t, learning_rate, **adam)


def numpy_nadam(theta, g, state, t, learning_rate, beta_1, beta_2, epsilon):
    """Nadam with Keras' momentum schedule ``μ_t = β₁(1 − ½·0.96ᵗ)``."""
    beta_1, beta_2, decay = np.float32(beta_1), np.float32(beta_2), np.float32(0.96)
    u_t = beta_1 * (1 - 0.5 * decay ** np.float32(t))
    u_t_1 = beta_1 * (1 - 0.5 * decay ** np.float32(t + 1))
    u_product = state.get("u_product", np.float32(1)) * u_t  # Π_t
    state["u_product"] = u_product
    m = state.get("m", np.zeros_like(theta))
    v = state.get("v", np.zeros_like(theta))
    m = m + (g - m) * (1 - beta_1)
    v = v + (np.square(g) - v) * (1 - beta_2)
    state["m"], state["v"] = m, v
    m_hat = u_t_1 * m / (1 - u_product * u_t_1) + (1 - u_t) * g / (1 - u_product)
    v_hat = v / (1 - np.float32(beta_2) ** np.float32(t))
    return theta - m_hat * learning_rate / (np.sqrt(v_hat) + epsilon)


def numpy_adamax(theta, g, state, t, learning_rate, beta_1, beta_2, epsilon):
    """Adamax: ``u ← max(β₂u, |g|); θ ← θ − ηm / ((1 − β₁ᵗ)(u + ε))``."""
    m = state.get("m", np.zeros_like(theta))
    m = m + (g - m) * (1 - beta_1)
    u = np.maximum(beta_2 * state.get("u", np.zeros_like(theta)), np.abs(g))
    state["m"], state["u"] = m, u
    return theta - learning_rate * m / (
        (1 - np.float32(beta_1) ** np.float32(t)) * (u + epsilon)
    )


def numpy_lion(theta, g, state, t, learning_rate, beta_1, beta_2):
    """Lion: ``θ ← θ − η·sign(β₁m + (1−β₁)g); m ← β₂m + (1−β₂)g``."""
    beta_1, beta_2 = np.float32(beta_1), np.float32(beta_2)  # Keras casts both
    m = state.get("m", np.zeros_like(theta))
    theta = theta - learning_rate * np.sign(m * beta_1 + g * (1 - beta_1))
    state["m"] = m * beta_2 + g * (1 - beta_2)
    return theta


NUMPY_RULES: dict[str, Callable[..., np.ndarray]] = {
    "SGD": numpy_sgd,
    "RMSprop": numpy_rmsprop,
    "Adagrad": numpy_adagrad,
    "Adadelta": numpy_adadelta,
    "Adam": numpy_adam,
    "AdamW": numpy_adamw,
    "Nadam": numpy_nadam,
    "Adamax": numpy_adamax,
    "Lion": numpy_lion,
}


def clip_gradient(
    g: np.ndarray, *, clipnorm=None, clipvalue=None, global_clipnorm=None
):
    """Keras' gradient clipping for one variable (norm first, as Keras checks)."""
    if clipnorm:
        return (
            g
            * np.float32(clipnorm)
            / np.maximum(np.linalg.norm(g), np.float32(clipnorm))
        )
    if global_clipnorm:
        norm = np.linalg.norm(g)
        return g * (global_clipnorm * min(1.0 / norm, 1.0 / global_clipnorm))
    if clipvalue:
        return np.clip(g, -clipvalue, clipvalue)
    return g


def numpy_step(
    optimizer: str,
    theta: np.ndarray,
    grad: np.ndarray,
    state: dict[str, np.ndarray],
    t: int,
    **hyperparams: Any,
) -> np.ndarray:
    """One update of ``optimizer`` in NumPy, as Keras does it (clipping included).

    Args:
        optimizer: A key of :data:`OPTIMIZERS`.
        theta, grad: Parameters and gradient (float32 arrays).
        state: The optimizer's slots, updated in place (start with ``{}``).
        t: The 1-based step number.
        **hyperparams: As for :func:`trajectory`; ``learning_rate`` is the rate
            of this step (a schedule's value at ``t − 1``).

    >>> theta, grad = np.float32([1, 2]), np.float32([1, 1])
    >>> numpy_step("sgd", theta, grad, {}, 1, learning_rate=0.5)
    array([0.5, 1.5], dtype=float32)
    """
    spec = get_spec(optimizer)
    clip = {
        k: hyperparams.pop(k) for k in [p.name for p in CLIPPING] if k in hyperparams
    }
    # Python floats, as Keras keeps them: ``(1 - beta_1)`` is then rounded to
    # float32 once, exactly where Keras rounds it. The rate is a float32 variable.
    hp = {
        k: v if isinstance(v, bool) else float(v)
        for k, v in {**spec.defaults, **hyperparams}.items()
    }
    hp["learning_rate"] = np.float32(hp["learning_rate"])
    grad = clip_gradient(np.asarray(grad, np.float32), **clip).astype(np.float32)
    return NUMPY_RULES[spec.keras_name](theta, grad, state, t, **hp).astype(np.float32)


def numpy_trajectory(
    optimizer: str,
    landscape: str,
    start: Sequence[float] | None = None,
    steps: int = 100,
    *,
    schedule: str | None = None,
    schedule_params: Mapping[str, Any] | None = None,
    **hyperparams: Any,
) -> np.ndarray:
    """:func:`trajectory` again, with :func:`numpy_step` instead of Keras.

    Gradients still come from ``tf.GradientTape`` on the TF landscape, so any
    difference to :func:`trajectory` lies in the update rule alone.
    """
    config = _split_kwargs(optimizer, landscape, hyperparams, schedule, schedule_params)
    land = config.landscape
    theta = np.asarray(land.start if start is None else start, np.float32).reshape(2)
    rates = run_rates = np.full(steps, config.hyperparams["learning_rate"], np.float32)
    if config.schedule is not None:
        run_rates = schedule_values(
            config.schedule,
            steps,
            learning_rate=float(rates[0]),
            **dict(config.schedule_params),
        )
    grad_fn = _gradient_function(land.name, tuple(config.landscape_params.items()))
    state: dict[str, np.ndarray] = {}
    path = [theta]
    opt_hp = {k: v for k, v in config.hyperparams.items() if k != "learning_rate"}
    for t in range(1, steps + 1):
        g = grad_fn(tf.constant(theta)).numpy()
        theta = numpy_step(
            optimizer,
            theta,
            g,
            state,
            t,
            learning_rate=run_rates[t - 1],
            **opt_hp,
            **config.clipping,
        )
        path.append(theta)
    return np.stack(path)


@functools.lru_cache(maxsize=32)
def _gradient_function(name: str, params: tuple[tuple[str, float], ...]):
    fn = landscapes.get_landscape(name).fn

    @tf.function(input_signature=[tf.TensorSpec((2,), tf.float32)])
    def grad(theta):
        with tf.GradientTape() as tape:
            tape.watch(theta)
            loss = fn(theta[0], theta[1], **dict(params))
        return tape.gradient(loss, theta)

    return grad
