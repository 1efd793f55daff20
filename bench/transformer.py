"""Transformer page benchmark.

Run from the repository root:

    python bench/transformer.py            # prints the tables
    python bench/transformer.py --append   # also appends the section
                                           # "Transformer page" to RESULTS.md

1. The default Transformer: ``model.fit`` vs ``dlcore.train.fit`` (same process,
   same data, same initial weights).
2. Each default task of the page cold, in a fresh Python process: imports,
   first progress, the epoch and second at which the Transformer first reaches
   95 % per-token validation accuracy, total; then the same result read back
   from the on-disk result cache in another fresh process (what a cached page
   view costs the server).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DLCORE_EXECUTOR", "thread")
os.environ.setdefault("DLCORE_CACHE_DIR", "none")


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def trainer_rows() -> list[dict]:
    from dlcore import train
    from dlcore.transformer import tasks

    config = tasks.SequenceConfig()
    x, y, x_val, y_val = tasks.sequence_data(config)
    warm = tasks.sequence_model(tasks.SequenceConfig(d_model=8, d_ff=8, length=4))
    train.fit(warm, x[:64, :4], y[:64, :4], epochs=1, batch_size=32)

    def keras_fit():
        model = tasks.sequence_model(config)
        return model.fit(
            x,
            y,
            epochs=config.epochs,
            batch_size=config.batch_size,
            validation_data=(x_val, y_val),
            verbose=0,
        )

    def ours(seed: int):
        model = tasks.sequence_model(tasks.SequenceConfig(seed=seed))
        return train.fit(
            model,
            x,
            y,
            epochs=config.epochs,
            batch_size=config.batch_size,
            validation_data=(x_val, y_val),
            seed=seed,
        )

    keras_s, history = timed(keras_fit)
    first_s, first = timed(lambda: ours(0))
    rerun_s, rerun = timed(lambda: ours(1))
    return [
        {
            "model": f"Transformer {config.layers} block, d_model {config.d_model}, "
            f"{config.heads} heads, reverse {config.length} digits, "
            f"{config.num_samples} seq., {config.epochs} epochs",
            "model.fit (s)": keras_s,
            "dlcore first run (s)": first_s,
            "dlcore re-run, new seed (s)": rerun_s,
            "final val_accuracy fit / dlcore": (
                f"{history.history['val_accuracy'][-1]:.3f} / "
                f"{first.history['val_accuracy'].iloc[-1]:.3f}"
            ),
            "re-run compiled anew": bool(rerun.compiled),
        }
    ]


COLD_SCRIPT = """
import json, sys, time
start = time.perf_counter()
from dlcore import cache, jobs
from dlcore.transformer import tasks
name, directory = sys.argv[1], sys.argv[2]
fn = getattr(tasks, "train_" + name)
config = tasks.SequenceConfig() if name == "sequence" else tasks.CharConfig()
imported = time.perf_counter() - start
first, first_epoch, reached = [], [], []
def on_progress(event):
    now = time.perf_counter() - start
    if not first:
        first.append(now)
    if not first_epoch and event["epoch"] >= 1:
        first_epoch.append(now)
    if (event.get("run", "transformer") == "transformer" and not reached
            and event.get("val_accuracy", 0) >= 0.95):
        reached.append((event["epoch"], now, time.process_time()))
result = fn(config, on_progress=on_progress)
total = time.perf_counter() - start
cpu = time.process_time()
store = cache.ResultCache(directory)
store.put(jobs.result_key(jobs.task_name(fn), config, jobs.task_version(fn)), result)
print(json.dumps({"imported": imported, "first": first[0] if first else None,
                  "first_epoch": first_epoch[0] if first_epoch else None,
                  "reached": reached[0] if reached else None,
                  "total": total, "cpu": cpu, "status": result.status,
                  "estimate": getattr(tasks, "estimate_" + name)(config),
                  "metrics": result.metrics}))
"""

CACHED_SCRIPT = """
import json, sys, time
from dlcore import cache, jobs
from dlcore.transformer import tasks
name, directory = sys.argv[1], sys.argv[2]
fn = getattr(tasks, "train_" + name)
config = tasks.SequenceConfig() if name == "sequence" else tasks.CharConfig()
store = cache.ResultCache(directory)
start = time.perf_counter()
result = store.get(jobs.result_key(jobs.task_name(fn), config, jobs.task_version(fn)))
print(json.dumps({"read": time.perf_counter() - start, "hit": result is not None}))
"""


def _run(script: str, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def cold_rows() -> list[dict]:
    rows = []
    for name in ("sequence", "char"):
        with tempfile.TemporaryDirectory() as directory:
            start = time.perf_counter()
            data = _run(COLD_SCRIPT, name, directory)
            wall = time.perf_counter() - start
            cached = _run(CACHED_SCRIPT, name, directory)
        metrics = ", ".join(f"{k} = {v:.3f}" for k, v in data["metrics"].items())
        reached = data["reached"]
        rows.append(
            {
                "task (default config)": f"`transformer.{name}`",
                "imports (s)": data["imported"],
                "first progress: epoch 0 (s after imports)": (
                    data["first"] - data["imported"]
                ),
                "first trained epoch (s after imports)": (
                    data["first_epoch"] - data["imported"]
                ),
                "≥ 95 % val. accuracy at (epoch, s, CPU s)": (
                    f"{reached[0]}, {reached[1]:.2f}, {reached[2]:.2f}"
                    if reached
                    else "not reached"
                ),
                "total in process (s)": data["total"],
                "CPU time, whole process (s)": data["cpu"],
                "wall incl. interpreter (s)": wall,
                "estimate_* (s)": data["estimate"],
                "cached read (s)": cached["read"] if cached["hit"] else float("nan"),
                "status": data["status"],
                "metrics": metrics,
            }
        )
    return rows


def table(rows: list[dict]) -> str:
    heads = list(rows[0])

    def fmt(v):
        if isinstance(v, bool):
            return "yes" if v else "no"
        if isinstance(v, float):
            return f"{v:.2f}"
        return str(v)

    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    lines += ["| " + " | ".join(fmt(r[h]) for h in heads) + " |" for r in rows]
    return "\n".join(lines)


def load_average() -> str:
    try:
        return " / ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "n/a"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--append", action="store_true", help="append to RESULTS.md")
    parser.add_argument("--cold-only", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    load_before = load_average()
    cold = table(cold_rows())
    load_mid = load_average()
    trainer = "" if args.cold_only else table(trainer_rows())
    load_after = load_average()
    from dlcore import runtime

    info = runtime.device_info()
    section = "\n".join(
        [
            "## Transformer page\n",
            f"Generated by `python bench/transformer.py` on "
            f"{time.strftime('%Y-%m-%d %H:%M')} UTC: {os.cpu_count()} cores, device "
            f"{info['device']}, TensorFlow {info['tensorflow']}, Keras "
            f"{info['keras']}. Load average (1 / 5 / 15 min) before: {load_before};"
            f" after the cold runs: {load_mid}; at the end: {load_after}.\n",
            "### Cold default trainings (fresh process)\n",
            cold,
            "\nA fresh Python process per task: imports, then the first live point "
            "(epoch 0: the untrained model's loss and per-token accuracy from one "
            "forward pass, sent before the training step is traced; it equals "
            "`model.evaluate`, `tests/test_transformer.py`), then tracing and "
            "training (`transformer.sequence`: the Transformer, then the "
            "bidirectional LSTM beside it). `≥ 95 %` is the first epoch (and second"
            " since the process started) at which the Transformer's per-token "
            "validation accuracy reached 0.95. `CPU s` / `CPU time`: the process's "
            "CPU seconds (user + system, all threads), a load-independent bound on "
            "an idle machine's wall time. `cached read` is the same result read "
            "back from the on-disk result cache in another fresh process.\n",
        ]
        + (
            [
                "### dlcore.train.fit vs model.fit (same process)\n",
                trainer,
                "\nIdiomatic `model.fit` on a new model, then `dlcore.train.fit` "
                "from the same initial weights (first run traces), then a re-run "
                "with a new seed (the compiled loop is reused).\n",
            ]
            if trainer
            else []
        )
    )
    print(section)
    if args.append:
        path = Path(args.out)
        current = path.read_text(encoding="utf-8")  # re-read right before writing
        if "\n## Transformer page\n" in "\n" + current:
            raise SystemExit("RESULTS.md already has a section 'Transformer page'")
        separator = "" if current.endswith("\n\n") else "\n"
        with path.open("a", encoding="utf-8") as handle:
            handle.write(separator + section + "\n")


if __name__ == "__main__":
    main()
