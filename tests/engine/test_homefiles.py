"""Erasure cleans files under TANDEM_HOME: exactly the person's records, no one else's."""

from __future__ import annotations

import json
from pathlib import Path

from tandem.engine import Engine


def _person(fid: str, name: str, overview: str = "") -> dict[str, object]:
    return {
        "id": fid,
        "name": name,
        "hourly_rate": 40,
        "country": "PT",
        "joined_at": "2024-01-02T00:00:00Z",
        "overview": overview,
    }


PEOPLE = [
    _person("f000008", "Ana Li"),
    _person("f000080", "Ana Lima"),
    _person("f000800", "Bo Chen", "I pair with Ana Li on every Django job."),
    _person("f0000081", "Cy Dee"),
]
CLIENTS = [
    {"id": "c1", "name": "Acme", "country": "PT"},
    {"id": "c10", "name": "Acme Two", "country": "PT"},
]
JOBS = [
    {"id": "j1", "client_id": "c1", "title": "Django API", "created_at": "2026-01-01T00:00:00Z"},
    {"id": "j10", "client_id": "c10", "title": "React app", "created_at": "2026-01-01T00:00:00Z"},
]


def _event(eid: str, job: str, person: str) -> dict[str, object]:
    return {"id": eid, "ts": "2026-02-01T00:00:00Z", "type": "invite", "job_id": job} | {
        "freelancer_id": person
    }


EVENTS = [_event(f"e{n}", j, f) for n, (j, f) in enumerate(
    [("j1", "f000008"), ("j1", "f000080"), ("j10", "f000800"), ("j10", "f000008")]
)]  # fmt: skip


def _bundle(root: Path) -> Path:
    root.mkdir(parents=True)
    for name, rows in (
        ("freelancers", PEOPLE), ("clients", CLIENTS), ("jobs", JOBS), ("events", EVENTS)
    ):  # fmt: skip
        text = "".join(json.dumps(r) + "\n" for r in rows)
        (root / f"{name}.jsonl").write_text(text, encoding="utf-8")
    return root


def _ids(path: Path) -> list[str]:
    return [json.loads(x)["id"] for x in path.read_text(encoding="utf-8").splitlines()]


def test_erasing_a_freelancer_cleans_their_lines_only(bare_engine: Engine, tmp_path: Path) -> None:
    home = bare_engine.settings.home
    kept = _bundle(home / "demo-bundle")
    assert bare_engine.import_bundle(kept).errors == []
    notes = home / "notes"
    notes.mkdir()
    (notes / "others.txt").write_text("f000080 and f0000081 met Ana Lima.\n", encoding="utf-8")
    (notes / "hers.txt").write_text("Call about f000008.\n", encoding="utf-8")
    (notes / "named.txt").write_text("Invoice for ANA  LI, March.\n", encoding="utf-8")

    report = bare_engine.erase("freelancer", "f000008")

    assert sorted(report.files) == ["demo-bundle/events.jsonl", "demo-bundle/freelancers.jsonl",
                                    "notes/hers.txt", "notes/named.txt"]  # fmt: skip
    assert _ids(kept / "freelancers.jsonl") == ["f000080", "f000800", "f0000081"]
    assert _ids(kept / "events.jsonl") == ["e1", "e2"]
    assert "Ana Li on every" in (kept / "freelancers.jsonl").read_text(encoding="utf-8")
    assert (notes / "others.txt").exists() and not (notes / "hers.txt").exists()
    assert not (notes / "named.txt").exists()


def test_erasing_a_client_takes_its_jobs_lines_not_a_prefixed_clients(
    bare_engine: Engine,
) -> None:
    home = bare_engine.settings.home
    kept = _bundle(home / "exports" / "b")
    assert bare_engine.import_bundle(kept).errors == []

    report = bare_engine.erase("client", "c1")

    assert sorted(report.files) == [
        "exports/b/clients.jsonl", "exports/b/events.jsonl", "exports/b/jobs.jsonl"
    ]  # fmt: skip
    assert _ids(kept / "clients.jsonl") == ["c10"]
    assert _ids(kept / "jobs.jsonl") == ["j10"]
    assert _ids(kept / "events.jsonl") == ["e2", "e3"]
    assert _ids(kept / "freelancers.jsonl") == [p["id"] for p in PEOPLE]


def test_a_short_id_is_looked_for_too(bare_engine: Engine) -> None:
    """An id of two characters ('f1') finds the person's lines that quote nothing else.

    The person's needles keep only strings of 3+ characters (a trace search's), so a file
    holding their id alone (an exported events.jsonl, a note) was never opened and kept them.
    """
    home = bare_engine.settings.home
    kept = home / "exports" / "b"
    kept.mkdir(parents=True)
    people = [_person("f1", "Zoe Quill"), _person("f2", "Bo Chen")]
    files = {
        "freelancers": people,
        "jobs": JOBS[:1],
        "clients": CLIENTS[:1],
        "events": [_event("e1", "j1", "f1"), _event("e2", "j1", "f2")],
    }
    for name, rows in files.items():
        text = "".join(json.dumps(r) + "\n" for r in rows)
        (kept / f"{name}.jsonl").write_text(text, encoding="utf-8")
    assert bare_engine.import_bundle(kept).errors == []
    (home / "note.txt").write_text("Call about f1 on Monday.\n", encoding="utf-8")

    report = bare_engine.erase("freelancer", "f1")

    assert "exports/b/events.jsonl" in report.files and "note.txt" in report.files
    assert _ids(kept / "events.jsonl") == ["e2"]
    assert not (home / "note.txt").exists()
