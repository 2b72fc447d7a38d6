"""Domain models: the vocabulary every other package speaks."""

from tandem.domain.models import (
    Bid,
    Budget,
    Client,
    Consent,
    Event,
    Freelancer,
    Job,
    Language,
    PortfolioItem,
    Proposal,
    Record,
)
from tandem.domain.results import (
    Decision,
    JobRanking,
    JobResult,
    MatchRanking,
    MatchResult,
    RankedItem,
    Reason,
    ServedItem,
)

__all__ = [
    "Bid",
    "Budget",
    "Client",
    "Consent",
    "Decision",
    "Event",
    "Freelancer",
    "Job",
    "JobRanking",
    "JobResult",
    "Language",
    "MatchRanking",
    "MatchResult",
    "PortfolioItem",
    "Proposal",
    "RankedItem",
    "Reason",
    "ServedItem",
    "Record",
]
