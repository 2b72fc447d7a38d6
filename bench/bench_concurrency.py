"""Concurrency benchmark: throughput and latency of the real server against concurrent clients.

Run: ``python bench/bench_concurrency.py`` (2,000 freelancers / 1,000 jobs, levels 1 5 10 20,
10 s each); ``--py-spy PATH`` adds one profiled pass at the highest level.

It builds a market in a scratch ``TANDEM_HOME`` (generate + import), adds an operator token,
then times the served path in this process alone (the baseline: no HTTP, no other request),
with the decision-log append taken apart: building the entry, reading or creating the
per-person keys, the HMACs of the hash chain, and how long the SQLite write lock is held.
It then starts ``tandem serve`` (this checkout's code, rate limit off) as a subprocess and, per
concurrency level, drives N client threads (one keep-alive connection each) that mix talent
searches (``GET /api/search/talent?q=...``, rotating job titles) and matches (``GET
/api/jobs/{id}/matches?limit=10``, random jobs) for a fixed time. Per level it reports requests/s,
p50/p95/p99 per endpoint, errors, the server's CPU (cores, from /proc), the client's CPU and
the machine's. With ``--py-spy`` (a py-spy binary; not a project dependency) one more pass at
the highest level samples the server: who holds the GIL and where in-flight requests are.
Prints markdown tables.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np

from tandem.bundle import Generator, VocabSkill
from tandem.domain import Decision
from tandem.engine import Engine, Requester, TalentQuery
from tandem.settings import Settings
from tandem.skills.taxonomy import builtin_skills
from tandem.store import ledger
from tandem.store.db import json_param
from tandem.store.decisions import entry_of

SRC = Path(__file__).resolve().parents[1] / "src"
CLK_TCK = os.sysconf("SC_CLK_TCK")
ENDPOINTS = ("search", "match")


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


# -- in-process baseline: the served path alone, and the decision-log append taken apart ----


@dataclass
class AppendTimes:
    """Per served request: the whole append, the write-lock hold, and the parts of the entry."""

    record_ms: list[float] = field(default_factory=list)
    lock_ms: list[float] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


def instrument(engine: Engine) -> AppendTimes:
    """Wrap ``decisions.record`` and its database's ``transaction`` with timers (this process)."""
    times = AppendTimes()
    log = engine.store.decisions
    db = log._db  # noqa: SLF001 - the benchmark times the store's own transaction
    inner_tx, inner_record = db.transaction, log.record
    inside = threading.local()

    @contextmanager
    def timed_tx() -> Iterator[Any]:
        start = time.perf_counter()
        with inner_tx() as tx:
            yield tx
        if getattr(inside, "on", False):
            times.lock_ms.append((time.perf_counter() - start) * 1000)

    def timed_record(decision: Decision) -> None:
        inside.on = True
        start = time.perf_counter()
        try:
            inner_record(decision)
        finally:
            inside.on = False
        times.record_ms.append((time.perf_counter() - start) * 1000)
        times.decisions.append(decision)

    db.transaction = timed_tx  # type: ignore[method-assign]
    log.record = timed_record  # type: ignore[method-assign]
    return times


def entry_parts(engine: Engine, decision: Decision) -> tuple[float, float, float, int]:
    """ms to build the entry, to read its keys, to compute its chain hash; and keys needed."""
    start = time.perf_counter()
    payload = decision.model_dump(mode="json", include={"request", "candidates", "results"})
    row = (
        decision.request_id,
        engine.store.db.ts(decision.ts),
        decision.actor,
        decision.surface,
        decision.kind,
        decision.subject[:500],
        decision.model_version,
        json_param(payload),
    )
    entry = entry_of(row)
    build = time.perf_counter()
    needed = ledger.keys_needed(entry)
    log = engine.store.decisions
    keys = log._keys(engine.store.db.reader(), needed, create=False)  # noqa: SLF001
    read = time.perf_counter()
    ledger.entry_hash("0" * 64, ledger.hashed_form(entry, keys))
    done = time.perf_counter()
    return (build - start) * 1000, (read - build) * 1000, (done - read) * 1000, len(needed)


@dataclass
class Alone:
    """One endpoint served in-process, one request at a time."""

    wall_ms: list[float]
    cpu_ms: list[float]
    record_ms: list[float]
    lock_ms: list[float]
    parts: list[tuple[float, float, float, int]]
    candidates: list[int]
    baseline_ms: list[float]


def serve_alone(
    engine: Engine,
    calls: list[Callable[[], object]],
    baselines: list[Callable[[], object]] | None = None,
) -> Alone:
    """Each call timed (wall, CPU, its append); each baseline call interleaved, timed alone."""
    times = instrument(engine)
    calls[0]()  # warm
    times.record_ms.clear()
    times.lock_ms.clear()
    times.decisions.clear()
    wall, cpu, base = [], [], []
    for n, call in enumerate(calls):
        if baselines:
            w = time.perf_counter()
            baselines[n]()
            base.append((time.perf_counter() - w) * 1000)
        w, c = time.perf_counter(), time.thread_time()
        call()
        cpu.append((time.thread_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
    parts = [entry_parts(engine, d) for d in times.decisions]
    return Alone(
        wall,
        cpu,
        list(times.record_ms),
        list(times.lock_ms),
        parts,
        [len(d.candidates) for d in times.decisions],
        base,
    )


# -- the server and its clients -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_ticks(pid: int) -> int:
    """utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def loadavg() -> str:
    return " / ".join(f"{v:.2f}" for v in os.getloadavg())


def start_server(home: Path, encoder: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
        "TANDEM_HOME": str(home),
        "TANDEM_ENCODER": encoder,
        "TANDEM_HOST": "127.0.0.1",
        "TANDEM_PORT": str(port),
        "TANDEM_RATE_LIMIT_PER_MINUTE": "0",
    }
    code = "import sys; from tandem.cli import main; sys.argv[0] = 'tandem'; sys.exit(main())"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", code, "serve"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"tandem serve exited {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/health")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"tandem serve did not answer /api/health:\n{log.read_text()[-3000:]}")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@dataclass
class Level:
    clients: int
    seconds: float
    lat: dict[str, list[float]]
    errors: Counter[str]
    server_cores: float
    client_cores: float
    machine_busy: float
    threads: int
    load: str


def drive(
    port: int, token: str, clients: int, seconds: float, queries: list[str], jobs: list[str]
) -> tuple[dict[str, list[float]], Counter[str], float]:
    """N threads, one keep-alive connection each, half searches and half matches."""
    lat: dict[str, list[float]] = {e: [] for e in ENDPOINTS}
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    headers = {"Authorization": f"Bearer {token}"}
    start_gate = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(n: int) -> None:
        rng = random.Random(1000 + n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine: list[tuple[str, float]] = []
        bad: Counter[str] = Counter()
        start_gate.wait()
        while time.perf_counter() < stop_at[0]:
            if rng.random() < 0.5:
                op, path = "search", f"/api/search/talent?q={quote(rng.choice(queries))}"
            else:
                op, path = "match", f"/api/jobs/{rng.choice(jobs)}/matches?limit=10"
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            t1 = time.perf_counter()
            if t1 > stop_at[0]:
                break  # finished after the window: not counted
            if ok:
                mine.append((op, (t1 - t0) * 1000))
            else:
                bad[op] += 1
        conn.close()
        with lock:
            for op, ms in mine:
                lat[op].append(ms)
            errors.update(bad)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    stop_at[0] = time.perf_counter() + seconds
    start_gate.wait()
    begun = time.perf_counter()
    for t in threads:
        t.join()
    return lat, errors, time.perf_counter() - begun


def run_level(
    pid: int, port: int, token: str, clients: int, seconds: float, q: list[str], j: list[str]
) -> Level:
    server0, client0, machine0 = cpu_ticks(pid), os.times(), machine_ticks()
    lat, errors, _ = drive(port, token, clients, seconds, q, j)
    server1, client1, machine1 = cpu_ticks(pid), os.times(), machine_ticks()
    client_s = (client1.user - client0.user) + (client1.system - client0.system)
    return Level(
        clients=clients,
        seconds=seconds,
        lat=lat,
        errors=errors,
        server_cores=(server1 - server0) / CLK_TCK / seconds,
        client_cores=client_s / seconds,
        machine_busy=(machine1[0] - machine0[0]) / max(1, machine1[1] - machine0[1]),
        threads=len(os.listdir(f"/proc/{pid}/task")),
        load=loadavg(),
    )


# -- py-spy: who holds the GIL, and where in-flight requests are ----------------------------


WAIT_GIL = "waiting for the GIL"
WAIT_LOCK = "waiting for SQLite's write lock (busy handler sleeping)"
HOLDING = ", holding the write lock"
RECORD_FRAME = re.compile(r"DecisionLog\.record \(tandem/store/decisions\.py:(\d+)\)")


def record_tx_line() -> int:
    """The line of ``with self._db.transaction()`` in ``DecisionLog.record`` (this checkout)."""
    lines = (SRC / "tandem/store/decisions.py").read_text().splitlines()
    start = next(n for n, line in enumerate(lines) if "def record(" in line)
    return next(
        n + 1 for n in range(start, len(lines)) if "with self._db.transaction()" in lines[n]
    )


def classify(stack: str, tx_line: int) -> str | None:
    """The state of one sampled thread (py-spy ``--native`` frames, root first, ';'-joined).

    ``None`` for a thread that is not a worker serving a request (the event loop, an idle
    worker). A worker that waits for the GIL sits in ``pthread_cond_timedwait`` (CPython's
    ``take_gil``) without a Python-level lock wait (``PyThread_acquire_lock_timed``) beneath;
    one waiting for SQLite's write lock sleeps in ``sqlite3InvokeBusyHandler``. A thread holds
    the write lock from ``BEGIN IMMEDIATE`` returning (line ``tx_line`` of ``record``) until
    ``COMMIT``: a GIL wait there (even right after ``BEGIN``) stalls every other writer.
    """
    if "AnyIO worker thread" not in stack or "tandem/api/routers/" not in stack:
        return None
    frames = [f for f in stack.split(";") if not f.startswith("0x")]
    leaf = frames[-1]
    if "sqlite3InvokeBusyHandler" in stack:
        return WAIT_LOCK
    found = RECORD_FRAME.search(stack)
    holding = found is not None and int(found.group(1)) >= tx_line
    if "pthread_cond_timedwait" in leaf and "PyThread_acquire_lock_timed" not in stack:
        return WAIT_GIL + (HOLDING if holding else "")
    if "fdatasync" in leaf or "fsync" in leaf or "WalCheckpoint" in stack:
        return "SQLite I/O (fsync, WAL checkpoint)" + (HOLDING if holding else "")
    if found is not None:
        where = "running: decision-log append"
        if "ledger.py" in stack:
            where += " (chain hashing)"
        elif "DecisionLog._keys" in stack:
            where += " (per-person keys)"
        elif "sqlite" in stack or "Database.transaction" in stack:
            where += " (SQL)"
        return where + (HOLDING if holding else "")
    if "ServingLayer._log (" in stack:
        return "running: building the Decision (pydantic)"
    if "tandem/embed/" in stack:
        return "running: encoding the query (tokenizer, ONNX Runtime)"
    if "tandem/store/" in stack:
        return "running: other store reads"
    if "tandem/" in stack.split("tandem/api/routers/", 1)[1]:
        return "running: ranking and reasons (engine)"
    return "running: framework (FastAPI, pydantic, response)"


@dataclass
class Spied:
    level: Level
    gil_busy: float
    holders: Counter[str]
    states: Counter[str]
    gil_samples: int
    instants: int  # sampling instants of the all-threads sampler (its event-loop samples)


def read_samples(gil_file: Path, all_file: Path, level: Level, gil_attempts: int) -> Spied:
    holders: Counter[str] = Counter()
    gil_samples = 0
    for line in gil_file.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        gil_samples += int(count)
        holders[_holder(stack)] += int(count)
    states: Counter[str] = Counter()
    instants = 0
    tx_line = record_tx_line()
    for line in all_file.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if "MainThread" in stack.split(";", 1)[0]:
            instants += int(count)
        state = classify(stack, tx_line)
        if state is not None:
            states[state] += int(count)
    return Spied(level, gil_samples / gil_attempts, holders, states, gil_attempts, instants)


def profile(spy: str, pid: int, seconds: float, out: Path, run: Callable[[], Level]) -> Spied:
    """Run one level under two py-spy samplers: GIL holders, and every thread's native stack.

    The second sampler pauses the server for each sample (py-spy cannot read native stacks
    otherwise): the profiled pass is a little slower than the unprofiled one.
    """
    rate = 100  # the GIL sampler does not pause the server; the native one samples at 20 Hz
    gil_file, all_file = out / "gil.txt", out / "all.txt"
    common = ["record", "--pid", str(pid), "--duration", str(int(seconds)), "--format", "raw"]
    samplers = [
        subprocess.Popen(
            [spy, *common, "--rate", str(rate), "--gil", "--nonblocking", "-o", str(gil_file)],
            stdout=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [spy, *common, "--rate", "20", "--idle", "--threads", "--native", "-o", str(all_file)],
            stdout=subprocess.DEVNULL,
        ),
    ]
    time.sleep(1.0)  # let both attach
    level = run()
    for s in samplers:
        s.wait(timeout=120)
    return read_samples(gil_file, all_file, level, rate * int(seconds))


def _holder(stack: str) -> str:
    if "record (tandem/store/decisions.py" in stack or "_log (tandem/engine/serving.py" in stack:
        return "decision log (build entry, hash chain, SQL)"
    if "tandem/embed/" in stack:
        return "encoder (tokenizer, pooling)"
    if "tandem/" in stack:
        return "engine: ranking, reasons, store reads"
    if "uvicorn" in stack or "asyncio" in stack or "h11" in stack:
        return "event loop (uvicorn, HTTP parsing, access log)"
    return "FastAPI / pydantic / starlette (validation, serialisation)"


# -- main ---------------------------------------------------------------------------------


def report_spied(spied: Spied) -> None:
    print(f"\n### Where requests are, at {spied.level.clients} clients (py-spy)\n")
    print(f"GIL held in {spied.gil_busy:.0%} of {spied.gil_samples:,} samples (100 Hz).\n")
    print("| GIL holder | share of GIL-held samples |\n|---|---|")
    total = sum(spied.holders.values()) or 1
    for name, count in spied.holders.most_common():
        print(f"| {name} | {count / total:.0%} |")
    total = sum(spied.states.values()) or 1
    print("\n| state of a worker thread serving a request | share of samples |\n|---|---|")
    for name, count in spied.states.most_common():
        print(f"| {name} | {count / total:.1%} |")
    instants = max(1, spied.instants)
    held = sum(c for k, c in spied.states.items() if k.endswith(HOLDING))
    print(
        f"\n{total:,} samples of in-flight requests over {spied.instants:,} instants (20 Hz, "
        f"native stacks); 'running' includes waiting for a core. Per instant, on average: "
        f"{total / instants:.1f} requests in flight, {spied.states[WAIT_LOCK] / instants:.1f} "
        f"asleep waiting for the write lock, {held / instants:.2f} holding it (the write lock "
        f"is held {held / instants:.0%} of the time; "
        f"{spied.states[WAIT_GIL + HOLDING] / max(1, held):.0%} of that holder's time it waits "
        "for the GIL)."
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--freelancers", type=int, default=2_000)
    parser.add_argument("--jobs", type=int, default=1_000)
    parser.add_argument("--encoder", default=Settings().encoder)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 5, 10, 20])
    parser.add_argument("--seconds", type=float, default=10.0, help="per concurrency level")
    parser.add_argument("--alone", type=int, default=50, help="in-process requests per endpoint")
    parser.add_argument("--py-spy", dest="py_spy", help="py-spy binary: one profiled pass")
    args = parser.parse_args()
    load_start = loadavg()
    started = time.perf_counter()
    rng = random.Random(args.seed)
    root = Path(tempfile.mkdtemp(prefix="tandem-conc-"))
    home = root / "home"
    vocab = [VocabSkill(s.name, s.category, s.group, s.aliases) for s in builtin_skills()]
    Generator(vocab, seed=args.seed).write(root / "bundle", args.freelancers, args.jobs)
    engine = Engine(Settings(home=home, encoder=args.encoder))
    t0 = time.perf_counter()
    report = engine.import_bundle(root / "bundle")
    import_s = time.perf_counter() - t0
    assert not report.errors, report.errors[:3]
    _, token = engine.add_user("bench", "operator")

    job_ids = sorted(engine.collection("jobs").known_ids())
    titled = engine.store.jobs.get_many(rng.sample(job_ids, min(40, len(job_ids))))
    queries = sorted({j.title for j in titled.values()})

    # The baseline: each endpoint's served path in this process, one request at a time.
    who = Requester(actor="bench", surface="api")
    sample = rng.sample(job_ids, min(args.alone, len(job_ids)))
    match_alone = serve_alone(
        engine,
        [partial(engine.serve_match, j, top=10, who=who) for j in sample],
        [partial(engine.match, j, top=10) for j in sample],  # baseline: not logged
    )
    search_alone = serve_alone(
        engine,
        [
            partial(engine.serve_search_talent, TalentQuery(q, top=10), who)
            for q in (queries * (args.alone // len(queries) + 1))[: args.alone]
        ],
    )
    engine.store.db.close()

    port = free_port()
    proc = start_server(home, args.encoder, port, root / "serve.log")
    levels: list[Level] = []
    spied: Spied | None = None
    try:
        drive(port, token, 2, 2.0, queries, job_ids)  # warm the server
        for n in args.levels:
            levels.append(run_level(proc.pid, port, token, n, args.seconds, queries, job_ids))
            print(f"  {n} clients: done (load {levels[-1].load})", file=sys.stderr)
        if args.py_spy:
            top = max(args.levels)
            spied = profile(
                args.py_spy,
                proc.pid,
                args.seconds,
                root,
                lambda: run_level(proc.pid, port, token, top, args.seconds, queries, job_ids),
            )
    finally:
        stop_server(proc)
    load_end = loadavg()

    print(
        f"\n## Concurrency benchmark ({args.freelancers:,} freelancers / {args.jobs:,} jobs, "
        f"encoder {args.encoder}, seed {args.seed}; {os.cpu_count()} CPUs)\n"
    )
    print(f"Load average (1/5/15 min) at start: {load_start}; at end: {load_end}.")
    print(f"Import + index: {import_s:.1f} s. Total run: {time.perf_counter() - started:.0f} s.")
    print(
        "\nServer: `tandem serve` = `uvicorn.run(app)`, one process (no `workers`), one event "
        "loop; the routes are sync `def`, so each request runs on AnyIO's thread pool "
        "(40 threads by default) under one GIL; SQLite in WAL mode, one connection per thread, "
        "each decision-log append a `BEGIN IMMEDIATE` transaction."
    )

    print("\n### Alone, in-process (baseline: no HTTP, one request at a time)\n")
    print("| served path | p50 ms | p95 ms | CPU p50 ms | log append p50 ms | p95 ms |")
    print("|---|---|---|---|---|---|")
    for label, a in (("match, all talent (top 10)", match_alone), ("talent search", search_alone)):
        print(
            f"| {label} | {pct(a.wall_ms, 50):.1f} | {pct(a.wall_ms, 95):.1f} | "
            f"{pct(a.cpu_ms, 50):.1f} | {pct(a.record_ms, 50):.1f} | {pct(a.record_ms, 95):.1f} |"
        )
    unlogged = match_alone.baseline_ms
    print(
        f"| baseline: match not logged (`engine.match`, interleaved) | {pct(unlogged, 50):.1f} "
        f"| {pct(unlogged, 95):.1f} | | | |"
    )

    print("\n| decision-log append, taken apart | match | talent search |\n|---|---|---|")
    rows: list[tuple[str, Callable[[Alone], float]]] = [
        ("people logged (candidates) per entry, mean", lambda a: float(np.mean(a.candidates))),
        (
            "keys per entry (people + job + actor), mean",
            lambda a: float(np.mean([p[3] for p in a.parts])),
        ),  # noqa: E501
        (
            "build the entry (pydantic dump, JSON), p50 ms",
            lambda a: pct([p[0] for p in a.parts], 50),
        ),  # noqa: E501
        ("read its keys (SELECT ... IN), p50 ms", lambda a: pct([p[1] for p in a.parts], 50)),
        (
            "hash chain (HMAC per person + SHA-256), p50 ms",
            lambda a: pct([p[2] for p in a.parts], 50),
        ),  # noqa: E501
        ("write lock held (BEGIN IMMEDIATE .. COMMIT), p50 ms", lambda a: pct(a.lock_ms, 50)),
        ("write lock held, p95 ms", lambda a: pct(a.lock_ms, 95)),
        ("whole append (`decisions.record`), p50 ms", lambda a: pct(a.record_ms, 50)),
    ]
    for label, f in rows:
        print(f"| {label} | {f(match_alone):.1f} | {f(search_alone):.1f} |")
    lock_mean = (np.mean(match_alone.lock_ms) + np.mean(search_alone.lock_ms)) / 2
    print(
        f"\nOne process can append at most ~{1000 / lock_mean:.0f} entries/s with this mix "
        "(1 / mean write-lock hold), whatever the number of workers."
    )

    print("\n### Served over HTTP, N concurrent clients (half searches, half matches)\n")
    print(
        "| clients | req/s | search p50 / p95 / p99 ms | match p50 / p95 / p99 ms | errors "
        "| server CPU (cores) | client CPU | machine busy | server threads | load 1m |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for lv in levels + ([spied.level] if spied else []):
        done = sum(len(v) for v in lv.lat.values())
        cells = [" / ".join(f"{pct(lv.lat[e], q):.0f}" for q in (50, 95, 99)) for e in ENDPOINTS]
        tag = " (py-spy)" if spied and lv is spied.level else ""
        print(
            f"| {lv.clients}{tag} | {done / lv.seconds:.1f} | {cells[0]} | {cells[1]} | "
            f"{sum(lv.errors.values())} | {lv.server_cores:.2f} | {lv.client_cores:.2f} | "
            f"{lv.machine_busy:.0%} | {lv.threads} | {lv.load.split(' / ')[0]} |"
        )
    for lv in levels:
        done = sum(len(v) for v in lv.lat.values())
        if done:
            cpu_ms = lv.server_cores * lv.seconds / done * 1000
            print(f"- {lv.clients} clients: server CPU per request {cpu_ms:.1f} ms")

    if spied:
        report_spied(spied)
    print(f"\nServer log: {root / 'serve.log'}; scratch home: {home}")


if __name__ == "__main__":
    main()
