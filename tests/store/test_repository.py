from collections.abc import Iterator
from pathlib import Path

import pytest

from tandem.domain import Freelancer
from tandem.errors import NotFoundError
from tandem.store import Store, migrate, open_database
from tandem.store.db import TABLES
from tests.conftest import POSTGRES_URL


def _fresh_postgres(url: str) -> str:
    """Drop every Tandem table so each test starts from an empty schema."""
    db = open_database(url)
    with db.transaction() as tx:
        for table in [*TABLES, "alembic_version"]:
            tx.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
    db.close()
    return url


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
    ]
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A migrated store on SQLite and, when TANDEM_TEST_POSTGRES_URL is set, PostgreSQL."""
    if request.param == "postgresql":
        if not POSTGRES_URL:
            pytest.skip("TANDEM_TEST_POSTGRES_URL is not set (.ci/run starts a PostgreSQL 15)")
        url = _fresh_postgres(POSTGRES_URL)
    else:
        url = f"sqlite:///{tmp_path / 'store.db'}"
    db = open_database(url)
    migrate(db)
    migrate(db)  # idempotent
    yield Store(db)
    db.close()


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
