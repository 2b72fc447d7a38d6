"""The skill-linking commands: extract on the built-in taxonomy, the benchmark contract on ESCO."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandem.cli import app
from tests.conftest import shared_data

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_extract_names_the_supporting_phrase(home: Path) -> None:
    result = runner.invoke(
        app,
        [
            "skills",
            "extract",
            "We need a Django developer who knows Stripe",
            "--taxonomy",
            "builtin",
            "--top-k",
            "5",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    skills = json.loads(result.stdout)["skills"]
    by_label = {s["label"]: s["evidence"] for s in skills}
    assert by_label.get("Django") == "Django" and by_label.get("Stripe") == "Stripe"


def test_extract_without_esco_says_what_to_do(home: Path) -> None:
    result = runner.invoke(app, ["skills", "extract", "bookkeeping"])
    said = " ".join(result.output.split())
    assert result.exit_code != 0 and "tandem taxonomy import esco" in said
    assert "esco.ec.europa.eu" in said and "--taxonomy builtin" in said
    builtin = runner.invoke(app, ["skills", "extract", "bookkeeping", "--taxonomy", "builtin"])
    assert builtin.exit_code == 0, builtin.output


def test_the_readme_esco_import_runs_as_written(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared_data("esco")
    line = next(x for x in README.splitlines() if x.startswith("tandem taxonomy import esco "))
    words = line.split("#")[0].split()[1:]
    monkeypatch.chdir(ROOT)  # README commands run from the repository root
    result = runner.invoke(app, words)
    assert result.exit_code == 0, result.output
    extract = runner.invoke(app, ["skills", "extract", "keep our books", "--top-k", "3"])
    assert extract.exit_code == 0, extract.output


def test_benchmark_contract_on_the_validation_split(home: Path) -> None:
    esco = shared_data("esco")
    bench = shared_data("skill-extraction", "tech_validation_annotations.csv")
    assert runner.invoke(app, ["taxonomy", "import", "esco", str(esco)]).exit_code == 0
    result = runner.invoke(
        app,
        [
            "eval",
            "skills",
            "--benchmark",
            str(bench),
            "--labels",
            str(esco / "skills_v1.1_preferred_labels.txt"),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["queries"] == 75
    assert 0 < scores["rp@5"] <= 1 and 0 < scores["mrr"] <= 1 and 0 < scores["rp@10"] <= 1
    # RP@10 >= RP@5 / 2 for every query (min(10, |gold|) <= 2 * min(5, |gold|)), so averaged too
    assert scores["rp@10"] >= scores["rp@5"] / 2
    # A random ranking of 13,895 labels scores about 0.001; the hashing encoder measured 0.48
    assert scores["rp@10"] >= 0.3


def test_thin_job_posts_get_skills_from_the_reader(bare_engine) -> None:  # type: ignore[no-untyped-def]
    from tandem.domain import Job

    job = Job.model_validate(
        {
            "id": "thin",
            "title": "Help wanted",
            "description": "We need Python and Django for our API",
            "created_at": "2026-11-01T00:00:00Z",
        }
    )
    calls: list[str] = []
    original = bare_engine.reader.read

    def spy(text: str):  # type: ignore[no-untyped-def]
        calls.append(text)
        return original(text)

    bare_engine.reader.read = spy
    bare_engine._matcher = None
    skills, inferred = bare_engine.matcher.job_skills(job)
    assert inferred and {"Python", "Django"} <= set(skills)
    assert calls == []  # two exact mentions already: the dense tier is not needed
    thin = job.model_copy(update={"description": "Someone to keep our books in order"})
    bare_engine.matcher.job_skills(thin)
    assert calls and "books" in calls[0]
    listed = job.model_copy(update={"skills": ["Python", "Django", "PostgreSQL"]})
    calls.clear()
    assert bare_engine.matcher.job_skills(listed) == (["Python", "Django", "PostgreSQL"], False)
    assert calls == []  # a full skills list is not second-guessed
