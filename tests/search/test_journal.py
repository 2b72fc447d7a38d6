"""The collection journal: lines round-trip a record, and a half-written line waits."""

import math
from pathlib import Path

import numpy as np

from tandem.search import journal
from tandem.search.documents import Document


def _doc(doc_id: str) -> Document:
    return Document(
        id=doc_id,
        content_hash="h-" + doc_id,
        text="not journalled",
        embed_text="not journalled",
        skills=["Python", "SQL"],
        numbers={"rate": 42.5, "rating": math.nan},
        tags={"country": "KE"},
        mentions={"Docker": "overview: 'docker' (described)"},
    )


def test_a_line_gives_back_the_record_and_its_exact_vector(tmp_path: Path) -> None:
    vector = np.random.default_rng(3).standard_normal(8).astype(np.float32)
    path = tmp_path / journal.JOURNAL
    journal.append(path, [journal.encode(7, _doc("f1"), vector)])
    (entry,), end = journal.read_from(path, 0)
    assert end == journal.size(path)
    assert entry.label == 7
    assert np.array_equal(entry.vector, vector)
    assert entry.doc.skills == ["Python", "SQL"] and entry.doc.tags == {"country": "KE"}
    assert entry.doc.numbers["rate"] == 42.5 and math.isnan(entry.doc.numbers["rating"])
    assert entry.doc.mentions == {"Docker": "overview: 'docker' (described)"}
    assert entry.doc.text == ""  # the lexical index holds the text, not the journal


def test_a_line_still_being_written_is_read_next_time(tmp_path: Path) -> None:
    path = tmp_path / journal.JOURNAL
    vector = np.ones(4, dtype=np.float32)
    journal.append(path, [journal.encode(0, _doc("a"), vector)])
    whole = journal.encode(1, _doc("b"), vector)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(whole[:20])  # a writer killed (or not yet done) mid-line
    entries, at = journal.read_from(path, 0)
    assert [e.doc.id for e in entries] == ["a"]
    with path.open("a", encoding="utf-8") as handle:
        handle.write(whole[20:] + "\n")
    later, end = journal.read_from(path, at)
    assert [e.doc.id for e in later] == ["b"] and end == journal.size(path)


def test_compaction_is_due_at_a_share_of_the_collection() -> None:
    assert not journal.due(journal.COMPACT_MIN, 100)
    assert journal.due(journal.COMPACT_MIN + 1, 100)
    assert not journal.due(60_000, 1_000_000)
    assert journal.due(62_501, 1_000_000)
