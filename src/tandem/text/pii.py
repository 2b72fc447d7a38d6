"""PII detection and redaction: emails, phone numbers and URLs never reach an index or an LLM."""

from __future__ import annotations

import re
from typing import NamedTuple

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
# A phone number: optional +country, then 7+ digits with common separators.
PHONE = re.compile(r"(?<![\w$€£₹])(?:\+|00)?\d[\d\s().\-]{6,}\d(?![\w%])")
URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)

EMAIL_TOKEN = "[email]"
PHONE_TOKEN = "[phone]"
URL_TOKEN = "[link]"


class PiiSpan(NamedTuple):
    """One detected piece of PII."""

    kind: str
    start: int
    end: int


def _is_phone(candidate: str) -> bool:
    digits = sum(ch.isdigit() for ch in candidate)
    if digits < 7:
        return False
    # Year ranges ("2019-2023") are not phone numbers; anything longer is redacted to be safe.
    return not re.fullmatch(r"\d{4}\s*-\s*\d{4}", candidate.strip())


def find_pii(text: str) -> list[PiiSpan]:
    """Every email, phone number and URL in ``text``, in order, non-overlapping."""
    spans: list[PiiSpan] = []
    for kind, pattern in (("email", EMAIL), ("url", URL), ("phone", PHONE)):
        for m in pattern.finditer(text):
            if kind == "phone" and not _is_phone(m.group()):
                continue
            if any(s.start < m.end() and m.start() < s.end for s in spans):
                continue
            spans.append(PiiSpan(kind, m.start(), m.end()))
    return sorted(spans, key=lambda s: s.start)


def redact(text: str) -> str:
    """``text`` with emails, phone numbers and links replaced by placeholders."""
    tokens = {"email": EMAIL_TOKEN, "phone": PHONE_TOKEN, "url": URL_TOKEN}
    out: list[str] = []
    last = 0
    for span in find_pii(text):
        out.append(text[last : span.start])
        out.append(tokens[span.kind])
        last = span.end
    out.append(text[last:])
    return "".join(out)
