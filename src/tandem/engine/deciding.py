"""A client's decisions about the candidates of a ranking it was served.

This is the part of :class:`UserView` the match cards act through. Each decision
(shortlist, message, invite, interview, hire, decline) is stored as an event that
carries the request id of the ranking the candidate was shown in, and that candidate's
position there: the labels ``tandem learn`` / ``tandem train`` build come from these
events (:mod:`tandem.learn.labels`), and the request id ties each label to the
decision-log entry that shows what the client saw. The rule is the access table's
``event.outcome``: a client acts only on its own jobs, an operator on any, an auditor
and a freelancer on none. A decision must name a candidate the ranking actually showed:
anything else would be a label about a ranking that never happened. A closed job takes no
decisions (409): hiring for work that is no longer offered would be a label, and a promise to
someone, about nothing; reopening the job allows them again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, get_args

from tandem.access import Action, Identity, decide
from tandem.access.projections import decision_for, profile_for
from tandem.access.rules import allowed
from tandem.domain import Event
from tandem.engine.serving import second_hire
from tandem.errors import ConflictError, NotFoundError, ValidationError
from tandem.explain.compare import compare

if TYPE_CHECKING:
    from tandem.domain import Decision, Job
    from tandem.engine.facade import Engine
    from tandem.engine.types import Requester

#: What a client may decide about one candidate, in the order the cards offer it.
MatchAction = Literal["shortlist", "message", "invite", "interview", "hire", "decline"]
MATCH_ACTIONS: tuple[MatchAction, ...] = get_args(MatchAction)


def refuse_closed(job: Job) -> None:
    """Refuse (409) a decision about candidates on a job that is not open (module docstring)."""
    if job.status != "open":
        raise ConflictError(
            f"job {job.id!r} is {job.status}: it takes no decisions about candidates "
            "(its client or an operator can reopen it first)"
        )


class MatchActs:
    """Decisions on match cards (mixed into :class:`UserView`; see the module docstring)."""

    engine: Engine
    who: Identity
    requester: Requester

    def decide_on_match(
        self, request_id: str, freelancer_id: str, action: str, *, job_id: str | None = None
    ) -> Event:
        """Record ``action`` on a candidate of the match ranking ``request_id``.

        Refused (403) unless the ranking's job is the identity's to act on; a request id
        that is not a match ranking (of ``job_id``, when given), or a candidate it did not
        show, is a validation error. Idempotent: the same decision on the same ranking is
        one event.
        """
        if action not in MATCH_ACTIONS:
            raise ValidationError(
                f"action must be one of {', '.join(MATCH_ACTIONS)}, not {action!r}"
            )
        decision, _ = self.checked_decision(request_id, freelancer_id, job_id=job_id)
        position = next(r.rank for r in decision.results if r.id == freelancer_id)
        surface = "proposals" if decision.request.get("candidates") == "proposals" else "match"
        event = Event(
            id=f"{action}-{request_id}-{freelancer_id}",
            ts=datetime.now(UTC),
            type=action,
            job_id=decision.subject,
            freelancer_id=freelancer_id,
            actor="client",
            surface=surface,
            position=position,
            request_id=request_id,
        )
        return self.engine.record_event(
            Event.model_validate(event.to_json_dict() | {"recorded_by": self.who.user_id})
        )

    def checked_decision(
        self,
        request_id: str,
        freelancer_id: str,
        *,
        job_id: str | None = None,
        any_ranking: bool = False,
    ) -> tuple[Decision, Job]:
        """The one rule for a client decision on a candidate, whichever face records it.

        Returns the logged ranking and the decided job. Refused: an unknown request id
        (404), one that is not a match ranking of ``job_id`` when given (422; with
        ``any_ranking``, a talent search the candidate was found in counts too, for
        ``job_id``), a job not the identity's to act on (403), a closed job (409), a candidate the
        ranking did not show (422). ``POST /api/events`` and the web's match cards both go
        through here.
        """
        try:
            decision = self.engine.store.decisions.get(request_id)
        except NotFoundError:
            raise NotFoundError(f"no ranking {request_id!r} to act on") from None
        if decision.kind != "match" and not (any_ranking and job_id):
            raise ValidationError(
                f"request {request_id!r} is a {decision.kind}, not a job's matches"
            )
        if decision.kind == "match" and job_id is not None and decision.subject != job_id:
            raise ValidationError(f"ranking {request_id!r} is not of job {job_id!r}")
        job = self.engine.store.jobs.get(
            decision.subject if decision.kind == "match" or job_id is None else job_id
        )
        owns = self.who.owns_client(job.client_id)
        decide(self.who, Action.EVENT_OUTCOME, owns=owns, what=f"job {job.id!r}")
        refuse_closed(job)
        if freelancer_id not in {item.id for item in decision.results}:
            raise ValidationError(
                f"freelancer {freelancer_id!r} was not shown in ranking {request_id!r}"
            )
        return decision.model_copy(update={"subject": job.id}), job

    def refuse_second_hire(self, job_id: str, freelancer_id: str) -> None:
        """Refuse (409, naming it) a hire of someone already hired on ``job_id``.

        The faces ask this before they offer a hire (the companion proposes none) and before
        a confirmed one runs; recording the hire (:meth:`Engine.record_event`) refuses it
        again, so two confirmations racing still make one hire. Same rule as deciding:
        the job's client and operators.
        """
        job = self.engine.store.jobs.get(job_id)
        owns = self.who.owns_client(job.client_id)
        decide(self.who, Action.EVENT_OUTCOME, owns=owns, what=f"job {job_id!r}")
        hired = self.engine.existing_hire(job_id, freelancer_id)
        if hired is not None:
            raise ConflictError(second_hire(hired))

    def refuse_closed_job(self, job_id: str) -> None:
        """Refuse (409, in words) any decision about candidates on ``job_id`` if it is closed.

        The companion asks this before it offers an invite or a hire, so a closed job is
        said when the offer is asked for, not at Confirm (a trial: "hire the first one" on
        a closed job waited for a Confirm that could only fail). Recording the decision
        (:meth:`checked_decision`) refuses it again.
        """
        refuse_closed(self.engine.store.jobs.get(job_id))

    def may_decide_on(self, job: Job) -> bool:
        """Whether :meth:`decide_on_match` would take decisions on ``job`` from this identity.

        The faces ask this before offering the buttons, so the rule stays here: the access
        table's ``event.outcome`` for the job's client, and an open job.
        """
        owns = self.who.owns_client(job.client_id)
        return job.status == "open" and allowed(self.who, Action.EVENT_OUTCOME, owns=owns)

    def match_decisions(self, job_id: str) -> dict[str, list[str]]:
        """The decisions recorded on a job so far, per freelancer (for its cards).

        Same rule as seeing the job's matches: its client and operators.
        """
        job = self.engine.store.jobs.get(job_id)
        owns = self.who.owns_client(job.client_id)
        decide(self.who, Action.JOB_MATCHES, owns=owns, what=f"job {job_id!r}")
        found: dict[str, list[str]] = {}
        for action in MATCH_ACTIONS:
            for event in self.engine.store.events.where(job_id=job_id, type=action):
                if event.freelancer_id and action not in found.get(event.freelancer_id, []):
                    found.setdefault(event.freelancer_id, []).append(action)
        return found

    def compare_candidates(self, request_id: str, first: str, second: str) -> dict[str, Any]:
        """Why one of two candidates of a logged match ranking is above the other.

        Read from the decision log (what was served, not a fresh ranking); the rule is
        reading that decision and, where it shows people, the job's matches. People are named
        as their profiles are shown to this identity; an auditor, who reads the log without
        people (and no job's matches), names them by position (``#1``, ``#3``).
        """
        decision = self.engine.store.decisions.get(request_id)
        if decision.kind != "match":
            raise ValidationError(
                f"request {request_id!r} is a {decision.kind}, not a job's matches"
            )
        job = self.engine.store.jobs.get(decision.subject)
        owns = decision.actor == self.who.user_id or self.who.owns_client(job.client_id)
        decide(self.who, Action.DECISION_READ, owns=owns, what=f"decision {request_id!r}")
        seen = decision_for(self.who, decision)  # an auditor's: people known by position only
        by_position = self.who.role == "auditor"
        if not by_position:  # with the people in it: also the rule for the job's matches
            decide(self.who, Action.JOB_MATCHES, owns=owns, what=f"job {job.id!r}")
        else:  # positions only: a person's id is not theirs to name
            named = [p for p in (first, second) if not p.startswith("#")]
            if named:  # not found as named (as why/ID is), said in the terms this view has
                raise NotFoundError(
                    f"no result {named[0]!r} in request {request_id!r}: you see this ranking "
                    "by position; compare #1, #2 and so on"
                )
        people = {} if by_position else self.engine.store.freelancers.get_many([first, second])
        names = {i: str(profile_for(self.who, f).get("name") or i) for i, f in people.items()}
        return compare(seen, first, second, names=names)
