"""Distributions: entropy, cross-entropy and both KL divergences, as Keras clips them.

Example:
    >>> s = distribution_stats([1, 1], [3, 1])
    >>> round(s["cross_entropy"] - s["entropy_p"] - s["kl_pq"], 12)
    0.0
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from dlcore.losses.core import EPSILON, evaluate, require_positive_rows


class DistributionError(ValueError):
    """A distribution the lab cannot use.

    Attributes:
        code: What is wrong, for a translated message: ``"size"`` (fewer than
            two categories), ``"not_finite"`` (an empty cell, NaN or ∞),
            ``"negative"``, ``"zeros"`` (nothing positive) or ``"mismatch"``
            (P and Q differ in length).
        which: ``"P"``, ``"Q"`` or ``"P, Q"``.
    """

    def __init__(self, message: str, *, code: str, which: str) -> None:
        super().__init__(message)
        self.code, self.which = code, which


def _distribution(values: Any, what: str) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise DistributionError(
            f"{what} must hold numbers, got {values!r:.80}",
            code="not_finite",
            which=what,
        ) from None
    if array.size < 2:
        raise DistributionError(
            f"{what} must hold at least 2 finite numbers, got {values!r:.80}",
            code="size",
            which=what,
        )
    if not np.all(np.isfinite(array)):
        raise DistributionError(
            f"{what} must hold at least 2 finite numbers, got {values!r:.80}",
            code="not_finite",
            which=what,
        )
    if array.min() < 0:
        raise DistributionError(
            f"{what} must not contain negative values, got {array.min()}",
            code="negative",
            which=what,
        )
    try:
        require_positive_rows(array, what)
    except ValueError as error:
        raise DistributionError(str(error), code="zeros", which=what) from None
    # Scale by the largest weight first: the sum of weights near 1e308
    # overflows to ∞, and dividing by ∞ would turn P into zeros (and KL < 0).
    array = array / array.max()
    return array / array.sum()


def distribution_stats(p: Any, q: Any) -> dict[str, Any]:
    """Entropy, cross-entropy and KL divergences of P (target) and Q (prediction).

    Inputs are normalised to sum to 1 (so counts or percentages work; weights
    as large as 1e308 are scaled down first, so their sum cannot overflow).
    Everything is in nats (natural log, like Keras). Probabilities are clipped
    to ``[ε, 1]`` with ``ε = 1e-7`` exactly as ``keras.losses.KLDivergence``
    does, so ``kl_pq`` equals Keras' value and a zero in Q where P is positive
    gives a large but finite KL (``support_mismatch`` is then True: the
    mathematical KL is infinite). With the same clipping,
    ``H(P, Q) = H(P) + KL(P‖Q)`` holds exactly. The clipped probabilities
    sum to a little more than 1, so a KL that is mathematically 0 or tiny can
    come out a hair below 0 (never below ``−n·ε``); :func:`distribution_notes`
    then says so.

    Returns:
        ``p``, ``q`` (normalised lists), ``entropy_p`` H(P), ``entropy_q``
        H(Q), ``cross_entropy`` H(P, Q), ``kl_pq`` KL(P‖Q), ``kl_qp``
        KL(Q‖P), ``identity_gap`` ``|H(P,Q) − H(P) − KL(P‖Q)|``,
        ``support_mismatch`` (Q is 0 where P is not: KL(P‖Q) is really
        infinite) and ``support_mismatch_reverse`` (the same for KL(Q‖P)).

    Raises:
        DistributionError: fewer than 2 categories, an empty or non-finite
            value, a negative value, all zeros, or P and Q of different lengths.

    Example:
        >>> s = distribution_stats([1, 1], [3, 1])
        >>> round(s["kl_pq"], 4), round(s["kl_qp"], 4), s["kl_pq"] >= 0
        (0.1438, 0.1308, True)
    """
    p, q = _distribution(p, "P"), _distribution(q, "Q")
    if p.shape != q.shape:
        raise DistributionError(
            f"P and Q need the same number of categories; got {p.size} and {q.size}",
            code="mismatch",
            which="P, Q",
        )
    pc, qc = np.clip(p, EPSILON, 1.0), np.clip(q, EPSILON, 1.0)
    entropy_p = float(-np.sum(pc * np.log(pc)))
    cross = float(-np.sum(pc * np.log(qc)))
    kl_pq = float(np.sum(pc * np.log(pc / qc)))
    return {
        "p": p.tolist(),
        "q": q.tolist(),
        "entropy_p": entropy_p,
        "entropy_q": float(-np.sum(qc * np.log(qc))),
        "cross_entropy": cross,
        "kl_pq": kl_pq,
        "kl_qp": float(np.sum(qc * np.log(qc / pc))),
        "identity_gap": abs(cross - entropy_p - kl_pq),
        "support_mismatch": bool(np.any((p > 0) & (q == 0))),
        "support_mismatch_reverse": bool(np.any((q > 0) & (p == 0))),
    }


#: The definitions behind :func:`distribution_stats` (natural logarithms).
#: One short line per definition, so that it fits a phone.
DIST_LATEX = (
    r"\begin{gathered} H(P) = -\sum_k p_k \ln p_k \\ H(P, Q) = -\sum_k p_k \ln q_k"
    r" \\ \mathrm{KL}(P\,\|\,Q) = \sum_k p_k \ln \frac{p_k}{q_k} \\"
    r" = H(P, Q) - H(P) \;\ge\; 0 \end{gathered}"
)

#: Ready-made (P, Q) pairs for the distribution lab (weights; normalised later).
DIST_PRESETS: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    # a one-hot label and a softmax output: H(P) = 0, so cross-entropy = KL
    "one_hot": ((0.0, 1.0, 0.0, 0.0), (0.1, 0.7, 0.1, 0.1)),
    # a close guess: small KL in both directions
    "close": ((0.5, 0.3, 0.15, 0.05), (0.45, 0.3, 0.2, 0.05)),
    # identical distributions: KL = 0 and H(P, Q) = H(P)
    "equal": ((0.4, 0.3, 0.2, 0.1), (0.4, 0.3, 0.2, 0.1)),
    # a broad P and a narrow Q: KL(P‖Q) and KL(Q‖P) differ a lot
    "asymmetric": ((0.25, 0.25, 0.25, 0.25), (0.85, 0.05, 0.05, 0.05)),
    # Q rules out a category that happens: KL(P‖Q) is infinite
    "zero_in_q": ((0.5, 0.3, 0.2, 0.0), (0.6, 0.4, 0.0, 0.0)),
}


def distribution_table(preset: str) -> pd.DataFrame:
    """A :data:`DIST_PRESETS` pair as an editable table: columns ``P`` and ``Q``.

    Example:
        >>> distribution_table("equal").shape
        (4, 2)
    """
    if preset not in DIST_PRESETS:
        raise ValueError(
            f"Unknown distribution preset {preset!r}; "
            f"expected one of {list(DIST_PRESETS)}"
        )
    p, q = DIST_PRESETS[preset]
    index = pd.Index([chr(ord("A") + i) for i in range(len(p))])
    return pd.DataFrame({"P": p, "Q": q}, index=index, dtype=float)


def distribution_notes(stats: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(level, i18n key)`` of the notes :func:`distribution_stats` calls for.

    ``level`` is ``"warning"`` (KL(P‖Q), the loss, is really infinite),
    ``"info"`` or ``"caption"``. The notes may use the placeholders
    ``{kl_pq}`` and ``{kl_qp}`` (pass the stats as keyword arguments to ``t``).

    Example:
        >>> distribution_notes(distribution_stats([1, 0], [1, 1]))
        ... # doctest: +NORMALIZE_WHITESPACE
        [('info', 'loss.dist.support_mismatch_reverse'),
         ('caption', 'loss.dist.zero_note')]
    """
    notes = []
    if stats["support_mismatch"]:
        notes.append(("warning", "loss.dist.support_mismatch"))
    if stats["support_mismatch_reverse"]:
        notes.append(("info", "loss.dist.support_mismatch_reverse"))
    if min(stats["p"] + stats["q"]) == 0:
        notes.append(("caption", "loss.dist.zero_note"))
    if min(stats["kl_pq"], stats["kl_qp"]) < 0:  # an artefact of the ε clipping
        notes.append(("caption", "loss.dist.negative_note"))
    return notes


def keras_distribution_losses(p: Any, q: Any) -> dict[str, float]:
    """What ``keras.losses`` says for target P and prediction Q (both normalised).

    ``categorical_crossentropy`` is H(P, Q) and ``kl_divergence`` is KL(P‖Q),
    each with Keras' own clipping (see :func:`distribution_stats`).

    Example:
        >>> out = keras_distribution_losses([1, 1], [3, 1])
        >>> round(out["kl_divergence"], 4), round(out["categorical_crossentropy"], 4)
        (0.1438, 0.837)
    """
    stats = distribution_stats(p, q)
    row_p, row_q = [stats["p"]], [stats["q"]]
    return {
        name: evaluate(name, row_p, row_q)
        for name in ("categorical_crossentropy", "kl_divergence")
    }
