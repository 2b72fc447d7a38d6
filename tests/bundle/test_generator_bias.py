"""A market with bias in it: penalised decisions and records, and the unbiased truth beside it."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

import pytest

from tandem.bundle import Generator, VocabSkill
from tandem.bundle.generator_bias import Bias

FILES = ("clients", "freelancers", "jobs", "proposals", "events")
GRADES = {"hire": 3, "interview": 2, "shortlist": 1, "message": 1}


def _rows(directory: Path, name: str) -> list[dict[str, Any]]:
    return [json.loads(x) for x in (directory / f"{name}.jsonl").read_text().splitlines()]


def _grades(directory: Path) -> dict[tuple[str, str], int]:
    """Grades from the events, counted the way tandem.learn.labels counts them."""
    grade = {(p["job_id"], p["freelancer_id"]): 0 for p in _rows(directory, "proposals")}
    for e in _rows(directory, "events"):
        pair = (e["job_id"], e["freelancer_id"])
        if e["type"] in GRADES:
            grade[pair] = max(grade[pair], GRADES[e["type"]])
        elif e["type"] == "invite" and pair in grade:
            grade[pair] = max(grade[pair], 1)
    return grade


def _truth(directory: Path) -> dict[tuple[str, str], int]:
    rows = _rows(directory / "truth", "unbiased_outcomes")
    return {(r["job_id"], r["freelancer_id"]): r["grade"] for r in rows}


@pytest.fixture(scope="module")
def markets(vocabulary: list[VocabSkill], tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("biased")
    Generator(vocabulary, seed=7).write(root / "plain", 500, 300)
    Generator(vocabulary, seed=7, bias=Bias(0.0)).write(root / "zero", 500, 300, truth=True)
    Generator(vocabulary, seed=7, bias=Bias(0.8)).write(root / "biased", 500, 300, truth=True)
    return root


def test_bias_zero_is_todays_market_byte_for_byte(markets: Path) -> None:
    for name in FILES:
        plain = (markets / "plain" / f"{name}.jsonl").read_bytes()
        assert plain == (markets / "zero" / f"{name}.jsonl").read_bytes(), name
    assert not (markets / "plain" / "truth").exists()


def test_unbiased_truth_at_bias_zero_is_what_happened(markets: Path) -> None:
    assert _truth(markets / "zero") == _grades(markets / "zero")


def test_truth_covers_every_applicant_and_sits_beside_the_bundle(markets: Path) -> None:
    truth = _truth(markets / "biased")
    assert set(truth) == set(_grades(markets / "biased"))
    params = json.loads((markets / "biased" / "truth" / "bias.json").read_text())
    assert params["bias"] == 0.8 and params["group"] == "woman"


def _by_gender(directory: Path) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for p in _rows(directory, "freelancers"):
        out.setdefault((p.get("attributes") or {}).get("gender", "?"), []).append(p)
    return out


def test_the_group_has_a_depressed_record_and_fewer_good_outcomes(markets: Path) -> None:
    plain, biased = _by_gender(markets / "plain"), _by_gender(markets / "biased")
    for field in ("total_jobs", "job_success", "rating"):
        before = statistics.mean(p[field] for p in plain["woman"] if field in p)
        after = statistics.mean(p[field] for p in biased["woman"] if field in p)
        assert after < before, field
        men = [statistics.mean(p[field] for p in g["man"] if field in p) for g in (plain, biased)]
        assert men[0] == men[1], field  # only the penalised group changes
    women = {p["id"] for p in biased["woman"]}
    events, truth = _grades(markets / "biased"), _truth(markets / "biased")
    hired = sum(1 for (_, f), g in events.items() if g == 3 and f in women)
    fair_hired = sum(1 for (_, f), g in truth.items() if g == 3 and f in women)
    assert hired < fair_hired


def test_bias_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        Bias(1.5)


def test_cli_bias_zero_writes_todays_bytes_and_the_truth(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tandem.cli import app

    runner = CliRunner()
    base = ["--freelancers", "60", "--jobs", "30", "--seed", "2"]
    assert runner.invoke(app, ["generate", str(tmp_path / "a"), *base]).exit_code == 0
    done = runner.invoke(app, ["generate", str(tmp_path / "b"), *base, "--bias", "0"])
    assert done.exit_code == 0, done.output
    for name in FILES:
        a = (tmp_path / "a" / f"{name}.jsonl").read_bytes()
        assert a == (tmp_path / "b" / f"{name}.jsonl").read_bytes()
    assert (tmp_path / "b" / "truth" / "unbiased_outcomes.jsonl").exists()
    bad = runner.invoke(
        app, ["generate", str(tmp_path / "c"), "--bias", "0.5", "--bias-against", "x"]
    )
    assert bad.exit_code == 2 and "attribute=value" in bad.output
