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
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from dlcore import codegen, runtime, train  # runtime configures TF first
from dlcore.activations import FLATTEN_CODE, ParamSpec, digits_flat, resolve_params
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
            r" \end{cases},\quad e_i = \hat y_i - y_i",
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
                rf"\bigr] = -{_MEAN} \bigl[\tilde y_i \ln\sigma(z_i) + (1 - \tilde y_i)"
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


# ----------------------------------------------------------------------------
# 3. Distributions: entropy, cross-entropy, KL
# ----------------------------------------------------------------------------


def _distribution(values: Any, what: str) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64).ravel()
    if array.size < 2 or not np.all(np.isfinite(array)):
        raise ValueError(
            f"{what} must hold at least 2 finite numbers, got {values!r:.80}"
        )
    if array.min() < 0:
        raise ValueError(f"{what} must not contain negative values, got {array.min()}")
    if array.sum() <= 0:
        raise ValueError(f"{what} is all zeros; give some category a positive weight")
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
        KL(Q‖P), ``identity_gap`` ``|H(P,Q) − H(P) − KL(P‖Q)|`` and
        ``support_mismatch``.

    Example:
        >>> s = distribution_stats([1, 1], [3, 1])
        >>> round(s["kl_pq"], 4), round(s["kl_qp"], 4), s["kl_pq"] >= 0
        (0.1438, 0.1308, True)
    """
    p, q = _distribution(p, "P"), _distribution(q, "Q")
    if p.shape != q.shape:
        raise ValueError(
            f"P and Q need the same number of categories; got {p.size} and {q.size}"
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
