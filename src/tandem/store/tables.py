"""SQLAlchemy tables of the store: the source of truth.

Every entity keeps its full validated record as JSON (so unknown bundle fields
round-trip) plus the few columns queries filter on, and a content hash the
search index uses to find what changed since it last synced.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every Tandem table."""


class _Entity:
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    data: Mapped[dict[str, object]] = mapped_column(JSON, nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)


class FreelancerRow(_Entity, Base):
    """A freelancer profile."""

    __tablename__ = "freelancers"


class ClientRow(_Entity, Base):
    """A client."""

    __tablename__ = "clients"


class JobRow(_Entity, Base):
    """A job post."""

    __tablename__ = "jobs"
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open")
    client_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    __table_args__ = (Index("ix_jobs_status_created", "status", "created_at"),)


class ProposalRow(_Entity, Base):
    """A proposal of a freelancer for a job."""

    __tablename__ = "proposals"
    job_id: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    freelancer_id: Mapped[str] = mapped_column(String(200), nullable=False, index=True)


class DecisionRow(Base):
    """One ranking served: who asked, what, which model, what was shown and why."""

    __tablename__ = "decisions"
    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ts: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, index=True)
    actor: Mapped[str] = mapped_column(String(200), nullable=False)
    surface: Mapped[str] = mapped_column(String(32), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    subject: Mapped[str] = mapped_column(String(500), nullable=False, index=True)
    model_version: Mapped[str] = mapped_column(String(100), nullable=False)
    payload: Mapped[dict[str, object]] = mapped_column(JSON, nullable=False)


class EventRow(_Entity, Base):
    """An event: impression, invite, interview, hire, review..."""

    __tablename__ = "events"
    ts: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, index=True)
    type: Mapped[str] = mapped_column(String(32), nullable=False)
    job_id: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    freelancer_id: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)


class ConversationRow(Base):
    """A companion session: who it is with, where it was opened, and its state."""

    __tablename__ = "conversations"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    actor: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    #: Messages so far; a turn only commits if nobody else appended meanwhile.
    turns: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    state: Mapped[dict[str, object]] = mapped_column(JSON, nullable=False)


class MessageRow(Base):
    """One message of a companion session (the person's or the assistant's)."""

    __tablename__ = "messages"
    session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    ts: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    payload: Mapped[dict[str, object]] = mapped_column(JSON, nullable=False)


class UserRow(Base):
    """A user: one role, bound to a client or a freelancer for those roles."""

    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    client_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    freelancer_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ApiTokenRow(Base):
    """An API token, stored as the SHA-256 of the secret (the secret is shown once)."""

    __tablename__ = "api_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class WebSessionRow(Base):
    """A signed-in browser: the SHA-256 of its cookie's id, its CSRF token, its expiry."""

    __tablename__ = "web_sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    csrf: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
