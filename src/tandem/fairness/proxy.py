"""The proxy check: how well each family of ranking features tells a group apart.

Attributes are never ranking features, but a feature can stand in for one: a depressed
track record (fewer jobs, lower ratings) is a proxy of a group that clients penalised. For
every group of an attribute (one against the rest, among pairs whose group is known) and
every feature, the rank AUC says how often a member's value lies above a non-member's.
It is folded to ``max(AUC, 1 - AUC)`` (a proxy works in either direction), and a family's
AUC is its strongest feature's. 0.5 means the family carries no trace of the attribute;
1.0 means it separates the groups perfectly.

Limits: one feature at a time (features combined can be stronger proxies than any one),
and pairs are (list, person) appearances, so a person seen often weighs more.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from tandem.fairness.frames import MIN_PEOPLE, num
from tandem.fairness.metrics import rank_auc


class ProxyFamily(NamedTuple):
    """A family's strongest feature against its most separable group."""

    auc: float  # folded: in [0.5, 1], NaN when no group had enough people
    feature: str
    group: str


def proxy_check(
    rows: Sequence[Sequence[float]],
    groups: Sequence[str | None],
    persons: Sequence[str],
    columns: Sequence[tuple[str, str]],
) -> dict[str, ProxyFamily]:
    """Per family (``columns`` are ``(feature, family)``), the folded AUC of its best feature.

    Groups with fewer than :data:`MIN_PEOPLE` distinct people are not tested (their AUC
    would be noise).
    """
    known = [i for i, g in enumerate(groups) if g is not None]
    if not known or not rows:
        return {}
    x = np.asarray([rows[i] for i in known], dtype=np.float64)
    labels = [groups[i] for i in known]
    people: dict[str, set[str]] = {}
    for i in known:
        people.setdefault(str(groups[i]), set()).add(persons[i])
    tested = sorted(g for g, p in people.items() if len(p) >= MIN_PEOPLE)
    if len(people) < 2:
        return {}
    out: dict[str, ProxyFamily] = {}
    for j, (feature, family) in enumerate(columns):
        for group in tested:
            auc = rank_auc(x[:, j].tolist(), [lab == group for lab in labels])
            if math.isnan(auc):
                continue
            folded = max(auc, 1 - auc)
            best = out.get(family)
            if best is None or math.isnan(best.auc) or folded > best.auc:
                out[family] = ProxyFamily(folded, feature, group)
    return out


def proxy_dict(families: dict[str, ProxyFamily], pairs: int) -> dict[str, Any]:
    """The JSON shape: pairs tested and, per family, AUC, feature and group."""
    return {
        "pairs": pairs,
        "families": {
            f: {"auc": num(p.auc, 4), "feature": p.feature, "group": p.group}
            for f, p in sorted(families.items())
        },
    }
