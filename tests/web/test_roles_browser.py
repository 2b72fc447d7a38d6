"""Signed in as each role, a browser sees what that role may see; another page's POST fails.

Users are made as ``tandem users add`` makes them and sign in through the form, in Debian's
Chromium. The cross-site checks post from a page the app did not serve: from another port of
the same host (same site: the session cookie goes along, so only the CSRF token stops it) and
from another site (the SameSite cookie stays home).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.conftest import Cast, cast_users, make_settings
from tests.web.conftest import signed_in_page

pytestmark = pytest.mark.browser
NOT_THEIRS = "Matches and applicants are shown to the job's client."


@pytest.fixture(scope="module")
def live_engine(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[Engine]:
    """An engine of its own, with the bundle loaded."""
    engine = Engine(make_settings(tmp_path_factory.mktemp("roles-home")), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    yield engine
    engine.store.close()


@pytest.fixture(scope="module")
def cast(live_engine: Engine) -> Cast:
    """One user per role (and the records the client and freelancer users own)."""
    return cast_users(live_engine, "-web")


def _page(browser, live_server: str, cast: Cast, who: str):  # type: ignore[no-untyped-def]
    page = signed_in_page(browser, live_server, cast.tokens[who], width=1200, height=1000)
    role = who.split("-")[0]
    assert page.locator(".who").inner_text().startswith(role)
    return page


@pytest.mark.parametrize(
    ("who", "sees_matches", "sees_companion", "may_post"),
    [
        ("operator", True, True, True),
        ("auditor", False, False, False),  # an auditor reads rankings in the log, no people
        ("client-own", True, True, True),
        ("client-other", False, False, True),
        ("freelancer-own", False, False, False),
    ],
)
def test_each_role_sees_its_own_job_page(  # type: ignore[no-untyped-def]
    browser, live_server: str, cast: Cast, who: str, sees_matches: bool,
    sees_companion: bool, may_post: bool,
) -> None:  # fmt: skip
    page = _page(browser, live_server, cast, who)
    page.goto(f"{live_server}/jobs/{cast.job_id}")
    page.wait_for_selector("h1")
    assert (page.locator(".match-card").count() > 0) is sees_matches
    assert (NOT_THEIRS in page.inner_text("main")) is not sees_matches
    assert (page.locator("#companion").count() > 0) is sees_companion
    offered = page.locator("header nav a[href='/jobs/new']").count() > 0
    assert offered is may_post  # the nav offers posting only to whom the engine lets post
    posted = page.goto(f"{live_server}/jobs/new")
    assert posted is not None and (posted.status == 200) is may_post
    if not may_post:
        said = page.inner_text("main")
        assert "you can't post, edit or close jobs" in said and "job.write" not in said
        assert page.locator("h1").inner_text() == "You don't have permission"
    page.close()


def test_a_freelancer_sees_its_own_recommendations_and_not_anothers(  # type: ignore[no-untyped-def]
    browser, live_server: str, cast: Cast
) -> None:
    page = _page(browser, live_server, cast, "freelancer-own")
    page.goto(f"{live_server}/freelancers/{cast.freelancer_id}")
    assert page.locator("h2:has-text('Recommended open jobs')").count() == 1
    page.goto(f"{live_server}/freelancers/{cast.other_freelancer_id}")
    page.wait_for_selector("h1")
    assert page.locator("h2:has-text('Recommended open jobs')").count() == 0
    refused = page.goto(f"{live_server}/talent?q=designer")  # for clients and operators
    assert refused is not None and refused.status == 403
    assert "you can't search for talent. Who can: operators and clients" in page.inner_text("main")
    assert page.locator("h1").inner_text() == "You don't have permission"
    assert page.locator(".talent-card").count() == 0
    page.close()


def test_a_client_finds_talent(browser, live_server: str, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    page = _page(browser, live_server, cast, "client-other")
    page.goto(f"{live_server}/talent?q=designer")
    assert page.locator(".talent-card").count() >= 1
    page.close()


def _attacker(html: str) -> tuple[ThreadingHTTPServer, str]:
    """A page served from another origin (a port of its own) that posts to the app."""
    body = html.encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server name)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _form(action: str, enctype: str = "multipart/form-data") -> str:
    return (
        f'<form id="f" method="post" action="{action}" enctype="{enctype}">'
        '<input name="files" value="x"></form>'
        "<script>document.getElementById('f').submit()</script>"
    )


def test_a_post_from_another_origin_is_refused(  # type: ignore[no-untyped-def]
    browser, live_server: str, live_engine: Engine, cast: Cast
) -> None:
    page = _page(browser, live_server, cast, "operator")
    jobs_before = live_engine.store.jobs.count()
    for target, enctype in (
        (f"{live_server}/api/imports", "multipart/form-data"),
        (f"{live_server}/signout", "application/x-www-form-urlencoded"),
    ):
        server, url = _attacker(_form(target, enctype))
        try:
            with page.expect_response(lambda r, t=target: r.url == t) as answer:
                page.goto(url)
            assert answer.value.status == 403, (target, answer.value.status)
        finally:
            server.shutdown()
            server.server_close()
    assert live_engine.store.jobs.count() == jobs_before
    page.goto(f"{live_server}/jobs/{cast.job_id}")  # still signed in: the sign-out was refused
    assert page.locator(".who").count() == 1

    page.route(  # another site altogether: the SameSite cookie is not sent with its POST
        "http://elsewhere.test/**",
        lambda route: route.fulfill(
            body=_form(f"{live_server}/api/imports"), content_type="text/html"
        ),
    )
    with page.expect_response(lambda r: r.url == f"{live_server}/api/imports") as answer:
        page.goto("http://elsewhere.test/")
    assert answer.value.status in (401, 403)
    assert live_engine.store.jobs.count() == jobs_before
    page.close()


def test_a_signed_in_page_posts_only_with_its_csrf_token(  # type: ignore[no-untyped-def]
    browser, live_server: str, cast: Cast
) -> None:
    page = _page(browser, live_server, cast, "client-own")
    page.goto(f"{live_server}/jobs/{cast.job_id}")
    post = """async ([jobId, token]) => {
        const headers = {"Content-Type": "application/json"};
        const meta = document.querySelector("meta[name=csrf-token]");
        if (token) headers["X-CSRF-Token"] = meta.content;
        const r = await fetch("/api/companion/sessions", {
            method: "POST", headers, body: JSON.stringify({job_id: jobId})});
        return r.status;
    }"""
    assert page.evaluate(post, [cast.job_id, False]) == 403
    assert page.evaluate(post, [cast.job_id, True]) == 201
    page.close()
