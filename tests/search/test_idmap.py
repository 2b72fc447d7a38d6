"""The id map against the list + dict a collection held before it (the oracle)."""

import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.search import idmap
from tandem.search.idmap import IdFiles, IdMap


def _files(directory: Path, stamp: int) -> IdFiles:
    return IdFiles(*(directory / f"{name}.{stamp}.npy" for name in ("i", "o", "k", "l")))


class _Oracle:
    """What a collection did with ``ids: list[str]`` and ``label_of: dict[str, int]``."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.label_of: dict[str, int] = {}

    def upsert(self, batch: Sequence[str]) -> list[int]:
        labels = []
        for doc_id in batch:
            if doc_id not in self.label_of:
                self.label_of[doc_id] = len(self.ids)
                self.ids.append(doc_id)
            labels.append(self.label_of[doc_id])
        return labels

    def delete(self, batch: Sequence[str]) -> list[int]:
        return sorted({self.label_of.pop(i) for i in batch if i in self.label_of})


class _Held:
    """An :class:`IdMap` with the live column a collection keeps beside it, saved and reopened."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.live = np.zeros(0, dtype=bool)
        self.map = IdMap.empty(lambda: self.live)
        self.stamp = 0

    def upsert(self, batch: Sequence[str]) -> list[int]:
        labels = self.map.assign(batch)
        if len(self.map) > len(self.live):
            self.live = np.concatenate([self.live, np.zeros(len(self.map), dtype=bool)])
        self.live[labels] = True
        return labels

    def delete(self, batch: Sequence[str]) -> list[int]:
        labels = self.map.forget(batch)
        self.live[labels] = False
        return labels

    def save(self) -> None:
        self.stamp += 1
        self.map.write(_files(self.directory, self.stamp), len(self.map))
        self.map = IdMap.open(_files(self.directory, self.stamp), lambda: self.live)


def _agree(held: _Held, oracle: _Oracle, asked: Sequence[str]) -> None:
    assert len(held.map) == len(oracle.ids)
    assert held.map.strings(range(len(oracle.ids))) == oracle.ids
    assert [held.map[label] for label in range(len(oracle.ids))] == oracle.ids
    wanted = [oracle.label_of.get(i) for i in asked]
    assert held.map.labels_of(asked) == wanted
    assert [held.map.get(i) for i in asked] == wanted
    live = sorted(oracle.label_of.values())
    assert held.map.live_labels().tolist() == live
    assert held.map.strings(held.map.live_labels()) == [oracle.ids[label] for label in live]


_ID = st.sampled_from(["a", "b", "c", "dé", "e-1", "", "ab", "ba", "a\x00b"])
_STEP = st.one_of(
    st.tuples(st.just("upsert"), st.lists(_ID, max_size=5)),
    st.tuples(st.just("delete"), st.lists(_ID, max_size=3)),
    st.tuples(st.just("save"), st.just([])),
)


def _replay(steps: list[tuple[str, list[str]]]) -> None:
    asked = ["a", "b", "c", "dé", "e-1", "", "ab", "ba", "a\x00b", "never"]
    with tempfile.TemporaryDirectory() as directory:
        held, oracle = _Held(Path(directory)), _Oracle()
        for action, batch in steps:
            if action == "save":
                held.save()
            elif action == "upsert":
                assert held.upsert(batch) == oracle.upsert(batch)
            else:
                assert held.delete(batch) == oracle.delete(batch)
            _agree(held, oracle, asked)


@settings(max_examples=60, deadline=None)
@given(st.lists(_STEP, max_size=12))
def test_the_map_gives_the_labels_the_list_and_dict_gave(
    steps: list[tuple[str, list[str]]],
) -> None:
    _replay(steps)


@pytest.fixture
def one_key_for_all(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every id hashes to the same key: each lookup must walk every entry sharing it."""

    def colliding(names: Sequence[bytes]) -> np.ndarray:
        return np.full(len(names), 7, dtype=np.uint64)

    monkeypatch.setattr(idmap, "id_keys", colliding)
    yield


@pytest.mark.usefixtures("one_key_for_all")
@settings(max_examples=40, deadline=None)
@given(st.lists(_STEP, max_size=12))
def test_ids_that_share_a_key_are_told_apart_by_their_bytes(
    steps: list[tuple[str, list[str]]],
) -> None:
    _replay(steps)


@pytest.mark.usefixtures("one_key_for_all")
def test_a_lookup_walks_past_dead_and_different_ids_with_the_same_key(tmp_path: Path) -> None:
    held = _Held(tmp_path)
    held.upsert(["x", "y", "z"])
    held.save()
    held.delete(["x"])
    held.upsert(["x"])  # back with a new label, in the tail; its saved entry is dead
    held.save()
    assert held.map.labels_of(["z", "x", "y", "w"]) == [2, 3, 1, None]
    assert held.map.get("z") == 2 and held.map.get("w") is None


def test_the_same_id_twice_in_a_batch_gets_one_label(tmp_path: Path) -> None:
    held = _Held(tmp_path)
    assert held.upsert(["a", "b", "a"]) == [0, 1, 0]
    held.save()
    assert held.upsert(["c", "a", "c"]) == [2, 0, 2] and len(held.map) == 3


def test_a_deleted_id_that_comes_back_gets_a_new_label(tmp_path: Path) -> None:
    held = _Held(tmp_path)
    held.upsert(["a", "b"])
    held.save()
    assert held.delete(["a", "a", "zz"]) == [0]
    assert held.map.get("a") is None  # its saved entry no longer counts: the label is dead
    assert held.upsert(["a"]) == [2]
    held.delete(["a"])  # a tail entry is dropped at once
    assert held.map.get("a") is None and held.upsert(["a"]) == [3]
    held.save()
    assert held.map.get("a") == 3 and held.map.strings([0, 2, 3]) == ["a", "a", "a"]


def test_the_saved_table_holds_only_the_live_labels(tmp_path: Path) -> None:
    held = _Held(tmp_path)
    held.upsert(["a", "b", "c"])
    held.delete(["b"])
    held.save()
    labels = np.load(_files(tmp_path, 1).labels)
    keys = np.load(_files(tmp_path, 1).keys)
    assert sorted(labels.tolist()) == [0, 2] and np.all(np.diff(keys.astype(np.float64)) >= 0)
    assert keys.dtype == np.uint64 and set(keys.tolist()) == set(idmap.id_keys([b"a", b"c"]))


def test_keys_are_the_same_in_every_process() -> None:
    # BLAKE2b-64 of b"syn-0000001-fl", little-endian: fixed, unlike Python's salted hash()
    import hashlib

    digest = hashlib.blake2b(b"syn-0000001-fl", digest_size=8).digest()
    assert idmap.id_keys([b"syn-0000001-fl"])[0] == int.from_bytes(digest, "little")


def _map(directory: Path, ids: list[str], dead: list[str], *, saved: bool) -> IdMap:
    directory.mkdir()
    held = _Held(directory)
    held.upsert(ids)
    held.delete(dead)
    if saved:
        held.save()
    return held.map


@pytest.mark.parametrize("compared", [1, 1 << 16])
@pytest.mark.parametrize("saved", [False, True])
def test_two_maps_are_the_same_when_their_live_labels_hold_the_same_ids(
    tmp_path: Path, saved: bool, compared: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(idmap, "_COMPARED", compared)  # one label a chunk, or all at once
    one = _map(tmp_path / "one", ["a", "b", "c"], ["b"], saved=saved)
    assert one.same_as(_map(tmp_path / "two", ["a", "b", "c"], ["b"], saved=not saved))
    assert one.same_as(_map(tmp_path / "dead", ["a", "x", "c"], ["x"], saved=False))
    assert not one.same_as(_map(tmp_path / "live", ["a", "b", "c"], [], saved=saved))
    assert not one.same_as(_map(tmp_path / "other", ["a", "b", "d"], ["b"], saved=saved))
    assert not one.same_as(_map(tmp_path / "moved", ["a", "c", "b"], ["c"], saved=saved))
    glued = _map(tmp_path / "ab", ["ab", "c"], [], saved=saved)
    assert not glued.same_as(_map(tmp_path / "a", ["a", "bc"], [], saved=saved))  # "abc" both
