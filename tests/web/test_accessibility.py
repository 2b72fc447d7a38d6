"""axe-core (bundled by axe-playwright-python) finds no violation at all, of any impact.

Every page of the web UI, at phone width and at desktop width, for each role that sees it
(issue 14's quality bar), and the sign-in and error pages for someone not signed in. The
pages are the real ones, served from a real market. The bar was "no serious or critical"
until a new user's trial found moderate ones (two pagers with one name, a skipped heading
level): now none passes, and a route of the app that no role visits here fails the test.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute, APIRouter

import tandem.api
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.conftest import Cast, cast_users, make_settings
from tests.web.conftest import signed_in_page

pytestmark = pytest.mark.browser
axe_playwright = pytest.importorskip(
    "axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed"
)

#: GET pages reached by using another page (a button, a link in a table), not by a known URL.
REACHED_BY_USE = {
    "/jobs/{job_id}/compare",
    "/log/{request_id}",
    "/log/{request_id}/why/{result_id}",
}
#: HTML pages not checked here, and why.
NOT_CHECKED = {
    "/docs": "Swagger UI's own page (third-party markup, the API's reference, not the web UI)",
    "/redoc": "ReDoc's own page (third-party markup, the API's reference, not the web UI)",
}


@pytest.fixture(scope="module")
def live_engine(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[Engine]:
    engine = Engine(make_settings(tmp_path_factory.mktemp("a11y-home")), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    engine.train(auto_promote=False)  # the models page with versions, cards and its forms
    yield engine
    engine.store.close()


@pytest.fixture(scope="module")
def cast(live_engine: Engine) -> Cast:
    """The roles, and an operator named shorter than " (you)" (what a new user's trial did).

    The users table writes "NAME (you)" in one cell: a link that is less than half of its
    cell's words is a link in running text (axe's link-in-text-block), colour alone would not do.
    """
    cast = cast_users(live_engine, "-a11y")
    cast.tokens["operator-short-name"] = live_engine.add_user("Al", "operator")[1]
    return cast


def _pages(cast: Cast, engine: Engine) -> dict[str, list[str]]:
    """The pages each role is shown, by role."""
    common = ["/", "/jobs", "/jobs?page=2", f"/jobs/{cast.job_id}"]
    applied = {p.job_id for p in engine.store.proposals.where(freelancer_id=cast.freelancer_id)}
    job = next(j.id for j in engine.store.jobs.where(status="open") if j.id not in applied)
    card = f"/models/{engine.models.list()[0].version}"
    report = f"/imports/{engine.store.imports.page(0, 1)[0][0].id}"
    person = f"/users/{engine.users()[0].id}"
    operating = ["/imports", report, "/users", person, f"{person}/disable"]
    mine = ["/me/profile", "/me/jobs", f"/me/jobs/{job}", f"/me/jobs/{job}/apply", "/me/proposals"]
    return {
        "client-own": [
            *common,
            "/jobs/new",
            "/talent",
            f"/freelancers/{cast.freelancer_id}",
            f"/jobs/{cast.job_id}/close",
            f"/jobs/{cast.job_id}/edit",
            "/me/posts",
            "/me/data",  # a client's: the download, and who erases a client
        ],
        # /me/data before the rest: the forms test reads the apply page as the last but one
        "freelancer-own": [*common, f"/freelancers/{cast.freelancer_id}", "/me/data", *mine],
        "operator": [
            *common,
            "/jobs/no-such-job",
            "/talent?page=2",
            "/audit",
            "/log",
            "/models",
            card,
            *operating,
        ],
        "auditor": ["/audit", "/log", "/models", card],
        "operator-short-name": ["/users"],
        "anonymous": ["/signin"],
    }


def _violations(result: Any) -> list[str]:
    """Every violation axe found, of any impact (minor, moderate, serious, critical)."""
    found = []
    for violation in result.response["violations"]:
        where = [n["target"] for n in violation["nodes"]][:3]
        found.append(f"{violation['id']} ({violation['impact']}): {where}")
    return found


def _open(browser, live_server: str, cast: Cast, who: str, width: int):  # type: ignore[no-untyped-def]
    """A page signed in as ``who`` (``anonymous``: a fresh one, signed in as nobody)."""
    if who == "anonymous":
        return browser.new_page(viewport={"width": width, "height": 900})
    return signed_in_page(browser, live_server, cast.tokens[who], width=width, height=900)


def _html_pages() -> list[APIRoute]:
    """Every GET route of ``tandem.api``'s routers that answers with an HTML page."""
    found = []
    for module in pkgutil.walk_packages(tandem.api.__path__, "tandem.api."):
        router = getattr(importlib.import_module(module.name), "router", None)
        if isinstance(router, APIRouter):
            found += [
                r
                for r in router.routes
                if isinstance(r, APIRoute)
                and "GET" in r.methods
                and r.response_class is HTMLResponse
            ]
    return found


def test_every_page_of_the_web_ui_is_checked(live_engine: Engine, cast: Cast) -> None:
    """A new page is added to ``_pages`` (or to the pages reached by use) or this test fails."""
    routes = _html_pages()
    visited = {url.partition("?")[0] for urls in _pages(cast, live_engine).values() for url in urls}
    missing = {
        r.path
        for r in routes
        if r.path not in REACHED_BY_USE | set(NOT_CHECKED)
        and not any(r.path_regex.match(url) for url in visited)
    }
    assert {r.path for r in routes} >= {"/users", "/audit", "/me/jobs", "/talent", "/signin"}
    assert missing == set()


@pytest.mark.parametrize("width", [390, 1280])
def test_no_violation_on_any_page(  # type: ignore[no-untyped-def]
    browser, live_server: str, live_engine: Engine, cast: Cast, width: int
) -> None:
    axe = axe_playwright.Axe()
    problems: dict[str, list[str]] = {}
    for who, paths in _pages(cast, live_engine).items():
        page = _open(browser, live_server, cast, who, width)
        for path in paths:
            page.goto(f"{live_server}{path}")
            page.wait_for_load_state("networkidle")
            found = _violations(axe.run(page))
            if found:
                problems[f"{who} {path}"] = found
        if who in ("operator", "auditor"):  # a logged ranking and a replay, by their links
            match_row = "table.log-table tr:has-text('Job matches') a[href^='/log/']"
            page.goto(f"{live_server}/log")
            for step in (match_row, "a:has-text('Replay')"):
                page.locator(step).first.click()
                page.wait_for_load_state("networkidle")
                found = _violations(axe.run(page))
                if found:
                    problems[f"{who} {page.url}"] = found
        if who == "client-own":  # reached by a form, not a link: two candidates compared
            page.goto(f"{live_server}/jobs/{cast.job_id}")
            page.get_by_role("button", name="Why is one above the other?").click()
            page.wait_for_load_state("networkidle")
            found = _violations(axe.run(page))
            if found:
                problems[f"{who} compare"] = found
            page.goto(f"{live_server}/jobs/{cast.job_id}")  # a hire's confirmation (records none)
            page.locator("form.decide button[value='hire']").first.click()
            page.wait_for_url("**/decisions")
            assert page.locator("h1").inner_text().startswith("Hire ")
            page.wait_for_load_state("networkidle")
            found = _violations(axe.run(page))
            if found:
                problems[f"{who} hire confirmation"] = found
        page.close()
    assert problems == {}


@pytest.mark.parametrize("width", [390, 1280])
def test_the_freelancers_forms_in_use_have_no_violation(  # type: ignore[no-untyped-def]
    browser, live_server: str, live_engine: Engine, cast: Cast, width: int
) -> None:
    """The states a page reaches by use: skill suggestions shown, a send refused."""
    axe = axe_playwright.Axe()
    page = signed_in_page(
        browser, live_server, cast.tokens["freelancer-own"], width=width, height=900
    )
    page.goto(f"{live_server}/me/profile")
    page.get_by_label("Skills, separated by commas").press_sequentially(", javas", delay=20)
    page.locator(".suggestions button").first.wait_for()
    problems = {"profile with suggestions": _violations(axe.run(page))}
    job = _pages(cast, live_engine)["freelancer-own"][-2]
    page.goto(f"{live_server}{job}")
    page.get_by_role("button", name="Send proposal").click()
    page.locator("[role=alert]").first.wait_for()
    problems["apply refused"] = _violations(axe.run(page))
    page.close()
    assert problems == {"profile with suggestions": [], "apply refused": []}


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("who", ["anonymous", "freelancer-own", "operator"])
def test_the_first_tab_reaches_a_skip_link_to_the_main_content(  # type: ignore[no-untyped-def]
    browser, live_server: str, cast: Cast, who: str, width: int
) -> None:
    """Tab once: "Skip to main content", in sight; Enter: focus in <main>, past the top bar."""
    page = _open(browser, live_server, cast, who, width)
    page.goto(f"{live_server}{'/signin' if who == 'anonymous' else '/jobs'}")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.inner_text() == "Skip to main content"
    box = focused.bounding_box()
    assert box is not None and box["y"] >= 0 and box["x"] >= 0 and box["width"] > 1
    assert box["x"] + box["width"] <= width and box["height"] > 1  # seen, not clipped away
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is the page's own, not the top bar's first link
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
    page.close()


def test_the_erasure_in_use_has_no_violation(  # type: ignore[no-untyped-def]
    browser, live_server: str, live_engine: Engine, cast: Cast
) -> None:
    """The states /me/data reaches by use: a wrong confirmation word, and the erased page.

    A freelancer of their own (not the cast's) is erased, so the other tests' pages stay.
    """
    axe = axe_playwright.Axe()
    people = [f.id for f in live_engine.store.freelancers.page(0, 8)[0]]
    person = next(
        p for p in reversed(people) if p not in {cast.freelancer_id, cast.other_freelancer_id}
    )
    token = live_engine.add_user("erase-me-a11y", "freelancer", freelancer_id=person)[1]
    page = signed_in_page(browser, live_server, token, width=390, height=900)
    page.goto(f"{live_server}/me/data")
    page.get_by_label("Type erase to confirm").fill("no")
    page.get_by_role("button", name="Erase my account").click()
    page.locator("[role=alert]").first.wait_for()
    problems = {"erase refused": _violations(axe.run(page))}
    page.get_by_label("Type erase to confirm").fill("erase")
    page.get_by_role("button", name="Erase my account").click()
    page.get_by_role("heading", name="Your account is erased").wait_for()
    problems["erased"] = _violations(axe.run(page))
    page.close()
    assert problems == {"erase refused": [], "erased": []}
