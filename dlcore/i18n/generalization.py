"""Strings of the generalization topic (泛化): overfitting, regularization, deep
networks, the workflow. Chinese terms follow d2l-zh (暂退法, 权重衰减, 批量规范化)."""

STRINGS: dict[str, tuple[str, str]] = {
    "nav.generalization": ("Generalization", "泛化"),
    "home.about.generalization": (
        "Why a model does worse on new data: overfitting measured, L1/L2, weight "
        "decay, dropout and early stopping for what Keras really computes, batch "
        "normalization, residual connections, and the workflow of machine learning.",
        "为什么模型在新数据上表现更差：测量过拟合；L1/L2、权重衰减、暂退法和早停"
        "在 Keras 中到底算了什么；批量规范化、残差连接，以及机器学习的工作流程。",
    ),
    "gen.title": ("Generalization", "泛化"),
    "gen.intro": (
        "A model is trained on one sample of data and used on others. The gap "
        "between the two is overfitting; everything on this page measures it or "
        "shrinks it.",
        "模型在一份数据上训练，却要用在别的数据上。两者之间的差距就是过拟合；"
        "本页的一切都在测量它或缩小它。",
    ),
    "gen.tab.overfit": ("Overfitting, measured", "测量过拟合"),
    "gen.tab.regularize": ("Regularizers", "正则化"),
    "gen.tab.deep": ("Deep networks", "训练深层网络"),
    "gen.tab.workflow": ("The workflow", "工作流程"),
    # presets
    "gen.preset.none": ("(choose a preset)", "（选择预设）"),
    "gen.preset.capacity": ("Capacity sweep (U curve)", "容量扫描（U 形曲线）"),
    "gen.preset.data_size": ("More data, less overfitting", "数据越多，过拟合越少"),
    "gen.preset.overfit": ("Overfitting, no cure", "过拟合，不加正则化"),
    "gen.preset.early_stopping": ("Early stopping (patience 5)", "早停（耐心 5）"),
    "gen.preset.l1": ("L1 penalty", "L1 惩罚"),
    "gen.preset.l2": ("L2 penalty", "L2 惩罚"),
    "gen.preset.adamw": ("AdamW weight decay", "AdamW 权重衰减"),
    "gen.preset.dropout": ("Dropout 0.5", "暂退法 0.5"),
    "gen.preset.residual": (
        "20 sigmoid layers: plain vs residual",
        "20 层 sigmoid：普通与残差",
    ),
    # shared controls
    "gen.sweep": ("Sweep", "扫描"),
    "gen.sweep.width": ("network width", "网络宽度"),
    "gen.sweep.size": ("training-set size", "训练集大小"),
    "gen.num_train": ("training digits", "训练样本数"),
    "gen.width": ("hidden units per layer", "每层隐藏单元数"),
    "gen.depth": ("hidden layers", "隐藏层数"),
    "gen.label_noise": ("labels made random", "随机打乱的标签比例"),
    "gen.epochs": ("epochs", "迭代周期数"),
    "gen.learning_rate": ("learning rate", "学习率"),
    "gen.optimizer": ("optimizer", "优化器"),
    "gen.opt.sgd": ("SGD", "SGD"),
    "gen.opt.momentum": ("SGD + momentum 0.9", "SGD + 动量 0.9"),
    "gen.opt.adam": ("Adam", "Adam"),
    "gen.activation": ("activation", "激活函数"),
    "gen.strength": ("strength λ", "强度 λ"),
    "gen.seed": ("random seed", "随机种子"),
    "gen.regularizer": ("regularizer", "正则化方法"),
    "gen.patience": ("early-stopping patience", "早停的耐心（patience）"),
    "gen.patience.off": ("off", "关闭"),
    # tab 1
    "gen.overfit.intro": (
        "**The set-up**: a few hundred 8×8 digits, 30 % of their training labels "
        "replaced by random ones (the validation digits stay correct). A network "
        "that is big enough memorizes the wrong labels: its training loss keeps "
        "falling while its validation loss turns up.",
        "**实验设置**：几百张 8×8 手写数字，其中 30% 的训练标签被换成随机标签"
        "（验证集的标签保持正确）。足够大的网络会把错误标签背下来：训练损失一直"
        "下降，而验证损失开始回升。",
    ),
    "gen.sweep.what.width": (
        "{runs} networks with one hidden layer, 2 to 512 units, on the same digits.",
        "{runs} 个单隐藏层网络（2 到 512 个单元），使用同一批数字。",
    ),
    "gen.sweep.what.size": (
        "The same network on {runs} training-set sizes, 5 % to 100 % of the 1348 "
        "training digits.",
        "同一个网络在 {runs} 种训练集大小上训练：1348 张训练数字的 5% 到 100%。",
    ),
    "gen.sweep.best.width": (
        "Lowest final validation loss: **{width} units** ({params} parameters), "
        "{val_loss:.3f}. Smaller networks underfit, larger ones memorize the noise.",
        "最终验证损失最低的是 **{width} 个单元**（{params} 个参数），{val_loss:.3f}。"
        "更小的网络欠拟合，更大的网络记住了噪声。",
    ),
    "gen.sweep.best.size": (
        "Lowest final validation loss with **{num_train} training digits** "
        "({val_loss:.3f}): the same network overfits less when it sees more data.",
        "使用 **{num_train} 张训练数字**时最终验证损失最低（{val_loss:.3f}）："
        "同一个网络看到的数据越多，过拟合越少。",
    ),
    "gen.overfit.early_link": (
        "Early stopping (stop when the validation loss stops improving) is in the "
        "Regularizers tab, on the live curves of one training.",
        "早停（验证损失不再改善时停止训练）在“正则化”标签页里，显示在一次训练的"
        "实时曲线上。",
    ),
    "gen.fig.sweep": ("Final losses", "最终损失"),
    "gen.fig.sweep.width": (
        "Capacity: final loss vs parameters",
        "容量：最终损失与参数量",
    ),
    "gen.fig.sweep.size": (
        "Data size: final loss vs training digits",
        "数据量：最终损失与训练样本数",
    ),
    "gen.axis.params": ("parameters", "参数量"),
    "gen.axis.num_train": ("training digits", "训练样本数"),
    "gen.axis.final_loss": ("loss after the last epoch", "最后一个周期后的损失"),
    "gen.legend.train_loss": ("training loss", "训练损失"),
    "gen.legend.val_loss": ("validation loss", "验证损失"),
    "gen.legend.best_val": ("lowest validation loss", "最低验证损失"),
    "gen.col.width": ("units", "单元数"),
    "gen.col.num_train": ("training digits", "训练样本数"),
    "gen.col.params": ("parameters", "参数量"),
    "gen.col.loss": ("training loss", "训练损失"),
    "gen.col.val_loss": ("validation loss", "验证损失"),
    "gen.col.best_val_loss": ("best validation loss", "最佳验证损失"),
    "gen.col.best_epoch": ("best epoch", "最佳周期"),
    # tab 2: penalties
    "gen.reg.intro": (
        "Each regularizer below is shown as the formula Keras computes, checked "
        "against Keras, then trained on the overfitting set-up of the first tab.",
        "下面每种正则化方法都先给出 Keras 实际计算的公式并与 Keras 对照，"
        "然后在第一个标签页的过拟合设置上训练。",
    ),
    "gen.pen.title": (
        "L1 and L2 penalties (kernel_regularizer)",
        "L1 与 L2 惩罚（kernel_regularizer）",
    ),
    "gen.pen.kind": ("penalty", "惩罚"),
    "gen.pen.formula": ("formula", "公式"),
    "gen.pen.keras": ("Keras", "Keras"),
    "gen.pen.gradient": ("gradient added to each w", "加到每个 w 上的梯度"),
    "gen.pen.weights": ("Weights w = [{weights}]", "权重 w = [{weights}]"),
    "gen.pen.note": (
        "`keras.regularizers.L2(λ)` adds λΣw², without the factor ½ some books "
        "write, so its gradient is 2λw. Keras adds the penalty of every layer to "
        "the loss (`model.losses`): the training loss on the curves includes it.",
        "`keras.regularizers.L2(λ)` 加上的是 λΣw²，没有某些书里的 ½，"
        "所以梯度是 2λw。Keras 把每一层的惩罚加到损失上（`model.losses`）："
        "曲线上的训练损失包含这一项。",
    ),
    # tab 2: weight decay
    "gen.decay.title": (
        "Weight decay is not an L2 penalty under Adam",
        "在 Adam 下，权重衰减不等于 L2 惩罚",
    ),
    "gen.decay.intro": (
        "Two weights on the loss ½·(10(w₁−1)² + 0.1(w₂−1)²): one steep, one flat "
        "direction. Solid: an L2 penalty λΣw² added to the loss. Dashed: the "
        "optimizer's `weight_decay=2λ` (decoupled: w ← w − η·wd·w beside the step). "
        "Dotted: the exact minimum of the penalized loss.",
        "两个权重，损失为 ½·(10(w₁−1)² + 0.1(w₂−1)²)：一个陡、一个平的方向。"
        "实线：在损失上加 L2 惩罚 λΣw²。虚线：优化器的 `weight_decay=2λ`"
        "（解耦：每步另外执行 w ← w − η·wd·w）。点线：带惩罚损失的精确最小值。",
    ),
    "gen.decay.result.sgd": (
        "With plain SGD (η = {lr}) both are the **same update**: the gradient of "
        "λw² is 2λw, and decay 2λ = {wd:g} subtracts η·2λ·w. Largest difference "
        "after 200 steps: {gap:.2e} (float32 rounding).",
        "对普通 SGD（η = {lr}）两者是**同一个更新**：λw² 的梯度是 2λw，"
        "衰减 2λ = {wd:g} 正好减去 η·2λ·w。200 步后的最大差别：{gap:.2e}"
        "（float32 舍入）。",
    ),
    "gen.decay.result.adam": (
        "With Adam (η = {lr}) they **differ** (largest difference {gap:.3f}): Adam "
        "divides the penalty's gradient by √v̂ like every gradient, so the L2 run "
        "goes to the penalized minimum ({m1:.3f}, {m2:.3f}) while AdamW shrinks "
        "every weight by the same factor each step. Same λ, different results "
        "(Loshchilov & Hutter, 2019).",
        "对 Adam（η = {lr}）两者**不同**（最大差别 {gap:.3f}）：Adam 像对待所有梯度"
        "一样把惩罚的梯度除以 √v̂，所以 L2 的那次运行走向带惩罚损失的最小值"
        "（{m1:.3f}, {m2:.3f}），而 AdamW 每一步把每个权重按相同比例缩小。"
        "同样的 λ，不同的结果（Loshchilov & Hutter, 2019）。",
    ),
    "gen.fig.decay": ("L2 penalty vs weight decay", "L2 惩罚与权重衰减"),
    "gen.legend.l2": ("{w}, L2 penalty", "{w}，L2 惩罚"),
    "gen.legend.decay": ("{w}, weight decay", "{w}，权重衰减"),
    "gen.axis.step": ("step", "步数"),
    "gen.axis.weight": ("weight value", "权重值"),
    # tab 2: dropout
    "gen.drop.title": (
        "Dropout, as Keras computes it",
        "暂退法（dropout）在 Keras 中的计算",
    ),
    "gen.drop.intro": (
        "The source notes' vector through `keras.layers.Dropout(p)`. In training "
        "each entry is dropped with probability p and the kept ones are divided "
        "by 1 − p (*inverted dropout*), so nothing needs scaling at test time. "
        'The notes\' rule "multiply by the rate at test time" is not what Keras '
        "does.",
        "把笔记里的向量送进 `keras.layers.Dropout(p)`。训练时每个元素以概率 p 被丢弃，"
        "保留的元素除以 1 − p（*倒置暂退法*），所以测试时不需要任何缩放。"
        "笔记里“测试时乘以丢弃率”的说法并不是 Keras 的做法。",
    ),
    "gen.drop.rate": ("dropout rate p", "暂退概率 p"),
    "gen.drop.mask": ("mask m (1 = kept)", "掩码 m（1 = 保留）"),
    "gen.drop.training": ("Keras, training=True", "Keras，training=True"),
    "gen.drop.by_hand": ("m·x / (1 − p), by hand", "手算 m·x / (1 − p)"),
    "gen.drop.inference": ("Keras, training=False", "Keras，training=False"),
    "gen.drop.note": (
        "The mask is read off Keras' own output; the by-hand row equals it exactly. "
        "`model.fit` calls the layer with training=True, `model.predict` and "
        "`evaluate` with training=False.",
        "掩码取自 Keras 自己的输出；手算这一行与它完全相等。`model.fit` 以 "
        "training=True 调用该层，`model.predict` 和 `evaluate` 用 training=False。",
    ),
    "gen.more.title": (
        "Data augmentation and label smoothing (other pages)",
        "数据增广与标签平滑（其他页面）",
    ),
    "gen.more.augmentation": (
        "**Data augmentation** regularizes by showing shifted, rotated and zoomed "
        "copies of the training images; try it on the CNN page.",
        "**数据增广**通过展示平移、旋转、缩放后的训练图像来起到正则化作用；"
        "可以在卷积神经网络页面上试试。",
    ),
    "gen.more.cnn_link": (
        "CNN: train with augmentation",
        "卷积神经网络：开启数据增广训练",
    ),
    "gen.more.smoothing": (
        "**Label smoothing** trains against softened targets (1 − s on the true "
        "class); its effect on the loss curve is on the Losses page.",
        "**标签平滑**用软化后的目标训练（真实类别为 1 − s）；"
        "它对损失曲线的影响见损失函数页面。",
    ),
    "gen.more.losses_link": ("Losses: label smoothing", "损失函数：标签平滑"),
    # tab 2: training
    "gen.reg.train": ("Train with one regularizer", "用一种正则化方法训练"),
    "gen.reg.train_intro": (
        "Pin a run, change the regularizer, pin again: the comparison table under "
        "the curves holds all of them on the same set-up.",
        "固定一次运行，换一种正则化方法，再固定一次：曲线下方的对比表会把它们放在"
        "同一设置下比较。",
    ),
    "gen.reg.none": ("none", "无"),
    "gen.reg.l1": ("L1 penalty", "L1 惩罚"),
    "gen.reg.l2": ("L2 penalty", "L2 惩罚"),
    "gen.reg.weight_decay": ("AdamW weight decay", "AdamW 权重衰减"),
    "gen.reg.dropout": ("dropout", "暂退法"),
    "gen.m.train_acc": ("training accuracy", "训练准确率"),
    "gen.m.val_acc": ("validation accuracy", "验证准确率"),
    "gen.m.gap": ("gap", "差距"),
    "gen.m.restored": (
        "validation accuracy, restored epoch {epoch}",
        "验证准确率（恢复到第 {epoch} 个周期）",
    ),
    "gen.fig.early": ("Where early stopping stops", "早停在哪里停下"),
    "gen.axis.epoch": ("epoch", "迭代周期"),
    "gen.axis.loss": ("loss", "损失"),
    "gen.mark.best": ("best: {epoch}", "最佳：{epoch}"),
    "gen.mark.stop": ("stop: {epoch}", "停止：{epoch}"),
    "gen.early.stopped": (
        "`keras.callbacks.EarlyStopping(patience={patience}, "
        "restore_best_weights=True)`, replayed on these epochs, stops after epoch "
        "{stop} and restores the weights of epoch {best}. The run went on so you "
        "see what it saved you from.",
        "在这些周期上重放 `keras.callbacks.EarlyStopping(patience={patience}, "
        "restore_best_weights=True)`：它在第 {stop} 个周期后停止，"
        "并恢复第 {best} 个周期的权重。训练继续进行，让你看到早停避免了什么。",
    ),
    "gen.early.never": (
        "EarlyStopping(patience={patience}) would not stop this run: the validation "
        "loss improved at least every {patience} epochs (best: epoch {best}).",
        "EarlyStopping(patience={patience}) 不会停止这次训练：验证损失至少每 "
        "{patience} 个周期改善一次（最佳：第 {best} 个周期）。",
    ),
    "gen.early.off": ("Early stopping is off.", "早停已关闭。"),
    "gen.fig.weights": ("First-layer weights after training", "训练后第一层的权重"),
    "gen.axis.count": ("count", "个数"),
    "gen.weights.stats": (
        "Exactly zero: {exact:.1%} · |w| < 0.001: {near:.1%} · mean |w|: {mean:.4f}",
        "恰好为零：{exact:.1%} · |w| < 0.001：{near:.1%} · |w| 的均值：{mean:.4f}",
    ),
    "gen.weights.l1_note": (
        "L1 pushes many weights to near zero. Gradient descent on λ|w| makes them "
        "oscillate around 0 rather than land on exactly 0 (that takes a proximal "
        "step, as in Lasso solvers); the many tiny weights are what L1's sparsity "
        "looks like in Keras.",
        "L1 把许多权重推到接近零。对 λ|w| 做梯度下降会让它们在 0 附近振荡，"
        "而不是恰好落在 0 上（那需要近端步骤，如 Lasso 求解器）；"
        "大量极小的权重就是 L1 稀疏性在 Keras 中的样子。",
    ),
    "gen.mc.title": ("Monte-Carlo dropout", "蒙特卡洛暂退法"),
    "gen.mc.intro": (
        "30 predictions per validation digit with dropout left on "
        "(`model(x, training=True)`). Their average is {mc:.1%} accurate (one "
        "deterministic pass: {det:.1%}); how often the passes agree is an "
        "uncertainty estimate: wrong answers agree less.",
        "对每个验证数字在开启暂退法的情况下预测 30 次（`model(x, training=True)`）。"
        "平均预测的准确率为 {mc:.1%}（一次确定性预测：{det:.1%}）；"
        "各次预测的一致程度可以作为不确定性的估计：错误的答案一致性更低。",
    ),
    "gen.fig.mc": ("Agreement of 30 dropout passes", "30 次暂退预测的一致程度"),
    "gen.axis.agreement": ("passes that agree (%)", "一致的预测次数占比（%）"),
    "gen.axis.share": ("share of digits (%)", "数字占比（%）"),
    "gen.legend.right": ("right ({count})", "正确（{count}）"),
    "gen.legend.wrong": ("wrong ({count})", "错误（{count}）"),
    # tab 3
    "gen.bn.title": ("Batch normalization", "批量规范化"),
    "gen.bn.momentum": ("momentum m", "动量 m"),
    "gen.bn.by_hand": ("by hand (batch statistics)", "手算（批量统计量）"),
    "gen.bn.training": ("Keras, training=True", "Keras，training=True"),
    "gen.bn.inference": ("Keras, training=False", "Keras，training=False"),
    "gen.bn.stats": (
        "Batch mean μ_B = {mean:.4f}, variance σ²_B = {var:.4f} (biased, divided by "
        "n). After this one training call the moving averages are {moving_mean:.4f} "
        "and {moving_var:.4f} (they start at 0 and 1; momentum {momentum}), so "
        "inference on the same batch gives another output. Parameters per channel: "
        "{params} (γ, β, moving mean, moving variance), {trainable} of them "
        "trainable, as Keras counts.",
        "批量均值 μ_B = {mean:.4f}，方差 σ²_B = {var:.4f}（有偏，除以 n）。"
        "这一次训练调用之后，移动平均为 {moving_mean:.4f} 和 {moving_var:.4f}"
        "（初值为 0 和 1；动量 {momentum}），所以对同一批量做推理会得到不同的输出。"
        "每个通道的参数：{params} 个（γ、β、移动均值、移动方差），其中 {trainable} "
        "个可训练，与 Keras 的统计一致。",
    ),
    "gen.bn.debate": (
        'Why it helps is debated: the original "internal covariate shift" '
        "explanation has been questioned; Santurkar et al. (2018) found that it "
        "smooths the loss landscape instead.",
        "它为什么有效仍有争议：最初“内部协变量偏移”的解释受到质疑；"
        "Santurkar 等人（2018）发现它主要是让损失曲面更平滑。",
    ),
    "gen.res.title": ("Residual connections", "残差连接"),
    "gen.res.intro": (
        "A residual block computes y = F(x) + x: the layer learns only a "
        "correction, and the gradient reaches early layers through the identity. "
        "Where shapes differ (here 64 inputs → the width) the skip is a learned "
        "projection Px, the MLP version of ResNet's 1×1 convolution; ResNet's "
        "blocks use 3×3 convolutions after a 7×7 stem. Both networks below have "
        "the same layers; the residual one adds the skips.",
        "残差块计算 y = F(x) + x：这一层只需学习一个修正量，梯度通过恒等映射传到"
        "前面的层。形状不同时（这里是 64 个输入 → 宽度），跳跃连接是一个可学习的"
        "投影 Px，即 ResNet 中 1×1 卷积的多层感知机版本；ResNet 的残差块在 7×7 的"
        "起始卷积之后使用 3×3 卷积。下面两个网络的层相同，残差网络多了跳跃连接。",
    ),
    "gen.run.plain": ("plain", "普通网络"),
    "gen.run.residual": ("residual", "残差网络"),
    "gen.res.val_acc": ("{run}: validation accuracy", "{run}：验证准确率"),
    "gen.fig.flow": ("Gradient norm at initialization", "初始化时每层的梯度范数"),
    "gen.res.activations_link": (
        "Why the plain network's early layers get no gradient: the "
        "vanishing-gradient lab on the Activations page.",
        "为什么普通网络前面的层得不到梯度：见激活函数页面的梯度消失实验。",
    ),
    "gen.arch.title": ("Classic architectures", "经典网络架构"),
    "gen.arch.intro": (
        "Each network below is built now, on the server, with Keras and "
        "`weights=None` (random initialization, nothing downloaded); the table "
        "lists its layers and the total is `model.count_params()`.",
        "下面每个网络都是此刻在服务器上用 Keras 以 `weights=None` 构建的（随机初始化，"
        "不下载任何权重）；表格列出它的各层，总数就是 `model.count_params()`。",
    ),
    "gen.arch.select": ("architecture", "网络架构"),
    "gen.arch.name.lenet5": ("LeNet-5", "LeNet-5"),
    "gen.arch.name.alexnet": ("AlexNet", "AlexNet"),
    "gen.arch.name.vgg16": ("VGG-16", "VGG-16"),
    "gen.arch.name.resnet50": ("ResNet-50", "ResNet-50"),
    "gen.arch.summary.lenet5": (
        "LeNet-5 (LeCun et al., 1998): two 5×5 convolutions, each followed by 2×2 "
        "average pooling, then dense layers 120 → 84 → 10 on 32×32 grey digits. "
        "This is the common modern variant (every C3 map sees every S2 map, a "
        "softmax output instead of RBF units): {total:,} parameters; the paper "
        "reports about 60,000.",
        "LeNet-5（LeCun 等，1998）：两个 5×5 卷积层，各接一个 2×2 平均汇聚层，"
        "然后是 120 → 84 → 10 的全连接层，输入为 32×32 的灰度数字。"
        "这里是常见的现代变体（C3 的每个通道连接 S2 的全部通道，输出层用 softmax "
        "代替 RBF 单元）：{total:,} 个参数；论文中约为 60,000。",
    ),
    "gen.arch.summary.alexnet": (
        "AlexNet (Krizhevsky et al., 2012): five convolutions (the first 11×11 "
        "with stride 4) with ReLU and max pooling, then its 3 fully connected "
        "layers 4096 → 4096 → 1000 with dropout. Single-tower variant (no split "
        "over two GPUs, no local response normalization): {total:,} parameters.",
        "AlexNet（Krizhevsky 等，2012）：五个卷积层（第一个为 11×11、步幅 4），"
        "使用 ReLU 和最大汇聚层，然后是 3 个全连接层 4096 → 4096 → 1000，并使用"
        "暂退法。单路变体（不拆分到两块 GPU，没有局部响应归一化）：{total:,} 个参数。",
    ),
    "gen.arch.summary.vgg16": (
        "VGG-16 (Simonyan & Zisserman, 2015): only 3×3 convolutions, 13 of them "
        "in 5 blocks each closed by 2×2 max pooling, then 3 dense layers: "
        "{total:,} parameters, as `keras.applications.VGG16` counts.",
        "VGG-16（Simonyan 和 Zisserman，2015）：只用 3×3 卷积，共 13 个，分成 5 个"
        "块，每块以 2×2 最大汇聚层结束，然后是 3 个全连接层：{total:,} 个参数，"
        "与 `keras.applications.VGG16` 的统计一致。",
    ),
    "gen.arch.summary.resnet50": (
        "ResNet-50 (He et al., 2016): a 7×7 stride-2 stem, then 16 bottleneck "
        "residual blocks (1×1, 3×3, 1×1 convolutions with batch normalization and "
        "a skip connection) and global average pooling before one dense layer: "
        "{total:,} parameters, as `keras.applications.ResNet50` counts.",
        "ResNet-50（何恺明等，2016）：一个 7×7、步幅 2 的起始卷积，然后是 16 个瓶颈"
        "残差块（1×1、3×3、1×1 卷积，带批量规范化和跳跃连接），最后是全局平均汇聚层"
        "和一个全连接层：{total:,} 个参数，与 `keras.applications.ResNet50` 的统计"
        "一致。",
    ),
    "gen.arch.total": ("parameters", "参数数量"),
    "gen.arch.layers": ("Keras layers", "Keras 层数"),
    "gen.arch.input": ("input", "输入形状"),
    "gen.arch.dense_share": (
        "Fully connected layers hold {dense:,} of the {total:,} parameters "
        "({share:.1%}); {trainable:,} parameters are trainable.",
        "全连接层占 {total:,} 个参数中的 {dense:,} 个（{share:.1%}）；"
        "可训练参数为 {trainable:,} 个。",
    ),
    "gen.arch.col.layer": ("layer", "层"),
    "gen.arch.col.type": ("type", "类型"),
    "gen.arch.col.output_shape": ("output shape", "输出形状"),
    "gen.arch.col.params": ("parameters", "参数"),
    # tab 4
    "gen.flow.title": ("The seven steps", "七个步骤"),
    "gen.flow.problem": (
        "**Define the problem**: inputs, outputs, and whether the inputs can "
        "predict the outputs at all.",
        "**定义问题**：输入是什么、输出是什么，输入到底能不能预测输出。",
    ),
    "gen.flow.measure": (
        "**Choose a measure of success**: accuracy only for balanced classes; "
        "precision, recall, AUC otherwise (below).",
        "**选择衡量成功的指标**：类别平衡时用准确率；否则用精确率、召回率、AUC（见下文）。",
    ),
    "gen.flow.protocol": (
        "**Choose an evaluation protocol**: hold-out, K-fold or iterated K-fold "
        "(below).",
        "**选择评估方法**：留出法、K 折或重复 K 折交叉验证（见下文）。",
    ),
    "gen.flow.prepare": (
        "**Prepare the data**: tensors, scaling with training statistics only, "
        "missing values (below).",
        "**准备数据**：张量化、只用训练集统计量做缩放、处理缺失值（见下文）。",
    ),
    "gen.flow.baseline": (
        "**Beat a common-sense baseline**: the majority class, the last value, "
        "with a suitable loss.",
        "**超越基于常识的基准**：多数类、上一个值，并选择合适的损失函数。",
    ),
    "gen.flow.scale": (
        "**Scale up until the model overfits**: more units and layers, more epochs "
        "(tab 1).",
        "**扩大模型直到过拟合**：更多单元和层、更多迭代周期（第一个标签页）。",
    ),
    "gen.flow.regularize": (
        "**Regularize and tune**: penalties, dropout, early stopping, then the "
        "hyperparameters, judged on validation data only (tab 2).",
        "**正则化并调节超参数**：惩罚项、暂退法、早停，再调超参数，"
        "只根据验证数据判断（第二个标签页）。",
    ),
    "gen.eval.title": ("Evaluation protocols", "评估方法"),
    "gen.eval.intro": (
        "Each protocol estimates the accuracy of the same classifier (a closed-form "
        "ridge classifier, refitted hundreds of times in milliseconds) on a few "
        "digits. Repeated with 20 different shuffles, the estimates spread: "
        "hold-out the most.",
        "每种方法都在少量数字上估计同一个分类器（闭式解的岭回归分类器，几毫秒内可"
        "重新拟合数百次）的准确率。用 20 种不同的打乱方式重复，估计值会分散开："
        "留出法最分散。",
    ),
    "gen.eval.samples": ("digits available", "可用的数字样本数"),
    "gen.eval.k": ("folds K", "折数 K"),
    "gen.eval.spread": (
        "Standard deviation of the estimate over 20 shuffles: hold-out "
        "{holdout:.2f} points, {k}-fold {kfold:.2f}, iterated {k}-fold (3×) "
        "{iterated:.2f}. In K-fold every digit is used exactly once for validation.",
        "20 次打乱下估计值的标准差：留出法 {holdout:.2f} 个百分点，{k} 折 "
        "{kfold:.2f}，重复 {k} 折（3 次）{iterated:.2f}。K 折中每个样本恰好被用作"
        "一次验证。",
    ),
    "gen.protocol.holdout": ("hold-out", "留出法"),
    "gen.protocol.kfold": ("K-fold", "K 折"),
    "gen.protocol.iterated": ("iterated K-fold", "重复 K 折"),
    "gen.fig.protocols": (
        "Estimated accuracy, 20 shuffles each",
        "估计的准确率（每种 20 次打乱）",
    ),
    "gen.axis.estimate": ("estimated accuracy (%)", "估计的准确率（%）"),
    "gen.metrics.title": ("Metrics beyond accuracy", "准确率之外的指标"),
    "gen.metrics.share": ("share of positives", "正类占比"),
    "gen.metrics.threshold": ("decision threshold", "决策阈值"),
    "gen.metrics.accuracy": ("accuracy", "准确率"),
    "gen.metrics.precision": ("precision", "精确率"),
    "gen.metrics.recall": ("recall", "召回率"),
    "gen.metrics.f1": ("F1", "F1"),
    "gen.metrics.auc": ("ROC AUC", "ROC AUC"),
    "gen.metrics.confusion": (
        "TP {tp} · FP {fp} · FN {fn} · TN {tn}. A model that always answers "
        '"negative" scores accuracy {never:.1%} and recall 0: on rare positives '
        "accuracy misleads.",
        "TP {tp} · FP {fp} · FN {fn} · TN {tn}。永远回答“负类”的模型准确率为 "
        "{never:.1%}、召回率为 0：正类稀少时准确率会误导人。",
    ),
    "gen.fig.roc": ("ROC curve", "ROC 曲线"),
    "gen.axis.fpr": ("false-positive rate", "假正例率"),
    "gen.axis.tpr": ("true-positive rate (recall)", "真正例率（召回率）"),
    "gen.legend.chance": ("chance", "随机猜测"),
    "gen.legend.roc": ("classifier", "分类器"),
    "gen.legend.threshold": ("this threshold", "当前阈值"),
    "gen.prep.title": ("Preprocessing without leakage", "无泄漏的预处理"),
    "gen.fig.leakage": ("Which mean to subtract?", "减去哪个均值？"),
    "gen.axis.feature": ("feature value", "特征值"),
    "gen.legend.train_split": ("training split", "训练集"),
    "gen.legend.val_split": ("validation split (drifted)", "验证集（发生漂移）"),
    "gen.mark.honest_mean": ("training mean {value:.2f}", "训练集均值 {value:.2f}"),
    "gen.mark.leaky_mean": (
        "mean of everything {value:.2f}",
        "全部数据均值 {value:.2f}",
    ),
    "gen.prep.result": (
        "Standardized with training statistics, the validation data have mean "
        "{honest:.2f}: the drift stays visible, as it will be in use. With "
        "statistics of everything (leakage) they have mean {leaky:.2f}: the "
        "validation data shaped the preprocessing, so the validation score is no "
        "longer an honest estimate.",
        "用训练集统计量标准化后，验证数据的均值为 {honest:.2f}：漂移仍然可见，"
        "实际使用时也会如此。用全部数据的统计量（泄漏）时，均值为 {leaky:.2f}："
        "验证数据参与了预处理，验证分数就不再是诚实的估计。",
    ),
    "gen.prep.missing": (
        "**Missing values**: fill them with a value computed on the training split "
        "(e.g. its mean; 0 after standardization) and, if missingness carries "
        'information, add a 0/1 "was missing" feature.',
        "**缺失值**：用训练集上计算的值填充（例如其均值；标准化后即为 0），"
        "如果“是否缺失”本身有信息，再加一个 0/1 的“曾缺失”特征。",
    ),
}
