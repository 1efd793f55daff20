"""dlcore.train.fit against its oracle, keras' own model.fit."""

import json
import threading

import keras
import numpy as np
import pytest

from dlcore import datasets, train


def _data():
    ds = datasets.load("xor", num_samples=256, noise=0.1, seed=0)
    return ds.x_train, ds.y_train, (ds.x_val, ds.y_val)


def _model(seed=0, *, dropout=0.0, l2=0.0, batch_norm=False, lr=0.01):
    init = keras.initializers.GlorotUniform(seed=seed)
    layers = [
        keras.Input((2,)),
        keras.layers.Dense(
            8,
            activation="tanh",
            kernel_initializer=init,
            kernel_regularizer=keras.regularizers.L2(l2) if l2 else None,
        ),
    ]
    if batch_norm:
        layers.append(keras.layers.BatchNormalization())
    if dropout:
        layers.append(keras.layers.Dropout(dropout, seed=seed))
    layers.append(keras.layers.Dense(1, activation="sigmoid", kernel_initializer=init))
    model = keras.Sequential(layers)
    model.compile(
        keras.optimizers.Adam(lr), "binary_crossentropy", metrics=["accuracy"]
    )
    return model


@pytest.mark.parametrize(
    "options",
    [{}, {"dropout": 0.3, "l2": 1e-3, "batch_norm": True}],
    ids=["plain", "dropout-l2-batchnorm"],
)
def test_history_and_weights_equal_model_fit(options):
    x, y, val = _data()
    reference = _model(**options)
    expected = reference.fit(
        x, y, epochs=4, batch_size=30, shuffle=False, validation_data=val, verbose=0
    ).history
    model = _model(**options)
    result = train.fit(
        model, x, y, epochs=4, batch_size=30, shuffle=False, validation_data=val
    )
    assert set(result.history.columns) == set(expected)
    for name, values in expected.items():
        np.testing.assert_allclose(result.history[name], values, rtol=1e-5, atol=1e-6)
    for ours, theirs in zip(model.get_weights(), reference.get_weights(), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_shuffled_epochs_equal_model_fit_on_the_same_permutations():
    x, y, _val = _data()
    reference = _model()
    expected = []
    for epoch in range(3):
        order = train.epoch_order(len(x), seed=7, epoch=epoch)
        h = reference.fit(x[order], y[order], batch_size=32, shuffle=False, verbose=0)
        expected.append(h.history["loss"][0])
    result = train.fit(_model(), x, y, epochs=3, batch_size=32, seed=7)
    np.testing.assert_allclose(result.history["loss"], expected, rtol=1e-5)


def test_same_seed_same_history_and_reuse_of_the_compiled_loop():
    x, y, val = _data()
    first = train.fit(
        _model(3), x, y, epochs=5, batch_size=16, seed=1, validation_data=val
    )
    again = train.fit(
        _model(3), x, y, epochs=5, batch_size=16, seed=1, validation_data=val
    )
    other = train.fit(
        _model(4, lr=0.05), x, y, epochs=5, batch_size=16, seed=1, validation_data=val
    )
    assert again.compiled is False and other.compiled is False  # same architecture
    np.testing.assert_array_equal(first.history.values, again.history.values)
    assert not np.allclose(first.history.values, other.history.values)


def test_reused_loop_gives_the_same_result_as_a_fresh_one():
    x, y, _val = _data()
    reused = train.fit(_model(5, lr=0.02), x, y, epochs=3, batch_size=16, seed=2)
    train.clear_compiled()
    fresh = train.fit(_model(5, lr=0.02), x, y, epochs=3, batch_size=16, seed=2)
    assert fresh.compiled
    np.testing.assert_allclose(reused.history.values, fresh.history.values, rtol=1e-6)


def test_snapshots_are_the_weights_model_fit_has_after_those_epochs():
    x, y, _val = _data()
    reference = _model(6)
    expected = {}
    for epoch in range(1, 7):
        order = train.epoch_order(len(x), seed=3, epoch=epoch - 1)
        reference.fit(x[order], y[order], batch_size=32, shuffle=False, verbose=0)
        expected[epoch] = reference.get_weights()
    seen: dict[int, list] = {}
    model = _model(6)
    train.fit(
        model,
        x,
        y,
        epochs=6,
        batch_size=32,
        seed=3,
        snapshot_epochs=[2, 3, 6],
        on_snapshot=lambda epoch, weights: seen.setdefault(epoch, weights),
    )
    assert sorted(seen) == [2, 3, 6]
    for epoch, weights in seen.items():
        for ours, theirs in zip(weights, expected[epoch], strict=True):
            np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_progress_events_one_per_epoch_with_keras_names():
    x, y, val = _data()
    events = []
    train.fit(
        _model(),
        x,
        y,
        epochs=6,
        batch_size=64,
        validation_data=val,
        on_progress=events.append,
    )
    assert [e["epoch"] for e in events] == [1, 2, 3, 4, 5, 6]
    assert {"loss", "accuracy", "val_loss", "val_accuracy", "epochs"} <= set(events[0])


def test_divergence_is_a_status_not_an_exception():
    x = np.linspace(-3, 3, 64, dtype="float32")[:, None]
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(5.0), "mse")
    result = train.fit(model, x, 4 * x, epochs=50, batch_size=64)
    assert result.status == "diverged"
    assert result.diverged_epoch == len(result.history) <= 50
    assert not np.isfinite(result.history["loss"].iloc[-1])


def test_should_stop_cancels_between_calls():
    x, y, _ = _data()
    calls = []

    def stop():
        calls.append(1)
        return len(calls) > 1

    # More epochs than one call may run (train.MAX_EPOCHS_PER_CALL_SMALL).
    result = train.fit(_model(), x, y, epochs=2000, batch_size=32, should_stop=stop)
    assert result.status == "cancelled"
    assert 1 <= len(result.history) < 2000


def test_concurrent_fits_of_one_architecture_are_isolated():
    x, y, _val = _data()
    expected = {
        s: train.fit(_model(s), x, y, epochs=3, batch_size=32, seed=s).history
        for s in (0, 1)
    }
    results = {}

    def work(seed):
        results[seed] = train.fit(
            _model(seed), x, y, epochs=3, batch_size=32, seed=seed
        ).history

    threads = [threading.Thread(target=work, args=(s,)) for s in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for seed in (0, 1):
        np.testing.assert_array_equal(results[seed].values, expected[seed].values)


def test_bad_input_is_a_clear_error():
    x, y, _ = _data()
    with pytest.raises(ValueError, match="compiled"):
        train.fit(
            keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]),
            x,
            y,
            epochs=1,
            batch_size=8,
        )
    with pytest.raises(ValueError, match="same"):
        train.fit(_model(), x, y[:10], epochs=1, batch_size=8)


def test_masked_text_models_share_one_compiled_loop():
    """``Embedding(mask_zero=True)`` adds an auto-numbered ``not_equal`` op to
    the config; two equal models must still get the same architecture key
    (found by the RNN page's bench: every sentiment re-run was retraced)."""

    def build():
        inputs = keras.Input((6,), dtype="int32")
        h = keras.layers.Embedding(20, 4, mask_zero=True)(inputs)
        h = keras.layers.LSTM(3)(h)
        model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(h))
        model.compile(optimizer="adam", loss="binary_crossentropy")
        return model

    x = np.zeros((8, 6), np.int32)
    y = np.zeros((8, 1), np.float32)
    first, second = build(), build()
    assert "not_equal" in json.dumps(first.get_config())
    key = train.architecture_key(first, x, y, 4, None, False)
    assert key is not None
    assert key == train.architecture_key(second, x, y, 4, None, False)


@pytest.mark.slow
def test_the_loop_is_chosen_by_model_kind():
    """``jit_compile=None`` (the default): for MLPs, LSTMs and Transformer
    blocks, the first fit of an architecture runs the graph loop (bitwise
    model.fit, quick to trace) and compiles the XLA loop in the background;
    later fits use XLA (bench/trainer.py: re-runs at the whole-run XLA
    limit). Dropout with a rate, batch norm and convolutions keep the graph
    loop."""
    assert train.prefers_xla(_model())
    assert not train.prefers_xla(_model(dropout=0.3))
    assert not train.prefers_xla(_model(batch_norm=True))
    rnn = keras.Sequential(
        [keras.Input((3, 2)), keras.layers.LSTM(2), keras.layers.Dense(1)]
    )
    assert train.prefers_xla(rnn)
    cnn = keras.Sequential(
        [keras.Input((4, 4, 1)), keras.layers.Conv2D(2, 3), keras.layers.Flatten()]
    )
    assert not train.prefers_xla(cnn)
    x, y, val = _data()
    train.clear_compiled()
    fit = {"epochs": 3, "batch_size": 32, "validation_data": val, "shuffle": False}
    expected = _model(1).fit(x, y, verbose=0, **fit).history
    first = train.fit(_model(1), x, y, **fit)
    assert first.compiled
    for name, values in expected.items():  # the graph loop: bitwise model.fit
        np.testing.assert_array_equal(np.float32(first.history[name]), values)
    assert train.wait_for_xla(timeout=120)
    assert sorted(json.loads(key)["jit"] for key in train._RUNNERS) == [False, True]
    again = train.fit(_model(1), x, y, **fit)
    assert not again.compiled
    for name, values in expected.items():
        np.testing.assert_allclose(again.history[name], values, rtol=1e-5, atol=1e-6)
    train.clear_compiled()
    train.fit(_model(), x, y, epochs=1, batch_size=32, jit_compile=False)
    train.fit(_model(dropout=0.3), x, y, epochs=1, batch_size=32)
    assert train.wait_for_xla(timeout=120)
    assert [json.loads(key)["jit"] for key in train._RUNNERS] == [False, False]


@pytest.mark.slow
def test_xla_snapshots_come_from_inside_the_call():
    """A small XLA loop returns each epoch's weights from the compiled call, so
    snapshots (the playground's replay) cost no extra call; they equal the
    weights of model.fit stopped at those epochs."""
    x, y, _val = _data()
    train.clear_compiled()
    fit = {"batch_size": 32, "shuffle": False}
    train.fit(_model(5), x, y, epochs=1, jit_compile=True, **fit)
    calls, seen = [], {}
    result = train.fit(
        _model(6),
        x,
        y,
        epochs=12,
        jit_compile=True,
        snapshot_epochs=[2, 5, 12],
        on_snapshot=lambda epoch, weights: seen.setdefault(epoch, weights),
        should_stop=lambda: calls.append(1) and False,
        **fit,
    )
    assert not result.compiled and sorted(seen) == [2, 5, 12]
    assert len(calls) <= 3  # not one call per snapshot (first call: 1 epoch)
    for epoch in (2, 5):
        model = _model(6)
        model.fit(x, y, epochs=epoch, verbose=0, **fit)
        for got, want in zip(seen[epoch], model.get_weights(), strict=True):
            np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)
    for got, want in zip(seen[12], result.weights, strict=True):
        np.testing.assert_array_equal(got, want)


@pytest.mark.slow
@pytest.mark.parametrize("jit", [False, True], ids=["graph", "xla"])
def test_a_new_data_size_reuses_the_loop_and_equals_model_fit(jit):
    """A new data size reuses the compiled loop and equals model.fit. XLA:
    data are padded to the same capacity and the partial last batches
    (training and validation) are masked so that losses and metrics are
    model.fit's on the short batches (found by bench/trainer.py: every new
    size compiled the XLA loop again). The graph loop slices batches of a
    run-time size, as model.fit's own train function sees them: one trace
    for every size, and bitwise Keras' (padding the graph loop changed the
    last bits, and the losses page's ill-conditioned pairing lesson then
    disagreed with its exported model.fit script)."""
    x, y, val = _data()
    train.clear_compiled()
    fit = {"batch_size": 30, "shuffle": False, "jit_compile": jit}
    first = train.fit(_model(2, l2=1e-3), x, y, epochs=2, validation_data=val, **fit)
    assert first.compiled
    for n, n_val in [(150, 45), (len(x) - 1, len(val[0]))]:
        sub_val = (val[0][:n_val], val[1][:n_val])
        result = train.fit(
            _model(3, l2=1e-3), x[:n], y[:n], epochs=7, validation_data=sub_val, **fit
        )
        assert not result.compiled
        expected = (
            _model(3, l2=1e-3)
            .fit(
                x[:n],
                y[:n],
                epochs=7,
                validation_data=sub_val,
                verbose=0,
                **{k: v for k, v in fit.items() if k != "jit_compile"},
            )
            .history
        )
        for name, values in expected.items():
            if jit:
                np.testing.assert_allclose(
                    result.history[name], values, rtol=1e-5, atol=1e-6
                )
            else:
                np.testing.assert_array_equal(np.float32(result.history[name]), values)
    # Batch norm's statistics would see XLA's padding: a new size compiles
    # again there; the graph loop's run-time batches need no padding.
    train.fit(_model(batch_norm=True), x, y, epochs=1, **fit)
    other = train.fit(_model(batch_norm=True), x[:150], y[:150], epochs=1, **fit)
    assert other.compiled == jit


def test_a_second_fit_continues_the_optimizer_like_model_fit():
    """The optimizer state of a fit is kept with the model (Adam's moments and
    step count): two fits of 2 epochs are model.fit's 4 epochs."""
    x, y, _val = _data()
    expected = _model(4).fit(x, y, epochs=4, batch_size=32, shuffle=False, verbose=0)
    model = _model(4)
    fit = {"epochs": 2, "batch_size": 32, "shuffle": False}
    first = train.fit(model, x, y, **fit)
    second = train.fit(model, x, y, **fit)
    losses = [*first.history["loss"], *second.history["loss"]]
    np.testing.assert_allclose(losses, expected.history["loss"], rtol=1e-5)


@pytest.mark.slow
def test_xla_loop_equals_model_fit_and_does_not_recompile_per_chunk():
    """Calls of the XLA loop run different numbers of epochs; a ``for`` over
    ``tf.range(num_epochs)`` made that number a compile-time constant, so each
    new count compiled the loop again (seconds each, found by bench/trainer.py).
    """
    x, y, val = _data()
    train.clear_compiled()
    fit = {"batch_size": 32, "validation_data": val, "jit_compile": True}
    first = train.fit(_model(8), x, y, epochs=1, **fit)  # one call: one compile
    # 13 epochs: calls of other lengths (2, then up to 11) than the first (1).
    again = train.fit(_model(9), x, y, epochs=13, shuffle=False, **fit)
    assert not again.compiled
    assert again.wall_time < 0.5 * first.wall_time
    expected = (
        _model(9)
        .fit(
            x,
            y,
            epochs=13,
            batch_size=32,
            shuffle=False,
            validation_data=val,
            verbose=0,
        )
        .history
    )
    for name, values in expected.items():
        np.testing.assert_allclose(again.history[name], values, rtol=1e-5, atol=1e-6)


@pytest.mark.slow
def test_a_model_xla_cannot_compile_falls_back_to_the_graph_loop():
    """A Dense-only model whose loss calls Python (``numpy_function``): XLA
    refuses it; the default fit trains it anyway, like model.fit."""

    def loss(y_true, y_pred):
        offset = train.tf.numpy_function(lambda: np.float32(0.0), [], np.float32)
        offset = train.tf.reshape(offset, [])
        return keras.losses.mean_squared_error(y_true, y_pred) + offset

    def build():
        model = keras.Sequential(
            [
                keras.Input((2,)),
                keras.layers.Dense(
                    1, kernel_initializer=keras.initializers.GlorotUniform(seed=1)
                ),
            ]
        )
        model.compile(keras.optimizers.SGD(0.1), loss)
        return model

    x, y, _ = _data()
    expected = build().fit(x, y, epochs=3, batch_size=32, shuffle=False, verbose=0)
    with pytest.raises(Exception, match=r"(?i)xla|compil|unsupported|PyFunc"):
        train.fit(build(), x, y, epochs=3, batch_size=32, jit_compile=True)
    result = train.fit(
        build(), x, y, epochs=3, batch_size=32, shuffle=False, jit_compile=None
    )
    assert result.status == "finished"
    np.testing.assert_allclose(
        result.history["loss"], expected.history["loss"], rtol=1e-5
    )
