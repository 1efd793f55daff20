"""Transformers (注意力机制与 Transformer): attention step by step, a tiny
Transformer trained live, and its attention maps. The public notebook API of
the Transformer page; every name is importable from ``dlcore.transformer``.

- :func:`positional_encoding` ``(length, depth) -> (length, depth)``: the
  sinusoidal encoding (Vaswani et al. 2017, §3.5).
- :func:`scaled_dot_product_attention` ``(q, k, v, mask=None) -> (output,
  weights)``: q (..., T_q, d), k (..., T_k, d), v (..., T_k, d_v); output
  (..., T_q, d_v), weights (..., T_q, T_k), equal to
  ``keras.layers.MultiHeadAttention``'s internals.
- :func:`attention_maps` ``(model, tokens) -> {"layer_k": (heads, T, T)}``:
  the attention weights of a model built by this page.

>>> positional_encoding(10, 8).shape
(10, 8)
>>> out, w = scaled_dot_product_attention(*[positional_encoding(3, 4)] * 3)
>>> out.shape, w.shape, bool(abs(w.sum(-1) - 1).max() < 1e-12)
((3, 4), (3, 3), True)
"""

from dlcore.transformer.core import (
    MASKS,
    causal_mask,
    embed,
    encoder_block_steps,
    encoder_param_count,
    layer_norm,
    make_mask,
    mha_param_count,
    mha_weights,
    multi_head_steps,
    padding_mask,
    positional_encoding,
    scaled_dot_product_attention,
    softmax,
    tokenize,
)
from dlcore.transformer.export import code_char, code_sequence
from dlcore.transformer.models import (
    POSITIONS,
    PositionalEmbedding,
    attention_layers,
    attention_maps,
    build_lstm,
    build_transformer,
    encoder_block,
    encoder_model,
    seed_attention,
    step_attention_layer,
)
from dlcore.transformer.tasks import (
    CHAR_CONTROLS,
    PRESETS,
    SEQUENCE_CONTROLS,
    SMOKE_CHAR,
    SMOKE_SEQUENCE,
    TASKS,
    TEXTS,
    CharConfig,
    SequenceConfig,
    char_control_values,
    char_data,
    char_rebuild,
    estimate_char,
    estimate_sequence,
    generate,
    next_char_probabilities,
    sample_next,
    sequence_control_values,
    sequence_data,
    sequence_rebuild,
    sequence_target,
    sequence_task,
    train_char,
    train_sequence,
)

__all__ = [
    "CHAR_CONTROLS",
    "MASKS",
    "POSITIONS",
    "PRESETS",
    "SEQUENCE_CONTROLS",
    "SMOKE_CHAR",
    "SMOKE_SEQUENCE",
    "TASKS",
    "TEXTS",
    "CharConfig",
    "PositionalEmbedding",
    "SequenceConfig",
    "attention_layers",
    "attention_maps",
    "build_lstm",
    "build_transformer",
    "causal_mask",
    "char_control_values",
    "char_data",
    "char_rebuild",
    "code_char",
    "code_sequence",
    "embed",
    "encoder_block",
    "encoder_block_steps",
    "encoder_model",
    "encoder_param_count",
    "estimate_char",
    "estimate_sequence",
    "generate",
    "layer_norm",
    "make_mask",
    "mha_param_count",
    "mha_weights",
    "multi_head_steps",
    "next_char_probabilities",
    "padding_mask",
    "positional_encoding",
    "sample_next",
    "scaled_dot_product_attention",
    "seed_attention",
    "sequence_control_values",
    "sequence_data",
    "sequence_rebuild",
    "sequence_target",
    "sequence_task",
    "softmax",
    "step_attention_layer",
    "tokenize",
    "train_char",
    "train_sequence",
]
