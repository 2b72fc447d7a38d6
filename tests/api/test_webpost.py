"""Posting a job from the post page without JavaScript: the assistant as plain forms.

The message box posts to the server, the draft comes back as a page, a typed "post it" is
answered by pointing at Confirm, and only the Confirm button's form posts the job.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.conftest import Cast, make_settings, sign_in

CONFIRM = re.compile(
    r'<form class="nojs-confirm" method="post" action="/jobs/new/confirm">.*?'
    r'name="session_id" value="([^"]+)">.*?name="confirm" value="([^"]+)">',
    re.S,
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[Engine]:
    """An engine of its own (these tests post jobs), with the bundle loaded."""
    engine = Engine(make_settings(tmp_path_factory.mktemp("post-home")), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    yield engine
    engine.store.close()


def test_a_client_posts_a_job_with_plain_forms_and_only_confirm_posts_it(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    browser = TestClient(app, raise_server_exceptions=False)
    csrf = sign_in(browser, cast.tokens["client-own"])
    page = browser.get("/jobs/new").text
    assert '<form class="companion-form" method="post" action="/jobs/new">' in page
    before = engine.store.jobs.count()
    text = "I need a logo for my bakery, budget $300, within 2 weeks"
    drafted = browser.post("/jobs/new", data={"text": text, "csrf_token": csrf})
    assert drafted.status_code == 200 and "Here is a draft" in html.unescape(drafted.text)
    found = CONFIRM.search(drafted.text)
    assert found is not None
    session_id, action_id = found.groups()
    said = browser.post(
        "/jobs/new", data={"text": "post it", "session_id": session_id, "csrf_token": csrf}
    )
    assert "press Confirm" in said.text and engine.store.jobs.count() == before
    assert CONFIRM.search(said.text) is not None  # the same action still waits for the button
    forged = browser.post(
        "/jobs/new/confirm", data={"session_id": session_id, "confirm": action_id}
    )
    assert forged.status_code == 403 and engine.store.jobs.count() == before  # no CSRF token
    done = browser.post(
        "/jobs/new/confirm",
        data={"session_id": session_id, "confirm": action_id, "csrf_token": csrf},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/jobs/job-")
    job = engine.store.jobs.get(done.headers["location"].removeprefix("/jobs/"))
    assert job.client_id == cast.client_id and job.budget is not None and job.budget.max == 300
    assert engine.store.jobs.count() == before + 1


def test_an_auditor_is_offered_no_post_link_and_is_refused_in_plain_words(
    app: FastAPI, cast: Cast
) -> None:
    browser = TestClient(app, raise_server_exceptions=False)
    csrf = sign_in(browser, cast.tokens["auditor"])
    assert 'href="/jobs/new"' not in browser.get("/jobs").text
    for answer in (
        browser.get("/jobs/new"),
        browser.post("/jobs/new", data={"text": "I need a logo", "csrf_token": csrf}),
    ):
        assert answer.status_code == 403
        assert "You don&#39;t have permission" in answer.text or "You don't have" in answer.text
        assert "you can&#39;t post, edit or close jobs" in answer.text
        assert "job.write" not in answer.text


def test_a_posted_draft_has_its_category_and_no_budget_in_its_text_to_go_stale(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    """Posted, then the budget edited on the job's edit page: the page says the new budget only
    (the text never held one), and the job is filed under its skills' category."""
    browser = TestClient(app, raise_server_exceptions=False)
    csrf = sign_in(browser, cast.tokens["client-own"])
    text = "React developer to build the web shop for our bakery, budget $2,000 in total"
    drafted = browser.post("/jobs/new", data={"text": text, "csrf_token": csrf})
    found = CONFIRM.search(drafted.text)
    assert found is not None
    assert "category: Web, Mobile &amp; Software Dev (suggested" in drafted.text
    session_id, action_id = found.groups()
    done = browser.post(
        "/jobs/new/confirm",
        data={"session_id": session_id, "confirm": action_id, "csrf_token": csrf},
        follow_redirects=False,
    )
    where = done.headers["location"]
    job = engine.store.jobs.get(where.removeprefix("/jobs/"))
    assert job.category == "Web, Mobile & Software Dev"
    assert "2,000" not in job.description and "Budget" not in job.description
    form = {
        "title": job.title,
        "description": job.description,
        "skills": ", ".join(job.skills),
        "budget_type": "fixed",
        "budget_min": "",
        "budget_max": "3000",
        "currency": "USD",
        "csrf_token": csrf,
    }
    saved = browser.post(f"{where}/edit", data=form, follow_redirects=False)
    assert saved.status_code == 303
    page = html.unescape(browser.get(where).text)
    # the job's own words, not the earlier turns of the conversation that drafted it (the page
    # shows those below: "budget $2,000 in total" is what the client said then, quoted as such)
    job_part = page.split('<li class="msg')[0]
    assert "3,000" in job_part and "2,000" not in job_part
    assert 'class="msg-text">' in page and "budget $2,000 in total" in page
    assert "Web, Mobile & Software Dev" in page  # filed, not "Uncategorised"


def test_a_drafts_hours_a_week_are_shown_and_posted(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    """The post page drafted no hours a week, so a fixed budget's match could price no one."""
    browser = TestClient(app, raise_server_exceptions=False)
    csrf = sign_in(browser, cast.tokens["client-own"])
    text = "Bookkeeper for our bakery, 20 hours a week for 6 weeks, budget $2,400 fixed"
    drafted = browser.post("/jobs/new", data={"text": text, "csrf_token": csrf})
    assert "duration: 6 weeks; hours: 20 a week;" in html.unescape(drafted.text)
    found = CONFIRM.search(drafted.text)
    assert found is not None
    session_id, action_id = found.groups()
    done = browser.post(
        "/jobs/new/confirm",
        data={"session_id": session_id, "confirm": action_id, "csrf_token": csrf},
        follow_redirects=False,
    )
    where = done.headers["location"]
    assert engine.store.jobs.get(where.removeprefix("/jobs/")).hours_per_week == 20
    assert "20 h/week" in browser.get(where).text
