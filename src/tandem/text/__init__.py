"""Text helpers: PII detection and redaction, words of any script."""

from tandem.text.pii import PiiSpan, find_pii, redact
from tandem.text.tokens import fold, words

__all__ = ["PiiSpan", "find_pii", "fold", "redact", "words"]
