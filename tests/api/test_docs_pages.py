"""The API docs pages work offline: every asset they load is served by the app itself."""

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tandem.api import create_app
from tandem.engine import Engine

ASSET = re.compile(r"""(?:src|href|url)\s*[:=]\s*["']([^"']+)["']""")
ABSOLUTE = re.compile(r"https?://[^\s\"'<>)]+")


@pytest.fixture
def client(bare_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(engine=bare_engine)) as c:
        yield c


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_load_nothing_from_outside_the_app(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    html = response.text
    outside = [u for u in ABSOLUTE.findall(html) if not u.startswith("http://testserver")]
    assert outside == [], f"{page} loads {outside}"
    assets = ASSET.findall(html)
    assert any(a.endswith(".js") for a in assets), assets  # the page does load its UI
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
