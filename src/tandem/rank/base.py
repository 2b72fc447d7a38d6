"""The Ranker contract: features of a (job, freelancer) pair in, a score and contributions out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from tandem.rank.features import (
    AvailabilityFit,
    ExperienceFit,
    LanguageFit,
    RateFit,
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


@dataclass(frozen=True)
class Scored:
    """A score with each family's contribution to it (they sum to the score)."""

    score: float
    contributions: dict[str, float]


class Ranker(Protocol):
    """Scores feature sets; higher is a better match."""

    name: str
    version: str

    def score(self, features: MatchFeatures) -> Scored:
        """The score of one pair, with per-family contributions."""
        ...
