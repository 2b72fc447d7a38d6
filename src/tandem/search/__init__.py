"""Search: lexical and vector indexes, filters, hybrid fusion, persistence."""

from tandem.search.base import Hit, LexicalIndex, Synonym, VectorIndex, WordsMatched
from tandem.search.collection import Collection, SyncPlan
from tandem.search.documents import Document, freelancer_document, job_document
from tandem.search.filters import AtLeast, AtMost, Filter, HasSkills, TagIn
from tandem.search.hybrid import (
    HitPage,
    SearchHit,
    cosine_for,
    dense_hits,
    exact_dense,
    hybrid_page,
    hybrid_search,
)

__all__ = [
    "AtLeast",
    "AtMost",
    "Collection",
    "Document",
    "Filter",
    "HasSkills",
    "Hit",
    "HitPage",
    "LexicalIndex",
    "SearchHit",
    "Synonym",
    "SyncPlan",
    "TagIn",
    "VectorIndex",
    "WordsMatched",
    "cosine_for",
    "dense_hits",
    "exact_dense",
    "freelancer_document",
    "hybrid_page",
    "hybrid_search",
    "job_document",
]
