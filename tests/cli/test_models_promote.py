"""`tandem models promote`: the operator decides, but a failed gate is never promoted silently.

Trial 16 promoted a discovery model that had failed its gate with exit 0 and no word; served,
it put people covering 0 of 3 skills in the top 5. The registry records here are made as
``tandem train`` makes them (:meth:`ModelRegistry.add` with the gate's verdict in the meta).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tandem.access import Identity
from tandem.cli import app
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tandem.errors import ConflictError
from tandem.rank.learned import LambdaMartConfig, LearnedRanker
from tandem.rank.vector import TASK_COLUMNS
from tests.conftest import make_settings

FAILED = "NDCG@10 (whole pool) 0.1000 does not beat heuristic 0.2000"


def _candidate(engine: Engine, *, passed: bool) -> str:
    """A small discovery model stored as a candidate with the gate's verdict."""
    rng = np.random.default_rng(3)
    x = rng.random((60, len(TASK_COLUMNS["discovery"])))
    grades = (rng.random(60) > 0.8).astype(np.int64)
    cfg = LambdaMartConfig(max_rounds=5, min_data_in_leaf=5, early_stopping_rounds=5)
    model = LearnedRanker.fit((x, grades, [20] * 3), (x, grades, [20] * 3), cfg, task="discovery")
    gate = "NDCG@10 (whole pool) 0.3000 beats heuristic 0.2000" if passed else FAILED
    return engine.models.add(model, {"gate": gate, "gate_passed": passed}).version


@pytest.fixture
def engine(home: Path) -> Engine:
    """An engine on the CLI's home (``home`` points ``TANDEM_HOME`` at it)."""
    return Engine(make_settings(home / "home"), encoder=HashingEncoder())


def test_a_failed_gate_is_refused_naming_its_result_unless_forced(engine: Engine) -> None:
    version = _candidate(engine, passed=False)
    runner = CliRunner()
    refused = runner.invoke(app, ["models", "promote", version, "--reason", "try it"])
    assert refused.exit_code != 0
    said = " ".join(refused.output.split())
    assert "did not pass its promotion gate" in said and FAILED in said and "--force" in said
    assert engine.models.serving_version("discovery") is None
    forced = runner.invoke(app, ["models", "promote", version, "--force", "--reason", "try it"])
    assert forced.exit_code == 0, forced.output
    assert f"serving {version} for discovery" in forced.stdout
    assert "did not pass its promotion gate" in " ".join(forced.stderr.split())  # still said
    assert engine.models.serving_version("discovery") == version


def test_a_passed_gate_is_promoted_with_the_same_command_line_as_before(engine: Engine) -> None:
    version = _candidate(engine, passed=True)
    done = CliRunner().invoke(app, ["models", "promote", version])
    assert done.exit_code == 0, done.output
    assert engine.models.serving_version("discovery") == version


def test_the_engine_refuses_it_for_every_face(engine: Engine) -> None:
    version = _candidate(engine, passed=False)
    operator = engine.as_user(Identity(user_id="u_op", role="operator"), "web")
    with pytest.raises(ConflictError, match="did not pass its promotion gate"):
        operator.promote_model(version, "looks fine to me")
    operator.promote_model(version, "looks fine to me", despite_gate=True)
    assert engine.models.serving_version("discovery") == version


def test_the_clis_reason_reaches_the_record_the_web_shows_and_none_is_said(
    engine: Engine,
) -> None:
    """Trial: CLI changes showed as "(no reason given)" on the models page; --reason existed."""
    version = _candidate(engine, passed=True)
    runner = CliRunner()
    done = runner.invoke(app, ["models", "promote", version, "--reason", " better  on\nholdout "])
    assert done.exit_code == 0, done.output
    assert "without a reason" not in done.stderr
    bare = runner.invoke(app, ["models", "rollback", "--task", "discovery"])  # as before
    assert bare.exit_code == 0, bare.output
    assert "recorded without a reason; add --reason TEXT" in " ".join(bare.stderr.split())
    latest, first = engine.models.changes()[:2]
    assert (first["action"], first["by"], first["reason"]) == (
        "promote",
        "cli",
        "better on holdout",
    )
    assert (latest["action"], latest["reason"]) == ("rollback", "")
