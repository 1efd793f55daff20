"""The loss registry and the curve explorer: what Keras computes (pure computations).

1. **The registry** :data:`LOSSES`: regression and classification losses of
   ``keras.losses`` with their parameters (slider specs) and formulas that
   match what Keras *actually* computes, including its clipping
   ``ε = keras.backend.epsilon() = 1e-7`` and quirks such as hinge turning 0/1
   labels into −1/+1. :func:`evaluate` calls the Keras loss object itself.
2. **Curves** (:func:`curve`): the loss and its derivative with respect to the
   prediction (by autodiff), for one target.

Example:
    >>> round(evaluate("mse", [0.0, 1.0], [1.0, 1.0]), 6)
    0.5
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from dlcore import runtime  # runtime configures TF first
from dlcore.blocks import ParamSpec, resolve_params
from dlcore.i18n import t

tf = runtime.tf()
import keras  # noqa: E402

EPSILON = 1e-7

# ----------------------------------------------------------------------------
# 1. The registry
# ----------------------------------------------------------------------------

KINDS: tuple[str, ...] = ("regression", "binary", "multiclass")


@dataclasses.dataclass(frozen=True)
class LossSpec:
    """A Keras loss: class, parameters, formula and what its inputs mean.

    Attributes:
        name: Short name (the ``keras.losses`` function name or its alias).
        keras_class: The ``keras.losses`` class ``evaluate`` instantiates.
        kind: ``"regression"``, ``"binary"`` or ``"multiclass"``.
        params: Constructor parameters of the class, as slider specs.
        latex: The per-sample formula (averaged over the batch by Keras).
        target: What ``y_true`` holds: ``"real"``, ``"label"`` (0/1),
            ``"sign"`` (0/1 or −1/+1), ``"one_hot"``, ``"index"``,
            ``"distribution"``, ``"count"``.
        prediction: What ``y_pred`` holds: ``"real"``, ``"probability"``
            (a logit when ``from_logits=True``), ``"distribution"``, ``"rate"``.
        latex_logits: The formula when ``from_logits=True``.
    """

    name: str
    keras_class: str
    kind: str
    params: tuple[ParamSpec, ...]
    latex: str
    target: str
    prediction: str
    latex_logits: str | None = None

    @property
    def per_class(self) -> bool:
        """True when one sample's target and prediction are vectors over classes."""
        return self.target in ("one_hot", "index", "distribution")

    @property
    def defaults(self) -> dict[str, float | bool]:
        """The default value of every parameter."""
        return {p.name: p.default for p in self.params}


_FROM_LOGITS = ParamSpec("from_logits", False)
_SMOOTHING = ParamSpec("label_smoothing", 0.0, 0.0, 0.5, 0.05, "s")
_MEAN = r"\frac{1}{n}\sum_{i=1}^{n}"
_CLIP = (
    r"\bar p = \operatorname{clip}(p, \varepsilon, 1 - \varepsilon),"
    r"\ \varepsilon = 10^{-7}"
)
_SMOOTH_BIN = r"\tilde y = y\,(1 - s) + \tfrac{s}{2}"


def _loss(*args: Any, latex_logits: str | None = None) -> LossSpec:
    name, cls, kind, params, latex, target, prediction = args
    return LossSpec(name, cls, kind, params, latex, target, prediction, latex_logits)


LOSSES: dict[str, LossSpec] = {
    spec.name: spec
    for spec in (
        _loss(
            "mse",
            "MeanSquaredError",
            "regression",
            (),
            rf"L = {_MEAN} (y_i - \hat y_i)^{{2}}",
            "real",
            "real",
        ),
        _loss(
            "mae",
            "MeanAbsoluteError",
            "regression",
            (),
            rf"L = {_MEAN} |y_i - \hat y_i|",
            "real",
            "real",
        ),
        _loss(
            "huber",
            "Huber",
            "regression",
            (ParamSpec("delta", 1.0, 0.1, 5.0, 0.1, r"\delta"),),
            rf"L = {_MEAN} \begin{{cases}} \tfrac{{1}}{{2}} e_i^{{2}} &"
            r" |e_i| \le \delta"
            r" \\ \delta\,|e_i| - \tfrac{1}{2}\delta^{2} & |e_i| > \delta"
            r" \end{cases},\ e_i = \hat y_i - y_i",
            "real",
            "real",
        ),
        _loss(
            "log_cosh",
            "LogCosh",
            "regression",
            (),
            rf"L = {_MEAN} \ln\cosh(\hat y_i - y_i)",
            "real",
            "real",
        ),
        _loss(
            "mape",
            "MeanAbsolutePercentageError",
            "regression",
            (),
            r"L = \frac{100}{n}\sum_{i=1}^{n} \frac{|y_i - \hat y_i|}"
            r"{\max(|y_i|, \varepsilon)},\ \varepsilon = 10^{-7}",
            "real",
            "real",
        ),
        _loss(
            "msle",
            "MeanSquaredLogarithmicError",
            "regression",
            (),
            rf"L = {_MEAN} \bigl(\ln(\max(\hat y_i, \varepsilon) + 1) - "
            r"\ln(\max(y_i, \varepsilon) + 1)\bigr)^{2},\ \varepsilon = 10^{-7}",
            "real",
            "real",
        ),
        _loss(
            "poisson",
            "Poisson",
            "regression",
            (),
            rf"L = {_MEAN} \bigl(\hat y_i - y_i \ln(\hat y_i + \varepsilon)\bigr),"
            r"\ \varepsilon = 10^{-7}",
            "count",
            "rate",
        ),
        _loss(
            "binary_crossentropy",
            "BinaryCrossentropy",
            "binary",
            (_FROM_LOGITS, _SMOOTHING),
            rf"L = -{_MEAN} \bigl[\tilde y_i \ln \bar p_i + (1 - \tilde y_i)"
            rf" \ln(1 - \bar p_i)\bigr],\ {_SMOOTH_BIN},\ {_CLIP}",
            "label",
            "probability",
            latex_logits=(
                rf"L = {_MEAN} \bigl[\max(z_i, 0) - z_i \tilde y_i"
                r" + \ln(1 + e^{-|z_i|})"
                rf"\bigr] \\ = -{_MEAN} \bigl[\tilde y_i \ln\sigma(z_i)"
                r" + (1 - \tilde y_i)"
                rf" \ln(1 - \sigma(z_i))\bigr],\ {_SMOOTH_BIN}"
            ),
        ),
        _loss(
            "binary_focal_crossentropy",
            "BinaryFocalCrossentropy",
            "binary",
            (
                ParamSpec("gamma", 2.0, 0.0, 5.0, 0.5, r"\gamma"),
                ParamSpec("apply_class_balancing", False),
                ParamSpec("alpha", 0.25, 0.0, 1.0, 0.05, r"\alpha"),
                _FROM_LOGITS,
                _SMOOTHING,
            ),
            rf"L = {_MEAN} w_i\,(1 - p_{{t,i}})^{{\gamma}}\,\mathrm{{BCE}}_i,\ "
            r"p_t = \tilde y p + (1 - \tilde y)(1 - p),\ "
            r"w = \begin{cases} \alpha \tilde y + (1 - \alpha)(1 - \tilde y) &"
            r" \text{class balancing} \\ 1 & \text{otherwise} \end{cases},\ "
            r"\mathrm{BCE} = -\tilde y \ln \bar p - (1 - \tilde y) \ln(1 - \bar p),\ "
            rf"{_SMOOTH_BIN},\ {_CLIP}",
            "label",
            "probability",
            latex_logits=(
                rf"p = \sigma(z),\ L = {_MEAN} w_i\,(1 - p_{{t,i}})^{{\gamma}}\,"
                r"\mathrm{BCE}_i,\ p_t = \tilde y p + (1 - \tilde y)(1 - p),\ "
                r"w = \begin{cases} \alpha \tilde y + (1 - \alpha)(1 - \tilde y) &"
                r" \text{class balancing} \\ 1 & \text{otherwise} \end{cases},\ "
                r"\mathrm{BCE} = -\tilde y \ln \bar p"
                r" - (1 - \tilde y) \ln(1 - \bar p),\ "
                rf"{_SMOOTH_BIN},\ {_CLIP}"
            ),
        ),
        _loss(
            "hinge",
            "Hinge",
            "binary",
            (),
            rf"L = {_MEAN} \max(0, 1 - \tilde y_i \hat y_i),\ \tilde y ="
            r" \begin{cases} 2y - 1 & \text{all labels in } \{0, 1\} \\ y &"
            r" \text{otherwise} \end{cases}",
            "sign",
            "real",
        ),
        _loss(
            "squared_hinge",
            "SquaredHinge",
            "binary",
            (),
            rf"L = {_MEAN} \max(0, 1 - \tilde y_i \hat y_i)^{{2}},\ \tilde y ="
            r" \begin{cases} 2y - 1 & \text{all labels in } \{0, 1\} \\ y &"
            r" \text{otherwise} \end{cases}",
            "sign",
            "real",
        ),
        _loss(
            "categorical_crossentropy",
            "CategoricalCrossentropy",
            "multiclass",
            (_FROM_LOGITS, _SMOOTHING),
            r"L = -\sum_{k=1}^{K} \tilde y_k \ln \bar p_k,\ \bar p_k ="
            r" \operatorname{clip}\Bigl(\frac{p_k}{\sum_j p_j}, \varepsilon,"
            r" 1 - \varepsilon\Bigr),\ \tilde y = y\,(1 - s) + \tfrac{s}{K},"
            r"\ \varepsilon = 10^{-7}",
            "one_hot",
            "probability",
            latex_logits=(
                r"L = -\sum_{k=1}^{K} \tilde y_k \ln \operatorname{softmax}(z)_k,\ "
                r"\tilde y = y\,(1 - s) + \tfrac{s}{K}"
            ),
        ),
        _loss(
            "sparse_categorical_crossentropy",
            "SparseCategoricalCrossentropy",
            "multiclass",
            (_FROM_LOGITS,),
            r"L = -\ln \frac{\bar p_{y}}{\sum_{k} \bar p_k},\ \bar p_k ="
            r" \operatorname{clip}(p_k, \varepsilon, 1 - \varepsilon),"
            r"\ \varepsilon = 10^{-7}\ (y \text{ is the class index})",
            "index",
            "probability",
            latex_logits=r"L = -\ln \operatorname{softmax}(z)_{y}",
        ),
        _loss(
            "categorical_hinge",
            "CategoricalHinge",
            "multiclass",
            (),
            r"L = \max\Bigl(0,\ 1 + \max_k (1 - y_k)\,\hat y_k"
            r" - \sum_k y_k \hat y_k\Bigr)",
            "one_hot",
            "real",
        ),
        _loss(
            "kl_divergence",
            "KLDivergence",
            "multiclass",
            (),
            r"L = \sum_{k} \bar y_k \ln \frac{\bar y_k}{\bar p_k},\ \bar y ="
            r" \operatorname{clip}(y, \varepsilon, 1),\ \bar p = \operatorname{clip}"
            r"(\hat y, \varepsilon, 1),\ \varepsilon = 10^{-7}",
            "distribution",
            "distribution",
        ),
        _loss(
            "cosine_similarity",
            "CosineSimilarity",
            "multiclass",
            (),
            r"L = -\sum_k \frac{y_k}{\max(\lVert y \rVert, \varepsilon)}\,"
            r"\frac{\hat y_k}{\max(\lVert \hat y \rVert, \varepsilon)},"
            r"\ \varepsilon = 10^{-7}",
            "distribution",
            "real",
        ),
    )
}

_ALIASES = {
    "mean_squared_error": "mse",
    "mean_absolute_error": "mae",
    "mean_absolute_percentage_error": "mape",
    "mean_squared_logarithmic_error": "msle",
    "kld": "kl_divergence",
}


def get_spec(name: str) -> LossSpec:
    """The :class:`LossSpec` of ``name`` (long Keras names work too).

    Raises:
        ValueError: ``name`` is not in :data:`LOSSES`.
    """
    key = _ALIASES.get(name, name) if isinstance(name, str) else name
    if key not in LOSSES:
        raise ValueError(f"Unknown loss {name!r}; expected one of {sorted(LOSSES)}")
    return LOSSES[key]


def names(kind: str | None = None) -> list[str]:
    """Loss names, optionally only one ``kind`` (see :data:`KINDS`)."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"Unknown loss kind {kind!r}; expected one of {list(KINDS)}")
    return [n for n, s in LOSSES.items() if kind is None or s.kind == kind]


def formula(name: str, **params: Any) -> str:
    r"""The LaTeX formula of ``name`` for these parameters (``from_logits`` matters).

    Example:
        >>> formula("mae")
        'L = \\frac{1}{n}\\sum_{i=1}^{n} |y_i - \\hat y_i|'
    """
    spec = get_spec(name)
    values = resolve_params(spec.name, spec.params, params)
    if values.get("from_logits") and spec.latex_logits:
        return spec.latex_logits
    return spec.latex


def make_loss(
    name: str, *, reduction: str | None = "sum_over_batch_size", **params: Any
):
    """The ``keras.losses`` object for ``name`` with validated ``params``."""
    spec = get_spec(name)
    values = resolve_params(spec.name, spec.params, params)
    return getattr(keras.losses, spec.keras_class)(reduction=reduction, **values)


def _as_array(value: Any, what: str) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=np.float32)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be numeric, got {value!r:.80}") from None
    if array.size == 0 or not np.all(np.isfinite(array)):
        raise ValueError(f"{what} must be a non-empty array of finite numbers")
    return array


def require_positive_rows(values: Any, what: str) -> np.ndarray:
    """``values`` as an array whose rows (last axis) each sum to a positive value.

    The one check, with the one message, of every public function of the
    topic that takes probabilities (:func:`evaluate` for the multi-class
    losses, :func:`~dlcore.losses.distribution_stats` and what builds on it):
    a row of zeros is not a distribution, and Keras would silently turn it
    into NaN (``categorical_crossentropy`` divides by its sum) or into a
    uniform guess (``sparse_categorical_crossentropy`` clips it to ε first).
    Call it on finite, non-negative values.

    Raises:
        ValueError: a row sums to 0 (or less); the message names the row and
            says "must sum to a positive value".

    Example:
        >>> require_positive_rows([[0.0, 0.0]], "y_pred")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: y_pred: row 0 sums to 0, but probabilities must sum to a ...
    """
    array = np.asarray(values)
    rows = array.reshape(-1, array.shape[-1]) if array.ndim else array.reshape(1, 1)
    with np.errstate(over="ignore"):  # 1e308 + 1e308 = ∞ is still positive
        sums = rows.astype(np.float64).sum(axis=-1)
    bad = np.flatnonzero(~(sums > 0))
    if bad.size:
        where = f"{what}: row {bad[0]}" if array.ndim > 1 else what
        raise ValueError(
            f"{where} sums to {sums[bad[0]]:g}, but probabilities must sum to "
            "a positive value (give some category a positive weight)"
        )
    return array


def _check_inputs(spec: LossSpec, values: Mapping[str, Any], y_true, y_pred) -> None:
    """Reject inputs Keras would silently turn into nonsense."""
    logits = bool(values.get("from_logits"))
    if spec.target == "index":
        rows = y_pred.shape[:-1]
        if y_pred.ndim < 2 or y_true.shape not in (rows, (*rows, 1)):
            raise ValueError(
                f"{spec.name}: y_true must hold one class index per row of y_pred; "
                f"got shapes {y_true.shape} and {y_pred.shape}"
            )
        k = y_pred.shape[-1]
        if np.any(y_true != np.round(y_true)) or y_true.min() < 0 or y_true.max() >= k:
            raise ValueError(
                f"{spec.name}: y_true must be integer class indices in [0, {k - 1}]"
            )
    elif y_true.shape != y_pred.shape:
        raise ValueError(
            f"{spec.name}: y_true and y_pred must have the same shape; "
            f"got {y_true.shape} and {y_pred.shape}"
        )
    if spec.target == "label" and (y_true.min() < 0 or y_true.max() > 1):
        raise ValueError(f"{spec.name}: y_true must be labels in [0, 1]")
    probabilities = spec.prediction in ("probability", "distribution")
    if (
        spec.target in ("one_hot", "distribution")
        and probabilities
        and y_true.min() < 0
    ):
        raise ValueError(f"{spec.name}: y_true must be non-negative")
    if probabilities and not logits and (y_pred.min() < 0 or y_pred.max() > 1):
        hint = " (or pass from_logits=True)" if spec.latex_logits else ""
        raise ValueError(f"{spec.name}: y_pred must be probabilities in [0, 1]{hint}")
    if spec.per_class and probabilities:  # rows are distributions over classes
        if spec.target != "index":
            require_positive_rows(y_true, f"{spec.name}: y_true")
        if not logits:
            require_positive_rows(y_pred, f"{spec.name}: y_pred")
    if spec.prediction == "rate" and y_pred.min() < 0:
        raise ValueError(f"{spec.name}: y_pred must be a non-negative rate")
    if spec.target == "count" and y_true.min() < 0:
        raise ValueError(f"{spec.name}: y_true must be non-negative counts")


def evaluate(name: str, y_true: Any, y_pred: Any, **params: Any) -> float:
    """The loss as Keras computes it: ``keras.losses.<Class>(**params)(y_true,
    y_pred)``.

    The reduction is Keras' default, ``"sum_over_batch_size"``: per-sample
    losses (each already a mean over the last axis for elementwise losses)
    averaged over the batch.

    Args:
        name: A key of :data:`LOSSES`.
        y_true: Targets; for ``sparse_categorical_crossentropy`` class indices.
        y_pred: Predictions (probabilities, or logits with ``from_logits=True``).
        **params: Constructor parameters, e.g. ``delta=2.0``.

    Raises:
        ValueError: unknown loss or parameter, mismatched shapes, or values
            outside what the loss expects.

    Example:
        >>> round(evaluate("hinge", [0.0, 1.0], [-2.0, 0.5]), 6)  # 0 -> -1
        0.25
    """
    spec = get_spec(name)
    values = resolve_params(spec.name, spec.params, params)
    true, pred = _as_array(y_true, "y_true"), _as_array(y_pred, "y_pred")
    _check_inputs(spec, values, true, pred)
    loss = make_loss(spec.name, **values)
    return float(keras.ops.convert_to_numpy(loss(true, pred)))


# ----------------------------------------------------------------------------
# 2. Curves
# ----------------------------------------------------------------------------


def prediction_kind(name: str, **params: Any) -> str:
    """What :func:`curve` puts on the x-axis: ``"probability"``, ``"logit"``,
    ``"rate"`` or ``"real"``."""
    spec = get_spec(name)
    values = resolve_params(spec.name, spec.params, params)
    if spec.prediction in ("probability", "distribution"):
        return "logit" if values.get("from_logits") else "probability"
    return spec.prediction


def _curve_tensors(spec, target, p, num_classes, kind):
    """``(y_true, y_pred)`` for the curve points ``p`` (a watched (n,) tensor)."""
    n = p.shape[0]
    if not spec.per_class:
        return tf.fill([n, 1], tf.constant(target, tf.float32)), p[:, None]
    k = num_classes
    if kind == "probability" or spec.name == "cosine_similarity":
        rest = tf.repeat(((1.0 - p) / (k - 1))[:, None], k - 1, axis=1)
    else:  # logits and scores: the other classes stay at 0
        rest = tf.zeros([n, k - 1])
    y_pred = tf.concat([p[:, None], rest], axis=1)
    if spec.target == "index":
        return tf.fill([n], 0 if target == 1 else 1), y_pred
    row = np.r_[target, np.full(k - 1, (1.0 - target) / (k - 1))].astype(np.float32)
    return tf.constant(np.tile(row, (n, 1))), y_pred


def _check_target(spec: LossSpec, target: float) -> None:
    ok = {
        "label": 0.0 <= target <= 1.0,
        "sign": target in (-1.0, 0.0, 1.0),
        "index": target in (0.0, 1.0),
        "one_hot": 0.0 <= target <= 1.0,
        "distribution": 0.0 <= target <= 1.0,
        "count": target >= 0.0,
    }.get(spec.target, True)
    if not ok:
        expected = {
            "label": "a label in [0, 1]",
            "sign": "-1, 0 or 1",
            "index": "1 (the plotted class is the true one) or 0 (it is not)",
            "count": "a non-negative count",
        }.get(spec.target, "a probability in [0, 1]")
        raise ValueError(f"{spec.name}: target must be {expected}, got {target!r}")


def curve(
    name: str, target: float, predictions: Any, *, num_classes: int = 3, **params: Any
) -> tuple[np.ndarray, np.ndarray]:
    """The loss of one sample, and ``dL/dŷ``, as the prediction sweeps ``predictions``.

    Computed with the Keras loss object (no reduction) and differentiated by
    ``tf.GradientTape``.

    * Regression and binary losses: ``y_true = target``, ``y_pred = p`` for
      each ``p`` in ``predictions`` (a probability, a logit with
      ``from_logits=True``, or a raw score for the hinge losses; a 0 target
      for hinge is turned into −1 by Keras).
    * Multi-class losses are plotted over the output for **one class**
      (class 0) of ``num_classes``: its predicted probability ``p`` with the
      remaining ``1 − p`` spread evenly over the other classes (or its logit /
      score ``z`` with the other logits at 0). The target is that class's
      target probability, the rest again spread evenly (``1`` = it is the true
      class; for ``sparse_categorical_crossentropy`` 0 means class 1 is the
      true one). The derivative is the total derivative along this path.

    Args:
        name: A key of :data:`LOSSES`.
        target: See above.
        predictions: The x-axis values (1-D).
        num_classes: Classes for multi-class losses (≥ 2).
        **params: Loss parameters.

    Returns:
        ``(loss, dloss_dpred)``, float32 arrays shaped like ``predictions``.

    Example:
        >>> loss, slope = curve("mse", 1.0, [0.0, 3.0])
        >>> loss.tolist(), slope.tolist()
        ([1.0, 4.0], [-2.0, 4.0])
    """
    spec = get_spec(name)
    values = resolve_params(spec.name, spec.params, params)
    p_np = _as_array(predictions, "predictions").ravel()
    target = float(target)
    _check_target(spec, target)
    kind = prediction_kind(spec.name, **values)
    if kind == "probability" and (p_np.min() < 0 or p_np.max() > 1):
        raise ValueError(f"{spec.name}: predictions must be probabilities in [0, 1]")
    if kind == "rate" and p_np.min() < 0:
        raise ValueError(f"{spec.name}: predictions must be non-negative rates")
    if not (isinstance(num_classes, (int, np.integer)) and 2 <= num_classes <= 100):
        raise ValueError(
            f"num_classes must be an integer in [2, 100], got {num_classes!r}"
        )
    loss_fn = make_loss(spec.name, reduction=None, **values)
    p = tf.constant(p_np)
    with tf.GradientTape() as tape:
        tape.watch(p)
        y_true, y_pred = _curve_tensors(spec, target, p, int(num_classes), kind)
        loss = loss_fn(y_true, y_pred)
    grad = tape.gradient(loss, p)
    return loss.numpy().reshape(p_np.shape), grad.numpy().reshape(p_np.shape)


@dataclasses.dataclass(frozen=True)
class CurveFamily:
    """Losses that can share one plot: same kind of target, same x-axis.

    Attributes:
        options: Losses offered when predictions are probabilities (or
            values / rates); ``defaults`` are pre-selected.
        logit_options: Losses offered on a logit / raw-score axis
            (``from_logits=True``); empty means the family has no such axis.
        labels: The target choices for classification families (``None``:
            a slider over ``target_range``).
        target_range: ``(min, max, step, default)`` of a target slider.
    """

    options: tuple[str, ...]
    defaults: tuple[str, ...]
    logit_options: tuple[str, ...] = ()
    logit_defaults: tuple[str, ...] = ()
    labels: tuple[float, ...] | None = None
    target_range: tuple[float, float, float, float] = (-2.0, 2.0, 0.5, 0.0)

    def choices(self, from_logits: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """``(options, defaults)`` for this x-axis."""
        if from_logits and self.logit_options:
            return self.logit_options, self.logit_defaults
        return self.options, self.defaults


_BCE, _FOCAL = "binary_crossentropy", "binary_focal_crossentropy"
_CCE, _SCCE = "categorical_crossentropy", "sparse_categorical_crossentropy"

#: The loss families of the curve explorer (names are translated by the
#: i18n keys ``loss.family.<family>``).
CURVE_FAMILIES: dict[str, CurveFamily] = {
    "regression": CurveFamily(
        ("mse", "mae", "huber", "log_cosh"), ("mse", "mae", "huber")
    ),
    "binary": CurveFamily(
        (_BCE, _FOCAL),
        (_BCE, _FOCAL),
        (_BCE, _FOCAL, "hinge", "squared_hinge"),
        (_BCE, "hinge"),
        labels=(1.0, 0.0),
    ),
    "multiclass": CurveFamily(
        (_CCE, _SCCE, "kl_divergence"),
        (_CCE, "kl_divergence"),
        (_CCE, _SCCE),
        (_CCE,),
        labels=(1.0, 0.0),
    ),
    "counts": CurveFamily(
        ("poisson", "mse"), ("poisson", "mse"), target_range=(0.0, 6.0, 1.0, 2.0)
    ),
}


def curve_params(name: str, from_logits: bool, values: Mapping[str, Any]) -> dict:
    """The parameters of ``name`` from the page's ``values`` plus ``from_logits``.

    Values ``name`` has no parameter for are ignored; ``from_logits`` is only
    passed to losses that take it.

    Example:
        >>> curve_params("hinge", True, {"delta": 2.0})
        {}
        >>> curve_params("binary_crossentropy", True, {"label_smoothing": 0.1})
        {'from_logits': True, 'label_smoothing': 0.1}
    """
    known = {p.name for p in get_spec(name).params}
    params = {"from_logits": bool(from_logits)} if "from_logits" in known else {}
    params.update(
        {k: v for k, v in values.items() if k in known and k != "from_logits"}
    )
    return params


def curve_x_range(family: str, target: float, from_logits: bool) -> tuple[float, float]:
    """The prediction range the curve explorer plots for ``family``.

    Example:
        >>> curve_x_range("regression", 1.0, False)
        (-2.0, 4.0)
    """
    if family == "regression":
        return (target - 3.0, target + 3.0)
    if family == "counts":
        return (0.0, max(6.0, target + 3.0))
    return (-5.0, 5.0) if from_logits else (0.0, 1.0)


#: The words inside ``\text{...}`` of the formulas -> their i18n keys.
_TEX_WORDS = {
    "class balancing": "loss.tex.balancing",
    "otherwise": "loss.tex.otherwise",
    "all labels in ": "loss.tex.labels_in",
    " is the class index": "loss.tex.class_index",
}


def curve_notes(family: str, names: Sequence[str], from_logits: bool) -> list[str]:
    """The i18n keys of the notes that explain what the curve explorer shows.

    Example:
        >>> curve_notes("binary", ["hinge"], True)
        ['loss.curve.hinge_note']
    """
    notes = []
    if not from_logits and family in ("binary", "multiclass"):
        notes.append("loss.curve.clip_note")  # the flat ends are Keras' clipping
    if {"hinge", "squared_hinge"} & set(names):
        notes.append("loss.curve.hinge_note")
    if family == "multiclass":
        notes.append("loss.curve.multiclass_note")
    return notes


def formula_display(name: str, *, lang: str = "en", **params: Any) -> str:
    r""":func:`formula` as several centred lines, one per clause, for ``st.latex``.

    The formula is split at its top-level ``,\ `` separators, the words in
    ``\text{...}`` are translated, and a last line gives the numeric value of
    every slider parameter.

    Example:
        >>> print(formula_display("huber", delta=1.5).splitlines()[-2])
        \delta = 1.5
        >>> "否则" in formula_display("hinge", lang="zh")
        True
    """
    spec = get_spec(name)
    values = resolve_params(spec.name, spec.params, params)
    text, lines, depth, start = formula(name, **values), [], 0, 0
    for word, key in _TEX_WORDS.items():
        text = text.replace(rf"\text{{{word}}}", rf"\text{{{t(key, lang)}}}")
    for i, char in enumerate(text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and text.startswith(r",\ ", i):
            lines.append(text[start:i])
            start = i + 3
    lines.append(text[start:])
    for i in range(len(lines) - 1, 0, -1):  # "ε = 10^{-7}" joins the line above
        if len(lines[i]) < 24 and len(lines[i - 1]) < 72:
            lines[i - 1 : i + 1] = [rf"{lines[i - 1]},\quad {lines[i]}"]
    settings = [
        f"{p.symbol} = {values[p.name]:g}" for p in spec.params if not p.is_bool
    ]
    if settings:
        lines.append(r",\quad ".join(settings))
    return "\\begin{gathered}\n" + " \\\\\n".join(lines) + "\n\\end{gathered}"
