"""The engine's query types: what a search that found nothing tells a person to try."""

from __future__ import annotations

from tandem.engine import Engine
from tandem.engine.types import JobQuery, TalentQuery, filtered, nothing_found_hint
from tandem.text import fold


def test_an_unfiltered_search_that_found_nothing_says_why_and_names_the_language() -> None:
    hint = nothing_found_hint(TalentQuery(text="Übersetzer"))
    assert hint.startswith(
        "No profile matches 'Übersetzer': no profile's title, skills, overview or portfolio "
        "has any of these words"
    )
    assert "another language than your search" in hint
    jobs = nothing_found_hint(JobQuery(text="Übersetzer"))
    assert "no job post's title, skills, category or description has any" in jobs


def test_the_hint_is_true_of_a_name_that_profiles_carry(agency_engine: Engine) -> None:
    """Trial 16: "Jose Martinez" found nobody, and the hint said no profile has these words.

    José Martínez (f01) exists: his name is on his profile, just never searched.
    """
    q = TalentQuery(text="Jose Martinez")
    assert agency_engine.search_talent(q) == []
    assert any(fold(p.name) == "jose martinez" for p in agency_engine.store.freelancers.iter_all())
    hint = nothing_found_hint(q)
    assert "no profile has any of these words" not in hint
    assert "(names are not searched)" in hint


def test_a_filtered_search_points_at_the_filters_too() -> None:
    assert filtered(TalentQuery(text="x", max_rate=10)) and not filtered(TalentQuery(text="x"))
    assert filtered(JobQuery(text="x", category="Design")) and not filtered(JobQuery(text="x"))
    hint = nothing_found_hint(JobQuery(text="desarrollador", budget_type="fixed"))
    assert hint.startswith("No job post matches 'desarrollador' with these filters")
    assert "fewer filters" in hint
    assert nothing_found_hint(TalentQuery(country="ZZ")) == (
        "No profile passes these filters: try fewer of them."
    )


def test_a_country_filter_is_two_letters_as_records_write_it() -> None:
    """One rule for every face: "USA" finds nobody, so it is refused, not searched."""
    import pytest

    from tandem.errors import ValidationError

    assert TalentQuery(country=" us ").country_code() == "US"
    assert TalentQuery().country_code() is None and TalentQuery(country="").country_code() is None
    for wrong in ("USA", "U", "1A", "Ü1"):
        with pytest.raises(ValidationError, match="country must be an ISO 3166-1 alpha-2 code"):
            TalentQuery(country=wrong).country_code()
