"""Ranking: feature families, the Ranker contract, the heuristic scorer."""

from tandem.rank.base import MatchFeatures, Ranker, Scored
from tandem.rank.heuristic import WEIGHTS, HeuristicRanker
from tandem.rank.registry import RANKERS, create_ranker

__all__ = [
    "RANKERS",
    "WEIGHTS",
    "HeuristicRanker",
    "MatchFeatures",
    "Ranker",
    "Scored",
    "create_ranker",
]
