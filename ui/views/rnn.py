"""Sections of the RNN page (``pages/rnn.py``): the recurrence step by step and
the shapes. Training sections are in :mod:`ui.views.rnn_train`.

Every number is computed by :mod:`dlcore.rnn` from a real Keras layer's
weights; every control goes through :mod:`ui.state` (keys ``rnn_…``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from dlcore import rnn
from dlcore.figures import rnn as figures
from ui import charts, state
from ui.shell import translator as _tr

#: Tab ids of the page, in order (``?rnn_tab=<id>``).
TABS: tuple[str, ...] = ("step", "shapes", "memory", "text")
STEP_UNITS, STEP_FEATURES, STEP_TIMESTEPS = 3, 2, 6


@st.cache_resource(max_entries=16, show_spinner=False)
def tiny_layer(cell: str, seed: int):
    """A built tiny recurrent layer (3 units, 2 features) and its input (6 steps)."""
    layer = rnn.recurrent_layer(cell, STEP_UNITS, seed=seed, return_sequences=True)
    rng = np.random.default_rng(seed)
    x = np.round(rng.normal(0, 1, (1, STEP_TIMESTEPS, STEP_FEATURES)), 1)
    keras_states = np.asarray(layer(x.astype(np.float32)))  # builds the layer
    return layer, x.astype(np.float32), keras_states


def _vector(values) -> str:
    return "[" + ", ".join(f"{v:+.3f}" for v in np.ravel(values)) + "]"


def _latex(cell: str) -> str:
    if cell == "simple_rnn":
        return r"h_t = \tanh(x_t W + h_{t-1} U + b)"
    if cell == "lstm":
        return (
            r"\begin{aligned}"
            r"i_t &= \sigma(x_t W_i + h_{t-1} U_i + b_i) &"
            r"f_t &= \sigma(x_t W_f + h_{t-1} U_f + b_f)\\"
            r"g_t &= \tanh(x_t W_c + h_{t-1} U_c + b_c) &"
            r"o_t &= \sigma(x_t W_o + h_{t-1} U_o + b_o)\\"
            r"c_t &= f_t \odot c_{t-1} + i_t \odot g_t &"
            r"h_t &= o_t \odot \tanh(c_t)"
            r"\end{aligned}"
        )
    return (
        r"\begin{aligned}"
        r"z_t &= \sigma(x_t W_z + b_z + h_{t-1} U_z + b'_z) &"
        r"r_t &= \sigma(x_t W_r + b_r + h_{t-1} U_r + b'_r)\\"
        r"\hat h_t &= \tanh\big(x_t W_h + b_h + r_t \odot (h_{t-1} U_h + b'_h)\big) &"
        r"h_t &= z_t \odot h_{t-1} + (1 - z_t) \odot \hat h_t"
        r"\end{aligned}"
    )


def step_through(lang: str) -> None:
    """Tab 1: a tiny SimpleRNN / LSTM / GRU, one timestep at a time."""
    T = _tr(lang)
    st.subheader(T("rnn.section.step"))
    st.markdown(T("rnn.step_intro"))
    c1, c2, c3 = st.columns([2, 3, 1])
    with c1:
        cell = state.select(
            "rnn_step_cell",
            T("rnn.cell"),
            rnn.CELLS,
            "simple_rnn",
            format_func=lambda c: T(f"rnn.cell.{c}"),
            widget="segmented",
        )
    with c2:
        step = state.slider("rnn_step", T("rnn.step"), 1, STEP_TIMESTEPS, 1, 1)
    with c3:
        seed = state.number("rnn_step_seed", T("common.seed"), 0, 9999, 0, 1)
    layer, x, keras_states = tiny_layer(cell, int(seed))
    values = rnn.unroll(layer, x[0])
    st.latex(_latex(cell))
    st.caption(T(f"rnn.step_note.{cell}"))
    t0 = step - 1
    h_prev = values["h"][t0 - 1] if t0 else np.zeros(STEP_UNITS, np.float32)
    rows = [("x_t", x[0, t0]), ("h_{t-1}", h_prev)]
    kernel = layer.cell.kernel.numpy()
    recurrent = layer.cell.recurrent_kernel.numpy()
    if cell == "simple_rnn":
        rows += [
            ("x_t W", x[0, t0] @ kernel),
            ("h_{t-1} U", h_prev @ recurrent),
            ("b", layer.cell.bias.numpy()),
            ("x_t W + h_{t-1} U + b", values["pre"][t0]),
            ("h_t = tanh(…)", values["h"][t0]),
        ]
    elif cell == "lstm":
        c_prev = values["c"][t0 - 1] if t0 else np.zeros(STEP_UNITS, np.float32)
        rows += [
            ("c_{t-1}", c_prev),
            ("i_t", values["i"][t0]),
            ("f_t", values["f"][t0]),
            ("g_t", values["g"][t0]),
            ("o_t", values["o"][t0]),
            ("f_t ⊙ c_{t-1}", values["f"][t0] * c_prev),
            ("i_t ⊙ g_t", values["i"][t0] * values["g"][t0]),
            ("c_t", values["c"][t0]),
            ("h_t = o_t ⊙ tanh(c_t)", values["h"][t0]),
        ]
    else:
        rows += [
            ("z_t", values["z"][t0]),
            ("r_t", values["r"][t0]),
            ("ĥ_t", values["hh"][t0]),
            ("h_t", values["h"][t0]),
        ]
    table = pd.DataFrame(
        {
            T("rnn.col.quantity"): [name for name, _ in rows],
            T("rnn.col.value"): [_vector(v) for _, v in rows],
        }
    )
    left, right = st.columns([2, 3], gap="large")
    left.dataframe(table, hide_index=True, key="rnn_step_table")
    difference = float(np.abs(values["h"] - keras_states[0]).max())
    left.caption(
        T(
            "rnn.keras_check",
            cls=rnn.core.CELL_CLASSES[cell],
            diff=f"{difference:.1e}",
        )
    )
    with right:
        charts.plotly(
            figures.chain_figure(values["h"], step, lang=lang), key="rnn_chain_fig"
        )
    shown = {k: values[k] for k in ("i", "f", "o", "c") if k in values}
    shown = shown or {k: values[k] for k in ("z", "r") if k in values}
    shown["h"] = values["h"]
    charts.plotly(figures.states_figure(shown, step, lang=lang), key="rnn_states_fig")
    with st.expander(T("rnn.weights")):
        st.text(
            f"kernel W {kernel.shape}:\n{np.array2string(kernel, precision=3)}\n\n"
            f"recurrent_kernel U {recurrent.shape}:\n"
            f"{np.array2string(recurrent, precision=3)}\n\n"
            f"bias b {tuple(layer.cell.bias.shape)}:\n"
            f"{np.array2string(layer.cell.bias.numpy(), precision=3)}"
        )


@st.cache_resource(max_entries=32, show_spinner=False)
def shape_model(
    cell: str,
    timesteps: int,
    features: int,
    units: int,
    layers: int,
    bidirectional: bool,
    sequences: bool,
):
    keras = rnn.keras
    inputs = keras.Input((timesteps, features), name="inputs")
    x = inputs
    for index in range(layers):
        last = index == layers - 1
        layer = rnn.recurrent_layer(
            cell,
            units,
            seed=index,
            return_sequences=(not last) or sequences,
            name=f"{cell}_{index + 1}",
        )
        if bidirectional:
            layer = keras.layers.Bidirectional(layer, name=f"bidirectional_{index + 1}")
        x = layer(x)
    return keras.Model(inputs, x)


def shapes(lang: str) -> None:
    """Tab 2: input (batch, timesteps, features), return_sequences, stacking,
    Bidirectional, and parameter counts with the formula filled in."""
    T = _tr(lang)
    st.subheader(T("rnn.section.shapes"))
    st.markdown(T("rnn.shapes_intro"))
    c1, c2, c3 = st.columns(3)
    with c1:
        cell = state.select(
            "rnn_shape_cell",
            T("rnn.cell"),
            rnn.CELLS,
            "lstm",
            format_func=lambda c: T(f"rnn.cell.{c}"),
            widget="segmented",
        )
        batch = state.slider("rnn_shape_batch", T("rnn.batch"), 1, 128, 32, 1)
    with c2:
        timesteps = state.slider("rnn_shape_steps", T("rnn.timesteps"), 1, 100, 10, 1)
        features = state.slider("rnn_shape_features", T("rnn.features"), 1, 64, 2, 1)
    with c3:
        units = state.slider("rnn_shape_units", T("rnn.units"), 1, 128, 32, 1)
        layers = state.slider("rnn_shape_layers", T("rnn.layers"), 1, 3, 1, 1)
    t1, t2 = st.columns(2)
    with t1:
        sequences = state.toggle("rnn_shape_seq", T("rnn.return_sequences"), False)
    with t2:
        bidirectional = state.toggle("rnn_shape_bidi", T("rnn.bidirectional"), False)
    model = shape_model(
        cell, timesteps, features, units, layers, bidirectional, sequences
    )
    rows = [
        {
            T("rnn.col.layer"): "Input",
            T("rnn.col.shape"): str((batch, timesteps, features)),
            T("rnn.col.params"): 0,
            T("rnn.col.formula"): "",
        }
    ]
    width = features
    directions = 2 if bidirectional else 1
    for layer in model.layers[1:]:
        shape = (batch, *tuple(layer.output.shape)[1:])
        formula = rnn.param_formula(cell, units, width)
        if bidirectional:
            formula = f"2 × ({formula.split(' = ')[0]}) = {layer.count_params()}"
        rows.append(
            {
                T("rnn.col.layer"): type(layer).__name__ + f" ({layer.name})",
                T("rnn.col.shape"): str(shape),
                T("rnn.col.params"): int(layer.count_params()),
                T("rnn.col.formula"): formula,
            }
        )
        width = directions * units
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="rnn_shape_table")
    st.metric(T("rnn.total_params"), f"{model.count_params():,}")
    st.caption(T("rnn.shapes_note"))
