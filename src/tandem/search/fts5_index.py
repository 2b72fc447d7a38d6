"""Lexical index on SQLite FTS5 (porter stemming, BM25), the alternative we measured.

``unicode61 remove_diacritics 2`` splits words of any script and ignores accents, as the
tantivy backend does, so "diseño" and "diseno" find the same documents in both.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from tandem.search.base import Hit, Synonym, WordsMatched, library_errors, words_matched
from tandem.search.tantivy_index import phrase, query_terms, synonym_terms


class Fts5Index:
    """BM25 via FTS5's ``bm25()``; the rowid is the label."""

    name = "fts5"

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        with library_errors(self.name, "open", sqlite3.Error):
            self._db = sqlite3.connect(str(directory / "fts5.db"), check_same_thread=False)
            self._db.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS docs "
                "USING fts5(body, tokenize='porter unicode61 remove_diacritics 2')"
            )

    def upsert(self, docs: Sequence[tuple[int, str]]) -> None:
        """See :class:`tandem.search.base.LexicalIndex`."""
        with library_errors(self.name, "add documents", sqlite3.Error):
            self._db.executemany("DELETE FROM docs WHERE rowid = ?", [(lab,) for lab, _ in docs])
            self._db.executemany("INSERT INTO docs(rowid, body) VALUES (?, ?)", docs)

    def delete(self, labels: Sequence[int]) -> None:
        """See :class:`tandem.search.base.LexicalIndex`."""
        with library_errors(self.name, "delete documents", sqlite3.Error):
            self._db.executemany("DELETE FROM docs WHERE rowid = ?", [(lab,) for lab in labels])

    def commit(self) -> None:
        """See :class:`tandem.search.base.LexicalIndex`."""
        with library_errors(self.name, "commit", sqlite3.Error):
            self._db.commit()

    def search(self, query: str, k: int, synonyms: Sequence[Synonym] = ()) -> list[Hit]:
        """See :class:`tandem.search.base.LexicalIndex`."""
        terms = query_terms(query)
        if not terms or k <= 0:
            return []
        names = [phrase(s.name) for s, _ in synonym_terms(synonyms)]
        match = " OR ".join([*(f'"{t}"' for t in terms), *names])
        with library_errors(self.name, "search", sqlite3.Error):
            rows = self._db.execute(
                "SELECT rowid, bm25(docs) FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
                (match, k),
            ).fetchall()
        return [Hit(int(r[0]), -float(r[1])) for r in rows]

    def matched(
        self, query: str, labels: Sequence[int], synonyms: Sequence[Synonym] = ()
    ) -> dict[int, WordsMatched]:
        """See :class:`tandem.search.base.LexicalIndex`: one match per word, within ``labels``."""
        terms = list(dict.fromkeys(query_terms(query)))
        pairs = synonym_terms(synonyms)
        if not labels:
            return {}
        with library_errors(self.name, "search", sqlite3.Error):
            found = {t: self._holding(f'"{t}"', labels) for t in terms}
            named = {s: self._holding(phrase(s.name), labels) for s, _ in pairs}
        return {lab: words_matched(terms, found, pairs, named, lab) for lab in labels}

    def _holding(self, match: str, labels: Sequence[int]) -> set[int]:
        marks = ",".join("?" * len(labels))
        rows = self._db.execute(
            f"SELECT rowid FROM docs WHERE docs MATCH ? AND rowid IN ({marks})",  # noqa: S608
            (match, *labels),
        ).fetchall()
        return {int(r[0]) for r in rows}

    def count(self) -> int:
        """See :class:`tandem.search.base.LexicalIndex`."""
        with library_errors(self.name, "count documents", sqlite3.Error):
            return int(self._db.execute("SELECT count(*) FROM docs").fetchone()[0])
