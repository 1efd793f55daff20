"""The classic convolutional architectures as Keras layer tables, without weights.

Each model is built with Keras (randomly initialized, nothing downloaded), its
layers are read into a plain table and the model is dropped: only the table is
kept, once per process (:func:`architecture`, thread-safe). The total is
``model.count_params()`` of the model that was built.

Example:
    >>> arch = architecture("lenet5")
    >>> arch["total"], list(arch["table"].columns)
    (61706, ['layer', 'type', 'output_shape', 'params'])
"""

from __future__ import annotations

import functools
import threading
from typing import Any

import pandas as pd

from dlcore.generalization.core import keras

#: The architectures in historical order (ids used in the URL and i18n keys).
ARCHITECTURES: tuple[str, ...] = ("lenet5", "alexnet", "vgg16", "resnet50")
#: Columns of every layer table.
COLUMNS: tuple[str, ...] = ("layer", "type", "output_shape", "params")

_LOCK = threading.Lock()


def build_lenet5() -> keras.Model:
    """LeNet-5 (LeCun, Bottou, Bengio & Haffner, 1998, "Gradient-based learning
    applied to document recognition", Proc. IEEE 86(11)), the common modern
    variant: a 32×32×1 input, C1 6 maps 5×5, S2 2×2 average pooling, C3 16 maps
    5×5, S4 2×2 average pooling, C5 120 units, F6 84 units, 10 outputs.

    Differences from the paper (so the count is 61,706, not the paper's
    ~60,000): C3 connects every map to every S2 map (the paper used a partial
    table, 1,516 instead of 2,416 parameters), pooling has no trainable
    coefficient, C5 is a dense layer on the flattened 5×5×16 maps (same 48,120
    parameters as the paper's 5×5 convolution), the output is a dense softmax
    layer instead of Euclidean RBF units, activations are tanh.
    """
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((32, 32, 1)),
            layers.Conv2D(6, 5, activation="tanh", name="C1_conv5x5"),
            layers.AveragePooling2D(2, name="S2_avgpool"),
            layers.Conv2D(16, 5, activation="tanh", name="C3_conv5x5"),
            layers.AveragePooling2D(2, name="S4_avgpool"),
            layers.Flatten(name="flatten"),
            layers.Dense(120, activation="tanh", name="C5_dense"),
            layers.Dense(84, activation="tanh", name="F6_dense"),
            layers.Dense(10, activation="softmax", name="output"),
        ],
        name="LeNet-5",
    )


def build_alexnet() -> keras.Model:
    """AlexNet (Krizhevsky, Sutskever & Hinton, 2012, "ImageNet classification
    with deep convolutional neural networks", NeurIPS 25), the single-tower
    variant: a 227×227×3 input, conv 96 11×11 stride 4, max pool 3×3 stride 2,
    conv 256 5×5, max pool, conv 384 3×3, conv 384 3×3, conv 256 3×3, max pool
    (6×6×256), then its 3 fully connected layers 4096, 4096, 1000 with dropout
    0.5 before the first two. 62,378,344 parameters.

    Differences from the paper: no split over two GPUs (the paper's grouped
    convolutions in layers 2, 4, 5 halve their weights: ~61 M in total) and no
    local response normalization (it has no parameters).
    """
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((227, 227, 3)),
            layers.Conv2D(96, 11, strides=4, activation="relu", name="conv1"),
            layers.MaxPooling2D(3, strides=2, name="pool1"),
            layers.Conv2D(256, 5, padding="same", activation="relu", name="conv2"),
            layers.MaxPooling2D(3, strides=2, name="pool2"),
            layers.Conv2D(384, 3, padding="same", activation="relu", name="conv3"),
            layers.Conv2D(384, 3, padding="same", activation="relu", name="conv4"),
            layers.Conv2D(256, 3, padding="same", activation="relu", name="conv5"),
            layers.MaxPooling2D(3, strides=2, name="pool5"),
            layers.Flatten(name="flatten"),
            layers.Dropout(0.5, name="dropout1"),
            layers.Dense(4096, activation="relu", name="fc6"),
            layers.Dropout(0.5, name="dropout2"),
            layers.Dense(4096, activation="relu", name="fc7"),
            layers.Dense(1000, activation="softmax", name="fc8"),
        ],
        name="AlexNet",
    )


def build_vgg16() -> keras.Model:
    """VGG-16 (Simonyan & Zisserman, 2015, "Very deep convolutional networks
    for large-scale image recognition", ICLR; configuration D):
    ``keras.applications.VGG16(weights=None)``, 13 conv 3×3 + 3 dense layers,
    138,357,544 parameters."""
    return keras.applications.VGG16(weights=None)


def build_resnet50() -> keras.Model:
    """ResNet-50 (He, Zhang, Ren & Sun, 2016, "Deep residual learning for image
    recognition", CVPR): ``keras.applications.ResNet50(weights=None)``, a 7×7
    stride-2 stem then 16 bottleneck blocks (1×1, 3×3, 1×1), 25,636,712
    parameters."""
    return keras.applications.ResNet50(weights=None)


BUILDERS = {
    "lenet5": build_lenet5,
    "alexnet": build_alexnet,
    "vgg16": build_vgg16,
    "resnet50": build_resnet50,
}


def _shape(layer: Any) -> str:
    """The layer's output shape without the batch axis, as ``55 × 55 × 96``."""
    output = layer.output
    shapes = [o.shape for o in output] if isinstance(output, list) else [output.shape]
    return ", ".join(" × ".join(str(d) for d in shape[1:]) for shape in shapes)


def layer_table(model: keras.Model) -> pd.DataFrame:
    """One row per layer: name, class, output shape (no batch axis), parameters.

    The input layer is named ``input`` (Keras numbers it per process)."""
    rows = [
        (
            "input" if kind == "InputLayer" else layer.name,
            kind,
            _shape(layer),
            layer.count_params(),
        )
        for layer in model.layers
        for kind in (type(layer).__name__,)
    ]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["params"] = frame["params"].astype("int64")
    return frame


@functools.cache
def _architecture(name: str) -> dict[str, Any]:
    model = BUILDERS[name]()
    table = layer_table(model)
    return {
        "name": model.name,
        "table": table,
        "total": int(model.count_params()),
        "trainable": sum(_size(w.shape) for w in model.trainable_weights),
        "layers": len(model.layers),
        "input_shape": tuple(model.inputs[0].shape[1:]),
        "dense": int(table.loc[table["type"] == "Dense", "params"].sum()),
    }


def _size(shape: Any) -> int:
    size = 1
    for d in shape:
        size *= int(d)
    return size


def architecture(name: str) -> dict[str, Any]:
    """The layer table of one classic architecture, built once per process.

    Returns a dict: ``name`` (the model's name), ``table`` (DataFrame with
    :data:`COLUMNS`; a copy, free to modify), ``total`` (``model.count_params()``),
    ``trainable`` (trainable parameters), ``layers`` (number of Keras layers),
    ``input_shape`` (without the batch axis), ``dense`` (parameters in the
    fully connected layers). Unknown names raise ``ValueError``.
    """
    if name not in BUILDERS:
        raise ValueError(f"unknown architecture {name!r}; one of {ARCHITECTURES}")
    with _LOCK:
        cached = _architecture(name)
    return {**cached, "table": cached["table"].copy()}
