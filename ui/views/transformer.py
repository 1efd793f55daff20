"""Sections of the Transformer page (``pages/transformer.py``): attention step
by step and the encoder block. Training sections are in
:mod:`ui.views.transformer_train`.

Every number comes from :mod:`dlcore.transformer` and is checked against a
real ``keras.layers.MultiHeadAttention`` with the same weights; every control
goes through :mod:`ui.state` (keys ``tr_…``). Typed text is shown as plain
text only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from dlcore import transformer as tr
from dlcore.figures import transformer as figures
from ui import charts, state
from ui.shell import translator as _tr

#: Tab ids of the page, in order (``?tr_tab=<id>``).
TABS: tuple[str, ...] = ("attention", "block", "train", "char")
WIDTHS = (4, 8, 16)
HEADS = (1, 2, 4)
PADDING = 2  # <pad> tokens appended when the padding mask is shown


@st.cache_resource(max_entries=32, show_spinner=False)
def attention_layer(d_model: int, heads: int, seed: int):
    """The step-through's Keras layer, built once per setting."""
    return tr.step_attention_layer(d_model, heads, seed)


@st.cache_resource(max_entries=16, show_spinner=False)
def encoder_model(d_model: int, heads: int, d_ff: int, length: int, seed: int):
    return tr.encoder_model(d_model, heads, d_ff, length, seed)


def _matrix_text(name: str, array: np.ndarray) -> str:
    return f"{name} {tuple(array.shape)}:\n" + np.array2string(
        np.asarray(array), precision=3, suppress_small=True, max_line_width=100
    )


def sentence_tokens(lang: str, key: str = "tr_sentence") -> list[str] | None:
    """The typed sentence as tokens, or ``None`` (a clear message was shown)."""
    T = _tr(lang)
    sentence = state.text(
        key, T("tr.sentence"), T("tr.sentence_default"), max_chars=200
    )
    try:
        return tr.tokenize(sentence)
    except ValueError as error:
        reason = str(error)
        st.warning(
            T(f"tr.bad_sentence.{reason}", limit=tr.core.MAX_TOKENS),
            icon=":material/warning:",
        )
        return None


def inputs_view(lang: str, tokens: list[str], d_model: int, positions: str, seed: int):
    """Tokens → embeddings (+ positions); returns x (T, d_model)."""
    T = _tr(lang)
    st.markdown(T("tr.embed_intro"))
    length = len(tokens)
    embedded = tr.embed(tokens, d_model, seed) * np.sqrt(d_model)
    if positions == "sinusoidal":
        pe = tr.positional_encoding(length, d_model)
    elif positions == "learned":
        rng = np.random.default_rng(seed + 1)
        pe = rng.uniform(-0.05, 0.05, (length, d_model)).astype(np.float32)
    else:
        pe = np.zeros((length, d_model), np.float32)
    x = (embedded + pe).astype(np.float32)
    vocabulary = list(dict.fromkeys(tok for tok in tokens if tok != tr.core.PAD))
    table = pd.DataFrame(
        {
            T("tr.col.position"): range(length),
            T("tr.col.token"): tokens,
            T("tr.col.id"): [
                vocabulary.index(tok) + 1 if tok in vocabulary else 0 for tok in tokens
            ],
            T("tr.col.x"): [
                "["
                + ", ".join(f"{v:+.2f}" for v in row[:4])
                + (", …]" if d_model > 4 else "]")
                for row in x
            ],
        }
    )
    st.dataframe(table, hide_index=True, key="tr_token_table")
    st.caption(T(f"tr.positions_note.{positions}"))
    return x


def positions_section(lang: str) -> None:
    T = _tr(lang)
    with st.expander(T("tr.section.positions"), expanded=False):
        st.markdown(T("tr.positions_intro"))
        st.latex(
            r"PE_{(pos,\,2i)} = \sin\!\left(\frac{pos}{10000^{2i/d}}\right),\quad"
            r"PE_{(pos,\,2i+1)} = \cos\!\left(\frac{pos}{10000^{2i/d}}\right)"
        )
        c1, c2 = st.columns(2)
        with c1:
            length = state.slider("tr_pe_length", T("tr.pe_length"), 4, 100, 50, 1)
        with c2:
            depth = state.select(
                "tr_pe_depth",
                T("tr.d_model"),
                (8, 16, 32, 64, 128),
                64,
                widget="select_slider",
            )
        pe = tr.positional_encoding(int(length), int(depth))
        left, right = st.columns(2)
        with left:
            charts.plotly(figures.encoding_figure(pe, lang=lang), key="tr_pe_fig")
        with right:
            charts.plotly(figures.similarity_figure(pe, lang=lang), key="tr_sim_fig")
        st.caption(T("tr.similarity_note"))


def step_through(lang: str) -> None:
    """Tab 1: a typed sentence → Q, K, V → scores → scale → mask → softmax →
    weighted values → heads concatenated → output projection."""
    T = _tr(lang)
    st.subheader(T("tr.section.attention"))
    st.markdown(T("tr.attention_intro"))
    tokens = sentence_tokens(lang)
    positions_section(lang)
    if tokens is None:
        return
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        d_model = state.select(
            "tr_width", T("tr.d_model"), WIDTHS, 8, widget="segmented"
        )
    with c2:
        heads = state.select(
            "tr_step_heads", T("tr.heads"), HEADS, 1, widget="segmented"
        )
    with c3:
        mask_kind = state.select(
            "tr_mask",
            T("tr.mask"),
            tr.MASKS,
            "none",
            format_func=lambda m: T(f"tr.mask.{m}"),
            widget="segmented",
        )
    with c4:
        positions = state.select(
            "tr_pe",
            T("tr.positions"),
            tr.POSITIONS,
            "sinusoidal",
            format_func=lambda p: T(f"tr.positions.{p}"),
        )
    c5, c6 = st.columns([3, 1])
    with c5:
        scale = state.toggle("tr_scale", T("tr.scale"), True)
    with c6:
        seed = state.number("tr_step_seed", T("common.seed"), 0, 9999, 0, 1)
    if mask_kind == "padding":
        tokens = tokens + [tr.core.PAD] * PADDING
    x = inputs_view(lang, tokens, int(d_model), positions, int(seed))
    layer = attention_layer(int(d_model), int(heads), int(seed))
    weights = tr.mha_weights(layer)
    mask = tr.make_mask(mask_kind, tokens)
    steps = tr.multi_head_steps(x, weights, mask, scale=scale)
    kwargs = {}
    if mask is not None:
        kwargs["attention_mask"] = mask[None]
    keras_out, keras_scores = layer(
        x[None], x[None], return_attention_scores=True, **kwargs
    )
    key_dim = int(d_model) // int(heads)
    st.latex(
        r"\mathrm{Attention}(Q,K,V)=\mathrm{softmax}\!\left(\frac{QK^\top}"
        r"{\sqrt{d_k}} + M\right)V"
    )
    st.latex(r"Q = XW_Q + b_Q,\quad K = XW_K + b_K,\quad V = XW_V + b_V")
    head = 1
    if int(heads) > 1:
        head = state.select(
            "tr_head",
            T("tr.head"),
            tuple(range(1, int(heads) + 1)),
            1,
            widget="segmented",
        )
    h = int(head) - 1
    labels = figures._labels(tokens)
    dims = [f"{j + 1}" for j in range(key_dim)]
    qkv = st.columns(3)
    for col, name in zip(qkv, ("q", "k", "v"), strict=True):
        with col:
            charts.plotly(
                figures.matrix_figure(
                    steps[name][h],
                    rows=labels,
                    columns=dims,
                    title=T(f"tr.fig.{name}", head=h + 1, dk=key_dim),
                    x_title=T("tr.fig.dimension"),
                    y_title=T("tr.fig.position"),
                    numbers=key_dim <= 4,
                ),
                key=f"tr_{name}_fig",
            )
    masked = None if mask is None else ~mask
    left, right = st.columns(2)
    with left:
        charts.plotly(
            figures.matrix_figure(
                steps["scores"][h],
                rows=labels,
                columns=labels,
                title=T("tr.fig.scores", head=h + 1),
                x_title=T("tr.fig.key"),
                y_title=T("tr.fig.query"),
                height=340,
                digits=1,
            ),
            key="tr_scores_fig",
        )
    with right:
        charts.plotly(
            figures.matrix_figure(
                steps["weights"][h],
                rows=labels,
                columns=labels,
                title=T(
                    "tr.fig.weights" if scale else "tr.fig.weights_unscaled",
                    head=h + 1,
                    dk=key_dim,
                ),
                x_title=T("tr.fig.key"),
                y_title=T("tr.fig.query"),
                probabilities=True,
                masked=masked,
                height=340,
            ),
            key="tr_weights_fig",
        )
    st.caption(T(f"tr.mask_note.{mask_kind}"))
    query = state.select(
        "tr_query",
        T("tr.query_row"),
        tuple(range(1, len(tokens) + 1)),
        len(tokens),  # the last query sees every key, also under a causal mask
        format_func=lambda i: labels[i - 1],
    )
    row = int(query) - 1
    unscaled = tr.multi_head_steps(x, weights, mask, scale=False)["weights"][h, row]
    scaled = tr.multi_head_steps(x, weights, mask, scale=True)["weights"][h, row]
    charts.plotly(
        figures.softmax_row_figure(tokens, scaled, unscaled, lang=lang),
        key="tr_softmax_fig",
    )
    st.caption(
        T(
            "tr.softmax_note",
            dk=key_dim,
            spread=f"{np.ptp(steps['scores'][h, row]):.2f}",
            top_scaled=f"{scaled.max():.2f}",
            top_unscaled=f"{unscaled.max():.2f}",
        )
    )
    st.subheader(T("tr.section.heads"))
    st.markdown(T("tr.heads_intro", heads=int(heads), dk=key_dim, d=int(d_model)))
    shapes = pd.DataFrame(
        {
            T("tr.col.step"): [
                "X",
                "Q, K, V",
                "QKᵀ/√d_k",
                "softmax",
                "softmax · V",
                "concat",
                "concat · W_O + b_O",
            ],
            T("tr.col.shape"): [
                str((len(tokens), int(d_model))),
                str(steps["q"].shape),
                str(steps["scaled"].shape),
                str(steps["weights"].shape),
                str(steps["heads"].shape),
                str(steps["concat"].shape),
                str(steps["output"].shape),
            ],
        }
    )
    c1, c2 = st.columns([2, 3])
    c1.dataframe(shapes, hide_index=True, key="tr_head_shapes")
    with c2:
        charts.plotly(
            figures.matrix_figure(
                steps["output"],
                rows=labels,
                columns=[f"{j + 1}" for j in range(int(d_model))],
                title=T("tr.fig.output"),
                x_title=T("tr.fig.dimension"),
                y_title=T("tr.fig.position"),
                numbers=int(d_model) <= 4,
            ),
            key="tr_output_fig",
        )
    if scale:
        diff_w = float(np.abs(steps["weights"] - np.asarray(keras_scores)[0]).max())
        diff_o = float(np.abs(steps["output"] - np.asarray(keras_out)[0]).max())
        st.caption(
            T(
                "tr.keras_check",
                heads=int(heads),
                dk=key_dim,
                weights=f"{diff_w:.1e}",
                output=f"{diff_o:.1e}",
            )
        )
    else:
        st.caption(T("tr.keras_scales"))
    with st.expander(T("tr.weights_text")):
        st.text(
            "\n\n".join(
                _matrix_text(name, weights[name]) for name in ("wq", "wk", "wv", "wo")
            )
        )


def _keras_shape(layer) -> tuple:
    output = layer.output
    if isinstance(output, (list, tuple)):  # attention: (output, scores)
        output = output[0]
    return tuple(output.shape)[1:]


def block(lang: str) -> None:
    """Tab 2: one encoder block, the shape after each step and the parameter
    count, both equal to Keras."""
    T = _tr(lang)
    st.subheader(T("tr.section.block"))
    st.markdown(T("tr.block_intro"))
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        d_model = state.select(
            "tr_block_d",
            T("tr.d_model"),
            (8, 16, 32, 64, 128, 512),
            32,
            widget="select_slider",
        )
    with c2:
        heads = state.select(
            "tr_block_heads", T("tr.heads"), (1, 2, 4, 8), 2, widget="segmented"
        )
    with c3:
        d_ff = state.select(
            "tr_block_ff",
            T("tr.d_ff"),
            (16, 32, 64, 128, 256, 2048),
            64,
            widget="select_slider",
        )
    with c4:
        length = state.slider("tr_block_len", T("tr.length"), 2, 32, 8, 1)
    d_model, heads, d_ff, length = int(d_model), int(heads), int(d_ff), int(length)
    key_dim = d_model // heads
    model = encoder_model(d_model, heads, d_ff, length, 0)
    get = model.get_layer
    rows = [
        ("x", "—", (length, d_model), 0, ""),
        (
            "MultiHeadAttention",
            "attention_1",
            (length, d_model),
            get("attention_1").count_params(),
            f"3·({d_model}·{heads}·{key_dim} + {heads}·{key_dim}) + "
            f"{heads}·{key_dim}·{d_model} + {d_model}",
        ),
        ("x + attention", "residual1_1", (length, d_model), 0, ""),
        (
            "LayerNorm",
            "norm1_1",
            (length, d_model),
            get("norm1_1").count_params(),
            f"2·{d_model}",
        ),
        (
            "Dense(d_ff, ReLU)",
            "ffn1_1",
            (length, d_ff),
            get("ffn1_1").count_params(),
            f"{d_model}·{d_ff} + {d_ff}",
        ),
        (
            "Dense(d_model)",
            "ffn2_1",
            (length, d_model),
            get("ffn2_1").count_params(),
            f"{d_ff}·{d_model} + {d_model}",
        ),
        ("h + FFN(h)", "residual2_1", (length, d_model), 0, ""),
        (
            "LayerNorm",
            "norm2_1",
            (length, d_model),
            get("norm2_1").count_params(),
            f"2·{d_model}",
        ),
    ]
    # the shapes are Keras' own (the output of each layer of the built block)
    rows = [
        (*r[:2], _keras_shape(get(r[1])) if r[1] != "—" else r[2], *r[3:]) for r in rows
    ]
    table = pd.DataFrame(
        {
            T("tr.col.step"): [r[0] for r in rows],
            T("tr.col.layer"): [r[1] for r in rows],
            T("tr.col.shape"): [
                "(batch, " + ", ".join(str(n) for n in r[2]) + ")" for r in rows
            ],
            T("tr.col.params"): [int(r[3]) for r in rows],
            T("tr.col.formula"): [r[4] for r in rows],
        }
    )
    st.dataframe(table, hide_index=True, key="tr_block_table")
    total = tr.encoder_param_count(d_model, heads, key_dim, d_ff)
    c1, c2 = st.columns(2)
    c1.metric(T("tr.total_params"), f"{total:,}")
    c2.metric(T("tr.keras_params"), f"{model.count_params():,}")
    st.caption(T("tr.block_note"))
    # the block by hand on a small input, against Keras
    rng = np.random.default_rng(0)
    x = rng.normal(0, 1, (length, d_model)).astype(np.float32)
    steps = tr.encoder_block_steps(
        x,
        tr.mha_weights(get("attention_1")),
        tuple(get("norm1_1").get_weights()),
        (*get("ffn1_1").get_weights(), *get("ffn2_1").get_weights()),
        tuple(get("norm2_1").get_weights()),
    )
    diff = float(np.abs(steps["output"] - np.asarray(model(x[None]))[0]).max())
    st.caption(T("tr.block_check", diff=f"{diff:.1e}"))
