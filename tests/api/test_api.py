from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tandem.api import create_app
from tandem.engine import Engine
from tests.conftest import operator_headers, sign_in


@pytest.fixture(scope="module")
def client(loaded_engine: Engine) -> Iterator[TestClient]:
    """An operator, over the API (bearer token) and signed in to the web UI."""
    headers = operator_headers(loaded_engine, "api-test-operator")
    app = create_app(engine=loaded_engine)
    with TestClient(app, raise_server_exceptions=False, headers=headers) as c:
        sign_in(c, headers["Authorization"].removeprefix("Bearer "))
        yield c


@pytest.fixture
def fresh_client(bare_engine: Engine) -> Iterator[TestClient]:
    headers = operator_headers(bare_engine)
    app = create_app(engine=bare_engine)
    with TestClient(app, raise_server_exceptions=False, headers=headers) as c:
        yield c


def test_health_and_openapi(client: TestClient) -> None:
    assert client.get("/api/health").json()["status"] == "ok"
    spec = client.get("/openapi.json").json()
    assert "/api/jobs/{job_id}/matches" in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_health_tells_anyone_the_status_and_an_operator_what_is_loaded(
    client: TestClient, loaded_engine: Engine
) -> None:
    anyone = TestClient(create_app(engine=loaded_engine), raise_server_exceptions=False)
    assert anyone.get("/api/health").json() == {"status": "ok"}  # what a load balancer needs
    token = loaded_engine.add_user("health-auditor", "auditor")[1]
    for header in (f"Bearer {token}", "Bearer not-a-token", "Basic eDp5"):
        answer = anyone.get("/api/health", headers={"Authorization": header})
        assert (answer.status_code, answer.json()) == (200, {"status": "ok"})
    full = client.get("/api/health").json()  # a signed-in operator
    assert (full["status"], full["freelancers"], full["jobs"]) == ("ok", 300, 150)
    assert {"taxonomy_skills", "database", "encoder", "rankers"} <= set(full)


def test_the_web_jobs_page_shows_what_is_loaded_to_an_operator_only(
    loaded_engine: Engine,
) -> None:
    """The web face keeps /api/health's rule: counts of what the service holds are operators'.

    The jobs page told every signed-in user "300 freelancers" from the same details.
    """
    users = (("web-health-a", "auditor", False), ("web-health-o", "operator", True))
    for name, role, shown in users:
        browser = TestClient(create_app(engine=loaded_engine), raise_server_exceptions=False)
        sign_in(browser, loaded_engine.add_user(name, role)[1])  # type: ignore[arg-type]
        page = browser.get("/jobs").text
        assert ("300 freelancers" in page) is shown, role
        assert "open job" in page


def test_list_envelopes_paginate(client: TestClient) -> None:
    page = client.get("/api/jobs", params={"offset": 10, "limit": 5}).json()
    assert page["total"] == 150 and page["offset"] == 10 and len(page["items"]) == 5
    page2 = client.get("/api/jobs", params={"offset": 15, "limit": 5}).json()
    assert not {j["id"] for j in page["items"]} & {j["id"] for j in page2["items"]}


def test_matches_and_recommendations(client: TestClient) -> None:
    job_id = client.get("/api/jobs", params={"limit": 1}).json()["items"][0]["id"]
    body = client.get(f"/api/jobs/{job_id}/matches", params={"limit": 3}).json()
    assert len(body["results"]) == 3 and body["results"][0]["reasons"]
    second = client.get(f"/api/jobs/{job_id}/matches", params={"limit": 2, "offset": 1}).json()
    assert second["results"][0]["freelancer_id"] == body["results"][1]["freelancer_id"]
    fid = body["results"][0]["freelancer_id"]
    assert "results" in client.get(f"/api/freelancers/{fid}/recommendations").json()


def test_search_endpoints(client: TestClient) -> None:
    talent = client.get("/api/search/talent", params={"q": "developer", "max_rate": 50}).json()
    assert all(r["hourly_rate"] <= 50 for r in talent["results"])
    jobs = client.get("/api/search/jobs", params={"q": "design", "budget_type": "fixed"}).json()
    assert isinstance(jobs["results"], list)


def test_private_fields_are_shown_to_operators_only(
    client: TestClient, loaded_engine: Engine
) -> None:
    auditor = {"Authorization": f"Bearer {loaded_engine.add_user('api-aud', 'auditor')[1]}"}
    assert client.get("/api/freelancers", headers=auditor).status_code == 403  # no people
    some_client = loaded_engine.store.clients.page(0, 1)[0][0].id
    token = loaded_engine.add_user("api-cl", "client", client_id=some_client)[1]
    other = {"Authorization": f"Bearer {token}"}
    people = client.get("/api/freelancers", params={"limit": 50}, headers=other).json()["items"]
    assert people and all(not ({"email", "phone", "attributes"} & p.keys()) for p in people)
    one = client.get(f"/api/freelancers/{people[0]['id']}", headers=other).json()
    assert "email" not in one
    assert "email" in client.get(f"/api/freelancers/{people[0]['id']}").json()


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "status"),
    [
        ("get", "/api/jobs/does-not-exist", {}, 404),
        ("get", "/api/jobs/does-not-exist/matches", {}, 404),
        ("get", "/api/jobs", {"params": {"limit": 0}}, 422),
        ("get", "/api/jobs", {"params": {"offset": -1}}, 422),
        ("get", "/api/search/talent", {"params": {"max_rate": "cheap"}}, 422),
        ("get", "/api/search/talent", {"params": {"country": "Germany"}}, 422),
        ("get", "/api/search/jobs", {"params": {"budget_type": "weekly"}}, 422),
        ("post", "/api/jobs", {"json": {"id": "x"}}, 422),
        (
            "post",
            "/api/jobs",
            {"content": b"{not json", "headers": {"content-type": "application/json"}},
            422,
        ),
        (
            "post",
            "/api/freelancers",
            {
                "json": {
                    "id": "f",
                    "name": "A",
                    "hourly_rate": -1,
                    "country": "DE",
                    "joined_at": "2024-01-01T00:00:00Z",
                }
            },
            422,
        ),
        (
            "put",
            "/api/jobs/a",
            {"json": {"id": "b", "title": "t", "created_at": "2026-01-01T00:00:00Z"}},
            422,
        ),
        ("get", "/api/jobs/x/matches", {"params": {"candidates": "friends"}}, 422),
    ],
)
def test_bad_input_is_a_4xx_problem_never_a_500(
    client: TestClient, method: str, url: str, kwargs: dict[str, object], status: int
) -> None:
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == status
    body = response.json()
    assert body["status"] == status and body["detail"]
    assert response.headers["content-type"].startswith("application/problem+json")


def test_create_update_and_conflict(fresh_client: TestClient) -> None:
    job = {
        "id": "j-api",
        "title": "Bookkeeping in Xero",
        "skills": ["xero"],
        "created_at": "2026-10-01T00:00:00Z",
    }
    assert fresh_client.post("/api/jobs", json=job).status_code == 201
    assert fresh_client.post("/api/jobs", json=job).status_code == 409
    updated = fresh_client.put("/api/jobs/j-api", json={**job, "title": "Xero bookkeeping"}).json()
    assert updated["title"] == "Xero bookkeeping"
    assert fresh_client.get("/api/jobs/j-api").json()["title"] == "Xero bookkeeping"
    bad_client = {**job, "id": "j2", "client_id": "ghost"}
    assert fresh_client.post("/api/jobs", json=bad_client).status_code == 422


def test_import_upload(fresh_client: TestClient, small_bundle) -> None:  # type: ignore[no-untyped-def]
    files = [
        ("files", (name, (small_bundle / name).read_bytes(), "application/x-ndjson"))
        for name in ("freelancers.jsonl", "jobs.jsonl")
    ]
    body = fresh_client.post("/api/imports", files=files).json()
    assert body["counts"]["freelancers"]["inserted"] == 300 and body["error_count"] == 0
    assert body["status"] == "complete"
    bom = b"\xef\xbb\xbf" + (small_bundle / "jobs.jsonl").read_bytes()
    skipped = fresh_client.post(
        "/api/imports",
        files=[
            ("files", ("jobs.jsonl", bom, "application/x-ndjson")),
            ("files", ("freelancers.jsonl", b'{"id": "f1"}\n', "application/x-ndjson")),
        ],
    ).json()
    assert skipped["status"] == "completed_with_skipped_lines" and skipped["error_count"] == 1
    assert skipped["errors"][0].startswith("freelancers.jsonl:1: ")  # not the BOM's jobs line
    bad = fresh_client.post(
        "/api/imports", files=[("files", ("evil.sh", b"rm -rf /", "text/plain"))]
    )
    assert bad.status_code == 422


def test_web_pages_render(client: TestClient) -> None:
    job_id = client.get("/api/jobs", params={"limit": 1}).json()["items"][0]["id"]
    for url in (
        "/",
        "/jobs?q=design",
        f"/jobs/{job_id}",
        f"/jobs/{job_id}?candidates=proposals",
        "/talent?q=developer&max_rate=50&available=1",
        "/talent?max_rate=abc",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<html" in response.text
    assert client.get("/jobs/nope").status_code == 404
    assert client.get("/static/style.css").status_code == 200


def test_search_shows_relevance_people_can_read(client: TestClient) -> None:
    body = client.get("/api/search/talent", params={"q": "developer", "limit": 5}).json()
    first = body["results"][0]
    assert first["relevance"] == 100 and 0 < first["score"] < 0.05  # raw score kept
    page = client.get("/talent", params={"q": "developer"}).text
    assert "relevance 100" in page
    jobs = client.get("/jobs", params={"q": "design"}).text
    assert "relevance 100" in jobs
    browse = client.get("/jobs").text
    assert "relevance" not in browse.split("<ol", 1)[-1]  # no query, no relevance


def test_api_writes_refuse_non_finite_numbers_unknown_zones_and_languages(
    fresh_client: TestClient,
) -> None:
    person = '{"id": "f-x", "name": "Ana", "country": "PT", "joined_at": "2024-01-02T00:00:00Z"'
    infinite = fresh_client.post(
        "/api/freelancers",
        content=person + ', "hourly_rate": Infinity}',
        headers={"Content-Type": "application/json"},
    )
    assert infinite.status_code == 422
    assert infinite.json()["detail"] == "body.hourly_rate: Input should be a finite number"
    base = {"id": "f-y", "name": "Ana", "hourly_rate": 30, "country": "PT"}
    base["joined_at"] = "2024-01-02T00:00:00Z"
    zone = fresh_client.post("/api/freelancers", json={**base, "timezone": "Not/AZone"})
    assert "time zone 'Not/AZone' is not an IANA time zone" in zone.json()["detail"]
    language = fresh_client.post("/api/freelancers", json={**base, "languages": [{"code": "xx"}]})
    assert "language 'xx' is not an ISO 639-1 code" in language.json()["detail"]
    assert fresh_client.get("/api/freelancers/f-x").status_code == 404


def test_an_event_about_records_that_do_not_exist_is_refused(client: TestClient) -> None:
    """The API holds events to the import's reference check (an export must re-import)."""
    base = {"ts": "2026-11-20T10:00:00Z", "type": "review", "rating": 5, "actor": "client"}
    for n, refs in enumerate(
        ({"job_id": "j000001", "freelancer_id": "f999999"}, {"job_id": "j_ghost"})
    ):
        answer = client.post("/api/events", json={"id": f"ghost-{n}", **base, **refs})
        assert answer.status_code == 422, answer.text
        assert "is not in the store" in answer.json()["detail"]


def test_an_id_with_a_control_character_is_refused_and_never_listed(
    fresh_client: TestClient,
) -> None:
    job = {"title": "Bookkeeping", "created_at": "2026-10-01T00:00:00Z"}
    for bad in ("j\u0000x", "j\nx", "j\u202ex"):
        answer = fresh_client.post("/api/jobs", json={**job, "id": bad})
        assert answer.status_code == 422, answer.text
        assert "control or invisible character" in answer.json()["detail"]
        assert "body.id" in answer.json()["detail"]
    assert fresh_client.get("/api/jobs").json()["total"] == 0


def test_a_basic_authorization_header_is_told_a_bearer_token_is_expected(
    loaded_engine: Engine,
) -> None:
    """Trial 18: "Basic ..." was told "the bearer token is not valid"; it sent none."""
    anyone = TestClient(create_app(engine=loaded_engine), raise_server_exceptions=False)
    for header in ("Basic eDp5", "sEcReT-tOkEn", "Bearer "):
        answer = anyone.get("/api/jobs", headers={"Authorization": header})
        assert answer.status_code == 401 and answer.headers["WWW-Authenticate"] == "Bearer"
        detail = answer.json()["detail"]
        assert "a Bearer token is expected" in detail and "not valid" not in detail
        assert "sEcReT" not in detail  # a header without a scheme is the secret: not echoed
    wrong = anyone.get("/api/jobs", headers={"Authorization": "Bearer not-a-token"})
    assert "the bearer token is not valid" in wrong.json()["detail"]
