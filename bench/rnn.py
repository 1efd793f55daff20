"""RNN page benchmark: dlcore.train.fit vs model.fit on the page's recurrent models.

Run from the repository root:

    python bench/rnn.py            # prints the tables
    python bench/rnn.py --append   # also appends the section "RNN page" to
                                   # bench/RESULTS.md (other sections untouched)

Both sides run in one process, on the same data, from the same initial
weights, with the same batch size, epochs and validation data: the page's
default long-range-memory config (SimpleRNN, LSTM, GRU on the adding problem)
and the default sentiment LSTM. Then each default task of the page runs cold
in a fresh Python process.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DLCORE_EXECUTOR", "thread")
os.environ.setdefault("DLCORE_CACHE_DIR", "none")

import numpy as np  # noqa: E402

from dlcore import runtime, train  # noqa: E402
from dlcore.rnn import tasks, text  # noqa: E402


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def compare(name: str, build, x, y, val, *, epochs: int, batch_size: int) -> dict:
    """Idiomatic ``model.fit`` vs ``dlcore.train.fit`` (first run, re-run)."""
    keras_s, history = timed(
        lambda: build(0).fit(
            x,
            y,
            epochs=epochs,
            batch_size=batch_size,
            validation_data=val,
            verbose=0,
        )
    )
    ours_s, result = timed(
        lambda: train.fit(
            build(0),
            x,
            y,
            epochs=epochs,
            batch_size=batch_size,
            validation_data=val,
            seed=0,
        )
    )
    rerun_s, rerun = timed(
        lambda: train.fit(
            build(1),
            x,
            y,
            epochs=epochs,
            batch_size=batch_size,
            validation_data=val,
            seed=1,
        )
    )
    return {
        "model": name,
        "model.fit (s)": keras_s,
        "dlcore first run (s)": ours_s,
        "dlcore re-run, new seed (s)": rerun_s,
        "first-run ratio": keras_s / ours_s,
        "re-run ratio": keras_s / rerun_s,
        "final val_loss fit / dlcore": (
            f"{history.history['val_loss'][-1]:.4f} / "
            f"{result.history['val_loss'].iloc[-1]:.4f}"
        ),
        "re-run compiled anew": bool(rerun.compiled),
    }


def warm_up() -> None:
    """One tiny fit on each side, so that neither pays TensorFlow's one-time
    start-up inside a timed row."""
    keras = train.keras
    x = np.zeros((8, 3, 2), np.float32)
    y = np.zeros((8, 1), np.float32)
    for side in ("keras", "dlcore"):
        model = keras.Sequential([keras.Input((3, 2)), keras.layers.Dense(1)])
        model.compile("adam", "mse")
        if side == "keras":
            model.fit(x, y, epochs=1, batch_size=4, validation_data=(x, y), verbose=0)
        else:
            train.fit(model, x, y, epochs=1, batch_size=4, validation_data=(x, y))


def trainer_rows() -> list[dict]:
    warm_up()
    rows = []
    memory = tasks.MemoryConfig()
    x, y, x_val, y_val = tasks.memory_data(memory)
    for cell in memory.cells:

        def build(seed: int, cell: str = cell):
            config = tasks.MemoryConfig(seed=seed)
            return tasks.memory_model(config, cell, x.shape[-1])

        rows.append(
            compare(
                f"{cell}, adding problem T={memory.timesteps}, "
                f"{memory.num_samples} seq., batch {memory.batch_size}, "
                f"{memory.epochs} epochs",
                build,
                x,
                y,
                (x_val, y_val),
                epochs=memory.epochs,
                batch_size=memory.batch_size,
            )
        )
    sent = tasks.SentimentConfig()
    data = text.sentiment_data(sent.language, sent.num_samples, sent.seed)
    layer = text.vectorizer(
        sent.language, data.train_text, sent.max_tokens, sent.sequence_length
    )
    vocab = len(layer.get_vocabulary())
    xt, xs = text.encode(layer, data.train_text), text.encode(layer, data.test_text)

    def build_lstm(seed: int):
        return text.build_sentiment_model(
            "lstm", tasks.SentimentConfig(seed=seed), vocab
        )

    rows.append(
        compare(
            f"sentiment LSTM, {len(xt)} reviews × {sent.sequence_length} tokens, "
            f"batch {sent.batch_size}, {sent.epochs} epochs",
            build_lstm,
            xt,
            np.asarray(data.train_labels),
            (xs, np.asarray(data.test_labels)),
            epochs=sent.epochs,
            batch_size=sent.batch_size,
        )
    )
    return rows


COLD_SCRIPT = """
import json, sys, time
start = time.perf_counter()
from dlcore.rnn import tasks
name = sys.argv[1]
fn = getattr(tasks, "train_" + name)
config = tasks.MemoryConfig() if name == "memory" else tasks.SentimentConfig()
imported = time.perf_counter() - start
first = []
def on_progress(event):
    if not first:
        first.append(time.perf_counter() - start)
result = fn(config, on_progress=on_progress)
total = time.perf_counter() - start
print(json.dumps({"imported": imported, "first": first[0] if first else None,
                  "total": total, "status": result.status,
                  "estimate": getattr(tasks, "estimate_" + name)(config),
                  "metrics": result.metrics}))
"""


def cold_rows() -> list[dict]:
    rows = []
    for name in ("memory", "sentiment"):
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", COLD_SCRIPT, name],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=900,
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        wall = time.perf_counter() - start
        data = json.loads(out.stdout.strip().splitlines()[-1])
        metrics = ", ".join(f"{k} = {v:.3f}" for k, v in data["metrics"].items())
        rows.append(
            {
                "task (default config)": f"`rnn.{name}` (`train_{name}`)",
                "imports (s)": data["imported"],
                "first progress (s)": data["first"],
                "total in process (s)": data["total"],
                "wall incl. interpreter (s)": wall,
                "estimate_* (s)": data["estimate"],
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
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    info = runtime.device_info()
    load_before = load_average()
    trainer = table(trainer_rows())
    load_mid = load_average()
    cold = table(cold_rows())
    load_after = load_average()
    section = "\n".join(
        [
            "## RNN page\n",
            f"Generated by `python bench/rnn.py` on {time.strftime('%Y-%m-%d %H:%M')}"
            f" UTC: {os.cpu_count()} cores, device {info['device']}, TensorFlow "
            f"{info['tensorflow']}, Keras {info['keras']}. Load average (1 / 5 / 15 "
            f"min) before: {load_before}; after the trainer table: {load_mid}; "
            f"after the cold runs: {load_after}.\n",
            "### dlcore.train.fit vs model.fit (same process)\n",
            trainer,
            "\nEach row: idiomatic `model.fit(x, y, epochs, batch_size, "
            "validation_data, verbose=0)` on a new model (seed 0), then "
            "`dlcore.train.fit` on a new model from the same initial weights "
            "(first run: traces the architecture), then a re-run with a new seed "
            "(what a slider move does: the compiled loop is reused). Ratio = "
            "`model.fit` seconds / dlcore seconds (> 1: dlcore is faster). "
            "A tiny warm-up fit on each side runs first, so neither pays "
            "TensorFlow's one-time start-up in a row.\n",
            "### Cold default trainings (fresh process)\n",
            cold,
            "\nA fresh Python process per task: imports, first tracing of each "
            "model, training (3 cells / 3 models). `first progress` is when the "
            "first epoch's metrics reach the page's live chart.\n",
        ]
    )
    print(section)
    if args.append:
        path = Path(args.out)
        current = path.read_text(encoding="utf-8")  # re-read right before writing
        if "\n## RNN page\n" in "\n" + current:
            raise SystemExit("RESULTS.md already has a section 'RNN page'")
        separator = "" if current.endswith("\n\n") else "\n"
        with path.open("a", encoding="utf-8") as handle:
            handle.write(separator + section + "\n")


if __name__ == "__main__":
    main()
