"""ImageNet networks from ``keras.applications`` on real photos.

Three models (:data:`MODELS`): MobileNetV2 (the default: 3.5 M parameters, fast
on a CPU), VGG16 (138 M, the network of the source notes) and ResNet50
(25.6 M). Each is used with its own preprocessing (:func:`preprocess`, the
closed form of ``keras.applications.<model>.preprocess_input``) and its own
``decode_predictions``.

Weights and the ImageNet class index are downloaded by Keras on first use into
the Keras cache (``~/.keras/models``) and reused. Offline, :func:`get_model`
says so at once (the download server is probed first, in milliseconds when
there is no network) and returns the same architecture with random weights
(``pretrained=False``): Grad-CAM and feature maps still run, and every page
labels them "untrained".

Every model is built once per process: a bounded, lock-protected cache
(:func:`get_model`); VGG16 alone takes about 0.5 GB.

>>> [spec.title for spec in SPECS.values()]
['MobileNetV2', 'VGG16', 'ResNet50']
>>> preprocess("mobilenet_v2", np.array([[[0, 255, 127.5]]])).tolist()
[[[-1.0, 1.0, 0.0]]]
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from dlcore import datasets, runtime  # noqa: F401  (TensorFlow settings first)

#: Supported models, the default first (``?cnn_photo_model=<id>``).
MODELS: tuple[str, ...] = ("mobilenet_v2", "vgg16", "resnet50")
DEFAULT_MODEL = "mobilenet_v2"
#: The input side every model was trained on (ImageNet, 224 × 224 RGB).
INPUT_SIZE = 224
#: The ImageNet class index (English names), downloaded by decode_predictions.
CLASS_INDEX_FILE = "imagenet_class_index.json"
#: Cache entries (a model with ImageNet weights, or its random twin, per
#: model: VGG16 ≈ 0.55 GB, ResNet50 ≈ 0.1 GB; offline the two share one model).
CACHE_ENTRIES = 6
#: After this many seconds offline, the weights' download is tried again.
RETRY_SECONDS = 60.0
#: The "caffe" preprocessing (VGG16, ResNet50): BGR means of ImageNet.
CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)

UNTRAINED_NOTE = "untrained — the weights could not be downloaded"


@dataclasses.dataclass(frozen=True)
class ModelSpec:
    """What the page needs to know of one ``keras.applications`` model.

    Attributes:
        name: Id (``"mobilenet_v2"``).
        title: Display name.
        module: The ``keras.applications`` submodule (``preprocess_input``,
            ``decode_predictions``).
        constructor: The model function in that submodule.
        preprocessing: ``"tf"`` (scale to [-1, 1]) or ``"caffe"`` (RGB→BGR,
            minus the ImageNet means).
        weights_file: The full model's weights in the Keras cache.
        notop_file: The convolutional base's weights (no classifier).
        layers: Early, middle and late layers of the feature-map view.
        cam_layers: Layers offered for Grad-CAM (the last conv output first).
        top_block: Name prefixes of the layers fine-tuning unfreezes.
    """

    name: str
    title: str
    module: str
    constructor: str
    preprocessing: str
    weights_file: str
    notop_file: str
    layers: tuple[str, str, str]
    cam_layers: tuple[str, ...]
    top_block: tuple[str, ...]


_MNV2 = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_{size}{top}.h5"

SPECS: dict[str, ModelSpec] = {
    "mobilenet_v2": ModelSpec(
        "mobilenet_v2",
        "MobileNetV2",
        "mobilenet_v2",
        "MobileNetV2",
        "tf",
        _MNV2.format(size=224, top=""),
        _MNV2.format(size="{size}", top="_no_top"),
        ("Conv1_relu", "block_6_expand_relu", "out_relu"),
        ("out_relu", "block_13_expand_relu", "block_6_expand_relu"),
        ("block_16_", "Conv_1", "out_relu"),
    ),
    "vgg16": ModelSpec(
        "vgg16",
        "VGG16",
        "vgg16",
        "VGG16",
        "caffe",
        "vgg16_weights_tf_dim_ordering_tf_kernels.h5",
        "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
        ("block1_conv2", "block3_conv3", "block5_conv3"),
        ("block5_conv3", "block4_conv3", "block3_conv3"),
        ("block5_",),
    ),
    "resnet50": ModelSpec(
        "resnet50",
        "ResNet50",
        "resnet50",
        "ResNet50",
        "caffe",
        "resnet50_weights_tf_dim_ordering_tf_kernels.h5",
        "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5",
        ("conv1_relu", "conv3_block4_out", "conv5_block3_out"),
        ("conv5_block3_out", "conv4_block6_out", "conv3_block4_out"),
        ("conv5_",),
    ),
}


def spec(name: str) -> ModelSpec:
    """The :class:`ModelSpec` of ``name``; a clear ``ValueError`` otherwise."""
    if name not in SPECS:
        raise ValueError(f"unknown model {name!r}; expected one of {MODELS}")
    return SPECS[name]


# ----------------------------------------------------------------------------
# Weights: the Keras cache, and a fast offline answer
# ----------------------------------------------------------------------------


def models_dir() -> str:
    """Where ``keras.applications`` keeps weights (``$KERAS_HOME/models``)."""
    datasets_dir = os.path.dirname(datasets.keras_cache_path("x"))
    return os.path.join(os.path.dirname(datasets_dir), "models")


def cached(file_name: str) -> bool:
    """Whether ``file_name`` is already in the Keras models cache."""
    return os.path.exists(os.path.join(models_dir(), file_name))


class WeightsUnavailable(RuntimeError):
    """The ImageNet weights are not cached and cannot be downloaded now."""


def fetch(file_name: str, load: Callable[[], Any], what: str) -> Any:
    """``load()`` (which may download ``file_name``), failing fast offline.

    Raises:
        WeightsUnavailable: not cached and the server is unreachable (about a
            millisecond without a network), or the download failed.
    """
    try:
        return datasets.keras_download(
            what,
            load,
            cached=cached(file_name),
            hint="The page runs the same network with random weights.",
        )
    except datasets.DatasetUnavailable as error:
        raise WeightsUnavailable(str(error)) from error


def _applications(name: str):
    import keras

    return getattr(keras.applications, spec(name).module)


def build(
    name: str,
    *,
    weights: str | None = "imagenet",
    include_top: bool = True,
    input_size: int = INPUT_SIZE,
):
    """A fresh ``keras.applications`` model whose outputs are *logits*.

    ``classifier_activation=None``: Grad-CAM differentiates the class score
    before the softmax (the softmax couples all classes); :func:`predict`
    applies the softmax. Downloads the weights when ``weights="imagenet"``
    (raises :class:`WeightsUnavailable` offline).
    """
    s = spec(name)
    module = _applications(name)
    constructor = getattr(module, s.constructor)
    kwargs: dict[str, Any] = {"weights": weights, "include_top": include_top}
    if include_top:
        kwargs["classifier_activation"] = None
    else:
        kwargs["input_shape"] = (input_size, input_size, 3)
    if weights is None:
        return constructor(**kwargs)
    file_name = s.weights_file if include_top else notop_file(name, input_size)
    return fetch(file_name, lambda: constructor(**kwargs), f"{s.title} weights")


def notop_file(name: str, input_size: int) -> str:
    """The weights file of ``name``'s convolutional base at ``input_size``."""
    s = spec(name)
    if name == "mobilenet_v2":  # one file per input size (96 … 224)
        size = input_size if input_size in (96, 128, 160, 192, 224) else 224
        return s.notop_file.format(size=size)
    return s.notop_file


@dataclasses.dataclass
class Loaded:
    """A built model, the lock to use it, and whether it is pretrained."""

    name: str
    model: Any
    lock: threading.Lock
    pretrained: bool
    message: str | None = None  # why it is untrained (the download error)
    created: float = dataclasses.field(default_factory=time.monotonic)
    _grad_models: dict = dataclasses.field(default_factory=dict)
    _map_model: Any = None


_MODELS: OrderedDict[tuple[str, bool], Loaded] = OrderedDict()
_MODELS_LOCK = threading.Lock()
_BUILD_LOCKS: dict[tuple[str, bool], threading.Lock] = {}
_BUILDS = [0]


def build_count() -> int:
    """How many models :func:`get_model` has built in this process."""
    return _BUILDS[0]


def get_model(name: str, *, pretrained: bool = True) -> Loaded:
    """``name`` built once per process (bounded cache, one build per key).

    With ``pretrained=True`` the ImageNet weights are used when they are
    cached or can be downloaded; otherwise (offline) the result has random
    weights, ``pretrained=False`` and the reason in ``message``.
    """
    spec(name)
    key = (name, pretrained)
    with _MODELS_LOCK:
        old = _MODELS.get(key)
        if (  # offline a while ago: try the download again
            old is not None
            and pretrained
            and not old.pretrained
            and old.created < time.monotonic() - RETRY_SECONDS
        ):
            del _MODELS[key]
        if key in _MODELS:
            _MODELS.move_to_end(key)
            return _MODELS[key]
        build_lock = _BUILD_LOCKS.setdefault(key, threading.Lock())
    with build_lock:
        with _MODELS_LOCK:
            if key in _MODELS:
                return _MODELS[key]
        if pretrained:
            try:
                model = build(name, weights="imagenet")
            except WeightsUnavailable as error:  # the random model, shared
                random = get_model(name, pretrained=False)
                loaded = Loaded(name, random.model, random.lock, False, str(error))
                loaded._grad_models = random._grad_models
            else:
                _BUILDS[0] += 1
                loaded = Loaded(name, model, threading.Lock(), True)
        else:
            _BUILDS[0] += 1
            loaded = Loaded(name, build(name, weights=None), threading.Lock(), False)
        with _MODELS_LOCK:
            _MODELS[key] = loaded
            while len(_MODELS) > CACHE_ENTRIES:
                _MODELS.popitem(last=False)
        return loaded


def clear_models() -> None:
    """Forget the built models (tests)."""
    with _MODELS_LOCK:
        _MODELS.clear()


# ----------------------------------------------------------------------------
# Preprocessing, prediction, class names
# ----------------------------------------------------------------------------


def resize(photo: np.ndarray, size: int = INPUT_SIZE) -> np.ndarray:
    """The photo squeezed to ``size × size`` (as ``keras.utils.load_img``
    with ``target_size`` does: the whole photo, aspect ratio not kept), float
    RGB in [0, 255]."""
    from PIL import Image

    image = Image.fromarray(np.asarray(photo, dtype=np.uint8))
    small = image.resize((size, size), Image.Resampling.BILINEAR)
    return np.asarray(small, dtype=np.float32)


def preprocess(name: str, x: np.ndarray) -> np.ndarray:
    """The model's own input transform, written out (RGB in [0, 255] in).

    * ``tf`` (MobileNetV2): ``x / 127.5 - 1`` → [-1, 1].
    * ``caffe`` (VGG16, ResNet50): RGB → BGR, then minus the ImageNet channel
      means ``(103.939, 116.779, 123.68)``; no scaling.

    Equal to ``keras.applications.<model>.preprocess_input`` (tested).
    """
    x = np.asarray(x, dtype=np.float32)
    if spec(name).preprocessing == "tf":
        return x / 127.5 - 1.0
    return x[..., ::-1] - np.asarray(CAFFE_MEAN_BGR, dtype=np.float32)


def softmax(logits: np.ndarray) -> np.ndarray:
    z = np.asarray(logits, dtype=np.float64)
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def predict(loaded: Loaded, photo: np.ndarray) -> np.ndarray:
    """The 1000 ImageNet class probabilities of ``photo`` (RGB uint8)."""
    x = preprocess(loaded.name, resize(photo))[None]
    with loaded.lock:
        logits = np.asarray(loaded.model(x, training=False))
    return softmax(logits)[0]


_CLASS_NAMES: list[list[str]] = []
_CLASS_LOCK = threading.Lock()


def class_names() -> list[str] | None:
    """The 1000 ImageNet class names (Keras' class index) or None offline."""
    with _CLASS_LOCK:
        if _CLASS_NAMES:
            return _CLASS_NAMES[0]
        module = _applications(DEFAULT_MODEL)
        probe = np.eye(1000, dtype=np.float32)
        try:
            decoded = fetch(
                CLASS_INDEX_FILE,
                lambda: module.decode_predictions(probe, top=1),
                "The ImageNet class index",
            )
        except WeightsUnavailable:
            return None
        _CLASS_NAMES.append([row[0][1] for row in decoded])
        return _CLASS_NAMES[0]


def class_label(name: str, index: int, lang: str = "en") -> str:
    """A class as the page shows it: Keras' name with spaces (``"tabby"``,
    ``"coffee mug"``); in Chinese with the catalogue's translation first when
    there is one (``"咖啡杯（coffee mug）"``); ``"class 281"`` without a name."""
    from dlcore.i18n import CATALOG, t

    if not name or name == f"class {index}":
        return t("cnn.photos.class_number", lang, index=index)
    english = name.replace("_", " ")
    pair = CATALOG.get(f"cnn.photos.class.{name}")
    if lang == "zh" and pair is not None:
        return f"{pair[1]}（{english}）"
    return english


def weights_available(file_name: str) -> bool:
    """Whether ``file_name`` is cached or its server answers (ms offline)."""
    return cached(file_name) or datasets.download_server_reachable()


def top5(loaded: Loaded, probabilities: np.ndarray) -> pd.DataFrame:
    """The five most probable classes: ``index``, ``name``, ``probability``.

    Names come from the model's ``decode_predictions`` (the class index);
    without it (offline) a class is named by its index, ``"class 281"``.
    """
    p = np.asarray(probabilities, dtype=np.float64)
    order = np.argsort(-p, kind="stable")[:5]
    names = None
    if loaded.pretrained:
        module = _applications(loaded.name)
        try:
            rows = fetch(
                CLASS_INDEX_FILE,
                lambda: module.decode_predictions(p[None].astype(np.float32), top=5),
                "The ImageNet class index",
            )[0]
            names = [row[1] for row in rows]
        except WeightsUnavailable:
            names = None
    if names is None:
        names = [f"class {int(i)}" for i in order]
    return pd.DataFrame(
        {
            "index": order.astype(int),
            "name": names,
            "probability": p[order],
        }
    )


# ----------------------------------------------------------------------------
# Layers, Grad-CAM, feature maps
# ----------------------------------------------------------------------------


def layer_table(model) -> pd.DataFrame:
    """One row per layer: name, type, output shape, parameters, trainable."""
    rows = []
    for layer in model.layers:
        try:
            shape = tuple(layer.output.shape[1:])
        except (AttributeError, ValueError):
            shape = ()
        rows.append(
            {
                "layer": layer.name,
                "type": type(layer).__name__,
                "output": " × ".join(str(d) for d in shape),
                "params": int(layer.count_params()) if layer.built else 0,
                "trainable": int(
                    sum(np.prod(w.shape) for w in layer.trainable_weights)
                ),
            }
        )
    return pd.DataFrame(rows)


def conv_layers(loaded: Loaded) -> tuple[str, ...]:
    """The Grad-CAM layers of the model (the last convolutional output first)."""
    return spec(loaded.name).cam_layers


def grad_cam(
    loaded: Loaded, photo: np.ndarray, class_index: int, layer: str
) -> np.ndarray:
    """Grad-CAM of ``class_index`` on ``layer``, at the photo's resolution.

    ``cam = ReLU(Σ_k α_k A^k)`` with ``α_k`` the spatial mean of
    ``∂ logit_c / ∂ A^k`` (Selvaraju et al. 2017), divided by its maximum and
    resized bilinearly to the photo's height × width. Values in [0, 1]; all
    zeros when no location raises the class score.
    """
    import tensorflow as tf
    from PIL import Image

    photo = np.asarray(photo)
    x = tf.constant(preprocess(loaded.name, resize(photo))[None])
    with loaded.lock:
        grad_model = loaded._grad_models.get(layer)
        if grad_model is None:
            import keras

            model = loaded.model
            grad_model = keras.Model(
                model.input, [model.get_layer(layer).output, model.outputs[0]]
            )
            loaded._grad_models[layer] = grad_model
        with tf.GradientTape() as tape:
            maps, logits = grad_model(x, training=False)
            score = logits[:, int(class_index)]
        grads = tape.gradient(score, maps)
    weights = tf.reduce_mean(grads, axis=(1, 2))  # α_k, one per channel
    cam = tf.nn.relu(tf.reduce_sum(maps * weights[:, None, None, :], axis=-1))[0]
    cam = np.asarray(cam, dtype=np.float32)
    peak = float(cam.max())
    cam = cam / peak if peak > 0 else np.zeros_like(cam)
    height, width = photo.shape[:2]
    big = Image.fromarray(cam, mode="F").resize(
        (width, height), Image.Resampling.BILINEAR
    )
    return np.clip(np.asarray(big, dtype=np.float32), 0.0, 1.0)


def overlay(photo: np.ndarray, cam: np.ndarray, alpha: float = 0.5) -> np.ndarray:
    """The photo (uint8 RGB) with the heat map blended in (jet-like colours)."""
    cam = np.clip(np.asarray(cam, dtype=np.float32), 0.0, 1.0)
    heat = np.stack(
        [
            np.clip(1.5 - np.abs(4 * cam - 3), 0, 1),
            np.clip(1.5 - np.abs(4 * cam - 2), 0, 1),
            np.clip(1.5 - np.abs(4 * cam - 1), 0, 1),
        ],
        axis=-1,
    )
    mixed = (1 - alpha) * np.asarray(photo, dtype=np.float32) / 255 + alpha * heat
    return (np.clip(mixed, 0, 1) * 255).astype(np.uint8)


def feature_maps(
    loaded: Loaded, photo: np.ndarray, channels: int = 8
) -> dict[str, np.ndarray]:
    """The early, middle and late layer's activations on ``photo``.

    Returns ``{layer: (channels, h, w)}``: the ``channels`` most active
    channels of each layer (largest mean activation), strongest first.
    """
    import keras

    names = spec(loaded.name).layers
    x = preprocess(loaded.name, resize(photo))[None]
    with loaded.lock:
        if loaded._map_model is None:
            model = loaded.model
            loaded._map_model = keras.Model(
                model.input, [model.get_layer(n).output for n in names]
            )
        outputs = loaded._map_model(x, training=False)
    maps = {}
    for name, value in zip(names, outputs, strict=True):
        value = np.asarray(value)[0]  # (h, w, c)
        order = np.argsort(-value.mean(axis=(0, 1)), kind="stable")[:channels]
        maps[name] = np.moveaxis(value[..., order], -1, 0)
    return maps


# ----------------------------------------------------------------------------
# Transfer learning: feature extraction, then fine-tuning of the top block
# ----------------------------------------------------------------------------


def in_top_block(name: str, layer) -> bool:
    """Whether fine-tuning unfreezes ``layer`` of ``name``'s base: a layer of
    the top block, BatchNormalization excluded (it stays in inference mode
    with its ImageNet statistics, as the Keras guide advises)."""
    import keras

    if isinstance(layer, keras.layers.BatchNormalization):
        return False
    return layer.name.startswith(spec(name).top_block)


def build_transfer(
    name: str,
    num_classes: int,
    *,
    input_size: int = 128,
    weights: str | None = "imagenet",
    dropout: float = 0.2,
    seed: int = 0,
):
    """Step 1 of the recipe: the convolutional base + a new classifier head.

    ``inputs → base(training=False) → GlobalAveragePooling2D → Dropout →
    Dense(num_classes)`` (logits). The ImageNet dense layers are not reused:
    they are specific to the 1000 classes and flatten away where things are.
    Returns ``(model, base)``; the base is frozen (step 2).
    """
    import keras

    keras.utils.set_random_seed(seed)
    base = build(name, weights=weights, include_top=False, input_size=input_size)
    inputs = keras.Input((input_size, input_size, 3))
    x = base(inputs, training=False)  # BatchNorm in inference mode, always
    x = keras.layers.GlobalAveragePooling2D()(x)
    x = keras.layers.Dropout(dropout, seed=seed)(x)
    outputs = keras.layers.Dense(num_classes, name="head")(x)
    model = keras.Model(inputs, outputs)
    freeze_base(base)
    return model, base


def freeze_base(base) -> None:
    """Step 2: no weight of the base is trained (only the head learns)."""
    base.trainable = False


def unfreeze_top(name: str, base) -> list[str]:
    """Step 4: unfreeze the top block (BatchNorm stays frozen); the rest of
    the base stays frozen. Returns the names of the unfrozen layers."""
    base.trainable = True  # Keras sets every sub-layer; then refreeze the rest
    unfrozen = []
    for layer in base.layers:
        layer.trainable = in_top_block(name, layer)
        if layer.trainable and layer.weights:
            unfrozen.append(layer.name)
    return unfrozen


def trainable_count(model) -> int:
    """Trainable parameters (what ``model.fit`` updates)."""
    return int(sum(np.prod(w.shape) for w in model.trainable_weights))


def recipe(name: str, base, head_params: int) -> pd.DataFrame:
    """The five steps with the layers they train and their parameter counts,
    computed from the layers the recipe names (the tests check them against
    Keras' ``trainable_weights``)."""
    import keras

    top = [layer for layer in base.layers if in_top_block(name, layer)]
    top_params = int(sum(layer.count_params() for layer in top if layer.weights))
    moving = sum(  # BatchNorm's moving mean and variance are never trained
        2 * int(layer.moving_mean.shape[0])
        for layer in base.layers
        if isinstance(layer, keras.layers.BatchNormalization)
    )
    steps = (
        ("add_head", head_params + base.count_params() - moving),
        ("freeze_base", head_params),
        ("train_head", head_params),
        ("unfreeze_top", head_params + top_params),
        ("train_both", head_params + top_params),
    )
    return pd.DataFrame(
        {
            "step": [s for s, _ in steps],
            "trainable": [c for _, c in steps],
            "layers": [
                "all",
                "head",
                "head",
                "head + " + ", ".join(layer.name for layer in top if layer.weights),
                "head + top block",
            ],
        }
    )


# ----------------------------------------------------------------------------
# The training task: feature extraction vs fine-tuning vs from scratch
# ----------------------------------------------------------------------------

#: Input sides of the training task (MobileNetV2 has ImageNet weights for each).
TRAIN_SIZES: tuple[int, ...] = (96, 128)
#: Photo sets of the training section (a stored zip is its digest).
DATA_SOURCES: tuple[str, ...] = ("crops", "public", "zip")
#: The runs of :func:`train_photo_transfer`, in order.
TRANSFER_RUNS: tuple[str, ...] = ("feature", "fine", "scratch")


@dataclasses.dataclass(frozen=True)
class PhotoTransferConfig:
    """Feature extraction, then fine-tuning, vs a small CNN from scratch.

    Attributes:
        data: ``"crops"`` (crops of two example photos), ``"public"`` (a
            subset of the public cats-vs-dogs set, downloaded: online only)
            or the digest of a photo set stored by
            :func:`dlcore.cnn.photos.store_set`.
        weights: ``"imagenet"`` or ``"random"`` (offline: the page says so).
        input_size: Side of the inputs (MobileNetV2 at 96 or 128).
        head_epochs: Epochs of step 3 (train the head on the frozen base).
        fine_epochs: Epochs of step 5 (top block + head, low learning rate).
        head_learning_rate, fine_learning_rate: Adam's learning rates.
        batch_size: Photos per step.
        val_fraction: Share of each class held out for validation.
        seed: Seeds the split, the head, the shuffling and the CNN.
    """

    data: str = "crops"
    weights: str = "imagenet"
    input_size: int = 96
    head_epochs: int = 4
    fine_epochs: int = 4
    head_learning_rate: float = 1e-3
    fine_learning_rate: float = 1e-4
    batch_size: int = 16
    val_fraction: float = 0.25
    seed: int = 0

    def __post_init__(self) -> None:
        named = self.data in ("crops", "public")
        if not (named or (self.data.isalnum() and len(self.data) == 32)):
            raise ValueError(f"data must be 'crops' or a set digest, got {self.data!r}")
        if self.weights not in ("imagenet", "random"):
            raise ValueError(
                f"weights must be 'imagenet' or 'random', got {self.weights!r}"
            )
        if self.input_size not in TRAIN_SIZES:
            raise ValueError(f"input_size must be one of {TRAIN_SIZES}")
        for name in ("head_epochs", "fine_epochs"):
            if not 1 <= getattr(self, name) <= 20:
                raise ValueError(f"{name} must be between 1 and 20")
        for name in ("head_learning_rate", "fine_learning_rate"):
            if not 0 < getattr(self, name) <= 0.1:
                raise ValueError(f"{name} must be in (0, 0.1]")
        if not 1 <= self.batch_size <= 64:
            raise ValueError("batch_size must be between 1 and 64")
        if not 0.1 <= self.val_fraction <= 0.5:
            raise ValueError("val_fraction must be between 0.1 and 0.5")


#: A config the contract tests train in seconds.
SMOKE_TRANSFER = PhotoTransferConfig(
    weights="random", head_epochs=1, fine_epochs=1, batch_size=16
)


def split_set(
    y: np.ndarray, val_fraction: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Stratified train / validation indices (at least one of each class each)."""
    rng = np.random.default_rng(seed)
    train_idx, val_idx = [], []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        n_val = min(max(1, round(len(members) * val_fraction)), len(members) - 1)
        val_idx.extend(members[:n_val])
        train_idx.extend(members[n_val:])
    return np.sort(train_idx), np.sort(val_idx)


def photo_set(config: PhotoTransferConfig):
    """``(x, y, class_names)`` of the config's photos at its input size."""
    from dlcore.cnn import photos

    if config.data == "crops":
        return photos.example_crops(size=config.input_size, seed=config.seed)
    if config.data == "public":
        return photos.public_set(config.input_size, seed=config.seed)
    x, y, names = photos.load_set(config.data)
    if x.shape[1] != config.input_size:
        x = np.stack([photos.squeeze(p, config.input_size) for p in x])
    return x, y, names


def scratch_cnn(input_size: int, num_classes: int, seed: int):
    """The baseline: a small CNN trained from scratch (inputs in [0, 1])."""
    import keras

    keras.utils.set_random_seed(seed)
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((input_size, input_size, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(num_classes),
        ]
    )


def forward(model, x: np.ndarray, batch_size: int = 32) -> np.ndarray:
    """``model(x)`` in inference mode, batch by batch (eager: no tracing, which
    ``model.predict`` redoes for every new model)."""
    parts = [
        np.asarray(model(x[i : i + batch_size], training=False))
        for i in range(0, len(x), batch_size)
    ]
    return np.concatenate(parts)


def _compile(model, learning_rate: float) -> None:
    import keras

    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )


def _accuracy(model, x: np.ndarray, y: np.ndarray) -> float:
    logits = np.asarray(model(x, training=False))
    return float((logits.argmax(-1) == y).mean())


def _with_run(on_progress, run: str, index: int):
    if on_progress is None:
        return None

    def forward(event: dict) -> None:
        on_progress({**event, "run": run, "run_index": index, "num_runs": 3})

    return forward


#: The layer whose output enters each model's top block.
TOP_INPUT: dict[str, str] = {
    "mobilenet_v2": "block_15_add",
    "vgg16": "block4_pool",
    "resnet50": "conv4_block6_out",
}


def top_model(name: str, model, base, inputs: Sequence[np.ndarray], *, seed: int = 0):
    """The fine-tuning part of ``model``: top block + head, on the output of
    the frozen layers below it (computed once for each array of ``inputs``).

    Its layers are ``model``'s own (shared): training it trains ``model``.
    Returns ``(top, [activations of each input])``.
    """
    import keras

    cut = base.get_layer(TOP_INPUT[name]).output
    lower = keras.Model(base.input, cut)
    upper = keras.Model(cut, base.output)
    acts = [forward(lower, x) for x in inputs]
    entry = keras.Input(acts[0].shape[1:])
    h = upper(entry, training=False)  # BatchNorm in inference mode
    h = keras.layers.GlobalAveragePooling2D()(h)
    h = keras.layers.Dropout(0.2, seed=seed)(h)
    return keras.Model(entry, model.get_layer("head")(h)), acts


def train_photo_transfer(
    config: PhotoTransferConfig,
    *,
    on_progress: Callable[[dict], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
):
    """Feature extraction, then fine-tuning, then a small CNN from scratch.

    1. ``feature``: MobileNetV2's base (frozen) + a new head, trained for
       ``head_epochs`` (steps 1–3 of the recipe). The frozen base runs in
       inference mode, so its features are computed once per photo and the
       head (Dropout + Dense) is trained on them: the same model and loss
       as training the head through the frozen base, without recomputing it.
    2. ``fine``: the top block unfrozen (BatchNorm stays frozen), head and top
       block trained ``fine_epochs`` more at ``fine_learning_rate``
       (steps 4–5), starting from run 1's weights.
    3. ``scratch``: :func:`scratch_cnn` for ``head_epochs + fine_epochs``.

    Returns a :class:`dlcore.train.TaskResult`: ``metrics``
    ``<run>_accuracy`` (validation) and ``<run>_seconds``; ``artifacts``
    ``curves`` (validation accuracy per epoch of each run), ``recipe``,
    ``class_names``, ``num_train``, ``num_val``, ``weights``.
    """
    from dlcore import train

    x, y, names = photo_set(config)
    x = x.astype(np.float32)
    train_idx, val_idx = split_set(y, config.val_fraction, config.seed)
    x_train, y_train, x_val, y_val = x[train_idx], y[train_idx], x[val_idx], y[val_idx]
    pre = preprocess("mobilenet_v2", x_train), preprocess("mobilenet_v2", x_val)
    weights = "imagenet" if config.weights == "imagenet" else None
    model, base = build_transfer(
        "mobilenet_v2",
        len(names),
        input_size=config.input_size,
        weights=weights,
        seed=config.seed,
    )
    head_params = int(model.get_layer("head").count_params())
    plan = recipe("mobilenet_v2", base, head_params)
    common = {"batch_size": config.batch_size, "should_stop": should_stop}
    fits, metrics, curves = {}, {}, {}

    # Steps 2–3, fast: the frozen base in inference mode gives every photo the
    # same features each epoch, so they are computed once and only the head
    # (Dropout + Dense, as in the full model) is trained on them.
    import keras

    features = [forward(base, p) for p in pre]
    features = [f.mean(axis=(1, 2)) for f in features]  # GlobalAveragePooling2D
    keras.utils.set_random_seed(config.seed)
    head = keras.Sequential(
        [
            keras.Input((features[0].shape[-1],)),
            keras.layers.Dropout(0.2, seed=config.seed),
            keras.layers.Dense(len(names)),
        ]
    )
    _compile(head, config.head_learning_rate)
    fits["feature"] = train.fit(
        head,
        features[0],
        y_train,
        epochs=config.head_epochs,
        validation_data=(features[1], y_val),
        seed=config.seed,
        on_progress=_with_run(on_progress, "feature", 0),
        **common,
    )
    model.get_layer("head").set_weights(head.layers[-1].get_weights())
    runs = [("feature", model, pre)]
    if fits["feature"].status == "finished":
        # Steps 4–5: below the top block everything is frozen and in inference
        # mode, so its output is computed once; the top block (its layers are
        # the base's own, shared) and the head are trained on it.
        unfreeze_top("mobilenet_v2", base)
        fine_model, acts = top_model("mobilenet_v2", model, base, pre, seed=config.seed)
        _compile(fine_model, config.fine_learning_rate)  # new trainables
        fits["fine"] = train.fit(
            fine_model,
            acts[0],
            y_train,
            epochs=config.fine_epochs,
            validation_data=(acts[1], y_val),
            seed=config.seed + 1,
            on_progress=_with_run(on_progress, "fine", 1),
            **common,
        )
        runs.append(("fine", fine_model, acts))
    if fits[next(reversed(fits))].status == "finished":
        scratch = scratch_cnn(config.input_size, len(names), config.seed)
        _compile(scratch, config.head_learning_rate)
        fits["scratch"] = train.fit(
            scratch,
            x_train,
            y_train,
            epochs=config.head_epochs + config.fine_epochs,
            validation_data=(x_val, y_val),
            seed=config.seed + 2,
            on_progress=_with_run(on_progress, "scratch", 2),
            **common,
        )
        runs.append(("scratch", scratch, (x_train, x_val)))
    for run, fit in fits.items():
        history = fit.history
        if "val_accuracy" in history:
            curves[run] = [float(v) for v in history["val_accuracy"]]
            metrics[f"{run}_val_loss"] = float(history["val_loss"].iloc[-1])
        metrics[f"{run}_seconds"] = float(fit.wall_time)
        if run != "feature" or "fine" not in fits:
            trained, (_, xv) = next((m, p) for r, m, p in runs if r == run)
            metrics[f"{run}_accuracy"] = _accuracy(trained, xv, y_val)
    if curves.get("feature"):
        metrics["feature_accuracy"] = curves["feature"][-1]
    artifacts = {
        "curves": curves,
        "recipe": plan.to_dict("list"),
        "class_names": list(names),
        "num_train": len(train_idx),
        "num_val": len(val_idx),
        "weights": config.weights,
    }
    return train.TaskResult.combine(fits, metrics=metrics, artifacts=artifacts)


#: Seconds per (photo × epoch) on 2 CPU cores, by run and input side (measured).
_SECONDS_PER_PHOTO_EPOCH = {96: 0.004, 128: 0.007}
#: Compiling and building (MobileNetV2 base, three training loops).
_FIXED_SECONDS = 8.0


def estimate_photo_transfer(config: PhotoTransferConfig) -> float:
    """Estimated seconds of :func:`train_photo_transfer` on 2 CPU cores."""
    photos_count = {"crops": 48, "public": 80}.get(config.data, 2 * 150)
    epochs = 2 * (config.head_epochs + config.fine_epochs)
    rate = _SECONDS_PER_PHOTO_EPOCH[config.input_size]
    return _FIXED_SECONDS + photos_count * epochs * rate


# ----------------------------------------------------------------------------
# Export: the same three runs as a standalone Keras script
# ----------------------------------------------------------------------------

_EXPORT_READ = '''
def read_photo(path, size):
    """A photo file as the dashboard reads it: upright, RGB, at most
    2 * size pixels a side, then squeezed to size x size."""
    from PIL import ImageOps

    picture = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
    side = max(size * 2, 64)
    if max(picture.size) > side:
        picture.thumbnail((side, side), Image.Resampling.LANCZOS)
    return squeeze(np.asarray(picture), size)
'''

_EXPORT_FOLDER = '''
def load_folder(root, size):
    """Photos of two sub-folders of ``root`` (one per class, sorted names)."""
    import os

    names = sorted(
        d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d))
    )[:2]
    x, y = [], []
    for label, name in enumerate(names):
        folder = os.path.join(root, name)
        for file in sorted(os.listdir(folder)):
            if not file.startswith("."):
                x.append(read_photo(os.path.join(folder, file), size))
                y.append(label)
    return np.stack(x), np.asarray(y, dtype=np.int32), tuple(names)
'''

_EXPORT_RUNS = '''
def compile_model(model, learning_rate):
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )


def train(model, x_train, y_train, x_val, y_val, epochs, seed):
    """model.fit one epoch at a time, on the same shuffled batches as the
    dashboard (a seeded permutation per epoch)."""
    for epoch in range(epochs):
        order = np.random.default_rng([seed, epoch]).permutation(len(x_train))
        logs = model.fit(
            x_train[order],
            y_train[order],
            batch_size=min(BATCH_SIZE, len(x_train)),
            epochs=1,
            shuffle=False,
            validation_data=(x_val, y_val),
            verbose=0,
        ).history
        shown = {k: round(v[-1], 4) for k, v in logs.items()}
        print(f"epoch {epoch + 1}/{epochs}", shown)
    return logs["val_loss"][-1]


def accuracy(model, x, y):
    return float((forward(model, x).argmax(-1) == y).mean())


x = x.astype(np.float32)
train_idx, val_idx = split_set(y, VAL_FRACTION, SEED)
x_train, y_train, x_val, y_val = x[train_idx], y[train_idx], x[val_idx], y[val_idx]
pre_train, pre_val = x_train / 127.5 - 1.0, x_val / 127.5 - 1.0  # preprocess_input

# 1. A new head on MobileNetV2's convolutional base (no ImageNet classifier).
keras.utils.set_random_seed(SEED)
base = keras.applications.MobileNetV2(
    include_top=False, weights=WEIGHTS, input_shape=(SIZE, SIZE, 3)
)
inputs = keras.Input((SIZE, SIZE, 3))
h = base(inputs, training=False)  # BatchNorm in inference mode, always
h = keras.layers.GlobalAveragePooling2D()(h)
h = keras.layers.Dropout(0.2, seed=SEED)(h)
model = keras.Model(inputs, keras.layers.Dense(len(names), name="head")(h))
# 2. Freeze the base.
base.trainable = False
# 3. Train the head (feature extraction). The frozen base gives every photo
#    the same features each epoch: compute them once, train the head on them.
features_train = forward(base, pre_train).mean(axis=(1, 2))
features_val = forward(base, pre_val).mean(axis=(1, 2))
keras.utils.set_random_seed(SEED)
head = keras.Sequential(
    [
        keras.Input((features_train.shape[-1],)),
        keras.layers.Dropout(0.2, seed=SEED),
        keras.layers.Dense(len(names)),
    ]
)
compile_model(head, HEAD_LEARNING_RATE)
loss = train(head, features_train, y_train, features_val, y_val, HEAD_EPOCHS, SEED)
final = {"feature_accuracy": accuracy(head, features_val, y_val)}
final["feature_val_loss"] = loss
model.get_layer("head").set_weights(head.layers[-1].get_weights())

# 4. Unfreeze the top block (block_16, Conv_1); BatchNorm layers stay frozen.
base.trainable = True
for layer in base.layers:
    layer.trainable = layer.name.startswith(TOP_BLOCK) and not isinstance(
        layer, keras.layers.BatchNormalization
    )
trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
print("trainable parameters:", trainable)
# 5. Train both with a low learning rate (fine-tuning). Below the top block
#    everything is frozen: its output is computed once.
cut = base.get_layer(TOP_INPUT).output
lower, upper = keras.Model(base.input, cut), keras.Model(cut, base.output)
acts_train, acts_val = forward(lower, pre_train), forward(lower, pre_val)
entry = keras.Input(acts_train.shape[1:])
h = upper(entry, training=False)
h = keras.layers.GlobalAveragePooling2D()(h)
h = keras.layers.Dropout(0.2, seed=SEED)(h)
fine = keras.Model(entry, model.get_layer("head")(h))
compile_model(fine, FINE_LEARNING_RATE)
loss = train(fine, acts_train, y_train, acts_val, y_val, FINE_EPOCHS, SEED + 1)
final.update(fine_accuracy=accuracy(fine, acts_val, y_val), fine_val_loss=loss)

# The baseline: a small CNN from scratch, as many epochs as both steps.
scratch = scratch_cnn(SIZE, len(names), SEED)
compile_model(scratch, HEAD_LEARNING_RATE)
epochs = HEAD_EPOCHS + FINE_EPOCHS
loss = train(scratch, x_train, y_train, x_val, y_val, epochs, SEED + 2)
final.update(scratch_accuracy=accuracy(scratch, x_val, y_val), scratch_val_loss=loss)
print("FINAL", final)
'''


def code_photo_transfer(config: PhotoTransferConfig) -> str:
    """A standalone Keras script of :func:`train_photo_transfer` (``config``)."""
    from dlcore import codegen
    from dlcore.cnn import photos

    weights = "imagenet" if config.weights == "imagenet" else None
    parts = [
        codegen.header(
            "Feature extraction vs fine-tuning vs a small CNN from scratch",
            "MobileNetV2 from keras.applications on two classes of photos: "
            "train a new head on the frozen base, then fine-tune the top block "
            "with a low learning rate; a small CNN trained from scratch on the "
            "same photos is the baseline.",
        ),
        "import numpy as np\nimport keras\nfrom PIL import Image",
        codegen.constants(
            SEED=config.seed,
            SIZE=config.input_size,
            HEAD_EPOCHS=config.head_epochs,
            FINE_EPOCHS=config.fine_epochs,
            HEAD_LEARNING_RATE=config.head_learning_rate,
            FINE_LEARNING_RATE=config.fine_learning_rate,
            BATCH_SIZE=config.batch_size,
            VAL_FRACTION=config.val_fraction,
            WEIGHTS=weights,
            TOP_BLOCK=SPECS["mobilenet_v2"].top_block,
            TOP_INPUT=TOP_INPUT["mobilenet_v2"],
            EXAMPLES=photos.EXAMPLES,
        ),
        codegen.source(photos.squeeze, split_set, forward, scratch_cnn),
    ]
    if config.data == "crops":
        parts += [
            codegen.source(photos.example, photos.example_crops),
            "x, y, names = example_crops(size=SIZE, seed=SEED)",
        ]
    elif config.data == "public":
        parts += [
            _EXPORT_READ,
            codegen.constants(
                PUBLIC_URL=photos.PUBLIC_URL,
                PUBLIC_FILE=photos.PUBLIC_FILE,
                PUBLIC_CLASSES=photos.PUBLIC_CLASSES,
            ),
            "import os\n\n" + codegen.source(photos.public_files),
            "root = keras.utils.get_file(\n"
            "    PUBLIC_FILE, origin=PUBLIC_URL, extract=True\n"
            ")\n"
            f"picked, names = public_files(root, {photos.PUBLIC_PER_CLASS}, SEED)\n"
            "x = np.stack([read_photo(f, SIZE) for files in picked for f in files])\n"
            "y = np.repeat(np.arange(2), [len(files) for files in picked])",
        ]
    else:
        parts += [
            _EXPORT_READ,
            _EXPORT_FOLDER,
            'PHOTO_DIR = "photos"  # your two folders: photos/<class>/<photo>\n'
            "x, y, names = load_folder(PHOTO_DIR, SIZE)",
        ]
    parts.append(_EXPORT_RUNS)
    return codegen.script(*parts)


def photo_control_values(config: PhotoTransferConfig) -> dict[str, Any]:
    """The photos tab's training controls that show ``config``."""
    return {
        "cnn_photo_size": config.input_size,
        "cnn_photo_head_epochs": config.head_epochs,
        "cnn_photo_fine_epochs": config.fine_epochs,
        "cnn_photo_fine_lr": config.fine_learning_rate,
        "cnn_photo_data": config.data if config.data in DATA_SOURCES else "zip",
    }
