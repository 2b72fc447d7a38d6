"""Fairness you can measure and act on: audits over rankings, and a fair re-ranking policy.

``audit`` counts, per group of a protected attribute, who was ranked and who reached the top
of a list (the selection rates and impact ratios of NYC Local Law 144). ``policy`` reorders a
ranked list so that every top of it holds each group close to its share of the candidates.
Both read groups as plain strings handed to them; neither imports the store.
"""

from tandem.fairness.audit import GroupRates, RankingAudit, audit_rankings
from tandem.fairness.policy import (
    FAIR_METHODS,
    FairMethod,
    Placement,
    fair_order,
)

__all__ = [
    "FAIR_METHODS",
    "FairMethod",
    "GroupRates",
    "Placement",
    "RankingAudit",
    "audit_rankings",
    "fair_order",
]
