"""Talent and job search."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import StringConstraints

from tandem.api.deps import Limit, RankOffset, UserDep, ranking_depth
from tandem.api.schemas import Ranked
from tandem.domain import JobResult, MatchResult
from tandem.domain.models import COUNTRY_PATTERN
from tandem.domain.zones import DEFAULT_MAX_HOURS_APART
from tandem.engine import JobQuery, TalentQuery

router = APIRouter(prefix="/api/search", tags=["search"])
#: Required skills: at most 20, each at most 100 characters (the schema states both caps).
Skills = Annotated[
    list[Annotated[str, StringConstraints(max_length=100)]] | None,
    Query(max_length=20, description="Required skills (at most 20)."),
]


@router.get("/talent", response_model=Ranked[MatchResult])
def search_talent(
    user: UserDep,
    q: Annotated[str, Query(max_length=500, description="Words to search for.")] = "",
    skill: Skills = None,
    max_rate: Annotated[float | None, Query(ge=0, description="Max hourly rate, USD.")] = None,
    country: Annotated[
        str | None,
        # Documented, not checked here: the engine's query type checks it for every face
        # (``TalentQuery.country_code``), and its 422 names the parameter as FastAPI's would.
        Query(
            max_length=64,
            description="ISO 3166-1 alpha-2 country code (two letters).",
            json_schema_extra={"pattern": COUNTRY_PATTERN},
        ),
    ] = None,
    min_job_success: Annotated[float | None, Query(ge=0, le=100)] = None,
    available: bool = False,
    overlap_with: Annotated[
        str | None,
        Query(max_length=64, description="Time zone to overlap with (Europe/Berlin, CET, UTC+2)."),
    ] = None,
    max_hours_apart: Annotated[float, Query(ge=0, le=12)] = DEFAULT_MAX_HOURS_APART,
    offset: RankOffset = 0,
    limit: Limit = 10,
) -> Ranked[MatchResult]:
    """Hybrid talent search with filters; every result has reasons."""
    query = TalentQuery(
        text=q,
        skills=skill or [],
        max_rate=max_rate,
        country=country,
        min_job_success=min_job_success,
        available=available,
        overlap_with=overlap_with,
        max_hours_apart=max_hours_apart,
        top=ranking_depth(offset, limit),
    )
    return Ranked.page(user.search_talent(query), offset, limit)


@router.get("/jobs", response_model=Ranked[JobResult])
def search_jobs(
    user: UserDep,
    q: Annotated[str, Query(max_length=500, description="Words to search for.")] = "",
    skill: Skills = None,
    min_budget: Annotated[float | None, Query(ge=0, description="Min budget, USD.")] = None,
    budget_type: Literal["fixed", "hourly"] | None = None,
    category: Annotated[str | None, Query(max_length=200)] = None,
    include_closed: bool = False,
    offset: RankOffset = 0,
    limit: Limit = 10,
) -> Ranked[JobResult]:
    """Hybrid job search with filters (open jobs unless asked otherwise)."""
    query = JobQuery(
        q,
        skill or [],
        min_budget,
        budget_type,
        category,
        include_closed,
        ranking_depth(offset, limit),
    )
    return Ranked.page(user.search_jobs(query), offset, limit)
