"""Turn an uploaded picture into a small grayscale array a CNN can read.

Uploads are untrusted: :func:`load_image` accepts only PNG and JPEG, checks the
byte size and the pixel size *before* decoding (so a tiny file that claims to
be 100 000 × 100 000 pixels is rejected without allocating anything), and
reports every problem as an :class:`ImageError` whose message says what
happened and what is expected.

>>> import io
>>> from PIL import Image
>>> buffer = io.BytesIO()
>>> Image.new("L", (40, 20), color=255).save(buffer, format="PNG")
>>> image = load_image(buffer.getvalue(), size=8)
>>> image.shape, image.dtype, float(image.max())
((8, 8), dtype('float32'), 1.0)
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from dlcore.i18n import t

#: Largest accepted upload, in bytes.
MAX_BYTES = 5 * 1024 * 1024
#: Largest accepted width or height, in pixels.
MAX_SIDE = 4096
#: Formats Pillow may decode here (Pillow's names).
FORMATS: tuple[str, ...] = ("PNG", "JPEG")


class ImageError(ValueError):
    """An upload that is not a usable PNG/JPEG picture (the message says why).

    ``str(error)`` is the English message; ``error.message("zh")`` translates
    it (``key`` and ``params`` index the catalogue in ``dlcore.i18n.cnn``).
    """

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        """The message in ``lang`` (``"en"`` or ``"zh"``)."""
        return t(self.key, lang, **self.params)


def load_image(data: bytes, size: int = 28) -> np.ndarray:
    """Decode PNG/JPEG bytes into a ``(size, size)`` grayscale array in ``[0, 1]``.

    The picture is converted to grayscale (transparent pixels become white, as
    on a page), padded to a square with its own border colour so that the
    aspect ratio is kept, and resized with an anti-aliasing filter. Values are
    ``0.0`` for black and ``1.0`` for white; see :func:`ink_on_dark` to match
    datasets that draw bright strokes on a dark background.

    Args:
        data: The raw bytes of the uploaded file.
        size: Side length of the returned square image, in pixels.

    Returns:
        A float32 array of shape ``(size, size)`` with values in ``[0, 1]``.

    Raises:
        ImageError: If the bytes are empty, larger than :data:`MAX_BYTES`, not a
            PNG or JPEG, larger than :data:`MAX_SIDE` pixels on a side, or
            cannot be decoded.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ImageError("cnn.img.not_bytes", kind=type(data).__name__)
    if not 1 <= size <= 512:
        raise ValueError(f"size must be between 1 and 512 pixels, got {size}")
    data = bytes(data)
    if not data:
        raise ImageError("cnn.img.empty")
    if len(data) > MAX_BYTES:
        raise ImageError(
            "cnn.img.too_many_bytes",
            megabytes=len(data) / 2**20,
            limit=MAX_BYTES // 2**20,
        )
    picture = _open(data)
    try:
        picture.load()  # decode now, so a truncated file fails here
        picture = ImageOps.exif_transpose(picture)
        gray = _to_gray(picture)
    except (OSError, ValueError, SyntaxError) as error:
        raise ImageError(
            "cnn.img.damaged", format=picture.format, reason=str(error)
        ) from error
    square = _pad_to_square(gray)
    small = square.resize((size, size), Image.Resampling.LANCZOS)
    return np.clip(np.asarray(small, dtype=np.float32) / 255.0, 0.0, 1.0)


def _open(data: bytes) -> Image.Image:
    """Open ``data`` lazily (header only) and check format and pixel size."""
    try:
        picture = Image.open(io.BytesIO(data), formats=None)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise ImageError("cnn.img.unreadable") from error
    except Image.DecompressionBombError as error:
        raise ImageError(
            "cnn.img.too_large", width="?", height="?", limit=MAX_SIDE
        ) from error
    if picture.format not in FORMATS:
        raise ImageError("cnn.img.bad_format", format=picture.format)
    width, height = picture.size
    if width > MAX_SIDE or height > MAX_SIDE:
        raise ImageError(
            "cnn.img.too_large", width=width, height=height, limit=MAX_SIDE
        )
    if width < 1 or height < 1:
        raise ImageError("cnn.img.no_pixels")
    return picture


def _to_gray(picture: Image.Image) -> Image.Image:
    """Grayscale ``"L"`` image; transparency is composited onto white."""
    if picture.mode in ("RGBA", "LA", "PA") or (
        picture.mode == "P" and "transparency" in picture.info
    ):
        rgba = picture.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        picture = Image.alpha_composite(background, rgba)
    if picture.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        values = np.asarray(picture, dtype=np.float64)
        span = float(values.max() - values.min()) or 1.0
        scaled = (values - values.min()) / span * 255.0
        return Image.fromarray(scaled.astype(np.uint8), mode="L")
    return picture.convert("L")


def _pad_to_square(gray: Image.Image) -> Image.Image:
    """Centre ``gray`` on a square canvas filled with its median border value."""
    width, height = gray.size
    if width == height:
        return gray
    pixels = np.asarray(gray)
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    side = max(width, height)
    canvas = Image.new("L", (side, side), int(np.median(border)))
    canvas.paste(gray, ((side - width) // 2, (side - height) // 2))
    return canvas


def ink_on_dark(image: np.ndarray) -> np.ndarray:
    """Invert ``image`` if it shows dark ink on a bright background.

    Digit datasets (MNIST, scikit-learn digits) store bright strokes on a black
    background, while a photo of handwriting is dark on white. The border
    decides: if its mean is above 0.5 the image is inverted.

    Args:
        image: A 2-D array with values in ``[0, 1]``.

    Returns:
        An array of the same shape, bright strokes on a dark background.

    Example:
        >>> ink_on_dark(np.array([[1.0, 1.0], [1.0, 0.0]], dtype=np.float32))
        array([[0., 0.],
               [0., 1.]], dtype=float32)
    """
    image = np.asarray(image, dtype=np.float32)
    border = np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]])
    return (1.0 - image) if float(border.mean()) > 0.5 else image
