"""Training sections of the RNN page: long-range memory and text & embeddings.

Every training goes through :func:`ui.training.run_task`; the result views are
drawn by its ``render`` (keys use ``tag``). User text is shown as plain text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from dlcore import rnn
from dlcore.figures import rnn as figures
from dlcore.rnn import text as rtext
from ui import charts, state, training
from ui.shell import translator as _tr

D = rnn.MemoryConfig()
DS = rnn.SentimentConfig()
UNITS = (4, 8, 16, 32, 64, 128)
DROPOUTS = (0.0, 0.1, 0.2, 0.3, 0.5)
LEARNING_RATES = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1)
CLIPS = (0.0, 0.5, 1.0, 5.0)
EPOCHS = (5, 10, 20, 30, 50)
VOCABS = (20, 50, 100, 200, 500)
EMBEDS = (2, 4, 8, 16, 32)
SEQ_LENS = (4, 8, 12, 16, 20, 30)
TEXT_EPOCHS = (2, 5, 8, 12, 20)


def _key(key: str, tag: str) -> str:
    return key if tag == "final" else f"{key}_{tag}"


def _ok(result) -> bool:
    return result is not None and result.status == "finished"


# ----------------------------------------------------------------------------
# Tab 3: long-range memory
# ----------------------------------------------------------------------------


def memory_controls(lang: str) -> rnn.MemoryConfig:
    T = _tr(lang)
    task = state.select(
        "rnn_task",
        T("rnn.task"),
        rnn.TASKS,
        D.task,
        format_func=lambda k: T(f"rnn.task.{k}"),
    )
    timesteps = state.slider(
        "rnn_timesteps", T("rnn.timesteps"), 5, 100, D.timesteps, 5
    )
    cells = state.multiselect(
        "rnn_cells",
        T("rnn.cells"),
        rnn.CELLS,
        list(D.cells),
        format_func=lambda c: T(f"rnn.cell.{c}"),
        widget="pills",
    )
    units = state.select(
        "rnn_units", T("rnn.units"), UNITS, D.units, widget="select_slider"
    )
    layers = state.slider("rnn_layers", T("rnn.layers"), 1, 3, D.layers, 1)
    bidirectional = state.toggle("rnn_bidi", T("rnn.bidirectional"), D.bidirectional)
    c1, c2 = st.columns(2)
    with c1:
        dropout = state.select(
            "rnn_dropout", T("rnn.dropout"), DROPOUTS, D.dropout, widget="select_slider"
        )
    with c2:
        rec_dropout = state.select(
            "rnn_rec_dropout",
            T("rnn.recurrent_dropout"),
            DROPOUTS,
            D.recurrent_dropout,
            widget="select_slider",
        )
    if rec_dropout > 0:
        st.caption(T("rnn.cudnn_note"))
    optimizer = state.select(
        "rnn_optimizer",
        T("rnn.optimizer"),
        ("adam", "rmsprop", "sgd"),
        D.optimizer,
        widget="segmented",
    )
    rate = state.select(
        "rnn_lr",
        T("rnn.learning_rate"),
        LEARNING_RATES,
        D.learning_rate,
        widget="select_slider",
    )
    clip = state.select(
        "rnn_clip", T("rnn.clipnorm"), CLIPS, D.clipnorm, widget="select_slider"
    )
    c3, c4 = st.columns(2)
    with c3:
        epochs = state.select(
            "rnn_epochs", T("rnn.epochs"), EPOCHS, D.epochs, widget="select_slider"
        )
    with c4:
        seed = state.number("rnn_seed", T("common.seed"), 0, 9999, D.seed, 1)
    chosen = tuple(c for c in rnn.CELLS if c in cells) or D.cells
    if not cells:
        st.caption(T("rnn.no_cells"))
    return rnn.MemoryConfig(
        task=task,
        timesteps=int(timesteps),
        cells=chosen,
        units=int(units),
        layers=int(layers),
        bidirectional=bidirectional,
        dropout=float(dropout),
        recurrent_dropout=float(rec_dropout),
        optimizer=optimizer,
        learning_rate=float(rate),
        clipnorm=float(clip),
        epochs=int(epochs),
        seed=int(seed),
    )


def memory_view(config: rnn.MemoryConfig, result, lang: str, tag: str) -> None:
    T = _tr(lang)
    m, art = result.metrics, result.artifacts
    cols = st.columns(len(config.cells) + 1)
    cols[0].metric(T("rnn.baseline_mse"), f"{m['baseline_mse']:.4f}")
    for col, cell in zip(cols[1:], config.cells, strict=True):
        if f"{cell}_val_mse" in m:
            col.metric(T(f"rnn.cell.{cell}"), f"{m[f'{cell}_val_mse']:.4f}")
    charts.plotly(
        figures.memory_scores_figure(m, config.cells, lang=lang),
        key=_key("rnn_scores_fig", tag),
    )
    if tag != "final":
        return
    st.subheader(T("rnn.section.gradient"))
    st.markdown(T("rnn.gradient_note"))
    trained = state.toggle("rnn_grad_trained", T("rnn.grad_trained"), True)
    grads = art["grad_trained"] if trained else art["grad_init"]
    charts.plotly(
        figures.gradient_figure(grads, lang=lang, trained=trained),
        key="rnn_grad_fig",
    )
    if "gates" in art:
        st.subheader(T("rnn.section.gates"))
        gates = art["gates"]
        st.markdown(T("rnn.gates_note", index=int(gates["index"]) + 1))
        charts.plotly(
            figures.gates_figure(gates, np.asarray(gates["x"]), lang=lang),
            key="rnn_gates_fig",
        )


def memory(lang: str) -> None:
    """Tab 3: SimpleRNN vs LSTM vs GRU on a long-memory task."""
    T = _tr(lang)
    st.subheader(T("rnn.section.memory"))
    st.markdown(T("rnn.memory_intro"))
    controls, main = st.columns([1, 2], gap="large")
    with controls:
        config = memory_controls(lang)

    def render(config, result, tag: str) -> None:
        if _ok(result):
            memory_view(config, result, lang, tag)

    with main:
        training.run_task(
            rnn.train_memory,
            config,
            lang=lang,
            key="rnn_memory",
            epochs=config.epochs,
            code=rnn.code_memory(config),
            code_file="rnn_memory.py",
            run_names=lambda run: T(f"rnn.cell.{run}"),
            render=render,
        )


# ----------------------------------------------------------------------------
# Tab 4: text and embeddings
# ----------------------------------------------------------------------------


@st.cache_data(max_entries=4, show_spinner=False)
def vocabulary_of(language: str, max_tokens: int) -> list[str]:
    data = rtext.sentiment_data(language, DS.num_samples, DS.seed)
    layer = rtext.vectorizer(language, data.train_text, max_tokens, DS.sequence_length)
    return [str(w) for w in layer.get_vocabulary()]


def _sentence(lang: str, key: str, default_key: str) -> str | None:
    """A sentence the student types, or ``None`` (a message was shown)."""
    T = _tr(lang)
    sentence = state.text(key, T("rnn.sentence"), T(default_key), max_chars=500)
    if not sentence.strip():
        st.info(T("rnn.bad_sentence.empty"))
        return None
    return sentence


def tokenizer_demo(lang: str, config: rnn.SentimentConfig) -> None:
    T = _tr(lang)
    st.subheader(T("rnn.section.tokens"))
    st.markdown(T(f"rnn.tokens_intro.{config.language}"))
    sentence = _sentence(lang, "rnn_sentence", f"rnn.sentence_default.{lang}")
    if sentence is None:
        return
    vocabulary = vocabulary_of(config.language, config.max_tokens)
    try:
        shown = rtext.tokenize(
            config.language, sentence, vocabulary, config.sequence_length
        )
    except ValueError as error:
        st.warning(T(f"rnn.bad_sentence.{error}"), icon=":material/warning:")
        return
    table = pd.DataFrame(
        {
            T("rnn.col.token"): shown["tokens"],
            T("rnn.col.index"): shown["indices"],
        }
    )
    c1, c2 = st.columns([1, 2], gap="large")
    c1.dataframe(table, hide_index=True, key="rnn_token_table")
    with c2:
        st.text(T("rnn.padded", length=config.sequence_length))
        st.code(str(shown["ids"].tolist()), language=None)
        if shown["truncated"]:
            st.caption(T("rnn.truncated", count=shown["truncated"]))
        if shown["unknown"]:
            st.text(T("rnn.unknown") + " " + ", ".join(shown["unknown"]))
        st.caption(T("rnn.vocab_size", count=len(vocabulary)))
        st.dataframe(
            pd.DataFrame(
                {
                    T("rnn.col.index"): range(len(vocabulary)),
                    T("rnn.col.token"): vocabulary,
                }
            ),
            hide_index=True,
            height=220,
            key="rnn_vocab_table",
        )


def sentiment_controls(lang: str) -> rnn.SentimentConfig:
    T = _tr(lang)
    models = state.multiselect(
        "rnn_models",
        T("rnn.models"),
        rnn.SENTIMENT_MODELS,
        list(DS.models),
        format_func=lambda m: T(f"rnn.model.{m}"),
        widget="pills",
    )
    c1, c2 = st.columns(2)
    with c1:
        vocab = state.select(
            "rnn_vocab",
            T("rnn.max_tokens"),
            VOCABS,
            DS.max_tokens,
            widget="select_slider",
        )
        embed = state.select(
            "rnn_embed",
            T("rnn.embedding_dim"),
            EMBEDS,
            DS.embedding_dim,
            widget="select_slider",
        )
    with c2:
        length = state.select(
            "rnn_seq_len",
            T("rnn.sequence_length"),
            SEQ_LENS,
            DS.sequence_length,
            widget="select_slider",
        )
        epochs = state.select(
            "rnn_text_epochs",
            T("rnn.epochs"),
            TEXT_EPOCHS,
            DS.epochs,
            widget="select_slider",
        )
    seed = state.number("rnn_text_seed", T("common.seed"), 0, 9999, DS.seed, 1)
    chosen = tuple(m for m in rnn.SENTIMENT_MODELS if m in models) or DS.models
    return rnn.SentimentConfig(
        language=lang,
        models=chosen,
        max_tokens=int(vocab),
        sequence_length=int(length),
        embedding_dim=int(embed),
        epochs=int(epochs),
        seed=int(seed),
    )


@st.cache_resource(max_entries=8, show_spinner=False)
def trained_models(config: rnn.SentimentConfig, _art: dict) -> dict:
    vocab_size = len(_art["vocabulary"])
    return {
        name: rtext.rebuild_sentiment_model(name, config, vocab_size, weights)
        for name, weights in _art["weights"].items()
    }


def _accuracy_by_kind(art: dict) -> dict[str, dict[str, float]]:
    labels = np.asarray(art["test_labels"])
    kinds = np.asarray(art["test_kinds"])
    out = {}
    for name, probabilities in art["probabilities"].items():
        right = (np.asarray(probabilities) > 0.5) == (labels > 0.5)
        out[name] = {
            kind: float(right[kinds == kind].mean())
            for kind in rtext.KINDS
            if (kinds == kind).any()
        }
    return out


def sentiment_view(config, result, lang: str, tag: str) -> None:
    T = _tr(lang)
    art = result.artifacts
    cols = st.columns(len(config.models))
    for col, name in zip(cols, config.models, strict=True):
        value = result.metrics.get(f"{name}_test_accuracy")
        if value is not None:
            col.metric(T(f"rnn.model.{name}"), f"{value:.1%}")
    charts.plotly(
        figures.sentiment_scores_figure(_accuracy_by_kind(art), lang=lang),
        key=_key("rnn_text_scores", tag),
    )
    if tag != "final":
        return
    probabilities, labels = art["probabilities"], np.asarray(art["test_labels"])
    recurrent = [m for m in config.models if m in ("lstm", "gru", "bilstm")]
    if "bow" in probabilities and recurrent:
        best = recurrent[0]
        wrong = (np.asarray(probabilities["bow"]) > 0.5) != (labels > 0.5)
        right = (np.asarray(probabilities[best]) > 0.5) == (labels > 0.5)
        chosen = np.flatnonzero(wrong & right)[:8]
        st.markdown(
            T(
                "rnn.fixed_by",
                count=int((wrong & right).sum()),
                model=T(f"rnn.model.{best}"),
            )
        )
        st.dataframe(
            pd.DataFrame(
                {
                    T("rnn.col.review"): [art["test_text"][i] for i in chosen],
                    T("rnn.col.label"): [
                        T("rnn.label.pos" if labels[i] > 0.5 else "rnn.label.neg")
                        for i in chosen
                    ],
                    T("rnn.model.bow"): [
                        f"{probabilities['bow'][i]:.2f}" for i in chosen
                    ],
                    T(f"rnn.model.{best}"): [
                        f"{probabilities[best][i]:.2f}" for i in chosen
                    ],
                }
            ),
            hide_index=True,
            key="rnn_fixed_table",
        )
    embedded = [m for m in config.models if m in art["embedding"]]
    if embedded:
        embedding_view(config, art, embedded, lang)
    try_sentence(config, art, lang)


def embedding_view(config, art: dict, embedded: list[str], lang: str) -> None:
    T = _tr(lang)
    st.subheader(T("rnn.section.embedding"))
    model = embedded[-1]
    vectors = np.asarray(art["embedding"][model])
    vocabulary = list(art["vocabulary"])
    words = vocabulary[2:]
    coords = rtext.pca_2d(vectors[2:])
    roles = [rtext.word_polarity(config.language, w) for w in words]
    charts.plotly(
        figures.embedding_figure(coords, words, roles, lang=lang),
        key="rnn_embedding_fig",
    )
    st.caption(
        T(
            "rnn.embedding_note",
            model=T(f"rnn.model.{model}"),
            vocab=len(vocabulary),
            dim=vectors.shape[1],
        )
    )
    word = st.selectbox(T("rnn.word"), words, key="rnn_word")
    neighbours = rtext.nearest_words(vectors, vocabulary, word)
    st.dataframe(
        pd.DataFrame(
            {
                T("rnn.col.token"): [w for w, _ in neighbours],
                T("rnn.col.cosine"): [round(c, 3) for _, c in neighbours],
            }
        ),
        hide_index=True,
        key="rnn_neighbours",
    )


def try_sentence(config, art: dict, lang: str) -> None:
    T = _tr(lang)
    st.subheader(T("rnn.section.try"))
    sentence = _sentence(lang, "rnn_try", f"rnn.try_default.{lang}")
    if sentence is None:
        return
    vocabulary = list(art["vocabulary"])
    try:
        shown = rtext.tokenize(
            config.language, sentence, vocabulary, config.sequence_length
        )
    except ValueError as error:
        st.warning(T(f"rnn.bad_sentence.{error}"), icon=":material/warning:")
        return
    models = trained_models(config, art)
    cols = st.columns(len(models))
    for col, (name, model) in zip(cols, models.items(), strict=True):
        p = rtext.predict_ids(model, name, shown["ids"], len(vocabulary))
        col.metric(T(f"rnn.model.{name}"), f"{p:.2f}")
    st.caption(T("rnn.p_caption"))
    recurrent = [m for m in models if m in ("lstm", "gru")]
    if recurrent:
        name = recurrent[0]
        count = min(len(shown["tokens"]), config.sequence_length)
        probs = rtext.token_predictions(models[name], shown["ids"], count)
        charts.plotly(
            figures.token_figure(shown["tokens"][:count], probs, lang=lang, model=name),
            key="rnn_token_fig",
        )


def text_tab(lang: str) -> None:
    """Tab 4: tokens, a sentiment comparison, embeddings, your own sentence."""
    T = _tr(lang)
    st.markdown(T("rnn.text_intro"))
    controls, main = st.columns([1, 2], gap="large")
    with controls:
        st.subheader(T("rnn.section.sentiment"))
        config = sentiment_controls(lang)
    tokenizer_demo(lang, config)

    def render(config, result, tag: str) -> None:
        if _ok(result):
            sentiment_view(config, result, lang, tag)

    with main:
        training.run_task(
            rnn.train_sentiment,
            config,
            lang=lang,
            key="rnn_sentiment",
            epochs=config.epochs,
            code=rnn.code_sentiment(config),
            code_file="rnn_sentiment.py",
            run_names=lambda run: T(f"rnn.model.{run}"),
            render=render,
        )
        imdb_section(config, lang)


def imdb_config(config) -> rnn.ImdbConfig:
    """The IMDB run that goes with the Text tab's settings (its vocabulary)."""
    return rnn.ImdbConfig(
        num_words=config.max_tokens,
        embedding_dim=config.embedding_dim,
        units=config.units,
        seed=config.seed,
    )


def imdb_section(config, lang: str) -> None:
    """The real IMDB reviews: loaded and trained only on a button press (they
    need the internet); offline, a clear message within about a second."""
    T = _tr(lang)
    with st.expander(T("rnn.imdb")):
        st.markdown(T("rnn.imdb_note"))
        st.code(rtext_imdb_code(), language="python")
        imdb = imdb_config(config)
        st.caption(
            T(
                "rnn.imdb_subset",
                train=imdb.num_train,
                test=imdb.num_test,
                words=imdb.num_words,
                maxlen=imdb.maxlen,
                epochs=imdb.epochs,
            )
        )
        if st.button(T("rnn.imdb_load"), key="rnn_imdb_load"):
            with st.spinner(T("rnn.imdb_checking")):
                available = rtext.imdb_available()
            # Train this config only: a changed vocabulary needs a new press.
            st.session_state["rnn_imdb_on"] = imdb if available else None
            if not available:
                st.warning(T("rnn.imdb_offline"), icon=":material/cloud_off:")
        if st.session_state.get("rnn_imdb_on") != imdb:
            return

        def render(config, result, tag: str) -> None:
            if _ok(result) and "test_accuracy" in result.metrics:
                share = result.metrics["positive_share"]
                cols = st.columns(2)
                cols[0].metric(
                    T("rnn.imdb_accuracy"), f"{result.metrics['test_accuracy']:.3f}"
                )
                cols[1].metric(T("rnn.imdb_baseline"), f"{max(share, 1 - share):.3f}")

        training.run_task(
            rnn.train_imdb,
            imdb,
            lang=lang,
            key="rnn_imdb",
            epochs=imdb.epochs,
            code=imdb_code(imdb),
            code_file="rnn_imdb.py",
            pin=False,
            render=render,
        )


def imdb_code(config) -> str:
    from dlcore.rnn.export import code_imdb_subset

    return code_imdb_subset(config)


def rtext_imdb_code() -> str:
    from dlcore.rnn.export import code_imdb

    return code_imdb()
