"""The skill-linking benchmark protocol (Decorte et al., RecSys in HR 2022; arXiv 2307.10778).

Rows are ``sentence,span,sub_span,label`` (or ``sentence,label``). Rows are grouped
by sentence; the labels ``LABEL NOT PRESENT`` and ``UNDERSPECIFIED`` are dropped,
and so are sentences left without a label. Each sentence is then ranked against
the FULL label space. RP@K = |gold ∩ top K| / min(K, |gold|), averaged over
sentences; MRR is the reciprocal rank of the first gold label in the full ranking.
"""

from __future__ import annotations

import csv
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tandem.errors import ValidationError

csv.field_size_limit(sys.maxsize)
IGNORED = frozenset({"LABEL NOT PRESENT", "UNDERSPECIFIED"})


@dataclass(frozen=True)
class Query:
    """One benchmark sentence and its gold labels."""

    sentence: str
    gold: frozenset[str]


def load_benchmark(path: Path) -> list[Query]:
    """Sentences with their gold labels, in first-seen order."""
    if not path.exists():
        raise ValidationError(f"{path} does not exist")
    gold: dict[str, set[str]] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"sentence", "label"} <= set(reader.fieldnames):
            raise ValidationError(f"{path} needs the columns 'sentence' and 'label'")
        for row in reader:
            sentence, label = (row.get("sentence") or "").strip(), (row.get("label") or "").strip()
            if not sentence:
                continue
            labels = gold.setdefault(sentence, set())
            if label and label not in IGNORED:
                labels.add(label)
    return [Query(s, frozenset(g)) for s, g in gold.items() if g]


def load_labels(path: Path) -> list[str]:
    """The label space: one label per line, duplicates and blanks dropped."""
    if not path.exists():
        raise ValidationError(f"{path} does not exist")
    lines = path.read_text(encoding="utf-8").splitlines()
    return list(dict.fromkeys(line.strip() for line in lines if line.strip()))


def rp_at_k(ranked: Sequence[str], gold: frozenset[str], k: int) -> float:
    """R-precision at K of one ranking."""
    if not gold:
        raise ValidationError("RP@K needs at least one gold label")
    return len(set(ranked[:k]) & gold) / min(k, len(gold))


def reciprocal_rank(ranked: Sequence[str], gold: frozenset[str]) -> float:
    """1 / rank of the first gold label (0 if none is ranked)."""
    for i, label in enumerate(ranked, start=1):
        if label in gold:
            return 1.0 / i
    return 0.0


@dataclass(frozen=True)
class SkillScores:
    """Benchmark results."""

    rp5: float
    rp10: float
    mrr: float
    queries: int
    ms_per_sentence: float

    def as_dict(self) -> dict[str, float | int]:
        """The JSON the benchmark contract prints."""
        return {
            "rp@5": round(self.rp5, 4),
            "rp@10": round(self.rp10, 4),
            "mrr": round(self.mrr, 4),
            "queries": self.queries,
            "ms_per_sentence": round(self.ms_per_sentence, 1),
        }


def evaluate_linker(rank: Callable[[str], list[str]], queries: Sequence[Query]) -> SkillScores:
    """Run ``rank`` (text -> the full label ranking) over the queries and average the metrics."""
    if not queries:
        raise ValidationError("the benchmark has no sentence with a usable label")
    rp5 = rp10 = mrr = 0.0
    start = time.perf_counter()
    for q in queries:
        ranked = rank(q.sentence)
        rp5 += rp_at_k(ranked, q.gold, 5)
        rp10 += rp_at_k(ranked, q.gold, 10)
        mrr += reciprocal_rank(ranked, q.gold)
    took = (time.perf_counter() - start) * 1000 / len(queries)
    n = len(queries)
    return SkillScores(rp5 / n, rp10 / n, mrr / n, n, took)
