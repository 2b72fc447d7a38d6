"""Users, tokens and web sessions: who is asking, resolved once, for every face.

The secrets (API tokens, session ids) are made and hashed here; the store only ever sees
their SHA-256. :meth:`AccessLayer.as_user` is the way in for everything done on someone's
behalf (see :mod:`tandem.engine.acting`).
"""

from __future__ import annotations

import getpass
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tandem.access import Identity, hash_token, new_token, same_hash
from tandem.access.identity import check_binding
from tandem.engine.acting import Surface, UserView
from tandem.engine.privacy import PrivacyLayer
from tandem.errors import NotFoundError, ValidationError
from tandem.store.users import User

#: How long a web sign-in lasts.
SESSION_TTL = timedelta(hours=12)
#: The users ``tandem demo`` creates (and the sign-in page offers in demo mode only).
DEMO_USERS = ("demo-operator", "demo-auditor", "demo-client", "demo-freelancer")


@dataclass(frozen=True)
class WebSession:
    """A signed-in browser: who, the CSRF token its pages must send back, and its user's name.

    The name is what the page header shows (a person reads "alice", not ``u_3f2a...``).
    """

    identity: Identity
    csrf: str
    name: str = ""


def identity_of(user: User) -> Identity:
    """The identity a stored user acts as."""
    return Identity(user.id, user.role, user.client_id, user.freelancer_id)  # type: ignore[arg-type]


class AccessLayer(PrivacyLayer):
    """Users, API tokens, web sessions, and the engine acting for an identity."""

    def as_user(self, who: Identity, surface: Surface = "api") -> UserView:
        """The engine acting for ``who``: every call is checked against the access table."""
        return UserView(self, who, surface)  # type: ignore[arg-type]

    def local_operator(self) -> Identity:
        """Whoever runs the CLI on this machine: it can open the store, so it is an operator."""
        return Identity(user_id=f"local:{getpass.getuser()}", role="operator")

    def named_identity(self, name: str) -> Identity:
        """The identity of the active user called ``name`` (what ``tandem ... --as`` acts as)."""
        user = self.store.users.by_name(name)
        if user is None:
            raise NotFoundError(f"no active user named {name!r} (see tandem users list)")
        return identity_of(user)

    def add_user(
        self,
        name: str,
        role: str,
        *,
        client_id: str | None = None,
        freelancer_id: str | None = None,
    ) -> tuple[User, str]:
        """A new user and its API token (the token is returned once, stored only hashed)."""
        name = name.strip()
        if not name or len(name) > 200:
            raise ValidationError("a user needs a name of 1 to 200 characters")
        problem = check_binding(role, client_id, freelancer_id)
        if problem:
            raise ValidationError(problem)
        if client_id and not self.store.clients.exists([client_id]):
            raise ValidationError(f"client_id {client_id!r} is not in the store")
        if freelancer_id and not self.store.freelancers.exists([freelancer_id]):
            raise ValidationError(f"freelancer_id {freelancer_id!r} is not in the store")
        token = new_token()
        user = User(
            f"u_{secrets.token_hex(8)}", name, role, client_id, freelancer_id, datetime.now(UTC),
            None,
        )  # fmt: skip
        return self.store.users.add(user, hash_token(token)), token

    def users(self) -> list[User]:
        """Every user (never a token)."""
        return self.store.users.all()

    def revoke_user(self, user_id: str) -> User:
        """Revoke a user: its tokens and sessions stop working at once."""
        return self.store.users.revoke(user_id)

    def identify_token(self, token: str) -> Identity | None:
        """The identity an API token belongs to (``None``: no such active token)."""
        if not token or len(token) > 200:
            return None
        found = self.store.users.by_token(hash_token(token))
        if found is None or not same_hash(token, found[1]):
            return None
        return identity_of(found[0])

    def open_web_session(self, who: Identity) -> tuple[str, WebSession]:
        """A new web session for ``who``: the cookie's secret id, and the session."""
        session_id, csrf = new_token(), new_token()
        expires = datetime.now(UTC) + SESSION_TTL
        self.store.users.open_session(hash_token(session_id), who.user_id, csrf, expires)
        return session_id, WebSession(who, csrf)

    def web_session(self, session_id: str) -> WebSession | None:
        """The live session with this cookie id (``None``: unknown, expired or revoked)."""
        if not session_id or len(session_id) > 200:
            return None
        found = self.store.users.session(hash_token(session_id))
        if found is None or not same_hash(session_id, found[2]):
            return None
        return WebSession(identity_of(found[0]), found[1], found[0].name)

    def close_web_session(self, session_id: str) -> None:
        """Sign a browser out."""
        self.store.users.close_session(hash_token(session_id))

    def demo_identity(self, name: str) -> Identity | None:
        """A demo user's identity (the caller checks that demo mode is on)."""
        if name not in DEMO_USERS:
            return None
        user = self.store.users.by_name(name)
        return identity_of(user) if user else None

    def demo_sign_ins(self) -> list[str]:
        """The demo users a one-click sign-in works for now, in :data:`DEMO_USERS` order.

        A demo user goes with the person it is bound to when that person is erased (trial:
        the sign-in page still offered "demo-freelancer" after its freelancer erased their
        data, and the click answered "That token is not valid"): offer only live ones.
        """
        return [name for name in DEMO_USERS if self.demo_identity(name) is not None]

    def ensure_demo_users(self) -> list[str]:
        """One demo user per role, bound to the first client and freelancer (first run only)."""
        made: list[str] = []
        clients, _ = self.store.clients.page(0, 1)
        people, _ = self.store.freelancers.page(0, 1)
        for name in DEMO_USERS:
            if self.store.users.by_name(name) is not None:
                continue
            role = name.removeprefix("demo-")
            client = clients[0].id if role == "client" and clients else None
            person = people[0].id if role == "freelancer" and people else None
            if (role == "client" and not client) or (role == "freelancer" and not person):
                continue
            self.add_user(name, role, client_id=client, freelancer_id=person)
            made.append(name)
        return made
