"""The home page's body: the curriculum map, tensors, and the training loop."""

from __future__ import annotations

import numpy as np
import streamlit as st

from dlcore import linreg, tensors
from dlcore.figures import home as figures
from dlcore.figures import theme
from ui import charts, shell, state
from ui.shell import translator as _tr  # T(key, **fmt) in lang

DATA = linreg.make_data()
N = len(DATA.x)
FLAVOURS = {"batch": N, "minibatch": 8, "stochastic": 1}  # flavour -> batch size
BATCH_SIZES = [1, 2, 4, 8, 16, 32, N]
RATES = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3]
STEPS = [20, 50, 100, 200]
#: Panels of a 3-D/4-D tensor per chart at full width (two: readable on a phone).
PANELS_PER_CHART = 2
#: Cards per row of the curriculum map.
CARDS_PER_ROW = 3


@st.cache_data(max_entries=64, show_spinner=False)
def run(batch_size: int, learning_rate: float, steps: int) -> linreg.Trajectory:
    return linreg.trajectory(
        DATA.x, DATA.y, learning_rate=learning_rate, batch_size=batch_size, steps=steps
    )


@st.cache_data(max_entries=4, show_spinner=False)
def surface() -> tuple[linreg.Grid, tuple[float, float]]:
    optimum = linreg.least_squares(DATA.x, DATA.y)
    w_range, b_range = linreg.view_ranges(linreg.DEFAULT_START, optimum)
    return linreg.loss_surface(DATA.x, DATA.y, w_range, b_range, 61), optimum


def step_number(index: int) -> str:
    """The label of step ``index`` (0-based in the data): counted from 1."""
    return str(index + 1)


def shape_text(shape: tuple[int, ...]) -> str:
    return str(tuple(shape))


def show_array(
    array: np.ndarray, axis_names, key: str, lang: str, full_width: bool = False
) -> None:
    """Small arrays as text (every number); large ones (or full width) as heatmaps.

    At full width the panels of a 3-D/4-D tensor go two to a chart, the charts
    side by side in columns: one row on a desktop, and on a phone (where
    columns stack) two panels per row instead of four squeezed into one.
    """
    text, chart = array.size <= 64, array.size > 64 or (full_width and array.ndim >= 2)
    left, right = st.columns([2, 3]) if text and chart else (st.container(),) * 2
    if text:
        left.code(tensors.to_text(array), language="python")
    if not chart:
        return
    if not full_width:
        fig = figures.array_figure(
            array,
            axis_names=axis_names,
            lang=lang,
            columns=2,
            height=theme.TALL_HEIGHT,
        )
        charts.plotly(fig, key=key, where=right)
        return
    groups = figures.panel_groups(array, per_chart=PANELS_PER_CHART)
    cells = right.columns(len(groups)) if len(groups) > 1 else [right]
    for i, (cell, group) in enumerate(zip(cells, groups, strict=True)):
        fig = figures.array_figure(
            array, axis_names=axis_names, lang=lang, panels=group
        )
        charts.plotly(fig, key=key if i == 0 else f"{key}_{i}", where=cell)


def curriculum(lang: str) -> None:
    """One card per page of the registry, in curriculum order.

    Laid out row by row (one ``st.columns`` per row of cards): on a phone the
    columns stack, and the cards still come in curriculum order (one
    ``st.columns(3)`` for all cards would stack column by column: 1, 4, 2, 5…).
    """
    T = _tr(lang)
    st.header(T("home.map.title"))
    pages = shell.available_pages()
    for start in range(0, len(pages), CARDS_PER_ROW):
        cards = pages[start : start + CARDS_PER_ROW]
        row = st.columns(CARDS_PER_ROW)[: len(cards)]  # a last row may be short
        for column, spec in zip(row, cards, strict=True):
            with column.container(border=True):
                shell.page_link(spec.slug, lang)
                st.caption(T(spec.about_key))


@st.fragment
def tensor_section(lang: str) -> None:
    """Tensors 0-D…4-D, reshape and transpose (a fragment: reruns alone)."""
    T = _tr(lang)
    st.header(T("home.tensor.title"))
    st.markdown(T("home.tensor.intro"))
    kind = state.select(
        "home_kind",
        T("home.tensor.kind"),
        tensors.KINDS,
        "images",
        widget="segmented",
        format_func=lambda k: T(f"home.kind.{k}"),
    )
    array = tensors.example(kind)
    info = tensors.describe(array)
    st.markdown(T(f"home.kind_desc.{kind}"))
    # A wrapping row: one line on a desktop, two per line on a phone (four
    # st.columns would stack into four full-width rows).
    with st.container(horizontal=True, gap="large"):
        for name in ("shape", "ndim", "dtype", "size"):
            value = shape_text(info["shape"]) if name == "shape" else str(info[name])
            st.metric(T(f"home.tensor.{name}"), value, width="content")
    show_array(array, tensors.AXES[kind], "home_fig_tensor", lang, full_width=True)
    if kind == "images":
        labels = ", ".join(map(str, tensors.example_labels()))
        st.caption(T("home.tensor.labels", labels=labels))
    if info["ndim"] == 0:
        st.info(T("home.tensor.scalar_note"))
        return
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(T("home.tensor.reshape"))
        target = state.select(
            f"home_reshape_{kind}",
            T("home.tensor.reshape_to"),
            tensors.valid_reshapes(info["shape"]),
            tensors.DEFAULT_RESHAPE[kind],
            format_func=shape_text,
        )
        reshaped = array.reshape(target)
        st.markdown(T("home.tensor.result", shape=shape_text(reshaped.shape)))
        show_array(reshaped, None, "home_fig_reshaped", lang)
        st.markdown(T("home.tensor.reshape_note"))
    with right:
        st.subheader(T("home.tensor.transpose"))
        axes = state.select(
            f"home_perm_{kind}",
            T("home.tensor.transpose_axes"),
            tensors.permutations(info["ndim"]),
            tensors.DEFAULT_PERMUTATION[kind],
            format_func=lambda p: f"np.transpose(x, {p})",
        )
        transposed = tensors.transpose(array, axes)
        st.markdown(T("home.tensor.result", shape=shape_text(transposed.shape)))
        names = [tensors.AXES[kind][a] for a in axes]
        show_array(transposed, names, "home_fig_transposed", lang)
        st.markdown(T("home.tensor.transpose_note"))


def _on_flavour() -> None:
    if st.session_state.home_flavour is not None:
        st.session_state.home_batch = FLAVOURS[st.session_state.home_flavour]


def _on_batch() -> None:
    size = st.session_state.home_batch
    st.session_state.home_flavour = next(
        (p for p, s in FLAVOURS.items() if s == size), None
    )


def _next_step() -> None:
    last = st.session_state.home_steps - 1
    st.session_state.home_step = min(st.session_state.home_step + 1, last)


def _reset_step() -> None:
    st.session_state.home_step = 0


def _loop_controls(lang: str) -> tuple[int, float, int]:
    T = _tr(lang)
    c_method, c_lr, c_steps = st.columns([3, 2, 2], gap="large")
    with c_method:
        batch_size = state.select(
            "home_batch",
            T("home.loop.batch_size"),
            BATCH_SIZES,
            8,
            widget="select_slider",
            on_change=_on_batch,
        )
        # The flavour buttons are a shortcut for the batch size (not in the URL).
        st.session_state.home_flavour = next(
            (p for p, s in FLAVOURS.items() if s == batch_size), None
        )
        st.segmented_control(
            T("home.loop.method"),
            list(FLAVOURS),
            key="home_flavour",
            format_func=lambda p: T(f"home.preset.{p}"),
            on_change=_on_flavour,
        )
    with c_lr:
        learning_rate = state.select(
            "home_lr", T("home.loop.lr"), RATES, 0.1, widget="select_slider"
        )
    with c_steps:
        steps = state.select(
            "home_steps", T("home.loop.steps"), STEPS, 50, widget="select_slider"
        )
    return batch_size, learning_rate, steps


@st.fragment
def loop_section(lang: str) -> None:
    """One-neuron linear regression trained step by step (a fragment)."""
    T = _tr(lang)
    st.header(T("home.loop.title"))
    st.markdown(T("home.loop.intro"))
    batch_size, learning_rate, steps = _loop_controls(lang)
    traj = run(batch_size, learning_rate, steps)
    grid, optimum = surface()

    c_step, c_next, c_reset, c_play = st.columns(
        [6, 1.3, 1.3, 2], vertical_alignment="bottom"
    )
    if st.session_state.get("home_step", 0) > steps - 1:
        st.session_state.home_step = steps - 1  # fewer steps than before
    with c_step:
        # The value (and the URL's ``home_step``) is the 0-based index of the
        # step, as in the data; every label counts from 1: "Step 1 … 50",
        # like the text below and the animation.
        step = state.select(
            "home_step",
            T("home.loop.step"),
            range(steps),
            0,
            widget="select_slider",
            format_func=step_number,
        )
    c_next.button(
        T("home.loop.next"), key="home_next", on_click=_next_step, width="stretch"
    )
    c_reset.button(
        T("home.loop.reset"), key="home_reset", on_click=_reset_step, width="stretch"
    )
    with c_play:
        play = state.toggle(
            "home_play", T("home.loop.play"), help=T("home.loop.play_help")
        )

    if not np.all(np.isfinite(traj.loss)):
        st.warning(T("home.loop.diverged"), icon=":material/warning:")
    if play:
        fig = figures.animation_figure(DATA, grid, traj, start_step=step, lang=lang)
        charts.plotly(fig, key="home_fig_anim")
        st.caption(T("home.loop.play_note"))
    else:
        fig_a, fig_b = st.columns(2)
        fig = figures.fit_figure(DATA, traj, step, lang=lang)
        charts.plotly(fig, key="home_fig_fit", where=fig_a)
        fig = figures.surface_figure(grid, traj, step, optimum, lang=lang)
        charts.plotly(fig, key="home_fig_surface", where=fig_b)

    details = linreg.step_details(DATA, traj, step)
    status = dict(step=step + 1, steps=steps, epoch=details["epoch"], m=batch_size, n=N)
    st.markdown(T("home.loop.status", **status))
    latex = linreg.phase_latex(details)
    cells = [*st.columns(2), *st.columns(2)]
    phases = ("forward", "loss", "gradient", "update")
    for cell, phase in zip(cells, phases, strict=True):
        with cell.container(border=True):
            st.markdown(
                f"**{T(f'home.phase.{phase}')}** · {T(f'home.phase.{phase}.note')}"
            )
            st.latex(latex[phase])

    note = st.container()
    if not play:  # (the animation already shows the loss)
        c_loss, note = st.columns([3, 2], gap="large")
        fig = figures.loss_figure(traj, step, lang=lang)
        charts.plotly(fig, key="home_fig_loss", where=c_loss)
    with note:
        st.markdown(T("home.loop.noise_note"))
        best = float(linreg.mse(DATA.x, DATA.y, *optimum))
        st.caption(
            T(
                "home.loop.final",
                steps=steps,
                w=traj.w[-1],
                b=traj.b[-1],
                loss=traj.loss[-1],
                w_star=optimum[0],
                b_star=optimum[1],
                loss_star=best,
            )
        )
