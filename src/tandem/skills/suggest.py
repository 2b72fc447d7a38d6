"""Suggestions while a person types a skill: what it will be saved as, and names it may mean.

The profile form asks this on each keystroke (and the saved profile goes through the same
:class:`~tandem.skills.normalise.Normaliser`), so what the form shows as "saved as" is what
the store will hold. The first suggestion is the normaliser's own answer (an exact name, an
alias, a variant or a one-letter typo); then canonical names whose spelling-insensitive key
starts with what was typed, shortest first; then names that contain it. A scan of the
taxonomy's keys costs well under a millisecond for the built-in 2,000 keys and a few
milliseconds for an imported ESCO, which is cheap next to a round trip per keystroke.
"""

from __future__ import annotations

from typing import NamedTuple

from tandem.skills.keys import skill_key
from tandem.skills.normalise import How, Normaliser

#: Suggestions returned at most (a short list a person can read while typing).
MAX_SUGGESTIONS = 8
#: Shortest typed key searched inside names (shorter ones match nearly everything).
MIN_INFIX = 3


class SkillSuggestions(NamedTuple):
    """What a typed skill will be saved as, and canonical names that start like it."""

    text: str
    saved_as: str | None
    how: How
    suggestions: list[str]

    def as_dict(self) -> dict[str, object]:
        """JSON form (the profile form's endpoint)."""
        return {
            "text": self.text,
            "saved_as": self.saved_as,
            "how": self.how,
            "suggestions": self.suggestions,
        }


def suggest(normaliser: Normaliser, text: str, limit: int = MAX_SUGGESTIONS) -> SkillSuggestions:
    """Suggestions for one typed skill (``text`` is one skill, not a list)."""
    clean = " ".join(text.split())
    match = normaliser.match(clean) if clean else None
    key = skill_key(clean)
    if not key or match is None:
        return SkillSuggestions(clean, None, "unknown", [])
    found: dict[str, None] = {}
    if match.name:
        found[match.name] = None
    starts: list[tuple[int, str]] = []
    inside: list[tuple[int, str]] = []
    for other, name in normaliser.taxonomy.keys().items():
        if other.startswith(key):
            starts.append((len(other), name))
        elif len(key) >= MIN_INFIX and key in other:
            inside.append((len(other), name))
    for _, name in sorted(starts) + sorted(inside):
        if len(found) >= limit:
            break
        found.setdefault(name, None)
    return SkillSuggestions(clean, match.name, match.how, list(found)[:limit])
