"""Users, their API tokens (hashes only) and web sessions.

Secrets never reach this module: it is handed SHA-256 hashes and looks rows up by them.
Revoking a user deletes its tokens and sessions in the same transaction, so both stop
working at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from tandem.errors import ConflictError, NotFoundError
from tandem.store.tables import ApiTokenRow, UserRow, WebSessionRow


@dataclass(frozen=True)
class User:
    """A stored user (never its tokens)."""

    id: str
    name: str
    role: str
    client_id: str | None
    freelancer_id: str | None
    created_at: datetime
    revoked_at: datetime | None


def _user(row: UserRow) -> User:
    return User(
        row.id, row.name, row.role, row.client_id, row.freelancer_id, row.created_at,
        row.revoked_at,
    )  # fmt: skip


class UserStore:
    """Creates, finds and revokes users; issues and resolves token and session hashes."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, user: User, token_hash: str) -> User:
        """Store ``user`` with its first API token (``ConflictError`` if the name is taken)."""
        with Session(self._engine) as session, session.begin():
            if session.scalar(select(UserRow.id).where(UserRow.name == user.name)):
                raise ConflictError(f"a user named {user.name!r} already exists")
            session.add(UserRow(**vars(user)))
            session.add(
                ApiTokenRow(token_hash=token_hash, user_id=user.id, created_at=user.created_at)
            )
        return user

    def all(self) -> list[User]:
        """Every user, oldest first."""
        with Session(self._engine) as session:
            rows = session.scalars(select(UserRow).order_by(UserRow.created_at, UserRow.id))
            return [_user(r) for r in rows]

    def by_name(self, name: str) -> User | None:
        """The active user called ``name``, if any."""
        with Session(self._engine) as session:
            row = session.scalar(select(UserRow).where(UserRow.name == name))
            return _user(row) if row is not None and row.revoked_at is None else None

    def revoke(self, user_id: str) -> User:
        """Mark ``user_id`` revoked and delete its tokens and sessions."""
        with Session(self._engine) as session, session.begin():
            row = session.get(UserRow, user_id)
            if row is None:
                raise NotFoundError(f"no user {user_id!r}")
            row.revoked_at = row.revoked_at or datetime.now(UTC)
            session.execute(delete(ApiTokenRow).where(ApiTokenRow.user_id == user_id))
            session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user_id))
            return _user(row)

    def by_token(self, token_hash: str) -> tuple[User, str] | None:
        """The active user holding the token with this hash, and the stored hash."""
        with Session(self._engine) as session:
            found = session.execute(
                select(UserRow, ApiTokenRow.token_hash)
                .join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
                .where(ApiTokenRow.token_hash == token_hash, UserRow.revoked_at.is_(None))
            ).first()
            return (_user(found[0]), found[1]) if found else None

    def open_session(self, id_hash: str, user_id: str, csrf: str, expires_at: datetime) -> None:
        """Store a web session."""
        with Session(self._engine) as session, session.begin():
            session.add(
                WebSessionRow(
                    id_hash=id_hash, user_id=user_id, csrf=csrf,
                    created_at=datetime.now(UTC), expires_at=expires_at,
                )
            )  # fmt: skip

    def session(self, id_hash: str) -> tuple[User, str, str] | None:
        """The active user of an unexpired session, its CSRF token and the stored hash."""
        with Session(self._engine) as session:
            found = session.execute(
                select(UserRow, WebSessionRow)
                .join(WebSessionRow, WebSessionRow.user_id == UserRow.id)
                .where(WebSessionRow.id_hash == id_hash, UserRow.revoked_at.is_(None))
            ).first()
            if found is None:
                return None
            expires = found[1].expires_at
            if expires.tzinfo is None:  # SQLite hands back naive datetimes
                expires = expires.replace(tzinfo=UTC)
            if expires <= datetime.now(UTC):
                return None
            return _user(found[0]), found[1].csrf, found[1].id_hash

    def close_session(self, id_hash: str) -> None:
        """Forget a web session (sign-out)."""
        with Session(self._engine) as session, session.begin():
            session.execute(delete(WebSessionRow).where(WebSessionRow.id_hash == id_hash))
