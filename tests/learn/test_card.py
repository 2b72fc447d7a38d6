"""The ranking card's limits: what the run's record shows, and what happened since."""

from __future__ import annotations

from datetime import UTC, datetime

from tandem.learn.card import SHARED_LIMITS, card_limits, ranking_card

META = {"version": "v1", "groups": {"holdout": 40}, "gate_passed": True, "gate": "beats all"}


def test_a_card_says_when_its_model_predates_an_erasure() -> None:
    erased = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    limits = card_limits(META, erased)
    assert limits[0].startswith("Predates an erasure (2026-11-20): it was trained on the data")
    assert limits[1:] == list(SHARED_LIMITS)
    assert ranking_card(META, erased_on=erased)["limits"] == limits


def test_a_card_of_a_model_nobody_was_erased_from_says_nothing_of_it() -> None:
    assert card_limits(META) == list(SHARED_LIMITS)
    assert not any("erasure" in limit for limit in ranking_card(META)["limits"])
