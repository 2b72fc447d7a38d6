"""Purge benchmark (issue 15): what deleting the oldest month of the decision log costs.

Run: ``python bench/bench_purge.py --entries 300000 --postgres postgresql://...`` (``--compare-src
/path/to/other/src`` also runs the same measurement against another checkout's code, e.g. the
one before a change, and prints the ratios). Each measurement runs in a child process whose
``PYTHONPATH`` picks the code under test, on a copy of one seed log:

- the seed: ``--entries`` served rankings spread evenly over ``--months`` months, a mix of
  matches (60%), talent searches (25%) and recommendations (15%), each with ``--candidates``
  candidate ids drawn from 20,000 freelancers (or 5,000 jobs) and a top 10 with three reasons
  per result, hash-chained and keyed exactly as :meth:`DecisionLog.record` does (the chain is
  computed here with :mod:`tandem.store.ledger`, then bulk-inserted). It is written once at
  schema 0010 (the last before the purge index) and cached beside ``--work``; a PostgreSQL
  copy is made from it with ``COPY``. Synthetic: the ids and texts are generated, not served.
- per run: ``migrate`` (the code's own migrations from 0010 up, timed: it carries the seed's
  entries over), ``verify``, then ``purge_before(start of month 2)`` while a second thread
  appends one entry every 20 ms; reported are the purge's wall time, the longest an append
  waited meanwhile (what serving feels: every served ranking appends), the median append
  before the purge, the database compaction a purge runs after (``scrub``), and ``verify``
  after the purge (it must still hold).
- ``--cycles N`` (SQLite): then N months of steady state: append a month's entries
  (``--entries / --months``, through :meth:`DecisionLog.record`), purge the oldest month, and
  compact as ``--compaction`` says: ``vacuum`` (the full ``VACUUM`` of ``scrub``, what
  ``tandem purge --compact`` runs) or ``none`` (``PRAGMA secure_delete`` during the purge's
  deletes, then a WAL checkpoint that truncates it, no rewrite: what ``tandem purge`` runs).
  Reported per cycle: the file's size (database + WAL) after it, what the compaction took,
  and how many of the purged month's request ids are still readable in the file's bytes
  (what a full ``VACUUM`` was there to prevent), and before the purge (all: the check sees).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

START = datetime(2026, 1, 1, tzinfo=UTC)
KINDS = (("match", 0.60), ("search_talent", 0.25), ("recommend", 0.15))
WORDS = [
    "python",
    "django",
    "react",
    "data",
    "analyst",
    "copywriter",
    "figma",
    "sql",
    "etl",
    "devops",
    "rust",
    "go",
]


# -- the seed log ------------------------------------------------------------------------------


def _payload(rng: random.Random, kind: str, n: int, candidates: int) -> tuple[str, dict[str, Any]]:
    """One entry's subject and payload (request, sorted candidates, top 10 with reasons)."""
    if kind == "recommend":
        subject = f"f{rng.randrange(20000):06d}"
        pool = [f"j{i:06d}" for i in rng.sample(range(5000), candidates)]
        request: dict[str, Any] = {"freelancer_id": subject, "top": 10}
    elif kind == "match":
        subject = f"j{rng.randrange(5000):06d}"
        pool = [f"f{i:06d}" for i in rng.sample(range(20000), candidates)]
        request = {"job_id": subject, "top": 10}
    else:
        words = rng.sample(WORDS, 3)
        subject = " ".join(words)
        pool = [f"f{i:06d}" for i in rng.sample(range(20000), candidates)]
        request = {"text": subject, "skills": words[:2], "top": 10}
    results = [
        {
            "id": who,
            "rank": rank,
            "score": round(0.95 - rank / 40 - rng.random() / 100, 6),
            "reasons": [
                {
                    "code": code,
                    "text": f"{code.replace('_', ' ')} {rng.choice(WORDS)} ({n % 97})",
                    "kind": "positive",
                    "contribution": round(rng.random() / 5, 4),
                    "evidence": [f"skills.{rng.choice(WORDS)}"],
                }
                for code in ("skill_coverage", "semantic_fit", "rate_fit")
            ],
        }
        for rank, who in enumerate(pool[:10], start=1)
    ]
    return subject, {"request": request, "candidates": sorted(pool), "results": results}


def build_seed(path: Path, entries: int, months: int, candidates: int) -> None:
    """Write the seed log at schema 0010 (chained and keyed as ``record`` would)."""
    from alembic import command
    from sqlalchemy import create_engine

    from tandem.store import ledger, logcodec
    from tandem.store.db import alembic_config, json_param
    from tandem.store.decisions import entry_of

    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{tmp}")
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0010")
    engine.dispose()
    rng = random.Random(15)
    span = (_month(months) - START) / entries
    keys: dict[str, bytes] = {}
    head, rows = ledger.GENESIS, []
    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA journal_mode=WAL")
    names, weights = zip(*KINDS, strict=True)
    for n in range(1, entries + 1):
        kind = rng.choices(names, weights)[0]
        subject, payload = _payload(rng, kind, n, candidates)
        ts = (START + span * (n - 1)).strftime("%Y-%m-%d %H:%M:%S.%f")
        actor = f"u{rng.randrange(300):03d}"
        row = (
            f"r{n:09d}",
            ts,
            actor,
            "api",
            kind,
            subject,
            "ltr-1",
            json_param(logcodec.pack(payload)),
        )
        entry = entry_of(row)
        for name in ledger.keys_needed(entry):
            if name not in keys:
                keys[name] = os.urandom(16)
        link = ledger.entry_hash(head, ledger.hashed_form(entry, keys))
        rows.append((*row, n, head, link))
        head = link
        if len(rows) == 5000 or n == entries:
            conn.executemany(
                "INSERT INTO decisions (request_id, ts, actor, surface, kind, subject, "
                "model_version, payload, seq, prev_hash, entry_hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            conn.commit()
            rows = []
    conn.executemany(
        "INSERT INTO log_keys (name, key) VALUES (?, ?)", [(k, v.hex()) for k, v in keys.items()]
    )
    conn.execute(
        "UPDATE log_chain SET base_seq = 0, base_hash = ?, head_seq = ?, head_hash = ? "
        "WHERE id = 1",
        (ledger.GENESIS, entries, head),
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    tmp.replace(path)


def _month(k: int) -> datetime:
    """The first instant of month ``k`` after ``START`` (0 is ``START``)."""
    year, month = divmod(START.month - 1 + k, 12)
    return START.replace(year=START.year + year, month=month + 1)


# -- one measurement (run in a child process, on the code its PYTHONPATH holds) ----------------


def _copy_to_postgres(seed: Path, url: str) -> None:
    """Empty the PostgreSQL database, bring it to 0010 and COPY the seed's log into it."""
    import psycopg
    from alembic import command
    from sqlalchemy import create_engine

    from tandem.store.db import TABLES, alembic_config, read_ts

    with psycopg.connect(url, autocommit=True) as conn:
        for table in [*TABLES, "alembic_version"]:
            conn.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
    engine = create_engine("postgresql+psycopg://" + url.split("://", 1)[1])
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0010")
    engine.dispose()
    source = sqlite3.connect(seed)
    columns = (
        "request_id, ts, actor, surface, kind, subject, model_version, payload, seq, "
        "prev_hash, entry_hash"
    )
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY decisions ({columns}) FROM STDIN") as copy:
            for row in source.execute(f"SELECT {columns} FROM decisions ORDER BY seq"):
                copy.write_row((row[0], read_ts(row[1]), *row[2:]))
        with cur.copy("COPY log_keys (name, key) FROM STDIN") as copy:
            for row in source.execute("SELECT name, key FROM log_keys"):
                copy.write_row(row)
        cur.execute(
            "UPDATE log_chain SET base_seq = %s, base_hash = %s, head_seq = %s, head_hash = %s "
            "WHERE id = 1",
            source.execute(
                "SELECT base_seq, base_hash, head_seq, head_hash FROM log_chain"
            ).fetchone(),
        )
        conn.commit()
    source.close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def _appended(n: int, candidates: int) -> Any:
    """A served match as the live appends during a measurement log it (seed-shaped)."""
    from tandem.domain import Decision

    rng = random.Random(n)
    subject, payload = _payload(rng, "match", n, candidates)
    return Decision.model_validate(
        {
            "request_id": f"live{n:07d}",
            "ts": datetime.now(UTC),
            "actor": f"u{n % 300:03d}",
            "kind": "match",
            "subject": subject,
            "model_version": "ltr-1",
            **payload,
        }
    )


def measure(
    seed: Path,
    backend: str,
    url: str | None,
    work: Path,
    months: int,
    candidates: int,
    verify: bool,
    cycles: int = 0,
    compaction: str = "vacuum",
) -> dict[str, Any]:
    """Migrate a copy of the seed, then purge its first month under a steady append load."""
    from tandem.errors import StoreBusyError
    from tandem.store import Store, migrate, open_database

    if backend == "sqlite":
        copy = work / "purge.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(seed, copy)
        url = f"sqlite:///{copy}"
    else:
        assert url is not None
        _copy_to_postgres(seed, url)
    db = open_database(url)
    took: dict[str, Any] = {}
    t = time.perf_counter()
    migrate(db)
    took["migrate_s"] = time.perf_counter() - t
    store = Store(db)
    entries = int(db.scalar("SELECT COUNT(*) FROM decisions") or 0)
    if verify:
        t = time.perf_counter()
        check = store.decisions.verify()
        took["verify_s"] = time.perf_counter() - t
        assert check.ok, check.problem
    calm = []
    for n in range(400):
        live = _appended(n, candidates)
        t = time.perf_counter()
        store.decisions.record(live)
        calm.append(time.perf_counter() - t)
    took["append_p50_ms"] = statistics.median(calm) * 1000
    took["append_p95_ms"] = statistics.quantiles(calm, n=20)[-1] * 1000
    waits: list[float] = []
    failed: list[int] = []
    done = threading.Event()

    def appender() -> None:
        n = 400
        while not done.is_set():
            live = _appended(n, candidates)
            t0 = time.perf_counter()
            try:
                store.decisions.record(live)
            except StoreBusyError:  # SQLite's 30 s busy timeout ran out: a failed request
                failed.append(n)
            waits.append(time.perf_counter() - t0)
            n += 1
            time.sleep(0.02)

    thread = threading.Thread(target=appender)
    thread.start()
    time.sleep(0.2)
    t = time.perf_counter()
    deleted, keys = store.decisions.purge_before(_month(1))
    took["purge_s"] = time.perf_counter() - t
    time.sleep(0.2)
    done.set()
    thread.join()
    took["append_max_wait_ms"] = max(waits) * 1000
    took["appends_failed"] = len(failed)
    t = time.perf_counter()
    store.privacy.scrub(["decisions", "log_keys"])
    took["scrub_s"] = time.perf_counter() - t
    took["file_mb_after_scrub"] = _file_mb(copy) if backend == "sqlite" else 0.0
    if cycles and backend == "sqlite":
        took["cycles"] = _cycles(store, copy, cycles, entries // months, candidates, compaction)
    if verify:
        t = time.perf_counter()
        after = store.decisions.verify()
        took["verify_after_s"] = time.perf_counter() - t
        assert after.ok, after.problem
    db.close()
    return took | {"entries": entries, "deleted": deleted, "keys_deleted": keys, "months": months}


def _file_mb(path: Path) -> float:
    """The SQLite database's size on disk with its WAL, in MB."""
    wal = Path(f"{path}-wal")
    return (path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)) / 1e6


def _residue(path: Path, request_ids: list[str]) -> int:
    """How many of ``request_ids`` can still be read in the database file's bytes."""
    data = path.read_bytes()
    wal = Path(f"{path}-wal")
    if wal.exists():
        data += wal.read_bytes()
    return sum(1 for rid in request_ids if rid.encode("ascii") in data)


def _cycles(
    store: Any, path: Path, cycles: int, per_month: int, candidates: int, compaction: str
) -> list[dict[str, float]]:
    """Months of steady state: append a month, purge the oldest, compact (see the docstring)."""
    db = store.db
    out = []
    for c in range(1, cycles + 1):
        for n in range(per_month):
            late = _appended(100_000 * c + n, candidates)
            store.decisions.record(late.model_copy(update={"ts": _month(12 + c)}))
        purged = [
            str(r[0])
            for r in db.fetchall(
                "SELECT request_id FROM decisions WHERE ts < ? ORDER BY seq",
                (db.ts(_month(c + 1)),),
            )
        ]
        sample = purged[:: max(1, len(purged) // 200)]
        readable_before = _residue(path, sample)  # all of them: the check can see an id
        if compaction == "none":
            store.privacy.zero_freed()  # what `tandem purge` does before it deletes
        t = time.perf_counter()
        deleted, _ = store.decisions.purge_before(_month(c + 1))
        purge_s = time.perf_counter() - t
        t = time.perf_counter()
        store.privacy.scrub(["decisions", "log_keys"], rewrite=compaction == "vacuum")
        compact_s = time.perf_counter() - t
        out.append(
            {
                "cycle": c,
                "deleted": deleted,
                "purge_s": purge_s,
                "compact_s": compact_s,
                "file_mb": _file_mb(path),
                "purged_ids_readable": _residue(path, sample),
                "ids_sampled": len(sample),
                "readable_before": readable_before,
            }
        )
    return out


# -- PostgreSQL: one table against monthly partitions, same rows ------------------------------

_LAYOUT = """
    request_id varchar(64) NOT NULL, ts timestamptz NOT NULL, actor varchar(200) NOT NULL,
    surface varchar(32) NOT NULL, kind varchar(32) NOT NULL, subject varchar(500) NOT NULL,
    model_version varchar(100) NOT NULL, payload json NOT NULL, seq integer NOT NULL,
    prev_hash varchar(64) NOT NULL, entry_hash varchar(64) NOT NULL
"""
_FILL = """
    INSERT INTO {table} SELECT 'r' || n, %(start)s::timestamptz + (n - 1) * %(step)s::interval,
        'u' || (n %% 300), 'api', (ARRAY['match','search_talent','recommend'])[1 + n %% 3],
        'j' || (n %% 5000), 'ltr-1',
        json_build_object('v', 2, 'z', (SELECT string_agg(md5(n::text || i::text), '')
                                        FROM generate_series(1, 34) i)),
        n, md5(n::text) || md5((n + 1)::text), md5(n::text) || md5((n + 2)::text)
    FROM generate_series(1, %(rows)s) n
"""


def pg_layouts(url: str, rows: int, months: int) -> dict[str, float]:
    """Purge the oldest month from a plain table and from a monthly-partitioned one.

    Both hold ``rows`` synthetic rows shaped like ``decisions`` (1.1 KB payloads, the
    compact format's average on the seed log) with its five indexes. Plain: ``DELETE`` the
    month's rows by ``seq`` then ``VACUUM`` (what ``tandem purge`` does). Partitioned:
    ``DETACH`` and ``DROP`` the month's partition. Also timed: the reads partitioning makes
    dearer (by request id, which no longer has one global index, and a chain page by seq).
    """
    import psycopg

    step = (_month(months) - START) / rows
    out: dict[str, float] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS bench_purge CASCADE")
        conn.execute("CREATE SCHEMA bench_purge")
        conn.execute("SET search_path = bench_purge")
        conn.execute(f"CREATE TABLE flat ({_LAYOUT}, PRIMARY KEY (request_id))")
        conn.execute(f"CREATE TABLE parted ({_LAYOUT}) PARTITION BY RANGE (ts)")
        for k in range(months):
            conn.execute(  # DDL takes no parameters: the bounds are our own constants
                f"CREATE TABLE parted_{k:02d} PARTITION OF parted "
                f"FOR VALUES FROM ('{_month(k).isoformat()}') TO ('{_month(k + 1).isoformat()}')"
            )
        for table in ("flat", "parted"):
            if table == "parted":  # no global unique index: request_id is checked under lock
                conn.execute(f"CREATE INDEX {table}_rid ON {table} (request_id)")
            for name, cols in (
                ("ts", "ts"),
                ("subject", "subject"),
                ("seq", "seq"),
                ("kind_seq", "kind, seq"),
            ):
                conn.execute(f"CREATE INDEX {table}_{name} ON {table} ({cols})")
            conn.execute(_FILL.format(table=table), {"start": START, "step": step, "rows": rows})
            conn.execute(f"VACUUM ANALYZE {table}")
        last = conn.execute("SELECT MAX(seq) FROM flat WHERE ts < %s", (_month(1),)).fetchone()
        probe = [f"r{n}" for n in random.Random(1).sample(range(1, rows + 1), 200)]
        for table in ("flat", "parted"):
            t = time.perf_counter()
            for rid in probe:
                conn.execute(f"SELECT seq FROM {table} WHERE request_id = %s", (rid,)).fetchone()
            out[f"{table}_get_ms"] = (time.perf_counter() - t) / len(probe) * 1000
            t = time.perf_counter()
            for k in range(50):
                conn.execute(
                    f"SELECT seq, payload FROM {table} WHERE seq > %s ORDER BY seq LIMIT 500",
                    (rows // 2 + k * 500,),
                ).fetchall()
            out[f"{table}_page_ms"] = (time.perf_counter() - t) / 50 * 1000
        t = time.perf_counter()
        conn.execute("DELETE FROM flat WHERE seq <= %s", last)
        out["flat_delete_s"] = time.perf_counter() - t
        t = time.perf_counter()
        conn.execute("VACUUM flat")
        out["flat_vacuum_s"] = time.perf_counter() - t
        t = time.perf_counter()
        conn.execute("ALTER TABLE parted DETACH PARTITION parted_00")
        conn.execute("DROP TABLE parted_00")
        out["parted_drop_s"] = time.perf_counter() - t
        t = time.perf_counter()
        conn.execute("VACUUM parted")
        out["parted_vacuum_s"] = time.perf_counter() - t
        conn.execute("DROP SCHEMA bench_purge CASCADE")
    return out


def _print_layouts(found: dict[str, float], rows: int, months: int) -> None:
    print(
        f"\n## postgresql layouts: {rows:,} synthetic rows, {months} months, "
        "purge the oldest month\n"
    )
    print("| step | one table | monthly partitions | ratio (one / partitions) |")
    print("|---|---:|---:|---:|")
    purge_flat = found["flat_delete_s"] + found["flat_vacuum_s"]
    purge_parted = found["parted_drop_s"] + found["parted_vacuum_s"]
    for label, flat, parted in (
        (
            "purge: delete (one) / detach + drop (partitions), s",
            found["flat_delete_s"],
            found["parted_drop_s"],
        ),
        ("then VACUUM, s", found["flat_vacuum_s"], found["parted_vacuum_s"]),
        ("purge in all, s", purge_flat, purge_parted),
        ("read one entry by request id, ms", found["flat_get_ms"], found["parted_get_ms"]),
        ("read a 500-entry chain page by seq, ms", found["flat_page_ms"], found["parted_page_ms"]),
    ):
        print(f"| {label} | {flat:.3f} | {parted:.3f} | {flat / parted:.1f}x |")


# -- the table ---------------------------------------------------------------------------------

ROWS = (
    ("migrate_s", "migrate from 0010, s"),
    ("verify_s", "verify before, s"),
    ("append_p50_ms", "append p50 (no purge), ms"),
    ("append_p95_ms", "append p95 (no purge), ms"),
    ("purge_s", "purge one month, s"),
    ("append_max_wait_ms", "longest append wait during purge, ms"),
    ("appends_failed", "appends failed during purge (store busy)"),
    ("scrub_s", "compaction after (scrub), s"),
    ("verify_after_s", "verify after, s"),
)


def _print_cycles(found: dict[str, Any], compaction: str) -> None:
    if not found.get("cycles"):
        return
    print(
        f"\nsize after the first purge and a full VACUUM: {found['file_mb_after_scrub']:.1f} MB"
        f"\n\n### steady state, compaction {compaction}\n"
    )
    print(
        "| month | deleted | purge, s | compaction, s | file, MB "
        "| purged ids readable (before the purge) |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for c in found["cycles"]:
        print(
            f"| {c['cycle']} | {c['deleted']:,} | {c['purge_s']:.2f} | {c['compact_s']:.2f} | "
            f"{c['file_mb']:.1f} | {c['purged_ids_readable']} of {c['ids_sampled']} "
            f"({c['readable_before']}) |"
        )


def _child(src: str, args: argparse.Namespace, backend: str) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=src)
    cmd = [
        sys.executable,
        __file__,
        "--child",
        backend,
        "--seed",
        str(args.seed_path),
        "--work",
        str(args.work),
        "--months",
        str(args.months),
        "--candidates",
        str(args.candidates),
    ]
    if args.verify:
        cmd.append("--verify")
    cmd += ["--cycles", str(args.cycles), "--compaction", args.compaction]
    if args.postgres:
        cmd += ["--postgres", args.postgres]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"measurement failed ({backend}, {src}):\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=300_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--candidates", type=int, default=150)
    parser.add_argument("--work", type=Path, default=Path("/tmp/tandem-bench-purge"))
    parser.add_argument("--postgres", help="a PostgreSQL URL whose database may be emptied")
    parser.add_argument("--compare-src", help="another checkout's src/ to measure the same way")
    parser.add_argument(
        "--verify", action="store_true", help="also verify the whole chain before and after"
    )
    parser.add_argument("--seed-only", action="store_true", help="build the seed log and stop")
    parser.add_argument(
        "--cycles", type=int, default=0, help="then N months of append, purge, compact (SQLite)"
    )
    parser.add_argument(
        "--compaction",
        choices=("vacuum", "none"),
        default="vacuum",
        help="what each cycle does after its purge (see the docstring)",
    )
    parser.add_argument(
        "--layouts",
        type=int,
        metavar="ROWS",
        help="only compare a plain and a monthly-partitioned table of ROWS rows (--postgres)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = measure(
            args.seed,
            args.child,
            args.postgres,
            args.work,
            args.months,
            args.candidates,
            args.verify,
            args.cycles,
            args.compaction,
        )
        print(json.dumps(result))
        return
    if args.layouts:
        if not args.postgres:
            raise SystemExit("--layouts needs --postgres URL")
        _print_layouts(
            pg_layouts(args.postgres, args.layouts, args.months), args.layouts, args.months
        )
        return
    args.work.mkdir(parents=True, exist_ok=True)
    args.seed_path = args.work / f"seed-{args.entries}-{args.months}-{args.candidates}.db"
    if not args.seed_path.exists():
        t = time.perf_counter()
        build_seed(args.seed_path, args.entries, args.months, args.candidates)
        print(f"seed log built in {time.perf_counter() - t:.0f} s: {args.seed_path}")
    if args.seed_only:
        return
    here = str(Path(__file__).resolve().parents[1] / "src")
    backends = ["sqlite", *(["postgresql"] if args.postgres else [])]
    for backend in backends:
        ours = _child(here, args, backend)
        theirs = _child(args.compare_src, args, backend) if args.compare_src else None
        print(
            f"\n## {backend}: purge the oldest of {args.months} months, "
            f"{ours['entries']:,} entries, {ours['deleted']:,} deleted, "
            f"{ours['keys_deleted']:,} keys deleted\n"
        )
        if theirs is None:
            print("| step | this code |\n|---|---:|")
            for key, label in ROWS:
                if key in ours:
                    print(f"| {label} | {ours[key]:.3f} |")
            _print_cycles(ours, args.compaction)
            continue
        print(
            "| step | compared code | this code | ratio (compared / this) |\n|---|---:|---:|---:|"
        )
        for key, label in ROWS:
            if key not in ours:
                continue
            ratio = f"{theirs[key] / ours[key]:.1f}x" if ours[key] else "n/a"
            print(f"| {label} | {theirs[key]:.3f} | {ours[key]:.3f} | {ratio} |")
        if (theirs["deleted"], theirs["keys_deleted"]) != (ours["deleted"], ours["keys_deleted"]):
            print(
                f"\nDIFFERENT RESULTS: compared deleted {theirs['deleted']} entries and "
                f"{theirs['keys_deleted']} keys"
            )


if __name__ == "__main__":
    main()
