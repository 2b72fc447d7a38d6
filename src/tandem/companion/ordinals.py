"""Skills a message points at by their place in the draft's list ("the second skill").

A client reads the draft's skills as a list and may name one by its place rather than by
its name: "remove the second skill", "drop the 2nd and 3rd skills", "quita la última
habilidad", "supprime la deuxième compétence", "entferne den zweiten Skill", "remove skill
#2". Read as words, those name no skill, so the edit would add them to the description;
read here, they are positions in the list the client was shown (``JobDraft.skills``, in
order), which :mod:`tandem.companion.editing` turns into the same removal as the skill's name.
Whether the skill is dropped is left to the words around it (the editor's cues), as for a
named skill.
"""

from __future__ import annotations

import re
from typing import NamedTuple

#: Ordinal words -> position (1-based; negative counts from the end), in English, Spanish,
#: French, German and Portuguese; gendered and inflected forms by their shared start.
ORDINAL_WORDS: tuple[tuple[str, int], ...] = (
    (r"second(?:\s+|-)to(?:\s+|-)last|second(?:\s+|-)last|penultimate|pen[úu]ltim[oa]|"
    r"avant(?:\s+|-)derni[eè]re?|vorletzte[nmrs]?", -2),
    (r"last|[úu]ltim[oa]|derni[eè]re?|letzte[nmrs]?", -1),
    (r"first|primer[oa]?|premi[eè]re?|erste[nmrs]?|primeir[oa]", 1),
    (r"second|segund[oa]|seconde?|deuxi[eè]me|zweite[nmrs]?", 2),
    (r"third|tercer[oa]?|troisi[eè]me|dritte[nmrs]?|terceir[oa]", 3),
    (r"fourth|cuart[oa]|quatri[eè]me|vierte[nmrs]?|quart[oa]", 4),
    (r"fifth|quint[oa]|cinqui[eè]me|f[üu]nfte[nmrs]?", 5),
    (r"sixth|sext[oa]|sixi[eè]me|sechste[nmrs]?", 6),
    (r"seventh|s[ée]ptim[oa]|s[ée]tim[oa]|septi[eè]me|siebte[nmrs]?", 7),
    (r"eighth|octav[oa]|oitav[oa]|huiti[eè]me|achte[nmrs]?", 8),
    (r"ninth|noven[oa]|non[oa]|neuvi[eè]me|neunte[nmrs]?", 9),
    (r"tenth|d[ée]cim[oa]|dixi[eè]me|zehnte[nmrs]?", 10),
)  # fmt: skip
#: "2nd", "3rd", "4th", "2º", "2ª", "2e", "2ème", "2." (German): a number marked as a place.
NUMBERED = r"(\d{1,2})(?:st|nd|rd|th|º|ª|°|e|[eè]me|\.)"
ORDINAL = r"(?:" + "|".join(f"(?:{w})" for w, _ in ORDINAL_WORDS) + "|" + NUMBERED + r")"
#: The word for a skill in those languages (singular and plural).
SKILL_NOUN = (
    r"(?:skills?|habilidad(?:es)?|habilidades?|competencias?|comp[ée]tences?|compet[êe]ncias?|"
    r"f[äa]higkeit(?:en)?|kenntnis(?:se)?)"
)
ARTICLE = r"(?:(?:the|el|la|los|las|le|les|l'|den|die|das|der|dem|a|o|as|os)\s*)?"
JOIN = r"\s*(?:,|&|\band\b|\by\b|\be\b|\bet\b|\bund\b)\s*"
#: "the second skill", "the first and third skills", "la segunda habilidad".
BY_ORDINAL = re.compile(
    rf"\b{ARTICLE}(?P<places>{ORDINAL}(?:{JOIN}{ARTICLE}{ORDINAL})*)\s+{SKILL_NOUN}\b",
    re.IGNORECASE,
)
#: "skill 2", "skill #2", "skills 2 and 3", "skill number 2", "Skill Nr. 2".
BY_NUMBER = re.compile(
    rf"\b{SKILL_NOUN}\s*(?:number|no\.?|nr\.?|n[º°]|n[úu]mero|num[ée]ro|#)?\s*"
    rf"(?P<places>\d{{1,2}}(?:{JOIN}#?\d{{1,2}})*)\b",
    re.IGNORECASE,
)
_ONE_ORDINAL = re.compile(ORDINAL, re.IGNORECASE)
_WORDS = [(re.compile(rf"(?:{w})$", re.IGNORECASE), place) for w, place in ORDINAL_WORDS]


class Pointed(NamedTuple):
    """Skills named by place: their indexes in the list, and where the words are in the text."""

    indexes: list[int]
    start: int
    end: int
    #: The places asked for that the list does not have ("the fifth skill" of three).
    missing: list[int]


def _place(word: str) -> int:
    m = re.fullmatch(NUMBERED, word, re.IGNORECASE)
    if m is not None:
        return int(m.group(1))
    for pattern, place in _WORDS:
        if pattern.match(word):
            return place
    raise ValueError(word)  # the pattern that found the word knows it: unreachable


def pointed_at(text: str, count: int) -> list[Pointed]:
    """Every reference by place in ``text`` to a list of ``count`` skills, in text order."""
    found: list[Pointed] = []
    for m in BY_ORDINAL.finditer(text):
        places = [_place(o.group()) for o in _ONE_ORDINAL.finditer(m.group("places"))]
        found.append(_resolve(places, count, m.start(), m.end()))
    for m in BY_NUMBER.finditer(text):
        if any(p.start <= m.start() < p.end for p in found):
            continue
        places = [int(n) for n in re.findall(r"\d+", m.group("places"))]
        found.append(_resolve(places, count, m.start(), m.end()))
    return sorted(found, key=lambda p: p.start)


def _resolve(places: list[int], count: int, start: int, end: int) -> Pointed:
    indexes: list[int] = []
    missing: list[int] = []
    for place in places:
        index = place - 1 if place > 0 else count + place
        if 0 <= index < count and place != 0:
            indexes.append(index)
        else:
            missing.append(place)
    return Pointed(list(dict.fromkeys(indexes)), start, end, missing)
