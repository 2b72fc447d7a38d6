"""The decision log, impressions and clicks, and replaying a decision with ``why``."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tandem.api import create_app
from tandem.domain import Event
from tandem.engine import Engine, Requester, TalentQuery
from tandem.errors import NotFoundError
from tests.conftest import sign_in


def _job_with_applicants(engine: Engine) -> str:
    return next(
        j.id for j in engine.store.jobs.iter_all() if engine.store.proposals.where(job_id=j.id)
    )


def test_every_served_ranking_is_logged(bare_engine: Engine, small_bundle) -> None:  # type: ignore[no-untyped-def]
    bare_engine.import_bundle(small_bundle)
    job_id = _job_with_applicants(bare_engine)
    served = bare_engine.serve_match(job_id, top=5, who=Requester("ana", "cli"))
    logged = bare_engine.store.decisions.get(served.request_id)
    assert logged.actor == "ana" and logged.surface == "cli" and logged.kind == "match"
    assert logged.model_version == bare_engine.heuristic.version
    assert [r.id for r in logged.results] == [r.freelancer_id for r in served.results]
    assert logged.results[0].reasons == served.results[0].reasons
    assert len(logged.candidates) >= len(served.results)
    search = bare_engine.serve_search_talent(TalentQuery("developer", top=3))
    assert bare_engine.store.decisions.get(search.request_id).kind == "search_talent"


def test_why_replays_and_compares_with_today(bare_engine: Engine, small_bundle) -> None:  # type: ignore[no-untyped-def]
    bare_engine.import_bundle(small_bundle)
    job_id = _job_with_applicants(bare_engine)
    served = bare_engine.serve_match(job_id, top=5, candidates="proposals")
    second = served.results[min(1, len(served.results) - 1)]
    replay = bare_engine.why(served.request_id, second.freelancer_id)
    assert replay["logged"]["score"] == second.score
    assert replay["logged"]["rank"] == min(2, len(served.results))
    assert replay["today"]["rank"] == replay["logged"]["rank"] and replay["changed"] is False
    with pytest.raises(NotFoundError):
        bare_engine.why(served.request_id, "not-in-it")
    with pytest.raises(NotFoundError):
        bare_engine.why("no-such-request", second.freelancer_id)


def test_a_served_top_ten_costs_the_log_under_five_kilobytes_and_replays_exactly(
    bare_engine: Engine, small_bundle
) -> None:  # type: ignore[no-untyped-def]
    bare_engine.import_bundle(small_bundle)
    jobs = [j.id for j in bare_engine.store.jobs.iter_all()][:3]
    served = [bare_engine.serve_match(job_id, top=10) for job_id in jobs]
    logged = bare_engine.stats()["store"]["decision_log_payload_bytes"]
    assert 0 < logged / len(served) <= 5_000
    for ranking in served:
        assert len(bare_engine.store.decisions.get(ranking.request_id).candidates) > 10
        for result in ranking.results:
            replay = bare_engine.why(ranking.request_id, result.freelancer_id)
            reasons = [r.model_dump() for r in result.reasons]
            assert replay["logged"]["reasons"] == reasons and replay["changed"] is False
    assert bare_engine.verify_log().ok


def test_events_must_tie_to_a_served_ranking(bare_engine: Engine, small_bundle) -> None:  # type: ignore[no-untyped-def]
    bare_engine.import_bundle(small_bundle)
    job_id = _job_with_applicants(bare_engine)
    served = bare_engine.serve_match(job_id, top=3)
    bare_engine.record_impressions(served, job_id)
    shown = [e for e in bare_engine.store.events.where(job_id=job_id) if e.type == "impression"]
    assert sorted(e.position or 0 for e in shown) == [1, 2, 3]
    assert {e.request_id for e in shown} == {served.request_id}
    click = Event.model_validate(
        {
            "id": "c1",
            "ts": "2026-11-01T00:00:00Z",
            "type": "click",
            "job_id": job_id,
            "freelancer_id": served.results[0].freelancer_id,
            "request_id": "made-up",
        }
    )
    with pytest.raises(NotFoundError):
        bare_engine.record_event(click)


@pytest.fixture
def client(bare_engine: Engine, small_bundle) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    bare_engine.import_bundle(small_bundle)
    user, token = bare_engine.add_user("recruiter-7", "operator")
    app = create_app(engine=bare_engine)
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(app, raise_server_exceptions=False, headers=headers) as c:
        c.app_state_user_id = user.id  # type: ignore[attr-defined]
        sign_in(c, token)
        yield c


def test_api_decisions_why_and_events(client: TestClient, bare_engine: Engine) -> None:
    job_id = _job_with_applicants(bare_engine)
    body = client.get(
        f"/api/jobs/{job_id}/matches",
        params={"limit": 3},
    ).json()
    rid = body["request_id"]
    decision = client.get(f"/api/decisions/{rid}").json()
    assert decision["actor"] == client.app_state_user_id and len(decision["results"]) == 3
    fid = body["results"][0]["freelancer_id"]
    replay = client.get(f"/api/decisions/{rid}/why/{fid}").json()
    assert replay["logged"]["rank"] == 1
    event = {
        "id": "click-1",
        "ts": "2026-11-02T10:00:00Z",
        "type": "click",
        "job_id": job_id,
        "freelancer_id": fid,
        "surface": "match",
        "position": 1,
        "request_id": rid,
    }
    assert client.post("/api/events", json=event).status_code == 201
    assert client.post("/api/events", json={**event, "request_id": "nope"}).status_code == 404
    assert client.get("/api/decisions/nope").status_code == 404


def test_web_job_page_logs_impressions_and_clicks(client: TestClient, bare_engine: Engine) -> None:
    job_id = _job_with_applicants(bare_engine)
    client.headers.pop("Authorization")  # the browser: its session cookie only
    page = client.get(f"/jobs/{job_id}")
    assert page.status_code == 200
    rid = bare_engine.store.decisions.recent(1, subject=job_id)[0].request_id
    assert rid in page.text
    fid = bare_engine.store.decisions.get(rid).results[0].id
    assert (
        client.get(f"/freelancers/{fid}", params={"rid": rid, "pos": 1, "job": job_id}).status_code
        == 200
    )
    clicks = [e for e in bare_engine.store.events.where(job_id=job_id) if e.type == "click"]
    assert [(c.freelancer_id, c.request_id, c.position) for c in clicks] == [(fid, rid, 1)]


def test_cli_why(bare_engine: Engine, small_bundle, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from tandem.cli import app

    monkeypatch.setenv("TANDEM_HOME", str(bare_engine.settings.home))
    monkeypatch.setenv("TANDEM_ENCODER", "hashing")
    bare_engine.import_bundle(small_bundle)
    job_id = _job_with_applicants(bare_engine)
    served = bare_engine.serve_match(job_id, top=3)
    fid = served.results[0].freelancer_id
    result = CliRunner().invoke(app, ["why", served.request_id, fid])
    assert result.exit_code == 0, result.output
    assert "ranked #1" in result.output and "the same way" in result.output
