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
from tandem.domain.results import JobResult, MatchResult, RankedItem, Reason

__all__ = [
    "Bid",
    "Budget",
    "Client",
    "Consent",
    "Event",
    "Freelancer",
    "Job",
    "JobResult",
    "Language",
    "MatchResult",
    "PortfolioItem",
    "Proposal",
    "RankedItem",
    "Reason",
    "Record",
]
