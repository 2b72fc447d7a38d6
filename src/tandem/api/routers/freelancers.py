"""Freelancers: public profiles, create, update, and recommended jobs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from tandem.api.deps import Limit, Offset, RankOffset, UserDep, ranking_depth
from tandem.api.schemas import Page, Ranked
from tandem.domain import Freelancer, JobResult
from tandem.errors import ValidationError

router = APIRouter(prefix="/api/freelancers", tags=["freelancers"])


@router.get("", response_model=Page[dict[str, Any]])
def list_freelancers(user: UserDep, offset: Offset = 0, limit: Limit = 20) -> Page[dict[str, Any]]:
    """Profiles ordered by id: public ones (no email, phone, attributes or consent)."""
    items, total = user.profiles_page(offset, limit)
    return Page(items=items, total=total, offset=offset, limit=limit)


@router.get("/{freelancer_id}", response_model=dict[str, Any])
def get_freelancer(user: UserDep, freelancer_id: str) -> dict[str, Any]:
    """One profile: public, unless you are the person or an operator."""
    return user.profile(freelancer_id)


@router.post("", response_model=dict[str, Any], status_code=status.HTTP_201_CREATED)
def create_freelancer(user: UserDep, freelancer: Freelancer) -> dict[str, Any]:
    """Create a freelancer (409 if the id exists) and index the profile."""
    return user.save_freelancer(freelancer, create=True)


@router.put("/{freelancer_id}", response_model=dict[str, Any])
def replace_freelancer(user: UserDep, freelancer_id: str, freelancer: Freelancer) -> dict[str, Any]:
    """Create or replace a freelancer and re-index the profile (a freelancer: its own)."""
    if freelancer.id != freelancer_id:
        raise ValidationError(
            f"body id {freelancer.id!r} does not match the path id {freelancer_id!r}"
        )
    return user.save_freelancer(freelancer)


@router.delete("/{freelancer_id}", response_model=dict[str, Any])
def erase_freelancer(user: UserDep, freelancer_id: str) -> dict[str, Any]:
    """Erase a freelancer and everything derived from them (the person themself, or an operator).

    Profile, proposals, events, companion sessions, their users and tokens, index entries
    and files go; the decision log keeps each ranking with the person as a tombstone. The
    answer counts what was removed and names the model versions that had used their data.
    """
    return user.erase_person("freelancer", freelancer_id).to_dict()


@router.get("/{freelancer_id}/recommendations", response_model=Ranked[JobResult])
def recommendations(
    user: UserDep, freelancer_id: str, offset: RankOffset = 0, limit: Limit = 10
) -> Ranked[JobResult]:
    """Open jobs ranked for the freelancer, each with reasons (the person's own)."""
    served = user.serve_recommend(freelancer_id, top=ranking_depth(offset, limit))
    return Ranked.page(served, offset, limit)
