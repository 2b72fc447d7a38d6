"""Comparing money across currencies, and how an amount reads.

Rates and budgets stay in the currency they were given in; comparisons
(filters, rate-vs-budget reasons) convert both sides to USD with the
approximate reference rates below. They are deliberately static: Tandem runs
offline and a ranking must be replayable. Operators who need live rates can
pass their own table to :func:`to_usd`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

#: Approximate USD value of one unit of each currency (reference, late 2026).
USD_PER_UNIT: Final[Mapping[str, float]] = {
    "USD": 1.0, "EUR": 1.08, "GBP": 1.27, "CHF": 1.13, "CAD": 0.73, "AUD": 0.66,
    "NZD": 0.60, "JPY": 0.0067, "CNY": 0.14, "HKD": 0.128, "SGD": 0.75, "INR": 0.012,
    "PKR": 0.0036, "BDT": 0.0083, "LKR": 0.0033, "PHP": 0.017, "IDR": 0.000063,
    "MYR": 0.22, "THB": 0.028, "VND": 0.00004, "KRW": 0.00073, "TWD": 0.031,
    "AED": 0.272, "SAR": 0.267, "ILS": 0.27, "TRY": 0.03, "EGP": 0.02, "NGN": 0.00065,
    "KES": 0.0077, "ZAR": 0.054, "MAD": 0.1, "BRL": 0.18, "MXN": 0.055, "ARS": 0.001,
    "CLP": 0.00105, "COP": 0.00025, "PEN": 0.27, "UAH": 0.024, "PLN": 0.25, "CZK": 0.043,
    "HUF": 0.0027, "RON": 0.22, "BGN": 0.55, "SEK": 0.095, "NOK": 0.093, "DKK": 0.145,
    "RUB": 0.011,
}  # fmt: skip


#: Crypto tickers a budget or rate may be given in (not ISO 4217): kept as written, with no
#: reference rate, so amounts in them are never compared ("4,500 USDC" is no dollar amount:
#: a stablecoin is not the dollar it tracks, and BTC moves too much for a static rate).
TICKERS: Final[frozenset[str]] = frozenset({"USDC", "USDT", "BTC", "ETH"})


def known_currency(code: str) -> bool:
    """Whether Tandem can compare amounts in ``code``."""
    return code.upper() in USD_PER_UNIT


def accepted_currency(code: str) -> bool:
    """Whether a new record may give money in ``code``: a reference rate or a known ticker."""
    return code.upper() in USD_PER_UNIT or code.upper() in TICKERS


def to_usd(amount: float, currency: str, table: Mapping[str, float] = USD_PER_UNIT) -> float | None:
    """``amount`` in USD, or None when the currency is not in the table (never a guess)."""
    rate = table.get(currency.upper())
    return None if rate is None else amount * rate


def amount_text(value: float) -> str:
    """``4500.0 -> '4,500'``, ``37.5 -> '37.50'``: separators, cents only when present.

    How every face writes an amount for people (the web's budgets, the companion's letters):
    ``%g`` printed 125000 as "125000" and seven digits in exponent notation.
    """
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"
