"""Versioned index snapshots: builds write a new version, a pointer file publishes it.

Several serving processes (replicas, on one host or many over shared storage) read one
collection while another process re-indexes it. Rewriting the files they read in place would
let a replica load a manifest of one build with the columns or vectors of the next. So a
collection lives in versioned directories under its root, and a one-line pointer names the
published one::

    index/talent/CURRENT          "v000004"  (replaced atomically: write, fsync, rename)
    index/talent/v000004/         manifest.json, rows/, lexical/, vector/, journal.jsonl
    index/talent/v000003/retired  when it stopped being current (removed after a grace period)

A build (a full ``tandem index``, an import, a journal compaction, an erasure's rebuild)
works in the next version's directory, which no reader opens before the pointer names it;
readers re-read the pointer on each use and switch to a newer version without a restart.
The one write a published version still takes is a single-record write: a journal line
appended and a lexical commit, both safe under readers (see :mod:`tandem.search.journal`).

A version is forked from the published one by hard-linking its files, because every file a
collection writes is replaced by rename (tantivy's segments and metadata, the vector files,
rows and manifest; see :mod:`tandem.search.columns`), which leaves the other version's link
untouched. A collection maps its rows copy-on-write or read-only, never ``r+``: a write
through the map would land in every version linking the file. The two exceptions
are copied: the journal (appended in place) and SQLite files (the fts5 backend writes pages
in place). Lock files are left behind.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

POINTER = "CURRENT"
RETIRED = "retired"
#: A legacy collection's files sat directly in its root; it becomes this version.
_LEGACY = ("manifest.json", "columns.npz", "rows", "lexical", "vector", "journal.jsonl")
_COPIED_SUFFIXES = (".jsonl", ".db", ".db-wal", ".db-shm", ".db-journal")


def version_name(number: int) -> str:
    """The directory name of version ``number``."""
    return f"v{number:06d}"


def _number(path: Path) -> int | None:
    name = path.name
    return int(name[1:]) if name.startswith("v") and name[1:].isdigit() else None


def versions(root: Path) -> list[Path]:
    """Every version directory under ``root``, oldest first."""
    if not root.is_dir():
        return []
    found = [(n, p) for p in root.iterdir() if p.is_dir() and (n := _number(p)) is not None]
    return [p for _, p in sorted(found)]


def current(root: Path) -> Path | None:
    """The published version's directory, or None when nothing is published yet."""
    try:
        name = (root / POINTER).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    return root / name


def next_version(root: Path) -> Path:
    """A directory for the next build: one past every version there is (it is not created)."""
    found = versions(root)
    last = _number(found[-1]) if found else 0
    return root / version_name((last or 0) + 1)


def unpublished(root: Path) -> Path | None:
    """The newest version past the published one (a build that stopped before publishing)."""
    published = current(root)
    floor = _number(published) if published is not None else 0
    newer = [p for p in versions(root) if (_number(p) or 0) > (floor or 0)]
    return newer[-1] if newer else None


def fork(source: Path, target: Path) -> None:
    """Make ``target`` a private copy of version ``source`` (hard links where that is safe)."""
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        destination = target / relative
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
            continue
        if path.name.endswith(".lock") or path.name == RETIRED:
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        if path.name.endswith(_COPIED_SUFFIXES):
            shutil.copy2(path, destination)
            continue
        try:
            os.link(path, destination)
        except OSError:  # another file system, or links refused: a copy is as good
            shutil.copy2(path, destination)
    target.mkdir(parents=True, exist_ok=True)


def publish(root: Path, version: Path, *, grace: float) -> list[Path]:
    """Make ``version`` the published one, then remove versions retired over ``grace`` s ago.

    The pointer is written to a temporary file, flushed to disk and renamed over the old one:
    a reader sees the old name or the new one, never a part. Returns the removed versions.
    """
    previous = current(root)
    tmp = root / (POINTER + ".tmp")
    with tmp.open("w", encoding="ascii") as handle:
        handle.write(version.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(root / POINTER)
    if previous is not None and previous != version and previous.is_dir():
        (previous / RETIRED).write_text(f"{time.time()!r}\n", encoding="ascii")
    return prune(root, grace=grace)


def prune(root: Path, *, grace: float) -> list[Path]:
    """Remove versions older than the published one that were retired ``grace`` s ago or more.

    A version older than the published one without a ``retired`` mark (left by a build that
    never published, or by a crash between the pointer and the mark) is marked now.
    """
    published = current(root)
    if published is None:
        return []
    floor = _number(published) or 0
    removed: list[Path] = []
    now = time.time()
    for path in versions(root):
        if (_number(path) or 0) >= floor:
            continue
        mark = path / RETIRED
        try:
            retired_at = float(mark.read_text(encoding="ascii"))
        except (FileNotFoundError, ValueError):
            mark.write_text(f"{now!r}\n", encoding="ascii")
            retired_at = now
        if grace <= 0 or now - retired_at >= grace:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def adopt_legacy(root: Path) -> bool:
    """Move a collection saved before snapshots (files directly in ``root``) into version 1.

    Returns whether there was one. The caller holds the index lock.
    """
    if current(root) is not None or not (root / "manifest.json").exists():
        return False
    target = root / version_name(1)
    target.mkdir(parents=True, exist_ok=True)
    for name in _LEGACY:
        if (root / name).exists():
            (root / name).rename(target / name)
    publish(root, target, grace=0.0)
    return True
