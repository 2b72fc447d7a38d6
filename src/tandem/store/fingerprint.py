"""Fingerprints of what the store holds: a cheap way to tell that a derived result is stale.

Why: the audit report and the ranking cards count over every served ranking, proposal and
event (seconds on the demo market), so the engine keeps the last result and counts again only
when something it read has changed. A fingerprint must change whenever a row that could
change the result is inserted, updated or deleted, whoever wrote it (another process too), and
must cost far less than the counting. Each entity row carries a content hash of its whole
record (``content_hash``, written on every upsert), so a table's fingerprint is its row count
and the sum of its rows' hashes (the first 64 bits, mod 2**64): any insert, delete or change
of a row changes it (unless two 64-bit sums collide), in any order. The decision log is
append-only but for retention (which moves its base) and erasure (which rewrites entries in
place and is recorded in ``erasures``), so its chain head and those two stand for it.
"""

from __future__ import annotations

from collections.abc import Sequence

from tandem.store.db import Database

#: Tables whose every row has a ``content_hash`` of its record.
HASHED = frozenset({"freelancers", "clients", "jobs", "proposals", "events"})
_MASK = (1 << 64) - 1


def table_fingerprint(
    db: Database, table: str, types: Sequence[str] | None = None
) -> tuple[int, int]:
    """``(rows, sum of their content hashes' first 64 bits mod 2**64)`` of an entity table.

    ``types``: only the events of these types (a result that reads outcomes only is not
    changed by the impressions every page view records).
    """
    if table not in HASHED:
        raise ValueError(f"no content hashes in table {table!r}")
    if types is not None and table != "events":
        raise ValueError(f"only events have types, not {table!r}")
    query, params = f"SELECT content_hash FROM {table}", tuple(types or ())
    if types is not None:
        query += f" WHERE type IN ({', '.join('?' * len(params)) or 'NULL'})"
    total = 0
    rows = 0
    for (digest,) in db.fetchall(query, params):
        total += int(str(digest)[:16], 16)
        rows += 1
    return rows, total & _MASK


def log_base(db: Database) -> tuple[object, ...]:
    """What of the log changes only when entries are removed or rewritten, not appended.

    The chain's base (moved by retention's purge) and the erasures recorded (an erasure
    rewrites entries in place): while these hold, the entries up to any sequence number are
    the entries that were there when it was last read, so counts over them stay true and
    only the entries after it need counting.
    """
    chain = db.fetchone("SELECT base_seq, base_hash FROM log_chain")
    erased = db.fetchone("SELECT count(*) FROM erasures")
    return (tuple(chain) if chain else None, int(erased[0]) if erased else 0)
