"""The contract an outside benchmark uses: import, train, rank (proposals and all), eval."""

import json
from pathlib import Path

from typer.testing import CliRunner

from tandem.cli import app

runner = CliRunner()


def test_import_train_rank(home: Path, small_bundle: Path) -> None:
    assert runner.invoke(app, ["import", str(small_bundle)]).exit_code == 0
    result = runner.invoke(app, ["train"])
    assert result.exit_code == 0, result.output
    assert "NDCG@10" in result.output
    jobs = [json.loads(x) for x in (small_bundle / "jobs.jsonl").read_text().splitlines()]
    proposals = [json.loads(x) for x in (small_bundle / "proposals.jsonl").read_text().splitlines()]
    ids = [j["id"] for j in jobs if j["status"] == "open"][:8] + ["no-such-job"]
    (home / "JOB_IDS.txt").write_text("\n".join(ids) + "\n")

    out = home / "rankings.jsonl"
    result = runner.invoke(
        app,
        [
            "rank",
            "--jobs",
            str(home / "JOB_IDS.txt"),
            "--candidates",
            "proposals",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [x["job_id"] for x in lines] == ids
    for line in lines[:-1]:
        applicants = sorted(p["freelancer_id"] for p in proposals if p["job_id"] == line["job_id"])
        ranked = [r["freelancer_id"] for r in line["ranking"]]
        assert sorted(ranked) == applicants  # every applicant exactly once
        scores = [r["score"] for r in line["ranking"]]
        assert scores == sorted(scores, reverse=True)
        assert all(r["reasons"] for r in line["ranking"])
    assert lines[-1]["ranking"] == [] and "no-such-job" in lines[-1]["error"]

    out_all = home / "retrieval.jsonl"
    result = runner.invoke(
        app,
        [
            "rank",
            "--jobs",
            str(home / "JOB_IDS.txt"),
            "--candidates",
            "all",
            "--top-k",
            "100",
            "--out",
            str(out_all),
        ],
    )
    assert result.exit_code == 0, result.output
    for line in [json.loads(x) for x in out_all.read_text().splitlines()][:-1]:
        ids_ranked = [r["freelancer_id"] for r in line["ranking"]]
        assert 0 < len(ids_ranked) <= 100 and len(set(ids_ranked)) == len(ids_ranked)


def test_eval_ranking_prints_every_method(home: Path, small_bundle: Path) -> None:
    result = runner.invoke(
        app, ["eval", "ranking", "--bundle", str(small_bundle), "--cutoff", "2026-08-01", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report["metrics"]) == {"random", "bm25", "embeddings", "heuristic", "learned"}
    assert report["jobs_evaluated"] > 5
    for values in report["metrics"].values():
        assert 0 <= values["ndcg@10"] <= 1 and 0 <= values["recall@100"] <= 1


def test_eval_rejects_a_bad_cutoff(home: Path, small_bundle: Path) -> None:
    result = runner.invoke(
        app, ["eval", "ranking", "--bundle", str(small_bundle), "--cutoff", "yesterday"]
    )
    assert result.exit_code == 2 and "ISO" in result.output
