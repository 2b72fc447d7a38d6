"""Text from people is data, never instructions: find sentences that try to steer an AI."""

from __future__ import annotations

import re

INSTRUCTION = re.compile(
    r"(ignore\s+(?:all\s+|any\s+)?(?:previous|prior|above|earlier)\s+instructions|"
    r"disregard\s+(?:all\s+|the\s+)?(?:previous|above)|you\s+are\s+now\b|^\s*system\s*:|"
    r"\bas\s+an\s+ai\b|rank\s+\S+\s+(?:first|top|highest)|mark\s+every\s+\w+\s+as|"
    r"act\s+as\s+(?:an?\s+)?(?:admin|system|developer\s+mode)|jailbreak|prompt\s+injection)",
    re.IGNORECASE | re.MULTILINE,
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def split_instructions(text: str) -> tuple[str, list[str]]:
    """The text without sentences aimed at an AI, and those sentences (kept for the record)."""
    kept: list[str] = []
    dropped: list[str] = []
    for part in SENTENCE_END.split(text):
        sentence = part.strip()
        if not sentence:
            continue
        (dropped if INSTRUCTION.search(sentence) else kept).append(sentence)
    return " ".join(kept), dropped
