"""Strings of the CNN page (卷积神经网络) and its figures."""

STRINGS: dict[str, tuple[str, str]] = {
    # page
    "cnn.title": ("Convolutional neural networks", "卷积神经网络"),
    "cnn.intro": (
        "A convolution slides a small kernel over the image and, at every position, "
        "adds up the element-wise products of the kernel and the pixels under it. "
        "Step through it by hand, then train a real Keras CNN on handwritten digits "
        "and look inside it.",
        "卷积把一个小卷积核在图像上滑动，在每个位置把卷积核与其下方像素逐元素相乘再求和。"
        "先一步一步手动演示，再在手写数字上训练一个真实的 Keras 卷积神经网络，并观察它的内部。",
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
    "cnn.source.digit": ("A digit from the dataset", "数据集中的数字"),
    "cnn.source.upload": ("Upload a picture (PNG/JPEG)", "上传图片（PNG/JPEG）"),
    "cnn.digit_index": ("Digit number", "数字编号"),
    "cnn.kernel": ("Kernel", "卷积核"),
    "cnn.kernel_size": ("Kernel size", "卷积核大小"),
    "cnn.custom_kernel": ("Custom (edit the grid)", "自定义（编辑表格）"),
    "cnn.stride": ("Stride", "步幅"),
    "cnn.padding": ("Padding", "填充"),
    "cnn.padding.valid": ("valid (no padding)", "valid（不填充）"),
    "cnn.padding.same": ("same (pad with zeros)", "same（用零填充）"),
    "cnn.pool_mode": ("Pooling", "池化"),
    "cnn.pool.max": ("Max pooling", "最大池化"),
    "cnn.pool.average": ("Average pooling", "平均池化"),
    "cnn.pool_size": ("Pooling window", "池化窗口"),
    "cnn.step": ("Output cell", "输出单元"),
    "cnn.input_size": ("Input size n", "输入大小 n"),
    "cnn.num_blocks": ("Convolution blocks", "卷积块数"),
    "cnn.filters": ("Filters in the first block", "第一块的卷积核个数"),
    "cnn.dropout": ("Dropout rate", "暂退率 (dropout)"),
    "cnn.batch_norm": ("Batch normalization", "批量规范化"),
    "cnn.augmentation": ("Data augmentation", "数据增广"),
    "cnn.aug.shift": ("Random shift", "随机平移"),
    "cnn.aug.rotation": ("Random rotation", "随机旋转"),
    "cnn.aug.zoom": ("Random zoom", "随机缩放"),
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
        "n: input size, k: kernel size, s: stride, p: padding.",
        "n：输入大小，k：卷积核大小，s：步幅，p：填充。",
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
        "教科书中的卷积要先把卷积核旋转 180°。由于卷积核是学出来的，翻转与否不影响学习。",
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
        "A conv base is pretrained on digits {source}; then digits {target} are learned "
        "from few images with the base frozen, with its top block fine-tuned, or from "
        "scratch. Every run gets the same number of gradient steps.",
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
        "the chosen filter as much as possible.",
        "从灰色噪声出发，用梯度上升修改输入图像，使所选卷积核的激活尽可能大。",
    ),
    "cnn.result": (
        "Test accuracy {accuracy:.1%} with {params:,} parameters",
        "测试集准确率 {accuracy:.1%}，参数 {params:,} 个",
    ),
    # image upload errors (dlcore.images.ImageError)
    "cnn.img.not_bytes": (
        "Expected the file's bytes, got {kind}. Pass the content of a PNG or JPEG file.",
        "需要文件的字节内容，但得到的是 {kind}。请传入 PNG 或 JPEG 文件的内容。",
    ),
    "cnn.img.empty": (
        "The file is empty. Upload a PNG or JPEG picture.",
        "文件是空的。请上传 PNG 或 JPEG 图片。",
    ),
    "cnn.img.too_many_bytes": (
        "The file is {megabytes:.1f} MB; at most {limit} MB is accepted. Upload a "
        "smaller PNG or JPEG.",
        "文件大小为 {megabytes:.1f} MB，最多接受 {limit} MB。请上传更小的 PNG 或 JPEG 图片。",
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
        "The picture is {width} × {height} pixels; at most {limit} × {limit} is "
        "accepted. Scale it down first.",
        "图片为 {width} × {height} 像素，最多接受 {limit} × {limit}。请先缩小图片。",
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
        "Where the windows go along one axis",
        "窗口沿一个轴的位置",
    ),
    "cnn.fig.position": ("position", "位置"),
    "cnn.fig.pad_cell": ("padding", "填充"),
    "cnn.fig.window_n": ("window {index}", "窗口 {index}"),
    "cnn.fig.filters": ("First-layer filters ({layer})", "第一层卷积核（{layer}）"),
    "cnn.fig.filter_n": ("#{index}", "#{index}"),
    "cnn.fig.feature_maps": (
        "Feature maps of {layer} ({shown} of {total} channels)",
        "{layer} 的特征图（显示 {shown} / {total} 个通道）",
    ),
    "cnn.fig.filter_vis": (
        "What excites the filters of {layer}",
        "最能激活 {layer} 卷积核的输入",
    ),
    "cnn.fig.grad_cam": (
        "Grad-CAM for class {label} (layer {layer})",
        "类别 {label} 的 Grad-CAM（层 {layer}）",
    ),
    "cnn.fig.overlay": ("Grad-CAM overlay", "Grad-CAM 叠加"),
    "cnn.fig.importance": ("importance", "重要性"),
    "cnn.fig.confusion": ("Confusion matrix (test set)", "混淆矩阵（测试集）"),
    "cnn.fig.true": ("true class", "真实类别"),
    "cnn.fig.predicted": ("predicted class", "预测类别"),
    "cnn.fig.count": ("images", "图片数"),
    "cnn.fig.misclassified": ("Misclassified test images", "被分错的测试图片"),
    "cnn.fig.no_mistakes": ("No misclassified images.", "没有被分错的图片。"),
    "cnn.fig.true_pred": (
        "true {true} → {pred} ({prob:.0%})",
        "真实 {true} → {pred}（{prob:.0%}）",
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
    "cnn.fig.transfer": (
        "Accuracy on digits {target} vs training images",
        "数字 {target} 上的准确率与训练图片数",
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
