"""Server-rendered web UI (Jinja2, no build step, no CDN).

Every page needs a signed-in browser (``/signin``) and shows what its user's role may see:
pages act through ``engine.as_user`` like the API, so the same access table decides. Every
ranking a page shows goes through the engine's ``serve_*`` methods, so it lands in the
decision log; the job page also records one impression per shown candidate, and links
from it carry the request id so that opening a profile records a click tied to that
ranking.
"""

from __future__ import annotations

import logging
import math
from datetime import UTC, datetime
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from tandem.access import Action
from tandem.api.deps import EngineDep
from tandem.api.pager import Pager, depth
from tandem.api.pages import (
    FLASH_COOKIE,
    PageNumber,
    error_page,
    forbidden,
    page_number,
    refusal,
    render,
    signed_in,
    templates,
    to_signin,
)
from tandem.api.webtalk import earlier_turns
from tandem.domain import Event, Freelancer, MatchResult
from tandem.domain.fields import STORED, without_controls
from tandem.engine import JobQuery, TalentQuery, UserView
from tandem.engine.deciding import MATCH_ACTIONS, MatchAction
from tandem.errors import NotFoundError, TandemError, ValidationError

router = APIRouter(include_in_schema=False)
log = logging.getLogger("tandem.web")
Page = Response  # a rendered page, or a redirect to sign in
#: The old private names, kept for modules written against them (use tandem.api.pages).
_render, _signin, _user, _page_number = render, to_signin, signed_in, page_number
__all__ = ["FLASH_COOKIE", "PageNumber", "router", "templates"]
#: How each decision reads on a button and in the message after it.
ACTION_LABELS: dict[MatchAction, tuple[str, str]] = {
    "shortlist": ("Shortlist", "Shortlisted"),
    "message": ("Message", "Messaged"),
    "invite": ("Invite", "Invited"),
    "interview": ("Interview", "Interview recorded with"),
    "hire": ("Hire", "Hired"),
    "decline": ("Decline", "Declined"),
}

#: The words after Message and Invite: Tandem records them and sends nobody anything (a
#: trial read "Messaged Freelancer 304." as a message sent); delivering is the marketplace's.
UNSENT: dict[MatchAction, str] = {
    "message": (
        "Recorded that you want to message {name}, for your marketplace to deliver: "
        "Tandem itself sends nothing."
    ),
    "invite": (
        "Recorded your invitation of {name}, for your marketplace to deliver: "
        "Tandem itself sends nothing."
    ),
}


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


def _record_click(user: UserView, rid: str, pos: int, job_id: str, freelancer_id: str) -> None:
    event = Event(
        id=f"click-{rid}-{freelancer_id}",
        ts=datetime.now(UTC),
        type="click",
        job_id=job_id,
        freelancer_id=freelancer_id,
        actor="client",
        position=pos or None,  # checked against the log, which fills in the surface
        request_id=rid,
    )
    try:
        user.record_event(event)
    except TandemError:
        log.warning("ignored a click for request %s (unknown, or not served to this user)", rid)


@router.get("/", response_class=HTMLResponse)  # home: the same list, its links relative to it
@router.get("/jobs", response_class=HTMLResponse)
def jobs_page(
    request: Request,
    engine: EngineDep,
    q: Annotated[str, Query(max_length=500)] = "",
    category: Annotated[str, Query(max_length=200)] = "",
    page: PageNumber = "1",
) -> Page:
    """Job search and browse, ``?page=N`` of it, with true counts (open jobs only)."""
    user = signed_in(request, engine)
    if user is None:
        return to_signin(request)
    number = page_number(page)
    query = JobQuery(text=q, category=category or None, top=depth(number))
    pager, error = Pager(number, 0, 0), ""
    try:
        # Only a search with words ranks (and is logged); a list in date order writes nothing.
        served = user.search_jobs(query) if q.strip() else user.browse_jobs(query)
        results = served.results[pager.offset :]
        pager = Pager(number, served.total or 0, len(results))
    except ValidationError as exc:  # words no text may hold (a NUL): said on the page
        results, error = [], str(exc)
    jobs = user.jobs_by_id(r.job_id for r in results)
    categories = [c for c in engine.taxonomy.categories() if "ESCO" not in c and "O*NET" not in c]
    return render(
        request,
        "jobs.html",
        422 if error else 200,
        q=without_controls(q),
        category=without_controls(category, one_line=True),
        error=error,
        results=results,
        jobs=jobs,
        pager=pager,
        categories=categories,
        open_jobs=user.jobs_page(0, 1, status="open")[1],
        health=user.service_health(),  # what is loaded: operators' (as /api/health)
        can_post=user.allowed(Action.JOB_WRITE, owns=bool(user.who.client_id)),
    )


@router.get("/jobs/new", response_class=HTMLResponse)
def post_job_page(request: Request, engine: EngineDep) -> Page:
    """Post a job with the companion: describe it, read the draft, confirm."""
    user = signed_in(request, engine)
    if user is None:
        return to_signin(request)
    if not user.allowed(Action.JOB_WRITE, owns=bool(user.who.client_id)):
        return forbidden(request, user, Action.JOB_WRITE)
    from tandem.api.webpost import post_page

    return post_page(request)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, engine: EngineDep, job_id: str, candidates: str = "all") -> Page:
    """A job; for its client (and operators) its ranked matches with reasons.

    Anyone signed in reads the post; who sees the ranked people is the table's
    ``job.matches`` (an auditor reads rankings in the decision log, without people).
    """
    user = signed_in(request, engine)
    if user is None:
        return to_signin(request)
    try:
        job = user.job(job_id)
    except NotFoundError as exc:
        return error_page(request, 404, str(exc))
    mode: Literal["all", "proposals"] = "proposals" if candidates == "proposals" else "all"
    owns = user.who.owns_client(job.client_id)
    can_match = user.allowed(Action.JOB_MATCHES, owns=owns)
    can_act = user.may_decide_on(job)  # the engine's rule: the job's client, an open job
    matches: list[MatchResult] = []
    request_id, ranker, bounded, policy_note = "", "", True, None
    if can_match and (mode == "all" or user.allowed(Action.JOB_APPLICANTS, owns=owns)):
        served = user.serve_match(job_id, top=10, candidates=mode)
        user.record_impressions(served, job_id, "proposals" if mode == "proposals" else "match")
        matches, request_id, ranker = served.results, served.request_id, served.ranker
        policy_note = served.policy_note  # of the list as a whole: never who moved
        bounded = served.model_version == engine.heuristic.version
    skills, inferred = engine.matcher.job_skills(job)
    flash, flash_for = _flash(request, user, job_id)
    can_talk = user.allowed(Action.COMPANION_OPEN, owns=owns)
    earlier = earlier_turns(user, job.id) if can_talk else {}  # a reload shows the turns so far
    response = render(
        request,
        "job.html",
        job=job,
        matches=matches,
        skills=skills,
        inferred=inferred,
        mode=mode,
        n_proposals=user.applicant_count(job_id),
        can_match=can_match,
        can_act=can_act,
        can_write=user.allowed(Action.JOB_WRITE, owns=owns),
        actions=[(a, ACTION_LABELS[a][0]) for a in MATCH_ACTIONS],
        decided=user.match_decisions(job_id) if can_match else {},
        flash=flash,
        flash_for=flash_for,
        can_talk=can_talk,
        **earlier,
        can_apply=user.who.role == "freelancer" and bool(user.who.freelancer_id),
        request_id=request_id,
        ranker=ranker,
        policy_note=policy_note,
        bars=_bars([m.score for m in matches], bounded),
        companion_job_id=job.id,
        companion_key=f"job-{job.id}",
        companion_action=f"/jobs/{quote(job.id, safe='')}/assistant",  # the form without JS
        companion_placeholder="Ask: who fits best? why is A above B? interview questions for A",
        suggestions=["Who fits this job best?", "Why is the first above the second?"],
    )
    if FLASH_COOKIE in request.cookies:  # shown once
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


@router.get("/jobs/{job_id}/compare", response_class=HTMLResponse)
def compare_page(
    request: Request,
    engine: EngineDep,
    job_id: str,
    rid: Annotated[str, Query(max_length=64)] = "",
    a: Annotated[str, Query(max_length=200)] = "",
    b: Annotated[str, Query(max_length=200)] = "",
) -> Page:
    """Two candidates of one served ranking side by side: why the higher one is above."""
    user = signed_in(request, engine)
    if user is None:
        return to_signin(request)
    back = f"/jobs/{job_id}"
    try:
        found = user.compare_candidates(rid, a, b)
    except TandemError as exc:
        title = None if exc.status_code in (403, 404) else "Cannot compare"
        return refusal(request, exc, title=title, back=back, back_label="Back to the job")
    if found["subject"] != job_id:
        message = f"ranking {rid!r} is not of job {job_id!r}"
        return error_page(
            request, 422, message, title="Cannot compare", back=back, back_label="Back to the job"
        )
    return render(request, "compare.html", cmp=found, job_id=job_id)


def _flash(request: Request, user: UserView, job_id: str) -> tuple[str, str]:
    """The message of the decision just recorded on this job, and whose card it is about.

    ``("", "")`` when none. The page shows it inside that card, where the redirect's
    ``#m-ID`` anchor brings the person (at the top when the card is not shown any more).
    The cookie only names the decision (``job|action|freelancer``); the words are made
    here, so a cookie written by anyone else could at most show a real person's name.
    """
    parts = request.cookies.get(FLASH_COOKIE, "").split("|")
    action = next((a for a in MATCH_ACTIONS if len(parts) == 3 and parts[1] == a), None)
    if action is None or parts[0] != job_id:
        return "", ""
    try:
        name = str(user.profile(parts[2]).get("name") or parts[2])
    except NotFoundError:
        return "", ""
    said = f"{ACTION_LABELS[action][1]} {name}. Saved as feedback on the ranking you acted on."
    if action in UNSENT:
        said = UNSENT[action].format(name=name) + " Saved as feedback on the ranking you acted on."
    return said, parts[2]


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
    page: PageNumber = "1",
) -> Page:
    """Talent search with filters, ``?page=N`` of it (clients and operators).

    Viewing the list with filters only writes nothing (safe GETs); words make it a search,
    ranked and logged, that finds only people with at least one of the words.
    """
    user = signed_in(request, engine)
    if user is None:
        return to_signin(request)
    if not user.allowed(Action.SEARCH_TALENT):
        return forbidden(request, user, Action.SEARCH_TALENT)
    number = page_number(page)
    query = TalentQuery(
        text=q,
        skills=[s.strip() for s in skill.split(",") if s.strip()],
        max_rate=_float(max_rate),
        country=country or None,
        min_job_success=_float(min_job_success),
        available=bool(available),
        top=depth(number),
    )
    pager, status, note = Pager(number, 0, 0), 200, None
    try:
        # As the job list: only a search with words ranks (and is logged); filters list.
        served = user.search_talent(query) if q.strip() else user.browse_talent(query)
        results, error = served.results[pager.offset :], ""
        pager, note = Pager(number, served.total or 0, len(results)), served.policy_note
    except TandemError as exc:
        results, error, status = [], str(exc), exc.status_code
    form = {  # shown back in the boxes: never a refused control character (a NUL)
        "q": without_controls(q),
        "skill": without_controls(skill, one_line=True),
        "max_rate": without_controls(max_rate, one_line=True),
        "country": without_controls(country, one_line=True),
        "min_job_success": without_controls(min_job_success, one_line=True),
        "available": without_controls(available, one_line=True),
    }
    return render(
        request,
        "talent.html",
        status,
        results=results,
        form=form,
        error=error,
        pager=pager,
        policy_note=note,
    )


@router.get("/freelancers/{freelancer_id}", response_class=HTMLResponse)
def freelancer_page(
    request: Request,
    engine: EngineDep,
    freelancer_id: str,
    rid: Annotated[str, Query(max_length=64)] = "",
    pos: Annotated[int, Query(ge=0, le=1000)] = 0,
    job: Annotated[str, Query(max_length=200)] = "",
) -> Page:
    """A profile as the user may see it, and (for the person) recommended jobs.

    Reached from a ranking, it records a click tied to that ranking.
    """
    user = signed_in(request, engine)
    if user is None:
        return to_signin(request)
    try:
        profile = user.profile(freelancer_id)
    except TandemError as exc:  # unknown (404), or a role that reads no profiles (403)
        return refusal(request, exc)
    if rid and job:
        _record_click(user, rid, pos, job, freelancer_id)
    owns = user.who.is_freelancer(freelancer_id)
    can_recommend = user.allowed(Action.RECOMMENDATIONS, owns=owns)
    recs = user.serve_recommend(freelancer_id, top=10).results if can_recommend else []
    return render(
        request,
        "freelancer.html",
        f=Freelancer.model_validate(profile, context=STORED),  # read back, as stored
        profile=profile,
        skills=user.profile_skills(freelancer_id),
        recs=recs,
        can_recommend=can_recommend,
        is_me=owns,
    )


def _day(value: str) -> datetime | None:
    """A date from the audit page's form (``None``: empty); a bad one raises ValueError."""
    if not value:
        return None
    when = datetime.fromisoformat(value)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    engine: EngineDep,
    since: Annotated[str, Query(max_length=40)] = "",
    until: Annotated[str, Query(max_length=40)] = "",
) -> Page:
    """The fairness audit report, read-only, for auditors and operators (aggregates only)."""
    from tandem.fairness.render import render_body

    user = signed_in(request, engine)
    if user is None:
        return to_signin(request)
    if not user.allowed(Action.AUDIT_REPORT):
        return forbidden(request, user, Action.AUDIT_REPORT)
    form = {"since": since, "until": until}
    try:
        report = user.audit_report(since=_day(since), until=_day(until))
    except ValueError:
        return render(request, "audit.html", 400, body="", form=form,
                       error="Dates are written like 2026-01-31.")  # fmt: skip
    except TandemError as exc:
        return render(request, "audit.html", 400, body="", form=form, error=str(exc))
    return render(request, "audit.html", body=render_body(report), form=form, error="")
