"""Per-token rate limits: 429 with Retry-After and a problem body, one bucket per caller."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tandem.api import create_app
from tandem.api.ratelimit import RateLimiter
from tandem.engine import Engine
from tandem.settings import Settings
from tests.conftest import operator_headers

BURST = 5


@pytest.fixture
def client(bare_engine: Engine) -> Iterator[TestClient]:
    """An app whose callers may make 5 requests at once, then 1 a minute."""
    bare_engine.settings.rate_limit_burst = BURST
    bare_engine.settings.rate_limit_per_minute = 1
    with TestClient(create_app(engine=bare_engine), raise_server_exceptions=False) as c:
        yield c


def test_a_token_past_its_burst_gets_429_with_retry_after(
    client: TestClient, bare_engine: Engine
) -> None:
    headers = operator_headers(bare_engine, "busy")
    statuses = [client.get("/api/jobs", headers=headers).status_code for _ in range(BURST)]
    assert statuses == [200] * BURST
    refused = client.get("/api/jobs", headers=headers)
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    body = refused.json()
    assert body["status"] == 429 and body["retry_after"] == int(refused.headers["Retry-After"])


def test_each_token_has_its_own_bucket(client: TestClient, bare_engine: Engine) -> None:
    first, second = operator_headers(bare_engine, "one"), operator_headers(bare_engine, "two")
    for _ in range(BURST):
        client.get("/api/jobs", headers=first)
    assert client.get("/api/jobs", headers=first).status_code == 429
    assert client.get("/api/jobs", headers=second).status_code == 200


def test_anonymous_callers_are_counted_by_address(client: TestClient) -> None:
    statuses = [client.get("/api/jobs").status_code for _ in range(BURST + 1)]
    assert statuses == [401] * BURST + [429]


def test_invented_tokens_count_against_their_senders_address(client: TestClient) -> None:
    """Rotating made-up tokens must not buy a fresh allowance each time."""
    statuses = [
        client.get("/api/jobs", headers={"Authorization": f"Bearer made-up-{n}"}).status_code
        for n in range(BURST + 1)
    ]
    assert statuses == [401] * BURST + [429]


def test_health_and_static_files_are_not_counted(client: TestClient) -> None:
    for _ in range(BURST + 2):
        assert client.get("/api/health").status_code == 200
        assert client.get("/static/style.css").status_code == 200


def test_zero_turns_the_limit_off(bare_engine: Engine) -> None:
    bare_engine.settings.rate_limit_per_minute = 0
    bare_engine.settings.rate_limit_burst = 1
    with TestClient(create_app(engine=bare_engine)) as c:
        assert {c.get("/api/jobs").status_code for _ in range(5)} == {401}


def test_a_bucket_refills_at_the_per_minute_rate() -> None:
    now = [0.0]
    limiter = RateLimiter(per_minute=60, burst=2, clock=lambda: now[0])
    assert [limiter.take("k"), limiter.take("k")] == [0.0, 0.0]
    assert limiter.take("k") == pytest.approx(1.0)  # one a second: wait one second
    now[0] = 1.0
    assert limiter.take("k") == 0.0
    now[0] = 100.0  # a long pause refills up to the burst, never beyond it
    assert [limiter.take("k") for _ in range(3)][-1] > 0


def test_the_defaults_let_the_web_ui_and_the_test_suite_through() -> None:
    settings = Settings()
    assert settings.rate_limit_per_minute >= 600 and settings.rate_limit_burst >= 100
