"""Auditing: fairness counts over rankings, computed where the protected attributes live.

The attributes are read here and only aggregates leave: an audit returns counts and rates per
group, never an id tied to a group (see :mod:`tandem.fairness.audit`).
"""

from __future__ import annotations

from collections.abc import Sequence

from tandem.engine.fairness import group_of
from tandem.engine.learning import LearningLayer
from tandem.fairness import RankingAudit, audit_rankings


class AuditingLayer(LearningLayer):
    """Fairness audits of served or batch rankings."""

    def audit_rankings(
        self, rankings: Sequence[Sequence[str]], *, attribute: str, top_k: int
    ) -> RankingAudit:
        """Selection rates and impact ratios per group of ``attribute`` over ``rankings``.

        Ids that are not (or no longer) in the store count as unknown, as do people who did
        not disclose the attribute.
        """
        ids = {i for ranking in rankings for i in ranking}
        people = self.store.freelancers.get_many(ids)
        groups = {i: group_of(p, attribute) for i, p in people.items()}
        return audit_rankings(rankings, sensitive_features=groups, top_k=top_k, attribute=attribute)
