"""Where a posted impression or click happened: the position and surface its ranking logged.

An impression's position becomes a training label (``tandem.learn.labels``: shown within the
first 10 and not chosen is a 0), so a position the body makes up ("#7" for the first result,
"#99" of ten) teaches the model something that never happened. The decision log already
says where each result stood and which kind of ranking showed it; a posted view is held to
that: its position is the one logged for the result it names (filled in when left out) and
its surface agrees with the ranking's kind. History from before any ranking has no log entry
to be held to, and comes in through an import (``tandem.bundle.importer``), which this does
not touch.
"""

from __future__ import annotations

from tandem.domain import Decision, Event
from tandem.engine.types import EventSurface
from tandem.errors import ValidationError
from tandem.text.articles import with_article

#: Each kind of ranking, as a person would say it.
KINDS = {
    "match": "a job's matches",
    "recommend": "jobs recommended to a person",
    "search_talent": "a talent search",
    "search_jobs": "a job search",
}


def ranking_surface(decision: Decision) -> EventSurface:
    """The surface a ranking of this kind is shown on.

    A job's matches on ``match`` (its applicants, ``candidates=proposals``, on ``proposals``),
    a person's recommended jobs on ``match`` too (the same pairing, seen from their side), a
    talent or job search on ``search``.
    """
    if decision.kind == "match":
        return "proposals" if decision.request.get("candidates") == "proposals" else "match"
    return "match" if decision.kind == "recommend" else "search"


def surfaces_of(decision: Decision) -> tuple[EventSurface, ...]:
    """What surface a view of ``decision`` may name: its kind's, or the companion that served it."""
    own = ranking_surface(decision)
    return (own, "companion") if decision.surface == "companion" else (own,)


def result_named(event: Event, decision: Decision) -> str | None:
    """The result an impression or click is of: the person of a ranking of people, else the job."""
    return event.freelancer_id if decision.kind in ("match", "search_talent") else event.job_id


def placed(event: Event, decision: Decision) -> Event:
    """``event`` with the position and surface ``decision`` logged for its result (422 if not).

    The result must be one the ranking showed; a position left out is the logged one, a
    different one is refused; a surface left out is the ranking's, one of another kind of
    ranking is refused.
    """
    what, rid = with_article(event.type), decision.request_id
    named = result_named(event, decision)
    field = "freelancer_id" if decision.kind in ("match", "search_talent") else "job_id"
    rank = next((r.rank for r in decision.results if named and r.id == named), None)
    if rank is None:
        raise ValidationError(
            f"{what} is of one result of ranking {rid!r}: its {field} must be one the ranking "
            f"showed ({len(decision.results)} results)",
            field=field,
        )
    if event.position is not None and event.position != rank:
        raise ValidationError(
            f"{what} of {named!r} on ranking {rid!r} is at position {rank}, where the ranking "
            f"showed them, not {event.position} (leave position out to have it filled in)",
            field="position",
        )
    allowed = surfaces_of(decision)
    if event.surface is not None and event.surface not in allowed:
        shown = "a job's applicants" if allowed[0] == "proposals" else KINDS[decision.kind]
        raise ValidationError(
            f"{what} on ranking {rid!r} ({shown}) is on surface "
            + " or ".join(repr(s) for s in allowed)
            + f", not {event.surface!r} (leave surface out to have it filled in)",
            field="surface",
        )
    return event.model_copy(update={"position": rank, "surface": event.surface or allowed[0]})
