"""Users, their API tokens (hashes only) and web sessions.

Secrets never reach this module: it is handed SHA-256 hashes and looks rows up by them.
Revoking a user deletes its tokens and sessions in the same transaction, so both stop
working at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from tandem.errors import ConflictError, NotFoundError
from tandem.store.db import Database, read_ts


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


#: Hex characters of a token's hash that name it on pages (not a secret: a hash's prefix).
TOKEN_ID_LENGTH = 12


@dataclass(frozen=True)
class TokenInfo:
    """An API token as pages show it: never the secret, nor its whole hash."""

    id: str
    created_at: datetime


_USER = "u.id, u.name, u.role, u.client_id, u.freelancer_id, u.created_at, u.revoked_at"


def _user(row: tuple[Any, ...]) -> User:
    uid, name, role, client_id, freelancer_id, created_at, revoked_at = row[:7]
    return User(
        uid, name, role, client_id, freelancer_id, read_ts(created_at),
        read_ts(revoked_at) if revoked_at is not None else None,
    )  # fmt: skip


class UserStore:
    """Creates, finds and revokes users; issues and resolves token and session hashes."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, user: User, token_hash: str) -> User:
        """Store ``user`` with its first API token (``ConflictError`` if the name is taken)."""
        with self._db.transaction() as tx:
            if tx.scalar("SELECT id FROM users WHERE name = ?", (user.name,)):
                raise ConflictError(f"a user named {user.name!r} already exists")
            created = self._db.ts(user.created_at)
            revoked = self._db.ts(user.revoked_at) if user.revoked_at else None
            tx.execute(
                "INSERT INTO users (id, name, role, client_id, freelancer_id, created_at, "
                "revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (user.id, user.name, user.role, user.client_id, user.freelancer_id, created,
                 revoked),
            )  # fmt: skip
            tx.execute(
                "INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES (?, ?, ?)",
                (token_hash, user.id, created),
            )
        return user

    def all(self) -> list[User]:
        """Every user, oldest first."""
        rows = self._db.fetchall(f"SELECT {_USER} FROM users u ORDER BY u.created_at, u.id")
        return [_user(r) for r in rows]

    def page(self, offset: int, limit: int) -> tuple[list[User], int]:
        """One page of users, oldest first, and how many there are."""
        total = int(self._db.scalar("SELECT COUNT(*) FROM users") or 0)
        rows = self._db.fetchall(
            f"SELECT {_USER} FROM users u ORDER BY u.created_at, u.id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [_user(r) for r in rows], total

    def names(self, user_ids: Iterable[str]) -> dict[str, str]:
        """The names of those of ``user_ids`` that are users (revoked ones too), by id."""
        wanted = sorted(set(user_ids))
        if not wanted:
            return {}
        marks = ", ".join("?" * len(wanted))
        rows = self._db.fetchall(f"SELECT id, name FROM users WHERE id IN ({marks})", wanted)
        return {str(r[0]): str(r[1]) for r in rows}

    def get(self, user_id: str) -> User:
        """One user, revoked or not (``NotFoundError`` if unknown)."""
        row = self._db.fetchone(f"SELECT {_USER} FROM users u WHERE u.id = ?", (user_id,))
        if row is None:
            raise NotFoundError(f"no user {user_id!r}")
        return _user(row)

    def active_operators(self) -> int:
        """How many operator users are not revoked."""
        sql = "SELECT COUNT(*) FROM users WHERE role = ? AND revoked_at IS NULL"
        return int(self._db.scalar(sql, ("operator",)) or 0)

    def set_role(
        self, user_id: str, role: str, client_id: str | None, freelancer_id: str | None
    ) -> User:
        """Give an active user another role (and binding); its tokens and sessions follow."""
        with self._db.transaction() as tx:
            found = tx.execute(
                "UPDATE users SET role = ?, client_id = ?, freelancer_id = ? "
                "WHERE id = ? AND revoked_at IS NULL",
                (role, client_id, freelancer_id, user_id),
            )
            if not found.rowcount:
                raise NotFoundError(f"no active user {user_id!r}")
        return self.get(user_id)

    def tokens(self, user_id: str) -> list[TokenInfo]:
        """A user's API tokens, oldest first: an id (a prefix of the hash) and when made."""
        rows = self._db.fetchall(
            "SELECT token_hash, created_at FROM api_tokens WHERE user_id = ? "
            "ORDER BY created_at, token_hash",
            (user_id,),
        )
        return [TokenInfo(h[:TOKEN_ID_LENGTH], read_ts(at)) for h, at in rows]

    def add_token(self, user_id: str, token_hash: str) -> TokenInfo:
        """Another API token for an active user."""
        now = datetime.now(UTC)
        with self._db.transaction() as tx:
            active = tx.scalar(
                "SELECT id FROM users WHERE id = ? AND revoked_at IS NULL", (user_id,)
            )
            if not active:
                raise NotFoundError(f"no active user {user_id!r}")
            tx.execute(
                "INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES (?, ?, ?)",
                (token_hash, user_id, self._db.ts(now)),
            )
        return TokenInfo(token_hash[:TOKEN_ID_LENGTH], now)

    def revoke_token(self, user_id: str, token_id: str) -> None:
        """Delete the user's token whose id is ``token_id`` (``NotFoundError``: none)."""
        if len(token_id) != TOKEN_ID_LENGTH or not token_id.isalnum():
            raise NotFoundError(f"no token {token_id!r}")
        with self._db.transaction() as tx:
            gone = tx.execute(
                "DELETE FROM api_tokens WHERE user_id = ? AND token_hash LIKE ?",
                (user_id, f"{token_id}%"),
            )
            if not gone.rowcount:
                raise NotFoundError(f"no token {token_id!r} of user {user_id!r}")

    def by_name(self, name: str) -> User | None:
        """The active user called ``name``, if any."""
        row = self._db.fetchone(
            f"SELECT {_USER} FROM users u WHERE u.name = ? AND u.revoked_at IS NULL", (name,)
        )
        return _user(row) if row is not None else None

    def revoke(self, user_id: str) -> User:
        """Mark ``user_id`` revoked and delete its tokens and sessions."""
        with self._db.transaction() as tx:
            row = tx.fetchone(f"SELECT {_USER} FROM users u WHERE u.id = ?", (user_id,))
            if row is None:
                raise NotFoundError(f"no user {user_id!r}")
            user = _user(row)
            if user.revoked_at is None:
                now = datetime.now(UTC)
                user = replace(user, revoked_at=now)
                tx.execute(
                    "UPDATE users SET revoked_at = ? WHERE id = ?", (self._db.ts(now), user_id)
                )
            tx.execute("DELETE FROM api_tokens WHERE user_id = ?", (user_id,))
            tx.execute("DELETE FROM web_sessions WHERE user_id = ?", (user_id,))
            return user

    def by_token(self, token_hash: str) -> tuple[User, str] | None:
        """The active user holding the token with this hash, and the stored hash."""
        row = self._db.fetchone(
            f"SELECT {_USER}, t.token_hash FROM users u JOIN api_tokens t ON t.user_id = u.id "
            "WHERE t.token_hash = ? AND u.revoked_at IS NULL",
            (token_hash,),
        )
        return (_user(row), row[7]) if row is not None else None

    def open_session(self, id_hash: str, user_id: str, csrf: str, expires_at: datetime) -> None:
        """Store a web session."""
        with self._db.transaction() as tx:
            tx.execute(
                "INSERT INTO web_sessions (id_hash, user_id, csrf, created_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (id_hash, user_id, csrf, self._db.ts(datetime.now(UTC)), self._db.ts(expires_at)),
            )

    def session(self, id_hash: str) -> tuple[User, str, str] | None:
        """The active user of an unexpired session, its CSRF token and the stored hash."""
        row = self._db.fetchone(
            f"SELECT {_USER}, s.csrf, s.id_hash, s.expires_at FROM users u "
            "JOIN web_sessions s ON s.user_id = u.id "
            "WHERE s.id_hash = ? AND u.revoked_at IS NULL",
            (id_hash,),
        )
        if row is None or read_ts(row[9]) <= datetime.now(UTC):
            return None
        return _user(row), row[7], row[8]

    def close_session(self, id_hash: str) -> None:
        """Forget a web session (sign-out)."""
        with self._db.transaction() as tx:
            tx.execute("DELETE FROM web_sessions WHERE id_hash = ?", (id_hash,))
