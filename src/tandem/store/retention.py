"""Retention: deleting what is older than the operator keeps it (``tandem purge``).

Every statement deletes by age alone, so a purge run twice removes nothing the second
time, and two runs at once only race to delete the same rows (safe from cron). The decision
log's own purge keeps its chain verifiable: see :meth:`DecisionLog.purge_before`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tandem.store.db import Database


def purge_impressions(db: Database, before: datetime) -> int:
    """Delete impression events older than ``before``."""
    with db.transaction() as tx:
        sql = "DELETE FROM events WHERE type = 'impression' AND ts < ?"
        return int(tx.execute(sql, (db.ts(before),)).rowcount or 0)


def purge_other_events(db: Database, before: datetime) -> int:
    """Delete events other than impressions older than ``before``."""
    with db.transaction() as tx:
        sql = "DELETE FROM events WHERE type <> 'impression' AND ts < ?"
        return int(tx.execute(sql, (db.ts(before),)).rowcount or 0)


def purge_conversations(db: Database, before: datetime) -> int:
    """Delete companion sessions last used before ``before``, with their messages."""
    stamp = db.ts(before)
    with db.transaction() as tx:
        tx.execute(
            "DELETE FROM messages WHERE session_id IN "
            "(SELECT id FROM conversations WHERE updated_at < ?)",
            (stamp,),
        )
        return int(
            tx.execute("DELETE FROM conversations WHERE updated_at < ?", (stamp,)).rowcount or 0
        )


def purge_expired_sessions(db: Database) -> int:
    """Delete web sessions that have expired (they can no longer sign anyone in)."""
    with db.transaction() as tx:
        sql = "DELETE FROM web_sessions WHERE expires_at < ?"
        return int(tx.execute(sql, (db.ts(datetime.now(UTC)),)).rowcount or 0)
