"""``tandem bench serve``: latency of the served path on the current home, as a server sees it.

The requests go through the HTTP API as ``tandem serve`` mounts it (the real app: sign-in,
access rules, the engine, the decision log written for every ranking), in this process, so
what is measured is Tandem and not a network. It signs in as a temporary operator user
(``bench-...``), revoked when the run ends; the rankings it serves are logged like any other.
The rate limit is off for the run (it would measure the limit, not the path).
"""

from __future__ import annotations

import resource
import secrets
import statistics
import time
from typing import Annotated, Any

import typer

from tandem.cli.common import app, err, fail, open_engine, print_json
from tandem.errors import TandemError, ValidationError

bench_app = typer.Typer(help="Measure the current home's served path.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")

#: Requests per kind made before timing starts (models load, caches fill: a server's first).
WARM_UP = 3


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation (as numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    at = (len(ordered) - 1) * q / 100
    low = int(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def _timed(client: Any, path: str, params: dict[str, Any], headers: dict[str, str]) -> float:
    start = time.perf_counter()
    response = client.get(path, params=params, headers=headers)
    spent = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}: {response.text[:200]}")
    return spent


@bench_app.command("serve")
def serve(
    queries: Annotated[int, typer.Option(min=1, help="Matches and searches to time, each.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Time served matches and talent searches (top 10, through the API); p50/p95 and RSS."""
    from fastapi.testclient import TestClient

    from tandem.api import create_app

    try:
        engine = open_engine()
        settings = engine.settings.model_copy(update={"rate_limit_per_minute": 0})
        jobs = [j for j in engine.store.jobs.iter_all() if j.status == "open"][:queries]
        if not jobs:
            raise ValidationError("the current home has no open jobs to match (tandem import)")
        user, token = engine.add_user(f"bench-{secrets.token_hex(4)}", "operator")
    except TandemError as exc:
        fail(exc)
        return
    headers = {"Authorization": f"Bearer {token}"}
    spent: dict[str, list[float]] = {"match": [], "search": []}
    try:
        with TestClient(create_app(settings, engine=engine)) as client:
            for n in range(WARM_UP + queries):
                job = jobs[n % len(jobs)]
                match = _timed(client, f"/api/jobs/{job.id}/matches", {"limit": 10}, headers)
                words = {"q": job.title, "limit": 10}
                search = _timed(client, "/api/search/talent", words, headers)
                if n >= WARM_UP:
                    spent["match"].append(match)
                    spent["search"].append(search)
    except RuntimeError as exc:  # a request that did not answer 200: what it said
        err.print(f"[bold red]error:[/] {exc}", highlight=False)
        raise typer.Exit(code=1) from exc
    finally:
        engine.revoke_user(user.id)
    result = {
        "match_p50_ms": round(percentile(spent["match"], 50), 2),
        "match_p95_ms": round(percentile(spent["match"], 95), 2),
        "search_p50_ms": round(percentile(spent["search"], 50), 2),
        "search_p95_ms": round(percentile(spent["search"], 95), 2),
        "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if as_json:
        print_json(result)
        return
    for name, value in result.items():
        typer.echo(f"{name}: {value}")
    typer.echo(f"({queries} of each, median match {statistics.median(spent['match']):.1f} ms)")
