"""Explanations: reasons with evidence, from features and contributions."""

from tandem.explain.points import points_text
from tandem.explain.rates import money, rate_text
from tandem.explain.reasons import reasons_for
from tandem.explain.summary import CARD_REASONS, ReasonSplit, most_telling

__all__ = [
    "CARD_REASONS",
    "ReasonSplit",
    "money",
    "most_telling",
    "points_text",
    "rate_text",
    "reasons_for",
]
