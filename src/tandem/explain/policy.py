"""The reason a ranking policy gives a person it moved: what moved them, and from where.

It adds no points (contribution 0), so a result's reasons still add up to its score; the
served order is then the policy's, not the score's, and this reason is how a reader of one
result can tell. It never names the person's group: a client must not learn it from the list.
"""

from __future__ import annotations

from tandem.domain import Reason
from tandem.domain.results import FAIRNESS_REASON


def moved_by_fairness(by_score: int, served: int, method: str) -> Reason:
    """The reason of a person the fair re-ranking moved from ``by_score`` to ``served``."""
    way = "up" if served < by_score else "down"
    return Reason(
        code=FAIRNESS_REASON,
        text=f"Moved {way} by the fairness policy: position {served}, {by_score} by score",
        kind="neutral",
        contribution=0.0,
        evidence=[
            f"fair re-ranking ({method}): every top of this list holds each group close to "
            "its share of the candidates; the score is unchanged",
            f"position by score: {by_score}",
        ],
    )


def moved_by_newcomer_policy(
    by_score: int, served: int, before: int, *, lifted: bool, after_fairness: bool
) -> Reason:
    """The reason of a person the newcomer exposure step moved from ``before`` to ``served``.

    ``lifted``: the person is a newcomer the step lifted (else someone a lift displaced).
    ``after_fairness``: the fairness policy had moved them first (to ``before``); the one
    reason then says both, so a reader sees where the score put them.
    """
    way = "up" if served < before else "down"
    where = f"position {served}, " + (
        f"{before} after the fairness policy, {by_score} by score"
        if after_fairness
        else f"{by_score} by score"
    )
    why = (
        "newcomer exposure: people without a track record whose score clears this list's "
        "relevance floor get a share of the top's attention over time"
        if lifted
        else "newcomer exposure lifted a newcomer above this place"
    )
    return Reason(
        code=FAIRNESS_REASON,
        text=f"Moved {way} by the newcomer policy: {where}",
        kind="neutral",
        contribution=0.0,
        evidence=[f"{why}; the score is unchanged", f"position by score: {by_score}"],
    )
