"""Browser tests' shared parts: the app on a loopback port, Debian's Chromium via Playwright.

Each test module brings its own ``live_engine`` (what it writes stays its own); the server
and the browser are made once per module from it.
"""

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


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(live_engine: Engine) -> Iterator[str]:
    """The app on a real loopback port, in a background thread."""
    port = free_port()
    config = uvicorn.Config(
        create_app(engine=live_engine), host="127.0.0.1", port=port, log_level="warning"
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


def shot(page, name: str, width: int) -> None:  # type: ignore[no-untyped-def]
    """Keep a screenshot of this step as ``NAME-WIDTH.png`` in ``$TANDEM_SCREENSHOTS``.

    The docs' screenshots are made this way (``make screenshots``); unset, as in every
    ordinary test run, it costs nothing.
    """
    where = os.environ.get("TANDEM_SCREENSHOTS")
    if where:
        path = Path(where) / f"{name}-{width}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path))
        _shrink(path)


def _shrink(path: Path) -> None:
    """256 colours, no dithering: a UI screenshot looks the same in about 40% of the bytes.

    Needs Pillow (``make screenshots`` installs it); without it the PNG stays as taken.
    """
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as taken:
        small = taken.convert("RGB").quantize(
            256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    small.save(path, optimize=True)


def signed_in_page(browser, live_server: str, token: str, **size: int):  # type: ignore[no-untyped-def]
    """A new browser context and page, signed in with ``token`` through the sign-in form."""
    page = browser.new_page(viewport=size or None)
    page.goto(f"{live_server}/signin")
    page.fill("input[name=token]", token)
    page.click("form[action='/signin'] button[type=submit]")
    page.wait_for_url("**/")
    return page
