"""Alembic environment: Tandem passes the connection in ``config.attributes``."""

from alembic import context
from sqlalchemy import create_engine

config = context.config
target_metadata = None  # the migrations are written by hand; nothing autogenerates


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
