"""Learning-to-rank benchmark: ``tandem eval ranking`` on generated bundles for several seeds.

Run: ``python bench/bench_ranking.py --seeds 1 2 3`` (default encoder: the bundled MiniLM).
Each seed: generate a bundle, train on outcomes before the cutoff, evaluate on jobs after it,
with every baseline measured in the same run. Prints a table per seed and the margins.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from tandem.bundle import Generator, VocabSkill
from tandem.engine import Engine
from tandem.settings import Settings
from tandem.skills.taxonomy import builtin_skills

TARGETS = {"heuristic": 0.05, "bm25": 0.15}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--freelancers", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--cutoff", default="2026-08-15")
    parser.add_argument("--encoder", default="minilm")
    args = parser.parse_args()
    vocab = [VocabSkill(s.name, s.category, s.group, s.aliases) for s in builtin_skills()]
    cutoff = datetime.fromisoformat(args.cutoff).replace(tzinfo=UTC)
    root = Path(tempfile.mkdtemp(prefix="tandem-rank-bench-"))
    engine = Engine(Settings(home=root / "home", encoder=args.encoder))
    margins: list[dict[str, float]] = []
    print(
        f"\n## Ranking benchmark ({args.freelancers:,} freelancers / {args.jobs:,} jobs per seed, "
        f"cutoff {args.cutoff}, encoder {args.encoder})\n"
    )
    for seed in args.seeds:
        bundle = root / f"bundle-{seed}"
        Generator(vocab, seed=seed).write(bundle, args.freelancers, args.jobs)
        start = time.perf_counter()
        report = engine.evaluate_ranking(bundle, cutoff)
        took = time.perf_counter() - start
        m = report["metrics"]
        print(
            f"### seed {seed}: {report['jobs_evaluated']} jobs evaluated, "
            f"{report['training_groups']['train']} training jobs, {took:.0f} s\n"
        )
        print("| method | NDCG@10 | MRR (hire) | Recall@100 (hire) |\n|---|---|---|---|")
        for method, values in m.items():
            print(
                f"| {method} | {values['ndcg@10']:.4f} | {values['mrr']:.4f} | "
                f"{values['recall@100']:.4f} |"
            )
        margin = {k: m["learned"]["ndcg@10"] - m[k]["ndcg@10"] for k in TARGETS}
        margins.append(margin)
        print()
    print("| seed | learned - heuristic (target >= 0.05) | learned - BM25 (target >= 0.15) | |")
    print("|---|---|---|---|")
    for seed, margin in zip(args.seeds, margins, strict=True):
        ok = all(margin[k] >= t for k, t in TARGETS.items())
        print(
            f"| {seed} | {margin['heuristic']:+.4f} | {margin['bm25']:+.4f} | "
            f"{'met' if ok else 'MISSED'} |"
        )


if __name__ == "__main__":
    main()
