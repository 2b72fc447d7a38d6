"""Contracts of the two index kinds behind hybrid search.

Both work on integer labels (a collection maps record ids to labels) and
persist to a directory they own. A backend raises :class:`tandem.errors.SearchIndexError`
when its library fails (:func:`library_errors`), never the library's own exception types.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple, Protocol

import numpy as np
import numpy.typing as npt

from tandem.errors import SearchIndexError

log = logging.getLogger("tandem.search")

#: The HNSW search breadth (``ef``) at and below 128,000 vectors, and its ceiling.
EF_FLOOR, EF_CEILING = 128, 1000


def search_breadth(vectors: int, k: int) -> int:
    """How many candidates an HNSW search keeps (``ef``): a thousandth of the index, 128-1,000.

    A fixed ``ef`` loses recall as the graph grows. Measured on the served path's talent
    index (MiniLM; 10k real profiles, the rest synthesised from them: bench/README.md, "1M,
    run"), recall@10 against exact search was 1.000 at 100k with ``ef`` 128, and at 1M 0.792
    with 128, 0.914 with 400, 0.940 with 600 and 0.955 with 1,000 (0.3 -> 1.9 ms a query, a
    served match spends ~90 ms): so the breadth follows the size, and never drops below ``k``.
    """
    return max(k, min(EF_CEILING, max(EF_FLOOR, vectors // 1000)))


@contextmanager
def library_errors(backend: str, doing: str, *kinds: type[Exception]) -> Iterator[None]:
    """Turn a search library's exceptions (``kinds``) into :class:`SearchIndexError`.

    The library's message can name files and internals, so it goes to the log and stays the
    error's ``__cause__``; the message says what failed and how an operator mends it.
    """
    try:
        yield
    except kinds as exc:
        log.error("the %s index failed to %s: %s: %s", backend, doing, type(exc).__name__, exc)
        raise SearchIndexError(
            f"the {backend} search index could not {doing} (the cause is in the server log; "
            "'tandem index' rebuilds indexes from the store)"
        ) from exc


def check_dim(backend: str, expected: int, got: int) -> None:
    """Refuse a vector of the wrong size before the library sees it (faiss only asserts)."""
    if got != expected:
        raise SearchIndexError(
            f"the {backend} index holds {expected}-dimensional vectors, not {got}: it was built "
            "with another encoder ('tandem index' rebuilds it)"
        )


class Hit(NamedTuple):
    """One retrieved document: its label and the engine's score (higher is better)."""

    label: int
    score: float


class Synonym(NamedTuple):
    """Words of a query that name a skill the records write otherwise: ``"seo"``.

    A profile's listed skills are indexed by their canonical names ("Search Engine
    Optimization"), so a search for an alias or acronym of one found only the profiles that
    also wrote the short form: ``name`` is also searched for, as a phrase, so only the
    records that hold the whole name are added.
    """

    words: str
    name: str


class WordsMatched(NamedTuple):
    """Which of a query's words one record holds, as the index reads words (stems, accents).

    ``query``: the words the index searched for; ``held``: those the record holds, itself
    or through a synonym's name; ``through``: the synonyms whose name the record holds.
    """

    query: tuple[str, ...]
    held: tuple[str, ...]
    through: tuple[Synonym, ...] = ()


def words_matched(
    terms: Sequence[str],
    found: Mapping[str, set[int]],
    synonyms: Sequence[tuple[Synonym, Sequence[str]]],
    named: Mapping[Synonym, set[int]],
    label: int,
) -> WordsMatched:
    """What record ``label`` holds of a query, from the records each word or name matched.

    ``found``: each of the query's ``terms`` -> the labels holding it; ``synonyms``: each
    synonym with the query terms it stands for; ``named``: synonym -> labels holding its name.
    The one assembly both backends use, so they report alike.
    """
    through = tuple(s for s, _ in synonyms if label in named.get(s, set()))
    covered = {t for s, ts in synonyms if s in through for t in ts}
    held = tuple(t for t in terms if label in found.get(t, set()) or t in covered)
    return WordsMatched(tuple(terms), held, through)


class LexicalIndex(Protocol):
    """A BM25 full-text index."""

    name: str

    def upsert(self, docs: Sequence[tuple[int, str]]) -> None:
        """Add or replace documents ``(label, text)``."""
        ...

    def delete(self, labels: Sequence[int]) -> None:
        """Remove documents by label (absent labels are ignored)."""
        ...

    def commit(self) -> None:
        """Make every change durable and visible to searches."""
        ...

    def search(self, query: str, k: int, synonyms: Sequence[Synonym] = ()) -> list[Hit]:
        """The ``k`` best documents for ``query`` by BM25 (and each synonym's name, a phrase)."""
        ...

    def matched(
        self, query: str, labels: Sequence[int], synonyms: Sequence[Synonym] = ()
    ) -> dict[int, WordsMatched]:
        """For each of ``labels``, which of the query's words it holds (what a reason quotes)."""
        ...

    def count(self) -> int:
        """Number of live documents."""
        ...


class VectorIndex(Protocol):
    """An approximate nearest-neighbour index over unit vectors (inner product)."""

    name: str

    def upsert(self, labels: npt.NDArray[np.int64], vectors: npt.NDArray[np.float32]) -> None:
        """Add or replace vectors by label."""
        ...

    def delete(self, labels: Sequence[int]) -> None:
        """Remove vectors by label (absent labels are ignored)."""
        ...

    def labels(self) -> npt.NDArray[np.int64]:
        """The labels of the live vectors (in no particular order)."""
        ...

    def search(self, vector: npt.NDArray[np.float32], k: int) -> list[Hit]:
        """About the ``k`` most similar labels, best first; score is the inner product."""
        ...

    def save(self, directory: Path) -> None:
        """Persist under ``directory``."""
        ...

    def count(self) -> int:
        """Number of live vectors."""
        ...
