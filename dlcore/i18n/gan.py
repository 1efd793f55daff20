"""Strings of the GAN page (生成对抗网络) and its figures."""

STRINGS: dict[str, tuple[str, str]] = {
    "nav.gan": ("GAN", "生成对抗网络"),
    "home.about.gan": (
        "A generator and a discriminator trained against each other on 2-D data "
        "(samples, the generator's manifold, the discriminator's heatmap, gradients, "
        "KL / JS, mode collapse measured) and a small DCGAN that draws digits.",
        "生成器与判别器在二维数据上相互对抗地训练（样本、生成器的流形、判别器热力图、"
        "梯度、KL / JS 散度、量化的模式崩溃），以及一个会写数字的小型 DCGAN。",
    ),
    "gan.title": ("Generative adversarial networks", "生成对抗网络"),
    "gan.intro": (
        "The generator G turns noise z into a sample; the discriminator D outputs "
        "the probability that a sample is real. They play "
        "min_G max_D E[log D(x)] + E[log(1 − D(G(z)))]: each training step updates "
        "D k times (loss BCE(real → 1) + BCE(fake → 0), only D's weights change), "
        "then G once against the frozen D, each with its own optimizer.",
        "生成器 G 把噪声 z 变成一个样本；判别器 D 输出样本为真实样本的概率。二者进行"
        "博弈 min_G max_D E[log D(x)] + E[log(1 − D(G(z)))]：每个训练步先更新 D k 次"
        "（损失 BCE(真 → 1) + BCE(假 → 0)，只改变 D 的权重），再让 G 对着冻结的 D "
        "更新一次，二者各有自己的优化器。",
    ),
    "gan.tab.lab": ("2-D GAN lab", "二维 GAN 实验室"),
    "gan.tab.losses": ("Losses", "损失函数"),
    "gan.tab.digits": ("Digits (DCGAN)", "手写数字（DCGAN）"),
    "gan.preset.none": ("(choose a preset)", "（选择预设）"),
    "gan.preset.ring": (
        "Ring of 8 Gaussians, non-saturating loss (the default)",
        "8 个高斯分布组成的圆环，非饱和损失（默认）",
    ),
    "gan.preset.collapse": (
        "Mode collapse: learning rates 0.008 (few modes, sharp samples)",
        "模式崩溃：学习率 0.008（只覆盖少数模式，样本很集中）",
    ),
    "gan.preset.fix": (
        "Its fix: the same GAN with learning rates 0.001",
        "解决办法：同样的 GAN，学习率改为 0.001",
    ),
    "gan.preset.saturating": (
        "Saturating loss vs a strong D (k = 3, D's rate 0.005): G barely learns",
        "饱和损失对强判别器（k = 3，D 的学习率 0.005）：G 几乎学不动",
    ),
    "gan.preset.saturating_fix": (
        "The same with the non-saturating loss: G learns",
        "同样设置换成非饱和损失：G 学会了",
    ),
    "gan.preset.wgan": (
        "Wasserstein loss with gradient penalty",
        "带梯度惩罚的 Wasserstein 损失",
    ),
    "gan.preset.moons": ("Two moons", "双月形"),
    "gan.preset.one_d_noise": (
        "A line from 1-D noise",
        "一维噪声生成一条线段",
    ),
    "gan.preset.digits": ("Digits DCGAN", "手写数字 DCGAN"),
    "gan.preset.digits_conditional": (
        "Conditional DCGAN: choose the digit",
        "条件 DCGAN：选择要生成的数字",
    ),
    # data
    "gan.data": ("Real distribution", "真实分布"),
    "gan.data.ring": ("Ring of 8 Gaussians", "8 个高斯圆环"),
    "gan.data.grid": ("Grid of 25 Gaussians", "25 个高斯网格"),
    "gan.data.line": ("Line", "线段"),
    "gan.data.moons": ("Two moons", "双月形"),
    "gan.data.spiral": ("Spiral", "螺旋线"),
    "gan.data.custom": ("Your points (CSV)", "自定义点（CSV）"),
    "gan.points": (
        "Your points: one 'x, y' per line (3 to 2000 points, |x|, |y| ≤ 100)",
        "自定义点：每行一个“x, y”（3 到 2000 个点，|x|、|y| ≤ 100）",
    ),
    "gan.points_upload": ("…or upload a CSV file", "……或上传 CSV 文件"),
    "gan.points_bad": (
        "These points cannot be used: {error}",
        "这些点无法使用：{error}",
    ),
    "gan.points_ok": ("{n} points read.", "已读入 {n} 个点。"),
    "gan.first_picture": (
        "The real distribution (4 000 samples; training starts below).",
        "真实分布（4 000 个样本；下方开始训练）。",
    ),
    # model controls
    "gan.noise_dim": ("Noise dimension", "噪声维度"),
    "gan.noise": ("Noise distribution", "噪声分布"),
    "gan.noise.uniform": ("Uniform U(−1, 1)", "均匀分布 U(−1, 1)"),
    "gan.noise.gaussian": ("Gaussian N(0, 1)", "高斯分布 N(0, 1)"),
    "gan.models": (
        "Generator, discriminator, optimizers, k, batch, seed",
        "生成器、判别器、优化器、k、批量、随机种子",
    ),
    "gan.generator": ("Generator G", "生成器 G"),
    "gan.discriminator": ("Discriminator D", "判别器 D"),
    "gan.layers": ("Hidden layers", "隐藏层数"),
    "gan.units": ("Units per layer", "每层单元数"),
    "gan.optimizer": ("Optimizer", "优化器"),
    "gan.lr": ("Learning rate", "学习率"),
    "gan.loss": ("Loss", "损失函数"),
    "gan.loss.minimax": ("Minimax (saturating)", "极小极大（饱和）"),
    "gan.loss.nonsat": ("Non-saturating", "非饱和"),
    "gan.loss.lsgan": ("Least squares (LSGAN)", "最小二乘（LSGAN）"),
    "gan.loss.wgan_gp": ("Wasserstein + gradient penalty", "Wasserstein + 梯度惩罚"),
    "gan.k": ("D updates per G update (k)", "每次更新 G 前更新 D 的次数（k）"),
    "gan.steps": ("Training steps", "训练步数"),
    "gan.every": ("Steps per frame (speed)", "每帧步数（速度）"),
    "gan.batch": ("Batch size", "批量大小"),
    "gan.play_speed": ("Animation speed", "动画速度"),
    "gan.speed.slow": ("slow", "慢"),
    "gan.speed.normal": ("normal", "中"),
    "gan.speed.fast": ("fast", "快"),
    "gan.manual": (
        "Step-through: single updates after training (d = one D update, "
        "g = one G update, b = both)",
        "单步执行：训练后的单次更新（d = 更新一次 D，g = 更新一次 G，b = 两者）",
    ),
    "gan.step_d": ("+1 D update", "+1 次 D 更新"),
    "gan.step_g": ("+1 G update", "+1 次 G 更新"),
    "gan.step_both": ("+1 step (both)", "+1 步（两者）"),
    "gan.step_clear": ("Clear", "清除"),
    "gan.manual_note": (
        "Each click continues the same run: it is replayed from its seed (cached, "
        "the same numbers) and the new updates are the last frames.",
        "每次点击都在同一次运行上继续：按种子重放（有缓存，数值相同），新的更新是最后几帧。",
    ),
    "gan.bad_config": (
        "This setup cannot be trained: {error}",
        "这个设置无法训练：{error}",
    ),
    "gan.show": ("Show", "显示"),
    "gan.layer.real": ("real samples", "真实样本"),
    "gan.layer.fake": ("generated samples", "生成样本"),
    "gan.layer.manifold": ("G's manifold", "G 的流形"),
    "gan.layer.heat": ("D's heatmap", "D 的热力图"),
    "gan.layer.arrows": ("G's gradients", "G 的梯度"),
    # figures
    "gan.fig.x": ("x₁", "x₁"),
    "gan.fig.y": ("x₂", "x₂"),
    "gan.fig.real": ("real", "真实"),
    "gan.fig.fake": ("generated", "生成"),
    "gan.fig.manifold": ("G's manifold", "G 的流形"),
    "gan.fig.arrows": ("gradient −∂L_G/∂x", "梯度 −∂L_G/∂x"),
    "gan.fig.prob": ("D(x)", "D(x)"),
    "gan.fig.critic": ("D's score", "D 的评分"),
    "gan.fig.step": ("step", "步"),
    "gan.fig.frame": ("step {step}", "第 {step} 步"),
    "gan.fig.frame_d": ("+D update", "+D 更新"),
    "gan.fig.frame_g": ("+G update", "+G 更新"),
    "gan.fig.frame_b": ("+1 step", "+1 步"),
    "gan.fig.play": ("Play", "播放"),
    "gan.fig.pause": ("Pause", "暂停"),
    "gan.fig.d_loss": ("D loss", "D 的损失"),
    "gan.fig.g_loss": ("G loss", "G 的损失"),
    "gan.fig.losses": ("Losses", "损失"),
    "gan.fig.kl": ("KL(P_real ‖ P_G)", "KL(P_real ‖ P_G)"),
    "gan.fig.js": ("JS(P_real, P_G)", "JS(P_real, P_G)"),
    "gan.fig.divergence": ("Divergence (nats)", "散度（奈特）"),
    "gan.fig.modes": ("Modes covered", "覆盖的模式数"),
    "gan.fig.quality": ("High-quality share", "高质量样本占比"),
    "gan.fig.heat_note": (
        "Heatmap: D(x) = sigmoid(D's logit), the probability that x is real "
        "(green = real, purple = generated).",
        "热力图：D(x) = sigmoid(D 的输出)，x 为真实样本的概率（绿 = 真，紫 = 生成）。",
    ),
    "gan.fig.critic_note": (
        "Heatmap: D's raw score (LSGAN: target 1 real, 0 generated; WGAN: the "
        "critic, higher = more real).",
        "热力图：D 的原始评分（LSGAN：真实目标 1、生成目标 0；"
        "WGAN：评论家，越高越真）。",
    ),
    "gan.estimator": (
        "KL and JS are estimated on a 30 × 30 grid over the plotted square: "
        "4 000 real and 4 000 generated samples (fixed noise) are binned (outside "
        "points in the nearest edge cell), each cell's count + 0.5, normalised to "
        "p (real) and q (generated); KL = Σ p log(p/q), "
        "JS = ½ KL(p‖m) + ½ KL(q‖m), m = (p + q)/2, in nats (JS ≤ log 2 ≈ 0.693).",
        "KL 和 JS 在绘图正方形上的 30 × 30 网格上估计：把 4 000 个真实样本和 4 000 个"
        "生成样本（固定噪声）分到格子里（范围外的点计入最近的边缘格），每格计数加 0.5，"
        "归一化为 p（真实）和 q（生成）；KL = Σ p log(p/q)，"
        "JS = ½ KL(p‖m) + ½ KL(q‖m)，m = (p + q)/2，单位为奈特（JS ≤ log 2 ≈ 0.693）。",
    ),
    "gan.coverage_rule": (
        "Modes: a generated sample is high quality when it lies within 3σ of a "
        "mode's centre; a mode is covered when at least 2 % of the 4 000 generated "
        "samples are high quality near it (Metz et al. 2017).",
        "模式：生成样本落在某个模式中心 3σ 以内即为高质量样本；某模式附近的高质量样本"
        "至少占 4 000 个生成样本的 2 % 时，该模式算作被覆盖（Metz 等，2017）。",
    ),
    "gan.metric.modes": ("Modes covered", "覆盖的模式"),
    "gan.metric.quality": ("High-quality samples", "高质量样本"),
    "gan.metric.js": ("JS divergence", "JS 散度"),
    "gan.metric.kl": ("KL divergence", "KL 散度"),
    "gan.frames_note": (
        "One figure, {frames} frames: press Play or drag the slider (no server "
        "round trips).",
        "一张图，{frames} 帧：点“播放”或拖动滑块（不需要与服务器往返）。",
    ),
    "gan.sample_title": ("Sample the trained generator", "从训练好的生成器采样"),
    # losses tab
    "gan.losses_intro": (
        "Each loss as a function of D's output on a generated sample. Early in "
        "training D rejects fakes (D(G(z)) ≈ 0): the saturating loss "
        "log(1 − D) is flat there, its gradient ∝ D → 0; the non-saturating loss "
        "−log D is steep, its gradient ∝ 1 − D → 1.",
        "各个损失作为 D 在生成样本上输出的函数。训练初期 D 能轻易识别假样本"
        "（D(G(z)) ≈ 0）：饱和损失 log(1 − D) 在那里很平，梯度 ∝ D → 0；"
        "非饱和损失 −log D 很陡，梯度 ∝ 1 − D → 1。",
    ),
    "gan.losses.formulas": (
        "The losses (what the code computes)",
        "损失函数（代码计算的内容）",
    ),
    "gan.losses.d_of_fake": ("D(G(z))", "D(G(z))"),
    "gan.losses.g_loss": ("G's loss", "G 的损失"),
    "gan.losses.grad": ("|∂L_G / ∂logit|", "|∂L_G / ∂logit|"),
    "gan.losses.at": ("D(G(z)) =", "D(G(z)) ="),
    "gan.losses.readout": (
        "At D(G(z)) = {at}: |∂L_G/∂logit| = {minimax} for the saturating loss "
        "(= D), {nonsat} for the non-saturating loss (= 1 − D).",
        "在 D(G(z)) = {at} 处：饱和损失的 |∂L_G/∂logit| = {minimax}（= D），"
        "非饱和损失的为 {nonsat}（= 1 − D）。",
    ),
    "gan.losses.check": (
        "Checked against keras.losses.BinaryCrossentropy on the same outputs: "
        "largest difference {diff}",
        "与 keras.losses.BinaryCrossentropy 在相同输出上比较：最大差 {diff}",
    ),
    # digits
    "gan.fig.digit": ("digit", "数字"),
    "gan.fig.alpha": ("α", "α"),
    "gan.fig.d_real": ("D's accuracy on real", "D 在真实图像上的准确率"),
    "gan.fig.d_fake": ("D's accuracy on generated", "D 在生成图像上的准确率"),
    "gan.fig.d_accuracy": ("D's accuracy", "D 的准确率"),
    "gan.dg.intro": (
        "A small DCGAN: G = Dense → Conv2DTranspose (stride 2) ×2 (tanh), D = "
        "Conv2D (stride 2) ×2 → Dense (a logit), LeakyReLU between, Adam (β₁ = 0.5) "
        "for each. The grid shows G's images from the same fixed noise at every "
        "snapshot.",
        "小型 DCGAN：G = 全连接层 → 转置卷积（步幅 2）×2（tanh），D = 卷积（步幅 2）×2 "
        "→ 全连接层（输出 logit），中间用 LeakyReLU，二者各用一个 Adam（β₁ = 0.5）。"
        "网格显示每个快照时 G 用同一组固定噪声生成的图像。",
    ),
    "gan.dg.source": ("Images", "图像"),
    "gan.dg.source.digits": ("8×8 digits (embedded)", "8×8 手写数字（内置）"),
    "gan.dg.source.mnist": ("MNIST 28×28 (download)", "MNIST 28×28（需下载）"),
    "gan.dg.conditional": (
        "Conditional GAN (G and D see the digit)",
        "条件 GAN（G 和 D 都看到数字）",
    ),
    "gan.dg.noise": ("Noise dimension", "噪声维度"),
    "gan.dg.filters": ("Filters", "卷积核数"),
    "gan.dg.steps": ("Training steps", "训练步数"),
    "gan.dg.lr": ("Learning rate", "学习率"),
    "gan.dg.samples": ("Samples from fixed noise", "固定噪声生成的样本"),
    "gan.dg.interpolation": (
        "Latent-space interpolation between two noise vectors",
        "两个噪声向量之间的潜在空间插值",
    ),
    "gan.dg.digit": ("Digit to generate", "要生成的数字"),
    "gan.dg.unavailable": ("{error}", "{error}"),
    "gan.dg.accuracy_note": (
        "D's accuracy: share of real images with D(x) > 0.5 and of generated ones "
        "with D(G(z)) < 0.5, averaged since the last snapshot. Near 50 % each: "
        "D can no longer tell them apart.",
        "D 的准确率：真实图像中 D(x) > 0.5 的比例与生成图像中 D(G(z)) < 0.5 的比例，"
        "为自上次快照以来的平均值。两者都接近 50 %：D 已分辨不出真假。",
    ),
}
