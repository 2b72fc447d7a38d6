"""Pairs of languages a request names in any of the languages clients write in.

A translation job asks for two languages, and clients name them in their own language:
"Traductor de inglés a español", "Traducteur anglais-français", "Übersetzer Deutsch-Englisch",
"dall'inglese all'italiano", "from English into German". Both are languages the freelancer
needs, so two language names joined by nothing but a connector ("to", "a", "vers", "ins", a
dash) give both. One language name alone says too little ("a Spanish bakery"); it is a need
only beside words that state one, in any of those languages: "Deutsch erforderlich",
"Französisch fließend", "se requiere inglés", "français exigé", "fluent Spanish required"
(:func:`needed_names`).
"""

from __future__ import annotations

import functools
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
#: Starts of words (accents folded) that state a language as a need on either side of its
#: name: required, requiere, requis, erforderlich, exigé, obligatorio, essential, necesario,
#: fluent, fließend, fluido, courant, native, Muttersprache, madrelingua, speak, hablar, parler.
NEED_STARTS = (
    "requir", "requier", "requis", "requer", "erforder", "exig", "obligat", "obbligat",
    "obrigat", "mandator", "essential", "indispens", "imprescind", "necess", "notwendig",
    "vorausgesetzt", "voraussetzung", "vereist", "noodzak", "fluen", "fluid", "fliess",
    "flussig", "couram", "vloeiend", "nativ", "natif", "muttersprach", "madrelingua",
    "moedertaal", "speak", "spoken", "hablant", "sprech", "sprich", "bilingu", "proficien",
    "verhandlungssicher", "dominio", "maitris",
)  # fmt: skip
#: Whole words that state a need (their starts are other words: "parl" is parliament).
NEED_WORDS = frozenset(
    {"courant", "must", "hablar", "habla", "hable", "parle", "parler", "parlez", "parlant",
     "parlare", "parla", "falar", "fala", "falante", "spreken", "spricht"}
)  # fmt: skip
#: Words that state a need only after the name ("Spanish needed"; "need English copy" is no
#: need of a person's language).
NEED_AFTER = frozenset({"needed", "wanted", "benotigt", "gesucht", "souhaite"})
#: Words that may stand between a language and the words stating the need ("German *is*
#: required", "se requiere *nivel alto de* inglés", "Deutsch *sehr gut und* fließend").
NEED_GAP = frozenset(
    {"in", "en", "em", "de", "del", "du", "des", "d", "di", "do", "da", "of", "the", "l", "le",
     "la", "el", "a", "an", "is", "ist", "est", "es", "e", "y", "et", "und", "and", "or", "o",
     "ou", "oder", "be", "se", "sein", "ser", "etre", "essere", "sind", "sont", "son", "also",
     "auch", "aussi", "very", "sehr", "muy", "tres", "muito", "molto", "good", "gut", "gute",
     "guten", "gutes", "buen", "bueno", "buena", "bon", "bonne", "bom", "boa", "buono", "strong",
     "excellent", "excelente", "eccellente", "perfect", "perfekt", "parfait", "perfecto",
     "perfeito", "advanced", "avanzado", "avance", "avancado", "avanzato", "high", "alto",
     "level", "nivel", "niveau", "livello", "c1", "c2", "b1", "b2", "written", "escrito",
     "ecrit", "schriftlich", "both", "ambos"}
)  # fmt: skip
#: Words (accents folded) that deny a need before a language's name: "no French necessary",
#: "kein Spanisch erforderlich", "sin inglés", "sans anglais", "without German".
NEGATIONS = frozenset(
    {"no", "not", "without", "kein", "keine", "keinen", "ohne", "nicht", "sin", "sans", "pas",
     "non", "nao", "sem", "senza", "geen", "zonder", "niet"}
)  # fmt: skip
#: At most this many words between a language and the words stating the need.
MAX_NEED_GAP = 4
#: What ends a clause: a need on one side of it is not the other side's ("Spanish bakery.
#: English required" needs English only).
CLAUSE_END = re.compile(r"[.;:!?,\n]")


class Named(NamedTuple):
    """A language name in a text: its code and where it starts and ends."""

    code: str
    start: int
    end: int


@functools.lru_cache(maxsize=8192)  # every word of every request is looked up, and words repeat
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


def language_names(text: str) -> list[Named]:
    """Every language name of ``text`` (NFC), in any of the languages above, in order."""
    return [
        Named(code, m.start(), m.end())
        for m in WORD.finditer(text)
        if (code := _code(m.group())) is not None
    ]


def paired_names(text: str) -> list[Named]:
    """The language names of ``text`` that stand in a pair ("de inglés a español"), in order."""
    text = unicodedata.normalize("NFC", text)
    named = language_names(text)
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


def _states_need(word: str, *, after: bool) -> bool:
    folded = fold(word)
    return (
        folded.startswith(NEED_STARTS) or folded in NEED_WORDS or (after and folded in NEED_AFTER)
    )


def needed_names(text: str) -> list[Named]:
    """The language names of ``text`` stated as a need ("Deutsch erforderlich"), in order.

    A name is a need when words that state one stand beside it in the same clause, before
    ("se requiere inglés", "fluent in English") or after ("français exigé", "Französisch
    fließend"), with at most :data:`MAX_NEED_GAP` small words (:data:`NEED_GAP`) or other
    language names between ("Spanish and English required" needs both).
    """
    text = unicodedata.normalize("NFC", text)
    tokens = list(WORD.finditer(text))
    codes = [_code(m.group()) for m in tokens]
    found: list[Named] = []
    for i, code in enumerate(codes):
        if code is None or _denied(text, tokens, codes, i):
            continue
        if _need_beside(text, tokens, codes, i, 1) or _need_beside(text, tokens, codes, i, -1):
            found.append(Named(code, tokens[i].start(), tokens[i].end()))
    return found


def _denied(text: str, tokens: list[re.Match[str]], codes: list[str | None], i: int) -> bool:
    """Whether a negation stands before the name at ``i`` in its clause ("no French needed").

    Through the small words and other names a need may have between ("no Spanish or French
    required" needs neither), at most :data:`MAX_NEED_GAP` of them.
    """
    for gap, j in enumerate(range(i - 1, -1, -1)):
        if gap > MAX_NEED_GAP or CLAUSE_END.search(text, tokens[j].end(), tokens[j + 1].start()):
            return False
        word = fold(tokens[j].group())
        if word in NEGATIONS:
            return True
        if codes[j] is None and word not in NEED_GAP:
            return False
    return False


def _need_beside(
    text: str, tokens: list[re.Match[str]], codes: list[str | None], i: int, step: int
) -> bool:
    """Whether words stating a need follow (``step`` 1) or precede (-1) the name at ``i``."""
    gap = 0
    j = i + step
    while 0 <= j < len(tokens):
        a, b = sorted((tokens[j - step], tokens[j]), key=lambda m: m.start())
        if CLAUSE_END.search(text, a.end(), b.start()):
            return False
        word = tokens[j].group()
        if _states_need(word, after=step == 1):
            return True
        if codes[j] is None and fold(word) not in NEED_GAP:
            return False
        gap += 1
        if gap > MAX_NEED_GAP:
            return False
        j += step
    return False
