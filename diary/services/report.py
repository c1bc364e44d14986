"""The appointment report's figures: one period of the diary, gathered for one page.

Everything here is computed by the same functions the trends pages use; the report's
template only lays it out (diary/reports turns it into a PDF).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from diary.database import DbSession
from diary.models import PainEntry, QuestionnaireResponse, Treatment, User
from diary.services import treatments as treatments_service
from diary.services import trends as trends_service
from diary.services.response import Response

# In the order they are printed; the first six make the first page.
SECTIONS = (
    "summary",
    "chart",
    "bodymap",
    "qualities",
    "treatments",
    "questionnaires",
    "notes",
    "details",
)
FIRST_PAGE = SECTIONS[:6]
# The scope a care-team member needs for a section beyond `trends` (which every one needs).
SECTION_SCOPES = {"notes": "notes"}
TOP_QUALITIES = 5
TOP_REGIONS = 6
MAX_NOTES = 40


@dataclass(frozen=True)
class TreatmentRow:
    number: int  # the marker on the chart
    treatment: Treatment
    response: Response


@dataclass(frozen=True)
class Report:
    patient: User
    from_: date
    to: date
    sections: tuple[str, ...]
    generated_at: datetime
    change: trends_service.Change
    trend: trends_service.DailyTrend
    entries: int
    regions: list[trends_service.RegionStat]
    shades: dict[str, float]
    qualities: list[tuple[str, int]]
    treatments: list[TreatmentRow]
    questionnaires: list[QuestionnaireResponse]
    notes: list[PainEntry]

    def has(self, section: str) -> bool:
        return section in self.sections

    @property
    def later_pages(self) -> bool:
        return any(section not in FIRST_PAGE for section in self.sections)


def heat_shades(stats: list[trends_service.RegionStat]) -> dict[str, float]:
    """Weight each region by how often times how much, scaled to the worst one (0 to 1)."""
    weights = {s.region: s.count * s.mean_intensity for s in stats}
    top = max(weights.values(), default=0)
    return {code: weight / top for code, weight in weights.items()} if top else {}


def treatments_in(session: DbSession, patient: User, from_: date, to: date) -> list[TreatmentRow]:
    """The period's treatments, oldest first, each with its response (from all the diary)."""
    chosen = [
        t
        for t in reversed(treatments_service.list_treatments(session, patient))
        if from_ <= t.local_date <= to
    ]
    responses = treatments_service.responses(session, patient, chosen)
    return [TreatmentRow(n, t, responses[t.id]) for n, t in enumerate(chosen, start=1)]


def latest_questionnaires(
    session: DbSession, patient: User, to: date
) -> list[QuestionnaireResponse]:
    """The most recent answer to each instrument, up to the end of the period."""
    query = (
        select(QuestionnaireResponse)
        .where(
            QuestionnaireResponse.patient_id == patient.id, QuestionnaireResponse.local_date <= to
        )
        .order_by(QuestionnaireResponse.answered_at.desc())
    )
    latest: dict[str, QuestionnaireResponse] = {}
    for response in session.scalars(query):
        latest.setdefault(response.instrument, response)
    return sorted(latest.values(), key=lambda r: r.answered_at, reverse=True)


def notes_in(session: DbSession, patient: User, from_: date, to: date) -> list[PainEntry]:
    """The period's notes, newest first."""
    query = (
        select(PainEntry)
        .where(
            PainEntry.patient_id == patient.id,
            PainEntry.deleted_at.is_(None),
            PainEntry.local_date.between(from_, to),
            PainEntry.note.is_not(None),
            PainEntry.note != "",
        )
        .order_by(PainEntry.recorded_at.desc())
        .limit(MAX_NOTES)
    )
    return list(session.scalars(query))


def build_report(
    session: DbSession,
    patient: User,
    from_: date,
    to: date,
    sections: tuple[str, ...],
    now: datetime,
) -> Report:
    """Gather the chosen sections' figures for the period from `from_` to `to` (inclusive)."""
    trend = trends_service.daily_trend(session, patient, from_, to)
    regions = trends_service.region_stats(session, patient, from_, to)
    qualities = trends_service.quality_stats(session, patient, from_, to)
    return Report(
        patient=patient,
        from_=from_,
        to=to,
        sections=tuple(s for s in SECTIONS if s in sections),
        generated_at=now,
        change=trends_service.change_from_previous(session, patient, from_, to),
        trend=trend,
        entries=sum(day.count for day in trend.days),
        regions=regions[:TOP_REGIONS],
        shades=heat_shades(regions),
        qualities=list(qualities.totals.items())[:TOP_QUALITIES],
        treatments=treatments_in(session, patient, from_, to),
        questionnaires=latest_questionnaires(session, patient, to),
        notes=notes_in(session, patient, from_, to) if "notes" in sections else [],
    )


def default_period(today: date, days: int = 30) -> tuple[date, date]:
    """The last `days` days up to today: the usual time between two appointments."""
    return today - timedelta(days=days - 1), today
