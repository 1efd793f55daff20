"""The classic architectures' layer tables: counts against closed forms and the
published totals, caching, and the Deep networks tab's section in en and zh."""

from __future__ import annotations

import threading
import time

import pytest
from conftest import exceptions

from dlcore import generalization as gen
from dlcore.generalization import architectures
from dlcore.i18n import t


def conv(k: int, c_in: int, c_out: int) -> int:
    """Parameters of a k×k convolution with bias: (k·k·c_in + 1)·c_out."""
    return (k * k * c_in + 1) * c_out


def dense(n_in: int, n_out: int) -> int:
    return (n_in + 1) * n_out


def params(arch: dict, layer: str) -> int:
    table = arch["table"]
    return int(table.loc[table["layer"] == layer, "params"].item())


def shape(arch: dict, layer: str) -> str:
    table = arch["table"]
    return table.loc[table["layer"] == layer, "output_shape"].item()


@pytest.fixture(scope="session")
def archs() -> dict[str, dict]:
    """Every architecture built once for the whole test session."""
    return {name: gen.architecture(name) for name in gen.ARCHITECTURES}


def test_table_sums_to_count_params_of_a_fresh_keras_model(archs):
    for name, arch in archs.items():
        assert list(arch["table"].columns) == list(architectures.COLUMNS)
        assert int(arch["table"]["params"].sum()) == arch["total"], name
        assert len(arch["table"]) == arch["layers"]
    # the cached total is the one Keras counts for the model the builder makes
    assert gen.build_lenet5().count_params() == archs["lenet5"]["total"]


def test_lenet5_layers_match_closed_forms(archs):
    arch = archs["lenet5"]
    assert params(arch, "C1_conv5x5") == conv(5, 1, 6) == 156
    assert shape(arch, "C1_conv5x5") == "28 × 28 × 6"
    assert params(arch, "C3_conv5x5") == conv(5, 6, 16)
    assert shape(arch, "S4_avgpool") == "5 × 5 × 16"
    assert params(arch, "C5_dense") == dense(400, 120) == 48_120
    assert params(arch, "F6_dense") == dense(120, 84)
    assert params(arch, "output") == dense(84, 10)
    # full-connectivity variant with a dense output: 61,706 ≈ 61.7 k
    expected = conv(5, 1, 6) + conv(5, 6, 16) + dense(400, 120)
    expected += dense(120, 84) + dense(84, 10)
    assert arch["total"] == expected == 61_706


def test_alexnet_layers_and_its_three_fc_layers(archs):
    arch = archs["alexnet"]
    convs = [
        ("conv1", 11, 3, 96, "55 × 55 × 96"),
        ("conv2", 5, 96, 256, "27 × 27 × 256"),
        ("conv3", 3, 256, 384, "13 × 13 × 384"),
        ("conv4", 3, 384, 384, "13 × 13 × 384"),
        ("conv5", 3, 384, 256, "13 × 13 × 256"),
    ]
    for layer, k, c_in, c_out, out in convs:
        assert params(arch, layer) == conv(k, c_in, c_out), layer
        assert shape(arch, layer) == out, layer
    assert shape(arch, "flatten") == str(6 * 6 * 256)
    fc = [dense(9216, 4096), dense(4096, 4096), dense(4096, 1000)]
    assert [params(arch, n) for n in ("fc6", "fc7", "fc8")] == fc
    assert (arch["table"]["type"] == "Dense").sum() == 3
    assert arch["dense"] == sum(fc)
    total = sum(conv(k, i, o) for _, k, i, o, _ in convs) + sum(fc)
    assert arch["total"] == total == 62_378_344  # ≈ 62.4 M, single tower
    assert abs(arch["total"] / 62.4e6 - 1) < 1e-3


def test_vgg16_and_resnet50_published_totals(archs):
    vgg, resnet = archs["vgg16"], archs["resnet50"]
    assert vgg["total"] == 138_357_544
    assert (vgg["table"]["type"] == "Conv2D").sum() == 13
    assert params(vgg, "block1_conv1") == conv(3, 3, 64)
    assert params(vgg, "fc1") == dense(7 * 7 * 512, 4096)
    assert resnet["total"] == 25_636_712
    # the 7×7 stride-2 stem, then 3×3 convolutions inside the bottlenecks
    assert params(resnet, "conv1_conv") == conv(7, 3, 64)
    assert shape(resnet, "conv1_conv") == "112 × 112 × 64"
    assert params(resnet, "conv2_block1_2_conv") == conv(3, 64, 64)
    assert params(resnet, "conv5_block3_2_conv") == conv(3, 512, 512)
    # BatchNormalization: 4 per channel, 2 trainable → trainable < total
    bn = resnet["table"].loc[resnet["table"]["type"] == "BatchNormalization"]
    assert resnet["total"] - resnet["trainable"] == int(bn["params"].sum()) // 2
    assert vgg["trainable"] == vgg["total"]


def test_cached_once_and_returned_as_a_copy(archs):
    start = time.perf_counter()
    again = gen.architecture("vgg16")
    assert time.perf_counter() - start < 0.5  # VGG-16 builds in ~1 s; cached now
    again["table"].loc[0, "params"] = -1
    assert int(gen.architecture("vgg16")["table"].loc[0, "params"]) >= 0


def test_concurrent_first_calls_build_once(monkeypatch):
    calls = []

    def counted():
        calls.append(1)
        time.sleep(0.05)
        return gen.build_lenet5()

    monkeypatch.setitem(architectures.BUILDERS, "lenet5_counted", counted)
    threads = [
        threading.Thread(target=gen.architecture, args=("lenet5_counted",))
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1


def test_unknown_architecture_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown architecture"):
        gen.architecture("googlenet")


def test_every_summary_shows_the_computed_total(archs):
    for lang in ("en", "zh"):
        for name, arch in archs.items():
            text = t(f"gen.arch.summary.{name}", lang, total=arch["total"])
            assert f"{arch['total']:,}" in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_deep_tab_architecture_section(app_test, archs, lang):
    at = app_test(lang=lang)
    at.query_params["gen_tab"] = "deep"
    at.query_params["gen_arch"] = "resnet50"
    at.switch_page("pages/generalization.py").run()
    assert not exceptions(at), exceptions(at)
    total = t("gen.arch.total", lang)
    layer_col = t("gen.arch.col.layer", lang)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[total] == f"{archs['resnet50']['total']:,}"
    [frame] = [d.value for d in at.dataframe if layer_col in d.value.columns]
    assert len(frame) == archs["resnet50"]["layers"]
    at.button_group(key="gen_arch").set_value("alexnet").run()
    assert not exceptions(at), exceptions(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[total] == "62,378,344"
    [frame] = [d.value for d in at.dataframe if layer_col in d.value.columns]
    assert list(frame[layer_col])[-4:] == ["fc6", "dropout2", "fc7", "fc8"]
    assert at.query_params["gen_arch"] == "alexnet"
    summary = t("gen.arch.summary.alexnet", lang, total=62_378_344)
    assert summary in [m.value for m in at.markdown]
