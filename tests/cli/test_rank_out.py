"""`tandem rank --out`: each line names its logged ranking, which `tandem why` replays."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

runner = CliRunner()


def _run(*args: str) -> str:
    from tandem.cli import app

    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_batch_ranking_names_its_request_and_model_and_replays(
    home: Path, small_bundle: Path
) -> None:
    """A trial could not trace a batch ranking: no request id, no model, in its lines."""
    _run("import", str(small_bundle))
    jobs = [json.loads(x)["id"] for x in (small_bundle / "jobs.jsonl").read_text().splitlines()]
    (home / "jobs.txt").write_text("\n".join([*jobs[:4], "no-such-job"]) + "\n")
    out = home / "r.jsonl"
    _run("rank", "--jobs", str(home / "jobs.txt"), "--candidates", "all", "--top-k", "5",
         "--out", str(out))  # fmt: skip
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    ranked = [line for line in lines if "error" not in line]
    assert len(ranked) == 4 and all(line["ranking"] for line in ranked)
    for line in ranked:
        assert set(line) == {"job_id", "request_id", "model", "ranking"}
        assert line["model"] and len(line["request_id"]) >= 16
    assert "request_id" not in lines[-1] and lines[-1]["error"]  # the unknown job: as before
    first = ranked[0]
    person = first["ranking"][1]["freelancer_id"]
    replay = json.loads(_run("why", first["request_id"], person, "--json"))
    assert replay["subject"] == first["job_id"]
    assert replay["logged"]["rank"] == 2 and replay["logged"]["model_version"] == first["model"]
    audit = json.loads(_run("audit", "rankings", str(out), "--attribute", "gender", "--json"))
    assert audit["models"] == {first["model"]: 4}
    said = " ".join(_run("audit", "rankings", str(out), "--attribute", "gender").split())
    assert f"ranked by: {first['model']} (4 lists)" in said
