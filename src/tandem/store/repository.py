"""Repositories: typed reads and idempotent writes over the store tables.

Every entity keeps its full validated record as JSON (so unknown bundle fields round-trip)
plus the few columns queries filter on, and a content hash the search index uses to find
what changed since it last synced.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, NamedTuple, TypeVar

from tandem.domain import Client, Event, Freelancer, Job, Proposal, Record
from tandem.domain.fields import STORED
from tandem.errors import NotFoundError
from tandem.store.conversations import ConversationStore
from tandem.store.db import Database, Transaction, json_param, load_json, read_ts
from tandem.store.decisions import DecisionLog
from tandem.store.imports import ImportLog
from tandem.store.privacy import PrivacyStore
from tandem.store.users import UserStore

R = TypeVar("R", bound=Record)


def content_hash(data: dict[str, Any]) -> str:
    """A stable hash of a record's JSON, used to skip unchanged rows and sync indexes."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


#: Besides id, data and content_hash: the columns each table keeps for queries to filter on.
COLUMNS: dict[str, tuple[str, ...]] = {
    "freelancers": (),
    "clients": (),
    "jobs": ("status", "client_id", "created_at"),
    "proposals": ("job_id", "freelancer_id"),
    "events": ("ts", "type", "job_id", "freelancer_id"),
}
#: Columns that hold times (stored in UTC, read back with their zone).
_TIMES = frozenset({"created_at", "ts"})
#: Ids per ``IN (...)`` list: under SQLite's oldest limit of 999 bound parameters.
_CHUNK = 900


@dataclass(frozen=True)
class WriteCounts:
    """What an upsert did: rows new, changed, and already identical."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: WriteCounts) -> WriteCounts:
        return WriteCounts(
            self.inserted + other.inserted,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )


class Added(NamedTuple, Generic[R]):
    """What :meth:`Repository.add` left under an id: the new record, or the one kept."""

    record: R
    new: bool


class Repository(Generic[R]):
    """Reads and writes one kind of record: its validated JSON plus its query columns."""

    def __init__(self, db: Database, table: str, model: type[R]) -> None:
        self._db = db
        self._table = table
        self._model = model
        self._columns = COLUMNS[table]

    @property
    def table_name(self) -> str:
        """Name of the table (and of the bundle file without ``.jsonl``)."""
        return self._table

    def _row(self, record: R, data: dict[str, Any]) -> tuple[Any, ...]:
        values = [getattr(record, column) for column in self._columns]
        cells = [
            self._db.ts(v) if c in _TIMES else v for c, v in zip(self._columns, values, strict=True)
        ]
        return (record.id, json_param(data), content_hash(data), *cells)

    def upsert(self, tx: Transaction, records: Sequence[R]) -> WriteCounts:
        """Insert or update ``records`` by id inside ``tx``; unchanged records are not written."""
        if not records:
            return WriteCounts()
        rows: dict[str, tuple[Any, ...]] = {}
        for record in records:
            rows[record.id] = self._row(record, record.to_json_dict())
        existing: dict[str, str] = {}
        ids = list(rows)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            existing.update(
                tx.fetchall(
                    f"SELECT id, content_hash FROM {self._table} WHERE id IN ({_marks(chunk)})",
                    chunk,
                )
            )
        changed = [row for key, row in rows.items() if existing.get(key) != row[2]]
        tx.upsert_rows(self._table, ("id", "data", "content_hash", *self._columns), changed)
        updated = sum(1 for row in changed if row[0] in existing)
        return WriteCounts(len(changed) - updated, updated, len(rows) - len(changed))

    def save(self, record: R) -> WriteCounts:
        """Upsert one record in its own transaction."""
        with self._db.transaction() as tx:
            return self.upsert(tx, [record])

    def add(self, record: R) -> Added[R]:
        """Insert ``record`` unless its id is taken; never replaces a stored record.

        A record already stored under the id is kept and returned (``new`` false), so the
        caller compares it with ``record`` to tell a repeat from a clash. One statement
        (``ON CONFLICT DO NOTHING``) and the read back in one transaction, so two writers of
        the same id cannot both think they wrote it.
        """
        names = ("id", "data", "content_hash", *self._columns)
        row = self._row(record, record.to_json_dict())
        with self._db.transaction() as tx:
            cursor = tx.execute(
                f"INSERT INTO {self._table} ({', '.join(names)}) VALUES ({_marks(names)}) "
                "ON CONFLICT (id) DO NOTHING",
                row,
            )
            if cursor.rowcount == 1:
                return Added(record, True)
            found = tx.scalar(f"SELECT data FROM {self._table} WHERE id = ?", (record.id,))
        return Added(self._load(found), False)

    def get(self, record_id: str) -> R:
        """The record with ``record_id``; :class:`NotFoundError` if absent."""
        found = self._db.scalar(f"SELECT data FROM {self._table} WHERE id = ?", (record_id,))
        if found is None:
            raise NotFoundError(f"no {self.table_name[:-1]} with id {record_id!r}")
        return self._load(found)

    def get_many(self, ids: Iterable[str]) -> dict[str, R]:
        """Records by id; ids that are absent are simply missing from the result."""
        wanted = list(dict.fromkeys(ids))
        out: dict[str, R] = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            sql = f"SELECT id, data FROM {self._table} WHERE id IN ({_marks(chunk)})"
            for key, data in self._db.fetchall(sql, chunk):
                out[key] = self._load(data)
        return out

    def exists(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are in the store."""
        wanted = list(dict.fromkeys(ids))
        found: set[str] = set()
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            sql = f"SELECT id FROM {self._table} WHERE id IN ({_marks(chunk)})"
            found.update(row[0] for row in self._db.fetchall(sql, chunk))
        return found

    def count(self) -> int:
        """Number of records."""
        return int(self._db.scalar(f"SELECT COUNT(*) FROM {self._table}") or 0)

    def page(
        self, offset: int = 0, limit: int = 50, *, newest_first: bool = False, **where: Any
    ) -> tuple[list[R], int]:
        """One page of records matching ``where``, and how many match in all.

        Ordered by id, or ``newest_first`` by ``created_at`` (then id), for a table that
        keeps that column (a client's own jobs, newest first).
        """
        if newest_first and "created_at" not in self._columns:
            raise ValueError(f"{self._table} has no created_at to order by")
        order = "created_at DESC, id DESC" if newest_first else "id"
        clause, params = self._where(where)
        total = self._db.scalar(f"SELECT COUNT(*) FROM {self._table}{clause}", params)
        rows = self._db.fetchall(
            f"SELECT data FROM {self._table}{clause} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [self._load(r[0]) for r in rows], int(total or 0)

    def where(self, **where: Any) -> list[R]:
        """Every record whose columns equal ``where``."""
        clause, params = self._where(where)
        rows = self._db.fetchall(f"SELECT data FROM {self._table}{clause} ORDER BY id", params)
        return [self._load(r[0]) for r in rows]

    def hashes(self) -> dict[str, str]:
        """Every id with its content hash (what an index syncs against)."""
        return dict(self._db.fetchall(f"SELECT id, content_hash FROM {self._table}"))

    def iter_hashes(self, batch: int = 2000) -> Iterator[list[tuple[str, str]]]:
        """Every id with its content hash, in batches of at most ``batch`` rows, by id.

        What an index sync streams instead of :meth:`hashes`: the rows held at once are one
        batch's, whatever the table's size (keyset pages, so each page is an index seek).
        """
        for rows in self._pages("content_hash", batch):
            yield [(str(key), str(value)) for key, value in rows]

    def hashes_of(self, ids: Sequence[str]) -> dict[str, str]:
        """The content hashes of ``ids`` (those stored): one record's sync reads one row."""
        out: dict[str, str] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            out.update(
                self._db.fetchall(
                    f"SELECT id, content_hash FROM {self._table} WHERE id IN ({_marks(chunk)})",
                    chunk,
                )
            )
        return out

    def iter_all(self, batch: int = 2000) -> Iterator[R]:
        """Every record, ordered by id, streamed in batches."""
        for rows in self._pages("data", batch):
            for _, data in rows:
                yield self._load(data)

    def iter_field(self, name: str, batch: int = 2000) -> Iterator[Any]:
        """Each record's stored value of the top-level field ``name`` (absent: None), unchecked.

        For a pass that needs one field of every record: no record is validated or built,
        which at a million records is most of the cost of :meth:`iter_all`.
        """
        for rows in self._pages("data", batch):
            for _, data in rows:
                value = load_json(data)
                yield value.get(name) if isinstance(value, dict) else None

    def _pages(self, column: str, batch: int) -> Iterator[list[Any]]:
        """``(id, column)`` rows by id, ``batch`` at a time (keyset pages: each an index seek)."""
        last = ""
        while True:
            rows = self._db.fetchall(
                f"SELECT id, {column} FROM {self._table} WHERE id > ? ORDER BY id LIMIT ?",
                (last, batch),
            )
            if not rows:
                return
            yield rows
            last = rows[-1][0]

    def _load(self, raw: Any) -> R:
        """A stored record, validated as stored.

        Checks added since a row was written are skipped so it stays readable; new input
        meets every check on the way in. SQLite hands back the JSON text, which pydantic
        reads itself: half the cost of ``json.loads`` and validating the dicts it built (a
        served match at 1M reads ~290 records it never read before: 22 -> 10 ms for 300,
        bench/README.md, "Which records a served process keeps"). PostgreSQL hands back
        the parsed value.
        """
        if isinstance(raw, str | bytes):
            return self._model.model_validate_json(raw, context=STORED)
        return self._model.model_validate(raw, context=STORED)

    def _where(self, where: dict[str, Any]) -> tuple[str, list[Any]]:
        """`` WHERE a = ? AND b = ?`` over known columns (never a caller's column name)."""
        unknown = set(where) - {"id", *self._columns}
        if unknown:
            raise ValueError(f"{self._table} cannot be filtered on {sorted(unknown)}")
        if not where:
            return "", []
        clause = " AND ".join(f"{column} = ?" for column in where)
        params = [self._db.ts(v) if k in _TIMES else v for k, v in where.items()]
        return f" WHERE {clause}", params


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


class Outcome(NamedTuple):
    """A hire or a review: what a freelancer's track record is made of."""

    freelancer_id: str | None
    type: str
    ts: datetime
    rating: float | None


class Reached(NamedTuple):
    """An event between a job and a freelancer: an outcome their pair reached, and when."""

    job_id: str
    freelancer_id: str
    type: str
    ts: datetime


class Applied(NamedTuple):
    """A proposal as the audit counts it: who applied to which job, and when."""

    job_id: str
    freelancer_id: str
    created_at: datetime


class Store:
    """All repositories over one database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.freelancers = Repository(db, "freelancers", Freelancer)
        self.clients = Repository(db, "clients", Client)
        self.jobs = Repository(db, "jobs", Job)
        self.proposals = Repository(db, "proposals", Proposal)
        self.events = Repository(db, "events", Event)
        self.decisions = DecisionLog(db)
        self.conversations = ConversationStore(db)
        self.users = UserStore(db)
        self.privacy = PrivacyStore(db)
        self.imports = ImportLog(db)

    def ping(self) -> None:
        """Raise :class:`~tandem.errors.StoreBusyError` unless the database answers a query."""
        self.db.ping()

    def outcomes(self) -> Iterator[Outcome]:
        """Every hire and review, read from the stored JSON without building models.

        Validated on the way in; reading them back as full models cost ten times as much
        (0.13 s against 0.015 s for 1,347 events), on every command that ranks.
        """
        rows = self.db.fetchall("SELECT data FROM events WHERE type IN (?, ?)", ("hire", "review"))
        for (raw,) in rows:
            data = load_json(raw)
            ts = datetime.fromisoformat(data["ts"])
            yield Outcome(data.get("freelancer_id"), data["type"], ts, data.get("rating"))

    def reached(self) -> Iterator[Reached]:
        """Every event tied to both a job and a freelancer, read from the table's columns.

        The audit report reads all of them on every view; building the full models cost
        about 20 times as much (1.9 s for 25,000 events on the demo market).
        """
        rows = self.db.fetchall("SELECT job_id, freelancer_id, type, ts FROM events")
        for job_id, freelancer_id, kind, ts in rows:
            if job_id and freelancer_id:
                yield Reached(job_id, freelancer_id, kind, read_ts(ts))

    def applied(self) -> Iterator[Applied]:
        """Every proposal's job, freelancer and time, without building the models.

        Validated on the way in; the audit report reads all of them when it counts from the
        start (22,575 on the demo market: 1.4 s as models, 0.17 s parsing each record's JSON
        for its time; the database's JSON operator reads the one field).
        """
        field = (
            "data->>'created_at'"
            if self.db.dialect == "postgresql"
            else "json_extract(data, '$.created_at')"
        )
        for job_id, freelancer_id, created in self.db.fetchall(
            f"SELECT job_id, freelancer_id, {field} FROM proposals"
        ):
            yield Applied(job_id, freelancer_id, read_ts(created))

    def engaged_jobs(self, freelancer_id: str, types: Iterable[str]) -> set[str]:
        """Jobs ``freelancer_id`` has a proposal on, or an event of one of ``types`` about.

        One query of the tables' columns: every recommendation asks it, and a freelancer's
        events are mostly impressions (five queries parsing the matched rows as models read
        all of them through the freelancer_id index once per type).
        """
        kinds = sorted(types)
        rows = self.db.fetchall(
            "SELECT job_id FROM proposals WHERE freelancer_id = ? UNION "
            "SELECT job_id FROM events WHERE freelancer_id = ? AND job_id IS NOT NULL "
            f"AND type IN ({_marks(kinds)})",
            (freelancer_id, freelancer_id, *kinds),
        )
        return {str(job_id) for (job_id,) in rows}

    def hired(self, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """The ``(job_id, freelancer_id)`` of ``pairs`` that a stored hire event joins.

        One query of columns per 900 freelancers, not one per pair: an import checks every
        review of a batch against the stored hires (:mod:`tandem.bundle.importer`).
        """
        wanted = set(pairs)
        people = sorted({person for _, person in wanted})
        found: set[tuple[str, str]] = set()
        for start in range(0, len(people), _CHUNK):
            chunk = people[start : start + _CHUNK]
            rows = self.db.fetchall(
                "SELECT DISTINCT job_id, freelancer_id FROM events WHERE type = 'hire' "
                f"AND freelancer_id IN ({_marks(chunk)})",
                chunk,
            )
            found.update((str(job), str(person)) for job, person in rows if job is not None)
        return found & wanted

    def transaction(self) -> AbstractContextManager[Transaction]:
        """One write transaction over every repository (``repo.upsert(tx, ...)`` inside it)."""
        return self.db.transaction()

    def close(self) -> None:
        """Close the database connections (a later call reconnects)."""
        self.db.close()
