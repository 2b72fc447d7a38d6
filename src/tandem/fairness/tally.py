"""Pooled selection rates over the lists a policy has already ranked: what ``amortised`` steers by.

Why a tally: an audit (``tandem audit rankings``, NYC Local Law 144) does not judge one list, it
pools: a group's selection rate is its people in the top ``k`` of every list over its people in
every list. Geyik's bounds (:mod:`tandem.fairness.policy`) keep each list's prefixes within one
person of each group's share, but which group gets a slot no bound claims (a *leftover*) is
free, and on a biased market the model's scores keep handing those to the group it favours, so
the pooled rate of the other stays low however the scores are aligned. Counting, list after
list, what the policy has served lets the next list give its leftovers to the group that is
behind, exactly as long as it is behind: the correction follows the pooled rate the audit
reads, not an estimate of how strong the bias is.

Only group membership and positions are counted: never a score, an event or an outcome. The
tally is an aggregate over many lists, kept in memory and recomputed from the decision log on a
replay; it is never shown or logged (the log records which entries it was counted over).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Final, NamedTuple

#: The cuts the tally counts selections at: the audit's top 5, and a first page of 10.
CUTS: Final = (5, 10)
#: A group whose pooled rate is below this fraction of the best group's is behind (the audit's
#: bar is 0.80; the margin absorbs the lists still to come, which the tally has not seen).
TARGET: Final = 0.9
#: Groups under this share of the known candidates do not set the best rate (the LL144 rule
#: the audit applies, :data:`tandem.fairness.audit.MIN_GROUP_SHARE`); they can still be behind.
MIN_SHARE: Final = 0.02


class GroupCount(NamedTuple):
    """One group's people over the counted lists, and how many of them were in the top ``k``."""

    candidates: int
    selected: int


Tally = dict[int, dict[str, GroupCount]]


def count_lists(lists: Iterable[Sequence[str | None]], cuts: Sequence[int] = CUTS) -> Tally:
    """Per cut ``k``, each known group's candidates and selections (top ``k``) over ``lists``.

    Every list is a served order of groups (``None``: unknown, not counted). A cut longer than a
    list selects the whole list, as the audit counts it.
    """
    tally: Tally = {k: {} for k in cuts}
    for groups in lists:
        for k in cuts:
            counts = tally[k]
            for at, g in enumerate(groups):
                if g is None:
                    continue
                c = counts.get(g, GroupCount(0, 0))
                counts[g] = GroupCount(c.candidates + 1, c.selected + (at < k))
    return tally


def add(tally: Tally, other: Tally) -> Tally:
    """Two tallies counted together (``tally`` is not changed)."""
    out: Tally = {k: dict(v) for k, v in tally.items()}
    for k, counts in other.items():
        into = out.setdefault(k, {})
        for g, c in counts.items():
            was = into.get(g, GroupCount(0, 0))
            into[g] = GroupCount(was.candidates + c.candidates, was.selected + c.selected)
    return out


def behind(
    counts: Mapping[str, GroupCount], *, target: float = TARGET, min_share: float = MIN_SHARE
) -> list[str]:
    """Groups whose pooled rate is below ``target`` times the best group's, furthest behind first.

    The best rate is taken over groups with at least ``min_share`` of the known candidates (a
    group of three people with a rate of 1 must not make everyone else look behind). With
    nothing counted yet, or one group only, nobody is behind.
    """
    total = sum(c.candidates for c in counts.values())
    rates = {g: c.selected / c.candidates for g, c in counts.items() if c.candidates}
    reference = [rates[g] for g in rates if counts[g].candidates >= min_share * total]
    best = max(reference, default=0.0)
    if best <= 0 or len(rates) < 2:
        return []
    return sorted((g for g, r in rates.items() if r < target * best), key=lambda g: (rates[g], g))
