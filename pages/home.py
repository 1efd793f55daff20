"""Home: what the app teaches, tensors from 0-D to 4-D, and the training loop step by step."""

import numpy as np
import streamlit as st

from dlcore import linreg, tensors
from dlcore.figures import home as figures
from dlcore.figures import theme
from ui import shell

lang = shell.page("home")
T = shell.translator(lang)

DATA = linreg.make_data()
N = len(DATA.x)
PRESETS = {"batch": N, "minibatch": 8, "stochastic": 1}  # flavour -> batch size
BATCH_SIZES = [1, 2, 4, 8, 16, 32, N]
RATES = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3]
STEPS = [20, 50, 100, 200]


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


def show_array(
    array: np.ndarray, axis_names, key: str, full_width: bool = False
) -> None:
    """Small arrays as text (every number); large ones (or full width) as heatmaps."""
    text, chart = array.size <= 64, array.size > 64 or (full_width and array.ndim >= 2)
    left, right = st.columns([2, 3]) if text and chart else (st.container(),) * 2
    if text:
        left.code(tensors.to_text(array), language="python")
    if chart:
        size = {} if full_width else {"columns": 2, "height": theme.TALL_HEIGHT}
        fig = figures.array_figure(array, axis_names=axis_names, lang=lang, **size)
        right.plotly_chart(fig, key=key)


def shape_text(shape: tuple[int, ...]) -> str:
    return str(tuple(shape))


st.title(T("home.title"))
st.markdown(T("home.intro"))

# --- 1. the curriculum ---------------------------------------------------------------
st.header(T("home.map.title"))
columns = st.columns(3)
for i, spec in enumerate(shell.available_pages()):
    with columns[i % 3].container(border=True):
        shell.page_link(spec.slug, lang)
        st.caption(T(f"home.about.{spec.slug}"))


# --- 2. tensors (a fragment: its widgets rerun only this section) ---------------------
@st.fragment
def tensor_section() -> None:
    st.header(T("home.tensor.title"))
    st.markdown(T("home.tensor.intro"))
    kind = st.segmented_control(
        T("home.tensor.kind"), tensors.KINDS, key="home_kind", default="images",
        required=True, format_func=lambda k: T(f"home.kind.{k}"),
    )  # fmt: skip
    array = tensors.example(kind)
    info = tensors.describe(array)
    st.markdown(T(f"home.kind_desc.{kind}"))
    for column, name in zip(
        st.columns(4), ("shape", "ndim", "dtype", "size"), strict=True
    ):
        value = shape_text(info["shape"]) if name == "shape" else str(info[name])
        column.metric(T(f"home.tensor.{name}"), value)
    show_array(array, tensors.AXES[kind], "home_fig_tensor", full_width=True)
    if kind == "images":
        labels = ", ".join(map(str, tensors.example_labels()))
        st.caption(T("home.tensor.labels", labels=labels))
    if info["ndim"] == 0:
        st.info(T("home.tensor.scalar_note"))
        return
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(T("home.tensor.reshape"))
        shapes = tensors.valid_reshapes(info["shape"])
        target = st.selectbox(
            T("home.tensor.reshape_to"), shapes, key=f"home_reshape_{kind}",
            index=shapes.index(tensors.DEFAULT_RESHAPE[kind]), format_func=shape_text,
        )  # fmt: skip
        reshaped = array.reshape(target)
        st.markdown(T("home.tensor.result", shape=shape_text(reshaped.shape)))
        show_array(reshaped, None, "home_fig_reshaped")
        st.markdown(T("home.tensor.reshape_note"))
    with right:
        st.subheader(T("home.tensor.transpose"))
        orders = tensors.permutations(info["ndim"])
        axes = st.selectbox(
            T("home.tensor.transpose_axes"), orders, key=f"home_perm_{kind}",
            index=orders.index(tensors.DEFAULT_PERMUTATION[kind]),
            format_func=lambda p: f"np.transpose(x, {p})",
        )  # fmt: skip
        transposed = tensors.transpose(array, axes)
        st.markdown(T("home.tensor.result", shape=shape_text(transposed.shape)))
        names = [tensors.AXES[kind][a] for a in axes]
        show_array(transposed, names, "home_fig_transposed")
        st.markdown(T("home.tensor.transpose_note"))


tensor_section()


# --- 3. the training loop (a fragment: the scrubber only redraws this section) ---------
def on_preset() -> None:
    if st.session_state.home_preset is not None:
        st.session_state.home_batch = PRESETS[st.session_state.home_preset]


def on_batch() -> None:
    size = st.session_state.home_batch
    st.session_state.home_preset = next(
        (p for p, s in PRESETS.items() if s == size), None
    )


def next_step() -> None:
    last = st.session_state.home_steps - 1
    st.session_state.home_step = min(st.session_state.home_step + 1, last)


def reset_step() -> None:
    st.session_state.home_step = 0


@st.fragment
def loop_section() -> None:
    st.header(T("home.loop.title"))
    st.markdown(T("home.loop.intro"))
    c_method, c_lr, c_steps = st.columns([3, 2, 2], gap="large")
    c_method.segmented_control(
        T("home.loop.method"), list(PRESETS), key="home_preset", default="minibatch",
        format_func=lambda p: T(f"home.preset.{p}"), on_change=on_preset,
    )  # fmt: skip
    batch_size = c_method.select_slider(
        T("home.loop.batch_size"), BATCH_SIZES, 8, key="home_batch", on_change=on_batch
    )
    learning_rate = c_lr.select_slider(T("home.loop.lr"), RATES, 0.1, key="home_lr")
    steps = c_steps.select_slider(T("home.loop.steps"), STEPS, 50, key="home_steps")
    traj = run(batch_size, learning_rate, steps)
    grid, optimum = surface()

    c_step, c_next, c_reset, c_play = st.columns(
        [6, 1.3, 1.3, 2], vertical_alignment="bottom"
    )
    step = c_step.slider(T("home.loop.step"), 0, steps - 1, 0, key="home_step")
    c_next.button(
        T("home.loop.next"), key="home_next", on_click=next_step, width="stretch"
    )
    c_reset.button(
        T("home.loop.reset"), key="home_reset", on_click=reset_step, width="stretch"
    )
    play = c_play.toggle(
        T("home.loop.play"), key="home_play", help=T("home.loop.play_help")
    )

    if not np.all(np.isfinite(traj.loss)):
        st.warning(T("home.loop.diverged"), icon=":material/warning:")
    if play:
        fig = figures.animation_figure(DATA, grid, traj, start_step=step, lang=lang)
        st.plotly_chart(fig, key="home_fig_anim")
        st.caption(T("home.loop.play_note"))
    else:
        fig_a, fig_b = st.columns(2)
        fig_a.plotly_chart(
            figures.fit_figure(DATA, traj, step, lang=lang), key="home_fig_fit"
        )
        fig = figures.surface_figure(grid, traj, step, optimum, lang=lang)
        fig_b.plotly_chart(fig, key="home_fig_surface")

    details = linreg.step_details(DATA, traj, step)
    status = dict(step=step + 1, steps=steps, epoch=details["epoch"], m=batch_size, n=N)
    st.markdown(T("home.loop.status", **status))
    latex = linreg.phase_latex(details)
    cells = [*st.columns(2), *st.columns(2)]
    for cell, phase in zip(
        cells, ("forward", "loss", "gradient", "update"), strict=True
    ):
        with cell.container(border=True):
            st.markdown(
                f"**{T(f'home.phase.{phase}')}** · {T(f'home.phase.{phase}.note')}"
            )
            st.latex(latex[phase])

    note = st.container()
    if not play:  # (the animation already shows the loss)
        c_loss, note = st.columns([3, 2], gap="large")
        c_loss.plotly_chart(
            figures.loss_figure(traj, step, lang=lang), key="home_fig_loss"
        )
    with note:
        st.markdown(T("home.loop.noise_note"))
        best = float(linreg.mse(DATA.x, DATA.y, *optimum))
        st.caption(
            T("home.loop.final", steps=steps, w=traj.w[-1], b=traj.b[-1], loss=traj.loss[-1],
              w_star=optimum[0], b_star=optimum[1], loss_star=best)
        )  # fmt: skip


loop_section()
