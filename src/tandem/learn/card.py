"""The ranking card of one model version: what it learned from, how it did, what it cannot do.

A card is written from the registry's record of the run (``meta.json``), so it says what was
measured when the model was gated, not what someone remembers. Per-group numbers are not in
the registry (attributes never reach training): the engine adds them from the rankings the
version served (see :meth:`tandem.engine.auditing.AuditingLayer.model_card`).

Known limits are derived from the record (a small holdout, a failed gate) and joined to the
limits every learned ranker here shares (it learns clients' past choices).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tandem.learn.train import MIN_GROUPS
from tandem.rank.vector import FAMILY_OF

#: Limits that hold for every learned ranker, whatever its run.
SHARED_LIMITS: tuple[str, ...] = (
    "It learns from clients' past shortlists, interviews and hires: where those decisions "
    "were biased, the model learns the bias, through proxies such as rating, job count and "
    "job success, even though protected attributes are never among its features.",
    "Its metrics are NDCG@10 against past outcomes, not against what an unbiased client "
    "would have decided; a model can score well by reproducing a biased history.",
    "People without a track record are scored from a prior (an average freelancer); the "
    "card's per-group numbers show how newcomers fare in what it served.",
)


def card_limits(meta: dict[str, Any], erased_on: datetime | None = None) -> list[str]:
    """The limits this run's record shows, then the shared ones.

    ``erased_on``: when someone this version was trained on was erased (the engine knows,
    the registry's record does not); such a version still carries that person's influence.
    """
    limits: list[str] = []
    if erased_on is not None:
        limits.append(
            f"Predates an erasure ({erased_on:%Y-%m-%d}): it was trained on the data of a "
            "person erased since, and still carries their influence. Retrain without them "
            "('tandem train'); serving it again takes an operator's explicit yes."
        )
    holdout = int((meta.get("groups") or {}).get("holdout", 0))
    if holdout < MIN_GROUPS:
        limits.append(
            f"Gated on {holdout} holdout jobs (fewer than {MIN_GROUPS}): its holdout metrics "
            "are noisy."
        )
    if meta.get("gate_passed") is False:
        limits.append("It did not pass the offline gate: " + str(meta.get("gate", "")))
    if meta.get("status") == "retired":
        limits.append("It is retired: a later model serves its task.")
    return limits + list(SHARED_LIMITS)


def ranking_card(meta: dict[str, Any], *, erased_on: datetime | None = None) -> dict[str, Any]:
    """The card's fixed part from a registry record (per-group numbers are added later).

    ``erased_on``: see :func:`card_limits`.
    """
    features = [str(f) for f in meta.get("features", [])]
    families: dict[str, list[str]] = {}
    for f in features:
        families.setdefault(FAMILY_OF.get(f, "other"), []).append(f)
    return {
        "version": meta.get("version"),
        "task": meta.get("task", "applicants"),
        "status": meta.get("status", "candidate"),
        "created_at": meta.get("created_at"),
        "training": {
            "cutoff": meta.get("cutoff"),
            "windows": meta.get("windows", {}),
            "jobs": meta.get("groups", {}),
            "rows": meta.get("rows"),
        },
        "features": families,
        "attributes_used": False,
        "metrics": meta.get("metrics", {}),
        "gate": {
            "passed": meta.get("gate_passed"),
            "reason": meta.get("gate"),
            "floors": meta.get("floors", {}),
        },
        "limits": card_limits(meta, erased_on),
    }
