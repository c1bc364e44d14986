"""Treatment response and relief, as DESIGN.md defines them: pure functions over daily means."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean, median

WINDOW_DAYS = 7
MIN_DAYS_LOGGED = 4  # fewer days logged in a window: say so, invent nothing
MODERATE = 0.30  # IMMPACT: a 30 % reduction is moderately important
SUBSTANTIAL = 0.50  # IMMPACT: a 50 % reduction is substantial
RELIEF_CEILING = 0.70  # relief ends when the rolling mean rises above 70 % of baseline
MIN_MEASURED_RELIEFS = 2  # one infusion is not yet a pattern to time boosters by
BOOSTER_LEAD = 0.75  # open the booster window at three quarters of the median relief
_EPSILON = 1e-9  # 0.7 * 6 is 4.199999…: compare with a little slack

DailyMean = tuple[date, float]


@dataclass(frozen=True)
class Response:
    """How the pain changed around one treatment."""

    treatment_date: date
    baseline: float | None
    after: float | None
    change_pct: float | None
    responder: str | None  # "none", "moderate", "substantial"; None when it cannot be told
    relief_days: int | None
    # "ended", "continuing", "next_treatment" (another came before relief ended),
    # "no_response", "no_baseline_pain" or "insufficient_data".
    relief_status: str
    baseline_days: int
    after_days: int
    insufficient_data: tuple[str, ...]

    @property
    def relief_ended_on(self) -> date | None:
        if self.relief_days is None:
            return None
        return self.treatment_date + timedelta(days=self.relief_days)


@dataclass(frozen=True)
class SeriesSummary:
    """Relief across several treatments of one kind, and when a booster might be due."""

    treatments: int
    measured: int
    median_relief_days: float | None
    booster_from_day: int | None
    booster_to_day: int | None
    latest: date | None

    @property
    def insufficient_data(self) -> bool:
        return self.median_relief_days is None

    @property
    def booster_from(self) -> date | None:
        if self.latest is None or self.booster_from_day is None:
            return None
        return self.latest + timedelta(days=self.booster_from_day)

    @property
    def booster_to(self) -> date | None:
        if self.latest is None or self.booster_to_day is None:
            return None
        return self.latest + timedelta(days=self.booster_to_day)


def _days(first: date, last: date) -> Iterable[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def window_mean(means: Mapping[date, float], first: date, last: date) -> tuple[float | None, int]:
    """The mean of the daily means logged from first to last (inclusive), and how many."""
    values = [means[day] for day in _days(first, last) if day in means]
    return (fmean(values) if values else None), len(values)


def classify(baseline: float, after: float) -> str:
    """The IMMPACT responder class of a change from baseline to after (baseline > 0)."""
    reduction = (baseline - after) / baseline
    if reduction >= SUBSTANTIAL - _EPSILON:
        return "substantial"
    if reduction >= MODERATE - _EPSILON:
        return "moderate"
    return "none"


def relief_duration(
    means: Mapping[date, float],
    treatment_date: date,
    baseline: float,
    *,
    next_treatment: date | None = None,
) -> tuple[int | None, str]:
    """Days from the treatment to the first day the relief is lost, and why it may be unknown.

    On each day k after the treatment, the mean of the daily means logged over the last 7
    post-treatment days (fewer at the start; days before the treatment never count) is
    compared with 70 % of baseline. Relief is under way once that mean is at or below the
    line; it ends on the first later day on which the mean rises above it. The scan stops at
    the last logged day, or the day before the next treatment, whichever comes first.
    """
    ceiling = RELIEF_CEILING * baseline
    logged_after = [day for day in means if day > treatment_date]
    if not logged_after:
        return None, "continuing"
    last = max(logged_after)
    cut_by_next = next_treatment is not None and next_treatment <= last
    if next_treatment is not None and cut_by_next:
        last = next_treatment - timedelta(days=1)
    relieved = False
    first_after = treatment_date + timedelta(days=1)
    for day in _days(first_after, last):
        start = max(first_after, day - timedelta(days=WINDOW_DAYS - 1))
        rolling, _count = window_mean(means, start, day)
        if rolling is None:
            continue  # a week with nothing logged tells nothing
        if rolling > ceiling + _EPSILON:
            if relieved:
                return (day - treatment_date).days, "ended"
        else:
            relieved = True
    return None, "next_treatment" if cut_by_next else "continuing"


def treatment_response(
    daily_means: Iterable[DailyMean],
    treatment_date: date,
    *,
    next_treatment: date | None = None,
) -> Response:
    """Baseline (days -7…-1), after (days 1…7), change, responder class and relief.

    `daily_means` are (local date, mean pain that day) pairs; the treatment's own day
    belongs to neither window. A window with fewer than 4 days logged gives no number.
    """
    means = {day: float(value) for day, value in daily_means if math.isfinite(value)}
    one = timedelta(days=1)
    baseline, baseline_days = window_mean(
        means, treatment_date - timedelta(days=WINDOW_DAYS), treatment_date - one
    )
    after, after_days = window_mean(
        means, treatment_date + one, treatment_date + timedelta(days=WINDOW_DAYS)
    )
    missing = tuple(
        name
        for name, count in (("baseline", baseline_days), ("after", after_days))
        if count < MIN_DAYS_LOGGED
    )
    if "baseline" in missing:
        baseline = None
    if "after" in missing:
        after = None

    change_pct: float | None = None
    responder: str | None = None
    relief_days: int | None = None
    if baseline is None or after is None:
        status = "insufficient_data"
    elif baseline <= _EPSILON:
        status = "no_baseline_pain"  # nothing to relieve: a percentage would be meaningless
    else:
        change_pct = round((after - baseline) / baseline * 100, 1)
        responder = classify(baseline, after)
        if responder == "none":
            status = "no_response"
        else:
            relief_days, status = relief_duration(
                means, treatment_date, baseline, next_treatment=next_treatment
            )
    return Response(
        treatment_date=treatment_date,
        baseline=None if baseline is None else round(baseline, 2),
        after=None if after is None else round(after, 2),
        change_pct=change_pct,
        responder=responder,
        relief_days=relief_days,
        relief_status=status,
        baseline_days=baseline_days,
        after_days=after_days,
        insufficient_data=missing,
    )


def summarise_series(responses: Sequence[Response]) -> SeriesSummary:
    """The median relief across a series, and a suggested window for the next booster.

    Only reliefs that were seen to end count towards the median. The window opens at three
    quarters of the median relief and closes the day before relief usually ends, counted
    from the latest treatment of the series: a suggestion to discuss with the clinician.
    """
    measured = [r.relief_days for r in responses if r.relief_days is not None]
    latest = max((r.treatment_date for r in responses), default=None)
    if len(measured) < MIN_MEASURED_RELIEFS:
        return SeriesSummary(len(responses), len(measured), None, None, None, latest)
    typical = float(median(measured))
    to_day = max(1, math.ceil(typical) - 1)
    from_day = max(1, min(to_day, math.floor(BOOSTER_LEAD * typical)))
    return SeriesSummary(len(responses), len(measured), typical, from_day, to_day, latest)
