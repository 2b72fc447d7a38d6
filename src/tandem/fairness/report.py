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
    ExposureCounts,
    Observation,
    RateCounts,
    RateFrame,
    RepresentationCounts,
    exposure_dict,
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
    frames = _selection_frames(applications, group)
    return {stage: frame.as_dict() for stage, frame in frames.items()}


def _selection_frames(applications: Sequence[Application], group: Grouping) -> dict[str, RateFrame]:
    """Per stage, the rate frame of the applications, counted per (group, person) first.

    A person applies many times (22,575 applications from 2,000 people on the demo market):
    adding their applications up before counting them into the frames does the same sums
    with a fraction of the work.
    """
    per: dict[tuple[str | None, str], list[int]] = {}
    for a in applications:
        row = per.get(key := (group(a.person, a.ts), a.person))
        if row is None:
            row = per[key] = [0] * (len(STAGES) + 1)
        row[0] += 1
        if a.outcomes:
            for at, stage in enumerate(STAGES, 1):
                row[at] += stage in a.outcomes
    counts = {stage: RateCounts() for stage in STAGES}
    for (g, person), row in per.items():
        for at, c in enumerate(counts.values(), 1):
            c.add_counts(g, person, row[0], row[at])
    return {stage: c.frame() for stage, c in counts.items()}


class SectionCounts:
    """One grouping's section, its served rankings counted one at a time.

    Why: the audit report is read again and again while the decision log grows (every ranking
    served appends to it). :meth:`add` counts one more ranking into running counts (integers,
    sets of people, and float sums added in the log's order), so a section counted through
    entry N and then fed the entries after it is the section counted over all of them from
    the start, to the last digit. The applications are fixed for the life of a
    ``SectionCounts`` (they come from proposals and events, not the log): their frames are
    counted once, on first use.
    """

    def __init__(self, group: Grouping, k: int, applications: Sequence[Application] = ()) -> None:
        self.group, self.k = group, k
        self.applications = applications
        self.scoring = RateCounts()
        self.positives = RateCounts()
        self.exposure = ExposureCounts()
        self.represented = RepresentationCounts(k)
        self.people: dict[str, set[str]] = {}  # distinct people per group, for suppression
        self.shown: dict[str, set[str]] = {}  # distinct people per group in the results
        self._applied: tuple[dict[str, RateFrame], dict[str, set[str]]] | None = None

    def add(self, s: Served) -> None:
        """Count one served ranking."""
        group, ts = self.group, s.ts
        groups = [group(p, ts) for p, _ in s.results]
        if s.results:
            median = statistics.median(score for _, score in s.results)
            relevance = _relevance([score for _, score in s.results])
            for rank, ((person, score), g, rel) in enumerate(
                zip(s.results, groups, relevance, strict=True), 1
            ):
                self.scoring.add(Observation(g, person, score > median))
                self.exposure.add(Appearance(g, person, rank, rel))
                if g is not None:
                    self.shown.setdefault(g, set()).add(person)
        top = {p for p, _ in s.results[: self.k]}
        for person in sorted(s.positives):
            self.positives.add(Observation(group(person, ts), person, person in top))
        pool = s.candidates or tuple(p for p, _ in s.results)
        self.represented.add(groups, [group(p, ts) for p in pool])
        for p in {*s.candidates, *(p for p, _ in s.results)}:
            g = group(p, ts)
            if g is not None:
                self.people.setdefault(g, set()).add(p)

    def _applications(self) -> tuple[dict[str, RateFrame], dict[str, set[str]]]:
        if self._applied is None:
            people: dict[str, set[str]] = {}
            for a in self.applications:
                g = self.group(a.person, a.ts)
                if g is not None:
                    people.setdefault(g, set()).add(a.person)
            self._applied = (_selection_frames(self.applications, self.group), people)
        return self._applied

    def section(self, *, with_selection: bool = True) -> dict[str, Any]:
        """Every frame of the counts so far, groups under :data:`MIN_SHOWN` people suppressed."""
        frames, applied = self._applications()
        out = {
            "selection": {stage: f.as_dict() for stage, f in frames.items()},
            "scoring": self.scoring.frame().as_dict(),
            "positives_in_top": self.positives.frame().as_dict(),
            "exposure": exposure_dict(self.exposure.rows()),
            "representation": representation_dict(self.represented.result()),
        }
        sizes = {g: len(members | applied.get(g, set())) for g, members in self.people.items()}
        sizes |= {g: len(members) for g, members in applied.items() if g not in self.people}
        small = {g for g, n in sizes.items() if n < MIN_SHOWN}
        few_shown = {g for g, members in self.shown.items() if len(members) < MIN_SHOWN}
        out = suppress(out, small, few_shown)
        if not with_selection:
            del out["selection"]  # applications are not a model's: the report has them
        return out


def scoring(served: Sequence[Served], group: Grouping) -> dict[str, Any]:
    """LL144 scoring rates: appearances above their list's median score."""
    counts = SectionCounts(group, DEFAULT_K)
    for s in served:
        counts.add(s)
    return counts.scoring.frame().as_dict()


def positives_in_top(served: Sequence[Served], group: Grouping, k: int) -> dict[str, Any]:
    """Of the people a list's job went on to shortlist or better, the share it put in its top k.

    A per-group true positive rate (equal opportunity, Hardt et al. 2016): a positive the
    list did not show at all counts as missed.
    """
    counts = SectionCounts(group, k)
    for s in served:
        counts.add(s)
    return counts.positives.frame().as_dict()


def exposure(served: Sequence[Served], group: Grouping) -> dict[str, Any]:
    """Exposure against relevance per group."""
    counts = SectionCounts(group, DEFAULT_K)
    for s in served:
        counts.add(s)
    return exposure_dict(counts.exposure.rows())


def represented(served: Sequence[Served], group: Grouping, k: int) -> dict[str, Any]:
    """skew@k and NDKL against each list's candidates (its results if none were logged)."""
    counts = SectionCounts(group, k)
    for s in served:
        counts.add(s)
    return representation_dict(counts.represented.result())


def section(
    served: Sequence[Served], applications: Sequence[Application], group: Grouping, k: int
) -> dict[str, Any]:
    """Every frame for one grouping, groups under :data:`MIN_SHOWN` people suppressed."""
    counts = SectionCounts(group, k, applications)
    for s in served:
        counts.add(s)
    return counts.section()


#: Per part of a section, the fields of a group's row that are kept when it is suppressed.
_KEPT = {"rate": {"n", "people"}, "exposure": {"appearances"}, "representation": {"candidates"}}


def suppress(
    sec: dict[str, Any], small: set[str], few_shown: set[str] | None = None
) -> dict[str, Any]:
    """``sec`` with the rows of small groups reduced to counts, marked ``suppressed``.

    A group is small in a part when the people that part's numbers describe are fewer than
    :data:`MIN_SHOWN`: a rate row's own ``people`` (the applicants of a stage, the people
    ranked, the positives), the people shown for exposure (``few_shown``), and for every part
    ``small``, the grouping's people in the section as a whole. Trial 19 read a rate of 0.833
    over 4 people: the section then held more people of that group (as candidates), and the
    rule was only applied to the section's count, not to the people behind the rate.
    """

    def cut(rows: dict[str, Any], kept: set[str], these: set[str]) -> None:
        for g in these & rows.keys():
            rows[g] = {k: (v if k in kept else None) for k, v in rows[g].items()}
            rows[g]["suppressed"] = True

    for frame in (*sec["selection"].values(), sec["scoring"], sec["positives_in_top"]):
        rows = frame["groups"]
        few = {g for g, row in rows.items() if (row.get("people") or 0) < MIN_SHOWN}
        cut(rows, _KEPT["rate"], small | few)
    cut(sec["exposure"], _KEPT["exposure"], small | (few_shown or set()))
    cut(sec["representation"]["groups"], _KEPT["representation"], small)
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


class ReportCounts:
    """The report's counts over the served rankings so far, for fixed people and applications.

    :func:`build_report` feeds it every ranking of a window; the engine keeps one and feeds it
    only the rankings logged since (see :class:`SectionCounts` for why that is the same
    count). ``people`` may grow as rankings name new people (it is read, not copied), but a
    person already in it must not change, nor may ``names``: the engine counts anew then.
    """

    def __init__(
        self,
        people: Mapping[str, Person],
        applications: Sequence[Application],
        k: int,
        names: Sequence[str],
    ) -> None:
        self.names = list(names)
        self.applications = len(applications)
        self.per_attribute = {
            n: SectionCounts(by_attribute(people, n), k, applications) for n in self.names
        }
        self.crossed = {
            f"{a} & {b}": SectionCounts(by_intersection(people, a, b), k, applications)
            for a, b in itertools.combinations(self.names[:MAX_CROSSED], 2)
        }
        self.newcomers = SectionCounts(by_newcomer(people), k, applications)
        self.rankings = self.appearances = 0
        self.batch_rankings = 0  # offline lists nobody was shown: counted apart (:meth:`add_batch`)
        self.ranked: set[str] = set()
        self.versions: dict[str, int] = {}

    def add(self, s: Served) -> None:
        """Count one served ranking."""
        for counts in (*self.per_attribute.values(), *self.crossed.values(), self.newcomers):
            counts.add(s)
        self.rankings += 1
        self.appearances += len(s.results)
        self.ranked.update(p for p, _ in s.results)
        self.versions[s.model_version] = self.versions.get(s.model_version, 0) + 1

    def add_batch(self) -> None:
        """Count one offline batch ranking (``tandem rank``) apart from the served ones.

        Why: exposure, scoring and representation describe what people were shown. A batch
        written to a file was shown to nobody, and one run of a few hundred jobs outweighed
        every list served before it (trial: ``rankings`` went from 17 to 140). Its lists are
        audited from their file (``tandem audit rankings``); here they are only counted.
        """
        self.batch_rankings += 1

    def report(self, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The report's numbers so far: per attribute, per intersection, and for newcomers."""
        return {
            "data": {
                "rankings": self.rankings,
                "appearances": self.appearances,
                "people_ranked": len(self.ranked),
                "applications": self.applications,
                "model_versions": dict(sorted(self.versions.items())),
                "batch_rankings": self.batch_rankings,
            },
            "attributes": {n: c.section() for n, c in self.per_attribute.items()},
            "intersections": {n: c.section() for n, c in self.crossed.items()},
            "newcomers": self.newcomers.section(),
            **(extra or {}),
        }


def build_report(data: ReportInput) -> dict[str, Any]:
    """The report's numbers: per attribute, per intersection, and for newcomers."""
    names = list(data.attributes) if data.attributes is not None else attribute_names(data.people)
    counts = ReportCounts(data.people, data.applications, data.k, names)
    for s in data.served:
        counts.add(s)
    return counts.report(data.extra)
