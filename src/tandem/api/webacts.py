"""The match cards' buttons: a client's decision about a candidate, posted as a plain form.

The form works without JavaScript: it posts ``rid`` (the request id of the ranking the
card came from), the freelancer and the action, with the session's CSRF token, and the
answer is a redirect back to the job page (``303``), which shows what was recorded once
(a short-lived cookie that names the decision). Who may decide is the engine's rule
(:mod:`tandem.engine.deciding`); a refusal is the error page with the engine's status
(403: not this user's job or role; 404: no such ranking; 422: a candidate the ranking
did not show).

*Hire* takes two steps, as closing a job does: the card's button answers a page that says
what hiring records (and that the job stays open: hiring one person does not close it,
since a client may hire several; its client closes it from its page), and only that page's
*Hire* button, which posts ``confirmed=1``, records it. A hire is the strongest training
label and a promise to a person, so one mis-click must not make it. The check runs before
the page is shown, so nobody is asked to confirm a hire the engine would refuse.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from tandem.api.deps import EngineDep
from tandem.api.pages import FLASH_COOKIE, posted_by, refusal, render
from tandem.engine import UserView
from tandem.errors import TandemError

router = APIRouter(include_in_schema=False)
ShortField = Annotated[str, Form(max_length=200)]


@router.post("/jobs/{job_id}/decisions", response_model=None)
def decide_on_card(
    request: Request,
    engine: EngineDep,
    job_id: str,
    rid: Annotated[str, Form(max_length=64)],
    freelancer_id: ShortField,
    action: Annotated[str, Form(max_length=20)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    candidates: Annotated[str, Form(max_length=20)] = "all",
    confirmed: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    """Record one decision from a match card, then go back to the job page.

    A hire not yet ``confirmed`` records nothing and answers the confirmation page.
    """
    back = f"/jobs/{quote(job_id, safe='')}" + (
        "?candidates=proposals" if candidates == "proposals" else ""
    )
    user = posted_by(request, engine, csrf_token, back=back, title="Not recorded")
    if isinstance(user, Response):
        return user
    try:
        if action == "hire" and confirmed != "1":
            return _confirm_hire(request, user, rid, freelancer_id, job_id, candidates, back)
        user.decide_on_match(rid, freelancer_id, action, job_id=job_id)
    except TandemError as exc:
        return refusal(request, exc, title="Not recorded", back=back, back_label="Back to the job")
    response = RedirectResponse(f"{back}#m-{quote(freelancer_id, safe='')}", status_code=303)
    response.set_cookie(
        FLASH_COOKIE, f"{job_id}|{action}|{freelancer_id}", max_age=60, httponly=True,
        samesite="lax", secure=request.url.scheme == "https", path="/",
    )  # fmt: skip
    return response


def _confirm_hire(
    request: Request,
    user: UserView,
    rid: str,
    freelancer_id: str,
    job_id: str,
    candidates: str,
    back: str,
) -> Response:
    """The page that asks "Hire NAME?", once the engine's rule says the hire may be made."""
    decision, job = user.checked_decision(rid, freelancer_id, job_id=job_id)
    user.refuse_second_hire(job.id, freelancer_id)  # hired already: 409, not "Hire NAME?"
    position = next(r.rank for r in decision.results if r.id == freelancer_id)
    name = str(user.profile(freelancer_id).get("name") or freelancer_id)
    return render(
        request,
        "hire_confirm.html",
        job=job,
        person=name,
        rid=rid,
        freelancer_id=freelancer_id,
        position=position,
        candidates="proposals" if candidates == "proposals" else "all",
        back=f"{back}#m-{quote(freelancer_id, safe='')}",
    )
