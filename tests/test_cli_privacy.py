"""Issue 11's outside check, end to end through the CLI: serve, export, erase, no trace, verify.

A market is imported with one person made recognisable (a name, email, phone and overview
sentence nobody else has). Rankings that include them are served, their export is checked,
then they are erased and every byte under TANDEM_HOME (database, WAL, indexes, models,
exported files) is searched for them.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandem.cli import app

runner = CliRunner()
PERSON = {
    "name": "Zephyrine Quillfeather",
    "email": "zephyrine.q@example.org",
    "phone": "+44 7911 123456",
    "overview": "Ledger whisperer who tamed seventeen unruly quarterly closes in Oslo.",
}


def _market(home: Path) -> str:
    """Generate a market and make its first freelancer recognisable; returns their id."""
    bundle = home / "market"
    args = ["generate", str(bundle), "--freelancers", "60", "--jobs", "20"]
    assert runner.invoke(app, args).exit_code == 0
    path = bundle / "freelancers.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0]) | PERSON
    lines[0] = json.dumps(first, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(first["id"])


def traces(root: Path, needles: list[str]) -> list[str]:
    """Every file under ``root`` holding any needle's bytes (binary search, WAL included)."""
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.relative_to(root)}: {n!r}" for n in needles if n.encode() in data]
    return found


def _ok(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_erasure_leaves_no_trace_and_the_log_still_verifies(home: Path) -> None:
    tandem_home = home / "home"
    fid = _market(home)
    _ok(["import", str(home / "market")])
    served = json.loads(_ok(["match", "j000001", "--top", "60", "--json"]))
    assert fid in [r["freelancer_id"] for r in served["results"]]
    _ok(["recommend", fid, "--top", "5"])
    _ok(["match", "j000002", "--top", "5"])
    _ok(["search", "talent", f"ledger work like {PERSON['name']}", "--skill", PERSON["name"]])
    _ok(["search", "jobs", f"{fid} and {PERSON['email']}"])  # the email is redacted first
    exports = tandem_home / "exports"
    exports.mkdir()
    _ok(["export", str(exports / "bundle")])

    export = exports / f"{fid}.json"
    _ok(["export", "person", fid, "--out", str(export)])
    document = json.loads(export.read_text(encoding="utf-8"))
    assert document["profile"]["email"] == PERSON["email"]
    assert document["profile"]["overview"] == PERSON["overview"]
    ranked = [r for r in document["rankings"] if r.get("shown")]
    assert any(r["request_id"] == served["request_id"] for r in ranked)
    position = next(r for r in ranked if r["request_id"] == served["request_id"])["position"]
    assert served["results"][position - 1]["freelancer_id"] == fid
    assert any(r.get("for_you") for r in document["rankings"])  # the recommendation

    assert json.loads(_ok(["log", "verify", "--json"]))["ok"]
    needles = [fid, *PERSON.values()]
    assert traces(tandem_home, needles)  # the search below can find them

    assert "--yes" in _ok(["erase", "freelancer", fid])  # a dry run: exit 0, nothing changed
    plan = json.loads(_ok(["erase", "freelancer", fid, "--json"]))
    assert plan["dry_run"] and plan["id"] == fid and plan["log_entries"] >= 4
    assert json.loads(_ok(["log", "verify", "--json"]))["entries"] == 5
    report = json.loads(_ok(["erase", "freelancer", fid, "--yes", "--json"]))
    assert report["rows"]["freelancers"] == 1 and report["log_entries"] == plan["log_entries"]

    assert traces(tandem_home, needles) == []
    check = json.loads(_ok(["log", "verify", "--json"]))
    assert check["ok"] and check["entries"] == 5
    again = _ok(["import", str(home / "market")])  # the original bundle, outside the home
    assert "skipped" in again and "erased" in again
    assert traces(tandem_home, needles) == []
    assert json.loads(_ok(["log", "verify", "--json"]))["ok"]
    assert (exports / "bundle" / "freelancers.jsonl").exists()  # the others' lines stay
    assert not export.exists()

    with sqlite3.connect(tandem_home / "tandem.db") as db:
        db.execute("UPDATE decisions SET model_version = 'forged' WHERE seq = 2")
    result = runner.invoke(app, ["log", "verify"])
    assert result.exit_code == 1 and "entry 2" in result.output


def test_exporting_an_unknown_id_says_no_person_has_it(home: Path) -> None:
    result = runner.invoke(app, ["export", "person", "nobody-42", "--out", str(home / "x.json")])
    assert result.exit_code != 0
    assert "no person with id 'nobody-42'" in result.output and "client" in result.output
    assert not (home / "x.json").exists()


def test_purge_applies_retention_reports_and_is_idempotent(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = home / "market"
    _ok(["generate", str(bundle), "--freelancers", "30", "--jobs", "10"])
    _ok(["import", str(bundle)])
    for job in ("j000001", "j000002", "j000003"):
        _ok(["match", job, "--top", "5"])
    with sqlite3.connect(home / "home" / "tandem.db") as db:  # two entries from a year ago
        db.execute("UPDATE decisions SET ts = '2025-01-01 00:00:00.000000' WHERE seq <= 2")
    monkeypatch.setenv("TANDEM_RETENTION_EVENTS_DAYS", "1")  # the market's events are older
    first = json.loads(_ok(["purge", "--json"]))
    assert first["decision_log_entries"] == 2 and first["events"] > 0
    assert set(json.loads(_ok(["purge", "--json"])).values()) == {0}
    check = json.loads(_ok(["log", "verify", "--json"]))
    assert check["ok"] and check["entries"] == 1 and check["head"]["seq"] == 3


def test_a_decision_log_kept_under_six_months_is_refused(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TANDEM_RETENTION_DECISIONS_DAYS", "30")
    result = runner.invoke(app, ["purge"])
    assert result.exit_code == 2
    assert "TANDEM_RETENTION_DECISIONS_DAYS" in result.output and "183" in result.output
