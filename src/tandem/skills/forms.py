"""How a short skill name must be written in free text to count: acronyms only as acronyms.

Keys (:func:`skill_key`) ignore case, spaces and punctuation, which is right for a skills
list someone typed ("react js" is React.js) and wrong for prose: "I am" has the key of IAM,
"ad campaigns" starts with the key of AD (Active Directory), and a profile generator that
opens with "I am a ..." gave half of 2,002 profiles Identity and Access Management. So a
key that the taxonomy writes as a short acronym ("IAM", "SQL", "CI/CD", "IoT", "LLMs")
counts in free text only when the text writes it as one:

- case: every letter in capitals ("IAM", "Sql" does not count), or exactly one of the
  taxonomy's own spellings of that key (an established form: "IoT", "k8s");
- word boundaries: as many words as the acronym (never "I am" for "IAM", nor "Q A" for
  "QA"); any other key of four characters or fewer also has to be spelled with as many
  words as one of its forms, so two short words never join into a skill;
- so a common word in lower case ("am", "it", "ad", "pod", "vat") is never an acronym. An
  acronym of three letters or more that has no vowel can be no English word either: it also
  counts in lower or mixed case ("sql", "Php", "html"); on 12,962 sentences of real resumes
  and job posts that kept 48 of the 65 right mentions strict capitals would lose, and let
  no wrong one back in.

Typed skill lists keep resolving case-insensitively through the normaliser: these rules are
only for reading prose, but one holds for both (:func:`joins_words`): a space may only fall
where one of the name's spellings breaks it ("Node js" is Node.js), so two ordinary words never
join into a name written as one ("in Design" is no InDesign, "word press" no WordPress).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from tandem.skills.keys import skill_key

#: Keys up to this long written in capitals by the taxonomy are acronyms.
MAX_ACRONYM_KEY = 5
#: Keys up to this long must be written with as many words as one of their forms.
MAX_SHORT_KEY = 4
_VOWELS = frozenset("aeiouy")
#: What breaks a spelling into parts: anything a key drops (spaces, dots, hyphens, slashes).
_BREAK = re.compile(r"[^\w+#]+|_+")


@lru_cache(maxsize=4096)
def key_breaks(text: str) -> frozenset[int] | None:
    """Where the parts of ``text`` meet inside its key: ``"Node.js"`` -> {4}, ``"InDesign"`` -> {}.

    ``&`` reads as "and" between two parts, as in the key. None when the parts' keys do not
    add up to the whole key (a leading ".NET" is keyed "dotnet"): then nothing is known.
    """
    parts = [skill_key(p) for p in _BREAK.split(text.replace("&", " and "))]
    parts = [p for p in parts if p]
    if sum(map(len, parts)) != len(skill_key(text)):
        return None
    breaks: set[int] = set()
    at = 0
    for part in parts[:-1]:
        at += len(part)
        breaks.add(at)
    return frozenset(breaks)


def joins_words(written: str, spellings: Iterable[str], *, slack: int = 0) -> bool:
    """Whether ``written`` meets a name's key only by joining words no spelling of it splits.

    Keys drop spaces, which is right for "React JS" (React.js breaks there) and wrong for "in
    Design", whose key is InDesign's: "7 years of experience in Design Systems" named Adobe
    InDesign, and the typed list "in design" resolved to it. So each space of ``written``
    must fall where one of ``spellings`` (the name and aliases of that key) breaks: at a
    space, a dot, a hyphen or a slash. A spelling people type split ("java script") is
    listed as an alias to count. Nothing is refused when the breaks cannot be told apart.

    ``slack``: how far a space may sit from a spelling's break. A typed list has typos, and a
    slipped space is one ("DesignS ystems", "Desig nPatterns": 144 of the 5,268 typed names
    of the generated markets of seeds 88 and 61); a name with no break takes no space at all
    ("Ind esign").
    """
    if not any(ch.isspace() for ch in written.strip()):
        return False
    typed = key_breaks(written)
    if not typed:
        return False
    known = [key_breaks(s) for s in spellings]
    if any(b is None for b in known) or not known:
        return False
    return not any(_within(typed, b, slack) for b in known if b is not None)


def _within(typed: frozenset[int], breaks: frozenset[int], slack: int) -> bool:
    """Whether every break of ``typed`` is within ``slack`` characters of one of ``breaks``."""
    return all(any(abs(t - b) <= slack for b in breaks) for t in typed)


def is_acronym(form: str) -> bool:
    """Whether a taxonomy spelling is a short acronym: ``IAM``, ``CI/CD``, ``IoT``, ``NDAs``.

    All letters capitals (at least two), allowing a plural ``s`` at the end and, in a
    three-letter acronym, one small letter in the middle (IoT, IaC, RoR, ToS).
    """
    key = skill_key(form)
    letters = "".join(ch for ch in form if ch.isalpha())
    if not 2 <= len(key) <= MAX_ACRONYM_KEY or len(letters) < 2:
        return False
    if letters.endswith("s") and len(letters) >= 3 and letters[-2].isupper():
        letters = letters[:-1]
    if letters.isupper():
        return len(letters) >= 2
    return len(letters) == 3 and letters[0].isupper() and letters[2].isupper()


def _words(text: str) -> int:
    return len(text.split())


class WrittenForms:
    """The spellings that govern short keys, and the check a span of prose must pass."""

    def __init__(self, forms: Iterable[str]) -> None:
        self._spellings: dict[str, set[str]] = {}
        self._acronyms: set[str] = set()
        for form in forms:
            key = skill_key(form)
            if not key or len(key) > MAX_ACRONYM_KEY:
                continue
            self._spellings.setdefault(key, set()).add(" ".join(form.split()))
            if is_acronym(form):
                self._acronyms.add(key)

    def is_acronym_key(self, key: str) -> bool:
        """Whether the taxonomy writes ``key`` as an acronym somewhere."""
        return key in self._acronyms

    def spelled(self, span: str, key: str) -> bool:
        """Whether ``span`` is written exactly as one of the taxonomy's spellings of ``key``."""
        return " ".join(span.split()) in self._spellings.get(key, ())

    def allows(self, span: str, key: str) -> bool:
        """Whether ``span`` (text as written, key ``key``) may count as that skill in prose."""
        spellings = self._spellings.get(key)
        if spellings is None:
            return True
        written = " ".join(span.split())
        if written in spellings:
            return True
        short = len(key) <= MAX_SHORT_KEY or key in self._acronyms
        if short and _words(written) not in {_words(s) for s in spellings}:
            return False
        if key in self._acronyms:
            return written_as_acronym(written)
        return True


def written_as_acronym(written: str) -> bool:
    """Capitals, or three letters or more without a vowel (no English word looks like that)."""
    letters = [ch for ch in written if ch.isalpha()]
    if letters and all(ch.isupper() for ch in letters):
        return True
    return len(letters) >= 3 and not any(ch.lower() in _VOWELS for ch in letters)
