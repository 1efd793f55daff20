"""Convolutional neural networks (卷积神经网络): the arithmetic, then real Keras
models. The public notebook API of the CNN page; every name is importable from
``dlcore.cnn`` whichever module defines it.

Five parts, in the order a lesson meets them:

1. **Convolution arithmetic** and the **step-through**
   (:mod:`dlcore.cnn.core`, pure NumPy): output sizes and padding exactly as
   Keras / TensorFlow compute them, kernel presets and custom-kernel
   validation, one output cell at a time (the receptive window, the
   element-wise products and their sum, or the max / mean).
2. **Models** (:mod:`dlcore.cnn.models`): a small CNN on the 8×8 digits and a
   Dense baseline of about the same parameter count.
3. **Training** (:mod:`dlcore.cnn.tasks`): :func:`train_cnn` and
   :func:`train_transfer` through :func:`dlcore.train.fit`, their configs and
   the teacher presets; :mod:`dlcore.cnn.export` writes the standalone scripts
   that reproduce them.
4. **Inside the trained network** (:mod:`dlcore.cnn.inside`): filters, feature
   maps (特征图), filter visualisation by gradient ascent, Grad-CAM and
   robustness to translation.
5. **Results** (:mod:`dlcore.cnn.results`, pure NumPy): confusion matrix,
   per-class metrics, transfer-learning subsets and summary.

>>> output_size(28, 5), CNNConfig().num_blocks
(24, 2)
"""

from dlcore.cnn.core import (
    CNN_POOLINGS,
    KERNEL_SIZES,
    KERNELS_3,
    KERNELS_5,
    MAX_KERNEL_WEIGHT,
    PADDINGS,
    POOL_MODES,
    KernelError,
    StepThrough,
    WindowStep,
    conv_steps,
    flip_kernel,
    kernel_names,
    kernel_preset,
    output_size,
    output_size_formula,
    padding_amounts,
    pool_steps,
    validate_kernel,
)
from dlcore.cnn.export import code_cnn, code_transfer
from dlcore.cnn.inside import (
    feature_maps,
    filter_visualization,
    first_layer_filters,
    grad_cam,
    tf,
    translation_curve,
)
from dlcore.cnn.models import (
    AUGMENTATIONS,
    DATASET_SHAPES,
    OPTIMIZERS,
    build_cnn,
    build_dense_baseline,
    dense_hidden_units,
    keras,
    layer_table,
    model_bytes,
    predict,
    rebuild_dense_baseline,
    rebuild_model,
)
from dlcore.cnn.results import (
    cell_indices,
    classes_text,
    confusion_matrix,
    most_confused_cell,
    per_class_metrics,
    selected_cell,
    shift_images,
    stratified_subset,
    transfer_summary,
)
from dlcore.cnn.tasks import (
    CNN_CONTROLS,
    PRESETS,
    SMOKE_TRANSFER,
    TRANSFER_CONTROLS,
    TRANSFER_STRATEGIES,
    CNNConfig,
    TransferConfig,
    control_values,
    train_cnn,
    train_transfer,
    transfer_control_values,
)

__all__ = [
    "AUGMENTATIONS",
    "CNN_CONTROLS",
    "CNN_POOLINGS",
    "DATASET_SHAPES",
    "KERNELS_3",
    "KERNELS_5",
    "KERNEL_SIZES",
    "MAX_KERNEL_WEIGHT",
    "OPTIMIZERS",
    "PADDINGS",
    "POOL_MODES",
    "PRESETS",
    "SMOKE_TRANSFER",
    "TRANSFER_CONTROLS",
    "TRANSFER_STRATEGIES",
    "CNNConfig",
    "KernelError",
    "StepThrough",
    "TransferConfig",
    "WindowStep",
    "build_cnn",
    "build_dense_baseline",
    "cell_indices",
    "classes_text",
    "code_cnn",
    "code_transfer",
    "confusion_matrix",
    "control_values",
    "conv_steps",
    "dense_hidden_units",
    "feature_maps",
    "filter_visualization",
    "first_layer_filters",
    "flip_kernel",
    "grad_cam",
    "keras",
    "kernel_names",
    "kernel_preset",
    "layer_table",
    "model_bytes",
    "most_confused_cell",
    "output_size",
    "output_size_formula",
    "padding_amounts",
    "per_class_metrics",
    "pool_steps",
    "predict",
    "rebuild_dense_baseline",
    "rebuild_model",
    "selected_cell",
    "shift_images",
    "stratified_subset",
    "tf",
    "train_cnn",
    "train_transfer",
    "transfer_control_values",
    "transfer_summary",
    "translation_curve",
    "validate_kernel",
]
