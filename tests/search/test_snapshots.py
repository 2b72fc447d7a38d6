"""Versioned snapshots: a fork never changes the version it came from; the pointer publishes."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from tandem.embed import HashingEncoder
from tandem.search import Collection, Document, snapshots


def _doc(doc_id: str, text: str) -> Document:
    return Document(id=doc_id, content_hash=text, text=text, embed_text=text)


def _fingerprint(directory: Path) -> dict[str, str]:
    """Every file's bytes under ``directory`` (what a reader of that version could open)."""
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


@pytest.mark.parametrize(
    ("lexical", "vector"), [("tantivy", "hnsw"), ("fts5", "hnsw"), ("tantivy", "faiss")]
)
def test_building_in_a_fork_leaves_the_published_version_byte_for_byte(
    tmp_path: Path, lexical: str, vector: str
) -> None:
    pytest.importorskip("faiss" if vector == "faiss" else "hnswlib")
    encoder = HashingEncoder()
    root = tmp_path / "talent"
    first = root / snapshots.version_name(1)
    coll = Collection(first, encoder, lexical_backend=lexical, vector_backend=vector)
    coll.upsert([_doc(i, f"ledger clerk {i}") for i in ("a", "b", "c")])
    coll.save()
    coll.record([_doc("d", "journalled welder")])
    snapshots.publish(root, first, grace=60)
    before = _fingerprint(first)

    second = snapshots.next_version(root)
    snapshots.fork(first, second)
    build = Collection(second, encoder, lexical_backend=lexical, vector_backend=vector)
    assert build.count() == 4  # the journal came along and was replayed
    build.record([_doc("g", "appended before any save")])  # into the fork's own journal
    build.delete(["a"])
    build.upsert([_doc("b", "rewritten as a glassblower"), _doc("e", "new potter")])
    build.save()
    build.record([_doc("f", "another journalled line")])

    assert _fingerprint(first) == before
    served = Collection(first, encoder, lexical_backend=lexical, vector_backend=vector)
    assert sorted(served.known_ids()) == ["a", "b", "c", "d"]
    assert [served.ids[h.label] for h in served.lexical.search("clerk b", 1)] == ["b"]
    assert not served.lexical.search("glassblower", 1)


def test_publishing_switches_the_pointer_and_retires_the_old_version_after_the_grace(
    tmp_path: Path,
) -> None:
    root = tmp_path / "jobs"
    one, two, three = (root / snapshots.version_name(n) for n in (1, 2, 3))
    for version in (one, two, three):
        version.mkdir(parents=True)
    assert snapshots.current(root) is None
    assert snapshots.publish(root, one, grace=60) == []
    assert snapshots.current(root) == one
    assert snapshots.unpublished(root) == three  # the newest build past the pointer
    assert snapshots.publish(root, two, grace=60) == []  # one is retired, not yet removed
    assert snapshots.current(root) == two and one.is_dir()
    assert (one / snapshots.RETIRED).exists()
    retired_at = float((one / snapshots.RETIRED).read_text())
    (one / snapshots.RETIRED).write_text(f"{retired_at - 61}")  # a minute and more ago
    assert snapshots.prune(root, grace=60) == [one]
    assert snapshots.versions(root) == [two, three]
    assert snapshots.publish(root, three, grace=0) == [two]  # an erasure's: no grace
    assert snapshots.versions(root) == [three]
    assert not (root / (snapshots.POINTER + ".tmp")).exists()


def test_a_collection_saved_before_snapshots_becomes_version_one(tmp_path: Path) -> None:
    encoder = HashingEncoder()
    root = tmp_path / "talent"
    legacy = Collection(root, encoder)
    legacy.upsert([_doc("a", "cartographer"), _doc("b", "surveyor")])
    legacy.save()
    legacy.record([_doc("c", "geodesist")])
    del legacy

    assert snapshots.adopt_legacy(root)
    assert snapshots.current(root) == root / "v000001"
    assert not (root / "manifest.json").exists()
    adopted = Collection(root / "v000001", encoder)
    assert sorted(adopted.known_ids()) == ["a", "b", "c"]
    assert [adopted.ids[h.label] for h in adopted.lexical.search("geodesist", 1)] == ["c"]
    assert not snapshots.adopt_legacy(root)  # once


def test_a_version_retired_without_a_mark_is_marked_then_kept_for_the_grace(
    tmp_path: Path,
) -> None:
    root = tmp_path / "talent"
    old, new = root / "v000001", root / "v000002"
    old.mkdir(parents=True)
    new.mkdir()
    snapshots.publish(root, new, grace=60)  # v1 was never published: nothing marked it
    assert old.is_dir() and float((old / snapshots.RETIRED).read_text()) <= time.time()
