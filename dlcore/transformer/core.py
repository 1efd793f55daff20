"""Attention by hand, in NumPy: what ``keras.layers.MultiHeadAttention`` and
a Transformer encoder block compute, one named step at a time.

Sources: Vaswani et al. 2017, "Attention Is All You Need" (sinusoidal
positions, scaled dot-product attention, multi-head attention, the encoder
block with residual connections and LayerNorm); d2l.ai chapter 11.

Everything here is plain NumPy (float64 unless said), so a student can read
each number; the tests compare every step with Keras.

>>> positional_encoding(4, 6).shape
(4, 6)
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np

#: Keras' masked-softmax fill value (``keras.layers.Softmax`` for float32).
LARGE_NEGATIVE = -1e9
#: Mask kinds of the step-through.
MASKS: tuple[str, ...] = ("none", "causal", "padding")
#: Longest typed sentence of the step-through (tokens).
MAX_TOKENS = 12
#: Padding token of the step-through.
PAD = "<pad>"


def positional_encoding(length: int, depth: int) -> np.ndarray:
    """The sinusoidal positional encoding of Vaswani et al. (2017), §3.5.

    ``PE[pos, 2i] = sin(pos / 10000^(2i/depth))`` and
    ``PE[pos, 2i+1] = cos(pos / 10000^(2i/depth))``.

    Args:
        length: Number of positions T (≥ 1).
        depth: Model width d_model (≥ 1); an odd last column is a sine.

    Returns:
        float32 array of shape (length, depth).
    """
    if length < 1 or depth < 1:
        raise ValueError(f"length and depth must be ≥ 1, got {length}, {depth}")
    positions = np.arange(length, dtype=np.float64)[:, None]
    pairs = np.arange(0, depth, 2, dtype=np.float64)[None, :]
    angles = positions / np.power(10000.0, pairs / depth)
    encoding = np.zeros((length, depth), dtype=np.float64)
    encoding[:, 0::2] = np.sin(angles)
    encoding[:, 1::2] = np.cos(angles[:, : depth // 2])
    return encoding.astype(np.float32)


def softmax(scores: np.ndarray, axis: int = -1) -> np.ndarray:
    """Numerically stable softmax along ``axis``."""
    shifted = scores - np.max(scores, axis=axis, keepdims=True)
    exp = np.exp(shifted)
    return exp / np.sum(exp, axis=axis, keepdims=True)


def scaled_dot_product_attention(
    q: np.ndarray,
    k: np.ndarray,
    v: np.ndarray,
    mask: np.ndarray | None = None,
    *,
    scale: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """softmax(Q Kᵀ / √d_k) · V (Vaswani et al. 2017, eq. 1).

    Args:
        q: Queries, shape (..., T_q, d_k).
        k: Keys, shape (..., T_k, d_k).
        v: Values, shape (..., T_k, d_v).
        mask: Optional boolean array broadcastable to (..., T_q, T_k); True =
            may attend. A masked score is *replaced* by −10⁹ before the
            softmax and its weight set to 0 after it, as
            ``keras.layers.Softmax`` does (a fully masked row is all zeros).
        scale: Divide the scores by √d_k (False shows what the softmax does to
            unscaled scores; Keras always scales).

    Returns:
        ``(output, weights)``: output (..., T_q, d_v), weights (..., T_q, T_k)
        whose rows sum to 1 (0 for a fully masked row), equal to
        ``keras.layers.MultiHeadAttention``'s ``attention_scores`` for the
        same projected Q, K, V.
    """
    q, k, v = (np.asarray(a, dtype=np.float64) for a in (q, k, v))
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(f"q and k need the same depth, got {q.shape}, {k.shape}")
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(f"k and v need the same length, got {k.shape}, {v.shape}")
    factor = 1.0 / np.sqrt(q.shape[-1]) if scale else 1.0
    scores = (q * factor) @ np.swapaxes(k, -1, -2)
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        scores = np.where(mask, scores, LARGE_NEGATIVE)
    weights = softmax(scores)
    if mask is not None:  # Keras zeroes masked weights (a fully masked row → 0)
        weights = np.where(mask, weights, 0.0)
    return weights @ v, weights


def causal_mask(length: int) -> np.ndarray:
    """(T, T) boolean: position i may attend to positions j ≤ i."""
    return np.tril(np.ones((length, length), dtype=bool))


def padding_mask(tokens: list[str] | np.ndarray, pad: Any = PAD) -> np.ndarray:
    """(T, T) boolean: ``keep[i] and keep[j]`` (neither is padding).

    This is the mask Keras' ``MultiHeadAttention`` builds from an
    ``Embedding(mask_zero=True)`` mask: real queries attend to real keys
    only; a padding query's row is all masked, so its weights are all 0 (its
    output is the output projection's bias alone; it is ignored downstream).
    """
    keep = np.asarray([token != pad for token in tokens], dtype=bool)
    return keep[:, None] & keep[None, :]


def make_mask(kind: str, tokens: list[str]) -> np.ndarray | None:
    """The (T, T) mask of ``kind`` (:data:`MASKS`) for ``tokens``."""
    if kind == "none":
        return None
    if kind == "causal":
        return causal_mask(len(tokens))
    if kind == "padding":
        return padding_mask(tokens)
    raise ValueError(f"mask must be one of {MASKS}, got {kind!r}")


# ----------------------------------------------------------------------------
# A typed sentence → tokens → embeddings
# ----------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)


def _is_cjk(char: str) -> bool:
    return "CJK" in unicodedata.name(char, "")


def tokenize(sentence: str, *, max_tokens: int = MAX_TOKENS) -> list[str]:
    """English words (lower-cased) and Chinese characters, in order.

    Raises:
        ValueError: ``"empty"`` (nothing to read), ``"no_tokens"`` (only
            punctuation, digits or symbols), ``"too_long"`` (more than
            ``max_tokens`` tokens; the message key is the reason).

    >>> tokenize("The cat sat.")
    ['the', 'cat', 'sat']
    >>> tokenize("我爱学习")
    ['我', '爱', '学', '习']
    """
    if not sentence or not sentence.strip():
        raise ValueError("empty")
    tokens: list[str] = []
    for match in _WORD.finditer(sentence):
        chunk = match.group(0)
        word = ""
        for char in chunk:
            if _is_cjk(char):
                if word:
                    tokens.append(word.lower())
                    word = ""
                tokens.append(char)
            else:
                word += char
        if word:
            tokens.append(word.lower())
    tokens = [t for t in tokens if not t.isdigit()]
    if not tokens:
        raise ValueError("no_tokens")
    if len(tokens) > max_tokens:
        raise ValueError("too_long")
    return tokens


def embed(tokens: list[str], d_model: int, seed: int = 0) -> np.ndarray:
    """A seeded embedding table lookup: each distinct token gets one random
    row (normal, std 1/√d) in order of first appearance; ``<pad>`` is zeros.

    Returns:
        float32 (T, d_model). Equal tokens get equal rows.
    """
    rng = np.random.default_rng(seed)
    vocabulary = list(dict.fromkeys(t for t in tokens if t != PAD))
    table = rng.normal(0.0, 1.0 / np.sqrt(d_model), (len(vocabulary), d_model))
    rows = {token: table[i] for i, token in enumerate(vocabulary)}
    out = [rows.get(token, np.zeros(d_model)) for token in tokens]
    return np.asarray(out, dtype=np.float32).reshape(len(tokens), d_model)


# ----------------------------------------------------------------------------
# Multi-head attention, step by step (the weights of a Keras layer)
# ----------------------------------------------------------------------------


def mha_weights(layer: Any) -> dict[str, np.ndarray]:
    """The weights of a built ``keras.layers.MultiHeadAttention`` (with biases).

    Returns ``{"wq", "bq", "wk", "bk", "wv", "bv", "wo", "bo"}``: ``wq``/``wk``
    /``wv`` of shape (d_model, heads, key_dim), biases (heads, key_dim), ``wo``
    (heads, key_dim, d_out), ``bo`` (d_out,).
    """
    names = ("wq", "bq", "wk", "bk", "wv", "bv", "wo", "bo")
    values = [np.asarray(w, dtype=np.float64) for w in layer.get_weights()]
    if len(values) != len(names):
        raise ValueError("expected a MultiHeadAttention layer with biases")
    return dict(zip(names, values, strict=True))


def multi_head_steps(
    query: np.ndarray,
    weights: dict[str, np.ndarray],
    mask: np.ndarray | None = None,
    *,
    value: np.ndarray | None = None,
    scale: bool = True,
) -> dict[str, np.ndarray]:
    """Self-attention (or attention of ``query`` over ``value``) with several
    heads, every intermediate named.

    Args:
        query: (T_q, d_model) inputs (no batch axis).
        weights: :func:`mha_weights` of the Keras layer.
        mask: Optional (T_q, T_k) boolean, True = may attend.
        value: (T_k, d_model) inputs of keys and values (default: ``query``).
        scale: Divide by √d_k (Keras: always).

    Returns:
        ``q``, ``k``, ``v``: (heads, T, key_dim) per-head projections
        (``x W + b``); ``scores``: (heads, T_q, T_k) = Q Kᵀ; ``scaled``: the
        scores / √d_k (or the scores when ``scale`` is False) with the mask
        applied; ``weights``: softmax rows; ``heads``: (heads, T_q, key_dim)
        = weights · V; ``concat``: (T_q, heads · key_dim), the heads side by
        side; ``output``: (T_q, d_out) = concat · W_O + b_O.
    """
    x = np.asarray(query, dtype=np.float64)
    y = x if value is None else np.asarray(value, dtype=np.float64)
    w = weights
    q = np.einsum("td,dhk->htk", x, w["wq"]) + w["bq"][:, None, :]
    k = np.einsum("td,dhk->htk", y, w["wk"]) + w["bk"][:, None, :]
    v = np.einsum("td,dhk->htk", y, w["wv"]) + w["bv"][:, None, :]
    scores = q @ np.swapaxes(k, -1, -2)
    scaled = scores / np.sqrt(q.shape[-1]) if scale else scores.copy()
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)[None]
        scaled = np.where(mask, scaled, LARGE_NEGATIVE)
    attention = softmax(scaled)
    if mask is not None:  # as keras.layers.Softmax: masked weights are 0
        attention = np.where(mask, attention, 0.0)
    heads = attention @ v
    num_heads, length, key_dim = heads.shape
    concat = np.transpose(heads, (1, 0, 2)).reshape(length, num_heads * key_dim)
    wo = w["wo"].reshape(num_heads * key_dim, -1)
    output = concat @ wo + w["bo"]
    return {
        "q": q,
        "k": k,
        "v": v,
        "scores": scores,
        "scaled": scaled,
        "weights": attention,
        "heads": heads,
        "concat": concat,
        "output": output,
    }


def layer_norm(
    x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, epsilon: float = 1e-3
) -> np.ndarray:
    """LayerNorm over the last axis (Keras' default ε = 10⁻³)."""
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + epsilon) * gamma + beta


def encoder_block_steps(
    x: np.ndarray,
    attention: dict[str, np.ndarray],
    norm1: tuple[np.ndarray, np.ndarray],
    ffn: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    norm2: tuple[np.ndarray, np.ndarray],
    mask: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """One post-norm encoder block (Vaswani et al. 2017, §3.1), by hand.

    ``a = MHA(x)``; ``h = LayerNorm(x + a)``;
    ``f = ReLU(h W₁ + b₁) W₂ + b₂``; ``out = LayerNorm(h + f)``.

    Args:
        x: (T, d_model).
        attention: :func:`mha_weights`.
        norm1, norm2: ``(gamma, beta)`` of each LayerNormalization.
        ffn: ``(W₁ (d, d_ff), b₁, W₂ (d_ff, d), b₂)``.
        mask: Optional (T, T) boolean.

    Returns:
        ``attention``, ``residual1``, ``norm1``, ``hidden`` (T, d_ff),
        ``ffn``, ``residual2``, ``output``: each step's (T, ·) array.
    """
    x = np.asarray(x, dtype=np.float64)
    a = multi_head_steps(x, attention, mask)["output"]
    r1 = x + a
    h = layer_norm(r1, *norm1)
    w1, b1, w2, b2 = (np.asarray(p, dtype=np.float64) for p in ffn)
    hidden = np.maximum(h @ w1 + b1, 0.0)
    f = hidden @ w2 + b2
    r2 = h + f
    out = layer_norm(r2, *norm2)
    return {
        "attention": a,
        "residual1": r1,
        "norm1": h,
        "hidden": hidden,
        "ffn": f,
        "residual2": r2,
        "output": out,
    }


def mha_param_count(d_model: int, heads: int, key_dim: int) -> int:
    """Parameters of ``MultiHeadAttention(heads, key_dim)`` on width d_model:
    3 · (d · h · k + h · k) for Q, K, V plus h · k · d + d for the output."""
    return 3 * (d_model * heads * key_dim + heads * key_dim) + (
        heads * key_dim * d_model + d_model
    )


def encoder_param_count(d_model: int, heads: int, key_dim: int, d_ff: int) -> int:
    """Parameters of one encoder block: attention + 2 LayerNorms (2d each) +
    the feed-forward network (d·d_ff + d_ff + d_ff·d + d)."""
    return (
        mha_param_count(d_model, heads, key_dim)
        + 4 * d_model
        + (d_model * d_ff + d_ff)
        + (d_ff * d_model + d_model)
    )
