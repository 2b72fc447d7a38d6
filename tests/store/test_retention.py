"""Retention in the store: old log entries go and the chain still verifies; old rows go."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tandem.domain import Event
from tandem.settings import Settings
from tandem.store import Store, retention
from tests.store.test_decision_log import _decision

START = datetime(2026, 11, 1, tzinfo=UTC)


def _log(store: Store) -> None:
    """Five entries a minute apart; entry 3 is for freelancer f1, the others rank f1..f3."""
    for i in range(1, 6):
        store.decisions.record(_decision(i, "recommend" if i == 3 else "match"))


def test_purging_old_entries_moves_the_base_and_the_chain_still_verifies(store: Store) -> None:
    _log(store)
    fourth = store.db.scalar("SELECT entry_hash FROM decisions WHERE seq = 4")
    deleted, _ = store.decisions.purge_before(START + timedelta(minutes=4, seconds=30))
    assert deleted == 4
    assert store.db.fetchone("SELECT base_seq, base_hash FROM log_chain") == (4, fourth)
    check = store.decisions.verify()
    assert check.ok and check.entries == 1 and check.head_seq == 5
    assert store.decisions.purge_before(START + timedelta(minutes=4, seconds=30)) == (0, 0)
    store.decisions.record(_decision(6))
    assert store.decisions.verify().ok


def test_purge_deletes_keys_no_remaining_entry_needs(store: Store) -> None:
    _log(store)
    store.decisions.record(_decision(6, people=("f9",)))
    before = {r[0] for r in store.db.fetchall("SELECT name FROM log_keys")}
    assert "freelancer:f1" in before and "job:j6" in before
    _, keys = store.decisions.purge_before(START + timedelta(minutes=5, seconds=30))
    after = {r[0] for r in store.db.fetchall("SELECT name FROM log_keys")}
    assert keys == len(before - after) > 0
    assert after == {"actor:u-client", "job:j6", "freelancer:f9"}
    assert store.decisions.verify().ok


def test_purging_everything_leaves_an_empty_chain_that_verifies(store: Store) -> None:
    _log(store)
    assert store.decisions.purge_before(START + timedelta(days=1))[0] == 5
    check = store.decisions.verify()
    assert check.ok and check.entries == 0 and check.head_seq == 5
    store.decisions.record(_decision(7))
    assert store.decisions.verify().ok


def test_a_tampered_entry_after_a_purge_is_still_found(store: Store) -> None:
    _log(store)
    store.decisions.purge_before(START + timedelta(minutes=2, seconds=30))
    with store.db.transaction() as tx:
        tx.execute("UPDATE decisions SET model_version = 'forged' WHERE seq = 4")
    check = store.decisions.verify()
    assert not check.ok and "entry 4" in str(check.problem)


def test_events_impressions_and_conversations_go_by_age(store: Store) -> None:
    old, new = START - timedelta(days=400), START
    events = [
        Event(id=f"{kind}-{n}", ts=ts, type=kind, job_id="j1", freelancer_id="f1")  # type: ignore[arg-type]
        for n, ts in enumerate((old, new))
        for kind in ("impression", "hire")
    ]
    with store.transaction() as tx:
        store.events.upsert(tx, events)
    conv = store.conversations.create("u1", {}, "hello")
    with store.db.transaction() as tx:
        tx.execute("UPDATE conversations SET updated_at = ?", (store.db.ts(old),))
    assert retention.purge_impressions(store.db, START - timedelta(days=90)) == 1
    assert retention.purge_other_events(store.db, START - timedelta(days=730)) == 0
    assert retention.purge_other_events(store.db, START - timedelta(days=30)) == 1
    assert retention.purge_conversations(store.db, START - timedelta(days=30)) == 1
    assert sorted(store.events.hashes()) == ["hire-1", "impression-1"]
    assert store.db.scalar("SELECT COUNT(*) FROM messages WHERE session_id = ?", (conv.id,)) == 0
    assert retention.purge_conversations(store.db, START - timedelta(days=30)) == 0


def test_a_decision_log_kept_less_than_six_months_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 183 days"):
        Settings(retention_decisions_days=90)
    assert Settings().retention_decisions_days == 183
