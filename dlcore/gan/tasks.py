"""The GAN page's training tasks: configs, presets, train functions, estimates.

:func:`train_gan_2d` trains a 2-D GAN (GAN Lab's views, animated: samples,
the generator's manifold, D's heatmap, G's gradient arrows, losses, KL / JS,
modes covered) and :func:`train_digits_gan` a small DCGAN on 8×8 digits. Both
run a chunk of steps per call of one compiled function (cached per
architecture, :func:`dlcore.gan.core.runner`) and report every chunk through
``on_progress``; results are plain data (the generator's weights as arrays).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from dlcore import blocks, train
from dlcore.gan import core, data
from dlcore.gan.configs import (  # noqa: F401  (re-exported)
    ADAM_BETA_1,
    ARROWS,
    DIGIT_SOURCES,
    DIGITS_CONTROLS,
    GRID_SAMPLES,
    HEAT,
    INTERPOLATION,
    LAB_CONTROLS,
    MANIFOLD,
    MANUAL_ACTIONS,
    MAX_FRAMES,
    MAX_MANUAL,
    NUM_EVAL,
    NUM_REAL,
    NUM_SHOWN,
    OPTIMIZERS,
    PRESETS,
    SMOKE_2D,
    SMOKE_DIGITS,
    DigitsGanConfig,
    Gan2DConfig,
    _digits_plan,
    _plan,
    digits_control_values,
    estimate_digits_gan,
    estimate_gan_2d,
    lab_control_values,
    plot_limit,
    real_data,
)

tf, keras = core.tf, core.keras


def _builder(config: Gan2DConfig, key: tuple):
    def build():
        G = core.build_mlp(
            config.noise_dim, config.g_layers, config.g_units, 2, 0, "generator"
        )
        D = core.build_mlp(2, config.d_layers, config.d_units, 1, 0, "discriminator")
        g_opt = make_optimizer(config.g_optimizer, config.g_lr)
        d_opt = make_optimizer(config.d_optimizer, config.d_lr)
        real = tf.Variable(np.zeros((NUM_REAL, 2), np.float32), trainable=False)
        gen = tf.random.Generator.from_seed(0)
        return G, D, g_opt, d_opt, real, gen

    return build


def make_optimizer(name: str, learning_rate: float):
    """``blocks.make_optimizer``, with Adam's β₁ = 0.5 (Radford et al. 2016,
    the usual GAN setting: less momentum in a moving game)."""
    if name == "adam":
        return blocks.make_optimizer(name, learning_rate, beta_1=ADAM_BETA_1)
    return blocks.make_optimizer(name, learning_rate)


def _arch_key(config: Gan2DConfig) -> tuple:
    return (
        "gan2d",
        config.noise_dim,
        config.noise,
        config.g_layers,
        config.g_units,
        config.d_layers,
        config.d_units,
        config.loss,
        config.g_optimizer,
        config.d_optimizer,
        config.d_steps,
        config.batch_size,
        float(config.gp_weight),
    )


def manifold_noise(noise_dim: int, noise: str) -> np.ndarray:
    """Noise points whose images draw the generator's manifold: a MANIFOLD ×
    MANIFOLD grid (2-D) or 101 points on a line (1-D) over [−1, 1] (uniform)
    or [−2, 2] (Gaussian, ±2σ)."""
    span = 1.0 if noise == "uniform" else 2.0
    if noise_dim == 1:
        return np.linspace(-span, span, 101, dtype=np.float32)[:, None]
    axis = np.linspace(-span, span, MANIFOLD, dtype=np.float32)
    fine = np.linspace(-span, span, 41, dtype=np.float32)
    rows = [np.stack([fine, np.full_like(fine, a)], axis=1) for a in axis]
    cols = [np.stack([np.full_like(fine, a), fine], axis=1) for a in axis]
    return np.concatenate(rows + cols)


def _snapshot_fn(G, D, loss):
    @tf.function
    def snap(z_eval, grid, z_manifold, arrow_z):
        fake = G(z_eval, training=False)
        heat = D(grid, training=False)[:, 0]
        if loss in ("minimax", "nonsat"):
            heat = tf.sigmoid(heat)
        manifold = G(z_manifold, training=False)
        x = G(arrow_z, training=False)
        with tf.GradientTape() as tape:
            tape.watch(x)
            # Per-sample G loss; its gradient moves each fake sample.
            value = core.generator_loss(loss, D(x, training=False)) * tf.cast(
                tf.shape(x)[0], tf.float32
            )
        grad = tape.gradient(value, x)
        return fake, heat, manifold, x, -grad

    return snap


def train_gan_2d(
    config: Gan2DConfig,
    on_progress: Callable[[dict], None] | None = None,
    *,
    should_stop: Callable[[], bool] | None = None,
) -> train.TaskResult:
    """Train the 2-D GAN of ``config``, snapshotting every ``snapshot_every``
    steps (and after every manual update).

    Returns:
        A ``train.TaskResult``: ``history`` one row per snapshot (index
        ``epoch`` = snapshot number; ``step``, ``loss`` (D's mean loss since
        the last snapshot), ``g_loss``, ``kl``, ``js``, and for ring / grid
        ``modes``, ``high_quality``); ``weights`` the generator's weights;
        ``metrics`` the last snapshot's ``d_loss``, ``g_loss``, ``kl``, ``js``
        (and ``modes``, ``high_quality``); ``artifacts``: ``real`` (NUM_SHOWN,
        2), ``limit``, ``frames`` {``fake`` (F, NUM_SHOWN, 2), ``heat`` (F,
        HEAT, HEAT), ``manifold`` (F, M, 2), ``arrow_from`` / ``arrow`` (F,
        ARROWS, 2)}, ``steps`` (F,) the step of each frame, ``labels`` (F,)
        the action that led to it, ``generator`` (the architecture for
        :func:`sample`), ``centers``, ``std``.
    """
    start = time.perf_counter()
    real = real_data(config)
    limit = plot_limit(real)
    key = _arch_key(config)
    runner, _ = core.runner(key, _builder(config, key))
    centers = data.centers(config.dataset)
    std = data.DEFAULT_STD[config.dataset]
    with runner.lock:
        G0 = core.build_mlp(
            config.noise_dim,
            config.g_layers,
            config.g_units,
            2,
            config.seed,
            "generator",
        )
        D0 = core.build_mlp(2, config.d_layers, config.d_units, 1, config.seed + 7, "d")
        runner.reset(
            G0.get_weights(),
            D0.get_weights(),
            config.g_lr,
            config.d_lr,
            real,
            config.seed,
        )
        if runner.run is None:
            args = (
                runner.G,
                runner.D,
                runner.g_opt,
                runner.d_opt,
                runner.real,
                runner.gen,
                config.loss,
                config.noise,
                config.noise_dim,
                config.batch_size,
                config.d_steps,
                config.gp_weight,
            )
            # The chunks: XLA (re-run 2.6x -> 1.4x the whole-run XLA limit,
            # bench/trainer.py); single manual updates: the graph steps.
            _, runner.d_only, runner.g_only = core.make_steps(*args)
            runner.run = core.make_xla_run(*args)
            runner.snap = _snapshot_fn(runner.G, runner.D, config.loss)
        z_eval = core.noise_numpy(config.noise, NUM_EVAL, config.noise_dim, 12345)
        axis = np.linspace(-limit, limit, HEAT, dtype=np.float32)
        gx, gy = np.meshgrid(axis, axis)
        grid = np.stack([gx.ravel(), gy.ravel()], axis=1)
        z_manifold = manifold_noise(config.noise_dim, config.noise)
        arrow_z = z_eval[:ARROWS]
        plan = _plan(config)
        frames: dict[str, list] = {k: [] for k in ("fake", "heat", "manifold")}
        frames.update(arrow_from=[], arrow=[])
        rows, steps_done, labels = [], 0, []
        status = "finished"
        d_value, g_value = float("nan"), float("nan")
        for index, (action, count) in enumerate(plan):
            if index and should_stop is not None and should_stop():
                status = "cancelled"
                break
            if action == "train":
                d, g = runner.run(tf.constant(count, tf.int32))
                d_value, g_value = float(d), float(g)
                steps_done += count
            elif action in ("d", "b"):
                d_value = float(runner.d_only())
                if action == "b":
                    for _ in range(config.d_steps - 1):
                        d_value = float(runner.d_only())
                    g_value = float(runner.g_only())
                    steps_done += 1
            elif action == "g":
                g_value = float(runner.g_only())
            fake, heat, manifold, arrow_from, arrow = (
                t.numpy() for t in runner.snap(z_eval, grid, z_manifold, arrow_z)
            )
            row = {"step": steps_done, "loss": d_value, "g_loss": g_value}
            row.update(zip(("kl", "js"), core.kl_js(real, fake, limit), strict=True))
            if centers is not None:
                row["modes"], row["high_quality"] = core.mode_coverage(
                    fake, centers, std
                )
            rows.append(row)
            labels.append(action)
            frames["fake"].append(fake[:NUM_SHOWN])
            frames["heat"].append(heat.reshape(HEAT, HEAT))
            frames["manifold"].append(manifold)
            frames["arrow_from"].append(arrow_from)
            frames["arrow"].append(arrow)
            if on_progress is not None:
                on_progress({"epoch": len(rows), "epochs": len(plan), **row})
        weights = [np.asarray(w) for w in runner.G.get_weights()]
    history = pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1, name="epoch"))
    last = rows[-1] if rows else {}
    metrics = {
        ("d_loss" if k == "loss" else k): float(v)
        for k, v in last.items()
        if k != "step"
    }
    artifacts: dict[str, Any] = {
        "real": real[:NUM_SHOWN],
        "limit": limit,
        "frames": {k: np.asarray(v, dtype=np.float32) for k, v in frames.items()},
        "steps": [int(r["step"]) for r in rows],
        "labels": labels,
        "generator": {
            "noise_dim": config.noise_dim,
            "noise": config.noise,
            "layers": config.g_layers,
        },
        "std": std,
        "loss": config.loss,
    }
    if centers is not None:
        artifacts["centers"] = centers
    return train.TaskResult(
        history=history,
        status=status,
        wall_time=time.perf_counter() - start,
        metrics=metrics,
        artifacts=artifacts,
        weights=weights,
    )


def sample(result: Any, num_samples: int, seed: int = 0) -> np.ndarray:
    """``num_samples`` points from the trained generator of ``result`` (the
    result of :func:`train_gan_2d`, plain data: weights + architecture),
    evaluated in NumPy; noise from ``np.random.default_rng(seed)``.

    Returns:
        float32 (num_samples, 2).
    """
    spec = result.artifacts["generator"]
    z = core.noise_numpy(spec["noise"], num_samples, int(spec["noise_dim"]), seed)
    return core.mlp_numpy(result.weights, z).astype(np.float32)


# ----------------------------------------------------------------------------
# Image GAN: a small DCGAN on digits
# ----------------------------------------------------------------------------


def digits_images(source: str) -> tuple[np.ndarray, np.ndarray]:
    """``(images in [−1, 1] (N, s, s, 1) float32, labels (N,) int32)``.

    Raises:
        dlcore.datasets.DatasetUnavailable: MNIST offline (a clear message).
    """
    from dlcore import datasets

    if source == "digits":
        x, y = datasets._digits_arrays()
        return (x * 2 - 1).astype(np.float32), y.astype(np.int32)
    import os

    cached = os.path.exists(datasets.keras_cache_path("mnist.npz"))
    (x, y), _ = datasets.keras_download(
        "MNIST",
        keras.datasets.mnist.load_data,
        cached=cached,
        hint="The embedded 8×8 digits work offline.",
    )
    x = (x[..., None].astype(np.float32) / 127.5 - 1.0)[:20000]
    return x, y[:20000].astype(np.int32)


def _grid_noise(config: DigitsGanConfig) -> tuple[np.ndarray, np.ndarray]:
    """The fixed noise (and labels: digit i // 4) of the sample grid."""
    z = np.random.default_rng([config.seed, 1]).normal(
        size=(GRID_SAMPLES, config.noise_dim)
    )
    return z.astype(np.float32), (np.arange(GRID_SAMPLES) // 4).astype(np.int32)


def _generator_input(z: np.ndarray, y: np.ndarray, conditional: bool) -> np.ndarray:
    if not conditional:
        return z
    return np.concatenate([z, np.eye(10, dtype=np.float32)[y]], axis=1)


def train_digits_gan(
    config: DigitsGanConfig,
    on_progress: Callable[[dict], None] | None = None,
    *,
    should_stop: Callable[[], bool] | None = None,
) -> train.TaskResult:
    """Train the DCGAN of ``config``.

    Returns:
        A ``train.TaskResult``: ``history`` one row per snapshot (``step``,
        ``loss`` = D's mean loss, ``g_loss``, ``d_real_accuracy``,
        ``d_fake_accuracy``: D's accuracy on real / generated images, means
        since the last snapshot); ``metrics`` the last row's (``d_loss``,
        …); ``artifacts``: ``samples`` (F, 40, s, s) in [0, 1] from fixed
        noise (conditional: 4 per digit, digit = index // 4), ``steps`` (F,),
        ``interpolation`` (10 digits (conditional) or 1, 10, s, s): G along
        the straight line between two noise vectors; ``weights`` G's weights.
    """
    start = time.perf_counter()
    images, labels = digits_images(config.source)
    size = images.shape[1]
    classes = 10 if config.conditional else 0
    key = (
        "dcgan",
        config.source,
        classes,
        config.noise_dim,
        config.filters,
        config.batch_size,
    )

    def build():
        G, D = core.build_dcgan(size, config.noise_dim, config.filters, classes, 0)
        g_opt = make_optimizer("adam", config.learning_rate)
        d_opt = make_optimizer("adam", config.learning_rate)
        real = tf.Variable(np.zeros_like(images), trainable=False)
        return G, D, g_opt, d_opt, real, tf.random.Generator.from_seed(0)

    runner, _ = core.runner(key, build)
    rows: list[dict[str, float]] = []
    samples, steps_done, status = [], 0, "finished"
    z_grid, y_grid = _grid_noise(config)
    grid_in = _generator_input(z_grid, y_grid, config.conditional)
    plan = _digits_plan(config)
    with runner.lock:
        G0, D0 = core.build_dcgan(
            size, config.noise_dim, config.filters, classes, config.seed
        )
        runner.reset(
            G0.get_weights(),
            D0.get_weights(),
            config.learning_rate,
            config.learning_rate,
            images,
            config.seed,
        )
        if runner.run is None:
            runner.labels = tf.Variable(labels, trainable=False)
            runner.run = core.make_image_steps(
                runner.G,
                runner.D,
                runner.g_opt,
                runner.d_opt,
                runner.real,
                runner.labels,
                runner.gen,
                config.noise_dim,
                classes,
                config.batch_size,
            )
        runner.labels.assign(labels)
        for index, count in enumerate(plan):
            if index and should_stop is not None and should_stop():
                status = "cancelled"
                break
            values = runner.run(tf.constant(count, tf.int32)).numpy()
            steps_done += count
            row = dict(
                zip(
                    ("loss", "g_loss", "d_real_accuracy", "d_fake_accuracy"),
                    map(float, values),
                    strict=True,
                )
            )
            row = {"step": steps_done, **row}
            rows.append(row)
            grid = runner.G(grid_in, training=False).numpy()[..., 0]
            samples.append((grid + 1) / 2)
            if on_progress is not None:
                on_progress({"epoch": len(rows), "epochs": len(plan), **row})
        weights = [np.asarray(w) for w in runner.G.get_weights()]
        rng = np.random.default_rng([config.seed, 2])
        za, zb = rng.normal(size=(2, config.noise_dim)).astype(np.float32)
        alphas = np.linspace(0, 1, INTERPOLATION, dtype=np.float32)[:, None]
        line = (1 - alphas) * za + alphas * zb
        digits = range(10) if config.conditional else (0,)
        interpolation = []
        for digit in digits:
            y = np.full(INTERPOLATION, digit, np.int32)
            x = _generator_input(line, y, config.conditional)
            interpolation.append((runner.G(x, training=False).numpy()[..., 0] + 1) / 2)
    history = pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1, name="epoch"))
    last = rows[-1] if rows else {}
    metrics = {
        ("d_loss" if k == "loss" else k): float(v)
        for k, v in last.items()
        if k != "step"
    }
    return train.TaskResult(
        history=history,
        status=status,
        wall_time=time.perf_counter() - start,
        metrics=metrics,
        artifacts={
            "samples": np.asarray(samples, dtype=np.float32),
            "steps": [int(r["step"]) for r in rows],
            "interpolation": np.asarray(interpolation, dtype=np.float32),
            "conditional": bool(config.conditional),
        },
        weights=weights,
    )
