"""Explanations: reasons with evidence, from features and contributions."""

from tandem.explain.reasons import money, rate_text, reasons_for

__all__ = ["money", "rate_text", "reasons_for"]
