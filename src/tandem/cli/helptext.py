r"""Help paragraphs that wrap at the terminal's width, not where the docstring's lines end.

Typer (rich markup mode, the default with Rich installed) joins the lines of a command's first
help paragraph but keeps every single line break of the paragraphs after it, and Rich then
wraps each of those lines again at the terminal's width: a 95-column docstring line read at 80
columns ends in a stray short line ("each building its app from the TANDEM_" / "environment").
:func:`reflow` joins each paragraph's lines before Typer reads the docstring, so Rich wraps the
paragraph as one. What is laid out on purpose keeps its lines:

- a paragraph that starts with ``\b`` (click's mark for "do not rewrap");
- indented lines (an example command);
- list items: in a paragraph where two or more lines start with "- ", "* " or a number and a
  space ("0 every line imported;"), each item starts a line; its wrapped rest is joined to it.

:func:`reflow_commands` applies it to every command registered on a Typer app, once the
command modules are imported (:func:`tandem.cli.load`).
"""

from __future__ import annotations

import inspect
import re
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import typer

#: A line that starts a list item: "- x", "* x", "• x", "3 x", "2. x", "1) x".
ITEM: Final = re.compile(r"^(?:[-*\u2022]|\d+[.)]?)\s+\S")


def reflow(text: str) -> str:
    """``text`` (a docstring) with each paragraph's hard line breaks joined into spaces."""
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(_reflow_paragraph(p) for p in paragraphs)


def _reflow_paragraph(paragraph: str) -> str:
    lines = paragraph.split("\n")
    if paragraph.startswith("\b") or len(lines) == 1:
        return paragraph
    listed = sum(1 for line in lines if ITEM.match(line)) >= 2
    out: list[str] = []
    for line in lines:
        keep = not out or line.startswith((" ", "\t")) or out[-1].startswith((" ", "\t"))
        if keep or (listed and ITEM.match(line)):
            out.append(line)
        else:
            out[-1] = f"{out[-1].rstrip()} {line.strip()}"
    return "\n".join(out)


def reflow_commands(app: typer.Typer) -> None:
    """Reflow the help of every command on ``app`` and on the groups added to it."""
    for info in app.registered_commands:
        text = info.help if info.help is not None else inspect.getdoc(info.callback)
        if text:
            info.help = reflow(text)
    for group in app.registered_groups:
        if group.typer_instance is not None:
            reflow_commands(group.typer_instance)
