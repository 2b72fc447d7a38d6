import re
from pathlib import Path

from typer.testing import CliRunner

from tandem.cli import app


def test_chat_holds_a_session_and_resumes_it(home: Path, small_bundle: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(small_bundle)]).exit_code == 0
    first = runner.invoke(app, ["chat"], input="find me a developer under $50/h\ncheaper\n/quit\n")
    assert first.exit_code == 0, first.output
    assert "AI assistant" in first.output
    assert "rate at most $50/h" in first.output and "rate at most $40/h (cheaper)" in first.output
    session = re.search(r"--session ([0-9a-f]{32})", first.output)
    assert session is not None

    again = runner.invoke(
        app, ["chat", "--session", session.group(1)], input="only 90%+ job success\n/quit\n"
    )
    assert again.exit_code == 0, again.output
    assert "you> cheaper" in again.output  # the stored turns are shown again
    assert "job success at least 90%" in again.output


def test_chat_with_an_unknown_session_fails_clearly(home: Path) -> None:
    result = CliRunner().invoke(app, ["chat", "--session", "nope"])
    assert result.exit_code != 0 and "no companion session" in result.output


def test_chat_invites_from_the_search_it_just_showed(home: Path, small_bundle: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(small_bundle)]).exit_code == 0
    said = "find me a designer\ninvite the first one\nwhy is the first above the second?\n/quit\n"
    result = runner.invoke(app, ["chat"], input=said)
    assert result.exit_code == 0, result.output
    assert "open the job's page first" not in result.output
    assert "Which job should I invite" in result.output
    assert "tie-breaking" not in result.output and "relevance to the search" in result.output
