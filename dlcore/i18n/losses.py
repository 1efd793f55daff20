"""Strings of the loss-function topic (损失函数): figures, tables, labs."""

STRINGS: dict[str, tuple[str, str]] = {
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
    "loss.axis.loss": ("loss L", "损失 L"),
    "loss.axis.derivative": ("dL/dŷ", "dL/dŷ"),
    "loss.axis.real": ("prediction ŷ", "预测值 ŷ"),
    "loss.axis.probability": ("predicted probability p", "预测概率 p"),
    "loss.axis.logit": ("logit z", "logit z"),
    "loss.axis.rate": ("predicted rate λ", "预测速率 λ"),
    "loss.curve.target": ("Target y", "目标 y"),
    "loss.curve.multiclass_note": (
        "Multi-class losses are drawn over the output for one class (of {num_classes}); "
        "the rest of the probability is spread evenly over the other classes (or their "
        "logits stay at 0).",
        "多分类损失沿某一个类别的输出绘制（共 {num_classes} 类）；其余概率平均分给其他类别"
        "（若是 logits，其他类别保持为 0）。",
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
    "loss.dist.title": (
        "Two distributions P (target) and Q (prediction)",
        "两个分布 P（目标）与 Q（预测）",
    ),
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
        "H(P, Q) = H(P) + KL(P‖Q): {cross:.4f} = {entropy:.4f} + {kl:.4f}",
        "H(P, Q) = H(P) + KL(P‖Q)：{cross:.4f} = {entropy:.4f} + {kl:.4f}",
    ),
    "loss.dist.asymmetry": (
        "KL is not symmetric: KL(P‖Q) = {kl_pq:.4f} but KL(Q‖P) = {kl_qp:.4f}.",
        "KL 散度不对称：KL(P‖Q) = {kl_pq:.4f}，而 KL(Q‖P) = {kl_qp:.4f}。",
    ),
    "loss.dist.support_mismatch": (
        "Q is 0 where P is not: the true KL(P‖Q) is infinite; Keras clips Q to 1e−7 "
        "and reports a large finite value.",
        "Q 在 P 不为 0 的地方为 0：真正的 KL(P‖Q) 是无穷大；Keras 把 Q 截断到 1e−7，"
        "给出一个很大的有限值。",
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
    "loss.outlier.fraction": ("Fraction of outliers", "离群点比例"),
    "loss.outlier.size": ("Outlier offset", "离群偏移量"),
    "loss.outlier.noise": ("Noise", "噪声"),
    "loss.outlier.delta": ("Huber δ", "Huber δ"),
    "loss.run.mse": ("MSE", "MSE（均方误差）"),
    "loss.run.mae": ("MAE", "MAE（平均绝对误差）"),
    "loss.run.huber": ("Huber", "Huber"),
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
        "也可以用不带激活的 Dense(1) 配合 BinaryCrossentropy(from_logits=True)，数值上更稳定。",
    ),
    "loss.task_note.multiclass": (
        "Integer labels: sparse_categorical_crossentropy; one-hot labels: "
        "categorical_crossentropy. Without softmax, pass from_logits=True.",
        "整数标签用 sparse_categorical_crossentropy，独热标签用 categorical_crossentropy。"
        "若最后一层没有 softmax，要设置 from_logits=True。",
    ),
    "loss.task_note.multilabel": (
        "Each label is its own yes/no question: sigmoid per output, not softmax.",
        "每个标签都是一个独立的是/否问题：每个输出用 sigmoid，而不是 softmax。",
    ),
    "loss.task_note.regression": (
        "No activation, so any value can be predicted; Huber or MAE when there are outliers.",
        "不加激活，任何值都能预测；有离群点时用 Huber 或 MAE。",
    ),
    "loss.task_note.regression_unit": (
        "The sigmoid keeps predictions inside [0, 1]; binary_crossentropy also works "
        "with soft targets.",
        "sigmoid 把预测限制在 [0, 1] 内；对软目标也可以用 binary_crossentropy。",
    ),
    "loss.pair.title": (
        "Right vs wrong pairing: validation accuracy",
        "正确与错误搭配：验证集准确率",
    ),
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
        "没有 sigmoid，而 binary_crossentropy 期望概率：[0, 1] 以外的输出被截断，梯度消失。",
    ),
    "loss.wrong.sigmoid_mse": (
        "sigmoid with squared error: works, but the gradient is damped by σ′ ≤ 0.25 "
        "(or the output cannot reach the targets).",
        "sigmoid 配平方误差：能用，但梯度被 σ′ ≤ 0.25 削弱（或者输出根本够不到目标值）。",
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
}
