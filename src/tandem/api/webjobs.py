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
from tandem.api.deps import SESSION_COOKIE, EngineDep, csrf_ok
from tandem.api.web import _render, _signin, _user
from tandem.errors import NotFoundError, TandemError

router = APIRouter(include_in_schema=False)


@router.get("/jobs/{job_id}/close", response_class=HTMLResponse)
def close_job_page(request: Request, engine: EngineDep, job_id: str) -> Response:
    """What closing does, and the button that does it (for those who may)."""
    user = _user(request, engine)
    if user is None:
        return _signin(request)
    try:
        job = user.job(job_id)
    except NotFoundError as exc:
        return _render(request, "error.html", 404, message=str(exc))
    if not user.allowed(Action.JOB_WRITE, owns=user.who.owns_client(job.client_id)):
        message = "Only the job's client (or an operator) may close it."
        back = f"/jobs/{quote(job_id, safe='')}"
        return _render(request, "error.html", 403, title="Not allowed", message=message, back=back)
    return _render(request, "close_job.html", job=job)


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
    session = engine.web_session(request.cookies.get(SESSION_COOKIE, ""))
    if session is None:
        return RedirectResponse(f"/signin?next={quote(back, safe='')}", status_code=303)
    request.state.csrf, request.state.identity = session.csrf, session.identity
    if not csrf_ok(session.csrf, csrf_token):
        message = "This form expired (or came from another page); reload the job and try again."
        return _render(request, "error.html", 403, title="Not changed", message=message, back=back)
    try:
        engine.as_user(session.identity, "web").set_job_status(job_id, status)
    except TandemError as exc:
        return _render(
            request, "error.html", exc.status_code, title="Not changed", message=str(exc), back=back
        )
    return RedirectResponse(back, status_code=303)
