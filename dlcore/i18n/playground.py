"""Strings of the MLP playground page."""

STRINGS: dict[str, tuple[str, str]] = {
    # navigation title and home-page blurb of this topic
    "nav.playground": ("MLP playground", "多层感知机游乐场"),
    "home.about.playground": (
        "A multilayer perceptron separates two classes of points: depth, width, "
        "activation, learning rate, overfitting and regularization.",
        "多层感知机把两类点分开：深度、宽度、激活函数、学习率、过拟合与正则化。",
    ),
    "pg.title": ("MLP playground", "多层感知机游乐场"),
    "pg.intro": (
        "A real `keras.Sequential` network learns to separate two classes of points. "
        "Change the data, the layers or the learning rate and watch the decision "
        "boundary and the learning curves. Orange and blue are the two classes "
        "(filled points: training set; hollow points: validation set); the "
        "background is the network's predicted probability of blue.",
        "一个真实的 `keras.Sequential` 网络学习把两类点分开。改变数据、层数或学习率，"
        "观察决策边界和学习曲线。橙色和蓝色是两个类别（实心点：训练集；空心点：验证集）；"
        "背景颜色是网络预测为蓝色的概率。",
    ),
    "pg.data": ("Data", "数据"),
    "pg.dataset": ("Dataset", "数据集"),
    "pg.ds.circle": ("Circle", "圆环"),
    "pg.ds.xor": ("XOR", "异或"),
    "pg.ds.gauss": ("Two blobs", "两团高斯"),
    "pg.ds.spiral": ("Spiral", "螺旋"),
    "pg.ds.moons": ("Moons", "双月"),
    "pg.noise": ("Noise", "噪声"),
    "pg.num_samples": ("Number of points", "样本数"),
    "pg.network": ("Network", "网络"),
    "pg.num_layers": ("Hidden layers", "隐藏层数"),
    "pg.width": ("Neurons per hidden layer", "每个隐藏层的神经元数"),
    "pg.activation": ("Activation", "激活函数"),
    "pg.training": ("Training", "训练"),
    "pg.optimizer": ("Optimizer", "优化器"),
    "pg.opt.sgd": ("SGD", "随机梯度下降 (SGD)"),
    "pg.opt.momentum": ("SGD + momentum", "动量法 (SGD + momentum)"),
    "pg.opt.adam": ("Adam", "Adam"),
    "pg.opt.rmsprop": ("RMSprop", "RMSprop"),
    "pg.learning_rate": ("Learning rate", "学习率"),
    "pg.batch_size": ("Batch size", "批量大小"),
    "pg.epochs": ("Epochs", "训练轮数"),
    "pg.regularization": ("Regularization", "正则化"),
    "pg.l2": (
        "L2 penalty λ (kernel_regularizer)",
        "L2 正则化惩罚系数 λ（kernel_regularizer）",
    ),
    "pg.l2_help": (
        "keras.regularizers.L2(λ) on every hidden Dense kernel: λ·Σw² is added to "
        "the loss. A coupled L2 penalty, not AdamW's decoupled weight decay.",
        "每个隐藏 Dense 层的权重矩阵都加上 keras.regularizers.L2(λ)：损失中加上 λ·Σw²。"
        "这是耦合的 L2 惩罚项，不是 AdamW 的解耦权重衰减。",
    ),
    "pg.l2_what": (
        "**What Keras computes.** `kernel_regularizer=keras.regularizers.L2(λ)` on "
        "every hidden `Dense` layer adds a penalty to the loss that training "
        "minimises (the loss Keras reports, for training and validation, includes "
        "it). The output layer and the biases are not penalised.",
        "**Keras 实际计算的是什么。** 每个隐藏 `Dense` 层上的 "
        "`kernel_regularizer=keras.regularizers.L2(λ)` 会在训练所最小化的损失中加上一个"
        "惩罚项（Keras 报告的训练集和验证集损失都包含它）。输出层和偏置不受惩罚。",
    ),
    "pg.l2_sum_over": ("weights w of the hidden kernels", "隐藏层权重矩阵的权重 w"),
    "pg.l2_vs_decay": (
        "This is a **coupled L2 penalty**: its gradient 2λw is added to the data "
        "gradient before the optimizer sees it. With plain SGD that shrinks every "
        "weight by the factor 1 − 2ηλ per step (the same as weight decay). With Adam "
        "or RMSprop (Adam is the default here) the whole gradient, penalty included, "
        "is divided by a running per-weight scale, so weights with large gradients "
        "are barely pulled to 0: it is **not** weight decay. **Decoupled weight "
        "decay** (AdamW, `keras.optimizers.AdamW(weight_decay=λ)`, used on the "
        "optimizers page) is not part of the loss; each step shrinks every weight "
        "directly, besides the Adam step:",
        "这是**耦合的 L2 惩罚项**：它的梯度 2λw 在交给优化器之前就加到了数据的梯度上。"
        "用普通 SGD 时，每一步都把每个权重乘以 1 − 2ηλ（与权重衰减相同）。"
        "用 Adam 或 RMSprop（这里默认是 Adam）时，整个梯度（包括惩罚项）会除以每个权重"
        "各自的滑动尺度，梯度大的权重几乎不会被拉向 0：这**不是**权重衰减。"
        "**解耦权重衰减**（AdamW，`keras.optimizers.AdamW(weight_decay=λ)`，"
        "见优化器页面）不属于损失；每一步在 Adam 更新之外直接缩小每个权重：",
    ),
    "pg.l2_source": (
        "Loshchilov & Hutter (2019), Decoupled Weight Decay Regularization, ICLR.",
        "Loshchilov 与 Hutter（2019），Decoupled Weight Decay Regularization，ICLR。",
    ),
    "pg.l2_value": (
        "L2 penalty of the final weights, included in the losses above and in the "
        "curves: λ·Σw² = {l2:g} × {squares:.3f} = {penalty:.4f}.",
        "最终权重的 L2 惩罚项（已包含在上面的损失和曲线中）："
        "λ·Σw² = {l2:g} × {squares:.3f} = {penalty:.4f}。",
    ),
    "pg.dropout": ("Dropout rate", "暂退率 (dropout)"),
    "pg.boundary": ("Decision boundary", "决策边界"),
    "pg.prob_blue": ("P(blue)", "P(蓝色)"),
    "pg.metrics": (
        "**{title}** · accuracy: training **{train}**, validation **{val}** · "
        "validation loss **{loss}**",
        "**{title}** · 准确率：训练集 **{train}**，验证集 **{val}** · "
        "验证集损失 **{loss}**",
    ),
    "pg.boundary_pending": (
        "The decision boundary appears here when the training below has finished.",
        "下方的训练完成后，决策边界会显示在这里。",
    ),
    "pg.no_boundary": (
        "This run diverged: there is no decision boundary to show. Try a smaller "
        "learning rate.",
        "这次运行发散了：没有可显示的决策边界。请调小学习率。",
    ),
    "pg.params": ("Trainable parameters", "可训练参数"),
    "pg.preset.none": ("(your own settings)", "（自定义设置）"),
    "pg.preset.linear_xor": (
        "No hidden layer cannot learn XOR",
        "没有隐藏层学不会异或",
    ),
    "pg.preset.spiral": ("The spiral needs depth", "螺旋需要更深的网络"),
    "pg.preset.too_fast": ("Too large a learning rate", "学习率过大"),
    "pg.preset.overfit": (
        "Overfitting: few noisy points, big net",
        "过拟合：少量带噪样本、大网络",
    ),
    "pg.preset.l2": ("… and L2 regularization against it", "……用 L2 正则化来对抗"),
}
