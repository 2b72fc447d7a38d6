"""What the companion may do for one identity: the part of :class:`UserView` it talks through.

The companion reads jobs, profiles, pair features and logged rankings, and keeps its
sessions, only through these methods, so the access table holds for it as for every other
face: a client's companion sees its own jobs' applicants and nobody else's, a freelancer's
companion sees other people's profiles only as their public projection, and a session is
written only by the user who opened it. The text tools (skill reader, taxonomy, language
model) read no records and are handed through as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from tandem.access import Action, Identity, decide, profile_for
from tandem.domain import Freelancer, JobResult
from tandem.domain.fields import STORED
from tandem.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from tandem.engine.acting import Surface, UserView
    from tandem.engine.facade import Engine
    from tandem.engine.types import Requester
    from tandem.llm import ChatBackend
    from tandem.rank.base import MatchFeatures
    from tandem.skills import Normaliser, PhraseExtractor, Taxonomy
    from tandem.skills.reader import SkillReader
    from tandem.store.conversations import Conversation, Message

#: The kinds of record whose ids the companion may look for in what someone says.
IdKind = Literal["jobs", "freelancers", "clients"]
_READ_TO_KNOW: dict[str, Action] = {
    "jobs": Action.JOBS_READ,
    "freelancers": Action.PROFILES_READ,
    "clients": Action.JOBS_READ,  # a job post names its client
}


class CompanionActs:
    """The companion's part of :class:`UserView` (mixed in; see the module docstring)."""

    engine: Engine
    who: Identity
    requester: Requester

    def through(self, surface: Surface) -> UserView:
        """The same identity acting through another surface (what the decision log records)."""
        from tandem.engine.acting import UserView

        return UserView(self.engine, self.who, surface)

    # text tools: no records, no rules ----------------------------------------------------
    @property
    def reader(self) -> SkillReader:
        """The skill reader (skills named in free text)."""
        return self.engine.reader

    @property
    def extractor(self) -> PhraseExtractor:
        """Skill phrases in text."""
        return self.engine.extractor

    @property
    def taxonomy(self) -> Taxonomy:
        """The skill taxonomy."""
        return self.engine.taxonomy

    @property
    def normaliser(self) -> Normaliser:
        """Skill names to the taxonomy's."""
        return self.engine.normaliser

    @property
    def llm(self) -> ChatBackend | None:
        """The optional language model for wording (``None``: none configured)."""
        return self.engine.llm

    # records, as this identity may see them ------------------------------------------------
    def person(self, freelancer_id: str) -> Freelancer:
        """A profile as this identity may see it (public unless the person or an operator)."""
        decide(self.who, Action.PROFILES_READ)
        return _as_seen(self.who, self.engine.store.freelancers.get(freelancer_id))

    def people(self, ids: Iterable[str]) -> dict[str, Freelancer]:
        """Several profiles as this identity may see them (unknown ids are left out)."""
        decide(self.who, Action.PROFILES_READ)
        return {i: _as_seen(self.who, f) for i, f in self.engine.freelancers(ids).items()}

    def known_ids(self, kind: IdKind, ids: list[str]) -> set[str]:
        """Which of ``ids`` name a record of ``kind`` (public knowledge to a signed-in user)."""
        decide(self.who, _READ_TO_KNOW[kind])
        return set(getattr(self.engine.store, kind).exists(ids)) if ids else set()

    def pair_features(self, job_id: str, freelancer_id: str) -> MatchFeatures:
        """How one person fits one job: for the job's client, the person, operators."""
        job = self.engine.store.jobs.get(job_id)
        owns = self.who.owns_client(job.client_id) or self.who.is_freelancer(freelancer_id)
        decide(self.who, Action.PAIR_FIT, owns=owns, what=f"job {job_id!r} and {freelancer_id!r}")
        return self.engine.pair_features(job_id, freelancer_id)

    def recommend(self, freelancer_id: str, *, top: int = 10) -> list[JobResult]:
        """Jobs ranked for a freelancer, unlogged (what tips are computed from)."""
        owns = self.who.is_freelancer(freelancer_id)
        decide(self.who, Action.RECOMMENDATIONS, owns=owns, what=f"profile {freelancer_id!r}")
        return self.engine.recommend(freelancer_id, top=top)

    # companion sessions --------------------------------------------------------------------
    def companion_context(
        self, job_id: str | None, freelancer_id: str | None, client_id: str | None
    ) -> tuple[str | None, str | None, str | None]:
        """Where a session may be opened: a client's own job, a freelancer's own profile.

        A client's sessions act for its client id and a freelancer's for its own profile,
        whatever the request names; an operator's name a job's client when it names none.
        """
        if self.who.role == "client":
            client_id = self.who.client_id
        if self.who.role == "freelancer":
            if freelancer_id not in (None, self.who.freelancer_id):
                decide(self.who, Action.COMPANION_OPEN, what=f"profile {freelancer_id!r}")
            freelancer_id, client_id = self.who.freelancer_id, None
        owns = self.who.role in ("client", "freelancer")
        if job_id is not None:
            job = self.engine.store.jobs.get(job_id)
            owns = self.who.owns_client(job.client_id) or self.who.role == "freelancer"
            if self.who.role != "freelancer":
                client_id = client_id or job.client_id
        decide(self.who, Action.COMPANION_OPEN, owns=owns, what=f"job {job_id!r}")
        if client_id is not None and not self.engine.store.clients.exists([client_id]):
            raise ValidationError(f"client_id {client_id!r} is not in the store")
        if freelancer_id is not None:
            self.engine.store.freelancers.get(freelancer_id)
        return job_id, freelancer_id, client_id

    def open_companion_session(self, state: dict[str, Any], opening: str) -> Conversation:
        """Store a new session of this identity, opened by the assistant's ``opening``."""
        decide(self.who, Action.COMPANION_OPEN, owns=self.who.role in ("client", "freelancer"))
        return self.engine.store.conversations.create(self.who.user_id, state, opening)

    def companion_session(
        self, session_id: str, *, say: bool = False
    ) -> tuple[Conversation, list[Message]]:
        """A companion session and its messages: one's own (operators may read any).

        ``say``: the session is to be spoken in (one's own only; no messages are read).
        """
        conversations = self.engine.store.conversations
        try:
            conv = conversations.get(session_id)
        except NotFoundError:
            conv = None
        owns = conv is not None and conv.actor == self.who.user_id
        action = Action.COMPANION_SAY if say else Action.COMPANION_READ
        decide(self.who, action, owns=owns, what=f"companion session {session_id!r}")
        if conv is None:
            raise NotFoundError(f"no companion session {session_id!r}")
        return conv, ([] if say else conversations.messages(session_id))

    def latest_companion_session(self, job_id: str) -> tuple[Conversation, list[Message]] | None:
        """One's own most recent session about ``job_id`` and its messages (None: none yet)."""
        conv = self.engine.store.conversations.latest_about_job(self.who.user_id, job_id)
        if conv is None:
            return None
        return self.companion_session(conv.id)

    def append_companion_turn(
        self,
        conv: Conversation,
        messages: list[tuple[str, str, dict[str, Any]]],
        state: dict[str, Any],
    ) -> list[Message]:
        """Store messages and the new state in one's own session (a conflict if it moved)."""
        owns = conv.actor == self.who.user_id
        decide(self.who, Action.COMPANION_SAY, owns=owns, what=f"companion session {conv.id!r}")
        return self.engine.store.conversations.append(conv, messages, state)


def _as_seen(who: Identity, f: Freelancer) -> Freelancer:
    """``f`` whole for the person and operators; its public projection for everyone else."""
    # a stored record, projected: read as stored, so a rule added since cannot refuse it
    return Freelancer.model_validate(profile_for(who, f), context=STORED)
