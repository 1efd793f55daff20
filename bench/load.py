"""A class under load: one training service, many browser sessions, three heavy ones.

Run from the repository root (a few minutes on 2 cores):

    python bench/load.py               # writes "Class under load" in RESULTS.md
    python bench/load.py --quick       # heavy runs at 1/4 of their epochs
    python bench/load.py --calibrate   # the runs behind dlcore.budget's constants
    python bench/load.py school --append   # a school: real replicas (issue 17)

``school`` (about 9 minutes; ``--quick``: 12 students, shorter caps) starts 1
and then 3 real ``streamlit run app.py`` replicas on loopback ports — the first
with today's worker processes and disk cache, the others with Ray + Redis (a
``redis-server`` and a ``ray start --head`` of its own, on free ports, with its
own Ray token, namespace and key prefix; ``--backend process``: worker processes
and one shared disk cache instead) — and drives 30 students, each a Playwright
context of Debian's Chromium, through a lesson (see :func:`school_text`). It
reports requests, distinct configs, trainings run, errors, p50/p95 time to the
first progress and to the result, peak RSS and CPU per role; it exits 1 when a
student saw an error or a config was not trained exactly once. ``--append``
writes the "School under load (issue 17)" section of RESULTS.md.

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
import asyncio
import collections
import contextlib
import dataclasses
import json
import math
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
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


# --- A school under load (issue 17): real Streamlit replicas, real browsers -----------

#: The teacher's preset (tiny: a few epochs on 100 points) and the explorers' configs;
#: overlapping on purpose, and a slider move (epochs + 1) lands on a neighbour's.
TEACHER = {"pg_epochs": "8", "pg_num_samples": "100"}
EXPLORERS = [
    {"pg_epochs": "6", "pg_num_samples": "100"},
    {"pg_epochs": "8", "pg_num_samples": "100", "pg_dataset": "xor"},
    {"pg_epochs": "10", "pg_num_samples": "100"},
]
MAX_CONTEXTS = 10  # browser contexts open at once
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Records, in the page's clock, when scripts start and end and when the
#: training's progress bar first moves (a MutationObserver: nothing is missed
#: between two polls).
OBSERVER = """
(() => {
  const s = {runs: 0, state: '', runEnd: 0, progress: 0};
  window.__load = s;
  const look = () => {
    const app = document.querySelector("[data-testid='stApp']");
    if (app) {
      const now = app.getAttribute('data-test-script-state') || '';
      if (now === 'running' && s.state !== 'running') s.runs += 1;
      if (now !== 'running' && s.state === 'running') s.runEnd = performance.now();
      s.state = now;
    }
    if (!s.progress) {
      const bars = document.querySelectorAll(
        "[data-testid='stProgress'] [role='progressbar']");
      for (const bar of bars) {
        if (Number(bar.getAttribute('aria-valuenow')) > 0) {
          s.progress = performance.now();
        }
      }
    }
  };
  new MutationObserver(look).observe(document, {
    subtree: true, childList: true, attributes: true,
    attributeFilter: ['data-test-script-state', 'aria-valuenow'],
  });
})();
"""
#: A page run is over: the script stopped, the boundary chart is drawn.
SETTLED = """(runs) => {
  const s = window.__load;
  const app = document.querySelector("[data-testid='stApp']");
  if (!s || !app || s.runs <= runs) return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (s.state !== 'notRunning') return false;
  if (document.querySelector("[data-testid='stException']")) return true;
  const chart = document.querySelector(
    ".st-key-sticky_pg_result [data-testid='stPlotlyChart'] .main-svg");
  return chart !== null && performance.now() - s.runEnd > 300;
}"""


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, proc: subprocess.Popen, seconds: float = 180) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[:4]} exited with {proc.returncode}")
        try:
            if urllib.request.urlopen(url, timeout=1).read() == b"ok":
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def _stop(proc: subprocess.Popen, grace: float = 45) -> None:
    """End a process this script started, and its process group."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def _descendants(pid: int) -> list[int]:
    kids = _children(pid)
    return [pid, *kids]


class Sampler:
    """Peak RSS per process and CPU seconds, per role (pids and their children),
    and the machine's busy share, sampled every 0.5 s from /proc."""

    def __init__(self) -> None:
        self.roles: dict[str, list[int]] = {}
        self.peak: dict[str, float] = collections.defaultdict(float)
        self.peak_total: dict[str, float] = collections.defaultdict(float)
        self._cpu: dict[str, dict[int, float]] = collections.defaultdict(dict)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _busy() -> tuple[float, float]:
        fields = [float(x) for x in Path("/proc/stat").read_text().split()[1:9]]
        idle = fields[3] + fields[4]
        return sum(fields) - idle, sum(fields)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            for role, roots in list(self.roles.items()):
                total = 0.0
                for pid in {p for root in roots for p in _descendants(root)}:
                    try:
                        proc = psutil.Process(pid)
                        rss = proc.memory_info().rss / 2**20
                        times = proc.cpu_times()
                    except psutil.Error:
                        continue
                    total += rss
                    self.peak[role] = max(self.peak[role], rss)
                    self._cpu[role][pid] = times.user + times.system
                self.peak_total[role] = max(self.peak_total[role], total)
            self._stop.wait(0.5)

    def cpu_seconds(self, role: str) -> float:
        return sum(self._cpu[role].values())

    def __enter__(self) -> Sampler:
        self._start = self._busy()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        busy, total = self._busy()
        self.machine_busy = (busy - self._start[0]) / max(total - self._start[1], 1)


class WriteCounter:
    """Counts the result writes of a store, whoever writes them.

    Disk (one replica): SQLite triggers on diskcache's ``Cache`` table record
    every insert or overwrite of a result row (not the ``lock:`` rows). Redis:
    keyspace notifications of ``SET`` on ``<prefix>result:*`` keys.
    """

    def __init__(
        self, *, folder: str | None = None, url: str | None = None, prefix: str = ""
    ) -> None:
        self.folder, self.url, self.prefix = folder, url, prefix
        self.writes: collections.Counter[str] = collections.Counter()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        if folder is not None:
            import sqlite3

            cache.ResultCache(folder)  # creates the store the server will open
            con = sqlite3.connect(os.path.join(folder, "cache.db"))
            with con:
                con.executescript(
                    """
                    CREATE TABLE IF NOT EXISTS load_writes (key TEXT);
                    CREATE TRIGGER IF NOT EXISTS load_insert AFTER INSERT ON Cache
                    WHEN NEW.key NOT LIKE 'lock:%'
                    BEGIN INSERT INTO load_writes VALUES (NEW.key); END;
                    CREATE TRIGGER IF NOT EXISTS load_update
                    AFTER UPDATE OF store_time ON Cache
                    WHEN NEW.key NOT LIKE 'lock:%'
                    BEGIN INSERT INTO load_writes VALUES (NEW.key); END;
                    """
                )
            con.close()
        else:
            import redis

            self._client = redis.Redis.from_url(url)
            self._client.config_set("notify-keyspace-events", "E$")
            self._pubsub = self._client.pubsub()
            self._pubsub.psubscribe("__keyevent@*__:set")
            self._thread = threading.Thread(target=self._listen, daemon=True)
            self._thread.start()

    def _listen(self) -> None:
        result = f"{self.prefix}result:".encode()
        while not self._stop.is_set():
            message = self._pubsub.get_message(timeout=0.2)
            if message and message["type"] == "pmessage":
                key = message["data"]
                if key.startswith(result):
                    self.writes[key.decode()] += 1

    def reset(self) -> None:
        if self.folder is not None:
            import sqlite3

            con = sqlite3.connect(os.path.join(self.folder, "cache.db"), timeout=30)
            with con:
                con.execute("DELETE FROM load_writes")
            con.close()
        self.writes.clear()

    def result(self) -> tuple[int, int]:
        """(result writes, distinct results written)."""
        if self.folder is not None:
            import sqlite3

            con = sqlite3.connect(os.path.join(self.folder, "cache.db"), timeout=30)
            rows = con.execute("SELECT key FROM load_writes").fetchall()
            con.close()
            self.writes = collections.Counter(r[0] for r in rows)
        else:
            time.sleep(0.5)
            self._stop.set()
            if self._thread is not None:
                self._thread.join()
        return sum(self.writes.values()), len(self.writes)


class Stack:
    """Redis, a Ray head and N ``streamlit run app.py`` replicas on loopback."""

    def __init__(self, replicas: int, backend: str, folder: str) -> None:
        self.replicas, self.backend, self.folder = replicas, backend, folder
        self.procs: list[subprocess.Popen] = []
        self.urls: list[str] = []
        self.roles: dict[str, list[int]] = {}
        self.env = {**os.environ, "DLCORE_EXECUTOR": "process"}
        for name in ("DLCORE_CACHE_URL", "DLCORE_CACHE_DIR", "DLCORE_RAY_ADDRESS"):
            self.env.pop(name, None)
        self.ray_address = self.redis_url = self.ray_temp = None
        self.namespace = f"h17c-load-{os.getpid()}"

    def _spawn(self, role: str, args: list[str], **kw) -> subprocess.Popen:
        name = os.path.join(self.folder, f"{role}-{len(self.procs)}.log")
        with open(name, "wb") as log:
            proc = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **kw
            )
        self.procs.append(proc)
        self.roles.setdefault(role, []).append(proc.pid)
        return proc

    def start(self) -> Stack:
        bin_dir = Path(sys.executable).parent
        if self.backend == "ray":
            port = _free_port()
            self.redis_url = f"redis://127.0.0.1:{port}/0"
            redis_proc = self._spawn(
                "redis",
                [
                    "redis-server",
                    "--port",
                    str(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--maxmemory",
                    "256mb",
                    "--maxmemory-policy",
                    "allkeys-lru",
                ],
            )
            import redis

            for _ in range(100):
                with contextlib.suppress(redis.RedisError):
                    if redis.Redis.from_url(self.redis_url).ping():
                        break
                if redis_proc.poll() is not None:
                    raise RuntimeError("redis-server did not start")
                time.sleep(0.1)
            ray_port = _free_port()
            self.ray_address = f"127.0.0.1:{ray_port}"
            # Ray's token authentication, with this run's own token (not the
            # user's ~/.ray/auth_token): the head, the replicas and our driver.
            self.env.update(
                RAY_AUTH_MODE="token",
                RAY_AUTH_TOKEN=secrets.token_hex(32),
                RAY_USAGE_STATS_ENABLED="0",
            )
            # short: Ray's socket paths must fit in 107 characters
            temp = self.ray_temp = tempfile.mkdtemp(prefix="load_ray_", dir="/tmp")
            self._spawn(
                "ray",
                [
                    str(bin_dir / "ray"),
                    "start",
                    "--head",
                    f"--port={ray_port}",
                    "--node-ip-address=127.0.0.1",
                    "--num-cpus=2",
                    "--include-dashboard=false",
                    "--disable-usage-stats",
                    "--block",
                    f"--temp-dir={temp}",
                    f"--ray-client-server-port={_free_port()}",
                    f"--dashboard-agent-listen-port={_free_port()}",
                ],
                env=self.env,
            )
            self._wait_ray()
            self.env.update(
                DLCORE_EXECUTOR="ray",
                DLCORE_RAY_ADDRESS=self.ray_address,
                DLCORE_RAY_NAMESPACE=self.namespace,
                DLCORE_CACHE_URL=self.redis_url,
                DLCORE_CACHE_PREFIX=f"{self.namespace}:",
                RAY_USAGE_STATS_ENABLED="0",
            )
            self.counter = WriteCounter(url=self.redis_url, prefix=f"{self.namespace}:")
        else:
            store_dir = os.path.join(self.folder, "cache")
            self.env["DLCORE_CACHE_DIR"] = store_dir
            self.counter = WriteCounter(folder=store_dir)
        for _ in range(self.replicas):
            port = _free_port()
            proc = self._spawn(
                "streamlit",
                [
                    str(bin_dir / "streamlit"),
                    "run",
                    "app.py",
                    "--server.headless=true",
                    f"--server.port={port}",
                    "--server.address=127.0.0.1",
                ],
                cwd=ROOT,
                env=self.env,
            )
            self.urls.append(f"http://127.0.0.1:{port}")
        for url, proc in zip(self.urls, self.procs[-self.replicas :], strict=True):
            _wait_http(f"{url}/_stcore/health", proc)
        return self

    def _wait_ray(self) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            done = subprocess.run(
                [
                    str(Path(sys.executable).parent / "ray"),
                    "health-check",
                    "--address",
                    self.ray_address,
                ],
                capture_output=True,
                env=self.env,
            )
            if done.returncode == 0:
                return
            time.sleep(1)
        raise RuntimeError("the Ray head did not start")

    def ray_stats(self) -> dict | None:
        """The registry's counters (the cluster's trainings), via a Ray driver."""
        if self.ray_address is None:
            return None
        code = (
            "import json, ray\n"
            "from dlcore import ray_jobs\n"
            f"ray.init(address={self.ray_address!r}, namespace={self.namespace!r},"
            " log_to_driver=False)\n"
            "actor = ray.get_actor(ray_jobs.REGISTRY_NAME)\n"
            "print(json.dumps(ray.get(actor.stats.remote())))\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=self.env,
            timeout=120,
        )
        lines = done.stdout.strip().splitlines()
        return json.loads(lines[-1]) if done.returncode == 0 and lines else None

    def stop(self) -> None:
        for proc in reversed(self.procs):
            _stop(proc)
        if self.ray_temp:
            shutil.rmtree(self.ray_temp, ignore_errors=True)


@dataclasses.dataclass
class Step:
    student: int
    action: str  # open | slider | language | leave
    query: str  # the config in the URL (without lang)
    first_progress: float = math.nan  # seconds from the action
    result: float = math.nan
    error: str | None = None


def _config_of(params: dict[str, str]) -> str:
    """The training config a student asked for: the controls it set (view-only
    URL keys, such as the diagram's epoch, are not part of it)."""
    return "/playground?" + "&".join(f"{k}={v}" for k, v in sorted(params.items()))


def _url_value(url: str, key: str) -> str | None:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(url).query).get(key, [None])[0]


async def _settle(page, runs: int, t0: float, cap: float) -> tuple[float, float, str]:
    """Wait for the page run after ``runs`` to end; (first progress, result, error)."""
    await page.wait_for_function(SETTLED, arg=runs, timeout=cap * 1000, polling=100)
    info = await page.evaluate(
        """() => ({s: window.__load,
            exc: [...document.querySelectorAll(
                "[data-testid='stException'], [data-testid='stAlertContentError']")]
                .map((e) => e.innerText.slice(0, 200))})"""
    )
    s = info["s"]
    end = (s["runEnd"] - t0) / 1000
    progress = (s["progress"] - t0) / 1000 if s["progress"] > max(t0, 0) else end
    return progress, end, "; ".join(info["exc"]) or None


async def _student(browser, i: int, url: str, steps: list, cap: float) -> None:
    role = i % 10
    leaver = role == 9
    params = dict(EXPLORERS[i % len(EXPLORERS)] if role in (3, 6) else TEACHER)
    from urllib.parse import urlencode

    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    step: Step | None = None
    try:
        await context.add_init_script(OBSERVER)
        page = await context.new_page()
        start = time.monotonic()

        def left() -> float:
            return max(1.0, cap - (time.monotonic() - start))

        target = f"{url}/playground?{urlencode({'lang': 'en', **params})}"
        step = Step(i, "leave" if leaver else "open", _config_of(params))
        steps.append(step)
        t0 = time.perf_counter()
        await page.goto(target, timeout=left() * 1000)
        # the page's clock at the moment goto started
        offset = (
            await page.evaluate("performance.now()") - (time.perf_counter() - t0) * 1000
        )
        if leaver:  # stays until the training shows progress, then closes the tab
            await page.wait_for_function(
                "() => window.__load && (window.__load.progress > 0"
                " || window.__load.runEnd > 0)",
                timeout=left() * 1000,
                polling=100,
            )
            s = await page.evaluate("window.__load")
            step.first_progress = (max(s["progress"], s["runEnd"]) - offset) / 1000
            return
        step.first_progress, step.result, step.error = await _settle(
            page, 0, offset, left()
        )
        # Move the epochs slider one step (keyboard, as a student would).
        runs = (await page.evaluate("window.__load"))["runs"]
        thumb = page.locator(".st-key-pg_epochs input[type='range']").first
        await thumb.focus()
        params["pg_epochs"] = str(int(params["pg_epochs"]) + 1)
        step = Step(i, "slider", _config_of(params))
        steps.append(step)
        t0 = await page.evaluate("performance.now()")
        await thumb.press("ArrowRight")
        step.first_progress, step.result, step.error = await _settle(
            page, runs, t0, left()
        )
        if _url_value(page.url, "pg_epochs") != params["pg_epochs"]:
            step.error = f"the slider did not move: {page.url}"
        # Switch to Chinese: same config, no new training.
        runs = (await page.evaluate("window.__load"))["runs"]
        step = Step(i, "language", _config_of(params))
        steps.append(step)
        t0 = await page.evaluate("performance.now()")
        await page.get_by_test_id("stSidebar").get_by_role("radio", name="中文").click()
        step.first_progress, step.result, step.error = await _settle(
            page, runs, t0, left()
        )
        title = await page.locator("h1").first.inner_text()
        if not any("\u4e00" <= ch <= "\u9fff" for ch in title):
            step.error = f"not in Chinese after the switch: {title!r}"
        elif _url_value(page.url, "pg_epochs") != params["pg_epochs"]:
            step.error = f"the config changed with the language: {page.url}"
    except Exception as exc:  # a timeout or a broken page: an error of this step
        text = f"{type(exc).__name__}: {str(exc)[:300]}"
        if step is not None and step.error is None:
            step.error = text
        else:
            steps.append(Step(i, "?", "", error=text))
    finally:
        await context.close()


async def _drive(
    urls: list[str], students: int, cap: float, warmed: Callable[[], None]
) -> list[Step]:
    from playwright.async_api import async_playwright

    steps: list[Step] = []
    gate = asyncio.Semaphore(MAX_CONTEXTS)
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )

        async def one(i: int) -> None:
            await asyncio.sleep(0.5 * i)  # a class arrives over ~15 s
            async with gate:
                await _student(browser, i, urls[i % len(urls)], steps, cap)

        # Warm-up: each replica serves its home page once (TensorFlow loads).
        for url in urls:
            context = await browser.new_context()
            page = await context.new_page()
            await page.goto(f"{url}/?lang=en", timeout=180_000)
            await page.locator("h1").first.wait_for(timeout=180_000)
            await context.close()
        warmed()
        await asyncio.gather(*(one(i) for i in range(students)))
        await browser.close()
    return steps


def _pct(values: list[float], q: float) -> float:
    values = sorted(v for v in values if math.isfinite(v))
    if not values:
        return math.nan
    return values[min(len(values) - 1, max(0, math.ceil(q * len(values)) - 1))]


def _p50_p95(values: list[float]) -> str:
    return f"{_pct(values, 0.5):.1f} / {_pct(values, 0.95):.1f}"


def run_school(replicas: int, backend: str, students: int, cap: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="load_school_") as folder:
        stack = Stack(replicas, backend, folder)
        try:
            with Sampler() as sampler:
                stack.start()
                sampler.roles = {**stack.roles, "browser": []}
                me = os.getpid()
                started = time.perf_counter()

                def browsers() -> None:  # the load generator, not the system
                    ours = set().union(*map(set, stack.roles.values()))
                    while not sampler._stop.is_set():
                        sampler.roles["browser"] = [
                            p for p in _children(me) if p not in ours
                        ]
                        sampler._stop.wait(1)

                threading.Thread(target=browsers, daemon=True).start()
                # only the students' trainings count, not the warm-up's
                steps = asyncio.run(
                    _drive(stack.urls, students, cap, stack.counter.reset)
                )
                seconds = time.perf_counter() - started
                ray_stats = stack.ray_stats()
                writes, stored = stack.counter.result()
        finally:
            stack.stop()
    requested = {s.query for s in steps if s.query}
    done = [s for s in steps if s.action != "leave"]
    trained = ray_stats["completed"] if ray_stats else writes
    label = (
        "1 replica, process executor, disk cache"
        if backend == "process" and replicas == 1
        else f"{replicas} replicas, "
        + ("Ray + Redis" if backend == "ray" else "process executor, shared disk cache")
    )
    row = {
        "setup": label,
        "students": students,
        "requests": len(steps),
        "distinct configs": len(requested),
        "trainings run": trained,
        "results written / distinct": f"{writes} / {stored}",
        "errors": sum(s.error is not None for s in steps),
        "p50 / p95 first progress (s)": _p50_p95([s.first_progress for s in steps]),
        "p50 / p95 result (s)": _p50_p95([s.result for s in done]),
        "peak RSS per process (MB)": ", ".join(
            f"{role} {sampler.peak[role]:.0f}"
            for role in ("streamlit", "ray", "redis")
            if role in sampler.peak
        ),
        "CPU (s)": ", ".join(
            f"{role} {sampler.cpu_seconds(role):.0f}"
            for role in ("streamlit", "ray", "redis", "browser")
            if role in sampler.peak
        ),
        "machine busy": f"{100 * sampler.machine_busy:.0f} %",
        "wall (s)": seconds,
    }
    errors = [f"student {s.student} {s.action}: {s.error}" for s in steps if s.error]
    return {"row": row, "errors": errors, "steps": steps, "ray": ray_stats}


SCHOOL_HEAD = "## School under load (issue 17)"


def school(args: argparse.Namespace) -> int:
    """1 replica (process executor, disk cache), then 3 (``--backend``).

    Returns 1 (the exit status) when a student saw an error or a config was
    trained more or fewer times than once.
    """
    cap = 120.0 if args.quick else 240.0
    if args.students is None:
        args.students = 12 if args.quick else 30
    runs = [
        run_school(1, "process", args.students, cap),
        run_school(3, args.backend, args.students, cap),
    ]
    failed = False
    for run in runs:
        for line in run["errors"]:
            print("ERROR", line)
        if run["ray"]:
            print("Ray registry:", run["ray"])
        row = run["row"]
        if row["errors"] or row["trainings run"] != row["distinct configs"]:
            failed = True
            print("CHECK FAILED:", row["setup"])
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(["git", "diff", "--quiet", "HEAD"], capture_output=True)
    if dirty.returncode:
        commit += " + uncommitted changes"
    flags = f" --students {args.students}" + (" --quick" if args.quick else "")
    if args.backend != "ray":
        flags += f" --backend {args.backend}"
    text = school_text([run["row"] for run in runs], flags, cap, commit)
    print(text)
    if args.append:
        write_named_section(text, SCHOOL_HEAD, Path(args.out))
    return 1 if failed else 0


def school_text(rows: list[dict], flags: str, cap: float, commit: str) -> str:
    return "\n".join(
        [
            SCHOOL_HEAD + "\n",
            f"`python bench/load.py school{flags}` on {time.strftime('%Y-%m-%d')} "
            f"(commit {commit}, {os.cpu_count()} cores): real `streamlit run app.py` "
            "replicas on loopback ports (each replica's home page opened once "
            "first, so TensorFlow is imported; training workers start cold), "
            "students as Playwright contexts of one headless Chromium (at most "
            f"{MAX_CONTEXTS} at once, {cap:.0f} s per student, arriving 0.5 s "
            "apart), student *i* sticky to replica *i* mod N, as nginx's cookie "
            "does. Each opens the playground with a config in the URL (7 in 10 "
            "on the teacher's preset, 2 in 10 on one of three neighbouring "
            "configs), waits for the result, moves the epochs slider one step "
            "with the keyboard, waits, switches to Chinese (same config: no "
            "training) and waits; 1 in 10 opens the preset and closes the tab as "
            "soon as its training shows progress. *Distinct configs*: of all "
            "requests; *trainings run*: the Ray registry's count of finished "
            "trainings (Ray) or the result writes to the disk store (1 replica, "
            "SQLite triggers on diskcache's table); *results written / "
            "distinct*: writes seen by the store itself (on disk; in Redis from "
            "keyspace notifications, where every replica that watched a job "
            "stores the result it received). Errors: a Streamlit exception or "
            "error box, a timeout, a slider or language switch that did not "
            "apply. Times from the action to the first moving progress bar and "
            "to the drawn result, in the page's clock (a result that arrives "
            "before the bar moves is its own first progress). Peak RSS: the "
            "largest single process of each role; CPU: seconds of all its "
            "processes, the load generator (*browser*) included — it shares the "
            "same 2 cores and uses most of them.\n",
            table(rows),
            "",
        ]
    )


def write_named_section(text: str, head: str, path: Path) -> None:
    """Replace the section ``head`` of ``path`` (or append it at the end)."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
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
    parser.add_argument(
        "mode",
        nargs="?",
        choices=["class", "school"],
        default="class",
        help="class: one service in-process (default); school: real replicas",
    )
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument(
        "--students", type=int, default=None, help="school mode: 30 (--quick: 12)"
    )
    parser.add_argument(
        "--backend",
        choices=["ray", "process"],
        default="ray",
        help="school mode, 3 replicas: Ray + Redis, or worker processes + disk",
    )
    parser.add_argument(
        "--append",
        action="store_true",
        help='school mode: write the "School under load (issue 17)" section',
    )
    parser.add_argument("--quick", action="store_true", help="heavy runs at 1/4")
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    if args.calibrate:
        calibrate()
        return
    if args.mode == "school":
        sys.exit(school(args))
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
