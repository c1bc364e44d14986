"""Analytics of the diary as plain functions: the SQL groups by the stored local day."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean
from typing import Any

from sqlalchemy import func, select, true

from diary.database import DbSession
from diary.models import PainDailyStat, PainEntry, PainEntryLocation, User

ROLLING_WINDOW = 7
# A 7-day mean from fewer logged days than this would be a guess; it is left out.
ROLLING_MIN_DAYS = 4


@dataclass(frozen=True)
class Day:
    date: date
    mean: float | None
    min: int | None
    max: int | None
    count: int


@dataclass(frozen=True)
class RollingPoint:
    date: date
    value: float | None


@dataclass(frozen=True)
class DailyTrend:
    days: list[Day]
    rolling_mean_7d: list[RollingPoint]
    days_logged: int
    days_in_range: int


def _dates(from_: date, to: date) -> list[date]:
    return [from_ + timedelta(days=n) for n in range((to - from_).days + 1)]


def _live(patient: User) -> list[Any]:
    return [PainEntry.patient_id == patient.id, PainEntry.deleted_at.is_(None)]


def daily_stats(session: DbSession, patient: User, from_: date, to: date) -> dict[date, Day]:
    """Mean, min, max and count of each logged local day in the range (from the roll-up)."""
    rows = session.execute(
        select(
            PainDailyStat.local_date,
            PainDailyStat.intensity_sum,
            PainDailyStat.intensity_min,
            PainDailyStat.intensity_max,
            PainDailyStat.entry_count,
        ).where(
            PainDailyStat.patient_id == patient.id,
            PainDailyStat.local_date.between(from_, to),
        )
    )
    return {
        day: Day(day, round(total / count, 2), low, high, count)
        for day, total, low, high, count in rows
    }


def rolling_means(
    means: dict[date, float], dates: list[date], window: int = ROLLING_WINDOW
) -> list[RollingPoint]:
    """The mean of the daily means over the `window` days ending on each date.

    `dates` must be consecutive days; one pass with a running sum, so years stay cheap.
    """
    if not dates:
        return []
    needed = min(ROLLING_MIN_DAYS, window)
    first = dates[0] - timedelta(days=window - 1)
    days = [first + timedelta(days=n) for n in range((dates[-1] - first).days + 1)]
    values = [means.get(day) for day in days]
    points = []
    total, count = 0.0, 0
    for i, day in enumerate(days):
        if (value := values[i]) is not None:
            total, count = total + value, count + 1
        if i >= window and (old := values[i - window]) is not None:
            total, count = total - old, count - 1
        if day >= dates[0]:
            enough = count >= needed
            points.append(RollingPoint(day, round(total / count, 2) if enough else None))
    return points


def daily_trend(session: DbSession, patient: User, from_: date, to: date) -> DailyTrend:
    """Every day of the range (empty ones too), the 7-day rolling mean, days logged."""
    lookback = from_ - timedelta(days=ROLLING_WINDOW - 1)
    stats = daily_stats(session, patient, lookback, to)
    dates = _dates(from_, to)
    days = [stats.get(d) or Day(d, None, None, None, 0) for d in dates]
    means = {d: s.mean for d, s in stats.items() if s.mean is not None}
    return DailyTrend(
        days=days,
        rolling_mean_7d=rolling_means(means, dates),
        days_logged=sum(1 for d in days if d.count),
        days_in_range=len(dates),
    )


@dataclass(frozen=True)
class PeriodSummary:
    from_: date
    to: date
    mean: float | None
    days_logged: int
    days_in_range: int


def period_summary(session: DbSession, patient: User, from_: date, to: date) -> PeriodSummary:
    """The mean of the daily means over a period, and how many of its days were logged."""
    means = [
        s.mean for s in daily_stats(session, patient, from_, to).values() if s.mean is not None
    ]
    return PeriodSummary(
        from_,
        to,
        round(fmean(means), 2) if means else None,
        len(means),
        (to - from_).days + 1,
    )


@dataclass(frozen=True)
class Change:
    current: PeriodSummary
    previous: PeriodSummary
    change: float | None


def change_from_previous(session: DbSession, patient: User, from_: date, to: date) -> Change:
    """Compare the range with the period of the same length just before it."""
    length = (to - from_).days + 1
    current = period_summary(session, patient, from_, to)
    previous = period_summary(
        session, patient, from_ - timedelta(days=length), from_ - timedelta(days=1)
    )
    change = None
    if current.mean is not None and previous.mean is not None:
        change = round(current.mean - previous.mean, 2)
    return Change(current, previous, change)


@dataclass(frozen=True)
class RegionStat:
    region: str
    count: int
    mean_intensity: float


def region_stats(session: DbSession, patient: User, from_: date, to: date) -> list[RegionStat]:
    """Per body region: how often it hurt and how much (its own score, else the entry's)."""
    score = func.coalesce(PainEntryLocation.intensity, PainEntry.intensity)
    rows = session.execute(
        select(PainEntryLocation.region, func.count(), func.avg(score))
        .join(PainEntry, PainEntry.id == PainEntryLocation.entry_id)
        .where(*_live(patient), PainEntry.local_date.between(from_, to))
        .group_by(PainEntryLocation.region)
        .order_by(func.count().desc(), PainEntryLocation.region)
    )
    return [RegionStat(region, count, round(float(mean), 2)) for region, count, mean in rows]


@dataclass(frozen=True)
class QualityStats:
    totals: dict[str, int]
    weeks: dict[date, dict[str, int]]


def week_start(day: date) -> date:
    """The Monday of the ISO week the day is in."""
    return day - timedelta(days=day.weekday())


def quality_stats(session: DbSession, patient: User, from_: date, to: date) -> QualityStats:
    """How often each quality was chosen, in all and per week (weeks start on Monday)."""
    if session.get_bind().dialect.name == "postgresql":
        elements = func.json_array_elements_text(PainEntry.qualities)
    else:
        elements = func.json_each(PainEntry.qualities)
    quality = elements.table_valued("value", joins_implicitly=True)
    rows = session.execute(
        select(PainEntry.local_date, quality.c.value, func.count())
        .select_from(PainEntry)
        .join(quality, true())
        .where(*_live(patient), PainEntry.local_date.between(from_, to))
        .group_by(PainEntry.local_date, quality.c.value)
    )
    totals: dict[str, int] = defaultdict(int)
    weeks: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, code, count in rows:
        totals[code] += count
        weeks[week_start(day)][code] += count
    ordered_weeks = {week: dict(weeks[week]) for week in sorted(weeks)}
    return QualityStats(dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))), ordered_weeks)
