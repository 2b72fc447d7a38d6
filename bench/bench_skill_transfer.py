"""Skill linking measured the way it transfers: tune on one validation split, report the other.

Run: ``python bench/bench_skill_transfer.py --data ../shared/data [--encoders minilm minilm-esco]``

For every encoder, every sentence of TECH and HOUSE validation is encoded once; then each of a
small grid of linker weights (whole-text weight, written-out boost, label names on or off)
ranks the full ESCO 1.1 label space. The weights chosen on TECH are reported on HOUSE and the
reverse, next to the untuned default weights on both. The encoders themselves were trained on
nothing from these splits (``bench/train_skill_encoder.py`` drops any training sentence that
appears in them).
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time
from pathlib import Path

from tandem.engine import Engine
from tandem.settings import Settings
from tandem.skills.benchmark import Query, load_benchmark, load_labels, reciprocal_rank, rp_at_k
from tandem.skills.linker import LinkerConfig

#: The two weights set by hand before (0.3 and 0.5), each halved and doubled (names stay on:
#: without them every earlier ablation lost 6-16 points).
GRID = [
    LinkerConfig(sentence_weight=w, lexical_boost=b)
    for w, b in itertools.product((0.15, 0.3, 0.6), (0.25, 0.5, 1.0))
]


def _scores(orders: list[list[str]], queries: list[Query]) -> tuple[float, float, float]:
    n = len(queries)
    return (
        100 * sum(rp_at_k(o, q.gold, 5) for o, q in zip(orders, queries, strict=True)) / n,
        100 * sum(rp_at_k(o, q.gold, 10) for o, q in zip(orders, queries, strict=True)) / n,
        100 * sum(reciprocal_rank(o, q.gold) for o, q in zip(orders, queries, strict=True)) / n,
    )


def _name(c: LinkerConfig) -> str:
    return f"text {c.sentence_weight}, written {c.lexical_boost}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--encoders", nargs="+", default=["minilm", "minilm-esco"])
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="tandem-skills-transfer-"))
    engine = Engine(Settings(home=home, encoder="minilm"))
    if not any(s.source == "esco" for s in engine.taxonomy):
        engine.import_taxonomy("esco", args.data / "esco")
    labels = load_labels(args.data / "esco" / "skills_v1.1_preferred_labels.txt")
    splits = {
        name: load_benchmark(args.data / "skill-extraction" / f"{name}_validation_annotations.csv")
        for name in ("tech", "house")
    }
    default = LinkerConfig()
    print(
        "\n| encoder | weights | tuned on | TECH RP@5 | TECH RP@10 | TECH MRR | HOUSE RP@5 "
        "| HOUSE RP@10 | HOUSE MRR | ms/sentence |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name in args.encoders:
        engine = Engine(Settings(home=home, encoder="minilm", skill_encoder=name))
        start = time.perf_counter()
        linker = engine.linker(labels)
        linker.order("warm up")
        print(f"{name}: label space embedded in {time.perf_counter() - start:.0f} s", flush=True)
        results: dict[tuple[str, int], tuple[float, float, float]] = {}
        ms = []
        for split, queries in splits.items():
            texts = [q.sentence for q in queries]
            start = time.perf_counter()
            encoded = linker.encode_texts(texts)
            orders = linker.with_config(default).order_encoded(texts, encoded)
            ms.append((time.perf_counter() - start) * 1000 / len(texts))
            results[(split, -1)] = _scores(orders, queries)
            for i, config in enumerate(GRID):
                orders = linker.with_config(config).order_encoded(texts, encoded)
                results[(split, i)] = _scores(orders, queries)

        _row(
            name,
            "nothing (default weights)",
            _name(default),
            results[("tech", -1)],
            results[("house", -1)],
            f"{sum(ms) / len(ms):.0f}",
        )
        for tuned, other in (("tech", "house"), ("house", "tech")):
            best = max(
                range(len(GRID)), key=lambda i, t=tuned: (results[(t, i)][0], results[(t, i)][2])
            )
            own, held = results[(tuned, best)], results[(other, best)]
            tech, house = (own, held) if tuned == "tech" else (held, own)
            _row(name, f"{tuned.upper()} (report {other.upper()})", _name(GRID[best]), tech, house)


def _row(
    encoder: str,
    tuned: str,
    weights: str,
    tech: tuple[float, ...],
    house: tuple[float, ...],
    speed: str = "",
) -> None:
    cells = " | ".join(f"{v:.1f}" for v in (*tech, *house))
    print(f"| {encoder} | {weights} | {tuned} | {cells} | {speed} |", flush=True)


if __name__ == "__main__":
    main()
