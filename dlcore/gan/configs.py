"""Configs of the GAN page's tasks, their presets, control maps and estimates.

No TensorFlow here: the page draws its controls and the real distribution
(the first picture) before TensorFlow is imported.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from dlcore.gan import data
from dlcore.topics import Preset

LOSSES: tuple[str, ...] = ("minimax", "nonsat", "lsgan", "wgan_gp")
NOISES: tuple[str, ...] = ("uniform", "gaussian")

OPTIMIZERS: tuple[str, ...] = ("adam", "rmsprop", "sgd")
#: Real samples the 2-D GAN trains on (seed ``seed``).
NUM_REAL = 4000
#: Generated samples of every snapshot's measures (fixed noise) and how many
#: of them (and of the real ones) are drawn.
NUM_EVAL, NUM_SHOWN = 4000, 400
#: Heatmap cells per axis; manifold lines (2-D noise) or points (1-D noise).
HEAT, MANIFOLD = 40, 11
#: Gradient arrows drawn per snapshot.
ARROWS = 60
#: Snapshots kept at most (frames of the animation).
MAX_FRAMES = 80
MANUAL_ACTIONS = ("d", "g", "b")
MAX_MANUAL = 40


@dataclass(frozen=True)
class Gan2DConfig:
    """A 2-D GAN (defaults: ring of 8 Gaussians, non-saturating loss).

    Attributes:
        dataset: One of :data:`dlcore.gan.data.DATASETS`.
        points: The teacher's points for ``custom``, ((x, y), …).
        noise_dim: 1 or 2; noise: ``"uniform"`` (U(−1, 1)) or ``"gaussian"``.
        g_layers, g_units, d_layers, d_units: Hidden Dense(relu) layers 0..4,
            units 1..64 of the generator and the discriminator.
        loss: One of :data:`dlcore.gan.LOSSES`.
        g_optimizer, g_lr, d_optimizer, d_lr: Each player's optimizer.
        d_steps: Discriminator updates per generator update (k).
        num_steps: Training steps (one step = k D updates + one G update).
        snapshot_every: Steps between two snapshots (animation frames).
        manual: Extra single updates after ``num_steps``, in order: ``d`` (one D
            update), ``g`` (one G update), ``b`` (both: one training step).
        batch_size: Real and generated samples per update.
        gp_weight: λ of the gradient penalty (``wgan_gp``).
        seed: Seed of the data, the initial weights and every random draw.
    """

    dataset: str = "ring"
    points: tuple[tuple[float, float], ...] = ()
    noise_dim: int = 2
    noise: str = "gaussian"
    g_layers: int = 2
    g_units: int = 64
    d_layers: int = 2
    d_units: int = 64
    loss: str = "nonsat"
    g_optimizer: str = "adam"
    g_lr: float = 0.001
    d_optimizer: str = "adam"
    d_lr: float = 0.001
    d_steps: int = 1
    num_steps: int = 4000
    snapshot_every: int = 100
    manual: str = ""
    batch_size: int = 128
    gp_weight: float = 0.1
    seed: int = 0

    def __post_init__(self) -> None:
        checks = [
            (self.dataset in data.DATASETS, f"dataset must be one of {data.DATASETS}"),
            (
                self.dataset != "custom"
                or data.MIN_POINTS <= len(self.points) <= data.MAX_POINTS,
                "custom needs 3..2000 points",
            ),
            (self.noise_dim in (1, 2), "noise_dim must be 1 or 2"),
            (self.noise in NOISES, f"noise must be one of {NOISES}"),
            (0 <= self.g_layers <= 4, "g_layers must be 0..4"),
            (0 <= self.d_layers <= 4, "d_layers must be 0..4"),
            (1 <= self.g_units <= 64, "g_units must be 1..64"),
            (1 <= self.d_units <= 64, "d_units must be 1..64"),
            (self.loss in LOSSES, f"loss must be one of {LOSSES}"),
            (self.g_optimizer in OPTIMIZERS, f"g_optimizer: one of {OPTIMIZERS}"),
            (self.d_optimizer in OPTIMIZERS, f"d_optimizer: one of {OPTIMIZERS}"),
            (0 < self.g_lr <= 1 and 0 < self.d_lr <= 1, "learning rates in (0, 1]"),
            (1 <= self.d_steps <= 10, "d_steps must be 1..10"),
            (0 <= self.num_steps <= 50000, "num_steps must be 0..50000"),
            (1 <= self.snapshot_every <= 5000, "snapshot_every must be 1..5000"),
            (
                len(self.manual) <= MAX_MANUAL
                and set(self.manual) <= set(MANUAL_ACTIONS),
                f"manual: at most {MAX_MANUAL} of d, g, b",
            ),
            (8 <= self.batch_size <= 1024, "batch_size must be 8..1024"),
            (0.0 <= self.gp_weight <= 100.0, "gp_weight must be 0..100"),
            (0 <= self.seed <= 2**31 - 1, "seed must be 0..2³¹−1"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(f"Invalid Gan2DConfig: {message}")
        for point in self.points:
            if len(point) != 2 or not all(np.isfinite(point)):
                raise ValueError("Invalid Gan2DConfig: points must be finite (x, y)")


def real_data(config: Gan2DConfig) -> np.ndarray:
    """The NUM_REAL real samples of the config (seed ``seed``)."""
    points = np.asarray(config.points, dtype=np.float32) if config.points else None
    return data.real_samples(config.dataset, NUM_REAL, config.seed, points=points)


def plot_limit(real: np.ndarray) -> float:
    """Half-width of the square the views and the KL / JS grid cover."""
    return float(np.ceil((np.abs(real).max() * 1.3 + 0.2) * 2) / 2)


ADAM_BETA_1 = 0.5


def _plan(config: Gan2DConfig) -> list[tuple[str, int]]:
    """The actions of a run: ("init", 0), ("train", n) chunks, manual updates.
    Chunks are made larger when there would be more than MAX_FRAMES."""
    every = max(config.snapshot_every, -(-config.num_steps // MAX_FRAMES))
    plan: list[tuple[str, int]] = [("init", 0)]
    done = 0
    while done < config.num_steps:
        count = min(every, config.num_steps - done)
        plan.append(("train", count))
        done += count
    plan.extend((action, 1) for action in config.manual)
    return plan


def estimate_gan_2d(config: Gan2DConfig) -> float:
    """Estimated seconds on 2 CPU cores: compile + per-update cost (∝ batch ×
    weights) + per-snapshot cost (measured, ``bench/gan.py``)."""
    g_w = _mlp_weights(config.noise_dim, config.g_layers, config.g_units, 2)
    d_w = _mlp_weights(2, config.d_layers, config.d_units, 1)
    updates = (config.num_steps + len(config.manual)) * (config.d_steps + 1)
    per_update = UPDATE_SECONDS + config.batch_size * (g_w + 2 * d_w) * FLOP_SECONDS
    if config.loss == "wgan_gp":
        per_update *= 1.8
    frames = len(_plan(config))
    return COMPILE_SECONDS + updates * per_update + frames * SNAPSHOT_SECONDS


def _mlp_weights(inputs: int, layers: int, units: int, outputs: int) -> int:
    widths = [inputs] + [units] * layers + [outputs]
    return sum(a * b + b for a, b in itertools.pairwise(widths))


#: Measured on 2 cores (bench/gan.py); see estimate_gan_2d.
COMPILE_SECONDS = 3.0
UPDATE_SECONDS = 1.5e-4
FLOP_SECONDS = 2.0e-10
SNAPSHOT_SECONDS = 0.03


SMOKE_2D = Gan2DConfig(num_steps=40, snapshot_every=20, manual="dgb", batch_size=32)

#: Config field -> page control key of the 2-D lab (``points`` is not a control:
#: the teacher's points stay in the session, never in a link).
LAB_CONTROLS: dict[str, str] = {
    "dataset": "gan_dataset",
    "noise_dim": "gan_noise_dim",
    "noise": "gan_noise",
    "g_layers": "gan_g_layers",
    "g_units": "gan_g_units",
    "d_layers": "gan_d_layers",
    "d_units": "gan_d_units",
    "loss": "gan_loss",
    "g_optimizer": "gan_g_opt",
    "g_lr": "gan_g_lr",
    "d_optimizer": "gan_d_opt",
    "d_lr": "gan_d_lr",
    "d_steps": "gan_k",
    "num_steps": "gan_steps",
    "snapshot_every": "gan_every",
    "manual": "gan_manual",
    "batch_size": "gan_batch",
    "seed": "gan_seed",
}


def lab_control_values(config: Gan2DConfig) -> dict[str, Any]:
    """The lab tab's control values that show ``config``.

    >>> lab_control_values(Gan2DConfig(loss="lsgan"))["gan_loss"]
    'lsgan'
    """
    return {key: getattr(config, field) for field, key in LAB_CONTROLS.items()}


PRESETS: tuple[Preset, ...] = (
    Preset("ring", Gan2DConfig(), tab="lab"),
    Preset("collapse", Gan2DConfig(loss="minimax", g_lr=0.008, d_lr=0.008), tab="lab"),
    Preset("fix", Gan2DConfig(loss="minimax"), tab="lab"),
    Preset(
        "saturating",
        Gan2DConfig(loss="minimax", d_lr=0.005, d_steps=3, num_steps=2000),
        tab="lab",
    ),
    Preset(
        "saturating_fix",
        Gan2DConfig(loss="nonsat", d_lr=0.005, d_steps=3, num_steps=2000),
        tab="lab",
    ),
    Preset("wgan", Gan2DConfig(loss="wgan_gp"), tab="lab"),
    Preset("moons", Gan2DConfig(dataset="moons"), tab="lab"),
    Preset("one_d_noise", Gan2DConfig(dataset="line", noise_dim=1), tab="lab"),
)

DIGIT_SOURCES: tuple[str, ...] = ("digits", "mnist")
#: Fixed-noise samples drawn per snapshot: 4 per digit (conditional) or 40.
GRID_SAMPLES = 40
INTERPOLATION = 10


@dataclass(frozen=True)
class DigitsGanConfig:
    """A small DCGAN (:func:`dlcore.gan.core.build_dcgan`) on handwritten digits.

    Attributes:
        source: ``"digits"`` (scikit-learn's 1 797 8×8 images, embedded) or
            ``"mnist"`` (28×28, downloaded by ``keras.datasets``; online only).
        conditional: G and D also get the digit (a conditional GAN).
        noise_dim: Size of z ~ N(0, I).
        filters: Filters of the first conv layer (the second has twice).
        num_steps, batch_size, learning_rate: Training (Adam, β₁ = 0.5, both
            players); one step = one D update then one G update.
        snapshot_every: Steps between two sample grids.
        seed: Seed of the initial weights and every random draw.
    """

    source: str = "digits"
    conditional: bool = False
    noise_dim: int = 16
    filters: int = 32
    num_steps: int = 1500
    batch_size: int = 64
    learning_rate: float = 0.001
    snapshot_every: int = 150
    seed: int = 0

    def __post_init__(self) -> None:
        checks = [
            (self.source in DIGIT_SOURCES, f"source must be one of {DIGIT_SOURCES}"),
            (2 <= self.noise_dim <= 128, "noise_dim must be 2..128"),
            (4 <= self.filters <= 128, "filters must be 4..128"),
            (1 <= self.num_steps <= 50000, "num_steps must be 1..50000"),
            (8 <= self.batch_size <= 512, "batch_size must be 8..512"),
            (0 < self.learning_rate <= 1, "learning_rate must be in (0, 1]"),
            (1 <= self.snapshot_every <= 5000, "snapshot_every must be 1..5000"),
            (0 <= self.seed <= 2**31 - 1, "seed must be 0..2³¹−1"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(f"Invalid DigitsGanConfig: {message}")


def _digits_plan(config: DigitsGanConfig) -> list[int]:
    every = max(config.snapshot_every, -(-config.num_steps // MAX_FRAMES))
    plan, done = [], 0
    while done < config.num_steps:
        plan.append(min(every, config.num_steps - done))
        done += plan[-1]
    return plan


def estimate_digits_gan(config: DigitsGanConfig) -> float:
    """Estimated seconds on 2 cores: compile + steps × batch × conv flops
    (constants measured, ``bench/gan.py``)."""
    size = 8 if config.source == "digits" else 28
    f = config.filters
    pixels = size * size
    flops = pixels * (f * 16 + f * 9 * 2 + 9 * f * 2 * f / 4)  # rough conv work
    per_step = STEP_SECONDS + config.batch_size * flops * DIGIT_FLOP_SECONDS
    frames = len(_digits_plan(config))
    return DIGITS_COMPILE_SECONDS + config.num_steps * per_step + frames * 0.02


DIGITS_COMPILE_SECONDS = 4.0
STEP_SECONDS = 3.0e-3
DIGIT_FLOP_SECONDS = 3.0e-10

DIGITS_CONTROLS: dict[str, str] = {
    "source": "gan_dg_source",
    "conditional": "gan_dg_conditional",
    "noise_dim": "gan_dg_noise",
    "filters": "gan_dg_filters",
    "num_steps": "gan_dg_steps",
    "learning_rate": "gan_dg_lr",
    "seed": "gan_dg_seed",
}


def digits_control_values(config: DigitsGanConfig) -> dict[str, Any]:
    """The digits tab's control values that show ``config``."""
    return {key: getattr(config, field) for field, key in DIGITS_CONTROLS.items()}


SMOKE_DIGITS = DigitsGanConfig(num_steps=20, snapshot_every=10, filters=8)
PRESETS = (
    *PRESETS,
    Preset("digits", DigitsGanConfig(), tab="digits"),
    Preset("digits_conditional", DigitsGanConfig(conditional=True), tab="digits"),
)
