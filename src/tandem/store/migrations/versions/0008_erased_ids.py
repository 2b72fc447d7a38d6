"""Erased people are kept out of later imports, by a keyed hash of their id only.

Revision ID: 0008
Revises: 0007

``erased_ids`` holds, per erased freelancer or client, HMAC-SHA256(key, "KIND:ID") under one
random key (``erased_ids_key``), never the id: a re-import of an old bundle skips their
records, and the table holds no byte of them. ``tandem import --readmit ID`` lifts one.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "erased_ids",
        sa.Column("digest", sa.String(64), primary_key=True),
    )
    op.create_table(
        "erased_ids_key",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("erased_ids_key")
    op.drop_table("erased_ids")
