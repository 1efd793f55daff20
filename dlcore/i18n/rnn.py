"""Strings of the RNN page (循环神经网络) and its figures."""

STRINGS: dict[str, tuple[str, str]] = {
    "nav.rnn": ("RNN / LSTM / GRU", "循环神经网络"),
    "home.about.rnn": (
        "The recurrence step by step, SimpleRNN vs LSTM vs GRU on long sequences "
        "(vanishing gradients through time, gates over time), and sentiment of "
        "reviews with word embeddings.",
        "逐步演示循环计算；在长序列上比较简单循环网络、长短期记忆网络和门控循环单元"
        "（随时间反向传播中的梯度消失、门控随时间的变化）；用词嵌入做评论情感分类。",
    ),
    "rnn.title": ("Recurrent neural networks", "循环神经网络"),
    "rnn.intro": (
        "A Dense network or a CNN sees its whole input at once and keeps nothing "
        "between inputs. A recurrent network reads a sequence one step at a time "
        "and carries a *state* from step to step: "
        "state_t = f(x_t W + state_{t−1} U + b).",
        "全连接网络和卷积神经网络一次看到全部输入，输入之间不保留任何东西。循环神经网络"
        "一步一步地读序列，并把*隐状态*从一步带到下一步："
        "state_t = f(x_t W + state_{t−1} U + b)。",
    ),
    "rnn.tab.step": ("Step by step", "逐步计算"),
    "rnn.tab.shapes": ("Shapes & parameters", "形状与参数"),
    "rnn.tab.memory": ("Long-range memory", "长期记忆"),
    "rnn.tab.text": ("Text & embeddings", "文本与词嵌入"),
    "rnn.preset.none": ("(choose a preset)", "（选择预设）"),
    "rnn.preset.memory_lesson": (
        "Adding problem, T = 30: LSTM/GRU remember, SimpleRNN does not",
        "加法问题，T = 30：LSTM/GRU 记住了，简单 RNN 没有",
    ),
    "rnn.preset.short_sequences": (
        "Short sequences (T = 10): SimpleRNN copes",
        "短序列（T = 10）：简单 RNN 也能应付",
    ),
    "rnn.preset.long_sequences": ("Long sequences (T = 60)", "长序列（T = 60）"),
    "rnn.preset.no_clipping": ("No gradient clipping", "不做梯度裁剪"),
    "rnn.preset.recall": ("Recall the first value", "回忆第一个值"),
    "rnn.preset.sentiment": (
        "Sentiment: bag of words vs LSTM",
        "情感分类：词袋 vs LSTM",
    ),
    "rnn.preset.sentiment_all": (
        "Sentiment: all five models",
        "情感分类：全部五个模型",
    ),
    # cells and models
    "rnn.cell": ("Cell", "循环单元"),
    "rnn.cells": ("Cells to compare", "要比较的循环单元"),
    "rnn.cell.simple_rnn": ("SimpleRNN", "简单 RNN"),
    "rnn.cell.lstm": ("LSTM", "LSTM"),
    "rnn.cell.gru": ("GRU", "GRU"),
    "rnn.model.bow": ("Bag of words", "词袋"),
    "rnn.model.pool": ("Embedding + pooling", "词嵌入 + 池化"),
    "rnn.model.lstm": ("Embedding + LSTM", "词嵌入 + LSTM"),
    "rnn.model.gru": ("Embedding + GRU", "词嵌入 + GRU"),
    "rnn.model.bilstm": ("Embedding + bidirectional LSTM", "词嵌入 + 双向 LSTM"),
    # tab 1
    "rnn.section.step": (
        "One timestep at a time (3 units, 2 features, 6 timesteps)",
        "一次一个时间步（3 个隐藏单元、2 个特征、6 个时间步）",
    ),
    "rnn.step_intro": (
        "A tiny Keras layer with its real (random, seeded) weights. Move the step: "
        "the table shows what the layer computes at timestep t, exactly as Keras "
        "does it.",
        "一个很小的 Keras 层，使用它真实的（随机、带种子的）权重。移动时间步：表格给出"
        "该层在时间步 t 的计算，与 Keras 的计算完全相同。",
    ),
    "rnn.step": ("Timestep t", "时间步 t"),
    "rnn.step_note.simple_rnn": (
        "Keras SimpleRNN: kernel W (features × units), recurrent_kernel U "
        "(units × units), bias b; h₀ = 0.",
        "Keras SimpleRNN：kernel W（特征数 × 单元数）、recurrent_kernel U"
        "（单元数 × 单元数）、偏置 b；h₀ = 0。",
    ),
    "rnn.step_note.lstm": (
        "Keras LSTM: the four gates are stacked in the order i, f, c, o in kernel, "
        "recurrent_kernel and bias; σ is recurrent_activation (sigmoid). The forget "
        "gate f scales the previous cell state: f = 1 keeps it, f = 0 erases it. "
        "The bias of f starts at 1 (unit_forget_bias).",
        "Keras LSTM：四个门按 i、f、c、o 的顺序堆叠在 kernel、recurrent_kernel 和 bias "
        "中；σ 是 recurrent_activation（sigmoid）。遗忘门 f 缩放上一步的记忆元：f = 1 "
        "保留，f = 0 清除。f 的偏置初始为 1（unit_forget_bias）。",
    ),
    "rnn.step_note.gru": (
        "Keras 3 GRU: gate order z, r, h; reset_after=True, so the reset gate "
        "multiplies h U + b′ (a second, recurrent bias row) after the matrix "
        "product.",
        "Keras 3 GRU：门的顺序为 z、r、h；reset_after=True，因此重置门在矩阵乘法之后"
        "乘以 h U + b′（第二行偏置，属于循环部分）。",
    ),
    "rnn.col.quantity": ("Quantity", "量"),
    "rnn.col.value": ("Value (one number per unit)", "值（每个单元一个数）"),
    "rnn.keras_check": (
        "Largest difference from keras.layers.{cls}(return_sequences=True) over "
        "all 6 steps: {diff}",
        "与 keras.layers.{cls}(return_sequences=True) 在全部 6 步上的最大差：{diff}",
    ),
    "rnn.weights": ("The layer's weights", "该层的权重"),
    "rnn.state.h": ("Hidden state h", "隐状态 h"),
    "rnn.state.c": ("Cell state c (memory)", "记忆元 c"),
    "rnn.state.i": ("Input gate i", "输入门 i"),
    "rnn.state.f": ("Forget gate f", "遗忘门 f"),
    "rnn.state.o": ("Output gate o", "输出门 o"),
    "rnn.state.z": ("Update gate z", "更新门 z"),
    "rnn.state.r": ("Reset gate r", "重置门 r"),
    "rnn.state.x": ("Input x", "输入 x"),
    # tab 2
    "rnn.section.shapes": (
        "Input shape, return_sequences, stacking, bidirectional",
        "输入形状、return_sequences、堆叠与双向",
    ),
    "rnn.shapes_intro": (
        "A recurrent layer takes (batch, timesteps, features). With "
        "return_sequences=False it returns the last state (batch, units); with "
        "True every state (batch, timesteps, units), which a stacked layer needs. "
        "Bidirectional runs a second copy backwards and concatenates: 2·units.",
        "循环层的输入是 (批量大小, 时间步数, 特征数)。return_sequences=False 时只返回"
        "最后一个隐状态 (批量大小, 单元数)；为 True 时返回每一步的隐状态 "
        "(批量大小, 时间步数, 单元数)，堆叠的下一层需要它。双向层再反向运行一个副本并"
        "拼接：2·单元数。",
    ),
    "rnn.batch": ("Batch size", "批量大小"),
    "rnn.timesteps": ("Timesteps T", "时间步数 T"),
    "rnn.features": ("Features", "特征数"),
    "rnn.units": ("Units", "隐藏单元数"),
    "rnn.layers": ("Stacked layers", "堆叠层数"),
    "rnn.return_sequences": (
        "return_sequences (last layer)",
        "return_sequences（最后一层）",
    ),
    "rnn.bidirectional": ("Bidirectional", "双向"),
    "rnn.col.layer": ("Layer", "层"),
    "rnn.col.shape": ("Output shape", "输出形状"),
    "rnn.col.params": ("Parameters", "参数个数"),
    "rnn.col.formula": (
        "gates·(units·(units+inputs)+units)",
        "门数·(单元数·(单元数+输入数)+单元数)",
    ),
    "rnn.total_params": ("Total = model.count_params()", "总数 = model.count_params()"),
    "rnn.shapes_note": (
        "Gates: SimpleRNN 1, LSTM 4, GRU 3 (Keras 3's GRU has reset_after=True: "
        "+3·units for its second bias row). The parameter count does not depend "
        "on the number of timesteps: every step reuses the same weights.",
        "门数：简单 RNN 1，LSTM 4，GRU 3（Keras 3 的 GRU 默认 reset_after=True："
        "第二行偏置多 3·单元数）。参数个数与时间步数无关：每一步共享同一组权重。",
    ),
    # tab 3
    "rnn.section.memory": (
        "SimpleRNN vs LSTM vs GRU on long sequences",
        "长序列上的简单 RNN、LSTM 与 GRU",
    ),
    "rnn.memory_intro": (
        "The adding problem (Hochreiter & Schmidhuber, 1997): each step has a "
        "random value and a marker; two values are marked, one in each half. "
        "Predict their sum. Without memory the best guess is 1 (MSE ≈ 0.167). "
        "All cells see the same data, from the same seed.",
        "加法问题（Hochreiter & Schmidhuber，1997）：每一步有一个随机数和一个标记；"
        "前后两半各有一个数被标记，预测它们的和。没有记忆时最好的猜测是 1"
        "（均方误差 ≈ 0.167）。所有循环单元使用相同的数据和相同的种子。",
    ),
    "rnn.task": ("Task", "任务"),
    "rnn.task.adding": ("Adding problem", "加法问题"),
    "rnn.task.recall": ("Recall the first value", "回忆第一个值"),
    "rnn.task.sine": ("Noisy sine forecast", "带噪声正弦预测"),
    "rnn.dropout": ("Dropout", "暂退概率"),
    "rnn.recurrent_dropout": ("Recurrent dropout", "循环暂退概率"),
    "rnn.cudnn_note": (
        "Recurrent dropout > 0 disables the fused cuDNN kernel on a GPU (slower).",
        "循环暂退概率 > 0 时，GPU 上无法使用融合的 cuDNN 内核（更慢）。",
    ),
    "rnn.optimizer": ("Optimizer", "优化器"),
    "rnn.learning_rate": ("Learning rate", "学习率"),
    "rnn.clipnorm": ("Gradient clipping (norm, 0 = off)", "梯度裁剪（范数，0 = 关闭）"),
    "rnn.epochs": ("Epochs", "训练轮数"),
    "rnn.no_cells": (
        "No cell chosen: all three are trained.",
        "未选择循环单元：将训练全部三种。",
    ),
    "rnn.baseline_mse": ("Trivial baseline (MSE)", "平凡基线（均方误差）"),
    "rnn.section.gradient": (
        "Vanishing gradients through time",
        "随时间反向传播中的梯度消失",
    ),
    "rnn.gradient_note": (
        "‖∂loss/∂x_t‖: how much the input at step t can change the loss, on 128 "
        "validation sequences. A SimpleRNN's gradient is a product of one "
        "Jacobian per step, so it shrinks (vanishes) or grows (explodes) "
        "backwards through time; either way the SimpleRNN does not solve the "
        "task. The LSTM's additive cell update c_t = f ⊙ c_{t−1} + i ⊙ g, once "
        "trained, carries it back to the first step.",
        "‖∂损失/∂x_t‖：第 t 步的输入能在多大程度上改变损失（128 个验证序列）。简单 "
        "RNN 的梯度是每一步一个雅可比矩阵的连乘，所以沿时间反向会缩小（梯度消失）"
        "或增大（梯度爆炸）；无论哪种，简单 RNN 都解不了这个任务。LSTM 的加法式记忆"
        "更新 c_t = f ⊙ c_{t−1} + i ⊙ g 训练之后能把梯度一直传回第一步。",
    ),
    "rnn.grad_trained": ("After training", "训练之后"),
    "rnn.section.gates": (
        "The trained LSTM's gates over time",
        "训练好的 LSTM 的门随时间变化",
    ),
    "rnn.gates_note": (
        "Validation sequence {index}: where the marker is 1 the input gate opens "
        "to write the value into the cell state; the forget gate stays near 1 so "
        "the cell holds it until the end.",
        "第 {index} 个验证序列：在标记为 1 的位置，输入门打开，把数值写入记忆元；"
        "遗忘门保持接近 1，让记忆元一直保存到最后。",
    ),
    # tab 4
    "rnn.text_intro": (
        "Words become indices (TextVectorization), indices become vectors "
        "(Embedding), and a recurrent layer reads them in order. The offline "
        "reviews are generated in the page's language with negation and "
        "contrast, so word order matters.",
        "词先变成索引（TextVectorization），索引再变成向量（Embedding），循环层按顺序"
        "读取它们。离线评论以页面语言生成，包含否定和转折，因此词序很重要。",
    ),
    "rnn.section.tokens": ("Tokens, indices, padding", "词元、索引与填充"),
    "rnn.tokens_intro.en": (
        "English: lower-cased, punctuation stripped, split into words. Index 0 is "
        "padding, 1 is [UNK] (out of vocabulary).",
        "英文：转小写、去掉标点、按词切分。索引 0 是填充，1 是 [UNK]（词表外）。",
    ),
    "rnn.tokens_intro.zh": (
        "Chinese: one token per character. Index 0 is padding, 1 is [UNK] (out of "
        "vocabulary).",
        "中文：每个字一个词元。索引 0 是填充，1 是 [UNK]（词表外）。",
    ),
    "rnn.sentence": ("Type a sentence", "输入一句话"),
    "rnn.sentence_default.en": (
        "The story was good but the ending was slow",
        "The story was good but the ending was slow",
    ),
    "rnn.sentence_default.zh": (
        "虽然故事很精彩但是结局很拖沓",
        "虽然故事很精彩但是结局很拖沓",
    ),
    "rnn.try_default.en": ("The acting was not bad", "The acting was not bad"),
    "rnn.try_default.zh": ("演员不糟糕", "演员不糟糕"),
    "rnn.bad_sentence.empty": (
        "Type a sentence (it is empty).",
        "请输入一句话（当前为空）。",
    ),
    "rnn.bad_sentence.too_long": (
        "That is more than 500 characters; please shorten it.",
        "超过 500 个字符，请缩短。",
    ),
    "rnn.bad_sentence.no_tokens": (
        "Nothing is left after removing punctuation: type some words.",
        "去掉标点后没有剩下任何词元：请输入一些词。",
    ),
    "rnn.col.token": ("Token", "词元"),
    "rnn.col.index": ("Index", "索引"),
    "rnn.padded": (
        "Padded / truncated to {length} indices:",
        "填充 / 截断到 {length} 个索引：",
    ),
    "rnn.truncated": (
        "{count} tokens were cut off at the end.",
        "末尾有 {count} 个词元被截掉。",
    ),
    "rnn.truncated.one": ("1 token was cut off at the end.", "末尾有 1 个词元被截掉。"),
    "rnn.unknown": ("Out of vocabulary ([UNK], index 1):", "词表外（[UNK]，索引 1）："),
    "rnn.vocab_size": (
        "Vocabulary of the training reviews: {count} entries (limited by max_tokens).",
        "训练评论的词表：{count} 项（受 max_tokens 限制）。",
    ),
    "rnn.section.sentiment": ("Sentiment models", "情感分类模型"),
    "rnn.models": ("Models", "模型"),
    "rnn.max_tokens": ("Vocabulary limit (max_tokens)", "词表上限（max_tokens）"),
    "rnn.embedding_dim": ("Embedding size", "词嵌入维度"),
    "rnn.sequence_length": ("Sequence length", "序列长度"),
    "rnn.imdb": ("The real IMDB reviews (online)", "真实的 IMDB 评论（需联网）"),
    "rnn.imdb_note": (
        "keras.datasets.imdb has 25 000 training and 25 000 test reviews, each "
        "half positive and half negative (balanced). It is downloaded on first "
        "use, so it needs the internet; the generated reviews above work "
        "offline. The source notes' model, fixed for Keras 3 (no input_length, "
        "and it calls fit):",
        "keras.datasets.imdb 有 25 000 条训练评论和 25 000 条测试评论，各一半正面、"
        "一半负面（类别均衡）。第一次使用时需要联网下载；上面生成的评论可离线使用。"
        "原讲义中的模型，已按 Keras 3 修正（去掉 input_length，并调用 fit）：",
    ),
    "rnn.imdb_subset": (
        "The button loads keras.datasets.imdb (num_words = {words}, the "
        "vocabulary limit above) and trains Embedding → LSTM → Dense(sigmoid) "
        "on {train} training reviews, tested on {test} test reviews, each "
        "padded to {maxlen} words, {epochs} epochs.",
        "按下按钮后加载 keras.datasets.imdb（num_words = {words}，即上面的词表"
        "上限），并用 {train} 条训练评论训练 Embedding → LSTM → Dense(sigmoid)，"
        "在 {test} 条测试评论上测试；每条评论填充或截断为 {maxlen} 个词，训练 "
        "{epochs} 轮。",
    ),
    "rnn.imdb_load": ("Load IMDB and train", "加载 IMDB 并训练"),
    "rnn.imdb_checking": (
        "Checking the download server…",
        "正在检查下载服务器……",
    ),
    "rnn.imdb_offline": (
        "IMDB cannot be loaded: keras.datasets must download it, and the "
        "download server is not reachable (this machine seems to be offline). "
        "Use the generated reviews above: they work offline and teach the same "
        "model.",
        "无法加载 IMDB：keras.datasets 需要下载它，但下载服务器无法访问（本机似乎"
        "处于离线状态）。请使用上面生成的评论：它们可离线使用，训练的是同样的模型。",
    ),
    "rnn.imdb_accuracy": ("IMDB test accuracy", "IMDB 测试准确率"),
    "rnn.imdb_baseline": (
        "Majority-class baseline",
        "多数类基线",
    ),
    "rnn.kind.plain": ("Plain", "普通句"),
    "rnn.kind.negation": ("Negation", "否定句"),
    "rnn.kind.contrast": ("Contrast (but / although)", "转折句（但是 / 虽然）"),
    "rnn.fixed_by": (
        "{count} test reviews the bag of words gets wrong and {model} gets right, "
        "for example:",
        "词袋模型分错而 {model} 分对的测试评论有 {count} 条，例如：",
    ),
    "rnn.col.review": ("Review", "评论"),
    "rnn.col.label": ("True label", "真实标签"),
    "rnn.label.pos": ("positive", "正面"),
    "rnn.label.neg": ("negative", "负面"),
    "rnn.section.embedding": ("The learned word embedding", "学到的词嵌入"),
    "rnn.embedding_note": (
        "{model}'s word vectors, projected on their first two principal "
        "components. One-hot vectors would have {vocab} dimensions; these have "
        "{dim}.",
        "{model} 的词向量在前两个主成分上的投影。独热向量有 {vocab} 维；词嵌入只有 "
        "{dim} 维。",
    ),
    "rnn.word": ("Nearest neighbours of", "最近邻词元"),
    "rnn.col.cosine": ("Cosine similarity", "余弦相似度"),
    "rnn.section.try": ("Your sentence", "你的句子"),
    "rnn.p_caption": (
        "Probability of a positive review (> 0.5: positive).",
        "正面评论的概率（> 0.5：正面）。",
    ),
    "rnn.role.positive": ("positive word", "正面词"),
    "rnn.role.negative": ("negative word", "负面词"),
    "rnn.role.negation": ("negation", "否定词"),
    "rnn.role.contrast": ("contrast", "转折词"),
    "rnn.role.other": ("other", "其他"),
    # figures
    "rnn.fig.chain": (
        "The unrolled recurrence: step {step} of {steps}",
        "展开的循环：第 {step} / {steps} 步",
    ),
    "rnn.fig.unit": ("unit", "单元"),
    "rnn.fig.timestep": ("timestep t", "时间步 t"),
    "rnn.fig.value": ("value", "数值"),
    "rnn.fig.marker": ("marker", "标记"),
    "rnn.fig.grad_init": (
        "‖∂loss/∂x_t‖ at initialization",
        "初始化时的 ‖∂损失/∂x_t‖",
    ),
    "rnn.fig.grad_trained": ("‖∂loss/∂x_t‖ after training", "训练后的 ‖∂损失/∂x_t‖"),
    "rnn.fig.grad_norm": ("gradient norm (log scale)", "梯度范数（对数坐标）"),
    "rnn.fig.underflow": (
        "({count} steps below float32)",
        "（{count} 步低于 float32 范围）",
    ),
    "rnn.fig.baseline": ("trivial baseline {value}", "平凡基线 {value}"),
    "rnn.fig.val_mse": ("validation MSE (log scale)", "验证集均方误差（对数坐标）"),
    "rnn.fig.accuracy": ("test accuracy", "测试集准确率"),
    "rnn.fig.embedding": ("Word vectors (PCA)", "词向量（主成分分析）"),
    "rnn.fig.pc1": ("principal component 1", "第一主成分"),
    "rnn.fig.pc2": ("principal component 2", "第二主成分"),
    "rnn.fig.tokens": (
        "{model}: P(positive) after each token",
        "{model}：每个词元之后的正面概率",
    ),
    "rnn.fig.token": ("token", "词元"),
    "rnn.fig.p_positive": ("P(positive)", "正面概率"),
}
