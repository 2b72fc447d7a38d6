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
only for reading prose.
"""

from __future__ import annotations

from collections.abc import Iterable

from tandem.skills.keys import skill_key

#: Keys up to this long written in capitals by the taxonomy are acronyms.
MAX_ACRONYM_KEY = 5
#: Keys up to this long must be written with as many words as one of their forms.
MAX_SHORT_KEY = 4
_VOWELS = frozenset("aeiouy")


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
