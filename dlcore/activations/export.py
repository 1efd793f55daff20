"""The gradient lab as a standalone Keras script (:func:`code_gradient_lab`)."""

from __future__ import annotations

from dlcore import blocks, codegen
from dlcore.activations.core import get_spec
from dlcore.activations.flow import BN_MOMENTUM
from dlcore.activations.tasks import GradientLabConfig
from dlcore.blocks import FLATTEN_CODE

_INITIALIZER_CODE = {
    "zeros": "keras.initializers.Zeros()",
    "random_normal": "keras.initializers.RandomNormal(stddev=SIGMA, seed=seed)",
    "glorot_uniform": "keras.initializers.GlorotUniform(seed=seed)",
    "he_normal": "keras.initializers.HeNormal(seed=seed)",
    "lecun_normal": "keras.initializers.LecunNormal(seed=seed)",
}


def code_gradient_lab(config: GradientLabConfig) -> str:
    """A standalone script (NumPy, Keras, scikit-learn) reproducing the task.

    It prints the gradient norm of every hidden kernel at initialisation, then
    trains with ``model.fit`` on exactly the batches ``dlcore.train.fit`` uses
    (see ``dlcore.codegen.FIT_LOOP``), so the final metrics match.

    Example:
        >>> code = code_gradient_lab(GradientLabConfig())
        >>> "model.fit(" in code and "import dlcore" not in code
        True
    """
    c = config
    spec = get_spec(c.activation)
    if spec.name == "threshold":  # its Keras function has required arguments
        act = "lambda z: keras.activations.threshold(z, 0.0, 0.0)"
    else:
        act = repr(spec.name)
    if c.batch_norm:  # Dense -> BatchNormalization -> Activation
        hidden = (
            "    layers.append(keras.layers.Dense(WIDTH, "
            "kernel_initializer=initializer(i)))\n"
            "    layers.append(keras.layers.BatchNormalization(momentum=BN_MOMENTUM))\n"
            "    layers.append(keras.layers.Activation(ACTIVATION))"
        )
    else:
        hidden = (
            "    layers.append(\n"
            "        keras.layers.Dense(WIDTH, activation=ACTIVATION, "
            "kernel_initializer=initializer(i))\n"
            "    )"
        )
    model_code = (
        "def initializer(layer):\n"
        "    seed = SEED * 1009 + layer  # a different seed for every layer\n"
        f"    return {_INITIALIZER_CODE[c.initializer]}\n\n\n"
        "layers = [keras.Input((64,))]\n"
        "for i in range(DEPTH):\n"
        f"{hidden}\n"
        "layers.append(\n"
        '    keras.layers.Dense(10, activation="softmax", '
        "kernel_initializer=initializer(DEPTH))\n"
        ")\n"
        "model = keras.Sequential(layers)"
    )
    probe_code = (
        "# Gradient of the loss with respect to every hidden kernel, "
        "at initialisation.\n"
        "loss_fn = keras.losses.SparseCategoricalCrossentropy()\n"
        "with tf.GradientTape() as tape:\n"
        "    loss = loss_fn(y_train[:256], model(x_train[:256], training=True))\n"
        "kernels = [layer.kernel for layer in model.layers "
        "if isinstance(layer, keras.layers.Dense)]\n"
        "for number, grad in enumerate(tape.gradient(loss, kernels[:-1]), start=1):\n"
        "    # The norm in float64: squaring float32 entries of 1e-20 would give 0.\n"
        "    norm = np.linalg.norm(grad.numpy().astype(np.float64))\n"
        '    note = "  (every entry is exactly 0 in float32)" if norm == 0 else ""\n'
        '    print(f"layer {number:2d}: |dL/dW| = {norm:.3e}{note}")'
    )
    compile_code = (
        "model.compile(\n"
        f"    optimizer={blocks.optimizer_code(c.optimizer, 'LEARNING_RATE')},\n"
        '    loss="sparse_categorical_crossentropy",\n'
        '    metrics=["accuracy"],\n'
        ")"
    )
    return codegen.script(
        codegen.header(
            f"Gradient lab: {c.depth} {spec.name} layers of {c.width} units "
            "on the digits",
            "Prints the gradient norm of every hidden kernel at initialisation, "
            "then trains the network with model.fit on the batches the "
            "dashboard used.",
        ),
        "import numpy as np\nimport keras\nimport tensorflow as tf",
        codegen.constants(
            SEED=c.seed,
            VAL_FRACTION=0.25,
            DEPTH=c.depth,
            WIDTH=c.width,
            SIGMA=c.sigma,
            BN_MOMENTUM=BN_MOMENTUM,
            LEARNING_RATE=c.learning_rate,
            BATCH_SIZE=c.batch_size,
            EPOCHS=c.epochs,
        )
        + f"\nACTIVATION = {act}",
        codegen.dataset_code("digits"),
        FLATTEN_CODE,
        model_code,
        probe_code,
        compile_code,
        codegen.FIT_LOOP,
    )
