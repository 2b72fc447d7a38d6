"""Vector shards: bounded builds, searches over every shard, changes to sealed vectors."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from tandem.embed import HashingEncoder
from tandem.errors import SearchIndexError
from tandem.search import shards, snapshots
from tandem.search.base import VectorIndex
from tandem.search.collection import Collection
from tandem.search.documents import Document
from tandem.search.registry import VECTOR, create_vector
from tandem.search.shards import ShardedVectorIndex

DIM = 16


def _vectors(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.fixture(params=sorted(VECTOR))
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _build(
    backend: str, directory: Path, data: np.ndarray, *, size: int = 40
) -> ShardedVectorIndex:
    """Add ``data`` in batches of 25, saving after each (what a checkpointing sync does)."""
    index = create_vector(backend, DIM, directory, shard_size=size)
    for start in range(0, len(data), 25):
        labels = np.arange(start, min(start + 25, len(data)), dtype=np.int64)
        index.upsert(labels, data[labels])
        index.save(directory)
    return index


def test_a_build_holds_one_shard_and_finds_what_exact_search_finds(
    backend: str, tmp_path: Path
) -> None:
    data = _vectors(300)
    index = _build(backend, tmp_path, data)
    assert index.shards == 7 and index.shards_in_memory == 1  # six of 50 sealed and let go
    assert index.count() == 300
    assert sorted(index.labels().tolist()) == list(range(300))
    for query in _vectors(20, seed=1):
        exact = np.argsort(-(data @ query))[:10].tolist()
        found = [h.label for h in index.search(query, 10)]
        if backend == "faiss-sq8":  # int8 codes: close scores may swap
            assert len(set(found) & set(exact)) >= 8
        else:  # every shard is small enough to be searched exactly
            assert found == exact
        scores = [h.score for h in index.search(query, 10)]
        assert scores == sorted(scores, reverse=True)
    again = create_vector(backend, DIM, tmp_path, shard_size=40)
    assert again.count() == 300 and again.shards == 7 and again.shards_in_memory == 1
    again.read_all()  # what a replica's background load does
    assert again.shards_in_memory == 7
    query = _vectors(1, seed=2)[0]
    assert [h.label for h in again.search(query, 10)] == [h.label for h in index.search(query, 10)]


def test_changes_to_sealed_vectors_hold_whether_or_not_the_shard_was_read(
    backend: str, tmp_path: Path
) -> None:
    data = _vectors(200)
    index = _build(backend, tmp_path, data)
    index.search(data[0], 5)  # reads every sealed shard
    index.upsert(np.array([3], dtype=np.int64), data[150:151])  # 3, sealed, now looks like 150
    index.delete([150, 10])
    assert index.search(data[150], 1)[0].label == 3
    assert 10 not in {h.label for h in index.search(data[10], 5)}
    index.save(tmp_path)

    fresh = create_vector(backend, DIM, tmp_path, shard_size=40)  # no sealed shard read yet
    assert fresh.count() == 198
    fresh.delete([20])  # sealed, not in memory: unmarked, deleted when read
    fresh.upsert(np.array([30], dtype=np.int64), data[10:11])  # 30 now looks like 10
    assert fresh.shards_in_memory == 1
    assert fresh.search(data[10], 1)[0].label == 30
    assert {20, 150, 10}.isdisjoint(h.label for h in fresh.search(data[20], 200))
    assert fresh.count() == 197
    fresh.save(tmp_path)
    last = create_vector(backend, DIM, tmp_path, shard_size=40)
    found = [h.label for h in last.search(data[10], 300)]
    assert len(found) == len(set(found)) == 197


class _Killed(Exception):
    pass


def test_a_save_killed_after_sealing_keeps_each_vector_once(tmp_path: Path) -> None:
    """Killed between the sealed shard's metadata and emptying the open shard."""
    data = _vectors(60)
    calls = {"n": 0}

    def dying(dim: int, directory: Path | None) -> VectorIndex:
        index = VECTOR["hnsw"](dim, directory)
        if directory is None:  # the fresh open shard that replaces a sealed one
            calls["n"] += 1
            if calls["n"] == 1:

                def save(_: Path) -> None:
                    raise _Killed

                index.save = save  # type: ignore[method-assign]
        return index

    index = ShardedVectorIndex(dying, "hnsw", DIM, tmp_path, shard_size=40)
    index.upsert(np.arange(45, dtype=np.int64), data[:45])
    with pytest.raises(_Killed):
        index.save(tmp_path)
    again = create_vector("hnsw", DIM, tmp_path, shard_size=40)
    assert again.count() == 45
    found = [h.label for h in again.search(data[0], 60)]
    assert sorted(found) == list(range(45))


def test_a_collection_seals_a_full_shard_at_its_next_checkpoint(tmp_path: Path) -> None:
    encoder = HashingEncoder()
    coll = Collection(tmp_path / "c", encoder, vector_shard_size=30)
    docs = [
        Document(id=f"d{i:03}", content_hash="h", text=f"record {i}", embed_text=f"record {i}")
        for i in range(100)
    ]
    for start in range(0, 100, 10):
        coll.upsert(docs[start : start + 10])
        coll.checkpoint(every=3600.0)  # not due by time; due by a full shard
    assert coll.vector.shards == 4 and coll.vector.shards_in_memory == 1
    coll.save()
    again = Collection(tmp_path / "c", encoder, vector_shard_size=30)
    assert again.count() == 100 and again.vector.count() == 100
    query = encoder.encode(["record 7"])[0]
    assert again.ids[again.vector.search(query, 1)[0].label] == "d007"


def test_a_forked_version_changes_sealed_vectors_without_touching_the_published_one(
    tmp_path: Path,
) -> None:
    encoder = HashingEncoder()
    first, second = tmp_path / "v1", tmp_path / "v2"
    docs = [
        Document(id=f"d{i:03}", content_hash="h", text=f"record {i}", embed_text=f"record {i}")
        for i in range(60)
    ]
    coll = Collection(first, encoder, vector_shard_size=20)
    for start in range(0, 60, 20):
        coll.upsert(docs[start : start + 20])
        coll.save()
    snapshots.fork(first, second)
    build = Collection(second, encoder, vector_shard_size=20)
    build.delete(["d005"])
    build.save()
    query = encoder.encode(["record 5"])[0]
    published = Collection(first, encoder, vector_shard_size=20)
    assert published.ids[published.vector.search(query, 1)[0].label] == "d005"
    forked = Collection(second, encoder, vector_shard_size=20)
    assert "d005" not in {forked.ids[h.label] for h in forked.vector.search(query, 60)}
    assert published.vector.count() == 60 and forked.vector.count() == 59


def _dying_at(monkeypatch: pytest.MonkeyPatch, directory: Path, names: set[str]) -> None:
    """Kill a save as it renames one of ``names`` into ``directory`` (what came before stays)."""
    replace = Path.replace

    def dying(self: Path, target: Path) -> Path:
        if self.name in names and self.parent == directory:
            raise _Killed(self.name)
        return replace(self, target)

    monkeypatch.setattr(Path, "replace", dying)


def test_a_seal_killed_between_its_two_metadata_files_keeps_the_saved_vectors(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``sealed_of.npy`` names the new shard, ``shards.json`` not yet: the new shard is unnamed."""
    data = _vectors(90)
    index = _build(backend, tmp_path, data[:75], size=40)  # sealed 0..49, open 50..74
    assert index.shards == 2
    index.upsert(np.arange(75, 90, dtype=np.int64), data[75:90])
    with monkeypatch.context() as patch:
        _dying_at(patch, tmp_path, {"shards.json.tmp"})
        with pytest.raises(_Killed):
            index.save(tmp_path)
    again = create_vector(backend, DIM, tmp_path, shard_size=40)
    assert again.count() == 75  # what the last whole save held (the manifest's labels)
    for label in range(75):
        assert label in {h.label for h in again.search(data[label], 3)}, label


def test_a_seal_killed_between_the_emptied_open_shards_files_loads_and_builds_on(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The open shard's index file is the new empty one, its label file the last save's."""
    data = _vectors(120)
    index = _build(backend, tmp_path, data[:30], size=40)
    index.upsert(np.arange(30, 45, dtype=np.int64), data[30:45])
    with monkeypatch.context() as patch:
        _dying_at(patch, tmp_path, {"hnsw.json.tmp", "faiss_labels.tmp.npz"})
        with pytest.raises(_Killed):
            index.save(tmp_path)
    again = create_vector(backend, DIM, tmp_path, shard_size=40)  # hnsw: "Label not found"
    again.upsert(np.arange(100, 110, dtype=np.int64), data[100:110])  # a resumed build goes on
    assert again.count() == 55
    for label in [*range(45), *range(100, 110)]:  # faiss: another label's vector
        assert label in {h.label for h in again.search(data[label], 3)}, label


def test_an_hnsw_shard_lists_its_graphs_ids_on_load_only_beside_another_saves_labels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Listing every id cost each load a Python list of the shard (131k ints); only a save
    killed between the graph and its label file needs it."""
    hnswlib = pytest.importorskip("hnswlib")
    listed: list[int] = []

    class Listing(hnswlib.Index):  # type: ignore[misc]
        def get_ids_list(self) -> list[int]:
            ids: list[int] = super().get_ids_list()
            listed.append(len(ids))
            return ids

    monkeypatch.setattr(hnswlib, "Index", Listing)
    data = _vectors(120)
    _build("hnsw", tmp_path / "v1" / "vector", data[:100])  # sealed 0..49, 50..99; open empty
    snapshots.fork(tmp_path / "v1", tmp_path / "v2")  # hard links: the same graphs
    for version in ("v1", "v2"):
        index = create_vector("hnsw", DIM, tmp_path / version / "vector", shard_size=40)
        index.read_all()
        assert index.count() == 100 and index.shards_in_memory == 3
    assert listed == []

    index.upsert(np.arange(100, 110, dtype=np.int64), data[100:110])
    with monkeypatch.context() as patch:  # killed between the open shard's two files
        _dying_at(patch, tmp_path / "v2" / "vector", {"hnsw.json.tmp"})
        with pytest.raises(_Killed):
            index.save(tmp_path / "v2" / "vector")
    again = create_vector("hnsw", DIM, tmp_path / "v2" / "vector", shard_size=40)
    assert listed == [10]  # the new graph, beside the labels of the save before: checked
    assert again.count() == 100  # what the label files name
    again.delete([105])  # in the graph, not live: nothing to do
    assert again.count() == 100
    again.upsert(np.arange(100, 110, dtype=np.int64), data[100:110])  # a resumed build goes on
    assert again.count() == 110 and again.search(data[105], 1)[0].label == 105


def test_an_index_saved_over_another_backends_sealed_shards_never_reads_them(
    tmp_path: Path,
) -> None:
    """A vector-backend change saved in place (Collection.rebuild_vectors, no relocate)."""
    pytest.importorskip("faiss")
    data = _vectors(100)
    _build("faiss", tmp_path, data, size=40)  # sealed-0, sealed-1: faiss files
    rebuilt = create_vector("hnsw", DIM, None, shard_size=1000)  # fewer than a shard
    rebuilt.upsert(np.arange(100, dtype=np.int64), data)
    rebuilt.save(tmp_path)
    again = create_vector("hnsw", DIM, tmp_path, shard_size=1000)
    assert again.count() == 100
    for label in range(100):
        assert again.search(data[label], 1)[0].label == label


def test_a_sealed_shard_removed_before_it_was_read_says_so(tmp_path: Path) -> None:
    data = _vectors(100)
    _build("hnsw", tmp_path / "v1" / "vector", data)
    index = create_vector("hnsw", DIM, tmp_path / "v1" / "vector", shard_size=40)
    shutil.rmtree(tmp_path / "v1")  # pruned: a newer snapshot was published
    with pytest.raises(SearchIndexError, match="removed before this process read it"):
        index.search(data[0], 5)


def test_a_search_asks_again_the_shards_that_hold_more_than_their_share(tmp_path: Path) -> None:
    """Top hits all in one shard: asked for its share first, it is asked for the whole k."""
    rng = np.random.default_rng(5)
    centre = _vectors(1, seed=9)[0]
    near = centre + rng.normal(0, 0.05, size=(40, DIM)).astype(np.float32)
    near /= np.linalg.norm(near, axis=1, keepdims=True)
    data = np.vstack([near, _vectors(280, seed=4)]).astype(np.float32)  # shard 0: the near ones
    index = _build("hnsw", tmp_path, data, size=40)
    assert index.shards == 7
    for k in (30, 60, 100):  # past the first ask (16 or a share), so a second ask decides
        exact = np.argsort(-(data @ centre))[:k].tolist()
        assert [h.label for h in index.search(centre, k)] == exact
    spread = _vectors(1, seed=11)[0]
    exact = np.argsort(-(data @ spread))[:50].tolist()
    assert [h.label for h in index.search(spread, 50)] == exact


def _merging(
    tmp_path: Path, data: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> ShardedVectorIndex:
    """An index that seals from 4 vectors up and merges from 4 small shards, reading ``data``."""
    monkeypatch.setattr(shards, "FIRST_SEAL", 4)
    monkeypatch.setattr(shards, "MERGE_FROM", 4)
    return ShardedVectorIndex(
        VECTOR["hnsw"], "hnsw", DIM, tmp_path, shard_size=1000, source=lambda ls: data[ls]
    )


def _named_dirs(directory: Path) -> tuple[list[str], list[str]]:
    named = json.loads((directory / "shards.json").read_text())["sealed"]
    on_disk = sorted(p.name for p in directory.glob("sealed-*"))
    return sorted(f"sealed-{n}" for n in named), on_disk


def test_a_small_build_seals_small_shards_and_merges_them_as_the_index_grows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The open shard held up to ``shard_size`` vectors: a build's memory grew with the bundle
    below it (~1.7 KB a profile up to 131,072). It seals at a quarter of the index now, and
    small sealed shards are merged, so the shards stay few as the index grows."""
    data = _vectors(400)
    index = _merging(tmp_path, data, monkeypatch)
    held, shard_counts = [], []
    for start in range(0, 400, 5):
        labels = np.arange(start, start + 5, dtype=np.int64)
        index.upsert(labels, data[labels])
        held.append(index._open.count())
        index.save(tmp_path)
        shard_counts.append(index.shards)
    assert max(held) <= 400 // 4 + 5  # never more than a quarter of the index (and a batch)
    assert max(shard_counts) <= 8  # 14 shards without merging
    named, on_disk = _named_dirs(tmp_path)
    assert named == on_disk  # the merged shards' files are gone
    again = shards.ShardedVectorIndex(VECTOR["hnsw"], "hnsw", DIM, tmp_path, shard_size=1000)
    assert again.count() == 400 and sorted(again.labels().tolist()) == list(range(400))
    for query in _vectors(20, seed=3):
        exact = np.argsort(-(data @ query))[:10].tolist()
        assert [h.label for h in again.search(query, 10)] == exact


def test_a_merge_takes_the_current_vectors_of_labels_changed_after_sealing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _vectors(200)
    index = _merging(tmp_path, data, monkeypatch)
    for start in range(0, 100, 5):
        labels = np.arange(start, start + 5, dtype=np.int64)
        index.upsert(labels, data[labels])
        index.save(tmp_path)
    data[3] = data[150]  # the column holds 3's new vector, as a collection's upsert writes it
    index.upsert(np.array([3], dtype=np.int64), data[3:4])
    index.delete([7])
    for start in range(100, 200, 5):
        labels = np.arange(start, start + 5, dtype=np.int64)
        index.upsert(labels, data[labels])
        index.save(tmp_path)
    again = ShardedVectorIndex(VECTOR["hnsw"], "hnsw", DIM, tmp_path, shard_size=1000)
    assert again.count() == 199
    found = [h.label for h in again.search(data[150], 300)]
    assert len(found) == len(set(found)) == 199 and 7 not in found
    assert set(found[:2]) == {3, 150}


_MERGE_STEPS = 5  # merged labels, shards.json with it, sealed_of, shards.json without, rmtree


@pytest.mark.parametrize("killed_at", range(1, _MERGE_STEPS + 1))
def test_a_merge_killed_at_any_step_keeps_each_vector_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, killed_at: int
) -> None:
    data = _vectors(120)
    index = _merging(tmp_path, data, monkeypatch)
    steps = {"n": 0, "merging": False}

    def step() -> None:
        if steps["merging"]:
            steps["n"] += 1
            if steps["n"] == killed_at:
                raise _Killed

    save_array, write_shards = shards._save_array, ShardedVectorIndex._write_shards
    rmtree, merge = shards.shutil.rmtree, ShardedVectorIndex._merge_small

    def counted_save_array(path: Path, array: np.ndarray) -> None:
        step()
        save_array(path, array)

    def counted_write_shards(self: ShardedVectorIndex, directory: Path, sealed: list[int]) -> None:
        step()
        write_shards(self, directory, sealed)

    def counted_rmtree(path: Path, *args: object, **kwargs: object) -> None:
        step()
        rmtree(path, *args, **kwargs)  # type: ignore[arg-type]

    def watched_merge(self: ShardedVectorIndex, directory: Path) -> None:
        before = len(self._sealed)
        steps["merging"] = True
        try:
            merge(self, directory)
        finally:
            steps["merging"] = False
        if len(self._sealed) < before and steps["n"] < killed_at:
            steps["n"] = 0  # this merge ended whole before the step; count the next one

    monkeypatch.setattr(shards, "_save_array", counted_save_array)
    monkeypatch.setattr(ShardedVectorIndex, "_write_shards", counted_write_shards)
    monkeypatch.setattr(shards.shutil, "rmtree", counted_rmtree)
    monkeypatch.setattr(ShardedVectorIndex, "_merge_small", watched_merge)
    written = 0
    with pytest.raises(_Killed):
        for start in range(0, 120, 5):
            labels = np.arange(start, start + 5, dtype=np.int64)
            index.upsert(labels, data[labels])
            written = start + 5
            index.save(tmp_path)
    monkeypatch.undo()
    monkeypatch.setattr(shards, "FIRST_SEAL", 4)
    monkeypatch.setattr(shards, "MERGE_FROM", 4)
    again = ShardedVectorIndex(
        VECTOR["hnsw"], "hnsw", DIM, tmp_path, shard_size=1000, source=lambda ls: data[ls]
    )
    assert again.count() == written  # the seal before the merge made the batch durable
    found = [h.label for h in again.search(data[0], 200)]
    assert sorted(found) == list(range(written))
    for start in range(written, 120, 5):  # the build goes on over what the kill left
        labels = np.arange(start, start + 5, dtype=np.int64)
        again.upsert(labels, data[labels])
        again.save(tmp_path)
    named, on_disk = _named_dirs(tmp_path)
    assert named == on_disk  # a later save swept what the kill left unnamed
    last = ShardedVectorIndex(VECTOR["hnsw"], "hnsw", DIM, tmp_path, shard_size=1000)
    assert sorted(h.label for h in last.search(data[0], 200)) == list(range(120))


def test_a_collection_build_merges_small_shards_from_its_own_vectors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shards, "FIRST_SEAL", 4)
    monkeypatch.setattr(shards, "MERGE_FROM", 4)
    encoder = HashingEncoder()
    coll = Collection(tmp_path / "c", encoder, vector_shard_size=1000)
    docs = [
        Document(id=f"d{i:03}", content_hash="h", text=f"record {i}", embed_text=f"record {i}")
        for i in range(300)
    ]
    most = 0
    for start in range(0, 300, 10):
        coll.upsert(docs[start : start + 10])
        most = max(most, coll.vector._open.count())
        coll.checkpoint(every=3600.0)  # not due by time; due by a full shard
    assert most <= 300 // 4 + 10 and coll.vector.shards <= 8  # 11 without merging
    coll.save()
    again = Collection(tmp_path / "c", encoder, vector_shard_size=1000)
    assert again.vector.count() == 300
    for i in (0, 7, 150, 299):
        query = encoder.encode([f"record {i}"])[0]
        assert again.ids[again.vector.search(query, 1)[0].label] == f"d{i:03}"
