"""Reasons for search results: which engine found it, and which filters it passed."""

from __future__ import annotations

from tandem.domain import Reason
from tandem.search import SearchHit


def search_reasons(hit: SearchHit, query: str, passed: list[str]) -> list[Reason]:
    """Why a record is in a search result, in plain words."""
    reasons: list[Reason] = []
    if hit.lexical_rank is not None:
        reasons.append(
            Reason(
                code="keyword_match",
                text=f"Matches the words of '{query}' (keyword rank {hit.lexical_rank})",
                kind="positive",
                evidence=[f"BM25 score {hit.lexical_score:.2f}"],
            )
        )
    if hit.semantic_rank is not None:
        reasons.append(
            Reason(
                code="semantic_match",
                text=f"Similar in meaning to '{query}' (semantic rank {hit.semantic_rank})",
                kind="positive",
                evidence=[f"embedding similarity {hit.semantic_score:.2f}"],
            )
        )
    reasons.extend(
        Reason(code="filter", text=f"Passes filter: {p}", kind="neutral") for p in passed
    )
    return reasons
