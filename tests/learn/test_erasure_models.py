"""Which models used whose data; erasure flags them, `learn` retrains; consent holds throughout."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandem.cli import app
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.conftest import make_settings


def _hired(bundle: Path) -> list[str]:
    """Freelancers with a hire in the bundle, most hires first (sure to be in training)."""
    counts: dict[str, int] = {}
    for line in (bundle / "events.jsonl").read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        if event["type"] == "hire" and event.get("freelancer_id"):
            counts[event["freelancer_id"]] = counts.get(event["freelancer_id"], 0) + 1
    return sorted(counts, key=lambda f: (-counts[f], f))


def _withhold_consent(bundle: Path, freelancer_id: str) -> None:
    path = bundle / "freelancers.jsonl"
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["id"] == freelancer_id:
            record["consent"] = {"model_training": False}
        lines.append(json.dumps(record))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _people(engine: Engine, version: str) -> set[str]:
    rows = engine.store.db.fetchall(
        "SELECT person FROM model_data WHERE model_version = ?", (version,)
    )
    return {r[0] for r in rows}


def test_models_know_their_people_erasure_flags_them_and_consent_holds(
    tmp_path: Path, small_bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(small_bundle, bundle)
    withheld, erased = _hired(bundle)[:2]
    _withhold_consent(bundle, withheld)
    engine = Engine(make_settings(tmp_path / "home"), encoder=HashingEncoder())
    engine.import_bundle(bundle)

    first = {t: run.model.version for t, run in engine.train().runs.items()}
    for version in first.values():
        used = _people(engine, version)
        assert f"freelancer:{erased}" in used and f"freelancer:{withheld}" not in used
    assert engine.export_person("freelancer", erased)["models"] == sorted(first.values())

    report = engine.erase("freelancer", erased)
    assert sorted(report.models) == sorted(first.values())
    assert set(engine.erased_models()) == set(first.values())
    assert all(f"freelancer:{erased}" not in _people(engine, v) for v in first.values())

    monkeypatch.setenv("TANDEM_HOME", str(engine.settings.home))
    monkeypatch.setenv("TANDEM_ENCODER", "hashing")
    monkeypatch.setenv("COLUMNS", "300")
    listed = CliRunner().invoke(app, ["models", "list"])
    assert listed.exit_code == 0 and listed.stdout.count("predates an erasure") == 2
    monkeypatch.setenv("COLUMNS", "80")  # a terminal too narrow for the table: one block each
    narrow = CliRunner().invoke(app, ["models", "list"])
    assert narrow.exit_code == 0 and narrow.stdout.count("predates an erasure") == 2
    assert all(f"\n{v}  " in narrow.stdout for v in first.values())  # whole, on their own line
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 80
    listed_json = json.loads(CliRunner().invoke(app, ["models", "list", "--json"]).stdout)
    assert {m["version"] for m in listed_json["models"]} >= set(first.values())
    assert all(
        m["predates_erasure"] for m in listed_json["models"] if m["version"] in first.values()
    )
    # The card says it too, from the same rule, in its limits (the JSON keeps its keys).
    on = f"{engine.erased_models()[first['applicants']]:%Y-%m-%d}"
    card = CliRunner().invoke(app, ["models", "card", first["applicants"]])
    assert card.exit_code == 0 and f"Predates an erasure ({on})" in " ".join(card.stdout.split())
    card_json = json.loads(
        CliRunner().invoke(app, ["models", "card", first["applicants"], "--json"]).stdout
    )
    assert card_json["limits"][0].startswith(f"Predates an erasure ({on}): it was trained on")

    result = engine.learn()  # no new outcomes, but an erasure: it retrains
    assert result["status"] in ("promoted", "kept"), result
    for version in result["models"].values():
        used = _people(engine, version)
        assert used and f"freelancer:{erased}" not in used
        assert f"freelancer:{withheld}" not in used
    assert engine.learn()["status"] == "unchanged"  # the flag is spent

    engine.import_bundle(bundle)  # the erased person comes back from the source; consent stays
    again = engine.train()
    for run in again.runs.values():
        assert f"freelancer:{withheld}" not in run.people
        assert f"freelancer:{withheld}" not in _people(engine, run.model.version)
    engine.store.close()

    # Serving an old version again would bring the erased person's influence back.
    cli = CliRunner()
    old, fresh = first["applicants"], result["models"]["applicants"]
    serving = engine.models.serving_version("applicants")
    refused = cli.invoke(app, ["models", "promote", old])
    assert refused.exit_code == 2 and "predates an erasure" in refused.output
    assert engine.models.serving_version("applicants") == serving
    assert cli.invoke(app, ["models", "promote", fresh]).exit_code == 0
    forced = cli.invoke(app, ["models", "promote", old, "--yes"])
    assert forced.exit_code == 0 and "predates an erasure" in forced.output
    assert engine.models.serving_version("applicants") == old
    assert cli.invoke(app, ["models", "promote", fresh]).exit_code == 0
    back = cli.invoke(app, ["models", "rollback", "--task", "applicants"])  # to ``old``
    assert back.exit_code == 2 and "predates an erasure" in back.output
    assert engine.models.serving_version("applicants") == fresh
    assert cli.invoke(app, ["models", "rollback", "--yes"]).exit_code == 0
    assert engine.models.serving_version("applicants") == old


def test_a_model_that_predates_an_erasure_is_no_rival_for_its_retrain(
    tmp_path: Path, small_bundle: Path
) -> None:
    engine = Engine(make_settings(tmp_path / "home"), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    first = engine.train()
    serving = {t for t, run in first.runs.items() if run.decision.promote}
    assert serving, "the small market's first models serve (else this test proves nothing)"
    again = engine.train()  # nobody erased: a serving model is a rival
    assert all("serving" in again.runs[t].decision.metrics for t in serving)

    engine.erase("freelancer", _hired(small_bundle)[0])
    tainted = set(engine.erased_models())
    assert {engine.models.serving_version(t) for t in serving} <= tainted
    retrained = engine.train()
    for task, run in retrained.runs.items():
        # gated against the heuristic only, whatever served before the erasure
        assert set(run.decision.metrics) == {"candidate", "heuristic"}, task
        if run.decision.promote:
            assert engine.models.serving_version(task) not in tainted
