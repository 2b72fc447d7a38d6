"""The operator's journey in Debian's Chromium, at 390 and 1280 px: sign in, read the demo
import's report (which line failed and why), add a user, issue it a token, revoke the token.

Each step is taken as a person takes it (nav links, labelled fields, buttons), each page fits
the width without scrolling sideways, and each change is checked in the engine: the token
shown once signs in, and once revoked it no longer does.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.conftest import Cast, cast_users, make_settings
from tests.web.conftest import signed_in_page

pytestmark = pytest.mark.browser
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
def live_engine(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[Engine]:
    """The demo market, imported as ``tandem demo`` does, with one bad job line in it."""
    bundle = tmp_path_factory.mktemp("operator-bundle") / "demo"
    shutil.copytree(small_bundle, bundle)
    with (bundle / "jobs.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps({"id": "no-title", "created_at": "2026-01-01T00:00:00Z"}) + "\n")
    engine = Engine(
        make_settings(tmp_path_factory.mktemp("operator-home")), encoder=HashingEncoder()
    )
    engine.import_bundle(bundle)
    yield engine
    engine.store.close()


@pytest.fixture(scope="module")
def cast(live_engine: Engine) -> Cast:
    return cast_users(live_engine, "-operator-journey")


def _fits(page, width: int) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("width", [390, 1280])
def test_an_operator_reads_an_import_report_adds_a_user_and_manages_its_token(  # type: ignore[no-untyped-def]
    browser, live_server: str, live_engine: Engine, cast: Cast, width: int
) -> None:
    page = signed_in_page(browser, live_server, cast.tokens["operator"], width=width, height=900)

    page.get_by_role("link", name="Imports", exact=True).click()
    page.get_by_role("heading", name="Imports", level=1).wait_for()
    _fits(page, width)
    row = page.locator("table.imports-table tbody tr").last  # the oldest: the demo import
    assert "1 rejected" in row.inner_text()
    row.get_by_role("link").click()
    page.get_by_role("heading", name="Import report").wait_for()
    _fits(page, width)
    assert "jobs.jsonl:151: title: Field required" in page.locator("ul.report-lines").inner_text()

    page.get_by_role("link", name="Users", exact=True).click()
    page.get_by_role("heading", name="Users", level=1).wait_for()
    _fits(page, width)
    name = f"new-auditor-{width}"
    page.get_by_label("Name (unique)").fill(name)
    page.get_by_label("Role", exact=True).select_option("client")  # a client needs a client id
    page.get_by_role("button", name="Add user").click()
    error = page.locator("#add-error")
    error.wait_for()
    assert "client id" in error.inner_text()
    in_view = "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"  # noqa: E501
    assert error.evaluate(in_view)  # beside the form, not out of sight below the list
    assert page.get_by_label("Name (unique)").input_value() == name  # what was typed is kept
    page.get_by_label("Role", exact=True).select_option("auditor")
    page.get_by_role("button", name="Add user").click()
    page.locator(".msg.flash:has-text('User added')").wait_for()
    assert page.url.endswith("/users")  # a GET: a reload posts nothing again
    _fits(page, width)
    first = page.get_by_label("New API token").input_value()
    made = live_engine.identify_token(first)
    assert made is not None and made.role == "auditor"
    page.reload()
    assert page.get_by_label("New API token").count() == 0  # shown once, gone on reload
    assert first not in page.content()

    page.get_by_role("link", name=name, exact=True).first.click()
    page.get_by_role("heading", name=name, level=1).wait_for()
    page.get_by_role("button", name="Issue a new token").click()
    second = page.get_by_label("New API token").input_value()
    assert second != first and live_engine.identify_token(second) == made
    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()
    serious = [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in axe.run(page).response["violations"]
        if v.get("impact") in SERIOUS
    ]
    assert serious == []  # the page with a secret on it, reached only by a form
    revoke = live_engine.store.users.tokens(made.user_id)[0].id  # the first, oldest token
    page.get_by_role("button", name=f"Revoke token {revoke}").click()
    page.locator(".msg.flash:has-text('Token revoked')").wait_for()
    _fits(page, width)
    assert live_engine.identify_token(first) is None  # the revoked token no longer works
    assert live_engine.identify_token(second) == made
    assert page.get_by_role("button", name=f"Revoke token {revoke}").count() == 0
    page.close()
