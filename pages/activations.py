"""Activation functions: every Keras activation and its derivative, softmax, gradient flow."""

import dataclasses

import numpy as np
import streamlit as st

from dlcore import activations as act
from dlcore.figures import activations as figures
from dlcore.i18n import LANGS, t
from ui import shell, training

lang = shell.page("activations")
T = shell.translator(lang)

DEFAULT_NAMES = ["relu", "sigmoid", "tanh", "gelu"]
TABS = ("functions", "softmax", "lab")
LOGIT_EXAMPLES = {"basic": "2, 1, 0.1, -1", "large": "1000, 999, 990, 0",
                  "negative": "-1000, -1001, -1010"}  # fmt: skip
LAB = act.GradientLabConfig()  # the lab's default view
URL = {"bind": "query-params"}  # main controls live in the URL: shareable links


def name_label(name: str) -> str:
    aliases = act.ACTIVATIONS[name].aliases
    return f"{name} ({', '.join(aliases)})" if aliases else name


@st.cache_data(max_entries=64, show_spinner=False)
def properties(names: tuple[str, ...], params: dict, lang: str):
    return figures.properties_frame(names, params=params, lang=lang)


@st.cache_data(max_entries=32, show_spinner=False)
def probe(c: act.GradientLabConfig) -> act.GradientProbe:
    return act.probe_gradient_flow(c.activation, c.depth, c.width, c.initializer, c.seed,
                                   sigma=c.sigma, batch_norm=c.batch_norm)  # fmt: skip


def functions_tab() -> None:
    pick, span = st.columns([3, 2], gap="large")
    names = pick.multiselect(T("act.choose"), list(act.ACTIVATIONS), DEFAULT_NAMES,
                             key="act_names", max_selections=figures.MAX_OVERLAY,
                             format_func=name_label, **URL)  # fmt: skip
    x_lo, x_hi = span.slider(T("act.x_range"), -10.0, 10.0, (-5.0, 5.0), 0.5,
                             key="act_x", **URL)  # fmt: skip
    controls, chart = st.columns([1, 3], gap="large")
    with controls:
        show_derivative = st.toggle(T("act.show_derivative"), True, key="act_deriv")
        params: dict[str, dict] = {}
        for name in names:  # sliders for the parameters of the chosen functions only
            for p in act.ACTIVATIONS[name].params:
                label = T("act.param", name=name, param=T(f"act.param.{p.name}"))
                key = f"act_p_{name}_{p.name}"
                params.setdefault(name, {})[p.name] = (
                    st.toggle(label, p.default, key=key, **URL) if p.is_bool else
                    st.slider(label, p.min, p.max, p.default, p.step, key=key, **URL)
                )  # fmt: skip
    if not names:
        chart.info(T("act.choose_one"), icon=":material/info:")
        return
    if x_hi - x_lo < 1.0:
        chart.warning(T("act.x_range_small"), icon=":material/warning:")
        x_lo, x_hi = (x_lo, x_lo + 1.0) if x_lo < 9.0 else (x_hi - 1.0, x_hi)
    fig = figures.activation_figure(names, params=params, x_range=(x_lo, x_hi),
                                    show_derivative=show_derivative, lang=lang)  # fmt: skip
    chart.plotly_chart(fig, key="act_fig_functions")
    chart.caption(T("act.kink_note"))

    st.subheader(T("act.formula"))
    for row in range(0, len(names), 2):  # formula cards, two per row
        for cell, name in zip(st.columns(2), names[row : row + 2], strict=False):
            with cell.container(border=True, height="stretch"):
                st.markdown(f"**{name_label(name)}**")
                st.latex(act.formula_with_values(name, **params.get(name, {})))
    st.subheader(T("act.props.title"))
    st.dataframe(properties(tuple(names), params, lang), key="act_props")
    st.caption(T("act.props.note"))
    st.subheader(T("act.identities.title"))
    st.markdown(T("act.identities.intro"))
    st.markdown(figures.identities_markdown(lang=lang))


def apply_example() -> None:
    example = st.session_state.act_sm_example
    if example in LOGIT_EXAMPLES:
        st.session_state.act_sm_logits = LOGIT_EXAMPLES[example]


def softmax_tab() -> None:
    controls, chart = st.columns([1, 2], gap="large")
    with controls:
        st.pills(T("act.softmax.examples"), list(LOGIT_EXAMPLES), key="act_sm_example",
                 format_func=lambda e: T(f"act.softmax.example.{e}"),
                 on_change=apply_example)  # fmt: skip
        text = st.text_input(T("act.softmax.logits"), LOGIT_EXAMPLES["basic"],
                             key="act_sm_logits", **URL,
                             help=T("act.softmax.logits_help", max=act.MAX_LOGITS))  # fmt: skip
        temperature = st.select_slider(T("act.softmax.temperature_label"),
                                       [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0], 1.0,
                                       key="act_sm_t", **URL)  # fmt: skip
        shift = st.select_slider(T("act.softmax.shift"), [0, 10, 100, 1000], 0,
                                 key="act_sm_shift", **URL)  # fmt: skip
        st.latex(r"\operatorname{softmax}(z)_i = \frac{e^{z_i / T}}"
                 r"{\sum_{j=1}^{K} e^{z_j / T}}")  # fmt: skip
    try:
        logits = act.parse_logits(text)
    except act.LogitsError as error:
        chart.error(T(f"act.softmax.bad.{error.reason}", token=error.token,
                      max=act.MAX_LOGITS), icon=":material/error:")  # fmt: skip
        return
    shifted = logits + np.float32(shift)
    fig = figures.softmax_figure(shifted, sorted({1.0, temperature}), lang=lang)
    chart.plotly_chart(fig, key="act_fig_softmax")
    chart.caption(T("act.softmax.note"))
    st.subheader(T("act.softmax.overflow_title"))
    st.markdown(T("act.softmax.overflow_text"))
    scaled = shifted / np.float32(temperature)
    if np.isnan(act.naive_softmax(scaled)).any():
        st.error(T("act.softmax.overflowed", z=float(np.abs(scaled).max())),
                 icon=":material/error:")  # fmt: skip
    else:
        st.success(T("act.softmax.no_overflow"), icon=":material/check_circle:")
    st.dataframe(figures.softmax_overflow_frame(scaled, lang=lang), key="act_sm_table")


def apply_lab_preset() -> None:
    name = st.session_state.act_lab_preset
    if name in act.LAB_PRESETS:
        fields = dataclasses.asdict(act.lab_preset(name))
        st.session_state.update({f"act_lab_{k}": v for k, v in fields.items()})


def lab_tab() -> None:
    st.markdown(T("act.lab.intro"))
    st.selectbox(T("common.preset"), ["custom", *act.LAB_PRESETS], key="act_lab_preset",
                 format_func=lambda p: T(f"act.lab.preset.{p}"),
                 on_change=apply_lab_preset)  # fmt: skip
    net, shape, opt = st.columns(3, gap="large")
    names = list(act.ACTIVATIONS)
    activation = net.selectbox(T("act.lab.activation"), names, names.index(LAB.activation),
                               key="act_lab_activation", **URL)  # fmt: skip
    initializer = net.selectbox(T("act.lab.initializer"), act.INITIALIZERS,
                                act.INITIALIZERS.index(LAB.initializer),
                                key="act_lab_initializer",
                                format_func=lambda i: T(f"act.init.{i}"), **URL)  # fmt: skip
    sigma = net.select_slider(T("act.lab.sigma"), [0.01, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0],
                              LAB.sigma, key="act_lab_sigma", **URL,
                              disabled=initializer != "random_normal")  # fmt: skip
    depth = shape.slider(
        T("act.lab.depth"), 2, 50, LAB.depth, key="act_lab_depth", **URL
    )
    width = shape.select_slider(T("act.lab.width"), [8, 16, 32, 64, 128], LAB.width,
                                key="act_lab_width", **URL)  # fmt: skip
    batch_norm = shape.toggle(T("act.lab.batch_norm"), LAB.batch_norm,
                              key="act_lab_batch_norm", **URL)  # fmt: skip
    optimizer = opt.segmented_control(T("act.lab.optimizer"), act.OPTIMIZERS,
                                      default=LAB.optimizer, required=True,
                                      key="act_lab_optimizer",
                                      format_func=lambda o: T(f"act.opt.{o}"), **URL)  # fmt: skip
    learning_rate = opt.select_slider(T("act.lab.learning_rate"),
                                      [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0],
                                      LAB.learning_rate, key="act_lab_learning_rate", **URL)  # fmt: skip
    epochs = opt.select_slider(T("act.lab.epochs"), [5, 10, 15, 30, 50], LAB.epochs,
                               key="act_lab_epochs", **URL)  # fmt: skip
    seed = opt.number_input(
        T("common.seed"), 0, 9999, LAB.seed, key="act_lab_seed", **URL
    )
    config = act.GradientLabConfig(
        activation=activation, depth=depth, width=width, initializer=initializer,
        sigma=sigma, batch_norm=batch_norm, epochs=epochs, learning_rate=learning_rate,
        optimizer=optimizer, seed=int(seed),
    )  # fmt: skip

    st.subheader(T("act.lab.at_init"))
    table, samples = probe(config).table, probe(config).samples
    summary = act.flow_summary(table)
    ratio = summary["grad_ratio"]
    cols = st.columns(4)
    cols[0].metric(T("act.lab.grad_ratio"),
                   f"{ratio:.2g}" if np.isfinite(ratio) else T("act.lab.no_gradient"))  # fmt: skip
    cols[1].metric(T("act.lab.init_loss"), f"{summary['loss']:.3f}")
    cols[2].metric(T("act.lab.dead"), f"{summary['dead']:.0%}")
    cols[3].metric(T("act.lab.saturated"), f"{summary['saturated']:.0%}")
    st.markdown(T(f"act.lab.verdict.{summary['verdict']}"))
    left, right = st.columns(2)
    left.plotly_chart(
        figures.gradient_flow_figure(table, lang=lang), key="act_fig_flow"
    )
    right.plotly_chart(
        figures.unit_health_figure(table, lang=lang), key="act_fig_health"
    )
    fig = figures.activation_histogram_figure(samples, lang=lang)
    st.plotly_chart(fig, key="act_fig_hist")

    st.subheader(T("act.lab.training"))
    result = training.run_task(
        act.train_gradient_lab, config, lang=lang, key="act_lab", epochs=epochs,
        code=act.code_gradient_lab(config), code_file="gradient_lab.py",
    )  # fmt: skip
    if result is None:
        return
    runs = st.session_state.setdefault("act_runs", {})
    runs[config] = result.metrics
    cols = st.columns(2)
    cols[0].metric(T("act.lab.val_accuracy"), f"{result.metrics['val_accuracy']:.1%}",
                   help=T("act.lab.chance"))  # fmt: skip
    cols[1].metric(T("act.lab.val_loss"), f"{result.metrics['val_loss']:.3f}")
    flows = {T("act.flow.initial"): result.artifacts["initial_flow"],
             T("act.flow.final"): result.artifacts["final_flow"]}  # fmt: skip
    fig = figures.gradient_flow_figure(
        flows, title_key="act.flow.before_after", lang=lang
    )
    st.plotly_chart(fig, key="act_fig_flow2")
    st.markdown(f"**{T('act.lab.runs')}**")
    setting = {T("act.lab.setting"): st.column_config.TextColumn(width="large")}
    st.dataframe(figures.lab_runs_frame(runs, lang=lang), hide_index=True,
                 column_config=setting, key="act_runs_table")  # fmt: skip


st.title(T("act.title"))
st.markdown(T("act.intro"))
labels = [T(f"act.tab.{k}") for k in TABS]
TAB_INDEX = {t(f"act.tab.{k}", code): i for i, k in enumerate(TABS) for code in LANGS}
if st.session_state.get("act_tab") in TAB_INDEX:  # same tab after a language switch
    st.session_state.act_tab = labels[TAB_INDEX[st.session_state.act_tab]]
tabs = st.tabs(labels, key="act_tab", on_change="rerun", **URL)
for tab, section in zip(tabs, (functions_tab, softmax_tab, lab_tab), strict=True):
    if tab.open:  # lazy tabs: only the open one runs (the lab trains)
        with tab:
            section()
