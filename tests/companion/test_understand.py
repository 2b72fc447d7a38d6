"""Duration, hours a week and level read the way people outside the project write them."""

import pytest

from tandem.companion.understand import (
    read_duration_weeks,
    read_experience_level,
    read_hours_per_week,
)


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        # "N <unit> of X" is how long only when X is the work itself.
        ("reconcile 5 months of receipts in Xero", None),
        ("clean up 2 years of sales data", None),
        ("3 weeks of work, maybe less", 3.0),
        ("4 weeks of part-time development", 4.0),
        # ... also written as a worth, with a note before the "of", or as a past stretch.
        ("I have 9 months' worth of invoices to sort", None),
        ("18 months (2024 and half of 2025) of card statements to match", None),
        ("reconcile the past 6 months in Xero, 2 weeks", 2.0),
        ("3 weeks (maybe 4) of work", 3.0),
        # A frequency or a price per period is not how long the work lasts.
        ("we publish 3x a week on LinkedIn", None),
        ("I pay $400 a month for this", None),
        ("twice a month, on call", None),
        ("done within a week", 1.0),
        # Years of practice are experience, not the job's length.
        ("4-6 years with Shopify, 2 weeks to deliver", 2.0),
        ("7 years of B2B copywriting experience", None),
        ("a 2 year contract", 104.0),
        # Hyphenated lengths and more languages.
        ("a 4-week project", 4.0),
        ("consegna in 3 settimane", 3.0),
        ("entro due settimane", 2.0),
        ("Laufzeit: 4 Monate", 17.4),
        ("over 10 days", 1.4),
        ("half a year", 26.0),
        ("a fortnight, maybe two", 2.0),
        ("deliver in 14 business days", 2.0),
        ("projekt na trzy tygodnie", 3.0),
        ("opdracht van twee weken", 2.0),
        ("1 call a week, ongoing", None),
        ("$450, within a week", 1.0),
        ("we have been 9 years in business; the job takes 3 weeks", 3.0),
    ],
)
def test_durations(text: str, weeks: float | None) -> None:
    assert read_duration_weeks(text) == weeks


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # Level words only about the person hired.
        ("help with data entry for our warehouse", None),
        ("an entry-level copywriter", "entry"),
        ("a lead generation campaign", None),
        ("Lead illustrator for a card game", "expert"),
        ("Agency to recruit junior accountants for us", None),
        ("Coach wanted to mentor senior managers", None),
        ("we are hiring a senior accountant", "expert"),
        ("an intermediate-level translator", "intermediate"),
        ("beginners welcome", "entry"),
        # Years of practice map to a level; the years of a company do not.
        ("6 years of Figma experience", "expert"),
        ("2-4 years with Xero", "intermediate"),
        ("Programador con 5 años de experiencia", "expert"),
        ("Entwickler mit 3 Jahren Erfahrung", "intermediate"),
        ("our company was founded 8 years ago", None),
        ("12 years in business, looking for a designer", None),
        ("1 year of experience is fine", None),
    ],
)
def test_levels(text: str, level: str | None) -> None:
    assert read_experience_level(text) == level


def test_lead_is_a_rank_only_before_a_role() -> None:
    assert read_experience_level("lead backend developer for a fintech") == "expert"
    assert read_experience_level("a lead generation writer for cold emails") is None
    assert read_experience_level("8+ years, lead list building") == "expert"


@pytest.mark.parametrize(
    ("text", "hours", "weeks"),
    [
        ("React developer, 20 hours a week, for 3 months", 20.0, 13.0),
        ("about 20 h/week", 20.0, None),
        ("20hrs/wk, remote", 20.0, None),
        ("10-15 hours per week for 8 weeks", 15.0, 8.0),  # a range: its upper end
        ("ten hours a week", 10.0, None),
        ("20+ hours weekly", 20.0, None),
        ("Buchhalter gesucht, 20 Stunden pro Woche", 20.0, None),
        ("20 Wochenstunden, 6 Monate", 20.0, 26.1),
        ("traductor, 20 horas por semana", 20.0, None),
        ("10 a 15 horas semanales", 15.0, None),
        ("comptable, 20 heures par semaine", 20.0, None),
        ("20h/semaine pendant 2 mois", 20.0, 8.7),
        # Budgets, durations and totals are no hours a week.
        ("$20/hour for 10 weeks", None, 10.0),
        ("40 hours total", None, None),
        ("40 hours over 4 weeks", None, 4.0),
        ("$20 hours a week", None, None),
        ("4 hours a day", None, None),
        ("200 hours a week", None, None),  # more than a week holds
        # Vague words get no number made up for them.
        ("part-time, a few hours a week", None, None),
        ("full-time role", None, None),
    ],
)
def test_hours_a_week(text: str, hours: float | None, weeks: float | None) -> None:
    assert read_hours_per_week(text) == hours
    assert read_duration_weeks(text) == weeks  # each reads its own number
