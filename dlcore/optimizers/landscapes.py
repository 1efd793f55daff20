"""Two-parameter loss landscapes, written in TensorFlow ops, for optimizer races.

Each landscape is a function ``f(x, y, **params)`` built from TF ops, so the
same code is differentiated by ``tf.GradientTape`` during an optimizer run and
evaluated on a whole grid for a contour plot. A :class:`Landscape` bundles the
function with a plotting range, its known critical points (global and local
minima, saddles), a default start point and the formula in LaTeX.

>>> sorted(LANDSCAPES)[:3]
['beale', 'cliff', 'himmelblau']
>>> float(evaluate("rosenbrock", 1.0, 1.0))
0.0
>>> minima("quadratic")[0].point
(0.0, 0.0)
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from dlcore import runtime

tf = runtime.tf()


class HyperParam(NamedTuple):
    """A slider specification: ``name`` is the keyword argument it sets.

    ``kind`` is ``"float"``, ``"int"`` or ``"bool"`` (a checkbox: ``min``/``max``
    are 0/1). ``log`` asks for a log-scale slider (learning rates, epsilons).
    """

    name: str
    default: float
    min: float
    max: float
    step: float
    log: bool = False
    kind: str = "float"


class CriticalPoint(NamedTuple):
    """A point where the gradient vanishes; ``kind`` is ``"global"``,
    ``"local"`` (minima), ``"saddle"`` or ``"maximum"``."""

    point: tuple[float, float]
    value: float
    kind: str


@dataclasses.dataclass(frozen=True)
class Landscape:
    """A 2-D test function and what a page needs to draw and race on it.

    Attributes:
        name: Registry key (``"rosenbrock"``).
        fn: ``fn(x, y, **params) -> tensor``, TF ops, broadcasting over shapes.
        x_range, y_range: Plotting window.
        points: Known critical points (global/local minima, saddles, maxima).
        start: Default start point of a race.
        latex: The formula, for ``st.latex``.
        params: Landscape parameters as slider specs (defaults used when a
            parameter is not given), e.g. the quadratic's ``condition_number``.
    """

    name: str
    fn: Callable[..., Any]
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    points: tuple[CriticalPoint, ...]
    start: tuple[float, float]
    latex: str
    params: tuple[HyperParam, ...] = ()

    @property
    def minima(self) -> tuple[CriticalPoint, ...]:
        """Global and local minima (the quadratic saddle has none)."""
        return tuple(p for p in self.points if p.kind in ("global", "local"))

    @property
    def targets(self) -> tuple[CriticalPoint, ...]:
        """Points distances are measured to: the minima, else all critical points."""
        return self.minima or self.points

    def resolve_params(self, **params: float) -> dict[str, float]:
        """Fill in defaults and reject unknown parameter names."""
        known = {p.name: float(p.default) for p in self.params}
        unknown = set(params) - set(known)
        if unknown:
            raise ValueError(
                f"Landscape {self.name!r} has no parameter(s) {sorted(unknown)}; "
                f"expected {sorted(known) or 'none'}"
            )
        known.update({k: float(v) for k, v in params.items()})
        return known


# --- the functions (TF ops) ----------------------------------------------------


def quadratic(x, y, condition_number=10.0):
    """Ill-conditioned bowl ``(x² + κ·y²) / 2``: Hessian eigenvalues 1 and κ."""
    return 0.5 * (tf.square(x) + condition_number * tf.square(y))


def rosenbrock(x, y):
    """Rosenbrock's banana valley ``(1 − x)² + 100 (y − x²)²``, minimum at (1, 1)."""
    return tf.square(1.0 - x) + 100.0 * tf.square(y - tf.square(x))


def beale(x, y):
    """Beale's function: flat plateaus and a narrow valley to (3, 0.5)."""
    return (
        tf.square(1.5 - x + x * y)
        + tf.square(2.25 - x + x * tf.square(y))
        + tf.square(2.625 - x + x * y * tf.square(y))
    )


def himmelblau(x, y):
    """Himmelblau's function ``(x² + y − 11)² + (x + y² − 7)²``: four equal minima."""
    return tf.square(tf.square(x) + y - 11.0) + tf.square(x + tf.square(y) - 7.0)


def saddle(x, y):
    """The saddle ``x² − y²``: a stationary point that is not a minimum."""
    return tf.square(x) - tf.square(y)


def rastrigin(x, y):
    """Rastrigin's egg crate ``20 + Σ (x² − 10 cos 2πx)``: many local minima."""
    two_pi = 2.0 * math.pi
    return (
        20.0
        + tf.square(x)
        - 10.0 * tf.cos(two_pi * x)
        + tf.square(y)
        - 10.0 * tf.cos(two_pi * y)
    )


#: The cliff's wall: a drop of CLIFF_HEIGHT over
#: x ∈ [CLIFF_EDGE, CLIFF_EDGE + CLIFF_WIDTH].
CLIFF_HEIGHT = 40.0
CLIFF_EDGE = -1.5
CLIFF_WIDTH = 0.5


def cliff(x, y):
    """A bowl with a plateau that drops down a steep wall (Pascanu et al., 2013).

    ``f = ½(x − 1)² + y² + H·(1 − S((x − a)/w))`` where ``S(t) = 3t² − 2t³`` on
    ``[0, 1]`` (a smooth step). Left of the wall the loss is ``H`` higher; in the
    wall the gradient reaches ``1.5·H/w`` (120 here), so an unclipped step
    throws the parameters far away.
    """
    t = tf.clip_by_value((x - CLIFF_EDGE) / CLIFF_WIDTH, 0.0, 1.0)
    smooth_step = t * t * (3.0 - 2.0 * t)
    return 0.5 * tf.square(x - 1.0) + tf.square(y) + CLIFF_HEIGHT * (1.0 - smooth_step)


# --- registry ------------------------------------------------------------------

_HIMMELBLAU_MINIMA = (
    (3.0, 2.0),
    (-2.805118086952745, 3.131312518250573),
    (-3.779310253377747, -3.283185991286170),
    (3.584428340330492, -1.848126526964404),
)


def _rastrigin_minima_1d(count: int = 3) -> list[float]:
    """Roots of ``2x + 20π sin(2πx) = 0`` near ``-count … count`` (Newton, float64).

    These are the 1-D local minima of ``x² − 10 cos(2πx)``; Rastrigin's 2-D
    minima are all pairs of them (a lattice, slightly pulled towards 0).
    """
    roots = []
    for k in range(-count, count + 1):
        x = float(k)
        for _ in range(50):
            x -= (2 * x + 20 * math.pi * math.sin(2 * math.pi * x)) / (
                2 + 40 * math.pi**2 * math.cos(2 * math.pi * x)
            )
        roots.append(x)
    return roots


def _rastrigin_1d(x: float) -> float:
    return x * x - 10.0 * math.cos(2 * math.pi * x) + 10.0


_RASTRIGIN_POINTS = tuple(
    CriticalPoint(
        (x, y),
        _rastrigin_1d(x) + _rastrigin_1d(y),
        "global" if x == 0.0 and y == 0.0 else "local",
    )
    for x in _rastrigin_minima_1d()
    for y in _rastrigin_minima_1d()
)

LANDSCAPES: dict[str, Landscape] = {
    "quadratic": Landscape(
        name="quadratic",
        fn=quadratic,
        x_range=(-5.0, 5.0),
        y_range=(-3.0, 3.0),
        points=(CriticalPoint((0.0, 0.0), 0.0, "global"),),
        start=(-4.0, 2.0),
        latex=r"f(x, y) = \tfrac{1}{2}\left(x^2 + \kappa\, y^2\right)",
        params=(HyperParam("condition_number", 10.0, 1.0, 100.0, 1.0, log=True),),
    ),
    "rosenbrock": Landscape(
        name="rosenbrock",
        fn=rosenbrock,
        x_range=(-2.0, 2.0),
        y_range=(-1.0, 3.0),
        points=(CriticalPoint((1.0, 1.0), 0.0, "global"),),
        start=(-1.5, 2.0),
        latex=r"f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2",
    ),
    "beale": Landscape(
        name="beale",
        fn=beale,
        x_range=(-4.5, 4.5),
        y_range=(-4.5, 4.5),
        points=(
            CriticalPoint((3.0, 0.5), 0.0, "global"),
            CriticalPoint((0.0, 1.0), 14.203125, "saddle"),
        ),
        start=(1.0, 1.5),
        latex=(
            r"f(x, y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2"
            r" + (2.625 - x + xy^3)^2"
        ),
    ),
    "himmelblau": Landscape(
        name="himmelblau",
        fn=himmelblau,
        x_range=(-5.0, 5.0),
        y_range=(-5.0, 5.0),
        points=(
            *(CriticalPoint(p, 0.0, "global") for p in _HIMMELBLAU_MINIMA),
            CriticalPoint(
                (-0.2708445906985802, -0.9230385564750387),
                181.61652152258262,
                "maximum",
            ),
        ),
        start=(1.0, -1.0),
        latex=r"f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2",
    ),
    "saddle": Landscape(
        name="saddle",
        fn=saddle,
        x_range=(-2.0, 2.0),
        y_range=(-2.0, 2.0),
        points=(CriticalPoint((0.0, 0.0), 0.0, "saddle"),),
        start=(-1.8, 0.01),
        latex=r"f(x, y) = x^2 - y^2",
    ),
    "rastrigin": Landscape(
        name="rastrigin",
        fn=rastrigin,
        x_range=(-3.0, 3.0),
        y_range=(-3.0, 3.0),
        points=tuple(sorted(_RASTRIGIN_POINTS, key=lambda p: p.value)),
        start=(2.5, -2.2),
        latex=(
            r"f(x, y) = 20 + \left(x^2 - 10\cos 2\pi x\right)"
            r" + \left(y^2 - 10\cos 2\pi y\right)"
        ),
    ),
    "cliff": Landscape(
        name="cliff",
        fn=cliff,
        x_range=(-5.0, 3.0),
        y_range=(-2.5, 2.5),
        points=(CriticalPoint((1.0, 0.0), 0.0, "global"),),
        start=(-4.0, 1.5),
        latex=(
            r"f(x, y) = \tfrac{1}{2}(x - 1)^2 + y^2 + "
            rf"{CLIFF_HEIGHT:g}\,\bigl(1 - S\bigl(\tfrac{{x - ({CLIFF_EDGE:g})}}"
            rf"{{{CLIFF_WIDTH:g}}}\bigr)\bigr),\quad S(t) = 3t^2 - 2t^3,\ "
            r"t \in [0, 1]"
        ),
    ),
}


def get_landscape(name: str) -> Landscape:
    """Look up a landscape, with a helpful error for a typo.

    >>> get_landscape("saddle").start
    (-1.8, 0.01)
    """
    try:
        return LANDSCAPES[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown landscape {name!r}; expected one of {sorted(LANDSCAPES)}"
        ) from None


def minima(name: str) -> tuple[CriticalPoint, ...]:
    """The global and local minima of landscape ``name``."""
    return get_landscape(name).minima


# --- evaluation ------------------------------------------------------------------


def evaluate(name: str, x: Any, y: Any, **params: float) -> np.ndarray:
    """Evaluate landscape ``name`` at ``x``, ``y`` (broadcast arrays), in float32.

    >>> evaluate("quadratic", [1.0, 0.0], [0.0, 1.0], condition_number=4.0)
    array([0.5, 2. ], dtype=float32)
    """
    landscape = get_landscape(name)
    resolved = landscape.resolve_params(**params)
    x = tf.constant(np.asarray(x, np.float32))
    y = tf.constant(np.asarray(y, np.float32))
    return landscape.fn(x, y, **resolved).numpy()


def gradient(name: str, point: Any, **params: float) -> np.ndarray:
    """The gradient of landscape ``name`` at ``point`` = (x, y), by ``tf.GradientTape``.

    >>> gradient("quadratic", (1.0, 1.0), condition_number=3.0)
    array([1., 3.], dtype=float32)
    """
    landscape = get_landscape(name)
    resolved = landscape.resolve_params(**params)
    theta = tf.Variable(np.asarray(point, np.float32).reshape(2))
    with tf.GradientTape() as tape:
        loss = landscape.fn(theta[0], theta[1], **resolved)
    return tape.gradient(loss, theta).numpy()


def grid(
    name: str,
    num: int = 121,
    *,
    x_range: tuple[float, float] | None = None,
    y_range: tuple[float, float] | None = None,
    **params: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Loss values on a ``num × num`` grid, for a contour or 3-D surface.

    Returns:
        ``(xs, ys, z)`` with ``xs`` (num,), ``ys`` (num,), ``z`` (num, num)
        indexed ``z[j, i] = f(xs[i], ys[j])`` (Plotly's convention).

    >>> xs, ys, z = grid("saddle", num=3)
    >>> z.tolist()
    [[0.0, -4.0, 0.0], [4.0, 0.0, 4.0], [0.0, -4.0, 0.0]]
    """
    landscape = get_landscape(name)
    xs = np.linspace(*(x_range or landscape.x_range), num, dtype=np.float32)
    ys = np.linspace(*(y_range or landscape.y_range), num, dtype=np.float32)
    xx, yy = np.meshgrid(xs, ys)  # (num_y, num_x)
    return xs, ys, evaluate(name, xx, yy, **params)


def log_levels(z: np.ndarray, num: int = 15, floor: float | None = None) -> np.ndarray:
    """Contour levels spaced evenly in ``log(z − min z)``.

    Loss landscapes span many orders of magnitude (Rosenbrock: 0 … 2500), so
    evenly spaced levels would all crowd on the walls. Levels are
    ``min z + geomspace(floor, max z − min z, num)``; ``floor`` defaults to
    a millionth of the range, or the smallest positive gap if larger.

    >>> log_levels(np.array([0.0, 1.0, 1000.0]), num=4, floor=1.0).tolist()
    [1.0, 10.0, 100.0, 1000.0]
    """
    finite = np.asarray(z, np.float64)[np.isfinite(z)]
    low, high = float(finite.min()), float(finite.max())
    span = max(high - low, 1e-12)
    if floor is None:
        gaps = np.unique(finite - low)
        positive = gaps[gaps > 0]
        floor = max(span * 1e-6, float(positive[0]) if positive.size else span * 1e-6)
    return low + np.geomspace(floor, span, num)


__all__ = [
    "LANDSCAPES",
    "CriticalPoint",
    "HyperParam",
    "Landscape",
    "evaluate",
    "get_landscape",
    "gradient",
    "grid",
    "log_levels",
    "minima",
]
