"""Opening the store: engine creation and Alembic migrations run in code."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from tandem.errors import ConfigurationError

if TYPE_CHECKING:
    from alembic.config import Config

_REVISION = re.compile(r"^(down_revision|revision)\s*=\s*(None|\"[^\"]*\")", re.MULTILINE)


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def create_store_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL so readers never block the importer."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def alembic_config() -> Config:
    """Alembic configuration pointing at the migrations shipped in this package."""
    from alembic.config import Config

    config = Config()
    location = resources.files("tandem.store") / "migrations"
    config.set_main_option("script_location", str(location))
    return config


def head_revisions() -> set[str]:
    """The newest migration(s), read from the shipped files (no Alembic import: it costs ~0.3 s)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    folder = resources.files("tandem.store") / "migrations" / "versions"
    for entry in folder.iterdir():
        if not entry.name.endswith(".py"):
            continue
        text_ = entry.read_text(encoding="utf-8")
        found: dict[str, str] = {m.group(1): m.group(2) for m in _REVISION.finditer(text_)}
        if "revision" in found:
            revisions.add(found["revision"].strip('"'))
            if found.get("down_revision", "None") != "None":
                parents.add(found["down_revision"].strip('"'))
    return revisions - parents


def _applied_revisions(engine: Engine) -> set[str]:
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version"))
            return {str(row[0]) for row in rows}
    except (OperationalError, ProgrammingError):
        return set()  # a new store (or one Alembic has not seen): migrate


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent).

    A store already at the newest revision is checked with one query; Alembic is imported
    only when there is something to do, which keeps every command's start-up short.
    """
    if _applied_revisions(engine) == head_revisions():
        return
    from alembic import command

    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as exc:
        raise ConfigurationError(f"cannot open the store at {engine.url!r}: {exc.orig}") from exc
