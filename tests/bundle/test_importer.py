import json
from pathlib import Path

import pytest

from tandem.bundle import BundleImporter
from tandem.engine import Engine
from tandem.errors import ValidationError


def _write(directory: Path, name: str, rows: list[object]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / f"{name}.jsonl").open("w") as handle:
        for row in rows:
            handle.write((row if isinstance(row, str) else json.dumps(row)) + "\n")


GOOD_F = {
    "id": "f1",
    "name": "Ana",
    "hourly_rate": 40,
    "country": "PT",
    "joined_at": "2024-01-02T03:04:05Z",
    "skills": ["ReactJS"],
}
GOOD_J = {"id": "j1", "title": "React dashboard", "created_at": "2026-01-01T00:00:00Z"}


def test_bad_lines_are_reported_as_file_line_reason(bare_engine: Engine, tmp_path: Path) -> None:
    bundle = tmp_path / "b"
    _write(
        bundle,
        "freelancers",
        [GOOD_F, "{not json", {**GOOD_F, "id": "f2", "hourly_rate": -5}, "[1, 2]", {**GOOD_F}],
    )
    _write(bundle, "jobs", [GOOD_J])
    _write(
        bundle,
        "proposals",
        [{"id": "p1", "job_id": "j1", "freelancer_id": "f9", "created_at": "2026-01-02T00:00:00Z"}],
    )
    report = bare_engine.import_bundle(bundle)
    errors = [str(e) for e in report.errors]
    assert errors[0].startswith("freelancers.jsonl:2: invalid JSON")
    assert errors[1].startswith("freelancers.jsonl:3: hourly_rate")
    assert errors[2] == "freelancers.jsonl:4: a line must be a JSON object"
    assert errors[3] == "freelancers.jsonl:5: duplicate id 'f1'"
    assert errors[4] == "proposals.jsonl:1: freelancer_id 'f9' is not in the store"
    assert bare_engine.store.freelancers.count() == 1
    assert "5 bad line(s)" in report.summary()


def test_strict_aborts_before_writing(bare_engine: Engine, tmp_path: Path) -> None:
    bundle = tmp_path / "b"
    _write(bundle, "freelancers", [GOOD_F, "{oops"])
    _write(bundle, "jobs", [GOOD_J])
    with pytest.raises(ValidationError, match="freelancers.jsonl:2"):
        bare_engine.import_bundle(bundle, strict=True)
    assert bare_engine.store.freelancers.count() == 0


def test_missing_required_files_are_named(bare_engine: Engine, tmp_path: Path) -> None:
    _write(tmp_path / "b", "freelancers", [GOOD_F])
    with pytest.raises(ValidationError, match="jobs.jsonl"):
        bare_engine.import_bundle(tmp_path / "b")


def test_reimport_is_idempotent(bare_engine: Engine, small_bundle: Path) -> None:
    first = bare_engine.import_bundle(small_bundle)
    before = {k: getattr(bare_engine.store, k).hashes() for k in first.counts}
    second = bare_engine.import_bundle(small_bundle)
    after = {k: getattr(bare_engine.store, k).hashes() for k in first.counts}
    assert before == after
    assert all(c.inserted == 0 and c.updated == 0 for c in second.counts.values())
    assert second.imported == first.imported


def test_a_crash_mid_import_is_completed_by_a_rerun(
    bare_engine: Engine, small_bundle: Path
) -> None:
    calls = {"n": 0}

    def crash_after_two_batches(name: str, n: int) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt("killed")

    importer = BundleImporter(bare_engine.store)
    with pytest.raises(KeyboardInterrupt):
        importer.import_dir(small_bundle, progress=crash_after_two_batches)
    partial = bare_engine.store.freelancers.count()
    assert partial > 0  # what was committed is whole records
    report = bare_engine.import_bundle(small_bundle)
    assert bare_engine.store.freelancers.count() == 300
    assert bare_engine.store.jobs.count() == 150
    assert report.errors == []


def test_non_utf8_is_reported_not_a_crash(bare_engine: Engine, tmp_path: Path) -> None:
    bundle = tmp_path / "b"
    _write(bundle, "freelancers", [GOOD_F])
    _write(bundle, "jobs", [GOOD_J])
    with (bundle / "jobs.jsonl").open("ab") as handle:
        handle.write(b'{"id": "j2", "title": "caf\xe9"}\n')
    report = bare_engine.import_bundle(bundle)
    assert any("not UTF-8" in str(e) for e in report.errors)
    assert bare_engine.store.jobs.count() == 1


def test_an_id_with_a_control_character_is_a_bad_line_and_the_rest_imports(
    bare_engine: Engine, tmp_path: Path
) -> None:
    bundle = tmp_path / "b"
    _write(bundle, "freelancers", [GOOD_F, {**GOOD_F, "id": "f\u00002"}, {**GOOD_F, "id": "f3"}])
    _write(bundle, "jobs", [{**GOOD_J, "id": "j\u0000x"}, GOOD_J])
    report = bare_engine.import_bundle(bundle)
    errors = [str(e) for e in report.errors]
    assert errors == [
        "freelancers.jsonl:2: id: 'f\\x002' has a control or invisible character (U+0000) at "
        "position 2: an id is one line of visible text",
        "jobs.jsonl:1: id: 'j\\x00x' has a control or invisible character (U+0000) at "
        "position 2: an id is one line of visible text",
    ]
    assert sorted(f.id for f in bare_engine.store.freelancers.iter_all()) == ["f1", "f3"]
    assert [j.id for j in bare_engine.store.jobs.iter_all()] == ["j1"]
    assert "2 bad line(s)" in report.summary()
