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


def test_a_search_for_a_skills_acronym_finds_who_lists_it_and_says_what_matched(
    tmp_path: Path,
) -> None:
    """ "seo" found 1 of the 4 profiles listing SEO: the index holds listed skills by name."""
    directory = tmp_path / "bundle"
    directory.mkdir()
    people = [
        ("f1", "Marketer", ["SEO"], 25),  # indexed as "Search Engine Optimization"
        ("f2", "SEO content writer", ["Copywriting"], 25),
        ("f3", "Python developer", ["Python"], 25),
        ("f4", "Search engine marketing for the optimization of ads", ["Google Ads"], 25),
        ("f5", "Marketer", ["seo"], 60),
    ]
    with (directory / "freelancers.jsonl").open("w") as out:
        for fid, title, skills, rate in people:
            record = {"id": fid, "name": fid, "title": title, "skills": skills}
            record |= {"country": "DE", "joined_at": "2024-01-01T00:00:00Z", "hourly_rate": rate}
            out.write(json.dumps(record) + "\n")
    (directory / "jobs.jsonl").write_text("")
    engine = Engine(make_settings(tmp_path / "home"), encoder=HashingEncoder())
    try:
        assert not engine.import_bundle(directory).errors
        found = engine.search_talent(TalentQuery(text="seo", top=10))
        worded = {
            p.freelancer_id for p in found if any(r.code == "keyword_match" for r in p.reasons)
        }
        assert worded == {"f1", "f2", "f5"}  # not f4: the name's words apart are not the name
        capped = engine.search_talent(TalentQuery(text="seo", max_rate=30, top=10))
        assert "f5" not in {p.freelancer_id for p in capped}
        f1 = next(p for p in found if p.freelancer_id == "f1")
        [why] = [r for r in f1.reasons if r.code == "keyword_match"]
        assert "'seo' as Search Engine Optimization" in why.evidence
        dev = engine.search_talent(TalentQuery(text="python developer", top=10))
        texts = {p.freelancer_id: [r.text for r in p.reasons] for p in dev}
        assert any(t.startswith("Matches the words of 'python developer'") for t in texts["f3"])
    finally:
        engine.store.close()
