"""The audit report over what Tandem served and what happened: the numbers, per group.

Inputs are plain: the served rankings of people (from the decision log), the applications
with their outcomes (from proposals and events), and per person the attributes they
disclosed, when they joined and whether they have reviews. The engine reads those; this
module only counts, so every number can be checked by hand (``tests/fairness/test_report``).

Per attribute, and per intersection of two attributes (``"gender & region"``, groups like
``"woman & south"``; unknown if either part is):

- **selection** (NYC LL144): among applicants, the share shortlisted, interviewed, hired.
- **scoring** (LL144 scoring rate): the share of a group's appearances in served lists that
  scored above the median score of their list.
- **positives in top** (equal opportunity): of the people a list's job went on to shortlist,
  interview or hire, the share the list put in its top k.
- **exposure** (Singh & Joachims 2018): a group's share of position-discounted attention
  against its share of relevance (the list's scores scaled to [0, 1]).
- **representation** (Geyik et al. 2019): skew@k per group and the mean NDKL of the lists.

The same frames are computed for newcomers (no reviews yet, or joined within 90 days of the
ranking) against established people.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from tandem.fairness.frames import (
    Appearance,
    Observation,
    exposure_dict,
    exposure_frame,
    rate_frame,
    representation,
    representation_dict,
)

#: The outcomes LL144 selection rates are computed for, in funnel order.
STAGES: tuple[str, ...] = ("shortlist", "interview", "hire")
#: Joined more recently than this before a ranking: a newcomer.
NEWCOMER_WINDOW = timedelta(days=90)
#: Intersections are taken over at most this many attributes (the most disclosed ones).
MAX_CROSSED = 4
#: The top of a list that skew@k looks at.
DEFAULT_K = 10
#: A group with fewer distinct people than this shows its counts but no rate or share: with
#: so few, a rate would tell an auditor what happened to identifiable people.
MIN_SHOWN = 5


class Served(NamedTuple):
    """One served ranking of people: when, by which model, candidates and results in order.

    ``positives`` are the people of the list who went on to be shortlisted, interviewed or
    hired for the list's job (empty for a search, which has no job).
    """

    ts: datetime
    model_version: str
    candidates: tuple[str, ...]
    results: tuple[tuple[str, float], ...]  # (person, score), best first
    positives: frozenset[str] = frozenset()


class Application(NamedTuple):
    """One applicant to one job and the outcomes it reached (``shortlist``, ...)."""

    person: str
    ts: datetime
    outcomes: frozenset[str]


class Person(NamedTuple):
    """What the report may know of a person: disclosed attributes, joining time, reviews."""

    attributes: Mapping[str, str]
    joined_at: datetime
    reviewed: bool


#: A person and a time -> their group (``None``: unknown).
Grouping = Callable[[str, datetime], str | None]


def by_attribute(people: Mapping[str, Person], name: str) -> Grouping:
    """The group of ``name`` a person disclosed."""

    def group(person: str, _ts: datetime) -> str | None:
        p = people.get(person)
        return (p.attributes.get(name) or None) if p else None

    return group


def by_intersection(people: Mapping[str, Person], a: str, b: str) -> Grouping:
    """``"x & y"`` for a person's groups of ``a`` and ``b``; unknown if either is."""
    first, second = by_attribute(people, a), by_attribute(people, b)

    def group(person: str, ts: datetime) -> str | None:
        x, y = first(person, ts), second(person, ts)
        return f"{x} & {y}" if x and y else None

    return group


def by_newcomer(people: Mapping[str, Person]) -> Grouping:
    """``newcomer`` (no reviews yet, or joined within 90 days of ``ts``) or ``established``."""

    def group(person: str, ts: datetime) -> str | None:
        p = people.get(person)
        if p is None:
            return None
        fresh = not p.reviewed or ts - p.joined_at < NEWCOMER_WINDOW
        return "newcomer" if fresh else "established"

    return group


def _relevance(scores: Sequence[float]) -> list[float]:
    low, high = min(scores), max(scores)
    return [1.0 if high == low else (s - low) / (high - low) for s in scores]


def selection(applications: Sequence[Application], group: Grouping) -> dict[str, Any]:
    """LL144 selection rates per stage among applicants."""
    return {
        stage: rate_frame(
            Observation(group(a.person, a.ts), a.person, stage in a.outcomes) for a in applications
        ).as_dict()
        for stage in STAGES
    }


def scoring(served: Sequence[Served], group: Grouping) -> dict[str, Any]:
    """LL144 scoring rates: appearances above their list's median score."""

    def observations() -> Any:
        for s in served:
            if not s.results:
                continue
            median = statistics.median(score for _, score in s.results)
            for person, score in s.results:
                yield Observation(group(person, s.ts), person, score > median)

    return rate_frame(observations()).as_dict()


def positives_in_top(served: Sequence[Served], group: Grouping, k: int) -> dict[str, Any]:
    """Of the people a list's job went on to shortlist or better, the share it put in its top k.

    A per-group true positive rate (equal opportunity, Hardt et al. 2016): a positive the
    list did not show at all counts as missed.
    """

    def observations() -> Any:
        for s in served:
            top = {p for p, _ in s.results[:k]}
            for person in sorted(s.positives):
                yield Observation(group(person, s.ts), person, person in top)

    return rate_frame(observations()).as_dict()


def exposure(served: Sequence[Served], group: Grouping) -> dict[str, Any]:
    """Exposure against relevance per group."""

    def appearances() -> Any:
        for s in served:
            if not s.results:
                continue
            relevance = _relevance([score for _, score in s.results])
            for rank, ((person, _), rel) in enumerate(zip(s.results, relevance, strict=True), 1):
                yield Appearance(group(person, s.ts), person, rank, rel)

    return exposure_dict(exposure_frame(appearances()))


def represented(served: Sequence[Served], group: Grouping, k: int) -> dict[str, Any]:
    """skew@k and NDKL against each list's candidates (its results if none were logged)."""
    lists = (
        (
            [group(p, s.ts) for p, _ in s.results],
            [group(p, s.ts) for p in (s.candidates or tuple(p for p, _ in s.results))],
        )
        for s in served
    )
    return representation_dict(representation(lists, k))


def section(
    served: Sequence[Served], applications: Sequence[Application], group: Grouping, k: int
) -> dict[str, Any]:
    """Every frame for one grouping, groups under :data:`MIN_SHOWN` people suppressed."""
    out = {
        "selection": selection(applications, group),
        "scoring": scoring(served, group),
        "positives_in_top": positives_in_top(served, group, k),
        "exposure": exposure(served, group),
        "representation": represented(served, group, k),
    }
    return suppress(out, _small_groups(served, applications, group))


def _small_groups(
    served: Sequence[Served], applications: Sequence[Application], group: Grouping
) -> set[str]:
    people: dict[str, set[str]] = {}
    for s in served:
        for p in {*s.candidates, *(p for p, _ in s.results)}:
            g = group(p, s.ts)
            if g is not None:
                people.setdefault(g, set()).add(p)
    for a in applications:
        g = group(a.person, a.ts)
        if g is not None:
            people.setdefault(g, set()).add(a.person)
    return {g for g, members in people.items() if len(members) < MIN_SHOWN}


#: Per part of a section, the fields of a group's row that are kept when it is suppressed.
_KEPT = {"rate": {"n", "people"}, "exposure": {"appearances"}, "representation": {"candidates"}}


def suppress(sec: dict[str, Any], small: set[str]) -> dict[str, Any]:
    """``sec`` with the rows of ``small`` groups reduced to counts, marked ``suppressed``."""

    def cut(rows: dict[str, Any], kept: set[str]) -> None:
        for g in small & rows.keys():
            rows[g] = {k: (v if k in kept else None) for k, v in rows[g].items()}
            rows[g]["suppressed"] = True

    for frame in (*sec["selection"].values(), sec["scoring"], sec["positives_in_top"]):
        cut(frame["groups"], _KEPT["rate"])
    cut(sec["exposure"], _KEPT["exposure"])
    cut(sec["representation"]["groups"], _KEPT["representation"])
    return sec


def attribute_names(people: Mapping[str, Person]) -> list[str]:
    """Attributes anyone disclosed, most disclosed first (ties by name)."""
    counts: dict[str, int] = {}
    for p in people.values():
        for name, value in p.attributes.items():
            if value:
                counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda n: (-counts[n], n))


@dataclass(frozen=True)
class ReportInput:
    """Everything the report counts over (the engine fills it for a time window)."""

    served: Sequence[Served]
    applications: Sequence[Application]
    people: Mapping[str, Person]
    k: int = DEFAULT_K
    attributes: Sequence[str] | None = None  # None: every attribute anyone disclosed
    extra: dict[str, Any] = field(default_factory=dict)


def build_report(data: ReportInput) -> dict[str, Any]:
    """The report's numbers: per attribute, per intersection, and for newcomers."""
    names = list(data.attributes) if data.attributes is not None else attribute_names(data.people)
    per_attribute = {
        n: section(data.served, data.applications, by_attribute(data.people, n), data.k)
        for n in names
    }
    crossed = {
        f"{a} & {b}": section(
            data.served, data.applications, by_intersection(data.people, a, b), data.k
        )
        for a, b in itertools.combinations(names[:MAX_CROSSED], 2)
    }
    newcomers = section(data.served, data.applications, by_newcomer(data.people), data.k)
    ranked = {p for s in data.served for p, _ in s.results}
    return {
        "data": {
            "rankings": len(data.served),
            "appearances": sum(len(s.results) for s in data.served),
            "people_ranked": len(ranked),
            "applications": len(data.applications),
            "model_versions": _versions(data.served),
        },
        "attributes": per_attribute,
        "intersections": crossed,
        "newcomers": newcomers,
        **data.extra,
    }


def _versions(served: Sequence[Served]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for s in served:
        counts[s.model_version] = counts.get(s.model_version, 0) + 1
    return dict(sorted(counts.items()))
