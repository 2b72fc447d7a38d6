"""The decision log: append-only records of every ranking served."""

from __future__ import annotations

from typing import Any

from tandem.domain import Decision
from tandem.errors import NotFoundError
from tandem.store.db import Database, json_param, load_json, read_ts

_COLUMNS = "request_id, ts, actor, surface, kind, subject, model_version, payload"


class DecisionLog:
    """Writes and reads :class:`Decision` records."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, decision: Decision) -> None:
        """Append one decision (its own transaction; the request id must be new)."""
        payload = decision.model_dump(mode="json", include={"request", "candidates", "results"})
        with self._db.transaction() as tx:
            tx.execute(
                f"INSERT INTO decisions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    decision.request_id,
                    self._db.ts(decision.ts),
                    decision.actor,
                    decision.surface,
                    decision.kind,
                    decision.subject[:500],
                    decision.model_version,
                    json_param(payload),
                ),
            )

    def get(self, request_id: str) -> Decision:
        """One decision; :class:`NotFoundError` if the id was never served."""
        row = self._db.fetchone(
            f"SELECT {_COLUMNS} FROM decisions WHERE request_id = ?", (request_id,)
        )
        if row is None:
            raise NotFoundError(f"no decision with request id {request_id!r}")
        return _to_decision(row)

    def recent(self, limit: int = 50, subject: str | None = None) -> list[Decision]:
        """The newest decisions, optionally for one subject."""
        if subject is None:
            rows = self._db.fetchall(
                f"SELECT {_COLUMNS} FROM decisions ORDER BY ts DESC LIMIT ?", (limit,)
            )
        else:
            rows = self._db.fetchall(
                f"SELECT {_COLUMNS} FROM decisions WHERE subject = ? ORDER BY ts DESC LIMIT ?",
                (subject, limit),
            )
        return [_to_decision(r) for r in rows]


def _to_decision(row: tuple[Any, ...]) -> Decision:
    request_id, ts, actor, surface, kind, subject, model_version, payload = row
    return Decision.model_validate(
        {
            "request_id": request_id,
            "ts": read_ts(ts),
            "actor": actor,
            "surface": surface,
            "kind": kind,
            "subject": subject,
            "model_version": model_version,
            **load_json(payload),
        }
    )
