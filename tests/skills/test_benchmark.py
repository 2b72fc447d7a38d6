from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.embed import HashingEncoder
from tandem.errors import ValidationError
from tandem.skills.benchmark import evaluate_linker, load_benchmark, reciprocal_rank, rp_at_k
from tandem.skills.linker import SkillLinker, label_text, spans


def test_protocol_groups_by_sentence_and_drops_unusable_labels(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text(
        "sentence,span,sub_span,label\n"
        "use python daily,python,,Python (computer programming)\n"
        "use python daily,daily,,LABEL NOT PRESENT\n"
        "great team,team,,UNDERSPECIFIED\n"
        'manage staff,"manage staff",,manage staff\n'
        "use python daily,use,,Python (computer programming)\n"
    )
    queries = load_benchmark(path)
    assert [(q.sentence, sorted(q.gold)) for q in queries] == [
        ("use python daily", ["Python (computer programming)"]),
        ("manage staff", ["manage staff"]),
    ]


def test_two_column_files_work_and_bad_files_fail_clearly(tmp_path: Path) -> None:
    (tmp_path / "two.csv").write_text("sentence,label\nx,a\n")
    assert load_benchmark(tmp_path / "two.csv")[0].gold == {"a"}
    (tmp_path / "bad.csv").write_text("text,tag\nx,a\n")
    with pytest.raises(ValidationError, match="sentence"):
        load_benchmark(tmp_path / "bad.csv")


labels = st.sampled_from(list("abcdefghij"))


@given(st.lists(labels, unique=True, min_size=1), st.sets(labels, min_size=1), st.integers(1, 12))
def test_rp_matches_the_oracle_and_is_bounded(ranked: list[str], gold: set[str], k: int) -> None:
    value = rp_at_k(ranked, frozenset(gold), k)
    hits = sum(1 for x in ranked[:k] if x in gold)
    assert value == hits / min(k, len(gold))
    assert 0.0 <= value <= 1.0
    perfect = sorted(gold) + [x for x in ranked if x not in gold]
    assert rp_at_k(perfect, frozenset(gold), k) == 1.0


@given(st.lists(labels, unique=True, min_size=1), st.sets(labels, min_size=1))
def test_reciprocal_rank_oracle(ranked: list[str], gold: set[str]) -> None:
    expected = next((1 / (i + 1) for i, x in enumerate(ranked) if x in gold), 0.0)
    assert reciprocal_rank(ranked, frozenset(gold)) == expected


def test_spans_skip_stop_word_edges() -> None:
    found = spans("experience with the Python programming language", 3)
    assert "Python programming" in found and "with the Python" not in found


def test_linker_ranks_and_explains(tmp_path: Path) -> None:
    names = ["Python (computer programming)", "manage staff", "bake bread"]
    aliases = [["python"], ["staff management"], ["baking"]]
    texts = [label_text(n, a, "") for n, a in zip(names, aliases, strict=True)]
    linker = SkillLinker(names, texts, aliases, HashingEncoder(), cache_dir=tmp_path)
    top = linker.rank("We write Python every day", 3)
    assert top[0].label == "Python (computer programming)" and top[0].evidence == "Python"
    assert len(list(tmp_path.glob("labels-*.npy"))) == 2  # label texts and names, cached
    scores = evaluate_linker(
        lambda s: [x.label for x in linker.rank(s)],
        load_benchmark_from([("bake some bread", "bake bread")], tmp_path),
    )
    assert scores.rp5 == 1.0 and scores.queries == 1


def load_benchmark_from(rows: list[tuple[str, str]], tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "mini.csv"
    path.write_text("sentence,label\n" + "".join(f"{s},{lab}\n" for s, lab in rows))
    return load_benchmark(path)
