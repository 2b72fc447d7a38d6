"""The freelancer's journey in Debian's Chromium, at phone and desktop width, as a person clicks.

Sign in -> my profile (skills normalised as typed, a suggestion picked by keyboard) -> jobs
for me with their reasons -> how to raise my match on one (and the chat assistant's draft
there, which sends nothing) -> the assistant's draft in the form, edited ->
a send refused until confirmed, then sent -> my proposals with its status. Set
``TANDEM_SCREENSHOTS`` to a directory to keep a screenshot of each step (docs/ holds them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tandem.domain.money import amount_text
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tandem.rank.features import job_hours
from tests.conftest import Cast, cast_users, make_settings
from tests.web.conftest import shot, signed_in_page

pytestmark = pytest.mark.browser
#: Each width walks as its own freelancer (each applies once to a job of its own).
WALKERS = {390: "freelancer-own", 1280: "freelancer-other"}


@pytest.fixture(scope="module")
def live_engine(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[Engine]:
    """An engine of its own (the journey writes a profile and a proposal), with the bundle."""
    engine = Engine(
        make_settings(tmp_path_factory.mktemp("freelancer-journey")), encoder=HashingEncoder()
    )
    engine.import_bundle(small_bundle)
    yield engine
    engine.store.close()


@pytest.fixture(scope="module")
def cast(live_engine: Engine) -> Cast:
    return cast_users(live_engine, "-fjourney")


def _fits(page, width: int) -> None:  # type: ignore[no-untyped-def]
    """Nothing on the page is wider than the window (no sideways scrolling)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", sorted(WALKERS))
def test_a_freelancer_edits_their_profile_finds_a_job_and_applies(  # type: ignore[no-untyped-def]
    browser, live_server: str, live_engine: Engine, cast: Cast, width: int
) -> None:
    who = WALKERS[width]
    me = cast.freelancer_id if who == "freelancer-own" else cast.other_freelancer_id
    page = signed_in_page(browser, live_server, cast.tokens[who], width=width, height=844)

    # my profile: typed skills are shown as they will be saved; a suggestion picked by keyboard
    page.get_by_role("link", name="My profile").click()
    page.wait_for_url("**/me/profile")
    page.get_by_label("Headline").fill("Ecommerce and marketing specialist")
    page.get_by_label("Hourly rate (USD)").fill("52")
    skills = page.get_by_label("Skills, separated by commas")
    skills.fill("")
    skills.press_sequentially("pyhton, javas", delay=20)
    preview = page.locator("#skills-preview")
    preview.filter(has_text="pyhton → Python").wait_for()
    pick = page.get_by_role("button", name="Use JavaScript for “javas”")
    pick.wait_for()
    shot(page, "freelancer-1-profile", width)
    pick.focus()
    page.keyboard.press("Enter")
    assert skills.input_value() == "pyhton, JavaScript, "
    _fits(page, width)
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url("**/me/profile")
    flash = page.locator(".flash").inner_text()
    assert "“pyhton” as Python" in flash
    assert page.locator(".saved-skills .chip").all_inner_texts() == ["Python", "JavaScript"]
    stored = live_engine.store.freelancers.get(me)
    assert stored.skills == ["Python", "JavaScript"] and stored.hourly_rate == 52

    # jobs for me: counts, three reasons up front, the rest one click away
    page.get_by_role("link", name="Jobs for me").click()
    page.wait_for_url("**/me/jobs")
    count = page.locator(".pager .count").first.inner_text()
    assert re.fullmatch(r"Showing 1-\d+ of \d+ open jobs ranked for you", count), count
    card = page.locator(".match-card", has=page.locator("a.button")).first
    title = card.locator("a.title").inner_text()
    assert card.locator("ul.reasons").first.locator("> li").count() <= 3
    more = card.locator("details.more-reasons")
    if more.count():
        assert not more.locator("li.reason").first.is_visible()
        more.locator("> summary").click()
        assert more.locator("li.reason").first.is_visible()
    _fits(page, width)
    shot(page, "freelancer-2-jobs", width)

    # how to raise my match, then the draft
    card.get_by_role("link", name=f"How to raise my match for {title}").click()
    page.get_by_role("heading", name="How to raise my match").wait_for()
    assert page.locator("ul.tips > li").count() >= 1
    _fits(page, width)
    shot(page, "freelancer-3-tips", width)
    job_id = page.url.rstrip("/").split("/")[-1]
    page.get_by_role("button", name="Draft a proposal for this job").click()  # the assistant
    said = page.locator(".companion-log .msg.assistant", has_text="send it")
    said.wait_for()
    priced = _priced_at_52(live_engine, job_id)  # the rate, or the whole job at that rate
    assert priced in said.inner_text()  # from the profile: it drafts, never sends
    assert not live_engine.store.proposals.where(job_id=job_id, freelancer_id=me)
    page.get_by_role("link", name="Draft a proposal").click()
    letter = page.get_by_label("Your proposal")
    draft = letter.input_value()
    assert f"{title}" in draft and priced in draft  # from the profile just saved
    letter.fill(draft + " I can start on Monday.")
    _fits(page, width)
    shot(page, "freelancer-4-draft", width)

    # nothing is sent until confirmed
    page.get_by_role("button", name="Send proposal").click()
    page.locator("[role=alert]:has-text('Nothing was sent')").wait_for()
    assert not live_engine.store.proposals.where(job_id=job_id, freelancer_id=me)
    assert page.get_by_label("Your proposal").input_value().endswith("I can start on Monday.")
    box = page.get_by_label("I have read this proposal and want to send it to the client")
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    page.get_by_role("button", name="Send proposal").click()

    # my proposals
    page.wait_for_url("**/me/proposals")
    assert page.locator(".flash").inner_text() == f"Sent your proposal for “{title}”."
    sent = page.locator(".proposal", has=page.get_by_role("link", name=title, exact=True))
    assert sent.locator(".pill.status").inner_text() == "Sent: waiting for the client"
    (proposal,) = live_engine.store.proposals.where(job_id=job_id, freelancer_id=me)
    assert proposal.cover_letter is not None
    assert proposal.cover_letter.endswith("I can start on Monday.")
    _fits(page, width)
    shot(page, "freelancer-5-proposals", width)
    page.close()


def _priced_at_52(engine: Engine, job_id: str) -> str:
    """What the drafted letter says of money at the profile's $52: the hourly rate, or for a
    fixed-price job one price for the whole job (its weeks times hours a week at that rate)."""
    job = engine.store.jobs.get(job_id)
    hours = job_hours(job)
    if job.budget is not None and job.budget.type == "fixed":
        said = "to be agreed in" if hours is None else amount_text(52 * hours)
        return f"My price for the whole job is {said} USD"
    return "52 USD per hour"
