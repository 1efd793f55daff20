"""The shared result store: a memory LRU in front of Redis.

One server keeps results on its own disk (:class:`dlcore.cache.ResultCache`).
Several servers (replicas behind a load balancer, Ray workers on other
machines) share them through Redis instead: ``DLCORE_CACHE_URL=redis://
host:port/db`` (see :func:`dlcore.cache.from_environment`). :class:`RedisCache`
has the same interface and guarantees as the disk store, through the `redis
<https://redis.readthedocs.io/>`_ client (no protocol code of ours):

* **Data, never pickles.** A value is stored as one :mod:`dlcore.store` blob
  (``.npz`` with a JSON manifest) and checked by :func:`dlcore.store.decode`
  on every read. A tampered or foreign entry (garbage, a pickle, a truncated
  blob, a hash or list under our name) is refused, deleted (the caller
  retrains) and :meth:`RedisCache.rejected` says why; nothing is unpickled.
* **Namespaced.** Keys are ``<prefix>result:<key>`` and ``<prefix>lock:<key>``
  (prefix ``dlcore:`` by default), so a Redis shared with other programs or
  other deployments keeps them apart; :meth:`RedisCache.clear` and ``len``
  touch only this namespace's results.
* **Bounded.** Every entry expires ``ttl`` seconds after its last read or
  write (default 7 days). Run the server with a memory bound and LRU
  eviction, ``maxmemory <bytes>`` and ``maxmemory-policy allkeys-lru`` (the
  deployment and the tests do): an evicted entry is a miss, and the result is
  trained again.
* **Train once, across servers.** :meth:`RedisCache.lock` takes a redis-py
  :class:`redis.lock.Lock` (``SET NX PX`` with a random token) whose lease
  (``lock_lease`` seconds, default 10) the owner renews from a daemon thread.
  An owner that died or hangs stops renewing and loses the lock when the
  lease runs out; releasing deletes only its own token. (Under memory
  pressure Redis may evict a lock too: the config is then trained twice,
  never answered wrongly.)
* **Never takes a page down.** A server that cannot be reached (at start or
  mid-run), answers too slowly (``socket_timeout``) or refuses a write
  (``OOM``: full) switches the cache to memory only; :meth:`RedisCache.status`
  says ``mode: "memory"`` with the reason, pages train without sharing, no
  exception reaches the caller; a failed write deletes the older entry (no
  stale answer for the other servers). It tries again after ``retry_after``
  seconds (one thread probes, the others do not wait) and says ``"redis"``
  once the server answers. Commands are not retried, so a server that is
  gone costs nothing (connection refused) and one that hangs costs one caller
  at most ``socket_timeout`` (or ``connect_timeout``) per ``retry_after``.

Without a server the cache works in memory only and says why:

>>> from dlcore.redis_cache import RedisCache
>>> offline = RedisCache("redis://127.0.0.1:1/0", connect_timeout=0.2)
>>> offline.put("k", 3); offline.get("k"), offline.status()["mode"]
(3, 'memory')
>>> "cannot reach" in offline.status()["reason"]
True
"""

from __future__ import annotations

import logging
import math
import threading
import time
import urllib.parse
import uuid
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.exceptions import (
    LockError,
    LockNotOwnedError,
    OutOfMemoryError,
    RedisError,
    ResponseError,
)
from redis.retry import Retry

from dlcore import store
from dlcore.cache import ResultCache

#: Seconds an entry lives after its last read or write (``DLCORE_CACHE_TTL``).
DEFAULT_TTL = 7 * 24 * 3600.0
#: Key namespace (``DLCORE_CACHE_PREFIX``).
DEFAULT_PREFIX = "dlcore:"

logger = logging.getLogger("dlcore.cache")

_POLL = 0.1  # seconds between lock attempts
_SCAN_BATCH = 500


class RedisCache(ResultCache):
    """Memory LRU (``memory_items`` entries) over a Redis server.

    Args:
        url: ``redis://[user:password@]host:port/db`` (or ``rediss://``,
            ``unix://``), as :meth:`redis.Redis.from_url` reads it.
        prefix: Namespace of this cache's keys.
        ttl: Seconds an entry lives after its last read or write; ``0`` or
            ``None``: until Redis evicts it.
        memory_items: Entries kept in this process's memory.
        lock_lease: Seconds a lock stays valid unless its owner renews it.
        socket_timeout: Seconds one reply may take before the server counts
            as down.
        connect_timeout: Seconds connecting may take.
        retry_after: Seconds before a down server is tried again.
    """

    def __init__(
        self,
        url: str,
        *,
        prefix: str = DEFAULT_PREFIX,
        ttl: float | None = DEFAULT_TTL,
        memory_items: int = 64,
        lock_lease: float = 10.0,
        socket_timeout: float = 1.0,
        connect_timeout: float = 0.5,
        retry_after: float = 10.0,
    ) -> None:
        super().__init__(None, memory_items=memory_items, lock_lease=lock_lease)
        self.url = _redacted(url)
        self.prefix = str(prefix)
        forever = not ttl or ttl <= 0 or not math.isfinite(ttl)
        self._ttl_ms = None if forever else max(1, int(ttl * 1000))
        self._retry_after = float(retry_after)
        self._down_until = 0.0  # time.monotonic() before which nobody retries
        self._refusing = False  # down because the server refused (full)
        self._last_ok = 0.0  # time.monotonic() of the last answer
        self._probing = threading.Lock()
        self._client: redis.Redis | None = None
        try:
            self._client = redis.Redis.from_url(
                url,
                socket_timeout=socket_timeout,
                socket_connect_timeout=connect_timeout,
                retry=Retry(NoBackoff(), 0),  # a page must not wait for retries
                decode_responses=False,
            )
        except (ValueError, TypeError, RedisError) as exc:
            self._reason = f"bad store URL {self.url}: {exc}"
            logger.error("result cache in memory only: bad URL: %s", exc)
            return
        self._reason = "not connected yet"
        self._probe()

    # --- the ResultCache interface ---------------------------------------------------

    def status(self) -> dict[str, Any]:
        """``{"mode": "redis" | "memory", "url": ..., "reason": ...}``.

        Pings the server when it was last heard from over ``retry_after``
        seconds ago, so a server that went away shows here too.
        """
        if self._client is not None:
            if self._reason is None:
                if time.monotonic() - self._last_ok > self._retry_after:
                    self._probe()
            else:
                self._up()
        with self._lock:
            reason = self._reason
        return {
            "mode": "redis" if reason is None else "memory",
            "directory": None,
            "url": self.url,
            "reason": reason,
        }

    def get(self, key: str) -> Any | None:
        """The cached value, or ``None`` (a miss when the server is down)."""
        with self._lock:
            if key in self._memory:
                self._memory.move_to_end(key)
                return self._memory[key]
        client = self._up()
        if client is None:
            return None
        name = self._name("result", key)
        try:
            if self._ttl_ms is None:
                blob = client.get(name)
            else:
                blob = client.getex(name, px=self._ttl_ms)  # refreshes the TTL
        except ResponseError as exc:
            if str(exc).startswith("WRONGTYPE"):
                self._reject(client, key, f"not a stored result: {exc}")
            else:
                self._fault(exc)
            return None
        except RedisError as exc:
            self._fault(exc)
            return None
        self._answered()
        return self._decoded(client, key, blob)

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` in memory and in Redis (a failed write only logs)."""
        self._remember(key, value)
        with self._lock:
            self._rejected.pop(key, None)
        client = self._up()
        if client is None:
            if self._refusing and self._client is not None:
                self._delete(self._client, key)  # full: no stale answer stays
            return
        try:
            blob = store.encode(value)
        except TypeError:
            logger.exception("result %s cannot be stored in Redis", key)
            self._delete(client, key)
            return
        try:
            client.set(self._name("result", key), blob, px=self._ttl_ms)
        except RedisError as exc:
            self._delete(client, key)  # no stale answer for other servers
            self._fault(exc)
            return
        self._answered()

    def discard(self, key: str) -> None:
        with self._lock:
            self._memory.pop(key, None)
        client = self._up()
        if client is not None:
            self._delete(client, key)

    def __len__(self) -> int:
        client = self._up()
        if client is not None:
            try:
                return sum(1 for _ in self._results(client))
            except RedisError as exc:
                self._fault(exc)
        with self._lock:
            return len(self._memory)

    def clear(self) -> None:
        """Forget every result of this namespace (held locks stay)."""
        with self._lock:
            self._memory.clear()
            self._rejected.clear()
        client = self._up()
        if client is None:
            return
        try:
            batch: list[bytes] = []
            for name in self._results(client):
                batch.append(name)
                if len(batch) >= _SCAN_BATCH:
                    client.unlink(*batch)
                    batch.clear()
            if batch:
                client.unlink(*batch)
        except RedisError as exc:
            self._fault(exc)

    # --- internals -------------------------------------------------------------------

    def _name(self, kind: str, key: str) -> str:
        return f"{self.prefix}{kind}:{key}"

    def _results(self, client: redis.Redis):
        pattern = _glob_escape(self.prefix) + "result:*"
        return client.scan_iter(match=pattern, count=_SCAN_BATCH)

    def _up(self) -> redis.Redis | None:
        """The client while the server is up; after a fault, ``None`` until
        ``retry_after`` passed and one caller's PING was answered."""
        client = self._client
        if client is None:
            return None
        with self._lock:
            if self._reason is None:
                return client
            if time.monotonic() < self._down_until:
                return None
        return client if self._probe() else None

    def _probe(self) -> bool:
        """PING the server (one thread at a time; the others see it down)."""
        if self._client is None or not self._probing.acquire(blocking=False):
            return False
        try:
            self._client.ping()
        except RedisError as exc:
            self._fault(exc)
            return False
        finally:
            self._probing.release()
        with self._lock:
            was, self._reason = self._reason, None
            self._last_ok = time.monotonic()
        if was is not None:
            logger.info("result store %s answers: sharing results", self.url)
        return True

    def _answered(self) -> None:
        self._last_ok = time.monotonic()

    def _fault(self, exc: BaseException) -> None:
        """Keep results in memory only for ``retry_after`` seconds."""
        text = str(exc)
        if isinstance(exc, OutOfMemoryError):
            reason = f"Redis {self.url} is full (OOM): {text}"
        elif isinstance(exc, ResponseError):
            reason = f"Redis {self.url} refused: {text}"
        else:
            reason = f"cannot reach Redis {self.url}: {type(exc).__name__}: {text}"
        with self._lock:
            was, self._reason = self._reason, reason
            self._refusing = isinstance(exc, ResponseError)
            self._down_until = time.monotonic() + self._retry_after
        if was is None or was == "not connected yet":
            logger.error("result cache in memory only: %s", reason)

    def _delete(self, client: redis.Redis, key: str) -> None:
        try:
            client.delete(self._name("result", key))
        except RedisError as exc:  # down: the entry expires or is retried
            logger.warning("could not delete %s from Redis: %s", key, exc)

    def _acquire(self, key: str, deadline: float) -> _RedisLease | bool | None:
        """A lease on ``key``: ``False`` after the deadline, ``None`` when the
        server is down (the thread lock then suffices)."""
        client = self._up()
        if client is None:
            return None
        lock = client.lock(
            self._name("lock", key),
            timeout=self._lease,
            sleep=_POLL,
            blocking_timeout=max(0.0, deadline - time.monotonic()),
            thread_local=False,
        )
        try:
            if not lock.acquire(token=uuid.uuid4().hex):
                logger.warning("gave up waiting for the lock on %s", key)
                return False
        except RedisError as exc:
            self._fault(exc)
            return None
        self._answered()
        return _RedisLease(self, lock)


class _RedisLease:
    """A held Redis lock, renewed by a daemon thread until released."""

    def __init__(self, cache: RedisCache, lock: redis.lock.Lock) -> None:
        self.cache, self.lock = cache, lock
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=self._renew, name=f"lease-{lock.name[-16:]}", daemon=True
        )
        self.thread.start()

    def _renew(self) -> None:
        while not self.stop.wait(self.cache._lease / 3):
            if self.cache._reason is not None:
                continue  # the store is down: the thread lock is what is left
            try:
                self.lock.reacquire()
            except LockNotOwnedError:
                logger.warning("lost the lock %s (its lease ran out)", self.lock.name)
                return
            except LockError as exc:  # not ours any more
                logger.warning("renewing the lock %s failed: %s", self.lock.name, exc)
                return
            except RedisError as exc:  # the server: keep trying, it may recover
                logger.warning("renewing the lock %s failed: %s", self.lock.name, exc)
                self.cache._fault(exc)

    def release(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        try:
            self.lock.release()  # deletes only our own token
        except LockNotOwnedError:
            logger.warning("the lock %s had passed to another owner", self.lock.name)
        except (LockError, RedisError) as exc:  # an unreleased lease expires
            logger.warning("releasing the lock %s failed: %s", self.lock.name, exc)


def _glob_escape(text: str) -> str:
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)


def _redacted(url: str) -> str:
    """``url`` without its password (it is shown on pages and in logs)."""
    try:
        parts = urllib.parse.urlsplit(url)
        if parts.password is None:
            return url
        user = parts.username or ""
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        return parts._replace(netloc=f"{user}:***@{host}{port}").geturl()
    except ValueError:
        return "<unreadable URL>"
