from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.search.postings import SkillColumn


def _saved(tmp_path: Path, skills: list[list[str]]) -> SkillColumn:
    column = SkillColumn.empty()
    for label, names in enumerate(skills):
        column.set(label, names)
    codes, offsets = tmp_path / "skills.npy", tmp_path / "skill_offsets.npy"
    column.write(codes, offsets, len(skills))
    return SkillColumn.open(column.vocabulary, codes, offsets)


def test_a_filter_read_while_a_saved_label_is_being_set_never_keeps_its_old_skills(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    column = _saved(tmp_path, [["Python"], ["Go"]])
    column.set(1, ["Go", "Rust"])  # a label set since the save: the next filter lists those
    assert column.labels_with("python").tolist() == [0]
    set_run = column.codes.set

    def read_in_between(label: int, run: np.ndarray) -> None:
        column.labels_with("python")  # a request thread's filter, between the writer's steps
        set_run(label, run)

    monkeypatch.setattr(column.codes, "set", read_in_between)
    column.set(0, ["Go"])
    monkeypatch.setattr(column.codes, "set", set_run)
    assert column.labels_with("python").tolist() == []
    assert sorted(column.labels_with("go").tolist()) == [0, 1]


def test_a_sync_setting_many_labels_holds_no_set_of_labels_per_skill(tmp_path: Path) -> None:
    """A sync sets every profile of a bundle and filters none before its save: the labels per
    skill it kept for filters cost ~0.5 KB a profile (eight skills) until the save."""
    import tracemalloc

    names = [f"skill {i}" for i in range(300)]
    column = _saved(tmp_path, [["Python"]])
    tracemalloc.start()
    try:
        for label in range(1, 5001):
            column.set(label, [names[(label * k) % 300] for k in range(1, 9)])
        per_label = tracemalloc.get_traced_memory()[0] / 5000
    finally:
        tracemalloc.stop()
    assert per_label < 120  # eight codes and an end; ~700 B with a set and an array each
    assert sorted(column.labels_with("skill 8").tolist()) == [
        label
        for label in range(1, 5001)
        if "skill 8" in {names[(label * k) % 300] for k in range(1, 9)}
    ]


@settings(max_examples=40, deadline=None)
@given(
    steps=st.lists(
        st.one_of(
            st.tuples(
                st.just("set"), st.integers(0, 7), st.lists(st.sampled_from("ABCab"), max_size=3)
            ),
            st.tuples(st.just("filter"), st.sampled_from("abc"), st.just([])),
        ),
        max_size=25,
    )
)
def test_filters_agree_with_the_skills_set_before_and_after_the_first_filter(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[str, Any, list[str]]]
) -> None:
    """Oracle: a list of skill lists; labels set before a filter asked and after it must
    answer alike (the labels per skill are built on first use, then kept up to date)."""
    column = _saved(tmp_path_factory.mktemp("skills"), [["A"], ["b", "C"], []])
    oracle = [["A"], ["b", "C"], []] + [[] for _ in range(5)]
    for kind, arg, names in steps:
        if kind == "set":
            column.set(arg, names)
            oracle[arg] = names
        else:
            expected = [i for i, run in enumerate(oracle) if arg in {n.lower() for n in run}]
            assert sorted(column.labels_with(arg).tolist()) == expected
    for key in "abc":
        expected = [i for i, run in enumerate(oracle) if key in {n.lower() for n in run}]
        assert sorted(column.labels_with(key).tolist()) == expected
