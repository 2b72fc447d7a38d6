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
