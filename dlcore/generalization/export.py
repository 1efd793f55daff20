"""The generalization tasks as standalone Keras scripts (NumPy + Keras + scikit-learn).

Each script trains with ``model.fit`` on exactly the batches ``dlcore.train.fit``
uses (``dlcore.codegen.FIT_LOOP``), so its final metrics match the page's.
"""

from __future__ import annotations

from dlcore import blocks, codegen
from dlcore.blocks import FLATTEN_CODE
from dlcore.generalization import core
from dlcore.generalization.tasks import (
    RESIDUAL_RUNS,
    RegularizeConfig,
    ResidualConfig,
    SweepConfig,
)

_COMPILE = (
    "    model.compile(\n"
    "        optimizer={optimizer},\n"
    '        loss="sparse_categorical_crossentropy",\n'
    '        metrics=["accuracy"],\n'
    "    )\n"
    "    return model"
)

_FINAL = (
    "final = {name: values[-1] for name, values in history.items()}\n"
    'print("FINAL", final)'
)
_FEW_NOISY = (
    "x_train, y_train = x_train[:NUM_TRAIN], noisy_labels(y_train[:NUM_TRAIN], "
    "LABEL_NOISE, SEED)"
)


def _indented_fit_loop() -> str:
    """FIT_LOOP as a function ``fit_run(model, x_train, y_train)``."""
    body = codegen.FIT_LOOP.split("\nfinal = {name")[0]
    lines = ["def fit_run(model, x_train, y_train):"]
    lines += [("    " + line) if line else "" for line in body.splitlines()]
    lines.append("    return {name: values[-1] for name, values in history.items()}")
    return "\n".join(lines)


def code_sweep(config: SweepConfig) -> str:
    """A script that trains every run of the sweep and prints its final metrics.

    >>> code = code_sweep(SweepConfig())
    >>> "model.fit(" in code and "import dlcore" not in code
    True
    """
    c = config
    runs = repr([(name, width, n) for name, width, n in c.runs()])
    model_code = (
        "def build(width):\n"
        "    init = keras.initializers.GlorotUniform\n"
        "    model = keras.Sequential([\n"
        "        keras.Input((64,)),\n"
        '        keras.layers.Dense(width, activation="relu", '
        "kernel_initializer=init(seed=SEED * 1009)),\n"
        '        keras.layers.Dense(10, activation="softmax", '
        "kernel_initializer=init(seed=SEED * 1009 + 1)),\n"
        "    ])\n"
        + _COMPILE.format(
            optimizer="keras.optimizers.Adam(learning_rate=LEARNING_RATE)"
        )
    )
    main = (
        f"RUNS = {runs}  # (name, width, training digits)\n"
        "x_all, y_all = x_train, y_train\n"
        "final = {}\n"
        "for name, width, num_train in RUNS:\n"
        "    x_run = x_all[:num_train]\n"
        "    y_run = noisy_labels(y_all[:num_train], LABEL_NOISE, SEED)\n"
        "    model = build(width)\n"
        "    logs = fit_run(model, x_run, y_run)\n"
        '    print(name, f"{model.count_params()} parameters", logs)\n'
        '    final.update({f"{name}/{k}": v for k, v in logs.items()})\n'
        'print("FINAL", final)'
    )
    return codegen.script(
        codegen.header(
            f"Overfitting sweep ({c.sweep}) on partly mislabelled digits",
            "Trains one-hidden-layer networks of several sizes (or on several "
            "amounts of data) with model.fit on the batches the dashboard used.",
        ),
        "import numpy as np\nimport keras",
        codegen.constants(
            SEED=c.seed,
            VAL_FRACTION=0.25,
            NUM_CLASSES=core.NUM_CLASSES,
            LABEL_NOISE=c.label_noise,
            LEARNING_RATE=c.learning_rate,
            BATCH_SIZE=c.batch_size,
            EPOCHS=c.epochs,
        ),
        codegen.dataset_code("digits"),
        FLATTEN_CODE,
        codegen.source(core.noisy_labels),
        model_code,
        _indented_fit_loop().replace("x_val, y_val", "x_val, y_val"),
        main,
    )


def code_regularize(config: RegularizeConfig) -> str:
    """A script that trains the regularized MLP and says where early stopping stops.

    >>> "AdamW" in code_regularize(RegularizeConfig(regularizer="weight_decay"))
    True
    """
    c = config
    regularizer = {
        "l1": "keras.regularizers.L1(STRENGTH),  # + STRENGTH * sum(|w|)",
        "l2": "keras.regularizers.L2(STRENGTH),  # + STRENGTH * sum(w**2)",
    }.get(c.regularizer, "None,")
    if c.regularizer == "weight_decay":
        optimizer = (
            "keras.optimizers.AdamW(\n"
            "            learning_rate=LEARNING_RATE, weight_decay=STRENGTH\n"
            "        )"
        )
    else:
        optimizer = "keras.optimizers.Adam(learning_rate=LEARNING_RATE)"
    dropout = (
        "        layers.append(\n"
        "            keras.layers.Dropout(DROPOUT, seed=SEED * 1009 + 500 + i)\n"
        "        )\n"
        if c.regularizer == "dropout"
        else ""
    )
    model_code = (
        "def build():\n"
        "    init = keras.initializers.GlorotUniform\n"
        "    layers = [keras.Input((64,))]\n"
        "    for i in range(DEPTH):\n"
        "        layers.append(keras.layers.Dense(\n"
        "            WIDTH,\n"
        '            activation="relu",\n'
        "            kernel_initializer=init(seed=SEED * 1009 + i),\n"
        f"            kernel_regularizer={regularizer}\n"
        "        ))\n"
        f"{dropout}"
        "    layers.append(keras.layers.Dense(\n"
        "        10,\n"
        '        activation="softmax",\n'
        "        kernel_initializer=init(seed=SEED * 1009 + DEPTH),\n"
        "    ))\n"
        "    model = keras.Sequential(layers)\n" + _COMPILE.format(optimizer=optimizer)
    )
    early = (
        "# EarlyStopping(patience=PATIENCE, restore_best_weights=True)\n"
        "# would stop here (its rule, replayed on the logged validation loss):\n"
        "best, best_epoch, wait, stop = float('inf'), 0, 0, None\n"
        'for epoch, value in enumerate(history["val_loss"]):\n'
        "    wait += 1\n"
        "    if value < best:\n"
        "        best, best_epoch, wait = value, epoch, 0\n"
        "    elif PATIENCE and wait >= PATIENCE and epoch > 0:\n"
        "        stop = epoch\n"
        "        break\n"
        'when = "never" if stop is None else f"after epoch {stop + 1}"\n'
        'print("early stopping:", when, f"- best epoch {best_epoch + 1}")'
    )
    fit_loop = codegen.FIT_LOOP.replace(_FINAL, "")
    return codegen.script(
        codegen.header(
            f"Regularization ({c.regularizer}) on {c.num_train} digits, "
            f"{c.label_noise:.0%} of their labels random",
            "Trains the MLP with model.fit on the batches the dashboard used, then "
            "replays keras.callbacks.EarlyStopping on the validation loss.",
        ),
        "import numpy as np\nimport keras",
        codegen.constants(
            SEED=c.seed,
            VAL_FRACTION=0.25,
            NUM_CLASSES=core.NUM_CLASSES,
            NUM_TRAIN=c.num_train,
            LABEL_NOISE=c.label_noise,
            WIDTH=c.width,
            DEPTH=c.depth,
            STRENGTH=c.strength,
            DROPOUT=c.dropout,
            PATIENCE=c.patience,
            LEARNING_RATE=c.learning_rate,
            BATCH_SIZE=c.batch_size,
            EPOCHS=c.epochs,
        ),
        codegen.dataset_code("digits"),
        FLATTEN_CODE,
        codegen.source(core.noisy_labels),
        _FEW_NOISY,
        model_code,
        "model = build()",
        fit_loop,
        early,
        _FINAL,
    )


def code_residual(config: ResidualConfig) -> str:
    """A script that trains the plain and the residual network.

    >>> "keras.layers.Add()" in code_residual(ResidualConfig())
    True
    """
    c = config
    model_code = (
        "def build(residual):\n"
        "    init = keras.initializers.GlorotUniform\n"
        "    inputs = keras.Input((64,))\n"
        "    x = inputs\n"
        "    for i in range(DEPTH):\n"
        "        f = keras.layers.Dense(WIDTH, activation=ACTIVATION, "
        "kernel_initializer=init(seed=SEED * 1009 + i))(x)\n"
        "        if residual:  # y = F(x) + x, a projection P x where shapes differ\n"
        "            skip = x\n"
        "            if x.shape[-1] != WIDTH:\n"
        "                skip = keras.layers.Dense(WIDTH, use_bias=False, "
        "kernel_initializer=init(seed=SEED * 1009 + 700 + i))(x)\n"
        "            x = keras.layers.Add()([f, skip])\n"
        "        else:\n"
        "            x = f\n"
        '    outputs = keras.layers.Dense(10, activation="softmax", '
        "kernel_initializer=init(seed=SEED * 1009 + DEPTH))(x)\n"
        "    model = keras.Model(inputs, outputs)\n"
        + _COMPILE.format(optimizer=blocks.optimizer_code(c.optimizer, "LEARNING_RATE"))
    )
    main = (
        "final = {}\n"
        f"for name in {list(RESIDUAL_RUNS)!r}:\n"
        '    logs = fit_run(build(name == "residual"), x_train, y_train)\n'
        "    print(name, logs)\n"
        '    final.update({f"{name}/{k}": v for k, v in logs.items()})\n'
        'print("FINAL", final)'
    )
    return codegen.script(
        codegen.header(
            f"{c.depth} {c.activation} layers with and without skip connections",
            "Trains a deep plain MLP and the same network with residual "
            "connections (y = F(x) + x) with model.fit on the batches the "
            "dashboard used.",
        ),
        "import numpy as np\nimport keras",
        codegen.constants(
            SEED=c.seed,
            VAL_FRACTION=0.25,
            DEPTH=c.depth,
            WIDTH=c.width,
            ACTIVATION=c.activation,
            LEARNING_RATE=c.learning_rate,
            BATCH_SIZE=c.batch_size,
            EPOCHS=c.epochs,
        ),
        codegen.dataset_code("digits"),
        FLATTEN_CODE,
        model_code,
        _indented_fit_loop(),
        main,
    )
