"""The newcomer exposure policy as the engine applies it, and where its carried deficit lives.

The policy itself is pure (:mod:`tandem.fairness.newcomers`); what it needs from outside is
one number per ranking task, the attention still owed to newcomers, carried from ranking to
ranking. Where that number lives depends on who asks:

- **a batch** (``tandem rank --newcomers SHARE``): in the run, starting at 0, so a run
  is deterministic in the order of its job ids and never touches what serving owes;
- **served rankings** (``TANDEM_NEWCOMER_SHARE``): in ``newcomer_exposure.json`` under the
  home, read and written under a file lock around each served ranking, so it survives a
  restart and two workers never lose each other's update. It holds two numbers per task and
  no id, so an erasure has nothing there to purge (see :mod:`tandem.engine.privacy`);
- **a replay** (``tandem why``): the number and the time the decision log recorded.

Composition with the group policy (``--fair-by``): the group policy runs first and the
newcomer step then only makes lifts that keep every prefix within the group bounds the list
already met (:func:`tandem.fairness.newcomers.bound_violations`). Why that order: the group
bounds are a promise about *each* list, one an auditor checks list by list, while the newcomer
share is amortised: what a list cannot give without breaking the bounds is carried to the
next lists. The other order would not hold either: ``aligned`` re-sorts each group by score,
which undoes any lift made before it.
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tandem.domain import Freelancer, MatchResult
from tandem.domain.results import FAIRNESS_REASON, Task
from tandem.engine.fairness import FairnessPolicy, group_of
from tandem.explain.policy import moved_by_newcomer_policy
from tandem.fairness import Placement
from tandem.fairness.newcomers import (
    NewcomerPolicy,
    NewcomerStep,
    bound_violations,
    is_newcomer,
    newcomer_order,
)

#: The served rankings' carried deficit, per task, under ``TANDEM_HOME``.
STATE_FILE = "newcomer_exposure.json"


@dataclass
class NewcomerCarry:
    """The newcomer policy (``None``: off) and the deficit it carries, per task, for a series.

    ``as_of`` is the time newcomers are judged at (joined within 90 days of it): a batch
    fixes it when the run starts, a replay takes the logged one.
    """

    policy: NewcomerPolicy | None
    as_of: datetime
    carried: dict[Task, float] = field(default_factory=dict)


def newcomer_request(
    policy: NewcomerPolicy, before: float, step: NewcomerStep, as_of: datetime
) -> dict[str, object]:
    """What the decision log keeps: the policy, its parameters and the state replay needs."""
    return {
        "policy": "newcomer exposure",
        "share": policy.share,
        "k": policy.k,
        "floor_margin": policy.margin,
        "target": f"newcomers (no rating or no past jobs on the profile, or joined within 90 "
        f"days) get {policy.share:g} of the top {policy.k}'s position-discounted attention "
        "in every list where one clears the relevance floor; a shortfall is carried to the "
        "next lists (at most one list's worth)",
        "floor": "max(median score, k-th score - floor_margin * (best - k-th score))",
        "after": "the fairness policy, keeping its bounds",
        "as_of": as_of.isoformat(),
        "carried_before": before,
        "list_floor": step.floor,
        "list_target": step.target,
        "newcomer_attention": step.attention,
        "carried_after": step.carried,
    }


def place_newcomers(
    people: Sequence[Freelancer],
    scores: Sequence[float],
    placements: Sequence[Placement],
    carry: NewcomerCarry,
    task: Task,
    fair: FairnessPolicy | None,
) -> tuple[list[Placement], NewcomerStep | None]:
    """The newcomer step over a list already in the group policy's order (``placements``).

    ``people`` and ``scores`` are in score order (``Placement.item`` indexes them). Returns
    placements whose ``served`` is the final position, and updates ``carry`` for ``task``.
    """
    policy = carry.policy
    if policy is None:
        return list(placements), None
    items = [p.item for p in placements]
    fresh = [is_newcomer(people[i], carry.as_of) for i in items]
    allowed = None
    if fair is not None:
        groups = [group_of(people[i], fair.attribute) for i in items]
        upper = fair.method != "detconstsort"
        limit = bound_violations(groups, upper=upper)

        def allowed(order: Sequence[int]) -> bool:
            return bound_violations([groups[j] for j in order], upper=upper) <= limit

    step = newcomer_order(
        [scores[i] for i in items], fresh, policy, carry.carried.get(task, 0.0), allowed
    )
    carry.carried[task] = step.carried
    placed = [Placement(items[j], placements[j].by_score, at) for at, j in enumerate(step.order, 1)]
    return placed, step


def explain_newcomer_move(
    result: MatchResult, placement: Placement, before: int, *, lifted: bool
) -> MatchResult:
    """``result`` with the newcomer policy's reason if the step moved it from ``before``.

    The group policy's reason, if any, is replaced: one reason says where the score put the
    person, where the group policy did, and that the newcomer step set the final place.
    """
    if placement.served == before:
        return result
    kept = [r for r in result.reasons if r.code != FAIRNESS_REASON]
    reason = moved_by_newcomer_policy(
        placement.by_score,
        placement.served,
        before,
        lifted=lifted,
        after_fairness=before != placement.by_score,
    )
    return result.model_copy(update={"reasons": [*kept, reason]})


@contextmanager
def served_state(home: Path, task: Task) -> Iterator[dict[str, float]]:
    """The served rankings' state for ``task``, locked; what the block leaves in it is saved."""
    path = home / STATE_FILE
    with (home / (STATE_FILE + ".lock")).open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stored = json.loads(path.read_text()) if path.exists() else {}
        state = {
            "carried": float(stored.get(task, {}).get("carried", 0.0)),
            "rankings": float(stored.get(task, {}).get("rankings", 0)),
        }
        yield state
        stored[task] = {"carried": state["carried"], "rankings": int(state["rankings"])}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(stored, sort_keys=True))
        tmp.replace(path)
