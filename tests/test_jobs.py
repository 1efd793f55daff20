"""The training service: dedup, queue, cancellation, persistence, processes."""

import dataclasses
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


# --- issue 16: leaks, fairness, idle-only jobs, the wall cap, clean retries ------


def _blocker(service, seconds=30.0):
    """A running job that keeps the one slot busy (release it to end it)."""
    handle = service.submit(
        demo_task, DemoConfig(n=int(seconds / 0.02), seconds_per_epoch=0.02)
    )
    while handle.snapshot().state != jobs.RUNNING:
        time.sleep(0.01)
    return handle


def test_fast_clicks_from_threads_leave_no_job_and_true_positions(service):
    """25 submit/release cycles 120 ms apart (a seed "+" clicked 25 times)
    while one other student's job waits: every clicked job sees exactly two
    ahead (the running one, the other student's), and none is left over."""
    import threading

    blocker = _blocker(service)
    other = service.submit(demo_task, DemoConfig(n=2), owner="other")
    seen, errors = [], []

    def click(seed):
        try:
            handle = service.submit(demo_task, DemoConfig(n=3 + seed), owner="clicker")
            try:
                seen.append(handle.snapshot().ahead)
            finally:
                handle.release()
        except Exception as exc:  # pragma: no cover (reported below)
            errors.append(exc)

    threads = []
    for seed in range(25):
        thread = threading.Thread(target=click, args=(seed,))
        thread.start()
        threads.append(thread)
        time.sleep(0.12)
    for thread in threads:
        thread.join(10)
    assert not errors and seen == [2] * 25
    assert other.snapshot().ahead == 1
    assert service.stats()["waiting"] == 1  # only the other student's job
    other.release()
    blocker.release()
    assert blocker.wait_done(10).state == jobs.CANCELLED
    deadline = time.monotonic() + 5
    while service.stats()["running"] and time.monotonic() < deadline:
        time.sleep(0.02)
    assert service.stats()["running"] == 0 and service.stats()["waiting"] == 0
    assert service._jobs == {}


@pytest.mark.parametrize("fair", [True, False])
def test_the_queue_is_round_robin_between_owners(fair):
    svc = jobs.TrainingService(cache.ResultCache(None), executor="thread", fair=fair)
    try:
        blocker = _blocker(svc)
        mine = [svc.submit(demo_task, DemoConfig(n=k), owner="busy") for k in (1, 2, 3)]
        theirs = svc.submit(demo_task, DemoConfig(n=9), owner="normal")
        expected = [1, 3, 4, 2] if fair else [1, 2, 3, 4]
        assert [h.snapshot().ahead for h in (*mine, theirs)] == expected
        blocker.release()
        finished = []
        for handle in (*mine, theirs):
            handle.wait_done(10)
        for handle in sorted((*mine, theirs), key=lambda h: h._job.finished_at):
            finished.append(handle._job.config.n)
        assert finished == ([1, 9, 2, 3] if fair else [1, 2, 3, 9])
        for handle in (*mine, theirs):
            handle.release()
    finally:
        svc.shutdown()


def test_idle_only_jobs_start_when_nothing_else_waits_or_runs(service):
    blocker = _blocker(service, seconds=0.4)
    idle = service.submit(demo_task, DemoConfig(n=7), owner="heavy", idle_only=True)
    normal = service.submit(demo_task, DemoConfig(n=2), owner="normal")
    assert idle.snapshot().idle_only and idle.snapshot().ahead == 2
    assert normal.snapshot().ahead == 1
    assert normal.wait_done(10).state == jobs.DONE
    assert idle.wait_done(10).state == jobs.DONE
    assert idle._job.started_at >= normal._job.finished_at
    for handle in (blocker, idle, normal):
        handle.release()


def test_a_job_over_the_wall_cap_is_stopped_with_a_clear_error():
    svc = jobs.TrainingService(cache.ResultCache(None), executor="thread", max_wall=0.3)
    try:
        handle = svc.submit(demo_task, DemoConfig(n=500, seconds_per_epoch=0.01))
        snap = handle.wait_done(10)
        assert snap.state == jobs.FAILED and snap.timed_out
        assert "0 s" in snap.error and len(snap.events) < 500
        assert svc.lookup(demo_task, DemoConfig(n=500, seconds_per_epoch=0.01)) is None
        assert svc.stats()["timeouts"] == 1
        handle.release()
    finally:
        svc.shutdown()


def die_once_task(config, *, on_progress=None, should_stop=None):
    """Reports 3 epochs, then (first attempt only) kills its own worker."""
    import os
    import signal

    for epoch in range(1, 4):
        on_progress({"epoch": epoch, "epochs": 6, "loss": 1.0})
    marker = config.marker
    if not os.path.exists(marker):
        open(marker, "w").close()
        time.sleep(0.3)  # let the events reach the service
        os.kill(os.getpid(), signal.SIGKILL)
    for epoch in range(4, 7):
        on_progress({"epoch": epoch, "epochs": 6, "loss": 1.0})
    return "ok"


@dataclasses.dataclass(frozen=True)
class DieOnceConfig:
    marker: str = ""


@pytest.mark.slow
def test_a_retry_after_a_dead_worker_starts_clean(tmp_path):
    svc = jobs.TrainingService(cache.ResultCache(None), executor="process")
    try:
        handle = svc.submit(die_once_task, DieOnceConfig(str(tmp_path / "died")))
        snap = handle.wait_done(180)
        assert (snap.state, snap.result) == (jobs.DONE, "ok")
        assert snap.restarted and svc.stats()["restarts"] == 1
        assert [e["epoch"] for e in snap.events] == [1, 2, 3, 4, 5, 6]
        handle.release()
    finally:
        svc.shutdown()


# --- the class budget (dlcore.budget) -------------------------------------------


ESTIMATED = (
    "playground.mlp",
    "activations.gradient_lab",
    "losses.outlier_lab",
    "losses.pairing",
    "optimizers.race",
    "cnn.train",
    "cnn.transfer",
)


def test_every_registered_default_and_preset_fits_the_budget():
    from dlcore import budget, topics

    limit = budget.max_job_seconds()
    for name in ESTIMATED:
        assert topics.task_named(name).estimate, f"{name} has no work estimate"
    for task in topics.all_tasks():  # every page's tasks, new ones included
        assert task.estimate, f"{task.name} has no work estimate"
        assert 0 < budget.estimate_seconds(task, task.default_config()) <= limit
    for topic in topics.TOPICS:
        for preset in topic.load_presets():
            if preset.config is None:
                continue
            task = next(
                t for t in topic.tasks if isinstance(preset.config, t.config_type)
            )
            if task.estimate:
                seconds = budget.estimate_seconds(task, preset.config)
                assert seconds <= limit, (topic.slug, preset.name, seconds)


def test_the_issues_heavy_runs_are_over_budget():
    from dlcore import budget, topics

    limit = budget.max_job_seconds()
    playground = topics.task_named("playground.mlp")
    heavy_mlp = playground.config_type(batch_size=1, epochs=400, num_samples=800)
    cnn = topics.task_named("cnn.train")
    heavy_cnn = cnn.config_type(
        num_blocks=3, filters=64, kernel_size=5, pooling="none", epochs=40
    )
    assert budget.estimate_seconds(playground, heavy_mlp) > limit
    assert budget.estimate_seconds(cnn, heavy_cnn) > limit
    # Each costs in proportion to its epochs (beyond the fixed tracing cost).
    one = budget.estimate_seconds(cnn, dataclasses.replace(heavy_cnn, epochs=1))
    two = budget.estimate_seconds(cnn, dataclasses.replace(heavy_cnn, epochs=2))
    forty = budget.estimate_seconds(cnn, heavy_cnn)
    assert forty - one == pytest.approx(39 * (two - one), rel=1e-9)


def test_the_nearest_setting_is_the_largest_that_fits():
    from dlcore import budget, topics

    cnn = topics.task_named("cnn.train")
    heavy = cnn.config_type(
        num_blocks=3, filters=64, kernel_size=5, pooling="none", epochs=40
    )
    field, value, smaller, seconds = budget.nearest_within(cnn, heavy, 30.0)
    assert field == "epochs" and smaller.epochs == value and seconds <= 30.0
    over = dataclasses.replace(heavy, epochs=value + 1)
    assert budget.estimate_seconds(cnn, over) > 30.0
    even = budget.nearest_within(cnn, heavy, 30.0, allowed=lambda c: c.epochs % 2 == 0)
    assert even[1] == value - value % 2
    assert budget.nearest_within(cnn, heavy, 0.01) is None  # nothing fits


def test_budget_settings_come_from_the_environment(monkeypatch):
    from dlcore import budget

    monkeypatch.setenv("DLCORE_MAX_JOB_SECONDS", "12.5")
    monkeypatch.setenv("DLCORE_MAX_JOB_WALL", "nan")  # invalid: the default
    assert budget.max_job_seconds() == 12.5
    assert budget.max_job_wall() == budget.DEFAULT_MAX_JOB_WALL


def test_a_training_longer_than_the_lock_wait_is_not_reported_as_waiting(service):
    # Regression: the "another server process trains this" timer used to fire
    # 0.5 s into every training, so the page said "waiting" for the whole run.
    handle = service.submit(demo_task, DemoConfig(n=6, seconds_per_epoch=0.25))
    seen = []
    snap = handle.snapshot()
    while not snap.finished:
        seen.append((snap.state, snap.lock_wait, len(snap.events)))
        snap = handle.wait(0.1)
    assert snap.state == jobs.DONE
    assert any(state == jobs.RUNNING and events for state, _, events in seen)
    assert not any(lock_wait for _, lock_wait, _ in seen)
    handle.release()


def test_a_job_waiting_for_another_holder_of_the_lock_says_so(service):
    config = DemoConfig(n=1)
    key = jobs.result_key(jobs.task_name(demo_task), config, 0)
    with service.cache.lock(key):  # another trainer of the same config
        handle = service.submit(demo_task, config)
        time.sleep(1.0)
        assert handle.snapshot().lock_wait
    snap = handle.wait_done(10)
    assert snap.state == jobs.DONE and not snap.lock_wait
    handle.release()
