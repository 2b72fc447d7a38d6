"""The OpenAI chat-completions API, as OpenAI, vLLM, Ollama and llama.cpp serve it.

``openai`` is imported inside the constructor: a deployment without a model never loads it.
"""

from __future__ import annotations


class OpenAICompatible:
    """One model behind an OpenAI-compatible ``/v1/chat/completions`` endpoint."""

    def __init__(
        self, base_url: str, model: str, api_key: str | None = None, timeout: float = 20.0
    ) -> None:
        from openai import OpenAI

        self._model = model
        self._client = OpenAI(
            base_url=base_url, api_key=api_key or "not-needed", timeout=timeout, max_retries=0
        )

    @property
    def name(self) -> str:
        """The model's name."""
        return self._model

    def complete(self, system: str, user: str) -> str:
        """One deterministic completion (temperature 0, fixed seed)."""
        reply = self._client.chat.completions.create(
            model=self._model,
            messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
            temperature=0.0,
            seed=7,
            max_tokens=400,
        )
        return (reply.choices[0].message.content or "").strip()
