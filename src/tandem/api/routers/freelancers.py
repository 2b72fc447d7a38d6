"""Freelancers: public profiles, create, update, and recommended jobs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from tandem.api.deps import EngineDep, Limit, Offset, RequesterDep
from tandem.api.schemas import Page, Ranked, public_profile
from tandem.domain import Freelancer, JobResult
from tandem.errors import ConflictError, ValidationError

router = APIRouter(prefix="/api/freelancers", tags=["freelancers"])


@router.get("", response_model=Page[dict[str, Any]])
def list_freelancers(
    engine: EngineDep, offset: Offset = 0, limit: Limit = 20
) -> Page[dict[str, Any]]:
    """Public profiles ordered by id (no email, phone or attributes)."""
    items, total = engine.store.freelancers.page(offset, limit)
    return Page(items=[public_profile(f) for f in items], total=total, offset=offset, limit=limit)


@router.get("/{freelancer_id}", response_model=dict[str, Any])
def get_freelancer(engine: EngineDep, freelancer_id: str) -> dict[str, Any]:
    """One public profile."""
    return public_profile(engine.store.freelancers.get(freelancer_id))


@router.post("", response_model=dict[str, Any], status_code=status.HTTP_201_CREATED)
def create_freelancer(engine: EngineDep, freelancer: Freelancer) -> dict[str, Any]:
    """Create a freelancer (409 if the id exists) and index the profile."""
    if engine.store.freelancers.exists([freelancer.id]):
        raise ConflictError(f"freelancer {freelancer.id!r} already exists; use PUT to replace it")
    return public_profile(engine.save_freelancer(freelancer))


@router.put("/{freelancer_id}", response_model=dict[str, Any])
def replace_freelancer(
    engine: EngineDep, freelancer_id: str, freelancer: Freelancer
) -> dict[str, Any]:
    """Create or replace a freelancer and re-index the profile."""
    if freelancer.id != freelancer_id:
        raise ValidationError(
            f"body id {freelancer.id!r} does not match the path id {freelancer_id!r}"
        )
    return public_profile(engine.save_freelancer(freelancer))


@router.get("/{freelancer_id}/recommendations", response_model=Ranked[JobResult])
def recommendations(
    engine: EngineDep, who: RequesterDep, freelancer_id: str, offset: Offset = 0, limit: Limit = 10
) -> Ranked[JobResult]:
    """Open jobs ranked for the freelancer, each with reasons."""
    served = engine.serve_recommend(freelancer_id, top=offset + limit, who=who)
    return Ranked.page(served, offset, limit)
