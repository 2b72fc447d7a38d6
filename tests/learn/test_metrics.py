"""Property tests and oracle tests (against slow, obvious implementations) of the metrics."""

import math
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.learn.metrics import mean, ndcg_at_k, recall_at_k, reciprocal_rank

grades = st.lists(st.integers(0, 3), min_size=1, max_size=30)


def slow_ndcg(g: list[int], k: int) -> float:
    def dcg(xs: list[int]) -> float:
        total = 0.0
        for position in range(1, min(k, len(xs)) + 1):
            total += (2 ** xs[position - 1] - 1) / math.log(position + 1, 2)
        return total

    best = dcg(sorted(g, reverse=True))
    return 0.0 if best == 0 else dcg(g) / best


@given(grades, st.integers(1, 20))
def test_ndcg_is_in_unit_interval_and_matches_the_oracle(g: list[int], k: int) -> None:
    value = ndcg_at_k(g, k)
    assert 0.0 <= value <= 1.0 + 1e-12
    assert math.isclose(value, slow_ndcg(g, k), rel_tol=1e-9, abs_tol=1e-12)


@given(grades, st.integers(1, 20))
def test_ideal_order_scores_one(g: list[int], k: int) -> None:
    ideal = sorted(g, reverse=True)
    assert ndcg_at_k(ideal, k) == (1.0 if any(ideal) else 0.0)


@given(st.lists(st.booleans(), min_size=1, max_size=30))
def test_reciprocal_rank_matches_the_oracle(hits: list[bool]) -> None:
    expected = next((1 / (i + 1) for i, h in enumerate(hits) if h), 0.0)
    assert reciprocal_rank(hits) == expected


@given(
    st.lists(st.sampled_from("abcdefgh"), unique=True, max_size=8),
    st.sets(st.sampled_from("abcdefgh"), min_size=1),
    st.integers(1, 8),
)
def test_recall_matches_the_oracle(ranked: list[str], relevant: set[str], k: int) -> None:
    expected = sum(1 for r in relevant if r in ranked[:k]) / len(relevant)
    assert recall_at_k(ranked, relevant, k) == expected


def test_empty_input_is_nan_with_a_warning() -> None:
    with pytest.warns(RuntimeWarning):
        assert math.isnan(ndcg_at_k([], 10))
    with pytest.warns(RuntimeWarning):
        assert math.isnan(mean([math.nan]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert mean([1.0, math.nan, 3.0]) == 2.0
