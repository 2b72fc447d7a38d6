"""Cold start of the CLI: each light command timed as a whole process, per encoder.

Run: ``python bench/bench_coldstart.py`` (2,000 freelancers / 1,000 jobs; encoders
``minilm-torch`` then ``minilm``, the default). Per encoder it builds a market with
``tandem generate`` + ``tandem import`` into a fresh ``TANDEM_HOME``, then runs every light
command once to warm the disk cache and five more times, and prints the median wall time of
each (process start, imports, loading the encoder and indexes, the answer, exit), and the
median CPU time (user + system) of the same runs: on a shared machine wall time also counts
waiting for a core, CPU time does not.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 1.5
TANDEM = str(Path(sys.executable).with_name("tandem"))


def light_commands(request_id: str, freelancer_id: str) -> dict[str, list[str]]:
    """The commands a person runs interactively (not import, train, eval)."""
    return {
        "--help": ["--help"],
        "search talent": ["search", "talent", "python developer for a REST API", "--top", "10"],
        "search jobs": ["search", "jobs", "logo and brand design", "--top", "10"],
        "match": ["match", "j000001", "--top", "10"],
        "recommend": ["recommend", "f000001", "--top", "10"],
        "companion draft-job": [
            "companion",
            "draft-job",
            "I need a React developer to build a dashboard, 3 weeks, budget $900",
        ],
        "skills extract (builtin)": [
            "skills",
            "extract",
            "Backend engineer: I build REST APIs in Django and deploy them on AWS.",
            "--taxonomy",
            "builtin",
        ],
        "why": ["why", request_id, freelancer_id],
        "models list": ["models", "list"],
    }


def run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one ``tandem ARGS`` process (it must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([TANDEM, *args], env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"tandem {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, cpu


def build(root: Path, bundle: Path, encoder: str) -> tuple[dict[str, str], float]:
    """A home with the market imported by ``encoder``; its env and the import's wall time."""
    env = dict(os.environ, TANDEM_HOME=str(root / f"home-{encoder}"), TANDEM_ENCODER=encoder)
    return env, run(["import", str(bundle)], env)[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--freelancers", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--encoders", nargs="+", default=["minilm-torch", "minilm"])
    parser.add_argument(
        "--root",
        type=Path,
        help="keep the market here and reuse it if it is already built (build while the "
        "machine is busy, time when it is quiet); default: a new temporary folder",
    )
    parser.add_argument("--build-only", action="store_true", help="build the market, time nothing")
    args = parser.parse_args()
    root = args.root or Path(tempfile.mkdtemp(prefix="tandem-coldstart-"))
    bundle = root / "bundle"
    env = dict(os.environ, TANDEM_HOME=str(root / "scratch"))
    size = ["--freelancers", str(args.freelancers), "--jobs", str(args.jobs)]
    if not (bundle / "freelancers.jsonl").exists():
        run(["generate", str(bundle), *size], env)
    medians: dict[str, dict[str, tuple[float, float]]] = {}
    imports: dict[str, float] = {}
    for encoder in args.encoders:
        built = root / f"home-{encoder}" / "built"
        if built.exists():
            env = dict(os.environ, TANDEM_HOME=str(built.parent), TANDEM_ENCODER=encoder)
            imports[encoder] = float(built.read_text())
        else:
            env, imports[encoder] = build(root, bundle, encoder)
            built.write_text(f"{imports[encoder]:.1f}")
        if args.build_only:
            continue
        served = subprocess.run(
            [TANDEM, "match", "j000002", "--top", "3", "--json"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        payload = json.loads(served.stdout)
        commands = light_commands(payload["request_id"], payload["results"][0]["freelancer_id"])
        medians[encoder] = {}
        for name, command in commands.items():
            run(command, env)  # warm the disk cache (and any one-off export)
            times = [run(command, env) for _ in range(args.runs)]
            wall = statistics.median(t[0] for t in times)
            cpu = statistics.median(t[1] for t in times)
            medians[encoder][name] = (wall, cpu)
            print(f"{encoder:>14} {name:<26} {wall:.2f} s (cpu {cpu:.2f} s)", file=sys.stderr)
    if medians:
        report(medians, imports, args)


def report(
    medians: dict[str, dict[str, tuple[float, float]]],
    imports: dict[str, float],
    args: argparse.Namespace,
) -> None:
    """The markdown table: wall (CPU) seconds per command and encoder, and the target."""
    encoders = list(medians)
    print(
        f"\n## CLI cold start ({args.freelancers:,} freelancers / {args.jobs:,} jobs, "
        f"median of {args.runs} processes after one warm-up)\n"
    )
    print("| command | " + " | ".join(f"`{e}` wall (cpu) s" for e in encoders) + " | target |")
    print("|---|" + "---|" * len(encoders) + "---|")
    for name in medians[encoders[0]]:
        cells = " | ".join(
            f"{medians[e][name][0]:.2f} ({medians[e][name][1]:.2f})" for e in encoders
        )
        ok = medians[encoders[-1]][name][0] < TARGET_S
        print(f"| {name} | {cells} | < {TARGET_S} s: {'met' if ok else 'MISSED'} |")
    cells = " | ".join(f"{imports[e]:.0f}" for e in encoders)
    print(f"| (once: import + index the market) | {cells} | |")


if __name__ == "__main__":
    main()
