"""Optimizers on 2-D landscapes and on a real network, with the real Keras updates.

Every step shown by the Optimizers page is ``keras.optimizers.X.apply_gradients``
on a ``keras.Variable`` of shape (2,); nothing is re-implemented. The whole
loop (gradient tape, update, recording) runs inside one ``tf.function`` that is
traced once per optimizer configuration and kept in a small LRU cache, so
moving the learning-rate slider or the start point re-runs in milliseconds.

Next to each optimizer we keep its update rule twice: in LaTeX, written from
the Keras 3 source (``keras/src/optimizers/*.py``), and as a few lines of NumPy
(:func:`numpy_step`) that the tests check against the Keras trajectory.

>>> path = trajectory("sgd", "quadratic", (1.0, 1.0), 3, learning_rate=0.5)
>>> path.shape
(4, 2)
>>> path[1].tolist()  # θ − η∇f = (1, 1) − 0.5·(1, 10)
[0.5, -4.0]

Contents: registries (:data:`OPTIMIZERS`, :data:`SCHEDULES`), runs on
landscapes (:func:`trajectory`, :func:`run`), the NumPy reference rules,
learning-rate schedules, gradient clipping, mini-batch SGD on a linear
regression, momentum theory (Goh, 2017) and a race on a real network
(:func:`train_race`).
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import inspect
import math
import textwrap
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from dlcore import codegen, datasets, landscapes, runtime, train
from dlcore.landscapes import HyperParam

tf = runtime.tf()
import keras  # noqa: E402  (after runtime configured TensorFlow)

#: A run counts as diverged at the first step whose parameters or loss are not
#: finite, or whose largest coordinate exceeds this bound.
DIVERGENCE_BOUND = 1e6
#: Compiled optimization loops kept per process (least recently used dropped).
MAX_RUNNERS = 48
#: Default number of steps of a landscape run.
DEFAULT_STEPS = 300


# --- registries ----------------------------------------------------------------------


def _lr(default: float) -> HyperParam:
    return HyperParam("learning_rate", default, 1e-4, 10.0, 0.25, log=True)


_EPSILON = HyperParam("epsilon", 1e-7, 1e-10, 1.0, 0.5, log=True)
_BETA_1 = HyperParam("beta_1", 0.9, 0.0, 0.999, 0.001)
_BETA_2 = HyperParam("beta_2", 0.999, 0.0, 0.9999, 0.0001)
_MOMENTUM = HyperParam("momentum", 0.9, 0.0, 0.99, 0.01)
_NESTEROV = HyperParam("nesterov", False, 0, 1, 1, kind="bool")

#: Common notation, shown above every rule.
NOTATION_LATEX = (
    r"g = \nabla f(\theta)\ \text{(after clipping)},\quad "
    r"t = 1, 2, \dots\ \text{(step)},\quad \text{all operations element-wise}"
)


@dataclasses.dataclass(frozen=True)
class OptimizerSpec:
    """One entry of :data:`OPTIMIZERS`.

    Attributes:
        name: Registry key, also the page's value (``"nesterov"``).
        keras_name: The class in ``keras.optimizers`` (``"SGD"``).
        hyperparams: Slider specs; their names are the Keras keyword arguments.
            Defaults are the dashboard's (learning rates suit the landscapes);
            the other defaults are Keras' (except Adadelta's ε, see there).
        latex: The update rule exactly as Keras implements it (default form).
        symbols: ``(LaTeX symbol, keyword)`` pairs linking formula and sliders.
        reference: Paper the method comes from.
    """

    name: str
    keras_name: str
    hyperparams: tuple[HyperParam, ...]
    latex: str
    symbols: tuple[tuple[str, str], ...]
    reference: str

    @property
    def defaults(self) -> dict[str, float | bool]:
        """Hyper-parameter defaults, keyed by Keras keyword."""
        return {p.name: p.default for p in self.hyperparams}

    @property
    def keras_class(self) -> type[keras.optimizers.Optimizer]:
        """The Keras optimizer class (``keras.optimizers.SGD``)."""
        return getattr(keras.optimizers, self.keras_name)

    def keras_default(self, name: str) -> Any:
        """The default Keras itself uses for keyword ``name``."""
        return inspect.signature(self.keras_class).parameters[name].default


_SGD_LATEX = r"\theta \leftarrow \theta - \eta\, g"
_MOMENTUM_LATEX = (
    r"\begin{aligned} v &\leftarrow \beta\, v - \eta\, g \\ "
    r"\theta &\leftarrow \theta + v \end{aligned}"
)
_NESTEROV_LATEX = (
    r"\begin{aligned} v &\leftarrow \beta\, v - \eta\, g \\ "
    r"\theta &\leftarrow \theta + \beta\, v - \eta\, g \end{aligned}"
)
_ADAM_LATEX = (
    r"\begin{aligned} \alpha_t &= \eta\,\frac{\sqrt{1 - \beta_2^{\,t}}}"
    r"{1 - \beta_1^{\,t}} \\ "
    r"m &\leftarrow m + (1 - \beta_1)\,(g - m) \\ "
    r"v &\leftarrow v + (1 - \beta_2)\,(g^2 - v) \\ "
    r"\theta &\leftarrow \theta - \frac{\alpha_t\, m}{\sqrt{v} + \hat\epsilon}"
    r" \end{aligned}"
)

OPTIMIZERS: dict[str, OptimizerSpec] = {
    spec.name: spec
    for spec in (
        OptimizerSpec(
            "sgd",
            "SGD",
            (_lr(0.01), _MOMENTUM._replace(default=0.0), _NESTEROV),
            _SGD_LATEX,
            ((r"\eta", "learning_rate"), (r"\beta", "momentum")),
            "Robbins & Monro, 1951",
        ),
        OptimizerSpec(
            "momentum",
            "SGD",
            (_lr(0.01), _MOMENTUM, _NESTEROV),
            _MOMENTUM_LATEX,
            ((r"\eta", "learning_rate"), (r"\beta", "momentum")),
            "Polyak, 1964 (heavy ball)",
        ),
        OptimizerSpec(
            "nesterov",
            "SGD",
            (_lr(0.01), _MOMENTUM, _NESTEROV._replace(default=True)),
            _NESTEROV_LATEX,
            ((r"\eta", "learning_rate"), (r"\beta", "momentum")),
            "Nesterov, 1983; Sutskever et al., 2013",
        ),
        OptimizerSpec(
            "rmsprop",
            "RMSprop",
            (
                _lr(0.01),
                HyperParam("rho", 0.9, 0.0, 0.999, 0.001),
                _MOMENTUM._replace(default=0.0),
                _EPSILON,
                HyperParam("centered", False, 0, 1, 1, kind="bool"),
            ),
            r"\begin{aligned} s &\leftarrow \rho\, s + (1 - \rho)\, g^2 \\ "
            r"\theta &\leftarrow \theta - \frac{\eta\, g}{\sqrt{s + \epsilon}}"
            r" \end{aligned}",
            (
                (r"\eta", "learning_rate"),
                (r"\rho", "rho"),
                (r"\mu", "momentum"),
                (r"\epsilon", "epsilon"),
            ),
            "Hinton, 2012 (Coursera lecture 6e)",
        ),
        OptimizerSpec(
            "adagrad",
            "Adagrad",
            (
                _lr(0.1),
                HyperParam("initial_accumulator_value", 0.1, 0.0, 1.0, 0.01),
                _EPSILON,
            ),
            r"\begin{aligned} s &\leftarrow s + g^2 \qquad (s_0 = "
            r"\texttt{initial\_accumulator\_value}) \\ "
            r"\theta &\leftarrow \theta - \frac{\eta\, g}{\sqrt{s + \epsilon}}"
            r" \end{aligned}",
            (
                (r"\eta", "learning_rate"),
                (r"s_0", "initial_accumulator_value"),
                (r"\epsilon", "epsilon"),
            ),
            "Duchi et al., 2011",
        ),
        OptimizerSpec(
            "adadelta",
            "Adadelta",
            # η = 1 as in the paper (Keras: 0.001) and ε = 1e-4 (Keras: 1e-7):
            # the first steps are about √ε, so Keras' ε barely moves in 300 steps.
            (
                _lr(1.0),
                HyperParam("rho", 0.95, 0.0, 0.999, 0.001),
                _EPSILON._replace(default=1e-4),
            ),
            r"\begin{aligned} s &\leftarrow \rho\, s + (1 - \rho)\, g^2 \\ "
            r"\Delta &\leftarrow -\frac{\sqrt{d + \epsilon}}{\sqrt{s + \epsilon}}"
            r"\, g \\ "
            r"d &\leftarrow \rho\, d + (1 - \rho)\, \Delta^2 \\ "
            r"\theta &\leftarrow \theta + \eta\, \Delta \end{aligned}",
            ((r"\eta", "learning_rate"), (r"\rho", "rho"), (r"\epsilon", "epsilon")),
            "Zeiler, 2012",
        ),
        OptimizerSpec(
            "adam",
            "Adam",
            (
                _lr(0.05),
                _BETA_1,
                _BETA_2,
                _EPSILON,
                HyperParam("amsgrad", False, 0, 1, 1, kind="bool"),
            ),
            _ADAM_LATEX,
            (
                (r"\eta", "learning_rate"),
                (r"\beta_1", "beta_1"),
                (r"\beta_2", "beta_2"),
                (r"\hat\epsilon", "epsilon"),
            ),
            "Kingma & Ba, 2014; Reddi et al., 2018 (AMSGrad)",
        ),
        OptimizerSpec(
            "adamw",
            "AdamW",
            (
                _lr(0.05),
                HyperParam("weight_decay", 0.004, 0.0, 1.0, 0.001),
                _BETA_1,
                _BETA_2,
                _EPSILON,
                HyperParam("amsgrad", False, 0, 1, 1, kind="bool"),
            ),
            _ADAM_LATEX.replace(
                r"\begin{aligned} ",
                r"\begin{aligned} \theta &\leftarrow \theta - \eta\,\lambda\,\theta"
                r" \\ ",
            ),
            (
                (r"\eta", "learning_rate"),
                (r"\lambda", "weight_decay"),
                (r"\beta_1", "beta_1"),
                (r"\beta_2", "beta_2"),
                (r"\hat\epsilon", "epsilon"),
            ),
            "Loshchilov & Hutter, 2019",
        ),
        OptimizerSpec(
            "nadam",
            "Nadam",
            (_lr(0.05), _BETA_1, _BETA_2, _EPSILON),
            r"\begin{aligned} \mu_t &= \beta_1\bigl(1 - \tfrac12\, 0.96^{\,t}\bigr),"
            r"\quad \Pi_t = \textstyle\prod_{i=1}^{t} \mu_i \\ "
            r"m &\leftarrow m + (1 - \beta_1)\,(g - m) \\ "
            r"v &\leftarrow v + (1 - \beta_2)\,(g^2 - v) \\ "
            r"\hat m &= \frac{\mu_{t+1}\, m}{1 - \Pi_t\, \mu_{t+1}}"
            r" + \frac{(1 - \mu_t)\, g}{1 - \Pi_t},\quad "
            r"\hat v = \frac{v}{1 - \beta_2^{\,t}} \\ "
            r"\theta &\leftarrow \theta - "
            r"\frac{\eta\, \hat m}{\sqrt{\hat v} + \epsilon}"
            r" \end{aligned}",
            (
                (r"\eta", "learning_rate"),
                (r"\beta_1", "beta_1"),
                (r"\beta_2", "beta_2"),
                (r"\epsilon", "epsilon"),
            ),
            "Dozat, 2016",
        ),
        OptimizerSpec(
            "adamax",
            "Adamax",
            (_lr(0.05), _BETA_1, _BETA_2, _EPSILON),
            r"\begin{aligned} m &\leftarrow m + (1 - \beta_1)\,(g - m) \\ "
            r"u &\leftarrow \max\bigl(\beta_2\, u,\ |g|\bigr) \\ "
            r"\theta &\leftarrow \theta - \frac{\eta\, m}"
            r"{(1 - \beta_1^{\,t})\,(u + \epsilon)} \end{aligned}",
            (
                (r"\eta", "learning_rate"),
                (r"\beta_1", "beta_1"),
                (r"\beta_2", "beta_2"),
                (r"\epsilon", "epsilon"),
            ),
            "Kingma & Ba, 2014 (section 7)",
        ),
        OptimizerSpec(
            "lion",
            "Lion",
            # Keras requires 0 < β₁ ≤ 1 for Lion (β₁ = 0 would be sign-SGD).
            (
                _lr(0.02),
                _BETA_1._replace(min=0.001),
                HyperParam("beta_2", 0.99, 0.0, 0.9999, 0.0001),
            ),
            r"\begin{aligned} \theta &\leftarrow \theta - \eta\,"
            r"\operatorname{sign}\bigl(\beta_1 m + (1 - \beta_1)\, g\bigr) \\ "
            r"m &\leftarrow \beta_2\, m + (1 - \beta_2)\, g \end{aligned}",
            (
                (r"\eta", "learning_rate"),
                (r"\beta_1", "beta_1"),
                (r"\beta_2", "beta_2"),
            ),
            "Chen et al., 2023",
        ),
    )
}

#: Gradient clipping (base-optimizer keywords, at most one at a time). With a
#: single (2,) variable, ``clipnorm`` and ``global_clipnorm`` coincide.
CLIPPING: tuple[HyperParam, ...] = (
    HyperParam("clipnorm", 1.0, 0.01, 100.0, 0.25, log=True),
    HyperParam("clipvalue", 1.0, 0.01, 100.0, 0.25, log=True),
    HyperParam("global_clipnorm", 1.0, 0.01, 100.0, 0.25, log=True),
)
CLIPPING_LATEX: dict[str, str] = {
    "clipnorm": r"g \leftarrow g\cdot\frac{c}{\max(\lVert g\rVert_2,\ c)}",
    "clipvalue": r"g \leftarrow \operatorname{clip}(g,\ -c,\ c)",
    "global_clipnorm": (
        r"g_k \leftarrow g_k\cdot\frac{c}{\max\bigl(\sqrt{\textstyle\sum_j"
        r" \lVert g_j\rVert_2^2},\ c\bigr)}"
    ),
}

#: Suggested learning rates per landscape: (SGD family, adaptive family).
#: Adaptive methods move about η per step whatever the gradient's size, SGD
#: moves η·|g|, so the two need very different values on the same surface.
SUGGESTED_LEARNING_RATES: dict[str, tuple[float, float]] = {
    "quadratic": (0.05, 0.1),
    "rosenbrock": (0.001, 0.1),
    "beale": (0.003, 0.1),
    "himmelblau": (0.01, 0.1),
    "saddle": (0.005, 0.01),
    "rastrigin": (0.003, 0.05),  # Nesterov is unstable above ηλ ≈ 1.4 (λ ≈ 400)
    "cliff": (0.1, 0.1),
}


def get_spec(name: str) -> OptimizerSpec:
    """Look up an optimizer by registry key, with a helpful error.

    >>> get_spec("adam").keras_name
    'Adam'
    """
    try:
        return OPTIMIZERS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown optimizer {name!r}; expected one of {list(OPTIMIZERS)}"
        ) from None


def suggested_learning_rate(optimizer: str, landscape: str) -> float:
    """A learning rate that makes ``optimizer`` visibly work on ``landscape``.

    >>> suggested_learning_rate("adam", "rosenbrock")
    0.1
    """
    spec = get_spec(optimizer)
    landscapes.get_landscape(landscape)
    sgd_lr, adaptive_lr = SUGGESTED_LEARNING_RATES[landscape]
    if spec.keras_name == "SGD":
        return sgd_lr
    if spec.name == "adadelta":
        return 1.0
    if spec.name == "lion":
        return adaptive_lr / 3  # sign updates take full steps of size η
    return adaptive_lr


# --- slider values, page controls, presets -------------------------------------------

#: Mantissas of the "nice" values on a log-scale slider (1, 2, 3, 5 × 10^k).
_NICE_MANTISSAS = (1.0, 2.0, 3.0, 5.0)


def slider_options(param: HyperParam) -> list[float]:
    """The values a log-scale slider offers: ``{1, 2, 3, 5} × 10^k`` in range.

    The default is always one of them (inserted if it is not a nice value).

    >>> slider_options(HyperParam("lr", 0.05, 0.01, 1.0, 0.25, log=True))
    [0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0]
    """
    low, high = float(param.min), float(param.max)
    values = {float(param.default)}
    for exponent in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        for mantissa in _NICE_MANTISSAS:
            value = float(f"{mantissa * 10.0**exponent:.12g}")
            if low * (1 - 1e-9) <= value <= high * (1 + 1e-9):
                values.add(value)
    return sorted(values)


def snap(value: float, options: Sequence[float]) -> float:
    """The option nearest to ``value`` on a log scale (positive options).

    >>> snap(0.0333, [0.01, 0.02, 0.03, 0.05])
    0.03
    """
    logs = np.log(np.asarray(options, np.float64))
    return float(options[int(np.argmin(np.abs(logs - math.log(float(value)))))])


def controls(optimizer: str, landscape: str) -> tuple[HyperParam, ...]:
    """The optimizer's slider specs, its learning rate suited to ``landscape``.

    The learning-rate default is :func:`suggested_learning_rate` snapped to
    one of the :func:`slider_options`.

    >>> [p.default for p in controls("sgd", "rosenbrock")][:2]
    [0.001, 0.0]
    """
    params = []
    for param in get_spec(optimizer).hyperparams:
        if param.name == "learning_rate":
            suggested = suggested_learning_rate(optimizer, landscape)
            param = param._replace(default=snap(suggested, slider_options(param)))
        params.append(param)
    return tuple(params)


def keras_call(optimizer: str, **hyperparams: Any) -> str:
    """The ``keras.optimizers`` constructor call for these settings (for display).

    Settings equal to Keras' own defaults are left out.

    >>> keras_call("nesterov", learning_rate=0.05)
    'keras.optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True)'
    """
    spec = get_spec(optimizer)
    values = {**spec.defaults, **hyperparams}
    args = []
    for param in spec.hyperparams:
        value = values[param.name]
        value = bool(value) if param.kind == "bool" else float(value)
        if param.name == "learning_rate" or value != spec.keras_default(param.name):
            args.append(f"{param.name}={value!r}")  # floats stay floats: 1.0, not 1
    for name in (p.name for p in CLIPPING):
        if hyperparams.get(name):
            args.append(f"{name}={float(hyperparams[name])!r}")
    return f"keras.optimizers.{spec.keras_name}({', '.join(args)})"


#: Teacher presets of the Optimizers page: page control → value. Keys are the
#: page's widget keys without the ``opt_`` prefix; ``<optimizer>_<keyword>``
#: sets a hyper-parameter; ``tab`` opens a lesson (see the page's tab ids).
PRESETS: dict[str, dict[str, Any]] = {
    "valley": {
        "tab": "explore", "landscape": "quadratic", "kappa": 50.0, "steps": 100,
        "optimizers": ["sgd", "momentum", "nesterov"],
        "sgd_learning_rate": 0.03, "momentum_learning_rate": 0.03,
        "nesterov_learning_rate": 0.03,
    },
    "rosenbrock": {
        "tab": "explore", "landscape": "rosenbrock", "steps": 500,
        "optimizers": ["sgd", "momentum", "adam"],
    },
    "too_large": {
        "tab": "explore", "landscape": "quadratic", "kappa": 10.0, "steps": 200,
        "optimizers": ["sgd", "momentum", "adam"], "sgd_learning_rate": 0.3,
        "momentum_learning_rate": 0.3, "adam_learning_rate": 0.3,
    },
    "saddle": {
        "tab": "explore", "landscape": "saddle", "steps": 200,
        "optimizers": ["sgd", "momentum", "rmsprop", "adam"],
    },
    "clipping": {
        "tab": "clipping", "clip_kinds": ["clipnorm", "clipvalue"], "clip_c": 1.0,
        "clip_optimizer": "sgd", "clip_lr": 0.1,
    },
}  # fmt: skip


# --- learning-rate schedules ---------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ScheduleSpec:
    """One entry of :data:`SCHEDULES` (``keras_name``: a class in
    ``keras.optimizers.schedules``)."""

    name: str
    keras_name: str | None
    params: tuple[HyperParam, ...]
    latex: str


_DECAY_STEPS = HyperParam("decay_steps", 100, 1, 1000, 1, kind="int")
SCHEDULES: dict[str, ScheduleSpec] = {
    spec.name: spec
    for spec in (
        ScheduleSpec("constant", None, (), r"\eta_t = \eta_0"),
        ScheduleSpec(
            "exponential",
            "ExponentialDecay",
            (
                _DECAY_STEPS,
                HyperParam("decay_rate", 0.5, 0.01, 1.0, 0.01),
                HyperParam("staircase", False, 0, 1, 1, kind="bool"),
            ),
            r"\eta_t = \eta_0\, r^{\,t / T}",
        ),
        ScheduleSpec(
            "piecewise",
            "PiecewiseConstantDecay",
            (HyperParam("decay_factor", 0.1, 0.01, 1.0, 0.01),),
            r"\eta_t = \eta_0\, \gamma^{\,i}\quad (b_i < t \le b_{i+1};\ "
            r"b_0 = -\infty,\ b_1 = 100,\ b_2 = 200,\ b_3 = \infty)",
        ),
        ScheduleSpec(
            "cosine",
            "CosineDecay",
            (
                _DECAY_STEPS._replace(default=300),
                HyperParam("alpha", 0.0, 0.0, 1.0, 0.01),
                HyperParam("warmup_steps", 0, 0, 500, 1, kind="int"),
            ),
            r"\eta_t = \eta_0\Bigl((1 - \alpha)\,\tfrac12\bigl(1 + \cos\tfrac{\pi\,"
            r"\min(t - W,\, T)}{T}\bigr) + \alpha\Bigr),\quad "
            r"\eta_t = \eta_0\,\tfrac{t}{W}\ \ (t < W)",
        ),
        ScheduleSpec(
            "inverse_time",
            "InverseTimeDecay",
            (
                _DECAY_STEPS,
                HyperParam("decay_rate", 1.0, 0.01, 10.0, 0.01),
                HyperParam("staircase", False, 0, 1, 1, kind="bool"),
            ),
            r"\eta_t = \frac{\eta_0}{1 + r\, t / T}",
        ),
        ScheduleSpec(
            "polynomial",
            "PolynomialDecay",
            (
                _DECAY_STEPS._replace(default=300),
                HyperParam("end_learning_rate", 1e-4, 1e-6, 1.0, 0.25, log=True),
                HyperParam("power", 1.0, 0.1, 5.0, 0.1),
                HyperParam("cycle", False, 0, 1, 1, kind="bool"),
            ),
            r"\eta_t = (\eta_0 - \eta_T)\,\Bigl(1 - \frac{\min(t, T)}{T}"
            r"\Bigr)^{p} + \eta_T",
        ),
    )
}


def _schedule_kwargs(
    name: str, learning_rate: float, params: Mapping[str, Any]
) -> dict:
    """Keras keyword arguments of schedule ``name`` starting at ``learning_rate``."""
    spec = SCHEDULES.get(name)
    if spec is None:
        raise ValueError(
            f"Unknown schedule {name!r}; expected one of {list(SCHEDULES)}"
        )
    allowed = {p.name for p in spec.params}
    if name == "piecewise":
        allowed |= {"boundaries", "values"}
    if name == "cosine":
        allowed |= {"warmup_target"}
    unknown = set(params) - allowed
    if unknown:
        raise ValueError(
            f"Schedule {name!r} has no parameter(s) {sorted(unknown)}; "
            f"expected {sorted(allowed) or 'none'}"
        )
    kwargs = {p.name: params.get(p.name, p.default) for p in spec.params}
    for p in spec.params:
        kwargs[p.name] = {"int": int, "bool": bool}.get(p.kind, float)(kwargs[p.name])
    if name == "piecewise":
        # Step boundaries b_i; the rate is multiplied by γ after each one.
        boundaries = [int(b) for b in params.get("boundaries", (100, 200))]
        factor = kwargs.pop("decay_factor")
        values = params.get("values")
        if values is None:
            values = [learning_rate * factor**i for i in range(len(boundaries) + 1)]
        return {"boundaries": boundaries, "values": [float(v) for v in values]}
    if name == "cosine" and (kwargs["warmup_steps"] > 0 or "warmup_target" in params):
        # Warm up linearly from 0 to the chosen rate (Keras: from
        # initial_learning_rate to warmup_target), then decay from there.
        target = params.get("warmup_target")
        kwargs["warmup_target"] = float(learning_rate if target is None else target)
        return {
            "initial_learning_rate": 0.0 if target is None else learning_rate,
            **kwargs,
        }
    return {"initial_learning_rate": float(learning_rate), **kwargs}


def make_schedule(
    name: str, learning_rate: float, **params: Any
) -> keras.optimizers.schedules.LearningRateSchedule | float:
    """Build a ``keras.optimizers.schedules`` object starting at ``learning_rate``.

    ``"constant"`` returns the float itself. For ``"piecewise"``, ``values``
    default to ``η₀·γ^i`` (``decay_factor`` γ) at ``boundaries`` (100, 200);
    for ``"cosine"``, ``warmup_steps > 0`` warms up from 0 to ``learning_rate``.

    >>> make_schedule("exponential", 0.1, decay_steps=10).decay_rate
    0.5
    """
    kwargs = _schedule_kwargs(name, learning_rate, params)
    if name == "constant":
        return float(learning_rate)
    return getattr(keras.optimizers.schedules, SCHEDULES[name].keras_name)(**kwargs)


def schedule_latex(name: str, **params: Any) -> str:
    r"""The schedule's formula for these settings (``staircase`` floors t/T).

    >>> print(schedule_latex("exponential", staircase=True))
    \eta_t = \eta_0\, r^{\lfloor t / T\rfloor}
    """
    if name not in SCHEDULES:
        raise ValueError(
            f"Unknown schedule {name!r}; expected one of {list(SCHEDULES)}"
        )
    latex = SCHEDULES[name].latex
    if params.get("staircase"):
        latex = latex.replace(r"r^{\,t / T}", r"r^{\lfloor t / T\rfloor}").replace(
            r"r\, t / T", r"r\, \lfloor t / T\rfloor"
        )
    return latex


def schedule_values(name: str, steps: int, **params: Any) -> np.ndarray:
    """Learning rate at steps ``0 … steps − 1``, computed by the Keras schedule.

    Keras evaluates the schedule at ``optimizer.iterations`` *before* it is
    incremented, so update ``t`` (1-based) uses ``values[t − 1]``.

    Args:
        name: A key of :data:`SCHEDULES`.
        steps: Number of values.
        **params: ``learning_rate`` (η₀, default 0.1) and the schedule's
            parameters (see :data:`SCHEDULES`).

    >>> values = schedule_values("piecewise", 4, learning_rate=1.0, boundaries=(1, 2))
    >>> [round(float(v), 6) for v in values]
    [1.0, 1.0, 0.1, 0.01]
    """
    learning_rate = float(params.pop("learning_rate", 0.1))
    frozen = tuple(sorted((k, _freeze(v)) for k, v in params.items()))
    return _schedule_values(name, int(steps), learning_rate, frozen).copy()


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, (list, tuple, np.ndarray)) else value


@functools.lru_cache(maxsize=256)
def _schedule_values(
    name: str, steps: int, learning_rate: float, frozen: tuple
) -> np.ndarray:
    schedule = make_schedule(name, learning_rate, **dict(frozen))
    if not callable(schedule):
        return np.full(steps, schedule, np.float32)
    step = tf.range(steps, dtype=tf.int64)
    try:
        values = schedule(step)  # element-wise for all but cosine warm-up (a cond)
    except (ValueError, TypeError):
        values = tf.vectorized_map(schedule, step)
    return np.asarray(values, np.float32).reshape(steps)


# --- configurations ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Config:
    """A fully resolved optimizer + landscape configuration (plain values)."""

    spec: OptimizerSpec
    landscape: landscapes.Landscape | None
    hyperparams: dict[str, float | bool]  # optimizer keywords, learning_rate included
    clipping: dict[str, float]  # at most one entry
    landscape_params: dict[str, float]
    schedule: str | None
    schedule_params: tuple[tuple[str, Any], ...]

    def key(self) -> tuple:
        """Cache key of the compiled loop: everything traced into the graph.

        The learning rate, the start point, the number of steps and the
        landscape parameters are inputs of the loop, so they are left out;
        with a schedule the learning rate is baked into it and stays in.
        """
        hyper = dict(self.hyperparams)
        if self.schedule is None:
            hyper.pop("learning_rate")
        return (
            self.spec.keras_name,
            tuple(sorted(hyper.items())),
            tuple(sorted(self.clipping.items())),
            self.schedule,
            self.schedule_params,
            self.landscape.name if self.landscape else None,
        )

    def make_optimizer(self) -> keras.optimizers.Optimizer:
        learning_rate = self.hyperparams["learning_rate"]
        if self.schedule is not None:
            learning_rate = make_schedule(
                self.schedule, learning_rate, **dict(self.schedule_params)
            )
        kwargs = {**self.hyperparams, **self.clipping, "learning_rate": learning_rate}
        return self.spec.keras_class(**kwargs)


def _split_kwargs(
    optimizer: str,
    landscape: str | None,
    hyperparams: Mapping[str, Any],
    schedule: str | None = None,
    schedule_params: Mapping[str, Any] | None = None,
) -> _Config:
    """Sort keyword arguments into optimizer, clipping and landscape settings."""
    spec = get_spec(optimizer)
    land = landscapes.get_landscape(landscape) if landscape is not None else None
    land_names = {p.name for p in land.params} if land is not None else set()
    clip_names = {p.name for p in CLIPPING}
    opt_names = {p.name for p in spec.hyperparams}
    unknown = set(hyperparams) - land_names - clip_names - opt_names
    if unknown:
        raise ValueError(
            f"Unknown hyper-parameter(s) {sorted(unknown)} for optimizer {optimizer!r}"
            + (f" on landscape {landscape!r}" if landscape else "")
            + f"; expected some of {sorted(opt_names | clip_names | land_names)}"
        )
    hyper: dict[str, float | bool] = {}
    for p in spec.hyperparams:
        value = hyperparams.get(p.name, p.default)
        hyper[p.name] = bool(value) if p.kind == "bool" else float(value)
    if hyper["learning_rate"] <= 0 or not math.isfinite(hyper["learning_rate"]):
        raise ValueError(
            f"learning_rate must be a positive number, got {hyper['learning_rate']}"
        )
    clipping = {k: float(v) for k, v in hyperparams.items() if k in clip_names and v}
    if len(clipping) > 1:
        raise ValueError(
            f"Use at most one of {sorted(clip_names)}; got {sorted(clipping)}"
        )
    land_params = (
        land.resolve_params(**{k: v for k, v in hyperparams.items() if k in land_names})
        if land is not None
        else {}
    )
    if schedule == "constant":
        schedule = None
    frozen: tuple[tuple[str, Any], ...] = ()
    if schedule is not None:
        # Fail now, with a clear message, rather than inside a traced function.
        _schedule_kwargs(schedule, hyper["learning_rate"], schedule_params or {})
        frozen = tuple(
            sorted((k, _freeze(v)) for k, v in (schedule_params or {}).items())
        )
    return _Config(spec, land, hyper, clipping, land_params, schedule, frozen)


def make_optimizer(
    optimizer: str,
    *,
    schedule: str | None = None,
    schedule_params: Mapping[str, Any] | None = None,
    **hyperparams: Any,
) -> keras.optimizers.Optimizer:
    """A fresh Keras optimizer from a registry name and slider values.

    Unset hyper-parameters take the :data:`OPTIMIZERS` defaults (for the
    learning rate: the dashboard's, not Keras'). Clipping keywords
    (``clipnorm``, ``clipvalue``, ``global_clipnorm``) are accepted too.

    >>> opt = make_optimizer("nesterov", learning_rate=0.1)
    >>> type(opt).__name__, opt.momentum, opt.nesterov
    ('SGD', 0.9, True)
    """
    config = _split_kwargs(optimizer, None, hyperparams, schedule, schedule_params)
    return config.make_optimizer()


# --- the compiled loop ---------------------------------------------------------------


def _optimize(
    theta: keras.Variable,
    optimizer: keras.optimizers.Optimizer,
    loss_at: Callable[[Any, Any], Any],
    steps: Any,
) -> tuple[Any, Any]:
    """The optimization loop, to be called inside a ``tf.function``.

    ``loss_at(theta_tensor, step)`` is the loss at the current parameters. The
    loop stops early (shorter outputs) once the parameters leave the finite
    range, so a divergent run costs next to nothing.

    Returns:
        ``(path, losses)``: (k + 1, 2) parameters and (k + 1,) losses, k ≤ steps.
    """
    path = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    losses = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    path = path.write(0, theta.value)
    for step in tf.range(steps):
        with tf.GradientTape() as tape:
            loss = loss_at(theta.value, step)
        grad = tape.gradient(loss, theta.value)
        losses = losses.write(step, loss)
        optimizer.apply_gradients([(grad, theta)])
        path = path.write(step + 1, theta.value)
        sane = tf.reduce_all(tf.math.is_finite(theta.value)) & (
            tf.reduce_max(tf.abs(theta.value)) <= DIVERGENCE_BOUND
        )
        if not sane:
            break
    losses = losses.write(losses.size(), loss_at(theta.value, steps))
    return path.stack(), losses.stack()


class _Runner:
    """One traced loop: a (2,) variable, its optimizer and a ``tf.function``."""

    def __init__(
        self, optimizer: keras.optimizers.Optimizer, loss_fn: Callable, signature
    ):
        self.lock = threading.Lock()
        self.theta = keras.Variable(
            np.zeros(2, np.float32), dtype="float32", name="theta"
        )
        self.optimizer = optimizer
        self.optimizer.build([self.theta])
        self.initial_state = [v.numpy() for v in self.optimizer.variables]
        self.settable_lr = isinstance(optimizer._learning_rate, keras.Variable)
        self.loss_fn = loss_fn
        self.function = tf.function(self._loop, input_signature=signature)

    def _loop(self, start, steps, learning_rate, extra):
        # Reset the parameters and every optimizer slot (iterations included).
        self.theta.assign(start)
        for variable, value in zip(
            self.optimizer.variables, self.initial_state, strict=True
        ):
            variable.assign(value)
        if self.settable_lr:
            self.optimizer._learning_rate.assign(learning_rate)
        return _optimize(
            self.theta, self.optimizer, lambda t, s: self.loss_fn(t, s, extra), steps
        )

    def __call__(
        self, start, steps, learning_rate, extra
    ) -> tuple[np.ndarray, np.ndarray]:
        with self.lock:
            path, losses = self.function(
                tf.constant(np.asarray(start, np.float32).reshape(2)),
                tf.constant(int(steps), tf.int32),
                tf.constant(float(learning_rate), tf.float32),
                extra,
            )
        return path.numpy(), losses.numpy()


_RUNNERS: collections.OrderedDict[tuple, _Runner] = collections.OrderedDict()
_RUNNERS_LOCK = threading.Lock()


def _get_runner(key: tuple, factory: Callable[[], _Runner]) -> _Runner:
    """Thread-safe LRU of compiled loops (tracing happens on first call)."""
    with _RUNNERS_LOCK:
        runner = _RUNNERS.get(key)
        if runner is not None:
            _RUNNERS.move_to_end(key)
            return runner
        runner = factory()
        _RUNNERS[key] = runner
        while len(_RUNNERS) > MAX_RUNNERS:
            _RUNNERS.popitem(last=False)
        return runner


def clear_compiled() -> None:
    """Forget every compiled optimization loop."""
    with _RUNNERS_LOCK:
        _RUNNERS.clear()


def _landscape_runner(config: _Config) -> _Runner:
    names = [p.name for p in config.landscape.params]
    fn = config.landscape.fn

    def loss_fn(theta, step, params):
        del step
        return fn(theta[0], theta[1], **{n: params[i] for i, n in enumerate(names)})

    signature = [
        tf.TensorSpec((2,), tf.float32),
        tf.TensorSpec((), tf.int32),
        tf.TensorSpec((), tf.float32),
        tf.TensorSpec((len(names),), tf.float32),
    ]
    return _get_runner(
        ("landscape", *config.key()),
        lambda: _Runner(config.make_optimizer(), loss_fn, signature),
    )


# --- runs on landscapes --------------------------------------------------------------


@dataclasses.dataclass
class Trajectory:
    """One optimizer run on one landscape (see :func:`run`).

    Attributes:
        optimizer, landscape: Registry names.
        hyperparams: Every setting used (optimizer, clipping, landscape).
        schedule: Learning-rate schedule name (``None``: constant).
        path: (k + 1, 2) parameters θ₀ … θ_k; k = steps unless diverged.
        losses: (k + 1,) loss at each point of ``path``.
        distances: (k + 1,) distance to the nearest minimum.
        learning_rates: (steps,) learning rate used by update t = 1 … steps.
        steps: Requested number of steps.
        diverged_step: First step whose parameters or loss were not finite or
            beyond :data:`DIVERGENCE_BOUND` (``path`` stops just before it).
        wall_time: Seconds, including any tracing.
    """

    optimizer: str
    landscape: str
    hyperparams: dict[str, Any]
    schedule: str | None
    path: np.ndarray
    losses: np.ndarray
    distances: np.ndarray
    learning_rates: np.ndarray
    steps: int
    diverged_step: int | None
    wall_time: float

    @property
    def diverged(self) -> bool:
        return self.diverged_step is not None

    @property
    def final_loss(self) -> float:
        return float(self.losses[-1])


def _raw_run(
    config: _Config, start: Sequence[float] | None, steps: int
) -> tuple[np.ndarray, np.ndarray]:
    if int(steps) < 0:
        raise ValueError(f"steps must be ≥ 0, got {steps}")
    start = config.landscape.start if start is None else start
    start = np.asarray(start, np.float32)
    if start.shape != (2,) or not np.all(np.isfinite(start)):
        raise ValueError(
            f"start must be two finite numbers (x, y), got {start.tolist()}"
        )
    runner = _landscape_runner(config)
    params = tf.constant(
        list(config.landscape_params.values()),
        tf.float32,
        shape=(len(config.landscape_params),),
    )
    return runner(start, steps, config.hyperparams["learning_rate"], params)


def trajectory(
    optimizer: str,
    landscape: str,
    start: Sequence[float] | None = None,
    steps: int = DEFAULT_STEPS,
    *,
    schedule: str | None = None,
    schedule_params: Mapping[str, Any] | None = None,
    **hyperparams: Any,
) -> np.ndarray:
    """The path of a real Keras optimizer on a landscape.

    Args:
        optimizer: A key of :data:`OPTIMIZERS` (``"sgd"``, ``"adam"``, …);
            ``"sgd"`` with ``momentum=0.9, nesterov=True`` is the same as
            ``"nesterov"``.
        landscape: A key of ``landscapes.LANDSCAPES``.
        start: (x, y); default: the landscape's start point.
        steps: Number of updates.
        schedule, schedule_params: Optional learning-rate schedule
            (:data:`SCHEDULES`), starting at ``learning_rate``.
        **hyperparams: Optimizer keywords (``learning_rate``, ``momentum``,
            ``beta_1``…; unset ones take the :data:`OPTIMIZERS` defaults),
            clipping (``clipnorm``…), landscape parameters
            (``condition_number``).

    Returns:
        (steps + 1, 2) float32 array θ₀ … θ_steps. After a divergence (see
        :func:`run`) the remaining rows are NaN.

    Raises:
        ValueError: unknown optimizer, landscape, schedule or keyword.

    Example:
        >>> path = trajectory("momentum", "quadratic", (1.0, 0.0), 2, learning_rate=0.1)
        >>> [round(float(x), 4) for x in path[:, 0]]  # v = −0.1, then 0.9·v − 0.1·0.9
        [1.0, 0.9, 0.72]
    """
    config = _split_kwargs(optimizer, landscape, hyperparams, schedule, schedule_params)
    path, _ = _raw_run(config, start, steps)
    full = np.full((int(steps) + 1, 2), np.nan, np.float32)
    first_bad = _first_bad_step(path, np.zeros(len(path), np.float32))
    keep = len(path) if first_bad is None else first_bad
    full[:keep] = path[:keep]
    return full


def _first_bad_step(path: np.ndarray, losses: np.ndarray) -> int | None:
    with np.errstate(invalid="ignore"):
        bad = (
            ~np.isfinite(path).all(axis=1)
            | (np.abs(path).max(axis=1) > DIVERGENCE_BOUND)
            | ~np.isfinite(losses)
        )
    return int(np.argmax(bad)) if bad.any() else None


def distance_to_minima(points: np.ndarray, landscape: str) -> np.ndarray:
    """Distance from each (x, y) in ``points`` to the landscape's nearest minimum."""
    targets = np.array([p.point for p in landscapes.get_landscape(landscape).targets])
    points = np.asarray(points, np.float64).reshape(-1, 2)
    return np.linalg.norm(points[:, None, :] - targets[None], axis=-1).min(axis=1)


def run(
    optimizer: str,
    landscape: str,
    start: Sequence[float] | None = None,
    steps: int = DEFAULT_STEPS,
    *,
    schedule: str | None = None,
    schedule_params: Mapping[str, Any] | None = None,
    **hyperparams: Any,
) -> Trajectory:
    """Like :func:`trajectory`, with losses, distances and divergence detection.

    A divergent run is not an error: the path stops before the first bad step
    and ``diverged_step`` tells which one it was.

    Example:
        >>> result = run("sgd", "rosenbrock", steps=50, learning_rate=10.0)
        >>> result.diverged_step, result.path.shape  # step 2 leaves |θ| ≤ 1e6
        (2, (2, 2))
    """
    tic = time.perf_counter()
    config = _split_kwargs(optimizer, landscape, hyperparams, schedule, schedule_params)
    path, losses = _raw_run(config, start, steps)
    diverged = _first_bad_step(path, losses)
    if diverged is not None:
        path, losses = path[:diverged], losses[:diverged]
    lr = config.hyperparams["learning_rate"]
    if config.schedule is None:
        rates = np.full(int(steps), lr, np.float32)
    else:
        rates = schedule_values(
            config.schedule,
            int(steps),
            learning_rate=lr,
            **dict(config.schedule_params),
        )
    return Trajectory(
        optimizer=optimizer,
        landscape=landscape,
        hyperparams={
            **config.hyperparams,
            **config.clipping,
            **config.landscape_params,
        },
        schedule=config.schedule,
        path=path,
        losses=losses,
        distances=distance_to_minima(path, landscape),
        learning_rates=rates,
        steps=int(steps),
        diverged_step=diverged,
        wall_time=time.perf_counter() - tic,
    )


def update_rule_latex(optimizer: str, **hyperparams: Any) -> str:
    """The LaTeX update rule matching these settings (momentum, nesterov, …).

    >>> update_rule_latex("sgd", momentum=0.5) == OPTIMIZERS["momentum"].latex
    True
    """
    spec = get_spec(optimizer)
    hp = {**spec.defaults, **hyperparams}
    if spec.keras_name == "SGD":
        if not hp["momentum"]:
            return _SGD_LATEX
        return _NESTEROV_LATEX if hp["nesterov"] else _MOMENTUM_LATEX
    latex = spec.latex
    if spec.name == "rmsprop":
        rows = [r"s &\leftarrow \rho\, s + (1 - \rho)\, g^2"]
        denominator = r"\sqrt{s + \epsilon}"
        if hp["centered"]:
            rows.append(r"\bar g &\leftarrow \rho\, \bar g + (1 - \rho)\, g")
            denominator = r"\sqrt{s - \bar g^2 + \epsilon}"
        if hp["momentum"]:
            rows.append(rf"m &\leftarrow \mu\, m + \frac{{\eta\, g}}{{{denominator}}}")
            rows.append(r"\theta &\leftarrow \theta - m")
        else:
            rows.append(
                rf"\theta &\leftarrow \theta - \frac{{\eta\, g}}{{{denominator}}}"
            )
        latex = r"\begin{aligned} " + r" \\ ".join(rows) + r" \end{aligned}"
    elif spec.name in ("adam", "adamw") and hp["amsgrad"]:
        latex = latex.replace(
            r"\theta &\leftarrow \theta - \frac{\alpha_t\, m}{\sqrt{v} + \hat\epsilon}",
            r"\hat v &\leftarrow \max(\hat v,\ v) \\ "
            r"\theta &\leftarrow \theta - "
            r"\frac{\alpha_t\, m}{\sqrt{\hat v} + \hat\epsilon}",
        )
    return latex


# --- NumPy reference rules -----------------------------------------------------------
# Each rule is the displayed LaTeX, line by line, on float32 NumPy arrays. The
# tests run them next to Keras: same path to 1e-5. ``state`` holds the slots.


def numpy_sgd(theta, g, state, t, learning_rate, momentum=0.0, nesterov=False):
    """SGD: ``θ ← θ − ηg``; with momentum ``v ← βv − ηg; θ ← θ + v`` (Nesterov:
    ``θ ← θ + βv − ηg``)."""
    if momentum == 0:
        return theta - learning_rate * g
    v = state.get("v", np.zeros_like(theta))
    v = momentum * v - learning_rate * g
    state["v"] = v
    if nesterov:
        return theta + (momentum * v - learning_rate * g)
    return theta + v


def numpy_rmsprop(theta, g, state, t, learning_rate, rho, momentum, epsilon, centered):
    """RMSprop: ``s ← ρs + (1−ρ)g²; θ ← θ − ηg/√(s + ε)`` (+ centered, momentum)."""
    s = rho * state.get("s", np.zeros_like(theta)) + (1 - rho) * np.square(g)
    state["s"] = s
    if centered:
        g_bar = rho * state.get("g_bar", np.zeros_like(theta)) + (1 - rho) * g
        state["g_bar"] = g_bar
        increment = learning_rate * g / np.sqrt(s - np.square(g_bar) + epsilon)
    else:
        increment = learning_rate * g / np.sqrt(s + epsilon)
    if momentum > 0:
        m = momentum * state.get("m", np.zeros_like(theta)) + increment
        state["m"] = m
        return theta - m
    return theta - increment


def numpy_adagrad(
    theta, g, state, t, learning_rate, initial_accumulator_value, epsilon
):
    """Adagrad: ``s ← s + g² (s₀ = 0.1); θ ← θ − ηg/√(s + ε)``."""
    s = state.get("s", np.full_like(theta, initial_accumulator_value)) + np.square(g)
    state["s"] = s
    return theta - learning_rate * g / np.sqrt(s + epsilon)


def numpy_adadelta(theta, g, state, t, learning_rate, rho, epsilon):
    """Adadelta: ``s ← ρs + (1−ρ)g²; Δ = −√(d+ε)/√(s+ε)·g; d ← ρd + (1−ρ)Δ²;
    θ ← θ + ηΔ``."""
    s = rho * state.get("s", np.zeros_like(theta)) + (1 - rho) * np.square(g)
    d = state.get("d", np.zeros_like(theta))
    delta = -(np.sqrt(d + epsilon) * g) / np.sqrt(s + epsilon)
    state["s"], state["d"] = s, rho * d + (1 - rho) * np.square(delta)
    return theta + learning_rate * delta


def numpy_adam(
    theta, g, state, t, learning_rate, beta_1, beta_2, epsilon, amsgrad=False
):
    """Adam, Keras form: ``α = η√(1−β₂ᵗ)/(1−β₁ᵗ); θ ← θ − α·m/(√v + ε̂)``."""
    one = np.float32(1)
    alpha = (
        learning_rate
        * np.sqrt(one - np.float32(beta_2) ** t)
        / (one - np.float32(beta_1) ** t)
    )
    m = state.get("m", np.zeros_like(theta))
    v = state.get("v", np.zeros_like(theta))
    m = m + (g - m) * (1 - beta_1)
    v = v + (np.square(g) - v) * (1 - beta_2)
    state["m"], state["v"] = m, v
    if amsgrad:
        v = np.maximum(state.get("v_hat", np.zeros_like(theta)), v)
        state["v_hat"] = v
    return theta - m * alpha / (np.sqrt(v) + epsilon)


def numpy_adamw(theta, g, state, t, learning_rate, weight_decay, **adam):
    """AdamW: decoupled decay ``θ ← θ − ηλθ`` first, then the Adam step."""
    theta = theta - theta * weight_decay * learning_rate
    return numpy_adam(theta, g, state, t, learning_rate, **adam)


def numpy_nadam(theta, g, state, t, learning_rate, beta_1, beta_2, epsilon):
    """Nadam with Keras' momentum schedule ``μ_t = β₁(1 − ½·0.96ᵗ)``."""
    beta_1, beta_2, decay = np.float32(beta_1), np.float32(beta_2), np.float32(0.96)
    u_t = beta_1 * (1 - 0.5 * decay ** np.float32(t))
    u_t_1 = beta_1 * (1 - 0.5 * decay ** np.float32(t + 1))
    u_product = state.get("u_product", np.float32(1)) * u_t  # Π_t
    state["u_product"] = u_product
    m = state.get("m", np.zeros_like(theta))
    v = state.get("v", np.zeros_like(theta))
    m = m + (g - m) * (1 - beta_1)
    v = v + (np.square(g) - v) * (1 - beta_2)
    state["m"], state["v"] = m, v
    m_hat = u_t_1 * m / (1 - u_product * u_t_1) + (1 - u_t) * g / (1 - u_product)
    v_hat = v / (1 - np.float32(beta_2) ** np.float32(t))
    return theta - m_hat * learning_rate / (np.sqrt(v_hat) + epsilon)


def numpy_adamax(theta, g, state, t, learning_rate, beta_1, beta_2, epsilon):
    """Adamax: ``u ← max(β₂u, |g|); θ ← θ − ηm / ((1 − β₁ᵗ)(u + ε))``."""
    m = state.get("m", np.zeros_like(theta))
    m = m + (g - m) * (1 - beta_1)
    u = np.maximum(beta_2 * state.get("u", np.zeros_like(theta)), np.abs(g))
    state["m"], state["u"] = m, u
    return theta - learning_rate * m / (
        (1 - np.float32(beta_1) ** np.float32(t)) * (u + epsilon)
    )


def numpy_lion(theta, g, state, t, learning_rate, beta_1, beta_2):
    """Lion: ``θ ← θ − η·sign(β₁m + (1−β₁)g); m ← β₂m + (1−β₂)g``."""
    beta_1, beta_2 = np.float32(beta_1), np.float32(beta_2)  # Keras casts both
    m = state.get("m", np.zeros_like(theta))
    theta = theta - learning_rate * np.sign(m * beta_1 + g * (1 - beta_1))
    state["m"] = m * beta_2 + g * (1 - beta_2)
    return theta


NUMPY_RULES: dict[str, Callable[..., np.ndarray]] = {
    "SGD": numpy_sgd,
    "RMSprop": numpy_rmsprop,
    "Adagrad": numpy_adagrad,
    "Adadelta": numpy_adadelta,
    "Adam": numpy_adam,
    "AdamW": numpy_adamw,
    "Nadam": numpy_nadam,
    "Adamax": numpy_adamax,
    "Lion": numpy_lion,
}


def clip_gradient(
    g: np.ndarray, *, clipnorm=None, clipvalue=None, global_clipnorm=None
):
    """Keras' gradient clipping for one variable (norm first, as Keras checks)."""
    if clipnorm:
        return (
            g
            * np.float32(clipnorm)
            / np.maximum(np.linalg.norm(g), np.float32(clipnorm))
        )
    if global_clipnorm:
        norm = np.linalg.norm(g)
        return g * (global_clipnorm * min(1.0 / norm, 1.0 / global_clipnorm))
    if clipvalue:
        return np.clip(g, -clipvalue, clipvalue)
    return g


def numpy_step(
    optimizer: str,
    theta: np.ndarray,
    grad: np.ndarray,
    state: dict[str, np.ndarray],
    t: int,
    **hyperparams: Any,
) -> np.ndarray:
    """One update of ``optimizer`` in NumPy, as Keras does it (clipping included).

    Args:
        optimizer: A key of :data:`OPTIMIZERS`.
        theta, grad: Parameters and gradient (float32 arrays).
        state: The optimizer's slots, updated in place (start with ``{}``).
        t: The 1-based step number.
        **hyperparams: As for :func:`trajectory`; ``learning_rate`` is the rate
            of this step (a schedule's value at ``t − 1``).

    >>> theta, grad = np.float32([1, 2]), np.float32([1, 1])
    >>> numpy_step("sgd", theta, grad, {}, 1, learning_rate=0.5)
    array([0.5, 1.5], dtype=float32)
    """
    spec = get_spec(optimizer)
    clip = {
        k: hyperparams.pop(k) for k in [p.name for p in CLIPPING] if k in hyperparams
    }
    # Python floats, as Keras keeps them: ``(1 - beta_1)`` is then rounded to
    # float32 once, exactly where Keras rounds it. The rate is a float32 variable.
    hp = {
        k: v if isinstance(v, bool) else float(v)
        for k, v in {**spec.defaults, **hyperparams}.items()
    }
    hp["learning_rate"] = np.float32(hp["learning_rate"])
    grad = clip_gradient(np.asarray(grad, np.float32), **clip).astype(np.float32)
    return NUMPY_RULES[spec.keras_name](theta, grad, state, t, **hp).astype(np.float32)


def numpy_trajectory(
    optimizer: str,
    landscape: str,
    start: Sequence[float] | None = None,
    steps: int = 100,
    *,
    schedule: str | None = None,
    schedule_params: Mapping[str, Any] | None = None,
    **hyperparams: Any,
) -> np.ndarray:
    """:func:`trajectory` again, with :func:`numpy_step` instead of Keras.

    Gradients still come from ``tf.GradientTape`` on the TF landscape, so any
    difference to :func:`trajectory` lies in the update rule alone.
    """
    config = _split_kwargs(optimizer, landscape, hyperparams, schedule, schedule_params)
    land = config.landscape
    theta = np.asarray(land.start if start is None else start, np.float32).reshape(2)
    rates = run_rates = np.full(steps, config.hyperparams["learning_rate"], np.float32)
    if config.schedule is not None:
        run_rates = schedule_values(
            config.schedule,
            steps,
            learning_rate=float(rates[0]),
            **dict(config.schedule_params),
        )
    grad_fn = _gradient_function(land.name, tuple(config.landscape_params.items()))
    state: dict[str, np.ndarray] = {}
    path = [theta]
    opt_hp = {k: v for k, v in config.hyperparams.items() if k != "learning_rate"}
    for t in range(1, steps + 1):
        g = grad_fn(tf.constant(theta)).numpy()
        theta = numpy_step(
            optimizer,
            theta,
            g,
            state,
            t,
            learning_rate=run_rates[t - 1],
            **opt_hp,
            **config.clipping,
        )
        path.append(theta)
    return np.stack(path)


@functools.lru_cache(maxsize=32)
def _gradient_function(name: str, params: tuple[tuple[str, float], ...]):
    fn = landscapes.get_landscape(name).fn

    @tf.function(input_signature=[tf.TensorSpec((2,), tf.float32)])
    def grad(theta):
        with tf.GradientTape() as tape:
            tape.watch(theta)
            loss = fn(theta[0], theta[1], **dict(params))
        return tape.gradient(loss, theta)

    return grad


# --- mini-batch SGD on a linear regression -------------------------------------------


@dataclasses.dataclass(frozen=True)
class RegressionData:
    """``y = w·x + b + noise`` and its least-squares solution ``(w*, b*)``."""

    x: np.ndarray
    y: np.ndarray
    true_w: float
    true_b: float
    optimum: tuple[float, float]
    w_range: tuple[float, float]
    b_range: tuple[float, float]
    start: tuple[float, float]


@functools.lru_cache(maxsize=8)
def regression_data(
    num_samples: int = 64, noise: float = 0.5, seed: int = 0
) -> RegressionData:
    """A seeded 1-D regression set; x ∈ [0, 3] so w and b are correlated.

    The mean-squared-error surface over (w, b) is then an elongated, tilted
    bowl (condition number ≈ 20), as in the d2l linear-regression chapter.

    >>> data = regression_data()
    >>> data.x.shape, round(data.optimum[0], 1)  # true w = 2, fitted on noisy data
    ((64,), 2.1)
    """
    rng = np.random.default_rng(seed)
    true_w, true_b = 2.0, -1.0
    x = rng.uniform(0.0, 3.0, num_samples).astype(np.float32)
    y = (true_w * x + true_b + rng.normal(0.0, noise, num_samples)).astype(np.float32)
    design = np.stack([x, np.ones_like(x)], axis=1).astype(np.float64)
    (w_star, b_star), *_ = np.linalg.lstsq(design, y.astype(np.float64), rcond=None)
    return RegressionData(
        x=x,
        y=y,
        true_w=true_w,
        true_b=true_b,
        optimum=(float(w_star), float(b_star)),
        w_range=(float(w_star) - 3.5, float(w_star) + 3.5),
        b_range=(float(b_star) - 4.5, float(b_star) + 4.5),
        start=(float(w_star) - 3.0, float(b_star) + 3.5),
    )


def regression_loss(w: Any, b: Any, data: RegressionData) -> np.ndarray:
    """Mean squared error ``mean((w·x + b − y)²)`` for broadcast arrays ``w``, ``b``."""
    w = np.asarray(w, np.float64)[..., None]
    b = np.asarray(b, np.float64)[..., None]
    return np.mean(np.square(w * data.x + b - data.y), axis=-1)


def regression_grid(
    data: RegressionData, num: int = 101
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(ws, bs, z)`` with ``z[j, i]`` the MSE at ``(ws[i], bs[j])``."""
    ws = np.linspace(*data.w_range, num)
    bs = np.linspace(*data.b_range, num)
    return ws, bs, regression_loss(*np.meshgrid(ws, bs), data)


def minibatch_indices(
    num_samples: int, batch_size: int, steps: int, seed: int
) -> np.ndarray:
    """(steps, batch_size) sample indices: each step a fresh seeded draw without
    replacement (batch_size = num_samples is full-batch gradient descent)."""
    if not 1 <= batch_size <= num_samples:
        raise ValueError(f"batch_size must be in 1…{num_samples}, got {batch_size}")
    rng = np.random.default_rng(seed)
    order = np.argsort(rng.random((steps, num_samples)), axis=1)
    return order[:, :batch_size].astype(np.int32)


def _regression_loss_fn(theta, step, extra):
    x, y, indices = extra
    batch = indices[step % tf.maximum(tf.shape(indices)[0], 1)]
    x_b, y_b = tf.gather(x, batch), tf.gather(y, batch)
    return tf.reduce_mean(tf.square(theta[0] * x_b + theta[1] - y_b))


def minibatch_path(
    batch_size: int,
    steps: int = 100,
    learning_rate: float = 0.1,
    seed: int = 0,
    *,
    momentum: float = 0.0,
    start: Sequence[float] | None = None,
    data: RegressionData | None = None,
) -> np.ndarray:
    """Keras SGD on the linear-regression MSE with mini-batches of ``batch_size``.

    Each step uses the seeded batch ``minibatch_indices(...)[t]``; the MSE is
    over that batch only, so small batches give noisy gradients.

    Returns:
        (steps + 1, 2) array of (w, b); NaN rows after a divergence.

    >>> path = minibatch_path(64, steps=200, learning_rate=0.2)
    >>> bool(np.allclose(path[-1], regression_data().optimum, atol=1e-2))
    True
    """
    data = data or regression_data()
    indices = minibatch_indices(len(data.x), int(batch_size), int(steps), seed)
    signature = [
        tf.TensorSpec((2,), tf.float32),
        tf.TensorSpec((), tf.int32),
        tf.TensorSpec((), tf.float32),
        (
            tf.TensorSpec((None,), tf.float32),
            tf.TensorSpec((None,), tf.float32),
            tf.TensorSpec((None, None), tf.int32),
        ),
    ]
    runner = _get_runner(
        ("regression", float(momentum)),
        lambda: _Runner(
            keras.optimizers.SGD(0.1, momentum=float(momentum)),
            _regression_loss_fn,
            signature,
        ),
    )
    extra = (tf.constant(data.x), tf.constant(data.y), tf.constant(indices))
    path, _ = runner(
        data.start if start is None else start, steps, learning_rate, extra
    )
    full = np.full((int(steps) + 1, 2), np.nan, np.float32)
    bad = _first_bad_step(path, np.zeros(len(path), np.float32))
    keep = len(path) if bad is None else bad
    full[:keep] = path[:keep]
    return full


# --- momentum theory (Goh, 2017) ------------------------------------------------------


def gd_optimal(condition_number: float) -> tuple[float, float]:
    """Best fixed step of gradient descent on eigenvalues 1 … κ, and its rate.

    ``η* = 2/(λmin + λmax)``, rate ``(κ − 1)/(κ + 1)`` per step.

    >>> gd_optimal(3.0)
    (0.5, 0.5)
    """
    kappa = float(condition_number)
    return 2.0 / (1.0 + kappa), (kappa - 1.0) / (kappa + 1.0)


def heavy_ball_optimal(condition_number: float) -> tuple[float, float, float]:
    """Optimal heavy-ball (Keras SGD momentum) step, momentum and rate.

    ``α = (2/(√λmax + √λmin))²``, ``β = ((√κ − 1)/(√κ + 1))²``, rate
    ``(√κ − 1)/(√κ + 1)``. Keras' ``v ← βv − ηg; θ ← θ + v`` is exactly
    ``θ_{t+1} = θ_t − η g_t + β(θ_t − θ_{t−1})``, heavy ball with ``α = η``.

    Reference: Goh, "Why Momentum Really Works", Distill, 2017.

    >>> heavy_ball_optimal(9.0)
    (0.25, 0.25, 0.5)
    """
    root = math.sqrt(float(condition_number))
    rate = (root - 1.0) / (root + 1.0)
    return (2.0 / (root + 1.0)) ** 2, rate**2, rate


#: Goh's optimal settings on eigenvalues 1 … κ, and the rates r they reach.
THEORY_LATEX: dict[str, str] = {
    "gd": r"\eta^* = \frac{2}{1 + \kappa},\qquad r = \frac{\kappa - 1}{\kappa + 1}",
    "momentum": (
        r"\begin{aligned} \eta^* &= \Bigl(\frac{2}{1 + \sqrt{\kappa}}\Bigr)^2,"
        r"\quad \beta^* = r^2 \\ "
        r"r &= \frac{\sqrt{\kappa} - 1}{\sqrt{\kappa} + 1} \end{aligned}"
    ),
}


def observed_rate(distances: np.ndarray, floor: float = 1e-20) -> float:
    """Per-step convergence rate: geometric mean of ``d_{t+1}/d_t`` over a window.

    The window is the second half of the steps whose distance is still above
    ``floor × d₀`` (float32 keeps ratios exact down there), which skips the
    transient at the start.

    >>> observed_rate(0.5 ** np.arange(40.0))
    0.5
    """
    d = np.asarray(distances, np.float64)
    usable = np.flatnonzero(np.isfinite(d) & (d > floor * d[0]))
    last = int(usable[-1]) if usable.size else 0
    if last == 0:
        return 0.0
    first = last // 2
    return float((d[last] / d[first]) ** (1.0 / (last - first)))


def optimal_runs(
    condition_number: float,
    steps: int = 100,
    start: Sequence[float] = (-4.0, 0.5),
) -> dict[str, Trajectory]:
    """Keras SGD on the quadratic with Goh's optimal settings for κ.

    Returns:
        ``{"gd": …, "momentum": …}``: plain gradient descent with
        ``η* = 2/(1 + κ)`` and heavy ball (Keras SGD ``momentum``) with the
        optimal ``(η, β)`` of :func:`heavy_ball_optimal`.

    >>> runs = optimal_runs(9.0, steps=40)
    >>> round(observed_rate(runs["momentum"].distances), 1)  # predicted 0.5
    0.5
    """
    gd_lr, _ = gd_optimal(condition_number)
    hb_lr, beta, _ = heavy_ball_optimal(condition_number)
    kwargs = {"condition_number": float(condition_number), "start": tuple(start)}
    return {
        "gd": run("sgd", "quadratic", steps=steps, learning_rate=gd_lr, **kwargs),
        "momentum": run(
            "sgd", "quadratic", steps=steps, learning_rate=hb_lr, momentum=beta,
            **kwargs,
        ),
    }  # fmt: skip


def momentum_theory(
    condition_numbers: Sequence[float] = (2, 5, 10, 20, 50, 100),
    steps: int = 200,
) -> pd.DataFrame:
    """Predicted vs observed rates of GD and heavy ball on the quadratic.

    For each κ, runs Keras SGD with the optimal step (no momentum) and with the
    optimal (η, β), measures the rate of ``|θ_t − θ*|`` and compares.

    Returns:
        A DataFrame with columns ``condition_number``, ``gd_learning_rate``,
        ``gd_predicted``, ``gd_observed``, ``momentum_learning_rate``,
        ``momentum``, ``momentum_predicted``, ``momentum_observed``.
    """
    rows = []
    for kappa in condition_numbers:
        gd_lr, gd_rate = gd_optimal(kappa)
        hb_lr, beta, hb_rate = heavy_ball_optimal(kappa)
        kwargs = {"condition_number": float(kappa), "steps": steps, "start": (1.0, 1.0)}
        gd = run("sgd", "quadratic", learning_rate=gd_lr, momentum=0.0, **kwargs)
        hb = run("sgd", "quadratic", learning_rate=hb_lr, momentum=beta, **kwargs)
        rows.append(
            {
                "condition_number": float(kappa),
                "gd_learning_rate": gd_lr,
                "gd_predicted": gd_rate,
                "gd_observed": observed_rate(gd.distances),
                "momentum_learning_rate": hb_lr,
                "momentum": beta,
                "momentum_predicted": hb_rate,
                "momentum_observed": observed_rate(hb.distances),
            }
        )
    return pd.DataFrame(rows)


# --- a race on a real network --------------------------------------------------------

RACE_DATASETS = ("digits", "spiral")


@dataclasses.dataclass(frozen=True)
class RaceConfig:
    """Several optimizers train the same network from the same initial weights.

    Attributes:
        optimizers: Registry names (Keras' default learning rate) or
            ``(name, learning_rate)`` pairs, e.g. ``(("sgd", 0.1), "adam")``.
        dataset: ``"digits"`` (8×8 images, MLP 64-32-10) or ``"spiral"``
            (2-D points, MLP 2-16-16-2).
        epochs, batch_size, seed: As for ``model.fit``; ``seed`` also fixes
            the initial weights (identical for every optimizer).
    """

    optimizers: tuple[str | tuple[str, float], ...] = (
        "sgd",
        "momentum",
        "rmsprop",
        "adam",
    )
    dataset: str = "digits"
    epochs: int = 10  # ~30 to see every optimizer settle
    batch_size: int = 32
    seed: int = 0


def race_entries(config: RaceConfig) -> list[tuple[str, str, float]]:
    """``(run name, optimizer, learning rate)`` for each optimizer of the race.

    >>> race_entries(RaceConfig(optimizers=("adam", ("sgd", 0.1))))
    [('adam', 'adam', 0.001), ('sgd (lr=0.1)', 'sgd', 0.1)]
    """
    entries = []
    for item in config.optimizers:
        if isinstance(item, str):
            spec = get_spec(item)
            lr = float(spec.keras_default("learning_rate"))
            entries.append((item, item, lr))
        else:
            name, lr = item
            get_spec(name)
            entries.append((f"{name} (lr={float(lr):g})", name, float(lr)))
    names = [e[0] for e in entries]
    if len(set(names)) != len(names):
        raise ValueError(f"Each optimizer of a race must be unique; got {names}")
    return entries


def build_race_model(
    input_shape: tuple[int, ...], num_classes: int, seed: int
) -> keras.Model:
    """A small MLP with seeded initial weights (same seed, same weights)."""
    hidden = (32,) if len(input_shape) > 1 else (16, 16)
    activation = "relu" if len(input_shape) > 1 else "tanh"
    layers: list[keras.layers.Layer] = [keras.Input(input_shape)]
    if len(input_shape) > 1:
        layers.append(keras.layers.Flatten())
    for i, units in enumerate(hidden):
        init = keras.initializers.GlorotUniform(seed=seed + i)
        layers.append(keras.layers.Dense(units, activation, kernel_initializer=init))
    init = keras.initializers.GlorotUniform(seed=seed + len(hidden))
    layers.append(keras.layers.Dense(num_classes, kernel_initializer=init))
    return keras.Sequential(layers)


def train_race(
    config: RaceConfig,
    *,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> train.TaskResult:
    """Train one network per optimizer with ``dlcore.train.fit``; a training task.

    Every run starts from the same initial weights (``config.seed``) and sees
    the same batches. Events carry ``run``, ``run_index`` and ``num_runs``.

    Returns:
        ``train.TaskResult`` with a ``run`` column in ``history`` and metrics
        ``"<run>/val_accuracy"``, ``"<run>/loss"``.
    """
    if config.dataset not in RACE_DATASETS:
        raise ValueError(
            f"Unknown race dataset {config.dataset!r}; expected one of {RACE_DATASETS}"
        )
    entries = race_entries(config)
    data = datasets.load(config.dataset, seed=config.seed)
    runs: dict[str, train.FitResult] = {}
    for index, (run_name, name, lr) in enumerate(entries):
        model = build_race_model(data.input_shape, data.num_classes, config.seed)
        model.compile(
            optimizer=get_spec(name).keras_class(**race_optimizer_kwargs(name, lr)),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
        )

        def progress(event, run_name=run_name, index=index):
            if on_progress is not None:
                on_progress(
                    {
                        **event,
                        "run": run_name,
                        "run_index": index,
                        "num_runs": len(entries),
                    }
                )

        runs[run_name] = result = train.fit(
            model,
            data.x_train,
            data.y_train,
            epochs=config.epochs,
            batch_size=config.batch_size,
            validation_data=(data.x_val, data.y_val),
            seed=config.seed,
            on_progress=progress,
            should_stop=should_stop,
        )
        if result.status == "cancelled":
            break
    metrics = {}
    for run_name, result in runs.items():
        last = result.history.iloc[-1] if len(result.history) else {}
        for column in ("loss", "val_accuracy"):
            if column in last:
                metrics[f"{run_name}/{column}"] = float(last[column])
    artifacts = {
        "runs": [e[0] for e in entries],
        "learning_rates": {e[0]: e[2] for e in entries},
    }
    return train.TaskResult.combine(runs, metrics=metrics, artifacts=artifacts)


def code_race(config: RaceConfig) -> str:
    """A standalone script (NumPy + Keras, no dlcore): the race with ``model.fit``.

    >>> code = code_race(RaceConfig())
    >>> "keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)" in code
    True
    """
    entries = race_entries(config)
    optimizers = "\n".join(
        f"    {run!r}: {_optimizer_code(name, lr)}," for run, name, lr in entries
    )
    loop = (
        "results = {}\n"
        "for run_name, optimizer in OPTIMIZERS.items():\n"
        '    print("---", run_name)\n'
        "    # The same seed, hence the same initial weights, for every optimizer.\n"
        "    model = build_race_model(x_train.shape[1:], NUM_CLASSES, SEED)\n"
        "    model.compile(\n"
        "        optimizer=optimizer,\n"
        "        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),\n"
        '        metrics=["accuracy"],\n'
        "    )\n"
        + textwrap.indent(codegen.FIT_LOOP, "    ")
        + "\n    results[run_name] = final\n\n"
        "for run_name, final in results.items():\n"
        "    print(f\"{run_name:>20}: loss {final['loss']:.4f}, \"\n"
        "          f\"val_accuracy {final['val_accuracy']:.3f}\")"
    )
    return codegen.script(
        codegen.header(
            "Optimizer race: one network, the same initial weights, several optimizers",
            f"Reproduces the dashboard race on {config.dataset!r}: "
            f"{', '.join(e[0] for e in entries)}; {config.epochs} epochs, "
            f"batch size {config.batch_size}.",
        ),
        "import numpy as np\nimport keras",
        codegen.constants(
            SEED=config.seed,
            NUM_SAMPLES=512,
            NOISE=0.1,
            VAL_FRACTION=0.25 if config.dataset == "digits" else 0.2,
            NUM_CLASSES=10 if config.dataset == "digits" else 2,
            BATCH_SIZE=config.batch_size,
            EPOCHS=config.epochs,
        ),
        codegen.dataset_code(config.dataset),
        codegen.source(build_race_model),
        "OPTIMIZERS = {\n" + optimizers + "\n}",
        loop,
    )


def race_optimizer_kwargs(name: str, learning_rate: float) -> dict[str, Any]:
    """Keras keyword arguments of a race optimizer: Keras' own defaults, except
    the momentum presets (``momentum=0.9``, ``nesterov``).

    >>> race_optimizer_kwargs("nesterov", 0.01)
    {'learning_rate': 0.01, 'momentum': 0.9, 'nesterov': True}
    """
    spec = get_spec(name)
    kwargs: dict[str, Any] = {"learning_rate": float(learning_rate)}
    if spec.keras_name == "SGD":
        kwargs.update(
            {k: v for k, v in spec.defaults.items() if k != "learning_rate" and v}
        )
    return kwargs


def _optimizer_code(name: str, learning_rate: float) -> str:
    kwargs = race_optimizer_kwargs(name, learning_rate)
    args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    return f"keras.optimizers.{get_spec(name).keras_name}({args})"
