"""A client closes its job in two steps (a page that says what it does, then a POST) and
reopens it in one; nobody else may, and a form without the session's CSRF token changes
nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.api.conftest import browser_for
from tests.conftest import Cast, cast_users, make_settings


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[Engine]:
    engine = Engine(make_settings(tmp_path_factory.mktemp("jobs-home")), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    yield engine
    engine.store.close()


@pytest.fixture(scope="module")
def cast(engine: Engine) -> Cast:
    cast = cast_users(engine, "-jobs")
    job = engine.store.jobs.get(cast.job_id)
    engine.save_job(job.model_copy(update={"status": "open"}))  # the market's job may be closed
    return cast


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_the_client_closes_after_confirming_and_reopens(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    client = browser_for(app, cast.tokens["client-own"])
    job_page = client.get(f"/jobs/{cast.job_id}").text
    assert f'href="/jobs/{cast.job_id}/close"' in job_page
    confirm = client.get(f"/jobs/{cast.job_id}/close")
    assert confirm.status_code == 200 and "takes no more proposals" in confirm.text
    assert engine.store.jobs.get(cast.job_id).status == "open"  # the page alone changes nothing
    form = {"csrf_token": _csrf(confirm.text), "status": "closed"}
    done = client.post(f"/jobs/{cast.job_id}/status", data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/jobs/{cast.job_id}"
    assert engine.store.jobs.get(cast.job_id).status == "closed"
    closed_page = client.get(f"/jobs/{cast.job_id}").text
    assert "Reopen this job" in closed_page
    assert (
        cast.job_id
        not in client.get("/jobs", params={"q": engine.store.jobs.get(cast.job_id).title}).text
    )
    form = {"csrf_token": _csrf(closed_page), "status": "open"}
    assert client.post(f"/jobs/{cast.job_id}/status", data=form).status_code == 200
    assert engine.store.jobs.get(cast.job_id).status == "open"


@pytest.mark.parametrize("who", ["client-other", "freelancer-own", "auditor"])
def test_nobody_else_may_close_it(app: FastAPI, engine: Engine, cast: Cast, who: str) -> None:
    client = browser_for(app, cast.tokens[who])
    assert f"/jobs/{cast.job_id}/close" not in client.get(f"/jobs/{cast.job_id}").text
    assert client.get(f"/jobs/{cast.job_id}/close").status_code == 403
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/jobs").text)
    assert csrf is not None
    form = {"csrf_token": csrf.group(1), "status": "closed"}
    assert client.post(f"/jobs/{cast.job_id}/status", data=form).status_code == 403
    assert engine.store.jobs.get(cast.job_id).status == "open"


def test_a_form_without_the_csrf_token_changes_nothing(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    client = browser_for(app, cast.tokens["client-own"])
    answer = client.post(f"/jobs/{cast.job_id}/status", data={"status": "closed"})
    assert answer.status_code == 403
    assert engine.store.jobs.get(cast.job_id).status == "open"
