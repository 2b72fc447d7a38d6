"""Role names from skill names: "iOS Development" + Developer -> "iOS Developer"."""

from __future__ import annotations

from typing import Final

#: Skill-name endings that already name the work, and the role that does it.
ROLE_ENDINGS: Final[dict[str, str]] = {
    "Development": "Developer", "Design": "Designer", "Writing": "Writer", "Editing": "Editor",
    "Translation": "Translator", "Marketing": "Marketer", "Engineering": "Engineer",
    "Analysis": "Analyst", "Management": "Manager", "Consulting": "Consultant",
    "Administration": "Administrator", "Support": "Specialist", "Law": "Lawyer",
    "Accounting": "Accountant", "Testing": "Tester", "Photography": "Photographer",
}  # fmt: skip


def headline(skill: str, role: str) -> str:
    """``"Django Developer"``; ``"iOS Development"`` + Developer -> ``"iOS Developer"``.

    The role keeps the case it was given ("developer" in running text, "Developer" in a title).
    """
    head, _, last = skill.rpartition(" ")
    if head and last in ROLE_ENDINGS:
        noun = ROLE_ENDINGS[last]
        return f"{head} {noun.lower() if role.islower() else noun}"
    return f"{skill} {role}"
