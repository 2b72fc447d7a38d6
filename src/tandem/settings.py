"""Settings, read once from ``TANDEM_``-prefixed environment variables.

Only ``engine.py``, ``cli.py`` and ``api/`` construct :class:`Settings`; every
other module receives the values it needs as arguments.

A plain pydantic model reads the environment itself: the variables are flat strings that
pydantic's lax mode already converts (``"8000"``, ``"true"``, paths), and pydantic-settings,
which would do the same, costs ~0.1 s of import on every command.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

PREFIX = "TANDEM_"
#: Six months, in days: the least a high-risk AI system's automatic logs must be kept.
MIN_DECISION_RETENTION_DAYS = 183


def _default_home() -> Path:
    return Path.home() / ".tandem"


def _default_cache() -> Path:
    return Path.home() / ".cache" / "tandem"


def _from_environment(fields: set[str]) -> dict[str, str]:
    """``TANDEM_NAME=value`` variables naming a field (any case), keyed by field name."""
    found: dict[str, str] = {}
    for key, value in os.environ.items():
        if key.upper().startswith(PREFIX) and key[len(PREFIX) :].lower() in fields:
            found[key[len(PREFIX) :].lower()] = value
    return found


class Settings(BaseModel):
    """Every setting Tandem reads; the README's settings table mirrors this class.

    Arguments win over ``TANDEM_*`` environment variables, which win over the defaults.
    """

    model_config = ConfigDict(extra="ignore")

    def __init__(self, **values: Any) -> None:
        super().__init__(**{**_from_environment(set(type(self).model_fields)), **values})

    home: Path = Field(default_factory=_default_home, description="Where Tandem keeps its data.")
    database_url: str | None = Field(
        default=None,
        description=(
            "Store URL (sqlite:///PATH or postgresql://...); default: a SQLite file under "
            "TANDEM_HOME."
        ),
    )
    encoder: str = Field(
        default="minilm",
        description=(
            "Sentence encoder: 'minilm' (bundled all-MiniLM-L6-v2 on ONNX Runtime), "
            "'minilm-int8' (the same, int8), 'minilm-torch' (the same on torch) or 'hashing'."
        ),
    )
    skill_encoder: str | None = Field(
        default=None,
        description=(
            "Encoder of the ESCO skill linker ('tandem eval skills', linking to an imported "
            "ESCO): 'minilm-esco' (the bundled MiniLM fine-tuned on ESCO) or any encoder "
            "name; unset: the same as 'encoder'."
        ),
    )
    cache_dir: Path = Field(
        default_factory=_default_cache,
        description="Files derived once per machine (the ONNX export of the encoder).",
    )
    import_batch: int = Field(
        default=1000,
        ge=1,
        description=(
            "Records an import parses, checks and writes at a time (one transaction): all it "
            "holds of a bundle file."
        ),
    )
    lexical_backend: str = Field(default="tantivy", description="Lexical engine: 'tantivy'.")
    vector_backend: str = Field(
        default="hnsw",
        description="ANN index: 'hnsw', 'faiss' or 'faiss-sq8' (int8 vectors, ~0.4x the memory).",
    )
    vector_shard_size: int = Field(
        default=131_072,
        ge=1,
        description=(
            "The most vectors in one ANN shard: an import holds one open shard in memory and "
            "seals it at a quarter of the index (8,192 vectors at least), a search asks every "
            "shard (a million profiles are about ten)."
        ),
    )
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

    max_body_bytes: int = Field(
        default=1_048_576,
        ge=1,
        description="Largest request body in bytes (JSON, forms); a larger one answers 413.",
    )
    max_upload_bytes: int = Field(
        default=104_857_600,
        ge=1,
        description=(
            "Largest bundle upload to /api/imports or the imports page in bytes; a larger one "
            "answers 413."
        ),
    )
    rate_limit_per_minute: int = Field(
        default=1200,
        ge=0,
        description=(
            "Requests per minute one token (a browser session; an address without either) "
            "may make, per server process; more answer 429. 0 turns the limit off."
        ),
    )
    rate_limit_burst: int = Field(
        default=300,
        ge=1,
        description="Requests one token may make at once before the per-minute rate applies.",
    )
    fair_by: str | None = Field(
        default=None,
        description=(
            "Fair re-ranking of every served ranking of people by this attribute (e.g. "
            "'gender'): every top of a list holds each group close to its share; unset: off."
        ),
    )
    fair_method: Literal[
        "amortised", "aligned", "detgreedy", "proportional", "detcons", "detconstsort"
    ] = Field(
        default="amortised",
        description=(
            "Fair re-ranking method: 'amortised' (as 'aligned', and leftover slots in the "
            "top 5 and 10 go first to a group whose selection rate, pooled over the rankings "
            "served under the policy, is behind), 'aligned' (DetGreedy after removing each "
            "group's score gap, estimated over recent lists), 'detgreedy', 'proportional', "
            "'detcons' or 'detconstsort'."
        ),
    )

    newcomer_share: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description=(
            "Newcomer exposure for served rankings of a job's candidates: newcomers whose "
            "score clears the list's relevance floor get this share of the top 10's attention "
            "over time (a shortfall carried to later lists); 0: off."
        ),
    )

    @field_validator("fair_by")
    @classmethod
    def _blank_is_off(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    retention_decisions_days: int = Field(
        default=MIN_DECISION_RETENTION_DAYS,
        description=(
            "Days 'tandem purge' keeps decision-log entries; at least 183 (six months, the "
            "EU AI Act's minimum for a high-risk system's logs): less is refused."
        ),
    )
    retention_events_days: int = Field(
        default=730,
        ge=1,
        description="Days 'tandem purge' keeps events other than impressions (training labels).",
    )
    retention_impressions_days: int = Field(
        default=90, ge=1, description="Days 'tandem purge' keeps impression events."
    )
    retention_conversations_days: int = Field(
        default=365,
        ge=1,
        description="Days 'tandem purge' keeps a companion session after its last message.",
    )
    snapshot_grace_seconds: float = Field(
        default=300.0,
        ge=0,
        description=(
            "Seconds an index snapshot is kept after a newer one is published, so replicas "
            "still reading it finish first (an erasure removes older snapshots at once)."
        ),
    )
    auto_migrate: bool = Field(
        default=True,
        description=(
            "Migrate the store's schema when a process opens it (under a lock, once). Off: a "
            "process refuses a store behind its schema and names 'tandem db upgrade', which "
            "runs the migrations as one step of a deploy."
        ),
    )

    @field_validator("retention_decisions_days")
    @classmethod
    def _six_months_of_logs(cls, value: int) -> int:
        if value < MIN_DECISION_RETENTION_DAYS:
            raise ValueError(
                f"decision-log entries must be kept at least {MIN_DECISION_RETENTION_DAYS} days "
                "(six months: EU AI Act Art. 19 and 26(6)); refusing a shorter retention"
            )
        return value

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
