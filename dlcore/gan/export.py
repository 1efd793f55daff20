"""Standalone scripts (NumPy + TensorFlow + Keras, no dlcore) that reproduce
a GAN run of the page: the same data, initial weights, random draws and train
step, so the last line ``FINAL {...}`` equals the page's metrics.

The train step, the losses and the measures are the very functions of
:mod:`dlcore.gan.core` (their source is embedded), so the script and the page
cannot drift apart.
"""

from __future__ import annotations

import inspect
import textwrap

from dlcore.gan import core, data, measures, tasks

_CORE = (
    core.discriminator_loss,
    core.generator_loss,
    core.gradient_penalty,
    core.build_mlp,
    core.d_update,
    core.g_update,
    core.make_draws,
    core.make_steps,
    core.make_xla_run,
    measures.kl_js,
    measures.mode_coverage,
    measures.noise_numpy,
)
_DATA = {
    "ring": (data.ring_centers, data.ring_of_gaussians),
    "grid": (data.grid_centers, data.grid_of_gaussians),
    "line": (data.line,),
    "moons": (data.moons,),
    "spiral": (data.spiral,),
    "custom": (data.custom,),
}


def _source(functions) -> str:
    return "\n\n".join(textwrap.dedent(inspect.getsource(f)) for f in functions)


# Read once, at import: the source of the code that is running (a file edited
# later under a running server cannot shift the lines read).
_CORE_SOURCE = _source(_CORE)
_DATA_SOURCE = {name: _source(functions) for name, functions in _DATA.items()}
_IMAGE_SOURCE = _source(
    (
        core.discriminator_loss,
        core.generator_loss,
        core.build_dcgan,
        core.make_image_steps,
    )
)


def _optimizer(name: str, lr: float) -> str:
    if name == "adam":
        return (
            f"keras.optimizers.Adam(learning_rate={lr!r}, beta_1={tasks.ADAM_BETA_1})"
        )
    return {"rmsprop": "keras.optimizers.RMSprop", "sgd": "keras.optimizers.SGD"}[
        name
    ] + f"(learning_rate={lr!r})"


def _real_code(config: tasks.Gan2DConfig) -> str:
    n, seed = tasks.NUM_REAL, config.seed
    if config.dataset == "ring":
        return f"real = ring_of_gaussians({n}, seed={seed})"
    if config.dataset == "grid":
        return f"real = grid_of_gaussians({n}, seed={seed})"
    if config.dataset == "custom":
        points = [list(map(float, p)) for p in config.points]
        return (
            f"POINTS = np.asarray({points!r}, dtype=np.float32)\n"
            f"real = custom(POINTS, {n}, {data.DEFAULT_STD['custom']}, {seed})"
        )
    return f"real = {config.dataset}({n}, seed={seed})"


def code_gan_2d(config: tasks.Gan2DConfig) -> str:
    """The script of a 2-D GAN run (prints ``FINAL {metrics}``)."""
    c = config
    plan = tasks._plan(config)
    centers = data.centers(c.dataset)
    std = data.DEFAULT_STD[c.dataset]
    coverage = (
        "modes, high_quality = mode_coverage(fake, CENTERS, STD)\n"
        "final.update(modes=float(modes), high_quality=high_quality)\n"
        if centers is not None
        else ""
    )
    centers_line = (
        f"CENTERS = {_DATA[c.dataset][0].__name__}()\n" if centers is not None else ""
    )
    return f'''"""A GAN on 2-D data ({c.dataset}, loss {c.loss}), trained with two
optimizers: k = {c.d_steps} discriminator update(s), then one generator update
against a frozen discriminator, {c.num_steps} steps. Reproduces the dashboard run."""

import numpy as np
import tensorflow as tf
import keras

# --- data -------------------------------------------------------------------
{_DATA_SOURCE[c.dataset]}

# --- the GAN: losses, models, the train step, measures -----------------------
XLA_CHUNK = {core.XLA_CHUNK}

{_CORE_SOURCE}


{_real_code(c)}
{centers_line}STD = {std!r}
real_var = tf.Variable(real, trainable=False)
G = build_mlp({c.noise_dim}, {c.g_layers}, {c.g_units}, 2, {c.seed}, "generator")
D = build_mlp(2, {c.d_layers}, {c.d_units}, 1, {c.seed + 7}, "d")
g_opt = {_optimizer(c.g_optimizer, c.g_lr)}
d_opt = {_optimizer(c.d_optimizer, c.d_lr)}
g_opt.build(G.trainable_variables)
d_opt.build(D.trainable_variables)
gen = tf.random.Generator.from_seed({c.seed})
STEP_ARGS = (
    G, D, g_opt, d_opt, real_var, gen, {c.loss!r}, {c.noise!r}, {c.noise_dim},
    {c.batch_size}, {c.d_steps}, {c.gp_weight!r},
)
run, d_only, g_only = make_steps(*STEP_ARGS)
# The dashboard runs the same steps with the updates compiled by XLA (the same
# random draws, faster on small models). Delete this line for the plain graph
# loop: the same run up to float rounding, which a GAN amplifies (~1e-4).
run = make_xla_run(*STEP_ARGS)

# (action, count): "train" = count steps in one compiled call; "d" / "g" / "b"
# = one update of D / of G / one whole step (the page's step-through buttons).
PLAN = {plan!r}
d_value = g_value = float("nan")
for action, count in PLAN:
    if action == "train":
        d, g = run(tf.constant(count, tf.int32))
        d_value, g_value = float(d), float(g)
    elif action in ("d", "b"):
        d_value = float(d_only())
        if action == "b":
            for _ in range({c.d_steps} - 1):
                d_value = float(d_only())
            g_value = float(g_only())
    elif action == "g":
        g_value = float(g_only())

z_eval = noise_numpy({c.noise!r}, {tasks.NUM_EVAL}, {c.noise_dim}, 12345)
fake = G(z_eval, training=False).numpy()
limit = {tasks.plot_limit(tasks.real_data(c))!r}
kl, js = kl_js(real, fake, limit)
final = {{"d_loss": d_value, "g_loss": g_value, "kl": kl, "js": js}}
{coverage}print("FINAL", final)
'''


def code_digits_gan(config: tasks.DigitsGanConfig) -> str:
    """The script of a digits DCGAN run (prints ``FINAL {metrics}``)."""
    c = config
    classes = 10 if c.conditional else 0
    if c.source == "digits":
        load = (
            "from sklearn.datasets import load_digits\n\n"
            "digits = load_digits()\n"
            "images = ((digits.images / 16.0) * 2 - 1).astype(np.float32)[..., None]\n"
            "labels = digits.target.astype(np.int32)"
        )
    else:
        load = (
            "(x, y), _ = keras.datasets.mnist.load_data()\n"
            "images = (x[..., None].astype(np.float32) / 127.5 - 1.0)[:20000]\n"
            "labels = y[:20000].astype(np.int32)"
        )
    plan = tasks._digits_plan(c)
    return f'''"""A DCGAN on handwritten digits ({c.source}, conditional={
        c.conditional
    }):
one D update (real and generated batch), then one G update against the frozen
D, each with its own Adam, {c.num_steps} steps. Reproduces the dashboard run."""

import numpy as np
import tensorflow as tf
import keras

{load}

{_IMAGE_SOURCE}


G, D = build_dcgan(images.shape[1], {c.noise_dim}, {c.filters}, {classes}, {c.seed})
g_opt = {_optimizer("adam", c.learning_rate)}
d_opt = {_optimizer("adam", c.learning_rate)}
g_opt.build(G.trainable_variables)
d_opt.build(D.trainable_variables)
gen = tf.random.Generator.from_seed({c.seed})
run = make_image_steps(
    G, D, g_opt, d_opt, tf.Variable(images), tf.Variable(labels), gen,
    {c.noise_dim}, {classes}, {c.batch_size},
)
for count in {plan!r}:  # steps per compiled call (the page's snapshots)
    d_loss, g_loss, real_acc, fake_acc = run(tf.constant(count, tf.int32)).numpy()
final = {{
    "d_loss": float(d_loss),
    "g_loss": float(g_loss),
    "d_real_accuracy": float(real_acc),
    "d_fake_accuracy": float(fake_acc),
}}
print("FINAL", final)
'''
