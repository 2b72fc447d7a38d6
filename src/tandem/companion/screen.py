"""What the person is looking at: the ranking a page or an earlier answer showed them.

"Invite the second one" and "why is A above B?" are about the people on screen. A page passes
its ranking's request id; the people, their order and their reasons are then read from the
decision log, so the companion refers to exactly what was shown, in the order it was shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tandem.errors import NotFoundError, ValidationError
from tandem.text.counts import counted

if TYPE_CHECKING:
    from tandem.engine import UserView

ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "top": 1, "last": -1,
    "primero": 1, "primer": 1, "segundo": 2, "tercero": 3, "tercer": 3, "premier": 1,
    "première": 1, "deuxième": 2, "second e": 2, "troisième": 3, "erste": 1, "ersten": 1,
    "zweite": 2, "zweiten": 2, "dritte": 3, "dritten": 3, "primeiro": 1, "terceiro": 3,
}  # fmt: skip
ONE = r"(?:\s+(?:one|person|candidate|freelancer|result|uno|una|un|une|eins|einen|um|uma))?"


@dataclass(frozen=True)
class OnScreen:
    """A logged ranking of people: its request id, kind and the people in rank order."""

    request_id: str
    kind: str
    people: list[dict[str, str]]


def from_log(acting: UserView, request_id: str, *, job_id: str | None) -> OnScreen:
    """The people a logged ranking showed, for a session of ``acting``'s user (about ``job_id``).

    A session may refer to a ranking its own user was shown, or to the matches of its own
    job; any other request id is reported as unknown (it is not this session's to read).
    """
    decision = acting.decision(request_id)
    own_job = decision.kind == "match" and job_id is not None and decision.subject == job_id
    if decision.actor != acting.who.user_id and not own_job:
        raise NotFoundError(f"no decision {request_id!r}")
    if decision.kind not in ("match", "search_talent"):
        raise ValidationError(f"ranking {request_id} is of jobs, not of people")
    if decision.kind == "match" and job_id is not None and decision.subject != job_id:
        raise ValidationError(f"ranking {request_id} is for job {decision.subject}, not this one")
    ranked = sorted(decision.results, key=lambda r: r.rank)
    found = acting.people(r.id for r in ranked)
    people = [
        {"id": r.id, "name": found[r.id].name, "title": found[r.id].title or ""}
        for r in ranked
        if r.id in found
    ]
    return OnScreen(request_id, decision.kind, people)


def resolve(who: str, shown: list[dict[str, str]]) -> dict[str, str]:
    """Someone shown, by id, name, first name, "#2", "the second (one)" or "the last one"."""
    key = re.sub(r"^(?:the|el|la|le|der|die|das|o|a)\s+", "", who.strip().lower()).strip()
    if not shown:
        raise ValidationError("I have not shown anyone yet: ask me to find or match first")
    m = re.fullmatch(r"(?:#|no\.?\s*|number\s*)?(\d{1,2})(?:st|nd|rd|th|º|ª|\.)?" + ONE, key)
    word = re.fullmatch(r"(\w+(?:\s\w)?)" + ONE, key)
    position = int(m.group(1)) if m else ORDINALS.get(word.group(1)) if word else None
    if position == -1:
        position = len(shown)
    if position is not None:
        if 1 <= position <= len(shown):
            return shown[position - 1]
        raise ValidationError(
            f"I showed {counted(len(shown), 'person', 'people')}, so there is no #{position}"
        )
    for test in (
        lambda p: p["id"].lower() == key,
        lambda p: p["name"].lower() == key,
        lambda p: p["name"].lower().split()[0] == key,
        lambda p: key in p["name"].lower(),
    ):
        hits = [p for p in shown if test(p)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            names = ", ".join(f"{p['name']} ({p['id']})" for p in hits)
            raise ValidationError(f"“{who}” could be {names}: which one?")
    names = ", ".join(p["name"] for p in shown[:10])
    raise ValidationError(f"I did not show anyone called “{who}”; I showed: {names}")
