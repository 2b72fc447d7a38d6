"""An identity: a user with one role, bound to the client or freelancer it acts for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Role = Literal["operator", "auditor", "client", "freelancer"]
ROLES: tuple[Role, ...] = get_args(Role)


@dataclass(frozen=True)
class Identity:
    """Who is asking: a user id (the actor in every log), a role and the record it is bound to.

    ``client_id`` is set for (and only for) a client; ``freelancer_id`` for a freelancer.
    """

    user_id: str
    role: Role
    client_id: str | None = None
    freelancer_id: str | None = None

    def owns_client(self, client_id: str | None) -> bool:
        """Whether this identity acts for ``client_id`` (a client bound to it)."""
        return self.role == "client" and client_id is not None and client_id == self.client_id

    def is_freelancer(self, freelancer_id: str | None) -> bool:
        """Whether this identity is the freelancer ``freelancer_id``."""
        return (
            self.role == "freelancer"
            and freelancer_id is not None
            and freelancer_id == self.freelancer_id
        )


def check_binding(role: str, client_id: str | None, freelancer_id: str | None) -> str | None:
    """What is wrong with binding ``role`` to these ids (``None``: nothing).

    Worded for every face (a web form's field and a CLI option name the same "client id").
    """
    if role not in ROLES:
        return f"unknown role {role!r}; one of {', '.join(ROLES)}"
    if role == "client" and (not client_id or freelancer_id):
        return "a client user needs a client id (and no freelancer id)"
    if role == "freelancer" and (not freelancer_id or client_id):
        return "a freelancer user needs a freelancer id (and no client id)"
    if role in ("operator", "auditor") and (client_id or freelancer_id):
        return f"an {role} user takes neither a client id nor a freelancer id"
    return None
