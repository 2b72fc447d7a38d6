"""Server-rendered web UI (Jinja2, no build step, no CDN)."""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from tandem.api.deps import EngineDep
from tandem.api.schemas import public_profile
from tandem.engine import JobQuery, TalentQuery
from tandem.errors import NotFoundError, TandemError

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(resources.files("tandem.web") / "templates"))
PAGE = 20


def _render(request: Request, name: str, status_code: int = 200, **context: object) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


@router.get("/", response_class=HTMLResponse)
def home(request: Request, engine: EngineDep) -> HTMLResponse:
    """Browse open jobs, newest first, or search them."""
    return jobs_page(request, engine)


@router.get("/jobs", response_class=HTMLResponse)
def jobs_page(
    request: Request,
    engine: EngineDep,
    q: Annotated[str, Query(max_length=500)] = "",
    category: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    """Job search and browse."""
    results = engine.search_jobs(JobQuery(text=q, category=category or None, top=PAGE))
    jobs = engine.store.jobs.get_many(r.job_id for r in results)
    categories = [c for c in engine.taxonomy.categories() if "ESCO" not in c and "O*NET" not in c]
    return _render(
        request,
        "jobs.html",
        q=q,
        category=category,
        results=results,
        jobs=jobs,
        categories=categories,
        health=engine.health(),
    )


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(
    request: Request, engine: EngineDep, job_id: str, candidates: str = "all"
) -> HTMLResponse:
    """A job and its ranked matches with reasons."""
    try:
        job = engine.store.jobs.get(job_id)
    except NotFoundError as exc:
        return _render(request, "error.html", 404, message=str(exc))
    mode: Literal["all", "proposals"] = "proposals" if candidates == "proposals" else "all"
    matches = engine.match(job_id, top=10, candidates=mode)
    skills, inferred = engine.matcher.job_skills(job)
    n_proposals = len(engine.store.proposals.where(job_id=job_id))
    return _render(
        request,
        "job.html",
        job=job,
        matches=matches,
        skills=skills,
        inferred=inferred,
        mode=mode,
        n_proposals=n_proposals,
    )


@router.get("/talent", response_class=HTMLResponse)
def talent_page(
    request: Request,
    engine: EngineDep,
    q: Annotated[str, Query(max_length=500)] = "",
    skill: Annotated[str, Query(max_length=200)] = "",
    max_rate: str = "",
    country: Annotated[str, Query(max_length=2)] = "",
    min_job_success: str = "",
    available: str = "",
) -> HTMLResponse:
    """Talent search with filters."""
    query = TalentQuery(
        text=q,
        skills=[s.strip() for s in skill.split(",") if s.strip()],
        max_rate=_float(max_rate),
        country=country or None,
        min_job_success=_float(min_job_success),
        available=bool(available),
        top=PAGE,
    )
    try:
        results = engine.search_talent(query)
        error = ""
    except TandemError as exc:
        results, error = [], str(exc)
    form = {
        "q": q,
        "skill": skill,
        "max_rate": max_rate,
        "country": country,
        "min_job_success": min_job_success,
        "available": available,
    }
    return _render(request, "talent.html", results=results, form=form, error=error)


@router.get("/freelancers/{freelancer_id}", response_class=HTMLResponse)
def freelancer_page(request: Request, engine: EngineDep, freelancer_id: str) -> HTMLResponse:
    """A public profile and the open jobs recommended for it."""
    try:
        freelancer = engine.store.freelancers.get(freelancer_id)
    except NotFoundError as exc:
        return _render(request, "error.html", 404, message=str(exc))
    profile = public_profile(freelancer)
    skills = engine.normaliser.normalise(freelancer.skills)
    recs = engine.recommend(freelancer_id, top=10)
    return _render(
        request, "freelancer.html", f=freelancer, profile=profile, skills=skills, recs=recs
    )
