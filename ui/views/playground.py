"""The MLP playground's body: data, network and training controls, then the result."""

from __future__ import annotations

import streamlit as st

from dlcore import datasets, playground
from dlcore.figures import playground as figures
from dlcore.i18n import t
from ui import charts, state, training

D = playground.PlaygroundConfig()  # the defaults of every control


def controls(lang: str) -> playground.PlaygroundConfig:
    """Every control of the playground; returns the config they describe."""

    def T(key: str, **kwargs: object) -> str:
        return t(key, lang, **kwargs)

    st.subheader(T("pg.data"))
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
    st.subheader(T("pg.network"))
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
    st.subheader(T("pg.training"))
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
    with st.expander(T("pg.regularization")):
        l2 = state.select(
            "pg_l2",
            T("pg.l2"),
            [0.0, 0.0001, 0.001, 0.01, 0.1],
            D.l2,
            widget="select_slider",
        )
        dropout = state.slider("pg_dropout", T("pg.dropout"), 0.0, 0.5, D.dropout, 0.1)
    seed = state.number("pg_seed", T("common.seed"), 0, 9999, D.seed, 1)

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


def result(config: playground.PlaygroundConfig, lang: str) -> None:
    """Train (live curves, cached) and show the metrics and the decision boundary.

    While a new run trains, the last finished boundary stays in view, labelled.
    """
    training.run_task(
        playground.train_playground,
        config,
        lang=lang,
        key="pg",
        epochs=config.epochs,
        code=playground.code_playground(config),
        code_file="mlp_playground.py",
        render=lambda cfg, res, tag: _boundary(cfg, res, tag, lang),
    )


def _boundary(config: playground.PlaygroundConfig, result, tag: str, lang: str) -> None:
    """The decision boundary and the headline metrics of one finished run."""
    if result.status != "finished":
        return
    m = result.metrics
    cols = st.columns(3)
    cols[0].metric(t("pg.train_acc", lang), f"{m['accuracy']:.1%}")
    cols[1].metric(t("pg.val_acc", lang), f"{m['val_accuracy']:.1%}")
    cols[2].metric(t("pg.val_loss", lang), f"{m['val_loss']:.3f}")
    art = result.artifacts
    figure = figures.boundary_figure(
        playground.load_data(config),
        art["grid_x"],
        art["grid_y"],
        art["surface"],
        lang=lang,
    )
    charts.plotly(figure, key=f"pg_boundary_{tag}")
    st.caption(t("pg.boundary_note", lang))
