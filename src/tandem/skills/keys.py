"""Normalised keys of skill names: the one place that decides when two spellings are equal."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_KEEP = re.compile(r"[^a-z0-9+#]")
_DOTNET = re.compile(r"(^|\s)\.net\b")
#: Distinct texts whose keys are kept (the most recent; ~6 MB when full). Reading a profile
#: keys its words and the phrases that may be skills, and those repeat across profiles:
#: computing each again was a third of an import's time (cProfile, 10k profiles; issue 15).
_KEY_CACHE = 16_384


@lru_cache(maxsize=_KEY_CACHE)
def skill_key(text: str) -> str:
    """A spelling-insensitive key: ``"React.js"``, ``"react js"``, ``"REACTJS"`` -> ``"reactjs"``.

    Case, accents, spaces and punctuation go; ``+`` and ``#`` stay (C++ and C#
    are not C), ``&`` reads as "and", and a dot before "net" stays meaningful
    (".NET" -> "dotnet").
    """
    # ASCII text is its own compatibility decomposition: only other text needs folding.
    folded = (
        text
        if text.isascii()
        else unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    )
    lowered = folded.lower().strip().replace("&", " and ")
    if ".net" in lowered:
        lowered = _DOTNET.sub(r"\1dotnet", lowered)
    return _KEEP.sub("", lowered)
