"""Counts in the companion's replies agree with their nouns ("1 person", never "1 people")."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.companion.drafts import JobDraft, fields_line
from tandem.companion.screen import resolve
from tandem.errors import ValidationError
from tandem.text.counts import counted


def test_a_count_of_one_takes_the_singular_and_any_other_the_plural() -> None:
    assert counted(1, "person", "people") == "1 person"
    assert counted(2, "person", "people") == "2 people"
    assert [counted(n, "week") for n in (0, 1, 1.0, 0.5, 20.0)] == [
        "0 weeks", "1 week", "1 week", "0.5 weeks", "20 weeks",
    ]  # fmt: skip


@given(st.integers(min_value=2, max_value=10_000))
def test_every_count_but_one_is_plural(n: int) -> None:
    assert counted(n, "job") == f"{n} jobs"


def test_one_person_shown_is_one_person() -> None:
    """Trial 18: "I showed 1 people, so there is no #2"."""
    shown = [{"id": "f1", "name": "Ana Silva", "title": "Designer"}]
    with pytest.raises(ValidationError, match=r"^I showed 1 person, so there is no #2$"):
        resolve("#2", shown)
    with pytest.raises(ValidationError, match=r"^I showed 2 people, so there is no #3$"):
        resolve("the third one", [*shown, {"id": "f2", "name": "Ravi", "title": "Dev"}])


def test_a_drafts_one_week_is_one_week() -> None:
    draft = JobDraft(
        title="Logo", description="A logo", skills=[], budget_type=None, budget_min=None,
        budget_max=None, currency=None, duration_weeks=1, experience_level=None,
    )  # fmt: skip
    assert "duration: 1 week" in fields_line(draft) and "1 weeks" not in fields_line(draft)
