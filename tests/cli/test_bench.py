"""``tandem bench serve``: the exact JSON contract, measured on the served path (logged)."""

import json
import random
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from tandem.cli import app
from tandem.cli.bench import WARM_UP, percentile
from tandem.engine import Engine
from tandem.settings import Settings

runner = CliRunner()


def test_bench_serve_prints_exactly_the_contract_and_logs_what_it_served(home: Path) -> None:
    bundle = home / "market"
    made = runner.invoke(app, ["generate", str(bundle), "--freelancers", "60", "--jobs", "20"])
    assert made.exit_code == 0
    assert runner.invoke(app, ["import", str(bundle)]).exit_code == 0
    result = runner.invoke(app, ["bench", "serve", "--queries", "4", "--json"])
    assert result.exit_code == 0, result.output
    numbers = json.loads(result.stdout)
    assert list(numbers) == [
        "match_p50_ms",
        "match_p95_ms",
        "search_p50_ms",
        "search_p95_ms",
        "rss_mb",
    ]
    assert all(isinstance(v, float) and v > 0 for v in numbers.values())
    assert numbers["match_p50_ms"] <= numbers["match_p95_ms"]
    engine = Engine(Settings())  # the home of the env (the hashing encoder)
    served = engine.store.decisions.recent(limit=100)
    assert sum(d.kind == "match" for d in served) == WARM_UP + 4  # through the logged path
    assert sum(d.kind == "search_talent" for d in served) == WARM_UP + 4
    benchers = [u for u in engine.users() if u.name.startswith("bench-")]
    assert len(benchers) == 1 and benchers[0].revoked_at is not None


def test_bench_serve_on_an_empty_home_says_why(home: Path) -> None:
    result = runner.invoke(app, ["bench", "serve", "--queries", "2", "--json"])
    assert result.exit_code == 2 and "no open jobs" in result.output


def test_percentiles_agree_with_numpy() -> None:
    rng = random.Random(2)
    for size in (1, 2, 7, 100):
        values = [rng.random() * 100 for _ in range(size)]
        for q in (50, 95):
            assert abs(percentile(values, q) - float(np.percentile(values, q))) < 1e-9
