"""The fairness policy as the engine applies it to rankings of people.

The policy is chosen per call (``tandem rank --fair-by``) or for every served ranking
(``TANDEM_FAIR_BY``). Groups are read from each freelancer's ``attributes`` here, in the engine,
and handed to :func:`tandem.fairness.fair_order` as bare strings: they never reach a ranker's
features, a result, a reason or the decision log (which records the policy, not the groups, and
so not the per-group offsets of ``aligned`` either: those are aggregates, recomputed from the
same store and model when a decision is replayed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple, TypeVar

from tandem.domain import Freelancer, MatchResult
from tandem.explain.policy import moved_by_fairness
from tandem.fairness import Placement, fair_order
from tandem.fairness.alignment import MIN_COUNT

#: How many past jobs' applicant lists the ``aligned`` offsets are estimated over.
REFERENCE_JOBS = 200

T = TypeVar("T")


class FairnessPolicy(NamedTuple):
    """Re-rank by ``attribute`` with ``method`` (see :mod:`tandem.fairness.policy`)."""

    attribute: str
    method: str

    def as_request(self) -> dict[str, object]:
        """What the decision log keeps of the policy: its name and parameters."""
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
                if self.method == "aligned"
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
) -> list[Placement]:
    """The policy's order of ``items`` (given in score order; ``scores`` for ``aligned``)."""
    groups = [group_of(person(i), policy.attribute) for i in items]
    return fair_order(groups, policy.method, scores=scores, offsets=offsets)


def explain_move(result: MatchResult, placement: Placement, policy: FairnessPolicy) -> MatchResult:
    """``result`` with the policy's reason added if the policy moved it."""
    if not placement.moved:
        return result
    reason = moved_by_fairness(placement.by_score, placement.served, policy.method)
    return result.model_copy(update={"reasons": [*result.reasons, reason]})
