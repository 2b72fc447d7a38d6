"""Training examples: per job, the labelled candidates (and some unlabelled negatives) as features.

A job becomes a ranking group with its applicants and examined impressions
(graded by :mod:`tandem.learn.labels`) plus freelancers the retriever would have
proposed but who never interacted (grade 0). Groups without any positive grade
teach LambdaMART nothing and are dropped.

The two tasks build their groups differently. **Applicants**: features include
the application (bid, cover letter, invitation); a few negatives from the top of
the retrieval pool. **Discovery**: features are computed as if nobody had
applied, and only people a client considered (applicants and examined
impressions) are in a group: grading retrieved strangers 0 would teach the model
what applicants look like (available, in the right category), not whom clients
pick. The discovery model starts from the heuristic's score instead
(:class:`tandem.rank.learned.Prior`), which keeps weak matches down where
history is silent. For the promotion gate, :func:`pool_groups` scores a held-out
job's whole pool.

Building a group has two parts. Choosing its rows (labels, the seeded draw of negatives) is
done here, job after job, since the draw depends on the order. Computing their feature rows
(the costly part) depends on each group alone: it goes through :data:`FeatureRows`, by
default this process's matcher, or an executor's workers (``tandem train --executor ray``),
which return the same rows in the same order.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from tandem.domain import Freelancer, Job, Proposal
from tandem.learn.labels import Label
from tandem.rank.base import MatchFeatures
from tandem.rank.matcher import CANDIDATE_POOL, Matcher
from tandem.rank.vector import TASK_COLUMNS, Task, to_matrix

#: Unlabelled negatives per group, and the top of the retrieval pool they come from
#: (measured, seed 11, hashing encoder: 24 pool negatives for discovery gave a model whose
#: top 10 covered 0.39 of the job's skills against the heuristic's 0.59; none plus the prior:
#: 0.34-0.36, with true-fit NDCG@10 0.71 against 0.32. Both fail the coverage floor there.)
NEGATIVES: dict[Task, tuple[int, int]] = {
    "applicants": (8, 60),
    "discovery": (0, CANDIDATE_POOL),
}


@dataclass(frozen=True)
class FeatureAsk:
    """One group's feature rows to compute: its job, its people, with applications or not."""

    job: Job
    freelancer_ids: tuple[str, ...]
    #: ``applicants``: each person's application is a feature; ``discovery``: as if nobody applied.
    applied: bool


#: Feature rows for each ask, in order (one :class:`MatchFeatures` per freelancer id). They
#: may stream (an executor's results as they come), so a run can report each group's rows.
FeatureRows = Callable[[list[FeatureAsk]], Iterable[list[MatchFeatures]]]


def matcher_rows(
    matcher: Matcher,
    freelancers: Mapping[str, Freelancer],
    proposals: Mapping[str, dict[str, Proposal]],
) -> FeatureRows:
    """Feature rows from ``matcher`` in this process, over records already loaded."""

    def rows(asks: list[FeatureAsk]) -> list[list[MatchFeatures]]:
        return [
            matcher.feature_rows(
                matcher.view(ask.job),
                [freelancers[i] for i in ask.freelancer_ids],
                proposals.get(ask.job.id, {}) if ask.applied else None,
            )
            for ask in asks
        ]

    return rows


@dataclass
class Group:
    """One job's candidates with their features and grades."""

    job: Job
    freelancer_ids: list[str]
    features: list[MatchFeatures]
    grades: list[int]
    labelled: list[bool]


@dataclass
class GroupSet:
    """Ranking groups, convertible to LightGBM's ``(X, y, group sizes)``."""

    groups: list[Group] = field(default_factory=list)

    def arrays(
        self, task: Task = "applicants"
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], list[int]]:
        """Stacked features (the task's columns), grades, and the size of each group."""
        feats = [f for g in self.groups for f in g.features]
        grades = np.asarray([y for g in self.groups for y in g.grades], dtype=np.int64)
        return to_matrix(feats, TASK_COLUMNS[task]), grades, [len(g.grades) for g in self.groups]

    @property
    def rows(self) -> int:
        """Number of (job, freelancer) rows."""
        return sum(len(g.grades) for g in self.groups)


def build_groups(
    matcher: Matcher,
    jobs: Sequence[Job],
    labels: Mapping[tuple[str, str], Label],
    freelancers: Mapping[str, Freelancer],
    proposals: Mapping[str, dict[str, Proposal]],
    *,
    excluded: set[str],
    task: Task = "applicants",
    seed: int = 0,
    rows: FeatureRows | None = None,
) -> GroupSet:
    """Ranking groups of ``task`` for ``jobs`` (only those with at least one positive grade).

    ``rows``: where the feature rows are computed (default: ``matcher``, here).
    """
    negatives, depth = NEGATIVES[task]
    by_job: dict[str, list[Label]] = {}
    for label in labels.values():
        by_job.setdefault(label.job_id, []).append(label)
    rng = random.Random(seed)
    chosen: list[tuple[Job, list[str], list[int], list[bool]]] = []
    for job in jobs:
        job_labels = [lab for lab in by_job.get(job.id, []) if lab.freelancer_id in freelancers]
        if not any(lab.grade > 0 for lab in job_labels):
            continue
        view = matcher.view(job)
        ids = [lab.freelancer_id for lab in job_labels]
        grades = [lab.grade for lab in job_labels]
        labelled = [True] * len(ids)
        if negatives:
            pool = [
                fid
                for fid in matcher.talent_pool(view, size=depth)
                if fid not in set(ids) and fid not in excluded and fid in freelancers
            ]
            extra = rng.sample(pool, min(negatives, len(pool)))
            ids += extra
            grades += [0] * len(extra)
            labelled += [False] * len(extra)
        chosen.append((job, ids, grades, labelled))
    compute = rows or matcher_rows(matcher, freelancers, proposals)
    asks = [FeatureAsk(job, tuple(ids), task == "applicants") for job, ids, _, _ in chosen]
    feats = compute(asks) if asks else []
    return GroupSet(
        [
            Group(job, ids, rows_, grades, labelled)
            for (job, ids, grades, labelled), rows_ in zip(chosen, feats, strict=True)
        ]
    )


def pool_groups(
    matcher: Matcher,
    jobs: Sequence[Job],
    labels: Mapping[tuple[str, str], Label],
    freelancers: Mapping[str, Freelancer],
    rows: FeatureRows | None = None,
) -> GroupSet:
    """Discovery as served: each job's whole pool (retrieved + labelled), nobody's application.

    Everyone in a pool counts as examined (``labelled`` is all true): people nobody acted
    on grade 0, so a ranker is scored on whether it puts the people clients went on to
    shortlist, interview or hire above everyone else it could have shown. ``rows``: where
    the feature rows are computed (default: ``matcher``, here).
    """
    by_job: dict[str, dict[str, int]] = {}
    for label in labels.values():
        by_job.setdefault(label.job_id, {})[label.freelancer_id] = label.grade
    chosen: list[tuple[Job, list[str], list[int]]] = []
    for job in jobs:
        graded = by_job.get(job.id, {})
        view = matcher.view(job)
        ids = [i for i in dict.fromkeys([*matcher.talent_pool(view), *graded]) if i in freelancers]
        grades = [graded.get(i, 0) for i in ids]
        if any(grades):
            chosen.append((job, ids, grades))
    compute = rows or matcher_rows(matcher, freelancers, {})
    asks = [FeatureAsk(job, tuple(ids), False) for job, ids, _ in chosen]
    feats = compute(asks) if asks else []
    return GroupSet(
        [
            Group(job, ids, rows_, grades, [True] * len(ids))
            for (job, ids, grades), rows_ in zip(chosen, feats, strict=True)
        ]
    )
