"""The GAN core against oracles: losses vs their formulas and Keras' BCE on
hand-made D outputs, D frozen during G's step, mode coverage and KL / JS on
hand-made samples, the NumPy generator vs Keras, the export reproducing a run."""

from __future__ import annotations

import ast
import subprocess
import sys

import numpy as np
import pytest

from dlcore import gan
from dlcore.gan import core, data, tasks

tf, keras = core.tf, core.keras

LOGITS_REAL = np.array([2.0, -1.0, 0.5, 3.0], np.float32)
LOGITS_FAKE = np.array([-2.0, 0.3, -0.7, 1.5], np.float32)


def sigmoid(a):
    return 1 / (1 + np.exp(-a.astype(np.float64)))


def test_minimax_and_nonsat_losses_equal_their_formulas_and_keras_bce():
    dr, df = sigmoid(LOGITS_REAL), sigmoid(LOGITS_FAKE)
    formula_d = -np.mean(np.log(dr)) - np.mean(np.log(1 - df))
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    keras_d = float(bce(np.ones((4, 1)), LOGITS_REAL[:, None])) + float(
        bce(np.zeros((4, 1)), LOGITS_FAKE[:, None])
    )
    for loss in ("minimax", "nonsat"):
        value = float(core.discriminator_loss(loss, LOGITS_REAL, LOGITS_FAKE))
        assert value == pytest.approx(formula_d, rel=1e-6)
        assert value == pytest.approx(keras_d, rel=1e-5)
    # minimax: L_G = E[log(1 − D(G(z)))]; non-saturating: L_G = −E[log D(G(z))]
    minimax = float(core.generator_loss("minimax", LOGITS_FAKE))
    assert minimax == pytest.approx(np.mean(np.log(1 - df)), rel=1e-6)
    nonsat = float(core.generator_loss("nonsat", LOGITS_FAKE))
    assert nonsat == pytest.approx(-np.mean(np.log(df)), rel=1e-6)
    assert nonsat == pytest.approx(float(bce(np.ones((4, 1)), LOGITS_FAKE[:, None])))


def test_nonsat_gradient_is_larger_than_minimax_when_d_rejects_fakes():
    # D(G(z)) ≈ 0.018: |d/da log(1 − σ(a))| = σ(a), |d/da −log σ(a)| = 1 − σ(a)
    a = tf.Variable([-4.0])
    grads = {}
    for loss in ("minimax", "nonsat"):
        with tf.GradientTape() as tape:
            value = core.generator_loss(loss, a)
        grads[loss] = abs(float(tape.gradient(value, a)[0]))
    s = sigmoid(np.array([-4.0]))[0]
    assert grads["minimax"] == pytest.approx(s, rel=1e-5)
    assert grads["nonsat"] == pytest.approx(1 - s, rel=1e-5)
    assert grads["nonsat"] > 50 * grads["minimax"]


def test_lsgan_and_wgan_losses_equal_their_formulas():
    r, f = LOGITS_REAL.astype(np.float64), LOGITS_FAKE.astype(np.float64)
    lsd = 0.5 * np.mean((r - 1) ** 2) + 0.5 * np.mean(f**2)
    assert float(core.discriminator_loss("lsgan", r, f)) == pytest.approx(lsd)
    lsg = 0.5 * np.mean((f - 1) ** 2)
    assert float(core.generator_loss("lsgan", f)) == pytest.approx(lsg)
    assert float(core.discriminator_loss("wgan_gp", r, f)) == pytest.approx(
        f.mean() - r.mean()
    )
    assert float(core.generator_loss("wgan_gp", f)) == pytest.approx(-f.mean())
    with pytest.raises(ValueError):
        core.generator_loss("bogus", f)


def test_gradient_penalty_of_a_linear_critic_is_its_closed_form():
    # D(x) = w·x + b: ‖∇D‖ = ‖w‖ everywhere, penalty = (‖w‖ − 1)²
    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    w = np.array([[3.0], [4.0]], np.float32)
    critic.set_weights([w, np.zeros(1, np.float32)])
    rng = np.random.default_rng(0)
    real = rng.normal(size=(8, 2)).astype(np.float32)
    fake = rng.normal(size=(8, 2)).astype(np.float32)
    eps = rng.uniform(size=(8, 1)).astype(np.float32)
    value = float(core.gradient_penalty(critic, *map(tf.constant, (real, fake, eps))))
    assert value == pytest.approx((5.0 - 1.0) ** 2, rel=1e-5)


def _runner_steps(loss="nonsat"):
    config = tasks.Gan2DConfig(
        g_layers=1, g_units=8, d_layers=1, d_units=8, batch_size=16, loss=loss
    )
    G = core.build_mlp(2, 1, 8, 2, 0, "g")
    D = core.build_mlp(2, 1, 8, 1, 1, "d")
    g_opt = tasks.make_optimizer("adam", 0.01)
    d_opt = tasks.make_optimizer("adam", 0.01)
    g_opt.build(G.trainable_variables)
    d_opt.build(D.trainable_variables)
    real = tf.Variable(data.ring_of_gaussians(64, seed=0))
    gen = tf.random.Generator.from_seed(0)
    steps = core.make_steps(
        G, D, g_opt, d_opt, real, gen, config.loss, "gaussian", 2, 16, 1, 0.1
    )
    return G, D, steps


@pytest.mark.parametrize("loss", ["nonsat", "wgan_gp"])
def test_d_is_frozen_during_gs_step_and_g_during_ds(loss):
    G, D, (run, d_only, g_only) = _runner_steps(loss)
    d_before = [w.copy() for w in D.get_weights()]
    g_before = [w.copy() for w in G.get_weights()]
    g_only()
    assert all(
        np.array_equal(a, b) for a, b in zip(d_before, D.get_weights(), strict=False)
    )
    assert not all(
        np.array_equal(a, b) for a, b in zip(g_before, G.get_weights(), strict=False)
    )
    g_mid = [w.copy() for w in G.get_weights()]
    d_only()
    assert all(
        np.array_equal(a, b) for a, b in zip(g_mid, G.get_weights(), strict=False)
    )
    assert not all(
        np.array_equal(a, b) for a, b in zip(d_before, D.get_weights(), strict=False)
    )
    d_loss, g_loss = run(tf.constant(3, tf.int32))
    assert np.isfinite(float(d_loss)) and np.isfinite(float(g_loss))


@pytest.mark.parametrize(
    ("loss", "noise", "k"), [("nonsat", "gaussian", 1), ("wgan_gp", "uniform", 2)]
)
def test_the_xla_run_takes_the_graph_runs_draws_and_updates(loss, noise, k):
    """make_xla_run (the page's chunks) against make_steps' graph loop, the
    oracle: same generator stream, same updates, chunks longer and shorter
    than XLA_CHUNK (padding never read), equal up to float rounding."""
    finals = {}
    for name in ("graph", "xla"):
        G = core.build_mlp(2, 1, 8, 2, 0, "g")
        D = core.build_mlp(2, 1, 8, 1, 1, "d")
        g_opt = tasks.make_optimizer("adam", 0.005)
        d_opt = tasks.make_optimizer("sgd", 0.01)
        g_opt.build(G.trainable_variables)
        d_opt.build(D.trainable_variables)
        real = tf.Variable(data.ring_of_gaussians(64, seed=0))
        gen = tf.random.Generator.from_seed(3)
        args = (G, D, g_opt, d_opt, real, gen, loss, noise, 2, 16, k, 0.1)
        run = core.make_steps(*args)[0] if name == "graph" else core.make_xla_run(*args)
        losses = [float(v) for n in (1, core.XLA_CHUNK + 23, 5) for v in run(n)]
        finals[name] = losses, G.get_weights() + D.get_weights(), gen.state.numpy()
    (graph, graph_w, graph_state), (xla, xla_w, xla_state) = finals.values()
    np.testing.assert_array_equal(graph_state, xla_state)  # the same draws
    np.testing.assert_allclose(xla, graph, rtol=1e-4)
    for a, b in zip(graph_w, xla_w, strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-3, atol=1e-5)
    with pytest.raises(ValueError, match="num_steps"):
        core.make_xla_run(*args)(0)


def test_mode_coverage_on_hand_made_samples():
    centers = data.ring_centers()
    std = 0.02
    # 50 samples exactly on modes 0..3, 50 between modes (far from any).
    on = np.repeat(centers[:4], [20, 20, 9, 1], axis=0)
    off = np.zeros((50, 2), np.float32)
    covered, quality = core.mode_coverage(np.concatenate([on, off]), centers, std)
    # 2 % of 100 = 2 samples: modes with 20, 20, 9 count; the one with 1 does not.
    assert covered == 3
    assert quality == pytest.approx(0.5)
    # Just inside / outside 3σ.
    inside = centers[:1] + np.array([[3 * std - 1e-4, 0]])
    outside = centers[:1] + np.array([[3 * std + 1e-4, 0]])
    assert core.mode_coverage(inside, centers, std) == (1, 1.0)
    assert core.mode_coverage(outside, centers, std) == (0, 0.0)
    x = gan.ring_of_gaussians(4000, seed=3)
    assert gan.mode_coverage(x, centers, std) == (8, pytest.approx(1.0, abs=0.01))


def test_kl_js_estimator_oracles():
    x = gan.ring_of_gaussians(2000, seed=0)
    assert core.kl_js(x, x, 2.5) == (0.0, 0.0)
    # Disjoint supports: JS → log 2 as the smoothing vanishes.
    left = np.full((1000, 2), -1.0, np.float32)
    right = np.full((1000, 2), 1.0, np.float32)
    kl, js = core.kl_js(left, right, 2.0, bins=4, alpha=1e-9)
    assert js == pytest.approx(np.log(2), rel=1e-6)
    # By hand: 4 cells, p = (3, 1, 0, 0)/4 + α, q = (1, 1, 1, 1)/4 + α
    p_pts = np.array([[-1.5, -1.5]] * 3 + [[-1.5, 1.5]], np.float32)
    q_pts = np.array([[-1.5, -1.5], [-1.5, 1.5], [1.5, -1.5], [1.5, 1.5]], np.float32)
    kl, js = core.kl_js(p_pts, q_pts, 2.0, bins=2, alpha=0.5)
    p = np.array([3.5, 1.5, 0.5, 0.5]) / 6
    q = np.array([1.5, 1.5, 1.5, 1.5]) / 6
    m = (p + q) / 2
    assert kl == pytest.approx(np.sum(p * np.log(p / q)))
    expected_js = 0.5 * np.sum(p * np.log(p / m)) + 0.5 * np.sum(q * np.log(q / m))
    assert js == pytest.approx(expected_js)


def test_datasets_and_points_validation():
    assert gan.ring_of_gaussians(10, seed=1).dtype == np.float32
    np.testing.assert_array_equal(
        gan.ring_of_gaussians(10, seed=1), gan.ring_of_gaussians(10, seed=1)
    )
    for name in data.DATASETS[:-1]:
        x = data.real_samples(name, 500, 0)
        assert x.shape == (500, 2) and np.isfinite(x).all()
    assert gan.parse_points("x;y\n1;2\n3 4\n\n5\t6").tolist() == [
        [1, 2],
        [3, 4],
        [5, 6],
    ]
    for bad, words in [
        ("1,2\n3,4", "at least 3"),
        ("1,2\n3,a\n5,6", "line 2"),
        ("1,2\n3,nan\n5,6", "NaN"),
        ("1,2,3\n3,4\n5,6", "two numbers"),
        ("1,2\n3,4\n5,1e9", "±100"),
    ]:
        with pytest.raises(ValueError, match=words):
            gan.parse_points(bad)
    with pytest.raises(ValueError, match="custom"):
        tasks.Gan2DConfig(dataset="custom")
    with pytest.raises(ValueError, match="manual"):
        tasks.Gan2DConfig(manual="dx")


@pytest.mark.slow
def test_train_sample_and_export_reproduce_the_run(tmp_path):
    config = tasks.Gan2DConfig(
        dataset="custom",
        points=((0.0, 0.0), (1.0, 1.0), (-1.0, 0.5)),
        num_steps=30,
        snapshot_every=10,
        manual="bgd",
        batch_size=16,
        g_units=8,
        d_units=8,
        loss="wgan_gp",
        d_steps=2,
    )
    events = []
    result = gan.train_gan_2d(config, on_progress=events.append)
    assert result.status == "finished"
    assert [e["epoch"] for e in events] == list(range(1, 8))
    assert result.artifacts["steps"] == [0, 10, 20, 30, 31, 31, 31]
    frames = result.artifacts["frames"]
    assert frames["fake"].shape == (7, tasks.NUM_SHOWN, 2)
    assert frames["heat"].shape == (7, tasks.HEAT, tasks.HEAT)
    # sample(): the NumPy generator equals Keras' generator on the same noise.
    z = core.noise_numpy("gaussian", 50, 2, 4)
    G = core.build_mlp(2, config.g_layers, config.g_units, 2, 0, "g")
    G.set_weights(result.weights)
    np.testing.assert_allclose(
        gan.sample(result, 50, seed=4), G(z).numpy(), rtol=1e-5, atol=1e-6
    )
    # The same config again (the cached compiled runner) gives the same run.
    again = gan.train_gan_2d(config)
    assert again.metrics == result.metrics
    script = tmp_path / "gan.py"
    script.write_text(gan.code_gan_2d(config))
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    final = ast.literal_eval(out.stdout.strip().splitlines()[-1].removeprefix("FINAL "))
    assert set(final) == {"d_loss", "g_loss", "kl", "js"}
    for name, value in final.items():
        assert value == pytest.approx(result.metrics[name], rel=1e-4, abs=1e-5)


@pytest.mark.slow
def test_the_default_ring_covers_at_least_7_of_8_modes():
    result = gan.train_gan_2d(tasks.Gan2DConfig())
    assert result.metrics["modes"] >= 7, result.history.tail()
    assert result.metrics["high_quality"] > 0.3
    x = gan.sample(result, 4000, seed=1)
    assert gan.mode_coverage(x, gan.ring_centers(), 0.02)[0] >= 7


@pytest.mark.slow
def test_the_collapse_preset_collapses_and_its_fix_covers_the_ring():
    """The presets' lessons, measured: minimax at learning rates 0.008 keeps
    a few sharp modes; the same loss at 0.001 covers the ring."""
    presets = {p.name: p.config for p in gan.PRESETS if p.tab == "lab"}
    collapse = gan.train_gan_2d(presets["collapse"]).metrics
    fix = gan.train_gan_2d(presets["fix"]).metrics
    assert collapse["modes"] <= 3 and collapse["high_quality"] > 0.3, collapse
    assert fix["modes"] >= 7, fix


def test_estimate_grows_with_steps_and_fits_the_budget():
    small = gan.estimate_gan_2d(tasks.Gan2DConfig(num_steps=100))
    default = gan.estimate_gan_2d(tasks.Gan2DConfig())
    assert small < default <= 30
    for preset in gan.PRESETS:
        if isinstance(preset.config, tasks.Gan2DConfig):
            assert gan.estimate_gan_2d(preset.config) <= 30


def test_the_first_picture_needs_no_tensorflow():
    """Controls, real data and its figure load without TensorFlow (the page
    shows the real distribution before the first training's import)."""
    code = (
        "import sys\n"
        "from dlcore import gan\n"
        "from dlcore.figures import gan as figures\n"
        "from dlcore.gan import configs\n"
        "real = configs.real_data(gan.Gan2DConfig())\n"
        "figures.real_figure(real, configs.plot_limit(real))\n"
        "print('tensorflow' in sys.modules, 'keras' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert out.stdout.split() == ["False", "False"], out.stderr[-2000:]


@pytest.mark.slow
def test_digits_gan_tiny_run_shapes_and_export(tmp_path):
    config = tasks.DigitsGanConfig(
        conditional=True, num_steps=20, snapshot_every=10, filters=8, noise_dim=4
    )
    events = []
    result = gan.train_digits_gan(config, on_progress=events.append)
    assert [e["epoch"] for e in events] == [1, 2]
    art = result.artifacts
    assert art["samples"].shape == (2, 40, 8, 8)
    assert art["interpolation"].shape == (10, 10, 8, 8)
    assert art["samples"].min() >= 0.0 and art["samples"].max() <= 1.0
    for name in ("d_real_accuracy", "d_fake_accuracy"):
        assert 0.0 <= result.metrics[name] <= 1.0
    script = tmp_path / "dcgan.py"
    script.write_text(gan.code_digits_gan(config))
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    final = ast.literal_eval(out.stdout.strip().splitlines()[-1].removeprefix("FINAL "))
    for name, value in final.items():
        assert value == pytest.approx(result.metrics[name], rel=1e-4, abs=1e-5)
