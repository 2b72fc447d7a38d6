"""A job skill the taxonomy does not know, looked for word for word in a profile's texts.

The mention finder (:mod:`tandem.skills.extract`) names only taxonomy skills, so a job skill
typed in another language or outside the taxonomy ("Buchhaltung") was never found in a
profile, and the explanation said "Buchhaltung: not in skills, title, overview or portfolio"
of an accountant whose overview begins "Monatliche Buchhaltung" (trial 16). A reason that
says a word is absent must have looked for it: such a skill is looked for literally, as a
whole word or phrase, ignoring case and accents (:func:`tandem.text.tokens.fold`, as the
search indexes do), in the same fields the finder reads (title, redacted overview,
portfolio). A literal find is a mention like the finder's and is credited as one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from tandem.search.documents import profile_texts
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

    def listed_as(self, listed: dict[str, str]) -> str | None:
        """The typed skill a profile lists under this name, ignoring case and accents."""
        for name, typed in listed.items():
            if fold(name) == self.key:
                return typed
        return None

    def find(self, texts: Texts) -> str | None:
        """``"field: 'span'"`` of the first whole-word mention in ``texts``, else None.

        The span is quoted as the profile writes it, so the evidence reads as the text does.
        """
        if self._pattern is None:
            return None
        for where, text in texts:
            if not text or self._pattern.search(fold(text)) is None:
                continue
            span = _span(unicodedata.normalize("NFC", text), self._pattern)
            if span is not None:
                return f"{where}: '{span}'"
        return None


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
