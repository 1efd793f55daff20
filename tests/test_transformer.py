"""The Transformer page's core against oracles: Keras' MultiHeadAttention
(masks, several heads), a Keras encoder block, the closed-form positional
encoding, parameter counts, and a tiny training that shows positions matter."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from dlcore import transformer as tr
from dlcore.transformer import tasks as tr_tasks


def _mha(d_model: int, heads: int, seed: int = 0):
    layer = keras.layers.MultiHeadAttention(num_heads=heads, key_dim=d_model // heads)
    x = np.zeros((1, 2, d_model), np.float32)
    layer(x, x)
    tr.seed_attention(layer, seed, bias_std=0.3)
    w = tr.mha_weights(layer)
    assert not np.allclose(w["wq"], w["wk"])  # distinct Q and K
    return layer


def test_positional_encoding_is_the_closed_form():
    pe = tr.positional_encoding(7, 5)
    assert pe.shape == (7, 5) and pe.dtype == np.float32
    for pos in range(7):
        for i in range(5):
            angle = pos / 10000 ** ((i - i % 2) / 5)
            expected = np.sin(angle) if i % 2 == 0 else np.cos(angle)
            assert pe[pos, i] == pytest.approx(expected, abs=1e-6)
    with pytest.raises(ValueError):
        tr.positional_encoding(0, 4)


@pytest.mark.parametrize("heads", [1, 2, 4])
@pytest.mark.parametrize("mask_kind", ["none", "causal", "padding"])
def test_multi_head_steps_equal_keras(heads, mask_kind):
    d_model, length = 8, 6
    tokens = ["the", "cat", "sat", "down", tr.core.PAD, tr.core.PAD]
    x = tr.embed(tokens, d_model, seed=3)
    layer = _mha(d_model, heads, seed=heads)
    kwargs = {}
    if mask_kind == "causal":
        kwargs["use_causal_mask"] = True
    elif mask_kind == "padding":
        kwargs["attention_mask"] = tr.padding_mask(tokens)[None]
    out, scores = layer(x[None], x[None], return_attention_scores=True, **kwargs)
    steps = tr.multi_head_steps(
        x, tr.mha_weights(layer), tr.make_mask(mask_kind, tokens)
    )
    np.testing.assert_allclose(steps["weights"], np.asarray(scores)[0], atol=1e-6)
    np.testing.assert_allclose(steps["output"], np.asarray(out)[0], atol=1e-5)
    sums = steps["weights"].sum(-1)
    live = slice(0, 4) if mask_kind == "padding" else slice(None)
    np.testing.assert_allclose(sums[:, live], 1.0, atol=1e-12)
    assert steps["q"].shape == (heads, length, d_model // heads)
    assert steps["concat"].shape == (length, d_model)
    # the public function on the projected Q, K, V gives the same weights
    output, weights = tr.scaled_dot_product_attention(
        steps["q"], steps["k"], steps["v"], tr.make_mask(mask_kind, tokens)
    )
    np.testing.assert_allclose(weights, np.asarray(scores)[0], atol=1e-6)
    np.testing.assert_allclose(output, steps["heads"], atol=1e-12)


def test_padding_mask_is_what_keras_builds_from_mask_zero():
    ids = np.array([[3, 1, 4, 0, 0]])
    embedding = keras.layers.Embedding(6, 8, mask_zero=True)
    layer = _mha(8, 2)
    x = embedding(ids)
    _, scores = layer(x, x, return_attention_scores=True)
    tokens = ["a", "b", "c", tr.core.PAD, tr.core.PAD]
    steps = tr.multi_head_steps(
        np.asarray(x)[0], tr.mha_weights(layer), tr.padding_mask(tokens)
    )
    np.testing.assert_allclose(steps["weights"], np.asarray(scores)[0], atol=1e-6)
    assert np.all(steps["weights"][:, :3, 3:] < 1e-6)  # real queries skip padding


def test_scaling_and_masks_by_hand():
    q = np.array([[1.0, 0.0], [0.0, 2.0]])
    k = np.array([[1.0, 1.0], [3.0, 0.0]])
    v = np.array([[1.0, 2.0], [3.0, 4.0]])
    out, w = tr.scaled_dot_product_attention(q, k, v)
    scores = q @ k.T / np.sqrt(2)
    expected = np.exp(scores) / np.exp(scores).sum(1, keepdims=True)
    np.testing.assert_allclose(w, expected)
    np.testing.assert_allclose(out, expected @ v)
    _, w = tr.scaled_dot_product_attention(q, k, v, tr.causal_mask(2))
    np.testing.assert_allclose(w[0], [1.0, 0.0])
    _, unscaled = tr.scaled_dot_product_attention(10 * q, k, v, scale=False)
    _, scaled = tr.scaled_dot_product_attention(10 * q, k, v)
    assert unscaled.max() > scaled.max()  # unscaled large scores saturate


def test_encoder_block_equals_keras_and_counts_its_parameters():
    d_model, heads, d_ff, length = 8, 2, 16, 5
    inputs = keras.Input((length, d_model))
    out, _ = tr.encoder_block(
        inputs, d_model=d_model, heads=heads, d_ff=d_ff, dropout=0.0, seed=4, index=1
    )
    block = keras.Model(inputs, out)
    for layer in block.layers:  # non-trivial LayerNorm parameters
        if isinstance(layer, keras.layers.LayerNormalization):
            rng = np.random.default_rng(len(layer.name))
            layer.set_weights(
                [1 + rng.normal(0, 0.2, d_model), rng.normal(0, 0.2, d_model)]
            )
    x = tr.embed(["a", "b", "c", "a", "d"], d_model, seed=1)
    expected = np.asarray(block(x[None]))[0]
    get = block.get_layer
    steps = tr.encoder_block_steps(
        x,
        tr.mha_weights(get("attention_1")),
        tuple(get("norm1_1").get_weights()),
        (*get("ffn1_1").get_weights(), *get("ffn2_1").get_weights()),
        tuple(get("norm2_1").get_weights()),
    )
    np.testing.assert_allclose(steps["output"], expected, atol=1e-5)
    assert block.count_params() == tr.encoder_param_count(d_model, heads, 4, d_ff)
    assert get("attention_1").count_params() == tr.mha_param_count(d_model, heads, 4)


def test_attention_maps_of_a_built_model_match_the_step_through():
    model = tr.build_transformer(
        vocab_size=11,
        length=6,
        d_model=8,
        heads=2,
        d_ff=16,
        layers=2,
        dropout=0.0,
        positions="sinusoidal",
        causal=False,
        seed=0,
        rate=0.01,
    )
    ids = np.array([1, 2, 3, 4, 5, 6])
    maps = tr.attention_maps(model, ids)
    assert set(maps) == {"layer_1", "layer_2"}
    assert maps["layer_1"].shape == (2, 6, 6)
    np.testing.assert_allclose(maps["layer_2"].sum(-1), 1.0, atol=1e-5)
    x = np.asarray(model.get_layer("embedding")(ids[None]))[0]
    steps = tr.multi_head_steps(x, tr.mha_weights(model.get_layer("attention_1")))
    np.testing.assert_allclose(maps["layer_1"], steps["weights"], atol=1e-5)
    batch = tr.attention_maps(model, np.stack([ids, ids[::-1]]))
    assert batch["layer_1"].shape == (2, 2, 6, 6)


def test_tokenize_words_and_characters_and_bad_input():
    assert tr.tokenize("Attention is all you need!") == [
        "attention",
        "is",
        "all",
        "you",
        "need",
    ]
    assert tr.tokenize("注意力机制") == ["注", "意", "力", "机", "制"]
    for bad, reason in [("", "empty"), ("   ", "empty"), ("?! 123", "no_tokens")]:
        with pytest.raises(ValueError, match=reason):
            tr.tokenize(bad)
    with pytest.raises(ValueError, match="too_long"):
        tr.tokenize("a " * 20)


def test_sampling_respects_top_k_and_temperature():
    p = np.array([0.5, 0.3, 0.15, 0.05])
    rng = np.random.default_rng(0)
    draws = [tr.sample_next(p, 1.0, 2, rng) for _ in range(400)]
    assert set(draws) == {0, 1}
    assert abs(np.mean(np.array(draws) == 0) - 0.5 / 0.8) < 0.08
    assert {tr.sample_next(p, 0.01, 0, rng) for _ in range(50)} == {0}


def test_configs_validate():
    with pytest.raises(ValueError, match="divide"):
        tr.SequenceConfig(d_model=30, heads=4)
    with pytest.raises(ValueError, match="positions"):
        tr.CharConfig(positions="rotary")
    x, y = tr.sequence_task("reverse", 3, 5, seed=0)
    np.testing.assert_array_equal(y, x[:, ::-1])
    x, y = tr.sequence_task("copy", 3, 5, seed=0)
    np.testing.assert_array_equal(y[:, 2:], x[:, :-2])
    for task in tr.TASKS:
        x, y = tr.sequence_task(task, 4, 6, seed=1)
        np.testing.assert_array_equal(tr.sequence_target(task, x), y)
        np.testing.assert_array_equal(tr.sequence_target(task, x[0]), y[0])
    assert tr.estimate_sequence(tr.SequenceConfig()) < 30


@pytest.mark.slow
def test_positions_are_what_lets_the_model_reverse():
    common = dict(
        length=5,
        d_model=16,
        d_ff=32,
        epochs=4,
        num_samples=1000,
        learning_rate=0.01,
        batch_size=32,
        lstm=False,
    )
    with_positions = tr.train_sequence(tr.SequenceConfig(**common))
    without = tr.train_sequence(tr.SequenceConfig(positions="none", **common))
    assert with_positions.metrics["transformer_val_accuracy"] > 0.9
    assert without.metrics["transformer_val_accuracy"] < 0.5
    maps = with_positions.artifacts["maps"]["layer_1"]  # (4, heads, T, T)
    # some head attends mostly to the mirrored position (the anti-diagonal)
    anti = maps[:, :, np.arange(5), np.arange(5)[::-1]].mean(axis=(0, 2))
    assert anti.max() > 0.5


@pytest.mark.slow
def test_char_model_trains_and_continues_text():
    config = tr.CharConfig(length=8, layers=1, d_model=16, d_ff=32, epochs=3)
    result = tr.train_char(config)
    art = result.artifacts
    model = tr.char_rebuild(config, art["vocabulary"], result.weights)
    p = tr.next_char_probabilities(model, art["vocabulary"], "the c", 8)
    assert p.shape == (len(art["vocabulary"]),) and p.sum() == pytest.approx(1)
    text = tr.generate(
        model,
        art["vocabulary"],
        "the ",
        8,
        count=10,
        temperature=1.0,
        top_k=3,
        seed=0,
    )
    assert len(text) == 10 and set(text) <= set(art["vocabulary"])
    with pytest.raises(ValueError, match="unknown:QZ"):
        tr.next_char_probabilities(model, art["vocabulary"], "Q the Z", 8)
    # causal: the prediction at a position ignores what comes after it
    ids = np.arange(8) % len(art["vocabulary"])
    changed = ids.copy()
    changed[5:] = 0
    a = np.asarray(model(ids[None]))[0, :5]
    b = np.asarray(model(changed[None]))[0, :5]
    np.testing.assert_allclose(a, b, atol=1e-5)


def test_first_live_point_is_the_untrained_model_as_keras_evaluates_it():
    config = tr.SequenceConfig(
        length=5, d_model=16, d_ff=32, epochs=1, num_samples=200, lstm=False
    )
    events = []
    result = tr.train_sequence(config, on_progress=events.append)
    # the first event comes before any training, from a forward pass only
    assert [e["epoch"] for e in events] == [0, 1]
    x, y, x_val, y_val = tr.sequence_data(config)
    oracle = tr_tasks.sequence_model(config)  # same seed: the same initial weights
    loss, accuracy = oracle.evaluate(x_val, y_val, batch_size=len(x_val), verbose=0)
    assert events[0]["val_loss"] == pytest.approx(loss, rel=1e-5)
    assert events[0]["val_accuracy"] == pytest.approx(accuracy, abs=1e-6)
    loss, accuracy = oracle.evaluate(x, y, batch_size=len(x), verbose=0)
    assert events[0]["loss"] == pytest.approx(loss, rel=1e-5)
    # an untrained 11-way classifier starts near ln 11
    assert abs(events[0]["val_loss"] - np.log(tr_tasks.VOCAB_SIZE)) < 0.6
    history = result.history
    assert history.index.tolist() == [0, 1]
    assert history.loc[0, "val_loss"] == pytest.approx(events[0]["val_loss"])
    # the final metric is epoch 1's, not the untrained row's
    assert result.metrics["transformer_val_accuracy"] == history.loc[1, "val_accuracy"]
