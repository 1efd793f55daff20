"""The GAN's math: losses, the alternating train step, divergences, modes.

The game (Goodfellow et al. 2014): min_G max_D E_x[log D(x)] + E_z[log(1 − D(G(z)))].
D outputs a *logit* a (D(x) = sigmoid(a)) for the three classic losses and a
raw *critic score* for WGAN-GP. With r = D's outputs on real samples and
f = D's outputs on generated samples (means over the batch):

- ``minimax`` (saturating): L_D = BCE(real → 1) + BCE(fake → 0)
  = softplus(−r) + softplus(f); L_G = E[log(1 − D(G(z)))] = −softplus(f).
- ``nonsat`` (non-saturating): same L_D; L_G = −log D(G(z)) = softplus(−f).
  Early on D rejects fakes easily (D(G(z)) ≈ 0): log(1 − D) is flat there
  (gradient factor D → 0), −log D is steep (factor 1 − D → 1).
- ``lsgan`` (Mao et al. 2017, a = 0, b = c = 1): L_D = ½E[(r − 1)²] + ½E[f²],
  L_G = ½E[(f − 1)²].
- ``wgan_gp`` (Gulrajani et al. 2017): L_D = E[f] − E[r] + λ E[(‖∇D(x̂)‖ − 1)²],
  x̂ = εx + (1 − ε)G(z), ε ~ U(0, 1); L_G = −E[f].

One *step* of training = ``d_steps`` discriminator updates (real and fake
batches, only D's variables updated by D's optimizer) then one generator
update (only G's variables updated, by G's own optimizer: D is frozen, its
weights do not change). The functions below use only NumPy, TensorFlow and
Keras, so the exported script (:mod:`dlcore.gan.export`) embeds their source
and reproduces a run exactly.
"""

from __future__ import annotations

import collections
import threading
from typing import Any

import numpy as np

from dlcore import runtime

tf = runtime.tf()
import keras  # noqa: E402

from dlcore.gan.configs import LOSSES, NOISES  # noqa: E402, F401
from dlcore.gan.measures import (  # noqa: E402, F401
    kl_js,
    mlp_numpy,
    mode_coverage,
    noise_numpy,
)

#: The grid of the KL / JS estimate (cells per axis) and the additive smoothing.


# --- losses (tensors in, scalar out) ---------------------------------------------


def discriminator_loss(loss, real_out, fake_out):
    """L_D of ``loss`` from D's outputs (logits / critic scores), no penalty."""
    if loss in ("minimax", "nonsat"):
        return tf.reduce_mean(tf.nn.softplus(-real_out)) + tf.reduce_mean(
            tf.nn.softplus(fake_out)
        )
    if loss == "lsgan":
        return 0.5 * tf.reduce_mean(tf.square(real_out - 1.0)) + 0.5 * tf.reduce_mean(
            tf.square(fake_out)
        )
    if loss == "wgan_gp":
        return tf.reduce_mean(fake_out) - tf.reduce_mean(real_out)
    raise ValueError(f"loss must be one of minimax, nonsat, lsgan, wgan_gp: {loss!r}")


def generator_loss(loss, fake_out):
    """L_G of ``loss`` from D's outputs on generated samples."""
    if loss == "minimax":
        return -tf.reduce_mean(tf.nn.softplus(fake_out))
    if loss == "nonsat":
        return tf.reduce_mean(tf.nn.softplus(-fake_out))
    if loss == "lsgan":
        return 0.5 * tf.reduce_mean(tf.square(fake_out - 1.0))
    if loss == "wgan_gp":
        return -tf.reduce_mean(fake_out)
    raise ValueError(f"loss must be one of minimax, nonsat, lsgan, wgan_gp: {loss!r}")


def gradient_penalty(discriminator, real, fake, eps):
    """E[(‖∇_x̂ D(x̂)‖₂ − 1)²] at x̂ = eps·real + (1 − eps)·fake."""
    mixed = eps * real + (1.0 - eps) * fake
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        out = discriminator(mixed, training=True)
    grad = tape.gradient(out, mixed)
    norm = tf.sqrt(
        tf.reduce_sum(tf.square(grad), axis=list(range(1, grad.shape.rank))) + 1e-12
    )
    return tf.reduce_mean(tf.square(norm - 1.0))


# --- models ------------------------------------------------------------------------


def build_mlp(input_dim, layers, units, output_dim, seed, name):
    """Dense(units, relu) × ``layers`` then a linear Dense(output_dim)."""
    inputs = keras.Input((input_dim,))
    h = inputs
    for i in range(layers):
        h = keras.layers.Dense(
            units,
            activation="relu",
            kernel_initializer=keras.initializers.GlorotUniform(seed=seed + i),
            name=f"{name}_hidden{i + 1}",
        )(h)
    out = keras.layers.Dense(
        output_dim,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 100),
        name=f"{name}_out",
    )(h)
    return keras.Model(inputs, out, name=name)


def d_update(G, D, d_opt, loss, gp, x, z, eps):
    """One discriminator update on the real batch ``x`` and G(``z``) (``eps``:
    the WGAN-GP mixing weights, (batch, 1)); returns L_D. Only D's variables
    get a gradient and an update."""
    fake = G(z, training=True)
    with tf.GradientTape() as tape:
        value = discriminator_loss(loss, D(x, training=True), D(fake, training=True))
        if loss == "wgan_gp":
            value = value + gp * gradient_penalty(D, x, fake, eps)
    grads = tape.gradient(value, D.trainable_variables)
    d_opt.apply(grads, D.trainable_variables)
    return value


def g_update(G, D, g_opt, loss, z):
    """One generator update against the frozen D; returns L_G."""
    with tf.GradientTape() as tape:
        value = generator_loss(loss, D(G(z, training=True), training=True))
    # Only G's variables get a gradient and an update: D is frozen here.
    grads = tape.gradient(value, G.trainable_variables)
    g_opt.apply(grads, G.trainable_variables)
    return value


def make_draws(gen, noise, noise_dim, batch, num_real):
    """``(d_draws, noise_batch)``: one D update's random draws from the
    ``tf.random.Generator`` ``gen``, in this order: real batch indices
    (batch,) int32, noise (batch, noise_dim), ε (batch, 1); and one batch of
    noise, U(−1, 1) or N(0, 1)."""

    def noise_batch():
        if noise == "uniform":
            return gen.uniform((batch, noise_dim), -1.0, 1.0)
        return gen.normal((batch, noise_dim))

    def d_draws():
        index = gen.uniform((batch,), 0, num_real, dtype=tf.int32)
        z = noise_batch()
        return index, z, gen.uniform((batch, 1))

    return d_draws, noise_batch


def make_steps(G, D, g_opt, d_opt, real, gen, loss, noise, noise_dim, batch, k, gp):
    """``(run, d_only, g_only)``: compiled functions over the given models.

    ``run(n)`` performs n training steps (k D updates, then one G update
    each) in one call and returns the mean D and G losses; ``d_only()`` /
    ``g_only()`` one update of one player. Every random draw comes from the
    ``tf.random.Generator`` ``gen`` (:func:`make_draws`).
    """
    d_draws, noise_batch = make_draws(gen, noise, noise_dim, batch, real.shape[0])

    def d_step():
        index, z, eps = d_draws()
        return d_update(G, D, d_opt, loss, gp, tf.gather(real, index), z, eps)

    def g_step():
        return g_update(G, D, g_opt, loss, noise_batch())

    @tf.function
    def run(num_steps):
        d_sum = tf.constant(0.0)
        g_sum = tf.constant(0.0)
        for _ in tf.range(num_steps):
            for _ in range(k):
                d_sum += d_step()
            g_sum += g_step()
        steps = tf.cast(num_steps, tf.float32)
        return d_sum / (steps * k), g_sum / steps

    @tf.function
    def d_only():
        return d_step()

    @tf.function
    def g_only():
        return g_step()

    return run, d_only, g_only


#: Steps per call of :func:`make_xla_run`'s compiled loop (its arrays' length).
XLA_CHUNK = 100


def make_xla_run(G, D, g_opt, d_opt, real, gen, loss, noise, noise_dim, batch, k, gp):
    """``run(n)`` of :func:`make_steps` (same arguments, same draws from
    ``gen``, same updates and return values) with the updates compiled by XLA.

    A graph ``tf.function`` draws the chunk's random numbers with the CPU
    kernels, in :func:`make_steps`' order (XLA's normal draws differ), padded
    to ``XLA_CHUNK`` steps; one ``tf.function(jit_compile=True)`` then runs a
    ``tf.while_loop`` over the n ≤ ``XLA_CHUNK`` steps on those arrays, so one
    compilation serves every chunk length. The losses equal the graph loop's
    up to float rounding (XLA fuses and reorders), which a GAN amplifies:
    ≈ 1e-4 after a few hundred steps, and a long run's outcome (modes
    covered) can differ. Speed: ``bench/trainer.py``.
    """
    d_draws, noise_batch = make_draws(gen, noise, noise_dim, batch, real.shape[0])
    size = XLA_CHUNK

    @tf.function
    def draw(num_steps):
        shapes = ((batch,), (batch, noise_dim), (batch, 1))
        arrays = [
            tf.TensorArray(dtype, size=num_steps * k, element_shape=shape)
            for dtype, shape in zip(
                (tf.int32, tf.float32, tf.float32), shapes, strict=True
            )
        ]
        arrays.append(
            tf.TensorArray(tf.float32, size=num_steps, element_shape=shapes[1])
        )

        def body(step, index, zd, eps, zg):
            for j in range(k):
                drawn = d_draws()
                index = index.write(step * k + j, drawn[0])
                zd = zd.write(step * k + j, drawn[1])
                eps = eps.write(step * k + j, drawn[2])
            return step + 1, index, zd, eps, zg.write(step, noise_batch())

        state = tf.while_loop(
            lambda step, *_: step < num_steps, body, (tf.constant(0), *arrays)
        )
        # Pad to XLA_CHUNK steps (one shape, one compilation); never read.
        return tuple(
            tf.pad(array.stack(), [[0, (size - num_steps) * length]] + [[0, 0]] * rank)
            for array, length, rank in zip(
                state[1:], (k, k, k, 1), (1, 2, 2, 2), strict=True
            )
        )

    @tf.function(jit_compile=True)
    def updates(num_steps, index, zd, eps, zg):
        def body(step, d_sum, g_sum):
            for j in range(k):
                i = step * k + j
                x = tf.gather(real, index[i])
                d_sum += d_update(G, D, d_opt, loss, gp, x, zd[i], eps[i])
            return step + 1, d_sum, g_sum + g_update(G, D, g_opt, loss, zg[step])

        _, d_sum, g_sum = tf.while_loop(
            lambda step, *_: step < num_steps,
            body,
            (tf.constant(0), tf.constant(0.0), tf.constant(0.0)),
        )
        return d_sum, g_sum

    def run(num_steps):
        total = int(num_steps)
        if total < 1:
            raise ValueError(f"num_steps must be >= 1, got {total}")
        d_sum = g_sum = 0.0
        for start in range(0, total, size):
            n = tf.constant(min(size, total - start), tf.int32)
            d, g = updates(n, *draw(n))
            d_sum, g_sum = d_sum + d, g_sum + g
        return d_sum / (total * k), g_sum / total

    return run


# --- compiled-step cache -----------------------------------------------------------

MAX_RUNNERS = 8
_RUNNERS: collections.OrderedDict[tuple, Any] = collections.OrderedDict()
_LOCK = threading.Lock()


class Runner:
    """Twin models, optimizers, a generator and the compiled steps of one
    architecture; :meth:`reset` loads a new run's weights and state."""

    def __init__(self, key: tuple, builder) -> None:
        self.key = key
        self.lock = threading.Lock()
        (self.G, self.D, self.g_opt, self.d_opt, self.real, self.gen) = builder()
        self.g_opt.build(self.G.trainable_variables)
        self.d_opt.build(self.D.trainable_variables)
        self.run, self.d_only, self.g_only = None, None, None

    def reset(self, g_weights, d_weights, g_lr, d_lr, real, seed) -> None:
        self.G.set_weights(g_weights)
        self.D.set_weights(d_weights)
        for opt, lr in ((self.g_opt, g_lr), (self.d_opt, d_lr)):
            for variable in opt.variables:
                variable.assign(np.zeros(variable.shape, variable.dtype))
            opt.learning_rate.assign(lr)
        self.real.assign(real)
        self.gen.reset_from_seed(seed)


def runner(key: tuple, builder) -> tuple[Runner, bool]:
    """The cached :class:`Runner` of ``key`` (built by ``builder`` if new);
    second value: whether it was new."""
    with _LOCK:
        found = _RUNNERS.get(key)
        if found is not None:
            _RUNNERS.move_to_end(key)
            return found, False
    made = Runner(key, builder)
    with _LOCK:
        _RUNNERS[key] = made
        while len(_RUNNERS) > MAX_RUNNERS:
            _RUNNERS.popitem(last=False)
    return made, True


# --- the image GAN (DCGAN) ---------------------------------------------------------


def build_dcgan(size, noise_dim, filters, classes, seed):
    """``(G, D)`` of a small DCGAN (Radford et al. 2016) for ``size × size``
    grey images in [−1, 1] (size divisible by 4).

    G: z (plus the one-hot label when ``classes`` > 0) → Dense(s/4 · s/4 ·
    2·filters) → Conv2DTranspose(filters, 4, stride 2) → Conv2DTranspose(1,
    4, stride 2, tanh). D: image (plus one constant map per class) →
    Conv2D(filters, 3, stride 2) → Conv2D(2·filters, 3, stride 2) → Dense(1)
    (a logit), LeakyReLU(0.2) between.
    """
    init = keras.initializers.RandomNormal(stddev=0.02, seed=seed)
    base = size // 4
    z = keras.Input((noise_dim + classes,))
    h = keras.layers.Dense(base * base * 2 * filters, kernel_initializer=init)(z)
    h = keras.layers.LeakyReLU(0.2)(h)
    h = keras.layers.Reshape((base, base, 2 * filters))(h)
    h = keras.layers.Conv2DTranspose(
        filters, 4, strides=2, padding="same", kernel_initializer=init
    )(h)
    h = keras.layers.LeakyReLU(0.2)(h)
    out = keras.layers.Conv2DTranspose(
        1, 4, strides=2, padding="same", activation="tanh", kernel_initializer=init
    )(h)
    G = keras.Model(z, out, name="generator")
    init_d = keras.initializers.RandomNormal(stddev=0.02, seed=seed + 1)
    x = keras.Input((size, size, 1 + classes))
    h = keras.layers.Conv2D(
        filters, 3, strides=2, padding="same", kernel_initializer=init_d
    )(x)
    h = keras.layers.LeakyReLU(0.2)(h)
    h = keras.layers.Conv2D(
        2 * filters, 3, strides=2, padding="same", kernel_initializer=init_d
    )(h)
    h = keras.layers.LeakyReLU(0.2)(h)
    out = keras.layers.Dense(1, kernel_initializer=init_d)(keras.layers.Flatten()(h))
    D = keras.Model(x, out, name="discriminator")
    return G, D


def make_image_steps(
    G, D, g_opt, d_opt, images, labels, gen, noise_dim, classes, batch
):
    """``run(n)``: n DCGAN steps (one D update on a real and a generated batch,
    then one G update against the frozen D, non-saturating loss), returning
    the mean D loss, G loss and D's accuracy on real and on generated images.
    With ``classes`` > 0 the GAN is conditional: G gets the one-hot label,
    D the image plus one constant map per class."""
    num_real = images.shape[0]
    size = images.shape[1]

    def with_label(x, y):
        if classes == 0:
            return x
        maps = tf.one_hot(y, classes)[:, None, None, :] * tf.ones((1, size, size, 1))
        return tf.concat([x, maps], axis=-1)

    def generate(z, y):
        if classes:
            z = tf.concat([z, tf.one_hot(y, classes)], axis=-1)
        return G(z, training=True)

    def step():
        index = gen.uniform((batch,), 0, num_real, dtype=tf.int32)
        x = tf.gather(images, index)
        y = tf.gather(labels, index)
        y_fake = gen.uniform((batch,), 0, max(classes, 1), dtype=tf.int32)
        fake = generate(gen.normal((batch, noise_dim)), y_fake)
        with tf.GradientTape() as tape:
            r = D(with_label(x, y), training=True)
            f = D(with_label(fake, y_fake), training=True)
            d_value = discriminator_loss("nonsat", r, f)
        grads = tape.gradient(d_value, D.trainable_variables)
        d_opt.apply(grads, D.trainable_variables)
        real_acc = tf.reduce_mean(tf.cast(r > 0, tf.float32))
        fake_acc = tf.reduce_mean(tf.cast(f < 0, tf.float32))
        z = gen.normal((batch, noise_dim))
        y_g = gen.uniform((batch,), 0, max(classes, 1), dtype=tf.int32)
        with tf.GradientTape() as tape:
            out = D(with_label(generate(z, y_g), y_g), training=True)
            g_value = generator_loss("nonsat", out)
        grads = tape.gradient(g_value, G.trainable_variables)  # D frozen
        g_opt.apply(grads, G.trainable_variables)
        return tf.stack([d_value, g_value, real_acc, fake_acc])

    @tf.function
    def run(num_steps):
        total = tf.zeros(4)
        for _ in tf.range(num_steps):
            total += step()
        return total / tf.cast(num_steps, tf.float32)

    return run
