"""The GAN page in AppTest: each tab in English and Chinese, its main controls
moved (data, loss, step-through buttons, custom points, conditional digits),
the numbers shown checked against the result / Keras."""

from __future__ import annotations

import pytest
from conftest import exceptions, plotly_specs

from dlcore.gan import tasks
from dlcore.i18n import t

SMALL = {"gan_steps": "250", "gan_every": "50", "gan_g_units": "8", "gan_d_units": "8"}


def open_tab(tab, lang, **params):
    from conftest import ROOT
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.query_params["lang"] = lang
    at.query_params["gan_tab"] = tab
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("pages/gan.py")
    return at.run()


def chart(at, key):
    specs = {
        c.key: s for c, s in zip(at.get("plotly_chart"), plotly_specs(at), strict=True)
    }
    return specs.get(key)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_lab_trains_animates_and_steps_through(app_test, lang):
    at = open_tab("lab", lang, **SMALL)
    assert not exceptions(at), exceptions(at)
    fig = chart(at, "gan_lab_fig")
    assert fig is not None, [c.key for c in at.get("plotly_chart")]
    config = tasks.Gan2DConfig(num_steps=250, snapshot_every=50, g_units=8, d_units=8)
    assert len(fig["frames"]) == len(tasks._plan(config)) == 6
    labels = [m.label for m in at.metric]
    assert t("gan.metric.modes", lang) in labels
    assert t("gan.estimator", lang) in [c.value for c in at.caption]
    # the run's length is counted in training steps, not in snapshot rows
    # (or the shared cache's line when the other language trained it first)
    done = t("train.finished_steps", lang, steps=250, seconds=0).split(" ")[:2]
    cached = t("train.cached", lang, seconds=0).split(" ")[0]
    lines = [c.value for c in at.caption]
    assert any(line.split(" ")[:2] == done for line in lines) or any(
        line.startswith(cached) for line in lines
    ), lines
    # One D update, then one G update: two more frames, labelled.
    at.button(key="gan_step_d").click().run()
    at.button(key="gan_step_g").click().run()
    assert not exceptions(at), exceptions(at)
    assert at.session_state["_state_value"]["gan_manual"] == "dg"
    fig = chart(at, "gan_lab_fig")
    assert len(fig["frames"]) == 8
    steps = fig["layout"]["sliders"][0]["steps"]
    assert steps[-1]["label"].endswith(t("gan.fig.frame_g", lang))
    assert steps[-2]["label"].endswith(t("gan.fig.frame_d", lang))
    # A critic loss: the heatmap is D's score, not a probability.
    at.selectbox(key="gan_loss").set_value("wgan_gp").run()
    assert not exceptions(at), exceptions(at)
    assert t("gan.fig.critic_note", lang) in [c.value for c in at.caption]


@pytest.mark.slow
def test_custom_points_bad_text_is_a_message_good_text_trains(app_test):
    at = open_tab("lab", "en", gan_dataset="custom", **SMALL)
    assert not exceptions(at), exceptions(at)
    assert chart(at, "gan_lab_fig") is not None
    at.text_area(key="gan_points_text").set_value("1,2\n[x](http://a.b),3\n4,5").run()
    assert not exceptions(at), exceptions(at)
    errors = [e.value for e in at.error]
    assert errors and "line 2" in errors[0], errors
    assert chart(at, "gan_lab_fig") is None
    at.text_area(key="gan_points_text").set_value("0,0\n1,1\n-1,1\n0,-1").run()
    assert not exceptions(at), exceptions(at)
    assert t("gan.points_ok", "en", n=4) in [c.value for c in at.caption]
    assert chart(at, "gan_lab_fig") is not None


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_losses_tab_matches_keras(app_test, lang):
    at = open_tab("losses", lang)
    assert not exceptions(at), exceptions(at)
    at.slider(key="gan_at").set_value(0.3).run()
    assert not exceptions(at), exceptions(at)
    fig = chart(at, "gan_loss_fig")
    assert fig["layout"]["shapes"][0]["x0"] == pytest.approx(0.3)
    readout = t("gan.losses.readout", lang, at="0.30", minimax="0.300", nonsat="0.700")
    assert readout in [c.value for c in at.caption]
    check = [c.value for c in at.caption if "BinaryCrossentropy" in c.value]
    assert check and float(check[0].rsplit(" ", 1)[-1]) < 1e-5


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_digits_tab_trains_and_the_conditional_digit_is_chosen(app_test, lang):
    params = {"gan_dg_steps": "100", "gan_dg_filters": "8"}
    at = open_tab("digits", lang, **params)
    assert not exceptions(at), exceptions(at)
    assert chart(at, "gan_dg_samples") is not None
    at.toggle(key="gan_dg_conditional").set_value(True).run()
    assert not exceptions(at), exceptions(at)
    at.button_group(key="gan_dg_digit").set_value(7).run()
    assert not exceptions(at), exceptions(at)
    samples = chart(at, "gan_dg_samples")
    ticks = samples["layout"]["xaxis"]["ticktext"]
    assert ticks == [str(d) for d in range(10)]
    assert chart(at, "gan_dg_interp") is not None


def test_mnist_offline_is_a_clear_message(app_test, monkeypatch):
    from dlcore import datasets

    monkeypatch.setattr(datasets, "_reachable", lambda url, timeout=1.5: False)
    monkeypatch.setattr(datasets, "keras_cache_path", lambda name: "/nonexistent/x")
    at = open_tab("digits", "en", gan_dg_source="mnist")
    assert not exceptions(at), exceptions(at)
    warnings = [w.value for w in at.warning]
    assert any("MNIST" in w and "offline" in w for w in warnings), warnings
    assert chart(at, "gan_dg_samples") is None
