"""The shared Redis result store: data not pickles, bounds, locks, faults.

Every test starts its own ``redis-server`` (tests/redis_server.py) on a free
loopback port and stops it; without the binary they skip (fail under ``CI``).
"""

import logging
import os
import pickle
import signal
import socket
import subprocess
import sys
import threading
import time

import numpy as np
import pandas as pd
import pytest
import redis
from redis_server import RedisServer, redis_server, require_server, running
from test_cache import Evil, assert_same

from dlcore import cache, jobs, store, topics
from dlcore.redis_cache import RedisCache

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
__all__ = ["redis_server"]  # the fixture


def raw(server):
    """A plain client: what another program (or an attacker) could do."""
    return redis.Redis.from_url(server.url)


def _demo_key(config):
    return cache.result_key(
        jobs.task_name(jobs.demo_task), config, topics.task_version(jobs.demo_task)
    )


# --- the interface --------------------------------------------------------------------


def test_results_are_shared_between_clients_as_data(redis_server):
    value = {
        "history": pd.DataFrame(
            {"loss": [0.5, np.nan], "run": pd.array(["a", None], dtype="str")},
            index=pd.RangeIndex(1, 3, name="epoch"),
        ),
        "w": np.arange(6, dtype="f4").reshape(2, 3),
        "n": 3,
    }
    first = RedisCache(redis_server.url, ttl=60)
    second = RedisCache(redis_server.url)
    assert first.status() == {
        "mode": "redis",
        "directory": None,
        "url": redis_server.url,
        "reason": None,
    }
    assert second.get("k") is None
    first.put("k", value)
    assert 0 < raw(redis_server).pttl("dlcore:result:k") <= 60_000
    assert_same(second.get("k"), value)
    assert raw(redis_server).pttl("dlcore:result:k") > 60_000  # read: its TTL
    blob = raw(redis_server).get("dlcore:result:k")
    assert_same(store.decode(blob), value)  # stored in the store's format
    assert not blob.startswith(b"\x80")  # not a pickle
    assert len(first) == len(second) == 1
    second.discard("k")
    first._memory.clear()
    assert first.get("k") is None and len(first) == 0


def test_namespaces_keep_apart_and_locks_are_not_results(redis_server):
    ours = RedisCache(redis_server.url, prefix="a[1]:")
    theirs = RedisCache(redis_server.url, prefix="a*:")
    ours.put("k", 1)
    theirs.put("k", 2)
    theirs.put("j", 3)
    raw(redis_server).set("unrelated", b"keep")
    ours._memory.clear()
    assert ours.get("k") == 1 and len(ours) == 1 and len(theirs) == 2
    with ours.lock("k") as held:
        assert held and len(ours) == 1
        ours.clear()
        assert raw(redis_server).exists("a[1]:lock:k")  # a held lock stays
    assert len(ours) == 0 and len(theirs) == 2
    assert raw(redis_server).get("unrelated") == b"keep"


def test_the_environment_chooses_the_store(redis_server, monkeypatch, tmp_path):
    monkeypatch.setenv("DLCORE_CACHE_URL", redis_server.url)
    monkeypatch.setenv("DLCORE_CACHE_TTL", "30")
    monkeypatch.setenv("DLCORE_CACHE_PREFIX", "class7:")
    shared = cache.from_environment()
    assert isinstance(shared, RedisCache) and shared.status()["mode"] == "redis"
    shared.put("k", 1)
    assert 0 < raw(redis_server).pttl("class7:result:k") <= 30_000
    monkeypatch.setenv("DLCORE_CACHE_TTL", "0")  # no expiry: maxmemory bounds it
    cache.from_environment().put("k", 1)
    assert raw(redis_server).pttl("class7:result:k") == -1
    monkeypatch.delenv("DLCORE_CACHE_URL")
    monkeypatch.setenv("DLCORE_CACHE_DIR", str(tmp_path / "d"))
    assert type(cache.from_environment()) is cache.ResultCache
    assert cache.from_environment().status()["mode"] == "disk"
    monkeypatch.setenv("DLCORE_CACHE_DIR", "none")
    assert cache.from_environment().status() == {
        "mode": "memory",
        "directory": None,
        "reason": None,
    }


def test_the_app_service_uses_the_url(redis_server, monkeypatch):
    from ui import training

    monkeypatch.setenv("DLCORE_CACHE_URL", redis_server.url)
    monkeypatch.setenv("DLCORE_EXECUTOR", "thread")
    training.service.clear()
    svc = training.service()
    try:
        assert isinstance(svc.cache, RedisCache)
        assert training.service_stats()["store"]["mode"] == "redis"
    finally:
        svc.shutdown()
        training.service.clear()


def test_a_password_never_shows():
    offline = RedisCache("redis://user:s3cret@127.0.0.1:1/0", connect_timeout=0.2)
    status = offline.status()
    assert "s3cret" not in repr(status) and "user:***@127.0.0.1:1" in status["url"]
    assert RedisCache("redis://[::1/0").status()["mode"] == "memory"


# --- tampered and foreign entries -----------------------------------------------------


def _tampered(marker):
    good = store.encode({"w": np.ones(1000)})
    return {
        "garbage": b"\x00not a result at all",
        "pickle": pickle.dumps(Evil(marker)),
        "truncated": good[: len(good) // 2],
        "foreign-hash": None,  # a hash where a result should be
    }


@pytest.mark.parametrize("kind", list(_tampered("unused")))
def test_a_tampered_entry_is_refused_with_a_message(redis_server, tmp_path, kind):
    marker = tmp_path / "pwned"
    config = jobs.DemoConfig(n=4)
    key = _demo_key(config)
    name = f"dlcore:result:{key}"
    client = raw(redis_server)
    if kind == "foreign-hash":
        client.hset(name, "field", "value")
    else:
        client.set(name, _tampered(marker)[kind])
    results = RedisCache(redis_server.url)
    service = jobs.TrainingService(results, executor="thread")
    try:
        assert service.lookup(jobs.demo_task, config) is None
    finally:
        service.shutdown()
    reason = results.rejected(key)
    assert reason is not None
    assert ("not a stored result" if kind == "foreign-hash" else "unreadable") in (
        reason
    )
    assert not client.exists(name)  # deleted: the next visitor retrains
    assert not marker.exists()  # nothing was unpickled
    assert results.status()["mode"] == "redis"
    results.put(key, 7)  # retrained
    assert results.rejected(key) is None
    assert RedisCache(redis_server.url).get(key) == 7


# --- bounded --------------------------------------------------------------------------


def test_eviction_under_maxmemory_gives_misses_not_wrong_results(caplog):
    values = {f"k{i}": np.full(12_500, float(i)) for i in range(40)}  # 100 KB each
    with running(maxmemory="2mb") as server:
        writer = RedisCache(server.url, memory_items=1)
        for key, value in values.items():
            writer.put(key, value)
        assert writer.status()["mode"] == "redis"
        reader = RedisCache(server.url, memory_items=1)
        got = {key: reader.get(key) for key in values}
        assert raw(server).info("stats")["evicted_keys"] > 0
    hits = [key for key, value in got.items() if value is not None]
    assert 0 < len(hits) < len(values)  # older entries were evicted
    for key in hits:
        assert_same(got[key], values[key])
    assert "k39" in hits  # the newest stays
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_an_unstorable_value_is_kept_in_memory_only(redis_server, caplog):
    results = RedisCache(redis_server.url)
    results.put("k", 1)
    results.put("k", {1, 2})  # a set: outside the store's value domain
    assert results.get("k") == {1, 2} and "cannot be stored" in caplog.text
    assert not raw(redis_server).exists("dlcore:result:k")  # not the older 1
    assert results.status()["mode"] == "redis"


def test_a_full_server_keeps_one_truth_and_training_succeeds(redis_server):
    config = jobs.DemoConfig(n=3)
    key = _demo_key(config)
    results = RedisCache(redis_server.url)
    results.put(key, 999)  # an older answer
    raw(redis_server).config_set("maxmemory-policy", "noeviction")
    raw(redis_server).config_set("maxmemory", "1")  # every write is refused
    service = jobs.TrainingService(results, executor="thread")
    try:
        handle = service.submit(jobs.demo_task, config, force=True)
        snapshot = handle.wait_done(10)
        assert snapshot.state == jobs.DONE and snapshot.result == 6
        assert service.lookup(jobs.demo_task, config) == 6  # the memory copy
        handle.release()
    finally:
        service.shutdown()
    status = results.status()
    assert status["mode"] == "memory" and "full" in status["reason"], status
    assert "OOM" in status["reason"]
    assert not raw(redis_server).exists(f"dlcore:result:{key}")  # no stale answer


# --- down or hung ---------------------------------------------------------------------


def _exercise(results):
    """What a page does with the store; returns what it saw and the slowest call."""
    seen, slowest = {}, 0.0

    def timed(name, call):
        nonlocal slowest
        start = time.monotonic()
        seen[name] = call()
        slowest = max(slowest, time.monotonic() - start)

    timed("old", lambda: results.get("old"))
    timed("put", lambda: results.put("new", 5))
    timed("new", lambda: results.get("new"))

    def lock():
        with results.lock("x", wait=1) as held:
            return held

    timed("held", lock)
    timed("len", lambda: len(results))
    timed("status", results.status)
    timed("discard", lambda: results.discard("new"))
    timed("clear", results.clear)
    return seen, slowest


def test_no_server_at_start_gives_a_memory_cache_that_recovers():
    server = RedisServer()
    try:
        started = time.monotonic()
        results = RedisCache(server.url, retry_after=0.3)
        seen, slowest = _exercise(results)
        assert time.monotonic() - started < 4.0 and slowest < 0.5  # no connect waits
        assert seen["new"] == 5 and seen["held"] is True and seen["len"] == 1
        assert seen["status"]["mode"] == "memory"
        assert "cannot reach Redis" in seen["status"]["reason"]
        server.start()
        time.sleep(0.35)
        assert results.status()["mode"] == "redis"
        results.put("k", 1)
        assert RedisCache(server.url).get("k") == 1
    finally:
        server.close()


def test_a_server_killed_mid_run_switches_to_memory_and_back(redis_server):
    results = RedisCache(redis_server.url, retry_after=0.5)
    results.put("old", 1)
    results._memory.clear()
    with results.lock("k") as held:
        assert held
        redis_server.kill()  # while a training holds the lock
        start = time.monotonic()
    assert time.monotonic() - start < 0.5  # releasing did not stall or raise
    seen, slowest = _exercise(results)
    assert slowest < 0.5, slowest
    assert seen["old"] is None  # a miss: the page trains
    assert seen["new"] == 5 and seen["held"] is True
    assert seen["status"]["mode"] == "memory" and seen["status"]["reason"]
    config = jobs.DemoConfig(n=2)
    service = jobs.TrainingService(results, executor="thread")
    try:
        with service.submit(jobs.demo_task, config) as handle:
            assert handle.wait_done(10).result == 4
    finally:
        service.shutdown()
    redis_server.start()  # an empty server on the same port
    time.sleep(0.55)
    assert results.status()["mode"] == "redis"
    results.put("after", 2)
    assert RedisCache(redis_server.url).get("after") == 2


def test_a_hung_server_does_not_stall_pages():
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        url = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        start = time.monotonic()
        results = RedisCache(url, socket_timeout=1.0, retry_after=60)
        assert 0.9 < time.monotonic() - start < 5.0  # one PING timed out, not 60 s
        seen, slowest = _exercise(results)
    assert slowest < 0.5, slowest  # nobody waits for it again
    assert seen["status"]["mode"] == "memory"
    assert "Timeout" in seen["status"]["reason"]


# --- train once across processes ------------------------------------------------------

RACER = """
import os, sys, time
sys.path.insert(0, {root!r})
from dlcore.redis_cache import RedisCache
results = RedisCache({url!r})
print("ready", flush=True)
sys.stdin.readline()
with results.lock("k", wait=20) as held:
    if results.get("k") is None:
        print("trained", flush=True)
        time.sleep(0.5)
        results.put("k", os.getpid())
print("value", results.get("k"), held, flush=True)
"""


def test_two_processes_racing_on_one_key_train_once(redis_server):
    code = RACER.format(root=ROOT, url=redis_server.url)
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for racer in racers:
            assert racer.stdout.readline().strip() == "ready"
        for racer in racers:  # go
            racer.stdin.write("\n")
            racer.stdin.flush()
        outputs = [racer.communicate(timeout=30)[0].split() for racer in racers]
    finally:
        for racer in racers:
            racer.kill()
            racer.wait()
    trainers = [
        r.pid for r, out in zip(racers, outputs, strict=True) if "trained" in out
    ]
    assert len(trainers) == 1, outputs
    for out in outputs:
        assert out[-3:] == ["value", str(trainers[0]), "True"], outputs


HOLDER = """
import sys
sys.path.insert(0, {root!r})
from dlcore.redis_cache import RedisCache
with RedisCache({url!r}, lock_lease=1.0).lock("k") as held:
    print("held" if held else "not held", flush=True)
    sys.stdin.readline()
print("released", flush=True)
"""


def test_a_holder_that_stops_renewing_loses_the_lock_after_its_lease(redis_server):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER.format(root=ROOT, url=redis_server.url)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    other = RedisCache(redis_server.url, lock_lease=1.0)
    try:
        assert holder.stdout.readline().strip() == "held"
        start = time.monotonic()
        with other.lock("k", wait=2.2) as held:
            assert not held  # over two leases long: a live owner renews
        assert time.monotonic() - start > 2.0
        holder.send_signal(signal.SIGSTOP)  # hangs: stops renewing
        start = time.monotonic()
        with other.lock("k", wait=10) as held:
            assert held
            assert time.monotonic() - start < 5.0  # a lease or so, not the wait
            token = raw(redis_server).get("dlcore:lock:k")
            holder.send_signal(signal.SIGCONT)
            holder.stdin.write("\n")  # the old owner leaves its block
            holder.stdin.flush()
            assert holder.stdout.readline().strip() == "released"
            assert raw(redis_server).get("dlcore:lock:k") == token  # still ours
        assert not raw(redis_server).exists("dlcore:lock:k")
    finally:
        holder.send_signal(signal.SIGCONT)
        holder.kill()
        holder.wait()


def test_two_clients_never_hold_a_lock_together(redis_server):
    clients = [RedisCache(redis_server.url), RedisCache(redis_server.url)]
    inside, most, errors = [0], [0], []
    guard = threading.Lock()

    def work(i):
        for _ in range(10):
            with clients[i % 2].lock("k", wait=30) as held:
                if not held:
                    errors.append("not held")
                with guard:
                    inside[0] += 1
                    most[0] = max(most[0], inside[0])
                time.sleep(0.002)
                with guard:
                    inside[0] -= 1

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1 and not errors


def test_a_lock_wait_times_out_into_false(redis_server):
    raw(redis_server).set("dlcore:lock:k", "someone else", px=60_000)
    results = RedisCache(redis_server.url)
    start = time.monotonic()
    with results.lock("k", wait=0.3) as held:
        assert not held
    assert 0.15 < time.monotonic() - start < 5.0  # not the 60 s lock


# --- the test server helper -----------------------------------------------------------


def test_a_missing_server_skips_or_fails_under_ci(monkeypatch):
    import redis_server as helper

    monkeypatch.setattr(helper, "SERVER", "/nonexistent/redis-server")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="install Debian's redis-server"):
        require_server()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="/nonexistent/redis-server is"):
        require_server()


def test_a_url_without_the_redis_client_keeps_results_in_memory(monkeypatch):
    monkeypatch.setitem(sys.modules, "dlcore.redis_cache", None)  # not installed
    results = cache.open_cache("redis://127.0.0.1:1/0")
    results.put("k", 1)
    status = results.status()
    assert results.get("k") == 1 and status["mode"] == "memory"
    assert "requirements-scale.txt" in status["reason"]
