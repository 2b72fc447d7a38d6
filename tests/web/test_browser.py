"""Drive Debian's Chromium through search -> job -> matches, and keep a screenshot."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.conftest import make_settings

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_engine(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[Engine]:
    """An engine of its own: the companion flow posts a job."""
    engine = Engine(make_settings(tmp_path_factory.mktemp("web-home")), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    yield engine
    engine.store.close()


def _signed_in(browser, live_server: str, engine: Engine, name: str, **size: int):  # type: ignore[no-untyped-def]
    """A new page signed in as a new operator through the sign-in form."""
    page = browser.new_page(viewport=size)
    page.goto(f"{live_server}/signin")
    page.fill("input[name=token]", engine.add_user(name, "operator")[1])
    page.click("form[action='/signin'] button[type=submit]")
    page.wait_for_url("**/")
    return page


def test_search_job_matches_flow(browser, live_server: str, live_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    page = _signed_in(browser, live_server, live_engine, "op-search", width=1200, height=1400)
    page.goto(f"{live_server}/jobs")
    page.fill("input[name=q]", "developer")
    page.click("form.search button")
    page.wait_for_url("**/jobs?q=developer*")
    first = page.locator(".job-card a.title").first
    title = first.inner_text()
    first.click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == title
    cards = page.locator(".match-card")
    assert cards.count() >= 3
    assert "Covers" in (cards.first.text_content() or "")  # shown, or one click away
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "job-matches.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    page.click(".tabs a:has-text('Applicants')")
    page.wait_for_url("**candidates=proposals")
    page.goto(f"{live_server}/talent?q=designer&available=1")
    assert page.locator(".talent-card").count() >= 1
    page.close()


def test_companion_drafts_posts_after_confirm_and_explains(  # type: ignore[no-untyped-def]
    browser, live_server: str, live_engine: Engine
) -> None:
    page = _signed_in(browser, live_server, live_engine, "op-chat", width=1300, height=1400)
    page.goto(f"{live_server}/jobs/new")
    panel = page.locator("#companion")
    panel.locator(".msg.assistant").first.wait_for()
    assert "AI assistant" in panel.locator(".msg.assistant").first.inner_text()
    jobs_before = live_engine.store.jobs.count()
    panel.locator("textarea").fill(
        "I need a logo for my bakery, budget $300, within 2 weeks. Call me on 555-123-4567"
    )
    panel.locator("form button").click()
    panel.locator(".msg.assistant:has-text('Here is a draft')").wait_for()
    assert "555-123" not in panel.inner_text()
    assert panel.locator(".companion-confirm").is_visible()
    assert live_engine.store.jobs.count() == jobs_before  # nothing posted before the confirm
    panel.locator("button.confirm").click()
    panel.locator("a.msg-link").wait_for()
    assert live_engine.store.jobs.count() == jobs_before + 1
    panel.locator("a.msg-link").click()
    page.wait_for_selector("h1")
    assert "Logo" in page.locator("h1").inner_text()

    panel = page.locator("#companion")
    panel.locator(".msg.assistant").first.wait_for()
    panel.locator("button.suggest", has_text="Who fits").click()
    panel.locator(".msg.assistant:has-text('Best matches')").wait_for()
    panel.locator("button.suggest", has_text="Why is").click()
    panel.locator(".msg.assistant:has-text('in request')").wait_for()
    answer = panel.locator(".msg.assistant").last.inner_text()
    assert "source: decision" in answer or "Answered from the decision log" in answer
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "companion-panel.png"), full_page=True)
    page.reload()  # the stored session comes back
    page.locator("#companion .msg.assistant:has-text('in request')").wait_for()
    second = page.locator(".match-card a.title").nth(1).inner_text()
    panel = page.locator("#companion")
    panel.locator("textarea").fill("invite the second one")  # the ranking this page shows
    panel.locator("form button").click()
    panel.locator(".msg.assistant:has-text('Shall I invite')").wait_for()
    assert second in panel.locator(".msg.assistant").last.inner_text()
    assert panel.locator(".companion-confirm").is_visible()
    page.close()


def test_pages_and_api_docs_work_under_the_content_security_policy(  # type: ignore[no-untyped-def]
    browser, live_server: str, live_engine: Engine
) -> None:
    """No inline script or style is refused, and the scripted parts still run.

    The one refusal allowed is the CSP doing its job: ReDoc's bundle hard-codes the Redocly
    logo from cdn.redoc.ly (hidden when it fails to load); nothing leaves the machine.
    """
    page = _signed_in(browser, live_server, live_engine, "op-csp", width=1200, height=1000)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else None)
    page.on("pageerror", lambda e: refused.append(str(e)))
    page.goto(f"{live_server}/jobs")
    page.locator(".job-card a.title").first.click()
    page.locator(".match-card meter.bar").first.wait_for()
    page.locator("#companion .msg.assistant").first.wait_for()  # companion.js ran
    page.goto(f"{live_server}/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Tandem" in page.locator(".swagger-ui .info .title").inner_text()
    page.goto(f"{live_server}/redoc")
    page.locator("h1:has-text('Tandem')").wait_for()
    assert [m for m in refused if "https://cdn.redoc.ly/" not in m] == []
    page.close()
