"""Money words: which tickers in a text are the unit of an amount, not the coin's work."""

from __future__ import annotations

import pytest

from tandem.domain.money import amount_text, money_unit, only_money_units


@pytest.mark.parametrize(
    ("text", "word", "unit"),
    [
        ("I need a logo designer, budget 2 ETH", "ETH", True),
        ("Budget ETH 2 for a logo", "ETH", True),
        ("Logo, paid in BTC, big project", "BTC", True),
        ("payment in ETH on delivery", "ETH", True),
        ("0.5 BTC big project", "BTC", True),
        ("2k USDT for the site", "USDT", True),
        ("paid in bitcoin", "bitcoin", True),
        ("build an ETH smart contract", "ETH", False),  # the coin's work
        ("Need 2 ETH developers", "ETH", False),  # a count of people doing it
        ("ETH 2.0 staking dashboard", "ETH", False),  # a version, not an amount
        ("ETH, Solidity and Hardhat", "ETH", False),
        ("budget 2 Ethereum", "Ethereum", False),  # only tickers and their coins' names
    ],
)
def test_a_ticker_is_money_only_as_an_amounts_unit(text: str, word: str, unit: bool) -> None:
    at = text.index(word)
    assert money_unit(text, at, at + len(word)) is unit


def test_evidence_of_money_alone_is_every_use_of_its_ticker_as_money() -> None:
    assert only_money_units("ETH 2", "Budget ETH 2 for a logo")
    assert not only_money_units("ETH", "ETH smart contract, budget 2 ETH")  # one use is work
    assert not only_money_units("2", "2 logos")  # no word beyond the amount


def test_amounts_read_with_separators_and_cents_only_when_present() -> None:
    assert [amount_text(v) for v in (11_400, 45, 45.5, 1_250_000.0)] == [
        "11,400",
        "45",
        "45.50",
        "1,250,000",
    ]
