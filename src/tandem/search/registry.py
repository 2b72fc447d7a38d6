"""Index backends by name (the same extension point a user's own backend would use)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tandem.errors import ConfigurationError
from tandem.search.base import LexicalIndex, VectorIndex
from tandem.search.faiss_index import FaissIndex, FaissSQ8Index
from tandem.search.fts5_index import Fts5Index
from tandem.search.hnsw_index import HnswIndex
from tandem.search.shards import SHARD_SIZE, ShardedVectorIndex, Source
from tandem.search.tantivy_index import TantivyIndex

LEXICAL: dict[str, Callable[[Path], LexicalIndex]] = {
    "tantivy": TantivyIndex,
    "fts5": Fts5Index,
}
VECTOR: dict[str, Callable[[int, Path | None], VectorIndex]] = {
    "hnsw": HnswIndex,
    "faiss": FaissIndex,
    "faiss-sq8": FaissSQ8Index,
}


def create_lexical(name: str, directory: Path) -> LexicalIndex:
    """A lexical index backend by name."""
    if name not in LEXICAL:
        raise ConfigurationError(f"unknown lexical backend {name!r}; known: {sorted(LEXICAL)}")
    return LEXICAL[name](directory)


def create_vector(
    name: str,
    dim: int,
    directory: Path | None,
    *,
    shard_size: int = SHARD_SIZE,
    source: Source | None = None,
) -> ShardedVectorIndex:
    """A vector index backend by name, in shards of ``shard_size``, loaded from ``directory``.

    ``source`` gives the current vectors of labels, which merging small shards reads.
    """
    if name not in VECTOR:
        raise ConfigurationError(f"unknown vector backend {name!r}; known: {sorted(VECTOR)}")
    return ShardedVectorIndex(
        VECTOR[name], name, dim, directory, shard_size=shard_size, source=source
    )
