"""The MLP playground's body: the result beside data, network and training controls.

Layout: one wrapping row of two boxes, the result first. On a desktop they sit
side by side (the result on the left, the controls on the right); on a phone
the row wraps, and the result box (keyed ``sticky_…``: the shell keeps it at
the top of a phone's screen) stays in view above the controls while they
scroll, so every slider move shows its boundary without scrolling back up.
The learning curves, the code and the pinned runs follow below the row.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from dlcore import datasets, playground
from dlcore.figures import playground as figures
from dlcore.i18n import t
from ui import charts, state, training
from ui.shell import translator

D = playground.PlaygroundConfig()  # the defaults of every control
#: Width of the controls box in px (two columns of controls on a desktop).
CONTROLS_WIDTH = 540
#: Height of the decision boundary in px: with the metrics, about half a
#: phone's screen, so the controls below it stay reachable.
BOUNDARY_HEIGHT = 410


def layout() -> tuple[Any, Any]:
    """The row of the result box (sticky on a phone) and the controls box.

    Keys of these containers do not start with ``pg_``: that prefix names the
    page's controls (the teacher's hide/lock lists).
    """
    row = st.container(horizontal=True, gap="medium")
    result_box = row.container(key="sticky_pg_result")
    controls_box = row.container(width=CONTROLS_WIDTH)
    return result_box, controls_box


def controls(lang: str) -> playground.PlaygroundConfig:
    """Every control of the playground; returns the config they describe."""

    T = translator(lang)

    # Two columns on a desktop (all controls beside the boundary without a
    # scroll); on a phone they stack under the result box.
    first, second = st.columns(2, gap="medium")
    with first:
        st.subheader(T("pg.data"))
        dataset, noise, num_samples = _data_controls(T)
        st.subheader(T("pg.network"))
        num_layers, width, activation = _network_controls(T)
    with second:
        st.subheader(T("pg.training"))
        optimizer, learning_rate, batch_size, epochs = _training_controls(T)
        seed = state.number("pg_seed", T("common.seed"), 0, 9999, D.seed, 1)
    # Under both columns: the L2 formulas need the width of the whole box.
    with st.expander(T("pg.regularization")):
        l2 = state.select(
            "pg_l2",
            T("pg.l2"),
            [0.0, 0.0001, 0.001, 0.01, 0.1],
            D.l2,
            widget="select_slider",
            help=T("pg.l2_help"),
        )
        dropout = state.slider("pg_dropout", T("pg.dropout"), 0.0, 0.5, D.dropout, 0.1)
        _l2_explanation(lang)

    return playground.PlaygroundConfig(
        dataset=dataset,
        noise=noise,
        num_samples=num_samples,
        hidden_layers=(width,) * num_layers,
        activation=activation,
        optimizer=optimizer,
        learning_rate=learning_rate,
        batch_size=batch_size,
        epochs=epochs,
        l2=l2,
        dropout=dropout,
        seed=int(seed),
    )


def _data_controls(T) -> tuple[str, float, int]:
    dataset = state.select(
        "pg_dataset",
        T("pg.dataset"),
        list(datasets.TOY_GENERATORS),
        D.dataset,
        format_func=lambda d: T(f"pg.ds.{d}"),
    )
    noise = state.slider("pg_noise", T("pg.noise"), 0.0, 0.5, D.noise, 0.05)
    num_samples = state.select(
        "pg_num_samples",
        T("pg.num_samples"),
        [60, 100, 200, 400, 800],
        D.num_samples,
        widget="select_slider",
    )
    return dataset, noise, num_samples


def _network_controls(T) -> tuple[int, int, str]:
    num_layers = state.slider(
        "pg_num_layers", T("pg.num_layers"), 0, 4, len(D.hidden_layers), 1
    )
    width = state.select(
        "pg_width",
        T("pg.width"),
        [2, 4, 8, 16, 32],
        D.hidden_layers[0],
        widget="select_slider",
        disabled=num_layers == 0,
    )
    activation = state.select(
        "pg_activation", T("pg.activation"), playground.ACTIVATIONS, D.activation
    )
    return num_layers, width, activation


def _training_controls(T) -> tuple[str, float, int, int]:
    optimizer = state.select(
        "pg_optimizer",
        T("pg.optimizer"),
        playground.OPTIMIZERS,
        D.optimizer,
        format_func=lambda o: T(f"pg.opt.{o}"),
    )
    learning_rate = state.select(
        "pg_lr",
        T("pg.learning_rate"),
        [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0],
        D.learning_rate,
        widget="select_slider",
    )
    batch_size = state.select(
        "pg_batch_size",
        T("pg.batch_size"),
        [1, 4, 16, 64, 256],
        D.batch_size,
        widget="select_slider",
    )
    epochs = state.select(
        "pg_epochs",
        T("pg.epochs"),
        [20, 60, 120, 200, 400],
        D.epochs,
        widget="select_slider",
    )
    return optimizer, learning_rate, batch_size, epochs


def _l2_explanation(lang: str) -> None:
    """What the L2 control computes, and how it differs from AdamW's weight decay."""
    st.markdown(t("pg.l2_what", lang))
    over = t("pg.l2_sum_over", lang)
    st.latex(rf"\mathcal{{L}} = \mathrm{{BCE}} + \lambda \sum_{{\text{{{over}}}}} w^2")
    st.latex(r"\frac{\partial\,(\lambda w^2)}{\partial w} = 2\lambda w")
    st.markdown(t("pg.l2_vs_decay", lang))
    st.latex(r"\theta \leftarrow \theta - \eta\,\lambda\,\theta")
    st.caption(t("pg.l2_source", lang))


def result(config: playground.PlaygroundConfig, lang: str, where: Any) -> None:
    """Train (live curves, cached) and show the metrics and the decision boundary.

    The boundary and the metrics go in ``where`` (the result box, sticky on a
    phone); the progress, the curves and the code below the controls. While a
    new run trains, the last finished boundary stays in the result box,
    labelled as such.
    """
    box = where.empty()
    box.caption(t("pg.boundary_pending", lang))  # until a run has finished
    training.run_task(
        playground.train_playground,
        config,
        lang=lang,
        key="pg",
        epochs=config.epochs,
        code=playground.code_playground(config),
        code_file="mlp_playground.py",
        render=lambda cfg, res, tag: _boundary(cfg, res, tag, lang, box),
        previous_caption=False,  # the result box labels it
    )


def _boundary(
    config: playground.PlaygroundConfig, result, tag: str, lang: str, box: Any
) -> None:
    """The headline metrics and the decision boundary of one run, in ``box``.

    Always the same four slots (label, metrics, chart, L2 note), filled or
    left empty: a container drawn again in the same script run keeps the
    children the new drawing does not overwrite, so a "previous" drawing with
    more elements than the final one left its chart under the new one.
    """
    with box.container():
        label, line, chart, note = (st.empty() for _ in range(4))
        if tag == "previous":
            label.caption(t("train.previous", lang))
        if result.status != "finished":
            line.warning(t("pg.no_boundary", lang), icon=":material/warning:")
            return
        m = result.metrics
        # One line (two on a phone), not three st.metric blocks: the result box
        # must leave room for the controls under it on a phone.
        line.markdown(
            t(
                "pg.metrics",
                lang,
                title=t("pg.boundary", lang),
                train=f"{m['accuracy']:.1%}",
                val=f"{m['val_accuracy']:.1%}",
                loss=f"{m['val_loss']:.3f}",
            )
        )
        art = result.artifacts
        figure = figures.boundary_figure(
            playground.load_data(config),
            art["grid_x"],
            art["grid_y"],
            art["surface"],
            lang=lang,
            height=BOUNDARY_HEIGHT,
            title=False,  # it heads the metrics line above
        )
        charts.plotly(figure, key=f"pgfig_boundary_{tag}", where=chart)
        if config.l2 and "l2_penalty" in art:
            note.caption(
                t(
                    "pg.l2_value",
                    lang,
                    l2=config.l2,
                    squares=art["l2_squares"],
                    penalty=art["l2_penalty"],
                )
            )
