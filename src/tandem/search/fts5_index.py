"""Lexical index on SQLite FTS5 (porter stemming, BM25), the alternative we measured.

``unicode61 remove_diacritics 2`` splits words of any script and ignores accents, as the
tantivy backend does, so "diseño" and "diseno" find the same documents in both.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from tandem.search.base import Hit, library_errors
from tandem.search.tantivy_index import query_terms


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

    def search(self, query: str, k: int) -> list[Hit]:
        """See :class:`tandem.search.base.LexicalIndex`."""
        terms = query_terms(query)
        if not terms or k <= 0:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)
        with library_errors(self.name, "search", sqlite3.Error):
            rows = self._db.execute(
                "SELECT rowid, bm25(docs) FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
                (match, k),
            ).fetchall()
        return [Hit(int(r[0]), -float(r[1])) for r in rows]

    def count(self) -> int:
        """See :class:`tandem.search.base.LexicalIndex`."""
        with library_errors(self.name, "count documents", sqlite3.Error):
            return int(self._db.execute("SELECT count(*) FROM docs").fetchone()[0])
