"""What the marketplace owns in a record its owner writes: kept, never taken from the body.

A freelancer writes their own profile and a client its own jobs, but some fields of those
records are the marketplace's word about them (DATA_FORMAT.md): a freelancer's
``job_success`` ("the marketplace's own success score"), ``rating`` (the mean review score),
``total_jobs`` and ``total_hours`` (its history aggregates) and ``joined_at``; a job's
``created_at``; a client's ``payment_verified``, ``total_spent``, ``hires``, ``rating``
and ``joined_at``. The ranking reads them as evidence, so a person who could set them would
rank themself. One rule, here, for every face that writes through :class:`UserView`:

- replacing a stored record: a field left out (or ``null``) keeps the stored value, a field
  that repeats it is accepted (a GET-modify-PUT round trip works), a different value is
  refused (403) naming the field and why;
- a new record: it has no history, so a history aggregate is refused; its time
  (``joined_at``, ``created_at``) is the time of the write, whatever the body says (the
  field was required before a client could leave it out, and a post is made now).

Operators (and ``tandem import``, which does not act for a user) set every field.

An event's ``ts`` is the marketplace's too (:func:`posted_now`): training reads when an
invite, a hire or a review happened, so a client who could date its own events would
backdate outcomes. A non-operator's event happened when it is posted; an operator
recording history keeps the time it gives.

No face writes a client record yet (clients come in by import); the client's row is here so
that the first face that lets a client write its own record keeps these fields by this rule.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final, Literal, TypeVar

from pydantic import BaseModel

from tandem.domain import Event
from tandem.errors import PermissionDeniedError

Kind = Literal["freelancer", "job", "client"]
M = TypeVar("M", bound=BaseModel)

#: The marketplace-owned fields of each record a user writes, and what each one is.
OWNED: Final[dict[Kind, dict[str, str]]] = {
    "freelancer": {
        "job_success": "the marketplace's own success score",
        "rating": "the mean score of the person's reviews",
        "total_jobs": "the marketplace's count of the person's jobs",
        "total_hours": "the marketplace's count of the person's hours",
        "joined_at": "the time the person joined the marketplace",
    },
    "job": {"created_at": "the time the job was posted"},
    "client": {
        "payment_verified": "the marketplace's check of the client's payment method",
        "total_spent": "the marketplace's sum of what the client has paid",
        "hires": "the marketplace's count of the client's past hires",
        "rating": "the mean score freelancers gave the client",
        "joined_at": "the time the client joined the marketplace",
    },
}
#: The owned fields that are a time: a new record's is the time of the write.
STAMPED: Final[frozenset[str]] = frozenset({"joined_at", "created_at"})


def keep_owned(kind: Kind, given: M, stored: M | None, now: datetime) -> M:
    """``given`` with the marketplace's values of its owned fields (see the module docstring).

    Raises :class:`PermissionDeniedError` for a field the body tries to change.
    """
    kept: dict[str, object] = {}
    for name, meaning in OWNED[kind].items():
        sent = getattr(given, name)
        if stored is None:
            if name in STAMPED:
                kept[name] = now
            elif sent is not None:
                raise _refusal(kind, name, meaning, f"a new {kind} has none yet")
            continue
        held = getattr(stored, name)
        if sent is None or sent == held:
            kept[name] = held
            continue
        raise _refusal(kind, name, meaning, f"it is {_shown(held)}, not {_shown(sent)}")
    return given.model_copy(update=kept)


def posted_now(event: Event, now: datetime) -> Event:
    """``event`` as a non-operator posts it: it happened ``now``, whatever its ``ts`` says.

    Not refused like an owned field: faces fill ``ts`` in (the API's body may leave it out
    since trial 18, older clients send it), so the time given is replaced, not argued with.
    """
    return event.model_copy(update={"ts": now})


def _refusal(kind: Kind, name: str, meaning: str, state: str) -> PermissionDeniedError:
    return PermissionDeniedError(
        f"{name} is {meaning}: only the marketplace sets it ({state}). Leave it out, or send "
        f"the stored value, to save the rest of the {kind}. Who can: operators and imports."
    )


def _shown(value: object) -> str:
    if value is None:
        return "not set"
    return value.isoformat() if isinstance(value, datetime) else repr(value)
