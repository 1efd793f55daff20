"""Training under load: one queue, a few trainers, no duplicate work.

A class of 30 shares one server. :class:`TrainingService` makes that safe:

* **Identical configs train once.** A request for a result that is cached is
  answered at once; one that is being trained joins the running job (and sees
  its progress so far); across server processes a disk lock does the same.
* **At most ``max_workers`` trainings run at once** (1 on a 2-core box); the
  rest wait and know how many are ahead of them. The next job is chosen
  round-robin between *owners* (browser sessions), not first come first
  served, so one student's many requests cannot hold up the class; jobs
  submitted ``idle_only`` start only when nothing else waits or runs.
* **No job outlives its welcome.** A training running longer than
  ``max_wall`` seconds is stopped with a clear error (``Snapshot.timed_out``).
* **A dead worker is retried once, cleanly**: the job's progress so far is
  dropped and ``Snapshot.restarted`` tells the page to say so.
* **Superseded work stops.** When every viewer of a job has released it (the
  student moved a slider, or left), it is removed from the queue or cancelled
  between two compiled calls.
* **Memory stays bounded.** TensorFlow keeps a few MB per model it ever built;
  trainings therefore run in worker *processes* that are replaced after
  ``tasks_per_worker`` tasks (``executor="process"``, the default).
  ``executor="thread"`` trains in the calling process (tests, notebooks).
* **Past one server:** ``executor="ray"`` makes every training a Ray task and
  keeps the jobs of all server processes in one registry on the Ray cluster
  (``DLCORE_RAY_ADDRESS``), so identical configs train once cluster-wide; see
  :mod:`dlcore.ray_jobs`. Ray is imported only then.

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
import math
import multiprocessing
import os
import sys
import threading
import time
import traceback
import types
from collections.abc import Callable
from typing import Any

from dlcore import budget
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


def wait_done(handle: Any, timeout: float) -> Snapshot:
    """Wait up to ``timeout`` s for ``handle``'s job to finish (any handle with
    ``snapshot()`` and ``wait(timeout)``); the last snapshot."""
    deadline = time.monotonic() + timeout
    snap = handle.snapshot()
    while not snap.finished and time.monotonic() < deadline:
        snap = handle.wait(min(0.2, deadline - time.monotonic()))
    return snap


@dataclasses.dataclass
class Snapshot:
    """What a viewer sees of a job at one moment."""

    state: str
    ahead: int = 0
    events: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    result: Any = None
    error: str | None = None
    from_cache: bool = False
    #: The worker died and the job started again (the events are the new try's).
    restarted: bool = False
    #: Stopped by the wall-time cap (``state`` is ``"failed"``).
    timed_out: bool = False
    #: Waits for the server to be idle (a run over the class budget).
    idle_only: bool = False
    #: Waits for another server process that trains the same config.
    lock_wait: bool = False

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED, CANCELLED)


class _Job:
    def __init__(
        self,
        key: str,
        task: str,
        config: Any,
        *,
        seq: int = 0,
        owner: str | None = None,
        force: bool = False,
        idle_only: bool = False,
    ) -> None:
        self.key, self.task, self.config = key, task, config
        self.seq = seq  # arrival order
        # Anonymous jobs (tests, notebooks) are each their own owner: FCFS.
        self.owner = owner if owner is not None else f"\0job-{seq}"
        self.force, self.idle_only = force, idle_only
        self.restarted = self.timed_out = self.lock_wait = False
        self.deadline = math.inf  # monotonic time the wall cap ends it
        self.started_at = self.finished_at = math.nan  # monotonic
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

    def should_stop(self) -> bool:
        """Cancelled by its viewers, or past its wall-time cap."""
        if self.cancel.is_set():
            return True
        if time.monotonic() > self.deadline:
            self.timed_out = True
            return True
        return False


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
            restarted=job.restarted,
            timed_out=job.timed_out,
            idle_only=job.idle_only,
            lock_wait=job.lock_wait,
        )

    def wait(self, timeout: float) -> Snapshot:
        """Wait up to ``timeout`` s for news (progress or an end), then snapshot."""
        job = self._job
        if job is not None and job.state in (WAITING, RUNNING):
            with job.changed:
                job.changed.wait(timeout)
        return self.snapshot()

    def wait_done(self, timeout: float) -> Snapshot:
        return wait_done(self, timeout)

    def release(self) -> None:
        """Stop watching; a job nobody watches any more is cancelled.

        Idempotent: a second call does nothing.
        """
        if not self._released and self._job is not None:
            self._released = True
            self._service._release(self._job)

    def __enter__(self) -> Handle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class TrainingService:
    """Queue, deduplicate, run and cache training tasks (thread-safe).

    Args:
        cache: Where results are kept.
        max_workers: Trainings that may run at once.
        executor: ``"process"`` (recycled worker processes), ``"thread"`` or
            ``"ray"`` (Ray tasks, one job registry per cluster; ``max_workers``
            is then the cluster's CPU count and the queue always ``fair``; see
            :mod:`dlcore.ray_jobs`).
        tasks_per_worker: Tasks a worker process runs before it is replaced.
        fair: Round-robin between owners (``False``: first come, first
            served, as before; kept to measure the difference).
        max_wall: Seconds a training may run before it is stopped; ``None``:
            :func:`dlcore.budget.max_job_wall`; ``math.inf``: no cap.
    """

    def __init__(
        self,
        cache: ResultCache,
        *,
        max_workers: int = 1,
        executor: str = "process",
        tasks_per_worker: int = 40,
        fair: bool = True,
        max_wall: float | None = None,
    ) -> None:
        if executor not in ("process", "thread", "ray"):
            raise ValueError(
                f"executor must be 'process', 'thread' or 'ray', got {executor!r}"
            )
        self.cache = cache
        self.executor = executor
        self.tasks_per_worker = max(1, tasks_per_worker)
        self._lock = threading.Lock()
        self._work = threading.Condition(self._lock)
        self.fair = fair
        self.max_wall = budget.max_job_wall() if max_wall is None else max_wall
        self._waiting: list[_Job] = []  # in arrival order
        self._served: collections.OrderedDict[str, int] = collections.OrderedDict()
        self._seq = self._tick = 0
        self._jobs: dict[str, _Job] = {}
        self._running = 0
        self._closed = False
        self.completed = 0
        self.restarts = self.timeouts = 0
        self._ray = None
        if executor == "ray":  # Ray queues, places and runs (dlcore.ray_jobs)
            from dlcore import ray_jobs

            self._ray = ray_jobs.RayBackend(
                cache, tasks_per_worker=self.tasks_per_worker, max_wall=self.max_wall
            )
            max_workers = 0
        self._slots = [
            threading.Thread(target=self._slot_loop, name=f"trainer-{i}", daemon=True)
            for i in range(max_workers if self._ray else max(1, max_workers))
        ]
        for slot in self._slots:
            slot.start()

    # -- public API -----------------------------------------------------------

    def lookup(self, fn: TaskFn, config: Any) -> Any | None:
        """The cached result of ``fn(config)``, or ``None`` (never trains)."""
        return self.cache.get(result_key(task_name(fn), config, task_version(fn)))

    def submit(
        self,
        fn: TaskFn,
        config: Any,
        *,
        force: bool = False,
        owner: str | None = None,
        idle_only: bool = False,
    ) -> Handle:
        """Ask for ``fn(config)``; returns a :class:`Handle` to watch it.

        A cached result is returned without training unless ``force``; a
        matching job already queued or running is joined instead of repeated.
        ``owner`` (a browser session id) is what the queue is fair between;
        an ``idle_only`` job starts only when nothing else waits or runs.
        Every handle must be released (``with`` or ``try/finally``).
        """
        task = task_name(fn)
        key = result_key(task, config, task_version(fn))
        if not force:
            cached = self.cache.get(key)
            if cached is not None:
                return Handle(self, None, cached)
        if self._ray is not None:
            if self._closed:
                raise RuntimeError("the training service has been shut down")
            return self._ray.submit(
                key, task, config, force=force, owner=owner, idle_only=idle_only
            )
        with self._lock:
            if self._closed:
                raise RuntimeError("the training service has been shut down")
            job = self._jobs.get(key)
            if job is None or job.cancel.is_set():
                self._seq += 1
                job = _Job(
                    key,
                    task,
                    config,
                    seq=self._seq,
                    owner=owner,
                    force=force,
                    idle_only=idle_only,
                )
                self._jobs[key] = job
                self._waiting.append(job)
            elif not idle_only:
                job.idle_only = False  # someone wants it now
            job.subscribers += 1
            self._work.notify_all()
        return Handle(self, job)

    def position(self, job: _Job) -> int:
        """How many jobs will start before ``job`` (0 when it runs).

        A running training counts as one ahead when every slot is busy.
        """
        with self._lock:
            if job.state != WAITING:
                return 0
            order = self._order()
            if job not in order:
                return 0
            return order.index(job) + (self._running >= len(self._slots))

    def stats(self) -> dict[str, int]:
        if self._ray is not None:  # the whole cluster's counters
            return {**self._ray.stats(), "cached": len(self.cache)}
        with self._lock:
            return {
                "running": self._running,
                "waiting": len(self._waiting),
                "completed": self.completed,
                "restarts": self.restarts,
                "timeouts": self.timeouts,
                "owners_waiting": len({j.owner for j in self._waiting}),
                "cached": len(self.cache),
            }

    def shutdown(self) -> None:
        with self._lock:
            self._closed = True
            for job in self._waiting:
                job.cancel.set()
            self._waiting.clear()
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
                self._waiting.remove(job)
                job.state = CANCELLED
                if self._jobs.get(job.key) is job:
                    del self._jobs[job.key]
            self._work.notify_all()
        job.notify()

    def _order(self) -> list[_Job]:
        """The waiting jobs in the order they will start (lock held).

        Fair: the owner served longest ago (or never) goes next, with its
        earliest job; ties go to the earlier job. Idle-only jobs come last.
        """
        normal = [j for j in self._waiting if not j.idle_only]
        idle = [j for j in self._waiting if j.idle_only]
        if not self.fair:
            return normal + idle
        served = dict(self._served)
        tick, order = self._tick, []
        while normal:
            best = min(normal, key=lambda j: (served.get(j.owner, -1), j.seq))
            normal.remove(best)
            order.append(best)
            served[best.owner] = tick
            tick += 1
        return order + idle

    def _pick(self) -> _Job | None:
        """The job to start now, or ``None`` (lock held)."""
        order = self._order()
        if not order:
            return None
        job = order[0]
        if job.idle_only and self._running > 0:
            return None  # only on an idle server
        return job

    def _next_job(self) -> _Job | None:
        with self._lock:
            while not self._closed and (job := self._pick()) is None:
                self._work.wait(timeout=1.0)
            if self._closed:
                return None
            self._waiting.remove(job)
            self._served[job.owner] = self._tick
            self._served.move_to_end(job.owner)
            self._tick += 1
            while len(self._served) > 10_000:  # forget the longest-served
                self._served.popitem(last=False)
            job.state = RUNNING
            job.started_at = time.monotonic()
            if self.max_wall and math.isfinite(self.max_wall):
                job.deadline = time.monotonic() + self.max_wall
            self._running += 1
        job.notify()
        return job

    def _finish(
        self, job: _Job, state: str, result: Any = None, error: str | None = None
    ):
        with self._lock:
            job.state, job.result, job.error = state, result, error
            job.finished_at = time.monotonic()
            self._running -= 1
            self.completed += 1
            self.timeouts += job.timed_out
            if self._jobs.get(job.key) is job:
                del self._jobs[job.key]
            self._work.notify_all()  # an idle-only job may start now
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
                worker = self._train(job, worker)
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

    def _train(self, job: _Job, worker: _Worker | None) -> _Worker | None:
        """Train ``job`` under the cache's cross-process lock; finish it."""
        with _waiting_flag(job) as waiting, self.cache.lock(job.key) as owned:
            # owned is False: the lock's owner kept it too long; train anyway.
            del owned
            waiting.end()  # not waiting any more: training (or reading) now
            cached = None if job.force else self.cache.get(job.key)
            if cached is not None:  # trained meanwhile by another process
                self._finish(job, DONE, cached)
                return worker
            if worker is not None:
                state, result, error = worker.run(job)
                if state == FAILED and error == _DIED and not job.should_stop():
                    # The process died (killed, out of memory): one retry on a
                    # fresh worker, from a clean slate.
                    worker.close()
                    worker = _Worker()
                    with self._lock:
                        self.restarts += 1
                    job.events.clear()
                    job.restarted = True
                    job.notify()
                    state, result, error = worker.run(job)
                if state != DONE and not worker.alive():
                    worker.close()
                    worker = None
            else:
                state, result, error = _run_inline(job)
            if job.timed_out and state != DONE:
                state, result = FAILED, None
                error = f"stopped after {self.max_wall:.0f} s (the wall-time cap)"
            if state == DONE:
                self.cache.put(job.key, result)
        self._finish(job, state, result, error)
        return worker


class _WaitingFlag:
    """Sets ``job.lock_wait`` once ``after`` s have passed, unless :meth:`end`
    came first (the lock was taken: the job trains, it no longer waits)."""

    def __init__(self, job: _Job, after: float) -> None:
        self._job, self._ended = job, False
        self._guard = threading.Lock()
        self._timer = threading.Timer(after, self._mark)
        self._timer.daemon = True
        self._timer.start()

    def _mark(self) -> None:
        with self._guard:
            if self._ended:
                return
            self._job.lock_wait = True
        self._job.notify()

    def end(self) -> None:
        self._timer.cancel()
        with self._guard:
            self._ended = True
            self._job.lock_wait = False


@contextlib.contextmanager
def _waiting_flag(job: _Job, after: float = 0.5):
    """Mark ``job.lock_wait`` if taking the cache lock takes over ``after`` s
    (another server process trains the same config); call ``end()`` on the
    yielded flag once the lock is taken."""
    flag = _WaitingFlag(job, after)
    try:
        yield flag
    finally:
        flag.end()


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
            should_stop=job.should_stop,
        )
    except Exception as exc:
        return FAILED, None, f"{type(exc).__name__}: {exc}"
    if job.should_stop():
        return CANCELLED, None, None
    return DONE, result, None


_MAIN_LOCK = threading.Lock()
_DIED = "the training process stopped unexpectedly"
#: Seconds a worker may ignore the wall cap's stop request before it is killed.
KILL_GRACE_SECONDS = 10.0


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
            if job.should_stop():
                self.cancel.set()
                if time.monotonic() > job.deadline + KILL_GRACE_SECONDS:
                    # Deaf to the stop request (one long compiled call): end it.
                    self.process.kill()
                    self.process.join(timeout=5)
                    return CANCELLED, None, None
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
                    if job.should_stop()
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
