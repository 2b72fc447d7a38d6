"""Property-level access: what of a profile each identity may see.

One public projection of a freelancer, used for every response except to the person
themselves and to operators; responses are built from it, not from templates that must
remember to leave fields out.
"""

from __future__ import annotations

from tandem.access.identity import Identity
from tandem.domain import Freelancer

#: Never shown to anyone but the person and operators.
PRIVATE_FIELDS = frozenset({"email", "phone", "attributes", "consent"})


def public_profile(f: Freelancer) -> dict[str, object]:
    """A freelancer as other users see them: no email, phone, attributes or consent."""
    data = f.to_json_dict()
    return {k: v for k, v in data.items() if k not in PRIVATE_FIELDS}


def profile_for(who: Identity, f: Freelancer) -> dict[str, object]:
    """The whole record for the person and operators; the public projection for others."""
    if who.role == "operator" or who.is_freelancer(f.id):
        return f.to_json_dict()
    return public_profile(f)
