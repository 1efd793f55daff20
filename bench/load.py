"""A class under load: one training service, many browser sessions, three heavy ones.

Run from the repository root (a few minutes on 2 cores):

    python bench/load.py               # writes "Class under load" in RESULTS.md
    python bench/load.py --quick       # heavy runs at 1/4 of their epochs
    python bench/load.py --calibrate   # the runs behind dlcore.budget's constants

Both parts use the server's own :class:`dlcore.jobs.TrainingService` with
worker processes and a real cache folder (a fresh temporary one), and the same
calls as ``ui.training.run_task`` (``submit(owner=session)``, the budget check,
"run when idle" or the nearest setting that fits):

* **Class**: 30 sessions (threads) open pages 0.1 s apart; a third ask for the
  playground's default (identical), the others for distinct configs of four
  tasks. Figures: distinct configs, trainings run, errors, p50/p95 wait.
* **Heavy students**: three students start the issue's heavy runs, then a
  normal student asks for the default playground. *Before*: first come, first
  served and no budget (``fair=False``, every run submitted as asked).
  *After*: the budget turns the heavy runs away; two students press "Run when
  the server is idle" and one takes the nearest setting that fits.
Peak RSS is the server process plus its worker processes, from ``/proc``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dlcore import budget, cache, jobs, topics  # noqa: E402


def _rss_mb(pid: int) -> float:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    match = re.search(r"VmRSS:\s+(\d+) kB", text)
    return int(match.group(1)) / 1024 if match else 0.0


def _children(pid: int) -> list[int]:
    try:
        out = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    kids = [int(p) for p in out]
    return kids + [k for kid in kids for k in _children(kid)]


class PeakRSS:
    """Samples the RSS of this process and its children every 0.25 s."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            total = sum(_rss_mb(p) for p in [me, *_children(me)])
            self.peak = max(self.peak, total)
            self._stop.wait(0.25)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _config(name: str, **changes):
    task = topics.task_named(name)
    return task, dataclasses.replace(task.default_config(), **changes)


def class_requests(sessions: int) -> list[tuple[topics.Task, object]]:
    """A third identical (the playground default), the rest distinct."""
    requests = []
    for i in range(sessions):
        if i % 3 == 0:
            requests.append(_config("playground.mlp"))
        elif i % 3 == 1:
            requests.append(_config("playground.mlp", seed=i))
        elif i % 6 == 2:
            requests.append(_config("losses.outlier_lab", seed=i))
        else:
            requests.append(_config("activations.gradient_lab", seed=i))
    return requests


def _session(svc, owner, task, config, out, *, idle_only=False, start=None):
    start = time.perf_counter() if start is None else start
    try:
        handle = svc.submit(task.train_fn, config, owner=owner, idle_only=idle_only)
        try:
            snap = handle.wait_done(1800)
        finally:
            handle.release()
        out[owner] = {
            "wait": time.perf_counter() - start,
            "state": snap.state,
            "error": snap.error,
        }
    except Exception as exc:  # counted as an error
        out[owner] = {"wait": float("nan"), "state": "error", "error": repr(exc)}


def _service(directory: str, *, fair: bool = True) -> jobs.TrainingService:
    svc = jobs.TrainingService(
        cache.ResultCache(directory), executor="process", fair=fair
    )
    # wait until the worker has imported TensorFlow (as a warm server has)
    warm = svc.submit(jobs.demo_task, jobs.DemoConfig(n=1))
    warm.wait_done(300)
    warm.release()
    return svc


def run_class(sessions: int) -> dict:
    requests = class_requests(sessions)
    out: dict = {}
    with tempfile.TemporaryDirectory() as folder, PeakRSS() as rss:
        svc = _service(folder)
        before = svc.completed
        threads = []
        for i, (task, config) in enumerate(requests):
            thread = threading.Thread(
                target=_session, args=(svc, f"s{i}", task, config, out)
            )
            thread.start()
            threads.append(thread)
            time.sleep(0.1)
        for thread in threads:
            thread.join()
        trained = svc.completed - before
        svc.shutdown()
    waits = sorted(r["wait"] for r in out.values() if r["state"] == jobs.DONE)
    keys = {(task.name, json.dumps(cache.config_dict(c))) for task, c in requests}
    return {
        "sessions": sessions,
        "distinct configs": len(keys),
        "trainings run": trained,
        "errors": sum(r["state"] != jobs.DONE for r in out.values()),
        "p50 wait (s)": statistics.median(waits),
        "p95 wait (s)": waits[max(0, round(0.95 * len(waits)) - 1)],
        "peak RSS (MB)": rss.peak,
    }


def heavy_requests(scale: float) -> list[tuple[topics.Task, object]]:
    """The issue's three heavy runs (epochs × ``scale``)."""
    return [
        _config(
            "playground.mlp",
            batch_size=1,
            epochs=max(1, round(400 * scale)),
            num_samples=800,
            seed=11,
        ),
        _config(
            "cnn.train",
            num_blocks=3,
            filters=64,
            kernel_size=5,
            pooling="none",
            epochs=max(1, round(40 * scale)),
        ),
        _config(
            "activations.gradient_lab",
            depth=50,
            width=128,
            epochs=50,
            batch_norm=True,
        ),
    ]


def run_heavy(after: bool, scale: float) -> dict:
    """Three heavy students, then one normal student (default playground)."""
    out: dict = {}
    limit = budget.max_job_seconds()
    with tempfile.TemporaryDirectory() as folder, PeakRSS() as rss:
        svc = _service(folder, fair=after)
        threads, choices = [], []
        for i, (task, config) in enumerate(heavy_requests(scale)):
            idle = False
            if after and budget.estimate_seconds(task, config) > limit:
                if i == 0:  # takes the nearest setting the page offers
                    found = budget.nearest_within(task, config, limit)
                    config = found[2]
                    choices.append(f"{task.name}: nearest ({found[0]}={found[1]})")
                else:
                    idle = True
                    choices.append(f"{task.name}: run when idle")
            elif after:
                choices.append(f"{task.name}: within budget")
            args = (svc, f"heavy{i}", task, config, out)
            thread = threading.Thread(
                target=_session, args=args, kwargs={"idle_only": idle}
            )
            thread.start()
            threads.append(thread)
            time.sleep(0.5)
        task, config = _config("playground.mlp", seed=3)
        _session(svc, "normal", task, config, out)
        normal = out["normal"]["wait"]
        for thread in threads:
            thread.join()
        svc.shutdown()
    return {
        "scheduling": "after: fair + budget" if after else "before: FCFS, no budget",
        "normal student's wait (s)": normal,
        "heavy students' waits (s)": ", ".join(
            f"{out[f'heavy{i}']['wait']:.0f}" for i in range(3)
        ),
        "errors": sum(r["state"] != jobs.DONE for r in out.values()),
        "peak RSS (MB)": rss.peak,
        "heavy students chose": "; ".join(choices) or "(submitted as asked)",
    }


def estimate_rows() -> list[dict]:
    """Estimate vs measured wall time of every default config (worker process)."""
    with tempfile.TemporaryDirectory() as folder:
        svc = _service(folder)
        rows = []
        for task in topics.all_tasks():
            if not task.estimate:
                continue
            config = task.default_config()
            start = time.perf_counter()
            handle = svc.submit(task.train_fn, config, force=True)
            snap = handle.wait_done(600)
            handle.release()
            wall = time.perf_counter() - start
            estimate = budget.estimate_seconds(task, config)
            rows.append(
                {
                    "task (default config)": f"`{task.name}`",
                    "estimate (s)": estimate,
                    "measured (s)": wall,
                    "ratio": estimate / wall,
                    "state": snap.state,
                }
            )
        svc.shutdown()
    return rows


def calibrate() -> None:
    """Print the wall time and the work features of the calibration runs."""
    runs = [
        ("playground.mlp", {}),
        ("playground.mlp", {"batch_size": 1, "epochs": 20}),
        ("playground.mlp", {"batch_size": 1, "epochs": 10, "num_samples": 800}),
        (
            "playground.mlp",
            {"batch_size": 4, "num_samples": 800, "hidden_layers": (32, 32, 32)},
        ),
        ("activations.gradient_lab", {}),
        ("activations.gradient_lab", {"depth": 50, "width": 128, "epochs": 5}),
        (
            "activations.gradient_lab",
            {"depth": 50, "width": 128, "epochs": 50, "batch_norm": True},
        ),
        ("losses.outlier_lab", {}),
        ("losses.pairing", {}),
        ("optimizers.race", {}),
        ("cnn.train", {}),
        (
            "cnn.train",
            {
                "num_blocks": 3,
                "filters": 64,
                "kernel_size": 5,
                "pooling": "none",
                "epochs": 1,
                "baseline": False,
            },
        ),
        ("cnn.train", {"pooling": "none", "epochs": 3, "baseline": False}),
        (
            "cnn.train",
            {
                "num_blocks": 1,
                "filters": 16,
                "pooling": "none",
                "epochs": 5,
                "baseline": False,
            },
        ),
        ("cnn.transfer", {}),
    ]
    import dlcore.train  # noqa: F401  (TensorFlow first, as in a worker)

    warm = topics.task_named("playground.mlp")
    warm.train_fn(warm.config_type(epochs=2, hidden_layers=(3,)))
    for name, changes in runs:
        task, config = _config(name, **changes)
        start = time.perf_counter()
        task.train_fn(config)
        wall = time.perf_counter() - start
        estimate = budget.estimate_seconds(task, config)
        print(f"{name:26s} {changes!s:70.70s} {wall:7.2f} s  estimate {estimate:6.2f}")


def table(rows: list[dict]) -> str:
    heads = list(rows[0])

    def fmt(v):
        return f"{v:.2f}" if isinstance(v, float) else str(v)

    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    lines += ["| " + " | ".join(fmt(r[h]) for h in heads) + " |" for r in rows]
    return "\n".join(lines)


def write_section(text: str, path: Path) -> None:
    """Replace (or append) the "Class under load" section of RESULTS.md."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    head = "## Class under load"
    if head in old:
        before, _, rest = old.partition(head)
        after = rest.split("\n## ", 1)
        tail = "\n## " + after[1] if len(after) > 1 else ""
        new = before + text + tail
    else:
        new = old.rstrip() + "\n\n" + text
    path.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="heavy runs at 1/4")
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    if args.calibrate:
        calibrate()
        return
    scale = 0.25 if args.quick else 1.0
    started = time.perf_counter()
    estimates = estimate_rows()
    crowd = run_class(args.sessions)
    heavy = [run_heavy(False, scale), run_heavy(True, scale)]
    seconds = time.perf_counter() - started
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    text = "\n".join(
        [
            "## Class under load\n",
            f"`python bench/load.py{' --quick' if args.quick else ''}` on "
            f"{time.strftime('%Y-%m-%d')} (commit {commit}, {os.cpu_count()} cores, "
            f"{seconds:.0f} s): one `TrainingService` with worker processes and a "
            "fresh cache folder, sessions as threads; waits from a request to its "
            f"result. Budget {budget.max_job_seconds():.0f} s of estimated work, "
            f"wall cap {budget.max_job_wall():.0f} s"
            + (", heavy runs at 1/4 of their epochs" if args.quick else "")
            + ".\n",
            table([crowd]),
            "",
            table(heavy),
            "",
            "Estimated vs measured wall time of the default configs (forced "
            "retraining in a warm worker, tracing included):\n",
            table(estimates),
            "",
        ]
    )
    write_section(text, Path(args.out))
    print(text)


if __name__ == "__main__":
    main()
