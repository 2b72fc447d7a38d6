"""Replicas: ``tandem serve`` processes over one PostgreSQL serve the same answers (issue 15).

Two replicas (one of them ``--workers 2``) run as real uvicorn servers on free ports, over one
PostgreSQL and one home's published index snapshot. A third process stores changed records
and runs ``tandem index``: both replicas switch to the new snapshot without a restart and
still answer alike. The PostgreSQL case is skipped without TANDEM_TEST_POSTGRES_URL
(``.ci/run`` starts one); the same runs over one SQLite file everywhere.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tandem.domain import Freelancer
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tandem.search import snapshots
from tests.conftest import POSTGRES_URL, make_settings
from tests.store.conftest import _fresh_postgres

pytestmark = pytest.mark.slow

_CLI = "import sys\nfrom tandem.cli import main\nsys.argv = ['tandem', *sys.argv[1:]]\nmain()\n"
#: A word no generated profile holds: found only once the re-index has published it.
_WORD = "quillwright"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _env(home: Path, url: str) -> dict[str, str]:
    path = os.pathsep.join(p for p in sys.path if p)
    return dict(
        os.environ,
        PYTHONPATH=path,
        TANDEM_HOME=str(home),
        TANDEM_DATABASE_URL=url,
        TANDEM_ENCODER="hashing",
        TANDEM_RATE_LIMIT_PER_MINUTE="0",
    )


def _wait_until_up(base: str, server: subprocess.Popen[bytes], patience: float = 120.0) -> None:
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the replica at {base} exited with {server.returncode}")
        try:
            if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"the replica at {base} did not answer within {patience:.0f} s")


@pytest.fixture(params=[pytest.param("postgresql", marks=pytest.mark.postgres), "sqlite"])
def market(
    request: pytest.FixtureRequest, tmp_path: Path, small_bundle: Path
) -> Iterator[tuple[Path, str, str]]:
    """A home and a store holding the small market, indexed; with an operator token.

    PostgreSQL is what several hosts share; one host's replicas may share a SQLite file too.
    """
    home = tmp_path / "home"
    if request.param == "sqlite":
        url = f"sqlite:///{home / 'tandem.db'}"
    elif not POSTGRES_URL:
        pytest.skip("TANDEM_TEST_POSTGRES_URL is not set (.ci/run starts a PostgreSQL 15)")
    else:
        url = _fresh_postgres(POSTGRES_URL)
    engine = Engine(make_settings(home, url), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    _, token = engine.add_user("ops", "operator")
    engine.store.close()
    yield home, url, token


@pytest.fixture
def replicas(market: tuple[Path, str, str]) -> Iterator[list[tuple[str, subprocess.Popen[bytes]]]]:
    """Two serving replicas of the market: ``--workers 2`` and a single process."""
    home, url, _ = market
    started: list[tuple[str, subprocess.Popen[bytes]]] = []
    try:
        for extra in (["--workers", "2"], []):
            port = _free_port()
            server = subprocess.Popen(
                [sys.executable, "-c", _CLI, "serve", "--port", str(port), *extra],
                env=_env(home, url),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            started.append((f"http://127.0.0.1:{port}", server))
        for base, server in started:
            _wait_until_up(base, server)
        yield started
    finally:
        for _, server in started:
            server.terminate()
        for _, server in started:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _answers(base: str, token: str, jobs: list[str]) -> list[Any]:
    """Each request's answer, less what names the request itself (its decision-log entry)."""
    headers = {"Authorization": f"Bearer {token}"}
    asked = [f"/api/jobs/{job}/matches?limit=10" for job in jobs] + [
        f"/api/search/talent?q={words}&limit=10"
        for words in ("python data pipelines", "brand designer", _WORD)
    ]
    answers = []
    for path in asked:
        answer = httpx.get(base + path, headers=headers, timeout=60)
        assert answer.status_code == 200, (path, answer.text)
        body = answer.json()
        body.pop("request_id")
        answers.append(body)
    return answers


def test_two_replicas_serve_the_same_answers_before_and_after_a_reindex(
    market: tuple[Path, str, str],
    replicas: list[tuple[str, subprocess.Popen[bytes]]],
    small_bundle: Path,
) -> None:
    home, url, token = market
    rows = (small_bundle / "jobs.jsonl").read_text(encoding="utf-8").splitlines()
    jobs = [json.loads(line)["id"] for line in rows[:4]]
    (first, _), (second, _) = replicas
    before = _answers(first, token, jobs)
    assert before == _answers(second, token, jobs)
    assert all(answer["results"] for answer in before[:-1])
    assert before[-1]["results"] == []  # nobody is a quillwright yet
    published = snapshots.current(home / "index" / "talent")

    # a third process stores changed profiles (not indexed), then re-indexes and publishes
    lines = (small_bundle / "freelancers.jsonl").read_text(encoding="utf-8").splitlines()
    people = [json.loads(line) for line in lines[:3]]
    writer = Engine(make_settings(home, url), encoder=HashingEncoder())
    try:
        for person in people:
            person["overview"] = f"{person['overview']} A {_WORD} of fine print."
            writer.store.freelancers.save(Freelancer.model_validate(person))
    finally:
        writer.store.close()
    done = subprocess.run(
        [sys.executable, "-c", _CLI, "index"],
        env=_env(home, url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert snapshots.current(home / "index" / "talent") != published

    # Each worker loads the new snapshot in the background when a request finds it published,
    # serving the old one meanwhile: the replicas converge, then answer alike, round after round
    # (a worker still on the old snapshot would answer the last search without the new word).
    deadline = time.monotonic() + 90
    alike = 0
    while alike < 3:
        assert time.monotonic() < deadline, "the replicas never converged on the new snapshot"
        after = _answers(first, token, jobs)
        same = after == _answers(second, token, jobs) and bool(after[-1]["results"])
        alike = alike + 1 if same else 0
    assert {r["freelancer_id"] for r in after[-1]["results"]} == {p["id"] for p in people}
    assert all(server.poll() is None for _, server in replicas)  # switched, not restarted
