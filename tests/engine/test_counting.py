"""The audit report counted on from where it was equals the report counted from the start.

Oracle tests: after every change to the log (rankings served, an erasure, a purge) or to what
the report reads besides it, the running report's numbers must be those of a count over
everything (``engine._report``, which keeps nothing), and a view after new rankings only must
not count from the start.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tandem.bundle import Generator, VocabSkill
from tandem.bundle.generator_bias import Bias
from tandem.domain import Event
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tandem.engine.counting import RunningReport
from tandem.engine.types import TalentQuery
from tests.conftest import make_settings


@pytest.fixture
def engine(
    tmp_path_factory: pytest.TempPathFactory, vocabulary: list[VocabSkill]
) -> Iterator[Engine]:
    bundle = tmp_path_factory.mktemp("counting-bundle")
    Generator(vocabulary, seed=5, bias=Bias(0.6)).write(bundle, 120, 30)
    engine = Engine(
        make_settings(tmp_path_factory.mktemp("counting-home")), encoder=HashingEncoder()
    )
    engine.import_bundle(bundle)
    for job in list(engine.store.jobs.iter_all())[:6]:
        engine.serve_match(job.id, top=12)
    yield engine
    engine.store.close()


def _numbers(report: dict[str, Any]) -> dict[str, Any]:
    """The report without the time it was counted."""
    return {**report, "window": {**report["window"], "generated_at": None}}


def _running(engine: Engine, since: datetime | None = None) -> RunningReport:
    """The running report of a window (given back: it stays the engine's)."""
    key = ("report", since, None, 10, True)
    running = engine._counted.take(key)  # noqa: SLF001
    assert running is not None, "the window has no running report"
    engine._counted.give(key, running)  # noqa: SLF001
    return running


def _same_as_a_full_count(engine: Engine, since: datetime | None = None) -> dict[str, Any]:
    viewed = engine.audit_report(since=since)
    full = engine._report(since, None, 10, True)  # noqa: SLF001 (the count from the start)
    assert _numbers(viewed) == _numbers(full)
    return viewed


def _serve_more(engine: Engine, jobs: slice) -> None:
    for job in list(engine.store.jobs.iter_all())[jobs]:
        engine.serve_match(job.id, top=12)
    engine.serve_search_talent(TalentQuery(text="python developer", top=8))


def test_rankings_served_between_views_are_counted_on_not_from_the_start(engine: Engine) -> None:
    since = datetime.now(UTC) - timedelta(days=1)
    first = _same_as_a_full_count(engine)
    _same_as_a_full_count(engine, since)
    for step in range(3):
        _serve_more(engine, slice(6 + 3 * step, 9 + 3 * step))
        later = _same_as_a_full_count(engine)
        _same_as_a_full_count(engine, since)
    assert later["data"]["rankings"] == first["data"]["rankings"] + 12
    assert later["proxy"] and later["data"]["appearances"] > first["data"]["appearances"]
    # counted from the start once, on the first view only, then counted on
    assert _running(engine).recounts == _running(engine, since).recounts == 1
    assert _running(engine).through == engine.store.decisions.head()[0]


def test_a_window_that_ended_counts_no_new_ranking(engine: Engine) -> None:
    until = datetime.now(UTC)
    before = engine.audit_report(until=until)
    _serve_more(engine, slice(10, 12))
    after = engine.audit_report(until=until)
    assert after["data"] == before["data"]
    assert _numbers(after) == _numbers(engine._report(None, until, 10, True))  # noqa: SLF001


def test_an_impression_changes_nothing_counted_and_an_outcome_counts_again(engine: Engine) -> None:
    _same_as_a_full_count(engine)
    before = _running(engine)
    ranking = engine.serve_match(list(engine.store.jobs.iter_all())[15].id, top=12)
    engine.record_impressions(ranking, list(engine.store.jobs.iter_all())[15].id, "match")
    _same_as_a_full_count(engine)
    assert _running(engine) is before and before.recounts == 1  # counted on
    shown = ranking.results[0].freelancer_id
    engine.store.events.save(
        Event(
            id="counting-shortlist",
            ts=datetime.now(UTC),
            type="shortlist",
            job_id=list(engine.store.jobs.iter_all())[15].id,
            freelancer_id=shown,
        )
    )
    report = _same_as_a_full_count(engine)
    assert _running(engine) is not before  # an outcome changes old rankings' positives: anew
    hits = sum(g["n"] for g in report["newcomers"]["positives_in_top"]["groups"].values())
    assert hits >= 1


def test_an_erasure_and_a_purge_between_views_are_counted(engine: Engine) -> None:
    _same_as_a_full_count(engine)
    _serve_more(engine, slice(6, 9))
    _same_as_a_full_count(engine)
    ranked = engine.store.decisions.recent(1)[0].results[0].id
    engine.erase("freelancer", ranked)
    erased = _same_as_a_full_count(engine)
    assert erased["data"]["rankings"] >= 1
    cutoff = engine.store.decisions.recent(3)[-1].ts
    _serve_more(engine, slice(9, 11))
    deleted, _ = engine.store.decisions.purge_before(cutoff)
    assert deleted > 0
    purged = _same_as_a_full_count(engine)
    held = list(engine.store.decisions.served(("match", "search_talent")))
    assert purged["data"]["rankings"] == len(held) < erased["data"]["rankings"] + 3
    _serve_more(engine, slice(11, 13))
    _same_as_a_full_count(engine)


def test_a_person_with_a_new_attribute_changes_the_attributes_reported(engine: Engine) -> None:
    before = _same_as_a_full_count(engine)
    person = next(f for f in engine.store.freelancers.iter_all() if f.attributes)
    engine.store.freelancers.save(
        person.model_copy(update={"attributes": {**person.attributes, "counting_new": "x"}})
    )
    after = _same_as_a_full_count(engine)
    assert set(after["attributes"]) - set(before["attributes"]) <= {"counting_new"}


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[Engine]:
    engine = Engine(make_settings(tmp_path_factory.mktemp("card-home")), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    engine.train(auto_promote=False)
    version = next(m.version for m in engine.models.list() if m.task == "applicants")
    engine.promote_model(version)
    yield engine
    engine.store.close()


def _served_by_the_model(engine: Engine, jobs: slice) -> str:
    """Serve applicant lists with the promoted model; its version (asserted to be the one)."""
    version = next(m.version for m in engine.models.list() if m.task == "applicants")
    for job in list(engine.store.jobs.iter_all())[jobs]:
        ranking = engine.serve_match(job.id, top=12, candidates="proposals")
        assert ranking.model_version == version, "the promoted model must serve"
    return version


def test_a_ranking_card_counted_on_equals_one_counted_from_the_start(trained: Engine) -> None:
    version = _served_by_the_model(trained, slice(0, 4))
    first = trained.model_card(version)
    assert first == trained._card(version, 10)  # noqa: SLF001 (the count from the start)
    for step in range(2):
        _served_by_the_model(trained, slice(4 + 3 * step, 7 + 3 * step))
        trained.serve_search_talent(TalentQuery(text="python developer", top=8))  # not a card's
        later = trained.model_card(version)
        assert later == trained._card(version, 10)  # noqa: SLF001
    assert later["served"]["rankings"] == first["served"]["rankings"] + 6
    running = trained._cards_counted.take(("card", version, 10))  # noqa: SLF001
    assert running is not None and running.recounts == 1  # counted on, never from the start


def test_an_outcome_makes_the_card_count_from_the_start(trained: Engine) -> None:
    version = _served_by_the_model(trained, slice(0, 2))
    before = trained.model_card(version)
    job = next(iter(trained.store.jobs.iter_all()))
    ranking = trained.serve_match(job.id, top=12, candidates="proposals")
    trained.store.events.save(
        Event(
            id="card-shortlist",
            ts=datetime.now(UTC),
            type="shortlist",
            job_id=job.id,
            freelancer_id=ranking.results[0].freelancer_id,
        )
    )
    after = trained.model_card(version)
    assert after == trained._card(version, 10)  # noqa: SLF001
    assert after != before
