"""Review 14: a thread never serves a kept record past an erasure another thread noticed."""

from __future__ import annotations

import threading
from pathlib import Path

from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tandem.engine.records import ErasureStamp
from tests.conftest import make_settings


def test_an_erasure_noticed_by_one_thread_reaches_a_thread_that_asks_right_after(
    tmp_path: Path, small_bundle: Path
) -> None:
    """Thread 1 sees the changed stamp; thread 2 asks before thread 1 replaced the caches.

    The stamp then reads unchanged to thread 2, which served the erased person's kept record
    from the old cache while the index snapshot still named them (before the rebuild).
    """
    engine = Engine(make_settings(tmp_path / "home"), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    person = next(iter(engine.store.freelancers.iter_all())).id
    for _ in range(2):  # the second read keeps the record
        assert person in engine.freelancers([person])
    # another process erases: the stamp first, then the rows; its rebuilt index is not out yet
    ErasureStamp(engine._erasures.path).bump()
    with engine.store.transaction() as tx:
        tx.execute("DELETE FROM freelancers WHERE id = ?", [person])
    assert not engine.store.freelancers.exists([person])

    real = engine._erasures.changed
    other: dict[str, object] = {}

    def changed() -> bool:  # thread 1 is preempted right after it saw the change
        out = real()
        if out and not other:
            worker = threading.Thread(target=lambda: other.update(engine.freelancers([person])))
            other["started"] = worker
            worker.start()
            worker.join(0.5)
        return out

    engine._erasures.changed = changed  # type: ignore[method-assign]
    try:
        assert person not in engine.freelancers([person])
        worker = other["started"]
        assert isinstance(worker, threading.Thread)
        worker.join(5)
        assert person not in other  # thread 2 served the erased person's kept record
    finally:
        engine.store.close()


def test_a_replica_on_another_host_drops_kept_records_when_its_shared_index_says_so(
    tmp_path: Path, small_bundle: Path
) -> None:
    """Two hosts as docs/SCALING.md sets them up: one store, a shared ``index/``, own homes.

    The erasing host marked the erasure and deleted the rows; its rebuilt index is not out
    yet. The other host kept the person's record: it must not serve it from memory.
    """
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    here = Engine(make_settings(tmp_path / "a", url), encoder=HashingEncoder())
    here.import_bundle(small_bundle)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "index").symlink_to(tmp_path / "a" / "index")  # the shared file system
    there = Engine(make_settings(tmp_path / "b", url), encoder=HashingEncoder())
    try:
        person = next(iter(there.store.freelancers.iter_all())).id
        for _ in range(2):  # the second read keeps the record
            assert person in there.freelancers([person])
        here._erasures.bump()  # what erase() does on the erasing host before it deletes
        with here.store.transaction() as tx:
            tx.execute("DELETE FROM freelancers WHERE id = ?", [person])
        assert person not in there.freelancers([person])
    finally:
        there.store.close()
        here.store.close()
