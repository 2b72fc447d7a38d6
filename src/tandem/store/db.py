"""Opening the store: connections through the database's own driver, and migrations run once.

Every command opens the store, and most only read a few rows and append one decision. The
store therefore speaks to SQLite through the standard library's ``sqlite3`` and to
PostgreSQL through ``psycopg``, both DB-API drivers, instead of through SQLAlchemy: importing
SQLAlchemy costs ~0.4 s, more than the rest of a light command's work. SQLAlchemy and Alembic
stay for what they are made for, the schema migrations, and are imported only when a store
is behind the newest migration. SQL is written once in SQLite's ``?`` style; the two dialects
share every statement this package runs (``ON CONFLICT ... DO UPDATE`` included).

Values cross the boundary in one place (:func:`json_param`, :func:`load_json`,
:meth:`Database.ts`, :func:`read_ts`): JSON as text, times as UTC. SQLite keeps times as
``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC (the format earlier stores already hold, so old and new
rows sort together), and every time read back carries its zone.

A PostgreSQL connection can be lost under a running process (the server restarted, an
administrator ended the backend, the network reset it). psycopg then marks it ``closed``;
:class:`Database` notices that state, not the error's wording, drops the connection and opens a
fresh one on the thread's next statement. A read-only query that met the lost connection is run
once more on the fresh one, and so is a transaction whose ``BEGIN`` met it (nothing was sent);
a statement inside a transaction is never replayed (its write may have committed), it fails
with :class:`~tandem.errors.StoreUnavailableError` (a 503: retry).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tandem.errors import (
    ConfigurationError,
    ConflictError,
    StoreBusyError,
    StoreError,
    StoreUnavailableError,
)

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger("tandem.store")
T = TypeVar("T")
#: What a request that met a lost store is told (the driver's words go to the log, as the cause).
UNREACHABLE = "the store is not reachable; retry shortly"
#: Every table the migrations create, children first (what a test that empties a database drops).
TABLES = (
    "imports",
    "erased_ids",
    "erased_ids_key",
    "erasures",
    "model_data",
    "log_chain",
    "log_keys",
    "messages",
    "conversations",
    "web_sessions",
    "api_tokens",
    "users",
    "decisions",
    "events",
    "proposals",
    "jobs",
    "clients",
    "freelancers",
)

_REVISION = re.compile(r"^(down_revision|revision)\s*=\s*(None|\"[^\"]*\")", re.MULTILINE)
_SQLITE_PREFIX = "sqlite:///"
_POSTGRES_PREFIXES = ("postgresql+psycopg://", "postgresql://", "postgres://")
#: A SQLite time as SQLAlchemy wrote it (earlier stores) and as this module writes it.
_SQLITE_TS = "%Y-%m-%d %H:%M:%S.%f"
#: The advisory lock key PostgreSQL migrations take ("tandem" in ASCII).
_PG_MIGRATION_LOCK = 0x74616E64656D


def json_param(value: Any) -> str:
    """``value`` as JSON text for a JSON column; NaN and infinities are refused (not JSON)."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except ValueError as exc:
        raise ConflictError(f"cannot store a value that is not finite JSON: {exc}") from exc


def load_json(value: Any) -> Any:
    """A JSON column's value: SQLite hands back text, psycopg the parsed value."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def read_ts(value: Any) -> datetime:
    """A stored time as an aware UTC datetime, whichever driver returned it."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _lost(connection: Any) -> bool:
    """Whether a driver connection can no longer be used (psycopg's ``closed``; SQLite: never).

    psycopg closes a connection itself when the server ends it or the socket breaks, so its
    own flag says "lost" without reading any message; a ``sqlite3`` connection has no server.
    """
    return bool(getattr(connection, "closed", False))


class Runner:
    """Statements on one DB-API connection, with the placeholder style of its dialect."""

    def __init__(self, connection: Any, dialect: str) -> None:
        self._connection = connection
        self._dialect = dialect

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement; returns the driver's cursor."""
        with _mapped_errors(self._connection):
            return self._connection.execute(self._sql(sql), tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for each parameter row."""
        if not rows:
            return
        with _mapped_errors(self._connection):
            cursor = self._connection.cursor()
            try:
                cursor.executemany(self._sql(sql), [tuple(r) for r in rows])
            finally:
                cursor.close()

    def upsert_rows(self, table: str, names: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert ``rows`` (values of ``names``, ``id`` first) into ``table``, replacing by id.

        SQLite: one ``INSERT ... ON CONFLICT`` run for each row (``executemany``). PostgreSQL:
        the rows stream into a temporary table with ``COPY`` (psycopg's ``cursor.copy``: one
        stream, not a statement per row), then one ``INSERT ... SELECT ... ON CONFLICT``
        moves them, so a bulk write keeps the upsert's meaning at COPY's cost.
        """
        if not rows:
            return
        columns = ", ".join(names)
        updates = ", ".join(f"{n} = excluded.{n}" for n in names[1:])
        conflict = f"ON CONFLICT (id) DO UPDATE SET {updates}"
        if self._dialect != "postgresql":
            marks = ", ".join("?" * len(names))
            self.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks}) {conflict}", rows)
            return
        stage = f"tandem_stage_{table}"  # per session; emptied before each use
        with _mapped_errors(self._connection):
            cursor = self._connection.cursor()
            try:
                cursor.execute(
                    f"CREATE TEMP TABLE IF NOT EXISTS {stage} AS "
                    f"SELECT {columns} FROM {table} WITH NO DATA"
                )
                cursor.execute(f"TRUNCATE {stage}")
                with cursor.copy(f"COPY {stage} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {stage} {conflict}"
                )
            finally:
                cursor.close()

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Every row of a query."""
        with _mapped_errors(self._connection):
            return [tuple(row) for row in self.execute(sql, params).fetchall()]

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        """The first row of a query, if any."""
        with _mapped_errors(self._connection):
            row = self.execute(sql, params).fetchone()
        return tuple(row) if row is not None else None

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row, or None."""
        row = self.fetchone(sql, params)
        return row[0] if row is not None else None

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self._dialect == "postgresql" else sql


class Transaction(Runner):
    """Statements inside one transaction (committed when its ``with`` block ends cleanly)."""


@contextmanager
def _mapped_errors(connection: Any = None) -> Iterator[None]:
    """Driver exceptions as the project's errors: a duplicate is a conflict, a lock is a 503.

    A psycopg error that left ``connection`` closed is a lost store
    (:class:`StoreUnavailableError`), whatever the server said: an administrator's shutdown,
    a restart, a reset socket.
    """
    try:
        yield
    except sqlite3.IntegrityError as exc:
        raise ConflictError(f"the store refused a duplicate or invalid row: {exc}") from exc
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreBusyError(f"the store is busy; try again: {exc}") from exc
        raise StoreError(f"the store refused a statement: {exc}") from exc
    except sqlite3.Error as exc:
        raise StoreError(f"the store refused a statement: {exc}") from exc
    except Exception as exc:
        psycopg = sys.modules.get("psycopg")  # loaded only by a PostgreSQL store
        if psycopg is None or not isinstance(exc, psycopg.Error):
            raise
        if connection is not None and _lost(connection):
            raise StoreUnavailableError(UNREACHABLE) from exc
        if isinstance(exc, psycopg.IntegrityError):
            raise ConflictError(f"the store refused a duplicate or invalid row: {exc}") from exc
        if isinstance(exc, psycopg.OperationalError):
            raise StoreBusyError(f"the store is unavailable; try again: {exc}") from exc
        raise StoreError(f"the store refused a statement: {exc}") from exc


#: Page cache of each SQLite connection, in KiB (SQLite's default is 2,000). A match reads 300
#: records by id: at a million profiles (a 1.2 GB file) the default cache could not hold the
#: id index's and the table's inner pages, so each of the 300 lookups read them again from the
#: OS (a read of 300 random records: p50 14.1 ms with 2 MB, 6.7 ms with 8-32 MB, on one 1M
#: store; 8 MB did as well as 32). The cache fills only as pages are read; a connection is
#: one per thread (a server's 40 worker threads: at most 320 MB), closed when its thread ends.
SQLITE_CACHE_KIB = 8_192


def _use_wal(connection: sqlite3.Connection, patience: float = 30.0) -> None:
    """Put the database in WAL mode, waiting out other processes doing the same.

    Switching a new database's journal mode takes an exclusive lock, and SQLite answers
    "database is locked" at once, without its busy handler, to a process that asks while
    another is switching (several ``tandem serve`` workers starting together did).
    """
    deadline = time.monotonic() + patience
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class Database:
    """One store database: per-thread connections, transactions, and the dialect's quirks."""

    def __init__(self, url: str) -> None:
        self.url = url
        if url.startswith(_SQLITE_PREFIX):
            self.dialect = "sqlite"
            self.path: Path | None = Path(url.removeprefix(_SQLITE_PREFIX))
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not self.path.exists():  # a new database is its owner's alone (WAL files follow)
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            self._dsn = str(self.path)
        elif url.startswith(_POSTGRES_PREFIXES):
            self.dialect = "postgresql"
            self.path = None
            self._dsn = "postgresql://" + url.split("://", 1)[1]
        else:
            raise ConfigurationError(
                f"unsupported database URL {url!r}: use sqlite:///PATH or postgresql://..."
            )
        self._local = threading.local()
        self._lock = threading.Lock()
        #: Every connection opened, with its thread and process: a thread's connection is
        #: closed when the store is, or once the thread has ended (see :meth:`_connection`).
        self._open: list[tuple[threading.Thread, int, Any]] = []
        self._generation = 0
        #: Whether a connection was ever opened: a refusal after that is an outage (503), not
        #: settings that cannot work.
        self._reached = False

    # -- connections ----------------------------------------------------------------------

    def _connect(self) -> Any:
        try:
            if self.dialect == "sqlite":
                connection = sqlite3.connect(
                    self._dsn, isolation_level=None, check_same_thread=False, timeout=30
                )
                connection.execute("PRAGMA busy_timeout=30000")
                # Every write zeroes what it frees, not only an erasure's or a purge's: the old
                # copy of a row a page split moved or an update replaced would otherwise stay in
                # the page's free space, readable until a full VACUUM (Debian builds have it on
                # by default; others do not).
                connection.execute("PRAGMA secure_delete=ON")
                _use_wal(connection)
                connection.execute("PRAGMA synchronous=NORMAL")
                connection.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
                return connection
            import psycopg

            server = psycopg.connect(self._dsn, autocommit=True)
            self._reached = True
            return server
        except Exception as exc:  # sqlite3.Error, psycopg.Error: both mean "cannot open"
            if self._reached and self.dialect == "postgresql":
                raise StoreUnavailableError(UNREACHABLE) from exc
            raise ConfigurationError(f"cannot open the store at {self.url!r}: {exc}") from exc

    def _connection(self) -> Any:
        """The calling thread's connection (a fresh one after a fork, :meth:`close`, or a loss).

        A lost connection (see :func:`_lost`) is dropped and replaced, except inside a
        transaction: its statements keep failing on the lost one until the transaction ends,
        rather than the rest of the transaction running without it on a new connection.
        """
        held = getattr(self._local, "held", None)
        if held is not None and held[0] == (os.getpid(), self._generation):
            if not _lost(held[1]) or self._in_transaction():
                return held[1]
            self._discard(held[1])
        connection = self._connect()
        pid = os.getpid()
        # A server's worker threads come and go: a connection whose thread has ended is never
        # used again, yet it kept its files and cached pages until the store closed. Only this
        # process's (a fork's inherited ones are its parent's to close).
        with self._lock:
            ended = [c for t, p, c in self._open if p == pid and not t.is_alive()]
            self._open = [e for e in self._open if e[1] != pid or e[0].is_alive()]
            self._open.append((threading.current_thread(), pid, connection))
        for old in ended:
            with suppress(Exception):  # closing a broken connection is best effort
                old.close()
        self._local.held = ((pid, self._generation), connection)
        self._local.depth = 0
        return connection

    def _in_transaction(self) -> bool:
        """Whether the calling thread is inside :meth:`transaction`."""
        return bool(getattr(self._local, "depth", 0))

    def _discard(self, connection: Any) -> None:
        """Forget a lost connection, so the thread's next statement opens a fresh one."""
        log.warning("store connection lost (%s); opening a fresh one", self.dialect)
        with self._lock:
            self._open = [e for e in self._open if e[2] is not connection]
        self._local.held = None
        with suppress(Exception):  # closing a broken connection is best effort
            connection.close()

    def close(self) -> None:
        """Close every connection this object opened (threads reconnect on next use)."""
        with self._lock:
            opened, self._open = self._open, []
            self._generation += 1
        for _, _, connection in opened:
            with suppress(Exception):  # closing a broken connection is best effort
                connection.close()

    # -- statements -----------------------------------------------------------------------

    def reader(self) -> Runner:
        """Statements outside any explicit transaction (each one sees committed data)."""
        return Runner(self._connection(), self.dialect)

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Every row of a read-only query."""
        return self._read(lambda runner: runner.fetchall(sql, params))

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        """The first row of a read-only query."""
        return self._read(lambda runner: runner.fetchone(sql, params))

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row of a read-only query."""
        return self._read(lambda runner: runner.scalar(sql, params))

    def ping(self) -> None:
        """Ask the database a trivial query; raises a :class:`StoreBusyError` if it cannot answer.

        What a load balancer's health check is told: a lost connection is replaced (as for
        any read), so a store that is back answers, and one that is down says so.
        """
        self.scalar("SELECT 1")

    def _read(self, read: Callable[[Runner], T]) -> T:
        """Run a read-only query, once more on a fresh connection if it met a lost one.

        Only the three read-only helpers come here, and only outside a transaction: a read
        has no effect to repeat, so the request that found the store restarted still gets
        its answer. A connection that could not be opened is not retried (the store is down).
        """
        connection = self._connection()
        try:
            return read(Runner(connection, self.dialect))
        except StoreUnavailableError:
            if self._in_transaction() or not _lost(connection):
                raise
        return read(Runner(self._connection(), self.dialect))

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One write transaction; a nested call joins the outer one.

        SQLite takes the write lock at ``BEGIN IMMEDIATE`` so two writers queue on the busy
        timeout instead of one failing when it upgrades a read lock. PostgreSQL: see
        :meth:`_begin` for a connection found lost at ``BEGIN``.
        """
        connection = self._connection()
        depth = getattr(self._local, "depth", 0)
        if depth:
            self._local.depth = depth + 1
            try:
                yield Transaction(connection, self.dialect)
            finally:
                self._local.depth = depth
            return
        began = ExitStack()
        if self.dialect == "postgresql":
            connection = self._begin(connection, began)
        self._local.depth = 1
        try:
            if self.dialect == "sqlite":
                with _mapped_errors():
                    connection.execute("BEGIN IMMEDIATE")
                try:
                    yield Transaction(connection, self.dialect)
                    with _mapped_errors():
                        connection.execute("COMMIT")
                except BaseException:
                    if connection.in_transaction:
                        connection.execute("ROLLBACK")
                    raise
            else:
                with _mapped_errors(connection), began:
                    yield Transaction(connection, self.dialect)
        finally:
            self._local.depth = 0

    def _begin(self, connection: Any, began: ExitStack) -> Any:
        """Start a PostgreSQL transaction on ``connection`` (entered into ``began``).

        If ``BEGIN`` finds the connection lost (the server restarted since its last use),
        nothing of the transaction has reached the server, so it starts again on a fresh
        connection, which is returned: the first write after a restart succeeds, not only
        reads. A connection lost after ``BEGIN`` fails the transaction (never replayed).
        """
        try:
            with _mapped_errors(connection):
                began.enter_context(connection.transaction())
            return connection
        except StoreUnavailableError:
            if not _lost(connection):
                raise
        fresh = self._connection()
        with _mapped_errors(fresh):
            began.enter_context(fresh.transaction())
        return fresh

    # -- values ---------------------------------------------------------------------------

    def ts(self, moment: datetime) -> Any:
        """``moment`` as this dialect stores it (UTC; naive means UTC)."""
        utc = _utc(moment)
        return utc.strftime(_SQLITE_TS) if self.dialect == "sqlite" else utc


def open_database(url: str) -> Database:
    """The store database at ``url`` (``sqlite:///PATH`` or ``postgresql://...``)."""
    return Database(url)


# -- migrations ---------------------------------------------------------------------------


def alembic_config() -> Config:
    """Alembic configuration pointing at the migrations shipped in this package."""
    from alembic.config import Config

    config = Config()
    location = resources.files("tandem.store") / "migrations"
    config.set_main_option("script_location", str(location))
    return config


def head_revisions() -> set[str]:
    """The newest migration(s), read from the shipped files (no Alembic import: it costs ~0.3 s)."""
    revisions, parents = _shipped_revisions()
    return revisions - parents


def _shipped_revisions() -> tuple[set[str], set[str]]:
    """Every migration this release ships, and those a later one follows."""
    revisions: set[str] = set()
    parents: set[str] = set()
    folder = resources.files("tandem.store") / "migrations" / "versions"
    for entry in folder.iterdir():
        if not entry.name.endswith(".py"):
            continue
        text_ = entry.read_text(encoding="utf-8")
        found: dict[str, str] = {m.group(1): m.group(2) for m in _REVISION.finditer(text_)}
        if "revision" in found:
            revisions.add(found["revision"].strip('"'))
            if found.get("down_revision", "None") != "None":
                parents.add(found["down_revision"].strip('"'))
    return revisions, parents


def _refuse_a_newer_schema(db: Database, applied: set[str]) -> None:
    """A store migrated by a newer release: this one would not know its tables; say so."""
    unknown = applied - _shipped_revisions()[0]
    if unknown:
        raise ConfigurationError(
            f"the store at {db.url!r} is at schema {', '.join(sorted(unknown))}, newer than "
            f"this Tandem knows ({', '.join(sorted(head_revisions()))}): run the newer release"
        )


def applied_revisions(db: Database) -> set[str]:
    """The revisions the store is at; empty for a new store."""
    try:
        return {str(row[0]) for row in db.fetchall("SELECT version_num FROM alembic_version")}
    except StoreUnavailableError:
        raise  # an outage, not a new store
    except (StoreError, StoreBusyError):
        return set()  # no alembic_version table yet: a new store


def _sqlalchemy_url(db: Database) -> str:
    if db.dialect == "postgresql":
        return "postgresql+psycopg://" + db.url.split("://", 1)[1]
    return db.url


@contextmanager
def _migration_lock(db: Database) -> Iterator[None]:
    """Hold the store's migration lock: one process migrates, the others wait, then re-check.

    PostgreSQL: a session advisory lock. SQLite: an exclusive ``flock`` on a file beside the
    database (SQLite's own locks cannot be held across Alembic's separate connection).
    """
    if db.dialect == "postgresql":
        import psycopg

        with psycopg.connect(db._dsn, autocommit=True) as connection:  # noqa: SLF001
            connection.execute("SELECT pg_advisory_lock(%s)", (_PG_MIGRATION_LOCK,))
            try:
                yield
            finally:
                connection.execute("SELECT pg_advisory_unlock(%s)", (_PG_MIGRATION_LOCK,))
        return
    import fcntl

    assert db.path is not None
    with open(db.path.with_name(db.path.name + ".migrate-lock"), "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def require_current(db: Database) -> None:
    """Refuse a store whose schema is not this release's newest (``TANDEM_AUTO_MIGRATE=0``).

    An operator who runs the migrations as a deploy step wants serving processes that never
    touch the schema, and that say so plainly instead of failing on a missing column.
    """
    applied, heads = applied_revisions(db), head_revisions()
    _refuse_a_newer_schema(db, applied)
    if applied != heads:
        at = ", ".join(sorted(applied)) or "empty"
        raise ConfigurationError(
            f"the store's schema is at {at}, this Tandem needs {', '.join(sorted(heads))}: "
            "run 'tandem db upgrade' (TANDEM_AUTO_MIGRATE is off, so nothing else migrates it)"
        )


def migrate(db: Database) -> bool:
    """Bring the schema to the newest migration, once, however many processes start at once.

    A store already at the newest revision is checked with one query; Alembic (and
    SQLAlchemy under it) is imported only when there is something to do. The upgrade runs
    under :func:`_migration_lock`, and whoever waited re-checks before doing anything, so
    workers starting together never race to create the same tables. Returns whether this
    call upgraded the schema.
    """
    heads = head_revisions()
    applied = applied_revisions(db)
    if applied == heads:
        return False
    _refuse_a_newer_schema(db, applied)
    with _migration_lock(db):
        if applied_revisions(db) == heads:
            return False
        from alembic import command
        from sqlalchemy import create_engine
        from sqlalchemy.exc import OperationalError

        engine = create_engine(_sqlalchemy_url(db))
        config = alembic_config()
        try:
            with engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except OperationalError as exc:
            raise ConfigurationError(f"cannot open the store at {db.url!r}: {exc.orig}") from exc
        finally:
            engine.dispose()
    return True
