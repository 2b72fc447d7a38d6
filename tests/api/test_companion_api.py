from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tandem.api import create_app
from tandem.engine import Engine
from tests.conftest import operator_headers, sign_in

ALICE: dict[str, str] = {}  # an operator's Authorization header, set by the fixture
BOB: dict[str, str] = {}  # an auditor's


@pytest.fixture
def client(bare_engine: Engine, small_bundle) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    bare_engine.import_bundle(small_bundle)
    ALICE.clear()
    ALICE.update(operator_headers(bare_engine, "alice"))
    BOB.clear()
    BOB.update({"Authorization": f"Bearer {bare_engine.add_user('bob', 'auditor')[1]}"})
    app = create_app(engine=bare_engine)
    with TestClient(app, raise_server_exceptions=False, headers=ALICE) as c:
        yield c


def test_a_multi_turn_session_is_stored_and_resumable(client: TestClient) -> None:
    opened = client.post("/api/companion/sessions", json={}, headers=ALICE)
    assert opened.status_code == 201
    session = opened.json()
    assert "AI assistant" in session["messages"][0]["text"]
    sid = session["id"]
    url = f"/api/companion/sessions/{sid}/messages"

    first = client.post(url, json={"text": "find me a developer under $50/h"}, headers=ALICE)
    assert first.status_code == 201
    reply = first.json()["messages"][1]
    assert reply["role"] == "assistant" and reply["payload"]["intent"] == "find"
    assert all(r["hourly_rate"] <= 50 for r in reply["payload"]["data"]["results"])
    second = client.post(url, json={"text": "cheaper"}, headers=ALICE).json()["messages"][1]
    assert second["payload"]["data"]["query"]["max_rate"] == 40

    whole = client.get(f"/api/companion/sessions/{sid}", headers=ALICE).json()
    assert [m["seq"] for m in whole["messages"]] == [0, 1, 2, 3, 4]
    assert client.get(f"/api/companion/sessions/{sid}", headers=BOB).status_code == 404


def test_actions_wait_for_an_explicit_confirmation(client: TestClient) -> None:
    sid = client.post("/api/companion/sessions", json={}, headers=ALICE).json()["id"]
    url = f"/api/companion/sessions/{sid}/messages"
    text = "Need a Spanish translator for a 20 page contract, 500 EUR, a@b.com"
    body = client.post(url, json={"text": text}, headers=ALICE).json()
    assert "a@b.com" not in str(body)
    pending = body["pending"]
    assert pending["kind"] == "post_job"
    total = client.get("/api/jobs", params={"limit": 1}).json()["total"]
    stale = client.post(url, json={"confirm": "nope"}, headers=ALICE)
    assert stale.status_code == 409 and stale.headers["content-type"] == "application/problem+json"
    assert client.get("/api/jobs", params={"limit": 1}).json()["total"] == total
    done = client.post(url, json={"confirm": pending["id"]}, headers=ALICE).json()
    job_id = done["messages"][1]["payload"]["data"]["job_id"]
    job = client.get(f"/api/jobs/{job_id}").json()
    assert job["budget"]["currency"] == "EUR" and job["budget"]["max"] == 500
    assert client.get("/api/jobs", params={"limit": 1}).json()["total"] == total + 1
    retried = client.post(url, json={"confirm": pending["id"]}, headers=ALICE)  # after a timeout
    assert retried.status_code == 409, retried.text
    assert retried.json()["created"] == {"job_id": job_id}
    assert retried.json()["detail"].endswith(f"it was confirmed already, and made job {job_id}")
    assert client.get("/api/jobs", params={"limit": 1}).json()["total"] == total + 1
    assert "created" not in stale.json()


def test_typed_consent_never_posts_only_the_confirm_control_does(client: TestClient) -> None:
    sid = client.post("/api/companion/sessions", json={}, headers=ALICE).json()["id"]
    url = f"/api/companion/sessions/{sid}/messages"
    text = "I need a logo for my bakery, budget $300, within 2 weeks"
    drafted = client.post(url, json={"text": text}, headers=ALICE).json()
    pending = drafted["pending"]
    assert "Press Confirm" in drafted["messages"][1]["text"]
    total = client.get("/api/jobs", params={"limit": 1}).json()["total"]
    for typed in ("post it", "yes", "post it", "go ahead"):
        answer = client.post(url, json={"text": typed}, headers=ALICE).json()
        reply = answer["messages"][1]
        assert reply["payload"]["intent"] == "awaiting_confirm" and "Confirm" in reply["text"]
        assert answer["pending"]["id"] == pending["id"]  # still waiting for the control
        assert client.get("/api/jobs", params={"limit": 1}).json()["total"] == total
    done = client.post(url, json={"confirm": pending["id"]}, headers=ALICE).json()
    assert done["messages"][1]["payload"]["intent"] == "posted"
    assert client.get("/api/jobs", params={"limit": 1}).json()["total"] == total + 1


def test_bad_requests_are_problems(client: TestClient) -> None:
    assert client.post("/api/companion/sessions", json={"job_id": "nope"}).status_code == 404
    sid = client.post("/api/companion/sessions", json={}).json()["id"]
    empty = client.post(f"/api/companion/sessions/{sid}/messages", json={"text": "  "})
    assert empty.status_code == 422
    assert (
        client.post("/api/companion/sessions/missing/messages", json={"text": "hi"}).status_code
        == 404
    )


def test_the_job_page_passes_its_ranking_to_the_panel(
    client: TestClient, bare_engine: Engine
) -> None:
    import re

    web_token = bare_engine.add_user("web", "operator")[1]
    csrf = sign_in(client, web_token)
    client.headers.pop("Authorization")  # from here on the browser: its cookie and CSRF token
    open_jobs = {"limit": 1, "job_status": "open"}  # a closed job is offered no invite
    job_id = client.get("/api/jobs", params=open_jobs).json()["items"][0]["id"]
    page = client.get(f"/jobs/{job_id}").text
    shown = re.findall(r'href="/freelancers/([^"?]+)\?rid=', page)
    request_id = re.search(r'data-request-id="([0-9a-f]+)"', page)
    assert request_id is not None and len(shown) >= 2
    web = {"X-CSRF-Token": csrf}
    body = {"job_id": job_id, "request_id": request_id.group(1)}
    sid = client.post("/api/companion/sessions", json=body, headers=web).json()["id"]
    url = f"/api/companion/sessions/{sid}/messages"
    said = {"text": "invite the second one", "request_id": request_id.group(1)}
    turn = client.post(url, json=said, headers=web).json()
    assert turn["pending"]["kind"] == "invite", turn["messages"][1]["text"]
    assert turn["pending"]["payload"]["freelancer_id"] == shown[1]
    assert turn["pending"]["payload"]["request_id"] == request_id.group(1)
    stranger = client.post(
        "/api/companion/sessions", json={"request_id": request_id.group(1)}, headers=ALICE
    )
    assert stranger.status_code == 404
    forged = client.post("/api/companion/sessions", json={}, headers={"X-CSRF-Token": "forged"})
    assert forged.status_code == 403


def test_a_drafts_hours_a_week_reach_the_api_and_the_posted_job(client: TestClient) -> None:
    sid = client.post("/api/companion/sessions", json={}, headers=ALICE).json()["id"]
    url = f"/api/companion/sessions/{sid}/messages"
    text = "Need a Spanish translator, 10 hours a week for 4 weeks, 800 EUR in total"
    body = client.post(url, json={"text": text}, headers=ALICE).json()
    draft = body["messages"][1]["payload"]["data"]["draft"]
    assert (draft["hours_per_week"], draft["duration_weeks"]) == (10, 4)
    done = client.post(url, json={"confirm": body["pending"]["id"]}, headers=ALICE).json()
    job_id = done["messages"][1]["payload"]["data"]["job_id"]
    assert client.get(f"/api/jobs/{job_id}").json()["hours_per_week"] == 10


def test_a_confirmation_with_text_is_refused_and_nothing_is_done(client: TestClient) -> None:
    """A trial stored "actually cancel" as what the person said, then "Done: ..." after it."""
    sid = client.post("/api/companion/sessions", json={}, headers=ALICE).json()["id"]
    url = f"/api/companion/sessions/{sid}/messages"
    text = "I need a logo for my bakery, budget $300, within 2 weeks"
    pending = client.post(url, json={"text": text}, headers=ALICE).json()["pending"]
    total = client.get("/api/jobs", params={"limit": 1}).json()["total"]
    both = {"confirm": pending["id"], "text": "actually cancel"}
    refused = client.post(url, json=both, headers=ALICE)
    assert refused.status_code == 422, refused.text
    assert "confirmation carries no text" in refused.json()["detail"]
    session = client.get(f"/api/companion/sessions/{sid}", headers=ALICE).json()
    assert session["pending"]["id"] == pending["id"]  # still waiting, nothing stored
    assert "actually cancel" not in str(session["messages"])
    assert client.get("/api/jobs", params={"limit": 1}).json()["total"] == total
    done = client.post(url, json={"confirm": pending["id"]}, headers=ALICE).json()
    said = done["messages"][0]
    assert said["text"].startswith("Confirmed: ") and said["payload"] == {"control": "confirm"}


def _open_job_session(client: TestClient) -> tuple[str, str, list[str], str]:
    """A session about an open job, working from its logged matches: job, rid, ids, url."""
    jobs = client.get("/api/jobs", params={"limit": 50}).json()["items"]
    job_id = next(j["id"] for j in jobs if j["status"] == "open")
    ranking = client.get(f"/api/jobs/{job_id}/matches", params={"limit": 5}).json()
    rid, shown = ranking["request_id"], [r["freelancer_id"] for r in ranking["results"]]
    body = {"job_id": job_id, "request_id": rid}
    sid = client.post("/api/companion/sessions", json=body, headers=ALICE).json()["id"]
    return job_id, rid, shown, f"/api/companion/sessions/{sid}/messages"


def _hire(client: TestClient, event_id: str, job_id: str, who: str, rid: str) -> Any:
    body = {"id": event_id, "type": "hire", "job_id": job_id, "freelancer_id": who}
    return client.post("/api/events", json=body | {"request_id": rid}, headers=ALICE)


def test_someone_hired_on_the_job_is_not_offered_nor_hired_again(
    client: TestClient, bare_engine: Engine
) -> None:
    """A trial's companion offered to hire a person hired already, and made a second hire."""
    job_id, rid, shown, url = _open_job_session(client)
    assert _hire(client, "hire-first", job_id, shown[0], rid).status_code == 201
    offered = client.post(url, json={"text": "hire the first one"}, headers=ALICE).json()
    assert offered["pending"] is None
    reply = offered["messages"][1]["text"]
    assert f"{shown[0]!r} is already hired on job {job_id!r}" in reply and "hire-first" in reply
    again = _hire(client, "hire-first-again", job_id, shown[0], rid)  # the API face
    assert again.status_code == 409 and "'hire-first'" in again.json()["detail"]
    assert _hire(client, "hire-first", job_id, shown[0], rid).status_code == 201  # a retry
    pending = client.post(url, json={"text": "hire the second one"}, headers=ALICE).json()
    assert pending["pending"]["kind"] == "hire"
    assert _hire(client, "hire-meanwhile", job_id, shown[1], rid).status_code == 201
    confirmed = client.post(url, json={"confirm": pending["pending"]["id"]}, headers=ALICE)
    assert confirmed.status_code == 409, confirmed.text
    assert "'hire-meanwhile'" in confirmed.json()["detail"]
    hires = bare_engine.store.events.where(job_id=job_id, type="hire")
    assert sorted(e.id for e in hires) == ["hire-first", "hire-meanwhile"]


def test_a_question_about_private_fields_is_answered_not_drafted(client: TestClient) -> None:
    """A trial's "what is the gender of the first one?" became a job draft titled Freelancer."""
    _, _, _, url = _open_job_session(client)
    for asked in (
        "what is the gender of the first one?",
        "what is the email of the second one?",
        "how old is the first one?",
        "give me her phone number",
        "is the second one a woman?",
        "what gender is Freelancer 33?",
        "her email?",
    ):
        turn = client.post(url, json={"text": asked}, headers=ALICE).json()
        reply = turn["messages"][1]
        assert reply["payload"]["intent"] == "private", (asked, reply["text"])
        assert "Tandem does not share" in reply["text"] and "Confirm" not in reply["text"]
        assert turn["pending"] is None
    drafted = client.post(url, json={"text": "I need an email marketing specialist, $500"})
    assert drafted.json()["messages"][1]["payload"]["intent"] != "private"
