"""The companion over HTTP: sessions whose state is stored, messages, confirmed actions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from tandem.api.deps import UserDep
from tandem.companion.dialogue import Companion
from tandem.domain.models import UtcTime
from tandem.store.conversations import Conversation, Message

router = APIRouter(prefix="/api/companion", tags=["companion"])


class SessionIn(BaseModel):
    """Where a session is opened: about a job (a client), or for a freelancer.

    ``request_id`` is the ranking the page shows (its decision-log id): "the second one" and
    "why is A above B?" then refer to it.
    """

    job_id: str | None = Field(default=None, max_length=200)
    freelancer_id: str | None = Field(default=None, max_length=200)
    client_id: str | None = Field(default=None, max_length=200)
    request_id: str | None = Field(default=None, max_length=64)


class MessageIn(BaseModel):
    """A message, or the confirmation of a pending action (its id, from a Confirm button).

    ``request_id``: the ranking the page shows now; a new one (after a reload) replaces the
    one the session worked from.
    """

    text: str = Field(default="", max_length=4000)
    confirm: str | None = Field(default=None, max_length=64)
    request_id: str | None = Field(default=None, max_length=64)


class MessageOut(BaseModel):
    """A stored message; the assistant's carry intent, facts with sources, notes, data.

    Times are UTC with their zone whatever the store hands back (SQLite returns them naive).
    """

    seq: int
    ts: UtcTime
    role: str
    text: str
    payload: dict[str, Any]


class SessionOut(BaseModel):
    """A session: its context, the action waiting for a yes (if any), and its messages."""

    id: str
    created_at: UtcTime
    context: dict[str, Any]
    pending: dict[str, Any] | None
    messages: list[MessageOut]


def _out(conv: Conversation, messages: list[Message]) -> SessionOut:
    return SessionOut(
        id=conv.id,
        created_at=conv.created_at,
        context=conv.state["context"],
        pending=conv.state["pending"],
        messages=[MessageOut(**vars(m)) for m in messages],
    )


@router.post("/sessions", response_model=SessionOut, status_code=status.HTTP_201_CREATED)
def open_session(user: UserDep, body: SessionIn) -> SessionOut:
    """Open a session (it starts by saying it is an AI assistant).

    A client opens sessions about its own jobs, a freelancer for its own profile.
    """
    job_id, freelancer_id, client_id = user.companion_context(
        body.job_id, body.freelancer_id, body.client_id
    )
    conv, first = Companion(user, typed_yes=False).open(
        job_id=job_id, freelancer_id=freelancer_id, client_id=client_id, request_id=body.request_id
    )
    return _out(conv, [first])


@router.get("/sessions/{session_id}", response_model=SessionOut)
def get_session(user: UserDep, session_id: str) -> SessionOut:
    """A session with all its messages (only the person who opened it, or an operator)."""
    conv, messages = user.companion_session(session_id)
    return _out(conv, messages)


@router.post(
    "/sessions/{session_id}/messages",
    response_model=SessionOut,
    status_code=status.HTTP_201_CREATED,
)
def send_message(user: UserDep, session_id: str, body: MessageIn) -> SessionOut:
    """Say something; the reply and the session's new state are stored before this returns.

    Returns the session with the two new messages only (yours and the assistant's).
    """
    user.companion_session(session_id, say=True)
    turn = Companion(user, typed_yes=False).say(
        session_id, body.text, confirm=body.confirm, request_id=body.request_id
    )
    return _out(turn.conversation, [turn.said, turn.reply])
