from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.domain.zones import ALIASES, hours_apart, resolve_zone, zones_within

WINTER = datetime(2026, 1, 15, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("CET", "Europe/Berlin"),
        ("  est ", "America/New_York"),
        ("europe/berlin", "Europe/Berlin"),
        ("UTC+2", "Etc/GMT-2"),
        ("GMT-5", "Etc/GMT+5"),
        ("utc", "UTC"),
        ("Narnia", None),
        ("UTC+15", None),
    ],
)
def test_resolve_zone(text: str, zone: str | None) -> None:
    assert resolve_zone(text) == zone


def test_hours_apart_follows_daylight_saving() -> None:
    assert hours_apart("Europe/Berlin", "America/New_York", WINTER) == 6
    assert hours_apart("Europe/Berlin", "America/New_York", SUMMER) == 6
    assert hours_apart("Europe/London", "Europe/Berlin", SUMMER) == 1
    assert hours_apart("Asia/Kolkata", "Europe/London", WINTER) == 5.5
    assert (
        hours_apart("Pacific/Auckland", "America/Los_Angeles", WINTER) == 3
    )  # across the date line
    assert hours_apart("Nowhere/Zone", "UTC", WINTER) is None


def test_zones_within_keeps_only_close_clocks() -> None:
    zones = ["Europe/Berlin", "Europe/Lisbon", "Asia/Kolkata", "America/New_York", ""]
    assert zones_within(zones, "Europe/Paris", 3, WINTER) == ["Europe/Berlin", "Europe/Lisbon"]


@given(
    st.sampled_from(sorted(set(ALIASES.values()))), st.sampled_from(sorted(set(ALIASES.values())))
)
def test_hours_apart_is_symmetric_and_bounded(a: str, b: str) -> None:
    x, y = hours_apart(a, b, SUMMER), hours_apart(b, a, SUMMER)
    assert x == y and x is not None and 0 <= x <= 12
