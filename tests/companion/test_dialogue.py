import pytest

from tandem.companion.dialogue import DISCLOSURE, Companion
from tandem.engine import Engine, Requester
from tandem.errors import ConflictError, NotFoundError

ALICE = Requester("alice", "api")


def test_session_opens_with_disclosure_and_survives_a_new_companion(
    writable_engine: Engine,
) -> None:
    conv, first = Companion(writable_engine).open("alice")
    assert first.text == DISCLOSURE and "AI assistant" in first.text
    Companion(writable_engine).say(conv.id, "find me a designer under $40/h", ALICE)
    again = Companion(writable_engine)  # a restart: only the store remembers
    turn = again.say(conv.id, "cheaper", ALICE)
    assert turn.reply.payload["intent"] == "refine"
    assert turn.reply.payload["ai"] is True
    assert turn.conversation.state["query"]["max_rate"] == 32
    texts = [m.text for m in again.store.messages(conv.id)]
    assert texts[1:] == ["find me a designer under $40/h", texts[2], "cheaper", turn.reply.text]


def test_other_actors_cannot_read_or_write_a_session(writable_engine: Engine) -> None:
    conv, _ = Companion(writable_engine).open("alice")
    with pytest.raises(NotFoundError):
        Companion(writable_engine).say(conv.id, "hello", Requester("mallory", "api"))


def test_drafted_job_is_posted_only_after_yes(writable_engine: Engine) -> None:
    companion = Companion(writable_engine)
    conv, _ = companion.open("alice")
    jobs_before = writable_engine.store.jobs.count()
    draft = companion.say(
        conv.id,
        "I need a logo for my bakery, budget $300, within 2 weeks. Call 555-123-4567",
        ALICE,
    )
    assert draft.reply.payload["pending"]["kind"] == "post_job"
    assert "555" not in draft.reply.text
    assert draft.reply.payload["data"]["draft"]["budget_max"] == 300
    assert writable_engine.store.jobs.count() == jobs_before

    no = companion.say(conv.id, "no", ALICE)
    assert no.reply.payload["intent"] == "cancel" and no.reply.payload["pending"] is None
    assert writable_engine.store.jobs.count() == jobs_before

    companion.say(conv.id, "post it", ALICE)  # asks again: a new pending action
    pending = companion.get(conv.id, "alice").state["pending"]
    with pytest.raises(ConflictError):
        companion.say(conv.id, "", ALICE, confirm="stale-action")
    done = companion.say(conv.id, "", ALICE, confirm=pending["id"])
    job_id = done.reply.payload["data"]["job_id"]
    job = writable_engine.store.jobs.get(job_id)
    assert job.budget is not None and job.budget.max == 300 and job.budget.type == "fixed"
    assert "Logo Design" in job.skills and writable_engine.store.jobs.count() == jobs_before + 1


def test_match_explain_and_invite_on_a_job(writable_engine: Engine) -> None:
    job = next(j for j in writable_engine.store.jobs.iter_all() if j.status == "open")
    companion = Companion(writable_engine)
    conv, _ = companion.open("client-1", job_id=job.id)
    who = Requester("client-1", "web")
    shown = companion.say(conv.id, "who fits this job best?", who).reply.payload
    assert shown["intent"] == "match" and len(shown["data"]["results"]) >= 2
    first, second = shown["data"]["results"][:2]

    why = companion.say(conv.id, f"why is {first['name']} above {second['name']}?", who)
    decision = writable_engine.store.decisions.get(shown["data"]["request_id"])
    logged = {r.id: {x.text for x in r.reasons} for r in decision.results}
    assert why.reply.payload["intent"] == "explain"
    for line in why.reply.text.splitlines()[1:]:  # every comparison quotes logged reasons
        quoted = [
            t for t in logged[first["freelancer_id"]] | logged[second["freelancer_id"]] if t in line
        ]
        assert quoted or "same weights" in line or "no such reason" in line

    ask = companion.say(conv.id, "invite the second one", who)
    assert ask.reply.payload["pending"]["payload"]["freelancer_id"] == second["freelancer_id"]
    events_before = writable_engine.store.events.count()
    companion.say(conv.id, "yes", who)
    invites = writable_engine.store.events.where(job_id=job.id)
    assert writable_engine.store.events.count() == events_before + 1
    assert any(
        e.type == "invite" and e.freelancer_id == second["freelancer_id"] and e.position == 2
        and e.request_id == shown["data"]["request_id"] for e in invites
    )  # fmt: skip


def test_unknown_names_and_missing_context_are_answered_not_crashed(
    writable_engine: Engine,
) -> None:
    companion = Companion(writable_engine)
    conv, _ = companion.open("alice")
    reply = companion.say(conv.id, "why is Ana above Ravi?", ALICE).reply
    assert "only explain a ranking I showed" in reply.text
    reply = companion.say(conv.id, "invite Ana", ALICE).reply
    assert reply.payload["intent"] == "error" and "open the job" in reply.text
    companion.say(conv.id, "find me a designer", ALICE)
    reply = companion.say(conv.id, "why is Zorro above the first?", ALICE).reply
    assert reply.payload["intent"] == "error" and "did not show anyone called" in reply.text


def test_freelancer_gets_a_grounded_proposal_that_is_sent_only_on_yes(
    writable_engine: Engine,
) -> None:
    job = next(j for j in writable_engine.store.jobs.iter_all() if j.status == "open")
    person = next(f for f in writable_engine.store.freelancers.iter_all() if f.title and f.skills)
    companion = Companion(writable_engine)
    conv, _ = companion.open(person.id, freelancer_id=person.id)
    me = Requester(person.id, "api")
    draft = companion.say(conv.id, f"draft a proposal for {job.id}", me).reply
    assert draft.payload["pending"]["kind"] == "send_proposal"
    assert all(f["source"].startswith("profile") for f in draft.payload["facts"])
    assert person.title in draft.text
    before = len(writable_engine.store.proposals.where(job_id=job.id))
    companion.say(conv.id, "send it", me)
    after = writable_engine.store.proposals.where(job_id=job.id)
    assert len(after) == before + 1
    tips = companion.say(conv.id, "any tips for my profile?", me).reply
    assert tips.payload["intent"] == "tips"
