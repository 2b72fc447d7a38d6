"""Sentence encoders: the Encoder protocol and its backends."""

from tandem.embed.base import Encoder, Vectors, encoder_identity, normalise_rows
from tandem.embed.hashing import HashingEncoder
from tandem.embed.minilm import MiniLMEncoder
from tandem.embed.onnx_minilm import OnnxMiniLMEncoder
from tandem.embed.registry import ENCODERS, create_encoder

__all__ = [
    "ENCODERS",
    "Encoder",
    "HashingEncoder",
    "MiniLMEncoder",
    "OnnxMiniLMEncoder",
    "Vectors",
    "create_encoder",
    "encoder_identity",
    "normalise_rows",
]
