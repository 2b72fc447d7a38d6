"""Consent changes only when a write says so: the one rule every save of a profile goes through.

A profile written without a ``consent`` field (an API PUT or POST, a re-imported bundle line,
a companion edit) used to be stored with none, which reads as opted in: one update that
simply did not mention consent silently opted a person back into model training. Now each
consent key an update leaves out keeps its stored value; a key it sets (``model_training``
or any other) replaces only that key. A new profile without consent is stored as written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tandem.domain import Freelancer
from tandem.domain.models import Consent


def keep_stored_consent(incoming: Freelancer, stored: Freelancer | None) -> Freelancer:
    """``incoming`` with every consent key it does not set taken from ``stored``."""
    if stored is None or stored.consent is None:
        return incoming
    said = incoming.consent.model_dump(exclude_unset=True) if incoming.consent else {}
    merged = Consent.model_validate(stored.consent.model_dump() | said)
    if merged == incoming.consent:
        return incoming
    return incoming.model_copy(update={"consent": merged})


def keep_stored_consents(
    incoming: Sequence[Freelancer], stored: Mapping[str, Freelancer]
) -> list[Freelancer]:
    """:func:`keep_stored_consent` for a batch, ``stored`` keyed by id."""
    return [keep_stored_consent(f, stored.get(f.id)) for f in incoming]
