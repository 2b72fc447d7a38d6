"""Scale benchmark (issue 15): what one API write and one served ranking cost as the store grows.

Run: ``python bench/bench_scale.py --sizes 1000 10000`` (hashing encoder by default: the cost
measured here is the store's and the indexes', not the encoder's; ``--encoder minilm`` for the
real one). Every ratio is against the smallest size of the same run.

- single write: ``save_freelancer`` through the engine (one record journalled), against the
  path it replaced (store the record, then a full ``sync_indexes``), median ms per write.
- decision log: bytes per served ranking (top 10 matches and talent searches) as stored (format
  2) and as the same entries took in format 1 (plain JSON), measured on the rows written.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

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


def market(root: Path, people: int, encoder: str, seed: int) -> Engine:
    """A generated market of ``people`` freelancers (and a tenth as many jobs), imported."""
    vocab = [VocabSkill(s.name, s.category, s.group, s.aliases) for s in builtin_skills()]
    Generator(vocab, seed=seed).write(root / "bundle", people, max(people // 10, 20))
    engine = Engine(Settings(home=root / "home", encoder=encoder))
    engine.import_bundle(root / "bundle")
    return engine


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
    args = parser.parse_args()
    rows = []
    logs = []
    for people in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"tandem-scale-{people}-") as tmp:
            engine = market(Path(tmp), people, args.encoder, args.seed)
            rows.append((people, *single_writes(engine, args.writes)))
            logs.append((people, log_bytes(engine, args.rankings)))
            engine.store.close()
    base = rows[0]
    print(f"## single-record write ({args.encoder} encoder, generated market seed {args.seed})\n")
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
