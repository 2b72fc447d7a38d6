"""How amounts read on the web pages: one place, so the job list and the job page agree.

Budgets were printed with ``%g``, so 4500 read "4500" and 125000 read "125000" (and ``%g``
turns seven digits into exponent notation). People read amounts with thousands separators
and without a trailing ".0"; cents are shown only when there are some.
"""

from __future__ import annotations

from tandem.domain import Budget
from tandem.domain.money import amount_text

#: The one way an amount reads (:func:`tandem.domain.money.amount_text`), by its old name here.
amount = amount_text


def budget_text(budget: Budget) -> str:
    """``'4,500 USD'``, ``'30–50 USD/h'``: the range (or single amount) and its currency."""
    top = budget.max if budget.max is not None else budget.min or 0.0
    span = (
        amount(top)
        if budget.min is None or budget.min == top
        else f"{amount(budget.min)}–{amount(top)}"
    )
    return f"{span} {budget.currency}" + ("/h" if budget.type == "hourly" else "")
