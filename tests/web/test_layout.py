"""The layout at phone width: no page scrolls sideways, the header stays short, and the
message after a decision shows where the person is (in the card, below the sticky header).

Every page a role reaches, in Chromium at 390 px (issue 14's quality bar; found by an
outside walk: /models, /audit and the replay page were wider than the phone, the header
wrapped to 150-190 px, and the decision's message was off-screen under the header).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.conftest import Cast, cast_users, make_settings
from tests.web.conftest import signed_in_page

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
#: The tallest the sticky header may be on a phone: two short lines (brand, nav).
HEADER_MAX = 100


@pytest.fixture(scope="module")
def live_engine(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[Engine]:
    engine = Engine(make_settings(tmp_path_factory.mktemp("layout-home")), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    engine.train(auto_promote=False)  # the models page with versions, cards and their forms
    yield engine
    engine.store.close()


@pytest.fixture(scope="module")
def cast(live_engine: Engine) -> Cast:
    return cast_users(live_engine, "-layout")


def _pages(cast: Cast, engine: Engine) -> dict[str, list[str]]:
    """The pages each role reaches (and a refusal or two: error pages must fit as well)."""
    operator = engine.as_user(engine.identify_token(cast.tokens["operator"]), "web")  # type: ignore[arg-type]
    served = operator.serve_match(cast.job_id, top=10)
    first = served.results[0].freelancer_id
    logged = [f"/log/{served.request_id}", f"/log/{served.request_id}/why/{first}"]
    common = [
        "/",
        "/jobs",
        "/jobs?page=2",
        "/jobs?q=SwiftUI",
        "/jobs?page=40",
        f"/jobs/{cast.job_id}",
    ]
    card = f"/models/{engine.models.list()[0].version}"
    applied = {p.job_id for p in engine.store.proposals.where(freelancer_id=cast.freelancer_id)}
    job = next(j.id for j in engine.store.jobs.where(status="open") if j.id not in applied)
    mine = ["/me/profile", "/me/jobs", f"/me/jobs/{job}", f"/me/jobs/{job}/apply", "/me/proposals"]
    return {
        "client-own": [
            *common, "/jobs/new", "/talent", f"/freelancers/{cast.freelancer_id}", "/me/posts",
            f"/jobs/{cast.job_id}/close", f"/jobs/{cast.job_id}?candidates=proposals", "/models",
            "/audit", "/log?page=99", "/me/data",
        ],
        "freelancer-own": [*common, f"/freelancers/{cast.freelancer_id}", *mine, "/jobs/new",
                           "/me/data"],
        "operator": [
            *common, "/talent?page=2", "/audit", "/log", "/log?page=99", "/models", card, *logged,
        ],
        "auditor": ["/jobs", "/audit", "/log", "/models", card, f"/log/{served.request_id}",
                    f"/log/{served.request_id}/why/%231", "/jobs/new"],
    }  # fmt: skip


def test_no_page_is_wider_than_a_phone(  # type: ignore[no-untyped-def]
    browser, live_server: str, live_engine: Engine, cast: Cast
) -> None:
    wide: dict[str, int] = {}
    for who, paths in _pages(cast, live_engine).items():
        page = signed_in_page(browser, live_server, cast.tokens[who], **PHONE)
        for path in paths:
            page.goto(f"{live_server}{path}")
            page.wait_for_load_state("networkidle")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > page.evaluate("window.innerWidth"):
                wide[f"{who} {path}"] = width
        page.close()
    assert wide == {}


def test_the_header_is_compact_and_every_nav_link_is_reachable_by_keyboard(  # type: ignore[no-untyped-def]
    browser, live_server: str, cast: Cast
) -> None:
    for who in ("operator", "client-own", "freelancer-own", "auditor"):
        page = signed_in_page(browser, live_server, cast.tokens[who], **PHONE)
        page.goto(f"{live_server}/jobs")
        height = page.locator("header.topbar").bounding_box()["height"]
        assert height <= HEADER_MAX, f"{who}: the header is {height} px tall"
        links = page.locator("header nav a")
        wanted = {links.nth(i).get_attribute("href") for i in range(links.count())}
        reached: set[str | None] = set()
        for _ in range(40):
            page.keyboard.press("Tab")
            focused = page.evaluate(
                "document.activeElement.closest('header nav') ? "
                "document.activeElement.getAttribute('href') : null"
            )
            if focused:
                reached.add(focused)
                box = page.evaluate("document.activeElement.getBoundingClientRect().right")
                assert box <= PHONE["width"] + 1, f"{who}: {focused} is focused off-screen"
        assert reached == wanted, who
        page.close()


def test_a_decisions_message_shows_in_its_card_below_the_sticky_header(  # type: ignore[no-untyped-def]
    browser, live_server: str, cast: Cast
) -> None:
    page = signed_in_page(browser, live_server, cast.tokens["client-own"], **PHONE)
    page.goto(f"{live_server}/jobs/{cast.job_id}")
    card = page.locator("li.match-card").nth(4)
    name = card.locator("a.title").inner_text()
    card.get_by_role("button", name=f"Shortlist {name}").click()
    page.wait_for_load_state("networkidle")
    assert "#m-" in page.url
    target = page.locator("li.match-card:target")
    message = target.locator(".msg.flash")
    assert message.inner_text().startswith(f"Shortlisted {name}.")
    header = page.locator("header.topbar").bounding_box()
    top = target.bounding_box()["y"]
    shown = message.bounding_box()
    assert top >= header["y"] + header["height"], "the sticky header covers the card"
    assert shown["y"] + shown["height"] <= PHONE["height"], "the message is off-screen"
    page.close()


#: Words in the cells matched by a selector that a line break splits (``"interv-iew"``), and tables
#: that scroll inside themselves (a scrollable region axe wants focusable; a phone reader
#: would not find the columns off to the side).
BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const th of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""
SCROLLING_TABLES = """() => [...document.querySelectorAll('.audit table')].filter((t) =>
  ['auto', 'scroll'].includes(getComputedStyle(t).overflowX) || t.scrollWidth > t.clientWidth + 1
  || t.getBoundingClientRect().right > window.innerWidth + 1
).map((t) => t.querySelector('caption')?.textContent || t.outerHTML.slice(0, 80))"""


def test_the_audit_tables_wrap_at_word_boundaries_without_scrolling(  # type: ignore[no-untyped-def]
    browser, live_server: str, cast: Cast
) -> None:
    page = signed_in_page(browser, live_server, cast.tokens["auditor"], **PHONE)
    page.goto(f"{live_server}/audit")
    page.locator("#audit-summary").wait_for()
    assert page.locator(".audit thead th").count() > 7  # the summary and the others
    assert page.evaluate(BROKEN_WORDS, ".audit thead th") == []
    assert page.evaluate(SCROLLING_TABLES) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.close()


#: A table that scrolls sideways (inside itself or a wrapper) whose scroller a keyboard cannot
#: reach or a reader cannot name: axe's scrollable-region-focusable, and a label to say so.
UNREACHABLE_SCROLLERS = """(selector) => [...document.querySelectorAll(selector)].filter((t) => {
  const scroller = t.closest('.table-scroll') || t;
  if (scroller.scrollWidth <= scroller.clientWidth + 1) return false;
  return !(scroller.tabIndex === 0 && scroller.getAttribute('role') === 'region'
           && scroller.getAttribute('aria-label'));
}).map((t) => t.outerHTML.slice(0, 80))"""


def _compare_url(engine: Engine, cast: Cast) -> str:
    client = engine.as_user(engine.identify_token(cast.tokens["client-own"]), "web")  # type: ignore[arg-type]
    served = client.serve_match(cast.job_id, top=5)
    a, b = (r.freelancer_id for r in served.results[:2])
    return f"/jobs/{cast.job_id}/compare?rid={served.request_id}&a={b}&b={a}"


def test_the_log_and_compare_tables_break_no_word_and_scroll_only_in_a_labelled_region(  # type: ignore[no-untyped-def]
    browser, live_server: str, live_engine: Engine, cast: Cast
) -> None:
    """Found at 390 px: "Mod el", "Re sul ts", "04:22:1 6" on /log; "Differe nce" on compare;
    "Posi ti on", "0. 76 7", "Re pla y" on a log entry (and the models' and replay tables)."""
    compare = _compare_url(live_engine, cast)
    logged = _pages(cast, live_engine)["operator"][-2:]  # a log entry and a replay
    card = f"/models/{live_engine.models.list()[0].version}"
    for who, path, table in (
        ("operator", "/log", ".log-table"),
        ("client-own", compare, ".compare-table"),
        ("operator", logged[0], ".log-table"),
        ("operator", logged[1], ".log-table"),
        ("operator", "/models", ".log-table"),
        ("operator", card, ".log-table"),
    ):
        page = signed_in_page(browser, live_server, cast.tokens[who], **PHONE)
        page.goto(f"{live_server}{path}")
        page.locator(f"{table} tbody tr").first.wait_for()
        cells = f"{table} th, {table} td"
        assert page.evaluate(BROKEN_WORDS, cells) == [], path
        assert page.evaluate(UNREACHABLE_SCROLLERS, table) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        page.close()


def _overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"] - 0.5
        and b["x"] < a["x"] + a["width"] - 0.5
        and a["y"] < b["y"] + b["height"] - 0.5
        and b["y"] < a["y"] + a["height"] - 0.5
    )


def test_the_job_pages_tabs_and_actions_do_not_overlap_at_phone_width(  # type: ignore[no-untyped-def]
    browser, live_server: str, live_engine: Engine, cast: Cast
) -> None:
    """Found: "All talent" and "Applicants (1)" on top of each other; a closed job's dangling
    "Edit this job ·" (its Reopen form, inside a <p>, was parsed out of it)."""
    job = live_engine.store.jobs.get(cast.job_id)
    page = signed_in_page(browser, live_server, cast.tokens["client-own"], **PHONE)
    try:
        for status in ("open", "closed"):
            live_engine.save_job(job.model_copy(update={"status": status}))
            page.goto(f"{live_server}/jobs/{cast.job_id}")
            boxes = [
                page.locator(sel).nth(i).bounding_box()
                for sel in (".section-head h2", ".tabs a", ".job-status-actions > *")
                for i in range(page.locator(sel).count())
            ]
            assert page.locator(".tabs a").count() == 2 and len(boxes) >= 5
            for i, a in enumerate(boxes):
                for b in boxes[i + 1 :]:
                    assert not _overlaps(a, b), (status, a, b)  # type: ignore[arg-type]
            reopen = page.locator(".job-status-actions form button")
            assert reopen.count() == (status == "closed"), status  # in its row, not after it
            actions = page.locator(".job-status-actions").inner_text()
            assert not actions.rstrip().endswith("·"), (status, actions)
    finally:
        live_engine.save_job(job)
        page.close()


def test_the_highlighted_nav_item_is_in_view_on_a_phone(  # type: ignore[no-untyped-def]
    browser, live_server: str, cast: Cast
) -> None:
    """Found on /imports: the nav's highlighted item was scrolled out of view to the right."""
    page = signed_in_page(browser, live_server, cast.tokens["operator"], **PHONE)
    for path in ("/imports", "/users", "/models", "/jobs"):
        page.goto(f"{live_server}{path}")
        page.wait_for_load_state("load")
        nav = page.locator("header.topbar nav").bounding_box()
        active = page.locator("header.topbar nav a.active").bounding_box()
        assert nav is not None and active is not None, path
        assert active["x"] >= nav["x"] - 1, path
        assert active["x"] + active["width"] <= nav["x"] + nav["width"] + 1, path
    page.close()
