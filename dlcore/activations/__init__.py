"""Activation functions (激活函数): every elementwise Keras activation, measured.

The notebook API of the topic, in the order a lesson meets it:

1. **The registry** :data:`ACTIVATIONS`: each elementwise function of
   ``keras.activations`` with its parameters (slider specs) and its formula in
   LaTeX. :func:`evaluate` returns ``f(x)`` computed *by Keras itself* and
   ``f'(x)`` computed by automatic differentiation (``tf.GradientTape``), so
   nothing here is a hand-written copy that could drift from Keras. At a kink
   (ReLU at 0, …) the derivative is whatever TensorFlow's autodiff picks.
2. **Properties** (:func:`properties`): range, zero-centredness,
   monotonicity, saturation and the largest slope, *measured* on a grid rather
   than typed in, plus numerical checks of identities (:func:`identity_table`).
3. **Softmax** with temperature, and why every library subtracts the maximum
   logit first (:func:`naive_softmax` overflows, :func:`stable_softmax` does not).
4. **Gradient flow** (梯度) through a deep MLP on the 8×8 digits at
   initialisation (:func:`gradient_flow`), and the training task
   :func:`train_gradient_lab` that shows what vanishing gradients do to learning.

Modules: :mod:`~dlcore.activations.core` (1–3), :mod:`~dlcore.activations.flow`
(4), :mod:`~dlcore.activations.tasks` (config, presets, training task) and
:mod:`~dlcore.activations.export` (the standalone Keras script).

``softmax``, ``log_softmax``, ``sparsemax`` and ``glu`` are not in the registry:
they mix the entries of a vector, so they have no scalar graph ``y = f(x)``.

Example:
    >>> y, dy = evaluate("sigmoid", [0.0])
    >>> float(y[0]), float(dy[0])
    (0.5, 0.25)
"""

from __future__ import annotations

from dlcore.activations.core import (
    ACTIVATIONS,
    GELU_CUBIC,
    GELU_SQRT_2_OVER_PI,
    KINK_EPS,
    MAX_LOGITS,
    PROPERTY_GRID,
    SATURATION_SLOPE,
    SELU_ALPHA,
    SELU_SCALE,
    TAIL,
    ActivationSpec,
    LogitsError,
    describe_set,
    evaluate,
    formula,
    formula_with_values,
    get_spec,
    identity_table,
    keras,
    keras_function,
    misconception_table,
    naive_softmax,
    parse_logits,
    properties,
    properties_table,
    softmax,
    softmax_overflow_table,
    softmax_overflow_verdict,
    stable_softmax,
    tf,
)
from dlcore.activations.export import code_gradient_lab
from dlcore.activations.flow import (
    BN_MOMENTUM,
    FLOAT32_TINY,
    FLOW_RATIO,
    INITIALIZERS,
    SATURATED_SLOPE,
    GradientProbe,
    activation_samples,
    build_mlp,
    float64_grad_norms,
    flow_summary,
    flow_verdict,
    gradient_flow,
    layer_seed,
    lost_layers,
    make_initializer,
    probe_gradient_flow,
    probe_model,
    true_norms,
)
from dlcore.activations.tasks import (
    DEPTHS,
    EPOCHS,
    LAB_PRESETS,
    LAB_TAB,
    LEARNING_RATES,
    OPTIMIZERS,
    PRESETS,
    SIGMAS,
    SMOKE,
    WIDTHS,
    GradientLabConfig,
    control_values,
    lab_preset,
    train_gradient_lab,
)
from dlcore.blocks import FLATTEN_CODE, ParamSpec, digits_flat, resolve_params

__all__ = [
    "ACTIVATIONS",
    "BN_MOMENTUM",
    "DEPTHS",
    "EPOCHS",
    "FLATTEN_CODE",
    "FLOAT32_TINY",
    "FLOW_RATIO",
    "GELU_CUBIC",
    "GELU_SQRT_2_OVER_PI",
    "INITIALIZERS",
    "KINK_EPS",
    "LAB_PRESETS",
    "LAB_TAB",
    "LEARNING_RATES",
    "MAX_LOGITS",
    "OPTIMIZERS",
    "PRESETS",
    "PROPERTY_GRID",
    "SATURATED_SLOPE",
    "SATURATION_SLOPE",
    "SELU_ALPHA",
    "SELU_SCALE",
    "SIGMAS",
    "SMOKE",
    "TAIL",
    "WIDTHS",
    "ActivationSpec",
    "GradientLabConfig",
    "GradientProbe",
    "LogitsError",
    "ParamSpec",
    "activation_samples",
    "build_mlp",
    "code_gradient_lab",
    "control_values",
    "describe_set",
    "digits_flat",
    "evaluate",
    "float64_grad_norms",
    "flow_summary",
    "flow_verdict",
    "formula",
    "formula_with_values",
    "get_spec",
    "gradient_flow",
    "identity_table",
    "keras",
    "keras_function",
    "lab_preset",
    "layer_seed",
    "lost_layers",
    "make_initializer",
    "misconception_table",
    "naive_softmax",
    "parse_logits",
    "probe_gradient_flow",
    "probe_model",
    "properties",
    "properties_table",
    "resolve_params",
    "softmax",
    "softmax_overflow_table",
    "softmax_overflow_verdict",
    "stable_softmax",
    "tf",
    "train_gradient_lab",
    "true_norms",
]
