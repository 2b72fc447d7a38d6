"""The decision log: append-only records of every ranking served."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tandem.domain import Decision
from tandem.errors import NotFoundError
from tandem.store.tables import DecisionRow


class DecisionLog:
    """Writes and reads :class:`Decision` records."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def record(self, decision: Decision) -> None:
        """Append one decision (its own transaction; the request id must be new)."""
        payload = decision.model_dump(mode="json", include={"request", "candidates", "results"})
        with Session(self._engine) as session, session.begin():
            session.add(
                DecisionRow(
                    request_id=decision.request_id,
                    ts=decision.ts,
                    actor=decision.actor,
                    surface=decision.surface,
                    kind=decision.kind,
                    subject=decision.subject[:500],
                    model_version=decision.model_version,
                    payload=payload,
                )
            )

    def get(self, request_id: str) -> Decision:
        """One decision; :class:`NotFoundError` if the id was never served."""
        with Session(self._engine) as session:
            row = session.get(DecisionRow, request_id)
            if row is None:
                raise NotFoundError(f"no decision with request id {request_id!r}")
            return _to_decision(row)

    def recent(self, limit: int = 50, subject: str | None = None) -> list[Decision]:
        """The newest decisions, optionally for one subject."""
        with Session(self._engine) as session:
            stmt = select(DecisionRow).order_by(DecisionRow.ts.desc()).limit(limit)
            if subject is not None:
                stmt = stmt.where(DecisionRow.subject == subject)
            return [_to_decision(r) for r in session.scalars(stmt)]


def _to_decision(row: DecisionRow) -> Decision:
    return Decision.model_validate(
        {
            "request_id": row.request_id,
            "ts": row.ts,
            "actor": row.actor,
            "surface": row.surface,
            "kind": row.kind,
            "subject": row.subject,
            "model_version": row.model_version,
            **row.payload,
        }
    )
