"""Training, the promotion gate, the registry, cold start and the feedback loop."""

import json
from pathlib import Path

import pytest

from tandem.engine import Engine
from tandem.errors import ValidationError
from tandem.learn.train import gate
from tandem.rank.base import MatchFeatures, Scored
from tandem.rank.features import now_utc
from tandem.rank.learned import LambdaMartConfig


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
    heard: list[tuple[str, int, int]] = []
    outcome = engine.train(progress=lambda stage, n, total: heard.append((stage, n, total)))
    engine.heard = heard  # type: ignore[attr-defined]  # what the run said as it went
    yield engine, outcome
    engine.store.close()


def test_a_run_reports_each_stage_with_its_count(trained) -> None:  # type: ignore[no-untyped-def]
    """A run on a real market takes minutes: each stage says how far it is, in order."""
    engine, outcome = trained
    heard: list[tuple[str, int, int]] = engine.heard
    stages = list(dict.fromkeys(stage for stage, _, _ in heard))
    assert stages == [
        "applicants: feature rows",
        "applicants: boosting rounds",
        "applicants: gating",
        "discovery: feature rows",
        "discovery: boosting rounds",
        "discovery: held-out pools",
        "discovery: gating",
    ]
    for stage in stages:
        steps = [(n, total) for s, n, total in heard if s == stage]
        total = steps[-1][1]  # boosting may stop early: its last step says where
        assert total > 0 and all(t >= total for _, t in steps), stage
        assert sum(n for n, _ in steps) == total, stage  # it ends where it said it would
    rounds = [t for s, _, t in heard if s == "applicants: boosting rounds"]
    best = outcome.runs["applicants"].model.meta["best_iteration"]
    assert rounds[0] == LambdaMartConfig().max_rounds >= rounds[-1] >= best > 0, (rounds, best)
    groups = outcome.runs["applicants"].groups
    rows = next(total for s, _, total in heard if s == "applicants: feature rows")
    assert rows >= sum(groups.values())  # one step per job with outcomes (some then dropped)
    rankers = len(outcome.runs["applicants"].decision.metrics)  # the candidate and its rivals
    assert next(t for s, _, t in heard if s == "applicants: gating") == rankers


def test_training_registers_one_versioned_model_per_task(trained) -> None:  # type: ignore[no-untyped-def]
    engine, outcome = trained
    assert set(outcome.runs) == {"applicants", "discovery"}
    for task, run in outcome.runs.items():
        meta = run.model.meta
        assert meta["task"] == task and run.model.task == task
        assert meta["features"] and meta["sha256"] and meta["windows"]["train"]
        assert meta["windows"]["train"][1] <= meta["windows"]["holdout"][0]  # time-based split
        assert set(run.decision.metrics) >= {"candidate", "heuristic"}
        assert engine.models.get(run.model.version).version == run.model.version
    discovery = outcome.runs["discovery"].model.meta["features"]
    assert not {"applied", "invited", "letter_words_log", "price_is_bid"} & set(discovery)
    assert "applied" in outcome.runs["applicants"].model.meta["features"]
    assert set(outcome.runs["discovery"].decision.floors) == {"recall@100", "skill_coverage@10"}
    prior = outcome.runs["discovery"].model.meta["prior"]
    assert prior["ranker"] == "heuristic" and prior["scale"] > 1  # starts from the heuristic
    assert outcome.runs["applicants"].model.meta["prior"] is None


@pytest.fixture
def promoted(trained):  # type: ignore[no-untyped-def]
    """Both trained models serving whatever their gates said (a person's override)."""
    engine, outcome = trained
    before = {t: engine.models.serving_version(t) for t in outcome.runs}
    for run in outcome.runs.values():
        engine.models.promote(run.model.version)
    yield engine, outcome
    for task, version in before.items():
        if version is None:
            while engine.models.serving_version(task) is not None:  # type: ignore[arg-type]
                engine.models.rollback(task)  # type: ignore[arg-type]
        else:
            engine.models.promote(version)


def test_learned_reasons_add_up_to_the_score_exactly(promoted) -> None:  # type: ignore[no-untyped-def]
    engine, outcome = promoted
    job = next(j for j in engine.store.jobs.iter_all() if engine.store.proposals.where(job_id=j.id))
    for mode, task in (("proposals", "applicants"), ("all", "discovery")):
        served = engine.serve_match(job.id, top=5, candidates=mode)
        assert served.model_version == outcome.runs[task].model.version
        for result in served.results:
            total = sum(r.contribution for r in result.reasons)
            assert any(r.contribution != 0 for r in result.reasons)
            assert total == pytest.approx(result.score, abs=1e-3)


def test_discovery_ignores_applications(promoted) -> None:  # type: ignore[no-untyped-def]
    engine, _ = promoted
    job = max(
        engine.store.jobs.iter_all(), key=lambda j: len(engine.store.proposals.where(job_id=j.id))
    )
    applicants = {p.freelancer_id for p in engine.store.proposals.where(job_id=job.id)}
    served = engine.match(job.id, top=None, candidates="all")
    ranker = engine.ranker_for("discovery")
    view = engine.matcher.view(job)
    by_id = {r.freelancer_id: r for r in served}
    people = engine.store.freelancers.get_many(sorted(applicants & set(by_id)))
    assert people
    # as served: clocks compared now (a member's days and time zones), not at the job's posting
    feats = engine.matcher.feature_rows(view, list(people.values()), None, now_utc())
    for person, scored in zip(people.values(), ranker.score_many(feats), strict=True):
        result = by_id[person.id]
        assert result.score == pytest.approx(scored.score, abs=1e-6)  # as if nobody applied
        assert not any(r.code == "application" for r in result.reasons)


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


def test_promote_and_rollback_per_task(trained) -> None:  # type: ignore[no-untyped-def]
    engine, outcome = trained
    for task in outcome.runs:
        while engine.models.serving_version(task) is not None:
            engine.models.rollback(task)
    applicants = outcome.runs["applicants"].model.version
    assert engine.models.promote(applicants) == "applicants"
    assert engine.ranker_for("applicants").version == applicants
    assert engine.ranker_for("discovery") is engine.heuristic  # the other task is untouched
    previous = engine.models.rollback("applicants")
    assert previous is None and engine.ranker_for("applicants") is engine.heuristic
    assert "heuristic" in engine.ranker_note("applicants")
    with pytest.raises(ValidationError, match="nothing to roll back"):
        engine.models.rollback("applicants")
    with pytest.raises(ValidationError, match="unknown task"):
        engine.models.rollback("everything")  # type: ignore[arg-type]


def test_a_registry_from_before_tasks_serves_applicants(trained) -> None:  # type: ignore[no-untyped-def]
    engine, outcome = trained
    version = outcome.runs["applicants"].model.version
    path = engine.models.root / "registry.json"
    saved = path.read_text() if path.exists() else None
    path.write_text(json.dumps({"serving": version, "history": [version]}))
    try:
        assert engine.models.serving_version("applicants") == version
        assert engine.models.serving_version("discovery") is None
    finally:
        if saved is None:
            path.unlink()
        else:
            path.write_text(saved)


def test_tampered_model_is_refused(trained, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    engine, outcome = trained
    version = outcome.runs["applicants"].model.version
    path = engine.models.root / version / "model.txt"
    original = path.read_bytes()
    path.write_bytes(original + b"\n")
    try:
        with pytest.raises(ValidationError, match="SHA-256"):
            engine.models.load(version)
    finally:
        path.write_bytes(original)


def test_cold_start_says_so(bare_engine: Engine, tmp_path: Path) -> None:
    for task in ("applicants", "discovery"):
        assert bare_engine.ranker_for(task) is bare_engine.heuristic  # type: ignore[arg-type]
        assert "no trained" in bare_engine.ranker_note(task)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="too few labels"):
        bare_engine.train()


def test_no_consent_no_training_rows(trained) -> None:  # type: ignore[no-untyped-def]
    engine, _ = trained
    from tandem.learn.runner import labelled_groups, load_training_data

    data = load_training_data(engine.store)
    assert data.excluded
    for task in ("applicants", "discovery"):
        groups = labelled_groups(engine.store, engine.matcher, data, None, 0, task)  # type: ignore[arg-type]
        used = {fid for g in groups.groups for fid in g.freelancer_ids}
        assert used and not used & data.excluded


def test_learn_is_idempotent_without_new_outcomes(trained) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from tandem.domain import Event

    engine, _ = trained
    first = engine.learn()  # `train` just used every outcome: nothing new to learn from
    assert first["status"] == "unchanged" and first["new_outcomes"] == 0
    job = next(j for j in engine.store.jobs.iter_all() if engine.store.proposals.where(job_id=j.id))
    applicant = engine.store.proposals.where(job_id=job.id)[0].freelancer_id
    engine.record_event(
        Event(
            id="learn-test-shortlist",
            ts=datetime.now(UTC),
            type="shortlist",
            job_id=job.id,
            freelancer_id=applicant,
            actor="client",
        )
    )
    second = engine.learn()
    assert second["status"] in {"promoted", "kept"} and second["new_outcomes"] == 1
    assert set(second["models"]) == {"applicants", "discovery"}
    third = engine.learn()
    assert third["status"] == "unchanged" and third["new_outcomes"] == 0
    state = json.loads((engine.settings.home / "learn_state.json").read_text())
    assert state["last_models"] == second["models"]


class RecordOnly:
    """A ranker that sells track records and ignores what the job asks for."""

    name = "record-only"
    version = "record-only-1"

    def score_many(self, features: list[MatchFeatures]) -> list[Scored]:
        return [Scored(f.record.score, {"record": f.record.score}) for f in features]


def test_discovery_gate_refuses_a_model_that_ignores_skills(trained) -> None:  # type: ignore[no-untyped-def]
    engine, _ = trained
    from tandem.learn.dataset import pool_groups
    from tandem.learn.runner import consenting, load_training_data, training_labels

    data = load_training_data(engine.store)
    labels = training_labels(engine.store, data, None)
    jobs = sorted({label.job_id for label in labels.values() if label.grade > 0})[:20]
    groups = pool_groups(
        engine.matcher, engine.store.jobs.get_many(jobs).values(), labels, consenting(data)
    )
    assert groups.groups and all(all(g.labelled) for g in groups.groups)
    decision = gate(RecordOnly(), {"heuristic": engine.heuristic}, groups.groups, task="discovery")
    assert not decision.promote
    coverage = decision.floors["skill_coverage@10"]
    assert coverage["candidate"] < coverage["heuristic"]
    fair = gate(engine.heuristic, {"record-only": RecordOnly()}, groups.groups, task="discovery")
    assert fair.metrics["candidate"] > fair.metrics["record-only"]


def test_an_operator_changes_the_serving_model_with_a_reason_kept_in_the_record(trained) -> None:  # type: ignore[no-untyped-def]
    from tandem.access import Identity
    from tandem.errors import PermissionDeniedError

    engine, outcome = trained
    version = outcome.runs["applicants"].model.version
    operator = engine.as_user(Identity(user_id="u_op", role="operator"), "web")
    auditor = engine.as_user(Identity(user_id="u_aud", role="auditor"), "web")
    with pytest.raises(ValidationError, match="say why"):
        operator.promote_model(version, "  ")
    with pytest.raises(PermissionDeniedError):
        auditor.promote_model(version, "because I can")
    while engine.models.serving_version("applicants") is not None:
        engine.models.rollback("applicants")
    operator.promote_model(version, "beats the heuristic on the holdout by 0.03")
    assert engine.models.serving_version("applicants") == version
    assert operator.rollback_model("applicants", "complaints about newcomers") is None
    latest, promoted = engine.models.changes()[:2]
    assert (latest["action"], latest["version"], latest["by"]) == ("rollback", None, "u_op")
    assert latest["reason"] == "complaints about newcomers"
    assert (promoted["action"], promoted["version"]) == ("promote", version)
    seen = auditor.models_overview()
    assert {m["version"] for m in seen["models"]} >= {version}
    assert all("by" not in c for c in seen["changes"])  # a user id: not for auditors
