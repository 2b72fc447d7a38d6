"""A freelancer's own side of the market: edit my profile, apply to a job, follow my proposals.

This is the part of :class:`UserView` the freelancer's pages act through. The rules are the
access table's: ``profile.write`` is a freelancer's own profile only (an operator's any), and
a proposal is made by the person applying, as themself: the proposal's freelancer is always
the identity's own, never a name the form sends. A proposal is one per person and job, on an
open job, with a cover letter the person wrote or read (nothing is sent for them).

A proposal's status is read from what the client recorded on its match cards (the events
of :mod:`tandem.engine.deciding`) and from the job's own status: the person sees where
they stand without a field anyone must remember to update.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, NamedTuple

import pydantic

from tandem.access import Action, Identity, decide
from tandem.domain import Bid, Freelancer, Job, Proposal
from tandem.errors import PermissionDeniedError, ValidationError, in_words
from tandem.skills.suggest import SkillSuggestions, suggest
from tandem.skills.typed import SkillChange, normalise_typed

if TYPE_CHECKING:
    from tandem.engine.facade import Engine
    from tandem.engine.types import Requester

#: A proposal's status from the client's decisions, most telling first, with how it reads.
STATUS_ORDER: tuple[tuple[str, str], ...] = (
    ("hire", "Hired"),
    ("decline", "Declined"),
    ("interview", "Interviewing"),
    ("shortlist", "Shortlisted"),
    ("message", "The client messaged you"),
    ("invite", "Invited"),
)


@dataclass(frozen=True)
class ProfileEdit:
    """The fields a person edits on their own profile (``None``: leave as stored)."""

    title: str | None = None
    overview: str | None = None
    skills: list[str] | None = None
    hourly_rate: float | None = None
    availability_hours_per_week: int | None = None
    experience_years: float | None = None


class ProfileSaved(NamedTuple):
    """The profile as saved, and which typed skills were renamed to the taxonomy's."""

    profile: Freelancer
    changes: list[SkillChange]


class ProposalStatus(NamedTuple):
    """One of my proposals, its job, and where it stands."""

    proposal: Proposal
    job: Job | None
    status: str
    label: str


class FreelancerActs:
    """A freelancer's own actions (mixed into :class:`UserView`; see the module docstring)."""

    engine: Engine
    who: Identity
    requester: Requester
    #: :meth:`UserView.submit_proposal`: the rules every face that sends a proposal shares.
    submit_proposal: Callable[[Proposal], Proposal]

    def skill_suggestions(self, text: str) -> SkillSuggestions:
        """What a typed skill will be saved as, and taxonomy names like it (public)."""
        decide(self.who, Action.PROFILES_READ)
        return suggest(self.engine.normaliser, text[:200])

    def edit_profile(self, freelancer_id: str, edit: ProfileEdit) -> ProfileSaved:
        """Change some fields of a profile the identity may write; skills are normalised.

        Refused (403) unless it is the person's own profile (or an operator's edit). A
        value the profile's rules refuse is a validation error that names the field.
        """
        owns = self.who.is_freelancer(freelancer_id)
        decide(self.who, Action.PROFILE_WRITE, owns=owns, what=f"profile {freelancer_id!r}")
        stored = self.engine.store.freelancers.get(freelancer_id)
        changes: list[SkillChange] = []
        update = {k: v for k, v in vars(edit).items() if v is not None and k != "skills"}
        if edit.skills is not None:
            update["skills"], changes = normalise_typed(self.engine.normaliser, edit.skills)
        with in_words("profile"):
            edited = stored.with_edits(update)
        return ProfileSaved(self.engine.save_freelancer(edited), changes)

    def apply_to_job(self, job_id: str, cover_letter: str, *, bid: Bid | None = None) -> Proposal:
        """Apply to an open job as the freelancer this user is (one proposal per job).

        Only a user bound to a freelancer applies, and only as that freelancer; the cover
        letter must not be empty (the person writes or edits it; nothing is sent for them).
        """
        me = self.who.freelancer_id
        if self.who.role != "freelancer" or not me:
            raise PermissionDeniedError("only a signed-in freelancer applies to a job, as themself")
        letter = cover_letter.strip()
        if not letter:
            raise ValidationError("write a cover letter (or keep the drafted one) to apply")
        try:
            proposal = Proposal(
                id=f"prop-{uuid.uuid4().hex[:12]}",
                job_id=job_id,
                freelancer_id=me,
                created_at=datetime.now(UTC),
                cover_letter=letter,
                bid=bid,
                source="organic",
            )
        except pydantic.ValidationError as exc:
            raise ValidationError(f"cover letter: {exc.errors()[0]['msg']}") from None
        return self.submit_proposal(proposal)

    def my_proposals(self) -> list[ProposalStatus]:
        """The proposals of the freelancer this user is, newest first, with their status."""
        me = self.who.freelancer_id
        if not me:
            return []
        decide(self.who, Action.PROFILE_WRITE, owns=True, what="these proposals")
        proposals = self.engine.store.proposals.where(freelancer_id=me)
        proposals.sort(key=lambda p: (p.created_at, p.id), reverse=True)
        jobs = self.engine.store.jobs.get_many(p.job_id for p in proposals)
        return [self._status(p, jobs.get(p.job_id)) for p in proposals]

    def _status(self, proposal: Proposal, job: Job | None) -> ProposalStatus:
        events = self.engine.store.events.where(
            job_id=proposal.job_id, freelancer_id=proposal.freelancer_id
        )
        seen = {e.type for e in events}
        for kind, label in STATUS_ORDER:
            if kind in seen:
                return ProposalStatus(proposal, job, kind, label)
        if job is None or job.status != "open":
            return ProposalStatus(proposal, job, "closed", "The job is closed")
        return ProposalStatus(proposal, job, "sent", "Sent: waiting for the client")
