"""The MLP playground: it learns, its export reproduces it, its page works."""

import subprocess
import sys

import numpy as np
import pytest
from conftest import exceptions, plotly_specs

from dlcore import playground


def test_default_config_learns_the_circle():
    result = playground.train_playground(playground.PlaygroundConfig(epochs=30))
    assert result.status == "finished"
    assert result.metrics["val_accuracy"] >= 0.95
    surface = result.artifacts["surface"]
    assert surface.shape == (playground.GRID_SIZE, playground.GRID_SIZE)
    assert surface.min() >= 0.0 and surface.max() <= 1.0


def test_no_hidden_layer_cannot_learn_xor():
    linear = playground.PlaygroundConfig(dataset="xor", hidden_layers=(), epochs=40)
    deep = playground.PlaygroundConfig(dataset="xor", hidden_layers=(8, 8), epochs=40)
    linear_acc = playground.train_playground(linear).metrics["val_accuracy"]
    deep_acc = playground.train_playground(deep).metrics["val_accuracy"]
    assert linear_acc < 0.75 < 0.9 < deep_acc


def test_too_large_a_learning_rate_diverges_as_a_lesson():
    config = playground.PlaygroundConfig(
        optimizer="sgd", learning_rate=1e4, activation="linear", epochs=20
    )
    result = playground.train_playground(config)
    assert result.status in ("diverged", "finished")
    if result.status == "diverged":
        assert 1 <= result.diverged_epoch <= 20


@pytest.mark.slow
def test_exported_script_reproduces_the_final_metrics(tmp_path):
    config = playground.PlaygroundConfig(
        dataset="moons",
        hidden_layers=(6,),
        epochs=4,
        dropout=0.1,
        l2=0.001,
        optimizer="momentum",
    )
    expected = playground.train_playground(config).metrics
    script = tmp_path / "export.py"
    script.write_text(playground.code_playground(config))
    assert "dlcore" not in script.read_text()
    out = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    final = eval(out.stdout.strip().splitlines()[-1].removeprefix("FINAL "))
    # Same data, weights, batches and math: equal up to float32 rounding.
    for name, value in expected.items():
        np.testing.assert_allclose(
            final[name], value, rtol=1e-4, atol=1e-5, err_msg=name
        )


def test_bad_config_is_rejected_with_a_message():
    with pytest.raises(ValueError, match="dataset must be one of"):
        playground.PlaygroundConfig(dataset="cifar")


@pytest.mark.slow
def test_page_trains_and_follows_its_controls(app_test):
    at = app_test("playground")
    assert not exceptions(at), exceptions(at)
    names = [trace.get("type") for spec in plotly_specs(at) for trace in spec["data"]]
    assert "heatmap" in names  # decision boundary drawn
    first = [m.value for m in at.markdown if "accuracy" in m.value]
    assert first and "%" in first[0]
    at.selectbox(key="pg_dataset").set_value("xor").run()
    at.select_slider(key="pg_lr").set_value(0.01).run()
    at.slider(key="pg_num_layers").set_value(1).run()
    assert not exceptions(at), exceptions(at)
    assert [m.value for m in at.markdown if "accuracy" in m.value] != first
    assert len(at.get("plotly_chart")) >= 2  # boundary + learning curves
    assert at.get("download_button")


@pytest.mark.slow
def test_page_in_chinese_and_divergence_message(app_test):
    at = app_test("playground", lang="zh")
    assert at.title[0].value == "多层感知机游乐场"
    at.selectbox(key="pg_preset").set_value("too_fast").run()
    assert not exceptions(at), exceptions(at)
    warnings = [w.value for w in at.warning]
    assert any("发散" in w for w in warnings), warnings


# --- the L2 control: a coupled penalty in the loss, not weight decay -----------------


def _random_weights(model, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(0.0, 0.7, w.shape) for w in model.get_weights()])


@pytest.mark.parametrize("l2", [0.0001, 0.01, 0.1])
def test_l2_penalty_shown_equals_keras_model_losses(l2):
    config = playground.PlaygroundConfig(hidden_layers=(8, 4, 3), l2=l2)
    model = playground.build_model(config)
    _random_weights(model)
    kernels = playground.penalized_kernels(model)
    assert [k.shape for k in kernels] == [(2, 8), (8, 4), (4, 3)]  # not the output
    penalty, squares = playground.l2_penalty(kernels, l2)
    keras_penalty = float(sum(float(v) for v in model.losses))
    assert penalty == pytest.approx(keras_penalty, rel=1e-5)
    assert penalty == pytest.approx(l2 * squares)
    none = playground.build_model(playground.PlaygroundConfig(l2=0.0))
    assert not none.losses and playground.penalized_kernels(none) == []


def test_the_l2_penalty_of_a_run_is_reported_with_it():
    config = playground.PlaygroundConfig(l2=0.01, epochs=3, hidden_layers=(4,))
    art = playground.train_playground(config).artifacts
    assert art["l2_penalty"] == pytest.approx(0.01 * art["l2_squares"])
    assert art["l2_squares"] > 0
    assert playground.train_playground(
        playground.PlaygroundConfig(epochs=1, hidden_layers=(4,))
    ).artifacts["l2_penalty"] == pytest.approx(0.0)


def test_l2_gradient_is_2_lambda_w_and_is_not_adamw_weight_decay():
    """The formulas the page shows, against Keras: the penalty's gradient is 2λw;
    with SGD it shrinks w by 1 − 2ηλ per step; with Adam it does not (each
    weight moves by ≈ η, whatever its size); AdamW's decoupled decay is
    θ ← θ − ηλθ."""
    import keras
    import tensorflow as tf

    lam, lr = 0.05, 0.1
    w0 = np.array([0.1, -0.5, 2.0, -3.0], np.float32)
    penalty = keras.regularizers.L2(lam)

    def step(optimizer, with_penalty: bool = True) -> np.ndarray:
        w = keras.Variable(w0)
        with tf.GradientTape() as tape:
            loss = penalty(w) if with_penalty else 0.0 * tf.reduce_sum(w)
        grad = tape.gradient(loss, w)
        if with_penalty:
            np.testing.assert_allclose(grad.numpy(), 2 * lam * w0, rtol=1e-6)
        optimizer.apply_gradients([(grad, w)])
        return w.numpy()

    np.testing.assert_allclose(
        step(keras.optimizers.SGD(lr)), (1 - 2 * lr * lam) * w0, rtol=1e-6
    )
    adam = step(keras.optimizers.Adam(lr))
    np.testing.assert_allclose(w0 - adam, lr * np.sign(w0), rtol=1e-3)  # not ∝ w
    decay = step(keras.optimizers.AdamW(lr, weight_decay=lam), with_penalty=False)
    np.testing.assert_allclose(decay, w0 - lr * lam * w0, rtol=1e-6)


def test_catalogue_names_the_l2_control_for_what_keras_computes():
    from dlcore.i18n import CATALOG

    english, chinese = CATALOG["pg.l2"]
    assert "penalty" in english and "decay" not in english
    assert "惩罚" in chinese and "衰减" not in chinese
    for key in ("pg.l2_what", "pg.l2_vs_decay"):
        assert all(text.strip() for text in CATALOG[key])
    assert "AdamW" in CATALOG["pg.l2_vs_decay"][0]
    assert "2λw" in CATALOG["pg.l2_vs_decay"][0]


# --- the page: the result next to the control being moved ----------------------------


def _block_keys(node) -> list[str]:
    """Keys of every widget and chart under ``node``, in page order."""
    keys = []
    for child in getattr(node, "children", {}).values():
        key = getattr(child, "key", None)
        if key and not hasattr(child, "children"):
            keys.append(key)
        keys += _block_keys(child)
    return keys


def _find_block(node, key: str):
    """The container keyed ``key`` under ``node``."""
    for child in getattr(node, "children", {}).values():
        if getattr(child, "key", None) == key:
            return child
        found = _find_block(child, key)
        if found is not None:
            return found
    return None


@pytest.mark.slow
def test_result_comes_before_the_controls_in_one_wrapping_row(app_test):
    """On a phone a wrapping row stacks its boxes in page order: the result box
    (``sticky_…``: it stays in view) first, then the controls that move it. On a
    desktop the two boxes sit side by side."""
    from streamlit.proto.Block_pb2 import Block

    at = app_test("playground")
    assert not exceptions(at), exceptions(at)
    rows = [
        block
        for block in at.main.children.values()
        if getattr(block, "type", "") == "flex_container"
        and any(
            getattr(c, "key", "") == "sticky_pg_result" for c in block.children.values()
        )
    ]
    assert len(rows) == 1
    row = rows[0]
    flex = row.proto.flex_container
    assert flex.direction == Block.FlexContainer.Direction.HORIZONTAL and flex.wrap
    result, controls = list(row.children.values())
    assert result.key == "sticky_pg_result"
    assert _block_keys(result) == ["pgfig_boundary_final"]  # boundary, no control
    assert "Decision boundary" in result.markdown[0].value
    keys = _block_keys(controls)
    assert {"pg_dataset", "pg_lr", "pg_epochs", "pg_l2", "pg_seed"} <= set(keys)
    assert not any(k.startswith("pg_") for k in _block_keys(result))


@pytest.mark.slow
def test_page_shows_the_l2_formula_and_the_penalty_of_the_run(app_test):
    at = app_test("playground")
    at.select_slider(key="pg_epochs").set_value(20).run()
    at.select_slider(key="pg_l2").set_value(0.01).run()
    assert not exceptions(at), exceptions(at)
    latex = " ".join(element.value for element in at.latex)
    assert r"2\lambda w" in latex and r"\eta\,\lambda\,\theta" in latex
    assert "L2 penalty λ (kernel_regularizer)" in at.select_slider(key="pg_l2").label
    captions = " ".join(c.value for c in at.caption)
    assert "λ·Σw² = 0.01 ×" in captions


@pytest.mark.slow
def test_a_new_run_leaves_one_boundary_in_the_result_box(app_test):
    """While a run trains, the box shows the last finished boundary (labelled);
    then the new one replaces it, and nothing of the old drawing stays below."""
    at = app_test("playground")
    at.select_slider(key="pg_epochs").set_value(20).run()  # a finished run …
    at.slider(key="pg_noise").set_value(0.2).run()  # … shown while this one trains
    assert not exceptions(at), exceptions(at)
    result = _find_block(at.main, "sticky_pg_result")
    assert _block_keys(result) == ["pgfig_boundary_final"]
    assert not [c.value for c in result.caption if "last finished" in c.value]
