"""Feature families of one job against many freelancers, the job's side derived once.

:mod:`tandem.rank.features` states each family's rule as a pure function of one pair. A match
applies them to its ~300 candidates, and most of each call was the same for every candidate:
the related-skill map of each job skill (4-5 taxonomy reads a pair), the job's budget, languages
and clock; or the same for many of them (300 candidates of the 10k market share about 21 time
zones, 70 prices and 30 language lists). At about 100 us a pair that was a third of a served
match (cProfile of 60 served matches on the 10k-profile MiniLM benchmark home; issue 15).

:class:`JobSide` reads the job once and gives each pair the same :class:`MatchFeatures` the plain
functions give: families that read only a few of the freelancer's fields are the plain
function's result for those fields, kept for the candidates that share them (results are frozen
and nothing edits their lists, so sharing one is as good as a copy, as
:class:`~tandem.rank.matcher.Profile` already shares a freelancer's track record); skill coverage
and requirement fit are the same rules walked with the job's side prepared.
``tests/rank/test_pairing.py`` checks the pairs of a generated market against the plain
functions, field by field and score by score.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from tandem.domain import Freelancer, Proposal
from tandem.rank.base import MatchFeatures
from tandem.rank.features import (
    CREDIT,
    LanguageFit,
    PastOutcomes,
    ProposalSignals,
    RateFit,
    RequirementFit,
    SkillCoverage,
    SkillHit,
    TimezoneFit,
    availability_fit,
    experience_fit,
    language_fit,
    proposal_signals,
    rate_fit,
    semantic_score,
    timezone_fit,
)
from tandem.skills import Taxonomy

if TYPE_CHECKING:
    from tandem.rank.matcher import JobView, Profile

LISTED, MENTIONED, RELATED = CREDIT["listed"], CREDIT["mentioned"], CREDIT["related"]


class SkillSide:
    """Skills of a job to cover, with whose listing would cover each by relation.

    ``index`` turns the taxonomy's related maps of the job skills around: a skill a profile
    may list -> (position of a job skill it relates to, link weight). A profile lists about
    seven skills and a job skill relates to about 20, so a pair looks up its few listed
    skills once instead of intersecting with every job skill's map.
    """

    def __init__(self, skills: list[str], taxonomy: Taxonomy) -> None:
        self.skills = skills
        self.index: dict[str, list[tuple[int, float]]] = {}
        for at, skill in enumerate(skills):
            for other, weight in taxonomy.related_view(skill).items():
                self.index.setdefault(other, []).append((at, weight))

    def best_related(self, listed: dict[str, str]) -> dict[int, tuple[float, str]]:
        """By position, the heaviest (weight, skill) the profile lists; ties: last name.

        Over the same pairs as :func:`~tandem.rank.features._best_related` for each job skill,
        so the same maximum.
        """
        best: dict[int, tuple[float, str]] = {}
        index = self.index
        for other in listed:
            for at, weight in index.get(other, ()):
                held = best.get(at)
                if held is None or (weight, other) > held:
                    best[at] = (weight, other)
        return best


def mean_credit(credit: dict[str, float], skills: list[str]) -> float | None:
    """:func:`~tandem.rank.features.requirement_fit`'s mean credit over ``skills``."""
    return sum([credit.get(s, 0.0) for s in skills]) / len(skills) if skills else None


class JobSide:
    """One job prepared for scoring many freelancers against it (one match or one batch).

    Built per call, never kept: the related maps are the taxonomy's as of the call, and the
    shared results live only as long as the call's candidates.
    """

    def __init__(
        self,
        view: JobView,
        taxonomy: Taxonomy,
        history: Callable[[str, datetime], PastOutcomes] | None,
        letter_skills: Callable[[str], list[str]],
    ) -> None:
        self.view = view
        self._history = history
        self._letter_skills = letter_skills
        self._covers = SkillSide(view.skills, taxonomy)
        self._extra = SkillSide(view.outside, taxonomy) if view.outside else None
        # Hits by what decides them (a skill with the text typed, the mention, the related
        # skill): candidates list the same skills the same way, and a hit is frozen.
        self._hits: dict[tuple[str, str, str], SkillHit] = {}
        self._unapplied = ProposalSignals()
        self._no_past = PastOutcomes()
        # Results of plain functions by the freelancer fields they read, for this job.
        self._rates: dict[tuple[float, str], RateFit] = {}
        self._zones: dict[str | None, TimezoneFit] = {}
        self._languages: dict[tuple[tuple[str, str], ...], LanguageFit] = {}

    def cover(
        self,
        side: SkillSide,
        listed: dict[str, str],
        mentions: Mapping[str, str],
        inferred: bool,
        credit: dict[str, float],
    ) -> SkillCoverage:
        """:func:`~tandem.rank.features.skill_coverage` with the job's side prepared.

        The same walk, credits and evidence texts. Each hit's credit is also written into
        ``credit`` in hit order (a later duplicate wins, as in
        :func:`~tandem.rank.features.requirement_fit`'s dict).
        """
        hits: list[SkillHit] = []
        missing: list[str] = []
        made = self._hits
        related: dict[int, tuple[float, str]] | None = None
        for at, skill in enumerate(side.skills):
            typed = listed.get(skill)
            if typed is not None:
                key = (skill, "listed", typed)
                hit = made.get(key)
                if hit is None:
                    note = "in skills" if typed == skill else f"in skills as '{typed}'"
                    hit = made[key] = SkillHit(skill, "listed", note, LISTED)
            elif skill in mentions:
                key = (skill, "mentioned", mentions[skill])
                hit = made.get(key)
                if hit is None:
                    hit = made[key] = SkillHit(skill, "mentioned", key[2], MENTIONED)
            else:
                if related is None:
                    related = side.best_related(listed)
                best = related.get(at)
                if best is None:
                    missing.append(skill)
                    continue
                weight, other = best
                key = (skill, "related", other)
                hit = made.get(key)
                if hit is None:
                    note = f"related skill '{other}'"
                    hit = made[key] = SkillHit(skill, "related", note, RELATED * weight)
            hits.append(hit)
            credit[skill] = hit.credit
        # summed in hit order from 0, as skill_coverage's sum(generator): the same float
        score = sum([h.credit for h in hits]) / len(side.skills) if side.skills else 0.5
        return SkillCoverage(hits, missing, inferred, score)

    def features(
        self,
        known: Profile,
        freelancer: Freelancer,
        cosine: float,
        mentions: Mapping[str, str],
        proposal: Proposal | None = None,
    ) -> MatchFeatures:
        """Every feature family of one pair (``known``: the freelancer's derived profile)."""
        view, f = self.view, freelancer
        job = view.job
        listed = known.listed
        credit: dict[str, float] = {}
        coverage = self.cover(self._covers, listed, mentions, view.inferred, credit)
        if self._extra is not None:
            self.cover(self._extra, listed, mentions, False, credit)
        split = view.split
        requirements = RequirementFit(
            mean_credit(credit, split.required), mean_credit(credit, split.nice), split.marked
        )
        if proposal is None:
            key = (f.hourly_rate, f.currency)
            rate = self._rates.get(key)
            if rate is None:
                rate = self._rates[key] = rate_fit(job, f, None)
            signals = self._unapplied
        else:
            rate = rate_fit(job, f, proposal)
            letter = proposal.cover_letter or ""
            signals = proposal_signals(job, view.skills, f, proposal, self._letter_skills(letter))
        zone = self._zones.get(f.timezone)
        if zone is None:
            zone = self._zones[f.timezone] = timezone_fit(
                view.client_tz, f.timezone, job.created_at
            )
        spoken = tuple([(lang.code, lang.level) for lang in f.languages])
        language = self._languages.get(spoken)
        if language is None:
            language = self._languages[spoken] = language_fit(job, f)
        history = self._history
        return MatchFeatures(
            skills=coverage,
            semantic_cosine=cosine,
            semantic=semantic_score(cosine),
            rate=rate,
            experience=experience_fit(job, f),
            availability=availability_fit(job, f),
            record=known.record,
            language=language,
            timezone=zone,
            proposal=signals,
            past=history(f.id, job.created_at) if history is not None else self._no_past,
            requirements=requirements,
        )
