"""Offline evaluation of rankers on jobs after a cutoff, against baselines measured in the same run.

For each evaluated job (created at or after the cutoff, with at least one
positive outcome), every method ranks the job's applicants (NDCG@10 on graded
outcomes, MRR of the hire) and retrieves from all freelancers (Recall@100 of
the hire). Methods: random, BM25 only, embeddings only, the heuristic scorer
and the learned rankers: the applicant model ranks applicants, the discovery
model (no application signals, as served) retrieves.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

from tandem.domain import Freelancer, Job, Proposal
from tandem.learn.labels import Label
from tandem.learn.metrics import mean, ndcg_at_k, recall_at_k, reciprocal_rank
from tandem.rank.base import MatchFeatures, Ranker
from tandem.rank.matcher import Matcher
from tandem.search import dense_hits
from tandem.search.hybrid import lexical_hits

RECALL_K = 100
METHODS = ("random", "bm25", "embeddings", "heuristic", "learned")


@dataclass
class MethodScores:
    """Per-job metric values of one method."""

    ndcg: list[float] = field(default_factory=list)
    mrr: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        """Means over jobs."""
        return {"ndcg@10": mean(self.ndcg), "mrr": mean(self.mrr), "recall@100": mean(self.recall)}


@dataclass
class EvalContext:
    """What evaluation needs from the engine."""

    matcher: Matcher
    freelancers: dict[str, Freelancer]
    proposals: dict[str, dict[str, Proposal]]
    heuristic: Ranker
    learned: Ranker
    discovery: Ranker
    seed: int = 0


def _order(scores: Sequence[float], ids: Sequence[str]) -> list[str]:
    pairs = sorted(zip(scores, ids, strict=True), key=lambda p: (-p[0], p[1]))
    return [i for _, i in pairs]


def _applicant_scores(
    method: str,
    feats: list[MatchFeatures],
    ids: list[str],
    bm25: dict[str, float],
    ctx: EvalContext,
    rng: random.Random,
) -> list[float]:
    if method == "random":
        return [rng.random() for _ in ids]
    if method == "bm25":
        return [bm25.get(i, -1.0) for i in ids]
    if method == "embeddings":
        return [f.semantic_cosine for f in feats]
    ranker = ctx.heuristic if method == "heuristic" else ctx.learned
    return [s.score for s in ranker.score_many(feats)]


def _retrieve(method: str, job: Job, ctx: EvalContext, rng: random.Random) -> list[str]:
    m = ctx.matcher
    view = m.view(job)
    mask = m.talent.live
    if method == "random":
        return rng.sample(sorted(ctx.freelancers), min(RECALL_K, len(ctx.freelancers)))
    if method == "bm25":
        query = f"{job.title} {' '.join(view.skills)}"
        found = lexical_hits(m.talent, query, mask, RECALL_K)
        return m.talent.ids.strings([h.label for h in found])
    if method == "embeddings":
        hits = dense_hits(m.talent, view.vector, mask, RECALL_K)
        return m.talent.ids.strings([h.label for h in hits])
    applicants = ctx.proposals.get(job.id, {})
    pool = list(dict.fromkeys([*m.talent_pool(view), *applicants]))
    people = [ctx.freelancers[i] for i in pool if i in ctx.freelancers]
    ranker = ctx.heuristic if method == "heuristic" else ctx.discovery
    feats = m.feature_rows(view, people, None)  # discovery, as served: no applications
    scores = [s.score for s in ranker.score_many(feats)]
    return _order(scores, [p.id for p in people])[:RECALL_K]


def evaluate(
    ctx: EvalContext,
    jobs: Sequence[Job],
    labels: dict[tuple[str, str], Label],
    progress: Callable[[int], None] | None = None,
) -> tuple[dict[str, dict[str, float]], int]:
    """Metrics per method over ``jobs``; returns (table, number of jobs evaluated)."""
    rng = random.Random(ctx.seed)
    scores = {name: MethodScores() for name in METHODS}
    evaluated = 0
    for job in jobs:
        applicants = ctx.proposals.get(job.id, {})
        ids = [i for i in sorted(applicants) if i in ctx.freelancers]
        grades = [labels[(job.id, i)].grade if (job.id, i) in labels else 0 for i in ids]
        if not ids or max(grades) == 0:
            continue
        evaluated += 1
        hired = {i for i, g in zip(ids, grades, strict=True) if g == 3}
        view = ctx.matcher.view(job)
        feats = ctx.matcher.feature_rows(view, [ctx.freelancers[i] for i in ids], applicants)
        query = f"{job.title} {' '.join(view.skills)}"
        talent = ctx.matcher.talent
        found = talent.lexical.search(query, max(talent.count(), 1))
        names = talent.ids.strings([h.label for h in found])  # the ids read together
        bm25 = {name: h.score for name, h in zip(names, found, strict=True)}
        grade_of = dict(zip(ids, grades, strict=True))
        for method in METHODS:
            order = _order(_applicant_scores(method, feats, ids, bm25, ctx, rng), ids)
            scores[method].ndcg.append(ndcg_at_k([grade_of[i] for i in order], 10))
            if hired:
                scores[method].mrr.append(reciprocal_rank([i in hired for i in order]))
                retrieved = _retrieve(method, job, ctx, rng)
                scores[method].recall.append(recall_at_k(retrieved, hired, RECALL_K))
        if progress:
            progress(1)
    return {name: s.summary() for name, s in scores.items()}, evaluated


def evaluation_jobs(jobs: Sequence[Job], cutoff: datetime) -> list[Job]:
    """Jobs created at or after the cutoff, oldest first."""
    return sorted((j for j in jobs if j.created_at >= cutoff), key=lambda j: (j.created_at, j.id))


def as_array(table: dict[str, dict[str, float]]) -> npt.NDArray[np.float64]:
    """The table as a methods x metrics array (for tests and benches)."""
    return np.asarray([[table[m][k] for k in ("ndcg@10", "mrr", "recall@100")] for m in METHODS])
