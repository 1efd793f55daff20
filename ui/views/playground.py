"""The MLP playground's controls: data, features, network, training, regularization.

Layout: one wrapping row of two boxes, the result first. On a desktop they sit
side by side (the result on the left, the controls on the right); on a phone
the row wraps, and the result box (keyed ``sticky_…``: the shell keeps it at
the top of a phone's screen) stays in view above the controls while they
scroll, so every slider move shows its boundary without scrolling back up.
The training (curves, code, pins) and the network / replay / evaluation tabs
follow below the row (:mod:`ui.views.playground_results`).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from dlcore import playground
from dlcore.i18n import t
from dlcore.playground import data as pdata
from ui import state
from ui.shell import translator

D = playground.PlaygroundConfig()  # the defaults of every control
#: Width of the controls box in px (two columns of controls on a desktop).
CONTROLS_WIDTH = 540
FEATURE_LABELS = {
    "x1": "X₁",
    "x2": "X₂",
    "x1sq": "X₁²",
    "x2sq": "X₂²",
    "x1x2": "X₁X₂",
    "sin_x1": "sin(X₁)",
    "sin_x2": "sin(X₂)",
}
#: Session key of the parsed upload: ``(file id, rows, kind, dropped)``.
UPLOAD_KEY = "_pg_upload"


def layout() -> tuple[Any, Any]:
    """The row of the result box (sticky on a phone) and the controls box.

    Keys of these containers do not start with ``pg_``: that prefix names the
    page's controls (the teacher's hide/lock lists).
    """
    row = st.container(horizontal=True, gap="medium")
    result_box = row.container(key="sticky_pg_result")
    controls_box = row.container(width=CONTROLS_WIDTH)
    return result_box, controls_box


def controls(lang: str) -> tuple[playground.PlaygroundConfig | None, dict]:
    """Every control of the playground: ``(config, display options)``; the
    config is ``None`` while "Your own CSV" has no valid file yet."""
    T = translator(lang)
    first, second = st.columns(2, gap="medium")
    with first:
        st.subheader(T("pg.data"))
        data, points = _data_controls(T, lang)
        st.subheader(T("pg.network"))
        network = _network_controls(T)
    with second:
        st.subheader(T("pg.training"))
        training = _training_controls(T)
        show = {
            "show_test": state.toggle("pg_show_test", T("pg.show_test"), True),
            "discretize": state.toggle("pg_discretize", T("pg.discretize"), False),
        }
    features = state.multiselect(
        "pg_features",
        T("pg.features"),
        list(pdata.FEATURES),
        list(D.features),
        widget="pills",
        format_func=FEATURE_LABELS.get,
        help=T("pg.features_help"),
    ) or list(D.features)
    kind = _kind(data["dataset"], points)
    outputs = playground.OUTPUTS_FOR[kind]
    output = state.select(
        "pg_output",
        T("pg.output_loss"),
        outputs,
        outputs[0],
        format_func=lambda o: T(f"pg.out.{o}"),
    )
    st.caption(T("pg.out_why"))
    with st.expander(T("pg.regularization")):
        regular = _regularization(T, lang)
    if data["dataset"] == "upload" and points is None:
        return None, show
    config = playground.PlaygroundConfig(
        **data,
        features=tuple(features),
        output=output,
        points=points or (),
        **network,
        **training,
        **regular,
    )
    return config, show


def _kind(dataset: str, points: tuple | None) -> str:
    if dataset == "upload" and points:
        return playground.PlaygroundConfig(dataset="upload", points=points).kind
    return pdata.kind_of(dataset)


def _data_controls(T, lang: str) -> tuple[dict, tuple | None]:
    dataset = state.select(
        "pg_dataset",
        T("pg.dataset"),
        list(pdata.DATASETS),
        D.dataset,
        format_func=lambda d: T(f"pg.ds.{d}"),
    )
    values: dict[str, Any] = {"dataset": dataset}
    points = None
    if dataset == "multiclass":
        values["num_classes"] = state.slider("pg_classes", T("pg.classes"), 3, 5, 3, 1)
    if dataset == "upload":
        points = _upload(T, lang)
    else:
        values["noise"] = state.slider(
            "pg_noise", T("pg.noise"), 0.0, 0.5, D.noise, 0.05
        )
        values["num_samples"] = state.select(
            "pg_num_samples",
            T("pg.num_samples"),
            [60, 100, 200, 400, 800],
            D.num_samples,
            widget="select_slider",
        )
    percent = state.slider("pg_train_pct", T("pg.train_pct"), 10, 90, 80, 10)
    values["train_fraction"] = percent / 100
    return values, points


def _upload(T, lang: str) -> tuple | None:
    """The validated rows of the uploaded CSV, or ``None`` (reason shown)."""
    upload = st.file_uploader(T("pg.upload"), type=["csv", "txt"], key="upload_pg_csv")
    if upload is None:
        st.info(T("pg.upload_prompt"), icon=":material/upload:")
        return None
    cached = st.session_state.get(UPLOAD_KEY)
    if cached is None or cached[0] != upload.file_id:
        try:
            rows, kind, dropped = pdata.parse_csv(upload.getvalue())
        except pdata.UploadError as error:
            details = {
                k: state.plain(v) if isinstance(v, str) else v
                for k, v in error.details.items()
            }
            message = t(f"pg.upload.{error.code}", lang, **details)
            st.error(f"{state.plain(upload.name)}: {message}", icon=":material/error:")
            return None
        cached = (upload.file_id, rows, kind, dropped)
        st.session_state[UPLOAD_KEY] = cached
    _, rows, kind, dropped = cached
    st.caption(
        T("pg.upload_ok", rows=len(rows), kind=T(f"pg.kind.{kind}"), dropped=dropped)
    )
    return rows


def _network_controls(T) -> dict:
    num_layers = state.slider(
        "pg_num_layers",
        T("pg.num_layers"),
        0,
        playground.MAX_LAYERS,
        len(D.hidden_layers),
        1,
    )
    widths = []
    if num_layers:
        st.caption(T("pg.width"))  # one number per layer, with − / + buttons
    columns = st.columns(3) if num_layers else []
    for i in range(num_layers):
        default = D.hidden_layers[i] if i < len(D.hidden_layers) else 4
        with columns[i % 3]:
            widths.append(
                state.number(
                    f"pg_w{i + 1}",
                    T("pg.w", i=i + 1),
                    1,
                    playground.MAX_WIDTH,
                    default,
                    1,
                )
            )
    activation = state.select(
        "pg_activation", T("pg.activation"), playground.ACTIVATIONS, D.activation
    )
    initializer = state.select(
        "pg_init", T("pg.init"), playground.INITIALIZERS, D.initializer
    )
    return {
        "hidden_layers": tuple(int(w) for w in widths),
        "activation": activation,
        "initializer": initializer,
    }


def _training_controls(T) -> dict:
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
        [1, 4, 8, 16, 32, 64, 256],
        D.batch_size,
        widget="select_slider",
    )
    epochs = state.slider("pg_epochs", T("pg.epochs"), 1, 400, D.epochs, 1)
    # TF Playground's "step": one more epoch. The run of epochs + 1 replays the
    # same seeded epochs first (deterministic, a re-run of a compiled loop).
    st.button(
        T("pg.step_epoch"),
        key="step_pg",
        icon=":material/skip_next:",
        help=T("pg.step_epoch_help"),
        disabled=int(epochs) >= 400 or state.is_fixed("pg_epochs"),
        on_click=lambda: state.apply({"pg_epochs": min(400, int(epochs) + 1)}),
    )
    target_loss = state.select(
        "pg_target_loss",
        T("pg.target_loss"),
        [0.0, 0.01, 0.02, 0.05, 0.1, 0.2],
        D.target_loss,
        widget="select_slider",
    )
    seed = state.number("pg_seed", T("common.seed"), 0, 9999, D.seed, 1)
    st.button(
        T("pg.regenerate"),
        key="regenerate_pg",
        icon=":material/casino:",
        on_click=lambda: state.apply({"pg_seed": (int(seed) + 1) % 10000}),
    )
    return {
        "optimizer": optimizer,
        "learning_rate": learning_rate,
        "batch_size": batch_size,
        "epochs": epochs,
        "target_loss": target_loss,
        "seed": int(seed),
    }


def _regularization(T, lang: str) -> dict:
    rates = [0.0, 0.0001, 0.001, 0.01, 0.1]
    l1 = state.select(
        "pg_l1", T("pg.l1"), rates, D.l1, widget="select_slider", help=T("pg.l1_help")
    )
    l2 = state.select(
        "pg_l2", T("pg.l2"), rates, D.l2, widget="select_slider", help=T("pg.l2_help")
    )
    dropout = state.slider("pg_dropout", T("pg.dropout"), 0.0, 0.5, D.dropout, 0.1)
    _l2_explanation(lang)
    return {"l1": l1, "l2": l2, "dropout": dropout}


def _l2_explanation(lang: str) -> None:
    """What the L1/L2 controls compute, and how L2 differs from AdamW's decay."""
    st.markdown(t("pg.l2_what", lang))
    over = t("pg.l2_sum_over", lang)
    st.latex(
        rf"\mathcal{{L}} = \mathrm{{loss}} + \ell_1 \sum_{{\text{{{over}}}}} |w|"
        rf" + \lambda \sum_{{\text{{{over}}}}} w^2"
    )
    st.latex(r"\frac{\partial\,(\lambda w^2)}{\partial w} = 2\lambda w")
    st.markdown(t("pg.l2_vs_decay", lang))
    st.latex(r"\theta \leftarrow \theta - \eta\,\lambda\,\theta")
    st.caption(t("pg.l2_source", lang))
