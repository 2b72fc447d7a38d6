"""The main web pages as each role sees them: an auditor reads job posts but no people.

The auditor's part of the web UI is the fairness report and the decision log, without
people: a job page shows an auditor the post and no ranked candidates, talent search and
profiles are refused with the one permission page, and none of those visits ranks anyone,
logs a decision or records an impression.
"""

from __future__ import annotations

import re

from fastapi import FastAPI

from tandem.engine import Engine
from tests.api.conftest import signed_in_browser
from tests.conftest import Cast


def _traces(engine: Engine) -> tuple[int, int]:
    """How many rankings are logged, and how many impressions recorded, so far."""
    return engine.store.decisions.page(0, 1)[1], len(engine.store.events.where(type="impression"))


def _names(engine: Engine) -> list[str]:
    return [f.name for f in engine.store.freelancers.iter_all() if f.name]


def test_an_auditors_job_page_shows_the_post_and_no_people(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    browser, _ = signed_in_browser(app, cast.tokens["auditor"])
    before = _traces(engine)
    for url in (f"/jobs/{cast.job_id}", f"/jobs/{cast.job_id}?candidates=proposals"):
        page = browser.get(url)
        assert page.status_code == 200
        job = engine.store.jobs.get(cast.job_id)
        assert job.title in page.text or job.title.replace("'", "&#39;") in page.text
        shown = [n for n in _names(engine) if re.search(rf"\b{re.escape(n)}\b", page.text)]
        assert shown == [] and 'class="match' not in page.text
    assert _traces(engine) == before  # nothing ranked, logged or counted as seen


def test_an_auditor_is_refused_talent_and_profiles_with_the_permission_page(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    browser, _ = signed_in_browser(app, cast.tokens["auditor"])
    before = _traces(engine)
    for url, doing in (
        ("/talent", "search for talent"),
        ("/talent?q=python", "search for talent"),
        (f"/freelancers/{cast.freelancer_id}", "read profiles"),
    ):
        page = browser.get(url)
        assert page.status_code == 403, url
        assert "<h1>You don&#39;t have permission</h1>" in page.text
        assert f"As an auditor you can&#39;t {doing}. Who can:" in page.text
        assert engine.store.freelancers.get(cast.freelancer_id).name not in page.text
    assert _traces(engine) == before


def test_an_auditors_menu_offers_no_people(app: FastAPI, cast: Cast) -> None:
    browser, _ = signed_in_browser(app, cast.tokens["auditor"])
    nav = browser.get("/audit").text.split('<nav aria-label="Main">')[1].split("</nav>")[0]
    assert 'href="/talent"' not in nav and 'href="/log"' in nav and 'href="/audit"' in nav
    client, _ = signed_in_browser(app, cast.tokens["client-own"])
    assert 'href="/talent"' in client.get("/jobs").text  # clients still find talent
