"""The indefinite article before a word: "a user", "an applicants candidate", "an hour".

English chooses by the sound that starts the next word, not its letter. The rule here is the
letter (a vowel takes "an") with the exceptions that occur in Tandem's own words: a vowel
letter read as a consonant ("a user", "a one-off", "a European"), a silent h ("an hour",
"an honest"), and an acronym read letter by letter ("an SQL", "an HTML", "a URL"). Words
are the program's own (task names, event types, titles), so a short list is enough.
"""

from __future__ import annotations

from typing import Final

#: Starts of words whose vowel letter sounds like "y" or "w": they take "a".
CONSONANT_SOUNDS: Final = ("uni", "use", "usu", "uti", "ure", "eu", "one", "once", "ewe")
#: Starts of words whose h is silent: they take "an".
SILENT_H: Final = ("hour", "honest", "honor", "honour", "heir")
#: Letters whose spoken name starts with a vowel sound ("an S", "an H", "an F").
VOWEL_NAMED_LETTERS: Final = frozenset("AEFHILMNORSX")


def article(word: str) -> str:
    """``"an"`` or ``"a"``: the indefinite article for the phrase that starts with ``word``."""
    first = word.strip().split(maxsplit=1)[0] if word.strip() else ""
    if not first:
        return "a"
    letters = first.rstrip(".,;:!?")
    if len(letters) > 1 and letters.isupper() and letters.isalpha():  # an acronym: spelled out
        return "an" if letters[0] in VOWEL_NAMED_LETTERS else "a"
    lower = letters.lower()
    if lower.startswith(SILENT_H):
        return "an"
    if lower.startswith(CONSONANT_SOUNDS):
        return "a"
    return "an" if lower[:1] and lower[0] in "aeiou" else "a"


def with_article(phrase: str) -> str:
    """``phrase`` after its indefinite article: ``"an applicants candidate"``."""
    return f"{article(phrase)} {phrase}"
