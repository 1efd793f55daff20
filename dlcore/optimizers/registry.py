"""The optimizer and schedule registries: Keras classes, slider specs, formulas.

:data:`OPTIMIZERS` lists every ``keras.optimizers`` class the page races, with
its hyper-parameters (slider specs whose names are the Keras keywords), its
update rule in LaTeX exactly as Keras implements it and the paper it comes
from; :data:`SCHEDULES` does the same for ``keras.optimizers.schedules``.
Gradient clipping (:data:`CLIPPING`), the learning rates that suit each
landscape and the log-scale slider values live here too.

>>> get_spec("nesterov").keras_name
'SGD'
>>> keras_call("adam", learning_rate=0.1)
'keras.optimizers.Adam(learning_rate=0.1)'
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from dlcore import runtime
from dlcore.i18n import CATALOG
from dlcore.optimizers import landscapes
from dlcore.optimizers.landscapes import HyperParam

tf = runtime.tf()
import keras  # noqa: E402  (after runtime configured TensorFlow)

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


def label_key(optimizer: str, param: str) -> str:
    """The catalogue key of a hyper-parameter's label, with the symbol *this*
    optimizer's formula uses: RMSprop's momentum is μ (SGD's is β), Lion's β₂
    is its momentum and Adamax's decays a max norm, not a second moment
    (``opt.hp.<optimizer>.<keyword>`` where it differs from ``opt.hp.<keyword>``).

    >>> label_key("rmsprop", "momentum"), label_key("sgd", "momentum")
    ('opt.hp.rmsprop.momentum', 'opt.hp.momentum')
    """
    own = f"opt.hp.{get_spec(optimizer).name}.{param}"
    return own if own in CATALOG else f"opt.hp.{param}"


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


# --- slider values and page controls -------------------------------------------------

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
#: The cosine decay as it is drawn, one short row each (readable on a phone):
#: ``{lr}`` is the rate it starts from, ``{t}`` the step the decay has reached
#: (``str.format`` fields; the LaTeX braces are doubled).
_COSINE_ROWS = (
    r"\eta_t &= {lr}\Bigl((1 - \alpha)\,\frac{{1 + \cos \pi\tau}}{{2}} + \alpha\Bigr)",
    r"\tau &= \min({t},\, T)\,/\,T",
)


def _aligned(*rows: str) -> str:
    return r"\begin{aligned} " + r" \\ ".join(rows) + r" \end{aligned}"


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
            _aligned(
                r"\eta_t &= \eta_0\, \gamma^{\,i}\quad (b_i < t \le b_{i+1})",
                r"(b_0, b_1, b_2, b_3) &= (-\infty,\ 100,\ 200,\ \infty)",
            ),
        ),
        ScheduleSpec(
            # Defaults that show both lessons: 20 warm-up steps, then a decay
            # that ends with the 300 steps the page runs.
            "cosine",
            "CosineDecay",
            (
                _DECAY_STEPS._replace(default=280),
                HyperParam("alpha", 0.0, 0.0, 1.0, 0.01),
                HyperParam("warmup_steps", 20, 0, 500, 1, kind="int"),
            ),
            _aligned(*(r.format(lr=r"\eta_0", t="t") for r in _COSINE_ROWS)),
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
            _aligned(
                r"\eta_t &= (\eta_0 - \eta_T)\,(1 - \tau)^{p} + \eta_T",
                r"\tau &= \min(t,\, T)\,/\,T",
            ),
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
    r"""The schedule's formula for these settings, as Keras computes it.

    Every option that changes the values changes the formula: ``staircase``
    floors t/T, ``cycle`` restarts the polynomial decay over a window that
    grows by T, ``warmup_steps > 0`` adds the linear warm-up, and the
    piecewise boundaries are the ones used. ``t`` counts the updates already
    made (``optimizer.iterations``, 0 for the first update).

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
    if name == "piecewise":
        bounds = [int(b) for b in params.get("boundaries", (100, 200))]
        names = ", ".join(f"b_{i}" for i in range(len(bounds) + 2))
        values = r",\ ".join([r"-\infty", *map(str, bounds), r"\infty"])
        rate = r"v_i" if params.get("values") is not None else r"\eta_0\, \gamma^{\,i}"
        latex = _aligned(
            rf"\eta_t &= {rate}\quad (b_i < t \le b_{{i+1}})",
            rf"({names}) &= ({values})",
        )
    if name == "cosine":
        warmup = int(params.get("warmup_steps", 0)) > 0
        target = "warmup_target" in params  # Keras: warm up from η₀ to η_w
        start = r"\eta_w" if target else r"\eta_0"
        decay = [r.format(lr=start, t="t - W" if warmup else "t") for r in _COSINE_ROWS]
        if warmup:
            ramp = (
                r"\eta_0 + (\eta_w - \eta_0)\, t / W" if target else r"\eta_0\, t / W"
            )
            latex = _aligned(
                rf"\eta_t &= {ramp}\ \ (t < W)",
                decay[0] + r"\ \ (t \ge W)",
                decay[1],
            )
        else:
            latex = _aligned(*decay)
    if name == "polynomial" and params.get("cycle"):
        latex = _aligned(
            r"\eta_t &= (\eta_0 - \eta_T)\,(1 - \tau)^{p} + \eta_T",
            r"\tau &= t\,/\,T_c",
            r"T_c &= T\,\max\bigl(1,\ \lceil t / T\rceil\bigr)",
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
