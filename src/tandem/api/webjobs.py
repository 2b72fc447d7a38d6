"""A client closes (or reopens) its own job from the job page.

Closing is a decision about a real post, so it takes two steps: the job page's link opens
a page that says what closing does, and only its form (POST, with the session's CSRF
token) closes the job. Reopening undoes it in one step: nothing is lost either way (the
proposals, the decisions and the decision log stay). Who may do it is the engine's rule
``job.write`` (the job's client, an operator): a refusal is the error page with its status.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tandem.access import Action
from tandem.api.deps import EngineDep
from tandem.api.pages import (
    error_page,
    forbidden,
    posted_by,
    refusal,
    render,
    signed_in,
    to_signin,
)
from tandem.errors import NotFoundError, TandemError

router = APIRouter(include_in_schema=False)


@router.get("/jobs/{job_id}/close", response_class=HTMLResponse)
def close_job_page(request: Request, engine: EngineDep, job_id: str) -> Response:
    """What closing does, and the button that does it (for those who may)."""
    user = signed_in(request, engine)
    if user is None:
        return to_signin(request)
    try:
        job = user.job(job_id)
    except NotFoundError as exc:
        return error_page(request, 404, str(exc))
    if not user.allowed(Action.JOB_WRITE, owns=user.who.owns_client(job.client_id)):
        back = f"/jobs/{quote(job_id, safe='')}"
        return forbidden(request, user, Action.JOB_WRITE, back=back, back_label="Back to the job")
    return render(request, "close_job.html", job=job)


@router.post("/jobs/{job_id}/status", response_model=None)
def set_job_status(
    request: Request,
    engine: EngineDep,
    job_id: str,
    status: Annotated[Literal["open", "closed"], Form()],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Close or reopen the job, then go back to its page."""
    back = f"/jobs/{quote(job_id, safe='')}"
    user = posted_by(request, engine, csrf_token, back=back, title="Not changed")
    if isinstance(user, Response):
        return user
    try:
        user.set_job_status(job_id, status)
    except TandemError as exc:
        return refusal(request, exc, title="Not changed", back=back, back_label="Back to the job")
    return RedirectResponse(back, status_code=303)
