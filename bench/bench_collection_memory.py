"""What loading the talent collection costs a fresh serving process, and what it then answers.

Run against an imported home: ``TANDEM_HOME=DIR python bench/bench_collection_memory.py``
(``--queries N`` matches and searches after the load). It prints one JSON object:

- ``load_rss_mb``: resident memory (VmRSS) the process gained in ``Engine(...).collection(
  "talent")``, with its anonymous part (``load_anon_mb``: the process's own) and its file
  part (``load_file_mb``: pages of mapped files, shared with every replica on the host).
- ``served_rss_mb``: the same after ``N`` matches (top 10, all talent) and ``N`` talent
  searches (words and a skills filter), so the pages those touched are counted too.
- ``ann_file_mb``: the vector index's files (hnswlib reads them whole: its share of the load,
  which is what ``bench/bench_vectors.py`` measures per backend).
- ``answers``: a digest of every answer (ids, scores and reasons, as served in JSON), so two
  builds of the code can be checked to answer alike on the same home.

Each run is its own process: the numbers are that load's alone.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from tandem.engine import Engine, TalentQuery
from tandem.settings import Settings


def _status() -> dict[str, float]:
    """VmRSS, RssAnon and RssFile of this process, in MB."""
    wanted = {"VmRSS", "RssAnon", "RssFile"}
    out: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in wanted:
            out[name] = int(value.split()[0]) / 1024
    return out


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def main() -> None:
    """Load, measure, serve, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=20)
    args = parser.parse_args()
    engine = Engine(Settings())
    job_ids = sorted(engine.store.jobs.hashes())[: args.queries]
    jobs = engine.jobs(job_ids)
    engine.collection("jobs")
    before = _status()
    talent = engine.collection("talent")
    loaded = _status()
    digest = hashlib.sha256()
    for job_id in job_ids:
        job = jobs[job_id]
        for result in engine.match(job_id, top=10):
            digest.update(result.model_dump_json().encode())
        query = TalentQuery(text=job.title, skills=list(job.skills[:1]), top=10)
        for result in engine.search_talent(query):
            digest.update(result.model_dump_json().encode())
    served = _status()
    report = {
        "profiles": talent.count(),
        "load_rss_mb": round(loaded["VmRSS"] - before["VmRSS"], 1),
        "load_anon_mb": round(loaded["RssAnon"] - before["RssAnon"], 1),
        "load_file_mb": round(loaded["RssFile"] - before["RssFile"], 1),
        "served_rss_mb": round(served["VmRSS"] - before["VmRSS"], 1),
        "served_anon_mb": round(served["RssAnon"] - before["RssAnon"], 1),
        "served_file_mb": round(served["RssFile"] - before["RssFile"], 1),
        "ann_file_mb": round(_size(talent.directory / "vector") / 2**20, 1),
        "queries": len(job_ids),
        "answers": digest.hexdigest()[:16],
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
