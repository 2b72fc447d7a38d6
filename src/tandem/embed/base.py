"""The Encoder contract: text in, L2-normalised float32 vectors out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into unit-length vectors; cosine similarity is then a dot product."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> Vectors:
        """One row per text, shape ``(len(texts), dim)``, each row of norm 1 (or 0 if empty)."""
        ...


def encoder_identity(encoder: Encoder) -> str:
    """What produced a vector: the name, plus the backend's ``version`` when it has one.

    Stored vectors (search collections, cached label vectors) carry it, so vectors from two
    models, or from two exports of one model, are never compared with each other. A backend
    whose vectors can change under one name (a re-exported graph) says so with ``version``.
    """
    version = getattr(encoder, "version", None)
    return f"{encoder.name}@{version}" if version else encoder.name


def normalise_rows(matrix: npt.NDArray[np.floating[Any]]) -> Vectors:
    """Rows scaled to unit length; all-zero rows stay zero."""
    out = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    result: Vectors = (out / norms).astype(np.float32)
    return result


def pool_spans(
    states: npt.NDArray[np.floating[Any]],
    offsets: npt.NDArray[np.integer[Any]],
    spans: Sequence[tuple[int, int]],
) -> Vectors:
    """Unit mean of the token states each character span covers, vectorised over spans x tokens.

    ``offsets`` are the tokens' ``(start, end)`` character offsets; special and padding tokens
    have ``start == end`` and never count. A span no token covers (cut off by the model's
    window) gets a zero row: no evidence, rather than a made-up vector.
    """
    if not spans:
        return np.zeros((0, states.shape[1]), dtype=np.float32)
    bounds = np.asarray(spans, dtype=np.int64)
    a, b = offsets[:, 0][None, :], offsets[:, 1][None, :]
    covers = (b > a) & (a < bounds[:, 1:2]) & (b > bounds[:, 0:1])
    weights = covers.astype(np.float32)
    counts = weights.sum(axis=1, keepdims=True)
    counts[counts == 0] = 1.0
    return normalise_rows((weights @ states) / counts)
