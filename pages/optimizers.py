"""Optimizers: real Keras optimizers race on 2-D loss landscapes, plus five lessons."""

import streamlit as st

from dlcore import landscapes
from dlcore import optimizers as O
from dlcore.figures import optimizers as figures
from ui import shell, training

lang = shell.page("optimizers")
T = shell.translator(lang)

TABS = ("explore", "schedules", "clipping", "batch", "theory", "race")
TINTS = ("blue", "orange", "green", "red", "violet")  # = theme.COLORS[:5], the paths
KEEP = {"bind": "query-params", "persist_state": "page"}  # shareable, kept across tabs
LANDS = list(landscapes.LANDSCAPES)
KAPPA = landscapes.LANDSCAPES["quadratic"].params[0]
LR = O.OPTIMIZERS["sgd"].hyperparams[0]  # the learning-rate slider spec
DATA = O.regression_data()
N = len(DATA.x)
RACE_DEFAULT = ["sgd", "momentum", "rmsprop", "adam"]
OPT_NAMES = {name: T(f"opt.name.{name}") for name in O.OPTIMIZERS}
opt_name, land_name = OPT_NAMES.__getitem__, lambda name: T(f"opt.land.{name}")


@st.cache_data(max_entries=512, show_spinner=False)
def run(name, land, start, steps, hp: tuple, schedule=None, sched: tuple = ()):
    return O.run(name, land, start, steps, schedule=schedule,
                 schedule_params=dict(sched), **dict(hp))  # fmt: skip


@st.cache_resource(max_entries=32, show_spinner=False)  # read-only figures, shared
def explorer(land, params: tuple, start, steps, settings: tuple, lang: str):
    runs = {n: run(n, land, start, steps, params + hp) for n, hp in settings}
    named = {opt_name(n): r for n, r in runs.items()}
    anim = figures.animation_figure(land, named, landscape_params=dict(params),
                                    click_grid=31, lang=lang, height=600)  # fmt: skip
    return runs, named, anim, figures.loss_figure(named, lang=lang)


minibatch = st.cache_data(max_entries=64, show_spinner=False)(O.minibatch_path)
optimal_runs = st.cache_data(max_entries=64, show_spinner=False)(O.optimal_runs)
rates_by_kappa = st.cache_data(max_entries=2, show_spinner=False)(O.momentum_theory)


def control(p, key, label=None, **kwargs):
    """The widget for slider spec ``p``: a toggle, a log-scale select slider or a slider."""
    label = label or T(f"opt.hp.{p.name}")
    if p.kind == "bool":
        return st.toggle(label, bool(p.default), key=key, **KEEP, **kwargs)
    if p.log:
        return st.select_slider(label, O.slider_options(p), p.default, key=key,
                                format_func="{:g}".format, **KEEP, **kwargs)  # fmt: skip
    cast, digits = (int, 0) if p.kind == "int" else (float, len(f"{p.step:g}") - 2)
    return st.slider(label, cast(p.min), cast(p.max), cast(p.default), cast(p.step),
                     format=f"%.{max(digits, 0)}f", key=key, **KEEP, **kwargs)  # fmt: skip


def choose(label, options, key, names, **kwargs):
    return st.selectbox(T(label), options, key=key, format_func=names, **KEEP, **kwargs)


def on_landscape() -> None:
    """A new landscape: start at its start point, with learning rates that suit it."""
    land = st.session_state.opt_landscape
    st.session_state.opt_x0, st.session_state.opt_y0 = landscapes.LANDSCAPES[land].start
    st.session_state.update({f"opt_{n}_learning_rate": O.controls(n, land)[0].default for n in O.OPTIMIZERS})  # fmt: skip


def apply_preset() -> None:
    preset = O.PRESETS.get(st.session_state.opt_preset, {})
    if "landscape" in preset:
        st.session_state.opt_landscape = preset["landscape"]
        on_landscape()
    for key, value in preset.items():
        st.session_state[f"opt_{key}"] = T(f"opt.tab.{value}") if key == "tab" else value  # fmt: skip


def on_pick() -> None:
    """A click on the chart: every optimizer starts at that point."""
    points = st.session_state.opt_anim.selection.points
    land = landscapes.LANDSCAPES[st.session_state.opt_landscape]
    if points and "x" in points[0]:
        for key, axis, (low, high) in (("opt_x0", "x", land.x_range), ("opt_y0", "y", land.y_range)):  # fmt: skip
            st.session_state[key] = round(min(max(float(points[0][axis]), low), high), 2)  # fmt: skip


def warn_diverged(runs, names=opt_name) -> None:
    for name, result in runs.items():
        if result.diverged:
            st.warning(T("opt.diverged", name=names(name), step=result.diverged_step),
                       icon=":material/warning:")  # fmt: skip


st.title(T("opt.title"))
st.markdown(T("opt.intro"))
st.sidebar.selectbox(T("common.preset"), ["none", *O.PRESETS], key="opt_preset",
                     format_func=lambda p: T(f"opt.preset.{p}"), on_change=apply_preset)  # fmt: skip

tabs = st.tabs([T(f"opt.tab.{k}") for k in TABS], key="opt_tab", on_change="rerun")
explore, schedules, clipping, batch, theory, race = tabs

with explore:
    if explore.open:
        left, right = st.columns([1, 2.4], gap="large")
        with left:
            land = choose("opt.landscape", LANDS, "opt_landscape", land_name, on_change=on_landscape)  # fmt: skip
            spec = landscapes.LANDSCAPES[land]
            params = (("condition_number", control(KAPPA, "opt_kappa")),) if land == "quadratic" else ()  # fmt: skip
            names = st.multiselect(T("opt.optimizers"), list(O.OPTIMIZERS), RACE_DEFAULT, key="opt_optimizers",
                                   max_selections=5, format_func=opt_name, wrap=True, **KEEP)  # fmt: skip
            steps = st.select_slider(T("opt.steps"), [50, 100, 200, 300, 500], 200, key="opt_steps", **KEEP)  # fmt: skip
            cx, cy = st.columns(2)
            x0 = cx.slider(T("opt.start_x"), *spec.x_range, spec.start[0], 0.01, key="opt_x0", **KEEP)  # fmt: skip
            y0 = cy.slider(T("opt.start_y"), *spec.y_range, spec.start[1], 0.01, key="opt_y0", **KEEP)  # fmt: skip
            st.caption(T("opt.pick_help"))
            surface = st.toggle(T("opt.surface"), key="opt_surface", **KEEP)
        if not names:
            right.info(T("opt.pick_one"))
        else:
            st.subheader(T("opt.rules"))
            st.caption(T("opt.rules_note"))
            labels = [f":{TINTS[i]}[**{opt_name(n)}**]" for i, n in enumerate(names)]
            settings = []
            for name, tab in zip(names, st.tabs(labels), strict=True):
                c_hp, c_rule = tab.columns([2, 3], gap="large")
                with c_hp:
                    hp = {p.name: control(p, f"opt_{name}_{p.name}") for p in O.controls(name, "quadratic")}  # fmt: skip
                c_rule.latex(O.update_rule_latex(name, **hp))
                c_rule.code(O.keras_call(name, **hp), language="python")
                c_rule.caption(T("opt.reference", ref=O.OPTIMIZERS[name].reference))
                settings.append((name, tuple(hp.items())))
            try:
                runs, named, anim, loss_fig = explorer(land, params, (x0, y0), steps, tuple(settings), lang)  # fmt: skip
            except ValueError as error:  # a setting Keras refuses: a message
                st.error(T("opt.bad_setting", error=error), icon=":material/error:")
                st.stop()
            with right:
                st.latex(spec.latex)
                st.plotly_chart(anim, key="opt_anim", on_select=on_pick, selection_mode="points")  # fmt: skip
                warn_diverged(runs)
            for column, fig, key in zip(st.columns(2), (loss_fig, figures.distance_figure(named, lang=lang)), ("opt_loss", "opt_dist"), strict=True):  # fmt: skip
                column.plotly_chart(fig, key=key)
            if surface:
                st.plotly_chart(figures.surface_figure(land, named, landscape_params=dict(params), lang=lang), key="opt_surface_fig")  # fmt: skip

with schedules:
    if schedules.open:
        left, right = st.columns([1, 2.4], gap="large")
        with left:
            sched = choose("opt.schedule", list(O.SCHEDULES)[1:], "opt_sched", lambda s: T(f"opt.schedule.{s}"), index=2)  # fmt: skip
            sp = tuple((p.name, control(p, f"opt_sched_{sched}_{p.name}")) for p in O.SCHEDULES[sched].params)  # fmt: skip
            name = choose("opt.optimizer", list(O.OPTIMIZERS), "opt_sched_optimizer", opt_name, index=3)  # fmt: skip
            lr = control(LR._replace(default=0.1), "opt_sched_lr", T("opt.hp.initial_lr"))  # fmt: skip
            land = choose("opt.landscape", LANDS, "opt_sched_landscape", land_name)
        hp = (("learning_rate", lr),)
        right.latex(O.schedule_latex(sched, **dict(sp)))
        try:
            named = {"constant": run(name, land, None, 300, hp), sched: run(name, land, None, 300, hp, sched, sp)}  # fmt: skip
        except ValueError as error:
            right.error(T("opt.bad_setting", error=error), icon=":material/error:")
        else:
            named = {T(f"opt.schedule.{s}"): r for s, r in named.items()}
            rates = {label: r.learning_rates for label, r in named.items()}
            with right:
                st.plotly_chart(figures.schedule_figure(rates, lang=lang), key="opt_sched_fig")  # fmt: skip
                st.plotly_chart(figures.contour_figure(land, named, lang=lang), key="opt_sched_paths")  # fmt: skip
                warn_diverged(named, names=str)
                st.plotly_chart(figures.loss_figure(named, lang=lang), key="opt_sched_loss")  # fmt: skip
                st.caption(T("opt.schedule_note"))

with clipping:
    if clipping.open:
        left, right = st.columns([1, 2.4], gap="large")
        with left:
            kinds = st.pills(T("opt.clip.kinds"), [p.name for p in O.CLIPPING], selection_mode="multi",
                             default=["clipnorm"], key="opt_clip_kinds", wrap=True,
                             format_func=lambda k: T(f"opt.hp.{k}"), **KEEP)  # fmt: skip
            c = control(O.CLIPPING[0], "opt_clip_c", T("opt.clip.c"))
            name = choose("opt.optimizer", list(O.OPTIMIZERS), "opt_clip_optimizer", opt_name)  # fmt: skip
            lr = control(LR._replace(default=0.1), "opt_clip_lr")
            for kind in kinds:
                st.latex(O.CLIPPING_LATEX[kind])
            st.caption(T("opt.clip.note"))
        hp = (("learning_rate", lr),)
        named = {T("opt.clip.none"): run(name, "cliff", None, 100, hp)}
        named |= {T(f"opt.clip.{k}", c=c): run(name, "cliff", None, 100, (*hp, (k, c))) for k in kinds}  # fmt: skip
        with right:
            st.plotly_chart(figures.clipping_figure(named, bound=lr * c if kinds else None, lang=lang), key="opt_clip_fig")  # fmt: skip
            warn_diverged(named, names=str)
            st.markdown(T("opt.clip.lesson"))

with batch:
    if batch.open:
        left, right = st.columns([1, 2.4], gap="large")
        with left:
            sizes = st.pills(T("opt.batch.sizes"), [1, 2, 4, 8, 16, 32, N], selection_mode="multi",
                             default=[1, 8, N], key="opt_batch_sizes", wrap=True, **KEEP)  # fmt: skip
            lr = st.select_slider(T("opt.hp.learning_rate"), [0.01, 0.02, 0.05, 0.1, 0.2, 0.3], 0.1, key="opt_batch_lr", **KEEP)  # fmt: skip
            steps = st.select_slider(T("opt.steps"), [20, 50, 100, 200], 100, key="opt_batch_steps", **KEEP)  # fmt: skip
            momentum = st.slider(T("opt.hp.momentum"), 0.0, 0.9, 0.0, 0.1, key="opt_batch_momentum", **KEEP)  # fmt: skip
            seed = st.number_input(T("common.seed"), 0, 9999, 0, key="opt_batch_seed", **KEEP)  # fmt: skip
            st.caption(T("opt.batch.data", n=N, w=DATA.true_w, b=f"{DATA.true_b:+g}".replace("-", "− ")))  # fmt: skip
        paths = {s: minibatch(s, steps, lr, int(seed), momentum=momentum) for s in sorted(sizes)}  # fmt: skip
        right.plotly_chart(figures.minibatch_figure(paths, DATA, lang=lang), key="opt_batch_fig")  # fmt: skip
        right.plotly_chart(figures.minibatch_loss_figure(paths, DATA, lang=lang), key="opt_batch_loss")  # fmt: skip
        right.markdown(T("opt.batch.lesson"))

with theory:
    if theory.open:
        left, right = st.columns([1, 1.3], gap="large")
        with left:
            kappa = control(KAPPA._replace(default=50.0), "opt_theory_kappa")
            runs = optimal_runs(kappa)
            for method in runs:
                st.markdown(f"**{T(f'opt.theory.{method}')}**")
                st.latex(O.THEORY_LATEX[method])
            st.dataframe(figures.theory_table(kappa, runs, lang).round(4))
        named, params = {T(f"opt.theory.{m}"): r for m, r in runs.items()}, {"condition_number": kappa}  # fmt: skip
        predicted = dict(zip(named, (O.gd_optimal(kappa)[1], O.heavy_ball_optimal(kappa)[2]), strict=True))  # fmt: skip
        right.plotly_chart(figures.contour_figure("quadratic", named, landscape_params=params, lang=lang), key="opt_theory_paths")  # fmt: skip
        c_dist, c_rates = st.columns(2, gap="large")
        c_dist.plotly_chart(figures.distance_figure(named, predicted=predicted, lang=lang), key="opt_theory_dist")  # fmt: skip
        c_rates.plotly_chart(figures.momentum_theory_figure(rates_by_kappa(), lang=lang), key="opt_theory_fig")  # fmt: skip
        st.markdown(T("opt.theory.lesson"))

with race:
    if race.open:
        left, right = st.columns([1, 2.4], gap="large")
        with left:
            names = st.multiselect(T("opt.optimizers"), list(O.OPTIMIZERS), RACE_DEFAULT, key="opt_race_optimizers",
                                   max_selections=5, format_func=opt_name, wrap=True, **KEEP)  # fmt: skip
            dataset = choose("opt.race.dataset", O.RACE_DATASETS, "opt_race_dataset", lambda d: T(f"opt.dataset.{d}"))  # fmt: skip
            epochs = st.select_slider(T("opt.race.epochs"), [5, 10, 20, 30], 10, key="opt_race_epochs", **KEEP)  # fmt: skip
            batch_size = st.select_slider(T("opt.race.batch_size"), [16, 32, 64, 128], 32, key="opt_race_batch", **KEEP)  # fmt: skip
            lr = st.select_slider(T("opt.hp.learning_rate"), [0.0, 0.001, 0.003, 0.01, 0.03, 0.1], 0.0, key="opt_race_lr",
                                  format_func=lambda v: f"{v:g}" if v else T("opt.race.keras_default"), **KEEP)  # fmt: skip
            st.caption(T("opt.race.note"))
        with right:
            if not names:
                st.info(T("opt.pick_one"))
            else:
                config = O.RaceConfig(optimizers=tuple((n, lr) if lr else n for n in names),
                                      dataset=dataset, epochs=epochs, batch_size=batch_size)  # fmt: skip
                result = training.run_task(O.train_race, config, lang=lang, key="opt_race", epochs=epochs, show_curves=False, run_names=lambda r: figures.race_label(r, lang),
                                           code=O.code_race(config), code_file="optimizer_race.py")  # fmt: skip
                if result is not None and len(result.history):
                    st.plotly_chart(figures.race_figure(result.history, dataset=dataset, epochs=epochs, lang=lang), key="opt_race_fig")  # fmt: skip
                    st.dataframe(figures.race_table(result.metrics, lang), hide_index=True)  # fmt: skip
