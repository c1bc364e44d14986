"""The trends page: a chart with the same numbers in a table, a heat map, and words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean
from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from diary.accounts.auth import login_required
from diary.care_team.reach import reach
from diary.database import utcnow
from diary.extensions import db
from diary.models import User
from diary.reference import QUALITIES_BY_CODE, REGIONS, REGIONS_BY_CODE
from diary.services import trends as trends_service
from diary.services.entries import local_date_of
from diary.trends.wording import summary_sentence

bp = Blueprint("trends", __name__)

PRESETS = {
    "2w": ("2 weeks", 14),
    "3m": ("3 months", 91),
    "1y": ("1 year", 365),
    "all": ("All", None),
}
# Beyond this many days a point a day is unreadable on a phone: the chart shows weeks.
DAILY_POINTS_MAX = 120


@dataclass(frozen=True)
class Row:
    label: str
    mean: float | None
    low: int | None
    high: int | None
    count: int
    rolling: float | None


def _first_logged_day(patient: User) -> date | None:
    page = trends_service.daily_stats(db.session, patient, date(1970, 1, 1), date(9999, 12, 31))
    return min(page) if page else None


def _range(patient: User, preset: str) -> tuple[date, date]:
    today = local_date_of(utcnow(), patient.timezone)
    days = PRESETS[preset][1]
    if days is None:
        first = _first_logged_day(patient) or today
        return max(first, today - timedelta(days=3652)), today
    return today - timedelta(days=days - 1), today


def _rows(trend: trends_service.DailyTrend, weekly: bool) -> list[Row]:
    rolling = {p.date: p.value for p in trend.rolling_mean_7d}
    if not weekly:
        return [
            Row(d.date.isoformat(), d.mean, d.min, d.max, d.count, rolling[d.date])
            for d in trend.days
        ]
    weeks: dict[date, list[trends_service.Day]] = {}
    for day in trend.days:
        weeks.setdefault(trends_service.week_start(day.date), []).append(day)
    rows = []
    for start, days in weeks.items():
        logged = [d for d in days if d.mean is not None]
        rows.append(
            Row(
                f"Week of {start.isoformat()}",
                round(fmean(d.mean for d in logged if d.mean is not None), 2) if logged else None,
                min((d.min for d in logged if d.min is not None), default=None),
                max((d.max for d in logged if d.max is not None), default=None),
                sum(d.count for d in days),
                rolling[days[-1].date],
            )
        )
    return rows


def _baseline(raw: str | None) -> tuple[float | None, str | None]:
    if not raw:
        return None, None
    try:
        value = float(raw)
    except ValueError:
        return None, "Give the baseline as a number from 0 to 10."
    if not 0 < value <= 10:
        return None, "Give the baseline as a number from 0 to 10."
    return value, None


def _shades(stats: list[trends_service.RegionStat]) -> dict[str, float]:
    """Weight each region by how often times how much, scaled to the worst one."""
    weights = {s.region: s.count * s.mean_intensity for s in stats}
    top = max(weights.values(), default=0)
    return {code: w / top for code, w in weights.items()} if top else {}


@bp.get("/trends")
@login_required
def index() -> ResponseReturnValue:
    access = reach(request.args.get("patient", "me"), "trends", "page:trends")
    patient = access.patient
    preset = request.args.get("range", "3m")
    if preset not in PRESETS:
        preset = "3m"
    from_, to = _range(patient, preset)
    baseline, baseline_error = _baseline(request.args.get("baseline"))
    trend = trends_service.daily_trend(db.session, patient, from_, to)
    db.session.commit()  # the audit record of a read of someone else's diary
    weekly = trend.days_in_range > DAILY_POINTS_MAX
    rows = _rows(trend, weekly)
    change = trends_service.change_from_previous(db.session, patient, from_, to)
    regions = trends_service.region_stats(db.session, patient, from_, to)
    qualities = trends_service.quality_stats(db.session, patient, from_, to)
    top_qualities = list(qualities.totals)[:5]
    chart: dict[str, Any] = {
        "labels": [r.label.removeprefix("Week of ") for r in rows],
        "mean": [r.mean for r in rows],
        "min": [r.low for r in rows],
        "max": [r.high for r in rows],
        "rolling": [r.rolling for r in rows],
        "weekly": weekly,
        "baseline": baseline,
        "qualityWeeks": {
            "labels": [w.isoformat() for w in qualities.weeks],
            "series": [
                {
                    "label": QUALITIES_BY_CODE[c].label if c in QUALITIES_BY_CODE else c,
                    "data": [counts.get(c, 0) for counts in qualities.weeks.values()],
                }
                for c in top_qualities
            ],
        },
    }
    return render_template(
        "trends/index.html",
        presets=PRESETS,
        preset=preset,
        access=access,
        patient=patient,
        from_=from_,
        to=to,
        trend=trend,
        rows=rows,
        weekly=weekly,
        sentence=summary_sentence(change),
        change=change,
        baseline=baseline,
        baseline_error=baseline_error,
        chart=chart,
        regions=REGIONS,
        regions_by_code=REGIONS_BY_CODE,
        region_stats=regions,
        shades=_shades(regions),
        qualities=qualities,
        top_qualities=top_qualities,
        qualities_by_code=QUALITIES_BY_CODE,
    )
