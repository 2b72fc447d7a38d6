"""Who reads a ranking policy's per-person moves (trial 19).

"Moved up by the fairness policy: position 2, 6 by score" on a served result tells a client
the group the policy lifts. A served list (API, web cards, companion, ``tandem match``) says
only that a policy re-ordered it; the decision log keeps each move for operators and auditors
(by position), and a client's or freelancer's view of the log, ``why`` and compare leave them out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandem.access import Identity
from tandem.bundle import Generator, VocabSkill
from tandem.bundle.generator_bias import Bias
from tandem.companion.explain import compare as companion_compare
from tandem.domain import Decision, MatchRanking
from tandem.domain.results import FAIRNESS_REASON
from tandem.embed import HashingEncoder
from tandem.engine import Engine, UserView
from tests.conftest import make_settings

runner = CliRunner()


def _of_the_list(note: object) -> bool:
    """A note that says, of a list as a whole, that a policy re-ordered it: never who or how."""
    return (
        isinstance(note, str)
        and "re-ordered this list" in note
        and not any(w in note for w in ("gender", "woman", " man", "up", "down"))
    )


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory, vocabulary: list[VocabSkill]) -> Path:
    out = tmp_path_factory.mktemp("moves-bundle")
    Generator(vocabulary, seed=5, bias=Bias(0.9)).write(out, 200, 100)
    return out


@pytest.fixture(scope="module")
def fair_engine(tmp_path_factory: pytest.TempPathFactory, market: Path) -> Iterator[Engine]:
    settings = make_settings(tmp_path_factory.mktemp("moves-home"))
    engine = Engine(settings.model_copy(update={"fair_by": "gender"}), encoder=HashingEncoder())
    engine.import_bundle(market)
    yield engine
    engine.store.close()


def _moves(reasons: list[dict[str, object]] | list[object]) -> list[object]:
    codes = [r.get("code") if isinstance(r, dict) else getattr(r, "code", None) for r in reasons]
    return [c for c in codes if c == FAIRNESS_REASON]


def _as(engine: Engine, role: str, **bound: str) -> UserView:
    return engine.as_user(Identity(f"u-{role}", role, **bound), "api")  # type: ignore[arg-type]


def _served_with_a_move(engine: Engine) -> tuple[UserView, MatchRanking, Decision]:
    """A client's own job's applicants, served under the policy, which moved someone."""
    for job in engine.store.jobs.iter_all():
        if not job.client_id or len(engine.store.proposals.where(job_id=job.id)) < 4:
            continue
        client = _as(engine, "client", client_id=job.client_id)
        served = client.serve_match(job.id, top=20, candidates="proposals")
        logged = engine.store.decisions.get(served.request_id)
        if any(_moves(item.reasons) for item in logged.results):
            return client, served, logged
    raise AssertionError("the policy moved nobody in this market")


def test_a_served_list_says_the_policy_reordered_it_never_who(fair_engine: Engine) -> None:
    client, served, logged = _served_with_a_move(fair_engine)
    assert not any(_moves(r.reasons) for r in served.results)
    assert _of_the_list(served.policy_note)
    assert "Moved" not in served.model_dump_json()
    # the results' reasons still add up to their scores (a move adds no points)
    for r in served.results:
        assert abs(sum(x.contribution for x in r.reasons) - r.score) < 1e-3
    # the log keeps every move, with its positions, for those who account for rankings
    moved = [item for item in logged.results if _moves(item.reasons)]
    assert all("by score" in item.reasons[-1].text for item in moved)
    operator = _as(fair_engine, "operator").decision(served.request_id)
    assert sum(bool(_moves(i.reasons)) for i in operator.results) == len(moved)
    auditor = _as(fair_engine, "auditor").decision(served.request_id)
    assert sum(bool(_moves(i.reasons)) for i in auditor.results) == len(moved)
    # the client's own view of the log, its replay and its comparison: no per-person move
    seen = client.decision(served.request_id)
    assert not any(_moves(i.reasons) for i in seen.results)
    person = moved[0].id
    replay = client.why(served.request_id, person)
    assert not _moves(replay["logged"]["reasons"])  # type: ignore[index]
    assert _moves(_as(fair_engine, "operator").why(served.request_id, person)["logged"]["reasons"])  # type: ignore[index]
    other = next(i.id for i in logged.results if i.id != person)
    compared = client.compare_candidates(served.request_id, person, other)
    assert compared["policy"] == [] and "Moved" not in json.dumps(compared)
    answer = companion_compare(client, served.request_id, person, other)
    assert "Moved" not in answer.text
    told = _as(fair_engine, "operator").compare_candidates(served.request_id, person, other)
    assert any("by the fairness policy" in p for p in told["policy"])


def test_talent_search_and_browsing_show_no_moves(fair_engine: Engine) -> None:
    from tandem.engine import TalentQuery

    job = next(j for j in fair_engine.store.jobs.iter_all() if j.client_id)
    client = _as(fair_engine, "client", client_id=job.client_id)
    for ranking in (
        client.search_talent(TalentQuery("developer", top=50)),
        client.browse_talent(TalentQuery("", top=50)),
    ):
        assert not any(_moves(r.reasons) for r in ranking.results)
    logged = fair_engine.store.decisions.get(
        client.search_talent(TalentQuery("developer", top=50)).request_id
    )
    moved = any(_moves(i.reasons) for i in logged.results)
    again = client.search_talent(TalentQuery("developer", top=50))
    assert _of_the_list(again.policy_note) == moved


def test_tandem_match_prints_no_moves_and_tandem_why_replays_them(
    home: Path, market: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trial's own commands: ``TANDEM_FAIR_BY=gender tandem match JOB --json``."""
    from tandem.cli import app

    assert runner.invoke(app, ["import", str(market)]).exit_code == 0
    monkeypatch.setenv("TANDEM_FAIR_BY", "gender")
    engine = Engine(make_settings(Path(str(home / "home"))), encoder=HashingEncoder())
    try:
        jobs = [
            j.id
            for j in engine.store.jobs.iter_all()
            if len(engine.store.proposals.where(job_id=j.id)) >= 6
        ]
    finally:
        engine.store.close()
    for job_id in jobs[:20]:
        result = runner.invoke(app, ["match", job_id, "--candidates", "proposals", "--json"])
        assert result.exit_code == 0, result.output
        served = json.loads(result.stdout)
        assert not any(_moves(r["reasons"]) for r in served["results"])
        why = runner.invoke(
            app, ["why", served["request_id"], served["results"][0]["freelancer_id"]]
        )
        assert why.exit_code == 0, why.output
        if served.get("policy_note") is None:
            continue
        assert _of_the_list(served["policy_note"])
        replays = [
            json.loads(
                runner.invoke(
                    app, ["why", served["request_id"], r["freelancer_id"], "--json"]
                ).stdout
            )
            for r in served["results"]
        ]
        assert any(_moves(r["logged"]["reasons"]) for r in replays)  # the operator's replay
        return
    raise AssertionError("the policy moved nobody in the first 20 jobs")


def test_the_api_serves_the_note_and_no_moves(fair_engine: Engine) -> None:
    """``GET /api/jobs/ID/matches``: no per-person move, for an operator too; the note instead."""
    from fastapi.testclient import TestClient

    from tandem.api import create_app

    token = fair_engine.add_user("moves-operator", "operator")[1]
    jobs = [
        j.id
        for j in fair_engine.store.jobs.iter_all()
        if len(fair_engine.store.proposals.where(job_id=j.id)) >= 4
    ]
    noted = plain = 0
    with TestClient(create_app(engine=fair_engine)) as http:
        for job_id in jobs[:30]:
            got = http.get(
                f"/api/jobs/{job_id}/matches",
                params={"candidates": "proposals", "limit": 20},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert got.status_code == 200, got.text
            body = got.json()
            assert not any(_moves(r["reasons"]) for r in body["results"])
            assert "Moved" not in got.text
            logged = fair_engine.store.decisions.get(body["request_id"])
            if any(_moves(i.reasons) for i in logged.results):
                assert _of_the_list(body["policy_note"])
                noted += 1
            else:
                assert "policy_note" not in body  # keys as before when no policy moved anyone
                plain += 1
            if noted and plain:
                return
    raise AssertionError(f"lists with a move: {noted}, without: {plain}")
