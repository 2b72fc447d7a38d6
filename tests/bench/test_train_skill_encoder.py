"""The skill encoder's training pairs: built from ESCO and job ads, never from the benchmark."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import numpy as np

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


def _unit(*rows: list[float]) -> np.ndarray:
    matrix = np.asarray(rows, dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def test_hard_negatives_skip_what_may_be_right_and_take_the_nearest_wrong_label() -> None:
    script = _script()
    labels = ["python", "python programming", "java", "near twin", "django", "ruby", "cobol"]
    forms = {"python": ["Python programming"], "django": ["Django"]}
    # anchor -> python; cosine to the anchor falls along the list
    label_vectors = _unit(
        [1.0, 0.0], [0.99, 0.14], [0.93, 0.37], [1.0, 0.01], [0.9, 0.44], [0.8, 0.6], [0.0, 1.0]
    )
    anchor = "we write Java and Python daily"
    pairs = [(anchor, "python"), (anchor, "django")]
    mined = script.hard_negatives(
        pairs,
        _unit([1.0, 0.0], [1.0, 0.0]),
        labels,
        label_vectors,
        forms,
        seed=13,
        pool=1,
        margin=0.995,
    )
    # by cosine: python 1.0, near twin 1.0, python programming 0.99 (the positive's alias), java
    # 0.93 (written in the anchor), django 0.90 (the anchor's other gold), then ruby 0.80; the
    # twin is within 0.995 of the positive.
    assert mined.triplets[0] == (anchor, "python", "ruby")
    assert mined.counts == {"mined": 2}


def test_a_pair_with_no_hard_negative_gets_a_random_allowed_label() -> None:
    script = _script()
    labels = ["python", "twin", "far"]
    mined = script.hard_negatives(
        [("python", "python")],
        _unit([1.0, 0.0]),
        labels,
        _unit([1.0, 0.0], [1.0, 0.001], [0.0, 1.0]),
        {},
        seed=1,
        depth=2,  # only python and its twin are candidates; the twin is too close to be wrong
    )
    assert mined.triplets == [("python", "python", "far")]
    assert mined.counts == {"random": 1}


def test_triplet_batches_never_hold_a_negative_that_is_another_rows_positive() -> None:
    script = _script()
    rows = [(f"text {i}", f"label {i % 7}", f"label {(i + 1) % 7}") for i in range(40)]
    plan = script.batches(rows, 3)
    assert plan and max(len(batch) for batch in plan) == 3
    for batch in plan:
        texts = [t for row in batch for t in row]
        assert len(texts) == len(set(texts))
