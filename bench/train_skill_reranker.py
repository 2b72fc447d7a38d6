"""A learned second stage for ESCO skill linking, measured only on splits it never saw.

Run: ``nice -n 10 python bench/train_skill_reranker.py --data ../shared/data [--home DIR]``
(about 5 minutes on 2 shared cores when the label vectors are cached in ``--home``).

The first stage (the default linker) ranks the 13,895 ESCO 1.1 labels; a LightGBM lambdarank
re-orders its top :data:`TOP_K` from :data:`FEATURES`: the first stage's similarities, whether
the label is written out, word overlap between text, evidence phrase and label, the label's
length and alias count, and how many other candidates share its words. No feature is the
label's identity; the label's length and alias count together nearly are, so every setup is
tried with and without them ("relational" features).

Each validation split is measured by a model that never saw it: TECH by models trained on
HOUSE, HOUSE by models trained on TECH, optionally plus "mention" sentences: SkillSpan TRAIN
sentences whose annotated span is an ESCO label or alternative label naming exactly one skill,
and sentences of the 770 real Upwork posts that write one out (at least 4 characters), gold =
those labels (any sentence that is also a validation sentence is dropped; a seeded sample of
``--mentions``).

Which setup (:data:`SETUPS`: the first stage alone, or a re-ranker with / without mentions,
anchored on the first-stage score or not, 50 or 200 rounds, all or relational features) is
chosen per direction by 5-fold cross-validation inside the TRAINING split (:func:`folds`;
label-disjoint by default), never on the reported one. Every setup's reported number is
printed too, marked "(chosen)" where the selection picked it. LightGBM's parameters
(:data:`PARAMS`) were fixed before any split was measured. Seed :data:`SEED`.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from tandem.engine import Engine
from tandem.settings import Settings
from tandem.skills.benchmark import Query, load_benchmark, load_labels, reciprocal_rank, rp_at_k
from tandem.skills.keys import skill_key
from tandem.skills.linker import SkillLinker, spans

sys.path.insert(0, str(Path(__file__).parent))
from train_skill_encoder import _SENTENCE_END, _norm, _skillspan  # noqa: E402

csv.field_size_limit(sys.maxsize)

#: Candidates per text the second stage re-orders.
TOP_K = 50
_TOKEN = re.compile(r"[a-z0-9+#]+")
#: Words that say nothing about which skill a text means.
_FILLER_WORDS = (
    "a an and are as at be by for from in is of on or the to with your our we you will "
    "this that have has who"
)
_FILLER = frozenset(_FILLER_WORDS.split())

FEATURES = (
    "score",
    "score_gap",
    "rank",
    "phrase_text",
    "phrase_name",
    "whole_text",
    "whole_name",
    "phrase_name_gap",
    "whole_text_gap",
    "written_name",
    "written_alias",
    "name_cover",
    "jaccard",
    "evidence_cover",
    "label_words",
    "label_chars",
    "aliases",
    "head_support",
    "token_support",
    "text_words",
)


def _stems(text: str) -> list[str]:
    """Content words cut to five letters: "programming" and "programmer" meet, cheaply."""
    return [w[:5] for w in _TOKEN.findall(text.lower()) if w not in _FILLER]


@dataclass(frozen=True)
class Candidates:
    """The first stage's top labels of one text (indexes into the label space) and features."""

    indexes: npt.NDArray[np.int64]
    features: npt.NDArray[np.float32]


def candidate_features(
    linker: SkillLinker,
    text: str,
    whole: npt.NDArray[np.float32],
    phrase_vectors: npt.NDArray[np.float32],
    best: npt.NDArray[np.float32],
    where: npt.NDArray[np.int32],
    evidence: Sequence[str],
    top_k: int = TOP_K,
) -> Candidates:
    """Features of the ``top_k`` labels of ``best`` (the first stage's scores for ``text``).

    ``whole`` / ``phrase_vectors``: the text's vector and its phrases' as the linker encoded them;
    ``where`` / ``evidence``: the phrase supporting each label, as :meth:`SkillLinker.scores`
    returns them.
    """
    k = min(top_k, len(best))
    top = np.argpartition(-best, k - 1)[:k]
    top = top[np.argsort(-best[top], kind="stable")].astype(np.int64)
    texts, names = linker.vectors[top], linker.name_vectors[top]
    phrase_text = (phrase_vectors @ texts.T).max(axis=0)
    phrase_name = (phrase_vectors @ names.T).max(axis=0)
    whole_text, whole_name = texts @ whole, names @ whole
    written_name, written_alias = np.zeros(k), np.zeros(k)
    position = {int(i): j for j, i in enumerate(top)}
    for phrase, hits in linker.written(text):
        for i in hits:
            j = position.get(i)
            if j is None:
                continue
            if linker.labels[i].lower() == phrase.lower():
                written_name[j] = 1
            else:
                written_alias[j] = 1
    text_stems = set(_stems(text))
    label_stems = [_stems(linker.labels[i]) for i in top]
    heads = [s[0] if s else "" for s in label_stems]
    rows = []
    for j, i in enumerate(top):
        own = set(label_stems[j])
        shared = own & text_stems
        phrase = set(_stems(evidence[where[i]] if where[i] < len(evidence) else ""))
        others = [set(s) for m, s in enumerate(label_stems) if m != j]
        rows.append(
            [
                best[i],
                best[i] - best[top[0]],
                j,
                phrase_text[j],
                phrase_name[j],
                whole_text[j],
                whole_name[j],
                phrase_name[j] - phrase_name.max(),
                whole_text[j] - whole_text.max(),
                written_name[j],
                written_alias[j],
                len(shared) / len(own) if own else 0.0,
                len(shared) / len(own | text_stems) if own | text_stems else 0.0,
                len(phrase & own) / len(phrase | own) if phrase | own else 0.0,
                len(linker.labels[i].split()),
                len(linker.labels[i]),
                len(linker.aliases[i]),
                sum(h == heads[j] for h in heads) - 1 if heads[j] else 0,
                sum(bool(own & o) for o in others),
                len(text_stems),
            ]
        )
    return Candidates(top, np.asarray(rows, dtype=np.float32))


SEED = 13
#: Fixed before measuring anything: small trees, few rounds, strong leaf minimum (a few hundred
#: sentences of training data; the aim is to transfer, not to fit).
PARAMS: dict[str, Any] = {
    "objective": "lambdarank",
    "n_estimators": 200,  # each Setup sets its own rounds
    "learning_rate": 0.05,
    "num_leaves": 7,
    "min_child_samples": 20,
    "subsample": 0.8,
    "subsample_freq": 1,
    "colsample_bytree": 0.8,
    "reg_lambda": 1.0,
    "lambdarank_truncation_level": 20,
    "n_jobs": 1,
    "verbose": -1,
}


def mention_queries(data: Path, labels: list[str], limit: int, seed: int) -> list[Query]:
    """Sentences that write out an ESCO label naming one skill, with those labels as gold."""
    from tandem.skills.importers import import_esco

    space = set(labels)
    owners: dict[str, set[str]] = {}
    for s in import_esco(data / "esco"):
        if s.name not in space:
            continue
        for form in (s.name, *s.aliases):
            key = skill_key(form)
            if len(key) >= 4:
                owners.setdefault(key, set()).add(s.name)
    unique = {k: next(iter(v)) for k, v in owners.items() if len(v) == 1}
    held_out = {
        _norm(q.sentence)
        for split in ("tech", "house")
        for q in load_benchmark(data / "skill-extraction" / f"{split}_validation_annotations.csv")
    }
    gold: dict[str, set[str]] = {}
    for conll in sorted((data / "skill-extraction").glob("skillspan_*_train.conll")):
        for sentence, found in _skillspan(conll):
            if _norm(sentence) in held_out:
                continue
            for span in found:
                label = unique.get(skill_key(span))
                if label:
                    gold.setdefault(sentence, set()).add(label)
    with (data / "jobs" / "upwork_rss_jobs_2024-06.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for sentence in _SENTENCE_END.split(row["description"]):
                sentence = sentence.strip()
                if not 4 <= len(sentence.split()) <= 60 or _norm(sentence) in held_out:
                    continue
                for phrase in spans(sentence, 6):
                    label = unique.get(skill_key(phrase))
                    if label:
                        gold.setdefault(sentence, set()).add(label)
    queries = [Query(s, frozenset(g)) for s, g in sorted(gold.items())]
    random.Random(seed).shuffle(queries)
    return queries[:limit]


def candidates(linker: SkillLinker, queries: list[Query]) -> list[Candidates]:
    """The first stage's top labels of every query, with their features."""
    texts = [q.sentence for q in queries]
    encoded = linker.encode_texts(texts)
    scored = linker.score_encoded(texts, encoded)
    return [
        candidate_features(linker, text, whole, vectors, best, where, evidence)
        for text, (whole, _, vectors), (best, where, evidence) in zip(
            texts, encoded, scored, strict=True
        )
    ]


@dataclass(frozen=True)
class Setup:
    """One way to train the second stage; ``None`` in its place means the first stage alone."""

    mentions: bool
    #: The first-stage score x ``anchor`` is the model's starting point (it learns a correction
    #: to it); 0: it starts from nothing.
    anchor: float
    rounds: int
    #: "all" features, or "relational": without the label's length and alias count, which
    #: together nearly name the label (a model can learn "this label is often right").
    features: str = "all"

    def __str__(self) -> str:
        extra = "+ mentions" if self.mentions else "no mentions"
        return f"{extra}, anchor {self.anchor:g}, {self.rounds} rounds, {self.features} features"

    def columns(self) -> list[int]:
        """The feature columns this setup reads."""
        drop = {"label_words", "label_chars", "aliases"} if self.features == "relational" else set()
        return [i for i, name in enumerate(FEATURES) if name not in drop]


#: The choices model selection sees (fixed before measuring; chosen per direction by 5-fold
#: cross-validation inside the training split, never on the reported one).
SETUPS: list[Setup | None] = [None] + [
    Setup(m, a, r, f)
    for f in ("all", "relational")
    for m in (True, False)
    for a in (0.0, 10.0)
    for r in (50, 200)
]
Data = list[tuple[list[Query], list[Candidates]]]


def fit(linker: SkillLinker, sets: Data, setup: Setup, seed: int) -> Any:
    """A lambdarank model on every query whose gold reaches the candidates (others: no signal)."""
    import lightgbm

    rows, targets, groups = [], [], []
    for queries, cands in sets:
        for q, c in zip(queries, cands, strict=True):
            y = np.array([linker.labels[i] in q.gold for i in c.indexes], dtype=np.int32)
            if y.any():
                rows.append(c.features)
                targets.append(y)
                groups.append(len(y))
    x = np.concatenate(rows)
    init = setup.anchor * x[:, 0]
    x = x[:, setup.columns()]
    model = lightgbm.LGBMRanker(random_state=seed, **{**PARAMS, "n_estimators": setup.rounds})
    model.fit(x, np.concatenate(targets), group=groups, init_score=init)
    return model


def orders(
    linker: SkillLinker, cands: list[Candidates], model: Any | None, setup: Setup | None = None
) -> list[list[str]]:
    """Top candidates re-ordered by ``model`` (first-stage order when None); enough for RP@10."""
    out = []
    for c in cands:
        idx = c.indexes
        if model is not None and setup is not None:
            score = model.predict(c.features[:, setup.columns()])
            score = score + setup.anchor * c.features[:, 0]
            idx = idx[np.argsort(-score, kind="stable")]
        out.append([linker.labels[i] for i in idx])
    return out


def metrics(ranked: list[list[str]], queries: list[Query]) -> tuple[float, float, float]:
    """RP@5, RP@10 and MRR (within the top 50; 0 beyond), in percent."""
    n = len(queries)
    pairs = list(zip(ranked, queries, strict=True))
    return (
        100 * sum(rp_at_k(o, q.gold, 5) for o, q in pairs) / n,
        100 * sum(rp_at_k(o, q.gold, 10) for o, q in pairs) / n,
        100 * sum(reciprocal_rank(o, q.gold) for o, q in pairs) / n,
    )


def measure(
    linker: SkillLinker,
    train: Data,
    test: tuple[list[Query], list[Candidates]],
    setup: Setup | None,
    seed: int,
) -> tuple[float, float, float]:
    """Train ``setup`` on ``train`` and measure it on ``test``."""
    if setup is None:
        return metrics(orders(linker, test[1], None), test[0])
    model = fit(linker, train, setup, seed)
    return metrics(orders(linker, test[1], model, setup), test[0])


def folds(queries: Sequence[Query], seed: int, disjoint: bool) -> list[tuple[list[int], list[int]]]:
    """Five (train, test) splits of ``queries`` by index, seeded.

    ``disjoint``: a training sentence sharing a gold label with any test sentence of its fold
    is left out, so the fold measures labels the model has not seen (what a new split holds).
    """
    order = list(range(len(queries)))
    random.Random(seed).shuffle(order)
    out = []
    for f in range(5):
        test = order[f::5]
        seen = frozenset().union(*(queries[i].gold for i in test))
        train = [i for i in order if i not in test and not (disjoint and queries[i].gold & seen)]
        out.append((train, test))
    return out


def select(
    linker: SkillLinker,
    split: tuple[list[Query], list[Candidates]],
    mentions: Data,
    seed: int,
    disjoint: bool,
) -> tuple[Setup | None, dict[str, float]]:
    """The setup with the best mean RP@5 over :func:`folds` of ``split`` (the training split).

    Mention sentences join a fold's training data only when they share no gold label with its
    test sentences (``disjoint``) or always (not ``disjoint``).
    """
    queries, cands = split
    means: dict[str, float] = {}
    best: tuple[float, Setup | None] = (-1.0, None)
    for setup in SETUPS:
        got = []
        for rest, fold in folds(queries, seed, disjoint):
            seen = frozenset().union(*(queries[i].gold for i in fold))
            train: Data = [([queries[i] for i in rest], [cands[i] for i in rest])]
            if setup is not None and setup.mentions:
                for qs, cs in mentions:
                    keep = [j for j, q in enumerate(qs) if not (disjoint and q.gold & seen)]
                    train.append(([qs[j] for j in keep], [cs[j] for j in keep]))
            test = ([queries[i] for i in fold], [cands[i] for i in fold])
            got.append(measure(linker, train, test, setup, seed)[0])
        means[str(setup)] = sum(got) / len(got)
        if means[str(setup)] > best[0]:
            best = (means[str(setup)], setup)
    return best[1], means


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--mentions", type=int, default=400)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--folds",
        choices=("label-disjoint", "random"),
        default="label-disjoint",
        help="how model selection's folds split the training split (see folds())",
    )
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="tandem-skill-rerank-"))
    engine = Engine(Settings(home=home, encoder="minilm"))
    if not any(s.source == "esco" for s in engine.taxonomy):
        engine.import_taxonomy("esco", args.data / "esco")
    labels = load_labels(args.data / "esco" / "skills_v1.1_preferred_labels.txt")
    linker = engine.linker(labels)
    splits = {
        name: load_benchmark(args.data / "skill-extraction" / f"{name}_validation_annotations.csv")
        for name in ("tech", "house")
    }
    splits["mentions"] = mention_queries(args.data, labels, args.mentions, args.seed)
    print({k: len(v) for k, v in splits.items()}, flush=True)
    cands = {name: candidates(linker, queries) for name, queries in splits.items()}
    reach = {
        name: sum(
            any(linker.labels[i] in q.gold for i in c.indexes)
            for q, c in zip(splits[name], cands[name], strict=True)
        )
        for name in splits
    }
    print(f"queries with a gold label in the top {TOP_K}: {reach}", flush=True)
    mentions: Data = [(splits["mentions"], cands["mentions"])]
    rows = []
    for trained, other in (("house", "tech"), ("tech", "house")):
        own = (splits[trained], cands[trained])
        chosen, means = select(linker, own, mentions, args.seed, args.folds == "label-disjoint")
        print(f"chosen on {trained.upper()} folds: {chosen}; CV RP@5 {means}", flush=True)
        test = (splits[other], cands[other])
        first = measure(linker, [], test, None, args.seed)
        for setup in SETUPS[1:]:
            train = [own] + (mentions if setup is not None and setup.mentions else [])
            got = measure(linker, train, test, setup, args.seed)
            mark = " (chosen)" if setup == chosen else ""
            rows.append((other, f"{trained} {setup}{mark}", means[str(setup)], first, got))
        if chosen is None:
            rows.append((other, f"{trained}: first stage (chosen)", means["None"], first, first))
    print(
        "\n| reported | trained on, setup | CV RP@5 on training split | first stage RP@5 / RP@10 "
        "/ MRR | re-ranked RP@5 / RP@10 / MRR |"
    )
    print("|---|---|---|---|---|")
    for other, name, cv, first, got in rows:
        f = " / ".join(f"{v:.1f}" for v in first)
        g = " / ".join(f"{v:.1f}" for v in got)
        print(f"| {other.upper()} | {name} | {cv:.1f} | {f} | {g} |", flush=True)
    _timing(linker, splits["tech"] + splits["house"])


def _timing(linker: SkillLinker, queries: list[Query]) -> None:
    """What the second stage adds per sentence: its features and one model call."""
    texts = [q.sentence for q in queries]
    encoded = linker.encode_texts(texts)
    scored = linker.score_encoded(texts, encoded)
    model = fit(linker, [(queries, candidates(linker, queries))], Setup(True, 10.0, 50), SEED)
    start = time.perf_counter()
    for text, (whole, _, vectors), (best, where, evidence) in zip(
        texts, encoded, scored, strict=True
    ):
        c = candidate_features(linker, text, whole, vectors, best, where, evidence)
        model.predict(c.features)
    took = (time.perf_counter() - start) * 1000 / len(texts)
    print(f"second stage: {took:.1f} ms/sentence over {len(texts)} sentences", flush=True)


if __name__ == "__main__":
    main()
