"""`tandem generate --style`: a named market style, and a clear error for an unknown one."""

import json
from pathlib import Path

from typer.testing import CliRunner

from tandem.cli import app

runner = CliRunner()


def test_generate_with_a_style_writes_that_market(tmp_path: Path) -> None:
    args = ["--freelancers", "60", "--jobs", "30", "--seed", "2"]
    plain = runner.invoke(app, ["generate", str(tmp_path / "plain"), *args])
    styled = runner.invoke(app, ["generate", str(tmp_path / "agency"), *args, "--style", "agency"])
    assert plain.exit_code == 0 and styled.exit_code == 0, styled.output
    rows = (tmp_path / "agency" / "jobs.jsonl").read_text().splitlines()
    posts = [json.loads(x)["description"] for x in rows]
    assert any("\n" in p for p in posts)  # bulleted requirement lists
    assert not any("\n" in json.loads(x)["description"] for x in
                   (tmp_path / "plain" / "jobs.jsonl").read_text().splitlines())  # fmt: skip


def test_unknown_style_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", str(tmp_path / "x"), "--style", "bazaar"])
    assert result.exit_code == 2
    assert "--style must be one of default" in result.output
