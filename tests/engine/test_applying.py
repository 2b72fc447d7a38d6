"""A freelancer's own actions at the facade: the rules hold for every face that calls them."""

from __future__ import annotations

import pydantic
import pytest

from tandem.domain import Bid, Freelancer
from tandem.domain.fields import STORED
from tandem.engine import Engine
from tandem.engine.applying import ProfileEdit, SkillChange
from tandem.errors import ConflictError, PermissionDeniedError, ValidationError
from tests.conftest import Cast, view_of


def _open_job(engine: Engine, freelancer_id: str) -> str:
    """An open job the freelancer has not applied to."""
    applied = {p.job_id for p in engine.store.proposals.where(freelancer_id=freelancer_id)}
    return next(j.id for j in engine.store.jobs.where(status="open") if j.id not in applied)


def test_a_freelancer_edits_their_own_profile_and_skills_are_normalised(
    engine: Engine, cast: Cast
) -> None:
    me = cast.view(engine, "freelancer-own", "web")
    edit = ProfileEdit(title="Data engineer", skills=["js", "pyhton", "Basket weaving"],
                       hourly_rate=61.5)  # fmt: skip
    saved = me.edit_profile(cast.freelancer_id, edit)
    stored = engine.store.freelancers.get(cast.freelancer_id)
    assert stored.title == "Data engineer" and stored.hourly_rate == 61.5
    assert stored.skills == ["JavaScript", "Python", "Basket weaving"]
    assert saved.changes == [SkillChange("js", "JavaScript"), SkillChange("pyhton", "Python")]
    assert stored.country == saved.profile.country  # fields not edited are kept


def test_nobody_else_edits_a_profile_but_an_operator(engine: Engine, cast: Cast) -> None:
    for who in ("freelancer-other", "client-own", "auditor"):
        with pytest.raises(PermissionDeniedError):
            cast.view(engine, who, "web").edit_profile(
                cast.freelancer_id, ProfileEdit(title="Hacked")
            )
    assert engine.store.freelancers.get(cast.freelancer_id).title != "Hacked"
    cast.view(engine, "operator", "web").edit_profile(
        cast.freelancer_id, ProfileEdit(overview="Ok.")
    )
    assert engine.store.freelancers.get(cast.freelancer_id).overview == "Ok."


def test_a_value_the_profile_refuses_names_its_field(engine: Engine, cast: Cast) -> None:
    me = cast.view(engine, "freelancer-own", "web")
    with pytest.raises(ValidationError, match="hourly_rate"):
        me.edit_profile(cast.freelancer_id, ProfileEdit(hourly_rate=-5))
    with pytest.raises(ValidationError, match="availability_hours_per_week"):
        me.edit_profile(cast.freelancer_id, ProfileEdit(availability_hours_per_week=500))


def test_a_freelancer_applies_as_themself_once_to_an_open_job(engine: Engine, cast: Cast) -> None:
    me = cast.view(engine, "freelancer-own", "web")
    job_id = _open_job(engine, cast.freelancer_id)
    proposal = me.apply_to_job(job_id, "  I can do this.  ", bid=Bid(amount=30, type="hourly"))
    assert (
        proposal.freelancer_id == cast.freelancer_id and proposal.cover_letter == "I can do this."
    )
    assert engine.store.proposals.get(proposal.id).job_id == job_id
    with pytest.raises(ConflictError, match="already applied"):
        me.apply_to_job(job_id, "Again.")
    assert len(engine.store.proposals.where(job_id=job_id, freelancer_id=cast.freelancer_id)) == 1


def test_applying_is_refused_to_others_to_closed_jobs_and_without_a_letter(
    engine: Engine, cast: Cast
) -> None:
    job_id = _open_job(engine, cast.other_freelancer_id)
    for who in ("client-own", "operator", "auditor"):
        with pytest.raises(PermissionDeniedError, match="only a signed-in freelancer"):
            cast.view(engine, who, "web").apply_to_job(job_id, "Hello.")
    other = cast.view(engine, "freelancer-other", "web")
    with pytest.raises(ValidationError, match="cover letter"):
        other.apply_to_job(job_id, "   ")
    closed = engine.store.jobs.where(status="closed")[0]
    with pytest.raises(ConflictError, match="no more proposals"):
        other.apply_to_job(closed.id, "Hello.")
    assert not engine.store.proposals.where(job_id=job_id, freelancer_id=cast.other_freelancer_id)


def test_my_proposals_read_their_status_from_the_clients_decisions(
    engine: Engine, cast: Cast
) -> None:
    me = cast.view(engine, "freelancer-own", "web")
    job_id = _open_job(engine, cast.freelancer_id)
    me.apply_to_job(job_id, "Hello.")
    mine = {p.proposal.job_id: p for p in me.my_proposals()}
    assert mine[job_id].status == "sent" and mine[job_id].job is not None
    job = engine.store.jobs.get(job_id)
    operator = cast.view(engine, "operator", "web")
    ranking = operator.serve_match(job_id, top=100, candidates="proposals")
    assert cast.freelancer_id in [r.freelancer_id for r in ranking.results], job.id
    operator.decide_on_match(ranking.request_id, cast.freelancer_id, "shortlist")
    assert {p.proposal.job_id: p for p in me.my_proposals()}[job_id].label == "Shortlisted"
    operator.decide_on_match(ranking.request_id, cast.freelancer_id, "decline")
    assert {p.proposal.job_id: p for p in me.my_proposals()}[job_id].status == "decline"
    assert all(p.proposal.freelancer_id == cast.freelancer_id for p in me.my_proposals())
    assert cast.view(engine, "client-own", "web").my_proposals() == []


def test_skill_suggestions_say_what_a_typed_skill_is_saved_as(engine: Engine, cast: Cast) -> None:
    me = cast.view(engine, "freelancer-own", "web")
    found = me.skill_suggestions("js")
    assert found.saved_as == "JavaScript" and found.suggestions[0] == "JavaScript"
    assert me.skill_suggestions("x" * 500).text == "x" * 200


def test_every_face_that_sends_a_proposal_meets_the_same_rules(engine: Engine, cast: Cast) -> None:
    """The companion's "send it" goes through ``submit_proposal``: one per job, open jobs only."""
    from datetime import UTC, datetime

    from tandem.domain import Proposal

    me = cast.view(engine, "freelancer-other", "web")
    job_id = _open_job(engine, cast.other_freelancer_id)
    made = {"freelancer_id": cast.other_freelancer_id, "created_at": datetime.now(UTC)}
    me.submit_proposal(Proposal(id="p-first", job_id=job_id, **made))
    with pytest.raises(ConflictError, match="already applied"):
        me.submit_proposal(Proposal(id="p-second", job_id=job_id, **made))
    closed = engine.store.jobs.where(status="closed")[0].id
    with pytest.raises(ConflictError, match="no more proposals"):
        me.submit_proposal(Proposal(id="p-closed", job_id=closed, **made))
    assert not engine.store.proposals.get_many(["p-second", "p-closed"])


def test_a_profile_stored_before_the_id_rule_stays_editable_by_its_person(
    engine: Engine, cast: Cast
) -> None:
    # An id with an invisible character is refused as new input, but this row was stored first.
    legacy = "fl-\u200blegacy"
    row = engine.store.freelancers.get(cast.other_freelancer_id).to_json_dict() | {"id": legacy}
    with pytest.raises(pydantic.ValidationError, match="control or invisible character"):
        Freelancer.model_validate(row)
    engine.store.freelancers.save(Freelancer.model_validate(row, context=STORED))
    token = engine.add_user("legacy-person", "freelancer", freelancer_id=legacy)[1]
    me = view_of(engine, token, "web")
    saved = me.edit_profile(legacy, ProfileEdit(title="Still here", hourly_rate=70))
    assert (saved.profile.id, saved.profile.title) == (legacy, "Still here")
    assert engine.store.freelancers.get(legacy).hourly_rate == 70
    with pytest.raises(ValidationError, match="^hourly_rate"):  # the change is new input
        me.edit_profile(legacy, ProfileEdit(hourly_rate=-1))
