"""One training run end to end: labels -> groups -> windows -> fit -> gate -> registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tandem.domain import Freelancer, Job, Proposal
from tandem.errors import ValidationError
from tandem.learn.dataset import GroupSet, build_groups
from tandem.learn.labels import graded_labels
from tandem.learn.train import MIN_GROUPS, GateDecision, Windows, fit, gate, split_by_time
from tandem.rank.base import Ranker
from tandem.rank.learned import LambdaMartConfig
from tandem.rank.matcher import Matcher
from tandem.rank.models import ModelInfo, ModelRegistry
from tandem.store import Store


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
class TrainingOutcome:
    """What a run did."""

    model: ModelInfo
    decision: GateDecision
    windows: dict[str, list[str]]
    groups: dict[str, int]


def labelled_groups(
    store: Store, matcher: Matcher, data: TrainingData, cutoff: datetime | None, seed: int
) -> GroupSet:
    """Ranking groups from events before ``cutoff``, consent respected."""
    proposals = [p for by_f in data.proposals.values() for p in by_f.values()]
    labels = graded_labels(
        store.events.iter_all(), proposals, before=cutoff, excluded=data.excluded
    )
    people = {k: v for k, v in data.freelancers.items() if k not in data.excluded}
    return build_groups(
        matcher, data.jobs, labels, people, data.proposals, excluded=data.excluded, seed=seed
    )


def train_run(
    store: Store,
    matcher: Matcher,
    registry: ModelRegistry,
    rivals: dict[str, Ranker],
    *,
    cutoff: datetime | None = None,
    config: LambdaMartConfig | None = None,
    auto_promote: bool = True,
) -> TrainingOutcome:
    """Train on outcomes before ``cutoff``, gate against ``rivals``, register, maybe promote."""
    cfg = config or LambdaMartConfig()
    data = load_training_data(store, cutoff)
    groups = labelled_groups(store, matcher, data, cutoff, cfg.seed)
    if len(groups.groups) < MIN_GROUPS:
        raise ValidationError(
            f"too few labels to train: {len(groups.groups)} jobs have outcomes, "
            f"{MIN_GROUPS} are needed; the heuristic scorer keeps serving"
        )
    windows: Windows = split_by_time(groups)
    model = fit(windows, cfg)
    decision = gate(model, rivals, windows.holdout.groups)
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
        "gate": decision.reason,
        "cutoff": cutoff.isoformat() if cutoff else None,
        "config": cfg.model_dump(),
        "best_iteration": int(model.booster.best_iteration or 0),
    }
    info = registry.add(model, meta)
    if decision.promote and auto_promote:
        registry.promote(info.version)
        info = registry.get(info.version)
    return TrainingOutcome(info, decision, windows.bounds(), sizes)
