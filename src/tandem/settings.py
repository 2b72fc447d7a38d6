"""Settings, read once from ``TANDEM_``-prefixed environment variables.

Only ``engine.py``, ``cli.py`` and ``api/`` construct :class:`Settings`; every
other module receives the values it needs as arguments.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_home() -> Path:
    return Path.home() / ".tandem"


def _default_cache() -> Path:
    return Path.home() / ".cache" / "tandem"


class Settings(BaseSettings):
    """Every setting Tandem reads; the README's settings table mirrors this class."""

    model_config = SettingsConfigDict(env_prefix="TANDEM_", extra="ignore")

    home: Path = Field(default_factory=_default_home, description="Where Tandem keeps its data.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the store; default: a SQLite file under TANDEM_HOME.",
    )
    encoder: str = Field(
        default="minilm",
        description=(
            "Sentence encoder: 'minilm' (bundled all-MiniLM-L6-v2 on ONNX Runtime), "
            "'minilm-int8' (the same, int8), 'minilm-torch' (the same on torch) or 'hashing'."
        ),
    )
    cache_dir: Path = Field(
        default_factory=_default_cache,
        description="Files derived once per machine (the ONNX export of the encoder).",
    )
    lexical_backend: str = Field(default="tantivy", description="Lexical engine: 'tantivy'.")
    vector_backend: str = Field(default="hnsw", description="ANN index: 'hnsw' or 'faiss'.")
    host: str = Field(default="127.0.0.1", description="Address the web server binds to.")
    port: int = Field(default=8000, description="Port the web server listens on.")
    demo: bool = Field(
        default=False,
        description="Demo mode: the sign-in page offers the demo users (set by 'tandem demo').",
    )
    llm_base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible chat API the companion may use for wording; unset: none.",
    )
    llm_model: str | None = Field(default=None, description="Model name sent to that API.")
    llm_api_key: str | None = Field(
        default=None, description="API key for that API (local servers accept any)."
    )
    llm_timeout: float = Field(
        default=20.0, description="Seconds to wait for the LLM before using the built-in result."
    )

    @field_validator("home", "cache_dir")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @field_validator("port")
    @classmethod
    def _valid_port(cls, value: int) -> int:
        if not 0 < value < 65536:
            raise ValueError("port must be between 1 and 65535")
        return value

    @property
    def resolved_database_url(self) -> str:
        """The store URL, defaulting to ``sqlite:///$TANDEM_HOME/tandem.db``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'tandem.db'}"

    @property
    def index_dir(self) -> Path:
        """Where search indexes persist."""
        return self.home / "index"

    @property
    def taxonomy_dir(self) -> Path:
        """Where imported taxonomy extensions (ESCO, O*NET) persist."""
        return self.home / "taxonomy"
