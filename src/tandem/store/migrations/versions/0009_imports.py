"""Every bundle import, with its validation report.

Revision ID: 0009
Revises: 0008

One row per import, whichever face ran it (``tandem import``, ``POST /api/imports``, the web
page, ``tandem demo``): when, who, what bundle, the counts per file, and the lines it skipped
with their reasons (the first ``MAX_KEPT_ERRORS``; ``error_count`` is the true number). A
failed import (a missing file, ``--strict`` refusing) is kept too, with its message.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("surface", sa.String(16), nullable=False),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("withheld", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("imports")
