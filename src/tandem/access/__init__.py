"""Who may do what: identities, roles, tokens, the permission table, public projections.

Pure rules over domain types: no store, no HTTP. The engine asks :func:`decide` before it
acts for an :class:`Identity`; every face (CLI, API, web, companion) goes through it.
"""

from tandem.access.identity import ROLES, Identity, Role
from tandem.access.projections import (
    PRIVATE_FIELDS,
    PUBLIC_FIELDS,
    profile_for,
    public_profile,
)
from tandem.access.rules import RULES, Action, Scope, decide
from tandem.access.tokens import hash_token, new_token, same_hash

__all__ = [
    "PRIVATE_FIELDS",
    "PUBLIC_FIELDS",
    "ROLES",
    "RULES",
    "Action",
    "Identity",
    "Role",
    "Scope",
    "decide",
    "hash_token",
    "new_token",
    "profile_for",
    "public_profile",
    "same_hash",
]
