"""The Ranker contract: features of a (job, freelancer) pair in, a score and contributions out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from tandem.rank.features import (
    AvailabilityFit,
    ExperienceFit,
    LanguageFit,
    PastOutcomes,
    ProposalSignals,
    RateFit,
    RequirementFit,
    SkillCoverage,
    TimezoneFit,
    TrackRecord,
)


@dataclass(frozen=True)
class MatchFeatures:
    """Every feature family for one (job, freelancer) pair."""

    skills: SkillCoverage
    semantic_cosine: float
    semantic: float
    rate: RateFit
    experience: ExperienceFit
    availability: AvailabilityFit
    record: TrackRecord
    language: LanguageFit
    timezone: TimezoneFit
    proposal: ProposalSignals = ProposalSignals()
    past: PastOutcomes = PastOutcomes()
    requirements: RequirementFit = RequirementFit()

    def family_scores(self) -> dict[str, float]:
        """Each family's score in [0, 1], by family name."""
        return {
            "skills": self.skills.score,
            "semantic": self.semantic,
            "rate": self.rate.score,
            "experience": self.experience.score,
            "availability": self.availability.score,
            "record": self.record.score,
            "language": self.language.score,
            "timezone": self.timezone.score,
        }


#: The contribution every pair shares: a learned model's expected score (0 for the heuristic).
BASELINE = "baseline"


@dataclass(frozen=True)
class Scored:
    """A score with each family's contribution to it (they sum to the score)."""

    score: float
    contributions: dict[str, float]


class Ranker(Protocol):
    """Scores feature sets; higher is a better match."""

    name: str
    version: str

    def score_many(self, features: Sequence[MatchFeatures]) -> list[Scored]:
        """Scores of many pairs, each with per-family contributions."""
        ...
