"""Why momentum works: Goh's (2017) optimal settings, checked on Keras runs.

On the quadratic with Hessian eigenvalues 1 … κ, plain gradient descent and
heavy ball (Keras SGD with ``momentum``) have closed-form optimal settings and
convergence rates; :func:`optimal_runs` and :func:`momentum_theory` measure
the rates of real Keras runs next to the predictions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from dlcore.optimizers.core import Trajectory, run

# --- momentum theory (Goh, 2017) ------------------------------------------------------


def gd_optimal(condition_number: float) -> tuple[float, float]:
    """Best fixed step of gradient descent on eigenvalues 1 … κ, and its rate.

    ``η* = 2/(λmin + λmax)``, rate ``(κ − 1)/(κ + 1)`` per step.

    >>> gd_optimal(3.0)
    (0.5, 0.5)
    """
    kappa = float(condition_number)
    return 2.0 / (1.0 + kappa), (kappa - 1.0) / (kappa + 1.0)


def heavy_ball_optimal(condition_number: float) -> tuple[float, float, float]:
    """Optimal heavy-ball (Keras SGD momentum) step, momentum and rate.

    ``α = (2/(√λmax + √λmin))²``, ``β = ((√κ − 1)/(√κ + 1))²``, rate
    ``(√κ − 1)/(√κ + 1)``. Keras' ``v ← βv − ηg; θ ← θ + v`` is exactly
    ``θ_{t+1} = θ_t − η g_t + β(θ_t − θ_{t−1})``, heavy ball with ``α = η``.

    Reference: Goh, "Why Momentum Really Works", Distill, 2017.

    >>> heavy_ball_optimal(9.0)
    (0.25, 0.25, 0.5)
    """
    root = math.sqrt(float(condition_number))
    rate = (root - 1.0) / (root + 1.0)
    return (2.0 / (root + 1.0)) ** 2, rate**2, rate


#: Goh's optimal settings on eigenvalues 1 … κ, and the rates r they reach.
THEORY_LATEX: dict[str, str] = {
    "gd": r"\eta^* = \frac{2}{1 + \kappa},\qquad r = \frac{\kappa - 1}{\kappa + 1}",
    "momentum": (
        r"\begin{aligned} \eta^* &= \Bigl(\frac{2}{1 + \sqrt{\kappa}}\Bigr)^2,"
        r"\quad \beta^* = r^2 \\ "
        r"r &= \frac{\sqrt{\kappa} - 1}{\sqrt{\kappa} + 1} \end{aligned}"
    ),
}


def observed_rate(distances: np.ndarray, floor: float = 1e-20) -> float:
    """Per-step convergence rate: geometric mean of ``d_{t+1}/d_t`` over a window.

    The window is the second half of the steps whose distance is still above
    ``floor × d₀`` (float32 keeps ratios exact down there), which skips the
    transient at the start.

    >>> observed_rate(0.5 ** np.arange(40.0))
    0.5
    """
    d = np.asarray(distances, np.float64)
    usable = np.flatnonzero(np.isfinite(d) & (d > floor * d[0]))
    last = int(usable[-1]) if usable.size else 0
    if last == 0:
        return 0.0
    first = last // 2
    return float((d[last] / d[first]) ** (1.0 / (last - first)))


def optimal_runs(
    condition_number: float,
    steps: int = 100,
    start: Sequence[float] = (-4.0, 0.5),
) -> dict[str, Trajectory]:
    """Keras SGD on the quadratic with Goh's optimal settings for κ.

    Returns:
        ``{"gd": …, "momentum": …}``: plain gradient descent with
        ``η* = 2/(1 + κ)`` and heavy ball (Keras SGD ``momentum``) with the
        optimal ``(η, β)`` of :func:`heavy_ball_optimal`.

    >>> runs = optimal_runs(9.0, steps=40)
    >>> round(observed_rate(runs["momentum"].distances), 1)  # predicted 0.5
    0.5
    """
    gd_lr, _ = gd_optimal(condition_number)
    hb_lr, beta, _ = heavy_ball_optimal(condition_number)
    kwargs = {"condition_number": float(condition_number), "start": tuple(start)}
    return {
        "gd": run("sgd", "quadratic", steps=steps, learning_rate=gd_lr, **kwargs),
        "momentum": run(
            "sgd",
            "quadratic",
            steps=steps,
            learning_rate=hb_lr,
            momentum=beta,
            **kwargs,
        ),
    }


def momentum_theory(
    condition_numbers: Sequence[float] = (2, 5, 10, 20, 50, 100),
    steps: int = 200,
) -> pd.DataFrame:
    """Predicted vs observed rates of GD and heavy ball on the quadratic.

    For each κ, runs Keras SGD with the optimal step (no momentum) and with the
    optimal (η, β), measures the rate of ``|θ_t − θ*|`` and compares.

    Returns:
        A DataFrame with columns ``condition_number``, ``gd_learning_rate``,
        ``gd_predicted``, ``gd_observed``, ``momentum_learning_rate``,
        ``momentum``, ``momentum_predicted``, ``momentum_observed``.
    """
    rows = []
    for kappa in condition_numbers:
        gd_lr, gd_rate = gd_optimal(kappa)
        hb_lr, beta, hb_rate = heavy_ball_optimal(kappa)
        kwargs = {"condition_number": float(kappa), "steps": steps, "start": (1.0, 1.0)}
        gd = run("sgd", "quadratic", learning_rate=gd_lr, momentum=0.0, **kwargs)
        hb = run("sgd", "quadratic", learning_rate=hb_lr, momentum=beta, **kwargs)
        rows.append(
            {
                "condition_number": float(kappa),
                "gd_learning_rate": gd_lr,
                "gd_predicted": gd_rate,
                "gd_observed": observed_rate(gd.distances),
                "momentum_learning_rate": hb_lr,
                "momentum": beta,
                "momentum_predicted": hb_rate,
                "momentum_observed": observed_rate(hb.distances),
            }
        )
    return pd.DataFrame(rows)
