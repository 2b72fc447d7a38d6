"""The fairness policy as the engine applies it to rankings of people.

The policy is chosen per call (``tandem rank --fair-by``) or for every served ranking
(``TANDEM_FAIR_BY``). Groups are read from each freelancer's ``attributes`` here, in the engine,
and handed to :func:`tandem.fairness.fair_order` as bare strings: they never reach a ranker's
features, a result, a reason or the decision log (which records the policy, not the groups).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple, TypeVar

from tandem.domain import Freelancer, MatchResult
from tandem.explain.policy import moved_by_fairness
from tandem.fairness import Placement, fair_order

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
        }


def group_of(person: Freelancer, attribute: str) -> str | None:
    """The person's group for ``attribute`` (``None``: not disclosed)."""
    value = (person.attributes or {}).get(attribute)
    return value if value else None


def fair_placements(
    items: Sequence[T], person: Callable[[T], Freelancer], policy: FairnessPolicy
) -> list[Placement]:
    """The policy's order of ``items`` (given in score order)."""
    return fair_order([group_of(person(i), policy.attribute) for i in items], policy.method)


def explain_move(result: MatchResult, placement: Placement, policy: FairnessPolicy) -> MatchResult:
    """``result`` with the policy's reason added if the policy moved it."""
    if not placement.moved:
        return result
    reason = moved_by_fairness(placement.by_score, placement.served, policy.method)
    return result.model_copy(update={"reasons": [*result.reasons, reason]})
