import pytest

from tandem.companion.explain import compare
from tandem.engine import Engine
from tandem.errors import NotFoundError
from tests.companion.conftest import acting


def test_answers_come_from_the_logged_reasons(loaded_engine: Engine) -> None:
    job = next(
        j
        for j in loaded_engine.store.jobs.iter_all()
        if len(loaded_engine.store.proposals.where(job_id=j.id)) >= 3
    )
    served = loaded_engine.serve_match(job.id, top=5, candidates="proposals")
    top, third = served.results[0], served.results[2]
    answer = compare(
        acting(loaded_engine), served.request_id, third.freelancer_id, top.freelancer_id
    )
    assert answer.text.startswith(f"{top.name} ({top.freelancer_id}) is #1")
    logged_texts = {r.text for res in (top, third) for r in res.reasons}
    for line in answer.text.splitlines()[1:]:
        if "favours" in line:
            quoted = line.split(": ", 1)[1]
            assert any(t in quoted for t in logged_texts)
    with pytest.raises(NotFoundError):
        compare(acting(loaded_engine), served.request_id, "nobody", top.freelancer_id)


def test_only_a_ranking_one_may_read_is_explained(loaded_engine: Engine) -> None:
    job = next(j for j in loaded_engine.store.jobs.iter_all() if j.client_id)
    served = loaded_engine.serve_match(job.id, top=3)
    a, b = (r.freelancer_id for r in served.results[:2])
    person = next(loaded_engine.store.freelancers.iter_all()).id
    outsider = acting(loaded_engine, "fl-user", "freelancer", freelancer_id=person)
    with pytest.raises(NotFoundError):  # not served to them: as if it did not exist
        compare(outsider, served.request_id, a, b)
    assert job.client_id
    own_client = acting(loaded_engine, "colleague", "client", client_id=job.client_id)
    assert "in request" in compare(own_client, served.request_id, a, b).text  # its own job


def test_a_place_set_by_the_fairness_policy_is_said_so(loaded_engine: Engine) -> None:
    for job in loaded_engine.store.jobs.iter_all():
        if len(loaded_engine.store.proposals.where(job_id=job.id)) < 4:
            continue
        served = loaded_engine.serve_match(
            job.id, top=None, candidates="proposals", fair_by="gender"
        )
        # the served list says no one's move (a client would read the group): the log does
        logged = loaded_engine.store.decisions.get(served.request_id).results
        moved = [r for r in logged if any(x.code == "fairness_policy" for x in r.reasons)]
        if moved:
            break
    else:
        pytest.skip("the policy moved nobody in this market")
    other = next(r for r in logged if r.id != moved[0].id)
    answer = compare(acting(loaded_engine), served.request_id, moved[0].id, other.id)
    assert "by the fairness policy" in answer.text  # an operator reads the move
    assert job.client_id
    client = acting(loaded_engine, "colleague", "client", client_id=job.client_id)
    told = compare(client, served.request_id, moved[0].id, other.id).text
    assert "Moved" not in told and "by the fairness policy" not in told
