"""Comparing money across currencies, and how an amount reads.

Rates and budgets stay in the currency they were given in; comparisons
(filters, rate-vs-budget reasons) convert both sides to USD with the
approximate reference rates below. They are deliberately static: Tandem runs
offline and a ranking must be replayable. Operators who need live rates can
pass their own table to :func:`to_usd`.
"""

from __future__ import annotations

import re
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


#: Words a ticker's coin is written by as an amount's unit ("0.5 bitcoin", "paid in bitcoins").
TICKER_NAMES: Final[Mapping[str, str]] = {"bitcoin": "BTC", "bitcoins": "BTC"}
#: Before a unit: an amount ("2 ETH", "1,500 USDT", "2k ETH"), or a way of paying ("paid in
#: BTC", "payment in ETH"). Read back from the unit, over at most :data:`_UNIT_LOOKBACK`.
_UNIT_BEFORE = re.compile(
    r"(?:(?<![\w.])\d[\d.,]*(?:[^\S\n]?(?:k|m|mn|thousand|million))?|\b(?:paid|pay|pays|paying|"
    r"payment|payments|payable|invoiced?|settled?|budget|priced?|rate|compensated)"
    r"[^\S\n]+(?:in|with|via|using)(?:[^\S\n]+(?:an?|the))?)[^\S\n]?$",
    re.IGNORECASE,
)
_UNIT_LOOKBACK = 40
#: A word of a phrase, amounts whole ("1,500.50").
_WORD = re.compile(r"\d[\d.,]*|[^\W\d_]+")
#: After a unit: an amount ("ETH 2", "BTC 0.5"); not a version ("ETH 2.0", "Ethereum 2.0").
_UNIT_AFTER = re.compile(r"[^\S\n]\d[\d,]*(?:\.\d+)?(?![\w.])(?<!\.0)", re.IGNORECASE)
#: After a unit, what makes it the coin's work, not money: "2 ETH developers", "3 BTC nodes".
_COIN_WORK = re.compile(
    r"[^\S\n]+(?:developers?|devs?|engineers?|programmers?|experts?|specialists?|"
    r"consultants?|smart[^\S\n]+contracts?|dapps?|nodes?|wallets?|miners?|mining)\b",
    re.IGNORECASE,
)


def _is_ticker(word: str) -> bool:
    return word.upper() in TICKERS or word.lower() in TICKER_NAMES


def money_unit(text: str, start: int, end: int) -> bool:
    """Whether the ticker ``text[start:end]`` is the unit of an amount there, not its coin.

    "budget 2 ETH", "ETH 2", "paid in BTC": money, which no skill is (Ethereum is the work of
    "an Ethereum smart contract"). An amount of the coin's work stays the work: "2 ETH
    developers". Only :data:`TICKERS` and :data:`TICKER_NAMES` are units here.
    """
    if not _is_ticker(text[start:end]) or _COIN_WORK.match(text, end):
        return False
    before = text[max(0, start - _UNIT_LOOKBACK) : start]
    return _UNIT_BEFORE.search(before) is not None or _UNIT_AFTER.match(text, end) is not None


def only_money_units(phrase: str, text: str) -> bool:
    """Whether ``phrase``'s words are amounts and tickers ``text`` only ever uses as money.

    What a skill found in other words rests on (its evidence) when it is the "ETH" of
    "budget ETH 2" and nothing else: no evidence of the coin's work.
    """
    said = [w for w in _WORD.findall(phrase) if not w[0].isdigit()]
    if not said or not all(_is_ticker(w) for w in said):
        return False
    for word in said:
        found = list(re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE))
        if not found or not all(money_unit(text, m.start(), m.end()) for m in found):
            return False
    return True


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
