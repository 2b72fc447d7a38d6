"""Calibrate when search may say "similar in meaning": cosines of related vs unrelated pairs.

Search shows a semantic reason only when the query's MiniLM cosine with a record clears
``tandem.explain.search.SIMILAR_COSINE``. This script measures the distributions that
number comes from, with the real all-MiniLM-L6-v2 encoder, on two sets of pairs:

- talent: every built-in skill name as a query (what people type) against the profiles of a
  generated market (``tandem generate`` seed 1, 2,000 freelancers, embedded as the index
  embeds them); related = the profile lists the skill, unrelated = the profile is in another
  category of work;
- jobs: every skill real Upwork posts list (``../shared/data/jobs/upwork_rss_jobs_2024-06.csv``,
  770 posts) as a query against those posts' titles and descriptions; related = the post
  lists the skill, unrelated = the post neither lists it nor shares its category.

It prints percentiles of both and the share of each above candidate thresholds. The rule
we apply: a reason may claim similarity where at most 5% of unrelated pairs reach.

    python bench/calibrate_semantic.py [--freelancers 2000]
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt

from tandem.bundle import Generator, VocabSkill
from tandem.embed.minilm import MiniLMEncoder
from tandem.skills import Normaliser, Taxonomy
from tandem.skills.taxonomy import builtin_skills

RSS = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "jobs" / "upwork_rss_jobs_2024-06.csv"
)
THRESHOLDS = (0.15, 0.2, 0.25, 0.27, 0.3, 0.35, 0.4, 0.45, 0.5)


def _talent_pairs(
    encoder: MiniLMEncoder, n: int
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    skills = builtin_skills()
    vocab = [VocabSkill(s.name, s.category, s.group, s.aliases) for s in skills]
    generator = Generator(vocab, seed=1)  # the market's first n people, as write() makes them
    people = [generator.freelancer(i + 1) for i in range(n)]
    normaliser = Normaliser(Taxonomy.builtin())
    texts = []
    for p in people:
        r = p.record
        listed = normaliser.normalise(r["skills"])
        texts.append(f"{r['title']}. Skills: {', '.join(listed)}. {r['overview']}")
    docs = encoder.encode(texts)
    queries = encoder.encode([s.name for s in skills])
    sims = queries @ docs.T
    related = np.array([[s.name in p.skills for p in people] for s in skills])
    other = np.array([[s.category != p.category for p in people] for s in skills])
    return sims[related], sims[other & ~related]


def _job_pairs(encoder: MiniLMEncoder) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    with RSS.open(encoding="utf-8") as handle:
        posts = list(csv.DictReader(handle))
    listed = [{s.strip() for s in p["skills"].split(",") if s.strip()} for p in posts]
    names = sorted({s for skills in listed for s in skills})
    category_of: dict[str, set[str]] = {}
    for p, skills in zip(posts, listed, strict=True):
        for s in skills:
            category_of.setdefault(s, set()).add(p["category"])
    texts = [f"{p['title'].removesuffix(' - Upwork')}. {p['description']}" for p in posts]
    docs = encoder.encode(texts)
    queries = encoder.encode(names)
    sims = queries @ docs.T
    related = np.array([[n in skills for skills in listed] for n in names])
    other = np.array([[p["category"] not in category_of[n] for p in posts] for n in names])
    return sims[related], sims[other & ~related]


def _report(
    name: str, related: npt.NDArray[np.float32], unrelated: npt.NDArray[np.float32]
) -> None:
    pct = (5, 25, 50, 75, 95, 99)
    print(f"\n{name}: {related.size:,} related pairs, {unrelated.size:,} unrelated pairs")
    print("percentile  " + "  ".join(f"p{p:<5}" for p in pct))
    for label, values in (("related", related), ("unrelated", unrelated)):
        print(f"{label:<11} " + "  ".join(f"{np.percentile(values, p):.3f} " for p in pct))
    print("threshold   related above   unrelated above")
    for t in THRESHOLDS:
        print(f"{t:<11} {np.mean(related >= t):>12.1%}   {np.mean(unrelated >= t):>14.1%}")


def main() -> None:
    """Embed both sets and print the distributions."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--freelancers", type=int, default=2000)
    args = parser.parse_args()
    encoder = MiniLMEncoder()
    start = time.perf_counter()
    talent = _talent_pairs(encoder, args.freelancers)
    _report("talent (skill query -> generated profile)", *talent)
    if RSS.exists():
        jobs = _job_pairs(encoder)
        _report("jobs (skill query -> real Upwork post)", *jobs)
        pooled = np.concatenate([talent[1], jobs[1]])
        print(f"\npooled unrelated p95 {np.percentile(pooled, 95):.3f}")
    else:
        print(f"\n{RSS} is absent: the jobs set is skipped")
    print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
