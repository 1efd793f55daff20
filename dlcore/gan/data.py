"""Real distributions of the 2-D GAN: ring and grid of Gaussians, line, moons,
spiral, and points the teacher types or uploads (CSV).

Every generator takes an explicit ``seed`` (``np.random.default_rng``), never
global random state, and returns float32 ``(N, 2)``.

>>> ring_of_gaussians(4, seed=0).shape
(4, 2)
>>> ring_centers(4).round(3).tolist()
[[2.0, 0.0], [0.0, 2.0], [-2.0, 0.0], [-0.0, -2.0]]
"""

from __future__ import annotations

import csv
import io
import math

import numpy as np

#: The page's real distributions (``custom`` = the teacher's points).
DATASETS: tuple[str, ...] = ("ring", "grid", "line", "moons", "spiral", "custom")
#: Limits of a teacher's point set.
MIN_POINTS, MAX_POINTS, MAX_ABS = 3, 2000, 100.0


def ring_centers(modes: int = 8, radius: float = 2.0) -> np.ndarray:
    """Centres of the ring's modes: angle 2πk/modes, k = 0..modes−1, (modes, 2)."""
    angle = 2 * np.pi * np.arange(modes) / modes
    return (radius * np.stack([np.cos(angle), np.sin(angle)], axis=1)).astype(
        np.float32
    )


def ring_of_gaussians(
    num_samples: int,
    modes: int = 8,
    radius: float = 2.0,
    std: float = 0.02,
    seed: int = 0,
) -> np.ndarray:
    """A mixture of ``modes`` equally likely Gaussians (std ``std`` per axis)
    centred on a circle of radius ``radius`` (Metz et al. 2017, "Unrolled
    GANs", §3.1: 8 modes, radius 2, std 0.02).

    Returns:
        float32 array of shape (num_samples, 2).
    """
    rng = np.random.default_rng(seed)
    which = rng.integers(0, modes, num_samples)
    points = ring_centers(modes, radius)[which] + rng.normal(0, std, (num_samples, 2))
    return points.astype(np.float32)


def grid_centers(side: int = 5, spacing: float = 1.0) -> np.ndarray:
    """Centres of a ``side × side`` grid centred on the origin, (side², 2)."""
    axis = (np.arange(side) - (side - 1) / 2) * spacing
    gx, gy = np.meshgrid(axis, axis)
    return np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)


def grid_of_gaussians(
    num_samples: int, side: int = 5, spacing: float = 1.0, std: float = 0.05, seed=0
) -> np.ndarray:
    """A ``side × side`` grid of equally likely Gaussians, (N, 2) float32."""
    rng = np.random.default_rng(seed)
    centers = grid_centers(side, spacing)
    which = rng.integers(0, len(centers), num_samples)
    points = centers[which] + rng.normal(0, std, (num_samples, 2))
    return points.astype(np.float32)


def line(num_samples: int, std: float = 0.02, seed: int = 0) -> np.ndarray:
    """Uniform on the segment (−1.5, −1) → (1.5, 1), plus Gaussian noise."""
    rng = np.random.default_rng(seed)
    t = rng.uniform(-1, 1, num_samples)
    points = np.stack([1.5 * t, t], axis=1) + rng.normal(0, std, (num_samples, 2))
    return points.astype(np.float32)


def moons(num_samples: int, std: float = 0.05, seed: int = 0) -> np.ndarray:
    """Two interleaving half circles (scikit-learn's ``make_moons``) ×1.5,
    centred, plus Gaussian noise."""
    rng = np.random.default_rng(seed)
    upper = rng.random(num_samples) < 0.5
    angle = rng.uniform(0, np.pi, num_samples)
    a = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    b = np.stack([1 - np.cos(angle), 0.5 - np.sin(angle)], axis=1)
    points = np.where(upper[:, None], a, b) - [0.5, 0.25]
    points = 1.5 * points + rng.normal(0, std, (num_samples, 2))
    return points.astype(np.float32)


def spiral(num_samples: int, std: float = 0.03, seed: int = 0) -> np.ndarray:
    """One spiral arm, radius 2t at angle 3πt for t ~ U(0.1, 1), plus noise."""
    rng = np.random.default_rng(seed)
    t = rng.uniform(0.1, 1, num_samples)
    angle = 3 * np.pi * t
    points = 2 * t[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    points = points + rng.normal(0, std, (num_samples, 2))
    return points.astype(np.float32)


def parse_points(text: str) -> np.ndarray:
    """The teacher's points from CSV text: one ``x, y`` pair per line (commas,
    semicolons, tabs or spaces; a header line is skipped).

    Raises:
        ValueError: a clear message (line number) for anything else: too few
            or too many points, text that is not a number, NaN or infinity,
            a coordinate beyond ±100.

    >>> parse_points("x,y\\n0,0\\n1,1\\n2,0.5").tolist()
    [[0.0, 0.0], [1.0, 1.0], [2.0, 0.5]]
    """
    if len(text) > 200_000:
        raise ValueError("the text is too long (at most 200 000 characters)")
    rows: list[tuple[float, float]] = []
    cleaned = text.replace(";", ",").replace("\t", ",")
    for number, row in enumerate(csv.reader(io.StringIO(cleaned)), start=1):
        cells = [c for part in row for c in part.split()]
        if not cells:
            continue
        if len(cells) != 2:
            raise ValueError(f"line {number}: expected two numbers 'x, y'")
        try:
            x, y = float(cells[0]), float(cells[1])
        except ValueError:
            if not rows and number == 1:
                continue  # a header
            raise ValueError(f"line {number}: {row!r} is not two numbers") from None
        if not (math.isfinite(x) and math.isfinite(y)):
            raise ValueError(f"line {number}: NaN or infinity")
        if abs(x) > MAX_ABS or abs(y) > MAX_ABS:
            raise ValueError(f"line {number}: coordinates must be within ±{MAX_ABS:g}")
        rows.append((x, y))
        if len(rows) > MAX_POINTS:
            raise ValueError(f"at most {MAX_POINTS} points")
    if len(rows) < MIN_POINTS:
        raise ValueError(f"at least {MIN_POINTS} points are needed, got {len(rows)}")
    return np.asarray(rows, dtype=np.float32)


def custom(points: np.ndarray, num_samples: int, std: float, seed: int) -> np.ndarray:
    """The teacher's points as a distribution: each sample is a point drawn
    uniformly (with replacement) plus Gaussian noise of std ``std``."""
    rng = np.random.default_rng(seed)
    points = np.asarray(points, dtype=np.float32)
    which = rng.integers(0, len(points), num_samples)
    return (points[which] + rng.normal(0, std, (num_samples, 2))).astype(np.float32)


def real_samples(
    dataset: str,
    num_samples: int,
    seed: int,
    *,
    std: float | None = None,
    points: np.ndarray | None = None,
) -> np.ndarray:
    """Samples of one of :data:`DATASETS` (``points`` for ``custom``)."""
    kwargs = {} if std is None else {"std": std}
    if dataset == "ring":
        return ring_of_gaussians(num_samples, seed=seed, **kwargs)
    if dataset == "grid":
        return grid_of_gaussians(num_samples, seed=seed, **kwargs)
    if dataset == "line":
        return line(num_samples, seed=seed, **kwargs)
    if dataset == "moons":
        return moons(num_samples, seed=seed, **kwargs)
    if dataset == "spiral":
        return spiral(num_samples, seed=seed, **kwargs)
    if dataset == "custom":
        if points is None:
            raise ValueError("the custom distribution needs points")
        return custom(points, num_samples, 0.05 if std is None else std, seed)
    raise ValueError(f"dataset must be one of {DATASETS}, got {dataset!r}")


def centers(dataset: str) -> np.ndarray | None:
    """Mode centres of ``ring`` / ``grid`` (``None`` for the others)."""
    if dataset == "ring":
        return ring_centers()
    if dataset == "grid":
        return grid_centers()
    return None


#: Default per-axis std of each dataset's noise.
DEFAULT_STD: dict[str, float] = {
    "ring": 0.02,
    "grid": 0.05,
    "line": 0.02,
    "moons": 0.05,
    "spiral": 0.03,
    "custom": 0.05,
}
