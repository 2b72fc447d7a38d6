"""Time zones: what people write ("CET", "US east coast", "Europe/Berlin") and hours apart.

Profiles and clients carry IANA zone names. People write abbreviations; each abbreviation
maps to one representative IANA zone so that offsets (and daylight saving) come from the
zone database on the day asked, not from a fixed table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

#: Abbreviations and names people use -> a representative IANA zone.
ALIASES: dict[str, str] = {
    "utc": "UTC", "gmt": "Europe/London", "bst": "Europe/London", "uk time": "Europe/London",
    "london": "Europe/London", "wet": "Europe/Lisbon", "cet": "Europe/Berlin",
    "cest": "Europe/Berlin", "central european": "Europe/Berlin", "berlin": "Europe/Berlin",
    "paris": "Europe/Paris", "madrid": "Europe/Madrid", "eet": "Europe/Kyiv",
    "eest": "Europe/Kyiv", "kyiv": "Europe/Kyiv", "msk": "Europe/Moscow",
    "ist": "Asia/Kolkata", "pkt": "Asia/Karachi",
    "sgt": "Asia/Singapore", "pht": "Asia/Manila",
    "manila": "Asia/Manila", "jst": "Asia/Tokyo", "tokyo": "Asia/Tokyo",
    "aest": "Australia/Sydney", "aedt": "Australia/Sydney", "sydney": "Australia/Sydney",
    "nzst": "Pacific/Auckland", "est": "America/New_York", "edt": "America/New_York",
    "et": "America/New_York", "eastern": "America/New_York", "us east coast": "America/New_York",
    "new york": "America/New_York", "cst": "America/Chicago", "cdt": "America/Chicago",
    "central": "America/Chicago", "mst": "America/Denver", "mdt": "America/Denver",
    "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles", "pt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles", "us west coast": "America/Los_Angeles",
    "brt": "America/Sao_Paulo", "sao paulo": "America/Sao_Paulo",
}  # fmt: skip
_UTC_OFFSET = re.compile(r"^(?:utc|gmt)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
#: A fixed offset with minutes, as :func:`resolve_zone` names it (no IANA ``Etc/`` zone has one).
_FIXED = re.compile(r"^UTC([+-])(\d{2}):(\d{2})$")
#: How far clocks go from UTC: Kiribati's +14:00 east, Baker Island's -12:00 west.
_EAST_MINUTES, _WEST_MINUTES = 14 * 60, 12 * 60
#: Working hours on both sides count as overlapping when clocks are at most this far apart.
DEFAULT_MAX_HOURS_APART = 3.0


@lru_cache(maxsize=1)
def _iana() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def iana_name(text: str) -> str | None:
    """The IANA zone ``text`` names, spelled as the database does (any case), or ``None``.

    Only names of the zone database: abbreviations and offsets are what :func:`resolve_zone`
    reads in what people type, not what a record stores.
    """
    return _iana().get(text.strip().lower())


def have_zone_database() -> bool:
    """Whether an IANA time zone database is installed (the system's or the tzdata package)."""
    return bool(_iana())


def resolve_zone(text: str) -> str | None:
    """A zone for what a person wrote, or ``None`` if it is not a zone Tandem knows.

    IANA names and the abbreviations of :data:`ALIASES` give an IANA zone. ``UTC+2`` style
    offsets become the matching fixed ``Etc/GMT-2`` zone (POSIX sign rule); an offset with
    minutes (India's ``UTC+5:30``, Nepal's ``UTC+5:45``, Newfoundland's ``UTC-3:30``, also
    written ``UTC+0530``) has no ``Etc/`` zone and is named ``UTC+05:30``, a fixed offset
    :func:`offset_on` reads. Offsets run from -12:00 to +14:00, minutes below 60.
    """
    key = " ".join(text.strip().lower().split())
    if key in ALIASES:
        return ALIASES[key]
    if key in _iana():
        return _iana()[key]
    m = _UTC_OFFSET.match(key)
    if m is None:
        return None
    sign, hours, minutes = m.group(1), int(m.group(2)), int(m.group(3) or 0)
    total = hours * 60 + minutes
    if minutes >= 60 or total > (_EAST_MINUTES if sign == "+" else _WEST_MINUTES):
        return None
    if total == 0:
        return "UTC"
    if minutes:
        return f"UTC{sign}{hours:02d}:{minutes:02d}"
    flipped = "-" if sign == "+" else "+"
    return f"Etc/GMT{flipped}{hours}"


@lru_cache(maxsize=65_536)
def offset_on(name: str, day: date) -> float | None:
    """UTC offset of a zone in hours at noon UTC of ``day`` (cached: it changes rarely).

    ``name`` is an IANA zone, or a fixed offset with minutes as :func:`resolve_zone` names it.
    """
    fixed = _FIXED.match(name)
    if fixed:
        hours = int(fixed.group(2)) + int(fixed.group(3)) / 60
        return hours if fixed.group(1) == "+" else -hours
    try:
        when = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        offset = when.astimezone(ZoneInfo(name)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return None if offset is None else offset.total_seconds() / 3600


def hours_apart(a: str, b: str, when: datetime) -> float | None:
    """How many hours apart two zones' clocks are on ``when`` (at most 12), if both are known."""
    x, y = offset_on(a, when.date()), offset_on(b, when.date())
    if x is None or y is None:
        return None
    apart = abs(x - y)
    return min(apart, 24 - apart)


def zones_within(zones: Iterable[str], target: str, max_hours: float, when: datetime) -> list[str]:
    """The zones among ``zones`` whose clocks are within ``max_hours`` of ``target`` on ``when``."""
    keep = []
    for zone in zones:
        apart = hours_apart(zone, target, when) if zone else None
        if apart is not None and apart <= max_hours:
            keep.append(zone)
    return keep
