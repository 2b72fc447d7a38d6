"""`tandem serve` logs request lines without their query strings (search words, names)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tandem.api.accesslog import without_query


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_the_query_string_is_cut_and_marked() -> None:
    assert without_query("/api/search/talent?q=Jane+Doe&top=5") == "/api/search/talent?[redacted]"
    assert without_query("/api/health") == "/api/health"


def test_a_served_search_leaves_no_words_in_the_server_log(tmp_path: Path) -> None:
    port = _free_port()
    env = dict(
        os.environ,
        TANDEM_HOME=str(tmp_path / "home"),
        TANDEM_ENCODER="hashing",
        PYTHONPATH=os.pathsep.join(p for p in sys.path if p),
    )
    log = tmp_path / "server.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from tandem.cli import app; app()",
                "serve",
                "--port",
                str(port),
                "--host",
                "127.0.0.1",
            ],  # fmt: skip
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    if _get(f"{base}/api/health") == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            else:
                raise AssertionError(log.read_text())
            _get(f"{base}/api/search/talent?q=Zephyrine+Quillfeather&top=3")
            _get(f"{base}/api/search/jobs?q=zephyrine.q%40example.org")
            time.sleep(0.5)
        finally:
            server.terminate()
            server.wait(timeout=20)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "GET /api/search/talent?[redacted] HTTP/1.1" in text, text
    assert "GET /api/health HTTP/1.1" in text
    assert "Zephyrine" not in text and "zephyrine" not in text
