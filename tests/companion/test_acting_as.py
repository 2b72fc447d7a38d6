"""The companion acts as its user: the access table holds for it as for the API.

A client's companion sees its own jobs' candidates and nobody's recommendations; a
freelancer's companion speaks for its own profile only and sees other people's profiles as
their public projection; every message is redacted before anything reads it.
"""

from __future__ import annotations

import json

import pytest

from tandem.companion.dialogue import Companion
from tandem.domain import Job
from tandem.engine import Engine
from tandem.errors import PermissionDeniedError
from tests.companion.conftest import acting

SECRET_EMAIL = "searcher.secret@mail.test"
SECRET_PHONE = "+1 202 555 0147"


def _two_clients_jobs(engine: Engine) -> tuple[Job, Job]:
    jobs = [j for j in engine.store.jobs.iter_all() if j.status == "open" and j.client_id]
    mine = jobs[0]
    theirs = next(j for j in jobs if j.client_id != mine.client_id)
    return mine, theirs


def _client(engine: Engine, job: Job) -> Companion:
    assert job.client_id
    return Companion(acting(engine, f"user-{job.client_id}", "client", client_id=job.client_id))


def test_a_clients_companion_asks_about_its_own_jobs_candidates_only(
    writable_engine: Engine,
) -> None:
    mine, theirs = _two_clients_jobs(writable_engine)
    person = next(writable_engine.store.freelancers.iter_all()).id
    companion = _client(writable_engine, mine)
    conv, _ = companion.open()
    own = companion.say(conv.id, f"interview questions for {person} on {mine.id}").reply
    assert own.payload["intent"] == "interview", own.text
    other = companion.say(conv.id, f"interview questions for {person} on {theirs.id}").reply
    assert other.payload["intent"] == "error"
    assert "only for your own jobs" in other.text and "pair.fit" not in other.text


def test_a_clients_companion_gets_no_tips_from_someone_elses_recommendations(
    writable_engine: Engine,
) -> None:
    mine, _ = _two_clients_jobs(writable_engine)
    person = next(writable_engine.store.freelancers.iter_all()).id
    companion = _client(writable_engine, mine)
    conv, _ = companion.open()
    tips = companion.say(conv.id, f"any tips for {person}?").reply
    assert tips.payload["intent"] == "error" and "profile.recommendations" not in tips.text
    assert "As a client you can't see the jobs recommended to a freelancer" in tips.text


def test_a_freelancers_companion_speaks_for_its_own_profile_only(
    writable_engine: Engine,
) -> None:
    me, other = (f.id for f in writable_engine.store.freelancers.page(0, 2)[0])
    companion = Companion(acting(writable_engine, f"user-{me}", "freelancer", freelancer_id=me))
    with pytest.raises(PermissionDeniedError):
        companion.open(freelancer_id=other)
    conv, _ = companion.open()
    assert companion.get(conv.id).state["context"]["freelancer_id"] == me
    job = next(j for j in writable_engine.store.jobs.iter_all() if j.status == "open")
    asked = companion.say(conv.id, f"interview questions for {other} on {job.id}").reply
    assert asked.payload["intent"] == "error" and "pair.fit" not in asked.text
    assert "see how a freelancer fits a job only for yourself" in asked.text


def test_other_peoples_profiles_are_read_as_their_public_projection(
    writable_engine: Engine,
) -> None:
    people = [f for f in writable_engine.store.freelancers.iter_all() if f.email][:2]
    me, other = people[0].id, people[1].id
    view = acting(writable_engine, f"user-{me}", "freelancer", freelancer_id=me)
    seen = view.person(other)
    assert (seen.email, seen.phone, seen.attributes, seen.consent) == (None, None, None, None)
    assert view.people([other])[other].email is None
    assert view.person(me).email == people[0].email  # the person sees themselves whole
    assert acting(writable_engine).person(other).email == people[1].email  # an operator too


def test_an_auditor_cannot_open_a_companion_session(writable_engine: Engine) -> None:
    with pytest.raises(PermissionDeniedError):
        Companion(acting(writable_engine, "audit-1", "auditor")).open()


def test_contact_details_are_redacted_at_the_door(writable_engine: Engine) -> None:
    """Issue 16: an email or phone typed to the companion is stored nowhere, in no form."""
    mine, _ = _two_clients_jobs(writable_engine)
    view = acting(writable_engine, "redact-user", "operator")
    companion = Companion(view)
    conv, _ = companion.open(job_id=mine.id)
    said = f"find me a logo designer, reach me at {SECRET_EMAIL} or {SECRET_PHONE}"
    found = companion.say(conv.id, said)
    draft = companion.say(
        conv.id, f"I need a logo for my bakery, budget $300. Email {SECRET_EMAIL}"
    )
    assert found.reply.payload["intent"] == "find" and draft.reply.payload["intent"] == "draft_job"
    conv_now, messages = companion.history(conv.id)
    decision = writable_engine.store.decisions.get(found.reply.payload["data"]["request_id"])
    stored = [
        json.dumps(conv_now.state),
        *(m.text + json.dumps(m.payload) for m in messages),
        decision.model_dump_json(),
    ]
    for copy in stored:
        assert SECRET_EMAIL not in copy and "555 0147" not in copy and "searcher.secret" not in copy
    assert "[email]" in messages[-2].text  # what was said is kept, without the detail
    assert any("Contact details were removed" in n for n in draft.reply.payload["notes"])
