"""Strings of the activation-function topic (激活函数): figures, tables, lab."""

STRINGS: dict[str, tuple[str, str]] = {
    "act.title": ("Activation functions", "激活函数"),
    "act.intro": (
        "A neuron outputs f(w·x + b). The derivative f′ decides how much gradient "
        "flows back through it: where f′ is close to 0, the layers below stop "
        "learning.",
        "神经元输出 f(w·x + b)。导数 f′ 决定了有多少梯度能反向传回去：f′ 接近 0 "
        "的地方，下面的层就学不动了。",
    ),
    # function + derivative
    "act.fig.functions": (
        "Activation functions and their derivatives",
        "激活函数及其导数",
    ),
    "act.fig.function_only": ("Activation functions", "激活函数"),
    "act.axis.x": ("input x", "输入 x"),
    "act.axis.y": ("f(x), f′(x)", "f(x)、f′(x)"),
    "act.legend.function": ("{name}(x)", "{name}(x)"),
    "act.legend.derivative": ("{name}′(x)", "{name}′(x)"),
    "act.choose": ("Activations to compare (up to 4)", "要比较的激活函数（最多 4 个）"),
    "act.params": ("Parameters of {name}", "{name} 的参数"),
    "act.formula": ("Formula (as Keras computes it)", "公式（与 Keras 的计算一致）"),
    "act.kink_note": (
        "At a kink (e.g. ReLU at 0) the derivative is the value TensorFlow's "
        "automatic differentiation picks.",
        "在不可导的折点（例如 ReLU 在 0 处），导数取 TensorFlow 自动微分给出的值。",
    ),
    # properties
    "act.props.title": ("Properties, measured numerically", "性质（数值测得）"),
    "act.props.name": ("activation", "激活函数"),
    "act.props.range": ("range", "值域"),
    "act.props.zero_centred": ("zero-centred", "以零为中心"),
    "act.props.monotonic": ("monotonic", "单调"),
    "act.props.saturating": ("saturates", "饱和"),
    "act.props.max_grad": ("max |f′|", "最大 |f′|"),
    "act.props.max_grad_at": ("max |f′| at", "最大 |f′| 位置"),
    "act.props.zero_grad_at": ("f′ = 0 at", "f′ = 0 的位置"),
    "act.props.mean_output": ("mean output, x ~ N(0, 1)", "平均输出（x ~ N(0, 1)）"),
    "act.props.note": (
        "Measured on x ∈ [−10, 10] (step 0.0025) and at x = ±10¹²; zero-centred "
        "means the mean output for standard-normal inputs is within 0.05 of 0.",
        "在 x ∈ [−10, 10]（步长 0.0025）以及 x = ±10¹² 处测得；“以零为中心”指"
        "标准正态输入下的平均输出与 0 相差不超过 0.05。",
    ),
    "act.yes": ("yes", "是"),
    "act.no": ("no", "否"),
    "act.sat.both": ("both sides", "两侧"),
    "act.sat.left": ("left (x → −∞)", "左侧（x → −∞）"),
    "act.sat.right": ("right (x → +∞)", "右侧（x → +∞）"),
    "act.sat.none": ("no", "不饱和"),
    # identities
    "act.identities.title": ("Identities, checked numerically", "恒等式（数值验证）"),
    "act.identities.identity": ("identity", "恒等式"),
    "act.identities.max_abs_diff": ("max |difference|", "最大 |差值|"),
    "act.identities.holds": ("holds (to 1e−5)", "成立（误差 < 1e−5）"),
    # softmax
    "act.softmax.title": ("Softmax with temperature", "带温度的 softmax"),
    "act.softmax.class": ("class", "类别"),
    "act.softmax.probability": ("probability", "概率"),
    "act.softmax.temperature": ("T = {temperature:g}", "T = {temperature:g}"),
    "act.softmax.logits": ("Logits", "logits（未归一化的分数）"),
    "act.softmax.overflow_title": (
        "Why subtract the maximum logit?",
        "为什么要先减去最大的 logit？",
    ),
    "act.softmax.overflow_text": (
        "exp(z) overflows float32 above z ≈ 88.7: the naive formula returns "
        "inf / inf = nan. Subtracting max(z) first gives the same probabilities "
        "(softmax is shift invariant) and every exponent is ≤ 0.",
        "当 z 大于约 88.7 时，exp(z) 在 float32 中上溢：朴素公式得到 inf / inf = nan。"
        "先减去 max(z) 得到的概率完全相同（softmax 具有平移不变性），且所有指数都 ≤ 0。",
    ),
    "act.softmax.naive": ("naive", "朴素实现"),
    "act.softmax.stable": ("max subtracted", "减去最大值"),
    "act.softmax.keras": ("Keras", "Keras"),
    # gradient flow
    "act.flow.title": (
        "Gradient norm per layer at initialisation",
        "初始化时各层的梯度范数",
    ),
    "act.flow.layer": (
        "hidden layer (1 = nearest the input)",
        "隐藏层（1 = 最靠近输入）",
    ),
    "act.flow.grad_norm": ("‖∂L/∂W‖ (log scale)", "‖∂L/∂W‖（对数坐标）"),
    "act.flow.initial": ("before training", "训练前"),
    "act.flow.final": ("after training", "训练后"),
    "act.flow.zero_note": (
        "All gradients are exactly 0: with identical (zero) weights every unit "
        "computes the same thing and nothing can break the symmetry.",
        "所有梯度都恰好为 0：权重全相同（全为零）时，每个单元计算的都一样，"
        "对称性无法被打破。",
    ),
    "act.hist.title": ("Activations per layer", "各层激活值分布"),
    "act.hist.value": ("activation value", "激活值"),
    "act.hist.layer": ("layer", "层"),
    "act.hist.fraction": ("fraction", "占比"),
    "act.health.title": ("Dead and saturated units per layer", "各层“死亡”与饱和单元"),
    "act.health.dead": ("dead (f′ = 0 on every sample)", "死亡（所有样本上 f′ = 0）"),
    "act.health.saturated": (
        "saturated (0 < |f′| < 0.01 on most samples)",
        "饱和（多数样本上 0 < |f′| < 0.01）",
    ),
    "act.health.fraction": ("fraction of units", "单元占比"),
    # gradient lab controls
    "act.lab.title": (
        "Gradient lab: a deep MLP on the digits",
        "梯度实验：数字数据集上的深层多层感知机",
    ),
    "act.lab.activation": ("Activation", "激活函数"),
    "act.lab.depth": ("Hidden layers", "隐藏层数"),
    "act.lab.width": ("Units per layer", "每层单元数"),
    "act.lab.initializer": ("Weight initialisation", "权重初始化"),
    "act.lab.sigma": (
        "Standard deviation σ (random_normal)",
        "标准差 σ（random_normal）",
    ),
    "act.lab.batch_norm": ("Batch normalisation", "批量规范化"),
    "act.lab.learning_rate": ("Learning rate", "学习率"),
    "act.lab.optimizer": ("Optimizer", "优化器"),
    "act.lab.epochs": ("Epochs", "训练轮数"),
    "act.lab.batch_size": ("Batch size", "批量大小"),
    "act.lab.val_accuracy": ("Validation accuracy", "验证集准确率"),
    "act.lab.grad_ratio": (
        "Gradient ratio, first / last hidden layer",
        "梯度比（第一层 / 最后一层隐藏层）",
    ),
    "act.init.zeros": ("zeros", "全零"),
    "act.init.random_normal": ("random normal N(0, σ²)", "随机正态 N(0, σ²)"),
    "act.init.glorot_uniform": ("Glorot (Xavier) uniform", "Glorot（Xavier）均匀"),
    "act.init.he_normal": ("He normal", "He 正态"),
    "act.init.lecun_normal": ("LeCun normal", "LeCun 正态"),
}
