"""Matching: retrieve candidates, compute feature families, score them with a ranker.

The matcher knows nothing of the store: it is handed loaders, so the same
code serves the CLI, the API and batch evaluation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from tandem.domain import Freelancer, Job, Proposal
from tandem.rank.base import MatchFeatures, Ranker, Scored
from tandem.rank.features import PastOutcomes, TrackRecord, profile_skills, track_record
from tandem.rank.pairing import JobSide
from tandem.search import Collection, TagIn, cosine_for, hybrid_search
from tandem.skills import Normaliser, Taxonomy
from tandem.skills.reader import SkillReader
from tandem.text.requirements import SkillSplit, marked_parts, split_skills

#: Below this many listed skills a job's skills are completed from its description.
THIN_SKILLS = 2
CANDIDATE_POOL = 300
#: Freelancers whose derived profile the matcher keeps (about 1 KB each).
PROFILE_CACHE = 200_000


@dataclass(frozen=True)
class JobView:
    """A job with what matching derives from it once."""

    job: Job
    skills: list[str]
    inferred: bool
    client_tz: str | None
    vector: npt.NDArray[np.float32]
    split: SkillSplit = SkillSplit([], [], False)

    @cached_property
    def outside(self) -> list[str]:
        """Skills the post marks (required or nice) that are not in its skill list (once)."""
        listed = set(self.skills)
        return [s for s in (*self.split.required, *self.split.nice) if s not in listed]


class Profile(NamedTuple):
    """What matching derives from a freelancer alone: the same against every job."""

    listed: dict[str, str]
    record: TrackRecord


#: What :class:`Profile` is derived from: a cached one serves while these are unchanged.
ProfileInputs = tuple[tuple[str, ...], int | None, float | None, float | None]


@dataclass(frozen=True)
class Candidate:
    """One scored (job, freelancer) pair."""

    job: Job
    freelancer: Freelancer
    features: MatchFeatures
    scored: Scored


class Matcher:
    """Ranks freelancers for jobs and jobs for freelancers."""

    def __init__(
        self,
        *,
        taxonomy: Taxonomy,
        normaliser: Normaliser,
        reader: SkillReader,
        talent: Collection,
        jobs: Collection,
        client_timezone: Callable[[str | None], str | None],
        history: Callable[[str, datetime], PastOutcomes] | None = None,
    ) -> None:
        self.taxonomy = taxonomy
        self.normaliser = normaliser
        self.reader = reader
        self.talent = talent
        self.jobs = jobs
        self._client_tz = client_timezone
        self._history = history
        self._views: dict[tuple[str, str], JobView] = {}
        self._profiles: dict[str, tuple[ProfileInputs, Profile]] = {}

    def job_skills(self, job: Job) -> tuple[list[str], bool]:
        """The job's canonical skills; thin lists are completed from title and description.

        Never with a skill the client removed from the post (``excluded_skills``): its
        description may still name it ("reports in Excel"), and a trial client who removed
        Excel saw Excel assistants missing the one skill left ranked above Python developers.
        """
        typed = self.normaliser.normalise(job.skills)
        listed = [s for s in typed if s in self.taxonomy]
        unknown = [s for s in typed if s not in self.taxonomy]
        if len(listed) >= THIN_SKILLS:
            return listed + unknown, False
        text = f"{job.title}. {job.description}"
        removed = set(self.normaliser.normalise(job.excluded_skills))
        named = [f.name for f in self.reader.named(text) if f.name not in removed]
        merged = list(dict.fromkeys(listed + unknown + named))
        if len(merged) < THIN_SKILLS:  # still thin: add what the text describes in other words
            described = [n for n in self.reader.names(text) if n not in removed]
            merged = list(dict.fromkeys(merged + described))
        return merged, len(merged) > len(listed) + len(unknown)

    def requirement_split(self, job: Job, skills: list[str]) -> SkillSplit:
        """Which of the job's skills its post marks required and which nice-to-have.

        Read from the description's headers, labels and cues (:mod:`tandem.text.requirements`)
        and the skills field; the same cheap named tier as letters, so serving and training
        read posts alike.
        """
        field = [s for s in self.normaliser.normalise(job.skills) if s]
        parts = marked_parts(job.description or "")
        return split_skills(skills, field, parts, lambda text: self.letter_skills(text))

    def letter_skills(self, letter: str) -> list[str]:
        """Skills a cover letter names (the reader's exact/alias tier).

        Not the dense tier: reading a job's letters densely (one MiniLM pass each, about 5 ms)
        put match p95 at 470 ms on the 10k benchmark, against a 150 ms target; reading its
        110,453 letters at import instead would add about 9 minutes there. Features must be the
        same in training and serving, so both use this tier.
        """
        return [f.name for f in self.reader.named(letter)] if letter else []

    def view(self, job: Job) -> JobView:
        """Derive once what every candidate of ``job`` is compared with (cached per version)."""
        key = (job.id, self.jobs.hash_of(job.id) or "")
        cached = self._views.get(key) if key[1] else None
        if cached is not None and cached.job == job:
            return cached
        view = self._view(job)
        if key[1]:
            if len(self._views) > 20_000:
                self._views.clear()
            self._views[key] = view
        return view

    def _view(self, job: Job) -> JobView:
        skills, inferred = self.job_skills(job)
        vector = self.jobs.vector_of(job.id)
        if vector is None:
            vector = self.jobs.encoder.encode(
                [f"{job.title}. Skills: {', '.join(skills)}. {job.description}"]
            )[0]
        split = self.requirement_split(job, skills)
        return JobView(job, skills, inferred, self._client_tz(job.client_id), vector, split)

    def profile(self, freelancer: Freelancer) -> Profile:
        """The freelancer's canonical skills and track record (cached by what they read).

        Both are the same for every job, yet were recomputed for each of a match's 300
        candidates: normalising the typed skills alone was about a fifth of a served match.
        The cache is keyed by the fields they are computed from (and lives as long as this
        matcher and its normaliser), so an edited profile is derived afresh.
        """
        f = freelancer
        inputs: ProfileInputs = (tuple(f.skills), f.total_jobs, f.job_success, f.rating)
        cached = self._profiles.get(f.id)
        if cached is not None and cached[0] == inputs:
            return cached[1]
        made = Profile(profile_skills(f, self.normaliser), track_record(f))
        if len(self._profiles) >= PROFILE_CACHE:
            self._profiles.clear()
        self._profiles[f.id] = (inputs, made)
        return made

    def side(self, view: JobView, when: datetime | None = None) -> JobSide:
        """``view`` prepared for scoring many freelancers against it (see :class:`JobSide`).

        ``when``: the moment the ranking is for (clocks compare then); ``None`` reads the
        job's posting date, as training does for outcomes that happened around it.
        """
        return JobSide(view, self.taxonomy, self._history, self.letter_skills, when)

    def features(
        self,
        view: JobView,
        freelancer: Freelancer,
        cosine: float,
        proposal: Proposal | None = None,
        mentions: dict[str, str] | None = None,
        when: datetime | None = None,
    ) -> MatchFeatures:
        """Every feature family of one pair (``mentions``: the freelancer's, if read already).

        One pair of :meth:`feature_rows`: the same rules (:class:`JobSide`), the job's side
        prepared for this pair alone (a freelancer's recommendations meet each job once).
        """
        if mentions is None:
            mentions = self.talent.mentions_of(freelancer.id)
        known = self.profile(freelancer)
        return self.side(view, when).features(known, freelancer, cosine, mentions, proposal)

    def talent_pool(self, view: JobView, size: int = CANDIDATE_POOL) -> list[str]:
        """Freelancer ids worth scoring for a job: hybrid retrieval on its title and skills."""
        query = f"{view.job.title} {' '.join(view.skills)}"
        hits = hybrid_search(self.talent, query, k=size, fetch=size, vector=view.vector)
        return [h.id for h in hits]

    def score(
        self,
        view: JobView,
        freelancers: Sequence[Freelancer],
        ranker: Ranker,
        proposals: dict[str, Proposal] | None = None,
        when: datetime | None = None,
    ) -> list[Candidate]:
        """Score and sort freelancers for one job (best first, ties by id).

        Pass ``proposals`` only to rank applicants: in discovery nobody's application
        may count for or against them, so their features are computed without it.
        ``when``: the moment the ranking is for (see :meth:`side`).
        """
        feats = self.feature_rows(view, freelancers, proposals, when)
        scored = ranker.score_many(feats)
        out = [
            Candidate(view.job, f, x, s) for f, x, s in zip(freelancers, feats, scored, strict=True)
        ]
        out.sort(key=lambda c: (-c.scored.score, c.freelancer.id))
        return out

    def feature_rows(
        self,
        view: JobView,
        freelancers: Sequence[Freelancer],
        proposals: dict[str, Proposal] | None = None,
        when: datetime | None = None,
    ) -> list[MatchFeatures]:
        """Feature families of every (job, freelancer) pair, in order.

        Read under the talent collection's read side once (see :mod:`tandem.search.guard`):
        every pair sees the same collection, and a few hundred reads cost one lock. The
        features are :meth:`features`' for each pair, with the job's side derived once.
        """
        ids = [f.id for f in freelancers]
        with self.talent.guard.reading():
            cosines = cosine_for(self.talent, view.vector, ids)
            mentions = self.talent.mentions_for(ids)
        side, applied = self.side(view, when), proposals or {}
        return [
            side.features(self.profile(f), f, c, m, applied.get(f.id))
            for f, c, m in zip(freelancers, cosines, mentions, strict=True)
        ]

    def job_pool(self, freelancer: Freelancer, size: int = 200) -> list[str]:
        """Open job ids worth scoring for a freelancer."""
        skills = self.normaliser.normalise(freelancer.skills)
        query = f"{freelancer.title} {' '.join(skills)}"
        vector = self.talent.vector_of(freelancer.id)
        hits = hybrid_search(
            self.jobs, query, [TagIn("status", ("open",))], k=size, fetch=size, vector=vector
        )
        return [h.id for h in hits]

    def recommend(
        self,
        freelancer: Freelancer,
        jobs: Sequence[Job],
        ranker: Ranker,
        when: datetime | None = None,
    ) -> list[Candidate]:
        """Score and sort jobs for one freelancer (best first, ties by id)."""
        fvec = self.talent.vector_of(freelancer.id)
        if fvec is None:
            skills = ", ".join(self.normaliser.normalise(freelancer.skills))
            text = f"{freelancer.title}. Skills: {skills}. {freelancer.overview}"
            fvec = self.talent.encoder.encode([text])[0]
        views = [self.view(job) for job in jobs]
        feats = [self.features(v, freelancer, float(v.vector @ fvec), when=when) for v in views]
        scored = ranker.score_many(feats)
        out = [
            Candidate(v.job, freelancer, x, s) for v, x, s in zip(views, feats, scored, strict=True)
        ]
        out.sort(key=lambda c: (-c.scored.score, c.job.id))
        return out
