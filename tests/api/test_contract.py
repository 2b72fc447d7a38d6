"""The API keeps its own contract: what the OpenAPI document says is what the server does.

Fast checks of issue 16's findings, read from the app's own OpenAPI document (the fuzzing
over every operation is ``test_schemathesis.py``, marked slow).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tandem.api import create_app
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.conftest import make_settings

PROBLEM = "application/problem+json"
UNKNOWN = {
    "secondary_email": "second@mail.test",
    "home_address": "1 Private Road, Springfield",
    "date_of_birth": "1990-02-03",
}
NOW = "2026-01-01T00:00:00Z"
OWN = "f-unknown-keys"
#: A profile posted with three unknown, private-looking keys, and unknown nested ones.
STRANGER = {
    "id": OWN,
    "name": "Ada Unknown",
    "email": "ada@mail.test",
    "hourly_rate": 40,
    "country": "DE",
    "joined_at": NOW,
    "languages": [{"code": "en", "level": "fluent", "mother_maiden_name": "Smith"}],
    "portfolio": [{"title": "Ledger", "client_phone": "+1 202 555 0147"}],
    **UNKNOWN,
}


@dataclass
class World:
    """An app over an engine of its own (these tests write), and a token per caller."""

    client: TestClient
    engine: Engine
    tokens: dict[str, str]

    def auth(self, who: str) -> dict[str, str]:
        """The ``Authorization`` header of ``who`` (``anonymous``: none)."""
        return {} if who == "anonymous" else {"Authorization": f"Bearer {self.tokens[who]}"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[World]:
    engine = Engine(make_settings(tmp_path_factory.mktemp("contract")), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    job = next(j for j in engine.store.jobs.iter_all() if j.client_id)
    other = engine.store.freelancers.page(0, 1)[0][0].id
    roles: dict[str, tuple[str, dict[str, str]]] = {
        "operator": ("operator", {}),
        "auditor": ("auditor", {}),
        "client": ("client", {"client_id": job.client_id or ""}),
        "freelancer-other": ("freelancer", {"freelancer_id": other}),
    }
    tokens = {
        who: engine.add_user(f"contract-{who}", role, **kw)[1]  # type: ignore[arg-type]
        for who, (role, kw) in roles.items()
    }
    with TestClient(create_app(engine=engine), raise_server_exceptions=False) as client:
        w = World(client, engine, tokens)
        created = client.post("/api/freelancers", json=STRANGER, headers=w.auth("operator"))
        assert created.status_code == 201, created.text
        tokens["freelancer-own"] = engine.add_user("contract-own", "freelancer", freelancer_id=OWN)[
            1
        ]
        yield w
    engine.store.close()


@pytest.fixture(scope="module")
def client(world: World) -> TestClient:
    """The operator's client (its token sent with every request)."""
    world.client.headers.update(world.auth("operator"))
    return world.client


@pytest.fixture(scope="module")
def spec(client: TestClient) -> dict[str, Any]:
    return dict(client.get("/openapi.json").json())


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


def _query_maximum(operation: dict[str, Any], name: str) -> int | None:
    for p in operation.get("parameters", []):
        if p["in"] == "query" and p["name"] == name:
            return int(p["schema"]["maximum"])
    return None


# -- offset: the schema's largest page is one the server serves ------------------------------


def test_every_paginated_operation_serves_its_largest_documented_page(
    client: TestClient, spec: dict[str, Any]
) -> None:
    job_id = client.get("/api/jobs", params={"limit": 1}).json()["items"][0]["id"]
    fid = client.get("/api/freelancers", params={"limit": 1}).json()["items"][0]["id"]
    checked = []
    for method, path, operation in _operations(spec):
        offset, limit = _query_maximum(operation, "offset"), _query_maximum(operation, "limit")
        if method != "get" or offset is None or limit is None:
            continue
        url = path.replace("{job_id}", job_id).replace("{freelancer_id}", fid)
        response = client.get(url, params={"offset": offset, "limit": limit})
        assert response.status_code == 200, (path, offset, limit, response.text)
        body = response.json()
        assert body["offset"] == offset and body["limit"] == limit
        checked.append(path)
    assert {
        "/api/jobs",
        "/api/freelancers",
        "/api/search/talent",
        "/api/search/jobs",
        "/api/jobs/{job_id}/matches",
        "/api/freelancers/{freelancer_id}/recommendations",
    } <= set(checked)


def test_a_ranked_page_past_the_ranking_depth_is_refused_by_the_schema(
    client: TestClient, spec: dict[str, Any]
) -> None:
    talent = spec["paths"]["/api/search/talent"]["get"]
    deepest = _query_maximum(talent, "offset")
    assert deepest is not None
    response = client.get("/api/search/talent", params={"offset": deepest + 1})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "offset"]


def test_a_page_that_reaches_the_ranking_depth_is_cut_short_there(client: TestClient) -> None:
    body = client.get("/api/search/jobs", params={"offset": 140, "limit": 20}).json()
    assert len(body["results"]) <= 10  # 150 jobs: the ranking ends before the page does


# -- errors: problem documents, documented where they happen ---------------------------------


def test_errors_are_documented_as_problems_not_fastapi_validation_errors(
    spec: dict[str, Any],
) -> None:
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    assert {"type", "title", "status", "detail"} <= spec["components"]["schemas"]["Problem"][
        "properties"
    ].keys()
    for method, path, operation in _operations(spec):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert list(response["content"]) == [PROBLEM], (method, path, status)
                schema = response["content"][PROBLEM]["schema"]
                assert schema == {"$ref": "#/components/schemas/Problem"}


UPLOAD = {"files": [("files", ("a.txt", b"x", "text/plain"))]}


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "status", "who"),
    [
        ("get", "/api/jobs/does-not-exist", {}, 404, "operator"),
        ("get", "/api/decisions/nope/why/nobody", {}, 404, "operator"),
        ("get", "/api/companion/sessions/nope", {}, 404, "operator"),
        ("post", "/api/events", {"json": {"id": "e"}}, 422, "operator"),
        ("post", "/api/imports", UPLOAD, 422, "operator"),
        ("get", "/api/jobs", {}, 401, "anonymous"),
        ("post", "/api/jobs", {"json": {}}, 401, "anonymous"),
        ("get", "/api/search/talent", {}, 401, "anonymous"),
        ("post", "/api/imports", UPLOAD, 403, "auditor"),
        (
            "post",
            "/api/jobs",
            {"json": {"id": "j", "title": "t", "created_at": NOW}},
            403,
            "auditor",
        ),
    ],
)
def test_each_error_the_server_returns_is_documented_for_its_operation(
    world: World,
    spec: dict[str, Any],
    method: str,
    url: str,
    kwargs: dict[str, Any],
    status: int,
    who: str,
) -> None:
    with TestClient(world.client.app, raise_server_exceptions=False) as as_who:
        response = getattr(as_who, method)(url, headers=world.auth(who), **kwargs)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    template = next(p for p, item in spec["paths"].items() if method in item and _matches(p, url))
    documented = spec["paths"][template][method]["responses"]
    assert str(status) in documented, (method, template, status, sorted(documented))


def _matches(template: str, path: str) -> bool:
    a, b = template.strip("/").split("/"), path.strip("/").split("/")
    return len(a) == len(b) and all(x == y or x.startswith("{") for x, y in zip(a, b, strict=True))


def test_the_two_ways_in_are_declared(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["bearerToken"]["description"],
    }
    assert schemes["browserSession"]["in"] == "cookie"
    assert "security" not in spec["paths"]["/api/health"]["get"]
    assert spec["paths"]["/api/jobs"]["get"]["security"] == [
        {"bearerToken": []},
        {"browserSession": []},
    ]


# -- unknown fields: kept for the person and operators, never in a public profile -------------


@pytest.mark.parametrize("who", ["client", "freelancer-other"])  # an auditor reads no profile
def test_unknown_fields_never_reach_a_public_profile(world: World, who: str) -> None:
    one = world.client.get(f"/api/freelancers/{OWN}", headers=world.auth(who))
    assert one.status_code == 200, one.text
    shown = one.json()
    assert shown["name"] == "Ada Unknown"
    assert not (UNKNOWN.keys() | {"email"}) & shown.keys()
    assert shown["languages"] == [{"code": "en", "level": "fluent"}]
    assert shown["portfolio"] == [{"title": "Ledger"}]
    listed = [
        p
        for offset in (0, 200)
        for p in world.client.get(
            "/api/freelancers", params={"offset": offset, "limit": 200}, headers=world.auth(who)
        ).json()["items"]
        if p["id"] == OWN
    ]
    assert listed == [shown]


@pytest.mark.parametrize("who", ["operator", "freelancer-own"])
def test_unknown_fields_still_round_trip_for_the_person_and_operators(
    world: World, who: str
) -> None:
    whole = world.client.get(f"/api/freelancers/{OWN}", headers=world.auth(who)).json()
    assert {k: whole[k] for k in UNKNOWN} == UNKNOWN
    assert whole["email"] == "ada@mail.test"
    assert whole["languages"][0]["mother_maiden_name"] == "Smith"
    stored = world.engine.store.freelancers.get(OWN).to_json_dict()
    assert {k: stored[k] for k in UNKNOWN} == UNKNOWN
