"""Docs that tests keep honest: the README's settings table and commands."""

import re
from pathlib import Path
from typing import Any

import typer
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


COMMAND_LINE = re.compile(r"^tandem ([a-z][a-z-]*(?: [a-z][a-z-]*)?)", flags=re.M)


def _command_path(words: list[str]) -> list[str] | None:
    """The command a documented line runs (group and subcommand), or None if it does not exist.

    A second word is a subcommand when the first is a group (and must then exist), an
    argument otherwise, so a missing subcommand cannot hide behind its group's ``--help``.
    """
    commands: dict[str, Any] = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    command = commands.get(words[0])
    subcommands: dict[str, Any] | None = getattr(command, "commands", None)
    if subcommands is None:
        return None if command is None else words[:1]
    if len(words) < 2 or words[1] not in subcommands:
        return None
    return words[:2]


def _missing_commands(text: str) -> list[str]:
    return [line for line in COMMAND_LINE.findall(text) if _command_path(line.split()) is None]


def test_every_command_in_the_readme_exists() -> None:
    assert _missing_commands(README) == []
    runner = CliRunner()
    for line in COMMAND_LINE.findall(README):
        path = _command_path(line.split())
        assert path is not None
        assert runner.invoke(app, [*path, "--help"]).exit_code == 0, line


def test_a_missing_subcommand_is_caught() -> None:
    text = "tandem taxonomy nonsense DIR\ntandem nope\ntandem taxonomy\ntandem match j000001\n"
    assert _missing_commands(text) == ["taxonomy nonsense", "nope", "taxonomy"]
