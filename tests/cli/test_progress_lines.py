"""Progress when stderr is a pipe or a file: plain lines, not a bar nobody sees until the end."""

from __future__ import annotations

import pytest

from tandem.cli import common


def test_a_step_prints_its_start_each_tenth_and_its_end(
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = common._ProgressLines(every=3600)
    for _ in range(20):
        lines("embed talent", 1, 20)
    lines("embed jobs", 5, 5)
    lines.finish()
    out = capsys.readouterr().err.splitlines()
    assert out[0] == "embed talent: started (20)"
    assert sum(1 for line in out if line.startswith("embed talent: ") and " of 20 " in line) == 10
    assert out[-4].startswith("embed talent: done, 20 in ")
    assert out[-3] == "embed jobs: started (5)"
    assert out[-2].startswith("embed jobs: 5 of 5 (")
    assert out[-1].startswith("embed jobs: done, 5 in ")


def test_progress_bars_print_lines_when_stderr_is_not_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with common.progress_bars() as progress:
        progress("rank jobs", 1, 2)
        progress("rank jobs", 1, 2)
    err = capsys.readouterr().err
    assert "rank jobs: 2 of 2" in err and "rank jobs: done, 2 in" in err
