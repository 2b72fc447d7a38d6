"""A freelancer's forms: save my profile, send a proposal. Plain POSTs with the CSRF token.

Both work without JavaScript. A refusal or a bad value comes back as the same form with what
was typed kept and the problem said in words (422, or the engine's status); a success is a
redirect (``303``) to the page that shows the result once. Nothing is sent for the person:
a proposal goes only with its "I have read it" box ticked, pressed by them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Annotated
from urllib.parse import quote

import pydantic
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from tandem.api.deps import EngineDep
from tandem.api.pages import error_page, posted_by
from tandem.api.webme import (
    PROFILE_FLASH,
    SENT_FLASH,
    apply_form,
    profile_form,
    write_changes,
)
from tandem.domain import Bid, Freelancer
from tandem.engine import Engine, UserView
from tandem.engine.applying import ProfileEdit
from tandem.errors import TandemError, ValidationError

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


@dataclass(frozen=True)
class NumberField:
    """How one of a form's numbers reads to a person; its limits are its record's field's."""

    label: str
    example: str
    record: type[BaseModel]
    field: str
    whole: bool = False

    @cached_property
    def limits(self) -> tuple[float | None, float | None]:
        """The lowest and highest value the record takes (``None``: no such limit)."""
        schema = self.record.model_json_schema()["properties"][self.field]
        bounded = next((s for s in schema.get("anyOf", [schema]) if "minimum" in s), schema)
        return bounded.get("minimum"), bounded.get("maximum")


#: The freelancer's forms' numbers. Every way one can be wrong (not a number, not finite, out
#: of its record's limits) reads the same: what it must be, an example, and what was typed.
NUMBERS: dict[str, NumberField] = {
    "hourly_rate": NumberField("Hourly rate", "45 or 37.5", Freelancer, "hourly_rate"),
    "availability_hours_per_week": NumberField(
        "Hours a week", "20", Freelancer, "availability_hours_per_week", whole=True
    ),
    "experience_years": NumberField(
        "Years of experience", "5 or 2.5", Freelancer, "experience_years"
    ),
    "bid": NumberField("Your bid", "45 or 37.5", Bid, "amount"),
}


def _number(value: str, name: str) -> float | int | None:
    """A form's number (empty: ``None``); text that is none raises :func:`wrong_number`.

    Whether it is in range (and finite) is its record's rule: the engine says, and the form
    words the refusal with :func:`wrong_number` too.
    """
    text = value.strip().replace(",", ".")
    if not text:
        return None
    try:
        return int(text) if NUMBERS[name].whole else float(text)
    except ValueError:
        raise wrong_number(name, value) from None


def wrong_number(name: str, typed: str) -> ValueError:
    """The one sentence for any bad value of the form's number ``name``."""
    field = NUMBERS[name]
    kind = "a whole number" if field.whole else "a number"
    low, high = field.limits
    if low is not None and high is not None:
        kind += f" from {low:g} to {high:g},"
    elif low is not None:
        kind += f", {low:g} or more,"
    return ValueError(f"{field.label} must be {kind} like {field.example} (you wrote {typed!r})")


def _worded(exc: ValidationError, typed: dict[str, str]) -> str:
    """The engine's refusal, in the form's words when it names one of the form's numbers.

    The profile form's fields are named as the profile's, so the field is the form's too.
    """
    name = exc.field or ""
    if name in NUMBERS and name in typed:
        return str(wrong_number(name, typed[name]))
    return str(exc)


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
            hourly_rate=_number(hourly_rate, "hourly_rate"),
            availability_hours_per_week=_number(  # type: ignore[arg-type]
                availability_hours_per_week, "availability_hours_per_week"
            ),
            experience_years=_number(experience_years, "experience_years"),
        )
        saved = user.edit_profile(user.who.freelancer_id or "", edit)
    except ValueError as exc:
        return profile_form(request, user, 422, form=typed, error=str(exc))
    except ValidationError as exc:  # a number the profile refuses: said as the form says it
        said = _worded(exc, typed)
        return profile_form(request, user, exc.status_code, form=typed, error=said)
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
        proposal = user.apply_to_job(job_id, cover_letter, bid=_bid(user, job_id, bid))
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


def _bid(user: UserView, job_id: str, typed: str) -> Bid | None:
    """A bid in the profile's currency, priced the way the job's budget is (hourly or fixed).

    Empty: no bid (the person's rate stands). A value a bid refuses (below 0, not finite)
    reads as any bad number of the form does (:func:`wrong_number`).
    """
    amount = _number(typed, "bid")
    if amount is None:
        return None
    job = user.job(job_id)
    kind = job.budget.type if job.budget else "hourly"
    currency = user.person(user.who.freelancer_id or "").currency
    try:
        return Bid(amount=amount, type=kind, currency=currency)
    except pydantic.ValidationError:
        raise wrong_number("bid", typed) from None
