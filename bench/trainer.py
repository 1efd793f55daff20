"""Issue 19: dlcore.train.fit against model.fit and against the machine's limit.

Run from the repository root:

    python bench/trainer.py            # markdown table to stdout
    python bench/trainer.py --append   # also replaces the "Trainer vs its limit
                                       # (issue 19)" section of bench/RESULTS.md

For each workload, in one process and one run:

- ``model.fit`` three times (a new model each time), reported as median and
  spread (min–max);
- the *limit*: one ``tf.function(jit_compile=True)`` around ``tf.range`` loops
  over all epochs and batches, calling the same Keras model's ``train_step`` /
  ``test_step`` with the same Adam, data resident as tensors, metrics on the
  device; its compile time and its run time after compiling;
- ``dlcore.train.fit``: the first run of the architecture (tracing included),
  then re-runs that a slider move makes (each 3 times, median): a new seed
  (new weights and data order), a new learning rate, a new training-set size;
  the same-seed re-run's losses are checked against ``model.fit`` too.

Both sides see the same data, epochs, batch size and validation set. The loss
check compares ``dlcore.train.fit``'s history with ``model.fit``'s for the same
initial weights (unshuffled, so both see the same batches).

Workloads: the MLP, the digits CNN, the digits LSTM, the Transformer page's
default task (its graph loop and, for comparison, an XLA loop) and the GAN
page's default 2-D GAN. The GAN does not use ``train.fit``: its row compares
an idiomatic ``keras.Model`` subclass trained by ``model.fit``, the page's
step loop compiled whole with XLA, and ``train_gan_2d`` first run and re-runs;
a second table times the page's chunked step as the graph ``tf.function`` of
``core.make_steps``, as ``core.make_xla_run`` (what the page runs) and
re-wrapped whole with ``jit_compile=True``. ``--only gan`` / ``--only transformer``
run one workload.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DLCORE_CACHE_DIR", "none")

import numpy as np  # noqa: E402

from bench import cnn, lstm, mlp  # noqa: E402
from dlcore import datasets, runtime, train  # noqa: E402

tf = train.tf
SECTION = "## Trainer vs its limit (issue 19)"
#: Relative tolerance of the loss check against model.fit.
LOSS_RTOL = 1e-4


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def xla_reference(build, x, y, val, *, epochs, batch_size) -> tuple[float, float]:
    """(compile + first run seconds, run seconds) of a whole-run XLA loop."""
    model = build(0)
    model._symbolic_build(data_batch=(x[:batch_size], y[:batch_size]))
    n = len(x)
    full, rest = divmod(n, batch_size)
    x_val, y_val = val
    vfull, vrest = divmod(len(x_val), batch_size)
    names = list(model.get_metrics_result())

    def row(logs):
        return tf.stack([tf.cast(logs[k], tf.float32) for k in names])

    @tf.function(jit_compile=True)
    def whole(x, y, xv, yv, orders):
        logs_out = tf.TensorArray(tf.float32, size=epochs)
        for epoch in tf.range(epochs):
            for metric in model.metrics:
                metric.reset_state()
            order = orders[epoch]
            logs = model.get_metrics_result()
            for step in tf.range(full):
                index = tf.slice(order, [step * batch_size], [batch_size])
                logs = model.train_step((tf.gather(x, index), tf.gather(y, index)))
            if rest:
                index = order[full * batch_size :]
                logs = model.train_step((tf.gather(x, index), tf.gather(y, index)))
            for metric in model.metrics:
                metric.reset_state()
            vlogs = model.get_metrics_result()
            for step in tf.range(vfull):
                lo = step * batch_size
                vlogs = model.test_step(
                    (xv[lo : lo + batch_size], yv[lo : lo + batch_size])
                )
            if vrest:
                vlogs = model.test_step(
                    (xv[vfull * batch_size :], yv[vfull * batch_size :])
                )
            logs_out = logs_out.write(epoch, tf.concat([row(logs), row(vlogs)], 0))
        return logs_out.stack()

    orders = np.stack([train.epoch_order(n, 0, e) for e in range(epochs)])
    args = [tf.constant(a) for a in (x, y, x_val, y_val, orders)]
    first, _ = timed(lambda: whole(*args).numpy())
    again = []
    for _ in range(5):
        seconds, _ = timed(lambda: whole(*args).numpy())
        again.append(seconds)
    return first, statistics.median(again)


def keras_fit(build, x, y, val, *, epochs, batch_size, seed):
    """(seconds in ``model.fit``, its History); building is not timed."""
    model = build(seed)
    return timed(
        lambda: model.fit(
            x,
            y,
            epochs=epochs,
            batch_size=batch_size,
            validation_data=val,
            verbose=0,
            shuffle=False,
        )
    )


def ours(
    build, x, y, val, *, epochs, batch_size, seed, lr=None, shuffle=True, jit=None
):
    """(seconds in ``train.fit``, its result); building the model is not timed."""
    model = build(seed)
    if lr is not None:
        model.optimizer.learning_rate = lr
    return timed(
        lambda: train.fit(
            model,
            x,
            y,
            epochs=epochs,
            batch_size=batch_size,
            validation_data=val,
            seed=seed,
            shuffle=shuffle,
            jit_compile=jit,
        )
    )


def compare(
    name, build, x, y, val, *, epochs, batch_size, lr, loops=None
) -> list[dict]:
    """One row per strategy: the default (``jit_compile=None``) and, for
    models whose default ends in XLA (MLP, LSTM, Transformer), the plain graph loop
    (``jit_compile=False``) too; ``loops`` (values of ``jit_compile``)
    overrides the choice."""
    kw = {"epochs": epochs, "batch_size": batch_size}
    fits = []
    for seed in (0, 1, 2):
        seconds, h = keras_fit(build, x, y, val, seed=seed, **kw)
        fits.append(seconds)
        if seed == 0:
            reference_history = h.history
    fit_median = statistics.median(fits)
    try:
        limit_first, limit = xla_reference(build, x, y, val, **kw)
        limit_cell = f"{limit_first:.2f} / {limit:.3f}"
    except Exception as error:  # XLA cannot compile this model's step
        limit = float("nan")
        limit_cell = f"XLA: not supported ({type(error).__name__})"
    if loops is None:
        loops = [None, False] if train.prefers_xla(build(0)) else [None]
    xla_model = train.prefers_xla(build(0))
    names = {
        None: "default (None): " + ("graph first, then XLA" if xla_model else "graph"),
        False: "graph (False)",
        True: "XLA (True)",
    }

    def same(result):
        return all(
            np.allclose(result.history[k], v, rtol=LOSS_RTOL, atol=1e-6)
            for k, v in reference_history.items()
        )

    out = []
    for jit in loops:
        train.clear_compiled()
        kw["jit"] = jit
        first, result = ours(build, x, y, val, seed=0, shuffle=False, **kw)
        same_first = same(result)
        # The default compiles a Dense-only model's XLA loop in the background
        # after its first (graph) run; re-runs are measured once it is ready.
        background, _ = timed(train.wait_for_xla)
        _, again = ours(build, x, y, val, seed=0, shuffle=False, **kw)
        same_again = same(again)
        runs = {"new seed": [], "new lr": [], "new size": []}
        traced = []
        for i in range(3):
            seconds, r = ours(build, x, y, val, seed=5 + i, **kw)
            runs["new seed"].append(seconds)
            traced.append(r.compiled)
            seconds, r = ours(build, x, y, val, seed=5, lr=lr * (1 + i), **kw)
            runs["new lr"].append(seconds)
            traced.append(r.compiled)
            m = len(x) * (5 + i) // 8  # ⅝, ¾ and ⅞ of the points
            seconds, r = ours(build, x[:m], y[:m], val, seed=5, **kw)
            runs["new size"].append(seconds)
            traced.append(r.compiled)
        rerun = {k: statistics.median(v) for k, v in runs.items()}
        out.append(
            {
                "workload": name,
                "dlcore loop (jit_compile)": names[jit],
                "model.fit median (min–max)": f"{fit_median:.2f} ({min(fits):.2f}–"
                f"{max(fits):.2f})",
                "XLA limit: compile+run / run": limit_cell,
                "dlcore first run": first,
                "XLA compiled in the background after it": (
                    f"{background:.2f}" if jit is None and xla_model else "—"
                ),
                "re-run: new seed / new lr / new size (median of 3)": " / ".join(
                    f"{v:.3f}" for v in rerun.values()
                ),
                "first ×fit": fit_median / first,
                "re-run ×fit (min–max)": f"{fit_median / rerun['new seed']:.1f} "
                f"({min(fits) / rerun['new seed']:.1f}–"
                f"{max(fits) / rerun['new seed']:.1f})",
                "re-run ÷ limit (seed / lr / size)": " / ".join(
                    f"{v / limit:.2f}" if limit == limit else "—"
                    for v in rerun.values()
                ),
                "traced on re-runs": f"{sum(traced)} of {len(traced)}",
                f"losses = model.fit, first / re-run (rtol {LOSS_RTOL:g})": (
                    f"{'yes' if same_first else 'NO'} / {'yes' if same_again else 'NO'}"
                ),
            }
        )
    return out


def rows(only: str = "") -> list[dict]:
    toy = datasets.load("xor", num_samples=640, noise=0.1, seed=0)  # 512 train
    digits = datasets.load("digits", seed=0)
    flat = (digits.x_train[..., 0], digits.y_train)
    work = [
        ("MLP 2-8-8-1, 512 pts, batch 32, 100 ep", mlp, toy, None, 100, 32, 0.03),
        ("digits CNN, 1347 img, batch 64, 10 ep", cnn, digits, None, 10, 64, 3e-3),
        ("digits LSTM(32), 8×8, batch 64, 10 ep", lstm, digits, flat, 10, 64, 1e-2),
    ]
    out = []
    for name, build, ds, xy, epochs, batch_size, lr in work:
        if only and only.lower() not in name.lower():
            continue
        if xy is None:
            x, y, val = ds.x_train, ds.y_train, (ds.x_val, ds.y_val)
        else:
            x, y, val = *xy, (ds.x_val[..., 0], ds.y_val)
        new = compare(
            name, build, x, y, val, epochs=epochs, batch_size=batch_size, lr=lr
        )
        out += new
        print(table(new), flush=True)
    name, build, data, config = transformer_workload()
    if not only or only.lower() in name.lower():
        x, y, x_val, y_val = data
        # The default (graph first, then XLA) and the plain graph loop.
        new = compare(
            name,
            build,
            x,
            y,
            (x_val, y_val),
            epochs=config.epochs,
            batch_size=config.batch_size,
            lr=config.learning_rate,
        )
        out += new
        print(table(new), flush=True)
    return out


def transformer_workload():
    """The Transformer page's default task (``transformer.sequence``'s
    Transformer: reverse 8 digits, 3000 sequences, 8 epochs, batch 64):
    ``(name, build(seed), (x, y, x_val, y_val), config)``."""
    from dlcore.transformer import tasks

    config = tasks.SequenceConfig()

    def build(seed):
        return tasks.sequence_model(tasks.SequenceConfig(seed=seed))

    name = (
        f"Transformer {config.layers} block d{config.d_model} {config.heads} heads,"
        f" reverse {config.length}, {config.num_samples} seq., batch "
        f"{config.batch_size}, {config.epochs} ep"
    )
    return name, build, tasks.sequence_data(config), config


# ----------------------------------------------------------------------------
# GAN 2-D (ring of 8 Gaussians, the GAN page's default): dlcore.gan does not
# use train.fit, it runs core.make_steps' tf.function in chunks.
# ----------------------------------------------------------------------------

GAN_NAME = "GAN 2-D ring, G/D 2×64, nonsat, batch 128, 4000 steps"

GAN_NOTE = (
    "GAN (no `train.fit`: the page's `train_gan_2d` runs `core.make_xla_run` "
    "in 40 chunks of 100 steps (each chunk's random numbers drawn by a graph "
    "`tf.function`, the updates by one XLA-compiled loop), each followed by "
    "a snapshot: "
    "G's samples, D's heatmap, the manifold, gradient arrows, KL / JS, mode "
    "coverage). `model.fit`: a `keras.Model` subclass holding G and D "
    "(keras.io's DCGAN / WGAN-GP pattern) whose `train_step` does the same k D "
    "updates and one G update with `core.discriminator_loss` / "
    "`core.generator_loss`, the same Adam (β₁ 0.5, lr 0.001) and initial "
    "weights, on the 4000 real points shuffled and repeated, batch 128, 100 "
    "steps per epoch × 40 epochs; 3 seeds. `XLA limit`: `make_steps`' own "
    "step loop re-wrapped in `tf.function(jit_compile=True)` over all 4000 "
    "steps in one call (its `tf.random.Generator` draws compile under XLA, so "
    "no noise is pre-generated). `task` = the whole `train_gan_2d` call "
    "(snapshots and measures included); `steps only` = the time inside its "
    "`runner.run` calls. Re-runs: a new seed, or new learning rates "
    "(0.002, 0.003, 0.004 for both players); the config has no "
    "number-of-real-points field (fixed 4000), so no new-size re-run. Losses "
    "cannot match bitwise (model.fit's data order and noise come from other "
    "random streams): the final means over the last 100 steps for seed 0 are "
    "compared for range only (`same range`: each within 0.15; nonsat at "
    "equilibrium: D ≈ 2 ln 2 = 1.386, G ≈ ln 2 = 0.693)."
)
GAN_CHUNK_NOTE = (
    "The page's chunked step without snapshots, on bench-owned models "
    "(dlcore's runner cache untouched), 40 calls of `run(100)`: the graph "
    "`tf.function` of `core.make_steps` (the page's loop until 2026-12-02), "
    "`core.make_xla_run` (the page's now: a graph `tf.function` draws the "
    "chunk's indices, noise and ε from the same `tf.random.Generator` in the "
    "same order, padded to 100 steps so one compilation serves every chunk "
    "length, then one `jit_compile=True` `tf.while_loop` does the updates), "
    "and `make_steps`' loop re-wrapped whole in `jit_compile=True`. `first "
    "run` includes tracing (graph) or tracing + XLA compilation; the limit "
    "is the whole-run XLA call above. Under the plain re-wrap the step count "
    "is a compile-time constant (every new chunk size compiles again) and "
    "the normal draws come from XLA's kernel, which differs from the CPU "
    "kernel's, so the same seed follows another trajectory; `make_xla_run` "
    "keeps the graph loop's draws, and its losses equal the graph loop's "
    "up to float rounding (XLA fuses and reorders; a GAN amplifies it: "
    "≈ 1e-4 after a few hundred steps), so the exported script runs "
    "`make_xla_run` too and reproduces the page at rtol 1e-4."
)


def gan_keras_model(config, seed: int):
    """The idiomatic Keras GAN (keras.io "DCGAN" / "WGAN-GP"): a
    ``keras.Model`` holding G and D whose ``train_step`` does ``d_steps`` D
    updates (one real batch each) then one G update, with dlcore's losses,
    optimizers and learning rates and the page's initial weights for ``seed``.
    """
    import keras

    from dlcore.gan import core
    from dlcore.gan import tasks as gan

    class GAN(keras.Model):
        def __init__(self, G, D):
            super().__init__()
            self.G, self.D = G, D
            self.seed_generator = keras.random.SeedGenerator(seed)
            self.d_tracker = keras.metrics.Mean(name="d_loss")
            self.g_tracker = keras.metrics.Mean(name="g_loss")

        def compile(self, d_optimizer, g_optimizer):
            super().compile()
            self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer

        @property
        def metrics(self):
            return [self.d_tracker, self.g_tracker]

        def noise(self):
            shape = (config.batch_size, config.noise_dim)
            if config.noise == "uniform":
                return keras.random.uniform(shape, -1.0, 1.0, seed=self.seed_generator)
            return keras.random.normal(shape, seed=self.seed_generator)

        def train_step(self, real):  # real: (d_steps, batch, 2)
            for i in range(config.d_steps):
                x = real[i]
                fake = self.G(self.noise(), training=True)
                with tf.GradientTape() as tape:
                    d_loss = core.discriminator_loss(
                        config.loss,
                        self.D(x, training=True),
                        self.D(fake, training=True),
                    )
                    if config.loss == "wgan_gp":
                        eps = keras.random.uniform(
                            (config.batch_size, 1), seed=self.seed_generator
                        )
                        d_loss += config.gp_weight * core.gradient_penalty(
                            self.D, x, fake, eps
                        )
                grads = tape.gradient(d_loss, self.D.trainable_weights)
                self.d_optimizer.apply(grads, self.D.trainable_weights)
                self.d_tracker.update_state(d_loss)
            with tf.GradientTape() as tape:
                fake_out = self.D(self.G(self.noise(), training=True), training=True)
                g_loss = core.generator_loss(config.loss, fake_out)
            grads = tape.gradient(g_loss, self.G.trainable_weights)
            self.g_optimizer.apply(grads, self.G.trainable_weights)
            self.g_tracker.update_state(g_loss)
            return {m.name: m.result() for m in self.metrics}

    G, D = gan_initial(config, seed)
    model = GAN(G, D)
    model.compile(
        d_optimizer=gan.make_optimizer(config.d_optimizer, config.d_lr),
        g_optimizer=gan.make_optimizer(config.g_optimizer, config.g_lr),
    )
    model.d_optimizer.build(D.trainable_variables)
    model.g_optimizer.build(G.trainable_variables)
    return model


def gan_initial(config, seed: int):
    """G and D with the initial weights ``train_gan_2d`` gives ``seed``."""
    from dlcore.gan import core

    G = core.build_mlp(
        config.noise_dim, config.g_layers, config.g_units, 2, seed, "generator"
    )
    D = core.build_mlp(2, config.d_layers, config.d_units, 1, seed + 7, "d")
    return G, D


def gan_keras_fit(config, seed: int):
    """(seconds in ``model.fit``, final mean D loss, final mean G loss): the
    real points shuffled and repeated, ``snapshot_every`` steps per epoch,
    ``num_steps / snapshot_every`` epochs; building is not timed."""
    from dlcore.gan import tasks as gan

    model = gan_keras_model(config, seed)
    real = gan.real_data(config)
    data = (
        tf.data.Dataset.from_tensor_slices(real)
        .shuffle(len(real), seed=seed)
        .repeat()
        .batch(config.batch_size, drop_remainder=True)
        .batch(config.d_steps, drop_remainder=True)
    )
    per_epoch = config.snapshot_every
    seconds, h = timed(
        lambda: model.fit(
            data,
            epochs=config.num_steps // per_epoch,
            steps_per_epoch=per_epoch,
            verbose=0,
            shuffle=False,  # the dataset is shuffled
        )
    )
    return seconds, h.history["d_loss"][-1], h.history["g_loss"][-1]


def gan_runner(config, seed: int, mode: str):
    """``(run, reset)`` over a bench-owned :class:`dlcore.gan.core.Runner`
    (not in dlcore's runner cache): ``mode`` "graph" = ``core.make_steps``'
    graph ``tf.function``, "xla" = ``core.make_xla_run`` (what the page
    runs), "jit" = ``make_steps``' loop re-wrapped with ``jit_compile=True``
    (draws inside XLA); ``reset(seed, lr)`` loads the page's initial weights
    like a new run."""
    from dlcore.gan import core
    from dlcore.gan import tasks as gan

    runner = core.Runner(("bench", mode), gan._builder(config, None))
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
    run = core.make_xla_run(*args) if mode == "xla" else core.make_steps(*args)[0]
    if mode == "jit":
        run = tf.function(run.python_function, jit_compile=True)
    real = gan.real_data(config)

    def reset(seed: int, lr: float | None = None) -> None:
        G0, D0 = gan_initial(config, seed)
        runner.reset(
            G0.get_weights(),
            D0.get_weights(),
            lr or config.g_lr,
            lr or config.d_lr,
            real,
            seed,
        )

    reset(seed)
    return run, reset


def gan_chunks(run, config) -> tuple[float, float]:
    """Seconds to run ``num_steps`` in the page's chunks (``snapshot_every``
    steps per call), no snapshots; the last chunk's mean D and G losses."""
    chunk = tf.constant(config.snapshot_every, tf.int32)
    start = time.perf_counter()
    for _ in range(config.num_steps // config.snapshot_every):
        d, g = run(chunk)
        d, g = float(d), float(g)
    return time.perf_counter() - start, (d, g)


def gan_rows(only: str = "") -> tuple[list[dict], list[dict]]:
    """The GAN row (against model.fit and the whole-run XLA limit) and the
    graph-vs-XLA table of the chunked step."""
    if only and only.lower() not in GAN_NAME.lower():
        return [], []
    from dlcore.gan import core
    from dlcore.gan import tasks as gan

    config = gan.Gan2DConfig()
    steps = config.num_steps

    # model.fit, three seeds.
    fits, fit_losses = [], None
    for seed in (0, 1, 2):
        seconds, d, g = gan_keras_fit(config, seed)
        fits.append(seconds)
        fit_losses = fit_losses or (d, g)
    fit_median = statistics.median(fits)

    # The whole-run XLA limit: one call of all steps.
    limit_cell, limit = "", float("nan")
    try:
        run, reset = gan_runner(config, 0, "jit")
        whole = tf.constant(steps, tf.int32)
        limit_first, _ = timed(lambda: [float(v) for v in run(whole)])
        again = []
        for i in range(3):
            reset(5 + i)
            again.append(timed(lambda: [float(v) for v in run(whole)])[0])
        limit = statistics.median(again)
        limit_cell = f"{limit_first:.2f} / {limit:.3f}"
    except Exception as error:
        limit_cell = f"XLA: not supported ({type(error).__name__})"

    # The chunked step (what the page calls): graph vs XLA, first run
    # (tracing / compiling) and re-runs with a new seed (median of 3).
    chunk_rows = []
    names = {
        "graph": "graph tf.function (make_steps)",
        "xla": "XLA updates, pre-drawn noise (make_xla_run, current)",
        "jit": "make_steps re-wrapped in jit_compile=True (draws in XLA)",
    }
    for mode in names:
        try:
            run, reset = gan_runner(config, 0, mode)
            first, losses = gan_chunks(run, config)
            again = []
            for i in range(3):
                reset(5 + i)
                again.append(gan_chunks(run, config)[0])
            rerun = statistics.median(again)
            cells = {
                "first run (trace/compile + run)": first,
                "re-run, new seed (median of 3)": rerun,
                "per step (ms)": 1000 * rerun / steps,
                "re-run ÷ limit": rerun / limit if limit == limit else "—",
                "seed 0 final D / G loss": f"{losses[0]:.3f} / {losses[1]:.3f}",
            }
        except Exception as error:
            cells = {"first run (trace/compile + run)": type(error).__name__}
        chunk_rows.append(
            {
                "`runner.run` compiled as": names[mode],
                **cells,
            }
        )

    # dlcore: the page's train_gan_2d, its own runner cache. The runner's
    # run is wrapped (bench side) to time the steps apart from the snapshots.
    key = gan._arch_key(config)
    with core._LOCK:
        core._RUNNERS.pop(key, None)  # the architecture's first run here
    step_seconds = [0.0]
    make_xla_run = core.make_xla_run

    def timed_make_run(*args, **kwargs):
        run = make_xla_run(*args, **kwargs)

        def run_timed(n):
            start = time.perf_counter()
            d, g = run(n)
            d, g = float(d), float(g)
            step_seconds[0] += time.perf_counter() - start
            return d, g

        return run_timed

    def task(cfg):
        new = key not in core._RUNNERS
        step_seconds[0] = 0.0
        seconds, result = timed(lambda: gan.train_gan_2d(cfg))
        return seconds, step_seconds[0], new, result

    core.make_xla_run = timed_make_run
    try:
        first, first_steps, _, result = task(config)
        dl_losses = (result.metrics["d_loss"], result.metrics["g_loss"])
        runs = {"new seed": [], "new lr": []}
        pure = {"new seed": [], "new lr": []}
        built = []
        for i in range(3):
            s, p_, new, _ = task(gan.Gan2DConfig(seed=5 + i))
            runs["new seed"].append(s)
            pure["new seed"].append(p_)
            built.append(new)
            lr = config.g_lr * (2 + i)
            s, p_, new, _ = task(gan.Gan2DConfig(seed=5, g_lr=lr, d_lr=lr))
            runs["new lr"].append(s)
            pure["new lr"].append(p_)
            built.append(new)
    finally:
        core.make_xla_run = make_xla_run
    rerun = {k: statistics.median(v) for k, v in runs.items()}
    rerun_steps = {k: statistics.median(v) for k, v in pure.items()}
    both = (*fit_losses, *dl_losses)
    same_range = (
        max(abs(a - b) for a, b in zip(fit_losses, dl_losses, strict=True)) < 0.15
    )
    row = {
        "workload": GAN_NAME,
        "dlcore loop": "XLA updates on pre-drawn noise, 40 chunks of 100 steps",
        "model.fit median (min–max)": f"{fit_median:.2f} ({min(fits):.2f}–"
        f"{max(fits):.2f})",
        "XLA limit: compile+run / run": limit_cell,
        "dlcore first run: task (steps only)": f"{first:.2f} ({first_steps:.2f})",
        "re-run task: new seed / new lr (median of 3)": " / ".join(
            f"{v:.2f}" for v in rerun.values()
        ),
        "re-run steps only: new seed / new lr": " / ".join(
            f"{v:.2f}" for v in rerun_steps.values()
        ),
        "first ×fit": fit_median / first,
        "re-run ×fit (min–max)": f"{fit_median / rerun['new seed']:.1f} "
        f"({min(fits) / rerun['new seed']:.1f}–"
        f"{max(fits) / rerun['new seed']:.1f})",
        "re-run steps ÷ limit (seed / lr)": " / ".join(
            f"{v / limit:.2f}" if limit == limit else "—" for v in rerun_steps.values()
        ),
        "new runner on re-runs": f"{sum(built)} of {len(built)}",
        "final D / G loss, seed 0: model.fit / dlcore": (
            "{:.3f} / {:.3f} vs {:.3f} / {:.3f}".format(*both)
            + (" (same range)" if same_range else " (DIFFERENT)")
        ),
    }
    return [row], chunk_rows


def table(data: list[dict]) -> str:
    heads = list(data[0])

    def fmt(v):
        if isinstance(v, bool):
            return "yes" if v else "no"
        if isinstance(v, float):
            return f"{v:.3f}" if v < 1 else f"{v:.2f}"
        return str(v)

    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    lines += ["| " + " | ".join(fmt(r[h]) for h in heads) + " |" for r in data]
    return "\n".join(lines)


def append(text: str, path: Path) -> None:
    """Replace the issue-19 section of ``path`` (up to the next ``## ``
    heading; the sections after it stay), or add it at the end."""
    old = path.read_text(encoding="utf-8")
    if SECTION not in old:
        path.write_text(old.rstrip("\n") + "\n\n" + text, encoding="utf-8")
        return
    head, rest = old.split(SECTION, 1)
    tail = rest.split("\n## ", 1)[1] if "\n## " in rest else ""
    new = head + text.rstrip("\n") + "\n"
    if tail:
        new += "\n## " + tail
    path.write_text(new, encoding="utf-8")


MAIN_NOTE = (
    "`XLA limit`: one `tf.function(jit_compile=True)` over all epochs and "
    "batches (train + validation per epoch, metrics on the device), the same "
    "Keras model and Adam. `re-run`: the same architecture, already compiled, "
    "with a new seed, a new learning rate, or ⅝, ¾ and ⅞ of the training "
    "points (median of 3 each). "
    "`×fit` uses the median of 3 `model.fit` runs (spread from the min and "
    "max). `default (None)`: `train.fit`'s default; for a Dense-only model "
    "its first run is the graph loop, and the XLA loop compiles on a "
    "background thread after it (`XLA compiled in the background` is the wait "
    "for it), which the re-runs then use; `graph (False)` is the graph loop "
    "alone. Transformer: the page's default `SequenceConfig()` Transformer "
    "(the page trains an LSTM beside it, not timed here); attention models "
    "cannot be padded, so a new data size runs the graph loop while its XLA "
    "loop compiles in the background (the `new size` re-runs)."
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--append", action="store_true")
    parser.add_argument("--only", default="", help="workloads whose name has this")
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    info = runtime.device_info()
    load = os.getloadavg()
    main_rows = rows(args.only)
    gan_row, gan_chunk_rows = gan_rows(args.only)
    parts = [table(main_rows), MAIN_NOTE] if main_rows else []
    if gan_row:
        print(table(gan_row), flush=True)
        parts += [table(gan_row), GAN_NOTE, table(gan_chunk_rows), GAN_CHUNK_NOTE]
    body = "\n\n".join(parts)
    text = (
        f"{SECTION}\n\n"
        f"Generated by `python bench/trainer.py` on {time.strftime('%Y-%m-%d %H:%M')}"
        f": {platform.machine()}, {os.cpu_count()} cores, device {info['device']}, "
        f"TensorFlow {info['tensorflow']}, Keras {info['keras']}, load average "
        f"{load[0]:.2f} at the start. Seconds, wall clock, one process.\n\n"
        f"{body}\n"
    )
    print(text)
    if args.append:
        append(text, Path(args.out))


if __name__ == "__main__":
    main()
