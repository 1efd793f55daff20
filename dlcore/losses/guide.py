"""Which loss for which task: the last layer, the loss and the ``compile`` call.

Example:
    >>> TASK_GUIDE["multiclass"]["loss"]
    'sparse_categorical_crossentropy'
"""

from __future__ import annotations

import pandas as pd

from dlcore.blocks import optimizer_code
from dlcore.i18n import t
from dlcore.losses.tasks import OUTPUT_UNITS

#: Task -> last layer, loss and a compile call. Task names and notes are
#: translated through the i18n keys ``loss.task.<task>`` / ``loss.task_note.<task>``.
TASK_GUIDE: dict[str, dict[str, str]] = {
    "binary": {
        "last_layer": 'Dense(1, activation="sigmoid")',
        "loss": "binary_crossentropy",
        "compile": 'model.compile(optimizer="adam", loss="binary_crossentropy", '
        'metrics=["accuracy"])',
    },
    "multiclass": {
        "last_layer": 'Dense(K, activation="softmax")',
        "loss": "sparse_categorical_crossentropy",
        "compile": 'model.compile(optimizer="adam", '
        'loss="sparse_categorical_crossentropy", metrics=["accuracy"])',
    },
    "multilabel": {
        "last_layer": 'Dense(K, activation="sigmoid")',
        "loss": "binary_crossentropy",
        "compile": 'model.compile(optimizer="adam", loss="binary_crossentropy", '
        'metrics=["binary_accuracy"])',
    },
    "regression": {
        "last_layer": "Dense(1)",
        "loss": "mse",
        "compile": 'model.compile(optimizer="adam", loss="mse", metrics=["mae"])',
    },
    "regression_unit": {
        "last_layer": 'Dense(1, activation="sigmoid")',
        "loss": "mse",
        "compile": 'model.compile(optimizer="adam", loss="mse", metrics=["mae"])',
    },
}


def task_guide(lang: str = "en") -> pd.DataFrame:
    """:data:`TASK_GUIDE` as a table with translated task names and notes."""
    rows = [
        {
            t("loss.guide.task", lang): t(f"loss.task.{task}", lang),
            t("loss.guide.last_layer", lang): row["last_layer"],
            t("loss.guide.loss", lang): row["loss"],
            t("loss.guide.compile", lang): row["compile"],
            t("loss.guide.note", lang): t(f"loss.task_note.{task}", lang),
        }
        for task, row in TASK_GUIDE.items()
    ]
    return pd.DataFrame(rows)


def task_snippet(task: str, lang: str = "en") -> str:
    """A small Keras model for ``task`` with its output layer and ``compile`` call.

    Example:
        >>> print(task_snippet("binary").splitlines()[3])
            keras.layers.Dense(1, activation="sigmoid"),
    """
    if task not in TASK_GUIDE:
        raise ValueError(f"Unknown task {task!r}; expected one of {list(TASK_GUIDE)}")
    row = TASK_GUIDE[task]
    comment = f"  # {t('loss.snippet.k', lang)}" if "K" in row["last_layer"] else ""
    return (
        "model = keras.Sequential([\n"
        "    keras.Input((num_features,)),\n"
        '    keras.layers.Dense(64, activation="relu"),\n'
        f"    keras.layers.{row['last_layer']},{comment}\n"
        "])\n" + row["compile"].replace(", metrics", ",\n              metrics")
    )


def pairing_snippet(
    task: str, activation: str, loss: str, learning_rate: float = 0.01
) -> str:
    """The last layer and ``compile`` call of one run of :func:`train_loss_pairing`.

    Example:
        >>> print(pairing_snippet("multiclass", "linear", "mse"))
        keras.layers.Dense(10)
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate=0.01),
            loss="mse",
        )
    """
    args = f'{OUTPUT_UNITS[task]}, activation="{activation}"'
    if activation == "linear":
        args = str(OUTPUT_UNITS[task])
    return (
        f"keras.layers.Dense({args})\nmodel.compile(\n"
        f"    optimizer={optimizer_code('adam', learning_rate)},\n"
        f'    loss="{loss}",\n)'
    )
