"""Posting a job without JavaScript: the post page's assistant as plain forms.

The post page's assistant normally talks over the JSON API (``companion.js``). Its message
box is also a real form (``POST /jobs/new``), so without JavaScript the same conversation
runs on the server: the reply and the draft come back as a page, changes are made by saying
so, and only the Confirm button (``POST /jobs/new/confirm``, naming the pending action) posts
the job. It is the same :class:`~tandem.companion.dialogue.Companion` with the same rule:
a typed "post it" is answered by pointing at Confirm, never acted on.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tandem.access import Action
from tandem.access.rules import refusal_in_words
from tandem.api.deps import EngineDep
from tandem.api.pages import error_page, posted_by, refusal, render
from tandem.companion.dialogue import Companion
from tandem.engine import UserView
from tandem.errors import TandemError

router = APIRouter(include_in_schema=False)
Token = Annotated[str, Form(max_length=100)]
SessionField = Annotated[str, Form(max_length=64)]
BACK = "/jobs/new"


def post_page(
    request: Request,
    status: int = 200,
    *,
    session_id: str = "",
    messages: list[dict[str, Any]] | None = None,
    pending: dict[str, Any] | None = None,
) -> HTMLResponse:
    """The post page; after a message sent without JavaScript, with the conversation so far."""
    return render(
        request,
        "post.html",
        status,
        companion_job_id=None,
        companion_key="new-job",
        companion_placeholder="e.g. I need a logo for my bakery, budget $300, within 2 weeks",
        companion_action=BACK,
        session_id=session_id,
        transcript=messages or [],
        pending=pending,
        suggestions=[],
    )


def _poster(request: Request, engine: EngineDep, token: str) -> UserView | Response:
    user = posted_by(request, engine, token, back=BACK, title="Not posted")
    if isinstance(user, Response):
        return user
    if not user.allowed(Action.JOB_WRITE, owns=bool(user.who.client_id)):
        return error_page(request, 403, refusal_in_words(user.who, Action.JOB_WRITE))
    return user


@router.post("/jobs/new", response_class=HTMLResponse, response_model=None)
def say_on_post_page(
    request: Request,
    engine: EngineDep,
    text: Annotated[str, Form(max_length=4000)] = "",
    session_id: SessionField = "",
    csrf_token: Token = "",
) -> Response:
    """One message to the post page's assistant (the form without JavaScript)."""
    user = _poster(request, engine, csrf_token)
    if not isinstance(user, UserView):
        return user
    companion = Companion(user, typed_yes=False)
    try:
        if not session_id:
            job_id, freelancer_id, client_id = user.companion_context(None, None, None)
            session_id = companion.open(client_id=client_id)[0].id
        companion.say(session_id, text)
        conv, messages = companion.history(session_id)
    except TandemError as exc:
        return refusal(request, exc, title="Not drafted", back=BACK, back_label="Start again")
    shown = [{"role": m.role, "text": m.text, "payload": m.payload} for m in messages]
    return post_page(request, session_id=session_id, messages=shown, pending=conv.state["pending"])


@router.post("/jobs/new/confirm", response_model=None)
def confirm_on_post_page(
    request: Request,
    engine: EngineDep,
    session_id: SessionField,
    confirm: SessionField,
    csrf_token: Token = "",
) -> Response:
    """The Confirm button: run the pending action it names (posting the draft), then show it."""
    user = _poster(request, engine, csrf_token)
    if not isinstance(user, UserView):
        return user
    try:
        turn = Companion(user, typed_yes=False).say(session_id, "", confirm=confirm)
    except TandemError as exc:
        return refusal(request, exc, title="Not posted", back=BACK, back_label="Start again")
    job_id = turn.reply.payload.get("data", {}).get("job_id")
    if not job_id:  # the action ran and failed: its reply says why
        return error_page(request, 409, turn.reply.text, title="Not posted", back=BACK)
    return RedirectResponse(f"/jobs/{quote(str(job_id), safe='')}", status_code=303)
