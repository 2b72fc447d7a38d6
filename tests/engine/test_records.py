"""The record cache: kept from the second read on, fresh by content hash, bounded."""

from tandem.engine.records import RecordCache


def _read(cache: RecordCache[str], ids: list[str], index: dict[str, str]) -> dict[str, str]:
    """What the engine does: hashes of the known ids only, the rest from the 'store'."""
    known = cache.known(ids)
    hashes = {i: index.get(i) for i in known}
    found, missing = cache.lookup(ids, hashes)
    for i in missing:
        record = f"{i}@{index.get(i)}"
        found[i] = record
        cache.offer(i, hashes.get(i), record)
    return found


def test_a_record_read_once_is_only_remembered_and_one_read_again_is_kept() -> None:
    cache: RecordCache[str] = RecordCache()
    index = {"a": "h1", "b": "h2"}
    assert cache.known(["a", "b"]) == []
    _read(cache, ["a"], index)
    assert len(cache) == 0 and cache.known(["a", "b"]) == ["a"]  # read once: remembered
    _read(cache, ["a"], index)
    assert len(cache) == 1
    assert cache.lookup(["a", "b"], {"a": "h1"}) == ({"a": "a@h1"}, ["b"])


def test_a_kept_record_whose_hash_changed_is_read_again_and_replaced() -> None:
    cache: RecordCache[str] = RecordCache()
    index = {"a": "h1"}
    for _ in range(2):
        _read(cache, ["a"], index)
    index["a"] = "h2"  # the index holds another version now
    assert _read(cache, ["a"], index) == {"a": "a@h2"}
    assert cache.lookup(["a"], {"a": "h2"}) == ({"a": "a@h2"}, [])
    assert cache.lookup(["a"], {}) == ({}, ["a"])  # no longer indexed: never served


def test_a_record_the_index_does_not_hold_is_never_kept() -> None:
    cache: RecordCache[str] = RecordCache()
    for _ in range(3):
        _read(cache, ["a"], {})
    assert len(cache) == 0


def test_records_and_ids_remembered_stay_within_the_limit() -> None:
    cache: RecordCache[int] = RecordCache(limit=10)
    for i in range(25):  # a working set larger than the limit: remembered ids start afresh
        cache.offer(str(i), "h", i)
        assert len(cache._seen) <= 10
    for _ in range(3):  # one that fits: kept, and never more than the limit
        for i in range(100, 108):
            cache.offer(str(i), "h", i)
        assert len(cache) <= 10 and len(cache._seen) <= 10
    ids = [str(i) for i in range(100, 108)]
    assert cache.lookup(ids, dict.fromkeys(ids, "h")) == ({i: int(i) for i in ids}, [])
