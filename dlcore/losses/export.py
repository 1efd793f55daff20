"""Standalone Keras scripts (``code_*``) that reproduce the topic's training tasks.

Each script needs only NumPy and Keras (no dlcore) and ends with a line
``FINAL {...}`` holding the task's metrics, so a test can run it and compare.

Example:
    >>> "dlcore" in code_outlier_lab(OutlierLabConfig())
    False
"""

from __future__ import annotations

import textwrap

from dlcore import codegen
from dlcore.blocks import FLATTEN_CODE, optimizer_code
from dlcore.losses.tasks import (
    OUTPUT_UNITS,
    TRUE_INTERCEPT,
    TRUE_SLOPE,
    LossPairingConfig,
    OutlierLabConfig,
)


def code_outlier_lab(config: OutlierLabConfig) -> str:
    """A standalone script reproducing :func:`train_outlier_lab` with ``model.fit``.

    Its last line, ``FINAL {...}``, holds the fitted slopes and intercepts
    (the task's ``metrics``).

    Example:
        >>> code = code_outlier_lab(OutlierLabConfig())
        >>> "keras.losses.Huber(delta=HUBER_DELTA)" in code and "dlcore" not in code
        True
    """
    c = config
    data_code = (
        "rng = np.random.default_rng(SEED)\n"
        "x = rng.uniform(-2.0, 2.0, NUM_SAMPLES)\n"
        "y = TRUE_SLOPE * x + TRUE_INTERCEPT + rng.normal(0.0, NOISE, NUM_SAMPLES)\n"
        "is_outlier = np.zeros(NUM_SAMPLES, bool)\n"
        "num_outliers = round(OUTLIER_FRACTION * NUM_SAMPLES)\n"
        "is_outlier[rng.choice(NUM_SAMPLES, num_outliers, replace=False)] = True\n"
        "y = y + OUTLIER_SIZE * is_outlier  # a sensor that sometimes glitches high\n"
        'x = x[:, None].astype("float32")\n'
        'y = y[:, None].astype("float32")'
    )
    fit_code = (
        "LOSSES = {\n"
        '    "mse": "mse",\n'
        '    "mae": "mae",\n'
        '    "huber": keras.losses.Huber(delta=HUBER_DELTA),\n'
        "}\n"
        "final = {}\n"
        "for name, loss in LOSSES.items():\n"
        "    model = keras.Sequential(\n"
        "        [keras.Input((1,)), "
        'keras.layers.Dense(1, kernel_initializer="zeros")]\n'
        "    )\n"
        f"    optimizer = {optimizer_code('sgd', 'LEARNING_RATE')}\n"
        "    model.compile(optimizer=optimizer, loss=loss)\n"
        "    # Full-batch gradient descent: one step per epoch on all the points.\n"
        "    model.fit(x, y, epochs=EPOCHS, batch_size=NUM_SAMPLES, shuffle=False, "
        "verbose=0)\n"
        "    kernel, bias = model.layers[-1].get_weights()\n"
        '    final[f"{name}_slope"] = float(kernel[0, 0])\n'
        '    final[f"{name}_intercept"] = float(bias[0])\n'
        '    print(f"{name:>5}: y = {kernel[0, 0]:.3f} x + {bias[0]:.3f}")\n\n'
        "slope, intercept = np.polyfit(x[:, 0].astype(np.float64), y[:, 0], 1)\n"
        'print(f"least squares: y = {slope:.3f} x + {intercept:.3f}")\n'
        'final["lstsq_slope"], final["lstsq_intercept"] = '
        "float(slope), float(intercept)\n"
        'print("FINAL", final)'
    )
    return codegen.script(
        codegen.header(
            "Outlier lab: one line fitted with MSE, MAE and Huber loss",
            "Points around y = 2x + 1, some shifted by an outlier offset; the same "
            "Dense(1) model is fitted with each loss by full-batch gradient descent.",
        ),
        "import numpy as np\nimport keras",
        codegen.constants(
            SEED=c.seed,
            NUM_SAMPLES=c.num_samples,
            NOISE=c.noise,
            OUTLIER_FRACTION=c.outlier_fraction,
            OUTLIER_SIZE=c.outlier_size,
            TRUE_SLOPE=TRUE_SLOPE,
            TRUE_INTERCEPT=TRUE_INTERCEPT,
            HUBER_DELTA=c.huber_delta,
            LEARNING_RATE=c.learning_rate,
            EPOCHS=c.epochs,
        ),
        data_code,
        fit_code,
    )


_TARGET_CODE = {
    "binary": (
        "def targets(digits, loss):\n"
        '    return (digits % 2 == 0).astype("float32")[:, None]  # even?'
    ),
    "multiclass": (
        "def targets(digits, loss):\n"
        '    if loss == "sparse_categorical_crossentropy":\n'
        "        return digits  # integer class labels\n"
        '    return np.eye(10, dtype="float32")[digits]  # one-hot'
    ),
    "multilabel": (
        "def targets(digits, loss):\n"
        "    # three yes/no labels per digit: even? >= 5? prime?\n"
        "    primes = np.isin(digits, (2, 3, 5, 7))\n"
        "    labels = [digits % 2 == 0, digits >= 5, primes]\n"
        '    return np.stack(labels, axis=1).astype("float32")'
    ),
    "regression": (
        "def targets(digits, loss):\n"
        '    return digits.astype("float32")[:, None]  # the digit as a number'
    ),
}
_ACCURACY_CODE = {
    "multiclass": "outputs.argmax(axis=1) == labels_val",
    "regression": "np.clip(np.round(outputs[:, 0]), 0, 9) == labels_val",
    "binary": "(outputs > 0.5) == (targets(labels_val, None) > 0.5)",
    "multilabel": "(outputs > 0.5) == (targets(labels_val, None) > 0.5)",
}


def code_loss_pairing(config: LossPairingConfig) -> str:
    """A standalone script reproducing :func:`train_loss_pairing` with ``model.fit``.

    Its last line, ``FINAL {...}``, holds the task's accuracy metrics.

    Example:
        >>> "model.fit(" in code_loss_pairing(LossPairingConfig())
        True
    """
    c = config
    pairs = "\n".join(f"    {run!r}: {pair!r}," for run, pair in c.pairings.items())
    model_code = (
        "def build_model(activation):\n"
        "    return keras.Sequential(\n"
        "        [\n"
        "            keras.Input((64,)),\n"
        "            keras.layers.Dense(\n"
        "                HIDDEN_UNITS,\n"
        '                activation="relu",\n'
        "                kernel_initializer=keras.initializers.HeNormal(seed=SEED),\n"
        "            ),\n"
        "            keras.layers.Dense(\n"
        "                OUTPUT_UNITS,\n"
        "                activation=activation,\n"
        "                kernel_initializer="
        "keras.initializers.GlorotUniform(seed=SEED + 1),\n"
        "            ),\n"
        "        ]\n"
        "    )"
    )
    loop = (
        "labels_train, labels_val = y_train, y_val  # the digits 0..9\n"
        "results = {}\n"
        "for run, (activation, loss) in PAIRINGS.items():\n"
        '    print("---", run, activation, loss)\n'
        "    y_train, y_val = targets(labels_train, loss), targets(labels_val, loss)\n"
        "    model = build_model(activation)\n"
        f"    optimizer = {optimizer_code('adam', 'LEARNING_RATE')}\n"
        "    model.compile(optimizer=optimizer, loss=loss)\n"
        + textwrap.indent(codegen.FIT_LOOP, "    ")
        + "\n    outputs = model.predict(x_val, verbose=0)\n"
        f"    correct = {_ACCURACY_CODE[c.task]}\n"
        '    results[f"{run}_accuracy"] = float(np.mean(correct))\n'
        + (
            '    results[f"{run}_mae"] = '
            "float(np.mean(np.abs(outputs[:, 0] - labels_val)))\n"
            if c.task == "regression"
            else ""
        )
        + '\nresults["accuracy_difference"] = '
        'results["right_accuracy"] - results["wrong_accuracy"]\n'
        'print("FINAL", results)'
    )
    return codegen.script(
        codegen.header(
            f"Which loss for which task ({c.task}): a right and a wrong pairing",
            "The same small MLP on the 8x8 digits, trained twice from the same "
            "initial weights on the same batches; only the last activation and the "
            "loss differ.",
        ),
        "import numpy as np\nimport keras",
        codegen.constants(
            SEED=c.seed,
            VAL_FRACTION=0.25,
            HIDDEN_UNITS=c.hidden_units,
            OUTPUT_UNITS=OUTPUT_UNITS[c.task],
            LEARNING_RATE=c.learning_rate,
            BATCH_SIZE=c.batch_size,
            EPOCHS=c.epochs,
        ),
        codegen.dataset_code("digits"),
        FLATTEN_CODE,
        _TARGET_CODE[c.task],
        "PAIRINGS = {  # run: (last activation, loss)\n" + pairs + "\n}",
        model_code,
        loop,
    )
