"""Chat-model backends: the optional language model the companion may word drafts with.

A layer below the engine (it imports only settings), so the engine can wire a backend from
settings without importing the companion. ``base`` holds the contract, one module per
technology, and :func:`backend_from_settings` picks one by name.
"""

from tandem.llm.base import ChatBackend
from tandem.llm.registry import BACKENDS, backend_from_settings, create_backend

__all__ = ["BACKENDS", "ChatBackend", "backend_from_settings", "create_backend"]
