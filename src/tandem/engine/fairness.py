"""The fairness policy as the engine applies it to rankings of people.

The policy is chosen per call (``tandem rank --fair-by``) or for every served ranking
(``TANDEM_FAIR_BY``). Groups are read from each freelancer's ``attributes`` here, in the engine,
and handed to :func:`tandem.fairness.fair_order` as bare strings: they never reach a ranker's
features, a result, a reason or the decision log (which records the policy, not the groups, and
so not the per-group offsets of ``aligned`` and ``amortised`` either, nor ``amortised``'s tally:
those are aggregates, recomputed from the same store, model and log entries when a decision is
replayed; the log records which entries the tally was counted over, ``tally_through``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple, TypeVar

from tandem.domain import Freelancer, MatchResult
from tandem.explain.policy import moved_by_fairness
from tandem.fairness import Placement, fair_order
from tandem.fairness.alignment import MIN_COUNT
from tandem.fairness.tally import CUTS, MIN_SHARE, TARGET

#: How many past jobs' applicant lists the ``aligned`` offsets are estimated over.
REFERENCE_JOBS = 200
#: How many recent rankings served under the same ``amortised`` policy its tally pools.
TALLY_LISTS = 200

T = TypeVar("T")


class FairnessPolicy(NamedTuple):
    """Re-rank by ``attribute`` with ``method`` (see :mod:`tandem.fairness.policy`).

    ``tally_through``: for ``amortised``, the last decision-log entry its tally was counted
    over (set once a list was ranked with it; a replay counts the same entries again).
    """

    attribute: str
    method: str
    tally_through: int | None = None

    def tallies(self) -> bool:
        """Whether this policy steers by a tally of the rankings it served before."""
        return self.method == "amortised"

    def serves_like(self, request: object) -> bool:
        """Whether a logged request's fairness entry is this policy (the tally pools those)."""
        if not isinstance(request, dict):
            return False
        logged = request.get("fairness")
        return (
            isinstance(logged, dict)
            and logged.get("attribute") == self.attribute
            and logged.get("method") == self.method
        )

    def as_request(self) -> dict[str, object]:
        """What the decision log keeps of the policy: its name, parameters and tally window.

        The tally's entries appear once a list was ranked with one (``tally_through`` set):
        talent search keeps no tally, and there ``amortised`` is ``aligned``.
        """
        return {
            "policy": "fair re-ranking",
            "attribute": self.attribute,
            "method": self.method,
            "target": "each group's share of the list's candidates whose attribute is known, "
            "in every top of the list",
            "unknown": "kept in place",
            **(
                {
                    "alignment": "before the bounds, each group's scores are shifted by the mean "
                    f"gap the serving model puts between it and the rest of a list, over the "
                    f"applicants of the {REFERENCE_JOBS} most recent jobs with two or more "
                    "applicants (groups seen fewer than "
                    f"{MIN_COUNT} times there: no shift); the scores served are unchanged"
                }
                if self.method in ("aligned", "amortised")
                else {}
            ),
            **(
                {
                    "tally": f"a leftover slot in the top {' and top '.join(map(str, CUTS))} "
                    "goes first to a group whose selection rate, pooled over the "
                    f"{TALLY_LISTS} most recent rankings served under this policy for the "
                    f"same task, is below {TARGET:g} of the best group's (groups under "
                    f"{MIN_SHARE:.0%} of the candidates do not set the best); no outcome is "
                    "read",
                    "tally_through": self.tally_through,
                }
                if self.tallies() and self.tally_through is not None
                else {}
            ),
        }


def group_of(person: Freelancer, attribute: str) -> str | None:
    """The person's group for ``attribute`` (``None``: not disclosed)."""
    value = (person.attributes or {}).get(attribute)
    return value if value else None


def fair_placements(
    items: Sequence[T],
    person: Callable[[T], Freelancer],
    policy: FairnessPolicy,
    *,
    scores: Sequence[float] | None = None,
    offsets: Mapping[str, float] | None = None,
    behind: Mapping[int, Sequence[str]] | None = None,
) -> list[Placement]:
    """The policy's order of ``items`` (given in score order; ``scores`` for ``aligned``)."""
    groups = [group_of(person(i), policy.attribute) for i in items]
    return fair_order(groups, policy.method, scores=scores, offsets=offsets, behind=behind)


def explain_move(result: MatchResult, placement: Placement, policy: FairnessPolicy) -> MatchResult:
    """``result`` with the policy's reason added if the policy moved it."""
    if not placement.moved:
        return result
    reason = moved_by_fairness(placement.by_score, placement.served, policy.method)
    return result.model_copy(update={"reasons": [*result.reasons, reason]})
