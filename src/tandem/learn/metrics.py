"""Ranking metrics, as pure functions of a ranked list and its relevance grades.

Empty input gives NaN with a warning (never a made-up number), as LensKit does.
Gains are exponential (2^rel - 1), the usual choice for graded hiring outcomes.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence


def _warn_empty(name: str) -> float:
    warnings.warn(f"{name} of an empty ranking is undefined", RuntimeWarning, stacklevel=3)
    return math.nan


def dcg_at_k(grades: Sequence[float], k: int) -> float:
    """Discounted cumulative gain of grades in rank order."""
    return float(sum((2.0**g - 1.0) / math.log2(i + 2) for i, g in enumerate(grades[:k])))


def ndcg_at_k(grades: Sequence[float], k: int = 10) -> float:
    """NDCG@k of grades listed in the order the system ranked them; 0 when nothing is relevant."""
    if not grades:
        return _warn_empty("NDCG")
    ideal = dcg_at_k(sorted(grades, reverse=True), k)
    return 0.0 if ideal == 0 else dcg_at_k(grades, k) / ideal


def reciprocal_rank(relevant: Sequence[bool]) -> float:
    """1 / rank of the first relevant item (0 if none)."""
    if not relevant:
        return _warn_empty("reciprocal rank")
    for i, hit in enumerate(relevant, start=1):
        if hit:
            return 1.0 / i
    return 0.0


def recall_at_k(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """Share of ``relevant`` ids within the top ``k`` of ``ranked``."""
    if not relevant:
        return _warn_empty("recall")
    return len(set(ranked[:k]) & relevant) / len(relevant)


def mean(values: Sequence[float]) -> float:
    """Mean ignoring NaN; NaN (with a warning) when nothing is left."""
    kept = [v for v in values if not math.isnan(v)]
    if not kept:
        return _warn_empty("mean")
    return sum(kept) / len(kept)
