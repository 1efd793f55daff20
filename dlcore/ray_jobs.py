"""Training on a Ray cluster: ``TrainingService(..., executor="ray")``.

Several server processes (Streamlit replicas, on one machine or many) share
one Ray cluster. Each training is a Ray task, so Ray places it on a node with
a free CPU (and a GPU when the cluster has one), retries it once when its
worker dies (``max_retries=1``) and replaces a worker after ``max_calls``
tasks (what ``tasks_per_worker`` does for the process executor: TensorFlow's
per-model memory is returned to the system).

One named, detached actor, the *registry* (``dlcore-jobs`` in the Ray
namespace), is the list of jobs every replica sees:

* **Identical configs train once, cluster-wide.** Jobs are keyed by the result
  key; a replica asking for a key that is queued or running joins that job,
  whatever process started it, and sees its progress from the start.
* **"Waiting (k ahead)" and fairness.** The registry keeps the queue, ordered
  round-robin between owners as :class:`dlcore.jobs.TrainingService` does,
  and hands Ray at most as many tasks as the cluster has CPUs (GPUs), so the
  order is ours and the placement Ray's. ``idle_only`` jobs start on an idle
  cluster only.
* **Progress** flows task → registry → every viewer (a viewer's
  :meth:`RayHandle.wait` is a long poll on the registry).
* **Cancellation.** When a job's last viewer releases it, a queued job is
  dropped, one Ray has not started yet is cancelled with ``ray.cancel``, and a
  running one sees ``should_stop()`` (polled through the registry); one that
  ignores it for :data:`dlcore.jobs.KILL_GRACE_SECONDS` is ended with
  ``ray.cancel(force=True)``. The same happens at the wall-time cap.
* **Results are data.** The task returns :func:`dlcore.store.encode` bytes;
  the viewer decodes them (refusing anything else) and puts the value into
  its own :class:`dlcore.cache.ResultCache` (with a Redis store, the one every
  replica reads). The registry forgets a job once its viewers are gone.
* **A killed worker** is retried by Ray once: the new try's first call tells
  the registry, which drops the old try's events and sets ``restarted``. A
  second death ends the job with a clear error; nothing is cached.

Configuration (environment): ``DLCORE_RAY_ADDRESS`` (``auto``, ``ray://…`` or
``host:port``; empty: start a local Ray instance), ``DLCORE_RAY_NAMESPACE``
(default ``dlcore``). When the caller already ran ``ray.init`` (tests), that
connection and its namespace are used. A cluster started with ``ray start``
uses token authentication (Ray 2.60): replicas then need ``RAY_AUTH_MODE=token``
and the cluster's token (``RAY_AUTH_TOKEN`` or ``~/.ray/auth_token``). Ray
workers import the task modules: the project must be importable on every node
(the same image; Ray adds the server's ``sys.path`` on one machine).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import logging
import math
import os
import pickle
import threading
import time
import traceback
import uuid
from typing import Any

from dlcore import store

logger = logging.getLogger(__name__)

#: Name of the registry actor (bump the suffix when its protocol changes).
REGISTRY_NAME = "dlcore-jobs-v1"
#: How often a running task asks whether it should stop (seconds).
STOP_POLL_SECONDS = 0.2
#: A viewer that has not polled for this long is presumed gone (its replica
#: died without releasing): the job loses that viewer.
VIEWER_LEASE_SECONDS = 300.0
#: Seconds a call to the registry may take beyond its own wait.
REGISTRY_TIMEOUT_SECONDS = 30.0
_DIED = "the training process stopped unexpectedly, twice"

WAITING, RUNNING, DONE, FAILED, CANCELLED = (
    "waiting",
    "running",
    "done",
    "failed",
    "cancelled",
)

_CONNECT_LOCK = threading.Lock()


def connect(address: str | None = None) -> None:
    """Join (or start) the Ray cluster unless this process already has."""
    import ray

    with _CONNECT_LOCK:
        if ray.is_initialized():
            return
        address = address or os.environ.get("DLCORE_RAY_ADDRESS") or None
        namespace = os.environ.get("DLCORE_RAY_NAMESPACE") or "dlcore"
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        ray.init(
            address=address,
            namespace=namespace,
            ignore_reinit_error=True,
            include_dashboard=False if address is None else None,
            log_to_driver=False,
        )


def registry() -> Any:
    """The cluster's registry actor (created by the first caller)."""
    return (
        _registry_class()
        .options(
            name=REGISTRY_NAME,
            lifetime="detached",
            get_if_exists=True,
            num_cpus=0,
            max_concurrency=1000,
            max_restarts=-1,
        )
        .remote()
    )


# --- the Ray task -----------------------------------------------------------------


def _train(registry: Any, job_id: str, task: str, config: bytes) -> tuple[str, Any]:
    """Run one try of a job on a Ray worker; returns ``(state, payload)``.

    ``config`` comes pickled, so that the registry passes it on without
    importing the task's module (and TensorFlow with it).

    ``payload`` is ``store.encode`` bytes (``"done"``), an error text
    (``"error"``) or ``None`` (``"cancelled"``): plain data only.
    """
    import ray

    from dlcore.jobs import resolve_task

    token = uuid.uuid4().hex
    if not ray.get(registry.started.remote(job_id, token, os.getpid())):
        return "cancelled", None
    config = pickle.loads(config)  # our own process's bytes, as Ray's are
    events: list[dict[str, Any]] = []
    sent = [0]  # events the registry confirmed having
    stop = [False, 0.0]  # last answer, when asked (monotonic)

    def ask(force: bool = False) -> bool:
        now = time.monotonic()
        if force or now - stop[1] >= STOP_POLL_SECONDS:
            answer = registry.poll.remote(job_id, token, sent[0], events[sent[0] :])
            stop[0], have = ray.get(answer)
            sent[0] = max(sent[0], have)
            stop[1] = time.monotonic()
        return bool(stop[0])

    def on_progress(event: dict[str, Any]) -> None:
        events.append(dict(event))
        if time.monotonic() - stop[1] >= STOP_POLL_SECONDS:
            ask()  # delivers the unconfirmed events and confirms them
        else:  # fire and forget; the registry merges by index, in any order
            start = sent[0]
            registry.progress.remote(job_id, token, start, events[start:])

    try:
        fn = resolve_task(task)
        result = fn(config, on_progress=on_progress, should_stop=ask)
        if ask(force=True):  # also delivers the last events, synchronously
            return "cancelled", None
        return "done", store.encode(result)
    except Exception as exc:
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        with contextlib.suppress(Exception):
            ask(force=True)
        return "error", detail


# --- the registry actor -------------------------------------------------------------


@dataclasses.dataclass
class _Entry:
    job_id: str
    key: str
    task: str
    config: bytes  # pickled: the registry never imports the task's module
    seq: int
    owner: str
    force: bool
    idle_only: bool
    max_calls: int
    max_wall: float
    state: str = WAITING
    viewers: dict[str, float] = dataclasses.field(default_factory=dict)
    ref: Any = None  # the Ray task, once handed to Ray
    token: str | None = None  # the current try
    tries: int = 0
    pid: int | None = None
    events: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    blob: bytes | None = None
    error: str | None = None
    cancel: bool = False
    restarted: bool = False
    timed_out: bool = False
    deadline: float = math.inf
    killed: bool = False
    ended: int = 0  # the registry's count of ended tasks when this one ended
    version: int = 0
    changed: Any = None  # asyncio.Event, replaced on every change


class Registry:
    """The jobs of the whole cluster (a detached async actor; see module doc)."""

    def __init__(self) -> None:
        self.jobs: dict[str, _Entry] = {}  # job id -> entry
        self.active: dict[str, str] = {}  # result key -> job id (not cancelled)
        self.waiting: list[_Entry] = []  # queued, not yet handed to Ray
        self.dispatched: set[str] = set()  # job ids Ray has (queued or running)
        self.served: collections.OrderedDict[str, int] = collections.OrderedDict()
        self.seq = self.tick = 0
        self.counts = {"completed": 0, "restarts": 0, "timeouts": 0}
        self._capacity = (0, -math.inf)  # (slots, when measured)
        self._gpus = 0.0
        self._watchdog: Any = None

    # -- called by services ---------------------------------------------------------

    async def join(
        self,
        key: str,
        task: str,
        config: bytes,
        viewer: str,
        owner: str | None,
        force: bool,
        idle_only: bool,
        max_calls: int,
        max_wall: float,
    ) -> str:
        """Subscribe ``viewer`` to the job for ``key`` (a new one if none)."""
        self._ensure_watchdog()
        job_id = self.active.get(key)
        entry = self.jobs.get(job_id) if job_id else None
        if (
            entry is None
            or entry.cancel
            or entry.state in (FAILED, CANCELLED)
            or (force and entry.state == DONE)
        ):
            self.seq += 1
            job_id = uuid.uuid4().hex
            entry = _Entry(
                job_id,
                key,
                task,
                config,
                seq=self.seq,
                owner=owner if owner is not None else f"\0job-{job_id}",
                force=force,
                idle_only=idle_only,
                max_calls=max(1, int(max_calls)),
                max_wall=float(max_wall),
                changed=asyncio.Event(),
            )
            self.jobs[job_id] = entry
            self.active[key] = job_id
            self.waiting.append(entry)
        elif not idle_only and entry.idle_only:
            entry.idle_only = False  # someone wants it now
            self._touch(entry)
        entry.viewers[viewer] = time.monotonic()
        self._dispatch()
        return job_id

    async def release(self, job_id: str, viewer: str) -> None:
        entry = self.jobs.get(job_id)
        if entry is None or entry.viewers.pop(viewer, None) is None:
            return
        if entry.viewers:
            return
        if entry.state in (DONE, FAILED, CANCELLED):
            self._forget(entry)
            return
        entry.cancel = True
        if self.active.get(entry.key) == job_id:
            del self.active[entry.key]
        if entry in self.waiting:  # not handed to Ray yet: just drop it
            self.waiting.remove(entry)
            self._end(entry, CANCELLED)
        elif entry.state == WAITING and entry.ref is not None:
            import ray

            ray.cancel(entry.ref)  # Ray has not started it: Ray drops it
        self._touch(entry)
        self._dispatch()

    async def watch(
        self, job_id: str, viewer: str, have: int, token: str | None, timeout: float
    ) -> dict[str, Any]:
        """What ``viewer`` sees: waits up to ``timeout`` s for news first.

        ``have`` events of try ``token`` are already known to the viewer; only
        newer ones are sent (all of them after a restart).
        """
        entry = self.jobs.get(job_id)
        if entry is None:
            return {"state": "gone"}
        if viewer in entry.viewers:
            entry.viewers[viewer] = time.monotonic()
        fresh = token != entry.token or len(entry.events) > have
        if not fresh and entry.state in (WAITING, RUNNING) and timeout > 0:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(entry.changed.wait(), timeout)
        start = have if token == entry.token else 0
        return {
            "state": entry.state,
            "ahead": self._ahead(entry),
            "token": entry.token,
            "start": start,
            "events": entry.events[start:],
            "blob": entry.blob,
            "error": entry.error,
            "restarted": entry.restarted,
            "timed_out": entry.timed_out,
            "idle_only": entry.idle_only,
            "pid": entry.pid,
            "ended": entry.ended,
        }

    async def stats(self) -> dict[str, int]:
        return {
            "running": sum(self.jobs[j].state == RUNNING for j in self.dispatched),
            "waiting": len(self.waiting)
            + sum(self.jobs[j].state == WAITING for j in self.dispatched),
            **self.counts,
            "owners_waiting": len({e.owner for e in self.waiting}),
            "jobs": len(self.jobs),
            "slots": self._slots(),
        }

    # -- called by tasks --------------------------------------------------------------

    async def started(self, job_id: str, token: str, pid: int) -> bool:
        """A try begins (``False``: the job was cancelled meanwhile)."""
        entry = self.jobs.get(job_id)
        if entry is None or entry.cancel:
            return False
        entry.tries += 1
        if entry.tries > 1:  # Ray retried it: the worker died
            entry.restarted = True
            self.counts["restarts"] += 1
        entry.token, entry.pid, entry.events = token, pid, []
        entry.state = RUNNING
        if math.isfinite(entry.max_wall) and entry.max_wall > 0:
            entry.deadline = time.monotonic() + entry.max_wall
        self._touch(entry)
        return True

    async def progress(
        self, job_id: str, token: str, start: int, events: list[dict[str, Any]]
    ) -> None:
        entry = self.jobs.get(job_id)
        if entry is not None and entry.token == token:
            self._merge(entry, start, events)

    async def poll(
        self, job_id: str, token: str, start: int, events: list[dict[str, Any]]
    ) -> tuple[bool, int]:
        """``(stop?, events held)`` for the running try ``token``."""
        entry = self.jobs.get(job_id)
        if entry is None or entry.token != token:
            return True, 0
        self._merge(entry, start, events)
        return self._should_stop(entry), len(entry.events)

    # -- internals ---------------------------------------------------------------------

    def _merge(self, entry: _Entry, start: int, events: list[dict[str, Any]]) -> None:
        if start <= len(entry.events) < start + len(events):
            entry.events.extend(events[len(entry.events) - start :])
            self._touch(entry)

    def _should_stop(self, entry: _Entry) -> bool:
        if entry.cancel:
            return True
        if time.monotonic() > entry.deadline:
            entry.timed_out = True
            return True
        return False

    def _touch(self, entry: _Entry) -> None:
        entry.version += 1
        entry.changed.set()
        entry.changed = asyncio.Event()

    def _slots(self) -> int:
        """Trainings the cluster can run at once (its CPUs; GPUs if any)."""
        slots, when = self._capacity
        if time.monotonic() - when > 5.0:
            import ray

            resources = ray.cluster_resources()
            self._gpus = float(resources.get("GPU", 0.0))
            slots = int(resources.get("CPU", 1.0))
            if self._gpus >= 1:
                slots = min(slots, int(self._gpus))
            slots = max(1, slots)
            self._capacity = (slots, time.monotonic())
        return slots

    def _order(self) -> list[_Entry]:
        """The queue in start order: round-robin between owners, idle-only last."""
        normal = [e for e in self.waiting if not e.idle_only]
        idle = [e for e in self.waiting if e.idle_only]
        served, tick, order = dict(self.served), self.tick, []
        while normal:
            best = min(normal, key=lambda e: (served.get(e.owner, -1), e.seq))
            normal.remove(best)
            order.append(best)
            served[best.owner] = tick
            tick += 1
        return order + idle

    def _ahead(self, entry: _Entry) -> int:
        if entry not in self.waiting:
            return 0
        order = self._order()
        return order.index(entry) + (len(self.dispatched) >= self._slots())

    def _dispatch(self) -> None:
        """Hand Ray the next jobs while the cluster has free slots."""
        import ray

        while self.waiting and len(self.dispatched) < self._slots():
            entry = self._order()[0]
            if entry.idle_only and self.dispatched:
                return  # only on an idle cluster
            self.waiting.remove(entry)
            self.served[entry.owner] = self.tick
            self.served.move_to_end(entry.owner)
            self.tick += 1
            while len(self.served) > 10_000:
                self.served.popitem(last=False)
            remote = _remote_train(entry.max_calls)
            if self._gpus >= 1:
                remote = remote.options(num_gpus=1)
            me = ray.get_runtime_context().current_actor
            entry.ref = remote.remote(me, entry.job_id, entry.task, entry.config)
            self.dispatched.add(entry.job_id)
            asyncio.get_running_loop().create_task(self._collect(entry))
            self._touch(entry)

    async def _collect(self, entry: _Entry) -> None:
        """Wait for a handed-out job's task and record how it ended."""
        from ray import exceptions

        state, blob, error = FAILED, None, None
        try:
            kind, payload = await entry.ref
            if kind == "done" and not self._should_stop(entry):
                state, blob = DONE, payload
            elif kind == "error":
                error = str(payload)
            else:
                state = CANCELLED
        except exceptions.TaskCancelledError:
            state = CANCELLED
        except (exceptions.WorkerCrashedError, exceptions.NodeDiedError) as exc:
            if entry.killed or entry.cancel:
                state = CANCELLED
            else:
                error = _DIED
                logger.warning("job %s: %s (%s)", entry.key, _DIED, exc)
        except Exception as exc:  # a Ray system error: report it, do not hang
            error = f"{type(exc).__name__}: {exc}"
        if entry.timed_out and state != DONE:
            state, blob = FAILED, None
            error = f"stopped after {entry.max_wall:.0f} s (the wall-time cap)"
            self.counts["timeouts"] += 1
        self.dispatched.discard(entry.job_id)
        self.counts["completed"] += 1
        entry.ended = self.counts["completed"]
        entry.blob = blob
        self._end(entry, state, error)
        self._dispatch()

    def _end(self, entry: _Entry, state: str, error: str | None = None) -> None:
        entry.state, entry.error = state, error
        # A done job stays joinable until its viewers (who put its result
        # into their caches) are gone: no second training in between.
        if state != DONE and self.active.get(entry.key) == entry.job_id:
            del self.active[entry.key]
        self._touch(entry)
        if not entry.viewers:
            self._forget(entry)

    def _forget(self, entry: _Entry) -> None:
        if entry.job_id in self.dispatched or entry in self.waiting:
            return  # still Ray's; forgotten when it ends
        self.jobs.pop(entry.job_id, None)
        if self.active.get(entry.key) == entry.job_id:
            del self.active[entry.key]

    def _ensure_watchdog(self) -> None:
        if self._watchdog is None or self._watchdog.done():
            self._watchdog = asyncio.get_running_loop().create_task(self._watch())

    async def _watch(self) -> None:
        """Every half second: the wall cap, deaf tasks, vanished viewers."""
        import ray

        from dlcore.jobs import KILL_GRACE_SECONDS

        while True:
            await asyncio.sleep(0.5)
            now = time.monotonic()
            for entry in list(self.jobs.values()):
                for viewer, seen in list(entry.viewers.items()):
                    if now - seen > VIEWER_LEASE_SECONDS:
                        await self.release(entry.job_id, viewer)
                if entry.job_id not in self.dispatched or entry.killed:
                    continue
                late = now > entry.deadline + KILL_GRACE_SECONDS
                if self._should_stop(entry) and entry.timed_out and late:
                    # Deaf to the stop request (one long compiled call): end it.
                    entry.killed = True
                    ray.cancel(entry.ref, force=True)


_REGISTRY_CLASS: list[Any] = []
_REMOTE_TRAIN: dict[int, Any] = {}


def _remote_train(max_calls: int) -> Any:
    """:func:`_train` as a Ray task: one CPU, retried once if its worker dies,
    on a worker replaced after ``max_calls`` tasks (bounded memory)."""
    import ray

    if max_calls not in _REMOTE_TRAIN:
        _REMOTE_TRAIN[max_calls] = ray.remote(
            num_cpus=1, max_calls=max_calls, max_retries=1
        )(_train)
    return _REMOTE_TRAIN[max_calls]


def _registry_class() -> Any:
    import ray

    if not _REGISTRY_CLASS:
        _REGISTRY_CLASS.append(ray.remote(Registry))
    return _REGISTRY_CLASS[0]


# --- the service side ---------------------------------------------------------------


class RayHandle:
    """A viewer's subscription to a job in the registry (see :class:`Handle`)."""

    def __init__(self, backend: RayBackend, key: str, job_id: str | None, result=None):
        self._backend, self._key, self._job_id = backend, key, job_id
        self._viewer = uuid.uuid4().hex
        self._result = result
        self._events: list[dict[str, Any]] = []
        self._token: str | None = None
        self._final: Any = None  # the finished Snapshot, once seen
        self._released = False
        self._lock = threading.Lock()
        self.worker_pid: int | None = None  # the current try's process
        self.ended: int = 0  # order in which the cluster's tasks ended (1, 2, ...)

    def snapshot(self) -> Any:
        return self._poll(0.0)

    def wait(self, timeout: float) -> Any:
        """Wait up to ``timeout`` s for news (progress or an end), then snapshot."""
        return self._poll(max(0.0, timeout))

    def wait_done(self, timeout: float) -> Any:
        from dlcore.jobs import wait_done

        return wait_done(self, timeout)

    def release(self) -> None:
        """Stop watching; a job nobody watches any more is cancelled."""
        with self._lock:
            if self._released or self._job_id is None:
                return
            self._released = True
        self._backend.release(self._job_id, self._viewer)

    def __enter__(self) -> RayHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def _poll(self, timeout: float) -> Any:
        from dlcore.jobs import Snapshot

        if self._job_id is None:
            return Snapshot(DONE, result=self._result, from_cache=True)
        with self._lock:
            if self._final is not None:
                return dataclasses.replace(self._final, events=list(self._events))
            have, token = len(self._events), self._token
        import ray

        try:
            view = ray.get(
                self._backend.registry.watch.remote(
                    self._job_id, self._viewer, have, token, timeout
                ),
                timeout=timeout + REGISTRY_TIMEOUT_SECONDS,
            )
        except (ray.exceptions.RayError, ConnectionError) as exc:
            logger.warning("job registry unreachable: %s", exc)
            view = {"state": "lost", "error": f"{type(exc).__name__}: {exc}"}
        with self._lock:
            if view["state"] == "lost":  # an end, not a hang: the page says so
                self._final = Snapshot(
                    FAILED, error=f"the Ray cluster did not answer ({view['error']})"
                )
                return self._final
            if view["state"] == "gone":  # released, or the registry restarted
                if self._final is not None:
                    return dataclasses.replace(self._final, events=list(self._events))
                state = CANCELLED if self._released else FAILED
                error = None if self._released else "the job registry lost this job"
                self._final = Snapshot(state, error=error)
                return self._final
            if view["token"] != self._token:
                self._events, self._token = [], view["token"]
            self._events[view["start"] :] = view["events"]
            self.worker_pid, self.ended = view["pid"], view["ended"]
            state, result, error = view["state"], None, view["error"]
            if state == DONE:
                try:
                    result = store.decode(view["blob"])
                except store.FormatError as exc:
                    state, error = FAILED, f"unreadable result: {exc}"
                else:
                    self._backend.cache.put(self._key, result)
            snap = Snapshot(
                state,
                ahead=view["ahead"],
                events=list(self._events),
                result=result,
                error=error,
                restarted=view["restarted"],
                timed_out=view["timed_out"],
                idle_only=view["idle_only"],
            )
            if snap.finished:
                self._final = snap
            return snap


class RayBackend:
    """What :class:`dlcore.jobs.TrainingService` delegates to for ``"ray"``."""

    def __init__(self, cache: Any, *, tasks_per_worker: int, max_wall: float):
        connect()
        self.cache = cache
        self.tasks_per_worker = tasks_per_worker
        self.max_wall = max_wall
        self.registry = registry()

    def submit(
        self,
        key: str,
        task: str,
        config: Any,
        *,
        force: bool,
        owner: str | None,
        idle_only: bool,
    ) -> RayHandle:
        import ray

        handle = RayHandle(self, key, None)
        max_wall = self.max_wall if self.max_wall else math.inf
        handle._job_id = ray.get(
            self.registry.join.remote(
                key,
                task,
                pickle.dumps(config, protocol=pickle.HIGHEST_PROTOCOL),
                handle._viewer,
                owner,
                force,
                idle_only,
                self.tasks_per_worker,
                max_wall,
            ),
            timeout=REGISTRY_TIMEOUT_SECONDS,
        )
        return handle

    def release(self, job_id: str, viewer: str) -> None:
        import ray

        try:
            ray.get(
                self.registry.release.remote(job_id, viewer),
                timeout=REGISTRY_TIMEOUT_SECONDS,
            )
        except (ray.exceptions.RayError, ConnectionError) as exc:
            # The viewer lease ends the subscription instead.
            logger.warning("releasing job %s failed: %s", job_id, exc)

    def stats(self) -> dict[str, int]:
        """The cluster's counters (zeros, logged, when the registry is away)."""
        import ray

        try:
            return ray.get(
                self.registry.stats.remote(), timeout=REGISTRY_TIMEOUT_SECONDS
            )
        except (ray.exceptions.RayError, ConnectionError) as exc:
            logger.warning("job registry unreachable: %s", exc)
            keys = ("running", "waiting", "completed", "restarts", "timeouts")
            return {**dict.fromkeys(keys, 0), "owners_waiting": 0, "jobs": 0}
