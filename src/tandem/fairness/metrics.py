"""The formulas of the audit report, one small pure function each.

Each takes plain numbers or labels and returns a number, NaN where the formula is undefined
(no people, a zero denominator): never a made-up value. The report (:mod:`.report`) decides
what to feed them; these functions only compute.

- :func:`wilson`: the 95% Wilson score interval of a rate (it stays inside [0, 1] and is
  honest for small samples and rates near 0 or 1, where the normal approximation is not).
- :func:`attention`: the position-discounted attention of a rank, ``1 / log2(1 + rank)``
  (Singh & Joachims, KDD 2018, use this DCG discount as the exposure model).
- :func:`skew`: ``log(share in the top k / desired share)`` (Geyik et al., KDD 2019).
- :func:`ndkl`: the normalised discounted KL divergence of a ranked list's group mix from the
  desired mix, over every prefix (Geyik et al., KDD 2019): 0 is a perfectly mixed list.
- :func:`rank_auc`: the probability that a random member of a group scores above a random
  non-member on one feature (Mann-Whitney); 0.5 says the feature says nothing about the group.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

#: z for a two-sided 95% interval.
Z95 = 1.959963984540054


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of ``successes / n`` (NaN, NaN when ``n`` is 0)."""
    if n <= 0:
        return math.nan, math.nan
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def attention(rank: int) -> float:
    """The attention a 1-based ``rank`` gets: ``1 / log2(1 + rank)`` (1 for the first)."""
    if rank < 1:
        raise ValueError(f"ranks start at 1, got {rank}")
    return 1.0 / math.log2(1 + rank)


def skew(share_top: float, share_desired: float) -> float:
    """``log(share_top / share_desired)``: 0 is proportional, below 0 under-represented.

    NaN when the desired share is 0 (the group is not among the candidates) and ``-inf``
    when the group has candidates but none in the top.
    """
    if share_desired <= 0:
        return math.nan
    if share_top <= 0:
        return -math.inf
    return math.log(share_top / share_desired)


def kl_divergence(p: Mapping[str, float], q: Mapping[str, float]) -> float:
    """``sum p log(p / q)`` over the groups of ``p`` (``0 log 0`` is 0; NaN if q misses mass)."""
    total = 0.0
    for group, pg in p.items():
        if pg <= 0:
            continue
        qg = q.get(group, 0.0)
        if qg <= 0:
            return math.nan
        total += pg * math.log(pg / qg)
    return total


def _mix(groups: Sequence[str]) -> dict[str, float]:
    counts: dict[str, int] = {}
    for g in groups:
        counts[g] = counts.get(g, 0) + 1
    return {g: c / len(groups) for g, c in counts.items()}


def ndkl(ranked: Sequence[str], desired: Mapping[str, float]) -> float:
    """``(1/Z) sum_i attention(i) KL(mix of the top i || desired)``, ``Z = sum_i attention(i)``.

    ``ranked`` holds the groups of a list's members in served order (unknowns left out by the
    caller). NaN for an empty list.
    """
    if not ranked:
        return math.nan
    weights = [attention(i) for i in range(1, len(ranked) + 1)]
    total = sum(w * kl_divergence(_mix(ranked[:i]), desired) for i, w in enumerate(weights, 1))
    return total / sum(weights)


def rank_auc(values: Sequence[float], members: Sequence[bool]) -> float:
    """P(a member's value > a non-member's), ties counting half; NaN rows are left out.

    NaN when either side is empty. Computed from average ranks (the Mann-Whitney U).
    """
    x = np.asarray(values, dtype=np.float64)
    y = np.asarray(members, dtype=bool)
    keep = ~np.isnan(x)
    x, y = x[keep], y[keep]
    n1, n0 = int(y.sum()), int((~y).sum())
    if n1 == 0 or n0 == 0:
        return math.nan
    order = np.argsort(x, kind="mergesort")
    ranks = np.empty(len(x), dtype=np.float64)
    sorted_x = x[order]
    i = 0
    while i < len(x):  # average ranks over ties
        j = i
        while j + 1 < len(x) and sorted_x[j + 1] == sorted_x[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    u = float(ranks[y].sum()) - n1 * (n1 + 1) / 2
    return u / (n1 * n0)
