"""Contact details typed into a search never reach the decision log; public job text is redacted."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tandem.api import create_app
from tandem.domain import Client, Freelancer, Job
from tandem.engine import Engine
from tandem.engine.types import JobQuery, Requester, TalentQuery
from tandem.text.pii import EMAIL
from tests.conftest import operator_headers, sign_in

TYPED = "python developer searcher.secret@mail.test +1 202 555 0147"
CONTACT = "Contact me at boss@acme.example or +44 20 7946 0123."


def _no_contact_details(text: str) -> bool:
    """None of the typed details, in any spacing (the log's ids and times have digits too)."""
    digits = re.sub(r"\D", "", text)
    return EMAIL.search(text) is None and "2025550147" not in digits and "2079460123" not in digits


@pytest.fixture
def market(bare_engine: Engine) -> Engine:
    """Two clients, one job whose description holds its client's contact details, one person."""
    for cid in ("c-own", "c-other"):
        bare_engine.store.clients.save(Client(id=cid, name=cid, country="US"))
    job = {"id": "j-1", "client_id": "c-own", "title": "Python API", "status": "open"}
    bare_engine.save_job(
        Job.model_validate(
            job | {"description": f"Build an API. {CONTACT}", "created_at": "2026-11-20T09:00:00Z"}
        )
    )
    bare_engine.save_freelancer(
        Freelancer.model_validate(
            {
                "id": "f-1",
                "name": "Ana",
                "title": "Python developer",
                "hourly_rate": 40,
                "country": "PT",
                "joined_at": "2026-01-05T10:00:00Z",
            }
        )
    )
    return bare_engine


def test_the_engine_logs_searches_with_contact_details_redacted(market: Engine) -> None:
    who = Requester("someone", "cli")
    talent = market.serve_search_talent(TalentQuery(text=TYPED, skills=["a@b.example"]), who)
    jobs = market.serve_search_jobs(JobQuery(text=TYPED), who)
    for request_id in (talent.request_id, jobs.request_id):
        assert request_id
        logged = market.store.decisions.get(request_id)
        stored = json.dumps(logged.model_dump(mode="json"))
        assert _no_contact_details(stored), stored
        assert "[email]" in logged.subject and "[phone]" in logged.subject
        assert "python developer" in logged.subject


@pytest.fixture
def api(market: Engine) -> Iterator[TestClient]:
    app = create_app(engine=market)
    with TestClient(app, raise_server_exceptions=False, headers=operator_headers(market)) as c:
        yield c


@pytest.mark.parametrize("path", ["/api/search/talent", "/api/search/jobs"])
def test_an_api_search_is_logged_redacted(api: TestClient, market: Engine, path: str) -> None:
    served = api.get(path, params={"q": TYPED})
    assert served.status_code == 200, served.text
    stored = market.store.decisions.get(served.json()["request_id"])
    assert _no_contact_details(json.dumps(stored.model_dump(mode="json")))


def test_the_web_job_list_shows_others_the_description_redacted(market: Engine) -> None:
    _, token = market.add_user("other-client", "client", client_id="c-other")
    with TestClient(create_app(engine=market), raise_server_exceptions=False) as web:
        sign_in(web, token)
        page = web.get("/jobs").text
        assert "Build an API." in page
        assert "boss@acme.example" not in page and not re.search(r"7946\s*0123", page), page
        assert "[email]" in page
        one = web.get("/jobs/j-1").text
        assert "boss@acme.example" not in one and "[email]" in one
        served = web.get("/api/jobs", headers={"Authorization": f"Bearer {token}"}).json()
        assert all(_no_contact_details(j["description"]) for j in served["items"])
