"""The one facade that wires Tandem's parts from settings.

CLI, API, web UI and library users all go through :class:`Engine`. It holds
no ranking or parsing logic of its own: it connects the store, the taxonomy,
the encoder, the search collections and the matcher, and turns their outputs
into the served result types.
"""

from __future__ import annotations

import fcntl
import json
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

from tandem.bundle.exporter import export_bundle
from tandem.bundle.importer import BundleImporter, ImportReport
from tandem.domain import (
    Decision,
    Event,
    Freelancer,
    Job,
    JobRanking,
    JobResult,
    MatchRanking,
    MatchResult,
    Reason,
    ServedItem,
)
from tandem.embed import Encoder, create_encoder
from tandem.errors import NotFoundError, ValidationError
from tandem.explain import money, reasons_for
from tandem.explain.search import search_reasons
from tandem.learn.evaluate import EvalContext, evaluate, evaluation_jobs
from tandem.learn.history import History
from tandem.learn.labels import graded_labels
from tandem.learn.runner import TrainingOutcome, load_training_data, train_run
from tandem.rank import Ranker, create_ranker
from tandem.rank.learned import LambdaMartConfig
from tandem.rank.matcher import Candidate, Matcher
from tandem.rank.models import ModelRegistry
from tandem.search import (
    AtLeast,
    AtMost,
    Collection,
    Document,
    Filter,
    HasSkills,
    TagIn,
    freelancer_document,
    hybrid_search,
    job_document,
)
from tandem.settings import Settings
from tandem.skills import Normaliser, PhraseExtractor, Skill, Taxonomy
from tandem.skills.importers import IMPORTERS
from tandem.store import Repository, Store, create_store_engine, migrate

Progress = Callable[[str, int, int], None]
#: Records kept decoded in memory per kind (a profile is a few kB).
CACHE_LIMIT = 100_000
CandidateSource = Literal["all", "proposals"]
DecisionKind = Literal["match", "recommend", "search_talent", "search_jobs"]
EventSurface = Literal["search", "match", "proposals", "companion"]
#: Candidate ids kept per logged decision (enough to replay a match).
MAX_LOGGED_CANDIDATES = 2000
OUTCOME_EVENTS = frozenset({"hire", "interview", "shortlist", "message", "invite", "review"})


@dataclass(frozen=True)
class Requester:
    """Who asked for a ranking, and through which surface."""

    actor: str = "anonymous"
    surface: Literal["cli", "api", "web", "companion", "batch"] = "api"


R = TypeVar("R", Freelancer, Job)


@dataclass
class TalentQuery:
    """A talent search: words plus structured filters."""

    text: str = ""
    skills: list[str] = field(default_factory=list)
    max_rate: float | None = None
    country: str | None = None
    min_job_success: float | None = None
    available: bool = False
    top: int = 10


@dataclass
class JobQuery:
    """A job search: words plus structured filters."""

    text: str = ""
    skills: list[str] = field(default_factory=list)
    min_budget: float | None = None
    budget_type: str | None = None
    category: str | None = None
    include_closed: bool = False
    top: int = 10


class Engine:
    """Tandem, wired from :class:`Settings`."""

    def __init__(self, settings: Settings | None = None, *, encoder: Encoder | None = None) -> None:
        self.settings = settings or Settings()
        self.settings.home.mkdir(parents=True, exist_ok=True)
        self.store = Store(create_store_engine(self.settings.resolved_database_url))
        migrate(self.store.engine)
        self.taxonomy = self._load_taxonomy()
        self.normaliser = Normaliser(self.taxonomy)
        self.extractor = PhraseExtractor(self.taxonomy)
        self._encoder = encoder
        self._collections: dict[str, tuple[Collection, float]] = {}
        self.heuristic: Ranker = create_ranker("heuristic")
        self.models = ModelRegistry(self.settings.home / "models")
        self._learned: Ranker | None = None
        self._history: History | None = None
        self._cache: dict[str, dict[str, tuple[str, object]]] = {"talent": {}, "jobs": {}}
        self._matcher: Matcher | None = None

    # wiring -------------------------------------------------------------------------------
    @property
    def encoder(self) -> Encoder:
        """The sentence encoder (created on first use; loading a model is not free)."""
        if self._encoder is None:
            self._encoder = create_encoder(self.settings.encoder)
        return self._encoder

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

    def collection(self, kind: Literal["talent", "jobs"]) -> Collection:
        """A search collection, reloaded when another process has re-synced it."""
        directory = self.settings.index_dir / kind
        manifest = directory / "manifest.json"
        stamp = manifest.stat().st_mtime if manifest.exists() else 0.0
        cached = self._collections.get(kind)
        if cached is None or cached[1] != stamp:
            coll = Collection(
                directory,
                self.encoder,
                lexical_backend=self.settings.lexical_backend,
                vector_backend=self.settings.vector_backend,
            )
            self._collections[kind] = (coll, stamp)
        return self._collections[kind][0]

    @property
    def ranker(self) -> Ranker:
        """The serving model from the registry, or the heuristic scorer when none is promoted."""
        version = self.models.serving_version()
        if version is None:
            return self.heuristic
        if self._learned is None or self._learned.version != version:
            self._learned = self.models.load(version)
        return self._learned

    @property
    def ranker_note(self) -> str:
        """What serves, in words (cold start says so)."""
        if self.ranker is self.heuristic:
            return "heuristic scorer (no trained model is serving yet)"
        return f"learned ranker {self.ranker.version}"

    @property
    def history(self) -> History:
        """Past hires and reviews per freelancer, from the store's events (cached)."""
        if self._history is None:
            self._history = History(self.store.events.iter_all())
        return self._history

    @property
    def matcher(self) -> Matcher:
        """The matcher over the current collections and ranker (rebuilt when they change)."""
        talent, jobs, ranker = self.collection("talent"), self.collection("jobs"), self.ranker
        current = self._matcher
        if (
            current is None
            or current.talent is not talent
            or current.jobs is not jobs
            or current.ranker is not ranker
        ):
            current = Matcher(
                taxonomy=self.taxonomy,
                normaliser=self.normaliser,
                extractor=self.extractor,
                talent=talent,
                jobs=jobs,
                ranker=ranker,
                client_timezone=self._client_timezone,
                history=self.history.as_of,
            )
            self._matcher = current
        return current

    def freelancers(self, ids: Iterable[str]) -> dict[str, Freelancer]:
        """Freelancers by id, served from a cache that the index's content hashes keep fresh."""
        return self._cached("talent", self.store.freelancers, ids)  # type: ignore[return-value]

    def jobs(self, ids: Iterable[str]) -> dict[str, Job]:
        """Jobs by id, served from a cache that the index's content hashes keep fresh."""
        return self._cached("jobs", self.store.jobs, ids)  # type: ignore[return-value]

    def _cached(self, kind: str, repo: Repository[Any], ids: Iterable[str]) -> dict[str, object]:
        hashes = self.collection(kind).hashes  # type: ignore[arg-type]
        cache = self._cache[kind]
        out: dict[str, object] = {}
        missing: list[str] = []
        for record_id in ids:
            hit = cache.get(record_id)
            if hit is not None and hit[0] == hashes.get(record_id):
                out[record_id] = hit[1]
            else:
                missing.append(record_id)
        if len(cache) > CACHE_LIMIT:
            cache.clear()
        for record_id, record in repo.get_many(missing).items():
            out[record_id] = record
            if record_id in hashes:
                cache[record_id] = (hashes[record_id], record)
        return out

    def _client_timezone(self, client_id: str | None) -> str | None:
        if not client_id:
            return None
        found = self.store.clients.get_many([client_id]).get(client_id)
        return found.timezone if found else None

    def _mentions(self, text: str) -> list[tuple[str, str]]:
        return [(m.name, m.span) for m in self.extractor.extract(text)]

    # bundles and indexes ------------------------------------------------------------------
    def import_bundle(
        self, directory: Path, *, strict: bool = False, progress: Progress | None = None
    ) -> ImportReport:
        """Import a bundle into the store, then bring the indexes up to date."""

        def on_batch(name: str, n: int) -> None:
            if progress:
                progress(f"import {name}", n, 0)

        report = BundleImporter(self.store).import_dir(directory, strict=strict, progress=on_batch)
        self._history = None
        self._matcher = None
        self.sync_indexes(progress)
        return report

    def export_bundle(self, directory: Path) -> dict[str, int]:
        """Write the store as a bundle."""
        return export_bundle(self.store, directory)

    @contextmanager
    def _index_lock(self) -> Iterator[None]:
        self.settings.index_dir.mkdir(parents=True, exist_ok=True)
        with (self.settings.index_dir / ".lock").open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def sync_indexes(self, progress: Progress | None = None, batch: int = 256) -> dict[str, int]:
        """Make both search collections mirror the store (only what changed is re-indexed)."""
        with self._index_lock():
            return {
                "talent": self._sync(
                    "talent", self.store.freelancers, self._freelancer_doc, progress, batch
                ),
                "jobs": self._sync("jobs", self.store.jobs, self._job_doc, progress, batch),
            }

    def _sync(
        self,
        kind: Literal["talent", "jobs"],
        repo: Repository[R],
        build: Callable[[R, str], Document],
        progress: Progress | None,
        batch: int,
    ) -> int:
        coll = self.collection(kind)
        hashes = repo.hashes()
        plan = coll.plan(hashes)
        coll.delete(plan.delete)
        for start in range(0, len(plan.upsert), batch):
            ids = plan.upsert[start : start + batch]
            records = repo.get_many(ids)
            coll.upsert([build(records[i], hashes[i]) for i in ids if i in records])
            if progress:
                progress(f"index {kind}", len(ids), len(plan.upsert))
        coll.save()
        self._collections[kind] = (coll, (coll.directory / "manifest.json").stat().st_mtime)
        return len(plan.upsert) + len(plan.delete)

    def _freelancer_doc(self, record: Freelancer, content_hash: str) -> Document:
        return freelancer_document(record, content_hash, self.normaliser.normalise, self._mentions)

    def _job_doc(self, record: Job, content_hash: str) -> Document:
        return job_document(record, content_hash, self.normaliser.normalise)

    # records ------------------------------------------------------------------------------
    def save_freelancer(self, freelancer: Freelancer) -> Freelancer:
        """Create or replace a freelancer and index it."""
        self.store.freelancers.save(freelancer)
        self.sync_indexes()
        return freelancer

    def save_job(self, job: Job) -> Job:
        """Create or replace a job and index it."""
        if job.client_id and not self.store.clients.exists([job.client_id]):
            raise ValidationError(f"client_id {job.client_id!r} is not in the store")
        self.store.jobs.save(job)
        self.sync_indexes()
        return job

    # taxonomy -----------------------------------------------------------------------------
    def import_taxonomy(self, source: str, directory: Path) -> tuple[int, int]:
        """Extend the taxonomy from an official download; returns (read, new) skill counts."""
        if source not in IMPORTERS:
            raise ValidationError(f"unknown taxonomy source {source!r}; known: {sorted(IMPORTERS)}")
        skills = IMPORTERS[source](directory, None)
        folder = self.settings.taxonomy_dir
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f"{source}.jsonl.tmp"
        with tmp.open("w", encoding="utf-8") as handle:
            for skill in skills:
                handle.write(json.dumps(skill.to_dict(), ensure_ascii=False) + "\n")
        tmp.replace(folder / f"{source}.jsonl")
        before = len(self.taxonomy)
        self.taxonomy = self._load_taxonomy()
        self.normaliser = Normaliser(self.taxonomy)
        self.extractor = PhraseExtractor(self.taxonomy)
        self._matcher = None
        return len(skills), len(self.taxonomy) - before

    # search -------------------------------------------------------------------------------
    def _canonical(self, skills: list[str]) -> list[str]:
        return [self.normaliser.canonical(s) or " ".join(s.split()) for s in skills]

    def search_talent(self, q: TalentQuery) -> list[MatchResult]:
        """Hybrid talent search with filters; every result says why it is there."""
        _check_top(q.top)
        filters: list[Filter] = []
        passed: list[str] = []
        if q.skills:
            names = self._canonical(q.skills)
            filters.append(HasSkills(tuple(names)))
            passed.append("has skill(s) " + ", ".join(names))
        if q.max_rate is not None:
            filters.append(AtMost("rate_usd", q.max_rate))
            passed.append(f"rate at most {money(q.max_rate)}/h")
        if q.country:
            filters.append(TagIn("country", (q.country.upper(),)))
            passed.append(f"based in {q.country.upper()}")
        if q.min_job_success is not None:
            filters.append(AtLeast("job_success", q.min_job_success))
            passed.append(f"job success at least {q.min_job_success:g}%")
        if q.available:
            filters.append(TagIn("available", ("yes",)))
            passed.append("available now")
        hits = hybrid_search(
            self.collection("talent"), q.text, filters, k=q.top, order_by="job_success"
        )
        people = self.freelancers(h.id for h in hits)
        return [
            _talent_result(people[h.id], h.score, search_reasons(h, q.text, passed))
            for h in hits
            if h.id in people
        ]

    def search_jobs(self, q: JobQuery) -> list[JobResult]:
        """Hybrid job search with filters (open jobs unless asked otherwise)."""
        _check_top(q.top)
        filters: list[Filter] = []
        passed: list[str] = []
        if not q.include_closed:
            filters.append(TagIn("status", ("open",)))
        if q.skills:
            names = self._canonical(q.skills)
            filters.append(HasSkills(tuple(names)))
            passed.append("asks for " + ", ".join(names))
        if q.min_budget is not None:
            filters.append(AtLeast("budget_max_usd", q.min_budget))
            passed.append(f"budget up to at least {money(q.min_budget)}")
        if q.budget_type:
            filters.append(TagIn("budget_type", (q.budget_type,)))
            passed.append(f"{q.budget_type} budget")
        if q.category:
            filters.append(TagIn("category", (q.category,)))
            passed.append(f"category {q.category}")
        hits = hybrid_search(self.collection("jobs"), q.text, filters, k=q.top, order_by="created")
        jobs = self.jobs(h.id for h in hits)
        return [
            JobResult(
                job_id=h.id,
                score=round(h.score, 6),
                title=jobs[h.id].title,
                category=jobs[h.id].category,
                reasons=search_reasons(h, q.text, passed),
            )
            for h in hits
            if h.id in jobs
        ]

    # matching -----------------------------------------------------------------------------
    def match(
        self, job_id: str, *, top: int | None = 10, candidates: CandidateSource = "all"
    ) -> list[MatchResult]:
        """Freelancers ranked for a job, each with reasons and evidence (``top=None``: all)."""
        return self._match(job_id, top, candidates)[0]

    def _match(
        self, job_id: str, top: int | None, candidates: CandidateSource
    ) -> tuple[list[MatchResult], list[str]]:
        if top is not None:
            _check_top(top)
        job = self.store.jobs.get(job_id)
        matcher = self.matcher
        view = matcher.view(job)
        proposals = {p.freelancer_id: p for p in self.store.proposals.where(job_id=job_id)}
        if candidates == "proposals":
            ids = list(proposals)
        elif candidates == "all":
            ids = list(dict.fromkeys([*matcher.talent_pool(view), *proposals]))
        else:
            raise ValidationError(f"candidates must be 'all' or 'proposals', not {candidates!r}")
        people = self.freelancers(ids)
        scored = matcher.score(view, [people[i] for i in ids if i in people], proposals)
        return [_match_result(c) for c in scored[:top]], ids

    def recommend(self, freelancer_id: str, *, top: int = 10) -> list[JobResult]:
        """Open jobs ranked for a freelancer, each with reasons."""
        _check_top(top)
        freelancer = self.store.freelancers.get(freelancer_id)
        matcher = self.matcher
        jobs = self.jobs(matcher.job_pool(freelancer))
        scored = matcher.recommend(freelancer, [j for j in jobs.values() if j.status == "open"])
        return [
            JobResult(
                job_id=c.job.id,
                score=round(c.scored.score, 6),
                title=c.job.title,
                category=c.job.category,
                reasons=reasons_for(c.features, c.scored),
            )
            for c in scored[:top]
        ]

    # serving (every ranking a person sees is logged) -------------------------------------
    def _log(
        self,
        kind: DecisionKind,
        subject: str,
        who: Requester,
        request: dict[str, object],
        candidates: list[str],
        items: Sequence[tuple[str, float, list[Reason]]],
    ) -> Decision:
        decision = Decision(
            request_id=uuid.uuid4().hex,
            ts=datetime.now(UTC),
            actor=who.actor,
            surface=who.surface,
            kind=kind,
            subject=subject,
            model_version=self.ranker.version,
            request=request,
            candidates=candidates[:MAX_LOGGED_CANDIDATES],
            results=[
                ServedItem(id=i, rank=n, score=s, reasons=r)
                for n, (i, s, r) in enumerate(items, start=1)
            ],
        )
        self.store.decisions.record(decision)
        return decision

    def serve_match(
        self,
        job_id: str,
        *,
        top: int | None = 10,
        candidates: CandidateSource = "all",
        who: Requester | None = None,
    ) -> MatchRanking:
        """:meth:`match`, written to the decision log."""
        results, considered = self._match(job_id, top, candidates)
        request: dict[str, object] = {"job_id": job_id, "top": top, "candidates": candidates}
        items = [(r.freelancer_id, r.score, r.reasons) for r in results]
        d = self._log("match", job_id, who or Requester(), request, considered, items)
        return MatchRanking(
            request_id=d.request_id,
            model_version=d.model_version,
            ranker=self.ranker_note,
            results=results,
        )

    def serve_recommend(
        self, freelancer_id: str, *, top: int = 10, who: Requester | None = None
    ) -> JobRanking:
        """:meth:`recommend`, written to the decision log."""
        results = self.recommend(freelancer_id, top=top)
        items = [(r.job_id, r.score, r.reasons) for r in results]
        d = self._log(
            "recommend",
            freelancer_id,
            who or Requester(),
            {"freelancer_id": freelancer_id, "top": top},
            [i for i, _, _ in items],
            items,
        )
        return JobRanking(
            request_id=d.request_id,
            model_version=d.model_version,
            ranker=self.ranker_note,
            results=results,
        )

    def serve_search_talent(self, q: TalentQuery, who: Requester | None = None) -> MatchRanking:
        """:meth:`search_talent`, written to the decision log."""
        results = self.search_talent(q)
        items = [(r.freelancer_id, r.score, r.reasons) for r in results]
        d = self._log(
            "search_talent", q.text, who or Requester(), asdict(q), [i for i, _, _ in items], items
        )
        return MatchRanking(
            request_id=d.request_id,
            model_version=d.model_version,
            ranker="hybrid search (BM25 + embeddings)",
            results=results,
        )

    def serve_search_jobs(self, q: JobQuery, who: Requester | None = None) -> JobRanking:
        """:meth:`search_jobs`, written to the decision log."""
        results = self.search_jobs(q)
        items = [(r.job_id, r.score, r.reasons) for r in results]
        d = self._log(
            "search_jobs", q.text, who or Requester(), asdict(q), [i for i, _, _ in items], items
        )
        return JobRanking(
            request_id=d.request_id,
            model_version=d.model_version,
            ranker="hybrid search (BM25 + embeddings)",
            results=results,
        )

    def record_event(self, event: Event) -> Event:
        """Store an impression, click or outcome event (validated, idempotent by id)."""
        if event.request_id:
            self.store.decisions.get(event.request_id)  # must tie to a served ranking
        self.store.events.save(event)
        if event.type in ("hire", "review"):
            self._history = None
            self._matcher = None
        return event

    def record_impressions(
        self, ranking: MatchRanking, job_id: str, surface: EventSurface = "match"
    ) -> None:
        """One impression event per shown result, with its position and the request id."""
        now = datetime.now(UTC)
        events = [
            Event(
                id=f"imp-{ranking.request_id}-{n}",
                ts=now,
                type="impression",
                job_id=job_id,
                freelancer_id=r.freelancer_id,
                actor="system",
                surface=surface,
                position=n,
                request_id=ranking.request_id,
            )
            for n, r in enumerate(ranking.results, start=1)
        ]
        with self.store.session() as session, session.begin():
            self.store.events.upsert(session, events)

    def why(self, request_id: str, freelancer_id: str) -> dict[str, Any]:
        """Replay a logged decision for one freelancer, and what today's model would do."""
        decision = self.store.decisions.get(request_id)
        served = next((r for r in decision.results if r.id == freelancer_id), None)
        if served is None:
            raise NotFoundError(
                f"{freelancer_id!r} was not among the {len(decision.results)} results "
                f"of request {request_id!r}"
            )
        out: dict[str, Any] = {
            "request_id": request_id,
            "ts": decision.ts.isoformat(),
            "kind": decision.kind,
            "subject": decision.subject,
            "logged": {
                "rank": served.rank,
                "score": served.score,
                "model_version": decision.model_version,
                "reasons": [r.model_dump() for r in served.reasons],
            },
        }
        if decision.kind == "match":
            mode = str(decision.request.get("candidates", "all"))
            today = self.match(
                decision.subject, top=None, candidates="proposals" if mode == "proposals" else "all"
            )
            ids = [r.freelancer_id for r in today]
            now = next((r for r in today if r.freelancer_id == freelancer_id), None)
            out["today"] = {
                "model_version": self.ranker.version,
                "rank": ids.index(freelancer_id) + 1 if now else None,
                "score": now.score if now else None,
            }
            out["changed"] = (
                now is None
                or ids.index(freelancer_id) + 1 != served.rank
                or self.ranker.version != decision.model_version
            )
        return out

    # learning -----------------------------------------------------------------------------
    def train(
        self,
        *,
        cutoff: datetime | None = None,
        config: LambdaMartConfig | None = None,
        auto_promote: bool = True,
    ) -> TrainingOutcome:
        """Train a LambdaMART ranker on outcomes (before ``cutoff``), gate it, maybe promote it."""
        rivals: dict[str, Ranker] = {"heuristic": self.heuristic}
        serving = self.ranker
        if serving is not self.heuristic:
            rivals["serving"] = serving
        matcher = self.matcher
        outcome = train_run(
            self.store,
            matcher,
            self.models,
            rivals,
            cutoff=cutoff,
            config=config,
            auto_promote=auto_promote,
        )
        self._matcher = None
        return outcome

    def rank_jobs(
        self,
        job_ids: Iterable[str],
        *,
        candidates: CandidateSource = "proposals",
        top: int | None = 100,
    ) -> Iterator[tuple[str, list[MatchResult]]]:
        """Rankings for many jobs, one at a time (for batch output; ``top=None``: all)."""
        for job_id in job_ids:
            yield job_id, self.match(job_id, top=top, candidates=candidates)

    def learn(self, *, min_new_outcomes: int = 1) -> dict[str, Any]:
        """Run the feedback loop once: new outcome events -> retrain -> gate -> promote or keep.

        Safe from cron: a second run while one is in progress returns at once, and a run
        with no new outcomes since the last one does nothing.
        """
        state_path = self.settings.home / "learn_state.json"
        with (self.settings.home / "learn.lock").open("w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return {"status": "busy", "detail": "another learn run is in progress"}
            state = json.loads(state_path.read_text()) if state_path.exists() else {}
            outcomes = sum(1 for e in self.store.events.iter_all() if e.type in OUTCOME_EVENTS)
            new = outcomes - int(state.get("outcomes", 0))
            if new < min_new_outcomes:
                return {"status": "unchanged", "new_outcomes": new, "serving": self.ranker_note}
            try:
                result = self.train(auto_promote=True)
            except ValidationError as exc:
                return {"status": "not_trained", "detail": str(exc), "serving": self.ranker_note}
            state = {
                "outcomes": outcomes,
                "last_run": datetime.now(UTC).isoformat(),
                "last_model": result.model.version,
            }
            tmp = state_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(state))
            tmp.replace(state_path)
            return {
                "status": "promoted" if result.model.status == "serving" else "kept",
                "new_outcomes": new,
                "model": result.model.version,
                "gate": result.decision.reason,
                "serving": self.ranker_note,
            }

    def evaluate_ranking(
        self, bundle: Path, cutoff: datetime, progress: Progress | None = None
    ) -> dict[str, Any]:
        """Import ``bundle`` into a scratch home, train before ``cutoff``, evaluate after it."""
        with tempfile.TemporaryDirectory(prefix="tandem-eval-") as tmp:
            settings = self.settings.model_copy(update={"home": Path(tmp), "database_url": None})
            sandbox = Engine(settings, encoder=self.encoder)
            try:
                sandbox.import_bundle(bundle, progress=progress)
                outcome = sandbox.train(cutoff=cutoff, auto_promote=False)
                learned = sandbox.models.load(outcome.model.version)
                data = load_training_data(sandbox.store)
                proposals = [p for by_f in data.proposals.values() for p in by_f.values()]
                labels = graded_labels(sandbox.store.events.iter_all(), proposals)
                ctx = EvalContext(
                    sandbox.matcher, data.freelancers, data.proposals, sandbox.heuristic, learned
                )
                jobs = evaluation_jobs(data.jobs, cutoff)

                def step(n: int) -> None:
                    if progress:
                        progress("evaluate", n, len(jobs))

                table, evaluated = evaluate(ctx, jobs, labels, step)
            finally:
                sandbox.store.engine.dispose()
        return {
            "cutoff": cutoff.isoformat(),
            "jobs_evaluated": evaluated,
            "training_groups": outcome.groups,
            "model": outcome.model.version,
            "metrics": table,
        }

    def health(self) -> dict[str, object]:
        """What is loaded and how much of it."""
        return {
            "status": "ok",
            "freelancers": self.store.freelancers.count(),
            "jobs": self.store.jobs.count(),
            "taxonomy_skills": len(self.taxonomy),
            "database": self.store.engine.dialect.name,
            "encoder": self.settings.encoder,
            "ranker": self.ranker.version,
            "ranker_note": self.ranker_note,
        }


def _check_top(top: int) -> None:
    if not 1 <= top <= 1000:
        raise ValidationError(f"top must be between 1 and 1000, got {top}")


def _talent_result(f: Freelancer, score: float, reasons: list[Reason]) -> MatchResult:
    return MatchResult(
        freelancer_id=f.id,
        score=round(score, 6),
        name=f.name,
        title=f.title,
        hourly_rate=f.hourly_rate,
        currency=f.currency,
        country=f.country,
        reasons=reasons,
    )


def _match_result(c: Candidate) -> MatchResult:
    return _talent_result(c.freelancer, c.scored.score, reasons_for(c.features, c.scored))
