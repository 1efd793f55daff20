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
        "boundary and the learning curves. Orange and blue are the two classes; the "
        "background is the network's predicted probability of blue.",
        "一个真实的 `keras.Sequential` 网络学习把两类点分开。改变数据、层数或学习率，"
        "观察决策边界和学习曲线。橙色和蓝色是两个类别；背景颜色是网络预测为蓝色的概率。",
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
    "pg.l2": ("L2 weight decay λ", "L2 权重衰减 λ"),
    "pg.dropout": ("Dropout rate", "暂退率 (dropout)"),
    "pg.boundary": ("Decision boundary", "决策边界"),
    "pg.boundary_note": (
        "Filled points: training set; hollow points: validation set.",
        "实心点：训练集；空心点：验证集。",
    ),
    "pg.prob_blue": ("P(blue)", "P(蓝色)"),
    "pg.val_acc": ("Validation accuracy", "验证集准确率"),
    "pg.train_acc": ("Training accuracy", "训练集准确率"),
    "pg.val_loss": ("Validation loss", "验证集损失"),
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
