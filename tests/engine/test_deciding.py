"""Decisions on a ranking's candidates, at the facade: the rule holds for every face."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tandem.domain import Event
from tandem.engine import Engine, JobQuery
from tandem.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from tests.conftest import Cast


def test_the_jobs_client_decides_and_the_event_carries_the_ranking(
    engine: Engine, cast: Cast
) -> None:
    client = cast.view(engine, "client-own")
    ranking = client.serve_match(cast.job_id, top=5)
    third = ranking.results[2].freelancer_id
    event = client.decide_on_match(ranking.request_id, third, "interview", job_id=cast.job_id)
    assert (event.type, event.request_id, event.position) == ("interview", ranking.request_id, 3)
    assert (event.job_id, event.actor, event.surface) == (cast.job_id, "client", "match")
    assert engine.store.events.get(event.id).request_id == ranking.request_id
    assert "interview" in client.match_decisions(cast.job_id)[third]


@pytest.mark.parametrize("who", ["client-other", "freelancer-own", "auditor"])
def test_nobody_else_decides_on_a_clients_job(engine: Engine, cast: Cast, who: str) -> None:
    ranking = cast.view(engine, "client-own").serve_match(cast.job_id, top=3)
    with pytest.raises(PermissionDeniedError):
        cast.view(engine, who).decide_on_match(
            ranking.request_id, ranking.results[0].freelancer_id, "hire"
        )
    assert not [e for e in engine.store.events.where(type="hire") if e.request_id]


def test_an_operator_may_decide_and_a_freelancer_may_not_read_the_decisions(
    engine: Engine, cast: Cast
) -> None:
    operator = cast.view(engine, "operator")
    ranking = operator.serve_match(cast.job_id, top=3)
    operator.decide_on_match(ranking.request_id, ranking.results[0].freelancer_id, "shortlist")
    with pytest.raises(PermissionDeniedError):
        cast.view(engine, "freelancer-own").match_decisions(cast.job_id)


def test_a_decision_needs_a_match_ranking_that_showed_the_person(
    engine: Engine, cast: Cast
) -> None:
    client = cast.view(engine, "client-own")
    ranking = client.serve_match(cast.job_id, top=3)
    shown = {r.freelancer_id for r in ranking.results}
    stranger = next(f.id for f in engine.store.freelancers.iter_all() if f.id not in shown)
    with pytest.raises(ValidationError, match="was not shown"):
        client.decide_on_match(ranking.request_id, stranger, "hire")
    with pytest.raises(ValidationError, match="must be one of"):
        client.decide_on_match(ranking.request_id, ranking.results[0].freelancer_id, "click")
    with pytest.raises(ValidationError, match="is not of job"):
        client.decide_on_match(
            ranking.request_id, ranking.results[0].freelancer_id, "hire", job_id="elsewhere"
        )
    search = client.search_jobs(JobQuery(text="design", top=3))
    with pytest.raises(ValidationError, match="not a job's matches"):
        client.decide_on_match(search.request_id, ranking.results[0].freelancer_id, "hire")
    with pytest.raises(NotFoundError):
        client.decide_on_match("no-such-ranking", ranking.results[0].freelancer_id, "hire")


def test_a_closed_job_takes_no_decisions_until_reopened(engine: Engine, cast: Cast) -> None:
    client = cast.view(engine, "client-own")
    ranking = client.serve_match(cast.job_id, top=3, candidates="all")
    first = ranking.results[0].freelancer_id
    assert client.may_decide_on(client.job(cast.job_id))
    assert not cast.view(engine, "auditor").may_decide_on(client.job(cast.job_id))
    before = engine.store.events.count()
    client.set_job_status(cast.job_id, "closed")
    try:
        assert not client.may_decide_on(client.job(cast.job_id))
        assert not cast.view(engine, "operator").may_decide_on(client.job(cast.job_id))
        for action in ("hire", "decline", "shortlist"):
            with pytest.raises(ConflictError, match="is closed: it takes no decisions"):
                client.decide_on_match(ranking.request_id, first, action)
        assert engine.store.events.count() == before
    finally:
        client.set_job_status(cast.job_id, "open")
    assert client.decide_on_match(ranking.request_id, first, "decline").type == "decline"


def _event(job_id: str, fid: str, kind: str, rid: str | None) -> Event:
    return Event(
        id=f"api-{kind}-{rid}",
        ts=datetime(2026, 11, 2, tzinfo=UTC),
        type=kind,
        job_id=job_id,
        freelancer_id=fid,
        actor="client",
        request_id=rid,  # position left out: the ranking's is filled in
    )


def test_a_recorded_decision_event_goes_through_the_same_rule(engine: Engine, cast: Cast) -> None:
    """``record_event`` (``POST /api/events``) holds a decision to the match cards' rule."""
    client = cast.view(engine, "client-own")
    ranking = client.serve_match(cast.job_id, top=3, candidates="all")
    second = ranking.results[1].freelancer_id
    with pytest.raises(ValidationError, match="needs the request_id"):
        client.record_event(_event(cast.job_id, second, "interview", None))
    before = engine.store.events.count()
    client.set_job_status(cast.job_id, "closed")
    try:
        for kind in ("hire", "interview", "decline"):
            with pytest.raises(ConflictError, match="is closed"):
                client.record_event(_event(cast.job_id, second, kind, ranking.request_id))
        assert engine.store.events.count() == before
    finally:
        client.set_job_status(cast.job_id, "open")
    made_up = _event(cast.job_id, second, "shortlist", ranking.request_id)
    with pytest.raises(ValidationError, match="is at position 2, where the ranking showed"):
        client.record_event(made_up.model_copy(update={"position": 9}))  # a label made up
    recorded = client.record_event(made_up)
    assert (recorded.position, recorded.surface) == (2, "match")  # the ranking's, filled in


def test_a_clients_posted_event_happened_now_an_operators_keeps_its_time(
    engine: Engine, cast: Cast
) -> None:
    """A backdated ``ts`` would backdate an outcome training reads: only history keeps one."""
    client = cast.view(engine, "client-own")
    ranking = client.serve_match(cast.job_id, top=3, candidates="all")
    first = ranking.results[0].freelancer_id
    backdated = datetime(2020, 1, 1, tzinfo=UTC)
    posted = [
        _event(cast.job_id, first, "invite", ranking.request_id),
        _event(cast.job_id, first, "hire", ranking.request_id),  # a review is of someone hired
        _event(cast.job_id, first, "review", None),
    ]
    for event in posted:
        asked = datetime.now(UTC)
        recorded = client.record_event(event.model_copy(update={"ts": backdated}))
        assert asked <= recorded.ts <= datetime.now(UTC)
        assert engine.store.events.get(event.id).ts == recorded.ts
    operator = cast.view(engine, "operator")
    history = _event(cast.job_id, first, "review", None).model_copy(
        update={"id": "history-review", "ts": backdated}
    )
    assert operator.record_event(history).ts == backdated
    assert engine.store.events.get("history-review").ts == backdated
