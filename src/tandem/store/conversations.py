"""Companion sessions: state and messages, stored so a conversation survives restarts.

A turn (the person's message, the assistant's reply and the new state) is written in one
transaction, and only if the session still has the number of messages the turn started
from: two tabs answering the same session at once cannot interleave their turns. The same
condition lets the companion claim a pending action before running it (it stores the yes
first), so of two confirmations racing only one can claim the action and run it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from tandem.errors import ConflictError, NotFoundError
from tandem.store.tables import ConversationRow, MessageRow


@dataclass(frozen=True)
class Message:
    """One stored message."""

    seq: int
    ts: datetime
    role: str
    text: str
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass
class Conversation:
    """A session as loaded: its state and how many messages it holds."""

    id: str
    actor: str
    created_at: datetime
    turns: int
    state: dict[str, Any]


class ConversationStore:
    """Creates, reads and appends to companion sessions."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def create(self, actor: str, state: dict[str, Any], opening: str) -> Conversation:
        """A new session whose first message is the assistant's ``opening``."""
        now = datetime.now(UTC)
        conv = Conversation(uuid.uuid4().hex, actor, now, 1, state)
        with Session(self._engine) as session, session.begin():
            session.add(
                ConversationRow(
                    id=conv.id, actor=actor, created_at=now, updated_at=now, turns=1, state=state
                )
            )
            session.add(
                MessageRow(
                    session_id=conv.id, seq=0, ts=now, role="assistant", text=opening, payload={}
                )
            )
        return conv

    def get(self, session_id: str) -> Conversation:
        """One session; :class:`NotFoundError` if it does not exist."""
        with Session(self._engine) as session:
            row = session.get(ConversationRow, session_id)
            if row is None:
                raise NotFoundError(f"no companion session {session_id!r}")
            return Conversation(row.id, row.actor, row.created_at, row.turns, dict(row.state))

    def messages(self, session_id: str, after: int = -1) -> list[Message]:
        """The session's messages in order (those with ``seq > after``)."""
        self.get(session_id)
        with Session(self._engine) as session:
            rows = session.scalars(
                select(MessageRow)
                .where(MessageRow.session_id == session_id, MessageRow.seq > after)
                .order_by(MessageRow.seq)
            )
            return [Message(r.seq, r.ts, r.role, r.text, dict(r.payload)) for r in rows]

    def append(
        self,
        conv: Conversation,
        messages: list[tuple[str, str, dict[str, Any]]],
        state: dict[str, Any],
    ) -> list[Message]:
        """Store a turn's messages ``(role, text, payload)`` and the new state, atomically."""
        now = datetime.now(UTC)
        stored = [
            Message(conv.turns + i, now, role, text, payload)
            for i, (role, text, payload) in enumerate(messages)
        ]
        with Session(self._engine) as session, session.begin():
            moved = session.execute(
                update(ConversationRow)
                .where(ConversationRow.id == conv.id, ConversationRow.turns == conv.turns)
                .values(turns=conv.turns + len(stored), updated_at=now, state=state)
            )
            if moved.rowcount != 1:  # type: ignore[attr-defined]
                raise ConflictError(
                    f"session {conv.id!r} changed while this message was answered; send it again"
                )
            session.add_all(
                MessageRow(
                    session_id=conv.id, seq=m.seq, ts=m.ts, role=m.role, text=m.text,
                    payload=m.payload,
                )
                for m in stored
            )  # fmt: skip
        conv.turns += len(stored)
        conv.state = state
        return stored
