"""The two training tasks of the topic, their configs and the teacher presets.

* **Outlier lab** (:func:`train_outlier_lab`): one line fitted with MSE, MAE
  and Huber to data with outliers.
* **Loss pairing** (:func:`train_loss_pairing`): the right last layer and
  loss for a task, against a classic wrong pairing.

Both are module-level functions (worker processes import them by name); the
registry (:mod:`dlcore.topics`) names them ``dlcore.losses:train_…``.

Example:
    >>> OutlierLabConfig(outlier_fraction=0.0).outlier_fraction
    0.0
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from dlcore import train
from dlcore.blocks import digits_flat, make_optimizer
from dlcore.i18n import t
from dlcore.topics import Preset

keras = train.keras

# ----------------------------------------------------------------------------
# The outlier lab (MSE vs MAE vs Huber)
# ----------------------------------------------------------------------------

# ----------------------------------------------------------------------------

#: The line the outlier-lab data are drawn around.
TRUE_SLOPE = 2.0
TRUE_INTERCEPT = 1.0
OUTLIER_RUNS: tuple[str, ...] = ("mse", "mae", "huber")


@dataclasses.dataclass(frozen=True)
class OutlierLabConfig:
    """Fit ``y = w·x + b`` to noisy points, a fraction of which are outliers.

    Training is full-batch gradient descent (``batch_size = num_samples``)
    from ``w = b = 0``, so the MSE run converges to the least-squares line.
    """

    outlier_fraction: float = 0.1
    outlier_size: float = 10.0
    num_samples: int = 100
    noise: float = 0.5
    epochs: int = 200
    learning_rate: float = 0.1
    huber_delta: float = 1.0
    seed: int = 0

    def __post_init__(self) -> None:
        checks = [
            (
                0.0 <= self.outlier_fraction <= 0.5,
                "outlier_fraction must be in [0, 0.5]",
            ),
            (
                -100.0 <= self.outlier_size <= 100.0,
                "outlier_size must be in [-100, 100]",
            ),
            (
                isinstance(self.num_samples, int) and 10 <= self.num_samples <= 10_000,
                "num_samples must be an integer in [10, 10000]",
            ),
            (0.0 <= self.noise <= 10.0, "noise must be in [0, 10]"),
            (
                isinstance(self.epochs, int) and 1 <= self.epochs <= 5000,
                "epochs must be an integer in [1, 5000]",
            ),
            (0.0 < self.learning_rate <= 10.0, "learning_rate must be in (0, 10]"),
            (0.0 < self.huber_delta <= 100.0, "huber_delta must be in (0, 100]"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(f"OutlierLabConfig: {message}; got {self}")


def make_outlier_data(
    config: OutlierLabConfig,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points around ``y = 2x + 1`` (x uniform in [−2, 2]) with some outliers.

    A random ``outlier_fraction`` of the points is shifted by ``outlier_size``
    (all in the same direction, like a sensor that sometimes glitches high).

    Returns:
        ``(x, y, is_outlier)``: float32 ``(n, 1)``, float32 ``(n, 1)``, bool ``(n,)``.

    Example:
        >>> x, y, out = make_outlier_data(OutlierLabConfig(num_samples=20))
        >>> x.shape, y.shape, int(out.sum())
        ((20, 1), (20, 1), 2)
    """
    rng = np.random.default_rng(config.seed)
    n = config.num_samples
    x = rng.uniform(-2.0, 2.0, n)
    y = TRUE_SLOPE * x + TRUE_INTERCEPT + rng.normal(0.0, config.noise, n)
    is_outlier = np.zeros(n, bool)
    is_outlier[rng.choice(n, round(config.outlier_fraction * n), replace=False)] = True
    y = y + config.outlier_size * is_outlier
    return x[:, None].astype(np.float32), y[:, None].astype(np.float32), is_outlier


def _line_model(loss: Any, learning_rate: float) -> keras.Model:
    model = keras.Sequential(
        [
            keras.Input((1,)),
            keras.layers.Dense(1, kernel_initializer="zeros", name="line"),
        ]
    )
    model.compile(optimizer=make_optimizer("sgd", learning_rate), loss=loss)
    return model


def _forward(
    on_progress: Callable[[dict[str, Any]], None] | None,
    run: str,
    index: int,
    total: int,
) -> Callable[[dict[str, Any]], None] | None:
    if on_progress is None:
        return None
    return lambda event: on_progress(
        {**event, "run": run, "run_index": index, "num_runs": total}
    )


def train_outlier_lab(
    config: OutlierLabConfig,
    *,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> train.TaskResult:
    """Fit the same line with MSE, MAE and Huber (three runs); a training task.

    Returns:
        A ``train.TaskResult``; ``history`` has a ``run`` column (``mse``,
        ``mae``, ``huber``). ``metrics``: ``<run>_slope``, ``<run>_intercept``,
        and ``lstsq_slope``/``lstsq_intercept`` (the closed-form least-squares
        line, ``np.polyfit``). ``artifacts``: ``x``, ``y``, ``is_outlier``,
        ``fits`` ({run: (slope, intercept)}), ``residuals`` ({run: y − ŷ}),
        ``true_line`` and ``lstsq``.
    """
    x, y, is_outlier = make_outlier_data(config)
    losses = {
        "mse": "mse",
        "mae": "mae",
        "huber": keras.losses.Huber(delta=config.huber_delta),
    }
    fits, runs, residuals, metrics = {}, {}, {}, {}
    for index, (run, loss) in enumerate(losses.items()):
        model = _line_model(loss, config.learning_rate)
        result = train.fit(
            model,
            x,
            y,
            epochs=config.epochs,
            batch_size=len(x),
            seed=config.seed,
            on_progress=_forward(on_progress, run, index, len(losses)),
            should_stop=should_stop,
            # The graph loop, bitwise model.fit: the lab's fits are checked
            # against closed forms and must not change between runs.
            jit_compile=False,
        )
        runs[run] = result
        kernel, bias = model.get_layer("line").get_weights()
        slope, intercept = float(kernel[0, 0]), float(bias[0])
        fits[run] = (slope, intercept)
        residuals[run] = (y[:, 0] - (slope * x[:, 0] + intercept)).astype(np.float32)
        metrics[f"{run}_slope"], metrics[f"{run}_intercept"] = slope, intercept
        if result.status == "cancelled":
            break
    lstsq_slope, lstsq_intercept = np.polyfit(x[:, 0].astype(np.float64), y[:, 0], 1)
    metrics.update(
        lstsq_slope=float(lstsq_slope), lstsq_intercept=float(lstsq_intercept)
    )
    artifacts = {
        "x": x[:, 0],
        "y": y[:, 0],
        "is_outlier": is_outlier,
        "fits": fits,
        "residuals": residuals,
        "true_line": (TRUE_SLOPE, TRUE_INTERCEPT),
        "lstsq": (float(lstsq_slope), float(lstsq_intercept)),
    }
    return train.TaskResult.combine(runs, metrics=metrics, artifacts=artifacts)


def fit_table(metrics: Mapping[str, float], lang: str = "en") -> pd.DataFrame:
    """The fitted lines of :func:`train_outlier_lab`, the closed form and the truth.

    Example:
        >>> m = {"mse_slope": 1.8, "mse_intercept": 2.0, "lstsq_slope": 1.8,
        ...      "lstsq_intercept": 2.0}
        >>> fit_table(m).index.tolist()
        ['MSE', 'least squares (closed form)', 'true line y = 2x + 1']
    """
    rows = {
        t(f"loss.run.{run}", lang): (
            metrics[f"{run}_slope"],
            metrics[f"{run}_intercept"],
        )
        for run in OUTLIER_RUNS
        if f"{run}_slope" in metrics
    }
    rows[t("loss.outlier.lstsq", lang)] = (
        metrics["lstsq_slope"],
        metrics["lstsq_intercept"],
    )
    rows[t("loss.outlier.true_line", lang)] = (TRUE_SLOPE, TRUE_INTERCEPT)
    columns = [t("loss.outlier.slope", lang), t("loss.outlier.intercept", lang)]
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns).round(3)


# ----------------------------------------------------------------------------
# Right vs wrong output/loss pairing
# ----------------------------------------------------------------------------

#: The right (output activation, loss) for each trainable task.
RIGHT_PAIRINGS: dict[str, tuple[str, str]] = {
    "binary": ("sigmoid", "binary_crossentropy"),
    "multiclass": ("softmax", "sparse_categorical_crossentropy"),
    "multilabel": ("sigmoid", "binary_crossentropy"),
    "regression": ("linear", "mse"),
}
#: Classic wrong pairings per task; the first one is the default. Explained by
#: the i18n keys ``loss.wrong.<key>``. Two are quietly rescued by Keras 3: a
#: softmax or sigmoid output remembers its logits (``_keras_logits``) and
#: ``binary_crossentropy`` then computes a *sigmoid* cross-entropy from them.
#: So ``softmax_one_unit`` has exactly the loss curve of the right model, while
#: its predictions are all 1 (a softmax over one unit); and ``softmax_bce``
#: trains like ten independent sigmoids, so its argmax accuracy barely suffers.
WRONG_PAIRINGS: dict[str, dict[str, tuple[str, str]]] = {
    "binary": {
        "softmax_one_unit": ("softmax", "binary_crossentropy"),
        "no_sigmoid": ("linear", "binary_crossentropy"),
        "sigmoid_mse": ("sigmoid", "mse"),
    },
    "multiclass": {
        "no_softmax": ("linear", "sparse_categorical_crossentropy"),
        "softmax_bce": ("softmax", "binary_crossentropy"),
        "sigmoid_mse": ("sigmoid", "mse"),
    },
    "multilabel": {
        "softmax_cce": ("softmax", "categorical_crossentropy"),
        "sigmoid_mse": ("sigmoid", "mse"),
    },
    "regression": {
        "sigmoid_mse": ("sigmoid", "mse"),
    },
}
#: The multi-label targets made from a digit: is it even, ≥ 5, a prime?
MULTILABEL_NAMES: tuple[str, ...] = ("even", "≥5", "prime")


@dataclasses.dataclass(frozen=True)
class LossPairingConfig:
    """Train one small MLP on the digits twice: a right and a wrong output/loss pairing.

    Tasks (all on the 8×8 digits): ``binary`` (even vs odd), ``multiclass``
    (which digit), ``multilabel`` (even? ≥ 5? prime?), ``regression`` (the
    digit's value as a number). ``wrong`` is a key of
    ``WRONG_PAIRINGS[task]``; empty means the task's first (default) one.
    """

    task: str = "multiclass"
    wrong: str = ""
    epochs: int = 10
    learning_rate: float = 0.01
    hidden_units: int = 32
    batch_size: int = 64
    seed: int = 0

    def __post_init__(self) -> None:
        if self.task not in RIGHT_PAIRINGS:
            raise ValueError(
                f"Unknown task {self.task!r}; expected one of {list(RIGHT_PAIRINGS)}"
            )
        if self.wrong and self.wrong not in WRONG_PAIRINGS[self.task]:
            raise ValueError(
                f"Unknown wrong pairing {self.wrong!r} for task {self.task!r}; "
                f"expected one of {list(WRONG_PAIRINGS[self.task])}"
            )
        checks = [
            (
                isinstance(self.epochs, int) and 1 <= self.epochs <= 200,
                "epochs must be an integer in [1, 200]",
            ),
            (
                isinstance(self.hidden_units, int) and 1 <= self.hidden_units <= 512,
                "hidden_units must be an integer in [1, 512]",
            ),
            (
                isinstance(self.batch_size, int) and self.batch_size >= 1,
                "batch_size must be a positive integer",
            ),
            (0.0 < self.learning_rate <= 1.0, "learning_rate must be in (0, 1]"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(f"LossPairingConfig: {message}; got {self}")

    @property
    def pairings(self) -> dict[str, tuple[str, str]]:
        """``{"right": (activation, loss), "wrong": (activation, loss)}``."""
        options = WRONG_PAIRINGS[self.task]
        return {
            "right": RIGHT_PAIRINGS[self.task],
            "wrong": options[self.wrong or next(iter(options))],
        }


def pairing_targets(task: str, digits: np.ndarray, loss: str) -> np.ndarray:
    """The training targets of ``task`` for the digit labels ``digits``, for ``loss``.

    Example:
        >>> bce = "binary_crossentropy"
        >>> pairing_targets("multilabel", np.array([2, 9]), bce).tolist()
        [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    digits = np.asarray(digits)
    if task == "binary":
        return (digits % 2 == 0).astype(np.float32)[:, None]
    if task == "multiclass":
        if loss == "sparse_categorical_crossentropy":
            return digits.astype(np.int32)
        return np.eye(10, dtype=np.float32)[digits]
    if task == "multilabel":
        primes = np.isin(digits, (2, 3, 5, 7))
        return np.stack([digits % 2 == 0, digits >= 5, primes], axis=1).astype(
            np.float32
        )
    if task == "regression":
        return digits.astype(np.float32)[:, None]
    raise ValueError(f"Unknown task {task!r}; expected one of {list(RIGHT_PAIRINGS)}")


#: Output units of the last layer per task (K = 10 digits, 3 labels).
OUTPUT_UNITS: dict[str, int] = {
    "binary": 1,
    "multiclass": 10,
    "multilabel": 3,
    "regression": 1,
}


def _pairing_model(
    config: LossPairingConfig, activation: str, loss: str
) -> keras.Model:
    model = keras.Sequential(
        [
            keras.Input((64,)),
            keras.layers.Dense(
                config.hidden_units,
                activation="relu",
                kernel_initializer=keras.initializers.HeNormal(seed=config.seed),
            ),
            keras.layers.Dense(
                OUTPUT_UNITS[config.task],
                activation=activation,
                kernel_initializer=keras.initializers.GlorotUniform(
                    seed=config.seed + 1
                ),
            ),
        ]
    )
    optimizer = make_optimizer("adam", config.learning_rate)
    model.compile(optimizer=optimizer, loss=loss)
    return model


def pairing_accuracy(task: str, digits: np.ndarray, outputs: np.ndarray) -> float:
    """The accuracy that matters for ``task``, whatever the loss reported.

    ``binary``: threshold 0.5; ``multiclass``: argmax; ``multilabel``: mean of
    the per-label accuracies (threshold 0.5); ``regression``: the prediction
    rounded to the nearest digit.

    Example:
        >>> pairing_accuracy("multiclass", np.array([0, 0]), np.eye(2))
        0.5
    """
    digits = np.asarray(digits)
    outputs = np.nan_to_num(np.asarray(outputs, np.float64), nan=0.0)
    if task == "multiclass":
        return float(np.mean(outputs.argmax(axis=1) == digits))
    if task == "regression":
        return float(np.mean(np.clip(np.round(outputs[:, 0]), 0, 9) == digits))
    truth = pairing_targets(task, digits, "binary_crossentropy")
    return float(np.mean((outputs > 0.5) == (truth > 0.5)))


def train_loss_pairing(
    config: LossPairingConfig,
    *,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> train.TaskResult:
    """Train the right and a wrong output/loss pairing; a training task.

    Both runs start from the same initial weights (same seeds) and see the
    same batches; only the last activation and the loss differ.

    Returns:
        A ``train.TaskResult`` (``run`` is ``right`` / ``wrong``). ``metrics``:
        ``right_accuracy``, ``wrong_accuracy`` (validation, as defined by
        :func:`pairing_accuracy`, not the metric Keras would pick for the
        loss), ``accuracy_difference`` (right − wrong) and, for regression,
        ``right_mae`` / ``wrong_mae``. ``artifacts``: ``task``, ``wrong``
        (the key) and ``pairings`` ({run: (activation, loss)}).
    """
    x_train, y_train, x_val, y_val = digits_flat(config.seed)
    runs, metrics = {}, {}
    pairings = config.pairings
    for index, (run, (activation, loss)) in enumerate(pairings.items()):
        model = _pairing_model(config, activation, loss)
        with warnings.catch_warnings():  # Keras warns about a 1-unit softmax
            warnings.simplefilter("ignore", UserWarning)
            result = train.fit(
                model,
                x_train,
                pairing_targets(config.task, y_train, loss),
                epochs=config.epochs,
                batch_size=config.batch_size,
                validation_data=(x_val, pairing_targets(config.task, y_val, loss)),
                seed=config.seed,
                on_progress=_forward(on_progress, run, index, len(pairings)),
                should_stop=should_stop,
                # The graph loop, bitwise model.fit: a mismatched pairing is
                # ill-conditioned, and XLA's last-bit differences grew there
                # until the page disagreed with its exported script.
                jit_compile=False,
            )
            outputs = np.asarray(model.predict_on_batch(x_val))
        runs[run] = result
        metrics[f"{run}_accuracy"] = pairing_accuracy(config.task, y_val, outputs)
        if config.task == "regression":
            metrics[f"{run}_mae"] = float(np.mean(np.abs(outputs[:, 0] - y_val)))
        if result.status == "cancelled":
            break
    if "wrong_accuracy" in metrics:
        metrics["accuracy_difference"] = (
            metrics["right_accuracy"] - metrics["wrong_accuracy"]
        )
    wrong = config.wrong or next(iter(WRONG_PAIRINGS[config.task]))
    artifacts = {"task": config.task, "wrong": wrong, "pairings": pairings}
    return train.TaskResult.combine(runs, metrics=metrics, artifacts=artifacts)


def coinciding_runs(
    history: pd.DataFrame,
    columns: tuple[str, ...] = ("loss", "val_loss"),
    *,
    rtol: float = 1e-3,
) -> dict[str, list[list[str]]]:
    """Runs whose learning curves lie on top of each other, per column.

    Two runs coincide in a column when they have the same epochs and differ
    by at most ``rtol`` (relative) at every epoch: on a chart (a log axis
    for the loss) one line hides the other. With the default wrong pairing
    of the binary task (a softmax over one unit) Keras computes the same
    sigmoid cross-entropy from the logits, so both runs' losses are equal.

    Returns:
        ``{column: [[run, run, …], …]}`` for the columns with such a group,
        runs in the order of ``history``.

    Example:
        >>> h = pd.DataFrame({"epoch": [1, 2, 1, 2], "run": ["a", "a", "b", "b"],
        ...                   "loss": [0.5, 0.2, 0.5, 0.2]})
        >>> coinciding_runs(h)
        {'loss': [['a', 'b']]}
    """
    if "run" not in history:
        return {}
    history = history.reset_index()
    if "epoch" not in history:
        history["epoch"] = history.groupby("run").cumcount() + 1
    runs = list(dict.fromkeys(history["run"]))
    found: dict[str, list[list[str]]] = {}
    for column in columns:
        if column not in history:
            continue
        curves = {
            run: frame.set_index("epoch")[column].astype(float)
            for run, frame in history.groupby("run", sort=False)
        }
        groups: list[list[str]] = []
        for run in runs:
            for group in groups:
                first = curves[group[0]]
                if first.index.equals(curves[run].index) and np.allclose(
                    curves[run], first, rtol=rtol, atol=1e-12, equal_nan=True
                ):
                    group.append(run)
                    break
            else:
                groups.append([run])
        same = [group for group in groups if len(group) > 1]
        if same:
            found[column] = same
    return found


def pairing_summary(metrics: Mapping[str, float]) -> dict[str, str]:
    """The accuracies of :func:`train_loss_pairing` as the page shows them.

    Example:
        >>> pairing_summary({"right_accuracy": 0.9, "wrong_accuracy": 0.5,
        ...                  "accuracy_difference": 0.4})
        {'right_acc': '90.0%', 'wrong_acc': '50.0%', 'difference': '+40.0%'}
    """
    return {
        "right_acc": f"{metrics['right_accuracy']:.1%}",
        "wrong_acc": f"{metrics['wrong_accuracy']:.1%}",
        "difference": f"{metrics['accuracy_difference']:+.1%}",
    }


# ----------------------------------------------------------------------------
# Page controls of the tasks, and the teacher presets
# ----------------------------------------------------------------------------

#: The outlier lab's sliders: config field -> (min, max, step). The defaults
#: are :class:`OutlierLabConfig`'s; the widget keys are ``loss_out_<field>``.
OUTLIER_SLIDERS: dict[str, tuple[float, float, float]] = {
    "outlier_fraction": (0.0, 0.5, 0.05),
    "outlier_size": (-40.0, 40.0, 1.0),
    "huber_delta": (0.1, 5.0, 0.1),
    "noise": (0.0, 2.0, 0.1),
}


def _only_controlled(config: Any, controlled: set[str]) -> None:
    """Refuse a config that sets a field the page has no control for (a preset
    would silently lose it)."""
    default = type(config)()
    extra = [
        field.name
        for field in dataclasses.fields(config)
        if field.name not in controlled
        and getattr(config, field.name) != getattr(default, field.name)
    ]
    if extra:
        raise ValueError(
            f"{type(config).__name__}: the page has no control for {extra}"
        )


def outlier_controls(config: OutlierLabConfig) -> dict[str, Any]:
    """The outlier lab's control values (URL parameters) that show ``config``.

    Raises:
        ValueError: ``config`` changes a field without a control
            (``num_samples``, ``epochs``, ``learning_rate``).

    Example:
        >>> outlier_controls(OutlierLabConfig(outlier_size=30.0))
        ... # doctest: +NORMALIZE_WHITESPACE
        {'loss_out_outlier_fraction': 0.1, 'loss_out_outlier_size': 30.0,
         'loss_out_huber_delta': 1.0, 'loss_out_noise': 0.5, 'loss_out_seed': 0}
    """
    fields = (*OUTLIER_SLIDERS, "seed")
    _only_controlled(config, set(fields))
    return {f"loss_out_{name}": getattr(config, name) for name in fields}


def pairing_controls(config: LossPairingConfig) -> dict[str, Any]:
    """The task guide's control values (URL parameters) that show ``config``.

    Raises:
        ValueError: ``config`` changes a field without a control (everything
            but ``task`` and ``wrong``).

    Example:
        >>> pairing_controls(LossPairingConfig(task="binary"))
        {'loss_task': 'binary', 'loss_wrong_binary': 'softmax_one_unit'}
    """
    _only_controlled(config, {"task", "wrong"})
    wrong = config.wrong or next(iter(WRONG_PAIRINGS[config.task]))
    return {"loss_task": config.task, f"loss_wrong_{config.task}": wrong}


_BCE, _FOCAL = "binary_crossentropy", "binary_focal_crossentropy"
_CCE = "categorical_crossentropy"

#: Teacher presets (labels: ``loss.preset.<name>`` in the catalogue). The
#: curve explorer and the distribution lab train nothing: their presets set
#: controls; the two labs' presets are task configs.
PRESETS: tuple[Preset, ...] = (
    Preset(
        "robust",
        controls={
            "loss_family": "regression",
            "loss_names_regression": ["mse", "mae", "huber", "log_cosh"],
        },
        tab="curves",
    ),
    Preset(
        "focal",
        controls={
            "loss_family": "binary",
            "loss_logits_binary": False,
            "loss_names_binary": [_BCE, _FOCAL],
            f"loss_{_FOCAL}_gamma": 2.0,
        },
        tab="curves",
    ),
    Preset(
        "margin",
        controls={
            "loss_family": "binary",
            "loss_logits_binary": True,
            "loss_names_binary_z": [_BCE, "hinge", "squared_hinge"],
        },
        tab="curves",
    ),
    Preset(
        "smoothing",
        controls={
            "loss_family": "multiclass",
            "loss_logits_multiclass": False,
            "loss_names_multiclass": [_CCE],
            f"loss_{_CCE}_label_smoothing": 0.2,
        },
        tab="curves",
    ),
    Preset("one_hot", controls={"loss_dist_preset": "one_hot"}, tab="dist"),
    Preset("asymmetric", controls={"loss_dist_preset": "asymmetric"}, tab="dist"),
    Preset("no_outliers", OutlierLabConfig(outlier_fraction=0.0), tab="outliers"),
    Preset(
        "large_outliers",
        OutlierLabConfig(outlier_fraction=0.1, outlier_size=30.0),
        tab="outliers",
    ),
    Preset(
        "softmax_bce",
        LossPairingConfig(task="multiclass", wrong="softmax_bce"),
        tab="guide",
    ),
)
