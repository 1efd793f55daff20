"""Strings of the MLP playground page."""

STRINGS: dict[str, tuple[str, str]] = {
    # navigation title and home-page blurb of this topic
    "nav.playground": ("MLP playground", "多层感知机游乐场"),
    "home.about.playground": (
        "TensorFlow Playground with real Keras: features, depth and width, "
        "outputs and losses, regularization, the network's neurons, a replay.",
        "用真实 Keras 实现的 TensorFlow Playground：特征、深度与宽度、输出与损失、"
        "正则化、网络中的神经元以及训练回放。",
    ),
    "pg.title": ("MLP playground", "多层感知机游乐场"),
    "pg.intro": (
        "A real `keras.Sequential` network learns 2-D data, as in TensorFlow "
        "Playground: two classes, several classes, a continuous target or your "
        "own CSV. Choose the input features, each hidden layer's width, the "
        "output layer and its loss; watch the decision boundary, every neuron and "
        "the replay of training. Orange and blue are the two classes (filled "
        "points: training set; hollow points: test set); the background is the "
        "network's output.",
        "一个真实的 `keras.Sequential` 网络学习二维数据，"
        "和 TensorFlow Playground 一样：两个类别、多个类别、连续目标值，"
        "或者你自己的 CSV。选择输入特征、每个隐藏层的宽度、"
        "输出层及其损失函数；观察决策边界、每个神经元以及训练过程的回放。"
        "橙色和蓝色是两个类别（实心点：训练集；空心点：测试集）；背景颜色是网络的输出。",
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
        "**{title}** · accuracy: training **{train}**, test **{val}** · "
        "test loss **{loss}**",
        "**{title}** · 准确率：训练集 **{train}**，测试集 **{val}** · "
        "测试集损失 **{loss}**",
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
    # --- parity with TensorFlow Playground (issue 15) ---
    "pg.ds.plane": ("Regression: plane", "回归：平面"),
    "pg.ds.multigauss": ("Regression: multi-Gaussian", "回归：多个高斯"),
    "pg.ds.multiclass": ("Several classes (blobs)", "多类别（高斯团）"),
    "pg.ds.upload": ("Your own CSV", "上传自己的 CSV"),
    "pg.classes": ("Number of classes", "类别数"),
    "pg.train_pct": ("Training data (%)", "训练数据比例 (%)"),
    "pg.regenerate": ("Regenerate", "重新生成数据"),
    "pg.step_epoch": ("Step: +1 epoch", "单步：再训练 1 轮"),
    "pg.step_epoch_help": (
        "Train one epoch more. The same seed replays the earlier epochs exactly, "
        "so the new boundary is the old one after one more epoch.",
        "多训练 1 轮。相同的随机种子会精确重放之前的各轮，"
        "因此新的决策边界就是旧边界再训练一轮的结果。",
    ),
    "pg.features": ("Input features", "输入特征"),
    "pg.features_help": (
        "The network's input is exactly these columns, computed from x₁ and x₂.",
        "网络的输入正是这些列，由 x₁ 和 x₂ 计算得到。",
    ),
    "pg.w": ("Layer {i}", "第 {i} 层"),
    "pg.init": ("Weight initializer", "权重初始化"),
    "pg.output_loss": ("Output layer + loss", "输出层 + 损失函数"),
    "pg.out.sigmoid_bce": (
        "sigmoid + binary cross-entropy",
        "sigmoid + 二元交叉熵",
    ),
    "pg.out.softmax_cce": (
        "softmax + categorical cross-entropy",
        "softmax + 分类交叉熵",
    ),
    "pg.out.tanh_mse": (
        "tanh + squared error (TF Playground's)",
        "tanh + 平方误差（TF Playground 的做法）",
    ),
    "pg.out.linear_mse": ("linear + squared error", "线性 + 平方误差"),
    "pg.out_why": (
        "Why the pairing matters: cross-entropy on a sigmoid or softmax output is "
        "the negative log-likelihood of the labels, and its gradient at the output "
        "is simply ŷ − y, so a confidently wrong point is corrected strongly. "
        "Squared error on a tanh (or sigmoid) output multiplies that gradient by "
        "the activation's slope, which is almost 0 where the output saturates: "
        "wrong points far from the boundary learn slowly. For a continuous "
        "target a linear output with squared error is the matching choice.",
        "为什么要搭配：在 sigmoid 或 softmax 输出上用交叉熵，就是标签的负对数似然，"
        "它在输出处的梯度就是 ŷ − y，所以自信地分错的点会被大力纠正。"
        "在 tanh（或 sigmoid）输出上用平方误差，梯度还要乘以激活函数的斜率，"
        "而在输出饱和的地方斜率几乎为 0：离边界很远的错分点学得很慢。"
        "对连续的目标值，线性输出配平方误差才是匹配的选择。",
    ),
    "pg.target_loss": (
        "Stop when the training loss ≤ (0 = run every epoch)",
        "训练损失 ≤ 此值时停止（0 = 跑完所有轮）",
    ),
    "pg.l1": (
        "L1 penalty (kernel_regularizer L1)",
        "L1 正则化惩罚系数（kernel_regularizer L1）",
    ),
    "pg.l1_help": (
        "keras.regularizers.L1(l1) on every hidden Dense kernel adds l1·Σ|w| to "
        "the loss; its gradient is l1·sign(w), which drives small weights to 0.",
        "每个隐藏 Dense 层的权重矩阵加上 keras.regularizers.L1(l1)：损失中加上 "
        "l1·Σ|w|；其梯度是 l1·sign(w)，会把小权重推到 0。",
    ),
    "pg.l1_value": (
        "L1 penalty of the final weights, included in the losses: "
        "l1·Σ|w| = {l1:g} × {total:.3f} = {penalty:.4f}.",
        "最终权重的 L1 惩罚项（已包含在损失中）：l1·Σ|w| = {l1:g} × {total:.3f} "
        "= {penalty:.4f}。",
    ),
    "pg.show_test": ("Show test data", "显示测试数据"),
    "pg.discretize": ("Discretize output", "离散化输出"),
    "pg.test": ("test", "测试"),
    "pg.class": ("class", "类别"),
    "pg.metrics_reg": (
        "**{title}** · R²: training **{r2}**, test **{val_r2}** · RMSE: "
        "training **{rmse}**, test **{val_rmse}**",
        "**{title}** · R²：训练集 **{r2}**，测试集 **{val_r2}** · RMSE："
        "训练集 **{rmse}**，测试集 **{val_rmse}**",
    ),
    "pg.regression_title": ("Prediction ŷ", "预测值 ŷ"),
    "pg.timing": (
        "{epochs} epochs · {ms:.1f} ms per epoch (median) · {total:.1f} s in all",
        "{epochs} 轮 · 每轮 {ms:.1f} 毫秒（中位数）· 共 {total:.1f} 秒",
    ),
    "pg.stopped_target": (
        "Stopped at epoch {epoch}: the training loss reached the target {target:g}.",
        "在第 {epoch} 轮停止：训练损失达到了目标值 {target:g}。",
    ),
    "pg.tab.network": ("Network", "网络"),
    "pg.tab.replay": ("Replay", "回放"),
    "pg.tab.evaluation": ("Evaluation", "评估"),
    "pg.diagram_epoch": ("Epoch of the diagram", "网络图对应的轮数"),
    "pg.diagram_note": (
        "Each square is one neuron's output over the whole plane (blue > 0, "
        "orange < 0, outputs clipped to [−1, 1]; inputs scaled to their largest "
        "value). Lines: weights (blue > 0, orange < 0, thicker = larger |w|; hover "
        "the middle of a line for its value). Small squares: biases.",
        "每个方块是一个神经元在整个平面上的输出（蓝色 > 0，橙色 < 0，"
        "输出截断到 [−1, 1]；输入按其最大值缩放）。连线：权重（蓝色 > 0，橙色 < 0，"
        "越粗 |w| 越大；把鼠标放在连线中点可看数值）。小方块：偏置。",
    ),
    "pg.pick_neuron": ("Neuron shown big", "放大显示的神经元"),
    "pg.neuron": ("layer {layer}, neuron {i}", "第 {layer} 层，第 {i} 个神经元"),
    "pg.output_neuron": ("output {i}", "输出 {i}"),
    "pg.inputs": ("Inputs", "输入"),
    "pg.output": ("Output", "输出"),
    "pg.layer_n": ("Hidden {i}", "隐藏层 {i}"),
    "pg.activation_value": ("output", "输出值"),
    "pg.replay_note": (
        "Press play or drag the slider: the decision boundary and every neuron at "
        "each recorded epoch (epoch 0: the initial weights). It runs in your "
        "browser, without the server.",
        "点击播放或拖动滑块：每个记录的轮次的决策边界和每个神经元"
        "（第 0 轮：初始权重）。动画在浏览器中运行，不需要服务器。",
    ),
    "pg.replay_epoch": ("Epoch {epoch}", "第 {epoch} 轮"),
    "pg.play": ("Play", "播放"),
    "pg.epoch": ("Epoch", "轮次"),
    "pg.confusion": ("Confusion matrix (test data)", "混淆矩阵（测试数据）"),
    "pg.confusion_hover": (
        "true %{y}, predicted %{x}: %{z} points",
        "真实 %{y}，预测 %{x}：%{z} 个点",
    ),
    "pg.predicted": ("Predicted class", "预测类别"),
    "pg.true": ("True class", "真实类别"),
    "pg.regression_eval": (
        "R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)², RMSE = √(mean (y − ŷ)²), on the test "
        "data: R² = {r2:.4f}, RMSE = {rmse:.4f}.",
        "在测试数据上：R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)² = {r2:.4f}，"
        "RMSE = √(mean (y − ŷ)²) = {rmse:.4f}。",
    ),
    "pg.download_keras": (
        "Download the trained model (.keras)",
        "下载训练好的模型 (.keras)",
    ),
    "pg.upload": (
        "CSV file: x1, x2, label or target",
        "CSV 文件：x1, x2, 标签或目标值",
    ),
    "pg.upload_prompt": (
        "Upload a CSV with three numeric columns and a header row: x1, x2 and a "
        "class label (0…K−1, 2 to 5 classes) or a continuous target.",
        "上传一个有表头、三列数字的 CSV：x1、x2，以及类别标签（0…K−1，2 到 5 类）"
        "或连续的目标值。",
    ),
    "pg.upload_ok": (
        "{rows} points, {kind}; {dropped} rows with a missing value left out.",
        "{rows} 个点，{kind}；{dropped} 行有缺失值，已略去。",
    ),
    "pg.kind.binary": ("two classes", "两个类别"),
    "pg.kind.multiclass": ("several classes", "多个类别"),
    "pg.kind.regression": ("a continuous target", "连续目标值"),
    "pg.upload.too_big": ("the file is over {limit} kB.", "文件超过 {limit} kB。"),
    "pg.upload.unreadable": (
        "not a readable CSV ({error}).",
        "无法读取为 CSV（{error}）。",
    ),
    "pg.upload.columns": (
        "it needs exactly 3 columns (x1, x2, label|target), found {found}.",
        "需要正好 3 列（x1, x2, 标签|目标值），实际有 {found} 列。",
    ),
    "pg.upload.not_numeric": (
        "{rows} rows hold a value that is not a number.",
        "有 {rows} 行包含不是数字的值。",
    ),
    "pg.upload.too_many": ("more than {limit} rows.", "超过 {limit} 行。"),
    "pg.upload.too_few": (
        "only {rows} complete rows; at least 10 are needed.",
        "只有 {rows} 行完整数据；至少需要 10 行。",
    ),
    "pg.upload.labels": (
        "integer labels must be 0…K−1 with 2 to 5 classes (found {found} values).",
        "整数标签必须是 0…K−1，共 2 到 5 类（实际有 {found} 个不同的值）。",
    ),
    "pg.no_upload": (
        "No CSV yet: upload one above to train on your own points.",
        "还没有 CSV：在上面上传一个文件，就能用你自己的点来训练。",
    ),
    "pg.preset.xor_features": (
        "XOR with the feature x₁x₂: no hidden layer needed",
        "加入特征 x₁x₂ 的异或：不需要隐藏层",
    ),
    "pg.preset.multiclass": ("Four classes, softmax", "四个类别，softmax"),
    "pg.preset.regression": ("Regression: multi-Gaussian", "回归：多个高斯"),
}
