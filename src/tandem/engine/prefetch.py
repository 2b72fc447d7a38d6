"""Start loading the sentence encoder before the engine's own imports.

A command that embeds text (a search query, a request the skill reader reads) needs the
encoder's model within its first second; loading it on a background thread while the engine
imports and opens the store hides most of that wait (ONNX Runtime releases the GIL while it
builds its session).
"""

from __future__ import annotations

from tandem.embed import Encoder, create_encoder
from tandem.settings import Settings


def start_encoder(settings: Settings) -> Encoder:
    """The configured encoder, its model already loading if the backend can preload."""
    encoder = create_encoder(settings.encoder, cache_dir=settings.cache_dir)
    preload = getattr(encoder, "preload", None)
    if callable(preload):
        preload()
    return encoder
