"""The engine's core: wiring from settings, caches, records, bundles and indexes."""

from __future__ import annotations

import fcntl
import json
import logging
import shutil
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from threadpoolctl import threadpool_limits

from tandem.batch import Batch, Executor, Work, create_executor
from tandem.batch.local import LocalExecutor
from tandem.batch.work import Embed
from tandem.domain import Freelancer, Job, Record
from tandem.domain.results import TASKS, Task
from tandem.embed import Encoder, Vectors, create_encoder
from tandem.engine.consent import keep_stored_consent, keep_stored_consents
from tandem.engine.counting import RunningCard, RunningReport
from tandem.engine.keeping import Lent
from tandem.engine.records import ERASURE_STAMP, ErasureStamp, RecordCache
from tandem.engine.types import Progress, R, Requester
from tandem.errors import SearchIndexError, ValidationError
from tandem.fairness.tally import Tally
from tandem.learn.history import History
from tandem.rank import Ranker, create_ranker
from tandem.rank.matcher import Matcher
from tandem.rank.models import ModelRegistry
from tandem.search import (
    Collection,
    Document,
    freelancer_document,
    job_document,
    journal,
    snapshots,
)
from tandem.search import documents as documents_code
from tandem.search.collection import CHECKPOINT_SECONDS
from tandem.search.documents import (
    described_span,
    profile_embed_text,
    profile_mentions,
    with_named_again,
)
from tandem.settings import Settings
from tandem.skills import Normaliser, PhraseExtractor, Skill, Taxonomy
from tandem.skills import reader as reader_code
from tandem.skills.extract import fingerprint as mentions_fingerprint
from tandem.skills.importers import IMPORTERS
from tandem.skills.memo import FormsMemo, fingerprint
from tandem.skills.reader import FoundSkill, leans_on_a_name, named_in
from tandem.store import Repository, Store, migrate, open_database, require_current
from tandem.store.db import applied_revisions
from tandem.text import pii as pii_code

if TYPE_CHECKING:  # imported where used: a command that reads pays for neither
    from tandem.bundle.importer import ImportReport
    from tandem.llm import ChatBackend

#: Gives a batch of changed documents of one kind (``talent``, ``jobs``) their vectors (see
#: :meth:`EngineCore.sync_indexes`); None when that kind is embedded by the collection itself.
DocumentReader = Callable[[str, list[Document]], Vectors | None]


log = logging.getLogger("tandem.engine")


class SchemaUpgrade(NamedTuple):
    """What ``tandem db upgrade`` did: the revisions before and after, and whether it migrated."""

    before: list[str]
    after: list[str]
    migrated: bool


def upgrade_store(settings: Settings) -> SchemaUpgrade:
    """Run the store's schema migrations once and close it (``tandem db upgrade``).

    Opening the store migrates it too (``TANDEM_AUTO_MIGRATE``, on by default), under a
    PostgreSQL advisory lock or a SQLite file lock, so replicas starting together never race.
    Several hosts rolling out a release want more: the schema changed by one explicit step,
    before any new process starts and while the old ones still serve, and serving processes
    that never change it (``TANDEM_AUTO_MIGRATE=0``) and refuse a schema they do not know.
    This is that step; it takes the same lock and the same code path (:func:`migrate`).

    A new release usually changes the skill-forms memo's fingerprint too (its normaliser's
    code), and until an index sync rewrote it every new process searched typos anew
    (:meth:`EngineCore.refresh_skill_forms`); so the step leaves it current as well. Only in a
    home that has indexes: the memo holds words people typed, and a host that only runs this
    step against a shared store serves nothing from its own home. Not while a sync holds the
    index lock (it leaves the memo current at its end): the step never waits for one.
    """
    db = open_database(settings.resolved_database_url)
    try:
        before = sorted(applied_revisions(db))
        migrated = migrate(db)
        done = SchemaUpgrade(before, sorted(applied_revisions(db)), migrated)
    finally:
        db.close()
    if settings.index_dir.is_dir():
        engine = EngineCore(settings)
        try:
            engine.refresh_skill_forms(wait=False)  # a sync under way does it at its end
        finally:
            engine.store.close()
    return done


class EngineCore:
    """Tandem's parts, wired from :class:`Settings` (the first layer of :class:`Engine`)."""

    def __init__(self, settings: Settings | None = None, *, encoder: Encoder | None = None) -> None:
        # numpy's OpenBLAS threads spin between calls and starve the encoder's own threads on
        # small machines (measured: a MiniLM pass went from 8 ms to 78 ms after a large matrix
        # product); Tandem's products are small, so one BLAS thread is faster overall.
        threadpool_limits(limits=1, user_api="blas")
        self.settings = settings or Settings()
        # Only its owner may enter a new home: it holds contact details, tokens' hashes and
        # the keys that make erasure final.
        self.settings.home.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.store = Store(open_database(self.settings.resolved_database_url))
        if self.settings.auto_migrate:
            migrate(self.store.db)  # under the store's migration lock: once, never racing
        else:
            require_current(self.store.db)
        # Built on first use: a search or a replay reads neither, and together they cost a
        # light command 0.1-0.2 s (issue 9).
        self._taxonomy: Taxonomy | None = None
        self._normaliser: Normaliser | None = None
        self._forms_stamp: str | None = None  # the taxonomy's fingerprint (see skills.memo)
        self._mentions_stamp: str | None = None  # what names skills in text (skills.extract)
        self._extractor: PhraseExtractor | None = None
        self._encoder = encoder
        self._skill_encoder: Encoder | None = None
        #: Loaded collections by kind, with the snapshot version each was loaded from.
        self._collections: dict[str, tuple[Collection, str]] = {}
        #: The published snapshot each kind's last :meth:`collection` call read (the pointer
        #: only moves forward): what :meth:`_cached` compares the served one with.
        self._published: dict[str, Path] = {}
        #: Held while a snapshot loads; background loads by (kind, version): loading or failed.
        self._loading = threading.Lock()
        self._preloads_guard = threading.Lock()
        self._preloads: dict[tuple[str, str], str] = {}
        #: By kind: set when the thread rebuilding a published snapshot's vector index (another
        #: backend built it) has published the rebuilt one (see :meth:`_serve_rebuilt`).
        self._rebuilding: dict[str, threading.Event] = {}
        #: Where an index sync embeds and reads records (see :meth:`executing`).
        self.executor: Executor = LocalExecutor()
        self.heuristic: Ranker = create_ranker("heuristic")
        self.models = ModelRegistry(self.settings.home / "models")
        self._learned: dict[Task, Ranker] = {}
        self._history: History | None = None
        #: Decoded records by kind, kept from their second read on (:mod:`tandem.engine.records`).
        self._cache: dict[str, RecordCache[object]] = {
            "talent": RecordCache(),
            "jobs": RecordCache(),
        }
        #: Rewritten by every erasure in any process of the home: the caches are then dropped.
        self._erasures = ErasureStamp(self.settings.index_dir / ERASURE_STAMP)
        #: Held while a thread reads the stamp and takes its cache: a thread that asks right
        #: after another saw a change must not take the caches that change empties.
        self._erasures_lock = threading.Lock()
        self._matcher: Matcher | None = None
        #: The thread holding the index lock (re-entrant for it alone), and the lock threads
        #: of this process queue on before the file lock other processes queue on.
        self._index_owner: int | None = None
        self._index_mutex = threading.Lock()
        self._zones: tuple[str, dict[str, str | None]] | None = None
        self._zones_stamp = ""
        # the aligned fairness policy's per-group offsets by (task, model, attribute), with the
        # number of proposals they were estimated at
        self._fair_offsets: dict[tuple[str, str, str], tuple[int, dict[str, float]]] = {}
        # the amortised policy's tally window by (task, attribute, method): the log entry it
        # was read through, and each counted ranking's entry number and counts
        self._fair_tallies: dict[tuple[str, str, str], tuple[int, deque[tuple[int, Tally]]]] = {}
        # the audit report's running counts per window (engine.counting)
        self._counted: Lent[RunningReport] = Lent()
        self._cards_counted: Lent[RunningCard] = Lent()

    # wiring -------------------------------------------------------------------------------
    @cached_property
    def llm(self) -> ChatBackend | None:
        """The optional language model the companion may use for wording (``None``: none)."""
        from tandem.llm import backend_from_settings

        return backend_from_settings(self.settings)

    @property
    def encoder(self) -> Encoder:
        """The sentence encoder (created on first use; loading a model is not free)."""
        if self._encoder is None:
            self._encoder = create_encoder(self.settings.encoder, cache_dir=self.settings.cache_dir)
        return self._encoder

    @property
    def skill_encoder(self) -> Encoder:
        """The ESCO linker's encoder: ``skill_encoder`` when set, else :attr:`encoder`."""
        name = self.settings.skill_encoder
        if name is None or name == self.settings.encoder:
            return self.encoder
        if self._skill_encoder is None:
            self._skill_encoder = create_encoder(name, cache_dir=self.settings.cache_dir)
        return self._skill_encoder

    @property
    def taxonomy(self) -> Taxonomy:
        """The built-in skills plus any imported taxonomy (loaded on first use)."""
        if self._taxonomy is None:
            self._taxonomy = self._load_taxonomy()
        return self._taxonomy

    @taxonomy.setter
    def taxonomy(self, value: Taxonomy) -> None:
        """A new taxonomy: the normaliser and the extractor follow it."""
        self._taxonomy = value
        self._forms_stamp = None
        self._mentions_stamp = None
        self._normaliser = None
        self._extractor = None
        self._matcher = None

    @property
    def normaliser(self) -> Normaliser:
        """Typed skill names -> the taxonomy's, starting from the stored forms."""
        if self._normaliser is None:
            self._normaliser = self._stored_normaliser()
        return self._normaliser

    @normaliser.setter
    def normaliser(self, value: Normaliser) -> None:
        self._normaliser = value

    @property
    def extractor(self) -> PhraseExtractor:
        """Skills written in prose (built on first use)."""
        if self._extractor is None:
            self._extractor = PhraseExtractor(self.taxonomy)
        return self._extractor

    def _load_taxonomy(self) -> Taxonomy:
        taxonomy = Taxonomy.builtin()
        folder = self.settings.taxonomy_dir
        if folder.is_dir():
            for path in sorted(folder.glob("*.jsonl")):
                with path.open(encoding="utf-8") as handle:
                    taxonomy.add(
                        Skill.from_dict(json.loads(line)) for line in handle if line.strip()
                    )
        return taxonomy

    @cached_property
    def _forms_memo(self) -> FormsMemo:
        """The skill-forms memo beside the indexes (parsed at most once per version of it)."""
        return FormsMemo(self.settings.index_dir / "skill-forms.json")

    @property
    def _forms_path(self) -> Path:
        return self._forms_memo.path

    def _stored_normaliser(self) -> Normaliser:
        """A normaliser that starts from the forms the last index sync stored (if current)."""
        stamp = self._stamp_of_forms()
        return Normaliser(self.taxonomy, self._forms_memo.read(stamp))

    def _stamp_of_forms(self) -> str:
        """The fingerprint stored forms are keyed by, hashed once per taxonomy."""
        if self._forms_stamp is None:
            self._forms_stamp = fingerprint(self.taxonomy)
        return self._forms_stamp

    def _stamp_of_mentions(self) -> str:
        """The fingerprint of what names skills in a profile (kept in the talent manifest)."""
        if self._mentions_stamp is None:
            self._mentions_stamp = mentions_fingerprint(
                self.taxonomy, documents_code, pii_code, reader_code
            )
        return self._mentions_stamp

    def _store_forms(self, *, always: bool = False) -> None:
        """Keep what the normaliser worked out for the next process (under the index lock).

        The one place the forms are written. Only when it learned a name, unless ``always``:
        a stale file is rewritten under the current fingerprint even when nothing is new.
        """
        if always or self.normaliser.learned:
            self._forms_memo.write(self._stamp_of_forms(), self.normaliser.known)
            self.normaliser.settle()

    def collection(self, kind: Literal["talent", "jobs"]) -> Collection:
        """The published search collection, switched to a newer snapshot when one is published.

        Each use reads the snapshot pointer (one small file): a replica picks up another
        process's build without a restart (:mod:`tandem.search.snapshots`). Another process's
        single-record writes are only journalled: they are replayed onto the loaded collection
        (a reload would cost O(N) per write).

        A process already serving a snapshot loads a newer one in a background thread and
        serves the one it has until then (a load is O(N): seconds at 1M profiles, which no
        request should wait for). Under the index lock the newest is loaded at once: a write
        must land in the published snapshot's journal, never in a retired one.

        A snapshot whose vector index another backend built is served once one thread has
        rebuilt it in a new snapshot (:meth:`_serve_rebuilt`); meanwhile other threads serve
        the snapshot they have, or wait for that one.
        """
        root = self.settings.index_dir / kind
        directory = snapshots.current(root)
        if directory is None:  # nothing published yet (a new home, or an index from before)
            with self._index_lock():
                directory = self._first_snapshot(kind)
        self._published[kind] = directory
        cached = self._collections.get(kind)
        if cached is not None and cached[1] == directory.name:
            coll = cached[0]
            written = journal.size(coll.journal_path)
            if written > coll.journal_at:  # another process's single-record writes
                # Under the collection's write side, not the index lock: request threads catch
                # up one at a time and queries see the batch whole (search.guard), while the
                # file lock may be held by another process's sync for minutes.
                coll.catch_up()
            return coll
        serving = cached is not None and cached[1] and not self._holds_index_lock()
        rebuilding = self._waited_for(kind)
        if rebuilding is not None and not self._holds_index_lock():  # (the lock's holder
            if serving and cached is not None:  # cannot wait for it: it rebuilds on its own)
                return cached[0]
            rebuilding.wait()
            return self.collection(kind)
        if serving and cached is not None and self._preload(kind, directory):
            return cached[0]  # until the newer snapshot has loaded
        with self._loading:  # concurrent requests load a snapshot once, not once each
            cached = self._collections.get(kind)
            if cached is not None and cached[1] == directory.name:
                return cached[0]
            # A stale snapshot is not cached: a request that waited here while another thread
            # loaded it would load it again (seconds and a whole collection at 1M), so it
            # serves the snapshot it has or waits for the rebuild, as above.
            rebuilding = self._waited_for(kind)
            if rebuilding is not None and not self._holds_index_lock():
                if cached is not None and cached[1]:
                    return cached[0]
            else:
                rebuilding = None
                coll = self._open_collection(directory)
                if coll.vectors_stale:  # its vector index is empty until rebuilt: not served
                    done = threading.Event()
                    if self._waited_for(kind) is None:  # else that one's rebuild is awaited
                        self._rebuilding[kind] = done
                else:
                    if not self._holds_index_lock():  # to serve: every shard now, as a
                        # preload does (a build, under the lock, reads none: it holds one)
                        coll.vector.read_all()
                    self._collections[kind] = (coll, "" if coll.discarded else directory.name)
        if rebuilding is not None:
            rebuilding.wait()
            return self.collection(kind)
        if coll.vectors_stale:
            return self._serve_rebuilt(kind, coll, done)
        if coll.discarded:  # built by another encoder (or format): re-embed, never mix
            coll.discarded = False
            # Any command may be the first to open it (`tandem stats` too): say why it waits.
            log.warning(
                "the %s index was built with other settings (%s); rebuilding it from the store "
                "now, which re-embeds every record and can take minutes (`tandem index` does it "
                "with progress; set the same TANDEM_ settings to keep the index as it was)",
                kind,
                coll.discarded_because,
            )
            with self._index_lock():
                self._sync(kind, progress=None, batch=256)
        elif coll.upgraded:  # an older format, or another backend's vector index, converted in
            # memory from the stored rows: publish it, nothing re-embedded
            coll.upgraded = False
            with self._index_lock():
                self._publish_upgraded(kind, coll)
        return self._collections[kind][0]

    def _serve_rebuilt(
        self, kind: Literal["talent", "jobs"], coll: Collection, done: threading.Event
    ) -> Collection:
        """Rebuild ``coll``'s vector index in a new snapshot, publish it and serve it.

        Under the index lock, outside the loading lock (a sync holding the index lock takes
        the loading lock to publish). ``done`` wakes the threads waiting for it (see
        :meth:`collection`), whether it was published or failed: a failure then reaches them.
        """
        reading = not self._holds_index_lock()
        published = False
        try:
            coll.upgraded = False
            with self._index_lock():
                self._publish_upgraded(kind, coll)
            published = self._collections.get(kind, (None, ""))[0] is coll  # not dropped
        finally:
            awaited = self._rebuilding.get(kind)
            if awaited is done:
                del self._rebuilding[kind]
            elif published and awaited is not None:
                # another thread's, which waits for the lock this one held (a sync's): its
                # waiters need not wait for it, a snapshot is published (it deletes it later)
                awaited.set()
            done.set()
        served = self.collection(kind)  # this one, or one another process published meanwhile
        if reading:  # to serve: every shard now (the rebuild let each go as it sealed it)
            served.vector.read_all()
        return served

    def _waited_for(self, kind: str) -> threading.Event | None:
        """The rebuild of ``kind`` that threads wait for (None when none is under way).

        One already set is over for its waiters, though its thread has not yet removed it.
        """
        rebuilding = self._rebuilding.get(kind)
        return None if rebuilding is None or rebuilding.is_set() else rebuilding

    def _publish_upgraded(self, kind: Literal["talent", "jobs"], coll: Collection) -> None:
        """Publish ``coll``, read from an older format and converted, saved in this one.

        Or read with another backend's vector index: this one's is rebuilt from the stored
        vectors in the fork, sealing its shards there as they fill (:meth:`Collection.relocate`),
        so that it holds one shard in memory as an import does, and nothing of the published
        snapshot is written: a kill leaves it serving and the fork without a manifest.

        The converted rows are saved into a fork of its directory (:meth:`Collection.relocate`):
        opening the fork, as a build does, would convert every row a second time. Another
        process may have published meanwhile (the caller holds the lock now): then that
        snapshot serves, and this conversion is dropped.
        """
        root = self.settings.index_dir / kind
        if snapshots.current(root) != coll.directory:
            return
        # Lines another process journalled since ``coll`` was read: the fork copies them and
        # its save clears them, so they are applied first (no writer adds more: the lock).
        coll.catch_up()
        left = snapshots.unpublished(root)
        if left is not None:
            shutil.rmtree(left, ignore_errors=True)
        target = snapshots.next_version(root)
        snapshots.fork(coll.directory, target)
        if coll.vectors_stale:  # any command may be the first to open it: say why it waits
            log.warning(
                "the %s index was built with other settings (%s); rebuilding its vector index "
                "from the stored vectors now (no re-embedding) and saving it as a new snapshot "
                "(set the same TANDEM_ settings to keep the index as it was)",
                kind,
                coll.vectors_stale,
            )
        coll.relocate(target)
        self._publish(kind, coll)

    def _preload(self, kind: Literal["talent", "jobs"], directory: Path) -> bool:
        """Load snapshot ``directory`` in the background; False when the caller must load it.

        A background load that failed is not retried in the background: the next use loads it
        in the request, so the error reaches someone instead of leaving a replica behind.
        """
        key = (kind, directory.name)
        with self._preloads_guard:
            state = self._preloads.get(key)
            if state == "failed":
                del self._preloads[key]
                return False
            if state == "loading":
                return True
            self._preloads[key] = "loading"

        def still_published() -> bool:  # a newer one may have been published meanwhile
            return snapshots.current(self.settings.index_dir / kind) == directory

        def load() -> None:
            try:
                with self._loading:
                    cached = self._collections.get(kind)
                    if (cached is None or cached[1] != directory.name) and still_published():
                        coll = self._open_collection(directory)
                        if coll.discarded or coll.upgraded:  # the next use rebuilds or saves it
                            raise SearchIndexError(f"{directory} was built with other settings")
                        coll.vector.read_all()  # the sealed shards too: no request waits
                        if still_published():
                            self._collections[kind] = (coll, directory.name)
            except Exception:  # noqa: BLE001 (reported by the next use, which loads it itself)
                with self._preloads_guard:
                    self._preloads[key] = "failed"
                return
            with self._preloads_guard:
                self._preloads.pop(key, None)

        threading.Thread(target=load, name=f"tandem-load-{kind}", daemon=True).start()
        return True

    def _open_collection(self, directory: Path) -> Collection:
        """The collection saved in snapshot ``directory``, under this process's settings.

        A vector index saved by another backend (and nothing else different) is left empty
        and stale (:attr:`Collection.vectors_stale`): it is rebuilt from the stored vectors in
        the snapshot that publishes it (:meth:`_publish_upgraded`), never in ``directory``,
        which readers may be using. A background load only learns that the next use rebuilds.
        """
        return Collection(
            directory,
            self.encoder,
            lexical_backend=self.settings.lexical_backend,
            vector_backend=self.settings.vector_backend,
            vector_shard_size=self.settings.vector_shard_size,
        )

    def _first_snapshot(self, kind: Literal["talent", "jobs"]) -> Path:
        """The published version, publishing one if there is none (the caller holds the lock).

        An index saved before snapshots moves into version 1; a new home publishes an empty,
        saved collection, so a first single-record write has a manifest for its journal.
        """
        root = self.settings.index_dir / kind
        if snapshots.current(root) is None and not snapshots.adopt_legacy(root):
            first = snapshots.next_version(root)
            self._open_collection(first).save()
            snapshots.publish(root, first, grace=self.settings.snapshot_grace_seconds)
        published = snapshots.current(root)
        assert published is not None
        return published

    def _build(self, kind: Literal["talent", "jobs"], *, resume: bool = True) -> Collection:
        """The collection a build works on: the next snapshot, not yet seen by any reader.

        A sync killed before publishing left its checkpoints in that directory: a sync
        (``resume``) picks them up, as it re-plans against the store anyway, when these
        settings saved them (another's would be converted in place, keeping the old files).
        Otherwise the published version is forked (hard links, see snapshots). The caller
        holds the lock.
        """
        root = self.settings.index_dir / kind
        published = self.collection(kind)
        left = snapshots.unpublished(root)
        if resume and left is not None and (left / "manifest.json").exists():
            build = self._open_collection(left)
            if not build.discarded and not build.upgraded:
                return build
        if left is not None:
            shutil.rmtree(left, ignore_errors=True)
        target = snapshots.next_version(root)
        published.lexical.commit()  # nothing pending: the fork holds what readers see
        snapshots.fork(published.directory, target)
        build = self._open_collection(target)
        if build.vectors_stale:  # never under the lock (published is this backend's), but an
            build.relocate(target)  # empty vector index must not be saved: rebuilt in the fork
        return build

    def _publish(
        self, kind: Literal["talent", "jobs"], build: Collection, *, grace: float | None = None
    ) -> None:
        """Save ``build`` and make it the served snapshot; older ones go after the grace period."""
        build.save()
        root = self.settings.index_dir / kind
        wait = self.settings.snapshot_grace_seconds if grace is None else grace
        with self._loading:  # a background load of an older snapshot never lands after this
            snapshots.publish(root, build.directory, grace=wait)
            self._collections[kind] = (build, build.directory.name)

    def ranker_for(self, task: Task) -> Ranker:
        """The model serving ``task`` (the heuristic scorer when none is promoted for it).

        ``discovery`` ranks all talent for a job and ``applicants`` ranks a job's
        applicants; each task has its own model and its own gate.
        """
        version = self.models.serving_version(task)
        if version is None:
            return self.heuristic
        cached = self._learned.get(task)
        if cached is None or cached.version != version:
            cached = self._learned[task] = self.models.load(version)
        return cached

    def ranker_note(self, task: Task) -> str:
        """What serves ``task``, in words (cold start says so)."""
        ranker = self.ranker_for(task)
        if ranker is self.heuristic:
            return f"heuristic scorer (no trained {task} model is serving)"
        return f"learned {task} ranker {ranker.version}"

    @property
    def history(self) -> History:
        """Past hires and reviews per freelancer, from the store's events (cached)."""
        if self._history is None:
            # Only hires and reviews make a history, read without building models: reading
            # every event as a model was most of a cold `match` (0.3 s on the sample market).
            self._history = History(self.store.outcomes())
        return self._history

    def freelancers(self, ids: Iterable[str]) -> dict[str, Freelancer]:
        """Freelancers by id, served from a cache that the index's content hashes keep fresh."""
        return self._cached("talent", self.store.freelancers, ids)  # type: ignore[return-value]

    def jobs(self, ids: Iterable[str]) -> dict[str, Job]:
        """Jobs by id, served from a cache that the index's content hashes keep fresh."""
        return self._cached("jobs", self.store.jobs, ids)  # type: ignore[return-value]

    def _cached(self, kind: str, repo: Repository[Any], ids: Iterable[str]) -> dict[str, object]:
        """Records by id: kept ones whose hash the served index holds, the rest from the store.

        While a newer snapshot loads in the background (another process's import published
        it), the served index's hashes are the old ones, so a kept record would match them and
        serve what the store no longer says (a reason quoting last week's rate): until the
        newer snapshot is served, every record comes from the store.
        """
        coll = self.collection(kind)  # type: ignore[arg-type]
        wanted = list(ids)
        if coll.directory != self._published.get(kind):  # read by collection() just now
            return dict(repo.get_many(wanted))
        with self._erasures_lock:
            if self._erasures.changed():  # another process erased someone: keep nobody's record
                self._cache = {"talent": RecordCache(), "jobs": RecordCache()}
            cache = self._cache[kind]
        known = cache.known(wanted)
        hashes = dict(zip(known, coll.hashes_of(known), strict=True))  # read together
        out, missing = cache.lookup(wanted, hashes)
        for record_id, record in repo.get_many(missing).items():
            out[record_id] = record
            cache.offer(record_id, hashes.get(record_id), record)
        return out

    def _client_timezone(self, client_id: str | None) -> str | None:
        """A client's time zone, from one read of every client per import and job snapshot.

        One query per job cost ``recommend`` most of its time (91 jobs, 91 queries); clients
        only change with an import (logged once done, by whichever process ran it), and an
        import that changed no job publishes no new job snapshot: both key the cache, read
        once per use of the matcher (:meth:`note_imports`), not once per job.
        """
        if not client_id:
            return None
        stamp = self._zones_stamp
        if self._zones is None or self._zones[0] != stamp:
            zones = {c.id: c.timezone for c in self.store.clients.iter_all()}
            self._zones = (stamp, zones)
        return self._zones[1].get(client_id)

    def note_imports(self) -> None:
        """Re-read what keys the client time zones: the job snapshot and the imports logged."""
        version = self._collections["jobs"][1] if "jobs" in self._collections else ""
        self._zones_stamp = f"{version}:{self.store.imports.count()}"

    def _mentions(self, text: str, *, context: str = "") -> list[tuple[str, str]]:
        return [(m.name, m.span) for m in self.extractor.extract(text, context=context)]

    # bundles and indexes ------------------------------------------------------------------
    def import_bundle(
        self,
        directory: Path,
        *,
        strict: bool = False,
        progress: Progress | None = None,
        readmit: Sequence[str] = (),
        who: Requester | None = None,
        source: str | None = None,
    ) -> ImportReport:
        """Import a bundle into the store, then bring the indexes up to date.

        Records of erased people are skipped (counted in the report), except those of the
        freelancer or client ids in ``readmit``, whose erasure stops keeping them out. The
        import is recorded in the import log (see :mod:`tandem.engine.importing`) as done by
        ``who`` (default: this machine's user, through the CLI) from ``source`` (default:
        the directory).
        """
        from tandem.engine.importing import recorded

        with recorded(self.store.imports, who, source or str(directory)) as outcome:
            report = outcome.report = self._import_bundle(directory, strict, progress, readmit)
        self._history = None
        self._matcher = None
        self._zones = None  # clients may have changed, jobs not (no new job snapshot then)
        self.sync_indexes(progress)
        return report

    def _import_bundle(
        self,
        directory: Path,
        strict: bool,
        progress: Progress | None,
        readmit: Sequence[str],
    ) -> ImportReport:
        if readmit:
            self.store.privacy.readmit(
                [f"{kind}:{i}" for i in readmit for kind in ("freelancer", "client")]
            )

        def on_batch(name: str, n: int) -> None:
            if progress:
                progress(f"import {name}", n, 0)

        from tandem.bundle.importer import BundleImporter

        def prepare(name: str, records: list[Record]) -> list[Record]:
            people = [r for r in records if isinstance(r, Freelancer)]
            if name != "freelancers" or len(people) != len(records):
                return records
            stored = self.store.freelancers.get_many(r.id for r in people)
            return list(keep_stored_consents(people, stored))

        importer = BundleImporter(
            self.store,
            prepare=prepare,
            erased=self.store.privacy.suppressed,
            batch=self.settings.import_batch,
        )
        return importer.import_dir(directory, strict=strict, progress=on_batch)

    def export_bundle(self, directory: Path) -> dict[str, int]:
        """Write the store as a bundle."""
        from tandem.bundle.exporter import export_bundle

        return export_bundle(self.store, directory)

    @contextmanager
    def _index_lock(self, *, wait: bool = True) -> Iterator[bool]:
        """One index writer across processes and threads, re-entrant within one thread.

        A sync may find a collection to rebuild (another encoder built it) while it holds the
        lock. Another thread of this process waits, as another process does: a flag shared by
        every thread let a second request thread write while the first held it. Yields
        whether it is held: without ``wait``, False at once when another holds it.
        """
        if self._holds_index_lock():
            yield True
            return
        self.settings.index_dir.mkdir(parents=True, exist_ok=True)
        if not self._index_mutex.acquire(blocking=wait):
            yield False
            return
        try:
            with (self.settings.index_dir / ".lock").open("w") as handle:
                held = True
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:  # held elsewhere (only without wait)
                    held = False
                if not held:
                    yield False
                    return
                self._index_owner = threading.get_ident()
                try:
                    yield True
                finally:
                    self._index_owner = None
                    fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            self._index_mutex.release()

    def _holds_index_lock(self) -> bool:
        """Whether this thread holds the index lock."""
        return self._index_owner == threading.get_ident()

    def sync_indexes(
        self,
        progress: Progress | None = None,
        batch: int = 256,
        checkpoint: float = CHECKPOINT_SECONDS,
        *,
        read: DocumentReader | None = None,
    ) -> dict[str, int]:
        """Make both search collections mirror the store (only what changed is re-indexed).

        Progress is committed every ``checkpoint`` seconds of work (0: after every batch),
        so a killed sync resumes from its last commit.

        The store is read in pages of ``batch`` rows (the executor's chunk when larger): ids
        and hashes, then the changed records, then their vectors, so what a sync holds besides
        the collection itself is one batch, whatever the store's size (issue 15).

        ``read(kind, docs)`` gives a batch of changed documents their vectors (and may add
        skills their text describes to their mentions) instead of the encoder and skill reader:
        for a caller that already holds the vectors (``bench/bench_scale.py`` indexes
        synthesised ones). The documents are still built from the store's records and hashes,
        so the index mirrors the store whatever gives the vectors.

        Profiles whose skill mentions another reader named are named again, unchanged ones
        included, without an encoder pass (:meth:`_name_mentions_again`); the counts are of
        re-indexed records only.
        """
        with self._index_lock():
            counts = {
                "talent": self._sync("talent", progress, batch, checkpoint, read),
                "jobs": self._sync("jobs", progress, batch, checkpoint, read),
            }
            self._refresh_forms()
            return counts

    def refresh_skill_forms(self, *, wait: bool = True) -> bool:
        """Leave the stored skill forms current (a sync does it too); whether it did.

        ``wait=False`` (``tandem db upgrade``): not while another holds the index lock. That
        is a sync, which leaves them current at its end; a deploy step waited behind it.
        """
        with self._index_lock(wait=wait) as held:
            if held:
                self._refresh_forms()
            return held

    def _refresh_forms(self) -> None:
        """Work the stored skill forms out again when they were stored under other rules.

        The forms are keyed by the taxonomy and the normaliser's code (:mod:`tandem.skills.memo`),
        and a sync stores them only when it learned a name, so after an upgrade that changed
        the rules nothing rewrote them: every serving process searched typos for each typed
        name it met (a served match's p95 at 10k: 67 -> 90 ms). So a sync that finds them stale
        normalises every distinct typed skill in the store (one unvalidated pass over the
        records' skills) and stores the result under the current fingerprint.
        """
        if self._forms_memo.is_current(self._stamp_of_forms()):
            return
        typed: set[str] = set()
        for repo in (self.store.freelancers, self.store.jobs):
            for skills in repo.iter_field("skills"):
                if isinstance(skills, list):
                    typed.update(s for s in skills if isinstance(s, str))
        self.normaliser.normalise(sorted(typed))
        self._store_forms(always=True)

    def _sync(
        self,
        kind: Literal["talent", "jobs"],
        progress: Progress | None,
        batch: int,
        checkpoint: float = CHECKPOINT_SECONDS,
        read: DocumentReader | None = None,
    ) -> int:
        if kind == "talent":
            return self._sync_records(
                kind,
                self.store.freelancers,
                self._freelancer_doc,
                progress,
                batch,
                checkpoint,
                read,
            )
        return self._sync_records(
            kind, self.store.jobs, self._job_doc, progress, batch, checkpoint, read
        )

    def _sync_records(
        self,
        kind: Literal["talent", "jobs"],
        repo: Repository[R],
        build: Callable[[R, str], Document],
        progress: Progress | None,
        batch: int,
        checkpoint: float,
        read: DocumentReader | None = None,
    ) -> int:
        vectors_of = read or self._read_documents
        coll = self.collection(kind)
        step = max(batch, self.executor.chunk)
        # One pass over the store's hashes both decides whether anything changed and counts
        # it (the progress bar's total, the columns' size); the work is the second pass.
        total, gone = _count_changed(repo, coll, step), _gone(repo, coll, step)
        stale = self._mentions_stale(kind, coll)
        if not coll.journal_lines and not total and not gone and not stale:
            return 0  # nothing to build: the published snapshot stays
        fresh = self._build(kind)
        if not fresh.holds_same_records(
            coll
        ):  # a resumed build has done part of it: count against it
            total, gone = _count_changed(repo, fresh, step), _gone(repo, fresh, step)
        fresh.delete(gone)
        if self._mentions_stale(kind, fresh):
            self._name_mentions_again(fresh, step, checkpoint, progress)
        fresh.reserve(len(fresh.ids) + total)  # one allocation for the columns, not one per growth
        done = 0
        if progress and total:  # the step starts before its first batch's work, not after it
            # (one batch of 8,192 on Ray is the whole of a small market: its start-up and
            # embedding were reported as the time of the step before, "import events")
            progress(f"index {kind}", 0, total)
        for changed in _batches(repo, fresh, step):
            hashes = dict(changed)
            records = repo.get_many(hashes)
            docs = [build(records[i], h) for i, h in hashes.items() if i in records]
            fresh.upsert(docs, vectors=vectors_of(kind, docs))
            fresh.checkpoint(checkpoint)  # in the unpublished snapshot: readers never see it
            done += len(changed)
            if progress:
                progress(f"index {kind}", len(changed), max(total, done))
        if kind == "talent":  # every profile's mentions are this reader's now
            fresh.mentions_reader = self._stamp_of_mentions()
        self._publish(kind, fresh)
        self._store_forms()
        return done + len(gone)

    def _mentions_stale(self, kind: str, coll: Collection) -> bool:
        """Whether ``coll`` holds profiles whose mentions another reader named."""
        return (
            kind == "talent"
            and coll.mentions_reader != self._stamp_of_mentions()
            and coll.count() > 0
        )

    def _name_mentions_again(
        self, coll: Collection, step: int, checkpoint: float, progress: Progress | None
    ) -> None:
        """Name the skills in every indexed profile's text again, keeping its vector.

        Mentions are evidence (the explanations quote them), read when a profile is indexed,
        and a sync re-indexes only records whose content changed: after the reader changed
        (an imported taxonomy, a release's extractor) the index kept what the old one found,
        true but missing what the new one finds. The manifest records which reader read them
        (:func:`tandem.skills.extract.fingerprint`); when it is another, every profile is read
        from the store and named again: a pass over the text, no encoder. The skills it
        describes in other words were found in the encoder pass that embedded it, and would
        cost that pass again: they are kept (:func:`with_named_again`), save those the
        reader's name rule (:func:`tandem.skills.reader.leans_on_a_name`, no encoder) now
        drops: a described skill owed only to a word of names the text writes out.
        """
        total = coll.count()
        for ids in coll.id_pages(step):  # a page of id strings at a time, not all of them
            people = self.store.freelancers.get_many(ids)
            for person_id, person in people.items():
                named = profile_mentions(person, self._mentions)
                skills = self.normaliser.normalise(person.skills)
                stored = self._described_still(person, skills, coll.mentions_of(person_id))
                coll.set_mentions(person_id, with_named_again(stored, named, skills))
            coll.checkpoint(checkpoint)  # under the old reader's name: a resume reads again
            if progress:
                progress("read mentions talent", len(people), total)

    def _described_still(
        self, person: Freelancer, skills: list[str], stored: dict[str, str]
    ) -> dict[str, str]:
        """``stored`` less the described mentions that lean only on a name the text writes."""
        read: tuple[str, list[FoundSkill]] | None = None
        kept: dict[str, str] = {}
        for name, where in stored.items():
            span = described_span(where)
            if span is not None:
                if read is None:  # the text the reader read, and the names it writes out
                    text = profile_embed_text(person, skills)
                    read = (text, named_in(self.extractor, text))
                if leans_on_a_name(name, span, *read):
                    continue
            kept[name] = where
        return kept

    def _read_documents(self, kind: str, docs: list[Document]) -> Vectors | None:
        """Embed documents through the executor (profiles are also read: see understanding)."""
        if not docs:
            return None
        work = Work(
            here=lambda texts: Batch(self.encoder.encode(texts)),
            recipe=Embed(self.settings.encoder, self.settings.cache_dir),
        )
        return self.executor.run(work, [d.embed_text for d in docs]).vectors

    @contextmanager
    def executing(self, name: str, address: str | None = None) -> Iterator[None]:
        """Run index syncs inside the block on the executor ``name`` (``local``, ``ray``).

        ``address``: a Ray cluster's; without it ``ray`` starts a local Ray, stopped on exit.
        """
        executor = create_executor(name, address)
        before, self.executor = self.executor, executor
        try:
            yield
        finally:
            self.executor = before
            executor.close()

    def _freelancer_doc(self, record: Freelancer, content_hash: str) -> Document:
        return freelancer_document(record, content_hash, self.normaliser.normalise, self._mentions)

    def _job_doc(self, record: Job, content_hash: str) -> Document:
        return job_document(record, content_hash, self.normaliser.normalise)

    # records ------------------------------------------------------------------------------
    def save_freelancer(self, freelancer: Freelancer) -> Freelancer:
        """Create or replace a freelancer and index it (consent kept unless it says so)."""
        stored = self.store.freelancers.get_many([freelancer.id]).get(freelancer.id)
        freelancer = keep_stored_consent(freelancer, stored)
        self.store.freelancers.save(freelancer)
        self._index_one("talent", self.store.freelancers, freelancer.id, self._freelancer_doc)
        return freelancer

    def save_job(self, job: Job) -> Job:
        """Create or replace a job and index it."""
        if job.client_id and not self.store.clients.exists([job.client_id]):
            raise ValidationError(f"client_id {job.client_id!r} is not in the store")
        self.store.jobs.save(job)
        self._index_one("jobs", self.store.jobs, job.id, self._job_doc)
        return job

    def _index_one(
        self,
        kind: Literal["talent", "jobs"],
        repo: Repository[R],
        record_id: str,
        build: Callable[[R, str], Document],
    ) -> None:
        """Index one stored record as it is in the store now: O(1), whatever the store's size.

        It reads that record's row and hash only, and journals it in the collection instead of
        rewriting the collection (see :mod:`tandem.search.journal`); a full ``sync_indexes``
        afterwards finds it in sync. Other drift (records another process stored without
        indexing them) is left to ``tandem index``, as before it was left to the next write.
        """
        with self._index_lock():
            coll = self.collection(kind)  # caught up with other processes' writes, under the lock
            content_hash = repo.hashes_of([record_id]).get(record_id)
            record = repo.get_many([record_id]).get(record_id)
            if content_hash is None or record is None or coll.hash_of(record_id) == content_hash:
                return  # gone again, or unchanged: the index already holds it
            doc = build(record, content_hash)
            if coll.record([doc], vectors=self._read_documents(kind, [doc])):
                # the journal is due: fold it into a new snapshot (O(N) once per N/16 writes)
                self._publish(kind, self._build(kind, resume=False))
            self._store_forms()

    # taxonomy -----------------------------------------------------------------------------
    def import_taxonomy(self, source: str, directory: Path) -> tuple[int, int]:
        """Extend the taxonomy from an official download; returns (read, new) skill counts."""
        if source not in IMPORTERS:
            raise ValidationError(f"unknown taxonomy source {source!r}; known: {sorted(IMPORTERS)}")
        skills = IMPORTERS[source](directory, None)
        before = len(self.taxonomy)  # loaded now if not yet: before the new file is there
        folder = self.settings.taxonomy_dir
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f"{source}.jsonl.tmp"
        with tmp.open("w", encoding="utf-8") as handle:
            for skill in skills:
                handle.write(json.dumps(skill.to_dict(), ensure_ascii=False) + "\n")
        tmp.replace(folder / f"{source}.jsonl")
        self.taxonomy = self._load_taxonomy()
        self._matcher = None
        return len(skills), len(self.taxonomy) - before

    def stats(self) -> dict[str, Any]:
        """The store's row counts and each search index's, for operators (``tandem stats``).

        Counts only, never a record: what a capacity plan or a check after an import needs.
        ``in_sync`` compares a collection's live documents with the store's records (an
        interrupted sync, or records saved by a process that could not index them).
        """
        store = self.store
        db = store.db
        tables = ("freelancers", "clients", "jobs", "proposals", "events", "decisions", "users")
        counts = {t: int(db.scalar(f"SELECT COUNT(*) FROM {t}") or 0) for t in tables}
        counts["jobs_open"] = int(
            db.scalar("SELECT COUNT(*) FROM jobs WHERE status = ?", ["open"]) or 0
        )
        size = (
            "LENGTH(payload)" if db.dialect == "sqlite" else "OCTET_LENGTH(CAST(payload AS TEXT))"
        )
        log_bytes = int(db.scalar(f"SELECT COALESCE(SUM({size}), 0) FROM decisions") or 0)
        indexes: dict[str, dict[str, Any]] = {}
        for kind, records in (("talent", counts["freelancers"]), ("jobs", counts["jobs"])):
            coll = self.collection(kind)  # type: ignore[arg-type]
            folder = coll.directory
            indexes[kind] = {
                "documents": coll.count(),
                "labels": len(coll.ids),
                "lexical": coll.lexical.count(),
                "vectors": coll.vector.count(),
                "bytes": sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()),
                "in_sync": coll.count() == records,
            }
        return {
            "database": db.dialect,
            "encoder": self.settings.encoder,
            "store": counts | {"decision_log_payload_bytes": log_bytes},
            "indexes": indexes,
        }

    def liveness(self) -> dict[str, object]:
        """The service is up: all a load balancer (or anyone without a token) is told.

        Up means the store answers a trivial query: a replica whose database is down or
        unreachable raises :class:`~tandem.errors.StoreBusyError` (a 503), so a load balancer
        stops sending it requests it could only fail, and sends them again once it answers.
        """
        self.store.ping()
        return {"status": "ok"}

    def health(self) -> dict[str, object]:
        """What is loaded and how much of it (operators': see ``UserView.service_health``)."""
        return {
            **self.liveness(),  # the same truth as anyone's: a store that cannot answer is a 503
            "freelancers": self.store.freelancers.count(),
            "jobs": self.store.jobs.count(),
            "taxonomy_skills": len(self.taxonomy),
            "database": self.store.db.dialect,
            "encoder": self.settings.encoder,
            "ranker": self.ranker_for("applicants").version,
            "ranker_note": self.ranker_note("applicants"),
            "rankers": {task: self.ranker_for(task).version for task in TASKS},
        }


def _gone(repo: Repository[R], coll: Collection, page: int) -> list[str]:
    """Ids the collection holds that the store no longer does, checked a page at a time."""
    gone: list[str] = []
    for chunk in coll.id_pages(page):  # a page of ids decoded at a time, never all of them
        found = repo.exists(chunk)
        gone.extend(i for i in chunk if i not in found)
    return gone


def _count_changed(repo: Repository[R], coll: Collection, page: int) -> int:
    """How many of the store's records the collection lacks or holds another version of."""
    return sum(len(coll.changed(rows)) for rows in repo.iter_hashes(page))


def _batches(repo: Repository[R], coll: Collection, size: int) -> Iterator[list[tuple[str, str]]]:
    """The store's changed records as ``(id, hash)``, in batches of ``size``, in id order.

    The store's hashes stream in pages of ``size``; at most two pages' worth is held.
    """
    pending: list[tuple[str, str]] = []
    for rows in repo.iter_hashes(size):
        pending.extend(coll.changed(rows))
        while len(pending) >= size:
            yield pending[:size]
            pending = pending[size:]
    if pending:
        yield pending
