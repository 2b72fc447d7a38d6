"""The record cache: kept from the second read on, fresh by content hash, bounded."""

from tandem.engine.records import RecordCache


def test_a_record_read_once_is_not_kept_and_one_read_again_is() -> None:
    cache: RecordCache[str] = RecordCache()
    assert cache.lookup(["a"], ["h1"]) == ({}, ["a"])
    cache.offer("a", "h1", "record a")
    assert len(cache) == 0 and cache.lookup(["a"], ["h1"]) == ({}, ["a"])  # read once
    cache.offer("a", "h1", "record a")
    assert cache.lookup(["a", "b"], ["h1", "h2"]) == ({"a": "record a"}, ["b"])


def test_a_kept_record_whose_hash_changed_is_read_again_and_replaced() -> None:
    cache: RecordCache[str] = RecordCache()
    for _ in range(2):
        cache.offer("a", "h1", "old")
    assert cache.lookup(["a"], ["h2"]) == ({}, ["a"])  # the index holds another version
    cache.offer("a", "h2", "new")  # read before: replaced at once
    assert cache.lookup(["a"], ["h2"]) == ({"a": "new"}, [])
    assert cache.lookup(["a"], [None]) == ({}, ["a"])  # no longer indexed


def test_a_record_the_index_does_not_hold_is_never_kept() -> None:
    cache: RecordCache[str] = RecordCache()
    for _ in range(3):
        cache.offer("a", None, "record")
    assert len(cache) == 0


def test_records_and_ids_seen_stay_within_the_limit() -> None:
    cache: RecordCache[int] = RecordCache(limit=10)
    for round_ in range(2):
        for i in range(25):
            cache.offer(str(i), "h", i)
        assert len(cache) <= 10 and len(cache._seen) <= 10, round_
    kept, missing = cache.lookup([str(i) for i in range(25)], ["h"] * 25)
    assert len(kept) + len(missing) == 25 and all(kept[k] == int(k) for k in kept)
