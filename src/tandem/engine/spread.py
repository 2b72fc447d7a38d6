"""Work the engine hands to an executor's workers: scoring batch rankings, training features.

Each recipe carries the engine's settings, never an engine: a worker (a Ray actor, perhaps on
another host that shares the home and its database) opens an engine on the same home once and
only reads from it. What depends on order or writes stays with the caller, in the items'
order: the fairness tally and the newcomer carry (they steer a list by the lists served
before it), the decision log (a hash chain) and the seeded draw of training negatives.

Here and on a worker, the same function runs (:func:`score_jobs`, :func:`feature_rows`): the
local executor calls it on the caller's engine, the Ray one on the worker's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tandem.engine.queries import QueriesLayer, Scored
from tandem.engine.types import CandidateSource
from tandem.errors import TandemError
from tandem.learn.dataset import FeatureAsk
from tandem.rank.base import MatchFeatures
from tandem.settings import Settings

if TYPE_CHECKING:
    from tandem.engine.facade import Engine

#: A job's scored list, or why it has none (raised again in its turn, as the local run would).
ScoredOrError = Scored | TandemError


def _open(settings: Settings) -> Engine:
    """An engine on the caller's home, for reading (the facade imports this module's layer)."""
    from tandem.engine.facade import Engine

    return Engine(settings)


def score_jobs(
    engine: QueriesLayer, job_ids: list[str], candidates: CandidateSource
) -> list[ScoredOrError]:
    """Each job's considered ids and scored list (no policy applied, nothing logged)."""
    out: list[ScoredOrError] = []
    for job_id in job_ids:
        try:
            out.append(engine.scored_list(job_id, candidates))
        except TandemError as exc:  # an unknown id is one line of the output, not the end
            out.append(exc)
    return out


def feature_rows(engine: QueriesLayer, asks: list[FeatureAsk]) -> list[list[MatchFeatures]]:
    """Each group's feature rows, from the engine's matcher and store (see learn.dataset)."""
    matcher = engine.matcher
    out = []
    for ask in asks:
        people = engine.freelancers(ask.freelancer_ids)
        applied = (
            {p.freelancer_id: p for p in engine.store.proposals.where(job_id=ask.job.id)}
            if ask.applied
            else None
        )
        view = matcher.view(ask.job)
        out.append(matcher.feature_rows(view, [people[i] for i in ask.freelancer_ids], applied))
    return out


@dataclass(frozen=True)
class ScoreJobs:
    """Score jobs' lists on a worker: :func:`score_jobs` on an engine opened there."""

    settings: Settings
    candidates: CandidateSource

    def load(self) -> Callable[[list[str]], list[ScoredOrError]]:
        """Open the engine once; the function scores a batch of job ids."""
        engine = _open(self.settings)
        return lambda job_ids: score_jobs(engine, job_ids, self.candidates)


@dataclass(frozen=True)
class BuildRows:
    """Build training feature rows on a worker: :func:`feature_rows` on an engine opened there."""

    settings: Settings

    def load(self) -> Callable[[list[FeatureAsk]], list[list[MatchFeatures]]]:
        """Open the engine once; the function builds a batch of groups' rows."""
        engine = _open(self.settings)
        return lambda asks: feature_rows(engine, asks)
