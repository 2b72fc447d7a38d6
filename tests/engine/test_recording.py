"""Posted events at the facade: none replaces another, and each is about the poster's own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from tandem.api import create_app
from tandem.domain import Event
from tandem.engine import Engine
from tandem.errors import ConflictError, ValidationError
from tests.conftest import Cast


def _others_event(engine: Engine, cast: Cast) -> Event:
    """An imported event on another client's job: what a reused id must not touch."""
    mine = {j.id for j in engine.store.jobs.where(client_id=cast.client_id)}
    return next(e for e in engine.store.events.iter_all() if e.job_id not in mine)


def _event(**fields: object) -> Event:
    base: dict[str, object] = {"ts": datetime(2026, 11, 2, tzinfo=UTC), "actor": "client"}
    return Event.model_validate(base | fields)


def test_a_client_cannot_replace_another_clients_event_by_its_id(
    engine: Engine, cast: Cast
) -> None:
    kept = _others_event(engine, cast)
    client = cast.view(engine, "client-own")
    ranking = client.serve_match(cast.job_id, top=3)
    first = ranking.results[0].freelancer_id
    clash = _event(
        id=kept.id, type="decline", job_id=cast.job_id, freelancer_id=first,
        request_id=ranking.request_id,
    )  # fmt: skip
    with pytest.raises(ConflictError, match="already taken by another event"):
        client.record_event(clash)
    assert engine.store.events.get(kept.id) == kept
    operator = cast.view(engine, "operator")  # nobody replaces it by posting, operators neither
    with pytest.raises(ConflictError, match="never replaced"):
        operator.record_event(kept.model_copy(update={"type": "end_contract"}))
    assert engine.store.events.get(kept.id) == kept


def test_the_same_event_posted_twice_is_one_event(engine: Engine, cast: Cast) -> None:
    client = cast.view(engine, "client-own")
    ranking = client.serve_match(cast.job_id, top=3)
    second = ranking.results[1].freelancer_id
    event = _event(
        id="twice-1", type="shortlist", job_id=cast.job_id, freelancer_id=second,
        request_id=ranking.request_id,
    )  # fmt: skip
    first = client.record_event(event)
    again = client.record_event(event.model_copy(update={"ts": datetime(2026, 11, 3, tzinfo=UTC)}))
    assert again == first == engine.store.events.get("twice-1")
    pressed = client.decide_on_match(ranking.request_id, second, "hire")
    assert client.decide_on_match(ranking.request_id, second, "hire") == pressed


def test_a_freelancers_click_names_only_what_its_ranking_showed(engine: Engine, cast: Cast) -> None:
    kept = _others_event(engine, cast)
    person = cast.view(engine, "freelancer-own")
    ranking = person.serve_recommend(cast.freelancer_id, top=3)
    shown = ranking.results[0].job_id
    with pytest.raises(ConflictError):  # its own ranking, but the id is someone else's event
        person.record_event(
            _event(id=kept.id, type="click", job_id=shown, request_id=ranking.request_id)
        )
    assert engine.store.events.get(kept.id) == kept
    others = [r.job_id for r in ranking.results]
    elsewhere = next(j.id for j in engine.store.jobs.iter_all() if j.id not in others)
    stranger = cast.other_freelancer_id
    rid = ranking.request_id
    for n, bad in enumerate(
        ({"job_id": elsewhere, "freelancer_id": cast.freelancer_id}, {"freelancer_id": stranger})
    ):
        with pytest.raises(ValidationError, match="is about what ranking"):
            person.record_event(_event(id=f"clk-{n}", type="click", request_id=rid, **bad))
    ok = person.record_event(
        _event(id="clk-ok", type="click", job_id=shown, request_id=ranking.request_id)
    )
    assert (ok.actor, ok.job_id) == ("freelancer", shown)


def test_post_api_events_answers_409_for_a_taken_id(engine: Engine, cast: Cast) -> None:
    kept = _others_event(engine, cast)
    api = TestClient(create_app(engine=engine), raise_server_exceptions=False)
    headers = cast.auth("client-own")
    rid = api.get(f"/api/jobs/{cast.job_id}/matches", params={"limit": 2}, headers=headers)
    body = rid.json()
    event = {
        "id": kept.id,
        "ts": "2026-11-02T10:00:00Z",
        "type": "decline",
        "job_id": cast.job_id,
        "freelancer_id": body["results"][0]["freelancer_id"],
        "request_id": body["request_id"],
    }
    answer = api.post("/api/events", json=event, headers=headers)
    assert answer.status_code == 409 and "already taken" in answer.json()["detail"]
    assert engine.store.events.get(kept.id) == kept
    fresh = api.post("/api/events", json={**event, "id": "dec-new"}, headers=headers)
    assert fresh.status_code == 201 and set(fresh.json()) >= {"id", "type", "job_id"}


def test_a_review_needs_a_hire_of_that_person_on_that_job(engine: Engine, cast: Cast) -> None:
    client = cast.view(engine, "client-own")
    ranking = client.serve_match(cast.job_id, top=4)
    person = ranking.results[3].freelancer_id
    client.decide_on_match(ranking.request_id, person, "shortlist")
    review = _event(id="rev-1", type="review", job_id=cast.job_id, freelancer_id=person, rating=5)
    with pytest.raises(ValidationError, match="no hire of .* a review is of someone hired"):
        client.record_event(review)
    assert "rev-1" not in engine.store.events.exists(["rev-1"])
    with pytest.raises(ValidationError, match="names the job and the freelancer"):
        client.record_event(review.model_copy(update={"freelancer_id": None}))
    client.decide_on_match(ranking.request_id, person, "hire")
    assert client.record_event(review).rating == 5


def test_a_view_is_placed_where_its_ranking_showed_its_result(engine: Engine, cast: Cast) -> None:
    """Trial 18: a click on #1 stored as position 7 on surface "search", an impression at 99."""
    client = cast.view(engine, "client-own")
    ranking = client.serve_match(cast.job_id, top=10)
    rid, first = ranking.request_id, ranking.results[0].freelancer_id
    click = _event(
        id="clk-7", type="click", job_id=cast.job_id, freelancer_id=first, request_id=rid
    )
    with pytest.raises(
        ValidationError, match="is at position 1, where the ranking showed them, not 7"
    ):
        client.record_event(click.model_copy(update={"position": 7}))
    with pytest.raises(ValidationError, match="is on surface 'match', not 'search'"):
        client.record_event(click.model_copy(update={"position": 1, "surface": "search"}))
    tenth = ranking.results[9].freelancer_id
    seen = click.model_copy(update={"id": "imp-99", "type": "impression", "freelancer_id": tenth})
    with pytest.raises(ValidationError, match="not 99"):
        client.record_event(seen.model_copy(update={"position": 99}))
    assert not engine.store.events.exists(["clk-7", "imp-99"])
    filled = client.record_event(seen)  # no position, no surface: the ranking's
    assert (filled.position, filled.surface) == (10, "match")
    assert engine.store.events.get("imp-99").position == 10
    stranger = cast.other_freelancer_id
    assert stranger not in {r.freelancer_id for r in ranking.results}
    operator = cast.view(engine, "operator")  # an operator's post is a label too: held alike
    with pytest.raises(ValidationError, match="must be one the ranking showed"):
        operator.record_event(click.model_copy(update={"id": "clk-op", "freelancer_id": stranger}))
    with pytest.raises(ValidationError, match="not 3"):
        operator.record_event(click.model_copy(update={"id": "clk-op", "position": 3}))
    with pytest.raises(ValidationError, match="needs the request_id"):
        operator.record_event(click.model_copy(update={"id": "clk-op", "request_id": None}))
    assert operator.record_event(click.model_copy(update={"id": "clk-op"})).position == 1


def test_a_view_of_applicants_is_on_the_proposals_surface(engine: Engine, cast: Cast) -> None:
    operator = cast.view(engine, "operator")
    job = next(j for j in engine.store.jobs.iter_all() if engine.store.proposals.where(job_id=j.id))
    ranking = operator.serve_match(job.id, top=5, candidates="proposals")
    person = ranking.results[-1].freelancer_id
    seen = _event(
        id="imp-apps", type="impression", job_id=job.id, freelancer_id=person,
        request_id=ranking.request_id, surface="match",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="a job's applicants.*'proposals', not 'match'"):
        operator.record_event(seen)
    stored = operator.record_event(seen.model_copy(update={"surface": None}))
    assert (stored.surface, stored.position) == ("proposals", len(ranking.results))


def test_post_api_events_refuses_a_made_up_position_with_422(engine: Engine, cast: Cast) -> None:
    api = TestClient(create_app(engine=engine), raise_server_exceptions=False)
    headers = cast.auth("client-own")
    body = api.get(f"/api/jobs/{cast.job_id}/matches", params={"limit": 10}, headers=headers).json()
    event = {
        "id": "imp-api-99",
        "ts": "2026-11-02T10:00:00Z",
        "type": "impression",
        "job_id": cast.job_id,
        "freelancer_id": body["results"][0]["freelancer_id"],
        "request_id": body["request_id"],
        "position": 99,
    }
    answer = api.post("/api/events", json=event, headers=headers)
    assert answer.status_code == 422, answer.text
    assert "is at position 1, where the ranking showed them, not 99" in answer.json()["detail"]
    del event["position"]
    stored = api.post("/api/events", json=event, headers=headers)
    assert stored.status_code == 201 and stored.json()["position"] == 1


def test_post_api_events_refuses_a_made_up_position_on_a_decision(
    engine: Engine, cast: Cast
) -> None:
    """A trial posted an invite with ``position: 9`` and found it stored as 2, silently."""
    api = TestClient(create_app(engine=engine), raise_server_exceptions=False)
    headers = cast.auth("client-own")
    body = api.get(f"/api/jobs/{cast.job_id}/matches", params={"limit": 10}, headers=headers).json()
    event = {
        "id": "inv-api-9",
        "ts": "2026-11-02T10:00:00Z",
        "type": "invite",
        "job_id": cast.job_id,
        "freelancer_id": body["results"][1]["freelancer_id"],
        "request_id": body["request_id"],
        "position": 9,
    }
    answer = api.post("/api/events", json=event, headers=headers)
    assert answer.status_code == 422, answer.text
    assert "is at position 2, where the ranking showed them, not 9" in answer.json()["detail"]
    assert not engine.store.events.where(job_id=cast.job_id, type="invite")
    del event["position"]
    stored = api.post("/api/events", json=event, headers=headers)
    assert stored.status_code == 201 and stored.json()["position"] == 2
