"""Vector index benchmark (issue 15): memory, speed and recall@10 of each ANN backend by size.

Run: ``nice -n 10 python bench/bench_vectors.py --sizes 10000 100000``.

Vectors: real MiniLM (ONNX) embeddings of ``--real`` generated freelancer profiles (the text
the talent index embeds: title, skills, overview), and ``--queries`` more profiles embedded
as queries (never in the index). Sizes beyond ``--real`` are **synthesised**: each extra
vector is a real one moved a random fraction towards another real one, plus Gaussian noise,
then renormalised (see :func:`synthesise`).

For each backend, built through the product's own registry (``tandem.search.registry``) so
the bench measures what ``TANDEM_VECTOR_BACKEND`` selects: build seconds, bytes on disk,
resident bytes once loaded (the RSS growth of a fresh process loading the saved index), query
p50/p95 ms at k=10 one query at a time (as served), and recall@10 against exact brute force
(numpy inner product). Each ratio is against the smallest size of the same run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt

from tandem.bundle import Generator, VocabSkill
from tandem.embed.registry import create_encoder
from tandem.search.registry import create_vector
from tandem.skills.taxonomy import builtin_skills

Matrix = npt.NDArray[np.float32]

#: What a fresh process runs to measure a saved index's resident size (RSS after - before).
_LOAD = """
import sys, numpy, resource
from pathlib import Path
def rss():
    return int(open('/proc/self/statm').read().split()[1]) * resource.getpagesize()
from tandem.search.registry import create_vector
import tandem.search.faiss_index, tandem.search.hnsw_index
import faiss, hnswlib
before = rss()
index = create_vector(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]))
print(rss() - before)
"""


def profile_texts(count: int, seed: int) -> list[str]:
    """The embedded text of ``count`` generated freelancers (as ``freelancer_document`` builds)."""
    vocab = [VocabSkill(s.name, s.category, s.group, s.aliases) for s in builtin_skills()]
    gen = Generator(vocab, seed=seed)
    texts = []
    for i in range(count):
        rec = gen.freelancer(i + 1).record
        texts.append(f"{rec['title']}. Skills: {', '.join(rec['skills'])}. {rec['overview']}")
    return texts


def synthesise(real: Matrix, n: int, rng: np.random.Generator, noise: float) -> Matrix:
    """``n`` unit vectors: the real ones, then real ones pulled towards others, plus noise."""
    if n <= len(real):
        return real[:n]
    extra = n - len(real)
    a = real[rng.integers(0, len(real), extra)]
    b = real[rng.integers(0, len(real), extra)]
    t = rng.uniform(0.0, 0.5, size=(extra, 1)).astype(np.float32)
    mixed = (1 - t) * a + t * b + rng.normal(0, noise, size=a.shape).astype(np.float32)
    mixed /= np.linalg.norm(mixed, axis=1, keepdims=True)
    return np.vstack([real, mixed]).astype(np.float32)


def exact_top(data: Matrix, queries: Matrix, k: int) -> list[set[int]]:
    """The true top ``k`` labels of each query by inner product (brute force, in blocks)."""
    out = []
    for start in range(0, len(queries), 50):
        scores = queries[start : start + 50] @ data.T
        top = np.argpartition(-scores, k, axis=1)[:, :k]
        out += [set(row.tolist()) for row in top]
    return out


def dir_bytes(path: Path) -> int:
    """Bytes of every file under ``path``."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def measure(backend: str, data: Matrix, queries: Matrix, truth: list[set[int]]) -> dict[str, float]:
    """Build, save, load in a fresh process, query: one backend at one size."""
    dim = data.shape[1]
    with tempfile.TemporaryDirectory(prefix=f"bench-vectors-{backend}-") as tmp:
        start = time.perf_counter()
        index = create_vector(backend, dim, None)
        for i in range(0, len(data), 10_000):  # as an import feeds it: batch by batch
            index.upsert(
                np.arange(i, min(i + 10_000, len(data)), dtype=np.int64), data[i : i + 10_000]
            )
        build = time.perf_counter() - start
        index.save(Path(tmp))
        disk = dir_bytes(Path(tmp))
        loaded = subprocess.run(
            [sys.executable, "-c", _LOAD, backend, str(dim), tmp],
            check=True,
            capture_output=True,
            text=True,
        )
        resident = int(loaded.stdout.strip().splitlines()[-1])
        index.search(queries[0], 10)  # warm
        spent, recall = [], []
        for q, true in zip(queries, truth, strict=True):
            t0 = time.perf_counter()
            hits = index.search(q, 10)
            spent.append((time.perf_counter() - t0) * 1000)
            recall.append(len({h.label for h in hits} & true) / 10)
        del index
    cuts = statistics.quantiles(spent, n=20)
    return {
        "build_s": build,
        "disk_bytes": disk,
        "resident_bytes": resident,
        "p50_ms": statistics.median(spent),
        "p95_ms": cuts[18],
        "recall_at_10": float(np.mean(recall)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--backends", nargs="+", default=["hnsw", "faiss", "faiss-sq8"])
    parser.add_argument("--real", type=int, default=3000, help="Real profiles embedded.")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--encoder", default="minilm")
    parser.add_argument("--noise", type=float, default=0.02, help="Per-dimension sigma.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="Also write the rows here.")
    parser.add_argument(
        "--embeddings",
        type=Path,
        help="An .npy of the real vectors: read if present, else written.",
    )
    args = parser.parse_args()
    if args.embeddings and args.embeddings.exists():
        vectors = np.load(args.embeddings)
    else:
        t0 = time.perf_counter()
        texts = profile_texts(args.real + args.queries, args.seed)
        vectors = create_encoder(args.encoder).encode(texts).astype(np.float32)
        print(
            f"embedded {len(texts)} profiles in {time.perf_counter() - t0:.0f} s", file=sys.stderr
        )
        if args.embeddings:
            np.save(args.embeddings, vectors)
    if len(vectors) != args.real + args.queries:
        raise SystemExit(f"{args.embeddings} holds {len(vectors)} vectors, not --real + --queries")
    real, queries = vectors[: args.real], vectors[args.real :]
    rng = np.random.default_rng(args.seed)
    data_all = synthesise(real, max(args.sizes), rng, args.noise)
    rows: list[dict[str, float | str]] = []
    for n in args.sizes:
        data = data_all[:n]
        truth = exact_top(data, queries, 10)
        for backend in args.backends:
            row = {"n": n, "backend": backend, **measure(backend, data, queries, truth)}
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    print_table(rows, args.real, args.queries, f"{args.encoder}, noise {args.noise}")


def print_table(rows: list[dict[str, float | str]], real: int, queries: int, source: str) -> None:
    """The markdown table of ``rows`` (also from a saved ``--json``), ratios to the smallest N."""
    smallest = min(int(r["n"]) for r in rows)
    base = {r["backend"]: r for r in rows if r["n"] == smallest}
    print(
        f"\n{real} real profile embeddings ({source}), the rest synthesised; "
        f"{queries} real queries not in the index; k=10\n"
    )
    print(
        "| N | backend | real / synthesised | build s (ratio) | disk MB | resident MB (ratio) "
        "| bytes/vector (resident) | p50 ms | p95 ms (ratio) | recall@10 |"
    )
    print("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        b = base[r["backend"]]
        n = int(r["n"])
        v = {k: float(x) for k, x in r.items() if k not in ("n", "backend")}
        bv = {k: float(x) for k, x in b.items() if k not in ("n", "backend")}
        print(
            f"| {n:,} | {r['backend']} | {min(n, real):,} / {max(0, n - real):,} "
            f"| {v['build_s']:.1f} ({v['build_s'] / bv['build_s']:.1f}) "
            f"| {v['disk_bytes'] / 1e6:.1f} "
            f"| {v['resident_bytes'] / 1e6:.1f} ({v['resident_bytes'] / bv['resident_bytes']:.1f}) "
            f"| {v['resident_bytes'] / n:,.0f} "
            f"| {v['p50_ms']:.2f} | {v['p95_ms']:.2f} ({v['p95_ms'] / bv['p95_ms']:.2f}) "
            f"| {v['recall_at_10']:.3f} |"
        )


if __name__ == "__main__":
    main()
