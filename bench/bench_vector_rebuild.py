"""What a vector-backend change and an hnsw shard load cost: peak memory and time.

Three steps, each its own process so that its numbers are its own::

    python bench/bench_vector_rebuild.py build DIR --records 65536 --shard 8192
    python bench/bench_vector_rebuild.py switch DIR --shard 8192 --to faiss
    python bench/bench_vector_rebuild.py load DIR/v1/vector/sealed-0 --runs 7

``build`` saves a collection of random unit vectors at 384 dimensions (MiniLM's; given, so
nothing is encoded) with ``hnsw`` under ``DIR/v1``. ``switch`` opens it with another vector
backend, forks it and relocates it there, as ``EngineCore._publish_upgraded`` does, and saves;
it prints the peak resident memory over its start (VmHWM, reset first), the time and the
shards. ``load`` times ``HnswIndex`` loads of one saved shard. Run the same steps with
``PYTHONPATH`` on two checkouts to compare them on the same files.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from pathlib import Path

import numpy as np

from tandem.embed import HashingEncoder
from tandem.search import Collection, Document, snapshots
from tandem.search.hnsw_index import HnswIndex

DIM = 384


def _status(key: str) -> float:
    """One of this process's memory lines (VmRSS, VmHWM) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(key)


def build(where: Path, records: int, shard: int) -> None:
    """Save ``records`` random vectors with ``hnsw`` under ``where/v1``."""
    coll = Collection(where / "v1", HashingEncoder(DIM), vector_shard_size=shard)
    rng = np.random.default_rng(0)
    for start in range(0, records, 4096):
        ids = range(start, min(start + 4096, records))
        docs = [
            Document(id=f"d{i}", content_hash=f"h{i}", text=f"r {i}", embed_text="") for i in ids
        ]
        vectors = rng.normal(size=(len(docs), DIM)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        coll.upsert(docs, vectors=vectors)
        coll.checkpoint(0)
    coll.save()
    print(f"built {coll.count()} records in {coll.vector.shards} shards")


def switch(where: Path, shard: int, backend: str) -> None:
    """Open ``where/v1`` with ``backend``, relocate it into a fork and save it there."""
    target = where / f"switched-{backend}"
    shutil.rmtree(target, ignore_errors=True)
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM from here
    start, started = _status("VmRSS"), time.perf_counter()
    coll = Collection(
        where / "v1", HashingEncoder(DIM), vector_backend=backend, vector_shard_size=shard
    )
    snapshots.fork(where / "v1", target)
    coll.relocate(target)
    coll.save()
    print(
        f"{coll.vector.count()} vectors in {coll.vector.shards} shards, "
        f"{time.perf_counter() - started:.1f} s, peak RSS over the start "
        f"{_status('VmHWM') - start:.0f} MB (start {start:.0f} MB)"
    )


def load(where: Path, runs: int) -> None:
    """Median and least time of ``runs`` loads of the hnsw shard in ``where``."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        index = HnswIndex(DIM, where)
        times.append(time.perf_counter() - started)
        del index
    print(
        f"HnswIndex load: median {statistics.median(times) * 1000:.0f} ms, "
        f"least {min(times) * 1000:.0f} ms ({runs} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["build", "switch", "load"])
    parser.add_argument("where", type=Path)
    parser.add_argument("--records", type=int, default=65_536)
    parser.add_argument("--shard", type=int, default=8192)
    parser.add_argument("--to", default="faiss")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if args.step == "build":
        build(args.where, args.records, args.shard)
    elif args.step == "switch":
        switch(args.where, args.shard, args.to)
    else:
        load(args.where, args.runs)


if __name__ == "__main__":
    main()
