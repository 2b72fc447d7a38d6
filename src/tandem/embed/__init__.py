"""Sentence encoders: the Encoder protocol and its backends."""

from tandem.embed.base import Encoder, Vectors, normalise_rows
from tandem.embed.hashing import HashingEncoder
from tandem.embed.minilm import MiniLMEncoder
from tandem.embed.registry import ENCODERS, create_encoder

__all__ = [
    "ENCODERS",
    "Encoder",
    "HashingEncoder",
    "MiniLMEncoder",
    "Vectors",
    "create_encoder",
    "normalise_rows",
]
