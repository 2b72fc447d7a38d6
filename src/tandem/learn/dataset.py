"""Training examples: per job, the labelled candidates (and a few unlabelled negatives) as features.

A job becomes a ranking group with its applicants and examined impressions
(graded by :mod:`tandem.learn.labels`) plus ``negatives`` freelancers the
retriever would have proposed but who never interacted (grade 0), so the model
also learns to rank talent that did not apply. Groups without any positive
grade teach LambdaMART nothing and are dropped.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from tandem.domain import Freelancer, Job, Proposal
from tandem.learn.labels import Label
from tandem.rank.base import MatchFeatures
from tandem.rank.matcher import Matcher
from tandem.rank.vector import to_matrix


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

    def arrays(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], list[int]]:
        """Stacked features, grades, and the size of each group."""
        feats = [f for g in self.groups for f in g.features]
        grades = np.asarray([y for g in self.groups for y in g.grades], dtype=np.int64)
        return to_matrix(feats), grades, [len(g.grades) for g in self.groups]

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
    negatives: int = 8,
    seed: int = 0,
) -> GroupSet:
    """Ranking groups for ``jobs`` (only those with at least one positive grade)."""
    by_job: dict[str, list[Label]] = {}
    for label in labels.values():
        by_job.setdefault(label.job_id, []).append(label)
    rng = random.Random(seed)
    out = GroupSet()
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
                for fid in matcher.talent_pool(view, size=60)
                if fid not in set(ids) and fid not in excluded and fid in freelancers
            ]
            extra = rng.sample(pool, min(negatives, len(pool)))
            ids += extra
            grades += [0] * len(extra)
            labelled += [False] * len(extra)
        people = [freelancers[i] for i in ids]
        feats = matcher.feature_rows(view, people, proposals.get(job.id, {}))
        out.groups.append(Group(job, ids, feats, grades, labelled))
    return out
