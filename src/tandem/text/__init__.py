"""Text helpers: PII detection and redaction."""

from tandem.text.pii import PiiSpan, find_pii, redact

__all__ = ["PiiSpan", "find_pii", "redact"]
