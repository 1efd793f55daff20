"""The playground's exports: the standalone Keras script and the ``.keras`` file.

>>> from dlcore.playground.core import PlaygroundConfig
>>> "x1 * x2" in code_playground(PlaygroundConfig(features=("x1", "x2", "x1x2")))
True
"""

from __future__ import annotations

import io
import os
import tempfile

import numpy as np

from dlcore import blocks, codegen, datasets
from dlcore.playground import core
from dlcore.playground import data as pdata

FIT_LOOP = """\
history = {}
for epoch in range(EPOCHS):
    # The dashboard shuffles every epoch with this seeded permutation (instead of
    # model.fit's own shuffling), so this script sees the very same batches.
    order = np.random.default_rng([SEED, epoch]).permutation(len(x_train))
    logs = model.fit(
        x_train[order],
        y_train[order],
        batch_size=BATCH_SIZE,
        epochs=1,
        shuffle=False,
        validation_data=(x_val, y_val),
        verbose=0,
    ).history
    for name, values in logs.items():
        history.setdefault(name, []).extend(values)
    print(f"epoch {epoch + 1}/{EPOCHS}", \
{k: round(v[-1], 4) for k, v in history.items()})
    if TARGET_LOSS and history["loss"][-1] <= TARGET_LOSS:
        print("target loss reached")  # the stop condition
        break

final = {name: values[-1] for name, values in history.items()}"""

ACCURACY = """\
# Accuracy of the tanh output: the sign of the output against the ±1 labels.
for prefix, x, y in (("", x_train, y_train), ("val_", x_val, y_val)):
    hits = (model.predict(x, verbose=0)[:, 0] > 0) == (y[:, 0] > 0)
    final[prefix + "accuracy"] = float(np.mean(hits))"""

REGRESSION = """\
# R² = 1 − SS_res / SS_tot and RMSE = √mean((y − ŷ)²) of the final model.
for prefix, x, y in (("", x_train, y_train), ("val_", x_val, y_val)):
    pred = model.predict(x, verbose=0).astype(np.float64).ravel()
    y = y.astype(np.float64).ravel()
    residual = float(np.sum((y - pred) ** 2))
    final[prefix + "r2"] = 1 - residual / float(np.sum((y - y.mean()) ** 2))
    final[prefix + "rmse"] = float(np.sqrt(residual / len(y)))"""


def _data_code(config: core.PlaygroundConfig) -> str:
    split = "x_train, y_train, x_val, y_val = split(x, y, VAL_FRACTION, SEED)"
    if config.dataset in pdata.CLASSIFICATION:
        return codegen.dataset_code(config.dataset)
    if config.dataset in pdata.REGRESSION:
        generator = pdata.REGRESSION[config.dataset]
        call = f"x, y = {generator.__name__}(NUM_SAMPLES, NOISE, SEED)"
        return codegen.source(generator, datasets.split) + f"\n\n{call}\n{split}"
    if config.dataset == "multiclass":
        call = "x, y = make_blobs(NUM_SAMPLES, NOISE, SEED, NUM_CLASSES)"
        return codegen.source(pdata.make_blobs, datasets.split) + f"\n\n{call}\n{split}"
    dtype = "np.float32" if config.kind == "regression" else "np.int32"
    return (
        codegen.source(datasets.split)
        + "\n\n# The uploaded CSV: x1, x2, label or target.\n"
        + f"POINTS = np.array({[list(p) for p in config.points]!r})\n"
        + f"x = POINTS[:, :2].astype(np.float32)\ny = POINTS[:, 2].astype({dtype})\n"
        + split
    )


def _features_code(config: core.PlaygroundConfig) -> str:
    columns = ", ".join(pdata.FEATURES[name] for name in config.features)
    return (
        "def features(x):\n"
        f'    """The network\'s inputs: {", ".join(config.features)}."""\n'
        "    x1, x2 = x[:, 0].astype(np.float32), x[:, 1].astype(np.float32)\n"
        f"    return np.stack([{columns}], axis=1).astype(np.float32)\n\n\n"
        "x_train, x_val = features(x_train), features(x_val)"
    )


def _targets_code(config: core.PlaygroundConfig) -> str:
    if config.output in ("sigmoid_bce", "softmax_cce"):
        return "y_train, y_val = y_train.astype(np.int32), y_val.astype(np.int32)"
    if config.kind == "regression":
        return (
            "y_train = y_train.astype(np.float32).reshape(-1, 1)\n"
            "y_val = y_val.astype(np.float32).reshape(-1, 1)"
        )
    return (
        "# tanh output + squared error (TensorFlow Playground): labels as −1 / +1\n"
        "y_train = (2.0 * y_train - 1.0).astype(np.float32).reshape(-1, 1)\n"
        "y_val = (2.0 * y_val - 1.0).astype(np.float32).reshape(-1, 1)"
    )


def _regularizer_code(config: core.PlaygroundConfig) -> str:
    if config.l1 and config.l2:
        return f"keras.regularizers.L1L2(l1={config.l1!r}, l2={config.l2!r})"
    if config.l1:
        return f"keras.regularizers.L1({config.l1!r})"
    if config.l2:
        return f"keras.regularizers.L2({config.l2!r})"
    return "None"


def _model_code(config: core.PlaygroundConfig) -> str:
    init = core._INIT_CLASS[config.initializer]
    layers = ["    keras.Input((len(FEATURES),)),"]
    for i, units in enumerate(config.hidden_layers):
        layers.append(
            f"    keras.layers.Dense({units}, activation={config.activation!r},\n"
            f"        kernel_initializer=keras.initializers.{init}("
            f"seed=SEED * 100 + {i}),\n"
            f"        kernel_regularizer={_regularizer_code(config)}),"
        )
        if config.dropout:
            layers.append(
                f"    keras.layers.Dropout({config.dropout!r}, seed=SEED * 100 + {i}),"
            )
    activation, loss = core._OUTPUT[config.output]
    layers.append(
        f"    keras.layers.Dense({config.output_units}, activation={activation!r},\n"
        f"        kernel_initializer=keras.initializers.{init}("
        "seed=SEED * 100 + 99)),"
    )
    classify = config.output in ("sigmoid_bce", "softmax_cce")
    return (
        "model = keras.Sequential([\n" + "\n".join(layers) + "\n])\n"
        "model.compile(\n"
        f"    optimizer={blocks.optimizer_code(config.optimizer, 'LEARNING_RATE')},\n"
        f"    loss={loss!r},\n    metrics={['accuracy'] if classify else []!r},\n"
        ")\nmodel.summary()"
    )


def code_playground(config: core.PlaygroundConfig) -> str:
    """A standalone script that reproduces :func:`core.train_playground`."""
    constants = {
        "SEED": config.seed,
        "NUM_SAMPLES": config.num_samples,
        "NOISE": config.noise,
        "NUM_CLASSES": config.num_classes,
        "VAL_FRACTION": 1 - config.train_fraction,
        "FEATURES": list(config.features),
        "LEARNING_RATE": config.learning_rate,
        "BATCH_SIZE": config.batch_size,
        "EPOCHS": config.epochs,
        "TARGET_LOSS": config.target_loss,
    }
    if config.dataset != "multiclass":
        constants.pop("NUM_CLASSES")
    if config.dataset == "upload":
        constants.pop("NUM_SAMPLES")
        constants.pop("NOISE")
    final = ""
    if config.kind == "regression":
        final = REGRESSION
    elif config.output == "tanh_mse":
        final = ACCURACY
    return codegen.script(
        codegen.header(
            "MLP playground: a Keras MLP learns a 2-D data set",
            f"Reproduces the dashboard run on the {config.dataset!r} data "
            f"(features {list(config.features)}, hidden layers "
            f"{list(config.hidden_layers)}, {config.activation}, output "
            f"{config.output}, {config.optimizer}, learning rate "
            f"{config.learning_rate}).",
        ),
        "import numpy as np\nimport keras",
        codegen.constants(**constants),
        _data_code(config),
        _features_code(config),
        _targets_code(config),
        _model_code(config),
        FIT_LOOP,
        final,
        'print("FINAL", final)',
    )


def keras_file(config: core.PlaygroundConfig, weights: list[np.ndarray]) -> bytes:
    """The trained model as ``.keras`` bytes: built from ``config``, then the
    stored ``[kernel, bias, …]`` arrays set (nothing of Keras kept in a cache)."""
    model = core.build_model(config)
    dense = [
        layer for layer in model.layers if isinstance(layer, core.keras.layers.Dense)
    ]
    for i, layer in enumerate(dense):
        layer.set_weights([weights[2 * i], weights[2 * i + 1]])
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "playground.keras")
        model.save(path)
        with open(path, "rb") as handle:
            return io.BytesIO(handle.read()).getvalue()
