"""A freelancer's own pages: my profile, jobs for me, my fit for a job, my proposals.

These are safe GETs: they read through ``engine.as_user`` and write no event (the jobs list
logs its ranking in the decision log, as every served ranking is; it records no impression,
since the job recommender is not trained on them). The writes are forms in
:mod:`tandem.api.webmeacts`. A user who is not bound to a freelancer gets a page that says
so, never somebody else's data.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from tandem.api.deps import EngineDep
from tandem.api.pager import Pager, depth
from tandem.api.pages import PageNumber, error_page, page_number, render, signed_in, to_signin
from tandem.api.web import Page
from tandem.api.webtalk import earlier_turns
from tandem.companion.coaching import Grounded, draft_proposal, job_tips
from tandem.companion.letters import stated_job_price
from tandem.engine import UserView
from tandem.errors import NotFoundError, TandemError
from tandem.skills.typed import SkillChange

router = APIRouter(include_in_schema=False)
#: The profile's saved message, read back once by the next profile page (a flash).
PROFILE_FLASH = "tandem_profile_flash"
#: A sent proposal's id, read back once by the proposals page.
SENT_FLASH = "tandem_sent_flash"


def _mine(request: Request, engine: EngineDep) -> tuple[UserView | None, Response | None]:
    """The signed-in freelancer, or the page to answer instead (sign in, or not yours)."""
    user = signed_in(request, engine)
    if user is None:
        return None, to_signin(request)
    if user.who.role != "freelancer" or not user.who.freelancer_id:
        message = (
            "These pages are a freelancer's own. Sign in as a user bound to a freelancer "
            "(tandem users add NAME --role freelancer --freelancer-id ID)."
        )
        return None, error_page(request, 403, message)
    return user, None


def profile_form(request: Request, user: UserView, status: int = 200, **extra: object) -> Page:
    """The profile form, filled from the stored profile unless ``extra`` carries what was typed."""
    me = user.who.freelancer_id or ""
    person = user.person(me)
    form = {
        "title": person.title,
        "overview": person.overview,
        "skills": ", ".join(person.skills),
        "hourly_rate": f"{person.hourly_rate:g}",
        "availability_hours_per_week": _text(person.availability_hours_per_week),
        "experience_years": _text(person.experience_years),
    }
    context: dict[str, object] = {"form": form, "error": "", "saved": False, "changes": []}
    context.update(extra)
    return render(
        request, "me_profile.html", status, f=person, skills=user.profile_skills(me), **context
    )


def _text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


@router.get("/me/profile", response_class=HTMLResponse)
def my_profile(request: Request, engine: EngineDep) -> Page:
    """My profile, as a form: headline, overview, skills, rate, hours, experience."""
    user, answer = _mine(request, engine)
    if user is None:
        return answer  # type: ignore[return-value]
    saved = PROFILE_FLASH in request.cookies
    changes = read_changes(user, request.cookies.get(PROFILE_FLASH, ""))
    response = profile_form(request, user, saved=saved, changes=changes)
    response.delete_cookie(PROFILE_FLASH, path="/")
    return response


def write_changes(changes: list[SkillChange]) -> str:
    """The saved message's cookie: which typed skills were saved under the taxonomy's names."""
    raw = json.dumps([list(c) for c in changes[:20]]).encode()
    return base64.urlsafe_b64encode(raw).decode()


def read_changes(user: UserView, cookie: str) -> list[SkillChange]:
    """The renamings a cookie names that are true of the profile now (anything else: left out).

    A cookie is the browser's to change, so each pair is checked: the normaliser must turn the
    typed text into that name, and the profile must list it. At worst it shows a true fact.
    """
    try:
        pairs = json.loads(base64.urlsafe_b64decode(cookie.encode()[:4000]))
    except (ValueError, binascii.Error):
        return []
    listed = set(user.person(user.who.freelancer_id or "").skills)
    out = []
    for pair in pairs if isinstance(pairs, list) else []:
        if isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair):
            typed, saved = pair[0][:200], pair[1]
            if saved in listed and user.normaliser.canonical(typed) == saved:
                out.append(SkillChange(typed, saved))
    return out


@router.get("/me/skills/suggest")
def skill_suggestions(
    request: Request, engine: EngineDep, q: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    """What a typed skill will be saved as, and taxonomy names like it (the form's JS)."""
    user = signed_in(request, engine)
    if user is None:
        return JSONResponse({"detail": "sign in first"}, status_code=401)
    return JSONResponse(user.skill_suggestions(q).as_dict())


@router.get("/me/jobs", response_class=HTMLResponse)
def jobs_for_me(request: Request, engine: EngineDep, page: PageNumber = "1") -> Page:
    """Open jobs ranked for me, ``?page=N`` of them, each with its reasons."""
    user, answer = _mine(request, engine)
    if user is None:
        return answer  # type: ignore[return-value]
    number = page_number(page)
    served = user.serve_recommend(user.who.freelancer_id or "", top=depth(number))
    results = served.results[Pager(number, 0, 0).offset :]
    pager = Pager(number, served.total or 0, len(results))
    applied = {p.proposal.job_id for p in user.my_proposals()}
    return render(
        request,
        "me_jobs.html",
        results=results,
        pager=pager,
        applied=applied,
        request_id=served.request_id,
        ranker=served.ranker,
    )


@router.get("/me/jobs/{job_id}", response_class=HTMLResponse)
def my_fit(request: Request, engine: EngineDep, job_id: str) -> Page:
    """How I fit one job: its skills against my profile, and how to raise my match."""
    user, answer = _mine(request, engine)
    if user is None:
        return answer  # type: ignore[return-value]
    me = user.who.freelancer_id or ""
    try:
        job = user.job(job_id)
        feats = user.pair_features(job_id, me)
        tips = job_tips(user, me, job_id)
    except NotFoundError as exc:
        return error_page(request, 404, str(exc))
    mine = next((p for p in user.my_proposals() if p.proposal.job_id == job_id), None)
    return render(
        request, "me_fit.html", job=job, hits=feats.skills.hits, **earlier_turns(user, job.id),
        missing=feats.skills.missing, tips=tips.text.splitlines(), notes=tips.notes, mine=mine,
        companion_job_id=job.id, companion_key=f"fit-{job.id}",
        companion_action=f"/me/jobs/{quote(job.id, safe='')}/assistant",  # without JS
        companion_placeholder="Ask: draft a proposal for this job; any tips for my profile?",
        suggestions=["Draft a proposal for this job", "Any tips for my profile?"],
    )  # fmt: skip


def apply_form(
    request: Request, user: UserView, job_id: str, status: int = 200, **extra: object
) -> Page:
    """The proposal form: the assistant's grounded draft (or what was typed), to edit and send."""
    me = user.who.freelancer_id or ""
    try:
        job = user.job(job_id)
    except NotFoundError as exc:
        return error_page(request, 404, str(exc))
    draft, problem = Grounded(""), ""
    try:
        draft = draft_proposal(user, me, job_id)
    except TandemError as exc:
        problem = f"No draft: {exc}. Write your proposal yourself, or edit your profile first."
    # a fixed-price job's draft states a price for the whole job: the bid field says the same
    price = stated_job_price(draft.text) if job.budget and job.budget.type == "fixed" else None
    bid = "" if price is None else f"{price[0]:.15g}"
    context: dict[str, object] = {"letter": draft.text, "bid": bid, "error": "", "confirm": False}
    context.update(extra)
    person = user.person(me)
    return render(
        request, "me_apply.html", status, job=job, draft=draft, problem=problem,
        currency=person.currency, **context,
    )  # fmt: skip


@router.get("/me/jobs/{job_id}/apply", response_class=HTMLResponse)
def apply_page(request: Request, engine: EngineDep, job_id: str) -> Page:
    """Draft a proposal with the assistant: grounded in my profile, mine to edit, then send."""
    user, answer = _mine(request, engine)
    if user is None:
        return answer  # type: ignore[return-value]
    mine = next((p for p in user.my_proposals() if p.proposal.job_id == job_id), None)
    if mine is not None:
        message = f"You applied to this job on {mine.proposal.created_at:%Y-%m-%d}: {mine.label}."
        return error_page(
            request, 409, message, title="Already applied",
            back="/me/proposals", back_label="See my proposals",
        )  # fmt: skip
    return apply_form(request, user, job_id)


@router.get("/me/proposals", response_class=HTMLResponse)
def my_proposals(request: Request, engine: EngineDep, page: PageNumber = "1") -> Page:
    """My proposals, newest first, with where each stands."""
    user, answer = _mine(request, engine)
    if user is None:
        return answer  # type: ignore[return-value]
    number = page_number(page)
    every = user.my_proposals()
    pager = Pager(number, len(every), 0)
    shown = every[pager.offset : pager.offset + pager.per_page]
    sent = request.cookies.get(SENT_FLASH, "")
    response = render(
        request,
        "me_proposals.html",
        items=shown,
        pager=Pager(number, len(every), len(shown)),
        sent=next((p for p in every if p.proposal.id == sent), None),
    )
    response.delete_cookie(SENT_FLASH, path="/")
    return response
