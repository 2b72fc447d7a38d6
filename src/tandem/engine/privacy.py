"""Erasure and retention: removing a person, or what is too old, from everything Tandem keeps.

An erasure (GDPR Art. 17) goes through every place a person's data lives, in this order:

1. the store's rows (profile, proposals, events, their own companion sessions, users and
   their tokens), deleted in one transaction; in the same transaction, sessions of others
   that name them (a client's comparison, a hire of someone else) are kept, with the
   person replaced by a tombstone in words (:mod:`tandem.store.redacting`);
2. the engine's caches, and the search index, rebuilt without them (tantivy keeps deleted
   documents in its segments until a merge, and tantivy-py offers no merge call; hnswlib's
   ``mark_deleted`` keeps the vector and label): unchanged records keep their vectors;
3. the decision log, where the person's ids become tombstones and their key is destroyed,
   and so do the words of every search that quoted their name, id, email or phone
   (:meth:`DecisionLog.erase_people`): the chain still verifies;
4. files under ``TANDEM_HOME`` with their data (a kept bundle loses their lines, by id
   fields, and no one else's; another file quoting them goes: :mod:`~tandem.engine.homefiles`);
5. last, the database files: compacted so no deleted row survives in a free page or the
   write-ahead log (if another process holds the store, everything else is already done).

Which model versions were trained on the person is recorded before the links go, in an
anonymous ``erasures`` row; ``tandem learn`` then retrains without them.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from tandem.domain.results import Task
from tandem.engine import homefiles
from tandem.engine.auditing import AuditingLayer
from tandem.engine.records import RecordCache
from tandem.engine.types import OUTCOME_EVENTS, Progress
from tandem.errors import ConflictError, StoreBusyError
from tandem.search import Collection, Document, snapshots
from tandem.skills import Normaliser
from tandem.store import retention
from tandem.store.privacy import PersonKind, Subject

#: Top-level folders of TANDEM_HOME that hold no personal data (model trees, skills).
_NO_PEOPLE = ("models", "taxonomy", "cache")
#: Tables an erasure or a purge deletes from (what PostgreSQL vacuums afterwards).
_TABLES = (
    "freelancers", "clients", "jobs", "proposals", "events", "decisions", "log_keys", "messages",
    "conversations", "users", "api_tokens", "web_sessions", "model_data", "imports",
)  # fmt: skip


@dataclass
class ErasurePlan:
    """What an erasure of one person would remove (what ``tandem erase`` shows first)."""

    kind: PersonKind
    id: str
    jobs: int
    users: int
    sessions: int
    log_entries: int
    models: list[str]
    #: Others' sessions that name them: kept, with them redacted (``sessions`` are theirs).
    sessions_redacted: int = 0


@dataclass
class ErasureReport:
    """What an erasure removed."""

    kind: PersonKind
    id: str
    rows: dict[str, int]
    log_entries: int
    models: list[str]
    files: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)


class PrivacyLayer(AuditingLayer):
    """Erase a person, purge by age, and say which models used erased data."""

    def erasure_plan(self, kind: PersonKind, person_id: str) -> ErasurePlan:
        """What erasing ``kind``/``person_id`` would remove (nothing is changed)."""
        subject = self.store.privacy.subject(kind, person_id)
        log = self.store.decisions
        mentions = log.entries_mentioning(subject.log_keys, subject.log_needles, subject.name_parts)
        logged = sum(1 for _ in mentions)
        own, others = self.store.privacy.split_conversations(subject)
        return ErasurePlan(
            kind,
            person_id,
            len(subject.job_ids),
            len(subject.user_ids),
            len(own),
            logged,
            self.store.privacy.models_of(subject.model_names),
            len(others),
        )

    def erase(
        self, kind: PersonKind, person_id: str, progress: Progress | None = None
    ) -> ErasureReport:
        """Remove the person and everything derived from them (see the module docstring)."""
        privacy = self.store.privacy
        subject = privacy.subject(kind, person_id)
        models = privacy.models_of(subject.model_names)
        sessions, others = privacy.split_conversations(subject)
        step = progress or (lambda name, n, total: None)
        outcomes = privacy.events_of(subject, OUTCOME_EVENTS)
        self._erasures.bump()  # other processes stop serving records they kept, before and
        rows = privacy.delete_rows(subject, sessions, others)
        self._discount_outcomes(outcomes)
        step("erase", 1, 5)
        self._forget_caches()
        # The stored skill forms hold words people typed: start afresh; the rebuilt index
        # stores them again for the people who remain.
        self.normaliser = Normaliser(self.taxonomy)
        self._forms_path.unlink(missing_ok=True)
        self.rebuild_index("talent" if kind == "freelancer" else "jobs", progress)
        self._erasures.bump()  # ... after the rebuilt index is published
        # The log after the index: a ranking served meanwhile from the old index, naming them
        # again, is then tombstoned too.
        entries = self.store.decisions.erase_people(
            subject.log_keys, subject.log_needles, subject.name_parts
        )
        self.store.imports.forget(subject.log_needles)  # skipped lines that named them
        step("erase", 1, 5)
        files = self._scrub_files(subject)
        step("erase", 1, 5)
        privacy.record_erasure(kind, rows, models)
        if models:
            self._flag_retrain()
        step("erase", 1, 5)
        self.compact_store()  # last: if the store is busy, everything else is done already
        step("erase", 1, 5)
        return ErasureReport(kind, person_id, rows, entries, models, files)

    def compact_store(self, *, rewrite: bool = True) -> None:
        """Make deleted rows physically gone from the database files (see ``PrivacyStore``).

        ``rewrite``: also rewrite the SQLite file (``VACUUM``), which frees the space too.
        """
        try:
            self.store.privacy.scrub(_TABLES, rewrite=rewrite)
        except StoreBusyError as exc:
            raise StoreBusyError(
                "the rows are deleted, but the database could not be compacted while another "
                "process held it, so old copies may remain in its free pages or write-ahead "
                f"log: run 'tandem purge --compact' when it is idle ({exc})"
            ) from exc

    def _forget_caches(self) -> None:
        self._cache = {"talent": RecordCache(), "jobs": RecordCache()}
        self._history = None
        self._matcher = None
        self._zones = None
        self._fair_offsets = {}
        self._fair_tallies = {}
        self._counted.clear()  # counted over people who are gone
        self._cards_counted.clear()

    def _discount_outcomes(self, removed: int) -> None:
        """Lower ``tandem learn``'s count of outcomes seen by the ones an erasure removed.

        It compares the outcomes in the store with those counted at its last run: left as it
        was, an erasure of someone with 14 hires and reviews read as -14 new outcomes, and up
        to 14 genuinely new ones then started no run. Some of the removed ones may have come
        after that run: the count then errs toward one run more, never one less.
        """
        path = self.settings.home / "learn_state.json"
        if removed <= 0 or not path.exists():
            return
        state = json.loads(path.read_text())
        state["outcomes"] = max(0, int(state.get("outcomes", 0)) - removed)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state))
        tmp.replace(path)

    def _flag_retrain(self) -> None:
        """Make the next ``tandem learn`` retrain, whatever the count of new outcomes."""
        path = self.settings.home / "learn_state.json"
        state = json.loads(path.read_text()) if path.exists() else {}
        state["retrain_after_erasure"] = True
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state))
        tmp.replace(path)

    def rebuild_index(
        self, kind: Literal["talent", "jobs"], progress: Progress | None = None, batch: int = 256
    ) -> int:
        """Build a collection afresh from the store and swap it in; returns its size.

        Unchanged records keep their vectors and mentions (nothing is re-embedded). It is
        published as a new snapshot, and every older one, with every deleted document still
        in its files, is removed at once: a replica still on one reloads at its next request.
        """
        repo = self.store.freelancers if kind == "talent" else self.store.jobs
        with self._index_lock():
            old = self.collection(kind)
            root = self.settings.index_dir / kind
            left = snapshots.unpublished(root)
            if left is not None:  # a sync's leftover build still holds the erased text
                shutil.rmtree(left, ignore_errors=True)
            fresh = self._open_collection(snapshots.next_version(root))
            hashes = repo.hashes()
            ids = sorted(hashes)
            for start in range(0, len(ids), batch):
                docs = self._documents(kind, ids[start : start + batch], hashes)
                if not docs:
                    continue
                kept = [old.reusable(d.id, d.content_hash) for d in docs]
                if all(k is not None for k in kept):
                    for doc, k in zip(docs, kept, strict=True):
                        assert k is not None
                        doc.mentions.clear()
                        doc.mentions.update(k[1])
                    fresh.upsert(docs, vectors=Collection.stack([k[0] for k in kept if k]))
                else:
                    fresh.upsert(docs, vectors=self._read_documents(kind, docs))
                fresh.checkpoint()  # seals a full vector shard: one shard in memory at a time
                if progress:
                    progress(f"rebuild {kind}", len(docs), len(ids))
            # mentions copied from it were read by its reader: a sync reads them again if stale
            fresh.mentions_reader = old.mentions_reader
            del old
            # no grace period: every older snapshot holds the erased text, and erasure is final
            self._publish(kind, fresh, grace=0.0)
            self._store_forms()
            return fresh.count()

    def _documents(
        self, kind: Literal["talent", "jobs"], ids: list[str], hashes: dict[str, str]
    ) -> list[Document]:
        """Index documents of stored records (not embedded)."""
        if kind == "talent":
            people = self.store.freelancers.get_many(ids)
            return [self._freelancer_doc(r, hashes[i]) for i, r in people.items()]
        jobs = self.store.jobs.get_many(ids)
        return [self._job_doc(r, hashes[i]) for i, r in jobs.items()]

    def _scrub_files(self, subject: Subject) -> list[str]:
        """Files under TANDEM_HOME (outside the store and indexes) with the person's data.

        Exactly their records: a bundle loses their lines by its id fields, no one else's
        (:mod:`tandem.engine.homefiles`). Returns the paths touched, relative to the home.
        """
        home = self.settings.home
        skip = {home / name for name in ("index", *_NO_PEOPLE)}
        db = self.store.db.path
        files = [
            path
            for path in sorted(home.rglob("*"))
            if path.is_file()
            and not any(p in skip for p in path.parents)
            and not (db is not None and path.name.startswith(db.name) and path.parent == db.parent)
        ]
        who = homefiles.erased(subject, files)
        # The id itself too: ``needles`` keep only 3+ characters (a trace search's), and a
        # file may quote a short id ("f1") alone (an exported events.jsonl, a note).
        words = (subject.id, *subject.needles, *subject.name.split(), *who.job_ids)
        needles = [n.encode("utf-8") for n in words if n]
        return [
            str(path.relative_to(home))
            for path in files
            if homefiles.mentions(path, needles) and homefiles.clean(path, who)
        ]

    def export_person(self, kind: PersonKind, person_id: str) -> dict[str, Any]:
        """Everything stored about one person, as one JSON-ready document (Art. 15)."""
        from tandem.engine.subject import export_subject

        return export_subject(self.store, kind, person_id)

    # retention ----------------------------------------------------------------------------
    def purge(self, now: datetime | None = None, *, compact: bool = False) -> dict[str, int]:
        """Delete what is older than the retention settings keep; returns counts per kind.

        What goes is physically gone from the database's files, without rewriting them: on
        SQLite the deletes zero what they free (``secure_delete``) and the write-ahead log is
        then checkpointed and truncated; PostgreSQL vacuums the tables (not ``FULL``). A full
        ``VACUUM`` of the SQLite file runs only with ``compact``: it is O(file) with writers
        locked out, and a log purged month by month reuses the pages a purge frees, so the
        file stays bounded without it. Measured with ``bench/bench_purge.py --entries 60000
        --months 12 --cycles 6`` (synthetic log, 2 cores): six months of appending a month
        (~5,000 entries) and purging the oldest, the file stayed at 110.7 MB with no rewrite
        against 100-102 MB with one (a month of free pages, reused by the next), the
        compaction took 0.02-0.05 s (once 0.27) against 0.71-1.06 s, and none of the ~200
        purged request ids sampled per month was readable in the file's bytes either way (all
        were before the purge). See docs/SCALING.md, "After a purge".
        """
        s = self.settings
        moment = now or datetime.now(UTC)
        self.store.privacy.zero_freed()  # the deletes below run on this thread's connection
        entries, keys = self.store.decisions.purge_before(
            moment - timedelta(days=s.retention_decisions_days)
        )
        db = self.store.db
        removed = {
            "decision_log_entries": entries,
            "decision_log_keys": keys,
            "events": retention.purge_other_events(
                db, moment - timedelta(days=s.retention_events_days)
            ),
            "impressions": retention.purge_impressions(
                db, moment - timedelta(days=s.retention_impressions_days)
            ),
            "conversations": retention.purge_conversations(
                db, moment - timedelta(days=s.retention_conversations_days)
            ),
            "expired_web_sessions": retention.purge_expired_sessions(db),
        }
        if any(removed.values()):
            self._forget_caches()
        if any(removed.values()) or compact:
            self.compact_store(rewrite=compact)
        return removed

    def promote_model(
        self,
        version: str,
        *,
        despite_erasure: bool = False,
        despite_gate: bool = False,
        by: str = "",
        reason: str = "",
    ) -> Task:
        """Serve ``version`` for its task; refused if it predates an erasure or failed its gate.

        A model trained on someone since erased still carries their influence: serving it
        again undoes the retraining the erasure asked for, so it takes a deliberate yes. A
        model that failed its promotion gate stays the operator's call, never a silent one
        (trial 16: a discovery model that failed its gate was promoted with exit 0 and no word,
        and put people covering 0 of 3 skills in the top 5): it takes ``despite_gate``. Each
        refusal is lifted only by its own yes.
        """
        self._check_erasure(version, despite_erasure)
        self._check_gate(version, despite_gate)
        return self.models.promote(version, by=by, reason=reason)

    def _check_gate(self, version: str, despite_gate: bool) -> None:
        info = self.models.get(version)
        if info.meta.get("gate_passed") is False and not despite_gate:
            if self.models.serving_version(info.task) == version:
                return  # already serving: promoting it again changes nothing
            raise ConflictError(
                f"model {version} did not pass its promotion gate: {info.meta.get('gate', '')}. "
                "Serving it anyway is an operator's decision: confirm with --force "
                "(web: tick 'serve it although it did not pass its gate') and say why"
            )

    def rollback_model(
        self, task: Task, *, despite_erasure: bool = False, by: str = "", reason: str = ""
    ) -> str | None:
        """Serve ``task``'s previous model again; refused if it predates an erasure, unless told."""
        target = self.models.rollback_target(task)
        if target is not None:
            self._check_erasure(target, despite_erasure)
        return self.models.rollback(task, by=by, reason=reason)

    def _check_erasure(self, version: str, despite_erasure: bool) -> None:
        self.models.get(version)  # NotFoundError first
        when = self.erased_models().get(version)
        if when is not None and not despite_erasure:
            raise ConflictError(
                f"model {version} predates an erasure: it was trained on the data of a person "
                f"erased on {when:%Y-%m-%d}, and serving it would bring their influence back. "
                "Retrain without them ('tandem train'), or confirm with --yes"
            )
