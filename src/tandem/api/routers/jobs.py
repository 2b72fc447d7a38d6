"""Jobs: read, create, update, and their ranked matches."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response, status

from tandem.api.deps import Limit, Offset, RankOffset, UserDep, ranking_depth
from tandem.api.schemas import Page, Ranked
from tandem.domain import Job, MatchResult
from tandem.domain.models import JobPosting

router = APIRouter(prefix="/api/jobs", tags=["jobs"])


@router.get("", response_model=Page[Job])
def list_jobs(
    user: UserDep,
    job_status: Literal["open", "closed"] | None = None,
    offset: Offset = 0,
    limit: Limit = 20,
) -> Page[Job]:
    """Jobs ordered by id, optionally by status."""
    items, total = user.jobs_page(offset, limit, job_status)
    return Page(items=items, total=total, offset=offset, limit=limit)


@router.get("/{job_id}", response_model=Job)
def get_job(user: UserDep, job_id: str) -> Job:
    """One job."""
    return user.job(job_id)


@router.post("", response_model=Job, status_code=status.HTTP_201_CREATED)
def create_job(user: UserDep, job: JobPosting) -> Job:
    """Create a job (409 if the id exists) and index it; a client posts for itself only.

    ``id``, ``client_id`` and ``created_at`` may be left out: a new id, the signed-in
    client's id and the time of the post are filled in.
    """
    return user.post_job(job)


@router.put(
    "/{job_id}",
    response_model=Job,
    responses={status.HTTP_201_CREATED: {"model": Job, "description": "The job was created."}},
)
def replace_job(user: UserDep, job_id: str, job: JobPosting, response: Response) -> Job:
    """Create (201) or replace (200) a job and re-index it (a client: its own jobs only).

    ``id``, ``client_id`` and ``created_at`` may be left out, as when posting: the path's
    id, the signed-in client's id, and the stored job's time (now for a new job).
    """
    saved, created = user.put_job(job_id, job)
    if created:
        response.status_code = status.HTTP_201_CREATED
    return saved


@router.get("/{job_id}/matches", response_model=Ranked[MatchResult])
def job_matches(
    user: UserDep,
    job_id: str,
    candidates: Literal["all", "proposals"] = "all",
    offset: RankOffset = 0,
    limit: Limit = 10,
) -> Ranked[MatchResult]:
    """Freelancers ranked for the job, each with reasons and evidence (its client's only)."""
    served = user.serve_match(job_id, top=ranking_depth(offset, limit), candidates=candidates)
    return Ranked.page(served, offset, limit)
