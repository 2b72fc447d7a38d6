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

``--serve`` measures the served path instead, at sizes real imports cannot reach on a small
machine (10k, 100k, 1M freelancers): ``python bench/bench_scale.py --serve --sizes 10000 100000
--real 10000 --encoder minilm``. ``--real`` freelancers (a tenth as many jobs, with their
clients, proposals and events) are generated and imported by the real ``tandem import``, once;
each size's home starts as a copy of that home. The rest of a size is **synthesised**, in a
child process (its peak RSS is reported): copies of the real freelancers under new ids
(``syn-...``), their numbers (rate, job success, rating, jobs, hours) perturbed and their
name, email and phone replaced, written through the store's bulk path (``Repository.upsert``
in one transaction per batch), then indexed by ``Engine.sync_indexes`` (documents built from
the stored records by the project's document builder, so ``tandem stats --json`` shows the
indexes in sync), with vectors perturbed from the real ones as ``bench_vectors.py`` does (a
source's vector pulled towards another real one, plus noise, renormalised) instead of
embedding the same text again, and the skills the source's text describes as their mentions.
Then, per size:

- served match and search p50/p95 and RSS: ``tandem bench serve --queries N --json`` in a
  child process on that home (the API, access rules and decision log included);
- bytes per logged ranking: what that run added to the decision log (``tandem stats --json``
  before and after), per ranking it served;
- ANN recall@10: the talent vector index's top 10 (``TANDEM_VECTOR_BACKEND``, ``--backend``)
  against exact inner-product search over every indexed vector, for the vectors of a sample of
  open jobs (the vectors a match queries with);
- how long each build step took, so a larger build can be planned.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from tandem.bundle import Generator, VocabSkill
from tandem.domain import Freelancer
from tandem.engine import Engine, TalentQuery
from tandem.search import Document
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


class Child(NamedTuple):
    """A finished child process: what it printed, wall and CPU seconds, peak RSS."""

    stdout: str
    wall_s: float
    cpu_s: float
    peak_mb: float


def run_child(command: list[str], env: dict[str, str], *, show: bool = False) -> Child:
    """Run ``command``; its own rusage (``os.wait4``), not ours. ``show``: its stderr is ours
    (progress lines as they come); otherwise kept, and printed only when it fails."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(  # files, not pipes: nothing to drain before the wait
            command, env={**os.environ, **env}, stdout=out, stderr=None if show else errors
        )
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        errors.seek(0)
        if code != 0:
            said = errors.read().decode()[-2000:]
            raise SystemExit(f"{' '.join(command[-3:])} failed ({code}):\n{said}")
        printed = out.read().decode()
    return Child(printed, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def tandem_env(home: Path, encoder: str, backend: str = "hnsw") -> dict[str, str]:
    """The settings a ``tandem`` child runs with."""
    return {"TANDEM_HOME": str(home), "TANDEM_ENCODER": encoder, "TANDEM_VECTOR_BACKEND": backend}


def import_in_child(
    bundle: Path, home: Path, encoder: str, backend: str = "hnsw", *, show: bool = False
) -> Imported:
    """``tandem import bundle`` in a child process; its own rusage, not ours."""
    records = sum(1 for f in bundle.glob("*.jsonl") for line in f.open("rb") if line.strip())
    command = [sys.executable, "-c", _CLI, "import", str(bundle)]
    done = run_child(command, tandem_env(home, encoder, backend), show=show)
    return Imported(records, done.wall_s, done.cpu_s, done.peak_mb)


#: The ``tandem`` command, run by this interpreter (whatever is on PATH).
_CLI = "import sys; from tandem.cli import main; sys.argv[0] = 'tandem'; sys.exit(main())"


def market(
    root: Path, people: int, encoder: str, seed: int, backend: str = "hnsw", *, show: bool = False
) -> Imported:
    """A generated market of ``people`` freelancers (and a tenth as many jobs), imported."""
    vocab = [VocabSkill(s.name, s.category, s.group, s.aliases) for s in builtin_skills()]
    Generator(vocab, seed=seed).write(root / "bundle", people, max(people // 10, 20))
    return import_in_child(root / "bundle", root / "home", encoder, backend, show=show)


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


# serving at scale (--serve) ---------------------------------------------------------------
#: Synthesised freelancer ids: ``syn-`` and the copy's number (never a generated id: ``f...``).
SYNTH = "syn-"
#: Per-dimension sigma of the noise on a synthesised vector (as ``bench_vectors.py``).
NOISE = 0.02


def say(message: str) -> None:
    """A progress line on stderr, stamped with the time."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Every:
    """Rate-limited progress: a line per ``seconds`` of work at most, with rate and ETA."""

    def __init__(self, what: str, total: int, seconds: float = 15.0) -> None:
        self.what, self.total, self.seconds = what, total, seconds
        self.done = 0
        self.start = self.last = time.perf_counter()

    def __call__(self, advance: int) -> None:
        self.done += advance
        now = time.perf_counter()
        if now - self.last >= self.seconds or self.done >= self.total:
            self.last = now
            rate = self.done / max(now - self.start, 1e-9)
            left = (self.total - self.done) / rate if rate else float("nan")
            say(
                f"{self.what}: {self.done:,}/{self.total:,} ({rate:,.0f}/s, "
                f"{now - self.start:,.0f} s, ~{left:,.0f} s left)"
            )


def synthesised(source: Freelancer, k: int, rng: np.random.Generator) -> Freelancer:
    """Copy ``k`` of a real freelancer: a new id and name, no contact, numbers perturbed.

    Its text (title, skills, overview, portfolio) is the source's, so its document reads the
    same skills; country, time zone, consent and attributes are the source's too.
    """

    def scaled(value: float | int | None, low: float, high: float, spread: float) -> Any:
        if value is None:
            return None
        moved = min(max(float(value) * float(rng.lognormal(0.0, spread)), low), high)
        return round(moved) if isinstance(value, int) else round(moved, 2)

    return source.model_copy(
        update={
            "id": f"{SYNTH}{k:07d}",
            "name": f"Synthesised {k}",
            "email": None,
            "phone": None,
            "hourly_rate": scaled(source.hourly_rate, 0.0, 1e6, 0.2),
            "job_success": scaled(source.job_success, 0.0, 100.0, 0.05),
            "rating": scaled(source.rating, 1.0, 5.0, 0.05),
            "total_jobs": scaled(source.total_jobs, 0, 1e9, 0.3),
            "availability_hours_per_week": scaled(source.availability_hours_per_week, 0, 168, 0.2),
        }
    )


def grow(home: Path, extra: int, encoder: str, backend: str, seed: int) -> dict[str, float]:
    """Add ``extra`` synthesised freelancers to the store and the indexes of ``home``.

    Run in a child process (``--grow``): its peak RSS is the build's alone. Timings by step.
    """
    steps: dict[str, float] = {}
    t0 = time.perf_counter()
    engine = Engine(Settings(home=home, encoder=encoder, vector_backend=backend))
    store = engine.store
    real = list(store.freelancers.iter_all())
    hashes = store.freelancers.hashes()
    talent = engine.collection("talent")
    kept = [talent.reusable(f.id, hashes[f.id]) for f in real]
    if any(k is None for k in kept):
        raise SystemExit(f"{home}: the talent index is not in sync with the store (tandem index)")
    vectors = np.vstack([k[0] for k in kept if k is not None]).astype(np.float32)
    mentions = [k[1] for k in kept if k is not None]
    steps["load real"] = time.perf_counter() - t0
    say(f"loaded {len(real):,} real freelancers and their vectors in {steps['load real']:.1f} s")

    rng = np.random.default_rng(seed)
    source = rng.integers(0, len(real), extra)  # which real freelancer copy k copies
    toward = rng.integers(0, len(real), extra)  # ... and whose vector its vector leans to
    lean = rng.uniform(0.0, 0.5, extra).astype(np.float32)

    t0 = time.perf_counter()
    tick = Every("store synthesised freelancers", extra)
    for start in range(0, extra, 5000):
        batch = [
            synthesised(real[source[k]], k, rng) for k in range(start, min(start + 5000, extra))
        ]
        with store.transaction() as tx:
            store.freelancers.upsert(tx, batch)
        tick(len(batch))
    steps["store synthesised"] = time.perf_counter() - t0

    def read(kind: str, docs: list[Document]) -> npt.NDArray[np.float32] | None:
        if kind != "talent":
            return None  # jobs are all real: embedded by the encoder, as an import does
        if not all(d.id.startswith(SYNTH) for d in docs):
            raise SystemExit(f"{home}: a real freelancer needs indexing (tandem index first)")
        ks = np.asarray([int(d.id[len(SYNTH) :]) for d in docs])
        t = lean[ks][:, None]
        out = (1 - t) * vectors[source[ks]] + t * vectors[toward[ks]]
        out += rng.normal(0.0, NOISE, size=out.shape).astype(np.float32)
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        for doc, k in zip(docs, ks, strict=True):
            for name, where in mentions[source[k]].items():  # the same text: the same reading
                doc.mentions.setdefault(name, where)
        return out.astype(np.float32)

    t0 = time.perf_counter()
    tick = Every("index synthesised freelancers", extra)
    engine.sync_indexes(lambda _task, n, _total: tick(n), batch=2048, read=read)
    steps["index synthesised"] = time.perf_counter() - t0
    engine.store.close()
    return steps


def tandem_json(home: Path, env: dict[str, str], *args: str) -> tuple[Any, Child]:
    """A ``tandem ... --json`` child on ``home``: its JSON and its run."""
    done = run_child([sys.executable, "-c", _CLI, *args], env)
    return json.loads(done.stdout), done


def ann_recall(home: Path, encoder: str, backend: str, queries: int) -> float:
    """Mean recall@10 of the talent ANN index against exact search, for open jobs' vectors.

    Exact: every indexed vector (read back through the collection, a page of the store at a
    time, so memory holds one page of vectors besides the index) scored by inner product.
    """
    engine = Engine(Settings(home=home, encoder=encoder, vector_backend=backend))
    talent, jobs = engine.collection("talent"), engine.collection("jobs")
    open_jobs = [j for j in engine.store.jobs.iter_all() if j.status == "open"][:queries]
    job_hashes = engine.store.jobs.hashes_of([j.id for j in open_jobs])
    found = [jobs.reusable(j.id, job_hashes[j.id]) for j in open_jobs]
    q = np.vstack([f[0] for f in found if f is not None]).astype(np.float32)
    ann = [{talent.ids[h.label] for h in talent.vector.search(v, 10)} for v in q]
    best_scores = np.full((len(q), 0), -np.inf, dtype=np.float32)
    best_ids = np.empty((len(q), 0), dtype=object)
    tick = Every("exact search", talent.count())
    for page in engine.store.freelancers.iter_hashes(20_000):
        ids = np.asarray([i for i, _ in page], dtype=object)
        rows = [talent.reusable(i, h) for i, h in page]
        matrix = np.vstack([r[0] for r in rows if r is not None])
        scores = np.hstack([best_scores, q @ matrix.T])
        names = np.hstack([best_ids, np.broadcast_to(ids, (len(q), len(ids)))])
        top = np.argsort(-scores, axis=1)[:, :10]
        best_scores = np.take_along_axis(scores, top, axis=1)
        best_ids = np.take_along_axis(names, top, axis=1)
        tick(len(page))
    engine.store.close()
    hits = [len(a & set(e)) / 10 for a, e in zip(ann, best_ids.tolist(), strict=True)]
    return float(np.mean(hits))


class Served(NamedTuple):
    """One size's home and what it served."""

    people: int
    real: int
    steps: dict[str, float]
    grow_peak_mb: float
    serve: dict[str, float]
    bytes_per_ranking: float
    recall: float
    index_mb: float


def real_home(args: argparse.Namespace, root: Path) -> tuple[Path, Imported, float]:
    """The imported home of the ``--real`` freelancers, its import and generation seconds.

    With ``--real-home DIR`` it is kept there and reused by later runs made with the same
    ``--real``, ``--seed``, ``--encoder`` and ``--backend`` (what it took is read back from
    ``DIR/made.json``): a 1M run after a 100k one does not import again.
    """
    made = {"real": args.real, "seed": args.seed, "encoder": args.encoder, "backend": args.backend}
    folder = args.real_home or root
    marker = folder / "made.json"
    if args.real_home and marker.exists():
        kept = json.loads(marker.read_text())
        if kept["made"] != made:
            raise SystemExit(f"--real-home {folder} was made with {kept['made']}, not {made}")
        say(f"reusing the imported home of {args.real:,} real freelancers in {folder}")
        return folder / "home", Imported(*kept["import"]), float(kept["generated_s"])
    if args.real_home and folder.exists() and any(folder.iterdir()):
        raise SystemExit(f"--real-home {folder} is neither empty nor made by this bench")
    say(f"generating and importing {args.real:,} real freelancers ({args.encoder} encoder)")
    t0 = time.perf_counter()
    vocab = [VocabSkill(s.name, s.category, s.group, s.aliases) for s in builtin_skills()]
    Generator(vocab, seed=args.seed).write(folder / "bundle", args.real, max(args.real // 10, 20))
    generated = time.perf_counter() - t0
    real = import_in_child(
        folder / "bundle", folder / "home", args.encoder, args.backend, show=True
    )
    say(
        f"generated in {generated:.0f} s; imported {real.records:,} records in "
        f"{real.wall_s:.0f} s (CPU {real.cpu_s:.0f} s, peak RSS {real.peak_mb:.0f} MB)"
    )
    if args.real_home:
        marker.write_text(json.dumps({"made": made, "import": real, "generated_s": generated}))
    return folder / "home", real, generated


def serve_sizes(args: argparse.Namespace) -> None:
    """The ``--serve`` section: a home per size (real + synthesised), served and measured.

    With ``--keep DIR`` the homes stay in ``DIR`` with what was measured (``rows.json``), so
    ``--again DIR`` can serve them once more (on a quieter machine) without building again.
    """
    if args.again:
        serve_again(args)
        return
    keep = args.keep
    if keep is not None and keep.exists() and any(keep.iterdir()):
        raise SystemExit(f"--keep {keep} is not empty")
    root = keep or Path(tempfile.mkdtemp(prefix="tandem-serve-", dir=args.workdir))
    root.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        imported, real, generated = real_home(args, root)
        rows: list[Served] = []
        for people in sorted(args.sizes):
            rows.append(serve_one(root, imported, people, args))
            if keep is None:
                shutil.rmtree(root / f"home-{people}", ignore_errors=True)
            else:
                kept = {"rows": [r._asdict() for r in rows], "real": real, "generated": generated}
                (root / "rows.json").write_text(json.dumps(kept))
        print_serve(rows, real, generated, args, time.perf_counter() - started)
    finally:
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)


def serve_again(args: argparse.Namespace) -> None:
    """Serve the homes a ``--keep`` run left, once more: latency and RSS measured again."""
    kept = json.loads((args.again / "rows.json").read_text())
    started = time.perf_counter()
    rows: list[Served] = []
    for row in (Served(**r) for r in kept["rows"]):
        home = args.again / f"home-{row.people}"
        say(f"{row.people:,}: tandem bench serve --queries {args.queries} --json (again)")
        serve, done = tandem_json(
            home, tandem_env(home, args.encoder, args.backend), "bench", "serve",
            "--queries", str(args.queries), "--json",
        )  # fmt: skip
        say(f"{row.people:,}: served {serve}")
        rows.append(row._replace(serve=serve, steps={**row.steps, "serve": done.wall_s}))
    real = Imported(*kept["real"])
    print(
        f"Served again on the homes kept in {args.again}: the latency and RSS columns are this "
        "run's; bytes per ranking, recall and the build steps are the building run's.\n"
    )
    print_serve(rows, real, kept["generated"], args, time.perf_counter() - started)


def serve_one(root: Path, imported: Path, people: int, args: argparse.Namespace) -> Served:
    """Build the home of ``people`` freelancers, then serve and measure it."""
    if people < args.real:
        raise SystemExit(f"--sizes: {people} is below --real {args.real} (every size holds them)")
    home = root / f"home-{people}"
    env = tandem_env(home, args.encoder, args.backend)
    t0 = time.perf_counter()
    shutil.copytree(imported, home, symlinks=True)
    steps = {"copy real home": time.perf_counter() - t0}
    grow_peak = 0.0
    if people > args.real:
        say(f"{people:,}: synthesising {people - args.real:,} freelancers")
        command = [sys.executable, __file__, "--grow", str(home), str(people - args.real)]
        command += ["--encoder", args.encoder, "--backend", args.backend, "--seed", str(args.seed)]
        done = run_child(command, {}, show=True)
        steps |= json.loads(done.stdout)
        grow_peak = done.peak_mb
    before, _ = tandem_json(home, env, "stats", "--json")
    if not all(index["in_sync"] for index in before["indexes"].values()):
        raise SystemExit(f"{people:,}: the indexes are not in sync with the store: {before}")
    if before["store"]["freelancers"] != people:
        raise SystemExit(
            f"{people:,}: the store holds {before['store']['freelancers']} freelancers"
        )
    say(f"{people:,}: tandem bench serve --queries {args.queries} --json")
    serve, done = tandem_json(home, env, "bench", "serve", "--queries", str(args.queries), "--json")
    steps["serve"] = done.wall_s
    after, _ = tandem_json(home, env, "stats", "--json")
    logged = after["store"]["decisions"] - before["store"]["decisions"]
    grown = (
        after["store"]["decision_log_payload_bytes"] - before["store"]["decision_log_payload_bytes"]
    )
    say(f"{people:,}: served {serve}; recall@10 over {args.recall_queries} open jobs")
    t0 = time.perf_counter()
    recall = ann_recall(home, args.encoder, args.backend, args.recall_queries)
    steps["recall"] = time.perf_counter() - t0
    row = Served(
        people,
        args.real,
        steps,
        grow_peak,
        serve,
        grown / max(logged, 1),
        recall,
        after["indexes"]["talent"]["bytes"] / 1e6,
    )
    say(f"{people:,}: {row}")
    return row


def print_serve(
    rows: list[Served], real: Imported, generated: float, args: argparse.Namespace, total: float
) -> None:
    """The serving table and the build-steps table; ratios against the smallest size."""
    base = rows[0]
    print(
        f"## served path at scale ({args.encoder} encoder, TANDEM_VECTOR_BACKEND={args.backend}, "
        f"seed {args.seed}, {args.queries} queries a kind, recall over {args.recall_queries} "
        "open jobs)\n"
    )
    print(
        "| freelancers | real / synthesised | match p50 ms | match p95 ms | ratio | search p50 ms "
        "| search p95 ms | ratio | serve RSS MB | ratio | bytes / logged ranking | ratio "
        "| ANN recall@10 | talent index MB |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        s, b = r.serve, base.serve
        print(
            f"| {r.people:,} | {r.real:,} / {r.people - r.real:,} | {s['match_p50_ms']:.1f} "
            f"| {s['match_p95_ms']:.1f} | {s['match_p95_ms'] / b['match_p95_ms']:.2f} "
            f"| {s['search_p50_ms']:.1f} | {s['search_p95_ms']:.1f} "
            f"| {s['search_p95_ms'] / b['search_p95_ms']:.2f} | {s['rss_mb']:.0f} "
            f"| {s['rss_mb'] / b['rss_mb']:.2f} | {r.bytes_per_ranking:,.0f} "
            f"| {r.bytes_per_ranking / base.bytes_per_ranking:.2f} | {r.recall:.3f} "
            f"| {r.index_mb:.0f} |"
        )
    print(f"\n## build steps (seconds of wall time; {os.getloadavg()[0]:.1f} load average now)\n")
    print(
        f"- generate {args.real:,} real freelancers: {generated:.0f} s; `tandem import` "
        f"({real.records:,} records): {real.wall_s:.0f} s wall, {real.cpu_s:.0f} s CPU, "
        f"peak RSS {real.peak_mb:.0f} MB\n"
    )
    print(
        "| freelancers | synthesised | copy real home | load real | store synthesised "
        "| per 1k | index synthesised | per 1k | build peak RSS MB | serve | recall |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        st, extra = r.steps, r.people - r.real
        stored, indexed = st.get("store synthesised", 0.0), st.get("index synthesised", 0.0)
        per_store = f"{stored * 1000 / extra:.2f}" if extra else "-"
        per_index = f"{indexed * 1000 / extra:.2f}" if extra else "-"
        print(
            f"| {r.people:,} | {extra:,} | {st['copy real home']:.0f} "
            f"| {st.get('load real', 0):.0f} | {stored:.0f} | {per_store} "
            f"| {indexed:.0f} | {per_index} "
            f"| {r.grow_peak_mb:.0f} | {st['serve']:.0f} | {st['recall']:.0f} |"
        )
    print(f"\n(whole run {total:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--writes", type=int, default=20)
    parser.add_argument("--encoder", default="hashing")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rankings", type=int, default=20, help="Served per kind, per size.")
    parser.add_argument("--import-only", action="store_true", help="Only the import table.")
    serving = parser.add_argument_group("--serve: the served path, part synthesised")
    serving.add_argument("--serve", action="store_true", help="The served-path section only.")
    serving.add_argument("--real", type=int, default=10_000, help="Real freelancers imported.")
    serving.add_argument("--backend", default="hnsw", help="TANDEM_VECTOR_BACKEND of the run.")
    serving.add_argument("--queries", type=int, default=100, help="tandem bench serve --queries")
    serving.add_argument("--recall-queries", type=int, default=200, help="Open jobs for recall.")
    serving.add_argument("--workdir", type=Path, help="Where the homes are built (default: tmp).")
    serving.add_argument(
        "--real-home", type=Path, help="Keep the real import here; reuse it when it is there."
    )
    serving.add_argument(
        "--keep", type=Path, help="Build the homes in this (empty) folder and keep them."
    )
    serving.add_argument(
        "--again", type=Path, help="Serve the homes a --keep run left once more; build nothing."
    )
    serving.add_argument("--grow", nargs=2, metavar=("HOME", "EXTRA"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.grow:  # the child that synthesises one size's extra freelancers (see grow)
        home, extra = args.grow
        print(json.dumps(grow(Path(home), int(extra), args.encoder, args.backend, args.seed)))
        return
    if args.serve:
        serve_sizes(args)
        return
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
