from tandem.search.base import EF_CEILING, EF_FLOOR, search_breadth


def test_the_search_breadth_follows_the_index_size_between_its_floor_and_ceiling() -> None:
    assert search_breadth(10_000, 10) == EF_FLOOR
    assert search_breadth(128_000, 10) == EF_FLOOR
    assert search_breadth(600_000, 10) == 600
    assert search_breadth(1_000_000, 10) == EF_CEILING
    assert search_breadth(50_000_000, 10) == EF_CEILING


def test_the_search_breadth_never_keeps_fewer_candidates_than_asked_for() -> None:
    assert search_breadth(10_000, 300) == 300
    assert search_breadth(2_000_000, 1500) == 1500
