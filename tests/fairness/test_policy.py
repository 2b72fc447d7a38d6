"""The fair re-ranking: a reordering only, unknowns in place, every prefix near its share."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tandem.errors import ValidationError
from tandem.fairness import FAIR_METHODS, fair_order

groups_lists = st.lists(st.sampled_from(["woman", "man", "non-binary", None]), max_size=40)


def _served(groups: list[str | None], method: str) -> list[int]:
    return [p.item for p in fair_order(groups, method)]


@given(groups_lists, st.sampled_from(sorted(FAIR_METHODS)))
def test_only_reorders_and_never_moves_the_unknown(groups: list[str | None], method: str) -> None:
    served = _served(groups, method)
    assert sorted(served) == list(range(len(groups)))  # nobody added or removed
    for at, item in enumerate(served):
        if groups[item] is None:
            assert at == item  # unknown: neither lifted nor pushed down
    for g in set(groups) - {None}:  # the model's order inside a group is kept
        inside = [i for i in served if groups[i] == g]
        assert inside == sorted(inside)


@given(groups_lists, st.sampled_from(sorted(FAIR_METHODS)))
def test_every_prefix_meets_each_groups_minimum(groups: list[str | None], method: str) -> None:
    known = [g for g in groups if g is not None]
    served = [groups[i] for i in _served(groups, method) if groups[i] is not None]
    n = len(known)
    for g in set(known):
        size = known.count(g)
        for k in range(1, n + 1):
            assert served[:k].count(g) >= k * size // n


@given(groups_lists, st.sampled_from(["proportional", "detcons", "detgreedy"]))
def test_every_prefix_stays_within_one_of_its_share(groups: list[str | None], method: str) -> None:
    known = [g for g in groups if g is not None]
    served = [groups[i] for i in _served(groups, method) if groups[i] is not None]
    n = len(known)
    for g in set(known):
        size = known.count(g)
        for k in range(1, n + 1):
            assert k * size // n <= served[:k].count(g) <= -(-k * size // n)


def test_a_depressed_group_is_lifted_to_its_share() -> None:
    groups: list[str | None] = ["man"] * 6 + ["woman"] * 4  # the model put every woman last
    served = [groups[i] for i in _served(groups, "proportional")]
    assert served[:5].count("woman") == 2
    placements = fair_order(groups)
    moved = [p for p in placements if p.moved]
    assert moved and all(p.by_score == p.item + 1 for p in placements)


def test_unknown_method_is_rejected() -> None:
    try:
        fair_order(["a"], "magic")
    except ValidationError as exc:
        assert "proportional" in str(exc)
    else:
        raise AssertionError("expected a ValidationError")
