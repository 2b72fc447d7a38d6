"""Which parts of a job post state requirements and which state nice-to-haves.

Written from how real posts mark them (a look at public Upwork posts, none of which is kept
here), not from any one generator's phrases:

- **section headers**: a short line ending in a colon ("Requirements:", "Skills required:",
  "Preferred Qualifications:", "Nice to have:", "Bonus points:") or a bare header line
  ("Nice to have"). What follows (bullets, numbered items, lines) belongs to that section
  until the next header; a header that is neither ("Responsibilities:", "Deliverables:")
  ends the section.
- **inline labels**: "Must have: A, B", "Required: A", "Preferred: C", "Optional: D".
- **prose cues**, one clause at a time: "must", "required", "essential", "need",
  "proficient" for requirements; "a plus", "bonus", "nice to have", "preferred",
  "ideally", "desirable", "an advantage", "optional", "not required" for nice-to-haves. A
  clause's own cue beats its section's ("Nice to have: ... but Python is a must" is rare;
  "Requirements: ... - Docker is a plus" is common).

:func:`marked_parts` returns each clause with its strength; the matcher reads the skills each
clause names (:func:`split_skills` combines that with the skills field). Nothing is dropped:
a clause with no cue and no section is ``neutral``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

Strength = Literal["required", "nice", "neutral"]

#: Nice-to-have cues (checked first: "preferred qualifications", "not required").
NICE_CUES: Final = re.compile(
    r"nice[\s-]*to[\s-]*have|good[\s-]*to[\s-]*have|\bbonus\b|\ba\s+(?:big\s+|huge\s+)?plus\b"
    r"|\bis\s+a\s+plus\b|\bplus\s*:|\bpreferred\b|\bpreferably\b|\bideally\b"
    r"|\bdesir(?:able|ed)\b|\badvantage(?:ous)?\b|\boptional\b|\bwould\s+be\s+(?:great|nice)"
    r"|\bnot\s+(?:required|necessary|mandatory)\b|\bextra\s+points?\b|\bappreciated\b",
    re.IGNORECASE,
)
#: Requirement cues.
REQUIRED_CUES: Final = re.compile(
    r"\bmust\b|\brequire(?:d|ments?|s)?\b|\bessential\b|\bmandatory\b|\bneed(?:ed|s)?\b"
    r"|\bproficien(?:t|cy)\b|\bqualifications?\b|\bkey\s+skills\b|\bstrong\b|\bexpert(?:ise)?\b"
    r"|\bcritical\b|\bcompulsory\b",
    re.IGNORECASE,
)
#: A line that only opens a section: a few words and a colon (or a known bare header).
HEADER: Final = re.compile(r"^[\W_]*([^:\n]{2,60}?)\s*:\s*$")
BARE_HEADER: Final = re.compile(
    r"^[\W_]*(nice[\s-]*to[\s-]*have|good[\s-]*to[\s-]*have|bonus(?:\s+points)?|requirements"
    r"|required(?:\s+skills)?|preferred(?:\s+skills|\s+qualifications)?|must[\s-]*haves?"
    r"|qualifications)[\W_]*$",
    re.IGNORECASE,
)
#: "Label: content" on one line, where the label is short (at most five words). Words are
#: split by whitespace that must be there: with optional spaces, a long unbroken run of
#: letters (CJK prose, "xxxx...") could be cut into five words in O(n^5) ways before the
#: missing colon failed it (a 150-letter description held a match for 30 s).
INLINE_LABEL: Final = re.compile(
    r"^[\W_]*([^\W\d_][\w'/&-]*(?:\s+[^\W\d_][\w'/&-]*){0,4})\s*:\s*(\S.*)$"
)
#: Clause breaks: sentence ends, semicolons, and the turn to a nice-to-have inside a sentence.
CLAUSE_BREAK: Final = re.compile(
    r"(?<=[.!?;])\s+|;\s*"
    r"|,?\s+(?=(?:and\s+|but\s+)?(?:ideally|preferably|bonus\s+if|nice\s+to\s+have|plus\s*:))",
    re.IGNORECASE,
)
#: Bullets and numbers that open an item.
ITEM: Final = re.compile(r"^\s*(?:[-*•·▪◦➤→✓✔✅o]\s+|\(?\d{1,2}[.)]\s+|[a-z][.)]\s+)")


def strength_of(text: str) -> Strength:
    """The strength one clause or header states by its own words."""
    if NICE_CUES.search(text):
        return "nice"
    if REQUIRED_CUES.search(text):
        return "required"
    return "neutral"


@dataclass(frozen=True)
class Part:
    """One clause of a post and what it states (its own cue, else its section's)."""

    text: str
    strength: Strength


def _header(line: str) -> str | None:
    if BARE_HEADER.match(line):
        return line
    m = HEADER.match(line)
    return m.group(1) if m and len(m.group(1).split()) <= 8 else None


def marked_parts(text: str) -> list[Part]:
    """The post's clauses, each marked ``required``, ``nice`` or ``neutral``."""
    parts: list[Part] = []
    section: Strength = "neutral"
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        head = _header(line)
        if head is not None:
            section = strength_of(head)
            continue
        is_item = bool(ITEM.match(line))
        if not is_item and section != "neutral" and len(line.split()) > 25:
            section = "neutral"  # a paragraph of prose closes a list section
        line = ITEM.sub("", line, count=1)
        label = INLINE_LABEL.match(line)
        base = section
        if label is not None and strength_of(label.group(1)) != "neutral":
            base = strength_of(label.group(1))
            line = label.group(2)
        for clause in CLAUSE_BREAK.split(line):
            if clause and clause.strip():
                own = strength_of(clause)
                parts.append(Part(clause.strip(), own if own != "neutral" else base))
    return parts


@dataclass(frozen=True)
class SkillSplit:
    """A job's skills as the post marks them.

    ``marked``: whether the text itself marks any skill required or nice-to-have. Without
    marks, a listed skills field is taken as the requirements and skills only the prose names
    as nice-to-haves; with neither, every skill is required (``required`` is all of them).
    With marks and a field, skills the prose names unmarked and the field does not list are
    nice-to-haves too (a post's "I need a Python developer" marks its role, not its extras).
    """

    required: list[str]
    nice: list[str]
    marked: bool


def split_skills(
    skills: Sequence[str],
    field: Iterable[str],
    parts: Sequence[Part],
    named: Callable[[str], list[str]],
) -> SkillSplit:
    """Split ``skills`` (the job's canonical skills) into required and nice-to-have.

    ``field``: the canonical skills of the post's skills field; ``named``: the canonical
    skills a piece of text names. A skill marked both ways counts as required.
    """
    listed = set(field)
    required: dict[str, None] = {}
    nice: dict[str, None] = {}
    prose: dict[str, None] = {}
    for part in parts:
        for name in named(part.text):
            if part.strength == "required":
                required[name] = None
            elif part.strength == "nice":
                nice[name] = None
            else:
                prose[name] = None
    marked = bool(required or nice)
    if marked:
        # the field's skills count as required unless marked nice; so do skills the job has
        # from elsewhere (its title); prose that names more than the field lists names extras
        for s in skills:
            if s not in nice and (s in listed or s not in prose):
                required.setdefault(s, None)
        if listed:
            nice.update(dict.fromkeys(s for s in prose if s not in required))
    elif listed:
        required = dict.fromkeys(s for s in skills if s in listed)
        nice = dict.fromkeys(s for s in [*skills, *prose] if s not in listed)
    else:
        required = dict.fromkeys(skills)
    nice_only = [s for s in nice if s not in required]
    return SkillSplit(list(required), nice_only, marked)
