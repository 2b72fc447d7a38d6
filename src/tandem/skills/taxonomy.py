"""The skill taxonomy: canonical skills with aliases, a category and related-skill links.

A related-skill link may also say that one skill *implies* the other (Django implies Python:
nobody writes Django without it). Drafts add implied skills, marked as such, so a client
sees the whole stack and can drop what does not apply.

The built-in taxonomy ships as text files in ``builtin/`` (written by the
project); importers (``importers.py``) extend it from O*NET and ESCO.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import TypeVar
from weakref import WeakKeyDictionary

from tandem.errors import ValidationError
from tandem.skills.keys import skill_key

#: Weight of an explicit related-skill link and of a same-family link. Only an explicit link
#: covers a job skill in a match (:func:`tandem.rank.features.explicit_links`): a family is
#: too broad to say someone can do the other skill.
EXPLICIT_RELATED = 1.0
SAME_GROUP = 0.5
_EMPTY: Mapping[str, float] = {}
_T = TypeVar("_T")


@dataclass
class Skill:
    """One canonical skill."""

    name: str
    category: str
    aliases: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    group: str = ""
    source: str = "builtin"
    description: str = ""
    uri: str = ""
    implies: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """The skill as JSON (how imported extensions persist)."""
        return {
            "name": self.name,
            "category": self.category,
            "aliases": self.aliases,
            "related": self.related,
            "group": self.group,
            "source": self.source,
            "description": self.description,
            "uri": self.uri,
            "implies": self.implies,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Skill:
        """Inverse of :meth:`to_dict`."""
        return cls(
            name=str(data["name"]),
            category=str(data.get("category", "")),
            aliases=[str(a) for a in data.get("aliases", []) or []],  # type: ignore[attr-defined]
            related=[str(r) for r in data.get("related", []) or []],  # type: ignore[attr-defined]
            group=str(data.get("group", "")),
            source=str(data.get("source", "")),
            description=str(data.get("description", "")),
            uri=str(data.get("uri", "")),
            implies=[str(r) for r in data.get("implies", []) or []],  # type: ignore[attr-defined]
        )


def parse_builtin_file(text: str, filename: str) -> Iterator[Skill]:
    """Parse one built-in taxonomy file (format in ``builtin/README.txt``)."""
    category = ""
    group = ""
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("@category"):
            category = line.removeprefix("@category").strip()
            continue
        if line.startswith("##"):  # a heading over a list, not a family: no links
            group = ""
            continue
        if line.startswith("#"):
            group = line.lstrip("#").strip()
            continue
        if not category:
            raise ValidationError(f"{filename}:{lineno}: skill before any @category line")
        head, _, related = line.partition(";")
        name, _, aliases = head.partition("|")
        links = [r.strip() for r in related.split(",") if r.strip()]
        yield Skill(
            name=name.strip(),
            category=category,
            aliases=[a.strip() for a in aliases.split(",") if a.strip()],
            related=[r.lstrip(">").strip() for r in links],
            group=f"{category}/{group}" if group else "",
            implies=[r.lstrip(">").strip() for r in links if r.startswith(">")],
        )


def builtin_skills() -> list[Skill]:
    """Every skill of the built-in taxonomy."""
    folder = resources.files("tandem.skills") / "builtin"
    skills: list[Skill] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".txt") and entry.name[:2].isdigit():
            skills.extend(parse_builtin_file(entry.read_text(encoding="utf-8"), entry.name))
    return skills


class Taxonomy:
    """Canonical skills indexed by name, with related-skill weights."""

    def __init__(self, skills: Iterable[Skill] = ()) -> None:
        self._skills: dict[str, Skill] = {}
        self._by_key: dict[str, str] = {}
        self._related: dict[str, dict[str, float]] = {}
        # Related-skill links are built on first use: most commands (search, drafts, the
        # decision log) never read them, and linking the built-in families costs ~0.1 s.
        self._unlinked: list[list[Skill]] = []
        self._version = 0
        self._implying: tuple[int, dict[str, list[str]]] | None = None
        self.add(skills)

    @classmethod
    def builtin(cls) -> Taxonomy:
        """The taxonomy that ships with Tandem."""
        return cls(builtin_skills())

    def __len__(self) -> int:
        return len(self._skills)

    @property
    def version(self) -> int:
        """How many times skills were added: what :func:`per_taxonomy` memos are keyed by.

        Not the size: an import that merges aliases into known skills adds none.
        """
        return self._version

    def __contains__(self, name: object) -> bool:
        return name in self._skills

    def __iter__(self) -> Iterator[Skill]:
        return iter(self._skills.values())

    def get(self, name: str) -> Skill | None:
        """The skill with this canonical name, if any."""
        return self._skills.get(name)

    def categories(self) -> list[str]:
        """Every category, in first-seen order."""
        return list(dict.fromkeys(s.category for s in self._skills.values()))

    def canonical_for_key(self, key: str) -> str | None:
        """Canonical name for a normalised key (of a name or an alias)."""
        return self._by_key.get(key)

    def keys(self) -> dict[str, str]:
        """Every normalised key with its canonical name."""
        return dict(self._by_key)

    def add(self, skills: Iterable[Skill]) -> int:
        """Add skills; a skill whose name is already a canonical name merges into it instead.

        Returns how many new canonical skills were added.
        """
        added = 0
        incoming = list(skills)
        self._version += 1
        for skill in incoming:
            key = skill_key(skill.name)
            existing = self._by_key.get(key)
            if existing is not None and skill_key(existing) == key:
                self._merge(self._skills[existing], skill)
                continue
            # A preferred name outranks another skill's alternative name for the same key.
            self._skills[skill.name] = skill
            self._by_key[key] = skill.name
            added += 1
            for alias in skill.aliases:
                self._by_key.setdefault(skill_key(alias), skill.name)
        self._unlinked.append(incoming)
        return added

    def _merge(self, target: Skill, extra: Skill) -> None:
        for alias in [extra.name, *extra.aliases]:
            key = skill_key(alias)
            if key not in self._by_key:
                self._by_key[key] = target.name
                target.aliases.append(alias)
        if not target.description and extra.description:
            target.description = extra.description

    def _link(self, skills: list[Skill]) -> None:
        groups: dict[str, list[str]] = {}
        for skill in skills:
            name = self._by_key.get(skill_key(skill.name), skill.name)
            if skill.group:
                groups.setdefault(skill.group, []).append(name)
            for other in skill.related:
                target = self._by_key.get(skill_key(other))
                if target and target != name:
                    self._set_related(name, target, EXPLICIT_RELATED)
        related = self._related
        for members in groups.values():
            if len(members) > 60:  # a huge family says little about any two members
                continue
            # Every ordered pair once, in place: this runs at every process start (it was
            # a quarter of a light command's CPU when each pair went through _set_related).
            for a in members:
                links = related.setdefault(a, {})
                for b in members:
                    if a != b and links.get(b, 0.0) < SAME_GROUP:
                        links[b] = SAME_GROUP

    def _set_related(self, a: str, b: str, weight: float) -> None:
        for x, y in ((a, b), (b, a)):
            current = self._related.setdefault(x, {}).get(y, 0.0)
            self._related[x][y] = max(current, weight)

    def _links(self) -> dict[str, dict[str, float]]:
        while self._unlinked:
            self._link(self._unlinked.pop(0))
        return self._related

    def related_view(self, name: str) -> Mapping[str, float]:
        """Like :meth:`related` without a copy (read-only by contract; for hot loops)."""
        return self._links().get(name, _EMPTY)

    def implied(self, name: str) -> list[str]:
        """Skills ``name`` implies, directly or through another ("DRF" -> Django -> Python)."""
        out: list[str] = []
        todo = [name]
        while todo:
            skill = self._skills.get(todo.pop(0))
            for other in skill.implies if skill else ():
                target = self._by_key.get(skill_key(other))
                if target and target != name and target not in out:
                    out.append(target)
                    todo.append(target)
        return out

    def implied_by(self, name: str) -> list[str]:
        """Skills that imply ``name``, directly or through another (Python <- Django <- DRF).

        The reverse of :meth:`implied`, indexed once per version of the taxonomy (few skills
        imply another: a scan of those, not of every skill).
        """
        if self._implying is None or self._implying[0] != self._version:
            reverse: dict[str, list[str]] = {}
            for skill in self._skills.values():
                if skill.implies:
                    for target in self.implied(skill.name):
                        reverse.setdefault(target, []).append(skill.name)
            self._implying = (self._version, reverse)
        return list(self._implying[1].get(name, ()))

    def related(self, name: str) -> dict[str, float]:
        """Skills related to ``name`` with their link weight (1.0 explicit, 0.5 same family)."""
        return dict(self._links().get(name, {}))


def per_taxonomy(build: Callable[[Taxonomy], _T]) -> Callable[[Taxonomy], _T]:
    """``build`` memoised per taxonomy, built again when skills were added to it since.

    What the readers derive from a taxonomy (the cognates' spelling index, the verbs'
    activity nouns, the trade words it has skills for) is built once per taxonomy, not per
    text; an import that grows or merges into the taxonomy makes the next call rebuild it.
    The memo holds the taxonomy weakly, so a dropped taxonomy takes its memo with it.
    """
    memo: WeakKeyDictionary[Taxonomy, tuple[int, _T]] = WeakKeyDictionary()

    @functools.wraps(build)
    def memoised(taxonomy: Taxonomy) -> _T:
        held = memo.get(taxonomy)
        if held is None or held[0] != taxonomy.version:
            held = (taxonomy.version, build(taxonomy))
            memo[taxonomy] = held
        return held[1]

    return memoised
