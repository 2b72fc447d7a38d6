import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.companion.money import parse_number, read_budget
from tandem.companion.understand import read_duration_weeks, read_experience_level


@pytest.mark.parametrize(
    ("text", "kind", "low", "high", "currency"),
    [
        ("Budget $60-80/hr", "hourly", 60, 80, "USD"),
        ("I can pay 5k for the whole project", "fixed", 5000, 5000, None),
        ("₹2,00,000 fixed", "fixed", 200000, 200000, "INR"),
        ("EUR 3.000 total", "fixed", 3000, 3000, "EUR"),
        ("around 50 quid an hour", "hourly", 50, 50, "GBP"),
        ("between 500 and 800 euros", "fixed", 500, 800, "EUR"),
        ("CA$45 per hour", "hourly", 45, 45, "CAD"),
        ("R$ 2000 pelo projeto", "fixed", 2000, 2000, "BRL"),
        ("ideally 40 to 55 usd per hour", "hourly", 40, 55, "USD"),
        ("up to $1,500 for the logo and cards", "fixed", None, 1500, "USD"),
        ("3 to 4 weeks, pay $900", "fixed", 900, 900, "USD"),
        ("no budget yet, tell me your rate", None, None, None, None),
    ],
)
def test_budgets(
    text: str, kind: str | None, low: float | None, high: float | None, currency: str | None
) -> None:
    got = read_budget(text)
    assert (got.kind, got.minimum, got.maximum, got.currency) == (kind, low, high, currency)


@given(st.integers(0, 10**9))
def test_grouped_numbers_parse_back(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("about 3 weeks", 3.0),
        ("2-3 months", 13.0),
        ("in two weeks", 2.0),
        ("durante 2 meses", 8.7),
        ("I have 5 years of experience", None),
        ("20 hours per week", None),
        ("pendant trois semaines", 3.0),
    ],
)
def test_durations(text: str, weeks: float | None) -> None:
    assert read_duration_weeks(text) == weeks


def test_levels() -> None:
    assert read_experience_level("a senior React developer") == "expert"
    assert read_experience_level("Junior welcome") == "entry"
    assert read_experience_level("mid-level analyst") == "intermediate"
    assert read_experience_level("a logo") is None
