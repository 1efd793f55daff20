"""The MLP playground: a small Keras network learns a 2-D toy dataset.

Like TensorFlow Playground, but the network is a real ``keras.Sequential``
trained by :func:`dlcore.train.fit`, and the exact script is one click away.

>>> cfg = PlaygroundConfig(hidden_layers=(4,), epochs=2)
>>> model = build_model(cfg)
>>> [layer.units for layer in model.layers if hasattr(layer, "units")]
[4, 1]
"""

from __future__ import annotations

import dataclasses

import numpy as np

from dlcore import blocks, codegen, datasets, train
from dlcore.topics import Preset
from dlcore.train import TaskResult

keras = train.keras

ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear", "gelu", "silu")
OPTIMIZERS = ("adam", "sgd", "momentum", "rmsprop")
#: Side length of the grid on which the decision boundary is evaluated.
GRID_SIZE = 60


@dataclasses.dataclass(frozen=True)
class PlaygroundConfig:
    """Everything that defines a playground run (the page's controls)."""

    dataset: str = "circle"
    noise: float = 0.1
    num_samples: int = 400
    hidden_layers: tuple[int, ...] = (8, 8)
    activation: str = "tanh"
    optimizer: str = "adam"
    learning_rate: float = 0.03
    batch_size: int = 16
    epochs: int = 60
    l2: float = 0.0
    dropout: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        if self.dataset not in datasets.TOY_GENERATORS:
            raise ValueError(
                f"dataset must be one of {list(datasets.TOY_GENERATORS)}, "
                f"got {self.dataset!r}"
            )
        if self.activation not in ACTIVATIONS:
            raise ValueError(
                f"activation must be one of {ACTIVATIONS}, got {self.activation!r}"
            )
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(
                f"optimizer must be one of {OPTIMIZERS}, got {self.optimizer!r}"
            )
        if (
            not all(1 <= n <= 64 for n in self.hidden_layers)
            or len(self.hidden_layers) > 6
        ):
            raise ValueError("hidden_layers: up to 6 layers of 1–64 neurons")


#: Teacher presets (labels: ``playground.preset.<name>`` in the catalogue).
PRESETS: tuple[Preset, ...] = (
    Preset("linear_xor", PlaygroundConfig(dataset="xor", hidden_layers=())),
    Preset(
        "spiral",
        PlaygroundConfig(
            dataset="spiral",
            noise=0.0,
            hidden_layers=(16,) * 3,
            epochs=120,
            learning_rate=0.01,
        ),
    ),
    Preset(
        "too_fast",
        PlaygroundConfig(activation="linear", optimizer="sgd", learning_rate=3.0),
    ),
    Preset(
        "overfit",
        PlaygroundConfig(
            dataset="xor",
            noise=0.5,
            num_samples=60,
            hidden_layers=(32,) * 3,
            epochs=200,
        ),
    ),
    Preset(
        "l2",
        PlaygroundConfig(
            dataset="xor",
            noise=0.5,
            num_samples=60,
            hidden_layers=(32,) * 3,
            epochs=200,
            l2=0.01,
        ),
    ),
)


def control_values(config: PlaygroundConfig) -> dict[str, object]:
    """The page's control values (URL parameters) that show ``config``.

    >>> control_values(PlaygroundConfig(hidden_layers=(16, 16)))["pg_width"]
    16
    """
    return {
        "pg_dataset": config.dataset,
        "pg_noise": config.noise,
        "pg_num_samples": config.num_samples,
        "pg_num_layers": len(config.hidden_layers),
        "pg_width": config.hidden_layers[0] if config.hidden_layers else 8,
        "pg_activation": config.activation,
        "pg_optimizer": config.optimizer,
        "pg_lr": config.learning_rate,
        "pg_batch_size": config.batch_size,
        "pg_epochs": config.epochs,
        "pg_l2": config.l2,
        "pg_dropout": config.dropout,
        "pg_seed": config.seed,
    }


def load_data(config: PlaygroundConfig) -> datasets.Dataset:
    return datasets.load(
        config.dataset,
        num_samples=config.num_samples,
        noise=config.noise,
        seed=config.seed,
    )


def make_optimizer(name: str, learning_rate: float) -> keras.optimizers.Optimizer:
    """The playground's optimizer by name (:func:`dlcore.blocks.make_optimizer`)."""
    return blocks.make_optimizer(name, learning_rate)


def build_model(config: PlaygroundConfig) -> keras.Model:
    """``Dense`` layers with seeded Glorot initialisation, sigmoid output."""
    regularizer = keras.regularizers.L2(config.l2) if config.l2 else None
    layers: list = [keras.Input((2,))]
    for i, units in enumerate(config.hidden_layers):
        layers.append(
            keras.layers.Dense(
                units,
                activation=config.activation,
                kernel_initializer=keras.initializers.GlorotUniform(
                    seed=config.seed * 100 + i
                ),
                kernel_regularizer=regularizer,
            )
        )
        if config.dropout:
            layers.append(
                keras.layers.Dropout(config.dropout, seed=config.seed * 100 + i)
            )
    layers.append(
        keras.layers.Dense(
            1,
            activation="sigmoid",
            kernel_initializer=keras.initializers.GlorotUniform(
                seed=config.seed * 100 + 99
            ),
        )
    )
    model = keras.Sequential(layers)
    model.compile(
        optimizer=make_optimizer(config.optimizer, config.learning_rate),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


def penalized_kernels(model: keras.Model) -> list[np.ndarray]:
    """The weight matrices that carry an L2 ``kernel_regularizer``: the hidden
    ``Dense`` kernels (not the output layer, not the biases)."""
    return [
        np.asarray(layer.kernel.numpy(), np.float64)
        for layer in model.layers
        if getattr(layer, "kernel_regularizer", None) is not None
    ]


def l2_penalty(kernels: list[np.ndarray], l2: float) -> tuple[float, float]:
    """The coupled L2 penalty Keras adds to the loss: ``(λ·Σw², Σw²)``.

    ``keras.regularizers.L2(λ)`` on a kernel ``W`` contributes ``λ·Σ W²`` to
    ``model.losses``, hence to the minimised (and reported) loss; its gradient
    on a weight is ``2λw``. Not AdamW's decoupled weight decay.

    >>> l2_penalty([np.array([[1.0, -2.0]]), np.array([[3.0]])], 0.01)
    (0.14, 14.0)
    """
    squares = float(sum(np.sum(np.square(k, dtype=np.float64)) for k in kernels))
    return float(l2) * squares, squares


def grid(
    data: datasets.Dataset, size: int = GRID_SIZE
) -> tuple[np.ndarray, np.ndarray]:
    """Axis values of a square grid covering the data with a margin."""
    x = np.concatenate([data.x_train, data.x_val])
    limit = float(np.ceil(np.abs(x).max() + 0.5))
    axis = np.linspace(-limit, limit, size, dtype=np.float32)
    return axis, axis


def train_playground(
    config: PlaygroundConfig, *, on_progress=None, should_stop=None
) -> TaskResult:
    """Train the playground network; artifacts hold the decision surface."""
    data = load_data(config)
    model = build_model(config)
    fit = train.fit(
        model,
        data.x_train,
        data.y_train,
        epochs=config.epochs,
        batch_size=config.batch_size,
        validation_data=(data.x_val, data.y_val),
        seed=config.seed,
        on_progress=on_progress,
        should_stop=should_stop,
    )
    gx, gy = grid(data)
    mesh = np.stack(np.meshgrid(gx, gy), axis=-1).reshape(-1, 2)
    surface = model(mesh, training=False).numpy().reshape(len(gy), len(gx))
    last = fit.history.iloc[-1] if len(fit.history) else {}
    metrics = {k: float(v) for k, v in dict(last).items()}
    penalty, squares = l2_penalty(penalized_kernels(model), config.l2)
    return TaskResult.from_fit(
        fit,
        metrics=metrics,
        artifacts={
            "grid_x": gx,
            "grid_y": gy,
            "surface": surface.astype(np.float32),
            # the final weights' L2 penalty λ·Σw² (part of the reported loss)
            "l2_penalty": penalty,
            "l2_squares": squares,
        },
    )


def code_playground(config: PlaygroundConfig) -> str:
    """A standalone script that reproduces :func:`train_playground`."""
    layers = ["    keras.Input((2,)),"]
    regularizer = f"keras.regularizers.L2({config.l2!r})" if config.l2 else "None"
    for i, units in enumerate(config.hidden_layers):
        layers.append(
            f"    keras.layers.Dense({units}, activation={config.activation!r},\n"
            "        kernel_initializer=keras.initializers.GlorotUniform("
            f"seed=SEED * 100 + {i}),\n"
            f"        kernel_regularizer={regularizer}),"
        )
        if config.dropout:
            layers.append(
                f"    keras.layers.Dropout({config.dropout!r}, seed=SEED * 100 + {i}),"
            )
    layers.append(
        '    keras.layers.Dense(1, activation="sigmoid",\n'
        "        kernel_initializer=keras.initializers.GlorotUniform("
        "seed=SEED * 100 + 99)),"
    )
    model_code = (
        "model = keras.Sequential([\n" + "\n".join(layers) + "\n])\n"
        "model.compile(\n"
        f"    optimizer={blocks.optimizer_code(config.optimizer, 'LEARNING_RATE')},\n"
        '    loss="binary_crossentropy",\n    metrics=["accuracy"],\n)\nmodel.summary()'
    )
    return codegen.script(
        codegen.header(
            "MLP playground: a Keras MLP learns a 2-D toy dataset",
            f"Reproduces the dashboard run on the {config.dataset!r} dataset "
            f"(hidden layers {list(config.hidden_layers)}, {config.activation}, "
            f"{config.optimizer}, learning rate {config.learning_rate}).",
        ),
        "import numpy as np\nimport keras",
        codegen.constants(
            SEED=config.seed,
            NUM_SAMPLES=config.num_samples,
            NOISE=config.noise,
            VAL_FRACTION=0.2,
            LEARNING_RATE=config.learning_rate,
            BATCH_SIZE=config.batch_size,
            EPOCHS=config.epochs,
        ),
        codegen.dataset_code(config.dataset),
        model_code,
        codegen.FIT_LOOP,
    )
