"""The whole import path on PostgreSQL (skipped without TANDEM_TEST_POSTGRES_URL)."""

from pathlib import Path

import pytest

from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.conftest import POSTGRES_URL, make_settings
from tests.store.conftest import _fresh_postgres

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    if not POSTGRES_URL:
        pytest.skip("TANDEM_TEST_POSTGRES_URL is not set (.ci/run starts a PostgreSQL 15)")
    engine = Engine(
        make_settings(tmp_path / "home", _fresh_postgres(POSTGRES_URL)), encoder=HashingEncoder()
    )
    yield engine
    engine.store.close()


def test_import_reimport_export_and_match_on_postgres(
    pg_engine: Engine, small_bundle: Path, tmp_path: Path
) -> None:
    first = pg_engine.import_bundle(small_bundle)
    assert first.errors == [] and pg_engine.store.freelancers.count() == 300
    second = pg_engine.import_bundle(small_bundle)
    assert all(c.inserted == 0 and c.updated == 0 for c in second.counts.values())
    counts = pg_engine.export_bundle(tmp_path / "out")
    assert counts["proposals"] == len((small_bundle / "proposals.jsonl").read_text().splitlines())
    job = next(pg_engine.store.jobs.iter_all())
    assert pg_engine.match(job.id, top=3)
    assert pg_engine.health()["database"] == "postgresql"
    pg_engine.serve_match(job.id, top=3)  # one logged ranking
    stats = pg_engine.stats()
    assert stats["store"]["freelancers"] == stats["indexes"]["talent"]["documents"] == 300
    assert stats["store"]["decisions"] == 1 and stats["store"]["decision_log_payload_bytes"] > 0
