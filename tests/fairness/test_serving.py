"""The policy as served: the whole pool is re-ranked before the cut, talent search too."""

from __future__ import annotations

import pytest

from tandem.engine import Engine, TalentQuery


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
