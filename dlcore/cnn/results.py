"""What a training run's numbers say: pure NumPy / pandas, no TensorFlow.

The confusion matrix (混淆矩阵) and per-class metrics of the test set, the
confusion-matrix cell a viewer clicked, shifted images for the translation
test, the stratified subsets and class relabelling of transfer learning, and
the one-line summary of its curves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

# ----------------------------------------------------------------------------
# Test-set results: confusion matrix and per-class metrics
# ----------------------------------------------------------------------------


def confusion_matrix(
    y_true: np.ndarray, y_pred: np.ndarray, num_classes: int
) -> np.ndarray:
    """Counts ``C[i, j]`` of examples of true class ``i`` predicted as ``j``.

    Example:
        >>> confusion_matrix(np.array([0, 1, 1]), np.array([0, 0, 1]), 2)
        array([[1, 0],
               [1, 1]])
    """
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return matrix


def per_class_metrics(
    matrix: np.ndarray, class_names: Sequence[str] | None = None
) -> pd.DataFrame:
    """Precision, recall, F1 and support of each class from a confusion matrix.

    ``precision = C[i, i] / Σ_k C[k, i]`` (of the images called ``i``, how many
    are ``i``), ``recall = C[i, i] / Σ_k C[i, k]`` (of the ``i``s, how many were
    found). An empty denominator gives 0.

    Example:
        >>> per_class_metrics(np.array([[1, 0], [1, 1]]))["precision"].tolist()
        [0.5, 1.0]
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    hits = np.diag(matrix)
    predicted, actual = matrix.sum(axis=0), matrix.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, hits / predicted, 0.0)
        recall = np.where(actual > 0, hits / actual, 0.0)
        f1 = np.where(
            precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0
        )
    names = (
        list(class_names)
        if class_names is not None
        else [str(i) for i in range(len(matrix))]
    )
    return pd.DataFrame(
        {
            "class": names,
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "support": actual.astype(int),
        }
    )


def most_confused_cell(matrix: np.ndarray) -> tuple[int, int]:
    """``(true, predicted)`` of the largest off-diagonal count (the worst mix-up).

    With no mistake at all, the cell of the most frequent class on the diagonal.

    Example:
        >>> most_confused_cell(np.array([[5, 1, 0], [0, 6, 3], [2, 0, 4]]))
        (1, 2)
        >>> most_confused_cell(np.diag([3, 7]))
        (1, 1)
    """
    matrix = np.asarray(matrix)
    off = matrix * (1 - np.eye(len(matrix), dtype=matrix.dtype))
    if off.max(initial=0) > 0:
        row, col = np.unravel_index(np.argmax(off), off.shape)
        return int(row), int(col)
    best = int(np.argmax(np.diag(matrix))) if len(matrix) else 0
    return best, best


def cell_indices(
    y_true: np.ndarray, y_pred: np.ndarray, true_class: int, predicted_class: int
) -> np.ndarray:
    """Indices of the examples in one confusion-matrix cell.

    Example:
        >>> cell_indices(np.array([3, 3, 8, 3]), np.array([8, 3, 8, 8]), 3, 8).tolist()
        [0, 3]
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    return np.flatnonzero((y_true == true_class) & (y_pred == predicted_class))


def selected_cell(
    points: Sequence[dict], class_names: Sequence[str]
) -> tuple[int, int] | None:
    """``(true, predicted)`` of the confusion-matrix cell a viewer clicked.

    Reads the first point of a Plotly selection event (``st.plotly_chart(...,
    on_select=...)``): its ``customdata`` ``[true, predicted]`` if present,
    else its ``y`` (true) and ``x`` (predicted) class names.

    Args:
        points: ``event.selection.points``.
        class_names: The class names on the axes.

    Returns:
        The cell, or ``None`` if nothing (usable) is selected.

    Example:
        >>> digits = [str(i) for i in range(10)]
        >>> selected_cell([{"x": "8", "y": "3", "z": 4}], digits)
        (3, 8)
        >>> selected_cell([{"customdata": [1, 2]}], ["a", "b", "c"])
        (1, 2)
        >>> selected_cell([], []) is None
        True
    """
    names = [str(c) for c in class_names]
    for point in points or ():
        custom = point.get("customdata")
        if isinstance(custom, list | tuple) and len(custom) == 2:
            cell = (int(custom[0]), int(custom[1]))
            if all(0 <= c < len(names) for c in cell):
                return cell
        x, y = str(point.get("x")), str(point.get("y"))
        if x in names and y in names:
            return names.index(y), names.index(x)
    return None


# ----------------------------------------------------------------------------
# Translation: shifted test images
# ----------------------------------------------------------------------------


def shift_images(x: np.ndarray, dx: int, dy: int = 0) -> np.ndarray:
    """Shift images right by ``dx`` and down by ``dy`` pixels, filling with zeros.

    Args:
        x: Images, ``(n, H, W, C)`` or ``(n, H, W)``.
        dx: Pixels to the right (negative: left).
        dy: Pixels down (negative: up).

    Example:
        >>> shift_images(np.arange(4.0).reshape(1, 1, 4), 1)[0, 0].tolist()
        [0.0, 0.0, 1.0, 2.0]
    """
    x = np.asarray(x)
    out = np.zeros_like(x)
    h, w = x.shape[1], x.shape[2]
    if abs(dx) >= w or abs(dy) >= h:
        return out
    src_rows = slice(max(0, -dy), h - max(0, dy))
    dst_rows = slice(max(0, dy), h - max(0, -dy))
    src_cols = slice(max(0, -dx), w - max(0, dx))
    dst_cols = slice(max(0, dx), w - max(0, -dx))
    out[:, dst_rows, dst_cols] = x[:, src_rows, src_cols]
    return out


# ----------------------------------------------------------------------------
# Transfer learning: class subsets and what the curves say
# ----------------------------------------------------------------------------


def transfer_summary(curves: Any) -> dict[str, Any]:
    """What the transfer-learning curves say, for an honest one-line lesson.

    Args:
        curves: ``artifacts["curves"]`` of :func:`train_transfer` (dict of
            lists or DataFrame: ``train_size``, ``strategy``, ``accuracy``).

    Returns:
        ``{"smallest": n, "best_small": strategy, "gain_small": accuracy of the
        best pretrained strategy minus from-scratch at ``n`` (may be
        negative), "largest": N, "best_large": strategy, "gain_large": ...}``;
        an empty dict when the curves lack a size or the scratch baseline.

    Example:
        >>> summary = transfer_summary({
        ...     "train_size": [20, 20, 300, 300],
        ...     "strategy": ["frozen", "scratch"] * 2,
        ...     "accuracy": [0.9, 0.8, 0.92, 0.96],
        ... })
        >>> best, gain = summary["best_small"], round(summary["gain_small"], 2)
        >>> best, gain, summary["best_large"]
        ('frozen', 0.1, 'scratch')
    """
    table = pd.DataFrame(curves)
    if table.empty or "scratch" not in set(table["strategy"]):
        return {}
    summary: dict[str, Any] = {}
    for label, size in (
        ("small", table["train_size"].min()),
        ("large", table["train_size"].max()),
    ):
        rows = table[table["train_size"] == size].set_index("strategy")["accuracy"]
        if "scratch" not in rows or len(rows) < 2:
            return {}
        pretrained = rows.drop("scratch")
        summary["smallest" if label == "small" else "largest"] = int(size)
        summary[f"best_{label}"] = str(rows.idxmax())
        summary[f"gain_{label}"] = float(pretrained.max() - rows["scratch"])
    return summary


def _select(x: np.ndarray, y: np.ndarray, classes: Sequence[int]) -> tuple:
    """Images of ``classes``, relabelled ``0..len(classes)-1``."""
    keep = np.isin(y, classes)
    lookup = {c: i for i, c in enumerate(classes)}
    return x[keep], np.array([lookup[int(v)] for v in y[keep]], dtype=np.int32)


def stratified_subset(y: np.ndarray, size: int, seed: int = 0) -> np.ndarray:
    """Indices of ``size`` examples with the classes as balanced as possible.

    Example:
        >>> y = np.array([0, 0, 0, 0, 1, 1, 1, 1])
        >>> np.bincount(y[stratified_subset(y, 4)]).tolist()
        [2, 2]
    """
    rng = np.random.default_rng(seed)
    classes = np.unique(y)
    pools = [rng.permutation(np.flatnonzero(y == c)) for c in classes]
    chosen: list[int] = []
    for rank in range(max(len(p) for p in pools)):
        for pool in pools:
            if rank < len(pool) and len(chosen) < size:
                chosen.append(int(pool[rank]))
    return np.sort(np.array(chosen, dtype=np.int64))


def classes_text(classes: Sequence[int]) -> str:
    """Digits as shown to the learner: a range ``"5–9"`` or a list ``"1, 3"``.

    Example:
        >>> classes_text((5, 6, 7, 8, 9)), classes_text((1, 3))
        ('5–9', '1, 3')
    """
    return (
        "–".join((str(min(classes)), str(max(classes))))
        if list(classes) == list(range(min(classes), max(classes) + 1))
        else ", ".join(map(str, classes))
    )
