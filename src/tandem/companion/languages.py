"""Pairs of languages a request names in any of the languages clients write in.

A translation job asks for two languages, and clients name them in their own language:
"Traductor de inglés a español", "Traducteur anglais-français", "Übersetzer Deutsch-Englisch",
"dall'inglese all'italiano", "from English into German". Both are languages the freelancer
needs, so two language names joined by nothing but a connector ("to", "a", "vers", "ins", a
dash) give both. One language name alone says too little ("a Spanish bakery"), so it is left
to the rules for stated needs ("fluent in Spanish", in :mod:`tandem.companion.drafts`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from tandem.text.tokens import WORD, fold

#: ISO 639-1 code -> the starts of its name in English, Spanish, French, German, Portuguese,
#: Italian and Dutch (accents folded): "ingl" covers inglés, inglês and inglese.
NAMES: dict[str, tuple[str, ...]] = {
    "en": ("english", "ingles", "anglais", "englisch", "engels"),
    "es": ("spanish", "espanol", "espagnol", "spanisch", "espanhol", "spagnol", "castellan",
           "spaans"),
    "fr": ("french", "frances", "francais", "franzosisch", "frans"),
    "de": ("german", "aleman", "allemand", "deutsch", "alemao", "tedesc", "duits"),
    "it": ("italian", "italiano", "italiana", "italiani", "italien", "italiaans"),
    "pt": ("portugu", "portugai", "portugies", "portoghes"),
    "nl": ("dutch", "neerlandes", "neerlandais", "niederlandisch", "olandes", "nederlands"),
    "ru": ("russian", "ruso", "russe", "russisch", "russo"),
    "zh": ("chinese", "chino", "chinois", "chinesisch", "cinese", "chines", "mandarin"),
    "ja": ("japanese", "japones", "japonais", "japanisch", "giappones"),
    "ar": ("arabic", "arabe", "arabisch", "arabo"),
    "ko": ("korean", "coreano", "coreen", "koreanisch"),
    "pl": ("polish", "polaco", "polonais", "polnisch", "polacco"),
    "tr": ("turkish", "turco", "turc", "turkisch"),
}  # fmt: skip
#: English names: whole words, written with a capital ("polish" is a verb, Germany a country);
#: the other starts are of words that inflect ("Englischen", "inglesa").
ENGLISH_NAMES = frozenset(
    {"english", "spanish", "french", "german", "italian", "portuguese", "dutch", "russian",
     "chinese", "mandarin", "japanese", "arabic", "korean", "polish", "turkish"}
)  # fmt: skip
#: Words that may join the two names of a pair ("from English *into* German", "de inglés *a*
#: español", "vom Englischen *ins* Deutsche", "dall'inglese *all*'italiano").
CONNECTORS = frozenset(
    {"to", "into", "and", "or", "a", "al", "à", "vers", "en", "in", "ins", "nach", "naar",
     "para", "pour", "per", "all", "alla", "allo", "ao", "e", "et", "y", "und", "le", "la",
     "l", "el", "o", "das", "die", "the", "zum", "zu", "au", "do", "da", "del", "of"}
)  # fmt: skip
#: Connectors no other language has: they join English names only. The other languages'
#: starts match English words and names ("Frances and Russell", "chinos and Turkish towels"),
#: and an English "and" between two of those joins people or things, not a pair.
ENGLISH_CONNECTORS = frozenset({"to", "into", "and", "or", "the", "of"})
#: What else may stand between the two names: spaces, a dash, a slash, an arrow, an apostrophe.
JOINERS = re.compile(r"[\s\-–—/>→<'’,]*")
#: At most this many connector words between the two names.
MAX_GAP_WORDS = 3


class Named(NamedTuple):
    """A language name in a text: its code and where it starts and ends."""

    code: str
    start: int
    end: int


def _code(word: str) -> str | None:
    folded = fold(word)
    for code, starts in NAMES.items():
        for start in starts:
            if start in ENGLISH_NAMES:  # the whole word, with its capital ("Germany" is none)
                if folded == start and word[:1].isupper():
                    return code
            elif folded.startswith(start):
                return code
    return None


def paired_names(text: str) -> list[Named]:
    """The language names of ``text`` that stand in a pair ("de inglés a español"), in order."""
    text = unicodedata.normalize("NFC", text)
    named = [
        Named(code, m.start(), m.end())
        for m in WORD.finditer(text)
        if (code := _code(m.group())) is not None
    ]
    paired: dict[int, Named] = {}
    for a, b in zip(named, named[1:], strict=False):
        gap = text[a.end : b.start]
        between = [fold(w) for w in WORD.findall(gap)]
        if len(between) > MAX_GAP_WORDS or any(w not in CONNECTORS for w in between):
            continue
        english = all(fold(text[n.start : n.end]) in ENGLISH_NAMES for n in (a, b))
        if not english and any(w in ENGLISH_CONNECTORS for w in between):
            continue
        if JOINERS.fullmatch(WORD.sub("", gap)):
            paired.update({a.start: a, b.start: b})
    return [paired[k] for k in sorted(paired)]


def language_pairs(text: str) -> list[str]:
    """The codes of the languages named in pairs ("de inglés a español" -> en, es), in order."""
    return list(dict.fromkeys(n.code for n in paired_names(text)))
