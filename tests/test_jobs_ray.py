"""The training service on Ray (issue 17 §1): the job-service behaviours of
``tests/test_jobs.py`` with ``executor="ray"``, on a local Ray instance.

Two :class:`TrainingService` objects stand for two Streamlit replicas: each
has its own result cache (memory, or one disk folder standing in for Redis);
they share only the Ray cluster and its job registry.
"""

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
import ray  # requirements-scale.txt
from redis_server import redis_server

from dlcore import cache, jobs
from dlcore.jobs import DemoConfig, demo_task
from dlcore.redis_cache import RedisCache

__all__ = ["redis_server"]  # the fixture


@pytest.fixture(scope="module", autouse=True)
def local_ray():
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        namespace=f"dlcore-test-{uuid.uuid4().hex[:8]}",
        log_to_driver=False,
    )
    yield
    ray.shutdown()


@pytest.fixture
def replicas():
    """Two services (replicas) with separate memory caches."""
    made = []

    def make(result_cache=None, **kwargs):
        if result_cache is None:  # (an empty ResultCache is falsy)
            result_cache = cache.ResultCache(None)
        svc = jobs.TrainingService(result_cache, executor="ray", **kwargs)
        made.append(svc)
        return svc

    yield make
    for svc in made:
        svc.shutdown()


def _until(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _blocker(svc, owner="blocker", n=6000):
    """A running job that keeps one of the two slots busy (release it to end it)."""
    handle = svc.submit(demo_task, DemoConfig(n=n, seconds_per_epoch=0.01), owner=owner)
    _until(lambda: handle.snapshot().state == jobs.RUNNING)
    return handle


def _drained(svc):
    stats = svc.stats()
    return stats["running"] == 0 and stats["waiting"] == 0 and stats["jobs"] == 0


def test_importing_the_job_service_does_not_import_ray():
    code = "import sys, dlcore.jobs; sys.exit('ray' in sys.modules)"
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0


def test_two_replicas_train_an_identical_config_once(replicas, tmp_path):
    shared = str(tmp_path / "store")  # the shared store (Redis in production)
    a = replicas(cache.ResultCache(shared))
    b = replicas(cache.ResultCache(shared))
    config = DemoConfig(n=6, seconds_per_epoch=0.05)
    first, second = a.submit(demo_task, config), b.submit(demo_task, config)
    assert first._job_id == second._job_id  # b joined a's job
    snap_a, snap_b = first.wait_done(60), second.wait_done(60)
    expected_result = (jobs.DONE, demo_task(DemoConfig(n=6)))
    assert (snap_a.state, snap_a.result) == expected_result
    assert (snap_b.state, snap_b.result) == expected_result
    expected = [e["epoch"] for e in _events(DemoConfig(n=6))]
    assert [e["epoch"] for e in snap_a.events] == expected
    assert [e["epoch"] for e in snap_b.events] == expected
    assert a.stats()["completed"] == 1
    first.release()
    second.release()
    _until(lambda: _drained(a))  # the registry forgot the finished job
    third = replicas(cache.ResultCache(shared))  # a replica asking later
    later = third.submit(demo_task, config)
    assert later.snapshot().from_cache and later.snapshot().result == 12
    assert a.stats()["completed"] == 1


def _events(config):
    seen = []
    demo_task(config, on_progress=seen.append)
    return seen


def test_a_replica_asking_right_after_the_end_gets_the_result(replicas):
    """Before the first viewer released the job (its result may not be in a
    shared store yet), another replica joins the finished job: no retraining."""
    a, b = replicas(), replicas()  # separate memory caches: nothing shared
    config = DemoConfig(n=3, seconds_per_epoch=0.01)
    first = a.submit(demo_task, config)
    assert first.wait_done(30).result == 6
    completed = a.stats()["completed"]
    second = b.submit(demo_task, config)
    assert second._job_id == first._job_id
    snap = second.snapshot()
    assert (snap.state, snap.result, len(snap.events)) == (jobs.DONE, 6, 3)
    assert b.stats()["completed"] == completed
    forced = b.submit(demo_task, config, force=True)  # force: a new training
    assert forced._job_id != first._job_id and forced.wait_done(30).result == 6
    for handle in (first, second, forced):
        handle.release()
    _until(lambda: _drained(a))


def test_a_replica_joining_late_sees_the_progress_so_far(replicas):
    a, b = replicas(), replicas()
    config = DemoConfig(n=40, seconds_per_epoch=0.02)
    first = a.submit(demo_task, config)
    _until(lambda: len(first.snapshot().events) >= 5)
    second = b.submit(demo_task, config)
    assert len(second.snapshot().events) >= 5  # from the job's start
    assert [e["epoch"] for e in second.wait_done(60).events] == list(range(1, 41))
    assert b.lookup(demo_task, config) == 80  # the viewer filled its own cache
    first.release()
    second.release()


def test_releasing_the_last_viewer_cancels_the_job(replicas):
    svc = replicas()
    running = [_blocker(svc, owner=f"o{i}", n=6000 + i) for i in range(2)]
    waiting = svc.submit(demo_task, DemoConfig(n=3))
    assert waiting.snapshot().ahead == 1  # both slots busy
    waiting.release()
    assert waiting.snapshot().state == jobs.CANCELLED
    for handle in running:
        handle.release()
        snap = handle.wait_done(10)
        assert snap.state == jobs.CANCELLED and len(snap.events) < 6000
    assert svc.lookup(demo_task, DemoConfig(n=6000, seconds_per_epoch=0.01)) is None
    _until(lambda: _drained(svc))


def test_a_job_watched_by_two_replicas_survives_one_leaving(replicas):
    a, b = replicas(), replicas()
    config = DemoConfig(n=10, seconds_per_epoch=0.02)
    first, second = a.submit(demo_task, config), b.submit(demo_task, config)
    first.release()
    assert second.wait_done(30).state == jobs.DONE
    second.release()


def test_failures_are_reported_not_raised(replicas):
    svc = replicas()
    handle = svc.submit(demo_task, DemoConfig(fail=True))
    snap = handle.wait_done(30)
    assert snap.state == jobs.FAILED and "demo failure" in snap.error
    assert svc.lookup(demo_task, DemoConfig(fail=True)) is None
    handle.release()


def test_the_queue_is_round_robin_between_owners_across_replicas(replicas):
    a, b = replicas(), replicas()
    hold = [_blocker(a, owner=f"hold{i}", n=6000 + i) for i in range(2)]
    mine = [a.submit(demo_task, DemoConfig(n=k), owner="busy") for k in (1, 2, 3)]
    theirs = b.submit(demo_task, DemoConfig(n=9), owner="normal")
    assert [h.snapshot().ahead for h in (*mine, theirs)] == [1, 3, 4, 2]
    hold[0].release()  # one slot: the queue runs one job at a time, in order
    for handle in (*mine, theirs):
        assert handle.wait_done(60).state == jobs.DONE
    by_end = sorted((*mine, theirs), key=lambda handle: handle.ended)
    assert [h.snapshot().result // 2 for h in by_end] == [1, 9, 2, 3]
    for handle in (*hold, *mine, theirs):
        handle.release()
    _until(lambda: _drained(a))


def test_idle_only_jobs_wait_for_an_idle_cluster(replicas):
    svc = replicas()
    blocker = _blocker(svc)
    idle = svc.submit(demo_task, DemoConfig(n=7), owner="heavy", idle_only=True)
    time.sleep(0.3)
    snap = idle.snapshot()  # a slot is free, but the cluster is not idle
    assert snap.state == jobs.WAITING and snap.idle_only and snap.ahead == 0
    blocker.release()
    assert idle.wait_done(30).result == 14
    idle.release()


def test_a_killed_worker_is_retried_once_from_a_clean_slate(replicas):
    svc = replicas()
    config = DemoConfig(n=60, seconds_per_epoch=0.03)
    handle = svc.submit(demo_task, config)
    _until(lambda: len(handle.snapshot().events) >= 5)
    first_pid = handle.worker_pid
    os.kill(first_pid, signal.SIGKILL)  # the OOM killer, say
    _until(lambda: handle.snapshot().restarted)
    snap = handle.wait_done(60)
    assert (snap.state, snap.result) == (jobs.DONE, 120)
    assert snap.restarted and handle.worker_pid != first_pid
    assert [e["epoch"] for e in snap.events] == list(range(1, 61))  # new try only
    assert svc.stats()["restarts"] >= 1
    handle.release()


def test_a_second_death_ends_the_job_with_an_error(replicas):
    svc = replicas()
    config = DemoConfig(n=3000, seconds_per_epoch=0.01)
    handle = svc.submit(demo_task, config)
    _until(lambda: len(handle.snapshot().events) >= 3)
    os.kill(handle.worker_pid, signal.SIGKILL)
    _until(lambda: handle.snapshot().restarted and len(handle.snapshot().events) >= 3)
    os.kill(handle.worker_pid, signal.SIGKILL)
    snap = handle.wait_done(30)
    assert snap.state == jobs.FAILED and "stopped unexpectedly" in snap.error
    assert snap.result is None and svc.lookup(demo_task, config) is None
    handle.release()


def test_a_job_over_the_wall_cap_is_stopped_with_a_clear_error(replicas):
    svc = replicas(max_wall=0.5)
    config = DemoConfig(n=3000, seconds_per_epoch=0.01)
    handle = svc.submit(demo_task, config)
    snap = handle.wait_done(30)
    assert snap.state == jobs.FAILED and snap.timed_out
    assert "wall-time cap" in snap.error and len(snap.events) < 3000
    assert svc.lookup(demo_task, config) is None
    handle.release()


def test_workers_are_replaced_after_max_calls(replicas):
    svc = replicas(tasks_per_worker=1)
    handle = svc.submit(demo_task, DemoConfig(n=2, seconds_per_epoch=0.01))
    assert handle.wait_done(30).result == 4
    pid = handle.worker_pid
    handle.release()

    def gone():
        try:
            with open(f"/proc/{pid}/stat") as stat:
                return stat.read().rsplit(")", 1)[1].split()[0] in "ZX"
        except FileNotFoundError:
            return True

    _until(gone, timeout=30)  # max_calls=1: the worker exits after its task


REPLICA = """
import json, os, sys, threading
from dlcore import cache, jobs

out = {}

def replica():  # Streamlit builds the service in a script thread
    svc = jobs.TrainingService(cache.ResultCache(None), executor="ray")
    handle = svc.submit(jobs.demo_task, jobs.DemoConfig(n=int(sys.argv[1]),
                        seconds_per_epoch=0.02))
    snap = handle.wait_done(120)
    out.update(job=handle._job_id, state=snap.state, result=snap.result,
               epochs=[e["epoch"] for e in snap.events], stats=svc.stats())
    handle.release()

thread = threading.Thread(target=replica)
thread.start()
thread.join()
print(json.dumps(out))
"""


def test_a_replica_in_another_process_joins_through_the_address(replicas):
    """DLCORE_RAY_ADDRESS: a second server process (connected from a thread,
    as Streamlit does) joins the running job instead of training again."""
    import json

    svc = replicas()
    n = 400
    completed = svc.stats()["completed"]
    handle = svc.submit(demo_task, DemoConfig(n=n, seconds_per_epoch=0.02))
    _until(lambda: handle.snapshot().state == jobs.RUNNING)
    context = ray.get_runtime_context()
    env = {
        **os.environ,
        "DLCORE_RAY_ADDRESS": context.gcs_address,
        "DLCORE_RAY_NAMESPACE": context.namespace,
    }
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    child = subprocess.run(
        [sys.executable, "-c", REPLICA, str(n)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    seen = json.loads(child.stdout.strip().splitlines()[-1])
    assert seen["job"] == handle._job_id and seen["state"] == jobs.DONE
    assert seen["result"] == 2 * n and seen["epochs"] == list(range(1, n + 1))
    assert handle.wait_done(30).result == 2 * n
    assert svc.stats()["completed"] == completed + 1  # trained once
    handle.release()


def _page():
    """A page that trains a short demo job (run by AppTest)."""
    from dlcore import jobs
    from ui import training

    training.run_task(
        jobs.demo_task,
        jobs.DemoConfig(n=5, seconds_per_epoch=0.02),
        lang="en",
        key="demo",
        pin=False,
    )


def test_the_training_page_helper_runs_on_ray(replicas, monkeypatch):
    """ui.training.run_task drives a Ray job to its end (progress, release)."""
    from streamlit.testing.v1 import AppTest

    from ui import training

    svc = replicas()
    monkeypatch.setattr(training, "service", lambda: svc)
    at = AppTest.from_function(_page, default_timeout=60).run()
    assert not at.exception
    assert svc.lookup(demo_task, DemoConfig(n=5, seconds_per_epoch=0.02)) == 10
    _until(lambda: _drained(svc))  # the page released its handle


def test_a_lost_registry_ends_the_view_with_an_error_not_a_hang(replicas):
    """(Last in the module: it kills the registry; the next service makes one.)"""
    from dlcore import ray_jobs

    svc = replicas()
    config = DemoConfig(n=3000, seconds_per_epoch=0.01)
    handle = svc.submit(demo_task, config)
    _until(lambda: handle.snapshot().state == jobs.RUNNING)
    ray.kill(ray_jobs.registry(), no_restart=True)
    snap = handle.wait_done(30)
    assert snap.state == jobs.FAILED and "did not answer" in snap.error
    assert svc.lookup(demo_task, config) is None
    handle.release()  # does not raise
    again = replicas()  # a new registry
    fresh = again.submit(demo_task, DemoConfig(n=2))
    assert fresh.wait_done(30).result == 4
    fresh.release()


def test_the_deployment_path_ray_and_redis_trains_once_and_refuses_tampering(
    replicas, redis_server
):
    """What deploy/ runs: replicas on one Ray cluster, results in one Redis."""
    import redis

    a = replicas(RedisCache(redis_server.url))
    b = replicas(RedisCache(redis_server.url))
    before = a.stats()["completed"]  # the cluster's count (earlier tests too)
    config = DemoConfig(n=5, seconds_per_epoch=0.05)
    first, second = a.submit(demo_task, config), b.submit(demo_task, config)
    assert first.wait_done(60).result == second.wait_done(60).result == 10
    assert a.stats()["completed"] == before + 1
    first.release()
    second.release()
    _until(lambda: _drained(a))
    later = replicas(RedisCache(redis_server.url))  # a third replica, later
    snap = later.submit(demo_task, config).snapshot()
    assert snap.from_cache and snap.result == 10
    assert a.stats()["completed"] == before + 1  # trained once across the three
    # an entry changed in Redis is refused, with the reason, and trained again
    key = cache.result_key(jobs.task_name(demo_task), config)
    raw = redis.Redis.from_url(redis_server.url)
    (name,) = [k for k in raw.scan_iter() if k.decode().endswith(key)]
    raw.set(name, b"\x80\x04K\x0c.")  # pickle.dumps(12): not our data format
    fresh = replicas(RedisCache(redis_server.url))
    retrained = fresh.submit(demo_task, config)
    assert not retrained.snapshot().from_cache
    assert "unreadable" in fresh.cache.rejected(key)
    assert retrained.wait_done(60).result == 10
    retrained.release()
