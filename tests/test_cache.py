"""The result cache and its codec: data not pickles, faults, folder safety, locks."""

import dataclasses
import errno
import json
import os
import pickle
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

import diskcache
import numpy as np
import pandas as pd
import pytest

from dlcore import cache, jobs, store, topics
from dlcore.cache import ResultCache

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def assert_same(got, want, path="value"):
    """``got`` equals ``want`` exactly, with the same types all the way down."""
    assert type(got) is type(want), (path, type(got), type(want))
    if isinstance(want, pd.DataFrame):
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    elif isinstance(want, np.ndarray):
        assert got.dtype == want.dtype and got.shape == want.shape, path
        np.testing.assert_array_equal(got, want, err_msg=path)
    elif isinstance(want, np.generic):
        assert got.dtype == want.dtype, path
        assert got == want or (np.isnan(got) and np.isnan(want)), path
    elif dataclasses.is_dataclass(want):
        for field in dataclasses.fields(want):
            name = field.name
            assert_same(getattr(got, name), getattr(want, name), f"{path}.{name}")
    elif isinstance(want, dict):
        assert list(got) == list(want), path
        for key in want:
            assert_same(got[key], want[key], f"{path}[{key!r}]")
    elif isinstance(want, (list, tuple)):
        assert len(got) == len(want), path
        for i, (a, b) in enumerate(zip(got, want, strict=True)):
            assert_same(a, b, f"{path}[{i}]")
    elif isinstance(want, float) and want != want:
        assert got != got, path
    else:
        assert got == want, path


# --- the codec ------------------------------------------------------------------------


@pytest.mark.slow
def test_every_task_result_round_trips_through_a_restart(tmp_path):
    first = ResultCache(str(tmp_path))
    results = {}
    for task in topics.all_tasks():
        config = topics.resolve(task.smoke) if task.smoke else task.default_config()
        results[task.name] = task.train_fn(config)
        assert_same(store.decode(store.encode(results[task.name])), results[task.name])
        first.put(task.name, results[task.name])
    after_restart = ResultCache(str(tmp_path))
    assert after_restart.status()["mode"] == "disk"
    for name, result in results.items():
        assert_same(after_restart.get(name), result, name)


@dataclasses.dataclass
class Extra:
    frame: pd.DataFrame
    items: tuple = ()


store.register(Extra)


def test_the_value_domain_round_trips_exactly():
    frame = pd.DataFrame(
        {
            "loss": [0.5, np.nan, np.inf],
            "n": np.array([1, 2, 3], dtype=np.int32),
            "ok": [True, False, True],
            "run": pd.array(["a", None, "c"], dtype="str"),
            "obj": np.array(["x", "y", "z"], dtype=object),
        },
        index=pd.Index([3, 1, 2], name="epoch"),
    )
    value = {
        "frame": frame,
        "range": pd.DataFrame({"v": [1.0, 2.0]}, index=pd.RangeIndex(1, 3, name="e")),
        "empty": pd.DataFrame(),
        "str_index": pd.DataFrame({"v": [1]}, index=pd.Index(["only"], dtype="str")),
        "arrays": [
            np.arange(6, dtype=">i2").reshape(2, 3),
            np.asfortranarray(np.arange(6.0).reshape(2, 3)),
            np.zeros((0, 4), np.float32),
            np.array([True, False]),
            np.array([2**64 - 1], np.uint64),
        ],
        "scalars": (np.float32(1.5), np.int64(-3), np.bool_(True), np.float64(np.nan)),
        "plain": [None, True, 0, -(2**70), 1e-300, float("-inf"), "", "中文 \x01"],
        "nested": {"a": {"b": ({"c": []},)}},
        "extra": Extra(frame.iloc[:1], (1, "2")),
    }
    assert_same(store.decode(store.encode(value)), value)
    assert store.decode(store.encode(7)) == 7  # what jobs.demo_task returns


@pytest.mark.parametrize(
    "value",
    [
        np.array([object()], dtype=object),
        np.array([1j]),
        np.array(["text"]),
        {1: "int key"},
        {"a", "set"},
        b"bytes",
        pd.Series([1.0]),
        pd.DataFrame({"c": pd.Categorical(["a"])}),
        pd.DataFrame({"mixed": [1, "a"]}),
        pd.DataFrame({"v": [1]}, index=pd.MultiIndex.from_tuples([(1, 2)])),
        dataclasses.make_dataclass("Unregistered", [("x", int)])(1),
        type("IntSubclass", (int,), {})(3),
    ],
    ids=lambda v: type(v).__name__,
)
def test_values_outside_the_domain_are_refused(value):
    with pytest.raises(TypeError):
        store.encode(value)


def test_a_cycle_is_refused():
    loop: list = []
    loop.append(loop)
    with pytest.raises(TypeError, match="deeper"):
        store.encode(loop)


def _npz(**arrays):
    import io

    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _manifest(tree):
    return np.frombuffer(json.dumps(tree).encode(), dtype=np.uint8)


def _compressed(blob):
    import io
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(blob)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
    return out.getvalue()


def _huge_header(blob):
    """The same blob whose array header claims 10**12 elements."""
    import io
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(blob)) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "a0.npy":
                header = io.BytesIO()
                np.lib.format.write_array_header_1_0(
                    header, {"descr": "<f8", "fortran_order": False, "shape": (10**12,)}
                )
                length = int.from_bytes(data[8:10], "little")
                data = header.getvalue() + data[10 + length :]
            target.writestr(info.filename, data)
    return out.getvalue()


def _hostile_blobs():
    good = store.encode({"w": np.ones(3)})
    hostile = {
        "pickle": pickle.dumps({"w": 1}),
        "truncated": good[: len(good) // 2],
        "object array": _npz(
            manifest=_manifest({"format": store.FORMAT, "value": {"$": "array"}}),
            a0=np.array([{"x": 1}], dtype=object),
        ),
        "compressed": _compressed(good),
        "other dataclass": _npz(
            manifest=_manifest(
                {
                    "format": store.FORMAT,
                    "value": {"$": "dataclass", "type": "os:system", "fields": {}},
                }
            )
        ),
        "unknown node": _npz(
            manifest=_manifest({"format": store.FORMAT, "value": {"$": "eval"}})
        ),
        "untagged": _npz(manifest=_manifest({"format": store.FORMAT, "value": [1]})),
        "unreferenced array": _npz(
            manifest=_manifest({"format": store.FORMAT, "value": 1}), a0=np.ones(2)
        ),
        "shape mismatch": _npz(
            manifest=_manifest(
                {
                    "format": store.FORMAT,
                    "value": {"$": "array", "ref": "a0", "dtype": "<f8", "shape": [9]},
                }
            ),
            a0=np.ones(2),
        ),
        "huge header": _huge_header(good),
        "not bytes": "text",
    }
    return hostile


@pytest.mark.parametrize("name", list(_hostile_blobs()))
def test_hostile_blobs_raise_format_error(name):
    with pytest.raises(store.FormatError):
        store.decode(_hostile_blobs()[name])


# --- the disk store never unpickles ---------------------------------------------------


class Evil:
    """Unpickling this creates ``marker`` (what an attacker's payload would do)."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _playground_key():
    task = topics.task_named("playground.mlp")
    return task, cache.result_key(
        jobs.task_name(task.train_fn), task.default_config(), task.version
    )


@pytest.mark.parametrize("size", ["inline", "file"])
def test_a_planted_pickle_is_refused_not_run(tmp_path, size):
    folder, marker = tmp_path / "store", tmp_path / "pwned"
    ResultCache(str(folder))  # the server's folder exists
    task, key = _playground_key()
    payload = Evil(marker) if size == "inline" else [Evil(marker), b"x" * 100_000]
    attacker = diskcache.Cache(str(folder))  # anyone who can write the folder
    attacker.set(key, payload)
    attacker.set(Evil(marker), b"a pickled key")
    attacker.close()
    results = ResultCache(str(folder))
    service = jobs.TrainingService(results, executor="thread")
    try:
        assert service.lookup(task.train_fn, task.default_config()) is None
    finally:
        service.shutdown()
    assert not marker.exists()
    assert "pickled" in results.rejected(key)
    assert len(results) == 0  # counting does not unpickle the planted key
    assert not marker.exists()
    check = diskcache.Cache(str(folder))
    assert key not in check  # the entry is gone
    check.close()
    results.clear()
    assert not marker.exists()


def test_a_row_pointing_outside_the_folder_is_neither_read_nor_deleted(tmp_path):
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me")
    results = ResultCache(str(tmp_path / "store"))
    results.put("k", np.ones(100_000))  # stored in a value file
    results.disk._sql("UPDATE Cache SET filename = ? WHERE key = 'k'", (str(outside),))
    results._memory.clear()
    assert results.get("k") is None and "outside" in results.rejected("k")
    assert outside.read_text() == "keep me"


# --- an unsafe folder is refused ------------------------------------------------------


def test_a_new_folder_is_private(tmp_path):
    folder = tmp_path / "a" / "b"
    results = ResultCache(str(folder))
    assert results.status() == {
        "mode": "disk",
        "directory": str(folder),
        "reason": None,
    }
    assert os.stat(folder).st_mode & 0o777 == 0o700


@pytest.mark.parametrize("mode", [0o770, 0o707])
def test_a_folder_writable_by_others_is_refused(tmp_path, mode, caplog):
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(mode)
    results = ResultCache(str(folder))
    status = results.status()
    assert status["mode"] == "memory" and "writable by others" in status["reason"]
    assert "memory only" in caplog.text
    results.put("k", 1)
    assert results.get("k") == 1
    assert not (folder / "cache.db").exists()


def test_a_database_writable_by_others_is_refused(tmp_path):
    ResultCache(str(tmp_path)).put("k", 1)
    (tmp_path / "cache.db").chmod(0o666)
    assert "cache.db" in ResultCache(str(tmp_path)).status()["reason"]


def test_a_parent_anyone_can_rename_is_refused(tmp_path):
    parent = tmp_path / "open"
    parent.mkdir()
    parent.chmod(0o777)  # no sticky bit: anyone may swap the folder
    status = ResultCache(str(parent / "results")).status()
    assert status["mode"] == "memory" and "writable by everyone" in status["reason"]


@pytest.mark.skipif(os.geteuid() != 0, reason="chown needs root")
def test_a_folder_owned_by_another_user_is_refused(tmp_path):
    folder = tmp_path / "theirs"
    folder.mkdir(mode=0o700)
    os.chown(folder, 12345, 12345)
    status = ResultCache(str(folder)).status()
    assert status["mode"] == "memory" and "another user" in status["reason"]


# --- faults never take a page down ----------------------------------------------------


def _exercise(folder):
    """What a page does with the cache; any exception here would reach a page."""
    results = ResultCache(folder)
    seen = {"status": results.status(), "old": results.get("k")}
    results.put("new", 5)
    seen["new"] = results.get("new")
    with results.lock("x", wait=1) as held:
        seen["held"] = held
    seen["len"] = len(results)
    results.discard("new")
    results.clear()
    return seen


def test_a_read_only_folder_gives_a_memory_cache(tmp_path, monkeypatch):
    folder = tmp_path / "results"
    ResultCache(str(folder)).put("k", 1)
    if os.geteuid() == 0:
        # chmod does not stop root: open the database the way SQLite opens a
        # file in a read-only folder (the same "readonly database" errors).
        connect = sqlite3.connect

        def read_only(path, *args, **kwargs):
            return connect(f"file:{path}?mode=ro", *args, uri=True, **kwargs)

        monkeypatch.setattr(diskcache.core.sqlite3, "connect", read_only)
    for path in folder.rglob("*"):
        path.chmod(0o400 if path.is_file() else 0o500)
    folder.chmod(0o500)
    try:
        seen = _exercise(str(folder))
    finally:
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o700 if path.is_dir() else 0o600)
    assert seen["status"]["mode"] == "memory", seen
    assert "readonly" in seen["status"]["reason"], seen
    assert seen["new"] == 5 and seen["held"] is True and seen["len"] == 1


def test_a_corrupt_database_gives_a_memory_cache(tmp_path):
    ResultCache(str(tmp_path)).put("k", 1)
    (tmp_path / "cache.db").write_bytes(b"this is not a database " * 200)
    for name in ("cache.db-wal", "cache.db-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    results = ResultCache(str(tmp_path))
    status = results.status()
    assert status["mode"] == "memory" and "DatabaseError" in status["reason"]
    assert results.get("k") is None
    results.put("k", 2)
    assert results.get("k") == 2 and len(results) == 1
    with results.lock("k") as held:
        assert held


def test_damage_while_open_switches_to_memory(tmp_path, monkeypatch):
    results = ResultCache(str(tmp_path))
    results.put("a", 1)
    results._memory.clear()

    def damaged(*args, **kwargs):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(results.disk, "get", damaged)
    assert results.get("a") is None  # a miss (the caller retrains), not an error
    assert results.status()["mode"] == "memory"
    assert "malformed" in results.status()["reason"]


def test_a_truncated_value_file_is_discarded_after_a_restart(tmp_path):
    value = {"weights": np.arange(50_000, dtype=np.float64)}
    ResultCache(str(tmp_path)).put("k", value)
    (path,) = [
        os.path.join(d, f) for d, _, fs in os.walk(tmp_path) for f in fs if ".val" in f
    ]
    with open(path, "r+b") as handle:
        handle.truncate(os.path.getsize(path) // 2)
    restarted = ResultCache(str(tmp_path))
    assert restarted.get("k") is None
    assert "unreadable" in restarted.rejected("k")
    assert len(restarted) == 0 and restarted.status()["mode"] == "disk"
    restarted.put("k", value)  # retrained
    assert_same(ResultCache(str(tmp_path)).get("k"), value)


@pytest.mark.parametrize(
    "fault",
    [sqlite3.OperationalError("database or disk is full"), OSError(errno.ENOSPC, "")],
    ids=["sqlite-full", "enospc"],
)
def test_a_full_disk_keeps_one_truth_and_training_succeeds(
    tmp_path, monkeypatch, fault
):
    config = jobs.DemoConfig(n=3)
    key = cache.result_key(
        jobs.task_name(jobs.demo_task), config, topics.task_version(jobs.demo_task)
    )
    other = ResultCache(str(tmp_path))
    other.put(key, 999)  # an older answer another process wrote
    results = ResultCache(str(tmp_path))

    store_value, set_value = diskcache.Disk.store, results.disk.set

    def full_disk(self, value, *args, **kwargs):  # results fail, lock records pass
        if isinstance(value, bytes):
            raise fault
        return store_value(self, value, *args, **kwargs)

    def full_db(key, value, *args, **kwargs):
        if isinstance(value, bytes):
            raise fault
        return set_value(key, value, *args, **kwargs)

    if isinstance(fault, OSError):  # the value write inside diskcache
        monkeypatch.setattr(diskcache.Disk, "store", full_disk)
    else:
        monkeypatch.setattr(results.disk, "set", full_db)
    service = jobs.TrainingService(results, executor="thread")
    try:
        handle = service.submit(jobs.demo_task, config, force=True)
        snapshot = handle.wait_done(10)
        assert snapshot.state == jobs.DONE and snapshot.result == 6
        assert service.lookup(jobs.demo_task, config) == 6  # the memory copy
        handle.release()
    finally:
        service.shutdown()
    assert results.status()["mode"] == "memory"
    assert ("full" in results.status()["reason"]) or (
        "28" in results.status()["reason"]
    )
    other._memory.clear()
    assert other.get(key) is None  # no stale answer for the next visitor


def test_an_unstorable_value_is_kept_in_memory(tmp_path, caplog):
    results = ResultCache(str(tmp_path))
    results.put("k", {1, 2})
    assert results.get("k") == {1, 2} and "cannot be stored" in caplog.text
    assert results.status()["mode"] == "disk"


def test_a_busy_store_is_a_miss_not_an_error(tmp_path, monkeypatch):
    results = ResultCache(str(tmp_path))

    def busy(*args, **kwargs):
        raise diskcache.Timeout("database is locked")

    monkeypatch.setattr(results.disk, "get", busy)
    assert results.get("k") is None and results.status()["mode"] == "disk"


# --- locks ----------------------------------------------------------------------------

HOLDER = """
import sys, time
sys.path.insert(0, {root!r})
from dlcore.cache import ResultCache
with ResultCache({folder!r}).lock("k") as held:
    print("held" if held else "not held", flush=True)
    time.sleep(120)
"""


@pytest.mark.parametrize("reaped", [True, False], ids=["reaped", "zombie"])
def test_a_killed_owner_loses_the_lock_at_once(tmp_path, reaped):
    ResultCache(str(tmp_path))
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER.format(root=ROOT, folder=str(tmp_path))],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "held"
        with ResultCache(str(tmp_path)).lock("k", wait=0.3) as held:
            assert not held  # a live owner keeps it
        os.kill(child.pid, signal.SIGKILL)
        if reaped:
            child.wait()
        else:
            time.sleep(0.2)  # dead, not reaped: a zombie
        start = time.monotonic()
        with ResultCache(str(tmp_path)).lock("k", wait=30) as held:
            assert held
            assert time.monotonic() - start < 5.0  # not the 10 s lease
    finally:
        child.kill()
        child.wait()


def _plant(results, key, **record):
    base = {
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "start": None,
        "token": "theirs",
        "expires": time.time() + 60,
    }
    results.disk.set("lock:" + key, json.dumps({**base, **record}))


def test_a_foreign_hosts_lock_is_honoured_until_its_lease_ends(tmp_path):
    results = ResultCache(str(tmp_path))
    expires = time.time() + 1.5
    _plant(results, "k", host="elsewhere", pid=1, expires=expires)
    with results.lock("k", wait=0.3) as held:
        assert not held
    with results.lock("k", wait=30) as held:
        assert held
        # Taken only once the lease ran out (the oracle is the lease's own
        # wall-clock expiry, not an elapsed-time window a loaded CI core can
        # stretch); a generous bound that it was taken soon after.
        taken = time.time()
        assert expires <= taken < expires + 10


def test_a_dead_or_reused_pid_on_this_host_is_taken_over(tmp_path):
    results = ResultCache(str(tmp_path))
    gone = subprocess.Popen(["true"])
    gone.wait()
    _plant(results, "dead", pid=gone.pid)
    _plant(results, "reused", start=-1)  # our pid, another process's start time
    _plant(results, "alive", start=cache._process_start(os.getpid())[1])
    for key in ("dead", "reused"):
        start = time.monotonic()
        with results.lock(key, wait=5) as held:
            assert held and time.monotonic() - start < 4.0  # lease: 60 s
    with results.lock("alive", wait=0.3) as held:
        assert not held


def test_a_live_owner_keeps_its_lock_past_the_lease_by_renewing(tmp_path):
    owner = ResultCache(str(tmp_path), lock_lease=0.3)
    other = ResultCache(str(tmp_path), lock_lease=0.3)
    inside, leave = threading.Event(), threading.Event()

    def hold():
        with owner.lock("k") as held:
            assert held
            inside.set()
            leave.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    inside.wait(5)
    start = time.monotonic()
    with other.lock("k", wait=1.2) as held:
        assert not held  # three leases long, still renewed
    assert time.monotonic() - start >= 1.1
    leave.set()
    thread.join()
    with other.lock("k", wait=1) as held:
        assert held


def test_release_deletes_only_its_own_record(tmp_path):
    results = ResultCache(str(tmp_path))
    with results.lock("k") as held:
        assert held
        _plant(results, "k", host="elsewhere", token="newer")  # took over meanwhile
    record = json.loads(results.disk.get("lock:k"))
    assert record["token"] == "newer"


def test_waiting_times_out_into_false(tmp_path, monkeypatch):
    results = ResultCache(str(tmp_path))
    _plant(results, "k", host="elsewhere")
    monkeypatch.setenv("DLCORE_LOCK_WAIT", "0.25")
    start = time.monotonic()
    with results.lock("k") as held:
        assert not held
    assert 0.2 < time.monotonic() - start < 5.0  # not the 120 s default
    assert not results.lock("k", wait=0).__enter__()


@pytest.mark.parametrize("disk", [True, False], ids=["disk", "memory"])
def test_two_threads_never_hold_a_lock_together(tmp_path, disk):
    caches = (
        [ResultCache(str(tmp_path)), ResultCache(str(tmp_path))]
        if disk
        else [ResultCache(None)]
    )
    inside, most, errors = [0], [0], []
    guard = threading.Lock()

    def work(i):
        for _ in range(15):
            with caches[i % len(caches)].lock("k", wait=30) as held:
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


def test_a_memory_lock_times_out_into_false():
    results = ResultCache(None)
    entered, leave = threading.Event(), threading.Event()

    def hold():
        with results.lock("k") as held:
            assert held
            entered.set()
            leave.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    entered.wait(5)
    with results.lock("k", wait=0.1) as held:
        assert not held
    leave.set()
    thread.join()
    with results.lock("k", wait=0) as held:
        assert held


def test_locks_are_not_results(tmp_path):
    results = ResultCache(str(tmp_path))
    results.put("a", 1)
    with results.lock("a"):
        assert len(results) == 1
    assert len(results) == 1 and results.get("a") == 1
