"""Each group's score offset within a list: the gap the ``aligned`` fair re-ranking removes.

The fairness premise (issue #12): true skill does not depend on the group. A model trained on a
biased market still scores one group lower, through proxies such as a depressed track record,
so under that premise the gap between the groups' scores *within the same list* is the bias the
model learned, not skill. ``aligned`` (see :mod:`tandem.fairness.policy`) subtracts each
group's gap from its members' scores before the constrained re-rank, so that leftover slots go
to the best score *once the gap is removed* instead of to the group the model favours.

Why one offset per group estimated over many lists, and not per list: a list holds a handful
of people per group, so a per-list gap is mostly the skill of those few people, exactly the
signal a ranking should keep (on a generated market, seed 1, bias 0.3 and 0.6, offline:
aligning each list to its own group means cost 2-2.5% NDCG@10 against unbiased outcomes, the
pooled offset gained 0.3-0.4%). A gap pooled over
hundreds of lists averages skill out and leaves the systematic part.

The estimate: in every list with at least two known groups, each known person's deviation from
the list's mean known score; a group's offset is the mean of its members' deviations. Offsets
are relative to the list, so a group that scores like everyone else gets about 0, and a group
seen fewer than ``min_count`` times gets exactly 0 (too few to tell a gap from chance).
Only aggregates leave this module: one number per group, never a person.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

#: Fewer appearances than this in the reference lists: no offset for the group.
MIN_COUNT: Final = 30


def score_offsets(
    lists: Iterable[Sequence[tuple[str | None, float]]], *, min_count: int = MIN_COUNT
) -> dict[str, float]:
    """Each group's mean deviation from its list's mean known score, over ``lists``.

    Every list holds ``(group, score)`` pairs (group ``None``: unknown, ignored). Lists with
    fewer than two known groups say nothing about a gap between groups and are skipped.
    """
    total: dict[str, float] = {}
    count: dict[str, int] = {}
    for rows in lists:
        known = [(g, s) for g, s in rows if g is not None]
        if len({g for g, _ in known}) < 2:
            continue
        mean = sum(s for _, s in known) / len(known)
        for g, s in known:
            total[g] = total.get(g, 0.0) + s - mean
            count[g] = count.get(g, 0) + 1
    return {g: total[g] / n for g, n in count.items() if n >= min_count}
