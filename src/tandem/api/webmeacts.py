"""A freelancer's forms: save my profile, send a proposal. Plain POSTs with the CSRF token.

Both work without JavaScript. A refusal or a bad value comes back as the same form with what
was typed kept and the problem said in words (422, or the engine's status); a success is a
redirect (``303``) to the page that shows the result once. Nothing is sent for the person:
a proposal goes only with its "I have read it" box ticked, pressed by them.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from tandem.api.deps import EngineDep
from tandem.api.pages import error_page, posted_by
from tandem.api.webme import (
    PROFILE_FLASH,
    SENT_FLASH,
    apply_form,
    profile_form,
    write_changes,
)
from tandem.domain import Bid
from tandem.engine import Engine, UserView
from tandem.engine.applying import ProfileEdit
from tandem.errors import TandemError

router = APIRouter(include_in_schema=False)
Short = Annotated[str, Form(max_length=200)]
Long = Annotated[str, Form(max_length=20_000)]
Token = Annotated[str, Form(max_length=100)]


def _freelancer(request: Request, engine: Engine, token: str, back: str) -> UserView | Response:
    """The signed-in freelancer whose form this is, or the answer instead."""
    user = posted_by(request, engine, token, back=back, title="Not saved")
    if isinstance(user, Response):
        return user
    if user.who.role != "freelancer" or not user.who.freelancer_id:
        message = "Only a signed-in freelancer edits their profile or applies to a job."
        return error_page(request, 403, message)
    return user


def _number(value: str, name: str, *, whole: bool = False) -> float | int | None:
    """A form's number (empty: ``None``); anything else raises ValueError naming the field."""
    text = value.strip().replace(",", ".")
    if not text:
        return None
    try:
        return int(text) if whole else float(text)
    except ValueError:
        example = "20" if whole else "45 or 37.5"
        raise ValueError(f"{name} must be a number, like {example} (you wrote {value!r})") from None


@router.post("/me/profile", response_model=None)
def save_profile(
    request: Request,
    engine: EngineDep,
    title: Short = "",
    overview: Long = "",
    skills: Annotated[str, Form(max_length=5000)] = "",
    hourly_rate: Short = "",
    availability_hours_per_week: Short = "",
    experience_years: Short = "",
    csrf_token: Token = "",
) -> Response:
    """Save my profile (skills normalised to the taxonomy), then show it once as saved."""
    user = _freelancer(request, engine, csrf_token, "/me/profile")
    if not isinstance(user, UserView):
        return user
    typed = {
        "title": title, "overview": overview, "skills": skills, "hourly_rate": hourly_rate,
        "availability_hours_per_week": availability_hours_per_week,
        "experience_years": experience_years,
    }  # fmt: skip
    try:
        edit = ProfileEdit(
            title=title,
            overview=overview,
            skills=[s for s in skills.replace("\n", ",").split(",") if s.strip()],
            hourly_rate=_number(hourly_rate, "Hourly rate"),
            availability_hours_per_week=_number(  # type: ignore[arg-type]
                availability_hours_per_week, "Hours a week", whole=True
            ),
            experience_years=_number(experience_years, "Years of experience"),
        )
        saved = user.edit_profile(user.who.freelancer_id or "", edit)
    except ValueError as exc:
        return profile_form(request, user, 422, form=typed, error=str(exc))
    except TandemError as exc:
        return profile_form(request, user, exc.status_code, form=typed, error=str(exc))
    response = RedirectResponse("/me/profile", status_code=303)
    response.set_cookie(
        PROFILE_FLASH, write_changes(saved.changes), max_age=60, httponly=True,
        samesite="lax", secure=request.url.scheme == "https", path="/",
    )  # fmt: skip
    return response


@router.post("/me/jobs/{job_id}/apply", response_model=None)
def send_proposal(
    request: Request,
    engine: EngineDep,
    job_id: str,
    cover_letter: Long = "",
    bid: Short = "",
    confirm: Short = "",
    csrf_token: Token = "",
) -> Response:
    """Send my proposal for a job, only with the "I have read it" box ticked."""
    back = f"/me/jobs/{quote(job_id, safe='')}/apply"
    user = _freelancer(request, engine, csrf_token, back)
    if not isinstance(user, UserView):
        return user
    kept = {"letter": cover_letter, "bid": bid, "confirm": confirm == "yes"}
    if confirm != "yes":
        error = "Nothing was sent: tick “I have read this proposal” to send it."
        return apply_form(request, user, job_id, 422, error=error, **kept)
    try:
        amount = _number(bid, "Your bid")
        proposal = user.apply_to_job(job_id, cover_letter, bid=_bid(user, job_id, amount))
    except ValueError as exc:
        return apply_form(request, user, job_id, 422, error=str(exc), **kept)
    except TandemError as exc:
        error = f"Nothing was sent: {exc}."
        return apply_form(request, user, job_id, exc.status_code, error=error, **kept)
    response = RedirectResponse("/me/proposals", status_code=303)
    response.set_cookie(
        SENT_FLASH, proposal.id, max_age=60, httponly=True,
        samesite="lax", secure=request.url.scheme == "https", path="/",
    )  # fmt: skip
    return response


def _bid(user: UserView, job_id: str, amount: float | int | None) -> Bid | None:
    """A bid in the profile's currency, priced the way the job's budget is (hourly or fixed)."""
    if amount is None:
        return None
    if amount < 0:
        raise ValueError("Your bid must be 0 or more (or left empty: your rate stands)")
    job = user.job(job_id)
    kind = job.budget.type if job.budget else "hourly"
    return Bid(
        amount=amount, type=kind, currency=user.person(user.who.freelancer_id or "").currency
    )
