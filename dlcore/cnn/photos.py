"""Colour photos for the pretrained networks: examples, uploads, photo sets.

* :func:`example` — photos bundled with scikit-image (``skimage.data``), so
  the page works without any upload: a cat (``chelsea``), a coffee cup
  (``coffee``), an astronaut, a rocket.
* :func:`load_photo` — an uploaded PNG/JPEG (or a phone camera picture) as an
  RGB ``uint8`` array, validated exactly as the CNN page's uploads
  (:mod:`dlcore.images`: format from the first bytes, byte size, pixel size
  and bit depth checked before decoding) and decoded once per upload (a
  bounded cache keyed by the bytes' SHA-256). Large photos are reduced to at
  most :data:`MAX_SIDE` pixels a side (a JPEG by its decoder's draft mode).
* :func:`load_photo_zip` — a zip of two folders of photos (one per class),
  validated: zip size, uncompressed size, number of files, image types,
  photos per class; every refusal is a :class:`PhotoError` with a message in
  English and Chinese.
* :func:`store_set` / :func:`load_set` — a photo set saved under its digest,
  so a training worker process can read what the page validated.

>>> sorted(EXAMPLES)
['astronaut', 'chelsea', 'coffee', 'rocket']
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import zipfile

import numpy as np
from PIL import Image, ImageOps, PngImagePlugin

from dlcore import images
from dlcore.i18n import t

#: Example photos: id -> the ``skimage.data`` function that returns it.
EXAMPLES: dict[str, str] = {
    "chelsea": "chelsea",
    "coffee": "coffee",
    "astronaut": "astronaut",
    "rocket": "rocket",
}
DEFAULT_EXAMPLE = "chelsea"
#: Largest side of a decoded photo (Grad-CAM is drawn at this resolution).
MAX_SIDE = 1024
#: Zip of a photo set: at most this many bytes, files and uncompressed bytes.
MAX_ZIP_BYTES = 20 * 1024 * 1024
MAX_ZIP_FILES = 400
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
#: Photos per class in a set.
MIN_PER_CLASS = 4
MAX_PER_CLASS = 150


class PhotoError(ValueError):
    """A photo set that cannot be used; ``message(lang)`` says why."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        return t(self.key, lang, **params_text(self.params, lang))


def params_text(params: dict, lang: str) -> dict:
    """Nested image errors translated into ``lang``."""
    return {
        k: (v.message(lang) if isinstance(v, images.ImageError) else v)
        for k, v in params.items()
    }


def example(name: str) -> np.ndarray:
    """An example photo, RGB ``uint8`` (read-only)."""
    if name not in EXAMPLES:
        raise ValueError(f"unknown example {name!r}; expected one of {list(EXAMPLES)}")
    import skimage.data

    photo = np.ascontiguousarray(getattr(skimage.data, EXAMPLES[name])()[..., :3])
    photo.flags.writeable = False
    return photo


def _open_rgb(data: bytes) -> Image.Image:
    """The picture opened after every header check of :mod:`dlcore.images`."""
    header = images.read_header(data)
    if header.format == "PNG":
        images.check_header(header)
        try:
            return PngImagePlugin.PngImageFile(io.BytesIO(data))
        except (OSError, ValueError, SyntaxError, EOFError) as error:
            raise images.ImageError(
                "cnn.img.damaged", format="PNG", reason=str(error)
            ) from error
    images.check_header(header, decoded_bytes=0)  # the size limits first
    picture = images.open_jpeg(data)
    if picture.mode in ("RGB", "YCbCr"):
        picture.draft("RGB", (MAX_SIDE, MAX_SIDE))
    width, height = picture.size
    images.check_header(header, decoded_bytes=width * height * len(picture.getbands()))
    return picture


def _to_rgb(picture: Image.Image) -> Image.Image:
    """RGB; transparency composited onto white, 16-bit grey stretched."""
    if picture.mode in ("RGBA", "LA", "PA") or (
        picture.mode == "P" and "transparency" in picture.info
    ):
        rgba = picture.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        picture = Image.alpha_composite(background, rgba)
    if picture.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        values = np.asarray(picture).astype(np.float32)
        low, high = float(values.min()), float(values.max())
        values = (values - low) * (255.0 / ((high - low) or 1.0))
        picture = Image.fromarray(values.astype(np.uint8), mode="L")
    return picture.convert("RGB")


def _decode(data: bytes, side: int) -> np.ndarray:
    picture = _open_rgb(data)
    fmt = picture.format
    _CACHE.count()
    try:
        picture.load()  # a truncated file fails here
        picture = _to_rgb(ImageOps.exif_transpose(picture))
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise images.ImageError(
            "cnn.img.damaged", format=fmt, reason=str(error)
        ) from error
    if max(picture.size) > side:
        picture.thumbnail((side, side), Image.Resampling.LANCZOS)
    photo = np.asarray(picture, dtype=np.uint8).copy()
    photo.flags.writeable = False
    return photo


def load_photo(data: bytes, side: int = MAX_SIDE) -> np.ndarray:
    """An uploaded PNG/JPEG as RGB ``uint8`` (at most ``side`` pixels a side).

    Raises:
        dlcore.images.ImageError: the CNN page's refusals (empty, too many
            bytes, not PNG/JPEG, SVG, too many pixels, damaged), with their
            English and Chinese messages.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise images.ImageError("cnn.img.not_bytes", kind=type(data).__name__)
    data = bytes(data)
    if len(data) > images.MAX_BYTES:
        raise images.ImageError(
            "cnn.img.too_many_bytes",
            megabytes=len(data) / 2**20,
            limit=images.MAX_BYTES // 2**20,
        )
    key = ("rgb", hashlib.sha256(data).hexdigest(), side)
    return _CACHE.get(key, lambda: _decode(data, side))


def decode_count() -> int:
    """How many photos :func:`load_photo` decoded (not served from cache)."""
    return _CACHE.decodes


_CACHE = images.DecodeCache(16)  # each entry ≤ 1024² × 3 bytes


# ----------------------------------------------------------------------------
# Photo sets: a zip of two folders, or crops of two example photos
# ----------------------------------------------------------------------------


def _skipped(name: str) -> bool:
    """Folders and the files operating systems add to zips (never photos)."""
    parts = name.split("/")
    return (
        name.endswith("/")
        or "__MACOSX" in parts
        or any(p.startswith(".") for p in parts)
        or parts[-1] in ("Thumbs.db", "desktop.ini")
    )


def squeeze(photo: np.ndarray, size: int) -> np.ndarray:
    """``photo`` resized to ``size × size`` RGB ``uint8`` (aspect not kept)."""
    image = Image.fromarray(np.asarray(photo, dtype=np.uint8))
    return np.asarray(image.resize((size, size), Image.Resampling.BILINEAR))


def load_photo_zip(
    data: bytes, size: int = 128
) -> tuple[np.ndarray, np.ndarray, tuple[str, str]]:
    """A labelled photo set from a zip of two folders (one per class).

    The class of a photo is the name of the folder it is in (one common top
    folder is allowed: ``set/cats/1.jpg``, ``set/dogs/2.jpg``). Returns
    ``(x, y, class_names)``: ``x`` ``(n, size, size, 3)`` ``uint8``, ``y``
    ``int32`` labels in sorted folder order.

    Raises:
        PhotoError: not a zip, too large, too many files, a file that is not
            a PNG/JPEG photo, not exactly two folders, too few or too many
            photos in a folder.
    """
    if len(data) > MAX_ZIP_BYTES:
        raise PhotoError(
            "cnn.photos.err.zip_bytes",
            megabytes=len(data) / 2**20,
            limit=MAX_ZIP_BYTES // 2**20,
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [i for i in archive.infolist() if not _skipped(i.filename)]
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise PhotoError("cnn.photos.err.not_zip") from error
    if len(entries) > MAX_ZIP_FILES:
        raise PhotoError(
            "cnn.photos.err.zip_files", count=len(entries), limit=MAX_ZIP_FILES
        )
    total = sum(i.file_size for i in entries)
    if total > MAX_UNZIPPED_BYTES:
        raise PhotoError(
            "cnn.photos.err.unzipped",
            megabytes=total / 2**20,
            limit=MAX_UNZIPPED_BYTES // 2**20,
        )
    folders: dict[str, list[zipfile.ZipInfo]] = {}
    for info in entries:
        parts = info.filename.split("/")
        if len(parts) < 2:
            raise PhotoError("cnn.photos.err.loose_file", name=info.filename)
        folders.setdefault("/".join(parts[:-1]), []).append(info)
    if len(folders) != 2:
        raise PhotoError(
            "cnn.photos.err.folders",
            count=len(folders),
            names=", ".join(sorted(folders)) or "—",
        )
    names = tuple(sorted(folders))
    x, y = [], []
    for label, folder in enumerate(names):
        members = folders[folder]
        if not MIN_PER_CLASS <= len(members) <= MAX_PER_CLASS:
            raise PhotoError(
                "cnn.photos.err.per_class",
                name=folder,
                count=len(members),
                low=MIN_PER_CLASS,
                high=MAX_PER_CLASS,
            )
        for info in members:
            if info.file_size > images.MAX_BYTES:
                raise PhotoError(
                    "cnn.photos.err.bad_file",
                    name=info.filename,
                    reason=images.ImageError(
                        "cnn.img.too_many_bytes",
                        megabytes=info.file_size / 2**20,
                        limit=images.MAX_BYTES // 2**20,
                    ),
                )
            try:
                photo = load_photo(archive.read(info), side=max(size * 2, 64))
            except images.ImageError as error:
                raise PhotoError(
                    "cnn.photos.err.bad_file", name=info.filename, reason=error
                ) from error
            x.append(squeeze(photo, size))
            y.append(label)
    short = tuple(n.rsplit("/", 1)[-1] for n in names)
    return np.stack(x), np.asarray(y, dtype=np.int32), (short[0], short[1])


def example_crops(
    names: tuple[str, str] = ("chelsea", "coffee"),
    *,
    per_class: int = 24,
    size: int = 128,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, tuple[str, str]]:
    """A toy two-class set: random crops (40–90 % of the side, random flips)
    of two example photos. Every photo of a class comes from ONE photo, so
    this shows the mechanics, not how well a network generalises."""
    rng = np.random.default_rng(seed)
    x, y = [], []
    for label, name in enumerate(names):
        photo = example(name)
        height, width = photo.shape[:2]
        for _ in range(per_class):
            side = int(min(height, width) * rng.uniform(0.4, 0.9))
            top = int(rng.integers(0, height - side + 1))
            left = int(rng.integers(0, width - side + 1))
            crop = photo[top : top + side, left : left + side]
            if rng.random() < 0.5:
                crop = crop[:, ::-1]
            x.append(squeeze(np.ascontiguousarray(crop), size))
            y.append(label)
    return np.stack(x), np.asarray(y, dtype=np.int32), names


#: A public photo set for the online path: TensorFlow's cats-vs-dogs subset
#: (the transfer-learning tutorial's), downloaded once into the Keras cache.
PUBLIC_URL = "https://storage.googleapis.com/mledu-datasets/cats_and_dogs_filtered.zip"
PUBLIC_FILE = "cats_and_dogs_filtered.zip"
PUBLIC_CLASSES = ("cats", "dogs")
PUBLIC_PER_CLASS = 40


def public_files(
    root: str, per_class: int, seed: int
) -> tuple[list[list[str]], tuple[str, ...]]:
    """``per_class`` seeded picks of ``train/cats`` and ``train/dogs`` under
    ``root`` (the extracted archive), in a fixed order."""
    rng = np.random.default_rng(seed)
    picked = []
    for name in PUBLIC_CLASSES:
        folder = next(
            (
                os.path.join(here, name)
                for here, dirs, _ in sorted(os.walk(root))
                if os.path.basename(here) == "train" and name in dirs
            ),
            None,
        )
        if folder is None:
            raise FileNotFoundError(f"no train/{name} folder under {root}")
        files = sorted(f for f in os.listdir(folder) if f.lower().endswith(".jpg"))
        chosen = rng.choice(len(files), size=min(per_class, len(files)), replace=False)
        picked.append([os.path.join(folder, files[i]) for i in sorted(chosen)])
    return picked, PUBLIC_CLASSES


def public_set(
    size: int = 128, *, per_class: int = PUBLIC_PER_CLASS, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, tuple[str, str]]:
    """A labelled subset of the public cats-vs-dogs set (downloaded on first
    use; offline, :class:`dlcore.datasets.DatasetUnavailable` within about a
    second, without waiting for a download)."""
    import keras

    from dlcore import datasets

    cache = datasets.keras_cache_path(PUBLIC_FILE)
    cached = os.path.exists(cache) or os.path.isdir(f"{cache}_extracted")
    root = datasets.keras_download(
        "cats_and_dogs_filtered",
        lambda: keras.utils.get_file(PUBLIC_FILE, origin=PUBLIC_URL, extract=True),
        cached=cached,
        hint="Upload a zip of two folders of photos, or use the example crops.",
    )
    root = root if os.path.isdir(root) else f"{cache}_extracted"
    picked, names = public_files(root, per_class, seed)
    x, y = [], []
    for label, files in enumerate(picked):
        for path in files:
            with open(path, "rb") as file:
                photo = load_photo(file.read(), side=max(size * 2, 64))
            x.append(squeeze(photo, size))
            y.append(label)
    return np.stack(x), np.asarray(y, dtype=np.int32), (names[0], names[1])


def _set_dir() -> str:
    return os.environ.get(
        "DLCORE_PHOTO_DIR", os.path.join(tempfile.gettempdir(), "dlcore_photo_sets")
    )


def store_set(x: np.ndarray, y: np.ndarray, names: tuple[str, str]) -> str:
    """Save a validated photo set; returns its digest (the training config's
    ``data``), under which :func:`load_set` finds it in any process."""
    x = np.ascontiguousarray(x, dtype=np.uint8)
    y = np.ascontiguousarray(y, dtype=np.int32)
    digest = hashlib.sha256(
        x.tobytes() + y.tobytes() + "\0".join(names).encode()
    ).hexdigest()[:32]
    os.makedirs(_set_dir(), exist_ok=True)
    path = os.path.join(_set_dir(), f"{digest}.npz")
    if not os.path.exists(path):
        tmp = f"{path}.{os.getpid()}.tmp.npz"
        np.savez(tmp, x=x, y=y, names=np.asarray(names))
        os.replace(tmp, path)
    return digest


def load_set(digest: str) -> tuple[np.ndarray, np.ndarray, tuple[str, str]]:
    """The photo set stored as ``digest``.

    Raises:
        PhotoError: ``cnn.photos.err.set_gone`` (not stored here: upload again).
    """
    if not digest.isalnum():
        raise PhotoError("cnn.photos.err.set_gone")
    path = os.path.join(_set_dir(), f"{digest}.npz")
    if not os.path.exists(path):
        raise PhotoError("cnn.photos.err.set_gone")
    with np.load(path) as data:
        names = tuple(str(n) for n in data["names"])
        return data["x"], data["y"], (names[0], names[1])
