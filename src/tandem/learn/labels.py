"""Graded relevance labels from events, per (job, freelancer) pair.

Default grades (DATA_FORMAT.md), strongest event wins: hire 3, interview 2,
shortlist / message / accepted invite 1, otherwise 0 for applicants, for
candidates a client was shown, and for candidates a client declined.

Position bias: an impression is only evidence of "not relevant" if the client
plausibly looked at it. Shown-but-ignored candidates therefore become 0-labels
only when they were shown within the first ``EXAMINED_POSITIONS`` ranks; lower
impressions are left out of training rather than counted as negatives.

Safe views: an impression that Tandem served (it carries the ranking's ``request_id``) is
a 0-label only when the client *decided* something on that same ranking (shortlist,
message, invite, interview, hire or decline: the POSTs of the match cards). Opening a page,
or following a link from it (a click), is not a decision, so viewing never writes a training
label: a client who glances at a job page and leaves teaches the model nothing, and a crawler
or a colleague browsing cannot either. Impressions imported without a request id (another
system's log) keep the position rule alone: there is no ranking to tie them to.
Positive grades come from actions (shortlist, interview, hire), which are not
subject to the same bias. Nor is a decline: the client looked at that candidate and
said no, at whatever rank, so a declined pair is a 0-label (unless a stronger event
on the same pair outranks it: strongest wins). Freelancers who withheld ``consent.model_training``
never appear in the labels at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tandem.domain import Event, Proposal

GRADES = {"hire": 3, "interview": 2, "shortlist": 1, "message": 1}
EXAMINED_POSITIONS = 10
#: Events that show a client examined the ranking they name (a click does not: it is a GET).
DECISIONS = frozenset({*GRADES, "invite", "decline"})


@dataclass(frozen=True)
class Label:
    """One labelled pair and when its strongest evidence happened."""

    job_id: str
    freelancer_id: str
    grade: int
    applied: bool


def graded_labels(
    events: Iterable[Event],
    proposals: Iterable[Proposal],
    *,
    before: datetime | None = None,
    excluded: frozenset[str] | set[str] = frozenset(),
) -> dict[tuple[str, str], Label]:
    """Labels from events before ``before`` (all when None), without ``excluded`` people."""
    # in the proposals' order, not a set's: a set of strings iterates in an order that changes
    # from process to process (hash randomisation), and the labels' order is the training
    # rows' order, so a run would not be reproducible (nor a Ray run comparable to a local one)
    grade: dict[tuple[str, str], int] = dict.fromkeys(
        ((p.job_id, p.freelancer_id) for p in proposals if before is None or p.created_at < before),
        0,
    )
    applied = set(grade)
    invited: set[tuple[str, str]] = set()
    decided: set[str] = set()  # request ids of rankings a client decided something on
    shown: list[tuple[str, tuple[str, str]]] = []  # served impressions, kept until decided
    for e in events:
        if before is not None and e.ts >= before:
            continue
        if e.type in DECISIONS and e.request_id:
            decided.add(e.request_id)
        if not e.job_id or not e.freelancer_id:
            continue
        pair = (e.job_id, e.freelancer_id)
        if e.type in GRADES:
            grade[pair] = max(grade.get(pair, 0), GRADES[e.type])
        elif e.type == "invite":
            invited.add(pair)
        elif e.type == "decline":
            grade.setdefault(pair, 0)
        elif e.type == "impression" and (e.position or 1) <= EXAMINED_POSITIONS:
            if e.request_id:
                shown.append((e.request_id, pair))
            else:
                grade.setdefault(pair, 0)
    for request_id, pair in shown:
        if request_id in decided:
            grade.setdefault(pair, 0)
    for pair in invited & applied:  # an accepted invite: the freelancer answered with a proposal
        grade[pair] = max(grade[pair], 1)
    return {
        pair: Label(pair[0], pair[1], g, pair in applied)
        for pair, g in grade.items()
        if pair[1] not in excluded
    }
