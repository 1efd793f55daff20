"""The CNN page's "Pretrained on photos" tab (``?cnn_tab=photos``).

An ImageNet network from ``keras.applications`` (:mod:`dlcore.cnn.pretrained`)
looks at a photo (:mod:`dlcore.cnn.photos`: an example, an upload or a phone
camera picture): its top-5 classes, Grad-CAM of any of them at the photo's
resolution, the early / middle / late feature maps, the input after the
model's own preprocessing, the layer table; then feature extraction vs
fine-tuning vs a small CNN from scratch, trained live through
:func:`ui.training.run_task`. Offline, the same network runs with random
weights and every prediction and heat map is labelled "untrained".
"""

from __future__ import annotations

import hashlib
import os

import numpy as np
import pandas as pd
import streamlit as st

from dlcore import datasets, images
from dlcore.cnn import photos, pretrained
from dlcore.figures import cnn_pretrained as figures
from ui import charts, state, training
from ui.shell import translator as _tr
from ui.views.cnn_conv import upload_error

SOURCES = ("example", "upload", "camera")
HEAD_EPOCHS = (1, 2, 4, 8)
FINE_EPOCHS = (1, 2, 4, 8)
FINE_RATES = (1e-5, 1e-4, 1e-3)
DP = pretrained.PhotoTransferConfig()
DEPTHS = ("early", "middle", "late")


# ----------------------------------------------------------------------------
# Cached computations (pure dlcore calls)
# ----------------------------------------------------------------------------


def model(name: str) -> pretrained.Loaded:
    """The model, built once per server process (ImageNet weights if possible;
    offline, the download is tried again after a minute)."""
    return pretrained.get_model(name)


@st.cache_data(max_entries=32, show_spinner=False)
def analysis(name: str, trained: bool, digest: str, _photo: np.ndarray) -> dict:
    """Probabilities, top-5, preprocessed input and feature maps of a photo."""
    loaded = model(name)
    probabilities = pretrained.predict(loaded, _photo)
    top = pretrained.top5(loaded, probabilities)
    x = pretrained.preprocess(name, pretrained.resize(_photo))
    return {
        "top": top,
        "input": figures.display_range(x),
        "range": (float(x.min()), float(x.max())),
        "maps": pretrained.feature_maps(loaded, _photo),
    }


@st.cache_data(max_entries=32, show_spinner=False)
def cam(name: str, trained: bool, digest: str, _photo, index: int, layer: str):
    loaded = model(name)
    return pretrained.grad_cam(loaded, _photo, index, layer)


@st.cache_data(max_entries=8, show_spinner=False)
def layer_table(name: str) -> pd.DataFrame:
    return pretrained.layer_table(model(name).model)


@st.cache_data(max_entries=4, show_spinner=False)
def recipe_table(size: int) -> pd.DataFrame:
    """The recipe's trainable counts (they do not depend on the weights)."""
    net, base = pretrained.build_transfer(
        "mobilenet_v2", 2, input_size=size, weights=None
    )
    return pretrained.recipe(
        "mobilenet_v2", base, int(net.get_layer("head").count_params())
    )


@st.cache_data(ttl=60, max_entries=4, show_spinner=False)
def weights_available(file_name: str) -> bool:
    return pretrained.weights_available(file_name)


@st.cache_data(ttl=60, max_entries=1, show_spinner=False)
def public_available() -> bool:
    """The public set is cached, or its server answers (ms offline)."""
    cache = datasets.keras_cache_path(photos.PUBLIC_FILE)
    if os.path.exists(cache) or os.path.isdir(f"{cache}_extracted"):
        return True
    return datasets.download_server_reachable()


@st.cache_data(max_entries=8, show_spinner=False)
def zip_set(data: bytes, size: int) -> tuple[str, tuple[int, int], tuple[str, str]]:
    """Validate and store an uploaded zip (once per upload): digest, counts, names."""
    x, y, names = photos.load_photo_zip(data, size=size)
    digest = photos.store_set(x, y, names)
    return digest, (int((y == 0).sum()), int((y == 1).sum())), names


# ----------------------------------------------------------------------------
# The photo
# ----------------------------------------------------------------------------


def _photo(lang: str) -> tuple[np.ndarray, str]:
    """The chosen photo (RGB uint8) and a digest of it."""
    T = _tr(lang)
    source = state.select(
        "cnn_photo_src",
        T("cnn.photos.source"),
        SOURCES,
        "example",
        format_func=lambda s: T(f"cnn.photos.src.{s}"),
        widget="segmented",
        wrap=True,
    )
    upload = None
    if source == "upload":
        upload = st.file_uploader(
            T("cnn.photos.upload_prompt"),
            key="cnn_photo_upload",
            max_upload_size=images.MAX_BYTES // 2**20,
        )
    elif source == "camera":
        upload = st.camera_input(T("cnn.photos.camera_prompt"), key="cnn_photo_camera")
    if upload is not None:
        data = upload.getvalue()
        try:  # decoded once per upload (cached by the bytes' SHA-256)
            photo = photos.load_photo(data)
            return photo, hashlib.sha256(data).hexdigest()
        except images.ImageError as error:
            st.error(
                upload_error(upload.name, error, lang), icon=":material/broken_image:"
            )
    elif source != "example":
        st.info(T("cnn.photos.no_photo"), icon=":material/photo_camera:")
    name = state.select(
        "cnn_photo_example",
        T("cnn.photos.example"),
        tuple(photos.EXAMPLES),
        photos.DEFAULT_EXAMPLE,
        format_func=lambda n: T(f"cnn.photos.ex.{n}"),
        widget="pills",
    )
    st.caption(T("cnn.photos.example_source"))
    return photos.example(name), f"example:{name}"


# ----------------------------------------------------------------------------
# The tab
# ----------------------------------------------------------------------------


def photos_tab(lang: str) -> None:
    """Tab "photos": an ImageNet network on a real photo, then transfer."""
    T = _tr(lang)
    st.markdown(T("cnn.photos.intro"))
    left, right = st.columns([1, 2], gap="large")
    with left:
        name = state.select(
            "cnn_photo_model",
            T("cnn.photos.model"),
            pretrained.MODELS,
            pretrained.DEFAULT_MODEL,
            format_func=lambda m: pretrained.SPECS[m].title,
            widget="segmented",
            wrap=True,
        )
        photo, digest = _photo(lang)
    spec = pretrained.SPECS[name]
    with st.spinner(spec.title):
        loaded = model(name)
    with right:
        st.caption(
            T(
                "cnn.photos.params",
                title=spec.title,
                count=int(loaded.model.count_params()),
                layers=len(loaded.model.layers),
            )
        )
        if loaded.pretrained:
            st.caption(T("cnn.photos.pretrained_ok"))
        else:
            st.warning(
                T("cnn.photos.offline", title=spec.title), icon=":material/cloud_off:"
            )
        result = analysis(name, loaded.pretrained, digest, photo)
        _predictions(name, photo, result, loaded.pretrained, lang)
    _grad_cam(name, photo, digest, result, loaded.pretrained, lang)
    _feature_maps(name, result, lang)
    _layers(name, lang)
    _training(lang)


def _labels(top: pd.DataFrame, lang: str) -> list[str]:
    return [
        pretrained.class_label(str(n), int(i), lang)
        for n, i in zip(top["name"], top["index"], strict=True)
    ]


def _predictions(name, photo, result, trained: bool, lang: str) -> None:
    T = _tr(lang)
    st.subheader(T("cnn.photos.section.predict"))
    h, w = photo.shape[:2]
    c1, c2 = st.columns(2)
    fig = figures.image_figure(
        photo, title=T("cnn.photos.fig.photo", width=w, height=h)
    )
    charts.plotly(fig, where=c1, key="cnn_photo_fig")
    low, high = result["range"]
    fig = figures.image_figure(
        result["input"], title=T("cnn.photos.fig.input", low=low, high=high)
    )
    charts.plotly(fig, where=c2, key="cnn_photo_input_fig")
    spec = pretrained.SPECS[name]
    st.caption(
        T(f"cnn.photos.pre.{spec.preprocessing}", title=spec.title)
        + " "
        + T("cnn.photos.resize_note")
    )
    top = result["top"]
    title = T("cnn.photos.fig.top5" if trained else "cnn.photos.fig.top5_untrained")
    if not trained:
        st.caption(T("cnn.photos.untrained"))
    fig = figures.top5_figure(
        _labels(top, lang), top["probability"], title=title, lang=lang
    )
    charts.plotly(fig, key="cnn_photo_top5_fig")


def _grad_cam(name, photo, digest, result, trained: bool, lang: str) -> None:
    T = _tr(lang)
    st.subheader(T("cnn.photos.section.cam"))
    top = result["top"]
    labels = _labels(top, lang)
    c1, c2 = st.columns(2)
    with c1:
        rank = state.select(
            "cnn_photo_cam_class",
            T("cnn.photos.cam_class"),
            tuple(range(5)),
            0,
            format_func=lambda r: f"{r + 1}. {labels[r]}",
        )
    layers = pretrained.SPECS[name].cam_layers
    with c2:
        _fallback("cnn_photo_cam_layer", layers, layers[0])
        layer = state.select(
            "cnn_photo_cam_layer", T("cnn.photos.cam_layer"), layers, layers[0]
        )
    heat = cam(name, trained, digest, photo, int(top["index"][rank]), layer)
    h, w = photo.shape[:2]
    if trained:
        title = T(
            "cnn.photos.fig.cam", name=labels[rank], layer=layer, width=w, height=h
        )
    else:
        title = T("cnn.photos.fig.cam_untrained", layer=layer)
    if not trained:
        st.caption(T("cnn.photos.untrained"))
    fig = figures.image_figure(pretrained.overlay(photo, heat), title=title)
    charts.plotly(fig, key="cnn_photo_cam_fig")
    if float(heat.max()) == 0.0:
        st.info(T("cnn.photos.cam_empty"))
    st.caption(T("cnn.photos.cam_note"))


def _fallback(key: str, options, value) -> None:
    """A kept value that is no longer an option (another model's layer)
    becomes ``value`` before the control is drawn."""
    kept = st.session_state.get(state._CANON, {})
    current = st.session_state[key] if key in st.session_state else kept.get(key)
    if (key in st.session_state or key in kept) and current not in options:
        state.apply({key: value}, known={})


def _feature_maps(name: str, result, lang: str) -> None:
    T = _tr(lang)
    st.subheader(T("cnn.photos.section.maps"))
    maps = result["maps"]
    columns = st.columns(3)
    for column, depth, (layer, values) in zip(
        columns, DEPTHS, maps.items(), strict=True
    ):
        full = model(name).model.get_layer(layer).output.shape
        title = T(
            "cnn.photos.fig.maps",
            layer=layer,
            depth=T(f"cnn.photos.depth.{depth}"),
            height=full[1],
            width=full[2],
            channels=full[3],
        )
        fig = figures.feature_maps_figure(values, title=title)
        charts.plotly(fig, where=column, key=f"cnn_photo_maps_{depth}")
    st.caption(T("cnn.photos.maps_note"))


def _layers(name: str, lang: str) -> None:
    T = _tr(lang)
    table = layer_table(name)
    total = T("cnn.photos.total_params", count=int(table["params"].sum()))
    with st.expander(f"{T('cnn.photos.section.layers')} · {total}"):
        headers = {c: T(f"cnn.photos.col.{c}") for c in table.columns}
        st.dataframe(
            table.rename(columns=headers), hide_index=True, key="cnn_photo_layers"
        )


# ----------------------------------------------------------------------------
# Feature extraction vs fine-tuning vs from scratch
# ----------------------------------------------------------------------------


def _training(lang: str) -> None:
    T = _tr(lang)
    st.subheader(T("cnn.photos.section.train"))
    st.markdown(T("cnn.photos.train_intro"))
    c1, c2 = st.columns([1, 2], gap="large")
    with c1:
        size = state.select(
            "cnn_photo_size",
            T("cnn.photos.train_size"),
            pretrained.TRAIN_SIZES,
            DP.input_size,
            widget="segmented",
            wrap=True,
            format_func=lambda s: f"{s}×{s}",
        )
        head = state.select(
            "cnn_photo_head_epochs",
            T("cnn.photos.head_epochs"),
            HEAD_EPOCHS,
            DP.head_epochs,
            widget="select_slider",
        )
        fine = state.select(
            "cnn_photo_fine_epochs",
            T("cnn.photos.fine_epochs"),
            FINE_EPOCHS,
            DP.fine_epochs,
            widget="select_slider",
        )
        rate = state.select(
            "cnn_photo_fine_lr",
            T("cnn.photos.fine_lr"),
            FINE_RATES,
            DP.fine_learning_rate,
            widget="select_slider",
            format_func=lambda r: f"{r:g}",
        )
        kind = state.select(
            "cnn_photo_data",
            T("cnn.photos.data"),
            pretrained.DATA_SOURCES,
            "crops",
            format_func=lambda d: T(f"cnn.photos.data.{d}"),
            widget="segmented",
            wrap=True,
        )
    with c2:
        plan = recipe_table(size)
        st.caption(T("cnn.photos.recipe_caption", title="MobileNetV2", size=size))
        shown = pd.DataFrame(
            {
                T("cnn.photos.col.step"): [
                    T(f"cnn.photos.step.{s}") for s in plan["step"]
                ],
                T("cnn.photos.col.trainable"): [f"{n:,}" for n in plan["trainable"]],
            }
        )
        st.dataframe(shown, hide_index=True, key="cnn_photo_recipe")
        st.caption(T("cnn.photos.train_size_note", size=size))
    data = _photo_set(kind, size, lang)
    if data is None:
        return
    available = weights_available(pretrained.notop_file("mobilenet_v2", size))
    if not available:
        st.warning(T("cnn.photos.train_untrained"), icon=":material/cloud_off:")
    config = pretrained.PhotoTransferConfig(
        data=data,
        weights="imagenet" if available else "random",
        input_size=size,
        head_epochs=head,
        fine_epochs=fine,
        fine_learning_rate=rate,
    )
    names = {r: T(f"cnn.photos.acc.{r}") for r in pretrained.TRANSFER_RUNS}
    training.run_task(
        pretrained.train_photo_transfer,
        config,
        lang=lang,
        key="cnn_photo_train",
        code=pretrained.code_photo_transfer(config),
        code_file="photo_transfer.py",
        show_curves=False,
        run_names=lambda run: names.get(run, run),
        render=lambda config, result, tag: _results(result, lang, tag),
    )


def _photo_set(kind: str, size: int, lang: str) -> str | None:
    """``"crops"`` or the stored zip's digest; ``None`` when no valid zip."""
    T = _tr(lang)
    if kind == "crops":
        st.info(T("cnn.photos.crops_note"), icon=":material/info:")
        return "crops"
    if kind == "public":
        if not public_available():
            st.warning(T("cnn.photos.public_offline"), icon=":material/cloud_off:")
            return None
        st.caption(T("cnn.photos.public_note", count=photos.PUBLIC_PER_CLASS))
        return "public"
    upload = st.file_uploader(
        T("cnn.photos.zip_prompt"),
        key="cnn_photo_zip",
        type=["zip"],
        max_upload_size=photos.MAX_ZIP_BYTES // 2**20,
    )
    if upload is None:
        st.info(T("cnn.photos.zip_missing"), icon=":material/folder_zip:")
        return None
    try:
        digest, counts, names = zip_set(upload.getvalue(), size)
    except photos.PhotoError as error:
        st.error(
            f"{state.plain(upload.name)}: {state.plain(error.message(lang))}",
            icon=":material/folder_zip:",
        )
        return None
    st.text(
        T(
            "cnn.photos.zip_ok",
            count=sum(counts),
            first=names[0],
            first_count=counts[0],
            second=names[1],
            second_count=counts[1],
        )
    )
    return digest


def _results(result, lang: str, tag: str) -> None:
    T = _tr(lang)
    if result is None or result.status != "finished":
        return
    m, art = result.metrics, result.artifacts
    cols = st.columns(3)
    for column, run in zip(cols, pretrained.TRANSFER_RUNS, strict=True):
        if f"{run}_accuracy" in m:
            column.metric(
                T(f"cnn.photos.acc.{run}"),
                f"{m[f'{run}_accuracy']:.0%}",
                help=f"{m[f'{run}_seconds']:.1f} s",
            )
    seconds = sum(m.get(f"{r}_seconds", 0.0) for r in pretrained.TRANSFER_RUNS)
    st.caption(T("cnn.photos.acc_caption", count=art["num_val"], seconds=seconds))
    if art.get("weights") == "random":
        st.caption(T("cnn.photos.untrained"))
    labels = {r: T(f"cnn.photos.acc.{r}") for r in pretrained.TRANSFER_RUNS}
    fig = figures.curves_figure(art["curves"], labels, lang=lang)
    key = "cnn_photo_curves" if tag == "final" else f"cnn_photo_curves_{tag}"
    charts.plotly(fig, key=key)
