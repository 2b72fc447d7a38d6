"""Encoders by name; a dotted path ``package.module:Class`` loads a user's own."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from tandem.embed.base import Encoder
from tandem.embed.hashing import HashingEncoder
from tandem.embed.minilm import MiniLMEncoder
from tandem.errors import ConfigurationError

ENCODERS: dict[str, Callable[[], Encoder]] = {
    "minilm": MiniLMEncoder,
    "hashing": HashingEncoder,
}


def create_encoder(name: str) -> Encoder:
    """An encoder by registered name or ``module:Class`` path."""
    if name in ENCODERS:
        return ENCODERS[name]()
    if ":" in name:
        module_name, _, attr = name.partition(":")
        factory = getattr(importlib.import_module(module_name), attr)
        encoder = factory()
        if isinstance(encoder, Encoder):
            return encoder
    known = ", ".join(sorted(ENCODERS))
    raise ConfigurationError(f"unknown encoder {name!r}; known: {known} or 'module:Class'")
