"""The Activations page: its charts carry Keras' numbers and follow every control.

Oracles: ``keras.activations`` called directly (values), central finite
differences of Keras in float64 (derivatives), closed forms (leaky ReLU's
``αx``, ELU's ``α(eˣ − 1)``, softmax with temperature, the tanh identity) and,
for the gradient lab, the core's probe that ``tests/test_activations.py``
checks against an independent ``model(x)`` pass.
"""

from __future__ import annotations

import base64
import json

import keras
import numpy as np
import pytest
from conftest import ROOT, exceptions, plotly_specs
from scipy.special import expit
from streamlit.testing.v1 import AppTest

from dlcore import activations as act
from dlcore import topics
from dlcore.i18n import t
from ui.state import option_id
from ui.views.activations import TAB_IDS

PAGE = "activations"


def _array(value) -> np.ndarray:
    """A Plotly array from the figure JSON (plain list or base64 typed array)."""
    if isinstance(value, dict) and "bdata" in value:
        data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        return data.reshape(value["shape"]) if "shape" in value else data
    return np.asarray(value, dtype=float)


def _traces(at, key_word: str) -> dict[str, dict]:
    """Traces by name of the first chart whose title contains ``key_word``."""
    for spec in plotly_specs(at):
        if key_word in spec["layout"].get("title", {}).get("text", ""):
            return {trace.get("name", ""): trace for trace in spec["data"]}
    raise AssertionError(f"no chart titled with {key_word!r}")


def _keras(name: str, x: np.ndarray, **params) -> np.ndarray:
    full = {**act.ACTIVATIONS[name].defaults, **params}
    return keras.ops.convert_to_numpy(getattr(keras.activations, name)(x, **full))


def _finite_difference(name: str, x: np.ndarray, h: float = 1e-5, **params):
    x64 = np.asarray(x, np.float64)
    return (_keras(name, x64 + h, **params) - _keras(name, x64 - h, **params)) / (2 * h)


def _open_tab(at, tab: str, lang: str = "en"):
    at.session_state["act_tab"] = t(f"act.tab.{tab}", lang)
    return at.run()


def _check_function_traces(at, name: str, lang: str = "en", **params) -> np.ndarray:
    """The plotted f and f' of ``name`` equal Keras and finite differences."""
    traces = _traces(at, t("act.fig.functions", lang))
    f = traces[f"{name}(x)"]
    x, y = _array(f["x"]), _array(f["y"])
    np.testing.assert_allclose(
        y, _keras(name, x.astype(np.float32), **params), rtol=1e-5, atol=1e-5
    )
    dy = _array(traces[f"{name}′(x)"]["y"])
    smooth = np.abs(x) > 1e-3  # kinks at 0: autodiff picks a one-sided slope
    np.testing.assert_allclose(
        dy[smooth],
        _finite_difference(name, x[smooth], **params),
        rtol=1e-3,
        atol=1e-3,
    )
    return x


# --- functions tab -----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_default_view_plots_keras_values_and_autodiff_derivatives(app_test, lang):
    at = app_test(PAGE, lang=lang)
    assert not exceptions(at), exceptions(at)
    assert at.title[0].value == t("act.title", lang)
    names = at.multiselect(key="act_names").value
    assert 1 <= len(names) <= 4
    for name in names:
        _check_function_traces(at, name, lang)
    props = at.dataframe[0].value
    assert list(props.index) == names
    assert props[t("act.props.range", lang)].tolist() == [
        act.properties(n)["range"] for n in names
    ]
    if lang == "zh":
        assert "值域" in props.columns
        assert all(not tab.label.isascii() for tab in at.tabs)  # translated tabs


def test_leaky_relu_slope_slider_sets_the_plotted_negative_side(app_test):
    at = app_test(PAGE)
    at.multiselect(key="act_names").set_value(["leaky_relu", "relu"]).run()
    for slope in (0.05, 0.5):
        at.slider(key="act_p_leaky_relu_negative_slope").set_value(slope).run()
        assert not exceptions(at), exceptions(at)
        x = _check_function_traces(at, "leaky_relu", negative_slope=slope)
        traces = _traces(at, t("act.fig.functions", "en"))
        y = _array(traces["leaky_relu(x)"]["y"])
        dy = _array(traces["leaky_relu′(x)"]["y"])
        negative = x < 0
        np.testing.assert_allclose(y[negative], slope * x[negative], rtol=1e-5)
        np.testing.assert_allclose(dy[negative], slope, rtol=1e-6)
        latex = [el.value for el in at.get("latex")]
        assert any(rf"\alpha = {slope:g}" in text for text in latex), latex
    at.slider(key="act_p_leaky_relu_negative_slope").set_value(0.0).run()
    row = at.dataframe[0].value.loc["leaky_relu"]
    assert (
        row["range"] == "[0, ∞)" and row[t("act.props.zero_grad_at", "en")] == "x < 0"
    )
    assert at.dataframe[0].value.loc["relu"]["range"] == "[0, ∞)"


def test_elu_alpha_and_gelu_tanh_approximation(app_test):
    at = app_test(PAGE)
    at.multiselect(key="act_names").set_value(["elu", "gelu"]).run()
    at.slider(key="act_p_elu_alpha").set_value(2.0).run()
    x = _check_function_traces(at, "elu", alpha=2.0)
    y = _array(_traces(at, "Activation")["elu(x)"]["y"])
    np.testing.assert_allclose(y[x < 0], 2.0 * np.expm1(x[x < 0]), rtol=1e-5, atol=1e-6)
    assert at.dataframe[0].value.loc["elu", "range"] == "(−2, ∞)"
    exact = _array(_traces(at, "Activation")["gelu(x)"]["y"])
    at.toggle(key="act_p_gelu_approximate").set_value(True).run()
    assert not exceptions(at), exceptions(at)
    _check_function_traces(at, "gelu", approximate=True)
    approx = _array(_traces(at, "Activation")["gelu(x)"]["y"])
    assert 1e-4 < np.max(np.abs(approx - exact)) < 1e-2  # close, not equal
    assert any(r"\tanh" in el.value for el in at.get("latex"))


def test_x_range_derivative_toggle_and_bad_selections(app_test):
    at = app_test(PAGE)
    at.slider(key="act_x").set_value((-2.0, 3.0)).run()
    x = _array(next(iter(_traces(at, "Activation").values()))["x"])
    assert (x.min(), x.max()) == (-2.0, 3.0)
    at.toggle(key="act_deriv").set_value(False).run()
    traces = _traces(at, t("act.fig.function_only", "en"))
    assert all("′" not in name for name in traces)
    at.slider(key="act_x").set_value((4.0, 4.0)).run()  # empty interval
    assert not exceptions(at) and at.warning
    x = _array(next(iter(_traces(at, "Activation").values()))["x"])
    assert x.max() - x.min() == pytest.approx(1.0)
    at.multiselect(key="act_names").set_value([]).run()
    assert not exceptions(at) and at.info and not at.get("plotly_chart")


def test_identities_show_the_tanh_identity_and_the_common_mistakes(app_test):
    at = app_test(PAGE)
    table = next(m.value for m in at.markdown if m.value.startswith("| identity"))
    rows = {line.split("|")[1].strip(): line for line in table.splitlines()[2:]}
    right = next(line for key, line in rows.items() if r"2\sigma(2x) - 1" in key)
    wrong = next(line for key, line in rows.items() if r"{1 + \sigma(2x)}" in key)
    assert "✓" in right and "✗" in wrong
    x = np.linspace(-6.0, 6.0, 121)
    s = expit(2 * x)
    assert f"{np.max(np.abs(np.tanh(x) - 2 * s / (1 + s))):.1e}" in wrong
    assert sum("✗" in line for line in rows.values()) == 3  # tanh, 1/K power, Keras 2


# --- softmax tab -------------------------------------------------------------------


def _bars(at, lang: str = "en") -> dict[str, np.ndarray]:
    traces = _traces(at, t("act.softmax.title", lang))
    return {name: _array(trace["y"]) for name, trace in traces.items()}


def test_softmax_bars_follow_logits_temperature_and_shift(app_test):
    at = _open_tab(app_test(PAGE), "softmax")
    assert not exceptions(at), exceptions(at)
    z = np.array([2, 1, 0.1, -1], np.float32)
    (bars,) = _bars(at).values()
    by_keras = keras.ops.convert_to_numpy(keras.activations.softmax(z))
    np.testing.assert_allclose(bars, by_keras, rtol=1e-6)
    at.select_slider(key="act_sm_t").set_value(5.0).run()
    bars = _bars(at)
    for temperature in (1.0, 5.0):
        expected = np.exp(z / temperature) / np.exp(z / temperature).sum()
        np.testing.assert_allclose(bars[f"T = {temperature:g}"], expected, rtol=1e-5)
    assert at.success  # small logits: naive exp is fine
    at.select_slider(key="act_sm_shift").set_value(1000).run()  # shift invariance
    for name, values in _bars(at).items():  # (z + 1000 is rounded in float32)
        np.testing.assert_allclose(values, bars[name], rtol=1e-4, atol=1e-6)
    frame = at.dataframe[0].value
    assert "nan" in frame[t("act.softmax.naive", "en")].tolist()
    assert frame[t("act.softmax.keras", "en")].iloc[-1] == "1"  # Σ row
    assert at.error  # the overflow is explained
    at.pills(key="act_sm_example").set_value("negative").run()
    assert at.text_input(key="act_sm_logits").value == "-1000, -1001, -1010"


BAD_LOGITS = [
    ("1, abc, 3", "number", "abc"),
    ("7", "count", ""),
    ("1, nan", "finite", "nan"),
]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bad_logits_give_a_message_in_the_users_language(app_test, lang):
    at = _open_tab(app_test(PAGE, lang=lang), "softmax", lang)
    for text, reason, token in BAD_LOGITS:
        at.text_input(key="act_sm_logits").set_value(text).run()
        assert not exceptions(at), exceptions(at)
        expected = t(f"act.softmax.bad.{reason}", lang, token=token, max=act.MAX_LOGITS)
        assert [e.value for e in at.error] == [expected]
        assert not at.get("plotly_chart")
    at.text_input(key="act_sm_logits").set_value(
        "[3，−1、 0.5]"
    ).run()  # zh punctuation
    assert not at.error
    (bars,) = _bars(at, lang).values()
    np.testing.assert_allclose(
        bars,
        keras.activations.softmax(np.array([3.0, -1.0, 0.5], np.float32)),
        rtol=1e-6,
    )


# --- gradient lab ------------------------------------------------------------------


def _metric(at, key: str) -> str:
    return next(m.value for m in at.metric if m.label == t(key, "en"))


@pytest.mark.slow
def test_gradient_lab_probes_then_trains_and_presets_change_the_outcome(app_test):
    at = _open_tab(app_test(PAGE), "lab")
    assert not exceptions(at), exceptions(at)
    table = act.gradient_flow("sigmoid", 10, 32, "random_normal", sigma=0.05)
    flow = _traces(at, t("act.flow.title", "en"))
    (trace,) = flow.values()
    np.testing.assert_allclose(_array(trace["y"]), table["grad_norm"], rtol=1e-4)
    ratio = table["grad_norm"].iloc[0] / table["grad_norm"].iloc[-1]
    assert _metric(at, "act.lab.grad_ratio") == f"{ratio:.2g}"
    assert any(m.value.startswith("**Vanishing") for m in at.markdown)
    assert at.get("download_button")  # the Keras script behind the result
    stuck = float(_metric(at, "act.lab.val_accuracy").rstrip("%")) / 100

    at.selectbox(key="act_preset").set_value("healthy").run()  # the sidebar box
    assert not exceptions(at), exceptions(at)
    assert at.selectbox(key="act_lab_activation").value == "relu"
    assert at.selectbox(key="act_lab_initializer").value == "he_normal"
    assert any(m.value.startswith("**Healthy") for m in at.markdown)
    learned = float(_metric(at, "act.lab.val_accuracy").rstrip("%")) / 100
    assert stuck < 0.2 < 0.6 < learned  # the gradient picture predicted it
    assert at.query_params["act_tab"] == "lab"
    assert at.query_params["act_lab_activation"] == "relu"
    runs = at.dataframe[-1].value
    assert len(runs) == 2  # both settings, side by side
    at.button(key="act_lab_pin").click().run()  # the shared compare panel
    assert not exceptions(at), exceptions(at)
    assert t("compare.pinned", "en", n=1) in [c.value for c in at.caption]
    runs, pinned = (df.value for df in at.dataframe)  # the lab's, then the pins
    assert len(pinned) == 1 and len(runs) == 2


def _page_from_url(lang: str = "en", **params):
    """The page opened from a shared link (its controls bound to the URL)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params.update({"lang": lang, **params})
    at.switch_page(f"pages/{PAGE}.py")
    return at.run()


@pytest.mark.slow
def test_shared_links_zero_init_and_exploding_tanh(app_test):
    lab = {"act_tab": "lab", "act_lab_activation": "tanh", "act_lab_epochs": "5"}
    at = _page_from_url(**lab, act_lab_initializer="zeros")
    assert not exceptions(at), exceptions(at)
    assert at.selectbox(key="act_lab_initializer").value == "zeros"
    assert _metric(at, "act.lab.grad_ratio") == t("act.lab.no_gradient", "en")
    assert any(m.value.startswith("**No gradient") for m in at.markdown)
    assert at.select_slider(key="act_lab_sigma").disabled
    at = _page_from_url(
        **lab,
        act_lab_initializer="random_normal",
        act_lab_sigma="2.0",
        act_lab_depth="8",
    )
    assert not exceptions(at), exceptions(at)
    assert at.slider(key="act_lab_depth").value == 8
    assert any(m.value.startswith("**Exploding") for m in at.markdown)
    assert float(_metric(at, "act.lab.saturated").rstrip("%")) > 50


def test_tab_survives_a_language_switch(app_test):
    at = _open_tab(app_test(PAGE), "softmax")
    assert at.query_params["act_tab"] == "softmax"  # the id, not the label
    at.segmented_control(key="lang").set_value("zh").run()  # the sidebar switch
    assert not exceptions(at), exceptions(at)
    assert at.session_state["act_tab"] == t("act.tab.softmax", "zh")
    assert at.query_params["act_tab"] == "softmax"
    assert at.text_input(key="act_sm_logits")  # still on the softmax tab


def _notices(at) -> str:
    return " ".join(toast.value for toast in at.toast).replace("\\", "")


def test_nonsense_url_values_do_not_crash(app_test):
    at = _page_from_url(
        act_names="no_such_function",
        act_x="abc",
        act_tab="nonsense",
        act_sm_t="-1",
    )
    assert not exceptions(at), exceptions(at)
    assert at.title[0].value == t("act.title", "en")
    assert at.get("plotly_chart")  # fell back to the default view
    for name in ("act_names='no_such", "act_x='abc'", "act_tab='nonsense'"):
        assert name in _notices(at), _notices(at)  # each bad value is named
    assert at.multiselect(key="act_names").value == ["relu", "sigmoid", "tanh", "gelu"]
    assert at.slider(key="act_x").value == (-5.0, 5.0)
    assert "act_x" not in at.query_params and "act_tab" not in at.query_params

    at = _page_from_url(
        act_names="elu,relu,tanh,gelu,silu",  # more than the chart overlays
        act_x="1,2,3",
    )
    assert not exceptions(at), exceptions(at)
    for name in ("act_names='elu,relu,tanh,gelu,silu'", "act_x='1,2,3'"):
        assert name in _notices(at), _notices(at)
    assert at.multiselect(key="act_names").value == ["relu", "sigmoid", "tanh", "gelu"]
    assert at.slider(key="act_x").value == (-5.0, 5.0)
    at = _page_from_url("zh", act_names="elu,relu,tanh,gelu,silu", act_x="0,1,2")
    assert not exceptions(at), exceptions(at)
    for reason in (t("url.max_items", "zh", limit=4), t("url.pair", "zh")):
        assert reason in _notices(at), _notices(at)  # in the page's language
    at = _page_from_url(act_names="elu", act_p_elu_alpha="99")
    assert not exceptions(at), exceptions(at)
    assert "act_p_elu_alpha='99'" in _notices(at), _notices(at)
    assert at.slider(key="act_p_elu_alpha").value == 1.0

    at = _page_from_url(act_names="elu", act_x="3,-2", act_p_elu_alpha="2.5")
    assert not exceptions(at) and not at.toast, _notices(at)
    assert at.slider(key="act_x").value == (-2.0, 3.0)  # read as an interval
    assert at.slider(key="act_p_elu_alpha").value == 2.5
    x = _check_function_traces(at, "elu", alpha=2.5)
    assert (x.min(), x.max()) == (-2.0, 3.0)
    at = _page_from_url(act_x="4,4")  # an empty interval, as the slider allows
    assert not exceptions(at) and at.warning
    assert at.slider(key="act_x").value == (4.0, 4.0)


# --- shared links, tabs and teacher presets (ui.state) -----------------------------


def _function_view(at) -> dict:
    """What the functions tab shows: its controls and the plotted traces."""
    (spec,) = plotly_specs(at)
    return {
        "names": at.multiselect(key="act_names").value,
        "x": at.slider(key="act_x").value,
        "derivative": at.toggle(key="act_deriv").value,
        "alpha": at.slider(key="act_p_elu_alpha").value,
        "slope": at.slider(key="act_p_leaky_relu_negative_slope").value,
        "traces": [(tr["name"], _array(tr["y"]).tolist()) for tr in spec["data"]],
    }


def _softmax_view(at, lang: str) -> dict:
    """What the softmax tab shows: its controls and the bar heights."""
    return {
        "logits": at.text_input(key="act_sm_logits").value,
        "temperature": at.select_slider(key="act_sm_t").value,
        "shift": at.select_slider(key="act_sm_shift").value,
        "bars": {name: v.tolist() for name, v in _bars(at, lang).items()},
    }


def _url(at) -> dict[str, str]:
    return {key: value for key, value in at.query_params.items() if key != "lang"}


def test_a_link_made_in_chinese_opens_the_same_view_in_english(app_test):
    at = app_test(PAGE, lang="zh")
    at.multiselect(key="act_names").set_value(["elu", "silu", "leaky_relu"]).run()
    at.slider(key="act_x").set_value((-3.0, 4.5))
    at.toggle(key="act_deriv").set_value(False)
    at.slider(key="act_p_elu_alpha").set_value(2.0)
    at.slider(key="act_p_leaky_relu_negative_slope").set_value(0.05).run()
    assert not exceptions(at), exceptions(at)
    zh_functions = _function_view(at)
    at = _open_tab(at, "softmax", "zh")
    at.text_input(key="act_sm_logits").set_value("3，1、−2")
    at.select_slider(key="act_sm_t").set_value(0.5)
    at.select_slider(key="act_sm_shift").set_value(100).run()
    assert not exceptions(at), exceptions(at)
    zh_softmax = _softmax_view(at, "zh")
    params = _url(at)
    # Stable ids in the URL, never a translated label.
    assert params == {
        "act_names": "elu,silu,leaky_relu",
        "act_x": "-3,4.5",
        "act_deriv": "0",
        "act_p_elu_alpha": "2",
        "act_p_leaky_relu_negative_slope": "0.05",
        "act_tab": "softmax",
        "act_sm_logits": "3，1、−2",
        "act_sm_t": "0.5",
        "act_sm_shift": "100",
    }

    en = _page_from_url("en", **params)
    assert not exceptions(en), exceptions(en)
    assert en.session_state["act_tab"] == t("act.tab.softmax", "en")
    bars = {"T = 0.5", "T = 1"}
    assert set(zh_softmax["bars"]) == bars and _softmax_view(en, "en") == zh_softmax
    en = _open_tab(en, "functions")
    assert not exceptions(en), exceptions(en)
    assert _function_view(en) == zh_functions
    # Every value is still in the URL; the default tab needs no parameter.
    assert _url(en) == {k: v for k, v in params.items() if k != "act_tab"}


def _lab_config(at) -> act.GradientLabConfig:
    """The config the lab's widgets show."""
    return act.GradientLabConfig(
        activation=at.selectbox(key="act_lab_activation").value,
        initializer=at.selectbox(key="act_lab_initializer").value,
        sigma=at.select_slider(key="act_lab_sigma").value,
        depth=at.slider(key="act_lab_depth").value,
        width=at.select_slider(key="act_lab_width").value,
        batch_norm=at.toggle(key="act_lab_batch_norm").value,
        optimizer=at.segmented_control(key="act_lab_optimizer").value,
        learning_rate=at.select_slider(key="act_lab_learning_rate").value,
        epochs=at.select_slider(key="act_lab_epochs").value,
        seed=int(at.number_input(key="act_lab_seed").value),
    )


@pytest.mark.slow
def test_a_lab_link_made_in_chinese_trains_the_same_config_in_english(app_test):
    at = _open_tab(app_test(PAGE, lang="zh"), "lab", "zh")
    expected = act.GradientLabConfig(
        activation="elu",
        initializer="random_normal",
        sigma=0.2,
        depth=4,
        width=16,
        batch_norm=True,
        optimizer="adam",
        learning_rate=0.01,
        epochs=5,
        seed=7,
    )
    at.selectbox(key="act_lab_activation").set_value(expected.activation)
    at.selectbox(key="act_lab_initializer").set_value(expected.initializer)
    at.select_slider(key="act_lab_sigma").set_value(expected.sigma)
    at.slider(key="act_lab_depth").set_value(expected.depth)
    at.select_slider(key="act_lab_width").set_value(expected.width)
    at.toggle(key="act_lab_batch_norm").set_value(expected.batch_norm)
    at.segmented_control(key="act_lab_optimizer").set_value(expected.optimizer)
    at.select_slider(key="act_lab_learning_rate").set_value(expected.learning_rate)
    at.select_slider(key="act_lab_epochs").set_value(expected.epochs)
    at.number_input(key="act_lab_seed").set_value(expected.seed).run()
    assert not exceptions(at), exceptions(at)
    assert _lab_config(at) == expected
    zh_metrics = [m.value for m in at.metric]
    params = _url(at)
    defaults = act.control_values(act.GradientLabConfig())
    assert params == {
        "act_tab": "lab",
        **{
            key: option_id(value)
            for key, value in act.control_values(expected).items()
            if value != defaults[key]
        },
    }
    en = _page_from_url("en", **params)
    assert not exceptions(en), exceptions(en)
    assert _lab_config(en) == expected
    assert [m.value for m in en.metric] == zh_metrics  # same probe, same training


def _tab_widget(at, tab: str):
    """A control that only the tab ``tab`` draws (KeyError if it is not drawn)."""
    if tab == "functions":
        return at.multiselect(key="act_names")
    if tab == "softmax":
        return at.text_input(key="act_sm_logits")
    return at.slider(key="act_lab_depth")


def _check_open_tab(at, tab: str, lang: str) -> None:
    assert not exceptions(at), exceptions(at)
    assert at.session_state["act_tab"] == t(f"act.tab.{tab}", lang)
    # The open tab is its id in the URL (the default tab: no parameter).
    assert at.query_params.get("act_tab") == (None if tab == TAB_IDS[0] else tab)
    assert _tab_widget(at, tab)  # its controls are drawn
    for other in set(TAB_IDS) - {tab}:  # lazy tabs: the others do not run
        with pytest.raises(KeyError):
            _tab_widget(at, other)


@pytest.mark.parametrize("tab", TAB_IDS)
def test_every_tab_is_in_the_url_as_its_id_and_survives_a_language_switch(tab):
    small_lab = {"act_lab_depth": "2", "act_lab_epochs": "5"}  # trains in seconds
    at = _page_from_url("en", act_tab=tab, **small_lab)
    _check_open_tab(at, tab, "en")
    for lang in ("zh", "en"):
        at.segmented_control(key="lang").set_value(lang).run()  # the sidebar switch
        _check_open_tab(at, tab, lang)
    other = TAB_IDS[(TAB_IDS.index(tab) + 1) % len(TAB_IDS)]
    _check_open_tab(_open_tab(at, other), other, "en")  # the URL follows a click


@pytest.mark.slow
@pytest.mark.parametrize("preset", act.PRESETS, ids=lambda p: p.name)
def test_each_preset_applies_without_a_notice(preset):
    # The lab has been drawn once, so the preset is validated by its controls.
    at = _page_from_url("en", act_tab="lab", act_lab_depth="2", act_lab_epochs="5")
    at = _open_tab(at, "functions")
    at.selectbox(key="act_preset").set_value(preset.name).run()  # sidebar box
    assert not exceptions(at), exceptions(at)
    assert not at.toast, [toast.value for toast in at.toast]  # nothing rejected
    assert at.session_state["act_tab"] == t(f"act.tab.{preset.tab}", "en")
    assert _lab_config(at) == preset.config
    values = topics.topic(PAGE).preset_values(preset)
    assert values == {"act_tab": "lab", **act.control_values(preset.config)}
    assert _url(at) == {
        key: option_id(value)
        for key, value in values.items()
        if value != act.control_values(act.GradientLabConfig()).get(key)
    }
    c = preset.config
    table = act.gradient_flow(
        c.activation,
        c.depth,
        c.width,
        c.initializer,
        c.seed,
        sigma=c.sigma,
        batch_norm=c.batch_norm,
    )
    verdict = t(f"act.lab.verdict.{act.flow_verdict(table)}", "en")
    assert verdict in [m.value for m in at.markdown]


# --- honest numbers and a readable lab on a projector and a phone -------------------


def _block(at, key: str):
    """The keyed container ``key`` and its parent block."""

    def walk(node):
        for child in getattr(node, "children", {}).values():
            proto = getattr(child, "proto", None)
            if proto is not None and str(getattr(proto, "id", "")).endswith(f"-{key}"):
                return child, node
            found = walk(child)
            if found:
                return found
        return None

    found = walk(at._tree)
    assert found, f"no container keyed {key!r}"
    return found


def _spec(at, key_word: str) -> dict:
    for spec in plotly_specs(at):
        if key_word in spec["layout"].get("title", {}).get("text", ""):
            return spec
    raise AssertionError(f"no chart titled with {key_word!r}")


@pytest.mark.slow
def test_a_depth_50_lab_marks_underflow_and_shows_an_honest_ratio():
    # Depth 50 trains for long: look at the picture at initialisation only.
    at = _page_from_url(act_tab="lab", act_lab_depth="50", act_lab_epochs="5")
    assert not exceptions(at), exceptions(at)
    table = act.gradient_flow("sigmoid", 50, 32, "random_normal", sigma=0.05)
    summary = act.flow_summary(table)
    lost = act.lost_layers(table)
    assert lost[0] == 1 and len(lost) >= 10
    shown = _metric(at, "act.lab.grad_ratio")
    assert shown == f"{summary['grad_ratio']:.2g}" and shown != "0"
    captions = " ".join(c.value for c in at.caption)
    assert f"Layers 1–{lost[-1]}: ∂L/∂W is exactly 0 in float32" in captions
    assert t("act.lab.ratio_note.float64", "en") in captions
    spec = _spec(at, t("act.flow.title", "en"))
    solid, dotted = spec["data"][:2]
    assert _array(dotted["y"])[0] == pytest.approx(table["grad_norm_f64"].iloc[0])
    assert np.isnan(_array(solid["y"])[0])  # no false float32 value
    assert (
        f"Layers 1–{lost[-1]}: 0 in float32" in spec["layout"]["annotations"][0]["text"]
    )


def test_the_default_lab_says_that_no_unit_is_dead_or_saturated():
    at = _page_from_url(act_tab="lab", act_lab_depth="2", act_lab_epochs="5")
    assert not exceptions(at), exceptions(at)
    spec = _spec(at, t("act.health.title", "en"))
    texts = [note["text"] for note in spec["layout"].get("annotations", [])]
    assert texts == [t("act.health.none", "en")]
    at = _page_from_url(
        "zh", act_tab="lab", act_lab_depth="2", act_lab_epochs="5", act_lab_sigma="5.0"
    )
    spec = _spec(at, t("act.health.title", "zh"))
    assert not spec["layout"].get("annotations")  # saturated units: bars, no note


def test_on_a_phone_the_gradient_picture_sits_above_the_lab_controls():
    at = _page_from_url(act_tab="lab", act_lab_depth="2", act_lab_epochs="5")
    assert not exceptions(at), exceptions(at)
    picture, parent = _block(at, "sticky_act_lab")
    # The ratio and the chart are in the sticky container …
    assert [m.label for m in picture.get("metric")] == [t("act.lab.grad_ratio", "en")]
    titles = [
        json.loads(c.proto.spec)["layout"]["title"]["text"]
        for c in picture.get("plotly_chart")
    ]
    assert titles == [t("act.flow.title", "en")]
    # … and the controls it describes come right after it, in the same block
    # (a sticky element stays in view only while its parent block does).
    keys = [getattr(w, "key", None) for w in parent.get("slider")]
    assert "act_lab_depth" in keys


@pytest.mark.slow
def test_the_lab_results_are_drawn_in_the_training_slot_and_read_as_numbers():
    at = _page_from_url(act_tab="lab")  # the default: loss stays near 2.3
    assert not exceptions(at), exceptions(at)
    log_axes = [  # the learning curves' loss axis (accuracy is linear)
        axis
        for spec in plotly_specs(at)
        for name, axis in spec["layout"].items()
        if name.startswith("yaxis")
        and isinstance(axis, dict)
        and axis.get("type") == "log"
        and "epoch" in json.dumps(spec["layout"])
    ]
    (loss_axis,) = log_axes
    labels = [float(text) for text in loss_axis["ticktext"]]
    assert len(labels) >= 2 and all(2.0 < v < 2.7 for v in labels)  # full values
    keys = {chart.proto.id for chart in at.get("plotly_chart")}
    assert any("act_fig_flow2_final" in k for k in keys)  # drawn through render
    assert at.dataframe[-1].value.shape[0] == 1  # the runs so far


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_overflow_sentence_follows_the_table(app_test, lang):
    """±3.4e38 at T = 0.1: z / T overflows float32 before any softmax, so all
    three columns are NaN and the page must not say "Keras is fine" (issue 16)."""
    at = _open_tab(app_test(PAGE, lang=lang), "softmax", lang)
    at.text_input(key="act_sm_logits").set_value("3.4e38, -3.4e38").run()
    at.select_slider(key="act_sm_t").set_value(0.1).run()
    assert not exceptions(at), exceptions(at)
    assert [e.value for e in at.error] == [t("act.softmax.scaled_overflow", lang)]
    assert (at.dataframe[-1].value == "nan").any().any()  # the overflow table
    at.text_input(key="act_sm_logits").set_value("1000, 0").run()
    at.select_slider(key="act_sm_t").set_value(1.0).run()
    assert [e.value for e in at.error] == [t("act.softmax.overflowed", lang, z=1000.0)]
