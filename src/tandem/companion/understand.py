"""Deterministic understanding of a client's request: duration, experience level, languages.

Small, explicit rules in several languages; money lives in :mod:`tandem.companion.money`.
"""

from __future__ import annotations

import re
from typing import Literal

Level = Literal["entry", "intermediate", "expert"]

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "couple": 2,
    "few": 3, "several": 4, "un": 1, "une": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3,
    "deux": 2, "trois": 3, "ein": 1, "eine": 1, "einen": 1, "zwei": 2, "drei": 3,
}  # fmt: skip
UNIT_WEEKS = {
    "day": 1 / 7, "days": 1 / 7, "week": 1.0, "weeks": 1.0, "wk": 1.0, "wks": 1.0,
    "month": 4.345, "months": 4.345, "mo": 4.345, "year": 52.0, "years": 52.0,
    "semana": 1.0, "semanas": 1.0, "mes": 4.345, "meses": 4.345, "semaine": 1.0,
    "semaines": 1.0, "mois": 4.345, "woche": 1.0, "wochen": 1.0, "monat": 4.345,
    "monate": 4.345, "monaten": 4.345, "tage": 1 / 7, "tagen": 1 / 7, "dias": 1 / 7,
    "días": 1 / 7, "jours": 1 / 7,
}  # fmt: skip
_NUM = r"\d+(?:[.,]\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
DURATION = re.compile(
    rf"\b(?P<a>{_NUM})(?:\s*(?:-|–|to|or|a|à|bis)\s*(?P<b>{_NUM}))?\s*(?:of\s+)?"
    rf"(?P<unit>{'|'.join(sorted(UNIT_WEEKS, key=len, reverse=True))})\b",
    re.IGNORECASE,
)
# Hours a week, years of experience and ages are not how long the job lasts.
NOT_DURATION = re.compile(
    r"^\s*(?:of\s+)?(?:experience|exp\b|old|ago|per\s+week|a\s+week|/\s*week)", re.IGNORECASE
)

WORKLOAD_BEFORE = re.compile(
    r"(?:\b(?:hours?|hrs?|h|times)|\d+\s+\w{3,}s)\s*(?:a|per|every)?\s*$", re.IGNORECASE
)

LEVELS: dict[Level, tuple[str, ...]] = {
    "expert": ("expert", "senior", "sr.", "seasoned", "highly experienced", "very experienced",
               "lead developer", "lead engineer", "tech lead", "team lead", "principal",
               "top-notch", "experienced", "top notch", "experto", "experta", "erfahren",
               "erfahrene", "erfahrenen", "erfahrener",
               "expérimenté", "expérimentée", "sênior", "specialist with 5", "10+ years",
               "8+ years", "7+ years", "6+ years", "5+ years"),
    "intermediate": ("intermediate", "mid-level", "mid level", "some experience", "intermedio",
                     "2+ years", "3+ years", "4+ years", "solid experience"),
    "entry": ("entry", "junior", "jr.", "beginner", "newbie", "student", "no experience needed",
              "principiante", "débutant", "débutante", "anfänger", "trainee", "intern"),
}  # fmt: skip


def _number(token: str) -> float | None:
    token = token.lower().replace(",", ".")
    if token in NUMBER_WORDS:
        return float(NUMBER_WORDS[token])
    try:
        return float(token)
    except ValueError:
        return None


def read_duration_weeks(text: str) -> float | None:
    """How many weeks the work lasts ("3 weeks" -> 3, "2-3 months" -> 13.0), if said."""
    for m in DURATION.finditer(text):
        if NOT_DURATION.match(text[m.end() :]):
            continue
        before = text[max(0, m.start() - 12) : m.start()].lower()
        if WORKLOAD_BEFORE.search(before):  # "5 hours a month" is how much, not how long
            continue
        if re.search(r"(within|in the last|since|old|ago)\s*$", before) and "within" not in before:
            continue
        a = _number(m.group("a"))
        b = _number(m.group("b")) if m.group("b") else None
        if a is None:
            continue
        amount = max(a, b) if b is not None else a
        weeks = amount * UNIT_WEEKS[m.group("unit").lower()]
        return round(weeks, 1)
    return None


def read_experience_level(text: str) -> Level | None:
    """The experience level asked for, if the text says (expert wins over entry on a tie)."""
    lowered = text.lower()
    order: tuple[Level, ...] = ("expert", "intermediate", "entry")
    for level in order:
        for cue in LEVELS[level]:
            if re.search(rf"(?<![\w-]){re.escape(cue)}(?![\w-])", lowered):
                return level
    return None
