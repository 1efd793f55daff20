"""The RNN page in AppTest: each tab in English and Chinese, its main controls
moved, numbers checked against Keras (the tiny layer, count_params)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import exceptions

from dlcore import rnn
from dlcore.i18n import t
from dlcore.rnn import text as rtext


def open_tab(app_test, tab, lang, **params):
    from conftest import ROOT
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.query_params["lang"] = lang
    at.query_params["rnn_tab"] = tab
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("pages/rnn.py")
    return at.run()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_step_through_follows_the_step_and_matches_keras(app_test, lang):
    at = open_tab(app_test, "step", lang, rnn_step_cell="lstm")
    assert not exceptions(at), exceptions(at)
    at.slider(key="rnn_step").set_value(4).run()
    assert not exceptions(at), exceptions(at)
    table = at.dataframe[0].value
    from ui.views import rnn as views

    *_, keras_states = views.tiny_layer("lstm", 0)
    h4 = table.iloc[-1, 1]
    expected = "[" + ", ".join(f"{v:+.3f}" for v in keras_states[0, 3]) + "]"
    assert h4 == expected
    check = [c.value for c in at.caption if "keras.layers.LSTM" in c.value]
    assert check and float(check[0].rsplit("：", 1)[-1].rsplit(" ", 1)[-1]) < 1e-5


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_shapes_count_params_like_keras(app_test, lang):
    at = open_tab(app_test, "shapes", lang)
    at.slider(key="rnn_shape_units").set_value(16).run()
    at.toggle(key="rnn_shape_bidi").set_value(True).run()
    assert not exceptions(at), exceptions(at)
    keras = rnn.keras
    model = keras.Sequential(
        [
            keras.Input((10, 2)),
            keras.layers.Bidirectional(keras.layers.LSTM(16)),
        ]
    )
    total = next(m.value for m in at.metric)
    assert total == f"{model.count_params():,}"
    table = at.dataframe[0].value
    assert table.iloc[-1, 1] == "(32, 32)"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_memory_trains_and_draws(app_test, lang):
    at = open_tab(
        app_test, "memory", lang, rnn_timesteps="10", rnn_epochs="5", rnn_units="8"
    )
    assert not exceptions(at), exceptions(at)
    keys = [c.key for c in at.get("plotly_chart")]
    assert {"rnn_scores_fig", "rnn_grad_fig", "rnn_gates_fig"} <= set(keys)
    labels = [m.label for m in at.metric]
    assert t("rnn.cell.lstm", lang) in labels


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_text_tab_tokens_sentiment_and_bad_input(app_test, lang):
    at = open_tab(app_test, "text", lang, rnn_text_epochs="2")
    assert not exceptions(at), exceptions(at)
    assert "rnn_token_fig" in [c.key for c in at.get("plotly_chart")]
    at.text_input(key="rnn_sentence").set_value("  ").run()
    assert t("rnn.bad_sentence.empty", lang) in [i.value for i in at.info]
    at.text_input(key="rnn_sentence").set_value("[x](http://a.b) ?!").run()
    assert not exceptions(at), exceptions(at)
    token = t("rnn.col.token", lang)
    table = next(d.value for d in at.dataframe if d.value.columns[0] == token)
    tokens = table.iloc[:, 0].tolist()
    assert all(isinstance(tok, str) for tok in tokens)
    ids = np.asarray(tokens)
    assert ids.size >= 1


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_imdb_button_offline_shows_a_clear_message(app_test, lang, monkeypatch):
    from dlcore import datasets

    monkeypatch.setattr(datasets, "_reachable", lambda url, timeout=1.5: False)
    monkeypatch.setattr(rtext, "imdb_cached", lambda: False)
    at = open_tab(app_test, "text", lang, rnn_text_epochs="2")
    assert not exceptions(at), exceptions(at)
    at.button(key="rnn_imdb_load").click().run()
    assert not exceptions(at), exceptions(at)
    assert t("rnn.imdb_offline", lang) in [w.value for w in at.warning]
    assert "rnn_imdb_retrain" not in [b.key for b in at.button]


def test_imdb_button_online_trains_the_notes_model(app_test, monkeypatch):
    """Online (fake download: word 7 marks positive reviews): the button
    trains through run_task and shows accuracy and the majority baseline."""
    rng = np.random.default_rng(0)
    labels = (np.arange(400) % 2).astype(np.int64)
    reviews = np.array(
        [rng.integers(10, 40, 12).tolist() + [7] * int(label) for label in labels],
        dtype=object,
    )
    sizes = []

    def load_data(num_words):
        sizes.append(num_words)
        return (reviews, labels), (reviews[:200], labels[:200])

    monkeypatch.setattr(rtext, "imdb_cached", lambda: True)
    monkeypatch.setattr(rnn.keras.datasets.imdb, "load_data", load_data)
    monkeypatch.setattr(
        "ui.views.rnn_train.imdb_config",
        lambda config: rnn.ImdbConfig(
            num_words=config.max_tokens,
            maxlen=20,
            num_train=128,
            num_test=64,
            epochs=1,
            units=4,
        ),
    )
    at = open_tab(app_test, "text", "en", rnn_text_epochs="2", rnn_vocab="50")
    at.button(key="rnn_imdb_load").click().run()
    assert not exceptions(at), exceptions(at)
    assert sizes == [50]
    metrics = {m.label: m.value for m in at.metric}
    accuracy = float(metrics[t("rnn.imdb_accuracy", "en")])
    assert 0.0 <= accuracy <= 1.0
    draws = np.random.default_rng(0)  # the task's seeded draws: train, then test
    draws.permutation(400)
    share = float(np.mean(labels[:200][draws.permutation(200)[:64]]))
    assert float(metrics[t("rnn.imdb_baseline", "en")]) == pytest.approx(
        max(share, 1 - share), abs=1e-3
    )
