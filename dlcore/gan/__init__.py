"""Generative adversarial networks (生成对抗网络): a 2-D GAN with GAN Lab's views
(samples, the generator's manifold, the discriminator's heatmap, gradient
arrows, KL / JS, modes covered) and a DCGAN on digits. The public notebook API
of the GAN page; every name is importable from ``dlcore.gan``.

- :func:`ring_of_gaussians` ``(num_samples, modes=8, radius=2.0, std=0.02,
  seed=0) -> (N, 2)`` float32 (Metz et al. 2017).
- :func:`train_gan_2d` ``(config, on_progress=None)`` → a ``TaskResult``:
  histories (D / G losses, KL, JS, modes per snapshot), animation frames and
  the final generator's weights (plain arrays).
- :func:`sample` ``(result, num_samples, seed) -> (N, 2)``: the trained
  generator evaluated in NumPy from the result's weights.
- :func:`mode_coverage` ``(samples, centers, std) -> (modes_covered,
  high_quality_share)``.

The data, configs and measures load without TensorFlow; the training names
(``train_gan_2d``, ``sample``, the losses, the exports) import it on first use.

>>> x = ring_of_gaussians(1000, seed=0)
>>> x.shape, mode_coverage(x, ring_centers(), 0.02)
((1000, 2), (8, 0.996))
"""

import importlib
from typing import Any

from dlcore.gan.configs import (
    LOSSES,
    NOISES,
    PRESETS,
    SMOKE_2D,
    SMOKE_DIGITS,
    DigitsGanConfig,
    Gan2DConfig,
    digits_control_values,
    estimate_digits_gan,
    estimate_gan_2d,
    lab_control_values,
)
from dlcore.gan.data import (
    DATASETS,
    grid_of_gaussians,
    parse_points,
    ring_centers,
    ring_of_gaussians,
)
from dlcore.gan.measures import kl_js, mode_coverage

#: Names that need TensorFlow: module that defines each (loaded on first use).
_LAZY = {
    "discriminator_loss": "dlcore.gan.core",
    "generator_loss": "dlcore.gan.core",
    "gradient_penalty": "dlcore.gan.core",
    "train_gan_2d": "dlcore.gan.tasks",
    "train_digits_gan": "dlcore.gan.tasks",
    "sample": "dlcore.gan.tasks",
    "code_gan_2d": "dlcore.gan.export",
    "code_digits_gan": "dlcore.gan.export",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'dlcore.gan' has no attribute {name!r}")


__all__ = [
    "DATASETS",
    "LOSSES",
    "NOISES",
    "PRESETS",
    "SMOKE_2D",
    "SMOKE_DIGITS",
    "DigitsGanConfig",
    "Gan2DConfig",
    "code_digits_gan",
    "code_gan_2d",
    "digits_control_values",
    "discriminator_loss",
    "estimate_digits_gan",
    "estimate_gan_2d",
    "generator_loss",
    "gradient_penalty",
    "grid_of_gaussians",
    "kl_js",
    "lab_control_values",
    "mode_coverage",
    "parse_points",
    "ring_centers",
    "ring_of_gaussians",
    "sample",
    "train_digits_gan",
    "train_gan_2d",
]
