"""`tandem learn` prints what it did as lines a person reads, nested mappings indented.

`tandem train` and `tandem learn` take minutes on a real market: they say each stage on
stderr as it goes (plain lines when stderr is no terminal), never on ``--json``'s stdout.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandem.cli import app
from tandem.cli.learning import _print_mapping


def test_nested_results_print_as_indented_lines(capsys: pytest.CaptureFixture[str]) -> None:
    _print_mapping({"status": "promoted", "serving": {"applicants": "v2", "discovery": "v1"}})
    assert capsys.readouterr().out.splitlines() == [
        "status: promoted",
        "serving:",
        "  applicants: v2",
        "  discovery: v1",
    ]


def test_train_and_learn_say_each_stage_on_stderr_and_json_stays_clean(
    home: Path, small_bundle: Path
) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(small_bundle)]).exit_code == 0
    learned = runner.invoke(app, ["learn", "--json"])
    assert learned.exit_code == 0, learned.output
    assert json.loads(learned.stdout)["status"] in ("promoted", "kept")  # it trained
    assert "feature rows" not in learned.stderr  # --json: a machine reads, nothing drawn
    trained = runner.invoke(app, ["train", "--no-promote"])
    assert trained.exit_code == 0, trained.output
    said = trained.stderr.splitlines()
    assert any(line.startswith("applicants: feature rows: started (") for line in said), said
    for stage in ("applicants: boosting rounds", "discovery: held-out pools", "discovery: gating"):
        assert any(line.startswith(f"{stage}: done, ") for line in said), (stage, said)
    assert "feature rows" not in trained.stdout  # the tables on stdout are as they were
    out = " ".join(trained.stdout.split())  # Rich may wrap the line at the terminal's width
    assert "kept as an applicants candidate" in out and "kept as a discovery candidate" in out
