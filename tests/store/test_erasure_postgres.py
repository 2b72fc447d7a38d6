"""Erasure on PostgreSQL: no row of any Tandem table names the person afterwards."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tandem.store.db import TABLES
from tandem.store.redacting import TOMBSTONE
from tests.conftest import POSTGRES_URL, make_settings
from tests.store.conftest import _fresh_postgres

pytestmark = pytest.mark.postgres


def _rows_naming(engine: Engine, needles: list[str]) -> dict[str, int]:
    """Rows whose JSON text names a needle as a whole word ("Freelancer 2", not "... 20")."""
    found: dict[str, int] = {}
    for table in TABLES:
        for needle in needles:
            n = engine.store.db.scalar(
                f"SELECT COUNT(*) FROM {table} t WHERE CAST(row_to_json(t) AS TEXT) ~ ?",
                (rf"\m{re.escape(needle)}\M",),
            )
            if n:
                found[f"{table}: {needle}"] = int(n)
    return found


def test_erasure_deletes_every_row_of_the_person_on_postgres(
    tmp_path: Path, small_bundle: Path
) -> None:
    if not POSTGRES_URL:
        pytest.skip("TANDEM_TEST_POSTGRES_URL is not set (.ci/run starts a PostgreSQL 15)")
    settings = make_settings(tmp_path / "home", _fresh_postgres(POSTGRES_URL))
    engine = Engine(settings, encoder=HashingEncoder())
    try:
        engine.import_bundle(small_bundle)
        proposal = next(engine.store.proposals.iter_all())
        person = engine.store.freelancers.get(proposal.freelancer_id)
        user, _ = engine.add_user("pg-person", "freelancer", freelancer_id=person.id)
        engine.as_user(engine.named_identity("pg-person")).serve_recommend(person.id, top=3)
        engine.serve_match(proposal.job_id, top=300)
        state = {"shown": [{"id": person.id, "name": person.name, "title": person.title}]}
        theirs = engine.store.conversations.create("u-client", state, f"{person.name}?")
        needles = [person.id, person.name, user.id]
        assert _rows_naming(engine, needles)

        engine.erase("freelancer", person.id)

        assert _rows_naming(engine, needles) == {}
        kept = engine.store.conversations.get(theirs.id)  # the client's record stays
        assert kept.state == {"shown": [dict.fromkeys(("id", "name", "title"), TOMBSTONE)]}
        assert engine.verify_log().ok
    finally:
        engine.store.close()
