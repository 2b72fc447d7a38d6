import json
from pathlib import Path

from typer.testing import CliRunner

from tandem.cli import app

runner = CliRunner()


def test_generate_import_search_match_as_the_readme_says(home: Path) -> None:
    bundle = home / "market"
    result = runner.invoke(
        app, ["generate", str(bundle), "--freelancers", "120", "--jobs", "60", "--seed", "5"]
    )
    assert result.exit_code == 0, result.output
    assert (bundle / "events.jsonl").exists()
    result = runner.invoke(app, ["import", str(bundle)])
    assert result.exit_code == 0, result.output
    assert "120 new" in result.output

    result = runner.invoke(app, ["search", "talent", "developer", "--max-rate", "60", "--json"])
    assert result.exit_code == 0, result.output
    talent = json.loads(result.stdout)["results"]
    assert all(r["hourly_rate"] <= 60 for r in talent)

    result = runner.invoke(app, ["match", "j000001", "--top", "3", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert len(payload["results"]) == 3
    assert {"freelancer_id", "score", "reasons"} <= payload["results"][0].keys()

    result = runner.invoke(app, ["match", "j000001", "--candidates", "proposals"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["recommend", "f000001", "--json"]).exit_code == 0
    assert runner.invoke(app, ["search", "jobs", "design", "--budget-type", "fixed"]).exit_code == 0
    out = home / "exported"
    assert runner.invoke(app, ["export", str(out)]).exit_code == 0
    assert len((out / "freelancers.jsonl").read_text().splitlines()) == 120


def test_errors_are_one_clear_line_and_a_nonzero_exit(home: Path) -> None:
    result = runner.invoke(app, ["match", "no-such-job"])
    assert result.exit_code == 2
    assert "no job with id 'no-such-job'" in result.output
    result = runner.invoke(app, ["import", str(home / "missing")])
    assert result.exit_code == 2 and "not a directory" in result.output
    result = runner.invoke(app, ["search", "jobs", "x", "--budget-type", "weekly"])
    assert result.exit_code != 0


def test_skills_normalise(home: Path) -> None:
    result = runner.invoke(app, ["skills", "normalise", "ReactJS", "Pyhton"])
    assert result.exit_code == 0
    assert "React (alias)" in result.output and "Python (typo)" in result.output
