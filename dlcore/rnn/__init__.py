"""Recurrent neural networks (循环神经网络): the recurrence step by step,
long-range memory measured, and text with embeddings. The public notebook API
of the RNN page; every name is importable from ``dlcore.rnn``.

- :func:`adding_problem` ``(num_samples, timesteps, seed) -> (x, y)``: x
  float32 (N, T, 2), y (N,) (Hochreiter & Schmidhuber 1997).
- :func:`unroll` ``(layer, x) -> {name: (N, T, units)}``: the states (and
  LSTM / GRU gates) of a built Keras recurrent layer, computed by hand.
- :func:`gradient_through_time` ``(model, x, y) -> (T,)``: ‖∂loss/∂x_t‖.

>>> x, y = adding_problem(8, 30, seed=0)
>>> x.shape, y.shape, param_count("lstm", 32, 2)
((8, 30, 2), (8,), 4480)
"""

from dlcore.rnn.core import (
    CELLS,
    GENERATORS,
    TASKS,
    adding_problem,
    gradient_through_time,
    noisy_sine,
    param_count,
    param_formula,
    recall_task,
    trivial_prediction,
    unroll,
)
from dlcore.rnn.export import code_memory, code_sentiment
from dlcore.rnn.models import build_sequence_model, keras, recurrent_layer
from dlcore.rnn.tasks import (
    MEMORY_CONTROLS,
    PRESETS,
    SENTIMENT_CONTROLS,
    SENTIMENT_MODELS,
    SMOKE_MEMORY,
    SMOKE_SENTIMENT,
    ImdbConfig,
    MemoryConfig,
    SentimentConfig,
    estimate_imdb,
    estimate_memory,
    estimate_sentiment,
    memory_control_values,
    memory_data,
    sentiment_control_values,
    train_imdb,
    train_memory,
    train_sentiment,
)

__all__ = [
    "CELLS",
    "GENERATORS",
    "MEMORY_CONTROLS",
    "PRESETS",
    "SENTIMENT_CONTROLS",
    "SENTIMENT_MODELS",
    "SMOKE_MEMORY",
    "SMOKE_SENTIMENT",
    "TASKS",
    "ImdbConfig",
    "MemoryConfig",
    "SentimentConfig",
    "adding_problem",
    "build_sequence_model",
    "code_memory",
    "code_sentiment",
    "estimate_imdb",
    "estimate_memory",
    "estimate_sentiment",
    "gradient_through_time",
    "keras",
    "memory_control_values",
    "memory_data",
    "noisy_sine",
    "param_count",
    "param_formula",
    "recall_task",
    "recurrent_layer",
    "sentiment_control_values",
    "train_imdb",
    "train_memory",
    "train_sentiment",
    "trivial_prediction",
    "unroll",
]
