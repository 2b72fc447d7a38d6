"""A migrated store on SQLite and, when TANDEM_TEST_POSTGRES_URL is set, on PostgreSQL."""

from collections.abc import Iterator
from pathlib import Path

import pytest

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
