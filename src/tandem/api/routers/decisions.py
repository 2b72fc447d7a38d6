"""The decision log and the feedback events tied to it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from tandem.api.deps import UserDep
from tandem.domain import Decision, Event
from tandem.domain.models import EventPosting

router = APIRouter(prefix="/api", tags=["decisions"])


@router.get("/decisions/{request_id}", response_model=Decision)
def get_decision(user: UserDep, request_id: str) -> Decision:
    """A served ranking as it was logged: candidates, scores, reasons, model version."""
    return user.decision(request_id)


@router.get("/decisions/{request_id}/why/{freelancer_id}")
def why(user: UserDep, request_id: str, freelancer_id: str) -> dict[str, Any]:
    """Replay one logged result and compare it with what today's model would do."""
    return user.why(request_id, freelancer_id)


@router.get("/decisions/{request_id}/compare")
def compare(
    user: UserDep,
    request_id: str,
    a: Annotated[str, Query(max_length=200, description="A candidate the ranking showed.")],
    b: Annotated[str, Query(max_length=200, description="Another candidate it showed.")],
) -> dict[str, Any]:
    """Why one of two candidates of a logged match ranking is above the other.

    Both sides' reasons, paired by code, with the points each adds (the gaps add up to the
    score gap), and a one-sentence answer. From the decision log: what was served.
    """
    return user.compare_candidates(request_id, a, b)


@router.post("/events", response_model=Event, status_code=status.HTTP_201_CREATED)
def record_event(user: UserDep, event: EventPosting) -> Event:
    """Record an impression, click or outcome; a ``request_id`` must name a served ranking.

    A client records outcomes on its own jobs only; impressions and clicks need a request id
    that was served to the caller. The event's actor is the caller, whatever the body says,
    and its ``ts`` is the time the server records it unless the caller is an operator
    (``ts`` may be left out: it is then the time of the post, for operators too).
    A decision on a candidate (shortlist, message, invite, interview, hire, decline) follows
    the match cards' rule: it needs the ``request_id`` of the ranking that showed the
    candidate (422 without; its position is that ranking's), and a closed job takes none
    (409). An impression or click names only the ranking's job or person and one of its
    results, at the ``position`` the ranking logged for it and on the ``surface`` of its kind
    (``match``, ``proposals`` for applicants, ``search``): left out, both are filled in from
    the log; another is 422, operators included. A client's review needs a hire of that
    freelancer on that job (422). An event is recorded once and never replaced: an ``id``
    already stored answers the stored event when the post is the same event again (a
    retry), 409 when it is another one. History without rankings comes in through
    ``POST /api/imports``.
    """
    return user.post_event(event)
