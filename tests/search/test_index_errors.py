"""Library failures in the search layer become SearchIndexError (a 503), never a bare crash.

Each case makes the real library fail (a damaged file, a held lock, a wrong-sized vector):
the backend must raise Tandem's error with the library's exception as its cause.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from tandem.errors import SearchIndexError
from tandem.search.base import VectorIndex
from tandem.search.faiss_index import FaissIndex, FaissSQ8Index
from tandem.search.fts5_index import Fts5Index
from tandem.search.hnsw_index import HnswIndex
from tandem.search.tantivy_index import TantivyIndex

DIM = 8
VECTOR_BACKENDS: dict[str, Callable[[int, Path | None], VectorIndex]] = {
    "hnsw": HnswIndex,
    "faiss": FaissIndex,
    "faiss-sq8": FaissSQ8Index,
}
FILES = {"hnsw": "hnsw.bin", "faiss": "faiss.index", "faiss-sq8": "faiss.index"}


def _vectors(n: int, dim: int = DIM) -> np.ndarray:
    rng = np.random.default_rng(0)
    v = rng.normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.mark.parametrize("backend", sorted(VECTOR_BACKENDS))
def test_a_damaged_vector_index_file(backend: str, tmp_path: Path) -> None:
    index = VECTOR_BACKENDS[backend](DIM, None)
    index.upsert(np.arange(3, dtype=np.int64), _vectors(3))
    index.save(tmp_path)
    (tmp_path / FILES[backend]).write_bytes(b"garbage" * 10)
    with pytest.raises(SearchIndexError, match=f"the {backend} search index could not load") as e:
        VECTOR_BACKENDS[backend](DIM, tmp_path)
    assert isinstance(e.value.__cause__, RuntimeError)
    assert e.value.status_code == 503


@pytest.mark.parametrize("backend", sorted(VECTOR_BACKENDS))
def test_a_vector_of_the_wrong_size(backend: str) -> None:
    index = VECTOR_BACKENDS[backend](DIM, None)
    index.upsert(np.arange(3, dtype=np.int64), _vectors(3))
    with pytest.raises(SearchIndexError, match="8-dimensional vectors, not 5"):
        index.search(_vectors(1, 5)[0], 2)
    with pytest.raises(SearchIndexError, match="8-dimensional vectors, not 5"):
        index.upsert(np.arange(3, 5, dtype=np.int64), _vectors(2, 5))


def test_hnsw_search_failure_in_the_library(tmp_path: Path) -> None:
    index = HnswIndex(DIM)
    index.upsert(np.arange(3, dtype=np.int64), _vectors(3))

    class Failing:
        def set_ef(self, ef: int) -> None: ...

        def knn_query(self, *args: object, **kwargs: object) -> None:
            raise RuntimeError("Cannot return the results in a contiguous 2D array")

    index._index = Failing()
    with pytest.raises(SearchIndexError, match="hnsw search index could not search"):
        index.search(_vectors(1)[0], 2)


def test_a_damaged_tantivy_index(tmp_path: Path) -> None:
    index = TantivyIndex(tmp_path)
    index.upsert([(1, "django developer")])
    index.commit()
    (tmp_path / "meta.json").write_text("{damaged")
    with pytest.raises(SearchIndexError, match="tantivy search index could not open") as e:
        TantivyIndex(tmp_path)
    assert isinstance(e.value.__cause__, ValueError)


def test_a_tantivy_writer_lock_held_elsewhere(tmp_path: Path) -> None:
    holder = TantivyIndex(tmp_path)
    holder.upsert([(1, "django developer")])  # holds the writer lock until commit
    other = TantivyIndex(tmp_path)
    with pytest.raises(SearchIndexError, match="could not start a writer"):
        other.upsert([(2, "logo design")])
    holder.commit()


def test_a_damaged_fts5_database(tmp_path: Path) -> None:
    (tmp_path / "fts5.db").write_bytes(b"not a database" * 100)
    with pytest.raises(SearchIndexError, match="fts5 search index could not open") as e:
        Fts5Index(tmp_path)
    assert isinstance(e.value.__cause__, sqlite3.DatabaseError)


def test_the_library_message_stays_out_of_the_error(tmp_path: Path) -> None:
    (tmp_path / "meta.json").write_text("{damaged")
    with pytest.raises(SearchIndexError) as e:
        TantivyIndex(tmp_path)
    assert "meta.json" not in str(e.value) and str(tmp_path) not in str(e.value)
