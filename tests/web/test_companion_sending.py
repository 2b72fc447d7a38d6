"""The companion panel never drops a message silently (``static/companion.js``), in Chromium.

Right after a start the first answer is slow (the encoder loads): a message sent then must
show at once as sent, wait its turn (the session may not even be open yet), say the
assistant is still working, and arrive in order. A request that fails says so plainly and
offers Retry. Confirm shows as what it confirmed, never as a typed "yes".

The slow start is made by holding the browser's request to open the session (Playwright's
``page.route``) and releasing it later; the failure by aborting one request, as a dropped
connection would.
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

FIRST = "I need a logo for my bakery, budget $300, within 2 weeks"
SECOND = "the budget is $400"


@pytest.fixture(scope="module")
def live_engine(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[Engine]:
    engine = Engine(
        make_settings(tmp_path_factory.mktemp("sending-home")), encoder=HashingEncoder()
    )
    engine.import_bundle(small_bundle)
    yield engine
    engine.store.close()


@pytest.fixture(scope="module")
def cast(live_engine: Engine) -> Cast:
    return cast_users(live_engine, "-sending")


def _post_page(browser, live_server: str, cast: Cast):  # type: ignore[no-untyped-def]
    page = signed_in_page(browser, live_server, cast.tokens["client-own"], width=1280, height=900)
    page.evaluate("sessionStorage.clear()")  # a new conversation for each test
    return page


def _say(panel, text: str) -> None:  # type: ignore[no-untyped-def]
    panel.get_by_label("Message the assistant").fill(text)
    panel.locator("form.companion-form button").click()


def test_messages_sent_while_the_assistant_is_slow_show_at_once_and_all_arrive_in_order(  # type: ignore[no-untyped-def]
    browser, live_server: str, cast: Cast
) -> None:
    page = _post_page(browser, live_server, cast)
    held: list = []  # type: ignore[type-arg]
    page.route("**/api/companion/sessions", lambda route: held.append(route))
    page.goto(f"{live_server}/jobs/new")
    panel = page.locator("#companion")
    _say(panel, FIRST)
    _say(panel, SECOND)
    mine = panel.locator(".msg.user")
    assert mine.all_inner_texts()[0].startswith(FIRST)  # shown as sent at once
    assert mine.nth(1).inner_text().startswith(SECOND)
    status = panel.get_by_role("status")
    status.get_by_text("still working").wait_for()  # and, when slow, says it is working
    assert len(held) == 1  # the session is not open yet: nothing was sent to nowhere
    held[0].continue_()
    page.unroute("**/api/companion/sessions")
    panel.locator(".msg.assistant:has-text('$400')").wait_for()
    assert panel.locator(".msg.local").count() == 0
    assert not status.is_visible()
    page.reload()  # what the server stored: both, in order, each answered
    panel.locator(".msg.assistant:has-text('$400')").wait_for()
    said = panel.locator(".msg.user .msg-text").all_inner_texts()
    assert said == [FIRST, SECOND]
    assert panel.locator(".msg.assistant").count() == 3  # the greeting and two answers
    page.close()


def test_a_failed_message_says_so_and_retry_delivers_it(  # type: ignore[no-untyped-def]
    browser, live_server: str, cast: Cast
) -> None:
    page = _post_page(browser, live_server, cast)
    page.goto(f"{live_server}/jobs/new")
    panel = page.locator("#companion")
    panel.locator(".msg.assistant").first.wait_for()
    page.route("**/messages", lambda route: route.abort("connectionreset"))
    _say(panel, FIRST)
    failed = panel.locator(".msg.user.failed")
    failed.wait_for()
    assert failed.locator(".msg-text").inner_text() == FIRST  # the text is kept, not lost
    assert "Not sent" in failed.inner_text()
    page.unroute("**/messages")
    failed.get_by_role("button", name="Retry").click()
    panel.locator(".msg.assistant:has-text('Here is a draft')").wait_for()
    assert panel.locator(".msg.user.failed").count() == 0
    assert panel.locator(".msg.user .msg-text").all_inner_texts() == [FIRST]
    page.close()


def test_confirm_shows_what_it_confirmed_not_a_typed_yes(  # type: ignore[no-untyped-def]
    browser, live_server: str, cast: Cast
) -> None:
    page = _post_page(browser, live_server, cast)
    page.goto(f"{live_server}/jobs/new")
    panel = page.locator("#companion")
    panel.locator(".msg.assistant").first.wait_for()
    _say(panel, FIRST)
    panel.locator(".msg.assistant:has-text('Here is a draft')").wait_for()
    panel.locator("button.confirm").click()
    panel.locator("a.msg-link").wait_for()
    for shown in (False, True):  # as answered, and as stored (after a reload)
        if shown:
            page.reload()
            panel.locator("a.msg-link").wait_for()
        said = panel.locator(".msg.user .msg-text").all_inner_texts()
        assert "yes" not in [s.strip().lower() for s in said]
        assert said[-1].startswith("Confirmed: post the job")
        assert panel.locator(".msg.user.control").count() == 1
    page.close()
