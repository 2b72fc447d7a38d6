"""Prices against budgets in words: like with like, claiming only what the numbers say."""

from __future__ import annotations

from tandem.rank.features import FAR_BELOW, RateFit


def money(amount: float | None) -> str:
    """``$1,234`` style USD amounts (``?`` when unknown)."""
    if amount is None:
        return "?"
    return f"${amount:,.0f}" if amount >= 100 else f"${amount:,.2f}".replace(".00", "")


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
        return f"{what} cannot be converted to USD to compare with {_budget_words(rate)}"
    if rate.hours is not None and rate.hourly_usd is not None:
        return (
            f"Est. {rate.hours:g} h at {money(rate.hourly_usd)}/h = {money(rate.price_usd)}, "
            f"{_against(rate)}"
        )
    return f"{what} {money(rate.price_usd)}{per_hour} is {_against(rate)}"
