"""Serving: every ranking a person sees is written to the decision log; events tie back to it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from tandem.access.projections import served_list
from tandem.domain import (
    Decision,
    Event,
    JobRanking,
    MatchRanking,
    Reason,
    ServedItem,
)
from tandem.domain.results import Task
from tandem.engine.fairness import FairnessPolicy
from tandem.engine.newcomers import NewcomerCarry, newcomer_request, served_state
from tandem.engine.queries import QueriesLayer, Scored
from tandem.engine.types import (
    MAX_LOGGED_CANDIDATES,
    TASK_OF,
    CandidateSource,
    DecisionKind,
    EventSurface,
    JobQuery,
    Requester,
    TalentQuery,
    at_the_door,
)
from tandem.errors import ConflictError, NotFoundError, ValidationError
from tandem.fairness.newcomers import NewcomerPolicy
from tandem.rank.features import now_utc
from tandem.store import ledger
from tandem.store.decisions import LogCheck

SEARCH_RANKER = "hybrid search (BM25 + embeddings)"
#: What a search decision logs as its model: retrieval only, no learned model.
SEARCH_VERSION = "hybrid-search"


class ServingLayer(QueriesLayer):
    """Logged rankings, feedback events and replay."""

    # serving (every ranking a person sees is logged) -------------------------------------
    def _log(
        self,
        kind: DecisionKind,
        subject: str,
        who: Requester,
        request: dict[str, object],
        candidates: list[str],
        items: Sequence[tuple[str, float, list[Reason]]],
        model_version: str,
    ) -> Decision:
        decision = Decision(
            request_id=uuid.uuid4().hex,
            ts=datetime.now(UTC),
            actor=who.actor,
            surface=who.surface,
            kind=kind,
            subject=subject,
            model_version=model_version,
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
        fair_by: str | None = None,
        newcomers: NewcomerCarry | None = None,
    ) -> MatchRanking:
        """:meth:`match`, written to the decision log (with the policies applied, if any).

        ``newcomers``: a batch's own newcomer state (:meth:`newcomer_run`); without it the
        setting ``newcomer_share`` applies, with the served rankings' carried deficit. The log
        keeps each policy move; the list served says only that a policy re-ordered it
        (:func:`tandem.access.projections.served_list`).
        """
        return served_list(self._serve_match(job_id, top, candidates, who, fair_by, newcomers))

    def _serve_match(
        self,
        job_id: str,
        top: int | None,
        candidates: CandidateSource,
        who: Requester | None,
        fair_by: str | None,
        newcomers: NewcomerCarry | None,
        scored: Scored | None = None,
    ) -> MatchRanking:
        """:meth:`serve_match`; ``scored``: the job's list, scored already (a batch's worker)."""
        task = TASK_OF[candidates]
        carry = newcomers
        if carry is None and self.settings.newcomer_share:
            with served_state(self.settings.home, task) as state:
                before = state["carried"]
                carry = NewcomerCarry(self.newcomer_policy(), now_utc(), {task: before})
                out = self._match(job_id, top, candidates, fair_by, carry, scored=scored)
                state["carried"] = carry.carried[task]
                state["rankings"] += 1
        else:
            before = carry.carried.get(task, 0.0) if carry is not None else 0.0
            out = self._match(job_id, top, candidates, fair_by, carry, scored=scored)
        considered, results, policy, step = out
        request: dict[str, object] = {
            "job_id": job_id,
            "top": top,
            "candidates": candidates,
            "task": task,
        }
        if policy is not None:
            request["fairness"] = policy.as_request()
        if step is not None and carry is not None and carry.policy is not None:
            request["newcomers"] = newcomer_request(carry.policy, before, step, carry.as_of)
        items = [(r.freelancer_id, r.score, r.reasons) for r in results]
        version = self.ranker_for(task).version
        d = self._log("match", job_id, who or Requester(), request, considered, items, version)
        return MatchRanking(
            request_id=d.request_id,
            model_version=d.model_version,
            ranker=self.ranker_note(task),
            results=results,
        )

    def serve_recommend(
        self, freelancer_id: str, *, top: int = 10, who: Requester | None = None
    ) -> JobRanking:
        """:meth:`recommend`, written to the decision log."""
        results, total = self.recommend_counted(freelancer_id, top=top)
        items = [(r.job_id, r.score, r.reasons) for r in results]
        d = self._log(
            "recommend",
            freelancer_id,
            who or Requester(),
            {"freelancer_id": freelancer_id, "top": top},
            [i for i, _, _ in items],
            items,
            self.recommend_ranker.version,
        )
        return JobRanking(
            request_id=d.request_id,
            model_version=d.model_version,
            ranker="heuristic scorer (learned models are gated on ranking people, not jobs)",
            results=results,
            total=total,
        )

    def serve_search_talent(self, q: TalentQuery, who: Requester | None = None) -> MatchRanking:
        """:meth:`search_talent`, written to the decision log (contact details redacted first)."""
        q = at_the_door(q)
        results, total = self.search_talent_counted(q)
        items = [(r.freelancer_id, r.score, r.reasons) for r in results]
        policy = self.fairness_policy()
        extra: dict[str, object] = {} if policy is None else {"fairness": policy.as_request()}
        d = self._log_search("search_talent", q, who, items, extra)
        ranking = MatchRanking(
            request_id=d.request_id,
            model_version=d.model_version,
            ranker=SEARCH_RANKER,
            results=results,
            total=total,
        )
        return served_list(ranking)  # the log keeps who the policy moved; the list does not

    def serve_search_jobs(self, q: JobQuery, who: Requester | None = None) -> JobRanking:
        """:meth:`search_jobs`, written to the decision log (contact details redacted first)."""
        q = at_the_door(q)
        results, total = self.search_jobs_counted(q)
        d = self._log_search(
            "search_jobs", q, who, [(r.job_id, r.score, r.reasons) for r in results]
        )
        return JobRanking(
            request_id=d.request_id,
            model_version=d.model_version,
            ranker=SEARCH_RANKER,
            results=results,
            total=total,
        )

    def _log_search(
        self,
        kind: DecisionKind,
        q: TalentQuery | JobQuery,
        who: Requester | None,
        items: list[tuple[str, float, list[Reason]]],
        extra: dict[str, object] | None = None,
    ) -> Decision:
        return self._log(
            kind,
            q.text,
            who or Requester(),
            {**asdict(q), **(extra or {})},
            [i for i, _, _ in items],
            items,
            SEARCH_VERSION,
        )

    def verify_log(self) -> LogCheck:
        """Walk the decision log's hash chain (see :mod:`tandem.store.ledger`)."""
        return self.store.decisions.verify()

    def log_head(self) -> tuple[int, str]:
        """The decision log's latest entry number and hash, for anchoring elsewhere."""
        return self.store.decisions.head()

    def record_event(self, event: Event) -> Event:
        """Store an impression, click or outcome event (validated, idempotent by id).

        A hire of someone already hired on the job is refused (409, naming that hire:
        :meth:`existing_hire`), from every face and for operators too; history comes in
        through an import. An event is recorded once and never replaced: an id already
        stored answers with the stored event when it is the same event again (the same
        button pressed twice, a retried post: only its time and recorder may differ), and is
        refused (409) when it is another one. Otherwise a post could turn someone's hire
        into a decline, or erase another client's interview, by reusing its id.
        """
        if event.request_id:
            self.store.decisions.get(event.request_id)  # must tie to a served ranking
        # The same reference check an import makes: an event about nobody would be a label
        # that training cannot join, and an export that `tandem import --strict` refuses.
        for field, repo in (("job_id", self.store.jobs), ("freelancer_id", self.store.freelancers)):
            ref = getattr(event, field)
            if ref is not None and not repo.exists([ref]):
                raise ValidationError(f"{field} {ref!r} is not in the store")
        if event.type == "hire" and event.job_id and event.freelancer_id:
            hired = self.existing_hire(event.job_id, event.freelancer_id, other_than=event.id)
            if hired is not None:
                raise ConflictError(second_hire(hired))
        stored, new = self.store.events.add(event)
        if not new:
            if not same_event(stored, event):
                raise ConflictError(
                    f"event id {event.id!r} is already taken by another event; events are "
                    "never replaced: post this one under a new id"
                )
            return stored
        if event.type in ("hire", "review"):
            self._history = None
            self._matcher = None
        return event

    def existing_hire(
        self, job_id: str, freelancer_id: str, *, other_than: str | None = None
    ) -> Event | None:
        """The hire of ``freelancer_id`` on ``job_id`` already recorded (not ``other_than``).

        A person is hired on a job once: a second hire event would count twice as a hire in
        their track record and in the labels, and tell the client nothing new (a trial found
        the companion offering, and recording, a hire of someone hired already).
        """
        hires = self.store.events.where(job_id=job_id, freelancer_id=freelancer_id, type="hire")
        return next((e for e in hires if e.id != other_than), None)

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
        with self.store.transaction() as tx:
            self.store.events.upsert(tx, events)

    def _not_served(self, decision: Decision, freelancer_id: str, say_erased: bool) -> str:
        """Why ``freelancer_id`` has no result in ``decision``, in words (see :meth:`why`).

        An erased person's place is a tombstone under a key destroyed with them
        (:mod:`tandem.store.ledger`): nothing tells whose a tombstone is. So an operator is
        told an erased id *may* have held a place only when the ranking holds a tombstone at
        all; a ranking without one (made before the person existed, or that never showed
        them) answers as for any id it does not hold.
        """
        n, rid = len(decision.results), decision.request_id
        gone = sum(1 for r in decision.results if ledger.is_tombstone(r.id))
        absent = f"{freelancer_id!r} was not among the {n} results of request {rid!r}"
        if not gone:
            return absent
        if not say_erased:
            return absent + f" ({gone} of them belong to people erased since)"
        if not self.store.privacy.suppressed({f"freelancer:{freelancer_id}"}):
            return absent
        return (
            f"freelancer {freelancer_id!r} was erased, and request {rid!r} holds {gone} of "
            f"its {n} results as tombstones of people erased since: a tombstone links to no "
            "one, so whether one of them was theirs cannot be told"
        )

    def why(
        self, request_id: str, freelancer_id: str, *, say_erased: bool = True
    ) -> dict[str, Any]:
        """Replay a logged decision for one freelancer, and what today's model would do.

        ``say_erased``: an id the ranking no longer holds is said to be erased when it was
        (for operators, who erase). Anyone else names any id they like: told who was erased,
        they could test any person for an erasure, so they get one answer for every id,
        which says a place may belong to someone erased since when the ranking has one.
        """
        decision = self.store.decisions.get(request_id)
        served = next((r for r in decision.results if r.id == freelancer_id), None)
        if served is None:
            raise NotFoundError(self._not_served(decision, freelancer_id, say_erased))
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
            mode: CandidateSource = (
                "proposals" if decision.request.get("candidates") == "proposals" else "all"
            )
            # the logged policy, method and tally window: the same model then serves the same order
            logged = decision.request.get("fairness")
            policy = None
            if isinstance(logged, dict) and logged.get("attribute"):
                through = logged.get("tally_through")
                policy = FairnessPolicy(
                    str(logged["attribute"]),
                    str(logged.get("method") or self.settings.fair_method),
                    through if isinstance(through, int) else None,
                )
            carry = _logged_newcomers(decision.request.get("newcomers"), TASK_OF[mode])
            today = self._match(decision.subject, None, mode, "", carry, replay=policy)[1]
            version = self.ranker_for(TASK_OF[mode]).version
            ids = [r.freelancer_id for r in today]
            now = next((r for r in today if r.freelancer_id == freelancer_id), None)
            out["today"] = {
                "model_version": version,
                "rank": ids.index(freelancer_id) + 1 if now else None,
                "score": now.score if now else None,
            }
            out["changed"] = (
                now is None
                or ids.index(freelancer_id) + 1 != served.rank
                or version != decision.model_version
            )
        return out


def _logged_newcomers(logged: object, task: Task) -> NewcomerCarry | None:
    """The newcomer policy and state a decision logged, to replay it (``None``: it had none)."""
    if not isinstance(logged, dict):
        return None
    policy = NewcomerPolicy(float(logged["share"]), int(logged["k"]), float(logged["floor_margin"]))
    as_of = datetime.fromisoformat(str(logged["as_of"]))
    return NewcomerCarry(policy, as_of, {task: float(logged["carried_before"])})


#: What a repeat of an event may change: when it was posted, and by which user.
_NOT_THE_EVENT = frozenset({"ts", "recorded_by"})


def same_event(first: Event, second: Event) -> bool:
    """Whether two events under one id say the same thing (a repeat, not a replacement)."""
    a, b = first.to_json_dict(), second.to_json_dict()
    return {k: v for k, v in a.items() if k not in _NOT_THE_EVENT} == {
        k: v for k, v in b.items() if k not in _NOT_THE_EVENT
    }


def second_hire(hired: Event) -> str:
    """Why a hire of someone already hired on the job is refused, naming the hire there is."""
    when = hired.ts.strftime("%Y-%m-%d")
    return (
        f"freelancer {hired.freelancer_id!r} is already hired on job {hired.job_id!r} "
        f"(hire event {hired.id!r}, {when}): a person is hired on a job once"
    )
