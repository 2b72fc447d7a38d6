r"""Words of any script: the one definition of a word for search and evidence.

A word is a run of letters and digits of any script (Unicode ``\w`` without the
underscore) after NFC normalisation, so "diseño", "Übersetzung" and "naïve" stay
whole instead of falling apart at the first non-ASCII letter; on ASCII text it is
exactly ``[A-Za-z0-9]+``. Matching ignores case and accents where the index does
(tantivy folds to ASCII, FTS5 removes diacritics): :func:`fold` says the same in Python.
"""

from __future__ import annotations

import re
import unicodedata

#: A letter or digit of any script.
ALNUM = r"[^\W_]"
WORD = re.compile(rf"{ALNUM}+")


def words(text: str) -> list[str]:
    """The words of ``text`` in order, as written (NFC), e.g. ``"Diseño web" -> [Diseño, web]``."""
    return WORD.findall(unicodedata.normalize("NFC", text))


def fold(text: str) -> str:
    """Lower case without accents: ``"Diseño" -> "diseno"``, ``"Straße" -> "strasse"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def technical_tokens(joiners: str) -> re.Pattern[str]:
    """Tokens that keep ``joiners`` inside them and may end in ``+`` or ``#``.

    ``technical_tokens("+#./")`` keeps "C++", "C#", "Node.js", "CI/CD" and "diseño" whole;
    a token never starts with a joiner, and one letter or digit is a token on its own.
    """
    inner = "".join("\\" + c if c in "-]\\^" else c for c in joiners)
    return re.compile(rf"{ALNUM}(?:{ALNUM}|[{inner}])*(?:{ALNUM}|[+#])|{ALNUM}")
