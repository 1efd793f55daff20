"""The MLP playground's core against oracles: Keras, closed forms, scikit-learn."""

import subprocess
import sys

import numpy as np
import pytest

from dlcore import playground
from dlcore.figures import playground as figures
from dlcore.playground import data as pdata

PC = playground.PlaygroundConfig


def test_default_config_learns_the_circle():
    result = playground.train_playground(PC(epochs=30))
    assert result.status == "finished"
    assert result.metrics["val_accuracy"] >= 0.95
    surface = result.artifacts["surface"]
    assert surface.shape == (playground.GRID_SIZE, playground.GRID_SIZE)
    assert surface.min() >= 0.0 and surface.max() <= 1.0


def test_no_hidden_layer_cannot_learn_xor_but_the_x1x2_feature_can():
    linear = PC(dataset="xor", hidden_layers=(), epochs=30)
    product = PC(dataset="xor", hidden_layers=(), epochs=30, features=("x1x2",))
    linear_acc = playground.train_playground(linear).metrics["val_accuracy"]
    product_acc = playground.train_playground(product).metrics["val_accuracy"]
    assert linear_acc < 0.75 < 0.9 < product_acc


def test_feature_columns_equal_their_formulas_and_are_the_model_input():
    x = np.random.default_rng(0).uniform(-6, 6, (50, 2)).astype(np.float32)
    x1, x2 = x[:, 0].astype(np.float64), x[:, 1].astype(np.float64)
    oracle = {
        "x1": x1,
        "x2": x2,
        "x1sq": x1 * x1,
        "x2sq": x2 * x2,
        "x1x2": x1 * x2,
        "sin_x1": np.array([np.sin(v) for v in x1]),
        "sin_x2": np.array([np.sin(v) for v in x2]),
    }
    names = tuple(oracle)
    columns = pdata.features(x, names)
    assert columns.shape == (50, 7)
    for i, name in enumerate(names):
        np.testing.assert_allclose(columns[:, i], oracle[name], rtol=1e-5, atol=1e-5)
    chosen = ("x2sq", "sin_x1", "x1")
    model = playground.build_model(PC(features=chosen, hidden_layers=(3,)))
    assert model.input_shape == (None, 3)
    np.testing.assert_array_equal(
        pdata.features(x, chosen), columns[:, [names.index(n) for n in chosen]]
    )
    script = playground.code_playground(PC(features=chosen))
    assert "np.stack([x2 ** 2, np.sin(x1), x1], axis=1)" in script


@pytest.mark.parametrize(
    ("config", "units", "loss"),
    [
        (PC(), 1, "binary_crossentropy"),
        (PC(output="softmax_cce"), 2, "sparse_categorical_crossentropy"),
        (PC(output="tanh_mse"), 1, "mean_squared_error"),
        (
            PC(dataset="multiclass", num_classes=5, output="softmax_cce"),
            5,
            "sparse_categorical_crossentropy",
        ),
        (PC(dataset="plane", output="linear_mse"), 1, "mean_squared_error"),
    ],
)
def test_output_layer_and_loss_pairings(config, units, loss):
    model = playground.build_model(config)
    assert model.layers[-1].units == units
    assert model.loss == loss
    activation = config.output.split("_")[0]
    assert model.layers[-1].activation.__name__ == activation


def test_mismatched_output_and_problem_are_rejected():
    with pytest.raises(ValueError, match="does not fit a regression"):
        PC(dataset="plane", output="sigmoid_bce")
    with pytest.raises(ValueError, match="does not fit a multiclass"):
        PC(dataset="multiclass", output="tanh_mse")
    with pytest.raises(ValueError, match="hidden_layers"):
        PC(hidden_layers=(17,))
    with pytest.raises(ValueError, match="dataset must be one of"):
        PC(dataset="cifar")


def test_per_layer_widths_build_that_network():
    model = playground.build_model(PC(hidden_layers=(3, 16, 1, 5, 2, 7)))
    assert [layer.units for layer in model.layers] == [3, 16, 1, 5, 2, 7, 1]


@pytest.mark.parametrize(
    "config",
    [
        PC(hidden_layers=(5, 3), activation="relu", features=("x1", "x2", "x1x2")),
        PC(hidden_layers=(4,), activation="gelu", output="tanh_mse"),
        PC(
            dataset="multiclass",
            num_classes=4,
            output="softmax_cce",
            activation="sigmoid",
            hidden_layers=(6, 2),
        ),
        PC(dataset="plane", output="linear_mse", activation="silu", dropout=0.3),
    ],
)
def test_neuron_outputs_equal_keras_intermediate_outputs(config):
    """The diagram's heatmaps (NumPy from the stored weights) are what the
    Keras model computes, layer by layer, on the grid."""
    import keras

    model = playground.build_model(config)
    rng = np.random.default_rng(1)
    model.set_weights([rng.normal(0, 0.8, w.shape) for w in model.get_weights()])
    axis = np.linspace(-6, 6, 9, dtype=np.float32)
    points = playground.mesh(axis)
    ours = playground.layer_outputs(config, playground.dense_weights(model), points)
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    probe = keras.Model(model.inputs, [layer.output for layer in dense])
    theirs = probe(pdata.features(points, config.features), training=False)
    np.testing.assert_allclose(ours[0], pdata.features(points, config.features))
    for mine, keras_out in zip(ours[1:], theirs, strict=True):
        np.testing.assert_allclose(mine, np.asarray(keras_out), rtol=2e-4, atol=2e-5)


def test_run_artifacts_are_the_keras_models_weights_and_intermediate_outputs(
    tmp_path,
):
    """After training: the last snapshot's weights are the trained model's
    (the .keras file built from them reproduces the reported test loss) and
    the stored neuron heatmaps equal Keras's intermediate outputs."""
    import keras

    config = PC(hidden_layers=(3, 2), epochs=4, features=("x1", "x2", "x1sq"))
    result = playground.train_playground(config)
    art = result.artifacts
    weights = art["snap_weights"][-1]
    assert [w.shape for w in weights] == [(3, 3), (3,), (3, 2), (2,), (2, 1), (1,)]
    model = keras.saving.load_model(_saved(config, art, tmp_path))
    assert all(
        np.array_equal(a, b) for a, b in zip(model.get_weights(), weights, strict=True)
    )
    points = playground.load_points(config)
    x_val = pdata.features(points.x_val, config.features)
    loss = model.evaluate(x_val, points.y_val, verbose=0, return_dict=True)["loss"]
    assert loss == pytest.approx(result.metrics["val_loss"], rel=1e-4)
    axis = art["neuron_x"]
    outs = keras.Model(model.inputs, [layer.output for layer in model.layers])(
        pdata.features(playground.mesh(axis), config.features)
    )
    n = len(axis)
    for layer, keras_out in enumerate(outs, start=1):
        stored = art["snap_neurons"][layer][-1]  # (units, n, n)
        expected = np.asarray(keras_out).T.reshape(-1, n, n)
        np.testing.assert_allclose(stored, expected, rtol=1e-4, atol=1e-5)
    # the diagram's link hover values are these weights
    fig = figures.network_figure(
        config, [layer[-1] for layer in art["snap_neurons"]], weights
    )
    shown = next(tr for tr in fig.data if tr.name == "weights").customdata
    expected = [w for k in weights[0::2] for w in np.asarray(k).ravel()]
    np.testing.assert_allclose(np.asarray(shown), expected, rtol=1e-6)
    biases = next(tr for tr in fig.data if tr.name == "biases").customdata
    np.testing.assert_allclose(biases, np.concatenate(weights[1::2]), rtol=1e-6)


def _saved(config, art, folder) -> str:
    """The ``.keras`` download, written to a file."""
    path = str(folder / "model.keras")
    with open(path, "wb") as handle:
        handle.write(playground.keras_file(config, art["snap_weights"][-1]))
    return path


def test_replay_records_up_to_60_epochs_and_is_one_figure_with_frames():
    assert playground.recorded_epochs(5) == [0, 1, 2, 3, 4, 5]
    long = playground.recorded_epochs(400)
    assert long[0] == 0 and long[-1] == 400 and len(long) == 61
    config = PC(hidden_layers=(2,), epochs=5)
    result = playground.train_playground(config)
    art = result.artifacts
    assert list(art["snap_epochs"]) == [0, 1, 2, 3, 4, 5]
    assert art["snap_surface"].shape[0] == 6
    fig = figures.replay_figure(
        config, playground.load_points(config), art, result.history
    )
    assert [f.name for f in fig.frames] == ["0", "1", "2", "3", "4", "5"]
    assert list(fig.layout.sliders[0].steps[-1].args[0]) == ["5"]
    assert fig.layout.updatemenus[0].buttons[0].method == "animate"
    # frame 0 shows the initial weights, frame 5 the final ones
    first = fig.frames[0].data[0].z
    np.testing.assert_allclose(first, art["snap_surface"][0], rtol=1e-6)
    assert not np.allclose(fig.frames[-1].data[0].z, first)
    # the default's 61 frames stay small enough to send at once
    default = PC()
    run = playground.train_playground(default)
    replay = figures.replay_figure(
        default, playground.load_points(default), run.artifacts, run.history
    )
    assert len(replay.frames) == 61 and len(replay.to_json()) < 2_000_000


def test_target_loss_stops_training():
    config = PC(epochs=120, target_loss=0.1)
    result = playground.train_playground(config)
    losses = result.history["loss"].to_numpy()
    assert result.artifacts["stopped"] == "target"
    assert losses[-1] <= 0.1 < losses[:-1].min()
    assert len(result.artifacts["epoch_seconds"]) == len(losses) < 120
    assert result.artifacts["snap_epochs"][-1] == len(losses)


def test_confusion_matrix_and_regression_metrics_against_sklearn():
    from sklearn.metrics import confusion_matrix, mean_squared_error, r2_score

    config = PC(dataset="multiclass", num_classes=3, output="softmax_cce", epochs=3)
    result = playground.train_playground(config)
    points = playground.load_points(config)
    weights = result.artifacts["snap_weights"][-1]
    pairs = list(zip(weights[0::2], weights[1::2], strict=True))
    out = playground.layer_outputs(config, pairs, points.x_val)[-1]
    expected = confusion_matrix(points.y_val, out.argmax(axis=1), labels=[0, 1, 2])
    np.testing.assert_array_equal(result.artifacts["confusion"], expected)
    assert expected.sum() == len(points.y_val)
    y = np.array([0.5, -0.2, 0.9, 0.1])
    pred = np.array([0.4, 0.0, 1.0, -0.1])
    r2, rmse = playground.regression_metrics(y, pred)
    assert r2 == pytest.approx(r2_score(y, pred))
    assert rmse == pytest.approx(np.sqrt(mean_squared_error(y, pred)))


@pytest.mark.parametrize(
    ("penalty", "config"),
    [("l1", PC(l1=0.01, hidden_layers=(8, 4))), ("l2", PC(l2=0.01))],
)
def test_l1_and_l2_are_what_keras_adds_to_the_loss(penalty, config):
    """``L1(l1)`` adds l1·Σ|w|, ``L2(l2)`` adds l2·Σw² (no ½): model.losses."""
    model = playground.build_model(config)
    rng = np.random.default_rng(0)
    model.set_weights([rng.normal(0, 0.7, w.shape) for w in model.get_weights()])
    kernels = playground.penalized_kernels(model)
    keras_penalty = float(sum(float(v) for v in model.losses))
    if penalty == "l1":
        ours, total = playground.l1_penalty(kernels, config.l1)
        assert total == pytest.approx(sum(np.abs(k).sum() for k in kernels))
    else:
        ours, total = playground.l2_penalty(kernels, config.l2)
        assert total == pytest.approx(sum((k**2).sum() for k in kernels))
    assert ours == pytest.approx(keras_penalty, rel=1e-5)


@pytest.mark.parametrize("l2", [0.0001, 0.01])
def test_l2_penalty_shown_equals_keras_model_losses(l2):
    config = PC(hidden_layers=(8, 4, 3), l2=l2)
    model = playground.build_model(config)
    rng = np.random.default_rng(0)
    model.set_weights([rng.normal(0, 0.7, w.shape) for w in model.get_weights()])
    kernels = playground.penalized_kernels(model)
    assert [k.shape for k in kernels] == [(2, 8), (8, 4), (4, 3)]  # not the output
    penalty, squares = playground.l2_penalty(kernels, l2)
    assert penalty == pytest.approx(float(sum(float(v) for v in model.losses)))
    assert penalty == pytest.approx(l2 * squares)


def test_l2_gradient_is_2_lambda_w_and_is_not_adamw_weight_decay():
    """The formulas the page shows, against Keras: the penalty's gradient is 2λw;
    with SGD it shrinks w by 1 − 2ηλ per step; with Adam it does not; AdamW's
    decoupled decay is θ ← θ − ηλθ."""
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


def test_catalogue_names_the_regularizers_for_what_keras_computes():
    from dlcore.i18n import CATALOG

    english, chinese = CATALOG["pg.l2"]
    assert "penalty" in english and "decay" not in english
    assert "惩罚" in chinese and "衰减" not in chinese
    assert "l1·Σ|w|" in CATALOG["pg.l1_help"][0]
    assert "2λw" in CATALOG["pg.l2_vs_decay"][0]


# --- data sets and the CSV upload ----------------------------------------------------


def test_regression_and_multiclass_sets_follow_their_definitions():
    x, y = pdata.make_plane(200, 0.0, 1)
    np.testing.assert_allclose(y, (x[:, 0] + x[:, 1]) / 12, rtol=1e-5, atol=1e-6)
    x, y = pdata.make_multigauss(2000, 0.0, 1)
    assert np.abs(y).max() <= 1
    distance = np.linalg.norm(x - [0, 2.5], axis=1)  # a negative bump's centre
    near = distance < 0.5
    assert near.any()
    np.testing.assert_allclose(y[near], -(1 - distance[near] / 2), rtol=1e-5)
    x, y = pdata.make_blobs(300, 0.0, 2, num_classes=5)
    assert set(y.tolist()) == set(range(5))
    for c in range(5):
        angle = 2 * np.pi * c / 5
        centre = 3.5 * np.array([np.cos(angle), np.sin(angle)])
        assert np.linalg.norm(x[y == c].mean(axis=0) - centre) < 0.3


def test_train_fraction_sets_the_split():
    points = playground.load_points(PC(num_samples=200, train_fraction=0.3))
    assert (len(points.x_train), len(points.x_val)) == (60, 140)


def _csv(rows: list[str]) -> bytes:
    return ("x1,x2,label\n" + "\n".join(rows) + "\n").encode()


def test_upload_is_validated_with_reasons():
    good = [f"{i},{-i},{i % 2}" for i in range(12)]
    rows, kind, dropped = pdata.parse_csv(_csv([*good, "1,,0", "nan,2,1"]))
    assert (len(rows), kind, dropped) == (12, "binary", 2)
    three = [f"{i},{i},{i % 3}" for i in range(12)]
    assert pdata.parse_csv(_csv(three))[1] == "multiclass"
    target = [f"{i},{i},{i / 7:.3f}" for i in range(12)]
    assert pdata.parse_csv(_csv(target))[1] == "regression"
    cases = {
        "not_numeric": _csv([*good, "a,b,1"]),
        "columns": b"x1,x2\n1,2\n",
        "too_few": _csv(good[:5]),
        "labels": _csv([f"{i},{i},{1 + i % 2}" for i in range(12)]),
        "too_big": b"x" * (pdata.MAX_UPLOAD_BYTES + 1),
        "unreadable": b"\x00\xff\x00",
    }
    for code, raw in cases.items():
        with pytest.raises(pdata.UploadError) as caught:
            pdata.parse_csv(raw)
        assert caught.value.code in (code, "columns"), (code, caught.value.code)


def test_uploaded_points_train_and_export():
    rng = np.random.default_rng(0)
    x = rng.uniform(-3, 3, (40, 2))
    rows = tuple((float(a), float(b), float(a > b)) for a, b in x)
    config = PC(dataset="upload", points=rows, epochs=2, hidden_layers=(3,))
    assert config.kind == "binary"
    result = playground.train_playground(config)
    assert result.status == "finished"
    assert "POINTS = np.array(" in playground.code_playground(config)


# --- exports reproduce each option's metrics ------------------------------------------

EXPORTS = [
    PC(
        dataset="moons",
        hidden_layers=(6,),
        epochs=3,
        dropout=0.1,
        l2=0.001,
        optimizer="momentum",
    ),
    PC(
        dataset="xor",
        features=("x1", "x2", "x1x2", "sin_x2"),
        hidden_layers=(4, 3),
        output="tanh_mse",
        l1=0.001,
        initializer="he_normal",
        epochs=3,
        batch_size=8,
        num_samples=100,
    ),
    PC(
        dataset="multiclass",
        num_classes=4,
        output="softmax_cce",
        hidden_layers=(5,),
        epochs=3,
        train_fraction=0.5,
        num_samples=100,
    ),
    PC(
        dataset="multigauss",
        output="linear_mse",
        hidden_layers=(6,),
        epochs=3,
        num_samples=100,
        features=("x1", "x2", "x1sq", "x2sq"),
    ),
    PC(epochs=12, target_loss=0.55, hidden_layers=(4,), num_samples=100),
    PC(
        dataset="upload",
        points=tuple((float(i % 7), float(i % 5), float(i % 2)) for i in range(30)),
        output="softmax_cce",
        hidden_layers=(3,),
        epochs=3,
    ),
]

RUN_ALL = """
import io, contextlib, runpy, sys
for path in sys.argv[1:]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        runpy.run_path(path, run_name="__main__")
    print(out.getvalue().strip().splitlines()[-1])
"""


@pytest.mark.slow
def test_exported_scripts_reproduce_every_options_metrics(tmp_path):
    """One Python process runs every export (one Keras import): features,
    per-layer widths, each output + loss, L1, L2, dropout, initializer, the
    train split, the stop condition, an upload."""
    expected, paths, lengths = [], [], []
    for i, config in enumerate(EXPORTS):
        result = playground.train_playground(config)
        assert result.status == "finished"
        expected.append(result.metrics)
        lengths.append(len(result.history))
        path = tmp_path / f"export_{i}.py"
        path.write_text(playground.code_playground(config))
        assert "dlcore" not in path.read_text()
        paths.append(str(path))
    assert lengths[4] < EXPORTS[4].epochs  # the stop condition ended it early
    out = subprocess.run(
        [sys.executable, "-c", RUN_ALL, *paths],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.strip().splitlines()[-len(EXPORTS) :]
    for config, line, metrics in zip(EXPORTS, lines, expected, strict=True):
        final = eval(line.removeprefix("FINAL "))
        assert set(metrics) <= set(final), (config, final, metrics)
        for name, value in metrics.items():
            np.testing.assert_allclose(
                final[name], value, rtol=1e-4, atol=1e-5, err_msg=f"{config} {name}"
            )


def test_show_test_data_and_discretize_output_change_the_boundary_figure():
    config = PC(num_samples=60)
    points = playground.load_points(config)
    axis = np.linspace(-6, 6, 7, dtype=np.float32)
    surface = np.linspace(0, 1, 49, dtype=np.float32).reshape(7, 7)
    full = figures.boundary_figure(config, points, axis, axis, surface)
    bare = figures.boundary_figure(
        config, points, axis, axis, surface, show_test=False, discretize=True
    )
    assert len(full.data) == len(bare.data) + 2  # the test points of 2 classes
    assert set(np.unique(bare.data[0].z)) == {0.0, 1.0}
    np.testing.assert_array_equal(bare.data[0].z, surface > 0.5)
    shown = sum(len(tr.x) for tr in full.data[2:])
    assert shown == len(points.x_train) + len(points.x_val)
