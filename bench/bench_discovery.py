"""Discovery before and after training, against every freelancer's true fit.

Run: ``python bench/bench_discovery.py --seeds 11 --market default variant`` (default encoder).

For each seed and hiring model: generate a market, import it, rank the open jobs over
all talent exactly as ``tandem rank --jobs F --candidates all --top-k 100`` does
(``serve_match``, decision log included), ``train`` (gated, auto-promoted), rank again.
The truth is the generator's hidden hiring utility of EVERY freelancer for the job
(skill fit, rate fit, experience, language, track record and a quality the engine never
sees), with the freelancer's own rate as the price: the people a client would most want,
whether or not they applied. NDCG@10 and NDCG@100 use graded gains from each job's
utility quantiles over all freelancers (top 1 %: 3, top 5 %: 2, top 15 %: 1).

``variant`` is a hiring model nobody tuned on: it weighs rate and track record far more
and skills less than the default one, so a learner that merely memorised the default
weights would show it here.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from tandem.bundle import Generator, VocabSkill
from tandem.bundle.generator import _Job, _Person
from tandem.engine import Engine
from tandem.settings import Settings
from tandem.skills.taxonomy import builtin_skills

QUANTILE_GRADES = ((0.99, 3), (0.95, 2), (0.85, 1))


class Recording(Generator):
    """The generator, keeping the hidden people and jobs it made (same random stream)."""

    def __init__(self, vocabulary: Sequence[VocabSkill], seed: int, market: str) -> None:
        super().__init__(vocabulary, seed=seed)
        self.market = market
        self.people: list[_Person] = []
        self.made: list[_Job] = []

    @property
    def people_by_id(self) -> dict[str, _Person]:
        return {p.record["id"]: p for p in self.people}

    def freelancer(self, i: int) -> _Person:
        person = super().freelancer(i)
        self.people.append(person)
        return person

    def process(
        self, job: _Job, pool: list[_Person], next_proposal: int
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        self.made.append(job)
        return super().process(job, pool, next_proposal)

    def utility(
        self,
        job: _Job,
        person: _Person,
        bid_usd: float,
        *,
        fair: bool = False,
        tailored: bool = False,
    ) -> float:
        """The default market's hidden model, or ``variant``'s (which has no bias to drop and
        reads no letters, so ``fair`` and ``tailored`` do not change it)."""
        if self.market == "default":
            return super().utility(job, person, bid_usd, fair=fair, tailored=tailored)
        coverage = len(person.skills & set(job.skills)) / max(1, len(job.skills))
        top = job.budget_max_usd
        rate_fit = 1.0 if top is None or bid_usd <= top else max(0.0, 1.0 - (bid_usd - top) / top)
        track = float(person.record.get("job_success", 85)) / 100
        years = float(person.record["experience_years"])
        return 1.4 * coverage + 1.2 * person.quality + 2.0 * rate_fit + 1.2 * track + 0.05 * years


def grades(values: np.ndarray) -> np.ndarray:
    """Graded relevance from utility quantiles."""
    out = np.zeros(len(values), dtype=np.int64)
    for q, grade in sorted(QUANTILE_GRADES):
        out[values >= np.quantile(values, q)] = grade
    return out


def ndcg(ranked: list[str], gain: dict[str, int], k: int) -> float:
    """NDCG@k with exponential gains, the ideal over every freelancer."""
    dcg = sum((2 ** gain.get(i, 0) - 1) / math.log2(n + 2) for n, i in enumerate(ranked[:k]))
    ideal = sorted(gain.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(n + 2) for n, g in enumerate(ideal))
    return dcg / best if best else float("nan")


def measure(engine: Engine, gen: Recording, jobs: list[_Job]) -> dict[str, float]:
    """Mean NDCG@10 / @100 and top-10 skill coverage of served discovery rankings."""
    at10, at100, coverage = [], [], []
    for job in jobs:
        truth = np.asarray([gen.utility(job, p, p.rate_usd) for p in gen.people])
        gain = dict(zip((p.record["id"] for p in gen.people), grades(truth).tolist(), strict=True))
        served = engine.serve_match(job.record["id"], top=100, candidates="all")
        ranked = [r.freelancer_id for r in served.results]
        at10.append(ndcg(ranked, gain, 10))
        at100.append(ndcg(ranked, gain, 100))
        wanted, people = set(job.skills), gen.people_by_id
        coverage.extend(len(people[i].skills & wanted) / max(1, len(wanted)) for i in ranked[:10])
    return {
        "ndcg@10": float(np.mean(at10)),
        "ndcg@100": float(np.mean(at100)),
        "true coverage@10": float(np.mean(coverage)),
    }


def run(seed: int, market: str, args: argparse.Namespace, root: Path) -> None:
    vocab = [VocabSkill(s.name, s.category, s.group, s.aliases) for s in builtin_skills()]
    gen = Recording(vocab, seed, market)
    bundle = root / f"bundle-{seed}-{market}"
    gen.write(bundle, args.freelancers, args.jobs)
    engine = Engine(Settings(home=root / f"home-{seed}-{market}", encoder=args.encoder))
    start = time.perf_counter()
    engine.import_bundle(bundle)
    imported = time.perf_counter() - start
    open_jobs = [j for j in gen.made if j.record["status"] == "open"][: args.eval_jobs]
    before = measure(engine, gen, open_jobs)
    start = time.perf_counter()
    outcome = engine.train()
    trained = time.perf_counter() - start
    after = measure(engine, gen, open_jobs)
    print(
        f"### seed {seed}, hiring model '{market}': {len(open_jobs)} open jobs, "
        f"import {imported:.0f} s, train {trained:.0f} s\n"
    )
    for task, r in outcome.runs.items():
        verdict = "promoted" if r.model.status == "serving" else "kept"
        print(f"- {task}: {verdict}: {r.decision.reason}")
    print(
        "\n| discovery served by | NDCG@10 | NDCG@100 | true skill coverage@10 |\n|---|---|---|---|"
    )
    for name, m in (("heuristic (before train)", before), ("after train", after)):
        print(
            f"| {name} | {m['ndcg@10']:.4f} | {m['ndcg@100']:.4f} | {m['true coverage@10']:.3f} |"
        )
    print()
    engine.store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[11])
    parser.add_argument("--market", nargs="+", default=["default", "variant"])
    parser.add_argument("--freelancers", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--eval-jobs", type=int, default=100)
    parser.add_argument("--encoder", default="minilm")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="tandem-discovery-bench-"))
    print(
        f"\n## Discovery vs true fit ({args.freelancers:,} freelancers / {args.jobs:,} jobs, "
        f"encoder {args.encoder})\n"
    )
    for seed in args.seeds:
        for market in args.market:
            run(seed, market, args, root)


if __name__ == "__main__":
    main()
