"""GAN page benchmark: every run cold, in a fresh Python process.

Run from the repository root:

    python bench/gan.py            # prints the tables (markdown)
    python bench/gan.py --quick    # only the default 2-D run and the digits run

For each configuration: the seconds from the process start to the first live
progress event and to the end (TensorFlow import and compilation included),
the estimate the budget uses, and the lesson's numbers: modes covered of 8
and the share of high-quality samples on the ring (per loss, per preset,
three seeds of the default), D's accuracy for the digits.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, time
start = time.perf_counter()
from dlcore.gan import configs, tasks
config = eval({config!r}, vars(configs))
first = []
fn = tasks.train_digits_gan if {digits} else tasks.train_gan_2d
result = fn(config, on_progress=lambda e: first or first.append(time.perf_counter()))
end = time.perf_counter()
row = dict(result.metrics)
row.update(first=first[0] - start, total=end - start,
           estimate=(configs.estimate_digits_gan if {digits}
                     else configs.estimate_gan_2d)(config))
print("ROW", json.dumps(row))
"""

RING = [
    ("default (nonsat, seed 0)", "Gan2DConfig()"),
    ("default, seed 1", "Gan2DConfig(seed=1)"),
    ("default, seed 2", "Gan2DConfig(seed=2)"),
    ("minimax", "Gan2DConfig(loss='minimax')"),
    ("lsgan", "Gan2DConfig(loss='lsgan')"),
    ("wgan_gp", "Gan2DConfig(loss='wgan_gp')"),
    ("preset collapse", "Gan2DConfig(loss='minimax', g_lr=0.008, d_lr=0.008)"),
    (
        "preset saturating",
        "Gan2DConfig(loss='minimax', d_lr=0.005, d_steps=3, num_steps=2000)",
    ),
    (
        "preset saturating_fix",
        "Gan2DConfig(loss='nonsat', d_lr=0.005, d_steps=3, num_steps=2000)",
    ),
]
DIGITS = [
    ("digits DCGAN", "DigitsGanConfig()"),
    ("digits conditional", "DigitsGanConfig(conditional=True)"),
]


def cold(config: str, *, digits: bool) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD.format(config=config, digits=digits)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
    )
    line = next((x for x in out.stdout.splitlines() if x.startswith("ROW ")), None)
    if line is None:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(line[4:])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    ring = RING[:1] if args.quick else RING
    digits = DIGITS[:1] if args.quick else DIGITS
    print("| run | first event s | total s | estimate s | modes / 8 | high quality |")
    print("|---|---|---|---|---|---|")
    for name, config in ring:
        r = cold(config, digits=False)
        print(
            f"| {name} | {r['first']:.1f} | {r['total']:.1f} | {r['estimate']:.1f} "
            f"| {r['modes']:.0f} | {r['high_quality']:.0%} |",
            flush=True,
        )
    print()
    print("| run | first event s | total s | estimate s | D acc real | D acc fake |")
    print("|---|---|---|---|---|---|")
    for name, config in digits:
        r = cold(config, digits=True)
        print(
            f"| {name} | {r['first']:.1f} | {r['total']:.1f} | {r['estimate']:.1f} "
            f"| {r['d_real_accuracy']:.0%} | {r['d_fake_accuracy']:.0%} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
