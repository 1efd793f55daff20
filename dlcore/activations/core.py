"""Activation functions (激活函数): every elementwise Keras activation, measured.

The pure computations of the topic, in the order a lesson meets them:

1. **The registry** :data:`ACTIVATIONS`: each elementwise function of
   ``keras.activations`` with its parameters (slider specs) and its formula in
   LaTeX. :func:`evaluate` returns ``f(x)`` computed *by Keras itself* and
   ``f'(x)`` computed by automatic differentiation (``tf.GradientTape``), so
   nothing here is a hand-written copy that could drift from Keras. At a kink
   (ReLU at 0, …) the derivative is whatever TensorFlow's autodiff picks.
2. **Properties** (:func:`properties`): range, zero-centredness,
   monotonicity, saturation and the largest slope, *measured* on a grid rather
   than typed in, plus numerical checks of identities (:func:`identity_table`).
3. **Softmax** with temperature, and why every library subtracts the maximum
   logit first (:func:`naive_softmax` overflows, :func:`stable_softmax` does not).

Gradient flow through a deep MLP is in :mod:`dlcore.activations.flow`, the
training task in :mod:`dlcore.activations.tasks`.

``softmax``, ``log_softmax``, ``sparsemax`` and ``glu`` are not in the registry:
they mix the entries of a vector, so they have no scalar graph ``y = f(x)``.

Example:
    >>> y, dy = evaluate("sigmoid", [0.0])
    >>> float(y[0]), float(dy[0])
    (0.5, 0.25)
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from dlcore import runtime  # configures TF
from dlcore.blocks import ParamSpec, resolve_params

tf = runtime.tf()
import keras  # noqa: E402

# ----------------------------------------------------------------------------
# 1. The registry
# ----------------------------------------------------------------------------

#: SELU's constants as TensorFlow's ``tf.nn.selu`` uses them
#: (Klambauer et al., 2017, https://arxiv.org/abs/1706.02515).
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
#: The tanh approximation of GELU, as in ``tf.nn.gelu(approximate=True)``:
#: ``sqrt(2 / pi)`` and the cubic coefficient.
GELU_SQRT_2_OVER_PI = 0.7978845608028654
GELU_CUBIC = 0.044715


@dataclasses.dataclass(frozen=True)
class ActivationSpec:
    """An elementwise Keras activation: its parameters and its formula.

    Attributes:
        name: The ``keras.activations`` function name.
        params: Keyword parameters of the Keras function, as slider specs.
        latex: The formula, exactly as Keras / TensorFlow computes it.
        family: ``"relu"`` (piecewise linear), ``"smooth"`` (smooth ReLU-like),
            ``"sigmoid"`` (S-shaped, bounded) or ``"other"``; for grouping.
        aliases: Other names Keras accepts for the same function.
        latex_alt: A second formula selected by a boolean parameter
            (GELU's ``approximate=True``).
    """

    name: str
    params: tuple[ParamSpec, ...]
    latex: str
    family: str
    aliases: tuple[str, ...] = ()
    latex_alt: tuple[str, str] | None = None  # (bool parameter, formula if True)

    @property
    def defaults(self) -> dict[str, float | bool]:
        """The default value of every parameter."""
        return {p.name: p.default for p in self.params}


def _spec(name, latex, family, *params, aliases=(), latex_alt=None) -> ActivationSpec:
    return ActivationSpec(name, tuple(params), latex, family, aliases, latex_alt)


_SLOPE = ParamSpec("negative_slope", 0.2, 0.0, 1.0, 0.01, r"\alpha")
_ALPHA = ParamSpec("alpha", 1.0, 0.1, 3.0, 0.1, r"\alpha")
_SHRINK = ParamSpec("threshold", 0.5, 0.0, 3.0, 0.1, r"\lambda")
_SIGMA = r"\sigma(x) = \frac{1}{1 + e^{-x}}"

ACTIVATIONS: dict[str, ActivationSpec] = {
    spec.name: spec
    for spec in (
        _spec("relu", r"f(x) = \max(0, x)", "relu"),
        _spec("relu6", r"f(x) = \min(\max(0, x), 6)", "relu"),
        _spec(
            "leaky_relu",
            r"f(x) = \begin{cases} x & x \ge 0 \\ \alpha x & x < 0 \end{cases}",
            "relu",
            _SLOPE,
        ),
        _spec(
            "elu",
            r"f(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0"
            r" \end{cases}",
            "smooth",
            _ALPHA,
        ),
        _spec(
            "selu",
            r"f(x) = \lambda \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0"
            r" \end{cases},\ \lambda \approx 1.0507009874,\ \alpha \approx"
            r" 1.6732632424",
            "smooth",
        ),
        _spec(
            "celu",
            r"f(x) = \max(0, x) + \alpha\,\bigl(e^{\min(0, x)/\alpha} - 1\bigr)",
            "smooth",
            _ALPHA,
        ),
        _spec(
            "gelu",
            r"f(x) = x\,\Phi(x) = \tfrac{1}{2}\,x\,\Bigl(1 + \operatorname{erf}"
            r"\bigl(x / \sqrt{2}\bigr)\Bigr)",
            "smooth",
            ParamSpec("approximate", False),
            latex_alt=(
                "approximate",
                r"f(x) = \tfrac{1}{2}\,x\,\Bigl(1 + \tanh\Bigl(\sqrt{2/\pi}\,"
                r"\bigl(x + 0.044715\,x^{3}\bigr)\Bigr)\Bigr)",
            ),
        ),
        _spec(
            "silu", rf"f(x) = x\,\sigma(x),\quad {_SIGMA}", "smooth", aliases=("swish",)
        ),
        _spec(
            "hard_silu",
            r"f(x) = x \cdot \frac{\min(\max(0, x + 3), 6)}{6}",
            "relu",
            aliases=("hard_swish",),
        ),
        _spec("mish", r"f(x) = x \tanh\bigl(\ln(1 + e^{x})\bigr)", "smooth"),
        _spec("softplus", r"f(x) = \ln(1 + e^{x})", "smooth"),
        _spec(
            "squareplus",
            r"f(x) = \frac{x + \sqrt{x^{2} + b}}{2}",
            "smooth",
            ParamSpec("b", 4.0, 0.1, 10.0, 0.1, "b"),
        ),
        _spec(
            "sparse_plus",
            r"f(x) = \begin{cases} 0 & x \le -1 \\ \tfrac{1}{4}(x + 1)^{2} & -1 < x < 1"
            r" \\ x & x \ge 1 \end{cases}",
            "smooth",
        ),
        _spec("softsign", r"f(x) = \frac{x}{1 + |x|}", "sigmoid"),
        _spec("sigmoid", r"f(x) = \sigma(x) = \frac{1}{1 + e^{-x}}", "sigmoid"),
        _spec(
            "hard_sigmoid",
            r"f(x) = \frac{\operatorname{relu6}(x + 3)}{6} = \frac{\min(\max(0, x + 3),"
            r" 6)}{6}",
            "sigmoid",
        ),
        _spec(
            "sparse_sigmoid",
            r"f(x) = \begin{cases} 0 & x \le -1 \\ \tfrac{1}{2}(x + 1) & -1 < x < 1"
            r" \\ 1 & x \ge 1 \end{cases}",
            "sigmoid",
        ),
        _spec(
            "log_sigmoid",
            r"f(x) = \ln \sigma(x) = -\ln(1 + e^{-x})",
            "sigmoid",
        ),
        _spec(
            "tanh",
            r"f(x) = \tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}"
            r" = 2\sigma(2x) - 1",
            "sigmoid",
        ),
        _spec("hard_tanh", r"f(x) = \min(\max(x, -1), 1)", "sigmoid"),
        _spec("tanh_shrink", r"f(x) = x - \tanh(x)", "other"),
        _spec(
            "soft_shrink",
            r"f(x) = \begin{cases} x - \lambda & x > \lambda \\ x + \lambda & x <"
            r" -\lambda \\ 0 & \text{otherwise} \end{cases}",
            "other",
            _SHRINK,
        ),
        _spec(
            "hard_shrink",
            r"f(x) = \begin{cases} x & |x| > \lambda \\ 0 & \text{otherwise}"
            r" \end{cases}",
            "other",
            _SHRINK,
        ),
        _spec(
            "threshold",
            r"f(x) = \begin{cases} x & x > \theta \\ v & \text{otherwise} \end{cases}",
            "relu",
            ParamSpec("threshold", 0.0, -3.0, 3.0, 0.1, r"\theta"),
            ParamSpec("default_value", 0.0, -3.0, 3.0, 0.1, "v"),
        ),
        _spec("linear", r"f(x) = x", "other"),
        _spec("exponential", r"f(x) = e^{x}", "other"),
    )
}

_ALIASES: dict[str, str] = {
    alias: spec.name for spec in ACTIVATIONS.values() for alias in spec.aliases
}


def get_spec(name: str) -> ActivationSpec:
    """The :class:`ActivationSpec` of ``name`` (aliases such as ``"swish"`` work).

    Raises:
        ValueError: ``name`` is not an elementwise Keras activation.
    """
    if not isinstance(name, str):
        raise ValueError(f"Activation name must be a string, got {name!r}")
    key = _ALIASES.get(name, name)
    if key not in ACTIVATIONS:
        hint = ""
        if name in ("softmax", "log_softmax", "sparsemax", "glu"):
            hint = f" ({name} is not elementwise; see dlcore.activations.softmax)"
        raise ValueError(
            f"Unknown activation {name!r}; expected one of {sorted(ACTIVATIONS)}{hint}"
        )
    return ACTIVATIONS[key]


def formula(name: str, **params: Any) -> str:
    r"""The LaTeX formula of ``name`` for these parameter values.

    Example:
        >>> formula("relu")
        'f(x) = \\max(0, x)'
    """
    spec = get_spec(name)
    values = resolve_params(spec.name, spec.params, params)
    if spec.latex_alt and values[spec.latex_alt[0]]:
        return spec.latex_alt[1]
    return spec.latex


def formula_with_values(name: str, **params: Any) -> str:
    r""":func:`formula`, followed by the values of its numeric parameters.

    Example:
        >>> formula_with_values("leaky_relu", negative_slope=0.05).endswith(
        ...     r"\quad \alpha = 0.05")
        True
    """
    spec = get_spec(name)
    values = resolve_params(spec.name, spec.params, params)
    shown = [f"{p.symbol} = {values[p.name]:g}" for p in spec.params if not p.is_bool]
    text = formula(spec.name, **values)
    return text + (r",\quad " + r",\ ".join(shown) if shown else "")


def keras_function(name: str, **params: Any) -> Callable[[Any], Any]:
    """``keras.activations.<name>`` with ``params`` bound (validated).

    Example:
        >>> f = keras_function("leaky_relu", negative_slope=0.1)
        >>> round(float(keras.ops.convert_to_numpy(f(-1.0))), 6)
        -0.1
    """
    spec = get_spec(name)
    values = resolve_params(spec.name, spec.params, params)
    function = getattr(keras.activations, spec.name)
    return functools.partial(function, **values) if values else function


def evaluate(
    name: str, x: Any, *, dtype: str = "float32", **params: Any
) -> tuple[np.ndarray, np.ndarray]:
    """``f(x)`` computed by ``keras.activations`` and ``f'(x)`` by autodiff.

    The derivative is not written by hand: ``tf.GradientTape`` differentiates
    the very Keras call that produced ``y``. Because the function is applied
    elementwise, the gradient of ``sum(y)`` with respect to ``x`` is exactly
    the vector of derivatives ``f'(x_i)``.

    Args:
        name: A key of :data:`ACTIVATIONS` (or an alias, e.g. ``"swish"``).
        x: Inputs (any shape).
        dtype: ``"float32"`` (Keras' default) or ``"float64"``.
        **params: Parameters of the activation, e.g. ``alpha=0.5``.

    Returns:
        ``(y, dy_dx)``, NumPy arrays shaped like ``x``.

    Raises:
        ValueError: unknown activation or parameter, or non-numeric ``x``.

    Example:
        >>> y, dy = evaluate("relu", [-1.0, 2.0])
        >>> y.tolist(), dy.tolist()
        ([0.0, 2.0], [0.0, 1.0])
    """
    function = keras_function(name, **params)
    if dtype not in ("float32", "float64"):
        raise ValueError(f"dtype must be 'float32' or 'float64', got {dtype!r}")
    try:
        array = np.asarray(x, dtype=dtype)
    except (TypeError, ValueError):
        raise ValueError(f"x must be numeric, got {x!r:.80}") from None
    x_t = tf.constant(array)
    with tf.GradientTape() as tape:
        tape.watch(x_t)
        y = function(x_t)
    dy = tape.gradient(y, x_t)
    if dy is None:  # an activation that ignores its input has zero slope
        dy = tf.zeros_like(x_t)
    return np.asarray(y.numpy(), dtype=dtype), np.asarray(dy.numpy(), dtype=dtype)


# ----------------------------------------------------------------------------
# 2. Properties, measured
# ----------------------------------------------------------------------------

#: The grid on which properties are measured: [-10, 10] in steps of 1/400, so
#: that every kink a parameter slider can produce (multiples of 0.01) is on it.
PROPERTY_GRID = np.arange(-4000, 4001) / 400.0
#: Where the limits x → ±∞ are probed.
TAIL = 1e12
#: A derivative below this at ±TAIL counts as saturated.
SATURATION_SLOPE = 1e-3
#: One-sided derivatives are taken at ``x ± KINK_EPS`` (left and right limits).
KINK_EPS = 1e-9


def _fmt(value: float) -> str:
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    text = f"{value:.4g}".replace("-", "−")
    return "0" if text == "−0" else text


def _is_half(value: float) -> bool:
    return abs(value * 2 - round(value * 2)) < 1e-9


def describe_set(
    left_ok: np.ndarray, right_ok: np.ndarray, grid: np.ndarray = PROPERTY_GRID
) -> str:
    """Describe where a condition on ``f'`` holds, as inequalities in ``x``.

    ``left_ok[k]`` / ``right_ok[k]`` tell whether the condition holds for the
    left / right limit of ``f'`` at ``grid[k]``. A point where both hold is
    inside the set; where only one side holds the set ends at a kink, so the
    inequality is strict. Runs reaching the end of the grid continue to ±∞.

    Example:
        >>> g = np.arange(-4, 5) / 2.0
        >>> describe_set(g <= 0, g < 0, g), describe_set(g > 0, g >= 0, g)
        ('x < 0', 'x > 0')
        >>> describe_set(g == 0, g == 0, g)
        'x = 0'
    """
    left_ok, right_ok = np.asarray(left_ok, bool), np.asarray(right_ok, bool)
    inside = left_ok & right_ok
    last = len(grid) - 1
    if inside.all():
        return "x ∈ ℝ"
    parts: list[tuple[float, str]] = []
    covered = np.zeros_like(inside)
    edges = np.flatnonzero(np.diff(np.r_[False, inside, False].astype(int)))
    for i, j in zip(edges[::2], edges[1::2] - 1, strict=True):
        covered[i : j + 1] = True
        lo = None if i == 0 else (">", i - 1) if right_ok[i - 1] else ("≥", i)
        hi = None if j == last else ("<", j + 1) if left_ok[j + 1] else ("≤", j)
        if lo is not None and lo[0] == ">":
            covered[i - 1] = True
        if hi is not None and hi[0] == "<":
            covered[j + 1] = True
        if i == j and lo == ("≥", i) and hi == ("≤", j):
            value = grid[i]
            text = f"x {'=' if _is_half(value) else '≈'} {_fmt(value)}"
        elif lo is None:
            text = f"x {hi[0]} {_fmt(grid[hi[1]])}"
        elif hi is None:
            text = f"x {lo[0]} {_fmt(grid[lo[1]])}"
        else:
            flipped = {">": "<", "≥": "≤"}[lo[0]]
            text = f"{_fmt(grid[lo[1]])} {flipped} x {hi[0]} {_fmt(grid[hi[1]])}"
        parts.append((grid[i], text))
    for k in np.flatnonzero((left_ok ^ right_ok) & ~covered):
        side = "⁻" if left_ok[k] else "⁺"
        parts.append((grid[k], f"x → {_fmt(grid[k])}{side}"))
    return ", ".join(text for _, text in sorted(parts)) or "—"


def _sign_changes(left: np.ndarray, right: np.ndarray, grid: np.ndarray) -> list[float]:
    """Where ``f'`` crosses zero (changes sign), by linear interpolation."""
    # Interleave the one-sided derivatives: ..., f'(x_k⁻), f'(x_k⁺), f'(x_k+1⁻), ...
    slope = np.stack([left, right], axis=1).ravel()
    where = np.stack([grid - KINK_EPS, grid + KINK_EPS], axis=1).ravel()
    k = np.flatnonzero(slope[:-1] * slope[1:] < 0)
    return [
        float(
            where[i] - slope[i] * (where[i + 1] - where[i]) / (slope[i + 1] - slope[i])
        )
        for i in k
    ]


def properties(name: str, **params: Any) -> dict[str, Any]:
    """Measure the shape of an activation numerically, in float64.

    Nothing here is typed in: the numbers come from :func:`evaluate` on
    :data:`PROPERTY_GRID` (values, and one-sided derivatives at ``x ± 1e-9``
    so that kinks are seen from both sides) and at ``x = ±TAIL`` (limits).

    * ``lower``/``upper``: the range (``±inf`` when unbounded); ``range`` shows
      it with ``[`` when the bound is attained and ``(`` when only approached.
    * ``zero_centred``: the mean output for standard-normal inputs is within
      0.05 of 0 (what the next layer sees when a layer's pre-activations are
      ~N(0, 1)).
    * ``monotonic``: ``f`` never decreases on the grid.
    * ``saturating``: ``"both"``, ``"left"``, ``"right"`` or ``"none"``, the
      sides where ``|f'| → 0`` (below :data:`SATURATION_SLOPE` at ±TAIL).
    * ``max_grad`` and ``max_grad_at``: the largest ``|f'|`` and where.
    * ``zero_grad_at``: where ``f' = 0`` (regions and isolated points).

    Example:
        >>> p = properties("sigmoid")
        >>> p["range"], p["max_grad"], p["max_grad_at"], p["saturating"]
        ('(0, 1)', 0.25, 'x = 0', 'both')
    """
    spec = get_spec(name)
    values = resolve_params(spec.name, spec.params, params)
    grid = PROPERTY_GRID
    y, _ = evaluate(spec.name, grid, dtype="float64", **values)
    _, left = evaluate(spec.name, grid - KINK_EPS, dtype="float64", **values)
    _, right = evaluate(spec.name, grid + KINK_EPS, dtype="float64", **values)
    y_tail, dy_tail = evaluate(spec.name, [-TAIL, TAIL], dtype="float64", **values)
    tails = np.where(np.abs(y_tail) > 1e3, np.copysign(np.inf, y_tail), y_tail)
    lower, upper = min(y.min(), tails.min()), max(y.max(), tails.max())
    lower_closed = bool(np.isfinite(lower) and y.min() <= lower + 1e-12)
    upper_closed = bool(np.isfinite(upper) and y.max() >= upper - 1e-12)
    span = (
        f"{'[' if lower_closed else '('}{_fmt(lower)}, "
        f"{_fmt(upper)}{']' if upper_closed else ')'}"
    )
    # Mean output for x ~ N(0, 1), by quadrature on the grid.
    weights = np.exp(-0.5 * grid**2)
    mean = float(np.sum(weights * y) / np.sum(weights))
    abs_left, abs_right = np.abs(left), np.abs(right)
    max_grad = float(max(abs_left.max(), abs_right.max()))
    tol = 1e-9 * max(1.0, max_grad)
    max_grad_at = describe_set(abs_left >= max_grad - tol, abs_right >= max_grad - tol)
    tail_slope = np.abs(dy_tail)
    if tail_slope.max() > max_grad + tol:
        max_grad = float(tail_slope.max())
        max_grad_at = "x → ∞" if tail_slope[1] >= tail_slope[0] else "x → −∞"
    left_flat, right_flat = tail_slope < SATURATION_SLOPE
    saturating = {(1, 1): "both", (1, 0): "left", (0, 1): "right"}.get(
        (int(left_flat), int(right_flat)), "none"
    )
    zero_parts = []
    if (left == 0).any() or (right == 0).any():
        zero_parts.append(describe_set(left == 0, right == 0))
    for root in _sign_changes(left, right, grid):
        nearest = round(root * 2) / 2
        exact = abs(root - nearest) < 1e-6
        zero_parts.append(
            f"x {'=' if exact else '≈'} {_fmt(nearest if exact else root)}"
        )
    return {
        "name": spec.name,
        "range": span,
        "lower": float(lower),
        "upper": float(upper),
        "zero_centred": abs(mean) < 0.05,
        "mean_output": mean,
        "monotonic": bool(np.all(np.diff(y) >= -1e-12)),
        "saturating": saturating,
        "max_grad": max_grad,
        "max_grad_at": max_grad_at,
        "zero_grad_at": ", ".join(zero_parts) or "—",
    }


def properties_table(
    names: Sequence[str] | None = None,
    params: Mapping[str, Mapping[str, Any]] | None = None,
) -> pd.DataFrame:
    """:func:`properties` of several activations, one row each.

    Args:
        names: Activation names (default: every one in :data:`ACTIVATIONS`).
        params: Optional parameters per name, e.g. ``{"elu": {"alpha": 0.5}}``;
            the others use their defaults.

    Example:
        >>> properties_table(["relu", "tanh"])["range"].tolist()
        ['[0, ∞)', '(−1, 1)']
        >>> properties_table(["leaky_relu"], {"leaky_relu": {"negative_slope": 0.0}})[
        ...     "range"].tolist()
        ['[0, ∞)']
    """
    names = list(ACTIVATIONS) if names is None else list(names)
    params = params or {}
    rows = [properties(n, **params.get(n, {})) for n in names]
    return pd.DataFrame(rows).set_index("name")


def _max_abs(a: Any, b: Any) -> float:
    return float(np.max(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64))))


def identity_table(x: Any) -> pd.DataFrame:
    r"""Check textbook identities numerically with Keras' own functions.

    Each row holds an identity (LaTeX), the largest absolute difference
    between its two sides over ``x`` (float32, as Keras computes by default)
    and whether it holds to 1e-5. Derivatives come from autodiff.

    Args:
        x: Points at which to compare (also used as the logits for softmax).

    Example:
        >>> table = identity_table(np.linspace(-5, 5, 11))
        >>> bool(table["holds"].all()), table.loc[0, "identity"]
        (True, '\\tanh(x) = 2\\sigma(2x) - 1')
    """
    x = np.asarray(x, np.float32).ravel()
    if x.size == 0 or not np.all(np.isfinite(x)):
        raise ValueError("x must be a non-empty array of finite numbers")
    act = keras.activations
    np_ = keras.ops.convert_to_numpy
    sig, tanh = np_(act.sigmoid(x)), np_(act.tanh(x))
    _, softplus_grad = evaluate("softplus", x)
    _, sigmoid_grad = evaluate("sigmoid", x)
    _, tanh_grad = evaluate("tanh", x)
    pairs = np.stack([x, np.zeros_like(x)], axis=-1)
    rows = [
        (r"\tanh(x) = 2\sigma(2x) - 1", tanh, 2 * np_(act.sigmoid(2 * x)) - 1),
        (r"\sigma(-x) = 1 - \sigma(x)", np_(act.sigmoid(-x)), 1 - sig),
        (r"\sigma'(x) = \sigma(x)\,(1 - \sigma(x))", sigmoid_grad, sig * (1 - sig)),
        (r"\tanh'(x) = 1 - \tanh^{2}(x)", tanh_grad, 1 - tanh**2),
        (r"\operatorname{softplus}'(x) = \sigma(x)", softplus_grad, sig),
        (r"\operatorname{silu}(x) = x\,\sigma(x)", np_(act.silu(x)), x * sig),
        (
            r"\ln\sigma(x) = -\operatorname{softplus}(-x)",
            np_(act.log_sigmoid(x)),
            -np_(act.softplus(-x)),
        ),
        (
            r"\operatorname{selu}(x) = \lambda\,\operatorname{elu}_{\alpha}(x)",
            np_(act.selu(x)),
            SELU_SCALE * np_(act.elu(x, alpha=SELU_ALPHA)),
        ),
        (
            r"\operatorname{hard\_silu}(x) = x\,\operatorname{hard\_sigmoid}(x)",
            np_(act.hard_silu(x)),
            x * np_(act.hard_sigmoid(x)),
        ),
        (
            r"\sigma(x) = \operatorname{softmax}([x, 0])_{1}",
            sig,
            np_(act.softmax(pairs))[:, 0],
        ),
        (
            r"\operatorname{softmax}(z + c) = \operatorname{softmax}(z),\ c = 10",
            np_(act.softmax(x + np.float32(10.0))),
            np_(act.softmax(x)),
        ),
    ]
    table = pd.DataFrame(
        [(text, _max_abs(a, b)) for text, a, b in rows],
        columns=["identity", "max_abs_diff"],
    )
    table["holds"] = table["max_abs_diff"] < 1e-5
    return table


def misconception_table(x: Any) -> pd.DataFrame:
    r"""Formulas students (and old libraries) get wrong, checked against Keras.

    Same columns as :func:`identity_table`; every row should *fail*
    (``holds`` is False): the left side is what Keras computes, the right
    side the wrong formula.

    * ``tanh(x) = 2σ(2x) / (1 + σ(2x))``: the right identity is ``2σ(2x) − 1``.
    * ``softmax(z)_i = (e^{z_i} / Σ_j e^{z_j})^{1/K}``: softmax has no ``1/K``
      power; its outputs already sum to 1.
    * ``hard_sigmoid(x) = clip(0.2x + 0.5, 0, 1)``: Keras 2's definition;
      Keras 3 uses ``relu6(x + 3) / 6``, i.e. slope 1/6.

    Example:
        >>> bool(misconception_table(np.linspace(-5, 5, 11))["holds"].any())
        False
    """
    x = np.asarray(x, np.float32).ravel()
    if x.size < 2 or not np.all(np.isfinite(x)):
        raise ValueError("x must hold at least 2 finite numbers")
    act = keras.activations
    np_ = keras.ops.convert_to_numpy
    sig2 = np_(act.sigmoid(2 * x)).astype(np.float64)
    probabilities = np_(act.softmax(x)).astype(np.float64)
    rows = [
        (
            r"\tanh(x) = \frac{2\sigma(2x)}{1 + \sigma(2x)}",
            np_(act.tanh(x)),
            2 * sig2 / (1 + sig2),
        ),
        (
            r"\operatorname{softmax}(z)_i = \Bigl(\frac{e^{z_i}}{\sum_{j=1}^{K}"
            r" e^{z_j}}\Bigr)^{1/K}",
            probabilities,
            probabilities ** (1 / x.size),
        ),
        (
            r"\operatorname{hard\_sigmoid}(x) = \min(\max(0.2x + 0.5, 0), 1)",
            np_(act.hard_sigmoid(x)),
            np.clip(0.2 * x.astype(np.float64) + 0.5, 0.0, 1.0),
        ),
    ]
    table = pd.DataFrame(
        [(text, _max_abs(a, b)) for text, a, b in rows],
        columns=["identity", "max_abs_diff"],
    )
    table["holds"] = table["max_abs_diff"] < 1e-5
    return table


# ----------------------------------------------------------------------------
# 3. Softmax and temperature
# ----------------------------------------------------------------------------


def _logits(logits: Any) -> np.ndarray:
    z = np.asarray(logits, dtype=np.float32)
    if z.ndim == 0 or z.shape[-1] < 2:
        raise ValueError(f"softmax needs at least 2 logits, got {np.shape(logits)}")
    return z


#: The logits box accepts this many numbers at most (bars stay readable).
MAX_LOGITS = 20


class LogitsError(ValueError):
    """Text that is not a list of logits.

    Attributes:
        reason: ``"count"`` (fewer than 2 or more than :data:`MAX_LOGITS`
            numbers), ``"number"`` (``token`` is not a number) or ``"finite"``
            (``token`` is NaN, infinite or beyond float32).
        token: The offending piece of text (``""`` for ``"count"``).
    """

    def __init__(self, reason: str, token: str = "") -> None:
        self.reason, self.token = reason, token
        messages = {
            "count": f"enter between 2 and {MAX_LOGITS} numbers",
            "number": f"{token!r} is not a number",
            "finite": f"{token!r} is not a finite float32 number",
        }
        super().__init__(messages[reason])


def parse_logits(text: str) -> np.ndarray:
    """Read logits typed by a student: numbers separated by commas or spaces.

    Brackets, Chinese commas (``，`` ``、``) and the minus sign ``−`` are
    accepted.

    Raises:
        LogitsError: with a ``reason`` the page translates.

    Example:
        >>> parse_logits("[2, 1，−0.5]").tolist()
        [2.0, 1.0, -0.5]
    """
    cleaned = str(text).replace("−", "-").strip().strip("[]()")
    tokens = [tok for tok in re.split(r"[,;，、；\s]+", cleaned) if tok]
    if not 2 <= len(tokens) <= MAX_LOGITS:
        raise LogitsError("count")
    values = []
    for token in tokens:
        try:
            value = float(token)
        except ValueError:
            raise LogitsError("number", token) from None
        if not math.isfinite(value) or abs(value) > float(np.finfo(np.float32).max):
            raise LogitsError("finite", token)
        values.append(value)
    return np.asarray(values, np.float32)


def softmax(logits: Any, temperature: float = 1.0) -> np.ndarray:
    """``keras.activations.softmax(logits / temperature)`` along the last axis.

    A high temperature flattens the distribution towards uniform (1/K each);
    a low one sharpens it towards the one-hot of the largest logit.

    Example:
        >>> softmax([1.0, 1.0, 1.0, 1.0]).tolist()
        [0.25, 0.25, 0.25, 0.25]
    """
    z = _logits(logits)
    if not (isinstance(temperature, (int, float)) and temperature > 0):
        raise ValueError(f"temperature must be a positive number, got {temperature!r}")
    scaled = z / np.float32(temperature)
    return keras.ops.convert_to_numpy(keras.activations.softmax(scaled))


def naive_softmax(logits: Any) -> np.ndarray:
    """``exp(z) / sum(exp(z))`` in float32, as written on the blackboard.

    ``exp`` overflows float32 above ``z ≈ 88.7``: the result is ``inf / inf``,
    i.e. ``nan`` (NumPy's warnings are silenced; the nan is the lesson).

    Example:
        >>> naive_softmax([1000.0, 0.0]).tolist()
        [nan, 0.0]
    """
    z = _logits(logits)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)
        return e / e.sum(axis=-1, keepdims=True)


def stable_softmax(logits: Any) -> np.ndarray:
    """``exp(z − max z) / sum(exp(z − max z))``: the same value, no overflow.

    Subtracting a constant changes nothing (softmax is shift invariant), and
    after subtracting the maximum every exponent is ≤ 0, so ``exp`` ≤ 1.

    Example:
        >>> stable_softmax([1000.0, 0.0]).tolist()
        [1.0, 0.0]
    """
    z = _logits(logits)
    with np.errstate(invalid="ignore"):  # ∞ − ∞ = NaN: shown, not warned
        e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_overflow_verdict(logits: Any) -> str:
    """Which of the naive, max-subtracted and Keras softmax came out finite.

    ``logits`` are the already scaled ``z / T`` (float32, as Keras gets them).

    Returns:
        ``"scaled_overflow"`` when ``z / T`` itself is not finite (it overflowed
        float32 before any softmax ran: no formula can help);
        ``"naive_only"`` when only the naive formula is NaN (the lesson: the
        max-subtracted version and Keras are fine); ``"none"`` when all three
        are finite; ``"all"`` when even the stable version and Keras are not.

    Example:
        >>> verdict = softmax_overflow_verdict
        >>> verdict([1000.0, 0.0]), verdict([1.0, 2.0])
        ('naive_only', 'none')
        >>> import numpy as np
        >>> softmax_overflow_verdict(np.float32([3.4e38, -3.4e38]) / np.float32(0.1))
        'scaled_overflow'
    """
    z = _logits(logits)
    if not np.isfinite(z).all():
        return "scaled_overflow"
    finite = {
        name: bool(np.isfinite(fn(z)).all())
        for name, fn in (
            ("naive", naive_softmax),
            ("stable", stable_softmax),
            ("keras", softmax),
        )
    }
    if all(finite.values()):
        return "none"
    if finite["stable"] and finite["keras"]:
        return "naive_only"
    return "all"


def softmax_overflow_table(logits: Any) -> pd.DataFrame:
    """The naive, stable and Keras softmax of ``logits`` side by side."""
    z = _logits(logits).ravel()
    return pd.DataFrame(
        {
            "logit": z,
            "naive": naive_softmax(z),
            "stable": stable_softmax(z),
            "keras": softmax(z),
        }
    )
