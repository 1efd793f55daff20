"""Strings shared by the app shell, the trainer UI and every page."""

STRINGS: dict[str, tuple[str, str]] = {
    "lang.name": ("English", "中文"),
    "lang.label": ("Language / 语言", "Language / 语言"),
    "app.title": ("Deep Learning, Hands-On", "动手玩深度学习"),
    "app.tagline": (
        "Real Keras models, trained on the server while you watch.",
        "真实的 Keras 模型，在服务器上训练，边看边学。",
    ),
    # navigation sections and pages
    "nav.section.start": ("Start", "入门"),
    "nav.section.basics": ("Building blocks", "基础组件"),
    "nav.section.nets": ("Networks", "网络"),
    # runtime panel
    "runtime.title": ("Runtime", "运行环境"),
    "runtime.tensorflow": ("TensorFlow", "TensorFlow"),
    "runtime.keras": ("Keras", "Keras"),
    "runtime.device": ("Device", "设备"),
    "runtime.cached": ("Cached results", "已缓存结果"),
    "runtime.queue": ("Trainings running / waiting", "正在训练 / 排队"),
    "runtime.loading": ("loading…", "加载中…"),
    "runtime.service": ("Training service", "训练服务"),
    "runtime.not_started": (
        "not started (this page trains nothing)",
        "未启动（本页不训练模型）",
    ),
    "runtime.store": ("Result store", "结果存储"),
    "runtime.store_disk": ("on disk", "磁盘"),
    "runtime.store_memory": ("memory only ({reason})", "仅内存（{reason}）"),
    "runtime.store_redis": (
        "shared by all servers (Redis)",
        "所有服务器共享（Redis）",
    ),
    # common words
    "common.epoch": ("epoch", "轮次"),
    "common.step": ("step", "步"),
    "common.loss": ("loss", "损失"),
    "common.accuracy": ("accuracy", "准确率"),
    "common.value": ("value", "值"),
    "common.train": ("training", "训练集"),
    "common.validation": ("validation", "验证集"),
    "common.test": ("test", "测试集"),
    "common.epoch_of": ("Epoch {epoch} / {epochs}", "第 {epoch} / {epochs} 轮"),
    "common.show_code": ("Show the Keras code", "查看 Keras 代码"),
    "common.download_code": ("Download the script", "下载脚本"),
    "common.seed": ("Random seed", "随机种子"),
    "common.preset": ("Preset", "预设"),
    # training progress
    "train.waiting": (
        "Waiting for a free trainer ({ahead} ahead of you)…",
        "等待空闲的训练进程（前面还有 {ahead} 个）…",
    ),
    "train.starting": ("Building and compiling the model…", "正在构建并编译模型…"),
    "train.running": (
        "Training: epoch {epoch} / {epochs}",
        "训练中：第 {epoch} / {epochs} 轮",
    ),
    "train.untrained": (
        "Epoch 0: the untrained model is measured; compiling the training step…",
        "第 0 轮：已评估未训练的模型；正在编译训练步骤…",
    ),
    "train.run_of": ("Run {run} / {runs}", "第 {run} / {runs} 次运行"),
    "train.finished": (
        "Trained {epochs} epochs in {seconds:.2f} s",
        "已训练 {epochs} 轮，用时 {seconds:.2f} 秒",
    ),
    "train.finished_steps": (
        "Trained {steps} steps in {seconds:.2f} s",
        "已训练 {steps} 步，用时 {seconds:.2f} 秒",
    ),
    "train.cached": (
        "Shown from the shared cache (trained earlier in {seconds:.2f} s)",
        "来自共享缓存（此前训练用时 {seconds:.2f} 秒）",
    ),
    "train.diverged": (
        "Diverged at epoch {epoch}: the loss became NaN/∞. The learning rate is "
        "probably too large for this setup; try a smaller one.",
        "在第 {epoch} 轮发散：损失变成了 NaN/∞。对这个设置来说学习率可能过大，请调小。",
    ),
    "train.cancelled": ("Training was cancelled.", "训练已取消。"),
    "train.previous": (
        "The last finished run (a new one is training below):",
        "上一次完成的运行（新的运行正在下方训练）：",
    ),
    "train.failed": ("Training failed: {error}", "训练失败：{error}"),
    "train.retrain": ("Retrain", "重新训练"),
    "train.curves": ("Learning curves", "学习曲线"),
    # classroom tools (ui/classroom.py, ui/state.py)
    "classroom.title": ("Teacher tools", "教师工具"),
    "classroom.projector": ("Projector mode", "投影模式"),
    "classroom.projector_help": (
        "Larger text, lines and markers on every chart, for the back of the room.",
        "所有图表的文字、线条和标记都放大，教室后排也看得清。",
    ),
    "classroom.show_qr": ("Show this page to the class", "把本页展示给全班"),
    "classroom.scan": (
        "Scan to open this page with these settings",
        "扫码打开本页（保留当前设置）",
    ),
    "classroom.teacher_view": (
        "Teacher view: hide or lock controls",
        "教师视图：隐藏或锁定控件",
    ),
    "classroom.hide": ("Hide these controls", "隐藏这些控件"),
    "classroom.lock": (
        "Lock these controls (shown, not editable)",
        "锁定这些控件（可见但不可改）",
    ),
    "classroom.name": ("Name this setup (optional)", "为这个设置命名（可选）"),
    "classroom.link": (
        "Link for the class (the current settings, with these controls hidden "
        "or locked):",
        "给全班的链接（当前设置，并隐藏或锁定所选控件）：",
    ),
    "classroom.locked": ("Locked by the teacher", "已被教师锁定"),
    "classroom.tabs": ("Open tab", "打开的标签页"),
    "compare.pin": ("Pin this run", "固定这次运行"),
    "compare.pinned": ("Pinned as run {n}", "已固定为第 {n} 次运行"),
    "compare.title": (
        "Compare pinned runs ({count})",
        "比较已固定的运行（{count} 次）",
    ),
    "compare.help": (
        "Pin runs with different settings, then compare them here: the settings that "
        "differ, the final metrics and the learning curves on one chart.",
        "用不同设置固定几次运行，然后在这里比较：不同的设置、最终指标，以及同一张图上的学习曲线。",
    ),
    "compare.metric": ("Curve to compare", "要比较的曲线"),
    "compare.clear": ("Clear pinned runs", "清除已固定的运行"),
    "compare.csv": ("Download the table (CSV)", "下载表格（CSV）"),
    "compare.run": ("run", "运行"),
    "compare.same": (
        "All pinned runs have the same settings.",
        "所有固定的运行设置都相同。",
    ),
    "compare.limit": (
        "At most {limit} runs are kept; the oldest was dropped.",
        "最多保留 {limit} 次运行，已移除最早的一次。",
    ),
    # why a URL value was ignored (ui/state.py)
    "url.nan": ("not a number", "不是数字"),
    "url.finite": ("not a finite number", "不是有限的数"),
    "url.range": ("outside {low}…{high}", "超出范围 {low}…{high}"),
    "url.whole": ("not a whole number", "不是整数"),
    "url.options": ("expected one of {options}", "应为以下之一：{options}"),
    "url.long": ("too long", "太长"),
    "url.pair": ("expected two numbers: low,high", "应为两个数：下限,上限"),
    "url.max_items": ("more than {limit} choices", "超过 {limit} 项"),
    "url.empty": ("empty", "为空"),
    "url.toggle": ("expected 1 or 0", "应为 1 或 0"),
    "url.lang": ("expected en or zh", "应为 en 或 zh"),
    "url.preset": ("not accepted by the controls", "控件不接受这些值"),
    # errors
    "error.bad_param": (
        "Ignored the URL parameter {name}={value!r}: {reason}",
        "已忽略 URL 参数 {name}={value!r}：{reason}",
    ),
    "error.dataset_offline": (
        "{name} could not be downloaded (no internet connection?). Use the "
        "embedded digits dataset instead; it works offline.",
        "无法下载 {name}（没有网络连接？）。请改用内置的 digits 数据集，它无需联网。",
    ),
}
