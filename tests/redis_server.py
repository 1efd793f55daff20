"""A throw-away Redis server for tests: Debian's ``redis-server`` on loopback.

Each server gets a free port, its own temporary folder, no persistence
(``--save "" --appendonly no``) and a memory bound with LRU eviction (how the
shared result store is meant to run; see :mod:`dlcore.redis_cache`). It is
stopped (and its folder removed) when the ``with`` block or the test ends.

    from redis_server import redis_server  # the pytest fixture

    def test_something(redis_server):
        store = RedisCache(redis_server.url)

Without ``/usr/bin/redis-server`` the tests are skipped, or fail with a clear
message when ``CI`` is set (CI installs it: see ``.ci/run``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator

import pytest

SERVER = os.environ.get("DLCORE_TEST_REDIS_SERVER", "/usr/bin/redis-server")


def require_server() -> None:
    """Skip the calling test without ``redis-server`` (fail when ``CI`` is set)."""
    if os.path.isfile(SERVER) and os.access(SERVER, os.X_OK):
        return
    missing = (
        f"{SERVER} is missing: install Debian's redis-server "
        "(apt-get install redis-server) to run the shared result store's tests"
    )
    if os.environ.get("CI"):
        pytest.fail(missing, pytrace=False)
    pytest.skip(missing)


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """One ``redis-server`` process; :meth:`start`, :meth:`kill`, :meth:`stop`."""

    def __init__(self, maxmemory: str = "64mb", port: int | None = None) -> None:
        self.maxmemory = maxmemory
        self.port = port or free_port()
        self.folder = tempfile.mkdtemp(prefix="dlcore-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10.0) -> RedisServer:
        """Start the server (on the same port as before) and wait for PING."""
        require_server()
        options = {
            "port": str(self.port),
            "bind": "127.0.0.1",
            "dir": self.folder,
            "save": "",
            "appendonly": "no",
            "maxmemory": self.maxmemory,
            "maxmemory-policy": "allkeys-lru",
            "logfile": os.path.join(self.folder, "redis.log"),
        }
        args = [SERVER, *(part for n, v in options.items() for part in (f"--{n}", v))]
        self.process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited: {self.log()}")
            if self._pong():
                return self
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"redis-server did not answer PING: {self.log()}")

    def _pong(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def log(self) -> str:
        try:
            with open(os.path.join(self.folder, "redis.log")) as handle:
                return handle.read()[-2000:]
        except OSError:
            return ""

    def kill(self) -> None:
        """Kill the server at once (a crash: no shutdown, no goodbye)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        """Stop the server; the folder stays until :meth:`close`."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.kill()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def running(maxmemory: str = "64mb") -> Iterator[RedisServer]:
    """A started server, stopped and removed afterwards."""
    server = RedisServer(maxmemory)
    try:
        yield server.start()
    finally:
        server.close()


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A fresh server per test (64 MB, ``allkeys-lru``)."""
    with running() as server:
        yield server
