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
from collections.abc import Hashable, Sequence
from datetime import UTC, datetime
from typing import Any

from tandem.domain import Decision
from tandem.engine.fairness import group_of
from tandem.engine.learning import LearningLayer
from tandem.errors import NotFoundError, ValidationError
from tandem.fairness import RankingAudit, audit_rankings
from tandem.fairness.proxy import proxy_check, proxy_dict
from tandem.fairness.report import (
    DEFAULT_K,
    Application,
    Person,
    ReportInput,
    Served,
    attribute_names,
    build_report,
    by_attribute,
    by_newcomer,
    section,
)
from tandem.learn.card import ranking_card
from tandem.rank.vector import TASK_COLUMNS, to_matrix
from tandem.store.fingerprint import store_fingerprint

#: Decision kinds that rank people.
PEOPLE_KINDS = ("match", "search_talent")
#: The proxy check recomputes features for at most this many served match lists (newest).
PROXY_LISTS = 60
#: What the report reads besides the decision log (the proxy check reads jobs too).
REPORT_TABLES = ("freelancers", "jobs", "proposals", "events")
#: What a ranking card reads besides the decision log.
CARD_TABLES = ("freelancers", "events")


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
        # taxonomy, a trained model) is a new state; built first so the key names the one used
        matcher = weakref.ref(self.matcher) if proxy else None
        key = ("report", since, until, k, proxy, matcher, *self._state(REPORT_TABLES))
        kept = self._kept.get(key, lambda: self._report(since, until, k, proxy))
        return copy.deepcopy(kept)  # callers may add to theirs; the kept one stays as counted

    def _report(
        self, since: datetime | None, until: datetime | None, k: int, proxy: bool
    ) -> dict[str, Any]:
        """The report counted now (what :meth:`audit_report` keeps per state of the data)."""
        decisions = list(self.store.decisions.served(PEOPLE_KINDS, since, until))
        served = self._served(decisions)
        applications = self._applications(since, until)
        ids = {p for s in served for p, _ in s.results} | {a.person for a in applications}
        ids |= {p for s in served for p in s.candidates}
        people = self._people(ids)
        data = ReportInput(served, applications, people, k)
        report = build_report(data)
        names = attribute_names(people)
        versions = sorted({d.model_version for d in decisions} & self._registered())
        report["models"] = [self._card_over(v, served, people, k) for v in versions]
        if proxy:
            report["proxy"] = self._proxy(decisions, people, names)
        return {
            "window": {
                "since": since.isoformat() if since else None,
                "until": until.isoformat() if until else None,
                "generated_at": datetime.now(UTC).isoformat(),
            },
            **report,
        }

    def _served(self, decisions: list[Decision]) -> list[Served]:
        """Decisions as the report counts them, with who went on to shortlist or better."""
        good = {"shortlist", "interview", "hire"}
        positive = {(e.job_id, e.freelancer_id) for e in self.store.reached() if e.type in good}
        out = []
        for d in decisions:
            ranked = tuple((r.id, r.score) for r in sorted(d.results, key=lambda r: r.rank))
            people = {*d.candidates, *(p for p, _ in ranked)}
            job = d.subject if d.kind == "match" else None
            hits = frozenset(p for p in people if (job, p) in positive)
            out.append(Served(d.ts, d.model_version, tuple(d.candidates), ranked, hits))
        return out

    def _applications(self, since: datetime | None, until: datetime | None) -> list[Application]:
        def inside(ts: datetime) -> bool:
            return (since is None or ts >= since) and (until is None or ts < until)

        reached: dict[tuple[str, str], set[str]] = {}
        for e in self.store.reached():
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

    def _proxy(
        self, decisions: list[Decision], people: dict[str, Person], names: list[str]
    ) -> dict[str, Any]:
        """Per attribute, how well each feature family of the served pairs predicts it."""
        lists = [d for d in decisions if d.kind == "match"][-PROXY_LISTS:]
        rows: list[list[float]] = []
        persons: list[str] = []
        columns = TASK_COLUMNS["discovery"]  # the features every pair has, applied or not
        jobs = self.store.jobs.get_many({d.subject for d in lists})
        matcher = self.matcher
        for d in lists:
            job = jobs.get(d.subject)
            ranked = self.store.freelancers.get_many([r.id for r in d.results])
            if job is None or not ranked:
                continue
            view = matcher.view(job)
            order = [r.id for r in d.results if r.id in ranked]
            feats = matcher.feature_rows(view, [ranked[i] for i in order], None)
            rows.extend(to_matrix(feats, columns).tolist())
            persons.extend(order)
        pairs = [(c.name, c.family) for c in columns]
        out = {}
        for name in names:
            grouping = by_attribute(people, name)
            groups = [grouping(p, datetime.now(UTC)) for p in persons]
            out[name] = proxy_dict(proxy_check(rows, groups, persons, pairs), len(rows))
        return out

    # ranking cards ------------------------------------------------------------------------
    def _registered(self) -> set[str]:
        return {m.version for m in self.models.list()}

    def _state(self, tables: Sequence[str]) -> tuple[Hashable, ...]:
        """A fingerprint of what a report or card reads: the log, ``tables``, the registry.

        Read before counting, so that a write during the count only makes the next view
        count again (:mod:`tandem.engine.keeping`).
        """
        models = json.dumps(
            sorted((m.version, m.meta) for m in self.models.list()), sort_keys=True, default=str
        )
        return (*store_fingerprint(self.store.db, tables), models)

    def model_card(self, version: str, *, k: int = DEFAULT_K) -> dict[str, Any]:
        """A model version's ranking card, with per-group numbers over what it served."""
        if version not in self._registered():  # only names the registry lists, never a path
            raise NotFoundError(f"no model {version!r} in the registry (see tandem models list)")
        key = ("card", version, k, *self._state(CARD_TABLES))
        return copy.deepcopy(self._kept.get(key, lambda: self._card(version, k)))

    def _card(self, version: str, k: int) -> dict[str, Any]:
        """A ranking card counted now (what :meth:`model_card` keeps per state of the data)."""
        decisions = [
            d for d in self.store.decisions.served(("match",)) if d.model_version == version
        ]
        served = self._served(decisions)
        ids = {p for s in served for p, _ in s.results} | {p for s in served for p in s.candidates}
        return self._card_over(version, served, self._people(ids), k)

    def _card_over(
        self, version: str, served: list[Served], people: dict[str, Person], k: int
    ) -> dict[str, Any]:
        card = ranking_card(self.models.get(version).meta)
        mine = [s for s in served if s.model_version == version]
        card["served"] = {"rankings": len(mine)}
        groupings = {n: by_attribute(people, n) for n in attribute_names(people)}
        groupings["newcomers"] = by_newcomer(people)
        card["by_group"] = {
            name: {
                key: value
                for key, value in section(mine, [], grouping, k).items()
                if key != "selection"  # applications are not a model's: the report has them
            }
            for name, grouping in groupings.items()
        }
        return card


def _in_utc(moment: datetime | None, name: str) -> datetime | None:
    """``moment`` in UTC (naive: taken as UTC); one that UTC cannot hold is refused."""
    if moment is None:
        return None
    try:
        return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    except OverflowError as exc:
        raise ValidationError(f"{name} {moment.isoformat()} is out of range in UTC") from exc
