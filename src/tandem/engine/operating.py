"""An operator's own side: the import log, users, roles and API tokens.

This is the part of :class:`UserView` the operator pages act through. Reading the import log
takes the rule ``import`` (whoever may import may read what imports did); everything about
users and tokens takes ``users.manage``. Both are operators' only in the access table.

Two more rules keep the marketplace steerable. Nobody takes away the last active operator
(by disabling it or giving it another role): then nobody could manage users from the web
or the API again. And an operator does not take away their own operator access (their role,
their user, or their last API token, which is how they sign in): another operator does, so
a slip of the mouse never locks a person out mid-task. The CLI's local operator is not a
stored user, and ``tandem users revoke`` keeps the same rules; whoever can open the store
can still mend it: ``tandem users add`` makes another operator, and ``tandem users revoke
--force`` takes the last one away (a leaked token).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from tandem.access import Action, Identity, decide, hash_token, new_token
from tandem.access.identity import check_binding
from tandem.errors import ConflictError, ValidationError

if TYPE_CHECKING:
    from tandem.engine.facade import Engine
    from tandem.store.imports import ImportEntry
    from tandem.store.users import TokenInfo, User


class UserDetail(NamedTuple):
    """A user and its API tokens (ids and dates; never a secret)."""

    user: User
    tokens: list[TokenInfo]


class IssuedToken(NamedTuple):
    """A token just made: its id, and its secret (shown this once, stored only hashed)."""

    info: TokenInfo
    secret: str


class OperatorActs:
    """Imports, users and tokens (mixed into :class:`UserView`; see the module docstring)."""

    engine: Engine
    who: Identity

    # the import log -----------------------------------------------------------------------
    def imports_page(self, offset: int, limit: int) -> tuple[list[ImportEntry], int]:
        """Newest first: one page of past imports with their reports, and how many there are."""
        decide(self.who, Action.IMPORT, what="the import log")
        return self.engine.store.imports.page(offset, limit)

    def import_entry(self, import_id: str) -> ImportEntry:
        """One import and its validation report."""
        decide(self.who, Action.IMPORT, what="the import log")
        return self.engine.store.imports.get(import_id)

    def import_actors(self, entries: Iterable[ImportEntry]) -> dict[str, str]:
        """Who ran these imports, by name where the actor is a user (else as recorded).

        A person reads "alice", not ``u_3f2a...``; an actor that is no stored user (the
        CLI's ``local:NAME``) is shown as it was recorded.
        """
        decide(self.who, Action.IMPORT, what="the import log")
        actors = {e.actor for e in entries}
        return {a: a for a in actors} | self.engine.store.users.names(actors)

    # users --------------------------------------------------------------------------------
    def users_page(self, offset: int, limit: int) -> tuple[list[User], int]:
        """One page of users with their roles, oldest first, and how many there are."""
        decide(self.who, Action.USERS)
        return self.engine.store.users.page(offset, limit)

    def user_detail(self, user_id: str) -> UserDetail:
        """A user and its tokens."""
        decide(self.who, Action.USERS)
        users = self.engine.store.users
        return UserDetail(users.get(user_id), users.tokens(user_id))

    def create_user(
        self,
        name: str,
        role: str,
        *,
        client_id: str | None = None,
        freelancer_id: str | None = None,
    ) -> tuple[User, IssuedToken]:
        """A new user with its first API token (the secret is returned this once)."""
        decide(self.who, Action.USERS)
        user, secret = self.engine.add_user(
            name, role, client_id=client_id or None, freelancer_id=freelancer_id or None
        )
        first = self.engine.store.users.tokens(user.id)[0]
        return user, IssuedToken(first, secret)

    def change_role(
        self,
        user_id: str,
        role: str,
        *,
        client_id: str | None = None,
        freelancer_id: str | None = None,
    ) -> User:
        """Give a user another role, bound as that role needs (a client to a client id, ...)."""
        decide(self.who, Action.USERS)
        client_id, freelancer_id = client_id or None, freelancer_id or None
        problem = check_binding(role, client_id, freelancer_id)
        if problem:
            raise ValidationError(problem)
        store = self.engine.store
        if client_id and not store.clients.exists([client_id]):
            raise ValidationError(f"client id {client_id!r} is not in the store")
        if freelancer_id and not store.freelancers.exists([freelancer_id]):
            raise ValidationError(f"freelancer id {freelancer_id!r} is not in the store")
        user = store.users.get(user_id)
        if role != "operator":
            self._keep_operator_access(user, "give another role to")
        return store.users.set_role(user_id, role, client_id, freelancer_id)

    def disable_user(self, user_id: str, *, force: bool = False) -> User:
        """Disable a user: its tokens and sessions stop at once; its id stays in the logs.

        ``force`` (``tandem users revoke --force``) is the repair path of whoever runs the
        CLI on the store's machine, e.g. to stop a leaked token of the last operator: it
        skips the last-operator rule and only that; nobody else may use it.
        """
        decide(self.who, Action.USERS)
        if force and not self.who.user_id.startswith("local:"):
            raise ValidationError("only the local operator (tandem users revoke) may force")
        user = self.engine.store.users.get(user_id)
        if user.revoked_at is None and not force:
            self._keep_operator_access(user, "disable")
        return self.engine.revoke_user(user_id)

    def _keep_operator_access(self, user: User, verb: str) -> None:
        """Refuse to take operator access from oneself, or from the last active operator."""
        if user.role != "operator" or user.revoked_at is not None:
            return
        if user.id == self.who.user_id:
            raise ConflictError(
                f"you cannot {verb} yourself: that would end your own operator access "
                "(another operator can)"
            )
        if self.engine.store.users.active_operators() <= 1:
            raise ConflictError(
                f"cannot {verb} {user.name!r}: it is the last active operator "
                "(make another operator first)"
            )

    # tokens -------------------------------------------------------------------------------
    def issue_token(self, user_id: str) -> IssuedToken:
        """Another API token for an active user (the secret is returned this once)."""
        decide(self.who, Action.USERS)
        secret = new_token()
        return IssuedToken(self.engine.store.users.add_token(user_id, hash_token(secret)), secret)

    def revoke_token(self, user_id: str, token_id: str) -> None:
        """Revoke one API token: it stops working at once (the user's other tokens do not)."""
        decide(self.who, Action.USERS)
        users = self.engine.store.users
        if user_id == self.who.user_id and len(users.tokens(user_id)) <= 1:
            raise ConflictError(
                "this is your last API token: without it you could not sign in again "
                "(issue yourself another first)"
            )
        users.revoke_token(user_id, token_id)
