"""Amounts on the web pages read with thousands separators, cents only when present."""

from __future__ import annotations

from tandem.api.formats import amount, budget_text
from tandem.domain import Budget


def test_amounts_have_separators_and_no_trailing_zero() -> None:
    assert [amount(v) for v in (4500.0, 125000, 37.5, 0, 1234567.891)] == [
        "4,500",
        "125,000",
        "37.50",
        "0",
        "1,234,567.89",
    ]


def test_budgets_read_as_a_range_or_one_amount_with_their_currency() -> None:
    assert budget_text(Budget(type="fixed", max=4500)) == "4,500 USD"
    assert budget_text(Budget(type="fixed", min=4500, max=4500, currency="EUR")) == "4,500 EUR"
    assert budget_text(Budget(type="hourly", min=30, max=50)) == "30–50 USD/h"
    assert budget_text(Budget(type="hourly", min=25)) == "25 USD/h"
