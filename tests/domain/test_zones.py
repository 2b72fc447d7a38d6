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
        ("UTC+5:30", "UTC+05:30"),
        ("utc +0545", "UTC+05:45"),
        ("GMT-3:30", "UTC-03:30"),
        ("UTC+5:00", "Etc/GMT-5"),
        ("UTC+0:00", "UTC"),
        ("UTC+14:00", "Etc/GMT-14"),
        ("UTC-12", "Etc/GMT+12"),
        ("UTC-13", None),
        ("UTC+14:30", None),
        ("UTC+5:75", None),
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


@pytest.mark.parametrize(
    ("offset", "zone", "winter", "summer"),
    [
        ("UTC+5:30", "Asia/Kolkata", 0, 0),
        ("UTC+5:45", "Asia/Kathmandu", 0, 0),
        ("UTC-3:30", "America/St_Johns", 0, 1),  # Newfoundland keeps daylight saving
    ],
)
def test_an_offset_with_minutes_is_a_fixed_clock(
    offset: str, zone: str, winter: float, summer: float
) -> None:
    fixed = resolve_zone(offset)
    assert fixed is not None
    assert hours_apart(fixed, zone, WINTER) == winter
    assert hours_apart(fixed, zone, SUMMER) == summer
    assert zones_within(["Asia/Kolkata", "Europe/Berlin"], fixed, 0.5, WINTER) == (
        ["Asia/Kolkata"] if zone != "America/St_Johns" else []
    )
