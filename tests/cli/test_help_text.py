"""``--help`` paragraphs wrap at the terminal's width, not where the docstring's lines end.

Typer keeps a docstring's single line breaks after the first paragraph and Rich wraps each
line again: at 80 columns ``tandem serve --help`` read "each building its app from the
TANDEM_" / "environment: ..." / "picks up a" / "newer snapshot". Lists keep their lines.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tandem.cli import app

#: Commands whose help has paragraphs after the first: the four a new user's trial read, and
#: the others that broke the same way.
LONG_HELP = [
    ["serve"], ["chat"], ["demo"], ["audit", "report"], ["audit", "rankings"], ["train"],
    ["rank"], ["db", "upgrade"], ["users", "revoke"],
]  # fmt: skip


def _description(path: list[str], width: int) -> list[list[str]]:
    """The help's text above its first box, as paragraphs of printed lines."""
    shown = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": str(width)}).output
    text = shown.split("╭", 1)[0].split("\n")
    lines = [
        line.strip() for line in text[text.index(next(t for t in text if "Usage:" in t)) + 1 :]
    ]
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("path", LONG_HELP, ids=" ".join)
def test_each_line_of_a_paragraph_is_as_full_as_the_terminal_allows(
    path: list[str], width: int
) -> None:
    """A line ends early only where its paragraph does: the next word would not have fit."""
    paragraphs = _description(path, width)
    assert len(paragraphs) >= 2, paragraphs  # the paragraphs after the first are the point
    for paragraph in paragraphs:
        for line, after in zip(paragraph, paragraph[1:], strict=False):
            room = width - 2  # Rich's one-space margin each side
            assert len(line) + 1 + len(after.split()[0]) > room, (line, after)


def test_serve_says_the_environment_in_one_sentence() -> None:
    said = " ".join(line for p in _description(["serve"], 80) for line in p)
    assert "each building its app from the TANDEM_ environment: all serve one store" in said


def test_reflow_joins_a_paragraphs_lines_and_keeps_the_rest() -> None:
    from tandem.cli.helptext import reflow

    doc = """First line.

    A paragraph
    over three
    lines.

    Exit status:
    0 every line imported;
    2 bad input, nothing imported (a required file missing,
    --strict);
    1 any other failure.

    Run it as:
        tandem import DIR
        tandem index
    """
    assert reflow(doc).split("\n\n") == [
        "First line.",
        "A paragraph over three lines.",
        "Exit status:\n0 every line imported;\n"
        "2 bad input, nothing imported (a required file missing, --strict);\n"
        "1 any other failure.",
        "Run it as:\n    tandem import DIR\n    tandem index",
    ]
    assert reflow(reflow(doc)) == reflow(doc)
    assert reflow("\b\nkept\nas is") == "\b\nkept\nas is"
