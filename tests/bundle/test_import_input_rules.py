"""A bundle line breaking a rule of trial 18 is a reported bad line; the good lines import."""

from __future__ import annotations

import json
from pathlib import Path

from tandem.engine import Engine

PERSON = {"name": "Ana", "hourly_rate": 40, "country": "PT", "joined_at": "2024-01-02T03:04:05Z"}
JOB = {"title": "Logo", "created_at": "2026-01-01T00:00:00Z"}


def test_lines_breaking_the_new_rules_are_reported_bad(bare_engine: Engine, tmp_path: Path) -> None:
    people = [
        {**PERSON, "id": "f-ok"},
        {**PERSON, "id": "f-nul", "overview": "a\u0000b"},
        {**PERSON, "id": "f/slash"},
        {**PERSON, "id": "f-rate", "hourly_rate": 1e308},
        {**PERSON, "id": "f-xyz", "currency": "XYZ"},
        {**PERSON, "id": "f-zz", "country": "ZZ"},
        {**PERSON, "id": "f-skill", "skills": ["", "python"]},
        {**PERSON, "id": "f-rlo", "name": "Ana\u202e"},
        {**PERSON, "id": "f-mail", "email": "not-an-email"},
    ]
    jobs = [
        {**JOB, "id": "j-ok"},
        {**JOB, "id": "j-big", "budget": {"type": "fixed", "max": 1e308}},
    ]
    (tmp_path / "freelancers.jsonl").write_text("".join(json.dumps(p) + "\n" for p in people))
    (tmp_path / "jobs.jsonl").write_text("".join(json.dumps(j) + "\n" for j in jobs))
    report = bare_engine.import_bundle(tmp_path)
    errors = [str(e) for e in report.errors]
    assert [e.split(": ")[0] for e in errors] == [
        *(f"freelancers.jsonl:{n}" for n in range(2, 10)),
        "jobs.jsonl:2",
    ], errors
    assert "control character (U+0000)" in errors[0]
    assert "one URL path segment" in errors[1]
    assert "cannot be converted to USD" in errors[3]
    assert bare_engine.store.freelancers.count() == 1
    assert bare_engine.store.jobs.count() == 1
