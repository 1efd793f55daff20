"""Training under load: one queue, a few trainers, no duplicate work.

A class of 30 shares one server. :class:`TrainingService` makes that safe:

* **Identical configs train once.** A request for a result that is cached is
  answered at once; one that is being trained joins the running job (and sees
  its progress so far); across server processes a disk lock does the same.
* **At most ``max_workers`` trainings run at once** (1 on a 2-core box); the
  rest wait in order and know how many are ahead of them.
* **Superseded work stops.** When every viewer of a job has released it (the
  student moved a slider, or left), it is removed from the queue or cancelled
  between two compiled calls.
* **Memory stays bounded.** TensorFlow keeps a few MB per model it ever built;
  trainings therefore run in worker *processes* that are replaced after
  ``tasks_per_worker`` tasks (``executor="process"``, the default).
  ``executor="thread"`` trains in the calling process (tests, notebooks).

A *task* is a module-level function ``fn(config, *, on_progress, should_stop)``
returning a picklable result (usually :class:`dlcore.train.TaskResult`); the
config is a frozen dataclass (see :mod:`dlcore.cache`).

Example (in-process, memory-only cache):
    >>> from dlcore import cache, jobs
    >>> svc = jobs.TrainingService(cache.ResultCache(None), executor="thread")
    >>> handle = svc.submit(jobs.demo_task, jobs.DemoConfig(n=3))
    >>> snap = handle.wait_done(timeout=10)
    >>> snap.state, snap.result, len(snap.events)
    ('done', 6, 3)
    >>> svc.lookup(jobs.demo_task, jobs.DemoConfig(n=3))
    6
    >>> handle.release(); svc.shutdown()
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import importlib
import multiprocessing
import os
import sys
import threading
import time
import traceback
import types
from collections.abc import Callable
from typing import Any

from dlcore.cache import ResultCache, result_key
from dlcore.topics import task_version

TaskFn = Callable[..., Any]

WAITING, RUNNING, DONE, FAILED, CANCELLED = (
    "waiting",
    "running",
    "done",
    "failed",
    "cancelled",
)


def task_name(fn: TaskFn) -> str:
    """``"module:qualname"`` of a module-level task function."""
    name = f"{fn.__module__}:{fn.__qualname__}"
    if "<" in fn.__qualname__:
        raise ValueError(f"tasks must be module-level functions, got {name}")
    return name


def resolve_task(name: str) -> TaskFn:
    module, _, qualname = name.partition(":")
    obj: Any = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return obj


@dataclasses.dataclass
class Snapshot:
    """What a viewer sees of a job at one moment."""

    state: str
    ahead: int = 0
    events: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    result: Any = None
    error: str | None = None
    from_cache: bool = False

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED, CANCELLED)


class _Job:
    def __init__(self, key: str, task: str, config: Any) -> None:
        self.key, self.task, self.config = key, task, config
        self.state = WAITING
        self.events: list[dict[str, Any]] = []
        self.result: Any = None
        self.error: str | None = None
        self.subscribers = 0
        self.cancel = threading.Event()
        self.changed = threading.Condition()

    def notify(self) -> None:
        with self.changed:
            self.changed.notify_all()


class Handle:
    """A viewer's subscription to one job. Call :meth:`release` when done."""

    def __init__(self, service: TrainingService, job: _Job | None, result: Any = None):
        self._service, self._job, self._result = service, job, result
        self._released = False

    def snapshot(self) -> Snapshot:
        job = self._job
        if job is None:
            return Snapshot(DONE, result=self._result, from_cache=True)
        return Snapshot(
            job.state,
            ahead=self._service.position(job),
            events=list(job.events),
            result=job.result,
            error=job.error,
        )

    def wait(self, timeout: float) -> Snapshot:
        """Wait up to ``timeout`` s for news (progress or an end), then snapshot."""
        job = self._job
        if job is not None and job.state in (WAITING, RUNNING):
            with job.changed:
                job.changed.wait(timeout)
        return self.snapshot()

    def wait_done(self, timeout: float) -> Snapshot:
        deadline = time.monotonic() + timeout
        snap = self.snapshot()
        while not snap.finished and time.monotonic() < deadline:
            snap = self.wait(min(0.2, deadline - time.monotonic()))
        return snap

    def release(self) -> None:
        """Stop watching; a job nobody watches any more is cancelled."""
        if not self._released and self._job is not None:
            self._released = True
            self._service._release(self._job)


class TrainingService:
    """Queue, deduplicate, run and cache training tasks (thread-safe).

    Args:
        cache: Where results are kept.
        max_workers: Trainings that may run at once.
        executor: ``"process"`` (recycled worker processes) or ``"thread"``.
        tasks_per_worker: Tasks a worker process runs before it is replaced.
    """

    def __init__(
        self,
        cache: ResultCache,
        *,
        max_workers: int = 1,
        executor: str = "process",
        tasks_per_worker: int = 40,
    ) -> None:
        if executor not in ("process", "thread"):
            raise ValueError(
                f"executor must be 'process' or 'thread', got {executor!r}"
            )
        self.cache = cache
        self.executor = executor
        self.tasks_per_worker = max(1, tasks_per_worker)
        self._lock = threading.Lock()
        self._work = threading.Condition(self._lock)
        self._queue: collections.deque[_Job] = collections.deque()
        self._jobs: dict[str, _Job] = {}
        self._running = 0
        self._closed = False
        self.completed = 0
        self._slots = [
            threading.Thread(target=self._slot_loop, name=f"trainer-{i}", daemon=True)
            for i in range(max(1, max_workers))
        ]
        for slot in self._slots:
            slot.start()

    # -- public API -----------------------------------------------------------

    def lookup(self, fn: TaskFn, config: Any) -> Any | None:
        """The cached result of ``fn(config)``, or ``None`` (never trains)."""
        return self.cache.get(result_key(task_name(fn), config, task_version(fn)))

    def submit(self, fn: TaskFn, config: Any, *, force: bool = False) -> Handle:
        """Ask for ``fn(config)``; returns a :class:`Handle` to watch it.

        A cached result is returned without training unless ``force``; a
        matching job already queued or running is joined instead of repeated.
        """
        task = task_name(fn)
        key = result_key(task, config, task_version(fn))
        if not force:
            cached = self.cache.get(key)
            if cached is not None:
                return Handle(self, None, cached)
        with self._lock:
            if self._closed:
                raise RuntimeError("the training service has been shut down")
            job = self._jobs.get(key)
            if job is None or job.cancel.is_set():
                job = _Job(key, task, config)
                job.force = force  # type: ignore[attr-defined]
                self._jobs[key] = job
                self._queue.append(job)
                self._work.notify()
            job.subscribers += 1
        return Handle(self, job)

    def position(self, job: _Job) -> int:
        """How many jobs wait ahead of ``job`` (0 when it runs)."""
        with self._lock:
            if job.state != WAITING:
                return 0
            for i, queued in enumerate(self._queue):
                if queued is job:
                    return i + (self._running >= len(self._slots))
            return 0

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {
                "running": self._running,
                "waiting": len(self._queue),
                "completed": self.completed,
                "cached": len(self.cache),
            }

    def shutdown(self) -> None:
        with self._lock:
            self._closed = True
            for job in self._queue:
                job.cancel.set()
            self._queue.clear()
            self._work.notify_all()
        for slot in self._slots:
            slot.join(timeout=10)

    # -- internals ------------------------------------------------------------

    def _release(self, job: _Job) -> None:
        with self._lock:
            job.subscribers -= 1
            if job.subscribers > 0 or job.state not in (WAITING, RUNNING):
                return
            job.cancel.set()
            if job.state == WAITING:
                self._queue.remove(job)
                job.state = CANCELLED
                self._jobs.pop(job.key, None)
        job.notify()

    def _next_job(self) -> _Job | None:
        with self._lock:
            while not self._queue and not self._closed:
                self._work.wait(timeout=1.0)
            if self._closed:
                return None
            job = self._queue.popleft()
            job.state = RUNNING
            self._running += 1
            return job

    def _finish(
        self, job: _Job, state: str, result: Any = None, error: str | None = None
    ):
        with self._lock:
            job.state, job.result, job.error = state, result, error
            self._running -= 1
            self.completed += 1
            if self._jobs.get(job.key) is job:
                del self._jobs[job.key]
        job.notify()

    def _slot_loop(self) -> None:
        worker: _Worker | None = None
        while True:
            if self.executor == "process" and worker is None and not self._closed:
                worker = _Worker()  # start early: TF imports while we wait for work
            job = self._next_job()
            if job is None:
                break
            try:
                with self.cache.lock(job.key):
                    cached = (
                        None
                        if getattr(job, "force", False)
                        else self.cache.get(job.key)
                    )
                    if cached is not None:  # trained meanwhile by another process
                        self._finish(job, DONE, cached)
                        continue
                    if worker is not None:
                        state, result, error = worker.run(job)
                        if state == FAILED and error == _DIED:
                            # The process died (killed, out of memory): one
                            # retry on a fresh worker before giving up.
                            worker.close()
                            worker = _Worker()
                            state, result, error = worker.run(job)
                    else:
                        state, result, error = _run_inline(job)
                    if state == DONE:
                        self.cache.put(job.key, result)
                self._finish(job, state, result, error)
            except Exception as exc:  # never let a slot thread die
                self._finish(job, FAILED, error=f"{type(exc).__name__}: {exc}")
                if worker is not None:
                    worker.close()
                    worker = None
            if worker is not None and (
                not worker.alive() or worker.tasks_done >= self.tasks_per_worker
            ):
                worker.close()
                worker = None
        if worker is not None:
            worker.close()


def _progress_recorder(job: _Job) -> Callable[[dict[str, Any]], None]:
    def record(event: dict[str, Any]) -> None:
        job.events.append(dict(event))
        job.notify()

    return record


def _run_inline(job: _Job) -> tuple[str, Any, str | None]:
    try:
        fn = resolve_task(job.task)
        result = fn(
            job.config,
            on_progress=_progress_recorder(job),
            should_stop=job.cancel.is_set,
        )
    except Exception as exc:
        return FAILED, None, f"{type(exc).__name__}: {exc}"
    if job.cancel.is_set():
        return CANCELLED, None, None
    return DONE, result, None


_MAIN_LOCK = threading.Lock()
_DIED = "the training process stopped unexpectedly"


@contextlib.contextmanager
def _plain_main():
    """Hide the parent's ``__main__`` while a worker is spawned.

    A spawned child re-runs the parent's ``__main__`` file. Under Streamlit
    that is the app script (``app.py``), which would run a whole page in bare
    mode inside every worker. An empty stand-in makes the child start clean.
    """
    with _MAIN_LOCK:
        saved = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if saved is not None:
                sys.modules["__main__"] = saved


class _Worker:
    """A training process; talks to its slot thread over a pipe."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child_conn = context.Pipe()
        self.cancel = context.Event()
        self.process = context.Process(
            target=_worker_main, args=(child_conn, self.cancel), daemon=True
        )
        with _plain_main():
            self.process.start()
        child_conn.close()
        self.tasks_done = 0

    def alive(self) -> bool:
        return self.process.is_alive()

    def run(self, job: _Job) -> tuple[str, Any, str | None]:
        self.cancel.clear()
        try:
            self.conn.send((job.task, job.config))
        except OSError:
            return FAILED, None, _DIED
        self.tasks_done += 1
        record = _progress_recorder(job)
        while True:
            if job.cancel.is_set():
                self.cancel.set()
            if not self.conn.poll(0.05):
                if not self.process.is_alive():
                    return FAILED, None, _DIED
                continue
            try:
                kind, payload = self.conn.recv()
            except (EOFError, OSError):
                return FAILED, None, _DIED
            if kind == "progress":
                record(payload)
            elif kind == "done":
                return (
                    (CANCELLED, None, None)
                    if job.cancel.is_set()
                    else (DONE, payload, None)
                )
            else:
                return FAILED, None, payload

    def close(self) -> None:
        with contextlib.suppress(OSError, BrokenPipeError):
            self.conn.send(None)
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        self.conn.close()


def _worker_main(conn: Any, cancel: Any) -> None:  # pragma: no cover (child process)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import dlcore.train  # noqa: F401  (import TensorFlow before the first task)
    from dlcore import topics

    for registered in topics.all_tasks():  # and every topic's code, while idle
        with contextlib.suppress(Exception):
            registered.train_fn  # noqa: B018  (resolving imports the module)

    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        task, config = message
        try:
            fn = resolve_task(task)
            result = fn(
                config,
                on_progress=lambda event: conn.send(("progress", event)),
                should_stop=cancel.is_set,
            )
            conn.send(("done", result))
        except Exception as exc:
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            conn.send(("error", detail))


@dataclasses.dataclass(frozen=True)
class DemoConfig:
    """Config of :func:`demo_task`."""

    n: int = 3
    seconds_per_epoch: float = 0.0
    fail: bool = False


def demo_task(config: DemoConfig, *, on_progress=None, should_stop=None) -> int:
    """A tiny task for tests: reports ``config.n`` epochs, returns ``2n``."""
    for epoch in range(1, config.n + 1):
        if should_stop is not None and should_stop():
            break
        time.sleep(config.seconds_per_epoch)
        if config.fail:
            raise ValueError("demo failure")
        if on_progress is not None:
            on_progress({"epoch": epoch, "epochs": config.n, "loss": 1.0 / epoch})
    return 2 * config.n
