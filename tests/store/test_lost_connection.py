"""A PostgreSQL connection lost under a running store is replaced (skipped without PostgreSQL).

The server ending every backend (``pg_terminate_backend``) is what a client sees of
``pg_ctl restart``, an administrator's shutdown or a reset network: the next statement on each
held connection fails. Trial 18: every later request failed too, until the process restarted.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from tandem.errors import StoreUnavailableError
from tandem.store import open_database
from tandem.store.db import Database
from tests.conftest import POSTGRES_URL
from tests.store.conftest import _fresh_postgres, end_every_backend

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_db() -> Iterator[Database]:
    """A PostgreSQL store database with one table of one row (no migrations: not needed)."""
    if not POSTGRES_URL:
        pytest.skip("TANDEM_TEST_POSTGRES_URL is not set (.ci/run starts a PostgreSQL 15)")
    db = open_database(_fresh_postgres(POSTGRES_URL))
    with db.transaction() as tx:
        tx.execute("DROP TABLE IF EXISTS tandem_probe")
        tx.execute("CREATE TABLE tandem_probe (id INTEGER PRIMARY KEY)")
        tx.execute("INSERT INTO tandem_probe VALUES (1)")
    yield db
    db.ping()  # a read: replaces the main thread's connection if a test ended it
    with db.transaction() as tx:
        tx.execute("DROP TABLE IF EXISTS tandem_probe")
    db.close()


def test_a_read_that_meets_a_lost_connection_is_answered_on_a_fresh_one(pg_db: Database) -> None:
    assert pg_db.scalar("SELECT count(*) FROM tandem_probe") == 1
    assert end_every_backend(pg_db.url) >= 1
    assert pg_db.scalar("SELECT count(*) FROM tandem_probe") == 1  # retried once, transparently
    assert pg_db.fetchall("SELECT id FROM tandem_probe") == [(1,)]
    pg_db.ping()


def test_a_write_whose_begin_meets_a_lost_connection_starts_on_a_fresh_one(
    pg_db: Database,
) -> None:
    """Nothing of the transaction reached the server when BEGIN failed: safe to start again."""
    pg_db.ping()
    end_every_backend(pg_db.url)
    with pg_db.transaction() as tx:
        tx.execute("INSERT INTO tandem_probe VALUES (2)")
    assert pg_db.fetchall("SELECT id FROM tandem_probe ORDER BY id") == [(1,), (2,)]


def test_a_transaction_that_loses_its_connection_fails_503_and_is_not_replayed(
    pg_db: Database,
) -> None:
    with pytest.raises(StoreUnavailableError) as lost, pg_db.transaction() as tx:
        tx.execute("INSERT INTO tandem_probe VALUES (2)")
        end_every_backend(pg_db.url)
        tx.execute("INSERT INTO tandem_probe VALUES (3)")
    assert lost.value.status_code == 503
    assert str(lost.value) == "the store is not reachable; retry shortly"  # no driver words
    assert pg_db.fetchall("SELECT id FROM tandem_probe ORDER BY id") == [(1,)]  # not replayed
    with pg_db.transaction() as tx:  # the next write works on a fresh connection
        tx.execute("INSERT INTO tandem_probe VALUES (2)")
    assert pg_db.fetchall("SELECT id FROM tandem_probe ORDER BY id") == [(1,), (2,)]


def test_every_thread_recovers_its_own_connection(pg_db: Database) -> None:
    """A server's worker threads each hold a connection; each must replace its own."""
    threads = 4
    gate = threading.Barrier(threads + 1, timeout=60)
    answers: list[object] = []

    def worker() -> None:
        try:
            pg_db.scalar("SELECT 1")  # this thread's connection, held from here on
            gate.wait()  # every thread connected
            gate.wait()  # every backend ended
            answers.append(pg_db.scalar("SELECT count(*) FROM tandem_probe"))
            answers.append(pg_db.scalar("SELECT count(*) FROM tandem_probe"))
        except Exception as exc:  # collected, so the test says which thread failed how
            answers.append(exc)
            gate.abort()  # never leave the test waiting for this thread

    started = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in started:
        thread.start()
    gate.wait()
    assert end_every_backend(pg_db.url) >= threads
    gate.wait()
    for thread in started:
        thread.join(timeout=60)
    assert answers == [1] * (2 * threads)


def test_a_store_that_cannot_be_reached_is_a_503_until_it_can(
    pg_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the server is down a new connection is refused: a 503, never settings' 500."""
    pg_db.ping()
    reachable = pg_db._dsn  # noqa: SLF001
    monkeypatch.setattr(pg_db, "_dsn", "postgresql://tandem@127.0.0.1:1/tandem_test")
    end_every_backend(reachable)
    for _ in range(2):
        with pytest.raises(StoreUnavailableError):
            pg_db.ping()
    monkeypatch.setattr(pg_db, "_dsn", reachable)  # the server is back
    pg_db.ping()
    assert pg_db.scalar("SELECT count(*) FROM tandem_probe") == 1
