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


#: Role nouns that name the same person in a search: software titles say "Backend Engineer"
#: and "Backend Developer" for the same work, and a client searching one of them means the
#: other too. Only nouns of one trade, and only a few: "designer" or "writer" name other work.
#: "engineer" also names civil and chemical engineers; a search for "civil engineer" still
#: ranks them first (the exact words weigh more), the other role words only fill the list.
ROLE_EQUIVALENTS: Final[tuple[frozenset[str], ...]] = (
    frozenset({"developer", "engineer", "programmer", "coder"}),
)


def role_equivalents(word: str) -> tuple[str, ...]:
    """The other role nouns ``word`` (lower case, singular or plural) stands for, in order.

    ``"developers"`` -> ``("coder", "engineer", "programmer")``; any other word -> ``()``.
    """
    singular = word[:-1] if word.endswith("s") else word
    for group in ROLE_EQUIVALENTS:
        if singular in group:
            return tuple(sorted(group - {singular}))
    return ()
