"""The engine acting for one identity: every call checked against ``tandem.access.rules``.

``engine.as_user(identity, surface)`` returns a :class:`UserView`. Faces (API, web, CLI,
companion) call it instead of the engine's raw methods or its store, so a rule written
once in the access table holds for all of them, and the identity's user id is the actor
of every decision-log entry and event it causes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from tandem.access import Action, Identity, decide, profile_for
from tandem.access.projections import decision_for, replay_for, served_list
from tandem.access.rules import who_may
from tandem.domain import Decision, Event, Freelancer, Job, JobRanking, MatchRanking, Proposal
from tandem.domain.models import EventPosting, JobPosting, JobStatus
from tandem.domain.results import TASKS, Task
from tandem.engine.applying import FreelancerActs
from tandem.engine.conversing import CompanionActs
from tandem.engine.deciding import MATCH_ACTIONS, MatchActs
from tandem.engine.editing import JobEditActs
from tandem.engine.operating import OperatorActs
from tandem.engine.owned import keep_owned, posted_now
from tandem.engine.placing import placed
from tandem.engine.types import OUTCOME_EVENTS, CandidateSource, JobQuery, Requester, TalentQuery
from tandem.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
    in_words,
)
from tandem.text.articles import with_article
from tandem.text.pii import redact

if TYPE_CHECKING:
    from tandem.bundle.importer import ImportReport
    from tandem.engine.facade import Engine
    from tandem.engine.privacy import ErasurePlan, ErasureReport
    from tandem.engine.types import Progress
    from tandem.store.privacy import PersonKind

Surface = Literal["cli", "api", "web", "companion", "batch"]


class UserView(CompanionActs, MatchActs, FreelancerActs, JobEditActs, OperatorActs):
    """What one identity may do, through one surface.

    The companion's part is in ``conversing``, the match cards' decisions in ``deciding``,
    a freelancer's own profile edits and proposals in ``applying``, a client's job edits in
    ``editing``, an operator's imports, users and tokens in ``operating``.
    """

    def __init__(self, engine: Engine, who: Identity, surface: Surface = "api") -> None:
        self.engine = engine
        self.who = who
        self.requester = Requester(actor=who.user_id, surface=surface)

    def allowed(self, action: Action, *, owns: bool = False) -> bool:
        """Whether the identity may do ``action`` (for pages that show or hide a part)."""
        from tandem.access.rules import allowed

        return allowed(self.who, action, owns=owns)

    def require(self, action: Action) -> None:
        """Refuse unless the identity may do ``action`` on any object."""
        decide(self.who, action)

    def health(self) -> dict[str, object]:
        """What is loaded: how many people and jobs, which models (operators only, 403).

        The same rule as ``/api/health`` (:meth:`service_health`), for every face: a page that
        shows the counts asks here, so it cannot show them to anyone else.
        """
        decide(self.who, Action.HEALTH_DETAILS)
        return self.engine.health()

    def service_health(self) -> dict[str, object]:
        """``/api/health`` as this identity reads it: the status, and what is loaded.

        What is loaded (how many people and jobs, which models) for operators; for everyone
        else the status alone, what ``liveness`` tells anyone without a token.
        """
        if self.allowed(Action.HEALTH_DETAILS):
            return self.engine.health()
        return self.engine.liveness()

    # jobs ---------------------------------------------------------------------------------
    def jobs_page(
        self, offset: int, limit: int, status: str | None = None
    ) -> tuple[list[Job], int]:
        """One page of jobs (public posts, as :meth:`job` shows them)."""
        decide(self.who, Action.JOBS_READ)
        jobs, total = (
            self.engine.store.jobs.page(offset, limit, status=status)
            if status
            else self.engine.store.jobs.page(offset, limit)
        )
        return [self._job_as_seen(j) for j in jobs], total

    def job(self, job_id: str) -> Job:
        """One job post.

        Its client and operators see it whole; everyone else sees it without the contact
        details a client may have typed into the description (emails, phones, links).
        """
        decide(self.who, Action.JOBS_READ)
        return self._job_as_seen(self.engine.store.jobs.get(job_id))

    def jobs_by_id(self, ids: Iterable[str]) -> dict[str, Job]:
        """Jobs by id (a page of results), each as :meth:`job` shows it to this identity."""
        decide(self.who, Action.JOBS_READ)
        return {i: self._job_as_seen(j) for i, j in self.engine.jobs(ids).items()}

    def _job_as_seen(self, job: Job) -> Job:
        if self.who.role == "operator" or self.who.owns_client(job.client_id):
            return job
        return job.model_copy(update={"description": redact(job.description)})

    def save_job(self, job: Job, *, create: bool = False) -> Job:
        """Create (``create``: 409 if it exists) or replace a job the identity may write.

        A client keeps the marketplace's fields as :mod:`tandem.engine.owned` says.
        """
        decide(
            self.who, Action.JOB_WRITE, owns=self.who.owns_client(job.client_id), what="this job"
        )
        existing = self.engine.store.jobs.get_many([job.id]).get(job.id)
        if existing is not None and create:
            raise ConflictError(f"job {job.id!r} already exists; use PUT to replace it")
        if existing is not None:
            owns = self.who.owns_client(existing.client_id)
            decide(self.who, Action.JOB_WRITE, owns=owns, what=f"job {job.id!r}")
        if self.who.role != "operator":  # the marketplace's fields stay its own (``owned``)
            job = keep_owned("job", job, existing, datetime.now(UTC))
        return self.engine.save_job(job)

    def post_job(self, posting: JobPosting) -> Job:
        """Create a job from what a client can know, filling in the rest (409 if the id exists).

        A client's job is its own client's: ``client_id`` left out is the one the user acts
        for, another one is refused (403) in words. A left-out ``id`` is a new one and a
        left-out ``created_at`` is now (a client's post is created now in any case: ``owned``).
        """
        fields = posting.to_json_dict()
        mine = self.who.client_id if self.who.role == "client" else None
        given = fields.setdefault("client_id", mine)
        if mine is not None and given != mine:
            who = who_may(Action.JOB_WRITE)
            raise PermissionDeniedError(
                f"As a client you post jobs for your own client {mine!r} only, not for "
                f"{given!r}: leave client_id out and it is yours. Who can: {who}."
            )
        fields.setdefault("id", f"job-{uuid.uuid4().hex[:12]}")
        fields.setdefault("created_at", datetime.now(UTC))
        with in_words("job"):
            job = Job.model_validate(fields)
        return self.save_job(job, create=True)

    def put_job(self, job_id: str, posting: JobPosting) -> tuple[Job, bool]:
        """Create or replace job ``job_id`` (``PUT``); the job, and whether it was created.

        What :meth:`post_job` fills in may be left out here too: ``id`` is the path's (a
        different one is refused, 422), a client's ``client_id`` is its own, and
        ``created_at`` is the stored job's, or now for a new one (a client's is the time of
        the write in any case: ``owned``).
        """
        fields = posting.to_json_dict()
        if fields.setdefault("id", job_id) != job_id:
            raise ValidationError(
                f"body id {fields['id']!r} does not match the path id {job_id!r}", field="id"
            )
        if self.who.role == "client":
            fields.setdefault("client_id", self.who.client_id)
        existing = self.engine.store.jobs.get_many([job_id]).get(job_id)
        fields.setdefault("created_at", existing.created_at if existing else datetime.now(UTC))
        with in_words("job"):
            job = Job.model_validate(fields)
        return self.save_job(job), existing is None

    def set_job_status(self, job_id: str, status: JobStatus) -> Job:
        """Close a job (it leaves open jobs and search; proposals and decisions stay) or reopen it.

        Same rule as editing the job: its client or an operator. Unchanged when it already
        has that status.
        """
        job = self.engine.store.jobs.get(job_id)
        decide(
            self.who,
            Action.JOB_WRITE,
            owns=self.who.owns_client(job.client_id),
            what=f"job {job_id!r}",
        )
        if job.status == status:
            return job
        return self.engine.save_job(job.model_copy(update={"status": status}))

    def serve_match(
        self, job_id: str, *, top: int = 10, candidates: CandidateSource = "all"
    ) -> MatchRanking:
        """A job's ranked matches (or applicants), for its client or an operator."""
        job = self.engine.store.jobs.get(job_id)
        action = Action.JOB_APPLICANTS if candidates == "proposals" else Action.JOB_MATCHES
        decide(self.who, action, owns=self.who.owns_client(job.client_id), what=f"job {job_id!r}")
        return self.engine.serve_match(job_id, top=top, candidates=candidates, who=self.requester)

    def applicant_count(self, job_id: str) -> int | None:
        """How many proposals a job has (``None``: not the identity's to know)."""
        job = self.engine.store.jobs.get(job_id)
        if not self.allowed(Action.JOB_APPLICANTS, owns=self.who.owns_client(job.client_id)):
            return None
        return len(self.engine.store.proposals.where(job_id=job_id))

    # profiles -----------------------------------------------------------------------------
    def profiles_page(self, offset: int, limit: int) -> tuple[list[dict[str, object]], int]:
        """One page of profiles, each as this identity may see it."""
        decide(self.who, Action.PROFILES_READ)
        items, total = self.engine.store.freelancers.page(offset, limit)
        return [profile_for(self.who, f) for f in items], total

    def profile(self, freelancer_id: str) -> dict[str, object]:
        """One profile as this identity may see it (public unless the person or an operator)."""
        decide(self.who, Action.PROFILES_READ)
        return profile_for(self.who, self.engine.store.freelancers.get(freelancer_id))

    def profile_skills(self, freelancer_id: str) -> list[str]:
        """A profile's skills, normalised to the taxonomy (public information)."""
        decide(self.who, Action.PROFILES_READ)
        return self.engine.normaliser.normalise(
            self.engine.store.freelancers.get(freelancer_id).skills
        )

    def save_freelancer(self, freelancer: Freelancer, *, create: bool = False) -> dict[str, object]:
        """Create (409 if it exists) or replace a profile the identity may write.

        A freelancer keeps the marketplace's fields as :mod:`tandem.engine.owned` says.
        """
        owns = self.who.is_freelancer(freelancer.id)
        decide(self.who, Action.PROFILE_WRITE, owns=owns, what=f"profile {freelancer.id!r}")
        stored = self.engine.store.freelancers.get_many([freelancer.id]).get(freelancer.id)
        if create and stored is not None:
            raise ConflictError(
                f"freelancer {freelancer.id!r} already exists; use PUT to replace it"
            )
        if stored is not None and not owns:  # attributes are the person's to state, not ours
            freelancer = freelancer.model_copy(update={"attributes": stored.attributes})
        if self.who.role != "operator":  # the marketplace's fields stay its own (``owned``)
            freelancer = keep_owned("freelancer", freelancer, stored, datetime.now(UTC))
        return profile_for(self.who, self.engine.save_freelancer(freelancer))

    def serve_recommend(self, freelancer_id: str, *, top: int = 10) -> JobRanking:
        """Jobs ranked for a freelancer: the person or an operator."""
        self.engine.store.freelancers.get(freelancer_id)
        owns = self.who.is_freelancer(freelancer_id)
        decide(self.who, Action.RECOMMENDATIONS, owns=owns, what=f"profile {freelancer_id!r}")
        return self.engine.serve_recommend(freelancer_id, top=top, who=self.requester)

    def submit_proposal(self, proposal: Proposal) -> Proposal:
        """A freelancer's own proposal (or an operator's on someone's behalf).

        One per person and job, on an open job (409 otherwise), whichever face sends it.
        """
        owns = self.who.is_freelancer(proposal.freelancer_id)
        decide(self.who, Action.PROFILE_WRITE, owns=owns, what="this proposal")
        job = self.engine.store.jobs.get(proposal.job_id)
        if job.status != "open":
            raise ConflictError(f"job {job.id!r} is {job.status}: it takes no more proposals")
        sent = self.engine.store.proposals.where(
            job_id=job.id, freelancer_id=proposal.freelancer_id
        )
        if any(p.id != proposal.id for p in sent):
            raise ConflictError(
                f"{proposal.freelancer_id!r} already applied to job {job.id!r} ({sent[0].id})"
            )
        self.engine.store.proposals.save(proposal)
        return proposal

    # search -------------------------------------------------------------------------------
    def search_talent(self, q: TalentQuery) -> MatchRanking:
        """Talent search over public profiles."""
        decide(self.who, Action.SEARCH_TALENT)
        return self.engine.serve_search_talent(q, self.requester)

    def browse_talent(self, q: TalentQuery) -> MatchRanking:
        """Public profiles by job success (``q`` without words: its filters only), not logged.

        The same rule as :meth:`browse_jobs`: a list that only filters, in a stable order
        (job success, then the fairness policy if one is set, which reads no served
        state here), is no search decision, so viewing it writes nothing (safe GETs). A
        search with words is ranked and logged by :meth:`search_talent`. The request id is
        empty: there is no log entry to point at.
        """
        decide(self.who, Action.SEARCH_TALENT)
        if q.text.strip():
            raise ValidationError("a search with words is ranked and logged: use search_talent")
        results, total = self.engine.search_talent_counted(q)
        ranking = MatchRanking(
            request_id="", model_version="", ranker="by job success", results=results, total=total
        )
        return served_list(ranking)

    def search_jobs(self, q: JobQuery) -> JobRanking:
        """Job search over public posts."""
        decide(self.who, Action.SEARCH_JOBS)
        return self.engine.serve_search_jobs(q, self.requester)

    def browse_jobs(self, q: JobQuery) -> JobRanking:
        """Open jobs newest first (``q`` without words: its filters only), not logged.

        A list in date order is no ranking decision, so viewing it writes nothing (safe
        GETs); a search with words ranks, and is logged by :meth:`search_jobs`. The request
        id is empty: there is no log entry to point at.
        """
        decide(self.who, Action.SEARCH_JOBS)
        if q.text.strip():
            raise ValidationError("a search with words is ranked and logged: use search_jobs")
        results, total = self.engine.search_jobs_counted(q)
        return JobRanking(
            request_id="", model_version="", ranker="newest first", results=results, total=total
        )

    # the decision log and events ----------------------------------------------------------
    def decision(self, request_id: str) -> Decision:
        """A logged ranking: operators and auditors any, others what they were served.

        A client may also read the matches logged for its own jobs (served to a colleague
        bound to the same client): they are that job's matches, which it may rank anyway.
        """
        found = self.engine.store.decisions.get(request_id)
        own_job = found.kind == "match" and self._owns_job(found.subject)
        owns = found.actor == self.who.user_id or own_job
        decide(self.who, Action.DECISION_READ, owns=owns, what=f"decision {request_id!r}")
        return decision_for(self.who, found)

    def decisions_page(
        self, offset: int, limit: int, *, kind: str | None = None
    ) -> tuple[list[Decision], int]:
        """Newest first: the decision log for operators and auditors, one's own for others.

        Each entry as :meth:`decision` shows it (an auditor's without people).
        """
        everyone = self.allowed(Action.DECISION_READ)
        if not everyone:
            decide(self.who, Action.DECISION_READ, owns=True, what="the decision log")
        actor = None if everyone else self.who.user_id
        found, total = self.engine.store.decisions.page(offset, limit, actor=actor, kind=kind)
        return [decision_for(self.who, d) for d in found], total

    def why(self, request_id: str, freelancer_id: str) -> dict[str, object]:
        """Replay one logged result (same rule as reading the decision).

        An auditor names the result by position (``#3``, as :meth:`decision` shows it to
        them) and gets the replay without the evidence quoted from the profile; a client or
        freelancer gets it without a policy's per-person moves (:func:`replay_for`).
        """
        seen = self.decision(request_id)
        if self.who.role != "auditor":  # only operators are told who was erased
            replay = self.engine.why(
                request_id, freelancer_id, say_erased=self.who.role == "operator"
            )
            return replay_for(self.who, replay)  # a client's: no policy moves
        item = next((r for r in seen.results if r.id == freelancer_id), None)
        if item is None:
            raise NotFoundError(
                f"{freelancer_id!r} is not a position of request {request_id!r} (use #1, #2, ...)"
            )
        found = self.engine.store.decisions.get(request_id)
        real = next(r.id for r in found.results if r.rank == item.rank)
        replay = self.engine.why(request_id, real)
        logged = dict(replay["logged"])
        logged["reasons"] = [r.model_dump() for r in item.reasons]
        return replay | {"subject": seen.subject, "logged": logged}

    def post_event(self, posting: EventPosting) -> Event:
        """Record an event whose ``ts`` may be left out: it is then now (:meth:`record_event`)."""
        fields = posting.to_json_dict()
        fields.setdefault("ts", datetime.now(UTC))
        return self.record_event(Event.model_validate(fields))

    def record_event(self, event: Event) -> Event:
        """Record an event; its actor is the identity, never what the body claims.

        An impression or click is about what the ranking showed, at the position and on the
        surface it showed it (:meth:`_as_view`), a
        decision about a candidate of the identity's own job; and no event replaces one
        already stored (the engine's ``record_event``: an id taken by another event is 409).
        Its time is the server's (now, UTC) unless an operator records it (``owned``).
        """
        if self.who.role != "operator":  # when it happened is the marketplace's word
            event = posted_now(event, datetime.now(UTC))
        if event.type in ("impression", "click"):
            owns = self._served_to_me(event.request_id)
            decide(self.who, Action.EVENT_VIEW, owns=owns, what="that ranking")
            event = self._as_view(event)
        elif event.type in MATCH_ACTIONS:
            event = self._as_decision(event)
        else:
            owns = event.type in OUTCOME_EVENTS and self._owns_job(event.job_id)
            decide(self.who, Action.EVENT_OUTCOME, owns=owns, what="that job")
            if event.type == "review" and self.who.role != "operator":
                self._reviewable(event)
        side = {"client": "client", "freelancer": "freelancer"}.get(self.who.role, event.actor)
        data = event.to_json_dict() | {"recorded_by": self.who.user_id}
        if side is not None:
            data["actor"] = side
        return self.engine.record_event(Event.model_validate(data))

    def _reviewable(self, event: Event) -> None:
        """A review is of someone hired for the job: refuse one without that hire (422).

        A review is a person's track record; one of someone only shortlisted or never met
        would rate work that was not done. Operators' history comes through an import,
        which reports such a line as bad (:mod:`tandem.bundle.importer`).
        """
        if not (event.job_id and event.freelancer_id):
            raise ValidationError("a review names the job and the freelancer hired for it")
        hired = self.engine.store.events.where(
            job_id=event.job_id, freelancer_id=event.freelancer_id, type="hire"
        )
        if not hired:
            raise ValidationError(
                f"no hire of {event.freelancer_id!r} on job {event.job_id!r}: a review is of "
                "someone hired for the job (record the hire first)"
            )

    def _as_view(self, event: Event) -> Event:
        """An impression or click, placed where its ranking logged its result (:func:`placed`).

        Operators too: a posted view names a logged ranking (the engine refuses any other
        request id), and its position becomes a training label whoever posts it, so the log
        is the judge for everyone. An operator's history from before any ranking, whose
        rankings are not in the log, comes in through an import, which this does not touch.
        Only the cross-check of the other ids (:meth:`_shown_in`) is for non-operators.
        """
        if not event.request_id:
            raise ValidationError(
                f"{with_article(event.type)} event needs the request_id of the ranking that "
                "showed it (history without rankings comes in through an import)",
                field="request_id",
            )
        decision = self.engine.store.decisions.get(event.request_id)
        if self.who.role != "operator":
            self._shown_in(event, decision)
        return placed(event, decision)

    def _shown_in(self, event: Event, decision: Decision) -> None:
        """Refuse a view of a ranking that names a job or person the ranking did not show.

        A match ranking is of its job and shows people, a recommendation is for its person
        and shows jobs; a talent search shows people (a job named is one of the client's
        own), a job search shows jobs (a person named is the freelancer themself).
        """
        shown = {r.id for r in decision.results}
        if decision.kind in ("match", "search_talent"):
            people = shown
            jobs = {decision.subject} if decision.kind == "match" else set()
        else:
            jobs = shown
            people = {decision.subject} if decision.kind == "recommend" else set()
        job_ok = (
            event.job_id is None
            or event.job_id in jobs
            or (decision.kind == "search_talent" and self._owns_job(event.job_id))
        )
        person_ok = (
            event.freelancer_id is None
            or event.freelancer_id in people
            or (decision.kind == "search_jobs" and self.who.is_freelancer(event.freelancer_id))
        )
        if not (job_ok and person_ok):
            raise ValidationError(
                f"{with_article(event.type)} is about what ranking {event.request_id!r} "
                "showed: its job (or person) and one of its results, not another job or person"
            )

    def _as_decision(self, event: Event) -> Event:
        """A decision on a candidate, held to the match cards' rule (:meth:`checked_decision`).

        A decision is a training label about a ranking, so it names the ranking's request id
        (history from before any ranking comes in through ``tandem import``); its position
        is the ranking's (filled in when left out, a different one refused: session 17's rule
        for views, which a trial found this path still rewrote: 9 stored as 2), and its
        surface the ranking's.
        """
        if not event.request_id:
            raise ValidationError(
                f"{with_article(event.type)} event needs the request_id of the ranking the "
                "candidate was shown in (history without rankings comes in through an import)"
            )
        decision, job = self.checked_decision(
            event.request_id, event.freelancer_id or "", job_id=event.job_id, any_ranking=True
        )
        position = next(r.rank for r in decision.results if r.id == event.freelancer_id)
        if event.position is not None and event.position != position:  # a label made up
            raise ValidationError(
                f"{with_article(event.type)} of {event.freelancer_id!r} on ranking "
                f"{event.request_id!r} is at position {position}, where the ranking showed "
                f"them, not {event.position} (leave position out to have it filled in)",
                field="position",
            )
        proposals = decision.request.get("candidates") == "proposals"
        surface = "proposals" if proposals else "match"
        if event.surface == "companion":  # the companion acting on a ranking it showed
            surface = "companion"
        return event.model_copy(update={"job_id": job.id, "position": position, "surface": surface})

    def record_impressions(
        self, ranking: MatchRanking, job_id: str, surface: Literal["match", "proposals"]
    ) -> None:
        """Impressions of a ranking this identity was just served."""
        if ranking.request_id and self._served_to_me(ranking.request_id):
            self.engine.record_impressions(ranking, job_id, surface)

    def _served_to_me(self, request_id: str | None) -> bool:
        if not request_id:
            return False
        try:
            return self.engine.store.decisions.get(request_id).actor == self.who.user_id
        except NotFoundError:
            return False

    def _owns_job(self, job_id: str | None) -> bool:
        if not job_id:
            return False
        found = self.engine.store.jobs.get_many([job_id]).get(job_id)
        return found is not None and self.who.owns_client(found.client_id)

    # privacy ------------------------------------------------------------------------------
    # audits ---------------------------------------------------------------------------------
    def audit_report(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> dict[str, Any]:
        """The audit report over ``[since, until)``: aggregates per group, for auditors."""
        decide(self.who, Action.AUDIT_REPORT)
        return self.engine.audit_report(since=since, until=until)

    def models_overview(self) -> dict[str, Any]:
        """Every model with its gate verdict, what serves each task, and who changed that, why.

        For operators and auditors (the models are not personal data; the ``by`` of a change
        is a user id, left out for auditors).
        """
        decide(self.who, Action.MODEL_CARD)
        engine = self.engine
        erased = engine.erased_models()
        models = [
            {
                "version": info.version,
                "task": info.task,
                "status": info.status,
                "created_at": str(info.meta.get("created_at", ""))[:19],
                "holdout_ndcg@10": info.meta.get("metrics", {}).get("ndcg@10/candidate"),
                "gate_passed": info.meta.get("gate_passed"),
                "gate": str(info.meta.get("gate", "")),
                "predates_erasure": erased[info.version].date().isoformat()
                if info.version in erased
                else None,
            }
            for info in engine.models.list()
        ]
        changes = engine.models.changes()
        if self.who.role == "auditor":
            changes = [{k: v for k, v in c.items() if k != "by"} for c in changes]
        serving = {t: engine.models.serving_version(t) for t in TASKS}
        return {"serving": serving, "models": models, "changes": changes}

    def promote_model(
        self,
        version: str,
        reason: str,
        *,
        despite_erasure: bool = False,
        despite_gate: bool = False,
    ) -> Task:
        """Serve ``version`` for its task: an operator's decision, recorded with its reason.

        A version that failed its gate, or predates an erasure, takes an explicit yes.
        """
        decide(self.who, Action.MODELS_MANAGE)
        return self.engine.promote_model(
            version,
            despite_erasure=despite_erasure,
            despite_gate=despite_gate,
            by=self.who.user_id,
            reason=_why(reason),
        )

    def rollback_model(
        self, task: Task, reason: str, *, despite_erasure: bool = False
    ) -> str | None:
        """Serve ``task``'s previous model again: recorded with who and why, like a promotion."""
        decide(self.who, Action.MODELS_MANAGE)
        return self.engine.rollback_model(
            task, despite_erasure=despite_erasure, by=self.who.user_id, reason=_why(reason)
        )

    def model_card(self, version: str) -> dict[str, Any]:
        """A model version's ranking card (per-group numbers are aggregates)."""
        decide(self.who, Action.MODEL_CARD)
        return self.engine.model_card(version)

    def export_person(self, kind: PersonKind, person_id: str) -> dict[str, Any]:
        """Everything stored about a person: the person themself, or an operator."""
        owns = self._is_person(kind, person_id)
        decide(self.who, Action.PERSON_EXPORT, owns=owns, what=f"{kind} {person_id!r}")
        return self.engine.export_person(kind, person_id)

    def export_me(self) -> dict[str, Any]:
        """Everything stored about the client or freelancer this user is bound to."""
        decide(self.who, Action.PERSON_EXPORT, owns=True)
        if self.who.freelancer_id:
            return self.export_person("freelancer", self.who.freelancer_id)
        if self.who.client_id:
            return self.export_person("client", self.who.client_id)
        raise NotFoundError(
            f"user {self.who.user_id!r} is bound to no client or freelancer; an operator "
            "exports a person with 'tandem export person ID --out FILE'"
        )

    def erasure_plan(self, kind: PersonKind, person_id: str) -> ErasurePlan:
        """What erasing a person would remove (same rule as erasing)."""
        owns = self._is_person(kind, person_id)
        decide(self.who, Action.PERSON_ERASE, owns=owns, what=f"{kind} {person_id!r}")
        return self.engine.erasure_plan(kind, person_id)

    def erase_person(
        self, kind: PersonKind, person_id: str, progress: Progress | None = None
    ) -> ErasureReport:
        """Erase a person and everything derived: a freelancer themself, or an operator."""
        owns = self._is_person(kind, person_id)
        decide(self.who, Action.PERSON_ERASE, owns=owns, what=f"{kind} {person_id!r}")
        return self.engine.erase(kind, person_id, progress)

    def purge(self, *, compact: bool = False) -> dict[str, int]:
        """Apply the retention settings (operators); ``compact``: compact the store anyway."""
        decide(self.who, Action.PURGE)
        return self.engine.purge(compact=compact)

    def _is_person(self, kind: PersonKind, person_id: str) -> bool:
        if kind == "freelancer":
            return self.who.is_freelancer(person_id)
        return self.who.owns_client(person_id)

    # operations ---------------------------------------------------------------------------
    def import_bundle(
        self,
        directory: Path,
        *,
        strict: bool = False,
        readmit: Sequence[str] = (),
        source: str | None = None,
    ) -> ImportReport:
        """Import a bundle (operators only); ``readmit``: erased ids allowed back.

        The import log records it as this identity's, from ``source`` (default: the directory).
        """
        decide(self.who, Action.IMPORT)
        return self.engine.import_bundle(
            directory, strict=strict, readmit=readmit, who=self.requester, source=source
        )


def _why(reason: str) -> str:
    """A change of the serving model needs a reason a later reader can understand."""
    text = " ".join(reason.split())
    if len(text) < 5:
        raise ValidationError("say why (a few words): the reason is kept with the change")
    if len(text) > 500:
        raise ValidationError("keep the reason under 500 characters")
    return text
