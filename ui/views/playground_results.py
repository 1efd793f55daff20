"""The MLP playground's results: the boundary in the result box; below it the
network diagram, the replay and the evaluation (tabs) of the finished run."""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st

from dlcore import playground
from dlcore.figures import playground as figures
from dlcore.i18n import t
from ui import charts, state, training

#: Height of the decision boundary in px: with the metrics, about half a
#: phone's screen, so the controls below it stay reachable.
BOUNDARY_HEIGHT = 410
TABS = ("network", "replay", "evaluation")


def result(
    config: playground.PlaygroundConfig | None,
    show: dict,
    lang: str,
    where: Any,
    details: Any,
) -> None:
    """Train (live curves, cached) and show the metrics and the decision boundary.

    The boundary and the metrics go in ``where`` (the result box, sticky on a
    phone); the network / replay / evaluation tabs in ``details``; the
    progress, the curves and the code at the current place. While a new run
    trains, the last finished boundary stays in the result box, labelled.
    """
    box = where.empty()
    if config is None:  # "your own CSV" without a valid file
        box.caption(t("pg.no_upload", lang))
        return
    box.caption(t("pg.boundary_pending", lang))  # until a run has finished

    def render(cfg, res, tag: str) -> None:
        _boundary(cfg, res, tag, lang, box, show)
        if tag == "final" and res.status == "finished":
            with details:
                _details(cfg, res, lang)

    training.run_task(
        playground.train_playground,
        config,
        lang=lang,
        key="pg",
        epochs=config.epochs,
        code=playground.code_playground(config),
        code_file="mlp_playground.py",
        render=render,
        previous_caption=False,  # the result box labels it
    )


def _metrics_line(config, result, lang: str) -> str:
    m = result.metrics
    title = t("pg.boundary", lang)
    if config.kind == "regression":
        return t(
            "pg.metrics_reg",
            lang,
            title=t("pg.regression_title", lang),
            **{
                k: f"{m[k]:.3f}" for k in ("r2", "val_r2", "rmse", "val_rmse") if k in m
            },
        )
    return t(
        "pg.metrics",
        lang,
        title=title,
        train=f"{m['accuracy']:.1%}",
        val=f"{m['val_accuracy']:.1%}",
        loss=f"{m['val_loss']:.3f}",
    )


def _boundary(config, result, tag: str, lang: str, box: Any, show: dict) -> None:
    """The headline metrics and the decision boundary of one run, in ``box``.

    Always the same four slots (label, metrics, chart, note), filled or
    left empty: a container drawn again in the same script run keeps the
    children the new drawing does not overwrite.
    """
    with box.container():
        label, line, chart, note = (st.empty() for _ in range(4))
        if tag == "previous":
            label.caption(t("train.previous", lang))
        if result.status != "finished":
            line.warning(t("pg.no_boundary", lang), icon=":material/warning:")
            return
        line.markdown(_metrics_line(config, result, lang))
        art = result.artifacts
        figure = figures.boundary_figure(
            config,
            playground.load_points(config),
            art["grid_x"],
            art["grid_y"],
            art["surface"],
            lang=lang,
            height=BOUNDARY_HEIGHT,
            title=False,  # it heads the metrics line above
            **show,
        )
        charts.plotly(figure, key=f"pgfig_boundary_{tag}", where=chart)
        notes = [_timing(config, result, lang)]
        if config.l1 and "l1_penalty" in art:
            notes.append(
                t(
                    "pg.l1_value",
                    lang,
                    l1=config.l1,
                    total=art["l1_sum"],
                    penalty=art["l1_penalty"],
                )
            )
        if config.l2 and "l2_penalty" in art:
            notes.append(
                t(
                    "pg.l2_value",
                    lang,
                    l2=config.l2,
                    squares=art["l2_squares"],
                    penalty=art["l2_penalty"],
                )
            )
        note.caption("  \n".join(notes))


def _timing(config, result, lang: str) -> str:
    seconds = np.asarray(result.artifacts.get("epoch_seconds", []))
    text = t(
        "pg.timing",
        lang,
        epochs=len(result.history),
        ms=1000 * float(np.median(seconds)) if len(seconds) else 0.0,
        total=float(result.wall_time),
    )
    if result.artifacts.get("stopped") == "target":
        text += " · " + t(
            "pg.stopped_target",
            lang,
            epoch=len(result.history),
            target=config.target_loss,
        )
    return text


def _details(config, result, lang: str) -> None:
    """Tabs under the training: the network, the replay, the evaluation."""
    tabs = state.tabs("pg_tab", TABS, lambda i: t(f"pg.tab.{i}", lang))
    art = result.artifacts
    if tabs["network"].open:
        with tabs["network"]:
            _network(config, art, lang)
    if tabs["replay"].open:
        with tabs["replay"]:
            st.caption(t("pg.replay_note", lang))
            figure = figures.replay_figure(
                config,
                playground.load_points(config),
                art,
                result.history,
                lang=lang,
            )
            charts.plotly(figure, key="pgfig_replay")
    if tabs["evaluation"].open:
        with tabs["evaluation"]:
            _evaluation(config, result, lang)


def _network(config, art: dict, lang: str) -> None:
    epochs = [int(e) for e in art["snap_epochs"]]
    epoch = state.select(
        "pg_diagram_epoch",
        t("pg.diagram_epoch", lang),
        epochs,
        epochs[-1],
        widget="select_slider",
    )
    index = epochs.index(epoch)
    neurons = [layer[index] for layer in art["snap_neurons"]]
    weights = art["snap_weights"][index]
    st.caption(t("pg.diagram_note", lang))
    charts.plotly(
        figures.network_figure(
            config,
            neurons,
            weights,
            lang=lang,
            title=t("pg.replay_epoch", lang, epoch=epoch),
        ),
        key="pgfig_network",
    )
    labels = figures.neuron_labels(config, lang)
    choices = [f"{i}:{j}" for i, layer in enumerate(labels) for j in range(len(layer))]
    names = dict(
        zip(choices, [name for layer in labels for name in layer], strict=True)
    )
    pick = state.select(
        "pg_neuron",
        t("pg.pick_neuron", lang),
        choices,
        choices[-1],
        format_func=names.get,
    )
    layer, unit = (int(v) for v in pick.split(":"))
    # the big view: the same weights on the fine grid of the boundary
    axis = art["grid_x"]
    pairs = list(zip(weights[0::2], weights[1::2], strict=True))
    outputs = playground.layer_outputs(config, pairs, playground.mesh(axis))
    values = outputs[layer][:, unit].reshape(len(axis), len(axis))
    charts.plotly(
        figures.neuron_heatmap(
            config,
            axis,
            values,
            names[pick],
            lang=lang,
            points=playground.load_points(config),
            probability=layer == len(outputs) - 1
            and config.output in ("sigmoid_bce", "softmax_cce"),
        ),
        key="pgfig_neuron",
    )


def _evaluation(config, result, lang: str) -> None:
    art, m = result.artifacts, result.metrics
    if "confusion" in art:
        charts.plotly(
            figures.confusion_figure(art["confusion"], lang=lang), key="pgfig_confusion"
        )
    else:
        st.markdown(t("pg.regression_eval", lang, r2=m["val_r2"], rmse=m["val_rmse"]))
    weights = art["snap_weights"][-1]
    st.download_button(
        t("pg.download_keras", lang),
        data=lambda: playground.keras_file(config, weights),
        file_name="mlp_playground.keras",
        mime="application/octet-stream",
        key="pgdl_keras",
        icon=":material/download:",
    )
