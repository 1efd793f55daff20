"""Keras models of the Transformer page, built with explicit seeds.

:func:`build_transformer` is an encoder-only Transformer (token embedding +
positions → ``layers`` post-norm encoder blocks → Dense logits per position);
:func:`build_lstm` the recurrent model it is compared with. Their source is
copied into the exported scripts, so they use only ``keras``, ``np`` and
:func:`positional_encoding`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlcore import train
from dlcore.transformer.core import positional_encoding

keras = train.keras

#: Kinds of position information.
POSITIONS: tuple[str, ...] = ("sinusoidal", "learned", "none")


class PositionalEmbedding(keras.layers.Layer):
    """Token embedding · √d_model plus the positions (Vaswani et al. 2017, §3.4).

    ``kind``: ``"sinusoidal"`` adds the fixed :func:`positional_encoding`,
    ``"learned"`` a trained (length, d_model) table, ``"none"`` nothing (the
    model then cannot tell positions apart).
    """

    def __init__(self, vocab_size, length, d_model, kind="sinusoidal", seed=0, **kw):
        super().__init__(**kw)
        self.vocab_size, self.length, self.d_model = vocab_size, length, d_model
        self.kind, self.seed = kind, seed
        self.tokens = keras.layers.Embedding(
            vocab_size,
            d_model,
            embeddings_initializer=keras.initializers.RandomUniform(
                -0.05, 0.05, seed=seed
            ),
            name="tokens",
        )
        self.sinusoid = positional_encoding(length, d_model)

    def build(self, input_shape):
        self.tokens.build(input_shape)
        if self.kind == "learned":
            self.positions = self.add_weight(
                shape=(self.length, self.d_model),
                initializer=keras.initializers.RandomUniform(
                    -0.05, 0.05, seed=self.seed + 1
                ),
                name="positions",
            )

    def call(self, ids):
        x = self.tokens(ids) * np.sqrt(self.d_model).astype("float32")
        if self.kind == "sinusoidal":
            x = x + self.sinusoid
        elif self.kind == "learned":
            x = x + self.positions
        return x

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.d_model)

    def get_config(self):
        return {
            **super().get_config(),
            "vocab_size": self.vocab_size,
            "length": self.length,
            "d_model": self.d_model,
            "kind": self.kind,
            "seed": self.seed,
        }


def seed_attention(layer, seed, bias_std=0.0):
    """Give a built ``MultiHeadAttention`` distinct Glorot-uniform kernels for
    W_Q, W_K, W_V and W_O from ``seed`` (one seeded initializer passed to the
    layer would give all four the same values, so Q = K at the start) and
    biases ~ N(0, bias_std) (0: zeros, as Keras)."""
    rng = np.random.default_rng(seed)
    weights = layer.get_weights()  # wq, bq, wk, bk, wv, bv, wo, bo
    values = []
    for index, w in enumerate(weights):
        if w.ndim == 3:
            # Q, K, V: (d, heads, key_dim), fans d → heads·key_dim;
            # the output: (heads, key_dim, d), fans heads·key_dim → d
            last = index == len(weights) - 2
            fan_in = w.shape[0] * w.shape[1] if last else w.shape[0]
            fan_out = w.shape[2] if last else w.shape[1] * w.shape[2]
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            values.append(rng.uniform(-limit, limit, w.shape).astype("float32"))
        else:
            values.append(rng.normal(0.0, bias_std, w.shape).astype("float32"))
    layer.set_weights(values)


def encoder_block(x, *, d_model, heads, d_ff, dropout, seed, index, causal=False):
    """One post-norm encoder block on tensor ``x`` (names ``…_<index>``):
    ``LayerNorm(x + MHA(x))`` then ``LayerNorm(h + FFN(h))``, FFN = Dense(d_ff,
    ReLU) → Dense(d_model). Returns ``(output, attention_scores)``."""
    glorot = keras.initializers.GlorotUniform
    attention = keras.layers.MultiHeadAttention(
        num_heads=heads,
        key_dim=d_model // heads,
        dropout=dropout,
        kernel_initializer=glorot(seed=seed),
        seed=seed + 1,
        name=f"attention_{index}",
    )
    a, scores = attention(x, x, return_attention_scores=True, use_causal_mask=causal)
    seed_attention(attention, seed)
    a = keras.layers.Dropout(dropout, seed=seed + 2, name=f"drop_a_{index}")(a)
    h = keras.layers.LayerNormalization(name=f"norm1_{index}")(
        keras.layers.Add(name=f"residual1_{index}")([x, a])
    )
    f = keras.layers.Dense(
        d_ff,
        activation="relu",
        kernel_initializer=glorot(seed=seed + 3),
        name=f"ffn1_{index}",
    )(h)
    f = keras.layers.Dense(
        d_model, kernel_initializer=glorot(seed=seed + 4), name=f"ffn2_{index}"
    )(f)
    f = keras.layers.Dropout(dropout, seed=seed + 5, name=f"drop_f_{index}")(f)
    out = keras.layers.LayerNormalization(name=f"norm2_{index}")(
        keras.layers.Add(name=f"residual2_{index}")([h, f])
    )
    return out, scores


def learning_rate(value, warmup_steps, total_steps):
    """A float, or a linear warm-up from 0 to ``value`` over ``warmup_steps``
    then constant (``CosineDecay`` with ``alpha=1``: no decay)."""
    if warmup_steps <= 0:
        return value
    return keras.optimizers.schedules.CosineDecay(
        0.0,
        decay_steps=max(1, total_steps - warmup_steps),
        alpha=1.0,
        warmup_target=value,
        warmup_steps=warmup_steps,
    )


def build_transformer(
    *,
    vocab_size,
    length,
    d_model,
    heads,
    d_ff,
    layers,
    dropout,
    positions,
    causal,
    seed,
    rate,
):
    """A compiled encoder-only Transformer: ids (batch, length) → logits
    (batch, length, vocab_size); Adam, sparse cross-entropy from logits,
    per-token accuracy."""
    ids = keras.Input((length,), dtype="int32", name="ids")
    x = PositionalEmbedding(
        vocab_size, length, d_model, kind=positions, seed=seed, name="embedding"
    )(ids)
    for index in range(1, layers + 1):
        x, _ = encoder_block(
            x,
            d_model=d_model,
            heads=heads,
            d_ff=d_ff,
            dropout=dropout,
            seed=seed + 10 * index,
            index=index,
            causal=causal,
        )
    logits = keras.layers.Dense(
        vocab_size,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 99),
        name="logits",
    )(x)
    model = keras.Model(ids, logits, name="transformer")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


def build_lstm(*, vocab_size, length, units, causal, seed, rate):
    """The recurrent comparison: Embedding → LSTM over the whole sequence
    (``Bidirectional`` unless ``causal``) → Dense logits per position."""
    ids = keras.Input((length,), dtype="int32", name="ids")
    x = keras.layers.Embedding(
        vocab_size,
        units,
        embeddings_initializer=keras.initializers.RandomUniform(-0.05, 0.05, seed=seed),
        name="tokens",
    )(ids)
    lstm = keras.layers.LSTM(
        units,
        return_sequences=True,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 1),
        recurrent_initializer=keras.initializers.Orthogonal(seed=seed + 2),
        name="lstm",
    )
    x = lstm(x) if causal else keras.layers.Bidirectional(lstm, name="bilstm")(x)
    logits = keras.layers.Dense(
        vocab_size,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 99),
        name="logits",
    )(x)
    model = keras.Model(ids, logits, name="lstm")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


def attention_layers(model: Any) -> list[Any]:
    """The ``MultiHeadAttention`` layers of ``model``, in order."""
    return [
        layer
        for layer in model.layers
        if isinstance(layer, keras.layers.MultiHeadAttention)
    ]


def attention_maps(model: Any, tokens: Any) -> dict[str, np.ndarray]:
    """The attention weights of every layer of a model of this page.

    Args:
        model: A Keras model built by :func:`build_transformer` (trained or not).
        tokens: Token ids, shape (T,) or (N, T), T = the model's length.

    Returns:
        ``{"layer_1": array, …}``: (heads, T, T) per layer for a (T,) input,
        (N, heads, T, T) for an (N, T) input; each row sums to 1 (row = query
        position, column = key position).
    """
    ids = np.asarray(tokens, dtype=np.int32)
    single = ids.ndim == 1
    batch = ids[None] if single else ids
    layers = attention_layers(model)
    if not layers:
        raise ValueError("the model has no MultiHeadAttention layer")
    probe = keras.Model(model.input, [layer.output[1] for layer in layers])
    outputs = probe(batch, training=False)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    maps = {}
    for index, value in enumerate(outputs, start=1):
        array = np.asarray(value, dtype=np.float32)
        maps[f"layer_{index}"] = array[0] if single else array
    return maps


def step_attention_layer(
    d_model: int, heads: int, seed: int
) -> keras.layers.MultiHeadAttention:
    """A built ``MultiHeadAttention`` (``key_dim = d_model // heads``) with
    seeded, distinct W_Q, W_K, W_V, W_O and non-zero biases: the layer the
    step-through compares itself with."""
    layer = keras.layers.MultiHeadAttention(num_heads=heads, key_dim=d_model // heads)
    x = np.zeros((1, 2, d_model), np.float32)
    layer(x, x)  # builds the weights
    seed_attention(layer, seed, bias_std=0.1)
    return layer


def encoder_model(
    d_model: int, heads: int, d_ff: int, length: int, seed: int
) -> keras.Model:
    """One encoder block as a model on inputs of shape ``(batch, length,
    d_model)`` (no dropout), for the block step-through."""
    inputs = keras.Input((length, d_model), name="x")
    out, _ = encoder_block(
        inputs, d_model=d_model, heads=heads, d_ff=d_ff, dropout=0.0, seed=seed, index=1
    )
    return keras.Model(inputs, out)
