"""The contract every chat-model backend keeps."""

from __future__ import annotations

from typing import Protocol


class ChatBackend(Protocol):
    """Anything that answers a system + user message with text."""

    @property
    def name(self) -> str:
        """The model's name, shown in notes."""
        ...

    def complete(self, system: str, user: str) -> str:
        """The model's reply (raises on timeout or error)."""
        ...
