"""next_fire_at(): daylight-saving changes neither skip nor double a reminder."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from diary.reminders.schedule import ALL_DAYS, next_fire_at


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@pytest.mark.parametrize(
    ("zone", "at", "after", "expected"),
    [
        # New York springs forward on 8 March 2026 at 02:00 (EST) to 03:00 (EDT).
        ("America/New_York", "02:30", "2026-03-07T12:00:00-05:00", "2026-03-08T07:00:00Z"),
        ("America/New_York", "02:30", "2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"),
        # New York falls back on 1 November 2026 at 02:00 (EDT) to 01:00 (EST).
        ("America/New_York", "01:30", "2026-10-31T12:00:00-04:00", "2026-11-01T05:30:00Z"),
        ("America/New_York", "01:30", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"),
        # Berlin springs forward on 29 March 2026 at 02:00 (CET) to 03:00 (CEST).
        ("Europe/Berlin", "02:30", "2026-03-28T12:00:00+01:00", "2026-03-29T01:00:00Z"),
        ("Europe/Berlin", "02:30", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"),
        # Berlin falls back on 25 October 2026 at 03:00 (CEST) to 02:00 (CET).
        ("Europe/Berlin", "02:30", "2026-10-24T12:00:00+02:00", "2026-10-25T00:30:00Z"),
        ("Europe/Berlin", "02:30", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"),
        # Sydney falls back on 5 April 2026 at 03:00 (AEDT) to 02:00 (AEST).
        ("Australia/Sydney", "02:30", "2026-04-04T12:00:00+11:00", "2026-04-04T15:30:00Z"),
        ("Australia/Sydney", "02:30", "2026-04-04T15:30:00Z", "2026-04-05T16:30:00Z"),
        # Sydney springs forward on 4 October 2026 at 02:00 (AEST) to 03:00 (AEDT).
        ("Australia/Sydney", "02:30", "2026-10-03T12:00:00+10:00", "2026-10-03T16:00:00Z"),
        ("Australia/Sydney", "02:30", "2026-10-03T16:00:00Z", "2026-10-04T15:30:00Z"),
    ],
)
def test_a_missing_time_fires_at_the_jump_and_a_doubled_time_fires_once(
    zone: str, at: str, after: str, expected: str
) -> None:
    assert next_fire_at(time.fromisoformat(at), ALL_DAYS, zone, utc(after)) == utc(expected)


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Berlin", "Australia/Sydney"])
@pytest.mark.parametrize("at", ["00:00", "01:30", "02:00", "02:30", "02:59", "03:00", "20:00"])
def test_a_daily_reminder_fires_once_on_every_day_of_a_year(zone: str, at: str) -> None:
    tz = ZoneInfo(zone)
    moment = datetime(2025, 12, 31, 12, tzinfo=tz).astimezone(UTC)
    fired: list[datetime] = []
    while True:
        moment = next_fire_at(time.fromisoformat(at), ALL_DAYS, zone, moment)  # type: ignore[assignment]
        if moment.astimezone(tz).year > 2026:
            break
        if moment.astimezone(tz).year == 2026:
            fired.append(moment)

    local_days = [m.astimezone(tz).date() for m in fired]
    assert len(fired) == 365
    assert len(set(local_days)) == 365
    assert local_days[0] == date(2026, 1, 1)
    # Where the time exists it is kept; where it does not, the reminder comes at the jump.
    shown = [m.astimezone(tz).time() for m in fired]
    assert all(t >= time.fromisoformat(at) for t in shown)
    assert sum(t != time.fromisoformat(at) for t in shown) <= 1


def test_the_evening_reminder_keeps_its_local_time_across_the_change() -> None:
    after = utc("2026-03-27T12:00:00Z")
    first = next_fire_at(time(20, 0), ALL_DAYS, "Europe/Berlin", after)
    assert first is not None
    second = next_fire_at(time(20, 0), ALL_DAYS, "Europe/Berlin", first)
    assert second is not None
    third = next_fire_at(time(20, 0), ALL_DAYS, "Europe/Berlin", second)

    assert [first, second, third] == [
        utc("2026-03-27T19:00:00Z"),
        utc("2026-03-28T19:00:00Z"),
        utc("2026-03-29T18:00:00Z"),
    ]


def test_only_the_chosen_weekdays_fire() -> None:
    # 2026-11-20 is a Friday; Mondays and Wednesdays only.
    after = utc("2026-11-20T12:00:00+01:00")
    first = next_fire_at(time(9, 0), [0, 2], "Europe/Berlin", after)
    assert first is not None
    second = next_fire_at(time(9, 0), [0, 2], "Europe/Berlin", first)

    assert first == utc("2026-11-23T09:00:00+01:00")
    assert second == utc("2026-11-25T09:00:00+01:00")


def test_the_next_firing_is_strictly_after_now() -> None:
    now = utc("2026-06-01T20:00:00+02:00")

    assert next_fire_at(time(20, 0), ALL_DAYS, "Europe/Berlin", now) == now + timedelta(days=1)


def test_no_days_never_fires() -> None:
    assert next_fire_at(time(20, 0), [], "Europe/Berlin", utc("2026-06-01T00:00:00Z")) is None


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_fire_at(time(20, 0), ALL_DAYS, "Europe/Berlin", datetime(2026, 6, 1))  # noqa: DTZ001
