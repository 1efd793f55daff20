"""Loss functions (损失函数): what Keras computes, curves, distributions, and pairings.

The notebook API of the topic; every name below is importable from
``dlcore.losses``. Five parts, in five modules:

1. **The registry** (:mod:`~dlcore.losses.core`) :data:`LOSSES`: regression
   and classification losses of ``keras.losses`` with their parameters
   (slider specs) and formulas that match what Keras *actually* computes,
   including its clipping ``ε = keras.backend.epsilon() = 1e-7`` and quirks
   such as hinge turning 0/1 labels into −1/+1. :func:`evaluate` calls the
   Keras loss object itself. Every function that takes probabilities
   rejects a row that does not sum to a positive value with the same
   ``ValueError`` (:func:`require_positive_rows`).
2. **Curves** (:func:`curve`, same module): the loss and its derivative with
   respect to the prediction (by autodiff), for one target.
3. **Distributions** (:mod:`~dlcore.losses.distributions`,
   :func:`distribution_stats`): entropy, cross-entropy and both KL
   divergences of two discrete distributions, in nats.
4. **Outliers** (:mod:`~dlcore.losses.tasks`, :func:`train_outlier_lab`):
   one line fitted with MSE, MAE and Huber to data with outliers.
5. **Which loss for which task** (:mod:`~dlcore.losses.guide`,
   :data:`TASK_GUIDE`; :func:`train_loss_pairing`): the right last layer and
   loss, and what a classic wrong pairing costs.

The training tasks' standalone Keras scripts are in :mod:`~dlcore.losses.export`
(:func:`code_outlier_lab`, :func:`code_loss_pairing`); the teacher presets
are :data:`PRESETS`.

Example:
    >>> round(evaluate("mse", [0.0, 1.0], [1.0, 1.0]), 6)
    0.5
"""

from dlcore.blocks import FLATTEN_CODE, ParamSpec, digits_flat, resolve_params
from dlcore.losses.core import (
    CURVE_FAMILIES,
    EPSILON,
    KINDS,
    LOSSES,
    CurveFamily,
    LossSpec,
    curve,
    curve_notes,
    curve_params,
    curve_x_range,
    evaluate,
    formula,
    formula_display,
    get_spec,
    keras,
    make_loss,
    names,
    prediction_kind,
    require_positive_rows,
    tf,
)
from dlcore.losses.distributions import (
    DIST_LATEX,
    DIST_PRESETS,
    DistributionError,
    distribution_notes,
    distribution_stats,
    distribution_table,
    keras_distribution_losses,
)
from dlcore.losses.export import code_loss_pairing, code_outlier_lab
from dlcore.losses.guide import TASK_GUIDE, pairing_snippet, task_guide, task_snippet
from dlcore.losses.tasks import (
    MULTILABEL_NAMES,
    OUTLIER_RUNS,
    OUTLIER_SLIDERS,
    OUTPUT_UNITS,
    PRESETS,
    RIGHT_PAIRINGS,
    TRUE_INTERCEPT,
    TRUE_SLOPE,
    WRONG_PAIRINGS,
    LossPairingConfig,
    OutlierLabConfig,
    coinciding_runs,
    fit_table,
    make_outlier_data,
    outlier_controls,
    pairing_accuracy,
    pairing_controls,
    pairing_summary,
    pairing_targets,
    train_loss_pairing,
    train_outlier_lab,
)

__all__ = [
    "CURVE_FAMILIES",
    "DIST_LATEX",
    "DIST_PRESETS",
    "EPSILON",
    "FLATTEN_CODE",
    "KINDS",
    "LOSSES",
    "MULTILABEL_NAMES",
    "OUTLIER_RUNS",
    "OUTLIER_SLIDERS",
    "OUTPUT_UNITS",
    "PRESETS",
    "RIGHT_PAIRINGS",
    "TASK_GUIDE",
    "TRUE_INTERCEPT",
    "TRUE_SLOPE",
    "WRONG_PAIRINGS",
    "CurveFamily",
    "DistributionError",
    "LossPairingConfig",
    "LossSpec",
    "OutlierLabConfig",
    "ParamSpec",
    "code_loss_pairing",
    "code_outlier_lab",
    "coinciding_runs",
    "curve",
    "curve_notes",
    "curve_params",
    "curve_x_range",
    "digits_flat",
    "distribution_notes",
    "distribution_stats",
    "distribution_table",
    "evaluate",
    "fit_table",
    "formula",
    "formula_display",
    "get_spec",
    "keras",
    "keras_distribution_losses",
    "make_loss",
    "make_outlier_data",
    "names",
    "outlier_controls",
    "pairing_accuracy",
    "pairing_controls",
    "pairing_snippet",
    "pairing_summary",
    "pairing_targets",
    "prediction_kind",
    "require_positive_rows",
    "resolve_params",
    "task_guide",
    "task_snippet",
    "tf",
    "train_loss_pairing",
    "train_outlier_lab",
]
