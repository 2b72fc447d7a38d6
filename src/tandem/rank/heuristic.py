"""The transparent heuristic scorer: a weighted sum of feature-family scores.

It serves until a learned ranker is trained and promoted. The weights are
plain numbers a person can read and argue with; each family's contribution is
exactly ``weight * family score``, so explanations add up to the score.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from tandem.rank.base import MatchFeatures, Scored

WEIGHTS: Final[dict[str, float]] = {
    "skills": 0.34,
    "semantic": 0.20,
    "rate": 0.10,
    "experience": 0.07,
    "availability": 0.08,
    "record": 0.12,
    "language": 0.05,
    "timezone": 0.04,
}


class HeuristicRanker:
    """Weighted sum of family scores; scores lie in [0, 1]."""

    name = "heuristic"
    version = "heuristic-1"

    def __init__(self, weights: dict[str, float] | None = None) -> None:
        self.weights = dict(WEIGHTS if weights is None else weights)
        total = sum(self.weights.values())
        self.weights = {k: v / total for k, v in self.weights.items()}

    def score(self, features: MatchFeatures) -> Scored:
        """The score of one pair: a weighted sum of its family scores."""
        families = features.family_scores()
        contributions = {k: w * families[k] for k, w in self.weights.items()}
        return Scored(sum(contributions.values()), contributions)

    def score_many(self, features: Sequence[MatchFeatures]) -> list[Scored]:
        """See :class:`tandem.rank.base.Ranker`."""
        return [self.score(f) for f in features]
