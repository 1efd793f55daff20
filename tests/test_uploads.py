"""Hostile and odd uploads (issue 16): every file is a picture or a clear message.

The corpus is generated here. Oracles: Pillow decoding the accepted files the
plain way (``Image.open(...).convert("L")``), the sizes written into the
headers, and a decode counter (one decode per upload across reruns).
"""

from __future__ import annotations

import io
import struct
import threading
import zlib

import numpy as np
import pytest
from conftest import exceptions
from PIL import Image

from dlcore import images
from ui import state

# --- the corpus -------------------------------------------------------------------


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def _chunk(tag: bytes, body: bytes) -> bytes:
    crc = struct.pack(">I", zlib.crc32(tag + body))
    return struct.pack(">I", len(body)) + tag + body + crc


def _png(width: int, height: int, depth: int, colour: int, rows: int = 0) -> bytes:
    """A hand-made PNG: the header says ``width × height``; ``rows`` rows of
    zeros are really compressed (all of them: a valid decompression bomb)."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    row = bytes(1 + width * channels * depth // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(rows)) + packer.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return (
        images._PNG
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", body)
        + _chunk(b"IEND", b"")
    )


def _sixteen_bit(side: int) -> bytes:
    pixels = np.zeros((side, side), np.uint16)
    pixels[side // 4 : side // 2, side // 4 : side // 2] = 60000
    return _encode(Image.fromarray(pixels), "PNG")


def _animated_gif() -> bytes:
    frames = [Image.new("L", (16, 16), v) for v in (0, 255)]
    return _encode(frames[0], "GIF", save_all=True, append_images=frames[1:])


def _cmyk_jpeg() -> bytes:
    picture = Image.new("CMYK", (32, 32), (0, 0, 0, 0))  # white paper
    picture.paste((0, 0, 0, 255), (0, 0, 16, 32))  # black left half
    return _encode(picture, "JPEG", quality=95)


def _palette_with_transparency() -> bytes:
    picture = Image.new("P", (20, 20), 0)
    picture.putpalette([0, 0, 0, 0, 0, 0] + [0] * 762)  # index 0 and 1: black
    picture.paste(1, (5, 5, 15, 15))  # an opaque black square
    return _encode(picture, "PNG", transparency=0)  # index 0 is see-through


def _grey_alpha() -> bytes:
    picture = Image.new("LA", (20, 20), (0, 0))  # black but fully transparent
    picture.paste((0, 255), (5, 5, 15, 15))  # an opaque black square
    return _encode(picture, "PNG")


def _huge_jpeg_header() -> bytes:
    """A small JPEG whose frame header (SOF0) claims 60 000 × 50 000 pixels."""
    data = bytearray(_encode(Image.new("L", (16, 16), 128), "JPEG"))
    at = data.index(b"\xff\xc0")
    data[at + 5 : at + 9] = struct.pack(">HH", 50000, 60000)  # height, width
    return bytes(data)


SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<rect width="10" height="10"/></svg>'
)

#: name → (bytes factory, the ImageError key, or None for an accepted picture,
#: text the English message must contain).
CORPUS = {
    "empty": (lambda: b"", "cnn.img.empty", "empty"),
    "svg": (lambda: SVG, "cnn.img.svg", "SVG"),
    "16bit_4096": (
        lambda: _sixteen_bit(4096),
        "cnn.img.too_big",
        "4096 × 4096 pixels, 16-bit: 32 MB",
    ),
    "bomb_png": (
        lambda: _png(16384, 16384, 8, 0, rows=16384),
        "cnn.img.too_large",
        "16384 × 16384 pixels (8-bit)",
    ),
    "bomb_png_rgba_in_sides": (
        lambda: _png(4096, 4096, 8, 6),
        "cnn.img.too_big",
        "4096 × 4096 pixels, 32-bit: 64 MB",
    ),
    "bomb_jpeg_header": (
        _huge_jpeg_header,
        "cnn.img.too_large",
        "60000 × 50000 pixels",
    ),
    "png_header_cut": (lambda: images._PNG + b"\x00\x00", "cnn.img.no_size", "size"),
    "truncated_png": (
        lambda: _encode(Image.effect_noise((64, 64), 60), "PNG")[:400],
        "cnn.img.damaged",
        "PNG file could not be decoded",
    ),
    "text_renamed_png": (
        lambda: b"hello, this is a note\n",
        "cnn.img.unreadable",
        "not a picture",
    ),
    "animated_gif": (_animated_gif, "cnn.img.bad_format", "GIF"),
    "webp": (
        lambda: _encode(Image.new("RGB", (8, 8)), "WEBP"),
        "cnn.img.bad_format",
        "WEBP",
    ),
    "cmyk_jpeg": (_cmyk_jpeg, None, ""),
    "palette_transparency": (_palette_with_transparency, None, ""),
    "one_pixel": (lambda: _encode(Image.new("L", (1, 1), 40), "PNG"), None, ""),
    "grey_alpha": (_grey_alpha, None, ""),
    "16bit_2048": (lambda: _sixteen_bit(2048), None, ""),
    "phone_jpeg": (
        lambda: _encode(Image.new("RGB", (4032, 3024), (250, 250, 250)), "JPEG"),
        None,
        "",
    ),
}


def _plain_decode(data: bytes, size: int) -> np.ndarray:
    """The oracle: Pillow's ordinary path (alpha onto white, luma), no limits."""
    picture = Image.open(io.BytesIO(data))
    if picture.mode in ("LA", "P", "RGBA"):
        rgba = picture.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        picture = Image.alpha_composite(white, rgba)
    if picture.mode == "I;16":
        values = np.asarray(picture, dtype=np.float64)
        values = (values - values.min()) / (np.ptp(values) or 1.0) * 255
        picture = Image.fromarray(values.astype(np.uint8))
    gray = picture.convert("L")
    side = max(gray.size)
    square = Image.new("L", (side, side), 255)
    square.paste(gray, ((side - gray.width) // 2, (side - gray.height) // 2))
    return np.asarray(square.resize((size, size), Image.Resampling.LANCZOS)) / 255.0


@pytest.mark.parametrize("name", list(CORPUS))
def test_every_upload_is_a_picture_or_a_clear_message(name):
    make, key, says = CORPUS[name]
    data = make()
    images.clear_cache()
    if key is None:
        image = images.load_image(data, size=8)
        assert image.shape == (8, 8) and image.dtype == np.float32
        assert 0.0 <= image.min() <= image.max() <= 1.0
        np.testing.assert_allclose(image, _plain_decode(data, 8), atol=0.05)
        return
    with pytest.raises(images.ImageError) as info:
        images.load_image(data, size=8)
    assert info.value.key == key
    english, chinese = info.value.message("en"), info.value.message("zh")
    assert says in english, english
    assert "?" not in english and "{" not in english + chinese
    assert chinese != english and ("PNG" in chinese or "像素" in chinese)


def test_the_pixel_size_and_bits_are_read_from_the_header_without_decoding():
    before = images.decode_count()
    header = images.read_header(CORPUS["16bit_4096"][0]())
    assert header == images.Header("PNG", 4096, 4096, 16)
    assert header.decoded_bytes == 32 * 2**20
    for name in ("16bit_4096", "bomb_png", "bomb_png_rgba_in_sides", "svg"):
        with pytest.raises(images.ImageError):
            images.load_image(CORPUS[name][0]())
    assert images.decode_count() == before  # refused before a pixel was decoded
    message = images.ImageError(
        "cnn.img.too_large", width=16384, height=16384, bits=8, limit=4096
    ).message("zh")
    assert "16384 × 16384" in message


def test_a_large_jpeg_is_decoded_at_a_reduced_scale_within_the_limit():
    """A 12-megapixel photo (36 MB as RGB) fits: the decoder reads 1/8 of it."""
    picture = Image.new("RGB", (4032, 3024), (255, 255, 255))
    picture.paste((0, 0, 0), (1500, 1000, 2500, 2000))
    data = _encode(picture, "JPEG")
    opened = images._open(data, 28)
    assert opened.size == (504, 378) and opened.mode == "L"
    image = images.load_image(data, size=28)
    np.testing.assert_allclose(image, _plain_decode(data, 28), atol=0.1)


def test_each_upload_is_decoded_once_also_when_threads_race():
    data = _encode(Image.effect_noise((300, 200), 50), "PNG")
    images.clear_cache()
    before = images.decode_count()
    results: list[np.ndarray] = []
    threads = [
        threading.Thread(target=lambda: results.append(images.load_image(data, 12)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert images.decode_count() == before + 1
    assert len(results) == 8 and all(np.array_equal(r, results[0]) for r in results)
    results[0][0, 0] = -1.0  # each caller gets its own copy
    assert images.load_image(data, 12)[0, 0] != -1.0
    # A refusal found while decoding is remembered too (no second decode).
    broken = CORPUS["truncated_png"][0]()
    for _ in range(3):
        with pytest.raises(images.ImageError):
            images.load_image(broken, 12)
    assert images.decode_count() == before + 2


def test_the_cache_is_bounded():
    images.clear_cache()
    for value in range(images.CACHE_ENTRIES + 5):
        images.load_image(_encode(Image.new("L", (2, 2), value), "PNG"), 4)
    assert len(images._CACHE._done) == images.CACHE_ENTRIES


# --- the page ---------------------------------------------------------------------

EVIL = "![x](http://evil.test/i.png)[log in](http://evil.test/)"


def _texts(at) -> list[str]:
    kinds = ("markdown", "caption", "error", "warning", "info", "success")
    return [str(element.value) for kind in kinds for element in at.get(kind)]


@pytest.fixture
def upload_page(app_test):
    def make(lang: str = "en"):
        at = app_test("cnn", lang=lang)
        at.segmented_control(key="cnn_source").set_value("upload").run()
        assert not exceptions(at), exceptions(at)
        return at

    return make


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_says_why_each_refused_file_is_refused(upload_page, lang):
    at = upload_page(lang)
    for name in ("empty", "svg", "16bit_4096", "bomb_png", "text_renamed_png"):
        make, key, says = CORPUS[name]
        at.file_uploader(key="cnn_upload").set_value((f"{name}.png", make(), "x"))
        at.run()
        assert not exceptions(at), exceptions(at)
        expected = images.ImageError(key, **_params(make())).message(lang)
        assert lang == "zh" or says in expected
        assert [e.value for e in at.error] == [f"{state.plain(name)}\\.png: {expected}"]
    assert "4096 × 4096" in images.ImageError(
        "cnn.img.too_big", **_params(_sixteen_bit(4096))
    ).message(lang)


def _params(data: bytes) -> dict:
    try:
        images.load_image(data)
    except images.ImageError as error:
        return error.params
    raise AssertionError("accepted")


def test_an_upload_is_decoded_once_across_reruns(upload_page):
    at = upload_page()
    picture = Image.new("L", (60, 40), 255)
    picture.paste(0, (20, 10, 40, 30))
    data = _encode(picture, "PNG")
    images.clear_cache()
    before = images.decode_count()
    at.file_uploader(key="cnn_upload").set_value(("ink.png", data, "image/png")).run()
    assert not at.error and not exceptions(at)
    for _ in range(3):  # "Next" reruns the page with the same upload
        at.button(key="cnn_step_next").click().run()
    assert not exceptions(at), exceptions(at)
    assert images.decode_count() == before + 1


def test_a_file_name_and_a_decoder_reason_are_shown_as_typed_not_as_markdown(
    upload_page,
):
    at = upload_page()
    for data in (b"not a picture", CORPUS["truncated_png"][0]()):
        at.file_uploader(key="cnn_upload").set_value((f"{EVIL}.png", data, "x"))
        at.run()
        assert not exceptions(at), exceptions(at)
        assert at.error and state.plain(EVIL) in at.error[0].value
        assert not [text for text in _texts(at) if "](http" in text]
