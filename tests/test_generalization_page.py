"""The Generalization page in AppTest: every tab, the main controls, en and zh."""

from __future__ import annotations

import pytest
from conftest import exceptions, plotly_specs

from dlcore import generalization as gen
from dlcore.i18n import t


def _open(app_test, tab: str, lang: str):
    at = app_test(lang=lang)
    at.query_params["gen_tab"] = tab
    at.switch_page("pages/generalization.py").run()
    assert not exceptions(at), exceptions(at)
    return at


def _frame(at, column: str):
    """The first dataframe with ``column`` (as a column or a row label)."""
    for element in at.dataframe:
        frame = element.value
        if column in frame.columns or column in frame.index:
            return frame
    raise AssertionError(f"no table with {column!r}")


def _titles(at) -> list[str]:
    return [(s["layout"].get("title") or {}).get("text", "") for s in plotly_specs(at)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_overfit_tab_sweeps_widths_then_sizes(app_test, lang):
    at = _open(app_test, "overfit", lang)
    assert t("gen.fig.sweep.width", lang) in _titles(at)
    assert at.selectbox(key="gen_sweep_width").disabled
    at.button_group(key="gen_sweep_sweep").set_value("size")
    at.selectbox(key="gen_sweep_epochs").set_value(20).run()
    assert not exceptions(at), exceptions(at)
    assert t("gen.fig.sweep.size", lang) in _titles(at)
    assert at.selectbox(key="gen_sweep_num_train").disabled
    assert at.query_params["gen_sweep_sweep"] == "size"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_regularize_tab_formulas_match_keras_and_dropout_trains(app_test, lang):
    at = _open(app_test, "regularize", lang)
    formula, keras_col = t("gen.pen.formula", lang), t("gen.pen.keras", lang)
    table = _frame(at, formula)
    assert (table[formula] == table[keras_col]).all()
    drop = _frame(at, t("gen.drop.training", lang))
    assert (
        drop.loc[t("gen.drop.training", lang)] == drop.loc[t("gen.drop.by_hand", lang)]
    ).all()
    at.slider(key="gen_drop_rate").set_value(0.5)
    at.button_group(key="gen_decay_optimizer").set_value("sgd")
    at.selectbox(key="gen_reg_regularizer").set_value("dropout")
    at.selectbox(key="gen_reg_width").set_value(64)
    at.selectbox(key="gen_reg_epochs").set_value(30).run()
    assert not exceptions(at), exceptions(at)
    titles = _titles(at)
    for key in ("gen.fig.early", "gen.fig.weights", "gen.fig.mc", "gen.fig.decay"):
        assert t(key, lang) in titles, (key, titles)
    text = " ".join(m.value for m in at.markdown)
    assert t("gen.decay.result.sgd", lang).split("{")[0] in text
    assert not at.selectbox(key="gen_reg_dropout").disabled
    assert at.selectbox(key="gen_reg_strength").disabled


def test_early_stopping_caption_names_keras_stop_epoch(app_test):
    at = _open(app_test, "regularize", "en")
    at.selectbox(key="gen_reg_patience").set_value(3).run()
    assert not exceptions(at), exceptions(at)
    config = gen.RegularizeConfig(patience=3)
    result = gen.train_regularize(config)
    stop, best = int(result.metrics["stop_epoch"]), int(result.metrics["best_epoch"])
    assert stop, "the default set-up overfits, so early stopping triggers"
    expected = t("gen.early.stopped", "en", patience=3, stop=stop, best=best)
    assert expected in [c.value for c in at.caption]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_deep_tab_batchnorm_and_residual(app_test, lang):
    at = _open(app_test, "deep", lang)
    by_hand, keras_col = t("gen.bn.by_hand", lang), t("gen.bn.training", lang)
    table = _frame(at, by_hand)
    assert (abs(table[by_hand] - table[keras_col]) < 1e-4).all()
    at.slider(key="gen_bn_gamma").set_value(2.0)
    at.slider(key="gen_res_depth").set_value(6)
    at.selectbox(key="gen_res_epochs").set_value(5).run()
    assert not exceptions(at), exceptions(at)
    assert t("gen.fig.flow", lang) in _titles(at)
    labels = [m.label for m in at.metric]
    for run in ("plain", "residual"):
        assert t("gen.res.val_acc", lang, run=t(f"gen.run.{run}", lang)) in labels


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_workflow_tab_threshold_moves_the_metrics(app_test, lang):
    at = _open(app_test, "workflow", lang)
    assert t("gen.fig.protocols", lang) in _titles(at)
    before = {m.label: m.value for m in at.metric}
    at.slider(key="gen_met_threshold").set_value(0.2).run()
    assert not exceptions(at), exceptions(at)
    after = {m.label: m.value for m in at.metric}
    recall = t("gen.metrics.recall", lang)
    assert float(after[recall]) > float(before[recall])
    y, scores = gen.imbalanced_scores(1000, 0.05)
    expected = gen.binary_metrics(y, scores, 0.2)["recall"]
    assert after[recall] == f"{expected:.3f}"
    at.selectbox(key="gen_eval_k").set_value(10).run()
    assert not exceptions(at), exceptions(at)
