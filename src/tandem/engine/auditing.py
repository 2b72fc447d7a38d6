"""Auditing: fairness counts over rankings, computed where the protected attributes live.

The attributes are read here and only aggregates leave: an audit returns counts and rates per
group, never an id tied to a group (see :mod:`tandem.fairness.audit`). The audit report and
the ranking cards are assembled here from the decision log, proposals, events and the model
registry, and counted by the pure modules of :mod:`tandem.fairness`.
"""

from __future__ import annotations

import copy
import json
import weakref
from collections.abc import Hashable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from tandem.domain import Decision
from tandem.engine.counting import (
    COUNTED_EVENTS,
    GOOD,
    RunningCard,
    RunningReport,
    served_of,
    shown,
)
from tandem.engine.fairness import group_of
from tandem.engine.learning import LearningLayer
from tandem.errors import NotFoundError, ValidationError
from tandem.fairness import RankingAudit, audit_rankings
from tandem.fairness.proxy import proxy_check, proxy_dict
from tandem.fairness.report import (
    DEFAULT_K,
    Application,
    Person,
    SectionCounts,
    attribute_names,
    by_attribute,
    by_newcomer,
)
from tandem.learn.card import ranking_card
from tandem.rank.vector import TASK_COLUMNS, to_matrix
from tandem.store.fingerprint import log_base, table_fingerprint
from tandem.store.repository import Reached

#: Decision kinds that rank people.
PEOPLE_KINDS = ("match", "search_talent")
#: What the report reads besides the decision log and events (the proxy check reads jobs).
REPORT_TABLES = ("freelancers", "jobs", "proposals")


class AuditingLayer(LearningLayer):
    """Fairness audits of served or batch rankings, the audit report, ranking cards."""

    def audit_rankings(
        self, rankings: Sequence[Sequence[str]], *, attribute: str, top_k: int
    ) -> RankingAudit:
        """Selection rates and impact ratios per group of ``attribute`` over ``rankings``.

        Ids that are not (or no longer) in the store count as unknown, as do people who did
        not disclose the attribute.
        """
        ids = {i for ranking in rankings for i in ranking}
        people = self.store.freelancers.get_many(ids)
        groups = {i: group_of(p, attribute) for i, p in people.items()}
        if people and all(g is None for g in groups.values()):
            names = sorted({k for p in people.values() for k in (p.attributes or {})})
            raise ValidationError(
                f"none of the {len(people)} ranked freelancers has the attribute {attribute!r}"
                + (f"; they have: {', '.join(names)}" if names else "; they have none")
            )
        return audit_rankings(rankings, sensitive_features=groups, top_k=top_k, attribute=attribute)

    def check_attribute(self, attribute: str) -> None:
        """Refuse an attribute no freelancer has: a misspelt ``--fair-by`` would change nothing.

        Reads profiles until one has it (the first does, when the attribute is in use), and
        names the attributes in use when none has it.
        """
        seen: set[str] = set()
        for person in self.store.freelancers.iter_all():
            keys = set(person.attributes or {})
            if attribute in keys:
                return
            seen |= keys
        listed = f"; attributes in use: {', '.join(sorted(seen))}" if seen else "; no one has any"
        raise ValidationError(f"no freelancer has the attribute {attribute!r}{listed}")

    # the audit report ---------------------------------------------------------------------
    def audit_report(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        k: int = DEFAULT_K,
        proxy: bool = True,
    ) -> dict[str, Any]:
        """The audit report's numbers over ``[since, until)`` (see :mod:`tandem.fairness.report`).

        Served rankings come from the decision log; applications are the proposals made in the
        window, with the outcomes their events reached in it. Aggregates only.
        """
        since, until = _in_utc(since, "since"), _in_utc(until, "until")
        if since is not None and until is not None and since >= until:
            raise ValidationError("since must be before until")
        if k < 1:
            raise ValidationError(f"k must be at least 1, got {k}")
        # the proxy check recomputes features with the matcher: a new one (an import, a new
        # taxonomy, a trained model) is a new context; taken first so the key names the one used
        matcher = weakref.ref(self.matcher) if proxy else None
        context = (matcher, *self._context())
        head = self.store.decisions.head()[0]  # after the context: a later write shows next time
        key = ("report", since, until, k, proxy)
        running = self._counted.take(key)
        if running is None or running.context != context:
            running = self._running(since, until, k, context)
        if running.report is None or running.through != head:
            self._count_on(running, since, until, head)
            running.report = self._assemble(running, since, until, proxy)
        self._counted.give(key, running)
        return copy.deepcopy(running.report)  # callers may add to theirs; the kept one stays

    def _report(
        self, since: datetime | None, until: datetime | None, k: int, proxy: bool
    ) -> dict[str, Any]:
        """The report counted from the start now, kept nowhere (what the running one must equal)."""
        running = self._running(since, until, k, ())
        self._count_on(running, since, until, self.store.decisions.head()[0])
        return self._assemble(running, since, until, proxy)

    def _running(
        self, since: datetime | None, until: datetime | None, k: int, context: tuple[Hashable, ...]
    ) -> RunningReport:
        """Empty running counts for a window, with what they read besides the log read now."""
        reached = list(self.store.reached())
        positive = {(e.job_id, e.freelancer_id) for e in reached if e.type in GOOD}
        reviewed = {o.freelancer_id for o in self.store.outcomes() if o.type == "review"}
        running = RunningReport(
            context,
            k,
            self._applications(since, until, reached),
            positive,
            {i for i in reviewed if i},
            self._registered(),
        )
        self._look_up(running, {a.person for a in running.applications})
        return running

    def _count_on(
        self, running: RunningReport, since: datetime | None, until: datetime | None, head: int
    ) -> None:
        """Count the entries after ``running.through`` through ``head`` (all, if need be)."""
        new = list(
            self.store.decisions.served(
                PEOPLE_KINDS, since, until, after=running.through, through=head
            )
        )
        self._look_up(running, running.unknown_ids(new))
        if not running.names_hold():  # new people change the attributes reported: all again
            if running.through >= 0:
                new = list(self.store.decisions.served(PEOPLE_KINDS, since, until, through=head))
                self._look_up(running, running.unknown_ids(new))
            running.start()
        running.add(new)
        running.through = head
        running.report = None

    def _look_up(self, running: RunningReport, ids: set[str]) -> None:
        found = self.store.freelancers.get_many(ids)
        for i, f in found.items():
            reviewed = f.rating is not None or i in running.reviewed
            running.people[i] = Person(dict(f.attributes or {}), f.joined_at, reviewed)
        running.absent |= ids - found.keys()

    def _assemble(
        self, running: RunningReport, since: datetime | None, until: datetime | None, proxy: bool
    ) -> dict[str, Any]:
        """The report from running counts: the counts' numbers, the cards, the proxy check."""
        assert running.counts is not None
        report = running.counts.report()
        versions = sorted(running.cards)
        report["models"] = [self._card_from(v, *running.cards[v]) for v in versions]
        if proxy:
            report["proxy"] = self._proxy(running)
        return {
            "window": {
                "since": since.isoformat() if since else None,
                "until": until.isoformat() if until else None,
                "generated_at": datetime.now(UTC).isoformat(),
            },
            **report,
        }

    def _context(self) -> tuple[Hashable, ...]:
        """What the report reads besides the log's new entries (see :mod:`.counting`)."""
        db = self.store.db
        tables = tuple((t, table_fingerprint(db, t)) for t in REPORT_TABLES)
        events = table_fingerprint(db, "events", COUNTED_EVENTS)
        return (log_base(db), *tables, ("events", events), self._registry_state())

    def _applications(
        self, since: datetime | None, until: datetime | None, events: Iterable[Reached]
    ) -> list[Application]:
        """The proposals made in the window, each with the outcomes ``events`` reached in it."""

        def inside(ts: datetime) -> bool:
            return (since is None or ts >= since) and (until is None or ts < until)

        reached: dict[tuple[str, str], set[str]] = {}
        for e in events:
            if inside(e.ts):
                reached.setdefault((e.job_id, e.freelancer_id), set()).add(e.type)
        return [
            Application(p.freelancer_id, p.created_at, frozenset(reached.get(pair, ())))
            for p in self.store.applied()
            if inside(p.created_at) and (pair := (p.job_id, p.freelancer_id))
        ]

    def _people(self, ids: set[str]) -> dict[str, Person]:
        reviewed = {o.freelancer_id for o in self.store.outcomes() if o.type == "review"}
        return {
            i: Person(dict(f.attributes or {}), f.joined_at, f.rating is not None or i in reviewed)
            for i, f in self.store.freelancers.get_many(ids).items()
        }

    def _proxy(self, running: RunningReport) -> dict[str, Any]:
        """Per attribute, how well each feature family of the served pairs predicts it.

        Each list's feature rows are computed once per running count (the matcher, the
        profiles and jobs are part of its context), so a view computes only the new lists'.
        """
        columns = TASK_COLUMNS["discovery"]  # the features every pair has, applied or not
        todo = [p for p in running.proxy if p.rows is None]
        jobs = self.store.jobs.get_many({p.job for p in todo})
        matcher = self.matcher
        for p in todo:
            job = jobs.get(p.job)
            ranked = self.store.freelancers.get_many(p.people)
            order = tuple(i for i in p.people if i in ranked)
            if job is None or not ranked:
                p.rows = ((), [])
                continue
            feats = matcher.feature_rows(matcher.view(job), [ranked[i] for i in order], None)
            p.rows = (order, to_matrix(feats, columns).tolist())
        rows = [row for p in running.proxy if p.rows for row in p.rows[1]]
        persons = [i for p in running.proxy if p.rows for i in p.rows[0]]
        pairs = [(c.name, c.family) for c in columns]
        out = {}
        assert running.counts is not None
        for name in running.counts.names:
            grouping = by_attribute(running.people, name)
            groups = [grouping(p, datetime.now(UTC)) for p in persons]
            out[name] = proxy_dict(proxy_check(rows, groups, persons, pairs), len(rows))
        return out

    # ranking cards ------------------------------------------------------------------------
    def _registered(self) -> set[str]:
        return {m.version for m in self.models.list()}

    def _registry_state(self) -> str:
        """The registry's versions and their metadata (a card shows them)."""
        return json.dumps(
            sorted((m.version, m.meta) for m in self.models.list()), sort_keys=True, default=str
        )

    def model_card(self, version: str, *, k: int = DEFAULT_K) -> dict[str, Any]:
        """A model version's ranking card, with per-group numbers over what it served.

        Counted on from the last view (:class:`tandem.engine.counting.RunningCard`): only the
        match lists logged since are read; equal to :meth:`_card`, the count from the start.
        """
        if version not in self._registered():  # only names the registry lists, never a path
            raise NotFoundError(f"no model {version!r} in the registry (see tandem models list)")
        db = self.store.db
        context = (
            log_base(db),
            ("freelancers", table_fingerprint(db, "freelancers")),
            ("events", table_fingerprint(db, "events", COUNTED_EVENTS)),
            self._registry_state(),
        )
        head = self.store.decisions.head()[0]  # after the context: a later write shows next time
        key = ("card", version, k)
        running = self._cards_counted.take(key)
        if running is None or running.context != context:
            positive = {(e.job_id, e.freelancer_id) for e in self.store.reached() if e.type in GOOD}
            reviewed = {o.freelancer_id for o in self.store.outcomes() if o.type == "review"}
            running = RunningCard(context, version, k, positive, {i for i in reviewed if i})
        if running.sections is None or running.through != head:
            new = self._served_by(version, running.through, head)
            self._card_look_up(running, new)
            if not running.names_hold():  # new people change the attributes: all again
                if running.through >= 0:
                    new = self._served_by(version, -1, head)
                    self._card_look_up(running, new)
                running.start()
            running.add(served_of(new, running.positive))
            running.through = head
        self._cards_counted.give(key, running)
        assert running.sections is not None
        return copy.deepcopy(self._card_from(version, [running.rankings], running.sections))

    def _served_by(self, version: str, after: int, through: int) -> list[Decision]:
        """The match lists ``version`` served after entry ``after`` through ``through``."""
        entries = self.store.decisions.served(("match",), after=after, through=through)
        return [d for d in entries if d.model_version == version and shown(d)]

    def _card_look_up(self, running: RunningCard, decisions: list[Decision]) -> None:
        ids = {p for d in decisions for p in (*d.candidates, *(r.id for r in d.results))}
        ids -= running.people.keys() | running.absent
        found = self.store.freelancers.get_many(ids)
        for i, f in found.items():
            reviewed = f.rating is not None or i in running.reviewed
            running.people[i] = Person(dict(f.attributes or {}), f.joined_at, reviewed)
        running.absent |= ids - found.keys()

    def _card(self, version: str, k: int) -> dict[str, Any]:
        """A ranking card counted now (what :meth:`model_card` keeps per state of the data)."""
        decisions = [
            d
            for d in self.store.decisions.served(("match",))
            if d.model_version == version and shown(d)
        ]
        positive = {(e.job_id, e.freelancer_id) for e in self.store.reached() if e.type in GOOD}
        served = served_of(decisions, positive)
        ids = {p for s in served for p, _ in s.results} | {p for s in served for p in s.candidates}
        people = self._people(ids)
        groupings = {n: by_attribute(people, n) for n in attribute_names(people)}
        groupings["newcomers"] = by_newcomer(people)
        sections = {n: SectionCounts(g, k) for n, g in groupings.items()}
        for s in served:
            for counts in sections.values():
                counts.add(s)
        return self._card_from(version, [len(served)], sections)

    def _card_from(
        self, version: str, rankings: list[int], sections: dict[str, SectionCounts]
    ) -> dict[str, Any]:
        """A version's card with the per-group numbers of what it served (no applications).

        A version trained on someone since erased says so among its limits, from the rule the
        models list reads (:meth:`erased_models`).
        """
        erased_on = self.erased_models().get(version)
        card = ranking_card(self.models.get(version).meta, erased_on=erased_on)
        card["served"] = {"rankings": rankings[0]}
        card["by_group"] = {n: c.section(with_selection=False) for n, c in sections.items()}
        return card


def _in_utc(moment: datetime | None, name: str) -> datetime | None:
    """``moment`` in UTC (naive: taken as UTC); one that UTC cannot hold is refused."""
    if moment is None:
        return None
    try:
        return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    except OverflowError as exc:
        raise ValidationError(f"{name} {moment.isoformat()} is out of range in UTC") from exc
