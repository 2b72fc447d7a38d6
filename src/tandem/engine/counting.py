"""The audit report counted on from where it was: only rankings logged since are counted.

Why: every ranking served appends to the decision log, and the audit report counts over the
log. Recounting it on every view cost ~1.1 s of CPU on the demo market (issue 14 asks 300 ms
for a page), and keeping the last report per state of the data does not help a market that
serves between two views. The log is append-only, though, except for retention's purge (its
base moves) and erasure (recorded in ``erasures``): so the engine keeps, per window, the
report's running counts (:class:`tandem.fairness.report.ReportCounts`) with the sequence
number of the last entry counted, and a view counts only the entries after it.

What the counts also read (profiles, proposals, outcomes, the model registry, the matcher)
is the *context*: fixed while the counts live. A view whose context differs from the one its
counts were made in counts from the start; so does one whose new rankings name a person who
would change which attributes the report has (:func:`tandem.fairness.report.attribute_names`).
Impressions and other events the report does not read are not part of the context. The
result is the count from the start, to the last digit (``tests/engine/test_counting.py``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Set
from dataclasses import dataclass, field
from typing import Any

from tandem.domain import Decision
from tandem.fairness.report import (
    Application,
    Person,
    ReportCounts,
    SectionCounts,
    Served,
    attribute_names,
    by_attribute,
    by_newcomer,
)

#: The proxy check recomputes features for at most this many served match lists (newest).
PROXY_LISTS = 60
#: Outcomes that become shortlisted-or-better positives of a served list.
GOOD = frozenset({"shortlist", "interview", "hire"})
#: The event types the report reads (the stages, reviews for newcomers; the matcher's track
#: record reads hires and reviews): a change to any other event leaves the counts true.
COUNTED_EVENTS = ("hire", "interview", "review", "shortlist")

#: The decision-log surface of offline batch rankings (``tandem rank``): written to a file,
#: shown to nobody, so left out of what the report and the ranking cards count as served.
BATCH_SURFACE = "batch"


def shown(decision: Decision) -> bool:
    """Whether a logged ranking was served to someone (not an offline batch list)."""
    return decision.surface != BATCH_SURFACE


def served_of(decisions: Iterable[Decision], positive: Set[tuple[str, str]]) -> list[Served]:
    """Decisions as the report counts them, with who went on to shortlist or better.

    ``positive``: the (job, person) pairs shortlisted, interviewed or hired.
    """
    out = []
    for d in decisions:
        ranked = tuple((r.id, r.score) for r in sorted(d.results, key=lambda r: r.rank))
        people = {*d.candidates, *(p for p, _ in ranked)}
        job = d.subject if d.kind == "match" else None
        hits = frozenset(p for p in people if job is not None and (job, p) in positive)
        out.append(Served(d.ts, d.model_version, tuple(d.candidates), ranked, hits))
    return out


@dataclass
class ProxyList:
    """One served match list the proxy check reads: its job and people, and their features."""

    request_id: str
    job: str
    people: tuple[str, ...]
    rows: tuple[tuple[str, ...], list[list[float]]] | None = None  # (persons, feature rows)


@dataclass
class RunningReport:
    """One window's running counts, valid in ``context``, counted through entry ``through``."""

    context: tuple[Hashable, ...]
    k: int
    applications: list[Application]
    positive: set[tuple[str, str]]  # (job, person) pairs shortlisted or better
    reviewed: set[str]
    registered: set[str]  # model versions in the registry: the ones with a card
    people: dict[str, Person] = field(default_factory=dict)
    absent: set[str] = field(default_factory=set)  # named by the log, not in the store
    through: int = -1
    counts: ReportCounts | None = None
    cards: dict[str, tuple[list[int], dict[str, SectionCounts]]] = field(default_factory=dict)
    proxy: deque[ProxyList] = field(default_factory=lambda: deque(maxlen=PROXY_LISTS))
    report: dict[str, Any] | None = None  # the last report made, at ``through``
    recounts: int = 0  # counts made from the start (the tests read it)

    def unknown_ids(self, decisions: Iterable[Decision]) -> set[str]:
        """The people ``decisions`` served name that have not been looked up yet.

        A batch list's people are not looked up: they were shown to nobody, so the attributes
        only they disclosed must not add sections to the report.
        """
        ids = {
            p for d in decisions if shown(d) for p in (*d.candidates, *(r.id for r in d.results))
        }
        return ids - self.people.keys() - self.absent

    def served(self, decisions: Iterable[Decision]) -> list[Served]:
        """Decisions as the report counts them (:func:`served_of`)."""
        return served_of(decisions, self.positive)

    def names_hold(self) -> bool:
        """Whether the attributes the counts were made for are still the report's."""
        return self.counts is not None and self.counts.names == attribute_names(self.people)

    def start(self) -> None:
        """Empty counts for the people known now (a count from the start follows)."""
        self.counts = ReportCounts(
            self.people, self.applications, self.k, attribute_names(self.people)
        )
        self.cards = {}
        self.proxy.clear()
        self.recounts += 1

    def add(self, decisions: list[Decision]) -> None:
        """Count ``decisions`` (the entries after ``through``, in log order)."""
        assert self.counts is not None, "start() first"
        for d, s in zip(decisions, self.served(decisions), strict=True):
            if not shown(d):
                self.counts.add_batch()
                continue
            self.counts.add(s)
            if s.model_version in self.registered:
                rankings, sections = self._card(s.model_version)
                rankings[0] += 1
                for counts in sections.values():
                    counts.add(s)
            if d.kind == "match":
                people = tuple(r.id for r in d.results)
                self.proxy.append(ProxyList(d.request_id, d.subject, people))

    def _card(self, version: str) -> tuple[list[int], dict[str, SectionCounts]]:
        if version not in self.cards:
            assert self.counts is not None
            groupings = {n: by_attribute(self.people, n) for n in self.counts.names}
            groupings["newcomers"] = by_newcomer(self.people)
            self.cards[version] = ([0], {n: SectionCounts(g, self.k) for n, g in groupings.items()})
        return self.cards[version]


@dataclass
class RunningCard:
    """A model version's ranking-card counts, valid in ``context``, through entry ``through``.

    Why: a card counts the match lists its version served, and every ranking served appends
    to the log: counted from the start per view, a serving home paid ~200 ms of CPU for each
    view of a card. Like :class:`RunningReport`, only the entries after ``through`` are
    counted; the people the card has seen fix which attributes it reports, and a new person
    who would change them makes the next view count from the start.
    """

    context: tuple[Hashable, ...]
    version: str
    k: int
    positive: set[tuple[str, str]]  # (job, person) pairs shortlisted or better
    reviewed: set[str]
    people: dict[str, Person] = field(default_factory=dict)
    absent: set[str] = field(default_factory=set)  # named by the log, not in the store
    through: int = -1
    rankings: int = 0
    sections: dict[str, SectionCounts] | None = None
    names: list[str] = field(default_factory=list)
    recounts: int = 0  # counts made from the start (the tests read it)

    def start(self) -> None:
        """Empty counts for the people known now (a count from the start follows)."""
        self.names = attribute_names(self.people)
        groupings = {n: by_attribute(self.people, n) for n in self.names}
        groupings["newcomers"] = by_newcomer(self.people)
        self.sections = {n: SectionCounts(g, self.k) for n, g in groupings.items()}
        self.rankings = 0
        self.recounts += 1

    def names_hold(self) -> bool:
        """Whether the attributes the counts were made for are still the card's."""
        return self.sections is not None and self.names == attribute_names(self.people)

    def add(self, served: Iterable[Served]) -> None:
        """Count this version's served lists (the entries after ``through``, in log order)."""
        assert self.sections is not None, "start() first"
        for s in served:
            self.rankings += 1
            for counts in self.sections.values():
                counts.add(s)
