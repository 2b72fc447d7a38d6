"""A migrated store on SQLite and, when TANDEM_TEST_POSTGRES_URL is set, on PostgreSQL."""

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tandem.store import Store, migrate, open_database
from tandem.store.db import TABLES
from tests.conftest import POSTGRES_URL


def _worker_database(url: str) -> str:
    """``url`` itself, or under pytest-xdist a database of this worker's own beside it.

    Workers run at the same time and each test drops every table first, so sharing one
    database would let one worker's test empty another's mid-run. The worker's database is
    made on first use (``tandem_test`` -> ``tandem_test_gw0``) and reused after.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_{worker}"
    with psycopg.connect(url, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if found is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(parts._replace(path=f"/{name}"))


def _fresh_postgres(url: str) -> str:
    """Drop every Tandem table so each test starts from an empty schema (the URL to use)."""
    url = _worker_database(url)
    db = open_database(url)
    with db.transaction() as tx:
        for table in [*TABLES, "alembic_version"]:
            tx.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
    db.close()
    return url


def end_every_backend(url: str) -> int:
    """End every other session on ``url``'s database, as a server restart would; how many.

    What a client sees of ``pg_ctl restart``, an administrator's shutdown or a reset network:
    the next statement on each connection it held fails, and psycopg marks it closed.
    """
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


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
