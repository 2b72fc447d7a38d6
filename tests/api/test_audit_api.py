"""GET /api/audit/report and the web UI's /audit page: aggregates, for auditors only."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from tandem.api import create_app
from tandem.bundle import Generator, VocabSkill
from tandem.bundle.generator_bias import Bias
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.conftest import Cast, cast_users, make_settings, sign_in


@dataclass
class Audited:
    client: TestClient
    cast: Cast
    engine: Engine


@pytest.fixture(scope="module")
def audited(
    tmp_path_factory: pytest.TempPathFactory, vocabulary: list[VocabSkill]
) -> Iterator[Audited]:
    bundle = tmp_path_factory.mktemp("audit-bundle")
    Generator(vocabulary, seed=5, bias=Bias(0.6)).write(bundle, 200, 60)
    engine = Engine(make_settings(tmp_path_factory.mktemp("audit-home")), encoder=HashingEncoder())
    engine.import_bundle(bundle)
    cast = cast_users(engine)
    for job in list(engine.store.jobs.iter_all())[:25]:
        engine.serve_match(job.id, top=20, candidates="proposals")
        engine.serve_match(job.id, top=20)
    with TestClient(create_app(engine=engine), raise_server_exceptions=False) as client:
        yield Audited(client, cast, engine)
    engine.store.close()


def _personal(engine: Engine) -> list[str]:
    """Every id, name and email of a freelancer: none may appear in an auditor's view."""
    found: list[str] = []
    for f in engine.store.freelancers.iter_all():
        found += [f.id, f.name] + ([f.email] if f.email else [])
    return found


def test_an_auditor_gets_the_report_with_groups_and_no_personal_data(audited: Audited) -> None:
    got = audited.client.get("/api/audit/report", headers=audited.cast.auth("auditor"))
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["data"]["rankings"] == 50
    gender = body["attributes"]["gender"]
    assert {"woman", "man"} <= set(gender["scoring"]["groups"])
    assert gender["selection"]["hire"]["groups"]["woman"]["n"] > 0
    text = got.text
    leaked = [p for p in _personal(audited.engine) if re.search(rf"\b{re.escape(p)}\b", text)]
    assert leaked == []


def test_the_window_filters_what_was_served(audited: Audited) -> None:
    auditor = audited.cast.auth("auditor")
    future = audited.client.get("/api/audit/report?since=2999-01-01", headers=auditor).json()
    assert future["data"]["rankings"] == 0 and future["data"]["applications"] == 0
    bad = audited.client.get("/api/audit/report?since=2026-02-01&until=2026-01-01", headers=auditor)
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("who", ["client-own", "freelancer-own"])
def test_clients_and_freelancers_are_refused(audited: Audited, who: str) -> None:
    got = audited.client.get("/api/audit/report", headers=audited.cast.auth(who))
    assert got.status_code == 403
    assert got.headers["content-type"].startswith("application/problem+json")
    assert "gender" not in got.text


def test_the_auditor_page_is_linked_and_holds_aggregates_only(audited: Audited) -> None:
    client = audited.client
    sign_in(client, audited.cast.tokens["auditor"])
    page = client.get("/audit")
    assert page.status_code == 200
    assert 'href="/audit"' in page.text and "<h1>Fairness audit</h1>" in page.text
    assert '<label for="audit-since">' in page.text and '<svg role="img"' in page.text
    assert [
        p for p in _personal(audited.engine) if re.search(rf"\b{re.escape(p)}\b", page.text)
    ] == []
    client.cookies.clear()


def test_the_audit_page_is_refused_to_a_client(audited: Audited) -> None:
    client = audited.client
    sign_in(client, audited.cast.tokens["client-own"])
    page = client.get("/audit")
    assert page.status_code == 403
    assert "gender" not in page.text
    assert 'href="/audit"' not in client.get("/jobs").text
    client.cookies.clear()


def test_the_report_json_round_trips(audited: Audited) -> None:
    got = audited.client.get("/api/audit/report", headers=audited.cast.auth("operator"))
    assert json.loads(got.text) == got.json()


@pytest.mark.parametrize(
    "query", ["since=0001-01-01T00:00:00%2B14:00", "until=9999-12-31T23:59:59-14:00"]
)
def test_times_utc_cannot_hold_are_refused_not_a_crash(audited: Audited, query: str) -> None:
    got = audited.client.get(f"/api/audit/report?{query}", headers=audited.cast.auth("auditor"))
    assert got.status_code == 422 and "out of range" in got.json()["detail"]


@pytest.mark.parametrize("version", ["registry.json", "..", "x" * 300])
def test_a_card_is_found_by_registry_name_only(audited: Audited, version: str) -> None:
    home = str(audited.engine.settings.home)
    got = audited.client.get(f"/api/models/{version}/card", headers=audited.cast.auth("auditor"))
    assert got.status_code == 404 and home not in got.text
