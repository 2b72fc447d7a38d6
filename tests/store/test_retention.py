"""Retention in the store: old log entries go and the chain still verifies; old rows go."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tandem.domain import Event
from tandem.errors import NotFoundError, StoreError
from tandem.settings import Settings
from tandem.store import Store, migrate, open_database, retention
from tandem.store.decisions import DecisionLog
from tests.conftest import POSTGRES_URL
from tests.store.conftest import _fresh_postgres
from tests.store.test_decision_log import _decision, _search

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


@pytest.mark.parametrize("lease", [1, 2, 512])
def test_purge_deletes_keys_no_remaining_entry_needs(
    store: Store, lease: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tandem.store.decisions.KEY_LEASE", lease)
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


def test_a_keys_lease_starts_at_its_first_use_and_is_renewed_once_it_has_run_out(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tandem.store.decisions.KEY_LEASE", 2)
    _log(store)  # f1 is ranked by 1, 2, 4, 5 and is the subject of 3
    store.decisions.record(_decision(6, people=("f9",)))
    lease = dict(store.db.fetchall("SELECT name, last_seq FROM log_keys"))
    assert lease["freelancer:f1"] == 6  # 1 -> 3; 2 and 3 within it; 4 renews -> 6
    assert lease["freelancer:f9"] == 8 and lease["job:j2"] == 4
    assert lease["actor:u-client"] == 6  # 1 -> 3, 4 -> 6; 5 and 6 fall within it


def test_the_first_entry_kept_is_found_in_chain_order_even_when_times_are_out_of_order(
    store: Store,
) -> None:
    for n, minute in enumerate((1, 2, 6, 3, 7), start=1):  # entry 4 was logged late
        late = _decision(n).model_copy(update={"ts": START + timedelta(minutes=minute)})
        store.decisions.record(late)
    assert store.decisions.purge_before(START + timedelta(minutes=5))[0] == 2
    assert [r[0] for r in store.db.fetchall("SELECT seq FROM decisions ORDER BY seq")] == [3, 4, 5]
    assert store.decisions.verify().ok


def _purge_killed_after_the_base_moved(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Log entries, then purge the first three, killed before their rows are deleted."""
    _log(store)

    def crash(self: DecisionLog, last: int) -> int:
        raise StoreError("the process died after the base moved")

    with monkeypatch.context() as patched:
        patched.setattr(DecisionLog, "_delete_through", crash)
        with pytest.raises(StoreError):
            store.decisions.purge_before(START + timedelta(minutes=3, seconds=30))


def test_rows_a_purge_left_behind_are_outside_the_chain_and_go_at_the_next_purge(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    _purge_killed_after_the_base_moved(store, monkeypatch)
    assert store.db.scalar("SELECT COUNT(*) FROM decisions") == 5  # the rows are still there
    check = store.decisions.verify()
    assert check.ok and check.entries == 2 and check.head_seq == 5
    assert [seq for seq, _ in store.decisions.entries_mentioning({"freelancer:f1"})] == [4, 5]
    assert store.decisions.purge_before(START + timedelta(minutes=3, seconds=30)) == (3, 0)
    assert store.db.scalar("SELECT MIN(seq) FROM decisions") == 4
    assert store.decisions.verify().ok


def test_an_erasure_after_a_purge_left_rows_behind_leaves_no_trace_in_them(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    _purge_killed_after_the_base_moved(store, monkeypatch)
    store.decisions.erase_people({"freelancer:f1"})
    for decision in store.decisions.recent(10):  # what the log still shows
        assert '"f1"' not in decision.model_dump_json(), decision.request_id
    assert store.decisions.verify().ok


def test_an_entry_appended_while_a_purge_reads_keeps_the_keys_it_needs(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    _log(store)
    store.decisions.record(_decision(6, people=("f9",)))
    walk = DecisionLog._chain

    def append_first(self: DecisionLog, *args: object, **kw: object) -> object:
        if kw.get("runner") is None and kw.get("through") is not None:  # the unlocked read
            monkeypatch.setattr(DecisionLog, "_chain", walk)
            self.record(_decision(7, people=("f2",)))  # f2's lease needs no renewal
        return walk(self, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(DecisionLog, "_chain", append_first)
    store.decisions.purge_before(START + timedelta(minutes=5, seconds=30))
    after = {r[0] for r in store.db.fetchall("SELECT name FROM log_keys")}
    assert "freelancer:f2" in after and "freelancer:f1" not in after
    check = store.decisions.verify()
    assert check.ok and check.head_seq == 7, check.problem


def test_a_purge_deletes_in_batches_and_counts_every_entry(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tandem.store.decisions.PURGE_BATCH", 2)
    _log(store)
    assert store.decisions.purge_before(START + timedelta(minutes=5, seconds=30))[0] == 5
    assert store.db.scalar("SELECT COUNT(*) FROM decisions") == 0
    assert store.decisions.verify().ok


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url_at_0010(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store at revision 0010, the last before keys recorded their last entry."""
    from alembic import command
    from sqlalchemy import create_engine

    from tandem.store.db import alembic_config

    if request.param == "postgresql":
        if not POSTGRES_URL:
            pytest.skip("TANDEM_TEST_POSTGRES_URL is not set (.ci/run starts a PostgreSQL 15)")
        url = _fresh_postgres(POSTGRES_URL)
        engine = create_engine("postgresql+psycopg://" + url.split("://", 1)[1])
    else:
        url = f"sqlite:///{tmp_path / 'old.db'}"
        engine = create_engine(url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0010")
    engine.dispose()
    yield url


def test_a_log_written_before_0011_is_carried_over_verifies_and_purges(url_at_0010: str) -> None:
    db = open_database(url_at_0010)
    store = Store(db)
    with db.transaction() as tx:  # today's appends write the column 0011 adds ...
        tx.execute("ALTER TABLE log_keys ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0")
    _log(store)
    store.decisions.record(_search(1, "Ada Lovelace"))  # logged 2026-11-02: kept
    store.decisions.record(_decision(6, people=("f9",)))
    with db.transaction() as tx:  # ... and an 0010 store does not have it
        tx.execute("ALTER TABLE log_keys DROP COLUMN last_seq")
    migrate(db)
    lease = {n: s - 4096 for n, s in db.fetchall("SELECT name, last_seq FROM log_keys")}
    assert lease["freelancer:f1"] == 5 and lease["query:s1"] == 6 and lease["freelancer:f9"] == 7
    assert store.decisions.verify().ok
    deleted, keys = store.decisions.purge_before(START + timedelta(minutes=5, seconds=30))
    assert deleted == 5 and keys > 0
    assert {r[0] for r in db.fetchall("SELECT name FROM log_keys")} == {
        "actor:u-client", "query:s1", "freelancer:f2", "freelancer:f3", "job:j6",
        "freelancer:f9",
    }  # fmt: skip
    check = store.decisions.verify()
    assert check.ok and check.entries == 2 and check.head_seq == 7
    db.close()


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


def test_rows_a_purge_has_moved_past_but_not_deleted_yet_are_never_read(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    _purge_killed_after_the_base_moved(store, monkeypatch)  # entries 1-3 still in the table
    assert store.db.scalar("SELECT COUNT(*) FROM decisions") == 5
    log = store.decisions
    for gone in ("r1", "r2", "r3"):
        with pytest.raises(NotFoundError):
            log.get(gone)
    assert log.get("r4").request_id == "r4"
    assert [d.request_id for d in log.recent(10)] == ["r5", "r4"]
    assert log.recent(10, subject="f1") == []  # entry 3, the only one about f1, went
    found, total = log.page(0, 10)
    assert [d.request_id for d in found] == ["r5", "r4"] and total == 2
    assert log.page(0, 10, kind="recommend") == ([], 0)
    assert [d.request_id for d in log.served(("match", "recommend"))] == ["r4", "r5"]
    assert [seq for seq, _ in log.numbered("match")] == [4, 5]
