"""Benchmarks: dlcore.train.fit vs model.fit, page times, memory over many trainings.

Run from the repository root:

    python bench/bench.py                # trainer + pages, writes bench/RESULTS.md
    python bench/bench.py --memory 200   # also: RSS over 200 trainings

Every comparison runs both sides in the same process, on the same data, with
the same initial weights; the ratios are what the README reports.
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
os.environ.setdefault("DLCORE_EXECUTOR", "thread")
os.environ.setdefault("DLCORE_CACHE_DIR", "none")

import numpy as np  # noqa: E402

from dlcore import datasets, runtime, train  # noqa: E402

keras = train.keras


def mlp(seed: int, lr: float = 0.01) -> keras.Model:
    init = keras.initializers.GlorotUniform(seed=seed)
    model = keras.Sequential(
        [
            keras.Input((2,)),
            keras.layers.Dense(8, activation="tanh", kernel_initializer=init),
            keras.layers.Dense(8, activation="tanh", kernel_initializer=init),
            keras.layers.Dense(1, activation="sigmoid", kernel_initializer=init),
        ]
    )
    model.compile(
        keras.optimizers.Adam(lr), "binary_crossentropy", metrics=["accuracy"]
    )
    return model


def cnn(seed: int) -> keras.Model:
    init = keras.initializers.GlorotUniform(seed=seed)
    model = keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            keras.layers.Conv2D(
                16, 3, padding="same", activation="relu", kernel_initializer=init
            ),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(
                32, 3, padding="same", activation="relu", kernel_initializer=init
            ),
            keras.layers.MaxPooling2D(),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax", kernel_initializer=init),
        ]
    )
    model.compile(
        keras.optimizers.Adam(1e-3),
        "sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def lstm(seed: int) -> keras.Model:
    init = keras.initializers.GlorotUniform(seed=seed)
    model = keras.Sequential(
        [
            keras.Input((8, 8)),  # digits: 8 rows as 8 time steps of 8 pixels
            keras.layers.LSTM(
                32,
                kernel_initializer=init,
                recurrent_initializer=keras.initializers.Orthogonal(seed=seed),
            ),
            keras.layers.Dense(10, activation="softmax", kernel_initializer=init),
        ]
    )
    model.compile(
        keras.optimizers.Adam(3e-3),
        "sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def compare(name, build, x, y, val, *, epochs, batch_size) -> dict:
    """model.fit (new model each time) vs dlcore first run vs dlcore re-run."""
    fit_first, h = timed(
        lambda: build(0).fit(
            x,
            y,
            epochs=epochs,
            batch_size=batch_size,
            validation_data=val,
            verbose=0,
            shuffle=False,
        )
    )
    fit_again, _ = timed(
        lambda: build(1).fit(
            x,
            y,
            epochs=epochs,
            batch_size=batch_size,
            validation_data=val,
            verbose=0,
            shuffle=False,
        )
    )
    train.clear_compiled()
    ours_first, r = timed(
        lambda: train.fit(
            build(0),
            x,
            y,
            epochs=epochs,
            batch_size=batch_size,
            validation_data=val,
            shuffle=False,
        )
    )
    reruns = []
    for seed in (2, 3, 4):  # new weights (and data order) for the same architecture
        seconds, _ = timed(
            lambda seed=seed: train.fit(
                build(seed),
                x,
                y,
                epochs=epochs,
                batch_size=batch_size,
                validation_data=val,
                seed=seed,
            )
        )
        reruns.append(seconds)
    ours_again = statistics.median(reruns)
    same = np.allclose(r.history["loss"], h.history["loss"], rtol=1e-4)
    return {
        "workload": name,
        "model.fit (new model)": fit_first,
        "model.fit (2nd new model)": fit_again,
        "dlcore first run": ours_first,
        "dlcore re-run (median of 3)": ours_again,
        "first-run speed-up": fit_first / ours_first,
        "re-run speed-up": fit_again / ours_again,
        "same losses as model.fit": same,
    }


def trainer_rows() -> list[dict]:
    toy = datasets.load("xor", num_samples=640, noise=0.1, seed=0)  # 512 train points
    digits = datasets.load("digits", seed=0)
    rows = [
        compare(
            "MLP 2-8-8-1, 512 points, batch 32, 100 epochs",
            mlp,
            toy.x_train,
            toy.y_train,
            (toy.x_val, toy.y_val),
            epochs=100,
            batch_size=32,
        ),
        compare(
            "digits CNN (2 conv blocks), 1347 images, batch 64, 10 epochs",
            cnn,
            digits.x_train,
            digits.y_train,
            (digits.x_val, digits.y_val),
            epochs=10,
            batch_size=64,
        ),
        compare(
            "digits LSTM(32), 8 steps × 8 features, batch 64, 10 epochs",
            lstm,
            digits.x_train[..., 0],
            digits.y_train,
            (digits.x_val[..., 0], digits.y_val),
            epochs=10,
            batch_size=64,
        ),
    ]
    return rows


def task_rows() -> list[dict]:
    """Every registered task's default training (in-process, TF warm)."""
    from dlcore import topics

    rows = []
    for task in topics.all_tasks():
        fn, config, metric = task.train_fn, task.default_config(), task.metric
        first: list[float] = []
        start = time.perf_counter()

        def on_progress(event, start=start, first=first):
            if not first:
                first.append(time.perf_counter() - start)

        result = fn(config, on_progress=on_progress)
        seconds = time.perf_counter() - start
        shown = {metric: result.metrics[metric]} if metric else result.metrics
        summary = ", ".join(
            f"{k} = {v:.3f}"
            for k, v in list(shown.items())[:4]
            if isinstance(v, (int, float))
        )
        rows.append(
            {
                "training (default config)": f"`{task.name}` (`{task.train}`)",
                "first progress (s)": first[0] if first else float("nan"),
                "total (s)": seconds,
                "status": result.status,
                "metrics": summary,
            }
        )
    return rows


COLD_SCRIPT = """
import json, sys, time
start = time.perf_counter()
from dlcore import topics
task = topics.task_named(sys.argv[1])
fn, config = task.train_fn, task.default_config()
imported = time.perf_counter() - start
first = []
def on_progress(event):
    if not first:
        first.append(time.perf_counter() - start)
result = fn(config, on_progress=on_progress)
total = time.perf_counter() - start
print(json.dumps({"imported": imported, "first": first[0] if first else None,
                  "total": total, "status": result.status}))
"""


def cold_rows() -> list[dict]:
    """Every registered task's default training in a fresh Python process.

    What the first student after a server start waits for when the training
    worker has not imported TensorFlow yet: interpreter start, imports, the
    first tracing of the architecture, the training itself.
    """
    import json
    import subprocess
    import sys

    from dlcore import topics

    rows = []
    for task in topics.all_tasks():
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", COLD_SCRIPT, task.name],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=900,
            check=True,
        )
        wall = time.perf_counter() - start
        data = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(
            {
                "task (default config)": f"`{task.name}`",
                "imports (s)": data["imported"],
                "first progress (s)": data["first"],
                "total in process (s)": data["total"],
                "wall incl. interpreter (s)": wall,
                "status": data["status"],
            }
        )
    return rows


def first_page_rows() -> list[dict]:
    """A fresh server, then the first visit in headless Chromium.

    Times from the browser's request: the page title drawn, the first control
    drawn, every chart drawn.
    """
    import shutil
    import socket
    import subprocess
    import sys
    import tempfile
    import urllib.request

    from playwright.sync_api import sync_playwright

    rows = []
    for slug in ("home", "playground"):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        cache = tempfile.mkdtemp()
        command = [sys.executable, "-m", "streamlit", "run", "app.py"]
        command += ["--server.headless=true", f"--server.port={port}"]
        server = subprocess.Popen(
            [*command, "--server.address=127.0.0.1"],
            cwd=ROOT,
            env={**os.environ, "DLCORE_CACHE_DIR": cache},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(240):
                try:
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.25)
            with sync_playwright() as p:
                flags = ["--no-sandbox", "--disable-gpu"]
                browser = p.chromium.launch(
                    executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                    headless=True,
                    args=[*flags, "--disable-background-networking"],
                )
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                start = time.perf_counter()
                page.goto(f"{url}/{'' if slug == 'home' else slug}?lang=en")
                page.locator("h1").first.wait_for(timeout=300_000)
                title = time.perf_counter() - start
                page.locator(
                    "[data-testid='stSlider'], [data-testid='stSelectbox'], "
                    "[data-testid='stButtonGroup']"
                ).first.wait_for(timeout=300_000)
                control = time.perf_counter() - start
                page.locator(
                    "[data-testid='stApp'][data-test-script-state='notRunning']"
                ).wait_for(state="attached", timeout=300_000)
                page.wait_for_function(
                    "() => [...document.querySelectorAll("
                    "\"[data-testid='stPlotlyChart']\")].every("
                    "(el) => el.querySelector('.main-svg'))",
                    timeout=300_000,
                )
                done = time.perf_counter() - start
                browser.close()
        finally:
            server.terminate()
            server.wait(30)
            shutil.rmtree(cache, ignore_errors=True)
        rows.append(
            {
                "first visit after a server start": f"`/{slug}`",
                "title drawn (s)": title,
                "first control drawn (s)": control,
                "page complete (s)": done,
            }
        )
    return rows


def page_rows() -> list[dict]:
    """Cold (training included) and cached AppTest runs of every page."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from ui import shell

    rows = []
    AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()  # warm imports
    for spec in shell.available_pages():
        st.cache_data.clear()
        times = []
        for _ in range(2):
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
            at.switch_page(f"pages/{spec.slug}.py")
            seconds, at = timed(at.run)
            assert not at.exception, [e.message for e in at.exception]
            times.append(seconds)
        rows.append({"page": spec.slug, "cold (s)": times[0], "cached (s)": times[1]})
    return rows


def memory_rows(num_trainings: int) -> list[dict]:
    """RSS growth over many distinct trainings: in-process vs recycled workers."""
    import psutil

    from dlcore import cache, jobs, playground

    me = psutil.Process()

    def total_rss() -> float:
        procs = [me, *me.children(recursive=True)]
        return sum(p.memory_info().rss for p in procs if p.is_running()) / 2**20

    rows = []
    for executor, per_worker in (("thread", 0), ("process", 40)):
        svc = jobs.TrainingService(
            cache.ResultCache(None, memory_items=8),
            executor=executor,
            tasks_per_worker=per_worker or 1,
        )
        samples = []
        start = time.perf_counter()
        for i in range(num_trainings):
            config = playground.PlaygroundConfig(
                hidden_layers=(4 + i % 5,) * (1 + i % 3), epochs=5, seed=i
            )
            handle = svc.submit(playground.train_playground, config)
            assert handle.wait_done(600).state == jobs.DONE
            handle.release()
            if i in (0, 9) or (i + 1) % 50 == 0:
                samples.append((i + 1, total_rss()))
        elapsed = time.perf_counter() - start
        svc.shutdown()
        rows.append(
            {
                "executor": f"{executor}"
                + (f" (recycled every {per_worker})" if per_worker else ""),
                "trainings": num_trainings,
                "RSS after 1 / 10 (MB)": f"{samples[0][1]:.0f} / {samples[1][1]:.0f}",
                "RSS after each 50 (MB)": ", ".join(f"{r:.0f}" for _, r in samples[2:]),
                "growth 10→end (MB)": samples[-1][1] - samples[1][1],
                "seconds": elapsed,
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--memory", type=int, default=0, help="trainings for the RSS test"
    )
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument(
        "--cold", action="store_true", help="fresh-process trainings, first visit"
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    info = runtime.device_info()
    sections = [
        "# Benchmark results\n",
        f"Generated by `python bench/bench.py` on {time.strftime('%Y-%m-%d')}: "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"device {info['device']}, TensorFlow {info['tensorflow']}, "
        f"Keras {info['keras']}. "
        "Times in seconds, wall clock, same process for both sides.\n",
        "## dlcore.train.fit vs model.fit\n",
        table(trainer_rows()),
        "\n`first run` includes tracing a new architecture; `re-run` is what a "
        "slider move does (new weights / seed, same architecture): the compiled "
        "loop is reused.\n",
    ]
    sections += [
        "## Default trainings of the pages\n",
        table(task_rows()),
        "\nRun in-process right after the trainer benchmark (TensorFlow imported, each "
        "architecture traced for the first time here). `first progress` is when the "
        "first epoch's metrics reach the page's live chart.\n",
    ]
    if args.cold:
        sections += [
            "## Cold start: each default training in a fresh process\n",
            table(cold_rows()),
            "\nA fresh Python process per task (what a new training worker does "
            "before the server has warmed it): imports, first tracing, training. "
            "In the app the worker process is started, and imports TensorFlow, "
            "when the first page is opened, so a student's first training pays "
            "only the tracing and training part.\n",
            "## First visit after a server start\n",
            table(first_page_rows()),
            "\nA new `streamlit run app.py` per row, then one headless Chromium "
            "visit; TensorFlow loads in a background thread meanwhile.\n",
        ]
    if not args.skip_pages:
        sections += [
            "## Pages (AppTest, in-process training)\n",
            table(page_rows()),
            "",
        ]
    if args.memory:
        sections += [
            "## Memory over many trainings\n",
            table(memory_rows(args.memory)),
            "\nRSS of the server process plus its worker processes. Each training "
            "builds a new Keras model (different architectures and seeds).\n",
        ]
    text = "\n".join(sections) + "\n"
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
