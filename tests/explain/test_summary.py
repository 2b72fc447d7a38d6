"""The compact card's split: the heaviest reasons first, nothing lost, ties kept in order."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.domain import Reason
from tandem.explain import most_telling


def _r(code: str, contribution: float) -> Reason:
    return Reason(code=code, text=code, contribution=contribution)


def test_the_heaviest_either_way_come_first_and_the_rest_keep_their_order() -> None:
    reasons = [_r("a", 0.05), _r("b", -0.30), _r("c", 0.0), _r("d", 0.20), _r("e", 0.10)]
    main, rest = most_telling(reasons)
    assert [r.code for r in main] == ["b", "d", "e"]  # a 0.30 penalty outweighs a 0.20 gain
    assert [r.code for r in rest] == ["a", "c"]


def test_the_starting_point_is_never_one_of_the_reasons_shown_at_once() -> None:
    main, rest = most_telling([_r("baseline", 0.5), _r("skill_coverage", 0.2)])
    assert [r.code for r in main] == ["skill_coverage"]
    assert [r.code for r in rest] == ["baseline"]


def test_fewer_reasons_than_the_card_holds_are_all_shown() -> None:
    main, rest = most_telling([_r("a", 0.0), _r("b", 0.0)])
    assert [r.code for r in main] == ["a", "b"] and rest == []
    with pytest.raises(ValueError):
        most_telling([], -1)


@given(st.lists(st.floats(-1, 1, allow_nan=False), max_size=12), st.integers(0, 5))
def test_the_split_is_a_partition_and_no_hidden_reason_outweighs_a_shown_one(
    weights: list[float], n: int
) -> None:
    reasons = [_r(str(i), w) for i, w in enumerate(weights)]
    main, rest = most_telling(reasons, n)
    assert len(main) == min(n, len(reasons))  # no code here is "baseline"
    assert sorted(r.code for r in main + rest) == sorted(r.code for r in reasons)
    if main and rest:
        assert min(abs(r.contribution) for r in main) >= max(abs(r.contribution) for r in rest)
