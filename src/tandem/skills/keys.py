"""Normalised keys of skill names: the one place that decides when two spellings are equal."""

from __future__ import annotations

import re
import unicodedata

_KEEP = re.compile(r"[^a-z0-9+#]")


def skill_key(text: str) -> str:
    """A spelling-insensitive key: ``"React.js"``, ``"react js"``, ``"REACTJS"`` -> ``"reactjs"``.

    Case, accents, spaces and punctuation go; ``+`` and ``#`` stay (C++ and C#
    are not C), ``&`` reads as "and", and a dot before "net" stays meaningful
    (".NET" -> "dotnet").
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    lowered = folded.lower().strip().replace("&", " and ")
    lowered = re.sub(r"(^|\s)\.net\b", r"\1dotnet", lowered)
    return _KEEP.sub("", lowered)
