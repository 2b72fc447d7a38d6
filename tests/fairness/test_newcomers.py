"""Newcomer exposure: the pure step (floor, lifts, carried deficit) and the engine around it."""

from __future__ import annotations

import json
import math
import re
import statistics
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tandem.bundle import Generator, VocabSkill
from tandem.bundle.generator_bias import Bias
from tandem.domain import Freelancer
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tandem.engine.fairness import group_of
from tandem.engine.newcomers import STATE_FILE
from tandem.errors import ValidationError
from tandem.fairness.metrics import attention
from tandem.fairness.newcomers import (
    NewcomerPolicy,
    bound_violations,
    is_newcomer,
    newcomer_order,
    relevance_floor,
    top_attention,
)
from tests.conftest import make_settings

runner = CliRunner()
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _given(order: list[int], newcomer: list[bool], k: int = 10) -> float:
    return sum(attention(p) for p, i in enumerate(order[:k], start=1) if newcomer[i])


# the pure step ----------------------------------------------------------------------------


def test_who_is_a_newcomer_is_read_from_the_profile() -> None:
    base = Freelancer.model_validate(
        {
            "id": "f1",
            "name": "A",
            "title": "Developer",
            "country": "DE",
            "hourly_rate": 50,
            "rating": 4.8,
            "total_jobs": 12,
            "joined_at": NOW - timedelta(days=400),
        }
    )
    assert not is_newcomer(base, NOW)
    assert is_newcomer(base.model_copy(update={"rating": None}), NOW)  # no reviews yet
    assert is_newcomer(base.model_copy(update={"total_jobs": 0}), NOW)  # the ranker's feature
    assert is_newcomer(base.model_copy(update={"joined_at": NOW - timedelta(days=30)}), NOW)
    assert not is_newcomer(base.model_copy(update={"joined_at": NOW - timedelta(days=91)}), NOW)


def test_the_floor_is_the_median_or_the_top_ks_spread_whichever_is_higher() -> None:
    long = [10.0 - i for i in range(30)]  # 10, 9, ..., -19: k-th = 1, spread 9
    assert relevance_floor(long, 10, 0.5) == pytest.approx(1 - 0.5 * 9)
    short = [3.0, 2.0, 1.0, 0.0]  # all in the top 10: the median decides
    assert relevance_floor(short, 10, 0.5) == statistics.median(short)
    assert relevance_floor([-5.0, -7.0], 10, 0.5) == -6.0  # unbounded scores are fine


def test_no_eligible_newcomer_leaves_the_list_and_owes_nothing() -> None:
    scores = [9.0, 8.0, 7.0, 6.0, 5.0, 1.0, 0.0]
    newcomer = [False] * 5 + [True, True]  # both below the median
    step = newcomer_order(scores, newcomer, NewcomerPolicy(0.3), carried=0.0)
    assert step.order == list(range(7)) and step.target == 0.0 and step.carried == 0.0


def test_a_list_that_can_reach_the_target_does_with_the_smallest_lifts() -> None:
    scores = [40.0 - i for i in range(40)]  # floor: max(20.5, 31 - 0.5 * 9) = 26.5
    newcomer = [i in (11, 12, 13) for i in range(40)]  # scores 29, 28, 27: eligible
    policy = NewcomerPolicy(0.2)
    step = newcomer_order(scores, newcomer, policy)
    assert step.floor == 26.5
    assert step.target == pytest.approx(0.2 * top_attention(40))
    assert step.attention >= step.target
    assert step.attention == pytest.approx(_given(step.order, newcomer))
    lifted = [p for p, i in enumerate(step.order, start=1) if newcomer[i]]
    assert lifted == [7, 9, 10]  # as low as the target allows: 1/log2(8)+1/log2(10)+1/log2(11)
    assert [i for i in step.order if newcomer[i]] == [11, 12, 13]  # their own order kept
    assert step.carried <= 0  # the overshoot of whole positions is credited, never owed


def test_a_shortfall_is_carried_to_the_next_list_and_capped() -> None:
    policy = NewcomerPolicy(0.3)
    one = newcomer_order([10.0 - i for i in range(12)], [i == 2 for i in range(12)], policy)
    assert one.order[0] == 2  # one eligible newcomer: the top is all it can get
    assert one.carried == pytest.approx(0.3 * top_attention(12) - 1.0)
    many = [i in (10, 11, 12, 13, 14, 15) for i in range(30)]
    scores = [30.0 - i for i in range(30)]
    alone = newcomer_order(scores, many, policy)
    after = newcomer_order(scores, many, policy, carried=one.carried)
    assert after.attention > alone.attention  # it pays back what the first list could not
    assert after.attention >= alone.target + one.carried
    capped = newcomer_order(scores, many, policy, carried=100.0)
    assert capped.attention <= 2 * policy.cap + 1  # at most one list's worth carried


def test_parameters_out_of_range_are_refused() -> None:
    for bad in (NewcomerPolicy(0.0), NewcomerPolicy(1.5), NewcomerPolicy(0.2, k=0)):
        with pytest.raises(ValidationError):
            bad.checked()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.floats(-5, 5, allow_nan=False), st.booleans()), max_size=40),
    st.floats(0.05, 1.0),
    st.floats(-2, 2),
)
def test_only_reorders_and_lifts_only_newcomers_above_the_floor(
    items: list[tuple[float, bool]], share: float, carried: float
) -> None:
    items = sorted(items, key=lambda x: -x[0])
    scores = [s for s, _ in items]
    newcomer = [n for _, n in items]
    step = newcomer_order(scores, newcomer, NewcomerPolicy(share), carried)
    assert sorted(step.order) == list(range(len(items)))
    for at, i in enumerate(step.order):
        if at < i:  # moved up: only an eligible newcomer is ever lifted
            assert newcomer[i] and scores[i] >= step.floor
    cap = NewcomerPolicy(share).cap
    assert -cap - 1e-9 <= step.carried <= cap + 1e-9


def _slow_violations(groups: list[str | None], upper: bool) -> int:
    """The obvious count: each prefix of the known people, each group."""
    known = [g for g in groups if g is not None]
    bad = 0
    for k in range(1, len(known) + 1):
        for g in set(known):
            due = Fraction(k * known.count(g), len(known))
            have = known[:k].count(g)
            low, high = math.floor(due), math.ceil(due)
            bad += have < low or (upper and have > high)
    return bad


@given(st.lists(st.sampled_from(["a", "b", "c", None]), max_size=25), st.booleans())
def test_bound_violations_agrees_with_the_obvious_count(
    groups: list[str | None], upper: bool
) -> None:
    assert bound_violations(groups, upper=upper) == _slow_violations(groups, upper)


def test_a_lift_the_group_bounds_refuse_is_not_made() -> None:
    groups = ["a", "b", "a", "b", "a", "b", "a", "b"]  # the bounds hold exactly
    scores = [8.0 - i for i in range(8)]
    newcomer = [i == 2 for i in range(8)]  # an "a" above the median: eligible

    def allowed(order: Any) -> bool:
        return bound_violations([groups[j] for j in order]) <= 0

    step = newcomer_order(scores, newcomer, NewcomerPolicy(0.5), 0.0, allowed)
    assert bound_violations([groups[j] for j in step.order]) == 0
    free = newcomer_order(scores, newcomer, NewcomerPolicy(0.5), 0.0)
    assert step.order == list(range(8))  # any lift puts two "a" before a "b"
    assert free.order[0] == 2  # without the bounds it would have gone to the top
    assert step.carried > free.carried  # what the bounds withheld is owed


# the engine -------------------------------------------------------------------------------


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text().splitlines() if x.strip()]


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory, vocabulary: list[VocabSkill]) -> Path:
    out = tmp_path_factory.mktemp("newcomer-bundle")
    Generator(vocabulary, seed=7, bias=Bias(0.6)).write(out, 300, 150)
    return out


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, market: Path) -> Iterator[Engine]:
    e = Engine(make_settings(tmp_path_factory.mktemp("newcomer-home")), encoder=HashingEncoder())
    e.import_bundle(market)
    yield e
    e.store.close()


def _jobs(engine: Engine, least: int = 4) -> list[str]:
    return [
        j.id
        for j in engine.store.jobs.iter_all()
        if len(engine.store.proposals.where(job_id=j.id)) >= least
    ]


def test_a_batch_run_lifts_explains_logs_and_replays(engine: Engine) -> None:
    state = engine.settings.home / STATE_FILE
    kept = state.read_text() if state.exists() else None
    run = engine.newcomer_run(0.25)
    lifted = replayed = 0
    for job_id in _jobs(engine)[:30]:
        plain = engine.match(job_id, top=None, candidates="proposals", fair_by="")
        served = engine.serve_match(job_id, top=None, candidates="proposals", newcomers=run)
        by_score = [r.freelancer_id for r in plain]
        assert sorted(by_score) == sorted(r.freelancer_id for r in served.results)
        assert not any(x.code == "fairness_policy" for r in served.results for x in r.reasons)
        decision = engine.store.decisions.get(served.request_id)
        # each move is in the log (the list served says only that a policy re-ordered it)
        for pos, r in enumerate(decision.results, start=1):
            moved = [x for x in r.reasons if x.code == "fairness_policy"]
            was = by_score.index(r.id) + 1
            assert bool(moved) == (was != pos)
            if moved:
                assert f"by the newcomer policy: position {pos}, {was} by score" in moved[0].text
                lifted += pos < was
        logged = decision.request["newcomers"]
        assert isinstance(logged, dict) and logged["share"] == 0.25
        if logged["carried_before"] and replayed < 6:  # the replay needs the logged state
            replayed += 1
            for r in decision.results[:5]:
                assert engine.why(served.request_id, r.id)["today"]["rank"] == r.rank
    assert lifted > 0 and replayed > 0
    assert (state.read_text() if state.exists() else None) == kept  # a batch keeps its own


def _violations(results: list[Any], people: dict[str, Freelancer]) -> int:
    return bound_violations([group_of(people[r.freelancer_id], "gender") for r in results])


def test_with_the_group_policy_the_bounds_still_hold(engine: Engine) -> None:
    run = engine.newcomer_run(0.3)
    policy = engine.fairness_policy("gender")
    assert policy is not None
    moved = 0
    for job_id in _jobs(engine, 6)[:25]:
        fair = engine.match(job_id, top=None, candidates="proposals", fair_by="gender")
        both = engine.match(
            job_id, top=None, candidates="proposals", fair_by="gender", newcomers=run
        )
        people = engine.store.freelancers.get_many([r.freelancer_id for r in fair])
        assert _violations(both, people) <= _violations(fair, people)
        moved += [r.freelancer_id for r in both] != [r.freelancer_id for r in fair]
    assert moved > 0  # the newcomer step still acted within the bounds


def test_served_rankings_carry_the_deficit_across_restarts_without_ids(engine: Engine) -> None:
    settings_on = engine.settings.model_copy(update={"newcomer_share": 0.3})
    jobs = _jobs(engine)[:12]
    first = Engine(settings_on, encoder=HashingEncoder())
    try:
        for job_id in jobs[:6]:
            first.serve_match(job_id, top=10, candidates="proposals")
    finally:
        first.store.close()
    state = (engine.settings.home / STATE_FILE).read_text()
    assert not re.search(r"f\d{6}|j\d{6}", state)  # numbers only: nothing for erasure
    saved = json.loads(state)["applicants"]
    assert saved["rankings"] == 6
    again = Engine(settings_on, encoder=HashingEncoder())  # a restart reads it back
    try:
        served = again.serve_match(jobs[6], top=10, candidates="proposals")
        logged = again.store.decisions.get(served.request_id).request["newcomers"]
        assert isinstance(logged, dict) and logged["carried_before"] == saved["carried"]
    finally:
        again.store.close()


def test_rank_newcomers_on_the_command_line(
    home: Path, market: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tandem.cli import app

    assert runner.invoke(app, ["import", str(market)]).exit_code == 0
    jobs = [j["id"] for j in _rows(market / "jobs.jsonl")][:30]
    (home / "jobs.txt").write_text("\n".join(jobs) + "\n")

    def rank(out: str, *extra: str) -> list[dict[str, Any]]:
        args = ["rank", "--jobs", str(home / "jobs.txt"), "--out", str(home / out), *extra]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        # each line's request id names its own logged ranking: new in every run
        return [{k: v for k, v in row.items() if k != "request_id"} for row in _rows(home / out)]

    plain = rank("plain.jsonl")
    once, twice = rank("a.jsonl", "--newcomers", "0.3"), rank("b.jsonl", "--newcomers", "0.3")
    assert once == twice  # deterministic in input order
    changed = 0
    for a, b in zip(plain, once, strict=True):
        scores = {r["freelancer_id"]: r["score"] for r in a["ranking"]}
        assert {r["freelancer_id"]: r["score"] for r in b["ranking"]} == scores
        changed += [r["freelancer_id"] for r in a["ranking"]] != [
            r["freelancer_id"] for r in b["ranking"]
        ]
    assert changed > 0
    monkeypatch.setenv("TANDEM_NEWCOMER_SHARE", "0.3")
    off = rank("off.jsonl", "--newcomers", "0")
    assert off == plain
    bad = runner.invoke(
        app, ["rank", "--jobs", str(home / "jobs.txt"), "--out", "x", "--newcomers", "2"]
    )
    assert bad.exit_code != 0
