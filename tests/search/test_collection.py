import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tandem.embed import HashingEncoder
from tandem.search import (
    AtLeast,
    AtMost,
    Collection,
    Document,
    HasSkills,
    TagIn,
    hybrid_search,
    snapshots,
)
from tandem.search.base import Hit
from tandem.search.hybrid import EXACT_BELOW, dense_hits, exact_dense, fuse, hybrid_page
from tandem.search.registry import VECTOR


def _doc(i: int, text: str, rate: float, country: str, skills: list[str]) -> Document:
    return Document(
        id=f"f{i}",
        content_hash=f"h{i}-{text}",
        text=text,
        embed_text=text,
        skills=skills,
        numbers={"rate_usd": rate},
        tags={"country": country},
    )


DOCS = [
    _doc(1, "Django developer REST", 40, "DE", ["Django", "Python"]),
    _doc(2, "React frontend developer", 60, "PT", ["React"]),
    _doc(3, "Django and React full stack", 90, "DE", ["Django", "React"]),
    _doc(4, "Logo designer", 25, "IN", ["Logo Design"]),
]


def test_filters_and_hybrid_search(tmp_path: Path) -> None:
    coll = Collection(tmp_path, HashingEncoder())
    coll.upsert(DOCS)
    ids = [h.id for h in hybrid_search(coll, "django developer", k=10)]
    assert ids[0] in {"f1", "f3"} and "f4" not in ids[:2]
    hits = hybrid_search(coll, "developer", [AtMost("rate_usd", 50), TagIn("country", ("DE",))])
    assert [h.id for h in hits] == ["f1"]
    hits = hybrid_search(coll, "developer", [HasSkills(("Django", "React"))])
    assert [h.id for h in hits] == ["f3"]
    assert hybrid_search(coll, "developer", [AtLeast("rate_usd", 1000)]) == []
    assert all(h.lexical_rank or h.semantic_rank for h in hybrid_search(coll, "react", k=3))


def test_sync_plan_persistence_and_deletes(tmp_path: Path) -> None:
    coll = Collection(tmp_path, HashingEncoder())
    plan = coll.plan({d.id: d.content_hash for d in DOCS})
    assert plan.upsert == ["f1", "f2", "f3", "f4"] and plan.delete == []
    coll.upsert(DOCS)
    coll.save()
    again = Collection(tmp_path, HashingEncoder())
    assert again.count() == 4
    changed = {d.id: d.content_hash for d in DOCS} | {"f2": "new"}
    changed.pop("f4")
    plan = again.plan(changed)
    assert plan.upsert == ["f2"] and plan.delete == ["f4"]
    again.delete(plan.delete)
    assert again.count() == 3
    assert "f4" not in [h.id for h in hybrid_search(again, "logo designer")]


def test_other_settings_rebuild_from_scratch(tmp_path: Path) -> None:
    coll = Collection(tmp_path, HashingEncoder())
    coll.upsert(DOCS)
    coll.save()
    other = Collection(tmp_path, HashingEncoder(dim=64))
    assert other.count() == 0 and other.plan({"f1": "x"}).upsert == ["f1"]


def test_ann_path_agrees_with_exact_on_a_large_collection(tmp_path: Path) -> None:
    encoder = HashingEncoder()
    coll = Collection(tmp_path, encoder)
    words = ["python", "django", "react", "design", "logo", "tax", "seo", "video", "excel", "legal"]
    rng = np.random.default_rng(0)
    docs = [
        _doc(i, " ".join(rng.choice(words, 4)), float(i % 100), "DE", [])
        for i in range(EXACT_BELOW + 500)
    ]
    coll.upsert(docs)
    query = encoder.encode(["django react developer"])[0]
    mask = coll.mask([])
    exact = {h.label for h in exact_dense(coll, query, mask, 20)}
    approx = {h.label for h in dense_hits(coll, query, mask, 20)}
    assert len(exact & approx) >= 16


def test_reciprocal_rank_fusion() -> None:
    fused = fuse([[Hit(1, 9.0), Hit(2, 5.0)], [Hit(2, 0.9), Hit(3, 0.8)]], k=60)
    assert max(fused, key=fused.__getitem__) == 2
    assert fused[1] == 1 / 61 and fused[3] == 1 / 62


def test_text_committed_by_a_write_killed_before_its_journal_line_is_not_served(
    tmp_path: Path,
) -> None:
    from tandem.search import journal
    from tandem.search.hybrid import lexical_hits

    coll = Collection(tmp_path / "c", HashingEncoder())
    coll.upsert([_text_doc("a", "kept words")])
    coll.save()
    coll.upsert([_text_doc("b", "orphaned words")])  # text committed, then killed:
    coll.lexical.commit()  # no journal line, so a reload does not know "b"
    assert journal.size(coll.journal_path) == 0
    again = Collection(tmp_path / "c", HashingEncoder())
    hits = lexical_hits(again, "orphaned", again.mask([]), 5)
    assert hits == []


def _text_doc(doc_id: str, text: str) -> Document:
    return Document(id=doc_id, content_hash=doc_id, text=text, embed_text=text)


@pytest.mark.parametrize("backend", ["hnsw", "faiss", "faiss-sq8"])
def test_a_journalled_write_is_found_after_a_reload_on_either_vector_backend(
    tmp_path: Path, backend: str
) -> None:
    pytest.importorskip("faiss" if backend == "faiss" else "hnswlib")
    encoder = HashingEncoder()
    coll = Collection(tmp_path / "c", encoder, vector_backend=backend)
    coll.upsert([_text_doc(i, f"saved words {i}") for i in ("a", "b", "c")])
    coll.save()
    saved = (tmp_path / "c" / "manifest.json").stat().st_mtime_ns
    coll.record([_text_doc("b", "rewritten entirely"), _text_doc("d", "brand new")])
    assert (tmp_path / "c" / "manifest.json").stat().st_mtime_ns == saved
    again = Collection(tmp_path / "c", encoder, vector_backend=backend)
    assert dict(again.hash_items()) == dict(coll.hash_items()) and again.count() == 4
    for doc_id, text in (("b", "rewritten entirely"), ("d", "brand new")):
        label = again.ids.get(doc_id)
        assert again.vector.search(encoder.encode([text])[0], 1)[0].label == label
        assert [h.label for h in again.lexical.search(text, 1)] == [label]


def test_a_served_search_counts_and_pages_what_its_words_found_past_200(tmp_path: Path) -> None:
    """Trial 18: 392 profiles held "developer", the search said "of 200" and page 11 was empty."""
    coll = Collection(tmp_path, HashingEncoder())
    coll.upsert([_text_doc(f"d{i:04d}", f"web developer number {i}") for i in range(450)])
    coll.upsert([_text_doc(f"x{i:04d}", "plumbing and heating") for i in range(50)])
    coll.save()
    shallow = hybrid_page(coll, "developer", k=20, words_required=True)
    assert shallow.total == 200  # each engine's default fetch: what the old served search said
    found = hybrid_page(coll, "developer", k=20, words_required=True, depth=1000)
    assert found.total == 450 and len(found.hits) == 20
    deep = hybrid_page(coll, "developer", k=440, words_required=True, depth=1000)
    assert len(deep.hits) == 440 and all(h.id.startswith("d") for h in deep.hits)
    assert deep.hits[:20] == found.hits  # the same order, only deeper


def test_a_search_that_filters_finds_words_or_close_meaning_never_the_merely_nearest(
    tmp_path: Path,
) -> None:
    """``words_required`` keeps a record with a query word, or one whose embedding clears
    ``similar_from``; the dense engine's other nearest records are not "found"."""
    coll = Collection(tmp_path, HashingEncoder())
    coll.upsert(
        [
            _text_doc("words", "brand identity for a bakery"),
            Document(
                id="meaning",
                content_hash="meaning",
                text="visual work for shops",  # no word of the query
                embed_text="brand identity design",  # but its embedding is close to it
            ),
            _text_doc("far", "plumbing and heating repairs"),
        ]
    )
    coll.save()
    found = hybrid_page(coll, "brand identity", k=10, words_required=True, similar_from=0.27)
    assert {h.id for h in found.hits} == {"words", "meaning"} and found.total == 2
    worded = hybrid_page(coll, "brand identity", k=10, words_required=True)
    assert [h.id for h in worded.hits] == ["words"]
    nothing = hybrid_page(coll, "zyzzogeton", k=10, words_required=True, similar_from=0.27)
    assert nothing.hits == [] and nothing.total == 0
    assert {h.id for h in hybrid_page(coll, "brand identity", k=10).hits} == {
        "words",
        "meaning",
        "far",
    }


def test_growing_by_batches_copies_the_columns_a_few_times_and_saves_only_labels(
    tmp_path: Path,
) -> None:
    coll = Collection(tmp_path / "c", HashingEncoder())
    docs = [_doc(i, f"profile {i} builds things", i, "DE", ["Python"]) for i in range(3000)]
    sizes = set()
    for start in range(0, len(docs), 25):  # 120 batches, as a sync upserts them
        coll.upsert(docs[start : start + 25])
        sizes.add(coll.capacity)  # each new size is one copy of every row held in memory
    assert len(sizes) <= 6  # grown by half again, not once per batch (120 copies)
    coll.save()
    again = Collection(tmp_path / "c", HashingEncoder())
    assert again.capacity == 3000  # spare rows are not saved
    np.testing.assert_array_equal(again.vectors_of(range(3000)), coll.vectors_of(range(3000)))
    assert again.count() == coll.count() == 3000
    assert again.numbers["rate_usd"][2999] == 2999 and len(again.tags["country"]) == 3000


def test_a_reserved_collection_is_not_copied_while_it_fills(tmp_path: Path) -> None:
    coll = Collection(tmp_path / "c", HashingEncoder())
    docs = [_doc(i, f"profile {i}", i, "DE", ["Python"]) for i in range(2000)]
    coll.reserve(2000)
    sizes = set()
    for start in range(0, len(docs), 100):
        coll.upsert(docs[start : start + 100])
        sizes.add(coll.capacity)
    assert sizes == {2000} and coll.count() == 2000


def test_a_loaded_collection_maps_its_vectors_and_serves_rows_written_after_the_load(
    tmp_path: Path,
) -> None:
    encoder = HashingEncoder()
    coll = Collection(tmp_path / "c", encoder)
    coll.upsert(DOCS)
    coll.save()
    (vectors_file,) = (tmp_path / "c" / "rows").glob("vectors.*.npy")
    on_disk = vectors_file.read_bytes()
    again = Collection(tmp_path / "c", encoder)
    assert again.vectors_mapped()  # not read into memory: pages come in as rows are read
    np.testing.assert_array_equal(again.vectors_of([0, 3]), coll.vectors_of([0, 3]))
    changed = _doc(2, "Kubernetes cluster operator", 70, "PT", ["Kubernetes"])
    added = _doc(5, "Rust embedded firmware", 80, "DE", ["Rust"])
    again.upsert([changed, added])  # a saved row replaced, a row past the saved ones
    for doc in (changed, added):
        np.testing.assert_array_equal(again.vector_of(doc.id), encoder.encode([doc.text])[0])
        assert again.hash_of(doc.id) == doc.content_hash
        assert hybrid_search(again, doc.text, k=1)[0].id == doc.id
    assert again.skills_of("f2") == ["Kubernetes"] and again.skills_of("f5") == ["Rust"]
    assert vectors_file.read_bytes() == on_disk  # copy-on-write: the file is as saved


def test_skill_filters_follow_sets_deletes_and_re_sets_before_and_after_a_save(
    tmp_path: Path,
) -> None:
    coll = Collection(tmp_path / "c", HashingEncoder())
    coll.upsert(DOCS)
    coll.save()
    coll = Collection(tmp_path / "c", HashingEncoder())

    def having(*skills: str) -> set[str]:
        return {coll.ids[i] for i in np.flatnonzero(coll.mask([HasSkills(skills)]))}

    assert having("django") == {"f1", "f3"} and having("React") == {"f2", "f3"}
    coll.upsert([_doc(1, "Django developer", 40, "DE", ["Go"])])  # f1 loses Django
    coll.delete(["f3"])
    assert having("Django") == set() and having("go") == {"f1"} and having("React") == {"f2"}
    coll.upsert([_doc(3, "back again", 90, "DE", ["django", "React"])])  # a new label
    coll.upsert([_doc(1, "Django developer", 40, "DE", ["Django", "Go"])])  # set twice
    expected = {"django": {"f1", "f3"}, "go": {"f1"}, "react": {"f2", "f3"}}
    assert {name: having(name) for name in expected} == expected
    coll.save()
    assert {name: having(name) for name in expected} == expected
    reloaded = Collection(tmp_path / "c", HashingEncoder())
    coll = reloaded
    assert {name: having(name) for name in expected} == expected
    assert having("Django", "Go") == {"f1"}


def test_a_save_killed_before_its_manifest_leaves_the_previous_columns_whole(
    tmp_path: Path,
) -> None:
    coll = Collection(tmp_path / "c", HashingEncoder())
    coll.upsert(DOCS)
    coll.save()
    coll.upsert([_doc(9, "late arrival", 10, "DE", ["Late"])])
    coll._vectors.write(tmp_path / "c" / "rows" / "vectors.2.npy", 5)  # noqa: SLF001 (killed here)
    again = Collection(tmp_path / "c", HashingEncoder())
    assert again.count() == 4 and again.hash_of("f9") is None
    np.testing.assert_array_equal(again.vectors_of(range(4)), coll.vectors_of(range(4)))
    assert again.mentions_of("f1") == {} and again.skills_of("f1") == ["Django", "Python"]


def test_a_save_killed_while_writing_the_ids_leaves_the_previous_ones_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tandem.search import idmap

    coll = Collection(tmp_path / "c", HashingEncoder())
    coll.upsert(DOCS)
    coll.save()
    coll.delete(["f1"])
    coll.upsert([_doc(9, "late arrival", 10, "DE", [])])
    real = idmap.write_rows

    def killed(path: Path, *args: object, **kwargs: object) -> None:
        if path.name.startswith("id_labels"):
            raise KeyboardInterrupt  # killed between the id columns and the manifest
        real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(idmap, "write_rows", killed)
    with pytest.raises(KeyboardInterrupt):
        coll.save()
    monkeypatch.undo()
    again = Collection(tmp_path / "c", HashingEncoder())
    assert again.ids.labels_of(["f1", "f4", "f9"]) == [0, 3, None] and len(again.ids) == 4


def test_hashes_and_mentions_of_any_length_survive_a_reload(tmp_path: Path) -> None:
    long_hash = "h" * 100  # wider than a sha256 in hex
    doc = Document(
        id="m",
        content_hash=long_hash,
        text="tax adviser",
        embed_text="tax adviser",
        mentions={"Tax Law": "overview: 'tax law' — naïve"},
    )
    coll = Collection(tmp_path / "c", HashingEncoder())
    coll.upsert([*DOCS, doc])
    coll.save()
    again = Collection(tmp_path / "c", HashingEncoder())
    assert again.hash_of("m") == long_hash and again.hash_of("f1") == DOCS[0].content_hash
    assert again.mentions_of("m") == doc.mentions and again.mentions_of("f1") == {}
    assert again.plan({"m": long_hash, "f1": "other"}).upsert == ["f1"]


def test_batched_hash_and_mention_reads_equal_one_at_a_time(tmp_path: Path) -> None:
    """A match reads 300 hashes and mentions at once: saved rows, rows set since, new, unknown."""
    doc = Document(
        id="m", content_hash="h" * 70, text="t", embed_text="t", mentions={"Tax": "'tax' — é"}
    )
    coll = Collection(tmp_path / "c", HashingEncoder())
    coll.upsert([*DOCS, doc])
    coll.save()
    again = Collection(tmp_path / "c", HashingEncoder())
    again.upsert([_doc(1, "changed since the load", 20, "DE", ["Go"]), _doc(9, "new", 5, "NZ", [])])
    again.delete(["f2"])
    ids = ["m", "f1", "f9", "f2", "nobody", "f3", "m"]
    assert again.hashes_of(ids) == [again.hash_of(i) for i in ids]
    assert again.hashes_of(ids)[0] == "h" * 70 and again.hashes_of(ids)[3:5] == [None, None]
    assert again.mentions_for(ids) == [again.mentions_of(i) for i in ids]
    assert again.mentions_for(ids)[0] == doc.mentions
    assert again.hashes_of([]) == [] and again.mentions_for([]) == []


def test_tag_filters_and_values_survive_a_reload_and_later_writes(tmp_path: Path) -> None:
    coll = Collection(tmp_path / "c", HashingEncoder())
    coll.upsert([*DOCS, _doc(7, "tax adviser", 30, "Côte d'Ivoire", [])])
    coll.save()
    again = Collection(tmp_path / "c", HashingEncoder())
    assert again.tag_values("country") == ["Côte d'Ivoire", "DE", "IN", "PT"]
    assert [h.id for h in hybrid_search(again, "tax", [TagIn("country", ("Côte d'Ivoire",))])] == [
        "f7"
    ]
    again.upsert([_doc(8, "tax lawyer", 50, "NZ", [])])  # a value first seen after the load
    passing = again.mask([TagIn("country", ("NZ", "IN"))])
    assert {again.ids[i] for i in np.flatnonzero(passing)} == {"f4", "f8"}
    assert again.tag_values("missing") == [] and not again.mask([TagIn("missing", ("x",))]).any()


class _Counting(HashingEncoder):
    """A hashing encoder that counts what it embeds: an upgrade must embed nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.embedded = 0

    def encode(self, texts, batch_size=64):  # type: ignore[no-untyped-def]
        self.embedded += len(texts)
        return super().encode(texts, batch_size=batch_size)


def write_format_3(coll: Collection) -> None:
    """Rewrite a saved collection's columns as format 3 had them (one JSON manifest, an npz)."""
    import json
    import shutil

    n = len(coll.ids)
    ids = coll.ids.strings(range(n))
    manifest = json.loads((coll.directory / "manifest.json").read_text())
    manifest |= {
        "format": 3,
        "ids": ids,
        "hashes": dict(coll.hash_items()),
        "skills": [coll._skills.names(label) for label in range(n)],
        "mentions": [coll.mentions_of(i) if coll.ids.get(i) is not None else {} for i in ids],
    }
    for key in ("rows", "tags"):
        manifest.pop(key, None)
    arrays = {"vectors": coll.vectors_of(range(n)), "live": coll.live[:n]}
    arrays |= {f"n_{k}": v[:n] for k, v in coll.numbers.items()}
    arrays |= {f"t_{k}": np.asarray([v.text(i) for i in range(n)]) for k, v in coll.tags.items()}
    np.savez(coll.directory / "columns.npz", **arrays)  # type: ignore[arg-type]
    shutil.rmtree(coll.directory / "rows")
    (coll.directory / "manifest.json").write_text(json.dumps(manifest))


def test_a_format_3_collection_is_read_converted_and_saved_without_embedding_anything(
    tmp_path: Path,
) -> None:
    coll = Collection(tmp_path, HashingEncoder())
    coll.upsert([replace(d, mentions={"Python": "overview"}) for d in DOCS])
    coll.delete(["f2"])  # a dead label: kept as a label, never served
    coll.save()
    before = {
        "vectors": coll.vectors_of(range(len(coll.ids))),
        "found": [h.id for h in hybrid_search(coll, "django developer", k=10)],
        "filtered": [h.id for h in hybrid_search(coll, "developer", [TagIn("country", ("DE",))])],
        "skilled": [h.id for h in hybrid_search(coll, "developer", [HasSkills(("React",))])],
    }
    write_format_3(coll)

    encoder = _Counting()
    old = Collection(tmp_path, encoder)
    assert encoder.embedded == 0
    assert old.upgraded and not old.discarded and old.count() == 3
    assert np.array_equal(old.vectors_of(range(len(old.ids))), before["vectors"])
    assert old.hash_of("f1") == "h1-Django developer REST" and old.hash_of("f2") is None
    assert old.skills_of("f3") == ["Django", "React"]
    assert old.mentions_of("f1") == {"Python": "overview"}
    assert [h.id for h in hybrid_search(old, "django developer", k=10)] == before["found"]
    embedded = encoder.embedded  # the search's query, nothing else
    old.save()
    assert not (tmp_path / "columns.npz").exists() and encoder.embedded == embedded

    again = Collection(tmp_path, encoder)
    assert not again.upgraded and again.vectors_mapped()
    assert np.array_equal(again.vectors_of(range(len(again.ids))), before["vectors"])
    assert [h.id for h in hybrid_search(again, "django developer", k=10)] == before["found"]
    filtered = hybrid_search(again, "developer", [TagIn("country", ("DE",))])
    assert [h.id for h in filtered] == before["filtered"]
    skilled = hybrid_search(again, "developer", [HasSkills(("React",))])
    assert [h.id for h in skilled] == before["skilled"]


def write_format_4(coll: Collection) -> None:
    """Rewrite a saved collection's manifest as format 4 had it: the ids a list in it.

    Format 4 saved every other column as format 5 does; it had no id columns.
    """
    import json

    manifest = json.loads((coll.directory / "manifest.json").read_text())
    manifest |= {"format": 4, "ids": coll.ids.strings(range(len(coll.ids)))}
    for path in (coll.directory / "rows").iterdir():
        if path.name.split(".")[0] in {"ids", "id_offsets", "id_keys", "id_labels"}:
            path.unlink()
    (coll.directory / "manifest.json").write_text(json.dumps(manifest))


def test_a_format_4_collection_is_read_converted_and_saved_as_format_5(tmp_path: Path) -> None:
    import json

    coll = Collection(tmp_path, HashingEncoder())
    coll.upsert(DOCS)
    coll.delete(["f2"])
    coll.upsert([replace(DOCS[1], content_hash="back")])  # f2 again, at a new label
    coll.save()
    labels = [coll.ids.get(d.id) for d in DOCS]
    found = [h.id for h in hybrid_search(coll, "react developer", k=10)]
    write_format_4(coll)

    encoder = _Counting()
    old = Collection(tmp_path, encoder)
    assert old.upgraded and not old.discarded and encoder.embedded == 0
    assert len(old.ids) == 5 and [old.ids.get(d.id) for d in DOCS] == labels == [0, 4, 2, 3]
    assert (
        old.hash_of("f2") == "back"
        and [h.id for h in hybrid_search(old, "react developer", k=10)] == found
    )
    old.save()
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["format"] == 5 and "ids" not in manifest
    again = Collection(tmp_path, encoder)
    assert not again.upgraded and [again.ids.get(d.id) for d in DOCS] == labels
    assert again.ids.strings(range(5)) == ["f1", "f2", "f3", "f4", "f2"]
    assert [h.id for h in hybrid_search(again, "react developer", k=10)] == found


def test_the_ids_are_saved_as_columns_not_in_the_manifest(tmp_path: Path) -> None:
    import json

    coll = Collection(tmp_path, HashingEncoder())
    coll.upsert(DOCS)
    coll.save()
    saved = (tmp_path / "manifest.json").stat().st_size
    coll.upsert([_doc(i, f"more {i}", 10, "DE", []) for i in range(10, 1010)])
    coll.save()
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert "ids" not in manifest and (tmp_path / "manifest.json").stat().st_size == saved
    rows = {p.name for p in (tmp_path / "rows").iterdir()}
    assert {"ids.2.npy", "id_offsets.2.npy", "id_keys.2.npy", "id_labels.2.npy"} <= rows
    again = Collection(tmp_path, HashingEncoder())
    assert again.ids.labels_of(["f1", "f500", "f1009", "f5"]) == [0, 494, 1003, None]


def test_labels_are_given_as_the_list_and_dict_gave_them_across_saves(tmp_path: Path) -> None:
    coll = Collection(tmp_path, HashingEncoder())
    coll.upsert([DOCS[0], DOCS[1], replace(DOCS[0], content_hash="twice")])  # f1 twice: one label
    assert len(coll.ids) == 2 and coll.hash_of("f1") == "twice"
    coll.save()
    again = Collection(tmp_path, HashingEncoder())
    again.upsert([replace(DOCS[1], content_hash="new"), DOCS[2]])  # saved f2 keeps label 1
    assert again.ids.labels_of(["f1", "f2", "f3"]) == [0, 1, 2]
    again.delete(["f1"])
    assert again.ids.get("f1") is None and again.hash_of("f1") is None
    again.upsert([DOCS[0]])  # back: a new label, the old one stays dead
    assert again.ids.get("f1") == 3 and not again.live[0] and again.count() == 3
    again.delete(["f1"])  # a label given since the load, dropped before any save
    again.upsert([DOCS[0]])
    assert again.ids.get("f1") == 4 and not again.live[3] and again.count() == 3
    again.save()
    reloaded = Collection(tmp_path, HashingEncoder())
    assert reloaded.ids.labels_of(["f1", "f2", "f3"]) == [4, 1, 2] and reloaded.count() == 3
    assert [h.id for h in hybrid_search(reloaded, "django developer rest", k=1)] == ["f1"]
    assert reloaded.holds_same_records(again) and again.holds_same_records(reloaded)


def test_a_journal_is_replayed_with_the_labels_its_writer_gave(tmp_path: Path) -> None:
    encoder = HashingEncoder()
    first = Collection(tmp_path / "c", encoder)
    first.upsert(DOCS)
    first.delete(["f4"])
    first.save()
    writer = Collection(tmp_path / "c", encoder)
    late = [_text_doc("f2", "rewritten"), _text_doc("n", "new"), _text_doc("f4", "back")]
    writer.record([*late, _text_doc("n", "new again")])
    served = Collection(tmp_path / "c", encoder)
    assert served.ids.labels_of(["f2", "n", "f4"]) == writer.ids.labels_of(["f2", "n", "f4"])
    assert served.ids.labels_of(["f2", "n", "f4"]) == [1, 4, 5]
    assert served.holds_same_records(writer) and served.hash_of("n") == "n"


def test_holds_same_records_compares_which_id_each_live_label_holds(tmp_path: Path) -> None:
    one, two = (
        Collection(tmp_path / "1", HashingEncoder()),
        Collection(tmp_path / "2", HashingEncoder()),
    )
    one.upsert(DOCS)
    swapped = [DOCS[1], DOCS[0], DOCS[2], DOCS[3]]  # the same records at other labels
    two.upsert(swapped)
    assert one.count() == two.count() and not one.holds_same_records(two)
    one.save()
    three = Collection(tmp_path / "3", HashingEncoder())
    three.upsert(DOCS)
    assert one.holds_same_records(three) and three.holds_same_records(one)
    three.delete(["f3"])
    assert not one.holds_same_records(three)


def _served_and_journalled(tmp_path: Path, new: int) -> tuple[Collection, Collection]:
    """A saved collection loaded by a server, and ``new`` records another writer journalled.

    The other writer is a second collection over the same directory, as another process is:
    its lines reach the server only through its journal (:meth:`Collection.catch_up`).
    """
    encoder = HashingEncoder()
    first = Collection(tmp_path / "c", encoder)
    first.upsert(DOCS)
    first.save()
    served = Collection(tmp_path / "c", encoder)
    writer = Collection(tmp_path / "c", encoder)
    writer.record([_doc(100 + i, f"late writer {i}", 30, "ZZ", ["Go"]) for i in range(new)])
    return served, writer


@pytest.fixture
def switching_often() -> Iterator[None]:
    """Threads switch every microsecond, so a race that needs two of them to interleave does."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


@pytest.mark.usefixtures("switching_often")
def test_threads_catching_up_at_once_apply_each_journal_line_once(tmp_path: Path) -> None:
    served, writer = _served_and_journalled(tmp_path, 300)
    start = threading.Barrier(6)
    applied: list[int] = []
    failed: list[BaseException] = []

    def catch_up() -> None:
        start.wait()
        try:
            applied.append(served.catch_up())
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            failed.append(exc)

    threads = [threading.Thread(target=catch_up) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failed == [] and sum(applied) == 300 and served.journal_lines == 300
    assert served.ids.same_as(writer.ids) and served.count() == len(DOCS) + 300
    assert dict(served.hash_items()) == dict(writer.hash_items())


@pytest.mark.usefixtures("switching_often")
def test_a_search_during_a_catch_up_sees_the_whole_batch_or_none_of_it(tmp_path: Path) -> None:
    served, _ = _served_and_journalled(tmp_path, 2000)  # long enough to be read half-way
    late = [TagIn("country", ("ZZ",))]
    seen: list[int] = []
    failed: list[BaseException] = []
    reading, done = threading.Event(), threading.Event()

    def search() -> None:
        while not done.is_set() or len(seen) < 3:
            try:
                seen.append(hybrid_page(served, "", late, k=1000).total)
            except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
                failed.append(exc)
            reading.set()

    reader = threading.Thread(target=search)
    reader.start()
    reading.wait(10)
    assert served.catch_up() == 2000
    done.set()
    reader.join(30)
    assert failed == [] and set(seen) <= {0, 2000} and seen[-1] == 2000


def test_equal_scores_come_back_in_id_order_whatever_the_index_layout(tmp_path: Path) -> None:
    """Two homes with the same records, indexed in other orders, answer the same.

    BM25 gives records that hold a query's words alike the same score, and tantivy returns
    them in index order: a home built in other batches (``--executor ray``, a resumed sync)
    ranked them otherwise, and reciprocal rank fusion turned the swap into other scores.
    """
    twins = [_doc(i, "bookkeeping for a bakery", 30, "DE", []) for i in range(10, 22)]
    others = [_doc(i, f"bookkeeping and payroll {i}", 30, "DE", []) for i in range(30, 36)]
    built = []
    for name, order in (("a", twins + others), ("b", others[::-1] + twins[::-1])):
        coll = Collection(tmp_path / name, HashingEncoder())
        for doc in order:  # one at a time: each its own tantivy segment, in this order
            coll.upsert([doc])
            coll.lexical.commit()
        built.append(coll)
    for query in ("bookkeeping", "bakery bookkeeping", "payroll"):
        answers = [[(h.id, h.score) for h in hybrid_search(c, query, k=8)] for c in built]
        assert answers[0] == answers[1], query
    ids = [h.id for h in hybrid_search(built[0], "bakery", k=12)]
    assert ids == sorted(ids)  # the twins tie on both engines: by id


def _market_docs(n: int) -> list[Document]:
    """``n`` profiles of a few words each, distinct (an own word each: no tied vectors)."""
    words = ["python", "django", "react", "design", "logo", "tax", "seo", "video", "excel", "law"]
    rng = np.random.default_rng(7)
    return [
        _doc(i, " ".join([*rng.choice(words, 3), f"person{i}"]), float(i % 90), "DE", [])
        for i in range(n)
    ]


def _nearest(coll: Collection, query: str, k: int = 10) -> tuple[list[float], set[str]]:
    """The ANN's top ``k`` scores, and the ids scored above the last (ties there go either way)."""
    vector = HashingEncoder().encode([query])[0]
    hits = coll.vector.search(vector, k)
    scores = [round(h.score, 4) for h in hits]
    return scores, {coll.ids[h.label] for h in hits if round(h.score, 4) > scores[-1]}


@pytest.mark.parametrize(("built", "opened"), [("faiss-sq8", "hnsw"), ("hnsw", "faiss-sq8")])
def test_a_collection_saved_with_another_vector_backend_rebuilds_its_index_from_the_stored_vectors(
    tmp_path: Path, built: str, opened: str
) -> None:
    pytest.importorskip("faiss")
    docs = _market_docs(800)
    gone = {"f3", "f250", "f799"}
    late = [_text_doc("f10", "law and tax advice person10"), _text_doc("late", "seo video late")]
    saved = Collection(tmp_path / "saved", HashingEncoder(), vector_backend=built)
    saved.upsert(docs)
    saved.delete(gone)
    saved.save()
    saved.record(late)  # journalled, not in the saved vector index: replayed from the journal
    final = [d for d in docs if d.id not in gone and d.id != "f10"] + late
    fresh = Collection(tmp_path / "fresh", HashingEncoder(), vector_backend=opened)
    fresh.upsert(final)
    queries = ["python django", "logo design", "tax law advice", "seo video late", docs[5].text]
    as_built = Collection(tmp_path / "saved", HashingEncoder(), vector_backend=built)
    found = {q: [h.id for h in hybrid_search(as_built, q, k=10)] for q in queries}

    encoder = _Counting()
    again = Collection(tmp_path / "saved", encoder, vector_backend=opened)
    assert again.vectors_stale == f"vector: {built} -> {opened}"
    assert again.vector.count() == len(late)  # the journal's lines: the saved index is not read
    snapshots.fork(tmp_path / "saved", tmp_path / "fork")
    again.relocate(tmp_path / "fork")  # rebuilt there, never where it was read
    assert encoder.embedded == 0  # the stored vectors, not the encoder
    assert again.upgraded and not again.discarded and again.vectors_stale == ""
    assert again.vector.name == opened
    assert again.count() == again.vector.count() == fresh.count() == len(final)
    for query in queries:
        assert _nearest(again, query) == _nearest(fresh, query), query  # as a fresh build's
        assert [h.id for h in hybrid_search(again, query, k=10)] == found[query]  # all kept
    everyone = {again.ids[h.label] for h in again.vector.search(fresh.vectors_of([0])[0], 900)}
    assert not everyone & gone and "late" in everyone  # deleted stay deleted

    encoder.embedded = 0  # the searches' queries
    again.save()  # in the fork: a later load reads the new index
    kept = Collection(tmp_path / "fork", encoder, vector_backend=opened)
    assert not kept.upgraded and kept.vector.count() == len(final)
    back = Collection(tmp_path / "fork", encoder, vector_backend=built)
    snapshots.fork(tmp_path / "fork", tmp_path / "back")
    back.relocate(tmp_path / "back")
    assert back.upgraded and back.vector.count() == len(final)  # rebuilt, with the late records
    assert encoder.embedded == 0
    as_built = Collection(tmp_path / "saved", HashingEncoder(), vector_backend=built)
    for query in queries:  # where it was read: as it was
        assert [h.id for h in hybrid_search(as_built, query, k=10)] == found[query]
    for query in queries:
        assert _nearest(kept, query) == _nearest(fresh, query), query
    for doc in late:  # the old backend's saved files lacked them: they were not read
        hit = back.vector.search(fresh.vector_of(doc.id), 1)[0]  # type: ignore[arg-type]
        assert back.ids[hit.label] == doc.id


def test_a_stale_vector_index_is_rebuilt_only_in_the_fork_it_is_relocated_to(
    tmp_path: Path,
) -> None:
    pytest.importorskip("faiss")
    saved = Collection(tmp_path / "v1", HashingEncoder(), vector_backend="hnsw")
    saved.upsert(DOCS)
    saved.save()
    files = {p: p.stat().st_mtime_ns for p in (tmp_path / "v1").rglob("*") if p.is_file()}
    stale = Collection(tmp_path / "v1", HashingEncoder(), vector_backend="faiss")
    assert stale.vectors_stale == "vector: hnsw -> faiss" and stale.vector.count() == 0
    assert {p: p.stat().st_mtime_ns for p in files} == files  # opening it wrote nothing
    snapshots.fork(tmp_path / "v1", tmp_path / "v2")
    stale.relocate(tmp_path / "v2")
    assert stale.vectors_stale == "" and stale.vector.count() == 4
    assert not (tmp_path / "v2" / "manifest.json").exists()  # until the owner's save
    assert not (tmp_path / "v2" / "vector" / "hnsw.bin").exists()  # the old backend's link
    hit = stale.vector.search(HashingEncoder().encode(["logo designer"])[0], 1)[0]
    assert stale.ids[hit.label] == "f4"
    assert {p: p.stat().st_mtime_ns for p in files} == files  # the old one: as it was
    assert Collection(tmp_path / "v1", HashingEncoder(), vector_backend="hnsw").vector.count() == 4


@pytest.mark.parametrize(("built", "opened"), [("faiss", "hnsw"), ("hnsw", "faiss")])
def test_a_vector_rebuild_holds_one_shard_and_seals_the_others_in_the_fork(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built: str, opened: str
) -> None:
    """A rebuild held every vector in one open shard: 1.7 GB at 1M with MiniLM, where an
    import holds one shard (~220 MB). It seals shards into the fork as they fill."""
    pytest.importorskip("faiss")
    docs = _market_docs(50)
    saved = Collection(tmp_path / "v1", HashingEncoder(), vector_backend=built)
    saved.upsert(docs)
    saved.delete(["f7"])
    saved.save()
    fresh = Collection(tmp_path / "fresh", HashingEncoder(), vector_backend=opened)
    fresh.upsert([d for d in docs if d.id != "f7"])

    held: list[int] = []  # the open shard's vectors after each of its upserts

    class Watched(VECTOR[opened]):  # type: ignore[misc, valid-type]
        def upsert(self, labels: np.ndarray, vectors: np.ndarray) -> None:
            super().upsert(labels, vectors)
            held.append(self.count())

    monkeypatch.setitem(VECTOR, opened, Watched)
    stale = Collection(
        tmp_path / "v1", HashingEncoder(), vector_backend=opened, vector_shard_size=8
    )
    snapshots.fork(tmp_path / "v1", tmp_path / "v2")
    stale.relocate(tmp_path / "v2")
    assert held and max(held) <= 8  # never more than one shard's vectors unsealed
    sealed = sorted(p.name for p in (tmp_path / "v2" / "vector").glob("sealed-*"))
    assert sealed == [f"sealed-{n}" for n in range(6)]  # 49 live: six full shards and one
    assert stale.vector.shards == 7 and stale.vector.shards_in_memory == 1
    stale.save()
    again = Collection(tmp_path / "v2", HashingEncoder(), vector_backend=opened)
    assert not again.upgraded and again.vector.count() == again.count() == 49
    for query in ["python django", "logo design", "tax law", "seo video", docs[5].text]:
        assert _nearest(again, query) == _nearest(fresh, query), query


def test_a_bulk_write_keeps_few_vectors_in_memory_until_the_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sync's vectors waited for its next save in memory: a kilobyte a profile at 256
    dimensions, tens of megabytes between two checkpoints (issue 15). Past a few thousand
    (256 here) they wait in a file, and read and save as before."""
    import tracemalloc

    from tandem.search import columns

    monkeypatch.setattr(columns, "SPILL_ROWS", 256, raising=False)
    dim, n = 1024, 4096  # 16 MB of vectors
    coll = Collection(tmp_path, HashingEncoder(dim=dim))
    vectors = np.random.default_rng(5).standard_normal((n, dim)).astype(np.float32)
    docs = [_doc(i, f"profile {i}", 10.0, "DE", []) for i in range(n)]
    tracemalloc.start()
    try:
        for start in range(0, n, 256):
            coll.upsert(docs[start : start + 256], vectors=vectors[start : start + 256])
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert held < n * dim * 4 / 4  # on main: all 16 MB, and the rest
    labels = [0, 1, 2, 3000, n - 1]
    np.testing.assert_array_equal(coll.vectors_of(labels), vectors[labels])
    coll.save()
    again = Collection(tmp_path, HashingEncoder(dim=dim))
    np.testing.assert_array_equal(again.vectors_of(np.arange(n)), vectors)
