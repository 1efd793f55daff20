"""The shared result cache: a memory LRU in front of a disk store.

Why not ``st.cache_data``? The core must not import Streamlit, results must be
readable by the training worker processes and by notebooks, must survive a
server restart, must be shareable by several server processes on one machine,
and must stay within a size bound. ``st.cache_data(persist="disk")`` ignores
``ttl``/size limits and is private to one process. `diskcache
<https://grantjenks.com/docs/diskcache/>`_ (SQLite + files) is a well-kept,
thread- and process-safe store that evicts least-recently-used entries beyond
a byte limit and offers transactions across processes — exactly the missing
pieces — so it is kept, made safe as follows:

* **Data, never pickles.** Values are stored as :mod:`dlcore.store` blobs
  (``.npz`` with a JSON manifest). diskcache itself pickles values that are not
  bytes/str/int and unpickles ``MODE_PICKLE`` rows on read; :class:`DataDisk`
  stores only bytes and text, refuses to unpickle a row (or a key), and only
  reads or deletes files named the way diskcache names them, inside the
  folder. A refused or unreadable entry is discarded (the caller retrains) and
  :meth:`ResultCache.rejected` says why.
* **A safe folder.** It is created ``0o700``; a folder (or ``cache.db``) owned
  by another user or writable by group/others, or a parent that another user
  could rename it out of, is refused: the cache then works in memory only.
* **Never takes a page down.** Store faults (``sqlite3`` errors, ``OSError``,
  ``diskcache.Timeout``, :class:`dlcore.store.FormatError`) are logged to the
  ``dlcore.cache`` logger, never raised: a bad entry is discarded, a broken
  store (read-only or corrupt folder, full disk) switches the cache to memory
  only, and :meth:`ResultCache.status` says so. A failed write keeps the memory
  copy, so this process keeps one truth.
* **Locks that outlive nobody.** :meth:`ResultCache.lock` holds a short lease
  (``lock_lease`` seconds, default 10) renewed by a daemon thread. A waiter on
  the same host takes over at once when the owner process is gone (its pid is
  dead or reused), anyone takes over when the lease expired, and waiting gives
  up after ``DLCORE_LOCK_WAIT`` seconds (default 120), yielding ``False``.

Several servers share results through Redis instead
(``DLCORE_CACHE_URL=redis://host:port/db``, :mod:`dlcore.redis_cache`, with the
same interface and guarantees); :func:`from_environment` picks the store.

Keys are derived from a plain, frozen dataclass config, the task's dotted
name and the task's own version (``Task.version`` in :mod:`dlcore.topics`), so
a change to one topic's training invalidates only that task's results:

>>> import dataclasses
>>> @dataclasses.dataclass(frozen=True)
... class Cfg:
...     units: int = 8
>>> result_key("dlcore.x:train", Cfg()) == result_key("dlcore.x:train", Cfg(8))
True
>>> result_key("dlcore.x:train", Cfg()) == result_key("dlcore.x:train", Cfg(16))
False
>>> result_key("dlcore.x:train", Cfg(), 1) == result_key("dlcore.x:train", Cfg(), 2)
False
>>> memory = ResultCache(None)
>>> memory.put("k", 3); memory.get("k"), memory.status()["mode"]
(3, 'memory')
>>> with memory.lock("k") as held:
...     held
True
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import re
import socket
import sqlite3
import stat
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import diskcache
from diskcache.core import MODE_BINARY, MODE_RAW, MODE_TEXT, UNKNOWN

from dlcore import store

#: Default location of the disk store; override with ``DLCORE_CACHE_DIR``.
DEFAULT_DIR = os.path.join(os.path.expanduser("~"), ".cache", "dl-dashboard", "results")
#: Seconds a lock waits for another holder before giving up (``DLCORE_LOCK_WAIT``).
DEFAULT_LOCK_WAIT = 120.0

logger = logging.getLogger("dlcore.cache")

_LOCK_PREFIX = "lock:"
_POLL = 0.1  # seconds between lock attempts
_FILE_NAME = re.compile(r"[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{28}\.val")
_STORE_FAULTS = (sqlite3.Error, OSError)
_REJECTED_KEPT = 256


def config_dict(config: Any) -> dict[str, Any]:
    """A frozen dataclass config as a JSON-ready dict (tuples become lists)."""
    if not dataclasses.is_dataclass(config) or isinstance(config, type):
        raise TypeError(
            f"configs must be dataclass instances, got {type(config).__name__}"
        )
    return json.loads(json.dumps(dataclasses.asdict(config)))


def result_key(task: str, config: Any, version: int = 0) -> str:
    """A stable hex key for ``(task, config, task version)``."""
    payload = {
        "task": task,
        "config_type": type(config).__qualname__,
        "config": config_dict(config),
        "version": int(version),
    }
    blob = json.dumps(payload, sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:32]


def open_cache(target: str | None, **options: Any) -> ResultCache:
    """The result store ``target`` names, with ``options`` for its class.

    A ``redis://``, ``rediss://`` or ``unix://`` URL gives a
    :class:`dlcore.redis_cache.RedisCache` (shared by several servers; a
    memory-only cache that says why when the ``redis`` client is not
    installed), ``None``, ``""`` or ``"none"`` a memory-only cache, anything
    else a :class:`ResultCache` in that folder.

    >>> open_cache("none").status()["mode"]
    'memory'
    """
    text = (target or "").strip()
    if text.lower() in ("", "none"):
        return ResultCache(None, **options)
    scheme, sep, _ = text.partition("://")
    if sep and scheme.lower() in ("redis", "rediss", "unix"):
        try:
            from dlcore.redis_cache import RedisCache
        except ImportError as exc:
            memory = ResultCache(None)
            memory._reason = (
                f"the redis client is missing ({exc}): "
                "pip install -r requirements-scale.txt"
            )
            logger.error("result store %s: %s", scheme, memory._reason)
            return memory
        return RedisCache(text, **options)
    return ResultCache(text, **options)


def from_environment() -> ResultCache:
    """The store the environment configures (what the app's service uses).

    ``DLCORE_CACHE_URL`` (``redis://host:port/db``), when set, names a shared
    Redis store: ``DLCORE_CACHE_TTL`` sets the seconds an unused entry lives
    (default 7 days; ``0`` = until evicted) and ``DLCORE_CACHE_PREFIX`` its
    key namespace (default ``dlcore:``). Otherwise ``DLCORE_CACHE_DIR`` names
    the disk folder (default :data:`DEFAULT_DIR`; ``none`` = memory only).
    """
    url = os.environ.get("DLCORE_CACHE_URL", "").strip()
    if not url:
        return open_cache(os.environ.get("DLCORE_CACHE_DIR", DEFAULT_DIR))
    options: dict[str, Any] = {}
    ttl = _env_seconds("DLCORE_CACHE_TTL")
    if ttl is not None:
        options["ttl"] = ttl
    prefix = os.environ.get("DLCORE_CACHE_PREFIX", "")
    if prefix:
        options["prefix"] = prefix
    return open_cache(url, **options)


class UnsafeEntry(Exception):
    """A stored row that :class:`DataDisk` refuses to read (a pickle, a path)."""


class DataDisk(diskcache.Disk):
    """A diskcache ``Disk`` that stores bytes and text only and never unpickles."""

    def put(self, key: Any) -> tuple[Any, bool]:
        if type(key) is not str:
            raise TypeError(f"cache keys must be str, got {type(key).__name__}")
        return super().put(key)

    def get(self, key: Any, raw: bool) -> Any:
        if not raw:
            raise UnsafeEntry("a pickled key")
        return super().get(key, raw)

    def store(self, value: Any, read: bool, key: Any = UNKNOWN) -> tuple:
        if read or type(value) not in (bytes, str):
            raise TypeError(f"only bytes and str are stored, got {type(value)}")
        return super().store(value, read, key)

    def fetch(self, mode: int, filename: Any, value: Any, read: bool) -> Any:
        if read or mode not in (MODE_RAW, MODE_BINARY, MODE_TEXT):
            raise UnsafeEntry(f"a row of mode {mode} (pickled)")
        if mode != MODE_RAW and not _valid_file_name(filename):
            raise UnsafeEntry(f"a value file outside the store: {filename!r}")
        return super().fetch(mode, filename, value, read)

    def remove(self, file_path: Any) -> Any:
        if not _valid_file_name(file_path):
            logger.warning("not removing %r: not a value file of the store", file_path)
            return None
        return super().remove(file_path)


def _valid_file_name(name: Any) -> bool:
    return type(name) is str and _FILE_NAME.fullmatch(name) is not None


class ResultCache:
    """Memory LRU (``memory_items`` entries) over a bounded disk store.

    Args:
        directory: Disk store folder; ``None`` keeps results in memory only.
        memory_items: Entries kept in memory (most recently used).
        disk_bytes: Size limit of the disk store; least recently used
            entries are evicted beyond it.
        lock_lease: Seconds a cross-process lock stays valid unless its owner
            renews it (it renews every third of that while it lives).
    """

    def __init__(
        self,
        directory: str | None = DEFAULT_DIR,
        *,
        memory_items: int = 64,
        disk_bytes: int = 512 * 2**20,
        lock_lease: float = 10.0,
    ) -> None:
        self._memory: collections.OrderedDict[str, Any] = collections.OrderedDict()
        self._memory_items = memory_items
        self._lock = threading.Lock()
        self._key_locks: dict[str, list[Any]] = {}  # key -> [threading.Lock, users]
        self._rejected: collections.OrderedDict[str, str] = collections.OrderedDict()
        self._lease = float(lock_lease)
        self.directory = str(directory) if directory else None
        self._reason: str | None = None
        self._store: diskcache.Cache | None = None
        if self.directory is None:
            return
        try:
            self._reason = _unsafe_folder(self.directory)
            if self._reason is None:
                self._store = diskcache.Cache(
                    self.directory,
                    disk=DataDisk,
                    size_limit=disk_bytes,
                    eviction_policy="least-recently-used",
                    timeout=30,
                )
        except Exception as exc:  # a cache that cannot open must not fail a page
            self._store = None
            self._reason = f"cannot open the store: {type(exc).__name__}: {exc}"
        if self._reason is not None:
            logger.warning(
                "result cache %s: %s; keeping results in memory only",
                self.directory,
                self._reason,
            )

    @property
    def disk(self) -> diskcache.Cache | None:
        """The disk store, or ``None`` when results are kept in memory only."""
        return self._store

    def status(self) -> dict[str, Any]:
        """``{"mode": "disk" | "memory", "directory": ..., "reason": ...}``
        (:class:`dlcore.redis_cache.RedisCache`: ``"redis" | "memory"``)."""
        return {
            "mode": "disk" if self._store is not None else "memory",
            "directory": self.directory,
            "reason": self._reason,
        }

    def rejected(self, key: str) -> str | None:
        """Why the stored entry for ``key`` was discarded (``None`` if it was not)."""
        with self._lock:
            return self._rejected.get(key)

    def get(self, key: str) -> Any | None:
        """The cached value, or ``None``."""
        with self._lock:
            if key in self._memory:
                self._memory.move_to_end(key)
                return self._memory[key]
        disk = self._store
        if disk is None:
            return None
        try:
            blob = disk.get(key)
        except UnsafeEntry as exc:
            self._reject(disk, key, str(exc))
            return None
        except diskcache.Timeout:
            logger.warning("result cache busy: reading %s timed out", key)
            return None
        except _STORE_FAULTS as exc:
            self._broken(exc)
            return None
        return self._decoded(disk, key, blob)

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` in memory and on disk (a failed write only logs)."""
        self._remember(key, value)
        with self._lock:
            self._rejected.pop(key, None)
        disk = self._store
        if disk is None:
            return
        try:
            blob = store.encode(value)
        except TypeError:
            logger.exception("result %s cannot be stored on disk", key)
            self._delete(disk, key)
            return
        try:
            disk.set(key, blob)
        except diskcache.Timeout:
            logger.warning("result cache busy: writing %s timed out", key)
            self._delete(disk, key)
        except _STORE_FAULTS as exc:
            self._delete(disk, key)  # no stale answer for other processes
            self._broken(exc)

    def discard(self, key: str) -> None:
        with self._lock:
            self._memory.pop(key, None)
        disk = self._store
        if disk is not None:
            self._delete(disk, key)

    def __len__(self) -> int:
        disk = self._store
        if disk is not None:
            try:
                ((count,),) = disk._sql(  # counts without reading keys
                    "SELECT COUNT(*) FROM Cache WHERE raw = 1 AND key NOT GLOB ?",
                    (_LOCK_PREFIX + "*",),
                ).fetchall()
                return int(count)
            except (diskcache.Timeout, *_STORE_FAULTS) as exc:
                self._broken(exc)
        with self._lock:
            return len(self._memory)

    def clear(self) -> None:
        with self._lock:
            self._memory.clear()
            self._rejected.clear()
        disk = self._store
        if disk is not None:
            try:
                disk.clear()
            except (diskcache.Timeout, *_STORE_FAULTS) as exc:
                self._broken(exc)

    @contextlib.contextmanager
    def lock(self, key: str, wait: float | None = None) -> Iterator[bool]:
        """Hold the lock for ``key`` across threads and processes.

        Yields ``True`` when this caller holds it, ``False`` when it gave up
        after ``wait`` seconds (default ``DLCORE_LOCK_WAIT``, 120): the caller
        then goes ahead anyway. Memory-only caches lock across threads only.
        """
        wait = _lock_wait() if wait is None else max(0.0, float(wait))
        deadline = time.monotonic() + wait
        local = self._key_lock(key)
        got_local, lease = False, None
        try:
            got_local = local.acquire(timeout=wait)
            held = got_local
            if got_local:
                lease = self._acquire(key, deadline)  # None: no shared store
                held = lease is not False
            yield held
        finally:
            if lease is not None and lease is not False:
                lease.release()
            if got_local:
                local.release()
            self._drop_key_lock(key)

    # --- internals -------------------------------------------------------------------

    def _decoded(self, where: Any, key: str, blob: bytes | None) -> Any | None:
        """``blob`` read from ``where`` as data, remembered; an entry that is
        not in :mod:`dlcore.store`'s format is rejected (deleted, with why)."""
        if blob is None:
            return None
        try:
            value = store.decode(blob)
        except store.FormatError as exc:
            self._reject(where, key, f"unreadable entry: {exc}")
            return None
        self._remember(key, value)
        return value

    def _remember(self, key: str, value: Any) -> None:
        with self._lock:
            self._memory[key] = value
            self._memory.move_to_end(key)
            while len(self._memory) > self._memory_items:
                self._memory.popitem(last=False)

    def _reject(self, disk: diskcache.Cache, key: str, reason: str) -> None:
        logger.warning("discarded cached result %s: %s", key, reason)
        with self._lock:
            self._rejected[key] = reason
            while len(self._rejected) > _REJECTED_KEPT:
                self._rejected.popitem(last=False)
        self._delete(disk, key)

    def _delete(self, disk: diskcache.Cache, key: str) -> None:
        try:
            disk.delete(key, retry=True)
        except (diskcache.Timeout, *_STORE_FAULTS) as exc:
            self._broken(exc)

    def _broken(self, exc: BaseException) -> None:
        """Switch to memory only after a fault of the store itself."""
        if isinstance(exc, diskcache.Timeout):
            logger.warning("result cache busy (%s); carrying on", exc)
            return
        with self._lock:
            disk, self._store = self._store, None
            if disk is None:
                return
            self._reason = f"store failed: {type(exc).__name__}: {exc}"
        logger.error(
            "result cache %s failed (%s: %s); keeping results in memory only",
            self.directory,
            type(exc).__name__,
            exc,
        )
        with contextlib.suppress(Exception):
            disk.close()

    def _key_lock(self, key: str) -> threading.Lock:
        with self._lock:
            entry = self._key_locks.setdefault(key, [threading.Lock(), 0])
            entry[1] += 1
            return entry[0]

    def _drop_key_lock(self, key: str) -> None:
        with self._lock:
            entry = self._key_locks.get(key)
            if entry is not None:
                entry[1] -= 1
                if entry[1] <= 0:
                    del self._key_locks[key]

    def _acquire(self, key: str, deadline: float) -> _Lease | bool | None:
        """A lease on ``key``: ``False`` after the deadline, ``None`` if the
        store broke meanwhile (the thread lock then suffices)."""
        name = _LOCK_PREFIX + key
        token = uuid.uuid4().hex
        while True:
            disk = self._store
            if disk is None:
                return None
            try:
                with disk.transact():
                    try:
                        record = _parse_record(disk.get(name))
                    except UnsafeEntry:
                        record = None
                    if record is None or _stale(record):
                        if record is not None:
                            logger.info("taking over the stale lock %s", record)
                        disk.set(name, _record(token, self._lease))
                        return _Lease(self, disk, name, token)
            except diskcache.Timeout:
                pass
            except _STORE_FAULTS as exc:
                self._broken(exc)
                return None
            left = deadline - time.monotonic()
            if left <= 0:
                logger.warning("gave up waiting for the lock on %s", key)
                return False
            time.sleep(min(_POLL, left))


class _Lease:
    """A held disk lock, renewed by a daemon thread until released."""

    def __init__(self, cache: ResultCache, disk: Any, name: str, token: str):
        self.cache, self.disk, self.name, self.token = cache, disk, name, token
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=self._renew, name=f"lease-{name[:16]}", daemon=True
        )
        self.thread.start()

    def _renew(self) -> None:
        while not self.stop.wait(self.cache._lease / 3):
            if self.cache._store is not self.disk:
                return  # the store broke: the thread lock is all that is left
            try:
                with self.disk.transact():
                    record = _parse_record(self.disk.get(self.name))
                    if record is not None and record.get("token") != self.token:
                        logger.warning("lost the lock %s to %s", self.name, record)
                        return
                    self.disk.set(self.name, _record(self.token, self.cache._lease))
            except Exception as exc:  # keep renewing; the store may recover
                logger.warning("renewing the lock %s failed: %s", self.name, exc)

    def release(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        try:
            with self.disk.transact():
                record = _parse_record(self.disk.get(self.name))
                if record is not None and record.get("token") == self.token:
                    self.disk.delete(self.name)
        except Exception as exc:  # an unreleased lease expires on its own
            logger.warning("releasing the lock %s failed: %s", self.name, exc)


# --- lock records --------------------------------------------------------------------


def _lock_wait() -> float:
    text = os.environ.get("DLCORE_LOCK_WAIT", "")
    try:
        value = float(text) if text else DEFAULT_LOCK_WAIT
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        logger.warning("ignoring DLCORE_LOCK_WAIT=%r", text)
        return DEFAULT_LOCK_WAIT
    return value


def _env_seconds(name: str) -> float | None:
    """A finite, non-negative number of seconds from ``name`` (else ``None``)."""
    text = os.environ.get(name, "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        logger.warning("ignoring %s=%r", name, text)
        return None
    return value


def _process_start(pid: int) -> tuple[str, int] | None:
    """``(state, start time in clock ticks)`` of ``pid`` from ``/proc``."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            text = handle.read().decode("ascii", "replace")
        fields = text[text.rindex(")") + 2 :].split()
        return fields[0], int(fields[19])
    except (OSError, ValueError, IndexError):
        return None


def _record(token: str, lease: float) -> str:
    pid = os.getpid()
    started = _process_start(pid)
    return json.dumps(
        {
            "host": socket.gethostname(),
            "pid": pid,
            "start": started[1] if started else None,
            "token": token,
            "expires": time.time() + lease,
        }
    )


def _parse_record(text: Any) -> dict[str, Any] | None:
    """A lock record, or ``None`` for none or an unreadable one (free)."""
    if type(text) is not str:
        return None
    try:
        record = json.loads(text)
    except ValueError:
        return None
    if not isinstance(record, dict):
        return None
    kinds = {"host": str, "pid": int, "token": str, "expires": (int, float)}
    if any(not isinstance(record.get(k), t) for k, t in kinds.items()):
        return None
    return record


def _stale(record: dict[str, Any]) -> bool:
    """Whether a lock may be taken over: its lease ran out or its owner is gone."""
    if record["expires"] < time.time():
        return True
    if record["host"] != socket.gethostname():
        return False  # cannot see that host's processes: honour the lease
    pid = record["pid"]
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        pass  # exists (another user's process)
    now = _process_start(pid)
    if now is None:
        return False  # no /proc: trust the pid check
    state, started = now
    if state in ("Z", "X"):
        return True  # dead, not yet reaped
    return record.get("start") is not None and record["start"] != started


# --- folder safety --------------------------------------------------------------------


def _unsafe_folder(directory: str) -> str | None:
    """Why ``directory`` cannot hold the store (creating it ``0o700``), or None."""
    me = os.geteuid()
    if not os.path.isdir(directory):
        os.makedirs(directory, mode=0o700, exist_ok=True)
        os.chmod(directory, 0o700)
    info = os.stat(directory)
    if info.st_uid != me:
        return f"the folder is owned by another user (uid {info.st_uid})"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"the folder is writable by others (mode {oct(info.st_mode & 0o777)})"
    for name in ("cache.db", "cache.db-wal", "cache.db-shm"):
        try:
            info = os.stat(os.path.join(directory, name))
        except FileNotFoundError:
            continue
        if info.st_uid != me:
            return f"{name} is owned by another user (uid {info.st_uid})"
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return f"{name} is writable by others"
    path = os.path.realpath(directory)
    while True:
        parent = os.path.dirname(path)
        if parent == path:
            return None
        path = parent
        info = os.stat(path)
        if info.st_uid not in (me, 0):
            return f"{path} is owned by another user (uid {info.st_uid})"
        if info.st_mode & stat.S_IWOTH and not info.st_mode & stat.S_ISVTX:
            return f"{path} is writable by everyone"
