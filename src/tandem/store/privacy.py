"""What the store keeps for privacy: rows of one person, erasing them, and which models used them.

An erasure deletes rows in one transaction and then *scrubs* the database, because a
deleted row is not gone from the files: SQLite leaves it in free pages and in the
write-ahead log until they are overwritten, PostgreSQL in dead tuples until a vacuum. With
``PRAGMA secure_delete`` SQLite zeroes what it frees; the WAL is then checkpointed and
truncated, and ``VACUUM`` rewrites the file so no free page is left either.

People are named here as the decision log names them (``freelancer:ID``, ``job:ID``,
``actor:USER``), plus ``client:ID`` for a client in :data:`model_data`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from tandem.errors import NotFoundError, StoreBusyError
from tandem.store import ledger
from tandem.store.db import Database, Runner, json_param, load_json, read_ts
from tandem.store.redacting import Erased, Redactor

PersonKind = Literal["freelancer", "client"]
_CHUNK = 900


@dataclass(frozen=True)
class Subject:
    """A person to export or erase: their record, what hangs off it, and what names them."""

    kind: PersonKind
    id: str
    #: A client's jobs (a freelancer has none).
    job_ids: tuple[str, ...]
    #: Users bound to the person (``users.freelancer_id`` / ``users.client_id``).
    user_ids: tuple[str, ...]
    #: Strings that identify the person: id, name, email, phone (what a trace search greps).
    needles: tuple[str, ...]
    #: The person's name as stored ("" when none).
    name: str = ""

    @property
    def log_keys(self) -> set[str]:
        """The decision-log key names that pseudonymise this person's ids."""
        names = {f"actor:{u}" for u in self.user_ids}
        if self.kind == "freelancer":
            names.add(f"freelancer:{self.id}")
        names.update(f"job:{j}" for j in self.job_ids)
        return names

    @property
    def log_needles(self) -> tuple[str, ...]:
        """What a logged search's words are matched against: id, name, contact, job ids."""
        return (*self.needles, *self.job_ids)

    @property
    def name_parts(self) -> set[str]:
        """A freelancer's given and family names, each of which a search may hold alone.

        A logged search "Hannah full-stack Django" names Hannah O'Brien as surely as her full
        name does. A client's name is a business's more often than a person's ("Acme Two"):
        its parts are common words, and only the full name is matched.
        """
        return ledger.name_parts(self.name) if self.kind == "freelancer" else set()

    @property
    def model_names(self) -> set[str]:
        """How :data:`model_data` names the person (and, for a client, its jobs)."""
        return {f"{self.kind}:{self.id}", *(f"job:{j}" for j in self.job_ids)}


@dataclass
class Erasure:
    """What one erasure removed (counts only: it names no one)."""

    id: str
    ts: datetime
    kind: PersonKind
    removed: dict[str, int] = field(default_factory=dict)
    models: list[str] = field(default_factory=list)


def _digest(key: bytes, name: str) -> str:
    return hmac.new(key, name.encode("utf-8"), hashlib.sha256).hexdigest()


def _marks(values: Iterable[Any]) -> str:
    return ", ".join("?" for _ in values)


def _like(needle: str) -> str:
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _redact_state(tx: Runner, redactor: Redactor, session_id: str) -> bool:
    """Store a session's state without the erased person; whether it changed."""
    row = tx.execute("SELECT state FROM conversations WHERE id = ?", (session_id,)).fetchone()
    if row is None:
        return False
    state = load_json(row[0])
    clean = redactor.value(state)
    if clean == state:
        return False
    tx.execute("UPDATE conversations SET state = ? WHERE id = ?", (json_param(clean), session_id))
    return True


def _redact_messages(tx: Runner, redactor: Redactor, session_id: str) -> bool:
    """Store a session's messages without the erased person; whether any changed."""
    rows = tx.execute(
        "SELECT seq, text, payload FROM messages WHERE session_id = ?", (session_id,)
    ).fetchall()
    changed = [
        (redactor.text(text), json_param(redactor.value(load_json(payload))), session_id, seq)
        for seq, text, payload in rows
        if redactor.text(text) != text or redactor.value(load_json(payload)) != load_json(payload)
    ]
    tx.executemany(
        "UPDATE messages SET text = ?, payload = ? WHERE session_id = ? AND seq = ?", changed
    )
    return bool(changed)


class PrivacyStore:
    """Finds a person's rows, deletes them physically, and keeps the model-data links."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # who --------------------------------------------------------------------------------
    def subject(self, kind: PersonKind, person_id: str) -> Subject:
        """The person ``kind``/``person_id``; :class:`NotFoundError` if no such record."""
        table = "freelancers" if kind == "freelancer" else "clients"
        raw = self._db.scalar(f"SELECT data FROM {table} WHERE id = ?", (person_id,))
        if raw is None:
            raise NotFoundError(f"no {kind} with id {person_id!r}")
        data = load_json(raw)
        jobs: tuple[str, ...] = ()
        if kind == "client":
            rows = self._db.fetchall("SELECT id FROM jobs WHERE client_id = ?", (person_id,))
            jobs = tuple(sorted(r[0] for r in rows))
        column = "freelancer_id" if kind == "freelancer" else "client_id"
        users = self._db.fetchall(f"SELECT id FROM users WHERE {column} = ?", (person_id,))
        needles = [person_id, data.get("name"), data.get("email"), data.get("phone")]
        return Subject(
            kind,
            person_id,
            jobs,
            tuple(sorted(r[0] for r in users)),
            tuple(n for n in needles if isinstance(n, str) and len(n) >= 3),
            str(data.get("name") or ""),
        )

    def conversations_of(self, subject: Subject) -> list[str]:
        """Companion sessions a person's users opened, or whose state or messages name them."""
        own, others = self.split_conversations(subject)
        return sorted({*own, *others})

    def split_conversations(self, subject: Subject) -> tuple[list[str], list[str]]:
        """The person's own sessions, and the sessions of others that name them.

        Their own go with them at an erasure. Another person's session (a client comparing
        candidates, confirming a hire) is that person's record: it stays, with the erased
        person redacted out of it (:mod:`tandem.store.redacting`). A needle is matched case
        aside, as the redaction matches it.
        """
        own: set[str] = set()
        if subject.user_ids:
            sql = f"SELECT id FROM conversations WHERE actor IN ({_marks(subject.user_ids)})"
            own.update(r[0] for r in self._db.fetchall(sql, subject.user_ids))
        found: set[str] = set()
        for needle in [*subject.needles, *subject.job_ids]:
            pattern = _like(needle.lower())
            found.update(
                r[0]
                for r in self._db.fetchall(
                    "SELECT id FROM conversations "
                    "WHERE LOWER(CAST(state AS TEXT)) LIKE ? ESCAPE '\\'",
                    (pattern,),
                )
            )
            found.update(
                r[0]
                for r in self._db.fetchall(
                    "SELECT DISTINCT session_id FROM messages WHERE LOWER(text) LIKE ? "
                    "ESCAPE '\\' OR LOWER(CAST(payload AS TEXT)) LIKE ? ESCAPE '\\'",
                    (pattern, pattern),
                )
            )
        return sorted(own), sorted(found - own)

    # erasing ----------------------------------------------------------------------------
    def events_of(self, subject: Subject, types: Iterable[str]) -> int:
        """How many of the person's events are of ``types`` (what their erasure removes)."""
        kinds = sorted(types)
        if subject.kind == "freelancer":
            return int(
                self._db.scalar(
                    "SELECT COUNT(*) FROM events WHERE freelancer_id = ? "
                    f"AND type IN ({_marks(kinds)})",
                    [subject.id, *kinds],
                )
                or 0
            )
        jobs, total = list(subject.job_ids), 0
        for start in range(0, len(jobs), _CHUNK):
            chunk = jobs[start : start + _CHUNK]
            total += int(
                self._db.scalar(
                    f"SELECT COUNT(*) FROM events WHERE job_id IN ({_marks(chunk)}) "
                    f"AND type IN ({_marks(kinds)})",
                    [*chunk, *kinds],
                )
                or 0
            )
        return total

    def delete_rows(
        self, subject: Subject, sessions: Sequence[str], redact: Sequence[str] = ()
    ) -> dict[str, int]:
        """Delete every row of the person in one transaction (secure-deleted on SQLite).

        ``sessions`` (their own) are deleted; ``redact`` (others' sessions naming them) are
        rewritten without them (:meth:`_redact_sessions`), their old text zeroed like a
        deleted row's. The same transaction puts the person on the list later imports skip
        (:meth:`suppress`).
        """
        counts: dict[str, int] = {}
        jobs, users = list(subject.job_ids), list(subject.user_ids)
        self.zero_freed()
        with self._db.transaction() as tx:

            def gone(name: str, sql: str, params: list[Any]) -> None:
                if "IN ()" in sql:
                    return
                counts[name] = counts.get(name, 0) + int(tx.execute(sql, params).rowcount or 0)

            if subject.kind == "freelancer":
                gone("proposals", "DELETE FROM proposals WHERE freelancer_id = ?", [subject.id])
                gone("events", "DELETE FROM events WHERE freelancer_id = ?", [subject.id])
                gone("freelancers", "DELETE FROM freelancers WHERE id = ?", [subject.id])
            else:
                for start in range(0, len(jobs), _CHUNK):
                    chunk = jobs[start : start + _CHUNK]
                    gone("proposals", f"DELETE FROM proposals WHERE job_id IN ({_marks(chunk)})",
                         chunk)  # fmt: skip
                    gone("events", f"DELETE FROM events WHERE job_id IN ({_marks(chunk)})", chunk)
                    gone("jobs", f"DELETE FROM jobs WHERE id IN ({_marks(chunk)})", chunk)
                gone("clients", "DELETE FROM clients WHERE id = ?", [subject.id])
            for start in range(0, len(sessions), _CHUNK):
                chunk = list(sessions[start : start + _CHUNK])
                marks = _marks(chunk)
                gone("messages", f"DELETE FROM messages WHERE session_id IN ({marks})", chunk)
                gone("conversations", f"DELETE FROM conversations WHERE id IN ({marks})", chunk)
            if redact:
                counts["conversations_redacted"] = self._redact_sessions(tx, subject, redact)
            names = sorted(subject.model_names)
            gone("model_data", f"DELETE FROM model_data WHERE person IN ({_marks(names)})", names)
            marks = _marks(users)
            gone("api_tokens", f"DELETE FROM api_tokens WHERE user_id IN ({marks})", users)
            gone("web_sessions", f"DELETE FROM web_sessions WHERE user_id IN ({marks})", users)
            gone("users", f"DELETE FROM users WHERE id IN ({marks})", users)
            self._suppress(tx, [f"{subject.kind}:{subject.id}"])
        return counts

    def _redact_sessions(self, tx: Runner, subject: Subject, sessions: Sequence[str]) -> int:
        """Rewrite others' ``sessions`` without the person; how many changed."""
        redactor = Redactor(
            Erased(
                frozenset({subject.id, *subject.user_ids}),
                frozenset(subject.job_ids),
                (*subject.needles, *subject.user_ids),
            )
        )
        changed = 0
        for session_id in sessions:
            state = _redact_state(tx, redactor, session_id)
            messages = _redact_messages(tx, redactor, session_id)
            changed += state or messages
        return changed

    def zero_freed(self) -> None:
        """From now on, what this thread deletes is overwritten, not just unlinked.

        SQLite (``PRAGMA secure_delete`` on this thread's connection): a deleted row's bytes
        are zeroed in its page and a page freed is zeroed, so no free page keeps it. Their
        old images stay in the write-ahead log until :meth:`scrub` checkpoints and truncates
        it. PostgreSQL: nothing here (dead tuples go at the vacuum :meth:`scrub` runs).
        """
        if self._db.dialect == "sqlite":
            self._db.reader().execute("PRAGMA secure_delete = ON")

    def scrub(self, tables: Iterable[str] = (), *, rewrite: bool = True) -> None:
        """Make deleted rows physically gone from the database's files.

        SQLite: checkpoint the WAL into the file and truncate it, rewrite the file
        (``VACUUM``: no free page keeps an old row, and the file shrinks), truncate the WAL
        again. Without ``rewrite`` only the checkpoints run: enough when the rows were deleted
        under :meth:`zero_freed` (their pages hold zeros), and O(WAL) instead of O(file); the
        free pages stay in the file and later writes reuse them. PostgreSQL: ``VACUUM`` the
        touched tables so dead tuples are reclaimed (its WAL archive and backups are the
        operator's to rotate: see docs/decision-log.md).
        """
        reader = self._db.reader()
        if self._db.dialect == "postgresql":
            for table in tables:
                reader.execute(f"VACUUM {table}")
            return
        self.zero_freed()
        self._checkpoint()
        if rewrite:
            reader.execute("VACUUM")
            self._checkpoint()

    def _checkpoint(self, attempts: int = 20) -> None:
        for _ in range(attempts):
            row = self._db.reader().fetchone("PRAGMA wal_checkpoint(TRUNCATE)")
            if row is not None and int(row[0]) == 0:
                return
            time.sleep(0.1)
        raise StoreBusyError("another process kept the SQLite write-ahead log open")

    # who may not come back ----------------------------------------------------------------
    def _suppression_key(self, tx: Runner) -> bytes:
        """The one random key the erased ids are hashed under (made on first use)."""
        tx.execute(
            "INSERT INTO erased_ids_key (id, key) VALUES (1, ?) ON CONFLICT (id) DO NOTHING",
            (os.urandom(32).hex(),),
        )
        return bytes.fromhex(str(tx.scalar("SELECT key FROM erased_ids_key WHERE id = 1")))

    def suppress(self, names: Iterable[str]) -> None:
        """Keep ``names`` (``freelancer:ID``, ``client:ID``) out of later imports.

        Only a keyed hash of each is stored: the list says whether a given id was erased to
        whoever holds the store and the id, and nothing about who was.
        """
        with self._db.transaction() as tx:
            self._suppress(tx, names)

    def _suppress(self, tx: Runner, names: Iterable[str]) -> None:
        key = self._suppression_key(tx)
        tx.executemany(
            "INSERT INTO erased_ids (digest) VALUES (?) ON CONFLICT (digest) DO NOTHING",
            [(_digest(key, n),) for n in sorted(set(names))],
        )

    def suppressed(self, names: Iterable[str]) -> set[str]:
        """Which of ``names`` belong to erased people."""
        key_hex = self._db.scalar("SELECT key FROM erased_ids_key WHERE id = 1")
        if key_hex is None:
            return set()
        key = bytes.fromhex(str(key_hex))
        by_digest = {_digest(key, n): n for n in set(names)}
        wanted = sorted(by_digest)
        found: set[str] = set()
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            sql = f"SELECT digest FROM erased_ids WHERE digest IN ({_marks(chunk)})"
            found.update(by_digest[r[0]] for r in self._db.fetchall(sql, chunk))
        return found

    def readmit(self, names: Iterable[str]) -> int:
        """Lift the suppression of ``names``; returns how many were suppressed."""
        lifted = self.suppressed(names)
        if lifted:
            key = bytes.fromhex(str(self._db.scalar("SELECT key FROM erased_ids_key")))
            with self._db.transaction() as tx:
                tx.executemany(
                    "DELETE FROM erased_ids WHERE digest = ?",
                    [(_digest(key, n),) for n in sorted(lifted)],
                )
        return len(lifted)

    # which models used whom -------------------------------------------------------------
    def record_model_data(self, version: str, people: Iterable[str]) -> None:
        """Remember that ``version`` was trained on the records of ``people``."""
        rows = [(version, p) for p in sorted(set(people))]
        with self._db.transaction() as tx:
            tx.executemany(
                "INSERT INTO model_data (model_version, person) VALUES (?, ?) "
                "ON CONFLICT (model_version, person) DO NOTHING",
                rows,
            )

    def models_of(self, people: Iterable[str]) -> list[str]:
        """Model versions trained on any of ``people``."""
        wanted = sorted(set(people))
        found: set[str] = set()
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            sql = f"SELECT DISTINCT model_version FROM model_data WHERE person IN ({_marks(chunk)})"
            found.update(r[0] for r in self._db.fetchall(sql, chunk))
        return sorted(found)

    def record_erasure(
        self, kind: PersonKind, removed: dict[str, int], models: list[str]
    ) -> Erasure:
        """Write the anonymous record of an erasure."""
        erasure = Erasure(uuid.uuid4().hex, datetime.now(UTC), kind, removed, models)
        with self._db.transaction() as tx:
            tx.execute(
                "INSERT INTO erasures (id, ts, kind, models, removed) VALUES (?, ?, ?, ?, ?)",
                (erasure.id, self._db.ts(erasure.ts), kind, json_param(models),
                 json_param(removed)),
            )  # fmt: skip
        return erasure

    def erasures(self) -> list[Erasure]:
        """Every erasure, oldest first."""
        rows = self._db.fetchall("SELECT id, ts, kind, models, removed FROM erasures ORDER BY ts")
        return [
            Erasure(r[0], read_ts(r[1]), r[2], dict(load_json(r[4])), list(load_json(r[3])))
            for r in rows
        ]
