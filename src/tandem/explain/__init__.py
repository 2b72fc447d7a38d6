"""Explanations: reasons with evidence, from features and contributions."""

from tandem.explain.rates import money, rate_text
from tandem.explain.reasons import reasons_for

__all__ = ["money", "rate_text", "reasons_for"]
