"""The Losses page's sections: curve explorer, entropy/KL lab, outlier lab, task guide.

Every control goes through :mod:`ui.state` (keys ``loss_…`` are URL
parameters), every chart through :func:`ui.charts.plotly`.
"""

from __future__ import annotations

import streamlit as st

from dlcore import losses
from dlcore.figures import losses as figures
from ui import charts, state, training
from ui.shell import translator as _translator  # T(key, **fmt) in lang

#: The page's tabs, in order (URL ids of ``?loss_tab=``).
TABS: tuple[str, ...] = ("curves", "dist", "outliers", "guide")

curve_figure = st.cache_data(max_entries=256, show_spinner=False)(
    figures.loss_curve_figure
)


def _param_controls(name: str, lang: str) -> dict:
    """Sliders / toggles for the parameters of ``name`` (not ``from_logits``)."""
    T = _translator(lang)
    values: dict = {}
    for spec in losses.get_spec(name).params:
        key, label = f"loss_{name}_{spec.name}", T(f"loss.param.{spec.name}")
        if spec.is_bool and spec.name != "from_logits":
            values[spec.name] = state.toggle(key, label, spec.default)
        elif not spec.is_bool:
            values[spec.name] = state.slider(
                key,
                label,
                spec.min,
                spec.max,
                spec.default,
                spec.step,
                disabled=spec.name == "alpha"
                and not values.get("apply_class_balancing"),
            )
    return values


def curves(lang: str) -> None:
    """The curve explorer: a family of Keras losses, their curves and formulas."""
    T = _translator(lang)
    st.markdown(T("loss.curve.intro"))
    kind_col, names_col, target_col, extra_col = st.columns([1.4, 2.4, 1.5, 1.5])
    with kind_col:
        family_name = state.select(
            "loss_family",
            T("loss.curve.family"),
            list(losses.CURVE_FAMILIES),
            format_func=lambda f: T(f"loss.family.{f}"),
        )
    family = losses.CURVE_FAMILIES[family_name]
    logits = False
    if family.logit_options:
        with extra_col:
            logits = state.toggle(
                f"loss_logits_{family_name}", T("loss.curve.from_logits")
            )
    options, defaults = family.choices(logits)
    with names_col:
        names = state.multiselect(
            f"loss_names_{family_name}{'_z' if logits else ''}",
            T("loss.curve.losses"),
            options,
            list(defaults),
            format_func=lambda n: T(f"loss.name.{n}"),
            wrap=True,
        )
    with target_col:
        if family.labels:
            target = state.select(
                f"loss_label_{family_name}",
                T("loss.curve.target"),
                family.labels,
                family.labels[0],
                widget="segmented",
                format_func=lambda y: T(f"loss.label.{family_name}.{y:g}"),
            )
        else:
            lo, hi, step, default = family.target_range
            target = state.slider(
                f"loss_target_{family_name}",
                T("loss.curve.target"),
                lo,
                hi,
                default,
                step,
            )
    num_classes = 3
    if family_name == "multiclass":
        with extra_col:
            num_classes = state.slider(
                "loss_num_classes", T("loss.curve.num_classes"), 2, 10, 3, 1
            )
    chart = st.container()
    params = {}
    for name in names:  # one card per loss: its parameters beside its formula
        with st.container(border=True):
            knobs, formula = st.columns([1, 2.6], gap="large")
            with knobs:
                st.markdown(
                    f"**{T(f'loss.name.{name}')}**  \n"
                    f"`{losses.get_spec(name).keras_class}`"
                )
                values = _param_controls(name, lang)
            params[name] = losses.curve_params(name, logits, values)
            formula.latex(losses.formula_display(name, lang=lang, **params[name]))
    with chart:
        if not names:
            st.info(T("loss.curve.none"))
            return
        x_range = losses.curve_x_range(family_name, target, logits)
        fig = curve_figure(
            tuple(names),
            target=target,
            params=params,
            x_range=x_range,
            num_classes=num_classes,
            lang=lang,
        )
        charts.plotly(fig, key="loss_fig_curves")
        for note in losses.curve_notes(family_name, names, logits):
            st.caption(T(note, num_classes=num_classes))


def dist(lang: str) -> None:
    """The entropy / cross-entropy / KL lab on an editable pair P, Q."""
    T = _translator(lang)
    st.markdown(T("loss.dist.intro"))
    left, right = st.columns([1, 2], gap="large")
    with left:
        preset = state.select(
            "loss_dist_preset",
            T("loss.dist.preset"),
            list(losses.DIST_PRESETS),
            format_func=lambda p: T(f"loss.dist.preset.{p}"),
        )
        number = st.column_config.NumberColumn(default=1.0, format="%.3f")
        table = st.data_editor(  # edits stay in the session, not in the URL
            losses.distribution_table(preset),
            key=f"loss_dist_table_{preset}",
            num_rows="dynamic",
            column_config={"P": number, "Q": number},
        )
        st.caption(T("loss.dist.editor_help"))
    try:
        stats = losses.distribution_stats(table["P"], table["Q"])
    except losses.DistributionError as error:
        right.error(T(f"loss.dist.error.{error.code}", which=error.which))
        return
    charts.plotly(
        figures.distribution_figure(stats["p"], stats["q"], lang=lang),
        where=right,
        key="loss_fig_dist",
    )
    keys = ("entropy_p", "entropy_q", "cross_entropy", "kl_pq", "kl_qp")
    for column, key in zip(st.columns(len(keys)), keys, strict=True):
        column.metric(T(f"loss.dist.{key}"), _nats(stats[key]))
    st.success(
        T(
            "loss.dist.identity",
            cross=_nats(stats["cross_entropy"]),
            entropy=_nats(stats["entropy_p"]),
            kl=_nats(stats["kl_pq"]),
        )
    )
    keras_says = losses.keras_distribution_losses(stats["p"], stats["q"])
    st.markdown(
        T(
            "loss.dist.asymmetry",
            kl_pq=_nats(stats["kl_pq"]),
            kl_qp=_nats(stats["kl_qp"]),
        )
        + "  \n"
        + T(
            "loss.dist.keras",
            cce=keras_says["categorical_crossentropy"],
            kl=keras_says["kl_divergence"],
        )
    )
    for level, note in losses.distribution_notes(stats):
        getattr(st, level)(T(note, kl_pq=stats["kl_pq"], kl_qp=stats["kl_qp"]))
    st.latex(losses.DIST_LATEX)


def _nats(value: float) -> str:
    """4 decimals, but never "-0.0000": a tiny negative value is shown as it is.

    >>> _nats(0.35667), _nats(4.8e-06), _nats(-1.1e-08)
    ('0.3567', '0.0000', '-1.1e-08')
    """
    text = f"{value:.4f}"
    return f"{value:.2g}" if text == "-0.0000" else text


def outliers(lang: str) -> None:
    """The outlier lab: one line fitted with MSE, MAE and Huber (a training task).

    The result is drawn beside the sliders, inside the training slot: while a
    new run trains, the last finished fit stays in view, labelled as such.
    """
    T = _translator(lang)
    defaults = losses.OutlierLabConfig()
    st.markdown(T("loss.outlier.intro"))
    left, right = st.columns([1, 2.6], gap="large")
    with left:
        values = {
            name: state.slider(
                f"loss_out_{name}",
                T(f"loss.outlier.{name}"),
                low,
                high,
                getattr(defaults, name),
                step,
            )
            for name, (low, high, step) in losses.OUTLIER_SLIDERS.items()
        }
        seed = state.number(
            "loss_out_seed", T("common.seed"), 0, 9999, defaults.seed, 1
        )
    config = losses.OutlierLabConfig(**values, seed=int(seed))
    with right:
        training.run_task(
            losses.train_outlier_lab,
            config,
            lang=lang,
            key="loss_out",
            show_curves=False,
            code=losses.code_outlier_lab(config),
            code_file="outlier_lab.py",
            epochs=config.epochs,
            run_names=lambda run: T(f"loss.run.{run}"),
            render=lambda _config, result, tag: _outlier_result(result, tag, lang),
        )


def _outlier_result(result, tag: str, lang: str) -> None:
    """The fitted lines, their table, the residuals and the learning curves."""
    if result.status != "finished":
        return
    T = _translator(lang)
    art = result.artifacts
    charts.plotly(figures.outlier_fit_figure(art, lang=lang), key=f"loss_fig_fit_{tag}")
    st.table(losses.fit_table(result.metrics, lang=lang))
    st.caption(T("loss.outlier.note"))
    charts.plotly(figures.residual_figure(art, lang=lang), key=f"loss_fig_res_{tag}")
    charts.plotly(
        figures.run_curves_figure(result.history, lang=lang),
        key=f"loss_fig_out_curves_{tag}",
    )


def guide(lang: str) -> None:
    """Which loss for which task: the table, a snippet, and right vs wrong trained."""
    T = _translator(lang)
    st.markdown(T("loss.guide.intro"))
    table = losses.task_guide(lang).set_index(T("loss.guide.task"))
    st.table(table.drop(columns=T("loss.guide.compile")))
    task = state.select(
        "loss_task",
        T("loss.guide.pick"),
        list(losses.TASK_GUIDE),
        format_func=lambda k: T(f"loss.task.{k}"),
    )
    st.code(losses.task_snippet(task, lang), language="python")
    st.caption(T(f"loss.task_note.{task}"))
    if task not in losses.RIGHT_PAIRINGS:
        st.info(T("loss.guide.no_training"))
        return
    st.subheader(T("loss.guide.compare"))
    options = losses.WRONG_PAIRINGS[task]
    wrong = state.select(
        f"loss_wrong_{task}",
        T("loss.pair.wrong_choice"),
        list(options),
        format_func=lambda w: " + ".join(options[w]),
    )
    config = losses.LossPairingConfig(task=task, wrong=wrong)
    for column, (run, pair) in zip(st.columns(2), config.pairings.items(), strict=True):
        column.markdown(
            f"**{T(f'loss.pair.{run}', activation=pair[0], loss=pair[1])}**"
        )
        column.code(losses.pairing_snippet(task, *pair, config.learning_rate))
    st.markdown(T(f"loss.wrong.{wrong}"))
    training.run_task(
        losses.train_loss_pairing,
        config,
        lang=lang,
        key="loss_pair",
        show_curves=False,
        code=losses.code_loss_pairing(config),
        code_file="loss_pairing.py",
        epochs=config.epochs,
        run_names=lambda run: T(f"loss.run.{run}"),
        render=lambda _config, result, tag: _pairing_result(result, tag, lang),
    )


def _pairing_result(result, tag: str, lang: str) -> None:
    """Both runs' accuracies (numbers and bars) and their learning curves."""
    if result.status != "finished":
        return
    T = _translator(lang)
    metrics = result.metrics
    pairs = result.artifacts["pairings"]  # which run this is (the last one may differ)
    st.caption(
        " · ".join(
            T(f"loss.pair.{run}", activation=pairs[run][0], loss=pairs[run][1])
            for run in ("right", "wrong")
            if run in pairs
        )
    )
    shown = losses.pairing_summary(metrics).items()
    for column, (label, value) in zip(st.columns(3), shown, strict=True):
        column.metric(T(f"loss.pair.{label}"), value)
    charts.plotly(
        figures.pairing_figure(metrics, result.artifacts, lang=lang),
        key=f"loss_fig_pair_{tag}",
    )
    st.caption(T(f"loss.pair.accuracy_note.{result.artifacts['task']}"))
    charts.plotly(
        figures.run_curves_figure(result.history, lang=lang),
        key=f"loss_fig_pair_curves_{tag}",
    )
    same = losses.coinciding_runs(result.history)
    if same:
        splits = [
            T("common.validation" if column.startswith("val_") else "common.train")
            for column in same
        ]
        which = T("loss.pair.and").join(splits)
        st.info(T("loss.pair.coincide", which=which), icon=":material/layers:")
