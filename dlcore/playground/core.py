"""The MLP playground: a small Keras network learns a 2-D data set.

Like TensorFlow Playground, but the network is a real ``keras.Sequential``
trained by :func:`dlcore.train.fit`, and the exact script is one click away.

>>> cfg = PlaygroundConfig(hidden_layers=(4,), epochs=2)
>>> model = build_model(cfg)
>>> [layer.units for layer in model.layers if hasattr(layer, "units")]
[4, 1]
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import time

import numpy as np
import pandas as pd

from dlcore import blocks, train
from dlcore.playground import data as pdata
from dlcore.topics import Preset
from dlcore.train import TaskResult

keras = train.keras

ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear", "gelu", "silu")
OPTIMIZERS = ("adam", "sgd", "momentum", "rmsprop")
INITIALIZERS = ("glorot_uniform", "glorot_normal", "he_uniform", "he_normal")
_INIT_CLASS = {
    "glorot_uniform": "GlorotUniform",
    "glorot_normal": "GlorotNormal",
    "he_uniform": "HeUniform",
    "he_normal": "HeNormal",
}
#: Output layer + loss pairings: (activation, Keras loss, units rule).
OUTPUTS = ("sigmoid_bce", "softmax_cce", "tanh_mse", "linear_mse")
_OUTPUT = {
    "sigmoid_bce": ("sigmoid", "binary_crossentropy"),
    "softmax_cce": ("softmax", "sparse_categorical_crossentropy"),
    "tanh_mse": ("tanh", "mean_squared_error"),
    "linear_mse": ("linear", "mean_squared_error"),
}
#: The outputs that fit each kind of problem (the first is the default).
OUTPUTS_FOR = {
    "binary": ("sigmoid_bce", "softmax_cce", "tanh_mse"),
    "multiclass": ("softmax_cce",),
    "regression": ("linear_mse", "tanh_mse"),
}
MAX_LAYERS, MAX_WIDTH = 6, 16
#: Side length of the grid of the final decision boundary.
GRID_SIZE = 60
#: Side of the replay's boundary grid and of every neuron's small heatmap.
REPLAY_GRID, NEURON_GRID = 36, 16
#: At most this many recorded epochs (plus the initial weights).
MAX_SNAPSHOTS = 60


@dataclasses.dataclass(frozen=True)
class PlaygroundConfig:
    """Everything that defines a playground run (the page's controls)."""

    dataset: str = "circle"
    noise: float = 0.1
    num_samples: int = 400
    num_classes: int = 3
    train_fraction: float = 0.8
    features: tuple[str, ...] = ("x1", "x2")
    hidden_layers: tuple[int, ...] = (8, 8)
    activation: str = "tanh"
    initializer: str = "glorot_uniform"
    output: str = "sigmoid_bce"
    optimizer: str = "adam"
    learning_rate: float = 0.03
    batch_size: int = 16
    epochs: int = 60
    target_loss: float = 0.0
    l1: float = 0.0
    l2: float = 0.0
    dropout: float = 0.0
    seed: int = 0
    #: ``dataset="upload"``: the rows ``(x1, x2, label|target)`` of the CSV.
    points: tuple[tuple[float, float, float], ...] = ()

    def __post_init__(self) -> None:
        def need(ok: bool, message: str) -> None:
            if not ok:
                raise ValueError(message)

        need(
            self.dataset in pdata.DATASETS,
            f"dataset must be one of {list(pdata.DATASETS)}, got {self.dataset!r}",
        )
        need(
            self.activation in ACTIVATIONS,
            f"activation must be one of {ACTIVATIONS}, got {self.activation!r}",
        )
        need(
            self.optimizer in OPTIMIZERS,
            f"optimizer must be one of {OPTIMIZERS}, got {self.optimizer!r}",
        )
        need(self.initializer in INITIALIZERS, f"initializer in {INITIALIZERS}")
        need(
            len(self.hidden_layers) <= MAX_LAYERS
            and all(1 <= int(n) <= MAX_WIDTH for n in self.hidden_layers),
            f"hidden_layers: up to {MAX_LAYERS} layers of 1–{MAX_WIDTH} neurons",
        )
        need(
            bool(self.features)
            and len(set(self.features)) == len(self.features)
            and all(f in pdata.FEATURES for f in self.features),
            f"features: one or more of {list(pdata.FEATURES)}",
        )
        need(2 <= self.num_classes <= 5, "num_classes: 2–5")
        need(0.1 <= self.train_fraction <= 0.9, "train_fraction: 0.1–0.9")
        need(self.l1 >= 0 and self.l2 >= 0, "l1, l2 ≥ 0")
        need(0 <= self.dropout < 1, "dropout in [0, 1)")
        need(self.target_loss >= 0, "target_loss ≥ 0")
        need(self.dataset != "upload" or len(self.points) >= 10, "upload: ≥ 10 rows")
        need(
            self.output in OUTPUTS_FOR[self.kind],
            f"output {self.output!r} does not fit a {self.kind} problem; "
            f"use one of {OUTPUTS_FOR[self.kind]}",
        )

    @property
    def kind(self) -> str:
        """``binary``, ``multiclass`` or ``regression``."""
        if self.dataset == "upload" and self.points:
            target = np.array([p[2] for p in self.points])
            if np.all(target == np.round(target)) and len(np.unique(target)) <= 5:
                return "binary" if len(np.unique(target)) == 2 else "multiclass"
            return "regression"
        return pdata.kind_of(self.dataset)

    @property
    def output_units(self) -> int:
        if self.output != "softmax_cce":
            return 1
        if self.dataset == "multiclass":
            return self.num_classes
        if self.dataset == "upload":
            return int(max(p[2] for p in self.points)) + 1
        return 2


#: Teacher presets (labels: ``playground.preset.<name>`` in the catalogue).
PRESETS: tuple[Preset, ...] = (
    Preset("linear_xor", PlaygroundConfig(dataset="xor", hidden_layers=())),
    Preset(
        "xor_features",
        PlaygroundConfig(
            dataset="xor", hidden_layers=(), features=("x1", "x2", "x1x2")
        ),
    ),
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
            hidden_layers=(16,) * 3,
            epochs=200,
        ),
    ),
    Preset(
        "l2",
        PlaygroundConfig(
            dataset="xor",
            noise=0.5,
            num_samples=60,
            hidden_layers=(16,) * 3,
            epochs=200,
            l2=0.01,
        ),
    ),
    Preset(
        "multiclass",
        PlaygroundConfig(dataset="multiclass", num_classes=4, output="softmax_cce"),
    ),
    Preset(
        "regression",
        PlaygroundConfig(dataset="multigauss", output="linear_mse", epochs=120),
    ),
)


def control_values(config: PlaygroundConfig) -> dict[str, object]:
    """The page's control values (URL parameters) that show ``config``.

    >>> control_values(PlaygroundConfig(hidden_layers=(16, 4)))["pg_w2"]
    4
    """
    values: dict[str, object] = {
        "pg_dataset": config.dataset,
        "pg_noise": config.noise,
        "pg_num_samples": config.num_samples,
        "pg_train_pct": round(config.train_fraction * 100),
        "pg_features": list(config.features),
        "pg_num_layers": len(config.hidden_layers),
        "pg_activation": config.activation,
        "pg_init": config.initializer,
        "pg_output": config.output,
        "pg_optimizer": config.optimizer,
        "pg_lr": config.learning_rate,
        "pg_batch_size": config.batch_size,
        "pg_epochs": config.epochs,
        "pg_target_loss": config.target_loss,
        "pg_l1": config.l1,
        "pg_l2": config.l2,
        "pg_dropout": config.dropout,
        "pg_seed": config.seed,
    }
    if config.output == OUTPUTS_FOR[config.kind][0]:
        # the default of its problem: the control follows the data set (its
        # options change with it, so a preset must not name another's option)
        values.pop("pg_output")
    if config.dataset == "multiclass":
        values["pg_classes"] = config.num_classes
    for i, width in enumerate(config.hidden_layers):
        values[f"pg_w{i + 1}"] = width
    return values


def load_points(config: PlaygroundConfig) -> pdata.Points:
    """The raw 2-D points of ``config``, split into training and test."""
    if config.dataset == "upload":
        rows = np.array(config.points, np.float64)
        x = rows[:, :2].astype(np.float32)
        y = rows[:, 2]
        y = y.astype(np.float32 if config.kind == "regression" else np.int32)
    else:
        x, y = pdata.generate(
            config.dataset,
            config.num_samples,
            config.noise,
            config.seed,
            config.num_classes,
        )
    return pdata.split(x, y, config.train_fraction, config.seed, config.kind)


def targets(config: PlaygroundConfig, y: np.ndarray) -> np.ndarray:
    """The labels as the loss wants them: int labels for cross-entropy, ±1
    (TF Playground) for tanh + squared error, float targets for regression."""
    if config.output in ("sigmoid_bce", "softmax_cce"):
        return y.astype(np.int32)
    if config.kind == "regression":
        return y.astype(np.float32).reshape(-1, 1)
    return (2.0 * y - 1.0).astype(np.float32).reshape(-1, 1)


def make_optimizer(name: str, learning_rate: float) -> keras.optimizers.Optimizer:
    """The playground's optimizer by name (:func:`dlcore.blocks.make_optimizer`)."""
    return blocks.make_optimizer(name, learning_rate)


def regularizer(config: PlaygroundConfig):
    """``L1(l1)`` adds l1·Σ|w|, ``L2(l2)`` adds l2·Σw², ``L1L2`` both; or None."""
    if config.l1 and config.l2:
        return keras.regularizers.L1L2(l1=config.l1, l2=config.l2)
    if config.l1:
        return keras.regularizers.L1(config.l1)
    if config.l2:
        return keras.regularizers.L2(config.l2)
    return None


def _init(config: PlaygroundConfig, seed: int):
    return getattr(keras.initializers, _INIT_CLASS[config.initializer])(seed=seed)


def build_model(config: PlaygroundConfig) -> keras.Model:
    """``Dense`` layers with seeded initialisation and the chosen output + loss."""
    layers: list = [keras.Input((len(config.features),))]
    for i, units in enumerate(config.hidden_layers):
        layers.append(
            keras.layers.Dense(
                units,
                activation=config.activation,
                kernel_initializer=_init(config, config.seed * 100 + i),
                kernel_regularizer=regularizer(config),
            )
        )
        if config.dropout:
            layers.append(
                keras.layers.Dropout(config.dropout, seed=config.seed * 100 + i)
            )
    activation, loss = _OUTPUT[config.output]
    layers.append(
        keras.layers.Dense(
            config.output_units,
            activation=activation,
            kernel_initializer=_init(config, config.seed * 100 + 99),
        )
    )
    model = keras.Sequential(layers)
    classify = config.output in ("sigmoid_bce", "softmax_cce")
    model.compile(
        optimizer=make_optimizer(config.optimizer, config.learning_rate),
        loss=loss,
        metrics=["accuracy"] if classify else [],
    )
    return model


def dense_weights(model: keras.Model) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(kernel, bias)`` of every ``Dense`` layer, input to output."""
    return [
        (np.asarray(layer.kernel.numpy()), np.asarray(layer.bias.numpy()))
        for layer in model.layers
        if isinstance(layer, keras.layers.Dense)
    ]


def _dense_pairs(weights: list[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
    """``model.get_weights()`` of a playground model (only ``Dense`` layers
    carry weights) as the ``(kernel, bias)`` pairs of :func:`dense_weights`."""
    pairs = zip(weights[::2], weights[1::2], strict=True)
    return [(np.asarray(k), np.asarray(b)) for k, b in pairs]


def penalized_kernels(model: keras.Model) -> list[np.ndarray]:
    """The weight matrices that carry a ``kernel_regularizer``: the hidden
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


def l1_penalty(kernels: list[np.ndarray], l1: float) -> tuple[float, float]:
    """``keras.regularizers.L1(l1)``: ``(l1·Σ|w|, Σ|w|)``.

    >>> l1_penalty([np.array([[1.0, -2.0]])], 0.5)
    (1.5, 3.0)
    """
    total = float(sum(np.sum(np.abs(k), dtype=np.float64) for k in kernels))
    return float(l1) * total, total


def grid(points: pdata.Points, size: int = GRID_SIZE) -> tuple[np.ndarray, np.ndarray]:
    """Axis values of a square grid covering the data with a margin."""
    x = np.concatenate([points.x_train, points.x_val])
    limit = float(np.ceil(np.abs(x).max() + 0.5))
    axis = np.linspace(-limit, limit, size, dtype=np.float32)
    return axis, axis


def mesh(axis: np.ndarray) -> np.ndarray:
    """The grid points ``(size², 2)``, row-major in x2 then x1 (heatmap ``z``)."""
    return np.stack(np.meshgrid(axis, axis), axis=-1).reshape(-1, 2)


_NP_ACT = {
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0),
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "linear": lambda z: z,
    "silu": lambda z: z / (1 + np.exp(-z)),
}


def _np_activation(name: str, z: np.ndarray) -> np.ndarray:
    if name == "gelu":
        from scipy.special import erf

        return 0.5 * z * (1 + erf(z / math.sqrt(2)))
    if name == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    return _NP_ACT[name](z)


def layer_outputs(
    config: PlaygroundConfig,
    weights: list[tuple[np.ndarray, np.ndarray]],
    x: np.ndarray,
) -> list[np.ndarray]:
    """Every layer's output on the raw points ``x`` (inference: no dropout):
    ``[features, hidden 1, …, output]``, each ``(n, units)``, in float64."""
    a = pdata.features(x, config.features).astype(np.float64)
    outs = [a]
    for i, (kernel, bias) in enumerate(weights):
        last = i == len(weights) - 1
        act = _OUTPUT[config.output][0] if last else config.activation
        a = _np_activation(act, a @ kernel.astype(np.float64) + bias)
        outs.append(a)
    return outs


def decision(config: PlaygroundConfig, output: np.ndarray) -> np.ndarray:
    """The shown surface from the output layer: P(class 1) for two classes
    (sigmoid; softmax column 1; tanh mapped to (y+1)/2), the class index for
    several, the prediction for regression."""
    if config.kind == "regression":
        return output[:, 0]
    if config.output == "softmax_cce":
        if config.output_units > 2:
            return output.argmax(axis=1).astype(np.float64)
        return output[:, 1]
    if config.output == "tanh_mse":
        return (output[:, 0] + 1) / 2
    return output[:, 0]


def _predict_class(config: PlaygroundConfig, output: np.ndarray) -> np.ndarray:
    if config.output == "softmax_cce":
        return output.argmax(axis=1)
    threshold = 0.0 if config.output == "tanh_mse" else 0.5
    return (output[:, 0] > threshold).astype(np.int64)


def confusion(labels: np.ndarray, predicted: np.ndarray, k: int) -> np.ndarray:
    """``(k, k)`` counts: row = true class, column = predicted class."""
    matrix = np.zeros((k, k), np.int64)
    np.add.at(matrix, (labels.astype(np.int64), predicted.astype(np.int64)), 1)
    return matrix


def regression_metrics(y: np.ndarray, pred: np.ndarray) -> tuple[float, float]:
    """``(R², RMSE)``: 1 − SS_res/SS_tot and √mean((y − ŷ)²)."""
    y, pred = np.asarray(y, np.float64).ravel(), np.asarray(pred, np.float64).ravel()
    residual = float(np.sum((y - pred) ** 2))
    total = float(np.sum((y - y.mean()) ** 2))
    return 1 - residual / total if total else float("nan"), math.sqrt(residual / len(y))


def recorded_epochs(epochs: int) -> list[int]:
    """The epochs whose weights are kept for the replay (0 = initial weights).

    >>> recorded_epochs(3), len(recorded_epochs(400))
    ([0, 1, 2, 3], 61)
    """
    if epochs <= MAX_SNAPSHOTS:
        return list(range(epochs + 1))
    return [0, *np.unique(np.round(np.linspace(1, epochs, MAX_SNAPSHOTS))).astype(int)]


def train_playground(
    config: PlaygroundConfig, *, on_progress=None, should_stop=None
) -> TaskResult:
    """Train the playground network one epoch per compiled call (the exported
    script's loop), recording snapshots for the replay.

    Artifacts: the final boundary (``grid_x``, ``grid_y``, ``surface``), the
    replay (``snap_epochs``; ``snap_surface`` ``(S, R, R)``; ``snap_neurons``:
    one ``(S, units, N, N)`` array per layer, features first; ``snap_weights``:
    per snapshot the ``[kernel, bias]`` arrays), timing, the confusion matrix
    or the regression metrics, the penalties.
    """
    points = load_points(config)
    f_train = pdata.features(points.x_train, config.features)
    f_val = pdata.features(points.x_val, config.features)
    y_train, y_val = targets(config, points.y_train), targets(config, points.y_val)
    model = build_model(config)
    keep = set(recorded_epochs(config.epochs))
    snapshots = [(0, dense_weights(model))]
    rows: list[dict] = []
    marks: list[tuple[float, int]] = []  # (time, epochs done) at each call
    reached: list[int] = []

    def progress(event: dict) -> None:
        row = {k: float(v) for k, v in event.items() if k not in ("epoch", "epochs")}
        rows.append(row)
        if config.target_loss and row["loss"] <= config.target_loss and not reached:
            reached.append(int(event["epoch"]))
        if on_progress is not None:
            on_progress(event)

    def stop() -> bool:  # polled before every compiled call
        marks.append((time.perf_counter(), len(rows)))
        return bool(reached) or (should_stop is not None and bool(should_stop()))

    stop_weights: list[list[np.ndarray]] = []

    def snapshot(epoch: int, weights: list[np.ndarray]) -> None:
        if reached and epoch == reached[0]:
            stop_weights.append(weights)
        if epoch in keep or (reached and epoch == reached[0]):
            snapshots.append((epoch, _dense_pairs(weights)))

    start = time.perf_counter()
    # One fit: compiled calls end at the recorded epochs (every epoch when a
    # target loss may stop the run), so the replay costs one weight read each.
    fit = train.fit(
        model,
        f_train,
        y_train,
        epochs=config.epochs,
        batch_size=config.batch_size,
        validation_data=(f_val, y_val),
        seed=config.seed,
        on_progress=progress,
        should_stop=stop,
        snapshot_epochs=range(1, config.epochs + 1) if config.target_loss else keep,
        on_snapshot=snapshot,
    )
    marks.append((time.perf_counter(), len(rows)))
    seconds = [
        (t1 - t0) / (n1 - n0)
        for (t0, n0), (t1, n1) in itertools.pairwise(marks)
        for _ in range(n1 - n0)
    ]
    status, diverged, stopped = fit.status, fit.diverged_epoch, ""
    if reached:
        status, stopped = "finished", "target"
        # An XLA call may have trained past the target epoch (its snapshots
        # come from inside the call): the model is the one at the target.
        if stop_weights:
            model.set_weights(stop_weights[0])
        snapshots = [snap for snap in snapshots if snap[0] <= reached[0]]
        rows = rows[: reached[0]]
        seconds = seconds[: reached[0]]
    elif status == "finished" and snapshots[-1][0] != len(rows):
        snapshots.append((len(rows), dense_weights(model)))
    history = pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1, name="epoch"))
    metrics = {k: float(v) for k, v in (rows[-1] if rows else {}).items()}
    artifacts = _artifacts(config, points, model, snapshots, metrics)
    artifacts["epoch_seconds"] = np.array(seconds, np.float32)
    artifacts["stopped"] = stopped
    return TaskResult(
        history=history,
        status=status,
        diverged_epoch=diverged,
        wall_time=time.perf_counter() - start,
        metrics=metrics,
        artifacts=artifacts,
    )


def _artifacts(config, points, model, snapshots, metrics) -> dict:
    """Boundary, replay snapshots and the final evaluation (updates metrics)."""
    gx, gy = grid(points)
    final = dense_weights(model)
    out = layer_outputs(config, final, mesh(gx))[-1]
    surface = decision(config, out).reshape(len(gy), len(gx))
    rx = np.linspace(gx[0], gx[-1], REPLAY_GRID, dtype=np.float32)
    nx = np.linspace(gx[0], gx[-1], NEURON_GRID, dtype=np.float32)
    snap_surface, snap_neurons = [], []
    for _, weights in snapshots:
        snap_surface.append(
            decision(config, layer_outputs(config, weights, mesh(rx))[-1])
        )
        snap_neurons.append(layer_outputs(config, weights, mesh(nx)))
    n = NEURON_GRID
    neurons = [
        np.stack([s[layer] for s in snap_neurons])  # (S, n², units)
        .transpose(0, 2, 1)
        .reshape(len(snapshots), -1, n, n)
        .astype(np.float32)
        for layer in range(len(snap_neurons[0]))
    ]
    art: dict = {
        "grid_x": gx,
        "grid_y": gy,
        "surface": surface.astype(np.float32),
        "replay_x": rx,
        "neuron_x": nx,
        "snap_epochs": np.array([e for e, _ in snapshots], np.int32),
        "snap_surface": np.stack(snap_surface)
        .reshape(len(snapshots), REPLAY_GRID, REPLAY_GRID)
        .astype(np.float32),
        "snap_neurons": neurons,
        "snap_weights": [[a for pair in w for a in pair] for _, w in snapshots],
    }
    val_out = layer_outputs(config, final, points.x_val)[-1]
    train_out = layer_outputs(config, final, points.x_train)[-1]
    if config.kind == "regression":
        for prefix, y, pred in (
            ("", points.y_train, train_out),
            ("val_", points.y_val, val_out),
        ):
            r2, rmse = regression_metrics(y, pred)
            metrics[f"{prefix}r2"], metrics[f"{prefix}rmse"] = r2, rmse
    else:
        k = points.num_classes
        art["confusion"] = confusion(points.y_val, _predict_class(config, val_out), k)
        if config.output == "tanh_mse":  # Keras reports no accuracy for MSE
            for prefix, y, pred in (
                ("", points.y_train, train_out),
                ("val_", points.y_val, val_out),
            ):
                hits = _predict_class(config, pred) == y
                metrics[f"{prefix}accuracy"] = float(np.mean(hits))
    kernels = penalized_kernels(model)
    art["l1_penalty"], art["l1_sum"] = l1_penalty(kernels, config.l1)
    art["l2_penalty"], art["l2_squares"] = l2_penalty(kernels, config.l2)
    return art


def estimate_playground(config: PlaygroundConfig) -> float:
    """Estimated seconds on 2 CPU cores: the work of the fit
    (:class:`dlcore.budget.Fit`, steps × parameters) plus one compiled call per
    recorded epoch (compiled calls end at the replay's snapshots)."""
    from dlcore import budget

    n = len(config.points) if config.dataset == "upload" else config.num_samples
    num_val = max(1, round(n * (1 - config.train_fraction)))
    sizes = [len(config.features), *config.hidden_layers, config.output_units]
    fit = budget.Fit(
        n - num_val,
        num_val,
        config.batch_size,
        config.epochs,
        budget.dense_flops(sizes),
        len(sizes) - 1,
    )
    calls = config.epochs if config.target_loss else len(recorded_epochs(config.epochs))
    return fit.seconds() + calls * PER_CALL


#: Seconds of one compiled call's fixed cost (call + weight read), measured.
PER_CALL = 0.01

#: A run of a few seconds for the registry's contract tests.
SMOKE = PlaygroundConfig(epochs=3, hidden_layers=(4,), num_samples=100)
