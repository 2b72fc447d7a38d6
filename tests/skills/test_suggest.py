"""Suggestions while typing a skill: the normaliser's answer first, then names that start alike."""

from __future__ import annotations

from tandem.skills import Normaliser, Skill, Taxonomy
from tandem.skills.suggest import MAX_SUGGESTIONS, suggest


def _normaliser() -> Normaliser:
    return Normaliser(
        Taxonomy(
            [
                Skill("JavaScript", "Web", aliases=["js"]),
                Skill("Java", "Backend"),
                Skill("Jupyter Notebook", "Data"),
                Skill("Python", "Data"),
                Skill("CPython Internals", "Data"),
            ]
        )
    )


def test_the_saved_name_comes_first_then_names_that_start_alike() -> None:
    found = suggest(_normaliser(), "  js ")
    assert (found.text, found.saved_as, found.how) == ("js", "JavaScript", "alias")
    assert found.suggestions[0] == "JavaScript"
    assert suggest(_normaliser(), "Ja").suggestions == ["Java", "JavaScript"]  # shortest first


def test_a_typo_is_saved_as_the_skill_it_misspells() -> None:
    found = suggest(_normaliser(), "Pyhton")
    assert (found.saved_as, found.how) == ("Python", "typo")
    assert found.suggestions == ["Python"]


def test_names_containing_the_text_follow_names_that_start_with_it() -> None:
    found = suggest(_normaliser(), "pyth")
    assert found.saved_as is None and found.how == "unknown"
    assert found.suggestions == ["Python", "CPython Internals"]


def test_empty_text_suggests_nothing_and_the_list_is_short() -> None:
    assert suggest(_normaliser(), "   ").suggestions == []
    many = Normaliser(Taxonomy([Skill(f"Skill {i:02d}", "X") for i in range(30)]))
    assert len(suggest(many, "skill").suggestions) == MAX_SUGGESTIONS
    assert suggest(many, "skill", limit=3).suggestions == ["Skill 00", "Skill 01", "Skill 02"]
