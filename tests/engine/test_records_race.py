"""Review 14: a thread never serves a kept record past an erasure another thread noticed."""

from __future__ import annotations

import threading
from pathlib import Path

from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tandem.engine.records import ERASURE_STAMP, ErasureStamp
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
    ErasureStamp(engine.settings.home / ERASURE_STAMP).bump()
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
