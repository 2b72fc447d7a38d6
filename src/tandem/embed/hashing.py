"""A hashing encoder: deterministic, instant, no model. For tests and tiny machines.

Word and character-trigram features hashed into a fixed number of buckets
(signed, like scikit-learn's HashingVectorizer). It captures shared words, not
meaning: the bundled MiniLM encoder is the real one.

A text's vector is the sum of its words' contributions (the word itself and its trigrams),
so each word's buckets are hashed once and cached (:func:`_word_buckets`), and a batch is
summed in one ``bincount``. Indexing reads every profile's short phrases too (the skill
reader embeds them): hashing each feature again was over a quarter of an import's time
(issue 15). The sums are small integers, exact in any order, so the vectors are bit for bit
those of hashing feature by feature.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from tandem.embed.base import Vectors, normalise_rows

_WORD = re.compile(r"[a-z0-9+#]+")
#: Distinct words whose buckets are kept (the most recent; ~9 MB when full: a generated
#: market of 10k profiles uses 5.5k words).
_WORD_CACHE = 16_384


def _bucket(feature: str, dim: int) -> tuple[int, float]:
    digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
    value = int.from_bytes(digest, "little")
    return value % dim, (1.0 if (value >> 63) & 1 else -1.0)


def _word_features(word: str) -> list[str]:
    """A word's features: itself, then its character trigrams (the word itself if shorter)."""
    return [word] + [f"#{word[i : i + 3]}" for i in range(max(1, len(word) - 2))]


@lru_cache(maxsize=_WORD_CACHE)
def _word_buckets(word: str, dim: int) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """The buckets and signs of a word's features (a pure function: cached)."""
    pairs = [_bucket(feature, dim) for feature in _word_features(word)]
    return tuple(col for col, _ in pairs), tuple(sign for _, sign in pairs)


class HashingEncoder:
    """Signed feature hashing of words and character trigrams."""

    name = "hashing"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> Vectors:
        """See :class:`tandem.embed.base.Encoder`."""
        cols: list[int] = []
        signs: list[float] = []
        per_text: list[int] = []
        for text in texts:
            before = len(cols)
            for word in _WORD.findall(text.lower()):
                word_cols, word_signs = _word_buckets(word, self.dim)
                cols.extend(word_cols)
                signs.extend(word_signs)
            per_text.append(len(cols) - before)
        rows = np.repeat(np.arange(len(texts), dtype=np.int64), per_text)
        flat = rows * self.dim + np.asarray(cols, dtype=np.int64)
        sums = np.bincount(flat, weights=np.asarray(signs), minlength=len(texts) * self.dim)
        return normalise_rows(sums.reshape(len(texts), self.dim).astype(np.float32))
