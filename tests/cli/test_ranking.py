"""`tandem search`: a search that finds nothing says what to try, and --json stays as it was."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tandem.cli import app


def test_a_search_in_another_language_that_finds_nobody_prints_a_hint(
    home: Path, small_bundle: Path
) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(small_bundle)]).exit_code == 0
    for kind, what in (("talent", "profile"), ("jobs", "job post")):
        found = runner.invoke(app, ["search", kind, "Übersetzer"])
        assert found.exit_code == 0, found.output
        said = " ".join(found.stdout.split())  # Rich wraps at the terminal's width
        assert f"hint: No {what} matches 'Übersetzer': no {what}'s title, skills, " in said
        assert "another language than your search" in said
        as_json = runner.invoke(app, ["search", kind, "Übersetzer", "--json"])
        payload = json.loads(as_json.stdout)  # stdout is the JSON alone, keys as before
        assert payload["results"] == [] and "hint" not in as_json.stdout
        assert set(payload) == {"request_id", "model_version", "ranker", "results", "total"}
    found = runner.invoke(app, ["search", "talent", "developer"])
    assert found.exit_code == 0 and "hint:" not in found.stdout  # it found people: no hint


def test_a_country_that_is_not_two_letters_is_refused_as_the_api_refuses_it(
    home: Path, small_bundle: Path
) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(small_bundle)]).exit_code == 0
    refused = runner.invoke(app, ["search", "talent", "django", "--country", "USA"])
    assert refused.exit_code == 2, refused.output
    said = refused.stderr.strip()
    assert len(said.splitlines()) == 1 and "error: country must be an ISO 3166-1" in said
    assert "got 'USA'" in said and refused.stdout == ""
    assert runner.invoke(app, ["search", "talent", "django", "--country", "us"]).exit_code == 0
