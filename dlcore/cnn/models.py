"""The Keras models of the CNN page: a small CNN and a Dense baseline.

Built with the Functional API, every layer named (``conv1``, ``pool1``, …) so
the page can open it up; compiled with the shared optimizer blocks
(:func:`dlcore.blocks.make_optimizer`). Also: the layer table (output shapes,
parameter counts), rebuilding a trained model from its weights, the ``.keras``
download and inference without ``model.predict``'s tracing.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dlcore import runtime  # first: configures TensorFlow before its import

runtime.tf()
import keras  # noqa: E402

from dlcore import blocks  # noqa: E402

if TYPE_CHECKING:
    from dlcore.cnn.tasks import CNNConfig

AUGMENTATIONS: tuple[str, ...] = ("shift", "rotation", "zoom")
#: Optimizers the page offers: names of :data:`dlcore.blocks.OPTIMIZERS` (Keras'
#: ``Adam``, ``SGD`` and ``RMSprop`` with their default arguments).
OPTIMIZERS: tuple[str, ...] = ("adam", "sgd", "rmsprop")
#: Input shape and number of classes per dataset, for rebuilding a model from
#: its weights without loading the data.
DATASET_SHAPES: dict[str, tuple[tuple[int, int, int], int]] = {
    "digits": ((8, 8, 1), 10),
    "mnist": ((28, 28, 1), 10),
    "fashion_mnist": ((28, 28, 1), 10),
}


def _initializer(seed: int, name: str = "glorot_uniform"):
    kind = {
        "glorot_uniform": keras.initializers.GlorotUniform,
        "he_uniform": keras.initializers.HeUniform,
    }[name]
    return kind(seed=seed)


def _augmentation_layers(augmentation: Sequence[str], seed: int) -> list:
    """Keras preprocessing layers for ``augmentation`` (identity at inference)."""
    fill = {"fill_mode": "constant", "fill_value": 0.0}
    factory = {
        # up to 1/8 of the image (1 pixel of an 8×8 digit) in each direction
        "shift": lambda s: keras.layers.RandomTranslation(
            0.125, 0.125, seed=s, name="random_shift", **fill
        ),
        # up to ±0.04 of a full turn, about ±15°
        "rotation": lambda s: keras.layers.RandomRotation(
            0.04, seed=s, name="random_rotation", **fill
        ),
        "zoom": lambda s: keras.layers.RandomZoom(
            0.15, seed=s, name="random_zoom", **fill
        ),
    }
    return [
        factory[name](seed + 101 + i)
        for i, name in enumerate(AUGMENTATIONS)
        if name in augmentation
    ]


def _cnn_graph(
    config: CNNConfig, input_shape: Sequence[int], num_classes: int
) -> keras.Model:
    """The uncompiled CNN of :func:`build_cnn`."""
    seed = config.seed
    inputs = keras.Input(shape=tuple(input_shape), name="image")
    x = inputs
    for layer in _augmentation_layers(config.augmentation, seed):
        x = layer(x)
    pool = (
        keras.layers.MaxPooling2D
        if config.pooling == "max"
        else (keras.layers.AveragePooling2D)
    )
    for block in range(1, config.num_blocks + 1):
        x = keras.layers.Conv2D(
            config.filters * 2 ** (block - 1),
            config.kernel_size,
            padding="same",
            activation=None if config.batch_norm else "relu",
            use_bias=not config.batch_norm,  # batch norm has its own shift
            kernel_initializer=_initializer(seed + block, "he_uniform"),
            name=f"conv{block}",
        )(x)
        if config.batch_norm:
            x = keras.layers.BatchNormalization(name=f"bn{block}")(x)
            x = keras.layers.Activation("relu", name=f"relu{block}")(x)
        if config.pooling != "none":
            x = pool(2, padding="same", name=f"pool{block}")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    if config.dropout > 0:
        x = keras.layers.Dropout(config.dropout, seed=seed + 50, name="dropout")(x)
    logits = keras.layers.Dense(
        num_classes, kernel_initializer=_initializer(seed + 60), name="logits"
    )(x)
    outputs = keras.layers.Activation("softmax", name="probabilities")(logits)
    return keras.Model(inputs, outputs, name="cnn")


def _compile(model: keras.Model, config: CNNConfig) -> keras.Model:
    model.compile(
        optimizer=blocks.make_optimizer(config.optimizer, config.learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def build_cnn(
    config: CNNConfig, input_shape: Sequence[int], num_classes: int
) -> keras.Model:
    """Build and compile the CNN described by ``config`` (Functional API).

    ``image → [augmentation] → (conv_b → [bn_b → relu_b] → pool_b) × num_blocks
    → flatten → [dropout] → logits → probabilities``. Every layer has a fixed
    name (``conv1``, ``pool1``, …) so pages can refer to it, and the softmax is
    a separate layer so Grad-CAM can use the logits.

    Args:
        config: The hyperparameters.
        input_shape: ``(height, width, channels)``.
        num_classes: Number of output classes.

    Returns:
        A compiled ``keras.Model`` (sparse categorical cross-entropy, accuracy).

    Example:
        >>> from dlcore.cnn import CNNConfig
        >>> model = build_cnn(CNNConfig(), (8, 8, 1), 10)
        >>> [layer.name for layer in model.layers][1:4], model.output_shape
        (['conv1', 'pool1', 'conv2'], (None, 10))
    """
    return _compile(_cnn_graph(config, input_shape, num_classes), config)


def dense_hidden_units(num_inputs: int, num_classes: int, target_params: int) -> int:
    """Hidden units ``h`` so ``inputs → h → classes`` has about ``target_params``.

    A one-hidden-layer network has ``h·(num_inputs + 1 + num_classes) +
    num_classes`` parameters; solve for ``h``.

    Example:
        >>> dense_hidden_units(64, 10, 6090)
        81
    """
    units = round((target_params - num_classes) / (num_inputs + 1 + num_classes))
    return max(1, int(units))


def build_dense_baseline(
    config: CNNConfig, input_shape: Sequence[int], num_classes: int
) -> keras.Model:
    """A Dense-only network with about as many parameters as :func:`build_cnn`.

    ``image → [augmentation] → flatten → dense1 (ReLU) → [dropout] → logits →
    probabilities``, compiled like the CNN and trained on the same (augmented)
    data, so that the two differ only in their architecture. Every pixel gets
    its own weights here, whereas a convolution shares one small kernel over
    all positions (权重共享): compare the two :func:`layer_table` outputs.

    Example:
        >>> from dlcore.cnn import CNNConfig
        >>> cnn = build_cnn(CNNConfig(), (8, 8, 1), 10)
        >>> dense = build_dense_baseline(CNNConfig(), (8, 8, 1), 10)
        >>> abs(dense.count_params() - cnn.count_params()) < 100
        True
    """
    target = _cnn_graph(config, input_shape, num_classes).count_params()
    num_inputs = int(np.prod(input_shape))
    units = dense_hidden_units(num_inputs, num_classes, target)
    seed = config.seed
    inputs = keras.Input(shape=tuple(input_shape), name="image")
    x = inputs
    for layer in _augmentation_layers(config.augmentation, seed):
        x = layer(x)
    x = keras.layers.Flatten(name="flatten")(x)
    x = keras.layers.Dense(
        units,
        activation="relu",
        kernel_initializer=_initializer(seed + 1, "he_uniform"),
        name="dense1",
    )(x)
    if config.dropout > 0:
        x = keras.layers.Dropout(config.dropout, seed=seed + 50, name="dropout")(x)
    logits = keras.layers.Dense(
        num_classes, kernel_initializer=_initializer(seed + 60), name="logits"
    )(x)
    outputs = keras.layers.Activation("softmax", name="probabilities")(logits)
    return _compile(keras.Model(inputs, outputs, name="dense"), config)


def layer_table(model: keras.Model) -> pd.DataFrame:
    """One row per layer: name, type, output shape and parameter count.

    Args:
        model: A built Keras model.

    Returns:
        A DataFrame with columns ``layer``, ``type``, ``output_shape`` (e.g.
        ``"8×8×16"``, batch axis left out) and ``params``; the ``params`` column
        sums to ``model.count_params()``.

    Example:
        >>> from dlcore.cnn import CNNConfig
        >>> table = layer_table(build_cnn(CNNConfig(), (8, 8, 1), 10))
        >>> table.iloc[1].to_dict()
        {'layer': 'conv1', 'type': 'Conv2D', 'output_shape': '8×8×32', 'params': 320}
    """
    rows = []
    for layer in model.layers:
        shape = tuple(layer.output.shape)[1:]
        rows.append(
            {
                "layer": layer.name,
                "type": type(layer).__name__,
                "output_shape": "×".join(str(d) for d in shape),
                "params": int(layer.count_params()),
            }
        )
    return pd.DataFrame(rows, columns=["layer", "type", "output_shape", "params"])


def _dataset_shape(config: CNNConfig, input_shape, num_classes) -> tuple:
    if input_shape is not None and num_classes is not None:
        return tuple(input_shape), int(num_classes)
    if config.dataset not in DATASET_SHAPES:
        raise ValueError(
            f"Unknown input shape for dataset {config.dataset!r}; pass input_shape "
            "and num_classes (they are in the task's artifacts)."
        )
    return DATASET_SHAPES[config.dataset]


def rebuild_model(
    config: CNNConfig,
    weights: Sequence[np.ndarray],
    input_shape: Sequence[int] | None = None,
    num_classes: int | None = None,
) -> keras.Model:
    """Rebuild the trained CNN from ``config`` and its weights (for inspection).

    Args:
        config: The configuration it was trained with.
        weights: ``artifacts["weights"]`` of :func:`train_cnn`'s result.
        input_shape: Defaults to the dataset's (:data:`DATASET_SHAPES`).
        num_classes: Defaults to the dataset's.

    Returns:
        A compiled model holding ``weights``.
    """
    shape, classes = _dataset_shape(config, input_shape, num_classes)
    model = build_cnn(config, shape, classes)
    model.set_weights(list(weights))
    return model


def rebuild_dense_baseline(
    config: CNNConfig,
    weights: Sequence[np.ndarray],
    input_shape: Sequence[int] | None = None,
    num_classes: int | None = None,
) -> keras.Model:
    """Rebuild the trained Dense baseline (``artifacts["dense_weights"]``)."""
    shape, classes = _dataset_shape(config, input_shape, num_classes)
    model = build_dense_baseline(config, shape, classes)
    model.set_weights(list(weights))
    return model


def model_bytes(
    config: CNNConfig,
    weights: Sequence[np.ndarray],
    input_shape: Sequence[int] | None = None,
    num_classes: int | None = None,
) -> bytes:
    """The trained CNN as the bytes of a ``.keras`` file (for a download button).

    Load it back with ``keras.models.load_model("cnn.keras")``.
    """
    model = rebuild_model(config, weights, input_shape, num_classes)
    model.optimizer.build(model.trainable_variables)  # saved with a full (fresh) state
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "cnn.keras")
        model.save(path)
        with open(path, "rb") as file:
            return file.read()


def predict(model: keras.Model, x: np.ndarray, batch_size: int = 1024) -> np.ndarray:
    """Class probabilities, in inference mode, without ``model.predict``'s tracing.

    Example:
        >>> from dlcore.cnn import CNNConfig
        >>> model = build_cnn(CNNConfig(), (8, 8, 1), 10)
        >>> predict(model, np.zeros((3, 8, 8, 1), np.float32)).shape
        (3, 10)
    """
    x = np.asarray(x, dtype=np.float32)
    parts = [
        np.asarray(model(x[start : start + batch_size], training=False))
        for start in range(0, len(x), batch_size)
    ]
    return np.concatenate(parts) if parts else np.zeros((0, *model.output_shape[1:]))


def _evaluate(model: keras.Model, x: np.ndarray, y: np.ndarray) -> tuple:
    """Probabilities, accuracy and mean cross-entropy on ``(x, y)``."""
    probabilities = predict(model, x)
    accuracy = float(np.mean(probabilities.argmax(axis=1) == y)) if len(y) else 0.0
    picked = probabilities[np.arange(len(y)), y] if len(y) else np.ones(1)
    loss = float(-np.mean(np.log(np.clip(picked, 1e-7, 1.0))))
    return probabilities, accuracy, loss
