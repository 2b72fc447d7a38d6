"""A search library failing mid-request answers 503 problem+json, not the catch-all 500."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tandem.api import create_app
from tandem.domain.models import COUNTRY_PATTERN
from tandem.engine import Engine
from tests.conftest import operator_headers


@pytest.fixture(scope="module")
def client(loaded_engine: Engine) -> Iterator[TestClient]:
    headers = operator_headers(loaded_engine, "search-errors-operator")
    app = create_app(engine=loaded_engine)
    with TestClient(app, raise_server_exceptions=False, headers=headers) as c:
        yield c


class _DamagedTantivy:
    """tantivy's index as it behaves when a segment file is damaged: searching raises."""

    def __init__(self, inner: object) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    def searcher(self) -> None:
        raise ValueError("Data corrupted: 'Data corruption (in file `\"a1b2.idx\"`)'")


def test_a_failing_search_library_answers_503_problem(
    client: TestClient, loaded_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    lexical = loaded_engine.collection("talent").lexical
    damaged = _DamagedTantivy(lexical._index)  # type: ignore[attr-defined]
    monkeypatch.setattr(lexical, "_index", damaged)
    response = client.get("/api/search/talent", params={"q": "django developer"})
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["title"] == "Search index unavailable"
    assert "tantivy" in body["detail"] and "a1b2.idx" not in body["detail"]


def test_a_country_that_is_not_two_letters_is_422_in_the_engines_words(
    client: TestClient,
) -> None:
    response = client.get("/api/search/talent", params={"q": "django", "country": "USA"})
    assert response.status_code == 422, response.text
    assert "country must be an ISO 3166-1 alpha-2 code (two letters" in response.json()["detail"]


def test_overlap_with_an_offset_with_minutes_finds_who_an_iana_name_finds(
    client: TestClient,
) -> None:
    """The refusal offered "UTC+2"; India's "UTC+5:30" is that form too, and now a zone."""
    found = {}
    for zone in ("UTC+5:30", "Asia/Kolkata"):
        answer = client.get("/api/search/talent", params={"overlap_with": zone, "limit": 50})
        assert answer.status_code == 200, answer.text
        found[zone] = [r["freelancer_id"] for r in answer.json()["results"]]
    assert found["UTC+5:30"] == found["Asia/Kolkata"] and found["UTC+5:30"]
    unknown = client.get("/api/search/talent", params={"overlap_with": "UTC+5:75"})
    assert unknown.status_code == 422 and "UTC+5:30" in unknown.json()["detail"]


def test_a_refused_country_lists_the_parameter_in_errors_as_other_422s_do(
    client: TestClient,
) -> None:
    refused = client.get("/api/search/talent", params={"q": "django", "country": "USA"}).json()
    other = client.get("/api/search/talent", params={"q": "django", "offset": -1}).json()
    assert [e["loc"] for e in refused["errors"]] == [["query", "country"]]
    assert "alpha-2 code (two letters" in refused["errors"][0]["msg"]
    assert set(refused["errors"][0]) == set(other["errors"][0])  # {loc, msg}: one shape


def test_the_schema_documents_the_country_pattern_the_engine_checks(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    params = spec["paths"]["/api/search/talent"]["get"]["parameters"]
    country = next(p for p in params if p["name"] == "country")
    assert country["schema"]["pattern"] == COUNTRY_PATTERN
    assert re.fullmatch(COUNTRY_PATTERN, "de") and not re.fullmatch(COUNTRY_PATTERN, "USA")
