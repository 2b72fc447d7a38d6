"""Lexical index on tantivy (a Rust BM25 engine): words of any script, folded, English-stemmed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tandem.errors import BackendUnavailable
from tandem.search.base import Hit, Synonym, WordsMatched, library_errors, words_matched
from tandem.text.tokens import words

#: The analyzer's name in the schema; it is registered on every open (tantivy does not store it).
ANALYZER = "tandem_words"
#: What tantivy raises: ValueError for its own errors (corrupt files, a held writer lock).
_FAILURES = (ValueError, RuntimeError, OSError)


#: English function words a lexical query leaves out: Lucene's English stop set (what
#: Elasticsearch's ``english`` analyzer drops) without "it", "no" and "not", which name things
#: here (IT support, no-code). A word written in capitals (two letters or more) is kept: an
#: acronym ("OR" for operations research, "IS", "AS/400").
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "if",
        "in",
        "into",
        "is",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "will",
        "with",
    ]
)
#: The most words a lexical query keeps (a pasted job post is not a query).
MAX_TERMS = 64


def query_terms(query: str) -> list[str]:
    """Plain words of a query, of any script; tantivy's query syntax is never exposed to users.

    "diseño" stays one word (the index folds it to "diseno", as it folds the documents).
    English function words are left out unless the query has nothing else: "a" and "for" are
    in most documents, so they cannot say why one record matches rather than another (a record
    that shares only "for" with a query is not a keyword match), and their postings are the
    longest to read (at a million profiles BM25 took 16-19 ms a match with them, 8 without).
    """
    written = words(query)
    terms = [w.lower() for w in written]
    content = [
        t
        for w, t in zip(written, terms, strict=True)
        if t not in FUNCTION_WORDS or (len(w) > 1 and w.isupper())
    ]
    return (content or terms)[:MAX_TERMS]


def phrase(name: str) -> str:
    """A skill's name as a quoted phrase of the query language: its words, nothing else."""
    return '"' + " ".join(w.lower() for w in words(name)) + '"'


def synonym_terms(synonyms: Sequence[Synonym]) -> list[tuple[Synonym, list[str]]]:
    """Each synonym with the query terms its words are (the words it stands for)."""
    return [(s, query_terms(s.words)) for s in synonyms if words(s.name)]


def _analyzer(tantivy: Any) -> Any:
    """Split on anything but letters and digits (any script), lower-case, fold accents, stem."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


class TantivyIndex:
    """BM25 over one folded, stemmed text field, keyed by an integer label."""

    name = "tantivy"

    def __init__(self, directory: Path) -> None:
        try:
            import tantivy
        except ImportError as exc:  # pragma: no cover
            raise BackendUnavailable("the tantivy lexical backend needs 'tantivy'") from exc
        self._tantivy = tantivy
        directory.mkdir(parents=True, exist_ok=True)
        builder = tantivy.SchemaBuilder()
        builder.add_integer_field("label", stored=True, indexed=True, fast=True)
        builder.add_text_field("body", stored=False, tokenizer_name=ANALYZER)
        with library_errors(self.name, "open", *_FAILURES):
            self._index = tantivy.Index(builder.build(), path=str(directory))
            self._index.register_tokenizer(ANALYZER, _analyzer(tantivy))
        self._writer: Any = None

    def _w(self) -> Any:
        if self._writer is None:
            with library_errors(self.name, "start a writer", *_FAILURES):
                self._writer = self._index.writer(heap_size=64_000_000, num_threads=1)
        return self._writer

    def upsert(self, docs: Sequence[tuple[int, str]]) -> None:
        """See :class:`tandem.search.base.LexicalIndex`."""
        writer = self._w()
        with library_errors(self.name, "add documents", *_FAILURES):
            for label, text in docs:
                writer.delete_documents_by_term("label", label)
                writer.add_document(self._tantivy.Document(label=label, body=text))

    def delete(self, labels: Sequence[int]) -> None:
        """See :class:`tandem.search.base.LexicalIndex`."""
        writer = self._w()
        with library_errors(self.name, "delete documents", *_FAILURES):
            for label in labels:
                writer.delete_documents_by_term("label", label)

    def commit(self) -> None:
        """See :class:`tandem.search.base.LexicalIndex`."""
        with library_errors(self.name, "commit", *_FAILURES):
            if self._writer is not None:
                self._writer.commit()
                self._writer.wait_merging_threads()
                self._writer = None
            self._index.reload()

    def search(self, query: str, k: int, synonyms: Sequence[Synonym] = ()) -> list[Hit]:
        """See :class:`tandem.search.base.LexicalIndex`."""
        terms = query_terms(query)
        if not terms or k <= 0:
            return []
        names = [phrase(s.name) for s, _ in synonym_terms(synonyms)]
        with library_errors(self.name, "search", *_FAILURES):
            parsed = self._index.parse_query(" ".join([*terms, *names]), ["body"])
            searcher = self._index.searcher()
            hits = searcher.search(parsed, limit=k, count=False).hits
            if not hits:
                return []
            labels = searcher.fast_field_values("label", [addr for _, addr in hits])
        return [
            Hit(int(lab), float(score))
            for (score, _), lab in zip(hits, labels, strict=True)
            if lab is not None
        ]

    def matched(
        self, query: str, labels: Sequence[int], synonyms: Sequence[Synonym] = ()
    ) -> dict[int, WordsMatched]:
        """See :class:`tandem.search.base.LexicalIndex`: one search per word, within ``labels``."""
        terms = list(dict.fromkeys(query_terms(query)))
        pairs = synonym_terms(synonyms)
        if not labels:
            return {}
        with library_errors(self.name, "search", *_FAILURES):
            found = {t: self._holding(t, labels) for t in terms}
            named = {s: self._holding(phrase(s.name), labels) for s, _ in pairs}
        return {lab: words_matched(terms, found, pairs, named, lab) for lab in labels}

    def _holding(self, text: str, labels: Sequence[int]) -> set[int]:
        """Which of ``labels`` hold ``text`` (a word or a quoted phrase), read as documents are."""
        tantivy = self._tantivy
        within = tantivy.Query.term_set_query(self._index.schema, "label", list(labels))
        wanted = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, self._index.parse_query(text, ["body"])),
                (tantivy.Occur.Must, within),
            ]
        )
        searcher = self._index.searcher()
        hits = searcher.search(wanted, limit=len(labels), count=False).hits
        if not hits:
            return set()
        held = searcher.fast_field_values("label", [addr for _, addr in hits])
        return {int(lab) for lab in held if lab is not None}

    def count(self) -> int:
        """See :class:`tandem.search.base.LexicalIndex`."""
        with library_errors(self.name, "count documents", *_FAILURES):
            return int(self._index.searcher().num_docs)
