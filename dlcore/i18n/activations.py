"""Strings of the activation-function topic (激活函数): figures, tables, lab."""

STRINGS: dict[str, tuple[str, str]] = {
    # navigation title and home-page blurb of this topic
    "nav.activations": ("Activations", "激活函数"),
    "home.about.activations": (
        "ReLU, sigmoid, tanh, GELU and the rest of keras.activations: shapes, "
        "gradients, softmax, and why deep sigmoid networks stop learning (vanishing "
        "gradients).",
        "ReLU、sigmoid、tanh、GELU 等 keras.activations 中的激活函数："
        "形状、梯度、softmax，"
        "以及为什么深层 sigmoid 网络学不动（梯度消失）。",
    ),
    "act.title": ("Activation functions", "激活函数"),
    "act.intro": (
        "A neuron outputs f(w·x + b). The derivative f′ decides how much gradient "
        "flows back through it: where f′ is close to 0, the layers below stop "
        "learning.",
        "神经元输出 f(w·x + b)。导数 f′ 决定了有多少梯度能反向传回去：f′ 接近 0 "
        "的地方，下面的层就学不动了。",
    ),
    # function + derivative
    "act.fig.functions": ("Activations and their derivatives", "激活函数及其导数"),
    "act.fig.function_only": ("Activation functions", "激活函数"),
    "act.axis.x": ("input x", "输入 x"),
    "act.axis.y": ("f(x), f′(x)", "f(x)、f′(x)"),
    "act.legend.function": ("{name}(x)", "{name}(x)"),
    "act.legend.derivative": ("{name}′(x)", "{name}′(x)"),
    "act.choose": ("Activations to compare (up to 4)", "要比较的激活函数（最多 4 个）"),
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
    "act.softmax.overflow_title": (
        "Why subtract the maximum logit?",
        "为什么要先减去最大的 logit？",
    ),
    "act.softmax.overflow_text": (
        "exp(z) overflows float32 above z ≈ 88.7: the naive formula returns "
        "inf / inf = nan. Subtracting max(z) first gives the same probabilities "
        "(softmax is shift invariant) and every exponent is ≤ 0.",
        "当 z 大于约 88.7 时，exp(z) 在 float32 中上溢：朴素公式得到 inf / inf = nan。"
        "先减去 max(z) 得到的概率完全相同（softmax 具有平移不变性），"
        "且所有指数都 ≤ 0。",
    ),
    "act.softmax.naive": ("naive", "朴素实现"),
    "act.softmax.stable": ("max subtracted", "减去最大值"),
    "act.softmax.keras": ("Keras", "Keras"),
    # gradient flow
    "act.flow.title": ("Gradient norm at initialisation", "初始化时的梯度范数"),
    "act.flow.layer": (
        "hidden layer (1 = nearest the input)",
        "隐藏层（1 = 最靠近输入）",
    ),
    "act.flow.grad_norm": ("‖∂L/∂W‖ (log scale)", "‖∂L/∂W‖（对数坐标）"),
    "act.flow.initial": ("before training", "训练前"),
    "act.flow.final": ("after training", "训练后"),
    "act.flow.zero_note": (
        "Every gradient is exactly 0<br>(nothing to draw on a log scale)",
        "所有梯度都恰好为 0<br>（对数坐标上无法绘制）",
    ),
    "act.flow.float32": (
        "float32 (what Keras trains with)",
        "float32（Keras 训练所用）",
    ),
    "act.flow.float64": (
        "float64 (float32 gives 0 or ∞ there)",
        "float64（float32 在此为 0 或 ∞）",
    ),
    "act.flow.float64_named": ("{name}, float64", "{name}，float64"),
    "act.flow.overlap_note": (
        "The lines lie on top of each other<br>(they differ by at most {percent} %)",
        "两条线几乎完全重合<br>（相差不超过 {percent}%）",
    ),
    "act.flow.underflow_note": (
        "Layers {layers}: 0 in float32<br>(underflow below ~{tiny})<br>"
        "dotted: the same gradient in float64",
        "第 {layers} 层：float32 中为 0<br>（低于约 {tiny}，下溢）<br>"
        "虚线：同一梯度的 float64 值",
    ),
    "act.flow.underflow_note.one": (
        "Layer {layers}: 0 in float32<br>(underflow below ~{tiny})<br>"
        "dotted: the same gradient in float64",
        "第 {layers} 层：float32 中为 0<br>（低于约 {tiny}，下溢）<br>"
        "虚线：同一梯度的 float64 值",
    ),
    "act.flow.overflow_note": (
        "Layers {layers}: ∞/NaN in float32<br>(overflow); dotted: float64",
        "第 {layers} 层：float32 中为 ∞/NaN<br>（上溢）；虚线：float64",
    ),
    "act.flow.overflow_note.one": (
        "Layer {layers}: ∞/NaN in float32<br>(overflow); dotted: float64",
        "第 {layers} 层：float32 中为 ∞/NaN<br>（上溢）；虚线：float64",
    ),
    "act.flow.nonfinite_note": (
        "Layers {layers}: ∞/NaN (overflow)",
        "第 {layers} 层：∞/NaN（上溢）",
    ),
    "act.flow.nonfinite_note.one": (
        "Layer {layers}: ∞/NaN (overflow)",
        "第 {layers} 层：∞/NaN（上溢）",
    ),
    "act.flow.exact_zero": ("exactly 0 (float64 too)", "恰好为 0（float64 也是）"),
    "act.flow.zero_layers_note": (
        "×: exactly 0, drawn at the bottom<br>(no gradient reaches that layer)",
        "×：恰好为 0，画在底部<br>（没有梯度传到该层）",
    ),
    "act.hist.title": ("Activations per layer", "各层激活值分布"),
    "act.hist.value": ("activation value", "激活值"),
    "act.hist.layer": ("layer", "层"),
    "act.hist.fraction": ("fraction", "占比"),
    "act.health.title": ("Dead and saturated units", "“死亡”与饱和单元"),
    "act.health.dead": ("dead (f′ = 0 on every sample)", "死亡（所有样本上 f′ = 0）"),
    "act.health.saturated": (
        "saturated (|f′| < 0.01 but f ≠ 0<br>on most samples)",
        "饱和（多数样本上 |f′| < 0.01 且 f ≠ 0）",
    ),
    "act.health.dead_none": ("dead: 0 % in every layer", "死亡：每层都是 0%"),
    "act.health.saturated_none": (
        "saturated: 0 % in every layer",
        "饱和：每层都是 0%",
    ),
    "act.health.none": (
        "No dead or saturated unit<br>in any layer: every bar is 0 %",
        "各层都没有“死亡”<br>或饱和的单元：所有柱高都是 0%",
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
        "标准差 σ（随机正态初始化）",
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
    # page: tabs
    "act.tab.functions": ("Functions & derivatives", "函数与导数"),
    "act.tab.softmax": ("Softmax", "softmax 函数"),
    "act.tab.lab": ("Vanishing & exploding gradients", "梯度消失与梯度爆炸"),
    # page: why a URL value was ignored (the reason in a notice)
    # page: functions tab
    "act.x_range": ("Range of x", "x 的范围"),
    "act.show_derivative": ("Show f′ (dashed)", "显示导数 f′（虚线）"),
    "act.param": ("{name}: {param}", "{name}：{param}"),
    "act.param.negative_slope": ("negative slope α", "负半轴斜率 α"),
    "act.param.alpha": ("α", "α"),
    "act.param.approximate": ("tanh approximation", "tanh 近似"),
    "act.param.b": ("b", "b"),
    "act.param.threshold": ("threshold", "阈值"),
    "act.param.default_value": ("value below the threshold v", "阈值以下的取值 v"),
    "act.choose_one": (
        "Choose at least one activation function to plot.",
        "请至少选择一个激活函数来绘图。",
    ),
    "act.x_range_small": (
        "The range of x is too narrow; showing an interval of width 1 instead.",
        "x 的范围太窄，改为显示宽度为 1 的区间。",
    ),
    "act.identities.intro": (
        "Left side: what Keras computes; right side: the formula. The first rows "
        "are true identities (difference at float32 rounding level); the last "
        "rows are common mistakes, and the numbers show they are wrong.",
        "左边是 Keras 的计算结果，右边是公式。前几行是真正的恒等式（差值只在 float32 "
        "舍入误差的量级）；最后几行是常见错误，数值表明它们不成立。",
    ),
    "act.identities.verdict": ("verdict", "结论"),
    "act.identities.true": ("✓ true", "✓ 成立"),
    "act.identities.false": ("✗ wrong", "✗ 错误"),
    # page: softmax tab
    "act.softmax.examples": ("Examples", "示例"),
    "act.softmax.example.basic": ("typical", "普通"),
    "act.softmax.example.large": ("huge", "特别大"),
    "act.softmax.example.negative": ("very negative", "特别小（负）"),
    "act.softmax.logits": (
        "Logits z (numbers separated by commas)",
        "logits z（用逗号分隔的数）",
    ),
    "act.softmax.logits_help": (
        "Between 2 and {max} numbers, e.g. 2, 1, 0.1",
        "2 到 {max} 个数，例如 2, 1, 0.1",
    ),
    "act.softmax.logit": ("logit z / T", "logit z / T"),
    "act.softmax.temperature_label": ("Temperature T", "温度 T"),
    "act.softmax.shift": (
        "Add a constant c to every logit",
        "给每个 logit 加上常数 c",
    ),
    "act.softmax.note": (
        "Adding c to every logit changes nothing (shift invariance); a high "
        "temperature flattens the distribution towards 1/K, a low one sharpens it. "
        "The probabilities always sum to 1.",
        "给每个 logit 加上同一个 c，结果不变（平移不变性）；"
        "温度越高分布越平，趋向 1/K，"
        "温度越低分布越尖锐。概率之和总是 1。",
    ),
    "act.softmax.bad.count": (
        "Enter between 2 and {max} numbers separated by commas.",
        "请输入 2 到 {max} 个用逗号分隔的数。",
    ),
    "act.softmax.bad.number": (
        "“{token}” is not a number. Enter numbers separated by commas, e.g. 2, 1, 0.1.",
        "“{token}”不是数字。请输入用逗号分隔的数，例如 2, 1, 0.1。",
    ),
    "act.softmax.bad.finite": (
        "“{token}” is not a finite float32 number (NaN, ∞ or beyond ±3.4·10³⁸).",
        "“{token}”不是有限的 float32 数（NaN、∞ 或超出 ±3.4·10³⁸）。",
    ),
    "act.softmax.overflowed": (
        "The naive formula breaks: with |z| up to {z:g}, exp(z) overflows to ∞ "
        "(or every exp(z) underflows to 0), and ∞/∞ or 0/0 is NaN. The "
        "max-subtracted version and Keras are fine.",
        "朴素公式失效了：|z| 最大为 {z:g}，exp(z) 上溢为 ∞"
        "（或所有 exp(z) 都下溢为 0），"
        "∞/∞ 或 0/0 得到 NaN。减去最大值的版本和 Keras 都正常。",
    ),
    "act.softmax.scaled_overflow": (
        "Nothing can help here: z / T already overflows float32 (|z / T| beyond "
        "3.4·10³⁸) before any softmax runs, so the naive formula, the "
        "max-subtracted version and Keras all give NaN. Use smaller logits or a "
        "higher temperature.",
        "这里什么方法都无济于事：在计算任何 softmax 之前，z / T 就已经超出 float32 "
        "的范围（|z / T| 超过 3.4·10³⁸），所以朴素公式、减去最大值的版本和 Keras "
        "都得到 NaN。请使用更小的 logits 或更高的温度。",
    ),
    "act.softmax.all_overflow": (
        "Even the max-subtracted version and Keras return a non-finite value for "
        "these logits (the table shows which).",
        "对于这些 logits，即使减去最大值的版本和 Keras 也得到了非有限值（见下表）。",
    ),
    "act.softmax.no_overflow": (
        "No overflow here: all three agree. Try the huge logits, or add c = 100.",
        "这里没有溢出：三种算法结果一致。试试很大的 logits，或者加上 c = 100。",
    ),
    # page: gradient lab
    "act.lab.intro": (
        "Glorot & Bengio (2010): in a deep network the gradient is a product of one "
        "factor per layer, W and f′(z). If these factors are mostly below 1 the "
        "gradient vanishes on the way back to the first layers; above 1 it explodes. "
        "First look at the network at initialisation, then train it.",
        "Glorot 和 Bengio（2010）：在深层网络中，梯度是每层一个因子（W 与 f′(z)）"
        "的连乘。如果这些因子大多小于 1，梯度在传回前几层的途中就消失了；"
        "大于 1 则会爆炸。"
        "先看初始化时的网络，再训练它。",
    ),
    # teacher presets (sidebar)
    "act.preset.none": ("(your own settings)", "（自定义设置）"),
    "act.preset.vanishing": (
        "sigmoid, 20 layers, N(0, 1) weights: vanishing",
        "sigmoid，20 层，N(0, 1) 权重：梯度消失",
    ),
    "act.preset.glorot": (
        "tanh, 20 layers, Glorot init: Glorot & Bengio's fix",
        "tanh，20 层，Glorot 初始化：Glorot 与 Bengio 的方案",
    ),
    "act.preset.healthy": ("ReLU + He init: healthy", "ReLU + He 初始化：健康"),
    "act.preset.symmetry": (
        "zero init: symmetry, nothing learns",
        "全零初始化：对称性，学不动",
    ),
    "act.preset.exploding": (
        "tanh, 20 layers, N(0, 2²) weights: exploding and saturating",
        "tanh，20 层，N(0, 2²) 权重：梯度爆炸且饱和",
    ),
    "act.preset.batch_norm": (
        "the vanishing sigmoid net + batch normalisation: rescued",
        "梯度消失的 sigmoid 网络 + 批量规范化：得救",
    ),
    "act.opt.sgd": ("SGD", "随机梯度下降"),
    "act.opt.adam": ("Adam", "Adam"),
    "act.lab.at_init": (
        "1. At initialisation (no training yet)",
        "1. 初始化时（尚未训练）",
    ),
    "act.lab.no_gradient": ("no gradient (0)", "无梯度（0）"),
    "act.lab.init_loss": ("Loss at initialisation", "初始损失"),
    "act.lab.dead": ("Dead units (mean over layers)", "死亡单元（各层平均）"),
    "act.lab.saturated": ("Saturated units (mean over layers)", "饱和单元（各层平均）"),
    "act.lab.verdict.healthy": (
        "**Healthy:** the first hidden layer gets a gradient within 30× of the "
        "last one's, so every layer can learn. Expect this network to train.",
        "**健康：** 第一隐藏层得到的梯度与最后一层相差不到 30 倍，每一层都能学习。"
        "预计这个网络能训练起来。",
    ),
    "act.lab.verdict.vanishing": (
        "**Vanishing gradient:** the first hidden layer gets more than 30× less "
        "gradient than the last one. The first layers will hardly move; expect "
        "slow or no learning.",
        "**梯度消失：** 第一隐藏层得到的梯度比最后一层小 30 倍以上。"
        "前几层几乎不会更新，"
        "预计学得很慢甚至学不动。",
    ),
    "act.lab.verdict.exploding": (
        "**Exploding gradient:** the first hidden layer gets more than 30× more "
        "gradient than the last one. Updates are huge and units saturate; expect "
        "unstable or no learning.",
        "**梯度爆炸：** 第一隐藏层得到的梯度比最后一层大 30 倍以上。"
        "更新步长过大、单元饱和，"
        "预计训练不稳定甚至学不动。",
    ),
    "act.lab.verdict.zero": (
        "**No gradient at all:** with all-zero weights every hidden unit computes "
        "the same thing and every hidden gradient is exactly 0 (symmetry). Only "
        "the output bias can learn.",
        "**完全没有梯度：** 权重全为零时，每个隐藏单元的计算都一样，所有隐藏层的梯度都"
        "恰好为 0（对称性）。只有输出层的偏置能学习。",
    ),
    "act.lab.training": (
        "2. Training: does the gradient picture predict the outcome?",
        "2. 训练：梯度的情况能预测结果吗？",
    ),
    "act.lab.chance": (
        "Guessing gives 10% (10 digit classes).",
        "随机猜测的准确率是 10%（10 个数字类别）。",
    ),
    "act.lab.val_loss": ("Validation loss", "验证集损失"),
    "act.lab.runs": (
        "Your settings so far: gradient ratio at initialisation vs. accuracy",
        "你试过的设置：初始化时的梯度比与准确率",
    ),
    "act.lab.setting": ("setting", "设置"),
    "act.lab.label.sigma": (", σ = {sigma:g}", "，σ = {sigma:g}"),
    "act.lab.label.epochs": ("{count} epochs", "{count} 轮"),
    "act.lab.label.epochs.one": ("{count} epoch", "{count} 轮"),
    "act.lab.label.seed": ("seed {seed}", "种子 {seed}"),
    "act.flow.before_after": (
        "Gradients before and after training",
        "训练前后各层的梯度范数",
    ),
    "act.lab.ratio_tagged": ("{value} ({tag})", "{value}（{tag}）"),
    "act.lab.tag.float64": ("float64", "float64"),
    "act.lab.tag.overflow": ("float32 overflow", "float32 上溢"),
    "act.lab.ratio_note.float64": (
        "The gradient ratio above is the float64 value: in float32 the first "
        "layer's gradient is exactly 0, so the ratio would read 0.",
        "上面的梯度比是 float64 下的值：在 float32 中第一层的梯度恰好为 0，"
        "梯度比会显示为 0。",
    ),
    "act.lab.ratio_note.overflow": (
        "No gradient ratio: float32 overflows, the gradients are ∞ or NaN.",
        "没有梯度比：float32 上溢，梯度为 ∞ 或 NaN。",
    ),
    "act.lab.underflow_caption": (
        "Layers {layers}: ∂L/∂W is exactly 0 in float32. On the way back the "
        "gradient fell below about {tiny}, the smallest normal float32 number, and "
        "was flushed to 0 (underflow), so training in float32 does not move these "
        "layers at all. The ratio and the dotted line use the same gradients "
        "computed in float64.",
        "第 {layers} 层：∂L/∂W 在 float32 中恰好为 0。梯度在反向传播途中降到约 {tiny}"
        "（float32 最小的正规数）以下，被置为 0（下溢），"
        "所以用 float32 训练时这些层完全不会更新。"
        "梯度比和虚线使用的是同一梯度在 float64 下的计算结果。",
    ),
    "act.lab.underflow_caption.one": (
        "Layer {layers}: ∂L/∂W is exactly 0 in float32. On the way back the "
        "gradient fell below about {tiny}, the smallest normal float32 number, and "
        "was flushed to 0 (underflow), so training in float32 does not move this "
        "layer at all. The ratio and the dotted line use the same gradient "
        "computed in float64.",
        "第 {layers} 层：∂L/∂W 在 float32 中恰好为 0。梯度在反向传播途中降到约 {tiny}"
        "（float32 最小的正规数）以下，被置为 0（下溢），"
        "所以用 float32 训练时这一层完全不会更新。"
        "梯度比和虚线使用的是同一梯度在 float64 下的计算结果。",
    ),
    "act.lab.overflow_caption": (
        "Layers {layers}: ∂L/∂W is ∞ or NaN in float32 (overflow): training in "
        "float32 breaks down. The dotted line shows the same gradients computed in "
        "float64.",
        "第 {layers} 层：∂L/∂W 在 float32 中为 ∞ 或 NaN（上溢），"
        "用 float32 训练会崩溃。虚线是同一梯度在 float64 下的计算结果。",
    ),
    "act.lab.overflow_caption.one": (
        "Layer {layers}: ∂L/∂W is ∞ or NaN in float32 (overflow): training in "
        "float32 breaks down. The dotted line shows the same gradient computed in "
        "float64.",
        "第 {layers} 层：∂L/∂W 在 float32 中为 ∞ 或 NaN（上溢），"
        "用 float32 训练会崩溃。虚线是同一梯度在 float64 下的计算结果。",
    ),
}
