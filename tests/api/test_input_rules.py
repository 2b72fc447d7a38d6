"""Trial 18 over HTTP: bad input answered 422 in words (never 500, never stored), and the
relaxed ``POST /api/events`` (``ts`` optional) and ``PUT /api/jobs/{id}`` (creates with 201).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tandem.engine import Engine
from tests.conftest import Cast, cast_users

NOW = "2026-01-01T00:00:00Z"
PERSON = {"name": "Ada", "hourly_rate": 40, "country": "DE", "joined_at": NOW}


@pytest.fixture(scope="module")
def cast(engine: Engine) -> Cast:
    return cast_users(engine, "-inputrules")


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _as(cast: Cast, who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {cast.tokens[who]}"}


def _refused(answer: Any, words: str) -> None:
    assert answer.status_code == 422, answer.text
    assert words in answer.json()["detail"], answer.json()


@pytest.mark.parametrize("kind", ["talent", "jobs"])
@pytest.mark.parametrize(
    ("params", "field"),
    [({"q": "a\x00b"}, "q"), ({"q": "design", "skill": ["py\x00"]}, "skill")],
)
def test_a_search_with_a_nul_is_refused_in_words(
    client: TestClient, cast: Cast, kind: str, params: dict[str, Any], field: str
) -> None:
    answer = client.get(f"/api/search/{kind}", params=params, headers=_as(cast, "operator"))
    _refused(answer, f"{field}: ")
    assert "control character (U+0000)" in answer.json()["detail"]


def test_a_companion_message_with_a_nul_is_refused(client: TestClient, cast: Cast) -> None:
    who = _as(cast, "client-own")
    sid = client.post("/api/companion/sessions", json={}, headers=who).json()["id"]
    url = f"/api/companion/sessions/{sid}/messages"
    _refused(client.post(url, json={"text": "find a\u0000 designer"}, headers=who), "U+0000")
    assert client.post(url, json={"text": "find a designer"}, headers=who).status_code == 201


def test_a_job_title_with_a_nul_is_refused_and_never_shown(client: TestClient, cast: Cast) -> None:
    who = _as(cast, "client-own")
    _refused(client.post("/api/jobs", json={"title": "x\u0000y"}, headers=who), "title: ")
    assert "\x00" not in client.get("/jobs", headers=who).text


def test_an_id_with_a_slash_is_refused(client: TestClient, cast: Cast) -> None:
    body = {"title": "x", "id": "a/b"}
    answer = client.post("/api/jobs", json=body, headers=_as(cast, "operator"))
    _refused(answer, "an id is one URL path segment")


@pytest.mark.parametrize(
    ("patch", "words"),
    [
        ({"hourly_rate": 1e308}, "hourly rate 1e+308 USD"),
        ({"currency": "XYZ"}, "cannot be converted to USD"),
        ({"country": "ZZ"}, "user-assigned"),
        ({"skills": [""]}, "skills.0: "),
        ({"name": "Ada\u202egpj.exe"}, "bidirectional control character"),
        ({"email": "not-an-email"}, "is not an email address"),
    ],
)
def test_a_profile_breaking_a_rule_is_refused_in_words(
    client: TestClient, cast: Cast, patch: dict[str, Any], words: str
) -> None:
    body = {**PERSON, "id": "f-inputrules", **patch}
    answer = client.post("/api/freelancers", json=body, headers=_as(cast, "operator"))
    _refused(answer, words)


def test_a_job_budget_of_1e308_is_refused(client: TestClient, cast: Cast) -> None:
    body = {"title": "x", "budget": {"type": "fixed", "max": 1e308}}
    _refused(client.post("/api/jobs", json=body, headers=_as(cast, "client-own")), "fixed budget")


def test_put_creates_a_clients_job_with_201_filling_in_what_post_would(
    client: TestClient, cast: Cast
) -> None:
    who = _as(cast, "client-own")
    body = {"title": "Brand refresh", "description": "A new logo"}
    created = client.put("/api/jobs/j-inputrules-put", json=body, headers=who)
    assert created.status_code == 201, created.text
    job = created.json()
    assert job["id"] == "j-inputrules-put" and job["client_id"] == cast.client_id
    stamped = datetime.fromisoformat(job["created_at"])
    assert abs(stamped - datetime.now(UTC)) < timedelta(minutes=5)
    replaced = client.put(
        "/api/jobs/j-inputrules-put", json={**body, "title": "Rebrand"}, headers=who
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["created_at"] == job["created_at"]
    assert replaced.json()["title"] == "Rebrand"


def test_put_still_refuses_a_mismatched_id_and_anothers_client(
    client: TestClient, cast: Cast
) -> None:
    who = _as(cast, "client-own")
    wrong = client.put(
        "/api/jobs/j-inputrules-a", json={"id": "j-other", "title": "x"}, headers=who
    )
    _refused(wrong, "does not match the path id")
    theirs = {"title": "x", "client_id": cast.other_client_id}
    assert client.put("/api/jobs/j-inputrules-b", json=theirs, headers=who).status_code == 403


def test_an_event_may_leave_ts_out_and_is_stamped_now(client: TestClient, cast: Cast) -> None:
    who = _as(cast, "client-own")
    served = client.get(f"/api/jobs/{cast.job_id}/matches", headers=who).json()
    first = served["results"][0]["freelancer_id"]
    click = {
        "id": "click-inputrules",
        "type": "click",
        "job_id": cast.job_id,
        "freelancer_id": first,
        "request_id": served["request_id"],
    }
    answer = client.post("/api/events", json=click, headers=who)
    assert answer.status_code == 201, answer.text
    ts = datetime.fromisoformat(answer.json()["ts"])
    assert abs(ts - datetime.now(UTC)) < timedelta(minutes=5)


def test_a_blank_path_id_is_refused_in_words(client: TestClient, cast: Cast) -> None:
    """Schemathesis: ``PUT /api/jobs/%20`` answered 500 (pydantic's own error escaped)."""
    who = {"Authorization": f"Bearer {cast.tokens['operator']}"}
    answered = client.put("/api/jobs/%20", json={"title": "0"}, headers=who)
    assert answered.status_code == 422, answered.text
    assert "id" in answered.json()["detail"]
