"""`tandem log verify` and `tandem log head`, as an operator runs them."""

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from tandem.cli import app

runner = CliRunner()


def test_verify_passes_on_served_rankings_and_names_an_edited_entry(home: Path) -> None:
    bundle = home / "market"
    assert (
        runner.invoke(
            app, ["generate", str(bundle), "--freelancers", "60", "--jobs", "20"]
        ).exit_code
        == 0
    )
    assert runner.invoke(app, ["import", str(bundle)]).exit_code == 0
    for job in ("j000001", "j000002", "j000003"):
        assert runner.invoke(app, ["match", job, "--top", "5"]).exit_code == 0

    result = runner.invoke(app, ["log", "verify", "--json"])
    assert result.exit_code == 0, result.output
    check = json.loads(result.stdout)
    assert check["ok"] and check["entries"] == 3 and check["problem"] is None
    head = json.loads(runner.invoke(app, ["log", "head", "--json"]).stdout)
    assert head == check["head"] and head["seq"] == 3

    with sqlite3.connect(home / "home" / "tandem.db") as db:
        db.execute("UPDATE decisions SET model_version = 'forged' WHERE seq = 2")
    result = runner.invoke(app, ["log", "verify"])
    assert result.exit_code == 1
    assert "entry 2" in result.output and "does not match its hash" in result.output


def test_why_prints_a_redacted_query_as_logged(home: Path) -> None:
    """The placeholders "[email]" and "[phone]" are text; the terminal must not eat them."""
    bundle = home / "market"
    generated = runner.invoke(app, ["generate", str(bundle), "--freelancers", "40", "--jobs", "10"])
    assert generated.exit_code == 0
    assert runner.invoke(app, ["import", str(bundle)]).exit_code == 0
    found = runner.invoke(
        app, ["search", "talent", "developer jane@example.org +44 20 7946 0958", "--json"]
    )
    payload = json.loads(found.stdout)
    first = payload["results"][0]["freelancer_id"]
    result = runner.invoke(app, ["why", payload["request_id"], first])
    assert result.exit_code == 0, result.output
    assert "developer [email] [phone]" in result.output and "jane@" not in result.output
