"""Configure TensorFlow before its first use and report the device.

TensorFlow reads its thread-pool sizes and GPU memory policy once, when the
runtime starts; after that, changing them raises ``RuntimeError``. Importing
this module (every ``dlcore`` module that needs TensorFlow does) sets the
environment variables first, so the order of imports cannot go wrong.

>>> from dlcore import runtime
>>> info = runtime.device_info()
>>> sorted(info) == ["device", "gpu", "keras", "tensorflow", "threads"]
True
"""

from __future__ import annotations

import functools
import os
import sys

# A 2-core classroom server: one intra-op pool sized to the machine, one
# inter-op thread (the graphs here are small and sequential), quiet logs, and
# GPU memory that grows instead of being grabbed whole at start-up.
_CPU_COUNT = os.cpu_count() or 1
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_NUM_INTRAOP_THREADS", str(min(_CPU_COUNT, 8)))
os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")
os.environ.setdefault("TF_FORCE_GPU_ALLOW_GROWTH", "true")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("ABSL_MIN_LOG_LEVEL", "3")

#: Linux exposes this device file when an NVIDIA driver is loaded.
NVIDIA_DEVICE = "/dev/nvidiactl"


def _import_tensorflow() -> None:
    """Import TensorFlow and probe the GPU; without an NVIDIA driver, silently.

    Without a driver, TensorFlow's CUDA probe writes "failed call to cuInit:
    ... UNKNOWN ERROR (303)" to the process's stderr (C++ logging, before
    ``TF_CPP_MIN_LOG_LEVEL`` applies). On a CPU-only server that line is noise
    that reads like a failure, so stderr is pointed at /dev/null for the
    import. Set ``DLCORE_TF_LOGS=1`` to see it. Import errors still raise.
    """
    if os.path.exists(NVIDIA_DEVICE) or os.environ.get("DLCORE_TF_LOGS"):
        import tensorflow

        return
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        import tensorflow

        tensorflow.config.list_physical_devices("GPU")  # the CUDA probe runs here
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


# Runs once, under the import lock, before any dlcore module imports Keras.
if "tensorflow" not in sys.modules:
    _import_tensorflow()


@functools.lru_cache(maxsize=1)
def tf():
    """Import TensorFlow once, with the settings above, and return the module."""
    import tensorflow

    try:
        for gpu in tensorflow.config.list_physical_devices("GPU"):
            tensorflow.config.experimental.set_memory_growth(gpu, True)
    except RuntimeError:  # the runtime was already initialised elsewhere
        pass
    tensorflow.get_logger().setLevel("ERROR")
    return tensorflow


@functools.lru_cache(maxsize=1)
def device_info() -> dict[str, str | int | bool]:
    """Describe where training runs.

    Returns:
        A dict with ``tensorflow`` and ``keras`` versions, ``gpu`` (True when a
        GPU is visible), ``device`` (the GPU's name, or ``"CPU, N threads"``)
        and ``threads`` (the intra-op thread count).
    """
    tensorflow = tf()
    import keras

    gpus = tensorflow.config.list_physical_devices("GPU")
    threads = int(os.environ.get("TF_NUM_INTRAOP_THREADS", _CPU_COUNT))
    if gpus:
        details = tensorflow.config.experimental.get_device_details(gpus[0])
        name = details.get("device_name", gpus[0].name)
        device = f"GPU: {name}" + (f" (+{len(gpus) - 1})" if len(gpus) > 1 else "")
    else:
        device = f"CPU, {threads} threads"
    return {
        "tensorflow": tensorflow.__version__,
        "keras": keras.__version__,
        "gpu": bool(gpus),
        "device": device,
        "threads": threads,
    }
