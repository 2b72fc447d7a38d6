"""A training run: time-based windows, LambdaMART fit, held-out metrics, and the promotion gate.

Jobs with outcomes are ordered by creation time and cut into three windows:
the oldest 70 % train the model, the next 15 % early-stop it, and the newest
15 % (held out from both) decide whether it may serve. A new model is promoted
only if it beats both the serving model and the heuristic by NDCG@10 on that
held-out window; otherwise it is kept as a candidate and the reason is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from tandem.learn.dataset import Group, GroupSet
from tandem.learn.metrics import mean, ndcg_at_k
from tandem.rank.base import Ranker
from tandem.rank.learned import LambdaMartConfig, LearnedRanker

MIN_GROUPS = 30
TRAIN_SHARE, VALID_SHARE = 0.70, 0.15


@dataclass
class Windows:
    """Train, validation and held-out groups, in time order."""

    train: GroupSet
    valid: GroupSet
    holdout: GroupSet

    def bounds(self) -> dict[str, list[str]]:
        """First and last job creation time of each window (ISO)."""
        out = {}
        for name, gs in (("train", self.train), ("valid", self.valid), ("holdout", self.holdout)):
            times = [g.job.created_at for g in gs.groups]
            out[name] = [min(times).isoformat(), max(times).isoformat()] if times else []
        return out


def split_by_time(groups: GroupSet) -> Windows:
    """Cut groups into the three windows by job creation time."""
    ordered = sorted(groups.groups, key=lambda g: (g.job.created_at, g.job.id))
    n = len(ordered)
    a, b = int(n * TRAIN_SHARE), int(n * (TRAIN_SHARE + VALID_SHARE))
    return Windows(GroupSet(ordered[:a]), GroupSet(ordered[a:b]), GroupSet(ordered[b:]))


def ndcg_of(
    ranker: Ranker, groups: Sequence[Group], k: int = 10, labelled_only: bool = True
) -> float:
    """Mean NDCG@k of ``ranker`` over groups (by default over labelled candidates only)."""
    values = []
    for g in groups:
        keep = [i for i, flag in enumerate(g.labelled) if flag or not labelled_only]
        feats = [g.features[i] for i in keep]
        grades = [g.grades[i] for i in keep]
        scores = [s.score for s in ranker.score_many(feats)]
        order = np.argsort(-np.asarray(scores), kind="stable")
        values.append(ndcg_at_k([grades[i] for i in order], k))
    return mean(values)


@dataclass
class GateDecision:
    """Whether a trained model may serve, and why."""

    promote: bool
    reason: str
    metrics: dict[str, float] = field(default_factory=dict)


def gate(candidate: Ranker, rivals: dict[str, Ranker], holdout: Sequence[Group]) -> GateDecision:
    """Promote only if the candidate beats every rival by NDCG@10 on the held-out window."""
    metrics = {"candidate": ndcg_of(candidate, holdout)}
    for name, rival in rivals.items():
        metrics[name] = ndcg_of(rival, holdout)
    losers = [n for n in rivals if not metrics["candidate"] > metrics[n]]
    if losers:
        detail = ", ".join(f"{n} {metrics[n]:.4f}" for n in losers)
        return GateDecision(
            False, f"NDCG@10 {metrics['candidate']:.4f} does not beat {detail}", metrics
        )
    beaten = ", ".join(f"{n} {metrics[n]:.4f}" for n in rivals)
    return GateDecision(True, f"NDCG@10 {metrics['candidate']:.4f} beats {beaten}", metrics)


def fit(windows: Windows, config: LambdaMartConfig | None = None) -> LearnedRanker:
    """Train LambdaMART on the train window, early-stopped on the validation window."""
    return LearnedRanker.fit(windows.train.arrays(), windows.valid.arrays(), config)
