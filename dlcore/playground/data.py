"""The playground's data: TensorFlow Playground's sets, multiclass blobs, features.

Classification sets come from :mod:`dlcore.datasets` (circle, xor, gauss,
spiral, moons); the two regression sets (plane, multi-gauss) and the
multiclass blobs are here, with the same ``(num_samples, noise, seed)``
signature, so the exported script can copy their source.

>>> x, y = make_plane(4, 0.0, 0)
>>> bool(np.allclose(y, (x[:, 0] + x[:, 1]) / 12))
True
>>> features(np.array([[1.0, 2.0]]), ("x1", "x2sq", "x1x2")).tolist()
[[1.0, 4.0, 2.0]]
"""

from __future__ import annotations

import dataclasses

import numpy as np

from dlcore import datasets


def make_plane(
    num_samples: int, noise: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """A tilted plane: target (x1 + x2) / 12 in [−1, 1] on the square [−6, 6]²,
    read at a point shifted by uniform noise (as TensorFlow Playground)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-6, 6, (num_samples, 2))
    shifted = x + rng.uniform(-6, 6, x.shape) * noise
    y = np.clip((shifted[:, 0] + shifted[:, 1]) / 12, -1, 1)
    return x.astype(np.float32), y.astype(np.float32)


def make_multigauss(
    num_samples: int, noise: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Six signed Gaussian bumps (TensorFlow Playground's multi-Gaussian): the
    target is the bump of largest magnitude, ±(1 − distance / 2), in [−1, 1]."""
    rng = np.random.default_rng(seed)
    centres = np.array(
        [[-4, 2.5], [0, 2.5], [4, 2.5], [-4, -2.5], [0, -2.5], [4, -2.5]]
    )
    signs = np.array([1, -1, 1, -1, 1, -1])
    x = rng.uniform(-6, 6, (num_samples, 2))
    shifted = x + rng.uniform(-6, 6, x.shape) * noise
    distance = np.linalg.norm(shifted[:, None, :] - centres[None], axis=-1)
    bumps = signs * np.clip(1 - distance / 2, 0, 1)
    y = bumps[np.arange(num_samples), np.abs(bumps).argmax(axis=1)]
    return x.astype(np.float32), y.astype(np.float32)


def make_blobs(
    num_samples: int, noise: float, seed: int, num_classes: int = 3
) -> tuple[np.ndarray, np.ndarray]:
    """``num_classes`` Gaussian blobs on a circle of radius 3.5, labels 0…K−1."""
    rng = np.random.default_rng(seed)
    y = (np.arange(num_samples) % num_classes).astype(np.int32)
    angle = 2 * np.pi * y / num_classes
    centre = 3.5 * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    x = centre + rng.normal(0, 0.6 + noise * 4, (num_samples, 2))
    return x.astype(np.float32), y


CLASSIFICATION = ("circle", "xor", "gauss", "spiral", "moons")
REGRESSION = {"plane": make_plane, "multigauss": make_multigauss}
#: Every data set the playground offers (``upload``: the user's CSV).
DATASETS = (*CLASSIFICATION, "multiclass", *REGRESSION, "upload")

#: Input features (TensorFlow Playground's seven), as formulas of x1, x2.
FEATURES: dict[str, str] = {
    "x1": "x1",
    "x2": "x2",
    "x1sq": "x1 ** 2",
    "x2sq": "x2 ** 2",
    "x1x2": "x1 * x2",
    "sin_x1": "np.sin(x1)",
    "sin_x2": "np.sin(x2)",
}


def features(x: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """The columns ``names`` (keys of :data:`FEATURES`) of the points ``x``."""
    x1, x2 = x[:, 0].astype(np.float32), x[:, 1].astype(np.float32)
    scope = {"np": np, "x1": x1, "x2": x2}
    columns = [eval(FEATURES[n], scope) for n in names]
    return np.stack(columns, axis=1).astype(np.float32)


def kind_of(dataset: str, upload_kind: str | None = None) -> str:
    """``binary``, ``multiclass`` or ``regression``."""
    if dataset in REGRESSION:
        return "regression"
    if dataset == "multiclass":
        return "multiclass"
    if dataset == "upload":
        return upload_kind or "binary"
    return "binary"


@dataclasses.dataclass(frozen=True)
class Points:
    """Raw 2-D points of one run, split; ``y`` int labels or float targets."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    kind: str
    num_classes: int  # 1 for regression


def generate(
    dataset: str, num_samples: int, noise: float, seed: int, num_classes: int
) -> tuple[np.ndarray, np.ndarray]:
    if dataset in CLASSIFICATION:
        return datasets.TOY_GENERATORS[dataset](num_samples, noise, seed)
    if dataset in REGRESSION:
        return REGRESSION[dataset](num_samples, noise, seed)
    if dataset == "multiclass":
        return make_blobs(num_samples, noise, seed, num_classes)
    raise ValueError(f"no generator for {dataset!r}")


def split(
    x: np.ndarray, y: np.ndarray, train_fraction: float, seed: int, kind: str
) -> Points:
    x_train, y_train, x_val, y_val = datasets.split(x, y, 1 - train_fraction, seed)
    classes = 1 if kind == "regression" else int(max(2, int(np.max(y)) + 1))
    return Points(x_train, y_train, x_val, y_val, kind, classes)


# --- CSV upload -----------------------------------------------------------------

#: Largest accepted upload (bytes and rows).
MAX_UPLOAD_BYTES = 200_000
MAX_UPLOAD_ROWS = 2000


class UploadError(ValueError):
    """A CSV the playground cannot use; ``code`` names the catalogue message."""

    def __init__(self, code: str, **details: object) -> None:
        super().__init__(code)
        self.code, self.details = code, details


def parse_csv(raw: bytes) -> tuple[tuple[tuple[float, float, float], ...], str, int]:
    """Validate an uploaded CSV of ``x1, x2, label|target``.

    Returns ``(rows, kind, dropped)``: the rows kept, ``binary``,
    ``multiclass`` (integer labels 0…K−1, K ≤ 5) or ``regression`` (any other
    numbers), and how many rows with a missing value were dropped.

    >>> rows = "".join(f"{i},{i % 3},{i % 2}\\n" for i in range(12))
    >>> parse_csv(f"x1,x2,label\\n{rows},3,0\\n".encode())[1:]
    ('binary', 1)
    """
    import io

    import pandas as pd

    if len(raw) > MAX_UPLOAD_BYTES:
        raise UploadError("too_big", limit=MAX_UPLOAD_BYTES // 1000)
    try:
        frame = pd.read_csv(io.BytesIO(raw))
    except Exception as error:  # any unreadable file is told, never raised
        raise UploadError("unreadable", error=str(error)[:200]) from None
    if frame.shape[1] != 3:
        raise UploadError("columns", found=int(frame.shape[1]))
    numbers = frame.apply(pd.to_numeric, errors="coerce")
    not_numeric = int((numbers.isna() & frame.notna()).any(axis=1).sum())
    if not_numeric:
        raise UploadError("not_numeric", rows=not_numeric)
    finite = numbers.replace([np.inf, -np.inf], np.nan)
    kept = finite.dropna()
    dropped = len(finite) - len(kept)
    if len(kept) > MAX_UPLOAD_ROWS:
        raise UploadError("too_many", limit=MAX_UPLOAD_ROWS)
    if len(kept) < 10:
        raise UploadError("too_few", rows=len(kept))
    values = kept.to_numpy(np.float64)
    target = values[:, 2]
    integer = bool(np.all(target == np.round(target)))
    labels = np.unique(target)
    if integer and len(labels) <= 5 and labels.min() == 0:
        if len(labels) < 2 or labels.max() != len(labels) - 1:
            raise UploadError("labels", found=len(labels))
        kind = "binary" if len(labels) == 2 else "multiclass"
    elif integer and len(labels) <= 5:
        raise UploadError("labels", found=len(labels))
    else:
        kind = "regression"
    rows = tuple(tuple(float(v) for v in row) for row in values)
    return rows, kind, dropped
