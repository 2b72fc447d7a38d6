"""Training, the promotion gate, the registry, cold start and the feedback loop."""

import json
from pathlib import Path

import pytest

from tandem.engine import Engine
from tandem.errors import ValidationError
from tandem.learn.train import gate
from tandem.rank.base import MatchFeatures, Scored


class Reversed:
    """A deliberately bad ranker: the heuristic's order, upside down."""

    name = "reversed"
    version = "reversed-1"

    def __init__(self, inner: object) -> None:
        self.inner = inner

    def score_many(self, features: list[MatchFeatures]) -> list[Scored]:
        return [Scored(-s.score, s.contributions) for s in self.inner.score_many(features)]  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path):  # type: ignore[no-untyped-def]
    from tandem.embed import HashingEncoder
    from tests.conftest import make_settings

    engine = Engine(make_settings(tmp_path_factory.mktemp("trained")), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    outcome = engine.train()
    yield engine, outcome
    engine.store.engine.dispose()


def test_training_registers_a_versioned_model_with_its_windows(trained) -> None:  # type: ignore[no-untyped-def]
    engine, outcome = trained
    meta = outcome.model.meta
    assert meta["features"] and meta["sha256"] and meta["windows"]["train"]
    assert meta["windows"]["train"][1] <= meta["windows"]["holdout"][0]  # time-based split
    assert set(outcome.decision.metrics) >= {"candidate", "heuristic"}
    assert engine.models.get(outcome.model.version).version == outcome.model.version


def test_learned_model_serves_with_reasons_from_contributions(trained) -> None:  # type: ignore[no-untyped-def]
    engine, outcome = trained
    if outcome.model.status != "serving":
        pytest.skip(f"gate kept the model on this tiny bundle: {outcome.decision.reason}")
    job = next(j for j in engine.store.jobs.iter_all() if engine.store.proposals.where(job_id=j.id))
    served = engine.serve_match(job.id, top=5, candidates="proposals")
    assert served.model_version == outcome.model.version
    top = served.results[0]
    total = sum(r.contribution for r in top.reasons)
    assert any(r.contribution != 0 for r in top.reasons)
    bias = top.score - total
    assert abs(bias) < 5  # contributions + the model's bias give the score


def test_gate_refuses_a_worse_model(trained) -> None:  # type: ignore[no-untyped-def]
    engine, _ = trained
    from tandem.learn.runner import labelled_groups, load_training_data
    from tandem.learn.train import split_by_time

    data = load_training_data(engine.store)
    windows = split_by_time(labelled_groups(engine.store, engine.matcher, data, None, 0))
    decision = gate(
        Reversed(engine.heuristic), {"heuristic": engine.heuristic}, windows.holdout.groups
    )
    assert not decision.promote
    assert "does not beat heuristic" in decision.reason
    assert decision.metrics["candidate"] < decision.metrics["heuristic"]


def test_promote_and_rollback(trained) -> None:  # type: ignore[no-untyped-def]
    engine, outcome = trained
    engine.models.promote(outcome.model.version)
    assert engine.ranker.version == outcome.model.version
    previous = engine.models.rollback()
    assert previous is None and engine.ranker is engine.heuristic
    assert "heuristic" in engine.ranker_note
    with pytest.raises(ValidationError, match="nothing to roll back"):
        engine.models.rollback()


def test_tampered_model_is_refused(trained, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    engine, outcome = trained
    path = engine.models.root / outcome.model.version / "model.txt"
    original = path.read_bytes()
    path.write_bytes(original + b"\n")
    try:
        with pytest.raises(ValidationError, match="SHA-256"):
            engine.models.load(outcome.model.version)
    finally:
        path.write_bytes(original)


def test_cold_start_says_so(bare_engine: Engine, tmp_path: Path) -> None:
    assert bare_engine.ranker is bare_engine.heuristic
    assert "no trained model" in bare_engine.ranker_note
    with pytest.raises(ValidationError, match="too few labels"):
        bare_engine.train()


def test_no_consent_no_training_rows(trained) -> None:  # type: ignore[no-untyped-def]
    engine, _ = trained
    from tandem.learn.runner import labelled_groups, load_training_data

    data = load_training_data(engine.store)
    assert data.excluded
    groups = labelled_groups(engine.store, engine.matcher, data, None, 0)
    used = {fid for g in groups.groups for fid in g.freelancer_ids}
    assert not used & data.excluded


def test_learn_is_idempotent_without_new_outcomes(trained) -> None:  # type: ignore[no-untyped-def]
    engine, _ = trained
    first = engine.learn()
    assert first["status"] in {"promoted", "kept"}
    second = engine.learn()
    assert second["status"] == "unchanged" and second["new_outcomes"] == 0
    state = json.loads((engine.settings.home / "learn_state.json").read_text())
    assert state["last_model"] == first["model"]
