"""Companion benchmark: draft-job field accuracy on the labelled requests, and latency.

Run: ``python bench/bench_companion.py`` (default deterministic backend). The labelled set
(``bench/data/companion_requests.jsonl``, written by the project) follows these conventions:
one amount gives min = max (unless "up to" / "at least"); a currency only when the text names
one; hourly on a per-hour cue, fixed on a total/fixed cue or an amount of 250 or more without a
cue, otherwise null (per word, per video: null); months are 4.345 weeks, a range takes its
upper end; skills list what the post must include (a subset check).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from tandem.companion import draft_job
from tandem.engine import Engine
from tandem.settings import Settings

DATA = Path(__file__).parent / "data" / "companion_requests.jsonl"
FIELDS = (
    "budget_type",
    "budget_min",
    "budget_max",
    "currency",
    "duration_weeks",
    "experience_level",
    "skills",
    "no_pii",
)


def _same_number(a: Any, b: Any, tolerance: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=tolerance)


def check(draft: dict[str, Any], expected: dict[str, Any], banned: list[str]) -> dict[str, bool]:
    """Which fields of one draft are right."""
    out = {k: draft[k] == expected[k] for k in ("budget_type", "currency", "experience_level")}
    out["budget_min"] = _same_number(draft["budget_min"], expected["budget_min"], 1e-6)
    out["budget_max"] = _same_number(draft["budget_max"], expected["budget_max"], 1e-6)
    out["duration_weeks"] = _same_number(draft["duration_weeks"], expected["duration_weeks"], 0.15)
    out["skills"] = set(expected["skills"]) <= set(draft["skills"])
    text = json.dumps(draft, ensure_ascii=False)
    out["no_pii"] = not any(b in text for b in banned)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--encoder", default="minilm")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines()]
    engine = Engine(
        Settings(home=Path(tempfile.mkdtemp(prefix="tandem-companion-")), encoder=args.encoder)
    )
    draft_job(engine, "warm up: a Python developer for 3 weeks, $40/hr")
    right = dict.fromkeys(FIELDS, 0)
    perfect = 0
    times = []
    for row in rows:
        start = time.perf_counter()
        draft = draft_job(engine, row["text"]).as_dict()
        times.append((time.perf_counter() - start) * 1000)
        result = check(draft, row["expected"], row["must_not_appear"])
        for field, ok in result.items():
            right[field] += ok
            if not ok and args.show_misses:
                got = draft.get(field) if field != "no_pii" else "leak"
                print(
                    f"{row['id']} {field}: got {got!r}, want {row['expected'].get(field)!r}"
                    f"  <- {row['text'][:70]}"
                )
        perfect += all(result.values())
    n = len(rows)
    print(f"\n## Companion draft-job ({n} labelled requests, encoder {args.encoder})\n")
    print("| field | accuracy |\n|---|---|")
    for field in FIELDS:
        print(f"| {field} | {100 * right[field] / n:.1f}% |")
    print(f"| all fields of a request right | {100 * perfect / n:.1f}% |")
    print(
        f"\nLatency: p50 {statistics.median(times):.1f} ms, "
        f"p95 {sorted(times)[int(0.95 * (n - 1))]:.1f} ms (warm, in-process)"
    )


if __name__ == "__main__":
    main()
