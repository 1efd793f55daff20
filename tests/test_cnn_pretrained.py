"""Pretrained ImageNet networks on photos (``dlcore.cnn.pretrained``, offline).

Oracles: ``keras.applications.<model>.preprocess_input``; Keras'
``trainable_weights``; closed-form parameter counts (VGG16's block 5); a
finite-difference check of the Grad-CAM weights on a tiny network. Every
model is built with ``weights=None`` (no internet here) and VGG16/ResNet50
once each (module-scoped fixtures).
"""

from __future__ import annotations

import io
import time
import zipfile

import keras
import numpy as np
import pytest
from PIL import Image

from dlcore import datasets, images
from dlcore.cnn import photos, pretrained


@pytest.fixture(scope="module", params=pretrained.MODELS)
def loaded(request):
    """Every model, random weights (offline), built once for this module."""
    return pretrained.get_model(request.param, pretrained=False)


@pytest.fixture(scope="module")
def cat():
    return photos.example("chelsea")


def test_examples_are_bundled_rgb_photos():
    for name in photos.EXAMPLES:
        photo = photos.example(name)
        assert photo.dtype == np.uint8 and photo.ndim == 3 and photo.shape[2] == 3
        assert min(photo.shape[:2]) >= 256
    with pytest.raises(ValueError, match="unknown example"):
        photos.example("dog")


@pytest.mark.parametrize("name", pretrained.MODELS)
def test_preprocessing_equals_keras(name, cat):
    x = pretrained.resize(cat)
    module = getattr(keras.applications, pretrained.spec(name).module)
    expected = np.asarray(module.preprocess_input(x.copy()[None]))[0]
    np.testing.assert_allclose(pretrained.preprocess(name, x), expected, atol=1e-4)


def test_pipeline_shapes_cam_and_maps(loaded, cat):
    model = loaded.model
    assert model.input_shape == (None, 224, 224, 3)
    assert model.output_shape == (None, 1000)
    assert not loaded.pretrained
    p = pretrained.predict(loaded, cat)
    assert p.shape == (1000,) and abs(p.sum() - 1) < 1e-6 and (p >= 0).all()
    top = pretrained.top5(loaded, p)
    assert list(top["index"]) == list(np.argsort(-p, kind="stable")[:5])
    assert top["name"][0] == f"class {top['index'][0]}"  # no class index offline
    for layer in pretrained.conv_layers(loaded):
        model.get_layer(layer)  # exists
    cam = pretrained.grad_cam(loaded, cat, int(top["index"][0]), loaded_cam(loaded))
    assert cam.shape == cat.shape[:2]
    assert cam.dtype == np.float32 and cam.min() >= 0 and cam.max() <= 1
    maps = pretrained.feature_maps(loaded, cat)
    assert list(maps) == list(pretrained.spec(loaded.name).layers)
    sides = [m.shape[1] for m in maps.values()]
    assert sides == sorted(sides, reverse=True) and sides[0] > sides[-1]
    for name, values in maps.items():
        assert values.shape[0] == 8
        assert values.shape[1:] == tuple(model.get_layer(name).output.shape[1:3])
    table = pretrained.layer_table(model)
    assert int(table["params"].sum()) == model.count_params()


def loaded_cam(loaded):
    return pretrained.conv_layers(loaded)[0]


def test_models_are_built_once_per_process():
    before = pretrained.build_count()
    a = pretrained.get_model("mobilenet_v2", pretrained=False)
    b = pretrained.get_model("mobilenet_v2", pretrained=False)
    assert a is b and pretrained.build_count() - before <= 1


def test_grad_cam_weights_match_finite_differences():
    """On a tiny conv net: the map equals ReLU(Σ α_k A^k) with α_k the mean of
    ∂score/∂A^k computed by central differences through the head."""
    keras.utils.set_random_seed(3)
    inputs = keras.Input((8, 8, 3))
    conv = keras.layers.Conv2D(4, 3, padding="same", name="conv")(inputs)
    act = keras.layers.Activation("relu", name="act")(conv)
    pooled = keras.layers.GlobalAveragePooling2D()(act)
    outputs = keras.layers.Dense(3)(pooled)
    model = keras.Model(inputs, outputs)
    loaded = pretrained.Loaded(
        "mobilenet_v2", model, __import__("threading").Lock(), False
    )
    photo = (np.random.default_rng(0).random((8, 8, 3)) * 255).astype(np.uint8)
    original = pretrained.resize
    pretrained.resize = lambda p, size=224: np.asarray(p, dtype=np.float32)
    try:
        cam = pretrained.grad_cam(loaded, photo, 1, "act")
    finally:
        pretrained.resize = original
    a = np.asarray(
        keras.Model(inputs, act)(pretrained.preprocess("mobilenet_v2", photo)[None])
    )[0].astype(np.float64)
    dense = model.layers[-1]
    w, b = (np.asarray(v, dtype=np.float64) for v in dense.get_weights())

    def score(maps):
        return float(maps.mean(axis=(0, 1)) @ w[:, 1] + b[1])

    alpha = np.zeros(4)
    eps = 1e-3
    for k in range(4):
        for i in range(8):
            for j in range(8):
                up, down = a.copy(), a.copy()
                up[i, j, k] += eps
                down[i, j, k] -= eps
                alpha[k] += (score(up) - score(down)) / (2 * eps) / 64
    expected = np.maximum((a * alpha).sum(-1), 0)
    expected = expected / expected.max() if expected.max() > 0 else expected
    np.testing.assert_allclose(cam, expected, atol=1e-4)


def test_offline_message_within_a_second(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))  # nothing cached
    monkeypatch.setattr(datasets, "_DOWNLOAD_HOST", "https://unreachable.invalid")
    pretrained.clear_models()
    start = time.perf_counter()
    with pytest.raises(pretrained.WeightsUnavailable, match="not reachable"):
        pretrained.fetch("x.h5", lambda: pytest.fail("must not download"), "w")
    assert time.perf_counter() - start < 1.0
    start = time.perf_counter()
    loaded = pretrained.get_model("mobilenet_v2")  # falls back to random weights
    assert not loaded.pretrained and "not reachable" in loaded.message
    assert pretrained.class_names() is None
    assert time.perf_counter() - start < 5.0  # the build itself; no download wait
    pretrained.clear_models()


def test_cached_weights_are_not_probed(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "w.h5").write_bytes(b"")
    monkeypatch.setattr(datasets, "download_server_reachable", lambda: pytest.fail())
    assert pretrained.fetch("w.h5", lambda: 42, "w") == 42


# ----------------------------------------------------------------------------
# The fine-tuning recipe: freezes and unfreezes exactly what it says
# ----------------------------------------------------------------------------


def _conv_params(k, cin, cout, bias=True):
    return k * k * cin * cout + (cout if bias else 0)


TOP_BLOCK_PARAMS = {
    # VGG16 block 5: three 3×3 convolutions 512 → 512 with biases
    "vgg16": 3 * _conv_params(3, 512, 512),
    # MobileNetV2 block 16 (expand 160→960, depthwise 3×3, project 960→320)
    # and Conv_1 (320→1280), no biases (BatchNorm follows each)
    "mobilenet_v2": _conv_params(1, 160, 960, False)
    + 3 * 3 * 960
    + _conv_params(1, 960, 320, False)
    + _conv_params(1, 320, 1280, False),
    # ResNet50 stage 5: three bottlenecks (1×1, 3×3, 1×1) + the projection
    "resnet50": _conv_params(1, 1024, 512)
    + _conv_params(3, 512, 512)
    + _conv_params(1, 512, 2048)
    + _conv_params(1, 1024, 2048)
    + 2 * (_conv_params(1, 2048, 512) + _conv_params(3, 512, 512))
    + 2 * _conv_params(1, 512, 2048),
}
FEATURES = {"vgg16": 512, "mobilenet_v2": 1280, "resnet50": 2048}


@pytest.mark.parametrize("name", pretrained.MODELS)
def test_recipe_trainable_counts_equal_keras(name):
    size = 64 if name != "mobilenet_v2" else 96
    model, base = pretrained.build_transfer(name, 2, input_size=size, weights=None)
    head = (FEATURES[name] + 1) * 2
    plan = pretrained.recipe(name, base, head)
    counts = dict(zip(plan["step"], plan["trainable"], strict=True))
    assert counts["freeze_base"] == head == pretrained.trainable_count(model)
    assert not any(w.trainable for w in base.weights)
    pretrained.unfreeze_top(name, base)
    assert counts["unfreeze_top"] == pretrained.trainable_count(model)
    assert counts["unfreeze_top"] == head + TOP_BLOCK_PARAMS[name]
    for layer in base.layers:  # BatchNorm stays frozen, the rest below too
        if isinstance(layer, keras.layers.BatchNormalization):
            assert not layer.trainable
    frozen_below = [
        layer
        for layer in base.layers
        if layer.weights and not layer.name.startswith(pretrained.spec(name).top_block)
    ]
    assert frozen_below and not any(layer.trainable for layer in frozen_below)
    for layer in base.layers:  # as built, before step 2
        layer.trainable = True
    assert counts["add_head"] == pretrained.trainable_count(model)


# ----------------------------------------------------------------------------
# Uploads and photo sets
# ----------------------------------------------------------------------------


def _jpeg(size=(64, 48), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG")
    return buffer.getvalue()


def _png(size=(40, 40), mode="RGBA") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (0, 0, 255, 0) if mode == "RGBA" else 0).save(
        buffer, format="PNG"
    )
    return buffer.getvalue()


def test_upload_decoded_once_rgb_and_reduced():
    data = _jpeg((2000, 1500))
    before = photos.decode_count()
    photo = photos.load_photo(data)
    again = photos.load_photo(data)
    assert photos.decode_count() - before == 1 and again is photo
    assert photo.dtype == np.uint8 and photo.shape[2] == 3
    assert max(photo.shape[:2]) <= photos.MAX_SIDE
    assert abs(int(photo[..., 0].mean()) - 200) < 6
    clear = photos.load_photo(_png())  # transparent → white
    assert (clear == 255).all()


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "cnn.img.empty"),
        (b"GIF89a" + bytes(20), "cnn.img.bad_format"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "cnn.img.svg"),
        (b"hello", "cnn.img.unreadable"),
        (b"\xff\xd8\xff" + bytes(images.MAX_BYTES), "cnn.img.too_many_bytes"),
    ],
)
def test_upload_refusals_are_the_cnn_pages(data, key):
    with pytest.raises(images.ImageError) as info:
        photos.load_photo(data)
    assert info.value.key == key
    assert info.value.message("zh") != info.value.message("en")


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_of_two_folders():
    files = {f"set/cats/{i}.jpg": _jpeg(color=(200, 0, 0)) for i in range(5)}
    files |= {f"set/dogs/{i}.png": _png((30, 50), "RGB") for i in range(4)}
    files |= {"__MACOSX/set/._0.jpg": b"junk", "set/.DS_Store": b"junk"}
    x, y, names = photos.load_photo_zip(_zip(files), size=32)
    assert x.shape == (9, 32, 32, 3) and x.dtype == np.uint8
    assert names == ("cats", "dogs") and list(y) == [0] * 5 + [1] * 4


@pytest.mark.parametrize(
    ("files", "key", "text"),
    [
        ({"a/1.jpg": b"x"}, "cnn.photos.err.folders", "1"),
        (
            {**{f"a/{i}.jpg": _jpeg() for i in range(4)}, "b/1.jpg": _jpeg()},
            "cnn.photos.err.per_class",
            "b",
        ),
        (
            {
                **{f"a/{i}.jpg": _jpeg() for i in range(4)},
                **{f"b/{i}.jpg": _jpeg() for i in range(3)},
                "b/notes.txt": b"hello",
            },
            "cnn.photos.err.bad_file",
            "b/notes.txt",
        ),
        ({"top.jpg": _jpeg()}, "cnn.photos.err.loose_file", "top.jpg"),
    ],
)
def test_zip_refusals(files, key, text):
    with pytest.raises(photos.PhotoError) as info:
        photos.load_photo_zip(_zip(files), size=32)
    assert info.value.key == key and text in str(info.value)
    assert text in info.value.message("zh")


def test_zip_limits():
    with pytest.raises(photos.PhotoError) as info:
        photos.load_photo_zip(b"not a zip")
    assert info.value.key == "cnn.photos.err.not_zip"
    with pytest.raises(photos.PhotoError) as info:
        photos.load_photo_zip(bytes(photos.MAX_ZIP_BYTES + 1))
    assert info.value.key == "cnn.photos.err.zip_bytes"
    many = {f"a/{i}.jpg": b"" for i in range(photos.MAX_ZIP_FILES + 1)}
    with pytest.raises(photos.PhotoError) as info:
        photos.load_photo_zip(_zip(many))
    assert info.value.key == "cnn.photos.err.zip_files"


def test_photo_sets_round_trip(tmp_path, monkeypatch):
    monkeypatch.setenv("DLCORE_PHOTO_DIR", str(tmp_path))
    x, y, names = photos.example_crops(per_class=3, size=16)
    assert x.shape == (6, 16, 16, 3) and list(y) == [0, 0, 0, 1, 1, 1]
    digest = photos.store_set(x, y, names)
    x2, y2, names2 = photos.load_set(digest)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    assert names2 == names
    for bad in ("0" * 32, "../etc"):
        with pytest.raises(photos.PhotoError):
            photos.load_set(bad)


def test_fast_paths_equal_the_full_model():
    """Training on precomputed features / top-block inputs is the full model:
    same outputs (inference) and same trainable weights after step 4."""
    model, base = pretrained.build_transfer(
        "mobilenet_v2", 2, input_size=96, weights=None
    )
    x = np.random.default_rng(1).uniform(-1, 1, (3, 96, 96, 3)).astype(np.float32)
    head = model.get_layer("head")
    features = pretrained.forward(base, x).mean(axis=(1, 2))
    w, b = (np.asarray(v) for v in head.get_weights())
    full = np.asarray(model(x, training=False))
    np.testing.assert_allclose(features @ w + b, full, rtol=1e-4, atol=1e-5)
    pretrained.unfreeze_top("mobilenet_v2", base)
    top, (acts,) = pretrained.top_model("mobilenet_v2", model, base, [x])
    np.testing.assert_allclose(
        np.asarray(top(acts, training=False)), full, rtol=1e-4, atol=1e-5
    )
    assert pretrained.trainable_count(top) == pretrained.trainable_count(model)
    assert {id(v) for v in top.trainable_weights} == {
        id(v) for v in model.trainable_weights
    }


def test_training_config_is_validated():
    for bad in (
        {"data": "../x"},
        {"weights": "ours"},
        {"input_size": 224},
        {"head_epochs": 0},
        {"fine_learning_rate": 1.0},
    ):
        with pytest.raises(ValueError):
            pretrained.PhotoTransferConfig(**bad)


# ----------------------------------------------------------------------------
# The public photo set (online only) and the exports
# ----------------------------------------------------------------------------


def _fake_public(root, count=5):
    for label, name in enumerate(photos.PUBLIC_CLASSES):
        folder = root / "cats_and_dogs_filtered" / "train" / name
        folder.mkdir(parents=True)
        for i in range(count):
            (folder / f"{name}.{i}.jpg").write_bytes(
                _jpeg((90 + i, 70), color=(200 * label, 100, 30 + i))
            )


def test_public_set_offline_fails_fast_with_a_hint(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(datasets, "_DOWNLOAD_HOST", "https://unreachable.invalid")
    start = time.perf_counter()
    with pytest.raises(datasets.DatasetUnavailable, match="zip of two folders"):
        photos.public_set(32)
    assert time.perf_counter() - start < 1.0


def test_public_set_from_the_keras_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    extracted = tmp_path / "datasets" / f"{photos.PUBLIC_FILE}_extracted"
    _fake_public(extracted)
    monkeypatch.setattr(datasets, "download_server_reachable", lambda: pytest.fail())
    monkeypatch.setattr(keras.utils, "get_file", lambda *a, **k: str(extracted))
    x, y, names = photos.public_set(32, per_class=3, seed=1)
    assert x.shape == (6, 32, 32, 3) and list(y) == [0, 0, 0, 1, 1, 1]
    assert names == ("cats", "dogs")
    again, _ = photos.public_files(str(extracted), 3, 1)
    assert again == photos.public_files(str(extracted), 3, 1)[0]
    assert all(len(files) == 3 for files in again)


def test_exported_photo_reader_equals_the_dashboards(tmp_path):
    """The script reads a photo file exactly as the page decodes an upload."""
    namespace: dict = {}
    exec(  # the export's own helpers, as the student downloads them
        "import numpy as np\nfrom PIL import Image\n"
        + __import__("dlcore.codegen", fromlist=["source"]).source(photos.squeeze)
        + pretrained._EXPORT_READ,
        namespace,
    )
    path = tmp_path / "p.jpg"
    path.write_bytes(_jpeg((300, 200), color=(10, 200, 90)))
    expected = photos.squeeze(photos.load_photo(path.read_bytes(), side=64), 32)
    np.testing.assert_array_equal(namespace["read_photo"](str(path), 32), expected)


@pytest.mark.parametrize("data", ["crops", "public", "0" * 32])
def test_exports_are_standalone_python(data):
    import ast

    config = pretrained.PhotoTransferConfig(data=data)
    code = pretrained.code_photo_transfer(config)
    ast.parse(code)
    assert "dlcore" not in code and "WEIGHTS = 'imagenet'" in code
