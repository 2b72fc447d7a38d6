"""The store: SQLAlchemy tables, repositories and migrations (the source of truth)."""

from tandem.store.db import create_store_engine, migrate
from tandem.store.repository import Repository, Store, WriteCounts, content_hash

__all__ = ["Repository", "Store", "WriteCounts", "content_hash", "create_store_engine", "migrate"]
