"""Per-group frames of the audit report: rates with intervals, exposure, skew and NDKL.

Every frame is built from observations that carry a group label (``None``: unknown) and a
person key, never from people's records: what leaves here is counts and rates per group.
The person key only serves to count distinct people, because a rate over 12 people is not a
finding however many appearances they make (the report flags groups with fewer than
:data:`MIN_PEOPLE` people). Groups under :data:`MIN_GROUP_SHARE` of the known observations
are reported but left out of the impact-ratio comparison, as ``tandem audit rankings`` does.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from tandem.fairness.audit import MIN_GROUP_SHARE
from tandem.fairness.metrics import attention, ndkl, skew, wilson

#: Fewer distinct people than this in a group: its numbers are shown but are not a finding.
MIN_PEOPLE = 30


def num(value: float, digits: int = 6) -> float | None:
    """A number for JSON: NaN and infinities become null (infinity is said in words)."""
    return None if math.isnan(value) or math.isinf(value) else round(value, digits)


class Observation(NamedTuple):
    """One thing counted: whose group, whose person key, and whether it was a hit."""

    group: str | None
    person: str
    hit: bool


class RateRow(NamedTuple):
    """One group's rate: observations, distinct people, hits, rate, 95% Wilson interval."""

    n: int
    people: int
    hits: int
    rate: float
    ci_low: float
    ci_high: float
    impact_ratio: float  # NaN when no counted group had a hit
    counted: bool  # False: under MIN_GROUP_SHARE of the known observations
    finding: bool  # False: fewer than MIN_PEOPLE people


@dataclass(frozen=True)
class RateFrame:
    """Rates per group (shaped like a fairlearn frame: ``by_group``, ``min_impact_ratio``)."""

    by_group: dict[str, RateRow]
    unknown: int

    @property
    def min_impact_ratio(self) -> float:
        """The lowest impact ratio among counted groups that are findings.

        NaN when fewer than two groups qualify: one group compared with itself is 1.0, which
        would read as parity when the other groups are too small to say anything.
        """
        values = [r.impact_ratio for r in self.by_group.values() if r.counted and r.finding]
        values = [v for v in values if not math.isnan(v)]
        return min(values) if len(values) >= 2 else math.nan

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape documented in docs/audit-report.md."""
        return {
            "groups": {
                g: {
                    "n": r.n,
                    "people": r.people,
                    "hits": r.hits,
                    "rate": num(r.rate),
                    "ci95": [num(r.ci_low), num(r.ci_high)],
                    "impact_ratio": num(r.impact_ratio),
                    "counted": r.counted,
                    "finding": r.finding,
                }
                for g, r in sorted(self.by_group.items())
            },
            "unknown": self.unknown,
            "min_impact_ratio": num(self.min_impact_ratio),
        }


class RateCounts:
    """Observations counted one at a time: :meth:`frame` is :func:`rate_frame` of those so far.

    Why: the audit report counts the decision log up to an entry and then only the entries
    after it (:mod:`tandem.fairness.report`); counting on from a kept ``RateCounts`` gives the
    frame a count of every observation from the start gives (integers and sets only).
    """

    def __init__(self) -> None:
        self.n: dict[str, int] = {}
        self.hits: dict[str, int] = {}
        self.people: dict[str, set[str]] = {}
        self.unknown = 0

    def add(self, o: Observation) -> None:
        """Count one observation."""
        if o.group is None:
            self.unknown += 1
            return
        self.n[o.group] = self.n.get(o.group, 0) + 1
        self.hits[o.group] = self.hits.get(o.group, 0) + o.hit
        self.people.setdefault(o.group, set()).add(o.person)

    def add_counts(self, group: str | None, person: str, n: int, hits: int) -> None:
        """Count ``n`` observations of one person in one group at once, ``hits`` of them hits."""
        if group is None:
            self.unknown += n
            return
        self.n[group] = self.n.get(group, 0) + n
        self.hits[group] = self.hits.get(group, 0) + hits
        self.people.setdefault(group, set()).add(person)

    def frame(self) -> RateFrame:
        """Hits over observations per group, with intervals and impact ratios."""
        n, hits, people = self.n, self.hits, self.people
        known = sum(n.values())
        counted = {g: c >= MIN_GROUP_SHARE * known for g, c in n.items()}
        finding = {g: len(people[g]) >= MIN_PEOPLE for g in n}
        best = max((hits[g] / c for g, c in n.items() if counted[g] and finding[g]), default=0.0)
        rows = {}
        for g, c in n.items():
            rate = hits[g] / c
            low, high = wilson(hits[g], c)
            ratio = rate / best if best > 0 else math.nan
            rows[g] = RateRow(
                c, len(people[g]), hits[g], rate, low, high, ratio, counted[g], finding[g]
            )
        return RateFrame(rows, self.unknown)


def rate_frame(observations: Iterable[Observation]) -> RateFrame:
    """Hits over observations per group, with intervals and impact ratios."""
    counts = RateCounts()
    for o in observations:
        counts.add(o)
    return counts.frame()


class Appearance(NamedTuple):
    """One person in one served list: group, person key, 1-based rank, relevance in [0, 1]."""

    group: str | None
    person: str
    rank: int
    relevance: float


class ExposureRow(NamedTuple):
    """A group's share of the attention a set of lists gave, against its share of relevance."""

    appearances: int
    exposure_share: float
    relevance_share: float
    ratio: float  # exposure share / relevance share: 1 is proportional, below 1 too little


class ExposureCounts:
    """Appearances counted one at a time: :meth:`rows` is :func:`exposure_frame` of those so far.

    The sums are added in the order the appearances come, so counting on from a kept one adds
    the same floats in the same order as counting every appearance from the start.
    """

    def __init__(self) -> None:
        self.count: dict[str, int] = {}
        self.seen: dict[str, float] = {}
        self.relevant: dict[str, float] = {}

    def add(self, a: Appearance) -> None:
        """Count one appearance (unknowns are left out of both shares)."""
        if a.group is None:
            return
        self.count[a.group] = self.count.get(a.group, 0) + 1
        self.seen[a.group] = self.seen.get(a.group, 0.0) + attention(a.rank)
        self.relevant[a.group] = self.relevant.get(a.group, 0.0) + a.relevance

    def rows(self) -> dict[str, ExposureRow]:
        """Exposure per group."""
        seen, relevant = self.seen, self.relevant
        total_seen, total_rel = sum(seen.values()), sum(relevant.values())
        out = {}
        for g, c in self.count.items():
            e = seen[g] / total_seen if total_seen > 0 else math.nan
            r = relevant[g] / total_rel if total_rel > 0 else math.nan
            out[g] = ExposureRow(c, e, r, e / r if r > 0 else math.nan)
        return out


def exposure_frame(appearances: Iterable[Appearance]) -> dict[str, ExposureRow]:
    """Exposure per group (Singh & Joachims 2018), unknowns left out of both shares."""
    counts = ExposureCounts()
    for a in appearances:
        counts.add(a)
    return counts.rows()


class SkewRow(NamedTuple):
    """A group's pooled share of the top k against its share of the candidates."""

    top: int
    candidates: int
    share_top: float
    share_candidates: float
    skew: float


@dataclass(frozen=True)
class Representation:
    """skew@k per group (pooled over lists) and the mean NDKL of the lists."""

    k: int
    by_group: dict[str, SkewRow]
    ndkl: float
    lists: int


class RepresentationCounts:
    """Lists counted one at a time: :meth:`result` is :func:`representation` of those so far."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.top: dict[str, int] = {}
        self.cands: dict[str, int] = {}
        self.scores: list[float] = []

    def add(self, served: Sequence[str | None], candidates: Sequence[str | None]) -> None:
        """Count one list: the groups of its served order and of its candidates."""
        known = [g for g in candidates if g is not None]
        if not known:
            return
        for g in known:
            self.cands[g] = self.cands.get(g, 0) + 1
        shown = [g for g in served if g is not None]
        for g in shown[: self.k]:
            self.top[g] = self.top.get(g, 0) + 1
        desired = {g: known.count(g) / len(known) for g in set(known)}
        value = ndkl(shown, desired)
        if not math.isnan(value):
            self.scores.append(value)

    def result(self) -> Representation:
        """skew@k per group and the mean NDKL of the lists counted."""
        top, cands, scores = self.top, self.cands, self.scores
        total_top, total_cands = sum(top.values()), sum(cands.values())
        rows = {}
        for g, c in cands.items():
            t = top.get(g, 0)
            st = t / total_top if total_top else math.nan
            sc = c / total_cands
            rows[g] = SkewRow(t, c, st, sc, skew(st, sc) if total_top else math.nan)
        mean = sum(scores) / len(scores) if scores else math.nan
        return Representation(self.k, rows, mean, len(scores))


def representation(
    lists: Iterable[tuple[Sequence[str | None], Sequence[str | None]]], k: int
) -> Representation:
    """From ``(groups of the served list in order, groups of its candidates)`` per list.

    A group's desired share is its share of the candidates with a known group; unknowns are
    left out of every share. Lists without a known candidate are skipped.
    """
    counts = RepresentationCounts(k)
    for served, candidates in lists:
        counts.add(served, candidates)
    return counts.result()


def exposure_dict(rows: dict[str, ExposureRow]) -> dict[str, Any]:
    """Exposure rows in the JSON shape."""
    return {
        g: {
            "appearances": r.appearances,
            "exposure_share": num(r.exposure_share),
            "relevance_share": num(r.relevance_share),
            "ratio": num(r.ratio),
        }
        for g, r in sorted(rows.items())
    }


def representation_dict(rep: Representation) -> dict[str, Any]:
    """skew@k and NDKL in the JSON shape (a skew of minus infinity is null with top 0)."""
    return {
        "k": rep.k,
        "lists": rep.lists,
        "ndkl": num(rep.ndkl),
        "groups": {
            g: {
                "top": r.top,
                "candidates": r.candidates,
                "share_top": num(r.share_top),
                "share_candidates": num(r.share_candidates),
                "skew": num(r.skew),
            }
            for g, r in sorted(rep.by_group.items())
        },
    }
