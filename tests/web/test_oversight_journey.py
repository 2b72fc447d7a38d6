"""Operators steer and auditors check, in Debian's Chromium at 390 and 1280 px, as a person clicks.

Operator: the models page (what serves each task, trained versions with their gate verdicts)
-> a version's ranking card -> the decision log, matches only -> one logged ranking with the
people in it -> one result replayed. Auditor: the fairness audit -> the same logged ranking
without the people (positions, no names, no ids). Set ``TANDEM_SCREENSHOTS`` to a directory
to keep a screenshot of each step (``make screenshots`` writes docs/screenshots).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.conftest import Cast, cast_users, make_settings
from tests.web.conftest import shot, signed_in_page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_engine(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[Engine]:
    """An engine of its own with trained versions (the models page has something to show)."""
    engine = Engine(make_settings(tmp_path_factory.mktemp("oversight")), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    engine.train(auto_promote=False)
    yield engine
    engine.store.close()


@pytest.fixture(scope="module")
def cast(live_engine: Engine) -> Cast:
    return cast_users(live_engine, "-oversight")


def _fits(page, width: int) -> None:  # type: ignore[no-untyped-def]
    """Nothing on the page is wider than the window (no sideways scrolling)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [390, 1280])
def test_an_operator_reads_the_models_and_replays_a_logged_ranking(  # type: ignore[no-untyped-def]
    browser, live_server: str, live_engine: Engine, cast: Cast, width: int
) -> None:
    page = signed_in_page(browser, live_server, cast.tokens["operator"], width=width, height=900)
    page.goto(f"{live_server}/jobs/{cast.job_id}")  # a ranking served to the operator, logged
    page.locator(".match-card").first.wait_for()

    page.get_by_role("link", name="Models", exact=True).click()
    page.wait_for_url("**/models")
    versions = [m.version for m in live_engine.models.list()]
    assert versions
    for version in versions:
        assert page.get_by_role("link", name=version, exact=True).count() >= 1
    assert page.locator("form[action='/models/promote']").count() >= 1  # operators may act
    _fits(page, width)
    shot(page, "operator-1-models", width)
    page.get_by_role("link", name=versions[0], exact=True).first.click()
    page.get_by_role("heading", name="Ranking card", level=1).wait_for()
    page.get_by_role("heading", name="Metrics and gate").wait_for()
    _fits(page, width)
    shot(page, "operator-2-card", width)

    page.get_by_role("link", name="Log", exact=True).click()
    page.wait_for_url("**/log")
    page.goto(f"{live_server}/log?kind=match")
    page.get_by_role("heading", name="Decision log", level=1).wait_for()
    entry = page.locator(".log-table tbody tr").first
    entry.locator("a[href^='/log/']").first.click()
    page.get_by_role("link", name="Replay position 1", exact=True).wait_for()
    request_id = page.url.rstrip("/").split("/")[-1]
    logged = live_engine.store.decisions.get(request_id)
    assert logged.subject == cast.job_id and logged.kind == "match"
    first = logged.results[0].id
    assert page.locator(".log-table tbody tr").first.inner_text().count(first) == 1
    _fits(page, width)
    shot(page, "operator-3-log-entry", width)

    page.get_by_role("link", name="Replay position 1", exact=True).click()
    page.get_by_role("heading", name=f"Replay of {first} in {request_id}").wait_for()
    page.get_by_role("heading", name="Reasons as served").wait_for()
    _fits(page, width)
    shot(page, "operator-4-replay", width)
    page.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_an_auditor_reads_the_audit_and_the_log_without_the_people(  # type: ignore[no-untyped-def]
    browser, live_server: str, live_engine: Engine, cast: Cast, width: int
) -> None:
    who = live_engine.identify_token(cast.tokens["operator"])
    assert who is not None
    served = live_engine.as_user(who, "web").serve_match(cast.job_id, top=10)
    people = {r.freelancer_id: r.name for r in served.results}
    page = signed_in_page(browser, live_server, cast.tokens["auditor"], width=width, height=900)

    page.get_by_role("link", name="Audit", exact=True).click()
    page.get_by_role("heading", name="Fairness audit", level=1).wait_for()
    assert page.locator("form[action='/models/promote']").count() == 0
    _fits(page, width)
    shot(page, "auditor-1-audit", width)

    page.goto(f"{live_server}/log/{served.request_id}")
    rows = page.locator(".log-table tbody tr")
    rows.first.wait_for()
    assert rows.count() == len(people)
    text = page.locator("main").inner_text()
    for freelancer_id, name in people.items():
        assert freelancer_id not in text and name not in text
    _fits(page, width)
    shot(page, "auditor-2-log-entry", width)
    assert page.locator(f"main a[href='/jobs/{cast.job_id}']").count() == 0  # no way to names

    assert page.locator("header nav a[href='/talent']").count() == 0
    logged = live_engine.store.decisions.page(0, 1)[1]
    page.goto(f"{live_server}/jobs/{cast.job_id}")  # the post, without its ranked people
    page.wait_for_selector("h1")
    assert page.locator(".match-card").count() == 0
    text = page.locator("main").inner_text()
    assert all(name not in text for name in people.values())
    assert live_engine.store.decisions.page(0, 1)[1] == logged
    page.close()
