"""The Optimizers page: what it draws is what a fresh Keras run computes.

Oracles: an eager loop of ``keras.optimizers.X.apply_gradients`` written here
(not the page's compiled loop), the Keras learning-rate schedules called
directly, the NumPy update rules of ``dlcore.optimizers`` (clipping,
schedules), closed-form gradient descent on the regression's MSE, and Goh's
closed-form optimal settings. The URL tests check that a link means the same
setup in either language and that the open tab is in the URL as its id.
"""

from __future__ import annotations

import base64

import numpy as np
import pytest
from conftest import ROOT, exceptions, plotly_specs

from dlcore import optimizers as O
from dlcore.i18n import t
from dlcore.optimizers import landscapes

tf = O.tf
keras = O.keras
O_TABS = ("explore", "schedules", "clipping", "batch", "theory", "race")


# --- helpers -----------------------------------------------------------------------


def array(value) -> np.ndarray:
    """A Plotly JSON array (a list or Plotly 6+'s base64 typed array)."""
    if isinstance(value, dict) and "bdata" in value:
        data = np.frombuffer(base64.b64decode(value["bdata"]), np.dtype(value["dtype"]))
        return data.astype(np.float64)
    return np.asarray(value, np.float64)


def traces(at, *, has: str) -> dict[str, dict]:
    """Named traces of the first chart whose JSON contains ``has``."""
    spec = next(s for s in plotly_specs(at) if has in str(s))
    named = {}
    for trace in spec["data"]:  # the first trace of a name (later: its subplots)
        named.setdefault(trace.get("name"), trace)
    return named


def drawn_path(trace: dict) -> np.ndarray:
    return np.stack([array(trace["x"]), array(trace["y"])], axis=1)


def keras_path(name, landscape, start, steps, **hyper) -> tuple[np.ndarray, int | None]:
    """A fresh, eager Keras run: the oracle for every plotted trajectory.

    Returns the path up to (not including) the first non-finite point or one
    beyond |θ| = 1e6, and the step at which that happened.
    """
    spec = O.OPTIMIZERS[name]
    land = landscapes.LANDSCAPES[landscape]
    params = {p.name: float(hyper.pop(p.name, p.default)) for p in land.params}
    optimizer = spec.keras_class(**{**spec.defaults, **hyper})
    theta = keras.Variable(np.asarray(start, np.float32))
    path = [theta.numpy()]
    for step in range(1, steps + 1):
        with tf.GradientTape() as tape:
            loss = land.fn(theta.value[0], theta.value[1], **params)
        optimizer.apply_gradients([(tape.gradient(loss, theta.value), theta)])
        point = theta.numpy()
        if not np.all(np.isfinite(point)) or np.abs(point).max() > O.DIVERGENCE_BOUND:
            return np.array(path), step
        path.append(point)
    return np.array(path), None


def label(tab: str, lang: str = "en") -> str:
    return t(f"opt.tab.{tab}", lang)


def open_tab(at, tab: str, lang: str = "en"):
    """Open ``tab`` as a click on it does (the tab widget's value is its label)."""
    at.session_state["opt_tab"] = label(tab, lang)
    return at.run()


def fresh(params: dict[str, str]):
    """A fresh session opening ``/optimizers?params`` (a shared link)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page("pages/optimizers.py").run()


def url(at) -> dict[str, str]:
    return {key: at.query_params[key] for key in at.query_params}


def canonical(at) -> dict:
    """The controls' values as stable ids (what the URL encodes)."""
    return dict(at.session_state["_state_value"])


def toasts(at) -> list[str]:
    return [toast.value for toast in at.toast]


def formulas(at) -> list[str]:
    """The LaTeX of every ``st.latex`` element (without the ``$$`` fences)."""
    return [
        el.value.strip().removeprefix("$$").removesuffix("$$").strip()
        for el in at.latex
    ]


def assert_same_path(drawn, expected, name):
    assert drawn.shape == expected.shape, (name, drawn.shape, expected.shape)
    np.testing.assert_allclose(drawn, expected, rtol=1e-4, atol=1e-5, err_msg=name)


# --- the landscape explorer ----------------------------------------------------------


@pytest.mark.slow
def test_default_view_is_keras_and_follows_every_control(app_test):
    at = app_test("optimizers")
    assert not exceptions(at), exceptions(at)
    drawn = traces(at, has="frames")
    start, steps = (-4.0, 2.0), 200
    for name in ("sgd", "momentum", "rmsprop", "adam"):
        lr = O.controls(name, "quadratic")[0].default
        expected, _ = keras_path(name, "quadratic", start, steps, learning_rate=lr)
        assert_same_path(drawn_path(drawn[t(f"opt.name.{name}")]), expected, name)
    before = drawn_path(drawn["SGD + momentum"])

    # The condition number reshapes the valley: new paths, still Keras's.
    at.select_slider(key="opt_kappa").set_value(50.0).run()
    drawn = traces(at, has="frames")
    expected, _ = keras_path(
        "momentum", "quadratic", start, steps, learning_rate=0.05, condition_number=50.0
    )
    assert_same_path(drawn_path(drawn["SGD + momentum"]), expected, "κ = 50")
    assert not np.allclose(drawn_path(drawn["SGD + momentum"]), before)

    # Another selection, learning rate, step count and AMSGrad.
    at.multiselect(key="opt_optimizers").set_value(["adam", "lion"]).run()
    at.select_slider(key="opt_adam_learning_rate").set_value(0.3)
    at.toggle(key="opt_adam_amsgrad").set_value(True)
    at.select_slider(key="opt_steps").set_value(100).run()
    assert not exceptions(at), exceptions(at)
    drawn = traces(at, has="frames")
    assert {"Adam", "Lion"} <= set(drawn) and "SGD" not in drawn
    expected, _ = keras_path(
        "adam",
        "quadratic",
        start,
        100,
        learning_rate=0.3,
        amsgrad=True,
        condition_number=50.0,
    )
    assert_same_path(drawn_path(drawn["Adam"]), expected, "adam")
    rule = O.update_rule_latex("adam", amsgrad=True)
    assert any(rule in el.value for el in at.latex)
    assert any("amsgrad=True" in c.value for c in at.code)

    # A new landscape moves the start and suits the learning rates to it.
    at.selectbox(key="opt_landscape").set_value("rosenbrock").run()
    start = (
        at.slider(key="opt_rosenbrock_x0").value,
        at.slider(key="opt_rosenbrock_y0").value,
    )
    assert start == (-1.5, 2.0)
    assert at.select_slider(key="opt_adam_learning_rate").value == 0.1
    drawn = traces(at, has="frames")
    expected, _ = keras_path("lion", "rosenbrock", (-1.5, 2.0), 100, learning_rate=0.03)
    assert_same_path(drawn_path(drawn["Lion"]), expected, "lion on rosenbrock")
    loss = traces(at, has=t("opt.fig.loss"))["Lion"]
    np.testing.assert_allclose(
        array(loss["y"]),
        landscapes.evaluate("rosenbrock", expected[:, 0], expected[:, 1]),
        rtol=1e-4,
    )


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_adamw_decay_is_explained_and_every_label_names_its_own_symbol(app_test, lang):
    at = app_test("optimizers", lang=lang)
    at.multiselect(key="opt_optimizers").set_value(["rmsprop", "adamw", "lion"]).run()
    assert not exceptions(at), exceptions(at)
    notes = [m.value for m in at.markdown if m.value == t("opt.adamw.decoupled", lang)]
    assert len(notes) == 1  # under AdamW's rule, not under the others
    assert at.slider(key="opt_adamw_weight_decay").label == t(
        "opt.hp.weight_decay", lang
    )
    assert "μ" in at.slider(key="opt_rmsprop_momentum").label  # its formula's μ
    assert "β" not in at.slider(key="opt_rmsprop_momentum").label
    assert at.slider(key="opt_lion_beta_2").label == t("opt.hp.lion.beta_2", lang)
    # The animation's read-out counts steps as the "Steps" control does.
    spec = next(s for s in plotly_specs(at) if "frames" in s)
    slider = spec["layout"]["sliders"][0]
    value = slider["currentvalue"]
    assert value["prefix"] + slider["steps"][-1]["label"] + value["suffix"] == (
        t("opt.step_prefix", lang) + "200" + t("opt.step_suffix", lang, n=200)
    )


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_too_large_a_learning_rate_ends_the_path_with_a_message(app_test, lang):
    at = app_test("optimizers", lang=lang)
    at.selectbox(key="opt_preset").set_value("too_large").run()
    assert not exceptions(at), exceptions(at)
    path, diverged = keras_path("sgd", "quadratic", (-4.0, 2.0), 200, learning_rate=0.3)
    assert diverged is not None
    name = t("opt.name.sgd", lang)
    message = t("opt.diverged", lang, name=name, step=diverged)
    assert message in [w.value for w in at.warning], [w.value for w in at.warning]
    assert len(at.warning) == 1  # momentum and Adam survive η = 0.3
    assert_same_path(drawn_path(traces(at, has="frames")[name]), path, "diverged")


@pytest.mark.slow
def test_chinese_view_is_translated(app_test):
    at = open_tab(app_test("optimizers"), "theory")  # a lesson open in English…
    at.segmented_control(key="lang").set_value("zh").run()  # …then switch
    assert not exceptions(at), exceptions(at)
    assert at.title[0].value == "优化器"
    at = open_tab(at, "explore", "zh")
    assert t("opt.name.sgd", "zh") in traces(at, has="frames")
    texts = [el.value for el in [*at.markdown, *at.caption, *at.subheader]]
    texts += [w.label for w in [*at.slider, *at.select_slider, *at.selectbox]]
    texts += [str(s) for s in plotly_specs(at)]
    leftover = [s for s in texts if "opt." in s and "keras.optimizers" not in s]
    assert not leftover, leftover[:3]
    assert at.slider(key="opt_quadratic_x0").label == "起点 x₀"


def test_bad_url_values_and_an_empty_selection_are_harmless():
    at = fresh(
        {
            "opt_landscape": "nowhere",
            "opt_kappa": "abc",
            "opt_quadratic_x0": "1e9",
            "opt_steps": "-3",
        }
    )
    assert not exceptions(at), exceptions(at)
    assert at.selectbox(key="opt_landscape").value == "quadratic"
    assert at.slider(key="opt_quadratic_x0").value == -4.0
    assert at.select_slider(key="opt_kappa").value == 10.0
    assert at.select_slider(key="opt_steps").value == 200
    named = " ".join(toasts(at)).replace("\\", "")
    for key in ("opt_landscape", "opt_kappa", "opt_quadratic_x0", "opt_steps"):
        assert key in named, (key, toasts(at))
        assert key not in at.query_params  # the bad value left the URL
    at.multiselect(key="opt_optimizers").set_value([]).run()
    assert [i.value for i in at.info] == [t("opt.pick_one")]
    assert not exceptions(at), exceptions(at)


def test_a_link_with_too_many_optimizers_falls_back_with_a_notice():
    six = "sgd,momentum,nesterov,rmsprop,adam,lion"  # the widget takes five
    at = fresh({"opt_optimizers": six, "opt_steps": "50"})
    assert not exceptions(at), exceptions(at)
    assert "opt\\_optimizers" in " ".join(toasts(at)), toasts(at)
    assert at.multiselect(key="opt_optimizers").value == [
        "sgd",
        "momentum",
        "rmsprop",
        "adam",
    ]
    assert at.select_slider(key="opt_steps").value == 50  # the rest still applies
    assert url(at).get("opt_steps") == "50" and "opt_optimizers" not in url(at)


@pytest.mark.slow
def test_every_preset_applies_and_draws_what_keras_computes(app_test):
    # One session, the presets in order: a preset may change the landscape
    # (rosenbrock, then the quadratic again), so start points and learning
    # rates must follow without any value being refused.
    at = app_test("optimizers")
    for preset in O.PRESETS:
        at.selectbox(key="opt_preset").set_value(preset.name).run()
        assert not exceptions(at), (preset.name, exceptions(at))
        assert not toasts(at), (preset.name, toasts(at))  # every value accepted
        assert at.session_state["opt_tab"] == label(preset.tab), preset.name
        assert canonical(at)["opt_tab"] == preset.tab
        assert url(at).get("opt_tab", "explore") == preset.tab  # the id, no label
        if preset.tab == "clipping":
            assert traces(at, has=t("opt.fig.clipping"))  # its lesson is drawn
        if preset.tab != "explore":
            continue
        values = preset.controls
        land = landscapes.get_landscape(values["opt_landscape"])
        x_key, y_key = O.start_keys(land.name)
        assert (at.slider(key=x_key).value, at.slider(key=y_key).value) == land.start
        drawn = traces(at, has="frames")
        name = values["opt_optimizers"][0]
        kappa = (
            {"condition_number": values["opt_kappa"]} if "opt_kappa" in values else {}
        )
        expected, _ = keras_path(
            name,
            land.name,
            land.start,
            values["opt_steps"],
            learning_rate=values[f"opt_{name}_learning_rate"],
            **kappa,
        )
        assert_same_path(
            drawn_path(drawn[t(f"opt.name.{name}")]), expected, preset.name
        )
    race = next(p for p in O.PRESETS if p.tab == "race")
    shown = at.code[-1].value.rstrip()
    assert shown == O.code_race(race.config).rstrip()  # the preset's very config


# --- the URL: stable ids in every language -------------------------------------------


@pytest.mark.slow
def test_a_link_made_in_chinese_opens_the_same_view_in_english(app_test):
    at = app_test("optimizers", lang="zh")
    at.selectbox(key="opt_landscape").set_value("rosenbrock").run()
    at.multiselect(key="opt_optimizers").set_value(["adam", "lion"]).run()
    at.select_slider(key="opt_adam_learning_rate").set_value(0.3)
    at.toggle(key="opt_adam_amsgrad").set_value(True)
    at.slider(key="opt_rosenbrock_x0").set_value(0.5)
    at.select_slider(key="opt_steps").set_value(100).run()
    assert not exceptions(at), exceptions(at)
    link = url(at)
    assert link == {
        "lang": "zh",
        "opt_landscape": "rosenbrock",
        "opt_optimizers": "adam,lion",
        "opt_adam_learning_rate": "0.3",
        "opt_adam_amsgrad": "1",
        "opt_rosenbrock_x0": "0.5",
        "opt_steps": "100",
    }
    paths = {
        n: drawn_path(tr)
        for n, tr in traces(at, has="frames").items()
        if n in ("Adam", "Lion")
    }
    english = fresh({**link, "lang": "en"})
    assert not exceptions(english) and not toasts(english), toasts(english)
    assert url(english) == {**link, "lang": "en"}
    shown = canonical(english)
    for key in link:
        if key != "lang":
            assert shown[key] == canonical(at)[key], key
    drawn = traces(english, has="frames")
    expected, _ = keras_path(
        "adam", "rosenbrock", (0.5, 2.0), 100, learning_rate=0.3, amsgrad=True
    )
    for name in ("Adam", "Lion"):
        np.testing.assert_array_equal(drawn_path(drawn[name]), paths[name])
    assert_same_path(drawn_path(drawn["Adam"]), expected, "adam from the link")


@pytest.mark.slow
def test_a_race_link_made_in_chinese_trains_the_same_config_in_english(app_test):
    at = open_tab(app_test("optimizers", lang="zh"), "race", "zh")
    at.multiselect(key="opt_race_optimizers").set_value(["sgd", "adam"])
    at.selectbox(key="opt_race_dataset").set_value("spiral")
    at.select_slider(key="opt_race_epochs").set_value(5)
    at.select_slider(key="opt_race_batch").set_value(128)
    at.select_slider(key="opt_race_lr").set_value(0.03).run()
    assert not exceptions(at), exceptions(at)
    link = url(at)
    assert link["opt_tab"] == "race" and link["opt_race_lr"] == "0.03"
    config = O.RaceConfig(
        optimizers=(("sgd", 0.03), ("adam", 0.03)),
        dataset="spiral",
        epochs=5,
        batch_size=128,
    )
    assert O.race_control_values(config) == {
        k: v for k, v in canonical(at).items() if k.startswith("opt_race_")
    }
    code = O.code_race(config).rstrip()
    assert at.code[-1].value.rstrip() == code
    english = fresh({**link, "lang": "en"})
    assert not exceptions(english) and not toasts(english), toasts(english)
    assert (
        english.code[-1].value.rstrip() == code
    )  # the same config, hence the same script
    assert url(english) == {**link, "lang": "en"}


@pytest.mark.slow
def test_every_tab_is_in_the_url_and_survives_a_language_switch(app_test):
    at = app_test("optimizers")
    for tab in O_TABS:
        at = open_tab(at, tab)
        assert not exceptions(at), (tab, exceptions(at))
        assert url(at).get("opt_tab", "explore") == tab  # the default is left out
        at.segmented_control(key="lang").set_value("zh").run()
        assert not exceptions(at), (tab, exceptions(at))
        assert at.session_state["opt_tab"] == label(tab, "zh"), tab
        assert url(at).get("opt_tab", "explore") == tab and url(at)["lang"] == "zh"
        at.segmented_control(key="lang").set_value("en").run()
        assert at.session_state["opt_tab"] == label(tab), tab
    # A link opens its tab; a bad tab id falls back to the first with a notice.
    theory = fresh({"opt_tab": "theory"})
    assert theory.session_state["opt_tab"] == label("theory")
    assert theory.dataframe and not toasts(theory)
    bad = fresh({"opt_tab": "nowhere"})
    assert not exceptions(bad) and bad.session_state["opt_tab"] == label("explore")
    assert "opt\\_tab" in " ".join(toasts(bad)) and "opt_tab" not in url(bad)


# --- the lessons ---------------------------------------------------------------------


@pytest.mark.slow
def test_schedules_tab_draws_the_keras_schedule_and_its_path(app_test):
    at = open_tab(app_test("optimizers"), "schedules")
    assert not exceptions(at), exceptions(at)
    # The default shows the lesson: a real warm-up (not 0 steps) before the
    # cosine decay, named as such, with its formula.
    assert at.selectbox(key="opt_sched").value == "cosine"
    assert at.slider(key="opt_sched_cosine_warmup_steps").value == 20
    shown = O.schedule_latex("cosine", decay_steps=280, alpha=0.0, warmup_steps=20)
    assert r"t < W" in shown and shown in formulas(at)
    scheduled = t("opt.schedule.cosine_warmup", count=20)
    cosine = keras.optimizers.schedules.CosineDecay(
        0.0, 280, warmup_target=0.3, warmup_steps=20
    )
    rates = traces(at, has=t("opt.fig.schedule"))
    np.testing.assert_allclose(
        array(rates[scheduled]["y"]),
        [float(cosine(s)) for s in range(300)],
        rtol=1e-5,
        atol=1e-9,
    )
    # The constant rate's path is drawn dashed (it runs under the other one at
    # first) and it keeps bouncing around the minimum, the decayed one settles.
    paths = traces(at, has=t("opt.fig.contour", landscape=t("opt.land.quadratic")))
    constant = paths[t("opt.schedule.constant")]
    assert constant["line"]["dash"] == "dash"
    expected, _ = keras_path(
        "rmsprop", "quadratic", (-4.0, 2.0), 300, learning_rate=0.3
    )
    assert_same_path(drawn_path(constant), expected, "constant")
    end = lambda trace: np.linalg.norm(drawn_path(trace)[-1])  # noqa: E731
    assert end(constant) > 0.1 > 100 * end(paths[scheduled])

    at.selectbox(key="opt_sched").set_value("exponential").run()
    at.slider(key="opt_sched_exponential_decay_rate").set_value(0.3).run()
    assert not exceptions(at), exceptions(at)
    exponential = keras.optimizers.schedules.ExponentialDecay(0.3, 100, 0.3)
    rates = traces(at, has=t("opt.fig.schedule"))
    np.testing.assert_allclose(
        array(rates[t("opt.schedule.exponential")]["y"]),
        [float(exponential(s)) for s in range(300)],
        rtol=1e-5,
    )
    paths = traces(at, has=t("opt.fig.contour", landscape=t("opt.land.quadratic")))
    expected = O.numpy_trajectory(
        "rmsprop",
        "quadratic",
        steps=300,
        learning_rate=0.3,
        schedule="exponential",
        schedule_params={"decay_rate": 0.3},
    )
    assert_same_path(drawn_path(paths[t("opt.schedule.exponential")]), expected, "lr")

    # Every option changes the formula shown with the chart: cycle=True.
    at.selectbox(key="opt_sched").set_value("polynomial").run()
    at.toggle(key="opt_sched_polynomial_cycle").set_value(True).run()
    assert not exceptions(at), exceptions(at)
    cyclic = O.schedule_latex("polynomial", cycle=True)
    assert cyclic in formulas(at)
    assert O.schedule_latex("polynomial") not in formulas(at)


@pytest.mark.slow
def test_clipping_tab_bounds_every_step(app_test):
    at = open_tab(app_test("optimizers"), "clipping")
    assert not exceptions(at), exceptions(at)
    paths = traces(at, has=t("opt.fig.clipping"))
    clipped = drawn_path(paths[t("opt.clip.clipnorm", c=1.0)])
    free = drawn_path(paths[t("opt.clip.none")])
    expected = O.numpy_trajectory(
        "sgd", "cliff", steps=100, learning_rate=0.1, clipnorm=1.0
    )
    assert_same_path(clipped, expected, "clipnorm")
    steps = lambda p: np.linalg.norm(np.diff(p, axis=0), axis=1)  # noqa: E731
    assert steps(clipped).max() <= 0.1 * 1.0 + 1e-6 < steps(free).max()

    at.pills(key="opt_clip_kinds").set_value(["clipvalue"])
    at.select_slider(key="opt_clip_c").set_value(0.5).run()
    assert not exceptions(at), exceptions(at)
    paths = traces(at, has=t("opt.fig.clipping"))
    clipped = drawn_path(paths[t("opt.clip.clipvalue", c=0.5)])
    expected = O.numpy_trajectory(
        "sgd", "cliff", steps=100, learning_rate=0.1, clipvalue=0.5
    )
    assert_same_path(clipped, expected, "clipvalue")
    assert np.abs(np.diff(clipped, axis=0)).max() <= 0.1 * 0.5 + 1e-6

    # Paths and step lengths are two charts (side by side they were too
    # narrow on a phone): one x axis each, the step lengths on a labelled log
    # axis with the bound η·c.
    specs = [s for s in plotly_specs(at) if t("opt.fig.step_length") in str(s)]
    assert len(specs) == 1
    for spec in plotly_specs(at):
        assert not any(k.startswith("xaxis2") for k in spec["layout"]), spec["layout"]
    layout = specs[0]["layout"]
    assert layout["yaxis"]["type"] == "log" and len(layout["yaxis"]["ticktext"]) >= 2
    assert [shape["y0"] for shape in layout["shapes"]] == [pytest.approx(0.05)]


@pytest.mark.slow
def test_batch_tab_full_batch_is_gradient_descent_on_the_mse(app_test):
    at = open_tab(app_test("optimizers"), "batch")
    assert not exceptions(at), exceptions(at)
    data = O.regression_data()
    n = len(data.x)
    # Closed form: ∂/∂w mean((wx + b − y)²) = 2·mean(r·x), ∂/∂b = 2·mean(r).
    w, b = data.start
    expected = [(w, b)]
    for _ in range(100):
        r = w * data.x.astype(np.float64) + b - data.y
        w, b = w - 0.1 * 2 * np.mean(r * data.x), b - 0.1 * 2 * np.mean(r)
        expected.append((w, b))
    paths = traces(at, has=t("opt.fig.minibatch"))
    full = drawn_path(paths[t("opt.full_batch", n=n)])
    np.testing.assert_allclose(full, expected, rtol=1e-4, atol=1e-4)
    noisy = drawn_path(paths[t("opt.batch_size_n", n=1)])
    at.number_input(key="opt_batch_seed").set_value(7).run()
    paths = traces(at, has=t("opt.fig.minibatch"))
    # Same batch (all points), in another order: equal up to float32 rounding.
    np.testing.assert_allclose(
        drawn_path(paths[t("opt.full_batch", n=n)]), full, rtol=1e-5
    )
    assert not np.allclose(drawn_path(paths[t("opt.batch_size_n", n=1)]), noisy)


@pytest.mark.slow
def test_theory_tab_matches_goh(app_test):
    at = open_tab(app_test("optimizers"), "theory")
    at.select_slider(key="opt_theory_kappa").set_value(20.0).run()
    assert not exceptions(at), exceptions(at)
    table = at.dataframe[0].value
    gd, hb = table.columns
    root = np.sqrt(20.0)
    np.testing.assert_allclose(table[gd].iloc[:3], [2 / 21, 0.0, 19 / 21], atol=1e-4)
    np.testing.assert_allclose(
        table[hb].iloc[:3],
        [
            (2 / (1 + root)) ** 2,
            ((root - 1) / (root + 1)) ** 2,
            (root - 1) / (root + 1),
        ],
        atol=1e-4,
    )
    measured, predicted = table.iloc[3], table.iloc[2]
    np.testing.assert_allclose(measured, predicted, atol=0.03)


@pytest.mark.slow
def test_race_trains_the_chosen_optimizers_and_exports_the_code(app_test):
    at = open_tab(app_test("optimizers"), "race")
    at.multiselect(key="opt_race_optimizers").set_value(["sgd", "adam"])
    at.select_slider(key="opt_race_epochs").set_value(5)
    at.select_slider(key="opt_race_batch").set_value(128).run()
    assert not exceptions(at), exceptions(at)
    config = O.RaceConfig(optimizers=("sgd", "adam"), epochs=5, batch_size=128)
    expected = O.train_race(config).metrics
    table = at.dataframe[0].value
    accuracy = dict(zip(table.iloc[:, 0], table.iloc[:, 2], strict=True))
    assert accuracy == pytest.approx(
        {"SGD": expected["sgd/val_accuracy"], "Adam": expected["adam/val_accuracy"]}
    )
    assert accuracy["Adam"] > max(0.3, accuracy["SGD"])  # ten classes: chance 0.1
    race = next(s for s in plotly_specs(at) if t("opt.axis.train_loss") in str(s))
    ticks = race["layout"]["yaxis"]
    assert ticks["type"] == "log" and len(ticks["ticktext"]) >= 2
    np.testing.assert_allclose(
        [float(v) for v in ticks["ticktext"]], ticks["tickvals"], rtol=1e-6
    )
    assert at.get("download_button")
    codes = [c.value for c in at.code]
    assert any("keras.optimizers.Adam(learning_rate=0.001)" in c for c in codes)
    at.multiselect(key="opt_race_optimizers").set_value([]).run()
    assert [i.value for i in at.info] == [t("opt.pick_one")]
