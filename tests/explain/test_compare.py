"""Comparing two candidates of a logged ranking: true gaps, reason by reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tandem.domain import Decision, Reason
from tandem.domain.results import FAIRNESS_REASON, ServedItem
from tandem.errors import NotFoundError, ValidationError
from tandem.explain.compare import compare


def _r(code: str, points: float, text: str = "") -> Reason:
    return Reason(code=code, text=text or code.replace("_", " "), contribution=points)


def _decision(*items: ServedItem) -> Decision:
    return Decision(
        request_id="r1",
        ts=datetime(2026, 1, 1, tzinfo=UTC),
        kind="match",
        subject="j1",
        model_version="m1",
        results=list(items),
    )


A = ServedItem(
    id="a",
    rank=1,
    score=0.8,
    reasons=[_r("skills", 0.5, "Covers Python, Django"), _r("rate", 0.2), _r("reviews", 0.1)],
)
B = ServedItem(
    id="b",
    rank=2,
    score=0.6,
    reasons=[_r("skills", 0.2, "Covers Python"), _r("rate", 0.3), _r("timezone", 0.1)],
)


def test_the_gaps_add_up_to_the_score_gap_and_the_largest_explains_it() -> None:
    found = compare(_decision(A, B), "b", "a", names={"a": "Ann", "b": "Bo"})
    assert (found["higher"]["id"], found["lower"]["id"]) == ("a", "b")  # the higher one first
    assert sum(g["gap"] for g in found["gaps"]) == pytest.approx(found["score_gap"]) == 0.2
    assert [g["code"] for g in found["gaps"]][0] == "skills"  # largest difference first
    reviews = next(g for g in found["gaps"] if g["code"] == "reviews")
    assert reviews["b"] is None and reviews["gap"] == pytest.approx(0.1)
    summary = found["summary"]
    assert summary.startswith("Ann scores 0.200 higher than Bo, mostly from Covers Python, Django")
    assert "; Bo is ahead on " in summary and "rate (+0.100)" in summary


def test_a_policy_move_is_named_not_explained_away_by_scores() -> None:
    moved = "Moved up by the fairness policy: position 1, 2 by score"
    up = B.model_copy(update={"rank": 1, "reasons": [*B.reasons, _r(FAIRNESS_REASON, 0, moved)]})
    down = A.model_copy(update={"rank": 2})
    found = compare(_decision(up, down), "a", "b", names={})
    assert found["higher"]["id"] == "b" and found["score_gap"] == pytest.approx(-0.2)
    assert found["summary"] == f"b is above a although a scores 0.200 higher: {moved}."
    assert all(g["code"] != FAIRNESS_REASON for g in found["gaps"])
    assert found["policy"] == [moved]


def test_errors_name_what_is_wrong() -> None:
    with pytest.raises(ValidationError, match="two different"):
        compare(_decision(A, B), "a", "a", names={})
    with pytest.raises(NotFoundError, match="'zz' was not among the 2 results"):
        compare(_decision(A, B), "a", "zz", names={})
    sealed = B.model_copy(update={"sealed": "x", "reasons": []})
    with pytest.raises(NotFoundError, match="erased"):
        compare(_decision(A, sealed), "a", "b", names={})
