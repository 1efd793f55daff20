"""Strings of the shared training service (``ui/training.py``): the class
budget, the idle queue, the wall-time cap, restarts and the cache's notes."""

STRINGS: dict[str, tuple[str, str]] = {
    "jobs.over_budget": (
        "This run would take about {seconds} s, too long for a shared class "
        "server (limit {limit} s per training). Choose a smaller setting, or "
        "let it run when the server is idle.",
        "这次训练预计需要约 {seconds} 秒，对全班共用的服务器来说太长了"
        "（每次训练上限 {limit} 秒）。请选择更小的设置，或等服务器空闲时再运行。",
    ),
    "jobs.nearest.epochs": (
        "Train {value} epochs instead (about {seconds} s)",
        "改为训练 {value} 个迭代周期（约 {seconds} 秒）",
    ),
    "jobs.nearest.pretrain_epochs": (
        "Pretrain {value} epochs instead (about {seconds} s)",
        "改为预训练 {value} 个迭代周期（约 {seconds} 秒）",
    ),
    "jobs.nearest.num_steps": (
        "Use {value} steps per run instead (about {seconds} s)",
        "改为每次运行 {value} 步（约 {seconds} 秒）",
    ),
    "jobs.no_nearest": (
        "No smaller setting of the epochs fits: change the model or the data "
        "to make it smaller.",
        "仅减少迭代周期数无法满足上限：请缩小模型或数据规模。",
    ),
    "jobs.run_idle": ("Run when the server is idle", "等服务器空闲时运行"),
    "jobs.idle_waiting": (
        "Waits for the server to be idle ({ahead} ahead)…",
        "正在等待服务器空闲（前面还有 {ahead} 个）…",
    ),
    "jobs.lock_wait": (
        "Another server process is training these settings; waiting for its result…",
        "另一个服务器进程正在训练相同的设置，正在等待其结果…",
    ),
    "jobs.wall": (
        "Training was stopped after {seconds} s: the class server's limit per "
        "training. Choose a smaller setting.",
        "训练在 {seconds} 秒后被停止：这是全班共用服务器每次训练的时间上限。"
        "请选择更小的设置。",
    ),
    "jobs.restarted": (
        "Restarted after a worker failure: the curves show the new attempt only.",
        "训练进程出错后已重新开始：曲线只显示新的一次训练。",
    ),
    "jobs.rejected": (
        "A stored result for these settings could not be read safely and was "
        "discarded; training again.",
        "这些设置的已存结果无法安全读取，已被丢弃；正在重新训练。",
    ),
    "jobs.store_down": (
        "Not kept for the class: the result store is unavailable ({reason}), so "
        "each run trains anew until it is back.",
        "未为全班保存：结果存储暂不可用（{reason}），恢复之前每次都会重新训练。",
    ),
    "jobs.unavailable": (
        "The training service cannot be reached right now ({error}). Nothing was "
        "trained; try again in a minute, or ask the teacher to check the server.",
        "暂时无法连接训练服务（{error}），本次没有训练。请稍后再试，或请老师检查服务器。",
    ),
}
