"""HEAD answers as GET does, with no body; paths without a GET still answer 405."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tandem.api import create_app
from tandem.engine import Engine
from tests.conftest import operator_headers


@pytest.fixture
def client(bare_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(engine=bare_engine), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("path", ["/signin", "/static/style.css", "/api/jobs"])
def test_head_has_the_gets_status_and_headers_and_no_body(
    client: TestClient, bare_engine: Engine, path: str
) -> None:
    headers = operator_headers(bare_engine) if path.startswith("/api") else {}
    got = client.get(path, headers=headers, follow_redirects=False)
    head = client.head(path, headers=headers, follow_redirects=False)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == str(len(got.content))
    assert "content-security-policy" in head.headers


def test_a_signed_out_head_of_a_page_redirects_like_get(client: TestClient) -> None:
    got = client.get("/", follow_redirects=False)
    head = client.head("/", follow_redirects=False)
    assert head.status_code == got.status_code
    assert head.headers.get("location") == got.headers.get("location")


def test_a_path_without_get_still_refuses_head(client: TestClient) -> None:
    assert client.head("/api/events").status_code == 405
