"""Jobs: read, create, update, and their ranked matches."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, status

from tandem.api.deps import EngineDep, Limit, Offset, RequesterDep
from tandem.api.schemas import Page, Ranked
from tandem.domain import Job, MatchResult
from tandem.errors import ConflictError, ValidationError

router = APIRouter(prefix="/api/jobs", tags=["jobs"])


@router.get("", response_model=Page[Job])
def list_jobs(
    engine: EngineDep,
    job_status: Literal["open", "closed"] | None = None,
    offset: Offset = 0,
    limit: Limit = 20,
) -> Page[Job]:
    """Jobs ordered by id, optionally by status."""
    where = {"status": job_status} if job_status else {}
    items, total = engine.store.jobs.page(offset, limit, **where)
    return Page(items=items, total=total, offset=offset, limit=limit)


@router.get("/{job_id}", response_model=Job)
def get_job(engine: EngineDep, job_id: str) -> Job:
    """One job."""
    return engine.store.jobs.get(job_id)


@router.post("", response_model=Job, status_code=status.HTTP_201_CREATED)
def create_job(engine: EngineDep, job: Job) -> Job:
    """Create a job (409 if the id exists) and index it."""
    if engine.store.jobs.exists([job.id]):
        raise ConflictError(f"job {job.id!r} already exists; use PUT to replace it")
    return engine.save_job(job)


@router.put("/{job_id}", response_model=Job)
def replace_job(engine: EngineDep, job_id: str, job: Job) -> Job:
    """Create or replace a job and re-index it."""
    if job.id != job_id:
        raise ValidationError(f"body id {job.id!r} does not match the path id {job_id!r}")
    return engine.save_job(job)


@router.get("/{job_id}/matches", response_model=Ranked[MatchResult])
def job_matches(
    engine: EngineDep,
    who: RequesterDep,
    job_id: str,
    candidates: Literal["all", "proposals"] = "all",
    offset: Offset = 0,
    limit: Limit = 10,
) -> Ranked[MatchResult]:
    """Freelancers ranked for the job, each with reasons and evidence."""
    served = engine.serve_match(job_id, top=offset + limit, candidates=candidates, who=who)
    return Ranked.page(served, offset, limit)
