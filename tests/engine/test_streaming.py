"""An import and its index sync hold one batch at a time, whatever the bundle's size (issue 15).

Counted through the real parts, instrumented: every read of the store passes through
``Database.fetchall``, every record parsed passes through the importer's ``parse_file`` and
every record written through ``Repository.upsert``. No timing, no RSS (both are noisy).
"""

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tandem.bundle import importer as importer_module
from tandem.domain import Record
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tandem.search import Document, job_document
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


def test_a_sync_reads_the_stores_hashes_once_to_plan_and_once_to_work(
    tmp_path: Path, small_bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = Engine(make_settings(tmp_path / "home"), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    passes: list[str] = []
    real_iter = Repository.iter_hashes

    def counted(self: Repository[Any], batch: int = 2000) -> Iterator[list[tuple[str, str]]]:
        passes.append(self.table_name)
        yield from real_iter(self, batch)

    monkeypatch.setattr(Repository, "iter_hashes", counted)
    assert engine.sync_indexes(batch=BATCH) == {"talent": 0, "jobs": 0}
    assert passes == ["freelancers", "jobs"]  # nothing changed: one pass each, no build
    passes.clear()
    engine.store.freelancers.save(
        engine.store.freelancers.get("f000002").model_copy(update={"title": "changed again"})
    )
    assert engine.sync_indexes(batch=BATCH) == {"talent": 1, "jobs": 0}
    # the pass that found the change counted it too: one more pass did the work
    assert passes == ["freelancers", "freelancers", "jobs"]
    engine.store.close()


def test_a_sync_indexes_the_vectors_a_reader_gives_and_still_mirrors_the_store(
    tmp_path: Path, small_bundle: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    Engine(make_settings(tmp_path / "home", url), encoder=HashingEncoder()).import_bundle(
        small_bundle
    )
    fresh = Engine(make_settings(tmp_path / "again", url), encoder=HashingEncoder())
    dim = fresh.encoder.dim
    given: dict[str, np.ndarray] = {}
    kinds: list[str] = []

    def read(kind: str, docs: list[Document]) -> np.ndarray | None:
        kinds.append(kind)
        if kind != "talent":
            return None  # the collection embeds these itself
        out = np.zeros((len(docs), dim), dtype=np.float32)
        for row, doc in zip(out, docs, strict=True):
            row[int(doc.id[1:]) % dim] = 1.0  # a vector no encoder would give this text
            given[doc.id] = row
            doc.mentions.setdefault("Given skill", "overview: 'given' (described)")
        return out

    assert fresh.sync_indexes(batch=BATCH, read=read) == {"talent": 300, "jobs": 150}
    assert set(kinds) == {"talent", "jobs"}
    talent, jobs = fresh.collection("talent"), fresh.collection("jobs")
    hashes = fresh.store.freelancers.hashes()
    assert set(given) == set(hashes)
    for doc_id, content_hash in hashes.items():
        kept = talent.reusable(doc_id, content_hash)
        assert kept is not None
        assert np.array_equal(kept[0], given[doc_id])
        assert kept[1]["Given skill"] == "overview: 'given' (described)"
    job = next(iter(fresh.store.jobs.iter_all()))
    kept_job = jobs.reusable(job.id, fresh.store.jobs.hashes_of([job.id])[job.id])
    assert kept_job is not None
    doc = job_document(job, "", fresh.normaliser.normalise)
    assert np.allclose(kept_job[0], fresh.encoder.encode([doc.embed_text])[0], atol=1e-6)
    assert all(index["in_sync"] for index in fresh.stats()["indexes"].values())
