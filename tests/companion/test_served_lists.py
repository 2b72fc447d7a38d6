"""What the companion says of a served list and of a job it may not act on (trial comp19).

With a fairness policy on, the companion showed matches out of score order (0.673, 0.541,
0.620) without the note the API and web carry; on a closed job it offered a hire that could
only fail at Confirm. A list re-ordered by policy says so, of the list as a whole, in its data
and its words; a closed job is said closed when the offer is asked for, with nothing pending.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.access.projections import POLICY_NOTE
from tandem.bundle import Generator, VocabSkill
from tandem.bundle.generator_bias import Bias
from tandem.companion.dialogue import Companion
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.companion.conftest import acting
from tests.conftest import make_settings


@pytest.fixture(scope="module")
def fair_engine(
    tmp_path_factory: pytest.TempPathFactory, vocabulary: list[VocabSkill]
) -> Iterator[Engine]:
    """A biased market served with ``fair_by=gender``: the policy moves people."""
    market = tmp_path_factory.mktemp("comp-fair-bundle")
    Generator(vocabulary, seed=5, bias=Bias(0.9)).write(market, 200, 100)
    settings = make_settings(tmp_path_factory.mktemp("comp-fair-home"))
    engine = Engine(settings.model_copy(update={"fair_by": "gender"}), encoder=HashingEncoder())
    engine.import_bundle(market)
    yield engine
    engine.store.close()


def _out_of_order(scores: list[float]) -> bool:
    return scores != sorted(scores, reverse=True)


def test_a_list_the_policy_reordered_carries_its_note(fair_engine: Engine) -> None:
    companion = Companion(acting(fair_engine))
    for job in fair_engine.store.jobs.iter_all():
        if job.status != "open":
            continue
        conv, _ = companion.open(job_id=job.id)
        reply = companion.say(conv.id, "who fits this job best?").reply
        scores = [r["score"] for r in reply.payload["data"]["results"]]
        if _out_of_order(scores):
            break
    else:
        raise AssertionError("the policy re-ordered no companion list in this market")
    assert reply.payload["data"]["policy_note"] == POLICY_NOTE
    assert reply.text.count(POLICY_NOTE) == 1
    assert "gender" not in reply.text  # of the list as a whole: never who moved or why


def test_a_list_in_score_order_carries_no_note(writable_engine: Engine) -> None:
    job = next(j for j in writable_engine.store.jobs.iter_all() if j.status == "open")
    companion = Companion(acting(writable_engine))
    conv, _ = companion.open(job_id=job.id)
    reply = companion.say(conv.id, "who fits this job best?").reply
    assert reply.payload["data"]["results"]
    assert "policy_note" not in reply.payload["data"]
    assert "re-ordered" not in reply.text


@pytest.mark.parametrize("kind", ["hire", "invite"])
def test_a_closed_job_is_said_closed_and_nothing_waits(writable_engine: Engine, kind: str) -> None:
    job = next(
        j for j in writable_engine.store.jobs.iter_all() if j.status == "closed" and j.client_id
    )
    assert job.client_id
    client = acting(writable_engine, "client-c", "client", client_id=job.client_id)
    companion = Companion(client, typed_yes=False)  # the web panel: Confirm would be next
    conv, _ = companion.open(job_id=job.id)
    shown = companion.say(conv.id, "who fits this job best?").reply.payload
    assert shown["data"]["results"]  # showing a closed job's matches is still allowed
    events = writable_engine.store.events.count()
    turn = companion.say(conv.id, f"{kind} the first one")
    assert turn.reply.payload["pending"] is None
    assert turn.conversation.state["pending"] is None
    assert f"job '{job.id}' is closed" in turn.reply.text
    assert turn.reply.payload["intent"] == kind
    assert writable_engine.store.events.count() == events


def test_saying_it_closed_leaves_an_open_job_offered(writable_engine: Engine) -> None:
    job = next(
        j for j in writable_engine.store.jobs.iter_all() if j.status == "open" and j.client_id
    )
    assert job.client_id
    client = acting(writable_engine, "client-o", "client", client_id=job.client_id)
    companion = Companion(client, typed_yes=False)
    conv, _ = companion.open(job_id=job.id)
    companion.say(conv.id, "who fits this job best?")
    turn = companion.say(conv.id, "invite the first one")
    assert turn.reply.payload["pending"]["kind"] == "invite"
