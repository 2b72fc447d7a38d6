"""The ``tandem`` command line (Typer + Rich). Settings come from ``TANDEM_`` env vars.

One module per group of commands; importing them registers their commands on :data:`app`.
"""

from tandem.cli import (
    accountability,
    audit,
    cards,
    companion,
    data,
    learning,
    privacy,
    ranking,
    serving,
    users,
)
from tandem.cli.common import app

__all__ = [
    "accountability",
    "app",
    "audit",
    "cards",
    "companion",
    "data",
    "learning",
    "main",
    "privacy",
    "ranking",
    "serving",
    "users",
]


def main() -> None:
    """Entry point of the ``tandem`` script."""
    app()
