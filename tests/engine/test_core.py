"""The engine core: a single-record write costs O(1) (issue 15); replicas follow snapshots."""

import json
import logging
import shutil
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from tandem.bundle import Generator, VocabSkill
from tandem.domain import Freelancer
from tandem.embed import HashingEncoder, Vectors
from tandem.engine import Engine, TalentQuery
from tandem.search import Collection, journal, snapshots
from tandem.search.collection import FORMAT_VERSION
from tandem.search.filters import TagIn
from tandem.search.registry import VECTOR
from tandem.settings import Settings
from tandem.skills import keys, linker
from tandem.skills.extract import PhraseExtractor
from tests.conftest import make_settings
from tests.embed.test_encoders import _hashed_feature_by_feature
from tests.search.test_collection import write_format_3, write_format_4
from tests.skills.test_keys import _plain_key
from tests.skills.test_linker import _plain_offsets, _plain_written

#: Files a full save rewrites (every record's row): a single write must leave them alone.
_FULL_SAVE = ("manifest.json", "vector/hnsw.bin")


class CountingEncoder(HashingEncoder):
    """The hashing encoder, counting the texts it embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.embedded = 0

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> Vectors:
        self.embedded += len(texts)
        return super().encode(texts, batch_size=batch_size)


def _every_id(coll: Collection) -> list[str]:
    """The id of every label, dead ones included."""
    return coll.ids.strings(range(len(coll.ids)))


def _market(
    tmp_path: Path, vocabulary: list[VocabSkill], people: int
) -> tuple[Engine, CountingEncoder]:
    bundle = tmp_path / f"bundle-{people}"
    Generator(vocabulary, seed=5).write(bundle, people, 20)
    encoder = CountingEncoder()
    engine = Engine(make_settings(tmp_path / f"home-{people}"), encoder=encoder)
    engine.import_bundle(bundle)
    return engine, encoder


def _one_write(engine: Engine, encoder: CountingEncoder, word: str) -> dict[str, object]:
    """Edit one profile through the engine; what it read, embedded and rewrote.

    The edit is the same text at every size, after a first write has warmed the skill reader
    (whose label vectors are built once per process, whatever the store holds).
    """
    person, other = list(engine.store.freelancers.iter_all(batch=2))[:2]
    engine.save_freelancer(other.model_copy(update={"title": "warm-up"}))
    index = engine.collection("talent").directory  # the published snapshot
    before = {name: (index / name).stat().st_mtime_ns for name in _FULL_SAVE}
    statements: list[str] = []
    engine.store.db._connection().set_trace_callback(statements.append)  # noqa: SLF001
    encoder.embedded = 0
    edit = {"title": f"{word} specialist", "overview": "Builds data pipelines.", "skills": ["SQL"]}
    engine.save_freelancer(person.model_copy(update=edit))
    engine.store.db._connection().set_trace_callback(None)  # noqa: SLF001
    after = {name: (index / name).stat().st_mtime_ns for name in _FULL_SAVE}
    return {
        "statements": len(statements),
        "unbounded reads": [s for s in statements if s.startswith("SELECT") and "WHERE" not in s],
        "embedded": encoder.embedded,
        "rewritten": sorted(n for n in _FULL_SAVE if before[n] != after[n]),
        "journal lines": len(journal.read_from(index / journal.JOURNAL, 0)[0]),
        "id": person.id,
    }


def test_a_single_write_does_the_same_work_at_ten_times_the_size(
    tmp_path: Path, vocabulary: list[VocabSkill]
) -> None:
    small, small_encoder = _market(tmp_path, vocabulary, 40)
    large, large_encoder = _market(tmp_path, vocabulary, 400)
    at_small = _one_write(small, small_encoder, "zanzibarian")
    at_large = _one_write(large, large_encoder, "zanzibarian")
    for work in (at_small, at_large):
        assert work["unbounded reads"] == []  # no statement reads a whole table
        assert work["rewritten"] == []  # no manifest, columns or vectors rewritten
        assert work["journal lines"] == 2  # the warm-up's line and this one's
    assert at_small["statements"] == at_large["statements"]
    # one profile's text and phrases, not every profile's
    assert 0 < at_small["embedded"] == at_large["embedded"] < 40


def test_a_full_sync_after_a_single_write_finds_nothing_to_do(
    tmp_path: Path, vocabulary: list[VocabSkill]
) -> None:
    engine, encoder = _market(tmp_path, vocabulary, 40)
    work = _one_write(engine, encoder, "quetzalcoatlish")
    assert engine.sync_indexes() == {"talent": 0, "jobs": 0}
    assert all(i["in_sync"] for i in engine.stats()["indexes"].values())
    coll = engine.collection("talent")
    hits = coll.lexical.search("quetzalcoatlish", 3)
    assert [coll.ids[h.label] for h in hits] == [work["id"]]


def test_another_process_sees_a_write_without_reloading(
    tmp_path: Path, vocabulary: list[VocabSkill]
) -> None:
    writer, encoder = _market(tmp_path, vocabulary, 40)
    reader = Engine(writer.settings, encoder=HashingEncoder())
    served = reader.collection("talent")  # loaded before the write, as a server would be
    work = _one_write(writer, encoder, "xylographic")
    stored = writer.store.freelancers.hashes_of([str(work["id"])])
    assert reader.collection("talent") is served  # caught up, not reloaded
    assert served.hash_of(str(work["id"])) == stored[str(work["id"])]
    hits = served.lexical.search("xylographic", 3)
    assert [served.ids[h.label] for h in hits] == [work["id"]]
    label = served.ids.get(str(work["id"]))
    assert label is not None
    nearest = served.vector.search(served.vectors_of([label])[0], 1)
    assert nearest[0].label == label
    fresh = Engine(writer.settings, encoder=HashingEncoder())  # a new process replays the journal
    assert dict(fresh.collection("talent").hash_items()) == dict(served.hash_items())


def test_request_threads_catch_up_with_another_process_once_between_them(
    tmp_path: Path, vocabulary: list[VocabSkill]
) -> None:
    writer, _ = _market(tmp_path, vocabulary, 40)
    server = Engine(writer.settings, encoder=HashingEncoder())
    served = server.collection("talent")  # loaded before the writes, as a server would be
    people = list(writer.store.freelancers.iter_all())[:30]
    for n, person in enumerate(people):
        writer.save_freelancer(person.model_copy(update={"title": f"retitled {n}"}))
    lines = len(journal.read_from(served.journal_path, 0)[0])
    start, seen, failed = threading.Barrier(8), [], []

    def request() -> None:
        start.wait()
        try:
            seen.append(server.collection("talent"))
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            failed.append(exc)

    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch often enough to interleave a catch-up
    try:
        threads = [threading.Thread(target=request) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        sys.setswitchinterval(before)
    assert failed == [] and all(coll is served for coll in seen) and len(seen) == 8
    assert served.journal_lines == lines == 30  # each line applied once, by one of them
    assert dict(served.hash_items()) == dict(writer.collection("talent").hash_items())


def test_the_journal_is_folded_into_a_full_save_when_due(
    tmp_path: Path, vocabulary: list[VocabSkill], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journal, "COMPACT_MIN", 2)
    engine, encoder = _market(tmp_path, vocabulary, 40)
    people = list(engine.store.freelancers.iter_all())[:3]
    for i, person in enumerate(people):
        engine.save_freelancer(person.model_copy(update={"title": f"edit {i}"}))
    published = engine.collection("talent").directory
    assert journal.size(published / journal.JOURNAL) == 0  # the third line made it due: folded
    assert published.name == "v000003"  # into a new snapshot (1: empty, 2: the import's)
    assert Engine(engine.settings, encoder=HashingEncoder()).sync_indexes()["talent"] == 0


def test_the_first_write_into_an_empty_home_is_indexed_and_kept(bare_engine: Engine) -> None:
    person = Freelancer.model_validate(
        {
            "id": "f-first",
            "name": "Ana",
            "title": "Bookkeeper",
            "hourly_rate": 30,
            "country": "PT",
            "joined_at": "2026-01-05T10:00:00Z",
        }
    )
    bare_engine.save_freelancer(person)  # no collection was ever saved in this home
    again = Engine(bare_engine.settings, encoder=HashingEncoder())  # a later process
    assert again.collection("talent").hash_of("f-first") is not None
    assert again.sync_indexes() == {"talent": 0, "jobs": 0}


def _next_snapshot(engine: Engine, served: Collection, patience: float = 30.0) -> Collection:
    """The collection ``engine`` serves once it has loaded a snapshot other than ``served``."""
    deadline = time.monotonic() + patience
    while (found := engine.collection("talent")) is served:
        assert time.monotonic() < deadline, "the newer snapshot was never loaded"
        time.sleep(0.02)
    return found


def test_a_serving_engine_switches_to_a_newer_snapshot_without_a_restart(
    tmp_path: Path, vocabulary: list[VocabSkill]
) -> None:
    writer, _ = _market(tmp_path, vocabulary, 40)
    replica = Engine(writer.settings, encoder=HashingEncoder())
    served = replica.collection("talent")
    root = writer.settings.index_dir / "talent"
    person = next(iter(writer.store.freelancers.iter_all()))
    # stored by another process without indexing it: only a re-index publishes it
    writer.store.freelancers.save(person.model_copy(update={"title": "Zeppelin rigger"}))
    assert replica.collection("talent") is served
    assert writer.sync_indexes()["talent"] == 1

    assert replica.collection("talent") is served  # served on while the new one loads
    switched = _next_snapshot(replica, served)
    assert switched.directory == snapshots.current(root)
    hits = switched.lexical.search("zeppelin rigger", 1)
    assert [switched.ids[h.label] for h in hits] == [person.id]
    assert served.directory.is_dir()  # kept for the grace period: a reader may still be on it
    assert not served.lexical.search("zeppelin rigger", 1)  # and never changed under it
    assert replica.sync_indexes() == {"talent": 0, "jobs": 0}  # nothing to build: no new version
    assert snapshots.current(root) == switched.directory


def test_a_replica_loading_a_newer_snapshot_serves_no_kept_record_the_store_has_changed(
    tmp_path: Path, vocabulary: list[VocabSkill], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Trial 16: the first match after a CLI import quoted the old rate ($45/h, now 46.5).

    The replica kept the record (read twice) under the hash its served snapshot holds; while
    the newer snapshot loads, that old hash still matches, so the kept record was served.
    """
    writer, _ = _market(tmp_path, vocabulary, 40)
    replica = Engine(writer.settings, encoder=HashingEncoder())
    served = replica.collection("talent")
    person = next(iter(writer.store.freelancers.iter_all()))
    for _ in range(2):  # the second read keeps it
        assert replica.freelancers([person.id])[person.id].hourly_rate == person.hourly_rate
    changed = person.model_copy(update={"hourly_rate": (person.hourly_rate or 40) + 6.5})
    writer.store.freelancers.save(changed)  # an import in another process: store, then index
    assert writer.sync_indexes()["talent"] == 1
    monkeypatch.setattr(replica, "_preload", lambda kind, directory: True)  # still loading

    assert replica.collection("talent") is served
    assert replica.freelancers([person.id])[person.id].hourly_rate == changed.hourly_rate


def test_a_snapshot_that_fails_to_load_in_the_background_fails_the_next_use(
    tmp_path: Path, vocabulary: list[VocabSkill]
) -> None:
    writer, _ = _market(tmp_path, vocabulary, 40)
    replica = Engine(writer.settings, encoder=HashingEncoder())
    served = replica.collection("talent")
    root = writer.settings.index_dir / "talent"
    broken = snapshots.next_version(root)
    snapshots.fork(served.directory, broken)
    (columns,) = (broken / "rows").glob("columns.*.npz")
    columns.unlink()  # a link to the served one: replaced, never written through
    columns.write_bytes(b"not an npz file")
    snapshots.publish(root, broken, grace=60)

    assert replica.collection("talent") is served  # the load runs in the background
    deadline = time.monotonic() + 30
    with pytest.raises(Exception, match=r"(?i)zip|pickle|load|file"):  # noqa: PT012
        while time.monotonic() < deadline:  # it fails there, and the next use says so
            assert replica.collection("talent") is served
            time.sleep(0.02)


def test_an_index_saved_before_snapshots_is_adopted_not_rebuilt(
    tmp_path: Path, vocabulary: list[VocabSkill]
) -> None:
    engine, _ = _market(tmp_path, vocabulary, 40)
    root = engine.settings.index_dir / "talent"
    published = snapshots.current(root)
    assert published is not None
    for name in ("manifest.json", "rows", "lexical", "vector", "journal.jsonl"):
        (published / name).rename(root / name)  # laid out as a release before snapshots did
    for version in snapshots.versions(root):
        shutil.rmtree(version)
    (root / snapshots.POINTER).unlink()

    encoder = CountingEncoder()
    upgraded = Engine(engine.settings, encoder=encoder)
    assert upgraded.sync_indexes() == {"talent": 0, "jobs": 0}
    assert encoder.embedded == 0 and upgraded.collection("talent").count() == 40
    assert snapshots.current(root) == root / snapshots.version_name(1)


#: How each older format a collection converts on load was saved (see Collection._load).
_OLDER_FORMATS = [pytest.param(write_format_3, id="3"), pytest.param(write_format_4, id="4")]


@pytest.mark.parametrize("write_older", _OLDER_FORMATS)
def test_an_index_of_an_older_format_is_converted_and_published_not_re_embedded(
    tmp_path: Path, vocabulary: list[VocabSkill], write_older: Callable[[Collection], None]
) -> None:
    engine, _ = _market(tmp_path, vocabulary, 40)
    job = next(iter(engine.store.jobs.iter_all()))
    before = [(r.freelancer_id, r.score, r.reasons) for r in engine.match(job.id, top=10)]
    roots = {kind: engine.settings.index_dir / kind for kind in ("talent", "jobs")}
    published = {kind: snapshots.current(root) for kind, root in roots.items()}
    for kind in roots:
        write_older(engine.collection(kind))  # type: ignore[arg-type]
    engine.store.close()

    encoder = CountingEncoder()
    upgraded = Engine(engine.settings, encoder=encoder)
    for kind, root in roots.items():
        served = upgraded.collection(kind)  # type: ignore[arg-type]
        assert served.directory == snapshots.current(root) != published[kind]
        manifest = json.loads((served.directory / "manifest.json").read_text())
        assert manifest["format"] == FORMAT_VERSION == 5 and "ids" not in manifest
        assert served.vectors_mapped() and not (served.directory / "columns.npz").exists()
    assert encoder.embedded == 0
    assert upgraded.sync_indexes() == {"talent": 0, "jobs": 0} and encoder.embedded == 0
    assert [(r.freelancer_id, r.score, r.reasons) for r in upgraded.match(job.id, top=10)] == before


def test_a_collection_of_the_previous_format_is_converted_once_per_process(
    tmp_path: Path, vocabulary: list[VocabSkill], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, _ = _market(tmp_path, vocabulary, 40)
    for kind in ("talent", "jobs"):
        write_format_3(engine.collection(kind))  # type: ignore[arg-type]
    engine.store.close()
    converted: list[Path] = []
    read_format_3 = Collection._read_format_3

    def counted(self: Collection, manifest: dict[str, object]) -> None:
        converted.append(self.directory)
        read_format_3(self, manifest)

    monkeypatch.setattr(Collection, "_read_format_3", counted)
    upgraded = Engine(engine.settings, encoder=CountingEncoder())
    for kind in ("talent", "jobs"):
        served = upgraded.collection(kind)  # type: ignore[arg-type]
        assert json.loads((served.directory / "manifest.json").read_text())["format"] == 5
    assert len(converted) == 2  # once per collection: the published fork is not read again
    fresh = Engine(engine.settings, encoder=HashingEncoder())  # a later process reads format 5
    assert fresh.collection("talent").count() == 40 and len(converted) == 2


def _backend_home(home: Path, backend: str, bundle: Path, gone: str) -> Engine:
    """A home of ``bundle`` indexed with vector ``backend``, ``gone`` deleted from it after."""
    engine = Engine(_on_backend(home, backend), encoder=HashingEncoder())
    engine.import_bundle(bundle)
    with engine.store.db.transaction() as tx:  # a record gone from the store: a dead label
        tx.execute("DELETE FROM freelancers WHERE id = ?", [gone])
    engine.sync_indexes()
    return engine


def _on_backend(home: Path, backend: str) -> Settings:
    return make_settings(home).model_copy(update={"vector_backend": backend})


def _assert_same_nearest(coll: Collection, fresh: Collection, query: str) -> None:
    """The same ANN top 10 as a fresh build's, up to int8 rounding (``faiss-sq8``).

    A fresh build's quantiser learnt its ranges from every record indexed, a deleted one
    included; a rebuild learns them from the live ones: scores may differ in the third
    decimal, and records closer than that may swap.
    """
    vector = HashingEncoder().encode([query])[0]
    mine, theirs = coll.vector.search(vector, 10), fresh.vector.search(vector, 10)
    assert np.allclose([h.score for h in mine], [h.score for h in theirs], atol=2e-3), query
    clear = theirs[-1].score + 4e-3  # ids scored clearly above the tenth: in both top tens
    assert {fresh.ids[h.label] for h in theirs if h.score > clear} <= {
        coll.ids[h.label] for h in mine
    }, query


@pytest.mark.parametrize(("built", "opened"), [("faiss-sq8", "hnsw"), ("hnsw", "faiss-sq8")])
def test_a_home_opened_with_another_vector_backend_rebuilds_its_index_from_the_stored_vectors(
    tmp_path: Path,
    vocabulary: list[VocabSkill],
    caplog: pytest.LogCaptureFixture,
    built: str,
    opened: str,
) -> None:
    pytest.importorskip("faiss")
    bundle = tmp_path / "bundle"
    Generator(vocabulary, seed=5).write(bundle, 60, 20)
    gone = "f000007"
    fresh = _backend_home(tmp_path / "fresh", opened, bundle, gone)  # built on the new backend
    old = _backend_home(tmp_path / "home", built, bundle, gone)
    old_talent = old.collection("talent")
    assert gone in _every_id(old_talent) and old_talent.ids.get(gone) is None
    old.store.close()
    roots = {kind: old.settings.index_dir / kind for kind in ("talent", "jobs")}
    published = {kind: snapshots.current(root) for kind, root in roots.items()}

    encoder = CountingEncoder()
    engine = Engine(_on_backend(tmp_path / "home", opened), encoder=encoder)
    with caplog.at_level(logging.WARNING, logger="tandem.engine"):
        served = {kind: engine.collection(kind) for kind in ("talent", "jobs")}  # type: ignore[arg-type]
    assert encoder.embedded == 0  # not one record embedded again
    said = [r.getMessage() for r in caplog.records if r.name == "tandem.engine"]
    assert len(said) == 2 and all(f"vector: {built} -> {opened}" in s for s in said)
    assert all("vector index from the stored vectors now (no re-embedding)" in s for s in said)
    for kind, coll in served.items():
        assert coll.directory == snapshots.current(roots[kind]) != published[kind]
        assert json.loads((coll.directory / "manifest.json").read_text())["vector"] == opened
        files = {p.name for p in (coll.directory / "vector").iterdir()}  # the new backend's only
        assert files == {p.name for p in (fresh.collection(kind).directory / "vector").iterdir()}

    talent, fresh_talent = served["talent"], fresh.collection("talent")
    assert talent.count() == talent.vector.count() == fresh_talent.count() == 59
    assert gone in _every_id(talent) and talent.ids.get(gone) is None  # deleted stays deleted
    for query in ("python developer", "logo design", "data analyst", "accounting"):
        _assert_same_nearest(talent, fresh_talent, query)
        found = [r.freelancer_id for r in engine.search_talent(TalentQuery(query, top=10))]
        assert found == [r.freelancer_id for r in fresh.search_talent(TalentQuery(query, top=10))]
        assert gone not in found
    everyone = talent.vector.search(talent.vectors_of([0])[0], 100)
    assert len(everyone) == 59 and gone not in {talent.ids[h.label] for h in everyone}

    caplog.clear()
    later = CountingEncoder()  # a later process: serves the saved index, builds nothing
    again = Engine(_on_backend(tmp_path / "home", opened), encoder=later)
    with caplog.at_level(logging.WARNING, logger="tandem.engine"):
        assert again.sync_indexes() == {"talent": 0, "jobs": 0}
    assert later.embedded == 0 and not caplog.records
    assert again.collection("talent").directory == talent.directory


@pytest.mark.parametrize(("built", "opened"), [("faiss", "hnsw"), ("hnsw", "faiss")])
def test_a_vector_backend_change_rebuilds_shard_by_shard_in_the_new_snapshot(
    tmp_path: Path,
    vocabulary: list[VocabSkill],
    monkeypatch: pytest.MonkeyPatch,
    built: str,
    opened: str,
) -> None:
    """The rebuild held every vector in one open shard before the fork existed (1.7 GB at 1M
    with MiniLM, against one shard's ~220 MB for an import): it seals them in the fork now."""
    pytest.importorskip("faiss")
    bundle = tmp_path / "bundle"
    Generator(vocabulary, seed=5).write(bundle, 50, 20)

    def home(path: Path, backend: str) -> Settings:
        return make_settings(path).model_copy(
            update={"vector_backend": backend, "vector_shard_size": 8}
        )

    for path, backend in ((tmp_path / "home", built), (tmp_path / "fresh", opened)):
        Engine(home(path, backend), encoder=HashingEncoder()).import_bundle(bundle)
    fresh = Engine(home(tmp_path / "fresh", opened), encoder=HashingEncoder())
    published = snapshots.current(tmp_path / "home" / "index" / "talent")
    assert published is not None
    held: list[int] = []  # each shard's vectors after each of its upserts

    class Watched(VECTOR[opened]):  # type: ignore[misc, valid-type]
        def upsert(self, labels: np.ndarray, vectors: np.ndarray) -> None:
            super().upsert(labels, vectors)
            held.append(self.count())

    monkeypatch.setitem(VECTOR, opened, Watched)
    encoder = CountingEncoder()
    engine = Engine(home(tmp_path / "home", opened), encoder=encoder)
    talent = engine.collection("talent")
    assert encoder.embedded == 0 and held and max(held) <= 8  # one shard's at a time
    assert talent.directory != published and talent.vector.name == opened
    sealed = sorted(p.name for p in (talent.directory / "vector").glob("sealed-*"))
    assert sealed == [f"sealed-{n}" for n in range(6)]  # 50 profiles: six full shards and one
    assert talent.vector.shards == 7 == talent.vector.shards_in_memory  # served: all read
    fresh_talent = fresh.collection("talent")
    assert talent.count() == talent.vector.count() == fresh_talent.count() == 50
    for query in ("python developer", "logo design", "data analyst", "accounting"):
        _assert_same_nearest(talent, fresh_talent, query)
        found = [r.freelancer_id for r in engine.search_talent(TalentQuery(query, top=10))]
        assert found == [r.freelancer_id for r in fresh.search_talent(TalentQuery(query, top=10))]


def test_a_thread_waits_for_the_vector_rebuild_another_thread_runs_and_serves_its_result(
    tmp_path: Path, vocabulary: list[VocabSkill], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Until rebuilt, the collection's vector index is empty: no thread may search it."""
    pytest.importorskip("faiss")
    engine, _ = _market(tmp_path, vocabulary, 30)  # built with hnsw, the default
    engine.store.close()
    moved = Engine(_on_backend(engine.settings.home, "faiss"), encoder=HashingEncoder())
    rebuild = Collection.rebuild_vectors
    other: list[Collection] = []
    second = threading.Thread(target=lambda: other.append(moved.collection("talent")))
    waited: list[bool] = []

    def rebuild_while_another_asks(coll: Collection) -> None:
        second.start()
        second.join(0.5)
        waited.append(second.is_alive())  # it waits for this rebuild, not serve an empty index
        rebuild(coll)

    opened: list[Path] = []
    open_collection = Engine._open_collection

    def counting(self: Engine, directory: Path) -> Collection:
        opened.append(directory)
        return open_collection(self, directory)

    monkeypatch.setattr(Collection, "rebuild_vectors", rebuild_while_another_asks)
    monkeypatch.setattr(Engine, "_open_collection", counting)
    talent = moved.collection("talent")
    second.join(5)
    assert waited == [True] and other == [talent]  # the one rebuilt
    assert len(opened) == 1  # the other thread did not open (and rebuild) it again
    assert talent.vector.name == "faiss" and talent.vector.count() == talent.count() == 30
    moved.store.close()


def test_a_build_forked_from_another_backends_snapshot_rebuilds_its_vectors_in_the_fork(
    tmp_path: Path, vocabulary: list[VocabSkill], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never under the lock (the published one is rebuilt first); an empty index is never saved."""
    pytest.importorskip("faiss")
    engine, _ = _market(tmp_path, vocabulary, 20)  # built with hnsw, the default
    engine.store.close()
    published = snapshots.current(engine.settings.index_dir / "talent")
    assert published is not None
    files = {p: p.stat().st_mtime_ns for p in published.rglob("*") if p.is_file()}
    moved = Engine(_on_backend(engine.settings.home, "faiss"), encoder=HashingEncoder())
    stale = moved._open_collection(published)  # noqa: SLF001
    monkeypatch.setattr(Engine, "collection", lambda self, kind: stale)  # as if not rebuilt
    with moved._index_lock():  # noqa: SLF001
        build = moved._build("talent")  # noqa: SLF001
    assert build.directory != published and build.vectors_stale == ""
    assert build.vector.name == "faiss" and build.vector.count() == build.count() == 20
    assert {p: p.stat().st_mtime_ns for p in files} == files
    moved.store.close()


class _Killed(Exception):
    """Stands for a kill at that point: nothing after it runs."""


def _kill(*args: object, **kwargs: object) -> None:
    raise _Killed


def test_a_vector_rebuild_killed_before_its_snapshot_is_published_leaves_the_old_one_serving(
    tmp_path: Path, vocabulary: list[VocabSkill], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("faiss")
    engine, _ = _market(tmp_path, vocabulary, 40)  # built with hnsw, the default
    engine.store.close()
    root = engine.settings.index_dir / "talent"
    published = snapshots.current(root)
    assert published is not None
    files = {p: p.stat().st_mtime_ns for p in published.rglob("*") if p.is_file()}
    on_faiss = _on_backend(engine.settings.home, "faiss")

    for step in ("rebuild_vectors", "_write"):  # killed while building, then while saving
        with monkeypatch.context() as patch:
            patch.setattr(Collection, step, _kill)
            with pytest.raises(_Killed):
                Engine(on_faiss, encoder=HashingEncoder()).collection("talent")
        assert snapshots.current(root) == published
        assert {p: p.stat().st_mtime_ns for p in files} == files  # untouched
    left = snapshots.unpublished(root)  # the fork the save was killed in: no build resumes it
    assert left is not None and not (left / "manifest.json").exists()

    # a process still on the old backend re-indexes a change: it forks the published snapshot
    stayed = Engine(engine.settings, encoder=HashingEncoder())
    person = next(iter(stayed.store.freelancers.iter_all()))
    stayed.store.freelancers.save(person.model_copy(update={"title": "Changed title"}))
    assert stayed.sync_indexes() == {"talent": 1, "jobs": 0}
    assert stayed.collection("talent").vector.count() == 40
    stayed.store.close()
    moved = Engine(on_faiss, encoder=CountingEncoder())
    talent = moved.collection("talent")
    assert talent.vector.name == "faiss" and talent.vector.count() == 40


def test_a_thread_waits_for_the_index_lock_another_thread_holds(tmp_path: Path) -> None:
    engine = Engine(make_settings(tmp_path), encoder=HashingEncoder())
    held, release, order = threading.Event(), threading.Event(), []

    def first() -> None:
        with engine._index_lock(), engine._index_lock():  # re-entrant in its own thread
            order.append("first in")
            held.set()
            release.wait(5)
            order.append("first out")

    def second() -> None:
        held.wait(5)
        with engine._index_lock():
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    held.wait(5)
    time.sleep(0.3)  # time for the second thread to get in, if nothing stops it
    release.set()
    for thread in threads:
        thread.join(5)
    assert order == ["first in", "first out", "second in"]
    engine.store.close()


class _PlainHashing(HashingEncoder):
    """The hashing encoder as first written: every feature hashed and added in turn."""

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> Vectors:
        rows = [_hashed_feature_by_feature(t, self.dim) for t in texts]
        return np.vstack(rows) if rows else np.zeros((0, self.dim), dtype=np.float32)


def _plain_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Swap each shortcut of an import's reading for the obvious code it must agree with."""
    for module in list(sys.modules.values()):
        if getattr(module, "skill_key", None) is keys.skill_key:
            monkeypatch.setattr(module, "skill_key", _plain_key)
    monkeypatch.setattr(linker, "span_offsets", _plain_offsets)
    monkeypatch.setattr(linker.SkillLinker, "written", _plain_written)
    monkeypatch.setattr(
        PhraseExtractor, "_widest", lambda self, text, tokens, i: min(5, len(tokens) - i)
    )


def test_an_import_builds_what_the_plain_code_builds(
    tmp_path: Path, small_bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = Engine(make_settings(tmp_path / "fast"), encoder=HashingEncoder())
    fast.import_bundle(small_bundle)
    with monkeypatch.context() as patched:
        _plain_parts(patched)
        plain = Engine(make_settings(tmp_path / "plain"), encoder=_PlainHashing())
        plain.import_bundle(small_bundle)
    for kind in ("talent", "jobs"):
        a, b = fast.collection(kind), plain.collection(kind)  # type: ignore[arg-type]
        n = len(a.ids)
        assert n > 100 and _every_id(a) == _every_id(b) and a.holds_same_records(b)
        for doc_id in _every_id(a):
            assert a.skills_of(doc_id) == b.skills_of(doc_id)
            assert a.mentions_of(doc_id) == b.mentions_of(doc_id)
        assert np.array_equal(a.vectors_of(range(n)), b.vectors_of(range(n)))
        assert np.array_equal(a.live, b.live)
        assert a.numbers.keys() == b.numbers.keys() and a.tags.keys() == b.tags.keys()
        for name in a.numbers:
            assert np.array_equal(a.numbers[name][:n], b.numbers[name][:n], equal_nan=True)
        for name in a.tags:
            assert a.tag_values(name) == b.tag_values(name)
            for value in a.tag_values(name):
                assert np.array_equal(
                    a.mask([TagIn(name, (value,))]), b.mask([TagIn(name, (value,))])
                )
        for query in ("python developer", "logo design", "data analysis excel"):
            assert a.lexical.search(query, 20) == b.lexical.search(query, 20)
    talent = fast.collection("talent")
    assert sum(len(talent.mentions_of(i)) for i in _every_id(talent)) > 100  # skills were read
    fast.store.close()
    plain.store.close()


def _typo_freelancer(pid: str, skills: Sequence[str] = ("Pyhton", "Djnago", "SQL")) -> Freelancer:
    """A freelancer whose typed skills hold typos (the normaliser has to search them)."""
    return Freelancer.model_validate(
        {
            "id": pid,
            "name": "Ada",
            "skills": list(skills),
            "hourly_rate": 40,
            "country": "GB",
            "joined_at": "2026-01-01T00:00:00Z",
        }
    )


def test_a_sync_works_stale_skill_forms_out_again_for_every_typed_name(
    bare_engine: Engine,
) -> None:
    """Forms stored under older rules were never rewritten: each server searched typos anew."""
    from tandem.skills.memo import read_forms, write_forms

    engine = bare_engine
    engine.save_freelancer(_typo_freelancer("f1"))
    forms = engine.settings.index_dir / "skill-forms.json"
    write_forms(forms, "older rules", {})  # what an older release left
    assert engine.sync_indexes() == {"talent": 0, "jobs": 0}  # nothing to re-index

    fresh = Engine(make_settings(engine.settings.home), encoder=HashingEncoder())
    stored = read_forms(forms, fresh._stamp_of_forms())
    assert stored["Pyhton"].name == "Python" and stored["Djnago"].name == "Django"
    fresh.store.close()
    before = forms.stat().st_mtime_ns
    engine.sync_indexes()
    assert forms.stat().st_mtime_ns == before  # current forms are not worked out again


def test_a_sync_parses_the_skill_forms_once(
    bare_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sync read the forms to normalise, then parsed them again to ask whether current."""
    from tests.skills.test_memo import _counting_parses

    bare_engine.save_freelancer(_typo_freelancer("f1"))
    engine = Engine(make_settings(bare_engine.settings.home), encoder=HashingEncoder())
    engine.store.freelancers.save(_typo_freelancer("f2", skills=["Kubernets"]))  # not indexed
    parsed = _counting_parses(monkeypatch)
    assert engine.sync_indexes() == {"talent": 1, "jobs": 0}
    assert parsed == ["forms"]
    assert engine.normaliser.known["Kubernets"].name == "Kubernetes"
    engine.store.close()


def test_a_db_upgrade_leaves_stale_skill_forms_current(tmp_path: Path) -> None:
    """A release changes the forms' fingerprint; only a sync worked them out again."""
    from tandem.engine import upgrade_store
    from tandem.skills.memo import is_current, read_forms, write_forms

    settings = make_settings(tmp_path / "nothing-served")
    upgrade_store(settings)
    assert not settings.index_dir.exists()  # no indexes: no copy of typed words made here

    settings = make_settings(tmp_path / "home")
    engine = Engine(settings, encoder=HashingEncoder())
    engine.save_freelancer(_typo_freelancer("f1"))
    stamp = engine._stamp_of_forms()
    engine.store.close()
    forms = settings.index_dir / "skill-forms.json"
    write_forms(forms, "older rules", {})  # what the release before left

    assert not upgrade_store(settings).migrated  # the schema was current already
    assert is_current(forms, stamp)
    assert read_forms(forms, stamp)["Djnago"].name == "Django"


def test_a_db_upgrade_does_not_wait_for_a_sync_holding_the_index_lock(tmp_path: Path) -> None:
    """The deploy step waited on the index lock: behind a running sync (hours at 1M), for ever.

    A sync leaves the forms current at its end anyway; the schema step runs and exits.
    """
    import fcntl

    from tandem.engine import upgrade_store
    from tandem.skills.memo import is_current, write_forms

    settings = make_settings(tmp_path / "home")
    engine = Engine(settings, encoder=HashingEncoder())
    engine.save_freelancer(_typo_freelancer("f1"))
    stamp = engine._stamp_of_forms()
    forms = settings.index_dir / "skill-forms.json"
    write_forms(forms, "older rules", {})
    done: list[object] = []
    with (settings.index_dir / ".lock").open("w") as syncing:
        fcntl.flock(syncing, fcntl.LOCK_EX)  # another process's sync
        try:
            deploy = threading.Thread(target=lambda: done.append(upgrade_store(settings)))
            deploy.start()
            deploy.join(timeout=20)
            assert done and not deploy.is_alive()
        finally:
            fcntl.flock(syncing, fcntl.LOCK_UN)
            deploy.join()
    assert not is_current(forms, stamp)  # left to the sync (it holds the lock)
    engine.sync_indexes()
    assert is_current(forms, stamp)
    engine.store.close()


def test_a_sync_names_mentions_again_when_another_reader_read_them(tmp_path: Path) -> None:
    """A sync re-indexed only changed records: mentions kept what the old reader found.

    After a taxonomy import, profiles already indexed never showed the new skill as evidence;
    a sync now names every profile's skills again, with no encoder pass.
    """
    from tandem.skills import Skill

    settings = make_settings(tmp_path / "home")
    engine = Engine(settings, encoder=HashingEncoder())
    person = _typo_freelancer("f1", skills=["Python"]).model_copy(
        update={"overview": "Python by day, wickerwork by night."}
    )
    engine.save_freelancer(person)
    engine.sync_indexes()
    assert set(engine.collection("talent").mentions_of("f1")) == {"Python"}
    engine.store.close()

    crafts = Skill(name="Basket Weaving", category="Crafts", aliases=["wickerwork"])
    settings.taxonomy_dir.mkdir(parents=True)
    (settings.taxonomy_dir / "crafts.jsonl").write_text(json.dumps(crafts.to_dict()) + "\n")
    encoder = CountingEncoder()
    again = Engine(settings, encoder=encoder)  # the next process reads the grown taxonomy
    assert again.sync_indexes() == {"talent": 0, "jobs": 0}  # no record changed
    talent = again.collection("talent")
    assert talent.mentions_of("f1")["Basket Weaving"] == "overview: 'wickerwork'"
    assert encoder.embedded == 0  # named again from the text: nothing embedded
    again.sync_indexes()
    assert again.collection("talent") is talent  # read once: the manifest says by whom
    again.store.close()


def test_named_again_keeps_described_mentions_a_full_read_would_keep() -> None:
    from tandem.search.documents import DESCRIBED, with_named_again

    stored = {
        "Python": "overview: 'Python'",
        "Bookkeeping": f"overview: 'keep our books'{DESCRIBED}",
        "Excel": f"title: 'spreadsheets'{DESCRIBED}",
        "Docker": f"overview: 'containers'{DESCRIBED}",
        "Django": "overview: 'Django'",
    }
    named = {"Python": "title: 'Python'", "Excel": "overview: 'Excel'"}
    merged = with_named_again(stored, named, ["docker"])
    assert list(merged.items()) == [
        ("Python", "title: 'Python'"),
        ("Excel", "overview: 'Excel'"),  # now named: the name is the evidence
        ("Bookkeeping", f"overview: 'keep our books'{DESCRIBED}"),
    ]  # Django no longer named (dropped); Docker now listed as a skill (not new evidence)


def test_an_import_holds_one_vector_shard_and_a_reader_loads_them_all(
    tmp_path: Path, small_bundle: Path
) -> None:
    """A build seals shards as it goes (bounded memory); a process that serves reads them all."""
    settings = Settings(home=tmp_path / "home", encoder="hashing", vector_shard_size=40)
    engine = Engine(settings, encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    built = engine.collection("talent")  # the build this process published
    assert built.vector.shards > 2 and built.vector.shards_in_memory == 1
    assert built.vector.count() == built.count() == 300
    engine.store.close()

    reader = Engine(settings, encoder=HashingEncoder())
    served = reader.collection("talent")
    assert served.vector.shards_in_memory == served.vector.shards == built.vector.shards
    found = reader.search_talent(TalentQuery(text="bookkeeping xero"))
    assert found
    reader.store.close()


class _SeenLock:
    """A lock that tells which threads asked for it (to start a race at a known point)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.asked = threading.Condition()
        self.askers: list[int] = []

    def __enter__(self) -> None:
        with self.asked:
            self.askers.append(threading.get_ident())
            self.asked.notify_all()
        self._lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


def test_threads_arriving_while_a_stale_snapshot_loads_wait_for_its_rebuild_not_load_it_again(
    tmp_path: Path, vocabulary: list[VocabSkill], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second request that reached the loading lock while the first loaded the snapshot
    loaded it again once the first let the lock go (the stale one is never cached): an O(N)
    load and a whole collection more in memory per request that arrived meanwhile."""
    pytest.importorskip("faiss")
    engine, _ = _market(tmp_path, vocabulary, 20)  # built with hnsw, the default
    engine.store.close()
    moved = Engine(_on_backend(engine.settings.home, "faiss"), encoder=HashingEncoder())
    loading = _SeenLock()
    moved._loading = loading  # type: ignore[assignment]  # noqa: SLF001
    other: list[Collection] = []
    second = threading.Thread(target=lambda: other.append(moved.collection("talent")))
    opened: list[Path] = []
    open_collection = Engine._open_collection

    def counting(self: Engine, directory: Path) -> Collection:
        opened.append(directory)
        if len(opened) == 1:  # the first load: the second request arrives meanwhile
            second.start()
            with loading.asked:
                assert loading.asked.wait_for(lambda: second.ident in loading.askers, 10)
        return open_collection(self, directory)

    monkeypatch.setattr(Engine, "_open_collection", counting)
    talent = moved.collection("talent")
    second.join(20)
    assert not second.is_alive() and other == [talent]
    assert len(opened) == 1  # loaded once, by the thread that rebuilt it
    assert talent.vector.name == "faiss" and talent.vector.count() == talent.count() == 20
    moved.store.close()


def test_a_write_journalled_while_a_stale_snapshot_loads_is_in_the_rebuilt_one(
    tmp_path: Path, vocabulary: list[VocabSkill], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process's single-record write landed in the published snapshot's journal after
    this one had read it and before it took the index lock to publish the rebuild: the fork
    copied the line, and its save cleared it unapplied (the write was gone from the index)."""
    pytest.importorskip("faiss")
    writer, _ = _market(tmp_path, vocabulary, 20)  # built with hnsw, the default
    person = next(iter(writer.store.freelancers.iter_all()))
    moved = Engine(_on_backend(writer.settings.home, "faiss"), encoder=HashingEncoder())
    open_collection = Engine._open_collection

    def written_meanwhile(self: Engine, directory: Path) -> Collection:
        coll = open_collection(self, directory)
        if self is moved:  # the other process (still on hnsw) writes before the lock is taken
            writer.save_freelancer(person.model_copy(update={"title": "Quetzalcoatlish analyst"}))
        return coll

    monkeypatch.setattr(Engine, "_open_collection", written_meanwhile)
    talent = moved.collection("talent")
    stored = writer.store.freelancers.hashes_of([person.id])[person.id]
    assert talent.vector.name == "faiss" and talent.hash_of(person.id) == stored
    hits = talent.lexical.search("quetzalcoatlish", 3)
    assert [talent.ids[h.label] for h in hits] == [person.id]
    writer.store.close()
    moved.store.close()


def test_a_thread_waiting_for_a_rebuild_is_served_once_the_lock_holder_published_one(
    tmp_path: Path, vocabulary: list[VocabSkill]
) -> None:
    """The thread that first found the stale snapshot waits for the index lock; a sync holding
    it rebuilds and publishes on its own. Threads waiting for the first one's rebuild waited
    for the whole sync to end, with a rebuilt snapshot published and cached all along."""
    pytest.importorskip("faiss")
    engine, _ = _market(tmp_path, vocabulary, 20)  # built with hnsw, the default
    engine.store.close()
    moved = Engine(_on_backend(engine.settings.home, "faiss"), encoder=HashingEncoder())
    first: list[Collection] = []
    waiting: list[Collection] = []
    rebuilder = threading.Thread(target=lambda: first.append(moved.collection("talent")))
    waiter = threading.Thread(target=lambda: waiting.append(moved.collection("talent")))
    with moved._index_lock():  # noqa: SLF001  (a sync, holding it throughout)
        rebuilder.start()  # loads the stale snapshot, then waits for the lock
        deadline = time.monotonic() + 20
        while "talent" not in moved._rebuilding and time.monotonic() < deadline:  # noqa: SLF001
            time.sleep(0.01)
        assert "talent" in moved._rebuilding  # noqa: SLF001
        waiter.start()  # waits for that rebuild
        talent = moved.collection("talent")  # the sync's own: rebuilt and published here
        waiter.join(10)
        assert not waiter.is_alive() and waiting == [talent]  # before the sync ends
        assert rebuilder.is_alive()  # still waiting for the lock
    rebuilder.join(20)
    assert first == [talent] and talent.vector.count() == talent.count() == 20
    moved.store.close()


def test_naming_again_drops_a_stored_described_mention_the_name_rule_now_drops(
    tmp_path: Path,
) -> None:
    """Described mentions are kept through a re-read (finding them costs an encoder pass), but
    the reader's name rule needs none: a stored "2D Animation: overview: 'animation'" that an
    older reader found in "an expert 3d animation designer" goes; a true one stays.
    """
    from tandem.search.documents import DESCRIBED

    engine = Engine(make_settings(tmp_path / "home"), encoder=HashingEncoder())
    person = _typo_freelancer(
        "f1", skills=["3D Animation", "Lottie Animation", "Character Animation"]
    ).model_copy(
        update={
            "title": "Expert 3D Animation Designer",
            "overview": "I am an expert 3d animation designer. I keep the books of my studio.",
        }
    )
    engine.save_freelancer(person)
    engine.sync_indexes()
    talent = engine.collection("talent")
    old = {
        "2D Animation": f"overview: 'animation'{DESCRIBED}",
        "Bookkeeping": f"overview: 'keep the books'{DESCRIBED}",
    }
    talent.set_mentions("f1", {**talent.mentions_of("f1"), **old})
    engine._name_mentions_again(talent, 256, 1e9, None)
    kept = talent.mentions_of("f1")
    assert "2D Animation" not in kept
    assert kept["Bookkeeping"] == f"overview: 'keep the books'{DESCRIBED}"
    engine.store.close()
