import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.companion.letters import BY, TO, _said_before, edit_letter, sentences, shorten
from tests.conftest import deadline

LETTER = (
    "Hello, I read your post “Build a Django API”. I am a Backend Developer with 6 years of "
    "experience. The skills you ask for that I work with: Python, Django. A related piece of my "
    "work: Inventory API for a retail chain with 40 stores. I am available 30 hours a week. "
    "My rate is 55 USD per hour. I would be glad to discuss how to start."
)


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("change the rate to $45", "My rate is 45 USD per hour."),
        ("my hourly rate is 40 EUR", "My rate is 40 EUR per hour."),
        ("bid 60 an hour instead", "My rate is 60 USD per hour."),
    ],
)
def test_a_new_rate_replaces_the_rate_sentence(text: str, rate: str) -> None:
    edited = edit_letter(LETTER, text)
    assert rate in edited.letter and "55 USD" not in edited.letter and edited.changes


@pytest.mark.parametrize("text", ["make it shorter", "too long, trim it", "hazla más corta"])
def test_shorter_keeps_greeting_skills_rate_and_closing(text: str) -> None:
    edited = edit_letter(LETTER, text)
    assert len(edited.letter) < len(LETTER) and edited.changes == ["made it shorter"]
    for kept in ("Hello,", "Python, Django", "My rate is 55 USD", "discuss how to start"):
        assert kept in edited.letter
    short = "Hello. My rate is 5 USD per hour. Thanks."
    assert shorten(short) == short


def test_a_mention_adds_the_freelancers_own_words_before_the_closing() -> None:
    edited = edit_letter(LETTER, "please mention my Django experience")
    assert edited.letter.endswith(
        "I would also like to mention my Django experience. I would be glad to discuss how to "
        "start."
    )
    led = edit_letter(LETTER, "also mention that I have led a team of 4").letter
    assert "I have led a team of 4. I would be glad" in led


@pytest.mark.parametrize("text", ["hello?", "what do you think", "ok thanks"])
def test_a_message_that_asks_for_no_edit_changes_nothing(text: str) -> None:
    assert edit_letter(LETTER, text).changes == [] and edit_letter(LETTER, text).letter == LETTER


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("change the rate from $50 to $45", "My rate is 45 USD per hour."),
        ("lower my rate from 50 to 45 USD", "My rate is 45 USD per hour."),
        ("set my rate to $45/h, I can do 20 hours a week", "My rate is 45 USD per hour."),
        ("change the rate to $45 per hour, the budget is $2000", "My rate is 45 USD per hour."),
    ],
)
def test_the_new_rate_is_the_one_said_after_to(text: str, rate: str) -> None:
    edited = edit_letter(LETTER, text)
    assert rate in edited.letter
    assert edited.changes == [f"rate {rate.split()[3]} USD per hour"]


def test_a_rate_changed_by_an_amount_is_not_set_to_that_amount() -> None:
    edited = edit_letter(LETTER, "drop my rate by $5")
    assert "My rate is 5 USD" not in edited.letter
    assert edited.changes == [] and edited.letter == LETTER


#: The sentence pattern as it was: right, but quadratic on text with no sentence end.
_SENTENCE_BEFORE = re.compile(r"[^.!?]+[.!?]+(?:\s+|$)")


@settings(max_examples=500)
@given(st.text("ab .!?\n\t", max_size=30))
def test_sentences_are_the_ones_the_plain_pattern_finds(text: str) -> None:
    assert sentences(text) == [s.strip() for s in _SENTENCE_BEFORE.findall(text)]


@pytest.mark.parametrize("unit", ["x", "a ", "Node.js "])
def test_a_letter_with_no_sentence_end_is_read_in_linear_time(unit: str) -> None:
    """400,000 characters that never end a sentence, shortened and given a rate.

    The plain pattern tried every position and read to the end each time: n²/2 steps, 2.2 s
    at 20,000 characters, so about 15 minutes here; one pass takes milliseconds.
    """
    letter = unit * (400_000 // len(unit))
    with deadline(20, "shorten and edit_letter"):
        assert shorten(letter) == letter
        edited = edit_letter(letter, "change the rate to $45")
    assert edited.letter.endswith("My rate is 45 USD per hour.")


_PIECES = ["by", "BY", "um", "to", "To", "para", "lapara", "a", "à", "zu", "auf", "ab", "x"]
_PIECES += [" ", "  ", "\n", "$5", "5", "-"]


@settings(max_examples=500)
@given(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join), st.integers(0, 40))
def test_a_word_before_an_amount_is_what_the_plain_search_finds(text: str, at: int) -> None:
    at = min(at, len(text))
    for pattern in (BY, TO):
        assert _said_before(pattern, text, at) == (pattern.search(text[:at]) is not None)


def test_a_message_of_many_amounts_is_read_in_linear_time() -> None:
    """66,666 amounts in 200,000 characters, each once searched for "by" or "to" before it.

    Searching the whole text before each amount: n²/2 steps, 8 s at 20,000 characters, so
    about 13 minutes here; from the blanks before each amount it takes well under a second.
    """
    text = "change the rate to " + "$1 " * 66_666
    with deadline(20, "edit_letter"):
        edited = edit_letter(LETTER, text)
    assert edited.rate == (1.0, "USD")
    assert edit_letter(LETTER, "change my rate from $50 to $45").rate == (45.0, "USD")
    assert edit_letter(LETTER, "lower my rate by $5").rate is None
