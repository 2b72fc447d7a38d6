"""Proposal drafts, interview questions and tips: every claim traces to a field."""

import pytest

from tandem.companion.coaching import draft_proposal, interview_questions, job_tips, profile_tips
from tandem.domain import Freelancer
from tandem.engine import Engine
from tandem.errors import ConflictError, PermissionDeniedError, ValidationError
from tests.companion.conftest import acting


def _pair(engine: Engine) -> tuple[str, str]:
    for job in engine.store.jobs.iter_all():
        for p in engine.store.proposals.where(job_id=job.id):
            feats = engine.pair_features(job.id, p.freelancer_id)
            if feats.skills.missing and feats.skills.hits:
                return job.id, p.freelancer_id
    raise AssertionError("no applicant with both covered and missing skills")


def _not_applied(engine: Engine) -> tuple[str, str]:
    """A job and a ranked freelancer who has not applied to it, with covered and missing skills."""
    for job in engine.store.jobs.iter_all():
        applied = {p.freelancer_id for p in engine.store.proposals.where(job_id=job.id)}
        for hit in engine.match(job.id, top=20):
            if hit.freelancer_id in applied:
                continue
            feats = engine.pair_features(job.id, hit.freelancer_id)
            if feats.skills.missing and feats.skills.hits:
                return job.id, hit.freelancer_id
    raise AssertionError("no non-applicant with both covered and missing skills")


def test_proposal_claims_only_profile_facts(loaded_engine: Engine) -> None:
    job_id, fid = _not_applied(loaded_engine)
    person = loaded_engine.store.freelancers.get(fid)
    draft = draft_proposal(acting(loaded_engine), fid, job_id)
    job = loaded_engine.store.jobs.get(job_id)
    hours = (job.duration_weeks or 0) * (job.hours_per_week or 0)
    fixed = job.budget is not None and job.budget.type == "fixed" and hours
    price = round(person.hourly_rate * hours) if fixed else person.hourly_rate
    assert (
        person.title in draft.text and f"{price:g}" in draft.text
    )  # the price, in the job's terms
    assert all(fact["source"].startswith(("profile", "job", "taxonomy")) for fact in draft.facts)
    missing = loaded_engine.pair_features(job_id, fid).skills.missing
    for skill in missing:  # never claims a skill the profile does not show
        assert (
            f", {skill}" not in draft.text and f" {skill}." not in draft.text.split("ask for")[-1]
        )
    assert any("Not claimed" in n for n in draft.notes)
    assert person.name not in draft.text and (person.email or "@") not in draft.text


def test_empty_profile_fails_closed(bare_engine: Engine, small_bundle) -> None:  # type: ignore[no-untyped-def]
    bare_engine.import_bundle(small_bundle)
    job = next(bare_engine.store.jobs.iter_all())
    bare_engine.save_freelancer(
        Freelancer.model_validate(
            {
                "id": "empty",
                "name": "E",
                "hourly_rate": 20,
                "country": "DE",
                "joined_at": "2026-01-01T00:00:00Z",
            }
        )
    )
    with pytest.raises(ValidationError, match="profile is empty"):
        draft_proposal(acting(bare_engine), "empty", job.id)


def test_interview_questions_aim_at_gaps(loaded_engine: Engine) -> None:
    job_id, fid = _pair(loaded_engine)
    missing = loaded_engine.pair_features(job_id, fid).skills.missing
    questions = interview_questions(acting(loaded_engine), job_id, fid)
    first = questions.text.splitlines()[0]
    assert missing[0] in first and "does not show" in first


def test_tips_are_about_true_additions(loaded_engine: Engine) -> None:
    fid = next(loaded_engine.store.freelancers.iter_all()).id
    tips = profile_tips(acting(loaded_engine), fid, jobs=10)
    assert tips.text.startswith("- ")
    assert "country" not in tips.text.lower() and "name" not in tips.text.lower()
    assert "Only add what is true" in tips.notes[0]


def test_job_tips_name_the_jobs_skills_the_profile_lacks(loaded_engine: Engine) -> None:
    job_id, fid = _pair(loaded_engine)
    feats = loaded_engine.pair_features(job_id, fid)
    tips = job_tips(acting(loaded_engine), fid, job_id)
    lines = tips.text.splitlines()
    gaps = lines[0]  # the gaps come first, in one tip that asks to add them only if true
    assert gaps.startswith("- The job asks for") and "If you have worked with" in gaps
    assert all(skill in gaps for skill in feats.skills.missing)
    for hit in feats.skills.hits:
        if hit.how == "listed":  # what the profile already lists is not asked for again
            assert not any(f"asks for {hit.skill}," in line for line in lines)
    assert {f["claim"] for f in tips.facts} >= {f"missing {s}" for s in feats.skills.missing}
    person = loaded_engine.store.freelancers.get(fid)
    assert person.name not in tips.text and "country" not in tips.text.lower()


def test_job_tips_for_someone_elses_pair_are_refused(loaded_engine: Engine) -> None:
    job_id, fid = _pair(loaded_engine)
    other = next(f.id for f in loaded_engine.store.freelancers.iter_all() if f.id != fid)
    with pytest.raises(PermissionDeniedError):
        job_tips(acting(loaded_engine, "bob", "freelancer", freelancer_id=other), fid, job_id)


def test_a_draft_calls_work_related_only_when_it_shows_a_skill_the_job_asks_for(
    loaded_engine: Engine,
) -> None:
    for job in list(loaded_engine.store.jobs.iter_all())[:40]:
        for person in list(loaded_engine.store.freelancers.iter_all())[:40]:
            feats = loaded_engine.pair_features(job.id, person.id)
            covered = [h for h in feats.skills.hits if h.how in ("listed", "mentioned")]
            if person.portfolio and not covered:
                draft = draft_proposal(acting(loaded_engine), person.id, job.id)
                assert "A related piece" not in draft.text
                assert f"A piece of my work: {person.portfolio[0].title}." in draft.text
                return
    raise AssertionError("no pair with a portfolio and no covered skill")


def test_no_draft_for_a_job_already_applied_to(agency_engine: Engine) -> None:
    """Trial 16: f01 applied to j01 (p01) and was hired; a draft would be a second proposal."""
    me = acting(agency_engine, "jose", "freelancer", freelancer_id="f01")
    with pytest.raises(ConflictError, match="'f01' already applied to job 'j01'"):
        draft_proposal(me, "f01", "j01")
    assert draft_proposal(me, "f01", "j03").text  # a job not applied to is drafted as before


def test_a_fixed_price_jobs_draft_states_a_price_for_the_whole_job(agency_engine: Engine) -> None:
    """j03 pays 3,000 USD for 8 weeks at 20 hours a week; f01 charges 45 USD an hour.

    The draft said "My rate is 45 USD per hour.", a price of another type than the job's;
    then "7200 USD", where every other amount the product shows reads "7,200".
    """
    draft = draft_proposal(
        acting(agency_engine, "jose", "freelancer", freelancer_id="f01"), "f01", "j03"
    )
    assert "My price for the whole job is 7,200 USD." in draft.text  # 45 x 8 x 20
    assert "per hour" not in draft.text and "My rate is" not in draft.text
    price = next(f for f in draft.facts if "whole job" in f["claim"])
    assert price == {
        "claim": "7,200 USD for the whole job",
        "source": "profile.hourly_rate × job.duration_weeks × job.hours_per_week",
    }
    assert any("160 hours" in n and "8 weeks at 20 hours a week" in n for n in draft.notes)
    assert any(n.startswith("This job pays a fixed price: 7,200 USD is") for n in draft.notes)


def test_a_fixed_price_job_without_hours_gets_no_made_up_price(agency_engine: Engine) -> None:
    """j02 pays a fixed 1,200.50 EUR and states no hours: no price follows from a rate."""
    draft = draft_proposal(
        acting(agency_engine, "jose", "freelancer", freelancer_id="f01"), "f01", "j02"
    )
    assert "My price for the whole job is to be agreed in USD." in draft.text
    assert "per hour" not in draft.text and "45" not in draft.text
    assert not any("whole job" in f["claim"] or "/h" in f["claim"] for f in draft.facts)
    assert any("states no weeks and hours a week" in n for n in draft.notes)


def test_an_hourly_jobs_draft_keeps_the_hourly_rate(agency_engine: Engine) -> None:
    draft = draft_proposal(
        acting(agency_engine, "jose", "freelancer", freelancer_id="f01"), "f01", "j04"
    )
    assert "My rate is 45 USD per hour." in draft.text and "whole job" not in draft.text
    assert {"claim": "45 USD/h", "source": "profile.hourly_rate"} in draft.facts
