"""Served searches count and page what their words found, a full ranking deep."""

from __future__ import annotations

import json
from pathlib import Path

from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tandem.engine.types import JobQuery, TalentQuery
from tests.conftest import make_settings


def _bundle(directory: Path, people: int, jobs: int) -> Path:
    directory.mkdir()
    with (directory / "freelancers.jsonl").open("w") as out:
        for i in range(people):
            record = {"id": f"f{i:04d}", "name": f"Person {i}", "title": "Web developer"}
            record |= {"country": "DE", "joined_at": "2024-01-01T00:00:00Z"}
            out.write(json.dumps(record | {"skills": ["HTML"], "hourly_rate": 20 + i % 50}) + "\n")
    with (directory / "jobs.jsonl").open("w") as out:
        for i in range(jobs):
            job = {"id": f"j{i:04d}", "title": f"Landing page number {i}"}
            out.write(json.dumps(job | {"created_at": "2026-11-01T00:00:00Z"}) + "\n")
    return directory


def test_talent_and_job_searches_count_past_two_hundred(tmp_path: Path) -> None:
    """Trial 18: 392 profiles held "developer"; the search said "of 200", page 11 was empty."""
    engine = Engine(make_settings(tmp_path / "home"), encoder=HashingEncoder())
    try:
        report = engine.import_bundle(_bundle(tmp_path / "bundle", 260, 230))
        assert not report.errors
        people, total = engine.search_talent_counted(TalentQuery(text="developer", top=260))
        assert total == 260 and len(people) == 260
        assert len({p.freelancer_id for p in people}) == 260
        jobs, found = engine.search_jobs_counted(JobQuery(text="landing", top=230))
        assert found == 230 and len(jobs) == 230
    finally:
        engine.store.close()
