"""A count and its noun, agreeing: "1 person", "3 people", "0.5 hours", "1 week".

Every sentence that puts a number before a noun ("I showed 1 people", "1 weeks") asks here,
so the rule is written once. English takes the singular for exactly one and the plural for
everything else: none, fractions and decimals included ("0 jobs", "1.5 hours"). A number is
written as ``:g`` writes it (20, not 20.0), so money and measures read as typed.
"""

from __future__ import annotations


def noun_for(n: float, noun: str, plural: str | None = None) -> str:
    """``noun`` for exactly one, else ``plural`` (default: ``noun`` + "s")."""
    return noun if n == 1 else (plural or noun + "s")


def counted(n: float, noun: str, plural: str | None = None) -> str:
    """``n`` and its noun: ``counted(1, "person", "people") == "1 person"``."""
    return f"{n:g} {noun_for(n, noun, plural)}"
