"""Selection rates and impact ratios over ranked lists, as NYC Local Law 144 defines them.

A person is *selected* when they reach the top ``k`` of a list. Per group of a protected
attribute, the selection rate is pooled over lists (selected appearances / candidate
appearances), and a group's impact ratio is its rate over the highest rate among the groups
that count. A group that is under 2% of the known candidates is reported but left out of the
comparison (LL144 lets an auditor exclude such a category from the impact-ratio calculation:
one person selected out of one would otherwise set the bar for everyone). People without the
attribute are counted as unknown, never guessed.

Only counts leave this module: no id is ever tied to a group in its output.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

#: Groups under this share of the known candidates are left out of the impact-ratio minimum.
MIN_GROUP_SHARE = 0.02


class GroupRates(NamedTuple):
    """One group's counts: candidate appearances, how many reached the top k, and the rates."""

    candidates: int
    selected: int
    selection_rate: float
    impact_ratio: float  # NaN when no counted group was selected at all
    counted: bool  # False: under MIN_GROUP_SHARE of known candidates, out of the minimum


@dataclass(frozen=True)
class RankingAudit:
    """The audit of many ranked lists for one attribute (shaped like a fairlearn frame)."""

    attribute: str
    top_k: int
    lists: int
    by_group: dict[str, GroupRates]
    unknown: int

    @property
    def min_impact_ratio(self) -> float:
        """The lowest impact ratio among counted groups (NaN when there is none)."""
        values = [g.impact_ratio for g in self.by_group.values() if g.counted]
        values = [v for v in values if not math.isnan(v)]
        return min(values) if values else math.nan

    def ratio(self, group: str, reference: str) -> float:
        """One group's selection rate over another's (NaN when the reference rate is 0)."""
        a, b = self.by_group[group].selection_rate, self.by_group[reference].selection_rate
        return math.nan if b == 0 else a / b

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape: groups, unknown count and the minimum impact ratio (NaN as null)."""
        return {
            "groups": {
                g: {
                    "candidates": r.candidates,
                    "selected": r.selected,
                    "selection_rate": _num(r.selection_rate),
                    "impact_ratio": _num(r.impact_ratio),
                }
                for g, r in sorted(self.by_group.items())
            },
            "unknown": self.unknown,
            "min_impact_ratio": _num(self.min_impact_ratio),
        }


def _num(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 6)


def audit_rankings(
    rankings: Iterable[Sequence[str]],
    *,
    sensitive_features: Mapping[str, str | None],
    top_k: int,
    attribute: str = "",
) -> RankingAudit:
    """Count selections per group over ``rankings`` (each a list of ids in served order).

    ``sensitive_features`` maps an id to its group (missing or ``None``: unknown).
    """
    if top_k < 1:
        raise ValueError(f"top_k must be at least 1, got {top_k}")
    candidates: dict[str, int] = {}
    selected: dict[str, int] = {}
    unknown = lists = 0
    for ranking in rankings:
        lists += 1
        for position, person in enumerate(ranking):
            group = sensitive_features.get(person)
            if group is None:
                unknown += 1
                continue
            candidates[group] = candidates.get(group, 0) + 1
            selected[group] = selected.get(group, 0) + (position < top_k)
    known = sum(candidates.values())
    rates = {g: selected[g] / n for g, n in candidates.items()}
    counted = {g: n >= MIN_GROUP_SHARE * known for g, n in candidates.items()}
    best = max((r for g, r in rates.items() if counted[g]), default=0.0)
    by_group = {
        g: GroupRates(
            candidates[g],
            selected[g],
            rates[g],
            rates[g] / best if best > 0 else math.nan,
            counted[g],
        )
        for g in candidates
    }
    return RankingAudit(attribute, top_k, lists, by_group, unknown)
