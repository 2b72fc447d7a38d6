"""A job skill the taxonomy does not know, looked for word for word in a profile's texts.

The mention finder (:mod:`tandem.skills.extract`) names only taxonomy skills, so a job skill
typed in another language or outside the taxonomy ("Buchhaltung") was never found in a
profile, and the explanation said "Buchhaltung: not in skills, title, overview or portfolio"
of an accountant whose overview begins "Monatliche Buchhaltung" (trial 16). A reason that
says a word is absent must have looked for it: such a skill is looked for literally, as a
whole word or phrase, ignoring case and accents (:func:`tandem.text.tokens.fold`, as the
search indexes do), in the same fields the finder reads (title, overview, portfolio). A
literal find is a mention like the finder's and is credited as one.

Cost: only a job skill the taxonomy does not know is looked for, only in profiles that
neither list nor mention it, and a text is folded only if a cheap ASCII skeleton of it
holds the skill's first word; a text is redacted only to quote it (the evidence never holds
an email or phone number, and a word found only inside one is no mention).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from tandem.search.documents import profile_texts
from tandem.text import redact
from tandem.text.tokens import ALNUM, fold

__all__ = ["LiteralSkill", "Texts", "profile_texts"]

#: (field, text) pairs of a profile, labelled as the finder's mentions are.
Texts = Sequence[tuple[str, str]]


class LiteralSkill:
    """One skill name as a folded whole-word pattern, compiled once per job skill."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.key = fold(" ".join(name.split()))
        body = r"\s+".join(re.escape(part) for part in self.key.split())
        self._pattern = re.compile(rf"(?<!{ALNUM}){body}(?!{ALNUM})") if body else None
        # A text holding the (ASCII) key holds its first word in its ASCII skeleton too.
        first = self.key.split()[0] if body else ""
        self._probe = first if first.isascii() else None

    def listed_as(self, listed: dict[str, str]) -> str | None:
        """The typed skill a profile lists under this name, ignoring case and accents."""
        for name, typed in listed.items():
            if _folded_name(name) == self.key:
                return typed
        return None

    def find(self, texts: Texts) -> str | None:
        """``"field: 'span'"`` of the first whole-word mention in ``texts``, else None.

        ``texts`` may be unredacted (:func:`profile_texts` with ``redacted=False``): the span
        is quoted from the redacted text, as the profile writes it there.
        """
        if self._pattern is None:
            return None
        for where, text in texts:
            if not text or (self._probe is not None and self._probe not in _skeleton(text)):
                continue
            if self._pattern.search(fold(text)) is None:
                continue
            span = _span(unicodedata.normalize("NFC", redact(text)), self._pattern)
            if span is not None:
                return f"{where}: '{span}'"
        return None


@lru_cache(maxsize=1 << 16)
def _folded_name(name: str) -> str:
    """A listed skill's name folded, once per name.

    A served match asks each candidate's listed skills for every unknown job skill, and the
    names repeat across profiles: folding them again cost ~5.6 ms a match for 3 such skills
    over 300 generated profiles (~0.7 ms cached).
    """
    return fold(name)


def _skeleton(text: str) -> str:
    """``fold(text)`` without its non-ASCII letters, at C speed (a filter, never evidence)."""
    return unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()


def _span(text: str, pattern: re.Pattern[str]) -> str | None:
    """The part of ``text`` whose folded form ``pattern`` matches (folding may change lengths)."""
    folded: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        part = fold(char)
        folded.append(part)
        origin.extend([i] * len(part))
    hit = pattern.search("".join(folded))
    if hit is None or hit.end() == hit.start():
        return None
    return text[origin[hit.start()] : origin[hit.end() - 1] + 1]
