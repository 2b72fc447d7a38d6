"""The skill encoder's training pairs: built from ESCO and job ads, never from the benchmark."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

from tandem.skills.benchmark import load_benchmark
from tests.conftest import shared_data

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "train_skill_encoder.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("train_skill_encoder", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def test_pairs_are_seeded_and_hold_no_validation_sentence() -> None:
    data = shared_data("skill-extraction").parent
    shared_data("jobs")
    script = _script()
    pairs, counts = script.build_pairs(data, seed=13, alts=4, per_label=8)
    again, _ = script.build_pairs(data, seed=13, alts=4, per_label=8)
    assert pairs == again
    assert counts["held-out sentences dropped"] > 0  # SkillSpan train overlaps the benchmark
    held_out = {
        _norm(q.sentence)
        for split in ("tech", "house")
        for q in load_benchmark(data / "skill-extraction" / f"{split}_validation_annotations.csv")
    }
    assert not [a for a, _ in pairs if _norm(a) in held_out]
    assert counts["alt label"] > 10_000 and counts["job post sentences"] > 100


def test_batches_never_hold_one_label_twice() -> None:
    script = _script()
    pairs = [(f"text {i}", f"label {i % 5}") for i in range(40)]
    for batch in script.batches(pairs, 4):
        assert len({label for _, label in batch}) == len(batch) == 4
