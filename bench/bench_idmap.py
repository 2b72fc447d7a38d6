"""What a collection's ids cost at N records: the list + dict it held, against the id map.

Run: ``python bench/bench_idmap.py --ids 1000000`` (synthetic ids ``syn-0000001-fl``, as
``bench_scale.py`` names its synthesised freelancers). Each variant runs in a child process
of its own, so its resident memory is its alone:

- ``old``: ``ids: list[str]`` and ``label_of: dict[str, int]`` as ``Collection`` held them,
  the manifest's ``"ids"`` list written as JSON (what every save did), a dict lookup of a
  batch of 300 ids (half of them unknown).
- ``new``: :class:`tandem.search.idmap.IdMap` saved once with every id in its tail (what the
  first save of a build does), then opened mapped (what every serving process holds), a
  batch lookup of the same 300 ids, and a save with 1,000 new ids over the N saved (a sync's
  checkpoint).

Memory: bytes allocated by Python and numpy (``tracemalloc``, current after the build or
open), and the process's resident set growth without tracemalloc (``/proc/self/status``):
``RssAnon`` is private memory, ``RssFile`` the mapped pages the lookups touched (page cache,
shared by every process mapping the files). Times: the best of 20 lookups of 300 ids, the
best of 5 of 4,096 (a page of the store, as a sync asks), one save each.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np


def _rss() -> dict[str, int]:
    """Resident bytes now: private (anonymous) and file-backed (mapped pages, shared)."""
    out = {}
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(("RssAnon:", "RssFile:")):
                out[line.split(":")[0]] = int(line.split()[1]) * 1024
    return out


def _grown(before: dict[str, int]) -> dict[str, float]:
    now = _rss()
    return {f"{k}_mb": (now[k] - before[k]) / 1e6 for k in before}


def _names(n: int) -> list[str]:
    return [f"syn-{i:07d}-fl" for i in range(n)]


def _batch(n: int, size: int = 300) -> list[str]:
    """``size`` ids to look up, half of them known (a match's candidates, a store page)."""
    rng = np.random.default_rng(0)
    known = [f"syn-{i:07d}-fl" for i in rng.integers(0, n, size // 2).tolist()]
    return known + [f"syn-{i:07d}-xx" for i in range(size - size // 2)]


def _best(run: object, times: int = 20) -> float:
    best = float("inf")
    for _ in range(times):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best * 1000


def _old(n: int, directory: Path) -> dict[str, float]:
    before = _rss()  # first, without tracemalloc (whose traces cost memory too)
    ids = _names(n)
    label_of = {doc_id: i for i, doc_id in enumerate(ids)}
    grown = _grown(before)
    del ids, label_of
    tracemalloc.start()
    ids = _names(n)
    label_of = {doc_id: i for i, doc_id in enumerate(ids)}
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    batch, page = _batch(n), _batch(n, 4096)
    lookup = _best(lambda: [label_of.get(i) for i in batch])
    page_ms = _best(lambda: [label_of.get(i) for i in page], 5)
    start = time.perf_counter()
    with (directory / "manifest.json").open("w", encoding="utf-8") as handle:
        json.dump({"ids": ids}, handle)
    save = time.perf_counter() - start
    return {"held_mb": held / 1e6, **grown, "lookup_ms": lookup, "page_ms": page_ms, "save_s": save}


def _new(n: int, directory: Path) -> dict[str, float]:
    from tandem.search.idmap import IdFiles, IdMap

    def files(stamp: int) -> IdFiles:
        names = ("ids", "id_offsets", "id_keys", "id_labels")
        return IdFiles(*(directory / f"{name}.{stamp}.npy" for name in names))

    live = np.ones(n + 1000, dtype=bool)
    building = IdMap.empty(lambda: live)
    building.assign(_names(n))
    start = time.perf_counter()
    building.write(files(1), n)
    first_save = time.perf_counter() - start
    del building
    before = _rss()
    tracemalloc.start()
    served = IdMap.open(files(1), lambda: live)
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    batch, page = _batch(n), _batch(n, 4096)
    lookup = _best(lambda: served.labels_of(batch))
    page_ms = _best(lambda: served.labels_of(page), 5)
    grown = _grown(before)
    served.assign([f"syn-{i:07d}-new" for i in range(1000)])
    start = time.perf_counter()
    served.write(files(2), n + 1000)
    save = time.perf_counter() - start
    return {
        "held_mb": held / 1e6,
        **grown,
        "lookup_ms": lookup,
        "page_ms": page_ms,
        "save_s": save,
        "first_save_s": first_save,
    }


def main() -> None:
    """Run each variant in a child (``--variant``) and print their numbers as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--ids", type=int, default=1_000_000)
    parser.add_argument("--variant", choices=["old", "new"])
    args = parser.parse_args()
    if args.variant:
        with tempfile.TemporaryDirectory() as directory:
            run = _old if args.variant == "old" else _new
            print(json.dumps(run(args.ids, Path(directory))))
        return
    out = {}
    for variant in ("old", "new"):
        cmd = [sys.executable, __file__, "--ids", str(args.ids), "--variant", variant]
        out[variant] = json.loads(subprocess.run(cmd, check=True, capture_output=True).stdout)
    print(json.dumps({"ids": args.ids, **out}, indent=2))


if __name__ == "__main__":
    main()
