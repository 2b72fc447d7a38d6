"""Response shapes of the API that are not domain models themselves."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from tandem.domain import JobRanking, MatchRanking

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """A list envelope with pagination."""

    items: list[T]
    total: int
    offset: int
    limit: int


class Ranked(BaseModel, Generic[T]):
    """Ranked results (search, match, recommend), paginated, tied to their decision-log entry."""

    request_id: str
    model_version: str
    ranker: str
    results: list[T]
    offset: int
    limit: int
    policy_note: str | None = Field(
        default=None,
        exclude_if=lambda v: v is None,
        description="When a marketplace policy (fair re-ranking, newcomer exposure) placed "
        "results away from score order: that, in words, of the list as a whole; who moved "
        "is in the decision log for operators and auditors, never on a result.",
    )

    @classmethod
    def page(cls, served: MatchRanking | JobRanking, offset: int, limit: int) -> Ranked[Any]:
        """One page of a served ranking."""
        return cls(
            request_id=served.request_id,
            model_version=served.model_version,
            ranker=served.ranker,
            results=list(served.results[offset:]),
            offset=offset,
            limit=limit,
            policy_note=served.policy_note if isinstance(served, MatchRanking) else None,
        )
