"""Reasons that are true: rate words that match the numbers, parts that add up to the score."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.domain import Freelancer, Job, Proposal
from tandem.domain.fields import STORED
from tandem.engine import Engine
from tandem.explain import rate_text, reasons_for
from tandem.rank.base import MatchFeatures, Scored
from tandem.rank.features import (
    PastOutcomes,
    availability_fit,
    experience_fit,
    language_fit,
    profile_skills,
    proposal_signals,
    rate_fit,
    semantic_score,
    skill_coverage,
    timezone_fit,
    track_record,
)
from tandem.rank.heuristic import HeuristicRanker
from tandem.rank.learned import LearnedRanker
from tandem.rank.vector import FEATURE_NAMES, to_matrix
from tandem.skills import Normaliser, Taxonomy

TAXONOMY = Taxonomy.builtin()
NORMALISER = Normaliser(TAXONOMY)


def _freelancer(**kw: Any) -> Freelancer:
    """A freelancer as the store reads one (a zone stored before zones were checked included)."""
    base = {"id": "f", "name": "N", "hourly_rate": 40, "country": "DE"}
    data = {**base, "joined_at": "2024-01-01T00:00:00Z", **kw}
    return Freelancer.model_validate(data, context=STORED)


def _job(**kw: Any) -> Job:
    return Job.model_validate({"id": "j", "title": "T", "created_at": "2026-06-01T12:00:00Z", **kw})


def _proposal(**kw: Any) -> Proposal:
    base = {"id": "p", "job_id": "j", "freelancer_id": "f"}
    return Proposal.model_validate({**base, "created_at": "2026-06-02T00:00:00Z", **kw})


# rate words ------------------------------------------------------------------------------
def test_a_rate_under_the_range_is_below_it_not_within() -> None:
    fit = rate_fit(
        _job(budget={"type": "hourly", "min": 38, "max": 68}), _freelancer(hourly_rate=33)
    )
    assert fit.status == "below"
    assert rate_text(fit) == "Rate $33/h is below the $38-$68/h budget"
    far = rate_fit(
        _job(budget={"type": "hourly", "min": 38, "max": 68}), _freelancer(hourly_rate=15)
    )
    assert far.status == "below" and "well below" in rate_text(far)
    inside = rate_fit(
        _job(budget={"type": "hourly", "min": 38, "max": 68}), _freelancer(hourly_rate=38)
    )
    assert inside.status == "within" and "within" in rate_text(inside)


def test_a_fixed_budget_is_compared_with_an_estimate_the_text_spells_out() -> None:
    job = _job(budget={"type": "fixed", "max": 40}, duration_weeks=8, hours_per_week=20)
    fit = rate_fit(job, _freelancer(hourly_rate=22))
    assert fit.status == "over" and fit.hours == 160 and fit.hourly_usd == 22
    assert rate_text(fit) == "Est. 160 h at $22/h = $3,520, 88x the $40 fixed budget"
    roomy_job = _job(budget={"type": "fixed", "max": 4000}, duration_weeks=8, hours_per_week=20)
    roomy = rate_fit(roomy_job, _freelancer(hourly_rate=22))
    assert rate_text(roomy) == "Est. 160 h at $22/h = $3,520, within the $4,000 fixed budget"


def test_an_hourly_bid_is_never_set_against_a_fixed_budget() -> None:
    job = _job(budget={"type": "fixed", "max": 400})
    hourly_bid = _proposal(bid={"amount": 22, "type": "hourly"})
    fit = rate_fit(job, _freelancer(hourly_rate=22), hourly_bid)
    assert fit.status == "not_comparable" and fit.source == "rate"
    assert rate_text(fit) == (
        "Rate $22/h cannot be compared with the $400 fixed budget: "
        "the job states no hours to estimate from"
    )
    fixed_bid = _proposal(bid={"amount": 350, "type": "fixed"})
    same_units = rate_fit(job, _freelancer(hourly_rate=22), fixed_bid)
    assert rate_text(same_units) == "Bid $350 is within the $400 fixed budget"


def test_no_rate_text_says_within_unless_the_price_is_inside_the_range() -> None:
    for rate in range(1, 200):
        fit = rate_fit(
            _job(budget={"type": "hourly", "min": 38, "max": 68}), _freelancer(hourly_rate=rate)
        )
        assert ("within" in rate_text(fit)) == (38 <= rate <= 68), rate


# reasons add up ------------------------------------------------------------------------------
def _features(
    job: Job, freelancer: Freelancer, proposal: Proposal | None, cosine: float
) -> MatchFeatures:
    """Every family of one pair, built by the real feature functions (as the matcher does)."""
    listed = profile_skills(freelancer, NORMALISER)
    return MatchFeatures(
        skills=skill_coverage(job.skills, listed, {}, TAXONOMY),
        semantic_cosine=cosine,
        semantic=semantic_score(cosine),
        rate=rate_fit(job, freelancer, proposal),
        experience=experience_fit(job, freelancer),
        availability=availability_fit(job, freelancer),
        record=track_record(freelancer),
        language=language_fit(job, freelancer),
        timezone=timezone_fit("Europe/Berlin", freelancer.timezone, job.created_at),
        proposal=proposal_signals(job, job.skills, freelancer, proposal, []),
    )


SKILLS = ["Python", "Django", "React", "Logo Design", "Bookkeeping"]
Pair = tuple[Job, Freelancer, Proposal | None, float]


@st.composite
def pairs(draw: st.DrawFn) -> Pair:
    """A (job, freelancer, proposal, cosine) with any family empty, unknown or present."""
    skills = draw(st.lists(st.sampled_from(SKILLS), max_size=4, unique=True))
    weeks, per_week = draw(st.sampled_from([(None, None), (2, 10), (8, 40)]))
    budgets = [None, {"type": "hourly", "min": 20, "max": 50}, {"type": "fixed", "max": 900}]
    job = _job(
        skills=skills,
        languages=draw(st.lists(st.sampled_from(["en", "de", "es"]), max_size=2, unique=True)),
        experience_level=draw(st.sampled_from([None, "entry", "intermediate", "expert"])),
        budget=draw(st.sampled_from([*budgets, {"type": "fixed"}])),
        duration_weeks=weeks,
        hours_per_week=per_week,
    )
    rate = draw(st.floats(0, 300))
    jobs = draw(st.integers(0, 40))
    spoken = draw(st.lists(st.sampled_from(["en", "de"]), max_size=2, unique=True))
    freelancer = _freelancer(
        skills=skills[:1],
        hourly_rate=rate,
        timezone=draw(st.sampled_from([None, "Europe/Lisbon", "Asia/Kolkata", "Mars/Olympus"])),
        languages=[{"code": c, "level": "fluent"} for c in spoken],
        experience_years=draw(st.one_of(st.none(), st.floats(0, 30))),
        availability_hours_per_week=draw(st.sampled_from([None, 0, 10, 40])),
        total_jobs=jobs,
        job_success=90 if jobs else None,
    )
    bid = draw(
        st.sampled_from(
            [None, {"amount": rate, "type": "hourly"}, {"amount": 500, "type": "fixed"}]
        )
    )
    applied = draw(st.booleans())
    proposal = _proposal(cover_letter="I know Python", bid=bid) if applied else None
    return job, freelancer, proposal, draw(st.floats(-0.2, 1.0))


def _assert_adds_up(reasons: list[Any], score: float) -> None:
    assert abs(sum(r.contribution for r in reasons) - round(score, 6)) < 1e-9


@settings(max_examples=150, deadline=None)
@given(pairs())
def test_heuristic_reasons_add_up_to_the_score(
    pair: Pair,
) -> None:
    features = _features(*pair)
    scored = HeuristicRanker().score(features)
    reasons = reasons_for(features, scored)
    _assert_adds_up(reasons, scored.score)
    codes = [r.code for r in reasons]
    assert {"language", "timezone"} <= set(codes)  # every family that carries points
    assert len(codes) == len(set(codes))  # one reason per family


@settings(max_examples=150, deadline=None)
@given(
    pairs(),
    st.dictionaries(
        st.sampled_from(
            ["skills", "semantic", "rate", "language", "timezone", "proposal", "record"]
        ),
        st.floats(-3, 3),
        min_size=1,
    ),
    st.floats(-2, 2),
)
def test_any_ranker_s_parts_and_bias_add_up(
    pair: Pair, parts: dict[str, float], bias: float
) -> None:
    features = _features(*pair)
    scored = Scored(sum(parts.values()) + bias, parts)
    reasons = reasons_for(features, scored)
    _assert_adds_up(reasons, scored.score)
    if "proposal" in parts:
        assert any(r.code == "application" for r in reasons)


@pytest.fixture(scope="module")
def learned() -> LearnedRanker:
    """A small LambdaMART trained on synthetic rows: a real model with a proposal family."""
    rng = np.random.default_rng(3)
    x = rng.random((600, len(FEATURE_NAMES)))
    applied = FEATURE_NAMES.index("applied")
    x[:, applied] = rng.integers(0, 2, 600)
    y = (2 * x[:, 0] + x[:, applied] + rng.random(600) > 2).astype(np.int64)
    groups = [20] * 30
    return LearnedRanker.fit((x[:400], y[:400], groups[:20]), (x[400:], y[400:], groups[20:]))


def test_learned_reasons_add_up_for_applicants_and_others(learned: LearnedRanker) -> None:
    job = _job(
        skills=["Python", "Django"], languages=[], budget={"type": "hourly", "min": 20, "max": 50}
    )
    people = [
        (_freelancer(skills=["Python"], timezone=None), None),
        (_freelancer(skills=["Django"], timezone="Asia/Kolkata"), _proposal(cover_letter="Django")),
    ]
    features = [_features(job, f, p, 0.4) for f, p in people]
    assert to_matrix(features).shape[1] == len(FEATURE_NAMES)
    for f, scored in zip(features, learned.score_many(features), strict=True):
        reasons = reasons_for(f, scored)
        _assert_adds_up(reasons, scored.score)
        assert {"application", "language", "timezone"} <= {r.code for r in reasons}


def test_icons_never_contradict_points(loaded_engine) -> None:  # type: ignore[no-untyped-def]
    """A reason that added points is never marked as a flaw, nor one that cost points as a plus."""
    seen = signed = 0
    for job in list(loaded_engine.store.jobs.iter_all())[:15]:
        for result in loaded_engine.match(job.id, top=10):
            for r in result.reasons:
                if r.code == "baseline" or abs(r.contribution) < 0.0005:
                    continue
                seen += 1
                assert not (r.kind == "negative" and r.contribution > 0), r
                assert not (r.kind == "positive" and r.contribution < 0), r
                signed += r.kind != "neutral"
    assert seen > 100 and signed > seen / 2  # most reasons still carry a verdict


def test_points_add_up_where_the_score_ends_in_half_a_millionth() -> None:
    # 0.5724775 * 10**6 lands on a half: rounded that way it would be one millionth over the
    # served score, round(0.5724775, 6) == 0.572477 (found by Hypothesis).
    features = _features(_job(skills=["Python"]), _freelancer(skills=["Python"]), None, 0.4)
    parts = {"skills": 0.17, "semantic": -0.066, "availability": -0.048, "record": 0.003037}
    parts["language"] = -0.05
    scored = Scored(0.5724775, parts)
    _assert_adds_up(reasons_for(features, scored), scored.score)


@pytest.mark.parametrize("points", [-0.773, 0.0, 0.21, 1.91])
def test_a_newcomers_record_reason_says_what_its_points_are(points: float) -> None:
    """An average record is worth what the ranking makes of it: +1.91 is no "not penalised"."""
    features = _features(_job(), _freelancer(total_jobs=0), None, 0.5)
    assert features.record.newcomer
    reasons = reasons_for(features, Scored(points, {"record": points}))
    record = next(r for r in reasons if r.code == "track_record")
    assert "not penalised" not in record.text  # it understated a large learned contribution
    assert record.contribution == pytest.approx(points)  # the number itself is unchanged
    if points >= 0:
        assert "scored as an average track record" in record.text
        assert "what an average record is worth in this ranking" in record.text
    assert (record.kind == "negative") == (points < 0)


# a missing record or language said as it is -------------------------------------------------
def _reason(code: str, job: Job, freelancer: Freelancer, as_of: str) -> Any:
    when = Job.model_validate({"id": "x", "title": "T", "created_at": as_of}).created_at
    feats = _features(job, freelancer, None, 0.5)
    feats = replace(feats, record=track_record(freelancer, when))
    return next(r for r in reasons_for(feats, HeuristicRanker().score(feats)) if r.code == code)


def test_a_member_of_years_without_jobs_on_file_is_not_new_to_the_marketplace() -> None:
    """Trial 16: joined 2022-09-09, the bundle row simply lacks total_jobs and rating."""
    carlos = _freelancer(joined_at="2022-09-09T00:00:00Z")
    reason = _reason("track_record", _job(), carlos, "2026-11-28T00:00:00Z")
    assert reason.text.startswith("No track record on file: ")
    assert "new" not in reason.text.lower() and "yet" not in " ".join(reason.evidence)
    assert reason.evidence[0].startswith("a member for 4 year(s) with no completed jobs")


def test_someone_who_joined_last_month_is_new_to_the_marketplace() -> None:
    fresh = _freelancer(joined_at="2026-10-20T00:00:00Z")
    reason = _reason("track_record", _job(), fresh, "2026-11-28T00:00:00Z")
    assert reason.text.startswith("New to the marketplace: ")
    assert reason.evidence[0].startswith("joined 39 day(s) before this ranking")


def _record_reason(freelancer: Freelancer, as_of: str, past: PastOutcomes) -> Any:
    when = Job.model_validate({"id": "x", "title": "T", "created_at": as_of}).created_at
    feats = replace(
        _features(_job(), freelancer, None, 0.5),
        record=track_record(freelancer, when),
        past=past,
    )
    return next(
        r for r in reasons_for(feats, HeuristicRanker().score(feats)) if r.code == "track_record"
    )


def test_a_hire_and_review_recorded_here_is_no_empty_record() -> None:
    """Truth check 18: "no completed jobs" beside a hire, an ended contract and a 4.6 review."""
    past = PastOutcomes(hires=1, reviews=1, mean_review=4.6)
    recent = _freelancer(joined_at="2026-08-11T00:00:00Z")
    reason = _record_reason(recent, "2026-10-28T00:00:00Z", past)
    assert reason.text.startswith("New to the marketplace: ")  # joined 78 days before: true
    said = " ".join(reason.evidence)
    assert "yet" not in said
    assert (
        "no completed jobs on the profile, but 1 hire(s) and 1 review(s), mean 4.6/5 recorded here"
        in said
    )
    old = _freelancer(joined_at="2022-09-09T00:00:00Z")
    reason = _record_reason(old, "2026-11-28T00:00:00Z", past)
    assert reason.text.startswith("No track record on the profile: ")
    assert "on file" not in reason.text
    assert reason.evidence[0].startswith("a member for 4 year(s); no completed jobs on the profile")
    hired_only = _record_reason(old, "2026-11-28T00:00:00Z", PastOutcomes(hires=2))
    assert "2 hire(s) recorded here" in hired_only.evidence[0]


def test_an_empty_history_keeps_the_words_it_had() -> None:
    fresh = _freelancer(joined_at="2026-10-20T00:00:00Z")
    reason = _record_reason(fresh, "2026-11-28T00:00:00Z", PastOutcomes())
    assert reason.evidence[0].startswith(
        "joined 39 day(s) before this ranking, no completed jobs yet"
    )


def test_the_member_window_is_the_newcomer_policys() -> None:
    from tandem.fairness.report import NEWCOMER_WINDOW
    from tandem.rank.features import NEW_MEMBER_DAYS

    assert NEWCOMER_WINDOW.days == NEW_MEMBER_DAYS


def test_a_profile_listing_no_language_is_neutral_not_penalised() -> None:
    job = _job(languages=["en"])
    silent = _freelancer(languages=[])
    reason = _reason("language", job, silent, "2026-11-28T00:00:00Z")
    assert reason.kind == "neutral" and reason.contribution == 0
    assert reason.text == "Languages not listed on the profile: neutral"
    other = _freelancer(languages=[{"code": "de", "level": "native"}])
    said = _reason("language", job, other, "2026-11-28T00:00:00Z")
    assert said.kind == "negative" and said.contribution < 0  # listed, and not the one asked


def test_trial_16_carlos_is_told_as_he_is(agency_engine: Engine) -> None:
    """f09 joined 2022-09-09 and his row lists no jobs, rating or languages."""
    feats = agency_engine.pair_features("j03", "f09")
    reasons = {r.code: r for r in reasons_for(feats, HeuristicRanker().score(feats))}
    assert reasons["track_record"].text.startswith("No track record on file")
    assert reasons["language"].kind == "neutral"
    assert reasons["language"].contribution == 0


def test_a_shared_family_is_no_coverage_in_the_reason() -> None:
    """The demo's "Covers 3 of 6 job skills, 2 more through related skills" for a Dart
    developer rested on "Kotlin: same family as 'WebAssembly'" and "Swift: same family as
    'WebAssembly'": the reason now counts what the profile shows and names the rest missing.
    A written link still reads as one ("through related skills", "related skill 'Java'").
    """
    skills = ["Kotlin", "Swift", "Ruby", "Elixir", "Sass", "Web3"]
    dart = _freelancer(skills=["Dart", "Flutter", "WebAssembly", "Ruby", "Elixir", "Sass"])
    features = _features(_job(skills=skills), dart, None, 0.4)
    reasons = {r.code: r for r in reasons_for(features, HeuristicRanker().score(features))}
    assert reasons["skill_coverage"].text == "Covers 3 of 6 job skills"
    assert not any("family" in e for e in reasons["skill_coverage"].evidence)
    assert reasons["missing_skills"].text == "Missing: Kotlin, Swift, Web3"
    java = _features(_job(skills=["Kotlin", "Swift"]), _freelancer(skills=["Java"]), None, 0.4)
    said = {r.code: r for r in reasons_for(java, HeuristicRanker().score(java))}
    assert said["skill_coverage"].text == "Covers 0 of 2 job skills, 1 more through related skills"
    assert said["skill_coverage"].evidence == ["Kotlin: related skill 'Java'"]
