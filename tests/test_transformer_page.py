"""The Transformer page in AppTest: each tab in English and Chinese, its main
controls moved, numbers checked against Keras, bad input → a clear message."""

from __future__ import annotations

import re

import pytest
from conftest import exceptions

from dlcore import transformer as tr
from dlcore.i18n import t


def open_tab(tab, lang, **params):
    from conftest import ROOT
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.query_params["lang"] = lang
    at.query_params["tr_tab"] = tab
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("pages/transformer.py")
    return at.run()


def _chart_keys(at) -> set[str]:
    return {c.key for c in at.get("plotly_chart")}


def _keras_caption(at) -> str:
    return next(c.value for c in at.caption if "MultiHeadAttention" in c.value)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_attention_step_through_matches_keras(app_test, lang):
    at = open_tab("attention", lang)
    assert not exceptions(at), exceptions(at)
    assert {"tr_q_fig", "tr_weights_fig", "tr_softmax_fig"} <= _chart_keys(at)
    at.segmented_control(key="tr_step_heads").set_value(2).run()
    at.segmented_control(key="tr_mask").set_value("causal").run()
    assert not exceptions(at), exceptions(at)
    at.segmented_control(key="tr_head").set_value(2).run()
    at.text_input(key="tr_sentence").set_value("注意力 is all you need").run()
    assert not exceptions(at), exceptions(at)
    caption = _keras_caption(at)
    differences = [float(v) for v in re.findall(r"\d\.\de[-+]\d+", caption)]
    assert len(differences) == 2 and max(differences) < 1e-5, caption
    table = at.dataframe[0].value
    assert list(table.iloc[:, 1]) == ["注", "意", "力", "is", "all", "you", "need"]
    # the causal weights shown are upper-triangular zeros
    at.segmented_control(key="tr_mask").set_value("padding").run()
    assert not exceptions(at), exceptions(at)
    assert list(at.dataframe[0].value.iloc[-2:, 1]) == ["<pad>", "<pad>"]
    at.toggle(key="tr_scale").set_value(False).run()
    assert not exceptions(at), exceptions(at)
    assert any(t("tr.keras_scales", lang) == c.value for c in at.caption)
    # bad input: a clear message, never a traceback; typed text is not Markdown
    at.text_input(key="tr_sentence").set_value("?! 42").run()
    assert [w.value for w in at.warning] == [t("tr.bad_sentence.no_tokens", lang)]
    at.text_input(key="tr_sentence").set_value("a " * 30).run()
    assert [w.value for w in at.warning] == [
        t("tr.bad_sentence.too_long", lang, limit=12)
    ]
    at.text_input(key="tr_sentence").set_value("[link](http://x.y) <b>").run()
    assert not exceptions(at), exceptions(at)
    assert list(at.dataframe[0].value.iloc[:4, 1]) == ["link", "http", "x", "y"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_block_counts_parameters_like_keras(app_test, lang):
    at = open_tab("block", lang)
    at.select_slider(key="tr_block_d").set_value(512).run()
    at.segmented_control(key="tr_block_heads").set_value(8).run()
    at.select_slider(key="tr_block_ff").set_value(2048).run()
    assert not exceptions(at), exceptions(at)
    import keras

    inputs = keras.Input((8, 512))
    x = keras.layers.MultiHeadAttention(8, 64)(inputs, inputs)
    x = keras.layers.LayerNormalization()(x)
    x = keras.layers.Dense(2048)(x)
    x = keras.layers.Dense(512)(x)
    x = keras.layers.LayerNormalization()(x)
    expected = keras.Model(inputs, x).count_params()
    assert [m.value for m in at.metric] == [f"{expected:,}"] * 2
    check = [
        c.value
        for c in at.caption
        if c.value.startswith(t("tr.block_check", lang, diff="")[:6])
    ]
    assert check and float(check[0].rsplit(" ", 1)[-1].rsplit("：", 1)[-1]) < 1e-4


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_training_tab_trains_and_draws_attention_maps(app_test, lang):
    at = open_tab(
        "train",
        lang,
        tr_epochs="2",
        tr_d_model="16",
        tr_d_ff="32",
        tr_lstm="0" if lang == "zh" else "1",
    )
    assert not exceptions(at), exceptions(at)
    assert {"tr_position_fig", "tr_maps_fig"} <= _chart_keys(at)
    labels = [m.label for m in at.metric]
    assert t("tr.run.transformer", lang) in labels
    assert (t("tr.run.lstm", lang) in labels) == (lang == "en")
    at.selectbox(key="tr_example").set_value(-1).run()
    assert not exceptions(at), exceptions(at)
    at.text_input(key="tr_digits").set_value("1 2 3").run()
    assert t("tr.bad_digits", lang, length=8) in [w.value for w in at.warning]
    at.text_input(key="tr_digits").set_value("12345678").run()
    assert not exceptions(at), exceptions(at)
    table = at.dataframe[0].value
    assert table.iloc[0, 1] == "8 7 6 5 4 3 2 1"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_char_tab_predicts_and_generates(app_test, lang):
    at = open_tab("char", lang, tr_char_epochs="5", tr_char_layers="1")
    assert not exceptions(at), exceptions(at)
    assert "tr_next_fig" in _chart_keys(at)
    generated = [
        x.value for x in at.text if x.value.startswith(t("tr.prompt_default", lang))
    ]
    # st.text strips trailing blanks: 60 sampled characters, minus a final space
    assert generated and len(generated[0]) >= len(t("tr.prompt_default", lang)) + 55
    assert set(generated[0]) <= set(tr.TEXTS[lang])  # only the text's characters
    at.slider(key="tr_temperature").set_value(0.1).run()
    at.segmented_control(key="tr_top_k").set_value(1).run()
    assert not exceptions(at), exceptions(at)
    unknown = "ЖЖ" if lang == "en" else "龘"
    at.text_input(key="tr_prompt").set_value(unknown).run()
    assert not exceptions(at), exceptions(at)
    assert t("tr.unknown_chars", lang) in [w.value for w in at.warning]
    assert "tr_next_fig" not in _chart_keys(at)
