"""The proxy check: how well each family of ranking features tells a group apart.

Attributes are never ranking features, but a feature can stand in for one: a depressed
track record (fewer jobs, lower ratings) is a proxy of a group that clients penalised. For
every group of an attribute (one against the rest, among pairs whose group is known) and
every feature, the rank AUC says how often a member's value lies above a non-member's.
It is folded to ``max(AUC, 1 - AUC)`` (a proxy works in either direction), and a family's
AUC is its strongest feature's. A missing value ranks below every value, so that being
missing (no reviews yet, say) counts as part of what a feature says. 0.5 means the family
carries no trace of the attribute; 1.0 means it separates the groups perfectly.

Features combined can be stronger proxies than any one, so each family (and all features
together, ``"all"``) also gets ``combined``: the mean held-out AUC of a small L2-regularised
logistic regression over folds cut by person, so that no one is predicted by a model that
saw them (not folded: below 0.5 is no signal). Pairs are (list, person) appearances, so a
person seen often weighs more.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from tandem.fairness.frames import MIN_PEOPLE, num
from tandem.fairness.metrics import rank_auc

#: Folds of the combined check (cut by person), and the logistic regression's fit.
FOLDS = 3
STEPS = 200
L2 = 1.0


class ProxyFamily(NamedTuple):
    """A family's strongest feature against its most separable group, and all its features."""

    auc: float  # folded: in [0.5, 1], NaN when no group had enough people
    feature: str
    group: str
    combined: float = math.nan  # held-out AUC of the family's features together


def _standardise(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Columns centred and scaled; a missing value becomes the column's mean (0).

    An infinite value (a ratio over a zero budget, a row stored before the domain's bounds)
    counts as missing, and each column is first divided by its largest magnitude, so that a
    value near 1e308 cannot overflow the mean or the spread (trial 18: the check went null).
    """
    x = np.where(np.isfinite(x), x, np.nan)
    top = np.abs(np.where(np.isnan(x), 0.0, x)).max(axis=0, initial=0.0)
    x = x / np.where(top > 0, top, 1.0)
    mean = np.nanmean(np.where(np.isnan(x).all(axis=0), 0.0, x), axis=0)
    z = np.where(np.isnan(x), mean, x) - mean
    std = z.std(axis=0)
    out: npt.NDArray[np.float64] = z / np.where(std > 0, std, 1.0)
    return out


def _fit(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Weights of an L2-regularised logistic regression (Newton steps; x has a bias column)."""
    w = np.zeros(x.shape[1])
    for _ in range(25):
        p = 1 / (1 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + L2 * w
        hess = (x.T * (p * (1 - p))) @ x + L2 * np.eye(x.shape[1])
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-6:
            break
    return w


def combined_auc(
    x: npt.NDArray[np.float64], members: Sequence[bool], persons: Sequence[str]
) -> float:
    """Mean held-out AUC of a logistic regression on ``x`` over folds cut by person.

    Not folded: the model predicts membership, so a held-out AUC at or below 0.5 means the
    features carry no usable trace of the group.
    """
    y = np.asarray(members, dtype=np.float64)
    z = np.hstack([_standardise(x), np.ones((len(x), 1))])
    fold = np.asarray([zlib.crc32(p.encode()) % FOLDS for p in persons])
    aucs: list[float] = []
    for k in range(FOLDS):
        train, test = fold != k, fold == k
        if not test.any() or len(set(y[train].tolist())) < 2:
            return math.nan
        scores = z[test] @ _fit(z[train], y[train])
        aucs.append(rank_auc(scores.tolist(), [bool(v) for v in y[test]]))
    aucs = [a for a in aucs if not math.isnan(a)]
    return sum(aucs) / len(aucs) if aucs else math.nan


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
    if len(people) < 2 or not tested:
        return {}
    # a missing value ranks below every value: whether a feature is missing can be a proxy too
    column = [np.where(np.isnan(x[:, j]), -np.inf, x[:, j]).tolist() for j in range(len(columns))]
    out: dict[str, ProxyFamily] = {}
    for j, (feature, family) in enumerate(columns):
        for group in tested:
            auc = rank_auc(column[j], [lab == group for lab in labels])
            if math.isnan(auc):
                continue
            folded = max(auc, 1 - auc)
            best = out.get(family)
            if best is None or folded > best.auc:
                out[family] = ProxyFamily(folded, feature, group)
    who = [persons[i] for i in known]
    families = {f: [j for j, (_, fam) in enumerate(columns) if fam == f] for f in out}
    families["all"] = list(range(len(columns)))
    for family, cols in families.items():
        best_combined = max(
            (combined_auc(x[:, cols], [lab == g for lab in labels], who) for g in tested),
            key=lambda v: -1.0 if math.isnan(v) else v,
            default=math.nan,
        )
        single = out.get(family) or max(out.values(), key=lambda p: p.auc)
        out[family] = single._replace(combined=best_combined)
    return out


def proxy_dict(families: dict[str, ProxyFamily], pairs: int) -> dict[str, Any]:
    """The JSON shape: pairs tested and, per family (and ``all``), AUCs, feature and group."""
    return {
        "pairs": pairs,
        "families": {
            f: {
                "auc": num(p.auc, 4),
                "feature": p.feature or None,
                "group": p.group or None,
                "combined_auc": num(p.combined, 4),
            }
            for f, p in sorted(families.items())
        },
    }
