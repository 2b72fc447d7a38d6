"""Skills in requests written in Spanish, French, Portuguese or Italian, through English cognates.

The taxonomy's names are English and the bundled encoder reads English, so "Ilustrador para un
libro infantil" found no skill. Many trade words of the Romance languages are cognates of the
English ones with regular endings: ilustrador / illustrateur -> illustrator -> Illustration,
fotografía -> photography, transcripción -> transcription, animación -> animation. This module
rewrites a word's ending to its English forms and compares spelling skeletons (accents, double
letters, ph/f, y/i folded) with the one-word names and aliases of the taxonomy. Nothing is
downloaded.

Limits, on purpose: it reads only texts that are mostly not English (an English text is the
extractor's job), only one-word skills, and only cognates: words that are no cognate
("traductor", "diseñador", "desarrollador") are not understood here. German, Dutch and other
languages are not covered.
"""

from __future__ import annotations

import re

from tandem.skills.taxonomy import Taxonomy, per_taxonomy
from tandem.text.tokens import fold

#: Romance endings and the English endings of the same word (an agent noun maps to the
#: activity first, then the person: ilustrador -> illustration, illustrator).
ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("adora", ("ation", "ator")), ("ador", ("ation", "ator")), ("atore", ("ation", "ator")),
    ("atrice", ("ation", "ator")), ("ateur", ("ation", "ator")),
    ("ografo", ("ography", "ographer")), ("ografa", ("ography", "ographer")),
    ("ographe", ("ography", "ographer")), ("ografia", ("ography",)), ("ographie", ("ography",)),
    ("cion", ("tion",)), ("sion", ("sion",)), ("cao", ("tion",)), ("zione", ("tion",)),
    ("ismo", ("ism",)), ("ista", ("ist",)), ("iste", ("ist",)),
    ("idad", ("ity",)), ("ite", ("ity",)), ("ia", ("y",)), ("ie", ("y",)),
)  # fmt: skip
#: English function words: a text with few of them is not read as English.
ENGLISH = frozenset(
    {
        "the", "and", "for", "to", "of", "a", "an", "with", "in", "is", "are", "we", "i", "my",
        "our", "need", "you", "this", "that", "on", "be", "it", "by", "at", "from", "as", "or",
        "will", "have", "can",
    }
)  # fmt: skip
#: English function words that are also words of Spanish, Portuguese, Italian or German.
SHARED = frozenset({"a", "in"})
#: Function words of Spanish, French, German, Portuguese, Italian, Dutch and Polish that are
#: no English words: a text with more of them than of English ones is not English, however short
#: ("Necesito un traductor de francés a inglés" has one English word in nine: "a"). No
#: English word is one of them, whatever else it is: "per" and "all" are Italian too.
OTHER = frozenset(
    {
        "de", "la", "el", "los", "las", "un", "una", "para", "por", "con", "y", "en", "que",
        "del", "al", "mi", "su", "le", "les", "des", "du", "une", "pour", "avec", "et", "est",
        "dans", "sur", "au", "aux", "mon", "ma", "notre", "nous", "je", "der", "das", "und",
        "für", "mit", "ein", "eine", "einen", "wir", "ich", "ist", "von", "zu", "unsere",
        "unser", "um", "uma", "com", "em", "da", "dos", "não", "meu", "minha", "il", "gli",
        "di", "che", "nel", "della", "mio", "mia", "sono", "dall", "ins", "vom",
        "een", "het", "voor", "van", "wij", "onze", "ons", "niet", "ik", "mijn", "ook", "naar",
        "bij", "aan", "deze", "dla", "się", "jest", "nie", "oraz", "mój", "moja", "moje",
    }
)  # fmt: skip
#: Words of :data:`OTHER` that are English words too ("a moving van", "pour the concrete",
#: "pros and cons", "die"): alone they are no evidence, so they count only beside a function
#: word no English text writes ("Fotograaf voor de bruiloft van mijn zus").
ALSO_ENGLISH = frozenset({"van", "die", "pour", "con", "ins", "um", "ma", "mit"})
#: Words of :data:`OTHER` that also join the parts of a name ("Van Gogh", "Vincent van Gogh",
#: "Leonardo da Vinci", "De La Cruz"); German writes its nouns with a capital, so its "für"
#: or "und" between two nouns stays a German word.
NAME_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "da", "di", "du", "del", "della", "la", "le", "los",
     "las", "el", "dos", "das", "do", "zu", "al"}
)  # fmt: skip
MIN_WORD = 6


def skeleton(word: str) -> str:
    """A spelling that cognates share: no accents, ph -> f, y -> i, no double letters."""
    w = fold(word).replace("ph", "f").replace("th", "t").replace("y", "i").replace("k", "c")
    return re.sub(r"(.)\1+", r"\1", w)


def english_forms(word: str) -> list[str]:
    """The English spellings a Romance word may be a cognate of (none when no ending fits)."""
    w = fold(word)
    for ending, english in ENDINGS:
        if w.endswith(ending) and len(w) > len(ending) + 2:
            return [w[: -len(ending)] + e for e in english]
    return []


def mostly_english(text: str) -> bool:
    """Whether one word in twelve is an English function word, and no fewer than of others.

    Against the others count only the English words no other language has ("a" and "in"
    are Spanish, Italian or German too): "Cerco un commercialista a Milano" is not English.
    The others need evidence too: a particle of a name is none ("Van Gogh", "Van der Berg",
    "Leonardo da Vinci": :func:`_other_words`), nor is a word English writes as well
    (:data:`ALSO_ENGLISH`: "a van wrap") unless another function word of that language is there.
    """
    words = re.findall(r"[^\W\d_]+", text)
    lower = [w.lower() for w in words]
    english = sum(w in ENGLISH for w in lower)
    only_english = sum(w in ENGLISH and w not in SHARED for w in lower)
    if _other_words(words) > only_english:
        return False
    return not words or english * 12 >= len(words)


def _other_words(words: list[str]) -> int:
    """How many of ``words`` (as written) are function words of another language.

    A name particle (:data:`NAME_PARTICLES`) between capitalised words, or capitalised before
    one, is part of a name ("Van Gogh", "Van der Berg", "Leonardo da Vinci", "La Paz"), not a
    word of the text's language; the words English also has count only beside another one.
    """
    found: list[str] = []
    for i, word in enumerate(words):
        low = word.lower()
        if low not in OTHER:
            continue
        if low in NAME_PARTICLES:
            after = next((w for w in words[i + 1 : i + 3] if w.lower() not in NAME_PARTICLES), "")
            before = words[i - 1] if i else ""
            if after[:1].isupper() and (word[:1].isupper() or before[:1].isupper()):
                continue  # a name's particle
        found.append(low)
    if all(w in ALSO_ENGLISH for w in found):
        return 0
    return len(found)


@per_taxonomy
def _index(taxonomy: Taxonomy) -> dict[str, str]:
    """Spelling skeleton -> skill, for the one-word names and aliases of the taxonomy."""
    index: dict[str, str] = {}
    for skill in taxonomy:
        for form in (skill.name, *skill.aliases):
            if " " not in form.strip() and len(form) >= MIN_WORD:
                index.setdefault(skeleton(form), skill.name)
    return index


def cognate_skills(taxonomy: Taxonomy, text: str) -> list[tuple[str, str]]:
    """(skill, word) for each word of a mostly non-English text that is a skill's cognate."""
    if mostly_english(text):
        return []
    index = _index(taxonomy)
    found: dict[str, str] = {}
    for word in re.findall(rf"[^\W\d_]{{{MIN_WORD},}}", text):
        for form in english_forms(word):
            name = index.get(skeleton(form))
            if name is not None:
                found.setdefault(name, word)
                break
    return list(found.items())
