"""The Losses page: every number it shows is what Keras or a closed form says.

Oracles: the ``keras.losses`` classes called directly (not through dlcore),
central finite differences of those Keras values, NumPy closed forms of
entropy / cross-entropy / KL, and ``np.polyfit`` (least squares) on the
points the outlier chart itself draws.
"""

import base64
import json
import re

import keras
import numpy as np
import pytest
from conftest import ROOT, exceptions

from dlcore import losses, topics
from dlcore.i18n import t

EPS = 1e-7
TOPIC = topics.topic("losses")


# --- reading what the page shows ---------------------------------------------------


def _decode(value):
    """Plotly >= 6 ships numpy arrays as base64 typed arrays."""
    if isinstance(value, dict) and "bdata" in value:
        dtype = np.dtype(value["dtype"]).newbyteorder("<")
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=dtype).astype(
            float
        )
    return np.asarray(value, dtype=float) if value is not None else None


def _figure(at, key):
    """The chart keyed ``key`` (a trained result's: ``key_final``)."""
    ends = (key, f"{key}_final")
    charts = [el for el in at.get("plotly_chart") if el.proto.id.endswith(ends)]
    assert len(charts) == 1, [el.proto.id for el in at.get("plotly_chart")]
    return json.loads(charts[0].proto.spec)


def _curves(at):
    """{loss name: (x, loss, dloss/dpred)} from the curve explorer's chart."""
    out = {}
    for trace in _figure(at, "loss_fig_curves")["data"]:
        name = trace["legendgroup"]
        x, y = _decode(trace["x"]), _decode(trace["y"])
        loss, slope = out.get(name, (None, None, None))[1:]
        if trace.get("xaxis", "x") == "x":
            out[name] = (x, y, slope)
        else:
            out[name] = (x, loss, y)
    return out


def _metrics(at):
    return {m.label: m.value for m in at.metric}


def _run(at, **widgets):
    for key, value in widgets.items():
        at.session_state[key] = value
    at.run()
    assert not exceptions(at), exceptions(at)
    return at


def _lang(at):
    return at.session_state["_lang"]


def _tab(at, tab):
    """Open tab ``tab`` as a click does: its label (in the page's language)."""
    return _run(at, loss_tab=t(f"loss.tab.{tab}", _lang(at)))


def _params(at):
    return {key: at.query_params[key] for key in at.query_params}


def _canonical(at):
    """The controls' values (stable ids, not labels) after a run."""
    return dict(at.session_state["_state_value"])


def _toasts(at):
    return [toast.value for toast in at.toast]


def _open(params):
    """A fresh session opened on ``/losses?params`` (a shared link)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("pages/losses.py")
    at.run()
    assert not exceptions(at), exceptions(at)
    return at


def _keras(name, y_true, y_pred, **params):
    loss = getattr(keras.losses, name)(reduction=None, **params)
    return keras.ops.convert_to_numpy(loss(y_true, y_pred)).astype(float)


def _check_curve(x, loss, slope, keras_fn):
    """Loss equals Keras; the slope equals Keras' central differences where smooth."""
    np.testing.assert_allclose(loss, keras_fn(x), rtol=1e-5, atol=1e-5)
    h = 1e-3
    forward = (keras_fn(x + h) - keras_fn(x)) / h
    backward = (keras_fn(x) - keras_fn(x - h)) / h
    smooth = np.abs(forward - backward) < 0.02 * (1 + np.abs(forward))
    assert smooth.mean() > 0.8
    central = (keras_fn(x + h) - keras_fn(x - h)) / (2 * h)
    np.testing.assert_allclose(slope[smooth], central[smooth], rtol=2e-2, atol=2e-2)


def _column(value, n):
    return np.full((n, 1), value, dtype=np.float32)


# --- the curve explorer (default view) ---------------------------------------------


def test_default_view_plots_keras_regression_losses_and_their_slopes(app_test):
    at = app_test("losses", lang="en")
    assert not exceptions(at), exceptions(at)
    assert at.title[0].value == "Loss functions"
    curves = _curves(at)
    assert set(curves) == {"mse", "mae", "huber"}
    classes = {"mse": "MeanSquaredError", "mae": "MeanAbsoluteError", "huber": "Huber"}
    for name, (x, loss, slope) in curves.items():
        assert x.min() == pytest.approx(-3.0) and x.max() == pytest.approx(3.0)

        def by_keras(values, cls=classes[name]):
            return _keras(cls, _column(0.0, len(values)), values[:, None])

        _check_curve(x, loss, slope, by_keras)
    # One card per loss with its formula, as Keras computes it.
    formulas = [el.value for el in at.latex]
    assert len(formulas) == 3 and r"\delta = 1" in formulas[2]


def test_moving_huber_delta_and_the_target_follows_keras(app_test):
    at = app_test("losses")
    before = _curves(at)["huber"][1]
    _run(at, loss_huber_delta=2.5, loss_target_regression=1.5)
    x, loss, slope = _curves(at)["huber"]
    assert x.min() == pytest.approx(-1.5) and x.max() == pytest.approx(4.5)
    assert not np.allclose(loss, before)

    def by_keras(values):
        return _keras("Huber", _column(1.5, len(values)), values[:, None], delta=2.5)

    _check_curve(x, loss, slope, by_keras)
    # Huber's slope is capped at ±δ; MSE's minimum moved to the target.
    assert np.abs(slope).max() == pytest.approx(2.5, rel=1e-4)
    x, mse, _ = _curves(at)["mse"]
    np.testing.assert_allclose(mse, (x - 1.5) ** 2, rtol=1e-5, atol=1e-5)
    assert any(r"\delta = 2.5" in el.value for el in at.latex)


def test_binary_logits_hinge_and_focal_gamma_follow_keras(app_test):
    at = app_test("losses")
    _run(at, loss_family="binary")
    _run(at, loss_logits_binary=True)
    names = ["binary_crossentropy", "binary_focal_crossentropy", "hinge"]
    _run(at, loss_names_binary_z=names, loss_label_binary=0.0)
    _run(at, loss_binary_focal_crossentropy_gamma=3.5)
    curves = _curves(at)
    assert list(curves) == names
    params = {
        "binary_crossentropy": ("BinaryCrossentropy", {"from_logits": True}),
        "binary_focal_crossentropy": (
            "BinaryFocalCrossentropy",
            {"from_logits": True, "gamma": 3.5},
        ),
        "hinge": ("Hinge", {}),
    }
    for name, (x, loss, slope) in curves.items():
        cls, kwargs = params[name]

        def by_keras(values, cls=cls, kwargs=kwargs):
            return _keras(cls, _column(0.0, len(values)), values[:, None], **kwargs)

        _check_curve(x, loss, slope, by_keras)
    x, hinge, _ = curves["hinge"]  # Keras turned the 0 label into −1
    np.testing.assert_allclose(hinge, np.maximum(0, 1 + x), atol=1e-6)
    captions = " ".join(c.value for c in at.caption)
    assert "−1/+1" in captions


def test_multiclass_label_smoothing_and_classes_follow_keras(app_test):
    at = app_test("losses")
    _run(at, loss_family="multiclass")
    _run(at, loss_num_classes=5, loss_categorical_crossentropy_label_smoothing=0.2)
    curves = _curves(at)
    assert set(curves) == {"categorical_crossentropy", "kl_divergence"}

    def rows(p):  # class 0 has probability p, the 4 others share the rest
        return np.column_stack([p, *[(1 - p) / 4] * 4]).astype(np.float32)

    one_hot = np.eye(5, dtype=np.float32)[[0]]
    for name, cls, kwargs in (
        (
            "categorical_crossentropy",
            "CategoricalCrossentropy",
            {"label_smoothing": 0.2},
        ),
        ("kl_divergence", "KLDivergence", {}),
    ):
        x, loss, slope = curves[name]
        inner = (x > 0.05) & (x < 0.95)  # away from the clipping at the edges

        def by_keras(values, cls=cls, kwargs=kwargs):
            target = np.repeat(one_hot, len(values), axis=0)
            return _keras(cls, target, rows(values), **kwargs)

        _check_curve(x[inner], loss[inner], slope[inner], by_keras)
    assert any("s = 0.2" in el.value for el in at.latex)


# --- languages, bad URL values ------------------------------------------------------

ENGLISH = re.compile(r"\b(the|and|of|is|loss|target|prediction|class|outliers?)\b")


def _visible_text(at):
    texts = [el.value for el in (*at.title, *at.markdown, *at.caption)]
    texts += [
        el.value
        for kind in ("error", "warning", "info", "success")
        for el in at.get(kind)
    ]
    texts += [
        w.label
        for kind in (
            "selectbox",
            "slider",
            "multiselect",
            "toggle",
            "checkbox",
            "button_group",
            "number_input",
        )
        for w in at.get(kind)
    ]
    texts += [m.label for m in at.metric]
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        layout = spec["layout"]
        texts.append(str(layout.get("title", {}).get("text", "")))
        texts += [str(a.get("text", "")) for a in layout.get("annotations", [])]
        texts += [
            str(v.get("title", {}).get("text", ""))
            for k, v in layout.items()
            if k.startswith(("xaxis", "yaxis"))
        ]
        texts += [str(trace.get("name", "")) for trace in spec["data"]]
    return [re.sub(r"`[^`]*`", "", text) for text in texts]  # code stays code


@pytest.mark.parametrize(
    "section",
    [
        "curves",
        "dist",
        pytest.param("outliers", marks=pytest.mark.slow),
        pytest.param("guide", marks=pytest.mark.slow),
    ],
)
def test_chinese_view_has_no_english_left(app_test, section):
    at = app_test("losses", lang="zh")
    _tab(at, section)
    assert at.title[0].value == "损失函数"
    leftovers = [text for text in _visible_text(at) if ENGLISH.search(text)]
    assert not leftovers, leftovers
    if section == "curves":
        assert (
            _figure(at, "loss_fig_curves")["layout"]["xaxis"]["title"]["text"]
            == "预测值 ŷ"
        )


def test_bad_url_values_are_ignored_without_a_traceback():
    bad = {
        "loss_tab": "nope",
        "loss_family": "bogus",
        "loss_huber_delta": "abc",
        "loss_target_regression": "1e9",
        "loss_names_regression": "xyz",
    }
    at = _open(bad)
    assert set(_curves(at)) == {"mse", "mae", "huber"}  # the default view
    named = " ".join(_toasts(at))
    for key in bad:  # each ignored value is named in a notice
        assert key.replace("_", "\\_") in named, (key, _toasts(at))
    assert not set(bad) & set(_params(at))  # and gone from the URL
    _run(at, loss_names_regression=[])  # nothing to plot: say so, draw nothing
    assert "at least one loss" in at.info[0].value and not at.get("plotly_chart")


# --- the distribution lab ----------------------------------------------------------


def _closed_form(p, q):
    p, q = np.asarray(p, float), np.asarray(q, float)
    p, q = np.clip(p / p.sum(), EPS, 1), np.clip(q / q.sum(), EPS, 1)
    return {
        "H(P)": -np.sum(p * np.log(p)),
        "H(Q)": -np.sum(q * np.log(q)),
        "H(P, Q)": -np.sum(p * np.log(q)),
        "KL(P‖Q)": np.sum(p * np.log(p / q)),
        "KL(Q‖P)": np.sum(q * np.log(q / p)),
    }


def _shown_numbers(at):
    """Metric label -> value, keyed by the symbol inside the label."""
    numbers = {}
    for label, value in _metrics(at).items():
        symbol = re.search(r"(H\(P, Q\)|H\([PQ]\)|KL\([PQ]‖[PQ]\))", label).group(1)
        numbers[symbol] = float(value)
    return numbers


def _edit(at, preset, rows):
    at.session_state[f"loss_dist_table_{preset}"] = {
        "edited_rows": rows,
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not exceptions(at), exceptions(at)


def test_distribution_lab_numbers_follow_numpy_and_the_identity(app_test):
    at = app_test("losses")
    _tab(at, "dist")
    editor = at.data_editor[0].value
    p, q = np.array(editor["P"], float), np.array(editor["Q"], float)
    for edit in (None, {0: {"Q": 0.5}, 3: {"P": 2.0}}):
        if edit:
            _edit(at, "one_hot", edit)
            for row, change in edit.items():
                for column, value in change.items():
                    (p if column == "P" else q)[row] = value
        shown, exact = _shown_numbers(at), _closed_form(p, q)
        for symbol, value in exact.items():
            assert shown[symbol] == pytest.approx(value, abs=6e-5), symbol
        assert shown["H(P, Q)"] == pytest.approx(
            shown["H(P)"] + shown["KL(P‖Q)"], abs=2e-4
        )
        assert shown["KL(P‖Q)"] >= 0 and shown["KL(Q‖P)"] >= 0
        identity = at.success[0].value
        assert (
            f"{exact['H(P, Q)']:.4f} = {exact['H(P)']:.4f} + {exact['KL(P‖Q)']:.4f}"
            in identity
        )
        keras_kl = float(
            keras.losses.KLDivergence()(p[None] / p.sum(), q[None] / q.sum())
        )
        assert f"{keras_kl:.4f}" in " ".join(m.value for m in at.markdown)


def test_kl_is_asymmetric_and_a_zero_in_q_is_flagged(app_test):
    at = app_test("losses")
    _tab(at, "dist")
    _run(at, loss_dist_preset="asymmetric")
    shown = _shown_numbers(at)
    assert shown["KL(P‖Q)"] > 0 and shown["KL(Q‖P)"] > 0
    assert abs(shown["KL(P‖Q)"] - shown["KL(Q‖P)"]) > 0.1
    assert not at.warning
    _run(at, loss_dist_preset="zero_in_q")
    assert any("infinite" in w.value for w in at.warning)


def test_a_kl_a_hair_below_zero_is_shown_as_it_is_and_explained(app_test):
    at = app_test("losses")
    _tab(at, "dist")
    _run(at, loss_dist_preset="equal")  # P = Q, then a speck of P where Q is 0
    _edit(at, "equal", {3: {"P": 1e-8, "Q": 0.0}})
    p, q = np.array([0.4, 0.3, 0.2, 1e-8]), np.array([0.4, 0.3, 0.2, 0.0])
    clipped = _closed_form(p, q)["KL(P‖Q)"]  # Keras' ε clipping, in float64
    assert -4 * EPS < clipped < 0
    shown = _metrics(at)[t("loss.dist.kl_pq", "en")]
    assert shown != "-0.0000" and float(shown) == pytest.approx(clipped, rel=0.05)
    captions = " ".join(c.value for c in at.caption)
    assert "Why a KL below 0 here" in captions and shown in captions
    # Every sentence follows the numbers: the same value, no "-0.0000".
    text = " ".join(m.value for m in at.markdown) + at.success[0].value
    assert f"KL(P‖Q) = {shown}" in text and "-0.0000" not in text
    warning = at.warning[0].value  # Q is 0 where P is not
    assert "infinite" in warning and f"{clipped:.4g}" in warning


def test_huge_weights_give_the_normalised_numbers_not_a_negative_kl(app_test):
    at = app_test("losses")
    _tab(at, "dist")
    _edit(at, "one_hot", {0: {"P": 1e308}, 1: {"P": 1e308}})
    assert not at.error
    shown, exact = _shown_numbers(at), _closed_form([1, 1, 0, 0], [1, 7, 1, 1])
    for symbol, value in exact.items():
        assert shown[symbol] == pytest.approx(value, abs=6e-5), symbol
    assert shown["KL(P‖Q)"] > 0 and shown["KL(Q‖P)"] > 0
    assert "Why a KL below 0" not in " ".join(c.value for c in at.caption)


@pytest.mark.parametrize(
    ("rows", "lang", "message"),
    [
        ({1: {"P": 0.0}}, "en", "all zeros"),
        ({0: {"Q": -0.2}}, "en", "negative"),
        ({2: {"P": None}}, "en", "empty"),
        ({1: {"P": 0.0}}, "zh", "全为 0"),
    ],
)
def test_bad_distributions_give_a_message(app_test, rows, lang, message):
    at = app_test("losses", lang=lang)
    _tab(at, "dist")
    _edit(at, "one_hot", rows)
    assert [e.value for e in at.error], "no message"
    assert message in at.error[0].value
    assert not at.metric  # no numbers from a broken distribution


# --- the trained labs --------------------------------------------------------------


def _line(trace):
    x, y = _decode(trace["x"]), _decode(trace["y"])
    slope = (y[1] - y[0]) / (x[1] - x[0])
    return slope, y[0] - slope * x[0]


@pytest.mark.slow
def test_outlier_lab_fits_follow_least_squares_and_its_sliders(app_test):
    at = app_test("losses")
    _tab(at, "outliers")
    assert at.get("download_button")
    traces = _figure(at, "loss_fig_fit")["data"]
    x = np.concatenate([_decode(t["x"]) for t in traces[:2]])
    y = np.concatenate([_decode(t["y"]) for t in traces[:2]])
    assert len(_decode(traces[1]["x"])) == 10  # 10% of 100 points are outliers
    fits = {
        name: _line(t)
        for name, t in zip(("mse", "mae", "huber"), traces[3:], strict=True)
    }
    # The MSE line is the least-squares line of the plotted points.
    np.testing.assert_allclose(fits["mse"], np.polyfit(x, y, 1), atol=2e-3)
    for robust in ("mae", "huber"):  # robust losses stay near the true y = 2x + 1
        assert abs(fits[robust][1] - 1) < abs(fits["mse"][1] - 1) / 3
    at.sidebar.selectbox(key="loss_preset").set_value("no_outliers").run()
    assert not exceptions(at), exceptions(at)
    traces = _figure(at, "loss_fig_fit")["data"]
    assert len(_decode(traces[1]["x"])) == 0
    for trace in traces[3:]:
        assert _line(trace)[0] == pytest.approx(2.0, abs=0.2)
    table = at.table[0].value
    assert table.shape == (5, 2)


@pytest.mark.slow
def test_task_guide_shows_the_pairing_and_trains_right_vs_wrong(app_test):
    at = app_test("losses")
    _tab(at, "guide")
    _run(at, loss_task="regression_unit")
    assert "sigmoid" in at.code[0].value and at.info  # no training for this task
    assert not at.get("download_button")
    _run(at, loss_task="multiclass")
    assert 'Dense(K, activation="softmax")' in at.code[0].value
    assert 'loss="sparse_categorical_crossentropy"' in at.code[0].value
    shown = {
        label: float(value.strip("%")) / 100 for label, value in _metrics(at).items()
    }
    right, wrong, difference = shown.values()
    assert difference == pytest.approx(right - wrong, abs=2e-3)
    assert right > 0.85 and difference > 0.3  # forgetting the softmax costs a lot
    bars = _decode(_figure(at, "loss_fig_pair")["data"][0]["y"])
    np.testing.assert_allclose(bars, [right, wrong], atol=1e-3)
    # The teacher preset: softmax + binary cross-entropy on ten classes.
    at.sidebar.selectbox(key="loss_preset").set_value("softmax_bce").run()
    assert not exceptions(at), exceptions(at)
    assert at.selectbox(key="loss_wrong_multiclass").value == "softmax_bce"
    assert "binary_crossentropy" in at.code[2].value


@pytest.mark.slow
def test_identical_pairing_curves_are_said_to_coincide(app_test):
    """The guide's default (binary: softmax on one unit) trains two runs whose
    loss curves are identical: one legend entry each, and a sentence."""
    for lang in ("en", "zh"):
        at = app_test("losses", lang=lang)
        _tab(at, "guide")
        assert at.selectbox(key="loss_task").value == "binary"
        spec = _figure(at, "loss_fig_pair_curves")
        legend = [tr["name"] for tr in spec["data"] if tr.get("showlegend", True)]
        right, wrong = t("loss.run.right", lang), t("loss.run.wrong", lang)
        assert legend == [
            f"{right} = {wrong} ({t('common.train', lang)})",
            f"{right} = {wrong} ({t('common.validation', lang)})",
        ]
        info = " ".join(i.value for i in at.info)
        assert t("loss.pair.coincide", lang).split("（")[0].split("(")[0] in info
        bars = _figure(at, "loss_fig_pair")["data"][0]
        assert bars["x"] == [right, wrong]  # short labels: readable at 390 px
        # The result names its pairings (the last finished run may be another).
        named = t(
            "loss.pair.wrong", lang, activation="softmax", loss="binary_crossentropy"
        )
        assert named in " ".join(c.value for c in at.caption)
        # Another wrong pairing: distinct curves, four entries, no sentence.
        _run(at, loss_wrong_binary="no_sigmoid")
        spec = _figure(at, "loss_fig_pair_curves")
        assert len([tr for tr in spec["data"] if tr.get("showlegend", True)]) == 4
        assert not at.info


def _check_readable(spec, where):
    from dlcore.figures import theme

    def sizes(node):
        if isinstance(node, dict):
            for key, value in node.items():
                size = value.get("size") if isinstance(value, dict) else None
                if key in ("font", "tickfont", "textfont") and isinstance(
                    size, (int, float)
                ):
                    yield size
                yield from sizes(value)
        elif isinstance(node, list):
            for value in node:
                yield from sizes(value)

    small = [size for size in sizes(spec) if size < theme.MIN_FONT_SIZE]
    assert not small, (where, small)
    for name, axis in spec["layout"].items():
        if name.startswith(("xaxis", "yaxis")) and axis.get("type") == "log":
            labels, values = axis["ticktext"], axis["tickvals"]
            assert len(labels) >= 2, (where, name)
            for label, value in zip(labels, values, strict=True):
                assert float(label) == pytest.approx(value), (where, label, value)


@pytest.mark.parametrize(
    "tab",
    [
        "curves",
        "dist",
        pytest.param("outliers", marks=pytest.mark.slow),
        pytest.param("guide", marks=pytest.mark.slow),
    ],
)
def test_every_chart_of_every_tab_is_readable_with_full_log_labels(app_test, tab):
    at = app_test("losses", lang="zh")
    _tab(at, tab)
    specs = {el.proto.id: json.loads(el.proto.spec) for el in at.get("plotly_chart")}
    assert specs
    logs = 0
    for key, spec in specs.items():
        _check_readable(spec, key)
        logs += sum(
            1
            for name, axis in spec["layout"].items()
            if name.startswith("yaxis") and axis.get("type") == "log"
        )
    assert logs == (1 if tab in ("outliers", "guide") else 0)  # the learning curves
    if tab in ("outliers", "guide"):  # results are drawn by the training slot
        assert all(key.endswith("_final") for key in specs), list(specs)


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        ("robust", ["mse", "mae", "huber", "log_cosh"]),
        ("focal", ["binary_crossentropy", "binary_focal_crossentropy"]),
        ("margin", ["binary_crossentropy", "hinge", "squared_hinge"]),
        ("smoothing", ["categorical_crossentropy"]),
    ],
)
def test_teacher_presets_set_up_the_curve_explorer(app_test, preset, expected):
    at = app_test("losses")
    _tab(at, "dist")  # a preset also switches the tab
    at.sidebar.selectbox(key="loss_preset").set_value(preset).run()
    assert not exceptions(at), exceptions(at)
    assert "loss_tab" not in _params(at)  # the curves tab is the default
    assert list(_curves(at)) == expected
    if preset == "smoothing":  # label smoothing 0.2 is what Keras plots
        x, loss, _ = _curves(at)["categorical_crossentropy"]
        rows = np.column_stack([x, (1 - x) / 2, (1 - x) / 2]).astype(np.float32)
        target = np.repeat(np.eye(3, dtype=np.float32)[[0]], len(x), axis=0)
        by_keras = _keras("CategoricalCrossentropy", target, rows, label_smoothing=0.2)
        np.testing.assert_allclose(loss, by_keras, rtol=1e-5, atol=1e-5)


# --- the classroom layer: links, tabs, presets -------------------------------------


def test_a_link_made_in_chinese_opens_the_same_curves_in_english(app_test):
    at = app_test("losses", lang="zh")
    _run(at, loss_family="binary")
    _run(at, loss_logits_binary=True)
    names = ["binary_crossentropy", "binary_focal_crossentropy", "squared_hinge"]
    _run(at, loss_names_binary_z=names, loss_label_binary=0.0)
    _run(at, loss_binary_focal_crossentropy_gamma=3.5)
    link, values, curves = _params(at), _canonical(at), _curves(at)
    assert link.pop("lang") == "zh"
    assert link == {  # stable ids and numbers, never translated labels
        "loss_family": "binary",
        "loss_logits_binary": "1",
        "loss_names_binary_z": ",".join(names),
        "loss_label_binary": "0",
        "loss_binary_focal_crossentropy_gamma": "3.5",
    }
    english = _open({**link, "lang": "en"})
    assert not _toasts(english), _toasts(english)
    reopened = _canonical(english)
    for key in link:
        assert reopened[key] == values[key], key
    assert _params(english) == {**link, "lang": "en"}
    again = _curves(english)
    assert list(again) == names
    for name in names:
        for shown, expected in zip(again[name], curves[name], strict=True):
            np.testing.assert_array_equal(shown, expected)


@pytest.mark.slow
def test_a_chinese_outlier_lab_link_trains_the_same_config_in_english(app_test):
    at = app_test("losses", lang="zh")
    _tab(at, "outliers")
    _run(at, loss_out_outlier_size=-20.0, loss_out_huber_delta=2.0, loss_out_seed=7)
    link = _params(at)
    assert link.pop("lang") == "zh"
    assert link == {
        "loss_tab": "outliers",
        "loss_out_outlier_size": "-20",
        "loss_out_huber_delta": "2",
        "loss_out_seed": "7",
    }
    code = at.code[0].value  # the exported script: the config, in full
    assert "OUTLIER_SIZE = -20.0" in code and "SEED = 7" in code
    english = _open({**link, "lang": "en"})
    assert not _toasts(english), _toasts(english)
    assert english.code[0].value == code  # the very same config
    fields = [f"loss_out_{name}" for name in (*losses.OUTLIER_SLIDERS, "seed")]
    zh, en = _canonical(at), _canonical(english)
    assert {k: en[k] for k in fields} == {k: zh[k] for k in fields}
    np.testing.assert_array_equal(english.table[0].value, at.table[0].value)


@pytest.mark.parametrize(
    "tab",
    [
        "curves",
        "dist",
        pytest.param("outliers", marks=pytest.mark.slow),
        pytest.param("guide", marks=pytest.mark.slow),
    ],
)
def test_every_tab_is_in_the_url_as_its_id_and_survives_a_language_switch(
    app_test, tab
):
    charts = {
        "curves": "loss_fig_curves",
        "dist": "loss_fig_dist",
        "outliers": "loss_fig_fit",
        "guide": "loss_fig_pair",
    }
    at = app_test("losses", lang="zh")
    _tab(at, "dist" if tab == "curves" else "curves")  # from another tab
    _tab(at, tab)
    assert _params(at).get("loss_tab", "curves") == tab
    assert ("loss_tab" in _params(at)) == (tab != "curves")  # default: short URL
    assert _figure(at, charts[tab])  # only the open tab's code ran:
    others = [key for name, key in charts.items() if name != tab]
    others += [f"{key}_final" for key in others]
    assert not [
        el for el in at.get("plotly_chart") if el.proto.id.endswith(tuple(others))
    ]
    at.segmented_control(key="lang").set_value("en").run()
    assert not exceptions(at), exceptions(at)
    assert at.session_state["loss_tab"] == t(f"loss.tab.{tab}", "en")
    assert _params(at).get("loss_tab", "curves") == tab
    assert _figure(at, charts[tab])
    fresh = _open({"loss_tab": tab, "lang": "zh"})  # the link itself
    assert fresh.session_state["loss_tab"] == t(f"loss.tab.{tab}", "zh")
    assert _figure(fresh, charts[tab]) and not _toasts(fresh)


_TRAINS = {"no_outliers", "large_outliers", "softmax_bce"}


@pytest.mark.parametrize(
    "preset",
    [
        pytest.param(p, marks=pytest.mark.slow) if p.name in _TRAINS else p
        for p in losses.PRESETS
    ],
    ids=lambda p: p.name,
)
def test_every_preset_applies_without_a_notice(app_test, preset):
    values = TOPIC.preset_values(preset)
    at = app_test("losses", lang="zh")
    at.sidebar.selectbox(key="loss_preset").set_value(preset.name).run()
    assert not exceptions(at), exceptions(at)
    assert not _toasts(at), _toasts(at)
    assert (preset.name in _TRAINS) == (preset.config is not None)
    assert _params(at).get("loss_tab", "curves") == preset.tab
    shown = _canonical(at)
    for key, expected in values.items():  # every value reached its control
        assert shown[key] == expected, (key, shown[key], expected)
