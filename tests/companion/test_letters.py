import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.companion.letters import (
    BY,
    JOB_PRICE_SENTENCE,
    TO,
    _said_before,
    edit_letter,
    job_price_sentence,
    sentences,
    shorten,
    stated_job_price,
)
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


#: The sentence pattern alone: right, but quadratic on text with no sentence end.
_SENTENCE_BEFORE = re.compile(r"(?:[^.!?]|[.!?]+(?=[^\s.!?]))+[.!?]+(?:\s+|$)")


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


#: A fixed-price job's letter as the draft writes it: a price for the whole job, no rate.
FIXED = LETTER.replace("My rate is 55 USD per hour.", job_price_sentence(7200, "USD"))
#: One whose job states no hours, so the draft could price nothing.
OPEN = LETTER.replace("My rate is 55 USD per hour.", job_price_sentence(None, "EUR"))


@pytest.mark.parametrize(
    ("amount", "said", "read"),
    [
        (7200, "My price for the whole job is 7,200 USD.", (7200.0, "USD")),
        (11_400, "My price for the whole job is 11,400 USD.", (11_400.0, "USD")),
        (1_250_000, "My price for the whole job is 1,250,000 USD.", (1_250_000.0, "USD")),
        (1_200.5, "My price for the whole job is 1,200.50 USD.", (1_200.5, "USD")),
        (None, "My price for the whole job is to be agreed in USD.", None),
    ],
)
def test_the_job_price_sentence_is_read_back_as_written(
    amount: float | None, said: str, read: tuple[float, str] | None
) -> None:
    assert job_price_sentence(amount, "USD") == said
    assert JOB_PRICE_SENTENCE.search(f"Hello. {said} Thanks.") is not None
    assert stated_job_price(f"Hello. {said} Thanks.") == read


@pytest.mark.parametrize("letter", [FIXED, OPEN])
def test_a_bid_edit_replaces_the_drafted_job_price(letter: str) -> None:
    edited = edit_letter(letter, "make my bid $900", fixed_price=True)
    assert edited.rate == (900.0, "USD") and edited.per == "job"
    assert edited.letter.count("My price for the whole job") == 1
    assert "My price for the whole job is 900 USD." in edited.letter
    assert stated_job_price(edited.letter) == (900.0, "USD")
    kept = edit_letter(OPEN, "change my price to 900", fixed_price=True)
    assert "is 900 EUR." in kept.letter  # no currency said: the letter's stays


@pytest.mark.parametrize("letter", [FIXED, OPEN])
def test_shorter_and_by_edits_keep_the_job_price(letter: str) -> None:
    price = JOB_PRICE_SENTENCE.search(letter)
    assert price is not None
    assert price.group(0) in edit_letter(letter, "make it shorter", fixed_price=True).letter
    by = edit_letter(letter, "lower it by $50", fixed_price=True)
    assert by.letter == letter and by.changes == [] and by.rate is None
    hourly = edit_letter(letter, "change the rate to $30", fixed_price=True)
    assert hourly.hourly_on_fixed and hourly.letter == letter


def test_a_stop_inside_a_number_or_name_ends_no_sentence() -> None:
    """ "with 16.8 years" was two sentences: shorter kept "8 years of experience." alone."""
    letter = LETTER.replace("6 years", "16.8 years").replace("Python, Django", "Node.js, .NET")
    assert "I am a Backend Developer with 16.8 years of experience." in sentences(letter)
    assert "The skills you ask for that I work with: Node.js, .NET." in sentences(letter)
    short = shorten(letter)
    assert short != letter and "Node.js, .NET" in short
    assert "16.8 years" in short or "8 years" not in short  # never the number's tail alone
    assert shorten("Hello. I work with Python. Some words. And no stop at the end") == (
        "Hello. I work with Python. Some words. And no stop at the end"
    )
