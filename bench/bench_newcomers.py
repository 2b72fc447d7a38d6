"""Newcomer exposure benchmark: how much of the top newcomers get, and what lifting them costs.

Run: ``nice -n 10 python bench/bench_newcomers.py --seed 1 --shares 0.1 0.2 0.3``.
It generates a market (``tandem generate``, with ``--bias`` so that the generator also writes
what unbiased clients would have decided), imports it, trains the applicant ranker on
outcomes before the cutoff (and serves it, whatever its gate says), then ranks the applicants
of every closed job posted after the cutoff, in posting order, as one batch run would
(``tandem rank --newcomers SHARE``: the carried deficit lives in the run), once without the
policy and once per share; and once with ``--fair-by gender`` alone and with both, to show the
two compose. Reported per ranking, pooled over the held-out lists:

- newcomers' share of the candidates (appearances), of the relevance (each list's model
  scores scaled to [0, 1], as the audit report's exposure does; and of the unbiased clients'
  grades), and of the position-discounted attention ``1/log2(1 + rank)`` of the top 5 and
  top 10;
- NDCG@10 against the outcomes that happened and against the unbiased ones, over the jobs
  where that truth has a positive grade, and the change against no policy;
- the women / men impact ratio in the top 5 (for the rows with ``--fair-by``).

Newcomers are judged as the policy judges them (:func:`tandem.fairness.newcomers.is_newcomer`,
as of the run's start).
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
from tandem.fairness.metrics import attention
from tandem.fairness.newcomers import FLOOR_MARGIN, is_newcomer
from tandem.learn.labels import graded_labels
from tandem.learn.metrics import mean, ndcg_at_k
from tandem.settings import Settings
from tandem.skills.taxonomy import builtin_skills

Grades = dict[tuple[str, str], int]
Ranked = dict[str, list[tuple[str, float]]]  # job -> (person, score) in served order


def _truth(bundle: Path) -> Grades:
    rows = (bundle / "truth" / "unbiased_outcomes.jsonl").read_text().splitlines()
    return {(r["job_id"], r["freelancer_id"]): int(r["grade"]) for r in map(json.loads, rows)}


def _ndcg(rankings: Ranked, grades: Grades) -> float:
    values = []
    for job_id, ranked in rankings.items():
        g = [grades.get((job_id, i), 0) for i, _ in ranked]
        if any(g):
            values.append(ndcg_at_k(g, 10))
    return mean(values)


def _shares(rankings: Ranked, fresh: set[str], truth: Grades) -> dict[str, float]:
    """Newcomers' pooled share of candidates, relevance, grades and top-5 / top-10 attention."""
    sums = dict.fromkeys(("cand", "rel", "grade", "at5", "at10"), 0.0)
    tots = dict.fromkeys(sums, 0.0)
    for job_id, ranked in rankings.items():
        scores = [s for _, s in ranked]
        low, high = min(scores), max(scores)
        for pos, (person, score) in enumerate(ranked, start=1):
            new = person in fresh
            rel = 1.0 if high == low else (score - low) / (high - low)
            parts = {"cand": 1.0, "rel": rel, "grade": float(truth.get((job_id, person), 0))}
            parts["at5"] = attention(pos) if pos <= 5 else 0.0
            parts["at10"] = attention(pos) if pos <= 10 else 0.0
            for key, value in parts.items():
                tots[key] += value
                sums[key] += value if new else 0.0
    return {k: sums[k] / tots[k] if tots[k] else float("nan") for k in sums}


def run_market(
    engine: Engine, bundle: Path, cutoff: datetime, shares: list[float], margin: float
) -> dict[str, dict[str, float]]:
    """Import, train before ``cutoff``, rank held-out applicants per policy setting."""
    engine.import_bundle(bundle)
    outcome = engine.train(cutoff=cutoff, auto_promote=False)
    engine.models.promote(outcome.runs["applicants"].model.version)
    held_out = [
        j
        for j in engine.store.jobs.iter_all()
        if j.created_at >= cutoff
        and j.status == "closed"
        and engine.store.proposals.where(job_id=j.id)
    ]
    jobs = [j.id for j in sorted(held_out, key=lambda j: (j.created_at, j.id))]
    proposals = [p for j in jobs for p in engine.store.proposals.where(job_id=j)]
    biased = {
        k: v.grade for k, v in graded_labels(engine.store.events.iter_all(), proposals).items()
    }
    unbiased = _truth(bundle)
    people = engine.store.freelancers.get_many({p.freelancer_id for p in proposals})
    out: dict[str, dict[str, float]] = {}
    settings = [("", 0.0), *(("", s) for s in shares), ("gender", 0.0), ("gender", shares[-1])]
    for fair_by, share in settings:
        run = engine.newcomer_run(share or 0.0)
        if run.policy is not None:
            run.policy = run.policy._replace(margin=margin)
        fresh = {i for i, f in people.items() if is_newcomer(f, run.as_of)}
        rankings: Ranked = {
            j: [
                (r.freelancer_id, r.score)
                for r in engine.match(
                    j, top=None, candidates="proposals", fair_by=fair_by, newcomers=run
                )
            ]
            for j in jobs
        }
        audit = engine.audit_rankings(
            [[i for i, _ in r] for r in rankings.values()], attribute="gender", top_k=5
        )
        name = " + ".join(
            x
            for x in (
                "learned",
                f"fair-by {fair_by}" if fair_by else "",
                f"newcomers {share:g}" if share else "",
            )
            if x
        )
        out[name] = {
            "jobs": float(len(jobs)),
            **_shares(rankings, fresh, unbiased),
            "ir": audit.ratio("woman", "man"),
            "ndcg_biased": _ndcg(rankings, biased),
            "ndcg_unbiased": _ndcg(rankings, unbiased),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bias", type=float, default=0.3)
    parser.add_argument("--shares", type=float, nargs="+", default=[0.1, 0.2, 0.3])
    parser.add_argument("--margin", type=float, default=FLOOR_MARGIN, help="Floor margin.")
    parser.add_argument("--freelancers", type=int, default=1500)
    parser.add_argument("--jobs", type=int, default=900)
    parser.add_argument("--cutoff", default="2026-08-15")
    parser.add_argument("--encoder", default="hashing")
    args = parser.parse_args()
    vocab = [VocabSkill(s.name, s.category, s.group, s.aliases) for s in builtin_skills()]
    cutoff = datetime.fromisoformat(args.cutoff).replace(tzinfo=UTC)
    root = Path(tempfile.mkdtemp(prefix="tandem-newcomer-bench-"))
    bundle = root / "bundle"
    Generator(vocab, seed=args.seed, bias=Bias(args.bias)).write(
        bundle, args.freelancers, args.jobs, truth=True
    )
    start = time.perf_counter()
    engine = Engine(Settings(home=root / "home", encoder=args.encoder))
    try:
        rows = run_market(engine, bundle, cutoff, args.shares, args.margin)
    finally:
        engine.store.close()
    print(
        f"\n## Newcomer exposure ({args.freelancers:,} freelancers / {args.jobs:,} jobs, "
        f"seed {args.seed}, bias {args.bias:g}, cutoff {args.cutoff}, encoder {args.encoder}, "
        f"floor margin {args.margin:g}; applicants of closed jobs after the cutoff)\n"
    )
    print(
        "| ranking | jobs | newcomers: candidates | relevance (scores) | relevance (unbiased) "
        "| top-5 attention | top-10 attention | NDCG@10 biased | NDCG@10 unbiased | "
        "unbiased vs no policy | IR women/men @5 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    base = rows["learned"]["ndcg_unbiased"]
    for name, m in rows.items():
        change = (m["ndcg_unbiased"] - base) / base if base else float("nan")
        print(
            f"| {name} | {m['jobs']:.0f} | {m['cand']:.3f} | {m['rel']:.3f} | {m['grade']:.3f} | "
            f"{m['at5']:.3f} | {m['at10']:.3f} | {m['ndcg_biased']:.4f} | "
            f"{m['ndcg_unbiased']:.4f} | {change:+.2%} | {m['ir']:.3f} |"
        )
    print(f"<!-- {time.perf_counter() - start:.0f} s -->")


if __name__ == "__main__":
    main()
