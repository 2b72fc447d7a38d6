"""Audits for auditors: the fairness report and the ranking cards, aggregates only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from tandem.api.deps import UserDep

router = APIRouter(prefix="/api", tags=["audits"])

When = Annotated[
    datetime | None,
    Query(description="ISO date or time; UTC when no zone is given."),
]


def _utc(value: datetime | None) -> datetime | None:
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


@router.get("/audit/report")
def audit_report(user: UserDep, since: When = None, until: When = None) -> dict[str, Any]:
    """The fairness audit over ``[since, until)``: per group, never per person.

    The same numbers as ``tandem audit report --json`` (shape in docs/audit-report.md).
    Auditors and operators only.
    """
    return user.audit_report(since=_utc(since), until=_utc(until))


@router.get("/models/{version}/card")
def model_card(user: UserDep, version: str) -> dict[str, Any]:
    """A model version's ranking card (as ``tandem models card VERSION --json``)."""
    return user.model_card(version)
