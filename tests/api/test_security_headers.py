"""Security headers on every response: a CSP without inline script, nosniff, no framing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tandem.api import create_app
from tandem.engine import Engine
from tests.conftest import operator_headers, sign_in


@pytest.fixture
def client(bare_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(engine=bare_engine), raise_server_exceptions=False) as c:
        yield c


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (d.split() for d in policy.split(";") if d.strip())
    return {p[0]: p[1:] for p in parts}


def _assert_hardened(response: object) -> dict[str, list[str]]:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    csp = _directives(headers["content-security-policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no CDN
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    return csp


def test_api_answers_carry_the_headers(client: TestClient, bare_engine: Engine) -> None:
    ok = client.get("/api/jobs", headers=operator_headers(bare_engine))
    assert ok.status_code == 200
    _assert_hardened(ok)
    assert ok.headers["cache-control"] == "no-store"
    _assert_hardened(client.get("/api/jobs"))  # a 401
    _assert_hardened(client.get("/api/nowhere"))  # a 404
    _assert_hardened(client.get("/api/health"))


def test_web_pages_allow_no_inline_style_either(client: TestClient, bare_engine: Engine) -> None:
    sign_in(client, bare_engine.add_user("web-op", "operator")[1])
    for page in ("/signin", "/jobs", "/talent"):
        csp = _assert_hardened(client.get(page))
        assert csp["style-src"] == ["'self'"], page


def test_an_unexpected_error_carries_the_headers_too(
    client: TestClient, bare_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom() -> dict[str, object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(bare_engine, "liveness", boom)  # what /api/health tells anyone
    response = client.get("/api/health")
    assert response.status_code == 500
    _assert_hardened(response)


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_run_no_inline_script(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    csp = _assert_hardened(response)
    assert "'unsafe-inline'" in csp["style-src"]  # ReDoc and Swagger UI inject <style>
    html = response.text
    assert "<script>" not in html and "<script " in html  # scripts come from files only


def test_static_files_may_be_cached(client: TestClient) -> None:
    response = client.get("/static/style.css")
    _assert_hardened(response)
    assert response.headers.get("cache-control") != "no-store"


def test_hsts_over_https_only(bare_engine: Engine) -> None:
    app = create_app(engine=bare_engine)
    with TestClient(app, base_url="https://tandem.test") as secure:
        assert secure.get("/api/health").headers["strict-transport-security"].startswith("max")
    with TestClient(app) as plain:
        assert "strict-transport-security" not in plain.get("/api/health").headers
