"""Loss functions: curves and slopes, entropy and KL, outliers, the right loss per task."""

import streamlit as st

from dlcore import losses
from dlcore.figures import losses as figures
from ui import shell, training

lang = shell.page("losses")
T = shell.translator(lang)

SECTIONS = ("curves", "dist", "outliers", "guide")
BCE, FOCAL = "binary_crossentropy", "binary_focal_crossentropy"
CCE = "categorical_crossentropy"
PRESETS = {  # teacher presets: name -> widget values
    "robust": {"loss_section": "curves", "loss_family": "regression",
               "loss_names_regression": ["mse", "mae", "huber", "log_cosh"]},
    "focal": {"loss_section": "curves", "loss_family": "binary", "loss_logits_binary": False,
              "loss_names_binary": [BCE, FOCAL], f"loss_{FOCAL}_gamma": 2.0},
    "margin": {"loss_section": "curves", "loss_family": "binary", "loss_logits_binary": True,
               "loss_names_binary_z": [BCE, "hinge", "squared_hinge"]},
    "smoothing": {"loss_section": "curves", "loss_family": "multiclass",
                  "loss_logits_multiclass": False, "loss_names_multiclass": [CCE],
                  f"loss_{CCE}_label_smoothing": 0.2},
    "one_hot": {"loss_section": "dist", "loss_dist_preset": "one_hot"},
    "asymmetric": {"loss_section": "dist", "loss_dist_preset": "asymmetric"},
    "no_outliers": {"loss_section": "outliers", "loss_out_outlier_fraction": 0.0},
    "large_outliers": {"loss_section": "outliers", "loss_out_outlier_fraction": 0.1,
                       "loss_out_outlier_size": 30.0},
    "softmax_bce": {"loss_section": "guide", "loss_task": "multiclass",
                    "loss_wrong_multiclass": "softmax_bce"},
}  # fmt: skip
OUTLIER_SLIDERS = {  # OutlierLabConfig field: (min, max, default, step)
    "outlier_fraction": (0.0, 0.5, 0.1, 0.05), "outlier_size": (-40.0, 40.0, 10.0, 1.0),
    "huber_delta": (0.1, 5.0, 1.0, 0.1), "noise": (0.0, 2.0, 0.5, 0.1),
}  # fmt: skip


def apply_preset() -> None:
    st.session_state.update(PRESETS.get(st.session_state.loss_preset, {}))


curve_figure = st.cache_data(max_entries=256, show_spinner=False)(figures.loss_curve_figure)  # fmt: skip


def param_widgets(name: str, column) -> dict:
    """Sliders / checkboxes for the parameters of ``name`` (not ``from_logits``)."""
    values = {}
    for spec in losses.get_spec(name).params:
        key, label = f"loss_{name}_{spec.name}", T(f"loss.param.{spec.name}")
        if spec.is_bool and spec.name != "from_logits":
            values[spec.name] = column.checkbox(label, spec.default, key=key,
                                                bind="query-params")  # fmt: skip
        elif not spec.is_bool:
            values[spec.name] = column.slider(
                label, spec.min, spec.max, spec.default, spec.step, key=key,
                bind="query-params", disabled=spec.name == "alpha"
                and not values.get("apply_class_balancing"),
            )  # fmt: skip
    return values


def curves_section() -> None:
    st.markdown(T("loss.curve.intro"))
    kind_col, names_col, target_col, extra_col = st.columns([1.4, 2.4, 1.5, 1.5])
    family_name = kind_col.selectbox(
        T("loss.curve.family"), list(losses.CURVE_FAMILIES), key="loss_family",
        format_func=lambda f: T(f"loss.family.{f}"), bind="query-params",
    )  # fmt: skip
    family = losses.CURVE_FAMILIES[family_name]
    logits = bool(family.logit_options) and extra_col.toggle(
        T("loss.curve.from_logits"), key=f"loss_logits_{family_name}",
        bind="query-params",
    )  # fmt: skip
    options, defaults = family.choices(logits)
    names = names_col.multiselect(
        T("loss.curve.losses"), options, list(defaults),
        key=f"loss_names_{family_name}{'_z' if logits else ''}",
        format_func=lambda n: T(f"loss.name.{n}"), bind="query-params", wrap=True,
    )  # fmt: skip
    if family.labels:
        target = target_col.segmented_control(
            T("loss.curve.target"), family.labels, default=family.labels[0],
            required=True, key=f"loss_label_{family_name}", bind="query-params",
            format_func=lambda y: T(f"loss.label.{family_name}.{y:g}"),
        )  # fmt: skip
    else:
        lo, hi, step, default = family.target_range
        target = target_col.slider(
            T("loss.curve.target"), lo, hi, default, step,
            key=f"loss_target_{family_name}", bind="query-params",
        )  # fmt: skip
    num_classes = 3
    if family_name == "multiclass":
        num_classes = extra_col.slider(
            T("loss.curve.num_classes"), 2, 10, 3, key="loss_num_classes",
            bind="query-params",
        )  # fmt: skip
    chart = st.container()
    params = {}
    for name in names:  # one card per loss: its parameters beside its formula
        with st.container(border=True):
            knobs, formula = st.columns([1, 2.6], gap="large")
            knobs.markdown(f"**{T(f'loss.name.{name}')}**  \n"
                           f"`{losses.get_spec(name).keras_class}`")  # fmt: skip
            params[name] = losses.curve_params(name, logits, param_widgets(name, knobs))
            formula.latex(losses.formula_display(name, lang=lang, **params[name]))
    with chart:
        if not names:
            st.info(T("loss.curve.none"))
            return
        x_range = losses.curve_x_range(family_name, target, logits)
        fig = curve_figure(tuple(names), target=target, params=params, x_range=x_range,
                           num_classes=num_classes, lang=lang)  # fmt: skip
        st.plotly_chart(fig, key="loss_fig_curves")
        for note in losses.curve_notes(family_name, names, logits):
            st.caption(T(note, num_classes=num_classes))


def dist_section() -> None:
    st.markdown(T("loss.dist.intro"))
    left, right = st.columns([1, 2], gap="large")
    with left:
        preset = st.selectbox(
            T("loss.dist.preset"), list(losses.DIST_PRESETS), key="loss_dist_preset",
            format_func=lambda p: T(f"loss.dist.preset.{p}"), bind="query-params",
        )  # fmt: skip
        number = st.column_config.NumberColumn(default=1.0, format="%.3f")
        table = st.data_editor(
            losses.distribution_table(preset), key=f"loss_dist_table_{preset}",
            num_rows="dynamic", column_config={"P": number, "Q": number},
        )  # fmt: skip
        st.caption(T("loss.dist.editor_help"))
    try:
        stats = losses.distribution_stats(table["P"], table["Q"])
    except losses.DistributionError as error:
        right.error(T(f"loss.dist.error.{error.code}", which=error.which))
        return
    right.plotly_chart(figures.distribution_figure(stats["p"], stats["q"], lang=lang),
                       key="loss_fig_dist")  # fmt: skip
    keys = ("entropy_p", "entropy_q", "cross_entropy", "kl_pq", "kl_qp")
    for column, key in zip(st.columns(len(keys)), keys, strict=True):
        column.metric(T(f"loss.dist.{key}"), f"{stats[key]:.4f}")
    st.success(T("loss.dist.identity", cross=stats["cross_entropy"],
                 entropy=stats["entropy_p"], kl=stats["kl_pq"]))  # fmt: skip
    keras_says = losses.keras_distribution_losses(stats["p"], stats["q"])
    st.markdown(T("loss.dist.asymmetry", kl_pq=stats["kl_pq"], kl_qp=stats["kl_qp"])
                + "  \n" + T("loss.dist.keras", cce=keras_says["categorical_crossentropy"],
                             kl=keras_says["kl_divergence"]))  # fmt: skip
    for level, note in losses.distribution_notes(stats):
        getattr(st, level)(T(note))
    st.latex(losses.DIST_LATEX)


def outlier_section() -> None:
    st.markdown(T("loss.outlier.intro"))
    left, right = st.columns([1, 2.6], gap="large")
    with left:
        v = {
            name: st.slider(T(f"loss.outlier.{name}"), *spec, key=f"loss_out_{name}",
                            bind="query-params")
            for name, spec in OUTLIER_SLIDERS.items()
        }  # fmt: skip
        seed = st.number_input(T("common.seed"), 0, 9999, 0, key="loss_out_seed",
                               bind="query-params")  # fmt: skip
    config = losses.OutlierLabConfig(**v, seed=int(seed))
    fit = right.empty()
    residuals, table = st.columns([2, 1], gap="large")
    curves = st.empty()
    result = training.run_task(
        losses.train_outlier_lab, config, lang=lang, key="loss_out", show_curves=False,
        code=losses.code_outlier_lab(config), code_file="outlier_lab.py",
        epochs=config.epochs,
    )  # fmt: skip
    if result is None or result.status != "finished":
        return
    art = result.artifacts
    fit.plotly_chart(figures.outlier_fit_figure(art, lang=lang), key="loss_fig_fit")
    residuals.plotly_chart(figures.residual_figure(art, lang=lang), key="loss_fig_res")
    table.table(losses.fit_table(result.metrics, lang=lang))
    curves.plotly_chart(figures.run_curves_figure(result.history, lang=lang),
                        key="loss_fig_out_curves")  # fmt: skip
    table.caption(T("loss.outlier.note"))


def guide_section() -> None:
    st.markdown(T("loss.guide.intro"))
    guide = losses.task_guide(lang).set_index(T("loss.guide.task"))
    st.table(guide.drop(columns=T("loss.guide.compile")))
    task = st.selectbox(
        T("loss.guide.pick"), list(losses.TASK_GUIDE), key="loss_task",
        format_func=lambda k: T(f"loss.task.{k}"), bind="query-params",
    )  # fmt: skip
    st.code(losses.task_snippet(task, lang), language="python")
    st.caption(T(f"loss.task_note.{task}"))
    if task not in losses.RIGHT_PAIRINGS:
        st.info(T("loss.guide.no_training"))
        return
    st.subheader(T("loss.guide.compare"))
    options = losses.WRONG_PAIRINGS[task]
    wrong = st.selectbox(
        T("loss.pair.wrong_choice"), list(options), key=f"loss_wrong_{task}",
        format_func=lambda w: " + ".join(options[w]), bind="query-params",
    )  # fmt: skip
    config = losses.LossPairingConfig(task=task, wrong=wrong)
    for column, (run, pair) in zip(st.columns(2), config.pairings.items(), strict=True):
        column.markdown(
            f"**{T(f'loss.pair.{run}', activation=pair[0], loss=pair[1])}**"
        )
        column.code(losses.pairing_snippet(task, *pair, config.learning_rate))
    st.markdown(T(f"loss.wrong.{wrong}"))
    chart = st.empty()
    result = training.run_task(
        losses.train_loss_pairing, config, lang=lang, key="loss_pair", show_curves=False,
        code=losses.code_loss_pairing(config), code_file="loss_pairing.py",
        epochs=config.epochs,
    )  # fmt: skip
    if result is None or result.status != "finished":
        return
    m = result.metrics
    with chart.container():
        shown = losses.pairing_summary(m).items()
        for column, (label, value) in zip(st.columns(3), shown, strict=True):
            column.metric(T(f"loss.pair.{label}"), value)
        st.plotly_chart(figures.pairing_figure(m, result.artifacts, lang=lang),
                        key="loss_fig_pair")  # fmt: skip
        st.caption(T(f"loss.pair.accuracy_note.{task}"))
        st.plotly_chart(figures.run_curves_figure(result.history, lang=lang),
                        key="loss_fig_pair_curves")  # fmt: skip


st.title(T("loss.title"))
st.markdown(T("loss.intro"))
with st.sidebar:
    st.selectbox(
        T("common.preset"), ["none", *PRESETS], key="loss_preset",
        format_func=lambda p: T(f"loss.preset.{p}"), on_change=apply_preset,
    )  # fmt: skip
section = st.segmented_control(
    T("loss.section"), SECTIONS, default="curves", required=True, key="loss_section",
    format_func=lambda s: T(f"loss.section.{s}"), bind="query-params",
)  # fmt: skip
VIEWS = {"curves": curves_section, "dist": dist_section, "outliers": outlier_section}
VIEWS.get(section, guide_section)()
