"""Sections of the CNN page (``pages/cnn.py``): widgets and charts only.

Every number shown here is computed by :mod:`dlcore.cnn` and drawn by
:mod:`dlcore.figures.cnn` / :mod:`dlcore.figures.cnn_results`; this module only
lays out controls and results. One function per tab: :func:`train`,
:func:`inside`, :func:`transfer` here, ``convolution`` in
:mod:`ui.views.cnn_conv`.

Every control goes through :mod:`ui.state` (its key, ``cnn_…``, is the URL
parameter). The architecture controls (:func:`cnn_controls`) are drawn with the
same keys in the Train and in the Inside tab: only one tab runs per rerun, and
the state helper keeps their values while the other tab is open.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from dlcore import cnn, datasets
from dlcore.figures import cnn as figures
from dlcore.figures import cnn_results as result_figures
from dlcore.figures import theme
from dlcore.i18n import t
from ui import charts, state, training
from ui.shell import translator as _tr  # T(key, **fmt) in lang

#: Tab ids of the page, in order (``?cnn_tab=<id>``).
TABS: tuple[str, ...] = ("conv", "train", "inside", "transfer", "photos")
DATASETS = ("digits", "mnist", "fashion_mnist")
UPLOAD_SIZES = (8, 12, 16, 28)
FILTERS = (4, 8, 16, 32, 64)
DROPOUTS = (0.0, 0.1, 0.2, 0.3, 0.5)
LEARNING_RATES = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
EPOCHS = (1, 2, 5, 10, 20, 40)
BATCH_SIZES = (16, 32, 64, 128)
D = cnn.CNNConfig()  # the defaults of the architecture controls
DT = cnn.TransferConfig()  # the defaults of the transfer controls


def ok(result) -> bool:
    """A finished (not diverged) training result."""
    return result is not None and result.status == "finished"


def _fallback(key: str, options: Collection[Any], value: Any) -> None:
    """Before a control whose options depend on other controls: a value (the
    widget's, or the one the state helper kept) that is no longer an option
    becomes ``value`` (no 5×5 emboss, no ``conv3`` in a 2-block network)."""
    kept = st.session_state.get(state._CANON, {})
    current = st.session_state[key] if key in st.session_state else kept.get(key)
    if (key in st.session_state or key in kept) and current not in options:
        state.apply({key: value}, known={})  # valid for the new options


# ----------------------------------------------------------------------------
# Cached computations (pure dlcore calls)
# ----------------------------------------------------------------------------


@st.cache_data(max_entries=2, show_spinner=False)
def digit_images() -> tuple[np.ndarray, np.ndarray]:
    """The held-out digits (the test set of the Train tab)."""
    data = datasets.load("digits")
    return np.asarray(data.x_val)[..., 0], np.asarray(data.y_val)


@st.cache_data(ttl=120, max_entries=4, show_spinner=False)
def dataset_missing(name: str) -> bool:
    """Whether ``keras.datasets`` cannot provide ``name`` right now (offline)."""
    try:
        datasets.load(name)
    except datasets.DatasetUnavailable:
        return True
    return False


@st.cache_data(max_entries=32, show_spinner=False)
def layer_tables(config: cnn.CNNConfig) -> tuple[pd.DataFrame, pd.DataFrame]:
    shape, classes = cnn.DATASET_SHAPES[config.dataset]
    return (
        cnn.layer_table(cnn.build_cnn(config, shape, classes)),
        cnn.layer_table(cnn.build_dense_baseline(config, shape, classes)),
    )


@st.cache_resource(max_entries=3, show_spinner=False)
def trained_model(config: cnn.CNNConfig, _artifacts: dict) -> tuple:
    """The CNN the student trained, rebuilt from its weights, and a lock for it."""
    model = cnn.rebuild_model(
        config,
        _artifacts["weights"],
        _artifacts["input_shape"],
        _artifacts["num_classes"],
    )
    return model, threading.Lock()


@st.cache_data(max_entries=32, show_spinner=False)
def filter_images(config: cnn.CNNConfig, _artifacts: dict, layer: str, first: int):
    model, lock = trained_model(config, _artifacts)
    count = int(model.get_layer(layer).output.shape[-1])
    indices = list(range(first, min(first + 8, count)))
    with lock:
        return cnn.filter_visualization(model, layer, indices), indices


# ----------------------------------------------------------------------------
# Controls shared by the tabs (Tab 1 is in ``ui/views/cnn_conv.py``)
# ----------------------------------------------------------------------------


def _segmented(key: str, label: str, options, default, **kwargs: Any) -> Any:
    """A segmented control (wraps on a phone) through the state helper."""
    return state.select(
        key, label, options, default, widget="segmented", wrap=True, **kwargs
    )


def _stepped(key: str, label: str, options, default) -> Any:
    """A choice among ordered numbers, as a slider, through the state helper."""
    return state.select(key, label, options, default, widget="select_slider")


def _square(k: int) -> str:
    return f"{k}×{k}"


# ----------------------------------------------------------------------------
# Tab 2: design and train a CNN
# ----------------------------------------------------------------------------


def use_digits() -> None:
    state.apply({"cnn_dataset": "digits"})


def cnn_controls(lang: str) -> cnn.CNNConfig | None:
    """The architecture and training controls; ``None`` if the data is unavailable.

    Their keys are :data:`dlcore.cnn.CNN_CONTROLS` (presets and links set them).
    """
    T = _tr(lang)
    dataset = state.select(
        "cnn_dataset",
        T("cnn.dataset"),
        DATASETS,
        D.dataset,
        format_func=lambda n: T(f"cnn.ds.{n}"),
    )
    blocks = state.slider("cnn_blocks", T("cnn.num_blocks"), 1, 3, D.num_blocks, 1)
    filters = _stepped("cnn_filters", T("cnn.filters"), FILTERS, D.filters)
    kernel_size = _segmented(
        "cnn_train_kernel",
        T("cnn.kernel_size"),
        [3, 5],
        D.kernel_size,
        format_func=_square,
    )
    pooling = _segmented(
        "cnn_pooling",
        T("cnn.pool_mode"),
        cnn.CNN_POOLINGS,
        D.pooling,
        format_func=lambda p: T(f"cnn.pool.{p}"),
    )
    dropout = _stepped("cnn_dropout", T("cnn.dropout"), DROPOUTS, D.dropout)
    batch_norm = state.toggle("cnn_bn", T("cnn.batch_norm"), D.batch_norm)
    augmentation = state.multiselect(
        "cnn_aug",
        T("cnn.augmentation"),
        cnn.AUGMENTATIONS,
        list(D.augmentation),
        format_func=lambda a: T(f"cnn.aug.{a}"),
        widget="pills",
        wrap=True,
    )
    optimizer = _segmented(
        "cnn_optimizer",
        T("cnn.optimizer"),
        cnn.OPTIMIZERS,
        D.optimizer,
        format_func=lambda o: T(f"cnn.opt.{o}"),
    )
    rate = _stepped("cnn_lr", T("cnn.learning_rate"), LEARNING_RATES, D.learning_rate)
    c3, c4 = st.columns(2)
    with c3:
        epochs = _stepped("cnn_epochs", T("cnn.epochs"), EPOCHS, D.epochs)
    with c4:
        batch = _stepped("cnn_batch", T("cnn.batch_size"), BATCH_SIZES, D.batch_size)
    seed = state.number("cnn_seed", T("common.seed"), 0, 9999, D.seed, 1)
    if dataset != "digits" and dataset_missing(dataset):
        st.error(
            T("cnn.data_unavailable", name=T(f"cnn.ds.{dataset}")),
            icon=":material/cloud_off:",
        )
        st.button(
            T("cnn.use_digits"),
            key="cnn_use_digits",
            on_click=use_digits,
            icon=":material/grid_on:",
        )
        return None
    if dataset != "digits":
        st.caption(T("cnn.big_data_note"))
    return cnn.CNNConfig(
        dataset=dataset,
        num_blocks=blocks,
        filters=filters,
        kernel_size=kernel_size,
        pooling=pooling,
        dropout=dropout,
        batch_norm=batch_norm,
        augmentation=tuple(a for a in cnn.AUGMENTATIONS if a in augmentation),
        optimizer=optimizer,
        learning_rate=rate,
        epochs=epochs,
        batch_size=batch,
        seed=int(seed),
    )


def structure(config: cnn.CNNConfig, lang: str) -> None:
    """Layer tables of the CNN and of a Dense network of similar size."""
    T = _tr(lang)
    st.subheader(T("cnn.section.layers"))
    cnn_table, dense_table = layer_tables(config)
    headers = {c: T(f"cnn.col.{c}") for c in cnn_table.columns}
    pairs = ((cnn_table, "cnn"), (dense_table, "dense"))
    for column, (table, name) in zip(st.columns(2, gap="large"), pairs, strict=True):
        total = T("cnn.total_params", count=int(table["params"].sum()))
        column.markdown(f"**{T(f'cnn.fig.{name}')}** · {total}")
        column.dataframe(
            table.rename(columns=headers), hide_index=True, key=f"cnn_table_{name}"
        )
    c_fig, c_note = st.columns([3, 2], gap="large", vertical_alignment="center")
    fig = result_figures.param_comparison_figure(cnn_table, dense_table, lang=lang)
    charts.plotly(fig, where=c_fig, key="cnn_params_fig")
    c_note.markdown(T("cnn.sharing_note"))


def _key(key: str, tag: str) -> str:
    """An element key of a result view: ``key`` for the finished run, suffixed
    for the last finished one shown while a new run trains (both are drawn in
    the same rerun)."""
    return key if tag == "final" else f"{key}_{tag}"


def _metrics(config: cnn.CNNConfig, result, lang: str, tag: str) -> None:
    """Test accuracies, parameter count and the trained model's download."""
    T = _tr(lang)
    m = result.metrics
    cols = st.columns(3)
    cols[0].metric(T("cnn.cnn_accuracy"), f"{m['test_accuracy']:.1%}")
    if "dense_test_accuracy" in m:
        cols[1].metric(T("cnn.dense_accuracy"), f"{m['dense_test_accuracy']:.1%}")
    cols[2].metric(T("cnn.num_params"), f"{int(m['num_params']):,}")
    if tag != "final":
        return
    art = result.artifacts
    st.download_button(
        T("cnn.download_model"),
        file_name="cnn.keras",
        key="cnn_download_model",
        data=lambda: cnn.model_bytes(
            config, art["weights"], art["input_shape"], art["num_classes"]
        ),
        mime="application/octet-stream",
        on_click="ignore",
        icon=":material/download:",
    )


def _cell_images(art, names, y_true, predicted, probabilities, lang: str) -> None:
    """The pickers of one confusion-matrix cell and that cell's test images."""
    T = _tr(lang)
    st.markdown(T("cnn.pick_cell"))
    c1, c2 = st.columns(2)
    true_name = c1.selectbox(T("cnn.fig.true"), names, key="cnn_true")
    pred_name = c2.selectbox(T("cnn.fig.predicted"), names, key="cnn_pred")
    true_class, pred_class = names.index(true_name), names.index(pred_name)
    chosen = cnn.cell_indices(y_true, predicted, true_class, pred_class)
    if art.get("x_test") is None:
        st.info(T("cnn.no_test_images"))
    elif len(chosen) == 0:
        st.info(T("cnn.empty_cell", true=true_name, pred=pred_name))
    else:
        title = T(
            "cnn.fig.cell_images", true=true_name, pred=pred_name, count=len(chosen)
        )
        fig = result_figures.misclassified_figure(
            np.asarray(art["x_test"])[chosen],
            y_true[chosen],
            probabilities[chosen],
            names,
            lang=lang,
            title=title,
            max_images=5,
            min_columns=5,
            pair_titles=False,
        )
        charts.plotly(fig, key="cnn_cell_fig")


def results(result, lang: str, tag: str = "final") -> None:
    """Confusion matrix (click a cell), its images, mistakes, per-class metrics.

    ``tag="final"``: the finished run, with the cell pickers; any other tag
    (the last finished run, shown while a new one trains) draws the confusion
    matrix only, read-only. The two class pickers stay plain Streamlit: they
    follow clicks on the chart and their default is the worst mix-up of the
    current run.
    """
    T = _tr(lang)
    art = result.artifacts
    names, y_true = list(art["class_names"]), np.asarray(art["y_test"])
    probabilities = np.asarray(art["probabilities"])
    predicted = probabilities.argmax(1)
    matrix = np.asarray(art["confusion"])
    st.subheader(T("cnn.section.results"))
    if tag != "final":
        fig = result_figures.confusion_matrix_figure(matrix, names, lang=lang)
        charts.plotly(fig, key=_key("cnn_confusion", tag))
        return
    cell = cnn.most_confused_cell(matrix)
    for key, index in (("cnn_true", cell[0]), ("cnn_pred", cell[1])):
        if st.session_state.get(key) not in names:  # first view, or new class names
            st.session_state[key] = names[index]

    def pick() -> None:
        chosen = cnn.selected_cell(
            st.session_state.cnn_confusion.selection.points, names
        )
        if chosen is not None:
            st.session_state.cnn_true = names[chosen[0]]
            st.session_state.cnn_pred = names[chosen[1]]

    shown = (
        names.index(st.session_state.cnn_true),
        names.index(st.session_state.cnn_pred),
    )
    fig = result_figures.confusion_matrix_figure(
        matrix, names, lang=lang, highlight=shown
    )
    charts.plotly(fig, key="cnn_confusion", on_select=pick, selection_mode="points")
    _cell_images(art, names, y_true, predicted, probabilities, lang)
    wrong = np.asarray(art["misclassified"])[:6]
    # two figures of three: side by side on a laptop, one under the other on a
    # phone (six images across 390 px would be ~50 px each)
    st.markdown(f"**{T('cnn.fig.misclassified')}**")
    halves = [wrong[:3], wrong[3:]] if len(wrong) > 3 else [wrong]
    for i, (column, part) in enumerate(zip(st.columns(2), halves, strict=False)):
        start = 3 * i
        fig = result_figures.misclassified_figure(
            np.asarray(art["misclassified_images"])[start : start + len(part)],
            y_true[part],
            probabilities[part],
            names,
            lang=lang,
            max_images=3,
            min_columns=3,
            height=theme.HEIGHT,
            title="",
        )
        charts.plotly(fig, where=column, key="cnn_wrong_fig" + (f"_{i}" if i else ""))
    charts.plotly(
        result_figures.per_class_figure(art["per_class"], lang=lang),
        key="cnn_per_class_fig",
    )


def train(lang: str) -> None:
    """Tab 2: design a CNN, train it next to a Dense network, read its results.

    The layer tables only depend on the controls: they are drawn (below the
    training column) before the training starts, so they never sit greyed
    out. Everything that depends on the result is drawn by ``run_task``'s
    ``render`` in the training slot (the last finished run stays in view,
    labelled, while a new one trains).
    """
    controls, main = st.columns([1, 2], gap="large")
    with controls:
        config = cnn_controls(lang)
    if config is None:
        return
    with st.container():
        structure(config, lang)

    def render(config: cnn.CNNConfig, result, tag: str) -> None:
        if ok(result):
            _metrics(config, result, lang, tag)
            results(result, lang, tag)

    with main:
        training.run_task(
            cnn.train_cnn,
            config,
            lang=lang,
            key="cnn_train",
            epochs=config.epochs,
            code=cnn.code_cnn(config),
            code_file="cnn_digits.py",
            render=render,
        )


# ----------------------------------------------------------------------------
# Tab 3: inside the trained network
# ----------------------------------------------------------------------------


def _test_image(art: dict, lang: str) -> tuple[np.ndarray, int]:
    x = art.get("x_test")
    x, y = (art["examples"], art["example_labels"]) if x is None else (x, art["y_test"])
    _fallback("cnn_test_index", range(len(x)), 0)
    index = state.slider(
        "cnn_test_index", t("cnn.test_image", lang), 0, len(x) - 1, 0, 1
    )
    return np.asarray(x[index]).squeeze(), int(y[index])


def _feature_maps(maps: dict[str, np.ndarray], lang: str) -> None:
    layers = list(maps.items())
    for start in range(0, len(layers), 2):  # conv + pool of one block side by side
        pair = layers[start : start + 2]
        for column, (name, values) in zip(st.columns(2), pair, strict=False):
            fig = figures.feature_maps_figure(
                values, name, max_channels=8, cols=4, lang=lang
            )
            charts.plotly(fig, where=column, key=f"cnn_maps_{name}")


def _grad_cam(model, lock, image, probabilities, names, convs, lang: str) -> None:
    T = _tr(lang)
    st.subheader(T("cnn.section.grad_cam"))
    predicted = int(np.argmax(probabilities))
    runner_up = int(np.argsort(probabilities)[-2])
    c1, c2 = st.columns(2)
    with c1:
        _fallback("cnn_cam_layer", convs, convs[-1])
        layer = state.select("cnn_cam_layer", T("cnn.layer"), convs, convs[-1])
    with c2:
        _fallback("cnn_cam_class", names, names[runner_up])
        other = state.select(
            "cnn_cam_class", T("cnn.cam_class"), names, names[runner_up]
        )
    pairs = (("predicted", predicted), ("chosen", names.index(other)))
    for column, (role, cls) in zip(st.columns(2), pairs, strict=True):
        with lock:
            cam = cnn.grad_cam(model, image, cls, layer)
        label_text = T("cnn.cam_label", name=names[cls], prob=float(probabilities[cls]))
        fig = figures.grad_cam_figure(
            image, cam, label=label_text, layer_name=layer, lang=lang
        )
        charts.plotly(fig, where=column, key=f"cnn_cam_{role}")
    st.caption(T("cnn.grad_cam_note"))


def _filter_vis(config, art, model, convs, lang: str) -> None:
    T = _tr(lang)
    st.subheader(T("cnn.section.filter_vis"))
    c1, c2 = st.columns([1, 2], gap="large")
    with c1:
        _fallback("cnn_vis_layer", convs, convs[0])
        vis_layer = state.select("cnn_vis_layer", T("cnn.layer"), convs, convs[0])
        count = int(model.get_layer(vis_layer).output.shape[-1])
        first = 0
        if count > 8:
            _fallback("cnn_vis_first", range(0, count - 7, 8), 0)  # fewer filters
            first = state.slider(
                "cnn_vis_first", T("cnn.first_filter"), 0, count - 8, 0, 8
            )
        st.caption(T("cnn.filter_vis_note"))
    pictures, indices = filter_images(config, art, vis_layer, first)
    fig = figures.filter_visualization_figure(
        pictures, indices, vis_layer, lang=lang, cols=4
    )
    charts.plotly(fig, where=c2, key="cnn_vis_fig")


def _inspecting(config: cnn.CNNConfig, result, lang: str, tag: str) -> tuple:
    """The "Inspecting …" line and the first-layer filters; the model and lock."""
    T = _tr(lang)
    art = result.artifacts
    st.markdown(
        T(
            "cnn.inspecting",
            count=config.num_blocks,
            filters=config.filters,
            accuracy=result.metrics["test_accuracy"],
        )
    )
    model, lock = trained_model(config, art)
    st.subheader(T("cnn.section.filters"))
    with lock:
        kernels = cnn.first_layer_filters(model)
    charts.plotly(
        figures.filters_figure(kernels, lang=lang), key=_key("cnn_filters_fig", tag)
    )
    return model, lock


def _inside_views(config: cnn.CNNConfig, result, lang: str, tag: str) -> None:
    """Everything the Inside tab shows of one trained network (``run_task``'s
    ``render``). The last finished network, shown while a new one trains, gets
    its summary and filters only: the pickers below belong to the new one."""
    T = _tr(lang)
    if not ok(result):
        st.info(T("cnn.inside_needs_training"))
        return
    model, lock = _inspecting(config, result, lang, tag)
    if tag != "final":
        return
    art, names = result.artifacts, list(result.artifacts["class_names"])
    st.subheader(T("cnn.section.maps"))
    left, right = st.columns([1, 2], gap="large")
    with left:
        image, label = _test_image(art, lang)
        title = T("cnn.digit_title", label=names[label])
        fig = figures.image_figure(image, title=title, lang=lang, text=False)
        charts.plotly(fig, key="cnn_test_fig")
    with lock:
        probabilities = cnn.predict(model, image[None, ..., None])[0]
        maps = cnn.feature_maps(model, image)
    fig = result_figures.prediction_figure(
        probabilities, names, true_class=label, lang=lang
    )
    charts.plotly(fig, where=right, key="cnn_prediction_fig")
    _feature_maps(maps, lang)

    convs = [name for name in maps if name.startswith("conv")]
    _grad_cam(model, lock, image, probabilities, names, convs, lang)
    _filter_vis(config, art, model, convs, lang)

    st.subheader(T("cnn.section.translation"))
    if "translation" not in art:
        st.info(T("cnn.no_baseline"))
        return
    charts.plotly(
        result_figures.translation_figure(art["translation"], lang=lang),
        key="cnn_translation_fig",
    )
    st.caption(T("cnn.translation_note"))


def inside(lang: str) -> None:
    """Tab 3: filters, feature maps, Grad-CAM, filter visualisation, translation."""
    T = _tr(lang)
    with st.expander(T("cnn.change_network"), icon=":material/tune:"):
        config = cnn_controls(lang)
    if config is None:
        return
    result = training.run_task(
        cnn.train_cnn,
        config,
        lang=lang,
        key="cnn_inside",
        epochs=config.epochs,
        show_curves=False,
        pin=False,  # the Train tab compares runs; this tab opens one up
        render=lambda config, result, tag: _inside_views(config, result, lang, tag),
    )
    if result is None:  # failed or cancelled (run_task said so)
        st.info(T("cnn.inside_needs_training"))


# ----------------------------------------------------------------------------
# Tab 4: transfer learning
# ----------------------------------------------------------------------------


def _transfer_views(config: cnn.TransferConfig, result, lang: str, tag: str) -> None:
    """The transfer experiment's result (``run_task``'s ``render``)."""
    T = _tr(lang)
    if not ok(result):
        return
    source = cnn.classes_text(config.source_classes)
    target = cnn.classes_text(config.target_classes)
    curves = result.artifacts["curves"]
    sizes = sorted(set(curves["train_size"]))
    strategies = [s for s in cnn.TRANSFER_STRATEGIES if s in set(curves["strategy"])]
    st.caption(
        T(
            "cnn.transfer_runs",
            pretrain=config.pretrain_epochs,
            source=source,
            count=len(curves["accuracy"]),
            strategies=len(strategies),
            sizes=len(sizes),
            steps=config.num_steps,
        )
    )
    st.metric(
        T("cnn.pretrain_accuracy", source=source),
        f"{result.metrics['pretrain_accuracy']:.1%}",
    )
    charts.plotly(
        result_figures.transfer_figure(curves, target=target, lang=lang),
        key=_key("cnn_transfer_fig", tag),
    )
    summary = cnn.transfer_summary(curves)
    if summary:
        strategy = {k: T(f"cnn.fig.{summary[k]}") for k in ("best_small", "best_large")}
        st.markdown(T("cnn.transfer_summary", **{**summary, **strategy}))
    st.caption(T("cnn.transfer_honest"))


def transfer(lang: str) -> None:
    """Tab 4: a conv base pretrained on some digits helps learn the others."""
    T = _tr(lang)
    source = cnn.classes_text(DT.source_classes)
    target = cnn.classes_text(DT.target_classes)
    st.markdown(T("cnn.transfer_note", source=source, target=target))
    controls = (
        ("cnn_tl_filters", "cnn.filters", (8, 16, 32), DT.filters),
        ("cnn_tl_pretrain", "cnn.pretrain_epochs", (2, 5, 10, 20), DT.pretrain_epochs),
        ("cnn_tl_steps", "cnn.num_steps", (60, 120, 240), DT.num_steps),
    )
    values = []
    for column, (key, label, options, default) in zip(
        st.columns(3), controls, strict=True
    ):
        with column:
            values.append(_stepped(key, T(label), options, default))
    filters, pretrain, steps = values
    config = cnn.TransferConfig(
        filters=filters, pretrain_epochs=pretrain, num_steps=steps
    )
    training.run_task(
        cnn.train_transfer,
        config,
        lang=lang,
        key="cnn_transfer",
        show_curves=False,
        code=cnn.code_transfer(config),
        code_file="cnn_transfer.py",
        render=lambda config, result, tag: _transfer_views(config, result, lang, tag),
    )
