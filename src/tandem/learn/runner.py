"""One training run end to end: labels -> groups -> windows -> fit -> gate -> registry, per task.

A run trains one model per task (:data:`tandem.rank.vector.TASKS`) on the same
labels and the same time windows (cut by job), gates each on the task it would
serve, and promotes each on its own: a run can improve applicant triage and leave
discovery to the heuristic, or the other way round.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from tandem.domain import Freelancer, Job, Proposal
from tandem.errors import ValidationError
from tandem.learn.dataset import (
    FeatureAsk,
    FeatureRows,
    Group,
    GroupSet,
    build_groups,
    matcher_rows,
    pool_groups,
)
from tandem.learn.labels import Label, graded_labels
from tandem.learn.train import MIN_GROUPS, GateDecision, Windows, fit, gate, split_by_time
from tandem.rank.base import MatchFeatures, Ranker
from tandem.rank.learned import LambdaMartConfig, LearnedRanker
from tandem.rank.matcher import Matcher
from tandem.rank.models import ModelInfo, ModelRegistry
from tandem.rank.vector import TASKS, Task
from tandem.store import Store

#: ``(stage, advance, total)``, called as a run goes: on a real market a run takes minutes,
#: and ``tandem train`` shows each stage with its count instead of saying nothing.
Progress = Callable[[str, int, int], None]


def _quiet(stage: str, advance: int, total: int) -> None:
    """No progress wanted."""


def counted(rows: FeatureRows, progress: Progress, stage: str) -> FeatureRows:
    """``rows`` reporting one step of ``stage`` per group as its feature rows arrive."""

    def run(asks: list[FeatureAsk]) -> Iterator[list[MatchFeatures]]:
        progress(stage, 0, len(asks))
        for group_rows in rows(asks):
            progress(stage, 1, len(asks))
            yield group_rows

    return run


@dataclass
class TrainingData:
    """Everything a run reads from the store, loaded once."""

    jobs: list[Job]
    freelancers: dict[str, Freelancer]
    proposals: dict[str, dict[str, Proposal]]
    excluded: set[str] = field(default_factory=set)


def load_training_data(store: Store, cutoff: datetime | None = None) -> TrainingData:
    """Jobs (created before ``cutoff``), every freelancer, proposals by job, non-consenting ids."""
    freelancers = {f.id: f for f in store.freelancers.iter_all()}
    excluded = {f.id for f in freelancers.values() if f.consent and not f.consent.model_training}
    jobs = [j for j in store.jobs.iter_all() if cutoff is None or j.created_at < cutoff]
    proposals: dict[str, dict[str, Proposal]] = {}
    for p in store.proposals.iter_all():
        proposals.setdefault(p.job_id, {})[p.freelancer_id] = p
    return TrainingData(jobs, freelancers, proposals, excluded)


@dataclass
class TaskRun:
    """What a run did for one task."""

    model: ModelInfo
    decision: GateDecision
    windows: dict[str, list[str]]
    groups: dict[str, int]
    #: Whose records the model was fitted or gated on (``freelancer:ID``, ``client:ID``):
    #: the registry of which models used whose data (erasure, subject access).
    people: set[str] = field(default_factory=set)


@dataclass
class TrainingOutcome:
    """What a run did, task by task."""

    runs: dict[Task, TaskRun]


def training_labels(
    store: Store, data: TrainingData, cutoff: datetime | None
) -> dict[tuple[str, str], Label]:
    """Graded labels from events before ``cutoff``, consent respected."""
    proposals = [p for by_f in data.proposals.values() for p in by_f.values()]
    return graded_labels(store.events.iter_all(), proposals, before=cutoff, excluded=data.excluded)


def labelled_groups(
    store: Store,
    matcher: Matcher,
    data: TrainingData,
    cutoff: datetime | None,
    seed: int,
    task: Task = "applicants",
) -> GroupSet:
    """Ranking groups of ``task`` from events before ``cutoff``, consent respected."""
    labels = training_labels(store, data, cutoff)
    return build_groups(
        matcher,
        data.jobs,
        labels,
        consenting(data),
        data.proposals,
        excluded=data.excluded,
        task=task,
        seed=seed,
    )


def consenting(data: TrainingData) -> dict[str, Freelancer]:
    """Freelancers whose data may be used for training."""
    return {k: v for k, v in data.freelancers.items() if k not in data.excluded}


def train_run(
    store: Store,
    matcher: Matcher,
    registry: ModelRegistry,
    rivals: dict[Task, dict[str, Ranker]],
    *,
    cutoff: datetime | None = None,
    config: LambdaMartConfig | None = None,
    auto_promote: bool = True,
    heuristic: Ranker | None = None,
    rows: FeatureRows | None = None,
    progress: Progress | None = None,
) -> TrainingOutcome:
    """Train each task's model on outcomes before ``cutoff``, gate it, register, maybe promote.

    ``rows``: where the groups' feature rows are computed (default: ``matcher``, here; see
    :mod:`tandem.learn.dataset`); the groups, and so the fitted models, are the same.
    ``progress`` hears each stage of each task: its feature rows (per job), the fit (per
    boosting round), the held-out pools (discovery, per job) and the gate (per ranker).
    """
    cfg = config or LambdaMartConfig()
    tick = progress or _quiet
    data = load_training_data(store, cutoff)
    labels = training_labels(store, data, cutoff)
    people = consenting(data)
    compute = rows or matcher_rows(matcher, data.freelancers, data.proposals)
    runs: dict[Task, TaskRun] = {}
    for task in TASKS:
        groups = build_groups(
            matcher,
            data.jobs,
            labels,
            people,
            data.proposals,
            excluded=data.excluded,
            task=task,
            seed=cfg.seed,
            rows=counted(compute, tick, f"{task}: feature rows"),
        )
        if len(groups.groups) < MIN_GROUPS:
            raise ValidationError(
                f"too few labels to train: {len(groups.groups)} jobs have outcomes, "
                f"{MIN_GROUPS} are needed; the heuristic scorer keeps serving"
            )
        windows = split_by_time(groups)
        # Discovery starts from the heuristic: its labels come from applicants and shown
        # people only, so where history is silent the transparent scorer still decides.
        model = _fit_told(windows, cfg, task, heuristic if task == "discovery" else None, tick)
        holdout = windows.holdout.groups
        if task == "discovery":
            pools = counted(compute, tick, f"{task}: held-out pools")
            holdout = pool_groups(matcher, [g.job for g in holdout], labels, people, pools).groups
        gating = partial(tick, f"{task}: gating")
        decision = gate(model, rivals.get(task, {}), holdout, task=task, measured_one=gating)
        runs[task] = _register(registry, model, decision, windows, cutoff, cfg, auto_promote)
        runs[task].people = people_in([*windows.train.groups, *windows.valid.groups, *holdout])
    return TrainingOutcome(runs)


def _fit_told(
    windows: Windows, cfg: LambdaMartConfig, task: Task, prior: Ranker | None, tick: Progress
) -> LearnedRanker:
    """:func:`fit`, telling each boosting round of at most ``max_rounds``, then how many ran.

    Early stopping usually ends it well before ``max_rounds``: the last word sets the
    stage's total to the rounds that ran, so the stage ends where it says.
    """
    stage, ran = f"{task}: boosting rounds", 0

    def one_round() -> None:
        nonlocal ran
        ran += 1
        tick(stage, 1, cfg.max_rounds)

    tick(stage, 0, cfg.max_rounds)
    model = fit(windows, cfg, task, prior, one_round)
    tick(stage, 0, ran)
    return model


def people_in(groups: Iterable[Group]) -> set[str]:
    """Everyone whose records ``groups`` hold: each candidate, and each job's client."""
    found: set[str] = set()
    for group in groups:
        found.update(f"freelancer:{f}" for f in group.freelancer_ids)
        if group.job.client_id:
            found.add(f"client:{group.job.client_id}")
    return found


def _register(
    registry: ModelRegistry,
    model: LearnedRanker,
    decision: GateDecision,
    windows: Windows,
    cutoff: datetime | None,
    cfg: LambdaMartConfig,
    auto_promote: bool,
) -> TaskRun:
    sizes = {
        "train": len(windows.train.groups),
        "valid": len(windows.valid.groups),
        "holdout": len(windows.holdout.groups),
    }
    meta: dict[str, Any] = {
        "windows": windows.bounds(),
        "groups": sizes,
        "rows": windows.train.rows,
        "metrics": {f"ndcg@10/{k}": v for k, v in decision.metrics.items()},
        "floors": decision.floors,
        "gate": decision.reason,
        "gate_passed": decision.promote,
        "cutoff": cutoff.isoformat() if cutoff else None,
        "config": cfg.model_dump(),
        "best_iteration": int(model.booster.best_iteration or 0),
    }
    info = registry.add(model, meta)
    if decision.promote and auto_promote:
        registry.promote(
            info.version, by="tandem train", reason=f"passed the gate: {decision.reason}"
        )
        info = registry.get(info.version)
    return TaskRun(info, decision, windows.bounds(), sizes)
