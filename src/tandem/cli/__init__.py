"""The ``tandem`` command line (Typer + Rich). Settings come from ``TANDEM_`` env vars.

One module per group of commands; importing a module registers its commands on the one Typer
app (:data:`tandem.cli.common.app`). The ``tandem`` script imports only the modules that
define the command it runs (:data:`COMMANDS`): a person typing ``tandem match`` waits for
the matcher, not for training, erasure and the companion (together about 0.15 s of a 1.5 s
budget, issue 9). ``tandem --help``, an unknown word and ``tandem.cli.app`` load them all.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

#: The command modules, in the order their commands appear in ``tandem --help``.
MODULES = (
    "accountability",
    "audit",
    "bench",
    "cards",
    "companion",
    "data",
    "learning",
    "privacy",
    "ranking",
    "serving",
    "users",
)

#: Each top-level command or group -> the modules that register it (or its subcommands).
#: ``tests/test_cli_lazy.py`` checks this against what the modules actually register.
COMMANDS: dict[str, tuple[str, ...]] = {
    "audit": ("audit",),
    "bench": ("bench",),
    "chat": ("companion",),
    "companion": ("companion",),
    "db": ("serving",),
    "demo": ("serving",),
    "erase": ("privacy",),
    "eval": ("learning",),
    "export": ("data", "privacy"),
    "generate": ("data",),
    "import": ("data",),
    "index": ("data",),
    "learn": ("learning",),
    "log": ("accountability",),
    "match": ("ranking",),
    "models": ("cards", "learning"),
    "purge": ("privacy",),
    "rank": ("learning",),
    "recommend": ("ranking",),
    "search": ("ranking",),
    "serve": ("serving",),
    "skills": ("data",),
    "stats": ("data",),
    "taxonomy": ("data",),
    "train": ("learning",),
    "users": ("users",),
    "why": ("ranking",),
}

__all__ = ["COMMANDS", "MODULES", "app", "load", "main"]


def load(modules: tuple[str, ...] = MODULES) -> typer.Typer:
    """The Typer app with the commands of ``modules`` registered (all of them by default)."""
    for name in modules:
        importlib.import_module(f"tandem.cli.{name}")
    from tandem.cli.common import app
    from tandem.cli.helptext import reflow_commands

    reflow_commands(app)  # help paragraphs wrap at the terminal's width (tandem.cli.helptext)
    return app


def __getattr__(name: str) -> Any:
    """``tandem.cli.app``: the app with every command (for tests and embedding)."""
    if name == "app":
        return load()
    raise AttributeError(f"module 'tandem.cli' has no attribute {name!r}")


def modules_for(argv: list[str]) -> tuple[str, ...]:
    """The command modules that running ``tandem *argv`` needs (all, for help or a typo)."""
    first = argv[0] if argv else ""
    return COMMANDS.get(first, MODULES)


def main() -> None:
    """Entry point of the ``tandem`` script."""
    # Tandem uses no pydantic plugins; looking for them scans every installed package's entry
    # points when the first model class is built (30-50 ms per command in a full environment).
    # Set here, for the script's process only: a program embedding Tandem keeps its plugins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    load(modules_for(sys.argv[1:]))()
