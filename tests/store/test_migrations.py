"""Migrations: a new store is brought to the newest revision; an up-to-date one is left alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tandem.store import migrate, open_database, require_current
from tandem.store.db import alembic_config, applied_revisions, head_revisions


def _tables(path: Path) -> set[str]:
    db = open_database(f"sqlite:///{path}")
    try:
        return {r[0] for r in db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        db.close()


def test_head_read_from_the_files_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    assert head_revisions() == set(ScriptDirectory.from_config(alembic_config()).get_heads())


def test_a_new_store_is_migrated_and_a_current_one_is_not_touched(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    migrate(db)
    assert {"freelancers", "jobs", "alembic_version"} <= _tables(tmp_path / "db.sqlite")
    assert applied_revisions(db) == head_revisions()
    migrate(db)  # idempotent
    db.close()


def test_opening_a_current_store_imports_neither_alembic_nor_sqlalchemy(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    migrate(open_database(url))
    code = (
        "import sys\n"
        "from tandem.store import Store, migrate, open_database\n"
        f"db = open_database({url!r})\n"
        "migrate(db)\n"
        "Store(db).freelancers.count()\n"
        "print('alembic' in sys.modules, 'sqlalchemy' in sys.modules)\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False False"


def test_a_store_one_revision_behind_is_upgraded(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    engine = create_engine(url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    engine.dispose()
    assert "conversations" not in _tables(tmp_path / "db.sqlite")
    migrate(open_database(url))
    assert "conversations" in _tables(tmp_path / "db.sqlite")


def test_workers_starting_together_migrate_once(tmp_path: Path) -> None:
    """Four processes open a new store at the same moment: all succeed, the schema is whole."""
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    code = (
        "import sys, time\n"
        "from tandem.store import migrate, open_database\n"
        "time.sleep(max(0.0, float(sys.argv[1]) - time.time()))\n"
        f"migrate(open_database({url!r}))\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    import time

    start = str(time.time() + 3.0)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", code, start], env=env, stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    errors = [w.communicate()[1] for w in workers]
    assert [w.returncode for w in workers] == [0, 0, 0, 0], errors
    assert applied_revisions(open_database(url)) == head_revisions()


def test_with_auto_migrate_off_a_store_behind_is_refused_until_db_upgrade(tmp_path: Path) -> None:
    from tandem.engine import Engine, upgrade_store
    from tandem.errors import ConfigurationError
    from tandem.settings import Settings

    settings = Settings(home=tmp_path / "home", encoder="hashing", auto_migrate=False)
    with pytest.raises(ConfigurationError, match="run 'tandem db upgrade'"):
        Engine(settings)
    assert "freelancers" not in _tables(tmp_path / "home" / "tandem.db")  # nothing migrated it

    done = upgrade_store(settings)
    assert done.before == [] and done.after == sorted(head_revisions()) and done.migrated
    assert not upgrade_store(settings).migrated  # current: nothing to do
    engine = Engine(settings)  # current now: opened without migrating
    assert engine.store.freelancers.count() == 0
    engine.store.close()


def test_a_store_migrated_by_a_newer_release_is_refused_by_name(tmp_path: Path) -> None:
    from tandem.errors import ConfigurationError

    db = open_database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    migrate(db)
    with db.transaction() as tx:
        tx.execute("UPDATE alembic_version SET version_num = ?", ["9999"])
    with pytest.raises(ConfigurationError, match="schema 9999, newer than this Tandem knows"):
        migrate(db)
    with pytest.raises(ConfigurationError, match="run the newer release"):
        require_current(db)
    db.close()
