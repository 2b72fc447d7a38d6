"""The policy as served: the whole pool is re-ranked before the cut, talent search too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.bundle import Generator, VocabSkill
from tandem.bundle.generator_bias import Bias
from tandem.embed import HashingEncoder
from tandem.engine import Engine, TalentQuery
from tandem.engine.fairness import group_of
from tandem.fairness import fair_order
from tandem.fairness.tally import behind, count_lists
from tests.conftest import make_settings


def _job_with_applicants(engine: Engine) -> str:
    for job in engine.store.jobs.iter_all():
        if len(engine.store.proposals.where(job_id=job.id)) >= 5:
            return job.id
    raise AssertionError("no job with applicants")


def test_discovery_is_re_ranked_before_the_cut(loaded_engine: Engine) -> None:
    job_id = _job_with_applicants(loaded_engine)
    full = loaded_engine.match(job_id, top=None, candidates="all", fair_by="")
    fair = loaded_engine.match(job_id, top=10, candidates="all", fair_by="gender")
    scores = {r.freelancer_id: r.score for r in full}
    assert len(fair) == 10 and len({r.freelancer_id for r in fair}) == 10
    assert all(scores[r.freelancer_id] == r.score for r in fair)
    everyone = loaded_engine.match(job_id, top=None, candidates="all", fair_by="gender")
    assert [r.freelancer_id for r in everyone[:10]] == [r.freelancer_id for r in fair]
    assert sorted(r.freelancer_id for r in everyone) == sorted(scores)


def test_the_setting_reaches_talent_search(
    loaded_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = TalentQuery("developer", top=30)
    plain = loaded_engine.search_talent(query)
    fair_settings = loaded_engine.settings.model_copy(update={"fair_by": "gender"})
    monkeypatch.setattr(loaded_engine, "settings", fair_settings)
    fair = loaded_engine.search_talent(query)
    assert sorted(r.freelancer_id for r in fair) == sorted(r.freelancer_id for r in plain)
    moved = [r for r in fair if any(x.code == "fairness_policy" for x in r.reasons)]
    assert moved  # the policy acted (the search ranks by relevance, not by group)
    order = [r.freelancer_id for r in plain]
    for at, r in enumerate(fair, start=1):
        assert (r in moved) == (order.index(r.freelancer_id) + 1 != at)


@pytest.fixture(scope="module")
def biased_engine(
    tmp_path_factory: pytest.TempPathFactory, vocabulary: list[VocabSkill]
) -> Iterator[Engine]:
    bundle = tmp_path_factory.mktemp("biased-serving-bundle")
    Generator(vocabulary, seed=5, bias=Bias(0.9)).write(bundle, 300, 150)
    engine = Engine(make_settings(tmp_path_factory.mktemp("biased-home")), encoder=HashingEncoder())
    engine.import_bundle(bundle)
    yield engine
    engine.store.close()


def test_aligned_is_served_one_list_at_a_time_with_offsets_from_recent_lists(
    biased_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = biased_engine
    monkeypatch.setattr(
        engine, "settings", engine.settings.model_copy(update={"fair_method": "aligned"})
    )
    policy = engine.fairness_policy("gender")
    assert policy is not None and policy.method == "aligned"
    offsets = engine.fair_offsets("applicants", policy)
    assert set(offsets) == {"woman", "man", "non-binary"}  # each seen often enough
    assert engine.fair_offsets("applicants", policy) is offsets  # estimated once
    differs = 0
    for job in engine.store.jobs.iter_all():
        if len(engine.store.proposals.where(job_id=job.id)) < 3:
            continue
        plain = engine.match(job.id, top=None, candidates="proposals", fair_by="")
        served = engine.match(job.id, top=None, candidates="proposals", fair_by="gender")
        groups = [group_of(engine.store.freelancers.get(r.freelancer_id), "gender") for r in plain]
        by_hand = fair_order(groups, "aligned", scores=[r.score for r in plain], offsets=offsets)
        assert [r.freelancer_id for r in served] == [plain[p.item].freelancer_id for p in by_hand]
        unaligned = fair_order(groups, "detgreedy")
        differs += [p.item for p in by_hand] != [p.item for p in unaligned]
    assert differs  # the offsets (whatever their size) reached the served lists


def test_amortised_steers_a_batch_by_its_tally_and_a_replay_reads_the_same_window(
    biased_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = biased_engine
    monkeypatch.setattr(
        engine, "settings", engine.settings.model_copy(update={"fair_method": "amortised"})
    )
    policy = engine.fairness_policy("gender")
    assert policy is not None and policy.method == "amortised"
    offsets = engine.fair_offsets("applicants", policy)
    jobs = [
        j.id
        for j in engine.store.jobs.iter_all()
        if len(engine.store.proposals.where(job_id=j.id)) >= 6
    ][:30]
    people = {f.id: group_of(f, "gender") for f in engine.store.freelancers.iter_all()}
    served_before: list[list[str | None]] = []  # the batch so far, as an oracle counts it
    lifted = 0
    request_ids = []
    for job_id in jobs:
        plain = engine.match(job_id, top=None, candidates="proposals", fair_by="")
        ranking = engine.serve_match(job_id, top=None, candidates="proposals", fair_by="gender")
        request_ids.append(ranking.request_id)
        groups = [people[r.freelancer_id] for r in plain]
        scores = [r.score for r in plain]
        tally = count_lists(served_before)
        lagging = {k: behind(c) for k, c in tally.items()}
        by_hand = fair_order(groups, "amortised", scores=scores, offsets=offsets, behind=lagging)
        order = [plain[p.item].freelancer_id for p in by_hand]
        assert [r.freelancer_id for r in ranking.results] == order
        aligned = fair_order(groups, "aligned", scores=scores, offsets=offsets)
        lifted += [p.item for p in by_hand] != [p.item for p in aligned]
        served_before.append([people[i] for i in order])
    assert lifted  # the tally reached the served lists
    logged = [engine.store.decisions.get(i).request["fairness"] for i in request_ids]
    throughs = [f["tally_through"] for f in logged]  # type: ignore[index]
    assert throughs == sorted(throughs) and len(set(throughs)) == len(throughs)
    assert all("woman" not in str(f) for f in logged)  # the window is logged, not the counts
    # replay: the logged window, not the tally now, gives the served order back
    differs_now = 0
    for request_id in request_ids[2::4]:
        decision = engine.store.decisions.get(request_id)
        for item in decision.results[:6]:
            replay = engine.why(request_id, item.id)
            assert replay["today"]["rank"] == item.rank and not replay["changed"]
        now = engine.match(decision.subject, top=None, candidates="proposals", fair_by="gender")
        differs_now += [r.freelancer_id for r in now] != [r.id for r in decision.results]
    assert differs_now  # the tally moved on since: without the window a replay would differ
