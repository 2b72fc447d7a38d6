import json
import re
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
    # Every table names its request, so `tandem why` can replay it.
    for args in (
        ["search", "talent", "developer"],
        ["search", "jobs", "design"],
        ["recommend", "f000001"],
        ["match", "j000001"],
    ):
        table = runner.invoke(app, args)
        ids = re.findall(r"^request ([0-9a-f]{32})$", table.output, flags=re.M)
        assert table.exit_code == 0 and len(ids) == 1, (args, table.output[-300:])
        assert "ranked by the " in table.output
    served = runner.invoke(app, ["match", "j000001", "--top", "3", "--json"])
    first = json.loads(served.stdout)["results"][0]["freelancer_id"]
    replay = runner.invoke(app, ["why", ids[0], first])
    assert replay.exit_code == 0, replay.output
    stats = runner.invoke(app, ["stats", "--json"])
    assert stats.exit_code == 0, stats.output
    counts = json.loads(stats.stdout)
    assert counts["store"]["freelancers"] == counts["indexes"]["talent"]["documents"] == 120
    assert counts["store"]["jobs"] == counts["indexes"]["jobs"]["vectors"] == 60
    assert counts["store"]["decisions"] >= 9 and counts["store"]["decision_log_payload_bytes"] > 0
    assert counts["indexes"]["talent"]["in_sync"] and counts["indexes"]["jobs"]["in_sync"]
    assert "120 documents" in runner.invoke(app, ["stats"]).output
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


def _bundle_with_one_bad_line(root: Path) -> Path:
    bundle = root / "partial"
    bundle.mkdir()
    good = {"id": "f1", "name": "Ana", "hourly_rate": 40, "country": "PT"}
    good["joined_at"] = "2024-01-02T00:00:00Z"
    rows = [json.dumps(good), json.dumps({**good, "id": "f2", "timezone": "Not/AZone"})]
    (bundle / "freelancers.jsonl").write_text("\n".join(rows) + "\n")
    job = {"id": "j1", "title": "Logo", "created_at": "2026-01-01"}
    (bundle / "jobs.jsonl").write_text(json.dumps(job) + "\n")
    return bundle


def test_an_import_that_skipped_lines_exits_3_and_keeps_the_good_ones(home: Path) -> None:
    result = runner.invoke(app, ["import", str(_bundle_with_one_bad_line(home))])
    assert result.exit_code == 3, result.output
    assert "freelancers.jsonl:2: timezone: time zone 'Not/AZone'" in result.stderr
    assert "freelancers: 1 new" in result.stdout
    assert runner.invoke(app, ["export", str(home / "out")]).exit_code == 0
    exported = (home / "out" / "freelancers.jsonl").read_text().splitlines()
    assert [json.loads(line)["id"] for line in exported] == ["f1"]


def test_strict_is_bad_input_and_imports_nothing(home: Path) -> None:
    result = runner.invoke(app, ["import", "--strict", str(_bundle_with_one_bad_line(home))])
    assert result.exit_code == 2 and "nothing imported" in result.output


def test_the_exit_statuses_of_import_are_documented() -> None:
    help_text = runner.invoke(app, ["import", "--help"]).output
    assert "3 the good lines imported, bad ones skipped" in help_text
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert "exits 3" in readme


def test_db_upgrade_migrates_once_then_finds_the_schema_current(home: Path) -> None:
    first = runner.invoke(app, ["db", "upgrade"])
    assert first.exit_code == 0, first.output
    assert "schema upgraded: empty ->" in first.output
    again = runner.invoke(app, ["db", "upgrade"])
    assert again.exit_code == 0 and "schema already current" in again.output
