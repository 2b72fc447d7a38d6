"""Docs that tests keep honest: the README's settings table and commands."""

import re
from pathlib import Path

from typer.testing import CliRunner

from tandem.cli import app
from tandem.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_settings_table_matches_the_settings_class() -> None:
    documented = set(re.findall(r"^\| `TANDEM_([A-Z_]+)` \|", README, flags=re.M))
    assert documented == {name.upper() for name in Settings.model_fields}


def test_readme_first_screen_has_the_two_commands() -> None:
    first_screen = "\n".join(README.splitlines()[:12])
    assert "make demo" in first_screen and "make test" in first_screen


def test_every_command_in_the_quickstart_exists() -> None:
    runner = CliRunner()
    for line in re.findall(r"^tandem ([a-z]+(?: [a-z]+)?)", README, flags=re.M):
        words = line.split()
        result = runner.invoke(app, [*words, "--help"])
        if result.exit_code != 0:
            result = runner.invoke(app, [words[0], "--help"])
        assert result.exit_code == 0, line
