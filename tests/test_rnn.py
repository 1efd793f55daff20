"""dlcore.rnn against oracles: Keras layers, count_params, closed forms, finite
differences, and the lesson itself (LSTM/GRU beat the adding-problem baseline,
SimpleRNN does not)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from dlcore import rnn
from dlcore.rnn import text

keras = rnn.keras


def _x(n=3, steps=7, features=2, seed=0):
    return (
        np.random.default_rng(seed)
        .normal(0, 1, (n, steps, features))
        .astype(np.float32)
    )


@pytest.mark.parametrize(
    ("cell", "kwargs"),
    [
        ("simple_rnn", {}),
        ("simple_rnn", {"activation": "relu", "use_bias": False}),
        ("lstm", {}),
        ("lstm", {"recurrent_activation": "hard_sigmoid"}),
        ("gru", {}),
        ("gru", {"reset_after": False}),
        ("gru", {"use_bias": False}),
        ("lstm", {"go_backwards": True}),
    ],
)
def test_unroll_equals_the_keras_layer(cell, kwargs):
    x = _x()
    cls = getattr(keras.layers, rnn.core.CELL_CLASSES[cell])
    layer = cls(4, return_sequences=True, return_state=True, **kwargs)
    layer(x)
    if layer.cell.use_bias:  # zero at initialisation: make them matter
        bias = np.random.default_rng(1).normal(size=layer.cell.bias.shape)
        layer.cell.bias.assign(bias)
    outputs = layer(x)
    sequence, final = np.asarray(outputs[0]), np.asarray(outputs[1])
    states = rnn.unroll(layer, x)
    np.testing.assert_allclose(states["h"], sequence, atol=2e-6)
    np.testing.assert_allclose(states["h"][:, -1], final, atol=2e-6)
    if cell == "lstm":
        np.testing.assert_allclose(
            states["c"][:, -1], np.asarray(outputs[2]), atol=2e-6
        )
        # the forget gate scales the previous cell state
        c = states["c"]
        np.testing.assert_allclose(
            c[:, 1:],
            states["f"][:, 1:] * c[:, :-1] + states["i"][:, 1:] * states["g"][:, 1:],
            atol=1e-6,
        )
    assert all(v.shape == (3, 7, 4) for v in states.values())


def test_unroll_rejects_other_layers():
    with pytest.raises(TypeError, match="SimpleRNN, LSTM or GRU"):
        rnn.unroll(keras.layers.Dense(2), _x())


@pytest.mark.parametrize("cell", rnn.CELLS)
@pytest.mark.parametrize(("units", "features"), [(1, 1), (3, 2), (32, 7)])
def test_param_count_equals_count_params(cell, units, features):
    layer = rnn.recurrent_layer(cell, units, seed=0)
    layer(_x(features=features))
    assert rnn.param_count(cell, units, features) == layer.count_params()
    assert rnn.param_formula(cell, units, features).endswith(
        f"= {layer.count_params()}"
    )
    both = keras.layers.Bidirectional(rnn.recurrent_layer(cell, units, seed=0))
    both(_x(features=features))
    assert both.count_params() == 2 * rnn.param_count(cell, units, features)


def test_lstm_formula_from_the_issue():
    assert rnn.param_count("lstm", 32, 2) == 4 * (32 * (32 + 2) + 32)


def test_adding_problem_shapes_targets_and_baseline():
    x, y = rnn.adding_problem(20000, 30, seed=3)
    assert x.shape == (20000, 30, 2) and x.dtype == np.float32 and y.shape == (20000,)
    markers = x[..., 1]
    assert (markers.sum(axis=1) == 2).all()
    assert (markers[:, :15].sum(axis=1) == 1).all()  # one in each half
    np.testing.assert_allclose(y, (x[..., 0] * markers).sum(axis=1), atol=1e-6)
    baseline = np.mean((1.0 - y) ** 2)  # Var(U + U') = 2/12
    assert abs(baseline - 1 / 6) < 0.005
    first, again = rnn.adding_problem(50, 30, seed=3), rnn.adding_problem(50, 30, 3)
    np.testing.assert_array_equal(first[0], again[0])


def test_gradient_through_time_equals_finite_differences():
    model = rnn.build_sequence_model("simple_rnn", timesteps=5, features=2, units=3)
    x, y = rnn.adding_problem(4, 5, seed=0)
    x = x.astype(np.float64).astype(np.float32)
    grads = rnn.gradient_through_time(model, x, y)
    assert grads.shape == (5,)

    def loss(inputs):
        p = np.asarray(model(inputs.astype(np.float32))).ravel()
        return float(np.mean((p - y) ** 2))

    eps = 1e-2
    numeric = np.zeros_like(x, dtype=np.float64)
    for index in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[index] += eps
        down[index] -= eps
        numeric[index] = (loss(up) - loss(down)) / (2 * eps)
    expected = np.sqrt((numeric**2).sum(axis=(0, 2)))
    np.testing.assert_allclose(grads, expected, rtol=2e-2, atol=1e-5)


def test_tokens_match_text_vectorization():
    for language, sentence in (("en", "The story, was NOT good!"), ("zh", "不好看 啊")):
        layer = text.vectorizer(language, [sentence, "other words here"], 50, 12)
        vocabulary = [str(w) for w in layer.get_vocabulary()]
        shown = text.tokenize(language, sentence, vocabulary, 12)
        np.testing.assert_array_equal(shown["ids"], text.encode(layer, [sentence])[0])
    with pytest.raises(ValueError, match="empty"):
        text.tokenize("en", "   ", vocabulary, 12)
    with pytest.raises(ValueError, match="too_long"):
        text.tokenize("en", "x" * 501, vocabulary, 12)
    with pytest.raises(ValueError, match="no_tokens"):
        text.tokenize("en", "?!", vocabulary, 12)
    long = text.tokenize("zh", "好" * 30, vocabulary, 12)
    assert long["truncated"] == 18 and len(long["ids"]) == 12


def test_multi_hot_equals_keras():
    ids = np.array([[2, 3, 2, 0], [4, 1, 0, 0]])
    layer = keras.layers.CategoryEncoding(num_tokens=6, output_mode="multi_hot")
    expected = np.asarray(layer(ids)).copy()
    expected[:, 0] = 0
    np.testing.assert_array_equal(text.multi_hot(ids, 6), expected)


def test_token_predictions_end_at_the_model_prediction():
    config = rnn.SentimentConfig(sequence_length=10, embedding_dim=4, units=5)
    model = text.build_sentiment_model("lstm", config, 30)
    ids = np.array([5, 7, 2, 9, 0, 0, 0, 0, 0, 0], np.int32)
    steps = text.token_predictions(model, ids, 4)
    assert steps.shape == (4,)
    np.testing.assert_allclose(steps[-1], text.predict_ids(model, "lstm", ids, 30))


def test_generated_reviews_are_balanced_and_seeded():
    data = text.sentiment_data("zh", 2000, seed=1)
    assert abs(data.train_labels.mean() - 0.5) < 0.05
    assert set(data.test_kinds) == set(text.KINDS)
    assert data.train_text[:5] == text.sentiment_data("zh", 2000, 1).train_text[:5]
    assert any("不" in s for s in data.train_text)


def test_configs_validate_and_controls_round_trip():
    with pytest.raises(ValueError, match="timesteps"):
        rnn.MemoryConfig(timesteps=1)
    with pytest.raises(ValueError, match="cells"):
        rnn.MemoryConfig(cells=("lstm", "lstm"))
    values = rnn.memory_control_values(rnn.MemoryConfig(timesteps=60))
    assert values["rnn_timesteps"] == 60 and values["rnn_cells"] == list(rnn.CELLS)
    for preset in rnn.PRESETS:
        assert preset.config is not None


def test_lstm_and_gru_remember_simple_rnn_does_not():
    """The preset's lesson (T = 30): LSTM and GRU far below the trivial MSE,
    SimpleRNN not."""
    config = rnn.MemoryConfig()
    result = rnn.train_memory(config)
    m = result.metrics
    assert abs(m["baseline_mse"] - 1 / 6) < 0.03
    assert m["lstm_val_mse"] < 0.1 * m["baseline_mse"]
    assert m["gru_val_mse"] < 0.1 * m["baseline_mse"]
    assert m["simple_rnn_val_mse"] > 0.7 * m["baseline_mse"]
    # Through time: the first step's gradient relative to the last. The trained
    # LSTM and GRU carry it back to the first step. The SimpleRNN's product
    # of Jacobians vanishes or explodes (which one depends on the rounding of
    # its trajectory: a rounding change, such as a static batch shape,
    # flipped it); it fails the task either way (above).
    grads = result.artifacts["grad_trained"]
    ratio = {c: grads[c][0] / grads[c][-1] for c in rnn.CELLS}
    assert min(ratio["lstm"], ratio["gru"]) > 0.1, ratio
    assert not 0.1 < ratio["simple_rnn"] < 2, ratio
    gates = result.artifacts["gates"]
    assert gates["f"].shape == (config.timesteps, config.units)


def test_lstm_reads_word_order_the_bag_of_words_cannot():
    config = rnn.SentimentConfig(models=("bow", "lstm"))
    result = rnn.train_sentiment(config)
    art = result.artifacts
    labels = np.asarray(art["test_labels"])
    contrast = np.asarray(art["test_kinds"]) == "contrast"
    accuracy = {
        name: float(((np.asarray(p) > 0.5) == labels)[contrast].mean())
        for name, p in art["probabilities"].items()
    }
    assert accuracy["lstm"] > 0.95 and accuracy["bow"] < 0.8


# ----------------------------------------------------------------------------
# The real IMDB reviews (online users): offline path and the trained model
# ----------------------------------------------------------------------------


def _imdb_forbidden(**kwargs):
    raise AssertionError("keras.datasets.imdb.load_data must not be called offline")


def test_imdb_offline_fails_within_a_second_with_a_clear_message(monkeypatch, tmp_path):
    from dlcore import datasets

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))  # nothing downloaded
    probes = []
    monkeypatch.setattr(
        datasets, "_reachable", lambda url, timeout=1.5: probes.append(url) or False
    )
    monkeypatch.setattr(keras.datasets.imdb, "load_data", _imdb_forbidden)
    assert not text.imdb_available()
    start = time.perf_counter()
    with pytest.raises(datasets.DatasetUnavailable, match="offline") as error:
        rnn.train_imdb(rnn.ImdbConfig())
    assert time.perf_counter() - start < 1.0
    assert "generated reviews" in str(error.value)
    assert probes == [datasets._DOWNLOAD_HOST, datasets._DOWNLOAD_HOST]


def test_imdb_download_error_becomes_a_clear_message(monkeypatch, tmp_path):
    from dlcore import datasets

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(datasets, "_reachable", lambda url, timeout=1.5: True)

    def refused(**kwargs):
        raise ConnectionRefusedError("refused")

    monkeypatch.setattr(keras.datasets.imdb, "load_data", refused)
    with pytest.raises(datasets.DatasetUnavailable, match="ConnectionRefusedError"):
        text.imdb_data(200, 100)


def test_train_imdb_learns_a_planted_word_with_the_notes_model(monkeypatch):
    """Fake IMDB (word 7 in positive reviews only): the task pads with Keras,
    draws seeded subsets, and its Embedding → LSTM → Dense(sigmoid) learns it."""
    rng = np.random.default_rng(0)

    def fake_split(n):
        labels = (np.arange(n) % 2).astype(np.int64)
        reviews = []
        for label in labels:
            words = rng.integers(10, 50, rng.integers(5, 40)).tolist()
            if label:
                words.insert(int(rng.integers(0, len(words))), 7)
            reviews.append(words)
        return np.array(reviews, dtype=object), labels

    train_split, test_split = fake_split(600), fake_split(300)
    calls = []

    def load_data(num_words):
        calls.append(num_words)
        return train_split, test_split

    monkeypatch.setattr(text, "imdb_cached", lambda: True)
    monkeypatch.setattr(keras.datasets.imdb, "load_data", load_data)
    config = rnn.ImdbConfig(
        num_words=60, maxlen=40, num_train=512, num_test=256, epochs=6, units=8
    )
    x, y, x_test, y_test = rnn.tasks.imdb_subset(config)
    assert x.shape == (512, 40) and x_test.shape == (256, 40) and calls == [60]
    rows = np.random.default_rng(0).permutation(600)[:512]
    padded = keras.utils.pad_sequences(train_split[0], maxlen=40)
    np.testing.assert_array_equal(x, padded[rows])
    np.testing.assert_array_equal(y, train_split[1][rows])
    model = text.build_imdb_model(config)
    assert [type(layer).__name__ for layer in model.layers[1:]] == [
        "Embedding",
        "LSTM",
        "Dense",
    ]
    assert model.layers[-1].activation.__name__ == "sigmoid"
    result = rnn.train_imdb(config)
    assert result.status == "finished"
    assert result.metrics["positive_share"] == pytest.approx(float(y_test.mean()))
    assert result.metrics["test_accuracy"] > 0.9
    assert rnn.estimate_imdb(config) > 0


def test_imdb_export_draws_the_same_subsets_and_model(monkeypatch, capsys):
    from dlcore.rnn.export import code_imdb_subset

    rng = np.random.default_rng(1)
    labels = (np.arange(300) % 2).astype(np.int64)
    reviews = np.array(
        [rng.integers(10, 40, int(rng.integers(3, 30))).tolist() for _ in labels],
        dtype=object,
    )
    monkeypatch.setattr(text, "imdb_cached", lambda: True)
    monkeypatch.setattr(
        keras.datasets.imdb,
        "load_data",
        lambda num_words: ((reviews, labels), (reviews[:150], labels[:150])),
    )
    config = rnn.ImdbConfig(
        num_words=40, maxlen=25, num_train=100, num_test=80, epochs=1, units=4
    )
    namespace: dict = {"__name__": "__main__"}
    exec(code_imdb_subset(config), namespace)
    x, y, x_test, y_test = rnn.tasks.imdb_subset(config)
    for name, ours_array in zip(
        ("x_train", "y_train", "x_test", "y_test"), (x, y, x_test, y_test), strict=True
    ):
        np.testing.assert_array_equal(namespace[name], ours_array)
    ours = text.build_imdb_model(config)
    theirs = namespace["model"]
    assert theirs.count_params() == ours.count_params()
    assert "majority baseline" in capsys.readouterr().out
