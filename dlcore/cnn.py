"""Convolutional neural networks (卷积神经网络): the arithmetic, then real Keras models.

Four parts, in the order a lesson meets them:

1. **Convolution arithmetic**: output sizes and padding exactly as Keras /
   TensorFlow compute them, kernel presets and custom-kernel validation.
2. **Step-through**: one output cell at a time, the receptive window, the
   element-wise products and their sum (convolution), or the max / mean
   (pooling). The tests check the assembled output against ``tf.nn.conv2d``
   and the Keras layers.
3. **Training**: a small CNN on the 8×8 digits (with a Dense baseline of about
   the same parameter count), trained through :func:`dlcore.train.fit`, and the
   standalone script that reproduces it.
4. **Inside the trained network**: filters, feature maps (特征图), filter
   visualisation by gradient ascent, Grad-CAM, robustness to translation, and
   transfer learning.

A note that trips up most learners: what deep-learning libraries call
"convolution" is *cross-correlation*. ``tf.nn.conv2d`` slides the kernel over the
input as it is, without the 180° flip of the mathematical convolution. Because
the kernel is learned, the flip makes no difference to what a network can
learn; it only matters when you copy a kernel from a signal-processing book
(see :func:`flip_kernel`).
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dlcore import runtime  # first: configures TensorFlow before its import

tf = runtime.tf()
import keras  # noqa: E402

from dlcore import codegen, datasets, train  # noqa: E402
from dlcore.i18n import t  # noqa: E402

PADDINGS: tuple[str, ...] = ("valid", "same")
POOL_MODES: tuple[str, ...] = ("max", "average")
#: Pooling choices of a CNN block: ``"none"`` keeps the full-size feature maps
#: (the classifier then needs many more weights).
CNN_POOLINGS: tuple[str, ...] = (*POOL_MODES, "none")

# ----------------------------------------------------------------------------
# 1. Convolution arithmetic
# ----------------------------------------------------------------------------


def _check_arithmetic(n: int, kernel_size: int, stride: int, padding: str | int):
    if int(n) < 1 or int(kernel_size) < 1 or int(stride) < 1:
        raise ValueError(
            f"n, kernel_size and stride must be positive integers, got n={n}, "
            f"kernel_size={kernel_size}, stride={stride}"
        )
    if isinstance(padding, str):
        if padding not in PADDINGS:
            raise ValueError(f"Unknown padding {padding!r}; expected one of {PADDINGS}")
    elif int(padding) < 0:
        raise ValueError(f"Explicit padding must be >= 0, got {padding}")


def padding_amounts(
    n: int, kernel_size: int, stride: int = 1, padding: str | int = "valid"
) -> tuple[int, int]:
    """Zeros added before (top/left) and after (bottom/right) one spatial axis.

    ``"valid"`` adds none. ``"same"`` follows TensorFlow: it adds just enough
    for ``ceil(n / s)`` outputs, ``pad_total = max((ceil(n/s) - 1)·s + k - n, 0)``,
    and puts ``pad_total // 2`` before, the rest (one more if odd) *after*.
    An integer ``p`` pads ``p`` on both sides (PyTorch style; Keras has no
    such option).

    Args:
        n: Input length along the axis (height or width).
        kernel_size: Window length ``k``.
        stride: Step ``s`` between windows.
        padding: ``"valid"``, ``"same"`` or an explicit integer ``p >= 0``.

    Returns:
        ``(before, after)``.

    Example:
        >>> padding_amounts(8, 3, 2, "same")  # one zero, added after
        (0, 1)
        >>> padding_amounts(7, 5, 1, "same")
        (2, 2)
    """
    _check_arithmetic(n, kernel_size, stride, padding)
    if padding == "valid":
        return 0, 0
    if padding == "same":
        out = -(-n // stride)  # ceil(n / s) with integers
        total = max((out - 1) * stride + kernel_size - n, 0)
        return total // 2, total - total // 2
    return int(padding), int(padding)


def output_size(
    n: int, kernel_size: int, stride: int = 1, padding: str | int = "valid"
) -> int:
    """Output length of a convolution or pooling along one axis, as in Keras.

    ``"valid"``: ``floor((n + 2p - k) / s) + 1`` with ``p = 0``. ``"same"``:
    ``ceil(n / s)`` (the input is zero-padded as :func:`padding_amounts` says).
    An integer ``p`` uses the general formula with that ``p``.

    Args:
        n: Input length along the axis.
        kernel_size: Window length ``k``.
        stride: Step ``s`` between windows.
        padding: ``"valid"``, ``"same"`` or an explicit integer ``p >= 0``.

    Returns:
        The number of output positions along the axis.

    Raises:
        ValueError: If the window does not fit into the (padded) input.

    Example:
        >>> output_size(28, 5), output_size(28, 5, 2, "same"), output_size(8, 3, 1, 1)
        (24, 14, 8)
    """
    _check_arithmetic(n, kernel_size, stride, padding)
    if padding == "same":
        return -(-n // stride)
    p = 0 if padding == "valid" else int(padding)
    if n + 2 * p < kernel_size:
        raise ValueError(
            f"A {kernel_size}-wide window does not fit into an input of length {n} "
            f"with padding {padding!r}; use a smaller kernel or padding='same'."
        )
    return (n + 2 * p - kernel_size) // stride + 1


def output_size_formula(
    n: int,
    kernel_size: int,
    stride: int = 1,
    padding: str | int = "valid",
    *,
    latex: bool = True,
) -> str:
    """The output-size formula with the current numbers filled in, for display.

    Args:
        n: Input length along the axis.
        kernel_size: Window length ``k``.
        stride: Step ``s``.
        padding: ``"valid"``, ``"same"`` or an explicit integer ``p``.
        latex: ``True`` for a LaTeX string (``st.latex``); ``False`` for plain
            Unicode text.

    Returns:
        The formula, e.g. ``⌊(8 + 2·0 − 3) / 1⌋ + 1 = 6``. For ``"same"`` the
        padding split ``p_total = before + after`` is appended.

    Example:
        >>> output_size_formula(8, 3, 1, "valid", latex=False)
        '⌊(n + 2p − k) / s⌋ + 1 = ⌊(8 + 2·0 − 3) / 1⌋ + 1 = 6'
        >>> output_size_formula(8, 3, 2, "same", latex=False)
        '⌈n / s⌉ = ⌈8 / 2⌉ = 4;  p = max((4 − 1)·2 + 3 − 8, 0) = 1 = 0 + 1'
    """
    out = output_size(n, kernel_size, stride, padding)
    k, s = kernel_size, stride
    if padding == "same":
        before, after = padding_amounts(n, k, s, padding)
        if latex:
            return (
                rf"\left\lceil \frac{{n}}{{s}} \right\rceil = "
                rf"\left\lceil \frac{{{n}}}{{{s}}} \right\rceil = {out},\quad "
                rf"p = \max\big(({out} - 1)\cdot {s} + {k} - {n},\ 0\big) = "
                rf"{before + after} = {before} + {after}"
            )
        return (
            f"⌈n / s⌉ = ⌈{n} / {s}⌉ = {out};  p = max(({out} − 1)·{s} + {k} − {n}, 0)"
            f" = {before + after} = {before} + {after}"
        )
    p = 0 if padding == "valid" else int(padding)
    if latex:
        return (
            rf"\left\lfloor \frac{{n + 2p - k}}{{s}} \right\rfloor + 1 = "
            rf"\left\lfloor \frac{{{n} + 2\cdot {p} - {k}}}{{{s}}} \right\rfloor + 1"
            rf" = {out}"
        )
    return f"⌊(n + 2p − k) / s⌋ + 1 = ⌊({n} + 2·{p} − {k}) / {s}⌋ + 1 = {out}"


# ----------------------------------------------------------------------------
# Kernels
# ----------------------------------------------------------------------------

_BINOMIAL_5 = np.array([1.0, 4.0, 6.0, 4.0, 1.0])
_GAUSS_5 = np.outer(_BINOMIAL_5, _BINOMIAL_5) / 256.0
_IDENTITY_5 = np.zeros((5, 5))
_IDENTITY_5[2, 2] = 1.0

#: Classic 3×3 image-processing kernels. Sobel-x responds to left-to-right
#: increases in brightness (vertical edges), Sobel-y to top-to-bottom ones.
KERNELS_3: dict[str, np.ndarray] = {
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    "sobel_x": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    "sobel_y": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
    "laplacian": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
    "box_blur": np.full((3, 3), 1 / 9),
    "gaussian_blur": np.outer([1, 2, 1], [1, 2, 1]) / 16,
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "emboss": np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]),
}
#: 5×5 versions where one is meaningful (there is no standard 5×5 emboss).
#: Sobel 5×5 is binomial smoothing times a central-difference derivative; the
#: Laplacian is the usual Laplacian-of-Gaussian approximation; sharpen is an
#: unsharp mask ``2·identity − gaussian``.
KERNELS_5: dict[str, np.ndarray] = {
    "identity": _IDENTITY_5,
    "sobel_x": np.outer(_BINOMIAL_5, [-1, -2, 0, 2, 1]),
    "sobel_y": np.outer([-1, -2, 0, 2, 1], _BINOMIAL_5),
    "laplacian": np.array(
        [
            [0, 0, -1, 0, 0],
            [0, -1, -2, -1, 0],
            [-1, -2, 16, -2, -1],
            [0, -1, -2, -1, 0],
            [0, 0, -1, 0, 0],
        ]
    ),
    "box_blur": np.full((5, 5), 1 / 25),
    "gaussian_blur": _GAUSS_5,
    "sharpen": 2 * _IDENTITY_5 - _GAUSS_5,
}
KERNEL_SIZES: tuple[int, ...] = (3, 5)
#: Largest absolute weight accepted in a custom kernel (keeps the colours sane).
MAX_KERNEL_WEIGHT = 100.0


class KernelError(ValueError):
    """A custom kernel that is not a square 3×3 / 5×5 grid of finite numbers.

    ``str(error)`` is the English message; ``error.message("zh")`` translates it.
    """

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        """The message in ``lang`` (``"en"`` or ``"zh"``)."""
        return t(self.key, lang, **self.params)


def kernel_names(size: int = 3) -> list[str]:
    """Names of the preset kernels available in ``size``×``size``.

    Example:
        >>> kernel_names(5)[:3]
        ['identity', 'sobel_x', 'sobel_y']
    """
    return list(_presets(size))


def _presets(size: int) -> dict[str, np.ndarray]:
    if size not in KERNEL_SIZES:
        raise KernelError("cnn.kerr.bad_size", size=size)
    return KERNELS_3 if size == 3 else KERNELS_5


def kernel_preset(name: str, size: int = 3) -> np.ndarray:
    """A copy of preset kernel ``name`` as a float32 ``(size, size)`` array.

    Example:
        >>> kernel_preset("sobel_x")
        array([[-1.,  0.,  1.],
               [-2.,  0.,  2.],
               [-1.,  0.,  1.]], dtype=float32)
    """
    presets = _presets(size)
    if name not in presets:
        raise ValueError(
            f"Unknown {size}×{size} kernel {name!r}; expected one of {list(presets)}"
        )
    return np.array(presets[name], dtype=np.float32)


def validate_kernel(values: Any) -> np.ndarray:
    """Check a user-edited kernel and return it as a float32 array.

    Accepts a nested list, a NumPy array or a pandas DataFrame (as returned by
    ``st.data_editor``).

    Args:
        values: A 3×3 or 5×5 grid of numbers.

    Returns:
        The kernel, float32, shape ``(k, k)``.

    Raises:
        KernelError: If the grid is not 3×3 or 5×5, has an empty or
            non-numeric cell, or a weight outside ``±MAX_KERNEL_WEIGHT``.

    Example:
        >>> validate_kernel([[0, 1, 0], [1, -4, 1], [0, 1, 0]]).shape
        (3, 3)
    """
    if isinstance(values, pd.DataFrame):
        values = values.to_numpy()
    try:
        kernel = np.array(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise KernelError("cnn.kerr.not_numbers") from error
    if kernel.ndim != 2 or kernel.shape[0] != kernel.shape[1]:
        raise KernelError("cnn.kerr.not_square", shape=kernel.shape)
    if kernel.shape[0] not in KERNEL_SIZES:
        raise KernelError("cnn.kerr.bad_size", size=kernel.shape[0])
    if not np.all(np.isfinite(kernel)):
        raise KernelError("cnn.kerr.empty_cell")
    if np.abs(kernel).max() > MAX_KERNEL_WEIGHT:
        raise KernelError(
            "cnn.kerr.too_large",
            limit=MAX_KERNEL_WEIGHT,
            value=float(np.abs(kernel).max()),
        )
    return kernel.astype(np.float32)


def flip_kernel(kernel: np.ndarray) -> np.ndarray:
    """Rotate a kernel by 180°: true convolution = cross-correlation with this.

    ``tf.nn.conv2d(x, k)`` computes ``sum(window * k)`` (cross-correlation). The
    textbook convolution ``(x * k)`` equals ``tf.nn.conv2d(x, flip_kernel(k))``.

    Example:
        >>> flip_kernel(np.array([[1, 2], [3, 4]]))
        array([[4, 3],
               [2, 1]])
    """
    return np.asarray(kernel)[::-1, ::-1].copy()


# ----------------------------------------------------------------------------
# 2. Step-through of one convolution / pooling layer
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WindowStep:
    """One output cell: where its window sits and how its value is computed.

    Attributes:
        row: Output row ``i``.
        col: Output column ``j``.
        top: First row of the window on the *padded* input (``i * stride``).
        left: First column of the window on the padded input (``j * stride``).
        window: The ``(k, k)`` input values under the window. For pooling,
            padded cells are NaN (TensorFlow ignores them).
        products: ``window * kernel`` element-wise (convolution only).
        value: The output cell: ``products.sum()``, or the max / mean.
        argmax: For max pooling, ``(row, col)`` of the winner inside the window.
    """

    row: int
    col: int
    top: int
    left: int
    window: np.ndarray
    products: np.ndarray | None
    value: float
    argmax: tuple[int, int] | None = None


@dataclass(frozen=True)
class StepThrough:
    """Every step of one convolution or pooling, in raster order.

    Attributes:
        kind: ``"conv"``, ``"max"`` or ``"average"``.
        image: The original 2-D input.
        padded: The padded input the windows slide over (zeros for
            convolution; NaN marks ignored padding for pooling).
        pads: ``(top, bottom, left, right)`` padding.
        window_size: ``(kh, kw)``.
        stride: ``(sh, sw)``.
        padding: ``"valid"``, ``"same"`` or an explicit integer.
        kernel: The kernel (convolution only).
        output: The full output, assembled from the steps.
        steps: One :class:`WindowStep` per output cell, row by row.
    """

    kind: str
    image: np.ndarray
    padded: np.ndarray
    pads: tuple[int, int, int, int]
    window_size: tuple[int, int]
    stride: tuple[int, int]
    padding: str | int
    kernel: np.ndarray | None
    output: np.ndarray
    steps: tuple[WindowStep, ...] = field(repr=False)

    def __len__(self) -> int:
        return len(self.steps)

    def step(self, row: int, col: int) -> WindowStep:
        """The step that computes output cell ``(row, col)``."""
        return self.steps[row * self.output.shape[1] + col]


def _pad_2d(
    image: np.ndarray, window: tuple[int, int], stride: tuple[int, int], padding
) -> tuple[np.ndarray, tuple[int, int, int, int], tuple[int, int]]:
    """Pad ``image`` for ``padding``; return padded, pads and output shape."""
    (h, w), (kh, kw), (sh, sw) = image.shape, window, stride
    top, bottom = padding_amounts(h, kh, sh, padding)
    left, right = padding_amounts(w, kw, sw, padding)
    out_shape = (output_size(h, kh, sh, padding), output_size(w, kw, sw, padding))
    padded = np.pad(image, ((top, bottom), (left, right)), constant_values=np.nan)
    return padded, (top, bottom, left, right), out_shape


def _as_image(image: Any) -> np.ndarray:
    image = np.asarray(image, dtype=np.float32)
    image = image.squeeze() if image.ndim > 2 else image
    if image.ndim != 2:
        raise ValueError(
            f"Expected a 2-D grayscale image (H, W), got shape {np.shape(image)}"
        )
    return image


def conv_steps(
    image2d: np.ndarray,
    kernel: np.ndarray,
    stride: int = 1,
    padding: str | int = "valid",
) -> StepThrough:
    """Compute a single-channel convolution one output cell at a time.

    Each output cell is ``sum(window * kernel)`` over the window of the
    zero-padded input starting at ``(i * s, j * s)``: cross-correlation, exactly
    what ``tf.nn.conv2d`` and ``keras.layers.Conv2D`` compute (no bias).

    Args:
        image2d: Input image, shape ``(H, W)`` (a trailing channel of 1 is
            squeezed).
        kernel: Square or rectangular kernel, shape ``(kh, kw)``.
        stride: Step between windows, the same along both axes.
        padding: ``"valid"``, ``"same"`` or an explicit integer.

    Returns:
        A :class:`StepThrough` whose ``output`` is the full result.

    Example:
        >>> image = np.arange(16, dtype=np.float32).reshape(4, 4)
        >>> steps = conv_steps(image, np.ones((3, 3)), stride=1, padding="valid")
        >>> steps.output
        array([[45., 54.],
               [81., 90.]], dtype=float32)
        >>> steps.step(0, 1).window.tolist()
        [[1.0, 2.0, 3.0], [5.0, 6.0, 7.0], [9.0, 10.0, 11.0]]
    """
    image = _as_image(image2d)
    kernel = np.asarray(kernel, dtype=np.float32)
    if kernel.ndim != 2:
        raise ValueError(f"Expected a 2-D kernel, got shape {kernel.shape}")
    window, strides = kernel.shape, (int(stride), int(stride))
    padded, pads, (out_h, out_w) = _pad_2d(image, window, strides, padding)
    padded = np.nan_to_num(padded, nan=0.0)  # convolution pads with zeros
    steps, output = [], np.zeros((out_h, out_w), dtype=np.float32)
    for i in range(out_h):
        for j in range(out_w):
            top, left = i * strides[0], j * strides[1]
            values = padded[top : top + window[0], left : left + window[1]]
            products = values * kernel
            output[i, j] = np.float32(products.sum(dtype=np.float64))
            steps.append(
                WindowStep(i, j, top, left, values, products, float(output[i, j]))
            )
    return StepThrough(
        "conv", image, padded, pads, window, strides, padding, kernel, output,
        tuple(steps),
    )  # fmt: skip


def pool_steps(
    image: np.ndarray,
    pool_size: int = 2,
    stride: int | None = None,
    padding: str = "valid",
    mode: str = "max",
) -> StepThrough:
    """Compute max or average pooling (池化) one output cell at a time.

    With ``"same"`` padding TensorFlow *ignores* the padded cells: max pooling
    takes the max of the real pixels only, and average pooling divides by the
    number of real pixels in the window, not by ``pool_size²``.

    Args:
        image: Input image, shape ``(H, W)``.
        pool_size: Window side length.
        stride: Step between windows; ``None`` means ``pool_size`` (Keras).
        padding: ``"valid"`` or ``"same"``.
        mode: ``"max"`` or ``"average"``.

    Returns:
        A :class:`StepThrough`; padded cells of ``padded`` and of each
        ``window`` are NaN.

    Example:
        >>> image = np.arange(16, dtype=np.float32).reshape(4, 4)
        >>> pool_steps(image, 2, mode="max").output
        array([[ 5.,  7.],
               [13., 15.]], dtype=float32)
        >>> pool_steps(image, 3, 2, "same", mode="average").output
        array([[ 5. ,  6.5],
               [11. , 12.5]], dtype=float32)
    """
    if mode not in POOL_MODES:
        raise ValueError(f"Unknown pooling mode {mode!r}; expected one of {POOL_MODES}")
    if padding not in PADDINGS:
        raise ValueError(f"Unknown padding {padding!r}; expected one of {PADDINGS}")
    image = _as_image(image)
    window = (int(pool_size), int(pool_size))
    strides = (int(stride or pool_size),) * 2
    padded, pads, (out_h, out_w) = _pad_2d(image, window, strides, padding)
    steps, output = [], np.zeros((out_h, out_w), dtype=np.float32)
    for i in range(out_h):
        for j in range(out_w):
            top, left = i * strides[0], j * strides[1]
            values = padded[top : top + window[0], left : left + window[1]]
            argmax = None
            if mode == "max":
                argmax = np.unravel_index(np.nanargmax(values), values.shape)
                argmax = (int(argmax[0]), int(argmax[1]))
                output[i, j] = values[argmax]
            else:
                output[i, j] = np.float32(np.nanmean(values, dtype=np.float64))
            steps.append(
                WindowStep(i, j, top, left, values, None, float(output[i, j]), argmax)
            )
    return StepThrough(
        mode, image, padded, pads, window, strides, padding, None, output,
        tuple(steps),
    )  # fmt: skip


# ----------------------------------------------------------------------------
# 3. Training a CNN (and a Dense baseline) on digits
# ----------------------------------------------------------------------------

AUGMENTATIONS: tuple[str, ...] = ("shift", "rotation", "zoom")
OPTIMIZERS: dict[str, type] = {
    "adam": keras.optimizers.Adam,
    "sgd": keras.optimizers.SGD,
    "rmsprop": keras.optimizers.RMSprop,
}
#: Input shape and number of classes per dataset, for rebuilding a model from
#: its weights without loading the data.
DATASET_SHAPES: dict[str, tuple[tuple[int, int, int], int]] = {
    "digits": ((8, 8, 1), 10),
    "mnist": ((28, 28, 1), 10),
    "fashion_mnist": ((28, 28, 1), 10),
}


@dataclass(frozen=True)
class CNNConfig:
    """Hyperparameters of the CNN page's training run (defaults: ≈98 % in seconds).

    Attributes:
        dataset: A :func:`dlcore.datasets.load` image dataset name.
        num_blocks: Conv → (batch norm) → ReLU → pool blocks, 1 to 3. Block
            ``b`` has ``filters · 2^(b-1)`` filters; padding is ``"same"``, so an
            8×8 digit becomes 4×4, 2×2, 1×1.
        filters: Filters of the first convolution.
        kernel_size: Kernel side length of every convolution.
        pooling: ``"max"`` or ``"average"`` pooling (2×2, stride 2), or
            ``"none"`` (no pooling layer: the maps keep their size).
        dropout: Dropout rate before the classifier, 0 to 0.5.
        batch_norm: Add batch normalisation after each convolution.
        augmentation: Any of ``"shift"``, ``"rotation"``, ``"zoom"`` (random,
            seeded, active during training only).
        optimizer: ``"adam"``, ``"sgd"`` or ``"rmsprop"``.
        learning_rate: Step size of the optimizer (学习率).
        epochs: Passes over the training set.
        batch_size: Examples per gradient step (批量大小).
        seed: Seed of every initializer, dropout mask, augmentation and shuffle.
        baseline: Also train the Dense baseline (for the translation curve).
    """

    dataset: str = "digits"
    num_blocks: int = 2
    filters: int = 32
    kernel_size: int = 3
    pooling: str = "max"
    dropout: float = 0.0
    batch_norm: bool = False
    augmentation: tuple[str, ...] = ()
    optimizer: str = "adam"
    learning_rate: float = 3e-3
    epochs: int = 10
    batch_size: int = 32
    seed: int = 0
    baseline: bool = True

    def __post_init__(self) -> None:
        checks = [
            (1 <= self.num_blocks <= 3, f"num_blocks must be 1..3, got {self.num_blocks}"),
            (1 <= self.filters <= 128, f"filters must be 1..128, got {self.filters}"),
            (self.kernel_size in (1, 3, 5, 7), "kernel_size must be 1, 3, 5 or 7"),
            (self.pooling in CNN_POOLINGS, f"pooling must be one of {CNN_POOLINGS}"),
            (0.0 <= self.dropout <= 0.5, f"dropout must be 0..0.5, got {self.dropout}"),
            (set(self.augmentation) <= set(AUGMENTATIONS),
             f"augmentation must be a subset of {AUGMENTATIONS}"),
            (self.optimizer in OPTIMIZERS, f"optimizer must be one of {list(OPTIMIZERS)}"),
            (0.0 < self.learning_rate <= 10.0, "learning_rate must be in (0, 10]"),
            (self.epochs >= 1 and self.batch_size >= 1, "epochs, batch_size must be >= 1"),
        ]  # fmt: skip
        for ok, message in checks:
            if not ok:
                raise ValueError(f"Invalid CNNConfig: {message}")


def _initializer(seed: int, name: str = "glorot_uniform"):
    kind = {"glorot_uniform": keras.initializers.GlorotUniform,
            "he_uniform": keras.initializers.HeUniform}[name]  # fmt: skip
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
    return [factory[name](seed + 101 + i) for i, name in enumerate(AUGMENTATIONS)
            if name in augmentation]  # fmt: skip


def _cnn_graph(
    config: CNNConfig, input_shape: Sequence[int], num_classes: int
) -> keras.Model:
    """The uncompiled CNN of :func:`build_cnn`."""
    seed = config.seed
    inputs = keras.Input(shape=tuple(input_shape), name="image")
    x = inputs
    for layer in _augmentation_layers(config.augmentation, seed):
        x = layer(x)
    pool = keras.layers.MaxPooling2D if config.pooling == "max" else (
        keras.layers.AveragePooling2D)  # fmt: skip
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
        optimizer=OPTIMIZERS[config.optimizer](learning_rate=config.learning_rate),
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
        units, activation="relu", kernel_initializer=_initializer(seed + 1, "he_uniform"),
        name="dense1",
    )(x)  # fmt: skip
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


def confusion_matrix(
    y_true: np.ndarray, y_pred: np.ndarray, num_classes: int
) -> np.ndarray:
    """Counts ``C[i, j]`` of examples of true class ``i`` predicted as ``j``.

    Example:
        >>> confusion_matrix(np.array([0, 1, 1]), np.array([0, 0, 1]), 2)
        array([[1, 0],
               [1, 1]])
    """
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return matrix


def per_class_metrics(
    matrix: np.ndarray, class_names: Sequence[str] | None = None
) -> pd.DataFrame:
    """Precision, recall, F1 and support of each class from a confusion matrix.

    ``precision = C[i, i] / Σ_k C[k, i]`` (of the images called ``i``, how many
    are ``i``), ``recall = C[i, i] / Σ_k C[i, k]`` (of the ``i``s, how many were
    found). An empty denominator gives 0.

    Example:
        >>> per_class_metrics(np.array([[1, 0], [1, 1]]))["precision"].tolist()
        [0.5, 1.0]
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    hits = np.diag(matrix)
    predicted, actual = matrix.sum(axis=0), matrix.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, hits / predicted, 0.0)
        recall = np.where(actual > 0, hits / actual, 0.0)
        f1 = np.where(precision + recall > 0,
                      2 * precision * recall / (precision + recall), 0.0)  # fmt: skip
    names = list(class_names) if class_names is not None else [
        str(i) for i in range(len(matrix))]  # fmt: skip
    return pd.DataFrame({"class": names, "precision": precision, "recall": recall,
                         "f1": f1, "support": actual.astype(int)})  # fmt: skip


def most_confused_cell(matrix: np.ndarray) -> tuple[int, int]:
    """``(true, predicted)`` of the largest off-diagonal count (the worst mix-up).

    With no mistake at all, the cell of the most frequent class on the diagonal.

    Example:
        >>> most_confused_cell(np.array([[5, 1, 0], [0, 6, 3], [2, 0, 4]]))
        (1, 2)
        >>> most_confused_cell(np.diag([3, 7]))
        (1, 1)
    """
    matrix = np.asarray(matrix)
    off = matrix * (1 - np.eye(len(matrix), dtype=matrix.dtype))
    if off.max(initial=0) > 0:
        row, col = np.unravel_index(np.argmax(off), off.shape)
        return int(row), int(col)
    best = int(np.argmax(np.diag(matrix))) if len(matrix) else 0
    return best, best


def cell_indices(
    y_true: np.ndarray, y_pred: np.ndarray, true_class: int, predicted_class: int
) -> np.ndarray:
    """Indices of the examples in one confusion-matrix cell.

    Example:
        >>> cell_indices(np.array([3, 3, 8, 3]), np.array([8, 3, 8, 8]), 3, 8).tolist()
        [0, 3]
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    return np.flatnonzero((y_true == true_class) & (y_pred == predicted_class))


def selected_cell(
    points: Sequence[dict], class_names: Sequence[str]
) -> tuple[int, int] | None:
    """``(true, predicted)`` of the confusion-matrix cell a viewer clicked.

    Reads the first point of a Plotly selection event (``st.plotly_chart(...,
    on_select=...)``): its ``customdata`` ``[true, predicted]`` if present,
    else its ``y`` (true) and ``x`` (predicted) class names.

    Args:
        points: ``event.selection.points``.
        class_names: The class names on the axes.

    Returns:
        The cell, or ``None`` if nothing (usable) is selected.

    Example:
        >>> selected_cell([{"x": "8", "y": "3", "z": 4}], [str(i) for i in range(10)])
        (3, 8)
        >>> selected_cell([{"customdata": [1, 2]}], ["a", "b", "c"]), selected_cell([], [])
        ((1, 2), None)
    """
    names = [str(c) for c in class_names]
    for point in points or ():
        custom = point.get("customdata")
        if isinstance(custom, list | tuple) and len(custom) == 2:
            cell = (int(custom[0]), int(custom[1]))
            if all(0 <= c < len(names) for c in cell):
                return cell
        x, y = str(point.get("x")), str(point.get("y"))
        if x in names and y in names:
            return names.index(y), names.index(x)
    return None


def transfer_summary(curves: Any) -> dict[str, Any]:
    """What the transfer-learning curves say, for an honest one-line lesson.

    Args:
        curves: ``artifacts["curves"]`` of :func:`train_transfer` (dict of
            lists or DataFrame: ``train_size``, ``strategy``, ``accuracy``).

    Returns:
        ``{"smallest": n, "best_small": strategy, "gain_small": accuracy of the
        best pretrained strategy minus from-scratch at ``n`` (may be
        negative), "largest": N, "best_large": strategy, "gain_large": ...}``;
        an empty dict when the curves lack a size or the scratch baseline.

    Example:
        >>> summary = transfer_summary({"train_size": [20, 20, 300, 300],
        ...     "strategy": ["frozen", "scratch"] * 2, "accuracy": [0.9, 0.8, 0.92, 0.96]})
        >>> summary["best_small"], round(summary["gain_small"], 2), summary["best_large"]
        ('frozen', 0.1, 'scratch')
    """
    table = pd.DataFrame(curves)
    if table.empty or "scratch" not in set(table["strategy"]):
        return {}
    summary: dict[str, Any] = {}
    for label, size in (("small", table["train_size"].min()),
                        ("large", table["train_size"].max())):  # fmt: skip
        rows = table[table["train_size"] == size].set_index("strategy")["accuracy"]
        if "scratch" not in rows or len(rows) < 2:
            return {}
        pretrained = rows.drop("scratch")
        summary["smallest" if label == "small" else "largest"] = int(size)
        summary[f"best_{label}"] = str(rows.idxmax())
        summary[f"gain_{label}"] = float(pretrained.max() - rows["scratch"])
    return summary


def _with_run(on_progress, run: str, run_index: int, num_runs: int):
    """Forward progress events of one run of a multi-run task (contract)."""
    if on_progress is None:
        return None

    def forward(event: dict) -> None:
        on_progress({**event, "run": run, "run_index": run_index, "num_runs": num_runs})

    return forward


def _evaluate(model: keras.Model, x: np.ndarray, y: np.ndarray) -> tuple:
    """Probabilities, accuracy and mean cross-entropy on ``(x, y)``."""
    probabilities = predict(model, x)
    accuracy = float(np.mean(probabilities.argmax(axis=1) == y)) if len(y) else 0.0
    picked = probabilities[np.arange(len(y)), y] if len(y) else np.ones(1)
    loss = float(-np.mean(np.log(np.clip(picked, 1e-7, 1.0))))
    return probabilities, accuracy, loss


def train_cnn(
    config: CNNConfig,
    *,
    on_progress: Callable[[dict], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> train.TaskResult:
    """Train the CNN (and, if ``config.baseline``, the Dense baseline) on digits.

    The dataset's held-out split (``x_val``) serves as the test set: it is
    never used for a gradient step.

    Args:
        config: The hyperparameters.
        on_progress: Called with one event per epoch (contract); the events
            carry ``run`` (``"cnn"`` / ``"dense"``), ``run_index``, ``num_runs``.
        should_stop: Polled between chunks of epochs; ``True`` cancels.

    Returns:
        A ``train.TaskResult``. ``metrics``: ``test_accuracy``, ``test_loss``,
        ``num_params`` (and ``dense_test_accuracy``, ``dense_num_params``).
        ``artifacts``: ``probabilities`` (n_test, classes), ``y_test``,
        ``confusion``, ``per_class`` (DataFrame as a dict of lists),
        ``misclassified`` (test indices), ``misclassified_images`` (up to 48),
        ``x_test`` (the test images if at most 2000, else ``None``),
        ``examples`` / ``example_labels`` (first 20 test images),
        ``weights`` (CNN), ``dense_weights``, ``translation`` (accuracy vs
        shift, dict of lists), ``input_shape``, ``num_classes``,
        ``class_names``.
    """
    data = datasets.load(config.dataset, seed=config.seed)
    num_runs = 2 if config.baseline else 1
    models = {"cnn": build_cnn(config, data.input_shape, data.num_classes)}
    if config.baseline:
        models["dense"] = build_dense_baseline(
            config, data.input_shape, data.num_classes
        )
    fits = {}
    for index, (name, model) in enumerate(models.items()):
        fits[name] = train.fit(
            model, data.x_train, data.y_train,
            epochs=config.epochs, batch_size=config.batch_size,
            validation_data=(data.x_val, data.y_val), seed=config.seed,
            on_progress=_with_run(on_progress, name, index, num_runs),
            should_stop=should_stop,
        )  # fmt: skip
        if fits[name].status == "cancelled":
            break
    metrics, artifacts = _cnn_outputs(config, data, models, fits)
    if len(fits) == 1:
        return train.TaskResult.from_fit(
            fits["cnn"], metrics=metrics, artifacts=artifacts
        )
    return train.TaskResult.combine(fits, metrics=metrics, artifacts=artifacts)


def _cnn_outputs(config: CNNConfig, data, models: dict, fits: dict) -> tuple:
    """Metrics and artifacts of :func:`train_cnn` (see its docstring)."""
    cnn = models["cnn"]
    y_test = np.asarray(data.y_val)
    probabilities, accuracy, loss = _evaluate(cnn, data.x_val, y_test)
    predicted = probabilities.argmax(axis=1)
    matrix = confusion_matrix(y_test, predicted, data.num_classes)
    wrong = np.flatnonzero(predicted != y_test)
    metrics = {"test_accuracy": accuracy, "test_loss": loss,
               "num_params": float(cnn.count_params())}  # fmt: skip
    artifacts = {
        "probabilities": probabilities.astype(np.float32),
        "y_test": y_test,
        "confusion": matrix,
        "per_class": per_class_metrics(matrix, data.class_names).to_dict("list"),
        "misclassified": wrong,
        "misclassified_images": np.asarray(data.x_val)[wrong[:48]],
        # the whole test set when it is small (digits: 450 × 8 × 8, 115 kB)
        "x_test": np.asarray(data.x_val) if len(y_test) <= 2000 else None,
        "examples": np.asarray(data.x_val)[:20],
        "example_labels": y_test[:20],
        "weights": [np.array(w) for w in cnn.get_weights()],
        "input_shape": tuple(int(d) for d in data.input_shape),
        "num_classes": int(data.num_classes),
        "class_names": tuple(str(c) for c in data.class_names),
    }
    if "dense" in fits:
        dense = models["dense"]
        _, dense_accuracy, _ = _evaluate(dense, data.x_val, y_test)
        metrics["dense_test_accuracy"] = dense_accuracy
        metrics["dense_num_params"] = float(dense.count_params())
        artifacts["dense_weights"] = [np.array(w) for w in dense.get_weights()]
        width = int(data.input_shape[1])
        limit = max(1, width * 3 // 8)
        curve = translation_curve(
            cnn, dense, data.x_val[:1000], y_test[:1000], range(-limit, limit + 1)
        )
        artifacts["translation"] = curve.to_dict("list")
    return metrics, artifacts


# ----------------------------------------------------------------------------
# 4. Inside the trained network
# ----------------------------------------------------------------------------

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
        >>> maps = feature_maps(build_cnn(CNNConfig(), (8, 8, 1), 10), np.zeros((8, 8)))
        >>> {name: m.shape for name, m in maps.items()}
        {'conv1': (8, 8, 32), 'pool1': (4, 4, 32), 'conv2': (4, 4, 64), 'pool2': (2, 2, 64)}
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
    """The logits if the model ends in a softmax ``Activation`` layer, else its output."""
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


def shift_images(x: np.ndarray, dx: int, dy: int = 0) -> np.ndarray:
    """Shift images right by ``dx`` and down by ``dy`` pixels, filling with zeros.

    Args:
        x: Images, ``(n, H, W, C)`` or ``(n, H, W)``.
        dx: Pixels to the right (negative: left).
        dy: Pixels down (negative: up).

    Example:
        >>> shift_images(np.arange(4.0).reshape(1, 1, 4), 1)[0, 0].tolist()
        [0.0, 0.0, 1.0, 2.0]
    """
    x = np.asarray(x)
    out = np.zeros_like(x)
    h, w = x.shape[1], x.shape[2]
    if abs(dx) >= w or abs(dy) >= h:
        return out
    src_rows = slice(max(0, -dy), h - max(0, dy))
    dst_rows = slice(max(0, dy), h - max(0, -dy))
    src_cols = slice(max(0, -dx), w - max(0, dx))
    dst_cols = slice(max(0, dx), w - max(0, -dx))
    out[:, dst_rows, dst_cols] = x[:, src_rows, src_cols]
    return out


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


# ----------------------------------------------------------------------------
# Transfer learning: reuse a conv base trained on other classes
# ----------------------------------------------------------------------------

TRANSFER_STRATEGIES: tuple[str, ...] = ("frozen", "fine_tune", "scratch")


@dataclass(frozen=True)
class TransferConfig:
    """Pretrain on some digits, then learn the others from few images.

    Attributes:
        source_classes: Digits the conv base is pretrained on.
        target_classes: Digits learned afterwards (relabelled ``0..n-1``).
        train_sizes: Numbers of target training images to try (stratified).
        strategies: ``"frozen"`` (base fixed, only the new classifier
            learns), ``"fine_tune"`` (the top conv block learns too) and
            ``"scratch"`` (same network, random initial weights).
        num_blocks: Conv blocks of the base.
        filters: Filters of its first convolution.
        pretrain_epochs: Epochs on the source classes.
        num_steps: Gradient steps of each target run (about), whatever its
            size, so that small and large training sets get the same compute:
            each run's images are repeated cyclically up to
            ``max(train_sizes)`` examples per epoch.
        batch_size: Examples per step.
        learning_rate: Adam step size for every run.
        seed: Seed of everything.
    """

    source_classes: tuple[int, ...] = (0, 1, 2, 3, 4)
    target_classes: tuple[int, ...] = (5, 6, 7, 8, 9)
    train_sizes: tuple[int, ...] = (20, 50, 100, 300)
    strategies: tuple[str, ...] = TRANSFER_STRATEGIES
    num_blocks: int = 2
    filters: int = 16
    pretrain_epochs: int = 10
    num_steps: int = 120
    batch_size: int = 32
    learning_rate: float = 3e-3
    seed: int = 0

    def __post_init__(self) -> None:
        if set(self.source_classes) & set(self.target_classes):
            raise ValueError("source_classes and target_classes must not overlap")
        if not set(self.strategies) <= set(TRANSFER_STRATEGIES):
            raise ValueError(f"strategies must be a subset of {TRANSFER_STRATEGIES}")
        if min(self.train_sizes, default=0) < len(self.target_classes):
            raise ValueError("each train size needs at least one image per class")

    def cnn_config(self) -> CNNConfig:
        """The :class:`CNNConfig` of the networks used here."""
        return CNNConfig(
            num_blocks=self.num_blocks, filters=self.filters,
            learning_rate=self.learning_rate, batch_size=self.batch_size,
            seed=self.seed, baseline=False,
        )  # fmt: skip


def _select(x: np.ndarray, y: np.ndarray, classes: Sequence[int]) -> tuple:
    """Images of ``classes``, relabelled ``0..len(classes)-1``."""
    keep = np.isin(y, classes)
    lookup = {c: i for i, c in enumerate(classes)}
    return x[keep], np.array([lookup[int(v)] for v in y[keep]], dtype=np.int32)


def stratified_subset(y: np.ndarray, size: int, seed: int = 0) -> np.ndarray:
    """Indices of ``size`` examples with the classes as balanced as possible.

    Example:
        >>> y = np.array([0, 0, 0, 0, 1, 1, 1, 1])
        >>> np.bincount(y[stratified_subset(y, 4)]).tolist()
        [2, 2]
    """
    rng = np.random.default_rng(seed)
    classes = np.unique(y)
    pools = [rng.permutation(np.flatnonzero(y == c)) for c in classes]
    chosen: list[int] = []
    for rank in range(max(len(p) for p in pools)):
        for pool in pools:
            if rank < len(pool) and len(chosen) < size:
                chosen.append(int(pool[rank]))
    return np.sort(np.array(chosen, dtype=np.int64))


def _transfer_model(
    config: TransferConfig, input_shape, strategy: str, base_weights: dict | None
) -> keras.Model:
    """A fresh CNN for the target classes, its conv base set up for ``strategy``."""
    cnn_config = config.cnn_config()
    model = _cnn_graph(cnn_config, input_shape, len(config.target_classes))
    convs = _conv2d_layers(model)
    if strategy != "scratch" and base_weights is not None:
        for layer in convs:
            layer.set_weights(base_weights[layer.name])
        # frozen: no conv learns; fine_tune: only the top block does
        frozen = convs if strategy == "frozen" else convs[:-1]
        for layer in frozen:
            layer.trainable = False
    return _compile(model, cnn_config)


def train_transfer(
    config: TransferConfig,
    *,
    on_progress: Callable[[dict], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> train.TaskResult:
    """Transfer learning on digits: frozen base vs fine-tuning vs from scratch.

    1. Pretrain a CNN on ``source_classes`` (digits 0–4).
    2. For each training-set size and strategy, train a fresh network with a
       new classifier on ``target_classes`` (digits 5–9) for ``num_steps``
       gradient steps, and measure its test accuracy on those digits.

    Returns:
        A ``train.TaskResult`` of all runs (``pretrain``, ``frozen n=20``, …).
        ``metrics``: ``pretrain_accuracy`` and ``<strategy>_<size>``
        accuracies. ``artifacts["curves"]``: a dict of lists with columns
        ``train_size``, ``strategy``, ``accuracy`` (runs not done because of a
        cancellation are missing).
    """
    data = datasets.load("digits", seed=config.seed)
    x_train, y_train = np.asarray(data.x_train), np.asarray(data.y_train)
    x_test, y_test = np.asarray(data.x_val), np.asarray(data.y_val)
    runs = [(s, n) for n in config.train_sizes for s in config.strategies]
    num_runs = 1 + len(runs)

    source = config.cnn_config()
    base = _compile(_cnn_graph(source, data.input_shape, len(config.source_classes)),
                    source)  # fmt: skip
    xs, ys = _select(x_train, y_train, config.source_classes)
    fits = {"pretrain": train.fit(
        base, xs, ys, epochs=config.pretrain_epochs, batch_size=config.batch_size,
        seed=config.seed, on_progress=_with_run(on_progress, "pretrain", 0, num_runs),
        should_stop=should_stop)}  # fmt: skip
    _, pretrain_accuracy, _ = _evaluate(
        base, *_select(x_test, y_test, config.source_classes)
    )
    base_weights = {layer.name: layer.get_weights() for layer in _conv2d_layers(base)}

    xt, yt = _select(x_train, y_train, config.target_classes)
    xt_test, yt_test = _select(x_test, y_test, config.target_classes)
    rows, metrics = [], {"pretrain_accuracy": pretrain_accuracy}
    # Every run cycles through its images up to the largest size, so all runs
    # have the same data shape (one compiled graph per strategy) and the same
    # number of gradient steps, whatever their training-set size.
    length = max(config.train_sizes)
    epochs = max(1, round(config.num_steps / math.ceil(length / config.batch_size)))
    for index, (strategy, size) in enumerate(runs, start=1):
        if fits[next(reversed(fits))].status == "cancelled":
            break
        subset = np.resize(stratified_subset(yt, size, seed=config.seed), length)
        model = _transfer_model(config, data.input_shape, strategy, base_weights)
        name = f"{strategy} n={size}"
        fits[name] = train.fit(
            model, xt[subset], yt[subset], epochs=epochs,
            batch_size=config.batch_size, seed=config.seed + index,
            on_progress=_with_run(on_progress, name, index, num_runs),
            should_stop=should_stop,
        )  # fmt: skip
        _, accuracy, _ = _evaluate(model, xt_test, yt_test)
        metrics[f"{strategy}_{size}"] = accuracy
        rows.append({"train_size": size, "strategy": strategy, "accuracy": accuracy})
    curves = pd.DataFrame(rows, columns=["train_size", "strategy", "accuracy"])
    artifacts = {"curves": curves.to_dict("list"), "pretrain_accuracy": pretrain_accuracy,
                 "num_target_test": len(yt_test)}  # fmt: skip
    return train.TaskResult.combine(fits, metrics=metrics, artifacts=artifacts)


# ----------------------------------------------------------------------------
# Code export: standalone scripts that reproduce the runs with model.fit
# ----------------------------------------------------------------------------

_AUGMENTATION_CODE = {
    "shift": 'keras.layers.RandomTranslation(0.125, 0.125, fill_mode="constant", '
    'seed=SEED + {seed}, name="random_shift")',
    "rotation": 'keras.layers.RandomRotation(0.04, fill_mode="constant", '
    'seed=SEED + {seed}, name="random_rotation")',
    "zoom": 'keras.layers.RandomZoom(0.15, fill_mode="constant", '
    'seed=SEED + {seed}, name="random_zoom")',
}

_SCRIPT_FIT = '''\
def fit(model, x, y, epochs, batch_size, seed, validation_data=None):
    """model.fit one epoch at a time, on the same shuffled batches as the dashboard."""
    history = {}
    for epoch in range(epochs):
        order = np.random.default_rng([seed, epoch]).permutation(len(x))
        logs = model.fit(
            x[order], y[order], batch_size=batch_size, epochs=1, shuffle=False,
            validation_data=validation_data, verbose=0,
        ).history
        for name, values in logs.items():
            history.setdefault(name, []).extend(values)
    return history'''


def _cnn_model_code(config: CNNConfig) -> str:
    """The ``build_cnn()`` function of the exported script."""
    augment = [
        f"    x = {_AUGMENTATION_CODE[name].format(seed=101 + i)}(x)"
        for i, name in enumerate(AUGMENTATIONS)
        if name in config.augmentation
    ]
    pool = "MaxPooling2D" if config.pooling == "max" else "AveragePooling2D"
    pool_line = (
        f'        x = keras.layers.{pool}(2, padding="same", name=f"pool{{block}}")(x)\n'
        if config.pooling != "none"
        else "        # no pooling: the feature maps keep their size\n"
    )
    if config.batch_norm:
        conv = (
            '            activation=None, use_bias=False,  # batch norm adds the shift\n'
        )  # fmt: skip
        norm = (
            '        x = keras.layers.BatchNormalization(name=f"bn{block}")(x)\n'
            '        x = keras.layers.Activation("relu", name=f"relu{block}")(x)\n'
        )
    else:
        conv, norm = '            activation="relu",\n', ""
    dropout = (
        '    x = keras.layers.Dropout(DROPOUT, seed=SEED + 50, name="dropout")(x)\n'
        if config.dropout > 0
        else ""
    )
    return (
        "def build_cnn():\n"
        '    inputs = keras.Input(shape=x_train.shape[1:], name="image")\n'
        "    x = inputs\n"
        + ("    # Random augmentation: active only while training\n" if augment else "")
        + "".join(line + "\n" for line in augment)
        + "    for block in range(1, NUM_BLOCKS + 1):\n"
        "        x = keras.layers.Conv2D(\n"
        "            FILTERS * 2 ** (block - 1),  # more filters as maps get smaller\n"
        '            KERNEL_SIZE, padding="same",\n'
        + conv
        + "            kernel_initializer=keras.initializers.HeUniform(seed=SEED + block),\n"
        '            name=f"conv{block}",\n'
        "        )(x)\n"
        + norm
        + pool_line
        + '    x = keras.layers.Flatten(name="flatten")(x)\n'
        + dropout
        + "    logits = keras.layers.Dense(\n"
        "        NUM_CLASSES, kernel_initializer=keras.initializers.GlorotUniform(seed=SEED + 60),\n"
        '        name="logits",\n'
        "    )(x)\n"
        '    outputs = keras.layers.Activation("softmax", name="probabilities")(logits)\n'
        '    return keras.Model(inputs, outputs, name="cnn")'
    )


def _compile_code(config: CNNConfig) -> str:
    optimizer = {"adam": "Adam", "sgd": "SGD", "rmsprop": "RMSprop"}[config.optimizer]
    return (
        "def compile_model(model):\n"
        "    model.compile(\n"
        f"        optimizer=keras.optimizers.{optimizer}(learning_rate=LEARNING_RATE),\n"
        '        loss="sparse_categorical_crossentropy",\n'
        '        metrics=["accuracy"],\n'
        "    )\n"
        "    return model"
    )


def code_cnn(config: CNNConfig) -> str:
    """A standalone script (NumPy, Keras, scikit-learn) reproducing :func:`train_cnn`.

    Example:
        >>> code = code_cnn(CNNConfig())
        >>> "model.fit(" in code and "dlcore" not in code
        True
    """
    input_shape, num_classes = DATASET_SHAPES.get(config.dataset, ((8, 8, 1), 10))
    units = dense_hidden_units(
        int(np.prod(input_shape)),
        num_classes,
        _cnn_graph(config, input_shape, num_classes).count_params(),
    )
    parts = [
        codegen.header(
            f"A small convolutional network on {config.dataset}",
            "Generated by the deep-learning dashboard: trains the CNN of the page "
            "with model.fit on the same data split, initial weights and batches"
            + (
                ", then a Dense network with about as many parameters, and "
                "compares how both cope with shifted images."
                if config.baseline
                else "."
            )  # fmt: skip
            + " Needs numpy, keras (TensorFlow backend) and scikit-learn.",
        ),
        "import numpy as np\nimport keras",
        codegen.constants(
            SEED=config.seed,
            VAL_FRACTION=0.25,
            NUM_BLOCKS=config.num_blocks,
            FILTERS=config.filters,
            KERNEL_SIZE=config.kernel_size,
            DROPOUT=config.dropout,
            LEARNING_RATE=config.learning_rate,
            EPOCHS=config.epochs,
            BATCH_SIZE=config.batch_size,
            NUM_CLASSES=num_classes,
        ),  # fmt: skip
        "# --- data: the held-out split (x_val) is the test set ---\n"
        + codegen.dataset_code(config.dataset),
        _SCRIPT_FIT,
        _compile_code(config),
        "# --- the CNN: (conv -> ReLU -> pool) blocks, then a linear classifier ---\n"
        + _cnn_model_code(config),
        "model = compile_model(build_cnn())\n"
        "model.summary()\n"
        "history = fit(model, x_train, y_train, EPOCHS, BATCH_SIZE, SEED, (x_val, y_val))\n"
        "probabilities = model.predict(x_val, verbose=0)\n"
        "predicted = probabilities.argmax(axis=1)\n"
        'print(f"CNN test accuracy: {np.mean(predicted == y_val):.4f}")\n'
        "confusion = np.zeros((NUM_CLASSES, NUM_CLASSES), dtype=int)\n"
        "np.add.at(confusion, (y_val, predicted), 1)  # rows: true, columns: predicted\n"
        "print(confusion)",
    ]
    if config.baseline:
        dropout = (
            '    keras.layers.Dropout(DROPOUT, seed=SEED + 50, name="dropout"),\n'
            if config.dropout > 0
            else ""
        )
        augment = "".join(
            f"    {_AUGMENTATION_CODE[name].format(seed=101 + i)},\n"
            for i, name in enumerate(AUGMENTATIONS)
            if name in config.augmentation
        )  # the same random augmentation as the CNN: only the architecture differs
        parts += [
            f"# --- a Dense network with about as many parameters ({units} hidden units) ---\n"
            "dense = compile_model(keras.Sequential([\n"
            '    keras.Input(shape=x_train.shape[1:], name="image"),\n'
            + augment
            + '    keras.layers.Flatten(name="flatten"),\n'
            f'    keras.layers.Dense({units}, activation="relu", name="dense1",\n'
            "        kernel_initializer=keras.initializers.HeUniform(seed=SEED + 1)),\n"
            + dropout
            + '    keras.layers.Dense(NUM_CLASSES, name="logits",\n'
            "        kernel_initializer=keras.initializers.GlorotUniform(seed=SEED + 60)),\n"
            '    keras.layers.Activation("softmax", name="probabilities"),\n'
            '], name="dense"))\n'
            'print("parameters: CNN", model.count_params(), "Dense", dense.count_params())\n'
            "fit(dense, x_train, y_train, EPOCHS, BATCH_SIZE, SEED, (x_val, y_val))",
            "# --- shift the test images sideways: which network copes better? ---\n"
            + codegen.source(shift_images),
            "limit = max(1, x_val.shape[2] * 3 // 8)  # up to 3/8 of the width\n"
            "for k in range(-limit, limit + 1):\n"
            "    shifted = shift_images(x_val, k)\n"
            "    accuracy = [\n"
            "        np.mean(m.predict(shifted, verbose=0).argmax(axis=1) == y_val)\n"
            "        for m in (model, dense)\n"
            "    ]\n"
            '    print(f"shift {k:+d}: CNN {accuracy[0]:.3f}  Dense {accuracy[1]:.3f}")',
        ]
    return codegen.script(*parts)


def code_transfer(config: TransferConfig) -> str:
    """A standalone script reproducing :func:`train_transfer` with ``model.fit``.

    Example:
        >>> code = code_transfer(TransferConfig())
        >>> "trainable = False" in code and "dlcore" not in code
        True
    """
    cnn_config = config.cnn_config()
    return codegen.script(
        codegen.header(
            "Transfer learning on the digits",
            "Generated by the deep-learning dashboard: pretrains a small CNN on "
            f"digits {_digits(config.source_classes)}, then learns digits "
            f"{_digits(config.target_classes)} from a few images with the "
            "pretrained convolutions frozen, with the top block fine-tuned, and "
            "from scratch. Needs numpy, keras (TensorFlow backend) and scikit-learn.",
        ),
        "from collections.abc import Sequence\n\nimport numpy as np\nimport keras",
        codegen.constants(
            SEED=config.seed,
            VAL_FRACTION=0.25,
            NUM_BLOCKS=config.num_blocks,
            FILTERS=config.filters,
            KERNEL_SIZE=3,
            DROPOUT=0.0,
            LEARNING_RATE=config.learning_rate,
            BATCH_SIZE=config.batch_size,
            SOURCE_CLASSES=tuple(config.source_classes),
            TARGET_CLASSES=tuple(config.target_classes),
            TRAIN_SIZES=tuple(config.train_sizes),
            STRATEGIES=tuple(config.strategies),
            PRETRAIN_EPOCHS=config.pretrain_epochs,
            NUM_STEPS=config.num_steps,  # the same compute for every training-set size
        ),  # fmt: skip
        codegen.dataset_code("digits"),
        codegen.source(_select, stratified_subset).replace("_select", "select"),
        _SCRIPT_FIT,
        _compile_code(cnn_config),
        _cnn_model_code(cnn_config),
        "# --- 1. pretrain on the source digits ---\n"
        "NUM_CLASSES = len(SOURCE_CLASSES)\n"
        "base = compile_model(build_cnn())\n"
        "xs, ys = select(x_train, y_train, SOURCE_CLASSES)\n"
        "fit(base, xs, ys, PRETRAIN_EPOCHS, BATCH_SIZE, SEED)\n"
        "xs_test, ys_test = select(x_val, y_val, SOURCE_CLASSES)\n"
        "accuracy = np.mean(base.predict(xs_test, verbose=0).argmax(1) == ys_test)\n"
        'print(f"pretrained on {SOURCE_CLASSES}: test accuracy {accuracy:.3f}")',
        "# --- 2. learn the target digits from few images, three ways ---\n"
        "NUM_CLASSES = len(TARGET_CLASSES)\n"
        "xt, yt = select(x_train, y_train, TARGET_CLASSES)\n"
        "xt_test, yt_test = select(x_val, y_val, TARGET_CLASSES)\n"
        "# Each run cycles through its images up to max(TRAIN_SIZES) per epoch, so all\n"
        "# runs take the same number of gradient steps (about NUM_STEPS).\n"
        "LENGTH = max(TRAIN_SIZES)\n"
        "EPOCHS = max(1, round(NUM_STEPS / -(-LENGTH // BATCH_SIZE)))\n"
        "run = 0\n"
        "for size in TRAIN_SIZES:\n"
        "    for strategy in STRATEGIES:\n"
        "        run += 1\n"
        "        model = build_cnn()  # a new classifier for the new classes\n"
        "        convs = [l for l in model.layers if isinstance(l, keras.layers.Conv2D)]\n"
        '        if strategy != "scratch":\n'
        "            for layer in convs:  # copy the pretrained convolutions\n"
        "                layer.set_weights(base.get_layer(layer.name).get_weights())\n"
        '            frozen = convs if strategy == "frozen" else convs[:-1]\n'
        "            for layer in frozen:\n"
        "                layer.trainable = False  # before compile()\n"
        "        compile_model(model)\n"
        "        subset = np.resize(stratified_subset(yt, size, seed=SEED), LENGTH)\n"
        "        fit(model, xt[subset], yt[subset], EPOCHS, BATCH_SIZE, SEED + run)\n"
        "        accuracy = np.mean(model.predict(xt_test, verbose=0).argmax(1) == yt_test)\n"
        '        print(f"{size:4d} images, {strategy:9s}: test accuracy {accuracy:.3f}")',
    )


def classes_text(classes: Sequence[int]) -> str:
    """Digits as shown to the learner: a range ``"5–9"`` or a list ``"1, 3"``.

    Example:
        >>> classes_text((5, 6, 7, 8, 9)), classes_text((1, 3))
        ('5–9', '1, 3')
    """
    return "–".join((str(min(classes)), str(max(classes)))) if list(classes) == list(
        range(min(classes), max(classes) + 1)) else ", ".join(map(str, classes))  # fmt: skip


_digits = classes_text
