"""Issue 19: dlcore.train.fit against model.fit and against the machine's limit.

Run from the repository root:

    python bench/trainer.py            # markdown table to stdout
    python bench/trainer.py --append   # also replaces the "Trainer vs its limit
                                       # (issue 19)" section of bench/RESULTS.md

For each workload, in one process and one run:

- ``model.fit`` three times (a new model each time), reported as median and
  spread (min–max);
- the *limit*: one ``tf.function(jit_compile=True)`` around ``tf.range`` loops
  over all epochs and batches, calling the same Keras model's ``train_step`` /
  ``test_step`` with the same Adam, data resident as tensors, metrics on the
  device; its compile time and its run time after compiling;
- ``dlcore.train.fit``: the first run of the architecture (tracing included),
  then re-runs that a slider move makes (each 3 times, median): a new seed
  (new weights and data order), a new learning rate, a new training-set size;
  the same-seed re-run's losses are checked against ``model.fit`` too.

Both sides see the same data, epochs, batch size and validation set. The loss
check compares ``dlcore.train.fit``'s history with ``model.fit``'s for the same
initial weights (unshuffled, so both see the same batches).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DLCORE_CACHE_DIR", "none")

import numpy as np  # noqa: E402

from bench import cnn, lstm, mlp  # noqa: E402
from dlcore import datasets, runtime, train  # noqa: E402

tf = train.tf
SECTION = "## Trainer vs its limit (issue 19)"
#: Relative tolerance of the loss check against model.fit.
LOSS_RTOL = 1e-4


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def xla_reference(build, x, y, val, *, epochs, batch_size) -> tuple[float, float]:
    """(compile + first run seconds, run seconds) of a whole-run XLA loop."""
    model = build(0)
    model._symbolic_build(data_batch=(x[:batch_size], y[:batch_size]))
    n = len(x)
    full, rest = divmod(n, batch_size)
    x_val, y_val = val
    vfull, vrest = divmod(len(x_val), batch_size)
    names = list(model.get_metrics_result())

    def row(logs):
        return tf.stack([tf.cast(logs[k], tf.float32) for k in names])

    @tf.function(jit_compile=True)
    def whole(x, y, xv, yv, orders):
        logs_out = tf.TensorArray(tf.float32, size=epochs)
        for epoch in tf.range(epochs):
            for metric in model.metrics:
                metric.reset_state()
            order = orders[epoch]
            logs = model.get_metrics_result()
            for step in tf.range(full):
                index = tf.slice(order, [step * batch_size], [batch_size])
                logs = model.train_step((tf.gather(x, index), tf.gather(y, index)))
            if rest:
                index = order[full * batch_size :]
                logs = model.train_step((tf.gather(x, index), tf.gather(y, index)))
            for metric in model.metrics:
                metric.reset_state()
            vlogs = model.get_metrics_result()
            for step in tf.range(vfull):
                lo = step * batch_size
                vlogs = model.test_step(
                    (xv[lo : lo + batch_size], yv[lo : lo + batch_size])
                )
            if vrest:
                vlogs = model.test_step(
                    (xv[vfull * batch_size :], yv[vfull * batch_size :])
                )
            logs_out = logs_out.write(epoch, tf.concat([row(logs), row(vlogs)], 0))
        return logs_out.stack()

    orders = np.stack([train.epoch_order(n, 0, e) for e in range(epochs)])
    args = [tf.constant(a) for a in (x, y, x_val, y_val, orders)]
    first, _ = timed(lambda: whole(*args).numpy())
    again = []
    for _ in range(5):
        seconds, _ = timed(lambda: whole(*args).numpy())
        again.append(seconds)
    return first, statistics.median(again)


def keras_fit(build, x, y, val, *, epochs, batch_size, seed):
    """(seconds in ``model.fit``, its History); building is not timed."""
    model = build(seed)
    return timed(
        lambda: model.fit(
            x,
            y,
            epochs=epochs,
            batch_size=batch_size,
            validation_data=val,
            verbose=0,
            shuffle=False,
        )
    )


def ours(
    build, x, y, val, *, epochs, batch_size, seed, lr=None, shuffle=True, jit=None
):
    """(seconds in ``train.fit``, its result); building the model is not timed."""
    model = build(seed)
    if lr is not None:
        model.optimizer.learning_rate = lr
    return timed(
        lambda: train.fit(
            model,
            x,
            y,
            epochs=epochs,
            batch_size=batch_size,
            validation_data=val,
            seed=seed,
            shuffle=shuffle,
            jit_compile=jit,
        )
    )


def compare(name, build, x, y, val, *, epochs, batch_size, lr) -> list[dict]:
    """One row per strategy: the default graph loop (``jit_compile=False``)
    and, for models ``jit_compile=None`` sends to XLA, that XLA loop too."""
    kw = {"epochs": epochs, "batch_size": batch_size}
    fits = []
    for seed in (0, 1, 2):
        seconds, h = keras_fit(build, x, y, val, seed=seed, **kw)
        fits.append(seconds)
        if seed == 0:
            reference_history = h.history
    fit_median = statistics.median(fits)
    limit_first, limit = xla_reference(build, x, y, val, **kw)
    loops = [None, False] if train.prefers_xla(build(0)) else [False]
    names = {None: "XLA (None)", False: "graph (default)"}

    def same(result):
        return all(
            np.allclose(result.history[k], v, rtol=LOSS_RTOL, atol=1e-6)
            for k, v in reference_history.items()
        )

    out = []
    for jit in loops:
        train.clear_compiled()
        kw["jit"] = jit
        first, result = ours(build, x, y, val, seed=0, shuffle=False, **kw)
        same_first = same(result)
        _, again = ours(build, x, y, val, seed=0, shuffle=False, **kw)
        same_again = same(again)
        runs = {"new seed": [], "new lr": [], "new size": []}
        traced = []
        for i in range(3):
            seconds, r = ours(build, x, y, val, seed=5 + i, **kw)
            runs["new seed"].append(seconds)
            traced.append(r.compiled)
            seconds, r = ours(build, x, y, val, seed=5, lr=lr * (1 + i), **kw)
            runs["new lr"].append(seconds)
            traced.append(r.compiled)
            m = len(x) * (5 + i) // 8  # ⅝, ¾ and ⅞ of the points
            seconds, r = ours(build, x[:m], y[:m], val, seed=5, **kw)
            runs["new size"].append(seconds)
            traced.append(r.compiled)
        rerun = {k: statistics.median(v) for k, v in runs.items()}
        out.append(
            {
                "workload": name,
                "dlcore loop (jit_compile)": names[jit],
                "model.fit median (min–max)": f"{fit_median:.2f} ({min(fits):.2f}–"
                f"{max(fits):.2f})",
                "XLA limit: compile+run / run": f"{limit_first:.2f} / {limit:.3f}",
                "dlcore first run": first,
                "re-run: new seed / new lr / new size (median of 3)": " / ".join(
                    f"{v:.3f}" for v in rerun.values()
                ),
                "first ×fit": fit_median / first,
                "re-run ×fit (min–max)": f"{fit_median / rerun['new seed']:.1f} "
                f"({min(fits) / rerun['new seed']:.1f}–"
                f"{max(fits) / rerun['new seed']:.1f})",
                "re-run ÷ limit (seed / lr / size)": " / ".join(
                    f"{v / limit:.2f}" for v in rerun.values()
                ),
                "traced on re-runs": f"{sum(traced)} of {len(traced)}",
                f"losses = model.fit, first / re-run (rtol {LOSS_RTOL:g})": (
                    f"{'yes' if same_first else 'NO'} / {'yes' if same_again else 'NO'}"
                ),
            }
        )
    return out


def rows(only: str = "") -> list[dict]:
    toy = datasets.load("xor", num_samples=640, noise=0.1, seed=0)  # 512 train
    digits = datasets.load("digits", seed=0)
    flat = (digits.x_train[..., 0], digits.y_train)
    work = [
        ("MLP 2-8-8-1, 512 pts, batch 32, 100 ep", mlp, toy, None, 100, 32, 0.03),
        ("digits CNN, 1347 img, batch 64, 10 ep", cnn, digits, None, 10, 64, 3e-3),
        ("digits LSTM(32), 8×8, batch 64, 10 ep", lstm, digits, flat, 10, 64, 1e-2),
    ]
    out = []
    for name, build, ds, xy, epochs, batch_size, lr in work:
        if only and only.lower() not in name.lower():
            continue
        if xy is None:
            x, y, val = ds.x_train, ds.y_train, (ds.x_val, ds.y_val)
        else:
            x, y, val = *xy, (ds.x_val[..., 0], ds.y_val)
        new = compare(
            name, build, x, y, val, epochs=epochs, batch_size=batch_size, lr=lr
        )
        out += new
        print(table(new), flush=True)
    return out


def table(data: list[dict]) -> str:
    heads = list(data[0])

    def fmt(v):
        if isinstance(v, bool):
            return "yes" if v else "no"
        if isinstance(v, float):
            return f"{v:.3f}" if v < 1 else f"{v:.2f}"
        return str(v)

    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    lines += ["| " + " | ".join(fmt(r[h]) for h in heads) + " |" for r in data]
    return "\n".join(lines)


def append(text: str, path: Path) -> None:
    """Replace the issue-19 section of ``path`` (up to the next ``## ``
    heading; the sections after it stay), or add it at the end."""
    old = path.read_text(encoding="utf-8")
    if SECTION not in old:
        path.write_text(old.rstrip("\n") + "\n\n" + text, encoding="utf-8")
        return
    head, rest = old.split(SECTION, 1)
    tail = rest.split("\n## ", 1)[1] if "\n## " in rest else ""
    new = head + text.rstrip("\n") + "\n"
    if tail:
        new += "\n## " + tail
    path.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--append", action="store_true")
    parser.add_argument("--only", default="", help="workloads whose name has this")
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    info = runtime.device_info()
    load = os.getloadavg()
    body = table(rows(args.only))
    text = (
        f"{SECTION}\n\n"
        f"Generated by `python bench/trainer.py` on {time.strftime('%Y-%m-%d %H:%M')}"
        f": {platform.machine()}, {os.cpu_count()} cores, device {info['device']}, "
        f"TensorFlow {info['tensorflow']}, Keras {info['keras']}, load average "
        f"{load[0]:.2f} at the start. Seconds, wall clock, one process.\n\n"
        f"{body}\n\n"
        "`XLA limit`: one `tf.function(jit_compile=True)` over all epochs and "
        "batches (train + validation per epoch, metrics on the device), the same "
        "Keras model and Adam. `re-run`: the same architecture, already compiled, "
        "with a new seed, a new learning rate, or ⅝, ¾ and ⅞ of the training "
        "points (median of 3 each). "
        "`×fit` uses the median of 3 `model.fit` runs (spread from the min and "
        "max).\n"
    )
    print(text)
    if args.append:
        append(text, Path(args.out))


if __name__ == "__main__":
    main()
