"""dlcore.cnn / dlcore.images / dlcore.figures.cnn(_results) against oracles.

Oracles: ``tf.nn.conv2d`` / ``tf.nn.max_pool2d`` / ``tf.nn.avg_pool2d``, the Keras
layers themselves, SciPy's correlate/convolve, scikit-learn's metrics, and
closed forms. Training tests are marked ``slow`` and use tiny presets.
"""

from __future__ import annotations

import ast
import io
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from dlcore import blocks, cnn, images
from dlcore.cnn import export, inside, models, tasks
from dlcore.figures import cnn as figures
from dlcore.figures import cnn_results as result_figures
from dlcore.figures import theme
from dlcore.i18n import CATALOG

keras = cnn.keras  # imported by dlcore after it configured TensorFlow
tf = cnn.tf
RNG = np.random.default_rng(1234)


def _tf_conv(image: np.ndarray, kernel: np.ndarray, stride: int, padding: str):
    x = tf.constant(image[None, :, :, None], tf.float32)
    k = tf.constant(kernel[:, :, None, None], tf.float32)
    return tf.nn.conv2d(x, k, strides=stride, padding=padding.upper()).numpy()[
        0, ..., 0
    ]


def _keras_conv(image: np.ndarray, kernel: np.ndarray, stride: int, padding: str):
    layer = keras.layers.Conv2D(
        1, kernel.shape, strides=stride, padding=padding, use_bias=False
    )
    layer.build((1, *image.shape, 1))
    layer.set_weights([kernel[:, :, None, None]])
    return np.asarray(layer(image[None, :, :, None]))[0, ..., 0]


# --- convolution arithmetic ---------------------------------------------------


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("kernel_size", [1, 2, 3, 5])
def test_output_size_matches_keras_layers(kernel_size, stride, padding):
    for n in range(1, 13):
        if padding == "valid" and n < kernel_size:
            with pytest.raises(ValueError, match="does not fit"):
                cnn.output_size(n, kernel_size, stride, padding)
            continue
        x = np.zeros((1, n, n + 1, 1), np.float32)  # non-square on purpose
        conv = keras.layers.Conv2D(1, kernel_size, strides=stride, padding=padding)
        pool = keras.layers.MaxPooling2D(kernel_size, strides=stride, padding=padding)
        for layer in (conv, pool):
            shape = layer(x).shape
            assert shape[1] == cnn.output_size(n, kernel_size, stride, padding)
            assert shape[2] == cnn.output_size(n + 1, kernel_size, stride, padding)


@pytest.mark.parametrize("n", [5, 6, 7, 8, 28])
@pytest.mark.parametrize(("k", "s"), [(3, 1), (3, 2), (5, 2), (2, 2), (4, 3)])
def test_same_padding_split_matches_tf(n, k, s):
    """Explicit TF padding [[before, after]] + VALID equals SAME."""
    before, after = cnn.padding_amounts(n, k, s, "same")
    assert after - before in (0, 1)  # TF puts the odd zero after
    image = RNG.random((n, n), dtype=np.float32)
    kernel = RNG.normal(size=(k, k)).astype(np.float32)
    x = tf.constant(image[None, :, :, None])
    w = tf.constant(kernel[:, :, None, None])
    explicit = [[0, 0], [before, after], [before, after], [0, 0]]
    np.testing.assert_allclose(
        tf.nn.conv2d(x, w, s, explicit).numpy(), tf.nn.conv2d(x, w, s, "SAME").numpy()
    )


def test_explicit_integer_padding_uses_general_formula():
    for n, k, s, p in [(8, 3, 1, 1), (7, 5, 2, 2), (28, 5, 1, 0), (5, 3, 2, 3)]:
        assert cnn.output_size(n, k, s, p) == (n + 2 * p - k) // s + 1
        assert cnn.padding_amounts(n, k, s, p) == (p, p)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((8, 3, 1, "valid"), 6),
        ((28, 5, 2, "valid"), 12),
        ((8, 3, 2, "same"), 4),
        ((7, 3, 1, 1), 7),
    ],
)
def test_output_size_formula_is_filled_in(args, expected):
    text = cnn.output_size_formula(*args, latex=False)
    latex = cnn.output_size_formula(*args)
    assert text.endswith(f"= {expected}") or f"= {expected};" in text
    assert str(args[0]) in text and str(args[0]) in latex
    assert "\\frac" in latex and "⌊" not in latex


@pytest.mark.parametrize(
    "bad", [(0, 3, 1, "valid"), (8, 3, 0, "same"), (8, 3, 1, "full")]
)
def test_arithmetic_rejects_bad_arguments(bad):
    with pytest.raises(ValueError):
        cnn.output_size(*bad)


# --- kernels ------------------------------------------------------------------


@pytest.mark.parametrize("size", cnn.KERNEL_SIZES)
def test_kernel_presets_are_float32_and_sum_as_expected(size):
    sums = {
        "identity": 1,
        "sobel_x": 0,
        "sobel_y": 0,
        "laplacian": 0,
        "box_blur": 1,
        "gaussian_blur": 1,
        "sharpen": 1,
        "emboss": 1,
    }
    for name in cnn.kernel_names(size):
        kernel = cnn.kernel_preset(name, size)
        assert kernel.dtype == np.float32 and kernel.shape == (size, size)
        assert kernel.sum() == pytest.approx(sums[name], abs=1e-6), name
        assert f"cnn.k.{name}" in CATALOG
    assert set(cnn.kernel_names(3)) >= {"sobel_x", "laplacian", "emboss"}


def test_sobel_x_responds_to_left_to_right_increase():
    ramp = np.tile(np.arange(6, dtype=np.float32), (6, 1))  # brighter to the right
    out = _tf_conv(ramp, cnn.kernel_preset("sobel_x"), 1, "valid")
    assert np.all(out > 0)
    assert np.allclose(_tf_conv(ramp, cnn.kernel_preset("sobel_y"), 1, "valid"), 0)


def test_validate_kernel_accepts_grids_and_dataframes():
    grid = [[0, 1, 0], [1, -4, 1], [0, 1, 0]]
    np.testing.assert_array_equal(
        cnn.validate_kernel(grid), cnn.kernel_preset("laplacian")
    )
    frame = pd.DataFrame(np.ones((5, 5)))
    assert cnn.validate_kernel(frame).shape == (5, 5)


@pytest.mark.parametrize(
    ("values", "key"),
    [
        (np.ones((4, 4)), "cnn.kerr.bad_size"),
        (np.ones((3, 2)), "cnn.kerr.not_square"),
        (np.ones(9), "cnn.kerr.not_square"),
        ([[1, 2, 3], [1, "x", 3], [1, 2, 3]], "cnn.kerr.not_numbers"),
        ([[1, 2, 3], [1, 2], [1, 2, 3]], "cnn.kerr.not_numbers"),
        ([[1, 2, 3], [1, None, 3], [1, 2, 3]], "cnn.kerr.empty_cell"),
        (np.full((3, 3), 1e6), "cnn.kerr.too_large"),
    ],
)
def test_validate_kernel_rejects_bad_grids_with_a_translated_message(values, key):
    with pytest.raises(cnn.KernelError) as info:
        cnn.validate_kernel(values)
    assert info.value.key == key
    assert str(info.value) == info.value.message("en") != info.value.message("zh")


# --- step-through -------------------------------------------------------------

CONV_CASES = [
    (shape, kernel, stride, padding)
    for shape in [(7, 7), (8, 8), (9, 6)]
    for kernel in ["sobel_x", "gaussian_blur5", "random3", "random5"]
    for stride in (1, 2)
    for padding in ("valid", "same")
]


def _kernel(name: str) -> np.ndarray:
    if name.startswith("random"):
        size = int(name[-1])
        return np.random.default_rng(size).normal(size=(size, size)).astype(np.float32)
    if name.endswith("5"):
        return cnn.kernel_preset(name[:-1], 5)
    return cnn.kernel_preset(name)


@pytest.mark.parametrize(("shape", "kernel", "stride", "padding"), CONV_CASES)
def test_conv_steps_equal_tf_conv2d_and_keras_conv2d(shape, kernel, stride, padding):
    image = RNG.random(shape, dtype=np.float32)
    weights = _kernel(kernel)
    steps = cnn.conv_steps(image, weights, stride, padding)
    tf_out = _tf_conv(image, weights, stride, padding)
    keras_out = _keras_conv(image, weights, stride, padding)
    assert steps.output.shape == tf_out.shape == keras_out.shape
    np.testing.assert_allclose(steps.output, tf_out, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(steps.output, keras_out, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(("stride", "padding"), [(1, "valid"), (2, "same"), (1, 2)])
def test_each_step_is_its_window_times_the_kernel(stride, padding):
    image = RNG.random((7, 7), dtype=np.float32)
    kernel = cnn.kernel_preset("emboss")
    steps = cnn.conv_steps(image, kernel, stride, padding)
    top, bottom, left, right = steps.pads
    assert steps.padded.shape == (7 + top + bottom, 7 + left + right)
    np.testing.assert_array_equal(steps.padded[top : top + 7, left : left + 7], image)
    assert len(steps) == steps.output.size
    for step in steps.steps:
        assert (step.top, step.left) == (step.row * stride, step.col * stride)
        window = steps.padded[step.top : step.top + 3, step.left : step.left + 3]
        np.testing.assert_array_equal(step.window, window)
        np.testing.assert_array_equal(step.products, window * kernel)
        assert step.value == pytest.approx(float(step.products.sum()), abs=1e-5)
        assert steps.step(step.row, step.col) is step


def test_tf_conv2d_is_cross_correlation_not_convolution():
    from scipy import signal

    image = RNG.random((6, 7), dtype=np.float32)
    kernel = np.arange(9, dtype=np.float32).reshape(3, 3)  # not symmetric
    correlation = signal.correlate2d(image, kernel, mode="valid")
    convolution = signal.convolve2d(image, kernel, mode="valid")
    np.testing.assert_allclose(
        _tf_conv(image, kernel, 1, "valid"), correlation, rtol=1e-5
    )
    np.testing.assert_allclose(
        cnn.conv_steps(image, kernel).output, correlation, rtol=1e-5
    )
    np.testing.assert_allclose(
        _tf_conv(image, cnn.flip_kernel(kernel), 1, "valid"), convolution, rtol=1e-5
    )
    assert not np.allclose(correlation, convolution)


POOL_CASES = [
    (shape, size, stride, padding, mode)
    for shape in [(7, 7), (8, 8), (9, 6)]
    for size, stride in [(2, 2), (2, 1), (3, 2), (3, 1)]
    for padding in ("valid", "same")
    for mode in cnn.POOL_MODES
]


@pytest.mark.parametrize(("shape", "size", "stride", "padding", "mode"), POOL_CASES)
def test_pool_steps_equal_keras_and_tf_pooling(shape, size, stride, padding, mode):
    image = RNG.random(shape, dtype=np.float32)
    steps = cnn.pool_steps(image, size, stride, padding, mode)
    layer = (
        keras.layers.MaxPooling2D if mode == "max" else keras.layers.AveragePooling2D
    )(size, strides=stride, padding=padding)
    x = image[None, :, :, None]
    keras_out = np.asarray(layer(x))[0, ..., 0]
    pool = tf.nn.max_pool2d if mode == "max" else tf.nn.avg_pool2d
    tf_out = pool(x, size, stride, padding.upper()).numpy()[0, ..., 0]
    assert steps.output.shape == keras_out.shape
    np.testing.assert_allclose(steps.output, keras_out, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(steps.output, tf_out, rtol=1e-6, atol=1e-6)
    for step in steps.steps:
        if mode == "max":
            assert step.window[step.argmax] == step.value


def test_pool_steps_default_stride_is_pool_size_and_same_padding_is_ignored():
    steps = cnn.pool_steps(np.ones((5, 5)), 2, padding="same", mode="average")
    assert steps.stride == (2, 2)
    np.testing.assert_array_equal(steps.output, np.ones((3, 3)))  # not diluted by 0s
    assert np.isnan(steps.steps[-1].window).sum() == 3  # 3 padded cells, ignored


# --- image upload -------------------------------------------------------------


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_load_image_reads_png_and_jpeg_as_gray_in_unit_range(fmt):
    pixels = np.zeros((40, 40, 3), np.uint8)
    pixels[10:30, 10:30] = 255  # white square on black
    data = _encode(Image.fromarray(pixels, "RGB"), fmt)
    image = images.load_image(data, size=8)
    assert image.shape == (8, 8) and image.dtype == np.float32
    assert image.min() >= 0.0 and image.max() <= 1.0
    assert image[3:5, 3:5].mean() > 0.9 and image[0, 0] < 0.1


def test_load_image_converts_colour_to_luma_and_transparency_to_white():
    red = _encode(Image.new("RGB", (8, 8), (255, 0, 0)), "PNG")
    assert images.load_image(red, size=4).mean() == pytest.approx(0.299, abs=0.01)
    clear = _encode(Image.new("RGBA", (8, 8), (0, 0, 0, 0)), "PNG")
    np.testing.assert_allclose(images.load_image(clear, size=4), 1.0)


def test_load_image_keeps_aspect_ratio_by_padding():
    wide = Image.new("L", (40, 10), 0)
    wide.paste(255, (0, 0, 40, 10))  # all white, 4:1
    image = images.load_image(_encode(wide, "PNG"), size=8)
    assert image.shape == (8, 8)
    assert image.min() > 0.9  # padded with the border colour, white


def test_ink_on_dark_inverts_dark_on_white_only():
    paper = np.ones((8, 8), np.float32)
    paper[3:5, 3:5] = 0.0
    assert images.ink_on_dark(paper)[4, 4] == 1.0
    np.testing.assert_array_equal(images.ink_on_dark(1.0 - paper), 1.0 - paper)


@pytest.mark.parametrize(
    ("make", "key"),
    [
        (lambda: b"", "cnn.img.empty"),
        (lambda: b"this is not a picture at all", "cnn.img.unreadable"),
        (lambda: _encode(Image.new("L", (8, 8)), "GIF"), "cnn.img.bad_format"),
        (lambda: _encode(Image.new("RGB", (8, 8)), "BMP"), "cnn.img.bad_format"),
        (lambda: _encode(Image.new("L", (4097, 8)), "PNG"), "cnn.img.too_large"),
        (lambda: b"\x89PNG" + bytes(6 * 2**20), "cnn.img.too_many_bytes"),
        (lambda: _encode(Image.new("L", (64, 64), 128), "PNG")[:60], "cnn.img.damaged"),
        (lambda: "picture.png", "cnn.img.not_bytes"),
    ],
)
def test_load_image_rejects_bad_uploads_with_clear_messages(make, key):
    with pytest.raises(images.ImageError) as info:
        images.load_image(make(), size=8)
    assert info.value.key == key
    message = str(info.value)
    assert "PNG" in message or "pixels" in message
    assert info.value.message("zh") != message


def test_gif_message_names_the_format():
    with pytest.raises(images.ImageError, match="GIF"):
        images.load_image(_encode(Image.new("L", (8, 8)), "GIF"))


# --- models -------------------------------------------------------------------

INPUT, CLASSES = (8, 8, 1), 10


@pytest.mark.parametrize(
    "config",
    [
        cnn.CNNConfig(),
        cnn.CNNConfig(num_blocks=3, filters=8, batch_norm=True, dropout=0.2),
        cnn.CNNConfig(num_blocks=1, pooling="average", augmentation=cnn.AUGMENTATIONS),
    ],
    ids=["default", "three_blocks_bn", "one_block_aug"],
)
def test_layer_table_params_sum_to_count_params(config):
    model = cnn.build_cnn(config, INPUT, CLASSES)
    dense = cnn.build_dense_baseline(config, INPUT, CLASSES)
    for m in (model, dense):
        table = cnn.layer_table(m)
        assert table["params"].sum() == m.count_params()
        assert list(table.columns) == ["layer", "type", "output_shape", "params"]
        assert table["output_shape"].iloc[-1] == "10"
    # similar capacity: within 2 % (one hidden unit's worth)
    assert (
        abs(dense.count_params() - model.count_params()) <= 0.02 * model.count_params()
    )
    names = [layer.name for layer in model.layers]
    assert [n for n in names if n.startswith("conv")] == [
        f"conv{b}" for b in range(1, config.num_blocks + 1)
    ]


def test_three_blocks_shrink_an_8x8_digit_to_1x1():
    model = cnn.build_cnn(cnn.CNNConfig(num_blocks=3), INPUT, CLASSES)
    assert model.get_layer("pool3").output.shape[1:3] == (1, 1)


def test_conv_layer_params_show_weight_sharing():
    model = cnn.build_cnn(cnn.CNNConfig(filters=16, kernel_size=5), INPUT, CLASSES)
    table = cnn.layer_table(model).set_index("layer")
    assert table.loc["conv1", "params"] == 16 * (5 * 5 * 1 + 1)  # independent of 8×8
    assert table.loc["conv2", "params"] == 32 * (5 * 5 * 16 + 1)


def test_augmentation_is_identity_at_inference():
    config = cnn.CNNConfig(augmentation=cnn.AUGMENTATIONS)
    model = cnn.build_cnn(config, INPUT, CLASSES)
    plain = cnn.build_cnn(cnn.CNNConfig(), INPUT, CLASSES)
    plain.set_weights(model.get_weights())
    x = RNG.random((4, *INPUT), dtype=np.float32)
    np.testing.assert_allclose(cnn.predict(model, x), cnn.predict(plain, x), rtol=1e-6)
    augmented = model.get_layer("random_shift")(x, training=True)
    assert not np.allclose(np.asarray(augmented), x)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"num_blocks": 4},
        {"pooling": "min"},
        {"dropout": 0.9},
        {"augmentation": ("flip",)},
        {"optimizer": "lbfgs"},
        {"epochs": 0},
    ],
)
def test_config_rejects_out_of_range_values(kwargs):
    with pytest.raises(ValueError, match="Invalid CNNConfig"):
        cnn.CNNConfig(**kwargs)


def _sequential_model() -> keras.Model:
    model = keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            keras.layers.Conv2D(4, 3, padding="same", activation="relu", name="c1"),
            keras.layers.MaxPooling2D(name="p1"),
            keras.layers.Conv2D(6, 3, activation="relu", name="c2"),
            keras.layers.Flatten(),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    return model


def test_feature_maps_equal_the_layer_outputs_computed_by_hand():
    model = cnn.build_cnn(cnn.CNNConfig(filters=4), INPUT, CLASSES)
    image = RNG.random((8, 8), dtype=np.float32)
    maps = cnn.feature_maps(model, image)
    assert list(maps) == ["conv1", "pool1", "conv2", "pool2"]
    for name, array in maps.items():
        assert array.shape == tuple(model.get_layer(name).output.shape[1:])
    kernel, bias = model.get_layer("conv1").get_weights()
    conv1 = tf.nn.relu(tf.nn.conv2d(image[None, :, :, None], kernel, 1, "SAME") + bias)
    np.testing.assert_allclose(maps["conv1"], conv1.numpy()[0], rtol=1e-5, atol=1e-6)
    pool1 = tf.nn.max_pool2d(conv1, 2, 2, "SAME").numpy()[0]
    np.testing.assert_allclose(maps["pool1"], pool1, rtol=1e-5, atol=1e-6)
    sequential = cnn.feature_maps(_sequential_model(), image[..., None])
    assert {k: v.shape for k, v in sequential.items()} == {
        "c1": (8, 8, 4),
        "p1": (4, 4, 4),
        "c2": (2, 2, 6),
    }


def test_feature_maps_rejects_a_wrong_image_size():
    model = cnn.build_cnn(cnn.CNNConfig(), INPUT, CLASSES)
    with pytest.raises(ValueError, match="load_image"):
        cnn.feature_maps(model, np.zeros((28, 28)))


def test_first_layer_filters_are_the_conv1_kernels():
    model = cnn.build_cnn(cnn.CNNConfig(filters=8), INPUT, CLASSES)
    filters = cnn.first_layer_filters(model)
    kernel = model.get_layer("conv1").get_weights()[0]
    assert filters.shape == (8, 3, 3)
    np.testing.assert_array_equal(filters[5], kernel[:, :, 0, 5])


def _line_detector_model(functional: bool) -> keras.Model:
    """conv (2 filters: vertical / horizontal line detectors) → GAP → class k =
    filter k."""
    vertical = np.tile([-1.0, 2.0, -1.0], (3, 1))
    kernel = np.stack([vertical, vertical.T], axis=-1)[:, :, None, :]  # (3, 3, 1, 2)
    layers = [
        keras.layers.Conv2D(2, 3, padding="same", activation="relu", name="lines"),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(2, name="logits"),
        keras.layers.Activation("softmax"),
    ]
    if functional:
        inputs = keras.Input((12, 12, 1))
        x = inputs
        for layer in layers:
            x = layer(x)
        model = keras.Model(inputs, x)
    else:
        model = keras.Sequential([keras.Input((12, 12, 1)), *layers])
    model.get_layer("lines").set_weights([kernel.astype(np.float32), np.zeros(2)])
    model.get_layer("logits").set_weights([np.eye(2, dtype=np.float32), np.zeros(2)])
    return model


@pytest.mark.parametrize("functional", [True, False], ids=["functional", "sequential"])
def test_grad_cam_points_at_the_evidence_for_each_class(functional):
    image = np.zeros((12, 12), np.float32)
    image[1:11, 2] = 1.0  # a vertical line on the left
    image[8, 5:11] = 1.0  # a horizontal line on the right
    model = _line_detector_model(functional)
    left, right = np.s_[:, :4], np.s_[6:11, 5:]
    vertical = cnn.grad_cam(model, image, class_index=0)
    horizontal = cnn.grad_cam(model, image, class_index=1)
    for cam in (vertical, horizontal):
        assert cam.shape == (12, 12) and cam.dtype == np.float32
        assert cam.min() >= 0.0 and cam.max() == pytest.approx(1.0)
    assert vertical[left].mean() > 3 * vertical[right].mean()
    assert horizontal[right].mean() > 3 * horizontal[left].mean()
    predicted = int(np.argmax(model(image[None, :, :, None])))
    np.testing.assert_allclose(
        cnn.grad_cam(model, image), [vertical, horizontal][predicted]
    )


def test_grad_cam_on_the_dashboard_cnn_and_a_model_without_convolutions():
    model = cnn.build_cnn(cnn.CNNConfig(filters=4), INPUT, CLASSES)
    cam = cnn.grad_cam(model, RNG.random((8, 8)), layer_name="conv1")
    assert cam.shape == (8, 8) and cam.min() >= 0.0 and cam.max() <= 1.0
    dense = cnn.build_dense_baseline(cnn.CNNConfig(filters=4), INPUT, CLASSES)
    with pytest.raises(ValueError, match="Conv2D"):
        cnn.grad_cam(dense, np.zeros((8, 8)))


def test_filter_visualization_climbs_to_the_input_the_filter_likes():
    inputs = keras.Input((6, 6, 1))
    outputs = keras.layers.Conv2D(2, 1, name="c")(inputs)  # filter 0: +x, filter 1: -x
    model = keras.Model(inputs, outputs)
    model.get_layer("c").set_weights(
        [np.array([[[[1.0, -1.0]]]], np.float32), np.zeros(2)]
    )
    both = cnn.filter_visualization(model, "c", [0, 1], steps=30, seed=0)
    assert both.shape == (2, 6, 6)
    assert both[0].min() > 0.99 and both[1].max() < 0.01  # white vs black
    one = cnn.filter_visualization(model, "c", 0, steps=30, seed=0)
    np.testing.assert_allclose(one, both[0])
    with pytest.raises(ValueError, match="filter_index"):
        cnn.filter_visualization(model, "c", 2)


def test_shift_images_fills_with_zeros():
    x = RNG.random((2, 5, 6, 1), dtype=np.float32)
    for dx, dy in [(2, 0), (-1, 0), (0, 3), (-2, -1), (6, 0)]:
        expected = np.zeros_like(x)
        for r in range(5):
            for c in range(6):
                if 0 <= r - dy < 5 and 0 <= c - dx < 6:
                    expected[:, r, c] = x[:, r - dy, c - dx]
        np.testing.assert_array_equal(cnn.shift_images(x, dx, dy), expected)


def test_translation_curve_at_zero_shift_is_plain_accuracy():
    config = cnn.CNNConfig(filters=4)
    model = cnn.build_cnn(config, INPUT, CLASSES)
    dense = cnn.build_dense_baseline(config, INPUT, CLASSES)
    x = RNG.random((20, *INPUT), dtype=np.float32)
    y = RNG.integers(0, 10, 20)
    curve = cnn.translation_curve(model, dense, x, y, [-1, 0, 1])
    assert list(curve.columns) == ["shift", "cnn", "dense"]
    row = curve.set_index("shift").loc[0]
    assert row["cnn"] == np.mean(cnn.predict(model, x).argmax(1) == y)
    assert row["dense"] == np.mean(cnn.predict(dense, x).argmax(1) == y)


def test_confusion_matrix_and_per_class_metrics_match_sklearn():
    from sklearn import metrics

    y_true, y_pred = RNG.integers(0, 4, 200), RNG.integers(0, 4, 200)
    matrix = cnn.confusion_matrix(y_true, y_pred, 4)
    np.testing.assert_array_equal(matrix, metrics.confusion_matrix(y_true, y_pred))
    precision, recall, f1, support = metrics.precision_recall_fscore_support(
        y_true, y_pred
    )
    table = cnn.per_class_metrics(matrix)
    np.testing.assert_allclose(table["precision"], precision)
    np.testing.assert_allclose(table["recall"], recall)
    np.testing.assert_allclose(table["f1"], f1)
    np.testing.assert_array_equal(table["support"], support)


def test_model_bytes_is_a_loadable_keras_file():
    config = cnn.CNNConfig(filters=4, augmentation=("shift",))
    weights = cnn.build_cnn(config, INPUT, CLASSES).get_weights()
    data = cnn.model_bytes(config, weights)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "cnn.keras")
        Path(path).write_bytes(data)
        loaded = keras.models.load_model(path)
    x = RNG.random((3, *INPUT), dtype=np.float32)
    expected = cnn.predict(cnn.rebuild_model(config, weights), x)
    np.testing.assert_allclose(cnn.predict(loaded, x), expected, rtol=1e-6)


@pytest.mark.parametrize(
    "config",
    [
        cnn.CNNConfig(),
        cnn.CNNConfig(
            batch_norm=True,
            dropout=0.3,
            augmentation=("zoom",),
            baseline=False,
            optimizer="sgd",
            pooling="average",
        ),
    ],
)
def test_exported_scripts_are_valid_standalone_python(config):
    for code in (cnn.code_cnn(config), cnn.code_transfer(cnn.TransferConfig())):
        compile(code, "export.py", "exec")
        assert "dlcore" not in code and "model.fit(" in code


@pytest.mark.parametrize(
    ("name", "keras_class"),
    [("adam", "Adam"), ("sgd", "SGD"), ("rmsprop", "RMSprop")],
)
def test_optimizers_come_from_the_shared_blocks_and_match_keras(name, keras_class):
    """The compiled optimizer and the exported line are Keras' own class with its
    default arguments (the oracle: the class built by hand)."""
    assert name in cnn.OPTIMIZERS
    config = cnn.CNNConfig(optimizer=name, learning_rate=0.01)
    compiled = cnn.build_cnn(config, INPUT, CLASSES).optimizer
    oracle = getattr(keras.optimizers, keras_class)(learning_rate=0.01)
    shared = blocks.make_optimizer(name, 0.01)
    assert type(compiled) is type(oracle) is type(shared)

    def settings(optimizer):
        return {k: v for k, v in optimizer.get_config().items() if k != "name"}

    assert settings(compiled) == settings(oracle) == settings(shared)
    line = f"optimizer=keras.optimizers.{keras_class}(learning_rate=LEARNING_RATE)"
    assert line in cnn.code_cnn(config)
    assert blocks.optimizer_code(name, "LEARNING_RATE") in export._compile_code(config)


def test_presets_are_valid_configs_shown_by_the_controls():
    from dlcore import topics

    topic = topics.topic("cnn")
    presets = topic.load_presets()
    assert presets == cnn.PRESETS
    assert [p.name for p in presets] == [
        "default",
        "tiny",
        "no_pool",
        "average_pool",
        "augmentation",
        "batch_norm",
    ]
    for preset in presets:
        values = topic.preset_values(preset)
        assert values["cnn_tab"] == "train"
        assert set(values) == {*cnn.CNN_CONTROLS.values(), "cnn_tab"}
        shown = {
            name: values[key] for name, key in cnn.CNN_CONTROLS.items()
        }  # the controls rebuild exactly the preset's config
        shown["augmentation"] = tuple(shown["augmentation"])
        assert cnn.CNNConfig(**shown) == preset.config
        assert f"cnn.preset.{preset.name}" in CATALOG
    assert topics.topic("cnn").presets == "dlcore.cnn:PRESETS"
    train_task, transfer_task, photos_task = topic.tasks
    assert photos_task.tab == "photos"  # tests/test_cnn_pretrained*.py
    assert train_task.train_fn is cnn.train_cnn
    assert transfer_task.export_fn is cnn.code_transfer
    assert (train_task.tab, transfer_task.tab) == ("train", "transfer")
    assert topics.resolve(transfer_task.smoke) == cnn.TransferConfig(
        train_sizes=(10, 40), pretrain_epochs=2, num_steps=20
    )
    default = transfer_task.control_values(cnn.TransferConfig(), "cnn")
    assert default == {"cnn_tl_filters": 16, "cnn_tl_pretrain": 10, "cnn_tl_steps": 120}
    with pytest.raises(ValueError, match="baseline"):
        cnn.control_values(cnn.CNNConfig(baseline=False))
    with pytest.raises(ValueError, match="source_classes"):
        cnn.transfer_control_values(cnn.TransferConfig(source_classes=(0, 1)))


def test_every_public_name_of_the_old_module_is_still_importable():
    names = [
        "AUGMENTATIONS",
        "CNNConfig",
        "CNN_POOLINGS",
        "DATASET_SHAPES",
        "KERNELS_3",
        "KERNELS_5",
        "KERNEL_SIZES",
        "KernelError",
        "MAX_KERNEL_WEIGHT",
        "OPTIMIZERS",
        "PADDINGS",
        "POOL_MODES",
        "StepThrough",
        "TRANSFER_STRATEGIES",
        "TransferConfig",
        "WindowStep",
        "build_cnn",
        "build_dense_baseline",
        "cell_indices",
        "classes_text",
        "code_cnn",
        "code_transfer",
        "confusion_matrix",
        "conv_steps",
        "dense_hidden_units",
        "feature_maps",
        "filter_visualization",
        "first_layer_filters",
        "flip_kernel",
        "grad_cam",
        "keras",
        "kernel_names",
        "kernel_preset",
        "layer_table",
        "model_bytes",
        "most_confused_cell",
        "output_size",
        "output_size_formula",
        "padding_amounts",
        "per_class_metrics",
        "pool_steps",
        "predict",
        "rebuild_dense_baseline",
        "rebuild_model",
        "selected_cell",
        "shift_images",
        "stratified_subset",
        "tf",
        "train_cnn",
        "train_transfer",
        "transfer_summary",
        "translation_curve",
        "validate_kernel",
    ]
    assert set(names) <= set(cnn.__all__)
    assert all(getattr(cnn, name) is not None for name in cnn.__all__)
    assert cnn.train_cnn.__module__ == "dlcore.cnn.tasks"  # module level: picklable


@pytest.mark.slow
@pytest.mark.parametrize(
    ("train", "export_code", "config"),
    [
        (
            "train_cnn",
            "code_cnn",
            cnn.CNNConfig(
                filters=8,
                epochs=3,
                batch_norm=True,
                dropout=0.2,
                augmentation=("shift",),
            ),
        ),
        (
            "train_transfer",
            "code_transfer",
            cnn.SMOKE_TRANSFER,  # the contract tests' small transfer run
        ),
    ],
    ids=["cnn", "transfer"],
)
def test_exported_scripts_reproduce_the_dashboard_metrics(
    train, export_code, config, tmp_path
):
    """Same data, weights, batches and math: every metric equal up to rounding."""
    expected = getattr(cnn, train)(config).metrics
    script = tmp_path / "export.py"
    script.write_text(getattr(cnn, export_code)(config))
    out = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    final = ast.literal_eval(out.stdout.strip().splitlines()[-1].removeprefix("FINAL "))
    assert set(final) == set(expected)
    for name, value in expected.items():
        np.testing.assert_allclose(
            final[name], value, rtol=1e-4, atol=1e-5, err_msg=name
        )


def test_stratified_subset_balances_classes():
    y = np.repeat(np.arange(5), 40)
    for size in (5, 20, 23, 200):
        counts = np.bincount(y[cnn.stratified_subset(y, size, seed=3)], minlength=5)
        assert counts.sum() == size and counts.max() - counts.min() <= 1


# --- figures and strings -------------------------------------------------------


def _figures(lang: str) -> dict:
    image = RNG.random((8, 8), dtype=np.float32)
    table = cnn.layer_table(cnn.build_cnn(cnn.CNNConfig(filters=4), INPUT, CLASSES))
    probabilities = RNG.dirichlet(np.ones(10), 3)
    return {
        "conv": figures.conv_step_figure(
            cnn.conv_steps(image, cnn.kernel_preset("sobel_x"), 2, "same"), 3, lang=lang
        ),
        "pool": figures.pool_step_figure(
            cnn.pool_steps(image, 3, 2, "same"), 2, lang=lang
        ),
        "windows": figures.windows_1d_figure(8, 3, 2, "same", lang=lang),
        "image": figures.image_figure(image, lang=lang),
        "kernel": figures.kernel_figure(cnn.kernel_preset("sharpen", 5), lang=lang),
        "filters": figures.filters_figure(RNG.normal(size=(12, 3, 3)), lang=lang),
        "maps": figures.feature_maps_figure(RNG.random((4, 4, 20)), "pool1", lang=lang),
        "vis": figures.filter_visualization_figure(
            RNG.random((3, 8, 8)), [0, 1, 2], "conv2", lang=lang
        ),
        "cam": figures.grad_cam_figure(
            image, image, label="3", layer_name="conv2", lang=lang
        ),
        "confusion": result_figures.confusion_matrix_figure(
            np.eye(10, dtype=int) * 5, [str(i) for i in range(10)], lang=lang
        ),
        "wrong": result_figures.misclassified_figure(
            RNG.random((3, 8, 8, 1)),
            [1, 2, 3],
            probabilities,
            list("0123456789"),
            lang=lang,
        ),
        "none_wrong": result_figures.misclassified_figure(
            np.zeros((0, 8, 8)), [], np.zeros((0, 10)), list("0123456789"), lang=lang
        ),
        "per_class": result_figures.per_class_figure(
            cnn.per_class_metrics(np.eye(3, dtype=int) + 1), lang=lang
        ),
        "translation": result_figures.translation_figure(
            {"shift": [-1, 0, 1], "cnn": [0.5, 1, 0.6], "dense": [0.3, 1, 0.2]},
            lang=lang,
        ),
        "transfer": result_figures.transfer_figure(
            {
                "train_size": [20, 50] * 3,
                "strategy": ["frozen"] * 2 + ["fine_tune"] * 2 + ["scratch"] * 2,
                "accuracy": [0.8, 0.9, 0.82, 0.93, 0.7, 0.95],
            },
            lang=lang,
        ),
        "params": result_figures.param_comparison_figure(table, table, lang=lang),
        "prediction": result_figures.prediction_figure(
            probabilities[0], list("0123456789"), true_class=2, lang=lang
        ),
        "table": result_figures.layer_table_figure(table, lang=lang),
    }


def test_every_figure_builds_in_both_languages_with_a_fixed_height():
    english, chinese = _figures("en"), _figures("zh")
    for name, fig in english.items():
        assert fig.layout.height in (
            theme.HEIGHT,
            theme.SMALL_HEIGHT,
            theme.TALL_HEIGHT,
        )
        assert fig.layout.title.text, name
        assert fig.layout.title.text != chinese[name].layout.title.text, name
        fig.to_json()  # serialisable, as st.plotly_chart needs
    heatmap = english["confusion"].data[0]
    assert heatmap.texttemplate == "%{z}" and np.shape(heatmap.customdata) == (
        10,
        10,
        2,
    )


def test_conv_step_figure_fills_the_output_up_to_the_current_step():
    steps = cnn.conv_steps(np.eye(5), cnn.kernel_preset("identity"), 1, "valid")
    fig = figures.conv_step_figure(steps, 4)
    output = np.array(fig.data[3].z, dtype=float)
    assert np.isfinite(output).sum() == 5
    np.testing.assert_allclose(output.reshape(-1)[:5], steps.output.reshape(-1)[:5])


def test_every_cnn_string_used_in_the_code_is_in_the_catalogue():
    package = Path(cnn.__file__).parent  # dlcore/cnn/
    root = package.parent
    sources = [
        *package.glob("*.py"),
        root / "images.py",
        *(root / "figures").glob("cnn*.py"),
    ]
    assert len(sources) >= 9, sources
    used = set()
    for source in sources:
        used |= set(re.findall(r"\"(cnn\.[a-z_0-9.]+)\"", source.read_text()))
    used = {key for key in used if not key.endswith((".", ".keras"))}
    assert used, "no keys found"
    assert used <= set(CATALOG), sorted(used - set(CATALOG))


# --- page helpers: no pooling, confusion picks, transfer summary, split figures --


def _exported_build_cnn(config: cnn.CNNConfig) -> keras.Model:
    """Run the ``build_cnn()`` of the exported script (no data loading needed)."""
    namespace = {
        "keras": keras,
        "x_train": np.zeros((1, *INPUT), np.float32),
        "SEED": config.seed,
        "NUM_BLOCKS": config.num_blocks,
        "FILTERS": config.filters,
        "KERNEL_SIZE": config.kernel_size,
        "DROPOUT": config.dropout,
        "NUM_CLASSES": CLASSES,
    }
    exec(export._cnn_model_code(config), namespace)
    return namespace["build_cnn"]()


@pytest.mark.parametrize(
    "config",
    [
        cnn.CNNConfig(pooling="none"),
        cnn.CNNConfig(num_blocks=3, pooling="average", batch_norm=True, dropout=0.2),
    ],
    ids=["no_pooling", "average_bn"],
)
def test_exported_model_code_builds_the_same_network(config):
    model = cnn.build_cnn(config, INPUT, CLASSES)
    exported = _exported_build_cnn(config)
    assert cnn.layer_table(exported).equals(cnn.layer_table(model))
    for ours, theirs in zip(model.get_weights(), exported.get_weights(), strict=True):
        np.testing.assert_array_equal(ours, theirs)  # same seeded initial weights


def test_dense_baseline_sees_the_same_augmented_data_as_the_cnn():
    config = cnn.CNNConfig(augmentation=("shift", "rotation"))
    cnn_model = cnn.build_cnn(config, INPUT, CLASSES)
    dense = cnn.build_dense_baseline(config, INPUT, CLASSES)
    names = [layer.name for layer in dense.layers if layer.name.startswith("random")]
    assert names == ["random_shift", "random_rotation"]
    x = RNG.random((2, *INPUT), dtype=np.float32)
    for layer_name in names:  # same seeds: the same random transform of a batch
        ours = dense.get_layer(layer_name)(x, training=True)
        theirs = cnn_model.get_layer(layer_name)(x, training=True)
        np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs))
    code = cnn.code_cnn(config)
    dense_code = code[code.index("dense = compile_model") :]
    assert (
        'name="random_shift"' in dense_code and 'name="random_zoom"' not in dense_code
    )


def test_no_pooling_keeps_the_maps_and_costs_classifier_weights():
    pooled = cnn.build_cnn(cnn.CNNConfig(), INPUT, CLASSES)
    plain = cnn.build_cnn(cnn.CNNConfig(pooling="none"), INPUT, CLASSES)
    assert not any(layer.name.startswith("pool") for layer in plain.layers)
    assert plain.get_layer("conv2").output.shape[1:3] == (8, 8)
    table = cnn.layer_table(plain).set_index("layer")
    assert table.loc["logits", "params"] == (8 * 8 * 64 + 1) * CLASSES
    assert plain.count_params() > 2 * pooled.count_params()
    assert set(cnn.feature_maps(plain, np.zeros((8, 8)))) == {"conv1", "conv2"}


def test_confusion_helpers_agree_with_brute_force():
    rng = np.random.default_rng(7)
    y_true, y_pred = rng.integers(0, 4, 200), rng.integers(0, 4, 200)
    matrix = cnn.confusion_matrix(y_true, y_pred, 4)
    for i in range(4):
        for j in range(4):
            expected = [k for k in range(200) if y_true[k] == i and y_pred[k] == j]
            assert cnn.cell_indices(y_true, y_pred, i, j).tolist() == expected
    off = [(matrix[i, j], (i, j)) for i in range(4) for j in range(4) if i != j]
    assert matrix[cnn.most_confused_cell(matrix)] == max(off)[0]
    assert cnn.most_confused_cell(np.diag([2, 9, 4])) == (1, 1)


def test_selected_cell_reads_heatmap_and_marker_points():
    names = [str(i) for i in range(10)]
    fig = result_figures.confusion_matrix_figure(np.arange(100).reshape(10, 10), names)
    marker = fig.data[1]
    for k in (0, 37, 99):  # what a click on the invisible marker of a cell sends
        point = {
            "x": marker.x[k],
            "y": marker.y[k],
            "customdata": list(marker.customdata[k]),
            "curve_number": 1,
        }
        assert cnn.selected_cell([point], names) == divmod(k, 10)
        assert fig.data[0].customdata[k // 10][k % 10].tolist() == list(divmod(k, 10))
    assert cnn.selected_cell([{"x": "2", "y": "7"}], names) == (7, 2)
    assert cnn.selected_cell([{"x": "zebra", "y": "7"}], names) is None
    assert cnn.selected_cell([{"customdata": [12, 1]}], names) is None
    assert cnn.selected_cell([], names) is None


def test_confusion_figure_outlines_the_shown_cell():
    fig = result_figures.confusion_matrix_figure(
        np.eye(3, dtype=int), list("abc"), highlight=(2, 0)
    )
    (shape,) = fig.layout.shapes
    assert (shape.x0, shape.x1, shape.y0, shape.y1) == (-0.5, 0.5, 1.5, 2.5)


def test_transfer_summary_compares_with_training_from_scratch():
    curves = {
        "train_size": [20, 20, 20, 300, 300, 300],
        "strategy": ["frozen", "fine_tune", "scratch"] * 2,
        "accuracy": [0.80, 0.85, 0.70, 0.90, 0.93, 0.95],
    }
    summary = cnn.transfer_summary(curves)
    assert summary["smallest"] == 20 and summary["largest"] == 300
    assert summary["best_small"] == "fine_tune" and summary["best_large"] == "scratch"
    assert summary["gain_small"] == pytest.approx(0.15)
    assert summary["gain_large"] == pytest.approx(-0.02)
    assert (
        cnn.transfer_summary(
            {"train_size": [20], "strategy": ["frozen"], "accuracy": [0.8]}
        )
        == {}
    )
    assert cnn.classes_text((5, 6, 7, 8, 9)) == "5–9"


@pytest.mark.parametrize("kind", ["conv", "pool"])
def test_step_figures_split_into_panels_show_the_same_data(kind):
    image = RNG.random((7, 7), dtype=np.float32)
    if kind == "conv":
        steps = cnn.conv_steps(image, cnn.kernel_preset("laplacian"), 2, "same")
        draw, all_panels = figures.conv_step_figure, figures.CONV_PANELS
    else:
        steps = cnn.pool_steps(image, 3, 2, "same", mode="max")
        draw, all_panels = figures.pool_step_figure, figures.POOL_PANELS
    full = draw(steps, 3)
    for i, panel in enumerate(all_panels):
        part = draw(steps, 3, panels=(panel,), title=False)
        assert len(part.data) == 1 and not part.layout.title.text
        np.testing.assert_array_equal(
            np.array(part.data[0].z, dtype=float), np.array(full.data[i].z, dtype=float)
        )
    output = np.array(draw(steps, 3, panels=("output",)).data[0].z, dtype=float)
    assert np.isfinite(output).sum() == 4
    with pytest.raises(ValueError, match="panels"):
        draw(steps, 0, panels=("bias",))


def test_prediction_and_cell_figures():
    probabilities = np.array([0.05, 0.1, 0.85])
    fig = result_figures.prediction_figure(
        probabilities, list("abc"), true_class=1, lang="zh"
    )
    np.testing.assert_allclose(fig.data[0].y, probabilities)
    assert fig.layout.title.text.startswith("预测：c")
    cells = result_figures.misclassified_figure(
        RNG.random((1, 8, 8)),
        [0],
        probabilities[None],
        list("abc"),
        title="x",
        min_columns=5,
    )
    assert cells.layout.title.text == "x" and len(cells.data) == 2
    assert cells.layout.xaxis5.visible is False


# --- training (slow) ------------------------------------------------------------


@pytest.mark.slow
def test_train_cnn_learns_digits_and_its_artifacts_rebuild_the_model():
    config = cnn.CNNConfig(filters=8, epochs=4, batch_size=64, learning_rate=5e-3)
    events = []
    result = cnn.train_cnn(config, on_progress=events.append)
    assert result.status == "finished"
    assert result.metrics["test_accuracy"] > 0.8
    assert result.metrics["dense_test_accuracy"] > 0.6
    assert {e["run"] for e in events} == {"cnn", "dense"}
    assert all(e["num_runs"] == 2 for e in events)
    artifacts = result.artifacts
    y_test = artifacts["y_test"]
    assert artifacts["confusion"].sum() == len(y_test)
    predicted = artifacts["probabilities"].argmax(1)
    np.testing.assert_array_equal(
        artifacts["misclassified"], np.flatnonzero(predicted != y_test)
    )
    assert (
        np.trace(artifacts["confusion"]) / len(y_test)
        == result.metrics["test_accuracy"]
    )
    model = cnn.rebuild_model(config, artifacts["weights"])
    np.testing.assert_allclose(
        cnn.predict(model, artifacts["examples"]),
        artifacts["probabilities"][:20],
        atol=1e-5,
    )
    curve = pd.DataFrame(artifacts["translation"]).set_index("shift")
    assert curve.loc[0, "cnn"] == pytest.approx(result.metrics["test_accuracy"])
    assert set(pd.DataFrame(artifacts["per_class"]).columns) >= {"precision", "recall"}


@pytest.mark.slow
def test_train_transfer_reports_every_strategy_and_size():
    config = cnn.TransferConfig(train_sizes=(10, 40), pretrain_epochs=2, num_steps=20)
    result = cnn.train_transfer(config)
    curves = pd.DataFrame(result.artifacts["curves"])
    assert len(curves) == 6
    assert set(curves["strategy"]) == set(cnn.TRANSFER_STRATEGIES)
    assert curves["accuracy"].between(0, 1).all()
    assert result.metrics["pretrain_accuracy"] > 0.5
    assert set(result.history["run"]) == {"pretrain"} | {
        f"{s} n={n}" for s in cnn.TRANSFER_STRATEGIES for n in (10, 40)
    }


def test_frozen_strategy_keeps_the_pretrained_convolutions():
    config = cnn.TransferConfig()
    base = models._cnn_graph(config.cnn_config(), INPUT, 5)
    weights = {layer.name: layer.get_weights() for layer in inside._conv2d_layers(base)}
    frozen = tasks._transfer_model(config, INPUT, "frozen", weights)
    tuned = tasks._transfer_model(config, INPUT, "fine_tune", weights)
    scratch = tasks._transfer_model(config, INPUT, "scratch", weights)
    assert not any(layer.trainable for layer in inside._conv2d_layers(frozen))
    assert [layer.trainable for layer in inside._conv2d_layers(tuned)] == [False, True]
    assert all(layer.trainable for layer in inside._conv2d_layers(scratch))
    np.testing.assert_array_equal(
        frozen.get_layer("conv1").get_weights()[0], weights["conv1"][0]
    )
