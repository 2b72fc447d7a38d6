"""Importers that extend the taxonomy from official downloads: O*NET text files, ESCO CSV.

They read files the user downloaded; nothing is fetched. Each returns skills
tagged with their ``source``; the engine persists them beside the built-in
taxonomy.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from tandem.errors import ValidationError
from tandem.skills.keys import skill_key
from tandem.skills.taxonomy import Skill

csv.field_size_limit(sys.maxsize)

ONET_TECH = "Technology Skills.txt"
ESCO_LABELS = "skills_v1.1_preferred_labels.txt"


def _rows(path: Path, delimiter: str = ",") -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle, delimiter=delimiter)


def import_onet(directory: Path, progress: Callable[[int], None] | None = None) -> list[Skill]:
    """Technology skills of O*NET (``Technology Skills.txt``): one skill per example.

    The commodity title becomes the category; hot or in-demand technologies say so
    in their description.
    """
    path = directory / ONET_TECH
    if not path.exists():
        raise ValidationError(f"{directory} has no '{ONET_TECH}' (O*NET text files)")
    skills: dict[str, Skill] = {}
    for row in _rows(path, "\t"):
        name = (row.get("Example") or "").strip()
        commodity = (row.get("Commodity Title") or "").strip()
        if not name:
            continue
        key = skill_key(name)
        skill = skills.get(key)
        if skill is None:
            skill = Skill(
                name=name,
                category=f"O*NET: {commodity}",
                group=f"onet/{commodity}",
                source="onet",
                uri=f"onet:commodity:{row.get('Commodity Code', '')}",
            )
            skills[key] = skill
        if row.get("Hot Technology") == "Y" and "hot technology" not in skill.description:
            skill.description = "O*NET hot technology"
        if progress:
            progress(1)
    return list(skills.values())


_WORDS = re.compile(r"\w+")


def split_alt_labels(raw: str) -> list[str]:
    """ESCO alt labels arrive newline-separated (official export) or ``" | "``-separated."""
    parts = re.split(r"\n| \| ", raw or "")
    return [p.strip() for p in parts if p.strip()]


def _esco_clean(directory: Path) -> dict[str, Skill]:
    """Skills from files with ``preferredLabel`` / ``altLabels`` columns."""
    skills: dict[str, Skill] = {}
    names = [
        "skills_en.csv",
        "skills_subset_altlabels.csv",
        "ictSkillsCollection_en.csv",
        "transversalSkillsCollection_en.csv",
        "languageSkillsCollection_en.csv",
    ]
    for name in names:
        path = directory / name
        if not path.exists():
            continue
        for row in _rows(path):
            label = (row.get("preferredLabel") or "").strip()
            if not label or (row.get("conceptType") or "KnowledgeSkillCompetence") not in (
                "KnowledgeSkillCompetence",
                "",
            ):
                continue
            skill = skills.setdefault(label, Skill(label, "ESCO", source="esco"))
            for alt in split_alt_labels(row.get("altLabels") or ""):
                if alt != label and alt not in skill.aliases:
                    skill.aliases.append(alt)
            skill.description = skill.description or (row.get("description") or "").strip()
            skill.uri = skill.uri or (row.get("conceptUri") or "").strip()
    return skills


def _esco_joined(directory: Path, skills: dict[str, Skill]) -> None:
    """Fill descriptions from ``skills_descriptions.csv`` and the joined v1.2 file."""
    desc_path = directory / "skills_descriptions.csv"
    if desc_path.exists():
        for row in _rows(desc_path):
            label = (row.get("skill_label") or "").strip()
            if label:
                skill = skills.setdefault(label, Skill(label, "ESCO", source="esco"))
                skill.description = skill.description or (row.get("description") or "").strip()
    joined = directory / "skills_v1.2_joined.csv"
    if not joined.exists():
        return
    by_first = sorted(skills, key=len, reverse=True)
    starts: dict[str, list[str]] = {}
    for label in by_first:
        starts.setdefault(label[:12].lower(), []).append(label)
    written: dict[str, str] = {}
    for row in _rows(joined):
        text = (row.get("description") or "").strip()
        for label in starts.get(text[:12].lower(), []):
            if text.lower().startswith(label.lower()):
                skill = skills[label]
                skill.uri = skill.uri or (row.get("id") or "")
                written[label] = text[len(label) :].lower()
                if not skill.description:
                    skill.description = text[len(label) :].strip()
                break
    _place_alt_labels(skills, written)


def _place_alt_labels(skills: dict[str, Skill], written: dict[str, str]) -> None:
    """Give each alternative label to the skill whose joined v1.2 text writes it out.

    The ``altLabels`` column of ``skills_subset_altlabels.csv`` belongs to another row for
    about three skills in four (measured: 3,204 of 4,187 alias sets share no word with their
    skill's name or description, e.g. "disability types" on "manufacture fabric furnishings").
    Wrong aliases put the wrong skills first whenever a text writes one out. The joined file
    spells every skill's own alternative labels after its name, so an alias stays where that
    text has it, moves to the one other skill whose text has it, and is dropped otherwise
    (also on a skill without a joined text: nothing vouches for it, and most are misplaced).
    """
    by_word: dict[str, set[str]] = {}
    for label, text in written.items():
        for word in set(_WORDS.findall(text)):
            by_word.setdefault(word, set()).add(label)
    placed: dict[str, list[str]] = {}
    for label, skill in skills.items():
        for alt in skill.aliases:
            key = alt.lower()
            if key in written.get(label, "\n"):
                placed.setdefault(label, []).append(alt)
                continue
            words = set(_WORDS.findall(key))
            pools = sorted((by_word.get(w, set()) for w in words), key=len)
            owners = set.intersection(*pools) if pools else set()
            owners = {o for o in owners if key in written[o] and o != label}
            if len(owners) == 1:
                placed.setdefault(owners.pop(), []).append(alt)
    if written:
        for label, skill in skills.items():
            skill.aliases = list(dict.fromkeys(a for a in placed.get(label, []) if a != label))


#: Where to get ESCO, said whenever it is missing (nothing is downloaded for the user).
ESCO_HOWTO = (
    "download the ESCO classification as CSV, language English, from "
    "https://esco.ec.europa.eu/en/use-esco/download, unzip it and pass that folder "
    "(in a development checkout, the reference copy is ../shared/data/esco from the "
    "repository root)"
)
_ESCO_FILES = (
    "skills_en.csv",
    "skills_subset_altlabels.csv",
    ESCO_LABELS,
    "skills_descriptions.csv",
    "skills_v1.2_joined.csv",
)


def esco_folder(directory: Path) -> Path:
    """The folder holding the ESCO files: ``directory``, or the one folder inside it that does.

    The official download unzips into a folder named after the release; pointing at its
    parent works too, as long as exactly one export is there.
    """
    if not directory.is_dir():
        raise ValidationError(f"ESCO folder {directory} does not exist: {ESCO_HOWTO}")
    if any((directory / name).exists() for name in _ESCO_FILES):
        return directory
    inside = sorted(
        {p.parent for name in _ESCO_FILES for p in directory.glob(f"*/{name}")}, key=str
    )
    if len(inside) == 1:
        return inside[0]
    if len(inside) > 1:
        found = ", ".join(str(p) for p in inside)
        raise ValidationError(f"{directory} holds several ESCO exports ({found}): pass one")
    return directory


def import_esco(directory: Path, progress: Callable[[int], None] | None = None) -> list[Skill]:
    """ESCO skills from the CSV export (and the benchmark label list, when present)."""
    directory = esco_folder(directory)
    skills = _esco_clean(directory)
    labels = directory / ESCO_LABELS
    if labels.exists():
        for line in labels.read_text(encoding="utf-8").splitlines():
            if line.strip():
                skills.setdefault(line.strip(), Skill(line.strip(), "ESCO", source="esco"))
    _esco_joined(directory, skills)
    if not skills:
        raise ValidationError(
            f"{directory} has no ESCO skills (expected skills_en.csv): {ESCO_HOWTO}"
        )
    if progress:
        progress(len(skills))
    return list(skills.values())


IMPORTERS: dict[str, Callable[[Path, Callable[[int], None] | None], list[Skill]]] = {
    "onet": import_onet,
    "esco": import_esco,
}
