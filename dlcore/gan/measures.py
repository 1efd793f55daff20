"""NumPy measures of the GAN page (no TensorFlow): KL / JS estimated on a
grid, modes covered, and the trained generator evaluated from its weights.

>>> from dlcore.gan import data
>>> x = data.ring_of_gaussians(1000, seed=0)
>>> mode_coverage(x, data.ring_centers(), 0.02)
(8, 0.996)
"""

from __future__ import annotations

import numpy as np

#: A mode is covered when at least this share of generated samples lies
#: within 3σ of its centre.
COVERAGE_SHARE = 0.02


def kl_js(real, fake, limit, bins=30, alpha=0.5):
    """Histogram estimates of KL(P_real ‖ P_G) and JS(P_real, P_G) in nats.

    Both sample sets are binned on a ``bins × bins`` grid over the square
    [−limit, limit]² (samples outside count in the nearest edge cell); each
    cell's count gets ``alpha`` added (additive smoothing, so no cell is
    empty) and is normalised: p (real), q (generated). KL = Σ p log(p/q);
    JS = ½KL(p‖m) + ½KL(q‖m), m = (p + q)/2 (0 ≤ JS ≤ log 2).
    """
    edges = np.linspace(-limit, limit, bins + 1)

    def hist(points):
        points = np.clip(np.asarray(points, dtype=np.float64), -limit, limit)
        counts, _, _ = np.histogram2d(points[:, 0], points[:, 1], bins=[edges, edges])
        counts = counts + alpha
        return counts / counts.sum()

    p, q = hist(real), hist(fake)
    m = 0.5 * (p + q)
    kl = float(np.sum(p * np.log(p / q)))
    js = float(0.5 * np.sum(p * np.log(p / m)) + 0.5 * np.sum(q * np.log(q / m)))
    return kl, js


def mode_coverage(samples, centers, std, min_share=0.02):
    """``(modes_covered, high_quality_share)`` of generated ``samples``.

    A sample is *high quality* when it lies within 3·std (Euclidean) of its
    nearest centre; a mode is *covered* when at least ``min_share`` of all
    samples are high quality and nearest to it (Metz et al. 2017 count modes
    and high-quality samples the same way).

    Args:
        samples: (N, 2) generated points.
        centers: (M, 2) mode centres.
        std: The per-axis std of each mode.
    """
    samples = np.asarray(samples, dtype=np.float64)
    centers = np.asarray(centers, dtype=np.float64)
    if len(samples) == 0:
        return 0, 0.0
    dist = np.linalg.norm(samples[:, None, :] - centers[None, :, :], axis=-1)
    nearest = dist.argmin(axis=1)
    good = dist.min(axis=1) <= 3 * std
    counts = np.bincount(nearest[good], minlength=len(centers))
    covered = int(np.sum(counts >= min_share * len(samples)))
    return covered, float(good.mean())


def mlp_numpy(weights, x):
    """The :func:`build_mlp` network from its weights ``[W1, b1, …, Wn, bn]``."""
    h = np.asarray(x, dtype=np.float32)
    pairs = list(zip(weights[0::2], weights[1::2], strict=True))
    for i, (w, b) in enumerate(pairs):
        h = h @ np.asarray(w, dtype=np.float32) + np.asarray(b, dtype=np.float32)
        if i < len(pairs) - 1:
            h = np.maximum(h, 0.0)
    return h


def noise_numpy(kind, num_samples, noise_dim, seed):
    """Noise z ~ U(−1, 1) or N(0, 1), (num_samples, noise_dim), from ``seed``."""
    rng = np.random.default_rng(seed)
    if kind == "uniform":
        return rng.uniform(-1, 1, (num_samples, noise_dim)).astype(np.float32)
    return rng.normal(0, 1, (num_samples, noise_dim)).astype(np.float32)
