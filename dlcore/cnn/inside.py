"""Inside a trained network: filters, feature maps (特征图), filter
visualisation by gradient ascent, Grad-CAM and robustness to translation.

Every function takes any built Keras model (Functional or Sequential) with
top-level ``Conv2D`` layers, not only the page's CNN.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from dlcore import runtime  # first: configures TensorFlow before its import

tf = runtime.tf()
import keras  # noqa: E402

from dlcore.cnn.models import predict  # noqa: E402
from dlcore.cnn.results import shift_images  # noqa: E402

_POOLING_LAYERS = (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D)


def _as_batch(image: Any, model: keras.Model) -> np.ndarray:
    """``image`` as a float32 batch of one, shaped like the model's input."""
    expected = tuple(model.inputs[0].shape[1:])
    x = np.asarray(image, dtype=np.float32)
    if x.ndim == len(expected) - 1:
        x = x[..., None]  # (H, W) -> (H, W, 1)
    if x.ndim == len(expected):
        x = x[None]
    if x.shape[0] != 1 or any(
        e is not None and e != d for e, d in zip(expected, x.shape[1:], strict=True)
    ):
        raise ValueError(
            f"Expected one image of shape {expected} (or {expected[:-1]} for "
            f"grayscale), got {np.shape(image)}. Resize it first, e.g. "
            f"images.load_image(data, size={expected[0]})."
        )
    return x


def _probe(model: keras.Model, outputs) -> keras.Model:
    """A model from ``model``'s input to ``outputs`` (intermediate tensors)."""
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
    return keras.Model(inputs, outputs)


def _conv2d_layers(model: keras.Model) -> list:
    return [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]


def first_layer_filters(model: keras.Model) -> np.ndarray:
    """The kernels of the first ``Conv2D`` layer, one per filter.

    Args:
        model: A Keras model with at least one top-level ``Conv2D`` layer.

    Returns:
        ``(filters, kh, kw)`` for a single input channel, else
        ``(filters, kh, kw, channels)``.

    Example:
        >>> from dlcore.cnn import CNNConfig, build_cnn
        >>> first_layer_filters(build_cnn(CNNConfig(), (8, 8, 1), 10)).shape
        (32, 3, 3)
    """
    layers = _conv2d_layers(model)
    if not layers:
        raise ValueError(f"Model {model.name!r} has no top-level Conv2D layer.")
    kernel = np.asarray(layers[0].get_weights()[0])  # (kh, kw, in, out)
    kernel = np.transpose(kernel, (3, 0, 1, 2))
    return kernel[..., 0] if kernel.shape[-1] == 1 else kernel


def feature_maps(model: keras.Model, image: np.ndarray) -> dict[str, np.ndarray]:
    """The output of every convolution and pooling layer for one image.

    Args:
        model: A built Functional or Sequential Keras model.
        image: One image, ``(H, W)``, ``(H, W, C)`` or ``(1, H, W, C)``.

    Returns:
        ``{layer_name: array (H', W', channels)}`` in layer order (inference
        mode, batch axis dropped).

    Example:
        >>> from dlcore.cnn import CNNConfig, build_cnn
        >>> model = build_cnn(CNNConfig(), (8, 8, 1), 10)
        >>> maps = feature_maps(model, np.zeros((8, 8)))
        >>> [(name, m.shape) for name, m in maps.items()][:2]
        [('conv1', (8, 8, 32)), ('pool1', (4, 4, 32))]
        >>> [(name, m.shape) for name, m in maps.items()][2:]
        [('conv2', (4, 4, 64)), ('pool2', (2, 2, 64))]
    """
    layers = [
        layer
        for layer in model.layers
        if isinstance(layer, (keras.layers.Conv2D, *_POOLING_LAYERS))
    ]
    if not layers:
        return {}
    probe = _probe(model, [layer.output for layer in layers])
    outputs = probe(_as_batch(image, model), training=False)
    outputs = outputs if isinstance(outputs, list | tuple) else [outputs]
    return {
        layer.name: np.asarray(out)[0]
        for layer, out in zip(layers, outputs, strict=True)
    }


def filter_visualization(
    model: keras.Model,
    layer_name: str,
    filter_index: int | Sequence[int],
    steps: int = 60,
    seed: int = 0,
    step_size: float = 0.05,
) -> np.ndarray:
    """The input that excites a filter most, found by gradient ascent.

    Starts from grey plus a little seeded noise and repeats ``steps`` times:
    ``x ← clip(x + step_size · g / rms(g), 0, 1)`` where ``g`` is the gradient
    (梯度) of the filter's mean activation with respect to the input image.
    Dividing by the gradient's root mean square makes every step move pixels
    by about ``step_size``, however small the raw gradient is.

    Args:
        model: A built Keras model.
        layer_name: A layer with a 4-D output ``(batch, H, W, channels)``.
        filter_index: One channel index, or several (optimised together, in
            one batch).
        steps: Gradient-ascent steps.
        seed: Seed of the starting noise.
        step_size: Pixel change per step.

    Returns:
        ``(H, W)`` (grayscale) or ``(H, W, C)`` in ``[0, 1]`` for one index;
        with a leading filter axis for a sequence of indices.
    """
    layer = model.get_layer(layer_name)
    if len(layer.output.shape) != 4:
        raise ValueError(
            f"Layer {layer_name!r} has output shape {layer.output.shape}; filter "
            "visualisation needs a 4-D (batch, H, W, channels) output."
        )
    indices = np.atleast_1d(np.asarray(filter_index, dtype=np.int64))
    num_channels = int(layer.output.shape[-1])
    if indices.min() < 0 or indices.max() >= num_channels:
        raise ValueError(f"filter_index must be in 0..{num_channels - 1}")
    probe = _probe(model, layer.output)
    rng = np.random.default_rng(seed)
    shape = (len(indices), *model.inputs[0].shape[1:])
    x = np.clip(0.5 + 0.05 * rng.standard_normal(shape), 0, 1).astype(np.float32)
    x = tf.convert_to_tensor(x)
    select = tf.one_hot(indices, num_channels)  # (filters, channels)
    for _ in range(int(steps)):
        with tf.GradientTape() as tape:
            tape.watch(x)
            activation = probe(x, training=False)  # (filters, H', W', channels)
            per_filter = tf.reduce_mean(activation, axis=(1, 2))  # (filters, channels)
            objective = tf.reduce_sum(per_filter * select)
        gradient = tape.gradient(objective, x)
        rms = tf.sqrt(tf.reduce_mean(gradient**2, axis=(1, 2, 3), keepdims=True))
        x = tf.clip_by_value(x + step_size * gradient / (rms + 1e-8), 0.0, 1.0)
    result = np.asarray(x)
    result = result[..., 0] if result.shape[-1] == 1 else result
    return result if np.ndim(filter_index) else result[0]


def _score_output(model: keras.Model):
    """The logits if the model ends in a softmax ``Activation`` layer, else its
    output."""
    last = model.layers[-1]
    activation = getattr(last, "activation", None)
    if (
        isinstance(last, keras.layers.Activation)
        and getattr(activation, "__name__", "") == "softmax"
    ):
        return last.input
    return model.outputs[0]


def grad_cam(
    model: keras.Model,
    image: np.ndarray,
    class_index: int | None = None,
    layer_name: str | None = None,
) -> np.ndarray:
    """Grad-CAM: where in the image the evidence for a class comes from.

    For the feature maps ``A_k`` of a convolution layer, weight each channel by
    the average gradient of the class score ``y_c`` with respect to it,
    ``α_k = mean_ij ∂y_c/∂A_k[i, j]``; the map is ``ReLU(Σ_k α_k A_k)``,
    upsampled (bilinear) to the input size and scaled so its maximum is 1.
    The class score is the logit when the model ends in a softmax
    ``Activation`` layer, else the model's output.

    Args:
        model: Any built Keras model (Functional or Sequential) with a
            top-level ``Conv2D`` layer.
        image: One image, ``(H, W)``, ``(H, W, C)`` or ``(1, H, W, C)``.
        class_index: The class to explain; ``None`` means the predicted one.
        layer_name: The convolution (or any 4-D) layer; ``None`` means the
            last ``Conv2D``.

    Returns:
        A float32 ``(H, W)`` array in ``[0, 1]`` (all zeros if no channel
        speaks for the class).

    Reference:
        - [Selvaraju et al., 2017](https://arxiv.org/abs/1610.02391)
    """
    if layer_name is None:
        layers = _conv2d_layers(model)
        if not layers:
            raise ValueError(
                f"Grad-CAM needs a Conv2D layer, but model {model.name!r} has none "
                "at the top level (nested models are not searched). Pass "
                "layer_name= of a layer with a (batch, H, W, channels) output."
            )
        layer = layers[-1]
    else:
        layer = model.get_layer(layer_name)
    if len(layer.output.shape) != 4:
        raise ValueError(f"Layer {layer.name!r} does not output 2-D feature maps.")
    probe = _probe(model, [layer.output, _score_output(model)])
    x = tf.convert_to_tensor(_as_batch(image, model))
    with tf.GradientTape() as tape:
        tape.watch(x)
        features, scores = probe(x, training=False)
        if class_index is None:
            class_index = int(tf.argmax(scores[0]))
        score = scores[:, int(class_index)]
    gradients = tape.gradient(score, features)  # (1, H', W', K)
    alpha = tf.reduce_mean(gradients, axis=(1, 2), keepdims=True)  # (1, 1, 1, K)
    cam = tf.nn.relu(tf.reduce_sum(alpha * features, axis=-1, keepdims=True))
    cam = tf.image.resize(cam, x.shape[1:3], method="bilinear")[0, ..., 0]
    cam = np.asarray(cam, dtype=np.float32)
    peak = float(cam.max())
    return np.clip(cam / peak, 0.0, 1.0) if peak > 0 else np.zeros_like(cam)


# ----------------------------------------------------------------------------
# Translation: does the network still recognise a shifted digit?
# ----------------------------------------------------------------------------


def translation_curve(
    model: keras.Model,
    dense_model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    shifts: Sequence[int] = range(-3, 4),
) -> pd.DataFrame:
    """Test accuracy of the CNN and of the Dense network vs horizontal shift.

    Each test image is moved ``k`` pixels sideways (zero fill) and classified
    again. Convolution and pooling respond to a pattern wherever it is, so a
    CNN usually degrades more gracefully than a Dense network, which has to
    relearn each pattern at each position.

    Args:
        model: The CNN.
        dense_model: The Dense baseline.
        x: Test images ``(n, H, W, C)``.
        y: Integer labels ``(n,)``.
        shifts: Shifts in pixels (negative: left).

    Returns:
        A DataFrame with columns ``shift``, ``cnn``, ``dense`` (accuracies).
    """
    y = np.asarray(y)
    rows = []
    for k in shifts:
        shifted = shift_images(x, int(k))
        rows.append(
            {
                "shift": int(k),
                "cnn": float(np.mean(predict(model, shifted).argmax(1) == y)),
                "dense": float(np.mean(predict(dense_model, shifted).argmax(1) == y)),
            }
        )
    return pd.DataFrame(rows, columns=["shift", "cnn", "dense"])
