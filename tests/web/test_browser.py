"""Drive Debian's Chromium through search -> job -> matches, and keep a screenshot."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from tandem.api import create_app
from tandem.engine import Engine

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(loaded_engine: Engine) -> Iterator[str]:
    """The app on a real loopback port, in a background thread."""
    port = _free_port()
    config = uvicorn.Config(
        create_app(engine=loaded_engine), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("TANDEM_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (.ci/run installs Debian's chromium)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


def test_search_job_matches_flow(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1200, "height": 1400})
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
    assert "Covers" in cards.first.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "job-matches.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    page.click(".tabs a:has-text('Applicants')")
    page.wait_for_url("**candidates=proposals")
    page.goto(f"{live_server}/talent?q=designer&available=1")
    assert page.locator(".talent-card").count() >= 1
    page.close()
