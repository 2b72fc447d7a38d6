"""Chat backends by name, and the one the settings ask for.

Only one technology today (every server Tandem targets speaks the OpenAI API); the table is
where a second one, or a user's own (a dotted path), would be added.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from tandem.errors import ValidationError
from tandem.llm.base import ChatBackend
from tandem.settings import Settings

#: Backend name -> ``module:Class``, imported on first use.
BACKENDS: dict[str, str] = {"openai": "tandem.llm.openai_compatible:OpenAICompatible"}


def create_backend(
    name: str, base_url: str, model: str, api_key: str | None = None, timeout: float = 20.0
) -> ChatBackend:
    """The backend called ``name`` (or at a dotted ``module:Class`` path)."""
    target = BACKENDS.get(name, name)
    if ":" not in target:
        raise ValidationError(f"unknown LLM backend {name!r}; one of {', '.join(BACKENDS)}")
    module, _, attr = target.partition(":")
    factory: Callable[..., ChatBackend] = getattr(importlib.import_module(module), attr)
    return factory(base_url, model, api_key, timeout)


def backend_from_settings(settings: Settings) -> ChatBackend | None:
    """The configured backend, or ``None`` when no LLM is configured (the default)."""
    if not settings.llm_base_url:
        return None
    return create_backend(
        "openai",
        settings.llm_base_url,
        settings.llm_model or "default",
        settings.llm_api_key,
        settings.llm_timeout,
    )
