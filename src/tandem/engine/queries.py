"""Searching and matching: the engine's pure ranking operations (nothing is logged here)."""

from __future__ import annotations

from collections import deque

from tandem.domain import (
    Freelancer,
    JobResult,
    MatchResult,
    Proposal,
    Reason,
)
from tandem.domain.results import ServedItem, Task
from tandem.domain.zones import resolve_zone, zones_within
from tandem.engine.fairness import (
    REFERENCE_JOBS,
    TALLY_LISTS,
    FairnessPolicy,
    explain_move,
    fair_placements,
    group_of,
)
from tandem.engine.newcomers import NewcomerCarry, explain_newcomer_move, place_newcomers
from tandem.engine.types import (
    MAX_TOP,
    TASK_OF,
    CandidateSource,
    JobQuery,
    TalentQuery,
)
from tandem.engine.understanding import UnderstandingLayer
from tandem.errors import ValidationError
from tandem.explain import money, reasons_for
from tandem.explain.search import CLOSE_COSINE, relevance, search_reasons
from tandem.fairness import Placement
from tandem.fairness.alignment import score_offsets
from tandem.fairness.newcomers import NewcomerPolicy, NewcomerStep
from tandem.fairness.tally import CUTS, Tally, add, behind, count_lists
from tandem.rank import Ranker
from tandem.rank.base import MatchFeatures
from tandem.rank.features import now_utc
from tandem.rank.matcher import Candidate
from tandem.search import (
    AtLeast,
    AtMost,
    Filter,
    HasSkills,
    Synonym,
    TagIn,
    hybrid_page,
)
from tandem.text import redact

#: Outcomes that take a job out of a freelancer's recommendations (:meth:`engaged_jobs`).
ENGAGED_EVENTS = frozenset({"interview", "hire", "decline", "review"})
#: A job's considered candidate ids and its candidates in score order (:meth:`scored_list`).
Scored = tuple[list[str], list[Candidate]]


class QueriesLayer(UnderstandingLayer):
    """Search, match and recommend."""

    @property
    def recommend_ranker(self) -> Ranker:
        """Jobs for a freelancer: the heuristic scorer.

        The learned models are trained and gated on rankings of people for a job; no gate
        measures how they order jobs for a person, so they do not serve that task.
        """
        return self.heuristic

    def fairness_policy(self, fair_by: str | None = None) -> FairnessPolicy | None:
        """The fair re-ranking to apply: ``fair_by`` if given ('' turns it off), else settings."""
        attribute = self.settings.fair_by if fair_by is None else fair_by.strip()
        return FairnessPolicy(attribute, self.settings.fair_method) if attribute else None

    def newcomer_policy(self, share: float | None = None) -> NewcomerPolicy | None:
        """The newcomer exposure policy: ``share`` if given (0 turns it off), else settings."""
        share = self.settings.newcomer_share if share is None else share
        return NewcomerPolicy(share).checked() if share else None

    def newcomer_run(self, share: float | None = None) -> NewcomerCarry:
        """A batch's own newcomer state: the deficit starts at 0 and lives in the run.

        Newcomers are judged as of the run's start, so a run is deterministic in the order
        of its job ids; pass it to every :meth:`serve_match` of the run.
        """
        return NewcomerCarry(self.newcomer_policy(share), now_utc())

    def fair_tally(
        self, task: Task, policy: FairnessPolicy, through: int | None = None
    ) -> tuple[Tally, int]:
        """``amortised``'s tally: groups' pooled counts over recent rankings served under it.

        The :data:`TALLY_LISTS` newest ``match`` entries of the decision log for ``task``
        whose fairness entry is ``policy`` (attribute and method), up to entry ``through``
        (default: the log's head now), each counted as served (:func:`count_lists`). Only
        group membership and positions are read, no score or outcome. Returns the tally and
        the entry it was counted through: logged with the ranking, so a replay reads the same
        entries. Serving keeps the window in memory and reads only the entries since.
        """
        head = self.store.decisions.head()[0] if through is None else through
        key = (task, policy.attribute, policy.method)
        cached = self._fair_tallies.get(key) if through is None else None
        if cached is None or cached[0] > head:
            window: deque[tuple[int, Tally]] = deque(maxlen=TALLY_LISTS)
            upper = head
            while len(window) < TALLY_LISTS:
                page = self.store.decisions.numbered("match", through=upper, newest_first=True)
                if not page:
                    break
                for seq, d in page:
                    if d.request.get("task") == task and policy.serves_like(d.request):
                        window.appendleft((seq, self._served_tally(d.results, policy)))
                        if len(window) == TALLY_LISTS:
                            break
                upper = page[-1][0] - 1
        else:
            # a copy: another request may be summing the cached window right now
            window = deque(cached[1], maxlen=TALLY_LISTS)
            last = cached[0]
            while True:
                page = self.store.decisions.numbered("match", after=last, through=head)
                for seq, d in page:
                    if d.request.get("task") == task and policy.serves_like(d.request):
                        window.append((seq, self._served_tally(d.results, policy)))
                if not page:
                    break
                last = page[-1][0]
        if through is None:
            self._fair_tallies[key] = (head, window)
        total: Tally = {k: {} for k in CUTS}
        for _, counted in window:
            total = add(total, counted)
        return total, head

    def _served_tally(self, results: list[ServedItem], policy: FairnessPolicy) -> Tally:
        """One served ranking's counts (a person no longer in the store counts as unknown)."""
        people = self.freelancers(r.id for r in results)
        ranked = sorted(results, key=lambda r: r.rank)
        groups = [
            group_of(people[r.id], policy.attribute) if r.id in people else None for r in ranked
        ]
        return count_lists([groups])

    def fair_offsets(self, task: Task, policy: FairnessPolicy) -> dict[str, float]:
        """Each group's score offset for ``aligned``: the serving model over recent lists.

        The reference lists are the applicants of the :data:`REFERENCE_JOBS` most recent jobs
        with two or more, scored by the model that serves ``task`` (no outcome is read: only
        scores and groups). Cached per model and attribute, and estimated again once the
        number of proposals has changed by a tenth (an import, not every new application:
        a served request must not rescore 200 lists), so a replay of a decision in the same
        state reads the same offsets.
        """
        ranker = self.ranker_for(task)
        key = (task, ranker.version, policy.attribute)
        proposals = self.store.proposals.count()
        cached = self._fair_offsets.get(key)
        if cached is not None and abs(proposals - cached[0]) * 10 <= cached[0]:
            return cached[1]
        by_job: dict[str, dict[str, Proposal]] = {}
        for p in self.store.proposals.iter_all():
            by_job.setdefault(p.job_id, {})[p.freelancer_id] = p
        jobs = self.jobs([j for j, ps in by_job.items() if len(ps) >= 2])
        recent = sorted(jobs.values(), key=lambda j: (j.created_at, j.id))[-REFERENCE_JOBS:]
        matcher = self.matcher
        lists = []
        for job in recent:
            applied = by_job[job.id]
            people = self.freelancers(applied)
            scored = matcher.score(
                matcher.view(job),
                [people[i] for i in applied if i in people],
                ranker,
                applied if task == "applicants" else None,
            )
            lists.append(
                [(group_of(c.freelancer, policy.attribute), c.scored.score) for c in scored]
            )
        offsets = score_offsets(lists)
        self._fair_offsets[key] = (proposals, offsets)
        return offsets

    # search -------------------------------------------------------------------------------
    def _canonical(self, skills: list[str]) -> list[str]:
        return [self.normaliser.canonical(s) or " ".join(s.split()) for s in skills]

    def _synonyms(self, text: str) -> tuple[Synonym, ...]:
        """Skills a search names by an alias or acronym ("seo"), also searched by their name.

        Records index listed skills by canonical name, so "seo" found 1 of the 13 profiles
        that list SEO (seed 88 crowded market) while "search engine optimization" found all.
        """
        return tuple(Synonym(w, n) for w, n in self.normaliser.aliases_in(text))

    def search_talent(self, q: TalentQuery) -> list[MatchResult]:
        """Hybrid talent search with filters; every result says why it is there.

        Words filter as in :meth:`search_jobs`: a person found has at least one of them
        (BM25 found it), and the embeddings order what was found, so a word no profile has
        finds nobody. Without words: everyone who passes the filters, by job success.
        """
        return self.search_talent_counted(q)[0]

    def search_talent_counted(self, q: TalentQuery) -> tuple[list[MatchResult], int]:
        """:meth:`search_talent`, and how many people the search found in all (for "of N")."""
        _check_top(q.top)
        filters: list[Filter] = []
        passed: list[str] = []
        if q.skills:
            names = self._canonical(q.skills)
            filters.append(HasSkills(tuple(names)))
            passed.append("has skill(s) " + ", ".join(names))
        if q.max_rate is not None:
            filters.append(AtMost("rate_usd", q.max_rate))
            passed.append(f"rate at most {money(q.max_rate)}/h")
        country = q.country_code()
        if country:
            filters.append(TagIn("country", (country,)))
            passed.append(f"based in {country}")
        if q.min_job_success is not None:
            filters.append(AtLeast("job_success", q.min_job_success))
            passed.append(f"job success at least {q.min_job_success:g}%")
        if q.available:
            filters.append(TagIn("available", ("yes",)))
            passed.append("available now")
        if q.overlap_with:
            filters.append(self._overlap_filter(q.overlap_with, q.max_hours_apart))
            passed.append(f"within {q.max_hours_apart:g} h of {q.overlap_with}")
        hits, total = hybrid_page(
            self.collection("talent"),
            q.text,
            filters,
            k=q.top,
            order_by="job_success",
            depth=MAX_TOP,  # "of N" and the last page count what the words found, 1,000 deep
            words_required=True,  # a person found has a word of the search or is close in meaning
            similar_from=CLOSE_COSINE,
            synonyms=self._synonyms(q.text),
        )
        people = self.freelancers(h.id for h in hits)
        found = [h for h in hits if h.id in people]
        # an index snapshot published before an erasure in another process still names the
        # person until this one loads the next: never shown, and not counted in "of N" either
        total -= len(hits) - len(found)
        results = [
            _talent_result(people[h.id], h.score, search_reasons(h, q.text, passed), r)
            for h, r in zip(found, relevance([h.score for h in found]), strict=True)
        ]
        policy = self.fairness_policy()
        if policy is None:
            return results, total
        placements = fair_placements(found, lambda h: people[h.id], policy)
        return [explain_move(results[p.item], p, policy) for p in placements], total

    def _overlap_filter(self, where: str, max_hours: float) -> TagIn:
        """Profiles whose zone is within ``max_hours`` of ``where`` today (DST included)."""
        zone = resolve_zone(where)
        if zone is None:
            raise ValidationError(
                f"unknown time zone {where!r}: use an IANA name (Europe/Berlin), "
                "an abbreviation (CET, EST, IST) or an offset (UTC+2, UTC+5:30, UTC-3:30)"
            )
        if max_hours < 0:
            raise ValidationError("max hours apart cannot be negative")
        known = [z for z in self.collection("talent").tag_values("timezone") if z]
        return TagIn("timezone", tuple(zones_within(known, zone, max_hours, now_utc())))

    def search_jobs(self, q: JobQuery) -> list[JobResult]:
        """Hybrid job search with filters (open jobs unless asked otherwise).

        Words filter: a job found has at least one of them (BM25 found it), and the
        embeddings order what was found, so a word no job has finds nothing.
        """
        return self.search_jobs_counted(q)[0]

    def search_jobs_counted(self, q: JobQuery) -> tuple[list[JobResult], int]:
        """:meth:`search_jobs`, and how many jobs the search found in all (for "of N")."""
        _check_top(q.top)
        filters: list[Filter] = []
        passed: list[str] = []
        if not q.include_closed:
            filters.append(TagIn("status", ("open",)))
        if q.skills:
            names = self._canonical(q.skills)
            filters.append(HasSkills(tuple(names)))
            passed.append("asks for " + ", ".join(names))
        if q.min_budget is not None:
            filters.append(AtLeast("budget_max_usd", q.min_budget))
            passed.append(f"budget up to at least {money(q.min_budget)}")
        if q.budget_type:
            filters.append(TagIn("budget_type", (q.budget_type,)))
            passed.append(f"{q.budget_type} budget")
        if q.category:
            filters.append(TagIn("category", (q.category,)))
            passed.append(f"category {q.category}")
        hits, total = hybrid_page(
            self.collection("jobs"),
            q.text,
            filters,
            k=q.top,
            order_by="created",
            depth=MAX_TOP,  # "of N" and the last page count what the words found, 1,000 deep
            words_required=True,  # a job found has a word of the search or is close in meaning
            similar_from=CLOSE_COSINE,
            synonyms=self._synonyms(q.text),
        )
        jobs = self.jobs(h.id for h in hits)
        found = [h for h in hits if h.id in jobs]
        total -= len(hits) - len(found)  # as for people (:meth:`search_talent_counted`)
        results = [
            JobResult(
                job_id=h.id,
                score=round(h.score, 6),
                relevance=r,
                title=jobs[h.id].title,
                category=jobs[h.id].category,
                reasons=search_reasons(h, q.text, passed),
            )
            for h, r in zip(found, relevance([h.score for h in found]), strict=True)
        ]
        return results, total

    # matching -----------------------------------------------------------------------------
    def match(
        self,
        job_id: str,
        *,
        top: int | None = 10,
        candidates: CandidateSource = "all",
        fair_by: str | None = None,
        newcomers: NewcomerCarry | None = None,
    ) -> list[MatchResult]:
        """Freelancers ranked for a job, each with reasons and evidence (``top=None``: all).

        ``fair_by``: re-rank fairly by this attribute ('' for none; default: the setting).
        ``newcomers``: the newcomer exposure policy with the deficit it carries (updated in
        place); none by default: the policy is stateful, so only a served ranking applies the
        setting (:meth:`serve_match`), and a replay passes what the log recorded.
        """
        return self._match(job_id, top, candidates, fair_by, newcomers)[1]

    def _match(
        self,
        job_id: str,
        top: int | None,
        candidates: CandidateSource,
        fair_by: str | None = None,
        newcomers: NewcomerCarry | None = None,
        replay: FairnessPolicy | None = None,
        scored: Scored | None = None,
    ) -> tuple[list[str], list[MatchResult], FairnessPolicy | None, NewcomerStep | None]:
        """Rank, re-rank (group policy, then newcomers), cut.

        ``replay``: a logged group policy, with its tally window, instead of ``fair_by``.
        ``scored``: the job's list as :meth:`scored_list` gave it (on a worker, for a batch).
        """
        if top is not None:
            _check_top(top)
        ids, ranked = self.scored_list(job_id, candidates) if scored is None else scored
        task = TASK_OF[candidates]
        return (ids, *self._policies(ranked, task, top, fair_by, newcomers, replay))

    def scored_list(self, job_id: str, candidates: CandidateSource) -> Scored:
        """The candidates considered for a job and their list in score order, no policy applied.

        This part of a match depends on the job and the store alone, never on rankings served
        before it (the policies do: :meth:`_policies`), so a batch may score its jobs anywhere
        and in any order (:meth:`tandem.engine.learning.LearningLayer.serve_matches`).
        """
        job = self.store.jobs.get(job_id)
        matcher = self.matcher
        view = matcher.view(job)
        proposals = {p.freelancer_id: p for p in self.store.proposals.where(job_id=job_id)}
        if candidates == "proposals":
            ids = list(proposals)
        elif candidates == "all":
            ids = list(dict.fromkeys([*matcher.talent_pool(view), *proposals]))
        else:
            raise ValidationError(f"candidates must be 'all' or 'proposals', not {candidates!r}")
        people = self.freelancers(ids)
        # the candidates considered are people the store holds: an index snapshot published
        # before an erasure may still name someone erased, who must be neither ranked nor logged
        ids = [i for i in ids if i in people]
        task = TASK_OF[candidates]
        scored = matcher.score(
            view,
            [people[i] for i in ids],
            self.ranker_for(task),
            # discovery: nobody's application counts for or against them
            proposals if task == "applicants" else None,
            # clocks compared now, as the overlap filter does: a job posted before a clock
            # change must not say "6 h apart" of people 5 h away today
            now_utc(),
        )
        return ids, scored

    def _policies(
        self,
        scored: list[Candidate],
        task: Task,
        top: int | None,
        fair_by: str | None,
        newcomers: NewcomerCarry | None,
        replay: FairnessPolicy | None = None,
    ) -> tuple[list[MatchResult], FairnessPolicy | None, NewcomerStep | None]:
        """The served order of a list in score order: the group policy, then newcomers."""
        policy = replay or self.fairness_policy(fair_by)
        if policy is None and (newcomers is None or newcomers.policy is None):
            return [_match_result(c) for c in scored[:top]], None, None
        scores = [c.scored.score for c in scored]
        if policy is None:
            placements = [Placement(i, i + 1, i + 1) for i in range(len(scored))]
        else:
            aligned = policy.method in ("aligned", "amortised")
            offsets = self.fair_offsets(task, policy) if aligned else None
            lagging: dict[int, list[str]] | None = None
            if policy.tallies():
                tally, through = self.fair_tally(task, policy, policy.tally_through)
                lagging = {k: behind(counts) for k, counts in tally.items()}
                policy = policy._replace(tally_through=through)
            # the whole list is re-ranked, then cut: every top of it holds each group's share
            placements = fair_placements(
                scored,
                lambda c: c.freelancer,
                policy,
                scores=scores,
                offsets=offsets,
                behind=lagging,
            )
        if newcomers is None or newcomers.policy is None:
            assert policy is not None  # else returned above
            return (
                [explain_move(_match_result(scored[p.item]), p, policy) for p in placements[:top]],
                policy,
                None,
            )
        # then the newcomer step, within the group bounds (see tandem.engine.newcomers)
        persons = [c.freelancer for c in scored]
        placed, step = place_newcomers(persons, scores, placements, newcomers, task, policy)
        before = {p.item: p.served for p in placements}
        results = []
        for p in placed[:top]:
            result = _match_result(scored[p.item])
            if policy is not None:
                result = explain_move(result, p._replace(served=before[p.item]), policy)
            at = before[p.item]
            results.append(explain_newcomer_move(result, p, at, lifted=p.served < at))
        return results, policy, step

    def pair_features(self, job_id: str, freelancer_id: str) -> MatchFeatures:
        """Every feature family of one (job, freelancer) pair, with its proposal if any."""
        job = self.store.jobs.get(job_id)
        freelancer = self.store.freelancers.get(freelancer_id)
        proposals = {p.freelancer_id: p for p in self.store.proposals.where(job_id=job_id)}
        view = self.matcher.view(job)
        return self.matcher.feature_rows(view, [freelancer], proposals, now_utc())[0]

    def engaged_jobs(self, freelancer_id: str) -> set[str]:
        """Jobs the freelancer has a proposal on, or an interview, hire, decline or review.

        Not news to them, so never a recommendation: trial 16 recommended first the job a
        freelancer had been declined on, and to another the job he had been hired on.
        An invite or a message is an opening the freelancer has not taken up yet, and a
        shortlist is the client's private step: a job with only those (or merely seen) is
        still recommended.
        """
        return self.store.engaged_jobs(freelancer_id, ENGAGED_EVENTS)

    def recommend(self, freelancer_id: str, *, top: int = 10) -> list[JobResult]:
        """Open jobs ranked for a freelancer, each with reasons (none already engaged on)."""
        return self.recommend_counted(freelancer_id, top=top)[0]

    def recommend_counted(
        self, freelancer_id: str, *, top: int = 10
    ) -> tuple[list[JobResult], int]:
        """:meth:`recommend`, and how many open jobs were ranked in all (a list's true count).

        Jobs the freelancer already applied to or has an outcome on are left out (see
        :meth:`engaged_jobs`): every face recommends through here. So are jobs with no skill
        to compare, listed or read from their words: a recommendation says why a job fits,
        and every family of such a job scores its neutral value, above real jobs that fit in
        part (trial 18: four test jobs titled "x" took places 1-4 at 0.545 against 0.483).
        """
        _check_top(top)
        freelancer = self.store.freelancers.get(freelancer_id)
        matcher = self.matcher
        jobs = self.jobs(matcher.job_pool(freelancer))
        engaged = self.engaged_jobs(freelancer_id)
        scored = matcher.recommend(
            freelancer,
            [j for j in jobs.values() if j.status == "open" and j.id not in engaged],
            self.recommend_ranker,
            now_utc(),
        )
        scored = [c for c in scored if c.features.skills.hits or c.features.skills.missing]
        results = [
            JobResult(
                job_id=c.job.id,
                score=round(c.scored.score, 6),
                title=c.job.title,
                category=c.job.category,
                reasons=reasons_for(c.features, c.scored),
            )
            for c in scored[:top]
        ]
        return results, len(scored)


def _check_top(top: int) -> None:
    if not 1 <= top <= MAX_TOP:
        raise ValidationError(f"top must be between 1 and {MAX_TOP}, got {top}")


def _talent_result(
    f: Freelancer, score: float, reasons: list[Reason], relevance: int | None = None
) -> MatchResult:
    return MatchResult(
        freelancer_id=f.id,
        score=round(score, 6),
        relevance=relevance,
        name=f.name,
        title=redact(f.title),  # shown to clients: contact details typed into it stay private
        hourly_rate=f.hourly_rate,
        currency=f.currency,
        country=f.country,
        reasons=reasons,
    )


def _match_result(c: Candidate) -> MatchResult:
    return _talent_result(c.freelancer, c.scored.score, reasons_for(c.features, c.scored))
