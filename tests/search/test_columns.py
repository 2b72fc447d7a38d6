import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.search.columns import SMALL_READ, Rows, Tags, write_rows
from tandem.search.runs import Ragged


def _saved_rows(path: Path, rows: np.ndarray) -> Rows:
    write_rows(path, [rows], rows.shape, rows.dtype)
    return Rows.open(path)


def test_saved_rows_are_mapped_and_a_set_never_reaches_the_file(tmp_path: Path) -> None:
    path = tmp_path / "vectors.npy"
    rows = _saved_rows(path, np.arange(12, dtype=np.float32).reshape(4, 3))
    assert rows.mapped() and rows.saved == 4
    rows.set(1, np.full(3, -1.0, dtype=np.float32))
    rows.grow(6)
    rows.set(5, np.full(3, 7.0, dtype=np.float32))
    got = rows.get(np.asarray([5, 1, 0]))
    np.testing.assert_array_equal(got[:, 0], [7.0, -1.0, 0.0])
    np.testing.assert_array_equal(np.load(path)[1], [3.0, 4.0, 5.0])  # copy-on-write


def test_a_save_goes_to_a_new_file_so_a_hard_link_keeps_the_old_rows(tmp_path: Path) -> None:
    path = tmp_path / "vectors.npy"
    rows = _saved_rows(path, np.ones((3, 2), dtype=np.float32))
    other = tmp_path / "linked.npy"  # another snapshot's name for the same file
    os.link(path, other)
    rows.set(0, np.zeros(2, dtype=np.float32))
    rows.write(path, 3)
    assert path.stat().st_ino != other.stat().st_ino
    np.testing.assert_array_equal(np.load(other), np.ones((3, 2)))
    np.testing.assert_array_equal(np.load(path)[0], [0.0, 0.0])


def test_the_tail_grows_with_what_was_added_not_with_the_saved_rows(tmp_path: Path) -> None:
    rows = _saved_rows(tmp_path / "v.npy", np.zeros((5000, 2), dtype=np.float32))
    rows.grow(5001)
    assert rows.capacity == 5000 + 1024  # not 7,500: the saved rows are never copied


@settings(max_examples=40, deadline=None)
@given(
    saved=st.lists(st.lists(st.integers(0, 50), max_size=4), max_size=8),
    sets=st.lists(
        st.tuples(st.integers(0, 11), st.lists(st.integers(0, 50), max_size=4)), max_size=10
    ),
)
def test_ragged_runs_saved_and_changed_match_a_plain_list(
    tmp_path_factory: pytest.TempPathFactory,
    saved: list[list[int]],
    sets: list[tuple[int, list[int]]],
) -> None:
    """Oracle: a list of runs, set by label; the CSR merge must save exactly that."""
    folder = tmp_path_factory.mktemp("ragged")
    offsets = np.concatenate([[0], np.cumsum([len(r) for r in saved])]).astype(np.int64)
    values = np.asarray([v for r in saved for v in r], dtype=np.int32)
    write_rows(folder / "v.npy", [values], values.shape, values.dtype)
    write_rows(folder / "o.npy", [offsets], offsets.shape, offsets.dtype)
    ragged = Ragged.open(folder / "v.npy", folder / "o.npy")
    oracle = [list(r) for r in saved] + [[] for _ in range(12)]
    for label, run in sets:
        ragged.set(label, np.asarray(run, dtype=np.int32))
        oracle[label] = run
    labels = max([len(saved), *[label + 1 for label, _ in sets]])
    assert [ragged.get(i).tolist() for i in range(labels)] == oracle[:labels]
    asked = [*range(labels), *range(labels - 1, -1, -2)]  # every label, some twice, any order
    assert [run.tolist() for run in ragged.get_many(asked)] == [oracle[i] for i in asked]
    ragged.write(folder / "v2.npy", folder / "o2.npy", labels)
    again = Ragged.open(folder / "v2.npy", folder / "o2.npy")
    assert again.saved == labels and not again.changed
    assert [again.get(i).tolist() for i in range(labels)] == oracle[:labels]
    assert [run.tolist() for run in again.get_many(asked)] == [oracle[i] for i in asked]


def test_tags_are_codes_that_answer_membership_like_the_texts() -> None:
    tags = Tags([], np.zeros(3, dtype=np.int32))
    for label, text in enumerate(["America/Argentina/Buenos_Aires", "Europe/Berlin", "Asia/Tōkyō"]):
        tags.set(label, text)
    tags.grow(2)  # spare rows hold the empty text
    assert tags.codes.dtype == np.int32 and len(tags) == 5
    assert tags.isin(["Europe/Berlin", "Asia/Tōkyō", "Mars/Olympus"]).tolist() == [
        False,
        True,
        True,
        False,
        False,
    ]
    assert tags.present() == ["", "America/Argentina/Buenos_Aires", "Asia/Tōkyō", "Europe/Berlin"]
    tags.set(0, "Europe/Berlin")
    assert (
        tags.text(0) == "Europe/Berlin" and "America/Argentina/Buenos_Aires" not in tags.present()
    )


def _resident_kb(path: Path) -> int:
    """Resident kilobytes of this process's mappings of ``path`` (Linux's smaps)."""
    total, current = 0, ""
    with open("/proc/self/smaps", encoding="utf-8") as smaps:
        for line in smaps:
            parts = line.split()
            if parts and "-" in parts[0] and not parts[0].endswith(":"):
                current = parts[5] if len(parts) > 5 else ""
            elif parts[:1] == ["Rss:"] and current == str(path):
                total += int(parts[1])
    return total


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="needs Linux's /proc/self/smaps")
def test_reading_a_few_rows_maps_none_of_the_file(tmp_path: Path) -> None:
    """A match reads ~300 rows of a million: through the map that cost the whole file's RSS."""
    path = tmp_path / "vectors.npy"
    rng = np.random.default_rng(0)
    saved = rng.standard_normal((16_000, 384)).astype(np.float32)  # 24 MB
    rows = _saved_rows(path, saved)
    labels = np.sort(rng.choice(16_000, 300, replace=False))
    np.testing.assert_array_equal(rows.get(labels), saved[labels])
    for label in labels[:50]:
        np.testing.assert_array_equal(rows.one(int(label)), saved[label])
    assert _resident_kb(path) < 1024


def test_positioned_reads_see_rows_set_since_the_load(tmp_path: Path) -> None:
    path = tmp_path / "hashes.npy"
    rows = _saved_rows(path, np.asarray([b"a" * 8, b"b" * 8, b"c" * 8], dtype="S8"))
    rows.set(1, b"z" * 8)
    assert rows.one(1) == b"z" * 8 and rows.one(2) == b"c" * 8
    assert rows.get(np.asarray([2, 1, 0])).tolist() == [b"c" * 8, b"z" * 8, b"a" * 8]
    rows.widen("S12")  # read into memory: no positioned reads from here on
    rows.set(0, b"y" * 12)
    assert rows.get(np.asarray([0, 1])).tolist() == [b"y" * 12, b"z" * 8]


def test_many_rows_are_read_through_the_map_and_agree(tmp_path: Path) -> None:
    saved = np.arange(10_000 * 4, dtype=np.float32).reshape(10_000, 4)
    rows = _saved_rows(tmp_path / "v.npy", saved)
    rows.set(7, np.full(4, -1.0, dtype=np.float32))
    labels = np.arange(0, 10_000, 2)  # more than a positioned read takes
    got = rows.get(labels)
    expected = saved[labels].copy()
    expected[labels == 7] = -1.0
    np.testing.assert_array_equal(got, expected)
    small = rows.get(np.asarray([7, 8]))
    np.testing.assert_array_equal(small, [[-1.0] * 4, saved[8]])


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="needs Linux's /proc/self/smaps")
def test_a_save_maps_neither_the_rows_it_reads_nor_the_file_it_writes(tmp_path: Path) -> None:
    """Saving through maps made the whole old and new file resident in the writing process."""
    saved = np.random.default_rng(1).standard_normal((16_000, 384)).astype(np.float32)
    rows = _saved_rows(tmp_path / "old.npy", saved)
    rows.write(tmp_path / "new.npy", 16_000)
    assert _resident_kb(tmp_path / "old.npy") < 1024
    assert _resident_kb(tmp_path / "new.npy") == 0
    np.testing.assert_array_equal(np.load(tmp_path / "new.npy"), saved)


def test_a_save_keeps_rows_set_since_the_load_in_every_block(tmp_path: Path) -> None:
    saved = np.arange(100_000 * 2, dtype=np.float32).reshape(100_000, 2)
    rows = _saved_rows(tmp_path / "old.npy", saved)
    for label in (0, 65_535, 65_536, 99_999):  # both sides of a block's edge
        rows.set(label, np.full(2, -1.0, dtype=np.float32))
    rows.grow(100_001)
    rows.set(100_000, np.full(2, 5.0, dtype=np.float32))
    rows.write(tmp_path / "new.npy", 100_001)
    expected = np.vstack([saved, [[5.0, 5.0]]])
    expected[[0, 65_535, 65_536, 99_999]] = -1.0
    np.testing.assert_array_equal(np.load(tmp_path / "new.npy"), expected)


def test_a_row_read_costs_the_same_however_many_saved_rows_were_set(tmp_path: Path) -> None:
    """A sync checks every store record's hash (``Rows.one``) while it updates saved rows.

    Each read compared its labels against every saved label set since the load: at 200,000
    set, 7 ms a read, so a sync of a million records spent hours only checking hashes.
    """
    n = 200_000
    rows = _saved_rows(tmp_path / "hashes.npy", np.zeros(n, dtype="S8"))
    for label in range(n):
        rows.set(label, b"%08d" % label)
    started = time.perf_counter()
    got = [rows.one(label) for label in range(0, n, n // 2000)]
    elapsed = time.perf_counter() - started
    assert got == [b"%08d" % label for label in range(0, n, n // 2000)]
    assert elapsed < 1.0  # 2,000 reads: ~14 s when a read scanned the 200,000 set labels


@pytest.mark.parametrize("kind", ["rows", "ragged"])
def test_a_file_renamed_over_the_name_while_it_is_mapped_is_not_read_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """The map and the positioned reads opened the file by name, each on its own.

    A save renaming a new file over the name between the two left small reads (positioned)
    showing the new file while large reads (the map) showed the old one.
    """
    n = SMALL_READ + 1  # one more than a positioned read takes: the map answers it
    old = np.zeros((n, 2) if kind == "rows" else (2 * n,), dtype=np.float32)
    path, newer = tmp_path / "v.npy", tmp_path / "v.npy.new"
    write_rows(path, [old], old.shape, old.dtype)
    write_rows(newer, [old + 1], old.shape, old.dtype)
    offsets = tmp_path / "o.npy"
    write_rows(offsets, [np.arange(n + 1, dtype=np.int64) * 2], (n + 1,), np.int64)
    real = np.memmap

    class Renamed(real):
        """Maps as numpy does, then another process's save replaces the file by name."""

        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            mapped = real.__new__(cls, *args, **kwargs)
            if newer.exists():
                newer.replace(path)
            return mapped

    with monkeypatch.context() as patch:
        patch.setattr(np, "memmap", Renamed)
        if kind == "rows":
            rows = Rows.open(path)
        else:
            ragged = Ragged.open(path, offsets)
    assert not newer.exists()  # the rename happened after the map was made
    if kind == "rows":
        np.testing.assert_array_equal(rows.get(np.arange(n)), old)  # through the map
        np.testing.assert_array_equal(rows.get(np.asarray([0, n - 1])), old[[0, n - 1]])
    else:
        np.testing.assert_array_equal(ragged.values, old)  # the map
        np.testing.assert_array_equal(ragged.get(3), old[6:8])  # a positioned read


def _peak_traced(action: Any) -> int:
    """Peak bytes Python and numpy allocated while ``action`` ran (tracemalloc)."""
    import tracemalloc

    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        action()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def test_a_save_copies_the_saved_rows_without_reading_them_into_memory(tmp_path: Path) -> None:
    """A save read the saved rows a 65,536-row block at a time, then copied them twice more.

    At 20,000 vectors of 256 floats that held ~60 MB at once, at the peak of an import; the
    kernel copies the file now (``copy_file_range``), and only the rows set since go through.
    """
    saved = np.random.default_rng(2).standard_normal((16_000, 384)).astype(np.float32)  # 24 MB
    rows = _saved_rows(tmp_path / "old.npy", saved)
    rows.set(3, np.full(384, -1.0, dtype=np.float32))
    rows.grow(16_001)
    rows.set(16_000, np.full(384, 2.0, dtype=np.float32))
    peak = _peak_traced(lambda: rows.write(tmp_path / "new.npy", 16_001))
    assert peak < 2 * 1024 * 1024  # the tail and a row, not the 24 MB saved
    expected = np.vstack([saved, np.full((1, 384), 2.0, dtype=np.float32)])
    expected[3] = -1.0
    np.testing.assert_array_equal(np.load(tmp_path / "new.npy"), expected)


def test_a_save_copies_saved_runs_without_reading_them_into_memory(tmp_path: Path) -> None:
    n = 500_000  # 4 values a label: 8 MB of int32
    values = np.arange(4 * n, dtype=np.int32)
    offsets = np.arange(n + 1, dtype=np.int64) * 4
    write_rows(tmp_path / "v.npy", [values], values.shape, values.dtype)
    write_rows(tmp_path / "o.npy", [offsets], offsets.shape, offsets.dtype)
    ragged = Ragged.open(tmp_path / "v.npy", tmp_path / "o.npy")
    ragged.set(10, np.asarray([7], dtype=np.int32))
    peak = _peak_traced(lambda: ragged.write(tmp_path / "v2.npy", tmp_path / "o2.npy", n))
    assert peak < 6 * 8 * n  # the per-label lengths and offsets, not the 8 MB of values
    again = Ragged.open(tmp_path / "v2.npy", tmp_path / "o2.npy")
    assert again.get(10).tolist() == [7] and again.get(11).tolist() == list(range(44, 48))
    assert len(again.values) == 4 * n - 3


@settings(max_examples=40, deadline=None)
@given(
    saved=st.integers(0, 40),
    sets=st.lists(st.tuples(st.integers(0, 60), st.floats(-9, 9, width=32)), max_size=30),
    rows=st.integers(0, 61),
)
def test_saved_rows_set_rows_and_the_tail_save_as_a_plain_array_would(
    tmp_path_factory: pytest.TempPathFactory,
    saved: int,
    sets: list[tuple[int, float]],
    rows: int,
) -> None:
    """Oracle: an array set by label; the stretches copied by the kernel and the rows set
    since the load, in runs of consecutive labels, must save exactly it."""
    folder = tmp_path_factory.mktemp("rows")
    oracle = np.zeros((61, 3), dtype=np.float32)
    oracle[:saved] = np.arange(saved * 3, dtype=np.float32).reshape(saved, 3)
    column = _saved_rows(folder / "old.npy", oracle[:saved].copy())
    column.grow(61)
    for label, value in sets:
        column.set(label, np.full(3, value, dtype=np.float32))
        oracle[label] = value
    column.write(folder / "new.npy", rows)
    np.testing.assert_array_equal(np.load(folder / "new.npy"), oracle[:rows])


@settings(max_examples=40, deadline=None)
@given(
    saved=st.integers(0, 20),
    steps=st.lists(
        st.one_of(
            st.tuples(st.just("set"), st.integers(0, 59), st.floats(-9, 9, width=32)),
            st.tuples(st.just("spill"), st.integers(0, 60), st.integers(0, 3)),
            st.tuples(st.just("widen"), st.just(0), st.just(0.0)),
        ),
        max_size=30,
    ),
)
def test_rows_spilled_to_a_file_read_set_and_save_as_a_plain_array_would(
    tmp_path_factory: pytest.TempPathFactory,
    saved: int,
    steps: list[tuple[str, int, float]],
) -> None:
    """Oracle: an array set by label, whatever was spilled to the file, read back or saved."""
    folder = tmp_path_factory.mktemp("spill")
    oracle = np.zeros(60, dtype="S4")
    oracle[:saved] = [b"s%d" % i for i in range(saved)]
    column = _saved_rows(folder / "old.npy", oracle[:saved].copy())
    column.grow(60)
    used = saved  # labels below it were set (what a collection's ids count)
    for kind, label, value in steps:
        if kind == "set":
            column.set(label, b"%.1f" % value)
            oracle[label] = b"%.1f" % value
            used = max(used, label + 1)
        elif kind == "spill":
            column.spill(min(label, used), folder, keep=int(value))
        else:
            column.widen("S5")
    labels = np.arange(60)
    assert column.get(labels).tolist() == oracle.tolist()
    assert [column.one(i) for i in range(60)] == oracle.tolist()
    column.write(folder / "new.npy", used)
    assert np.load(folder / "new.npy").tolist() == oracle[:used].tolist()


def test_runs_set_label_after_label_cost_little_more_than_their_values(tmp_path: Path) -> None:
    """A sync sets a run per new label until its save: an array a run in a dict cost ~200 B
    besides the values, ~0.4 KB a profile for its skills and mentions (issue 15)."""
    ragged = Ragged.empty(np.uint8)
    run = np.frombuffer(b'{"python":"overview"}', dtype=np.uint8)
    peak = _peak_traced(lambda: [ragged.set(label, run.copy()) for label in range(20_000)])
    assert peak < 20_000 * (len(run) + 8) * 3  # the values and an end each (buffers double)
    assert ragged.get(19_999).tobytes() == run.tobytes() and ragged.set_count() == 20_000
    ragged.write(tmp_path / "v.npy", tmp_path / "o.npy", 20_001)
    again = Ragged.open(tmp_path / "v.npy", tmp_path / "o.npy")
    assert again.get(123).tobytes() == run.tobytes() and len(again.get(20_000)) == 0


@pytest.mark.parametrize("kernel", ["refuses", "absent"])
def test_a_save_copies_by_reads_where_the_kernel_cannot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel: str
) -> None:
    """``copy_file_range`` fails across file systems on older kernels and is Linux's only."""
    saved = np.arange(3 * 300_000, dtype=np.float32).reshape(300_000, 3)  # 3.6 MB, 4 reads
    rows = _saved_rows(tmp_path / "old.npy", saved)
    rows.set(7, np.full(3, -1.0, dtype=np.float32))

    def refuse(*args: Any) -> int:
        raise OSError(18, "Invalid cross-device link")

    if kernel == "refuses":
        monkeypatch.setattr(os, "copy_file_range", refuse)
    else:
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    rows.write(tmp_path / "new.npy", 300_000)
    expected = saved.copy()
    expected[7] = -1.0
    np.testing.assert_array_equal(np.load(tmp_path / "new.npy"), expected)
