"""The import log: one row per bundle import, with its validation report.

Written by the engine's import path, so an import from the CLI, the API, the web page or
``tandem demo`` appears alike. The skipped lines are kept as the importer reports them
(``file:line: reason``), the first :data:`MAX_KEPT_ERRORS` of them; ``error_count`` is the true
number. A reason may name an id (a proposal whose freelancer is not in the store): an erasure
rewrites those lines (:meth:`ImportLog.forget`), so the log never outlives a person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from tandem.errors import NotFoundError
from tandem.store.db import Database, json_param, load_json, read_ts

#: What an import ended as: the importer's two statuses, or refused before writing.
ImportOutcome = Literal["complete", "completed_with_skipped_lines", "failed"]
#: Skipped lines kept per import (a broken file of a million lines is not stored twice).
MAX_KEPT_ERRORS = 1000
#: What replaces a kept line that named an erased person.
ERASED_LINE = "(a line that named an erased person)"

_COLUMNS = (
    "id, started_at, finished_at, actor, surface, source, status, imported, error_count, "
    "withheld, payload"
)


@dataclass(frozen=True)
class ImportEntry:
    """One import: when, who, what, how many records per file, which lines failed and why."""

    id: str
    started_at: datetime
    finished_at: datetime
    actor: str
    surface: str
    source: str
    status: ImportOutcome
    imported: int
    error_count: int
    withheld: int = 0
    #: Per file (``jobs``): ``inserted``, ``updated``, ``unchanged``.
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    #: The skipped lines, ``file:line: reason`` (at most :data:`MAX_KEPT_ERRORS`).
    errors: list[str] = field(default_factory=list)
    #: Why a failed import wrote nothing ("" otherwise).
    message: str = ""


def _entry(row: tuple[Any, ...]) -> ImportEntry:
    payload = dict(load_json(row[10]))
    return ImportEntry(
        row[0], read_ts(row[1]), read_ts(row[2]), row[3], row[4], row[5], row[6],
        int(row[7]), int(row[8]), int(row[9]),
        counts=dict(payload.get("counts", {})),
        errors=list(payload.get("errors", [])),
        message=str(payload.get("message", "")),
    )  # fmt: skip


class ImportLog:
    """Records imports and reads them back, newest first."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, entry: ImportEntry) -> ImportEntry:
        """Store one import (its kept lines cut to :data:`MAX_KEPT_ERRORS`)."""
        payload = {
            "counts": entry.counts,
            "errors": entry.errors[:MAX_KEPT_ERRORS],
            "message": entry.message,
        }
        with self._db.transaction() as tx:
            tx.execute(
                f"INSERT INTO imports ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    entry.id, self._db.ts(entry.started_at), self._db.ts(entry.finished_at),
                    entry.actor[:200], entry.surface[:16], entry.source[:500], entry.status,
                    entry.imported, entry.error_count, entry.withheld, json_param(payload),
                ),
            )  # fmt: skip
        return entry

    def count(self) -> int:
        """How many imports are logged (each is logged once it is done)."""
        return int(self._db.scalar("SELECT COUNT(*) FROM imports") or 0)

    def page(self, offset: int, limit: int) -> tuple[list[ImportEntry], int]:
        """Newest first: one page of imports and how many there are."""
        total = int(self._db.scalar("SELECT COUNT(*) FROM imports") or 0)
        rows = self._db.fetchall(
            f"SELECT {_COLUMNS} FROM imports ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [_entry(r) for r in rows], total

    def get(self, import_id: str) -> ImportEntry:
        """One import (``NotFoundError`` if there is none with this id)."""
        row = self._db.fetchone(f"SELECT {_COLUMNS} FROM imports WHERE id = ?", (import_id,))
        if row is None:
            raise NotFoundError(f"no import {import_id!r}")
        return _entry(row)

    def forget(self, needles: Iterable[str]) -> int:
        """Rewrite every kept line and message naming a needle (whole word); lines rewritten."""
        words = [n for n in needles if n and n.strip()]
        if not words:
            return 0
        pattern = re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in words), re.I)
        rewritten = 0
        with self._db.transaction() as tx:
            for import_id, raw in tx.fetchall("SELECT id, payload FROM imports"):
                payload = dict(load_json(raw))
                lines = [str(x) for x in payload.get("errors", [])]
                kept = [ERASED_LINE if pattern.search(x) else x for x in lines]
                message = str(payload.get("message", ""))
                cleaned = pattern.sub("(erased)", message)
                changed = sum(a != b for a, b in zip(lines, kept, strict=True))
                if changed or cleaned != message:
                    payload |= {"errors": kept, "message": cleaned}
                    tx.execute(
                        "UPDATE imports SET payload = ? WHERE id = ?",
                        (json_param(payload), import_id),
                    )
                    rewritten += changed + (cleaned != message)
        return rewritten
