"""Query and requester types, and the constants the engine's layers share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal, TypeVar

from tandem.domain import Freelancer, Job
from tandem.domain.fields import text_fault
from tandem.domain.models import country_code
from tandem.domain.results import Task
from tandem.domain.zones import DEFAULT_MAX_HOURS_APART
from tandem.errors import ValidationError
from tandem.text.pii import redact
from tandem.text.spaces import bounded_spaces

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

    def country_code(self) -> str | None:
        """The country filter as a record's ``country`` is written (``None``: no filter).

        The one check every face's search goes through (API, CLI, web, companion): a value
        no record can have ("USA") is refused (422) instead of finding nobody.
        """
        if not self.country:
            return None
        try:
            return country_code(self.country)
        except ValueError as exc:
            raise ValidationError(str(exc), field="country") from None


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


def filtered(q: TalentQuery | JobQuery) -> bool:
    """Whether ``q`` narrows its search by more than words (skills, rate, budget, ...)."""
    if isinstance(q, TalentQuery):
        narrowing: tuple[object, ...] = (q.max_rate, q.country, q.min_job_success, q.overlap_with)
        return bool(q.skills or q.available or any(x is not None for x in narrowing))
    return bool(q.skills or any(x is not None for x in (q.min_budget, q.budget_type, q.category)))


#: The fields a search's words are looked for in (the index documents of
#: :mod:`tandem.search.documents`), as the empty-search hint names them.
SEARCHED_FIELDS = {
    "profile": "title, skills, overview or portfolio",
    "job post": "title, skills, category or description",
}


def nothing_found_hint(q: TalentQuery | JobQuery) -> str:
    """What to try when ``q`` found nothing, in words a person reads under the empty list.

    A search finds a record only if the record's searched text has a word of it or is close
    to it in meaning (:func:`tandem.search.hybrid.hybrid_page`, ``words_required``). So a
    search without filters that finds nothing had none of its words in any record's searched
    fields: often because it is in another language than the records ("Übersetzer" where
    profiles say "translator"), or because it names a person, and names are never searched
    (:func:`tandem.search.documents.freelancer_document` indexes no name: trial 16 was told
    "no profile has any of these words" for "Jose Martinez", whose profile exists). The hint
    names the fields searched, so it holds either way; the engine does not guess the
    query's language.
    """
    what = "profile" if isinstance(q, TalentQuery) else "job post"
    fields = SEARCHED_FIELDS[what]
    text = q.text.strip()
    if not text:
        return f"No {what} passes these filters: try fewer of them."
    words = f"No {what} matches '{text}'"
    if filtered(q):
        return (
            f"{words} with these filters. Try fewer filters, or other words (a skill, a tool, "
            f"a role), in the language the {what}s are written in."
        )
    return (
        f"{words}: no {what}'s {fields} has any of these words or anything close in meaning"
        f"{' (names are not searched)' if what == 'profile' else ''}. The {what}s may be "
        "written in another language than your search: try the words they would use (a skill, "
        "a tool, a role)."
    )


def at_the_door(q: Q) -> Q:
    """``q`` with contact details typed into its words or skills redacted.

    Searches go through this first, in the engine, so no face and no later step (the search,
    the decision log, a replay) ever holds an email or phone number someone typed into a
    search box: only "[email]" / "[phone]" are kept, with the same redaction as indexed text.
    """
    _plain_words(q)
    text = bounded_spaces(redact(q.text))  # blank runs cost the readers quadratic time
    return replace(q, text=text, skills=[redact(s) for s in q.skills])


def _plain_words(q: TalentQuery | JobQuery) -> None:
    """Refuse (422) a search whose words hold what no stored text may (:func:`text_fault`).

    The words are searched and logged with the decision: a NUL answered 500 on PostgreSQL.
    """
    category = q.category if isinstance(q, JobQuery) else None
    given = [("q", q.text), *(("skill", s) for s in q.skills), ("category", category or "")]
    for name, value in given:
        fault = text_fault(value, one_line=name != "q")
        if fault is not None:
            raise ValidationError(f"{name}: {fault}", field=name)
