"""Text helpers: PII detection and redaction, words of any script, bounded whitespace."""

from tandem.text.pii import PiiSpan, find_pii, redact
from tandem.text.spaces import bounded_spaces
from tandem.text.tokens import fold, words

__all__ = ["PiiSpan", "bounded_spaces", "find_pii", "fold", "redact", "words"]
