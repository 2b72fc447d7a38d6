"""Encoders by name; a dotted path ``package.module:Class`` loads a user's own."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from pathlib import Path

from tandem.embed.base import Encoder
from tandem.embed.hashing import HashingEncoder
from tandem.embed.minilm import MiniLMEncoder
from tandem.embed.onnx_minilm import OnnxMiniLMEncoder, default_cache_dir
from tandem.errors import ConfigurationError

#: all-MiniLM-L6-v2 fine-tuned for ESCO skill linking (``bench/train_skill_encoder.py``): a
#: float32 graph with float16 weights. Not shipped (it did not gain on both validation splits;
#: bench/README.md): a graph placed here, or named by the variable below, is used.
ESCO_GRAPH = Path(__file__).parent / "models" / "minilm-esco.onnx"


def esco_graph() -> Path:
    """The ``minilm-esco`` graph: ``TANDEM_SKILL_ENCODER_GRAPH`` (a retrained export) or ours."""
    return Path(os.environ.get("TANDEM_SKILL_ENCODER_GRAPH") or ESCO_GRAPH)


#: Factories by name; each receives the cache directory for files it derives (exported models).
ENCODERS: dict[str, Callable[[Path], Encoder]] = {
    "minilm": lambda cache: OnnxMiniLMEncoder(cache_dir=cache),
    "minilm-int8": lambda cache: OnnxMiniLMEncoder(cache_dir=cache, precision="int8"),
    "minilm-esco": lambda cache: OnnxMiniLMEncoder(
        cache_dir=cache, graph=esco_graph(), name="minilm-esco"
    ),
    "minilm-torch": lambda _cache: MiniLMEncoder(),
    "hashing": lambda _cache: HashingEncoder(),
}


def create_encoder(name: str, *, cache_dir: Path | None = None) -> Encoder:
    """An encoder by registered name or ``module:Class`` path."""
    if name in ENCODERS:
        return ENCODERS[name](cache_dir or default_cache_dir())
    if ":" in name:
        module_name, _, attr = name.partition(":")
        factory = getattr(importlib.import_module(module_name), attr)
        encoder = factory()
        if isinstance(encoder, Encoder):
            return encoder
    known = ", ".join(sorted(ENCODERS))
    raise ConfigurationError(f"unknown encoder {name!r}; known: {known} or 'module:Class'")
