"""The Optimizers topic says what Keras computes and shows it readably.

Oracles: the ``keras.optimizers.schedules`` classes called directly (every
displayed schedule formula, evaluated as written, for every option), fresh
eager Keras optimizers (every option of every update rule; AdamW's decoupled
weight decay against an L2 penalty in the loss), and the figure JSON itself
(full-value log ticks, chart text ≥ 14 px, contrast of the landscapes, the
animation's step read-out).
"""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pandas as pd
import pytest

from dlcore import optimizers as O
from dlcore.figures import optimizers as figures
from dlcore.figures import optimizers_base, theme
from dlcore.i18n import t
from dlcore.optimizers import landscapes

tf, keras = O.tf, O.keras
S = keras.optimizers.schedules
LR0 = 0.3
STEPS = np.arange(400, dtype=np.float64)  # past every decay window (cycles)


# --- every schedule formula, for every option, against Keras --------------------------


def _cosine(t, T, alpha, eta0=LR0):
    return eta0 * (
        (1 - alpha) * 0.5 * (1 + np.cos(np.pi * np.minimum(t, T) / T)) + alpha
    )


def _warmup(t, p):
    W = p["warmup_steps"]
    late = _cosine(np.maximum(t - W, 0), p["decay_steps"], p["alpha"])
    return np.where(t < W, LR0 * t / W, late)


def _polynomial(t, p, cycle):
    T, end = p["decay_steps"], p["end_learning_rate"]
    if cycle:
        window = T * np.maximum(1, np.ceil(t / T))
        return (LR0 - end) * (1 - t / window) ** p["power"] + end
    return (LR0 - end) * (1 - np.minimum(t, T) / T) ** p["power"] + end


#: What each displayed formula computes, written from the formula as shown
#: (the piecewise boundaries are read from the formula itself, below).
FORMULAS = {
    r"\eta_t = \eta_0\, r^{\,t / T}": lambda t, p: (
        LR0 * p["decay_rate"] ** (t / p["decay_steps"])
    ),
    r"\eta_t = \eta_0\, r^{\lfloor t / T\rfloor}": lambda t, p: (
        LR0 * p["decay_rate"] ** np.floor(t / p["decay_steps"])
    ),
    r"\eta_t = \frac{\eta_0}{1 + r\, t / T}": lambda t, p: (
        LR0 / (1 + p["decay_rate"] * t / p["decay_steps"])
    ),
    r"\eta_t = \frac{\eta_0}{1 + r\, \lfloor t / T\rfloor}": lambda t, p: (
        LR0 / (1 + p["decay_rate"] * np.floor(t / p["decay_steps"]))
    ),
    (
        r"\begin{aligned} \eta_t &= \eta_0\Bigl((1 - \alpha)\,\frac{1 + \cos "
        r"\pi\tau}{2} + \alpha\Bigr) \\ \tau &= \min(t,\, T)\,/\,T \end{aligned}"
    ): lambda t, p: _cosine(t, p["decay_steps"], p["alpha"]),
    (
        r"\begin{aligned} \eta_t &= \eta_0\, t / W\ \ (t < W) \\ "
        r"\eta_t &= \eta_0\Bigl((1 - \alpha)\,\frac{1 + \cos \pi\tau}{2} + "
        r"\alpha\Bigr)\ \ (t \ge W) \\ \tau &= \min(t - W,\, T)\,/\,T \end{aligned}"
    ): _warmup,
    (
        r"\begin{aligned} \eta_t &= (\eta_0 - \eta_T)\,(1 - \tau)^{p} + \eta_T \\ "
        r"\tau &= \min(t,\, T)\,/\,T \end{aligned}"
    ): lambda t, p: _polynomial(t, p, cycle=False),
    (
        r"\begin{aligned} \eta_t &= (\eta_0 - \eta_T)\,(1 - \tau)^{p} + \eta_T \\ "
        r"\tau &= t\,/\,T_c \\ "
        r"T_c &= T\,\max\bigl(1,\ \lceil t / T\rceil\bigr) \end{aligned}"
    ): lambda t, p: _polynomial(t, p, cycle=True),
}


def _piecewise(latex: str, t, p):
    """η₀·γ^i for b_i < t ≤ b_{i+1}, with the b_i the formula shows."""
    assert latex.startswith(r"\begin{aligned} \eta_t &= \eta_0\, \gamma^{\,i}")
    shown = latex.rpartition("= (")[2]  # (−∞, b₁, b₂, …, ∞)
    bounds = [int(b) for b in re.findall(r"\d+", shown)]
    return LR0 * p["decay_factor"] ** np.searchsorted(bounds, t, side="left")


def _keras(name: str, p: dict) -> np.ndarray:
    """The Keras schedule the page means, built here from the Keras classes."""
    if name == "exponential":
        schedule = S.ExponentialDecay(
            LR0, p["decay_steps"], p["decay_rate"], staircase=p["staircase"]
        )
    elif name == "inverse_time":
        schedule = S.InverseTimeDecay(
            LR0, p["decay_steps"], p["decay_rate"], staircase=p["staircase"]
        )
    elif name == "piecewise":
        bounds = list(p.get("boundaries", (100, 200)))
        values = [LR0 * p["decay_factor"] ** i for i in range(len(bounds) + 1)]
        schedule = S.PiecewiseConstantDecay(bounds, values)
    elif name == "cosine" and p["warmup_steps"]:  # warms up from 0 to η₀
        schedule = S.CosineDecay(
            0.0,
            p["decay_steps"],
            p["alpha"],
            warmup_target=LR0,
            warmup_steps=p["warmup_steps"],
        )
    elif name == "cosine":
        schedule = S.CosineDecay(LR0, p["decay_steps"], p["alpha"])
    else:
        schedule = S.PolynomialDecay(
            LR0, p["decay_steps"], p["end_learning_rate"], p["power"], p["cycle"]
        )
    return np.array([float(schedule(int(step))) for step in STEPS])


#: Two values of every option of every displayed schedule (defaults first).
OPTIONS = {
    "exponential": {"decay_steps": (100, 7), "decay_rate": (0.5, 0.3)},
    "inverse_time": {"decay_steps": (100, 7), "decay_rate": (1.0, 3.0)},
    "piecewise": {"decay_factor": (0.1, 0.5), "boundaries": ((100, 200), (30, 90))},
    "cosine": {"decay_steps": (280, 50), "alpha": (0.0, 0.2), "warmup_steps": (0, 20)},
    "polynomial": {
        "decay_steps": (300, 40),
        "end_learning_rate": (1e-4, 0.05),
        "power": (1.0, 2.0),
        "cycle": (False, True),
    },
}
for _name in ("exponential", "inverse_time"):
    OPTIONS[_name]["staircase"] = (False, True)


def _cases():
    for name, options in OPTIONS.items():
        keys = list(options)
        for values in itertools.product(*(options[k] for k in keys)):
            yield name, dict(zip(keys, values, strict=True))


def test_every_option_of_every_schedule_is_covered():
    for name, spec in O.SCHEDULES.items():
        if name != "constant":
            assert {p.name for p in spec.params} <= set(OPTIONS[name]), name


@pytest.mark.parametrize(("name", "params"), list(_cases()), ids=str)
def test_the_displayed_schedule_formula_is_what_keras_computes(name, params):
    latex = O.schedule_latex(name, **params)
    expected = _keras(name, params)
    if name == "piecewise":
        shown = _piecewise(latex, STEPS, params)
    else:
        assert latex in FORMULAS, f"no oracle for the formula shown: {latex}"
        shown = FORMULAS[latex](STEPS, params)
    np.testing.assert_allclose(shown, expected, rtol=2e-5, atol=1e-7, err_msg=latex)
    # … and the page plots the same Keras values.
    plotted = O.schedule_values(name, len(STEPS), learning_rate=LR0, **params)
    np.testing.assert_allclose(plotted, expected, rtol=2e-5, atol=1e-7)


def test_cycle_changes_the_polynomial_formula_and_the_values():
    # Regression: with cycle=True the chart jumped back up after decay_steps
    # while the formula shown was the non-cycling one.
    plain, cyclic = (
        O.schedule_latex("polynomial", cycle=c, decay_steps=40) for c in (False, True)
    )
    assert plain != cyclic and r"\lceil" in cyclic
    values = O.schedule_values("polynomial", 100, learning_rate=1.0, decay_steps=40)
    jumps = O.schedule_values(
        "polynomial", 100, learning_rate=1.0, decay_steps=40, cycle=True
    )
    assert values[41] == pytest.approx(1e-4) and jumps[41] > 0.4


def test_cosine_shows_warm_up_only_when_there_is_one():
    assert r"t < W" not in O.schedule_latex("cosine", warmup_steps=0)
    assert r"t < W" in O.schedule_latex("cosine", warmup_steps=20)


# --- every option of every update rule ------------------------------------------------


def _alternative(param):
    if param.kind == "bool":
        return not param.default
    if param.log:
        return float(param.default) * 3.0
    return param.min if param.default != param.min else param.max


@pytest.mark.parametrize("name", list(O.OPTIMIZERS))
def test_every_option_that_changes_keras_changes_the_rule_or_has_its_symbol(name):
    spec = O.OPTIMIZERS[name]
    symbols = {keyword: symbol for symbol, keyword in spec.symbols}
    base_rule = O.update_rule_latex(name)
    base_path = O.trajectory(name, "rosenbrock", None, 30, **spec.defaults)
    for param in spec.hyperparams:
        value = _alternative(param)
        hp = {**spec.defaults, param.name: value}
        path = O.trajectory(name, "rosenbrock", None, 30, **hp)
        if np.allclose(path, base_path, rtol=0, atol=1e-7, equal_nan=True):
            continue  # Keras computes the same: nothing to show
        rule = O.update_rule_latex(name, **hp)
        assert rule != base_rule or symbols.get(param.name, "\0") in rule, (
            name,
            param.name,
            value,
        )


UNICODE = {
    r"\eta": "η",
    r"\beta": "β",
    r"\beta_1": "β₁",
    r"\beta_2": "β₂",
    r"\rho": "ρ",
    r"\mu": "μ",
    r"\epsilon": "ε",
    r"\hat\epsilon": "ε̂",
    r"\lambda": "λ",
    r"s_0": "s₀",
}


@pytest.mark.parametrize("name", list(O.OPTIMIZERS))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_slider_names_the_symbol_of_its_own_formula(name, lang):
    # Regression: RMSprop's momentum slider said β while its formula uses μ.
    for symbol, keyword in O.OPTIMIZERS[name].symbols:
        label = t(O.label_key(name, keyword), lang)
        assert UNICODE[symbol] in label, (name, keyword, label)
    # Lion's β₂ and Adamax's β₂ are not a second moment.
    for other in ("lion", "adamax"):
        assert "second moment" not in t(O.label_key(other, "beta_2"), "en")


# --- AdamW: decoupled weight decay, not an L2 penalty ---------------------------------


def _steps(optimizer, penalty: float = 0.0, n: int = 5) -> np.ndarray:
    """``n`` eager Keras steps on the quadratic (+ ``penalty``·‖θ‖² in the loss)."""
    theta = keras.Variable(np.array([2.0, -1.0], np.float32))
    for _ in range(n):
        with tf.GradientTape() as tape:
            x, y = theta.value[0], theta.value[1]
            loss = landscapes.LANDSCAPES["quadratic"].fn(x, y, condition_number=10.0)
            loss += penalty * tf.reduce_sum(theta.value**2)
        optimizer.apply_gradients([(tape.gradient(loss, theta.value), theta)])
    return theta.numpy()


def test_adamw_decay_is_decoupled_and_differs_from_an_l2_penalty():
    lr, lam = 0.1, 0.5
    adamw = _steps(keras.optimizers.AdamW(lr, weight_decay=lam))
    # Decoupled: θ ← θ − ηλθ, then an Adam step with the loss gradient alone.
    theta = keras.Variable(np.array([2.0, -1.0], np.float32))
    adam = keras.optimizers.Adam(lr)
    for _ in range(5):
        with tf.GradientTape() as tape:
            x, y = theta.value[0], theta.value[1]
            loss = landscapes.LANDSCAPES["quadratic"].fn(x, y, condition_number=10.0)
        grad = tape.gradient(loss, theta.value)
        theta.assign(theta.value - lr * lam * theta.value)
        adam.apply_gradients([(grad, theta)])
    np.testing.assert_allclose(adamw, theta.numpy(), rtol=1e-5)
    # An L2 penalty λ′‖θ‖² (λ′ = λ/2, the same pull for plain SGD) goes through
    # Adam's rescaling: a different point.
    l2 = _steps(keras.optimizers.Adam(lr), penalty=lam / 2)
    assert np.abs(l2 - adamw).max() > 0.05
    # With plain SGD the two are the same step, as the page says.
    sgd_decay = _steps(keras.optimizers.SGD(lr, weight_decay=lam))
    sgd_l2 = _steps(keras.optimizers.SGD(lr), penalty=lam / 2)
    np.testing.assert_allclose(sgd_decay, sgd_l2, rtol=1e-5)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_adamw_is_named_and_explained_as_decoupled(lang):
    assert t("opt.hp.weight_decay", lang).startswith(("decoupled", "解耦"))
    note = t("opt.adamw.decoupled", lang)
    assert r"\theta \leftarrow \theta - \eta\lambda\theta" in note
    assert "L2" in note and "Loshchilov" in note
    rule = O.update_rule_latex("adamw")
    assert rule.startswith(r"\begin{aligned} \theta &\leftarrow \theta - \eta\,\lambda")


# --- readable figures -----------------------------------------------------------------


@pytest.fixture(scope="module")
def runs():
    return {
        name: O.run(name, "rosenbrock", steps=60, learning_rate=lr)
        for name, lr in (("sgd", 0.001), ("adam", 0.1), ("lion", 0.03))
    }


def _every_figure(runs, lang="en"):
    """Every figure builder of the topic, with data of each kind."""
    history = pd.DataFrame(
        {
            "epoch": [1, 2, 3] * 2,
            "loss": [2.31, 2.30, 2.29, 2.31, 2.28, 2.26],  # a loss that stays ~2.3
            "val_accuracy": [0.1, 0.12, 0.15, 0.1, 0.2, 0.3],
            "run": ["sgd"] * 3 + ["adam"] * 3,
        }
    )
    theory = O.momentum_theory((2.0, 10.0, 100.0), steps=60)
    free = O.run("sgd", "cliff", steps=100, learning_rate=0.1)
    clipped = O.run("sgd", "cliff", steps=100, learning_rate=0.1, clipnorm=1.0)
    batches = {1: O.minibatch_path(1, 20), 64: O.minibatch_path(64, 20)}
    return {
        "contour": figures.contour_figure("rosenbrock", runs, lang=lang),
        "animation": figures.animation_figure("rosenbrock", runs, lang=lang),
        "loss": figures.loss_figure(runs, lang=lang),
        "distance": figures.distance_figure(
            runs, predicted={next(iter(runs)): 0.9}, lang=lang
        ),
        "surface": figures.surface_figure("rosenbrock", runs, num=21, lang=lang),
        "schedule": figures.schedule_figure(
            {"cosine": O.schedule_values("cosine", 300)}, lang=lang
        ),
        "clipping": figures.clipping_figure({"a": free, "b": clipped}, lang=lang),
        "steps": figures.step_length_figure(
            {"a": free, "b": clipped}, bound=0.1, lang=lang
        ),
        "minibatch": figures.minibatch_figure(batches, lang=lang),
        "minibatch_loss": figures.minibatch_loss_figure(batches, lang=lang),
        "theory": figures.momentum_theory_figure(theory, lang=lang),
        "race": figures.race_figure(history, epochs=3, lang=lang),
        "race_accuracy": figures.race_figure(
            history, metric="val_accuracy", epochs=3, lang=lang
        ),
    }


def _fonts(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            fonts = key in ("font", "tickfont", "textfont") and isinstance(value, dict)
            if fonts and isinstance(value.get("size"), (int, float)):
                yield f"{path}.{key}", value["size"]
            yield from _fonts(value, f"{path}.{key}")
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from _fonts(value, f"{path}[{i}]")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_chart_text_is_at_least_14_px(runs, lang):
    for name, fig in _every_figure(runs, lang).items():
        spec = fig.to_plotly_json()
        assert spec["layout"]["font"]["size"] >= theme.MIN_FONT_SIZE, name
        small = [(p, s) for p, s in _fonts(spec) if s < theme.MIN_FONT_SIZE]
        assert not small, (name, small)
        if name == "surface":  # 3-D axes are not styled by theme.styled
            for axis in ("xaxis", "yaxis", "zaxis"):
                scene_axis = spec["layout"]["scene"][axis]
                assert scene_axis["tickfont"]["size"] >= theme.MIN_FONT_SIZE


def test_every_log_axis_has_full_value_labels(runs):
    logs = 0
    for name, fig in _every_figure(runs).items():
        layout = fig.to_plotly_json()["layout"]
        for key, axis in layout.items():
            if not key.startswith(("xaxis", "yaxis")) or axis.get("type") != "log":
                continue
            logs += 1
            labels, values = axis.get("ticktext"), axis.get("tickvals")
            assert labels and len(labels) >= 2, (name, key)
            # Each label reads as its full value: "0.5", never "5" for 0.5.
            np.testing.assert_allclose(
                [float(v) for v in labels], values, rtol=1e-6, err_msg=name
            )
            low, high = (10**v for v in axis["range"])
            assert all(low <= v <= high for v in values), (name, key)
    assert logs == 6  # loss, distance, step lengths, minibatch loss, theory κ, race


def test_a_race_loss_near_2_3_still_gets_two_labels(runs):
    fig = _every_figure(runs)["race"]
    assert fig.layout.yaxis.type == "log" and len(fig.layout.yaxis.ticktext) >= 2


def test_zero_on_a_log_axis_is_a_gap_with_a_note():
    fig = figures.loss_figure({"sgd": np.array([1.0, 0.1, 0.0, 0.01])})
    drawn = np.asarray(fig.data[0].y, np.float64)
    assert np.isnan(drawn[2]) and drawn[3] == 0.01  # no silent floor
    assert fig.layout.yaxis.type == "log"
    assert [a.text for a in fig.layout.annotations] == [
        t("opt.log_zero", name="sgd", step=2)
    ]
    # Negative losses (the saddle) make the axis linear instead.
    assert figures.loss_figure({"s": np.array([1.0, -1.0])}).layout.yaxis.type in (
        None,
        "linear",
        "-",
    )


def test_theory_lines_are_drawn_under_the_measured_ones():
    distances = 3.0 * 0.5 ** np.arange(20.0)
    fig = figures.distance_figure({"gd": distances}, predicted={"gd": 0.5})
    names = [trace.name for trace in fig.data]
    assert names == [t("opt.predicted", name="gd"), "gd"]  # theory first = under
    assert fig.data[0].line.width > fig.data[1].line.width  # a band around it


# --- the animation: one step convention, slider and read-out agree --------------------


@pytest.mark.parametrize("steps", [50, 100, 200, 300, 500])
def test_animation_frames_sit_on_round_steps_and_end_on_the_last(steps):
    path = np.cumsum(np.ones((steps + 1, 2)), axis=0)
    fig = figures.animation_figure("quadratic", {"a": path}, lang="en")
    slider = fig.layout.sliders[0]
    frames = [int(frame.name) for frame in fig.frames]
    assert frames[0] == 0 and frames[-1] == steps  # the start and the last step
    stride = frames[1] - frames[0]
    assert stride in (1, 2, 5, 10) and all(f % stride == 0 for f in frames)
    assert len(frames) <= 101
    # Slider step k shows frame k, whose path has k + 1 points (after k updates).
    assert [s.label for s in slider.steps] == [str(k) for k in frames]
    assert [s.args[0][0] for s in slider.steps] == [str(k) for k in frames]
    for frame in fig.frames:
        assert len(frame.data[0]["x"]) == int(frame.name) + 1
    # It opens on the last step, and the read-out says so: "step 200 of 200".
    assert slider.active == len(frames) - 1
    shown = slider.currentvalue.prefix + slider.steps[-1].label
    assert shown + slider.currentvalue.suffix == f"step {steps} of {steps}"
    # Plotly would number only every few ticks (0, 18, 35 … 195 against
    # "step: 200"): the ticks carry no numbers, the read-out does.
    assert slider.font.color == "rgba(0,0,0,0)" and slider.ticklen == 0
    assert slider.currentvalue.font.size >= theme.MIN_FONT_SIZE


def test_the_read_out_is_translated():
    fig = figures.animation_figure("quadratic", {"a": np.zeros((31, 2))}, lang="zh")
    value = fig.layout.sliders[0].currentvalue
    assert value.prefix + "30" + value.suffix == "步数 30 / 30"


# --- landscapes readable on a projector -----------------------------------------------


def _luminance(color: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_landscape_levels_and_paths_stand_out():
    fills = [stop[1] for stop in optimizers_base.CONTOUR_SCALE]
    # The level lines read on every fill (WCAG: ≥ 3:1 for graphics) …
    for fill in fills:
        assert _contrast(optimizers_base.CONTOUR_LINE, fill) >= 3.0, fill
    # … and the fill stays light: every path colour keeps ≥ 60 % of the
    # contrast it has on white (the old mid-grey kept 27 % of the blue's).
    for i in range(5):
        path = theme.color(i)
        for fill in fills:
            kept = _contrast(path, fill) / _contrast(path, "#ffffff")
            assert kept >= 0.6, (path, fill, kept)
    fig = figures.contour_figure("quadratic")
    contour = fig.data[0]
    assert contour.line.color == optimizers_base.CONTOUR_LINE
    assert contour.line.width >= 1


def test_the_schedule_x_axis_says_what_t_is():
    fig = figures.schedule_figure({"a": O.schedule_values("cosine", 10)})
    assert fig.layout.xaxis.title.text == t("opt.axis.iterations")
    assert fig.data[0].x[0] == 0  # Keras calls the schedule with 0 first
    assert math.isclose(fig.data[0].y[0], 0.0)  # cosine warm-up starts at 0
