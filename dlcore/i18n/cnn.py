"""Strings of the CNN page (卷积神经网络) and its figures."""

STRINGS: dict[str, tuple[str, str]] = {
    # navigation title and home-page blurb of this topic
    "nav.cnn": ("CNN", "卷积神经网络"),
    "home.about.cnn": (
        "Convolution, padding, stride and pooling step by step; a small convolutional "
        "neural network reads handwritten digits, and what its filters and "
        "feature maps see.",
        "逐步演示卷积、填充、步幅和池化；一个小型卷积神经网络识别手写数字，并查看它的"
        "卷积核和特征图。",
    ),
    # page
    "cnn.title": ("Convolutional neural networks", "卷积神经网络"),
    "cnn.intro": (
        "A convolution slides a small kernel over the image and, at every position, "
        "adds up the element-wise products of the kernel and the pixels under it. "
        "Step through it by hand, then train a real Keras CNN on handwritten digits "
        "and look inside it.",
        "卷积把一个小卷积核在图像上滑动，在每个位置把卷积核与其下方像素逐元素相乘再求和。"
        "先一步一步手动演示，再在手写数字上训练一个真实的 Keras 卷积神经网络，"
        "并观察它的内部。",
    ),
    "cnn.section.arithmetic": ("Convolution arithmetic", "卷积的算术"),
    "cnn.section.step": ("Step through a convolution", "逐步演示卷积"),
    "cnn.section.pool": ("Step through pooling", "逐步演示池化"),
    "cnn.section.train": ("Train a CNN on digits", "在手写数字上训练卷积神经网络"),
    "cnn.section.inside": ("Inside the trained network", "训练好的网络内部"),
    "cnn.section.sharing": (
        "Weight sharing and translation",
        "权重共享与平移",
    ),
    "cnn.section.transfer": ("Transfer learning", "迁移学习"),
    # controls
    "cnn.image_source": ("Image", "图像"),
    "cnn.source.digit": ("Dataset digit", "数据集中的数字"),
    "cnn.source.upload": ("Upload (PNG/JPEG)", "上传（PNG/JPEG）"),
    "cnn.digit_index": ("Digit number", "数字编号"),
    "cnn.kernel": ("Kernel", "卷积核"),
    "cnn.kernel_size": ("Kernel size", "卷积核大小"),
    "cnn.custom_kernel": ("Custom (edit the grid)", "自定义（编辑表格）"),
    "cnn.stride": ("Stride", "步幅"),
    "cnn.padding": ("Padding", "填充"),
    "cnn.padding.valid": ("valid (none)", "valid（不填充）"),
    "cnn.padding.same": ("same (zeros)", "same（补零）"),
    "cnn.pool_mode": ("Pooling", "池化"),
    "cnn.pool.max": ("Max", "最大"),
    "cnn.pool.average": ("Average", "平均"),
    "cnn.pool_size": ("Pooling window", "池化窗口"),
    "cnn.step": ("Output cell", "输出单元"),
    "cnn.input_size": ("Input size n", "输入大小 n"),
    "cnn.num_blocks": ("Convolution blocks", "卷积块数"),
    "cnn.filters": ("Filters in the first block", "第一块的卷积核个数"),
    "cnn.dropout": ("Dropout rate", "暂退概率"),
    "cnn.batch_norm": ("Batch normalization", "批量规范化"),
    "cnn.augmentation": ("Data augmentation", "数据增广"),
    "cnn.aug.shift": ("Shift", "平移"),
    "cnn.aug.rotation": ("Rotation", "旋转"),
    "cnn.aug.zoom": ("Zoom", "缩放"),
    "cnn.optimizer": ("Optimizer", "优化器"),
    "cnn.learning_rate": ("Learning rate", "学习率"),
    "cnn.epochs": ("Epochs", "训练轮数"),
    "cnn.batch_size": ("Batch size", "批量大小"),
    "cnn.layer": ("Layer", "层"),
    "cnn.filter_index": ("Filter", "卷积核"),
    "cnn.class": ("Class", "类别"),
    "cnn.download_model": (
        "Download the trained model (.keras)",
        "下载训练好的模型（.keras）",
    ),
    "cnn.run_transfer": ("Run the transfer-learning experiment", "运行迁移学习实验"),
    # kernel presets
    "cnn.k.identity": ("Identity", "恒等"),
    "cnn.k.sobel_x": ("Sobel x (vertical edges)", "Sobel x（竖直边缘）"),
    "cnn.k.sobel_y": ("Sobel y (horizontal edges)", "Sobel y（水平边缘）"),
    "cnn.k.laplacian": ("Laplacian (all edges)", "拉普拉斯（所有边缘）"),
    "cnn.k.box_blur": ("Box blur", "均值模糊"),
    "cnn.k.gaussian_blur": ("Gaussian blur", "高斯模糊"),
    "cnn.k.sharpen": ("Sharpen", "锐化"),
    "cnn.k.emboss": ("Emboss", "浮雕"),
    # explanations
    "cnn.formula_title": ("Output size", "输出大小"),
    "cnn.formula.symbols": (
        "o: output size, n: input size, k: kernel size, s: stride, p: padding.",
        "o：输出大小，n：输入大小，k：卷积核大小，s：步幅，p：填充。",
    ),
    "cnn.formula.same_note": (
        "With padding='same', TensorFlow pads just enough for ⌈n/s⌉ outputs and puts "
        "⌊p/2⌋ zeros before (top/left) and the rest after (bottom/right).",
        "使用 padding='same' 时，TensorFlow 只填充恰好够得到 ⌈n/s⌉ 个输出的零，"
        "把 ⌊p/2⌋ 个零放在前面（上/左），其余放在后面（下/右）。",
    ),
    "cnn.cross_correlation": (
        "What Keras and TensorFlow call convolution is cross-correlation: the kernel "
        "is not flipped. A textbook convolution would rotate it by 180° first. Since "
        "the network learns its kernels, the flip does not matter for learning.",
        "Keras 和 TensorFlow 所说的卷积其实是互相关运算：卷积核不翻转。"
        "教科书中的卷积要先把卷积核旋转 180°。"
        "由于卷积核是学出来的，翻转与否不影响学习。",
    ),
    "cnn.pool_same_note": (
        "With padding='same', pooling ignores the padded cells: the max is taken over "
        "real pixels only, and the average divides by the number of real pixels.",
        "使用 padding='same' 时，池化忽略填充的单元：最大值只在真实像素中取，"
        "平均值也只除以真实像素的个数。",
    ),
    "cnn.sharing_note": (
        "A convolution uses the same small kernel at every position (weight sharing), "
        "so it needs far fewer weights per layer than a Dense layer, which has one "
        "weight per pixel and unit.",
        "卷积在每个位置使用同一个小卷积核（权重共享），因此每层所需的权重比全连接层少得多；"
        "全连接层的每个像素和每个单元之间都有一个权重。",
    ),
    "cnn.translation_note": (
        "Each test digit is shifted sideways by k pixels (empty columns are filled "
        "with black) and classified again.",
        "把每个测试数字向左右平移 k 个像素（空出的列填充黑色），再重新分类。",
    ),
    "cnn.transfer_note": (
        "A conv base is pretrained on digits {source}; then digits {target} are "
        "learned from few images with the base frozen, with its top block "
        "fine-tuned, or from scratch. Every run gets the same number of gradient "
        "steps.",
        "先在数字 {source} 上预训练卷积部分，再用少量图片学习数字 {target}："
        "冻结卷积部分、微调其最上面的卷积块，或从头训练。每次运行的梯度步数相同。",
    ),
    "cnn.grad_cam_note": (
        "Grad-CAM weights each feature map of a convolution layer by how much the "
        "class score grows with it (the mean gradient) and keeps the positive sum.",
        "Grad-CAM 按类别得分随每个特征图增长的程度（平均梯度）对该卷积层的特征图加权，"
        "并保留为正的加权和。",
    ),
    "cnn.filter_vis_note": (
        "Starting from grey noise, gradient ascent changes the input image to excite "
        "the chosen filter as much as possible. Each picture is contrast-stretched: "
        "its darkest pixel is drawn black and its brightest white, and its title "
        "gives that range (e.g. 0.93–1: all pixels nearly white). A picture that is "
        "one flat value says so: that filter likes a uniform image best.",
        "从灰色噪声出发，用梯度上升修改输入图像，使所选卷积核的激活尽可能大。"
        "每张图都单独拉伸了对比度：最暗的像素画成黑色、最亮的画成白色，"
        "标题给出这个范围（例如 0.93–1：所有像素都接近白色）。"
        "如果一张图只有一个值，图中会注明：这个卷积核最喜欢均匀的图像。",
    ),
    "cnn.result": (
        "Test accuracy {accuracy:.1%} with {params:,} parameters",
        "测试集准确率 {accuracy:.1%}，参数 {params:,} 个",
    ),
    # page structure (tabs, presets, sections)
    "cnn.tab.conv": ("Convolution", "卷积"),
    "cnn.tab.train": ("Train", "训练"),
    "cnn.tab.inside": ("Inside the network", "网络内部"),
    "cnn.tab.transfer": ("Transfer learning", "迁移学习"),
    "cnn.preset.none": ("(choose a preset)", "（选择预设）"),
    "cnn.preset.default": (
        "Default CNN (2 blocks, 32 filters)",
        "默认卷积神经网络（2 块，32 个卷积核）",
    ),
    "cnn.preset.tiny": (
        "Tiny CNN (1 block, 4 filters)",
        "极小卷积神经网络（1 块，4 个卷积核）",
    ),
    "cnn.preset.no_pool": ("No pooling", "不使用池化"),
    "cnn.preset.average_pool": ("Average pooling", "平均池化"),
    "cnn.preset.augmentation": ("Data augmentation on", "开启数据增广"),
    "cnn.preset.batch_norm": ("Batch normalization + dropout", "批量规范化 + 暂退法"),
    "cnn.section.layers": (
        "Layers, output shapes and parameters: CNN vs Dense network",
        "各层、输出形状与参数：卷积神经网络与全连接网络",
    ),
    "cnn.section.results": ("Results on the test set", "测试集上的结果"),
    "cnn.section.filters": ("First-layer filters", "第一层卷积核"),
    "cnn.section.maps": ("Feature maps of one test image", "一张测试图片的特征图"),
    "cnn.section.grad_cam": (
        "Grad-CAM: where does the evidence come from?",
        "Grad-CAM：证据来自图像的哪里？",
    ),
    "cnn.section.filter_vis": ("What the filters look for", "卷积核在寻找什么"),
    "cnn.section.translation": (
        "Shift the digits: CNN vs Dense network",
        "平移数字：卷积神经网络与全连接网络",
    ),
    # convolution tab
    "cnn.digit_title": ("Input: a {label}", "输入：数字 {label}"),
    "cnn.upload_size": ("Resize the picture to", "把图片缩放为"),
    "cnn.upload_prompt": (
        "Upload a PNG or JPEG picture (at most 5 MB). It is converted to grayscale, "
        "resized, and inverted if it shows dark ink on a light background.",
        "上传一张 PNG 或 JPEG 图片（最多 5 MB）。图片会被转换为灰度图并缩放；"
        "如果是浅色背景上的深色笔迹，还会反转颜色。",
    ),
    "cnn.upload_title": ("Your picture ({size}×{size})", "你的图片（{size}×{size}）"),
    "cnn.custom_note": (
        "Edit the cells: the convolution updates when you leave a cell.",
        "编辑单元格：离开单元格后卷积结果会更新。",
    ),
    "cnn.output_size": ("Output size", "输出大小"),
    "cnn.next": ("Next", "下一步"),
    "cnn.err.no_fit": (
        "A {k}×{k} window does not fit into a {n}×{n} input without padding. Choose "
        "padding 'same', a smaller window, or a smaller stride before.",
        "{k}×{k} 的窗口在不填充时放不进 {n}×{n} 的输入。请选择 padding='same'、"
        "更小的窗口，或在前面使用更小的步幅。",
    ),
    "cnn.pool_input": ("Pool what", "对什么池化"),
    "cnn.pool_input.relu": ("ReLU(conv)", "ReLU(卷积)"),
    "cnn.pool_input.image": ("Image", "输入图像"),
    "cnn.pool_stride": ("Pooling stride", "池化步幅"),
    "cnn.pool.none": ("None", "不池化"),
    # train tab
    "cnn.dataset": ("Dataset", "数据集"),
    "cnn.ds.digits": ("Digits 8×8 (built in)", "手写数字 8×8（内置）"),
    "cnn.ds.mnist": ("MNIST 28×28 (download)", "MNIST 28×28（需下载）"),
    "cnn.ds.fashion_mnist": (
        "Fashion-MNIST 28×28 (download)",
        "Fashion-MNIST 28×28（需下载）",
    ),
    "cnn.data_unavailable": (
        "{name} must be downloaded by keras.datasets, but this server cannot reach "
        "the download site (it is offline). Nothing was trained. Use the built-in "
        "digits instead.",
        "{name} 需要由 keras.datasets 下载，但服务器无法访问下载站点（处于离线状态）。"
        "没有进行训练。请改用内置的手写数字数据集。",
    ),
    "cnn.use_digits": ("Use the built-in digits", "使用内置的手写数字"),
    "cnn.big_data_note": (
        "60 000 training images of 28×28 pixels: training takes minutes on this "
        "server's CPU.",
        "60 000 张 28×28 的训练图片：在本服务器的 CPU 上训练需要几分钟。",
    ),
    "cnn.opt.adam": ("Adam", "Adam"),
    "cnn.opt.sgd": ("SGD", "SGD"),
    "cnn.opt.rmsprop": ("RMSprop", "RMSprop"),
    "cnn.cnn_accuracy": ("CNN test accuracy", "卷积神经网络测试集准确率"),
    "cnn.dense_accuracy": ("Dense network test accuracy", "全连接网络测试集准确率"),
    "cnn.num_params": ("CNN parameters", "卷积神经网络参数个数"),
    "cnn.total_params": ("{count:,} parameters", "参数 {count:,} 个"),
    "cnn.total_params.one": ("{count:,} parameter", "参数 {count:,} 个"),
    "cnn.pick_cell": (
        "Click a cell of the confusion matrix (or choose it here) to see those test "
        "images.",
        "点击混淆矩阵中的一个单元格（或在这里选择），查看对应的测试图片。",
    ),
    "cnn.empty_cell": (
        "No test image of class {true} was predicted as {pred}.",
        "没有类别为 {true} 的测试图片被预测为 {pred}。",
    ),
    "cnn.no_test_images": (
        "The test images of this dataset are too many to keep for display.",
        "该数据集的测试图片太多，无法保存用于显示。",
    ),
    "cnn.fig.cell_images": (
        "True {true}, predicted {pred}: {count} images",
        "真实 {true}、预测 {pred}：{count} 张测试图片",
    ),
    "cnn.fig.cell_images.one": (
        "True {true}, predicted {pred}: {count} image",
        "真实 {true}、预测 {pred}：{count} 张测试图片",
    ),
    "cnn.fig.prediction": (
        "Prediction: {pred} ({prob:.0%})",
        "预测：{pred}（{prob:.0%}）",
    ),
    "cnn.fig.true_is": ("true: {true}", "真实：{true}"),
    # inside tab
    "cnn.change_network": (
        "The network inspected here (the one trained in the Train tab)",
        "这里观察的网络（即在“训练”选项卡中训练的网络）",
    ),
    "cnn.inside_needs_training": (
        "Inspection needs a network that finished training without diverging.",
        "观察网络内部需要一个已完成训练且没有发散的网络。",
    ),
    "cnn.inspecting": (
        "Inspecting the trained CNN: {count} convolution blocks, {filters} filters "
        "in the first one, test accuracy **{accuracy:.1%}**.",
        "正在观察训练好的卷积神经网络：{count} 个卷积块，第一块有 {filters} 个卷积核，"
        "测试集准确率 **{accuracy:.1%}**。",
    ),
    "cnn.inspecting.one": (
        "Inspecting the trained CNN: {count} convolution block with {filters} "
        "filters, test accuracy **{accuracy:.1%}**.",
        "正在观察训练好的卷积神经网络：{count} 个卷积块，有 {filters} 个卷积核，"
        "测试集准确率 **{accuracy:.1%}**。",
    ),
    "cnn.test_image": ("Test image", "测试图片"),
    "cnn.cam_class": ("Explain also the class", "同时解释的类别"),
    "cnn.cam_label": ("{name} (p = {prob:.0%})", "{name}（p = {prob:.0%}）"),
    "cnn.first_filter": ("First filter shown", "显示的第一个卷积核"),
    "cnn.no_baseline": (
        "The Dense network was not trained (training stopped early), so there is no "
        "comparison. Retrain in the Train tab.",
        "全连接网络没有训练（训练提前停止了），因此无法比较。请在“训练”选项卡中重新训练。",
    ),
    # transfer tab
    "cnn.pretrain_epochs": ("Pretraining epochs", "预训练轮数"),
    "cnn.num_steps": ("Gradient steps per run", "每次运行的梯度步数"),
    "cnn.transfer_runs": (
        "Pretrained for {pretrain} epochs on digits {source}, then {count} runs "
        "({strategies} strategies × {sizes} training-set sizes) of {steps} gradient "
        "steps each.",
        "先在数字 {source} 上预训练 {pretrain} 轮，再进行 {count} 次运行"
        "（{strategies} 种策略 × {sizes} 种训练集大小），每次 {steps} 个梯度步。",
    ),
    "cnn.transfer_runs.one": (
        "Pretrained for {pretrain} epochs on digits {source}, then {count} run of "
        "{steps} gradient steps.",
        "先在数字 {source} 上预训练 {pretrain} 轮，再进行 {count} 次运行，"
        "共 {steps} 个梯度步。",
    ),
    "cnn.pretrain_accuracy": (
        "Pretrained base: test accuracy on digits {source}",
        "预训练的卷积部分：数字 {source} 上的测试集准确率",
    ),
    "cnn.transfer_summary": (
        "With **{smallest}** training images, **{best_small}** is best; the best "
        "pretrained network is {gain_small:+.1%} against training from scratch. With "
        "**{largest}** images, **{best_large}** is best ({gain_large:+.1%} for the "
        "best pretrained network).",
        "只有 **{smallest}** 张训练图片时，**{best_small}** 最好；"
        "最好的预训练网络比从头训练{gain_small:+.1%}。"
        "有 **{largest}** 张图片时，**{best_large}** 最好"
        "（最好的预训练网络{gain_large:+.1%}）。",
    ),
    "cnn.transfer_honest": (
        "On 8×8 digits transfer learning helps little: the images are so small that a "
        "network trained from scratch catches up after a few hundred examples. The "
        "lesson is the left end of the curve: with very few images, features learned "
        "on other digits still help.",
        "在 8×8 的手写数字上，迁移学习的帮助不大：图片太小，"
        "从头训练的网络在几百个样本后就能追上。"
        "要看的是曲线的左端：只有很少的图片时，在其他数字上学到的特征仍然有帮助。",
    ),
    # image upload errors (dlcore.images.ImageError)
    "cnn.img.not_bytes": (
        "Expected the file's bytes, got {kind}. "
        "Pass the content of a PNG or JPEG file.",
        "需要文件的字节内容，但得到的是 {kind}。请传入 PNG 或 JPEG 文件的内容。",
    ),
    "cnn.img.empty": (
        "The file is empty. Upload a PNG or JPEG picture.",
        "文件是空的。请上传 PNG 或 JPEG 图片。",
    ),
    "cnn.img.too_many_bytes": (
        "The file is {megabytes:.1f} MB; at most {limit} MB is accepted. Upload a "
        "smaller PNG or JPEG.",
        "文件大小为 {megabytes:.1f} MB，最多接受 {limit} MB。"
        "请上传更小的 PNG 或 JPEG 图片。",
    ),
    "cnn.img.unreadable": (
        "The file is not a picture that can be read. Upload a PNG or JPEG file.",
        "无法把该文件读取为图片。请上传 PNG 或 JPEG 文件。",
    ),
    "cnn.img.bad_format": (
        "The file is a {format} picture; only PNG and JPEG are accepted. Convert it "
        "to PNG or JPEG first.",
        "该文件是 {format} 格式的图片，只接受 PNG 和 JPEG。请先转换为 PNG 或 JPEG。",
    ),
    "cnn.img.too_large": (
        "The picture is {width} × {height} pixels ({bits}-bit); at most {limit} × "
        "{limit} is accepted. Scale it down first.",
        "图片为 {width} × {height} 像素（{bits} 位），最多接受 {limit} × {limit}。"
        "请先缩小图片。",
    ),
    "cnn.img.too_big": (
        "The picture is {width} × {height} pixels, {bits}-bit: {megabytes:.0f} MB "
        "once decoded; at most {limit} MB is accepted (4096 × 4096 at 8 bits). "
        "Scale it down, or save it with 8 bits per channel.",
        "图片为 {width} × {height} 像素、{bits} 位：解码后占 {megabytes:.0f} MB；"
        "最多接受 {limit} MB（8 位时为 4096 × 4096）。"
        "请先缩小图片，或保存为每通道 8 位。",
    ),
    "cnn.img.no_size": (
        "The file starts like a {format} picture, but its header is damaged: its "
        "size is unreadable. Export it again as PNG or JPEG.",
        "该文件开头像 {format} 图片，但文件头已损坏：无法读取图片尺寸。"
        "请重新导出为 PNG 或 JPEG。",
    ),
    "cnn.img.svg": (
        "The file is an SVG drawing (vector graphics, stored as text); only PNG "
        "and JPEG pictures are accepted. Export or screenshot it as PNG first.",
        "该文件是 SVG 矢量图（以文本保存），只接受 PNG 和 JPEG 图片。"
        "请先把它导出或截图为 PNG。",
    ),
    "cnn.img.no_pixels": (
        "The picture has no pixels. Upload a PNG or JPEG picture.",
        "图片没有像素。请上传 PNG 或 JPEG 图片。",
    ),
    "cnn.img.damaged": (
        "The {format} file could not be decoded ({reason}). It may be truncated or "
        "damaged; export it again as PNG or JPEG.",
        "无法解码该 {format} 文件（{reason}）。文件可能不完整或已损坏，"
        "请重新导出为 PNG 或 JPEG。",
    ),
    # custom kernel errors (dlcore.cnn.KernelError)
    "cnn.kerr.not_numbers": (
        "Every kernel cell must be a number; found text or a ragged grid. Enter one "
        "number per cell.",
        "卷积核的每个单元都必须是数字，但发现了文本或不规则的表格。请在每个单元中输入一个数字。",
    ),
    "cnn.kerr.not_square": (
        "A kernel must be a square grid, got shape {shape}. Use 3×3 or 5×5.",
        "卷积核必须是正方形表格，但形状是 {shape}。请使用 3×3 或 5×5。",
    ),
    "cnn.kerr.bad_size": (
        "The kernel must be 3×3 or 5×5, got {size}×{size}.",
        "卷积核必须是 3×3 或 5×5，但得到的是 {size}×{size}。",
    ),
    "cnn.kerr.empty_cell": (
        "Every kernel cell needs a finite number; fill the empty cells.",
        "卷积核的每个单元都需要一个有限的数字，请填写空单元。",
    ),
    "cnn.kerr.too_large": (
        "Kernel weights must lie within ±{limit:g}; got {value:g}. Scale the kernel "
        "down.",
        "卷积核权重必须在 ±{limit:g} 以内，但得到 {value:g}。请把卷积核缩小。",
    ),
    # figures
    "cnn.fig.input": ("Input", "输入"),
    "cnn.fig.input_padded": ("Input (zero-padded)", "输入（零填充）"),
    "cnn.fig.input_pool_padded": ("Input (padding ignored)", "输入（忽略填充）"),
    "cnn.fig.kernel": ("Kernel", "卷积核"),
    "cnn.fig.products": ("Window × kernel", "窗口 × 卷积核"),
    "cnn.fig.window": ("Window", "窗口"),
    "cnn.fig.output": ("Output", "输出"),
    "cnn.fig.conv_step": (
        "Output ({row}, {col}) = Σ window × kernel = {value:.3g}",
        "输出 ({row}, {col}) = Σ 窗口 × 卷积核 = {value:.3g}",
    ),
    "cnn.fig.max_step": (
        "Output ({row}, {col}) = max of the window = {value:.3g}",
        "输出 ({row}, {col}) = 窗口内最大值 = {value:.3g}",
    ),
    "cnn.fig.average_step": (
        "Output ({row}, {col}) = mean of the window = {value:.3g}",
        "输出 ({row}, {col}) = 窗口内平均值 = {value:.3g}",
    ),
    "cnn.fig.windows_1d": (
        "The windows along one axis",
        "窗口沿一个轴的位置",
    ),
    "cnn.fig.position": ("position", "位置"),
    "cnn.fig.pad_cell": ("padding", "填充"),
    "cnn.fig.window_n": ("window {index}", "窗口 {index}"),
    "cnn.fig.filters": ("First-layer filters ({layer})", "第一层卷积核（{layer}）"),
    "cnn.fig.filter_n": ("#{index}", "#{index}"),
    "cnn.fig.range": ("{low:.2g}–{high:.2g}", "{low:.2g}–{high:.2g}"),
    "cnn.fig.flat": ("all {value:.3g}", "全为 {value:.3g}"),
    "cnn.fig.feature_maps": (
        "{layer}: {shown} of {total} channels",
        "{layer}：{total} 个通道中的 {shown} 个",
    ),
    "cnn.fig.filter_vis": (
        "What excites the filters of {layer}",
        "最能激活 {layer} 卷积核的输入",
    ),
    "cnn.fig.grad_cam": (
        "Grad-CAM: {label} · {layer}",
        "Grad-CAM：{label} · {layer}",
    ),
    "cnn.fig.overlay": ("Grad-CAM overlay", "Grad-CAM 叠加"),
    "cnn.fig.importance": ("importance", "重要性"),
    "cnn.fig.confusion": ("Confusion matrix (test set)", "混淆矩阵（测试集）"),
    "cnn.fig.true": ("true class", "真实类别"),
    "cnn.fig.predicted": ("predicted class", "预测类别"),
    "cnn.fig.count": ("images", "图片数"),
    "cnn.fig.misclassified": (
        "Misclassified test images: true → predicted class, and the predicted "
        "probability",
        "被分错的测试图片：真实 → 预测类别，以及预测的概率",
    ),
    "cnn.fig.mistakes": ("Misclassified test images", "被分错的测试图片"),
    "cnn.fig.no_mistakes": ("No misclassified images.", "没有被分错的图片。"),
    "cnn.fig.true_pred": (
        "{true} → {pred}<br>{prob:.0%}",
        "{true} → {pred}<br>{prob:.0%}",
    ),
    "cnn.fig.probability": ("probability", "概率"),
    "cnn.fig.per_class": ("Precision and recall per class", "每个类别的精确率和召回率"),
    "cnn.fig.precision": ("precision", "精确率"),
    "cnn.fig.recall": ("recall", "召回率"),
    "cnn.fig.translation": (
        "Accuracy on shifted test images",
        "平移后测试图片上的准确率",
    ),
    "cnn.fig.shift": ("shift (pixels, + = right)", "平移（像素，+ 为向右）"),
    "cnn.fig.cnn": ("CNN", "卷积神经网络"),
    "cnn.fig.dense": ("Dense network", "全连接网络"),
    # Run names in the shared learning-curve legend (dlcore.figures.training).
    "run.cnn": ("CNN", "卷积神经网络"),
    "run.dense": ("Dense network", "全连接网络"),
    "cnn.fig.transfer": (
        "Accuracy on digits {target}",
        "数字 {target} 上的准确率",
    ),
    "cnn.fig.train_size": ("training images", "训练图片数"),
    "cnn.fig.frozen": ("pretrained, frozen", "预训练，冻结"),
    "cnn.fig.fine_tune": (
        "pretrained, top block fine-tuned",
        "预训练，微调最上层卷积块",
    ),
    "cnn.fig.scratch": ("from scratch", "从头训练"),
    "cnn.fig.params": ("Where the parameters are", "参数在哪里"),
    "cnn.fig.param_count": ("parameters", "参数个数"),
    "cnn.fig.network": ("network", "网络"),
    "cnn.fig.layer_table": ("Layers of {network}", "{network} 的各层"),
    "cnn.col.layer": ("layer", "层"),
    "cnn.col.type": ("type", "类型"),
    "cnn.col.output_shape": ("output shape", "输出形状"),
    "cnn.col.params": ("parameters", "参数个数"),
    "cnn.col.total": ("total", "合计"),
}
