"""The ``tandem`` script loads only the command modules a command needs (``tandem.cli``).

The routing table is written by hand, so these tests hold it to what the modules register: a
command whose module is missing from its row would vanish from ``tandem that-command``.
"""

from __future__ import annotations

import json
import subprocess
import sys

import typer

from tandem.cli import COMMANDS, MODULES, load, modules_for


def _modules(group: typer.Typer) -> set[str]:
    """The command modules whose functions ``group`` (and its subgroups) run."""
    found = {c.callback.__module__ for c in group.registered_commands if c.callback}
    for sub in group.registered_groups:
        assert sub.typer_instance is not None
        found |= _modules(sub.typer_instance)
    return found


def _registered() -> dict[str, set[str]]:
    app = load()
    table: dict[str, set[str]] = {}
    for command in app.registered_commands:
        assert command.callback is not None
        name = command.name or command.callback.__name__.replace("_", "-")
        table.setdefault(name, set()).add(command.callback.__module__)
    for group in app.registered_groups:
        assert group.name is not None and group.typer_instance is not None
        table.setdefault(group.name, set()).update(_modules(group.typer_instance))
    return table


def test_every_command_is_routed_to_exactly_the_modules_that_register_it() -> None:
    routed = {name: {f"tandem.cli.{m}" for m in mods} for name, mods in COMMANDS.items()}
    assert routed == _registered()


def test_every_routed_module_is_a_command_module() -> None:
    assert {m for mods in COMMANDS.values() for m in mods} <= set(MODULES)


def test_help_options_and_unknown_words_load_everything() -> None:
    assert modules_for([]) == MODULES
    assert modules_for(["--help"]) == MODULES
    assert modules_for(["mtach", "j1"]) == MODULES  # Typer then names the known commands
    assert modules_for(["match", "j1"]) == ("ranking",)
    assert modules_for(["export", "person", "f1"]) == ("data", "privacy")


def test_the_script_imports_only_the_module_of_its_command() -> None:
    code = (
        "import json, sys\n"
        "from tandem.cli import main\n"
        "sys.argv = ['tandem', 'match', '--help']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('tandem.cli.'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert "tandem.cli.ranking" in loaded
    assert not {"tandem.cli.learning", "tandem.cli.privacy", "tandem.cli.companion"} & set(loaded)


def test_python_dash_m_tandem_is_the_tandem_script() -> None:
    """``python -m tandem`` answers like ``tandem`` (it failed: no ``tandem.__main__``)."""
    done = subprocess.run(
        [sys.executable, "-m", "tandem", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "import" in done.stdout and "serve" in done.stdout
