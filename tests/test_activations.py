"""dlcore.activations: Keras parity, derivatives, measured properties, gradient flow.

Oracles: Keras itself, NumPy closed forms written from each LaTeX formula,
central finite differences (float64), textbook values (σ′ ≤ 1/4, tanh′(0) = 1,
GELU's maximum slope Φ(√2) + √2·φ(√2)) and an independent ``model(x)`` pass
for the per-layer gradients.
"""

import contextlib
import dataclasses
import inspect
import io
import math
import time

import keras
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from scipy.special import erf, expit

from dlcore import activations as act
from dlcore import blocks
from dlcore.figures import activations as figures
from dlcore.i18n import CATALOG

NAMES = sorted(act.ACTIVATIONS)
SQRT_2PI = math.sqrt(2 * math.pi)


def _softplus(x):
    return np.logaddexp(0.0, x)


def _relu6(x):
    return np.clip(x, 0.0, 6.0)


#: One NumPy closed form per activation, written from its LaTeX formula.
REFERENCE = {
    "relu": lambda x: np.maximum(x, 0.0),
    "relu6": _relu6,
    "leaky_relu": lambda x, negative_slope=0.2: np.where(x >= 0, x, negative_slope * x),
    "elu": lambda x, alpha=1.0: np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))),
    "selu": lambda x: (
        act.SELU_SCALE * np.where(x > 0, x, act.SELU_ALPHA * np.expm1(np.minimum(x, 0)))
    ),
    "celu": lambda x, alpha=1.0: (
        np.maximum(x, 0) + alpha * np.expm1(np.minimum(x, 0) / alpha)
    ),
    "gelu": lambda x, approximate=False: (
        0.5 * x * (1 + np.tanh(act.GELU_SQRT_2_OVER_PI * (x + act.GELU_CUBIC * x**3)))
        if approximate
        else 0.5 * x * (1 + erf(x / math.sqrt(2)))
    ),
    "silu": lambda x: x * expit(x),
    "hard_silu": lambda x: x * _relu6(x + 3) / 6,
    "mish": lambda x: x * np.tanh(_softplus(x)),
    "softplus": _softplus,
    "squareplus": lambda x, b=4.0: (x + np.sqrt(x**2 + b)) / 2,
    "sparse_plus": lambda x: np.where(
        x <= -1, 0.0, np.where(x < 1, (x + 1) ** 2 / 4, x)
    ),
    "softsign": lambda x: x / (1 + np.abs(x)),
    "sigmoid": expit,
    "hard_sigmoid": lambda x: _relu6(x + 3) / 6,
    "sparse_sigmoid": lambda x: np.clip((x + 1) / 2, 0.0, 1.0),
    "log_sigmoid": lambda x: -_softplus(-x),
    "tanh": lambda x: 2 * expit(2 * x) - 1,
    "hard_tanh": lambda x: np.clip(x, -1.0, 1.0),
    "tanh_shrink": lambda x: x - np.tanh(x),
    "soft_shrink": lambda x, threshold=0.5: np.where(
        x > threshold, x - threshold, np.where(x < -threshold, x + threshold, 0.0)
    ),
    "hard_shrink": lambda x, threshold=0.5: np.where(np.abs(x) > threshold, x, 0.0),
    "threshold": lambda x, threshold=0.0, default_value=0.0: np.where(
        x > threshold, x, default_value
    ),
    "linear": lambda x: x,
    "exponential": np.exp,
}

#: Default parameters, plus non-default ones for every parameterised activation.
CASES = [(name, {}) for name in NAMES] + [
    ("leaky_relu", {"negative_slope": 0.05}),
    ("elu", {"alpha": 0.5}),
    ("celu", {"alpha": 2.0}),
    ("gelu", {"approximate": True}),
    ("squareplus", {"b": 1.0}),
    ("soft_shrink", {"threshold": 1.2}),
    ("hard_shrink", {"threshold": 1.2}),
    ("threshold", {"threshold": 0.7, "default_value": -1.0}),
]
CASE_IDS = [f"{name}-{params}" if params else name for name, params in CASES]
# Grid points stay ≥ 0.01 away from every kink (multiples of 0.1 here).
X = np.linspace(-5.95, 5.95, 239) + 0.0123


# --- registry and Keras parity -----------------------------------------------------


def test_registry_holds_every_elementwise_keras_activation():
    public = {
        name
        for name, value in vars(keras.activations).items()
        if inspect.isfunction(value) and not name.startswith("_")
    }
    not_elementwise = {"softmax", "log_softmax", "sparsemax", "glu"}
    helpers = {"get", "serialize", "deserialize"}
    aliases = {alias for spec in act.ACTIVATIONS.values() for alias in spec.aliases}
    assert public - not_elementwise - helpers - aliases == set(act.ACTIVATIONS)
    assert set(REFERENCE) == set(act.ACTIVATIONS)


@pytest.mark.parametrize(("name", "params"), CASES, ids=CASE_IDS)
def test_values_equal_keras_and_the_closed_form(name, params):
    x32 = X.astype(np.float32)
    y, _ = act.evaluate(name, x32, **params)
    full = {**act.ACTIVATIONS[name].defaults, **params}  # threshold needs all
    by_keras = keras.ops.convert_to_numpy(getattr(keras.activations, name)(x32, **full))
    np.testing.assert_allclose(y, by_keras, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(y, REFERENCE[name](X, **params), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(("name", "params"), CASES, ids=CASE_IDS)
def test_derivative_matches_central_finite_differences(name, params):
    h = 1e-6
    _, dy = act.evaluate(name, X, dtype="float64", **params)
    upper, _ = act.evaluate(name, X + h, dtype="float64", **params)
    lower, _ = act.evaluate(name, X - h, dtype="float64", **params)
    np.testing.assert_allclose(dy, (upper - lower) / (2 * h), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_float32_derivative_matches_float64_to_keras_precision(name):
    _, dy32 = act.evaluate(name, X.astype(np.float32))
    _, dy64 = act.evaluate(name, X, dtype="float64")
    np.testing.assert_allclose(dy32, dy64, rtol=1e-5, atol=1e-5)


def test_aliases_resolve_to_the_same_function():
    assert act.get_spec("swish").name == "silu"
    assert act.get_spec("hard_swish").name == "hard_silu"
    np.testing.assert_array_equal(
        act.evaluate("swish", X)[0], act.evaluate("silu", X)[0]
    )


# --- formulas ----------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_formula_is_latex_of_f_of_x(name):
    spec = act.ACTIVATIONS[name]
    assert act.formula(name).startswith("f(x) =")
    for param in spec.params:
        if not param.is_bool:
            assert param.symbol and param.symbol in spec.latex, (name, param.name)
            assert param.min <= param.default <= param.max
            assert param.step > 0


def test_tanh_formula_is_the_right_identity():
    latex = act.formula("tanh")
    assert r"2\sigma(2x) - 1" in latex
    assert r"\frac{2\sigma" not in latex  # not 2σ(2x) / (1 + σ(2x))
    x = np.linspace(-3, 3, 61)
    wrong = 2 * expit(2 * x) / (1 + expit(2 * x))
    assert np.max(np.abs(np.tanh(x) - wrong)) > 0.1


def test_gelu_formulas_use_the_constants_tensorflow_uses():
    assert math.isclose(act.GELU_SQRT_2_OVER_PI, math.sqrt(2 / math.pi), abs_tol=1e-15)
    exact, approx = act.formula("gelu"), act.formula("gelu", approximate=True)
    assert r"\Phi(x)" in exact and "erf" in exact
    assert "0.044715" in approx and r"\sqrt{2/\pi}" in approx
    x = np.linspace(-4, 4, 81).astype(np.float32)
    y = keras.ops.convert_to_numpy(keras.activations.gelu(x, approximate=True))
    np.testing.assert_allclose(y, REFERENCE["gelu"](x, approximate=True), atol=1e-6)


def test_hard_sigmoid_is_relu6_shifted_and_scaled_as_in_keras_3():
    assert r"\operatorname{relu6}(x + 3)}{6}" in act.formula("hard_sigmoid")
    y, _ = act.evaluate("hard_sigmoid", [-3.0, 0.0, 1.5, 3.0])
    np.testing.assert_allclose(y, [0.0, 0.5, 0.75, 1.0])


def test_selu_constants_match_keras():
    latex = act.formula("selu")
    assert "1.0507009874" in latex and "1.6732632424" in latex
    y, dy = act.evaluate("selu", [1.0, -1e3], dtype="float64")
    np.testing.assert_allclose(y, [act.SELU_SCALE, -act.SELU_SCALE * act.SELU_ALPHA])
    np.testing.assert_allclose(dy[0], act.SELU_SCALE)


# --- measured properties -----------------------------------------------------------

GELU_MAX_SLOPE = 0.5 * (1 + math.erf(1.0)) + math.sqrt(2) * math.exp(-1.0) / SQRT_2PI


@pytest.mark.parametrize(
    ("name", "key", "expected"),
    [
        ("sigmoid", "max_grad", 0.25),
        ("sigmoid", "max_grad_at", "x = 0"),
        ("sigmoid", "range", "(0, 1)"),
        ("sigmoid", "zero_centred", False),
        ("sigmoid", "saturating", "both"),
        ("tanh", "max_grad", 1.0),
        ("tanh", "max_grad_at", "x = 0"),
        ("tanh", "range", "(−1, 1)"),
        ("tanh", "zero_centred", True),
        ("relu", "range", "[0, ∞)"),
        ("relu", "zero_grad_at", "x < 0"),
        ("relu", "max_grad_at", "x > 0"),
        ("relu", "saturating", "left"),
        ("relu6", "range", "[0, 6]"),
        ("relu6", "zero_grad_at", "x < 0, x > 6"),
        ("leaky_relu", "saturating", "none"),
        ("hard_sigmoid", "max_grad", pytest.approx(1 / 6)),
        ("hard_sigmoid", "max_grad_at", "−3 < x < 3"),
        ("hard_tanh", "range", "[−1, 1]"),
        ("softsign", "range", "(−1, 1)"),
        ("elu", "range", "(−1, ∞)"),
        ("selu", "zero_centred", True),
        ("selu", "max_grad", pytest.approx(act.SELU_SCALE * act.SELU_ALPHA, rel=1e-6)),
        ("selu", "max_grad_at", "x → 0⁻"),
        ("gelu", "max_grad", pytest.approx(GELU_MAX_SLOPE, rel=1e-5)),
        ("gelu", "monotonic", False),
        ("silu", "zero_grad_at", "x ≈ −1.278"),
        ("silu", "monotonic", False),
        ("hard_silu", "zero_grad_at", "x < −3, x = −1.5"),
        ("log_sigmoid", "saturating", "right"),
        ("softplus", "range", "(0, ∞)"),
        ("exponential", "max_grad", math.inf),
        ("linear", "max_grad_at", "x ∈ ℝ"),
    ],
)
def test_measured_properties_match_known_values(name, key, expected):
    assert act.properties(name)[key] == expected


def test_properties_follow_the_parameters():
    assert act.properties("leaky_relu", negative_slope=0.0)["saturating"] == "left"
    assert act.properties("elu", alpha=2.0)["lower"] == pytest.approx(-2.0)
    assert (
        act.properties("threshold", threshold=1.0, default_value=2.0)["monotonic"]
        is False
    )


def test_sigmoid_lower_bound_agrees_with_its_maximum_slope():
    # σ′ = σ(1 − σ) ≤ 1/4, measured from autodiff on the whole grid.
    _, dy = act.evaluate("sigmoid", act.PROPERTY_GRID, dtype="float64")
    assert dy.max() == pytest.approx(0.25) and dy.min() > 0


def test_properties_table_has_one_row_per_activation():
    table = act.properties_table()
    assert list(table.index) == list(act.ACTIVATIONS)
    assert {"range", "zero_centred", "monotonic", "saturating", "max_grad"} <= set(
        table
    )


def test_identity_table_holds_and_shows_tanh_identity():
    table = act.identity_table(np.linspace(-8, 8, 101))
    assert table["holds"].all(), table
    assert table.loc[0, "identity"] == r"\tanh(x) = 2\sigma(2x) - 1"
    assert any("(z + c)" in text for text in table["identity"])


# --- softmax -----------------------------------------------------------------------

LOGITS = np.array([2.0, -1.0, 0.5, 3.0, 0.0], np.float32)


@pytest.mark.parametrize("temperature", [0.1, 0.5, 1.0, 2.0, 10.0])
def test_softmax_with_temperature_equals_keras_of_scaled_logits(temperature):
    expected = keras.ops.convert_to_numpy(
        keras.activations.softmax(LOGITS / temperature)
    )
    np.testing.assert_allclose(act.softmax(LOGITS, temperature), expected, rtol=1e-6)
    # softmax(z / T) = p^(1/T) / Σ p^(1/T) with p = softmax(z): renormalised, so
    # the raw power p^(1/T) is *not* the answer.
    p = act.softmax(LOGITS).astype(np.float64)
    powered = p ** (1 / temperature)
    np.testing.assert_allclose(
        act.softmax(LOGITS, temperature), powered / powered.sum(), rtol=1e-4
    )
    if temperature != 1.0:
        assert not np.allclose(act.softmax(LOGITS, temperature), powered, rtol=1e-3)


@pytest.mark.parametrize("shift", [-50.0, 3.0, 40.0])
def test_softmax_is_shift_invariant(shift):
    np.testing.assert_allclose(
        act.softmax(LOGITS + np.float32(shift)),
        act.softmax(LOGITS),
        rtol=1e-5,
        atol=1e-6,
    )


def test_softmax_limits_uniform_and_one_hot():
    k = 4
    np.testing.assert_array_equal(
        act.softmax(np.full(k, 7.0)), np.full(k, 1 / k, np.float32)
    )
    np.testing.assert_allclose(act.softmax(LOGITS, 1e4), np.full(5, 0.2), atol=1e-3)
    np.testing.assert_allclose(
        act.softmax(LOGITS, 1e-3), np.eye(5)[LOGITS.argmax()], atol=1e-6
    )


def test_naive_softmax_overflows_where_the_stable_one_does_not():
    big = [1000.0, 999.0, 0.0]
    assert np.isnan(act.naive_softmax(big)).any()
    expected = np.exp([0.0, -1.0, -1000.0]) / np.exp([0.0, -1.0, -1000.0]).sum()
    np.testing.assert_allclose(act.stable_softmax(big), expected, rtol=1e-6)
    np.testing.assert_allclose(act.softmax(big), expected, rtol=1e-6)
    small = [1.0, 2.0, 3.0]
    np.testing.assert_allclose(
        act.naive_softmax(small), act.stable_softmax(small), rtol=1e-6
    )
    table = act.softmax_overflow_table(big)
    assert table["naive"].isna().any() and np.isclose(table["stable"].sum(), 1.0)


# --- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: act.evaluate("foo", [0.0]),
            r"Unknown activation 'foo'; expected one of \[",
        ),
        (lambda: act.evaluate("softmax", [0.0]), "not elementwise"),
        (lambda: act.evaluate("elu", [0.0], beta=1), "elu has no parameter 'beta'"),
        (lambda: act.evaluate("relu", [0.0], alpha=1), "no parameters"),
        (
            lambda: act.evaluate("elu", [0.0], alpha=99),
            r"alpha must be between 0.1 and 3.0",
        ),
        (lambda: act.evaluate("gelu", [0.0], approximate="yes"), "True or False"),
        (lambda: act.evaluate("relu", ["a"]), "x must be numeric"),
        (lambda: act.evaluate("relu", [0.0], dtype="int8"), "dtype"),
        (
            lambda: act.softmax([1.0, 2.0], temperature=0),
            "temperature must be a positive",
        ),
        (lambda: act.softmax([1.0]), "at least 2 logits"),
        (lambda: act.identity_table([]), "non-empty"),
        (lambda: act.gradient_flow("relu", 3, 8, "ones"), "Unknown initializer 'ones'"),
        (lambda: act.gradient_flow("relu", 0, 8, "he_normal"), "depth must be"),
        (
            lambda: act.gradient_flow("relu", 3, 8, "he_normal", num_samples=0),
            "num_samples",
        ),
        (lambda: act.GradientLabConfig(optimizer="lion"), "Unknown optimizer"),
        (lambda: act.GradientLabConfig(activation="nope"), "Unknown activation"),
    ],
)
def test_bad_input_raises_a_helpful_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- gradient flow -----------------------------------------------------------------


def test_gradient_flow_table_shape_and_columns():
    table = act.gradient_flow("tanh", 4, 16, "glorot_uniform")
    assert list(table["layer"]) == [1, 2, 3, 4]
    for column in (
        "grad_norm",
        "activation_mean",
        "activation_std",
        "dead_fraction",
        "saturated_fraction",
    ):
        assert column in table and table[column].notna().all(), column
    assert table["dead_fraction"].between(0, 1).all()


@pytest.mark.parametrize("batch_norm", [False, True])
def test_gradient_norms_equal_an_independent_model_call(batch_norm):
    model = act.build_mlp("elu", 3, 12, "he_normal", seed=1, batch_norm=batch_norm)
    x_train, y_train, _, _ = act.digits_flat(1)
    x, y = x_train[:64], y_train[:64]
    kernels = [
        layer.kernel for layer in model.layers if layer.name.startswith("hidden_")
    ]
    import tensorflow as tf

    with tf.GradientTape() as tape:
        loss = keras.losses.SparseCategoricalCrossentropy()(y, model(x, training=True))
    expected = [float(tf.norm(g)) for g in tape.gradient(loss, kernels)]
    # Fresh model with the same seeds: the probe sees the same initial weights.
    fresh = act.build_mlp("elu", 3, 12, "he_normal", seed=1, batch_norm=batch_norm)
    table = act.probe_model(fresh, x, y).table
    np.testing.assert_allclose(table["grad_norm"], expected, rtol=1e-5)
    assert table.attrs["loss"] == pytest.approx(float(loss), rel=1e-6)


def test_sigmoid_with_small_weights_vanishes_but_relu_he_does_not():
    vanishing = act.gradient_flow("sigmoid", 20, 32, "random_normal", sigma=0.05)
    healthy = act.gradient_flow("relu", 20, 32, "he_normal")
    ratio = vanishing["grad_norm"].iloc[0] / vanishing["grad_norm"].iloc[-1]
    assert ratio < 1e-6  # many orders of magnitude
    assert healthy["grad_norm"].iloc[0] / healthy["grad_norm"].iloc[-1] > 0.1
    assert (healthy["grad_norm"] > 1e-3).all()


def test_batch_norm_restores_the_gradient_of_the_first_layers():
    table = act.gradient_flow("sigmoid", 20, 32, "random_normal", batch_norm=True)
    assert table["grad_norm"].iloc[0] / table["grad_norm"].iloc[-1] > 0.1


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
def test_zeros_initializer_gives_zero_hidden_gradients(activation):
    table = act.gradient_flow(activation, 5, 16, "zeros")
    assert (table["grad_norm"] == 0).all()
    assert (table["activation_std"] == 0).all()  # every unit computes the same
    if activation == "relu":
        assert (table["dead_fraction"] == 1).all()  # relu′(0) = 0 on every sample


def test_large_weights_saturate_tanh_units():
    table = act.gradient_flow("tanh", 5, 32, "random_normal", sigma=1.0)
    assert table["saturated_fraction"].iloc[0] > 0.1
    small = act.gradient_flow("tanh", 5, 32, "random_normal", sigma=0.05)
    assert (small["saturated_fraction"] == 0).all()


def test_units_whose_slope_rounds_to_zero_still_count_as_saturated():
    # Regression: tanh with N(0, 2²) weights is pushed so far into its tails that
    # f'(z) = 1 − tanh²(z) is exactly 0.0 in float32 on most samples. Those units
    # used to count as neither dead nor saturated.
    probe = act.probe_gradient_flow("tanh", 6, 32, "random_normal", sigma=2.0)
    deep = probe.samples[6].astype(np.float64)
    assert np.mean(deep**2 == 1.0) > 0.3  # stuck at exactly ±1: f' = 0 in float32
    # The oracle: tanh' = 1 − a², small on most samples.
    assert np.mean(1 - deep**2 < act.SATURATED_SLOPE) > 0.5
    assert probe.table["saturated_fraction"].iloc[1:].mean() > 0.5
    # ReLU's switched-off side (f = 0, f' = 0) is not saturation.
    relu = act.gradient_flow("relu", 6, 32, "he_normal")
    assert (relu["saturated_fraction"] == 0).all()


def test_activation_samples_per_layer_and_determinism():
    samples = act.activation_samples("relu", 3, 16, "he_normal", num_samples=64)
    assert sorted(samples) == [1, 2, 3]
    assert all(0 < len(v) <= 2000 and (v >= 0).all() for v in samples.values())
    first = act.gradient_flow("relu", 3, 16, "he_normal", seed=3)
    second = act.gradient_flow("relu", 3, 16, "he_normal", seed=3)
    pd.testing.assert_frame_equal(first, second)
    other = act.gradient_flow("relu", 3, 16, "he_normal", seed=4)
    assert not np.allclose(first["grad_norm"], other["grad_norm"])


def test_default_gradient_flow_is_fast_after_warm_up():
    act.gradient_flow("sigmoid", 10, 32, "random_normal")
    seconds = []
    for _ in range(2):
        tic = time.perf_counter()
        act.gradient_flow("sigmoid", 10, 32, "random_normal")
        seconds.append(time.perf_counter() - tic)
    assert min(seconds) < 1.0, seconds


# --- figures and strings -----------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_figures_build_with_translated_titles(lang):
    table = act.gradient_flow("relu", 3, 8, "he_normal")
    samples = act.activation_samples("relu", 3, 8, "he_normal")
    built = [
        figures.activation_figure(
            ["relu", "elu", "gelu", "tanh"], params={"elu": {"alpha": 0.5}}, lang=lang
        ),
        figures.properties_figure(["relu", "tanh"], lang=lang),
        figures.softmax_figure([1.0, 2.0, 3.0], [0.5, 1.0, 4.0], lang=lang),
        figures.gradient_flow_figure(
            {"a": table, "b": table.to_dict(orient="list")}, lang=lang
        ),
        figures.activation_histogram_figure(samples, lang=lang),
        figures.unit_health_figure(table, lang=lang),
    ]
    for fig in built:
        assert isinstance(fig, go.Figure) and fig.data
        title = fig.layout.title.text
        assert title and not title.startswith("act."), title
        if lang == "zh":
            assert any("\u4e00" <= ch <= "\u9fff" for ch in title), title


def test_figure_inputs_are_checked():
    with pytest.raises(ValueError, match="between 1 and 4"):
        figures.activation_figure(["relu"] * 5)
    zeros = act.gradient_flow("relu", 2, 4, "zeros")
    fig = figures.gradient_flow_figure(zeros)
    assert fig.layout.annotations  # explains why nothing is drawn on the log axis


def test_properties_frame_translates_values():
    frame = figures.properties_frame(["sigmoid", "relu"], lang="zh")
    assert "值域" in frame.columns and frame.iloc[0, 1] == "否"


def test_topic_strings_are_prefixed():
    from dlcore.i18n import activations as strings

    own = {"nav.activations", "home.about.activations"}  # its title and blurb
    assert all(key.startswith("act.") for key in set(strings.STRINGS) - own)
    assert own <= set(strings.STRINGS)
    assert set(strings.STRINGS) <= set(CATALOG)
    for name in act.INITIALIZERS:
        assert f"act.init.{name}" in CATALOG


# --- training task -----------------------------------------------------------------


@pytest.mark.slow
def test_gradient_lab_learns_with_relu_and_stalls_with_deep_sigmoid():
    config = act.GradientLabConfig(
        activation="relu",
        initializer="he_normal",
        depth=3,
        epochs=4,
        optimizer="adam",
        learning_rate=0.01,
    )
    good = act.train_gradient_lab(config)
    assert good.status == "finished"
    assert good.metrics["val_accuracy"] > 0.85
    assert len(good.artifacts["initial_flow"]["layer"]) == 3
    events = []
    stuck = act.train_gradient_lab(
        act.GradientLabConfig(epochs=2), on_progress=events.append
    )
    assert stuck.metrics["val_accuracy"] < 0.3
    assert stuck.metrics["grad_ratio"] < 1e-6
    assert [e["epoch"] for e in events] == [1, 2]
    assert list(stuck.history.index) == [1, 2]


@pytest.mark.slow
def test_exported_gradient_lab_script_reproduces_the_run():
    config = act.GradientLabConfig(
        activation="tanh",
        initializer="glorot_uniform",
        depth=3,
        width=16,
        epochs=2,
        batch_norm=True,
    )
    expected = act.train_gradient_lab(config).metrics
    code = act.code_gradient_lab(config)
    assert "dlcore" not in code
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "gradient_lab.py", "exec"), {"__name__": "__main__"})
    lines = out.getvalue().strip().splitlines()
    assert lines[0].startswith("layer  1: |dL/dW| =")
    final = eval(lines[-1].removeprefix("FINAL "))
    for name in ("loss", "val_loss", "val_accuracy"):
        np.testing.assert_allclose(final[name], expected[name], rtol=1e-4, err_msg=name)


@pytest.mark.parametrize("initializer", act.INITIALIZERS)
def test_every_exported_script_compiles(initializer):
    for name in ("threshold", "gelu"):
        config = act.GradientLabConfig(activation=name, initializer=initializer)
        compile(act.code_gradient_lab(config), "gradient_lab.py", "exec")


# --- page helpers: formulas with values, misconceptions, logits, presets ------------


def test_formula_with_values_shows_the_slider_values():
    assert act.formula_with_values("relu") == act.formula("relu")
    text = act.formula_with_values("threshold", threshold=1.5, default_value=-2.0)
    assert text.endswith(r"\quad \theta = 1.5,\ v = -2")
    # GELU's boolean picks the formula and is not printed as a number.
    assert act.formula_with_values("gelu", approximate=True) == act.formula(
        "gelu", approximate=True
    )


def test_properties_table_uses_the_given_parameters():
    table = act.properties_table(
        ["leaky_relu", "elu"], {"leaky_relu": {"negative_slope": 0.5}}
    )
    # leaky_relu(α = 0.5): slopes 0.5 and 1; elu with its default α = 1.
    assert table.loc["leaky_relu", "max_grad"] == 1.0
    assert table.loc["leaky_relu", "range"] == "(−∞, ∞)"
    assert table.loc["elu", "range"] == "(−1, ∞)"
    frame = figures.properties_frame(["elu"], params={"elu": {"alpha": 2.5}})
    assert frame.iloc[0, 0] == "(−2.5, ∞)"


def test_misconceptions_fail_by_the_closed_form_amount():
    x = np.linspace(-4, 4, 81)
    table = act.misconception_table(x)
    assert not table["holds"].any()
    s = expit(2 * x)
    expected_tanh = np.max(np.abs(np.tanh(x) - 2 * s / (1 + s)))
    p = np.exp(x - x.max()) / np.exp(x - x.max()).sum()
    expected_power = np.max(np.abs(p - p ** (1 / x.size)))
    expected_hard = np.max(np.abs(_relu6(x + 3) / 6 - np.clip(0.2 * x + 0.5, 0, 1)))
    np.testing.assert_allclose(
        table["max_abs_diff"], [expected_tanh, expected_power, expected_hard], rtol=1e-4
    )
    text = figures.identities_markdown(x, lang="en")
    assert text.count("✓") == len(act.identity_table(x)) and text.count("✗") == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2, 1, 0.1", [2.0, 1.0, 0.1]),
        ("[1000 999\t-3]", [1000.0, 999.0, -3.0]),
        ("3，−1、0.5；2", [3.0, -1.0, 0.5, 2.0]),
        ("1e3, -1e-3", [1000.0, -0.001]),
    ],
)
def test_parse_logits_accepts_what_students_type(text, expected):
    np.testing.assert_allclose(act.parse_logits(text), expected, rtol=1e-6)


@pytest.mark.parametrize(
    ("text", "reason", "token"),
    [
        ("", "count", ""),
        ("5", "count", ""),
        (", ".join(["1"] * (act.MAX_LOGITS + 1)), "count", ""),
        ("1, two", "number", "two"),
        ("1, inf", "finite", "inf"),
        ("1, 1e39", "finite", "1e39"),  # beyond float32
    ],
)
def test_parse_logits_rejects_bad_text_with_a_reason(text, reason, token):
    with pytest.raises(act.LogitsError) as info:
        act.parse_logits(text)
    assert (info.value.reason, info.value.token) == (reason, token)
    assert isinstance(info.value, ValueError)


def test_softmax_overflow_frame_shows_nan_and_sums():
    frame = figures.softmax_overflow_frame([1000.0, 999.0, 0.0], lang="zh")
    assert list(frame.columns) == ["logit z / T", "朴素实现", "减去最大值", "Keras"]
    assert frame.index[-1] == "Σ" and frame.iloc[-1, 2] == "1"
    assert frame.iloc[:, 1].tolist()[:2] == ["nan", "nan"]


def test_flow_verdict_and_summary():
    verdict = act.flow_verdict
    assert verdict({"grad_norm": [0.0, 0.0]}) == "zero"
    assert verdict({"grad_norm": [0.0, 1.0]}) == "vanishing"
    assert verdict({"grad_norm": [1.0, 0.0]}) == "exploding"
    assert verdict({"grad_norm": [np.nan, 1.0]}) == "exploding"
    assert verdict({"grad_norm": [1e3, 1.0]}) == "exploding"
    assert verdict({"grad_norm": [0.1, 1.0]}) == "healthy"
    table = act.gradient_flow("relu", 3, 8, "he_normal")
    summary = act.flow_summary(table)
    grads = table["grad_norm"].to_numpy()
    assert summary["grad_ratio"] == pytest.approx(grads[0] / grads[-1])
    assert summary["loss"] == table.attrs["loss"] > 0


#: What the gradient picture at initialisation says about each teacher preset.
PRESET_VERDICTS = {
    "vanishing": "vanishing",
    "glorot": "healthy",
    "healthy": "healthy",
    "symmetry": "zero",
    "exploding": "exploding",
    "batch_norm": "healthy",
}


@pytest.mark.parametrize("name", sorted(act.LAB_PRESETS))
def test_each_preset_shows_its_gradient_picture(name):
    c = act.lab_preset(name)
    table = act.gradient_flow(
        c.activation,
        c.depth,
        c.width,
        c.initializer,
        c.seed,
        sigma=c.sigma,
        batch_norm=c.batch_norm,
    )
    assert act.flow_verdict(table) == PRESET_VERDICTS[name]
    label = figures.lab_label(c, lang="zh")
    assert f"{c.depth}×{c.width}" in label and "轮" in label


@pytest.mark.slow
def test_batch_norm_rescues_the_vanishing_preset():
    stuck = act.train_gradient_lab(act.lab_preset("vanishing"))
    rescued = act.train_gradient_lab(act.lab_preset("batch_norm"))
    assert stuck.metrics["val_accuracy"] < 0.2 < 0.5 < rescued.metrics["val_accuracy"]
    runs = {act.lab_preset("vanishing"): stuck.metrics}
    frame = figures.lab_runs_frame(runs, lang="en")
    assert frame.iloc[0, 2] == f"{stuck.metrics['val_accuracy']:.1%}"


# --- package layout, registry, teacher presets, shared blocks -----------------------

#: Every public name the old single module ``dlcore/activations.py`` defined or
#: re-exported (standard-library, NumPy and pandas aliases left out).
OLD_PUBLIC_API = """
ACTIVATIONS ActivationSpec BN_MOMENTUM FLATTEN_CODE FLOW_RATIO GELU_CUBIC
GELU_SQRT_2_OVER_PI GradientLabConfig GradientProbe INITIALIZERS KINK_EPS
LAB_PRESETS LogitsError MAX_LOGITS OPTIMIZERS PROPERTY_GRID ParamSpec
SATURATED_SLOPE SATURATION_SLOPE SELU_ALPHA SELU_SCALE TAIL activation_samples
build_mlp code_gradient_lab describe_set digits_flat evaluate flow_summary
flow_verdict formula formula_with_values get_spec gradient_flow identity_table
keras keras_function lab_preset layer_seed make_initializer misconception_table
naive_softmax parse_logits probe_gradient_flow probe_model properties
properties_table resolve_params softmax softmax_overflow_table stable_softmax tf
train_gradient_lab
""".split()  # noqa: SIM905


def test_the_package_keeps_the_old_public_api():
    missing = [name for name in OLD_PUBLIC_API if not hasattr(act, name)]
    assert not missing, missing
    assert set(OLD_PUBLIC_API) <= set(act.__all__)
    for name in ("ParamSpec", "resolve_params", "digits_flat", "FLATTEN_CODE"):
        assert getattr(act, name) is getattr(blocks, name)  # one shared block
    # Worker processes import the task by its own module path.
    assert act.train_gradient_lab.__module__ == "dlcore.activations.tasks"


def test_registry_names_the_task_export_controls_and_presets():
    from dlcore import topics

    entry = topics.topic("activations")
    (task,) = entry.tasks
    assert task.train_fn is act.train_gradient_lab
    assert task.config_type is act.GradientLabConfig
    assert task.export_fn is act.code_gradient_lab
    assert entry.load_presets() == act.PRESETS
    config = act.lab_preset("exploding")
    assert task.control_values(config, entry.prefix) == act.control_values(config)
    assert topics.task_for(act.train_gradient_lab) is task
    assert task.tab == act.LAB_TAB and topics.resolve(task.smoke) is act.SMOKE


def test_presets_are_the_lab_presets_and_use_only_values_the_controls_offer():
    assert [p.name for p in act.PRESETS] == list(act.LAB_PRESETS)
    for preset in act.PRESETS:
        assert preset.config == act.lab_preset(preset.name)
        assert preset.tab == act.LAB_TAB == "lab" and not preset.controls
        values = act.control_values(preset.config)
        assert set(values) == {
            f"act_lab_{f.name}"
            for f in dataclasses.fields(act.GradientLabConfig)
            if f.name != "batch_size"
        }
        assert values["act_lab_activation"] in act.ACTIVATIONS
        assert values["act_lab_initializer"] in act.INITIALIZERS
        assert values["act_lab_sigma"] in act.SIGMAS
        assert act.DEPTHS[0] <= values["act_lab_depth"] <= act.DEPTHS[1]
        assert values["act_lab_width"] in act.WIDTHS
        assert values["act_lab_learning_rate"] in act.LEARNING_RATES
        assert values["act_lab_epochs"] in act.EPOCHS
        assert values["act_lab_optimizer"] in act.OPTIMIZERS
        assert f"act.preset.{preset.name}" in CATALOG
    assert "act.preset.none" in CATALOG
    default = act.GradientLabConfig()
    assert act.control_values(default)["act_lab_sigma"] == default.sigma
    with pytest.raises(ValueError, match="batch_size=64"):
        act.control_values(act.GradientLabConfig(batch_size=32))


@pytest.mark.parametrize("optimizer", act.OPTIMIZERS)
def test_the_lab_optimizer_and_its_code_line_are_the_shared_blocks(optimizer):
    # Oracle: the Keras classes the lab always used, Adam(lr) and SGD(lr).
    expected = {"adam": keras.optimizers.Adam, "sgd": keras.optimizers.SGD}[optimizer]
    built = blocks.make_optimizer(optimizer, 0.03)
    reference, got = expected(0.03).get_config(), built.get_config()
    reference.pop("name"), got.pop("name")
    assert type(built) is expected and got == reference
    code = act.code_gradient_lab(act.GradientLabConfig(optimizer=optimizer))
    line = (
        f"optimizer=keras.optimizers.{expected.__name__}(learning_rate=LEARNING_RATE)"
    )
    assert line in code


# --- honest numbers: float32 underflow, empty charts, counts, readable text ---------


def _keras_kernel_grads(model, x, y, dtype="float32") -> list[np.ndarray]:
    """∂L/∂W of every hidden kernel by an independent ``model(x)`` call."""
    import tensorflow as tf

    kernels = [
        layer.kernel for layer in model.layers if layer.name.startswith("hidden_")
    ]
    with tf.GradientTape() as tape:
        out = model(tf.constant(x, dtype=dtype), training=True)
        loss = keras.losses.SparseCategoricalCrossentropy(dtype=dtype)(y, out)
    return [np.asarray(g) for g in tape.gradient(loss, kernels)]


def _float64_twin(model, activation: str, width: int) -> keras.Sequential:
    """The same MLP (same float32 weights) built by hand in float64."""
    layers = [keras.Input((64,), dtype="float64")]
    for i in range(len(model.layers) - 1):
        layers.append(
            keras.layers.Dense(
                width, activation=activation, dtype="float64", name=f"hidden_{i + 1}"
            )
        )
    layers.append(keras.layers.Dense(10, activation="softmax", dtype="float64"))
    twin = keras.Sequential(layers)
    twin.set_weights([w.astype(np.float64) for w in model.get_weights()])
    return twin


@pytest.fixture(scope="module")
def deep_sigmoid():
    """The default lab network at depth 50: its first layers underflow in float32."""
    model = act.build_mlp("sigmoid", 50, 32, "random_normal", 0, sigma=0.05)
    x_train, y_train, _, _ = act.digits_flat(0)
    x, y = x_train[:256], y_train[:256]
    return model, x, y, act.probe_model(model, x, y).table


def test_tiny_gradients_are_not_reported_as_zero(deep_sigmoid):
    # Regression: tf.norm squares float32 entries, so a gradient of 1e-20 per
    # entry had norm 0 and the chart silently started at layer ~37.
    model, x, y, table = deep_sigmoid
    grads = _keras_kernel_grads(model, x, y)
    expected = [np.linalg.norm(g.astype(np.float64)) for g in grads]
    np.testing.assert_allclose(table["grad_norm"], expected, rtol=1e-6)
    nonzero = np.array([bool(np.any(g != 0)) for g in grads])
    assert ((table["grad_norm"] > 0).to_numpy() == nonzero).all()
    assert nonzero[25:].all()  # layers 26–50 were drawn as nothing before
    assert (table["grad_norm"].iloc[25:36] < 1e-15).all()


def test_layers_that_underflow_in_float32_get_their_float64_gradient(deep_sigmoid):
    model, x, y, table = deep_sigmoid
    grads = _keras_kernel_grads(model, x, y)
    all_zero = [int(i + 1) for i, g in enumerate(grads) if not np.any(g)]
    assert len(all_zero) >= 10  # every entry underflowed in float32
    assert act.lost_layers(table) == all_zero
    twin = _float64_twin(model, "sigmoid", 32)
    exact = [np.linalg.norm(g) for g in _keras_kernel_grads(twin, x, y, "float64")]
    np.testing.assert_allclose(table["grad_norm_f64"], exact, rtol=1e-9)
    assert (table["grad_norm_f64"] > 0).all()
    # Below float32's smallest normal number on the way back: flushed to 0.
    assert (table["grad_norm_f64"].iloc[: len(all_zero)] < 100 * act.FLOAT32_TINY).all()
    # Where float32 is not lost, float64 agrees with it.
    kept = table["grad_norm"] > 1e-30
    np.testing.assert_allclose(
        table.loc[kept, "grad_norm_f64"], table.loc[kept, "grad_norm"], rtol=1e-4
    )


def test_the_ratio_of_an_underflowed_network_is_its_float64_value(deep_sigmoid):
    *_, table = deep_sigmoid
    summary = act.flow_summary(table)
    exact = table["grad_norm_f64"].to_numpy()
    assert summary["grad_ratio_f32"] == 0.0  # what used to be shown: "0"
    assert summary["grad_ratio"] == pytest.approx(exact[0] / exact[-1], rel=1e-12)
    assert 0 < summary["grad_ratio"] < 1e-40
    assert summary["verdict"] == "vanishing"
    text = figures.ratio_text(summary)
    assert text == f"{summary['grad_ratio']:.2g} (float64)" and text != "0"
    assert figures.ratio_text(summary, lang="zh").endswith("（float64）")
    assert figures.ratio_parts(summary) == (f"{summary['grad_ratio']:.2g}", "float64")


def test_the_gradient_chart_marks_the_underflowed_layers(deep_sigmoid):
    *_, table = deep_sigmoid
    lost = act.lost_layers(table)
    fig = figures.gradient_flow_figure(table)
    solid, dotted = fig.data[:2]
    y32, y64 = np.asarray(solid.y, float), np.asarray(dotted.y, float)
    assert np.isnan(y32[: len(lost)]).all()  # nothing false on the float32 line
    np.testing.assert_allclose(
        y64[: len(lost)], table["grad_norm_f64"].iloc[: len(lost)]
    )
    assert dotted.line.dash == "dot"
    (note,) = fig.layout.annotations
    assert f"Layers 1–{lost[-1]}: 0 in float32" in note.text and "1e-38" in note.text
    axis = fig.layout.yaxis
    assert axis.type == "log" and len(axis.ticktext) >= 2
    assert [float(s) for s in axis.ticktext] == pytest.approx(list(axis.tickvals))
    low = 10 ** axis.range[0]
    assert low <= np.nanmin(y64)  # the float64 values are inside the axis


def test_an_overflow_is_named_never_drawn_as_a_number():
    table = act.gradient_flow("relu", 50, 32, "random_normal", sigma=5.0)
    assert not np.isfinite(table["grad_norm"]).any()  # float32: ∞/NaN
    summary = act.flow_summary(table)
    assert summary["verdict"] == "exploding"
    assert summary["overflow"] == list(range(1, 51))
    assert figures.ratio_text(summary) == "∞/NaN (float32 overflow)"
    assert (table["grad_norm_f64"] > 1e30).all()  # float64 holds the real size
    fig = figures.gradient_flow_figure(table)
    assert "∞/NaN in float32" in fig.layout.annotations[0].text


def test_exact_zeros_are_crosses_at_the_bottom():
    table = pd.DataFrame(
        {
            "layer": [1, 2, 3],
            "grad_norm": [0.0, 1e-3, 1e-2],
            "grad_norm_f64": [0.0, 1e-3, 1e-2],  # float64 agrees: truly 0
        }
    )
    fig = figures.gradient_flow_figure(table)
    cross = fig.data[-1]
    assert cross.marker.symbol == "x" and list(cross.x) == [1]
    assert 10 ** fig.layout.yaxis.range[0] <= cross.y[0] < 1e-3
    assert "exactly 0" in fig.layout.annotations[0].text


def test_all_zero_unit_health_says_so_on_the_chart():
    table = act.gradient_flow("sigmoid", 10, 32, "random_normal")  # the default
    assert (table[["dead_fraction", "saturated_fraction"]] == 0).all().all()
    fig = figures.unit_health_figure(table)
    assert "every bar is 0 %" in fig.layout.annotations[0].text
    assert [trace.name for trace in fig.data] == [
        "dead: 0 % in every layer",
        "saturated: 0 % in every layer",
    ]
    some = act.gradient_flow("tanh", 5, 32, "random_normal", sigma=1.0)
    fig = figures.unit_health_figure(some, lang="zh")
    assert not fig.layout.annotations
    assert fig.data[1].name.startswith("饱和（")


def _font_sizes(node):
    if isinstance(node, dict):
        for key, value in node.items():
            fonts = ("font", "tickfont", "textfont")
            if key in fonts and isinstance(value, dict) and "size" in value:
                yield value["size"]
            yield from _font_sizes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _font_sizes(value)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_chart_is_readable_on_a_projector_and_a_phone(lang, deep_sigmoid):
    *_, deep = deep_sigmoid
    table = act.gradient_flow("relu", 3, 8, "he_normal")
    built = [
        figures.activation_figure(["relu", "elu", "gelu", "tanh"], lang=lang),
        figures.activation_figure(["relu"], show_derivative=False, lang=lang),
        figures.softmax_figure([1.0, 2.0, 3.0], [0.5, 1.0], lang=lang),
        figures.gradient_flow_figure(deep, lang=lang),
        figures.gradient_flow_figure(
            {"a": deep, "b": table}, title_key="act.flow.before_after", lang=lang
        ),
        figures.activation_histogram_figure(
            act.activation_samples("relu", 3, 8, "he_normal"), lang=lang
        ),
        figures.unit_health_figure(table, lang=lang),
    ]
    for fig in built:
        spec = fig.to_plotly_json()
        assert min(_font_sizes(spec)) >= 14, fig.layout.title.text
        title = fig.layout.title.text
        # A Plotly title does not wrap: it must fit a 390 px phone.
        wide = sum(2 if "\u4e00" <= ch <= "\u9fff" else 1 for ch in title)
        assert wide <= 36, title
        for name in (trace.name or "" for trace in fig.data):
            assert all(len(line) <= 40 for line in name.split("<br>")), name
        for note in fig.layout.annotations:
            assert all(len(line) <= 40 for line in note.text.split("<br>")), note.text
        for axis in (fig.layout.xaxis, fig.layout.yaxis):
            assert axis.type != "log" or len(axis.ticktext) >= 2


def test_counts_start_at_one_and_plurals_are_real():
    one = act.GradientLabConfig(epochs=1)
    assert figures.lab_label(one).endswith("1 epoch")
    assert figures.lab_label(act.GradientLabConfig()).endswith("15 epochs")
    fig = figures.softmax_figure([2.0, 1.0, 0.1])
    assert list(fig.data[0].x) == ["1", "2", "3"]  # z_1 … z_K as in the formula
    frame = figures.softmax_overflow_frame([2.0, 1.0, 0.1])
    assert list(frame.index) == ["1", "2", "3", "Σ"]
    assert figures.layers_text([1]) == "1" and figures.layers_text([2, 3]) == "2–3"
    table = pd.DataFrame(
        {"layer": [1, 2], "grad_norm": [0.0, 0.1], "grad_norm_f64": [1e-40, 0.1]}
    )
    table["underflow"] = [True, False]
    note = figures.gradient_flow_figure(table).layout.annotations[0].text
    assert note.startswith("Layer 1: ")


def test_small_probabilities_are_not_rounded_to_zero():
    fig = figures.softmax_figure([10.0, 0.0, -10.0])
    labels = list(fig.data[0].text)
    assert "0.00" not in labels
    probabilities = np.asarray(fig.data[0].y, float)
    for label, p in zip(labels, probabilities, strict=True):
        assert float(label) == pytest.approx(p, rel=0.5)


def test_the_exported_script_takes_norms_in_float64():
    code = act.code_gradient_lab(act.GradientLabConfig(depth=50))
    assert "np.linalg.norm(grad.numpy().astype(np.float64))" in code
    assert "tf.norm(grad)" not in code


def test_lines_that_hide_each_other_are_named(deep_sigmoid):
    *_, deep = deep_sigmoid
    same = figures.gradient_flow_figure({"before": deep, "after": deep})
    (note,) = same.layout.annotations
    assert "lie on top of each other" in note.text
    assert note.text.count("0 in float32") == 1  # said once for both lines
    other = act.gradient_flow("relu", 50, 32, "he_normal")
    apart = figures.gradient_flow_figure({"before": deep, "after": other})
    (note,) = apart.layout.annotations
    assert "on top of each other" not in note.text
    assert note.text.startswith("before:<br>Layers 1–")
    shifted = deep.assign(grad_norm=deep["grad_norm"] * 1.03)
    shifted["grad_norm_f64"] = deep["grad_norm_f64"] * 1.03
    fig = figures.gradient_flow_figure({"before": deep, "after": shifted}, lang="zh")
    assert "相差不超过 3%" in fig.layout.annotations[0].text


def test_softmax_verdict_follows_the_numbers():
    """The sentence under the overflow table is chosen from the computed values
    (issue 16: ±3.4e38 at T = 0.1 said "Keras is fine" beside a NaN row)."""
    z = np.float32([3.4e38, -3.4e38]) / np.float32(0.1)
    table = act.softmax_overflow_table(z)
    assert table[["naive", "stable", "keras"]].isna().any().all()
    assert act.softmax_overflow_verdict(z) == "scaled_overflow"
    z = np.float32([1000.0, 0.0])
    table = act.softmax_overflow_table(z)
    assert table["naive"].isna().any() and table["keras"].notna().all()
    assert act.softmax_overflow_verdict(z) == "naive_only"
    assert act.softmax_overflow_verdict([2.0, 1.0, 0.1]) == "none"
