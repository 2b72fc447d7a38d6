"""Request size limits: 413 before a big body is read, 414 for an over-long query."""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tandem.api import create_app
from tandem.engine import Engine
from tests.conftest import operator_headers

MIB = 1_048_576


@pytest.fixture
def app(bare_engine: Engine) -> FastAPI:
    return create_app(engine=bare_engine)


@pytest.fixture
def client(app: FastAPI, bare_engine: Engine) -> Iterator[TestClient]:
    headers = operator_headers(bare_engine)
    with TestClient(app, raise_server_exceptions=False, headers=headers) as c:
        yield c


def _profile(fid: str, bio: str = "") -> dict[str, Any]:
    return {
        "id": fid,
        "name": "Sam",
        "title": "Writer",
        "bio": bio,
        "hourly_rate": 30,
        "country": "DE",
        "joined_at": "2026-01-01T00:00:00Z",
    }


def _big_profile(size: int) -> bytes:
    """A freelancer whose bio makes the JSON body about ``size`` bytes (issue 16: 2 MB)."""
    return json.dumps(_profile("f-big", "word " * (size // 5))).encode()


def _assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["detail"]
    return body


def test_a_2_mb_json_body_answers_413_problem(client: TestClient) -> None:
    response = client.post(
        "/api/freelancers",
        content=_big_profile(2 * MIB),
        headers={"Content-Type": "application/json"},
    )
    body = _assert_problem(response, 413)
    assert body["limit_bytes"] == MIB and "1 MiB" in body["detail"]


def test_a_body_under_the_limit_is_served(client: TestClient) -> None:
    response = client.post(
        "/api/freelancers",
        content=json.dumps(_profile("f-small", "Short bio.")),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text


def _drive(app: FastAPI, path: str, chunks: int, chunk: bytes) -> tuple[int, dict[str, Any], int]:
    """Send ``chunks`` chunks with no Content-Length (chunked encoding) straight to the ASGI app.

    Returns the status, the JSON body and how many chunks the app asked for.
    """
    asked = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal asked
        asked += 1
        if asked > chunks:
            return {"type": "http.disconnect"}
        return {"type": "http.request", "body": chunk, "more_body": asked < chunks}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], json.loads(body), asked


def test_a_streamed_body_is_cut_off_once_past_the_limit(app: FastAPI) -> None:
    chunk = b" " * 65_536
    status, body, asked = _drive(app, "/api/freelancers", chunks=160, chunk=chunk)  # 10 MiB
    assert status == 413 and body["title"] == "Content too large"
    assert asked <= MIB // len(chunk) + 2  # stopped just past 1 MiB, never read the 10 MiB


def _bundle(freelancers: bytes) -> list[tuple[str, tuple[str, bytes]]]:
    """A multipart bundle upload: these freelancer lines and no jobs."""
    return [("files", ("freelancers.jsonl", freelancers)), ("files", ("jobs.jsonl", b""))]


def test_uploads_have_their_own_larger_limit(bare_engine: Engine) -> None:
    bare_engine.settings.max_upload_bytes = 3 * MIB
    headers = operator_headers(bare_engine, "uploader")
    with TestClient(create_app(engine=bare_engine), headers=headers) as c:
        lines = b" " * (2 * MIB) + b"\n"  # a blank line over the JSON limit, under this one
        ok = c.post("/api/imports", files=_bundle(lines))
        assert ok.status_code == 200, ok.text
        huge = b" " * (4 * MIB) + b"\n"
        _assert_problem(c.post("/api/imports", files=_bundle(huge)), 413)


class _NoWholeReads(tempfile.SpooledTemporaryFile):  # type: ignore[type-arg]
    """An upload's spool file that refuses to be read whole into memory."""

    def read(self, *args: Any) -> Any:
        size = args[0] if args else -1
        assert size is not None and size > 0, "an upload was read whole into memory"
        return super().read(size)


def test_an_upload_is_copied_in_chunks_not_read_whole(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("starlette.formparsers.SpooledTemporaryFile", _NoWholeReads)
    response = client.post("/api/imports", files=_bundle(b"\n" * 100))
    assert response.status_code == 200, response.text


def test_an_overlong_query_string_answers_414(client: TestClient) -> None:
    response = client.get("/api/search/jobs", params={"q": "x", "pad": "y" * 9000})
    _assert_problem(response, 414)


def test_the_schema_states_the_limits_and_caps(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    post = spec["paths"]["/api/freelancers"]["post"]["responses"]
    assert {"413", "414", "429"} <= set(post)
    assert "1 MiB" in post["413"]["description"]
    assert "Retry-After" in post["429"]["headers"]
    for path in ("/api/search/talent", "/api/search/jobs"):
        params = {p["name"]: p for p in spec["paths"][path]["get"]["parameters"]}
        skill = params["skill"]["schema"]["anyOf"][0]
        assert skill["maxItems"] == 20 and skill["items"]["maxLength"] == 100
        assert params["limit"]["schema"]["maximum"] == 200
        assert params["q"]["schema"]["maxLength"] == 500


def test_too_many_skills_in_a_search_answer_422(client: TestClient) -> None:
    response = client.get("/api/search/jobs", params={"skill": [f"s{i}" for i in range(21)]})
    _assert_problem(response, 422)
