"""Optimizers (优化器) on 2-D landscapes and on a real network: real Keras updates.

Every step shown by the Optimizers page is ``keras.optimizers.X.apply_gradients``
on a ``keras.Variable`` of shape (2,); nothing is re-implemented. The whole
loop (gradient tape, update, recording) runs inside one ``tf.function`` that is
traced once per optimizer configuration and kept in a small LRU cache, so
moving the learning-rate slider or the start point re-runs in milliseconds.

Next to each optimizer we keep its update rule twice: in LaTeX, written from
the Keras 3 source (``keras/src/optimizers/*.py``), and as a few lines of NumPy
(:func:`numpy_step`) that the tests check against the Keras trajectory.

>>> path = trajectory("sgd", "quadratic", (1.0, 1.0), 3, learning_rate=0.5)
>>> path.shape
(4, 2)
>>> path[1].tolist()  # θ − η∇f = (1, 1) − 0.5·(1, 10)
[0.5, -4.0]

Modules, in the order a lesson meets them:

- :mod:`~dlcore.optimizers.landscapes`: the 2-D test functions (TF ops).
- :mod:`~dlcore.optimizers.registry`: :data:`OPTIMIZERS` and :data:`SCHEDULES`
  (Keras classes, slider specs, formulas), clipping, suggested learning rates.
- :mod:`~dlcore.optimizers.core`: runs on landscapes (:func:`trajectory`,
  :func:`run`) and mini-batch SGD on a linear regression.
- :mod:`~dlcore.optimizers.reference`: the NumPy reference rules.
- :mod:`~dlcore.optimizers.theory`: momentum theory (Goh, 2017).
- :mod:`~dlcore.optimizers.tasks`: the race on a real network
  (:func:`train_race`, a training task) and the teacher presets.
- :mod:`~dlcore.optimizers.export`: the race as a standalone Keras script.
"""

from __future__ import annotations

from dlcore.optimizers import landscapes
from dlcore.optimizers.core import (
    DEFAULT_STEPS,
    DIVERGENCE_BOUND,
    MAX_RUNNERS,
    RegressionData,
    Trajectory,
    clear_compiled,
    distance_to_minima,
    keras,
    make_optimizer,
    minibatch_indices,
    minibatch_path,
    regression_data,
    regression_grid,
    regression_loss,
    run,
    tf,
    trajectory,
)
from dlcore.optimizers.export import code_race
from dlcore.optimizers.landscapes import HyperParam
from dlcore.optimizers.reference import (
    NUMPY_RULES,
    clip_gradient,
    numpy_adadelta,
    numpy_adagrad,
    numpy_adam,
    numpy_adamax,
    numpy_adamw,
    numpy_lion,
    numpy_nadam,
    numpy_rmsprop,
    numpy_sgd,
    numpy_step,
    numpy_trajectory,
)
from dlcore.optimizers.registry import (
    CLIPPING,
    CLIPPING_LATEX,
    NOTATION_LATEX,
    OPTIMIZERS,
    SCHEDULES,
    SUGGESTED_LEARNING_RATES,
    OptimizerSpec,
    ScheduleSpec,
    controls,
    get_spec,
    keras_call,
    label_key,
    make_schedule,
    schedule_latex,
    schedule_values,
    slider_options,
    snap,
    suggested_learning_rate,
    update_rule_latex,
)
from dlcore.optimizers.tasks import (
    MAX_OPTIMIZERS,
    PRESETS,
    RACE_BATCH_SIZES,
    RACE_DATASETS,
    RACE_EPOCHS,
    RACE_LEARNING_RATES,
    RaceConfig,
    build_race_model,
    explore_preset,
    landscape_controls,
    race_control_values,
    race_entries,
    race_optimizer_kwargs,
    start_keys,
    train_race,
)
from dlcore.optimizers.theory import (
    THEORY_LATEX,
    gd_optimal,
    heavy_ball_optimal,
    momentum_theory,
    observed_rate,
    optimal_runs,
)

__all__ = [
    "CLIPPING",
    "CLIPPING_LATEX",
    "DEFAULT_STEPS",
    "DIVERGENCE_BOUND",
    "MAX_OPTIMIZERS",
    "MAX_RUNNERS",
    "NOTATION_LATEX",
    "NUMPY_RULES",
    "OPTIMIZERS",
    "PRESETS",
    "RACE_BATCH_SIZES",
    "RACE_DATASETS",
    "RACE_EPOCHS",
    "RACE_LEARNING_RATES",
    "SCHEDULES",
    "SUGGESTED_LEARNING_RATES",
    "THEORY_LATEX",
    "HyperParam",
    "OptimizerSpec",
    "RaceConfig",
    "RegressionData",
    "ScheduleSpec",
    "Trajectory",
    "build_race_model",
    "clear_compiled",
    "clip_gradient",
    "code_race",
    "controls",
    "distance_to_minima",
    "explore_preset",
    "gd_optimal",
    "get_spec",
    "heavy_ball_optimal",
    "keras",
    "keras_call",
    "label_key",
    "landscape_controls",
    "landscapes",
    "make_optimizer",
    "make_schedule",
    "minibatch_indices",
    "minibatch_path",
    "momentum_theory",
    "numpy_adadelta",
    "numpy_adagrad",
    "numpy_adam",
    "numpy_adamax",
    "numpy_adamw",
    "numpy_lion",
    "numpy_nadam",
    "numpy_rmsprop",
    "numpy_sgd",
    "numpy_step",
    "numpy_trajectory",
    "observed_rate",
    "optimal_runs",
    "race_control_values",
    "race_entries",
    "race_optimizer_kwargs",
    "regression_data",
    "regression_grid",
    "regression_loss",
    "run",
    "schedule_latex",
    "schedule_values",
    "slider_options",
    "snap",
    "start_keys",
    "suggested_learning_rate",
    "tf",
    "train_race",
    "trajectory",
    "update_rule_latex",
]
