"""The generalization core against its oracles: Keras layers, regularizers,
optimizers, callbacks and metrics, scikit-learn, closed forms."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dlcore import generalization as gen
from dlcore.generalization import keras

tf = gen.core.tf


# --- the overfitting set-up ---


def test_noisy_labels_changes_at_most_the_chosen_share_and_is_seeded():
    y = np.repeat(np.arange(10, dtype=np.int32), 30)
    noisy = gen.noisy_labels(y, 0.3, seed=4)
    assert np.mean(noisy != y) <= 0.3 + 1e-9
    assert np.mean(noisy != y) > 0.2  # 9 in 10 replaced labels differ
    np.testing.assert_array_equal(noisy, gen.noisy_labels(y, 0.3, seed=4))
    np.testing.assert_array_equal(gen.noisy_labels(y, 0.0, seed=4), y)


def test_overfit_data_keeps_validation_labels_clean():
    x, y, x_val, y_val = gen.overfit_data(100, 0.5, seed=0)
    full = gen.overfit_data(100, 0.0, seed=0)
    assert x.shape == (100, 64) and x_val.shape == (449, 64)
    np.testing.assert_array_equal(y_val, full[3])
    assert np.mean(y != full[1]) > 0.3


@pytest.mark.parametrize(("width", "depth"), [(2, 1), (16, 1), (32, 3)])
def test_parameter_count_formula_equals_keras(width, depth):
    model = gen.build_regularized(
        width=width, depth=depth, regularizer="none", strength=0, dropout=0, seed=0
    )
    assert gen.mlp_params(width, depth) == model.count_params()


# --- penalties ---


@pytest.mark.parametrize("kind", ["l1", "l2"])
def test_penalty_and_its_gradient_equal_what_keras_adds_to_the_loss(kind):
    strength = 0.03
    layer = keras.layers.Dense(3, kernel_regularizer=gen.keras_regularizer(kind, 0.03))
    model = keras.Sequential([keras.Input((4,)), layer])
    w = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32)
    layer.kernel.assign(w)
    model(np.zeros((1, 4), np.float32))
    keras_penalty = float(sum(model.losses))
    np.testing.assert_allclose(keras_penalty, gen.penalty(w, kind, strength), rtol=1e-5)
    with tf.GradientTape() as tape:
        model(np.zeros((1, 4), np.float32))
        total = tf.add_n(model.losses)
    grad = tape.gradient(total, layer.kernel).numpy()
    np.testing.assert_allclose(grad, gen.penalty_gradient(w, kind, strength), rtol=1e-5)


def test_l2_has_no_factor_one_half():
    assert gen.penalty([3.0], "l2", 1.0) == 9.0
    assert float(keras.regularizers.L2(1.0)(np.array([3.0], np.float32))) == 9.0


# --- decoupled weight decay vs L2 ---


def test_sgd_weight_decay_equals_an_l2_penalty_of_half_the_decay():
    frame = gen.decay_vs_l2("sgd", learning_rate=0.01, strength=0.5, steps=200)
    for w in ("w1", "w2"):
        np.testing.assert_allclose(frame[f"{w}_l2"], frame[f"{w}_decay"], atol=1e-5)


def test_sgd_with_an_l2_penalty_reaches_the_closed_form_minimum():
    frame = gen.decay_vs_l2("sgd", learning_rate=0.15, strength=0.5, steps=300)
    last = frame.iloc[-1]
    # contraction per step: |1 − η(a + 2λ)| = 0.65 (steep), 0.835 (flat)
    np.testing.assert_allclose(
        [last["w1_l2"], last["w2_l2"]], gen.toy_minimum(0.5), atol=1e-4
    )


def test_adam_weight_decay_is_not_an_l2_penalty():
    frame = gen.decay_vs_l2("adam", learning_rate=0.05, strength=0.5, steps=200)
    last = frame.iloc[-1]
    gap = max(
        abs(last["w1_l2"] - last["w1_decay"]), abs(last["w2_l2"] - last["w2_decay"])
    )
    assert gap > 0.05, gap


def test_adamw_is_adam_with_weight_decay():
    a = keras.optimizers.AdamW(learning_rate=0.1, weight_decay=0.2)
    b = keras.optimizers.Adam(learning_rate=0.1, weight_decay=0.2)
    assert a.get_config()["weight_decay"] == b.get_config()["weight_decay"]
    va, vb = keras.Variable([1.0, -2.0]), keras.Variable([1.0, -2.0])
    grad = tf.constant([0.3, 0.1])
    a.apply_gradients([(grad, va)])
    b.apply_gradients([(grad, vb)])
    np.testing.assert_allclose(va.numpy(), vb.numpy())


# --- dropout ---


@pytest.mark.parametrize("rate", [0.0, 0.2, 0.4, 0.5, 0.9])
def test_dropout_on_the_notes_vector_is_inverted_dropout(rate):
    demo = gen.dropout_demo(rate=rate, seed=3)
    np.testing.assert_array_equal(demo["x"], np.float32(gen.NOTES_VECTOR))
    np.testing.assert_allclose(demo["training"], demo["by_hand"], rtol=1e-6)
    np.testing.assert_array_equal(demo["inference"], demo["x"])  # no test-time scaling
    assert demo["scale"] == pytest.approx(1 / (1 - rate))
    kept = demo["mask"] == 1
    np.testing.assert_allclose(
        demo["training"][kept], demo["x"][kept] / (1 - rate), rtol=1e-6
    )
    if rate == 0.0:
        assert kept.all()


def test_dropout_keeps_the_expected_value():
    layer = keras.layers.Dropout(0.4, seed=1)
    x = np.ones((1, 200_000), np.float32)
    assert float(np.mean(layer(x, training=True))) == pytest.approx(1.0, abs=0.01)


def test_dropout_rejects_bad_input():
    with pytest.raises(ValueError):
        gen.dropout_demo(rate=1.0)
    with pytest.raises(ValueError):
        gen.dropout_demo([np.inf, 1.0])


def test_mc_dropout_passes_vary_and_average():
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dropout(0.5), keras.layers.Dense(3)]
    )
    model.layers[-1].kernel.assign(np.eye(4, 3, dtype=np.float32) * 3)
    x = np.ones((5, 4), np.float32)
    out = gen.mc_dropout(model, x, samples=20)
    assert out["mean"].shape == (5, 3)
    assert ((out["agreement"] > 0) & (out["agreement"] <= 1)).all()
    assert out["std"].max() > 0  # passes differ: dropout was on


# --- batch normalization ---


@pytest.mark.parametrize("momentum", [0.9, 0.99])
def test_batchnorm_by_hand_equals_keras_in_both_modes(momentum):
    x = np.random.default_rng(1).normal(2.0, 3.0, (8, 3)).astype(np.float32)
    demo = gen.batchnorm_demo(x, gamma=1.5, beta=-0.5, momentum=momentum)
    np.testing.assert_allclose(demo["training"], demo["by_hand"], atol=1e-5)
    mean, var = demo["moving_by_hand"]
    np.testing.assert_allclose(demo["moving_mean"], mean, rtol=1e-5)
    np.testing.assert_allclose(demo["moving_var"], var, rtol=1e-5)
    expected = (x - mean) / np.sqrt(var + 1e-3) * 1.5 - 0.5
    np.testing.assert_allclose(demo["inference"], expected, atol=1e-4)
    assert not np.allclose(demo["inference"], demo["training"])
    assert (demo["params"], demo["trainable"]) == (4 * 3, 2 * 3)


# --- early stopping ---


def test_early_stopping_replay_stops_where_keras_fit_stops():
    x, y, x_val, y_val = gen.overfit_data(60, 0.5, seed=0)
    model = gen.build_regularized(
        width=64, depth=1, regularizer="none", strength=0, dropout=0, seed=0
    )
    model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy")
    callback = keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)
    logs = model.fit(
        x,
        y,
        epochs=60,
        batch_size=16,
        validation_data=(x_val, y_val),
        callbacks=[callback],
        verbose=0,
        shuffle=False,
    ).history
    stopped = len(logs["val_loss"])
    assert stopped < 60, "the set-up overfits: Keras stops early"
    replay = gen.early_stopping(pd.DataFrame(logs), patience=3)
    assert replay["stop_epoch"] == stopped
    assert replay["best_epoch"] == callback.best_epoch + 1
    assert replay["best_epoch"] == int(np.argmin(logs["val_loss"])) + 1


def test_early_stopping_never_stops_a_falling_loss():
    history = pd.DataFrame({"val_loss": np.linspace(2, 1, 10)})
    assert gen.early_stopping(history, patience=2) == {
        "stop_epoch": None,
        "best_epoch": 10,
    }


# --- residual networks ---


def test_residual_network_adds_a_projection_only_where_shapes_differ():
    plain = gen.build_deep(5, 16, residual=False, activation="tanh", seed=0)
    residual = gen.build_deep(5, 16, residual=True, activation="tanh", seed=0)
    assert residual.count_params() == plain.count_params() + 64 * 16
    adds = [layer for layer in residual.layers if layer.name.startswith("add_")]
    projections = [
        layer for layer in residual.layers if layer.name.startswith("projection_")
    ]
    assert len(adds) == 5 and len(projections) == 1


def test_residual_block_computes_f_of_x_plus_x():
    model = gen.build_deep(3, 64, residual=True, activation="tanh", seed=0)
    x = np.random.default_rng(0).normal(size=(4, 64)).astype(np.float32)
    block = model.get_layer("block_2")
    inner = keras.Model(model.input, model.get_layer("add_1").output)
    h = np.asarray(inner(x))
    f = np.tanh(h @ block.kernel.numpy() + block.bias.numpy())
    out = keras.Model(model.input, model.get_layer("add_2").output)(x)
    np.testing.assert_allclose(np.asarray(out), f + h, atol=1e-5)


def test_block_gradients_equal_the_tape_gradient_norms():
    model = gen.build_deep(4, 8, residual=True, activation="sigmoid", seed=0)
    x, y, _, _ = gen.overfit_data(32, 0.0, seed=0)
    table = gen.block_gradients(model, x, y)
    assert table["layer"].tolist() == [1, 2, 3, 4]
    with tf.GradientTape() as tape:
        loss = keras.losses.SparseCategoricalCrossentropy()(y, model(x))
    grad = tape.gradient(loss, model.get_layer("block_1").kernel)
    assert table["grad_norm"][0] == pytest.approx(float(np.linalg.norm(grad)), rel=1e-4)


@pytest.mark.slow
def test_at_the_preset_depth_the_residual_network_learns_and_the_plain_one_stalls():
    config = gen.ResidualConfig()
    result = gen.train_residual(config)
    plain = result.metrics["plain/val_accuracy"]
    residual = result.metrics["residual/val_accuracy"]
    assert plain < 0.2 and residual > 0.8, (plain, residual)
    flow = result.artifacts["flow"]
    ratio = {
        run: flow[run]["grad_norm"][0] / flow[run]["grad_norm"][-1] for run in flow
    }
    assert ratio["residual"] > 100 * ratio["plain"], ratio


# --- training tasks ---


def test_regularize_task_reports_keras_early_stopping_and_weights():
    config = gen.RegularizeConfig(
        regularizer="l1", strength=1e-3, width=32, epochs=25, patience=3
    )
    events = []
    result = gen.train_regularize(config, on_progress=events.append)
    assert result.status == "finished" and events
    replay = gen.early_stopping(result.history, patience=3)
    assert result.metrics["stop_epoch"] == (replay["stop_epoch"] or 0)
    kept = replay["best_epoch"] if replay["stop_epoch"] else len(result.history)
    assert result.metrics["restored_val_loss"] == pytest.approx(
        result.history["val_loss"].loc[kept]
    )
    assert result.artifacts["kernel"].shape == (64 * 32,)
    assert result.metrics["gap"] == pytest.approx(
        result.metrics["accuracy"] - result.metrics["val_accuracy"]
    )


def test_dropout_run_has_monte_carlo_predictions():
    config = gen.RegularizeConfig(regularizer="dropout", width=32, epochs=3)
    result = gen.train_regularize(config)
    mc = result.artifacts["mc"]
    assert mc["agreement"].shape == (449,) and 0 <= mc["mc_accuracy"] <= 1


def test_sweep_runs_every_size_and_records_keras_parameter_counts():
    config = gen.SweepConfig(sweep="size", width=8, epochs=1)
    assert [w for _, w, _ in gen.SweepConfig().runs()] == list(gen.WIDTHS)
    result = gen.train_sweep(config)
    table = pd.DataFrame(result.artifacts["table"])
    sizes = [round(s * gen.MAX_TRAIN) for s in gen.SIZES]
    assert table["num_train"].tolist() == sizes
    assert (table["params"] == gen.mlp_params(8)).all()
    assert set(result.history["run"]) == {f"n{n}" for n in sizes}


@pytest.mark.parametrize(
    "bad",
    [
        {"regularizer": "l3"},
        {"strength": float("inf")},
        {"patience": -1},
        {"num_train": 5},
        {"epochs": True},
    ],
)
def test_regularize_config_rejects_bad_values(bad):
    with pytest.raises(ValueError):
        gen.RegularizeConfig(**bad)


def test_estimates_grow_with_the_work():
    small = gen.estimate_regularize(gen.RegularizeConfig(epochs=30))
    large = gen.estimate_regularize(gen.RegularizeConfig(epochs=100, width=512))
    assert 0 < small < large
    assert gen.estimate_sweep(gen.SweepConfig()) > gen.estimate_sweep(
        gen.SweepConfig(epochs=20)
    )
    assert gen.estimate_residual(gen.ResidualConfig(depth=40)) > gen.estimate_residual(
        gen.ResidualConfig(depth=10)
    )


def test_exports_are_standalone_scripts():
    for code in (
        gen.code_sweep(gen.SweepConfig()),
        gen.code_regularize(gen.RegularizeConfig(regularizer="dropout")),
        gen.code_regularize(gen.RegularizeConfig(regularizer="l1")),
        gen.code_residual(gen.ResidualConfig()),
    ):
        compile(code, "export.py", "exec")
        assert "dlcore" not in code and "model.fit(" in code


# --- the workflow ---


@pytest.mark.parametrize(("n", "k"), [(10, 3), (150, 5), (37, 10)])
def test_kfold_uses_every_sample_once_for_validation(n, k):
    folds = gen.kfold_indices(n, k, seed=2)
    assert len(folds) == k
    validation = np.concatenate([val for _, val in folds])
    assert sorted(validation.tolist()) == list(range(n))
    for train, val in folds:
        assert not set(train) & set(val)
        assert len(train) + len(val) == n


def test_iterated_kfold_estimates_vary_less_than_hold_out():
    frame = gen.evaluation_protocols(150, k=5, repeats=20)
    spread = frame.groupby("protocol")["score"].std()
    assert spread["iterated"] < spread["kfold"] < spread["holdout"]


@pytest.mark.parametrize("threshold", [0.1, 0.3, 0.5, 0.8])
def test_binary_metrics_equal_keras_metrics(threshold):
    y, scores = gen.imbalanced_scores(1000, 0.05, seed=1)
    m = gen.binary_metrics(y, scores, threshold)
    precision = keras.metrics.Precision(thresholds=threshold)
    recall = keras.metrics.Recall(thresholds=threshold)
    accuracy = keras.metrics.BinaryAccuracy(threshold=threshold)
    f1 = keras.metrics.F1Score(threshold=threshold)
    for metric in (precision, recall, accuracy):
        metric.update_state(y, scores)
    f1.update_state(y[:, None].astype(np.float32), scores[:, None])
    assert m["precision"] == pytest.approx(float(precision.result()), abs=1e-6)
    assert m["recall"] == pytest.approx(float(recall.result()), abs=1e-6)
    assert m["f1"] == pytest.approx(float(f1.result()[0]), abs=1e-5)
    # BinaryAccuracy counts score >= threshold as 1; no score equals one here
    assert m["accuracy"] == pytest.approx(float(accuracy.result()), abs=1e-6)


def test_auc_equals_scikit_learn_and_keras():
    from sklearn.metrics import roc_auc_score

    y, scores = gen.imbalanced_scores(1000, 0.05, seed=1)
    exact = gen.auc(y, scores)
    assert exact == pytest.approx(roc_auc_score(y, scores), abs=1e-9)
    metric = keras.metrics.AUC(num_thresholds=20_001)
    metric.update_state(y, scores)
    assert exact == pytest.approx(float(metric.result()), abs=2e-3)


def test_accuracy_misleads_on_rare_positives():
    y, scores = gen.imbalanced_scores(1000, 0.05, seed=0)
    never = gen.binary_metrics(y, scores, 1.0)
    assert never["accuracy"] > 0.9 and never["recall"] == 0.0


def test_standardizing_with_training_statistics_equals_keras_normalization():
    rng = np.random.default_rng(0)
    x_train = rng.normal(2, 3, (50, 4)).astype(np.float32)
    x_val = rng.normal(5, 3, (20, 4)).astype(np.float32)
    norm = keras.layers.Normalization()
    norm.adapt(x_train)
    honest = gen.standardize(x_train, x_val, fit_on="train")
    np.testing.assert_allclose(honest["val"], np.asarray(norm(x_val)), atol=1e-4)
    leaky = gen.standardize(x_train, x_val, fit_on="all")
    assert not np.allclose(leaky["val"], honest["val"])


def test_missing_values_become_the_training_mean():
    x_train = np.array([[1.0], [3.0], [np.nan]])
    x_val = np.array([[np.nan], [2.0]])
    out = gen.standardize(x_train, x_val)
    assert out["mean"][0] == 2.0 and out["val"][0, 0] == 0.0


def test_leakage_hides_the_drift():
    demo = gen.leakage_demo(shift=3.0)
    assert demo["honest_val_mean"] > 2.0
    assert abs(demo["leaky_val_mean"]) < demo["honest_val_mean"] / 2
