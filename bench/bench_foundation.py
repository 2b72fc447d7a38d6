"""Foundation benchmark: import + index, match and search latency, ANN recall, engine choices.

Run: ``make bench`` (or ``python bench/bench_foundation.py --freelancers 10000 --jobs 5000``).
Prints markdown tables; every ratio is against a baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from tandem.bundle import Generator, VocabSkill
from tandem.engine import Engine, Requester, TalentQuery
from tandem.search.faiss_index import FaissIndex
from tandem.search.fts5_index import Fts5Index
from tandem.search.hnsw_index import HnswIndex
from tandem.search.hybrid import exact_dense
from tandem.search.tantivy_index import TantivyIndex
from tandem.settings import Settings
from tandem.skills.taxonomy import builtin_skills


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, (time.perf_counter() - start) * 1000


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--freelancers", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=5_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--encoder", default="minilm")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    root = Path(tempfile.mkdtemp(prefix="tandem-bench-"))
    vocab = [VocabSkill(s.name, s.category, s.group, s.aliases) for s in builtin_skills()]

    counts, gen_ms = timed(
        Generator(vocab, seed=args.seed).write, root / "bundle", args.freelancers, args.jobs
    )
    engine = Engine(Settings(home=root / "home", encoder=args.encoder))
    report, import_ms = timed(engine.import_bundle, root / "bundle")
    assert not report.errors, report.errors[:3]
    _, reimport_ms = timed(engine.import_bundle, root / "bundle")

    job_ids = sorted(engine.collection("jobs").known_ids())
    sample = rng.sample(job_ids, min(args.queries, len(job_ids)))
    # The served path, as users get it: each ranking is written to the decision log.
    who = Requester(actor="bench", surface="api")
    engine.serve_match(sample[0], who=who)  # warm
    match_ms = [timed(engine.serve_match, j, top=10, who=who)[1] for j in sample]
    prop_ms = [
        timed(engine.serve_match, j, top=10, candidates="proposals", who=who)[1] for j in sample
    ]
    unlogged_ms = [timed(engine.match, j, top=10)[1] for j in sample]  # baseline: no log write

    jobs = engine.store.jobs.get_many(sample)
    queries = [jobs[j].title for j in sample]
    search_ms = [timed(engine.serve_search_talent, TalentQuery(q, top=10), who)[1] for q in queries]
    filtered_ms = [
        timed(
            engine.serve_search_talent,
            TalentQuery(q, max_rate=40, available=True, min_job_success=80, top=10),
            who,
        )[1]
        for q in queries
    ]
    rec_people = rng.sample(sorted(engine.collection("talent").known_ids()), 50)
    rec_ms = [timed(engine.serve_recommend, f, top=10, who=who)[1] for f in rec_people]

    # ANN against exact search, hnswlib vs faiss, on the talent vectors.
    talent = engine.collection("talent")
    vectors = talent.vectors_of(np.flatnonzero(talent.live))
    labels = np.flatnonzero(talent.live).astype(np.int64)
    qvecs = engine.encoder.encode(queries)
    mask = talent.live
    exact = [{h.label for h in exact_dense(talent, q, mask, 10)} for q in qvecs]
    exact_ms = [timed(exact_dense, talent, q, mask, 10)[1] for q in qvecs]
    ann_rows = []
    for name, factory in (("hnswlib", HnswIndex), ("faiss HNSW", FaissIndex)):
        index, build_ms = timed(lambda f=factory: _build(f, vectors, labels))
        found = [{h.label for h in index.search(q, 10)} for q in qvecs]
        recall = statistics.mean(len(a & b) / 10 for a, b in zip(found, exact, strict=True))
        q_ms = [timed(index.search, q, 10)[1] for q in qvecs]
        ann_rows.append((name, build_ms / 1000, recall, pct(q_ms, 50), pct(q_ms, 95)))

    # Reading profiles' described skills while embedding them, against embedding alone.
    sample_people = list(_people(engine, talent, labels[:2000]))
    texts = [engine._freelancer_doc(f, "").embed_text for f in sample_people]  # noqa: SLF001
    _, embed_only_ms = timed(engine.encoder.encode, texts)
    (_, found), read_ms = timed(engine.reader.read_and_embed, texts)
    described = sum(any(f.how == "described" for f in row) for row in found)

    # Lexical engines on the same documents.
    docs = [
        (int(lab), engine._freelancer_doc(f, "").text)  # noqa: SLF001
        for lab, f in zip(labels, _people(engine, talent, labels), strict=True)
    ]
    lex_rows = []
    top_sets: dict[str, list[set[int]]] = {}
    for name, factory in (("tantivy", TantivyIndex), ("SQLite FTS5", Fts5Index)):
        index, build_ms = timed(lambda f=factory, n=name: _build_lex(f, root / f"lex-{n}", docs))
        top_sets[name] = [{h.label for h in index.search(q, 10)} for q in queries]
        q_ms = [timed(index.search, q, 10)[1] for q in queries]
        lex_rows.append((name, build_ms / 1000, pct(q_ms, 50), pct(q_ms, 95)))
    overlap = statistics.mean(
        len(a & b) / max(1, len(a | b)) * 2 / 2
        for a, b in zip(top_sets["tantivy"], top_sets["SQLite FTS5"], strict=True)
    )

    print(
        f"\n## Foundation benchmark ({args.freelancers:,} freelancers / {args.jobs:,} jobs, "
        f"encoder {args.encoder}, seed {args.seed})\n"
    )
    print("| step | value |\n|---|---|")
    print(f"| generate bundle | {gen_ms / 1000:.1f} s ({sum(counts.values()):,} records) |")
    print(f"| import + index, end to end | {import_ms / 1000:.1f} s |")
    print(f"| re-import (idempotent, nothing to re-index) | {reimport_ms / 1000:.1f} s |")
    print(f"| peak memory (RSS) | {peak_rss_mb():,.0f} MB |")
    print("\n| operation (warm, in-process, served + logged) | p50 ms | p95 ms |\n|---|---|---|")
    for label, values in (
        ("match, all talent (top 10)", match_ms),
        ("match, proposals (top 10)", prop_ms),
        ("talent search", search_ms),
        ("talent search + 3 filters", filtered_ms),
        ("recommend jobs", rec_ms),
        ("baseline: match, all talent, not logged (`engine.match`)", unlogged_ms),
    ):
        print(f"| {label} | {pct(values, 50):.1f} | {pct(values, 95):.1f} |")
    n = len(texts)
    print(
        f"\n| indexing {n:,} profiles' vectors | ms/profile | vs embedding alone |\n|---|---|---|"
    )
    print(f"| embedding alone (baseline, same run) | {embed_only_ms / n:.2f} | 1.00x |")
    print(
        f"| embedding + reading described skills (one pass) | {read_ms / n:.2f} | "
        f"{read_ms / embed_only_ms:.2f}x |"
    )
    print(f"\nProfiles with at least one described (not named) skill: {described / n:.1%}")
    print(
        "\n| ANN (talent vectors) | build s | recall@10 vs exact | p50 ms | p95 ms | p95 vs exact |"
    )
    print("|---|---|---|---|---|---|")
    print(
        f"| exact (numpy, baseline) | - | 1.000 | {pct(exact_ms, 50):.2f} | "
        f"{pct(exact_ms, 95):.2f} | 1.00x |"
    )
    for name, build_s, recall, p50, p95 in ann_rows:
        print(
            f"| {name} | {build_s:.1f} | {recall:.3f} | {p50:.2f} | {p95:.2f} | "
            f"{p95 / pct(exact_ms, 95):.2f}x |"
        )
    print("\n| lexical engine | build s | p50 ms | p95 ms |\n|---|---|---|---|")
    for name, build_s, p50, p95 in lex_rows:
        print(f"| {name} | {build_s:.1f} | {p50:.2f} | {p95:.2f} |")
    print(f"\nTop-10 agreement tantivy vs FTS5 (Jaccard): {overlap:.2f}")


def _people(engine: Engine, talent, labels):  # type: ignore[no-untyped-def]
    ids = [talent.ids[int(lab)] for lab in labels]
    found = engine.store.freelancers.get_many(ids)
    return [found[i] for i in ids]


def _build(factory, vectors, labels):  # type: ignore[no-untyped-def]
    index = factory(vectors.shape[1], None)
    index.upsert(labels, vectors)
    return index


def _build_lex(factory, directory, docs):  # type: ignore[no-untyped-def]
    index = factory(directory)
    index.upsert(docs)
    index.commit()
    return index


if __name__ == "__main__":
    main()
