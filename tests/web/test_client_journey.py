"""The client's journey in Debian's Chromium, at 390 and 1280 px: sign in, post a job with the
assistant (draft, edit by saying so, confirm), open a job, decide from the cards, compare two
candidates, read the applicants, close the job. Set ``TANDEM_SCREENSHOTS`` to a directory to
keep a screenshot of each step (``make screenshots`` writes docs/screenshots).

The decisions are made as a person would make them: one with the mouse, one with the
keyboard alone (Tab to the button, Enter), and each must come back as a message on the
page and as an event tied to the ranking the card came from.
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
    """An engine of its own (the journey records events), with the bundle loaded."""
    engine = Engine(
        make_settings(tmp_path_factory.mktemp("journey-home")), encoder=HashingEncoder()
    )
    engine.import_bundle(small_bundle)
    yield engine
    engine.store.close()


@pytest.fixture(scope="module")
def cast(live_engine: Engine) -> Cast:
    return cast_users(live_engine, "-journey")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_client_posts_a_job_with_the_assistant_edits_it_by_saying_so_and_confirms(  # type: ignore[no-untyped-def]
    browser, live_server: str, live_engine: Engine, cast: Cast, width: int
) -> None:
    page = signed_in_page(browser, live_server, cast.tokens["client-own"], width=width, height=900)
    page.goto(f"{live_server}/jobs/new")
    panel = page.locator("#companion")
    panel.locator(".msg.assistant").first.wait_for()
    before = live_engine.store.jobs.count()
    panel.get_by_label("Message the assistant").fill(
        "I need a logo for my bakery, budget $300, within 2 weeks"
    )
    panel.locator("form button").click()
    panel.locator(".msg.assistant:has-text('Here is a draft')").wait_for()
    panel.get_by_label("Message the assistant").fill("the budget is $400")
    panel.locator("form button").click()
    panel.locator(".msg.assistant:has-text('$400')").wait_for()
    assert live_engine.store.jobs.count() == before  # nothing posted before the confirm
    shot(page, "client-1-post", width)
    panel.locator("button.confirm").click()
    panel.locator("a.msg-link").wait_for()
    assert live_engine.store.jobs.count() == before + 1
    panel.locator("a.msg-link").click()
    page.wait_for_selector("h1")
    job_id = page.url.rstrip("/").split("/")[-1]
    posted = live_engine.store.jobs.get(job_id)
    assert posted.client_id == cast.client_id
    assert posted.budget is not None and posted.budget.max == 400
    page.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_client_decides_compares_and_closes_from_the_match_cards(  # type: ignore[no-untyped-def]
    browser, live_server: str, live_engine: Engine, cast: Cast, width: int
) -> None:
    job = live_engine.store.jobs.get(cast.job_id)
    live_engine.save_job(job.model_copy(update={"status": "open"}))  # each width closes it
    earlier = {e.id for e in live_engine.store.events.where(job_id=cast.job_id)}
    page = signed_in_page(browser, live_server, cast.tokens["client-own"], width=width, height=1000)
    page.goto(f"{live_server}/jobs")
    page.locator("header nav").get_by_role("link", name="Your jobs").click()
    page.get_by_role("heading", name="Your jobs", level=1).wait_for()
    own = live_engine.store.jobs.where(client_id=cast.client_id)
    assert f"of {len(own)} jobs" in page.locator(".pager .count").first.inner_text()
    page.goto(f"{live_server}/jobs/{cast.job_id}")
    cards = page.locator(".match-card")
    cards.first.wait_for()
    first = cards.nth(0).locator("a.title").inner_text()
    # a person is hired on a job once (the other width's run hired its pick): the next card
    # whose person is not hired here yet
    hired = {
        live_engine.store.freelancers.get(e.freelancer_id).name
        for e in live_engine.store.events.where(job_id=cast.job_id, type="hire")
        if e.freelancer_id
    }
    titles = [cards.nth(i).locator("a.title").inner_text() for i in range(cards.count())]
    second = next(title for title in titles[1:] if title not in hired)
    assert cards.nth(0).locator("ul.reasons").first.locator("> li").count() <= 3
    more = cards.nth(0).locator("details.more-reasons")
    if more.count():  # the rest of the reasons are one click away
        assert not more.locator("li.reason").first.is_visible()
        more.locator("> summary").click()
        assert more.locator("li.reason").first.is_visible()

    page.get_by_role("button", name=f"Shortlist {first}", exact=True).click()
    page.wait_for_url(f"**/jobs/{cast.job_id}#m-*")
    assert page.locator(".flash").inner_text().startswith(f"Shortlisted {first}.")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "client-2-matches", width)

    hire = page.get_by_role("button", name=f"Hire {second}", exact=True)
    hire.focus()  # from the button before it, the keyboard alone reaches it
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert hire.evaluate("b => b === document.activeElement")
    page.keyboard.press("Enter")
    # a hire is confirmed on its own page, which says the job stays open
    page.get_by_role("heading", name=f"Hire {second} for", level=1).wait_for()
    assert "The job stays open" in page.inner_text("main")
    hires_before = {e.id for e in live_engine.store.events.where(job_id=cast.job_id, type="hire")}
    assert hires_before <= earlier  # nothing recorded by the card's button alone
    confirm = page.get_by_role("button", name=f"Hire {second}", exact=True)
    confirm.focus()
    page.keyboard.press("Shift+Tab")  # the keyboard reaches it from the link before it
    page.keyboard.press("Tab")
    assert confirm.evaluate("b => b === document.activeElement")
    shot(page, "client-2b-confirm-hire", width)
    page.keyboard.press("Enter")
    page.locator(".flash:has-text('Hired')").wait_for()
    assert page.locator(".flash").inner_text().startswith(f"Hired {second}.")
    card = page.locator(".match-card", has=page.get_by_role("button", name=f"Hire {second}"))
    assert card.locator(".decided .pill.hire").count() == 1

    mine = [
        e
        for kind in ("shortlist", "hire")
        for e in live_engine.store.events.where(job_id=cast.job_id, type=kind)
        if e.request_id and e.id not in earlier
    ]
    assert sorted(e.type for e in mine) == ["hire", "shortlist"]
    for event in mine:
        logged = live_engine.store.decisions.get(event.request_id or "")
        assert logged.subject == cast.job_id and logged.actor.startswith("u_")
        assert logged.results[(event.position or 0) - 1].id == event.freelancer_id

    # "why is A above B": the second card and the first compared, from the same logged ranking
    page.get_by_label("Compare").select_option(index=1)
    page.get_by_label("with", exact=True).select_option(index=0)
    page.get_by_role("button", name="Why is one above the other?").click()
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == f"Why {first} is above {titles[1]}"
    assert page.locator(".compare-summary").inner_text().startswith(first)
    assert page.locator(".compare-table tbody tr").count() >= 1
    shot(page, "client-3-compare", width)

    # the applicants tab: those who applied, ranked, with a true count
    page.get_by_role("link", name="Back to the job").click()
    applied = {p.freelancer_id for p in live_engine.store.proposals.where(job_id=cast.job_id)}
    tab = page.get_by_role("link", name=f"Applicants ({len(applied)})")
    tab.click()
    page.wait_for_url("**candidates=proposals")
    shown = page.locator(".match-card").evaluate_all("cs => cs.map(c => c.id.slice(2))")
    assert shown and set(shown) <= applied
    shot(page, "client-4-applicants", width)

    # done hiring: close the job, after a page that says what closing does
    page.get_by_role("link", name="Close this job").click()
    page.get_by_role("button", name="Close the job").click()
    page.get_by_role("button", name="Reopen this job").wait_for()
    assert page.locator(".job-detail .pill.closed").inner_text() == "closed"
    assert live_engine.store.jobs.get(cast.job_id).status == "closed"
    shot(page, "client-5-closed", width)
    page.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_assistant_is_reachable_without_scrolling_past_the_results(  # type: ignore[no-untyped-def]
    browser, live_server: str, cast: Cast, width: int
) -> None:
    page = signed_in_page(browser, live_server, cast.tokens["client-own"], width=width, height=844)
    page.goto(f"{live_server}/jobs/{cast.job_id}")
    box = page.locator("#companion textarea").bounding_box()
    assert box is not None
    if box["y"] > 844:  # one column: below the results, so a link at the top leads there
        link = page.get_by_role("link", name="Ask the assistant about this job")
        top = link.bounding_box()
        assert top is not None and top["y"] + top["height"] <= 844  # in the first screen
        link.click()
        page.wait_for_function("() => window.scrollY > 0")
        box = page.locator("#companion textarea").bounding_box()
        assert box is not None and 0 <= box["y"] < 844
    else:
        assert not page.get_by_role("link", name="Ask the assistant about this job").is_visible()
    assert width > 980 or page.locator(".to-companion").is_visible()
    page.close()
