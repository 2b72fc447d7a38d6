"""The indefinite article: by the sound that starts the word, not only its letter."""

from __future__ import annotations

import pytest

from tandem.text.articles import article, with_article


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("applicants candidate", "an applicants candidate"),  # tandem train --no-promote
        ("discovery candidate", "a discovery candidate"),
        ("interview event", "an interview event"),
        ("impression", "an impression"),
        ("end_contract event", "an end_contract event"),
        ("hire event", "a hire event"),
        ("Android Developer", "an Android Developer"),  # a title, as people write it
        ("expert SAP engineer", "an expert SAP engineer"),
        ("user", "a user"),
        ("one-off job", "a one-off job"),
        ("European client", "a European client"),
        ("hour", "an hour"),
        ("honest answer", "an honest answer"),
        ("SQL expert", "an SQL expert"),
        ("URL", "a URL"),
        ("HTML page", "an HTML page"),
    ],
)
def test_the_article_fits_the_sound(phrase: str, expected: str) -> None:
    assert with_article(phrase) == expected


def test_an_empty_phrase_takes_a() -> None:
    assert article("") == "a" and article("  ") == "a" and article("...") == "a"
