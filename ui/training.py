"""The one live-training helper every training page uses.

:func:`run_task` asks the shared :class:`dlcore.jobs.TrainingService` for a
result. A cached result is drawn at once (no replay of old progress); a new
one shows "waiting (k ahead)", then a progress bar and live learning curves,
then the final figures. Moving a slider reruns the page: the next Streamlit
call raises, the ``finally`` around everything after ``submit`` releases this
viewer's subscription, and a job nobody watches any more is cancelled.

A class shares the server: a run whose estimated work
(:func:`dlcore.budget.estimate_seconds`) is over the budget is not started;
the page offers the nearest setting that fits, or to run it when the server is
idle. The queue is fair between browser sessions (the ``owner`` of a job).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

import streamlit as st

from dlcore import budget, cache, compare, jobs, topics
from dlcore.figures import training as training_figures
from dlcore.i18n import t
from ui import charts, state

logger = logging.getLogger(__name__)

#: Redraw the live chart at most this often (seconds).
LIVE_REDRAW_SECONDS = 0.3
#: Pinned runs kept per task and browser session.
MAX_PINS = 8
_PINS = "_pins"  # session key: {task key: [compare.Pin, ...]}
_STALE_SLOTS = 40  # top-level elements of a result view, at most
_LAST = "_last_result"  # session key: {task key: (config, last finished result)}


_BUILT: list[jobs.TrainingService] = []  # the service, once a page built it


@st.cache_resource(show_spinner=False)
def service() -> jobs.TrainingService:
    """The process-wide training service (configured by environment variables).

    The result store (:func:`dlcore.cache.from_environment`):
    ``DLCORE_CACHE_URL`` (``redis://host:port/db``, shared by several servers;
    ``DLCORE_CACHE_TTL``, ``DLCORE_CACHE_PREFIX``) if set, else
    ``DLCORE_CACHE_DIR`` (``none`` = memory only); ``DLCORE_MAX_TRAININGS``
    (trainings at once, default 1; with Ray the cluster's CPUs decide),
    ``DLCORE_EXECUTOR`` (``process``, ``thread`` or ``ray``: then
    ``DLCORE_RAY_ADDRESS``, empty = a local Ray, and ``DLCORE_RAY_NAMESPACE``,
    see :mod:`dlcore.ray_jobs`), ``DLCORE_TASKS_PER_WORKER`` (worker
    recycling, default 40; Ray's ``max_calls``),
    ``DLCORE_MAX_JOB_WALL`` (seconds before a training is stopped, default
    180); ``DLCORE_MAX_JOB_SECONDS`` is the budget :func:`run_task` applies.
    """
    svc = jobs.TrainingService(
        cache.from_environment(),
        max_workers=int(os.environ.get("DLCORE_MAX_TRAININGS", "1")),
        executor=os.environ.get("DLCORE_EXECUTOR", "process"),
        tasks_per_worker=int(os.environ.get("DLCORE_TASKS_PER_WORKER", "40")),
        max_wall=budget.max_job_wall(),
    )
    _BUILT[:] = [svc]
    return svc


def service_stats() -> dict[str, Any] | None:
    """The training service's counters, or ``None`` when no page of this
    server process has trained anything yet (the service was not built)."""
    if not _BUILT:
        return None
    return {
        **_BUILT[0].stats(),
        "store": _BUILT[0].cache.status(),
        "max_job_seconds": budget.max_job_seconds(),
        "max_job_wall": _BUILT[0].max_wall,
    }


@st.cache_resource(show_spinner=False)
def tensorflow_loaded() -> threading.Event:
    """Import TensorFlow in a background thread, once per server process.

    Started by the shell on the first visit after a server start, so the
    sidebar does not block on a 5–15 s import; the event is set when done.
    """
    done = threading.Event()

    def load() -> None:
        from dlcore import runtime

        runtime.device_info()
        done.set()

    threading.Thread(target=load, name="tensorflow-warm-up", daemon=True).start()
    return done


def device_info() -> dict[str, Any] | None:
    """Versions and device, or ``None`` while TensorFlow is still loading."""
    if not tensorflow_loaded().is_set():
        return None
    from dlcore import runtime

    return runtime.device_info()


def _progress_fraction(event: dict[str, Any]) -> float:
    fraction = event["epoch"] / max(event["epochs"], 1)
    if "num_runs" in event:
        fraction = (event.get("run_index", 0) + fraction) / max(event["num_runs"], 1)
    return min(1.0, fraction)


def run_task(
    fn: Callable[..., Any],
    config: Any,
    *,
    lang: str,
    key: str,
    code: str | None = None,
    code_file: str = "train.py",
    epochs: int | None = None,
    show_curves: bool = True,
    run_names: Callable[[str], str] | None = None,
    pin: bool = True,
    render: Callable[[Any, Any, str], None] | None = None,
    previous_caption: bool = True,
) -> Any | None:
    """Train ``fn(config)`` through the shared service, showing live progress.

    Args:
        fn: A dlcore task function (module level).
        config: Its frozen dataclass config.
        lang: UI language.
        key: Unique prefix for this call's widgets and charts.
        code: The exported script for this config (download + expander).
        code_file: File name offered for the download.
        epochs: Epochs per run, to fix the x axis of the live chart.
        show_curves: Draw the final learning curves.
        run_names: Legend label of each run (several runs), live and final.
        pin: Offer "Pin this run" and the comparison of pinned runs.
        render: ``render(config, result, tag)`` draws the page's own view of a result
            (decision boundary, metrics…) in the training slot: the finished
            result (``tag="final"``) and, while a new run trains, the last
            finished one labelled as such (``tag="previous"``). Use ``tag`` in
            element keys.
        previous_caption: Write "The last finished run" above the previous
            result; ``False`` when ``render`` draws somewhere else and labels
            it there.

    Everything below the Retrain button is drawn in one slot that is replaced
    as a whole, so the last run's curves and metrics never sit greyed out
    under the live chart, and the last finished picture stays in view
    (labelled) until the new one is ready.

    Returns:
        The task's result, or ``None`` when it failed or was cancelled (a
        message has been shown).
    """
    retrain = st.button(
        t("train.retrain", lang), key=f"{key}_retrain", icon=":material/refresh:"
    )
    slot = st.empty()
    try:
        svc = service()
    except Exception as exc:  # e.g. DLCORE_EXECUTOR=ray and no cluster reachable
        _unavailable(slot, exc, lang)
        return None
    task = topics.task_for(fn)
    estimate = budget.estimate_seconds(task, config) if task is not None else None
    limit = budget.max_job_seconds()
    idle_key, identity = f"{key}_idle_run", cache.config_dict(config)
    idle_only = st.session_state.get(idle_key) == identity
    if (
        estimate is not None
        and estimate > limit
        and not idle_only
        and (retrain or svc.lookup(fn, config) is None)
    ):
        with slot.container():
            _over_budget(task, config, estimate, limit, lang=lang, key=key)
        return None
    try:
        handle = svc.submit(
            fn, config, force=retrain, owner=_session_id(), idle_only=idle_only
        )
    except Exception as exc:  # the Ray cluster went away: a message, no traceback
        _unavailable(slot, exc, lang)
        return None
    # after submit: its cache read is what discards an entry that is not data
    rejected = _rejected(svc, fn, config)
    # From here on every path releases the handle: a rerun or stop raised by
    # any Streamlit call below must not leave a job training for nobody.
    try:
        return _show(
            handle,
            slot,
            config,
            lang=lang,
            key=key,
            code=code,
            code_file=code_file,
            epochs=epochs,
            show_curves=show_curves,
            run_names=run_names,
            pin=pin,
            render=render,
            previous_caption=previous_caption,
            rejected=rejected,
        )
    finally:
        handle.release()


def _show(
    handle: jobs.Handle,
    slot: Any,
    config: Any,
    *,
    lang: str,
    key: str,
    code: str | None,
    code_file: str,
    epochs: int | None,
    show_curves: bool,
    run_names: Callable[[str], str] | None,
    pin: bool,
    render: Callable[[Any, Any, str], None] | None,
    previous_caption: bool,
    rejected: bool,
) -> Any | None:
    """Watch ``handle`` in ``slot`` until it ends, then draw the result."""
    snap = handle.snapshot()
    if not snap.finished:
        # Elements of the last result that the new drawing does not overwrite
        # would stay greyed until the run ends: overwrite them with empties.
        _clear(slot)
        with slot.container():
            if rejected:
                st.info(t("jobs.rejected", lang), icon=":material/info:")
            previous = st.session_state.get(_LAST, {}).get(key)
            if render is not None and previous is not None:
                if previous_caption:
                    st.caption(t("train.previous", lang))
                render(*previous, "previous")
            snap = _watch(
                handle, lang=lang, key=key, epochs=epochs, run_names=run_names
            )
        _clear(slot)  # the final drawing may have fewer elements
    with slot.container():
        if rejected:  # said again: the live view above was cleared
            st.info(t("jobs.rejected", lang), icon=":material/info:")
        if snap.restarted:
            st.info(t("jobs.restarted", lang), icon=":material/restart_alt:")
        if snap.timed_out:
            seconds = f"{service().max_wall:.0f}"
            st.error(t("jobs.wall", lang, seconds=seconds), icon=":material/timer:")
            return None
        if snap.state == jobs.FAILED:
            st.error(t("train.failed", lang, error=snap.error), icon=":material/error:")
            return None
        if snap.state == jobs.CANCELLED or snap.result is None:
            st.info(t("train.cancelled", lang))
            return None
        result = snap.result
        if getattr(result, "status", "finished") == "finished":
            st.session_state.setdefault(_LAST, {})[key] = (config, result)
        _status_line(result, lang, from_cache=snap.from_cache)
        _store_problem(lang)
        if render is not None:
            render(config, result, "final")
        history = getattr(result, "history", None)
        if show_curves and history is not None and len(history):
            curves(
                history,
                key=f"{key}_curves",
                lang=lang,
                epochs=epochs,
                run_names=run_names,
            )
        if code:
            code_panel(code, lang=lang, key=key, file_name=code_file)
        if pin and history is not None and len(history):
            compare_panel(key, config, result, lang=lang, run_names=run_names)
    return result


def _session_id() -> str | None:
    """This browser session's id (the owner the queue is fair between)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return getattr(ctx, "session_id", None)


def _store_problem(lang: str) -> None:
    """Say so when the configured result store is down, full or unsafe (the
    run was trained and shown, but is not kept for the class)."""
    reason = service().cache.status().get("reason")
    if reason:
        st.caption(t("jobs.store_down", lang, reason=state.plain(str(reason)[:300])))


def _unavailable(slot: Any, exc: Exception, lang: str) -> None:
    logger.warning("training service unavailable: %s: %s", type(exc).__name__, exc)
    error = state.plain(f"{type(exc).__name__}: {exc}"[:300])
    with slot.container():
        st.error(t("jobs.unavailable", lang, error=error), icon=":material/cloud_off:")


def _rejected(svc: jobs.TrainingService, fn: Callable[..., Any], config: Any) -> bool:
    """Whether the cache discarded a stored result of ``fn(config)`` as unsafe."""
    why = getattr(svc.cache, "rejected", None)
    if why is None:
        return False
    key = cache.result_key(jobs.task_name(fn), config, topics.task_version(fn))
    return bool(why(key))


def _topic_of(task: topics.Task) -> topics.Topic | None:
    return next((tp for tp in topics.TOPICS if task in tp.tasks), None)


def _nearest(
    task: topics.Task, config: Any, limit: float
) -> tuple[str, int, float, dict[str, Any]] | None:
    """The nearest setting within ``limit``: ``(field, value, seconds,
    {control key: value})``, using only values the page's controls offer."""
    topic = _topic_of(task)
    if topic is None:
        return None
    before = task.control_values(config, topic.prefix)

    def controls(candidate: Any) -> dict[str, Any] | None:
        try:
            after = task.control_values(candidate, topic.prefix)
        except ValueError:
            return None
        changed = {k: v for k, v in after.items() if before.get(k) != v}
        if not all(state.accepts(k, v) for k, v in changed.items()):
            return None
        return changed

    found = budget.nearest_within(
        task, config, limit, allowed=lambda c: controls(c) is not None
    )
    if found is None:
        return None
    field, value, candidate, seconds = found
    return field, value, seconds, controls(candidate) or {}


def _over_budget(
    task: topics.Task,
    config: Any,
    estimate: float,
    limit: float,
    *,
    lang: str,
    key: str,
) -> None:
    """Say the run is too large for a shared server; offer a smaller setting
    and "run when the server is idle"."""
    st.warning(
        t(
            "jobs.over_budget",
            lang,
            seconds=f"{estimate:.0f}",
            limit=f"{limit:.0f}",
        ),
        icon=":material/hourglass_top:",
    )
    nearest = _nearest(task, config, limit)
    left, right = st.columns(2)
    if nearest is None:
        left.caption(t("jobs.no_nearest", lang))
    else:
        field, value, seconds, values = nearest
        left.button(
            t(f"jobs.nearest.{field}", lang, value=value, seconds=f"{seconds:.0f}"),
            key=f"{key}_nearest",
            icon=":material/speed:",
            type="primary",
            on_click=state.apply,
            args=(values,),
        )
    right.button(
        t("jobs.run_idle", lang),
        key=f"{key}_idle",
        icon=":material/schedule:",
        on_click=st.session_state.__setitem__,
        args=(f"{key}_idle_run", cache.config_dict(config)),
    )


def _clear(slot: Any) -> None:
    """Overwrite the slot's elements with empties.

    A container drawn twice in one script run keeps the children the second
    drawing does not overwrite (greyed, until the run ends).
    """
    with slot.container():
        for _ in range(_STALE_SLOTS):
            st.empty()


def curves(
    history: Any,
    *,
    key: str,
    lang: str,
    epochs: int | None = None,
    run_names: Callable[[str], str] | None = None,
) -> None:
    """Loss and the first other metric, one chart each, side by side.

    Two charts in two columns rather than two subplots in one figure: on a
    phone the columns stack, so each chart keeps the full width.
    """
    names = training_figures.curve_names(history)
    for column, name in zip(st.columns(max(1, len(names))), names, strict=False):
        figure = training_figures.curves_figure(
            history, epochs=epochs, lang=lang, metrics=[name], run_names=run_names
        )
        charts.plotly(figure, key=f"{key}_{name}", where=column)


def pins(key: str) -> list[compare.Pin]:
    """This session's pinned runs of the task shown under ``key``."""
    return st.session_state.setdefault(_PINS, {}).setdefault(key, [])


def _pin(key: str, run: compare.Pin, lang: str) -> None:
    pinned = pins(key)
    pinned.append(run)
    if len(pinned) > MAX_PINS:
        del pinned[0]
        st.toast(t("compare.limit", lang, limit=MAX_PINS))


def compare_panel(
    key: str,
    config: Any,
    result: Any,
    *,
    lang: str,
    run_names: Callable[[str], str] | None = None,
) -> None:
    """ "Pin this run", then the pinned runs: settings that differ, final
    metrics, one overlay chart of a chosen curve, "clear" and a CSV download.
    """
    pinned = pins(key)
    current = compare.pin(config, result.history, getattr(result, "metrics", {}))
    numbers = [i for i, p in enumerate(pinned, 1) if p.settings == current.settings]
    if numbers:
        st.caption(t("compare.pinned", lang, n=numbers[0]))
    else:
        st.button(
            t("compare.pin", lang),
            key=f"{key}_pin",
            icon=":material/push_pin:",
            on_click=_pin,
            args=(key, current, lang),
        )
    if not pinned:
        return
    with st.expander(
        t("compare.title", lang, count=len(pinned)),
        expanded=True,
        icon=":material/compare_arrows:",
    ):
        st.caption(t("compare.help", lang))
        frame = compare.table(pinned)
        if len(pinned) > 1 and not compare.differing(pinned):
            st.caption(t("compare.same", lang))
        st.dataframe(frame, hide_index=True, key=f"{key}_pins_table")
        names = compare.curve_metrics(pinned)
        if names:
            metric = st.selectbox(
                t("compare.metric", lang), names, key=f"{key}_pins_metric"
            )
            charts.plotly(
                training_figures.compare_figure(
                    pinned, metric, lang=lang, run_names=run_names
                ),
                key=f"{key}_pins_chart",
            )
        left, right = st.columns(2)
        left.download_button(
            t("compare.csv", lang),
            frame.to_csv(index=False),
            file_name="runs.csv",
            mime="text/csv",
            key=f"{key}_pins_csv",
            icon=":material/download:",
        )
        right.button(
            t("compare.clear", lang),
            key=f"{key}_pins_clear",
            icon=":material/delete:",
            on_click=pinned.clear,
        )


def _watch(
    handle: jobs.Handle,
    *,
    lang: str,
    key: str,
    epochs: int | None,
    run_names: Callable[[str], str] | None = None,
) -> jobs.Snapshot:
    note = st.empty()
    bar = st.progress(0.0, text=t("train.starting", lang))
    chart = st.empty()
    drawn, last_draw, restarted = 0, 0.0, False
    snap = handle.snapshot()
    while not snap.finished:
        if snap.restarted and not restarted:
            # The worker died and the job began again: start the chart clean.
            restarted, drawn = True, 0
            note.info(t("jobs.restarted", lang), icon=":material/restart_alt:")
            chart.empty()
        if snap.state == jobs.WAITING and snap.idle_only:
            bar.progress(0.0, text=t("jobs.idle_waiting", lang, ahead=snap.ahead))
        elif snap.state == jobs.WAITING and snap.ahead > 0:
            bar.progress(0.0, text=t("train.waiting", lang, ahead=snap.ahead))
        elif snap.lock_wait:
            bar.progress(0.0, text=t("jobs.lock_wait", lang))
        elif snap.events:
            event = snap.events[-1]
            text = t(
                "train.untrained" if event["epoch"] == 0 else "train.running",
                lang,
                epoch=event["epoch"],
                epochs=event["epochs"],
            )
            if event.get("num_runs", 1) > 1:
                run = t(
                    "train.run_of",
                    lang,
                    run=event.get("run_index", 0) + 1,
                    runs=event["num_runs"],
                )
                text = f"{run} · {text}"
            bar.progress(_progress_fraction(event), text=text)
            now = time.monotonic()
            if len(snap.events) != drawn and now - last_draw >= LIVE_REDRAW_SECONDS:
                history = training_figures.events_to_history(snap.events)
                with chart.container():
                    curves(
                        history,
                        key=f"{key}_live{'_again' * restarted}_{len(snap.events)}",
                        lang=lang,
                        epochs=epochs,
                        run_names=run_names,
                    )
                drawn, last_draw = len(snap.events), now
        snap = handle.wait(0.2)
    bar.empty()
    chart.empty()
    return snap


def _status_line(result: Any, lang: str, *, from_cache: bool) -> None:
    status = getattr(result, "status", "finished")
    if status == "diverged":
        st.warning(
            t("train.diverged", lang, epoch=result.diverged_epoch),
            icon=":material/warning:",
        )
        return
    history = getattr(result, "history", None)
    seconds = float(getattr(result, "wall_time", 0.0))
    if history is not None and history.index.name == "epoch":
        history = history[history.index > 0]  # epoch 0: the untrained model
    num_epochs = len(history) if history is not None else 0
    if history is not None and "run" in history:
        num_epochs = int(history.groupby("run").size().max())
    if from_cache:
        st.caption(t("train.cached", lang, seconds=seconds))
    elif history is not None and len(history) and "step" in history:
        # step-based trainings (a GAN's alternating updates): rows are snapshots
        steps = int(history["step"].iloc[-1])
        st.caption(t("train.finished_steps", lang, steps=steps, seconds=seconds))
    else:
        st.caption(t("train.finished", lang, epochs=num_epochs, seconds=seconds))


def code_panel(code: str, *, lang: str, key: str, file_name: str = "train.py") -> None:
    """The exported Keras script: a download button and an expander."""
    st.download_button(
        t("common.download_code", lang),
        data=code,
        file_name=file_name,
        mime="text/x-python",
        key=f"{key}_download",
        icon=":material/download:",
    )
    with st.expander(t("common.show_code", lang), icon=":material/code:"):
        st.code(code, language="python")
