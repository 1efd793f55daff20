"""Strings of the Optimizers topic (landscapes, optimizers, schedules, figures)."""

STRINGS: dict[str, tuple[str, str]] = {
    # navigation title and home-page blurb of this topic
    "nav.optimizers": ("Optimizers", "优化器"),
    "home.about.optimizers": (
        "SGD, momentum, RMSProp and Adam race on loss landscapes; learning-rate "
        "schedules, gradient clipping and batch size.",
        "SGD、动量法、RMSProp 和 Adam 在损失曲面上比赛；"
        "学习率调度、梯度裁剪与批量大小。",
    ),
    "opt.title": ("Optimizers", "优化器"),
    # optimizers (registry keys of dlcore.optimizers.OPTIMIZERS)
    "opt.name.sgd": ("SGD", "随机梯度下降 (SGD)"),
    "opt.name.momentum": ("SGD + momentum", "动量法"),
    "opt.name.nesterov": ("Nesterov momentum", "Nesterov 动量法"),
    "opt.name.rmsprop": ("RMSprop", "RMSProp"),
    "opt.name.adagrad": ("Adagrad", "AdaGrad"),
    "opt.name.adadelta": ("Adadelta", "Adadelta"),
    "opt.name.adam": ("Adam", "Adam"),
    "opt.name.adamw": ("AdamW", "AdamW"),
    "opt.name.nadam": ("Nadam", "Nadam"),
    "opt.name.adamax": ("Adamax", "Adamax"),
    "opt.name.lion": ("Lion", "Lion"),
    # landscapes (keys of dlcore.optimizers.landscapes.LANDSCAPES)
    "opt.land.quadratic": ("Ill-conditioned quadratic", "病态二次函数"),
    "opt.land.rosenbrock": (
        "Rosenbrock (banana valley)",
        "Rosenbrock 函数（香蕉形山谷）",
    ),
    "opt.land.beale": ("Beale", "Beale 函数"),
    "opt.land.himmelblau": (
        "Himmelblau (four minima)",
        "Himmelblau 函数（四个极小值）",
    ),
    "opt.land.saddle": ("Saddle x² − y²", "鞍点 x² − y²"),
    "opt.land.rastrigin": (
        "Rastrigin (many local minima)",
        "Rastrigin 函数（大量局部极小值）",
    ),
    "opt.land.cliff": ("Cliff (a steep wall)", "悬崖（陡峭的墙）"),
    # hyper-parameters (Keras keyword names)
    "opt.hp.learning_rate": ("learning rate η", "学习率 η"),
    "opt.hp.momentum": ("momentum β", "动量 β"),
    "opt.hp.nesterov": ("Nesterov", "Nesterov 动量"),
    # ρ averages g² (RMSprop, Adadelta): not the schedules' "decay rate r"
    "opt.hp.rho": ("moving-average factor ρ", "滑动平均系数 ρ"),
    "opt.hp.epsilon": ("epsilon ε", "数值稳定项 ε"),
    "opt.hp.centered": ("centered", "中心化"),
    "opt.hp.initial_accumulator_value": ("initial accumulator s₀", "累加器初值 s₀"),
    "opt.hp.beta_1": ("β₁ (first moment)", "β₁（一阶矩）"),
    "opt.hp.beta_2": ("β₂ (second moment)", "β₂（二阶矩）"),
    "opt.hp.amsgrad": ("AMSGrad", "AMSGrad"),
    "opt.hp.weight_decay": ("decoupled weight decay λ", "解耦权重衰减 λ"),
    # labels that follow one optimizer's formula (opt.hp.<optimizer>.<keyword>)
    "opt.hp.rmsprop.momentum": ("momentum μ", "动量 μ"),
    "opt.hp.adam.epsilon": ("epsilon ε̂", "数值稳定项 ε̂"),
    "opt.hp.adamw.epsilon": ("epsilon ε̂", "数值稳定项 ε̂"),
    "opt.hp.adamax.beta_2": ("β₂ (decay of the max norm u)", "β₂（最大范数 u 的衰减）"),
    "opt.hp.lion.beta_1": (
        "β₁ (mix of m and g in the step)",
        "β₁（更新方向中 m 与 g 的混合）",
    ),
    "opt.hp.lion.beta_2": ("β₂ (momentum m)", "β₂（动量 m）"),
    "opt.hp.clipnorm": ("clip by norm c", "按范数裁剪 c"),
    "opt.hp.clipvalue": ("clip by value c", "按值裁剪 c"),
    "opt.hp.global_clipnorm": ("clip by global norm c", "按全局范数裁剪 c"),
    "opt.hp.condition_number": ("condition number κ", "条件数 κ"),
    "opt.hp.decay_steps": ("decay steps T", "衰减步数 T"),
    "opt.hp.decay_rate": ("decay rate r", "衰减率 r"),
    "opt.hp.staircase": ("staircase", "阶梯式"),
    "opt.hp.decay_factor": ("factor γ at each boundary", "每个边界处的倍率 γ"),
    "opt.hp.alpha": ("final fraction α", "最终比例 α"),
    "opt.hp.warmup_steps": ("warm-up steps W", "预热步数 W"),
    "opt.hp.end_learning_rate": ("final learning rate η_T", "最终学习率 η_T"),
    "opt.hp.power": ("power p", "幂次 p"),
    "opt.hp.cycle": ("cycle", "循环"),
    # learning-rate schedules (keys of dlcore.optimizers.SCHEDULES)
    "opt.schedule.constant": ("constant", "常数"),
    "opt.schedule.exponential": ("exponential decay", "指数衰减"),
    "opt.schedule.piecewise": ("piecewise constant", "分段常数"),
    "opt.schedule.cosine": ("cosine decay", "余弦衰减"),
    "opt.schedule.cosine_warmup": (
        "cosine decay after {count} warm-up steps",
        "预热 {count} 步后余弦衰减",
    ),
    "opt.schedule.cosine_warmup.one": (
        "cosine decay after {count} warm-up step",
        "预热 {count} 步后余弦衰减",
    ),
    "opt.schedule.inverse_time": ("inverse-time decay", "逆时衰减"),
    "opt.schedule.polynomial": ("polynomial decay", "多项式衰减"),
    # gradient clipping
    "opt.clip.none": ("no clipping", "不裁剪"),
    "opt.clip.clipnorm": ("clipnorm = {c:g}", "按范数裁剪 c = {c:g}"),
    "opt.clip.clipvalue": ("clipvalue = {c:g}", "按值裁剪 c = {c:g}"),
    "opt.clip.global_clipnorm": ("global_clipnorm = {c:g}", "按全局范数裁剪 c = {c:g}"),
    "opt.clip.bound": ("bound η·c = {bound:g}", "上限 η·c = {bound:g}"),
    # critical points and markers
    "opt.point.global": ("global minimum", "全局最小值"),
    "opt.point.local": ("local minimum", "局部极小值"),
    "opt.point.saddle": ("saddle point", "鞍点"),
    "opt.point.maximum": ("local maximum", "局部极大值"),
    "opt.start": ("start", "起点"),
    "opt.least_squares": ("least-squares solution", "最小二乘解"),
    "opt.diverged": (
        "{name} diverged at step {step}: θ blew up (|θ| > 10⁶, ∞ or NaN), so its "
        "path ends there. Usually the learning rate is too large for this landscape.",
        "{name} 在第 {step} 步发散：θ 爆炸了（|θ| > 10⁶、∞ 或 NaN），路径到此为止。"
        "通常是学习率对这个损失曲面来说太大了。",
    ),
    "opt.batch_size_n": ("batch size {n}", "批量大小 {n}"),
    "opt.full_batch": ("full batch ({n})", "全批量（{n}）"),
    # animation controls
    "opt.play": ("▶ Play", "▶ 播放"),
    "opt.pause": ("❚❚ Pause", "❚❚ 暂停"),
    "opt.step_prefix": ("step ", "步数 "),
    "opt.step_suffix": (" of {n}", " / {n}"),
    "opt.log_zero": (
        "{name}: exactly 0 at step {step} (a log scale cannot show 0)",
        "{name}：第 {step} 步恰好为 0（对数刻度无法显示 0）",
    ),
    # figure titles
    "opt.fig.contour": ("Loss landscape: {landscape}", "损失曲面：{landscape}"),
    "opt.fig.surface": (
        "The landscape in 3-D: {landscape}",
        "三维损失曲面：{landscape}",
    ),
    "opt.fig.loss": ("Loss per step", "每一步的损失"),
    "opt.fig.distance": ("Distance to the nearest minimum", "到最近极小值点的距离"),
    "opt.fig.schedule": ("Learning rate per step", "每一步的学习率"),
    "opt.fig.clipping": ("Gradient clipping at a cliff", "悬崖处的梯度裁剪"),
    "opt.fig.minibatch": (
        "Mini-batch SGD on a linear regression",
        "线性回归上的小批量随机梯度下降",
    ),
    "opt.fig.theory": ("Rate per step: theory vs. Keras", "每步收敛率：理论与 Keras"),
    "opt.fig.step_length": ("Length of each step", "每一步的步长"),
    "opt.fig.race": ("Optimizer race on {dataset}", "优化器竞赛：{dataset}"),
    "opt.fig.race_accuracy": ("Validation accuracy", "验证集准确率"),
    # axes and legends
    "opt.axis.step": ("step t", "步数 t"),
    "opt.axis.iterations": ("t = updates already made", "t = 已完成的更新次数"),
    "opt.axis.loss": ("loss f(θ)", "损失 f(θ)"),
    "opt.axis.loss_log": ("loss (log scale)", "损失（对数刻度）"),
    "opt.axis.distance": ("distance ‖θ − θ*‖", "距离 ‖θ − θ*‖"),
    "opt.axis.lr": ("learning rate η", "学习率 η"),
    "opt.axis.step_length": ("step length ‖θₜ − θₜ₋₁‖", "步长 ‖θₜ − θₜ₋₁‖"),
    "opt.axis.kappa": ("condition number κ", "条件数 κ"),
    "opt.axis.rate": ("rate per step (lower is faster)", "每步收敛率（越小越快）"),
    "opt.axis.epoch": ("epoch", "轮次"),
    "opt.axis.train_loss": ("training loss", "训练损失"),
    "opt.axis.val_accuracy": ("validation accuracy", "验证集准确率"),
    "opt.theory.gd_predicted": (
        "GD, theory (κ−1)/(κ+1)",
        "梯度下降，理论值 (κ−1)/(κ+1)",
    ),
    "opt.theory.gd_observed": (
        "GD, measured (Keras SGD)",
        "梯度下降，实测（Keras SGD）",
    ),
    "opt.theory.momentum_predicted": (
        "momentum, theory (√κ−1)/(√κ+1)",
        "动量法，理论值 (√κ−1)/(√κ+1)",
    ),
    "opt.theory.momentum_observed": (
        "momentum, measured (Keras SGD)",
        "动量法，实测（Keras SGD）",
    ),
    # race datasets
    "opt.dataset.digits": ("digits (8×8 images)", "手写数字（8×8 图像）"),
    "opt.dataset.spiral": ("spiral", "螺旋数据集"),
    # the page
    "opt.intro": (
        "Every step on this page is the real Keras update: "
        "`keras.optimizers.X.apply_gradients` on a two-number `keras.Variable` θ = "
        "(x, y), with the gradient from `tf.GradientTape` on a loss written in "
        "TensorFlow ops. Pick a landscape, up to five optimizers and a start point; "
        "press ▶ to watch them race, or drag the step slider under the chart.",
        "本页的每一步都是真实的 Keras 更新：在一个只有两个数的 `keras.Variable` θ = "
        "(x, y) 上调用 `keras.optimizers.X.apply_gradients`，梯度由 `tf.GradientTape` "
        "对用 TensorFlow 运算写成的损失函数求得。选择一个损失曲面、最多五个优化器和一"
        "个起点；按 ▶ 观看它们比赛，或拖动图下方的步数滑块。",
    ),
    "opt.tab.explore": ("Landscapes", "损失曲面"),
    "opt.tab.schedules": ("Learning-rate schedules", "学习率调度"),
    "opt.tab.clipping": ("Gradient clipping", "梯度裁剪"),
    "opt.tab.batch": ("Batch size", "批量大小"),
    "opt.tab.theory": ("Why momentum works", "动量为何有效"),
    "opt.tab.race": ("Race on a real network", "真实网络上的比赛"),
    "opt.preset.none": ("(choose a preset)", "（选择预设）"),
    "opt.preset.valley": (
        "Momentum in a narrow valley (κ = 50)",
        "狭长山谷中的动量法（κ = 50）",
    ),
    "opt.preset.rosenbrock": (
        "Adam vs. SGD on Rosenbrock",
        "Rosenbrock 函数上的 Adam 与 SGD",
    ),
    "opt.preset.too_large": (
        "Too large a learning rate (diverges)",
        "学习率过大（发散）",
    ),
    "opt.preset.saddle": ("Escaping a saddle point", "逃离鞍点"),
    "opt.preset.clipping": ("Clipping at the cliff", "悬崖处的梯度裁剪"),
    "opt.preset.race_spiral": (
        "Race on the spiral: 30 epochs",
        "螺旋数据集上的比赛：30 轮",
    ),
    "opt.landscape": ("Loss landscape", "损失曲面"),
    "opt.optimizers": ("Optimizers (up to five)", "优化器（最多五个）"),
    "opt.optimizer": ("Optimizer", "优化器"),
    "opt.steps": ("Steps", "步数"),
    "opt.start_x": ("start x₀", "起点 x₀"),
    "opt.start_y": ("start y₀", "起点 y₀"),
    "opt.pick": ("click: start here", "点击：从这里出发"),
    "opt.pick_help": (
        "Or click anywhere on the chart to start every optimizer there.",
        "也可以直接点击图中任意位置，让所有优化器从那里出发。",
    ),
    "opt.pick_one": ("Choose at least one optimizer.", "请至少选择一个优化器。"),
    "opt.surface": ("Show the 3-D surface", "显示三维曲面"),
    "opt.rules": ("Hyper-parameters and update rules", "超参数与更新规则"),
    "opt.rules_note": (
        "Each rule is written from the Keras 3 source, in the order Keras computes "
        "it; g is the gradient ∇f(θ), t the step number, and every operation is "
        "element-wise.",
        "每条规则都照 Keras 3 源代码写出，顺序与 Keras 的计算顺序一致；"
        "g 是梯度 ∇f(θ)，t 是步数，所有运算都按元素进行。",
    ),
    "opt.reference": ("Reference: {ref}", "参考文献：{ref}"),
    "opt.adamw.decoupled": (
        "**Decoupled weight decay** (Keras' AdamW `weight_decay` λ): before the "
        "Adam step Keras shrinks every weight, $\\theta \\leftarrow \\theta - "
        "\\eta\\lambda\\theta$, and the Adam step uses the gradient of the loss "
        "alone. It is **not an L2 penalty** $\\lambda\\lVert\\theta\\rVert^2$ "
        "added to the loss (the MLP playground's regulariser): that penalty's "
        "gradient $2\\lambda\\theta$ joins $g$ and is divided by "
        "$\\sqrt{v} + \\hat\\epsilon$ like the rest, so weights with large "
        "gradients decay less than others. With plain SGD the two give the same step "
        "(a penalty λ′ equals decay λ = 2λ′); with Adam they do not "
        "(Loshchilov & Hutter, 2019).",
        "**解耦权重衰减**（Keras AdamW 的 `weight_decay` λ）：在 Adam 更新之前，"
        "Keras 先把每个权重缩小，$\\theta \\leftarrow \\theta - "
        "\\eta\\lambda\\theta$，然后 Adam 更新只使用损失函数的梯度。它**不是**加到"
        "损失上的 **L2 惩罚项** $\\lambda\\lVert\\theta\\rVert^2$（MLP 游乐场中的"
        "正则化）：该惩罚项的梯度 $2\\lambda\\theta$ 会并入 $g$，和其余梯度一样"
        "被 $\\sqrt{v} + \\hat\\epsilon$ 除，于是梯度大的权重衰减得更少。"
        "对普通 SGD 两者是同一步（惩罚 λ′ 相当于衰减 λ = 2λ′）；对 Adam 则不同"
        "（Loshchilov & Hutter，2019）。",
    ),
    "opt.hp.initial_lr": ("initial learning rate η₀", "初始学习率 η₀"),
    "opt.bad_setting": (
        "These settings cannot be used: {error}",
        "无法使用这些设置：{error}",
    ),
    "opt.predicted": ("{name}, theory", "{name}，理论值"),
    # schedules
    "opt.schedule": ("Schedule", "调度方式"),
    "opt.schedule_t": (
        "t counts the updates already made (Keras calls the schedule with "
        "`optimizer.iterations`), so the first update uses the rate at t = 0.",
        "t 是已完成的更新次数（Keras 用 `optimizer.iterations` 调用调度函数），"
        "所以第一次更新使用 t = 0 时的学习率。",
    ),
    "opt.schedule_note": (
        "Both paths use the same optimizer and start; only the learning rate per step "
        "differs (`keras.optimizers.schedules`, evaluated at each step by the "
        "optimizer). A large rate moves fast but bounces; decaying it lets the path "
        "settle, and a warm-up keeps the first steps small.",
        "两条路径使用相同的优化器和起点，只有每一步的学习率不同"
        "（`keras.optimizers.schedules`，由优化器在每一步求值）。大学习率前进快但会来"
        "回震荡；让它衰减，路径就能稳定下来；预热则让最初几步保持很小。",
    ),
    # clipping
    "opt.clip.kinds": ("Clipping", "裁剪方式"),
    "opt.clip.c": ("threshold c", "阈值 c"),
    "opt.clip.note": (
        "With a single variable θ, clipnorm and global_clipnorm are the same; "
        "they differ when a model has several weight tensors.",
        "只有一个变量 θ 时，clipnorm 与 global_clipnorm 完全相同；模型有多个权重张量时"
        "二者才不同。",
    ),
    "opt.clip.lesson": (
        "At the wall the gradient is about 120 times larger than on the plateau, so "
        "one unclipped step throws θ far away (see the length of each step, log "
        "scale). Clipping the gradient bounds every step by η·c, so the path walks "
        "down the wall instead.",
        "在悬崖壁上，梯度比平台上大约大 120 倍，一次不裁剪的更新会把 θ 甩得很远"
        "（见每一步的步长图，对数刻度）。裁剪梯度后每一步最多走 η·c，"
        "路径就会沿着悬崖壁走下来。",
    ),
    # batch size
    "opt.batch.sizes": ("Batch sizes", "批量大小"),
    "opt.batch.data": (
        "Data: {n} points y = {w:g}·x {b} + noise. The loss is the mean squared "
        "error of y ≈ w·x + b; each step of Keras SGD uses a fresh random mini-batch.",
        "数据：{n} 个点，y = {w:g}·x {b} + 噪声。损失是 y ≈ w·x + b 的均方误差；"
        "Keras SGD 的每一步都随机抽取一个新的小批量。",
    ),
    "opt.batch.lesson": (
        "The full batch (gradient descent) follows the true gradient straight to the "
        "least-squares solution. Smaller batches estimate the gradient from fewer "
        "points: each step is cheaper but noisier, and with a fixed learning rate the "
        "path keeps jittering around the minimum (batch size 1 is stochastic gradient "
        "descent).",
        "全批量（梯度下降）沿真实梯度直达最小二乘解。批量越小，梯度是用越少的点估计的："
        "每一步更便宜但噪声更大，学习率固定时路径会一直在最小值附近抖动"
        "（批量大小为 1 就是随机梯度下降）。",
    ),
    "opt.fig.minibatch_loss": (
        "Full-data loss above the optimum",
        "全部数据上的损失减去最优值",
    ),
    "opt.axis.excess_loss": ("loss − least-squares loss", "损失 − 最小二乘损失"),
    # momentum theory
    "opt.theory.gd": ("gradient descent", "梯度下降"),
    "opt.theory.momentum": ("momentum (heavy ball)", "动量法（重球法）"),
    "opt.theory.predicted": ("predicted rate", "理论收敛率"),
    "opt.theory.observed": ("measured rate", "实测收敛率"),
    "opt.theory.lesson": (
        "On the quadratic the Hessian has eigenvalues 1 and κ. Plain gradient descent "
        "with its best step shrinks the error by (κ − 1)/(κ + 1) per step, which is "
        "close to 1 when κ is large; momentum with its best (η, β) reaches "
        "(√κ − 1)/(√κ + 1), a square-root improvement (Goh, *Why Momentum Really "
        "Works*, Distill 2017). The dots are measured on Keras SGD: theory and Keras "
        "agree. Momentum's measured rate sits slightly above r: at the best (η, β) "
        "the two roots of each direction coincide, so the error shrinks like t·rᵗ "
        "rather than rᵗ.",
        "二次函数的 Hessian 矩阵的特征值为 1 和 κ。使用最佳步长的梯度下降每一步把误差"
        "缩小为原来的 (κ − 1)/(κ + 1)，κ 很大时这个数接近 1；使用最佳 (η, β) "
        "的动量法达到 (√κ − 1)/(√κ + 1)，相当于把 κ 开了平方根（Goh，*Why Momentum "
        "Really Works*，Distill 2017）。圆点是在 Keras SGD 上实测的：理论与 Keras "
        "吻合。动量法的实测收敛率略高于 r：在最佳 (η, β) 下每个方向的两个特征根重合，"
        "误差按 t·rᵗ 而不是 rᵗ 缩小。",
    ),
    # race on a real network
    "opt.race.dataset": ("Dataset", "数据集"),
    "opt.race.epochs": ("Epochs", "训练轮数"),
    "opt.race.batch_size": ("Batch size", "批量大小"),
    "opt.race.keras_default": ("Keras default", "Keras 默认值"),
    "opt.race.optimizer": ("optimizer", "优化器"),
    "opt.race.note": (
        "The same small Keras model (MLP) and the same initial weights for every "
        "optimizer, trained on the same batches; only the optimizer changes.",
        "每个优化器训练的都是同一个小型 Keras 模型（多层感知机），初始权重相同，"
        "批量顺序也相同；唯一的区别是优化器。",
    ),
}
