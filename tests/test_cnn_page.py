"""The CNN page in AppTest: every tab follows its controls, checked against oracles.

Oracles: the Keras layers themselves (``Conv2D`` / pooling output shapes and
values, ``Model.layers[i].output.shape``, ``count_params``), ``tf.nn.conv2d``,
and ``dlcore.cnn`` run independently of the page (training is deterministic,
so the test can retrain the page's configuration and compare).
"""

from __future__ import annotations

import base64
import io
import json

import numpy as np
import pytest
from conftest import ROOT, exceptions
from PIL import Image
from streamlit.testing.v1 import AppTest

from dlcore import cnn, datasets, images, topics
from dlcore.i18n import t
from ui import training
from ui.views import cnn as views

keras, tf = cnn.keras, cnn.tf


# --- helpers ------------------------------------------------------------------------


def _decode(value):
    """Plotly ≥ 6 ships numpy arrays as base64 typed arrays."""
    if isinstance(value, dict) and {"dtype", "bdata"} <= set(value):
        dtype = np.dtype(value["dtype"]).newbyteorder("<")
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=dtype)
        if "shape" in value:
            array = array.reshape([int(s) for s in str(value["shape"]).split(",")])
        return array
    return value


def figure(at, key: str) -> dict:
    """The figure JSON of the Plotly chart with widget/element ``key``."""
    for element in at.get("plotly_chart"):
        if element.key == key:
            return json.loads(element.proto.spec)
    raise AssertionError(f"no chart {key}")


def chart_keys(at) -> list[str]:
    return [element.key for element in at.get("plotly_chart")]


def z(spec: dict, index: int) -> np.ndarray:
    return np.array(
        [
            [np.nan if v is None else v for v in row]
            for row in _decode_rows(spec, index)
        ],
        dtype=float,
    )


def _decode_rows(spec: dict, index: int):
    value = _decode(spec["data"][index]["z"])
    return value.tolist() if isinstance(value, np.ndarray) else value


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def open_tab(at, tab: str, lang: str = "en"):
    at.session_state["cnn_tab"] = t(f"cnn.tab.{tab}", lang)
    return at.run()


def keras_conv_size(n: int, k: int, s: int, padding: str) -> int:
    layer = keras.layers.Conv2D(1, k, strides=s, padding=padding)
    return layer.compute_output_shape((1, n, n, 1))[1]


def png(image: Image.Image, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.fixture
def page(app_test):
    def make(lang: str = "en"):
        at = app_test("cnn", lang=lang)
        assert not exceptions(at), exceptions(at)
        return at

    return make


@pytest.fixture
def url_page(app_test):
    """The page opened from a shared link: ``url_page("zh", cnn_tab="train")``."""

    def make(lang: str = "en", **params: str):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
        at.query_params.update({"lang": lang, **params})
        at.switch_page("pages/cnn.py")
        return at.run()

    return make


def url(at) -> dict[str, str]:
    """The page's URL parameters (ids, not labels), without ``lang``."""
    return {key: value for key, value in at.query_params.items() if key != "lang"}


def canonical(at) -> dict:
    """Every control's value (stable ids) after a run, as the state helper holds it."""
    return dict(at.session_state["_state_value"])


def notices(at) -> str:
    """The text of every toast (URL values that were ignored), unescaped."""
    return " ".join(toast.value for toast in at.toast).replace("\\", "")


# --- tab 1: convolution -------------------------------------------------------------


def test_default_view_formula_step_slider_and_kernel_size(page):
    at = page()
    assert at.title[0].value == t("cnn.title", "en")
    size = cnn.output_size(8, 3, 1, "valid")
    assert size == keras_conv_size(8, 3, 1, "valid") == 6
    assert metric(at, "Output size").startswith(f"{size} × {size}")
    assert rf"\right\rfloor + 1 = {size}" in at.latex[0].value
    spec = figure(at, "cnn_conv_fig_kernel_products")
    np.testing.assert_allclose(z(spec, 0), cnn.kernel_preset("sobel_x"))
    output = z(figure(at, "cnn_conv_fig_output"), 0)
    assert output.shape == (size, size) and np.isfinite(output).sum() == 1
    # the step slider and the Next button fill the output in raster order
    at.select_slider(key="cnn_step").set_value(7).run()
    output = z(figure(at, "cnn_conv_fig_output"), 0)
    assert np.isfinite(output.reshape(-1)[:8]).all()
    assert np.isnan(output.reshape(-1)[8:]).all()
    at.button(key="cnn_step_next").click().run()
    assert at.select_slider(key="cnn_step").value == 8
    assert at.select_slider(key="cnn_step").options[8] == "(1, 2)"  # (row, col)
    # a 5×5 size without the chosen preset falls back to Sobel x
    at.selectbox(key="cnn_kernel").set_value("emboss").run()
    at.segmented_control(key="cnn_ksize").set_value(5).run()
    assert not exceptions(at), exceptions(at)
    assert at.selectbox(key="cnn_kernel").value == "sobel_x"
    kernel = z(figure(at, "cnn_conv_fig_kernel_products"), 0)
    np.testing.assert_allclose(kernel, cnn.kernel_preset("sobel_x", 5))


def test_controls_change_the_convolution_like_keras(page):
    at = page()
    x = datasets.load("digits").x_val[:1]
    for kernel, ksize, stride, padding in [
        ("laplacian", 3, 2, "same"),
        ("sharpen", 5, 3, "valid"),
    ]:
        at.segmented_control(key="cnn_ksize").set_value(ksize).run()
        at.selectbox(key="cnn_kernel").set_value(kernel)
        at.segmented_control(key="cnn_stride").set_value(stride)
        at.segmented_control(key="cnn_padding").set_value(padding).run()
        size = cnn.output_size(8, ksize, stride, padding)
        assert size == keras_conv_size(8, ksize, stride, padding)
        assert metric(at, "Output size") == f"{size} × {size}"
        at.select_slider(key="cnn_step").set_value(size * size - 1).run()  # last cell
        assert not exceptions(at), exceptions(at)
        weights = cnn.kernel_preset(kernel, ksize)[..., None, None]
        expected = tf.nn.conv2d(x, weights, strides=stride, padding=padding.upper())
        output = z(figure(at, "cnn_conv_fig_output"), 0)  # every cell filled
        np.testing.assert_allclose(output, expected[0, ..., 0], rtol=1e-5, atol=1e-5)


def test_pooling_step_through_equals_keras_pooling_or_says_it_does_not_fit(page):
    at = page()
    x = datasets.load("digits").x_val[:1]
    sobel = cnn.kernel_preset("sobel_x")[..., None, None]
    feature_map = tf.nn.relu(tf.nn.conv2d(x, sobel, strides=1, padding="VALID"))
    for mode, size, stride, padding, source in [
        ("max", 2, 2, "valid", "relu"),
        ("average", 3, 2, "same", "image"),
    ]:
        at.segmented_control(key="cnn_pool").set_value(mode)
        at.segmented_control(key="cnn_pool_input").set_value(source)
        at.segmented_control(key="cnn_pool_size").set_value(size)
        at.segmented_control(key="cnn_pool_stride").set_value(stride)
        at.segmented_control(key="cnn_pool_padding").set_value(padding).run()
        layer_type = (
            keras.layers.MaxPooling2D
            if mode == "max"
            else (keras.layers.AveragePooling2D)
        )
        layer = layer_type(size, strides=stride, padding=padding)
        expected = np.asarray(layer(feature_map if source == "relu" else x))[0, ..., 0]
        sizes = [m.value for m in at.metric if m.label == "Output size"]
        assert sizes[1] == f"{expected.shape[0]} × {expected.shape[1]}"
        at.select_slider(key="cnn_pool_step").set_value(expected.size - 1).run()
        output = z(figure(at, "cnn_pool_fig_output"), 0)
        np.testing.assert_allclose(output, expected, rtol=1e-5, atol=1e-6)
    at.segmented_control(key="cnn_pool_padding").set_value("valid")
    at.segmented_control(key="cnn_stride").set_value(3).run()  # conv: 8 -> 2×2
    at.segmented_control(key="cnn_pool_input").set_value("relu").run()  # 3×3 on 2×2
    assert not exceptions(at), exceptions(at)
    assert any("does not fit" in w.value for w in at.warning)


def test_custom_kernel_edits_reach_the_convolution_and_bad_cells_are_refused(page):
    at = page()
    at.selectbox(key="cnn_kernel").set_value("custom").run()
    editor = at.data_editor[0]
    np.testing.assert_allclose(editor.value.to_numpy(), cnn.kernel_preset("sobel_x"))
    key = "cnn_custom_3_sobel_x"
    edit = {"edited_rows": {1: {"1": 5.0}}, "added_rows": [], "deleted_rows": []}
    at.session_state[key] = edit
    at.run()
    assert not exceptions(at), exceptions(at)
    edited = cnn.kernel_preset("sobel_x")
    edited[1, 1] = 5.0
    np.testing.assert_allclose(z(figure(at, "cnn_conv_fig_kernel_products"), 0), edited)
    edit["edited_rows"] = {0: {"0": 1000.0}}
    at.session_state[key] = edit
    at.run()
    expected = cnn.KernelError("cnn.kerr.too_large", limit=100.0, value=1000.0)
    assert [e.value for e in at.error] == [expected.message("en")]


def test_uploads_good_and_bad(page):
    at = page()
    at.segmented_control(key="cnn_source").set_value("upload").run()
    assert at.info  # asks for a picture; no silent fallback to the digit:
    assert not chart_keys(at)
    at.file_uploader(key="cnn_upload").set_value(("x.png", b"not a png", "image/png"))
    at.run()
    assert not exceptions(at), exceptions(at)
    assert [e.value for e in at.error] == [
        "x\\.png: " + images.ImageError("cnn.img.unreadable").message("en")
    ]
    gif = png(Image.new("L", (9, 9)), "GIF")
    at.file_uploader(key="cnn_upload").set_value(("x.png", gif, "image/png")).run()
    assert "GIF" in at.error[0].value and "PNG" in at.error[0].value
    picture = Image.new("L", (40, 40), 255)
    picture.paste(0, (10, 5, 30, 35))  # dark ink on white
    at.segmented_control(key="cnn_upload_size").set_value(12)
    at.file_uploader(key="cnn_upload").set_value(("d.png", png(picture), "image/png"))
    at.run()
    assert not at.error and not exceptions(at)
    size = cnn.output_size(12, 3, 1, "valid")
    assert metric(at, "Output size") == f"{size} × {size}"
    shown = z(figure(at, "cnn_conv_fig_input"), 0)  # valid padding: the image
    expected = images.ink_on_dark(images.load_image(png(picture), size=12))
    np.testing.assert_allclose(shown, expected, atol=1e-6)


def test_chinese_view_and_a_bad_upload_message_in_chinese(page):
    at = page("zh")
    assert at.title[0].value == "卷积神经网络"
    labels = ["卷积", "训练", "网络内部", "迁移学习", "预训练网络与照片"]
    assert [tab.label for tab in at.tabs] == labels
    assert metric(at, "输出大小") == "6 × 6"
    spec = figure(at, "cnn_conv_fig_kernel_products")
    assert "窗口 × 卷积核" in json.dumps(spec, ensure_ascii=False)
    at.segmented_control(key="cnn_source").set_value("upload").run()
    at.file_uploader(key="cnn_upload").set_value(("x.jpg", b"", "image/jpeg")).run()
    message = images.ImageError("cnn.img.empty").message("zh")
    assert at.error[0].value == f"x\\.jpg: {message}"


def test_bad_url_values_fall_back_with_a_notice_and_no_traceback(url_page):
    bad = {
        "cnn_stride": "9",
        "cnn_kernel": "nope",
        "cnn_padding": "full",
        "cnn_digit": "-4",
        "cnn_tab": "nonsense",
    }
    at = url_page("en", **bad)
    assert not exceptions(at), exceptions(at)
    assert metric(at, "Output size") == "6 × 6"
    for key, value in bad.items():  # each ignored value is named
        assert f"{key}='{value}'" in notices(at), notices(at)
    assert at.segmented_control(key="cnn_stride").value == 1
    assert at.selectbox(key="cnn_kernel").value == "sobel_x"
    assert at.slider(key="cnn_digit").value == 0
    assert not url(at)  # the defaults: a short link
    # a 5×5 kernel without a 5×5 version falls back too (its options depend on size)
    at = url_page("en", cnn_ksize="5", cnn_kernel="emboss")
    assert not exceptions(at), exceptions(at)
    assert "cnn_kernel='emboss'" in notices(at), notices(at)
    assert at.selectbox(key="cnn_kernel").value == "sobel_x"
    assert url(at) == {"cnn_ksize": "5"}


# --- tab 2: train -------------------------------------------------------------------


#: The tiny network of the training tests, as URL parameters (a shared link).
TINY = {"cnn_blocks": "1", "cnn_filters": "4", "cnn_epochs": "2"}


def _tiny(url_page, tab: str = "train", lang: str = "en"):
    """The page opened on ``tab`` with the tiny network (1 block, 4 filters,
    2 epochs)."""
    at = url_page(lang, cnn_tab=tab, **TINY)
    assert not exceptions(at) and not at.toast, (exceptions(at), notices(at))
    return at


def _config(**overrides) -> cnn.CNNConfig:
    return cnn.CNNConfig(**{"num_blocks": 1, "filters": 4, "epochs": 2, **overrides})


@pytest.fixture(scope="module")
def tiny_result():
    """The page's tiny run, trained independently (training is deterministic)."""
    return cnn.train_cnn(_config())


@pytest.mark.slow
def test_train_tab_tables_match_keras_and_results_follow_the_picked_cell(
    url_page, tiny_result
):
    at = _tiny(url_page)
    assert not exceptions(at), exceptions(at)
    assert at.select_slider(key="cnn_epochs").value == 2
    model = cnn.build_cnn(_config(), (8, 8, 1), 10)
    table = at.dataframe[0].value
    shapes = ["×".join(map(str, layer.output.shape[1:])) for layer in model.layers]
    assert list(table["output shape"]) == shapes
    assert table["parameters"].sum() == model.count_params()
    dense = at.dataframe[1].value
    assert abs(dense["parameters"].sum() - model.count_params()) <= 0.02 * (
        model.count_params()
    )
    result = tiny_result
    accuracy = result.metrics["test_accuracy"]
    assert metric(at, "CNN test accuracy") == f"{accuracy:.1%}"
    matrix = z(figure(at, "cnn_confusion"), 0)
    np.testing.assert_array_equal(matrix, result.artifacts["confusion"])
    assert at.download_button(key="cnn_download_model")
    worst = cnn.most_confused_cell(result.artifacts["confusion"])
    assert at.selectbox(key="cnn_true").value == str(worst[0])
    assert at.selectbox(key="cnn_pred").value == str(worst[1])
    for true, pred in ((3, 3), worst):
        at.selectbox(key="cnn_true").set_value(str(true))
        at.selectbox(key="cnn_pred").set_value(str(pred)).run()
        title = figure(at, "cnn_cell_fig")["layout"]["title"]["text"]
        count = int(matrix[true, pred])
        assert title.endswith(f": {count} image" + ("" if count == 1 else "s"))


@pytest.mark.slow
def test_architecture_controls_change_the_layer_table_like_keras(url_page):
    at = _tiny(url_page)
    at.slider(key="cnn_blocks").set_value(2)
    at.segmented_control(key="cnn_pooling").set_value("none")
    at.segmented_control(key="cnn_train_kernel").set_value(5)
    at.toggle(key="cnn_bn").set_value(True).run()
    assert not exceptions(at), exceptions(at)
    config = _config(num_blocks=2, pooling="none", kernel_size=5, batch_norm=True)
    model = cnn.build_cnn(config, (8, 8, 1), 10)
    table = at.dataframe[0].value
    assert list(table["layer"]) == [layer.name for layer in model.layers]
    assert list(table["parameters"]) == [layer.count_params() for layer in model.layers]
    assert "conv2" in list(table["layer"]) and "pool1" not in list(table["layer"])
    open_tab(at, "conv")  # the architecture survives a visit to another tab
    open_tab(at, "train")
    assert at.dataframe[0].value.equals(table)


@pytest.mark.slow
def test_offline_mnist_gives_a_message_and_offers_digits(url_page, monkeypatch):
    def offline(name, **kwargs):
        raise datasets.DatasetUnavailable("offline")

    monkeypatch.setattr(datasets, "_load_keras_images", offline)
    at = _tiny(url_page)
    at.selectbox(key="cnn_dataset").set_value("mnist").run()
    assert not exceptions(at), exceptions(at)
    assert at.error[0].value == t(
        "cnn.data_unavailable", "en", name="MNIST 28×28 (download)"
    )
    assert "cnn_train_curves" not in chart_keys(at)  # nothing trained, no fallback
    assert not at.dataframe  # no layer table either
    at.button(key="cnn_use_digits").click().run()
    assert at.selectbox(key="cnn_dataset").value == "digits"
    assert not at.error


# --- tab 3: inside the network ------------------------------------------------------


@pytest.mark.slow
def test_inside_tab_shows_the_trained_model(url_page, tiny_result):
    at = _tiny(url_page, "inside")
    assert not exceptions(at), exceptions(at)
    result = tiny_result
    model = cnn.rebuild_model(_config(), result.artifacts["weights"])
    filters = cnn.first_layer_filters(model)
    spec = figure(at, "cnn_filters_fig")
    assert len(spec["data"]) == len(filters) == 4
    for trace, kernel in zip(spec["data"], filters, strict=True):
        np.testing.assert_allclose(
            np.array(_decode(trace["z"]), dtype=float), kernel, rtol=1e-5
        )
    at.slider(key="cnn_test_index").set_value(17).run()
    image = result.artifacts["x_test"][17]
    probabilities = cnn.predict(model, image[None])[0]
    bars = np.array(_decode(figure(at, "cnn_prediction_fig")["data"][0]["y"]), float)
    np.testing.assert_allclose(bars, probabilities, rtol=1e-4, atol=1e-6)
    maps = cnn.feature_maps(model, image)
    for name, values in maps.items():
        spec = figure(at, f"cnn_maps_{name}")
        np.testing.assert_allclose(
            np.array(_decode(spec["data"][0]["z"]), float),
            values[..., 0],
            rtol=1e-4,
            atol=1e-6,
        )
    cam = cnn.grad_cam(model, image, int(np.argmax(probabilities)), "conv1")
    overlay = figure(at, "cnn_cam_predicted")["data"][2]["z"]
    np.testing.assert_allclose(np.array(_decode(overlay), float), cam, atol=1e-5)
    curve = figure(at, "cnn_translation_fig")
    assert [trace["name"] for trace in curve["data"]] == ["CNN", "Dense network"]


@pytest.mark.slow
def test_inside_tab_layer_pickers_follow_a_smaller_network(url_page):
    at = url_page("en", cnn_tab="inside", **{**TINY, "cnn_blocks": "2"})
    assert not exceptions(at), exceptions(at)
    assert at.selectbox(key="cnn_cam_layer").options == ["conv1", "conv2"]
    at.selectbox(key="cnn_cam_layer").set_value("conv1")
    at.selectbox(key="cnn_vis_layer").set_value("conv2").run()
    assert url(at)["cnn_vis_layer"] == "conv2"
    at.slider(key="cnn_blocks").set_value(1).run()  # no conv2 any more
    assert not exceptions(at), exceptions(at)
    assert at.selectbox(key="cnn_cam_layer").value == "conv1"
    assert at.selectbox(key="cnn_vis_layer").value == "conv1"
    assert "cnn_vis_layer" not in url(at)  # back to the default: a short link
    assert not at.toast, notices(at)


# --- tab 4: transfer learning -------------------------------------------------------


@pytest.mark.slow
def test_transfer_tab_trains_three_strategies_and_is_translated(page):
    at = page("zh")
    at.session_state["cnn_tl_pretrain"] = 2
    at.session_state["cnn_tl_steps"] = 60
    at.session_state["cnn_tl_filters"] = 8
    at = open_tab(at, "transfer", "zh")
    assert not exceptions(at), exceptions(at)
    spec = figure(at, "cnn_transfer_fig")
    names = [trace["name"] for trace in spec["data"]]
    assert names == [t(f"cnn.fig.{s}", "zh") for s in cnn.TRANSFER_STRATEGIES]
    config = cnn.TransferConfig(filters=8, pretrain_epochs=2, num_steps=60)
    # the run the page asked for, from the shared service (train_transfer itself is
    # checked in test_cnn.py); a different config would miss the cache and train
    handle = training.service().submit(cnn.train_transfer, config)
    expected = handle.snapshot().result.artifacts["curves"]
    assert handle.snapshot().from_cache
    shown = sorted(
        (x, round(y, 6))
        for trace in spec["data"]
        for x, y in zip(_decode(trace["x"]), _decode(trace["y"]), strict=True)
    )
    assert shown == sorted(
        (n, round(a, 6))
        for n, a in zip(expected["train_size"], expected["accuracy"], strict=True)
    )
    assert any("最好" in m.value for m in at.markdown)
    assert at.download_button(key="cnn_transfer_download")


@pytest.mark.slow
def test_switching_language_keeps_the_open_tab(url_page):
    at = _tiny(url_page)
    at.segmented_control(key="lang").set_value("zh").run()  # the sidebar switch
    assert not exceptions(at), exceptions(at)
    assert at.session_state["cnn_tab"] == "训练"
    assert at.query_params["cnn_tab"] == "train"  # the id, not the label
    assert at.dataframe[0].value.columns[0] == "层"


def test_every_string_the_page_uses_is_in_the_catalogue():
    import re
    from pathlib import Path

    from dlcore.i18n import CATALOG

    root = Path(views.__file__).parents[2]
    source = "".join(
        (root / path).read_text()
        for path in ("ui/views/cnn.py", "ui/views/cnn_conv.py", "pages/cnn.py")
    )
    used = set(re.findall(r"\bT\(\s*\"([a-z_0-9.]+)\"", source))
    used |= set(re.findall(r"\bt\(\s*\"([a-z_0-9.]+)\"", source))
    families = {  # f-string keys: T(f"cnn.k.{name}") for every option shown
        "cnn.k.": cnn.kernel_names(3),
        "cnn.pool.": cnn.CNN_POOLINGS,
        "cnn.aug.": cnn.AUGMENTATIONS,
        "cnn.opt.": cnn.OPTIMIZERS,
        "cnn.ds.": views.DATASETS,
        "cnn.padding.": cnn.PADDINGS,
        "cnn.source.": ("digit", "upload"),
        "cnn.pool_input.": ("relu", "image"),
        "cnn.tab.": views.TABS,
        "cnn.preset.": ("none", *(preset.name for preset in cnn.PRESETS)),
        "cnn.fig.": ("cnn", "dense", *cnn.TRANSFER_STRATEGIES),
        "cnn.col.": ("layer", "type", "output_shape", "params"),
    }
    used |= {prefix + name for prefix, names in families.items() for name in names}
    assert len(used) > 80
    assert used <= set(CATALOG), sorted(used - set(CATALOG))


# --- shared links, tabs and teacher presets (ui.state) ------------------------------


def test_a_link_made_in_chinese_opens_the_same_convolution_in_english(page, url_page):
    at = page("zh")
    at.segmented_control(key="cnn_ksize").set_value(5).run()
    at.selectbox(key="cnn_kernel").set_value("laplacian")
    at.segmented_control(key="cnn_stride").set_value(2)
    at.segmented_control(key="cnn_padding").set_value("same")
    at.slider(key="cnn_digit").set_value(7)
    at.segmented_control(key="cnn_pool").set_value("average")
    at.segmented_control(key="cnn_pool_input").set_value("image")
    at.segmented_control(key="cnn_pool_size").set_value(3)
    at.segmented_control(key="cnn_pool_stride").set_value(1)
    at.segmented_control(key="cnn_pool_padding").set_value("same").run()
    assert not exceptions(at), exceptions(at)
    link = url(at)
    assert link == {
        "cnn_ksize": "5",
        "cnn_kernel": "laplacian",
        "cnn_stride": "2",
        "cnn_padding": "same",
        "cnn_digit": "7",
        "cnn_pool": "average",
        "cnn_pool_input": "image",
        "cnn_pool_size": "3",
        "cnn_pool_stride": "1",
        "cnn_pool_padding": "same",
    }  # stable ids, never the Chinese labels
    en = url_page("en", **link)
    assert not exceptions(en) and not en.toast, (exceptions(en), notices(en))
    assert canonical(en) == canonical(at)
    assert url(en) == link
    assert [m.value for m in en.metric] == [m.value for m in at.metric]
    for key in ("cnn_conv_fig_input", "cnn_conv_fig_kernel_products"):
        np.testing.assert_array_equal(z(figure(en, key), 0), z(figure(at, key), 0))
    # the oracle: what the link shows is tf.nn.conv2d / Keras pooling of digit 7
    x = datasets.load("digits").x_val[7:8]
    laplacian = cnn.kernel_preset("laplacian", 5)[..., None, None]
    conv = tf.nn.conv2d(x, laplacian, strides=2, padding="SAME")[0, ..., 0]
    en.select_slider(key="cnn_step").set_value(conv.shape[0] * conv.shape[1] - 1)
    pool = keras.layers.AveragePooling2D(3, strides=1, padding="same")(x)[0, ..., 0]
    en.select_slider(key="cnn_pool_step").set_value(pool.shape[0] * pool.shape[1] - 1)
    en.run()
    np.testing.assert_allclose(z(figure(en, "cnn_conv_fig_output"), 0), conv, atol=1e-5)
    np.testing.assert_allclose(z(figure(en, "cnn_pool_fig_output"), 0), pool, atol=1e-6)


@pytest.mark.slow
def test_a_link_made_in_chinese_trains_the_same_network_in_english(url_page):
    at = _tiny(url_page, lang="zh")
    at.segmented_control(key="cnn_pooling").set_value("average")
    at.toggle(key="cnn_bn").set_value(True)
    at.pills(key="cnn_aug").set_value(["zoom", "shift"])
    at.segmented_control(key="cnn_optimizer").set_value("rmsprop")
    at.select_slider(key="cnn_lr").set_value(0.01).run()
    assert not exceptions(at), exceptions(at)
    link = url(at)
    assert link == {
        **TINY,
        "cnn_tab": "train",
        "cnn_pooling": "average",
        "cnn_bn": "1",
        "cnn_aug": "zoom,shift",
        "cnn_optimizer": "rmsprop",
        "cnn_lr": "0.01",
    }
    expected = cnn.CNNConfig(
        num_blocks=1,
        filters=4,
        epochs=2,
        pooling="average",
        batch_norm=True,
        augmentation=("shift", "zoom"),
        optimizer="rmsprop",
        learning_rate=0.01,
    )
    en = url_page("en", **link)
    assert not exceptions(en) and not en.toast, (exceptions(en), notices(en))
    values = canonical(en)
    shown = {name: values[key] for name, key in cnn.CNN_CONTROLS.items()}
    chosen = shown.pop("augmentation")
    shown["augmentation"] = tuple(a for a in cnn.AUGMENTATIONS if a in chosen)
    assert cnn.CNNConfig(**shown) == expected
    assert {k: values[k] for k in link} == {k: canonical(at)[k] for k in link}
    model = cnn.build_cnn(expected, (8, 8, 1), 10)
    table = en.dataframe[0].value
    assert list(table["layer"]) == [layer.name for layer in model.layers]
    assert table["parameters"].sum() == model.count_params()
    accuracy = cnn.train_cnn(expected).metrics["test_accuracy"]  # deterministic
    assert metric(en, "CNN test accuracy") == f"{accuracy:.1%}"
    assert metric(at, t("cnn.cnn_accuracy", "zh")) == f"{accuracy:.1%}"


#: Small settings for the tabs that train (the transfer run is shared with the
#: transfer test above through the training service's cache).
SMALL = {**TINY, "cnn_tl_filters": "8", "cnn_tl_pretrain": "2", "cnn_tl_steps": "60"}


def _only_tab_drawn(at, tab: str) -> None:
    """``tab``'s own widget is drawn and no other tab's (lazy tabs)."""
    own = {
        "conv": ("selectbox", "cnn_kernel"),
        "train": ("button", "cnn_train_retrain"),
        "inside": ("button", "cnn_inside_retrain"),
        "transfer": ("button", "cnn_transfer_retrain"),
    }
    for other, (kind, key) in own.items():
        drawn = [e for e in getattr(at, kind) if e.key == key]
        assert bool(drawn) == (other == tab), (tab, other)


@pytest.mark.slow
@pytest.mark.parametrize("tab", views.TABS)
def test_every_tab_is_its_id_in_the_url_and_survives_a_language_switch(url_page, tab):
    at = open_tab(url_page("en", **SMALL), tab)
    for lang in ("en", "zh", "en"):
        if lang != at.session_state["lang"]:
            at.segmented_control(key="lang").set_value(lang).run()  # the sidebar
        assert not exceptions(at), exceptions(at)
        assert at.session_state["cnn_tab"] == t(f"cnn.tab.{tab}", lang)
        # the open tab is its id in the URL (the first tab: no parameter at all)
        assert at.query_params.get("cnn_tab") == (None if tab == "conv" else tab)
        assert at.query_params["lang"] == lang
        _only_tab_drawn(at, tab)
    again = url_page("zh", **url(at))  # the link opens the same tab
    assert not exceptions(again), exceptions(again)
    assert again.session_state["cnn_tab"] == t(f"cnn.tab.{tab}", "zh")
    _only_tab_drawn(again, tab)


@pytest.mark.slow
@pytest.mark.parametrize("preset", cnn.PRESETS, ids=lambda preset: preset.name)
def test_each_preset_applies_and_shows_its_network(url_page, preset):
    at = url_page("zh")
    at.selectbox(key="cnn_preset").set_value(preset.name).run()  # the sidebar box
    assert not exceptions(at), exceptions(at)
    assert not at.toast, notices(at)  # every value accepted by its control
    values = canonical(at)
    for key, value in topics.topic("cnn").preset_values(preset).items():
        assert values[key] == value, key
    assert at.query_params["cnn_tab"] == "train"
    assert at.session_state["cnn_tab"] == t("cnn.tab.train", "zh")
    model = cnn.build_cnn(preset.config, (8, 8, 1), 10)
    table = at.dataframe[0].value
    assert list(table[t("cnn.col.layer", "zh")]) == [ly.name for ly in model.layers]
    assert table[t("cnn.col.params", "zh")].sum() == model.count_params()
    assert at.get("download_button")  # trained: the Keras script and the model
