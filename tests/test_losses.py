"""dlcore.losses: Keras parity, curves, distributions, and the three loss labs.

Oracles: Keras' loss functions, NumPy closed forms written from each LaTeX
formula (Keras' ε = 1e-7 clipping and hinge's 0/1 → −1/+1 included), central
finite differences, the information identity H(P, Q) = H(P) + KL(P‖Q),
``np.polyfit`` (least squares), scikit-learn's median regression (least
absolute deviations) and a BFGS minimum of the Huber objective.
"""

import contextlib
import io
import re

import keras
import numpy as np
import plotly.graph_objects as go
import pytest
from scipy.optimize import minimize
from scipy.special import expit, log_softmax
from sklearn.linear_model import QuantileRegressor

from dlcore import losses, topics
from dlcore.figures import losses as figures
from dlcore.i18n import CATALOG

EPS = 1e-7
NAMES = sorted(losses.LOSSES)


# --- NumPy closed forms, one per loss (per sample; batch mean taken by the caller) ---


def _bce(y, p):
    p = np.clip(p, EPS, 1 - EPS)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def _smooth(y, s, k=2):
    return y * (1 - s) + s / k


def _ref_bce(y, p, from_logits=False, label_smoothing=0.0):
    y = _smooth(y, label_smoothing)
    if from_logits:  # max(z, 0) − z·y + log(1 + e^−|z|)
        return np.mean(np.maximum(p, 0) - p * y + np.log1p(np.exp(-np.abs(p))), -1)
    return np.mean(_bce(y, p), -1)


def _ref_focal(
    y,
    p,
    gamma=2.0,
    apply_class_balancing=False,
    alpha=0.25,
    from_logits=False,
    label_smoothing=0.0,
):
    y = _smooth(y, label_smoothing)
    p = expit(p) if from_logits else p
    p_t = y * p + (1 - y) * (1 - p)
    loss = (1 - p_t) ** gamma * _bce(y, p)
    if apply_class_balancing:
        loss = loss * (y * alpha + (1 - y) * (1 - alpha))
    return np.mean(loss, -1)


def _hinge_labels(y):
    return 2 * y - 1 if np.isin(y, (0, 1)).all() else y


def _ref_cce(y, p, from_logits=False, label_smoothing=0.0):
    y = _smooth(y, label_smoothing, y.shape[-1])
    if from_logits:
        return -np.sum(y * log_softmax(p, axis=-1), -1)
    q = np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS)
    return -np.sum(y * np.log(q), -1)


def _ref_scce(y, p, from_logits=False):
    rows = np.arange(len(y))
    if from_logits:
        return -log_softmax(p, axis=-1)[rows, y.astype(int)]
    clipped = np.clip(p, EPS, 1 - EPS)
    return -np.log(clipped[rows, y.astype(int)] / clipped.sum(-1))


def _unit(v):
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), EPS)


def _ref_huber(y, p, delta=1.0):
    e = np.abs(p - y)
    return np.mean(np.where(e <= delta, 0.5 * e**2, delta * e - 0.5 * delta**2), -1)


REFERENCE = {
    "mse": lambda y, p: np.mean((y - p) ** 2, -1),
    "mae": lambda y, p: np.mean(np.abs(y - p), -1),
    "huber": _ref_huber,
    "log_cosh": lambda y, p: np.mean(np.log(np.cosh(p - y)), -1),
    "mape": lambda y, p: 100 * np.mean(np.abs(y - p) / np.maximum(np.abs(y), EPS), -1),
    "msle": lambda y, p: np.mean(
        (np.log(np.maximum(p, EPS) + 1) - np.log(np.maximum(y, EPS) + 1)) ** 2, -1
    ),
    "poisson": lambda y, p: np.mean(p - y * np.log(p + EPS), -1),
    "binary_crossentropy": _ref_bce,
    "binary_focal_crossentropy": _ref_focal,
    "hinge": lambda y, p: np.mean(np.maximum(0, 1 - _hinge_labels(y) * p), -1),
    "squared_hinge": lambda y, p: np.mean(
        np.maximum(0, 1 - _hinge_labels(y) * p) ** 2, -1
    ),
    "categorical_crossentropy": _ref_cce,
    "sparse_categorical_crossentropy": _ref_scce,
    "categorical_hinge": lambda y, p: np.maximum(
        np.max((1 - y) * p, -1) - np.sum(y * p, -1) + 1, 0
    ),
    "kl_divergence": lambda y, p: np.sum(
        np.clip(y, EPS, 1) * np.log(np.clip(y, EPS, 1) / np.clip(p, EPS, 1)), -1
    ),
    "cosine_similarity": lambda y, p: -np.sum(_unit(y) * _unit(p), -1),
}

FUNCTIONS = {
    "mse": keras.losses.mean_squared_error,
    "mae": keras.losses.mean_absolute_error,
    "huber": keras.losses.huber,
    "log_cosh": keras.losses.log_cosh,
    "mape": keras.losses.mean_absolute_percentage_error,
    "msle": keras.losses.mean_squared_logarithmic_error,
    "poisson": keras.losses.poisson,
    "binary_crossentropy": keras.losses.binary_crossentropy,
    "binary_focal_crossentropy": keras.losses.binary_focal_crossentropy,
    "hinge": keras.losses.hinge,
    "squared_hinge": keras.losses.squared_hinge,
    "categorical_crossentropy": keras.losses.categorical_crossentropy,
    "sparse_categorical_crossentropy": keras.losses.sparse_categorical_crossentropy,
    "categorical_hinge": keras.losses.categorical_hinge,
    "kl_divergence": keras.losses.kl_divergence,
    "cosine_similarity": keras.losses.cosine_similarity,
}


def _sample(name, params, seed=0, signs=False):
    """A small batch (y_true, y_pred) of the kind the loss expects."""
    rng = np.random.default_rng(seed)
    spec = losses.LOSSES[name]
    logits = params.get("from_logits", False)
    k = 5
    if spec.target == "real":
        return rng.normal(0, 2, (8, 3)), rng.normal(0, 2, (8, 3))
    if spec.target == "count":
        return rng.poisson(2.0, (8, 3)).astype(float), rng.uniform(0.1, 4, (8, 3))
    if spec.target in ("label", "sign"):
        y = rng.integers(0, 2, (8, 3)).astype(float)
        if signs:
            y = 2 * y - 1
        if spec.prediction == "real":
            return y, rng.normal(0, 1.5, (8, 3))
        return y, rng.normal(0, 2, (8, 3)) if logits else rng.uniform(
            0.01, 0.99, (8, 3)
        )
    labels = rng.integers(0, k, 8)
    scores = rng.normal(0, 2, (8, k))
    probabilities = np.exp(scores) / np.exp(scores).sum(-1, keepdims=True)
    y_pred = scores if logits or spec.prediction == "real" else probabilities
    if spec.target == "index":
        return labels.astype(float), y_pred
    if spec.target == "one_hot":
        return np.eye(k)[labels], y_pred
    if name == "cosine_similarity":
        return rng.normal(0, 1, (8, k)), scores
    target = rng.dirichlet(np.ones(k), 8)
    target[0, 0], target[0] = 0.0, target[0] / target[0].sum()  # a zero entry
    return target, probabilities


CASES = [(name, {}, False) for name in NAMES] + [
    ("huber", {"delta": 0.3}, False),
    ("binary_crossentropy", {"from_logits": True}, False),
    ("binary_crossentropy", {"label_smoothing": 0.2}, False),
    ("binary_crossentropy", {"from_logits": True, "label_smoothing": 0.1}, False),
    ("binary_focal_crossentropy", {"gamma": 0.0}, False),
    ("binary_focal_crossentropy", {"apply_class_balancing": True, "alpha": 0.4}, False),
    ("binary_focal_crossentropy", {"from_logits": True, "label_smoothing": 0.1}, False),
    ("hinge", {}, True),
    ("squared_hinge", {}, True),
    ("categorical_crossentropy", {"from_logits": True}, False),
    ("categorical_crossentropy", {"label_smoothing": 0.1}, False),
    ("sparse_categorical_crossentropy", {"from_logits": True}, False),
]
CASE_IDS = [f"{n}-{p}{'-pm1' if s else ''}" if p or s else n for n, p, s in CASES]


# --- registry and Keras parity -----------------------------------------------------


def test_registry_has_the_requested_losses():
    required = {
        "mse",
        "mae",
        "huber",
        "log_cosh",
        "binary_crossentropy",
        "categorical_crossentropy",
        "sparse_categorical_crossentropy",
        "binary_focal_crossentropy",
        "hinge",
        "squared_hinge",
        "kl_divergence",
        "poisson",
        "categorical_hinge",
        "cosine_similarity",
    }
    assert required <= set(losses.LOSSES)
    assert set(REFERENCE) == set(FUNCTIONS) == set(losses.LOSSES)
    for spec in losses.LOSSES.values():
        assert hasattr(keras.losses, spec.keras_class), spec.name
        assert spec.kind in losses.KINDS
        assert spec.latex.startswith("L =") or spec.latex.startswith("p =")


@pytest.mark.parametrize(("name", "params", "signs"), CASES, ids=CASE_IDS)
def test_value_equals_keras_and_the_closed_form(name, params, signs):
    y_true, y_pred = _sample(name, params, signs=signs)
    value = losses.evaluate(name, y_true, y_pred, **params)
    true32, pred32 = y_true.astype(np.float32), y_pred.astype(np.float32)
    by_function = np.mean(
        keras.ops.convert_to_numpy(FUNCTIONS[name](true32, pred32, **params))
    )
    reference = np.mean(
        REFERENCE[name](true32.astype(float), pred32.astype(float), **params)
    )
    assert value == pytest.approx(by_function, rel=1e-5, abs=1e-6)
    assert value == pytest.approx(reference, rel=1e-5, abs=1e-6)


def test_keras_quirks_are_what_the_formulas_say():
    # Hinge turns 0/1 labels into −1/+1, but leaves other labels alone.
    assert losses.evaluate("hinge", [0.0, 1.0], [-0.5, 0.5]) == pytest.approx(0.5)
    assert losses.evaluate("hinge", [-1.0, 1.0], [-0.5, 0.5]) == pytest.approx(0.5)
    assert losses.evaluate("hinge", [0.0, 0.5], [-0.5, 0.5]) == pytest.approx(0.875)
    # Probabilities are clipped to [ε, 1 − ε]: a confident mistake costs −ln ε.
    assert losses.evaluate("binary_crossentropy", [1.0], [0.0]) == pytest.approx(
        -np.log(EPS), rel=1e-4
    )
    assert r"\varepsilon = 10^{-7}" in losses.formula("binary_crossentropy")
    assert "2y - 1" in losses.formula("hinge")
    assert "softmax}(z)" in losses.formula("categorical_crossentropy", from_logits=True)
    # Sparse and one-hot categorical crossentropy agree on proper distributions.
    y, p = _sample("categorical_crossentropy", {})
    assert losses.evaluate("categorical_crossentropy", y, p) == pytest.approx(
        losses.evaluate("sparse_categorical_crossentropy", y.argmax(-1), p), rel=1e-6
    )


@pytest.mark.parametrize("name", NAMES)
def test_params_have_slider_specs_and_formulas_mention_them(name):
    spec = losses.LOSSES[name]
    for param in spec.params:
        if not param.is_bool:
            assert param.min <= param.default <= param.max and param.step > 0
            assert param.symbol in losses.formula(name), (name, param.name)


# --- curves ------------------------------------------------------------------------


def _curve_arrays(name, target, p, num_classes, params):
    """The (y_true, y_pred) rows `losses.curve` builds, in NumPy (its own rule)."""
    spec = losses.LOSSES[name]
    n = len(p)
    if not spec.per_class:
        return np.full((n, 1), target), p[:, None]
    k = num_classes
    kind = losses.prediction_kind(name, **params)
    spread = kind == "probability" or name == "cosine_similarity"
    rest = (
        np.repeat(((1 - p) / (k - 1))[:, None], k - 1, 1)
        if spread
        else np.zeros((n, k - 1))
    )
    y_pred = np.concatenate([p[:, None], rest], axis=1)
    if spec.target == "index":
        return np.full(n, 0 if target == 1 else 1), y_pred
    row = np.r_[target, np.full(k - 1, (1 - target) / (k - 1))]
    return np.tile(row, (n, 1)), y_pred


PROBABILITIES = np.linspace(0.02, 0.98, 49)
REALS = np.linspace(-2.9, 2.9, 59) + 0.013
CURVES = [
    ("mse", 0.7, REALS, {}),
    ("mae", 0.7, REALS, {}),
    ("huber", 0.7, REALS, {"delta": 0.5}),
    ("log_cosh", 0.7, REALS, {}),
    ("mape", 0.7, REALS, {}),
    ("msle", 0.7, REALS + 3.0, {}),
    ("poisson", 2.0, np.linspace(0.2, 5, 49), {}),
    ("binary_crossentropy", 1.0, PROBABILITIES, {}),
    ("binary_crossentropy", 0.0, REALS * 2, {"from_logits": True}),
    ("binary_crossentropy", 1.0, PROBABILITIES, {"label_smoothing": 0.2}),
    ("binary_focal_crossentropy", 1.0, PROBABILITIES, {"gamma": 2.0}),
    ("binary_focal_crossentropy", 0.0, REALS * 2, {"from_logits": True}),
    ("hinge", 0.0, REALS, {}),
    ("hinge", 1.0, REALS, {}),
    ("squared_hinge", -1.0, REALS, {}),
    ("categorical_crossentropy", 1.0, PROBABILITIES, {}),
    ("categorical_crossentropy", 0.0, PROBABILITIES, {"label_smoothing": 0.1}),
    ("categorical_crossentropy", 1.0, REALS * 2, {"from_logits": True}),
    ("sparse_categorical_crossentropy", 1.0, PROBABILITIES, {}),
    ("sparse_categorical_crossentropy", 0.0, REALS * 2, {"from_logits": True}),
    ("categorical_hinge", 1.0, REALS, {}),
    ("kl_divergence", 0.6, PROBABILITIES, {}),
    ("cosine_similarity", 0.8, REALS, {}),
]


CURVES = [
    (*case, k)
    for case in CURVES
    for k in ((3, 5) if losses.LOSSES[case[0]].per_class else (3,))
]  # multi-class curves with 3 and 5 classes


@pytest.mark.parametrize(
    ("name", "target", "p", "params", "num_classes"),
    CURVES,
    ids=[
        f"{c[0]}-{c[1]}-{c[3]}-K{c[4]}" if c[3] else f"{c[0]}-{c[1]}-K{c[4]}"
        for c in CURVES
    ],
)
def test_curve_and_its_derivative_match_the_closed_form(
    name, target, p, params, num_classes
):
    p = p.astype(np.float32).astype(np.float64)
    loss, slope = losses.curve(name, target, p, num_classes=num_classes, **params)

    def reference(values):
        y_true, y_pred = _curve_arrays(name, target, values, num_classes, params)
        return REFERENCE[name](y_true, y_pred, **params)

    np.testing.assert_allclose(loss, reference(p), rtol=2e-5, atol=2e-5)
    h = 1e-6
    forward = (reference(p + h) - reference(p)) / h
    backward = (reference(p) - reference(p - h)) / h
    smooth = np.abs(forward - backward) < 1e-3 * (1 + np.abs(forward))  # no kink here
    assert smooth.mean() > 0.8
    central = (reference(p + h) - reference(p - h)) / (2 * h)
    np.testing.assert_allclose(slope[smooth], central[smooth], rtol=2e-4, atol=2e-4)


def test_curve_points_equal_single_sample_evaluations():
    p = np.array([0.1, 0.5, 0.9])
    loss, _ = losses.curve("binary_focal_crossentropy", 1.0, p, gamma=1.0)
    for value, prob in zip(loss, p, strict=True):
        assert value == pytest.approx(
            losses.evaluate("binary_focal_crossentropy", [[1.0]], [[prob]], gamma=1.0),
            rel=1e-6,
        )


def test_prediction_kind_follows_from_logits():
    assert losses.prediction_kind("binary_crossentropy") == "probability"
    assert losses.prediction_kind("binary_crossentropy", from_logits=True) == "logit"
    assert losses.prediction_kind("hinge") == "real"
    assert losses.prediction_kind("poisson") == "rate"


# --- distributions -----------------------------------------------------------------


def test_kl_equals_keras_and_the_entropy_identity_holds():
    rng = np.random.default_rng(0)
    for _ in range(20):
        p, q = rng.dirichlet(np.ones(6)), rng.dirichlet(np.ones(6))
        p[rng.integers(6)] = 0.0  # zeros are allowed in P
        stats = losses.distribution_stats(p, q)
        by_keras = float(keras.losses.KLDivergence()(p / p.sum(), q))
        assert stats["kl_pq"] == pytest.approx(by_keras, rel=1e-5, abs=1e-6)
        assert stats["kl_qp"] == pytest.approx(
            float(keras.losses.KLDivergence()(q, p / p.sum())), rel=1e-5, abs=1e-6
        )
        assert stats["kl_pq"] >= 0 and stats["kl_qp"] >= 0
        assert stats["identity_gap"] < 1e-12
        assert stats["cross_entropy"] == pytest.approx(
            stats["entropy_p"] + stats["kl_pq"]
        )


def test_kl_is_asymmetric_zero_on_itself_and_scale_free():
    stats = losses.distribution_stats([0.9, 0.1], [0.5, 0.5])
    assert stats["kl_pq"] != pytest.approx(stats["kl_qp"], rel=1e-2)
    same = losses.distribution_stats([1, 2, 3], [2, 4, 6])  # counts are normalised
    assert same["kl_pq"] == pytest.approx(0.0, abs=1e-12)
    assert same["entropy_p"] == pytest.approx(
        -np.sum([1, 2, 3] / np.float64(6) * np.log([1 / 6, 2 / 6, 3 / 6]))
    )
    uniform = losses.distribution_stats(np.ones(4), np.ones(4))
    assert uniform["entropy_p"] == pytest.approx(np.log(4))


def test_a_zero_in_q_is_flagged_and_stays_finite_like_keras():
    stats = losses.distribution_stats([0.5, 0.5], [1.0, 0.0])
    assert stats["support_mismatch"] and np.isfinite(stats["kl_pq"])
    assert stats["kl_pq"] == pytest.approx(
        float(keras.losses.KLDivergence()([0.5, 0.5], [1.0, 0.0])), rel=1e-5
    )


@pytest.mark.parametrize(
    ("p", "q", "message"),
    [
        ([0.5, -0.1], [0.5, 0.5], "P must not contain negative"),
        ([0.0, 0.0], [0.5, 0.5], "P sums to 0, but probabilities must sum to a pos"),
        ([0.5, 0.5], [0.0, 0.0], "Q sums to 0, but probabilities must sum to a pos"),
        ([1.0], [1.0], "at least 2"),
        ([0.5, 0.5], [0.2, 0.3, 0.5], "same number of categories"),
        ([0.5, np.nan], [0.5, 0.5], "finite"),
    ],
)
def test_distribution_stats_rejects_bad_distributions(p, q, message):
    with pytest.raises(ValueError, match=message):
        losses.distribution_stats(p, q)


# --- degenerate rows, huge weights, and the ε clipping ------------------------------

_POSITIVE = "must sum to a positive value"


def test_keras_turns_a_zero_probability_row_into_nan_or_a_uniform_guess():
    """Why the check exists: what Keras itself says for a row of zeros."""
    zeros = np.zeros((1, 3), np.float32)
    cce = float(keras.losses.CategoricalCrossentropy()(np.eye(1, 3), zeros))
    scce = float(keras.losses.SparseCategoricalCrossentropy()(np.array([0]), zeros))
    assert np.isnan(cce)
    assert scce == pytest.approx(np.log(3))  # silently "a uniform guess"


@pytest.mark.parametrize(
    ("call", "where"),
    [
        (
            lambda: losses.evaluate(
                "categorical_crossentropy", [[1, 0, 0]], [[0, 0, 0]]
            ),
            "categorical_crossentropy: y_pred: row 0",
        ),
        (
            lambda: losses.evaluate(
                "sparse_categorical_crossentropy", [0, 1], [[0.2, 0.8, 0], [0, 0, 0]]
            ),
            "sparse_categorical_crossentropy: y_pred: row 1",
        ),
        (
            lambda: losses.evaluate("kl_divergence", [[0.5, 0.5]], [[0.0, 0.0]]),
            "kl_divergence: y_pred: row 0",
        ),
        (
            lambda: losses.evaluate("kl_divergence", [[0.0, 0.0]], [[0.5, 0.5]]),
            "kl_divergence: y_true: row 0",
        ),
        (
            lambda: losses.evaluate(
                "categorical_crossentropy", [[0, 0]], [[1.0, 2.0]], from_logits=True
            ),
            "categorical_crossentropy: y_true: row 0",
        ),
        (
            lambda: losses.evaluate(
                "categorical_crossentropy", [0.0, 0.0, 0.0], [0.2, 0.3, 0.5]
            ),
            "categorical_crossentropy: y_true sums to 0",
        ),
        (lambda: losses.distribution_stats([0, 0], [1, 1]), "P sums to 0"),
        (lambda: losses.distribution_stats([1, 1], [0, 0]), "Q sums to 0"),
        (lambda: losses.keras_distribution_losses([1, 1], [0, 0]), "Q sums to 0"),
        (lambda: figures.distribution_figure([0, 0, 0], [1, 1, 1]), "P sums to 0"),
        (lambda: losses.require_positive_rows([[1, 0], [0, 0]], "x"), "x: row 1"),
    ],
)
def test_every_function_taking_probabilities_rejects_a_row_without_positive_sum(
    call, where
):
    with pytest.raises(ValueError, match=_POSITIVE) as raised:
        call()
    assert str(raised.value).startswith(where), raised.value


def test_rows_with_a_positive_sum_still_equal_keras():
    # Keras normalises a categorical prediction by its sum; a logit row may be 0.
    y, p = [[0.0, 1.0, 0.0]], [[0.1, 0.3, 0.2]]  # sums to 0.6: a positive sum
    assert losses.evaluate("categorical_crossentropy", y, p) == pytest.approx(
        float(keras.losses.CategoricalCrossentropy()(y, p)), rel=1e-6
    )
    zero_logits = losses.evaluate(
        "categorical_crossentropy", y, [[0.0, 0.0, 0.0]], from_logits=True
    )
    assert zero_logits == pytest.approx(np.log(3), rel=1e-6)
    # A multi-label target of all zeros is a valid binary target, not a row.
    assert np.isfinite(losses.evaluate("binary_crossentropy", [[0, 0]], [[0.1, 0.2]]))
    # The curves' rows are built to sum to 1: finite at p = 0 and p = 1.
    loss, _ = losses.curve("categorical_crossentropy", 1.0, [0.0, 1.0])
    assert np.all(np.isfinite(loss))


def test_huge_weights_normalise_without_overflow_and_kl_stays_non_negative():
    """Issue 16: P = [1e308, 1e308, 0, 0] once overflowed and gave KL < 0."""
    q = [1.0, 2.0, 3.0, 4.0]
    with np.errstate(all="raise"):  # no overflow on the way
        huge = losses.distribution_stats([1e308, 1e308, 0, 0], q)
    small = losses.distribution_stats([1, 1, 0, 0], q)
    assert huge["p"] == [0.5, 0.5, 0.0, 0.0]
    for key in ("entropy_p", "cross_entropy", "kl_pq", "kl_qp"):
        assert huge[key] == pytest.approx(small[key], rel=1e-12), key
    p_n, q_n = np.array([0.5, 0.5, 0, 0]), np.array(q) / 10
    closed = np.sum(p_n[:2] * np.log(p_n[:2] / q_n[:2]))  # 0·ln 0 = 0
    assert huge["kl_pq"] > 0 and huge["kl_pq"] == pytest.approx(closed, abs=1e-5)
    both = losses.distribution_stats([1e308, 1e308], [1e308, 1e300])
    assert both["q"] == pytest.approx([1.0, 1e-8]) and both["kl_pq"] > 0
    assert not [n for _, n in losses.distribution_notes(huge) if "negative" in n]


@pytest.mark.parametrize(
    ("p", "q"),
    [
        ([1e308, 1e308, 0, 0], [1.0, 1.0, 1.0, 1.0]),
        ([1e308, 1e308, 0, 0], [1e308, 1e308, 1e-300, 0]),
        ([1.7e308, 1.7e308, 1.7e308], [5e-324, 5e-324, 1e-320]),
        ([5e-324, 1e-323, 0], [1e308, 1.0, 5e-324]),
        ([1e308, 1e-308, 1.0], [1e-308, 1e308, 1.0]),
        ([1.0, 1e-9, 1e-300], [1.0, 0.0, 0.0]),
    ],
)
def test_extreme_weights_match_keras_on_the_normalised_inputs(p, q):
    """Issue 16: no overflow, and every number is what Keras says for the
    normalised P and Q (float32 there); a KL below 0 is a clipping hair only."""
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        stats = losses.distribution_stats(p, q)
    for key in ("p", "q"):
        assert np.all(np.isfinite(stats[key])) and sum(stats[key]) == pytest.approx(1)
    # The oracle normalises in exact arithmetic (Python fractions of the floats).
    from fractions import Fraction

    for given, shown in ((p, stats["p"]), (q, stats["q"])):
        total = sum(Fraction(v) for v in given)
        exact = [float(Fraction(v) / total) for v in given]
        assert shown == pytest.approx(exact, rel=1e-12, abs=1e-300)
    rows_p, rows_q = np.array([stats["p"]]), np.array([stats["q"]])
    kl = float(keras.losses.KLDivergence()(rows_p, rows_q))
    cce = float(keras.losses.CategoricalCrossentropy()(rows_p, rows_q))
    assert stats["kl_pq"] == pytest.approx(kl, rel=1e-5, abs=1e-6)
    # Keras' cross-entropy clips Q only (not P): the two differ by at most
    # n·ε·ln(1/ε), under the 4 decimals the page shows.
    n = len(p)
    assert stats["cross_entropy"] == pytest.approx(cce, rel=1e-5, abs=n * EPS * 17)
    for key in ("kl_pq", "kl_qp"):
        assert stats[key] >= -n * EPS  # below 0 only by the ε clipping
        if stats[key] < 0:
            assert ("caption", "loss.dist.negative_note") in losses.distribution_notes(
                stats
            )


def test_a_kl_a_hair_below_zero_from_clipping_is_explained():
    """Keras clips to ε first: with mass below ε the clipped KL can be < 0."""
    p, q = [1 - 1e-8, 1e-8], [1.0, 0.0]
    stats = losses.distribution_stats(p, q)
    by_keras = float(keras.losses.KLDivergence()([p], [q]))
    assert -2 * EPS <= stats["kl_pq"] < 0
    assert stats["kl_pq"] == pytest.approx(by_keras, abs=1e-7)
    notes = losses.distribution_notes(stats)
    assert ("caption", "loss.dist.negative_note") in notes
    from dlcore.i18n import t

    for lang in ("en", "zh"):
        text = t("loss.dist.negative_note", lang, **stats)
        assert f"{stats['kl_pq']:.2g}" in text and "{" not in text
    assert ("caption", "loss.dist.negative_note") not in losses.distribution_notes(
        losses.distribution_stats([0.9, 0.1], [0.5, 0.5])
    )


# --- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: losses.evaluate("foo", [1.0], [1.0]),
            r"Unknown loss 'foo'; expected one of \[",
        ),
        (
            lambda: losses.evaluate("huber", [1.0], [1.0], delta=0),
            "delta must be between",
        ),
        (
            lambda: losses.evaluate("mse", [1.0], [1.0], delta=1),
            "mse has no parameter 'delta'",
        ),
        (lambda: losses.evaluate("mse", [1.0, 2.0], [1.0]), "same shape"),
        (lambda: losses.evaluate("mse", ["a"], [1.0]), "y_true must be numeric"),
        (
            lambda: losses.evaluate("binary_crossentropy", [1.0], [1.5]),
            "from_logits=True",
        ),
        (lambda: losses.evaluate("binary_crossentropy", [2.0], [0.5]), "labels in"),
        (
            lambda: losses.evaluate(
                "sparse_categorical_crossentropy", [3], [[0.5, 0.5]]
            ),
            "class indices",
        ),
        (lambda: losses.evaluate("poisson", [1.0], [-1.0]), "non-negative rate"),
        (lambda: losses.curve("hinge", 0.5, [0.0]), "target must be -1, 0 or 1"),
        (lambda: losses.curve("binary_crossentropy", 1.0, [1.2]), "probabilities"),
        (
            lambda: losses.curve("categorical_crossentropy", 1.0, [0.5], num_classes=1),
            "num_classes",
        ),
        (lambda: losses.names("ranking"), "Unknown loss kind"),
        (lambda: losses.OutlierLabConfig(outlier_fraction=0.9), "outlier_fraction"),
        (lambda: losses.LossPairingConfig(task="ranking"), "Unknown task"),
        (
            lambda: losses.LossPairingConfig(task="binary", wrong="no_softmax"),
            "Unknown wrong",
        ),
    ],
)
def test_bad_input_raises_a_helpful_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- which loss for which task -----------------------------------------------------


def test_task_guide_rows_are_valid_keras():
    assert set(losses.TASK_GUIDE) == {
        "binary",
        "multiclass",
        "multilabel",
        "regression",
        "regression_unit",
    }
    for task, row in losses.TASK_GUIDE.items():
        assert losses.get_spec(row["loss"]).name, task
        compile(row["compile"], task, "eval")  # a valid Python call
        compile(row["last_layer"], task, "eval")
        assert f"loss.task.{task}" in CATALOG and f"loss.task_note.{task}" in CATALOG
    zh = losses.task_guide("zh")
    assert len(zh) == 5 and "任务" in zh.columns


def test_every_wrong_pairing_is_explained_and_targets_fit_the_loss():
    digits = np.arange(10)
    for task, options in losses.WRONG_PAIRINGS.items():
        for key, (_, loss) in options.items():
            assert f"loss.wrong.{key}" in CATALOG, key
            assert losses.pairing_targets(task, digits, loss).shape[0] == 10
        right = losses.RIGHT_PAIRINGS[task]
        assert right not in options.values()
    assert losses.pairing_targets("multiclass", digits, "mse").shape == (10, 10)


# --- figures and strings -----------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_figures_build_with_translated_titles(lang):
    outlier = {
        "x": np.array([-1.0, 0.0, 1.0]),
        "y": np.array([-1.0, 1.0, 9.0]),
        "is_outlier": np.array([False, False, True]),
        "true_line": (2.0, 1.0),
        "fits": {"mse": (3.0, 2.0), "mae": (2.0, 1.0), "huber": (2.1, 1.1)},
        "residuals": {"mse": np.zeros(3), "mae": np.ones(3), "huber": np.ones(3)},
    }
    pairing = {"pairings": {"right": ("softmax", "scce"), "wrong": ("linear", "scce")}}
    built = [
        figures.loss_curve_figure(
            ["binary_crossentropy", "binary_focal_crossentropy"], target=1.0, lang=lang
        ),
        figures.loss_curve_figure(
            ["categorical_crossentropy"],
            target=1.0,
            params={"categorical_crossentropy": {"from_logits": True}},
            lang=lang,
        ),
        figures.distribution_figure([1, 2, 3], [3, 2, 1], lang=lang),
        figures.outlier_fit_figure(outlier, lang=lang),
        figures.residual_figure(outlier, lang=lang),
        figures.pairing_figure(
            {"right_accuracy": 0.9, "wrong_accuracy": 0.3}, pairing, lang=lang
        ),
    ]
    for fig in built:
        assert isinstance(fig, go.Figure) and fig.data
        assert fig.layout.title.text and "loss." not in fig.layout.title.text
    if lang == "zh":
        assert "目标" in built[2].layout.title.text


def _legend(fig):
    return [trace.name for trace in fig.data if trace.showlegend is not False]


def test_curves_that_coincide_say_so_in_the_legend():
    names = [
        "categorical_crossentropy",
        "sparse_categorical_crossentropy",
        "kl_divergence",
    ]
    true_class = figures.loss_curve_figure(names, target=1.0)
    for axis in (true_class.layout.xaxis, true_class.layout.xaxis2):
        assert axis.title.text == "predicted probability p"
    assert _legend(true_class) == [
        "categorical CE",
        "sparse categorical CE (same curve as categorical CE)",
        "KL divergence (same curve as categorical CE)",
    ]
    # On a wrong class KL = CE − H(y): shifted by ln 2 (K = 3), same slope.
    wrong_class = figures.loss_curve_figure(names, target=0.0)
    gap = np.asarray(wrong_class.data[0].y) - np.asarray(wrong_class.data[4].y)
    np.testing.assert_allclose(gap, np.log(2), atol=1e-4)
    assert _legend(wrong_class)[2] == "KL divergence (same slope as categorical CE)"
    # Focal loss with γ = 0 and no class balancing is cross-entropy.
    focal = figures.loss_curve_figure(
        ["binary_crossentropy", "binary_focal_crossentropy"],
        target=1.0,
        params={"binary_focal_crossentropy": {"gamma": 0.0}},
        lang="zh",
    )
    assert _legend(focal)[1] == "焦点交叉熵（与二元交叉熵曲线重合）"
    distinct = figures.loss_curve_figure(["mse", "mae", "huber", "log_cosh"], target=0)
    assert _legend(distinct) == ["MSE", "MAE", "Huber", "log-cosh"]


def _pairing_history(right, wrong):
    import pandas as pd

    rows = []
    for run, values in (("right", right), ("wrong", wrong)):
        for epoch, (loss, val) in enumerate(values, start=1):
            rows.append({"epoch": epoch, "run": run, "loss": loss, "val_loss": val})
    return pd.DataFrame(rows).set_index("epoch")


def test_identical_learning_curves_get_one_legend_entry_and_both_show():
    same = [(0.52, 0.36), (0.30, 0.28), (0.07, 0.10)]
    history = _pairing_history(same, same)
    assert losses.coinciding_runs(history) == {
        "loss": [["right", "wrong"]],
        "val_loss": [["right", "wrong"]],
    }
    fig = figures.run_curves_figure(history)
    assert _legend(fig) == [
        "right pairing = wrong pairing (training)",
        "right pairing = wrong pairing (validation)",
    ]
    under = [tr for tr in fig.data if tr.showlegend is False]
    top = [tr for tr in fig.data if tr.showlegend is not False]
    assert len(under) == 2 and min(u.line.width for u in under) > max(
        t.line.width for t in top
    )  # the covered line is drawn wide underneath: both colours show
    assert {u.line.color for u in under} != {t.line.color for t in top}
    zh = figures.run_curves_figure(history, lang="zh")
    assert _legend(zh)[0] == "正确搭配 = 错误搭配 (训练集)"
    # Different curves keep their four entries; a near miss is not "identical".
    apart = _pairing_history(same, [(v * 1.01, w) for v, w in same])
    assert losses.coinciding_runs(apart) == {"val_loss": [["right", "wrong"]]}
    assert len(_legend(figures.run_curves_figure(apart))) == 3
    different = _pairing_history(same, [(v * 2, w * 2) for v, w in same])
    assert losses.coinciding_runs(different) == {}
    assert len(_legend(figures.run_curves_figure(different))) == 4


def test_pairing_and_residual_charts_fit_a_phone_and_hide_nothing():
    pairing = {
        "pairings": {
            "right": ("softmax", "sparse_categorical_crossentropy"),
            "wrong": ("linear", "sparse_categorical_crossentropy"),
        }
    }
    fig = figures.pairing_figure(
        {"right_accuracy": 0.97, "wrong_accuracy": 0.34}, pairing, lang="zh"
    )
    bars = fig.data[0]
    assert list(bars.x) == ["正确搭配", "错误搭配"]  # short enough for 390 px
    assert list(bars.customdata) == [
        "softmax + sparse_categorical_crossentropy",
        "linear + sparse_categorical_crossentropy",
    ]
    assert list(bars.text) == ["97.0%", "34.0%"]
    residuals = {
        "residuals": {"mse": [-1.0, 0.0, 9.0], "mae": [0.0, 0.0, 10.0], "huber": [0.0]}
    }
    fig = figures.residual_figure(residuals)
    assert fig.layout.barmode != "overlay"  # one panel per loss, no bar hidden
    assert [tr.xaxis for tr in fig.data] == ["x", "x2", "x3"]
    assert [a.text for a in fig.layout.annotations] == ["MSE", "MAE", "Huber"]


def _font_sizes(node):
    if isinstance(node, dict):
        for key, value in node.items():
            size = value.get("size") if isinstance(value, dict) else None
            if key in ("font", "tickfont", "textfont") and isinstance(
                size, (int, float)
            ):
                yield size
            yield from _font_sizes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _font_sizes(value)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_chart_text_is_large_and_log_ticks_show_full_values(lang):
    from dlcore.figures import theme

    outlier = {
        "x": np.array([-1.0, 0.0, 1.0]),
        "y": np.array([-1.0, 1.0, 9.0]),
        "is_outlier": np.array([False, False, True]),
        "true_line": (2.0, 1.0),
        "fits": {"mse": (3.0, 2.0), "mae": (2.0, 1.0), "huber": (2.1, 1.1)},
        "residuals": {"mse": np.zeros(3), "mae": np.ones(3), "huber": np.ones(3)},
    }
    pairing = {"pairings": {"right": ("sigmoid", "bce"), "wrong": ("softmax", "bce")}}
    near = [(2.31, 2.30), (2.30, 2.29), (2.29, 2.29)]  # a loss that stays near 2.3
    decades = [(0.5, 0.36), (0.2, 0.28), (0.05, 0.1)]
    built = [
        figures.loss_curve_figure(["mse", "mae"], target=0.0, lang=lang),
        figures.distribution_figure([1, 2, 3], [3, 2, 1], lang=lang),
        figures.outlier_fit_figure(outlier, lang=lang),
        figures.residual_figure(outlier, lang=lang),
        figures.pairing_figure({"right_accuracy": 1.0, "wrong_accuracy": 0.5}, pairing),
        figures.run_curves_figure(_pairing_history(near, near), lang=lang),
        figures.run_curves_figure(_pairing_history(decades, near), lang=lang),
    ]
    for fig in built:
        spec = fig.to_plotly_json()
        sizes = list(_font_sizes(spec))
        assert sizes and min(sizes) >= theme.MIN_FONT_SIZE, fig.layout.title.text
        for name, axis in spec["layout"].items():
            if name.startswith(("xaxis", "yaxis")) and axis.get("type") == "log":
                labels, values = list(axis["ticktext"]), list(axis["tickvals"])
                assert len(labels) >= 2, labels
                for label, value in zip(labels, values, strict=True):
                    assert float(label) == pytest.approx(value), (label, value)
    log_axis = built[-1].layout.yaxis
    assert log_axis.type == "log" and {"0.5", "0.2", "0.1"} <= set(log_axis.ticktext)


def test_curve_figure_refuses_mixed_axes():
    with pytest.raises(ValueError, match="different x-axes"):
        figures.loss_curve_figure(["mse", "binary_crossentropy"], target=1.0)


def test_topic_strings_are_prefixed():
    from dlcore.i18n import losses as strings

    page = topics.topic("losses")  # the registry's keys, then the topic's own
    own = {page.title_key, page.about_key}
    assert all(key.startswith("loss.") or key in own for key in strings.STRINGS)
    for kind in losses.KINDS:
        assert f"loss.kind.{kind}" in CATALOG


# --- training tasks ----------------------------------------------------------------


def test_outlier_data_is_seeded_and_has_the_requested_outliers():
    config = losses.OutlierLabConfig(
        num_samples=50, outlier_fraction=0.2, outlier_size=5.0
    )
    x, y, outlier = losses.make_outlier_data(config)
    assert x.shape == y.shape == (50, 1) and outlier.sum() == 10
    again = losses.make_outlier_data(config)
    np.testing.assert_array_equal(y, again[1])
    residual = y[:, 0] - (losses.TRUE_SLOPE * x[:, 0] + losses.TRUE_INTERCEPT)
    assert residual[outlier].mean() > 3.0 > abs(residual[~outlier].mean())


@pytest.mark.slow
def test_outlier_lab_fits_match_closed_form_and_robust_oracles():
    config = losses.OutlierLabConfig()
    events = []
    result = losses.train_outlier_lab(config, on_progress=events.append)
    m, art = result.metrics, result.artifacts
    x, y = art["x"].astype(np.float64), art["y"].astype(np.float64)
    slope, intercept = np.polyfit(x, y, 1)  # least squares = the MSE minimum
    assert m["mse_slope"] == pytest.approx(slope, abs=1e-4)
    assert m["mse_intercept"] == pytest.approx(intercept, abs=1e-4)
    lad = QuantileRegressor(quantile=0.5, alpha=0.0, solver="highs").fit(x[:, None], y)
    assert m["mae_slope"] == pytest.approx(lad.coef_[0], abs=0.02)
    assert m["mae_intercept"] == pytest.approx(lad.intercept_, abs=0.02)

    def huber(w):
        return np.mean(
            _ref_huber(y[:, None], (w[0] * x + w[1])[:, None], config.huber_delta)
        )

    best = minimize(huber, [0.0, 0.0], method="BFGS", options={"gtol": 1e-10}).x
    np.testing.assert_allclose(
        [m["huber_slope"], m["huber_intercept"]], best, atol=1e-3
    )
    # Robust losses stay near the true line; MSE is dragged towards the outliers.
    for run in ("mae", "huber"):
        assert abs(m[f"{run}_intercept"] - 1) < abs(m["mse_intercept"] - 1) / 3
    assert sorted(result.history["run"].unique()) == ["huber", "mae", "mse"]
    assert {(e["run"], e["run_index"], e["num_runs"]) for e in events} == {
        ("mse", 0, 3),
        ("mae", 1, 3),
        ("huber", 2, 3),
    }
    np.testing.assert_allclose(art["residuals"]["mse"].mean(), 0.0, atol=1e-3)
    # A task is deterministic given its config (the result cache relies on it).
    small = losses.OutlierLabConfig(epochs=20, seed=5)
    assert (
        losses.train_outlier_lab(small).metrics
        == losses.train_outlier_lab(small).metrics
    )


@pytest.mark.slow
def test_softmax_on_one_unit_predicts_yes_for_every_sample():
    config = losses.LossPairingConfig(task="binary", epochs=2)
    result = losses.train_loss_pairing(config)
    _, _, _, y_val = losses.digits_flat(config.seed)
    # A softmax over a single unit is always 1: accuracy = the share of evens.
    assert result.metrics["wrong_accuracy"] == pytest.approx(np.mean(y_val % 2 == 0))
    assert result.metrics["right_accuracy"] > 0.85
    # ... although Keras computed its loss from the logits: identical curves.
    history = result.history
    np.testing.assert_allclose(
        history[history["run"] == "right"]["loss"],
        history[history["run"] == "wrong"]["loss"],
    )
    # The chart says so: one legend entry per split, not four with two hidden.
    assert set(losses.coinciding_runs(history)) == {"loss", "val_loss"}
    assert _legend(figures.run_curves_figure(history)) == [
        "right pairing = wrong pairing (training)",
        "right pairing = wrong pairing (validation)",
    ]


@pytest.mark.slow
def test_forgetting_the_softmax_costs_accuracy_and_the_script_agrees():
    config = losses.LossPairingConfig(task="multiclass", epochs=2)
    result = losses.train_loss_pairing(config)
    m = result.metrics
    assert m["right_accuracy"] > 0.85
    assert m["accuracy_difference"] == pytest.approx(
        m["right_accuracy"] - m["wrong_accuracy"]
    )
    assert m["accuracy_difference"] > 0.3
    assert result.artifacts["pairings"]["wrong"] == (
        "linear",
        "sparse_categorical_crossentropy",
    )
    code = losses.code_loss_pairing(config)
    assert "dlcore" not in code
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "pairing.py", "exec"), {"__name__": "__main__"})
    final = eval(out.getvalue().strip().splitlines()[-1].removeprefix("FINAL "))
    for name, value in m.items():
        assert final[name] == pytest.approx(value, abs=1e-6), name


@pytest.mark.parametrize("task", sorted(losses.WRONG_PAIRINGS))
def test_every_pairing_script_compiles(task):
    for wrong in losses.WRONG_PAIRINGS[task]:
        config = losses.LossPairingConfig(task=task, wrong=wrong)
        compile(losses.code_loss_pairing(config), f"{task}.py", "exec")


# --- page helpers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "q", "code", "which"),
    [
        ([0.5, -0.1], [0.5, 0.5], "negative", "P"),
        ([0.5, 0.5], [0.0, 0.0], "zeros", "Q"),
        ([1.0], [1.0], "size", "P"),
        ([0.5, np.nan], [0.5, 0.5], "not_finite", "P"),
        ([0.5, 0.5], [0.2, 0.3, 0.5], "mismatch", "P, Q"),
        (["a", "b"], [0.5, 0.5], "not_finite", "P"),
    ],
)
def test_distribution_errors_name_the_problem_for_a_translated_message(
    p, q, code, which
):
    with pytest.raises(losses.DistributionError) as raised:
        losses.distribution_stats(p, q)
    assert (raised.value.code, raised.value.which) == (code, which)
    assert f"loss.dist.error.{code}" in CATALOG


def test_reverse_support_mismatch_and_the_keras_check():
    stats = losses.distribution_stats([0.0, 1.0], [0.5, 0.5])
    assert stats["support_mismatch_reverse"] and not stats["support_mismatch"]
    assert [key for _, key in losses.distribution_notes(stats)] == [
        "loss.dist.support_mismatch_reverse",
        "loss.dist.zero_note",
    ]
    for preset in losses.DIST_PRESETS:
        table = losses.distribution_table(preset)
        stats = losses.distribution_stats(table["P"], table["Q"])
        by_keras = losses.keras_distribution_losses(table["P"], table["Q"])
        assert by_keras["kl_divergence"] == pytest.approx(stats["kl_pq"], abs=1e-5)
        assert by_keras["categorical_crossentropy"] == pytest.approx(
            stats["cross_entropy"], abs=1e-5
        )
        assert f"loss.dist.preset.{preset}" in CATALOG
    assert losses.distribution_stats(*losses.DIST_PRESETS["zero_in_q"])[
        "support_mismatch"
    ]


@pytest.mark.parametrize("family", sorted(losses.CURVE_FAMILIES))
@pytest.mark.parametrize("from_logits", [False, True])
def test_every_curve_family_plots_its_losses_on_one_axis(family, from_logits):
    spec = losses.CURVE_FAMILIES[family]
    options, defaults = spec.choices(from_logits)
    assert set(defaults) <= set(options) and f"loss.family.{family}" in CATALOG
    target = spec.labels[0] if spec.labels else spec.target_range[3]
    params = {n: losses.curve_params(n, from_logits, {}) for n in options}
    x_range = losses.curve_x_range(family, target, from_logits)
    fig = figures.loss_curve_figure(
        options, target=target, params=params, x_range=x_range
    )
    assert len(fig.data) == 2 * len(options)
    for name in options:
        assert f"loss.name.{name}" in CATALOG
        for param in losses.LOSSES[name].params:
            assert f"loss.param.{param.name}" in CATALOG or param.name == "from_logits"
    if spec.labels:
        for label in spec.labels:
            assert f"loss.label.{family}.{label:g}" in CATALOG


def test_hinge_shares_the_score_axis_with_logits_and_huge_edges_are_zoomed():
    params = {"binary_crossentropy": {"from_logits": True}}
    fig = figures.loss_curve_figure(
        ["binary_crossentropy", "hinge"], target=1.0, params=params
    )
    assert fig.layout.xaxis.title.text == "logit / raw score z"
    fig = figures.loss_curve_figure(["binary_crossentropy"], target=1.0)
    slope = np.asarray(fig.data[1].y)
    assert slope.min() < -1000  # −1/p at p = 1e-4: the data are complete...
    low, high = fig.layout.yaxis2.range  # ... but the axis shows the rest
    assert -200 < low < high and high >= slope.max()


@pytest.mark.parametrize("name", NAMES)
def test_displayed_formula_keeps_every_clause_and_shows_the_settings(name):
    spec = losses.LOSSES[name]
    values = {p.name: p.max if not p.is_bool else True for p in spec.params}
    shown = losses.formula_display(name, **values)
    assert shown.startswith(r"\begin{gathered}") and shown.endswith(r"\end{gathered}")
    assert shown.count("{") == shown.count("}")
    squeeze = lambda text: re.sub(r",\\(quad|\ )|\\\\|\s", "", text)  # noqa: E731
    assert squeeze(losses.formula(name, **values)) in squeeze(shown)
    for param in spec.params:
        if not param.is_bool:
            assert f"{param.symbol} = {param.max:g}" in shown
    assert "otherwise" not in losses.formula_display(name, lang="zh")


def test_snippets_and_tables_of_the_task_guide():
    for task, row in losses.TASK_GUIDE.items():
        snippet = losses.task_snippet(task, "zh")
        assert row["last_layer"] in snippet and "loss=" in snippet
        compile(snippet.replace("K,", "10,"), task, "exec")
    code = losses.pairing_snippet("binary", "softmax", "binary_crossentropy", 0.003)
    compile(code, "pairing", "exec")
    assert 'Dense(1, activation="softmax")' in code
    assert "keras.optimizers.Adam(learning_rate=0.003)" in code
    summary = losses.pairing_summary(
        {"right_accuracy": 0.96, "wrong_accuracy": 0.5, "accuracy_difference": 0.46}
    )
    assert summary == {
        "right_acc": "96.0%",
        "wrong_acc": "50.0%",
        "difference": "+46.0%",
    }
    metrics = {
        f"{run}_{k}": 1.0 for run in losses.OUTLIER_RUNS for k in ("slope", "intercept")
    }
    table = losses.fit_table(
        {**metrics, "lstsq_slope": 2.5, "lstsq_intercept": 0.5}, "zh"
    )
    assert table.shape == (5, 2) and table.loc["最小二乘（闭式解）", "斜率"] == 2.5
    assert losses.curve_notes("multiclass", ["categorical_crossentropy"], False) == [
        "loss.curve.clip_note",
        "loss.curve.multiclass_note",
    ]


def test_run_curves_are_labelled_in_the_chosen_language():
    import pandas as pd

    history = pd.DataFrame(
        {"epoch": [1, 1, 1], "run": ["mse", "mae", "huber"], "loss": [3.0, 2.0, 1.0]}
    )
    names = [trace.name for trace in figures.run_curves_figure(history, lang="zh").data]
    assert names[0].startswith("MSE（均方误差）")


@pytest.mark.parametrize("name", NAMES)
def test_every_symbol_of_a_formula_is_defined_with_and_without_logits(name):
    # Regression: the from_logits focal formula used w without defining it.
    for from_logits in (False, True):
        if from_logits and not losses.LOSSES[name].latex_logits:
            continue
        params = {"from_logits": True} if from_logits else {}
        text = losses.formula(name, **params)
        definitions = {  # symbol -> how its definition starts
            "w_i": ["w ="],
            "\\tilde y": ["\\tilde y ="],
            "\\bar p": ["\\bar p =", "\\bar p_k ="],
            "\\bar y": ["\\bar y ="],
        }
        for symbol, starts in definitions.items():
            if symbol in text:
                assert any(d in text for d in starts), (name, from_logits, symbol)


# --- the registry line: tasks, controls, presets -------------------------------------


def test_tasks_use_the_shared_optimizers_with_kerass_own_arguments():
    from dlcore.losses import tasks

    def settings(optimizer):
        return {k: v for k, v in optimizer.get_config().items() if k != "name"}

    line = tasks._line_model("mse", 0.1).optimizer
    assert type(line) is keras.optimizers.SGD
    assert settings(line) == settings(keras.optimizers.SGD(0.1))
    config = losses.LossPairingConfig(learning_rate=0.003)
    adam = tasks._pairing_model(config, "softmax", "mse").optimizer
    assert type(adam) is keras.optimizers.Adam
    assert settings(adam) == settings(keras.optimizers.Adam(0.003))
    outlier = losses.code_outlier_lab(losses.OutlierLabConfig())
    assert "keras.optimizers.SGD(learning_rate=LEARNING_RATE)" in outlier
    pairing = losses.code_loss_pairing(config)
    assert "keras.optimizers.Adam(learning_rate=LEARNING_RATE)" in pairing


def test_presets_are_validated_configs_and_known_controls():
    page = topics.topic("losses")
    assert page.load_presets() == losses.PRESETS
    tabs = {"curves", "dist", "outliers", "guide"}
    for preset in losses.PRESETS:
        assert preset.tab in tabs, preset.name
        values = page.preset_values(preset)  # raises if no task owns the config
        assert values and all(key.startswith("loss_") for key in values)
        assert values["loss_tab"] == preset.tab
    pairing = page.preset_values(losses.PRESETS[-1])
    assert pairing == {
        "loss_task": "multiclass",
        "loss_wrong_multiclass": "softmax_bce",
        "loss_tab": "guide",
    }
    outlier = losses.outlier_controls(losses.OutlierLabConfig(outlier_size=30.0))
    assert outlier["loss_out_outlier_size"] == 30.0 and len(outlier) == 5
    rebuilt = losses.OutlierLabConfig(
        **{k.removeprefix("loss_out_"): v for k, v in outlier.items()}
    )
    assert rebuilt == losses.OutlierLabConfig(outlier_size=30.0)
    # A field the page has no control for would be lost silently: refused.
    with pytest.raises(ValueError, match="no control for"):
        losses.outlier_controls(losses.OutlierLabConfig(epochs=50))
    with pytest.raises(ValueError, match="no control for"):
        losses.pairing_controls(losses.LossPairingConfig(epochs=3))
    default = losses.pairing_controls(losses.LossPairingConfig(task="regression"))
    assert default == {
        "loss_task": "regression",
        "loss_wrong_regression": "sigmoid_mse",
    }
