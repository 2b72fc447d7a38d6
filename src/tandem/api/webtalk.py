"""The assistant on a job's pages without JavaScript: plain forms, answered on the server.

The job page (the client's assistant) and a freelancer's "how to raise my match" page talk
to the assistant over the JSON API (``companion.js``). As on the post page
(:mod:`tandem.api.webpost`), the message box is also a real form: without JavaScript it
posts here, the same :class:`~tandem.companion.dialogue.Companion` answers, and the
conversation comes back as a page of its own (re-rendering the job page would serve, log
and count its ranking again). A pending action (an invite, a proposal) runs only from the
Confirm button, which names it (``.../assistant/confirm``); a typed "yes" is answered by
pointing at Confirm. Who may talk about which job is the engine's rule
(``companion_context``): a refusal is the error page with its status.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from tandem.api.deps import EngineDep
from tandem.api.pages import error_page, posted_by, refusal, render
from tandem.companion.dialogue import Companion
from tandem.engine import Message, UserView
from tandem.errors import NotFoundError, TandemError

router = APIRouter(include_in_schema=False)
Token = Annotated[str, Form(max_length=100)]
SessionField = Annotated[str, Form(max_length=64)]
Text = Annotated[str, Form(max_length=4000)]
#: Where each assistant lives: the job page (``/jobs/ID``), my fit for a job (``/me/jobs/ID``).
PLACES = {"jobs": "/jobs/{}", "me": "/me/jobs/{}"}


def shown(messages: Sequence[Message]) -> list[dict[str, Any]]:
    """Stored turns as the assistant panel (``_companion.html``) shows them."""
    return [{"role": m.role, "text": m.text, "payload": m.payload} for m in messages]


def earlier_turns(user: UserView, job_id: str) -> dict[str, Any]:
    """The panel's context for a page about ``job_id``: one's own latest conversation there.

    A reload of the job page or of my fit page shows the turns so far and goes on in the
    same session, not a blank panel (only a tab's sessionStorage remembered them). Own
    sessions only (:meth:`UserView.latest_companion_session`).
    """
    earlier = user.latest_companion_session(job_id)
    conv, messages = earlier if earlier is not None else (None, [])
    return {
        "session_id": conv.id if conv else None,
        "transcript": shown(messages),
        "pending": conv.state["pending"] if conv else None,
    }


def _page(
    request: Request, user: UserView, back: str, job_id: str, session_id: str, request_id: str
) -> Response:
    """The conversation so far, the message box to go on, and Confirm when an action waits."""
    try:
        job = user.job(job_id)
        conv, messages = Companion(user, typed_yes=False).history(session_id)
    except NotFoundError as exc:
        return error_page(request, 404, str(exc), back=back)
    return render(
        request,
        "assistant.html",
        job=job,
        back=back,
        companion_job_id=job.id,
        companion_key=f"nojs-{job.id}",
        companion_placeholder="Ask the assistant about this job",
        companion_action=f"{back}/assistant",
        session_id=session_id,
        request_id=request_id,
        transcript=shown(messages),
        pending=conv.state["pending"],
        suggestions=[],
    )


def _say(
    request: Request,
    engine: EngineDep,
    back: str,
    job_id: str,
    form: dict[str, str],
) -> Response:
    """One message (or one Confirm) to the assistant about ``job_id``, answered as a page."""
    user = posted_by(request, engine, form["csrf_token"], back=back, title="Not sent")
    if isinstance(user, Response):
        return user
    companion = Companion(user, typed_yes=False)
    session_id, request_id = form["session_id"], form["request_id"] or None
    try:
        if not session_id:
            session_id = companion.open(job_id=job_id, request_id=request_id)[0].id
        if form.get("confirm"):
            companion.say(session_id, "", confirm=form["confirm"])
        else:
            companion.say(session_id, form["text"], request_id=request_id)
    except TandemError as exc:
        return refusal(request, exc, title="Not sent", back=back, back_label="Back to the job")
    return _page(request, user, back, job_id, session_id, form["request_id"])


def _back(place: str, job_id: str) -> str:
    return PLACES[place].format(quote(job_id, safe=""))


@router.post("/jobs/{job_id}/assistant", response_class=HTMLResponse, response_model=None)
@router.post("/me/jobs/{job_id}/assistant", response_class=HTMLResponse, response_model=None)
def say_about_job(
    request: Request,
    engine: EngineDep,
    job_id: str,
    text: Text = "",
    session_id: SessionField = "",
    request_id: SessionField = "",
    csrf_token: Token = "",
) -> Response:
    """A message to the assistant from a job's page (the form without JavaScript)."""
    back = _back("me" if request.url.path.startswith("/me/") else "jobs", job_id)
    form = {"text": text, "session_id": session_id, "request_id": request_id}
    return _say(request, engine, back, job_id, {**form, "csrf_token": csrf_token})


@router.post("/jobs/{job_id}/assistant/confirm", response_class=HTMLResponse, response_model=None)
@router.post(
    "/me/jobs/{job_id}/assistant/confirm", response_class=HTMLResponse, response_model=None
)
def confirm_about_job(
    request: Request,
    engine: EngineDep,
    job_id: str,
    session_id: SessionField,
    confirm: SessionField,
    csrf_token: Token = "",
) -> Response:
    """The Confirm button: run the pending action it names, then show what came of it."""
    back = _back("me" if request.url.path.startswith("/me/") else "jobs", job_id)
    form: dict[str, Any] = {"session_id": session_id, "request_id": "", "confirm": confirm}
    return _say(request, engine, back, job_id, {**form, "csrf_token": csrf_token})
