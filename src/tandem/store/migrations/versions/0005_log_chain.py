"""The decision log's hash chain: sequence, links, per-person keys, the chain head.

Revision ID: 0005
Revises: 0004

Entries logged before this revision are chained here, oldest first, with new keys for the
people they name, so ``tandem log verify`` covers the whole log from the start.
"""

import os

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from tandem.store import ledger
    from tandem.store.decisions import entry_of

    op.add_column("decisions", sa.Column("seq", sa.Integer(), nullable=True))
    op.add_column("decisions", sa.Column("prev_hash", sa.String(64), nullable=True))
    op.add_column("decisions", sa.Column("entry_hash", sa.String(64), nullable=True))
    op.create_index("ux_decisions_seq", "decisions", ["seq"], unique=True)
    op.create_table(
        "log_keys",
        sa.Column("name", sa.String(300), primary_key=True),
        sa.Column("key", sa.String(64), nullable=False),
    )
    op.create_table(
        "log_chain",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("base_seq", sa.Integer(), nullable=False),
        sa.Column("base_hash", sa.String(64), nullable=False),
        sa.Column("head_seq", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT request_id, ts, actor, surface, kind, subject, model_version, payload "
            "FROM decisions ORDER BY ts, request_id"
        )
    ).fetchall()
    keys: dict[str, bytes] = {}
    seq, head = 0, ledger.GENESIS
    for row in rows:
        entry = entry_of(tuple(row))
        for name in ledger.keys_needed(entry):
            keys.setdefault(name, os.urandom(16))
        link = ledger.entry_hash(head, ledger.hashed_form(entry, keys))
        seq += 1
        bind.execute(
            sa.text(
                "UPDATE decisions SET seq = :s, prev_hash = :p, entry_hash = :h "
                "WHERE request_id = :r"
            ),
            {"s": seq, "p": head, "h": link, "r": entry["request_id"]},
        )
        head = link
    if keys:
        bind.execute(
            sa.text("INSERT INTO log_keys (name, key) VALUES (:n, :k)"),
            [{"n": n, "k": k.hex()} for n, k in keys.items()],
        )
    bind.execute(
        sa.text(
            "INSERT INTO log_chain (id, base_seq, base_hash, head_seq, head_hash) "
            "VALUES (1, 0, :g, :s, :h)"
        ),
        {"g": ledger.GENESIS, "s": seq, "h": head},
    )
