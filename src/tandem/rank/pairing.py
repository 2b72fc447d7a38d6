"""Feature families of one job against many freelancers, the job's side derived once.

:mod:`tandem.rank.features` states each family's rule as a function of one pair. A match
applies them to its ~300 candidates, and much of each call was the same for every candidate:
the related-skill maps of the job skills (4-5 taxonomy reads a pair), the job's budget,
languages and clock; or the same for many of them (300 candidates of the 10k market share
about 21 time zones, 70 prices and 30 language lists). At about 100 us a pair that was a
third of a served match (cProfile of 60 served matches on the 10k-profile MiniLM benchmark
home; issue 15).

:class:`JobSide` applies the same rules and adds none: skill coverage is
:class:`~tandem.rank.features.SkillSide`, the one statement of that rule, prepared once per
job; requirement fit is :func:`~tandem.rank.features.requirement_fit` of those coverages;
families that read only a few of the freelancer's fields are the plain function's result
for those fields, kept for the candidates that share them (results are frozen and nothing
edits their lists, so sharing one is as good as a copy, as
:class:`~tandem.rank.matcher.Profile` already shares a freelancer's track record).
``tests/rank/test_pairing.py`` checks the pairs of a generated market against the plain
functions called one pair at a time, field by field and score by score.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from tandem.domain import Freelancer, Proposal
from tandem.rank.base import MatchFeatures
from tandem.rank.features import (
    LanguageFit,
    PastOutcomes,
    RateFit,
    SkillSide,
    TimezoneFit,
    availability_fit,
    experience_fit,
    language_fit,
    proposal_signals,
    rate_fit,
    requirement_fit,
    semantic_score,
    spoken_languages,
    timezone_fit,
    track_record,
)
from tandem.rank.literal import profile_texts
from tandem.skills import Taxonomy

if TYPE_CHECKING:
    from tandem.rank.matcher import JobView, Profile


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
        when: datetime | None = None,
    ) -> None:
        self.view = view
        # Clocks are compared at the moment of the ranking (a served match: now), so a reason's
        # "5 h apart" agrees with the overlap filter; training reads the job's own date.
        self._when = when or view.job.created_at
        self._history = history
        self._letter_skills = letter_skills
        self._covers = SkillSide(view.skills, taxonomy)
        self._extra = SkillSide(view.outside, taxonomy) if view.outside else None
        self._no_past = PastOutcomes()
        # Results of plain functions by the freelancer fields they read, for this job.
        self._rates: dict[tuple[float, str], RateFit] = {}
        self._zones: dict[str | None, TimezoneFit] = {}
        self._languages: dict[tuple[tuple[str, str], ...], LanguageFit] = {}

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
        texts = _texts_of(f)
        tongues = spoken_languages(f)
        coverage = self._covers.cover(
            listed, mentions, inferred=view.inferred, texts=texts, spoken=tongues
        )
        extra = (
            None
            if self._extra is None
            else self._extra.cover(listed, mentions, texts=texts, spoken=tongues)
        )
        split = view.split
        if proposal is None:
            key = (f.hourly_rate, f.currency)
            rate = self._rates.get(key)
            if rate is None:
                rate = self._rates[key] = rate_fit(job, f, None)
            letter_mentions: list[str] = []
        else:
            rate = rate_fit(job, f, proposal)
            letter_mentions = self._letter_skills(proposal.cover_letter or "")
        signals = proposal_signals(job, view.skills, f, proposal, letter_mentions)
        zone = self._zones.get(f.timezone)
        if zone is None:
            zone = self._zones[f.timezone] = timezone_fit(view.client_tz, f.timezone, self._when)
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
            # A profile without jobs on file is told apart by how long it has been a member
            # (at the ranking's moment), so it is judged here, not kept with the profile.
            record=track_record(f, self._when) if known.record.newcomer else known.record,
            language=language,
            timezone=zone,
            proposal=signals,
            past=history(f.id, job.created_at) if history is not None else self._no_past,
            requirements=requirement_fit(coverage, extra, split.required, split.nice, split.marked),
        )


def _texts_of(freelancer: Freelancer) -> Callable[[], list[tuple[str, str]]]:
    """The profile's texts, read once and only if a skill has to be looked for literally."""
    kept: list[list[tuple[str, str]]] = []

    def texts() -> list[tuple[str, str]]:
        if not kept:
            kept.append(profile_texts(freelancer, redacted=False))
        return kept[0]

    return texts
