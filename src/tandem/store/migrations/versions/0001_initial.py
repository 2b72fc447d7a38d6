"""Initial schema: freelancers, clients, jobs, proposals, events.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _entity(name: str, *extra: sa.Column) -> None:  # type: ignore[type-arg]
    op.create_table(
        name,
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        *extra,
    )


def upgrade() -> None:
    _entity("freelancers")
    _entity("clients")
    _entity(
        "jobs",
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("client_id", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_jobs_status_created", "jobs", ["status", "created_at"])
    _entity(
        "proposals",
        sa.Column("job_id", sa.String(200), nullable=False),
        sa.Column("freelancer_id", sa.String(200), nullable=False),
    )
    op.create_index("ix_proposals_job_id", "proposals", ["job_id"])
    op.create_index("ix_proposals_freelancer_id", "proposals", ["freelancer_id"])
    _entity(
        "events",
        sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("job_id", sa.String(200), nullable=True),
        sa.Column("freelancer_id", sa.String(200), nullable=True),
    )
    op.create_index("ix_events_ts", "events", ["ts"])
    op.create_index("ix_events_job_id", "events", ["job_id"])
    op.create_index("ix_events_freelancer_id", "events", ["freelancer_id"])


def downgrade() -> None:
    for name in ("events", "proposals", "jobs", "clients", "freelancers"):
        op.drop_table(name)
