"""Shapes of the trends: the range a client asks for and the figures it gets."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import Schema, ValidationError, fields, validates_schema

from diary.schemas.common import DiaryDate

MAX_RANGE_DAYS = 3653  # ten years


# Ranges reach back a period and a week before `from`: keep clear of date's own limits.
def check_range(from_: date, to: date) -> None:
    """Refuse a range that runs backwards or spans more than ten years."""
    if from_ > to:
        raise ValidationError("'from' must not be after 'to'.", field_name="from")
    if (to - from_).days + 1 > MAX_RANGE_DAYS:
        raise ValidationError("Ask for at most ten years at a time.", field_name="from")


class RangeQuerySchema(Schema):
    """`from` and `to` are the patient's local dates; both optional (the view fills them)."""

    from_ = DiaryDate(data_key="from", load_default=None)
    to = DiaryDate(load_default=None)

    @validates_schema
    def _sensible_range(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("from_") is not None and data.get("to") is not None:
            check_range(data["from_"], data["to"])


class DaySchema(Schema):
    date = fields.Date()
    mean = fields.Float(allow_none=True)
    min = fields.Integer(allow_none=True)
    max = fields.Integer(allow_none=True)
    count = fields.Integer()


class RollingPointSchema(Schema):
    date = fields.Date()
    value = fields.Float(allow_none=True)


class DailyTrendSchema(Schema):
    days = fields.List(fields.Nested(DaySchema))
    rolling_mean_7d = fields.List(fields.Nested(RollingPointSchema))
    days_logged = fields.Integer()
    days_in_range = fields.Integer()


def dump_daily_trend(trend: Any) -> dict[str, Any]:
    """DailyTrendSchema().dump(trend), written out by hand: years of days are a hot path.

    A test holds the two to the same answer.
    """
    return {
        "days": [
            {
                "date": d.date.isoformat(),
                "mean": d.mean,
                "min": d.min,
                "max": d.max,
                "count": d.count,
            }
            for d in trend.days
        ],
        "rolling_mean_7d": [
            {"date": p.date.isoformat(), "value": p.value} for p in trend.rolling_mean_7d
        ],
        "days_logged": trend.days_logged,
        "days_in_range": trend.days_in_range,
    }


class RegionStatSchema(Schema):
    region = fields.String()
    label = fields.String()
    count = fields.Integer()
    mean_intensity = fields.Float()


class RegionTrendSchema(Schema):
    regions = fields.List(fields.Nested(RegionStatSchema))


class QualityCountSchema(Schema):
    quality = fields.String()
    label = fields.String()
    count = fields.Integer()


class QualityWeekSchema(Schema):
    week_start = fields.Date()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())


class QualityTrendSchema(Schema):
    qualities = fields.List(fields.Nested(QualityCountSchema))
    weeks = fields.List(fields.Nested(QualityWeekSchema))


class PeriodSchema(Schema):
    from_ = fields.Date(data_key="from")
    to = fields.Date()
    mean = fields.Float(allow_none=True)
    days_logged = fields.Integer()
    days_in_range = fields.Integer()


class SummarySchema(Schema):
    current = fields.Nested(PeriodSchema)
    previous = fields.Nested(PeriodSchema)
    change = fields.Float(allow_none=True)
    sentence = fields.String()
