"""Prices against budgets in words: like with like, claiming only what the numbers say."""

from __future__ import annotations

import math

from tandem.rank.features import FAR_BELOW, RateFit

#: Above this an amount or a count is said as "more than" it: the domain's bounds keep new
#: records far below (``tandem.domain.models``), but a row stored before them may hold 1e308,
#: whose products are infinite; a reason never says "$inf".
SAID_UP_TO = 1e12
#: A price this many times its budget is said as "more than" it, not as a 19-digit ratio.
RATIO_SAID_UP_TO = 1000.0
#: The evidence of a comparison that was made, and of one a currency prevented.
COMPARED = "amounts compared in USD at reference rates"
NO_REFERENCE_RATE = "no reference rate to USD for a currency: amounts not compared"


def money(amount: float | None) -> str:
    """``$1,234`` style USD amounts (``?`` when unknown)."""
    if amount is None or math.isnan(amount):
        return "?"
    if amount > SAID_UP_TO:
        return f"more than ${SAID_UP_TO:,.0f}"
    return f"${amount:,.0f}" if amount >= 100 else f"${amount:,.2f}".replace(".00", "")


def _hours(hours: float) -> str:
    return f"more than {SAID_UP_TO:,.0f}" if hours > SAID_UP_TO else f"{hours:g}"


def unconvertible(rate: RateFit) -> bool:
    """Whether the price or the budget could not be converted to USD (an unknown currency).

    New records are refused such a currency; a row stored before that rule still reads.
    """
    if rate.status != "not_comparable":
        return False
    return rate.hourly_usd is None or (rate.budget_min_usd is None and rate.budget_max_usd is None)


def rate_evidence(rate: RateFit) -> list[str]:
    """What the reason's amounts are: USD at reference rates, unless a currency had none."""
    return [NO_REFERENCE_RATE if unconvertible(rate) else COMPARED]


def _budget_words(rate: RateFit) -> str:
    """``the $38-$68/h budget`` or ``the $400 fixed budget``."""
    per_hour = "/h" if rate.budget_type == "hourly" else ""
    fixed = " fixed" if rate.budget_type == "fixed" else ""
    lo, hi = rate.budget_min_usd, rate.budget_max_usd
    if lo is not None and hi is not None and lo != hi:
        amount = f"{money(lo)}-{money(hi)}{per_hour}"
    else:
        amount = money(hi if hi is not None else lo) + per_hour
    return f"the {amount}{fixed} budget"


def _against(rate: RateFit) -> str:
    """How the price stands against the budget: under, within, or by how much over."""
    budget = _budget_words(rate)
    if rate.status == "below":
        lo = rate.budget_min_usd or 0.0
        far = rate.price_usd is not None and rate.price_usd < FAR_BELOW * lo
        return f"{'well ' if far else ''}below {budget}"
    if rate.status == "over":
        top = rate.budget_max_usd if rate.budget_max_usd is not None else rate.budget_min_usd
        ratio = (rate.price_usd or 0.0) / max(top or 0.0, 1e-9)
        if ratio < 2:
            return f"{100 * (ratio - 1):.0f}% over {budget}"
        if ratio > RATIO_SAID_UP_TO:
            return f"more than {RATIO_SAID_UP_TO:,.0f}x {budget}"
        return f"{ratio:.1f}x {budget}".replace(".0x", "x")
    return f"within {budget}"


def rate_text(rate: RateFit) -> str:
    """How a price compares with a budget, in words that claim only what the numbers say.

    A fixed budget is compared with a fixed bid, or with an estimate the text spells out
    (hours the job states times the hourly rate); never an hourly rate with a fixed price.
    """
    what = "Bid" if rate.source == "bid" else "Rate"
    per_hour = "/h" if rate.source == "rate" or rate.budget_type == "hourly" else ""
    if rate.status == "no_budget":
        return f"{what} {money(rate.price_usd)}{per_hour}; the job gives no budget"
    if rate.status == "not_comparable":
        if rate.budget_type == "fixed" and rate.hourly_usd is not None:
            return (
                f"Rate {money(rate.hourly_usd)}/h cannot be compared with "
                f"{_budget_words(rate)}: the job states no hours to estimate from"
            )
        return _not_converted(rate, what)
    if rate.hours is not None and rate.hourly_usd is not None:
        return (
            f"Est. {_hours(rate.hours)} h at {money(rate.hourly_usd)}/h = {money(rate.price_usd)}, "
            f"{_against(rate)}"
        )
    return f"{what} {money(rate.price_usd)}{per_hour} is {_against(rate)}"


def _not_converted(rate: RateFit, what: str) -> str:
    """Which side's currency has no reference rate, without an amount it could not know."""
    own = rate.price_usd is None and rate.hourly_usd is None
    budget = rate.budget_min_usd is None and rate.budget_max_usd is None
    whose = " and ".join(
        w for w, unknown in ((f"the {what.lower()}'s", own), ("the budget's", budget)) if unknown
    )
    return f"{what} not compared with the budget: {whose or 'a'} currency has no reference rate"
