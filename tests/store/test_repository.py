from collections.abc import Iterator
from pathlib import Path

import pytest

from tandem.domain import Freelancer
from tandem.errors import NotFoundError
from tandem.store import Store, create_store_engine, migrate
from tests.conftest import POSTGRES_URL


def _fresh_postgres(url: str) -> str:
    """Drop every Tandem table so each test starts from an empty schema."""
    from sqlalchemy import text

    from tandem.store.tables import Base

    engine = create_store_engine(url)
    with engine.begin() as conn:
        for table in [*(t.name for t in Base.metadata.sorted_tables), "alembic_version"]:
            conn.execute(text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    engine.dispose()
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
    engine = create_store_engine(url)
    migrate(engine)
    migrate(engine)  # idempotent
    yield Store(engine)
    engine.dispose()


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
    with store.session() as s, s.begin():
        first = store.freelancers.upsert(s, [_freelancer(1), _freelancer(2)])
    with store.session() as s, s.begin():
        second = store.freelancers.upsert(s, [_freelancer(1), _freelancer(2, rate=99)])
    assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)
    assert (second.inserted, second.updated, second.unchanged) == (0, 1, 1)
    assert store.freelancers.get("f2").hourly_rate == 99
    assert store.freelancers.get("f1").model_extra == {"extra_field": {"kept": True}}


def test_get_missing_raises_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError, match="f404"):
        store.freelancers.get("f404")


def test_pages_and_streams_in_id_order(store: Store) -> None:
    with store.session() as s, s.begin():
        store.freelancers.upsert(s, [_freelancer(i) for i in range(25)])
    items, total = store.freelancers.page(offset=10, limit=5)
    assert total == 25 and [f.id for f in items] == sorted(f"f{i}" for i in range(25))[10:15]
    assert [f.id for f in store.freelancers.iter_all(batch=7)] == sorted(f"f{i}" for i in range(25))


def test_a_failed_transaction_writes_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.session() as s, s.begin():
        store.freelancers.upsert(s, [_freelancer(1)])
        raise RuntimeError("crash mid-batch")
    assert store.freelancers.count() == 0
