from pathlib import Path

import numpy as np
import pytest

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
