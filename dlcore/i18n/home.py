"""Strings of the home page: the curriculum, tensors and the training loop."""

STRINGS: dict[str, tuple[str, str]] = {
    # navigation title and home-page blurb of this topic
    "nav.home": ("Home", "首页"),
    "home.about.home": (
        "Tensors from 0-D to 4-D, reshape and transpose; the four phases of one "
        "training step on a one-neuron linear regression.",
        "从 0 维到 4 维的张量、改变形状与转置；在单个神经元的线性回归上看清一个训练步的"
        "四个阶段。",
    ),
    "home.title": ("Deep learning, hands-on", "动手玩深度学习"),
    "home.intro": (
        "Every chart in this app comes from a **real Keras model trained by "
        "TensorFlow** on this server, not from a drawing. Each page isolates one "
        "idea: move a slider, watch the numbers change, then download the Keras "
        "script and run it yourself. This page covers the two things everything else "
        "builds on: **tensors** (how data is stored) and the **training loop** (how a "
        "model learns).",
        "本应用中的每张图都来自在这台服务器上**由 TensorFlow 真实训练的 Keras 模型**，"
        "而不是示意图。每一页只讲一个概念：拖动滑块，观察数字如何变化，然后下载 Keras "
        "脚本自己运行。本页介绍其余一切的基础：**张量**（数据如何存储）和**训练循环**"
        "（模型如何学习）。",
    ),
    # 1. curriculum map
    "home.map.title": ("What you will learn", "学习路线"),
    # 2. tensors
    "home.tensor.title": ("Tensors: how data is stored", "张量：数据如何存储"),
    "home.tensor.intro": (
        "A **tensor** is an n-dimensional array of numbers (in Keras and TensorFlow, "
        "and a NumPy `ndarray` here). Its **shape** lists the length of every axis; "
        "**ndim** is the number of axes. Pick a kind to see a real array.",
        "**张量**是 n 维的数值数组（Keras 和 TensorFlow 中的张量，这里用 NumPy 的 "
        "`ndarray`）。**形状**列出每个轴的长度；**ndim** 是轴的个数。选择一种张量，"
        "查看一个真实的数组。",
    ),
    "home.tensor.kind": ("Kind of tensor", "张量类型"),
    "home.kind.scalar": ("0-D scalar", "0 维：标量"),
    "home.kind.vector": ("1-D vector", "1 维：向量"),
    "home.kind.matrix": ("2-D matrix", "2 维：矩阵"),
    "home.kind.sequence": ("3-D sequence batch", "3 维：序列批量"),
    "home.kind.images": ("4-D image batch", "4 维：图像批量"),
    "home.kind_desc.scalar": (
        "A **scalar** is a single number, e.g. a loss value or a learning rate. "
        "It has no axes: shape `()`.",
        "**标量**就是一个数，例如一个损失值或学习率。它没有轴：形状为 `()`。",
    ),
    "home.kind_desc.vector": (
        "A **vector** is a list of numbers, e.g. the features of one sample or the "
        "biases of a layer. Shape `(features,)`.",
        "**向量**是一列数，例如一个样本的特征或一层的偏置。形状为 `(特征,)`。",
    ),
    "home.kind_desc.matrix": (
        "A **matrix** has rows and columns. A batch of tabular data is "
        "`(samples, features)`; the weights of a `Dense` layer are "
        "`(inputs, units)`.",
        "**矩阵**有行和列。一批表格数据的形状是 `(样本, 特征)`；`Dense` 层的权重是 "
        "`(输入, 单元)`。",
    ),
    "home.kind_desc.sequence": (
        "A batch of sequences (time series, sentences) is 3-D: "
        "`(samples, timesteps, features)`, the input of recurrent layers. Here: 2 "
        "sequences of 5 time steps with 3 features each.",
        "一批序列（时间序列、句子）是 3 维的：`(样本, 时间步, 特征)`，即循环层的输入。"
        "这里是 2 条序列，每条 5 个时间步，每步 3 个特征。",
    ),
    "home.kind_desc.images": (
        "A batch of images is 4-D: `(samples, height, width, channels)` (Keras' "
        "channels-last format). Here: 4 real 8×8 grey handwritten digits from "
        "scikit-learn, pixels in [0, 1], one channel.",
        "一批图像是 4 维的：`(样本, 高, 宽, 通道)`（Keras 默认的通道在后格式）。这里是 "
        "4 张来自 scikit-learn 的真实 8×8 灰度手写数字，像素值在 [0, 1]，1 个通道。",
    ),
    "home.tensor.shape": ("shape", "形状 shape"),
    "home.tensor.ndim": ("ndim (axes)", "轴数 ndim"),
    "home.tensor.dtype": ("dtype", "数据类型 dtype"),
    "home.tensor.size": ("size (elements)", "元素个数 size"),
    "home.tensor.values": ("The array", "数组"),
    "home.tensor.labels": ("Digits shown: {labels}", "图中的数字：{labels}"),
    "home.tensor.reshape": ("Reshape", "改变形状（reshape）"),
    "home.tensor.reshape_to": (
        "New shape (same number of elements)",
        "新形状（元素个数不变）",
    ),
    "home.tensor.reshape_note": (
        "`reshape` keeps the elements **in the same order** (row-major: the last axis "
        "changes fastest) and only regroups them, like re-cutting one long strip of "
        "numbers into rows. A 4-D image batch reshaped to `(4, 64)` is how a `Flatten` "
        "layer feeds images into a `Dense` layer.",
        "`reshape` 保持元素的**顺序不变**（按行优先：最后一个轴变化最快），"
        "只是重新分组，就像把一长条数字重新切成若干行。把 4 维图像批量改成 `(4, 64)`，"
        "正是 `Flatten` 层把图像送入 `Dense` 层的方式。",
    ),
    "home.tensor.transpose": ("Transpose", "转置（transpose）"),
    "home.tensor.transpose_axes": ("New order of the axes", "轴的新顺序"),
    "home.tensor.transpose_note": (
        "`transpose` **moves axes**: axis i of the result is axis `axes[i]` of the "
        "input, so the order of the elements changes (`result[j, i] = x[i, j]`). "
        "Swapping height and width mirrors every digit along its diagonal.",
        "`transpose` **移动轴**：结果的第 i 个轴是输入的第 `axes[i]` 个轴，"
        "因此元素的顺序会改变（`结果[j, i] = x[i, j]`）。"
        "交换高和宽会把每个数字沿对角线翻转。",
    ),
    "home.tensor.result": ("Result: shape `{shape}`", "结果：形状 `{shape}`"),
    "home.tensor.scalar_note": (
        "A scalar has no axes, so there is nothing to reshape or transpose. Pick a "
        "vector or more.",
        "标量没有轴，所以无法改变形状或转置。请选择向量或更高维的张量。",
    ),
    "home.tensor.more_panels": (
        "showing the first {shown} of {total} panels",
        "只显示 {total} 个面板中的前 {shown} 个",
    ),
    "home.axis.samples": ("samples", "样本"),
    "home.axis.features": ("features", "特征"),
    "home.axis.timesteps": ("timesteps", "时间步"),
    "home.axis.height": ("height", "高"),
    "home.axis.width": ("width", "宽"),
    "home.axis.channels": ("channels", "通道"),
    "home.axis.generic": ("axis {k}", "轴 {k}"),
    "home.axis.named": ("{name} (axis {k})", "{name}（轴 {k}）"),
    # 3. the training loop
    "home.loop.title": (
        "The training loop, one step at a time",
        "训练循环：一步一步看",
    ),
    "home.loop.intro": (
        "The smallest model there is: one neuron, **ŷ = w·x + b**, fitted to 64 noisy "
        "points of y = 2x + 1. Every training step of every network in this app does "
        "the same four things: the **forward pass** computes ŷ for a mini-batch, the "
        "**loss** (mean squared error) measures how wrong it is, the **gradient** "
        "(from `tf.GradientTape`) says which way the loss goes up, and the "
        "**parameter update** (`keras.optimizers.SGD`) takes a small step the other "
        "way.",
        "最小的模型：一个神经元，**ŷ = w·x + b**，拟合 y = 2x + 1 加噪声的 64 个点。"
        "本应用中每个网络的每个训练步都做同样的四件事：**前向传播**为一个小批量计算 "
        "ŷ，**损失**（均方误差）衡量错得有多远，**梯度**（由 `tf.GradientTape` 计算）"
        "指出损失上升的方向，**参数更新**（`keras.optimizers.SGD`）"
        "朝相反方向迈出一小步。",
    ),
    "home.loop.method": ("Gradient descent flavour", "梯度下降的方式"),
    "home.preset.batch": ("Batch (all 64)", "批量（64）"),
    "home.preset.minibatch": ("Mini-batch (8)", "小批量（8）"),
    "home.preset.stochastic": ("Stochastic (1)", "随机（1）"),
    "home.preset.none": ("(your own settings)", "（自定义设置）"),
    "home.preset.noisy": (
        "Stochastic, learning rate 0.3: noisy steps",
        "随机梯度下降、学习率 0.3：步子很“抖”",
    ),
    "home.loop.batch_size": ("Batch size", "批量大小"),
    "home.loop.lr": ("Learning rate η", "学习率 η"),
    "home.loop.steps": ("Steps", "步数"),
    "home.loop.step": ("Step", "当前步"),
    "home.loop.next": ("Step ▶", "下一步 ▶"),
    "home.loop.reset": ("Reset", "重置"),
    "home.loop.play": ("Animation", "动画"),
    "home.loop.play_note": (
        "Press ▶ in the chart to play from the current step. The four phases below "
        "follow the Step slider, not the animation.",
        "点击图中的 ▶ 从当前步开始播放。下面的四个阶段跟随“当前步”滑块，而不是动画。",
    ),
    "home.loop.play_help": (
        "Shows the three charts as one animation: press ▶ inside the chart.",
        "把三张图合成一个动画：点击图中的 ▶ 播放。",
    ),
    "home.loop.status": (
        "**Step {step} of {steps}** (epoch {epoch}): a mini-batch of **{m}** of the "
        "{n} points, shown in orange.",
        "**第 {step} / {steps} 步**（第 {epoch} 轮）：从 {n} 个点中取 **{m}** "
        "个组成小批量，图中以橙色显示。",
    ),
    "home.phase.forward": ("① Forward pass", "① 前向传播"),
    "home.phase.loss": ("② Loss", "② 损失"),
    "home.phase.gradient": ("③ Gradient", "③ 梯度"),
    "home.phase.update": ("④ Parameter update", "④ 参数更新"),
    "home.phase.forward.note": (
        "The model predicts ŷ for every point of the mini-batch.",
        "模型为小批量中的每个点预测 ŷ。",
    ),
    "home.phase.loss.note": (
        "`keras.losses.MeanSquaredError` on the mini-batch (m = batch size).",
        "在小批量上计算 `keras.losses.MeanSquaredError`（m 为批量大小）。",
    ),
    "home.phase.gradient.note": (
        "`tf.GradientTape` differentiates the loss with respect to w and b.",
        "`tf.GradientTape` 计算损失对 w 和 b 的梯度。",
    ),
    "home.phase.update.note": (
        "`SGD.apply_gradients`: a step of size η against the gradient.",
        "`SGD.apply_gradients`：沿梯度的反方向迈出大小为 η 的一步。",
    ),
    "home.loop.noise_note": (
        "**Look at the path.** With the whole data set per step (batch) the gradient "
        "is exact and the path glides smoothly into the minimum. A mini-batch gives "
        "only an *estimate* of the gradient: the path zig-zags, and with one sample "
        "per step (stochastic) it never settles; it keeps jittering around the "
        "minimum, and the loss curve stays noisy. That noise is the price of cheap "
        "steps; **mini-batch stochastic gradient descent** is the compromise every "
        "network in this app trains with. A smaller learning rate calms the noise but "
        "needs more steps.",
        "**看这条路径**。每步使用全部数据（批量）时梯度是精确的，路径平滑地滑入最小值。"
        "小批量只能给出梯度的*估计*：路径呈锯齿状；每步只用一个样本（随机）时，路径永远"
        "停不下来，一直在最小值附近抖动，损失曲线也始终有噪声。这些噪声是每步计算便宜的"
        "代价；**小批量随机梯度下降**正是两者的折中，本应用中的每个网络都用它训练。较小的"
        "学习率能减小噪声，但需要更多步数。",
    ),
    "home.loop.final": (
        "After {steps} steps: w = {w:.3f}, b = {b:.3f}, loss = {loss:.4f}. "
        "Least squares (the exact optimum): w* = {w_star:.3f}, b* = {b_star:.3f}, "
        "loss = {loss_star:.4f}.",
        "{steps} 步之后：w = {w:.3f}，b = {b:.3f}，损失 = {loss:.4f}。"
        "最小二乘解（精确最优）：w* = {w_star:.3f}，b* = {b_star:.3f}，损失 = "
        "{loss_star:.4f}。",
    ),
    "home.loop.diverged": (
        "The loss exploded: this learning rate is too large for this batch size. "
        "Try a smaller one.",
        "损失爆炸了：对这个批量大小来说学习率过大。请调小学习率。",
    ),
    # figures
    "home.fig.fit": ("Data and the model's line", "数据与模型的直线"),
    "home.fig.data": ("data", "数据"),
    "home.fig.batch": ("mini-batch", "小批量"),
    "home.fig.model": ("ŷ = w·x + b", "ŷ = w·x + b"),
    "home.fig.least_squares": ("least squares", "最小二乘"),
    "home.fig.surface": ("Loss over (w, b)", "损失随 (w, b) 的变化"),
    "home.fig.optimum": ("minimum", "最小值"),
    "home.fig.path": ("path", "路径"),
    "home.fig.current": ("current (w, b)", "当前 (w, b)"),
    "home.fig.arrow": ("−η·∇L", "−η·∇L"),
    "home.fig.loss": ("Loss per step", "每步的损失"),
    "home.fig.loss_log": ("loss (log scale)", "损失（对数刻度）"),
    "home.fig.batch_loss": (
        "mini-batch loss (in the step, before its update)",
        "小批量损失（该步更新之前）",
    ),
    "home.fig.full_loss": (
        "loss on all data (after the step)",
        "全部数据上的损失（该步之后）",
    ),
    "home.fig.anim_title": (
        "step {step} / {steps}<br>w = {w:.3f},  b = {b:.3f}<br>"
        "mini-batch loss = {loss:.4f}",
        "第 {step} / {steps} 步<br>w = {w:.3f}，b = {b:.3f}<br>小批量损失 = {loss:.4f}",
    ),
    "home.fig.fit_short": ("The model's line", "模型的直线"),
    "home.fig.play": ("▶ Play", "▶ 播放"),
    "home.fig.pause": ("❚❚ Pause", "❚❚ 暂停"),
}
