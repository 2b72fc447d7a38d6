"""Fairness benchmark: what bias does to a learned ranker, and what the fair re-ranking costs.

Run: ``python bench/bench_fairness.py --bias 0 0.3 0.6`` (default encoder: the bundled MiniLM).
For each bias level X: generate a market whose clients penalise women (``--bias X``, see
``tandem/bundle/generator_bias.py``), import it, train the applicant ranker on outcomes before
the cutoff (and serve it, whatever its gate says: this measures the learned model), then serve
rankings of the applicants of every closed job posted after the cutoff, in job order, without
and with ``fair_by="gender"`` (once per method; served and logged as ``tandem rank`` does, so
``amortised`` counts the batch so far). Reported per ranking:

- the impact ratio women / men in the top 5 (selection rates pooled over lists, as
  ``tandem audit rankings`` counts them), the minimum over every counted group, and the
  women / men ratio in the top 10;
- NDCG@10 against the outcomes that happened (biased clients) and against what unbiased
  clients would have decided (``truth/unbiased_outcomes.jsonl``), each over the jobs where
  that truth has at least one positive grade.

Then, per bias level, the proxy check of the audit report: how well each feature family
predicts gender (folded AUC of its best feature) over the rankings served.

The acceptance to check: with the policy, impact ratio >= 0.80 and NDCG@10 against unbiased
outcomes no more than 2% (relative) below the ranking without it.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from tandem.bundle import Generator, VocabSkill
from tandem.bundle.generator_bias import Bias
from tandem.engine import Engine
from tandem.learn.labels import graded_labels
from tandem.learn.metrics import mean, ndcg_at_k
from tandem.settings import Settings
from tandem.skills.taxonomy import builtin_skills

Grades = dict[tuple[str, str], int]


def _truth(bundle: Path) -> Grades:
    rows = (bundle / "truth" / "unbiased_outcomes.jsonl").read_text().splitlines()
    return {(r["job_id"], r["freelancer_id"]): int(r["grade"]) for r in map(json.loads, rows)}


def _ndcg(rankings: dict[str, list[str]], grades: Grades) -> float:
    values = []
    for job_id, ids in rankings.items():
        g = [grades.get((job_id, i), 0) for i in ids]
        if any(g):
            values.append(ndcg_at_k(g, 10))
    return mean(values)


def proxy_aucs(engine: Engine) -> dict[str, float]:
    """How well each feature family predicts gender over the rankings served (the audit's check).

    Per family the folded AUC of its best feature (0.5: no signal; 1: the family gives the
    group away), over the audit report's window of served match rankings.
    """
    proxy = engine.audit_report(k=5)["proxy"].get("gender", {})
    return {f: v["auc"] for f, v in proxy.get("families", {}).items() if v["auc"] is not None}


def run_level(
    engine: Engine, bundle: Path, cutoff: datetime, methods: list[str]
) -> dict[str, dict[str, float]]:
    """Import, train before ``cutoff``, rank held-out applicants with and without the policy."""
    engine.import_bundle(bundle)
    outcome = engine.train(cutoff=cutoff, auto_promote=False)
    engine.models.promote(outcome.runs["applicants"].model.version)
    jobs = [
        j.id
        for j in engine.store.jobs.iter_all()
        if j.created_at >= cutoff
        and j.status == "closed"
        and engine.store.proposals.where(job_id=j.id)
    ]
    proposals = [p for j in jobs for p in engine.store.proposals.where(job_id=j)]
    biased = {
        k: v.grade for k, v in graded_labels(engine.store.events.iter_all(), proposals).items()
    }
    unbiased = _truth(bundle)
    out: dict[str, dict[str, float]] = {}
    for method in ("", *methods):
        if method:
            engine.settings = engine.settings.model_copy(update={"fair_method": method})
        # served and logged in job order, as `tandem rank` does (amortised reads its tally there)
        rankings = {
            j: [
                r.freelancer_id
                for r in engine.serve_match(
                    j, top=None, candidates="proposals", fair_by="gender" if method else ""
                ).results
            ]
            for j in jobs
        }
        audit = engine.audit_rankings(list(rankings.values()), attribute="gender", top_k=5)
        at10 = engine.audit_rankings(list(rankings.values()), attribute="gender", top_k=10)
        out[f"learned + {method}" if method else "learned"] = {
            "jobs": float(len(jobs)),
            "ir_women_men": audit.ratio("woman", "man"),
            "ir_at_10": at10.ratio("woman", "man"),
            "min_ir": audit.min_impact_ratio,
            "ndcg_biased": _ndcg(rankings, biased),
            "ndcg_unbiased": _ndcg(rankings, unbiased),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bias", type=float, nargs="+", default=[0.0, 0.3, 0.6])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--freelancers", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--cutoff", default="2026-08-15")
    parser.add_argument("--encoder", default="minilm")
    parser.add_argument(
        "--methods",
        nargs="+",
        default=["aligned", "amortised"],
        help="Fair re-ranking methods to compare.",
    )
    args = parser.parse_args()
    vocab = [VocabSkill(s.name, s.category, s.group, s.aliases) for s in builtin_skills()]
    cutoff = datetime.fromisoformat(args.cutoff).replace(tzinfo=UTC)
    root = Path(tempfile.mkdtemp(prefix="tandem-fair-bench-"))
    print(
        f"\n## Fairness benchmark ({args.freelancers:,} freelancers / {args.jobs:,} jobs, "
        f"seed {args.seed}, cutoff {args.cutoff}, encoder {args.encoder}; applicants of closed "
        "jobs after the cutoff)\n"
    )
    print(
        "| bias | ranking | jobs | IR women/men @5 | min IR @5 | IR women/men @10 | "
        "NDCG@10 biased | NDCG@10 unbiased | unbiased vs no policy |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    proxies: dict[float, dict[str, float]] = {}
    for x in args.bias:
        bundle = root / f"bundle-{x}"
        Generator(vocab, seed=args.seed, bias=Bias(x)).write(
            bundle, args.freelancers, args.jobs, truth=True
        )
        start = time.perf_counter()
        engine = Engine(Settings(home=root / f"home-{x}", encoder=args.encoder))
        try:
            rows = run_level(engine, bundle, cutoff, args.methods)
            proxies[x] = proxy_aucs(engine)
        finally:
            engine.store.close()
        base = rows["learned"]["ndcg_unbiased"]
        for name, m in rows.items():
            change = (m["ndcg_unbiased"] - base) / base if base else float("nan")
            print(
                f"| {x:g} | {name} | {m['jobs']:.0f} | {m['ir_women_men']:.3f} | "
                f"{m['min_ir']:.3f} | {m['ir_at_10']:.3f} | {m['ndcg_biased']:.4f} | "
                f"{m['ndcg_unbiased']:.4f} | {change:+.2%} |"
            )
        print(f"<!-- bias {x:g}: {time.perf_counter() - start:.0f} s -->")
    families = sorted({f for aucs in proxies.values() for f in aucs})
    print("\nProxy check: AUC of each feature family's best feature for gender (0.5: none)\n")
    print("| bias | " + " | ".join(families) + " |")
    print("|---" * (len(families) + 1) + "|")
    for x, aucs in proxies.items():
        cells = " | ".join(f"{aucs[f]:.3f}" if f in aucs else "" for f in families)
        print(f"| {x:g} | {cells} |")


if __name__ == "__main__":
    main()
