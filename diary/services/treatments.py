"""Treatments: record, edit, list; their response and relief measured from the diary."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from diary.database import DbSession
from diary.errors import NotFound, ValidationFailed
from diary.models import PainEntry, Treatment, User
from diary.models.treatments import INFUSION_KINDS
from diary.services.entries import FUTURE_TOLERANCE, local_date_of
from diary.services.response import (
    MIN_DAYS_LOGGED,
    WINDOW_DAYS,
    DailyMean,
    Response,
    SeriesSummary,
    summarise_series,
    treatment_response,
)

# Above these a number is a typo or the wrong unit, not a dose (ketamine for pain runs at
# 0.1-1 mg/kg/h; lidocaine at 1-5 mg/kg over an hour or so; a day's oral doses stay in grams).
DOSE_LIMITS = {"mg": 5000.0, "mg/kg": 20.0, "mg/h": 1000.0, "mg/kg/h": 10.0, "mL/h": 1000.0}
MAX_DURATION = timedelta(days=14)
CHECKIN_DAYS = 7  # the log page asks the safety check-in for a week after an infusion
FIELDS = (
    "kind",
    "started_at",
    "ended_at",
    "dose",
    "dose_unit",
    "setting",
    "series_phase",
    "series_number",
    "adjuvants",
    "side_effects",
    "note",
)


def _check(values: Mapping[str, Any], now: datetime) -> None:
    """The rules that look at several fields at once; every broken one is reported."""
    errors: dict[str, list[str]] = {}
    dose, unit = values.get("dose"), values.get("dose_unit")
    if dose is not None and unit is None:
        errors["dose_unit"] = ["Choose the unit of the dose."]
    elif unit is not None and dose is None:
        errors["dose"] = ["Give the dose for this unit, or leave both empty."]
    elif dose is not None and unit in DOSE_LIMITS and dose > DOSE_LIMITS[unit]:
        errors["dose"] = [
            f"{dose:g} {unit} is more than any plausible dose (at most {DOSE_LIMITS[unit]:g} "
            f"{unit}). Please check the number and the unit."
        ]
    started, ended = values["started_at"], values.get("ended_at")
    if started > now + FUTURE_TOLERANCE:
        errors["started_at"] = ["That is in the future; record a treatment once it has begun."]
    if ended is not None and ended < started:
        errors["ended_at"] = ["The end is before the start."]
    elif ended is not None and ended - started > MAX_DURATION:
        errors["ended_at"] = ["That is longer than 14 days; record each day or course apart."]
    if values.get("series_number") is not None and values.get("series_phase") is None:
        errors["series_phase"] = ["Say whether this is part of an induction or a booster."]
    if errors:
        raise ValidationFailed(errors)


def create_treatment(
    session: DbSession, patient: User, author: User, data: dict[str, Any], now: datetime
) -> Treatment:
    """Record a treatment in the patient's diary."""
    values = {key: data.get(key) for key in FIELDS}
    started_at: datetime = data.get("started_at") or now
    values["started_at"] = started_at
    _check(values, now)
    treatment = Treatment(
        patient_id=patient.id,
        author_id=author.id,
        local_date=local_date_of(started_at, patient.timezone),
        created_at=now,
        updated_at=now,
        **{**values, "adjuvants": values["adjuvants"] or [], "side_effects": _effects(values)},
    )
    session.add(treatment)
    session.flush()
    return treatment


def _effects(values: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {key: value for key, value in effect.items() if value is not None}
        for effect in values.get("side_effects") or []
    ]


def get_treatment(session: DbSession, patient: User, treatment_id: uuid.UUID) -> Treatment:
    """The patient's treatment; NotFound when absent or someone else's."""
    treatment = session.get(Treatment, treatment_id)
    if treatment is None or treatment.patient_id != patient.id:
        raise NotFound("There is no such treatment.")
    return treatment


def list_treatments(
    session: DbSession, patient: User, *, kind: str | None = None
) -> list[Treatment]:
    """The patient's treatments, newest first."""
    query = select(Treatment).where(Treatment.patient_id == patient.id)
    if kind is not None:
        query = query.where(Treatment.kind == kind)
    return list(session.scalars(query.order_by(Treatment.started_at.desc(), Treatment.id.desc())))


def update_treatment(
    session: DbSession, patient: User, treatment: Treatment, changes: dict[str, Any], now: datetime
) -> Treatment:
    """Apply an edit; the combination of stored and new values must still make sense."""
    merged = {key: changes[key] if key in changes else getattr(treatment, key) for key in FIELDS}
    _check(merged, now)
    for key in FIELDS:
        if key in changes:
            setattr(treatment, key, merged[key])
    treatment.adjuvants = list(merged["adjuvants"] or [])
    treatment.side_effects = _effects(merged)
    treatment.local_date = local_date_of(treatment.started_at, patient.timezone)
    treatment.updated_at = now
    session.flush()
    return treatment


def delete_treatment(session: DbSession, treatment: Treatment) -> None:
    session.delete(treatment)
    session.flush()


def daily_means(
    session: DbSession, patient: User, first: date | None = None, last: date | None = None
) -> list[DailyMean]:
    """(local date, mean intensity) for each day with live entries, oldest first."""
    query = select(PainEntry.local_date, func.avg(PainEntry.intensity)).where(
        PainEntry.patient_id == patient.id, PainEntry.deleted_at.is_(None)
    )
    if first is not None:
        query = query.where(PainEntry.local_date >= first)
    if last is not None:
        query = query.where(PainEntry.local_date <= last)
    query = query.group_by(PainEntry.local_date).order_by(PainEntry.local_date)
    return [(day, float(mean)) for day, mean in session.execute(query)]


def _next_dates(treatments: Iterable[Treatment]) -> dict[uuid.UUID, date | None]:
    """For each treatment, the day of the next one of the same kind (a later day)."""
    days_by_kind: dict[str, list[date]] = {}
    for treatment in treatments:
        days_by_kind.setdefault(treatment.kind, []).append(treatment.local_date)
    return {
        treatment.id: min(
            (d for d in days_by_kind[treatment.kind] if d > treatment.local_date), default=None
        )
        for treatment in treatments
    }


def responses(
    session: DbSession, patient: User, treatments: list[Treatment] | None = None
) -> dict[uuid.UUID, Response]:
    """The response of each treatment (all of the patient's by default), with one query."""
    every = list_treatments(session, patient)
    chosen = every if treatments is None else treatments
    if not chosen:
        return {}
    nexts = _next_dates(every)
    first = min(t.local_date for t in chosen) - timedelta(days=WINDOW_DAYS)
    means = daily_means(session, patient, first)
    return {
        t.id: treatment_response(means, t.local_date, next_treatment=nexts[t.id]) for t in chosen
    }


def response_for(session: DbSession, patient: User, treatment: Treatment) -> Response:
    return responses(session, patient, [treatment])[treatment.id]


def series_summary(session: DbSession, patient: User, kind: str) -> SeriesSummary:
    """Median relief across the patient's treatments of one kind, and a booster window."""
    treatments = list_treatments(session, patient, kind=kind)
    return summarise_series(list(responses(session, patient, treatments).values()))


_WHY = {
    "baseline": "the 7 days before",
    "after": "days 1 to 7 after",
}
_STATUS = {
    "ended": "Relief lasted {days} days (pain back above 70 % of the baseline).",
    "continuing": "Relief is continuing.",
    "next_treatment": "Relief was still going when the next treatment came.",
    "no_response": "Pain did not fall by 30 % or more, so there is no relief to time.",
    "no_baseline_pain": "There was no pain before, so no change can be measured.",
}


def explain(response: Response) -> str:
    """One plain sentence on what the numbers say, or why there are none."""
    if response.insufficient_data:
        windows = " and ".join(_WHY[name] for name in response.insufficient_data)
        return (
            f"Not enough diary entries to tell: fewer than {MIN_DAYS_LOGGED} days were logged "
            f"in {windows} the treatment."
        )
    return _STATUS[response.relief_status].format(days=response.relief_days)


def explain_series(summary: SeriesSummary) -> str:
    if summary.insufficient_data:
        seen = "none has" if not summary.measured else "only 1 has"
        return (
            f"Timing a booster needs at least 2 treatments whose relief was seen to end; "
            f"of {summary.treatments} so far, {seen}."
        )
    return (
        f"Relief usually lasts {summary.median_relief_days:g} days (the median of "
        f"{summary.measured}). A booster between day {summary.booster_from_day} and day "
        f"{summary.booster_to_day} after an infusion would come before it wears off."
    )


def last_infusion(session: DbSession, patient: User) -> Treatment | None:
    query = (
        select(Treatment)
        .where(Treatment.patient_id == patient.id, Treatment.kind.in_(INFUSION_KINDS))
        .order_by(Treatment.started_at.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def recent_infusion(session: DbSession, patient: User, today: date) -> Treatment | None:
    """An infusion from the last week (the day itself included): the check-in is due."""
    query = (
        select(Treatment)
        .where(
            Treatment.patient_id == patient.id,
            Treatment.kind.in_(INFUSION_KINDS),
            Treatment.local_date >= today - timedelta(days=CHECKIN_DAYS),
            Treatment.local_date <= today,
        )
        .order_by(Treatment.started_at.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def repeat_infusion(last: Treatment, timezone: str, now: datetime) -> dict[str, Any]:
    """Today's infusion as the last one was: same kind, dose, setting, length and hour."""
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    started = datetime.combine(today, last.started_at.astimezone(zone).timetz())
    if started > now:
        started = now
    data: dict[str, Any] = {
        "kind": last.kind,
        "started_at": started,
        "dose": last.dose,
        "dose_unit": last.dose_unit,
        "setting": last.setting,
        "adjuvants": list(last.adjuvants),
        "side_effects": [],
    }
    if last.ended_at is not None:
        data["ended_at"] = started + (last.ended_at - last.started_at)
    if last.series_phase == "induction" and last.local_date == today - timedelta(days=1):
        data["series_phase"], data["series_number"] = "induction", (last.series_number or 0) + 1
    elif last.series_phase is not None:
        booster = last.series_number if last.series_phase == "booster" else 0
        data["series_phase"], data["series_number"] = "booster", (booster or 0) + 1
    return data


def describe_response(treatment: Treatment, response: Response) -> dict[str, Any]:
    """The response as the API and the pages show it."""
    return {
        **asdict(response),
        "treatment_id": treatment.id,
        "relief_ended_on": response.relief_ended_on,
        "min_days_logged": MIN_DAYS_LOGGED,
        "message": explain(response),
    }


def describe_series(kind: str, summary: SeriesSummary) -> dict[str, Any]:
    """The series summary as the API and the pages show it."""
    window = None
    if summary.booster_from_day is not None:
        window = {
            "from_day": summary.booster_from_day,
            "to_day": summary.booster_to_day,
            "from_date": summary.booster_from,
            "to_date": summary.booster_to,
        }
    return {
        "kind": kind,
        "treatments": summary.treatments,
        "measured": summary.measured,
        "median_relief_days": summary.median_relief_days,
        "latest": summary.latest,
        "booster_window": window,
        "insufficient_data": summary.insufficient_data,
        "message": explain_series(summary),
    }
