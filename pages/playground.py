"""MLP playground: a real Keras MLP separates two classes of 2-D points."""

import streamlit as st

from dlcore import datasets, playground
from dlcore.figures import playground as figures
from ui import shell, training

lang = shell.page("playground")
T = shell.translator(lang)

PRESETS = {  # teacher presets: name -> widget values
    "linear_xor": {"pg_dataset": "xor", "pg_num_layers": 0, "pg_optimizer": "adam"},
    "spiral": {"pg_dataset": "spiral", "pg_noise": 0.0, "pg_num_layers": 3, "pg_width": 16,
               "pg_epochs": 120, "pg_lr": 0.01},
    "too_fast": {"pg_dataset": "circle", "pg_activation": "linear", "pg_optimizer": "sgd",
                 "pg_lr": 3.0},
    "overfit": {"pg_dataset": "xor", "pg_noise": 0.5, "pg_num_samples": 60,
                "pg_num_layers": 3, "pg_width": 32, "pg_epochs": 200, "pg_l2": 0.0},
    "l2": {"pg_dataset": "xor", "pg_noise": 0.5, "pg_num_samples": 60,
           "pg_num_layers": 3, "pg_width": 32, "pg_epochs": 200, "pg_l2": 0.01},
}  # fmt: skip


def apply_preset() -> None:
    st.session_state.update(PRESETS.get(st.session_state.pg_preset, {}))


st.title(T("pg.title"))
st.markdown(T("pg.intro"))

with st.sidebar:
    st.selectbox(
        T("common.preset"),
        ["none", *PRESETS],
        key="pg_preset",
        format_func=lambda p: T(f"pg.preset.{p}"),
        on_change=apply_preset,
    )

controls, chart = st.columns([1, 2], gap="large")
with controls:
    st.subheader(T("pg.data"))
    dataset = st.selectbox(
        T("pg.dataset"),
        list(datasets.TOY_GENERATORS),
        key="pg_dataset",
        format_func=lambda d: T(f"pg.ds.{d}"),
        bind="query-params",
    )
    noise = st.slider(
        T("pg.noise"), 0.0, 0.5, 0.1, 0.05, key="pg_noise", bind="query-params"
    )
    num_samples = st.select_slider(
        T("pg.num_samples"),
        [60, 100, 200, 400, 800],
        400,
        key="pg_num_samples",
        bind="query-params",
    )
    st.subheader(T("pg.network"))
    num_layers = st.slider(
        T("pg.num_layers"), 0, 4, 2, key="pg_num_layers", bind="query-params"
    )
    width = st.select_slider(
        T("pg.width"),
        [2, 4, 8, 16, 32],
        8,
        key="pg_width",
        bind="query-params",
        disabled=num_layers == 0,
    )
    activation = st.selectbox(
        T("pg.activation"),
        playground.ACTIVATIONS,
        key="pg_activation",
        bind="query-params",
    )
    st.subheader(T("pg.training"))
    optimizer = st.selectbox(
        T("pg.optimizer"),
        playground.OPTIMIZERS,
        key="pg_optimizer",
        format_func=lambda o: T(f"pg.opt.{o}"),
        bind="query-params",
    )
    learning_rate = st.select_slider(
        T("pg.learning_rate"),
        [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0],
        0.03,
        key="pg_lr",
        bind="query-params",
    )
    batch_size = st.select_slider(
        T("pg.batch_size"),
        [1, 4, 16, 64, 256],
        16,
        key="pg_batch_size",
        bind="query-params",
    )
    epochs = st.select_slider(
        T("pg.epochs"),
        [20, 60, 120, 200, 400],
        60,
        key="pg_epochs",
        bind="query-params",
    )
    with st.expander(T("pg.regularization")):
        l2 = st.select_slider(
            T("pg.l2"),
            [0.0, 0.0001, 0.001, 0.01, 0.1],
            0.0,
            key="pg_l2",
            bind="query-params",
        )
        dropout = st.slider(
            T("pg.dropout"), 0.0, 0.5, 0.0, 0.1, key="pg_dropout", bind="query-params"
        )
    seed = st.number_input(
        T("common.seed"), 0, 9999, 0, key="pg_seed", bind="query-params"
    )

config = playground.PlaygroundConfig(
    dataset=dataset, noise=noise, num_samples=num_samples,
    hidden_layers=(width,) * num_layers, activation=activation, optimizer=optimizer,
    learning_rate=learning_rate, batch_size=batch_size, epochs=epochs, l2=l2,
    dropout=dropout, seed=int(seed),
)  # fmt: skip

with chart:
    boundary = st.empty()
    result = training.run_task(
        playground.train_playground, config, lang=lang, key="pg", epochs=epochs,
        code=playground.code_playground(config), code_file="mlp_playground.py",
    )  # fmt: skip
    if result is not None and result.status == "finished":
        m = result.metrics
        cols = st.columns(3)
        cols[0].metric(T("pg.train_acc"), f"{m['accuracy']:.1%}")
        cols[1].metric(T("pg.val_acc"), f"{m['val_accuracy']:.1%}")
        cols[2].metric(T("pg.val_loss"), f"{m['val_loss']:.3f}")
        art = result.artifacts
        with boundary.container():
            st.plotly_chart(
                figures.boundary_figure(
                    playground.load_data(config),
                    art["grid_x"],
                    art["grid_y"],
                    art["surface"],
                    lang=lang,
                ),
                key="pg_boundary",
            )
            st.caption(T("pg.boundary_note"))
