"""Server-rendered web UI (Jinja2, no build step, no CDN).

Every ranking a page shows goes through the engine's ``serve_*`` methods, so
it lands in the decision log; the job page also records one impression per
shown candidate, and links from it carry the request id so that opening a
profile records a click tied to that ranking.
"""

from __future__ import annotations

import logging
import math
from datetime import UTC, datetime
from importlib import resources
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from tandem.api.deps import EngineDep
from tandem.api.schemas import public_profile
from tandem.domain import Event, MatchResult
from tandem.engine import Engine, JobQuery, Requester, TalentQuery
from tandem.errors import NotFoundError, TandemError

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(resources.files("tandem.web") / "templates"))
log = logging.getLogger("tandem.web")
WEB = Requester(actor="web-user", surface="web")
PAGE = 20


def _render(request: Request, name: str, status_code: int = 200, **context: object) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _bars(scores: list[float], bounded: bool) -> list[int]:
    """Score bars 0-100, also shown as the number.

    Heuristic scores are in [0, 1] (times 100); a learned model's raw scores are unbounded
    and may be negative, so they get a logistic map (monotone: the order is kept), never a
    negative bar. The raw score is in the tooltip.
    """
    if bounded:
        return [round(100 * min(1.0, max(0.0, s))) for s in scores]
    return [round(100 / (1 + math.exp(-s))) for s in scores]


def _record_click(engine: Engine, rid: str, pos: int, job_id: str, freelancer_id: str) -> None:
    event = Event(
        id=f"click-{rid}-{freelancer_id}",
        ts=datetime.now(UTC),
        type="click",
        job_id=job_id,
        freelancer_id=freelancer_id,
        actor="client",
        surface="match",
        position=pos or None,
        request_id=rid,
    )
    try:
        engine.record_event(event)
    except TandemError:
        log.warning("ignored a click for unknown request %s", rid)


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
    served = engine.serve_search_jobs(JobQuery(text=q, category=category or None, top=PAGE), WEB)
    jobs = engine.jobs(r.job_id for r in served.results)
    categories = [c for c in engine.taxonomy.categories() if "ESCO" not in c and "O*NET" not in c]
    return _render(
        request,
        "jobs.html",
        q=q,
        category=category,
        results=served.results,
        jobs=jobs,
        categories=categories,
        health=engine.health(),
    )


@router.get("/jobs/new", response_class=HTMLResponse)
def post_job_page(request: Request) -> HTMLResponse:
    """Post a job with the companion: describe it, read the draft, confirm."""
    return _render(
        request,
        "post.html",
        companion_job_id=None,
        companion_key="new-job",
        companion_placeholder="e.g. I need a logo for my bakery, budget $300, within 2 weeks",
        suggestions=[],
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
    served = engine.serve_match(job_id, top=10, candidates=mode, who=WEB)
    engine.record_impressions(served, job_id, "proposals" if mode == "proposals" else "match")
    matches: list[MatchResult] = served.results
    skills, inferred = engine.matcher.job_skills(job)
    return _render(
        request,
        "job.html",
        job=job,
        matches=matches,
        skills=skills,
        inferred=inferred,
        mode=mode,
        n_proposals=len(engine.store.proposals.where(job_id=job_id)),
        request_id=served.request_id,
        ranker=served.ranker,
        bars=_bars([m.score for m in matches], served.model_version == engine.heuristic.version),
        companion_job_id=job.id,
        companion_key=f"job-{job.id}",
        companion_placeholder="Ask: who fits best? why is A above B? interview questions for A",
        suggestions=["Who fits this job best?", "Why is the first above the second?"],
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
        results = engine.serve_search_talent(query, WEB).results
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
def freelancer_page(
    request: Request,
    engine: EngineDep,
    freelancer_id: str,
    rid: Annotated[str, Query(max_length=64)] = "",
    pos: Annotated[int, Query(ge=0, le=1000)] = 0,
    job: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    """A public profile and its recommended jobs (a click, when reached from a ranking)."""
    try:
        freelancer = engine.store.freelancers.get(freelancer_id)
    except NotFoundError as exc:
        return _render(request, "error.html", 404, message=str(exc))
    if rid and job:
        _record_click(engine, rid, pos, job, freelancer_id)
    recs = engine.serve_recommend(freelancer_id, top=10, who=WEB).results
    return _render(
        request,
        "freelancer.html",
        f=freelancer,
        profile=public_profile(freelancer),
        skills=engine.normaliser.normalise(freelancer.skills),
        recs=recs,
    )
