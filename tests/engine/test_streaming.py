"""An import and its index sync hold one batch at a time, whatever the bundle's size (issue 15).

Counted through the real parts, instrumented: every read of the store passes through
``Database.fetchall``, every record parsed passes through the importer's ``parse_file`` and
every record written through ``Repository.upsert``. No timing, no RSS (both are noisy).
"""

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from tandem.bundle import importer as importer_module
from tandem.domain import Record
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tandem.store import Repository, WriteCounts
from tandem.store.db import Database, Transaction
from tests.conftest import make_settings

BATCH = 40


def test_an_import_holds_at_most_one_batch_of_records(
    tmp_path: Path, small_bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = written = most = 0
    real_parse = importer_module.parse_file
    real_upsert = Repository.upsert

    def counted_parse(*args: Any) -> Iterator[tuple[int, Record]]:
        nonlocal parsed, most
        for item in real_parse(*args):
            parsed += 1
            most = max(most, parsed - written)  # parsed and not yet written: held by the import
            yield item

    def counted_upsert(self: Repository[Any], tx: Transaction, records: Sequence[Any]) -> Any:
        nonlocal written
        counts: WriteCounts = real_upsert(self, tx, records)
        written += len(records)
        return counts

    monkeypatch.setattr(importer_module, "parse_file", counted_parse)
    monkeypatch.setattr(Repository, "upsert", counted_upsert)
    settings = make_settings(tmp_path / "home").model_copy(update={"import_batch": BATCH})
    engine = Engine(settings, encoder=HashingEncoder())
    report = engine.import_bundle(small_bundle)
    assert report.counts["freelancers"].inserted == 300 and not report.errors
    assert written == parsed > 10 * BATCH  # every record went through, many batches of them
    assert most == BATCH  # never more than one batch parsed ahead of the store
    engine.store.close()


def test_an_index_sync_reads_the_store_a_batch_at_a_time(
    tmp_path: Path, small_bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = Engine(make_settings(tmp_path / "home", url), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    # the same store under another home: an empty index, so every record is synced
    fresh = Engine(make_settings(tmp_path / "again", url), encoder=HashingEncoder())
    rows: list[int] = []
    real_fetchall = Database.fetchall

    def counted(self: Database, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        found = real_fetchall(self, sql, params)
        if "FROM freelancers" in sql:
            rows.append(len(found))
        return found

    monkeypatch.setattr(Database, "fetchall", counted)
    assert fresh.sync_indexes(batch=BATCH)["talent"] == 300
    assert rows and max(rows) <= BATCH  # never the whole table (300 rows) at once
    assert dict(fresh.collection("talent").hash_items()) == dict(engine.store.freelancers.hashes())
    rows.clear()
    engine.store.freelancers.save(
        engine.store.freelancers.get("f000002").model_copy(update={"title": "changed again"})
    )
    assert fresh.sync_indexes(batch=BATCH) == {"talent": 1, "jobs": 0}
    assert max(rows) <= BATCH
    engine.store.close()
    fresh.store.close()
