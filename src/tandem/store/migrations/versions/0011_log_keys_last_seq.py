"""Each decision-log key records the last entry that needs it, so a purge finds stale keys by index.

Revision ID: 0011
Revises: 0010

Why: a purge deletes the keys no remaining entry needs. Finding them used to mean decoding
every remaining entry under the lock appends take (O(log size) in Python on every purge:
~0.5 ms an entry, minutes of stalled serving at a few hundred thousand entries). ``last_seq``
is a lease: no entry after it needs the key (see ``tandem.store.decisions``), so a purge
deletes by index and reads at most a lease's worth of entries. The entries in the log when
this runs are read once here (the one full pass the column saves every later purge), and
each key's lease is set to its last use plus the lease length, as if that use had renewed it;
a key no entry needs keeps 0 and goes at the next purge, as it would have before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_BATCH = 2000
#: ``tandem.store.decisions.KEY_LEASE`` when this was written (a migration does not follow
#: later changes to the constant: any lease at or after a key's last use is correct).
_LEASE = 4096


def upgrade() -> None:
    from tandem.store import ledger
    from tandem.store.decisions import entry_of

    op.add_column(
        "log_keys", sa.Column("last_seq", sa.Integer(), nullable=False, server_default="0")
    )
    bind = op.get_bind()
    base = bind.execute(sa.text("SELECT base_seq FROM log_chain WHERE id = 1")).scalar()
    last_use: dict[str, int] = {}
    after = int(base or 0)
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT request_id, ts, actor, surface, kind, subject, model_version, payload, "
                "seq FROM decisions WHERE seq > :after ORDER BY seq LIMIT :n"
            ),
            {"after": after, "n": _BATCH},
        ).fetchall()
        if not rows:
            break
        for row in rows:
            for name in ledger.keys_needed(entry_of(tuple(row))):
                last_use[name] = int(row[8])
        after = int(rows[-1][8])
    if last_use:
        bind.execute(
            sa.text("UPDATE log_keys SET last_seq = :s WHERE name = :n"),
            [{"n": n, "s": s + _LEASE} for n, s in last_use.items()],
        )
    op.create_index("ix_log_keys_last_seq", "log_keys", ["last_seq"])


def downgrade() -> None:
    op.drop_index("ix_log_keys_last_seq", table_name="log_keys")
    with op.batch_alter_table("log_keys") as table:  # SQLite drops a column by copying
        table.drop_column("last_seq")
