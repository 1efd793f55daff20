"""Tensors from 0-D to 4-D: small seeded examples, reshape and transpose.

A tensor is an n-dimensional array. The home page shows one real NumPy array
of each rank, the way Keras sees data:

======== ===== ==========================================
kind     ndim  axes
======== ===== ==========================================
scalar   0     ()
vector   1     (features,)
matrix   2     (samples, features)
sequence 3     (samples, timesteps, features)
images   4     (samples, height, width, channels)
======== ===== ==========================================

>>> x = example("matrix")
>>> describe(x)
{'shape': (3, 4), 'ndim': 2, 'dtype': 'float32', 'size': 12}
>>> (2, 6) in valid_reshapes(x.shape)
True
>>> transpose(x, (1, 0)).shape
(4, 3)
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

#: The example kinds, in order of rank (the kind's index is its ndim).
KINDS: tuple[str, ...] = ("scalar", "vector", "matrix", "sequence", "images")

#: Names of the axes of each kind's example (i18n keys ``home.axis.<name>``).
AXES: dict[str, tuple[str, ...]] = {
    "scalar": (),
    "vector": ("features",),
    "matrix": ("samples", "features"),
    "sequence": ("samples", "timesteps", "features"),
    "images": ("samples", "height", "width", "channels"),
}

#: Shapes of the examples (small enough to read every number).
SHAPES: dict[str, tuple[int, ...]] = {
    "scalar": (),
    "vector": (6,),
    "matrix": (3, 4),
    "sequence": (2, 5, 3),
    "images": (4, 8, 8, 1),
}


@functools.lru_cache(maxsize=1)
def _digits() -> tuple[np.ndarray, np.ndarray]:
    from dlcore import datasets

    data = datasets.load("digits")
    return data.x_train, data.y_train


def example(kind: str, seed: int = 0) -> np.ndarray:
    """A small seeded float32 array of the given kind (see :data:`SHAPES`).

    Scalars, vectors, matrices and sequences hold one-decimal numbers (easy to
    read aloud); ``"images"`` is a batch of real 8×8 handwritten digits from
    scikit-learn (pixels in [0, 1]).

    Args:
        kind: One of :data:`KINDS`.
        seed: Seeds the numbers (and which digits are drawn).

    Returns:
        A new array (the caller may modify it).

    >>> example("vector")
    array([ 0.1, -0.1,  0.6,  0.1, -0.5,  0.4], dtype=float32)
    >>> example("images").shape
    (4, 8, 8, 1)
    """
    if kind not in SHAPES:
        raise ValueError(f"Unknown tensor kind {kind!r}; expected one of {KINDS}")
    rng = np.random.default_rng(seed)
    if kind == "images":
        x, _ = _digits()
        picks = rng.choice(len(x), SHAPES[kind][0], replace=False)
        return x[np.sort(picks)].copy()
    return np.asarray(np.round(rng.normal(0.0, 1.0, SHAPES[kind]), 1), dtype=np.float32)


def example_labels(seed: int = 0) -> np.ndarray:
    """The digit labels of ``example("images", seed)``.

    >>> example_labels().shape
    (4,)
    """
    x, y = _digits()
    rng = np.random.default_rng(seed)
    picks = rng.choice(len(x), SHAPES["images"][0], replace=False)
    return y[np.sort(picks)].copy()


def describe(array: Any) -> dict[str, Any]:
    """Shape, number of axes, element type and number of elements.

    >>> describe(np.zeros((2, 3), np.int32))
    {'shape': (2, 3), 'ndim': 2, 'dtype': 'int32', 'size': 6}
    >>> describe(np.float32(1.5))
    {'shape': (), 'ndim': 0, 'dtype': 'float32', 'size': 1}
    """
    array = np.asarray(array)
    return {
        "shape": tuple(int(d) for d in array.shape),
        "ndim": int(array.ndim),
        "dtype": str(array.dtype),
        "size": int(array.size),
    }


def _factorizations(n: int, parts: int) -> list[tuple[int, ...]]:
    """Ordered tuples of ``parts`` integers > 1 whose product is ``n``."""
    if parts == 1:
        return [(n,)] if n > 1 else []
    out = []
    for d in range(2, n + 1):
        if n % d == 0:
            out.extend((d, *rest) for rest in _factorizations(n // d, parts - 1))
    return out


def valid_reshapes(shape: Sequence[int], max_ndim: int = 4) -> list[tuple[int, ...]]:
    """Every shape with the same number of elements as ``shape``.

    Axes of length 1 are left out (there would be infinitely many), except in
    ``shape`` itself, which always comes first; the rest are sorted by rank.

    Args:
        shape: The shape to start from.
        max_ndim: Highest rank listed.

    >>> valid_reshapes((2, 3))
    [(2, 3), (6,), (3, 2)]
    >>> valid_reshapes(())
    [()]
    """
    shape = tuple(int(d) for d in shape)
    size = math.prod(shape)
    if size == 0:
        return [shape]
    found = [s for k in range(1, max_ndim + 1) for s in _factorizations(size, k)]
    return [shape, *(s for s in found if s != shape)]


def permutations(ndim: int) -> list[tuple[int, ...]]:
    """Every order of ``ndim`` axes, the identity first.

    >>> permutations(2)
    [(0, 1), (1, 0)]
    """
    return list(itertools.permutations(range(int(ndim))))


def transpose(array: Any, axes: Sequence[int]) -> np.ndarray:
    """Move axes: axis ``i`` of the result is axis ``axes[i]`` of ``array``.

    Unlike :func:`numpy.reshape`, which keeps the elements in their row-major
    order and only regroups them, a transpose changes which element comes
    next: ``result[i, j] == array[j, i]``.

    Raises:
        ValueError: ``axes`` is not a permutation of ``0 … ndim − 1``.

    >>> transpose(np.arange(6).reshape(2, 3), (1, 0))
    array([[0, 3],
           [1, 4],
           [2, 5]])
    """
    array = np.asarray(array)
    axes = tuple(int(a) for a in axes)
    if sorted(axes) != list(range(array.ndim)):
        raise ValueError(f"axes {axes} is not a permutation of the {array.ndim} axes")
    return np.transpose(array, axes)


def to_text(array: Any, decimals: int = 2) -> str:
    """A compact, readable printout of ``array`` (rounded, no line wrap).

    >>> print(to_text(np.array([[1.0, 0.25], [3.5, 4.0]])))
    [[1.   0.25]
     [3.5  4.  ]]
    """
    return np.array2string(
        np.round(np.asarray(array, np.float64), decimals),
        max_line_width=120,
        separator=" ",
        threshold=10_000,
        suppress_small=True,
    )


#: The shape first offered for reshaping each kind (one sample per row where it
#: makes sense).
DEFAULT_RESHAPE: dict[str, tuple[int, ...]] = {
    "scalar": (),
    "vector": (2, 3),
    "matrix": (12,),
    "sequence": (2, 15),
    "images": (4, 64),
}
#: The axis order first offered for transposing each kind.
DEFAULT_PERMUTATION: dict[str, tuple[int, ...]] = {
    "scalar": (),
    "vector": (0,),
    "matrix": (1, 0),
    "sequence": (0, 2, 1),
    "images": (0, 2, 1, 3),
}
