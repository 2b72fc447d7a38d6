"""An index on the decision log's ``(kind, seq)``.

Revision ID: 0010
Revises: 0009

Why: the fair policy's tally (``fair_tally``) reads the newest entries of one kind backwards
by sequence number, and the audit report reads the entries of its kinds logged after the
last one it counted. Without this index SQLite walks the sequence index and skips every entry
of another kind (recommendations and job searches, most of a busy log); with it, a read of
one kind touches only that kind's entries.
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_decisions_kind_seq", "decisions", ["kind", "seq"])


def downgrade() -> None:
    op.drop_index("ix_decisions_kind_seq", table_name="decisions")
