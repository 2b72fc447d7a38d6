"""The words of logged searches are pseudonymised under a key per entry, so they can be erased.

Revision ID: 0007
Revises: 0006

Before this revision the hashed form of a search entry held its text and skills in clear, so
a name typed into a search could not be removed without breaking the chain. From here they
enter it as HMACs under a random key of their own (``query:REQUEST_ID`` in ``log_keys``; see
``tandem.store.ledger``). Entries before the first logged search keep their hashes; from
that entry on, the chain is recomputed with new keys for the searches' words, and the head
moves: anchor the new ``tandem log head`` after upgrading (and verify with the previous
version before it, if the log's history matters to you).
"""

import os

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from tandem.store import ledger
    from tandem.store.decisions import entry_of

    bind = op.get_bind()
    first = bind.execute(
        sa.text("SELECT MIN(seq) FROM decisions WHERE kind IN ('search_talent', 'search_jobs')")
    ).scalar()
    if first is None:
        return
    head = bind.execute(
        sa.text("SELECT prev_hash FROM decisions WHERE seq = :s"), {"s": first}
    ).scalar()
    rows = bind.execute(
        sa.text(
            "SELECT request_id, ts, actor, surface, kind, subject, model_version, payload, seq "
            "FROM decisions WHERE seq >= :s ORDER BY seq"
        ),
        {"s": first},
    ).fetchall()
    keys = {
        str(name): bytes.fromhex(str(key))
        for name, key in bind.execute(sa.text("SELECT name, key FROM log_keys")).fetchall()
    }
    fresh: dict[str, bytes] = {}
    seq = int(first) - 1
    for row in rows:
        entry = entry_of(tuple(row))
        for name in ledger.keys_needed(entry):
            if name not in keys:
                keys[name] = fresh[name] = os.urandom(16)
        link = ledger.entry_hash(str(head), ledger.hashed_form(entry, keys))
        seq = int(row[8])
        bind.execute(
            sa.text("UPDATE decisions SET prev_hash = :p, entry_hash = :h WHERE seq = :s"),
            {"p": head, "h": link, "s": seq},
        )
        head = link
    if fresh:
        bind.execute(
            sa.text("INSERT INTO log_keys (name, key) VALUES (:n, :k)"),
            [{"n": n, "k": k.hex()} for n, k in fresh.items()],
        )
    bind.execute(
        sa.text("UPDATE log_chain SET head_seq = :s, head_hash = :h WHERE id = 1"),
        {"s": seq, "h": head},
    )


def downgrade() -> None:
    """Irreversible in effect: the old hashes cannot be recomputed without the clear words."""
