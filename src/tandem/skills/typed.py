"""Skills as a person types them into a form, saved under the taxonomy's names.

One rule for every form that takes typed skills (a freelancer's profile, a client's job):
each skill is trimmed, saved under the taxonomy's canonical name when the
:class:`~tandem.skills.normalise.Normaliser` knows it ("js" as "JavaScript", "pyhton" as
"Python") and as typed when it does not, each once. The renamings are returned too, so a
page can say what was saved under another name rather than change it silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from tandem.skills.normalise import Normaliser


class SkillChange(NamedTuple):
    """A typed skill saved under another name (``"js"`` -> ``"JavaScript"``)."""

    typed: str
    saved: str


class TypedSkills(NamedTuple):
    """The skills to save, and which typed ones were renamed to the taxonomy's."""

    skills: list[str]
    changes: list[SkillChange]


def normalise_typed(normaliser: Normaliser, typed: Iterable[str]) -> TypedSkills:
    """``typed`` as saved: canonical names, blanks dropped, each once, order kept."""
    texts = list(typed)
    changes: list[SkillChange] = []
    for text in texts:
        clean = " ".join(text.split())
        name = normaliser.canonical(clean) if clean else None
        if name and name != clean and SkillChange(clean, name) not in changes:
            changes.append(SkillChange(clean, name))
    return TypedSkills(normaliser.normalise(texts), changes)
