"""Consent changes only when a write says so: API PUT/POST and bundle re-import alike."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tandem.api import create_app
from tandem.domain import Freelancer
from tandem.engine import Engine
from tests.conftest import operator_headers

PERSON: dict[str, Any] = {
    "id": "f-consent",
    "name": "Ana",
    "title": "Bookkeeper",
    "hourly_rate": 30,
    "country": "PT",
    "joined_at": "2026-01-05T10:00:00Z",
}


def _opted_out(engine: Engine) -> bool | None:
    consent = engine.store.freelancers.get(PERSON["id"]).consent
    return None if consent is None else not consent.model_training


@pytest.fixture
def api(bare_engine: Engine) -> Iterator[TestClient]:
    """An operator over the API, on an empty store."""
    app = create_app(engine=bare_engine)
    with TestClient(app, raise_server_exceptions=False, headers=operator_headers(bare_engine)) as c:
        yield c


def test_a_put_without_consent_keeps_an_opt_out(api: TestClient, bare_engine: Engine) -> None:
    created = api.post(
        "/api/freelancers", json=PERSON | {"consent": {"model_training": False, "ads": False}}
    )
    assert created.status_code == 201, created.text
    updated = api.put(f"/api/freelancers/{PERSON['id']}", json=PERSON | {"title": "Accountant"})
    assert updated.status_code == 200, updated.text
    assert updated.json()["consent"] == {"model_training": False, "ads": False}
    assert _opted_out(bare_engine) is True
    assert bare_engine.store.freelancers.get(PERSON["id"]).title == "Accountant"


def test_a_put_that_says_so_changes_only_what_it_says(api: TestClient, bare_engine: Engine) -> None:
    api.post("/api/freelancers", json=PERSON | {"consent": {"model_training": False, "ads": True}})
    back_in = api.put(
        f"/api/freelancers/{PERSON['id']}", json=PERSON | {"consent": {"model_training": True}}
    )
    assert back_in.json()["consent"] == {"model_training": True, "ads": True}
    assert _opted_out(bare_engine) is False


def _bundle(directory: Path, person: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "freelancers.jsonl").write_text(json.dumps(person) + "\n", encoding="utf-8")
    (directory / "jobs.jsonl").write_text("", encoding="utf-8")
    return directory


def test_a_reimported_line_without_consent_keeps_an_opt_out(
    bare_engine: Engine, tmp_path: Path
) -> None:
    out = PERSON | {"consent": {"model_training": False}}
    bare_engine.import_bundle(_bundle(tmp_path / "first", out))
    assert _opted_out(bare_engine) is True
    report = bare_engine.import_bundle(_bundle(tmp_path / "again", PERSON | {"title": "CFO"}))
    assert not report.errors
    assert _opted_out(bare_engine) is True
    assert bare_engine.store.freelancers.get(PERSON["id"]).title == "CFO"
    said = PERSON | {"consent": {"model_training": True}}
    bare_engine.import_bundle(_bundle(tmp_path / "third", said))
    assert _opted_out(bare_engine) is False


def test_a_new_profile_is_stored_as_written(bare_engine: Engine) -> None:
    bare_engine.save_freelancer(Freelancer.model_validate(PERSON))
    assert bare_engine.store.freelancers.get(PERSON["id"]).consent is None
