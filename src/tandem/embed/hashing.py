"""A hashing encoder: deterministic, instant, no model. For tests and tiny machines.

Word and character-trigram features hashed into a fixed number of buckets
(signed, like scikit-learn's HashingVectorizer). It captures shared words, not
meaning: the bundled MiniLM encoder is the real one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from tandem.embed.base import Vectors, normalise_rows

_WORD = re.compile(r"[a-z0-9+#]+")


def _bucket(feature: str, dim: int) -> tuple[int, float]:
    digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
    value = int.from_bytes(digest, "little")
    return value % dim, (1.0 if (value >> 63) & 1 else -1.0)


class HashingEncoder:
    """Signed feature hashing of words and character trigrams."""

    name = "hashing"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    def _features(self, text: str) -> list[str]:
        words = _WORD.findall(text.lower())
        grams = [f"#{w[i : i + 3]}" for w in words for i in range(max(1, len(w) - 2))]
        return words + grams

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> Vectors:
        """See :class:`tandem.embed.base.Encoder`."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in self._features(text):
                col, sign = _bucket(feature, self.dim)
                out[row, col] += sign
        return normalise_rows(out)
