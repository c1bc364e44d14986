"""The trends API: daily series, regions, qualities and a summary, with ETags."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue
from marshmallow import Schema

from diary import cache
from diary.accounts.auth import login_required
from diary.care_team.reach import reach
from diary.database import utcnow
from diary.extensions import db
from diary.http import doc
from diary.models import User
from diary.reference import QUALITIES_BY_CODE, REGIONS_BY_CODE
from diary.schemas.trends import (
    DailyTrendSchema,
    QualityTrendSchema,
    RangeQuerySchema,
    RegionTrendSchema,
    SummarySchema,
    check_range,
    dump_daily_trend,
)
from diary.services import trends as trends_service
from diary.services.entries import local_date_of
from diary.trends.wording import summary_sentence

bp = Blueprint("trends_api", __name__, url_prefix="/api/v1")

TAGS = ["trends"]
BASE = "/patients/<pid>/trends"
DEFAULT_DAYS = 30


def resolve_range(patient: User, args: Any) -> tuple[date, date]:
    """The validated range; by default the last 30 of the patient's days."""
    query = RangeQuerySchema().load(args)
    to = query["to"] or local_date_of(utcnow(), patient.timezone)
    from_ = query["from_"] or min(to, to - timedelta(days=DEFAULT_DAYS - 1))
    check_range(from_, to)
    return from_, to


def conditional(schema: Schema | None, payload: Any) -> Response:
    """Answer with an ETag, and 304 when the client already has this exact answer."""
    response = jsonify(schema.dump(payload) if schema is not None else payload)
    db.session.commit()  # the audit record of a read of someone else's diary
    response.add_etag()
    response.make_conditional(request)
    return response


def label(vocabulary: Mapping[str, Any], code: str) -> str:
    """The code's label; a code that has left the vocabulary is shown as it is stored."""
    term = vocabulary.get(code)
    return str(term.label) if term is not None else code


def _patient_and_range(pid: str, kind: str) -> tuple[User, date, date]:
    patient = reach(pid, "trends", f"read:trends:{kind}").patient
    from_, to = resolve_range(patient, request.args)
    return patient, from_, to


@bp.get(f"{BASE}/daily")
@login_required
@doc(
    "Daily means, the 7-day rolling mean, days logged",
    tags=TAGS,
    query=RangeQuerySchema,
    responses={200: DailyTrendSchema, 304: "Not modified"},
)
def daily(pid: str) -> ResponseReturnValue:
    patient, from_, to = _patient_and_range(pid, "daily")
    # Years of days are the heaviest answer: keyed by the diary's version, a cached one is
    # always the current one.
    key = f"trends:daily:{patient.id}:{from_}:{to}:{patient.diary_version}"
    body = cache.get(key)
    if body is None:
        trend = trends_service.daily_trend(db.session, patient, from_, to)
        body = json.dumps(dump_daily_trend(trend), separators=(",", ":")).encode()
        cache.put(key, body)
    db.session.commit()  # the audit record of a read of someone else's diary
    response = Response(body, mimetype="application/json")
    response.add_etag()
    response.make_conditional(request)
    return response


@bp.get(f"{BASE}/regions")
@login_required
@doc(
    "Where it hurts: per region, how often and how much",
    tags=TAGS,
    query=RangeQuerySchema,
    responses={200: RegionTrendSchema, 304: "Not modified"},
)
def regions(pid: str) -> ResponseReturnValue:
    patient, from_, to = _patient_and_range(pid, "regions")
    stats = trends_service.region_stats(db.session, patient, from_, to)
    payload = {
        "regions": [
            {
                "region": s.region,
                "label": label(REGIONS_BY_CODE, s.region),
                "count": s.count,
                "mean_intensity": s.mean_intensity,
            }
            for s in stats
        ]
    }
    return conditional(RegionTrendSchema(), payload)


@bp.get(f"{BASE}/qualities")
@login_required
@doc(
    "How it feels: per quality, in all and per week",
    tags=TAGS,
    query=RangeQuerySchema,
    responses={200: QualityTrendSchema, 304: "Not modified"},
)
def qualities(pid: str) -> ResponseReturnValue:
    patient, from_, to = _patient_and_range(pid, "qualities")
    stats = trends_service.quality_stats(db.session, patient, from_, to)
    payload = {
        "qualities": [
            {
                "quality": code,
                "label": label(QUALITIES_BY_CODE, code),
                "count": count,
            }
            for code, count in stats.totals.items()
        ],
        "weeks": [{"week_start": week, "counts": counts} for week, counts in stats.weeks.items()],
    }
    return conditional(QualityTrendSchema(), payload)


@bp.get(f"{BASE}/summary")
@login_required
@doc(
    "The range against the period just before it, in numbers and in words",
    tags=TAGS,
    query=RangeQuerySchema,
    responses={200: SummarySchema, 304: "Not modified"},
)
def summary(pid: str) -> ResponseReturnValue:
    patient, from_, to = _patient_and_range(pid, "summary")
    change = trends_service.change_from_previous(db.session, patient, from_, to)
    payload = {
        "current": change.current,
        "previous": change.previous,
        "change": change.change,
        "sentence": summary_sentence(change),
    }
    return conditional(SummarySchema(), payload)
