"""Rankers by name; Tandem's own go through the same registry a plugin would."""

from __future__ import annotations

from collections.abc import Callable

from tandem.errors import ConfigurationError
from tandem.rank.base import Ranker
from tandem.rank.heuristic import HeuristicRanker

RANKERS: dict[str, Callable[[], Ranker]] = {"heuristic": HeuristicRanker}


def create_ranker(name: str) -> Ranker:
    """A ranker by registered name."""
    if name not in RANKERS:
        raise ConfigurationError(f"unknown ranker {name!r}; known: {sorted(RANKERS)}")
    return RANKERS[name]()
