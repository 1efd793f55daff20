"""Loss functions (损失函数): what Keras computes, curves, distributions, and pairings.

Five parts:

1. **The registry** :data:`LOSSES`: regression and classification losses of
   ``keras.losses`` with their parameters (slider specs) and formulas that
   match what Keras *actually* computes, including its clipping
   ``ε = keras.backend.epsilon() = 1e-7`` and quirks such as hinge turning 0/1
   labels into −1/+1. :func:`evaluate` calls the Keras loss object itself.
2. **Curves** (:func:`curve`): the loss and its derivative with respect to the
   prediction (by autodiff), for one target.
3. **Distributions** (:func:`distribution_stats`): entropy, cross-entropy and
   both KL divergences of two discrete distributions, in nats.
4. **Outliers** (:func:`train_outlier_lab`): one line fitted with MSE, MAE
   and Huber to data with outliers.
5. **Which loss for which task** (:data:`TASK_GUIDE`,
   :func:`train_loss_pairing`): the right last layer and loss, and what a
   classic wrong pairing costs.

Example:
    >>> round(evaluate("mse", [0.0, 1.0], [1.0, 1.0]), 6)
    0.5
"""

from __future__ import annotations

import dataclasses
import textwrap
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from dlcore import codegen, runtime, train  # runtime configures TF first
from dlcore.blocks import FLATTEN_CODE, ParamSpec, digits_flat, resolve_params
from dlcore.i18n import t

tf = runtime.tf()
import keras  # noqa: E402

#: Keras' fuzz factor (``keras.backend.epsilon()``), used for clipping.
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
_CLIP = r"\bar p = \operatorname{clip}(p, \varepsilon, 1 - \varepsilon),\ \varepsilon = 10^{-7}"
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
            rf"L = {_MEAN} \begin{{cases}} \tfrac{{1}}{{2}} e_i^{{2}} & |e_i| \le \delta"
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
                rf"L = {_MEAN} \bigl[\max(z_i, 0) - z_i \tilde y_i + \ln(1 + e^{{-|z_i|}})"
                rf"\bigr] \\ = -{_MEAN} \bigl[\tilde y_i \ln\sigma(z_i) + (1 - \tilde y_i)"
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
                r"\mathrm{BCE} = -\tilde y \ln \bar p - (1 - \tilde y) \ln(1 - \bar p),\ "
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
            r"L = \max\Bigl(0,\ 1 + \max_k (1 - y_k)\,\hat y_k - \sum_k y_k \hat y_k\Bigr)",
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
            r"L = -\sum_k \frac{y_k}{\max(\lVert y \rVert, \varepsilon)}\,\frac{\hat y_k}"
            r"{\max(\lVert \hat y \rVert, \varepsilon)},\ \varepsilon = 10^{-7}",
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
    if spec.prediction == "rate" and y_pred.min() < 0:
        raise ValueError(f"{spec.name}: y_pred must be a non-negative rate")
    if spec.target == "count" and y_true.min() < 0:
        raise ValueError(f"{spec.name}: y_true must be non-negative counts")


def evaluate(name: str, y_true: Any, y_pred: Any, **params: Any) -> float:
    """The loss as Keras computes it: ``keras.losses.<Class>(**params)(y_true, y_pred)``.

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
    """What :func:`curve` puts on the x-axis: ``"probability"``, ``"logit"``, ``"rate"``, ``"real"``."""
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


# ----------------------------------------------------------------------------
# 3. Distributions: entropy, cross-entropy, KL
# ----------------------------------------------------------------------------


class DistributionError(ValueError):
    """A distribution the lab cannot use.

    Attributes:
        code: What is wrong, for a translated message: ``"size"`` (fewer than
            two categories), ``"not_finite"`` (an empty cell, NaN or ∞),
            ``"negative"``, ``"zeros"`` (nothing positive) or ``"mismatch"``
            (P and Q differ in length).
        which: ``"P"``, ``"Q"`` or ``"P, Q"``.
    """

    def __init__(self, message: str, *, code: str, which: str) -> None:
        super().__init__(message)
        self.code, self.which = code, which


def _distribution(values: Any, what: str) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise DistributionError(
            f"{what} must hold numbers, got {values!r:.80}",
            code="not_finite",
            which=what,
        ) from None
    if array.size < 2:
        raise DistributionError(
            f"{what} must hold at least 2 finite numbers, got {values!r:.80}",
            code="size",
            which=what,
        )
    if not np.all(np.isfinite(array)):
        raise DistributionError(
            f"{what} must hold at least 2 finite numbers, got {values!r:.80}",
            code="not_finite",
            which=what,
        )
    if array.min() < 0:
        raise DistributionError(
            f"{what} must not contain negative values, got {array.min()}",
            code="negative",
            which=what,
        )
    if array.sum() <= 0:
        raise DistributionError(
            f"{what} is all zeros; give some category a positive weight",
            code="zeros",
            which=what,
        )
    return array / array.sum()


def distribution_stats(p: Any, q: Any) -> dict[str, Any]:
    """Entropy, cross-entropy and KL divergences of P (target) and Q (prediction).

    Inputs are normalised to sum to 1 (so counts or percentages work).
    Everything is in nats (natural log, like Keras). Probabilities are clipped
    to ``[ε, 1]`` with ``ε = 1e-7`` exactly as ``keras.losses.KLDivergence``
    does, so ``kl_pq`` equals Keras' value and a zero in Q where P is positive
    gives a large but finite KL (``support_mismatch`` is then True: the
    mathematical KL is infinite). With the same clipping,
    ``H(P, Q) = H(P) + KL(P‖Q)`` holds exactly.

    Returns:
        ``p``, ``q`` (normalised lists), ``entropy_p`` H(P), ``entropy_q``
        H(Q), ``cross_entropy`` H(P, Q), ``kl_pq`` KL(P‖Q), ``kl_qp``
        KL(Q‖P), ``identity_gap`` ``|H(P,Q) − H(P) − KL(P‖Q)|``,
        ``support_mismatch`` (Q is 0 where P is not: KL(P‖Q) is really
        infinite) and ``support_mismatch_reverse`` (the same for KL(Q‖P)).

    Raises:
        DistributionError: fewer than 2 categories, an empty or non-finite
            value, a negative value, all zeros, or P and Q of different lengths.

    Example:
        >>> s = distribution_stats([1, 1], [3, 1])
        >>> round(s["kl_pq"], 4), round(s["kl_qp"], 4), s["kl_pq"] >= 0
        (0.1438, 0.1308, True)
    """
    p, q = _distribution(p, "P"), _distribution(q, "Q")
    if p.shape != q.shape:
        raise DistributionError(
            f"P and Q need the same number of categories; got {p.size} and {q.size}",
            code="mismatch",
            which="P, Q",
        )
    pc, qc = np.clip(p, EPSILON, 1.0), np.clip(q, EPSILON, 1.0)
    entropy_p = float(-np.sum(pc * np.log(pc)))
    cross = float(-np.sum(pc * np.log(qc)))
    kl_pq = float(np.sum(pc * np.log(pc / qc)))
    return {
        "p": p.tolist(),
        "q": q.tolist(),
        "entropy_p": entropy_p,
        "entropy_q": float(-np.sum(qc * np.log(qc))),
        "cross_entropy": cross,
        "kl_pq": kl_pq,
        "kl_qp": float(np.sum(qc * np.log(qc / pc))),
        "identity_gap": abs(cross - entropy_p - kl_pq),
        "support_mismatch": bool(np.any((p > 0) & (q == 0))),
        "support_mismatch_reverse": bool(np.any((q > 0) & (p == 0))),
    }


#: The definitions behind :func:`distribution_stats` (natural logarithms).
DIST_LATEX = (
    r"\begin{gathered} H(P) = -\sum_k p_k \ln p_k \qquad H(P, Q) = -\sum_k p_k \ln q_k"
    r" \\ \mathrm{KL}(P\,\|\,Q) = \sum_k p_k \ln \frac{p_k}{q_k} = H(P, Q) - H(P)"
    r" \;\ge\; 0 \end{gathered}"
)

#: Ready-made (P, Q) pairs for the distribution lab (weights; normalised later).
DIST_PRESETS: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    # a one-hot label and a softmax output: H(P) = 0, so cross-entropy = KL
    "one_hot": ((0.0, 1.0, 0.0, 0.0), (0.1, 0.7, 0.1, 0.1)),
    # a close guess: small KL in both directions
    "close": ((0.5, 0.3, 0.15, 0.05), (0.45, 0.3, 0.2, 0.05)),
    # identical distributions: KL = 0 and H(P, Q) = H(P)
    "equal": ((0.4, 0.3, 0.2, 0.1), (0.4, 0.3, 0.2, 0.1)),
    # a broad P and a narrow Q: KL(P‖Q) and KL(Q‖P) differ a lot
    "asymmetric": ((0.25, 0.25, 0.25, 0.25), (0.85, 0.05, 0.05, 0.05)),
    # Q rules out a category that happens: KL(P‖Q) is infinite
    "zero_in_q": ((0.5, 0.3, 0.2, 0.0), (0.6, 0.4, 0.0, 0.0)),
}


def distribution_table(preset: str) -> pd.DataFrame:
    """A :data:`DIST_PRESETS` pair as an editable table: columns ``P`` and ``Q``.

    Example:
        >>> distribution_table("equal").shape
        (4, 2)
    """
    if preset not in DIST_PRESETS:
        raise ValueError(
            f"Unknown distribution preset {preset!r}; expected one of {list(DIST_PRESETS)}"
        )
    p, q = DIST_PRESETS[preset]
    index = pd.Index([chr(ord("A") + i) for i in range(len(p))])
    return pd.DataFrame({"P": p, "Q": q}, index=index, dtype=float)


def distribution_notes(stats: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(level, i18n key)`` of the notes :func:`distribution_stats` calls for.

    ``level`` is ``"warning"`` (KL(P‖Q), the loss, is really infinite),
    ``"info"`` or ``"caption"``.

    Example:
        >>> distribution_notes(distribution_stats([1, 0], [1, 1]))
        [('info', 'loss.dist.support_mismatch_reverse'), ('caption', 'loss.dist.zero_note')]
    """
    notes = []
    if stats["support_mismatch"]:
        notes.append(("warning", "loss.dist.support_mismatch"))
    if stats["support_mismatch_reverse"]:
        notes.append(("info", "loss.dist.support_mismatch_reverse"))
    if min(stats["p"] + stats["q"]) == 0:
        notes.append(("caption", "loss.dist.zero_note"))
    return notes


def keras_distribution_losses(p: Any, q: Any) -> dict[str, float]:
    """What ``keras.losses`` says for target P and prediction Q (both normalised).

    ``categorical_crossentropy`` is H(P, Q) and ``kl_divergence`` is KL(P‖Q),
    each with Keras' own clipping (see :func:`distribution_stats`).

    Example:
        >>> out = keras_distribution_losses([1, 1], [3, 1])
        >>> round(out["kl_divergence"], 4), round(out["categorical_crossentropy"], 4)
        (0.1438, 0.837)
    """
    stats = distribution_stats(p, q)
    row_p, row_q = [stats["p"]], [stats["q"]]
    return {
        name: evaluate(name, row_p, row_q)
        for name in ("categorical_crossentropy", "kl_divergence")
    }


# ----------------------------------------------------------------------------
# 4. Training task: the outlier lab (MSE vs MAE vs Huber)
# ----------------------------------------------------------------------------

#: The line the outlier-lab data are drawn around.
TRUE_SLOPE = 2.0
TRUE_INTERCEPT = 1.0
OUTLIER_RUNS: tuple[str, ...] = ("mse", "mae", "huber")


@dataclasses.dataclass(frozen=True)
class OutlierLabConfig:
    """Fit ``y = w·x + b`` to noisy points, a fraction of which are outliers.

    Training is full-batch gradient descent (``batch_size = num_samples``)
    from ``w = b = 0``, so the MSE run converges to the least-squares line.
    """

    outlier_fraction: float = 0.1
    outlier_size: float = 10.0
    num_samples: int = 100
    noise: float = 0.5
    epochs: int = 200
    learning_rate: float = 0.1
    huber_delta: float = 1.0
    seed: int = 0

    def __post_init__(self) -> None:
        checks = [
            (0.0 <= self.outlier_fraction <= 0.5, "outlier_fraction must be in [0, 0.5]"),
            (-100.0 <= self.outlier_size <= 100.0, "outlier_size must be in [-100, 100]"),
            (isinstance(self.num_samples, int) and 10 <= self.num_samples <= 10_000,
             "num_samples must be an integer in [10, 10000]"),
            (0.0 <= self.noise <= 10.0, "noise must be in [0, 10]"),
            (isinstance(self.epochs, int) and 1 <= self.epochs <= 5000,
             "epochs must be an integer in [1, 5000]"),
            (0.0 < self.learning_rate <= 10.0, "learning_rate must be in (0, 10]"),
            (0.0 < self.huber_delta <= 100.0, "huber_delta must be in (0, 100]"),
        ]  # fmt: skip
        for ok, message in checks:
            if not ok:
                raise ValueError(f"OutlierLabConfig: {message}; got {self}")


def make_outlier_data(
    config: OutlierLabConfig,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points around ``y = 2x + 1`` (x uniform in [−2, 2]) with some outliers.

    A random ``outlier_fraction`` of the points is shifted by ``outlier_size``
    (all in the same direction, like a sensor that sometimes glitches high).

    Returns:
        ``(x, y, is_outlier)``: float32 ``(n, 1)``, float32 ``(n, 1)``, bool ``(n,)``.

    Example:
        >>> x, y, out = make_outlier_data(OutlierLabConfig(num_samples=20))
        >>> x.shape, y.shape, int(out.sum())
        ((20, 1), (20, 1), 2)
    """
    rng = np.random.default_rng(config.seed)
    n = config.num_samples
    x = rng.uniform(-2.0, 2.0, n)
    y = TRUE_SLOPE * x + TRUE_INTERCEPT + rng.normal(0.0, config.noise, n)
    is_outlier = np.zeros(n, bool)
    is_outlier[rng.choice(n, round(config.outlier_fraction * n), replace=False)] = True
    y = y + config.outlier_size * is_outlier
    return x[:, None].astype(np.float32), y[:, None].astype(np.float32), is_outlier


def _line_model(loss: Any, learning_rate: float) -> keras.Model:
    model = keras.Sequential(
        [
            keras.Input((1,)),
            keras.layers.Dense(1, kernel_initializer="zeros", name="line"),
        ]
    )
    model.compile(optimizer=keras.optimizers.SGD(learning_rate), loss=loss)
    return model


def _forward(
    on_progress: Callable[[dict[str, Any]], None] | None,
    run: str,
    index: int,
    total: int,
) -> Callable[[dict[str, Any]], None] | None:
    if on_progress is None:
        return None
    return lambda event: on_progress(
        {**event, "run": run, "run_index": index, "num_runs": total}
    )


def train_outlier_lab(
    config: OutlierLabConfig,
    *,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> train.TaskResult:
    """Fit the same line with MSE, MAE and Huber (three runs); a training task.

    Returns:
        A ``train.TaskResult``; ``history`` has a ``run`` column (``mse``,
        ``mae``, ``huber``). ``metrics``: ``<run>_slope``, ``<run>_intercept``,
        and ``lstsq_slope``/``lstsq_intercept`` (the closed-form least-squares
        line, ``np.polyfit``). ``artifacts``: ``x``, ``y``, ``is_outlier``,
        ``fits`` ({run: (slope, intercept)}), ``residuals`` ({run: y − ŷ}),
        ``true_line`` and ``lstsq``.
    """
    x, y, is_outlier = make_outlier_data(config)
    losses = {
        "mse": "mse",
        "mae": "mae",
        "huber": keras.losses.Huber(delta=config.huber_delta),
    }
    fits, runs, residuals, metrics = {}, {}, {}, {}
    for index, (run, loss) in enumerate(losses.items()):
        model = _line_model(loss, config.learning_rate)
        result = train.fit(
            model,
            x,
            y,
            epochs=config.epochs,
            batch_size=len(x),
            seed=config.seed,
            on_progress=_forward(on_progress, run, index, len(losses)),
            should_stop=should_stop,
        )
        runs[run] = result
        kernel, bias = model.get_layer("line").get_weights()
        slope, intercept = float(kernel[0, 0]), float(bias[0])
        fits[run] = (slope, intercept)
        residuals[run] = (y[:, 0] - (slope * x[:, 0] + intercept)).astype(np.float32)
        metrics[f"{run}_slope"], metrics[f"{run}_intercept"] = slope, intercept
        if result.status == "cancelled":
            break
    lstsq_slope, lstsq_intercept = np.polyfit(x[:, 0].astype(np.float64), y[:, 0], 1)
    metrics.update(
        lstsq_slope=float(lstsq_slope), lstsq_intercept=float(lstsq_intercept)
    )
    artifacts = {
        "x": x[:, 0],
        "y": y[:, 0],
        "is_outlier": is_outlier,
        "fits": fits,
        "residuals": residuals,
        "true_line": (TRUE_SLOPE, TRUE_INTERCEPT),
        "lstsq": (float(lstsq_slope), float(lstsq_intercept)),
    }
    return train.TaskResult.combine(runs, metrics=metrics, artifacts=artifacts)


def fit_table(metrics: Mapping[str, float], lang: str = "en") -> pd.DataFrame:
    """The fitted lines of :func:`train_outlier_lab` next to the closed form and the truth.

    Example:
        >>> m = {"mse_slope": 1.8, "mse_intercept": 2.0, "lstsq_slope": 1.8,
        ...      "lstsq_intercept": 2.0}
        >>> fit_table(m).index.tolist()
        ['MSE', 'least squares (closed form)', 'true line y = 2x + 1']
    """
    rows = {
        t(f"loss.run.{run}", lang): (
            metrics[f"{run}_slope"],
            metrics[f"{run}_intercept"],
        )
        for run in OUTLIER_RUNS
        if f"{run}_slope" in metrics
    }
    rows[t("loss.outlier.lstsq", lang)] = (
        metrics["lstsq_slope"],
        metrics["lstsq_intercept"],
    )
    rows[t("loss.outlier.true_line", lang)] = (TRUE_SLOPE, TRUE_INTERCEPT)
    columns = [t("loss.outlier.slope", lang), t("loss.outlier.intercept", lang)]
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns).round(3)


def code_outlier_lab(config: OutlierLabConfig) -> str:
    """A standalone script reproducing :func:`train_outlier_lab` with ``model.fit``.

    Its last line, ``FINAL {...}``, holds the fitted slopes and intercepts
    (the task's ``metrics``).

    Example:
        >>> code = code_outlier_lab(OutlierLabConfig())
        >>> "keras.losses.Huber(delta=HUBER_DELTA)" in code and "dlcore" not in code
        True
    """
    c = config
    data_code = (
        "rng = np.random.default_rng(SEED)\n"
        "x = rng.uniform(-2.0, 2.0, NUM_SAMPLES)\n"
        "y = TRUE_SLOPE * x + TRUE_INTERCEPT + rng.normal(0.0, NOISE, NUM_SAMPLES)\n"
        "is_outlier = np.zeros(NUM_SAMPLES, bool)\n"
        "num_outliers = round(OUTLIER_FRACTION * NUM_SAMPLES)\n"
        "is_outlier[rng.choice(NUM_SAMPLES, num_outliers, replace=False)] = True\n"
        "y = y + OUTLIER_SIZE * is_outlier  # a sensor that sometimes glitches high\n"
        'x = x[:, None].astype("float32")\n'
        'y = y[:, None].astype("float32")'
    )
    fit_code = (
        "LOSSES = {\n"
        '    "mse": "mse",\n'
        '    "mae": "mae",\n'
        '    "huber": keras.losses.Huber(delta=HUBER_DELTA),\n'
        "}\n"
        "final = {}\n"
        "for name, loss in LOSSES.items():\n"
        "    model = keras.Sequential(\n"
        '        [keras.Input((1,)), keras.layers.Dense(1, kernel_initializer="zeros")]\n'
        "    )\n"
        "    optimizer = keras.optimizers.SGD(learning_rate=LEARNING_RATE)\n"
        "    model.compile(optimizer=optimizer, loss=loss)\n"
        "    # Full-batch gradient descent: one step per epoch on all the points.\n"
        "    model.fit(x, y, epochs=EPOCHS, batch_size=NUM_SAMPLES, shuffle=False, "
        "verbose=0)\n"
        "    kernel, bias = model.layers[-1].get_weights()\n"
        '    final[f"{name}_slope"] = float(kernel[0, 0])\n'
        '    final[f"{name}_intercept"] = float(bias[0])\n'
        '    print(f"{name:>5}: y = {kernel[0, 0]:.3f} x + {bias[0]:.3f}")\n\n'
        "slope, intercept = np.polyfit(x[:, 0].astype(np.float64), y[:, 0], 1)\n"
        'print(f"least squares: y = {slope:.3f} x + {intercept:.3f}")\n'
        'final["lstsq_slope"], final["lstsq_intercept"] = float(slope), float(intercept)\n'
        'print("FINAL", final)'
    )
    return codegen.script(
        codegen.header(
            "Outlier lab: one line fitted with MSE, MAE and Huber loss",
            "Points around y = 2x + 1, some shifted by an outlier offset; the same "
            "Dense(1) model is fitted with each loss by full-batch gradient descent.",
        ),
        "import numpy as np\nimport keras",
        codegen.constants(
            SEED=c.seed,
            NUM_SAMPLES=c.num_samples,
            NOISE=c.noise,
            OUTLIER_FRACTION=c.outlier_fraction,
            OUTLIER_SIZE=c.outlier_size,
            TRUE_SLOPE=TRUE_SLOPE,
            TRUE_INTERCEPT=TRUE_INTERCEPT,
            HUBER_DELTA=c.huber_delta,
            LEARNING_RATE=c.learning_rate,
            EPOCHS=c.epochs,
        ),
        data_code,
        fit_code,
    )


# ----------------------------------------------------------------------------
# 5. Which loss for which task
# ----------------------------------------------------------------------------

#: Task -> last layer, loss and a compile call. Task names and notes are
#: translated through the i18n keys ``loss.task.<task>`` / ``loss.task_note.<task>``.
TASK_GUIDE: dict[str, dict[str, str]] = {
    "binary": {
        "last_layer": 'Dense(1, activation="sigmoid")',
        "loss": "binary_crossentropy",
        "compile": 'model.compile(optimizer="adam", loss="binary_crossentropy", '
        'metrics=["accuracy"])',
    },
    "multiclass": {
        "last_layer": 'Dense(K, activation="softmax")',
        "loss": "sparse_categorical_crossentropy",
        "compile": 'model.compile(optimizer="adam", '
        'loss="sparse_categorical_crossentropy", metrics=["accuracy"])',
    },
    "multilabel": {
        "last_layer": 'Dense(K, activation="sigmoid")',
        "loss": "binary_crossentropy",
        "compile": 'model.compile(optimizer="adam", loss="binary_crossentropy", '
        'metrics=["binary_accuracy"])',
    },
    "regression": {
        "last_layer": "Dense(1)",
        "loss": "mse",
        "compile": 'model.compile(optimizer="adam", loss="mse", metrics=["mae"])',
    },
    "regression_unit": {
        "last_layer": 'Dense(1, activation="sigmoid")',
        "loss": "mse",
        "compile": 'model.compile(optimizer="adam", loss="mse", metrics=["mae"])',
    },
}


def task_guide(lang: str = "en") -> pd.DataFrame:
    """:data:`TASK_GUIDE` as a table with translated task names and notes."""
    rows = [
        {
            t("loss.guide.task", lang): t(f"loss.task.{task}", lang),
            t("loss.guide.last_layer", lang): row["last_layer"],
            t("loss.guide.loss", lang): row["loss"],
            t("loss.guide.compile", lang): row["compile"],
            t("loss.guide.note", lang): t(f"loss.task_note.{task}", lang),
        }
        for task, row in TASK_GUIDE.items()
    ]
    return pd.DataFrame(rows)


def task_snippet(task: str, lang: str = "en") -> str:
    """A small Keras model for ``task`` with its output layer and ``compile`` call.

    Example:
        >>> print(task_snippet("binary").splitlines()[3])
            keras.layers.Dense(1, activation="sigmoid"),
    """
    if task not in TASK_GUIDE:
        raise ValueError(f"Unknown task {task!r}; expected one of {list(TASK_GUIDE)}")
    row = TASK_GUIDE[task]
    comment = f"  # {t('loss.snippet.k', lang)}" if "K" in row["last_layer"] else ""
    return (
        "model = keras.Sequential([\n"
        "    keras.Input((num_features,)),\n"
        '    keras.layers.Dense(64, activation="relu"),\n'
        f"    keras.layers.{row['last_layer']},{comment}\n"
        "])\n" + row["compile"].replace(", metrics", ",\n              metrics")
    )


def pairing_snippet(
    task: str, activation: str, loss: str, learning_rate: float = 0.01
) -> str:
    """The last layer and ``compile`` call of one run of :func:`train_loss_pairing`.

    Example:
        >>> print(pairing_snippet("multiclass", "linear", "mse"))
        keras.layers.Dense(10)
        model.compile(
            optimizer=keras.optimizers.Adam(0.01),
            loss="mse",
        )
    """
    args = f'{_output_units(task)}, activation="{activation}"'
    if activation == "linear":
        args = str(_output_units(task))
    return (
        f"keras.layers.Dense({args})\nmodel.compile(\n"
        f"    optimizer=keras.optimizers.Adam({learning_rate:g}),\n"
        f'    loss="{loss}",\n)'
    )


#: The right (output activation, loss) for each trainable task.
RIGHT_PAIRINGS: dict[str, tuple[str, str]] = {
    "binary": ("sigmoid", "binary_crossentropy"),
    "multiclass": ("softmax", "sparse_categorical_crossentropy"),
    "multilabel": ("sigmoid", "binary_crossentropy"),
    "regression": ("linear", "mse"),
}
#: Classic wrong pairings per task; the first one is the default. Explained by
#: the i18n keys ``loss.wrong.<key>``. Two are quietly rescued by Keras 3: a
#: softmax or sigmoid output remembers its logits (``_keras_logits``) and
#: ``binary_crossentropy`` then computes a *sigmoid* cross-entropy from them.
#: So ``softmax_one_unit`` has exactly the loss curve of the right model, while
#: its predictions are all 1 (a softmax over one unit); and ``softmax_bce``
#: trains like ten independent sigmoids, so its argmax accuracy barely suffers.
WRONG_PAIRINGS: dict[str, dict[str, tuple[str, str]]] = {
    "binary": {
        "softmax_one_unit": ("softmax", "binary_crossentropy"),
        "no_sigmoid": ("linear", "binary_crossentropy"),
        "sigmoid_mse": ("sigmoid", "mse"),
    },
    "multiclass": {
        "no_softmax": ("linear", "sparse_categorical_crossentropy"),
        "softmax_bce": ("softmax", "binary_crossentropy"),
        "sigmoid_mse": ("sigmoid", "mse"),
    },
    "multilabel": {
        "softmax_cce": ("softmax", "categorical_crossentropy"),
        "sigmoid_mse": ("sigmoid", "mse"),
    },
    "regression": {
        "sigmoid_mse": ("sigmoid", "mse"),
    },
}
#: The multi-label targets made from a digit: is it even, ≥ 5, a prime?
MULTILABEL_NAMES: tuple[str, ...] = ("even", "≥5", "prime")


@dataclasses.dataclass(frozen=True)
class LossPairingConfig:
    """Train one small MLP on the digits twice: a right and a wrong output/loss pairing.

    Tasks (all on the 8×8 digits): ``binary`` (even vs odd), ``multiclass``
    (which digit), ``multilabel`` (even? ≥ 5? prime?), ``regression`` (the
    digit's value as a number). ``wrong`` is a key of
    ``WRONG_PAIRINGS[task]``; empty means the task's first (default) one.
    """

    task: str = "multiclass"
    wrong: str = ""
    epochs: int = 10
    learning_rate: float = 0.01
    hidden_units: int = 32
    batch_size: int = 64
    seed: int = 0

    def __post_init__(self) -> None:
        if self.task not in RIGHT_PAIRINGS:
            raise ValueError(
                f"Unknown task {self.task!r}; expected one of {list(RIGHT_PAIRINGS)}"
            )
        if self.wrong and self.wrong not in WRONG_PAIRINGS[self.task]:
            raise ValueError(
                f"Unknown wrong pairing {self.wrong!r} for task {self.task!r}; "
                f"expected one of {list(WRONG_PAIRINGS[self.task])}"
            )
        checks = [
            (isinstance(self.epochs, int) and 1 <= self.epochs <= 200,
             "epochs must be an integer in [1, 200]"),
            (isinstance(self.hidden_units, int) and 1 <= self.hidden_units <= 512,
             "hidden_units must be an integer in [1, 512]"),
            (isinstance(self.batch_size, int) and self.batch_size >= 1,
             "batch_size must be a positive integer"),
            (0.0 < self.learning_rate <= 1.0, "learning_rate must be in (0, 1]"),
        ]  # fmt: skip
        for ok, message in checks:
            if not ok:
                raise ValueError(f"LossPairingConfig: {message}; got {self}")

    @property
    def pairings(self) -> dict[str, tuple[str, str]]:
        """``{"right": (activation, loss), "wrong": (activation, loss)}``."""
        options = WRONG_PAIRINGS[self.task]
        return {
            "right": RIGHT_PAIRINGS[self.task],
            "wrong": options[self.wrong or next(iter(options))],
        }


def pairing_targets(task: str, digits: np.ndarray, loss: str) -> np.ndarray:
    """The training targets of ``task`` for digit labels ``digits``, shaped for ``loss``.

    Example:
        >>> pairing_targets("multilabel", np.array([2, 9]), "binary_crossentropy").tolist()
        [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    digits = np.asarray(digits)
    if task == "binary":
        return (digits % 2 == 0).astype(np.float32)[:, None]
    if task == "multiclass":
        if loss == "sparse_categorical_crossentropy":
            return digits.astype(np.int32)
        return np.eye(10, dtype=np.float32)[digits]
    if task == "multilabel":
        primes = np.isin(digits, (2, 3, 5, 7))
        return np.stack([digits % 2 == 0, digits >= 5, primes], axis=1).astype(
            np.float32
        )
    if task == "regression":
        return digits.astype(np.float32)[:, None]
    raise ValueError(f"Unknown task {task!r}; expected one of {list(RIGHT_PAIRINGS)}")


def _output_units(task: str) -> int:
    return {"binary": 1, "multiclass": 10, "multilabel": 3, "regression": 1}[task]


def _pairing_model(
    config: LossPairingConfig, activation: str, loss: str
) -> keras.Model:
    model = keras.Sequential(
        [
            keras.Input((64,)),
            keras.layers.Dense(
                config.hidden_units,
                activation="relu",
                kernel_initializer=keras.initializers.HeNormal(seed=config.seed),
            ),
            keras.layers.Dense(
                _output_units(config.task),
                activation=activation,
                kernel_initializer=keras.initializers.GlorotUniform(
                    seed=config.seed + 1
                ),
            ),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(config.learning_rate), loss=loss)
    return model


def pairing_accuracy(task: str, digits: np.ndarray, outputs: np.ndarray) -> float:
    """The accuracy that matters for ``task``, whatever the loss reported.

    ``binary``: threshold 0.5; ``multiclass``: argmax; ``multilabel``: mean of
    the per-label accuracies (threshold 0.5); ``regression``: the prediction
    rounded to the nearest digit.

    Example:
        >>> pairing_accuracy("multiclass", np.array([0, 0]), np.eye(2))
        0.5
    """
    digits = np.asarray(digits)
    outputs = np.nan_to_num(np.asarray(outputs, np.float64), nan=0.0)
    if task == "multiclass":
        return float(np.mean(outputs.argmax(axis=1) == digits))
    if task == "regression":
        return float(np.mean(np.clip(np.round(outputs[:, 0]), 0, 9) == digits))
    truth = pairing_targets(task, digits, "binary_crossentropy")
    return float(np.mean((outputs > 0.5) == (truth > 0.5)))


def train_loss_pairing(
    config: LossPairingConfig,
    *,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> train.TaskResult:
    """Train the right and a wrong output/loss pairing; a training task.

    Both runs start from the same initial weights (same seeds) and see the
    same batches; only the last activation and the loss differ.

    Returns:
        A ``train.TaskResult`` (``run`` is ``right`` / ``wrong``). ``metrics``:
        ``right_accuracy``, ``wrong_accuracy`` (validation, as defined by
        :func:`pairing_accuracy`, not the metric Keras would pick for the
        loss), ``accuracy_difference`` (right − wrong) and, for regression,
        ``right_mae`` / ``wrong_mae``. ``artifacts``: ``task``, ``wrong``
        (the key) and ``pairings`` ({run: (activation, loss)}).
    """
    x_train, y_train, x_val, y_val = digits_flat(config.seed)
    runs, metrics = {}, {}
    pairings = config.pairings
    for index, (run, (activation, loss)) in enumerate(pairings.items()):
        model = _pairing_model(config, activation, loss)
        with warnings.catch_warnings():  # Keras warns about a 1-unit softmax
            warnings.simplefilter("ignore", UserWarning)
            result = train.fit(
                model,
                x_train,
                pairing_targets(config.task, y_train, loss),
                epochs=config.epochs,
                batch_size=config.batch_size,
                validation_data=(x_val, pairing_targets(config.task, y_val, loss)),
                seed=config.seed,
                on_progress=_forward(on_progress, run, index, len(pairings)),
                should_stop=should_stop,
            )
            outputs = np.asarray(model.predict_on_batch(x_val))
        runs[run] = result
        metrics[f"{run}_accuracy"] = pairing_accuracy(config.task, y_val, outputs)
        if config.task == "regression":
            metrics[f"{run}_mae"] = float(np.mean(np.abs(outputs[:, 0] - y_val)))
        if result.status == "cancelled":
            break
    if "wrong_accuracy" in metrics:
        metrics["accuracy_difference"] = (
            metrics["right_accuracy"] - metrics["wrong_accuracy"]
        )
    wrong = config.wrong or next(iter(WRONG_PAIRINGS[config.task]))
    artifacts = {"task": config.task, "wrong": wrong, "pairings": pairings}
    return train.TaskResult.combine(runs, metrics=metrics, artifacts=artifacts)


def pairing_summary(metrics: Mapping[str, float]) -> dict[str, str]:
    """The accuracies of :func:`train_loss_pairing` as the page shows them.

    Example:
        >>> pairing_summary({"right_accuracy": 0.9, "wrong_accuracy": 0.5,
        ...                  "accuracy_difference": 0.4})
        {'right_acc': '90.0%', 'wrong_acc': '50.0%', 'difference': '+40.0%'}
    """
    return {
        "right_acc": f"{metrics['right_accuracy']:.1%}",
        "wrong_acc": f"{metrics['wrong_accuracy']:.1%}",
        "difference": f"{metrics['accuracy_difference']:+.1%}",
    }


_TARGET_CODE = {
    "binary": (
        "def targets(digits, loss):\n"
        '    return (digits % 2 == 0).astype("float32")[:, None]  # even?'
    ),
    "multiclass": (
        "def targets(digits, loss):\n"
        '    if loss == "sparse_categorical_crossentropy":\n'
        "        return digits  # integer class labels\n"
        '    return np.eye(10, dtype="float32")[digits]  # one-hot'
    ),
    "multilabel": (
        "def targets(digits, loss):\n"
        "    # three yes/no labels per digit: even? >= 5? prime?\n"
        "    primes = np.isin(digits, (2, 3, 5, 7))\n"
        "    labels = [digits % 2 == 0, digits >= 5, primes]\n"
        '    return np.stack(labels, axis=1).astype("float32")'
    ),
    "regression": (
        "def targets(digits, loss):\n"
        '    return digits.astype("float32")[:, None]  # the digit as a number'
    ),
}
_ACCURACY_CODE = {
    "multiclass": "outputs.argmax(axis=1) == labels_val",
    "regression": "np.clip(np.round(outputs[:, 0]), 0, 9) == labels_val",
    "binary": "(outputs > 0.5) == (targets(labels_val, None) > 0.5)",
    "multilabel": "(outputs > 0.5) == (targets(labels_val, None) > 0.5)",
}


def code_loss_pairing(config: LossPairingConfig) -> str:
    """A standalone script reproducing :func:`train_loss_pairing` with ``model.fit``.

    Its last line, ``FINAL {...}``, holds the task's accuracy metrics.

    Example:
        >>> "model.fit(" in code_loss_pairing(LossPairingConfig())
        True
    """
    c = config
    pairs = "\n".join(f"    {run!r}: {pair!r}," for run, pair in c.pairings.items())
    model_code = (
        "def build_model(activation):\n"
        "    return keras.Sequential(\n"
        "        [\n"
        "            keras.Input((64,)),\n"
        "            keras.layers.Dense(\n"
        "                HIDDEN_UNITS,\n"
        '                activation="relu",\n'
        "                kernel_initializer=keras.initializers.HeNormal(seed=SEED),\n"
        "            ),\n"
        "            keras.layers.Dense(\n"
        "                OUTPUT_UNITS,\n"
        "                activation=activation,\n"
        "                kernel_initializer=keras.initializers.GlorotUniform(seed=SEED + 1),\n"
        "            ),\n"
        "        ]\n"
        "    )"
    )
    loop = (
        "labels_train, labels_val = y_train, y_val  # the digits 0..9\n"
        "results = {}\n"
        "for run, (activation, loss) in PAIRINGS.items():\n"
        '    print("---", run, activation, loss)\n'
        "    y_train, y_val = targets(labels_train, loss), targets(labels_val, loss)\n"
        "    model = build_model(activation)\n"
        "    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss=loss)\n"
        + textwrap.indent(codegen.FIT_LOOP, "    ")
        + "\n    outputs = model.predict(x_val, verbose=0)\n"
        f"    correct = {_ACCURACY_CODE[c.task]}\n"
        '    results[f"{run}_accuracy"] = float(np.mean(correct))\n'
        + (
            '    results[f"{run}_mae"] = float(np.mean(np.abs(outputs[:, 0] - labels_val)))\n'
            if c.task == "regression"
            else ""
        )
        + '\nresults["accuracy_difference"] = '
        'results["right_accuracy"] - results["wrong_accuracy"]\n'
        'print("FINAL", results)'
    )
    return codegen.script(
        codegen.header(
            f"Which loss for which task ({c.task}): a right and a wrong pairing",
            "The same small MLP on the 8x8 digits, trained twice from the same "
            "initial weights on the same batches; only the last activation and the "
            "loss differ.",
        ),
        "import numpy as np\nimport keras",
        codegen.constants(
            SEED=c.seed,
            VAL_FRACTION=0.25,
            HIDDEN_UNITS=c.hidden_units,
            OUTPUT_UNITS=_output_units(c.task),
            LEARNING_RATE=c.learning_rate,
            BATCH_SIZE=c.batch_size,
            EPOCHS=c.epochs,
        ),
        codegen.dataset_code("digits"),
        FLATTEN_CODE,
        _TARGET_CODE[c.task],
        "PAIRINGS = {  # run: (last activation, loss)\n" + pairs + "\n}",
        model_code,
        loop,
    )
