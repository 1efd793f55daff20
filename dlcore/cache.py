"""The shared result cache: a memory LRU in front of a disk store.

Why not ``st.cache_data``? The core must not import Streamlit, results must be
readable by the training worker processes and by notebooks, must survive a
server restart, must be shareable by several server processes on one machine,
and must stay within a size bound. ``st.cache_data(persist="disk")`` ignores
``ttl``/size limits and is private to one process. `diskcache
<https://grantjenks.com/docs/diskcache/>`_ (SQLite + files) is thread- and
process-safe, evicts least-recently-used entries beyond a byte limit, and
offers a cross-process lock — exactly the missing pieces — so it is used here.

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
"""

from __future__ import annotations

import collections
import dataclasses
import hashlib
import json
import os
import threading
from typing import Any

import diskcache

#: Default location of the disk store; override with ``DLCORE_CACHE_DIR``.
DEFAULT_DIR = os.path.join(os.path.expanduser("~"), ".cache", "dl-dashboard", "results")


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


class ResultCache:
    """Memory LRU (``memory_items`` entries) over a bounded disk store.

    Args:
        directory: Disk store folder; ``None`` keeps results in memory only.
        memory_items: Entries kept in memory (most recently used).
        disk_bytes: Size limit of the disk store; least recently used
            entries are evicted beyond it.
    """

    def __init__(
        self,
        directory: str | None = DEFAULT_DIR,
        *,
        memory_items: int = 64,
        disk_bytes: int = 512 * 2**20,
    ) -> None:
        self._memory: collections.OrderedDict[str, Any] = collections.OrderedDict()
        self._memory_items = memory_items
        self._lock = threading.Lock()
        self.disk = (
            diskcache.Cache(
                directory,
                size_limit=disk_bytes,
                eviction_policy="least-recently-used",
                timeout=30,
            )
            if directory
            else None
        )

    def get(self, key: str) -> Any | None:
        """The cached value, or ``None``."""
        with self._lock:
            if key in self._memory:
                self._memory.move_to_end(key)
                return self._memory[key]
        if self.disk is None:
            return None
        value = self.disk.get(key)
        if value is not None:
            self._remember(key, value)
        return value

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` in memory and on disk."""
        self._remember(key, value)
        if self.disk is not None:
            self.disk.set(key, value)

    def discard(self, key: str) -> None:
        with self._lock:
            self._memory.pop(key, None)
        if self.disk is not None:
            self.disk.delete(key)

    def lock(self, key: str) -> Any:
        """A cross-process lock for ``key`` (a no-op lock without a disk store)."""
        if self.disk is None:
            return threading.Lock()
        return diskcache.Lock(self.disk, f"lock:{key}", expire=900)

    def __len__(self) -> int:
        if self.disk is not None:
            return sum(
                1 for k in self.disk.iterkeys() if not str(k).startswith("lock:")
            )
        with self._lock:
            return len(self._memory)

    def clear(self) -> None:
        with self._lock:
            self._memory.clear()
        if self.disk is not None:
            self.disk.clear()

    def _remember(self, key: str, value: Any) -> None:
        with self._lock:
            self._memory[key] = value
            self._memory.move_to_end(key)
            while len(self._memory) > self._memory_items:
                self._memory.popitem(last=False)
