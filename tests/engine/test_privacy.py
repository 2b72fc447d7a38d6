"""Retention through the engine: what a purge removes is unreadable, without a full rewrite."""

from __future__ import annotations

from datetime import timedelta

from tandem.engine import Engine
from tests.store.test_decision_log import _decision


def _file_bytes(engine: Engine) -> bytes:
    path = engine.store.db.path
    assert path is not None
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _free_pages(engine: Engine) -> int:
    return int(engine.store.db.scalar("PRAGMA freelist_count") or 0)


def test_a_purge_leaves_no_purged_entry_readable_and_reuses_the_file_instead_of_rewriting(
    bare_engine: Engine,
) -> None:
    # on from the first write, whatever the build's default: rows the log wrote were moved
    # between pages as it grew, and a copy left in a page's free space is not zeroed later
    assert bare_engine.store.db.scalar("PRAGMA secure_delete") == 1
    log = bare_engine.store.decisions
    first = _decision(1)
    for n in range(1, 301):  # old enough to go; ids no other byte of the file spells
        log.record(_decision(n).model_copy(update={"request_id": f"purged-request-{n:05d}"}))
    kept_at = first.ts + timedelta(days=190)
    for n in range(301, 306):
        log.record(_decision(n).model_copy(update={"ts": kept_at, "request_id": f"kept-{n}"}))
    assert b"purged-request-00150" in _file_bytes(bare_engine)
    removed = bare_engine.purge(now=first.ts + timedelta(days=200))
    assert removed["decision_log_entries"] == 300
    data = _file_bytes(bare_engine)
    assert b"purged-request-" not in data and b"kept-305" in data  # zeroed, and the WAL emptied
    assert _free_pages(bare_engine) > 0  # not rewritten: the next appends reuse those pages
    bare_engine.purge(now=first.ts + timedelta(days=200), compact=True)
    assert _free_pages(bare_engine) == 0  # --compact still rewrites the file
