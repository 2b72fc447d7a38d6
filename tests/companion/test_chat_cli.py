import json
import re
from pathlib import Path

from typer.testing import CliRunner

from tandem.cli import app
from tandem.engine import Engine
from tandem.settings import Settings


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


def _add(runner: CliRunner, name: str, *binding: str) -> str:
    added = runner.invoke(app, ["users", "add", name, *binding, "--json"])
    assert added.exit_code == 0, added.output
    return str(json.loads(added.stdout)["user_id"])


def test_chat_acts_as_the_local_operator_or_as_a_named_user(home: Path, small_bundle: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(small_bundle)]).exit_code == 0
    engine = Engine(Settings())
    me, other = (f.id for f in engine.store.freelancers.page(0, 2)[0])
    ana = _add(runner, "ana", "--role", "freelancer", "--freelancer-id", me)

    mine = runner.invoke(app, ["chat", "--as", "ana"], input="find me a designer\n/quit\n")
    assert mine.exit_code == 0, mine.output
    session = re.search(r"--session ([0-9a-f]{32})", mine.output)
    assert session is not None
    conv = engine.store.conversations.get(session.group(1))
    assert conv.actor == ana and conv.state["context"]["freelancer_id"] == me
    refused = runner.invoke(app, ["chat", "--as", "ana", "--freelancer", other], input="/quit\n")
    said = " ".join(refused.output.split())  # Rich wraps the line at the terminal's width
    assert refused.exit_code != 0 and "open the assistant here only for your own profile" in said

    local = runner.invoke(app, ["chat"], input="find me a designer\n/quit\n")
    assert local.exit_code == 0, local.output
    theirs = re.search(r"--session ([0-9a-f]{32})", local.output)
    assert theirs is not None
    assert engine.store.conversations.get(theirs.group(1)).actor.startswith("local:")
    # ana cannot resume the operator's session, nor the operator ana's
    for who, sid in ((["--as", "ana"], theirs), ([], session)):
        resumed = runner.invoke(app, ["chat", *who, "--session", sid.group(1)], input="/quit\n")
        assert resumed.exit_code != 0 and "no companion session" in resumed.output


def test_companion_commands_take_the_rules_of_who_they_act_as(
    home: Path, small_bundle: Path
) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(small_bundle)]).exit_code == 0
    engine = Engine(Settings())
    me, other = (f.id for f in engine.store.freelancers.page(0, 2)[0])
    _add(runner, "ana", "--role", "freelancer", "--freelancer-id", me)
    assert runner.invoke(app, ["companion", "tips", me, "--as", "ana", "--json"]).exit_code == 0
    refused = runner.invoke(app, ["companion", "tips", other, "--as", "ana"])
    assert refused.exit_code != 0 and "profile.recommendations" not in refused.output
    said = " ".join(refused.output.split())  # Rich wraps the line at the terminal's width
    assert "you can see the jobs recommended to a freelancer only for yourself" in said
    assert runner.invoke(app, ["companion", "tips", other, "--json"]).exit_code == 0  # operator
    nobody = runner.invoke(app, ["companion", "tips", me, "--as", "nobody"])
    assert nobody.exit_code != 0 and "no active user named 'nobody'" in nobody.output
