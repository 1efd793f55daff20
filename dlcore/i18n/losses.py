"""Strings of the loss-function topic (损失函数): figures, tables, labs."""

STRINGS: dict[str, tuple[str, str]] = {
    # navigation title and home-page blurb of this topic
    "nav.losses": ("Losses", "损失函数"),
    "home.about.losses": (
        "Mean squared error, cross-entropy, Huber and more: what each loss function "
        "punishes, how it handles outliers, and which loss goes with which task.",
        "均方误差、交叉熵、Huber 等损失函数：每种损失惩罚什么、如何对待离群点，以及"
        "什么任务该用什么损失。",
    ),
    "loss.title": ("Loss functions", "损失函数"),
    "loss.intro": (
        "The loss turns 'how wrong is the prediction' into one number; its "
        "derivative is the signal that training follows.",
        "损失函数把“预测错了多少”变成一个数；它的导数就是训练所追随的信号。",
    ),
    "loss.kind.regression": ("regression", "回归"),
    "loss.kind.binary": ("binary classification", "二分类"),
    "loss.kind.multiclass": ("multi-class classification", "多分类"),
    "loss.formula": ("Formula (as Keras computes it)", "公式（与 Keras 的计算一致）"),
    "loss.params": ("Parameters of {name}", "{name} 的参数"),
    # curves
    "loss.fig.curve": ("Loss for one sample", "单个样本的损失"),
    "loss.fig.derivative": ("Its derivative dL/dŷ", "损失的导数 dL/dŷ"),
    "loss.fig.curve_title": (
        "Loss and its derivative (target = {target:g})",
        "损失及其导数（目标 = {target:g}）",
    ),
    "loss.fig.same_curve": (
        "{name} (same curve as {other})",
        "{name}（与{other}曲线重合）",
    ),
    "loss.fig.same_loss": (
        "{name} (same loss as {other})",
        "{name}（损失与{other}重合）",
    ),
    "loss.fig.same_slope": (
        "{name} (same slope as {other})",
        "{name}（导数与{other}重合）",
    ),
    "loss.axis.loss": ("loss L", "损失 L"),
    "loss.axis.derivative": ("dL/dŷ", "dL/dŷ"),
    "loss.axis.real": ("prediction ŷ", "预测值 ŷ"),
    "loss.axis.probability": ("predicted probability p", "预测概率 p"),
    "loss.axis.logit": ("logit z", "logit z"),
    "loss.axis.rate": ("predicted rate λ", "预测速率 λ"),
    "loss.curve.target": ("Target y", "目标 y"),
    "loss.curve.multiclass_note": (
        "Multi-class losses are drawn over the output for one class "
        "(of {num_classes}), "
        "which is either the true class or a wrong one; the rest of the probability is "
        "spread evenly over the other classes (or their logits stay at 0).",
        "多分类损失沿某一个类别的输出绘制（共 {num_classes} 类），"
        "这个类别要么是真实类别，"
        "要么是错误类别；其余概率平均分给其他类别（若是 logits，其他类别保持为 0）。",
    ),
    "loss.curve.hinge_note": (
        "Keras' hinge losses turn 0/1 labels into −1/+1 first.",
        "Keras 的 hinge 损失会先把 0/1 标签转换成 −1/+1。",
    ),
    "loss.curve.clip_note": (
        "Keras clips probabilities to [1e−7, 1 − 1e−7]: beyond that the loss is "
        "flat and its derivative is 0.",
        "Keras 会把概率截断到 [1e−7, 1 − 1e−7]：超出这个范围损失变平，导数为 0。",
    ),
    # distributions
    "loss.dist.title": ("P (target) and Q (prediction)", "P（目标）与 Q（预测）"),
    "loss.dist.category": ("category", "类别"),
    "loss.dist.probability": ("probability", "概率"),
    "loss.dist.p": ("P (target)", "P（目标）"),
    "loss.dist.q": ("Q (prediction)", "Q（预测）"),
    "loss.dist.entropy_p": ("entropy H(P)", "熵 H(P)"),
    "loss.dist.entropy_q": ("entropy H(Q)", "熵 H(Q)"),
    "loss.dist.cross_entropy": ("cross-entropy H(P, Q)", "交叉熵 H(P, Q)"),
    "loss.dist.kl_pq": ("KL(P‖Q)", "KL(P‖Q)"),
    "loss.dist.kl_qp": ("KL(Q‖P)", "KL(Q‖P)"),
    "loss.dist.nats": ("{value:.4f} nats", "{value:.4f} 奈特"),
    "loss.dist.identity": (
        "H(P, Q) = H(P) + KL(P‖Q): {cross} = {entropy} + {kl}",
        "H(P, Q) = H(P) + KL(P‖Q)：{cross} = {entropy} + {kl}",
    ),
    "loss.dist.asymmetry": (
        "KL is never negative (KL ≥ 0, and = 0 only when P = Q), and it is not "
        "symmetric: KL(P‖Q) = {kl_pq} but KL(Q‖P) = {kl_qp}.",
        "KL 散度永远不会为负（KL ≥ 0，只有 P = Q 时才等于 0），而且它不对称："
        "KL(P‖Q) = {kl_pq}，而 KL(Q‖P) = {kl_qp}。",
    ),
    "loss.dist.support_mismatch": (
        "Q is 0 where P is not: the true KL(P‖Q) is infinite; Keras clips Q to 1e−7 "
        "and reports a finite value instead (here {kl_pq:.4g}).",
        "Q 在 P 不为 0 的地方为 0：真正的 KL(P‖Q) 是无穷大；Keras 把 Q 截断到 1e−7，"
        "给出的是一个有限值（这里是 {kl_pq:.4g}）。",
    ),
    # outlier lab
    "loss.outlier.title": (
        "One line, three losses, some outliers",
        "一条直线、三种损失、一些离群点",
    ),
    "loss.outlier.inliers": ("data", "数据"),
    "loss.outlier.outliers": ("outliers", "离群点"),
    "loss.outlier.true_line": ("true line y = 2x + 1", "真实直线 y = 2x + 1"),
    "loss.outlier.lstsq": ("least squares (closed form)", "最小二乘（闭式解）"),
    "loss.outlier.fit": (
        "{run} fit: y = {slope:.2f}x + {intercept:.2f}",
        "{run} 拟合：y = {slope:.2f}x + {intercept:.2f}",
    ),
    "loss.outlier.residuals": ("Residuals y − ŷ", "残差 y − ŷ"),
    "loss.outlier.residual": ("residual y − ŷ", "残差 y − ŷ"),
    "loss.outlier.count": ("count", "数量"),
    "loss.outlier.outlier_fraction": ("Fraction of outliers", "离群点比例"),
    "loss.outlier.outlier_size": ("Outlier offset", "离群偏移量"),
    "loss.outlier.noise": ("Noise", "噪声"),
    "loss.outlier.huber_delta": ("Huber δ", "Huber δ"),
    "loss.run.mse": ("MSE", "MSE（均方误差）"),
    "loss.run.mae": ("MAE", "MAE（平均绝对误差）"),
    "loss.run.huber": ("Huber", "Huber"),
    "loss.run.right": ("right pairing", "正确搭配"),
    "loss.run.wrong": ("wrong pairing", "错误搭配"),
    "loss.axis.x": ("x", "x"),
    "loss.axis.y": ("y", "y"),
    # which loss for which task
    "loss.guide.title": ("Which loss for which task", "什么任务用什么损失"),
    "loss.guide.task": ("task", "任务"),
    "loss.guide.last_layer": ("last layer", "最后一层"),
    "loss.guide.loss": ("loss", "损失函数"),
    "loss.guide.compile": ("compile call", "compile 调用"),
    "loss.guide.note": ("note", "说明"),
    "loss.task.binary": ("binary classification", "二分类"),
    "loss.task.multiclass": (
        "multi-class, one label per sample",
        "多分类（每个样本一个标签）",
    ),
    "loss.task.multilabel": (
        "multi-label (several yes/no labels)",
        "多标签（多个是/否标签）",
    ),
    "loss.task.regression": ("regression", "回归"),
    "loss.task.regression_unit": ("regression to [0, 1]", "取值在 [0, 1] 的回归"),
    "loss.task_note.binary": (
        "Or Dense(1) without activation and BinaryCrossentropy(from_logits=True), "
        "which is numerically safer.",
        "也可以用不带激活的 Dense(1) 配合 BinaryCrossentropy(from_logits=True)，"
        "数值上更稳定。",
    ),
    "loss.task_note.multiclass": (
        "Integer labels: sparse_categorical_crossentropy; one-hot labels: "
        "categorical_crossentropy. Without softmax, pass from_logits=True.",
        "整数标签用 sparse_categorical_crossentropy，"
        "独热标签用 categorical_crossentropy。"
        "若最后一层没有 softmax，要设置 from_logits=True。",
    ),
    "loss.task_note.multilabel": (
        "Each label is its own yes/no question: sigmoid per output, not softmax.",
        "每个标签都是一个独立的是/否问题：每个输出用 sigmoid，而不是 softmax。",
    ),
    "loss.task_note.regression": (
        "No activation, so any value can be predicted; Huber or MAE when there are "
        "outliers.",
        "不加激活，任何值都能预测；有离群点时用 Huber 或 MAE。",
    ),
    "loss.task_note.regression_unit": (
        "The sigmoid keeps predictions inside [0, 1]; binary_crossentropy also works "
        "with soft targets.",
        "sigmoid 把预测限制在 [0, 1] 内；对软目标也可以用 binary_crossentropy。",
    ),
    "loss.pair.title": ("Right vs wrong pairing", "正确与错误搭配"),
    "loss.pair.coincide": (
        "Identical loss curves ({which}): the wrong pairing's line lies exactly on "
        "top of the right pairing's, so the legend shows one entry for both and "
        "the covered line is drawn wide underneath. The loss cannot tell the two "
        "models apart; the accuracy above can.",
        "损失曲线完全相同（{which}）：错误搭配的线正好压在正确搭配的线上，所以图例把"
        "两者合并为一项，被盖住的线在下面画得更宽。损失分不出这两个模型，上面的准确率"
        "却可以。",
    ),
    "loss.pair.and": (" and ", "和"),
    "loss.pair.right": ("right: {activation} + {loss}", "正确：{activation} + {loss}"),
    "loss.pair.wrong": ("wrong: {activation} + {loss}", "错误：{activation} + {loss}"),
    "loss.pair.accuracy": ("validation accuracy", "验证集准确率"),
    "loss.pair.difference": (
        "Accuracy difference (right − wrong)",
        "准确率差（正确 − 错误）",
    ),
    "loss.pair.task": ("Task", "任务"),
    "loss.pair.wrong_choice": ("Wrong pairing", "错误搭配"),
    "loss.wrong.softmax_one_unit": (
        "softmax on a single output unit: it always outputs 1. In Keras 3 the loss "
        "still falls (binary_crossentropy quietly uses the logits), but every "
        "prediction is 'yes'.",
        "只有一个输出单元却用 softmax：输出永远是 1。在 Keras 3 中损失照样下降"
        "（binary_crossentropy 会悄悄使用 logits），但所有预测都是“是”。",
    ),
    "loss.wrong.no_sigmoid": (
        "no sigmoid, but binary_crossentropy expects probabilities: outputs outside "
        "[0, 1] are clipped and their gradient vanishes.",
        "没有 sigmoid，而 binary_crossentropy 期望概率：[0, 1] 以外的输出被截断，"
        "梯度消失。",
    ),
    "loss.wrong.sigmoid_mse": (
        "sigmoid with squared error: works, but the gradient is damped by σ′ ≤ 0.25 "
        "(or the output cannot reach the targets).",
        "sigmoid 配平方误差：能用，但梯度被 σ′ ≤ 0.25 削弱"
        "（或者输出根本够不到目标值）。",
    ),
    "loss.wrong.no_softmax": (
        "forgot the softmax (and from_logits=True): the raw outputs are clipped to "
        "[1e−7, 1] as if they were probabilities, so most gradients are 0.",
        "忘了 softmax（也没设 from_logits=True）：原始输出被当作概率截断到 [1e−7, 1]，"
        "大部分梯度为 0。",
    ),
    "loss.wrong.softmax_bce": (
        "softmax + binary_crossentropy on one-hot labels: the classic mistake. Keras 3 "
        "quietly computes it from the logits as ten sigmoid losses, so the argmax "
        "accuracy barely suffers — but the 'accuracy' Keras reports for this loss is "
        "binary accuracy, far too optimistic.",
        "softmax + binary_crossentropy 配独热标签：经典错误。Keras 3 会悄悄地从 logits "
        "按十个 sigmoid 损失来计算，所以按 argmax 的准确率几乎不受影响——但 Keras 为这个"
        "损失报告的“accuracy”其实是二元准确率，过于乐观。",
    ),
    "loss.wrong.softmax_cce": (
        "softmax for several yes/no labels: the outputs must sum to 1, so two labels "
        "can never both be 'yes'.",
        "多个是/否标签却用 softmax：输出之和必须为 1，两个标签不可能同时为“是”。",
    ),
    # --- the page -------------------------------------------------------------
    "loss.tab.curves": ("Loss curves", "损失曲线"),
    "loss.tab.dist": ("Entropy and KL", "熵与 KL 散度"),
    "loss.tab.outliers": ("Outlier lab", "离群点实验"),
    "loss.tab.guide": ("Which loss for which task", "什么任务用什么损失"),
    "loss.preset.none": ("(choose a preset)", "（选择一个预设）"),
    "loss.preset.robust": (
        "Curves: MSE vs MAE vs Huber vs log-cosh",
        "曲线：MSE、MAE、Huber 与 log-cosh",
    ),
    "loss.preset.focal": (
        "Curves: cross-entropy vs focal loss",
        "曲线：交叉熵与焦点损失",
    ),
    "loss.preset.margin": (
        "Curves: logistic vs hinge (on the score)",
        "曲线：逻辑损失与合页损失（按分数）",
    ),
    "loss.preset.smoothing": (
        "Curves: label smoothing 0.2",
        "曲线：标签平滑 0.2",
    ),
    "loss.preset.one_hot": (
        "KL: a one-hot label (cross-entropy = KL)",
        "KL：独热标签（交叉熵 = KL）",
    ),
    "loss.preset.asymmetric": ("KL: asymmetry", "KL：不对称性"),
    "loss.preset.no_outliers": ("Outlier lab: no outliers", "离群点实验：没有离群点"),
    "loss.preset.large_outliers": (
        "Outlier lab: 10% large outliers",
        "离群点实验：10% 的大离群点",
    ),
    "loss.preset.softmax_bce": (
        "Task: softmax + binary cross-entropy on 10 classes",
        "任务：10 个类别用 softmax + 二元交叉熵",
    ),
    # curve explorer
    "loss.curve.intro": (
        "Pick a target and watch how each loss punishes a prediction, and how steep "
        "it is there: the derivative dL/dŷ is what backpropagation sends back. Every "
        "point is computed by `keras.losses` itself.",
        "选定一个目标值，看看每种损失函数如何惩罚一个预测，以及那里有多陡：导数 dL/dŷ "
        "就是反向传播送回去的信号。每个点都由 `keras.losses` 亲自计算。",
    ),
    "loss.curve.family": ("Kind of task", "任务类型"),
    "loss.family.regression": ("regression", "回归"),
    "loss.family.binary": ("binary classes", "二分类"),
    "loss.family.multiclass": ("multi-class", "多分类"),
    "loss.family.counts": ("counts (Poisson)", "计数（泊松）"),
    "loss.curve.from_logits": ("Logits (from_logits)", "输入 logits"),
    "loss.curve.losses": ("Losses", "损失函数"),
    "loss.curve.num_classes": ("Number of classes K", "类别数 K"),
    "loss.curve.none": ("Choose at least one loss.", "请至少选择一个损失函数。"),
    "loss.label.binary.1": ("y = 1", "y = 1"),
    "loss.label.binary.0": ("y = 0", "y = 0"),
    "loss.label.multiclass.1": ("true class", "真实类别"),
    "loss.label.multiclass.0": ("wrong class", "错误类别"),
    "loss.param.delta": ("Huber δ", "Huber δ"),
    "loss.param.gamma": ("focusing parameter γ", "聚焦参数 γ"),
    "loss.param.alpha": ("class weight α", "类别权重 α"),
    "loss.param.apply_class_balancing": ("class balancing (α)", "类别平衡（α）"),
    "loss.param.label_smoothing": ("label smoothing s", "标签平滑 s"),
    "loss.name.mse": ("MSE", "均方误差 MSE"),
    "loss.name.mae": ("MAE", "平均绝对误差 MAE"),
    "loss.name.huber": ("Huber", "Huber 损失"),
    "loss.name.log_cosh": ("log-cosh", "log-cosh 损失"),
    "loss.name.mape": ("MAPE", "平均绝对百分比误差"),
    "loss.name.msle": ("MSLE", "均方对数误差"),
    "loss.name.poisson": ("Poisson", "泊松损失"),
    "loss.name.binary_crossentropy": ("binary cross-entropy", "二元交叉熵"),
    "loss.name.binary_focal_crossentropy": ("focal cross-entropy", "焦点交叉熵"),
    "loss.name.hinge": ("hinge", "合页损失"),
    "loss.name.squared_hinge": ("squared hinge", "平方合页损失"),
    "loss.name.categorical_crossentropy": ("categorical CE", "分类交叉熵"),
    "loss.name.sparse_categorical_crossentropy": (
        "sparse categorical CE",
        "稀疏分类交叉熵",
    ),
    "loss.name.categorical_hinge": ("categorical hinge", "分类合页损失"),
    "loss.name.kl_divergence": ("KL divergence", "KL 散度"),
    "loss.name.cosine_similarity": ("cosine similarity", "余弦相似度"),
    "loss.axis.score": ("logit / raw score z", "logit / 原始分数 z"),
    "loss.tex.balancing": ("class balancing", "类别平衡"),
    "loss.tex.otherwise": ("otherwise", "否则"),
    "loss.tex.labels_in": ("all labels in ", "所有标签都属于 "),
    "loss.tex.class_index": (" is the class index", " 是类别索引"),
    "loss.snippet.k": ("K = number of classes", "K = 类别数"),
    # distribution lab
    "loss.dist.intro": (
        "Edit the weights of P (the target) and Q (the prediction); each column is "
        "normalised to sum to 1. Cross-entropy H(P, Q) is the loss a classifier "
        "minimises; it is the entropy H(P) plus the KL divergence KL(P‖Q). "
        "Logarithms are natural (nats), as in Keras.",
        "编辑 P（目标）和 Q（预测）的权重；每一列都会被归一化，使其和为 1。交叉熵 "
        "H(P, Q) 就是分类器要最小化的损失；它等于熵 H(P) 加上 KL 散度 KL(P‖Q)。"
        "对数取自然对数（单位：奈特），与 Keras 相同。",
    ),
    "loss.dist.preset": ("Example", "示例"),
    "loss.dist.preset.one_hot": (
        "one-hot label vs softmax output",
        "独热标签与 softmax 输出",
    ),
    "loss.dist.preset.close": ("a close guess", "接近的猜测"),
    "loss.dist.preset.equal": ("P = Q", "P = Q"),
    "loss.dist.preset.asymmetric": ("broad P, narrow Q", "宽的 P、窄的 Q"),
    "loss.dist.preset.zero_in_q": (
        "Q says 0 where P does not",
        "Q 在 P 不为 0 处为 0",
    ),
    "loss.dist.editor_help": (
        "Type any non-negative weights (counts work too); add or delete rows for "
        "more or fewer categories.",
        "可以输入任意非负权重（计数也可以）；增删行可以改变类别数。",
    ),
    "loss.dist.error.size": (
        "{which} needs at least 2 categories.",
        "{which} 至少需要 2 个类别。",
    ),
    "loss.dist.error.not_finite": (
        "{which} has an empty or invalid cell: fill every cell with a number.",
        "{which} 有空白或无效的单元格：请在每个单元格中填入数字。",
    ),
    "loss.dist.error.negative": (
        "{which} has a negative weight: probabilities cannot be negative. Use 0 or "
        "more.",
        "{which} 中有负权重：概率不能为负。请使用 0 或正数。",
    ),
    "loss.dist.error.zeros": (
        "{which} is all zeros: it is not a distribution. Give at least one category "
        "a positive weight.",
        "{which} 全为 0：这不是一个分布。请至少给一个类别正的权重。",
    ),
    "loss.dist.error.mismatch": (
        "{which} must have the same number of categories.",
        "{which} 的类别数必须相同。",
    ),
    "loss.dist.keras": (
        "Keras agrees: `CategoricalCrossentropy()(P, Q)` = {cce:.4f} and "
        "`KLDivergence()(P, Q)` = {kl:.4f}.",
        "Keras 的结果一致：`CategoricalCrossentropy()(P, Q)` = {cce:.4f}，"
        "`KLDivergence()(P, Q)` = {kl:.4f}。",
    ),
    "loss.dist.support_mismatch_reverse": (
        "P is 0 where Q is not: the true KL(Q‖P) is infinite; with the 1e−7 "
        "clipping it is finite (here {kl_qp:.4g}).",
        "P 在 Q 不为 0 的地方为 0：真正的 KL(Q‖P) 是无穷大；按 1e−7 截断后是一个有限值"
        "（这里是 {kl_qp:.4g}）。",
    ),
    "loss.dist.zero_note": (
        "Zeros: a category with p = 0 adds 0·ln 0 = 0 to H(P) and to KL(P‖Q). Like "
        "Keras, the numbers here clip every probability to at least 1e−7.",
        "关于 0：p = 0 的类别对 H(P) 和 KL(P‖Q) 的贡献是 0·ln 0 = 0。与 Keras 一样，"
        "这里的数值把每个概率截断到不小于 1e−7。",
    ),
    "loss.dist.negative_note": (
        "Why a KL below 0 here: like Keras, every probability is first raised to at "
        "least 1e−7, so the clipped values add up to a little more than 1 and a KL "
        "that is really 0 or tiny can come out a hair negative (KL(P‖Q) = "
        "{kl_pq:.2g}, KL(Q‖P) = {kl_qp:.2g}). The exact KL is never negative.",
        "为什么这里的 KL 小于 0：与 Keras 一样，每个概率先被提高到不小于 1e−7，"
        "截断后的值加起来略大于 1，所以本来为 0 或极小的 KL 会略微变成负数"
        "（KL(P‖Q) = {kl_pq:.2g}，KL(Q‖P) = {kl_qp:.2g}）。精确的 KL 永远不会为负。",
    ),
    # outlier lab
    "loss.outlier.intro": (
        "A Keras `Dense(1)` line is fitted three times to the same points, with MSE, "
        "MAE and Huber loss. Add outliers and see which line they drag away.",
        "同一组数据点上用 Keras 的 `Dense(1)` 拟合三次直线，分别使用 MSE、MAE 和 Huber "
        "损失。加入离群点，看看哪条直线会被拉偏。",
    ),
    "loss.outlier.slope": ("slope", "斜率"),
    "loss.outlier.intercept": ("intercept", "截距"),
    "loss.outlier.note": (
        "MSE's gradient grows with the error, so a few far points pull the line; "
        "MAE's gradient is ±1 whatever the error, and Huber's is capped at δ. The "
        "MSE fit equals the closed-form least-squares line.",
        "MSE 的梯度随误差增大，所以少数远处的点就能把直线拉走；MAE 的梯度无论误差多大"
        "都是 ±1，Huber 的梯度最大为 δ。MSE 的拟合结果等于最小二乘的闭式解。",
    ),
    # which loss for which task
    "loss.guide.intro": (
        "The last layer and the loss go together: the activation makes the output "
        "mean what the loss expects (a probability, a distribution, any number).",
        "最后一层和损失函数要搭配：激活函数让输出具有损失函数所期望的含义（一个概率、"
        "一个分布，或任意实数）。",
    ),
    "loss.guide.pick": ("Pick a task", "选择一个任务"),
    "loss.guide.compare": (
        "Train it: a right pairing vs a classic wrong one (8×8 digits)",
        "训练对比：正确搭配与经典错误搭配（8×8 手写数字）",
    ),
    "loss.guide.no_training": (
        "No trained comparison for this task: pick binary, multi-class, multi-label "
        "or regression.",
        "这个任务没有训练对比：请选择二分类、多分类、多标签或回归。",
    ),
    "loss.pair.right_acc": ("right pairing", "正确搭配"),
    "loss.pair.wrong_acc": ("wrong pairing", "错误搭配"),
    "loss.pair.accuracy_note.binary": (
        "Task: is the digit even? Accuracy with the threshold 0.5, on the "
        "validation digits.",
        "任务：这个数字是偶数吗？以 0.5 为阈值，在验证集上计算准确率。",
    ),
    "loss.pair.accuracy_note.multiclass": (
        "Task: which digit (10 classes)? Accuracy of the largest output, on the "
        "validation digits.",
        "任务：是哪个数字（10 个类别）？按最大输出计算验证集准确率。",
    ),
    "loss.pair.accuracy_note.multilabel": (
        "Task: three yes/no labels per digit (even? ≥ 5? prime?). Accuracy is the "
        "mean over the three labels (threshold 0.5).",
        "任务：每个数字三个是/否标签（偶数？≥ 5？质数？）。准确率是三个标签的平均"
        "（阈值 0.5）。",
    ),
    "loss.pair.accuracy_note.regression": (
        "Task: predict the digit's value as a number; 'accuracy' = the prediction "
        "rounded to the nearest digit is right. A sigmoid output cannot go above 1.",
        "任务：把数字的值当作一个实数来预测；“准确率” = 预测值四舍五入后等于真实数字的"
        "比例。sigmoid 输出不可能超过 1。",
    ),
}
