"""When does a reminder fire next: a pure function of the schedule, the zone and `now`."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

ALL_DAYS = (0, 1, 2, 3, 4, 5, 6)  # Monday is 0, as in date.weekday()


@cache
def zone(name: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name (cached: the sweep asks for the same few again and again)."""
    return ZoneInfo(name)


def _wall(moment: datetime, tz: ZoneInfo) -> datetime:
    """The naive wall-clock time at an instant."""
    return moment.astimezone(tz).replace(tzinfo=None)


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant at which the wall clock in `tz` shows `at` on `day`.

    A wall time that happens twice (autumn, clocks go back) is its first occurrence.
    A wall time that never happens (spring, clocks jump forward) is the first instant
    after the jump, when the clock shows the first valid time past `at`.
    """
    wall = datetime.combine(day, at)
    first = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if _wall(first, tz) == wall:
        return first
    # In a gap, fold=0 reads the wall time with the offset from before the jump (too late)
    # and fold=1 with the offset from after it (too early); the jump lies between them.
    low = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    high = first
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if _wall(middle, tz) >= wall:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def next_fire_at(
    at: time, days: Collection[int], timezone: str | ZoneInfo, after: datetime
) -> datetime | None:
    """The first firing strictly after `after` (aware), in UTC; None when no day is chosen."""
    if after.tzinfo is None:
        raise ValueError("`after` must be an aware datetime")
    wanted = {day for day in days if day in ALL_DAYS}
    if not wanted:
        return None
    tz = zone(timezone) if isinstance(timezone, str) else timezone
    start = after.astimezone(tz).date() - timedelta(days=1)
    for offset in range(9):
        day = start + timedelta(days=offset)
        if day.weekday() not in wanted:
            continue
        moment = local_instant(day, at, tz)
        if moment > after:
            return moment
    raise AssertionError("a weekly schedule always fires within nine days")  # pragma: no cover
