"""Migrations: a new store is brought to the newest revision; an up-to-date one is left alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect, text

from tandem.store import create_store_engine, migrate
from tandem.store.db import alembic_config, head_revisions


def test_head_read_from_the_files_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    assert head_revisions() == set(ScriptDirectory.from_config(alembic_config()).get_heads())


def test_a_new_store_is_migrated_and_a_current_one_is_not_touched(tmp_path: Path) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    migrate(engine)
    assert {"freelancers", "jobs", "alembic_version"} <= set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        applied = {
            r[0] for r in connection.execute(text("SELECT version_num FROM alembic_version"))
        }
    assert applied == head_revisions()
    migrate(engine)  # idempotent
    engine.dispose()


def test_opening_a_current_store_does_not_import_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    migrate(create_store_engine(url))
    code = (
        "import sys\n"
        "from tandem.store import create_store_engine, migrate\n"
        f"migrate(create_store_engine({url!r}))\n"
        "print('alembic' in sys.modules)\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_a_store_one_revision_behind_is_upgraded(tmp_path: Path) -> None:
    from alembic import command

    engine = create_store_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    assert "conversations" not in inspect(engine).get_table_names()
    migrate(engine)
    assert "conversations" in inspect(engine).get_table_names()
    engine.dispose()
