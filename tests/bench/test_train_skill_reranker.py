"""The skill re-ranker experiment: its features, its folds and its training data."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import numpy as np

from tandem.embed import HashingEncoder
from tandem.skills.benchmark import Query, load_benchmark, load_labels
from tandem.skills.linker import SkillLinker, label_text
from tests.conftest import shared_data

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "train_skill_reranker.py"
LABELS = [
    "Python (computer programming)",
    "JavaScript",
    "manage staff",
    "use spreadsheets software",
    "cook meals",
]
ALIASES = [["Python"], [], [], ["Excel"], []]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("train_skill_reranker", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _linker(tmp_path: Path) -> SkillLinker:
    texts = [label_text(n, a, "") for n, a in zip(LABELS, ALIASES, strict=True)]
    return SkillLinker(LABELS, texts, ALIASES, HashingEncoder(), cache_dir=tmp_path)


def test_features_say_how_each_top_label_relates_to_the_text(tmp_path: Path) -> None:
    script = _script()
    linker = _linker(tmp_path)
    text = "You will write Python and manage a small staff"
    [(whole, _, vectors)] = linker.encode_texts([text])
    [(best, where, evidence)] = linker.score_encoded([text], [(whole, _, vectors)])
    c = script.candidate_features(linker, text, whole, vectors, best, where, evidence, top_k=5)
    assert c.features.shape == (5, len(script.FEATURES))
    assert list(best[c.indexes]) == sorted(best, reverse=True)  # first-stage order
    row = {
        LABELS[i]: dict(zip(script.FEATURES, f, strict=True))
        for i, f in zip(c.indexes, c.features, strict=True)
    }
    python, staff, cook = row[LABELS[0]], row["manage staff"], row["cook meals"]
    assert (python["written_alias"], python["written_name"]) == (1, 0)
    assert staff["name_cover"] == 1.0 and cook["name_cover"] == 0.0
    assert cook["written_alias"] == cook["written_name"] == 0
    assert python["aliases"] == 1 and staff["label_words"] == 2


def test_label_disjoint_folds_train_on_no_label_they_test() -> None:
    script = _script()
    queries = [
        Query(f"sentence {i}", frozenset({f"label {i % 20}", f"label {i % 13}"})) for i in range(40)
    ]
    tested = []
    for train, test in script.folds(queries, 13, True):
        seen = frozenset().union(*(queries[i].gold for i in test))
        assert train and not [i for i in train if queries[i].gold & seen]
        tested += test
    assert sorted(tested) == list(range(40))
    for train, test in script.folds(queries, 13, False):
        assert sorted(train + test) == list(range(40))
    assert script.folds(queries, 13, True) == script.folds(queries, 13, True)


def test_the_model_learns_a_signal_the_first_stage_ignores(tmp_path: Path) -> None:
    script = _script()
    linker = _linker(tmp_path)
    rng = np.random.default_rng(0)
    queries, cands = [], []
    for q in range(40):
        features = rng.normal(size=(5, len(script.FEATURES))).astype(np.float32)
        features[:, 0] = [5, 4, 3, 2, 1]  # the first stage puts the gold label last
        gold = 4
        features[:, script.FEATURES.index("written_name")] = [i == gold for i in range(5)]
        queries.append(Query(f"sentence {q}", frozenset({LABELS[gold]})))
        cands.append(script.Candidates(np.arange(5, dtype=np.int64), features))
    first = script.orders(linker, cands, None)
    setup = script.Setup(mentions=False, anchor=0.0, rounds=50, features="relational")
    model = script.fit(linker, [(queries, cands)], setup, 13)
    learned = script.orders(linker, cands, model, setup)
    assert all(o[-1] == LABELS[4] for o in first)
    assert all(o[0] == LABELS[4] for o in learned)


def test_mention_sentences_are_seeded_and_hold_no_validation_sentence() -> None:
    data = shared_data("skill-extraction").parent
    shared_data("jobs")
    script = _script()
    labels = load_labels(data / "esco" / "skills_v1.1_preferred_labels.txt")
    queries = script.mention_queries(data, labels, 200, 13)
    assert queries == script.mention_queries(data, labels, 200, 13) and len(queries) == 200

    def norm(text: str) -> str:
        return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()

    held_out = {
        norm(q.sentence)
        for split in ("tech", "house")
        for q in load_benchmark(data / "skill-extraction" / f"{split}_validation_annotations.csv")
    }
    assert not [q for q in queries if norm(q.sentence) in held_out]
    assert all(q.gold <= set(labels) for q in queries)
