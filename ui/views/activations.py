"""The Activations page's body: functions & derivatives, softmax, the gradient lab.

One function per tab (``functions``, ``softmax``, ``lab``); every control goes
through :mod:`ui.state` (URL parameters ``act_*``), every chart through
:func:`ui.charts.plotly`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from dlcore import activations as act
from dlcore.figures import activations as figures
from dlcore.figures import theme
from ui import charts, state, training
from ui.shell import translator as _translator  # T(key, **fmt) in lang

#: The page's tab ids, in order (URL ``?act_tab=<id>``).
TAB_IDS: tuple[str, ...] = ("functions", "softmax", act.LAB_TAB)
DEFAULT_NAMES = ["relu", "sigmoid", "tanh", "gelu"]
LOGIT_EXAMPLES = {
    "basic": "2, 1, 0.1, -1",
    "large": "1000, 999, 990, 0",
    "negative": "-1000, -1001, -1010",
}
TEMPERATURES = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0]
SHIFTS = [0, 10, 100, 1000]
LAB = act.GradientLabConfig()  # the lab's default view


def name_label(name: str) -> str:
    aliases = act.ACTIVATIONS[name].aliases
    return f"{name} ({', '.join(aliases)})" if aliases else name


@st.cache_data(max_entries=64, show_spinner=False)
def _properties(names: tuple[str, ...], params: dict, lang: str):
    return figures.properties_frame(names, params=params, lang=lang)


@st.cache_data(max_entries=32, show_spinner=False)
def _probe(c: act.GradientLabConfig) -> act.GradientProbe:
    return act.probe_gradient_flow(
        c.activation,
        c.depth,
        c.width,
        c.initializer,
        c.seed,
        sigma=c.sigma,
        batch_norm=c.batch_norm,
    )


# ----------------------------------------------------------------------------
# Controls that ui.state has no widget for
# ----------------------------------------------------------------------------


# ----------------------------------------------------------------------------
# Tab 1: functions and derivatives
# ----------------------------------------------------------------------------


def functions(lang: str) -> None:
    """Overlay of up to four activations and f′, their formulas and properties."""
    T = _translator(lang)
    names = state.multiselect(
        "act_names",
        T("act.choose"),
        list(act.ACTIVATIONS),
        DEFAULT_NAMES,
        format_func=name_label,
        max_selections=figures.MAX_OVERLAY,
    )
    # The chart before its sliders: on a phone the columns stack, so the
    # sliders sit right under the chart they move.
    chart, controls = st.columns([2, 1], gap="large")
    with controls:
        x_lo, x_hi = state.range_slider(
            "act_x", T("act.x_range"), -10.0, 10.0, (-5.0, 5.0), 0.5
        )
        show_derivative = state.toggle("act_deriv", T("act.show_derivative"), True)
        params = _param_controls(names, T)
    if not names:
        chart.info(T("act.choose_one"), icon=":material/info:")
        return
    if x_hi - x_lo < 1.0:
        chart.warning(T("act.x_range_small"), icon=":material/warning:")
        x_lo, x_hi = (x_lo, x_lo + 1.0) if x_lo < 9.0 else (x_hi - 1.0, x_hi)
    fig = figures.activation_figure(
        names,
        params=params,
        x_range=(x_lo, x_hi),
        show_derivative=show_derivative,
        lang=lang,
    )
    charts.plotly(fig, where=chart, key="act_fig_functions")
    chart.caption(T("act.kink_note"))

    st.subheader(T("act.formula"))
    for row in range(0, len(names), 2):  # formula cards, two per row
        for cell, name in zip(st.columns(2), names[row : row + 2], strict=False):
            with cell.container(border=True, height="stretch"):
                st.markdown(f"**{name_label(name)}**")
                st.latex(act.formula_with_values(name, **params.get(name, {})))
    st.subheader(T("act.props.title"))
    st.dataframe(_properties(tuple(names), params, lang), key="act_props")
    st.caption(T("act.props.note"))
    st.subheader(T("act.identities.title"))
    st.markdown(T("act.identities.intro"))
    st.markdown(figures.identities_markdown(lang=lang))


def _param_controls(names: list[str], T) -> dict[str, dict[str, Any]]:
    """Sliders (toggles) for the parameters of the chosen functions only."""
    params: dict[str, dict[str, Any]] = {}
    for name in names:
        for p in act.ACTIVATIONS[name].params:
            label = T("act.param", name=name, param=T(f"act.param.{p.name}"))
            key = f"act_p_{name}_{p.name}"
            if p.is_bool:
                value = state.toggle(key, label, p.default)
            else:
                value = state.slider(key, label, p.min, p.max, p.default, p.step)
            params.setdefault(name, {})[p.name] = value
    return params


# ----------------------------------------------------------------------------
# Tab 2: softmax
# ----------------------------------------------------------------------------


def _apply_example() -> None:
    example = st.session_state.get("act_sm_example")
    if example in LOGIT_EXAMPLES:
        state.apply({"act_sm_logits": LOGIT_EXAMPLES[example]})


def softmax(lang: str) -> None:
    """Softmax bars with temperature and shift, and the naive formula's overflow."""
    T = _translator(lang)
    chart, controls = st.columns([2, 1], gap="large")  # the chart first on a phone
    with controls:
        # An action (it fills the logits box), so not in the URL: the logits are.
        state.select(
            "act_sm_example",
            T("act.softmax.examples"),
            list(LOGIT_EXAMPLES),
            "basic",
            format_func=lambda e: T(f"act.softmax.example.{e}"),
            widget="pills",
            url=False,
            required=False,
            on_change=_apply_example,
        )
        text = state.text(
            "act_sm_logits",
            T("act.softmax.logits"),
            LOGIT_EXAMPLES["basic"],
            help=T("act.softmax.logits_help", max=act.MAX_LOGITS),
        )
        temperature = state.select(
            "act_sm_t",
            T("act.softmax.temperature_label"),
            TEMPERATURES,
            1.0,
            widget="select_slider",
        )
        shift = state.select(
            "act_sm_shift", T("act.softmax.shift"), SHIFTS, 0, widget="select_slider"
        )
        st.latex(
            r"\operatorname{softmax}(z)_i = \frac{e^{z_i / T}}"
            r"{\sum_{j=1}^{K} e^{z_j / T}}"
        )
    try:
        logits = act.parse_logits(text)
    except act.LogitsError as error:
        message = T(  # the token is the student's text: shown, never rendered
            f"act.softmax.bad.{error.reason}",
            token=state.plain(error.token),
            max=act.MAX_LOGITS,
        )
        chart.error(message, icon=":material/error:")
        return
    shifted = logits + np.float32(shift)
    fig = figures.softmax_figure(shifted, sorted({1.0, temperature}), lang=lang)
    charts.plotly(fig, where=chart, key="act_fig_softmax")
    controls.caption(T("act.softmax.note"))  # the chart and sliders stay adjacent
    st.subheader(T("act.softmax.overflow_title"))
    st.markdown(T("act.softmax.overflow_text"))
    with np.errstate(over="ignore"):  # an overflow here is the lesson
        scaled = shifted / np.float32(temperature)
    verdict = act.softmax_overflow_verdict(scaled)  # the sentence follows the table
    if verdict == "none":
        st.success(T("act.softmax.no_overflow"), icon=":material/check_circle:")
    elif verdict == "naive_only":
        st.error(
            T("act.softmax.overflowed", z=float(np.abs(scaled).max())),
            icon=":material/error:",
        )
    else:
        key = "scaled_overflow" if verdict == "scaled_overflow" else "all_overflow"
        st.error(T(f"act.softmax.{key}"), icon=":material/error:")
    st.dataframe(figures.softmax_overflow_frame(scaled, lang=lang), key="act_sm_table")


# ----------------------------------------------------------------------------
# Tab 3: the gradient lab
# ----------------------------------------------------------------------------


def lab_controls(lang: str) -> act.GradientLabConfig:
    """The lab's controls (``act_lab_<field>``); returns the config they describe."""
    T = _translator(lang)
    net, shape, opt = st.columns(3, gap="large")
    with net:
        activation = state.select(
            "act_lab_activation",
            T("act.lab.activation"),
            list(act.ACTIVATIONS),
            LAB.activation,
        )
        initializer = state.select(
            "act_lab_initializer",
            T("act.lab.initializer"),
            act.INITIALIZERS,
            LAB.initializer,
            format_func=lambda i: T(f"act.init.{i}"),
        )
        sigma = state.select(
            "act_lab_sigma",
            T("act.lab.sigma"),
            act.SIGMAS,
            LAB.sigma,
            widget="select_slider",
            disabled=initializer != "random_normal",
        )
    with shape:
        depth = state.slider(
            "act_lab_depth", T("act.lab.depth"), *act.DEPTHS, LAB.depth, 1
        )
        width = state.select(
            "act_lab_width",
            T("act.lab.width"),
            act.WIDTHS,
            LAB.width,
            widget="select_slider",
        )
        batch_norm = state.toggle(
            "act_lab_batch_norm", T("act.lab.batch_norm"), LAB.batch_norm
        )
    with opt:
        optimizer = state.select(
            "act_lab_optimizer",
            T("act.lab.optimizer"),
            act.OPTIMIZERS,
            LAB.optimizer,
            format_func=lambda o: T(f"act.opt.{o}"),
            widget="segmented",
        )
        learning_rate = state.select(
            "act_lab_learning_rate",
            T("act.lab.learning_rate"),
            act.LEARNING_RATES,
            LAB.learning_rate,
            widget="select_slider",
        )
        epochs = state.select(
            "act_lab_epochs",
            T("act.lab.epochs"),
            act.EPOCHS,
            LAB.epochs,
            widget="select_slider",
        )
        seed = state.number("act_lab_seed", T("common.seed"), 0, 9999, LAB.seed, 1)
    return act.GradientLabConfig(
        activation=activation,
        depth=depth,
        width=width,
        initializer=initializer,
        sigma=sigma,
        batch_norm=batch_norm,
        epochs=epochs,
        learning_rate=learning_rate,
        optimizer=optimizer,
        seed=int(seed),
    )


def lab(lang: str) -> None:
    """The gradient picture at initialisation, then training (pinnable runs).

    On a phone the gradient picture (ratio and chart) stays in view at the top
    (a ``sticky_`` container) while the lab's controls scroll under it.
    """
    T = _translator(lang)
    st.markdown(T("act.lab.intro"))
    st.subheader(T("act.lab.at_init"))
    with st.container():  # the picture sticks while these controls are in view
        picture = st.container(key="sticky_act_lab")
        config = lab_controls(lang)
    probe = _probe(config)
    summary = act.flow_summary(probe.table)
    with picture:
        ratio, chart = st.columns([1, 3], vertical_alignment="center")
        value, kind = figures.ratio_parts(summary, lang=lang)
        ratio.metric(T("act.lab.grad_ratio"), value)
        flow = figures.gradient_flow_figure(probe.table, height=FLOW_HEIGHT, lang=lang)
        charts.plotly(flow, where=chart, key="act_fig_flow")
    st.markdown(T(f"act.lab.verdict.{summary['verdict']}"))
    if kind:  # what the ratio above is when it is not float32's
        st.caption(T(f"act.lab.ratio_note.{kind}"))
    _lost_layers_caption(summary, T)
    with st.container(horizontal=True, gap="medium"):  # two per row on a phone
        st.metric(T("act.lab.init_loss"), f"{summary['loss']:.3f}", width=METRIC_WIDTH)
        st.metric(T("act.lab.dead"), f"{summary['dead']:.0%}", width=METRIC_WIDTH)
        st.metric(
            T("act.lab.saturated"), f"{summary['saturated']:.0%}", width=METRIC_WIDTH
        )
    left, right = st.columns(2)
    health = figures.unit_health_figure(probe.table, lang=lang)
    charts.plotly(health, where=left, key="act_fig_health")
    hist = figures.activation_histogram_figure(probe.samples, lang=lang)
    charts.plotly(hist, where=right, key="act_fig_hist")

    st.subheader(T("act.lab.training"))
    training.run_task(
        act.train_gradient_lab,
        config,
        lang=lang,
        key="act_lab",
        epochs=config.epochs,
        code=act.code_gradient_lab(config),
        code_file="gradient_lab.py",
        render=lambda c, result, tag: lab_result(c, result, tag, lang),
    )


#: Height of the gradient chart at the top of the lab (it stays in view on a
#: phone, so it leaves room for the controls under it).
FLOW_HEIGHT = 290
#: The lab's small metrics take the width of their text: side by side where
#: they fit, wrapped (never truncated) on a phone.
METRIC_WIDTH = "content"


def _lost_layers_caption(summary: dict[str, Any], T) -> None:
    """Say which layers float32 rounds to 0 (or ∞/NaN) and what is shown instead."""
    tiny = theme.number_text(act.FLOAT32_TINY)
    for kind in ("underflow", "overflow"):
        layers = summary[kind]
        if layers:
            st.caption(
                T(
                    f"act.lab.{kind}_caption",
                    layers=figures.layers_text(layers),
                    count=len(layers),
                    tiny=tiny,
                )
            )


def lab_result(config: act.GradientLabConfig, result: Any, tag: str, lang: str) -> None:
    """A finished gradient-lab run: metrics, gradients before/after, runs so far.

    Drawn by :func:`ui.training.run_task` in its result slot (``tag`` is
    ``"final"``, or ``"previous"`` for the last finished run kept in view
    while a new one trains).
    """
    T = _translator(lang)
    initial = pd.DataFrame(result.artifacts["initial_flow"])
    summary = act.flow_summary(initial)
    runs = st.session_state.setdefault("act_runs", {})
    if tag == "final":
        runs[config] = {
            **result.metrics,
            "grad_ratio_f32": summary["grad_ratio_f32"],
            "underflow": summary["underflow"],
            "overflow": summary["overflow"],
        }
    with st.container(horizontal=True, gap="medium"):
        st.metric(
            T("act.lab.val_accuracy"),
            f"{result.metrics['val_accuracy']:.1%}",
            help=T("act.lab.chance"),
            width=METRIC_WIDTH,
        )
        st.metric(
            T("act.lab.val_loss"),
            f"{result.metrics['val_loss']:.3f}",
            width=METRIC_WIDTH,
        )
    flows = {
        T("act.flow.initial"): result.artifacts["initial_flow"],
        T("act.flow.final"): result.artifacts["final_flow"],
    }
    fig = figures.gradient_flow_figure(
        flows, title_key="act.flow.before_after", lang=lang
    )
    charts.plotly(fig, key=f"act_fig_flow2_{tag}")
    st.markdown(f"**{T('act.lab.runs')}**")
    setting = {T("act.lab.setting"): st.column_config.TextColumn(width="large")}
    st.dataframe(
        figures.lab_runs_frame(runs, lang=lang),
        hide_index=True,
        column_config=setting,
        key=f"act_runs_table_{tag}",
    )
