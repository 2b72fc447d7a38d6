"""A training run: time-based windows, LambdaMART fit, held-out metrics, and the promotion gate.

Jobs with outcomes are ordered by creation time and cut into three windows:
the oldest 70 % train the model, the next 15 % early-stop it, and the newest
15 % (held out from both) decide whether it may serve. A new model is promoted
only if it beats both the serving model and the heuristic on that held-out
window, on the task it would serve; otherwise it is kept as a candidate and the
reason is given.

- **applicants**: NDCG@10 over each job's labelled candidates (its applicants and
  the people its client examined).
- **discovery**: NDCG@10 over each job's whole pool, as served (nobody's
  application visible), plus two floors against the heuristic: Recall@100 of the
  people clients went on to act on, and the mean skill coverage of the top 10
  (a model may learn from history that track records sell, but it may not fill
  the first page with people who lack the job's skills).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from tandem.learn.dataset import Group, GroupSet
from tandem.learn.metrics import mean, ndcg_at_k
from tandem.rank.base import Ranker
from tandem.rank.learned import LambdaMartConfig, LearnedRanker, Prior
from tandem.rank.vector import Task

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


#: Cut-offs of the discovery gate's floors.
RECALL_K, COVERAGE_K = 100, 10


@dataclass(frozen=True)
class GroupMetrics:
    """One ranker's held-out metrics, averaged over groups."""

    ndcg: float
    recall: float
    coverage: float


def _orders(ranker: Ranker, g: Group, keep: list[int]) -> list[int]:
    scores = [s.score for s in ranker.score_many([g.features[i] for i in keep])]
    return [keep[i] for i in np.argsort(-np.asarray(scores), kind="stable")]


def metrics_of(
    ranker: Ranker, groups: Sequence[Group], k: int = 10, labelled_only: bool = True
) -> GroupMetrics:
    """NDCG@k, Recall@100 of positive grades, and mean skill coverage of the top k."""
    ndcgs: list[float] = []
    recalls: list[float] = []
    coverages: list[float] = []
    for g in groups:
        keep = [i for i, flag in enumerate(g.labelled) if flag or not labelled_only]
        order = _orders(ranker, g, keep)
        ndcgs.append(ndcg_at_k([g.grades[i] for i in order], k))
        positives = sum(1 for i in keep if g.grades[i] > 0)
        if positives:
            found = sum(1 for i in order[:RECALL_K] if g.grades[i] > 0)
            recalls.append(found / positives)
        coverages.extend(g.features[i].skills.score for i in order[:COVERAGE_K])
    return GroupMetrics(mean(ndcgs), mean(recalls), mean(coverages))


def ndcg_of(
    ranker: Ranker, groups: Sequence[Group], k: int = 10, labelled_only: bool = True
) -> float:
    """Mean NDCG@k of ``ranker`` over groups (by default over labelled candidates only)."""
    return metrics_of(ranker, groups, k, labelled_only).ndcg


@dataclass
class GateDecision:
    """Whether a trained model may serve its task, and why.

    ``metrics`` is NDCG@10 by ranker (``candidate``, ``heuristic``, ``serving``);
    ``floors`` holds the discovery floors' values by metric, then by ranker.
    """

    promote: bool
    reason: str
    metrics: dict[str, float] = field(default_factory=dict)
    task: Task = "applicants"
    floors: dict[str, dict[str, float]] = field(default_factory=dict)


def gate(
    candidate: Ranker,
    rivals: dict[str, Ranker],
    holdout: Sequence[Group],
    *,
    task: Task = "applicants",
    measured_one: Callable[[int, int], None] | None = None,
) -> GateDecision:
    """Promote only if the candidate beats every rival on ``task`` on the held-out window.

    ``holdout`` holds applicant groups (labelled candidates) for ``applicants`` and
    whole-pool groups (:func:`tandem.learn.dataset.pool_groups`) for ``discovery``.
    ``measured_one(1, rankers)`` is called as each ranker's metrics are done (progress).
    """
    whole_pool = task == "discovery"
    rankers = {"candidate": candidate, **rivals}
    measured: dict[str, GroupMetrics] = {}
    for name, ranker in rankers.items():
        measured[name] = metrics_of(ranker, holdout, labelled_only=not whole_pool)
        if measured_one is not None:
            measured_one(1, len(rankers))
    metrics = {name: m.ndcg for name, m in measured.items()}
    floors: dict[str, dict[str, float]] = {}
    if whole_pool:
        floors = {
            f"recall@{RECALL_K}": {n: m.recall for n, m in measured.items()},
            f"skill_coverage@{COVERAGE_K}": {n: m.coverage for n, m in measured.items()},
        }
    failures = [f"{n} {metrics[n]:.4f}" for n in rivals if not metrics["candidate"] > metrics[n]]
    what = "NDCG@10" + (" (whole pool)" if whole_pool else "")
    if failures:
        reason = f"{what} {metrics['candidate']:.4f} does not beat {', '.join(failures)}"
        return GateDecision(False, reason, metrics, task, floors)
    below = [
        f"{name} {values['candidate']:.4f} is below the heuristic's {values['heuristic']:.4f}"
        for name, values in floors.items()
        if "heuristic" in values and values["candidate"] < values["heuristic"] - 1e-9
    ]
    if below:
        return GateDecision(False, "; ".join(below), metrics, task, floors)
    beaten = ", ".join(f"{n} {metrics[n]:.4f}" for n in rivals)
    reason = f"{what} {metrics['candidate']:.4f} beats {beaten}"
    if floors:
        reason += (
            "; floors held ("
            + ", ".join(f"{name} {values['candidate']:.4f}" for name, values in floors.items())
            + ")"
        )
    return GateDecision(True, reason, metrics, task, floors)


def fit(
    windows: Windows,
    config: LambdaMartConfig | None = None,
    task: Task = "applicants",
    prior: Ranker | None = None,
    each_round: Callable[[], None] | None = None,
) -> LearnedRanker:
    """Train LambdaMART on the train window, early-stopped on the validation window.

    With ``prior``, the model starts from that ranker's score (see
    :class:`tandem.rank.learned.Prior`), scaled on the train window. ``each_round``: called
    after each boosting round.
    """
    start = None
    if prior is not None:
        unit = Prior.unit(prior, [g.features for g in windows.train.groups])

        def scores(gs: GroupSet) -> npt.NDArray[np.float64]:
            feats = [f for g in gs.groups for f in g.features]
            return np.asarray([s.score for s in unit.scores(feats)], dtype=np.float64)

        start = (unit, scores(windows.train), scores(windows.valid))
    return LearnedRanker.fit(
        windows.train.arrays(task),
        windows.valid.arrays(task),
        config,
        task=task,
        prior=start,
        each_round=each_round,
    )
