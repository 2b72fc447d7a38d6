"""The import log: newest first with a true count; an erasure rewrites lines naming the person."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tandem.store import Store, migrate, open_database
from tandem.store.imports import ERASED_LINE, MAX_KEPT_ERRORS, ImportEntry


def _store(path: Path) -> Store:
    db = open_database(f"sqlite:///{path / 'db.sqlite'}")
    migrate(db)
    return Store(db)


def _entry(n: int, errors: list[str], message: str = "") -> ImportEntry:
    at = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=n)
    return ImportEntry(
        f"imp-{n}", at, at, "u_op", "web", f"bundle-{n}", "completed_with_skipped_lines",
        10, len(errors), counts={"jobs": {"inserted": 10, "updated": 0, "unchanged": 0}},
        errors=errors, message=message,
    )  # fmt: skip


def test_pages_are_newest_first_with_the_whole_count(tmp_path: Path) -> None:
    store = _store(tmp_path)
    for n in range(5):
        store.imports.add(_entry(n, [f"jobs.jsonl:{n}: title: Field required"]))
    page, total = store.imports.page(2, 2)
    assert total == 5 and [e.id for e in page] == ["imp-2", "imp-1"]
    again = store.imports.get("imp-3")
    assert again.errors == ["jobs.jsonl:3: title: Field required"]
    assert again.counts["jobs"]["inserted"] == 10
    many = _entry(9, [f"jobs.jsonl:{i}: bad" for i in range(MAX_KEPT_ERRORS + 5)])
    store.imports.add(many)
    kept = store.imports.get("imp-9")
    assert len(kept.errors) == MAX_KEPT_ERRORS and kept.error_count == MAX_KEPT_ERRORS + 5
    store.close()


def test_forget_rewrites_only_lines_that_name_the_person_as_a_whole_word(tmp_path: Path) -> None:
    store = _store(tmp_path)
    lines = [
        "proposals.jsonl:3: freelancer_id 'f000002' is not in the store",
        "proposals.jsonl:4: freelancer_id 'f0000021' is not in the store",
        "jobs.jsonl:9: title: Field required",
    ]
    store.imports.add(_entry(1, lines, message="stopped at f000002"))
    assert store.imports.forget(["f000002"]) == 2
    entry = store.imports.get("imp-1")
    assert entry.errors == [ERASED_LINE, lines[1], lines[2]]
    assert "f000002" not in entry.message
    assert store.imports.forget(["f000002"]) == 0
    store.close()
