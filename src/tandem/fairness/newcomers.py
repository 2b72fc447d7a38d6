"""Amortised newcomer exposure: people without history get a share of the top, over time.

Why: early hires decide careers. Pallais (AER 2014) hired oDesk novices at random and they
went on to get substantially more work; a ranker trained on history cannot give that first
chance, since a newcomer has no track record to score. Biega et al. (SIGIR 2018) frame the
fix as *amortised* equity of attention: no single ranking can be fair to everyone, but the
attention a series of rankings gives can be, if what one ranking could not give is carried
to the next ones.

The variant here is small enough to explain to an operator in one paragraph:

- **Who is a newcomer**: no track record on the profile (no rating yet, or no past jobs: the
  ranker's own ``newcomer`` feature), or joined within 90 days of the ranking: the audit
  report's definition (:data:`tandem.fairness.report.NEWCOMER_WINDOW`), read from the profile
  only. The audit also counts review *events*; this policy reads no event and no outcome.
- **What they get**: ``share`` of the position-discounted attention of the top ``k`` (the
  audit's ``1 / log2(1 + rank)``, :func:`tandem.fairness.metrics.attention`), in every list
  where at least one newcomer clears the relevance floor. What a list could not give (too few
  eligible newcomers, or the group policy's bounds in the way) is *carried* as a deficit to
  the next lists, at most one list's worth (``share`` of a full top ``k``), so one list
  never pays back for more than one other. What the policy's own lifts gave beyond the need
  (a lift is a whole position, so it often overshoots) is credited to the next lists, so the
  share over time is the target, not more. A surplus the model gave newcomers on its own is
  not credited: newcomers it ranks high are never pushed down to pay for it (a floor on the
  share, not a quota).
- **The relevance floor**: nobody below it is lifted. Scores of a learned ranker are
  unbounded (LambdaRank margins), so the floor is relative to the list and scale-free: a
  newcomer is eligible when their score is at least the list's median *and* no further below
  the top k's lowest score than ``margin`` times the top k's own spread (best minus k-th).
  The first part keeps the lower half of a short list out (where everyone is in the top k);
  the second keeps a long list's tail out: a lifted newcomer scores about as well as the
  people the top k already holds.
- **How they are lifted**: as little as the target allows. Going down the top k, a newcomer
  is placed at a position only when the attention still owed could no longer be reached by
  the newcomers left if they were placed lower; the one placed is the best-scored eligible
  newcomer below. Newcomers among themselves keep the model's order. Nobody is added or
  removed; each person the step moves is reported with where they were before it.

Everything here is pure: no store, no clock, no state of its own. The engine keeps the
carried deficit (one number per ranking task, no ids: nothing for an erasure to purge), logs
it with each decision, and replays it.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Final, NamedTuple

from tandem.domain import Freelancer
from tandem.errors import ValidationError
from tandem.fairness.metrics import attention
from tandem.fairness.report import NEWCOMER_WINDOW

#: The top of a list whose attention is shared: one page of results.
TOP_K: Final = 10
#: How far below the top k's lowest score an eligible newcomer may be, in the top k's spread.
FLOOR_MARGIN: Final = 0.5


def is_newcomer(person: Freelancer, as_of: datetime) -> bool:
    """No rating or no past jobs on the profile, or joined within 90 days of ``as_of``."""
    return (
        person.rating is None or not person.total_jobs or as_of - person.joined_at < NEWCOMER_WINDOW
    )


def top_attention(n: int, k: int = TOP_K) -> float:
    """The attention the top ``min(k, n)`` positions of a list of ``n`` hold together."""
    return sum(attention(p) for p in range(1, min(k, n) + 1))


class NewcomerPolicy(NamedTuple):
    """Give newcomers ``share`` of the top ``k``'s attention over time (see the module)."""

    share: float
    k: int = TOP_K
    margin: float = FLOOR_MARGIN

    def checked(self) -> NewcomerPolicy:
        """The policy, or a :class:`ValidationError` saying which parameter is out of range."""
        if not 0.0 < self.share <= 1.0:
            raise ValidationError(f"newcomer share must be in (0, 1], got {self.share}")
        if self.k < 1:
            raise ValidationError(f"newcomer top k must be at least 1, got {self.k}")
        if self.margin < 0:
            raise ValidationError(f"newcomer floor margin must be >= 0, got {self.margin}")
        return self

    @property
    def cap(self) -> float:
        """The most deficit carried: one full list's target."""
        return self.share * top_attention(self.k, self.k)


def relevance_floor(scores: Sequence[float], k: int = TOP_K, margin: float = FLOOR_MARGIN) -> float:
    """The lowest score a newcomer may be lifted from (``scores`` of one list, any order).

    ``max(median, s_k - margin * (s_1 - s_k))`` with ``s_1`` the best score and ``s_k`` the
    k-th best (the last one on a list shorter than ``k``).
    """
    if not scores:
        return float("inf")
    ranked = sorted(scores, reverse=True)
    kth = ranked[min(k, len(ranked)) - 1]
    return max(statistics.median(ranked), kth - margin * (ranked[0] - kth))


class NewcomerStep(NamedTuple):
    """What the step did to one list: the new order and the attention accounting.

    ``order`` holds the indices of the list's items in served order (the input order was
    ``range(n)``). ``target`` is what this list owed on its own (0 when no newcomer clears
    ``floor``), ``attention`` what newcomers got in the top k, ``carried`` the deficit left
    for the next lists (``carried_before + target - attention``, within ``[-cap, cap]``; below
    0 only by what the step's own lifts gave beyond the need).
    """

    order: list[int]
    floor: float
    target: float
    attention: float
    carried: float


#: Whether a proposed order (indices in served order) is acceptable, e.g. keeps group bounds.
Allowed = Callable[[Sequence[int]], bool]


def newcomer_order(
    scores: Sequence[float],
    newcomer: Sequence[bool],
    policy: NewcomerPolicy,
    carried: float = 0.0,
    allowed: Allowed | None = None,
) -> NewcomerStep:
    """Lift eligible newcomers of one list, given in its current order (see the module).

    ``scores[i]`` and ``newcomer[i]`` describe the item at position ``i + 1``; the current
    order need not be the score order (the group policy may have run first). A lift that
    ``allowed`` refuses is tried with the next eligible newcomer, or not made.
    """
    n = len(scores)
    k = min(policy.k, n)
    floor = relevance_floor(scores, policy.k, policy.margin)
    eligible = [newcomer[i] and scores[i] >= floor for i in range(n)]
    target = policy.share * top_attention(n, policy.k) if any(eligible) else 0.0
    need = target + max(-policy.cap, min(carried, policy.cap))
    order = list(range(n))
    natural = sum(attention(p + 1) for p in range(k) if newcomer[p])
    given = 0.0
    for p in range(k):  # 0-based position p is rank p + 1
        if given >= need:
            break
        if not newcomer[order[p]]:
            below = [i for i in order[p + 1 :] if eligible[i]]
            # newcomers who could still take lower places: the eligible, and those already
            # in the top k; the best of those places is what deferring can still give
            later = sum(1 for at, i in enumerate(order) if at > p and newcomer[i] and at < k)
            room = max(later, len(below))
            reachable = sum(attention(r) for r in range(p + 2, min(p + 1 + room, k) + 1))
            if need - given <= reachable:
                continue
            for i in below:
                tried = [*order[:p], i, *(j for j in order[p:] if j != i)]
                if allowed is None or allowed(tried):
                    order = tried
                    break
        if newcomer[order[p]]:
            given += attention(p + 1)
    got = sum(attention(p + 1) for p in range(k) if newcomer[order[p]])
    # a shortfall is owed to later lists; an overshoot the lifts themselves made is credited
    # to them (what the model gave newcomers on its own is not: see the module)
    left = need - got if got < need else 0.0 - min(got - need, max(0.0, got - natural))
    return NewcomerStep(order, floor, target, got, max(-policy.cap, min(policy.cap, left)))


def bound_violations(groups: Sequence[str | None], *, upper: bool = True) -> int:
    """Prefixes where a known group is outside ``[floor(k p), ceil(k p)]`` (the group policy).

    Counted over the known people only, as :func:`tandem.fairness.fair_order` places them
    (unknown people hold their slots). ``upper=False`` checks the minimums alone
    (``detconstsort`` promises no maximum).
    """
    known = [g for g in groups if g is not None]
    n = len(known)
    size: dict[str, int] = {}
    for g in known:
        size[g] = size.get(g, 0) + 1
    count = dict.fromkeys(size, 0)
    bad = 0
    for k, g in enumerate(known, start=1):
        count[g] += 1
        for h, m in size.items():
            if count[h] < k * m // n or (upper and count[h] > -(-k * m // n)):
                bad += 1
    return bad
