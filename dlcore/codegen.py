"""Export the Keras code behind a result as a standalone script.

A page's config becomes a plain Python script (NumPy + Keras + the dataset
code, no dlcore) that reproduces the run with ``model.fit``. The dataset
generator's own source is copied in with :func:`inspect.getsource`, so what
students download is exactly what the dashboard ran.

>>> print(constants(EPOCHS=10, NAME="xor"))
EPOCHS = 10
NAME = 'xor'
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable

from dlcore import datasets


def source(*functions: Callable) -> str:
    """The source code of ``functions``, separated by blank lines."""
    return "\n\n".join(textwrap.dedent(inspect.getsource(f)).strip() for f in functions)


def constants(**values: object) -> str:
    """``NAME = repr(value)`` lines, in the order given."""
    return "\n".join(f"{name} = {value!r}" for name, value in values.items())


def header(title: str, description: str) -> str:
    return (
        f'"""{title}\n\n{textwrap.fill(description, 80)}\n\n'
        'Run: python this_file.py\n"""'
    )


def dataset_code(name: str, *, seed_name: str = "SEED") -> str:
    """Code that loads ``name`` into x_train, y_train, x_val, y_val."""
    if name in datasets.TOY_GENERATORS:
        generator = datasets.TOY_GENERATORS[name]
        return "\n\n".join(
            [
                source(generator, datasets.split),
                f"x, y = {generator.__name__}(NUM_SAMPLES, NOISE, {seed_name})\n"
                "x_train, y_train, x_val, y_val = "
                f"split(x, y, VAL_FRACTION, {seed_name})",
            ]
        )
    if name == "digits":
        return (
            "from sklearn.datasets import load_digits\n\n"
            + source(datasets.split)
            + "\n\n"
            "digits = load_digits()\n"
            "x = (digits.images / 16.0).astype(np.float32)[..., None]"
            "  # (1797, 8, 8, 1)\n"
            "y = digits.target.astype(np.int32)\n"
            f"x_train, y_train, x_val, y_val = split(x, y, VAL_FRACTION, {seed_name})"
        )
    if name in ("mnist", "fashion_mnist"):
        return (
            f"(x_train, y_train), (x_val, y_val) = keras.datasets.{name}.load_data()\n"
            "x_train = (x_train.astype(np.float32) / 255.0)[..., None]\n"
            "x_val = (x_val.astype(np.float32) / 255.0)[..., None]\n"
            "y_train, y_val = y_train.astype(np.int32), y_val.astype(np.int32)"
        )
    raise ValueError(f"No exportable loader for dataset {name!r}")


#: The training loop of every export: ``model.fit`` one epoch at a time on a
#: freshly shuffled copy, shuffled exactly as ``dlcore.train.fit`` does. (The
#: backslash-newline inside the string only keeps this source line short.)
FIT_LOOP = """\
history = {}
for epoch in range(EPOCHS):
    # The dashboard shuffles every epoch with this seeded permutation (instead of
    # model.fit's own shuffling), so this script sees the very same batches.
    order = np.random.default_rng([SEED, epoch]).permutation(len(x_train))
    logs = model.fit(
        x_train[order],
        y_train[order],
        batch_size=BATCH_SIZE,
        epochs=1,
        shuffle=False,
        validation_data=(x_val, y_val),
        verbose=0,
    ).history
    for name, values in logs.items():
        history.setdefault(name, []).extend(values)
    print(f"epoch {epoch + 1}/{EPOCHS}", \
{k: round(v[-1], 4) for k, v in history.items()})

final = {name: values[-1] for name, values in history.items()}
print("FINAL", final)"""


def script(*parts: str) -> str:
    """Join script parts with blank lines and end with a newline."""
    return "\n\n".join(part.strip("\n") for part in parts if part) + "\n"
