"""Privacy: which people's data trained which model, and the record of erasures.

Revision ID: 0006
Revises: 0005

``model_data`` links a model version to the people whose records it was trained on (key
names as the decision log spells them: ``freelancer:ID``, ``client:ID``), so an erasure can
say which versions used the person and ``tandem export person`` can list them. An erasure
deletes the person's rows here and writes one ``erasures`` row that names no one: when, what
kind of record, how much was removed and which model versions had used the data.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "model_data",
        sa.Column("model_version", sa.String(100), primary_key=True),
        sa.Column("person", sa.String(300), primary_key=True),
    )
    op.create_index("ix_model_data_person", "model_data", ["person"])
    op.create_table(
        "erasures",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("models", sa.JSON(), nullable=False),
        sa.Column("removed", sa.JSON(), nullable=False),
    )
    op.create_index("ix_conversations_updated_at", "conversations", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_conversations_updated_at", "conversations")
    op.drop_table("erasures")
    op.drop_table("model_data")
