"""The race as a standalone Keras script (NumPy + Keras, no dlcore)."""

from __future__ import annotations

import textwrap

from dlcore import blocks, codegen
from dlcore.optimizers.tasks import RaceConfig, build_race_model, race_entries


def code_race(config: RaceConfig) -> str:
    """A standalone script (NumPy + Keras, no dlcore): the race with ``model.fit``.

    >>> code = code_race(RaceConfig())
    >>> "keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)" in code
    True
    """
    entries = race_entries(config)
    optimizers = "\n".join(
        f"    {run!r}: {blocks.optimizer_code(name, lr)}," for run, name, lr in entries
    )
    loop = (
        "results = {}\n"
        "for run_name, optimizer in OPTIMIZERS.items():\n"
        '    print("---", run_name)\n'
        "    # The same seed, hence the same initial weights, for every optimizer.\n"
        "    model = build_race_model(x_train.shape[1:], NUM_CLASSES, SEED)\n"
        "    model.compile(\n"
        "        optimizer=optimizer,\n"
        "        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),\n"
        '        metrics=["accuracy"],\n'
        "    )\n"
        + textwrap.indent(codegen.FIT_LOOP, "    ")
        + "\n    results[run_name] = final\n\n"
        "for run_name, final in results.items():\n"
        "    print(f\"{run_name:>20}: loss {final['loss']:.4f}, \"\n"
        "          f\"val_accuracy {final['val_accuracy']:.3f}\")\n"
        "# The dashboard's metrics, '<run>/<metric>', on the last line.\n"
        'print("FINAL", {f"{run}/{name}": value for run, final in results.items()\n'
        "                for name, value in final.items()})"
    )
    return codegen.script(
        codegen.header(
            "Optimizer race: one network, the same initial weights, several optimizers",
            f"Reproduces the dashboard race on {config.dataset!r}: "
            f"{', '.join(e[0] for e in entries)}; {config.epochs} epochs, "
            f"batch size {config.batch_size}.",
        ),
        "import numpy as np\nimport keras",
        codegen.constants(
            SEED=config.seed,
            NUM_SAMPLES=512,
            NOISE=0.1,
            VAL_FRACTION=0.25 if config.dataset == "digits" else 0.2,
            NUM_CLASSES=10 if config.dataset == "digits" else 2,
            BATCH_SIZE=config.batch_size,
            EPOCHS=config.epochs,
        ),
        codegen.dataset_code(config.dataset),
        codegen.source(build_race_model),
        "OPTIMIZERS = {\n" + optimizers + "\n}",
        loop,
    )
