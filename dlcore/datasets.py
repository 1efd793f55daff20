"""Datasets with seeded splits: 2-D toy sets, digits (offline), MNIST and Fashion-MNIST.

Every toy generator has the same signature, ``make_<name>(num_samples, noise,
seed) -> (x, y)``, as in TensorFlow Playground, so the UI can list them and the
code export can copy a generator's source into a standalone script.

>>> ds = load("xor", num_samples=100, noise=0.1, seed=3)
>>> ds.x_train.shape, ds.x_val.shape, ds.num_classes
((80, 2), (20, 2), 2)
>>> load("digits").input_shape
(8, 8, 1)

MNIST and Fashion-MNIST come from ``keras.datasets`` when it can reach the
internet (or finds a cached copy). Offline they fail fast with
:class:`DatasetUnavailable`; there is no silent fallback to another dataset.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import socket
import urllib.parse
from collections.abc import Callable
from typing import Any

import numpy as np


class DatasetUnavailable(RuntimeError):
    """A dataset that must be downloaded could not be reached."""


@dataclasses.dataclass(frozen=True)
class Dataset:
    """A train/validation split of one dataset.

    ``x`` arrays are float32 (toy sets: ``(n, 2)``; images: ``(n, h, w, 1)`` in
    [0, 1]); ``y`` arrays are int32 class labels.
    """

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    num_classes: int
    class_names: tuple[str, ...]
    input_shape: tuple[int, ...]


# --- 2-D toy sets -----------------------------------------------------------


def make_circle(
    num_samples: int, noise: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Class 1 inside a disc of radius 2.5, class 0 on a ring from 3.5 to 5."""
    rng = np.random.default_rng(seed)
    half = num_samples // 2
    radius = np.concatenate(
        [rng.uniform(0, 2.5, half), rng.uniform(3.5, 5, num_samples - half)]
    )
    angle = rng.uniform(0, 2 * np.pi, num_samples)
    x = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    x += rng.normal(0, noise * 5, x.shape)
    y = (np.arange(num_samples) < half).astype(np.int32)
    return x.astype(np.float32), y


def make_xor(
    num_samples: int, noise: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Class 1 where x1·x2 > 0 (first and third quadrants), else class 0."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-5, 5, (num_samples, 2))
    x += np.sign(x) * 0.3  # a small margin around the axes
    y = (x[:, 0] * x[:, 1] > 0).astype(np.int32)
    x += rng.normal(0, noise * 5, x.shape)
    return x.astype(np.float32), y


def make_gauss(
    num_samples: int, noise: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian blobs centred at (2, 2) and (−2, −2)."""
    rng = np.random.default_rng(seed)
    y = (np.arange(num_samples) % 2).astype(np.int32)
    centre = np.where(y[:, None] == 1, 2.0, -2.0)
    x = centre + rng.normal(0, 0.5 + noise * 4, (num_samples, 2))
    return x.astype(np.float32), y


def make_spiral(
    num_samples: int, noise: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spirals, one per class."""
    rng = np.random.default_rng(seed)
    y = (np.arange(num_samples) % 2).astype(np.int32)
    t = rng.uniform(0, 1, num_samples)
    radius = 5 * t
    angle = 1.75 * t * 2 * np.pi + np.pi * y
    x = np.stack([radius * np.sin(angle), radius * np.cos(angle)], axis=1)
    x += rng.normal(0, noise * 2, x.shape)
    return x.astype(np.float32), y


def make_moons(
    num_samples: int, noise: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (as scikit-learn's ``make_moons``), scaled ×2.5."""
    rng = np.random.default_rng(seed)
    y = (np.arange(num_samples) % 2).astype(np.int32)
    angle = rng.uniform(0, np.pi, num_samples)
    upper = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    lower = np.stack([1 - np.cos(angle), 0.5 - np.sin(angle)], axis=1)
    x = np.where(y[:, None] == 0, upper, lower) - [0.5, 0.25]
    x = 2.5 * x + rng.normal(0, noise * 2, x.shape)
    return x.astype(np.float32), y


TOY_GENERATORS: dict[
    str, Callable[[int, float, int], tuple[np.ndarray, np.ndarray]]
] = {
    "circle": make_circle,
    "xor": make_xor,
    "gauss": make_gauss,
    "spiral": make_spiral,
    "moons": make_moons,
}
IMAGE_DATASETS = ("digits", "mnist", "fashion_mnist")
NAMES: tuple[str, ...] = (*TOY_GENERATORS, *IMAGE_DATASETS)

FASHION_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)


def split(
    x: np.ndarray, y: np.ndarray, val_fraction: float, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle with ``seed`` and split off the last ``val_fraction`` for validation."""
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"val_fraction must be in (0, 1), got {val_fraction}")
    order = np.random.default_rng(seed).permutation(len(x))
    num_val = max(1, round(len(x) * val_fraction))
    train, val = order[:-num_val], order[-num_val:]
    return x[train], y[train], x[val], y[val]


def load(name: str, *, seed: int = 0, **params: object) -> Dataset:
    """Load dataset ``name`` with a seeded train/validation split.

    Args:
        name: One of :data:`NAMES`.
        seed: Seeds both the generator (toy sets) and the split.
        **params: Toy sets: ``num_samples`` (default 512), ``noise`` (0–0.5,
            default 0.1), ``val_fraction`` (0.2). Image sets: ``val_fraction``
            (digits 0.25); MNIST/Fashion-MNIST use their official test split
            and accept ``num_train`` to subsample the training set.

    Raises:
        ValueError: unknown name or out-of-range parameter.
        DatasetUnavailable: MNIST/Fashion-MNIST could not be downloaded.
    """
    if name in TOY_GENERATORS:
        return _load_toy(name, seed=seed, **params)  # type: ignore[arg-type]
    if name == "digits":
        return _load_digits(seed=seed, **params)  # type: ignore[arg-type]
    if name in ("mnist", "fashion_mnist"):
        return _load_keras_images(name, seed=seed, **params)  # type: ignore[arg-type]
    raise ValueError(f"Unknown dataset {name!r}; expected one of {list(NAMES)}")


def _load_toy(
    name: str,
    *,
    seed: int,
    num_samples: int = 512,
    noise: float = 0.1,
    val_fraction: float = 0.2,
) -> Dataset:
    if not 10 <= int(num_samples) <= 100_000:
        raise ValueError(
            f"num_samples must be between 10 and 100000, got {num_samples}"
        )
    if not 0.0 <= float(noise) <= 1.0:
        raise ValueError(f"noise must be between 0 and 1, got {noise}")
    x, y = TOY_GENERATORS[name](int(num_samples), float(noise), seed)
    x_train, y_train, x_val, y_val = split(x, y, val_fraction, seed)
    return Dataset(name, x_train, y_train, x_val, y_val, 2, ("0", "1"), (2,))


@functools.lru_cache(maxsize=1)
def _digits_arrays() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)[..., None]  # (1797, 8, 8, 1)
    return x, digits.target.astype(np.int32)


def _load_digits(*, seed: int, val_fraction: float = 0.25) -> Dataset:
    x, y = _digits_arrays()
    x_train, y_train, x_val, y_val = split(x, y, val_fraction, seed)
    names = tuple(str(i) for i in range(10))
    return Dataset("digits", x_train, y_train, x_val, y_val, 10, names, (8, 8, 1))


#: Where keras.datasets downloads from; probed before a download so that an
#: offline machine fails in about a second instead of hanging.
_DOWNLOAD_HOST = "https://storage.googleapis.com"


def _reachable(url: str, timeout: float = 1.5) -> bool:
    host = urllib.parse.urlparse(url).hostname or ""
    try:
        with socket.create_connection((host, 443), timeout=timeout):
            return True
    except OSError:
        return False


def keras_cache_path(file_name: str) -> str:
    """Where ``keras.datasets`` keeps ``file_name`` once downloaded
    (``$KERAS_HOME/datasets``, default ``~/.keras/datasets``)."""
    cache_dir = os.environ.get(
        "KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras")
    )
    return os.path.join(cache_dir, "datasets", file_name)


def download_server_reachable() -> bool:
    """Whether ``keras.datasets``' download server answers (≈ 1.5 s offline)."""
    return _reachable(_DOWNLOAD_HOST)


def keras_download(
    name: str, load: Callable[[], Any], *, cached: bool, hint: str
) -> Any:
    """``load()`` (a ``keras.datasets`` loader) that fails fast and clearly.

    Unless the files are ``cached``, the download server is probed first, so
    an offline machine fails in about a second instead of hanging.

    Raises:
        DatasetUnavailable: offline, or the download failed; the message names
            the dataset, the cause and ``hint`` (what works offline).
    """
    if not cached and not download_server_reachable():
        raise DatasetUnavailable(
            f"{name} must be downloaded by keras.datasets, but the download server "
            f"is not reachable (offline?). {hint}"
        )
    try:
        return load()
    except Exception as error:  # network errors surface as many types
        raise DatasetUnavailable(
            f"Downloading {name} failed ({type(error).__name__}: {error}). {hint}"
        ) from error


@functools.lru_cache(maxsize=2)
def _keras_image_arrays(name: str) -> tuple[np.ndarray, ...]:
    import keras

    loader = keras.datasets.mnist if name == "mnist" else keras.datasets.fashion_mnist
    file_name = "mnist.npz" if name == "mnist" else "fashion-mnist"
    (x_train, y_train), (x_test, y_test) = keras_download(
        name,
        loader.load_data,
        cached=os.path.exists(keras_cache_path(file_name)),
        hint="Use the embedded 'digits' dataset instead.",
    )
    return x_train, y_train, x_test, y_test


def _load_keras_images(
    name: str, *, seed: int, num_train: int | None = None, val_fraction: float = 0.0
) -> Dataset:
    del val_fraction  # the official test split is the validation set
    x_train, y_train, x_test, y_test = _keras_image_arrays(name)
    if num_train is not None and num_train < len(x_train):
        keep = np.random.default_rng(seed).permutation(len(x_train))[: int(num_train)]
        x_train, y_train = x_train[keep], y_train[keep]

    def prep(x: np.ndarray) -> np.ndarray:
        return (x.astype(np.float32) / 255.0)[..., None]

    names = FASHION_CLASSES if name == "fashion_mnist" else tuple(map(str, range(10)))
    return Dataset(
        name,
        prep(x_train),
        y_train.astype(np.int32),
        prep(x_test),
        y_test.astype(np.int32),
        10,
        names,
        (28, 28, 1),
    )
