"""Query and requester types, and the constants the engine's layers share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal, TypeVar

from tandem.domain import Freelancer, Job
from tandem.domain.results import Task
from tandem.domain.zones import DEFAULT_MAX_HOURS_APART
from tandem.text.pii import redact

Progress = Callable[[str, int, int], None]
CandidateSource = Literal["all", "proposals"]
#: Which learned task serves each candidate source: all talent is discovery.
TASK_OF: dict[CandidateSource, Task] = {"all": "discovery", "proposals": "applicants"}
DecisionKind = Literal["match", "recommend", "search_talent", "search_jobs"]
EventSurface = Literal["search", "match", "proposals", "companion"]
#: Candidate ids kept per logged decision (enough to replay a match).
MAX_LOGGED_CANDIDATES = 2000
#: How deep one served ranking goes: ``top`` (offset + limit of a page) is at most this.
MAX_TOP = 1000
#: Events a client records about a candidate of its job (a decline is an outcome too: a label).
OUTCOME_EVENTS = frozenset(
    {"hire", "interview", "shortlist", "message", "invite", "decline", "review"}
)


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
    #: Only people whose clocks are within ``max_hours_apart`` of this zone (IANA or "CET").
    overlap_with: str | None = None
    max_hours_apart: float = DEFAULT_MAX_HOURS_APART
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


Q = TypeVar("Q", TalentQuery, JobQuery)


def at_the_door(q: Q) -> Q:
    """``q`` with contact details typed into its words or skills redacted.

    Searches go through this first, in the engine, so no face and no later step (the search,
    the decision log, a replay) ever holds an email or phone number someone typed into a
    search box: only "[email]" / "[phone]" are kept, with the same redaction as indexed text.
    """
    return replace(q, text=redact(q.text), skills=[redact(s) for s in q.skills])
