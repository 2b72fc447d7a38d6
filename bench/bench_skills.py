"""Skill-linking benchmark with an ablation: each component's contribution, measured.

Run: ``python bench/bench_skills.py --data ../shared/data`` (imports ESCO into a scratch home
unless ``--home`` points at one that has it). Validation splits only: tune on these, never on
the held-out test splits.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from tandem.engine import Engine
from tandem.settings import Settings
from tandem.skills.linker import LinkerConfig

ABLATION = {
    "text embedding vs label texts": LinkerConfig(spans=False, lexical=False, names=False),
    "+ label names": LinkerConfig(spans=False, lexical=False),
    "+ phrases pooled in context": LinkerConfig(lexical=False),
    "+ exact/alias match (default)": LinkerConfig(),
    "default, phrases encoded alone instead of pooled": LinkerConfig(span_mode="encode"),
    "default without the label names": LinkerConfig(names=False),
    "default without the whole-text term": LinkerConfig(sentence=False),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--encoder", default="minilm")
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="tandem-skills-bench-"))
    engine = Engine(Settings(home=home, encoder=args.encoder))
    if not any(s.source == "esco" for s in engine.taxonomy):
        engine.import_taxonomy("esco", args.data / "esco")
    labels = args.data / "esco" / "skills_v1.1_preferred_labels.txt"
    splits = {
        name: args.data / "skill-extraction" / f"{name}_validation_annotations.csv"
        for name in ("tech", "house")
    }
    print(f"\n## Skill linking ablation (ESCO label space, encoder {args.encoder})\n")
    print(
        "| components | TECH RP@5 | TECH RP@10 | TECH MRR | HOUSE RP@5 | HOUSE RP@10 | HOUSE MRR "
        "| ms/sentence |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, config in ABLATION.items():
        row = []
        ms = []
        for split in splits.values():
            s = engine.evaluate_skills(split, labels, config)
            row += [f"{100 * s.rp5:.1f}", f"{100 * s.rp10:.1f}", f"{100 * s.mrr:.1f}"]
            ms.append(s.ms_per_sentence)
        print(f"| {name} | " + " | ".join(row) + f" | {sum(ms) / len(ms):.0f} |")


if __name__ == "__main__":
    main()
