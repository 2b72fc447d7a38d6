"""Contract tests for lexical and vector index backends, and the ANN against exact search."""

from pathlib import Path

import numpy as np
import pytest

from tandem.search.base import LexicalIndex, Synonym, VectorIndex, WordsMatched
from tandem.search.fts5_index import Fts5Index
from tandem.search.registry import VECTOR
from tandem.search.tantivy_index import TantivyIndex

DOCS = [
    (0, "Senior Django developer building REST APIs"),
    (1, "Logo design and brand identity"),
    (2, "Django and React full stack developer"),
    (3, "Bookkeeping in QuickBooks and Xero"),
]


@pytest.fixture(params=["tantivy", "fts5"])
def lexical(request: pytest.FixtureRequest, tmp_path: Path) -> LexicalIndex:
    return TantivyIndex(tmp_path) if request.param == "tantivy" else Fts5Index(tmp_path)


def test_lexical_ranks_by_bm25(lexical: LexicalIndex) -> None:
    lexical.upsert(DOCS)
    lexical.commit()
    hits = lexical.search("django developer", 10)
    assert {h.label for h in hits} == {0, 2}
    assert hits[0].score >= hits[1].score
    assert lexical.count() == 4


def test_lexical_upsert_replaces_and_delete_removes(lexical: LexicalIndex) -> None:
    lexical.upsert(DOCS)
    lexical.upsert([(1, "Django migrations expert")])
    lexical.delete([0])
    lexical.commit()
    assert {h.label for h in lexical.search("django", 10)} == {1, 2}
    assert lexical.search("logo", 10) == []
    assert lexical.count() == 3


def test_lexical_query_syntax_is_never_interpreted(lexical: LexicalIndex) -> None:
    lexical.upsert(DOCS)
    lexical.commit()
    expected = {
        'title:"x': set(),  # no field syntax: the words 'title' and 'x' are in no document
        "AND OR": {1, 2, 3},  # plain words (function words alone are kept): 'and' in three
        "django)(*": {0, 2},
        "": set(),
        "   ": set(),
    }
    for query, labels in expected.items():
        assert {h.label for h in lexical.search(query, 5)} == labels, query


def test_lexical_function_words_are_no_keyword_match(lexical: LexicalIndex) -> None:
    """A record sharing only "and" with a query does not match its words; "IT" still counts."""
    lexical.upsert([*DOCS, (4, "IT support and networking")])
    lexical.commit()
    assert {h.label for h in lexical.search("logo and django", 10)} == {0, 1, 2}
    assert {h.label for h in lexical.search("the bookkeeping for a bakery", 10)} == {3}
    assert {h.label for h in lexical.search("IT support", 10)} == {4}
    assert {h.label for h in lexical.search("and", 10)} == {1, 2, 3, 4}


UNICODE_DOCS = [
    (10, "Diseño gráfico y logotipos para una cafetería"),
    (11, "Übersetzung von Verträgen aus dem Deutschen"),
    (12, "Graphic design for a café in Zürich"),
]


@pytest.mark.parametrize(
    ("query", "labels"),
    [
        ("diseño", {10}),
        ("DISEÑO gráfico", {10}),
        ("diseno", {10}),  # accents are folded on both sides
        ("Übersetzung", {11}),
        ("ubersetzung", {11}),
        ("café", {12}),
        ("zurich", {12}),
    ],
)
def test_lexical_words_of_any_script(lexical: LexicalIndex, query: str, labels: set[int]) -> None:
    lexical.upsert(UNICODE_DOCS)
    lexical.commit()
    assert {h.label for h in lexical.search(query, 5)} == labels


def test_lexical_persists(tmp_path: Path) -> None:
    first = TantivyIndex(tmp_path)
    first.upsert(DOCS)
    first.upsert(UNICODE_DOCS)
    first.commit()
    again = TantivyIndex(tmp_path)
    assert again.count() == 7
    assert {h.label for h in again.search("diseno", 5)} == {10}  # the analyzer is re-registered


def _vectors(n: int, dim: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.fixture(params=["hnsw", "faiss", "faiss-sq8"])
def vector_factory(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    return VECTOR[request.param]


def test_vector_index_recall_against_exact(vector_factory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = _vectors(3000, 32)
    index: VectorIndex = vector_factory(32, None)
    index.upsert(np.arange(3000, dtype=np.int64), data)
    queries = _vectors(50, 32, seed=1)
    recall = []
    for q in queries:
        exact = set(np.argsort(-(data @ q))[:10].tolist())
        found = {h.label for h in index.search(q, 10)}
        recall.append(len(exact & found) / 10)
    assert np.mean(recall) > 0.9
    index.save(tmp_path)
    again: VectorIndex = vector_factory(32, tmp_path)
    assert again.count() == 3000
    assert [h.label for h in again.search(queries[0], 5)] == [
        h.label for h in index.search(queries[0], 5)
    ]


def test_vector_update_and_delete(vector_factory) -> None:  # type: ignore[no-untyped-def]
    data = _vectors(100, 16)
    index: VectorIndex = vector_factory(16, None)
    index.upsert(np.arange(100, dtype=np.int64), data)
    index.upsert(np.array([5], dtype=np.int64), data[7:8])  # label 5 now looks like 7
    index.delete([7])
    hits = index.search(data[7], 3)
    assert hits[0].label == 5 and 7 not in {h.label for h in hits}
    assert index.count() == 99
    assert len(index.search(data[0], 500)) == 99


WORDED = [
    (0, "Python developer, Django"),
    (1, "Senior developers for hire"),  # "developer" only, as a plural
    (2, "Diseño gráfico y Search Engine Optimization"),  # accents; the skill by its name
    (3, "Search the engine room for optimization"),  # the name's words, not the name
]


def _oracle(doc: str, words: list[str]) -> set[str]:
    """The slow, obvious reading: a word is held when a document word starts with its stem."""
    held = {w.lower().replace("ñ", "n").rstrip(".,") for w in doc.split()}
    return {q for q in words if any(h.startswith(q.rstrip("s")[:6]) for h in held)}


def test_lexical_says_which_words_of_a_query_each_record_holds(lexical: LexicalIndex) -> None:
    lexical.upsert(WORDED)
    lexical.commit()
    matched = lexical.matched("python developer", [0, 1, 3])
    assert matched[0].held == ("python", "developer")
    assert matched[1].held == ("developer",)  # stemmed as the index stems
    assert matched[3].held == ()
    assert matched[0].query == ("python", "developer")
    for label, doc in WORDED[:2]:
        assert set(matched[label].held) == _oracle(doc, ["python", "developer"])
    assert lexical.matched("diseno", [2])[2].held == ("diseno",)  # accents folded alike


def test_a_synonym_finds_the_records_holding_the_whole_name_only(lexical: LexicalIndex) -> None:
    lexical.upsert(WORDED)
    lexical.commit()
    seo = Synonym("seo", "Search Engine Optimization")
    assert lexical.search("seo", 10) == []
    # the name as a phrase: the record that holds its words apart is no match
    assert {h.label for h in lexical.search("seo", 10, [seo])} == {2}
    matched = lexical.matched("seo developer", [1, 2, 3], [seo])
    assert matched[2] == WordsMatched(("seo", "developer"), ("seo",), (seo,))
    assert matched[3].held == () and matched[1].held == ("developer",)
