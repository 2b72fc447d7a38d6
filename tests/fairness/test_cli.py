"""`tandem rank --fair-by`, `TANDEM_FAIR_BY` and `tandem audit rankings`, end to end."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tandem.bundle import Generator, VocabSkill
from tandem.bundle.generator_bias import Bias
from tandem.engine import Engine
from tandem.settings import Settings

runner = CliRunner()


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text().splitlines() if x.strip()]


@pytest.fixture(scope="module")
def biased_bundle(tmp_path_factory: pytest.TempPathFactory, vocabulary: list[VocabSkill]) -> Path:
    out = tmp_path_factory.mktemp("biased-bundle")
    Generator(vocabulary, seed=11, bias=Bias(0.8)).write(out, 300, 150, truth=True)
    return out


def _rank(home: Path, out: Path, *extra: str) -> None:
    from tandem.cli import app

    result = runner.invoke(
        app,
        ["rank", "--jobs", str(home / "jobs.txt"), "--candidates", "proposals", "--out", str(out)]
        + list(extra),
    )
    assert result.exit_code == 0, result.output


def _independent_rates(rankings: Path, genders: dict[str, str], k: int) -> dict[str, float]:
    chosen: dict[str, int] = {}
    seen: dict[str, int] = {}
    for line in _rows(rankings):
        for pos, r in enumerate(line["ranking"]):
            g = genders.get(r["freelancer_id"])
            if g:
                seen[g] = seen.get(g, 0) + 1
                chosen[g] = chosen.get(g, 0) + (pos < k)
    return {g: chosen[g] / seen[g] for g in seen}


def test_fair_rank_and_audit(home: Path, biased_bundle: Path) -> None:
    from tandem.cli import app

    assert runner.invoke(app, ["import", str(biased_bundle)]).exit_code == 0
    jobs = [j["id"] for j in _rows(biased_bundle / "jobs.jsonl")]
    (home / "jobs.txt").write_text("\n".join(jobs) + "\n")
    plain, fair = home / "plain.jsonl", home / "fair.jsonl"
    _rank(home, plain)
    _rank(home, fair, "--fair-by", "gender")
    people = _rows(biased_bundle / "freelancers.jsonl")
    genders = {p["id"]: p["attributes"]["gender"] for p in people if p.get("attributes")}

    ratios = {}
    for path in (plain, fair):
        result = runner.invoke(
            app, ["audit", "rankings", str(path), "--attribute", "gender", "--top-k", "5", "--json"]
        )
        assert result.exit_code == 0, result.output
        audit = json.loads(result.stdout)
        assert set(audit) == {"groups", "unknown", "min_impact_ratio", "models"}
        expected = _independent_rates(path, genders, 5)
        for g, rate in expected.items():
            assert abs(audit["groups"][g]["selection_rate"] - rate) < 0.005
        ratios[path.name] = expected["woman"] / expected["man"]
    assert ratios["fair.jsonl"] >= 0.8

    for a, b in zip(_rows(plain), _rows(fair), strict=True):
        scores = {r["freelancer_id"]: r["score"] for r in a["ranking"]}
        assert {r["freelancer_id"]: r["score"] for r in b["ranking"]} == scores  # reorder only
        for pos, r in enumerate(b["ranking"], start=1):
            assert abs(sum(x["contribution"] for x in r["reasons"]) - r["score"]) < 1e-3
            moved = [x for x in r["reasons"] if x["code"] == "fairness_policy"]
            by_score = [x["freelancer_id"] for x in a["ranking"]].index(r["freelancer_id"]) + 1
            assert bool(moved) == (by_score != pos)
            if moved:
                assert f"position {pos}, {by_score} by score" in moved[0]["text"]
            if r["freelancer_id"] not in genders:
                assert by_score == pos  # unknown: never moved
    text = fair.read_text()
    assert not re.search(r"\b(woman|man|non-binary|gender)\b", text)  # groups never shown

    # a misspelt attribute is an error that names the ones in use, not a silent no-op
    typo = runner.invoke(app, ["audit", "rankings", str(plain), "--attribute", "gendr"])
    assert typo.exit_code == 2 and "'gendr'" in typo.output and "gender" in typo.output
    out = home / "typo.jsonl"
    args = ["--jobs", str(home / "jobs.txt"), "--candidates", "proposals", "--out", str(out)]
    typo = runner.invoke(app, ["rank", *args, "--fair-by", "gendr"])
    assert typo.exit_code == 2 and "attributes in use: gender" in typo.output


def test_the_setting_applies_the_policy_to_served_rankings_and_logs_it(
    home: Path, biased_bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tandem.cli import app

    monkeypatch.setenv("TANDEM_FAIR_BY", "gender")
    assert runner.invoke(app, ["import", str(biased_bundle)]).exit_code == 0
    jobs = [j["id"] for j in _rows(biased_bundle / "jobs.jsonl")][:40]
    (home / "jobs.txt").write_text("\n".join(jobs) + "\n")
    _rank(home, home / "served.jsonl")
    codes = {
        x["code"]
        for line in _rows(home / "served.jsonl")
        for r in line["ranking"]
        for x in r["reasons"]
    }
    assert "fairness_policy" in codes
    engine = Engine(Settings())
    try:
        decision = engine.store.decisions.recent(limit=1)[0]
        logged = decision.request["fairness"]
        assert isinstance(logged, dict) and isinstance(logged.pop("tally_through"), int)
        policy = engine.fairness_policy()
        assert policy is not None and policy.method == "amortised"  # the default
        expected = policy._replace(tally_through=0).as_request()
        assert logged == {k: v for k, v in expected.items() if k != "tally_through"}
        assert "tally" in logged
        assert logged["attribute"] == "gender"
        assert not re.search(r"\b(woman|man|non-binary)\b", decision.model_dump_json())
        # replay uses the logged policy: the rank then is the rank now
        served = decision.results[-1]
        assert engine.why(decision.request_id, served.id)["today"]["rank"] == served.rank
        _rank(home, home / "off.jsonl", "--fair-by", "")
        off = {
            x["code"]
            for line in _rows(home / "off.jsonl")
            for r in line["ranking"]
            for x in r["reasons"]
        }
        assert "fairness_policy" not in off
    finally:
        engine.store.close()


def test_audit_rejects_a_file_that_is_not_a_ranking(home: Path) -> None:
    from tandem.cli import app

    bad = home / "bad.jsonl"
    bad.write_text('{"job_id": "j1", "ranking": [{"id": 1}]}\n')
    result = runner.invoke(app, ["audit", "rankings", str(bad), "--attribute", "gender"])
    # the console folds a long temporary path at its width (xdist workers' paths are longer)
    assert result.exit_code == 2 and "bad.jsonl:1" in result.output.replace("\n", "")
