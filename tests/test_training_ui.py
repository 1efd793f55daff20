"""ui.training under a class's load: no leaked job on a rerun, the budget."""

from __future__ import annotations

import time

import pytest

from dlcore import budget, cache, jobs, topics


@pytest.fixture
def svc(monkeypatch):
    from ui import training

    service = jobs.TrainingService(cache.ResultCache(None), executor="thread")
    monkeypatch.setattr(training, "service", lambda: service)
    yield service
    service.shutdown()


def _script():
    """A page that trains a long demo job (run by AppTest)."""
    from dlcore import jobs
    from ui import training

    training.run_task(
        jobs.demo_task,
        jobs.DemoConfig(n=400, seconds_per_epoch=0.02),
        lang="en",
        key="demo",
        pin=False,
    )


class _RaiseAfterSubmit:
    """Stands in for ``streamlit`` in ui.training: once armed (by submit), the
    next Streamlit call raises StopException, as a rerun or stop does."""

    def __init__(self, real):
        self.real, self.armed = real, False

    def __getattr__(self, name):
        if self.armed:
            from streamlit.runtime.scriptrunner_utils.exceptions import StopException

            self.armed = False
            raise StopException()
        return getattr(self.real, name)


def test_a_stop_right_after_submit_leaks_no_job(svc, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from ui import training

    proxy = _RaiseAfterSubmit(training.st)
    monkeypatch.setattr(training, "st", proxy)
    submit = svc.submit

    def armed_submit(*args, **kwargs):
        handle = submit(*args, **kwargs)
        proxy.armed = True
        return handle

    monkeypatch.setattr(svc, "submit", armed_submit)
    AppTest.from_function(_script, default_timeout=60).run()
    deadline = time.monotonic() + 3
    while svc._jobs and time.monotonic() < deadline:
        time.sleep(0.02)
    assert svc._jobs == {}  # released: cancelled, not training for nobody
    assert svc.stats()["waiting"] == 0 and svc.stats()["running"] == 0


def test_a_stop_while_queued_leaves_true_positions(svc, monkeypatch):
    """The stopped viewer's job leaves the queue: the next one is 1 ahead."""
    from streamlit.testing.v1 import AppTest

    from ui import training

    blocker = svc.submit(jobs.demo_task, jobs.DemoConfig(n=500, seconds_per_epoch=0.02))
    proxy = _RaiseAfterSubmit(training.st)
    monkeypatch.setattr(training, "st", proxy)
    submit = svc.submit

    def armed_submit(*args, **kwargs):
        handle = submit(*args, **kwargs)
        proxy.armed = True
        return handle

    monkeypatch.setattr(svc, "submit", armed_submit)
    AppTest.from_function(_script, default_timeout=60).run()
    later = submit(jobs.demo_task, jobs.DemoConfig(n=1))
    assert later.snapshot().ahead == 1
    later.release()
    blocker.release()


HEAVY = {"pg_batch_size": "1", "pg_epochs": "400", "pg_num_samples": "800"}


def test_an_over_budget_run_is_not_started_and_offers_a_smaller_one(svc, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    # A tight budget keeps the smaller run short here (the default's offer is
    # 200 epochs, about 22 s).
    monkeypatch.setenv("DLCORE_MAX_JOB_SECONDS", "5")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    for name, value in HEAVY.items():
        at.query_params[name] = value
    at.switch_page("pages/playground.py")
    at.run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("too long for a shared class server" in w for w in warnings)
    assert svc.stats()["completed"] == 0 and svc._jobs == {}
    task = topics.task_named("playground.mlp")
    heavy = task.config_type(batch_size=1, epochs=400, num_samples=800)
    _, epochs, _, _ = budget.nearest_within(task, heavy, 5.0)  # the oracle
    assert 1 <= epochs < 400
    nearest = next(b for b in at.button if b.key == "pg_nearest")
    assert f"Train {epochs} epochs instead" in nearest.label
    nearest.click().run()
    assert not at.exception
    assert at.session_state["pg_epochs"] == epochs
    assert svc.stats()["completed"] == 1  # the smaller run trained
    config = task.config_type(batch_size=1, epochs=epochs, num_samples=800)
    assert svc.lookup(task.train_fn, config) is not None


def test_run_when_idle_submits_a_low_priority_job(svc, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    monkeypatch.setenv("DLCORE_MAX_JOB_SECONDS", "0.01")  # the default is over
    submitted = []
    submit = svc.submit

    def spy(*args, **kwargs):
        submitted.append(kwargs)
        return submit(*args, **kwargs)

    monkeypatch.setattr(svc, "submit", spy)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.switch_page("pages/playground.py")
    at.run()
    assert not submitted and any("limit 0 s" in w.value for w in at.warning)
    assert not any(b.key == "pg_nearest" for b in at.button)  # nothing fits
    next(b for b in at.button if b.key == "pg_idle").click().run()
    assert not at.exception
    assert [k["idle_only"] for k in submitted] == [True]
    assert svc.stats()["completed"] == 1  # an idle server ran it at once


def test_pages_that_train_nothing_never_build_the_service(app_test, monkeypatch):
    """A broken cache folder must not touch the home page (issue 16): the shell
    builds the training service only for a page whose topic has tasks."""
    from ui import training

    built = []

    def broken():
        built.append(1)
        raise RuntimeError("the training service was built")

    monkeypatch.setattr(training, "service", broken)
    monkeypatch.setattr(training, "_BUILT", [])
    at = app_test()  # home
    assert not at.exception and not built
    runtime = "\n".join(m.value for m in at.markdown)
    assert "not started (this page trains nothing)" in runtime
    at = app_test("playground")
    assert built  # a training page asks for it (and the failure shows)


def _small_script():
    from dlcore import jobs
    from ui import training

    training.run_task(
        jobs.demo_task, jobs.DemoConfig(n=2), lang="en", key="demo", pin=False
    )


def test_a_discarded_stored_result_is_said_on_the_page(tmp_path, monkeypatch):
    import diskcache
    from streamlit.testing.v1 import AppTest

    from ui import training

    folder = str(tmp_path / "store")
    results = cache.ResultCache(folder)
    key = cache.result_key(jobs.task_name(jobs.demo_task), jobs.DemoConfig(n=2))
    tamper = diskcache.Cache(folder)  # anyone who can write the folder
    tamper.set(key, b"not a stored result")
    tamper.close()
    service = jobs.TrainingService(results, executor="thread")
    monkeypatch.setattr(training, "service", lambda: service)
    try:
        at = AppTest.from_function(_small_script, default_timeout=60).run()
    finally:
        service.shutdown()
    assert not at.exception
    assert any("could not be read safely" in i.value for i in at.info)
    assert results.get(key) == 4  # trained again and stored as data


@pytest.mark.parametrize("where", ["service", "submit"])
def test_an_unreachable_training_service_is_a_message(where, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from ui import training

    def down(*args, **kwargs):
        raise ConnectionError("Ray cluster at 10.0.0.9:6379 is not reachable")

    service = jobs.TrainingService(cache.ResultCache(None), executor="thread")
    monkeypatch.setattr(service, "submit", down)
    monkeypatch.setattr(training, "service", down if where == "service" else service)
    if where == "submit":
        monkeypatch.setattr(training, "service", lambda: service)
    try:
        at = AppTest.from_function(_small_script, default_timeout=60).run()
    finally:
        service.shutdown()
    assert not at.exception
    (error,) = at.error
    shown = error.value.replace("\\", "")  # the error text is escaped, not Markdown
    assert "cannot be reached" in shown and "10.0.0.9:6379" in shown


def test_a_store_that_is_down_is_said_and_the_run_still_trains(monkeypatch):
    from redis_server import free_port
    from streamlit.testing.v1 import AppTest

    from dlcore.redis_cache import RedisCache
    from ui import training

    down = RedisCache(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens
    service = jobs.TrainingService(down, executor="thread")
    monkeypatch.setattr(training, "service", lambda: service)
    try:
        at = AppTest.from_function(_small_script, default_timeout=60).run()
    finally:
        service.shutdown()
    assert not at.exception and not at.error
    assert any("Trained" in c.value for c in at.caption)
    shown = [c.value.replace("\\", "") for c in at.caption]
    assert any("result store is unavailable" in c and "Redis" in c for c in shown)
