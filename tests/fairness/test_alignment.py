"""Group score offsets: the gap a model puts between groups inside the same lists."""

from __future__ import annotations

import math
import random

from hypothesis import given
from hypothesis import strategies as st

from tandem.fairness.alignment import score_offsets


def _market(gap: float, lists: int, seed: int) -> list[list[tuple[str | None, float]]]:
    """Lists of mixed sizes and shares whose women score ``gap`` lower, plus unknowns."""
    rng = random.Random(seed)
    out = []
    for _ in range(lists):
        level = rng.uniform(-3, 3)  # lists differ in level: only gaps inside a list count
        rows: list[tuple[str | None, float]] = []
        for _ in range(rng.randint(1, 12)):
            group = rng.choice(["woman", "man", "man", None])
            skill = rng.gauss(0, 1)
            rows.append((group, level + skill - (gap if group == "woman" else 0.0)))
        out.append(rows)
    return out


def test_recovers_the_gap_between_groups_whatever_the_level_of_each_list() -> None:
    offsets = score_offsets(_market(0.8, 3000, seed=3))
    assert set(offsets) == {"woman", "man"}
    assert offsets["woman"] < 0 < offsets["man"]
    assert math.isclose(offsets["man"] - offsets["woman"], 0.8, abs_tol=0.12)


def test_no_gap_gives_offsets_near_zero() -> None:
    offsets = score_offsets(_market(0.0, 3000, seed=4))
    assert all(abs(v) < 0.08 for v in offsets.values())


def test_lists_with_one_group_and_rare_groups_say_nothing() -> None:
    one_group: list[list[tuple[str | None, float]]] = [[("man", 1.0), ("man", 0.0)]] * 50
    assert score_offsets(one_group) == {}
    mixed = [[("man", 1.0), ("woman", 0.0), ("non-binary", 5.0)]] * 20
    assert score_offsets(mixed, min_count=30) == {}
    assert set(score_offsets(mixed, min_count=20)) == {"man", "woman", "non-binary"}


@given(
    st.lists(
        st.lists(
            st.tuples(
                st.sampled_from(["a", "b", None]), st.floats(-5, 5, allow_nan=False, width=32)
            ),
            max_size=8,
        ),
        max_size=20,
    )
)
def test_offsets_weighted_by_appearances_sum_to_zero(
    lists: list[list[tuple[str | None, float]]],
) -> None:
    """Offsets are deviations from each list's own mean: they balance out over the people."""
    offsets = score_offsets(lists, min_count=1)
    counts: dict[str, int] = {}
    for rows in lists:
        known = [g for g, _ in rows if g is not None]
        if len(set(known)) >= 2:
            for g in known:
                counts[g] = counts.get(g, 0) + 1
    assert set(offsets) == set(counts)
    assert abs(sum(offsets[g] * n for g, n in counts.items())) < 1e-6 * max(1, sum(counts.values()))
