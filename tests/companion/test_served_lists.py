"""What the companion says of a served list (trial comp19).

With a fairness policy on, the companion showed matches out of score order (0.673, 0.541,
0.620) without the note the API and web carry. A list re-ordered by policy says so, of the
list as a whole, in its data and its words.
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
