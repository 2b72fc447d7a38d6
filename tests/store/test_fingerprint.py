"""A table's fingerprint changes with any insert, update or delete, and only then."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.domain import Event
from tandem.store import migrate, open_database
from tandem.store.fingerprint import table_fingerprint
from tandem.store.repository import Store


def _store(tmp_path: Path) -> Store:
    db = open_database(f"sqlite:///{tmp_path / 'fp.db'}")
    migrate(db)
    return Store(db)


def _event(n: int, kind: str = "click") -> Event:
    return Event.model_validate(
        {"id": f"e{n}", "ts": "2026-01-01T00:00:00Z", "type": kind, "freelancer_id": "f1"}
    )


def test_a_change_to_any_row_changes_the_fingerprint(tmp_path: Path) -> None:
    store = _store(tmp_path)
    empty = table_fingerprint(store.db, "events")
    assert empty == (0, 0)
    store.events.save(_event(1))
    one = table_fingerprint(store.db, "events")
    assert one[0] == 1 and one != empty
    store.events.save(_event(1))  # the same record: nothing written
    assert table_fingerprint(store.db, "events") == one
    store.events.save(_event(1, "hire"))  # changed in place
    changed = table_fingerprint(store.db, "events")
    assert changed[0] == 1 and changed != one
    with store.transaction() as tx:
        tx.execute("DELETE FROM events WHERE id = 'e1'")
    assert table_fingerprint(store.db, "events") == empty
    store.close()


def test_only_tables_with_content_hashes(tmp_path: Path) -> None:
    store = _store(tmp_path)
    with pytest.raises(ValueError, match="no content hashes"):
        table_fingerprint(store.db, "decisions")
    store.close()


def test_events_of_some_types_are_fingerprinted_apart(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.events.save(_event(1, "hire"))
    hires = table_fingerprint(store.db, "events", ("hire", "review"))
    store.events.save(_event(2, "impression"))  # a page view: not an outcome
    assert table_fingerprint(store.db, "events", ("hire", "review")) == hires
    store.events.save(_event(3, "review"))
    assert table_fingerprint(store.db, "events", ("hire", "review"))[0] == 2
    assert table_fingerprint(store.db, "events", ())[0] == 0
    with pytest.raises(ValueError, match="only events"):
        table_fingerprint(store.db, "jobs", ("hire",))


def test_the_log_base_moves_with_a_purge_not_an_append(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from tandem.domain import Decision
    from tandem.store.fingerprint import log_base

    store = _store(tmp_path)
    start = log_base(store.db)
    old = datetime.now(UTC) - timedelta(days=30)
    for n, ts in enumerate((old, old, datetime.now(UTC))):
        store.decisions.record(
            Decision(
                request_id=f"r{n}", ts=ts, actor="a", surface="api", kind="match",
                subject="j1", model_version="m", request={}, candidates=[], results=[],
            )
        )  # fmt: skip
    assert log_base(store.db) == start
    store.decisions.purge_before(datetime.now(UTC) - timedelta(days=1))
    assert log_base(store.db) != start
    indexes = {r[0] for r in store.db.fetchall("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "ix_decisions_kind_seq" in indexes  # migration 0010
