"""What a build's vector shards hold: peak memory, time, shards and recall as a collection grows.

Each size is built in a child process of its own, once with the sealing rule of
``search/shards.py`` (an open shard seals at a quarter of the index, at least
``FIRST_SEAL`` vectors, and small sealed shards merge from twelve) and once with the rule
before session 18 as the baseline (a shard sealed only at ``shard_size``: ``FIRST_SEAL`` set to
it)::

    python bench/bench_shards.py --sizes 4000 40000 [--dim 384] [--shard 131072]

A build adds random unit vectors (given, nothing is encoded) to a ``Collection`` in batches of
1,000 and checkpoints after each as a sync does (saved when the open shard is full, not by
the clock), then saves. Printed per size and rule: the peak resident memory over the child's
start (VmHWM, reset first; the Python and numpy start-up excluded), build seconds, the shards
at the end, and recall@10 of the sharded search against exact inner-product search for 50
of the vectors perturbed. Every ratio is against the smallest size of the same rule.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

import numpy as np

from tandem.embed import HashingEncoder
from tandem.search import Collection, Document, shards

BATCH = 1000
QUERIES = 50


def _status(key: str) -> float:
    """One of this process's memory lines (VmRSS, VmHWM) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(key)


def _vectors(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    v = rng.normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def child(size: int, dim: int, shard: int, first_seal: int, where: Path) -> dict[str, float]:
    """Build ``size`` vectors under ``where`` with the given rule; what it cost."""
    shards.FIRST_SEAL = first_seal
    rng = np.random.default_rng(0)
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM from here
    start, started = _status("VmRSS"), time.perf_counter()
    coll = Collection(where / "c", HashingEncoder(dim), vector_shard_size=shard)
    for at in range(0, size, BATCH):
        ids = range(at, min(at + BATCH, size))
        docs = [Document(id=f"d{i}", content_hash="h", text=f"r {i}", embed_text="") for i in ids]
        coll.upsert(docs, vectors=_vectors(rng, len(docs), dim))
        coll.checkpoint(every=3600.0)  # due when the open shard is full, as in a long sync
    coll.save()
    built = time.perf_counter() - started
    peak = _status("VmHWM") - start
    labels = np.flatnonzero(coll.live[: len(coll.ids)]).astype(np.int64)
    stored = coll._vectors_of(labels)
    picks = rng.choice(len(labels), size=min(QUERIES, len(labels)), replace=False)
    found = 0
    for pick in picks:
        query = stored[pick] + rng.normal(0, 0.05, size=dim).astype(np.float32)
        exact = set(labels[np.argsort(-(stored @ query))[:10]].tolist())
        found += len(exact & {h.label for h in coll.vector.search(query, 10)})
    return {
        "peak_mb": peak,
        "seconds": built,
        "shards": float(coll.vector.shards),
        "recall": found / (10 * len(picks)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[4000, 40000])
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--shard", type=int, default=shards.SHARD_SIZE)
    parser.add_argument("--child", nargs=3, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        size, first_seal, _ = args.child
        with TemporaryDirectory() as tmp:
            print(json.dumps(child(size, args.dim, args.shard, first_seal, Path(tmp))))
        return
    rules = {"session 18": shards.FIRST_SEAL, "one shard until full": args.shard}
    print(f"dim {args.dim}, shard_size {args.shard}, batches of {BATCH}, random unit vectors")
    print("| rule | vectors | peak RSS over start MB | ratio | build s | shards | recall@10 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for rule, first_seal in rules.items():
        base = None
        for size in args.sizes:
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--dim",
                    str(args.dim),
                    "--shard",
                    str(args.shard),
                    "--child",
                    str(size),
                    str(first_seal),
                    "0",
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            got = json.loads(out.strip().splitlines()[-1])
            base = base or got["peak_mb"]
            print(
                f"| {rule} | {size:,} | {got['peak_mb']:.1f} | {got['peak_mb'] / base:.2f} | "
                f"{got['seconds']:.1f} | {got['shards']:.0f} | {got['recall']:.3f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
