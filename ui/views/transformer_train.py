"""Training sections of the Transformer page: a tiny Transformer (and an
LSTM) on a generated digit task with its attention maps, and a character
model with sampling.

Every training goes through :func:`ui.training.run_task`; the result views are
drawn by its ``render`` (keys use ``tag``). A trained model is rebuilt in this
process from the result's weights (data), never shipped as a Keras object.
Typed text is shown back as plain text only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from dlcore import transformer as tr
from dlcore.figures import transformer as figures
from ui import charts, state, training
from ui.shell import translator as _tr

D = tr.SequenceConfig()
DC = tr.CharConfig()
WIDTHS = (8, 16, 32, 64)
FF_WIDTHS = (16, 32, 64, 128, 256)
DROPOUTS = (0.0, 0.1, 0.2, 0.3)
LEARNING_RATES = (0.0003, 0.001, 0.003, 0.01, 0.03)
WARMUPS = (0, 50, 100, 200, 500)
EPOCHS = (2, 4, 8, 12, 20, 30)
CHAR_EPOCHS = (5, 10, 20, 30, 50)
TOP_K = (0, 1, 3, 5, 10)


def _key(key: str, tag: str) -> str:
    return key if tag == "final" else f"{key}_{tag}"


def _ok(result) -> bool:
    return result is not None and result.status == "finished"


def _digits(ids) -> str:
    return " ".join("_" if int(i) == tr.tasks.BLANK else str(int(i)) for i in ids)


@st.cache_resource(max_entries=8, show_spinner=False)
def sequence_model(config: tr.SequenceConfig, _weights: list):
    """The trained Transformer rebuilt from the result's weights (the cache
    key is the config: equal configs train to equal weights)."""
    return tr.sequence_rebuild(config, _weights)


@st.cache_resource(max_entries=8, show_spinner=False)
def char_model(config: tr.CharConfig, _vocabulary: tuple, _weights: list):
    return tr.char_rebuild(config, list(_vocabulary), _weights)


# ----------------------------------------------------------------------------
# Tab 3: a tiny Transformer trained live
# ----------------------------------------------------------------------------


def _heads_for(width: int) -> tuple[int, ...]:
    return tuple(h for h in (1, 2, 4) if width % h == 0)


def sequence_controls(lang: str) -> tr.SequenceConfig:
    T = _tr(lang)
    task = state.select(
        "tr_task",
        T("tr.task"),
        tr.TASKS,
        D.task,
        format_func=lambda k: T(f"tr.task.{k}"),
    )
    positions = state.select(
        "tr_positions",
        T("tr.positions"),
        tr.POSITIONS,
        D.positions,
        format_func=lambda p: T(f"tr.positions.{p}"),
        widget="segmented",
    )
    c1, c2 = st.columns(2)
    with c1:
        layers = state.slider("tr_layers", T("tr.layers"), 1, 3, D.layers, 1)
        d_model = state.select(
            "tr_d_model", T("tr.d_model"), WIDTHS, D.d_model, widget="select_slider"
        )
        dropout = state.select(
            "tr_dropout", T("tr.dropout"), DROPOUTS, D.dropout, widget="select_slider"
        )
    with c2:
        heads = state.select(
            "tr_heads", T("tr.heads"), (1, 2, 4), D.heads, widget="segmented"
        )
        d_ff = state.select(
            "tr_d_ff", T("tr.d_ff"), FF_WIDTHS, D.d_ff, widget="select_slider"
        )
        warmup = state.select(
            "tr_warmup", T("tr.warmup"), WARMUPS, D.warmup_steps, widget="select_slider"
        )
    rate = state.select(
        "tr_lr",
        T("tr.learning_rate"),
        LEARNING_RATES,
        D.learning_rate,
        widget="select_slider",
    )
    c3, c4 = st.columns(2)
    with c3:
        epochs = state.select(
            "tr_epochs", T("tr.epochs"), EPOCHS, D.epochs, widget="select_slider"
        )
    with c4:
        seed = state.number("tr_seed", T("common.seed"), 0, 9999, D.seed, 1)
    lstm = state.toggle("tr_lstm", T("tr.lstm"), D.lstm)
    return tr.SequenceConfig(
        task=task,
        layers=int(layers),
        heads=int(heads),
        d_model=int(d_model),
        d_ff=int(d_ff),
        dropout=float(dropout),
        positions=positions,
        learning_rate=float(rate),
        warmup_steps=int(warmup),
        epochs=int(epochs),
        lstm=lstm,
        seed=int(seed),
    )


def sequence_view(config: tr.SequenceConfig, result, lang: str, tag: str) -> None:
    T = _tr(lang)
    m, art = result.metrics, result.artifacts
    runs = [r for r in ("transformer", "lstm") if f"{r}_val_accuracy" in m]
    cols = st.columns(len(runs))
    for col, run in zip(cols, runs, strict=True):
        col.metric(
            T(f"tr.run.{run}"),
            f"{m[f'{run}_val_accuracy']:.1%}",
            help=T("tr.params", count=art["num_params"][run]),
        )
    charts.plotly(
        figures.position_accuracy_figure(art["position_accuracy"], lang=lang),
        key=_key("tr_position_fig", tag),
    )
    if tag != "final":
        return
    st.subheader(T("tr.section.maps"))
    st.markdown(T(f"tr.maps_note.{config.task}"))
    shown = [_digits(row) for row in art["x_shown"]]
    options = (*range(len(shown)), -1)
    choice = state.select(
        "tr_example",
        T("tr.example"),
        options,
        0,
        format_func=lambda i: T("tr.own_input") if i == -1 else shown[i],
    )
    if choice == -1:
        ids = own_digits(config, lang)
        if ids is None:
            return
        model = sequence_model(config, result.weights)
        maps = tr.attention_maps(model, ids)
        predicted = np.asarray(model(ids[None], training=False))[0].argmax(-1)
        target = tr.sequence_target(config.task, ids)
    else:
        ids = np.asarray(art["x_shown"][choice])
        maps = {name: np.asarray(a)[choice] for name, a in art["maps"].items()}
        predicted = np.asarray(art["predicted"]["transformer"][choice])
        target = np.asarray(art["y_shown"][choice])
    table = pd.DataFrame(
        {
            T("tr.col.input"): [_digits(ids)],
            T("tr.col.target"): [_digits(target)],
            T("tr.col.predicted"): [_digits(predicted)],
        }
    )
    st.dataframe(table, hide_index=True, key="tr_example_table")
    inputs = [str(int(i)) for i in ids]
    outputs = ["_" if int(i) == tr.tasks.BLANK else str(int(i)) for i in predicted]
    charts.plotly(
        figures.attention_grid(maps, inputs, inputs, lang=lang),
        key="tr_maps_fig",
    )
    st.caption(T("tr.maps_caption", outputs=" ".join(outputs)))


def own_digits(config: tr.SequenceConfig, lang: str) -> np.ndarray | None:
    """The student's digits (exactly ``length`` of them) or ``None``."""
    T = _tr(lang)
    default = "31415926"[: config.length].ljust(config.length, "0")
    typed = state.text("tr_digits", T("tr.digits", length=config.length), default)
    digits = [c for c in typed if not c.isspace()]
    if len(digits) != config.length or not all(c in "0123456789" for c in digits):
        st.warning(T("tr.bad_digits", length=config.length), icon=":material/warning:")
        return None
    return np.asarray([int(c) for c in digits], dtype=np.int32)


def train_tab(lang: str) -> None:
    """Tab 3: the tiny Transformer (and the LSTM) on a generated task."""
    T = _tr(lang)
    st.subheader(T("tr.section.train"))
    st.markdown(T("tr.train_intro"))
    controls, main = st.columns([1, 2], gap="large")
    with controls:
        config = sequence_controls(lang)

    def render(config, result, tag: str) -> None:
        if _ok(result):
            sequence_view(config, result, lang, tag)

    with main:
        training.run_task(
            tr.train_sequence,
            config,
            lang=lang,
            key="tr_sequence",
            epochs=config.epochs,
            code=tr.code_sequence(config),
            code_file="transformer_sequence.py",
            run_names=lambda run: T(f"tr.run.{run}"),
            render=render,
        )


# ----------------------------------------------------------------------------
# Tab 4: a character model
# ----------------------------------------------------------------------------


def char_controls(lang: str) -> tr.CharConfig:
    T = _tr(lang)
    c1, c2 = st.columns(2)
    with c1:
        layers = state.slider("tr_char_layers", T("tr.layers"), 1, 3, DC.layers, 1)
        d_model = state.select(
            "tr_char_d_model",
            T("tr.d_model"),
            (16, 32, 48, 64),
            DC.d_model,
            widget="select_slider",
        )
        rate = state.select(
            "tr_char_lr",
            T("tr.learning_rate"),
            LEARNING_RATES,
            DC.learning_rate,
            widget="select_slider",
        )
    with c2:
        heads = state.select(
            "tr_char_heads", T("tr.heads"), (1, 2, 4), DC.heads, widget="segmented"
        )
        positions = state.select(
            "tr_char_positions",
            T("tr.positions"),
            tr.POSITIONS,
            DC.positions,
            format_func=lambda p: T(f"tr.positions.{p}"),
        )
        epochs = state.select(
            "tr_char_epochs",
            T("tr.epochs"),
            CHAR_EPOCHS,
            DC.epochs,
            widget="select_slider",
        )
    seed = state.number("tr_char_seed", T("common.seed"), 0, 9999, DC.seed, 1)
    return tr.CharConfig(
        language=lang,
        layers=int(layers),
        heads=int(heads),
        d_model=int(d_model),
        positions=positions,
        learning_rate=float(rate),
        epochs=int(epochs),
        seed=int(seed),
    )


def char_view(config: tr.CharConfig, result, lang: str, tag: str) -> None:
    T = _tr(lang)
    m, art = result.metrics, result.artifacts
    cols = st.columns(3)
    cols[0].metric(T("tr.char_accuracy"), f"{m['val_accuracy']:.1%}")
    cols[1].metric(T("tr.char_loss"), f"{m['val_loss']:.3f}")
    cols[2].metric(T("tr.vocab_size"), len(art["vocabulary"]))
    if tag != "final":
        return
    vocabulary = list(art["vocabulary"])
    model = char_model(config, tuple(vocabulary), result.weights)
    st.subheader(T("tr.section.next"))
    prompt = state.text(
        "tr_prompt", T("tr.prompt"), T("tr.prompt_default"), max_chars=200
    )
    try:
        p = tr.next_char_probabilities(model, vocabulary, prompt, config.length)
    except ValueError as error:
        reason = str(error)
        if reason.startswith("unknown:"):
            st.warning(T("tr.unknown_chars"), icon=":material/warning:")
            st.code(" ".join(reason.removeprefix("unknown:")), language=None)
            st.caption(T("tr.known_chars"))
            st.code("".join(vocabulary), language=None)
        else:
            st.info(T("tr.empty_prompt"))
        return
    charts.plotly(
        figures.probability_figure(vocabulary, p, lang=lang), key="tr_next_fig"
    )
    st.caption(T("tr.context_note", length=config.length))
    st.subheader(T("tr.section.generate"))
    c1, c2, c3 = st.columns(3)
    with c1:
        temperature = state.slider(
            "tr_temperature", T("tr.temperature"), 0.1, 2.0, 0.8, 0.1
        )
    with c2:
        top_k = state.select(
            "tr_top_k",
            T("tr.top_k"),
            TOP_K,
            5,
            format_func=lambda k: T("tr.top_k_all") if k == 0 else str(k),
            widget="segmented",
        )
    with c3:
        sample_seed = state.number("tr_sample_seed", T("tr.sample_seed"), 0, 9999, 0, 1)
    text = tr.generate(
        model,
        vocabulary,
        prompt,
        config.length,
        count=60,
        temperature=float(temperature),
        top_k=int(top_k),
        seed=int(sample_seed),
    )
    st.text(prompt + text)
    st.caption(T("tr.generate_note"))
    with st.expander(T("tr.text_used")):
        st.text(tr.TEXTS[config.language])


def char_tab(lang: str) -> None:
    """Tab 4: a causal character model on a built-in text in the UI language."""
    T = _tr(lang)
    st.subheader(T("tr.section.char"))
    st.markdown(T("tr.char_intro"))
    controls, main = st.columns([1, 2], gap="large")
    with controls:
        config = char_controls(lang)

    def render(config, result, tag: str) -> None:
        if _ok(result):
            char_view(config, result, lang, tag)

    with main:
        training.run_task(
            tr.train_char,
            config,
            lang=lang,
            key="tr_char",
            epochs=config.epochs,
            code=tr.code_char(config),
            code_file="transformer_char.py",
            render=render,
        )
