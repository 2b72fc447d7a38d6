"""``/api/health`` tells a load balancer the truth about the store; a lost store is a 503.

Trial 18: with PostgreSQL restarted under two replicas, every store-backed request answered
500 for as long as they ran, while ``/api/health`` kept answering ``{"status": "ok"}``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tandem.api import create_app
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tandem.errors import StoreUnavailableError
from tests.conftest import POSTGRES_URL, make_settings, operator_headers
from tests.store.conftest import _fresh_postgres, end_every_backend

UNREACHABLE = "the store is not reachable; retry shortly"


def _unreachable() -> None:
    raise StoreUnavailableError(UNREACHABLE)


def _assert_unavailable(response: object) -> None:
    """A 503 problem that names no internals and no counts."""
    assert response.status_code == 503  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["title"] == "Store unavailable" and body["detail"] == UNREACHABLE
    assert not {"freelancers", "jobs", "database", "store"} & set(body)


@pytest.fixture
def client(bare_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(engine=bare_engine), raise_server_exceptions=False) as c:
        yield c


def test_health_is_a_503_for_anyone_while_the_store_cannot_answer(
    client: TestClient, bare_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    operator = operator_headers(bare_engine)
    assert client.get("/api/health").json() == {"status": "ok"}
    monkeypatch.setattr(bare_engine.store, "ping", _unreachable)
    _assert_unavailable(client.get("/api/health"))
    _assert_unavailable(client.get("/api/health", headers=operator))
    monkeypatch.undo()
    healthy = client.get("/api/health")
    assert healthy.status_code == 200 and healthy.json() == {"status": "ok"}


def test_a_lost_store_met_by_the_rate_limit_is_a_503_not_a_500(
    client: TestClient, bare_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rate limit checks a token before any route, outside the app's error handlers."""
    operator = operator_headers(bare_engine)
    assert client.get("/api/jobs", headers=operator).status_code == 200

    def lost(token: str) -> None:
        raise StoreUnavailableError(UNREACHABLE)

    monkeypatch.setattr(bare_engine, "identify_token", lost)
    _assert_unavailable(client.get("/api/jobs", headers=operator))


@pytest.fixture
def pg_engine(tmp_path: Path) -> Iterator[Engine]:
    if not POSTGRES_URL:
        pytest.skip("TANDEM_TEST_POSTGRES_URL is not set (.ci/run starts a PostgreSQL 15)")
    engine = Engine(
        make_settings(tmp_path / "home", _fresh_postgres(POSTGRES_URL)), encoder=HashingEncoder()
    )
    yield engine
    engine.store.close()


@pytest.mark.postgres
def test_requests_work_again_once_postgresql_is_back(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Worker threads keep their connections between requests, as under ``tandem serve``."""
    db = pg_engine.store.db
    operator = operator_headers(pg_engine)
    with TestClient(create_app(engine=pg_engine), raise_server_exceptions=False) as client:
        assert client.get("/api/jobs", headers=operator).status_code == 200
        end_every_backend(db.url)  # what a client sees of `pg_ctl restart`
        for _ in range(3):
            assert client.get("/api/jobs", headers=operator).status_code == 200
            assert client.get("/api/health").json() == {"status": "ok"}

        reachable = db._dsn  # noqa: SLF001
        monkeypatch.setattr(db, "_dsn", "postgresql://tandem@127.0.0.1:1/tandem_test")
        end_every_backend(db.url)  # down: held connections end, new ones are refused
        for _ in range(2):
            _assert_unavailable(client.get("/api/health"))
            _assert_unavailable(client.get("/api/jobs", headers=operator))
        monkeypatch.setattr(db, "_dsn", reachable)  # back
        assert client.get("/api/health").json() == {"status": "ok"}
        assert client.get("/api/jobs", headers=operator).status_code == 200
