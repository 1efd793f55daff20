"""Convolution by hand (卷积): the arithmetic, kernels and a step-through.

Pure NumPy, no TensorFlow: output sizes and padding exactly as Keras /
TensorFlow compute them, kernel presets and custom-kernel validation, and one
convolution or pooling computed one output cell at a time (the receptive
window, the element-wise products and their sum, or the max / mean). The
tests check every result against ``tf.nn.conv2d`` and the Keras layers.

A note that trips up most learners: what deep-learning libraries call
"convolution" is *cross-correlation*. ``tf.nn.conv2d`` slides the kernel over
the input as it is, without the 180° flip of the mathematical convolution.
Because the kernel is learned, the flip makes no difference to what a network
can learn; it only matters when you copy a kernel from a signal-processing book
(see :func:`flip_kernel`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dlcore.i18n import t

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
        latex: ``True`` for a LaTeX string (``st.latex``), one short step
            per line (``aligned``) so that it fits a 390 px phone; ``False``
            for plain Unicode text on one line.

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
                r"\begin{aligned} o &= \left\lceil \frac{n}{s} \right\rceil = "
                rf"\left\lceil \frac{{{n}}}{{{s}}} \right\rceil = {out} \\ "
                r"p &= \max\big((o - 1)\cdot s + k - n,\ 0\big) \\ "
                rf"&= \max\big(({out} - 1)\cdot {s} + {k} - {n},\ 0\big) \\ "
                rf"&= {before + after} = {before} + {after} \end{{aligned}}"
            )
        return (
            f"⌈n / s⌉ = ⌈{n} / {s}⌉ = {out};  p = max(({out} − 1)·{s} + {k} − {n}, 0)"
            f" = {before + after} = {before} + {after}"
        )
    p = 0 if padding == "valid" else int(padding)
    if latex:
        return (
            r"\begin{aligned} o &= \left\lfloor \frac{n + 2p - k}{s} \right\rfloor"
            r" + 1 \\ "
            rf"&= \left\lfloor \frac{{{n} + 2\cdot {p} - {k}}}{{{s}}} \right\rfloor + 1"
            rf" = {out} \end{{aligned}}"
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
        "conv",
        image,
        padded,
        pads,
        window,
        strides,
        padding,
        kernel,
        output,
        tuple(steps),
    )


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
        mode,
        image,
        padded,
        pads,
        window,
        strides,
        padding,
        None,
        output,
        tuple(steps),
    )
