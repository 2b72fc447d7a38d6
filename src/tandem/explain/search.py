"""Reasons for search results: which engine found it, which filters it passed, how relevant.

A search result is there because BM25 matched its words, or because its MiniLM embedding
is near the query's, or both (reciprocal rank fusion). The dense engine ranks *every*
record, so being in its top 200 says nothing by itself: "similar in meaning" is claimed
only at a cosine of :data:`SIMILAR_COSINE` or more, a threshold calibrated on related and
unrelated pairs (``bench/calibrate_semantic.py``; numbers in ``bench/README.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from tandem.domain import Reason
from tandem.search import SearchHit

#: all-MiniLM-L6-v2 cosine from which a query and a record count as similar in meaning: the
#: 95th percentile of unrelated pairs in the stricter of the two calibration sets (skill
#: queries against real Upwork posts, 0.270; against generated profiles, 0.246), so at most
#: 1 unrelated pair in 20 is called similar. It keeps 46.5% (posts) to 63.9% (profiles) of the
#: related pairs; the rest are found by their words or not claimed. See bench/README.md.
SIMILAR_COSINE: Final = 0.27
#: From here, "close in meaning": at most 0.5% of unrelated pairs reach it in either set.
CLOSE_COSINE: Final = 0.4


def relevance(scores: Sequence[float]) -> list[int | None]:
    """Scores as 0-100 within one result list: the best result is 100, the rest in proportion.

    Fused scores (about 0.016-0.033) mean nothing to a person; their ratio to the best in
    the list does. A list browsed without a query (all scores 0) has no relevance: None.
    """
    best = max(scores, default=0.0)
    if best <= 0:
        return [None for _ in scores]
    # Floored, so only the best shows 100 (and 100 * s / s can be 99.999... in floats).
    return [100 if s >= best else min(99, int(100 * max(s, 0.0) / best)) for s in scores]


def _keyword_reason(hit: SearchHit, query: str) -> Reason:
    """The words of ``query`` the record holds, as the index read them (stems, accents).

    BM25 finds a record that holds any word of a query, so "Matches the words of 'python
    developer'" was said of profiles that hold only "developer" (110 of 220 keyword reasons of
    the top 20 of 11 multi-word queries, seed 88 crowded market). Only a record holding every
    word is said to match the words; any other names the ones it holds. A word held through
    the name of the skill it abbreviates says so in the evidence ("'seo' as Search Engine
    Optimization").
    """
    evidence = [f"BM25 score {hit.lexical_score:.2f}"]
    words = hit.words
    if words is None or not words.held or set(words.held) >= set(words.query):
        text = f"Matches the words of '{query}'"
    else:
        quoted = ", ".join(f"'{w}'" for w in words.held)
        text = f"Matches {quoted} of '{query}'"
    if words is not None:
        evidence += [f"'{s.words}' as {s.name}" for s in words.through]
    return Reason(
        code="keyword_match",
        text=f"{text} (keyword rank {hit.lexical_rank})",
        kind="positive",
        evidence=evidence,
    )


def search_reasons(hit: SearchHit, query: str, passed: list[str]) -> list[Reason]:
    """Why a record is in a search result, in plain words that claim only what was measured."""
    reasons: list[Reason] = []
    if hit.lexical_rank is not None:
        reasons.append(_keyword_reason(hit, query))
    cosine = hit.semantic_score
    if hit.semantic_rank is not None and cosine is not None and cosine >= SIMILAR_COSINE:
        how = "Close" if cosine >= CLOSE_COSINE else "Similar"
        reasons.append(
            Reason(
                code="semantic_match",
                text=f"{how} in meaning to '{query}' (semantic rank {hit.semantic_rank})",
                kind="positive",
                evidence=[f"embedding similarity {cosine:.2f} (similar from {SIMILAR_COSINE:.2f})"],
            )
        )
    elif query.strip() and hit.lexical_rank is None:
        evidence = [] if cosine is None else [f"embedding similarity {cosine:.2f}"]
        reasons.append(
            Reason(
                code="weak_match",
                text=f"Neither the words nor the meaning of '{query}' match closely",
                kind="neutral",
                evidence=evidence + [f"similar in meaning from {SIMILAR_COSINE:.2f}"],
            )
        )
    reasons.extend(
        Reason(code="filter", text=f"Passes filter: {p}", kind="neutral") for p in passed
    )
    return reasons
