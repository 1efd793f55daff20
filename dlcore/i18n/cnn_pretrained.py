"""Strings of the CNN page's "Pretrained on photos" tab (预训练网络与真实照片)."""

#: Chinese names of common ImageNet classes (Keras' class-index names).
_CLASSES: dict[str, str] = {
    "tabby": "虎斑猫",
    "tiger_cat": "虎猫",
    "Persian_cat": "波斯猫",
    "Siamese_cat": "暹罗猫",
    "Egyptian_cat": "埃及猫",
    "lynx": "猞猁",
    "espresso": "浓缩咖啡",
    "cup": "杯子",
    "coffee_mug": "咖啡杯",
    "coffeepot": "咖啡壶",
    "teapot": "茶壶",
    "saucer": "茶托",
    "plate": "盘子",
    "tray": "托盘",
    "spoon": "勺子",
    "espresso_maker": "意式咖啡机",
    "space_shuttle": "航天飞机",
    "missile": "导弹",
    "projectile": "火箭弹",
    "airliner": "客机",
    "warplane": "战斗机",
    "space_heater": "电暖器",
    "mask": "面具",
    "crash_helmet": "头盔",
    "football_helmet": "橄榄球头盔",
    "suit": "西装",
    "military_uniform": "军装",
    "golden_retriever": "金毛寻回犬",
    "Labrador_retriever": "拉布拉多寻回犬",
    "German_shepherd": "德国牧羊犬",
    "beagle": "比格犬",
    "pug": "哈巴狗",
    "Chihuahua": "吉娃娃",
    "tiger": "老虎",
    "lion": "狮子",
    "zebra": "斑马",
    "African_elephant": "非洲象",
    "goldfish": "金鱼",
    "banana": "香蕉",
    "orange": "橙子",
    "lemon": "柠檬",
    "Granny_Smith": "青苹果",
    "strawberry": "草莓",
    "pizza": "比萨",
    "sports_car": "跑车",
    "convertible": "敞篷车",
    "bicycle-built-for-two": "双人自行车",
    "mountain_bike": "山地自行车",
    "laptop": "笔记本电脑",
    "notebook": "笔记本",
    "desktop_computer": "台式电脑",
    "cellular_telephone": "手机",
    "analog_clock": "指针式时钟",
    "wall_clock": "挂钟",
    "traffic_light": "交通信号灯",
    "umbrella": "雨伞",
    "backpack": "背包",
    "water_bottle": "水瓶",
    "beer_glass": "啤酒杯",
    "wine_bottle": "葡萄酒瓶",
    "tennis_ball": "网球",
    "soccer_ball": "足球",
    "basketball": "篮球",
    "balloon": "气球",
    "television": "电视机",
    "window_screen": "纱窗",
    "jigsaw_puzzle": "拼图",
    "envelope": "信封",
    "web_site": "网页",
}

STRINGS: dict[str, tuple[str, str]] = {
    "cnn.tab.photos": ("Pretrained on photos", "预训练网络与照片"),
    "cnn.photos.intro": (
        "Networks trained on ImageNet (1.2 million photos, 1000 classes) by "
        "`keras.applications` look at a real photo: their five most probable "
        "classes, where they look (Grad-CAM), what their early, middle and late "
        "layers respond to, and how to reuse them for your own classes.",
        "在 ImageNet（120 万张照片，1000 个类别）上训练好的 `keras.applications` "
        "网络来看一张真实照片：最可能的五个类别、它们关注哪里（Grad-CAM）、"
        "浅层、中层和深层分别响应什么，以及如何把它们用于你自己的类别。",
    ),
    "cnn.photos.model": ("Network", "网络"),
    "cnn.photos.source": ("Photo", "照片"),
    "cnn.photos.src.example": ("Example photo", "示例照片"),
    "cnn.photos.src.upload": ("Upload", "上传"),
    "cnn.photos.src.camera": ("Camera", "相机"),
    "cnn.photos.example": ("Example", "示例"),
    "cnn.photos.ex.chelsea": ("Cat", "猫"),
    "cnn.photos.ex.coffee": ("Coffee cup", "咖啡杯"),
    "cnn.photos.ex.astronaut": ("Astronaut", "宇航员"),
    "cnn.photos.ex.rocket": ("Rocket", "火箭"),
    "cnn.photos.example_source": (
        "Example photos ship with scikit-image (`skimage.data`).",
        "示例照片来自 scikit-image 自带的图像（`skimage.data`）。",
    ),
    "cnn.photos.upload_prompt": (
        "A PNG or JPEG photo (at most 5 MB)",
        "一张 PNG 或 JPEG 照片（不超过 5 MB）",
    ),
    "cnn.photos.camera_prompt": ("Take a picture", "拍一张照片"),
    "cnn.photos.no_photo": (
        "No photo yet: the example photo is shown until you add one.",
        "还没有照片：在你添加照片之前显示示例照片。",
    ),
    "cnn.photos.params": (
        "{title}: {count:,} parameters, {layers} layers, input 224 × 224 × 3.",
        "{title}：{count:,} 个参数，{layers} 层，输入 224 × 224 × 3。",
    ),
    "cnn.photos.pretrained_ok": (
        "ImageNet weights loaded (from the Keras cache, `~/.keras/models`).",
        "已加载 ImageNet 权重（来自 Keras 缓存 `~/.keras/models`）。",
    ),
    "cnn.photos.offline": (
        "Offline: the ImageNet weights of {title} could not be downloaded, so "
        "this is the same network with random weights. Every prediction and "
        "heat map below is **untrained — the weights could not be downloaded**. "
        "The digits transfer demo works offline: [open it](?cnn_tab=transfer).",
        "离线：无法下载 {title} 的 ImageNet 权重，因此这里是随机权重的同一个网络。"
        "下面的每个预测和热力图都是**未训练——无法下载权重**。"
        "手写数字的迁移学习演示可离线运行：[打开](?cnn_tab=transfer)。",
    ),
    "cnn.photos.untrained": (
        "untrained — the weights could not be downloaded",
        "未训练——无法下载权重",
    ),
    "cnn.photos.section.predict": ("What the network sees", "网络看到了什么"),
    "cnn.photos.section.cam": ("Where it looks: Grad-CAM", "它关注哪里：Grad-CAM"),
    "cnn.photos.section.maps": (
        "Feature maps: generic → specific",
        "特征图：从通用到特定",
    ),
    "cnn.photos.section.layers": ("Layers and parameters", "层与参数"),
    "cnn.photos.section.train": (
        "Reuse it: feature extraction and fine-tuning",
        "复用它：特征提取与微调",
    ),
    "cnn.photos.fig.photo": (
        "Photo<br>{width} × {height} pixels",
        "照片<br>{width} × {height} 像素",
    ),
    "cnn.photos.fig.input": (
        "preprocess_input: 224 × 224,<br>values {low:.3g} … {high:.3g}",
        "preprocess_input：224 × 224，<br>取值 {low:.3g} … {high:.3g}",
    ),
    "cnn.photos.pre.tf": (
        "MobileNetV2's `preprocess_input`: x / 127.5 − 1, every channel in [−1, 1].",
        "MobileNetV2 的 `preprocess_input`：x / 127.5 − 1，每个通道在 [−1, 1] 内。",
    ),
    "cnn.photos.pre.caffe": (
        "{title}'s `preprocess_input`: RGB → BGR, then minus the ImageNet channel "
        "means (B 103.939, G 116.779, R 123.68); not scaled. Shown rescaled to "
        "0 … 255 for display, in BGR order read as RGB (hence the blue tint).",
        "{title} 的 `preprocess_input`：RGB → BGR，再减去 ImageNet 各通道均值"
        "（B 103.939、G 116.779、R 123.68），不缩放。为便于显示，重新缩放到 0 … 255，"
        "并把 BGR 当作 RGB 显示（所以偏蓝）。",
    ),
    "cnn.photos.resize_note": (
        "The photo is resized to 224 × 224 (the whole photo, squeezed, as "
        "`keras.utils.load_img(target_size=(224, 224))` does).",
        "照片被缩放为 224 × 224（整张照片拉伸，与 "
        "`keras.utils.load_img(target_size=(224, 224))` 相同）。",
    ),
    "cnn.photos.fig.top5": ("Top-5 classes", "前 5 个类别"),
    "cnn.photos.fig.top5_untrained": (
        "Top-5 classes (untrained)",
        "前 5 个类别（未训练）",
    ),
    "cnn.photos.fig.probability": ("probability (softmax)", "概率（softmax）"),
    "cnn.photos.class_number": ("class {index}", "类别 {index}"),
    "cnn.photos.cam_class": ("Class (one of the top 5)", "类别（前 5 个之一）"),
    "cnn.photos.cam_layer": ("Layer", "层"),
    "cnn.photos.fig.cam": (
        "Grad-CAM of “{name}” on {layer}<br>{width} × {height} pixels",
        "“{name}”在 {layer} 上的 Grad-CAM<br>{width} × {height} 像素",
    ),
    "cnn.photos.fig.cam_untrained": (
        "Grad-CAM on {layer} (untrained)",
        "{layer} 上的 Grad-CAM（未训练）",
    ),
    "cnn.photos.cam_note": (
        "Grad-CAM: the gradient of the class score (the logit, before the "
        "softmax) with respect to each channel of the layer, averaged over the "
        "positions, weights that channel; ReLU of the weighted sum, divided by "
        "its maximum, resized to the photo. Red: the places that raise the "
        "class score the most.",
        "Grad-CAM：类别得分（softmax 之前的 logit）对该层每个通道的梯度，"
        "在各位置上取平均，作为该通道的权重；对加权和取 ReLU，除以最大值，"
        "再缩放到照片大小。红色：最能提高该类别得分的位置。",
    ),
    "cnn.photos.cam_empty": (
        "No position raises this class's score on this layer: the map is all zeros.",
        "在这一层上没有位置能提高该类别的得分：热力图全为零。",
    ),
    "cnn.photos.fig.maps": (
        "{layer} ({depth})<br>{height} × {width} × {channels}",
        "{layer}（{depth}）<br>{height} × {width} × {channels}",
    ),
    "cnn.photos.depth.early": ("early", "浅层"),
    "cnn.photos.depth.middle": ("middle", "中层"),
    "cnn.photos.depth.late": ("late", "深层"),
    "cnn.photos.maps_note": (
        "The 8 most active channels of each layer (largest mean activation). "
        "Early layers respond to edges, colours and textures that any photo "
        "has (generic); late layers, 7 × 7 or 14 × 14 positions, respond to "
        "parts of objects (specific to ImageNet's classes): that is why "
        "feature extraction reuses the convolutional base but not the dense "
        "classifier.",
        "每层激活最强的 8 个通道（平均激活最大）。浅层响应任何照片都有的边缘、"
        "颜色和纹理（通用）；深层只有 7 × 7 或 14 × 14 个位置，响应物体的部件"
        "（特定于 ImageNet 的类别）：所以特征提取复用卷积基，而不复用全连接分类器。",
    ),
    "cnn.photos.total_params": ("{count:,} parameters in total", "共 {count:,} 个参数"),
    "cnn.photos.col.layer": ("layer", "层"),
    "cnn.photos.col.type": ("type", "类型"),
    "cnn.photos.col.output": ("output shape", "输出形状"),
    "cnn.photos.col.params": ("parameters", "参数"),
    "cnn.photos.col.trainable": ("trainable", "可训练"),
    # training: feature extraction vs fine-tuning vs from scratch
    "cnn.photos.train_intro": (
        "The recipe (five steps): 1. put a new head on the convolutional base "
        "(global average pooling, dropout, a dense layer for your classes); "
        "2. freeze the base; 3. train the head (feature extraction); 4. "
        "unfreeze the top block of the base (BatchNorm layers stay frozen); "
        "5. train both with a low learning rate (fine-tuning). A small CNN "
        "trained from scratch on the same photos is the baseline.",
        "步骤（五步）：1. 在卷积基上加一个新的头部（全局平均汇聚、暂退法、"
        "一个对应你的类别的全连接层）；2. 冻结卷积基；3. 训练头部（特征提取）；"
        "4. 解冻卷积基的最上面一个块（批量规范化层保持冻结）；"
        "5. 用较小的学习率同时训练两者（微调）。在同样照片上从零训练的小型"
        "卷积神经网络作为基线。",
    ),
    "cnn.photos.recipe_caption": (
        "{title} at {size} × {size}: trainable parameters at each step "
        "(equal to Keras' `trainable_weights`).",
        "{title}，输入 {size} × {size}：每一步的可训练参数"
        "（与 Keras 的 `trainable_weights` 相同）。",
    ),
    "cnn.photos.col.step": ("step", "步骤"),
    "cnn.photos.col.layers": ("trained layers", "训练的层"),
    "cnn.photos.step.add_head": ("1. add a head", "1. 加上头部"),
    "cnn.photos.step.freeze_base": ("2. freeze the base", "2. 冻结卷积基"),
    "cnn.photos.step.train_head": ("3. train the head", "3. 训练头部"),
    "cnn.photos.step.unfreeze_top": ("4. unfreeze the top block", "4. 解冻最上面的块"),
    "cnn.photos.step.train_both": (
        "5. train both, low learning rate",
        "5. 以较小学习率同时训练",
    ),
    "cnn.photos.data": ("Photo set", "照片集"),
    "cnn.photos.data.crops": ("Example crops", "示例裁剪"),
    "cnn.photos.data.zip": ("Your zip", "你的 zip"),
    "cnn.photos.data.public": ("Cats vs dogs", "猫与狗"),
    "cnn.photos.crops_note": (
        "Random crops of two example photos (a cat and a coffee cup). Every "
        "crop of a class comes from ONE photo, so this shows the mechanics, "
        "not real generalisation: download the public cats-vs-dogs subset "
        "(online) or upload a zip of your own two folders for a real test, or "
        "see transfer learning on digits: "
        "[open the digits transfer demo](?cnn_tab=transfer).",
        "两张示例照片（一只猫和一个咖啡杯）的随机裁剪。每一类的所有裁剪都来自同一张"
        "照片，所以它只演示流程，不代表真实的泛化能力：要做真实的测试，请下载公开的"
        "猫狗子集（需联网）或上传你自己的两个文件夹的 zip，或者看手写数字上的迁移学习："
        "[打开手写数字迁移学习演示](?cnn_tab=transfer)。",
    ),
    "cnn.photos.public_note": (
        "{count} photos per class from TensorFlow's public cats-vs-dogs subset "
        "(`cats_and_dogs_filtered.zip`, downloaded once into the Keras cache).",
        "从 TensorFlow 公开的猫狗子集（`cats_and_dogs_filtered.zip`，只下载一次，"
        "存入 Keras 缓存）中每类取 {count} 张照片。",
    ),
    "cnn.photos.public_offline": (
        "Offline: the public cats-vs-dogs photos cannot be downloaded here, so "
        "nothing is trained on them. Use the example crops or your own zip, or "
        "see transfer learning on digits: "
        "[open the digits transfer demo](?cnn_tab=transfer).",
        "离线：这里无法下载公开的猫狗照片，因此不会用它们训练。请使用示例裁剪或你自己的"
        " zip，或者看手写数字上的迁移学习："
        "[打开手写数字迁移学习演示](?cnn_tab=transfer)。",
    ),
    "cnn.photos.zip_prompt": (
        "A zip with two folders of photos, one per class (PNG/JPEG, 4 to 150 "
        "per folder, at most 20 MB)",
        "一个包含两个照片文件夹的 zip（每类一个文件夹，PNG/JPEG，每个文件夹 4 到 "
        "150 张，不超过 20 MB）",
    ),
    "cnn.photos.zip_ok": (
        "{count} photos: {first} ({first_count}) and {second} ({second_count}).",
        "{count} 张照片：{first}（{first_count} 张）和 {second}（{second_count} 张）。",
    ),
    "cnn.photos.zip_missing": (
        "Upload a zip of two folders of photos: nothing is trained until "
        "then. Meanwhile, see transfer learning on digits: "
        "[open the digits transfer demo](?cnn_tab=transfer).",
        "请上传包含两个照片文件夹的 zip：在此之前不会训练。你也可以先看手写数字上的"
        "迁移学习：[打开手写数字迁移学习演示](?cnn_tab=transfer)。",
    ),
    "cnn.photos.train_untrained": (
        "The ImageNet weights are not available (offline): the base below has "
        "random weights, so feature extraction and fine-tuning start from "
        "**untrained — the weights could not be downloaded** features.",
        "ImageNet 权重不可用（离线）：下面的卷积基是随机权重，所以特征提取和微调"
        "从**未训练——无法下载权重**特征开始。",
    ),
    "cnn.photos.train_size_note": (
        "MobileNetV2 at {size} × {size} (a smaller input that keeps CPU "
        "training within seconds; its ImageNet weights exist for this size).",
        "MobileNetV2，输入 {size} × {size}（较小的输入让 CPU 训练只需几秒；"
        "该尺寸有对应的 ImageNet 权重）。",
    ),
    "cnn.photos.train_size": ("Input size for training", "训练时的输入尺寸"),
    "cnn.photos.head_epochs": (
        "Epochs: head (feature extraction)",
        "轮数：头部（特征提取）",
    ),
    "cnn.photos.fine_epochs": ("Epochs: fine-tuning", "轮数：微调"),
    "cnn.photos.fine_lr": ("Fine-tuning learning rate", "微调学习率"),
    "cnn.photos.acc.feature": ("Feature extraction", "特征提取"),
    "cnn.photos.acc.fine": ("Fine-tuning", "微调"),
    "cnn.photos.acc.scratch": ("Small CNN from scratch", "从零训练的小型 CNN"),
    "cnn.photos.acc_caption": (
        "Validation accuracy on {count} held-out photos; "
        "training time {seconds:.1f} s.",
        "在 {count} 张留出照片上的验证准确率；训练时间 {seconds:.1f} 秒。",
    ),
    "cnn.photos.fig.curves": ("Validation accuracy per epoch", "每轮的验证准确率"),
    "cnn.photos.fig.epoch": ("epoch", "轮"),
    "cnn.photos.fig.accuracy": ("validation accuracy", "验证准确率"),
    # errors of photo sets
    "cnn.photos.err.not_zip": (
        "This file is not a zip archive. Upload a .zip with two folders of photos.",
        "这个文件不是 zip 压缩包。请上传包含两个照片文件夹的 .zip。",
    ),
    "cnn.photos.err.zip_bytes": (
        "The zip is {megabytes:.1f} MB; at most {limit} MB is accepted.",
        "这个 zip 有 {megabytes:.1f} MB；最多接受 {limit} MB。",
    ),
    "cnn.photos.err.unzipped": (
        "Unzipped, the files take {megabytes:.1f} MB; at most {limit} MB is accepted.",
        "解压后文件共 {megabytes:.1f} MB；最多接受 {limit} MB。",
    ),
    "cnn.photos.err.zip_files": (
        "The zip holds {count} files; at most {limit} are accepted.",
        "这个 zip 有 {count} 个文件；最多接受 {limit} 个。",
    ),
    "cnn.photos.err.loose_file": (
        "“{name}” is not in a folder: put the photos of each class in its own folder.",
        "“{name}”不在文件夹里：请把每一类的照片放在各自的文件夹中。",
    ),
    "cnn.photos.err.folders": (
        "The zip must hold exactly two folders of photos (one per class); it "
        "holds {count}: {names}.",
        "zip 中必须正好有两个照片文件夹（每类一个）；现在有 {count} 个：{names}。",
    ),
    "cnn.photos.err.per_class": (
        "Folder “{name}” holds {count} files; "
        "each folder needs {low} to {high} photos.",
        "文件夹“{name}”有 {count} 个文件；每个文件夹需要 {low} 到 {high} 张照片。",
    ),
    "cnn.photos.err.bad_file": (
        "“{name}” cannot be used: {reason}",
        "“{name}”无法使用：{reason}",
    ),
    "cnn.photos.err.set_gone": (
        "This photo set is no longer on the server: upload the zip again.",
        "服务器上已没有这个照片集：请重新上传 zip。",
    ),
    **{
        f"cnn.photos.class.{name}": (name.replace("_", " "), zh)
        for name, zh in _CLASSES.items()
    },
}
