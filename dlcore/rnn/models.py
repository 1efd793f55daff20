"""Keras recurrent models of the RNN page, built with explicit seeds.

Every initializer and dropout mask is seeded from the config's ``seed``, so the
dashboard, a notebook and the exported script start from the same weights.
"""

from __future__ import annotations

from typing import Any

from dlcore import blocks, train
from dlcore.rnn.core import CELL_CLASSES

keras = train.keras


def recurrent_layer(
    cell: str,
    units: int,
    *,
    seed: int,
    return_sequences: bool = False,
    dropout: float = 0.0,
    recurrent_dropout: float = 0.0,
    name: str | None = None,
) -> Any:
    """One ``keras.layers.SimpleRNN`` / ``LSTM`` / ``GRU`` with seeded initializers.

    ``kernel``: Glorot uniform (seed ``seed``); ``recurrent_kernel``:
    orthogonal (seed ``seed + 1``), Keras' defaults with a seed.
    """
    layer_class = getattr(keras.layers, CELL_CLASSES[cell])
    return layer_class(
        units,
        return_sequences=return_sequences,
        dropout=dropout,
        recurrent_dropout=recurrent_dropout,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
        recurrent_initializer=keras.initializers.Orthogonal(seed=seed + 1),
        seed=seed + 2,
        name=name,
    )


def stack(
    x: Any,
    cell: str,
    *,
    units: int,
    layers: int,
    bidirectional: bool,
    dropout: float,
    recurrent_dropout: float,
    seed: int,
) -> Any:
    """``layers`` recurrent layers on tensor ``x`` (all but the last return
    sequences), each optionally wrapped in ``Bidirectional`` (concatenated)."""
    for index in range(layers):
        layer = recurrent_layer(
            cell,
            units,
            seed=seed + 10 * index,
            return_sequences=index < layers - 1,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            name=f"{cell}_{index + 1}",
        )
        if bidirectional:
            layer = keras.layers.Bidirectional(layer, name=f"bidirectional_{index + 1}")
        x = layer(x)
    return x


def build_sequence_model(
    cell: str,
    *,
    timesteps: int,
    features: int,
    units: int = 32,
    layers: int = 1,
    bidirectional: bool = False,
    dropout: float = 0.0,
    recurrent_dropout: float = 0.0,
    seed: int = 0,
    optimizer: str = "adam",
    learning_rate: float = 0.003,
    clipnorm: float | None = None,
) -> Any:
    """A compiled sequence-to-one regressor: recurrent stack → Dense(1), MSE.

    Input (batch, timesteps, features); output (batch, 1).
    """
    inputs = keras.Input((timesteps, features), name="sequence")
    x = stack(
        inputs,
        cell,
        units=units,
        layers=layers,
        bidirectional=bidirectional,
        dropout=dropout,
        recurrent_dropout=recurrent_dropout,
        seed=seed,
    )
    outputs = keras.layers.Dense(
        1,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 99),
        name="prediction",
    )(x)
    model = keras.Model(inputs, outputs, name=cell)
    extra = {"clipnorm": clipnorm} if clipnorm else {}
    model.compile(
        optimizer=blocks.make_optimizer(optimizer, learning_rate, **extra),
        loss="mse",
    )
    return model


def first_recurrent_layer(model: Any) -> Any:
    """The first SimpleRNN / LSTM / GRU of ``model`` (the forward one if it is
    wrapped in ``Bidirectional``)."""
    for layer in model.layers:
        if isinstance(layer, keras.layers.Bidirectional):
            return layer.forward_layer
        if type(layer).__name__ in CELL_CLASSES.values():
            return layer
    raise ValueError("the model has no recurrent layer")
