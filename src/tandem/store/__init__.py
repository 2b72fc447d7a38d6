"""The store: the source of truth, over SQLite or PostgreSQL through their DB-API drivers."""

from tandem.store.db import Database, Transaction, migrate, open_database, require_current
from tandem.store.repository import Repository, Store, WriteCounts, content_hash

__all__ = [
    "Database",
    "Repository",
    "Store",
    "Transaction",
    "WriteCounts",
    "content_hash",
    "migrate",
    "open_database",
    "require_current",
]
