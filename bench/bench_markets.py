"""Applicant ranking across market styles: does what the ranker learns transfer between markets?

Run: ``nice -n 10 python bench/bench_markets.py --seeds 2 3`` (default: every style in
:data:`tandem.bundle.generator_style.STYLES`, the hashing encoder, 900 freelancers / 700 jobs).

For each style and seed: generate a market, import it into a scratch home, build the applicant
ranking groups exactly as ``tandem train`` does (:func:`tandem.learn.runner.labelled_groups`),
cut them by time (70 / 15 / 15), fit LambdaMART on the oldest 70 % (early-stopped on the next
15 %) and measure NDCG@10 on the newest 15 %, the promotion gate's held-out window, for the
learned model and the heuristic. Then cross-style: the model fitted on style A's history
ranks style B's held-out jobs. PASS when learned >= heuristic + 0.05 on every (style, seed)
of the within-style table. The ``w/o structure`` column is the same fit with the columns that
read a post's structure (:data:`STRUCTURE`) blanked in training: what reading it adds.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from tandem.bundle import Generator, VocabSkill
from tandem.bundle.generator_style import STYLES
from tandem.engine import Engine
from tandem.learn.dataset import GroupSet
from tandem.learn.runner import labelled_groups, load_training_data
from tandem.learn.train import Windows, fit, ndcg_of, split_by_time
from tandem.rank.base import Ranker
from tandem.rank.learned import LambdaMartConfig, LearnedRanker
from tandem.rank.vector import TASK_COLUMNS
from tandem.settings import Settings
from tandem.skills.taxonomy import builtin_skills

MARGIN = 0.05
#: Columns that read a post's structure (required / nice-to-have) and a letter's address.
STRUCTURE = (
    "required_coverage",
    "nice_coverage",
    "requirements_marked",
    "letter_echo",
    "letter_title_share",
)


def fit_without(w: Windows, blank: tuple[str, ...]) -> LearnedRanker:
    """The training run's fit with ``blank`` columns missing (NaN) in training: no split on them."""
    names = [c.name for c in TASK_COLUMNS["applicants"]]
    idx = [names.index(n) for n in blank]

    def arrays(gs: GroupSet) -> tuple[np.ndarray, np.ndarray, list[int]]:
        x, y, sizes = gs.arrays("applicants")
        x[:, idx] = np.nan
        return x, y, sizes

    return LearnedRanker.fit(arrays(w.train), arrays(w.valid), LambdaMartConfig())


def market_windows(
    root: Path, style: str, seed: int, freelancers: int, jobs: int, encoder: str
) -> tuple[Windows, Ranker]:
    """One market's applicant groups, cut into the training run's time windows."""
    vocab = [VocabSkill(s.name, s.category, s.group, s.aliases) for s in builtin_skills()]
    bundle = root / f"bundle-{style}-{seed}"
    Generator(vocab, seed=seed, style=style).write(bundle, freelancers, jobs)
    engine = Engine(Settings(home=root / f"home-{style}-{seed}", encoder=encoder))
    try:
        engine.import_bundle(bundle)
        data = load_training_data(engine.store)
        groups = labelled_groups(engine.store, engine.matcher, data, None, LambdaMartConfig().seed)
        return split_by_time(groups), engine.heuristic
    finally:
        engine.store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--styles", nargs="+", default=list(STYLES))
    parser.add_argument("--seeds", type=int, nargs="+", default=[2, 3])
    parser.add_argument("--freelancers", type=int, default=900)
    parser.add_argument("--jobs", type=int, default=700)
    parser.add_argument("--encoder", default="hashing")
    parser.add_argument("--no-cross", action="store_true", help="skip the cross-style table")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="tandem-markets-bench-"))
    print(
        f"\n## Applicant ranking across market styles ({args.freelancers:,} freelancers / "
        f"{args.jobs:,} jobs per market, encoder {args.encoder}, seeds {args.seeds})\n"
    )
    windows: dict[tuple[str, int], Windows] = {}
    models = {}
    plain = {}
    heuristic: Ranker | None = None
    for style in args.styles:
        for seed in args.seeds:
            start = time.perf_counter()
            w, heuristic = market_windows(
                root, style, seed, args.freelancers, args.jobs, args.encoder
            )
            windows[(style, seed)] = w
            models[(style, seed)] = fit(w, LambdaMartConfig(), "applicants")
            plain[(style, seed)] = fit_without(w, STRUCTURE)
            took = time.perf_counter() - start
            print(
                f"- {style} seed {seed}: {len(w.train.groups)} train / {len(w.valid.groups)} "
                f"valid / {len(w.holdout.groups)} held-out jobs, {took:.0f} s",
                flush=True,
            )
    assert heuristic is not None
    print("\n### Within a style (train on its history, test on its newest 15 % of jobs)\n")
    print("| style | seed | heuristic | learned | margin | | w/o structure |")
    print("|---|---|---|---|---|---|---|")
    ok = True
    for (style, seed), w in windows.items():
        held = w.holdout.groups
        h, m = ndcg_of(heuristic, held), ndcg_of(models[(style, seed)], held)
        p = ndcg_of(plain[(style, seed)], held)
        met = m >= h + MARGIN
        ok &= met
        verdict = "met" if met else "MISSED"
        print(f"| {style} | {seed} | {h:.4f} | {m:.4f} | {m - h:+.4f} | {verdict} | {p:.4f} |")
    if not args.no_cross:
        print("\n### Across styles (train on A's history, test on B's held-out jobs)\n")
        print("| trained on \\ tested on | " + " | ".join(args.styles) + " |")
        print("|---|" + "---|" * len(args.styles))
        for a in args.styles:
            cells = []
            for b in args.styles:
                margins = []
                for seed in args.seeds:
                    held = windows[(b, seed)].holdout.groups
                    learned = ndcg_of(models[(a, seed)], held)
                    margins.append(learned - ndcg_of(heuristic, held))
                cells.append(f"{sum(margins) / len(margins):+.3f}")
            print(f"| {a} | " + " | ".join(cells) + " |")
        print("\n(cells: learned - heuristic NDCG@10 on the tested style's held-out jobs)")
    verdict = "PASS" if ok else "FAIL"
    print(f"\n**{verdict}**: learned >= heuristic + {MARGIN} on every style and seed")


if __name__ == "__main__":
    main()
