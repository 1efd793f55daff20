"""Code export: standalone Keras scripts that reproduce the CNN page's runs.

Each script needs only NumPy, Keras (TensorFlow backend) and scikit-learn, and
trains with ``model.fit`` on the same data split, initial weights and batches
as the dashboard (the tests run them and compare the numbers).
"""

from __future__ import annotations

import numpy as np

from dlcore import blocks, codegen
from dlcore.cnn.models import (
    AUGMENTATIONS,
    DATASET_SHAPES,
    _cnn_graph,
    dense_hidden_units,
)
from dlcore.cnn.results import _select, classes_text, shift_images, stratified_subset
from dlcore.cnn.tasks import CNNConfig, TransferConfig

_AUGMENTATION_CODE = {
    "shift": 'keras.layers.RandomTranslation(0.125, 0.125, fill_mode="constant", '
    'seed=SEED + {seed}, name="random_shift")',
    "rotation": 'keras.layers.RandomRotation(0.04, fill_mode="constant", '
    'seed=SEED + {seed}, name="random_rotation")',
    "zoom": 'keras.layers.RandomZoom(0.15, fill_mode="constant", '
    'seed=SEED + {seed}, name="random_zoom")',
}

_SCRIPT_FIT = '''\
def fit(model, x, y, epochs, batch_size, seed, validation_data=None):
    """model.fit one epoch at a time, on the same shuffled batches as the dashboard."""
    history = {}
    for epoch in range(epochs):
        order = np.random.default_rng([seed, epoch]).permutation(len(x))
        logs = model.fit(
            x[order], y[order], batch_size=batch_size, epochs=1, shuffle=False,
            validation_data=validation_data, verbose=0,
        ).history
        for name, values in logs.items():
            history.setdefault(name, []).extend(values)
    return history'''


def _cnn_model_code(config: CNNConfig) -> str:
    """The ``build_cnn()`` function of the exported script."""
    augment = [
        f"    x = {_AUGMENTATION_CODE[name].format(seed=101 + i)}(x)"
        for i, name in enumerate(AUGMENTATIONS)
        if name in config.augmentation
    ]
    pool = "MaxPooling2D" if config.pooling == "max" else "AveragePooling2D"
    pool_line = (
        f'        x = keras.layers.{pool}(2, padding="same", '
        f'name=f"pool{{block}}")(x)\n'
        if config.pooling != "none"
        else "        # no pooling: the feature maps keep their size\n"
    )
    if config.batch_norm:
        conv = (
            "            activation=None, use_bias=False,"
            "  # batch norm adds the shift\n"
        )
        norm = (
            '        x = keras.layers.BatchNormalization(name=f"bn{block}")(x)\n'
            '        x = keras.layers.Activation("relu", name=f"relu{block}")(x)\n'
        )
    else:
        conv, norm = '            activation="relu",\n', ""
    dropout = (
        '    x = keras.layers.Dropout(DROPOUT, seed=SEED + 50, name="dropout")(x)\n'
        if config.dropout > 0
        else ""
    )
    return (
        "def build_cnn():\n"
        '    inputs = keras.Input(shape=x_train.shape[1:], name="image")\n'
        "    x = inputs\n"
        + ("    # Random augmentation: active only while training\n" if augment else "")
        + "".join(line + "\n" for line in augment)
        + "    for block in range(1, NUM_BLOCKS + 1):\n"
        "        x = keras.layers.Conv2D(\n"
        "            FILTERS * 2 ** (block - 1),  # more filters as maps get smaller\n"
        '            KERNEL_SIZE, padding="same",\n'
        + conv
        + "            kernel_initializer="
        "keras.initializers.HeUniform(seed=SEED + block),\n"
        '            name=f"conv{block}",\n'
        "        )(x)\n"
        + norm
        + pool_line
        + '    x = keras.layers.Flatten(name="flatten")(x)\n'
        + dropout
        + "    logits = keras.layers.Dense(\n"
        "        NUM_CLASSES, "
        "kernel_initializer=keras.initializers.GlorotUniform(seed=SEED + 60),\n"
        '        name="logits",\n'
        "    )(x)\n"
        '    outputs = keras.layers.Activation("softmax", '
        'name="probabilities")(logits)\n'
        '    return keras.Model(inputs, outputs, name="cnn")'
    )


def _compile_code(config: CNNConfig) -> str:
    optimizer = blocks.optimizer_code(config.optimizer, "LEARNING_RATE")
    return (
        "def compile_model(model):\n"
        "    model.compile(\n"
        f"        optimizer={optimizer},\n"
        '        loss="sparse_categorical_crossentropy",\n'
        '        metrics=["accuracy"],\n'
        "    )\n"
        "    return model"
    )


def code_cnn(config: CNNConfig) -> str:
    """A standalone script (NumPy, Keras, scikit-learn) reproducing :func:`train_cnn`.

    Example:
        >>> code = code_cnn(CNNConfig())
        >>> "model.fit(" in code and "dlcore" not in code
        True
    """
    input_shape, num_classes = DATASET_SHAPES.get(config.dataset, ((8, 8, 1), 10))
    units = dense_hidden_units(
        int(np.prod(input_shape)),
        num_classes,
        _cnn_graph(config, input_shape, num_classes).count_params(),
    )
    parts = [
        codegen.header(
            f"A small convolutional network on {config.dataset}",
            "Generated by the deep-learning dashboard: trains the CNN of the page "
            "with model.fit on the same data split, initial weights and batches"
            + (
                ", then a Dense network with about as many parameters, and "
                "compares how both cope with shifted images."
                if config.baseline
                else "."
            )
            + " Needs numpy, keras (TensorFlow backend) and scikit-learn.",
        ),
        "import numpy as np\nimport keras",
        codegen.constants(
            SEED=config.seed,
            VAL_FRACTION=0.25,
            NUM_BLOCKS=config.num_blocks,
            FILTERS=config.filters,
            KERNEL_SIZE=config.kernel_size,
            DROPOUT=config.dropout,
            LEARNING_RATE=config.learning_rate,
            EPOCHS=config.epochs,
            BATCH_SIZE=config.batch_size,
            NUM_CLASSES=num_classes,
        ),
        "# --- data: the held-out split (x_val) is the test set ---\n"
        + codegen.dataset_code(config.dataset),
        _SCRIPT_FIT,
        _compile_code(config),
        "# --- the CNN: (conv -> ReLU -> pool) blocks, then a linear classifier ---\n"
        + _cnn_model_code(config),
        "model = compile_model(build_cnn())\n"
        "model.summary()\n"
        "history = fit(model, x_train, y_train, EPOCHS, BATCH_SIZE, SEED, "
        "(x_val, y_val))\n"
        "probabilities = model.predict(x_val, verbose=0)\n"
        "predicted = probabilities.argmax(axis=1)\n"
        'print(f"CNN test accuracy: {np.mean(predicted == y_val):.4f}")\n'
        "confusion = np.zeros((NUM_CLASSES, NUM_CLASSES), dtype=int)\n"
        "np.add.at(confusion, (y_val, predicted), 1)"
        "  # rows: true, columns: predicted\n"
        "print(confusion)\n"
        "# the dashboard's numbers: accuracy and mean cross-entropy on the test set\n"
        "picked = np.clip(probabilities[np.arange(len(y_val)), y_val], 1e-7, 1.0)\n"
        "final = {\n"
        '    "test_accuracy": float(np.mean(predicted == y_val)),\n'
        '    "test_loss": float(-np.mean(np.log(picked))),\n'
        '    "num_params": float(model.count_params()),\n'
        "}",
    ]
    if config.baseline:
        dropout = (
            '    keras.layers.Dropout(DROPOUT, seed=SEED + 50, name="dropout"),\n'
            if config.dropout > 0
            else ""
        )
        augment = "".join(
            f"    {_AUGMENTATION_CODE[name].format(seed=101 + i)},\n"
            for i, name in enumerate(AUGMENTATIONS)
            if name in config.augmentation
        )  # the same random augmentation as the CNN: only the architecture differs
        parts += [
            "# --- a Dense network with about as many parameters "
            f"({units} hidden units) ---\n"
            "dense = compile_model(keras.Sequential([\n"
            '    keras.Input(shape=x_train.shape[1:], name="image"),\n'
            + augment
            + '    keras.layers.Flatten(name="flatten"),\n'
            f'    keras.layers.Dense({units}, activation="relu", name="dense1",\n'
            "        kernel_initializer=keras.initializers.HeUniform(seed=SEED + 1)),\n"
            + dropout
            + '    keras.layers.Dense(NUM_CLASSES, name="logits",\n'
            "        kernel_initializer="
            "keras.initializers.GlorotUniform(seed=SEED + 60)),\n"
            '    keras.layers.Activation("softmax", name="probabilities"),\n'
            '], name="dense"))\n'
            'print("parameters: CNN", model.count_params(), "Dense", '
            "dense.count_params())\n"
            "fit(dense, x_train, y_train, EPOCHS, BATCH_SIZE, SEED, (x_val, y_val))\n"
            "dense_predicted = dense.predict(x_val, verbose=0).argmax(axis=1)\n"
            'final["dense_test_accuracy"] = float(np.mean(dense_predicted == y_val))\n'
            'final["dense_num_params"] = float(dense.count_params())',
            "# --- shift the test images sideways: which network copes better? ---\n"
            + codegen.source(shift_images),
            "limit = max(1, x_val.shape[2] * 3 // 8)  # up to 3/8 of the width\n"
            "for k in range(-limit, limit + 1):\n"
            "    shifted = shift_images(x_val, k)\n"
            "    accuracy = [\n"
            "        np.mean(m.predict(shifted, verbose=0).argmax(axis=1) == y_val)\n"
            "        for m in (model, dense)\n"
            "    ]\n"
            '    print(f"shift {k:+d}: CNN {accuracy[0]:.3f}  Dense '
            '{accuracy[1]:.3f}")',
        ]
    return codegen.script(*parts, 'print("FINAL", final)')


def code_transfer(config: TransferConfig) -> str:
    """A standalone script reproducing :func:`train_transfer` with ``model.fit``.

    Example:
        >>> code = code_transfer(TransferConfig())
        >>> "trainable = False" in code and "dlcore" not in code
        True
    """
    cnn_config = config.cnn_config()
    return codegen.script(
        codegen.header(
            "Transfer learning on the digits",
            "Generated by the deep-learning dashboard: pretrains a small CNN on "
            f"digits {classes_text(config.source_classes)}, then learns digits "
            f"{classes_text(config.target_classes)} from a few images with the "
            "pretrained convolutions frozen, with the top block fine-tuned, and "
            "from scratch. Needs numpy, keras (TensorFlow backend) and scikit-learn.",
        ),
        "from collections.abc import Sequence\n\nimport numpy as np\nimport keras",
        codegen.constants(
            SEED=config.seed,
            VAL_FRACTION=0.25,
            NUM_BLOCKS=config.num_blocks,
            FILTERS=config.filters,
            KERNEL_SIZE=3,
            DROPOUT=0.0,
            LEARNING_RATE=config.learning_rate,
            BATCH_SIZE=config.batch_size,
            SOURCE_CLASSES=tuple(config.source_classes),
            TARGET_CLASSES=tuple(config.target_classes),
            TRAIN_SIZES=tuple(config.train_sizes),
            STRATEGIES=tuple(config.strategies),
            PRETRAIN_EPOCHS=config.pretrain_epochs,
            NUM_STEPS=config.num_steps,  # the same compute for every training-set size
        ),
        codegen.dataset_code("digits"),
        codegen.source(_select, stratified_subset).replace("_select", "select"),
        _SCRIPT_FIT,
        _compile_code(cnn_config),
        _cnn_model_code(cnn_config),
        "# --- 1. pretrain on the source digits ---\n"
        "NUM_CLASSES = len(SOURCE_CLASSES)\n"
        "base = compile_model(build_cnn())\n"
        "xs, ys = select(x_train, y_train, SOURCE_CLASSES)\n"
        "fit(base, xs, ys, PRETRAIN_EPOCHS, BATCH_SIZE, SEED)\n"
        "xs_test, ys_test = select(x_val, y_val, SOURCE_CLASSES)\n"
        "accuracy = np.mean(base.predict(xs_test, verbose=0).argmax(1) == ys_test)\n"
        'print(f"pretrained on {SOURCE_CLASSES}: test accuracy {accuracy:.3f}")\n'
        'final = {"pretrain_accuracy": float(accuracy)}  # the dashboard\'s numbers',
        "# --- 2. learn the target digits from few images, three ways ---\n"
        "NUM_CLASSES = len(TARGET_CLASSES)\n"
        "xt, yt = select(x_train, y_train, TARGET_CLASSES)\n"
        "xt_test, yt_test = select(x_val, y_val, TARGET_CLASSES)\n"
        "# Each run is one epoch over its images repeated cyclically up to "
        "NUM_STEPS\n"
        "# batches: every run takes the same number of gradient steps.\n"
        "LENGTH = NUM_STEPS * BATCH_SIZE\n"
        "run = 0\n"
        "for size in TRAIN_SIZES:\n"
        "    for strategy in STRATEGIES:\n"
        "        run += 1\n"
        "        model = build_cnn()  # a new classifier for the new classes\n"
        "        convs = [l for l in model.layers "
        "if isinstance(l, keras.layers.Conv2D)]\n"
        '        if strategy != "scratch":\n'
        "            for layer in convs:  # copy the pretrained convolutions\n"
        "                layer.set_weights(base.get_layer(layer.name).get_weights())\n"
        '            frozen = convs if strategy == "frozen" else convs[:-1]\n'
        "            for layer in frozen:\n"
        "                layer.trainable = False  # before compile()\n"
        "        compile_model(model)\n"
        "        subset = np.resize(stratified_subset(yt, size, seed=SEED), LENGTH)\n"
        "        fit(model, xt[subset], yt[subset], 1, BATCH_SIZE, SEED + run)\n"
        "        accuracy = np.mean(model.predict(xt_test, verbose=0).argmax(1)"
        " == yt_test)\n"
        '        print(f"{size:4d} images, {strategy:9s}: test accuracy '
        '{accuracy:.3f}")\n'
        '        final[f"{strategy}_{size}"] = float(accuracy)',
        'print("FINAL", final)',
    )
