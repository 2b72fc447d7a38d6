"""Oracle: a match's features, built with the job's side derived once, are the plain functions'.

:meth:`Matcher.feature_rows` (served matches, batch ranking and training rows) walks
:class:`tandem.rank.pairing.JobSide`; the rules live in :mod:`tandem.rank.features` (skill
coverage is its ``SkillSide`` on both sides, so its related-skill choice is also checked
against the taxonomy's maps directly). Every job of a generated market against a third of
its freelancers (each freelancer meets 50 jobs), unusual profiles and every application must
get equal MatchFeatures, equal scores and contributions (the heuristic and a learned ranker)
and the same order as the plain functions called one pair at a time, nothing cached.
"""

from __future__ import annotations

import numpy as np

from tandem.domain import Freelancer, Proposal
from tandem.engine import Engine
from tandem.learn.history import History
from tandem.rank.base import BASELINE, MatchFeatures, Scored
from tandem.rank.features import (
    PastOutcomes,
    SkillCoverage,
    availability_fit,
    experience_fit,
    language_fit,
    profile_skills,
    proposal_signals,
    rate_fit,
    related_name,
    requirement_fit,
    semantic_score,
    skill_coverage,
    spoken_languages,
    timezone_fit,
    track_record,
)
from tandem.rank.heuristic import NEUTRAL, HeuristicRanker
from tandem.rank.learned import LambdaMartConfig, LearnedRanker
from tandem.rank.literal import profile_texts
from tandem.rank.matcher import JobView, Matcher
from tandem.rank.vector import TASK_COLUMNS, to_matrix
from tandem.search import cosine_for
from tandem.skills import Taxonomy


def plain_features(
    matcher: Matcher,
    history: History,
    view: JobView,
    freelancer: Freelancer,
    cosine: float,
    proposal: Proposal | None,
    mentions: dict[str, str],
) -> MatchFeatures:
    """One pair's features as the rules state them: features.py's functions, nothing kept."""
    m, job, f = matcher, view.job, freelancer
    listed = profile_skills(f, m.normaliser)
    letter = proposal.cover_letter if proposal is not None and proposal.cover_letter else ""
    texts = profile_texts(f, redacted=False)
    spoken = spoken_languages(f)
    coverage = skill_coverage(
        view.skills,
        listed,
        mentions,
        m.taxonomy,
        inferred=view.inferred,
        texts=texts,
        spoken=spoken,
    )
    split = view.split
    outside = [s for s in (*split.required, *split.nice) if s not in set(view.skills)]
    extra = (
        skill_coverage(outside, listed, mentions, m.taxonomy, texts=texts, spoken=spoken)
        if outside
        else None
    )
    return MatchFeatures(
        skills=coverage,
        semantic_cosine=cosine,
        semantic=semantic_score(cosine),
        rate=rate_fit(job, f, proposal),
        experience=experience_fit(job, f),
        availability=availability_fit(job, f),
        record=track_record(f, job.created_at),
        language=language_fit(job, f),
        timezone=timezone_fit(view.client_tz, f.timezone, job.created_at),
        proposal=proposal_signals(job, view.skills, f, proposal, m.letter_skills(letter)),
        past=history.as_of(f.id, job.created_at),
        requirements=requirement_fit(coverage, extra, split.required, split.nice, split.marked),
    )


def plain_score(ranker: HeuristicRanker, features: MatchFeatures) -> Scored:
    """The heuristic's weighted sum, one pair at a time, as the scorer states it."""
    families = features.family_scores()
    weights = ranker.weights
    contributions = {k: w * (families[k] - NEUTRAL[k]) for k, w in weights.items()}
    contributions[BASELINE] = sum(w * NEUTRAL[k] for k, w in weights.items())
    return Scored(sum(w * families[k] for k, w in weights.items()), contributions)


def _odd_people() -> list[Freelancer]:
    """Profiles the generator may not make: each family's unusual inputs."""
    base = {"name": "N", "hourly_rate": 40, "country": "DE", "joined_at": "2024-01-01T00:00:00Z"}
    odd = [
        {"id": "odd-bare"},
        {"id": "odd-typed", "skills": ["ReactJS", "React", "python ", "Kubernetes", "Zig-ish"]},
        {"id": "odd-basic", "languages": [{"code": "en", "level": "basic"}], "timezone": "UTC"},
        {"id": "odd-off", "availability_hours_per_week": 0, "experience_years": 0.0},
        {"id": "odd-eur", "currency": "EUR", "timezone": "Asia/Kolkata"},  # 40 as "odd-bare"
        {"id": "odd-free", "hourly_rate": 0, "languages": [{"code": "en", "level": "fluent"}]},
        {"id": "odd-rated", "total_jobs": 40, "job_success": 100.0, "rating": 5.0},
        {"id": "odd-far", "timezone": "Pacific/Kiritimati", "hourly_rate": 900},
    ]
    return [Freelancer.model_validate({**base, **o}) for o in odd]


def _related_as_the_taxonomy_says(
    coverage: SkillCoverage, listed: dict[str, str], mentions: dict[str, str], taxonomy: Taxonomy
) -> None:
    """Related hits are a listed skill with a written link (ties: the last name), or a skill
    shown that implies the job skill; missing: none such listed, none implying shown. A
    skill that only shares the job skill's family (a link below 1) is never either.

    The coverage rule has one implementation (:class:`tandem.rank.features.SkillSide`), which
    both sides of the equality above call; this checks its choice on the real taxonomy
    against the plain maximum over each job skill's own related map and the skills that
    imply it.
    """
    for hit in coverage.hits:
        if hit.how != "related":
            continue
        links = {o: w for o, w in taxonomy.related_view(hit.skill).items() if w >= 1.0}
        best = max(((w, o) for o, w in links.items() if o in listed), default=(0.0, ""))
        if hit.evidence.startswith("implied by "):
            other = related_name(hit.evidence)
            assert other in taxonomy.implied_by(hit.skill)
            where = "in skills" if other in listed else mentions[other]
            assert hit.evidence == f"implied by '{other}' ({where})"
            assert hit.credit == (0.5 if other in listed else 0.4) >= 0.5 * best[0]
            continue
        weight, other = best
        assert (hit.evidence, hit.credit, weight) == (f"related skill '{other}'", 0.5, 1.0)
    for skill in coverage.missing:
        written = {o for o, w in taxonomy.related_view(skill).items() if w >= 1.0}
        assert not written & set(listed), skill
        assert not set(taxonomy.implied_by(skill)) & (set(listed) | set(mentions)), skill


def _pairs_agree(
    engine: Engine, view: JobView, people: list[Freelancer], applied: dict[str, Proposal] | None
) -> list[MatchFeatures]:
    matcher, history = engine.matcher, engine.history
    rows = matcher.feature_rows(view, people, applied)
    ids = [f.id for f in people]
    cosines = cosine_for(matcher.talent, view.vector, ids)
    mentions = matcher.talent.mentions_for(ids)
    for f, row, c, men in zip(people, rows, cosines, mentions, strict=True):
        proposal = (applied or {}).get(f.id)
        plain = plain_features(matcher, history, view, f, c, proposal, men)
        assert row == plain, (view.job.id, f.id)
        listed = matcher.profile(f).listed
        _related_as_the_taxonomy_says(row.skills, listed, men, matcher.taxonomy)
        if applied:  # the one-pair path (recommendations) says the same
            assert row == matcher.features(view, f, c, proposal, men), (view.job.id, f.id)
    return rows


def test_a_markets_pairs_get_the_plain_functions_features_and_scores(
    loaded_engine: Engine,
) -> None:
    engine, matcher, history = loaded_engine, loaded_engine.matcher, loaded_engine.history
    heuristic = HeuristicRanker()
    everyone = list(engine.store.freelancers.iter_all())
    odd = _odd_people()
    jobs = list(engine.store.jobs.iter_all())
    seen = {"related": 0, "mentioned": 0, "outside": 0, "applied": 0, "past": 0, "langs": 0}
    groups: list[list[MatchFeatures]] = []
    for n, job in enumerate(jobs):
        view = matcher.view(job)
        people = [*everyone[n % 3 :: 3], *odd]  # each freelancer against a third of the jobs
        proposals = {p.freelancer_id: p for p in engine.store.proposals.where(job_id=job.id)}
        rows = _pairs_agree(engine, view, people, None)
        applicants = [f for f in everyone if f.id in proposals]
        _pairs_agree(engine, view, applicants, proposals)
        groups.append(rows)
        # the heuristic's scores, contributions (their order too) and the served order
        scored = heuristic.score_many(rows)
        plain = [plain_score(heuristic, x) for x in rows]
        assert scored == plain
        assert [list(s.contributions) for s in scored] == [list(s.contributions) for s in plain]
        order = sorted(zip(people, plain, strict=True), key=lambda p: (-p[1].score, p[0].id))
        ranked = matcher.score(view, people, heuristic)
        assert [c.freelancer.id for c in ranked] == [f.id for f, _ in order]
        assert [c.scored for c in ranked] == [s for _, s in order]
        hows = {h.how for x in rows for h in x.skills.hits}
        seen["related"] += "related" in hows
        seen["mentioned"] += "mentioned" in hows
        seen["outside"] += bool(view.outside)
        seen["applied"] += bool(applicants)
        seen["past"] += any(x.past != PastOutcomes() for x in rows)
        seen["langs"] += bool(job.languages)
    # the market exercised every path the fast walk takes
    assert all(seen.values()), seen

    # a learned ranker reads the same matrix, so gives the same scores and contributions
    x = np.vstack([to_matrix(g, TASK_COLUMNS["discovery"]) for g in groups[:10]])
    grades = np.array([int(i % 7 == 0) + int(i % 11 == 0) for i in range(len(x))])
    sizes = [len(g) for g in groups[:10]]
    cfg = LambdaMartConfig(max_rounds=10, min_data_in_leaf=5, early_stopping_rounds=5)
    model = LearnedRanker.fit((x, grades, sizes), (x, grades, sizes), cfg, task="discovery")
    for n, (job, rows) in enumerate(zip(jobs[:10], groups, strict=False)):
        view = matcher.view(job)
        people = [*everyone[n % 3 :: 3], *odd]
        ids = [f.id for f in people]
        cosines = cosine_for(matcher.talent, view.vector, ids)
        mentions = matcher.talent.mentions_for(ids)
        plain_rows = [
            plain_features(matcher, history, view, f, c, None, m)
            for f, c, m in zip(people, cosines, mentions, strict=True)
        ]
        assert model.score_many(rows) == model.score_many(plain_rows)
