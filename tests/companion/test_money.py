import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.companion.money import BARE_LOW, _bare_low, parse_number, read_budget
from tandem.companion.understand import read_duration_weeks, read_experience_level
from tests.conftest import deadline


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


@pytest.mark.parametrize(
    ("text", "kind", "low", "high", "currency"),
    [
        # "Budget" says how much, not how it is paid: under FIXED_ABOVE it stays unknown.
        ("Budget: 120 € for a flyer", None, 120, 120, "EUR"),
        ("Budget 900 dollars for the brochure", "fixed", 900, 900, "USD"),
        # A bare number before a plural noun counts things, it is not the money.
        ("Convert 15 slides, 20 an hour", "hourly", 20, 20, None),
        ("A short deck (6-9 screens). Budget is open.", None, None, None, None),
        ("Around 300 invoices to key in, rate: 12", None, 12, 12, None),
        # Hourly cues in the languages clients write in.
        ("Tarif : 35 € de l'heure", "hourly", 35, 35, "EUR"),
        ("Vergütung 45 €/Std.", "hourly", 45, 45, "EUR"),
        ("Pagamos 30 USD/hora", "hourly", 30, 30, "USD"),
        ("tariffa 25 € all'ora", "hourly", 25, 25, "EUR"),
        ("22 usd/h, part time", "hourly", 22, 22, "USD"),
        # A price per period or per unit is neither hourly nor a total, whatever its size.
        ("Salario mensual de 12,000 MXN", None, 12000, 12000, "MXN"),
        ("monthly retainer of $2,000 for the newsletter", None, 2000, 2000, "USD"),
        ("$900 monthly for community management", None, 900, 900, "USD"),
        ("Four banners, $300 each", None, 300, 300, "USD"),
        ("£300 per 1000 words", None, 300, 300, "GBP"),
        ("$500 per milestone", None, 500, 500, "USD"),
        ("$1,800 per project", "fixed", 1800, 1800, "USD"),
        # Number formats: a bare high end, a shared "k", Swiss and French grouping.
        ("Pitch deck, $450-600", "fixed", 450, 600, "USD"),
        ("$900 - 3 weeks", "fixed", 900, 900, "USD"),
        ("2-3k EUR for the whole site", "fixed", 2000, 3000, "EUR"),
        ("CHF 2'400 für das Projekt", "fixed", 2400, 2400, "CHF"),
        ("Forfait de 3 500 €", "fixed", 3500, 3500, "EUR"),
        ("trois bannières, 120 € le tout", "fixed", 120, 120, "EUR"),
        ("Flyer und Plakat, insgesamt 180 €", "fixed", 180, 180, "EUR"),
        ("Presupuesto 1.250 €", "fixed", 1250, 1250, "EUR"),
        ("1500 rubles for a logo", "fixed", 1500, 1500, "RUB"),
    ],
)
def test_budgets_as_outsiders_write_them(
    text: str, kind: str | None, low: float | None, high: float | None, currency: str | None
) -> None:
    got = read_budget(text)
    assert (got.kind, got.minimum, got.maximum, got.currency) == (kind, low, high, currency)


@pytest.mark.parametrize(
    ("text", "kind", "low", "high", "currency"),
    [
        ("Smart contract audit, budget 4,500 USDC", "fixed", 4500, 4500, "USDC"),
        ("pay 0.05 BTC for a logo", None, 0.05, 0.05, "BTC"),
        ("PHP 8 developer, budget 500 USD", "fixed", 500, 500, "USD"),
        ("Working hours: 9:00 - 18:00 GMT+1", None, None, None, None),
        ("The project has 3 parts: 1. Chart with live rates. 2. Technical indicator", None,
         None, None, None),
        ("Experience: 5+ years. Salary: competitive", None, None, None, None),
        ("budget: 50. We need it fast", None, 50, 50, None),
        # a count of people doing the coin's work is no amount of the coin
        ("Need 2 ETH developers for a staking dApp, budget 5,000 USDT", "fixed", 5000, 5000,
         "USDT"),
        ("Need 2 ETH developers", None, None, None, None),
    ],
)  # fmt: skip
def test_crypto_kept_and_times_versions_and_list_numbers_are_no_budget(
    text: str, kind: str | None, low: float | None, high: float | None, currency: str | None
) -> None:
    got = read_budget(text)
    assert (got.kind, got.minimum, got.maximum, got.currency) == (kind, low, high, currency)


@pytest.mark.parametrize(
    ("text", "kind", "low", "high", "currency"),
    [
        # Range words and caps in the languages clients write in.
        ("Honorar zwischen 600 bis 900 € je nach Umfang", "fixed", 600, 900, "EUR"),
        ("Presupuesto de 400 a 700 euros", "fixed", 400, 700, "EUR"),
        ("budget entre 300 et 450 €", "fixed", 300, 450, "EUR"),
        ("compenso da 350 a 500 euro", "fixed", 350, 500, "EUR"),
        ("Wir zahlen bis 1.500 € für das Video.", "fixed", None, 1500, "EUR"),
        ("Massimo 900 € in totale", "fixed", None, 900, "EUR"),
        ("ab 250 € für die Übersetzung", "fixed", 250, None, "EUR"),
        ("orçamento a partir de R$ 800", "fixed", 800, None, "BRL"),
        ("Photos for our lab: 600 € in total", "fixed", 600, 600, "EUR"),  # "lab" is no "ab"
        # A currency code on its own names the currency of a bare price beside it.
        ("Voice-over for 8 ads, 90 per ad, GBP.", None, 90, 90, "GBP"),
        ("Paid in EUR: 0.08 a word for 20 blog posts", None, 0.08, 0.08, "EUR"),
        ("Migrate PHP 7.4 to 8.3 for a USD client", None, None, None, None),  # versions
        # The client's spend or revenue is not what the work pays.
        ("Our Meta ad spend is about $8k a month. Setup fee $450.", "fixed", 450, 450, "USD"),
        ("We do $3M in annual revenue; the audit budget is $2,500", "fixed", 2500, 2500, "USD"),
        ("Monthly spend around €20k, need someone to manage it", None, None, None, None),
        ("Umsatz ca. 400.000 €, Budget für das Logo 600 €", "fixed", 600, 600, "EUR"),
        ("Dashboard for our sales data, budget 1500 dollars", "fixed", 1500, 1500, "USD"),
        ("Presentación de ventas: 300 €", "fixed", 300, 300, "EUR"),  # "sales" names the work
        ("Cold email copy to boost sales at $150", None, 150, 150, "USD"),
        ("I will spend $700 on a brand refresh", "fixed", 700, 700, "USD"),
    ],
)
def test_budgets_in_other_words(
    text: str, kind: str | None, low: float | None, high: float | None, currency: str | None
) -> None:
    got = read_budget(text)
    assert (got.kind, got.minimum, got.maximum, got.currency) == (kind, low, high, currency)


@pytest.mark.parametrize(
    "text",
    [
        "CAD drafting for a shed, 40 per drawing",
        "Pay 30 per hour, CAD experience needed",
        "Need SAR image processing, 60 per hour",
    ],
)
def test_an_acronym_before_its_noun_names_no_currency(text: str) -> None:
    """A code that is also an acronym ("CAD drafting") is no currency for a bare price."""
    assert read_budget(text).currency is None


@pytest.mark.parametrize(
    ("text", "kind", "low", "high", "currency"),
    [
        ("Vendo 2 a $300 cada uno", None, 300, 300, "USD"),
        ("Vendo 2 a $300", None, 300, 300, "USD"),
        ("3 x $50", None, 50, 50, "USD"),
        ("2 @ $300", None, 300, 300, "USD"),
        ("2 x 300 €", None, 300, 300, "EUR"),
        ("4 à 50 € pièce", None, 50, 50, "EUR"),
        ("2 à 300 €", None, 300, 300, "EUR"),
        ("Vendo 10 a 15 € cada uno", None, 15, 15, "EUR"),
        # the same words join a range's ends: those stay ranges
        ("de 200 a 300 €", "fixed", 200, 300, "EUR"),
        ("de 10 a 15 € cada uno", None, 10, 15, "EUR"),
        ("10 a $15 por hora", "hourly", 10, 15, "USD"),
        ("500 a 800 USD", "fixed", 500, 800, "USD"),
        ("200 a 3000 €", "fixed", 200, 3000, "EUR"),
        ("pagaré 1.500 a 2.000 €", "fixed", 1500, 2000, "EUR"),
        # a currency after both numbers belongs to both: more than a handful is a range
        ("Presupuesto: 50 a 600 dólares", "fixed", 50, 600, "USD"),
        ("30 a 500 €", "fixed", 30, 500, "EUR"),
    ],
)
def test_a_count_and_the_price_of_each_is_no_range(
    text: str, kind: str | None, low: float | None, high: float | None, currency: str | None
) -> None:
    got = read_budget(text)
    assert (got.kind, got.minimum, got.maximum, got.currency) == (kind, low, high, currency)


@pytest.mark.parametrize(
    ("text", "per"),
    [
        ("0,08 € por palabra", "por palabra"),
        ("$50 per video", "per video"),
        ("0,08 € par mot", "par mot"),
        ("0,07 € a parola", "a parola"),
        ("0,05 € l'articolo", "l'articolo"),
        ("$1,000/month", "/month"),
    ],
)
def test_a_price_per_unit_says_its_unit(text: str, per: str) -> None:
    """A price per unit is marked as one: no reader takes it for a total or an hourly rate."""
    budget = read_budget(text)
    assert budget.per == per and budget.kind is None


@pytest.mark.parametrize(
    ("text", "low"),
    [
        ("3 at $1,000 fixed", 1000),
        ("I need 3 landing pages, 3 at $1,000 fixed.", 1000),
        ("3 x $500 fixed", 500),
        ("2 @ $300 fixed price", 300),
        ("Vendo 2 a $300 precio fijo", 300),
        ("2 logos at $300 fixed", 300),
    ],
)
def test_a_count_at_a_fixed_price_keeps_the_budget_fixed(text: str, low: float) -> None:
    """A fixed cue says how each is paid: the count does not make it a per-unit price."""
    got = read_budget(text)
    assert (got.kind, got.minimum, got.maximum) == ("fixed", low, low)


_PIECES = ["1", "12", "123", "1234", "5.5", " ", ",", ".", "'", "’", "\n", "k", "m ", "a", "x"]
_PIECES += [" and ", " to ", "-", " bis ", " thousand"]


@settings(max_examples=1000)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_the_low_end_of_a_range_is_what_the_plain_search_finds(text: str) -> None:
    plain, found = BARE_LOW.search(text), _bare_low(text)
    assert (found and (found.span(), found.groupdict())) == (
        plain and (plain.span(), plain.groupdict())
    )


def test_a_long_run_of_thousands_groups_before_the_budget_is_read_once() -> None:
    """200,000 characters of "1,11,11,..." (a count: weeks) before the amount.

    Searching for a bare low end tried every group, each reading the rest: 2 s at 8,000
    characters, so about 20 minutes here; one pass takes a fraction of a second.
    """
    text = "1" + ",11" * 66_666 + " weeks, budget $300"
    with deadline(20, "read_budget"):
        guess = read_budget(text)
    assert (guess.minimum, guess.maximum, guess.currency) == (300, 300, "USD")
    assert read_budget("between 1 500 and 2 000 euros").minimum == 1500
