"""The transparent heuristic scorer: a weighted sum of feature-family scores.

It serves until a learned ranker is trained and promoted. The weights are
plain numbers a person can read and argue with. Each family's contribution is
``weight * (family score - its neutral value)`` and the baseline is the sum of
``weight * neutral``: explanations add up to the score exactly, and a family
that helps shows plus points while one that hurts shows minus points, the same
reading a learned model's contributions have (the sign never contradicts the
reason's verdict).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from tandem.rank.base import BASELINE, MatchFeatures, Scored

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

#: Each family's neutral value: what it scores when nothing is known either way (unknown
#: rate, experience, hours or time zone; a newcomer's prior; half the skills; a profile
#: "partly related"). Languages can only cost: speaking what is asked, or listing no language
#: at all (unknown), is the neutral case.
NEUTRAL: Final[dict[str, float]] = {
    "skills": 0.5,
    "semantic": 0.33,
    "rate": 0.6,
    "experience": 0.6,
    "availability": 0.6,
    "record": 0.6 * 0.85 + 0.4 * 0.88,
    "language": 1.0,
    "timezone": 0.6,
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
        return self.score_many([features])[0]

    def score_many(self, features: Sequence[MatchFeatures]) -> list[Scored]:
        """See :class:`tandem.rank.base.Ranker`.

        The baseline (the same for every pair) is summed once per call, not once per pair;
        each sum runs in the weights' order as before, so every float is the same.
        """
        weighted = [(k, w, NEUTRAL[k]) for k, w in self.weights.items()]
        baseline = sum([w * neutral for _, w, neutral in weighted])
        out = []
        for f in features:
            families = f.family_scores()
            contributions = {k: w * (families[k] - neutral) for k, w, neutral in weighted}
            contributions[BASELINE] = baseline
            out.append(Scored(sum([w * families[k] for k, w, _ in weighted]), contributions))
        return out
