"""The tally amortised re-ranking steers by: pooled counts as the audit counts them."""

from __future__ import annotations

from tandem.fairness import audit_rankings
from tandem.fairness.tally import GroupCount, add, behind, count_lists


def test_counts_pool_over_lists_as_the_audit_does() -> None:
    lists: list[list[str | None]] = [
        ["man", "man", None, "woman", "man", "woman", "man"],
        ["woman", "man"],
    ]
    tally = count_lists(lists, cuts=(2, 5))
    assert tally[2] == {"man": GroupCount(5, 3), "woman": GroupCount(3, 1)}
    assert tally[5] == {"man": GroupCount(5, 4), "woman": GroupCount(3, 2)}
    people = [[f"{i}-{j}" for j in range(len(g))] for i, g in enumerate(lists)]
    groups = {
        p: g for ps, gs in zip(people, lists, strict=True) for p, g in zip(ps, gs, strict=True)
    }
    audit = audit_rankings(people, sensitive_features=groups, top_k=5)
    for g, c in tally[5].items():
        assert audit.by_group[g].candidates == c.candidates
        assert audit.by_group[g].selected == c.selected


def test_add_counts_two_tallies_together_without_changing_either() -> None:
    one = count_lists([["man", "woman"]], cuts=(1,))
    two = count_lists([["woman", "man", "man"]], cuts=(1,))
    both = add(one, two)
    assert both[1] == {"man": GroupCount(3, 1), "woman": GroupCount(2, 1)}
    assert one[1] == {"man": GroupCount(1, 1), "woman": GroupCount(1, 0)}


def test_a_group_below_the_target_of_the_best_rate_is_behind_furthest_first() -> None:
    counts = {
        "man": GroupCount(100, 50),  # 0.5
        "woman": GroupCount(100, 44),  # 0.44 = 0.88 of the best
        "non-binary": GroupCount(10, 3),  # 0.3
    }
    assert behind(counts, target=0.9) == ["non-binary", "woman"]
    assert behind(counts, target=0.85) == ["non-binary"]


def test_a_tiny_group_does_not_set_the_best_rate_but_can_be_behind() -> None:
    counts = {"man": GroupCount(500, 200), "woman": GroupCount(480, 190), "x": GroupCount(5, 5)}
    assert behind(counts) == []  # x (1%) at a rate of 1 does not make the others look behind
    counts["x"] = GroupCount(5, 0)
    assert behind(counts) == ["x"]


def test_nothing_counted_nobody_behind() -> None:
    assert behind({}) == []
    assert behind({"man": GroupCount(10, 3)}) == []
    assert behind({"man": GroupCount(10, 0), "woman": GroupCount(10, 0)}) == []
