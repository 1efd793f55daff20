"""The training service: dedup, queue, cancellation, persistence, processes."""

import time

import pytest

from dlcore import cache, jobs
from dlcore.jobs import DemoConfig, demo_task


@pytest.fixture
def service():
    svc = jobs.TrainingService(cache.ResultCache(None), executor="thread")
    yield svc
    svc.shutdown()


def test_identical_requests_train_once(service):
    config = DemoConfig(n=4, seconds_per_epoch=0.05)
    first, second = service.submit(demo_task, config), service.submit(demo_task, config)
    assert first._job is second._job
    assert first.wait_done(10).result == second.wait_done(10).result == 8
    assert service.stats()["completed"] == 1
    third = service.submit(demo_task, config)  # cached: answered at once
    assert third.snapshot().from_cache and third.snapshot().result == 8
    for handle in (first, second, third):
        handle.release()


def test_waiting_jobs_know_how_many_are_ahead(service):
    slow = service.submit(demo_task, DemoConfig(n=5, seconds_per_epoch=0.1))
    queued = [
        service.submit(demo_task, DemoConfig(n=k, seconds_per_epoch=0.01))
        for k in (1, 2)
    ]
    time.sleep(0.05)
    assert [h.snapshot().ahead for h in queued] == [1, 2]
    assert queued[1].wait_done(10).state == jobs.DONE
    for handle in (slow, *queued):
        handle.release()


def test_releasing_the_last_viewer_cancels_the_job(service):
    running = service.submit(demo_task, DemoConfig(n=100, seconds_per_epoch=0.02))
    waiting = service.submit(demo_task, DemoConfig(n=3))
    time.sleep(0.2)
    waiting.release()
    assert waiting.snapshot().state == jobs.CANCELLED
    running.release()
    assert running.wait_done(5).state == jobs.CANCELLED
    assert len(running.snapshot().events) < 100
    assert service.lookup(demo_task, DemoConfig(n=100, seconds_per_epoch=0.02)) is None


def test_a_job_watched_by_two_survives_one_leaving(service):
    config = DemoConfig(n=10, seconds_per_epoch=0.02)
    a, b = service.submit(demo_task, config), service.submit(demo_task, config)
    a.release()
    assert b.wait_done(10).state == jobs.DONE
    b.release()


def test_failures_are_reported_not_raised(service):
    handle = service.submit(demo_task, DemoConfig(fail=True))
    snapshot = handle.wait_done(10)
    assert snapshot.state == jobs.FAILED and "demo failure" in snapshot.error
    handle.release()


def test_results_survive_a_restart_on_disk(tmp_path):
    config = DemoConfig(n=2)
    first = jobs.TrainingService(cache.ResultCache(str(tmp_path)), executor="thread")
    first.submit(demo_task, config).wait_done(10)
    first.shutdown()
    second = jobs.TrainingService(cache.ResultCache(str(tmp_path)), executor="thread")
    assert second.lookup(demo_task, config) == 4
    assert second.stats()["cached"] == 1
    second.shutdown()


def test_memory_lru_is_bounded():
    store = cache.ResultCache(None, memory_items=3)
    for i in range(5):
        store.put(str(i), i)
    assert len(store) == 3 and store.get("0") is None and store.get("4") == 4


def test_force_retrains_even_when_cached(service):
    config = DemoConfig(n=2)
    service.submit(demo_task, config).wait_done(10)
    handle = service.submit(demo_task, config, force=True)
    assert not handle.snapshot().from_cache
    assert handle.wait_done(10).result == 4
    assert service.stats()["completed"] == 2


@pytest.mark.slow
def test_process_workers_are_recycled_and_cancellable(tmp_path):
    svc = jobs.TrainingService(
        cache.ResultCache(str(tmp_path)), executor="process", tasks_per_worker=2
    )
    try:
        for n in (1, 2, 3):
            handle = svc.submit(demo_task, DemoConfig(n=n))
            assert handle.wait_done(120).result == 2 * n
        long = svc.submit(demo_task, DemoConfig(n=1000, seconds_per_epoch=0.01))
        while not long.snapshot().events:
            time.sleep(0.05)
        long.release()
        assert long.wait_done(30).state == jobs.CANCELLED
    finally:
        svc.shutdown()


@pytest.mark.slow
def test_workers_start_clean_and_survive_a_killed_process(tmp_path, monkeypatch):
    import os
    import signal
    import sys
    import types

    # Under Streamlit, __main__ is the app script; a spawned worker must not
    # re-run it (here it would raise in the child).
    trap = tmp_path / "trap_main.py"
    trap.write_text("raise SystemExit('worker re-ran __main__')\n")
    fake_main = types.ModuleType("__main__")
    fake_main.__file__ = str(trap)
    monkeypatch.setitem(sys.modules, "__main__", fake_main)
    svc = jobs.TrainingService(cache.ResultCache(None), executor="process")
    try:
        handle = svc.submit(demo_task, DemoConfig(n=200, seconds_per_epoch=0.02))
        while len(handle.snapshot().events) < 3:
            time.sleep(0.02)
        workers = [p for p in __import__("multiprocessing").active_children()]
        assert workers
        for proc in workers:
            os.kill(proc.pid, signal.SIGKILL)  # the OOM killer, say
        snap = handle.wait_done(120)
        assert (snap.state, snap.result) == (jobs.DONE, 400)  # retried once
    finally:
        svc.shutdown()
