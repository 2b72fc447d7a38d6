"""The int8 faiss backend (``faiss-sq8``): recall against exact search, size, persistence."""

from pathlib import Path

import numpy as np
import pytest

from tandem.embed import HashingEncoder
from tandem.search import Collection, Document, snapshots
from tandem.search.faiss_index import FaissIndex, FaissSQ8Index

faiss = pytest.importorskip("faiss")

DIM = 384


def _clustered(n: int, seed: int, centres: int = 30) -> np.ndarray:
    """Unit vectors bunched around a few directions, as sentence embeddings of one market are."""
    rng = np.random.default_rng(seed)
    middle = np.random.default_rng(99).normal(size=(centres, DIM))
    v = middle[rng.integers(0, centres, n)] + rng.normal(0, 0.6, size=(n, DIM))
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def _recall_at_10(index: FaissIndex, data: np.ndarray, queries: np.ndarray) -> float:
    found = []
    for q in queries:
        exact = set(np.argsort(-(data @ q))[:10].tolist())
        found.append(len(exact & {h.label for h in index.search(q, 10)}) / 10)
    return float(np.mean(found))


def test_sq8_recall_at_10_against_exact_search() -> None:
    data, queries = _clustered(3000, seed=1), _clustered(60, seed=2)
    index = FaissSQ8Index(DIM)
    index.upsert(np.arange(len(data), dtype=np.int64), data)
    assert _recall_at_10(index, data, queries) >= 0.95


def test_sq8_learns_usable_ranges_from_a_first_batch_of_one() -> None:
    data, queries = _clustered(2000, seed=3), _clustered(40, seed=4)
    index = FaissSQ8Index(DIM)
    index.upsert(np.array([0], dtype=np.int64), data[:1])  # a first API write, say
    index.upsert(np.arange(1, len(data), dtype=np.int64), data[1:])
    assert _recall_at_10(index, data, queries) >= 0.95
    assert index.search(data[0], 1)[0].label == 0


def test_sq8_saves_int8_codes_and_reloads_them(tmp_path: Path) -> None:
    data = _clustered(2000, seed=5)
    labels = np.arange(len(data), dtype=np.int64)
    for index, where in ((FaissIndex(DIM), "flat"), (FaissSQ8Index(DIM), "sq8")):
        index.upsert(labels, data)
        index.save(tmp_path / where)
    flat = (tmp_path / "flat" / "faiss.index").stat().st_size
    sq8 = (tmp_path / "sq8" / "faiss.index").stat().st_size
    assert sq8 < 0.45 * flat  # one byte a dimension, not four (the graph is the same size)
    again = FaissSQ8Index(DIM, tmp_path / "sq8")
    assert isinstance(again._index, faiss.IndexHNSWSQ)
    assert again.count() == len(data)
    assert again.search(data[7], 1)[0].label == 7


def test_a_collection_built_with_sq8_reloads_it_and_another_setting_converts_or_rebuilds(
    tmp_path: Path,
) -> None:
    encoder = HashingEncoder()
    docs = [
        Document(id=f"d{i}", content_hash=f"h{i}", text=t, embed_text=t)
        for i, t in enumerate(["django rest developer", "logo designer", "bookkeeping in xero"])
    ]
    coll = Collection(tmp_path / "c", encoder, vector_backend="faiss-sq8")
    coll.upsert(docs)
    coll.save()
    again = Collection(tmp_path / "c", encoder, vector_backend="faiss-sq8")
    assert again.vector.name == "faiss-sq8" and again.count() == 3
    hit = again.vector.search(encoder.encode(["logo designer"])[0], 1)[0]
    assert again.ids[hit.label] == "d1"
    other = Collection(tmp_path / "c", encoder, vector_backend="faiss")
    snapshots.fork(tmp_path / "c", tmp_path / "fork")
    other.relocate(tmp_path / "fork")
    # another vector backend: its index is built from the stored vectors, nothing dropped
    assert other.count() == 3 and other.upgraded and not other.discarded
    assert other.vector.name == "faiss"
    hit = other.vector.search(encoder.encode(["logo designer"])[0], 1)[0]
    assert other.ids[hit.label] == "d1"
    lexical = Collection(tmp_path / "c", encoder, lexical_backend="fts5", vector_backend="faiss")
    assert lexical.count() == 0 and lexical.discarded  # any other setting: rebuilt from the store


@pytest.mark.parametrize("kind", [FaissIndex, FaissSQ8Index])
def test_a_label_twice_in_one_batch_keeps_only_its_last_vector(
    kind: type[FaissIndex], tmp_path: Path
) -> None:
    """Two journalled writes of one record replay as one batch (Collection._apply_journal)."""
    data = _clustered(40, seed=3)
    index = kind(DIM)
    index.upsert(np.arange(30, dtype=np.int64), data[:30])
    index.upsert(np.array([7, 7], dtype=np.int64), data[30:32])  # 7 now looks like 31
    for live in (index, _saved_and_read(kind, index, tmp_path)):
        assert [h.label for h in live.search(data[31], 1)] == [7]
        found = [h.label for h in live.search(data[30], 30)]  # 30 was 7's for a moment
        assert len(found) == len(set(found)) == 30
        assert live.search(data[30], 1)[0].label != 7
        live.delete([7])
        assert 7 not in {h.label for h in live.search(data[31], 30)}


def _saved_and_read(kind: type[FaissIndex], index: FaissIndex, directory: Path) -> FaissIndex:
    index.save(directory)
    return kind(DIM, directory)
