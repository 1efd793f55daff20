"""Text and embeddings: generated reviews, ``TextVectorization``, sentiment models.

The offline data set is generated, seeded, in English or Chinese, and its
lesson is *word order*: negation (``not good``, ``不好看``) and contrast
(``good but too slow``, ``虽然…但是…``: the clause after "but" decides). Every
review is made of the same sentiment words, so a bag of words (multi-hot)
cannot tell ``the story was good but the acting was bad`` from ``the story
was bad but the acting was good``; a recurrent network reads the order.

Tokens: words for English (``split="whitespace"`` after lower-casing and
stripping punctuation, Keras' default), characters for Chinese
(``split="character"``). Index 0 is padding, index 1 the out-of-vocabulary
token ``[UNK]``; sequences are padded with zeros or truncated at the end to
``sequence_length``.

The real IMDB data set (``keras.datasets.imdb``: 25 000 training and 25 000
test reviews, each half positive and half negative) is downloaded when the
machine is online: :func:`imdb_data`, and :func:`dlcore.rnn.export.code_imdb`
is the source notes' model, fixed for Keras 3.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import numpy as np

from dlcore import train
from dlcore.rnn.core import unroll

keras = train.keras

LANGUAGES: tuple[str, ...] = ("en", "zh")
#: Sentence patterns of the generated reviews.
KINDS: tuple[str, ...] = ("plain", "negation", "contrast")

WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "subject": (
            "the movie",
            "the story",
            "the acting",
            "the music",
            "the ending",
            "this film",
        ),
        "positive": ("good", "great", "fun", "moving", "brilliant", "funny"),
        "negative": ("bad", "boring", "dull", "awful", "weak", "slow"),
    },
    "zh": {
        "subject": ("这部电影", "故事", "演员", "音乐", "结局", "剧情"),
        "positive": ("好看", "精彩", "感人", "有趣", "出色", "动人"),
        "negative": ("无聊", "难看", "糟糕", "乏味", "拖沓", "平淡"),
    },
}

#: Keras' default standardisation strips these (``string_ops``'s
#: ``DEFAULT_STRIP_REGEX``).
_STRIP = re.compile(r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']')


@dataclasses.dataclass(frozen=True)
class SentimentData:
    """Generated reviews, split 75 / 25. Labels: 1 positive, 0 negative."""

    train_text: tuple[str, ...]
    train_labels: np.ndarray
    test_text: tuple[str, ...]
    test_labels: np.ndarray
    test_kinds: tuple[str, ...]


def _clause(language: str, rng: np.random.Generator, negate: bool) -> tuple[str, int]:
    words = WORDS[language]
    subject = words["subject"][rng.integers(len(words["subject"]))]
    positive = bool(rng.integers(2))
    pool = words["positive"] if positive else words["negative"]
    adjective = pool[rng.integers(len(pool))]
    label = int(positive != negate)
    if language == "en":
        return f"{subject} was {'not ' if negate else ''}{adjective}", label
    return f"{subject}{'不' if negate else '很'}{adjective}", label


def review(language: str, rng: np.random.Generator) -> tuple[str, int, str]:
    """One generated review: ``(text, label, kind)``.

    kinds: ``plain`` (one clause), ``negation`` (one negated clause),
    ``contrast`` (two clauses, each negated with probability 0.3; the second
    decides: "A but B", "although A B", "A，但是B", "虽然A但是B").
    """
    kind = KINDS[rng.choice(3, p=[0.3, 0.3, 0.4])]
    if kind != "contrast":
        sentence, label = _clause(language, rng, negate=kind == "negation")
        return sentence, label, kind
    first, _ = _clause(language, rng, negate=bool(rng.random() < 0.3))
    second, label = _clause(language, rng, negate=bool(rng.random() < 0.3))
    if language == "en":
        pattern = ("{a} but {b}", "although {a} {b}")[rng.integers(2)]
    else:
        pattern = ("{a}但是{b}", "虽然{a}但是{b}")[rng.integers(2)]
    return pattern.format(a=first, b=second), label, kind


def sentiment_data(language: str, num_samples: int, seed: int = 0) -> SentimentData:
    """``num_samples`` generated reviews (seeded), split 75 % / 25 %.

    >>> data = sentiment_data("en", 400, seed=0)
    >>> len(data.train_text), len(data.test_text), data.train_labels.dtype
    (300, 100, dtype('float32'))
    """
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    rng = np.random.default_rng(seed)
    rows = [review(language, rng) for _ in range(num_samples)]
    texts = tuple(r[0] for r in rows)
    labels = np.array([r[1] for r in rows], np.float32)
    kinds = tuple(r[2] for r in rows)
    cut = round(num_samples * 0.75)
    return SentimentData(
        texts[:cut], labels[:cut], texts[cut:], labels[cut:], kinds[cut:]
    )


# ----------------------------------------------------------------------------
# Tokenization
# ----------------------------------------------------------------------------


def vectorizer_kwargs(language: str) -> dict[str, str]:
    """``TextVectorization`` options: words (English) or characters (Chinese)."""
    if language == "zh":
        return {"split": "character", "standardize": "lower"}
    return {"split": "whitespace", "standardize": "lower_and_strip_punctuation"}


def vectorizer(
    language: str,
    texts: Any = None,
    max_tokens: int = 200,
    sequence_length: int = 20,
    vocabulary: list[str] | None = None,
) -> Any:
    """A ``keras.layers.TextVectorization`` adapted on ``texts`` (or set to
    ``vocabulary``, padding and ``[UNK]`` first, as ``get_vocabulary()``
    returns it)."""
    layer = keras.layers.TextVectorization(
        max_tokens=None if vocabulary is not None else max_tokens,
        output_mode="int",
        output_sequence_length=sequence_length,
        vocabulary=vocabulary,
        **vectorizer_kwargs(language),
    )
    if vocabulary is None:
        layer.adapt(list(texts))
    return layer


def encode(layer: Any, texts: Any) -> np.ndarray:
    """Token indices, int32, shape (N, sequence_length)."""
    return np.asarray(layer(list(texts)), dtype=np.int32)


def split_tokens(language: str, sentence: str) -> list[str]:
    """The tokens ``TextVectorization`` makes of ``sentence`` (before the
    vocabulary lookup): lower-cased; English without punctuation, split on
    whitespace; Chinese, one token per character (spaces included).

    >>> split_tokens("en", "Not GOOD, really!")
    ['not', 'good', 'really']
    >>> split_tokens("zh", "不好看")
    ['不', '好', '看']
    """
    lowered = sentence.lower()
    if language == "zh":
        return list(lowered)
    return _STRIP.sub("", lowered).split()


MAX_SENTENCE = 500  # characters accepted from a student's sentence


def tokenize(
    language: str, sentence: str, vocabulary: list[str], sequence_length: int
) -> dict[str, Any]:
    """A typed sentence as the model sees it.

    Raises:
        ValueError: empty (or whitespace) sentence, or longer than 500
            characters (the message says which).

    Returns:
        ``tokens`` (split), ``indices`` (vocabulary index per token, 1 =
        ``[UNK]``), ``ids`` (padded / truncated to ``sequence_length``),
        ``truncated`` (tokens cut off), ``unknown`` (tokens not in the
        vocabulary).
    """
    if not sentence.strip():
        raise ValueError("empty")
    if len(sentence) > MAX_SENTENCE:
        raise ValueError("too_long")
    tokens = split_tokens(language, sentence)
    if not tokens:
        raise ValueError("no_tokens")
    lookup = {word: i for i, word in enumerate(vocabulary) if i >= 2}
    indices = [lookup.get(token, 1) for token in tokens]
    ids = (indices + [0] * sequence_length)[:sequence_length]
    return {
        "tokens": tokens,
        "indices": indices,
        "ids": np.asarray(ids, np.int32),
        "truncated": max(0, len(tokens) - sequence_length),
        "unknown": sorted({t for t, i in zip(tokens, indices, strict=True) if i == 1}),
    }


def multi_hot(ids: np.ndarray, vocab_size: int) -> np.ndarray:
    """Bag of words: 1 where a vocabulary index occurs (padding excluded).

    Equals ``TextVectorization(output_mode="multi_hot")`` with the padding
    column kept at 0, so the columns line up with the vocabulary.

    >>> multi_hot(np.array([[2, 3, 2, 0]]), 5).tolist()
    [[0.0, 0.0, 1.0, 1.0, 0.0]]
    """
    out = np.zeros((len(ids), vocab_size), np.float32)
    rows = np.repeat(np.arange(len(ids)), ids.shape[1])
    out[rows, ids.ravel()] = 1.0
    out[:, 0] = 0.0
    return out


# ----------------------------------------------------------------------------
# Models
# ----------------------------------------------------------------------------


def build_sentiment_model(name: str, config: Any, vocab_size: int) -> Any:
    """A compiled sentiment classifier (binary cross-entropy, accuracy, Adam).

    - ``bow``: multi-hot (vocab,) → Dense(units, relu) → Dense(1, sigmoid).
    - ``pool``: ids (L,) → Embedding(mask_zero) → GlobalAveragePooling1D →
      Dense(1, sigmoid).
    - ``lstm`` / ``gru`` / ``bilstm``: ids → Embedding(mask_zero) → LSTM /
      GRU / Bidirectional(LSTM) → Dense(1, sigmoid).
    """
    seed = config.seed
    glorot = keras.initializers.GlorotUniform
    if name == "bow":
        inputs = keras.Input((vocab_size,), name="multi_hot")
        x = keras.layers.Dense(
            config.units,
            activation="relu",
            kernel_initializer=glorot(seed=seed + 1),
            name="hidden",
        )(inputs)
    else:
        inputs = keras.Input((config.sequence_length,), dtype="int32", name="ids")
        x = keras.layers.Embedding(
            vocab_size,
            config.embedding_dim,
            mask_zero=True,
            embeddings_initializer=keras.initializers.RandomUniform(
                -0.05, 0.05, seed=seed + 2
            ),
            name="embedding",
        )(inputs)
        if name == "pool":
            x = keras.layers.GlobalAveragePooling1D(name="pool")(x)
        else:
            cell = keras.layers.GRU if name == "gru" else keras.layers.LSTM
            layer = cell(
                config.units,
                kernel_initializer=glorot(seed=seed + 3),
                recurrent_initializer=keras.initializers.Orthogonal(seed=seed + 4),
                name="gru" if name == "gru" else "lstm",
            )
            if name == "bilstm":
                layer = keras.layers.Bidirectional(layer, name="bidirectional")
            x = layer(x)
    outputs = keras.layers.Dense(
        1, activation="sigmoid", kernel_initializer=glorot(seed=seed + 5), name="out"
    )(x)
    model = keras.Model(inputs, outputs, name=name)
    model.compile(
        optimizer=keras.optimizers.Adam(config.learning_rate),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


def rebuild_sentiment_model(
    name: str, config: Any, vocab_size: int, weights: list
) -> Any:
    """A trained model of :func:`build_sentiment_model` from its weights."""
    model = build_sentiment_model(name, config, vocab_size)
    model.set_weights([np.asarray(w) for w in weights])
    return model


def predict_ids(model: Any, name: str, ids: np.ndarray, vocab_size: int) -> float:
    """The model's probability of "positive" for one padded id sequence."""
    x = multi_hot(ids[None], vocab_size) if name == "bow" else ids[None]
    return float(np.asarray(model(x, training=False))[0, 0])


def token_predictions(model: Any, ids: np.ndarray, num_tokens: int) -> np.ndarray:
    """The probability of "positive" after each token of an LSTM / GRU model:
    the recurrent layer unrolled by hand (:func:`dlcore.rnn.unroll`) on the
    embedded tokens, the output layer applied to every state.

    Returns:
        float array of shape (num_tokens,); its last value equals the model's
        prediction on the whole (padded, masked) sequence.
    """
    embedded = np.asarray(model.get_layer("embedding").get_weights()[0])[
        ids[:num_tokens]
    ]
    layer = next(
        layer for layer in model.layers if type(layer).__name__ in ("LSTM", "GRU")
    )
    states = unroll(layer, embedded)["h"]
    kernel, bias = model.get_layer("out").get_weights()
    logits = states @ kernel[:, 0] + bias[0]
    return 1.0 / (1.0 + np.exp(-logits))


def pca_2d(vectors: np.ndarray) -> np.ndarray:
    """The first two principal components of ``vectors`` (rows), by SVD."""
    centred = vectors - vectors.mean(axis=0, keepdims=True)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    return centred @ vt[:2].T


def nearest_words(
    vectors: np.ndarray, vocabulary: list[str], word: str, k: int = 5
) -> list[tuple[str, float]]:
    """The ``k`` words whose vectors have the largest cosine similarity with
    ``word``'s (padding and ``[UNK]`` excluded)."""
    index = vocabulary.index(word)
    norms = np.linalg.norm(vectors, axis=1) + 1e-12
    cosine = vectors @ vectors[index] / (norms * norms[index])
    order = [i for i in np.argsort(-cosine) if i >= 2 and i != index]
    return [(vocabulary[i], float(cosine[i])) for i in order[:k]]


def word_polarity(language: str, token: str) -> str:
    """``positive`` / ``negative`` / ``negation`` / ``contrast`` / ``other``:
    the role of a token in the generated reviews (for colouring)."""
    words = WORDS[language]
    if language == "zh":
        positive = set("".join(words["positive"])) - set("".join(words["negative"]))
        negative = set("".join(words["negative"])) - set("".join(words["positive"]))
        negation, contrast = {"不"}, set("虽然但是")
    else:
        positive, negative = set(words["positive"]), set(words["negative"])
        negation, contrast = {"not"}, {"but", "although"}
    for role, members in (
        ("positive", positive),
        ("negative", negative),
        ("negation", negation),
        ("contrast", contrast),
    ):
        if token in members:
            return role
    return "other"


#: ``keras.datasets.imdb``'s file in the Keras cache (no download when present).
IMDB_FILE = "imdb.npz"


def imdb_cached() -> bool:
    """Whether ``keras.datasets.imdb`` is already downloaded on this machine."""
    import os

    from dlcore import datasets

    return os.path.exists(datasets.keras_cache_path(IMDB_FILE))


def imdb_available() -> bool:
    """Whether IMDB can be loaded now: downloaded already, or the download
    server answers (≈ 1 s probe offline)."""
    from dlcore import datasets

    return imdb_cached() or datasets.download_server_reachable()


def imdb_data(num_words: int = 10000, maxlen: int = 200) -> tuple[np.ndarray, ...]:
    """The real IMDB reviews (``keras.datasets.imdb``; 25 000 train / 25 000
    test, balanced), padded to ``maxlen``. Needs the internet the first time.

    Offline, the download server is probed first (≈ 1 s) instead of letting
    the download hang.

    Raises:
        dlcore.datasets.DatasetUnavailable: offline (clear message, no
            fallback).
    """
    from dlcore import datasets

    (x_train, y_train), (x_test, y_test) = datasets.keras_download(
        "IMDB",
        lambda: keras.datasets.imdb.load_data(num_words=num_words),
        cached=imdb_cached(),
        hint="The generated reviews above work offline.",
    )
    pad = keras.utils.pad_sequences
    return (
        pad(x_train, maxlen=maxlen),
        y_train.astype(np.float32),
        pad(x_test, maxlen=maxlen),
        y_test.astype(np.float32),
    )


def build_imdb_model(config: Any) -> Any:
    """The source notes' IMDB model, fixed for Keras 3 (no ``input_length``):
    ids (maxlen,) → Embedding(num_words, embedding_dim) → LSTM(units) →
    Dense(1, sigmoid); binary cross-entropy, Adam, accuracy. Seeded."""
    glorot = keras.initializers.GlorotUniform
    seed = config.seed
    inputs = keras.Input((config.maxlen,), dtype="int32", name="ids")
    x = keras.layers.Embedding(
        config.num_words,
        config.embedding_dim,
        embeddings_initializer=keras.initializers.RandomUniform(
            -0.05, 0.05, seed=seed + 2
        ),
        name="embedding",
    )(inputs)
    x = keras.layers.LSTM(
        config.units,
        kernel_initializer=glorot(seed=seed + 3),
        recurrent_initializer=keras.initializers.Orthogonal(seed=seed + 4),
        name="lstm",
    )(x)
    outputs = keras.layers.Dense(
        1, activation="sigmoid", kernel_initializer=glorot(seed=seed + 5), name="out"
    )(x)
    model = keras.Model(inputs, outputs, name="imdb_lstm")
    model.compile(
        optimizer=keras.optimizers.Adam(config.learning_rate),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model
