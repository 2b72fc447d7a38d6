"""The LL144 audit over ranked lists, checked against an obvious count."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from tandem.fairness import audit_rankings


def test_counts_rates_and_the_two_percent_rule() -> None:
    people = {f"w{i}": "woman" for i in range(30)} | {f"m{i}": "man" for i in range(30)}
    people["x0"] = "other"  # 1 of 61 known candidates: under 2%, reported, not compared
    rest = [p for i in range(2, 30) for p in (f"m{i}", f"w{i}")] + ["w1", "u1"]
    lists = [["x0"], ["m0", "m1", "u0", "w0", *rest]]  # top 4: x0 | m0, m1, u0, w0
    out = audit_rankings(lists, sensitive_features=people, top_k=4).as_dict()
    assert out["unknown"] == 2
    assert out["groups"]["man"] == {
        "candidates": 30,
        "selected": 2,
        "selection_rate": round(2 / 30, 6),
        "impact_ratio": 1.0,
    }
    assert out["groups"]["woman"]["selection_rate"] == round(1 / 30, 6)
    assert out["groups"]["woman"]["impact_ratio"] == 0.5
    # other's rate of 1.0 does not set the bar (it would make men's ratio 0.067)
    assert out["groups"]["other"]["selection_rate"] == 1.0
    assert out["groups"]["other"]["impact_ratio"] == 15.0
    assert out["min_impact_ratio"] == 0.5


def test_no_known_candidates_gives_null_not_a_number() -> None:
    audit = audit_rankings([["a", "b"]], sensitive_features={}, top_k=1)
    assert audit.as_dict() == {"groups": {}, "unknown": 2, "min_impact_ratio": None}


lists_st = st.lists(
    st.lists(st.integers(0, 30).map(str), unique=True, max_size=15), min_size=1, max_size=8
)


@given(
    lists_st,
    st.integers(1, 6),
    st.dictionaries(st.integers(0, 30).map(str), st.sampled_from("abc")),
)
def test_matches_an_independent_count(
    lists: list[list[str]], k: int, groups: dict[str, str]
) -> None:
    audit = audit_rankings(lists, sensitive_features=groups, top_k=k)
    for g, rates in audit.by_group.items():
        appear = [
            (pos, p) for ranking in lists for pos, p in enumerate(ranking) if groups.get(p) == g
        ]
        chosen = [p for pos, p in appear if pos < k]
        assert rates.candidates == len(appear) and rates.selected == len(chosen)
        assert math.isclose(rates.selection_rate, len(chosen) / len(appear))
        if rates.counted and not math.isnan(rates.impact_ratio):
            assert 0.0 <= rates.impact_ratio <= 1.0
    assert audit.unknown == sum(1 for r in lists for p in r if p not in groups)
