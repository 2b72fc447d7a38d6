"""Review 14: a no with a one-word goodbye cancels the draft, it never edits it."""

import pytest

from tandem.companion.intents import classify

HELD = {"pending": "post_job", "has_draft": True, "has_results": False, "has_job": False}


@pytest.mark.parametrize(
    "text", ["no nevermind", "no, abort", "no bye", "no grazie", "não, valeu", "non, annule"]
)
def test_a_no_and_a_word_of_leaving_cancels(text: str) -> None:
    assert classify(text, **HELD, editing=True).name == "cancel"  # type: ignore[arg-type]
