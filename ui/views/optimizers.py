"""The Optimizers page's body: the landscape explorer and five lessons.

One function per tab (:data:`TABS`). Every control goes through :mod:`ui.state`
(the URL holds option ids, numbers and the tab's slug, never a label) and every
chart through :func:`ui.charts.plotly`.

Two callbacks set other controls, both through :func:`ui.state.apply`:

- choosing a landscape (:func:`_on_landscape`) starts at the landscape's start
  point with learning rates that suit it, the values
  :func:`dlcore.optimizers.landscape_controls` computes (the explorer's presets
  carry the same values);
- a click on the landscape (:func:`_on_pick`) moves the start point there.

Each landscape has its own start-point controls (``opt_<landscape>_x0``/``_y0``,
:func:`dlcore.optimizers.start_keys`): their ranges are the landscape's window,
so a value is only ever checked against the window it belongs to.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

from dlcore import optimizers as O
from dlcore.figures import optimizers as figures
from dlcore.i18n import t
from dlcore.optimizers import landscapes
from dlcore.optimizers.landscapes import HyperParam
from ui import charts, shell, state, training

#: The page's tabs (ids in the URL: ``?opt_tab=<id>``).
TABS = ("explore", "schedules", "clipping", "batch", "theory", "race")
TINTS = ("blue", "orange", "green", "red", "violet")  # = theme.COLORS[:5], the paths
LANDS = list(landscapes.LANDSCAPES)
KAPPA = landscapes.LANDSCAPES["quadratic"].params[0]
LR = O.OPTIMIZERS["sgd"].hyperparams[0]  # the learning-rate slider spec
DATA = O.regression_data()
N = len(DATA.x)
EXPLORE_OPTIMIZERS = ["sgd", "momentum", "rmsprop", "adam"]
EXPLORE_STEPS = [50, 100, 200, 300, 500]
RACE = O.RaceConfig()  # the race controls' defaults


def _names(lang: str) -> Callable[[str], str]:
    """An optimizer's display name in ``lang`` (``"momentum"`` → "SGD + momentum")."""
    return lambda name: shell.translator(lang)(f"opt.name.{name}")


def schedule_label(name: str, params: Mapping[str, Any], lang: str) -> str:
    """A schedule's legend name; the cosine names its warm-up when it has one."""
    warmup = int(params.get("warmup_steps", 0)) if name == "cosine" else 0
    if warmup:
        return t("opt.schedule.cosine_warmup", lang, count=warmup)
    return t(f"opt.schedule.{name}", lang)


# --- cached computations (shared by every session) ------------------------------------


@st.cache_data(max_entries=512, show_spinner=False)
def _run(name, land, start, steps, hp: tuple, schedule=None, sched: tuple = ()):
    return O.run(
        name,
        land,
        start,
        steps,
        schedule=schedule,
        schedule_params=dict(sched),
        **dict(hp),
    )


@st.cache_resource(max_entries=32, show_spinner=False)  # read-only figures, shared
def _explorer(land, params: tuple, start, steps, settings: tuple, lang: str):
    name_of = _names(lang)
    runs = {n: _run(n, land, start, steps, params + hp) for n, hp in settings}
    named = {name_of(n): r for n, r in runs.items()}
    anim = figures.animation_figure(
        land,
        named,
        landscape_params=dict(params),
        click_grid=31,
        lang=lang,
        height=620,
    )
    return runs, named, anim, figures.loss_figure(named, lang=lang)


_minibatch = st.cache_data(max_entries=64, show_spinner=False)(O.minibatch_path)
_optimal_runs = st.cache_data(max_entries=64, show_spinner=False)(O.optimal_runs)
_rates_by_kappa = st.cache_data(max_entries=2, show_spinner=False)(O.momentum_theory)


# --- controls -------------------------------------------------------------------------


def control(
    p: HyperParam, key: str, label: str, *, options: Sequence[float] | None = None
) -> Any:
    """The control for slider spec ``p``: a toggle, a log-scale select slider
    (``options``, default :func:`dlcore.optimizers.slider_options`) or a slider."""
    if p.kind == "bool":
        return state.toggle(key, label, bool(p.default))
    if p.log:
        return state.select(
            key,
            label,
            options or O.slider_options(p),
            p.default,
            format_func="{:g}".format,
            widget="select_slider",
        )
    cast, digits = (int, 0) if p.kind == "int" else (float, len(f"{p.step:g}") - 2)
    return state.slider(
        key,
        label,
        cast(p.min),
        cast(p.max),
        cast(p.default),
        cast(p.step),
        format=f"%.{max(digits, 0)}f",
    )


def _optimizers(key: str, label: str, default: Sequence[str], lang: str) -> list[str]:
    """Up to :data:`dlcore.optimizers.MAX_OPTIMIZERS` optimizers, by registry name."""
    return state.multiselect(
        key,
        label,
        list(O.OPTIMIZERS),
        default,
        format_func=_names(lang),
        max_selections=O.MAX_OPTIMIZERS,
        wrap=True,
    )


def _on_landscape() -> None:
    """A new landscape: start at its start point, with learning rates that suit it."""
    state.apply(O.landscape_controls(st.session_state["opt_landscape"]))


def _on_pick() -> None:
    """A click on the chart: every optimizer starts at that point."""
    points = st.session_state["opt_anim"].selection.points
    land = landscapes.LANDSCAPES[st.session_state["opt_landscape"]]
    keys = O.start_keys(land.name)
    if not points or "x" not in points[0] or any(state.is_fixed(k) for k in keys):
        return
    state.apply(
        {
            key: round(min(max(float(points[0][axis]), low), high), 2)
            for key, axis, (low, high) in zip(
                keys, "xy", (land.x_range, land.y_range), strict=True
            )
        }
    )


def _warn_diverged(runs: Mapping[str, Any], names: Callable[[str], str], lang: str):
    T = shell.translator(lang)
    for name, result in runs.items():
        if result.diverged:
            st.warning(
                T("opt.diverged", name=names(name), step=result.diverged_step),
                icon=":material/warning:",
            )


# --- the tabs -------------------------------------------------------------------------


def explore(lang: str) -> None:
    """Up to five optimizers on a landscape: the animated paths, their update
    rules and hyper-parameters, loss and distance to the minimum."""
    T, name_of = shell.translator(lang), _names(lang)
    left, right = st.columns([1, 2.4], gap="large")
    with left:
        land = state.select(
            "opt_landscape",
            T("opt.landscape"),
            LANDS,
            "quadratic",
            format_func=lambda n: T(f"opt.land.{n}"),
            on_change=_on_landscape,
        )
        spec = landscapes.LANDSCAPES[land]
        params: tuple = ()
        if land == "quadratic":
            kappa = control(KAPPA, "opt_kappa", T("opt.hp.condition_number"))
            params = (("condition_number", kappa),)
        names = _optimizers(
            "opt_optimizers", T("opt.optimizers"), EXPLORE_OPTIMIZERS, lang
        )
        steps = state.select(
            "opt_steps", T("opt.steps"), EXPLORE_STEPS, 200, widget="select_slider"
        )
        x_key, y_key = O.start_keys(land)
        cx, cy = st.columns(2)
        with cx:
            x0 = state.slider(
                x_key, T("opt.start_x"), *spec.x_range, spec.start[0], 0.01
            )
        with cy:
            y0 = state.slider(
                y_key, T("opt.start_y"), *spec.y_range, spec.start[1], 0.01
            )
        st.caption(T("opt.pick_help"))
        surface = state.toggle("opt_surface", T("opt.surface"))
    if not names:
        right.info(T("opt.pick_one"))
        return
    st.subheader(T("opt.rules"))
    st.caption(T("opt.rules_note"))
    labels = [f":{TINTS[i]}[**{name_of(n)}**]" for i, n in enumerate(names)]
    settings = []
    for name, tab in zip(names, st.tabs(labels), strict=True):
        c_hp, c_rule = tab.columns([2, 3], gap="large")
        hp = {}
        with c_hp:
            # Learning rates default to what suits this landscape; the choices
            # (and so the URL ids) are the same on every landscape.
            registry = O.OPTIMIZERS[name].hyperparams
            for p, base in zip(O.controls(name, land), registry, strict=True):
                options = O.slider_options(base) if p.log else None
                key, label = f"opt_{name}_{p.name}", T(O.label_key(name, p.name))
                hp[p.name] = control(p, key, label, options=options)
        c_rule.latex(O.update_rule_latex(name, **hp))
        c_rule.code(O.keras_call(name, **hp), language="python")
        if "weight_decay" in hp:  # AdamW: decoupled decay, not an L2 penalty
            c_rule.markdown(T("opt.adamw.decoupled"))
        c_rule.caption(T("opt.reference", ref=O.OPTIMIZERS[name].reference))
        settings.append((name, tuple(hp.items())))
    try:
        runs, named, anim, loss_fig = _explorer(
            land, params, (x0, y0), steps, tuple(settings), lang
        )
    except ValueError as error:  # a setting Keras refuses: a message
        st.error(T("opt.bad_setting", error=error), icon=":material/error:")
        return
    with right:
        st.latex(spec.latex)
        charts.plotly(anim, key="opt_anim", on_select=_on_pick, selection_mode="points")
        _warn_diverged(runs, name_of, lang)
    left, right = st.columns(2)
    charts.plotly(loss_fig, key="opt_loss", where=left)
    distance = figures.distance_figure(named, lang=lang)
    charts.plotly(distance, key="opt_dist", where=right)
    if surface:
        charts.plotly(
            figures.surface_figure(
                land, named, landscape_params=dict(params), lang=lang
            ),
            key="opt_surface_fig",
        )


def schedules(lang: str) -> None:
    """A Keras learning-rate schedule against a constant rate: the rates and
    the two paths."""
    T, name_of = shell.translator(lang), _names(lang)
    left, right = st.columns([1, 2.4], gap="large")
    with left:
        sched = state.select(
            "opt_sched",
            T("opt.schedule"),
            list(O.SCHEDULES)[1:],
            "cosine",
            format_func=lambda s: T(f"opt.schedule.{s}"),
        )
        sp = tuple(
            (p.name, control(p, f"opt_sched_{sched}_{p.name}", T(f"opt.hp.{p.name}")))
            for p in O.SCHEDULES[sched].params
        )
        name = state.select(
            "opt_sched_optimizer",
            T("opt.optimizer"),
            list(O.OPTIMIZERS),
            "rmsprop",
            format_func=name_of,
        )
        # η₀ = 0.3: at a constant rate RMSprop keeps bouncing around the
        # minimum (distance ≈ 0.2), the decayed rate settles on it.
        lr = control(LR._replace(default=0.3), "opt_sched_lr", T("opt.hp.initial_lr"))
        land = state.select(
            "opt_sched_landscape",
            T("opt.landscape"),
            LANDS,
            "quadratic",
            format_func=lambda n: T(f"opt.land.{n}"),
        )
    hp = (("learning_rate", lr),)
    right.latex(O.schedule_latex(sched, **dict(sp)))
    right.caption(T("opt.schedule_t"))
    try:
        runs = {
            "constant": _run(name, land, None, 300, hp),
            sched: _run(name, land, None, 300, hp, sched, sp),
        }
    except ValueError as error:
        right.error(T("opt.bad_setting", error=error), icon=":material/error:")
        return
    constant = T("opt.schedule.constant")
    named = {
        constant: runs["constant"],
        schedule_label(sched, dict(sp), lang): runs[sched],
    }
    rates = {label: r.learning_rates for label, r in named.items()}
    with right:
        charts.plotly(figures.schedule_figure(rates, lang=lang), key="opt_sched_fig")
        charts.plotly(  # the constant path dashed: visible where the two coincide
            figures.contour_figure(land, named, dashed=[constant], lang=lang),
            key="opt_sched_paths",
        )
        _warn_diverged(named, str, lang)
        charts.plotly(figures.loss_figure(named, lang=lang), key="opt_sched_loss")
        st.caption(T("opt.schedule_note"))


def clipping(lang: str) -> None:
    """Gradient clipping at the cliff: paths and step lengths with and without."""
    T, name_of = shell.translator(lang), _names(lang)
    left, right = st.columns([1, 2.4], gap="large")
    with left:
        kinds = state.multiselect(
            "opt_clip_kinds",
            T("opt.clip.kinds"),
            [p.name for p in O.CLIPPING],
            ["clipnorm"],
            widget="pills",
            format_func=lambda k: T(f"opt.hp.{k}"),
            wrap=True,
        )
        c = control(O.CLIPPING[0], "opt_clip_c", T("opt.clip.c"))
        name = state.select(
            "opt_clip_optimizer",
            T("opt.optimizer"),
            list(O.OPTIMIZERS),
            "sgd",
            format_func=name_of,
        )
        lr = control(LR._replace(default=0.1), "opt_clip_lr", T("opt.hp.learning_rate"))
        for kind in kinds:
            st.latex(O.CLIPPING_LATEX[kind])
        st.caption(T("opt.clip.note"))
    hp = (("learning_rate", lr),)
    named = {T("opt.clip.none"): _run(name, "cliff", None, 100, hp)}
    for kind in kinds:
        named[T(f"opt.clip.{kind}", c=c)] = _run(
            name, "cliff", None, 100, (*hp, (kind, c))
        )
    with right:
        bound = lr * c if kinds else None
        # Paths and step lengths side by side on a wide screen, one under the
        # other on a phone (a two-panel figure was too narrow there).
        paths, lengths = st.columns([1.2, 1], gap="medium")
        charts.plotly(
            figures.clipping_figure(named, lang=lang), key="opt_clip_fig", where=paths
        )
        charts.plotly(
            figures.step_length_figure(named, bound=bound, lang=lang),
            key="opt_clip_steps",
            where=lengths,
        )
        _warn_diverged(named, str, lang)
        st.markdown(T("opt.clip.lesson"))


def batch(lang: str) -> None:
    """Mini-batch SGD on a linear regression's MSE: noisy small batches, exact
    full batch."""
    T = shell.translator(lang)
    left, right = st.columns([1, 2.4], gap="large")
    with left:
        sizes = state.multiselect(
            "opt_batch_sizes",
            T("opt.batch.sizes"),
            [1, 2, 4, 8, 16, 32, N],
            [1, 8, N],
            widget="pills",
            wrap=True,
        )
        lr = state.select(
            "opt_batch_lr",
            T("opt.hp.learning_rate"),
            [0.01, 0.02, 0.05, 0.1, 0.2, 0.3],
            0.1,
            widget="select_slider",
        )
        steps = state.select(
            "opt_batch_steps",
            T("opt.steps"),
            [20, 50, 100, 200],
            100,
            widget="select_slider",
        )
        momentum = state.slider(
            "opt_batch_momentum", T("opt.hp.momentum"), 0.0, 0.9, 0.0, 0.1
        )
        seed = state.number("opt_batch_seed", T("common.seed"), 0, 9999, 0, 1)
        b = f"{DATA.true_b:+g}".replace("-", "− ")
        st.caption(T("opt.batch.data", n=N, w=DATA.true_w, b=b))
    paths = {
        s: _minibatch(s, steps, lr, int(seed), momentum=momentum) for s in sorted(sizes)
    }
    with right:
        charts.plotly(
            figures.minibatch_figure(paths, DATA, lang=lang), key="opt_batch_fig"
        )
        charts.plotly(
            figures.minibatch_loss_figure(paths, DATA, lang=lang),
            key="opt_batch_loss",
        )
        st.markdown(T("opt.batch.lesson"))


def theory(lang: str) -> None:
    """Why momentum works: Goh's optimal settings, predicted and measured rates."""
    T = shell.translator(lang)
    left, right = st.columns([1, 1.3], gap="large")
    with left:
        kappa = control(
            KAPPA._replace(default=50.0),
            "opt_theory_kappa",
            T("opt.hp.condition_number"),
        )
        runs = _optimal_runs(kappa)
        for method in runs:
            st.markdown(f"**{T(f'opt.theory.{method}')}**")
            st.latex(O.THEORY_LATEX[method])
        st.dataframe(figures.theory_table(kappa, runs, lang).round(4))
    named = {T(f"opt.theory.{m}"): r for m, r in runs.items()}
    rates = (O.gd_optimal(kappa)[1], O.heavy_ball_optimal(kappa)[2])
    predicted = dict(zip(named, rates, strict=True))
    charts.plotly(
        figures.contour_figure(
            "quadratic",
            named,
            landscape_params={"condition_number": kappa},
            lang=lang,
        ),
        key="opt_theory_paths",
        where=right,
    )
    c_dist, c_rates = st.columns(2, gap="large")
    charts.plotly(
        figures.distance_figure(named, predicted=predicted, lang=lang),
        key="opt_theory_dist",
        where=c_dist,
    )
    charts.plotly(
        figures.momentum_theory_figure(_rates_by_kappa(), lang=lang),
        key="opt_theory_fig",
        where=c_rates,
    )
    st.markdown(T("opt.theory.lesson"))


def race(lang: str) -> None:
    """The race on a real network: one model, the same initial weights, several
    optimizers (a training task, with its exported script)."""
    T = shell.translator(lang)
    left, right = st.columns([1, 2.4], gap="large")
    with left:
        names = _optimizers(
            "opt_race_optimizers", T("opt.optimizers"), list(RACE.optimizers), lang
        )
        dataset = state.select(
            "opt_race_dataset",
            T("opt.race.dataset"),
            O.RACE_DATASETS,
            RACE.dataset,
            format_func=lambda d: T(f"opt.dataset.{d}"),
        )
        epochs = state.select(
            "opt_race_epochs",
            T("opt.race.epochs"),
            O.RACE_EPOCHS,
            RACE.epochs,
            widget="select_slider",
        )
        batch_size = state.select(
            "opt_race_batch",
            T("opt.race.batch_size"),
            O.RACE_BATCH_SIZES,
            RACE.batch_size,
            widget="select_slider",
        )
        lr = state.select(
            "opt_race_lr",
            T("opt.hp.learning_rate"),
            O.RACE_LEARNING_RATES,
            0.0,
            widget="select_slider",
            format_func=lambda v: f"{v:g}" if v else T("opt.race.keras_default"),
        )
        st.caption(T("opt.race.note"))
    with right:
        if not names:
            st.info(T("opt.pick_one"))
            return
        config = O.RaceConfig(
            optimizers=tuple((n, lr) if lr else n for n in names),
            dataset=dataset,
            epochs=epochs,
            batch_size=batch_size,
        )
        training.run_task(
            O.train_race,
            config,
            lang=lang,
            key="opt_race",
            epochs=epochs,
            show_curves=False,
            run_names=lambda r: figures.race_label(r, lang),
            code=O.code_race(config),
            code_file="optimizer_race.py",
            render=lambda config, result, tag: _race_result(config, result, tag, lang),
        )


def _race_result(config: O.RaceConfig, result: Any, tag: str, lang: str) -> None:
    """A finished race (``tag="final"``), or the last one while a new race
    trains (``"previous"``): drawn inside the training slot, never greyed."""
    if not len(result.history):
        return
    # Side by side on a wide screen, one under the other on a phone.
    for metric, where in zip(("loss", "val_accuracy"), st.columns(2), strict=True):
        fig = figures.race_figure(
            result.history,
            metric=metric,
            dataset=config.dataset,
            epochs=config.epochs,
            lang=lang,
        )
        charts.plotly(fig, key=f"opt_race_{metric}_{tag}", where=where)
    st.dataframe(
        figures.race_table(result.metrics, lang),
        hide_index=True,
        key=f"opt_race_table_{tag}",
    )
