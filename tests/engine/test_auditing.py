"""The audit report and ranking cards are kept per state of the data, never shown stale."""

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
from tandem.engine import Engine, Requester
from tests.conftest import make_settings


@pytest.fixture(scope="module")
def engine(
    tmp_path_factory: pytest.TempPathFactory, vocabulary: list[VocabSkill]
) -> Iterator[Engine]:
    bundle = tmp_path_factory.mktemp("kept-bundle")
    Generator(vocabulary, seed=11, bias=Bias(0.6)).write(bundle, 150, 40)
    engine = Engine(make_settings(tmp_path_factory.mktemp("kept-home")), encoder=HashingEncoder())
    engine.import_bundle(bundle)
    for job in list(engine.store.jobs.iter_all())[:10]:
        engine.serve_match(job.id, top=15)
    yield engine
    engine.store.close()


def _numbers(report: dict[str, Any]) -> dict[str, Any]:
    """The report without the time it was counted."""
    return {**report, "window": {**report["window"], "generated_at": None}}


def test_a_kept_report_has_the_numbers_a_fresh_count_has(engine: Engine) -> None:
    first = engine.audit_report()
    again = engine.audit_report()
    assert again["window"]["generated_at"] == first["window"]["generated_at"]  # kept, not recounted
    fresh = engine._report(None, None, 10, True)  # noqa: SLF001 (the count itself, uncached)
    assert _numbers(again) == _numbers(fresh)
    assert fresh["window"]["generated_at"] != first["window"]["generated_at"]


def test_a_caller_changing_its_copy_does_not_change_the_kept_one(engine: Engine) -> None:
    mine = engine.audit_report()
    mine["data"]["rankings"] = -1
    assert engine.audit_report()["data"]["rankings"] >= 0


def _hire_for_an_applicant(engine: Engine) -> Event:
    """A hire of someone who applied and was not hired, with a disclosed attribute."""
    hired = {(e.job_id, e.freelancer_id) for e in engine.store.reached() if e.type == "hire"}
    people = {f.id: f for f in engine.store.freelancers.iter_all() if f.attributes}
    for p in engine.store.applied():
        if p.freelancer_id in people and (p.job_id, p.freelancer_id) not in hired:
            ts = max(p.created_at, datetime(2020, 1, 1, tzinfo=UTC)) + timedelta(days=1)
            return Event(
                id=f"kept-hire-{p.job_id}-{p.freelancer_id}",
                ts=min(ts, datetime.now(UTC)),
                type="hire",
                job_id=p.job_id,
                freelancer_id=p.freelancer_id,
            )
    raise AssertionError("no applicant to hire in the test market")


def test_a_new_outcome_is_counted_on_the_next_view(engine: Engine) -> None:
    before = engine.audit_report()
    engine.store.events.save(_hire_for_an_applicant(engine))
    after = engine.audit_report()
    hires = [
        sum(g["hits"] for g in r["newcomers"]["selection"]["hire"]["groups"].values())
        for r in (before, after)
    ]
    assert hires[1] == hires[0] + 1
    assert after["window"]["generated_at"] > before["window"]["generated_at"]
    fresh = engine._report(None, None, 10, True)  # noqa: SLF001
    assert _numbers(after) == _numbers(fresh)


def test_a_new_ranking_and_a_changed_profile_are_counted(engine: Engine) -> None:
    before = engine.audit_report()
    job = list(engine.store.jobs.iter_all())[20]
    engine.serve_match(job.id, top=15)
    served = engine.audit_report()
    assert served["data"]["rankings"] == before["data"]["rankings"] + 1

    person = next(f for f in engine.store.freelancers.iter_all() if f.attributes)
    name, value = next(iter(person.attributes.items()))
    engine.store.freelancers.save(
        person.model_copy(update={"attributes": {**person.attributes, name: value + "-moved"}})
    )
    moved = engine.audit_report()
    assert moved["window"]["generated_at"] > served["window"]["generated_at"]
    assert _numbers(moved) == _numbers(engine._report(None, None, 10, True))  # noqa: SLF001


def test_each_window_is_kept_apart(engine: Engine) -> None:
    whole = engine.audit_report()
    later = engine.audit_report(since=datetime.now(UTC) + timedelta(days=1))
    assert later["data"]["rankings"] == 0
    assert engine.audit_report()["window"]["generated_at"] == whole["window"]["generated_at"]


def test_offline_batch_rankings_are_counted_apart_from_what_people_were_shown(
    tmp_path: Path, vocabulary: list[VocabSkill]
) -> None:
    """Trial: one ``tandem rank`` batch took ``data.rankings`` from 17 to 140 and made the
    exposure figures mostly lists nobody saw. A batch is counted on its own line instead."""
    Generator(vocabulary, seed=5, bias=Bias(0.6)).write(tmp_path / "b", 80, 20)
    engine = Engine(make_settings(tmp_path / "home"), encoder=HashingEncoder())
    engine.import_bundle(tmp_path / "b")
    jobs = [j.id for j in engine.store.jobs.iter_all()]
    for job in jobs[:4]:
        engine.serve_match(job, top=10, who=Requester(surface="web"))
    before = engine.audit_report(proxy=False)
    list(engine.serve_matches(jobs, top=10, candidates="all", who=Requester(surface="batch")))
    after = engine.audit_report(proxy=False)
    engine.store.close()
    assert after["data"]["batch_rankings"] == len(jobs)
    assert before["data"]["batch_rankings"] == 0
    for key in ("rankings", "appearances", "people_ranked", "model_versions"):
        assert after["data"][key] == before["data"][key], key
    assert after["data"]["rankings"] == 4
    assert after["attributes"].keys() == before["attributes"].keys()
    for name, sec in before["attributes"].items():  # exposure: what people were shown
        assert after["attributes"][name]["exposure"] == sec["exposure"], name
        assert after["attributes"][name]["representation"] == sec["representation"], name
    fresh = engine._report(None, None, 10, False)  # noqa: SLF001 (the count from the start)
    assert fresh["data"] == after["data"]
