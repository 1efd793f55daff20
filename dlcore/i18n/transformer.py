"""Strings of the Transformer page (注意力机制与 Transformer) and its figures.
Chinese terms follow d2l-zh: 注意力机制, 自注意力, 多头注意力, 缩放点积注意力,
位置编码, 查询/键/值, 掩码, 残差连接, 层规范化, 前馈网络."""

STRINGS: dict[str, tuple[str, str]] = {
    "nav.transformer": ("Transformer", "Transformer"),
    "home.about.transformer": (
        "Attention step by step (Q, K, V, scaling, masks, softmax, several heads, "
        "every number checked against Keras), the encoder block, a tiny "
        "Transformer trained live to reverse digits with its attention maps, an "
        "LSTM beside it, and a character model that writes.",
        "逐步演示注意力（查询、键、值、缩放、掩码、softmax、多头，每个数字都与 Keras "
        "核对）、编码器块；现场训练一个小 Transformer 反转数字序列并查看它的注意力图，"
        "旁边对比 LSTM；再训练一个会写字的字符模型。",
    ),
    "tr.title": ("Transformers and attention", "注意力机制与 Transformer"),
    "tr.intro": (
        "A Transformer reads a whole sequence at once. Each position asks a "
        "*query*, compares it with every position's *key* and takes a weighted "
        "average of their *values*: softmax(QKᵀ/√d_k)·V. Several heads do this in "
        "parallel; their outputs are concatenated and projected. Each sub-layer "
        "has a residual connection and LayerNorm. Positions come only from the "
        "positional encoding added to the embeddings — attention itself does not "
        "know the order.",
        "Transformer 一次读入整个序列。每个位置提出一个*查询*，与每个位置的*键*比较，"
        "再对它们的*值*加权平均：softmax(QKᵀ/√d_k)·V。多个头并行地做这件事，输出拼接"
        "后再做一次线性投影。每个子层都有残差连接和层规范化。位置信息只来自加到词嵌入"
        "上的位置编码——注意力本身并不知道顺序。",
    ),
    "tr.tab.attention": ("Attention step by step", "逐步计算注意力"),
    "tr.tab.block": ("Encoder block", "编码器块"),
    "tr.tab.train": ("Train a tiny Transformer", "训练小 Transformer"),
    "tr.tab.char": ("Character model", "字符模型"),
    # presets
    "tr.preset.none": ("(choose a preset)", "（选择预设）"),
    "tr.preset.reversal": (
        "Reverse 8 digits: the anti-diagonal appears",
        "反转 8 个数字：出现反对角线",
    ),
    "tr.preset.no_positions": (
        "No positional encoding: reversal is impossible",
        "没有位置编码：无法反转",
    ),
    "tr.preset.learned_positions": (
        "Learned position embeddings",
        "可学习的位置嵌入",
    ),
    "tr.preset.sort": ("Sort the digits", "数字排序"),
    "tr.preset.copy": ("Copy with a delay of 2", "延迟 2 步复制"),
    "tr.preset.causal_mask": (
        "Causal mask in the step-through",
        "逐步计算中的因果掩码",
    ),
    "tr.preset.characters": (
        "Character model on a short text",
        "短文本上的字符模型",
    ),
    # step-through
    "tr.section.attention": (
        "Scaled dot-product attention on your sentence",
        "在你的句子上计算缩放点积注意力",
    ),
    "tr.attention_intro": (
        "Type a sentence (English words or Chinese characters, up to 12 tokens). "
        "Each token gets an embedding; the positional encoding is added; then one "
        "attention layer with small dimensions computes every step below from the "
        "weights of a real `keras.layers.MultiHeadAttention`.",
        "输入一个句子（英文单词或汉字，最多 12 个词元）。每个词元得到一个词嵌入，再加上"
        "位置编码；然后一个小维度的注意力层按下面的步骤计算，所用权重来自一个真实的 "
        "`keras.layers.MultiHeadAttention`。",
    ),
    "tr.sentence": ("Your sentence", "你的句子"),
    "tr.sentence_default": ("the cat sat on the mat", "小猫坐在垫子上"),
    "tr.bad_sentence.empty": (
        "Type a sentence first: there is nothing to attend to.",
        "请先输入一个句子：没有可以关注的内容。",
    ),
    "tr.bad_sentence.no_tokens": (
        "No words or Chinese characters found: digits, punctuation and symbols "
        "are skipped.",
        "没有找到单词或汉字：数字、标点和符号会被跳过。",
    ),
    "tr.bad_sentence.too_long": (
        "Too long for the step-through: at most {limit} tokens, so every number "
        "fits on screen.",
        "逐步演示的句子太长：最多 {limit} 个词元，这样每个数字都能显示在屏幕上。",
    ),
    "tr.embed_intro": (
        "x = E[token]·√d_model + PE[position]: the embedding table here is random "
        "(seeded); equal tokens get equal rows, so only the position tells them "
        "apart.",
        "x = E[词元]·√d_model + PE[位置"
        "]：这里的嵌入表是随机的（固定种子）；相同的词元得到"
        "相同的行，只有位置能区分它们。",
    ),
    "tr.col.position": ("position", "位置"),
    "tr.col.token": ("token", "词元"),
    "tr.col.id": ("id", "索引"),
    "tr.col.x": ("x (first 4 dims)", "x（前 4 维）"),
    "tr.positions_note.sinusoidal": (
        "Sinusoidal positional encoding (Vaswani et al. 2017): fixed, nothing to "
        "learn, defined for any length.",
        "正弦位置编码（Vaswani 等，2017）：固定不变，无需学习，任意长度都有定义。",
    ),
    "tr.positions_note.learned": (
        "Learned position embeddings: one trainable row per position (here: "
        "random, as before training); limited to the trained length.",
        "可学习的位置嵌入：每个位置一行可训练参数（这里是训练前的随机值）；只能用于训练"
        "时的长度。",
    ),
    "tr.positions_note.none": (
        "No positions: a permutation of the sentence permutes the outputs in the "
        "same way — attention alone cannot tell order.",
        "没有位置信息：把句子重新排列，输出也以同样方式重新排列——仅靠注意力无法区分顺序。",
    ),
    "tr.section.positions": ("Positional encoding", "位置编码"),
    "tr.positions_intro": (
        "Each position gets a vector of sines and cosines of different "
        "frequencies: the first dimensions change quickly with the position, "
        "the last ones slowly.",
        "每个位置得到一个由不同频率的正弦和余弦组成的向量：前面的维度随位置变化快，后面"
        "的维度变化慢。",
    ),
    "tr.pe_length": ("Positions", "位置数"),
    "tr.similarity_note": (
        "The dot product of two encodings depends only on their distance: "
        "nearby positions are similar, which lets attention find relative "
        "positions.",
        "两个位置编码的点积只取决于它们的距离：相近的位置更相似，注意力因此能找到相对"
        "位置。",
    ),
    "tr.d_model": ("d_model (width)", "d_model（模型宽度）"),
    "tr.heads": ("Heads", "头数"),
    "tr.head": ("Head shown", "显示的头"),
    "tr.mask": ("Mask", "掩码"),
    "tr.mask.none": ("none", "无"),
    "tr.mask.causal": ("causal", "因果"),
    "tr.mask.padding": ("padding", "填充"),
    "tr.positions": ("Positions", "位置信息"),
    "tr.positions.sinusoidal": ("sinusoidal", "正弦编码"),
    "tr.positions.learned": ("learned", "可学习"),
    "tr.positions.none": ("none", "无"),
    "tr.scale": ("Scale the scores by 1/√d_k", "用 1/√d_k 缩放分数"),
    "tr.mask_note.none": (
        "No mask: every position attends to every position (an encoder).",
        "无掩码：每个位置关注所有位置（编码器）。",
    ),
    "tr.mask_note.causal": (
        "Causal mask: position i sees positions ≤ i only (a decoder that writes "
        "left to right). Masked scores (×) are set to −10⁹ before the softmax, so "
        "their weights are 0.",
        "因果掩码：位置 i 只能看到 ≤ i 的位置"
        "（从左到右生成的解码器）。被掩蔽的分数（×）"
        "在 softmax 前被设为 −10⁹，所以权重为 0。",
    ),
    "tr.mask_note.padding": (
        "Padding mask: two <pad> tokens were appended (a batch pads sentences to "
        "one length). Real tokens never attend to padding (×); padding rows are "
        "all masked, and Keras sets their weights to 0.",
        "填充掩码：句末加了两个 <pad>（一个批"
        "量要把句子填充到相同长度）。真实词元从不关注"
        "填充（×）；填充位置的行全部被掩蔽，Keras 把它们的权重设为 0。",
    ),
    "tr.query_row": (
        "Query position (one row of the softmax)",
        "查询位置（softmax 的一行）",
    ),
    "tr.softmax_note": (
        "The raw scores of this row spread over {spread}. Without the 1/√{dk} "
        "scaling the softmax is sharper (largest weight {top_unscaled} vs "
        "{top_scaled}); with large d_k the unscaled softmax saturates to one "
        "position and its gradients vanish.",
        "这一行原始分数的范围是 {spread}。不除以 √{dk} 时 softmax 更尖锐（最大权重 "
        "{top_unscaled}，缩放后为 {top_scaled}）；d_k 很大时，不缩放的 softmax 会饱和到"
        "一个位置上，梯度消失。",
    ),
    "tr.section.heads": (
        "Several heads: split, concatenate, project",
        "多头：拆分、拼接、投影",
    ),
    "tr.heads_intro": (
        "{heads} head(s) of size d_k = d_model / heads = {dk}: each head has its "
        "own W_Q, W_K, W_V and attends in its own way; the heads' outputs are "
        "concatenated back to width {d} and multiplied by W_O.",
        "{heads} 个头，每个头的大小 d_k = d_model / 头数 = {dk}：每个头有自己的 W_Q、"
        "W_K、W_V，按自己的方式关注；各头的输出拼接回宽度 {d}，再乘以 W_O。",
    ),
    "tr.col.step": ("step", "步骤"),
    "tr.col.shape": ("shape", "形状"),
    "tr.col.layer": ("Keras layer", "Keras 层"),
    "tr.col.params": ("parameters", "参数量"),
    "tr.col.formula": ("formula", "公式"),
    "tr.keras_check": (
        "keras.layers.MultiHeadAttention(num_heads={heads}, key_dim={dk}) with "
        "the same weights and mask: largest difference of the weights {weights}, "
        "of the output {output}",
        "同样权重和掩码的 keras.layers.MultiHeadAttention(num_heads={heads}, "
        "key_dim={dk})：权重最大差 {weights}，输出最大差 {output}",
    ),
    "tr.keras_scales": (
        "Keras always scales by 1/√d_k: turn scaling back on to compare with it.",
        "Keras 总是除以 √d_k：重新打开缩放即可与它比较。",
    ),
    "tr.weights_text": ("The layer's weights", "这一层的权重"),
    # block
    "tr.section.block": ("One encoder block", "一个编码器块"),
    "tr.block_intro": (
        "h = LayerNorm(x + MultiHeadAttention(x)), then "
        "out = LayerNorm(h + FFN(h)) with FFN(h) = ReLU(h W₁ + b₁) W₂ + b₂. The "
        "original Transformer uses d_model 512, 8 heads and d_ff 2048. The shapes "
        "and counts below are read from the Keras layers.",
        "h = LayerNorm(x + MultiHeadAttention(x))，然后 out = LayerNorm(h + FFN(h))，"
        "其中 FFN(h) = ReLU(h W₁ + b₁) W₂ + b₂。原始 Transformer 用 d_model 512、8 个头"
        "和 d_ff 2048。下面的形状和参数量都读自 Keras 层。",
    ),
    "tr.d_ff": ("Feed-forward width d_ff", "前馈网络宽度 d_ff"),
    "tr.length": ("Sequence length T", "序列长度 T"),
    "tr.total_params": ("Parameters (formula)", "参数量（公式）"),
    "tr.keras_params": (
        "Parameters (Keras count_params)",
        "参数量（Keras count_params）",
    ),
    "tr.block_note": (
        "Every sub-layer keeps the width d_model, so the residual additions fit "
        "and blocks can be stacked. The parameters do not depend on T: the same "
        "weights are used at every position.",
        "每个子层都保持宽度 d_model，所以残差相"
        "加的形状一致，块可以堆叠。参数量与 T 无关："
        "每个位置使用相同的权重。",
    ),
    "tr.block_check": (
        "The block computed by hand (NumPy) on a random input vs the Keras block: "
        "largest difference {diff}",
        "手算（NumPy）的编码器块与 Keras 块在随机输入上的最大差：{diff}",
    ),
    # training
    "tr.section.train": (
        "A tiny Transformer trained live",
        "现场训练一个小 Transformer",
    ),
    "tr.train_intro": (
        "Generated digit sequences (seeded, offline). The Transformer reads the "
        "whole sequence and predicts the output digit at every position; a "
        "bidirectional LSTM with as many units as d_model is trained beside it "
        "on the same data. Accuracy is per token. Turn the positions off: "
        "reversal becomes impossible.",
        "生成的数字序列（固定种子，离线）。Transformer 读入整个序列，在每个位置预测输出"
        "数字；旁边在同样的数据上训练一个双向 LSTM（单元数等于 d_model）。准确率按词元"
        "计算。关掉位置信息：反转就做不到了。",
    ),
    "tr.task": ("Task", "任务"),
    "tr.task.reverse": ("reverse the digits", "反转数字"),
    "tr.task.sort": ("sort the digits", "数字排序"),
    "tr.task.copy": ("copy with a delay of 2", "延迟 2 步复制"),
    "tr.layers": ("Encoder blocks", "编码器块数"),
    "tr.dropout": ("Dropout", "暂退法（dropout）"),
    "tr.warmup": ("Warm-up steps", "预热步数"),
    "tr.learning_rate": ("Learning rate (Adam)", "学习率（Adam）"),
    "tr.epochs": ("Epochs", "迭代周期数"),
    "tr.lstm": ("Train an LSTM beside it", "同时训练一个 LSTM"),
    "tr.run.transformer": ("Transformer", "Transformer"),
    "tr.run.lstm": ("Bidirectional LSTM", "双向 LSTM"),
    "tr.params": ("{count:,} parameters", "{count:,} 个参数"),
    "tr.section.maps": ("Attention maps of the trained model", "训练后模型的注意力图"),
    "tr.maps_note.reverse": (
        "To reverse, output position i must read input position T−1−i: a head "
        "that learned this shows the anti-diagonal.",
        "要反转，输出位置 i 必须读取输入位置 T−1−i：学会这一点的头会显示出反对角线。",
    ),
    "tr.maps_note.sort": (
        "To sort, position i must find the i-th smallest digit: attention "
        "follows digit values rather than positions.",
        "要排序，位置 i 必须找到第 i 小的数字：注意力跟随数字的大小而不是位置。",
    ),
    "tr.maps_note.copy": (
        "To copy with a delay of 2, position i reads position i−2: a diagonal "
        "shifted by two.",
        "要延迟 2 步复制，位置 i 读取位置 i−2：一条平移了两格的对角线。",
    ),
    "tr.example": ("Input", "输入"),
    "tr.own_input": ("(type your own digits)", "（自己输入数字）"),
    "tr.digits": ("Your digits ({length})", "你的数字（{length} 个）"),
    "tr.bad_digits": (
        "Type exactly {length} digits 0–9 (spaces are ignored).",
        "请正好输入 {length} 个 0–9 的数字（空格会被忽略）。",
    ),
    "tr.col.input": ("input", "输入"),
    "tr.col.target": ("target", "目标"),
    "tr.col.predicted": ("Transformer's output", "Transformer 的输出"),
    "tr.maps_caption": (
        "Rows: the query (output) position; columns: the key (input) position; "
        "each row sums to 1. Predicted: {outputs}",
        "行：查询（输出）位置；列：键（输入）位置；每行之和为 1。预测：{outputs}",
    ),
    # char model
    "tr.section.char": ("A character model that writes", "一个会写字的字符模型"),
    "tr.char_intro": (
        "A causal Transformer (each position sees only the past) learns to "
        "predict the next character of a short built-in text in the page's "
        "language, at every position at once. Then it writes, one sampled "
        "character at a time.",
        "一个因果 Transformer（每个位置只能"
        "看到过去）学习预测页面语言的一小段内置文本中的"
        "下一个字符，所有位置同时预测。然后它一次采样一个字符来写作。",
    ),
    "tr.char_accuracy": ("Next-character accuracy", "下一字符准确率"),
    "tr.char_loss": ("Validation loss", "验证损失"),
    "tr.vocab_size": ("Characters", "字符数"),
    "tr.section.next": ("The next character for your prompt", "你的提示的下一个字符"),
    "tr.prompt": ("Prompt", "提示"),
    "tr.prompt_default": ("the cat ", "春天来了，"),
    "tr.unknown_chars": (
        "The model never saw these characters, so it cannot read them:",
        "模型从未见过这些字符，无法读取：",
    ),
    "tr.known_chars": ("The characters it knows:", "它认识的字符："),
    "tr.empty_prompt": (
        "Type a prompt: the model continues it.",
        "请输入提示：模型会接着写下去。",
    ),
    "tr.context_note": (
        "The model reads at most the last {length} characters of the prompt.",
        "模型最多读取提示的最后 {length} 个字符。",
    ),
    "tr.section.generate": ("Generation", "生成"),
    "tr.temperature": ("Temperature τ", "温度 τ"),
    "tr.top_k": ("Top-k", "Top-k"),
    "tr.top_k_all": ("all", "全部"),
    "tr.sample_seed": ("Sampling seed", "采样种子"),
    "tr.generate_note": (
        "60 characters, each drawn from p^(1/τ) renormalised over the k most "
        "likely characters: low τ repeats the text, high τ invents.",
        "60 个字符，每个都从在最可能的 k 个字符上重"
        "新归一化的 p^(1/τ) 中抽取：τ 低时重复"
        "原文，τ 高时自由发挥。",
    ),
    "tr.text_used": ("The training text", "训练文本"),
    # figures
    "tr.fig.encoding": (
        "Positional encoding ({length} positions × {depth} dimensions)",
        "位置编码（{length} 个位置 × {depth} 维）",
    ),
    "tr.fig.similarity": ("PE · PEᵀ between positions", "位置之间的 PE · PEᵀ"),
    "tr.fig.dimension": ("dimension", "维度"),
    "tr.fig.position": ("position", "位置"),
    "tr.fig.q": ("Q (head {head}, d_k = {dk})", "Q（头 {head}，d_k = {dk}）"),
    "tr.fig.k": ("K (head {head}, d_k = {dk})", "K（头 {head}，d_k = {dk}）"),
    "tr.fig.v": ("V (head {head}, d_k = {dk})", "V（头 {head}，d_k = {dk}）"),
    "tr.fig.scores": ("Scores QKᵀ (head {head})", "分数 QKᵀ（头 {head}）"),
    "tr.fig.weights": (
        "softmax(QKᵀ/√{dk} + mask) (head {head})",
        "softmax(QKᵀ/√{dk} + 掩码)（头 {head}）",
    ),
    "tr.fig.weights_unscaled": (
        "softmax(QKᵀ + mask), unscaled (head {head})",
        "softmax(QKᵀ + 掩码)，未缩放（头 {head}）",
    ),
    "tr.fig.query": ("query", "查询"),
    "tr.fig.key": ("key", "键"),
    "tr.fig.output": ("Output: concat · W_O + b_O", "输出：拼接 · W_O + b_O"),
    "tr.fig.softmax_row": (
        "One row of the softmax: scaled vs unscaled",
        "softmax 的一行：缩放与不缩放",
    ),
    "tr.fig.scaled": ("÷ √d_k", "÷ √d_k"),
    "tr.fig.unscaled": ("unscaled", "不缩放"),
    "tr.fig.weight": ("attention weight", "注意力权重"),
    "tr.fig.layer_head": ("layer {layer}, head {head}", "第 {layer} 层，头 {head}"),
    "tr.fig.hover": ("query %{y} → key %{x}", "查询 %{y} → 键 %{x}"),
    "tr.fig.position_accuracy": (
        "Validation accuracy at each output position",
        "每个输出位置的验证准确率",
    ),
    "tr.fig.output_position": ("output position", "输出位置"),
    "tr.fig.accuracy": ("accuracy", "准确率"),
    "tr.fig.next_char": ("P(next character | prompt)", "P(下一个字符 | 提示)"),
    "tr.fig.character": ("character", "字符"),
    "tr.fig.probability": ("probability", "概率"),
}
