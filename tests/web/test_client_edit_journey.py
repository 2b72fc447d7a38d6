"""The client's edit step in Debian's Chromium, at 390 and 1280 px: from the job page, edit
the job's title, skills and budget, save, and read the confirmation on the job page, whose
matches are ranked again against the job as it now reads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.conftest import Cast, cast_users, make_settings
from tests.web.conftest import signed_in_page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_engine(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[Engine]:
    engine = Engine(make_settings(tmp_path_factory.mktemp("edit-home")), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    yield engine
    engine.store.close()


@pytest.fixture(scope="module")
def cast(live_engine: Engine) -> Cast:
    return cast_users(live_engine, "-edit-journey")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_client_edits_its_job_from_the_job_page(  # type: ignore[no-untyped-def]
    browser, live_server: str, live_engine: Engine, cast: Cast, width: int
) -> None:
    page = signed_in_page(browser, live_server, cast.tokens["client-own"], width=width, height=900)
    page.goto(f"{live_server}/jobs/{cast.job_id}")
    page.locator(".match-card").first.wait_for()
    before = live_engine.store.decisions.page(0, 1, kind="match")[0][0].request_id
    page.get_by_role("link", name="Edit this job").click()
    page.get_by_role("heading", name="Edit the job").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    title = f"Mobile app developer, {width} px"
    page.get_by_label("Title").fill(title)
    page.get_by_label("Skills, separated by commas").fill("Swift, Kotlin, React Native")
    page.get_by_label("Kind").select_option("fixed")
    page.get_by_label("From").fill("3000")
    page.get_by_label("To").fill("2000")
    page.get_by_role("button", name="Save changes").click()
    alert = page.get_by_role("alert")
    assert alert.inner_text().startswith("From (3000) is above To (2000)")  # the form's words
    assert page.locator("fieldset.budget").get_by_role("alert").count() == 1  # beside them
    assert page.get_by_label("From").get_attribute("aria-describedby") == "budget-error"
    assert live_engine.store.jobs.get(cast.job_id).title != title
    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()
    serious = [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in axe.run(page).response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert serious == []  # the form as a refusal leaves it, reached only by a post
    page.get_by_label("To").fill("5000")
    page.get_by_role("button", name="Save changes").click()
    page.locator(".msg.flash:has-text('Saved your changes')").wait_for()
    assert page.get_by_role("heading", level=1).inner_text() == title
    job = live_engine.store.jobs.get(cast.job_id)
    assert job.skills == ["Swift", "Kotlin", "React Native"] and job.budget is not None
    assert (job.budget.min, job.budget.max) == (3000, 5000)
    after = live_engine.store.decisions.page(0, 1, kind="match")[0][0]
    assert after.request_id != before and after.subject == cast.job_id
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()
