import os
import threading
from pathlib import Path

import pytest

from tandem.domain import Freelancer
from tandem.errors import NotFoundError
from tandem.store import Store
from tandem.store.db import SQLITE_CACHE_KIB


def _freelancer(i: int, rate: float = 30.0) -> Freelancer:
    return Freelancer.model_validate(
        {
            "id": f"f{i}",
            "name": f"F {i}",
            "hourly_rate": rate,
            "country": "DE",
            "joined_at": "2025-01-01T00:00:00Z",
            "extra_field": {"kept": True},
        }
    )


def test_upsert_counts_new_updated_unchanged(store: Store) -> None:
    with store.transaction() as s:
        first = store.freelancers.upsert(s, [_freelancer(1), _freelancer(2)])
    with store.transaction() as s:
        second = store.freelancers.upsert(s, [_freelancer(1), _freelancer(2, rate=99)])
    assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)
    assert (second.inserted, second.updated, second.unchanged) == (0, 1, 1)
    assert store.freelancers.get("f2").hourly_rate == 99
    assert store.freelancers.get("f1").model_extra == {"extra_field": {"kept": True}}


def test_get_missing_raises_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError, match="f404"):
        store.freelancers.get("f404")


def test_pages_and_streams_in_id_order(store: Store) -> None:
    with store.transaction() as s:
        store.freelancers.upsert(s, [_freelancer(i) for i in range(25)])
    items, total = store.freelancers.page(offset=10, limit=5)
    assert total == 25 and [f.id for f in items] == sorted(f"f{i}" for i in range(25))[10:15]
    assert [f.id for f in store.freelancers.iter_all(batch=7)] == sorted(f"f{i}" for i in range(25))


def test_a_failed_transaction_writes_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as s:
        store.freelancers.upsert(s, [_freelancer(1)])
        raise RuntimeError("crash mid-batch")
    assert store.freelancers.count() == 0


def test_times_read_back_carry_their_zone(store: Store) -> None:
    """Every stored time comes back aware and in UTC, on both backends (RFC 3339 on the API)."""
    from datetime import UTC, datetime, timedelta, timezone

    from tandem.domain import Decision

    berlin = timezone(timedelta(hours=1))
    served = datetime(2026, 11, 26, 11, 11, 52, 929896, tzinfo=berlin)
    decision = Decision.model_validate(
        {
            "request_id": "r1",
            "ts": served,
            "actor": "a",
            "surface": "api",
            "kind": "match",
            "subject": "j1",
            "model_version": "heuristic",
            "request": {},
            "candidates": [],
            "results": [],
        }
    )
    store.decisions.record(decision)
    back = store.decisions.get("r1").ts
    assert back.tzinfo is not None and back == served and back.utcoffset() == timedelta(0)
    assert back == datetime(2026, 11, 26, 10, 11, 52, 929896, tzinfo=UTC)
    conv = store.conversations.create("a", {}, "hello")
    assert store.conversations.get(conv.id).created_at.tzinfo is not None
    assert all(m.ts.tzinfo is not None for m in store.conversations.messages(conv.id))


def test_a_value_that_is_not_json_is_refused_not_stored(store: Store) -> None:
    from tandem.errors import ConflictError

    conv = store.conversations.create("a", {}, "hello")
    with pytest.raises(ConflictError, match="finite"):
        store.conversations.append(conv, [("user", "x", {"score": float("inf")})], {})
    assert [m.text for m in store.conversations.messages(conv.id)] == ["hello"]


def test_filters_only_on_known_columns(store: Store) -> None:
    with pytest.raises(ValueError, match="cannot be filtered"):
        store.jobs.where(**{"status = 'open' OR 1=1 --": "x"})


def test_a_new_database_and_home_are_their_owners_alone(tmp_path: Path) -> None:
    import stat

    from tandem.engine import Engine
    from tests.conftest import make_settings

    engine = Engine(make_settings(tmp_path / "home"))
    engine.store.freelancers.count()
    assert stat.S_IMODE((tmp_path / "home").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "home" / "tandem.db").stat().st_mode) == 0o600
    engine.store.close()


def test_the_audits_lean_reads_agree_with_the_full_records(store: Store) -> None:
    """``reached`` and ``applied`` (columns, no models) say what the full records say."""
    from tandem.domain import Event, Proposal

    events = [
        Event.model_validate(e)
        for e in [
            {"id": "e1", "ts": "2026-03-01T10:00:00+02:00", "type": "hire", "job_id": "j1",
             "freelancer_id": "f1"},
            {"id": "e2", "ts": "2026-03-02T00:00:00.123456Z", "type": "shortlist",
             "job_id": "j2", "freelancer_id": "f1"},
            {"id": "e3", "ts": "2026-03-03T00:00:00Z", "type": "click", "job_id": "j1"},
            {"id": "e4", "ts": "2026-03-04T00:00:00Z", "type": "review", "freelancer_id": "f2"},
        ]
    ]  # fmt: skip
    proposals = [
        Proposal.model_validate(
            {"id": f"p{i}", "job_id": f"j{i}", "freelancer_id": "f1",
             "created_at": f"2026-02-0{i}T23:30:00-05:00"}
        )
        for i in (1, 2)
    ]  # fmt: skip
    with store.transaction() as tx:
        store.events.upsert(tx, events)
        store.proposals.upsert(tx, proposals)
    full = {
        (e.job_id, e.freelancer_id, e.type, e.ts)
        for e in store.events.iter_all()
        if e.job_id and e.freelancer_id
    }
    assert {tuple(r) for r in store.reached()} == full and len(full) == 2
    assert all(r.ts.utcoffset() is not None for r in store.reached())
    assert sorted(tuple(a) for a in store.applied()) == sorted(
        (p.job_id, p.freelancer_id, p.created_at) for p in store.proposals.iter_all()
    )


def test_hashes_stream_in_pages_of_at_most_a_batch(store: Store) -> None:
    with store.transaction() as tx:
        store.freelancers.upsert(tx, [_freelancer(i) for i in range(7)])
    pages = list(store.freelancers.iter_hashes(batch=3))
    assert [len(p) for p in pages] == [3, 3, 1]
    streamed = [row for page in pages for row in page]
    assert streamed == sorted(store.freelancers.hashes().items())  # the same rows, by id


def test_every_sqlite_connection_caches_the_inner_pages_a_match_reads(store: Store) -> None:
    """A match's 300 reads by id re-read the B-trees' inner pages from the OS with 2 MB."""
    if store.db.dialect != "sqlite":
        pytest.skip("a SQLite connection setting")
    seen: list[object] = [store.db.scalar("PRAGMA cache_size")]
    worker = threading.Thread(target=lambda: seen.append(store.db.scalar("PRAGMA cache_size")))
    worker.start()
    worker.join()
    assert seen == [-SQLITE_CACHE_KIB, -SQLITE_CACHE_KIB] and SQLITE_CACHE_KIB >= 8192


def test_a_thread_that_ended_leaves_no_connection_open(store: Store) -> None:
    """Each thread's connection stayed open until the store closed, the thread long gone.

    A server's worker threads come and go (anyio retires one idle for 10 s), so the open
    files (and a SQLite connection's cached pages, up to SQLITE_CACHE_KIB each) grew without
    bound: 20 threads that had ended held 20 connections.
    """
    fds = Path("/proc/self/fd")
    if store.db.dialect != "sqlite" or store.db.path is None or not fds.is_dir():
        pytest.skip("counts the SQLite file's open descriptors (Linux)")
    name = str(store.db.path.resolve())

    def held() -> int:
        return sum(1 for fd in fds.iterdir() if os.path.realpath(fd).startswith(name))

    store.freelancers.get_many(["nobody"])
    before = held()
    for _ in range(20):
        worker = threading.Thread(target=lambda: store.freelancers.get_many(["nobody"]))
        worker.start()
        worker.join()
    assert held() <= before + 2  # the last worker's database and log files at most
    assert store.freelancers.get_many(["nobody"]) == {}  # this thread's connection still serves


def test_every_kind_of_record_reads_back_as_validated_from_its_parsed_json(
    store: Store, small_bundle: Path
) -> None:
    """Stored JSON read by pydantic directly gives the records ``json.loads`` + validation gave.

    The rows of a generated market (every kind, unknown fields included), written and read
    back: equal to the records written, and to what validating the parsed JSON builds.
    """
    import json

    from tandem.domain.fields import STORED
    from tandem.store.db import load_json

    repos = {
        "freelancers": store.freelancers,
        "clients": store.clients,
        "jobs": store.jobs,
        "proposals": store.proposals,
        "events": store.events,
    }
    for name, repo in repos.items():
        path = small_bundle / f"{name}.jsonl"
        if not path.exists():
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        records = [repo._model.model_validate(json.loads(line)) for line in lines]
        records[0] = repo._model.model_validate({**records[0].to_json_dict(), "x_note": [1, 2.5]})
        with store.transaction() as s:
            repo.upsert(s, records)
        got = repo.get_many([r.id for r in records])
        assert [got[r.id] for r in records] == records, name
        raw = dict(store.db.fetchall(f"SELECT id, data FROM {name}"))
        model = repo._model
        parsed = {i: model.model_validate(load_json(v), context=STORED) for i, v in raw.items()}
        assert {r.id: got[r.id] for r in records} == parsed, name
        assert got[records[0].id].model_extra["x_note"] == [1, 2.5]
