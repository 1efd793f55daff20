"""Turn an uploaded picture into a small grayscale array a CNN can read.

Uploads are untrusted. :func:`load_image` accepts only PNG and JPEG and reads
the file's *header* first: the byte size, the format (from the file's first
bytes, not its name), the pixel size and the bit depth are all checked before
a single pixel is decoded, so a 32 KB file that claims to be 4096 × 4096
pixels at 16 bits (32 MB to decode) or 100 000 × 100 000 pixels (a
decompression bomb) is refused without allocating anything. Every refusal is
an :class:`ImageError` whose message says what the file is (its real size and
bit depth, or that its size is unreadable) and what is expected.

Decoding is done once per upload: :func:`load_image` keeps a small, bounded,
thread-safe cache keyed by the SHA-256 of the bytes (and the output size), so
the reruns of a page (every click) do not decode the same picture again;
:func:`decode_count` counts the real decodes. A JPEG is decoded at a reduced
scale when it is much larger than needed (``draft``: 1/2, 1/4 or 1/8 of its
size, by the decoder itself), so a phone photo costs a fraction of its size.

>>> import io
>>> from PIL import Image
>>> buffer = io.BytesIO()
>>> Image.new("L", (40, 20), color=255).save(buffer, format="PNG")
>>> image = load_image(buffer.getvalue(), size=8)
>>> image.shape, image.dtype, float(image.max())
((8, 8), dtype('float32'), 1.0)
"""

from __future__ import annotations

import hashlib
import io
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps, JpegImagePlugin, PngImagePlugin

from dlcore.i18n import t

#: Largest accepted upload, in bytes.
MAX_BYTES = 5 * 1024 * 1024
#: Largest accepted width or height, in pixels.
MAX_SIDE = 4096
#: Largest accepted decoded size, pixels × bytes per pixel (16 MB: 4096 × 4096
#: at 8 bits, 2896 × 2896 at 16 bits, about 2048 × 2048 in RGBA colour).
MAX_DECODED_BYTES = 16 * 1024 * 1024
#: Formats decoded here (Pillow's names).
FORMATS: tuple[str, ...] = ("PNG", "JPEG")
#: How many decoded uploads :func:`load_image` keeps (each is at most 512² floats).
CACHE_ENTRIES = 64

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
#: Other formats recognised by their first bytes, to name them in the message.
_OTHER_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"%PDF", "PDF"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"8BPS", "PSD"),
)
#: Samples per pixel of each PNG colour type (grey, RGB, palette, grey+alpha, RGBA).
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


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


@dataclass(frozen=True)
class Header:
    """What a file's header says, read without decoding a pixel.

    Attributes:
        format: ``"PNG"`` or ``"JPEG"``.
        width, height: The size in pixels.
        bits: Bits per pixel as stored (16 for a 16-bit grey PNG, 24 for RGB).
    """

    format: str
    width: int
    height: int
    bits: int

    @property
    def decoded_bytes(self) -> int:
        """Memory of the decoded pixels: pixels × whole bytes per pixel."""
        return self.width * self.height * max(1, math.ceil(self.bits / 8))


def sniff(data: bytes) -> str | None:
    """The format the first bytes announce: ``"PNG"``, ``"JPEG"``, ``"SVG"``,
    another picture format's name, or None (not a known picture).

    Example:
        >>> sniff(b"GIF89a..."), sniff(b"<?xml version='1.0'?><svg/>"), sniff(b"hi")
        ('GIF', 'SVG', None)
    """
    if data.startswith(_PNG):
        return "PNG"
    if data.startswith(_JPEG):
        return "JPEG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"avif"):
        return "AVIF" if data[8:12] == b"avif" else "HEIC"
    for magic, name in _OTHER_MAGIC:
        if data.startswith(magic):
            return name
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<svg", b"<?xml", b"<!doctype svg")) and b"<svg" in head:
        return "SVG"
    return None


def read_header(data: bytes) -> Header:
    """The format, size and bit depth of a PNG or JPEG, from its header only.

    Raises:
        ImageError: ``cnn.img.empty``, ``cnn.img.svg``, ``cnn.img.bad_format``
            (another picture format), ``cnn.img.unreadable`` (not a picture) or
            ``cnn.img.no_size`` (a PNG/JPEG whose size cannot be read).

    Example:
        >>> png = _PNG + bytes([0, 0, 0, 13]) + b"IHDR" + (4096).to_bytes(4, "big")
        >>> read_header(png + (4096).to_bytes(4, "big") + bytes([16, 0, 0, 0, 0]))
        Header(format='PNG', width=4096, height=4096, bits=16)
    """
    if not data:
        raise ImageError("cnn.img.empty")
    kind = sniff(data)
    if kind == "SVG":
        raise ImageError("cnn.img.svg")
    if kind is None:
        raise ImageError("cnn.img.unreadable")
    if kind not in FORMATS:
        raise ImageError("cnn.img.bad_format", format=kind)
    if kind == "PNG":  # IHDR is the first chunk: width, height, depth, colour type
        if len(data) < 26 or data[12:16] != b"IHDR":
            raise ImageError("cnn.img.no_size", format=kind)
        width = int.from_bytes(data[16:20], "big")
        height = int.from_bytes(data[20:24], "big")
        depth, colour = data[24], data[25]
        if colour not in _PNG_CHANNELS or depth not in (1, 2, 4, 8, 16):
            raise ImageError("cnn.img.no_size", format=kind)
        return Header(kind, width, height, depth * _PNG_CHANNELS[colour])
    picture = open_jpeg(data)
    width, height = picture.size
    return Header(kind, width, height, picture.bits * picture.layers)


def open_jpeg(data: bytes) -> JpegImagePlugin.JpegImageFile:
    """The JPEG plugin itself: it reads the markers up to the pixels, and (unlike
    ``Image.open``) no global decompression-bomb limit is involved.

    Raises:
        ImageError: ``cnn.img.no_size`` when the bytes are not a readable JPEG.
    """
    try:
        return JpegImagePlugin.JpegImageFile(io.BytesIO(data))
    except (OSError, ValueError, SyntaxError, EOFError, IndexError) as error:
        raise ImageError("cnn.img.no_size", format="JPEG") from error


def check_header(header: Header, decoded_bytes: int | None = None) -> None:
    """Refuse a picture too large to decode here, saying its real size.

    Args:
        header: What the file's header says.
        decoded_bytes: The memory the decode will really take, when it is less
            than ``header.decoded_bytes`` (a JPEG decoded at a reduced scale).

    Raises:
        ImageError: ``cnn.img.no_pixels``, ``cnn.img.too_large`` (a side above
            :data:`MAX_SIDE`) or ``cnn.img.too_big`` (more than
            :data:`MAX_DECODED_BYTES` once decoded).
    """
    width, height = header.width, header.height
    if width < 1 or height < 1:
        raise ImageError("cnn.img.no_pixels")
    if width > MAX_SIDE or height > MAX_SIDE:
        raise ImageError(
            "cnn.img.too_large",
            width=width,
            height=height,
            bits=header.bits,
            limit=MAX_SIDE,
        )
    need = header.decoded_bytes if decoded_bytes is None else decoded_bytes
    if need > MAX_DECODED_BYTES:
        raise ImageError(
            "cnn.img.too_big",
            width=width,
            height=height,
            bits=header.bits,
            megabytes=need / 2**20,
            limit=MAX_DECODED_BYTES // 2**20,
        )


def _open(data: bytes, size: int) -> Image.Image:
    """The picture, opened lazily, after every header check (nothing decoded).

    A large JPEG is set to decode at 1/2, 1/4 or 1/8 scale (at least ``8·size``
    pixels a side remain) and, if it is in colour, straight to grayscale; the
    memory limit applies to that reduced decode.
    """
    header = read_header(data)
    if header.format == "PNG":
        check_header(header)
        try:
            picture: Image.Image = PngImagePlugin.PngImageFile(io.BytesIO(data))
        except (OSError, ValueError, SyntaxError, EOFError) as error:
            raise ImageError(
                "cnn.img.damaged", format="PNG", reason=str(error)
            ) from error
        if picture.size != (header.width, header.height):
            raise ImageError("cnn.img.no_size", format="PNG")
        return picture
    check_header(header, decoded_bytes=0)  # the size limits first
    picture = open_jpeg(data)
    reach = max(8 * size, 64)
    picture.draft("L" if picture.mode in ("RGB", "YCbCr") else None, (reach, reach))
    width, height = picture.size
    check_header(header, decoded_bytes=width * height * len(picture.getbands()))
    return picture


def _decode(data: bytes, size: int) -> np.ndarray:
    picture = _open(data, size)
    fmt = picture.format
    _CACHE.count()
    try:
        picture.load()  # decode now, so a truncated file fails here
        picture = ImageOps.exif_transpose(picture)
        gray = _to_gray(picture)
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise ImageError("cnn.img.damaged", format=fmt, reason=str(error)) from error
    square = _pad_to_square(gray)
    small = square.resize((size, size), Image.Resampling.LANCZOS)
    image = np.clip(np.asarray(small, dtype=np.float32) / 255.0, 0.0, 1.0)
    image.flags.writeable = False
    return image


def load_image(data: bytes, size: int = 28) -> np.ndarray:
    """Decode PNG/JPEG bytes into a ``(size, size)`` grayscale array in ``[0, 1]``.

    The picture is converted to grayscale (transparent pixels become white, as
    on a page), padded to a square with its own border colour so that the
    aspect ratio is kept, and resized with an anti-aliasing filter. Values are
    ``0.0`` for black and ``1.0`` for white; see :func:`ink_on_dark` to match
    datasets that draw bright strokes on a dark background.

    The same bytes and size are decoded once: the result (or the refusal) is
    kept in a bounded cache keyed by the bytes' SHA-256; concurrent calls with
    the same upload wait for the one decode.

    Args:
        data: The raw bytes of the uploaded file.
        size: Side length of the returned square image, in pixels.

    Returns:
        A new float32 array of shape ``(size, size)`` with values in ``[0, 1]``.

    Raises:
        ImageError: If the bytes are empty, larger than :data:`MAX_BYTES`, not a
            PNG or JPEG, larger than :data:`MAX_SIDE` pixels on a side or
            :data:`MAX_DECODED_BYTES` once decoded, or cannot be decoded.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ImageError("cnn.img.not_bytes", kind=type(data).__name__)
    if not 1 <= size <= 512:
        raise ValueError(f"size must be between 1 and 512 pixels, got {size}")
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise ImageError(
            "cnn.img.too_many_bytes",
            megabytes=len(data) / 2**20,
            limit=MAX_BYTES // 2**20,
        )
    key = (hashlib.sha256(data).hexdigest(), size)
    return _CACHE.get(key, lambda: _decode(data, size)).copy()


def decode_count() -> int:
    """How many pictures :func:`load_image` has decoded (not served from cache)."""
    return _CACHE.decodes


def clear_cache() -> None:
    """Forget every decoded upload (tests; the count is kept)."""
    _CACHE.clear()


class DecodeCache:
    """A bounded LRU of decode outcomes (an array or an :class:`ImageError`);
    one decode per key even when several threads ask at once."""

    def __init__(self, entries: int) -> None:
        self._entries = entries
        self._lock = threading.Lock()
        self._done: OrderedDict[tuple, tuple[bool, object]] = OrderedDict()
        self._busy: dict[tuple, threading.Event] = {}
        self.decodes = 0

    def count(self) -> None:
        with self._lock:
            self.decodes += 1

    def clear(self) -> None:
        with self._lock:
            self._done.clear()

    def get(self, key: tuple, compute: Callable[[], np.ndarray]) -> np.ndarray:
        while True:
            with self._lock:
                if key in self._done:
                    self._done.move_to_end(key)
                    ok, value = self._done[key]
                    break
                event = self._busy.get(key)
                owner = event is None
                if owner:
                    event = self._busy[key] = threading.Event()
            if not owner:
                event.wait()
                continue  # the owner stored the outcome (or failed: try again)
            outcome = None
            try:
                outcome = (True, compute())
            except ImageError as error:
                outcome = (False, error)
            finally:
                with self._lock:
                    if outcome is not None:
                        self._done[key] = outcome
                        while len(self._done) > self._entries:
                            self._done.popitem(last=False)
                    del self._busy[key]
                event.set()
            ok, value = outcome
            break
        if not ok:
            raise value  # type: ignore[misc]
        return value  # type: ignore[return-value]


_CACHE = DecodeCache(CACHE_ENTRIES)


def _to_gray(picture: Image.Image) -> Image.Image:
    """Grayscale ``"L"`` image; transparency is composited onto white."""
    if picture.mode in ("RGBA", "LA", "PA") or (
        picture.mode == "P" and "transparency" in picture.info
    ):
        rgba = picture.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        picture = Image.alpha_composite(background, rgba)
    if picture.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        values = np.asarray(picture).astype(np.float32)
        low, high = float(values.min()), float(values.max())
        values -= low
        values *= 255.0 / ((high - low) or 1.0)
        return Image.fromarray(values.astype(np.uint8), mode="L")
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
