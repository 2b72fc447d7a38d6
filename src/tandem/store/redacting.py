"""Redacting an erased person out of a record that belongs to someone else.

A client's companion session that compared candidates, or confirmed a hire of another
person, is the client's record: erasing one of the candidates must not delete it (trial:
erasing f000002 deleted client c00002's session of a hire of f001111, and the client's own
export then showed no conversation beside the hire). The session stays; the erased person
leaves it, replaced by a tombstone in words:

* a JSON object that *describes* them (one of their ids under ``id`` or an ``*_id`` key,
  beside data such as a name, title, score or reasons: a candidate shown, a ranking result,
  a proposal) keeps its keys, and every value becomes the tombstone;
* an object that only *links* ids (a session's ``context``: job, freelancer, client) keeps
  the others' ids, and theirs becomes the tombstone;
* any text (a message, a typed search, a draft) has each of their needles (id, full name,
  email, phone, user ids, a client's job ids) replaced where it stands as a whole token,
  case aside.

The caller finds the records to redact and stores what :func:`redact` returns. Name *parts*
alone ("Hannah") are left: a part is often someone else's name or a common word
("Freelancer 12"), and rewriting it in another person's record would damage that record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: What stands where an erased person was (in words: a reader sees why it is blank).
TOMBSTONE = "[erased person]"
#: What stands where a job of an erased client was.
JOB_TOMBSTONE = "[erased person's job]"


@dataclass(frozen=True)
class Erased:
    """Who to take out: their ids and the strings that name them."""

    #: Ids that are the person (their record id and user ids).
    ids: frozenset[str]
    #: Ids of what is theirs and goes with them (a client's jobs).
    job_ids: frozenset[str]
    #: Strings that identify them in free text (id, name, email, phone, user ids).
    needles: tuple[str, ...]

    def pattern(self) -> re.Pattern[str] | None:
        """One case-blind pattern of every needle as a whole token (longest first)."""
        words = sorted({*self.needles, *self.ids, *self.job_ids}, key=len, reverse=True)
        words = [w for w in words if w]
        if not words:
            return None
        alternation = "|".join(re.escape(w) for w in words)
        return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)


def _is_id_key(key: str) -> bool:
    return key == "id" or key.endswith("_id")


class Redactor:
    """Rewrites JSON values and texts without the erased person (see the module docstring)."""

    def __init__(self, erased: Erased) -> None:
        self._erased = erased
        self._pattern = erased.pattern()
        self._jobs_lower = {j.lower() for j in erased.job_ids}

    def _tombstone_for(self, value: str) -> str:
        return JOB_TOMBSTONE if value.lower() in self._jobs_lower else TOMBSTONE

    def _names_them(self, value: Any) -> bool:
        return isinstance(value, str) and (
            value in self._erased.ids or value in self._erased.job_ids
        )

    def text(self, value: str) -> str:
        """``value`` with every needle replaced by its tombstone."""
        if self._pattern is None:
            return value
        return self._pattern.sub(lambda m: self._tombstone_for(m.group(0)), value)

    def value(self, value: Any) -> Any:
        """A JSON value (state, payload) with the person taken out; the shape is kept."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return self._object(value)
        return value

    def _object(self, obj: dict[str, Any]) -> dict[str, Any]:
        theirs = [k for k, v in obj.items() if _is_id_key(k) and self._names_them(v)]
        if theirs and any(not _is_id_key(k) for k in obj):
            # it describes them: nothing in it is kept, not even a score or a title
            mark = self._tombstone_for(str(obj[theirs[0]]))
            return {k: (None if v is None else mark) for k, v in obj.items()}
        return {
            k: (self._tombstone_for(v) if k in theirs else self.value(v)) for k, v in obj.items()
        }
