"""A client's "Your jobs": its own jobs, open and closed, newest first, paged with true
counts; an empty list says to post one; only users bound to a client are offered it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI

from tandem.domain import Client, Job
from tandem.engine import Engine
from tests.api.conftest import signed_in_browser
from tests.conftest import Cast

JOB_LINK = re.compile(r'<a class="title" href="/jobs/([^"]+)">')


@pytest.fixture(scope="module")
def busy_client(engine: Engine) -> tuple[str, list[str]]:
    """A new client with 25 jobs (every third closed), and a token of its user.

    Its job ids newest first are returned with the token.
    """
    engine.store.clients.save(Client(id="c-busy", name="Busy Ltd", country="DE"))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    made = []
    for n in range(25):
        job = Job(
            id=f"j-busy-{n:02d}",
            client_id="c-busy",
            title=f"Bookkeeping task {n}",
            created_at=start + timedelta(days=n),
            status="closed" if n % 3 == 0 else "open",
        )
        engine.save_job(job)
        made.append(job.id)
    token = engine.add_user("busy-client", "client", client_id="c-busy")[1]
    return token, made[::-1]


def test_a_client_lists_its_own_jobs_newest_first_open_and_closed(
    app: FastAPI, engine: Engine, busy_client: tuple[str, list[str]]
) -> None:
    token, newest_first = busy_client
    browser, _ = signed_in_browser(app, token)
    logged = engine.store.decisions.page(0, 1)[1]
    first = browser.get("/me/posts").text
    assert "Showing 1-20 of 25 jobs" in first and "Page 1 of 2" in first
    assert JOB_LINK.findall(first) == newest_first[:20]
    assert ">Closed</span>" in first and ">Open</span>" in first
    second = browser.get("/me/posts?page=2").text
    assert "Showing 21-25 of 25 jobs" in second
    assert JOB_LINK.findall(second) == newest_first[20:]
    past = browser.get("/me/posts?page=7").text
    assert "Page 7 is past the end" in past and 'href="?page=2">Go to the last page' in past
    nav = first.split('<nav aria-label="Main">')[1].split("</nav>")[0]
    assert 'href="/me/posts" class="active">Your jobs' in nav
    assert engine.store.decisions.page(0, 1)[1] == logged  # reading the list logs nothing


def test_a_client_with_no_job_is_told_to_post_one(app: FastAPI, engine: Engine) -> None:
    engine.store.clients.save(Client(id="c-new", name="New Co", country="FR"))
    browser, _ = signed_in_browser(
        app, engine.add_user("new-client", "client", client_id="c-new")[1]
    )
    page = browser.get("/me/posts")
    assert page.status_code == 200
    assert (
        "You have not posted a job yet." in page.text and 'href="/jobs/new">Post one' in page.text
    )
    assert JOB_LINK.findall(page.text) == []


@pytest.mark.parametrize("who", ["operator", "auditor", "freelancer-own"])
def test_who_owns_no_job_is_not_offered_the_list(app: FastAPI, cast: Cast, who: str) -> None:
    browser, _ = signed_in_browser(app, cast.tokens[who])
    assert 'href="/me/posts"' not in browser.get("/jobs").text
    refused = browser.get("/me/posts")
    assert refused.status_code == 403
    assert "<h1>You don&#39;t have permission</h1>" in refused.text
    assert "Every open job is on the Jobs page." in refused.text


def test_a_clients_list_holds_only_its_own_jobs(app: FastAPI, engine: Engine, cast: Cast) -> None:
    browser, _ = signed_in_browser(app, cast.tokens["client-own"])
    page = browser.get("/me/posts").text
    own = engine.store.jobs.where(client_id=cast.client_id)
    own.sort(key=lambda j: (j.created_at, j.id), reverse=True)
    assert JOB_LINK.findall(page) == [j.id for j in own][:20]
    assert f"Showing 1-{min(len(own), 20)} of {len(own)} jobs" in page
