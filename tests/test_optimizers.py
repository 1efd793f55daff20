"""dlcore.optimizers (and its landscapes): real Keras updates, checked against NumPy.

Oracles: the NumPy rule behind each LaTeX formula, closed-form schedules,
hand-computed SGD steps, Goh's (2017) convergence rates, and Keras'
``get_config`` of the optimizers the race builds.
"""

import ast
import itertools
import math
import subprocess
import sys
import threading
import time

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dlcore import blocks, optimizers, topics
from dlcore.figures import optimizers as figures
from dlcore.i18n import CATALOG, t
from dlcore.optimizers import landscapes

# --- landscapes ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(landscapes.LANDSCAPES))
def test_critical_points_are_stationary_with_the_listed_value(name):
    land = landscapes.get_landscape(name)
    assert land.points, name
    for point in land.points:
        grad = landscapes.gradient(name, point.point)
        np.testing.assert_allclose(grad, 0.0, atol=2e-4, err_msg=f"{name} {point}")
        value = landscapes.evaluate(name, *point.point)
        np.testing.assert_allclose(value, point.value, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", sorted(landscapes.LANDSCAPES))
def test_landscape_metadata_is_consistent(name):
    land = landscapes.get_landscape(name)
    assert land.x_range[0] <= land.start[0] <= land.x_range[1]
    assert land.y_range[0] <= land.start[1] <= land.y_range[1]
    assert land.latex.startswith("f(x, y)")
    for minimum in land.minima:  # a minimum is no higher than its neighbours
        x, y = minimum.point
        ring = landscapes.evaluate(
            name, x + 1e-2 * np.cos(np.arange(8)), y + 1e-2 * np.sin(np.arange(8))
        )
        assert np.all(ring >= minimum.value - 1e-5)
    _, _, z = landscapes.grid(name, num=31)
    assert z.shape == (31, 31) and np.isfinite(z).all()


def test_quadratic_condition_number_is_a_parameter():
    np.testing.assert_allclose(
        landscapes.gradient("quadratic", (1, 1), condition_number=7.0), [1, 7]
    )
    with pytest.raises(ValueError, match="condition_number"):
        landscapes.evaluate("quadratic", 0.0, 0.0, kappa=3.0)


def test_log_levels_are_geometric_above_the_minimum():
    z = np.array([[2.0, 3.0], [12.0, 1002.0]])
    levels = landscapes.log_levels(z, num=4)
    ratios = np.diff(np.log(levels - 2.0))
    np.testing.assert_allclose(ratios, ratios[0])
    assert levels[-1] == pytest.approx(1002.0)


# --- trajectories ---------------------------------------------------------------------


@pytest.mark.parametrize("name", list(optimizers.OPTIMIZERS))
def test_trajectory_has_steps_plus_one_points_from_the_start(name):
    path = optimizers.trajectory(name, "quadratic", (-3.0, 1.5), 25)
    assert path.shape == (26, 2) and path.dtype == np.float32
    np.testing.assert_array_equal(path[0], [-3.0, 1.5])
    assert np.isfinite(path).all() and not np.allclose(path[-1], path[0])


def test_default_start_is_the_landscapes():
    path = optimizers.trajectory("adam", "beale", steps=3)
    np.testing.assert_array_equal(path[0], landscapes.get_landscape("beale").start)


def test_sgd_step_is_minus_learning_rate_times_gradient():
    path = optimizers.trajectory(
        "sgd", "rosenbrock", (-1.5, 2.0), 1, learning_rate=1e-3
    )
    grad = landscapes.gradient("rosenbrock", (-1.5, 2.0))
    np.testing.assert_allclose(
        path[1], np.float32([-1.5, 2.0]) - 1e-3 * grad, rtol=1e-6
    )


def test_divergence_is_reported_not_raised():
    result = optimizers.run("sgd", "rosenbrock", steps=100, learning_rate=10.0)
    assert result.diverged and 1 <= result.diverged_step <= 3
    step = result.diverged_step
    assert len(result.path) == len(result.losses) == len(result.distances) == step
    assert np.isfinite(result.path).all() and np.isfinite(result.losses).all()
    raw = optimizers.trajectory("sgd", "rosenbrock", steps=100, learning_rate=10.0)
    assert raw.shape == (101, 2) and np.isnan(raw[step:]).all()


def test_run_records_losses_and_distances():
    result = optimizers.run("momentum", "himmelblau", steps=300, learning_rate=0.01)
    assert not result.diverged and result.path.shape == (301, 2)
    x, y = result.path.T
    np.testing.assert_allclose(
        result.losses, landscapes.evaluate("himmelblau", x, y), rtol=1e-4, atol=1e-4
    )
    assert result.distances[-1] < 1e-3 and result.final_loss < 1e-6
    assert result.hyperparams["momentum"] == 0.9


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: optimizers.trajectory("adamm", "quadratic"), "expected one of"),
        (lambda: optimizers.trajectory("adam", "banana"), "expected one of"),
        (lambda: optimizers.trajectory("adam", "quadratic", lr=0.1), "learning_rate"),
        (
            lambda: optimizers.trajectory("sgd", "rosenbrock", condition_number=3),
            "Unknown hyper",
        ),
        (
            lambda: optimizers.trajectory("sgd", "quadratic", schedule="linear"),
            "expected one of",
        ),
        (
            lambda: optimizers.trajectory(
                "sgd",
                "quadratic",
                schedule="exponential",
                schedule_params={"rate": 0.5},
            ),
            "decay_rate",
        ),
        (
            lambda: optimizers.trajectory(
                "sgd", "quadratic", clipnorm=1.0, clipvalue=1.0
            ),
            "at most one",
        ),
        (lambda: optimizers.trajectory("sgd", "quadratic", start=(1.0,)), "two finite"),
        (
            lambda: optimizers.train_race(optimizers.RaceConfig(dataset="mnist")),
            "race dataset",
        ),
        (
            lambda: optimizers.race_entries(
                optimizers.RaceConfig(optimizers=("sgd", "sgd"))
            ),
            "unique",
        ),
    ],
)
def test_bad_names_raise_a_helpful_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_compiled_loop_is_reused_and_fast_after_warm_up():
    optimizers.trajectory("adam", "rosenbrock", steps=300, learning_rate=0.05)
    count = len(optimizers.core._RUNNERS)
    timings = []
    for lr in (0.01, 0.02, 0.03, 0.04, 0.05):
        tic = time.perf_counter()
        optimizers.trajectory("adam", "rosenbrock", (0.0, 2.5), 300, learning_rate=lr)
        timings.append(time.perf_counter() - tic)
    assert len(optimizers.core._RUNNERS) == count  # learning rate and start are inputs
    assert min(timings) < 0.05, timings


def test_concurrent_runs_match_sequential_runs():
    rates = [0.01, 0.02, 0.03, 0.04]
    expected = [
        optimizers.trajectory("nadam", "beale", steps=50, learning_rate=lr)
        for lr in rates
    ]
    results: dict[int, np.ndarray] = {}

    def work(i):
        results[i] = optimizers.trajectory(
            "nadam", "beale", steps=50, learning_rate=rates[i]
        )

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(rates))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for i, path in enumerate(expected):
        np.testing.assert_array_equal(results[i], path)


# --- the displayed rules, in NumPy, reproduce Keras -----------------------------------

RULE_CASES = [(name, {}) for name in optimizers.OPTIMIZERS] + [
    ("sgd", {"momentum": 0.5}),
    ("sgd", {"momentum": 0.7, "nesterov": True}),
    ("rmsprop", {"centered": True}),
    ("rmsprop", {"momentum": 0.5, "rho": 0.8}),
    ("adagrad", {"initial_accumulator_value": 0.5, "epsilon": 1e-3}),
    ("adadelta", {"rho": 0.9, "epsilon": 1e-6}),
    ("adam", {"amsgrad": True, "beta_1": 0.5}),
    ("adam", {"beta_2": 0.9, "epsilon": 1e-3}),
    ("adamw", {"weight_decay": 0.1}),
    ("nadam", {"beta_1": 0.8}),
    ("adamax", {"beta_2": 0.9}),
    ("lion", {"beta_1": 0.5, "beta_2": 0.9}),
    ("sgd", {"clipnorm": 1.0}),
    ("momentum", {"clipvalue": 0.5}),
    ("adam", {"global_clipnorm": 0.5}),
]


@pytest.mark.parametrize(("name", "hyperparams"), RULE_CASES, ids=lambda v: str(v))
def test_numpy_rule_reproduces_the_keras_trajectory(name, hyperparams):
    kwargs = {
        "learning_rate": optimizers.suggested_learning_rate(name, "quadratic"),
        "condition_number": 5.0,
        **hyperparams,
    }
    keras_path = optimizers.trajectory(name, "quadratic", (-4.0, 2.0), 100, **kwargs)
    numpy_path = optimizers.numpy_trajectory(
        name, "quadratic", (-4.0, 2.0), 100, **kwargs
    )
    np.testing.assert_allclose(numpy_path, keras_path, rtol=0, atol=1e-5)


@pytest.mark.parametrize("name", ["sgd", "adam", "nadam"])
def test_numpy_rule_reproduces_keras_on_a_curved_landscape(name):
    lr = optimizers.suggested_learning_rate(name, "beale") / 2
    keras_path = optimizers.trajectory(name, "beale", steps=100, learning_rate=lr)
    numpy_path = optimizers.numpy_trajectory(name, "beale", steps=100, learning_rate=lr)
    np.testing.assert_allclose(numpy_path, keras_path, rtol=0, atol=1e-5)


def test_update_rule_latex_follows_the_settings():
    assert optimizers.update_rule_latex("sgd") == r"\theta \leftarrow \theta - \eta\, g"
    assert r"\beta\, v - \eta\, g" in optimizers.update_rule_latex("sgd", momentum=0.9)
    assert r"\theta + \beta\, v" in optimizers.update_rule_latex("nesterov")
    centered = optimizers.update_rule_latex("rmsprop", centered=True, momentum=0.5)
    assert r"\bar g^2" in centered and r"\mu\, m" in centered
    assert r"\sqrt{\hat v}" in optimizers.update_rule_latex("adam", amsgrad=True)
    assert r"\lambda\,\theta" in optimizers.update_rule_latex("adamw")
    assert r"\hat\epsilon" in optimizers.OPTIMIZERS["adam"].latex  # ε̂ outside the root


@pytest.mark.parametrize("name", list(optimizers.OPTIMIZERS))
def test_every_optimizer_is_documented(name):
    spec = optimizers.OPTIMIZERS[name]
    names = {p.name for p in spec.hyperparams}
    assert "learning_rate" in names and spec.latex and spec.reference
    assert {keyword for _, keyword in spec.symbols} <= names
    for param in spec.hyperparams:
        assert param.min <= param.default <= param.max, param
        assert f"opt.hp.{param.name}" in CATALOG
    assert f"opt.name.{name}" in CATALOG
    assert type(optimizers.make_optimizer(name)).__name__ == spec.keras_name


# --- schedules ------------------------------------------------------------------------


def _closed_form(name, t, lr):
    if name == "exponential":
        return lr * 0.5 ** (t / 20)
    if name == "piecewise":
        return np.where(t <= 10, lr, np.where(t <= 30, lr * 0.1, lr * 0.01))
    if name == "cosine":  # warm-up 10 steps from 0, then 40 steps of cosine
        decay = 0.5 * (1 + np.cos(np.pi * np.minimum(t - 10, 40) / 40))
        return np.where(t < 10, lr * t / 10, lr * decay)
    if name == "inverse_time":
        return lr / (1 + 1.0 * t / 20)
    if name == "polynomial":
        return (lr - 1e-4) * (1 - np.minimum(t, 40) / 40) ** 2.0 + 1e-4
    return np.full_like(t, lr)


SCHEDULE_PARAMS = {
    "constant": {},
    "exponential": {"decay_steps": 20},
    "piecewise": {"boundaries": (10, 30)},
    "cosine": {"decay_steps": 40, "warmup_steps": 10},
    "inverse_time": {"decay_steps": 20},
    "polynomial": {"decay_steps": 40, "power": 2.0},
}


@pytest.mark.parametrize("name", list(optimizers.SCHEDULES))
def test_schedule_values_follow_the_displayed_formula(name):
    values = optimizers.schedule_values(
        name, 60, learning_rate=0.2, **SCHEDULE_PARAMS[name]
    )
    t = np.arange(60, dtype=np.float64)
    np.testing.assert_allclose(values, _closed_form(name, t, 0.2), rtol=1e-5, atol=1e-7)
    assert f"opt.schedule.{name}" in CATALOG


@pytest.mark.parametrize("name", ["exponential", "cosine", "piecewise"])
def test_trajectory_with_a_schedule_uses_it_step_by_step(name):
    params = SCHEDULE_PARAMS[name]
    result = optimizers.run(
        "sgd",
        "quadratic",
        (-4.0, 2.0),
        50,
        learning_rate=0.1,
        schedule=name,
        schedule_params=params,
    )
    rates = optimizers.schedule_values(name, 50, learning_rate=0.1, **params)
    np.testing.assert_allclose(result.learning_rates, rates)
    grads = np.stack([landscapes.gradient("quadratic", p) for p in result.path[:-1]])
    np.testing.assert_allclose(
        np.diff(result.path, axis=0), -rates[:, None] * grads, atol=1e-6
    )
    numpy_path = optimizers.numpy_trajectory(
        "adam",
        "quadratic",
        (-4.0, 2.0),
        50,
        learning_rate=0.1,
        schedule=name,
        schedule_params=params,
    )
    keras_path = optimizers.trajectory(
        "adam",
        "quadratic",
        (-4.0, 2.0),
        50,
        learning_rate=0.1,
        schedule=name,
        schedule_params=params,
    )
    np.testing.assert_allclose(numpy_path, keras_path, atol=1e-5)


# --- gradient clipping on the cliff ---------------------------------------------------


def _step_lengths(path):
    return np.linalg.norm(np.diff(path, axis=0), axis=1)


def test_clipnorm_bounds_the_step_at_the_cliff():
    lr = 0.1
    free = optimizers.run("sgd", "cliff", steps=100, learning_rate=lr)
    assert _step_lengths(free.path).max() > 5.0  # thrown far away by the wall
    assert np.abs(free.path[:, 0]).max() > landscapes.get_landscape("cliff").x_range[1]
    for kind in ("clipnorm", "global_clipnorm"):
        clipped = optimizers.run(
            "sgd", "cliff", steps=100, learning_rate=lr, **{kind: 1.0}
        )
        assert _step_lengths(clipped.path).max() <= lr * 1.0 * (1 + 1e-5)
        assert not clipped.diverged
    by_value = optimizers.run(
        "sgd", "cliff", steps=100, learning_rate=lr, clipvalue=0.5
    )
    assert np.abs(np.diff(by_value.path, axis=0)).max() <= lr * 0.5 * (1 + 1e-5)


# --- mini-batch SGD -------------------------------------------------------------------


def test_minibatch_first_step_is_sgd_on_that_batch():
    data = optimizers.regression_data()
    path = optimizers.minibatch_path(8, steps=5, learning_rate=0.1, seed=3)
    assert path.shape == (6, 2)
    np.testing.assert_allclose(path[0], data.start, rtol=1e-6)
    batch = optimizers.minibatch_indices(len(data.x), 8, 5, seed=3)[0]
    w, b = path[0].astype(np.float64)
    residual = w * data.x[batch] + b - data.y[batch]
    grad = np.array([2 * np.mean(residual * data.x[batch]), 2 * np.mean(residual)])
    np.testing.assert_allclose(path[1], path[0] - 0.1 * grad, rtol=1e-5, atol=1e-5)


def test_minibatch_noise_depends_on_seed_except_for_the_full_batch():
    a = optimizers.minibatch_path(4, steps=30, learning_rate=0.1, seed=0)
    b = optimizers.minibatch_path(4, steps=30, learning_rate=0.1, seed=1)
    np.testing.assert_array_equal(
        a, optimizers.minibatch_path(4, steps=30, learning_rate=0.1, seed=0)
    )
    assert not np.allclose(a, b)
    n = len(optimizers.regression_data().x)
    full = [
        optimizers.minibatch_path(n, steps=30, learning_rate=0.1, seed=s)
        for s in (0, 1)
    ]
    np.testing.assert_allclose(full[0], full[1], atol=1e-6)
    data = optimizers.regression_data()
    losses = optimizers.regression_loss(full[0][:, 0], full[0][:, 1], data)
    assert np.all(np.diff(losses) <= 1e-9)  # full-batch GD with a small step: monotone


def test_minibatch_rejects_bad_batch_sizes():
    with pytest.raises(ValueError, match="batch_size"):
        optimizers.minibatch_path(0)


# --- momentum theory ------------------------------------------------------------------


def test_observed_rates_match_goh_2017():
    table = optimizers.momentum_theory((4.0, 25.0, 100.0), steps=200)
    np.testing.assert_allclose(table["gd_observed"], table["gd_predicted"], atol=1e-3)
    np.testing.assert_allclose(
        table["momentum_observed"], table["momentum_predicted"], atol=0.02
    )
    assert (table["momentum_observed"] < table["gd_observed"]).all()
    kappa = table["condition_number"]
    np.testing.assert_allclose(
        table["momentum"], ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
    )


def test_observed_rate_of_an_exact_geometric_sequence():
    assert optimizers.observed_rate(0.8 ** np.arange(100.0)) == pytest.approx(0.8)
    assert optimizers.observed_rate(np.array([1.0, 0.0, 0.0])) == 0.0


# --- figures and strings --------------------------------------------------------------


@pytest.fixture(scope="module")
def runs():
    return {
        name: optimizers.run(
            name,
            "rosenbrock",
            steps=60,
            learning_rate=optimizers.suggested_learning_rate(name, "rosenbrock"),
        )
        for name in ("sgd", "adam", "lion")
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_figures_build_in_both_languages(runs, lang):
    built = [
        figures.contour_figure("rosenbrock", runs, lang=lang),
        figures.animation_figure("rosenbrock", runs, max_frames=20, lang=lang),
        figures.loss_figure(runs, lang=lang),
        figures.distance_figure(runs, lang=lang),
        figures.surface_figure("rosenbrock", runs, num=21, lang=lang),
        figures.schedule_figure(
            {"cosine": optimizers.schedule_values("cosine", 50)}, lang=lang
        ),
        figures.clipping_figure(
            {"free": runs["sgd"], "clipped": runs["adam"]}, lang=lang
        ),
        figures.step_length_figure(
            {"free": runs["sgd"], "clipped": runs["adam"]}, bound=0.1, lang=lang
        ),
        figures.minibatch_figure(
            {
                1: optimizers.minibatch_path(1, 10),
                64: optimizers.minibatch_path(64, 10),
            },
            lang=lang,
        ),
        figures.momentum_theory_figure(
            pd.DataFrame(
                {
                    "condition_number": [2.0, 10.0],
                    "gd_predicted": [0.3, 0.8],
                    "gd_observed": [0.3, 0.8],
                    "momentum_predicted": [0.2, 0.5],
                    "momentum_observed": [0.2, 0.5],
                }
            ),
            lang=lang,
        ),
        figures.race_figure(
            pd.DataFrame(
                {
                    "epoch": [1, 2, 1, 2],
                    "loss": [1.0, 0.5, 1.0, 0.2],
                    "val_accuracy": [0.5, 0.7, 0.5, 0.9],
                    "run": ["sgd"] * 2 + ["adam"] * 2,
                }
            ),
            epochs=2,
            lang=lang,
        ),
    ]
    for fig in built:
        assert isinstance(fig, go.Figure) and fig.layout.height
        # Map-like figures carry their title in the legend (see figures._legend).
        title = fig.layout.title.text or fig.layout.legend.title.text or ""
        assert title and not title.startswith("opt.")
        if lang == "zh":
            assert any("\u4e00" <= ch <= "\u9fff" for ch in title), title


def test_contour_marks_minima_and_every_path(runs):
    fig = figures.contour_figure(
        "himmelblau", {"a": np.zeros((3, 2)), "b": np.ones((2, 2))}
    )
    names = [trace.name for trace in fig.data]
    assert {"a", "b", "global minimum", "local maximum", "start"} <= set(names)
    stars = next(tr for tr in fig.data if tr.name == "global minimum")
    assert len(stars.x) == 4


def test_animation_has_frames_slider_and_buttons(runs):
    fig = figures.animation_figure("rosenbrock", runs, max_frames=25)
    assert 2 <= len(fig.frames) <= 25
    assert len(fig.layout.sliders[0].steps) == len(fig.frames)
    assert [b.label for b in fig.layout.updatemenus[0].buttons] == [
        "▶ Play",
        "❚❚ Pause",
    ]
    last = fig.frames[-1]
    assert len(last.data) == 2 * len(runs)  # one line + one marker per run
    assert len(last.data[0].x) == len(runs["sgd"].path)


@pytest.mark.parametrize("name", sorted(landscapes.LANDSCAPES))
def test_every_landscape_has_a_label(name):
    assert f"opt.land.{name}" in CATALOG


# --- the race on a real network -------------------------------------------------------


def test_race_entries_and_code_export():
    config = optimizers.RaceConfig(
        optimizers=("momentum", ("adam", 0.01)), dataset="spiral"
    )
    assert [e[0] for e in optimizers.race_entries(config)] == [
        "momentum",
        "adam (lr=0.01)",
    ]
    code = optimizers.code_race(config)
    compile(code, "race.py", "exec")
    assert "dlcore" not in code and "def make_spiral" in code
    assert "keras.optimizers.Adam(learning_rate=0.01)" in code


#: Keras arguments of each race optimizer besides the learning rate: Keras'
#: defaults, except the momentum variants of SGD.
RACE_ARGUMENTS = {
    "momentum": {"momentum": 0.9},
    "nesterov": {"momentum": 0.9, "nesterov": True},
}


@pytest.mark.parametrize("name", list(optimizers.OPTIMIZERS))
def test_race_optimizers_and_their_code_are_the_shared_blocks(name):
    expected = {"learning_rate": 0.003, **RACE_ARGUMENTS.get(name, {})}
    assert optimizers.race_optimizer_kwargs(name, 0.003) == expected
    assert blocks.optimizer_kwargs(name, 0.003) == expected
    config = blocks.make_optimizer(name, 0.003).get_config()
    assert type(blocks.make_optimizer(name, 0.003)).__name__ == (
        optimizers.OPTIMIZERS[name].keras_name
    )
    for key, value in expected.items():
        assert config[key] == pytest.approx(value), key
    # The exported script builds the very same optimizer.
    line = blocks.optimizer_code(name, 0.003)
    assert line in optimizers.code_race(
        optimizers.RaceConfig(optimizers=((name, 0.003),))
    )
    exported = eval(line, {"keras": optimizers.keras}).get_config()
    assert {k: v for k, v in exported.items() if k != "name"} == {
        k: v for k, v in config.items() if k != "name"
    }


def test_race_control_values_show_the_config_on_the_page():
    defaults = optimizers.race_control_values(optimizers.RaceConfig())
    assert defaults == {
        "opt_race_optimizers": ["sgd", "momentum", "rmsprop", "adam"],
        "opt_race_dataset": "digits",
        "opt_race_epochs": 10,
        "opt_race_batch": 32,
        "opt_race_lr": 0.0,  # each optimizer's Keras default
    }
    config = optimizers.RaceConfig(
        optimizers=(("sgd", 0.03), ("adam", 0.03)),
        dataset="spiral",
        epochs=20,
        batch_size=64,
    )
    values = optimizers.race_control_values(config)
    assert values["opt_race_optimizers"] == ["sgd", "adam"]
    assert values["opt_race_lr"] == 0.03 and values["opt_race_batch"] == 64
    assert values["opt_race_epochs"] in optimizers.RACE_EPOCHS
    task = topics.task_named("optimizers.race")
    assert task.control_values(config, "opt") == values
    with pytest.raises(ValueError, match="one learning rate"):
        optimizers.race_control_values(
            optimizers.RaceConfig(optimizers=("sgd", ("adam", 0.01)))
        )
    with pytest.raises(ValueError, match="seed"):
        optimizers.race_control_values(optimizers.RaceConfig(seed=3))


@pytest.mark.slow
def test_exported_race_reproduces_the_dashboard_metrics(tmp_path):
    config = optimizers.RaceConfig(
        optimizers=("sgd", ("adam", 0.01)),
        dataset="spiral",
        epochs=2,
        batch_size=128,
    )
    expected = optimizers.train_race(config).metrics
    script = tmp_path / "race.py"
    script.write_text(optimizers.code_race(config))
    out = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    last = out.stdout.strip().splitlines()[-1]
    final = ast.literal_eval(last.removeprefix("FINAL "))
    assert set(expected) <= set(final)
    for key, value in expected.items():
        assert final[key] == pytest.approx(value, rel=1e-4, abs=1e-5), key


def test_race_models_start_from_identical_weights():
    first = optimizers.build_race_model((8, 8, 1), 10, seed=4).get_weights()
    second = optimizers.build_race_model((8, 8, 1), 10, seed=4).get_weights()
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.slow
def test_tiny_race_trains_every_optimizer_and_reports_progress():
    config = optimizers.RaceConfig(
        optimizers=("sgd", ("adam", 0.01)), epochs=2, batch_size=128
    )
    events = []
    result = optimizers.train_race(config, on_progress=events.append)
    assert result.status == "finished"
    assert list(dict.fromkeys(result.history["run"])) == ["sgd", "adam (lr=0.01)"]
    assert len(result.history) == 4
    assert {(e["run"], e["run_index"], e["num_runs"]) for e in events} == {
        ("sgd", 0, 2),
        ("adam (lr=0.01)", 1, 2),
    }
    assert (
        result.metrics["adam (lr=0.01)/val_accuracy"] > 0.5
    )  # 10 classes: chance is 0.1
    assert all(math.isfinite(v) for v in result.metrics.values())
    cancelled = optimizers.train_race(config, should_stop=lambda: True)
    assert cancelled.status == "cancelled"


# --- page helpers: slider values, suggested settings, presets, figures ----------------


@pytest.mark.parametrize("name", list(optimizers.OPTIMIZERS))
def test_log_sliders_offer_nice_values_around_the_default(name):
    for param in optimizers.OPTIMIZERS[name].hyperparams:
        if not param.log:
            continue
        options = optimizers.slider_options(param)
        assert options == sorted(set(options)) and param.default in options
        assert param.min <= options[0] and options[-1] <= param.max
        assert max(b / a for a, b in itertools.pairwise(options)) <= 2.0 + 1e-9


@pytest.mark.slow
@pytest.mark.parametrize("landscape", sorted(landscapes.LANDSCAPES))
def test_suggested_controls_run_without_diverging(landscape):
    for name in optimizers.OPTIMIZERS:
        params = optimizers.controls(name, landscape)
        lr = params[0]
        assert lr.name == "learning_rate"
        assert lr.default in optimizers.slider_options(lr)
        suggested = optimizers.suggested_learning_rate(name, landscape)
        assert 0.5 <= lr.default / suggested <= 2.0
        result = optimizers.run(name, landscape, steps=100, learning_rate=lr.default)
        assert not result.diverged, (name, landscape)


@pytest.mark.parametrize(
    ("name", "hyperparams"),
    [
        ("sgd", {"learning_rate": 0.3}),
        ("nesterov", {"learning_rate": 0.05, "momentum": 0.5}),
        ("rmsprop", {"centered": True, "epsilon": 1e-4, "clipnorm": 2.0}),
        ("adadelta", {}),
        ("adamw", {"weight_decay": 0.1, "amsgrad": True}),
        ("lion", {"beta_2": 0.9}),
    ],
)
def test_keras_call_constructs_the_same_optimizer(name, hyperparams):
    code = optimizers.keras_call(name, **hyperparams)
    built = eval(code, {"keras": optimizers.keras})  # the string is real Keras code
    expected = optimizers.make_optimizer(name, **hyperparams).get_config()
    config = built.get_config()
    for key in ("learning_rate", *hyperparams, *optimizers.OPTIMIZERS[name].defaults):
        assert config[key] == pytest.approx(expected[key]), key


def test_presets_name_real_controls_and_values():
    page = topics.topic("optimizers")
    assert page.load_presets() == optimizers.PRESETS
    tabs = {"explore", "schedules", "clipping", "batch", "theory", "race"}
    for preset in optimizers.PRESETS:
        assert preset.tab in tabs and f"opt.preset.{preset.name}" in CATALOG
        values = page.preset_values(preset)  # raises for a config of no task
        assert values["opt_tab"] == preset.tab
        assert values.get("opt_landscape", "quadratic") in landscapes.LANDSCAPES
        for key in ("opt_optimizers", "opt_race_optimizers"):
            assert set(values.get(key, ())) <= set(optimizers.OPTIMIZERS)
            assert len(values.get(key, ())) <= optimizers.MAX_OPTIMIZERS
        for key, value in values.items():
            name, _, keyword = key.removeprefix("opt_").partition("_")
            if name in optimizers.OPTIMIZERS:
                param = next(
                    p
                    for p in optimizers.OPTIMIZERS[name].hyperparams
                    if p.name == keyword
                )
                assert value in optimizers.slider_options(param), key


#: The learning rates each explorer preset sets itself (the lesson).
LESSON_RATES = {
    "valley": {"sgd": 0.03, "momentum": 0.03, "nesterov": 0.03},
    "too_large": {"sgd": 0.3, "momentum": 0.3, "adam": 0.3},
}


def test_explorer_presets_choose_the_landscape_as_the_page_does():
    # Choosing a landscape starts at its start point with the learning rates
    # that suit it; a preset does the same, then sets its own lesson.
    explorer = [p for p in optimizers.PRESETS if p.tab == "explore"]
    assert {p.name for p in explorer} == {"valley", "rosenbrock", "too_large", "saddle"}
    for preset in explorer:
        land = landscapes.get_landscape(preset.controls["opt_landscape"])
        x_key, y_key = optimizers.start_keys(land.name)
        assert (preset.controls[x_key], preset.controls[y_key]) == land.start
        for name in optimizers.OPTIMIZERS:
            rate = LESSON_RATES.get(preset.name, {}).get(name)
            if rate is None:  # the suggestion, snapped to a slider value
                rate = optimizers.snap(
                    optimizers.suggested_learning_rate(name, land.name),
                    optimizers.slider_options(
                        optimizers.OPTIMIZERS[name].hyperparams[0]
                    ),
                )
            assert preset.controls[f"opt_{name}_learning_rate"] == rate, (preset, name)


def test_preset_lessons_hold():
    presets = {p.name: p.controls for p in optimizers.PRESETS}
    too_large = presets["too_large"]
    kappa = too_large["opt_kappa"]
    sgd = optimizers.run(
        "sgd",
        "quadratic",
        steps=200,
        condition_number=kappa,
        learning_rate=too_large["opt_sgd_learning_rate"],
    )
    assert sgd.diverged  # η·κ = 3 > 2: unstable
    adam = optimizers.run(
        "adam",
        "quadratic",
        steps=200,
        condition_number=kappa,
        learning_rate=too_large["opt_adam_learning_rate"],
    )
    assert not adam.diverged  # Adam's steps are bounded by about η
    valley = presets["valley"]
    common = {"steps": valley["opt_steps"], "condition_number": valley["opt_kappa"]}
    plain = optimizers.run("sgd", "quadratic", learning_rate=0.03, **common)
    heavy = optimizers.run("momentum", "quadratic", learning_rate=0.03, **common)
    assert heavy.distances[-1] < plain.distances[-1] / 3


@pytest.mark.parametrize("kappa", [4.0, 25.0, 100.0])
def test_optimal_runs_reach_goh_rates(kappa):
    runs = optimizers.optimal_runs(kappa, steps=200)
    _, gd_rate = optimizers.gd_optimal(kappa)
    _, _, hb_rate = optimizers.heavy_ball_optimal(kappa)
    assert optimizers.observed_rate(runs["gd"].distances) == pytest.approx(
        gd_rate, abs=0.01
    )
    assert optimizers.observed_rate(runs["momentum"].distances) == pytest.approx(
        hb_rate, abs=0.02
    )
    table = figures.theory_table(kappa, runs)
    np.testing.assert_allclose(
        table.iloc[:3].to_numpy(),
        [
            [2 / (1 + kappa), (2 / (1 + kappa**0.5)) ** 2],
            [0.0, hb_rate**2],
            [gd_rate, hb_rate],
        ],
        rtol=1e-12,
    )


def test_animation_opens_on_the_finished_paths_with_a_click_grid(runs):
    fig = figures.animation_figure("rosenbrock", runs, max_frames=10, click_grid=7)
    lines = {
        tr.name: tr for tr in fig.data if getattr(tr, "mode", "") == "lines+markers"
    }
    for name, run in runs.items():
        np.testing.assert_allclose(lines[name].x, run.path[:, 0])
        np.testing.assert_allclose(lines[name].y, run.path[:, 1])
    assert fig.layout.sliders[0].active == len(fig.frames) - 1
    grid = fig.data[-1]
    assert len(grid.x) == 49 and (min(grid.x), max(grid.x)) == (-2.0, 2.0)
    np.testing.assert_allclose(
        grid.customdata, landscapes.evaluate("rosenbrock", grid.x, grid.y), rtol=1e-6
    )
    start = next(tr for tr in fig.data if tr.name == "start")
    assert (start.x[0], start.y[0]) == tuple(runs["sgd"].path[0])


def test_distance_figure_draws_the_predicted_rate():
    distances = 3.0 * 0.5 ** np.arange(20.0)
    fig = figures.distance_figure({"gd": distances}, predicted={"gd": 0.5})
    theory = next(tr for tr in fig.data if tr.line.dash == "dash")
    np.testing.assert_allclose(theory.y, distances)


def test_minibatch_loss_is_the_full_data_excess_mse():
    data = optimizers.regression_data()
    path = np.array([[0.0, 0.0], [1.0, 0.5], list(data.optimum)])
    fig = figures.minibatch_loss_figure({8: path}, data)
    design = np.stack([data.x, np.ones_like(data.x)], axis=1).astype(np.float64)
    mse = [np.mean((design @ p - data.y) ** 2) for p in path]
    drawn = np.asarray(fig.data[0].y, np.float64)
    np.testing.assert_allclose(drawn[:2], np.subtract(mse, mse[-1])[:2], rtol=1e-9)
    # The optimum itself (excess 0) is a gap with a note, not a made-up 1e-12.
    assert np.isnan(drawn[2])
    notes = [a.text for a in fig.layout.annotations]
    assert notes == [t("opt.log_zero", name="batch size 8", step=2)]


def test_clipping_window_shows_the_jump_off_the_wall():
    free = optimizers.run("sgd", "cliff", steps=100, learning_rate=0.1)
    fig = figures.clipping_figure({"free": free})
    high = fig.layout.xaxis.range[1]
    assert high >= free.path[:, 0].max() > landscapes.LANDSCAPES["cliff"].x_range[1]


def test_race_labels_and_table_are_translated():
    assert figures.race_label("adam (lr=0.01)", "zh") == "Adam (η = 0.01)"
    assert figures.race_label("momentum", "zh") == "动量法"
    table = figures.race_table(
        {
            "sgd/loss": 1.5,
            "sgd/val_accuracy": 0.4,
            "adam/loss": 0.2,
            "adam/val_accuracy": 0.9,
        },
        "zh",
    )
    assert list(table.columns) == ["优化器", "训练损失", "验证集准确率"]
    assert table.iloc[1].tolist() == ["Adam", 0.2, 0.9]


@pytest.mark.parametrize("name", list(optimizers.OPTIMIZERS))
def test_every_slider_extreme_builds_a_keras_optimizer(name):
    # Regression: Lion's β₁ slider started at 0, which Keras rejects.
    for param in optimizers.OPTIMIZERS[name].hyperparams:
        for value in {param.min, param.max, param.default}:
            value = bool(value) if param.kind == "bool" else value
            optimizers.make_optimizer(name, **{param.name: value})


def test_schedule_formulas_follow_staircase_and_use_no_words():
    assert r"\lfloor t / T\rfloor" in optimizers.schedule_latex(
        "inverse_time", staircase=True
    )
    assert r"\lfloor" not in optimizers.schedule_latex("inverse_time")
    for name in optimizers.SCHEDULES:  # the same formula in English and Chinese
        assert r"\text" not in optimizers.schedule_latex(name, staircase=True)
    for name in optimizers.OPTIMIZERS:
        assert r"\text{" not in optimizers.update_rule_latex(name), name
