"""Contracts of the two index kinds behind hybrid search.

Both work on integer labels (a collection maps record ids to labels) and
persist to a directory they own.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple, Protocol

import numpy as np
import numpy.typing as npt


class Hit(NamedTuple):
    """One retrieved document: its label and the engine's score (higher is better)."""

    label: int
    score: float


class LexicalIndex(Protocol):
    """A BM25 full-text index."""

    name: str

    def upsert(self, docs: Sequence[tuple[int, str]]) -> None:
        """Add or replace documents ``(label, text)``."""
        ...

    def delete(self, labels: Sequence[int]) -> None:
        """Remove documents by label (absent labels are ignored)."""
        ...

    def commit(self) -> None:
        """Make every change durable and visible to searches."""
        ...

    def search(self, query: str, k: int) -> list[Hit]:
        """The ``k`` best documents for ``query`` by BM25."""
        ...

    def count(self) -> int:
        """Number of live documents."""
        ...


class VectorIndex(Protocol):
    """An approximate nearest-neighbour index over unit vectors (inner product)."""

    name: str

    def upsert(self, labels: npt.NDArray[np.int64], vectors: npt.NDArray[np.float32]) -> None:
        """Add or replace vectors by label."""
        ...

    def delete(self, labels: Sequence[int]) -> None:
        """Remove vectors by label (absent labels are ignored)."""
        ...

    def search(self, vector: npt.NDArray[np.float32], k: int) -> list[Hit]:
        """About the ``k`` most similar labels, best first; score is the inner product."""
        ...

    def save(self, directory: Path) -> None:
        """Persist under ``directory``."""
        ...

    def count(self) -> int:
        """Number of live vectors."""
        ...
