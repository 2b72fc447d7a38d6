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

from tandem.errors import ConflictError, NotFoundError
from tandem.store.db import Database, json_param, load_json, read_ts


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

    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, actor: str, state: dict[str, Any], opening: str) -> Conversation:
        """A new session whose first message is the assistant's ``opening``."""
        now = datetime.now(UTC)
        conv = Conversation(uuid.uuid4().hex, actor, now, 1, state)
        stamp = self._db.ts(now)
        with self._db.transaction() as tx:
            tx.execute(
                "INSERT INTO conversations (id, actor, created_at, updated_at, turns, state) "
                "VALUES (?, ?, ?, ?, 1, ?)",
                (conv.id, actor, stamp, stamp, json_param(state)),
            )
            tx.execute(
                "INSERT INTO messages (session_id, seq, ts, role, text, payload) "
                "VALUES (?, 0, ?, 'assistant', ?, ?)",
                (conv.id, stamp, opening, json_param({})),
            )
        return conv

    def get(self, session_id: str) -> Conversation:
        """One session; :class:`NotFoundError` if it does not exist."""
        row = self._db.fetchone(
            "SELECT id, actor, created_at, turns, state FROM conversations WHERE id = ?",
            (session_id,),
        )
        if row is None:
            raise NotFoundError(f"no companion session {session_id!r}")
        return Conversation(row[0], row[1], read_ts(row[2]), int(row[3]), dict(load_json(row[4])))

    def latest_about_job(self, actor: str, job_id: str, scan: int = 200) -> Conversation | None:
        """``actor``'s most recently used session about ``job_id`` (of its ``scan`` latest).

        What a page about a job resumes after a reload, so the person sees the turns they
        had there. The job is read from each session's state in Python, the same on SQLite
        and PostgreSQL; a person's sessions are few, and ``scan`` bounds the read anyway.
        """
        rows = self._db.fetchall(
            "SELECT id, actor, created_at, turns, state FROM conversations "
            "WHERE actor = ? ORDER BY updated_at DESC LIMIT ?",
            (actor, scan),
        )
        for r in rows:
            state = dict(load_json(r[4]))
            if (state.get("context") or {}).get("job_id") == job_id:
                return Conversation(r[0], r[1], read_ts(r[2]), int(r[3]), state)
        return None

    def messages(self, session_id: str, after: int = -1) -> list[Message]:
        """The session's messages in order (those with ``seq > after``)."""
        self.get(session_id)
        rows = self._db.fetchall(
            "SELECT seq, ts, role, text, payload FROM messages "
            "WHERE session_id = ? AND seq > ? ORDER BY seq",
            (session_id, after),
        )
        return [Message(int(r[0]), read_ts(r[1]), r[2], r[3], dict(load_json(r[4]))) for r in rows]

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
        stamp = self._db.ts(now)
        with self._db.transaction() as tx:
            moved = tx.execute(
                "UPDATE conversations SET turns = ?, updated_at = ?, state = ? "
                "WHERE id = ? AND turns = ?",
                (conv.turns + len(stored), stamp, json_param(state), conv.id, conv.turns),
            )
            if moved.rowcount != 1:
                raise ConflictError(
                    f"session {conv.id!r} changed while this message was answered; send it again"
                )
            tx.executemany(
                "INSERT INTO messages (session_id, seq, ts, role, text, payload) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(conv.id, m.seq, stamp, m.role, m.text, json_param(m.payload)) for m in stored],
            )
        conv.turns += len(stored)
        conv.state = state
        return stored
