"""AppTest of the CNN page's "Pretrained on photos" tab, in English and Chinese.

Offline (no ImageNet weights here): the tab must say so, label every
prediction and heat map "untrained", still draw Grad-CAM at the photo's
resolution and the feature maps, and train the three runs on the example
crops.
"""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, exceptions, plotly_specs

from dlcore.cnn import photos, pretrained
from dlcore.i18n import t


def open_tab(lang: str, **params: str):
    """The photos tab opened from a link, with fresh Streamlit caches."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params.update({"lang": lang, "cnn_tab": "photos", **params})
    at.switch_page("pages/cnn.py")
    return at.run()


def _titles(at) -> list[str]:
    return [(s["layout"].get("title") or {}).get("text", "") for s in plotly_specs(at)]


def _spec(at, title_start: str) -> dict:
    return next(
        s
        for s in plotly_specs(at)
        if (s["layout"].get("title") or {}).get("text", "").startswith(title_start)
    )


@pytest.mark.slow
def test_photos_tab_offline_en_moves_the_controls():
    at = open_tab("en")
    assert not exceptions(at), exceptions(at)
    warnings = " ".join(w.value for w in at.warning)
    assert "untrained — the weights could not be downloaded" in warnings
    assert "?cnn_tab=transfer" in warnings  # the digits transfer demo
    titles = _titles(at)
    cat = photos.example("chelsea")
    assert f"Photo<br>{cat.shape[1]} × {cat.shape[0]} pixels" in titles
    top = _spec(at, "Top-5 classes (untrained)")
    assert len(top["data"][0]["y"]) == 5 and top["data"][0]["y"][0].startswith("class ")
    cam = _spec(at, "Grad-CAM on out_relu (untrained)")
    image = cam["data"][0]
    assert image["source"].startswith("data:image/png")
    layers = pretrained.SPECS["mobilenet_v2"].layers
    assert sum(any(t.startswith(layer) for t in titles) for layer in layers) == 3
    # the training: three runs on the example crops, labelled untrained
    labels = [m.label for m in at.metric]
    assert labels == ["Feature extraction", "Fine-tuning", "Small CNN from scratch"]
    captions = [c.value for c in at.caption]  # top-5, Grad-CAM, training
    assert captions.count(t("cnn.photos.untrained", "en")) == 3

    at.button_group(key="cnn_photo_example").set_value("coffee").run()
    assert not exceptions(at), exceptions(at)
    coffee = photos.example("coffee")
    assert f"Photo<br>{coffee.shape[1]} × {coffee.shape[0]} pixels" in _titles(at)
    at.selectbox(key="cnn_photo_cam_class").set_value(3).run()
    at.selectbox(key="cnn_photo_cam_layer").set_value("block_13_expand_relu").run()
    assert not exceptions(at), exceptions(at)
    assert any("block_13_expand_relu" in title for title in _titles(at))
    # another model: its own layers (the kept Grad-CAM layer falls back)
    at.button_group(key="cnn_photo_model").set_value("resnet50").run()
    assert not exceptions(at), exceptions(at)
    assert at.selectbox(key="cnn_photo_cam_layer").value == "conv5_block3_out"
    assert any(title.startswith("conv5_block3_out") for title in _titles(at))
    assert "ResNet50" in " ".join(w.value for w in at.warning)


@pytest.mark.slow
def test_photos_tab_zh():
    at = open_tab("zh", cnn_photo_example="astronaut")
    assert not exceptions(at), exceptions(at)
    assert "未训练——无法下载权重" in " ".join(w.value for w in at.warning)
    titles = _titles(at)
    assert any(title.startswith("前 5 个类别") for title in titles)
    assert [m.label for m in at.metric] == ["特征提取", "微调", "从零训练的小型 CNN"]
    at.button_group(key="cnn_photo_data").set_value("zip").run()
    assert not exceptions(at), exceptions(at)
    infos = " ".join(i.value for i in at.info)
    assert "?cnn_tab=transfer" in infos  # no set: the digits demo is offered
    assert not at.metric  # nothing trained without a set: no fake accuracy
    spec = json.dumps(plotly_specs(at)[0])
    assert "data:image/png" in spec
    at.button_group(key="cnn_photo_data").set_value("public").run()
    assert not exceptions(at), exceptions(at)
    warnings = " ".join(w.value for w in at.warning)
    assert "离线：这里无法下载公开的猫狗照片" in warnings  # offline: said at once
    assert "?cnn_tab=transfer" in warnings
    assert not at.metric  # and nothing pretends to be trained on it


def test_class_labels_in_both_languages():
    assert pretrained.class_label("coffee_mug", 504, "en") == "coffee mug"
    assert pretrained.class_label("coffee_mug", 504, "zh") == "咖啡杯（coffee mug）"
    assert pretrained.class_label("ocarina", 684, "zh") == "ocarina"
    assert pretrained.class_label("class 281", 281, "zh") == "类别 281"


@pytest.mark.slow
def test_hostile_photo_links_fall_back_with_a_notice():
    bad = {
        "cnn_photo_model": "alexnet",
        "cnn_photo_src": "<script>",
        "cnn_photo_example": "../../etc/passwd",
        "cnn_photo_cam_class": "99",
        "cnn_photo_cam_layer": "conv1",
        "cnn_photo_size": "7",
        "cnn_photo_fine_lr": "inf",
    }
    at = open_tab("en", **bad)
    assert not exceptions(at), exceptions(at)
    notices = " ".join(toast.value for toast in at.toast)
    for key in bad:
        assert key.replace("_", "\\_") in notices, (key, notices)
    assert at.button_group(key="cnn_photo_model").value == "mobilenet_v2"
    assert at.selectbox(key="cnn_photo_cam_layer").value == "out_relu"
