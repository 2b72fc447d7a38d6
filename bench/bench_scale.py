"""Scale benchmark (issue 15): what an import, one API write and one served ranking cost as the
store grows.

Run: ``python bench/bench_scale.py --sizes 1000 10000`` (hashing encoder by default: the cost
measured here is the store's and the indexes', not the encoder's; ``--encoder minilm`` for the
real one). Every ratio is against the smallest size of the same run.

- import: ``tandem import BUNDLE`` (validate, store, read skills, embed, index) in a child
  process of its own, so its peak RSS (the child's ``ru_maxrss``) is that size's alone.
  Throughput is the bundle's records (every line of every file) per second of wall time and per
  second of CPU time (user + system): on a shared machine the wall time measures the neighbours
  too. ``--import-only`` skips the two sections below (they hold the whole market in this
  process).

- single write: ``save_freelancer`` through the engine (one record journalled), against the
  path it replaced (store the record, then a full ``sync_indexes``), median ms per write.
- decision log: bytes per served ranking (top 10 matches and talent searches) as stored (format
  2) and as the same entries took in format 1 (plain JSON), measured on the rows written.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from tandem.bundle import Generator, VocabSkill
from tandem.domain import Freelancer
from tandem.engine import Engine, TalentQuery
from tandem.settings import Settings
from tandem.skills.taxonomy import builtin_skills
from tandem.store import logcodec
from tandem.store.db import json_param, load_json


def median_ms(fn: Callable[[int], object], times: int) -> float:
    """The median wall time of ``fn(i)`` over ``times`` calls, in ms."""
    spent = []
    for i in range(times):
        start = time.perf_counter()
        fn(i)
        spent.append((time.perf_counter() - start) * 1000)
    return statistics.median(spent)


class Imported(NamedTuple):
    """One ``tandem import`` run: the bundle's records, wall and CPU seconds, peak RSS."""

    records: int
    wall_s: float
    cpu_s: float
    peak_mb: float


def import_in_child(bundle: Path, home: Path, encoder: str) -> Imported:
    """``tandem import bundle`` in a child process; its own rusage (``os.wait4``), not ours."""
    records = sum(1 for f in bundle.glob("*.jsonl") for line in f.open("rb") if line.strip())
    env = {**os.environ, "TANDEM_HOME": str(home), "TANDEM_ENCODER": encoder}
    command = [sys.executable, "-c", _CLI, "import", str(bundle)]
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    errors = child.stderr.read()  # read before waiting: a full pipe would stall the child
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"tandem import failed ({child.returncode}):\n{errors.decode()[-2000:]}")
    return Imported(records, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


#: The ``tandem`` command, run by this interpreter (whatever is on PATH).
_CLI = "import sys; from tandem.cli import main; sys.argv[0] = 'tandem'; sys.exit(main())"


def market(root: Path, people: int, encoder: str, seed: int) -> Imported:
    """A generated market of ``people`` freelancers (and a tenth as many jobs), imported."""
    vocab = [VocabSkill(s.name, s.category, s.group, s.aliases) for s in builtin_skills()]
    Generator(vocab, seed=seed).write(root / "bundle", people, max(people // 10, 20))
    return import_in_child(root / "bundle", root / "home", encoder)


def single_writes(engine: Engine, writes: int) -> tuple[float, float]:
    """Median ms of a single write now, and of the full-sync path it replaced."""
    people: list[Freelancer] = list(engine.store.freelancers.iter_all(batch=writes * 2))
    people = people[: writes * 2]

    def journalled(i: int) -> None:
        engine.save_freelancer(people[i].model_copy(update={"title": f"journalled edit {i}"}))

    def full_sync(i: int) -> None:
        person = people[writes + i].model_copy(update={"title": f"synced edit {i}"})
        engine.store.freelancers.save(person)
        engine.sync_indexes()

    journalled(0)  # warm the skill reader and encoder: once per process, whatever N is
    return median_ms(journalled, writes), median_ms(full_sync, max(writes // 4, 3))


def log_bytes(engine: Engine, rankings: int) -> dict[str, tuple[float, float]]:
    """Per kind: mean bytes of a logged top-10 ranking in format 1 and as stored (format 2)."""
    jobs = list(engine.store.jobs.iter_all())[:rankings]
    for job in jobs:
        engine.serve_match(job.id, top=10)
        engine.serve_search_talent(TalentQuery(job.title, top=10))
    out: dict[str, tuple[float, float]] = {}
    for kind in ("match", "search_talent"):
        rows = engine.store.db.fetchall("SELECT payload FROM decisions WHERE kind = ?", [kind])
        stored = [json_param(load_json(p)) for (p,) in rows]
        plain = [json_param(logcodec.unpack(load_json(p))) for (p,) in rows]
        out[kind] = (
            statistics.mean(len(p.encode()) for p in plain),
            statistics.mean(len(p.encode()) for p in stored),
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--writes", type=int, default=20)
    parser.add_argument("--encoder", default="hashing")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rankings", type=int, default=20, help="Served per kind, per size.")
    parser.add_argument("--import-only", action="store_true", help="Only the import table.")
    args = parser.parse_args()
    first: Imported | None = None
    rows = []
    logs = []
    print_import_header(args.encoder, args.seed)
    for people in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"tandem-scale-{people}-") as tmp:
            run = market(Path(tmp), people, args.encoder, args.seed)
            first = first or run
            print_import_row(people, run, first)
            if args.import_only:
                continue
            engine = Engine(Settings(home=Path(tmp) / "home", encoder=args.encoder))
            rows.append((people, *single_writes(engine, args.writes)))
            logs.append((people, log_bytes(engine, args.rankings)))
            engine.store.close()
    if not args.import_only:
        print_serving(rows, logs, args)


def print_import_header(encoder: str, seed: int) -> None:
    """The import table's title and header (rows follow as each size finishes)."""
    print(f"## import: tandem import ({encoder} encoder, generated market seed {seed})\n")
    print(
        "| freelancers | records | wall s | records/s (wall) | ratio | records/s (CPU) | ratio "
        "| peak RSS MB | ratio |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|", flush=True)


def print_import_row(people: int, run: Imported, first: Imported) -> None:
    """One size's import row; ratios against ``first`` (the smallest size of the run)."""
    wall, cpu = run.records / run.wall_s, run.records / run.cpu_s
    print(
        f"| {people} | {run.records} | {run.wall_s:.1f} | {wall:.0f} "
        f"| {wall / (first.records / first.wall_s):.2f} | {cpu:.0f} "
        f"| {cpu / (first.records / first.cpu_s):.2f} | {run.peak_mb:.0f} "
        f"| {run.peak_mb / first.peak_mb:.2f} |",
        flush=True,
    )


def print_serving(
    rows: list[tuple[int, float, float]],
    logs: list[tuple[int, dict[str, tuple[float, float]]]],
    args: argparse.Namespace,
) -> None:
    """The single-write and decision-log tables."""
    base = rows[0]
    print(f"\n## single-record write ({args.encoder} encoder, generated market seed {args.seed})\n")
    print("| freelancers | write ms (journalled) | ratio | write ms (full sync, before) | ratio |")
    print("|---:|---:|---:|---:|---:|")
    for people, new, old in rows:
        print(f"| {people} | {new:.1f} | {new / base[1]:.2f} | {old:.1f} | {old / base[2]:.2f} |")
    print(f"\n## decision log, bytes per served top-10 ranking ({args.rankings} per kind)\n")
    print("| freelancers | kind | format 1 (before) | format 2 (stored) | before / after |")
    print("|---:|---|---:|---:|---:|")
    for people, kinds in logs:
        for kind, (plain, packed) in kinds.items():
            print(f"| {people} | {kind} | {plain:,.0f} | {packed:,.0f} | {plain / packed:.1f}x |")


if __name__ == "__main__":
    main()
