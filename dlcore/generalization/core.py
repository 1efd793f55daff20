"""Generalization (泛化): what every regularizer computes, measured against Keras.

Pure computations, no training loop: the overfitting data set, the L1/L2
penalties as Keras adds them to the loss, inverted dropout, decoupled weight
decay beside an L2 penalty, batch normalization in both modes, early stopping
replayed with Keras' own callback, the residual network, K-fold indices,
classification metrics and standardization without leakage.

>>> dropout_demo(rate=0.5, seed=1)["scale"]
2.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from dlcore import runtime
from dlcore.blocks import digits_flat

tf = runtime.tf()
import keras  # noqa: E402  (after runtime configured TensorFlow)

#: Classes of the digits.
NUM_CLASSES = 10
#: The worked vector of the source notes (dropout example).
NOTES_VECTOR: tuple[float, ...] = (0.2, 0.5, 1.3, 0.8, 1.1)
REGULARIZERS: tuple[str, ...] = ("none", "l1", "l2", "weight_decay", "dropout")


# ----------------------------------------------------------------------------
# The overfitting set-up: few digits, some labels wrong
# ----------------------------------------------------------------------------


def noisy_labels(y: np.ndarray, fraction: float, seed: int) -> np.ndarray:
    """``y`` with ``round(fraction · n)`` labels replaced by uniform random ones.

    A replaced label may by chance equal the true one (1 in 10).

    >>> y = np.arange(10, dtype=np.int32)
    >>> bool((noisy_labels(y, 0.0, 0) == y).all())
    True
    """
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"label noise must be in [0, 1], got {fraction!r}")
    rng = np.random.default_rng([seed, 7])
    y = np.array(y, dtype=np.int32, copy=True)
    count = round(fraction * len(y))
    where = rng.choice(len(y), count, replace=False)
    y[where] = rng.integers(0, NUM_CLASSES, count)
    return y


def overfit_data(
    num_train: int, label_noise: float, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The first ``num_train`` training digits (flat, 64 features), a fraction of
    their labels made random; the validation digits stay clean (449 images).
    """
    x_train, y_train, x_val, y_val = digits_flat(seed)
    if not 10 <= num_train <= len(x_train):
        raise ValueError(
            f"num_train must be between 10 and {len(x_train)}, got {num_train!r}"
        )
    x, y = x_train[:num_train], noisy_labels(y_train[:num_train], label_noise, seed)
    return x, y, x_val, y_val


# ----------------------------------------------------------------------------
# L1 / L2 penalties
# ----------------------------------------------------------------------------


def penalty(weights: Any, kind: str, strength: float) -> float:
    """What ``kernel_regularizer`` adds to the loss: λΣ|w| (L1) or λΣw² (L2).

    Keras' ``L2(l2=λ)`` adds λΣw², *without* a factor ½.

    >>> penalty([1.0, -2.0], "l1", 0.1), penalty([1.0, -2.0], "l2", 0.1)
    (0.30000000000000004, 0.5)
    """
    w = np.asarray(weights, np.float64)
    if kind == "l1":
        return float(strength * np.abs(w).sum())
    if kind == "l2":
        return float(strength * np.square(w).sum())
    raise ValueError(f"penalty kind must be 'l1' or 'l2', got {kind!r}")


def penalty_gradient(weights: Any, kind: str, strength: float) -> np.ndarray:
    """The gradient the penalty adds: λ·sign(w) (L1), 2λw (L2).

    >>> penalty_gradient([1.0, -2.0, 0.0], "l1", 0.1).tolist()
    [0.1, -0.1, 0.0]
    """
    w = np.asarray(weights, np.float64)
    if kind == "l1":
        return strength * np.sign(w)
    if kind == "l2":
        return 2.0 * strength * w
    raise ValueError(f"penalty kind must be 'l1' or 'l2', got {kind!r}")


def keras_regularizer(kind: str, strength: float) -> Any:
    """``keras.regularizers.L1(λ)`` / ``L2(λ)``, or ``None`` for other kinds."""
    if kind == "l1":
        return keras.regularizers.L1(strength)
    if kind == "l2":
        return keras.regularizers.L2(strength)
    return None


def weight_stats(kernel: np.ndarray, zero: float = 1e-3) -> dict[str, float]:
    """Share of exact zeros and of near-zeros (|w| < ``zero``), mean |w|, max |w|."""
    w = np.asarray(kernel, np.float64).ravel()
    return {
        "exact_zeros": float(np.mean(w == 0.0)),
        "near_zero": float(np.mean(np.abs(w) < zero)),
        "mean_abs": float(np.mean(np.abs(w))),
        "max_abs": float(np.max(np.abs(w))) if w.size else 0.0,
    }


# ----------------------------------------------------------------------------
# Decoupled weight decay (AdamW) beside an L2 penalty
# ----------------------------------------------------------------------------

#: The toy loss of :func:`decay_vs_l2`: L(w) = ½ Σ aᵢ (wᵢ − tᵢ)², one steep and
#: one flat direction, so an adaptive optimizer treats them very differently.
TOY_CURVATURE: tuple[float, float] = (10.0, 0.1)
TOY_TARGET: tuple[float, float] = (1.0, 1.0)


def decay_vs_l2(
    optimizer: str = "adam",
    *,
    learning_rate: float = 0.05,
    strength: float = 0.05,
    steps: int = 200,
    start: Sequence[float] = (1.0, 1.0),
) -> pd.DataFrame:
    """Train two weights on the toy loss with (a) an L2 penalty λΣw² added to the
    loss and (b) the optimizer's own ``weight_decay`` (decoupled: w ← w − η·wd·w
    besides the step), both with Keras optimizers.

    For plain SGD the two are the same update when wd = 2λ (the gradient of λw²
    is 2λw). For Adam they are not: the penalty's gradient is divided by
    √v̂ like every gradient, so directions with large gradients are hardly
    decayed; AdamW decays every weight by the same factor (Loshchilov &
    Hutter, 2019).

    Returns:
        One row per step (0 = start): ``step``, ``w1_l2``, ``w2_l2``,
        ``w1_decay``, ``w2_decay``.
    """
    if optimizer not in ("sgd", "adam"):
        raise ValueError(f"optimizer must be 'sgd' or 'adam', got {optimizer!r}")
    if not (0 < learning_rate <= 1 and 0 <= strength <= 1 and 1 <= steps <= 2000):
        raise ValueError("need 0 < learning_rate ≤ 1, 0 ≤ strength ≤ 1, 1 ≤ steps")
    a = tf.constant(TOY_CURVATURE, tf.float32)
    target = tf.constant(TOY_TARGET, tf.float32)
    cls = keras.optimizers.SGD if optimizer == "sgd" else keras.optimizers.Adam
    runs = {}
    for mode in ("l2", "decay"):
        w = keras.Variable(np.asarray(start, np.float32), name=f"w_{mode}")
        if mode == "l2":
            opt = cls(learning_rate=learning_rate)
        else:  # the same λ as a decoupled decay of 2λ per unit learning rate
            opt = cls(learning_rate=learning_rate, weight_decay=2.0 * strength)
        path = [np.array(w.numpy())]
        for _ in range(steps):
            with tf.GradientTape() as tape:
                loss = 0.5 * tf.reduce_sum(a * tf.square(w - target))
                if mode == "l2":
                    loss += strength * tf.reduce_sum(tf.square(w))
            opt.apply_gradients([(tape.gradient(loss, w), w)])
            path.append(np.array(w.numpy()))
        runs[mode] = np.stack(path)
    return pd.DataFrame(
        {
            "step": np.arange(steps + 1),
            "w1_l2": runs["l2"][:, 0],
            "w2_l2": runs["l2"][:, 1],
            "w1_decay": runs["decay"][:, 0],
            "w2_decay": runs["decay"][:, 1],
        }
    )


def toy_minimum(strength: float) -> np.ndarray:
    """Where the penalized toy loss ½Σaᵢ(wᵢ−tᵢ)² + λΣw² is smallest (closed form):
    wᵢ = aᵢtᵢ / (aᵢ + 2λ).

    >>> toy_minimum(0.0).tolist()
    [1.0, 1.0]
    """
    a, target = np.asarray(TOY_CURVATURE), np.asarray(TOY_TARGET)
    return a * target / (a + 2.0 * strength)


# ----------------------------------------------------------------------------
# Dropout
# ----------------------------------------------------------------------------


def dropout_demo(
    x: Sequence[float] = NOTES_VECTOR, *, rate: float = 0.4, seed: int = 0
) -> dict[str, Any]:
    """``keras.layers.Dropout(rate)`` on ``x`` in training and in inference mode.

    Keras uses *inverted* dropout: in training the kept entries are divided by
    1 − rate (so the expected value is unchanged) and at inference the layer
    does nothing. The source notes' "multiply by the rate at test time" is not
    what Keras computes.

    Returns:
        ``x``, ``mask`` (1 = kept, read off Keras' output), ``training``
        (Keras, ``training=True``), ``by_hand`` (x · mask / (1 − rate)),
        ``inference`` (Keras, ``training=False``), ``scale`` = 1 / (1 − rate).
    """
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"rate must be in [0, 1), got {rate!r}")
    values = np.asarray(x, np.float32)
    if values.ndim != 1 or values.size == 0 or not np.isfinite(values).all():
        raise ValueError("x must be a non-empty vector of finite numbers")
    layer = keras.layers.Dropout(rate, seed=seed)
    batch = values[None, :]
    trained = np.asarray(layer(batch, training=True))[0]
    inferred = np.asarray(layer(batch, training=False))[0]
    mask = (trained != 0).astype(np.float32)
    scale = 1.0 / (1.0 - rate)
    return {
        "x": values,
        "mask": mask,
        "training": trained,
        "by_hand": values * mask * np.float32(scale),
        "inference": inferred,
        "scale": float(scale),
        "rate": float(rate),
    }


def mc_dropout(
    model: Any, x: np.ndarray, *, samples: int = 30, seed: int = 0
) -> dict[str, np.ndarray]:
    """Monte-Carlo dropout: ``samples`` forward passes with ``training=True``.

    Returns:
        ``mean`` (n, classes) averaged probabilities, ``std`` (n,) the standard
        deviation of the probability of the mean prediction's class across
        passes, ``agreement`` (n,) the share of passes that predict that class.
    """
    keras.utils.set_random_seed(seed)  # dropout layers without their own seed
    passes = np.stack(
        [np.asarray(model(x, training=True)) for _ in range(int(samples))]
    )
    mean = passes.mean(axis=0)
    label = mean.argmax(axis=1)
    picked = passes[:, np.arange(len(x)), label]
    agreement = (passes.argmax(axis=2) == label[None, :]).mean(axis=0)
    return {"mean": mean, "std": picked.std(axis=0), "agreement": agreement}


# ----------------------------------------------------------------------------
# Batch normalization
# ----------------------------------------------------------------------------


def batchnorm_demo(
    x: np.ndarray,
    *,
    gamma: float = 1.0,
    beta: float = 0.0,
    momentum: float = 0.99,
    epsilon: float = 1e-3,
) -> dict[str, Any]:
    """One batch through ``keras.layers.BatchNormalization`` in both modes, and by hand.

    Training mode normalizes with the batch's own mean μ_B and (biased)
    variance σ²_B: (x − μ_B)/√(σ²_B + ε)·γ + β, and updates the moving averages
    m ← momentum·m + (1 − momentum)·μ_B (same for the variance). Inference
    uses the moving averages instead, so the same batch gives another output.

    Args:
        x: A batch ``(batch, channels)``.

    Returns:
        ``by_hand``, ``training`` (Keras), ``inference`` (Keras, after that one
        training call), ``batch_mean``, ``batch_var``, ``moving_mean``,
        ``moving_var`` (after the call), ``params`` and ``trainable`` (Keras'
        counts) for the channels.
    """
    x = np.asarray(x, np.float32)
    if x.ndim != 2 or len(x) < 2:
        raise ValueError("x must be a batch (batch ≥ 2, channels)")
    channels = x.shape[1]
    layer = keras.layers.BatchNormalization(
        momentum=momentum,
        epsilon=epsilon,
        gamma_initializer=keras.initializers.Constant(gamma),
        beta_initializer=keras.initializers.Constant(beta),
    )
    layer.build((None, channels))
    trained = np.asarray(layer(x, training=True))
    inferred = np.asarray(layer(x, training=False))
    mean = x.astype(np.float64).mean(axis=0)
    var = x.astype(np.float64).var(axis=0)  # biased, as Keras normalizes
    by_hand = (x - mean) / np.sqrt(var + epsilon) * gamma + beta
    return {
        "by_hand": by_hand,
        "training": trained,
        "inference": inferred,
        "batch_mean": mean,
        "batch_var": var,
        "moving_mean": np.asarray(layer.moving_mean),
        "moving_var": np.asarray(layer.moving_variance),
        "moving_by_hand": (
            momentum * 0.0 + (1 - momentum) * mean,
            momentum * 1.0 + (1 - momentum) * var,
        ),
        "params": int(layer.count_params()),
        "trainable": int(sum(np.prod(v.shape) for v in layer.trainable_weights)),
    }


# ----------------------------------------------------------------------------
# Early stopping, replayed with Keras' own callback
# ----------------------------------------------------------------------------


def early_stopping(
    history: pd.DataFrame, *, patience: int, monitor: str = "val_loss"
) -> dict[str, int | None]:
    """Where ``keras.callbacks.EarlyStopping(monitor, patience,
    restore_best_weights=True)`` would stop a run with this history.

    The callback itself is fed the logged epochs, so the rule is Keras'
    (including ``min_delta=0`` and its "not better" test).

    Returns:
        ``stop_epoch`` (1-based; ``None``: it would not stop) and ``best_epoch``
        (the weights it restores).
    """
    if patience < 1:
        raise ValueError(f"patience must be ≥ 1, got {patience!r}")

    class _Stub:
        stop_training = False

        def get_weights(self) -> list:
            return []

        def set_weights(self, weights: list) -> None:
            pass

    callback = keras.callbacks.EarlyStopping(
        monitor=monitor, patience=patience, restore_best_weights=True
    )
    stub = _Stub()
    callback._model = stub  # the callback only reads/writes these two methods
    callback.on_train_begin()
    stop = None
    for i, value in enumerate(history[monitor].to_numpy(), start=0):
        callback.on_epoch_end(i, {monitor: float(value)})
        if stub.stop_training:
            stop = i + 1
            break
    best = callback.best_epoch + 1 if np.isfinite(callback.best) else None
    return {"stop_epoch": stop, "best_epoch": best}


# ----------------------------------------------------------------------------
# Networks: the overfitting MLP and the deep plain / residual MLP
# ----------------------------------------------------------------------------


def build_regularized(
    *,
    width: int,
    depth: int,
    regularizer: str,
    strength: float,
    dropout: float,
    seed: int,
) -> Any:
    """An MLP 64 → depth × Dense(width, relu) → 10 with one regularizer.

    ``l1``/``l2``: ``kernel_regularizer`` on every hidden Dense; ``dropout``:
    a ``Dropout(rate)`` after every hidden layer; ``weight_decay`` lives in the
    optimizer (:func:`make_regularized_optimizer`).
    """
    if regularizer not in REGULARIZERS:
        raise ValueError(f"regularizer must be one of {list(REGULARIZERS)}")
    init = keras.initializers.GlorotUniform
    layers: list[Any] = [keras.Input((64,))]
    for i in range(depth):
        layers.append(
            keras.layers.Dense(
                width,
                activation="relu",
                kernel_initializer=init(seed=seed * 1009 + i),
                kernel_regularizer=keras_regularizer(regularizer, strength),
            )
        )
        if regularizer == "dropout":
            layers.append(keras.layers.Dropout(dropout, seed=seed * 1009 + 500 + i))
    layers.append(
        keras.layers.Dense(
            NUM_CLASSES,
            activation="softmax",
            kernel_initializer=init(seed=seed * 1009 + depth),
        )
    )
    return keras.Sequential(layers)


def make_regularized_optimizer(
    regularizer: str, learning_rate: float, strength: float
) -> Any:
    """Adam, or AdamW(weight_decay=λ) for ``weight_decay``."""
    if regularizer == "weight_decay":
        return keras.optimizers.AdamW(
            learning_rate=learning_rate, weight_decay=strength
        )
    return keras.optimizers.Adam(learning_rate=learning_rate)


def build_deep(
    depth: int, width: int, *, residual: bool, activation: str, seed: int
) -> Any:
    """A deep MLP on the digits: ``depth`` blocks F(x) = act(Wx + b).

    Plain: x ← F(x). Residual: x ← F(x) + x, and where the shapes differ (the
    first block, 64 → width) x ← F(x) + Px with a learned linear projection P
    (the MLP version of ResNet's 1×1 convolution).
    """
    if not (1 <= depth <= 100 and 2 <= width <= 512):
        raise ValueError("depth must be in [1, 100] and width in [2, 512]")
    init = keras.initializers.GlorotUniform
    inputs = keras.Input((64,))
    x = inputs
    for i in range(depth):
        f = keras.layers.Dense(
            width,
            activation=activation,
            kernel_initializer=init(seed=seed * 1009 + i),
            name=f"block_{i + 1}",
        )(x)
        if residual:
            skip = x
            if x.shape[-1] != width:
                skip = keras.layers.Dense(
                    width,
                    use_bias=False,
                    kernel_initializer=init(seed=seed * 1009 + 700 + i),
                    name=f"projection_{i + 1}",
                )(x)
            x = keras.layers.Add(name=f"add_{i + 1}")([f, skip])
        else:
            x = f
    outputs = keras.layers.Dense(
        NUM_CLASSES,
        activation="softmax",
        kernel_initializer=init(seed=seed * 1009 + depth),
        name="output",
    )(x)
    return keras.Model(inputs, outputs)


def block_gradients(model: Any, x: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """‖∂L/∂W‖ of every block's kernel (``block_<i>``), float32 as trained.

    Columns ``layer`` (1…depth) and ``grad_norm``: the table
    :func:`dlcore.figures.activations.gradient_flow_figure` draws.
    """
    kernels = [
        layer.kernel for layer in model.layers if layer.name.startswith("block_")
    ]
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    grads = tape.gradient(loss, kernels)
    norms = [float(np.linalg.norm(np.asarray(g, np.float64))) for g in grads]
    return pd.DataFrame({"layer": np.arange(1, len(norms) + 1), "grad_norm": norms})


# ----------------------------------------------------------------------------
# The workflow: evaluation protocols, metrics, preprocessing
# ----------------------------------------------------------------------------


def kfold_indices(n: int, k: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """K folds of a seeded permutation: ``[(train_idx, val_idx), …]``.

    Every sample is in exactly one validation fold.

    >>> folds = kfold_indices(10, 3, 0)
    >>> sorted(np.concatenate([v for _, v in folds]).tolist()) == list(range(10))
    True
    """
    if not 2 <= k <= n:
        raise ValueError(f"need 2 ≤ k ≤ n, got k={k!r}, n={n!r}")
    order = np.random.default_rng(seed).permutation(n)
    folds = np.array_split(order, k)
    return [
        (np.concatenate([f for j, f in enumerate(folds) if j != i]), folds[i])
        for i in range(k)
    ]


def ridge_classifier_accuracy(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    alpha: float = 1.0,
) -> float:
    """Accuracy of a one-hot least-squares (ridge) classifier: a closed-form model
    fast enough to be refitted hundreds of times on the page."""
    xa = np.hstack([x_train, np.ones((len(x_train), 1))]).astype(np.float64)
    onehot = np.eye(NUM_CLASSES)[y_train]
    w = np.linalg.solve(xa.T @ xa + alpha * np.eye(xa.shape[1]), xa.T @ onehot)
    xb = np.hstack([x_val, np.ones((len(x_val), 1))])
    return float(np.mean((xb @ w).argmax(axis=1) == y_val))


def evaluation_protocols(
    num_samples: int = 150, *, k: int = 5, repeats: int = 20, iterations: int = 3
) -> pd.DataFrame:
    """Hold-out vs K-fold vs iterated K-fold, each repeated with ``repeats`` seeds
    on the same ``num_samples`` digits: how much does the *estimate* vary?

    Returns:
        One row per (protocol, repeat): ``protocol``, ``repeat``, ``score``.
    """
    x, y, _, _ = digits_flat(0)
    x, y = x[:num_samples].astype(np.float64), y[:num_samples]
    rows = []
    for r in range(repeats):
        order = np.random.default_rng([r, 1]).permutation(num_samples)
        cut = num_samples - num_samples // k
        tr, va = order[:cut], order[cut:]
        rows.append(
            ("holdout", r, ridge_classifier_accuracy(x[tr], y[tr], x[va], y[va]))
        )
        for protocol, rounds in (("kfold", 1), ("iterated", iterations)):
            scores = [
                ridge_classifier_accuracy(x[tr], y[tr], x[va], y[va])
                for i in range(rounds)
                for tr, va in kfold_indices(num_samples, k, seed=r * 100 + i)
            ]
            rows.append((protocol, r, float(np.mean(scores))))
    return pd.DataFrame(rows, columns=["protocol", "repeat", "score"])


def imbalanced_scores(
    num_samples: int = 1000, positive_share: float = 0.05, *, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A rare-positive set: labels and a classifier's scores in (0, 1).

    Negatives' logits ~ N(−1, 1), positives' ~ N(1, 1); score = sigmoid(logit).
    """
    if not 0.0 < positive_share < 1.0:
        raise ValueError("positive_share must be in (0, 1)")
    rng = np.random.default_rng(seed)
    y = (rng.random(num_samples) < positive_share).astype(np.int32)
    logits = rng.normal(np.where(y == 1, 1.0, -1.0), 1.0)
    return y, (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)


def binary_metrics(y: np.ndarray, scores: np.ndarray, threshold: float) -> dict:
    """Confusion counts, accuracy, precision, recall, F1 at ``threshold``
    (predict 1 when score > threshold, as ``keras.metrics.Precision`` does)."""
    y = np.asarray(y).astype(bool)
    pred = np.asarray(scores) > threshold
    tp = int(np.sum(pred & y))
    fp = int(np.sum(pred & ~y))
    fn = int(np.sum(~pred & y))
    tn = int(np.sum(~pred & ~y))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "accuracy": (tp + tn) / len(y),
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def roc_curve(y: np.ndarray, scores: np.ndarray) -> pd.DataFrame:
    """False- and true-positive rates at every distinct score used as threshold,
    from (0, 0) to (1, 1)."""
    y = np.asarray(y).astype(bool)
    scores = np.asarray(scores, np.float64)
    thresholds = np.concatenate([[np.inf], np.unique(scores)[::-1], [-np.inf]])
    positives, negatives = max(int(y.sum()), 1), max(int((~y).sum()), 1)
    tpr = [(np.sum((scores >= t) & y)) / positives for t in thresholds]
    fpr = [(np.sum((scores >= t) & ~y)) / negatives for t in thresholds]
    return pd.DataFrame({"threshold": thresholds, "fpr": fpr, "tpr": tpr})


def auc(y: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve (trapezoids over every distinct threshold)."""
    roc = roc_curve(y, scores)
    return float(np.trapezoid(roc["tpr"], roc["fpr"]))


def standardize(
    x_train: np.ndarray, x_val: np.ndarray, *, fit_on: str = "train"
) -> dict[str, np.ndarray]:
    """(x − mean)/std with mean and std from the training split (``fit_on="train"``,
    as ``keras.layers.Normalization().adapt(x_train)``) or, leaking, from train
    and validation together (``"all"``). Missing values (NaN) are ignored by the
    statistics and then filled with the training mean (0 after scaling).
    """
    if fit_on not in ("train", "all"):
        raise ValueError(f"fit_on must be 'train' or 'all', got {fit_on!r}")
    source = x_train if fit_on == "train" else np.concatenate([x_train, x_val])
    mean = np.nanmean(source, axis=0)
    std = np.nanstd(source, axis=0)
    std = np.where(std > 0, std, 1.0)

    def scale(a: np.ndarray) -> np.ndarray:
        return np.nan_to_num((a - mean) / std, nan=0.0)

    return {"mean": mean, "std": std, "train": scale(x_train), "val": scale(x_val)}


def leakage_demo(num_train: int = 30, *, shift: float = 3.0, seed: int = 0) -> dict:
    """A feature whose validation part is shifted (new data drift): statistics
    from train only vs from everything. Leaking makes the validation data look
    centred (mean ≈ 0) and hides the drift the model will really meet."""
    rng = np.random.default_rng(seed)
    x_train = rng.normal(0.0, 1.0, (num_train, 1))
    x_val = rng.normal(shift, 1.0, (num_train, 1))
    honest = standardize(x_train, x_val, fit_on="train")
    leaky = standardize(x_train, x_val, fit_on="all")
    return {
        "x_train": x_train[:, 0],
        "x_val": x_val[:, 0],
        "honest_val_mean": float(honest["val"].mean()),
        "leaky_val_mean": float(leaky["val"].mean()),
        "honest_mean": float(honest["mean"][0]),
        "leaky_mean": float(leaky["mean"][0]),
    }
